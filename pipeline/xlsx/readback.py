"""Read a workbook written by `sheet` back into a Snapshot (what `diff` compares).

The mirror of data_sheets.py: the same sheet names, headers and column declarations
(schemas/columns.py), undone by dtype.  The workbook alone is enough (an auditor has no
inputs).  A missing file, a file that is not an xlsx, or an xlsx without our sheets
and headers is an UnreadableFileError naming the file and what is wrong.

Quirks: calamine gives whole numbers as int and blanks as NaN; text cells that the
writer quote-prefixed come back as the plain text; 別名 is `;`-joined; a KPI kind comes
back from its label (基準値 → baseline).  The file goes through load's xlsx guard (a
bomb or an XFD1048576 cell is refused before calamine); text typed by hand into a number
or year column (約9,000, 令和元年度) is an UnreadableFileError naming sheet, row and column.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Collection

import pandas as pd

from schemas import columns as C
from schemas.cells import is_empty

from schemas.limits import LimitExceeded, read_limits

from ..errors import Problem, UnreadableFileError
from ..load import NotRegular, digest, read_bounded, xlsx_sheets
from ..xlsx_guard import BadXlsx
from ..model import Snapshot
from . import labels as L
from .data_sheets import DATA_SHEETS

_FY_IN_TITLE = re.compile(r"（(\d{4})年度）")


def _not_ours(label: str, why: str) -> UnreadableFileError:
    return UnreadableFileError(
        f"{label}: {why}。pipeline sheet で作った推進管理表（推進管理表_<年度>.xlsx）を指定してください")


class BadCell(ValueError):
    """A data-sheet cell that is not of its column's type: its position in the column (from 0)."""

    def __init__(self, position: int, value: object):
        super().__init__(position, value)
        self.position, self.value = position, value


def _numbers(values: pd.Series, convert) -> list:
    out = []
    for position, value in enumerate(values):
        if is_empty(value):
            out.append(None)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(convert(value))
        else:
            raise BadCell(position, value)  # text where the writer puts numbers: edited by hand
    return out


def typed_column(values: pd.Series, column: C.Column) -> pd.Series:
    """Undo what the writer did to one column (see the module's quirks); BadCell for a foreign value."""
    if column.dtype == "int":
        return pd.array(_numbers(values, int), dtype="Int64")
    if column.dtype in ("number", "rate"):
        return pd.Series([float("nan") if v is None else v for v in _numbers(values, float)], dtype=float)
    if column.dtype == "bool":
        return pd.Series([not is_empty(v) for v in values], dtype=bool)
    texts = ["" if is_empty(v) else str(v) for v in values]
    if column.dtype == "code":
        codes = {label: code for code, label in (column.labels or {}).items()}
        texts = [codes.get(t, t) for t in texts]
    if column.dtype == "aliases":
        return pd.Series([tuple(a for a in t.split(C.ALIAS_SEPARATOR) if a) for t in texts], dtype=object)
    return pd.Series(texts, dtype=object)


def _present(found: list[str], columns: tuple[C.Column, ...]) -> list[C.Column] | None:
    """The declared columns in the header row `found`, in order: each one there, an optional
    one possibly left out (it had no values); None when the header is not ours."""
    present, position = [], 0
    for column in columns:
        if position < len(found) and found[position] == column.header:
            present.append(column)
            position += 1
        elif not column.optional:
            return None
    return present


