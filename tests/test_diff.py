"""diff: two snapshots compared by key — initiatives, the yearly cycle, KPI actuals and definitions."""
from __future__ import annotations

import copy
import math

import pandas as pd
import pytest

from pipeline.diff import (
    PASSES, char_changes, diff, field_changes, initiative_changes, kpi_actual_changes, marked, similarity,
)
from pipeline.diff_render import counts, display_rows, summary_lines
from pipeline.model import INITIATIVE_COLUMNS, KPI_COLUMNS
from tests.builders import LONG, actual, frame, item, kpi_def, snap

REVISION_COLUMNS = ["action", "kpi_id", "project_id", "indicator", "unit", "year", "year_label",
                    "old_value", "new_value", "delta", "old_source", "new_source"]
ACTUAL_COLUMNS = ["action", "kpi_id", "project_id", "indicator", "unit", "year", "year_label",
                  "was_pending", "new_value", "progress", "new_source"]
FIELD_COLUMNS = ["action", "key", "project_id", "name", "field", "old", "new"]


def changes(d):
    """(change, old_section, new_section, old_text, new_text) per initiative row."""
    return [(r["change"], r["old_section"], r["new_section"], r["old_text"], r["new_text"])
            for r in d.initiatives.to_dict("records")]


def plain(frame):
    """A frame's records with NaN written as "NaN", so that whole rows compare with ==."""
    return [{k: "NaN" if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()}
            for r in frame.to_dict("records")]


# --- characters -----------------------------------------------------------------------

def test_char_changes_rebuild_both_sides_and_mark_the_edit():
    old, new = "今年度の運航は休止", "令和元年度以降の運航は休止"
    segments = char_changes(old, new)
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new
    assert marked(old, new) == "[-今-]{+令和元+}年度{+以降+}の運航は休止"
    assert marked("同じ", "同じ") == "同じ"
    assert marked("", "新") == "{+新+}"


def test_a_pure_deletion_and_a_pure_insertion_have_one_mark():
    assert char_changes("交流会を開催する", "交流会を開催") == [("equal", "交流会を開催"), ("delete", "する")]
    assert marked("交流会を開催する", "交流会を開催") == "交流会を開催[-する-]"
    assert char_changes("交流会を開催", "交流会を開催する") == [("equal", "交流会を開催"), ("insert", "する")]
    assert marked("交流会を開催", "交流会を開催する") == "交流会を開催{+する+}"


def test_char_changes_of_empty_sentences():
    assert char_changes("", "") == [] and marked("", "") == ""
    assert char_changes("旧", "") == [("delete", "旧")] and marked("旧", "") == "[-旧-]"


# A long item (≥ 200 characters) made of few distinct characters: difflib's autojunk would
# treat で、交流会を開催 as junk and lose the match around the edit.
TOWNS = ("稚内市", "名寄市", "士別市", "旭川市", "留萌市", "富良野市", "猿払村", "豊富町", "幌延町", "天塩町", "遠別町",
         "羽幌町", "枝幸町", "浜頓別町", "中頓別町", "利尻町", "礼文町", "増毛町", "小平町", "苫前町", "初山別村")
EVERY_TOWN = "、".join(t + "で交流会を開催" for t in TOWNS)   # 234 characters


def test_long_repetitive_sentences_are_compared_without_junk_heuristic():
    edited = EVERY_TOWN[:-6] + "商談会を開催"                  # the last town's 交流会 → 商談会
    assert similarity(EVERY_TOWN, edited) == 2 * 232 / 468      # all but 交流 matches
    assert marked(EVERY_TOWN, edited) == EVERY_TOWN[:-6] + "[-交流-]{+商談+}会を開催"


def test_similarity_is_difflib_ratio_on_characters():
    assert similarity("abcd", "abcd") == 1.0
    assert similarity("abcd", "abce") == 0.75
    assert similarity("", "") == 1.0


# --- initiatives ------------------------------------------------------------------------

