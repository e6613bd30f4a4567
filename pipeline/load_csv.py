"""Load, CSV part: decode the bytes (never asking the encoding) and read the records within the limits.

Quirks handled:
- UTF-8 with or without BOM, UTF-16 with BOM, else CP932 (Excel's "CSV" on Japanese
  Windows).  CP932 is decoded with Microsoft's table, which is what Excel shows: bytes
  0x8160 are ～ (U+FF5E), 0x817C － (U+FF0D), 0x8161 ∥ (U+2225), 0x8191/0x8192/0x81CA
  ￠ ￡ ￢ — whatever the submitter typed before Excel saved it (〜, −, ‖ … are saved as
  those same bytes), the output shows what Excel shows them when they open the file;
- a file partly UTF-8 and partly CP932 (lines pasted from two files) is refused, naming
  a line of each, rather than decoded into mojibake;
- NUL bytes: valid UTF-8 text with a NUL is read (validate warns at the cell); many NULs
  (UTF-16 without a BOM) or NULs in text that is not UTF-8 are binary, not CSV;
- a text of more than text_chars characters is not parsed at all; records are read one
  at a time and reading stops at the rows / columns / cells limits,
  so a million-row file costs no more than the limit; any single field fits (the per-cell
  character limit is checked later, where the column has a name);
- line breaks inside quoted cells stay in the cell (a record is the row Excel shows).
"""
from __future__ import annotations

import csv
import re
from typing import Iterator

import pandas as pd

from schemas.limits import LimitExceeded, Limits, read_limits

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class MixedEncoding(UnicodeError):
    """A CSV whose lines are in two encodings: (first UTF-8 line, first other line), from 1."""

    def __init__(self, utf8_line: int, other_line: int):
        super().__init__(utf8_line, other_line)
        self.utf8_line, self.other_line = utf8_line, other_line


class BinaryData(UnicodeError):
    """Bytes with NULs that are not UTF-8 text: not a CSV."""


def _mixed_lines(data: bytes) -> tuple[int, int] | None:
    """(first line that is non-ASCII UTF-8, first line that is not UTF-8), or None when not both."""
    utf8 = other = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = utf8 or number
        except UnicodeDecodeError:
            other = other or number
        if utf8 and other:
            return utf8, other
    return None


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 BOM, UTF-16 BOM, plain UTF-8, else CP932 (see the module's quirks).

    Raises MixedEncoding, BinaryData or UnicodeError (nothing fits).  Valid CP932
    Japanese text is practically never valid UTF-8, so trying UTF-8 first is safe.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.count(b"\x00") * 8 > len(data):
        raise BinaryData("binary")  # UTF-16 without a BOM, or not text at all
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" in data:
            raise BinaryData("binary") from None
    mixed = _mixed_lines(data)
    if mixed:
        raise MixedEncoding(*mixed)
    return data.decode("cp932")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their ends (\\r\\n, \\r or \\n), one at a time (no copy of the whole)."""
    for match in _LINE.finditer(text):
        yield match.group()


def parse_csv(text: str, limits: Limits | None = None) -> pd.DataFrame:
    """CSV text → raw cells; index = record number (the row Excel shows, even when a cell has line breaks).

    Raises LimitExceeded for more characters than text_chars, and at the first record past
    the rows, columns or cells limit.
    """
    limits = limits or read_limits()
    if len(text) > limits.text_chars.value:
        raise LimitExceeded(limits.text_chars.message(limits.text_chars.show(len(text))))
    csv.field_size_limit(max(limits.file_bytes.value, csv.field_size_limit()))
    rows: list[list[str]] = []
    width = 0
    for row in csv.reader(_lines(text)):
        number = len(rows) + 1
        if number > limits.rows.value:
            raise LimitExceeded(limits.rows.message(f"{number:,} 行目で読むのをやめました"))
        width = max(width, len(row))
        if width > limits.columns.value:
            raise LimitExceeded(limits.columns.message(f"{len(row):,} 列"), row=number)
        if number * width > limits.cells.value:
            raise LimitExceeded(limits.cells.message(f"{number:,} 行 × {width:,} 列で {number * width:,} セル"),
                                row=number)
        rows.append(row)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    frame.index = range(1, len(rows) + 1)
    return frame
