"""The printed pages of a written sheet, worked out from the file alone (openpyxl).

Independent of pipeline/xlsx/pages.py: the page height comes from the A4 size, the
sheet's own margins and print scale, the rows from the sheet's manual page breaks and
row heights, the repeated rows from its print titles.
"""
from __future__ import annotations

import re

A4_SHORT_SIDE_PT = 595.28
SECTION_HEADS = ("【", "これまでの主な取組実績", "今年度の主な取組", "次年度の取組", "グラフの数値")
LIST_HEADS = ("■", "○")
CHART_ROW_MIN = 150   # points: a row this tall without text holds charts


def page_rows(ws) -> list[list[int]]:
    """The 1-based rows of each printed page below the repeated title rows."""
    first, last = _title_rows(ws)
    start = last + 1 if last else 1
    bounds = sorted(b.id for b in ws.row_breaks.brk)  # a break after row id (1-based)
    pages, row = [], start
    for stop in [*bounds, ws.max_row]:
        if stop >= row:
            pages.append(list(range(row, stop + 1)))
            row = stop + 1
    return pages


def _title_rows(ws) -> tuple[int, int]:
    titles = ws.print_title_rows or ""
    match = re.match(r"\$?(\d+):\$?(\d+)", titles)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def capacity(ws) -> float:
    """Points of rows a page holds besides the repeated title rows, at the sheet's scale."""
    margins = ws.page_margins
    usable = A4_SHORT_SIDE_PT - (margins.top + margins.bottom) * 72
    first, last = _title_rows(ws)
    repeated = sum(ws.row_dimensions[r].height or 15 for r in range(first, last + 1)) if last else 0
    return usable * 100 / ws.page_setup.scale - repeated


def texts(ws, row: int) -> list[str]:
    return [str(c.value) for c in ws[row] if isinstance(c.value, str) and c.value.strip()]


def is_heading(ws, row: int) -> bool:
    """A 【…】 heading, a band over a list, a ■/○ heading, or a 「グラフの数値」 header."""
    return any(t.startswith(SECTION_HEADS + LIST_HEADS) for t in texts(ws, row))


def starts_with_heading(ws, rows: list[int]) -> bool:
    """The first row of the page that has text is a section heading (【…】, a band, グラフの数値)."""
    for row in rows:
        found = texts(ws, row)
        if found:
            return found[0].startswith(SECTION_HEADS)
    return True


def ends_with_heading(ws, rows: list[int]) -> bool:
    """The last row of the page that has text or a chart (a row too tall for text) is a heading."""
    for row in reversed(rows):
        if texts(ws, row) or (ws.row_dimensions[row].height or 0) >= CHART_ROW_MIN:
            return is_heading(ws, row)
    return False


def used(ws, rows: list[int]) -> float:
    return sum(ws.row_dimensions[r].height or 15 for r in rows)
