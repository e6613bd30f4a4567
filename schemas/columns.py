"""Every column of the tidy tables, declared once.

A `Column` says what a column is (name, dtype, description) and how it is shown
(Japanese header, width in Excel character units, style name in pipeline/styles.py).
Everything else derives from these declarations:

- the column tuples of pipeline/model.py (and so the column order of the CSV files);
- the CSV text of each value (`dtype` → schemas.cells.csv_text);
- the data sheets of the workbook (header, width, style) and their read-back
  (`dtype` → pipeline/xlsx/readback.py);
- the pandera schemas of the tidy tables (schemas/tidy.py).

dtypes: `text` (str, "" when blank), `int` (whole number, nullable), `number` (float,
NaN = not known yet), `rate` (float ratio, unrounded), `bool`, `aliases` (tuple of str,
written joined by ALIAS_SEPARATOR), `code` (str written in the sheet as its label from
`labels`, e.g. baseline → 基準値).

An `optional` column is always in the frame but written (CSV, data sheet) only when some
row has a value, so that files without it keep their shape; reading a data sheet back, a
missing optional column reads as blank.
"""
from __future__ import annotations

from typing import NamedTuple

from .cells import is_empty
from .vocab import KPI_KIND_LABELS

ALIAS_SEPARATOR = ";"  # 別名 joined as in master/measures.csv
BOOL_LABELS = {True: "○", False: ""}
DTYPES = ("text", "int", "number", "rate", "bool", "aliases", "code")


class Column(NamedTuple):
    """One column of a tidy table: what it is and how the data sheets show it."""

    name: str
    dtype: str
    header: str
    width: float
    style: str
    description: str
    labels: dict | None = None  # code → label shown in the sheet (dtype "code")
    optional: bool = False      # written only when some row has a value


def shown(columns: tuple[Column, ...], frame) -> tuple[Column, ...]:
    """The columns to write for `frame`: every column, but an optional one only when some
    row has a value in it (not missing, not "")."""
    def used(column: Column) -> bool:
        if frame is None or column.name not in frame.columns:
            return False
        return any(not is_empty(v) for v in frame[column.name].tolist())
    return tuple(c for c in columns if not c.optional or used(c))


def names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    """The column names, in order."""
    return tuple(c.name for c in columns)


def by_name(columns: tuple[Column, ...]) -> dict[str, Column]:
    """{name: Column}."""
    return {c.name: c for c in columns}


def _source(file_width: float = 28) -> tuple[Column, ...]:
    return (
        Column("source_file", "text", "出典ファイル", file_width, "data_text",
               "入力フォルダ inputs/<年度> からの相対パス（/ 区切り）"),
        Column("source_sheet", "text", "出典シート", 12, "data_text", "xlsx のシート名（CSV は空）"),
        Column("source_row", "int", "出典行", 7, "data_int", "Excel やエディタで見える行番号（1から）"),
    )


FISCAL_YEAR = Column("fiscal_year", "int", "年度", 7, "data_int", "報告年度（年度が始まる年の西暦）")
PROJECT_ID = Column("project_id", "text", "プロジェクトID", 14, "data_text", "プロジェクトID（年度をまたいで同じ）")
KPI_ID = Column("kpi_id", "text", "KPI ID", 15, "data_text", "KPI の識別子（年度をまたいで同じ）")
REGION = Column("region", "text", "連携地域", 9, "data_text", "連携地域の短い名前（道北 など）")

INITIATIVES: tuple[Column, ...] = (
    FISCAL_YEAR,
    REGION,
    PROJECT_ID,
    Column("project", "text", "プロジェクト名", 40, "data_wrap", "プロジェクト名"),
    Column("section", "text", "区分", 7, "data_text", "実績・課題・今年度・次年度"),
    Column("heading", "text", "施策・見出し", 30, "data_wrap",
           "施策名（実績・今年度・次年度。別名はマスタの施策名に）または課題の○見出し（空欄可）"),
    Column("text", "text", "内容", 60, "data_wrap", "内容（先頭の記号を除き、書かれたとおり。改行を含む）"),
    Column("area", "text", "地域", 10, "data_wrap", "地域（書かれたとおり、空欄は空）"),
    Column("actors", "text", "実施主体", 16, "data_wrap", "実施主体（書かれたとおり、空欄は空）"),
    Column("relisted", "bool", "再掲", 6, "data_bool", "再掲の印があるか"),
    Column("order", "int", "順序", 6, "data_int", "見出しの中での順序（空欄は最後）"),
    *_source(),
)

