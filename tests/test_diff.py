"""diff: two snapshots compared by key — initiatives, the yearly cycle, KPI actuals and definitions."""
from __future__ import annotations

import copy
import math

import pandas as pd

from pipeline.diff import (
    char_changes, diff, field_changes, initiative_changes, kpi_actual_changes, marked, similarity,
)
from pipeline.model import INITIATIVE_COLUMNS, KPI_COLUMNS
from tests.builders import LONG, actual, frame, item, kpi_def, snap


def changes(d):
    """(change, old_section, new_section, old_text, new_text) per initiative row."""
    return [(r["change"], r["old_section"], r["new_section"], r["old_text"], r["new_text"])
            for r in d.initiatives.to_dict("records")]


# --- characters -----------------------------------------------------------------------

def test_char_changes_rebuild_both_sides_and_mark_the_edit():
    old, new = "今年度の運航は休止", "令和元年度以降の運航は休止"
    segments = char_changes(old, new)
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new
    assert marked(old, new) == "[-今-]{+令和元+}年度{+以降+}の運航は休止"
    assert marked("同じ", "同じ") == "同じ"
    assert marked("", "新") == "{+新+}"


def test_similarity_is_difflib_ratio_on_characters():
    assert similarity("abcd", "abcd") == 1.0
    assert similarity("abcd", "abce") == 0.75
    assert similarity("", "") == 1.0


# --- initiatives ------------------------------------------------------------------------

def test_identical_snapshots_have_no_difference():
    s = snap(items=[item("実績", "施策A", "交流会"), item("課題", "", "課題X"), item("次年度", "施策A", "交流会")],
             kpi=[actual("K1", 2015, 150.0)])
    d = diff(s, copy.deepcopy(s))
    assert not d.changed
    assert d.unchanged == 3
    assert all(len(getattr(d, k)) == 0 for k in ("revisions", "actuals", "kpis", "projects", "measures",
                                                 "initiatives"))


def test_added_removed_and_edited_items_in_the_same_place():
    old = snap(items=[item("実績", "施策A", LONG), item("実績", "施策A", "古い取組"), item("課題", "", "課題X")])
    edited = LONG.replace("商談を実施", "商談会を実施")
    new = snap(items=[item("実績", "施策A", edited), item("実績", "施策A", "新しい取組"), item("課題", "", "課題X")])
    d = diff(old, new)
    assert changes(d) == [
        ("changed", "実績", "実績", LONG, edited),
        ("added", "", "実績", "", "新しい取組"),
        ("removed", "実績", "", "古い取組", ""),
    ]
    assert list(d.initiatives["action"]) == ["->", "+++", "---"]
    assert d.initiatives.loc[0, "similarity"] == similarity(LONG, edited) >= 0.8
    assert d.unchanged == 1 and d.changed


def test_a_sentence_below_the_similarity_threshold_is_removed_plus_added():
    old = snap(items=[item("実績", "施策A", "abcd")])
    new = snap(items=[item("実績", "施策A", "abce")])  # ratio 0.75 < 0.8
    assert [c[0] for c in changes(diff(old, new))] == ["added", "removed"]


def test_a_similar_sentence_under_another_heading_is_not_an_edit():
    old = snap(items=[item("実績", "施策A", LONG)])
    new = snap(items=[item("実績", "施策B", LONG + "。")])
    assert [c[0] for c in changes(diff(old, new))] == ["added", "removed"]


def test_tags_changed_on_the_same_sentence_is_an_edit():
    old = snap(items=[item("実績", "施策A", "交流会", area="宗谷", actors="市")])
    new = snap(items=[item("実績", "施策A", "交流会", area="上川", actors="市", relisted=True)])
    (row,) = diff(old, new).initiatives.to_dict("records")
    assert row["change"] == "changed" and row["similarity"] == 1.0
    assert (row["old_area"], row["new_area"], row["old_relisted"], row["new_relisted"]) == ("宗谷", "上川", False, True)


def test_duplicates_pair_one_by_one():
    old = snap(items=[item("実績", "施策A", "同じ文"), item("実績", "施策A", "同じ文")])
    new = snap(items=[item("実績", "施策A", "同じ文")])
    d = diff(old, new)
    assert d.unchanged == 1 and changes(d) == [("removed", "実績", "", "同じ文", "")]


