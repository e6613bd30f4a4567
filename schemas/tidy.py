"""pandera schemas of the tidy tables, derived from their column declarations (schemas/columns.py).

They describe what `tidy`, `progress` and `report` hand to `render` and what `diff` reads
back.  Like the provenance schema, they are not run on every build (the frames come from
our own code, not from a submitter); tests/test_tidy_schemas.py validates the frames of
the sample years and of a workbook read back against them.
"""
from __future__ import annotations

import numbers

import pandera.pandas as pa

from . import columns as C
from .cells import is_missing


def _is_int(value: object) -> bool:
    return is_missing(value) or (isinstance(value, numbers.Integral) and not isinstance(value, bool))


def _is_aliases(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(v, str) for v in value)


def _column(column: C.Column) -> pa.Column:
    """A pandera column for one declaration: its dtype as checks, its description."""
    if column.dtype in ("number", "rate"):
        return pa.Column(float, nullable=True, description=column.description)
    if column.dtype == "bool":
        return pa.Column(bool, description=column.description)
    if column.dtype == "int":
        check = pa.Check(_is_int, element_wise=True, error="整数または空")
    elif column.dtype == "aliases":
        check = pa.Check(_is_aliases, element_wise=True, error="文字列のタプル")
    elif column.dtype == "code":
        check = pa.Check.isin(list(column.labels or {}))
    else:
        check = pa.Check(lambda v: isinstance(v, str), element_wise=True, error="文字列（空欄は空文字列）")
    return pa.Column(None, [check], nullable=column.dtype == "int", description=column.description)


def schema(columns: tuple[C.Column, ...], name: str, description: str) -> pa.DataFrameSchema:
    """The schema of one tidy table: exactly these columns, in this order."""
    return pa.DataFrameSchema({c.name: _column(c) for c in columns}, ordered=True, strict=True,
                               name=name, description=description)


INITIATIVES = schema(C.INITIATIVES, "initiatives", "取組（initiatives.csv・取組データ）1行1件")
KPI = schema(C.KPI, "kpi", "KPI の基準値・実績値・目標値と進捗率（KPIデータ）")
KPI_CSV = schema(C.KPI_CSV, "kpi.csv", "kpi.csv: KPIデータと各 KPI の見込み")
PROJECTS = schema(C.PROJECTS, "projects", "プロジェクト（プロジェクトデータ）")
MEASURES = schema(C.MEASURES, "measures", "施策（施策データ）")
KPI_MASTER = schema(C.KPI_MASTER, "kpis", "KPI の定義（KPI定義）")
MANIFEST = schema(C.MANIFEST, "manifest", "入力ファイルと行数（出典）")