KPI: tuple[Column, ...] = (
    FISCAL_YEAR,
    KPI_ID,
    PROJECT_ID,
    Column("indicator", "text", "指標名", 50, "data_wrap", "指標名"),
    Column("unit", "text", "単位", 8, "data_text", "単位"),
    Column("year", "int", "年", 7, "data_int", "値の年度（西暦）"),
    Column("year_label", "text", "年度表示", 9, "data_text", "値の年度（和暦の短い形: H26、R元）"),
    Column("kind", "code", "種別", 8, "data_text", "baseline（基準値）・actual（実績値）・yearly（年度目標値）・"
           "interim（中間目標値）・target（目標値）", KPI_KIND_LABELS),
    Column("value", "number", "値", 12, "data_number", "値（空 = 未確定・未把握）"),
    Column("measured_year", "int", "対象年", 8, "data_int",
           "実績値が表す年度（西暦。報告の年度と違うときだけ。例：R3欄にR元の値）", optional=True),
    Column("progress", "rate", "進捗率", 9, "data_rate", "実績値の進捗率（丸めない比。1 = 100%）"),
    *_source(),
)

# kpi.csv only (not the KPIデータ sheet): the KPI's 見込み, on every row of the KPI.
KPI_STATUS = Column("kpi_status", "text", "見込み", 8, "data_text",
                    "その KPI の見込み（達成・順調・遅れ・未把握）。KPI のすべての行に同じ値")
# kpi.csv only, with a 評価 scale (master/grades.csv): the grade of an actual's 進捗率.
GRADE = Column("grade", "text", "評価", 6, "data_text", "実績値の進捗率の評価（master/grades.csv の段階）",
               optional=True)
KPI_CSV: tuple[Column, ...] = (*KPI, KPI_STATUS, GRADE)

PROJECTS: tuple[Column, ...] = (
    PROJECT_ID,
    REGION,
    Column("project", "text", "プロジェクト名", 36, "data_wrap", "プロジェクト名"),
    Column("purpose", "text", "概要・目的", 90, "data_wrap", "【概要・目的】の文章（書かれたとおり）"),
    Column("order", "int", "表示順", 8, "data_int", "連携地域の中での表示順（空欄は最後）"),
)

MEASURES: tuple[Column, ...] = (
    PROJECT_ID,
    Column("measure", "text", "施策名", 56, "data_wrap", "施策名（■見出し）"),
    Column("order", "int", "表示順", 8, "data_int", "プロジェクトの中での表示順"),
    Column("aliases", "aliases", "別名", 56, "data_wrap", "提出で使われる別の書き方"),
)

KPI_MASTER: tuple[Column, ...] = (
    KPI_ID,
    PROJECT_ID,
    Column("indicator", "text", "指標名", 50, "data_wrap", "指標名"),
    Column("unit", "text", "単位", 8, "data_text", "単位"),
    Column("base_year", "int", "基準年", 8, "data_int", "基準年度（西暦）"),
    Column("base_value", "number", "基準値", 12, "data_number", "基準値"),
    Column("target_year", "int", "目標年", 8, "data_int", "目標年度（西暦）"),
    Column("target_value", "number", "目標値", 12, "data_number", "目標値"),
    Column("direction", "text", "方向", 7, "data_text", "増加・減少"),
    Column("method", "text", "算定方法", 10, "data_text", "算定方法（schemas/reference/methods.csv の名前）"),
    Column("target_text", "text", "目標（文）", 20, "data_wrap",
           "数値でない目標値（書かれたとおり。このとき目標値は空）", optional=True),
)

MANIFEST: tuple[Column, ...] = (
    Column("file", "text", "ファイル", 40, "data_text", "入力フォルダからの相対パス"),
    Column("sha256", "text", "SHA-256", 68, "data_text", "ファイルの SHA-256"),
    Column("kind", "text", "種類", 24, "data_text", "読んだ表の種類"),
    Column("rows_read", "int", "読込行数", 10, "data_int", "読んだ行数"),
    Column("rows_accepted", "int", "採用行数", 10, "data_int", "採用した行数"),
    Column("rows_rejected", "int", "除外行数", 10, "data_int", "誤りのため除いた行数"),
)
