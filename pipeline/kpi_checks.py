"""Checks of the KPI model across tables: what a 算定方法 needs of the values, targets that
are not one number, master/targets.csv, master/grades.csv and the 対象年度 of actuals.

Each returns Problems (validate._Reporter) naming the row and the column as written.
The reasons a formula cannot be computed come from pipeline/progress.py (where the
formulas are); the method's name and description from schemas/reference/methods.csv.
"""
from __future__ import annotations

import math

import pandas as pd

from schemas.cells import cell_text, key, parse_number, parse_year
from schemas.eras import short_label
from schemas.grades import parse_bound
from schemas.targets import target_of
from schemas.vocab import DEFAULT_METHOD, NO_PROGRESS, TARGET, YEARLY

from . import progress as P
from .errors import place
from .normalize import kpi_lookup
from .validate import _Reporter, choices, shown


def _methods(ref) -> dict:
    """{算定方法: (formula key, implied 方向, description)}."""
    if ref.methods is None:
        return {}
    return {n: (f, d, t) for n, f, d, t in zip(ref.methods["name"], ref.methods["formula"],
                                               ref.methods["direction"], ref.methods["description"])}


def blocked_message(reason: str, method: str, description: str) -> str:
    """「目標値が0のため、達成率（実績値 ÷ 目標値…）を計算できません」."""
    return f"{reason}、{method}（{description}）を計算できません"


def _kpi_row_problems(report: _Reporter, raw: dict, kpi: dict, methods: dict, ref) -> None:
    """One kpis.csv row: the method's implied 方向, the 目標値's bound, a text target, and
    whether the method can be computed with its 基準値 and 目標値."""
    formula, implied, description = methods.get(kpi["method"], ("", "", ""))
    written = key(raw["方向"])
    if implied and written and written != implied:
        report.add(raw, "方向", f"方向「{written}」は算定方法「{kpi['method']}」（{implied}の指標の算定方法）と"
                              f"合いません（空欄か{implied}にしてください）", hint=f"空欄または{implied}")
    try:
        target = target_of(raw["目標値"], ref, unit=cell_text(raw["単位"]))
    except ValueError:
        return  # another unit: reported by the schema
    if target.direction and target.direction != kpi["direction"]:
        report.add(raw, "目標値", f"目標値「{shown(raw['目標値'])}」は{target.direction}の目標ですが、方向は"
                                 f"「{kpi['direction']}」です（方向の「{kpi['direction']}」として扱います）", "warning")
    if target.text:
        report.add(raw, "目標値", f"目標値「{shown(target.text)}」は数値ではありません。書かれたとおりに表示し、"
                                 f"進捗率は「{NO_PROGRESS}」、見込みは未把握とします", "warning")
    elif formula and not math.isnan(kpi["target_value"]):
        reason = P.blocker(math.nan, kpi["base_value"], kpi["target_value"], kpi["direction"], formula)
        if reason:
            report.add(raw, "目標値", blocked_message(reason, kpi["method"], description))


def kpi_master_problems(raw: pd.DataFrame, kpis: pd.DataFrame, ref, headers: dict) -> list:
    """kpis.csv rows (raw and typed, same order): see _kpi_row_problems."""
    report = _Reporter(headers)
    methods = _methods(ref)
    for raw_row, kpi in zip(raw.to_dict("records"), kpis.to_dict("records")):
        if kpi["method"] in methods:  # an unknown method is reported by the schema
            _kpi_row_problems(report, raw_row, kpi, methods, ref)
    return report.problems


def _target_year_problem(report: _Reporter, row: dict, kpi: dict) -> None:
    """An interim or yearly target between 基準年度 and 目標年度; a 最終 one as kpis.csv."""
    base, final, year = int(kpi["base_year"]), int(kpi["target_year"]), int(row["year"])
    if row["kind"] == TARGET:
        same = year == final and not math.isnan(kpi["target_value"]) and row["value"] == kpi["target_value"]
        if not same:
            value = kpi["target_text"] or _number(kpi["target_value"])
            report.add(row, "種別", f"最終の目標は kpis.csv の目標年度・目標値（{short_label(final)}・{value}）と"
                                   "同じにしてください（最終の目標は kpis.csv で決めます）")
    elif not base < year < final:
        report.add(row, "年度", f"{short_label(year)}の目標は、基準年度（{short_label(base)}）より後で目標年度"
                               f"（{short_label(final)}）より前の年度にしてください",
                   hint=f"{short_label(base + 1)}〜{short_label(final - 1)}")


def _number(value: float) -> str:
    """A value as a message shows it (5,949 / 2.3)."""
    return f"{value:,.6f}".rstrip("0").rstrip(".") if not float(value).is_integer() else f"{int(value):,}"


