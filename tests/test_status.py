"""pipeline.status: 見込み (達成 / 順調 / 遅れ / 未把握) of every KPI, from tiny inline frames."""
from __future__ import annotations

import copy
import math

import pandas as pd
import pytest

from pipeline.model import KPI_COLUMNS, KPI_MASTER_COLUMNS
from pipeline.progress import with_progress
from pipeline.status import STATUS_COLUMNS, STATUSES, kpi_status, line_value
from pipeline.styles import STATUS_COLOURS
from tests.builders import seed_tables

NAN = float("nan")


def master(kpi_id="K1", base=(2014, 100.0), target=(2020, 200.0), direction="増加", method="達成率",
           project_id="P1", indicator="来訪者数", unit="人"):
    return {"kpi_id": kpi_id, "project_id": project_id, "indicator": indicator, "unit": unit,
            "base_year": base[0], "base_value": base[1], "target_year": target[0],
            "target_value": target[1], "direction": direction, "method": method}


def frames(*kpis, actuals=None, fy=2019):
    """The master and the tidy kpi frame (baseline, actual, target rows; progress filled)."""
    actuals = actuals or {}
    kpis = kpis or (master(),)
    rows = []
    for m in kpis:
        entries = [(m["base_year"], "baseline", m["base_value"]), (m["target_year"], "target", m["target_value"])]
        entries += [(year, "actual", value) for year, value in actuals.get(m["kpi_id"], {}).items()]
        for year, kind, value in sorted(entries, key=lambda e: (e[0], ("baseline", "actual", "target").index(e[1]))):
            rows.append({"fiscal_year": fy, "kpi_id": m["kpi_id"], "project_id": m["project_id"],
                         "indicator": m["indicator"], "unit": m["unit"], "year": year, "year_label": "",
                         "kind": kind, "value": value, "progress": NAN, "source_file": "kpi.csv",
                         "source_sheet": "", "source_row": len(rows) + 2})
    master_frame = pd.DataFrame(list(kpis), columns=list(KPI_MASTER_COLUMNS))
    kpi = with_progress(pd.DataFrame(rows, columns=list(KPI_COLUMNS)), master_frame)
    return master_frame, kpi


def status_of(*kpis, actuals, fy=2019):
    return kpi_status(*frames(*kpis, actuals=actuals, fy=fy), fy).iloc[0]


# --- the status table ------------------------------------------------------------------

def test_statuses_are_one_table_in_display_order():
    assert [s.label for s in STATUSES] == ["達成", "順調", "遅れ", "未把握"]
    assert [s.key for s in STATUSES] == ["achieved", "on_track", "behind", "no_data"]
    assert all(s.rule for s in STATUSES)
    assert set(STATUS_COLOURS) == {s.key for s in STATUSES}


def test_line_value():
    assert line_value(2014, 5949, 2020, 7400, 2018) == pytest.approx(5949 + 1451 * 4 / 6)
    assert line_value(2014, 100, 2020, 200, 2014) == 100
    assert line_value(2014, 100, 2020, 200, 2013) == 100          # before the base year: 基準値
    assert line_value(2014, 100, 2020, 200, 2020) == 200
    assert line_value(2014, 100, 2020, 200, 2022) == 200          # after the target year: 目標値
    assert line_value(2020, 100, 2020, 200, 2019) == 200          # base year == target year
    assert math.isnan(line_value(None, 100, 2020, 200, 2018))
    assert math.isnan(line_value(2014, NAN, 2020, 200, 2018))
    assert math.isnan(line_value(2014, 100, 2020, 200, None))


# --- every case -------------------------------------------------------------------------

def test_achieved_when_progress_reaches_100_percent():
    row = status_of(actuals={"K1": {2018: 200.0}})
    assert (row["status"], row["label"]) == ("achieved", "達成")
    assert row["progress"] == 1.0
    assert status_of(actuals={"K1": {2016: 250.0}})["label"] == "達成"


def test_on_track_exactly_on_the_line_and_above_it():
    # line 100 (2014) → 200 (2020): 150 in 2017
    row = status_of(actuals={"K1": {2017: 150.0}})
    assert (row["status"], row["label"]) == ("on_track", "順調")
    assert row["expected"] == 150.0 and row["progress"] == 0.75
    assert status_of(actuals={"K1": {2017: 151.0}})["label"] == "順調"
    # on the line where the float arithmetic is not exact: 100 + 100 × 1/3
    assert status_of(actuals={"K1": {2016: 100 + 100 / 3}})["label"] == "順調"


def test_behind_below_the_line():
    row = status_of(actuals={"K1": {2017: 149.0}})
    assert (row["status"], row["label"]) == ("behind", "遅れ")
    assert row["expected"] == 150.0