# One pair of items per pass: each pass of PASSES pairs its own pair when all run in order.
E_OLD, E_NEW = LONG, LONG.replace("現地業者", "現地の業者")                      # ratio 80/81
G_OLD, G_NEW = "あらゆる機会を捉えて留萌産品のＰＲを進めていく予定", "あらゆる機会を捉えて留萌産品のＰＲを実施"  # 36/45
I_OLD, I_NEW = "稚内サハリン間の定期航路は今年度の運航を休止", "稚内サハリン間の定期航路は令和元年度以降の運航を休止"  # 42/48
PASS_OLD = [
    item("次年度", "施策A", "交流会を開催", actors="稚内市"),     # A carried: same sentence and tags
    item("今年度", "施策A", "物産展を開催", actors="民間"),       # B done: same sentence and tags
    item("課題", "交流環境の整備", "航路の休止"),                 # C unchanged
    item("次年度", "施策A", "青少年交流事業", actors="稚内市"),   # D carried: other tags
    item("次年度", "施策A", E_OLD),                              # E carried: similar sentence
    item("今年度", "施策A", "研修生の受入", actors="民間"),       # F done: other tags
    item("今年度", "施策A", G_OLD),                              # G done: similar sentence
    item("実績", "施策A", "ツアーを催行", area="宗谷"),           # H edited: other tags
    item("実績", "施策A", I_OLD),                                # I edited: similar sentence
]
PASS_NEW = [
    item("今年度", "施策A", "交流会を開催", actors="稚内市", fy=2020),
    item("実績", "施策A", "物産展を開催", actors="民間", fy=2020),
    item("課題", "交流環境の整備", "航路の休止", fy=2020),
    item("今年度", "施策A", "青少年交流事業", actors="名寄市", fy=2020),
    item("今年度", "施策A", E_NEW, fy=2020),
    item("実績", "施策A", "研修生の受入", actors="稚内市", fy=2020),
    item("実績", "施策A", G_NEW, fy=2020),
    item("実績", "施策A", "ツアーを催行", area="上川", fy=2020),
    item("実績", "施策A", I_NEW, fy=2020),
]
A = ("交流会を開催", "交流会を開催")
B = ("物産展を開催", "物産展を開催")
C = ("航路の休止", "航路の休止")
D = ("青少年交流事業", "青少年交流事業")
F = ("研修生の受入", "研修生の受入")
H = ("ツアーを催行", "ツアーを催行")


def run_passes(passes, **options):
    return initiative_changes(frame(PASS_OLD, INITIATIVE_COLUMNS), frame(PASS_NEW, INITIATIVE_COLUMNS),
                              passes=passes, **options)


def test_the_passes_in_order():
    assert [(p.name, p.matcher, p.change, p.cycle_only) for p in PASSES] == [
        ("carried: same sentence and tags", "exact", "carried", True),
        ("done: same sentence and tags", "exact", "done", True),
        ("unchanged", "exact", None, False),
        ("carried: same sentence, other tags", "exact", "carried", True),
        ("carried: similar sentence", "similar", "carried", True),
        ("done: same sentence, other tags", "exact", "done", True),
        ("done: similar sentence", "similar", "done", True),
        ("edited: same sentence, other tags", "exact", "changed", False),
        ("edited: similar sentence", "similar", "changed", False),
        ("moved: same sentence elsewhere", "exact", "moved", False),
        ("moved: carried elsewhere", "exact", "moved", True),
        ("moved: done elsewhere", "exact", "moved", True),
    ]


