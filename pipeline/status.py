"""Status (見込み): is each KPI's latest actual on the way to its target?

`kpi_status(kpis, kpi, fiscal_year)` turns the KPI master and the tidy kpi frame into
one row per KPI (STATUS_COLUMNS).  The rules are tried in the order of the status table
`STATUSES` below (key, Japanese label, the rule as the 一覧 legend and the README state
it, and the predicate); the first that holds wins.  pipeline/styles.py maps each key to
its colours, nothing more:

- 達成 (achieved): the 進捗率 of the latest actual is ≥ 100 % (unrounded, so 99.96 %,
  shown as 100.0 %, is not yet 達成);
- 順調 (on_track): the latest actual is on or past the straight line from 基準値 in
  基準年度 to 目標値 in 目標年度, at the latest actual's year — "past" means ≥ for a
  増加 KPI and ≤ for a 減少 one;
- 遅れ (behind): there is a latest actual and a line, and the actual is short of it;
- 未把握 (no_data): anything else — no actual yet, or no line to judge by.

Quirks (each one tested in tests/test_status.py):
- the latest actual is the most recent year whose actual has a value: actual rows with
  a missing value (未確定) are skipped, as are actuals after `fiscal_year`;
- at or after 目標年度 the line is at 目標値, so a KPI whose latest actual is in or after
  its 目標年度 and short of the target is 遅れ; at or before 基準年度 it is at 基準値;
- 基準年度 == 目標年度 (or later): the line is at 目標値 in every year;
- 改善率 KPIs: the sense of "past the line" follows the sign of 目標値 − 基準値 (the
  same sign that makes the 改善率 work for 減少 KPIs), not the 方向 column; when
  目標値 == 基準値 the 方向 column decides;
- 進捗率 is the kpi frame's `progress` of the latest actual row; when that is missing it
  is computed with progress.ratio from the master (NaN without one);
- a KPI that has rows in the kpi frame but no master entry is listed after the master's
  KPIs (in order of first appearance) with no 基準/目標 and no line: 達成 if its
  progress says so, otherwise 未把握.

The function is pure: its inputs are read, never modified.
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import pandas as pd

from schemas.cells import is_missing
from schemas.vocab import DECREASE, DEFAULT_DIRECTION, DEFAULT_METHOD, IMPROVEMENT

from . import progress as P

STATUS_COLUMNS = (
    "kpi_id", "project_id", "indicator", "unit", "direction", "method",
    "base_year", "base_value",        # 基準年度 (Int64) and 基準値
    "latest_year", "latest_value",    # the latest actual with a value (Int64 / float)
    "target_year", "target_value",    # 目標年度 and 目標値
    "progress",                       # 進捗率 of the latest actual, unrounded
    "expected",                       # the line's value at latest_year
    "status",                         # key of a STATUSES row (achieved, on_track, …)
    "label",                          # its Japanese label (達成, 順調, 遅れ, 未把握)
)

TOLERANCE = 1e-9  # relative: a value on the line computed with floats still counts as on it


def _float(value: object) -> float:
    return math.nan if is_missing(value) else float(value)


def _year(value: object) -> int | None:
    return None if is_missing(value) else int(value)


def _text(value: object, default: str = "") -> str:
    return default if is_missing(value) or str(value) == "" else str(value)


def line_value(base_year: int | None, base_value: float, target_year: int | None,
               target_value: float, year: int | None) -> float:
    """The straight line from (基準年度, 基準値) to (目標年度, 目標値) at `year`.

    At or after 目標年度 — and in every year when 基準年度 ≥ 目標年度 — it is 目標値;
    at or before 基準年度 it is 基準値.  NaN when a year or value is missing.
    """
    if base_year is None or target_year is None or year is None:
        return math.nan
    base_value, target_value = _float(base_value), _float(target_value)
    if math.isnan(base_value) or math.isnan(target_value):
        return math.nan
    if year >= target_year or base_year >= target_year:
        return target_value
    if year <= base_year:
        return base_value
    return base_value + (target_value - base_value) * (year - base_year) / (target_year - base_year)


def sense(direction: str, method: str, base_value: float, target_value: float) -> int:
    """+1 when a higher actual is better, −1 when a lower one is (see the module's quirks)."""
    if method == IMPROVEMENT and not (math.isnan(base_value) or math.isnan(target_value)) \
            and target_value != base_value:
        return 1 if target_value > base_value else -1
    return -1 if direction == DECREASE else 1


def _has_actual(k: dict) -> bool:
    return k["latest_year"] is not None


def _has_line(k: dict) -> bool:
    return _has_actual(k) and not math.isnan(k["expected"])


def _on_or_past_line(k: dict) -> bool:
    if not _has_line(k):
        return False
    gap = k["sense"] * (k["latest_value"] - k["expected"])
    return gap >= -TOLERANCE * max(1.0, abs(k["expected"]))


class Status(NamedTuple):
    """One 見込み: its key (styles maps it to colours), label, rule text and predicate."""

    key: str
    label: str
    rule: str
    holds: Callable[[dict], bool]


# In the order the rules are tried (and the 一覧 legend lists them); no_data always holds.
STATUSES: tuple[Status, ...] = (
    Status("achieved", "達成", "最新実績の進捗率が100％以上",
           lambda k: _has_actual(k) and k["progress"] >= 1),  # NaN >= 1 is False
    Status("on_track", "順調",
           "最新実績が、基準年度の基準値と目標年度の目標値を結ぶ直線上のその年度の値以上"
           "（減少のＫＰＩは以下）", _on_or_past_line),
    Status("behind", "遅れ",
           "最新実績が直線上の値に届かない（目標年度を過ぎて目標値に届かないときを含む）", _has_line),
    Status("no_data", "未把握",
           "実績値がまだない（基準値・目標値がなく判定できないときを含む）", lambda k: True),
)


def _judge(k: dict) -> Status:
    return next(status for status in STATUSES if status.holds(k))


def _latest(rows: list[dict], fiscal_year: int | None) -> dict | None:
    """The actual row of the most recent year that has a value (the last one in a tie)."""
    best = None
    for row in rows:
        year = _year(row.get("year"))
        if row.get("kind") != "actual" or year is None or is_missing(row.get("value")):
            continue
        if fiscal_year is not None and year > fiscal_year:
            continue
        if best is None or year >= _year(best["year"]):
            best = row
    return best


def kpi_status(kpis: pd.DataFrame, kpi: pd.DataFrame, fiscal_year: int | None = None) -> pd.DataFrame:
    """One row per KPI (STATUS_COLUMNS): base, latest actual, target, 進捗率, line value, 見込み.

    `kpis` is the KPI master (KPI_MASTER_COLUMNS), `kpi` the tidy frame (KPI_COLUMNS);
    rows follow the master's order, then KPIs known only from `kpi`.  Actuals after
    `fiscal_year` (when given) are ignored.  Neither input is modified.
    """
    kpi_columns = ("kpi_id", "project_id", "indicator", "unit", "year", "kind", "value", "progress")
    rows_by_kpi: dict[str, list[dict]] = {}
    if kpi is not None and len(kpi):
        present = [c for c in kpi_columns if c in kpi.columns]
        for record in kpi.loc[:, present].to_dict("records"):
            rows_by_kpi.setdefault(_text(record.get("kpi_id")), []).append(record)

    masters: list[dict] = []
    if kpis is not None and len(kpis):
        masters = kpis.to_dict("records")
    known = {_text(m.get("kpi_id")) for m in masters}
    for kpi_id, rows in rows_by_kpi.items():
        if kpi_id not in known:
            first = rows[0]
            masters.append({"kpi_id": kpi_id, "project_id": first.get("project_id"),
                            "indicator": first.get("indicator"), "unit": first.get("unit"),
                            "_no_master": True})
            known.add(kpi_id)

    out = []
    for m in masters:
        kpi_id = _text(m.get("kpi_id"))
        direction = _text(m.get("direction"), DEFAULT_DIRECTION)
        method = _text(m.get("method"), DEFAULT_METHOD)
        base_year, target_year = _year(m.get("base_year")), _year(m.get("target_year"))
        base_value, target_value = _float(m.get("base_value")), _float(m.get("target_value"))
        latest = _latest(rows_by_kpi.get(kpi_id, []), fiscal_year)
        latest_year = None if latest is None else _year(latest["year"])
        latest_value = math.nan if latest is None else _float(latest["value"])
        progress = math.nan if latest is None else _float(latest.get("progress"))
        if latest is not None and math.isnan(progress) and not m.get("_no_master"):
            progress = P.ratio(latest_value, base_value, target_value, direction, method)
        expected = line_value(base_year, base_value, target_year, target_value, latest_year)
        facts = {"latest_year": latest_year, "latest_value": latest_value, "progress": progress,
                 "expected": expected, "sense": sense(direction, method, base_value, target_value)}
        status = _judge(facts)
        out.append({
            "kpi_id": kpi_id, "project_id": _text(m.get("project_id")),
            "indicator": _text(m.get("indicator")), "unit": _text(m.get("unit")),
            "direction": direction, "method": method,
            "base_year": base_year, "base_value": base_value,
            "latest_year": latest_year, "latest_value": latest_value,
            "target_year": target_year, "target_value": target_value,
            "progress": progress, "expected": expected, "status": status.key, "label": status.label,
        })
    frame = pd.DataFrame(out, columns=list(STATUS_COLUMNS))
    for column in ("base_year", "latest_year", "target_year"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    for column in ("base_value", "latest_value", "target_value", "progress", "expected"):
        frame[column] = frame[column].astype(float)
    return frame
