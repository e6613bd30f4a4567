"""提出状況.xlsx: who has sent what, and how it went — for the 本庁 official.

One row per submitter of master/submitters.csv (then per file that belongs to none),
missing and failing first (pipeline/feedback.py decides), the state coloured, the rows
read / accepted / rejected, the problems, and a link to each 検証結果 file (a file in
the same folder).  Same feedback, same bytes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path


from schemas.eras import long_title

from .. import form_styles as F
from ..form_model import STATES
from . import form_labels as L
from .cells import created_property, open_workbook, page_setup
from .form_cells import FormFormats, text_row_height, write_value

SHEET = "提出状況"
HEADER_ROW = 4


def _cells(row) -> tuple:
    labels = {key: label for key, label, _ in STATES}
    received = bool(row.files)
    return (labels[row.state], row.submitter, row.kind, row.bureau, row.region, "\n".join(row.files),
            row.rows_read, row.rows_accepted, row.rows_rejected, row.errors if received else "",
            row.warnings if received else "", "\n".join(row.reports))


def _summary(rows) -> str:
    counts = "、".join(f"{label} {sum(r.state == key for r in rows)}" for key, label, _ in STATES)
    return L.STATUS_SUMMARY.format(total=len(rows), counts=counts)


def _legend(ws, fmt: FormFormats, row: int, last: int) -> int:
    ws.write_string(row, 0, L.STATUS_LEGEND, fmt("section"))
    row += 1
    for key, label, meaning in STATES:
        ink, fill = F.STATE_COLOURS[key]
        ws.write_string(row, 0, label, fmt("center", bg_color=fill, font_color=ink, bold=True))
        ws.merge_range(row, 1, row, last, meaning, fmt("text"))
        row += 1
    return row


def write_status_workbook(rows, path: Path, *, fiscal_year: int, created: dt.datetime | None,
                          has_submitters: bool = True) -> Path:
    """Write 提出状況 for the rows of feedback.status_rows."""
    workbook = open_workbook(path)
    workbook.set_properties({"title": L.STATUS_TITLE.format(title=long_title(fiscal_year)),
                             "created": created_property(created)})
    fmt = FormFormats(workbook)
    ws = workbook.add_worksheet(SHEET)
    widths = [w for _, w, _ in F.STATUS_COLUMNS]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last = len(widths) - 1
    note = L.STATUS_NOTE if has_submitters else f"{L.STATUS_NOTE}{L.NO_SUBMITTERS}"
    ws.merge_range(0, 0, 0, last, L.STATUS_TITLE.format(title=long_title(fiscal_year)), fmt("title"))
    ws.merge_range(1, 0, 1, last, _summary(rows), fmt("subtitle"))
    ws.merge_range(2, 0, 2, last, note, fmt("note"))
    ws.set_row(0, 24)
    ws.set_row(2, text_row_height([(note, sum(widths) * 9 / 10.5)]))
    for col, (title, _, _) in enumerate(F.STATUS_COLUMNS):
        ws.write_string(HEADER_ROW, col, title, fmt("head"))
    index = HEADER_ROW + 1
    for r in rows:
        values = _cells(r)
        ink, fill = F.STATE_COLOURS[r.state]
        for col, (value, (_, _, style)) in enumerate(zip(values, F.STATUS_COLUMNS)):
            if col == 0:
                ws.write_string(index, col, value, fmt("center", bg_color=fill, font_color=ink, bold=True))
            elif style == "link" and r.reports:
                ws.write_url(index, col, f"external:{r.reports[0]}", fmt("link"), string=value)
            else:
                write_value(ws, index, col, value, fmt, "text" if style == "link" else style)
        ws.set_row(index, text_row_height([(str(v), w) for v, w in zip(values, widths)]))
        index += 1
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, max(index - 1, HEADER_ROW), last)
    end = _legend(ws, fmt, index + 1, last)
    page_setup(ws, last_row=end - 1, last_col=last, repeat=(HEADER_ROW, HEADER_ROW), left=SHEET, right="")
    workbook.close()
    return path
