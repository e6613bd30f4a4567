"""pipeline.report_kpi: 進捗率 as shown (上限付き), the KPI table's values with interim and
yearly targets, hidden-target notes, 対象年度 footnotes, 評価 and the chart series."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.report_kpi import chart_series, hits, kpi_view, kpi_with_status, shown_progress

NAN = float("nan")


@pytest.mark.parametrize("value, display, expected", [
    (1.0, "上限付き", 1.0),                    # exactly 100 % stays a number
    (1.0000000000001, "上限付き", 1.0),        # float noise is not above
    (1.0004, "上限付き", "100%超"),            # above 100 % even when it rounds to 100.0 %
    (2.5, "上限付き", "100%超"),
    (0.0, "上限付き", 0.0),
    (-0.0004, "上限付き", "0%未満"),           # below 0 % even when it rounds to -0.0 %
    (-1.1612903225806452, "上限付き", "0%未満"),
    (0.5264, "上限付き", 0.526),
    (1.0004, "数値", 1.0),
    (-1.1612903225806452, "数値", -1.161),
    (-1.1612903225806452, "", -1.161),
])
def test_shown_progress(value, display, expected):
    assert shown_progress(value, display) == expected


def test_shown_progress_of_nothing_and_hits():
    assert math.isnan(shown_progress(NAN, "上限付き"))
    assert hits(1.0) and hits(0.9999999999999) and hits(2.0)
    assert not hits(0.9999) and not hits(NAN) and not hits(None)


def row(year, kind, value, progress=NAN, measured=None):
    return {"year": year, "kind": kind, "value": value, "progress": progress, "measured_year": measured}


KPI = {"kpi_id": "K", "indicator": "障害者雇用率", "unit": "%", "base_year": 2019, "target_year": 2024,
       "target_text": ""}
STATUS = {"base_year": 2019, "base_value": 2.11, "target_year": 2024, "target_value": 2.50}


def test_a_yearly_target_hidden_by_an_actual_is_noted_and_a_measured_year_kept():
    rows = [row(2019, "baseline", 2.11), row(2021, "actual", 2.21, 0.5263157894736848, measured=2020),
            row(2021, "yearly", 2.30), row(2022, "interim", 2.40), row(2024, "actual", 2.50, 1.0),
            row(2024, "target", 2.50)]
    view = kpi_view(KPI, rows, range(2019, 2025), STATUS, display="上限付き",
                    scale=(("A", 1.0), ("B", 0.5), ("C", None)))
    assert view.values == {2019: (2.11, "baseline"), 2021: (2.21, "actual"), 2022: (2.40, "interim"),
                           2024: (2.50, "actual")}
    assert view.target_note == 2.50 and view.notes == (("年度目標値", 2.30, 2021),)
    assert view.progress == {2021: 0.526, 2024: 1.0} and view.hits == {2024}
    assert view.grades == {2021: "B", 2024: "A"}
    assert view.measured == {2021: 2020}
    assert view.piecewise
    # the line: 2.11 (R元) → 2.30 (R3) → 2.40 (R4) → 2.50 (R6)
    assert view.line == pytest.approx({2019: 2.11, 2020: 2.205, 2021: 2.30, 2022: 2.40, 2023: 2.45, 2024: 2.50})
    assert view.target == {2021: 2.30, 2022: 2.40, 2024: 2.50}


def test_a_text_target_is_shown_in_its_year_and_an_actual_without_progress_as_a_dash():
    rows = [row(2019, "baseline", 36.1), row(2021, "actual", 36.4), row(2024, "target", NAN)]
    status = {**STATUS, "base_value": 36.1, "target_value": NAN}
    view = kpi_view({**KPI, "target_text": "現状より増加"}, rows, range(2019, 2025), status)
    assert view.values == {2019: (36.1, "baseline"), 2021: (36.4, "actual"), 2024: ("現状より増加", "target")}
    assert view.progress == {2021: "－"} and view.line == {} and view.target == {}
    assert view.grades == {}   # no scale


def test_chart_series_with_an_interim_target():
    rows = [row(2022, "baseline", 3756.0), row(2023, "actual", 4038.0), row(2027, "interim", 4880.0)]
    status = {"base_year": 2022, "base_value": 3756.0, "target_year": 2032, "target_value": 4880.0}
    actual, target, line = chart_series(rows, range(2020, 2034), status)
    assert actual == {2023: 4038.0}
    assert target == {2027: 4880.0, 2032: 4880.0}
    assert line == pytest.approx({2022: 3756.0, 2023: 3980.8, 2024: 4205.6, 2025: 4430.4, 2026: 4655.2,
                                  2027: 4880.0, 2028: 4880.0, 2029: 4880.0, 2030: 4880.0, 2031: 4880.0,
                                  2032: 4880.0})


def test_kpi_with_status_adds_grades_only_with_a_scale():
    kpi = pd.DataFrame({"kpi_id": ["A", "A", "A"], "kind": ["baseline", "actual", "actual"],
                        "progress": [NAN, 0.7, NAN]})
    statuses = pd.DataFrame({"kpi_id": ["A"], "label": ["遅れ"]})
    assert kpi_with_status(kpi, statuses, (("○", 0.6), ("×", None)))["grade"].tolist() == ["", "○", ""]
    assert kpi_with_status(kpi, statuses)["grade"].tolist() == ["", "", ""]
