"""diff_defs: definitions compared field by field, and a measure renamed with its old name
kept as 別名 in the new master (one 施策名 change; the items under it unchanged)."""
from __future__ import annotations

from pipeline.diff import diff
from pipeline.diff_defs import heading_renames, measure_changes
from pipeline.diff_render import summary_lines
from tests.builders import frame, item, snap

OLD_MEASURES = [{"project_id": "P1", "measure": "施策A", "order": 1, "aliases": ()},
                {"project_id": "P1", "measure": "施策B", "order": 2, "aliases": ()}]
RENAMED = [{"project_id": "P1", "measure": "施策A（拡充）", "order": 1, "aliases": ("施策A",)},
           {"project_id": "P1", "measure": "施策B", "order": 2, "aliases": ()}]
SENTENCES = ("交流会を開催", "物産展を開催", "研修生の受入")
MEASURE_COLUMNS = ["project_id", "measure", "order", "aliases"]


def detail_lines(d):
    lines = summary_lines(d)
    return lines[lines.index("") + 1:-2]


def items_under(heading, fy):
    return [item(section, heading, text, fy=fy, row=i + 2)
            for i, (section, text) in enumerate(zip(("実績", "今年度", "次年度"), SENTENCES))]


def test_a_measure_renamed_with_its_old_name_as_alias_is_only_the_rename():
    old = snap(2020, items=items_under("施策A", 2020), measures=OLD_MEASURES)
    new = snap(2020, items=items_under("施策A（拡充）", 2020), measures=RENAMED)
    d = diff(old, new)
    assert detail_lines(d) == ["■ 施策の変更（1 件）", "  -> P1 施策A（拡充） 施策名: 施策A → 施策A（拡充）"]
    assert d.unchanged == 3 and d.initiatives.empty


def test_items_under_a_renamed_measure_follow_the_yearly_cycle():
    old = snap(2019, items=[item("次年度", "施策A", "交流会を開催"), item("今年度", "施策A", "物産展を開催")],
               measures=OLD_MEASURES)
    new = snap(2020, items=[item("今年度", "施策A（拡充）", "交流会を開催", fy=2020),
                            item("実績", "施策A（拡充）", "物産展を開催", fy=2020)], measures=RENAMED)
    assert detail_lines(diff(old, new)) == [
        "■ 施策の変更（1 件）",
        "  -> P1 施策A（拡充） 施策名: 施策A → 施策A（拡充）",
        "",
        "■ 取組の変更（2 件）",
        "  -> P1 次年度→今年度「施策A（拡充）」（繰越）: 交流会を開催",
        "  -> P1 今年度→実績「施策A（拡充）」（実施）: 物産展を開催",
    ]


def test_without_the_alias_a_new_name_is_a_new_measure_and_its_sentences_moved():
    new_measures = [{**RENAMED[0], "aliases": ()}, RENAMED[1]]
    d = diff(snap(2020, items=items_under("施策A", 2020)[:1], measures=OLD_MEASURES),
             snap(2020, items=items_under("施策A（拡充）", 2020)[:1], measures=new_measures))
    assert detail_lines(d) == [
        "■ 施策の変更（2 件）",
        "  +++ P1 施策A（拡充） （施策）",
        "  --- P1 施策A （施策）",
        "",
        "■ 取組の変更（1 件）",
        "  -> P1 実績「施策A」→実績「施策A（拡充）」（移動）: 交流会を開催",
    ]


def test_other_alias_changes_still_show_beside_the_rename():
    old = [{**OLD_MEASURES[0], "aliases": ("施策エー",)}]
    new = [{**RENAMED[0], "aliases": ("施策A", "施策えー")}]
    rows = measure_changes(frame(old, MEASURE_COLUMNS), frame(new, MEASURE_COLUMNS)).to_dict("records")
    assert [(r["action"], r["key"], r["field"], r["old"], r["new"]) for r in rows] == [
        ("->", "施策A（拡充）", "施策名", "施策A", "施策A（拡充）"),
        ("->", "施策A（拡充）", "別名", "施策エー", "施策えー")]


def test_a_measure_merged_into_another_that_existed_is_removed_and_its_items_follow_it():
    """施策A becomes a 別名 of 施策B, which the old master had too: no rename, 施策A is removed,
    and its sentences now listed under 施策B are unchanged."""
    merged = [{**OLD_MEASURES[1], "aliases": ("施策A",)}]
    d = diff(snap(2020, items=[item("実績", "施策A", "交流会を開催")], measures=OLD_MEASURES),
             snap(2020, items=[item("実績", "施策B", "交流会を開催")], measures=merged))
    assert detail_lines(d) == [
        "■ 施策の変更（2 件）",
        "  -> P1 施策B 別名: （なし） → 施策A",
        "  --- P1 施策A （施策）",
    ]
    assert d.unchanged == 1


def test_heading_renames_are_keyed_as_tidy_matches_headings():
    measures = frame(RENAMED + [{"project_id": "P2", "measure": "施策C", "order": 1, "aliases": ("施策 Ａ", "施策C")}],
                     MEASURE_COLUMNS)
    # an alias that is also a 施策名 of its project renames nothing; full-width and spaces do not count
    assert heading_renames(measures) == {("P1", "施策A"): "施策A（拡充）", ("P2", "施策A"): "施策C"}
