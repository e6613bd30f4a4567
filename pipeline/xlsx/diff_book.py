"""差分_<OLD>_<NEW>.xlsx: the Diff as a workbook an auditor can filter and print.

A 概要 sheet (the two workbooks compared, the check of each, counts, legend:
diff_summary.py) and a sheet per kind of change that has changes, old and new side by
side.  Column A is daff's action (+++ added, --- removed, -> changed, ... rolled off);
changed cells are filled, added rows green, removed rows red, and inside
an edited sentence the removed characters are struck through in red and the inserted
ones blue, bold and underlined.  Same diff, same bytes.

What each cell of a kind sheet is (value, formats, marked characters, row height) is decided
by pipeline/diff_cells.py, possibly in other processes (pipeline/diff_job.py); this module
only writes the rows it is handed, in order.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Iterable


from ..atomic import write_file
from ..diff import Diff
from ..diff_cells import COLUMNS, FROZEN_COLUMNS, SheetRow, chunk_plan, chunk_rows, header_height
from ..diff_render import KINDS, TITLE
from .cells import Formats, created_property, open_workbook, page_setup
from .diff_summary import SUMMARY_SHEET, write_summary_sheet

LEGEND = (
    ("+++", "追加（行を緑色で表示）"),
    ("---", "削除（行を赤色で表示）"),
    ("->", "変更・移動・繰越・実施（変わったセルを黄色・太字・太枠で表示。文中の削除文字は赤の取消線、追加文字は青の太字下線）"),
    ("...", "掲載終了（前年度の実績で、年度の進行で表から外れたもの。削除ではない。色なし）"),
)


def _write_row(ws, formats: dict, fmt: Formats, r: int, row: SheetRow) -> None:
    """Write one prepared row (diff_cells.SheetRow), asking for its formats in the cells' order."""
    for col, ((how, keys), value) in enumerate(zip(row.layout, row.values)):
        for key in keys:
            if key not in formats:
                formats[key] = fmt(key[0], key[1], **dict(key[2]))
        cell = formats[keys[-1]]
        if how == "string":
            ws.write_string(r, col, value, cell)
        elif how == "blank":
            ws.write_blank(r, col, None, cell)
        elif how == "number":
            ws.write_number(r, col, value, cell)
        else:
            parts = []
            for key, text in value:
                if key not in formats:
                    formats[key] = fmt(key[0], key[1], **dict(key[2]))
                parts += [formats[key], text]
            ws.write_rich_string(r, col, *parts, cell)
    ws.set_row(r, row.height)


def _write_kind_sheet(ws, fmt: Formats, kind: str, rows: Iterable[SheetRow], title: str) -> None:
    columns = COLUMNS[kind]
    for col, (_, header, width, _, _) in enumerate(columns):
        ws.set_column(col, col, width)
        ws.write_string(0, col, header, fmt("data_head", text_wrap=True))
    ws.set_row(0, header_height(kind))
    formats: dict = {}
    r = 0
    for r, row in enumerate(rows, start=1):
        _write_row(ws, formats, fmt, r, row)
    last = max(r, 1)
    ws.freeze_panes(1, FROZEN_COLUMNS[kind])
    ws.autofilter(0, 0, last, len(columns) - 1)
    page_setup(ws, last_row=last, last_col=len(columns) - 1, repeat=(0, 0), left=title, right="")


def write_diff_workbook(d: Diff, path: Path, *, old_sha: str, new_sha: str,
                        created: dt.datetime | None, checks: dict | None = None,
                        prepared: Iterable[list[SheetRow]] | None = None) -> None:
    """Write 差分_<OLD>_<NEW>.xlsx to `path` in one step (built in memory, then atomic.write_file:
    the same mode as every other output, errors naming `path`, never a temporary file);
    `checks` ({旧|新: verify.Check}) are shown on 概要.  A kind without changes has no sheet.
    `prepared`: the chunks of diff_cells.chunk_plan(d), in order, when made elsewhere (workers);
    otherwise each is made here when it is written."""
    buffer = io.BytesIO()
    workbook = open_workbook(buffer)
    title = f"{TITLE}　{d.old_year}→{d.new_year}"
    workbook.set_properties({"title": title, "created": created_property(created)})
    fmt = Formats(workbook)
    write_summary_sheet(workbook.add_worksheet(SUMMARY_SHEET), fmt, d, old_sha=old_sha, new_sha=new_sha,
                        title=title, legend=LEGEND, checks=checks)
    plan = chunk_plan(d)
    chunks = iter(prepared) if prepared is not None else (chunk_rows(d, *part) for part in plan)
    for kind, _, sheet in KINDS:
        count = sum(1 for part in plan if part[0] == kind)
        if count:
            rows = (row for _ in range(count) for row in next(chunks))
            _write_kind_sheet(workbook.add_worksheet(sheet), fmt, kind, rows, f"{sheet}　{title}")
    workbook.close()
    write_file(path, buffer.getvalue())
