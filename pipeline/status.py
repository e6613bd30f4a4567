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
- interim and yearly targets (kpi frame rows of kind INTERIM / YEARLY, from
  master/targets.csv) are points of the line: it runs from 基準値 to each of them in
  year order, then to 目標値 (piecewise straight);
- the sense of "past the line" follows the formula of the 算定方法 (progress.FORMULAS):
  達成率 and 現状維持型Ⅰ the 方向 column; 改善率 and 進捗割合型Ⅰ/Ⅱ the sign of
  目標値 − 基準値 (the same sign that makes them work for 減少 KPIs; when 目標値 ==
  基準値 the 方向 column decides); 現状維持型Ⅱ (a ceiling) always lower;
- 進捗率 is the kpi frame's `progress` of the latest actual row; when that is missing it
  is computed with progress.ratio from the master, against the year's own target where
  there is one (NaN without one, or with a 目標値 that is not a number);
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
from schemas.vocab import DEFAULT_DIRECTION, DEFAULT_METHOD, INTERIM, YEARLY

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

_KPI_COLUMNS = ("kpi_id", "project_id", "indicator", "unit", "year", "kind", "value", "progress")
"""The columns of the kpi frame that status reads (those present are read)."""

TOLERANCE = 1e-9  # relative: a value on the line computed with floats still counts as on it


def _float(value: object) -> float:
    return math.nan if is_missing(value) else float(value)


def _year(value: object) -> int | None:
    return None if is_missing(value) else int(value)


def _text(value: object, default: str = "") -> str:
    return default if is_missing(value) or str(value) == "" else str(value)


def line_value(base_year: int | None, base_value: float, target_year: int | None,
               target_value: float, year: int | None, stops: tuple = ()) -> float:
    """The line from (基準年度, 基準値) through each of `stops` (interim and yearly targets,
    (year, value)) in year order to (目標年度, 目標値), at `year`: straight between two
    points, so a straight line without stops.

    At or after 目標年度 — and in every year when 基準年度 ≥ 目標年度 — it is 目標値;
    at or before 基準年度 it is 基準値.  NaN when a year or value is missing.  Stops
    outside 基準年度 … 目標年度 (exclusive) or without a value are left out.
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
    inner = sorted((int(y), _float(v)) for y, v in stops
                   if base_year < int(y) < target_year and not math.isnan(_float(v)))
    points = [(base_year, base_value), *inner, (target_year, target_value)]
    for (y0, v0), (y1, v1) in zip(points, points[1:]):
        if y0 <= year < y1:   # a stop's own year: its value exactly (not v0 + (v1 - v0) · 1)
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return target_value  # not reached: year lies between base_year and target_year


def stops_of(rows: list[dict]) -> tuple:
    """((year, value), …) of the interim and yearly targets among a KPI's kpi frame rows."""
    return tuple((_year(r.get("year")), _float(r.get("value"))) for r in rows
                 if r.get("kind") in (INTERIM, YEARLY) and _year(r.get("year")) is not None
                 and not is_missing(r.get("value")))


def _yearly(rows: list[dict], year: int | None, final: float) -> float:
    """The target a year's 進捗率 is measured against: its own (YEARLY) where given, else `final`."""
    own = [_float(r.get("value")) for r in rows if r.get("kind") == YEARLY and _year(r.get("year")) == year]
    return own[0] if own and not math.isnan(own[0]) else final


def sense(direction: str, method: str, base_value: float, target_value: float,
          formulas: dict | None = None) -> int:
    """+1 when a higher actual is better, −1 when a lower one is: the formula of the
    算定方法 decides (progress.FORMULAS; `formulas` maps a name to its formula key)."""
    return P.sense(direction, P.formula_of(method, formulas).key, base_value, target_value)


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


# Added to the 順調 rule in the 一覧 legend when some KPI has interim or yearly targets.
PIECEWISE_RULE = "。中間目標・年度目標のあるＫＰＩは、基準値からそれらの目標値を順に結ぶ折れ線の値"


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


def _rows_by_kpi(kpi: pd.DataFrame | None) -> dict[str, list[dict]]:
    """The kpi frame's rows as records, grouped by KPI_ID in order of first appearance."""
    rows_by_kpi: dict[str, list[dict]] = {}
    if kpi is not None and len(kpi):
        present = [c for c in _KPI_COLUMNS if c in kpi.columns]
        for record in kpi.loc[:, present].to_dict("records"):
            rows_by_kpi.setdefault(_text(record.get("kpi_id")), []).append(record)
    return rows_by_kpi


