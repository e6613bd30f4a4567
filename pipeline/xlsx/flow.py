"""Rows described first, paginated (pages.py), then written: how a printed sheet is laid out.

A block of a sheet (a list, the KPI table, the charts) gives its rows as `Row`s: the
height, how the planner may break around it, the rows to repeat before it when it
starts a page (its section heading with 「（続き）」), and a `draw` that writes its
cells.  `write_flow` plans the pages and writes every row at its place, with a manual
page break before each page and the planned height of each row.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from .. import styles as S
from . import labels as L
from .pages import Line, Plan, paginate

# draw(sheet, row, height, cut): write the row's cells at `row`, `height` points tall (as
# planned); `cut` holds "top" for the first row of a printed page and "bottom" for the
# last, so that a box drawn across a page break is closed on both pages.
Draw = Callable[[object, int, float, frozenset], None]


@dataclass(frozen=True)
class Row:
    """One sheet row to be placed by the planner."""

    height: float
    draw: Draw
    keep: bool = False                  # never the last row of a page (a heading)
    resume: tuple = ()                  # Rows written before this one when it starts a page
    min_height: float | None = None     # may shrink to fill the rest of a page (a chart row)

    def line(self) -> Line:
        return Line(self.height, self.keep, sum(r.height for r in self.resume), self.min_height)


def plan_rows(rows: Sequence[Row], capacity: float) -> Plan:
    """The page plan of `rows` (pages.paginate over their lines)."""
    return paginate([r.line() for r in rows], capacity)


def write_flow(sheet, rows: Sequence[Row], capacity: float) -> Plan:
    """Write `rows` from sheet.row on, paginated for pages of `capacity` points.

    Sets each row's planned height and the sheet's manual page breaks; returns the plan.
    """
    plan = plan_rows(rows, capacity)
    starts = set(plan.starts)
    page_ends = {start - 1 for start in plan.starts}
    breaks = []
    for index, row in enumerate(rows):
        if index in starts:
            breaks.append(sheet.row)
        if index in plan.resumed:
            for extra in row.resume:
                _put(sheet, extra, extra.height, frozenset())
        cut = ({"top"} if index in starts else set()) | ({"bottom"} if index in page_ends else set())
        _put(sheet, row, plan.heights[index], frozenset(cut))
    if breaks:
        sheet.ws.set_h_pagebreaks(breaks)
    return plan


def _put(sheet, row: Row, height: float, cut: frozenset) -> None:
    row.draw(sheet, sheet.row, height, cut)
    sheet.ws.set_row(sheet.row, height)
    sheet.row += 1


def nothing(sheet, row: int, height: float, cut: frozenset) -> None:
    """The draw of a row that only takes room (a spacer)."""


def spacer_row() -> Row:
    """A thin empty row between blocks."""
    return Row(S.SPACER_HEIGHT, nothing)


def section_row(text: str, *, keep: bool = True) -> Row:
    """A 【…】 heading across the sheet (kept with what follows)."""
    def draw(sheet, row: int, height: float, cut: frozenset) -> None:
        sheet.put(row, 0, sheet.grid.last, text, "section")
    return Row(S.SECTION_ROW_HEIGHT, draw, keep=keep)


def continued(text: str) -> str:
    """A heading repeated on a continuation page: 「…（続き）」."""
    return L.CONTINUED.format(heading=text)


def edges_at(edges: dict, cut: frozenset) -> dict:
    """Box edges of a row, closed where a page break cuts the box."""
    out = dict(edges)
    for side in cut:
        out[side] = 1
    return out
