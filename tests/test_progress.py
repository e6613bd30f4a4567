"""pipeline.progress: 達成率 / 改善率 of KPI actuals."""
import math

import pandas as pd
import pytest

from pipeline.progress import ratio, with_progress


# --- ratio ---------------------------------------------------------------------

def test_achievement_increase_is_actual_over_target():
    # the seed's 訪日ロシア人: H27 actual 4,474 against the R2 target 7,400
    assert ratio(4474, 5949, 7400, "増加", "達成率") == 4474 / 7400
    assert ratio(4474, 5949, 7400, "増加", "達成率") == pytest.approx(0.6045945945945946, abs=0)


def test_achievement_decrease_is_target_over_actual():
    assert ratio(80, 100, 60, "減少", "達成率") == 60 / 80 == 0.75
    # better than target → above 1
    assert ratio(50, 100, 60, "減少", "達成率") == 1.2


def test_improvement_increase():
    # (a − b) / (t − b)
    assert ratio(6516, 5949, 7400, "増加", "改善率") == (6516 - 5949) / (7400 - 5949)
    assert ratio(5949, 5949, 7400, "増加", "改善率") == 0.0
    assert ratio(5000, 5949, 7400, "増加", "改善率") == (5000 - 5949) / (7400 - 5949)  # negative: went back


def test_improvement_decrease_target_below_base():
    # 減少 KPI: base 100 → target 80; actual 90 is half way
    assert ratio(90, 100, 80, "減少", "改善率") == 0.5
    assert ratio(80, 100, 80, "減少", "改善率") == 1.0
    assert ratio(110, 100, 80, "減少", "改善率") == -0.5
    # 改善率 never divides by the actual, so an actual of 0 is fine
    assert ratio(0, 100, 80, "減少", "改善率") == 5.0


@pytest.mark.parametrize("actual", [None, math.nan, float("nan")])
@pytest.mark.parametrize("direction, method", [("増加", "達成率"), ("減少", "達成率"),
                                               ("増加", "改善率"), ("減少", "改善率")])
def test_missing_actual_is_nan(actual, direction, method):
    assert math.isnan(ratio(actual, 100, 80, direction, method))


def test_division_by_zero_is_nan():
    assert math.isnan(ratio(0, 100, 80, "減少", "達成率"))    # target / 0
    assert math.isnan(ratio(0.0, 100, 80, "減少", "達成率"))
    assert math.isnan(ratio(5, 5, 0, "増加", "達成率"))       # 0 target
    assert math.isnan(ratio(5, 7, 7, "増加", "改善率"))       # target == base
    assert math.isnan(ratio(5, 7, 7, "減少", "改善率"))


def test_actual_zero_increase_is_zero_not_nan():
    assert ratio(0, 100, 80, "増加", "達成率") == 0.0


def test_missing_master_values_give_nan():
    assert math.isnan(ratio(5, math.nan, 10, "増加", "改善率"))
    assert math.isnan(ratio(5, 0, math.nan, "増加", "達成率"))
    assert math.isnan(ratio(5, 0, math.nan, "減少", "達成率"))


# --- with_progress ---------------------------------------------------------------

def _master():
    return pd.DataFrame({
        "kpi_id": ["K1", "K2", "K3", "K4"],
        "base_value": [5949.0, 100.0, 10.0, 100.0],
        "target_value": [7400.0, 80.0, 20.0, 80.0],
        "direction": ["増加", "減少", "増加", "減少"],
        "method": ["達成率", "達成率", "改善率", "改善率"],
    })


def _kpi():
    return pd.DataFrame({
        "kpi_id": ["K1", "K1", "K1", "K1", "K2", "K2", "K3", "K4", "K2"],
        "year": [2014, 2015, 2019, 2020, 2019, 2020, 2019, 2019, 2018],
        "kind": ["baseline", "actual", "actual", "target", "actual", "target", "actual", "actual", "actual"],
        "value": [5949.0, 4474.0, math.nan, 7400.0, 90.0, 80.0, 15.0, 90.0, 0.0],
        "progress": [math.nan] * 9,
    }, index=[10, 11, 12, 13, 14, 15, 16, 17, 18])


def test_with_progress_fills_actual_rows_only():
    out = with_progress(_kpi(), _master())
    expected = [math.nan, 4474 / 7400, math.nan, math.nan, 80 / 90, math.nan, 0.5, 0.5, math.nan]
    assert list(out.index) == [10, 11, 12, 13, 14, 15, 16, 17, 18]
    assert out["progress"].dtype == float
    for got, want in zip(out["progress"], expected):
        assert (math.isnan(got) and math.isnan(want)) or got == want, (got, want)
    # baseline / target rows stay NaN even though they carry a value
    assert out.loc[[10, 13, 15], "progress"].isna().all()
    # every other column is untouched
    pd.testing.assert_frame_equal(out.drop(columns="progress"), _kpi().drop(columns="progress"))


def test_with_progress_adds_the_column_when_absent():
    kpi = _kpi().drop(columns="progress")
    out = with_progress(kpi, _master())
    assert list(out.columns) == ["kpi_id", "year", "kind", "value", "progress"]
    assert out.at[11, "progress"] == 4474 / 7400
    assert "progress" not in kpi.columns


def test_with_progress_does_not_mutate_its_inputs():
    kpi, master = _kpi(), _master()
    kpi_before, master_before = kpi.copy(deep=True), master.copy(deep=True)
    out = with_progress(kpi, master)
    assert out is not kpi
    pd.testing.assert_frame_equal(kpi, kpi_before)
    pd.testing.assert_frame_equal(master, master_before)
    assert kpi["progress"].isna().all()


def test_with_progress_empty_frame():
    kpi = pd.DataFrame({"kpi_id": pd.Series(dtype=object), "kind": pd.Series(dtype=object),
                        "value": pd.Series(dtype=float)})
    out = with_progress(kpi, _master())
    assert out.empty
    assert list(out.columns) == ["kpi_id", "kind", "value", "progress"]
    assert out["progress"].dtype == float


def test_with_progress_unknown_kpi_on_an_actual_row_raises():
    # validate rejects unknown KPIs before this stage; here it must not be silently NaN
    kpi = pd.DataFrame({"kpi_id": ["NOPE"], "kind": ["actual"], "value": [1.0]})
    with pytest.raises(KeyError):
        with_progress(kpi, _master())