def _masters(kpis: pd.DataFrame | None, rows_by_kpi: dict[str, list[dict]]) -> list[dict]:
    """The master's records, then one stand-in per KPI known only from the kpi frame.

    A stand-in takes its project, indicator and unit from the KPI's first row; it has no
    基準/目標 (so no line, and no 進捗率 but the kpi frame's).
    """
    masters: list[dict] = kpis.to_dict("records") if kpis is not None and len(kpis) else []
    known = {_text(m.get("kpi_id")) for m in masters}
    return masters + [{"kpi_id": kpi_id, "project_id": rows[0].get("project_id"),
                       "indicator": rows[0].get("indicator"), "unit": rows[0].get("unit")}
                      for kpi_id, rows in rows_by_kpi.items() if kpi_id not in known]


def _progress(latest: dict | None, m: dict, rows: list[dict], direction: str, formula: str) -> float:
    """進捗率 of the latest actual: the kpi frame's, else progress.ratio from the master `m`
    (against the year's own target among `rows` where there is one).

    NaN without a latest actual; NaN too for a stand-in without master data (no 目標値).
    """
    if latest is None:
        return math.nan
    progress = _float(latest.get("progress"))
    if math.isnan(progress):
        target = _yearly(rows, _year(latest["year"]), _float(m.get("target_value")))
        progress = P.ratio(_float(latest["value"]), _float(m.get("base_value")), target, direction, formula)
    return progress


def _status_row(m: dict, rows: list[dict], fiscal_year: int | None, formulas: dict | None) -> dict:
    """One STATUS_COLUMNS row: a master record `m` judged by its kpi rows `rows`."""
    direction = _text(m.get("direction"), DEFAULT_DIRECTION)
    method = _text(m.get("method"), DEFAULT_METHOD)
    formula = P.formula_of(method, formulas).key
    base_year, target_year = _year(m.get("base_year")), _year(m.get("target_year"))
    base_value, target_value = _float(m.get("base_value")), _float(m.get("target_value"))
    latest = _latest(rows, fiscal_year)
    latest_year = None if latest is None else _year(latest["year"])
    latest_value = math.nan if latest is None else _float(latest["value"])
    progress = _progress(latest, m, rows, direction, formula)
    expected = line_value(base_year, base_value, target_year, target_value, latest_year, stops_of(rows))
    status = _judge({"latest_year": latest_year, "latest_value": latest_value, "progress": progress,
                     "expected": expected, "sense": P.sense(direction, formula, base_value, target_value)})
    return {
        "kpi_id": _text(m.get("kpi_id")), "project_id": _text(m.get("project_id")),
        "indicator": _text(m.get("indicator")), "unit": _text(m.get("unit")),
        "direction": direction, "method": method,
        "base_year": base_year, "base_value": base_value,
        "latest_year": latest_year, "latest_value": latest_value,
        "target_year": target_year, "target_value": target_value,
        "progress": progress, "expected": expected, "status": status.key, "label": status.label,
    }


def _status_frame(rows: list[dict]) -> pd.DataFrame:
    """The rows as a frame of STATUS_COLUMNS: years Int64, values float (also when empty)."""
    frame = pd.DataFrame(rows, columns=list(STATUS_COLUMNS))
    for column in ("base_year", "latest_year", "target_year"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    for column in ("base_value", "latest_value", "target_value", "progress", "expected"):
        frame[column] = frame[column].astype(float)
    return frame


def kpi_status(kpis: pd.DataFrame, kpi: pd.DataFrame, fiscal_year: int | None = None,
               formulas: dict | None = None) -> pd.DataFrame:
    """One row per KPI (STATUS_COLUMNS): base, latest actual, target, 進捗率, line value, 見込み.

    `kpis` is the KPI master (KPI_MASTER_COLUMNS), `kpi` the tidy frame (KPI_COLUMNS);
    rows follow the master's order, then KPIs known only from `kpi`.  Actuals after
    `fiscal_year` (when given) are ignored.  `formulas` maps a 算定方法 to its formula
    key (methods.csv; progress.DEFAULT_FORMULAS when None).  Neither input is modified.
    """
    rows_by_kpi = _rows_by_kpi(kpi)
    return _status_frame([_status_row(m, rows_by_kpi.get(_text(m.get("kpi_id")), []), fiscal_year, formulas)
                          for m in _masters(kpis, rows_by_kpi)])