@pytest.mark.parametrize("name, pairs, unchanged", [
    ("carried: same sentence and tags", [("carried", *A)], 0),
    ("done: same sentence and tags", [("done", *B)], 0),
    ("unchanged", [], 1),
    ("carried: same sentence, other tags", [("carried", *A), ("carried", *D)], 0),
    ("carried: similar sentence", [("carried", *A), ("carried", *D), ("carried", E_OLD, E_NEW)], 0),
    ("done: same sentence, other tags", [("done", *B), ("done", *F)], 0),
    ("done: similar sentence", [("done", *B), ("done", *F), ("done", G_OLD, G_NEW)], 0),
    # alone, the edit passes also take C: "unchanged" runs before them to keep it
    ("edited: same sentence, other tags", [("changed", *C), ("changed", *H)], 0),
    ("edited: similar sentence", [("changed", *C), ("changed", *H), ("changed", I_OLD, I_NEW)], 0),
    # alone, a move pass also takes what stays in place: "unchanged" and the edits run before it
    ("moved: same sentence elsewhere", [("moved", *C), ("moved", *H)], 0),
    ("moved: carried elsewhere", [("moved", *A), ("moved", *D)], 0),
    ("moved: done elsewhere", [("moved", *B), ("moved", *F)], 0),
])
def test_each_pass_alone_pairs_only_what_its_keys_allow(name, pairs, unchanged):
    (step,) = [p for p in PASSES if p.name == name]
    d, count = run_passes((step,))
    rows = d.to_dict("records")
    both = [r["old_text"] and r["new_text"] for r in rows]
    assert [(r["change"], r["old_text"], r["new_text"]) for r, b in zip(rows, both) if b] == pairs
    assert count == unchanged
    left = 9 - len(pairs) - unchanged   # the 9 pairs of PASS_OLD / PASS_NEW
    alone = [r for r, b in zip(rows, both) if not b]
    # under the cycle, last year's 実績 that nothing took rolled off (掲載終了) rather than removed
    gone = ["rolled_off" if r["old_section"] == "実績" else "removed" for r in alone[left:]]
    assert [r["change"] for r in alone] == ["added"] * left + gone


def test_all_passes_in_order_pair_each_item_once():
    d, unchanged = run_passes(PASSES)
    assert unchanged == 1
    assert [(r["change"], r["old_section"], r["new_section"], r["old_text"], r["new_text"], r["similarity"])
            for r in d.to_dict("records")] == [
        ("carried", "次年度", "今年度", *A, 1.0),
        ("done", "今年度", "実績", *B, 1.0),
        ("carried", "次年度", "今年度", *D, 1.0),
        ("carried", "次年度", "今年度", E_OLD, E_NEW, 80 / 81),
        ("done", "今年度", "実績", *F, 1.0),
        ("done", "今年度", "実績", G_OLD, G_NEW, 0.8),
        ("changed", "実績", "実績", *H, 1.0),
        ("changed", "実績", "実績", I_OLD, I_NEW, 42 / 48),
    ]


def test_without_the_cycle_only_the_same_place_pairs():
    d, unchanged = run_passes(PASSES, cycle=False)
    assert unchanged == 1
    assert [(r["change"], r["old_section"] or r["new_section"], r["old_text"] or r["new_text"])
            for r in d.to_dict("records")] == [
        ("added", "今年度", "交流会を開催"), ("added", "実績", "物産展を開催"), ("added", "今年度", "青少年交流事業"),
        ("added", "今年度", E_NEW), ("added", "実績", "研修生の受入"), ("added", "実績", G_NEW),
        ("changed", "実績", "ツアーを催行"), ("changed", "実績", I_OLD),
        ("removed", "次年度", "交流会を開催"), ("removed", "今年度", "物産展を開催"), ("removed", "次年度", "青少年交流事業"),
        ("removed", "次年度", E_OLD), ("removed", "今年度", "研修生の受入"), ("removed", "今年度", G_OLD),
    ]


def test_no_passes_pair_nothing():
    d, unchanged = run_passes(())
    assert unchanged == 0 and [r["change"] for r in d.to_dict("records")] == (
        ["added"] * 9 + ["removed"] * 7 + ["rolled_off"] * 2)   # H and I are last year's 実績


