"""The frames that flow between stages, named in one place.

Every stage is a pure function from frames to frames.  The tidy frames below are
what `tidy` produces, what `render` writes to CSV and to the workbook, and what
`diff` reads back.  Column order here is the column order of the CSV files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from schemas import columns as C

if TYPE_CHECKING:
    from .report import Report

# Column names, in CSV order; each column is declared once in schemas/columns.py.
INITIATIVE_COLUMNS = C.names(C.INITIATIVES)
KPI_COLUMNS = C.names(C.KPI)
KPI_CSV_COLUMNS = C.names(C.KPI_CSV)
PROJECT_COLUMNS = C.names(C.PROJECTS)
MEASURE_COLUMNS = C.names(C.MEASURES)
KPI_MASTER_COLUMNS = C.names(C.KPI_MASTER)
MANIFEST_COLUMNS = C.names(C.MANIFEST)


@dataclass(frozen=True)
class Tables:
    """Everything a run produces, handed from `tidy`/`progress` to `render`.

    - projects: PROJECT_COLUMNS, sorted by region order then 表示順 (display order);
      region is the short name (道北), purpose is 概要・目的.
    - measures: MEASURE_COLUMNS, sorted by project then 表示順; aliases is a tuple of str.
    - kpis: KPI_MASTER_COLUMNS (base_year/target_year int, values float,
      direction 増加|減少, method a name of methods.csv, target_text a 目標値 that is not a
      number), sorted by project order then file order.
    - initiatives: INITIATIVE_COLUMNS, in display order.
    - kpi: KPI_COLUMNS, sorted by project order, KPI order, year, kind.
    - manifest: MANIFEST_COLUMNS, one row per input file (master files included), sorted by file.
    - regions: columns region (short, 道北), name (道北連携地域), bureaus (tuple of 振興局).
    - settings: {name: value} of the per-document settings (master/settings.csv, defaults
      from schemas/reference/settings.csv): attachment (別紙２ or ""), title.
    - report: what the workbook's sheets show (pipeline/report.py), built from the above.
    - area_styles: {NFKC key of a 地域 as written: the house style printed (宗谷, 連携地域)};
      initiatives keep the 地域 as written, the report prints this form.
    - formulas: {算定方法: formula key} (schemas/reference/methods.csv); empty: the
      defaults of pipeline/progress.py (達成率, 改善率).
    - grades: the 評価 scale of master/grades.csv, ((評価, lower bound as a ratio or None), …)
      in order; empty: no grades shown.
    - parts: one Tables per 連携地域 when the run spans more than one (pipeline/regions.py),
      each written as its own workbook; () for a run of one region.
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
    report: Report | None = None
    settings: dict = field(default_factory=dict)
    area_styles: dict = field(default_factory=dict)
    formulas: dict = field(default_factory=dict)
    grades: tuple = ()
    parts: tuple = ()


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
