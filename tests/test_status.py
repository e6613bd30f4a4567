"""pipeline.status: 見込み (達成 / 順調 / 遅れ / 未把握) of every KPI, from tiny inline frames."""
from __future__ import annotations

import copy
import math

import pandas as pd
import pytest

from pipeline.model import KPI_COLUMNS, KPI_MASTER_COLUMNS
from pipeline.progress import with_progress
from pipeline.status import STATUS_COLUMNS, STATUSES, kpi_status, line_value, sense
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

# --- sense and line_value at their edges -------------------------------------------------

@pytest.mark.parametrize("direction, method, base, target, expected", [
    ("増加", "達成率", 100.0, 200.0, 1),
    ("減少", "達成率", 200.0, 100.0, -1),
    ("増加", "達成率", 200.0, 100.0, 1),     # 達成率: the 方向 column decides, whatever the values
    ("減少", "達成率", 100.0, 200.0, -1),
    ("増加", "改善率", 200.0, 100.0, -1),    # 改善率: the sign of 目標値 − 基準値 decides
    ("減少", "改善率", 100.0, 200.0, 1),
    ("増加", "改善率", 100.0, 100.0, 1),     # 目標値 == 基準値: back to the 方向 column
    ("減少", "改善率", 100.0, 100.0, -1),
    ("増加", "改善率", NAN, 10.0, 1),        # a missing 基準値 or 目標値: the 方向 column
    ("増加", "改善率", 10.0, NAN, 1),
    ("減少", "改善率", NAN, NAN, -1),
])
def test_sense_is_plus_or_minus_one(direction, method, base, target, expected):
    assert sense(direction, method, base, target) == expected


def test_line_value_at_the_ends_is_the_value_itself():
    # b + (t − b) × 6/6 would be 0.9000000000000001: at 目標年度 the line is 目標値 itself
    assert line_value(2014, 0.1, 2020, 0.9, 2020) == 0.9
    # at 基準年度 it is 基準値 itself (b + (t − b) × 0 would overflow to NaN here)
    assert line_value(2014, -1e308, 2020, 1e308, 2014) == -1e308


def test_line_value_is_nan_when_either_value_is_missing():
    assert math.isnan(line_value(2014, NAN, 2020, 200, 2020))     # at 目標年度, 基準値 missing
    assert math.isnan(line_value(2014, 100, 2020, NAN, 2014))     # at 基準年度, 目標値 missing
    assert math.isnan(line_value(2014, 100, None, 200, 2014))


# --- the tolerance of "on the line" -----------------------------------------------------

def test_tolerance_is_relative_to_the_line_value():
    # line 100 → 200: 150.0 in 2017, so the tolerance is 1e-9 × 150 = 1.5e-7
    assert status_of(actuals={"K1": {2017: 149.9999999}})["label"] == "順調"    # 1e-7 short
    assert status_of(actuals={"K1": {2017: 149.9999998}})["label"] == "遅れ"    # 2e-7 short


def test_tolerance_near_zero_is_absolute():
    # line 0 → 1: 0.5 in 2017; the tolerance is 1e-9 × max(1, 0.5) = 1e-9
    small = master(base=(2014, 0.0), target=(2020, 1.0))
    assert status_of(small, actuals={"K1": {2017: 0.4999999995}})["label"] == "順調"   # 5e-10 short
    assert status_of(small, actuals={"K1": {2017: 0.4999999985}})["label"] == "遅れ"   # 1.5e-9 short


def test_tolerance_of_a_negative_line_value_uses_its_size():
    # 改善率 from −200 to −100: −150 in 2017, tolerance 1e-9 × |−150| = 1.5e-7
    negative = master(base=(2014, -200.0), target=(2020, -100.0), method="改善率")
    assert status_of(negative, actuals={"K1": {2017: -150.0000001}})["label"] == "順調"
    assert status_of(negative, actuals={"K1": {2017: -150.0000002}})["label"] == "遅れ"


