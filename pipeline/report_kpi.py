"""Report, the KPI part: what a KPI's rows in 【ＫＰＩの状況】 and its chart show.

Decided here (each tested in tests/test_report.py and tests/test_miyagi.py):
- 進捗率 as shown: rounded half-up to 0.1 %; with 進捗率の表示 = 上限付き a ratio above
  100 % is `100%超` and one below 0 % `0%未満` (exactly 100 % stays 100.0 %); an actual
  with a value whose 進捗率 cannot be computed (a target that is not a number, 実績値 0 of
  a 減少 達成率) shows `－`.  A shown 進捗率 "hits" when the unrounded ratio is ≥ 100 %;
- in the KPI table an actual wins over the baseline or a target of the same year, and
  the hidden target is then named under the indicator (目標値：7,400人（R2）, 年度目標値 …);
- interim and yearly targets are shown in their years' columns, shaded like the final
  one, and are points of the chart's target series and of the line (piecewise);
- a figure that measures an earlier year (対象年度) keeps the reported year's column and
  is named in a footnote under the indicator;
- a text target (目標値 not a number) is printed as written in its year's column;
- 評価 of each 進捗率 on the scale of master/grades.csv (progress.grade), none without one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

import pandas as pd

from schemas.cells import is_missing
from schemas.vocab import (
    ABOVE_LABEL, ACTUAL, BELOW_LABEL, CAPPED_DISPLAY, INTERIM, KPI_KIND_LABELS, NO_PROGRESS, TARGET, TARGET_KINDS,
    YEARLY,
)

from . import progress as P
from .status import TOLERANCE, line_value, stops_of


@dataclass(frozen=True)
class KpiView:
    """One KPI as its project sheet shows it.

    values: year → (value, kind) in the KPI table (value a str for a text target);
    progress: year → 進捗率 as shown (rounded to 0.1 %, or a label: 100%超, 0%未満, －);
    target_note: the final 目標値 to name under the indicator (None when its year's column
    shows the target itself); actual / target / line: the three chart series by year;
    base_value: the 基準値 (NaN when unknown); hits: years whose 進捗率 is ≥ 100 %;
    grades: year → 評価; notes: (label, value, year) of the interim and yearly targets
    hidden by an actual; measured: year → the year its figure measures (when earlier);
    piecewise: the line runs through interim or yearly targets.
    """

    kpi_id: str
    indicator: str
    unit: str
    base_year: int | None
    target_year: int | None
    base_value: float
    values: dict
    progress: dict
    target_note: float | None
    actual: dict
    target: dict
    line: dict
    hits: frozenset = frozenset()
    grades: dict = field(default_factory=dict)
    notes: tuple = ()
    measured: dict = field(default_factory=dict)
    piecewise: bool = False


def round_progress(value: float) -> float:
    """Progress rounded half-up to 0.1 % (0.001), the one rule for every printed 進捗率."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def shown_progress(value: float, display: str = "") -> float | str:
    """進捗率 as the sheets show it (see the module's rules); NaN stays NaN."""
    if is_missing(value) or math.isnan(value):
        return math.nan
    if display == CAPPED_DISPLAY and value > 1 + TOLERANCE:
        return ABOVE_LABEL
    if display == CAPPED_DISPLAY and value < -TOLERANCE:
        return BELOW_LABEL
    return round_progress(value)


def hits(value: float) -> bool:
    """True when a 進捗率 reaches 100 % (unrounded, within float noise)."""
    return not (is_missing(value) or math.isnan(value)) and value >= 1 - TOLERANCE


def _table_values(rows: list[dict], display: str, scale: tuple) -> tuple[dict, dict, dict, dict]:
    """(year → (value, kind), year → 進捗率 shown, year → 評価, year → hidden targets) of a KPI."""
    values: dict[int, tuple] = {}
    progress: dict[int, float | str] = {}
    grades: dict[int, str] = {}
    targets: dict[int, tuple] = {}
    for row in rows:
        year, kind, value = row["year"], str(row["kind"]), row["value"]
        if is_missing(year):
            continue
        year = int(year)
        if kind == ACTUAL and not is_missing(value):
            ratio = row["progress"]
            progress[year] = NO_PROGRESS if is_missing(ratio) else shown_progress(ratio, display)
            grades[year] = P.grade(math.nan if is_missing(ratio) else float(ratio), scale)
        if is_missing(value):
            continue
        if kind in TARGET_KINDS:
            targets[year] = (float(value), kind)
        if kind == ACTUAL or year not in values:
            values[year] = (float(value), kind)  # an actual wins over a target in the same year
    return values, progress, grades, targets


