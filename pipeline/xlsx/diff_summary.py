"""概要, the first sheet of the 差分 workbook: what was compared, the check of each book,
the counts as a table (種類・件数・シート), the kinds without a sheet, the legend.

Three columns: the label, the count (right-aligned, so the counts line up) and the sheet
that lists the changes; the other rows' values span the last two.  Fits one page.
"""
from __future__ import annotations

from schemas.eras import long_title

from .. import styles as S
from ..diff import ACTIONS, Diff
from ..diff_render import KINDS, NO_DIFFERENCE, TITLE, check_cell, counts, empty_kinds_line, reversed_note
from .cells import Formats, page_setup
from .layout import row_height

SUMMARY_SHEET = "概要"
KEY_WIDTH = 56
COUNT_WIDTH = 8
VALUE_WIDTH = 82
COUNT_HEADERS = ("種類", "件数", "シート")
NO_SHEET = "—"
LEGEND_FILLS = {ACTIONS["added"]: "added", ACTIONS["removed"]: "removed", ACTIONS["changed"]: "changed"}


def _meta_rows(d: Diff, old_sha: str, new_sha: str, checks: dict | None) -> list[tuple[str, str, bool]]:
    """(key, value, whether the value needs the reader's attention) per row."""
    rows = [
        ("旧（比較元）", f"{d.old_label}　{long_title(d.old_year)}", False),
        ("旧の SHA-256", old_sha, False),
        ("新（比較先）", f"{d.new_label}　{long_title(d.new_year)}", False),
        ("新の SHA-256", new_sha, False),
        ("結果", "差分があります" if d.changed else NO_DIFFERENCE, False),
    ]
    if reversed_note(d):
        rows.append(("注意", reversed_note(d), True))
    for side, check in (checks or {}).items():
        rows.append((f"{side}の検査（表示シート）", check_cell(check), not check.ok))
    return rows


def _wide(ws, fmt: Formats, row: int, key: str, value: str, *, fill: str | None = None,
          alert: bool = False) -> None:
    """A key in A and a value across B:C (filled as changed when `alert`), as high as needed."""
    ws.write_string(row, 0, key, fmt("meta_key", fill))
    value_fill = "changed" if alert else None
    ws.merge_range(row, 1, row, 2, "", fmt("meta_value", value_fill))
    ws.write_string(row, 1, value, fmt.text("meta_value", value, value_fill))
    ws.set_row(row, row_height([(value, COUNT_WIDTH + VALUE_WIDTH), (key, KEY_WIDTH)]))


def _section(ws, fmt: Formats, row: int, text: str) -> int:
    ws.write_string(row, 0, text, fmt("meta_section"))
    ws.set_row(row, S.SECTION_ROW_HEIGHT)
    return row + 1


def _count_table(ws, fmt: Formats, row: int, d: Diff) -> int:
    sheets = {kind: sheet for kind, _, sheet in KINDS}
    for col, header in enumerate(COUNT_HEADERS):
        ws.write_string(row, col, header, fmt("data_head"))
    row += 1
    for label, count, kind in counts(d):
        ws.write_string(row, 0, label, fmt("data_wrap"))
        ws.write_number(row, 1, count, fmt("data_int", align="right", indent=1))
        ws.write_string(row, 2, sheets[kind] if kind and count else NO_SHEET, fmt("data_text", indent=1))
        ws.set_row(row, row_height([(label, KEY_WIDTH)]))
        row += 1
    line = empty_kinds_line(d)
    if line:
        ws.merge_range(row, 0, row, 2, "", fmt("note", text_wrap=False))
        ws.write_string(row, 0, line, fmt("note", text_wrap=False))
        row += 1
    return row


def write_summary_sheet(ws, fmt: Formats, d: Diff, *, old_sha: str, new_sha: str, title: str,
                        legend: tuple, checks: dict | None = None) -> None:
    """概要 (see the module doc); `legend` is (action, meaning) per row, `checks` {旧|新: Check}."""
    for col, width in enumerate((KEY_WIDTH, COUNT_WIDTH, VALUE_WIDTH)):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, TITLE, fmt("meta_title"))
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    row = 2
    for key, value, alert in _meta_rows(d, old_sha, new_sha, checks):
        _wide(ws, fmt, row, key, value, alert=alert)
        row += 1
    row = _section(ws, fmt, row + 1, "件数")
    row = _count_table(ws, fmt, row, d)
    row = _section(ws, fmt, row + 1, "凡例（各シートの「操作」列）")
    for action, meaning in legend:
        _wide(ws, fmt, row, action, meaning, fill=LEGEND_FILLS.get(action))
        row += 1
    page_setup(ws, last_row=row - 1, last_col=2, repeat=None, left=title, right="")
    ws.fit_to_pages(1, 1)  # the summary is one page