def test_no_data_without_actual_rows_or_with_only_missing_values():
    row = status_of(actuals={})
    assert (row["status"], row["label"]) == ("no_data", "未把握")
    assert pd.isna(row["latest_year"]) and math.isnan(row["latest_value"]) and math.isnan(row["progress"])
    assert status_of(actuals={"K1": {2016: NAN, 2017: NAN}})["label"] == "未把握"


def test_decrease_kpi_on_or_below_the_line_is_on_track():
    # 待ち日数: 50 (2014) → 10 (2020); the line is 30 in 2017
    waiting = master(base=(2014, 50.0), target=(2020, 10.0), direction="減少", unit="日")
    assert status_of(waiting, actuals={"K1": {2017: 30.0}})["label"] == "順調"
    assert status_of(waiting, actuals={"K1": {2017: 25.0}})["label"] == "順調"
    row = status_of(waiting, actuals={"K1": {2017: 31.0}})
    assert row["label"] == "遅れ" and row["expected"] == 30.0
    # 達成 through the progress (target ÷ actual ≥ 1)
    row = status_of(waiting, actuals={"K1": {2017: 10.0}})
    assert row["label"] == "達成" and row["progress"] == 1.0
    assert status_of(waiting, actuals={"K1": {2017: 8.0}})["label"] == "達成"


def test_target_year_passed_and_below_target_is_behind():
    row = status_of(actuals={"K1": {2020: 190.0}}, fy=2021)
    assert row["label"] == "遅れ" and row["expected"] == 200.0
    row = status_of(actuals={"K1": {2021: 199.0}}, fy=2021)
    assert row["label"] == "遅れ" and row["latest_year"] == 2021 and row["expected"] == 200.0
    assert status_of(actuals={"K1": {2021: 200.0}}, fy=2021)["label"] == "達成"


def test_improvement_rate_kpis():
    # 改善率 (a − b) / (t − b); the sense follows 目標値 − 基準値
    up = master(method="改善率")
    row = status_of(up, actuals={"K1": {2017: 150.0}})
    assert row["label"] == "順調" and row["progress"] == 0.5
    assert status_of(up, actuals={"K1": {2017: 140.0}})["label"] == "遅れ"
    assert status_of(up, actuals={"K1": {2017: 200.0}})["label"] == "達成"
    down = master(base=(2014, 50.0), target=(2020, 10.0), direction="減少", method="改善率")
    row = status_of(down, actuals={"K1": {2017: 30.0}})
    assert row["label"] == "順調" and row["progress"] == 0.5
    assert status_of(down, actuals={"K1": {2017: 35.0}})["label"] == "遅れ"
    assert status_of(down, actuals={"K1": {2019: 10.0}})["label"] == "達成"
    # the 方向 column is not what decides for 改善率: a falling target is "lower is better"
    odd = master(base=(2014, 50.0), target=(2020, 10.0), direction="増加", method="改善率")
    assert status_of(odd, actuals={"K1": {2017: 25.0}})["label"] == "順調"


def test_base_year_equal_to_target_year_uses_the_target():
    flat = master(base=(2020, 100.0), target=(2020, 200.0))
    row = status_of(flat, actuals={"K1": {2019: 150.0}}, fy=2019)
    assert row["label"] == "遅れ" and row["expected"] == 200.0


def test_latest_is_the_most_recent_year_having_a_value():
    row = status_of(actuals={"K1": {2015: 120.0, 2016: 140.0, 2017: NAN, 2018: NAN}})
    assert row["latest_year"] == 2016 and row["latest_value"] == 140.0
    assert row["expected"] == pytest.approx(100 + 100 * 2 / 6)
    assert row["label"] == "順調"
    # actuals after the report year are not known yet
    row = status_of(actuals={"K1": {2017: 150.0, 2019: 120.0}}, fy=2018)
    assert row["latest_year"] == 2017 and row["label"] == "順調"


def test_kpi_without_master_data():
    kpis, kpi = frames(actuals={"K1": {2017: 150.0}})
    extra = kpi.iloc[[0]].assign(kpi_id="K9", kind="actual", year=2017, value=5.0, progress=NAN)
    out = kpi_status(kpis, pd.concat([kpi, extra], ignore_index=True), 2019)
    assert list(out["kpi_id"]) == ["K1", "K9"]
    orphan = out.iloc[1]
    assert orphan["label"] == "未把握" and orphan["latest_value"] == 5.0
    assert pd.isna(orphan["base_year"]) and math.isnan(orphan["expected"]) and orphan["project_id"] == "P1"


