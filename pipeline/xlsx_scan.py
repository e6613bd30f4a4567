"""Streaming scanners of an xlsx's XML (expat handlers), used by pipeline/xlsx_guard.py.

SheetScan follows a worksheet as calamine will read it: `<row r>` (or the next row),
`<c r>` (or the next column of the row when `r` is missing), so the farthest cell is the
one calamine will allocate up to; `<dimension ref>` is checked too.  Characters are counted
in `<v>` and `<t>` of each cell, not in phonetic `<rPh>` runs (furigana); a shared-string
cell is judged by the length StringsScan found for its index.  Each raises LimitExceeded
at the first limit exceeded, naming the sheet and the cell.
"""
from __future__ import annotations

import re

from schemas.limits import LimitExceeded, Limits

from .errors import column_letter

_CELL = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,9})$")
CORRUPT = "Excel ファイル（.xlsx）として読めません（壊れているか、別の形式のファイルです）"


class BadXlsx(Exception):
    """Not readable as an xlsx: the Japanese reason (corrupt, encrypted, another format …)."""

    def __init__(self, reason: str, sheet: str = ""):
        super().__init__(reason)
        self.reason, self.sheet = reason, sheet


def broken_part(part: str) -> BadXlsx:
    return BadXlsx(f"Excel ファイル（.xlsx）として読めません（中の「{part}」が壊れています）")


def local_name(name: str) -> str:
    """`x:c` → `c` (parsers run without namespace processing; Excel writes no prefix, others may)."""
    return name.rpartition(":")[2]


def cell_position(ref: str) -> tuple[int, int]:
    """`D5` → (row 5, column 4), both from 1; raises ValueError for anything else."""
    m = _CELL.match(ref)
    if not m:
        raise ValueError(ref)
    column = 0
    for letter in m.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(m.group(2)), column


class XmlBudget:
    """XML elements and text characters met so far in one file (xml_elements, text_chars)."""

    def __init__(self, limits: Limits):
        self.limit, self.count = limits.xml_elements, 0
        self.text_limit, self.chars = limits.text_chars, 0

    def text(self, count: int) -> None:
        self.chars += count
        if self.chars > self.text_limit.value:
            raise LimitExceeded(self.text_limit.message(self.text_limit.show(self.chars)))

    def element(self) -> None:
        self.count += 1
        if self.count > self.limit.value:
            self.exceeded()

    def exceeded(self) -> None:
        raise LimitExceeded(self.limit.message(self.limit.show(self.count)))


class StringsScan:
    """sharedStrings.xml: the characters of each string (phonetic <rPh> runs not counted)."""

    def __init__(self, limits: Limits, budget: XmlBudget, overlong: dict):
        self.limit, self.budget, self.overlong = limits.cell_chars.value, budget, overlong
        self.index, self.chars, self.in_text, self.phonetic = -1, 0, False, 0

    def start(self, name, attrs):
        self.budget.element()
        local = local_name(name)
        if local == "si":
            self.index, self.chars = self.index + 1, 0
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t" and not self.phonetic:
            self.in_text = True

    def end(self, name):
        local = local_name(name)
        if local == "t":
            self.in_text = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "si" and self.chars > self.limit:
            self.overlong[self.index] = self.chars

    def text(self, data):
        if self.in_text:
            self.chars += len(data)
            self.budget.text(len(data))


class SheetScan:
    """One worksheet part: dimension, cell positions and count, characters per cell.

    Written for speed (it runs for every cell of every sheet read): plain attributes
    instead of lookups, one branch per element name, characters counted only in the
    cells that hold text (inline strings, formula strings, shared strings when one is
    over the limit).
    """

    def __init__(self, sheet: str, limits: Limits, budget: XmlBudget, overlong: dict):
        self.sheet, self.limits, self.budget, self.overlong = sheet, limits, budget, overlong
        self.rows, self.columns = limits.rows.value, limits.columns.value
        self.cell_limit, self.char_limit = limits.cells.value, limits.cell_chars.value
        self.row = self.column = self.max_row = self.max_column = self.cells = 0
        self.shared = self.in_cell = self.in_text = self.counting = False
        self.phonetic, self.chars, self.value, self.letters = 0, 0, [], {}

    def _exceeded(self, limit, found: str, row: int = 0, column: int = 0) -> LimitExceeded:
        return LimitExceeded(limit.message(found), self.sheet, row, column_letter(column - 1) if column else "")

    def _place(self, row: int, column: int, what: str = "") -> None:
        """Check a cell's position (where = row, column) or the dimension's far corner (`what`)."""
        limits = self.limits
        where = (0, 0) if what else (row, column)
        if row > self.rows:
            raise self._exceeded(limits.rows, f"{what}{row:,} 行目", *where)
        if column > self.columns:
            raise self._exceeded(limits.columns, f"{what}{column:,} 列目", *where)
        self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
        area = self.max_row * self.max_column
        if area > self.cell_limit:
            raise self._exceeded(limits.cells, f"{what}A1 からここまで {area:,} セル", *where)

    def start(self, name, attrs):
        budget = self.budget
        budget.count += 1
        if budget.count > budget.limit.value:
            budget.exceeded()
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            self._cell(attrs)
        elif name == "v" or name == "t":
            self.in_text = self.in_cell and not self.phonetic
        elif name == "row":
            number = attrs.get("r", "")
            self.row, self.column = (int(number) if number.isdigit() else self.row + 1), 0
        elif name == "rPh":
            self.phonetic += 1
        elif name == "dimension":
            self._dimension(attrs.get("ref", ""))

    def _cell(self, attrs) -> None:
        ref = attrs.get("r")
        if ref:
            match = _CELL.match(ref)
            if match is None:
                raise broken_part(f"シート「{self.sheet}」")
            letters, digits = match.groups()
            column = self.letters.get(letters)
            if column is None:
                column = self.letters[letters] = cell_position("%s1" % letters)[1]
            self.row, self.column = int(digits), column
        else:  # calamine counts on: the next column of the current row
            self.row, self.column = max(self.row, 1), self.column + 1
        self.cells += 1
        if self.cells > self.cell_limit:
            raise self._exceeded(self.limits.cells, f"{self.cells:,} 個目のセル", self.row, self.column)
        if self.row > self.max_row or self.column > self.max_column:
            self._place(self.row, self.column)
        kind = attrs.get("t")
        self.shared = kind == "s" and bool(self.overlong)
        self.counting = self.shared or kind == "inlineStr" or kind == "str"
        self.in_cell, self.chars, self.value = True, 0, []

    def _dimension(self, ref: str) -> None:
        try:
            row, column = cell_position(ref.split(":")[-1])
        except ValueError:
            return  # calamine ignores the dimension; a malformed one is harmless
        self._place(row, column, f"シートの範囲（dimension）が {ref} で ")
        self.max_row = self.max_column = 0  # the dimension is checked, not counted as cells

    def end(self, name):
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "v" or name == "t":
            self.in_text = False
        elif name == "c":
            self.in_cell = False
            if self.shared:
                index = "".join(self.value).strip()
                if index.isdigit() and int(index) in self.overlong:
                    self._too_long(self.overlong[int(index)])
        elif name == "rPh":
            self.phonetic -= 1

    def text(self, data):
        if not (self.in_text and self.counting):
            return
        if self.shared:
            self.value.append(data)
            return
        self.chars += len(data)
        if self.chars > self.char_limit:
            self._too_long(self.chars)
        self.budget.text(len(data))

    def _too_long(self, chars: int) -> None:
        raise self._exceeded(self.limits.cell_chars, f"{chars:,} 文字以上", self.row, self.column)
