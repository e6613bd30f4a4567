"""schemas/limits.py and schemas/reference/limits.csv: limits as data, shown and worded in Japanese."""
from __future__ import annotations

import pytest

from schemas.limits import read_limits

LIMITS = read_limits()


def test_the_limits_of_the_issue():
    assert {name: LIMITS.by_name[name].value for name in ("file_bytes", "xlsx_part_bytes", "rows", "columns",
                                                            "cell_chars", "message_lines")} == {
        "file_bytes": 20_000_000, "xlsx_part_bytes": 20_000_000, "rows": 10_000, "columns": 200,
        "cell_chars": 32_767, "message_lines": 50}


@pytest.mark.parametrize("name, number, shown", [
    ("file_bytes", 50_000_000, "50 MB"), ("file_bytes", 50_000_001, "50,000,001 バイト（50.0 MB）"),
    ("rows", 10_001, "10,001 行"), ("xlsx_ratio", 250.5, "250.5 倍"), ("lock_wait_seconds", 60, "60 秒"),
])
def test_show(name, number, shown):
    assert LIMITS.by_name[name].show(number) == shown


def test_every_limit_that_stops_a_run_has_a_message_and_a_unit():
    for limit in LIMITS.by_name.values():
        assert limit.unit and limit.description
        if limit.name not in ("xlsx_ratio_from_bytes", "message_lines", "book_scale"):
            assert "{found}" in limit.template or "{path}" in limit.template, limit.name


def test_replace_changes_values_only():
    small = LIMITS.replace(rows=3)
    assert small.rows.value == 3 and small.rows.template == LIMITS.rows.template and LIMITS.rows.value == 10_000
    assert small.rows.message("4 行目") == "行が多すぎます（4 行目。上限 3 行）"


def test_books_are_read_with_the_growing_limits_scaled():
    books = LIMITS.replace(book_scale=3).for_books()
    for name in ("file_bytes", "rows", "cells", "text_chars", "xlsx_part_bytes", "xlsx_total_bytes", "xml_elements"):
        assert books.by_name[name].value == 3 * LIMITS.by_name[name].value, name
    for name in ("columns", "cell_chars", "xlsx_entries", "xlsx_ratio", "lock_wait_seconds"):
        assert books.by_name[name].value == LIMITS.by_name[name].value, name
    assert books.rows.message("30,001 行目") == "行が多すぎます（30,001 行目。上限 30,000 行）"
    assert LIMITS.book_scale.value == 20