def test_tolerance_edge_itself_is_on_the_line():
    # line −100 → 100 is 0.0 in 2017; an actual exactly 1e-9 short is still on it
    through_zero = master(base=(2014, -100.0), target=(2020, 100.0))
    row = status_of(through_zero, actuals={"K1": {2017: -1e-9}})
    assert row["expected"] == 0.0 and row["label"] == "順調"


# --- 進捗率 when the kpi frame has none --------------------------------------------------

def without_progress(*kpis, actuals, fy=2019):
    """kpi_status of frames whose actual rows carry no progress (NaN)."""
    master_frame, kpi = frames(*kpis, actuals=actuals, fy=fy)
    return kpi_status(master_frame, kpi.assign(progress=NAN), fy).iloc[0]


def test_missing_progress_is_computed_from_the_master():
    row = without_progress(actuals={"K1": {2017: 150.0}})
    assert (row["progress"], row["label"]) == (0.75, "順調")        # 150 ÷ 200
    waiting = master(base=(2014, 50.0), target=(2020, 10.0), direction="減少", unit="日")
    row = without_progress(waiting, actuals={"K1": {2017: 20.0}})
    assert (row["progress"], row["label"]) == (0.5, "順調")         # 10 ÷ 20, below the line (30)
    row = without_progress(waiting, actuals={"K1": {2018: 8.0}})
    assert (row["progress"], row["label"]) == (1.25, "達成")        # 10 ÷ 8
    improvement = master(method="改善率")
    row = without_progress(improvement, actuals={"K1": {2017: 150.0}})
    assert (row["progress"], row["label"]) == (0.5, "順調")         # (150 − 100) ÷ (200 − 100)


def test_missing_progress_column_is_computed_from_the_master():
    master_frame, kpi = frames(actuals={"K1": {2017: 150.0}})
    row = kpi_status(master_frame, kpi.drop(columns="progress"), 2019).iloc[0]
    assert (row["progress"], row["label"]) == (0.75, "順調")


def test_missing_progress_without_a_target_stays_missing():
    no_target = master(target=(2020, NAN))
    row = without_progress(no_target, actuals={"K1": {2017: 150.0}})
    assert math.isnan(row["progress"]) and math.isnan(row["expected"]) and row["label"] == "未把握"


def test_progress_of_the_kpi_frame_is_used_as_it_is():
    master_frame, kpi = frames(actuals={"K1": {2017: 150.0}})
    kpi = kpi.assign(progress=[NAN, 1.25, NAN])       # baseline, actual, target
    row = kpi_status(master_frame, kpi, 2019).iloc[0]
    assert (row["progress"], row["label"]) == (1.25, "達成")   # not 150 ÷ 200 = 0.75


# --- the latest actual ------------------------------------------------------------------

def kpi_rows(*rows):
    """A tiny kpi frame of (kpi_id, year, kind, value, progress) rows, in the order given."""
    return pd.DataFrame([{"kpi_id": k, "project_id": "P1", "indicator": "来訪者数", "unit": "人", "year": y,
                          "kind": kind, "value": v, "progress": p} for k, y, kind, v, p in rows])


def test_latest_does_not_need_rows_sorted_by_year():
    master_frame = pd.DataFrame([master()], columns=list(KPI_MASTER_COLUMNS))
    kpi = kpi_rows(("K1", 2020, "actual", 300.0, 1.5),     # after the report year: skipped
                   ("K1", 2017, "actual", 160.0, 0.8),
                   ("K1", 2015, "actual", 110.0, 0.55),
                   ("K1", 2014, "baseline", 100.0, NAN))
    row = kpi_status(master_frame, kpi, 2019).iloc[0]
    assert (row["latest_year"], row["latest_value"], row["progress"]) == (2017, 160.0, 0.8)
    assert (row["expected"], row["label"]) == (150.0, "順調")