def target_problems(targets: pd.DataFrame, raw: pd.DataFrame, kpis: pd.DataFrame, ref, headers: dict) -> list:
    """targets.csv rows: a known KPI, a year in range, one target per KPI and year, the KPI's
    unit, 以上/以下 against 方向 (warning), and a yearly target its method can use."""
    report = _Reporter(headers)
    master = {k["kpi_id"]: k for k in kpis.to_dict("records")}
    methods, first = _methods(ref), {}
    for row, raw_row in zip(targets.to_dict("records"), raw.to_dict("records")):
        row = {**raw_row, **row}
        kpi = master.get(row["kpi_id"])
        if kpi is None:
            report.add(row, "KPI_ID", f"「{shown(raw_row['KPI_ID'])}」というKPIはありません"
                                      "（master/kpis.csv のKPI_IDまたは指標名）",
                       hint=choices(kpis["kpi_id"], "master/kpis.csv のKPI_IDまたは指標名"))
            continue
        if pd.isna(row["year"]) or not row["kind"] or math.isnan(row["value"]):
            _unit_problem(report, row, raw_row, kpi, ref)
            continue  # the rest is reported by the schema
        _target_year_problem(report, row, kpi)
        k = (row["kpi_id"], int(row["year"]))
        if k in first:
            report.add(row, "年度", f"KPI「{k[0]}」の{short_label(k[1])}の目標が {first[k]} と重複しています")
        first.setdefault(k, place(row))
        if row["direction"] and row["direction"] != kpi["direction"]:
            report.add(row, "目標値", f"目標値「{shown(row['written'])}」は{row['direction']}の目標ですが、方向は"
                                     f"「{kpi['direction']}」です（方向の「{kpi['direction']}」として扱います）", "warning")
        formula, _, description = methods.get(kpi["method"], ("", "", ""))
        reason = P.blocker(math.nan, kpi["base_value"], row["value"], kpi["direction"], formula) \
            if formula and row["kind"] == YEARLY else ""
        if reason:
            report.add(row, "目標値", blocked_message(reason, kpi["method"], description))
    return report.problems


def _unit_problem(report: _Reporter, row: dict, raw_row: dict, kpi: dict, ref) -> None:
    """A target that is a number followed by a unit other than the KPI's."""
    try:
        target_of(raw_row["目標値"], ref, unit=kpi["unit"])
    except ValueError:
        report.add(row, "目標値", f"「{shown(raw_row['目標値'])}」の単位がKPIの単位「{kpi['unit']}」と違います",
                   hint=f"数値だけ、または単位「{kpi['unit']}」を付けた数値")


def grade_problems(raw: pd.DataFrame, headers: dict) -> list:
    """grades.csv: names once each, bounds falling from row to row, a blank bound only last."""
    report = _Reporter(headers)
    rows = raw.to_dict("records")
    seen, previous = {}, None
    for index, row in enumerate(rows):
        name = cell_text(row["評価"]).strip()
        if name and name in seen:
            report.add(row, "評価", f"評価「{name}」が重複しています（{seen[name]} と同じ）")
        seen.setdefault(name, place(row))
        try:
            bound = parse_bound(row["進捗率の下限"])
        except ValueError:
            continue  # reported by the schema
        if bound is None and index < len(rows) - 1:
            report.add(row, "進捗率の下限", "下限が空欄の評価は最後の行にしてください（空欄は下限なし）")
        elif bound is not None and previous is not None and bound >= previous:
            report.add(row, "進捗率の下限", f"下限（{_number(bound * 100)}%）が前の行の下限"
                                        f"（{_number(previous * 100)}%）より小さくありません（上の評価から順に、下限の大きい順に）")
        previous = bound if bound is not None else previous
    return report.problems


def actual_problems(frame: pd.DataFrame, kpis: pd.DataFrame, targets: pd.DataFrame | None, ref,
                    headers: dict) -> list:
    """KPI実績 rows: 対象年度 not after 年度; a 実績値 the method cannot use (0 of a 減少 達成率)."""
    report = _Reporter(headers)
    find, master, methods = kpi_lookup(kpis), {k["kpi_id"]: k for k in kpis.to_dict("records")}, _methods(ref)
    missing = frozenset(ref.values["未確定"])
    for row in frame.to_dict("records"):
        kid = find.get(key(row["KPI"]))
        try:
            year = parse_year(row["年度"])
            measured = parse_year(row["対象年度"]) if cell_text(row.get("対象年度", "")).strip() else None
            value = parse_number(row["実績値"], missing, unit=master[kid]["unit"]).value if kid else None
        except ValueError:
            continue  # reported by the schema or validate
        if measured is not None and measured > year:
            report.add(row, "対象年度", f"対象年度（{short_label(measured)}）が年度（{short_label(year)}）より後です"
                                     "（実績値が表す年度は、報告する年度かそれより前）",
                       hint=f"{short_label(year)}またはそれより前")
        if kid is None or value is None:
            continue
        kpi = master[kid]
        formula, _, description = methods.get(kpi["method"], methods.get(DEFAULT_METHOD, ("", "", "")))
        reason = P.FORMULAS[formula].actual_blocker(value, kpi["direction"]) if formula in P.FORMULAS else ""
        if reason:
            report.add(row, "実績値", blocked_message(reason, kpi["method"], description)
                       + f"。進捗率は「{NO_PROGRESS}」にします", "warning")
    return report.problems

