"""Problems found in the inputs, and the typed errors the CLI turns into exit codes."""
from __future__ import annotations

from dataclasses import dataclass, field


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
        """`submissions/稚内市.csv:5: 区分: 「予定」は使えません（…）`; xlsx adds the sheet."""
        if not self.file:
            return self.message
        parts = [self.place()]
        if self.level == "warning":
            parts.append("警告")
        if self.column:
            parts.append(self.column)
        parts.append(self.message)
        return ": ".join(parts)


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


class InputError(PipelineError):
    """The inputs were read but break the contract; carries every problem found (exit 1)."""

    exit_code = 1
