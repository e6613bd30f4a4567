"""Load, xlsx part: python-calamine reads the sheets that pipeline/xlsx_guard.py has checked.

Quirks handled:
- nothing reaches calamine before the guard (zip and sheet limits, DTDs, encrypted or
  other formats); a failure inside calamine — including a Rust panic, which Python sees
  as a BaseException — is a BadXlsx, never a crash;
- hidden sheets (hidden or veryHidden in workbook.xml) are not read: usually an old draft
  (旧取組, 下書き); load warns naming each.  Sheets named `_…` are notes, not read either;
- whole floats become int (5949.0 → 5949) and dates datetimes; "" becomes NaN; the texts
  NA, None, null … stay text (pandas' reader would blank them);
- a number Excel cannot hold (inf, NaN: only a hand-made file has them) becomes its text,
  which validate then rejects where a number is expected.
"""
from __future__ import annotations

import datetime
import io
import math
from dataclasses import dataclass
from typing import Callable, Collection

import pandas as pd

from schemas.limits import Limits, read_limits

from .xlsx_guard import CORRUPT, BadXlsx, SheetEntry, check


@dataclass(frozen=True)
class XlsxRead:
    """The sheets read (workbook position, entry, raw cells) and the entries left out by `read`."""

    sheets: tuple
    skipped: tuple


def _xlsx_cell(value: object) -> object:
    """A calamine cell as pandas' calamine reader gives it, except that only an empty cell is blank."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if value == "":
        return math.nan
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _frame(rows: list) -> pd.DataFrame:
    width = max((len(row) for row in rows), default=0)
    cells = [[_xlsx_cell(v) for v in row] + [math.nan] * (width - len(row)) for row in rows]
    return pd.DataFrame(cells, index=range(1, len(rows) + 1), dtype=object)


def _calamine_rows(data: bytes, names: list[str]) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in names]
    except Exception:  # noqa: BLE001 — CalamineError, XmlError, ZipError …: the file, not us
        raise BadXlsx(CORRUPT) from None
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise BadXlsx(CORRUPT) from None


def read_xlsx(data: bytes, limits: Limits | None = None,
              read: Callable[[SheetEntry], bool] = lambda entry: True) -> XlsxRead:
    """The sheets of an xlsx for which `read(entry)` is true, as raw cells (guarded first).

    Index = the row number Excel shows (from 1, blank rows included); columns are
    positional; ragged rows are padded with NaN.  Raises BadXlsx or LimitExceeded.
    """
    entries = check(data, limits or read_limits(), read)
    wanted = [(index, entry) for index, entry in enumerate(entries) if read(entry)]
    rows = _calamine_rows(data, [entry.name for _, entry in wanted]) if wanted else []
    return XlsxRead(tuple((index, entry, _frame(r)) for (index, entry), r in zip(wanted, rows)),
                    tuple(entry for entry in entries if not read(entry)))


def xlsx_sheets(data: bytes, only: Collection[str] | None = None,
                limits: Limits | None = None, skip: Collection[str] = ()) -> list[tuple[str, pd.DataFrame]]:
    """[(sheet name, raw cells)] of every sheet (hidden ones too), or of those named in `only`,
    but not those in `skip`, guarded like every xlsx (read_xlsx).  Raises BadXlsx or LimitExceeded."""
    book = read_xlsx(data, limits, lambda entry: (only is None or entry.name in only) and entry.name not in skip)
    return [(entry.name, cells) for _, entry, cells in book.sheets]


def is_submitted_sheet(entry: SheetEntry) -> bool:
    """A sheet of a submission is read when it is visible and its name does not start with `_`."""
    return entry.state == "visible" and not entry.name.startswith("_")
