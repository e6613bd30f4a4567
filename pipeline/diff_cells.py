"""The cells of the 差分 workbook's kind sheets, decided before anything is written.

For every row of a kind of change (display_rows): each cell's value, how it is written
(blank, number, string, or a rich string with the changed characters marked) and its
formats as (style, fill, number format / quote prefix) keys, and the row's height.
pipeline/xlsx/diff_book.py only writes what this says, in order; because rows do not
depend on each other, forked workers prepare them in chunks (CHUNK_ROWS, pipeline/diff_job.py)
while the book is written, and the bytes are the same as when one process does it all.

Data quirks handled: a changed value is filled on both sides of its old/new pair; an empty
cell and a missing value are the same (no change); a number in a number column is written
as a number, text that Excel would take for a formula (= + - @) gets a quote prefix; only
sentences of RICH_MIN_CHARS or more get their changed characters marked, and only when
more than one segment is left to show; a row of wrapped text is as high as its tallest cell.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

import pandas as pd

from schemas.cells import is_empty

from .diff import ACTIONS, Diff, char_changes
from .diff_render import KINDS, display_rows
from .xlsx.cells import needs_quote, value_format
from .xlsx.layout import row_height

CHUNK_ROWS = 2000   # rows a worker prepares at a time

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
NUMBER_STYLES = ("data_number", "data_rate", "delta", "percent", "data_int")


class SheetRow(NamedTuple):
    """One row of a kind sheet: its height (None: the default), how each cell is written and
    its value.  `layout` holds per column (how, format keys in the order the writer asks for
    them): how is blank, number, string (the last key is the one written with) or rich (the
    value is then ((char key, text), …)).  Few rows differ in layout, so each layout is one
    object (pickled once per chunk)."""

    height: float | None
    layout: tuple
    values: tuple


_KEYS: dict[tuple, tuple] = {}   # one object per key, per pair of keys and per layout: pickled once per chunk
_PLAIN_KEYS: dict[tuple, tuple] = {}   # (style, fill) → format_key(style, fill), the common case


def format_key(style: str, fill: str | None = None, **extra) -> tuple:
    """The key Formats caches a format under: (style, fill, extra properties sorted)."""
    key = (style, fill, tuple(sorted(extra.items())))
    return _KEYS.setdefault(key, key)


def _plain_key(style: str, fill_name: str | None) -> tuple:
    key = _PLAIN_KEYS.get((style, fill_name))
    if key is None:
        key = _PLAIN_KEYS[style, fill_name] = format_key(style, fill_name)
    return key


def fill(action: str, value_changed: bool) -> str | None:
    """Added rows green, removed rows red, a changed value yellow; nothing else."""
    if action == ACTIONS["added"]:
        return "added"
    if action == ACTIONS["removed"]:
        return "removed"
    return "changed" if value_changed else None


def same_cell(a, b) -> bool:
    """Old and new show the same: equal values, or both empty."""
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    return a == b


def cell(value, style: str, fill_name: str | None, rich: list[tuple[str, str]] | None) -> tuple:
    """(how, value, format keys) of one cell (see SheetRow)."""
    number_format = value_format(style, value)
    key = format_key(style, fill_name, **number_format) if number_format else _plain_key(style, fill_name)
    if is_empty(value):
        return ("blank", None, (key,))
    if style in NUMBER_STYLES and not isinstance(value, str):
        return ("number", float(value), (key,))
    if rich and len([s for s in rich if s[1]]) > 1:
        return ("rich", tuple((_plain_key(f"char_{op}", None), text) for op, text in rich if text), (key,))
    text = str(value)
    written = format_key(style, fill_name, quote_prefix=True) if needs_quote(text) else _plain_key(style, fill_name)
    return ("string", text, (key, written))


def _rich(name: str, value, other) -> list[tuple[str, str]] | None:
    """The segments one side of a changed sentence shows (equal and its own side's changes)."""
    old, new = (value, other) if name.startswith("old") else (other, value)
    segments = char_changes(str(old or ""), str(new or ""))
    side = "delete" if name.startswith("old") else "insert"
    return [(op, text) for op, text in segments if op in ("equal", side)]


def sheet_row(kind: str, row: dict) -> SheetRow:
    """The cells and height of one display row of a kind sheet."""
    heights, cells = [], []
    edited = row["action"] == ACTIONS["changed"]
    for name, _, width, style, pair in COLUMNS[kind]:
        value = row.get(name)
        changed = edited and pair is not None and not same_cell(value, row.get(pair))
        rich = None
        if changed and ((name, pair) in RICH_PAIRS or (pair, name) in RICH_PAIRS) \
                and max(len(str(value or "")), len(str(row[pair] or ""))) >= RICH_MIN_CHARS:
            rich = _rich(name, value, row[pair])
        cells.append(cell(value, style, fill(row["action"], changed), rich))
        if style == "data_wrap" and not is_empty(value):
            heights.append((str(value), width))
    layout = tuple(_KEYS.setdefault((how, keys), (how, keys)) for how, _, keys in cells)
    return SheetRow(row_height(heights) if heights else None, _KEYS.setdefault(layout, layout),
                    tuple(value for _, value, _ in cells))


def header_height(kind: str) -> float:
    """The height of a kind sheet's header row (the headers wrap in their columns)."""
    return row_height([(c[1], c[2]) for c in COLUMNS[kind]])


def chunk_plan(d: Diff, size: int | None = None) -> list[tuple[str, int, int]]:
    """(kind, first row, end) of every chunk of `size` rows (CHUNK_ROWS), the kinds in sheet
    order (only kinds with rows)."""
    size = size or CHUNK_ROWS
    return [(kind, start, min(start + size, len(getattr(d, kind))))
            for kind, _, _ in KINDS for start in range(0, len(getattr(d, kind)), size)]


def chunk_rows(d: Diff, kind: str, start: int, end: int) -> list[SheetRow]:
    """The SheetRows of rows start … end-1 of one kind."""
    frame: pd.DataFrame = getattr(d, kind)
    return [sheet_row(kind, row) for row in display_rows(kind, frame.iloc[start:end])]


def prepared_chunks(d: Diff, plan: list[tuple[str, int, int]], owners: list[int] | None = None, part: int = 0
                    ) -> Iterator[list[SheetRow]]:
    """The chunks of `plan` whose owner (owners[i], default: all 0) is `part`, in order."""
    for index, (kind, start, end) in enumerate(plan):
        if (owners[index] if owners else 0) == part:
            yield chunk_rows(d, kind, start, end)
