"""What the submitter-side workbooks show, as plain data (decided in pipeline/feedback.py and
pipeline/templates.py, written by pipeline/xlsx/feedback_book.py, status_book.py and
template_book.py, which import nothing else of the domain)."""
from __future__ import annotations

from dataclasses import dataclass

LEVEL_LABELS = {"error": "エラー", "warning": "警告"}
RELISTED_MARK = "○"  # what a template writes (and its list offers) for 再掲

# 提出状況: a submitter's state, in the order the list shows them (key, label, what it means)
STATES = (
    ("missing", "未提出", "ファイルが届いていません"),
    ("error", "エラーあり", "直すまで推進管理表に載りません。検証結果を送って直してもらってください"),
    ("warning", "警告あり", "集計はできます。検証結果の黄色のセルを確かめてください"),
    ("ok", "受理", "問題はありません"),
)
STATE_RANK = {state: rank for rank, (state, _, _) in enumerate(STATES)}


@dataclass(frozen=True)
class SheetCopy:
    """One sheet as read: `rows` are its cells from Excel row 1 (numbers as numbers, the rest
    as text, "" for blank); `marks` {(row, position): (level, messages)} are the problem
    cells, `row_marks` {row: (level, messages)} the problems of a whole row."""

    label: str
    source_sheet: str
    header_row: int
    rows: tuple
    marks: dict
    row_marks: dict


@dataclass(frozen=True)
class FileFeedback:
    """The 検証結果 of one file: its problems (sorted as printed) and the sheets read."""

    file: str
    name: str
    problems: tuple
    sheets: tuple

    @property
    def errors(self) -> int:
        return sum(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level != "error" for p in self.problems)


@dataclass(frozen=True)
class StatusRow:
    """One row of 提出状況 (counts are None when the run stopped before counting)."""

    state: str
    submitter: str
    kind: str
    bureau: str
    region: str
    files: tuple
    rows_read: int | None
    rows_accepted: int | None
    rows_rejected: int | None
    errors: int
    warnings: int
    reports: tuple


@dataclass(frozen=True)
class Feedback:
    """Everything `sheet` writes to outputs/<FY>/検証結果/: one 検証結果 per file with a problem,
    and 提出状況."""

    fiscal_year: int
    files: tuple
    status: tuple


@dataclass(frozen=True)
class Row:
    """One 取組 row of a template (a carried row: its texts as last year's table had them)."""

    project: str
    section: str
    heading: str
    text: str
    area: str
    actors: str
    relisted: bool
    order: int | None
    note: str


@dataclass(frozen=True)
class KpiRow:
    """One KPI実績 row: a KPI and a year, with last year's actual (None = still blank)."""

    kpi_id: str
    indicator: str
    unit: str
    year: int
    year_label: str
    value: float | None
    note: str


@dataclass(frozen=True)
class Template:
    """Everything one 提出様式 shows.  `measures` is {project name: (施策名, …)} in list order."""

    fiscal_year: int
    submitter: str
    kind: str
    bureau: str
    region: str
    projects: tuple
    measures: dict
    sections: tuple
    areas: tuple
    rows: tuple
    kpis: tuple
    kpi_rows: tuple
    years: tuple
