"""The page planner (pipeline/xlsx/pages.py) on tiny inputs: heights in points, pages of 100."""
from __future__ import annotations

import pytest

from pipeline.xlsx.pages import Line, Plan, column_pixels, groups, page_capacity, paginate, print_scale


def plan(*lines: Line, capacity: float = 100) -> Plan:
    return paginate(list(lines), capacity)


def test_rows_that_fit_stay_on_one_page():
    result = plan(Line(30), Line(30), Line(40))
    assert result.starts == () and result.heights == (30, 30, 40) and result.resumed == frozenset()
    assert result.pages(3) == [range(0, 3)]


def test_a_row_that_does_not_fit_starts_the_next_page():
    result = plan(Line(60), Line(30), Line(30), Line(90), Line(20))
    assert result.starts == (2, 3, 4)
    assert result.pages(5) == [range(0, 2), range(2, 3), range(3, 4), range(4, 5)]


def test_keep_lines_go_with_the_next_line():
    assert groups([Line(1, keep=True), Line(1), Line(1, keep=True), Line(1, keep=True), Line(1), Line(1)]) \
        == [[0, 1], [2, 3, 4], [5]]
    # a heading (keep) that would be the last line of page 1 moves to page 2 with its item
    result = plan(Line(80), Line(10, keep=True), Line(20))
    assert result.starts == (1,)


def test_a_continued_section_gets_its_heading_again():
    # items of a section (resume = height of the heading repeated on a new page)
    result = plan(Line(20, keep=True), *[Line(30, resume=20)] * 4)
    # page 1: heading + 2 items (80); page 2: repeated heading (20) + items 3 and 4 (60)
    assert result.starts == (3,) and result.resumed == frozenset({3})
    # a line starting a section itself (resume 0) gets nothing repeated
    assert plan(Line(90), Line(20, keep=True), Line(30)).resumed == frozenset()


def test_a_chart_row_shrinks_to_fill_the_rest_of_a_page():
    # 40 used; heading 10 + chart 70 (may shrink to 45) → the chart shrinks to 50
    result = plan(Line(40), Line(10, keep=True), Line(70, min_height=45), Line(20))
    assert result.starts == (3,)
    assert result.heights == (40, 10, 50, 20)
    # not below its minimum: then it goes to the next page at full height
    result = plan(Line(60), Line(10, keep=True), Line(70, min_height=45))
    assert result.starts == (1,) and result.heights == (60, 10, 70)


def test_a_group_taller_than_a_page_is_split_but_not_after_a_heading():
    # one keep chain of 5 lines of 30: 150 > 100
    lines = [Line(30, keep=True)] * 4 + [Line(30)]
    result = plan(*lines)
    # lines 0–2 would fill page 1, but line 2 is a keep line: it moves to page 2 with line 3
    assert result.starts == (2,)
    assert result.pages(5) == [range(0, 2), range(2, 5)]
    # a line taller than a page is placed alone (the client breaks it)
    assert plan(Line(10), Line(150), Line(10)).starts == (1, 2)


def test_an_empty_page_takes_whatever_comes():
    result = plan(Line(120), Line(10))
    assert result.starts == (1,) and result.heights == (120, 10)


def test_print_scale_fits_the_columns_one_a4_landscape_page_wide():
    # A4 landscape 841.89 pt less 0.4" + 0.4" margins = 784.29 pt, 2 % slack → 768.6 pt
    assert column_pixels(10) == 75 and column_pixels(0.5) == 6
    assert print_scale([150]) == 97                   # 1055 px = 791.25 pt → 97.1 %
    assert print_scale([160]) == 91                   # 1125 px = 843.75 pt → 91.1 %
    assert print_scale([48] + [16] * 7) == 88         # a project sheet of 7 years: 1160 px = 870 pt → 88.3 %
    assert print_scale([10]) == 100                   # never larger than life


def test_page_capacity_at_a_scale():
    # A4 landscape 595.28 pt less 0.55" + 0.55" = 516.08 pt, 3 % slack → 500.6 pt at 100 %
    assert page_capacity(100) == pytest.approx(500.6, abs=0.1)
    assert page_capacity(50, 60) == pytest.approx(1001.2 - 60, abs=0.2)
