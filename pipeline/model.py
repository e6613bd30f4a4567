"""The frames that flow between stages, named in one place.

Every stage is a pure function from frames to frames.  The tidy frames below are
what `tidy` produces, what `render` writes to CSV and to the workbook, and what
`diff` reads back.  Column order here is the column order of the CSV files.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

SECTIONS = ("実績", "課題", "今年度", "次年度")

INITIATIVE_COLUMNS = (
    "fiscal_year",   # int: the report FY (western year in which the 年度 starts)
    "region",        # str: 連携地域 short name, e.g. 道北
    "project_id",    # str
    "project",       # str: プロジェクト名
    "section",       # str: one of SECTIONS
    "heading",       # str: canonical 施策名 (実績/今年度/次年度) or ○ heading (課題, may be "")
    "text",          # str: 内容 as written (bullet stripped, inner line breaks kept)
    "area",          # str: 地域 as written ("" when blank)
    "actors",        # str: 実施主体 as written ("" when blank)
    "relisted",      # bool: 再掲
    "order",         # Int64 (nullable): 順序
    "source_file",   # str: path relative to inputs/<FY>, with "/" separators
    "source_sheet",  # str: sheet name for xlsx, "" for CSV
    "source_row",    # int: row number as seen in Excel / an editor (1-based)
)

KPI_COLUMNS = (
    "fiscal_year",   # int: the report FY
    "kpi_id",        # str
    "project_id",    # str
    "indicator",     # str: 指標名
    "unit",          # str: 単位
    "year",          # int: western year
    "year_label",    # str: H26, R元, R2 ...
    "kind",          # str: baseline | actual | target
    "value",         # float (NaN = not known yet)
    "progress",      # float (unrounded ratio) on actual rows with a value, else NaN
    "source_file",
    "source_sheet",
    "source_row",
)

PROJECT_COLUMNS = ("project_id", "region", "project", "purpose", "order")
MEASURE_COLUMNS = ("project_id", "measure", "order", "aliases")
KPI_MASTER_COLUMNS = (
    "kpi_id", "project_id", "indicator", "unit", "base_year", "base_value",
    "target_year", "target_value", "direction", "method",
)
MANIFEST_COLUMNS = ("file", "sha256", "kind", "rows_read", "rows_accepted", "rows_rejected")


@dataclass(frozen=True)
class Tables:
    """Everything a run produces, handed from `tidy`/`progress` to `render`.

    - projects: PROJECT_COLUMNS, sorted by region order then 表示順 (display order);
      region is the short name (道北), purpose is 概要・目的.
    - measures: MEASURE_COLUMNS, sorted by project then 表示順; aliases is a tuple of str.
    - kpis: KPI_MASTER_COLUMNS (base_year/target_year int, values float,
      direction 増加|減少, method 達成率|改善率), sorted by project order then file order.
    - initiatives: INITIATIVE_COLUMNS, in display order.
    - kpi: KPI_COLUMNS, sorted by project order, KPI order, year, kind.
    - manifest: MANIFEST_COLUMNS, one row per input file (master files included), sorted by file.
    - regions: columns region (short, 道北), name (道北連携地域), bureaus (tuple of 振興局).
    """

    fiscal_year: int
    projects: pd.DataFrame
    measures: pd.DataFrame
    kpis: pd.DataFrame
    initiatives: pd.DataFrame
    kpi: pd.DataFrame
    manifest: pd.DataFrame
    regions: pd.DataFrame
    warnings: tuple = field(default=())


@dataclass(frozen=True)
class Snapshot:
    """A workbook written by `sheet`, read back from its data sheets (what `diff` compares).

    label is the path as the user gave it; the frames have the columns of the tidy
    frames above (initiatives: INITIATIVE_COLUMNS, kpi: KPI_COLUMNS, projects:
    PROJECT_COLUMNS, measures: MEASURE_COLUMNS, kpis: KPI_MASTER_COLUMNS).
    """

    label: str
    fiscal_year: int
    sha256: str
    initiatives: pd.DataFrame
    kpi: pd.DataFrame
    projects: pd.DataFrame
    measures: pd.DataFrame
    kpis: pd.DataFrame
