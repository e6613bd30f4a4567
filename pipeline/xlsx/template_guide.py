"""_記入要領: the template's notes sheet (skipped by the reader): who the template is for, the
rules of docs/入力仕様.md in short, and the projects with their measures (the 見出し lists)."""
from __future__ import annotations

from schemas.eras import long_title

from .. import form_styles as F
from ..form_model import Template
from . import form_labels as L
from .form_cells import FormFormats, form_page_setup, text_row_height, write_value


def _about(t: Template) -> tuple:
    projects = "\n".join(f"{pid} {name}" for pid, name in t.projects) or L.NONE
    kpis = "\n".join(f"{kpi_id} {indicator}（{unit}）" for kpi_id, indicator, unit in t.kpis) or L.NONE
    values = (t.submitter, t.kind, t.bureau, t.region or L.ALL_REGIONS, long_title(t.fiscal_year), projects, kpis)
    return tuple(zip(L.GUIDE_ABOUT_KEYS, values))


def write_guide(ws, fmt: FormFormats, t: Template) -> None:
    """The _記入要領 sheet."""
    widths = F.GUIDE_WIDTHS
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last = len(widths) - 1
    ws.merge_range(0, 0, 0, last, L.GUIDE_TITLE, fmt("title"))
    ws.set_row(0, 24)
    row = 2
    ws.write_string(row, 0, L.GUIDE_ABOUT, fmt("section"))
    row += 1
    for label, value in _about(t):
        ws.write_string(row, 0, label, fmt("key"))
        ws.merge_range(row, 1, row, last, "", fmt("value"))
        write_value(ws, row, 1, value, fmt, "value")
        ws.set_row(row, text_row_height([(value, sum(widths[1:]))]))
        row += 1
    row += 1
    ws.write_string(row, 0, L.GUIDE_RULES, fmt("section"))
    row += 1
    for line in L.GUIDE_LINES:
        ws.merge_range(row, 0, row, last, line, fmt("guide"))
        ws.set_row(row, text_row_height([(line, sum(widths))]))
        row += 1
    row += 1
    ws.write_string(row, 0, L.GUIDE_PROJECTS, fmt("section"))
    row += 1
    for col, header in enumerate(L.GUIDE_PROJECT_HEADERS):
        ws.write_string(row, col, header, fmt("head"))
    row += 1
    for pid, name in t.projects:
        for measure in t.measures[name] or ("",):
            for col, value in enumerate((pid, name, measure)):
                write_value(ws, row, col, value, fmt, "text")
            ws.set_row(row, text_row_height([(name, widths[1]), (measure, widths[2])]))
            row += 1
    ws.protect("", dict(F.PROTECTION))
    form_page_setup(ws, last_col=last, repeat=None, left=L.SHEET_GUIDE)