def test_next_years_items_are_carried_over_into_this_year():
    old = snap(2019, items=[item("次年度", "施策A", "交流会を開催"), item("次年度", "施策B", LONG)])
    edited = LONG.replace("現地業者", "現地の業者")
    new = snap(2020, items=[item("今年度", "施策A", "交流会を開催", fy=2020),
                            item("今年度", "施策B", edited, fy=2020)])
    d = diff(old, new)
    assert changes(d) == [
        ("carried", "次年度", "今年度", "交流会を開催", "交流会を開催"),
        ("carried", "次年度", "今年度", LONG, edited),
    ]
    assert list(d.initiatives["action"]) == ["->", "->"]


def test_this_years_items_that_became_results_are_done():
    old = snap(2019, items=[item("今年度", "施策A", "ＰＲを進めていく予定")])
    new = snap(2020, items=[item("実績", "施策A", "ＰＲを実施", fy=2020)])
    assert [c[0] for c in changes(diff(old, new))] == ["added", "removed"]  # ratio 0.6: not the same sentence
    new = snap(2020, items=[item("実績", "施策A", "あらゆる機会を捉えて留萌産品のＰＲを実施", fy=2020)])
    old = snap(2019, items=[item("今年度", "施策A", "あらゆる機会を捉えて留萌産品のＰＲを進めていく予定")])
    assert changes(diff(old, new)) == [("done", "今年度", "実績", "あらゆる機会を捉えて留萌産品のＰＲを進めていく予定",
                                        "あらゆる機会を捉えて留萌産品のＰＲを実施")]


def test_the_cycle_prefers_next_years_copy_of_a_sentence_listed_twice():
    """The seed lists 青少年交流事業 under 今年度 and 次年度: the 次年度 copy moves on to 今年度."""
    old = snap(2019, items=[item("今年度", "施策A", "青少年交流事業"), item("次年度", "施策A", "青少年交流事業")])
    new = snap(2020, items=[item("実績", "施策A", "青少年交流事業", fy=2020),
                            item("今年度", "施策A", "青少年交流事業", fy=2020)])
    d = diff(old, new)
    assert sorted(c[:3] for c in changes(d)) == [("carried", "次年度", "今年度"), ("done", "今年度", "実績")]
    assert d.unchanged == 0


def test_a_rebuild_of_the_same_year_has_no_cycle():
    items = [item("今年度", "施策A", "交流会"), item("次年度", "施策A", "交流会")]
    old = snap(2019, items=items)
    new = snap(2019, items=[items[1], items[0]])
    d = diff(old, new)
    assert not d.changed and d.unchanged == 2


def test_order_and_sources_are_not_changes():
    moved = item("実績", "施策A", "交流会", row=9)
    moved["order"] = 3
    moved["source_file"] = "submissions/b.xlsx"
    d = diff(snap(items=[item("実績", "施策A", "交流会")]), snap(items=[moved]))
    assert not d.changed


def test_inputs_are_not_modified():
    old = snap(items=[item("実績", "施策A", LONG)], kpi=[actual("K1", 2015, 150.0)])
    new = snap(2020, items=[item("今年度", "施策A", "x", fy=2020)], kpi=[actual("K1", 2015, 151.0, fy=2020)])
    before = [f.copy() for f in (old.initiatives, old.kpi, new.initiatives, new.kpi)]
    diff(old, new)
    for b, a in zip(before, (old.initiatives, old.kpi, new.initiatives, new.kpi)):
        pd.testing.assert_frame_equal(b, a)


def test_empty_frames():
    d, unchanged = initiative_changes(frame([], INITIATIVE_COLUMNS), frame([], INITIATIVE_COLUMNS))
    assert d.empty and unchanged == 0 and list(d.columns)[:2] == ["action", "change"]
    revisions, actuals = kpi_actual_changes(frame([], KPI_COLUMNS), frame([], KPI_COLUMNS))
    assert revisions.empty and actuals.empty


# --- KPI actuals ----------------------------------------------------------------------

def test_revised_past_actual_is_reported_with_old_new_difference_and_sources():
    old = snap(kpi=[actual("K1", 2014, 100.0, kind="baseline"), actual("K1", 2018, 6516.0, row=7)])
    new = snap(2020, kpi=[actual("K1", 2014, 100.0, kind="baseline", fy=2020),
                          actual("K1", 2018, 6561.0, fy=2020, row=8, file="submissions/本庁.xlsx")])
    (row,) = diff(old, new).revisions.to_dict("records")
    assert row == {"action": "->", "kpi_id": "K1", "project_id": "P1", "indicator": "来訪者数", "unit": "人",
                   "year": 2018, "year_label": "H30", "old_value": 6516.0, "new_value": 6561.0, "delta": 45.0,
                   "old_source": "submissions/k.csv:7", "new_source": "submissions/本庁.xlsx:8"}


