"""Progress: 進捗率 of every actual with a value, unrounded.

達成率 = 実績値 ÷ 目標値 (減少: 目標値 ÷ 実績値);
改善率 = (実績値 − 基準値) ÷ (目標値 − 基準値) — the sign of the denominator makes it
work for 減少 KPIs too.  Rounding is the workbook's business (one format for all).
"""
from __future__ import annotations

import math

import pandas as pd


def ratio(actual: float, base: float, target: float, direction: str, method: str) -> float:
    """One progress ratio; NaN when it cannot be computed (missing value, division by zero)."""
    if actual is None or math.isnan(actual):
        return math.nan
    if method == "改善率":
        return math.nan if target == base else (actual - base) / (target - base)
    if direction == "減少":
        return math.nan if actual == 0 else target / actual
    return math.nan if target == 0 else actual / target


def with_progress(kpi: pd.DataFrame, kpis: pd.DataFrame) -> pd.DataFrame:
    """A copy of the kpi frame with `progress` filled on actual rows."""
    master = kpis.set_index("kpi_id")
    progress = [
        ratio(value, master.at[kid, "base_value"], master.at[kid, "target_value"],
              master.at[kid, "direction"], master.at[kid, "method"]) if kind == "actual" else math.nan
        for kid, kind, value in zip(kpi["kpi_id"], kpi["kind"], kpi["value"])
    ]
    return kpi.assign(progress=pd.Series(progress, index=kpi.index, dtype=float))