def test_a_carried_item_whose_tags_changed_is_carried_not_unchanged():
    old = snap(2019, items=[item("次年度", "施策A", "交流会を開催", actors="稚内市", row=5)])
    new = snap(2020, items=[item("今年度", "施策A", "交流会を開催", actors="稚内市・民間", fy=2020, row=3)])
    d = diff(old, new)
    assert d.unchanged == 0
    assert d.initiatives.to_dict("records") == [{
        "action": "->", "change": "carried", "project_id": "P1", "project": "交流プロジェクト",
        "old_project_id": "P1", "old_section": "次年度", "new_section": "今年度", "old_heading": "施策A", "new_heading": "施策A",
        "old_text": "交流会を開催", "new_text": "交流会を開催", "old_area": "", "new_area": "",
        "old_actors": "稚内市", "new_actors": "稚内市・民間", "old_relisted": False, "new_relisted": False,
        "similarity": 1.0, "old_source": "submissions/a.csv:5", "new_source": "submissions/a.csv:3"}]


def test_added_and_removed_rows_leave_the_missing_side_empty():
    """Each in a diff of its own, so that the similarity column holds nothing but theirs."""
    old = snap(2019, items=[item("課題", "", "古い課題", area="宗谷", relisted=True, row=4)])
    new = snap(2020, items=[item("課題", "", "新しい課題", actors="振興局", fy=2020, row=6)])
    added, removed = plain(diff(snap(2019), new).initiatives), plain(diff(old, snap(2020)).initiatives)
    assert added + removed == [
        {"action": "+++", "change": "added", "project_id": "P1", "project": "交流プロジェクト",
         "old_project_id": "", "old_section": "", "new_section": "課題", "old_heading": "", "new_heading": "", "old_text": "",
         "new_text": "新しい課題", "old_area": "", "new_area": "", "old_actors": "", "new_actors": "振興局",
         "old_relisted": None, "new_relisted": False, "similarity": "NaN", "old_source": "",
         "new_source": "submissions/a.csv:6"},
        {"action": "---", "change": "removed", "project_id": "P1", "project": "交流プロジェクト",
         "old_project_id": "P1", "old_section": "課題", "new_section": "", "old_heading": "", "new_heading": "", "old_text": "古い課題",
         "new_text": "", "old_area": "宗谷", "new_area": "", "old_actors": "", "new_actors": "",
         "old_relisted": True, "new_relisted": None, "similarity": "NaN", "old_source": "submissions/a.csv:4",
         "new_source": ""},
    ]


# --- similar sentences: one to one, best ratio first -------------------------------------

PLAN = "交流会を開催する予定"


def edits(old_texts, new_texts):
    """(change, old_text, new_text, similarity) of a diff between items under 実績「施策A」."""
    old = snap(items=[item("実績", "施策A", t) for t in old_texts])
    new = snap(items=[item("実績", "施策A", t) for t in new_texts])
    return [(r["change"], r["old_text"], r["new_text"], r["similarity"]) for r in plain(diff(old, new).initiatives)]


def test_two_old_sentences_similar_to_one_new_one_only_the_best_pairs():
    assert edits(["交流会を開催する計画", PLAN + "。"], [PLAN]) == [
        ("changed", PLAN + "。", PLAN, 20 / 21), ("removed", "交流会を開催する計画", "", "NaN")]   # 0.8 < 20/21


def test_one_old_sentence_similar_to_two_new_ones_pairs_once():
    assert edits([PLAN], ["交流会を開催する計画", PLAN + "。"]) == [
        ("added", "", "交流会を開催する計画", "NaN"), ("changed", PLAN, PLAN + "。", 20 / 21)]


def test_equal_ratios_go_to_the_earlier_item():
    assert edits([PLAN + "。", PLAN + "！"], [PLAN]) == [
        ("changed", PLAN + "。", PLAN, 20 / 21), ("removed", PLAN + "！", "", "NaN")]
    assert edits([PLAN], [PLAN + "！", PLAN + "。"]) == [
        ("changed", PLAN, PLAN + "！", 20 / 21), ("added", "", PLAN + "。", "NaN")]


