"""Progress: 進捗率 of every actual with a value, unrounded; the formulas, each written once.

A 算定方法 (schemas/reference/methods.csv: its name, aliases, formula key, implied 方向)
names one of FORMULAS by its key:

- achievement: 実績値 ÷ 目標値; for a 減少 KPI 目標値 ÷ 実績値 (達成率, 現状維持型Ⅰ);
- improvement: (実績値 − 基準値) ÷ (目標値 − 基準値) — the sign of the denominator makes it
  work for 減少 KPIs too, so (基準値 − 実績値) ÷ (基準値 − 目標値) is the same formula
  (改善率, 進捗割合型Ⅰ, 進捗割合型Ⅱ);
- ceiling: 1 − (実績値 − 目標値) ÷ 目標値, a target to stay at or below (現状維持型Ⅱ).

Each formula also says when it cannot be computed (the reason is part of a message: a
master row for 目標値 = 0 or 目標値 = 基準値, an actual row for 実績値 = 0 of a 減少
達成率) and which way is better (`sense`, what the 見込み line compares with).  The
target of an actual is its year's own target (kind YEARLY, master/targets.csv) where one
is given, else the final one.  Rounding is the workbook's business (one format for all).
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import pandas as pd

from schemas.vocab import ACHIEVEMENT, ACTUAL, DECREASE, IMPROVEMENT, YEARLY

ACHIEVEMENT_FORMULA = "achievement"
IMPROVEMENT_FORMULA = "improvement"
CEILING_FORMULA = "ceiling"

ZERO_TARGET = "目標値が0のため"
TARGET_IS_BASE = "目標値が基準値と同じため"
ZERO_ACTUAL = "実績値が0のため"
TOLERANCE = 1e-9   # a ratio within this of a grade's lower bound reaches it (float noise)


class Formula(NamedTuple):
    """One progress formula: the ratio, what stops it (a reason, "" when nothing), and
    +1 / −1 when a higher / lower actual is better.  Arguments are floats and 方向."""

    key: str
    compute: Callable[[float, float, float, str], float]      # (actual, base, target, direction)
    target_blocker: Callable[[float, float, str], str]        # (base, target, direction)
    actual_blocker: Callable[[float, str], str]               # (actual, direction)
    sense: Callable[[float, float, str], int]                 # (base, target, direction)


def _by_direction(base: float, target: float, direction: str) -> int:
    return -1 if direction == DECREASE else 1


def _by_target(base: float, target: float, direction: str) -> int:
    if math.isnan(base) or math.isnan(target) or target == base:
        return _by_direction(base, target, direction)
    return 1 if target > base else -1


FORMULAS: dict[str, Formula] = {f.key: f for f in (
    Formula(ACHIEVEMENT_FORMULA,
            lambda a, b, t, d: t / a if d == DECREASE else a / t,
            lambda b, t, d: ZERO_TARGET if t == 0 else "",
            lambda a, d: ZERO_ACTUAL if d == DECREASE and a == 0 else "",
            _by_direction),
    Formula(IMPROVEMENT_FORMULA,
            lambda a, b, t, d: (a - b) / (t - b),
            lambda b, t, d: TARGET_IS_BASE if t == b else "",
            lambda a, d: "",
            _by_target),
    Formula(CEILING_FORMULA,
            lambda a, b, t, d: 1 - (a - t) / t,
            lambda b, t, d: ZERO_TARGET if t == 0 else "",
            lambda a, d: "",
            lambda b, t, d: -1),
)}
DEFAULT_FORMULAS = {ACHIEVEMENT: ACHIEVEMENT_FORMULA, IMPROVEMENT: IMPROVEMENT_FORMULA}
"""The formula of a method when no methods table is given (tests/test_vocab.py: as in methods.csv)."""


def formula_of(method: str, formulas: dict | None = None) -> Formula:
    """The Formula of a 算定方法 name (`formulas`: name → key, from methods.csv), or of a key."""
    key = (formulas or DEFAULT_FORMULAS).get(method, method)
    return FORMULAS.get(key) or FORMULAS[ACHIEVEMENT_FORMULA]


def _formula(formula: str) -> Formula:
    """A formula by key, or by the name of a default method (達成率, 改善率)."""
    return FORMULAS[DEFAULT_FORMULAS.get(formula, formula)]


def blocker(actual: float, base: float, target: float, direction: str, formula: str) -> str:
    """Why the ratio cannot be computed ("" when it can, or when a value is missing): a
    reason that ends a clause (目標値が0のため).  `formula` is a key of FORMULAS."""
    f = _formula(formula)
    if math.isnan(target) or (f.key == IMPROVEMENT_FORMULA and math.isnan(base)):
        return ""
    return f.target_blocker(base, target, direction) or \
        ("" if actual is None or math.isnan(actual) else f.actual_blocker(actual, direction))


def ratio(actual: float, base: float, target: float, direction: str, formula: str) -> float:
    """One progress ratio by formula key (or default method name); NaN when a value is
    missing or the formula is blocked (see `blocker`)."""
    f = _formula(formula)
    if actual is None or math.isnan(actual) or math.isnan(target):
        return math.nan
    if f.key == IMPROVEMENT_FORMULA and math.isnan(base):
        return math.nan
    if blocker(actual, base, target, direction, f.key):
        return math.nan
    return f.compute(actual, base, target, direction)


def sense(direction: str, formula: str, base: float, target: float) -> int:
    """+1 when a higher actual is better, −1 when a lower one is (the formula decides)."""
    return _formula(formula).sense(base, target, direction)


def yearly_targets(kpi: pd.DataFrame) -> dict[tuple[str, int], float]:
    """{(KPI_ID, year): that year's own target} from the kpi frame's YEARLY rows."""
    if "year" not in kpi.columns:
        return {}
    rows = kpi[kpi["kind"] == YEARLY]
    return {(kid, int(year)): float(value) for kid, year, value in zip(rows["kpi_id"], rows["year"], rows["value"])
            if not pd.isna(value)}


def with_progress(kpi: pd.DataFrame, kpis: pd.DataFrame, formulas: dict | None = None) -> pd.DataFrame:
    """A copy of the kpi frame with `progress` filled on actual rows.

    `formulas` maps a 算定方法 name to its formula key (methods.csv; DEFAULT_FORMULAS
    when None).  A year with its own target (YEARLY) is measured against it.
    """
    master = kpis.set_index("kpi_id")
    own = yearly_targets(kpi)

    def one(kid: str, year, value: float) -> float:
        target = own.get((kid, None if pd.isna(year) else int(year)), float(master.at[kid, "target_value"]))
        return ratio(value, float(master.at[kid, "base_value"]), target, master.at[kid, "direction"],
                     formula_of(master.at[kid, "method"], formulas).key)

    years = kpi["year"] if "year" in kpi.columns else [None] * len(kpi)
    progress = [one(kid, year, value) if kind == ACTUAL else math.nan
                for kid, kind, year, value in zip(kpi["kpi_id"], kpi["kind"], years, kpi["value"])]
    return kpi.assign(progress=pd.Series(progress, index=kpi.index, dtype=float))


def grade(progress: float, scale: tuple) -> str:
    """The 評価 of a ratio on a scale ((評価, lower bound as a ratio or None), …) tried in
    order: the first whose bound it reaches (None: any); "" without a ratio or a scale."""
    if progress is None or math.isnan(progress):
        return ""
    for name, lower in scale:
        if lower is None or progress >= lower - TOLERANCE:
            return name
    return ""
