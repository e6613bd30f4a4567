"""Problems found in the inputs, and the typed errors the CLI turns into exit codes.

Quirks handled: every part of a printed line is escaped (a file name with a newline or
an ANSI escape stays one line and cannot colour the terminal); OS errors are said in
Japanese from schemas/reference/oserrors.csv (strerror is English), with the path; a flood
of problems is capped per file, column and level (`capped`).
"""
from __future__ import annotations

import csv
import errno
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from schemas import REFERENCE_DIR

# C0 and C1 controls, DEL, line/paragraph separators and the bidi controls (which can
# make a name display as another: "Trojan source").
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape(text: object) -> str:
    """`text` with control characters written as escapes (\\n, \\x1b, \\u202e), for messages."""
    return _CONTROL.sub(lambda m: _escaped(m.group()), str(text))


@functools.cache
def _os_texts() -> dict:
    with open(REFERENCE_DIR / "oserrors.csv", encoding="utf-8-sig", newline="") as f:
        return {row["errno"]: row["意味"] for row in csv.DictReader(f)}


def os_reason(exc: OSError) -> str:
    """What an OSError means, in Japanese (ENOSPC → ディスクの空きがありません)."""
    name = errno.errorcode.get(exc.errno or -1, "")
    return _os_texts().get(name) or f"OS のエラー（番号 {exc.errno}）"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one cell (or row, or file), printed compiler style.

    file is relative to inputs/<FY> with "/" separators; sheet is "" for CSV;
    row is the row number a person sees in Excel (0 = the whole file/sheet);
    column is the header as the submitter wrote it ("" = the whole row).
    position is the cell's column (0 = A) where the reader knows it, else None;
    hint is what to write instead where the rule knows it ("" otherwise).  Neither
    takes part in comparisons: a Problem is identified by where it is and what it says.
    """

    file: str
    sheet: str
    row: int
    column: str
    message: str
    level: str = "error"  # "error" | "warning"
    position: int | None = field(default=None, compare=False)
    hint: str = field(default="", compare=False)

    def cell(self) -> str:
        """The cell as Excel shows it (`D5`); "" without a row or a column position."""
        if not self.row or self.position is None:
            return ""
        return f"{column_letter(self.position)}{self.row}"

    def place(self) -> str:
        """`file[:sheet][:row]`, the compiler-style location."""
        place = self.file
        if self.sheet:
            place += f":{self.sheet}"
        if self.row:
            place += f":{self.row}"
        return place

    def line(self) -> str:
        """`submissions/稚内市.csv:5: 区分: 「予定」は使えません（…）`; xlsx adds the sheet; escaped."""
        if not self.file:
            return escape(self.message)
        parts = [self.place()]
        if self.level == "warning":
            parts.append("警告")
        if self.column:
            parts.append(self.column)
        parts.append(self.message)
        return escape(": ".join(parts))


def capped(problems: list[Problem], limit: int) -> list[str]:
    """Lines to print: per file, column and level the first `limit`, then one 「ほか N 件」 line there."""
    totals = Counter((p.file, p.column, p.level) for p in problems)
    seen: Counter = Counter()
    lines = []
    for problem in problems:
        kind = (problem.file, problem.column, problem.level)
        seen[kind] += 1
        if seen[kind] <= limit:
            lines.append(problem.line())
        elif seen[kind] == limit + 1:
            what = "警告" if problem.level == "warning" else "エラー"
            rest = f"ほか {totals[kind] - limit:,} 件の{what}（同じファイル・同じ列。最初の {limit} 件だけ表示しました）"
            lines.append(Problem(problem.file, "", 0, problem.column, rest).line())
    return lines


def os_problem(path: Path | str, exc: OSError, action: str) -> Problem:
    """`path: 書き込めません（ディスクの空きがありません）` for an OSError met on `path`."""
    return Problem(str(path), "", 0, "", f"{action}（{os_reason(exc)}）")


def column_letter(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA (Excel column letters)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def place(row) -> str:
    """`file[:sheet][:row]` of a frame row (source_file, source_sheet, source_row), as in messages.

    A missing row number (None, NaN, pd.NA: a read-back cell left empty) is left out, like row 0.
    """
    try:
        number = int(row["source_row"])
    except (TypeError, ValueError):
        number = 0
    return Problem(str(row["source_file"] or ""), str(row["source_sheet"] or ""), number, "", "").place()


class PipelineError(Exception):
    """Base of the errors the CLI reports as problem lines and an exit code."""

    exit_code = 2

    def __init__(self, problems: "list[Problem] | str", manifest=None):
        if isinstance(problems, str):
            problems = [Problem("", "", 0, "", problems)]
        self.problems = list(problems)
        self.manifest = manifest
        super().__init__("\n".join(p.line() for p in self.problems))


class UsageError(PipelineError):
    """Wrong command line or missing folders (exit 2)."""

    exit_code = 2


class UnreadableFileError(PipelineError):
    """A file that cannot be opened or decoded at all (exit 2)."""

    exit_code = 2


class OutputError(PipelineError):
    """An output could not be written (full disk, no permission …): the path and why (exit 2)."""

    exit_code = 2

    def __init__(self, path: Path | str, exc: OSError):
        super().__init__([os_problem(path, exc, "書き込めません")])


class BusyError(PipelineError):
    """Another run kept the outputs locked longer than lock_wait_seconds (exit 2)."""

    exit_code = 2


class InputError(PipelineError):
    """The inputs were read but break the contract; carries every problem found (exit 1)."""

    exit_code = 1
