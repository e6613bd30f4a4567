"""schemas.vocab: the words the code branches on agree with the reference data."""
from __future__ import annotations

from pipeline import progress as P
from schemas import vocab as V


def test_sections_are_the_reference_sections_in_display_order(ref):
    assert V.SECTIONS == ref.section_order == ("実績", "課題", "今年度", "次年度")
    assert set(V.MEASURE_SECTIONS) == set(V.SECTIONS) - {V.ISSUES}


def test_directions_are_the_accepted_values(ref):
    assert set(ref.values["方向"].keys()) == set(V.DIRECTIONS) == {"増加", "減少"}
    assert V.DEFAULT_DIRECTION == "増加"
    assert set(ref.values["目標の範囲"].values()) <= set(V.DIRECTIONS)


def test_methods_table_agrees_with_the_defaults_and_the_formulas(ref):
    methods = ref.methods
    assert list(methods["name"]) == ["達成率", "改善率", "進捗割合型Ⅰ", "進捗割合型Ⅱ", "現状維持型Ⅰ", "現状維持型Ⅱ"]
    assert list(methods.loc[methods["default"], "name"]) == [V.DEFAULT_METHOD] == ["達成率"]
    assert set(methods["formula"]) == set(P.FORMULAS) == {"achievement", "improvement", "ceiling"}
    assert set(methods["direction"]) <= {"", *V.DIRECTIONS}
    # the two methods a frame without the table is read with have the table's formulas
    formulas = dict(zip(methods["name"], methods["formula"]))
    assert set(V.METHODS) == {"達成率", "改善率"}
    assert {name: formulas[name] for name in V.METHODS} == P.DEFAULT_FORMULAS


def test_kpi_kinds_and_their_labels(ref):
    assert V.KPI_KINDS == ("baseline", "actual", "yearly", "interim", "target")
    assert V.KPI_KIND_LABELS == {"baseline": "基準値", "actual": "実績値", "yearly": "年度目標値",
                                 "interim": "中間目標値", "target": "目標値"}
    assert set(ref.values["目標の種別"].values()) == set(V.TARGET_KINDS) == {"yearly", "interim", "target"}


def test_progress_displays_are_the_setting_choices(ref):
    assert ref.setting_choices == {"進捗率の表示": ("数値", "上限付き")}
    assert V.PROGRESS_DISPLAYS == ref.setting_choices["進捗率の表示"]
    default = dict(zip(ref.settings["item"], ref.settings["default"]))["進捗率の表示"]
    assert default == V.NUMERIC_DISPLAY == "数値"