def test_latest_of_two_actuals_in_one_year_is_the_last_row():
    master_frame = pd.DataFrame([master()], columns=list(KPI_MASTER_COLUMNS))
    kpi = kpi_rows(("K1", 2017, "actual", 140.0, 0.7), ("K1", 2017, "actual", 160.0, 0.8))
    row = kpi_status(master_frame, kpi, 2019).iloc[0]
    assert (row["latest_value"], row["label"]) == (160.0, "順調")
    kpi = kpi_rows(("K1", 2017, "actual", 160.0, 0.8), ("K1", 2017, "actual", 140.0, 0.7))
    row = kpi_status(master_frame, kpi, 2019).iloc[0]
    assert (row["latest_value"], row["label"]) == (140.0, "遅れ")


def test_latest_skips_actual_rows_without_a_year():
    master_frame = pd.DataFrame([master()], columns=list(KPI_MASTER_COLUMNS))
    kpi = kpi_rows(("K1", 2016, "actual", 150.0, 0.75), ("K1", None, "actual", 999.0, 5.0))
    row = kpi_status(master_frame, kpi, 2019).iloc[0]
    assert (row["latest_year"], row["latest_value"]) == (2016, 150.0)


def test_without_a_report_year_every_actual_counts():
    master_frame = pd.DataFrame([master()], columns=list(KPI_MASTER_COLUMNS))
    kpi = kpi_rows(("K1", 2017, "actual", 150.0, 0.75), ("K1", 2022, "actual", 210.0, 1.05))
    row = kpi_status(master_frame, kpi).iloc[0]
    assert (row["latest_year"], row["label"]) == (2022, "達成")


# --- the output row ---------------------------------------------------------------------

def test_direction_and_method_are_in_the_output_with_their_defaults():
    a = master("A", direction="減少", method="改善率", base=(2014, 50.0), target=(2020, 10.0))
    b = master("B", direction="", method=None)
    c = master("C", direction=NAN, method="")
    out = kpi_status(*frames(a, b, c, actuals={"A": {2017: 30.0}}), 2019)
    assert list(out["direction"]) == ["減少", "増加", "増加"]
    assert list(out["method"]) == ["改善率", "達成率", "達成率"]
    assert list(out["label"]) == ["順調", "未把握", "未把握"]


def test_missing_texts_of_the_master_are_empty_strings():
    blank = master(project_id=None, indicator=NAN, unit="")
    row = status_of(blank, actuals={"K1": {2017: 150.0}})
    assert (row["kpi_id"], row["project_id"], row["indicator"], row["unit"]) == ("K1", "", "", "")
    assert row["label"] == "順調"


def test_kpi_without_master_data_takes_its_texts_from_its_first_row():
    master_frame = pd.DataFrame([master()], columns=list(KPI_MASTER_COLUMNS))
    kpi = pd.DataFrame([
        {"kpi_id": "K9", "project_id": "P2", "indicator": "宿泊者数", "unit": "泊", "year": 2018,
         "kind": "actual", "value": 12.0, "progress": 1.2},
        {"kpi_id": "K9", "project_id": "P3", "indicator": "別名", "unit": "人", "year": 2017,
         "kind": "actual", "value": 10.0, "progress": NAN},
    ])
    out = kpi_status(master_frame, kpi, 2019)
    assert list(out["kpi_id"]) == ["K1", "K9"]
    orphan = out.iloc[1]
    assert (orphan["project_id"], orphan["indicator"], orphan["unit"]) == ("P2", "宿泊者数", "泊")
    assert (orphan["direction"], orphan["method"]) == ("増加", "達成率")
    assert (orphan["latest_year"], orphan["progress"], orphan["label"]) == (2018, 1.2, "達成")
    assert pd.isna(orphan["base_year"]) and pd.isna(orphan["target_year"]) and math.isnan(orphan["target_value"])
    assert out.iloc[0]["label"] == "未把握"      # K1 has no rows at all


def test_kpi_without_master_data_and_without_progress_is_no_data():
    kpi = kpi_rows(("K9", 2018, "actual", 12.0, NAN))
    row = kpi_status(None, kpi, 2019).iloc[0]
    assert (row["kpi_id"], row["latest_value"], row["label"]) == ("K9", 12.0, "未把握")
    assert math.isnan(row["progress"])