def test_a_sentence_whose_best_match_is_taken_pairs_with_its_next_best():
    # candidates: (。, PLAN) 20/21, then (です。, PLAN) 20/23 — taken —, then (です。, 見込みです。) 22/27
    assert edits([PLAN + "。", PLAN + "です。"], [PLAN, "交流会を開催する見込みです。"]) == [
        ("changed", PLAN + "。", PLAN, 20 / 21), ("changed", PLAN + "です。", "交流会を開催する見込みです。", 22 / 27)]


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
    assert d.empty and unchanged == 0 and list(d.columns) == [
        "action", "change", "project_id", "project", "old_project_id", "old_section", "new_section", "old_heading", "new_heading",
        "old_text", "new_text", "old_area", "new_area", "old_actors", "new_actors", "old_relisted", "new_relisted",
        "similarity", "old_source", "new_source"]
    revisions, actuals = kpi_actual_changes(frame([], KPI_COLUMNS), frame([], KPI_COLUMNS))
    assert revisions.empty and list(revisions.columns) == REVISION_COLUMNS
    assert actuals.empty and list(actuals.columns) == ACTUAL_COLUMNS
    fields = field_changes(frame([], ["k", "name"]), frame([], ["k", "name"]), ("k",), {}, name="name", whole="（x）")
    assert fields.empty and list(fields.columns) == FIELD_COLUMNS


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


def test_a_pending_actual_that_disappeared_is_a_revision_with_neither_value():
    old = snap(kpi=[actual("K1", 2015, 150.0), actual("K1", 2016, float("nan"), row=4)])
    new = snap(2020, kpi=[actual("K1", 2015, 150.0, fy=2020)])
    d = diff(old, new)
    assert plain(d.revisions) == [
        {"action": "---", "kpi_id": "K1", "project_id": "P1", "indicator": "来訪者数", "unit": "人", "year": 2016,
         "year_label": "H28", "old_value": "NaN", "new_value": "NaN", "delta": "NaN",
         "old_source": "submissions/k.csv:4", "new_source": ""}]
    assert list(d.revisions.columns) == REVISION_COLUMNS and d.actuals.empty


def test_an_actual_pending_in_both_years_is_no_change():
    old = snap(kpi=[actual("K1", 2016, float("nan"))])
    new = snap(2020, kpi=[actual("K1", 2016, float("nan"), fy=2020, row=9)])
    d = diff(old, new)
    assert d.revisions.empty and d.actuals.empty and not d.changed


def test_a_new_years_actual_is_new_even_when_pending():
    new = snap(2020, kpi=[actual("K1", 2019, float("nan"), fy=2020, row=6)])
    d = diff(snap(), new)
    assert plain(d.actuals) == [
        {"action": "+++", "kpi_id": "K1", "project_id": "P1", "indicator": "来訪者数", "unit": "人", "year": 2019,
         "year_label": "R元", "was_pending": False, "new_value": "NaN", "progress": "NaN",
         "new_source": "submissions/k.csv:6"}]
    assert list(d.actuals.columns) == ACTUAL_COLUMNS and d.revisions.empty


def test_actuals_are_listed_by_kpi_then_year():
    old = snap(kpi=[actual("K2", 2015, 10.0), actual("K1", 2016, 20.0), actual("K1", 2015, 30.0)])
    new = snap(2020, kpi=[actual("K2", 2015, 11.0, fy=2020), actual("K1", 2016, 21.0, fy=2020),
                          actual("K1", 2015, 31.0, fy=2020)])
    assert [(r["kpi_id"], r["year"], r["delta"]) for r in diff(old, new).revisions.to_dict("records")] == [
        ("K1", 2015, 1.0), ("K1", 2016, 1.0), ("K2", 2015, 1.0)]


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


