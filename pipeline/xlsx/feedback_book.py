"""<file>_検証結果.xlsx: one submitter's file with its problems, to send back as it is.

指摘一覧 first (one row per problem: file, sheet, cell as Excel shows it, column, level,
message, what to write instead; the cell links to the copy), then every sheet that was
read, its cells at the same addresses as in the file sent, each problem cell filled red
(error) or yellow (warning) with a comment holding the message(s).  What is shown is
decided in pipeline/feedback.py; same feedback, same bytes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence


from schemas.eras import long_title

from .. import form_styles as F
from ..form_model import LEVEL_LABELS, FileFeedback
from . import form_labels as L
from .cells import created_property, open_workbook, page_setup, sanitize_sheet_name, sheet_ref
from .form_cells import FormFormats, fitted_width, text_row_height, write_value

FIRST_TABLE_ROW = 4  # 指摘一覧: title, file, summary + note, blank, then the table header


def copy_names(files: Sequence[FileFeedback]) -> list[list[str]]:
    """The sheet name of every copied sheet, unique in the workbook (after 指摘一覧); with more
    than one file a sheet is named after its file too."""
    taken = [L.SHEET_ISSUES]
    names = []
    for f in files:
        own = []
        for sheet in f.sheets:
            label = sheet.label if len(files) == 1 else f"{Path(f.file).stem}_{sheet.label}"
            name = sanitize_sheet_name(label, taken)
            taken.append(name)
            own.append(name)
        names.append(own)
    return names


def _where(problem, sheet_names: dict) -> tuple[str, str, str | None]:
    """(sheet shown, cell shown, internal link or None) of one problem."""
    sheet = sheet_names.get(problem.sheet, problem.sheet)
    if not problem.row:
        return sheet, L.WHOLE_SHEET if problem.sheet else L.WHOLE_FILE, None
    cell = problem.cell() or L.WHOLE_ROW.format(row=problem.row)
    target = problem.cell() or f"A{problem.row}"
    link = f"internal:{sheet_ref(sheet_names[problem.sheet])}!{target}" if problem.sheet in sheet_names else None
    return sheet, cell, link


def write_issues(ws, fmt: FormFormats, files: Sequence[FileFeedback], names: list[list[str]],
                 fiscal_year: int) -> None:
    """指摘一覧: title, summary, note, then one row per problem."""
    widths = [w for _, w, _ in F.ISSUE_COLUMNS]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last = len(widths) - 1
    errors, warnings = sum(f.errors for f in files), sum(f.warnings for f in files)
    ws.merge_range(0, 0, 0, last, L.FEEDBACK_TITLE.format(title=long_title(fiscal_year)), fmt("title"))
    ws.merge_range(1, 0, 1, last, L.FEEDBACK_FILE.format(files="、".join(f.file for f in files)), fmt("subtitle"))
    ws.merge_range(2, 0, 2, last, L.FEEDBACK_SUMMARY.format(errors=errors, warnings=warnings), fmt("subtitle"))
    ws.merge_range(3, 0, 3, last, L.FEEDBACK_NOTE, fmt("note"))
    ws.set_row(0, 24)
    ws.set_row(3, text_row_height([(L.FEEDBACK_NOTE, sum(widths) * 9 / 10.5)]))
    header = FIRST_TABLE_ROW
    for col, (title, _, _) in enumerate(F.ISSUE_COLUMNS):
        ws.write_string(header, col, title, fmt("head"))
    row = header + 1
    number = 0
    for f, sheet_names in zip(files, names):
        by_sheet = {s.source_sheet: name for s, name in zip(f.sheets, sheet_names)}
        for p in f.problems:
            number += 1
            sheet, cell, link = _where(p, by_sheet)
            values = (number, f.file, sheet, cell, p.column, LEVEL_LABELS[p.level], p.message, p.hint)
            for col, (value, (_, _, style)) in enumerate(zip(values, F.ISSUE_COLUMNS)):
                level = p.level if col == 5 else None
                if col == 3 and link:
                    ws.write_url(row, col, link, fmt("link"), string=cell)
                else:
                    write_value(ws, row, col, value, fmt, "text" if style == "link" else style, level)
            ws.set_row(row, text_row_height([(str(v), w) for v, w in zip(values, widths)]))
            row += 1
    if number == 0:
        ws.merge_range(row, 0, row, last, L.NO_PROBLEMS, fmt("text"))
        row += 1
    ws.freeze_panes(header + 1, 0)
    ws.autofilter(header, 0, max(row - 1, header), last)
    page_setup(ws, last_row=row - 1, last_col=last, repeat=(header, header),
               left=L.SHEET_ISSUES, right="")


def _comment(messages: Sequence[str], level: str) -> str:
    return "\n".join(f"{L.LEVEL_PREFIX[level]}{m}" for m in messages)


def write_copy(ws, fmt: FormFormats, sheet) -> None:
    """A sheet as it was sent, with its problem cells filled and commented."""
    width = max((len(r) for r in sheet.rows), default=0)
    marked_cols = {c for _, c in sheet.marks}
    width = max(width, max(marked_cols, default=-1) + 1)
    table = sheet.rows[max(sheet.header_row - 1, 0):]
    widths = [fitted_width([r[c] for r in table if c < len(r)]) for c in range(width)]
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    for index, cells in enumerate(sheet.rows):
        number = index + 1
        row_level, row_messages = sheet.row_marks.get(number, (None, ()))
        style = "copy_head" if number == sheet.header_row else "copy_above" if number < sheet.header_row else "copy"
        for col in range(width):
            value = cells[col] if col < len(cells) else ""
            level, messages = sheet.marks.get((number, col), (row_level, ()))
            write_value(ws, index, col, value, fmt, style, level)
            if messages:
                ws.write_comment(index, col, _comment(messages, level), {"author": L.COMMENT_AUTHOR,
                                                                         "x_scale": 2.4, "y_scale": 1.6})
        if row_messages:
            ws.write_comment(index, 0, _comment(row_messages, row_level), {"author": L.COMMENT_AUTHOR,
                                                                           "x_scale": 2.4, "y_scale": 1.6})
        if number >= sheet.header_row:
            ws.set_row(index, text_row_height([(str(v), w) for v, w in zip(cells, widths)]))
    if sheet.header_row:
        ws.freeze_panes(sheet.header_row, 0)
    page_setup(ws, last_row=max(len(sheet.rows) - 1, 0), last_col=max(width - 1, 0),
               repeat=(sheet.header_row - 1, sheet.header_row - 1) if sheet.header_row else None,
               left=sheet.label, right="")


def write_feedback_workbook(files: Sequence[FileFeedback], path: Path, *, fiscal_year: int,
                            created: dt.datetime | None) -> Path:
    """Write the 検証結果 of `files` (one file for a submitter, several for `check --report`)."""
    workbook = open_workbook(path)
    workbook.set_properties({"title": L.FEEDBACK_TITLE.format(title=long_title(fiscal_year)),
                             "created": created_property(created)})
    fmt = FormFormats(workbook)
    names = copy_names(files)
    write_issues(workbook.add_worksheet(L.SHEET_ISSUES), fmt, files, names, fiscal_year)
    for f, sheet_names in zip(files, names):
        for sheet, name in zip(f.sheets, sheet_names):
            write_copy(workbook.add_worksheet(name), fmt, sheet)
    workbook.close()
    return path
