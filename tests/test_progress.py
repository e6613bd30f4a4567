"""pipeline.progress: the formulas (達成率 / 改善率 and the Miyagi types), what stops them,
their sense, grades, and the 進捗率 of KPI actuals (against a year's own target)."""
import math

import pandas as pd
import pytest

from pipeline.progress import FORMULAS, blocker, formula_of, grade, ratio, sense, with_progress


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
    assert math.isnan(ratio(0, 100, math.nan, "減少", "達成率"))   # no 目標値: NaN before any division by 0


def test_achievement_and_ceiling_need_no_base_value():
    # only 改善率 reads 基準値: a KPI without one still has a 達成率
    assert ratio(5, math.nan, 10, "増加", "達成率") == 0.5
    assert ratio(5, math.nan, 10, "減少", "ceiling") == 1.5


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


# --- the formulas by key, against hand-computed values (the Miyagi table's figures) ------------

def test_formula_keys_and_the_default_methods():
    assert set(FORMULAS) == {"achievement", "improvement", "ceiling"}
    assert formula_of("達成率").key == "achievement" and formula_of("改善率").key == "improvement"
    methods = {"進捗割合型Ⅱ": "improvement", "現状維持型Ⅱ": "ceiling"}
    assert formula_of("進捗割合型Ⅱ", methods).key == "improvement"
    assert formula_of("現状維持型Ⅱ", methods).key == "ceiling"


def test_formula_of_a_key_is_that_formula_and_of_an_unknown_name_achievement():
    # a formula key names its formula also when the methods table does not list it
    assert formula_of("ceiling").key == "ceiling"
    assert formula_of("ceiling", {"進捗割合型Ⅱ": "improvement"}).key == "ceiling"
    assert formula_of("improvement").key == "improvement"
    assert formula_of("不明な方法").key == "achievement"


def test_progress_share_type_one_is_improvement():
    # 進捗割合型Ⅰ (実績 − 初期値) ÷ (目標 − 初期値): 企業立地件数 R3 375, 初期値 347, 目標 465 → 23.7 %
    assert ratio(375, 347, 465, "増加", "improvement") == 28 / 118
    assert round(28 / 118, 3) == 0.237


def test_progress_share_type_two_is_improvement_on_a_decreasing_kpi():
    # 進捗割合型Ⅱ (初期値 − 実績) ÷ (初期値 − 目標): 所定外労働時間数 R3 9.5, 初期値 10.2, 目標 8.7 → 46.7 %
    assert ratio(9.5, 10.2, 8.7, "減少", "improvement") == pytest.approx(0.7 / 1.5, rel=1e-12)
    # past the base the wrong way: メタボ R3 32.6, 初期値 30.9, 目標 29.4 → (30.9 − 32.6) ÷ 1.5 < 0
    assert ratio(32.6, 30.9, 29.4, "減少", "improvement") == pytest.approx(-1.7 / 1.5, rel=1e-12)


def test_status_quo_type_one_is_achievement():
    # 現状維持型Ⅰ 実績 ÷ 目標: 外国人延べ宿泊者数 R3 3.6, 目標 50.0 → 7.2 %
    assert ratio(3.6, 53.4, 50.0, "増加", "achievement") == 3.6 / 50.0 == pytest.approx(0.072, rel=1e-12)


def test_status_quo_type_two_is_a_ceiling():
    # 現状維持型Ⅱ 1 − (実績 − 目標) ÷ 目標: 刑法犯認知件数, 目標 10,193
    assert ratio(11583, 10193, 10193, "減少", "ceiling") == 1 - 1390 / 10193   # 86.4 %
    assert ratio(9398, 10193, 10193, "減少", "ceiling") == 1 + 795 / 10193     # 107.8 %: 100%超
    assert ratio(10193, 10193, 10193, "減少", "ceiling") == 1.0
    assert ratio(20386, 10193, 10193, "減少", "ceiling") == 0.0                 # twice the ceiling


# --- what stops a formula: the reason each degenerate case gives ------------------------------------

