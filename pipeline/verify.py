"""Verify: does a 推進管理表 still show what its own data says?  Pure comparison and texts.

`verify_job.py` rebuilds the workbook in memory (from the book's data sheets, or from the
inputs when their SHA-256 match the 出典 sheet) and hands both sets of sheets here as raw
cells (load.xlsx_sheets: Excel row numbers as index, positional columns, blanks NaN).
Every cell of every sheet is compared by value: a number with a number, a text with a
text; formats, charts and sparklines are not compared (a hand edit changes values).

Quirks: an empty cell and a cell with no value are the same (openpyxl drops styled empty
cells when it saves); 5676 and 5676.0 are the same number; the sheets' order is not
compared, a missing or extra sheet is.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from schemas.cells import is_empty, number_text

from .errors import column_letter

BASIS_LABELS = {"data": "データのシート", "inputs": "入力ファイル"}
SHOWN_CELLS = 10   # cells listed on the 差分 workbook's 概要 per book (stdout lists all)


@dataclass(frozen=True)
class CellDifference:
    """One cell whose value is not what the rebuild wrote: sheet, address (E50), both values."""

    sheet: str
    cell: str
    expected: object
    found: object


@dataclass(frozen=True)
class Check:
    """What verify found for one book.

    basis: "data" (rebuilt from its own data sheets) or "inputs" (from inputs/<FY>);
    sheets: the sheets compared; inputs: lines about input files that do not match the
    SHA-256 recorded on 出典 (then the rebuild used the data sheets); notes: lines that
    explain but do not fail (another pipeline version).
    """

    label: str
    basis: str
    sheets: tuple[str, ...]
    differences: tuple[CellDifference, ...] = ()
    missing_sheets: tuple[str, ...] = ()
    extra_sheets: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every cell, sheet and input file is as recorded (exit code 0)."""
        return not (self.differences or self.missing_sheets or self.extra_sheets or self.inputs)


# --- comparison -----------------------------------------------------------------------------

def _same(a: object, b: object) -> bool:
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return float(a) == float(b) or (math.isnan(float(a)) and math.isnan(float(b)))
    return type(a) is type(b) and a == b


def _cell(cells: pd.DataFrame, row: int, col: int) -> object:
    if row in cells.index and col < cells.shape[1]:
        return cells.at[row, col]
    return None


def sheet_differences(name: str, expected: pd.DataFrame, found: pd.DataFrame) -> list[CellDifference]:
    """Cells of one sheet that differ, row by row, left to right."""
    rows = sorted(set(expected.index) | set(found.index))
    width = max(expected.shape[1], found.shape[1])
    out = []
    for row in rows:
        for col in range(width):
            want, got = _cell(expected, row, col), _cell(found, row, col)
            if not _same(want, got):
                out.append(CellDifference(name, f"{column_letter(col)}{row}", want, got))
    return out


def compare_sheets(expected: dict[str, pd.DataFrame], found: dict[str, pd.DataFrame]
                   ) -> tuple[tuple[CellDifference, ...], tuple[str, ...], tuple[str, ...]]:
    """(differing cells, sheets missing from `found`, sheets only `found` has), in the
    rebuilt workbook's sheet order."""
    differences = []
    for name, cells in expected.items():
        if name in found:
            differences += sheet_differences(name, cells, found[name])
    missing = tuple(name for name in expected if name not in found)
    extra = tuple(name for name in found if name not in expected)
    return tuple(differences), missing, extra


def input_mismatches(recorded: list[tuple[str, str]], present: dict[str, str]) -> tuple[str, ...]:
    """Lines for input files whose SHA-256 is not the one recorded on 出典: changed, gone, new.

    `recorded` is (file, SHA-256) as the 出典 sheet lists them, `present` the same of the
    files found now under inputs/<FY>."""
    lines = []
    known = dict(recorded)
    for file, sha in recorded:
        if file not in present:
            lines.append(f"{file}: 出典にある入力ファイルがありません")
        elif present[file] != sha:
            lines.append(f"{file}: SHA-256 が出典と違います（出典 {sha[:12]}… / 入力 {present[file][:12]}…）")
    lines += [f"{file}: 出典にない入力ファイルです" for file in sorted(present) if file not in known]
    return tuple(lines)


# --- texts ----------------------------------------------------------------------------------

def value_text(value: object) -> str:
    """A cell value as the lines show it: 「9,999」, 「0.605」, 「…⏎…」; 空 for an empty cell."""
    if is_empty(value):
        return "（空）"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        grouped = float(value).is_integer() and abs(float(value)) < 1e15
        return f"「{number_text(value, grouped=grouped)}」"
    return "「" + str(value).replace("\r\n", "\n").replace("\n", "⏎") + "」"


def difference_line(d: CellDifference) -> str:
    """`DOHOKU-01!E50: 期待「5,676」 実際「9,999」`."""
    return f"{d.sheet}!{d.cell}: 期待{value_text(d.expected)} 実際{value_text(d.found)}"


def problem_lines(check: Check) -> list[str]:
    """Every finding of `check`, one line each (input files, sheets, then cells)."""
    lines = [f"入力: {line}" for line in check.inputs]
    lines += [f"シート「{name}」がありません" for name in check.missing_sheets]
    lines += [f"シート「{name}」は推進管理表にないシートです" for name in check.extra_sheets]
    return lines + [difference_line(d) for d in check.differences]


def outcome(check: Check) -> str:
    """One line: 一致 or what differs, with how many sheets were compared and against what."""
    basis = BASIS_LABELS[check.basis]
    if check.ok:
        return f"一致（{len(check.sheets)} シートを{basis}から作り直して比べました）"
    parts = []
    if check.inputs:
        parts.append(f"出典と違う入力ファイル {len(check.inputs)} 件")
    if check.missing_sheets or check.extra_sheets:
        parts.append(f"シートの過不足 {len(check.missing_sheets) + len(check.extra_sheets)} 件")
    if check.differences:
        parts.append(f"{basis}から作り直した値と違うセル {len(check.differences)} 個")
    return "不一致: " + "、".join(parts)


def report_lines(check: Check) -> list[str]:
    """What `verify` prints: the book, the outcome, the notes, then each finding indented."""
    lines = [f"検査: {check.label}", f"結果: {outcome(check)}"]
    lines += [f"注意: {note}" for note in check.notes]
    return lines + [f"  {line}" for line in problem_lines(check)]
