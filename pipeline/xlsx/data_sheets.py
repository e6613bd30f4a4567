"""The data sheets (the tidy frames as Excel tables) and 出典 (provenance).

取組データ, KPIデータ, プロジェクトデータ, 施策データ and KPI定義 make the workbook
self-contained for `diff` (readback.py reads them back): 概要・目的, measures with no
item this year and a KPI's 方向 / 算定方法 are nowhere else in tidy form.  Every column
is written as schemas/columns.py declares it: numbers as numbers, 再掲 as ○, a KPI
kind as its label (基準値), 別名 joined by `;`, any other value with write_string.
"""
from __future__ import annotations

import datetime

from schemas import columns as C
from schemas.cells import is_missing, number_text
from schemas.eras import long_title

from .. import styles as S
from ..textwidth import text_width
from . import labels as L
from .cells import Formats, forget_written_rows, needs_quote, page_setup, streamed, value_format
from .layout import row_height

NUMBER_DTYPES = ("int", "number", "rate")
FORGET_EVERY = 1000   # rows between two forget_written_rows of a streamed data sheet


def cell_value(column: C.Column, value: object) -> object:
    """What the sheet shows for one value: a number, a text, or None (a blank cell)."""
    if is_missing(value):
        return None
    if column.dtype in NUMBER_DTYPES and not isinstance(value, str):
        return float(value)
    if column.dtype == "bool":
        text = C.BOOL_LABELS.get(bool(value), "")
    elif column.dtype == "aliases" and isinstance(value, (tuple, list)):
        text = C.ALIAS_SEPARATOR.join(str(v) for v in value)
    elif column.dtype == "code":
        text = (column.labels or {}).get(str(value), str(value))
    else:
        text = str(value)
    return text or None


def _rows(frame, columns: tuple[C.Column, ...]):
    """The values of `columns`, row by row, one tuple at a time (30,000 rows of tuples at once
    would be ~5 MB more in the process writing the whole-Hokkaido book)."""
    if frame is None or len(frame) == 0:
        return iter(())
    data = [frame[c.name].tolist() if c.name in frame.columns else [None] * len(frame) for c in columns]
    return zip(*data)


def _cell_writer(ws, fmt: Formats, column: C.Column, plain, quoted, width: float):
    """A function (row, col, value, wrapped) that writes one value of `column` as cell_value says
    (a number in its value's own format, cells.value_format)."""
    write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
    style = column.style
    wraps = column.style == "data_wrap"
    plain_text = column.dtype not in NUMBER_DTYPES and column.dtype not in ("bool", "aliases", "code")

    def write(row: int, col: int, value: object, wrapped: list) -> None:
        shown = (value or None) if plain_text and type(value) is str else cell_value(column, value)
        if shown is None:
            write_blank(row, col, None, plain)
        elif isinstance(shown, float):
            write_number(row, col, shown, fmt(style, **value_format(style, shown)))
        else:
            write_string(row, col, shown, quoted if needs_quote(shown) else plain)
            if wraps:
                wrapped.append((shown, width))
    return write


def write_table(ws, fmt: Formats, frame, columns: tuple[C.Column, ...], *, table_name: str,
                first_row: int = 0) -> int:
    """The frame as an Excel table with a filter (an autofilter in a streamed book); returns
    the table's last row.

    Rows with wrapped text get a height (LibreOffice does not grow them).  Cells are
    written row by row, left to right (what a streaming writer needs).  An optional
    column is written only when some row has a value in it (schemas/columns.py).
    """
    columns = C.shown(columns, frame)
    widths = [max(c.width, text_width(c.header) + S.FILTER_BUTTON_UNITS) for c in columns]
    plain = [fmt(c.style) for c in columns]
    quoted = [fmt(c.style if c.dtype not in NUMBER_DTYPES else "data_text", quote_prefix=True) for c in columns]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    rows = _rows(frame, columns)
    count = 0 if frame is None else len(frame)
    streaming = streamed(ws)
    if streaming:  # the header first: a streamed sheet is written row by row
        ws.set_row(first_row, S.DATA_HEADER_HEIGHT)
        for col, column in enumerate(columns):
            ws.write_string(first_row, col, column.header, fmt("data_head"))
    writers = list(enumerate(_cell_writer(ws, fmt, c, plain[i], quoted[i], widths[i]) for i, c in enumerate(columns)))
    for i, values in enumerate(rows):
        row = first_row + 1 + i
        wrapped: list = []
        for (col, write), value in zip(writers, values):
            write(row, col, value, wrapped)
        if wrapped:
            ws.set_row(row, row_height(wrapped))
        if streaming and i % FORGET_EVERY == FORGET_EVERY - 1:
            forget_written_rows(ws)
    last_row = first_row + max(count, 1)
    if streaming:
        ws.autofilter(first_row, 0, last_row, len(columns) - 1)
        return last_row
    ws.add_table(first_row, 0, last_row, len(columns) - 1, {
        "name": table_name, "style": S.TABLE_STYLE,
        "columns": [{"header": c.header, "header_format": fmt("data_head")} for c in columns],
    })
    ws.set_row(first_row, S.DATA_HEADER_HEIGHT)
    return last_row


