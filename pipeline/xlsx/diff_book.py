"""差分_<OLD>_<NEW>.xlsx: the Diff as a workbook an auditor can filter and print.

A 概要 sheet (the two workbooks compared, the check of each, counts, legend:
diff_summary.py) and a sheet per kind of change that has changes, old and new side by
side.  Column A is daff's action (+++ added, --- removed, -> changed, ... rolled off);
changed cells are filled, added rows green, removed rows red, and inside
an edited sentence the removed characters are struck through in red and the inserted
ones blue, bold and underlined.  Same diff, same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from schemas.cells import is_empty

from ..diff import ACTIONS, Diff, char_changes
from ..atomic import write_file
from ..diff_render import KINDS, TITLE, display_rows
from .cells import Formats, created_property, open_workbook, page_setup, value_format
from .diff_summary import SUMMARY_SHEET, write_summary_sheet
from .layout import row_height

LEGEND = (
    ("+++", "追加（行を緑色で表示）"),
    ("---", "削除（行を赤色で表示）"),
    ("->", "変更・移動・繰越・実施（変わったセルを黄色・太字・太枠で表示。文中の削除文字は赤の取消線、追加文字は青の太字下線）"),
    ("...", "掲載終了（前年度の実績で、年度の進行で表から外れたもの。削除ではない。色なし）"),
)

# Columns per sheet: (frame column, header, width, style, pair) — `pair` names the other
# side of an old/new pair so that a changed value is highlighted on both sides.
_ACTION = ("action", "操作", 6, "data_text", None)
COLUMNS: dict[str, tuple] = {
    "revisions": (
        _ACTION,
        ("kpi_id", "KPI ID", 15, "data_text", None),
        ("indicator", "指標名", 30, "data_wrap", None),
        ("unit", "単位", 8, "data_text", None),
        ("year_text", "年度", 12, "data_text", None),
        ("old_value", "旧の値", 12, "data_number", "new_value"),
        ("new_value", "新の値", 12, "data_number", "old_value"),
        ("delta", "差", 10, "delta", None),
        ("old_source", "旧の出典", 26, "data_wrap", None),
        ("new_source", "新の出典", 26, "data_wrap", None),
    ),
    "actuals": (
        _ACTION,
        ("kpi_id", "KPI ID", 15, "data_text", None),
        ("indicator", "指標名", 36, "data_wrap", None),
        ("unit", "単位", 8, "data_text", None),
        ("year_text", "年度", 12, "data_text", None),
        ("pending_text", "前回", 8, "data_text", None),
        ("new_value", "値", 12, "data_number", None),
        ("progress", "進捗率", 9, "data_rate", None),
        ("new_source", "出典", 30, "data_wrap", None),
    ),
    "kpis": (
        _ACTION,
        ("key", "KPI ID", 15, "data_text", None),
        ("name", "指標名", 36, "data_wrap", None),
        ("field", "項目", 12, "data_text", None),
        ("old", "旧", 40, "data_wrap", "new"),
        ("new", "新", 40, "data_wrap", "old"),
    ),
    "projects": (
        _ACTION,
        ("key", "プロジェクトID", 14, "data_text", None),
        ("name", "プロジェクト名", 26, "data_wrap", None),
        ("field", "項目", 12, "data_text", None),
        ("old", "旧", 52, "data_wrap", "new"),
        ("new", "新", 52, "data_wrap", "old"),
    ),
    "measures": (
        _ACTION,
        ("project_id", "プロジェクトID", 14, "data_text", None),
        ("name", "施策名", 40, "data_wrap", None),
        ("field", "項目", 10, "data_text", None),
        ("old", "旧", 36, "data_wrap", "new"),
        ("new", "新", 36, "data_wrap", "old"),
    ),
    "initiatives": (
        _ACTION,
        ("change_label", "種別", 6, "data_text", None),
        ("project_id", "プロジェクトID", 14, "data_wrap", None),
        ("old_section", "旧の区分", 9, "data_text", "new_section"),
        ("new_section", "新の区分", 9, "data_text", "old_section"),
        ("old_heading", "旧の見出し", 16, "data_wrap", "new_heading"),
        ("new_heading", "新の見出し", 16, "data_wrap", "old_heading"),
        ("old_text", "旧の内容", 34, "data_wrap", "new_text"),
        ("new_text", "新の内容", 34, "data_wrap", "old_text"),
        ("old_tags", "旧のタグ", 13, "data_wrap", "new_tags"),
        ("new_tags", "新のタグ", 13, "data_wrap", "old_tags"),
        ("similarity", "類似度", 7, "percent", None),
        ("old_source", "旧の出典", 17, "data_wrap", None),
        ("new_source", "新の出典", 17, "data_wrap", None),
    ),
    "rolled_off": (
        _ACTION,
        ("change_label", "種別", 8, "data_text", None),
        ("project_id", "プロジェクトID", 14, "data_wrap", None),
        ("old_section", "区分", 7, "data_text", None),
        ("old_heading", "見出し", 26, "data_wrap", None),
        ("old_text", "内容", 70, "data_wrap", None),
        ("old_tags", "タグ", 18, "data_wrap", None),
        ("old_source", "出典", 24, "data_wrap", None),
    ),
}
# Columns kept in view when scrolling right: the action and what identifies the row.
FROZEN_COLUMNS = {"revisions": 2, "actuals": 2, "kpis": 2, "projects": 2, "measures": 2, "initiatives": 3,
                  "rolled_off": 3}
RICH_PAIRS = {("old_text", "new_text"), ("old", "new")}   # sentences shown with marked characters
RICH_MIN_CHARS = 12   # shorter values (a number, a unit) are plainly old and new, not character-marked
_NUMBER_STYLES = ("data_number", "data_rate", "delta", "percent", "data_int")



def _fill(action: str, value_changed: bool) -> str | None:
    if action == ACTIONS["added"]:
        return "added"
    if action == ACTIONS["removed"]:
        return "removed"
    return "changed" if value_changed else None


def _write_cell(ws, fmt: Formats, row: int, col: int, value, style: str, fill: str | None,
                rich: list[tuple[str, str]] | None) -> None:
    cell = fmt(style, fill, **value_format(style, value))
    if is_empty(value):
        ws.write_blank(row, col, None, cell)
    elif style in _NUMBER_STYLES and not isinstance(value, str):
        ws.write_number(row, col, float(value), cell)
    elif rich and len([s for s in rich if s[1]]) > 1:
        parts = []
        for op, text in rich:
            if text:
                parts += [fmt(f"char_{op}"), text]
        ws.write_rich_string(row, col, *parts, cell)
    else:
        text = str(value)
        ws.write_string(row, col, text, fmt.text(style, text, fill))


def _write_kind_sheet(ws, fmt: Formats, kind: str, frame: pd.DataFrame, title: str) -> None:
    columns = COLUMNS[kind]
    for col, (_, header, width, _, _) in enumerate(columns):
        ws.set_column(col, col, width)
        ws.write_string(0, col, header, fmt("data_head", text_wrap=True))
    ws.set_row(0, row_height([(c[1], c[2]) for c in columns]))
    rows = display_rows(kind, frame)
    for r, row in enumerate(rows, start=1):
        heights = []
        for col, (name, _, width, style, pair) in enumerate(columns):
            value = row.get(name)
            changed = pair is not None and row["action"] == ACTIONS["changed"] and \
                not _same_cell(value, row.get(pair))
            rich = None
            if changed and ((name, pair) in RICH_PAIRS or (pair, name) in RICH_PAIRS) \
                    and max(len(str(value or "")), len(str(row[pair] or ""))) >= RICH_MIN_CHARS:
                old, new = (value, row[pair]) if name.startswith("old") else (row[pair], value)
                segments = char_changes(str(old or ""), str(new or ""))
                side = "delete" if name.startswith("old") else "insert"
                rich = [(op, text) for op, text in segments if op in ("equal", side)]
            _write_cell(ws, fmt, r, col, value, style, _fill(row["action"], changed), rich)
            if style == "data_wrap" and not is_empty(value):
                heights.append((str(value), width))
        ws.set_row(r, row_height(heights) if heights else None)
    last = max(len(rows), 1)
    ws.freeze_panes(1, FROZEN_COLUMNS[kind])
    ws.autofilter(0, 0, last, len(columns) - 1)
    page_setup(ws, last_row=last, last_col=len(columns) - 1, repeat=(0, 0), left=title, right="")


def _same_cell(a, b) -> bool:
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    return a == b


def write_diff_workbook(d: Diff, path: Path, *, old_sha: str, new_sha: str,
                        created: dt.datetime | None, checks: dict | None = None) -> None:
    """Write 差分_<OLD>_<NEW>.xlsx to `path` in one step (built in memory, then atomic.write_file:
    the same mode as every other output, errors naming `path`, never a temporary file);
    `checks` ({旧|新: verify.Check}) are shown on 概要.  A kind without changes has no sheet."""
    buffer = io.BytesIO()
    workbook = open_workbook(buffer)
    title = f"{TITLE}　{d.old_year}→{d.new_year}"
    workbook.set_properties({"title": title, "created": created_property(created)})
    fmt = Formats(workbook)
    write_summary_sheet(workbook.add_worksheet(SUMMARY_SHEET), fmt, d, old_sha=old_sha, new_sha=new_sha,
                        title=title, legend=LEGEND, checks=checks)
    for kind, _, sheet in KINDS:
        if len(getattr(d, kind)):
            _write_kind_sheet(workbook.add_worksheet(sheet), fmt, kind, getattr(d, kind), f"{sheet}　{title}")
    workbook.close()
    write_file(path, buffer.getvalue())
