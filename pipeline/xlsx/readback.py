"""Read a workbook written by `sheet` back into a Snapshot (what `diff` compares).

The mirror of data_sheets.py: the same sheet names, headers and column declarations
(schemas/columns.py), undone by dtype.  The workbook alone is enough (an auditor has no
inputs).  A missing file, a file that is not an xlsx, or an xlsx without our sheets
and headers is an UnreadableFileError naming the file and what is wrong.

Quirks: calamine gives whole numbers as int and blanks as NaN; text cells that the
writer quote-prefixed come back as the plain text; 別名 is `;`-joined; a KPI kind comes
back from its label (基準値 → baseline).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from schemas import columns as C
from schemas.cells import is_empty

from ..errors import UnreadableFileError
from ..load import digest, xlsx_sheets
from ..model import Snapshot
from . import labels as L
from .data_sheets import DATA_SHEETS

_FY_IN_TITLE = re.compile(r"（(\d{4})年度）")


def _not_ours(label: str, why: str) -> UnreadableFileError:
    return UnreadableFileError(
        f"{label}: {why}。pipeline sheet で作った推進管理表（推進管理表_<年度>.xlsx）を指定してください")


def typed_column(values: pd.Series, column: C.Column) -> pd.Series:
    """Undo what the writer did to one column (see the module's quirks)."""
    if column.dtype == "int":
        return pd.array([None if is_empty(v) else int(v) for v in values], dtype="Int64")
    if column.dtype in ("number", "rate"):
        return pd.Series([float("nan") if is_empty(v) else float(v) for v in values], dtype=float)
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
    body = body[~body.apply(lambda row: all(is_empty(v) for v in row), axis=1)] if len(body) else body
    data = {c.name: typed_column(body.iloc[:, i].reset_index(drop=True), c) for i, c in enumerate(present)}
    blank = pd.Series([None] * len(body), dtype=object)
    return pd.DataFrame({c.name: data[c.name] if c.name in data else typed_column(blank, c)
                         for c in columns}).reset_index(drop=True)


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


def open_book(path: Path, label: str, only: list[str] | None = None) -> tuple[bytes, dict[str, pd.DataFrame]]:
    """(the file's bytes, {sheet name: raw cells}) of the sheets named in `only` (default: all)."""
    if not path.is_file():
        raise UnreadableFileError(f"{label}: ファイルがありません")
    try:
        data = path.read_bytes()
        return data, dict(xlsx_sheets(data, only=only))
    except Exception as exc:  # noqa: BLE001 — any failure to open the file is the user's to fix
        raise UnreadableFileError(
            f"{label}: Excel ファイル（.xlsx）として読めません（壊れているか、別の形式のファイルです: "
            f"{type(exc).__name__}）") from None


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
