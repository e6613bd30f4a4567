"""schemas.vocab: the words the code branches on agree with the reference data."""
from __future__ import annotations

from schemas import vocab as V


def test_sections_are_the_reference_sections_in_display_order(ref):
    assert V.SECTIONS == ref.section_order == ("実績", "課題", "今年度", "次年度")
    assert set(V.MEASURE_SECTIONS) == set(V.SECTIONS) - {V.ISSUES}


def test_directions_and_methods_are_the_accepted_values(ref):
    assert set(ref.values["方向"].keys()) == set(V.DIRECTIONS) == {"増加", "減少"}
    assert set(ref.values["算定方法"].keys()) == set(V.METHODS) == {"達成率", "改善率"}
    assert V.DEFAULT_DIRECTION == "増加" and V.DEFAULT_METHOD == "達成率"


def test_kpi_kinds_and_their_labels():
    assert V.KPI_KINDS == ("baseline", "actual", "target")
    assert V.KPI_KIND_LABELS == {"baseline": "基準値", "actual": "実績値", "target": "目標値"}
