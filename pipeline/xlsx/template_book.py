"""提出様式/<提出団体>.xlsx: a submitter's workbook that fills in the contract by itself.

Sheets: 取組 (the contract's headers; carried rows, then empty rows, every data row with
its data validations), KPI実績 (for whoever reports KPIs), _記入要領 (pipeline/xlsx/
template_guide.py) and the hidden _選択肢 holding the lists.

The dependent 見出し list: _選択肢 has one column per project (its measures), each a
defined name 施策_<n>; the 見出し cells validate against
`INDIRECT("施策_"&MATCH(<プロジェクト>,選択肢_プロジェクト,0))`, which Excel and
LibreOffice both evaluate (tests/test_templates.py converts a template with LibreOffice and
reads the lists back).  Title and header rows are locked and the sheets protected without
a password; data cells are unlocked, text columns in text format (1-2 stays 1-2).
What a template holds is decided in pipeline/templates.py; same template, same bytes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from schemas.eras import long_title

from .. import form_styles as F
from ..form_model import RELISTED_MARK, Template
from . import form_labels as L
from .cells import created_property, open_workbook, sheet_ref
from .form_cells import FormFormats, form_page_setup, text_row_height, write_value
from .template_guide import write_guide

HEADER_ROW = 2          # 0-based: title, note, header
TEXT_COLUMNS = ("プロジェクト", "区分", "見出し", "内容", "地域", "実施主体", "再掲", "備考", "KPI", "単位")


def _range(sheet: str, col: int, first: int, last: int) -> str:
    letter = xlsxwriter.utility.xl_col_to_name(col)
    return f"={sheet_ref(sheet)}!${letter}${first + 1}:${letter}${max(last, first) + 1}"


def write_lists(workbook, fmt: FormFormats, t: Template) -> None:
    """The hidden _選択肢 sheet and the defined names the validations use."""
    ws = workbook.add_worksheet(L.SHEET_LISTS)
    for col, title in enumerate(L.LIST_HEADERS):
        ws.write_string(0, col, title, fmt("head"))
    for row, (_, name) in enumerate(t.projects, start=1):
        ws.write_string(row, 0, name, fmt("text"))
    for row, (kpi_id, indicator, unit) in enumerate(t.kpis, start=1):
        for col, value in enumerate((kpi_id, indicator, unit), start=1):
            write_value(ws, row, col, value, fmt, "text")
    workbook.define_name(L.PROJECT_LIST_NAME, _range(L.SHEET_LISTS, 0, 1, len(t.projects)))
    for col, name in enumerate((L.KPI_LIST_NAME, L.INDICATOR_LIST_NAME, L.UNIT_LIST_NAME), start=1):
        workbook.define_name(name, _range(L.SHEET_LISTS, col, 1, len(t.kpis)))
    first = len(L.LIST_HEADERS) + 1
    for n, (_, name) in enumerate(t.projects, start=1):
        col = first + n - 1
        ws.write_string(0, col, name, fmt("head"))
        for row, measure in enumerate(t.measures[name], start=1):
            ws.write_string(row, col, measure, fmt("text"))
        workbook.define_name(L.MEASURE_NAME.format(n=n), _range(L.SHEET_LISTS, col, 1, len(t.measures[name])))
    ws.set_column(0, first + len(t.projects), 24)
    ws.protect("", dict(F.PROTECTION))
    ws.hide()


def _validation(ws, rows: tuple[int, int], col: int, label: str, rule: dict) -> None:
    """One column's validation over the data rows, with its Japanese input message and alert."""
    input_title, input_message, error_title, error_message, style = L.VALIDATIONS[label]
    options = {**rule, "input_title": input_title, "input_message": input_message}
    if error_title:
        options.update(error_title=error_title, error_message=error_message, error_type=style)
    if ws.data_validation(rows[0], col, rows[1], col, options) != 0:
        raise ValueError(f"data validation of {label} refused: {options}")


def _initiative_rules(t: Template, first: int) -> dict:
    """header → the data validation rule of its column (first = the first data row, 0-based)."""
    project = f"$A{first + 1}"
    measures = f'INDIRECT("{L.MEASURE_NAME.format(n="")}"&MATCH({project},{L.PROJECT_LIST_NAME},0))'
    return {
        "プロジェクト": {"validate": "list", "source": f"={L.PROJECT_LIST_NAME}"},
        "区分": {"validate": "list", "source": list(t.sections)},
        "見出し": {"validate": "list", "source": f"={measures}"},
        "内容": {"validate": "length", "criteria": "<=", "value": F.TEXT_LIMIT},
        "地域": {"validate": "list", "source": list(t.areas)},
        "実施主体": {"validate": "any"},
        "再掲": {"validate": "list", "source": [RELISTED_MARK]},
        "順序": {"validate": "integer", "criteria": ">=", "value": 1},
        "備考": {"validate": "any"},
    }


def _column_formats(ws, fmt: FormFormats, headers: tuple) -> None:
    for col, header in enumerate(headers):
        style = "input_text" if header in TEXT_COLUMNS else "input_number"
        ws.set_column(col, col, F.TEMPLATE_WIDTHS[header], fmt(style))


def _heading_rows(ws, fmt: FormFormats, headers: tuple, title: str, note: str) -> None:
    last = len(headers) - 1
    ws.merge_range(0, 0, 0, last, title, fmt("title"))
    ws.merge_range(1, 0, 1, last, note, fmt("note"))
    ws.set_row(0, 24)
    width = sum(F.TEMPLATE_WIDTHS[h] for h in headers)
    ws.set_row(1, max(text_row_height([(note, width * 9 / 10.5)]), F.TEMPLATE_NOTE_HEIGHT))
    for col, header in enumerate(headers):
        ws.write_string(HEADER_ROW, col, header, fmt("head"))
    ws.freeze_panes(HEADER_ROW + 1, 0)