def chart_series(rows: list[dict], years: Sequence[int], status: dict) -> tuple[dict, dict, dict]:
    """(実績値, 目標値, 基準値→目標値の線) of one KPI by year: the three series of its chart.

    The line runs from 基準年度 to 目標年度 only (status.line_value between them, through
    the interim and yearly targets), the targets are points at their years; both are empty
    for a KPI without master data.
    """
    actual = {int(r["year"]): float(r["value"]) for r in rows
              if str(r["kind"]) == ACTUAL and not is_missing(r["year"]) and not is_missing(r["value"])}
    target = {int(r["year"]): float(r["value"]) for r in rows
              if str(r["kind"]) in (YEARLY, INTERIM) and not is_missing(r["year"]) and not is_missing(r["value"])}
    line: dict[int, float] = {}
    base_year, target_year = status.get("base_year"), status.get("target_year")
    if not is_missing(base_year) and not is_missing(target_year):
        base_year, target_year = int(base_year), int(target_year)
        stops = stops_of(rows)
        for year in years:
            if min(base_year, target_year) <= year <= target_year:
                value = line_value(base_year, status.get("base_value"), target_year,
                                   status.get("target_value"), year, stops)
                if not math.isnan(value):
                    line[year] = value
    if not is_missing(target_year) and not is_missing(status.get("target_value")):
        target[int(target_year)] = float(status["target_value"])
    return actual, dict(sorted(target.items())), line


def kpi_view(kpi: dict, rows: list[dict], years: Sequence[int], status: dict, *, display: str = "",
             scale: tuple = ()) -> KpiView:
    """One KPI of a project page: its table row, 進捗率 and 評価 rows, notes and chart series."""
    values, progress, grades, targets = _table_values(rows, display, scale)
    hidden = {y: t for y, t in targets.items() if values.get(y, (None, ""))[1] == ACTUAL}
    note = next((v for y, (v, kind) in hidden.items() if kind == TARGET and y == kpi["target_year"]), None)
    notes = tuple((KPI_KIND_LABELS[kind], v, y) for y, (v, kind) in sorted(hidden.items()) if kind != TARGET)
    text = kpi.get("target_text") or ""
    if text and kpi["target_year"] is not None and values.get(kpi["target_year"], (None, ""))[1] != ACTUAL:
        values[kpi["target_year"]] = (text, TARGET)
    actual, target, line = chart_series(rows, years, status)
    measured = {int(r["year"]): int(r["measured_year"]) for r in rows
                if str(r["kind"]) == ACTUAL and not is_missing(r.get("measured_year")) and not is_missing(r["year"])}
    ratios = {int(r["year"]): r["progress"] for r in rows if str(r["kind"]) == ACTUAL and not is_missing(r["year"])}
    base = status.get("base_value")
    return KpiView(kpi["kpi_id"], kpi["indicator"], kpi["unit"], kpi["base_year"], kpi["target_year"],
                   math.nan if is_missing(base) else float(base), values, progress, note,
                   actual, target, line, frozenset(y for y, r in ratios.items() if hits(r)),
                   grades if scale else {}, notes, measured, bool(stops_of(rows)))


def kpi_with_status(kpi: pd.DataFrame, statuses: pd.DataFrame, scale: tuple = ()) -> pd.DataFrame:
    """A copy of the tidy kpi frame with `kpi_status` (its KPI's 見込み label on every row)
    and `grade` (the 評価 of an actual's 進捗率; "" without a scale)."""
    labels = dict(zip(statuses["kpi_id"], statuses["label"]))
    grades = [P.grade(p, scale) if kind == ACTUAL else "" for kind, p in
              zip(kpi["kind"], kpi["progress"])] if scale else [""] * len(kpi)
    return kpi.assign(kpi_status=[labels.get(k, "") for k in kpi["kpi_id"]], grade=grades)
