"""Diff, the KPI model's additions: the 対象年度 of an actual and the interim / yearly targets.

Pure helpers of pipeline/diff.py.  An actual is the same when its value and the year its
figure measures (measured_year, 対象年度) are: moving a figure to another measured year is
a revision, shown in the year label (R3（R元の値 → R2の値）).  The interim and yearly
targets (kpi frame rows of kind yearly / interim) are part of a KPI's definition: the
field `targets` lists them (R3 年度目標値 2.3；R9 中間目標値 4,880).
"""
from __future__ import annotations

import pandas as pd

from schemas.cells import is_missing, number_text
from schemas.eras import short_label
from schemas.vocab import INTERIM, KPI_KIND_LABELS, YEARLY

MEASURED = "{year}の値"
ARROW = " → "
SEPARATOR = "；"


def _measured(row: dict | None) -> int | None:
    value = None if row is None else row.get("measured_year")
    return None if is_missing(value) else int(value)


def same_measure(old: dict, new: dict) -> bool:
    """Both actuals measure the same year (both as reported, or the same 対象年度)."""
    return _measured(old) == _measured(new)


def year_label(year: int, old: dict | None, new: dict | None) -> str:
    """R3; R3（R元の値） when the figure measures another year; R3（R元の値 → R2の値） when
    that changed (一 side as reported: R3の値)."""
    before, after = _measured(old), _measured(new)
    if before is None and after is None:
        return short_label(year)
    shown = [MEASURED.format(year=short_label(m if m is not None else year))
             for m, row in ((before, old), (after, new)) if row is not None]
    if len(shown) == 2 and shown[0] == shown[1]:
        shown = shown[:1]
    return f"{short_label(year)}（{ARROW.join(shown)}）"


def with_targets(kpis: pd.DataFrame, kpi: pd.DataFrame) -> pd.DataFrame:
    """A copy of the KPI definitions with `targets`: each KPI's interim and yearly targets
    in year order ("" without any), compared as one field."""
    rows = kpi[kpi["kind"].isin((YEARLY, INTERIM))] if len(kpi) else kpi
    texts: dict[str, list[str]] = {}
    for kid, year, kind, value in sorted(zip(rows["kpi_id"], rows["year"], rows["kind"], rows["value"]),
                                         key=lambda r: (str(r[0]), int(r[1]))):
        texts.setdefault(str(kid), []).append(
            f"{short_label(int(year))} {KPI_KIND_LABELS[kind]} {number_text(value, grouped=True)}")
    return kpis.assign(targets=[SEPARATOR.join(texts.get(str(k), [])) for k in kpis["kpi_id"]])