def _year_formula(row: int, fiscal_year: int) -> str:
    """年度 of a 取組 row: the FY once something is written in プロジェクト, 区分, 見出し or 内容."""
    r = row + 1
    return f'=IF(COUNTA($A{r},$C{r}:$E{r})=0,"",{fiscal_year})'


def write_initiatives(ws, fmt: FormFormats, t: Template) -> None:
    """The 取組 sheet: headers, carried rows (tinted), empty rows, validations on every data row."""
    headers = L.INITIATIVE_HEADERS
    _column_formats(ws, fmt, headers)
    title = L.TEMPLATE_TITLE.format(title=long_title(t.fiscal_year), name=t.submitter)
    _heading_rows(ws, fmt, headers, title, L.INITIATIVES_NOTE)
    first = HEADER_ROW + 1
    for index, r in enumerate(t.rows):
        row = first + index
        values = {"プロジェクト": r.project, "区分": r.section, "見出し": r.heading, "内容": r.text, "地域": r.area,
                  "実施主体": r.actors, "再掲": RELISTED_MARK if r.relisted else "", "順序": r.order or "",
                  "備考": r.note}
        for col, header in enumerate(headers):
            if header == "年度":
                ws.write_formula(row, col, _year_formula(row, t.fiscal_year), fmt("input_fixed", num_format="General"),
                                 t.fiscal_year)
                continue
            style = "input_text" if header in TEXT_COLUMNS else "input_number"
            write_value(ws, row, col, values[header], fmt, style, bg_color=F.DRAFT_FILL)
        ws.set_row(row, text_row_height([(str(values[h]), F.TEMPLATE_WIDTHS[h]) for h in headers if h != "年度"]))
    last = first + len(t.rows) + F.INITIATIVE_BLANK_ROWS - 1
    for row in range(first + len(t.rows), last + 1):  # every cell written: its format is the cell's own
        for col, header in enumerate(headers):
            if header == "年度":
                ws.write_formula(row, col, _year_formula(row, t.fiscal_year), fmt("input_fixed", num_format="General"),
                                 "")
            else:
                ws.write_blank(row, col, None, fmt("input_text" if header in TEXT_COLUMNS else "input_number"))
    for col, (header, rule) in enumerate((h, _initiative_rules(t, first).get(h)) for h in headers):
        if rule is not None:
            _validation(ws, (first, last), col, header, rule)
    ws.protect("", dict(F.PROTECTION))
    form_page_setup(ws, last_col=len(headers) - 1, repeat=(HEADER_ROW, HEADER_ROW), left=L.SHEET_INITIATIVES)


def _kpi_formula(row: int, name: str) -> str:
    return f'=IFERROR(INDEX({name},MATCH($A{row + 1},{L.KPI_LIST_NAME},0)),"")'


def write_kpis(ws, fmt: FormFormats, t: Template) -> None:
    """The KPI実績 sheet: one row per KPI and year (last year's value where known), then empty rows."""
    headers = L.KPI_HEADERS
    _column_formats(ws, fmt, headers)
    title = L.KPI_TITLE.format(title=long_title(t.fiscal_year), name=t.submitter)
    _heading_rows(ws, fmt, headers, title, L.KPI_NOTE)
    first = HEADER_ROW + 1
    last = first + len(t.kpi_rows) + F.KPI_BLANK_ROWS - 1
    fixed = fmt("input_fixed")
    for row in range(first, last + 1):
        r = t.kpi_rows[row - first] if row - first < len(t.kpi_rows) else None
        write_value(ws, row, 0, r.kpi_id if r else "", fmt, "input_text")
        ws.write_formula(row, 1, _kpi_formula(row, L.INDICATOR_LIST_NAME), fixed, r.indicator if r else "")
        write_value(ws, row, 2, r.year_label if r else "", fmt, "input_text")
        write_value(ws, row, 3, r.value if r and r.value is not None else "", fmt, "input_number")
        ws.write_formula(row, 4, _kpi_formula(row, L.UNIT_LIST_NAME), fixed, r.unit if r else "")
        write_value(ws, row, 5, r.note if r else "", fmt, "input_text")
        if r:
            ws.set_row(row, text_row_height([(r.indicator, F.TEMPLATE_WIDTHS[headers[1]])]))
    _validation(ws, (first, last), 0, "KPI", {"validate": "list", "source": f"={L.KPI_LIST_NAME}"})
    _validation(ws, (first, last), 2, "KPI年度", {"validate": "list", "source": list(t.years)})
    _validation(ws, (first, last), 3, "実績値", {"validate": "decimal", "criteria": "between",
                                               "minimum": -F.VALUE_LIMIT, "maximum": F.VALUE_LIMIT})
    ws.protect("", dict(F.PROTECTION))
    form_page_setup(ws, last_col=len(headers) - 1, repeat=(HEADER_ROW, HEADER_ROW), left=L.SHEET_KPI)


def write_template(t: Template, path: Path, *, created: dt.datetime | None) -> Path:
    """Write one submitter's 提出様式."""
    workbook = open_workbook(path)
    workbook.set_properties({"title": L.TEMPLATE_TITLE.format(title=long_title(t.fiscal_year), name=t.submitter),
                             "created": created_property(created)})
    fmt = FormFormats(workbook)
    write_initiatives(workbook.add_worksheet(L.SHEET_INITIATIVES), fmt, t)
    if t.kpis:
        write_kpis(workbook.add_worksheet(L.SHEET_KPI), fmt, t)
    write_guide(workbook.add_worksheet(L.SHEET_GUIDE), fmt, t)
    write_lists(workbook, fmt, t)
    workbook.close()
    return path
