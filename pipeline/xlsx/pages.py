"""Page planning: which rows of a printed sheet go on which page, given their heights.

Pure.  A sheet writer (project_sheet.py, overview.py) first describes its rows as
`Line`s, asks `paginate` for a `Plan`, then writes the rows with a manual page break
before the first line of every page, the continuation heading (「…（続き）」) before a
line the plan `resumed`, and the planned height of every line (a shrinkable chart row
may come out smaller).  The print scale is fixed (`print_scale`), not "fit to width":
Excel ignores manual page breaks under fit-to-page, and a fixed scale is what makes
the capacity of a page known in advance (`page_capacity`).

Rules, applied to the lines in order:
- a `keep` line (a heading) is never the last line of a page: it goes with the next
  line; a run of keep lines and the line ending it form a group, placed as one;
- a group that fits in the rest of the page goes there;
- a group with a shrinkable line (`min_height`: a chart row) that does not fit is
  shrunk to fill the rest of the page when it can be, so that no page is left half
  empty before a chart;
- otherwise the group starts a new page, after the continuation heading of its first
  line (`resume`: the height of the rows the writer repeats there; 0 = none, the line
  starts a section itself);
- a group taller than a whole page is split between its lines, still never after a
  keep line when that can be avoided.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from .. import styles as S

_EPS = 1e-6


@dataclass(frozen=True)
class Line:
    """One row to place: its height (points) and how it may be broken."""

    height: float
    keep: bool = False                 # never the last line of a page (a heading)
    resume: float = 0.0                # height of the continuation heading written before it on a new page
    min_height: float | None = None    # may shrink down to this to fill the rest of a page


@dataclass(frozen=True)
class Plan:
    """Where the pages start and the final height of every line."""

    starts: tuple[int, ...]        # the first line of every page after the first
    heights: tuple[float, ...]     # planned height of every line
    resumed: frozenset             # lines preceded by their continuation heading (a subset of starts)

    def pages(self, count: int) -> list[range]:
        """The lines of each page, as ranges over 0 … count-1."""
        bounds = [0, *self.starts, count]
        return [range(a, b) for a, b in zip(bounds, bounds[1:])]


def groups(lines: Sequence[Line]) -> list[list[int]]:
    """Indexes of the lines, in runs that stay together (keep lines with the line after)."""
    out: list[list[int]] = []
    current: list[int] = []
    for index, line in enumerate(lines):
        current.append(index)
        if not line.keep:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


class _Pager:
    """The page being filled while planning."""

    def __init__(self, lines: Sequence[Line], capacity: float):
        self.lines = lines
        self.capacity = capacity
        self.heights = [float(line.height) for line in lines]
        self.starts: list[int] = []
        self.resumed: set[int] = set()
        self.used = 0.0
        self.empty = True   # nothing but a continuation heading on the page yet

    def size(self, group: list[int]) -> float:
        return sum(self.heights[i] for i in group)

    def put(self, group: list[int]) -> None:
        self.used += self.size(group)
        self.empty = False

    def new_page(self, first: int) -> None:
        self.starts.append(first)
        resume = self.lines[first].resume
        if resume > 0:
            self.resumed.add(first)
        self.used = resume
        self.empty = True

    def fits(self, height: float) -> bool:
        return self.used + height <= self.capacity + _EPS

    def shrink_to_fit(self, group: list[int]) -> bool:
        """Shrink the group's shrinkable lines (down to their minimum) so that it fits."""
        flexible = [i for i in group if self.lines[i].min_height is not None]
        if not flexible:
            return False
        excess = self.used + self.size(group) - self.capacity
        room = sum(self.heights[i] - min(self.lines[i].min_height, self.heights[i]) for i in flexible)
        if excess > room + _EPS:
            return False
        for i in flexible:
            take = min(excess, self.heights[i] - min(self.lines[i].min_height, self.heights[i]))
            self.heights[i] = math.floor((self.heights[i] - take) * 4) / 4  # quarter points, like row heights
            excess -= take
        return True

    def split(self, group: list[int]) -> None:
        """Place a group taller than a page line by line, not breaking after a keep line if avoidable."""
        for position, index in enumerate(group):
            if self.empty or self.fits(self.heights[index]):
                self.put([index])
                continue
            take = [index]
            previous = group[position - 1] if position else None
            page_first = self.starts[-1] if self.starts else 0
            if previous is not None and self.lines[previous].keep and previous != page_first:
                take = [previous, index]  # the heading moves along to the new page
            self.new_page(take[0])
            self.put(take)


def paginate(lines: Sequence[Line], capacity: float) -> Plan:
    """Plan the pages of `lines` for pages holding `capacity` points of rows (see the module)."""
    pager = _Pager(lines, capacity)
    for group in groups(lines):
        size = pager.size(group)
        if pager.fits(size):
            pager.put(group)
            continue
        if not pager.empty and pager.shrink_to_fit(group):
            pager.put(group)
            continue
        if not pager.empty:
            pager.new_page(group[0])
            if pager.fits(size) or pager.shrink_to_fit(group):
                pager.put(group)
                continue
        pager.split(group)
    return Plan(tuple(pager.starts), tuple(pager.heights), frozenset(pager.resumed))


# --- the printed page ------------------------------------------------------------------

def column_pixels(width: float) -> int:
    """Pixels of a column `width` units wide as Excel draws it (7 px a unit + 5 px padding)."""
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def print_scale(widths: Sequence[float]) -> int:
    """The largest whole print scale (%) at which columns of `widths` fit one A4 landscape
    page wide, less WIDTH_SLACK for what a client draws wider; at most 100."""
    points = sum(column_pixels(w) for w in widths) * 0.75
    usable = S.PAGE_WIDTH_PT - (S.MARGINS["left"] + S.MARGINS["right"]) * 72
    return max(10, min(100, math.floor(usable * (1 - S.WIDTH_SLACK) / points * 100)))


def page_capacity(scale: int, repeated: float = 0.0) -> float:
    """Points of sheet rows one page holds at `scale` %, besides the `repeated` title rows,
    less HEIGHT_SLACK for what a client draws taller."""
    usable = S.PAGE_HEIGHT_PT - (S.MARGINS["top"] + S.MARGINS["bottom"]) * 72
    return usable * 100 / scale * (1 - S.HEIGHT_SLACK) - repeated