def test_new_actuals_and_values_no_longer_pending():
    old = snap(kpi=[actual("K1", 2015, 150.0), actual("K1", 2016, float("nan"))])
    new = snap(2020, kpi=[actual("K1", 2015, 150.0, fy=2020), actual("K1", 2016, 160.0, fy=2020, progress=0.8),
                          actual("K1", 2018, 170.0, fy=2020, progress=0.85)])
    d = diff(old, new)
    assert d.revisions.empty
    rows = d.actuals.to_dict("records")
    assert [(r["year"], r["new_value"], r["was_pending"], r["progress"]) for r in rows] == [
        (2016, 160.0, True, 0.8), (2018, 170.0, False, 0.85)]
    assert {r["action"] for r in rows} == {"+++"}


def test_a_past_value_that_vanished_is_a_revision():
    old = snap(kpi=[actual("K1", 2015, 150.0), actual("K1", 2016, 160.0)])
    new = snap(2020, kpi=[actual("K1", 2015, float("nan"), fy=2020)])
    rows = diff(old, new).revisions.to_dict("records")
    assert [(r["action"], r["year"], r["old_value"], math.isnan(r["new_value"]), r["new_source"]) for r in rows] == [
        ("->", 2015, 150.0, True, "submissions/k.csv:2"), ("---", 2016, 160.0, True, "")]
    assert math.isnan(rows[0]["delta"])


def test_baseline_and_target_rows_are_not_actuals():
    old = snap(kpi=[actual("K1", 2014, 100.0, kind="baseline")])
    new = snap(kpi=[actual("K1", 2014, 110.0, kind="baseline")])
    d = diff(old, new)
    assert d.revisions.empty and d.actuals.empty  # definitions are compared on KPI定義


# --- definitions ----------------------------------------------------------------------

def test_kpi_definition_changes_field_by_field():
    old = snap(kpis=[kpi_def(), kpi_def(kpi_id="K2", indicator="待ち日数")])
    new = snap(kpis=[kpi_def(target_year=2021, target_value=250.0, unit="千人", direction="減少", method="改善率"),
                     kpi_def(kpi_id="K3", indicator="輸出額")])
    rows = diff(old, new).kpis.to_dict("records")
    assert [(r["action"], r["key"], r["field"], r["old"], r["new"]) for r in rows] == [
        ("->", "K1", "単位", "人", "千人"),
        ("->", "K1", "目標年度", "R2（2020）", "R3（2021）"),
        ("->", "K1", "目標値", 200.0, 250.0),
        ("->", "K1", "方向", "増加", "減少"),
        ("->", "K1", "算定方法", "達成率", "改善率"),
        ("+++", "K3", "（KPI）", "", "輸出額"),
        ("---", "K2", "（KPI）", "待ち日数", ""),
    ]


def test_projects_and_measures_added_removed_and_purpose_edited():
    old = snap()
    new = snap(projects=[{"project_id": "P1", "region": "道北", "project": "交流プロジェクト",
                          "purpose": "交流を一層進めます。", "order": 1},
                         {"project_id": "P2", "region": "道北", "project": "観光プロジェクト", "purpose": "",
                          "order": 2}],
               measures=[{"project_id": "P1", "measure": "施策A", "order": 1, "aliases": ()},
                         {"project_id": "P1", "measure": "施策C", "order": 2, "aliases": ()}])
    d = diff(old, new)
    assert [(r["action"], r["key"], r["field"], r["old"], r["new"]) for r in d.projects.to_dict("records")] == [
        ("->", "P1", "概要・目的", "交流を進めます。", "交流を一層進めます。"),
        ("+++", "P2", "（プロジェクト）", "", "観光プロジェクト"),
    ]
    assert [(r["action"], r["name"], r["field"], r["old"], r["new"]) for r in d.measures.to_dict("records")] == [
        ("->", "施策A", "別名", "施策エー", ""),
        ("+++", "施策C", "（施策）", "", "施策C"),
        ("---", "施策B", "（施策）", "施策B", ""),
    ]


def test_field_changes_treats_missing_values_as_equal():
    a = pd.DataFrame([{"k": "1", "v": float("nan"), "name": "x", "project_id": "P"}])
    assert field_changes(a, a.copy(), ("k",), {"v": "値"}, name="name", whole="（x）").empty