@pytest.mark.parametrize("args, reason", [
    ((5, 7, 7, "増加", "improvement"), "目標値が基準値と同じため"),     # 目標 = 基準
    ((5, 7, 7, "減少", "improvement"), "目標値が基準値と同じため"),
    ((5, 5, 0, "増加", "achievement"), "目標値が0のため"),              # 目標 = 0
    ((5, 5, 0, "減少", "achievement"), "目標値が0のため"),
    ((5, 10, 0, "減少", "ceiling"), "目標値が0のため"),
    ((0, 100, 80, "減少", "achievement"), "実績値が0のため"),           # 実績 = 0 for 減少
    ((0, 100, 80, "増加", "achievement"), ""),                          # 0 ÷ 80 = 0: fine
    ((0, 100, 80, "減少", "improvement"), ""),                          # never divides by the actual
    ((math.nan, 100, 80, "減少", "achievement"), ""),                   # no actual: nothing to say
    ((5, math.nan, 80, "増加", "improvement"), ""),                     # no base: nothing to say
])
def test_blocker_names_each_degenerate_case(args, reason):
    assert blocker(*args) == reason
    if reason:
        assert math.isnan(ratio(*args))


def test_blocker_without_a_target_or_an_actual_says_nothing():
    assert blocker(0, 100, math.nan, "減少", "achievement") == ""    # not 実績値が0のため: no 目標値 to divide
    assert blocker(None, 100, 80, "減少", "achievement") == ""        # None is a missing actual, like NaN


def test_blocker_of_a_zero_target_needs_no_base_value():
    # 達成率 and a ceiling never read 基準値: 目標値 = 0 is named without one
    assert blocker(5, math.nan, 0, "増加", "achievement") == "目標値が0のため"
    assert blocker(5, math.nan, 0, "減少", "ceiling") == "目標値が0のため"


def test_sense_follows_the_formula():
    assert sense("増加", "achievement", 10, 20) == 1 and sense("減少", "achievement", 10, 5) == -1
    assert sense("増加", "improvement", 10, 5) == -1       # the sign of 目標 − 基準, not 方向
    assert sense("減少", "improvement", 10, 20) == 1
    assert sense("減少", "improvement", 10, 10) == -1      # 目標 = 基準: 方向 decides
    assert sense("増加", "ceiling", 10193, 10193) == -1    # a ceiling: lower is better


# --- grades --------------------------------------------------------------------------------------------

SCALE = (("◎", 1.0), ("○", 0.6), ("△", 0.3), ("×", None))


@pytest.mark.parametrize("value, expected", [
    (1.2, "◎"), (1.0, "◎"), (0.9999999999999, "◎"),   # float noise reaches the bound
    (0.6 - 1e-9, "○"), (0.6 - 2e-9, "△"),               # the tolerance's own edge reaches it, beyond does not
    (0.99, "○"), (0.6, "○"), (0.5999, "△"), (0.3, "△"), (0.29, "×"), (-1.16, "×"), (math.nan, ""),
])
def test_grade_is_the_first_bound_reached(value, expected):
    assert grade(value, SCALE) == expected


def test_grade_without_a_catch_all_or_a_scale():
    assert grade(0.1, (("A", 0.8), ("B", 0.5))) == ""
    assert grade(0.9, ()) == ""


# --- a year's own target -----------------------------------------------------------------------------

def test_with_progress_uses_the_years_own_target():
    # 障害者雇用率: 初期値 2.11, final 2.50, R3 yearly target 2.30 → R3 (2.21 − 2.11) ÷ (2.30 − 2.11) = 52.6 %
    master = pd.DataFrame({"kpi_id": ["K"], "base_value": [2.11], "target_value": [2.50], "direction": ["増加"],
                           "method": ["進捗割合型Ⅰ"]})
    kpi = pd.DataFrame({"kpi_id": ["K"] * 4, "year": [2021, 2021, 2023, 2022],
                        "kind": ["actual", "yearly", "actual", "interim"], "value": [2.21, 2.30, 2.29, 2.20]})
    out = with_progress(kpi, master, {"進捗割合型Ⅰ": "improvement"})
    assert out["progress"].iloc[0] == pytest.approx(0.10 / 0.19, rel=1e-12)
    assert round(out["progress"].iloc[0], 3) == 0.526
    assert out["progress"].iloc[2] == pytest.approx(0.18 / 0.39, rel=1e-12)   # R5: the final target (46.2 %)
    assert out["progress"].iloc[[1, 3]].isna().all()  # target rows carry no progress; 中間 is not a year's own