def test_definitions_with_a_missing_or_broken_value():
    """A value missing last year, a number become text (a broken cell), an empty 表示順."""
    old = snap(kpis=[kpi_def(base_value=float("nan"))],
               projects=[{"project_id": "P1", "region": "道北", "project": "交流プロジェクト", "purpose": "",
                          "order": pd.NA}])
    new = snap(kpis=[kpi_def(target_value="未定")],
               projects=[{"project_id": "P1", "region": "道北", "project": "交流プロジェクト", "purpose": "",
                          "order": 2}])
    d = diff(old, new)
    assert d.kpis.to_dict("records") == [
        {"action": "->", "key": "K1", "project_id": "P1", "name": "来訪者数", "field": "基準値", "old": "", "new": 100.0},
        {"action": "->", "key": "K1", "project_id": "P1", "name": "来訪者数", "field": "目標値", "old": 200.0,
         "new": "未定"}]
    assert d.projects.to_dict("records") == [
        {"action": "->", "key": "P1", "project_id": "P1", "name": "交流プロジェクト", "field": "表示順", "old": "",
         "new": 2}]


def test_aliases_are_joined_and_a_table_without_project_id_has_none():
    old = snap(measures=[{"project_id": "P1", "measure": "施策A", "order": 1, "aliases": ("施策エー", "施策えー")}])
    new = snap(measures=[{"project_id": "P1", "measure": "施策A", "order": 1, "aliases": ("施策エー",)}])
    assert [(r["field"], r["old"], r["new"]) for r in diff(old, new).measures.to_dict("records")] == [
        ("別名", "施策エー；施策えー", "施策エー")]
    gone = field_changes(pd.DataFrame([{"k": "1", "name": "x"}]), frame([], ["k", "name"]), ("k",), {},
                         name="name", whole="（x）")
    assert gone.to_dict("records") == [
        {"action": "---", "key": "1", "project_id": "", "name": "x", "field": "（x）", "old": "x", "new": ""}]


def test_field_changes_treats_missing_values_as_equal():
    a = pd.DataFrame([{"k": "1", "v": float("nan"), "name": "x", "project_id": "P"}])
    assert field_changes(a, a.copy(), ("k",), {"v": "値"}, name="name", whole="（x）").empty


# --- the auditor's second look: roll-off, moves, provenance (issue 15) -------------------

def detail_lines(d):
    """The stdout lines that list the changes (after the counts, before the legend)."""
    lines = summary_lines(d)
    return lines[lines.index("") + 1:-2]


def from_file(section, text, source, *, fy=2019, row=2, heading=""):
    record = item(section, heading, text, fy=fy, row=row)
    record["source_file"] = source
    return record


def test_last_years_results_roll_off_and_a_dropped_issue_is_removed():
    old = snap(2019, items=[item("実績", "施策A", "物産展を開催", row=2), item("今年度", "施策A", "交流会を開催", row=3),
                            item("課題", "", "航路の休止", row=4), item("課題", "", "古い課題", row=5)])
    new = snap(2020, items=[item("実績", "施策A", "交流会を開催", fy=2020), item("課題", "", "航路の休止", fy=2020, row=3)])
    d = diff(old, new)
    assert detail_lines(d) == [
        "■ 取組の変更（2 件）",
        "  -> P1 今年度→実績「施策A」（実施）: 交流会を開催",
        "  --- P1 課題: 古い課題  出典: submissions/a.csv:5",
        "",
        "■ 取組の掲載終了（年度の進行で外れた前年度の実績）（1 件）",
        "  ... P1 実績「施策A」: 物産展を開催",
    ]
    assert [(label, n) for label, n, _ in counts(d) if label.startswith(("取組の削除", "取組の掲載終了"))] == [
        ("取組の削除", 1), ("取組の掲載終了（前年度の実績）", 1)]
    assert d.unchanged == 1 and list(d.rolled_off["action"]) == ["..."]


def test_a_result_kept_in_the_new_year_is_unchanged_not_rolled_off():
    d = diff(snap(2019, items=[item("実績", "施策A", "物産展を開催")]),
             snap(2020, items=[item("実績", "施策A", "物産展を開催", fy=2020)]))
    assert not d.changed and d.unchanged == 1 and d.rolled_off.empty