# sheet name → (attribute of Tables, columns); also what readback.py reads.
DATA_SHEETS: dict[str, tuple[str, tuple[C.Column, ...]]] = {
    L.SHEET_INITIATIVES: ("initiatives", C.INITIATIVES),
    L.SHEET_KPI: ("kpi", C.KPI),
    L.SHEET_PROJECTS: ("projects", C.PROJECTS),
    L.SHEET_MEASURES: ("measures", C.MEASURES),
    L.SHEET_KPI_MASTER: ("kpis", C.KPI_MASTER),
}
# Columns that identify a row, repeated at the left of every printed page (the first n).
KEY_COLUMNS = {L.SHEET_INITIATIVES: 3, L.SHEET_KPI: 2, L.SHEET_PROJECTS: 1, L.SHEET_MEASURES: 1,
               L.SHEET_KPI_MASTER: 1}


def write_data_sheet(ws, fmt: Formats, name: str, frame, fy: int) -> None:
    """One data sheet: the table and a frozen header row.  On paper: DATA_PRINT_SCALE (text
    ≥ 8 pt), as many pages wide as it takes, page order across then down, the header row
    and the key columns on every page (the published PDF leaves the data sheets out)."""
    columns = C.shown(DATA_SHEETS[name][1], frame)
    last_row = write_table(ws, fmt, frame, columns, table_name=L.TABLE_NAMES[name])
    ws.freeze_panes(1, 0)
    page_setup(ws, last_row=last_row, last_col=len(columns) - 1, repeat=(0, 0), scale=S.DATA_PRINT_SCALE,
               left=f"{name}　{long_title(fy)}", right="")
    ws.repeat_columns(0, KEY_COLUMNS[name] - 1)
    ws.print_across()


def _meta_rows(fy: int, versions: dict[str, str], created: datetime.datetime | None) -> list[tuple[str, str]]:
    shown = L.NOT_RECORDED if created is None else created.strftime("%Y-%m-%d %H:%M:%S") + "（UTC）"
    meta = [(L.SOURCES_FY, long_title(fy)), (L.SOURCES_CREATED, shown)]
    for name, version in sorted(versions.items(), key=lambda kv: (kv[0] != "pipeline",)):
        label = L.SOURCES_PIPELINE if name == "pipeline" else L.SOURCES_LIBRARY.format(name=name)
        meta.append((label, str(version)))
    return meta


def _warning_rows(ws, fmt: Formats, row: int, warnings: list[str]) -> int:
    if not warnings:
        return row
    ws.write_string(row, 0, L.SOURCES_WARNINGS, fmt("meta_section"))
    ws.set_row(row, S.SECTION_ROW_HEIGHT)
    row += 1
    width = sum(c.width for c in C.MANIFEST)
    for text in warnings:
        cell = fmt.text("meta_value", text)
        ws.merge_range(row, 0, row, len(C.MANIFEST) - 1, "", cell)
        ws.write_string(row, 0, text, cell)
        ws.set_row(row, row_height([(text, width)]))
        row += 1
    return row


def document_rows(report) -> list[tuple[str, str]]:
    """The per-document settings that change what the sheets show, as 出典 rows: 進捗率の表示
    when capped, and the 評価 scale (評価：A｜100%以上 …); none for a book with the defaults."""
    rows = [(L.SOURCES_DISPLAY, report.display)] if getattr(report, "capped", False) else []
    for grade, bound in getattr(report, "grades", ()):
        shown = L.GRADE_ANY if bound is None else L.GRADE_BOUND.format(bound=number_text(round(bound * 100, 9)))
        rows.append((L.SOURCES_GRADE.format(grade=grade), shown))
    return rows


def write_sources_sheet(ws, fmt: Formats, manifest, warnings: list[str], fy: int,
                        versions: dict[str, str], created: datetime.datetime | None,
                        settings: list[tuple[str, str]] = ()) -> None:
    """出典: the FY, creation time (「（記録していません）」 when none was given), versions and
    the `settings` rows (document_rows), every input file with its SHA-256 and row counts
    (読込 / 採用 / 除外), then the run's warnings."""
    ws.write_string(0, 0, L.SOURCES_TITLE, fmt("meta_title"))
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    columns = C.by_name(C.MANIFEST)
    row = 2
    for key, value in [*_meta_rows(fy, versions, created), *settings]:
        ws.write_string(row, 0, key, fmt("meta_key"))
        ws.write_string(row, 1, value, fmt.text("meta_value", value))
        ws.set_row(row, row_height([(key, columns["file"].width), (value, columns["sha256"].width)]))
        row += 1
    row += 1
    ws.write_string(row, 0, L.SOURCES_FILES, fmt("meta_section"))
    ws.write_string(row, 1, L.SOURCES_FILES_NOTE.format(fy=fy), fmt("note", text_wrap=False))
    ws.set_row(row, S.SECTION_ROW_HEIGHT)
    row += 1
    last_row = write_table(ws, fmt, manifest, C.MANIFEST, first_row=row, table_name=L.TABLE_NAMES[L.SHEET_SOURCES])
    row = _warning_rows(ws, fmt, last_row + 2, warnings)
    page_setup(ws, last_row=row - 1, last_col=len(C.MANIFEST) - 1, repeat=None, scale=S.DATA_PRINT_SCALE,
               left=f"{L.SHEET_SOURCES}　{long_title(fy)}", right="")
