"""diff_cells: what each cell of the 差分 workbook's kind sheets is, decided before writing."""
from __future__ import annotations

import pytest

from pipeline import diff_cells as C
from pipeline.diff import diff
from tests.builders import LONG, actual, item, snap

EDITED = LONG.replace("商談を実施", "商談会を実施")
TEXT, WRAP = ("data_text", None, ()), ("data_wrap", None, ())


def cells(row: C.SheetRow) -> list[tuple]:
    """(how, value, format keys) per cell, as C.cell gives them."""
    return [(how, value, keys) for (how, keys), value in zip(row.layout, row.values)]


@pytest.fixture(scope="module")
def small():
    old = snap(2019, items=[item("実績", "施策A", LONG), item("次年度", "施策A", "交流会を開催"), item("課題", "", "古い課題")],
               kpi=[actual("K1", 2015, 150.0, row=3)], label="old.xlsx")
    new = snap(2020, items=[item("実績", "施策A", EDITED, fy=2020), item("今年度", "施策A", "交流会を開催", fy=2020),
                            item("課題", "", "新しい課題", fy=2020)],
               kpi=[actual("K1", 2015, 149.5, fy=2020, row=3)], label="new.xlsx")
    return diff(old, new)


@pytest.mark.parametrize("value, style, fill, expected", [
    ("", "data_wrap", "added", ("blank", None, (("data_wrap", "added", ()),))),
    (float("nan"), "data_number", None, ("blank", None, (("data_number", None, ()),))),
    (5949.0, "data_number", "changed", ("number", 5949.0, (("data_number", "changed", (("num_format", "#,##0"),)),))),
    (-0.5, "delta", None, ("number", -0.5, (("delta", None, (("num_format", "+#,##0.0;-#,##0.0;0"),)),))),
    ("約9,000", "data_number", None, ("string", "約9,000", (("data_number", None, ()), ("data_number", None, ())))),
    ("=SUM(A1)", "data_text", None, ("string", "=SUM(A1)", (TEXT, ("data_text", None, (("quote_prefix", True),))))),
    ("P1", "data_wrap", None, ("string", "P1", (WRAP, WRAP))),
])
def test_a_cell_is_blank_a_number_or_text_with_its_formats(value, style, fill, expected):
    assert C.cell(value, style, fill, None) == expected


def test_a_sentence_shows_its_marked_characters_only_with_more_than_one_segment():
    marked = C.cell(EDITED, "data_wrap", "changed", [("equal", "商談"), ("insert", "会"), ("equal", "を実施")])
    assert marked == ("rich", ((("char_equal", None, ()), "商談"), (("char_insert", None, ()), "会"),
                               (("char_equal", None, ()), "を実施")), (("data_wrap", "changed", ()),))
    plain = C.cell("商談会", "data_wrap", "changed", [("equal", ""), ("insert", "商談会")])
    assert plain == ("string", "商談会", (("data_wrap", "changed", ()), ("data_wrap", "changed", ())))


def test_format_keys_are_formats_cache_keys_one_object_each():
    assert C.format_key("data_number", "changed", num_format="#,##0") == ("data_number", "changed", (("num_format", "#,##0"),))
    assert C.format_key("data_text", None) is C.format_key("data_text")


def test_an_edited_row_fills_both_sides_of_a_changed_pair_and_marks_the_sentence(small):
    edited = C.chunk_rows(small, "initiatives", 0, 1)[0]
    assert [c[1] for c in cells(edited)[:7]] == ["->", "修正", "P1", "実績", "実績", "施策A", "施策A"]
    old_text, new_text = cells(edited)[7], cells(edited)[8]
    assert old_text[0] == new_text[0] == "rich" and old_text[2] == new_text[2] == (("data_wrap", "changed", ()),)
    assert [t for _, t in new_text[1]] == [LONG[:-3], "会", "を実施"]
    assert [k[0] for k, _ in new_text[1]] == ["char_equal", "char_insert", "char_equal"]
    assert [k[0] for k, _ in old_text[1]] == ["char_equal", "char_equal"]   # nothing deleted: old reads as it was
    assert edited.height == 51.25   # the sentence takes 3 lines of its 34-wide column


def test_a_carried_row_fills_only_its_section_and_an_added_row_everything(small):
    carried, added, removed = C.chunk_rows(small, "initiatives", 1, 4)
    assert [c[2][-1][1] for c in cells(carried)] == [None, None, None, "changed", "changed"] + [None] * 9
    assert {c[2][-1][1] for c in cells(added)} == {"added"} and {c[2][-1][1] for c in cells(removed)} == {"removed"}
    assert [c[0] for c in cells(added)[3:5]] == ["blank", "string"]   # no old 区分, new 課題
    assert (carried.height, added.height) == (35.5, 35.5)   # the source wraps in its 17-wide column


def test_revisions_are_numbers_with_as_many_decimals_as_the_value(small):
    row = C.chunk_rows(small, "revisions", 0, 1)[0]
    assert cells(row)[5:8] == [("number", 150.0, (("data_number", "changed", (("num_format", "#,##0"),)),)),
                              ("number", 149.5, (("data_number", "changed", (("num_format", "#,##0.0"),)),)),
                              ("number", -0.5, (("delta", None, (("num_format", "+#,##0.0;-#,##0.0;0"),)),))]


def test_rows_alike_share_one_layout_object(small):
    carried, added, removed = C.chunk_rows(small, "initiatives", 1, 4)
    again = C.chunk_rows(small, "initiatives", 1, 2)[0]
    assert again.layout is carried.layout and again.values == carried.values
    assert added.layout is not removed.layout
    assert cells(added)[1][2][0] is cells(added)[4][2][0] is C.format_key("data_text", "added")


def test_the_plan_chunks_each_kind_in_sheet_order_and_the_parts_share_it(small):
    assert C.chunk_plan(small) == [("revisions", 0, 1), ("initiatives", 0, 4)]
    plan = C.chunk_plan(small, 3)
    assert plan == [("revisions", 0, 1), ("initiatives", 0, 3), ("initiatives", 3, 4)]
    whole = [C.chunk_rows(small, *part) for part in plan]
    assert list(C.prepared_chunks(small, plan)) == whole
    assert list(C.prepared_chunks(small, plan, [0, 1, 0], 0)) == [whole[0], whole[2]]
    assert list(C.prepared_chunks(small, plan, [0, 1, 0], 1)) == [whole[1]]
    assert list(C.prepared_chunks(small, plan, [0, 1, 0], -1)) == []
    assert C.chunk_rows(small, "initiatives", 0, 4) == whole[1] + whole[2]
    assert C.header_height("initiatives") == 35.5   # 「プロジェクトID」 wraps in its 14-wide column