def test_one_row_per_kpi_in_master_order_with_the_documented_columns():
    a, b = master("A"), master("B", base=(2014, 50.0), target=(2020, 10.0), direction="減少")
    out = kpi_status(*frames(b, a, actuals={"A": {2018: 300.0}, "B": {2018: 40.0}}), 2019)
    assert tuple(out.columns) == STATUS_COLUMNS
    assert list(out["kpi_id"]) == ["B", "A"]
    assert list(out["label"]) == ["遅れ", "達成"]
    assert str(out["latest_year"].dtype) == "Int64"
    empty = kpi_status(*frames(a), 2019).iloc[0:0]
    assert tuple(empty.columns) == STATUS_COLUMNS


def test_inputs_are_not_modified():
    kpis, kpi = frames(master("A"), master("B", method="改善率"),
                       actuals={"A": {2016: NAN, 2017: 150.0}, "B": {2018: 120.0}})
    before = copy.deepcopy(kpis), copy.deepcopy(kpi)
    kpi_status(kpis, kpi, 2019)
    pd.testing.assert_frame_equal(kpis, before[0])
    pd.testing.assert_frame_equal(kpi, before[1])


def test_the_seed(seed_status):
    k1, k2 = seed_status.iloc[0], seed_status.iloc[1]
    # 訪日ロシア人 6,516 in H30 is below the line 5,949 → 7,400 (≈ 6,916.3 that year)
    assert (k1["latest_year"], k1["latest_value"], k1["label"]) == (2018, 6516.0, "遅れ")
    assert k1["expected"] == pytest.approx(5949 + 1451 * 4 / 6) == pytest.approx(6916.333, abs=1e-3)
    # 輸出額 1,115 ≥ 900
    assert (k2["latest_value"], k2["label"]) == (1115.0, "達成")
    assert k2["progress"] == pytest.approx(1115 / 900)


@pytest.fixture(scope="module")
def seed_status():
    tables = seed_tables()
    return kpi_status(tables.kpis, tables.kpi, tables.fiscal_year)


# --- issue 14: piecewise lines, the formula's sense, a year's own target ---------------------------

def test_line_value_through_interim_targets():
    stops = ((2027, 4880.0),)
    assert line_value(2022, 3756, 2032, 4880, 2024, stops) == pytest.approx(3756 + 1124 * 2 / 5)   # 4,205.6
    assert line_value(2022, 3756, 2032, 4880, 2029, stops) == 4880.0
    # two stops, out of order and one outside the span (left out)
    stops = ((2025, 4691.0), (2019, 1.0), (2021, 5000.0))
    assert line_value(2020, 5176, 2030, 3788, 2021, stops) == 5000.0
    assert line_value(2020, 5176, 2030, 3788, 2023, stops) == pytest.approx(5000 - 309 * 2 / 4)
    assert line_value(2020, 5176, 2030, 3788, 2028, stops) == pytest.approx(4691 - 903 * 3 / 5)
    assert line_value(2020, 5176, 2030, 3788, 2030, stops) == 3788
    assert line_value(2020, 5176, 2030, 3788, 2024, ((2025, NAN),)) == pytest.approx(5176 - 1388 * 4 / 10)


def test_a_ceiling_method_is_on_track_below_the_line():
    # 現状維持型Ⅱ (a ceiling at 10,193): 11,385 in R6 is over it → 遅れ; 9,000 → 達成 (107.8 %…)
    m = master(base=(2020, 10193.0), target=(2024, 10193.0), direction="減少", method="現状維持型Ⅱ")
    kpis, kpi = frames(m, actuals={"K1": {2024: 11385.0}}, fy=2024)
    kpi = with_progress(kpi, kpis, {"現状維持型Ⅱ": "ceiling"})
    row = kpi_status(kpis, kpi, 2024, {"現状維持型Ⅱ": "ceiling"}).iloc[0]
    assert row["progress"] == 1 - 1192 / 10193 and row["label"] == "遅れ"


def test_missing_progress_uses_the_years_own_target():
    kpis, kpi = frames(master(base=(2019, 2.11), target=(2024, 2.50), method="改善率"),
                       actuals={"K1": {2021: 2.21}}, fy=2021)
    kpi = pd.concat([kpi, kpi.iloc[[0]].assign(year=2021, kind="yearly", value=2.30)], ignore_index=True)
    row = kpi_status(kpis, kpi.assign(progress=NAN), 2021).iloc[0]
    assert row["progress"] == pytest.approx(0.10 / 0.19, rel=1e-12)
    # the line runs through the yearly target: 2.30 in R3
    assert row["expected"] == 2.30 and row["label"] == "遅れ"