@pytest.mark.parametrize("old_fy, new_fy", [(2020, 2020), (2020, 2019)])
def test_without_the_cycle_a_result_that_is_gone_is_removed(old_fy, new_fy):
    """A rebuild of the same year, or OLD later than NEW: nothing rolls off."""
    d = diff(snap(old_fy, items=[item("実績", "施策A", "物産展を開催", fy=old_fy)]), snap(new_fy))
    assert detail_lines(d) == ["■ 取組の変更（1 件）", "  --- P1 実績「施策A」: 物産展を開催  出典: submissions/a.csv:2"]
    assert d.rolled_off.empty


def test_a_sentence_moved_to_another_heading_is_one_move():
    d = diff(snap(2019, items=[item("課題", "交流環境", "航路の休止", row=4)]),
             snap(2020, items=[item("課題", "受入環境", "航路の休止", fy=2020, row=7)]))
    assert detail_lines(d) == ["■ 取組の変更（1 件）", "  -> P1 課題「交流環境」→課題「受入環境」（移動）: 航路の休止"]
    (row,) = d.initiatives.to_dict("records")
    assert (row["change"], row["similarity"], row["old_source"], row["new_source"]) == (
        "moved", 1.0, "submissions/a.csv:4", "submissions/a.csv:7")
    assert [(label, n) for label, n, _ in counts(d) if label.startswith("取組の移動")] == [
        ("取組の移動（別の見出し・プロジェクトへ）", 1)]


def test_a_carried_sentence_moved_to_another_project_is_one_move_with_its_tags():
    d = diff(snap(2019, items=[item("次年度", "施策A", "交流会を開催", actors="稚内市")]),
             snap(2020, items=[item("今年度", "施策C", "交流会を開催", actors="名寄市", project="P2", fy=2020)]))
    assert detail_lines(d) == [
        "■ 取組の変更（1 件）",
        "  -> P1 次年度「施策A」→P2 今年度「施策C」（移動）: 交流会を開催  タグ: 実施主体：稚内市 → 実施主体：名寄市"]
    assert display_rows("initiatives", d.initiatives)[0]["project_id"] == "P1→P2"


def test_a_sentence_moved_and_edited_is_removed_and_added():
    d = diff(snap(2019, items=[item("課題", "交流環境", LONG)]),
             snap(2020, items=[item("課題", "受入環境", LONG + "。", fy=2020)]))
    assert [r["change"] for r in d.initiatives.to_dict("records")] == ["added", "removed"]


@pytest.mark.parametrize("kept_by, dropped_by", [("submissions/猿払村.csv", "submissions/稚内市.csv:3"),
                                                 ("submissions/稚内市.csv", "submissions/猿払村.csv:4")])
def test_a_sentence_two_files_gave_is_removed_from_the_file_that_dropped_it(kept_by, dropped_by):
    old = snap(2019, items=[from_file("課題", "航路の休止", "submissions/稚内市.csv", row=3),
                            from_file("課題", "航路の休止", "submissions/猿払村.csv", row=4)])
    new = snap(2020, items=[from_file("課題", "航路の休止", kept_by, fy=2020)])
    d = diff(old, new)
    assert detail_lines(d) == ["■ 取組の変更（1 件）", f"  --- P1 課題: 航路の休止  出典: {dropped_by}"]
    assert d.unchanged == 1


def test_the_same_file_is_preferred_in_the_cycle_too():
    old = snap(2019, items=[from_file("次年度", "交流会", "submissions/a.csv", heading="施策A"),
                            from_file("次年度", "交流会", "submissions/b.csv", heading="施策A", row=5)])
    new = snap(2020, items=[from_file("今年度", "交流会", "submissions/b.csv", fy=2020, heading="施策A", row=9)])
    assert detail_lines(diff(old, new)) == [
        "■ 取組の変更（2 件）",
        "  -> P1 次年度→今年度「施策A」（繰越）: 交流会",
        "  --- P1 次年度「施策A」: 交流会  出典: submissions/a.csv:2"]
