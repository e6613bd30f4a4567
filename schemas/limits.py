"""How much a run reads at most, and what it says when an input is larger: schemas/reference/limits.csv.

The limits are data (change the CSV, not the code).  Each row names a limit, its value,
the unit its numbers are shown in (バイト are shown as MB) and the message template used
when an input exceeds it: `{found}` (what was found, already formatted), `{limit}` (the
limit with its unit) and, for some, `{part}` (a part of an xlsx) or `{path}`.

The values are chosen so that one file at any limit stays below 300 MB of memory and
10 s (tests/test_hostile_slow.py measures it); a real submission is a few hundred rows of
ten columns.  file_bytes and xlsx_part_bytes are 20 MB, not more: 49 MB of valid long
texts (10,000 rows of 1,600 characters) made a 335 MB run, the workbook's pages holding
every text; 20 MB of such text stays under 300 MB.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from . import REFERENCE_DIR

MEGABYTE = 1_000_000


@dataclass(frozen=True)
class Limit:
    """One limit: name, value, unit (バイト, 行, 列, …), description and message template."""

    name: str
    value: int
    unit: str
    description: str
    template: str

    def show(self, number: int | float) -> str:
        """A number in this limit's unit: 50 MB (50,000,001 バイト（50.0 MB）), 10,000 行, 200 倍."""
        if self.unit == "バイト":
            if number % MEGABYTE == 0:
                return f"{number // MEGABYTE:,} MB"
            return f"{int(number):,} バイト（{number / MEGABYTE:,.1f} MB）"
        if isinstance(number, float) and not number.is_integer():
            return f"{number:,.1f} {self.unit}"
        return f"{int(number):,} {self.unit}"

    def message(self, found: str, **extra: str) -> str:
        """The Japanese message when an input exceeds this limit; `found` is already formatted."""
        return self.template.format(found=found, limit=self.show(self.value), **extra)


@dataclass(frozen=True)
class Limits:
    """All limits by name; `limits.rows` is the Limit, `limits.rows.value` its number."""

    by_name: dict

    def __getattr__(self, name: str) -> Limit:
        try:
            return self.by_name[name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **values: int) -> "Limits":
        """A copy with some values changed (tests use small limits)."""
        changed = dict(self.by_name)
        for name, value in values.items():
            old = changed[name]
            changed[name] = Limit(old.name, int(value), old.unit, old.description, old.template)
        return Limits(changed)


    # What a book the pipeline wrote may hold more of than one submission (limits.csv: book_scale).
    BOOK_SCALED = ("file_bytes", "rows", "cells", "text_chars", "xlsx_part_bytes", "xlsx_total_bytes", "xml_elements")

    def for_books(self) -> "Limits":
        """The limits for reading a 推進管理表 (diff, verify): those that grow with the rows of a
        run multiplied by book_scale (the whole-Hokkaido 取組データ is tens of thousands of
        rows, more than any one submission may have); the others as they are."""
        scale = self.book_scale.value
        return self.replace(**{name: self.by_name[name].value * scale for name in self.BOOK_SCALED})


class LimitExceeded(Exception):
    """An input over a limit: the message, and where (sheet, row, column letter) when known."""

    def __init__(self, message: str, sheet: str = "", row: int = 0, column: str = ""):
        super().__init__(message)
        self.message, self.sheet, self.row, self.column = message, sheet, row, column


@functools.cache
def read_limits(directory: Path = REFERENCE_DIR) -> Limits:
    """Read limits.csv (cached: the reference data does not change during a run)."""
    with open(directory / "limits.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return Limits({r["名前"]: Limit(r["名前"], int(r["値"]), r["単位"], r["説明"], r["超えたとき"]) for r in rows})
