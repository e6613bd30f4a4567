"""差分_<OLD>_<NEW>.xlsx: the Diff as a workbook an auditor can filter and print.

A 概要 sheet (the two workbooks compared, counts, legend) and a sheet per kind of
change, old and new side by side.  Column A is daff's action (+++ added, --- removed,
-> changed); changed cells are filled, added rows green, removed rows red, and inside
an edited sentence the removed characters are struck through in red and the inserted
ones blue, bold and underlined.  Same diff, same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import xlsxwriter

from schemas.cells import is_empty
from schemas.eras import long_title

from .. import styles as S
from ..diff import ACTIONS, Diff, char_changes
from ..diff_render import KINDS, NO_DIFFERENCE, TITLE, counts, display_rows
from ..atomic import write_file
from .cells import WORKBOOK_OPTIONS, Formats, created_property, page_setup, value_format, without_creation_time
from .layout import row_height

SUMMARY_SHEET = "概要"
SUMMARY_KEY_WIDTH = 54
SUMMARY_VALUE_WIDTH = 90
LEGEND = (
    ("+++", "追加（行を緑色で表示）"),
    ("---", "削除（行を赤色で表示）"),
    ("->", "変更・繰越（変わったセルを黄色・太字・太枠で表示。文中の削除文字は赤の取消線、追加文字は青の太字下線）"),
)
NOTHING = "変更はありません"

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
}
# Columns kept in view when scrolling right: the action and what identifies the row.
FROZEN_COLUMNS = {"revisions": 2, "actuals": 2, "kpis": 2, "projects": 2, "measures": 2, "initiatives": 3}
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
    if not rows:
        ws.merge_range(1, 0, 1, len(columns) - 1, NOTHING, fmt("data_text"))
    ws.freeze_panes(1, FROZEN_COLUMNS[kind])
    ws.autofilter(0, 0, last, len(columns) - 1)
    page_setup(ws, last_row=last, last_col=len(columns) - 1, repeat=(0, 0), left=title, right="")


def _same_cell(a, b) -> bool:
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    return a == b


def _write_summary_sheet(ws, fmt: Formats, d: Diff, old_sha: str, new_sha: str, title: str) -> None:
    ws.set_column(0, 0, SUMMARY_KEY_WIDTH)
    ws.set_column(1, 1, SUMMARY_VALUE_WIDTH)
    ws.write_string(0, 0, TITLE, fmt("meta_title"))
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    meta = [
        ("旧（比較元）", f"{d.old_label}　{long_title(d.old_year)}"),
        ("旧の SHA-256", old_sha),
        ("新（比較先）", f"{d.new_label}　{long_title(d.new_year)}"),
        ("新の SHA-256", new_sha),
        ("結果", "差分があります" if d.changed else NO_DIFFERENCE),
    ]
    row = 2
    for key, value in meta:
        ws.write_string(row, 0, key, fmt("meta_key"))
        ws.write_string(row, 1, value, fmt("meta_value"))
        ws.set_row(row, row_height([(value, SUMMARY_VALUE_WIDTH)]))
        row += 1
    row += 1
    ws.write_string(row, 0, "件数", fmt("meta_section"))
    ws.set_row(row, S.SECTION_ROW_HEIGHT)
    row += 1
    for label, count in counts(d):
        ws.write_string(row, 0, label, fmt("meta_key", text_wrap=True))
        ws.write_number(row, 1, count, fmt("count", align="left"))
        ws.set_row(row, row_height([(label, SUMMARY_KEY_WIDTH)]))
        row += 1
    row += 1
    ws.write_string(row, 0, "凡例（各シートの「操作」列）", fmt("meta_section"))
    ws.set_row(row, S.SECTION_ROW_HEIGHT)
    row += 1
    for action, meaning in LEGEND:
        fill = {"+++": "added", "---": "removed", "->": "changed"}[action]
        ws.write_string(row, 0, action, fmt("meta_value", fill))
        ws.write_string(row, 1, meaning, fmt("meta_value"))
        ws.set_row(row, row_height([(meaning, SUMMARY_VALUE_WIDTH)]))
        row += 1
    page_setup(ws, last_row=row - 1, last_col=1, repeat=None, left=title, right="")
    ws.fit_to_pages(1, 1)  # the summary is one page


def write_diff_workbook(d: Diff, path: Path, *, old_sha: str, new_sha: str,
                        created: dt.datetime | None) -> None:
    """Write 差分_<OLD>_<NEW>.xlsx to `path` in one step (built in memory, then atomic.write_file:
    the same mode as every other output, errors naming `path`, never a temporary file)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, dict(WORKBOOK_OPTIONS))
    title = f"{TITLE}　{d.old_year}→{d.new_year}"
    workbook.set_properties({"title": title, "created": created_property(created)})
    fmt = Formats(workbook)
    _write_summary_sheet(workbook.add_worksheet(SUMMARY_SHEET), fmt, d, old_sha, new_sha, title)
    for kind, _, sheet in KINDS:
        _write_kind_sheet(workbook.add_worksheet(sheet), fmt, kind, getattr(d, kind), f"{sheet}　{title}")
    workbook.close()
    data = buffer.getvalue()
    write_file(path, without_creation_time(data) if created is None else data)
