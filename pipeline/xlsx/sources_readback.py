"""Read the 出典 sheet back (the mirror of data_sheets.write_sources_sheet): the creation
time, the versions, the input files with their SHA-256 and row counts, the warnings.

What `verify` needs to write the same workbook again from its own sheets, and to check
the inputs against the SHA-256 the workbook recorded; also the title and subject document
properties (book.py writes the document's title and heading there, which no sheet holds
as data).  A 出典 sheet without these rows
is an UnreadableFileError naming the file.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd

from schemas import columns as C
from schemas.cells import is_empty

from ..errors import UnreadableFileError
from . import labels as L
from .readback import sheet_frame

CREATED_FORMAT = "%Y-%m-%d %H:%M:%S（UTC）"   # as data_sheets._meta_rows writes it
_LIBRARY = re.compile("^" + re.escape(L.SOURCES_LIBRARY).replace(re.escape("{name}"), "(.+)") + "$")
_GRADE = re.compile("^" + re.escape(L.SOURCES_GRADE).replace(re.escape("{grade}"), "(.+)") + "$")
_BOUND = re.compile("^" + re.escape(L.GRADE_BOUND).replace(re.escape("{bound}"), "(-?[0-9.]+)") + "$")


@dataclass(frozen=True)
class Sources:
    """The 出典 sheet's content: manifest has the columns of C.MANIFEST; versions are in the
    sheet's order (pipeline first); created is in UTC, None when not recorded; display (進捗率の
    表示, "" when not recorded: the default) and grades (the 評価 scale, ((評価, lower bound or
    None), …)) as data_sheets.document_rows writes them."""

    manifest: pd.DataFrame
    warnings: tuple[str, ...]
    versions: dict[str, str]
    created: dt.datetime | None
    display: str = ""
    grades: tuple = ()


def _text(value: object) -> str:
    return "" if is_empty(value) else str(value)


def _first_row(cells: pd.DataFrame, text: str, after: int = 0) -> int | None:
    """The Excel row number of the first row after `after` whose column A is `text`."""
    for number, value in zip(cells.index, cells.iloc[:, 0] if cells.shape[1] else []):
        if number > after and _text(value) == text:
            return int(number)
    return None


def _meta(label: str, cells: pd.DataFrame, end: int) -> tuple[dict[str, str], dt.datetime | None]:
    versions: dict[str, str] = {}
    created, found = None, False
    for number in cells.index:
        if number >= end or cells.shape[1] < 2:
            break
        key, value = _text(cells.at[number, 0]), _text(cells.at[number, 1])
        library = _LIBRARY.match(key)
        if key == L.SOURCES_PIPELINE:
            versions["pipeline"] = value
        elif library:
            versions[library.group(1)] = value
        elif key == L.SOURCES_CREATED:
            found = True
            if value == L.NOT_RECORDED:
                continue
            try:
                created = dt.datetime.strptime(value, CREATED_FORMAT).replace(tzinfo=dt.timezone.utc)
            except ValueError:
                raise UnreadableFileError(f"{label}: シート「{L.SHEET_SOURCES}」の{L.SOURCES_CREATED}"
                                          f"「{value}」が読めません") from None
    if not found:
        raise UnreadableFileError(f"{label}: シート「{L.SHEET_SOURCES}」に{L.SOURCES_CREATED}がありません")
    return versions, created


def _settings(cells: pd.DataFrame, end: int) -> tuple[str, tuple]:
    """(進捗率の表示, the 評価 scale) from the rows above the files table (see document_rows)."""
    display, grades = "", []
    for number in cells.index:
        if number >= end or cells.shape[1] < 2:
            break
        key, value = _text(cells.at[number, 0]), _text(cells.at[number, 1])
        grade, bound = _GRADE.match(key), _BOUND.match(value)
        if key == L.SOURCES_DISPLAY:
            display = value
        elif grade and (bound or value == L.GRADE_ANY):
            grades.append((grade.group(1), float(bound.group(1)) / 100 if bound else None))
    return display, tuple(grades)


def read_sources(label: str, cells: pd.DataFrame) -> Sources:
    """The 出典 sheet's raw cells (Excel row numbers as index) → Sources."""
    files = _first_row(cells, L.SOURCES_FILES)
    if files is None:
        raise UnreadableFileError(f"{label}: シート「{L.SHEET_SOURCES}」に{L.SOURCES_FILES}の表がありません")
    versions, created = _meta(label, cells, files)
    table = cells.loc[files + 1:]
    blank = [n for n in table.index if n > files + 1 and all(is_empty(v) for v in table.loc[n])]
    end = blank[0] if blank else int(table.index.max()) + 1
    manifest = sheet_frame(label, L.SHEET_SOURCES, table.loc[:end - 1], C.MANIFEST)
    start = _first_row(cells, L.SOURCES_WARNINGS, after=files)
    warnings = [] if start is None else [_text(v) for v in cells.loc[start + 1:].iloc[:, 0]]
    return Sources(manifest, tuple(w for w in warnings if w), versions, created, *_settings(cells, files))


_DC = "{http://purl.org/dc/elements/1.1/}"


def read_properties(data: bytes) -> dict[str, str]:
    """The title and subject document properties (docProps/core.xml) of xlsx bytes; "" for
    one that is missing or unreadable."""
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            root = ElementTree.fromstring(book.read("docProps/core.xml"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {"title": "", "subject": ""}
    return {name: root.findtext(_DC + name) or "" for name in ("title", "subject")}
