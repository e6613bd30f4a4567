"""Text layout of the workbook: how many lines a text takes in a cell, and row heights.

LibreOffice does not grow a row for wrapped text and Excel only does so on edit, so the
writer gives every text row an explicit height computed here.  The model: the body
font's column unit is one half-width character (pipeline/styles.py), widths come from
pipeline/textwidth.py, a line breaks greedily between tokens (a run of ASCII letters and
digits is one token) with kinsoku (、。」ー… never start a line: oidashi pulls the
previous character down), and WRAP_SAFETY leaves room for what the model misses.
Also the column grid of the project sheets (`project_grid`).
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from .. import styles as S
from ..textwidth import char_width, text_width

# Kinsoku: characters that may not start a line (they pull the previous character down).
_NO_LINE_START = set("、。，．,.）)」』】〕〉》］｝!?！？ー々ゝゞァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎ・：；:;%％")


_WORD_OR_CHAR = re.compile(r"[A-Za-z0-9]+|.", re.DOTALL)


@functools.lru_cache(maxsize=1 << 16)
def _token_width(token: str) -> int:
    return len(token) if len(token) > 1 or token.isascii() and token.isalnum() else char_width(token)


def _tokens(line: str) -> list[tuple[str, int]]:
    """Break opportunities: a run of ASCII letters/digits is one token, anything else one char
    (widths cached per token: a run lays out ~30,000 sentences of the same few thousand characters)."""
    tokens = _WORD_OR_CHAR.findall(line)
    return list(zip(tokens, map(_token_width, tokens)))


def _wrapped_lines(line: str, usable: float) -> int:
    """Lines one hard line takes when wrapped greedily into `usable` units."""
    if text_width(line) <= usable:  # the common case: it fits
        return 1
    lines, used = 1, 0.0
    previous = 0.0
    for token, width in _tokens(line):
        if used + width <= usable or used == 0:
            if width > usable and used == 0:  # a word longer than the line is split
                extra = math.ceil(width / usable) - 1
                lines += extra
                used = width - extra * usable
            else:
                used += width
            previous = width
            continue
        if token.isspace():  # a blank at the break disappears
            continue
        lines += 1
        if token[0] in _NO_LINE_START and previous < usable:
            used = previous + width  # oidashi: the previous character moves down too
        else:
            used = width
        previous = width
    return lines


# Every wrapped text of a run is laid out once per (text, width): the same sentence is
# measured again for the region's book and the whole-Hokkaido one, and a cell of a data
# sheet repeats across the years.  Bounded, so a long-lived process does not grow forever.
TEXT_LINES_CACHE = 1 << 15


@functools.lru_cache(maxsize=TEXT_LINES_CACHE)
def text_lines(text: str, width: float, *, font_size: float = S.FONT_SIZE, indent: int = 0) -> int:
    """Lines `text` takes in a wrapped cell `width` units wide (hard line breaks kept)."""
    scale = font_size / S.FONT_SIZE
    usable = (width - S.CELL_PAD_UNITS - indent * S.INDENT_UNITS) * S.WRAP_SAFETY / scale
    usable = max(usable, 2.0)
    return sum(_wrapped_lines(line, usable) for line in str(text).split("\n"))


def row_height(texts_and_widths: Iterable[Sequence]) -> float:
    """Height in points a row needs so that none of its wrapped cells is cut off.

    Each entry is (text, width) or (text, width, font_size) or (text, width, font_size,
    indent), width in column units (for a merged cell, the sum of its columns).
    CJK characters count twice as wide as ASCII.  Capped at Excel's 409 pt.
    """
    height = 0.0
    for entry in texts_and_widths:
        text, width = entry[0], float(entry[1])
        font_size = float(entry[2]) if len(entry) > 2 else S.FONT_SIZE
        indent = int(entry[3]) if len(entry) > 3 else 0
        lines = text_lines(str(text), width, font_size=font_size, indent=indent)
        height = max(height, lines * font_size * S.LINE_PITCH + S.CELL_PAD)
    if height == 0.0:
        height = S.FONT_SIZE * S.LINE_PITCH + S.CELL_PAD
    return min(math.ceil(height * 4) / 4, S.MAX_ROW_HEIGHT)


def paragraph_rows(text: str, width: float, font_size: float = S.FONT_SIZE, indent: int = 0) -> list[str]:
    """Split a long text into rows at line breaks so no row exceeds Excel's height limit."""
    if row_height([(text, width, font_size, indent)]) < S.MAX_ROW_HEIGHT:
        return [text]
    rows: list[str] = []
    for line in text.split("\n"):
        if rows and row_height([(rows[-1] + "\n" + line, width, font_size, indent)]) < S.MAX_ROW_HEIGHT:
            rows[-1] += "\n" + line
        else:
            rows.append(line)
    return rows



@dataclass(frozen=True)
class Grid:
    """Column widths of a project sheet; column A doubles as the KPI label column.

    `split` columns form the left half (実績), the rest the right half (課題); the
    year columns of the KPI table are columns 1 … n.
    """

    widths: tuple[float, ...]
    split: int

    @property
    def last(self) -> int:
        return len(self.widths) - 1

    def width(self, first: int, last: int) -> float:
        return sum(self.widths[first:last + 1])


def project_grid(year_columns: int) -> Grid:
    """Widths for a KPI label column plus `year_columns` equal year columns.

    The widths add up to SHEET_WIDTH and a column boundary falls exactly in the middle,
    so 実績 and 課題 get equal halves; among the possible splits the one whose label
    column is closest to KPI_LABEL_WIDTH wins.
    """
    n = max(int(year_columns), 1)
    half = S.SHEET_WIDTH / 2
    best: tuple[float, int, float, float] | None = None
    for m in range(0, n):  # m year columns in the left half
        year = half / (n - m)
        label = half - m * year
        if year < S.KPI_YEAR_MIN_WIDTH or label < 20:
            continue
        score = abs(label - S.KPI_LABEL_WIDTH)
        if best is None or score < best[0]:
            best = (score, m, label, year)
    if best is None:  # too many years for an exact half: keep the minimum width, split near half
        label = S.KPI_LABEL_WIDTH
        year = max(S.KPI_YEAR_MIN_WIDTH, (S.SHEET_WIDTH - label) / n)
        widths = (label,) + (year,) * n
        total, split, acc = sum(widths), 1, label
        while split < n and acc + year <= total / 2 + year / 2:
            acc += year
            split += 1
        return Grid(tuple(round(w, 2) for w in widths), split)
    _, m, label, year = best
    return Grid((round(label, 2),) + (round(year, 2),) * n, 1 + m)