@pytest.mark.parametrize("kpi", [None, pd.DataFrame(columns=list(KPI_COLUMNS))])
def test_master_kpis_without_any_kpi_rows_are_no_data(kpi):
    master_frame = pd.DataFrame([master("A"), master("B")], columns=list(KPI_MASTER_COLUMNS))
    out = kpi_status(master_frame, kpi, 2019)
    assert list(out["kpi_id"]) == ["A", "B"]
    assert list(out["label"]) == ["未把握", "未把握"]
    assert list(out["status"]) == ["no_data", "no_data"]
    assert out["latest_year"].isna().all() and out["progress"].isna().all() and out["expected"].isna().all()
    assert list(out["base_year"]) == [2014, 2014] and list(out["target_value"]) == [200.0, 200.0]


@pytest.mark.parametrize("kpis, kpi", [
    (None, None),
    (pd.DataFrame(columns=list(KPI_MASTER_COLUMNS)), pd.DataFrame(columns=list(KPI_COLUMNS))),
])
def test_no_kpis_at_all_is_an_empty_frame_of_the_documented_types(kpis, kpi):
    out = kpi_status(kpis, kpi, 2019)
    assert out.empty and tuple(out.columns) == STATUS_COLUMNS
    assert [str(out[c].dtype) for c in ("base_year", "latest_year", "target_year")] == ["Int64"] * 3
    assert [str(out[c].dtype) for c in ("base_value", "latest_value", "target_value", "progress", "expected")] \
        == ["float64"] * 5


def test_year_columns_are_int64_even_when_every_value_is_missing():
    out = kpi_status(*frames(master(base=(None, 100.0), target=(None, 200.0))), 2019)
    assert [str(out[c].dtype) for c in ("base_year", "latest_year", "target_year")] == ["Int64"] * 3
    assert out[["base_year", "latest_year", "target_year"]].isna().all().all()


# --- the methods table and the stops at the line's ends (mutation testing, bench/MUTATION.md) ------

def test_the_methods_table_decides_a_missing_progress_and_the_sense():
    # 現状維持型Ⅱ is a ceiling only through the methods table: its 進捗率 is 1 − (a − t) ÷ t and lower
    # is better, whatever the 方向 says (増加 here); without the table it would be 10,500 ÷ 10,193 → 達成
    ceiling = master(base=(2020, 10193.0), target=(2024, 10193.0), direction="増加", method="現状維持型Ⅱ")
    kpis, kpi = frames(ceiling, actuals={"K1": {2022: 10500.0}}, fy=2024)
    row = kpi_status(kpis, kpi.assign(progress=NAN), 2024, {"現状維持型Ⅱ": "ceiling"}).iloc[0]
    assert row["progress"] == 1 - 307 / 10193
    assert (row["expected"], row["label"], row["method"]) == (10193.0, "遅れ", "現状維持型Ⅱ")
    assert sense("増加", "現状維持型Ⅱ", 10193.0, 10193.0, {"現状維持型Ⅱ": "ceiling"}) == -1


def test_line_value_leaves_out_stops_in_the_base_and_target_years():
    # the line's ends are 基準値 and 目標値 themselves: a stop in either year does not move them
    assert line_value(2014, 100, 2020, 400, 2016, ((2014, 250.0),)) == 200.0
    assert line_value(2014, 100, 2020, 400, 2016, ((2020, 130.0),)) == 200.0


def test_the_line_in_a_stops_own_year_is_the_stop_value_exactly():
    from pipeline.status import line_value

    assert line_value(2019, 2.11, 2024, 2.5, 2021, ((2021, 0.3),)) == 0.3   # not 0.30000000000000004
    assert line_value(2019, 2.11, 2024, 2.5, 2022, ((2021, 0.3),)) == 0.3 + (2.5 - 0.3) / 3