def sheet_frame(label: str, name: str, cells: pd.DataFrame, columns: tuple[C.Column, ...]) -> pd.DataFrame:
    """One data sheet's cells → the tidy frame (the header row must be ours); an optional
    column that was not written (no values) comes back blank."""
    found = ["" if is_empty(v) else str(v) for v in (cells.iloc[0].tolist() if len(cells) else [])]
    present = _present(found, columns)
    if present is None:
        headers = [c.header for c in columns if not c.optional]
        raise _not_ours(label, f"シート「{name}」の見出しが推進管理表のものと違います"
                               f"（期待: {'・'.join(headers)}）")
    body = cells.iloc[1:, :len(present)]
    body = body[~(body.isna() | body.eq("")).all(axis=1)] if len(body) else body   # rows left empty (is_empty)
    typed = {}
    for i, c in enumerate(present):
        try:
            typed[c.name] = typed_column(body.iloc[:, i].reset_index(drop=True), c)
        except BadCell as bad:
            row = int(body.index[bad.position])
            raise UnreadableFileError([Problem(label, name, row, f"{_letter(i)}列「{c.header}」",
                                               f"「{bad.value}」は数値ではありません（推進管理表のデータのシートが"
                                               "書き換えられています。pipeline sheet で作り直してください）")]) from None
    blank = pd.Series([None] * len(body), dtype=object)
    return pd.DataFrame({c.name: typed[c.name] if c.name in typed else typed_column(blank, c)
                         for c in columns}).reset_index(drop=True)


def _letter(position: int) -> str:
    letters, position = "", position + 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def workbook_fiscal_year(label: str, cells: pd.DataFrame) -> int:
    """The FY from the 出典 sheet's 対象年度 row (令和元年度（2019年度））."""
    for row in cells.itertuples(index=False):
        if len(row) > 1 and str(row[0]) == L.SOURCES_FY:
            match = _FY_IN_TITLE.search(str(row[1]))
            if match:
                return int(match.group(1))
    raise _not_ours(label, f"シート「{L.SHEET_SOURCES}」に{L.SOURCES_FY}がありません")


def read_workbook(path: Path, label: str | None = None) -> Snapshot:
    """Read the data sheets of a workbook written by `sheet` back into a Snapshot."""
    label = label or str(path)
    # not the project sheets, 一覧 …: diff never reads them
    data, book = open_book(path, label, only=[*DATA_SHEETS, L.SHEET_SOURCES])
    return snapshot_of(label, data, book)


def open_book(path: Path, label: str, only: list[str] | None = None,
              skip: Collection[str] = ()) -> tuple[bytes, dict[str, pd.DataFrame]]:
    """(the file's bytes, {sheet name: raw cells}) of the sheets named in `only` (default: all)
    but those in `skip`."""
    if not path.is_file():
        raise UnreadableFileError(f"{label}: ファイルがありません")
    try:
        limits = read_limits().for_books()
        data = read_bounded(path, limits, follow=True)
        book = dict(xlsx_sheets(data, only, limits, skip))
    except LimitExceeded as exc:
        raise UnreadableFileError([Problem(label, exc.sheet, exc.row, f"{exc.column}列" if exc.column else "",
                                           exc.message)]) from None
    except BadXlsx as exc:
        raise UnreadableFileError([Problem(label, exc.sheet, 0, "", exc.reason)]) from None
    except NotRegular:
        raise UnreadableFileError([Problem(label, "", 0, "", "通常のファイルではないため読みません")]) from None
    return data, book


def snapshot_of(label: str, data: bytes, book: dict[str, pd.DataFrame]) -> Snapshot:
    """The Snapshot of a workbook's sheets (`book`, raw cells by sheet name; `data` its bytes)."""
    wanted = [*DATA_SHEETS, L.SHEET_SOURCES]
    missing = [name for name in wanted if name not in book]
    if missing:
        raise _not_ours(label, f"シート「{'」「'.join(missing)}」がありません")
    frames = {attr: sheet_frame(label, name, book[name], columns)
              for name, (attr, columns) in DATA_SHEETS.items()}
    fiscal_year = workbook_fiscal_year(label, book[L.SHEET_SOURCES])
    for name, (attr, _) in DATA_SHEETS.items():
        if "fiscal_year" not in frames[attr]:
            continue
        years = set(frames[attr]["fiscal_year"].dropna().astype(int))
        if years - {fiscal_year}:
            raise _not_ours(label, f"シート「{name}」の年度（{'・'.join(map(str, sorted(years)))}）が"
                                   f"対象年度 {fiscal_year} と合いません")
    return Snapshot(label=label, fiscal_year=fiscal_year, sha256=digest(data), **frames)
