"""pipeline/errors.py: escaped lines, capped floods, OS errors in Japanese."""
from __future__ import annotations

import errno

import pytest

from pipeline.errors import Problem, capped, escape, os_problem, os_reason


@pytest.mark.parametrize("text, shown", [
    ("a\nb", "a\\nb"), ("\x1b[31m赤", "\\x1b[31m赤"), ("tab\there", "tab\\there"), ("\r", "\\r"),
    ("\x00\x7f\x85", "\\x00\\x7f\\x85"), ("右\u202e左", "右\\u202e左"), ("行\u2028区切り", "行\\u2028区切り"),
    ("〜・（）ＰＲ", "〜・（）ＰＲ"),
])
def test_escape(text, shown):
    assert escape(text) == shown


def test_every_part_of_a_line_is_escaped():
    problem = Problem("submissions/a\nb.csv", "シ\x1bト", 3, "列\r", "「x\x07」は使えません", "warning")
    assert problem.line() == "submissions/a\\nb.csv:シ\\x1bト:3: 警告: 列\\r: 「x\\x07」は使えません"
    assert "\n" not in problem.line()


def test_capped_keeps_the_first_lines_of_each_file_column_and_level():
    problems = ([Problem("a.csv", "", row, "区分", "誤り") for row in range(2, 6)]
                + [Problem("a.csv", "", row, "区分", "注意", "warning") for row in range(2, 4)]
                + [Problem("b.csv", "", 2, "区分", "誤り")])
    assert capped(problems, 2) == [
        "a.csv:2: 区分: 誤り", "a.csv:3: 区分: 誤り",
        "a.csv: 区分: ほか 2 件のエラー（同じファイル・同じ列。最初の 2 件だけ表示しました）",
        "a.csv:2: 警告: 区分: 注意", "a.csv:3: 警告: 区分: 注意", "b.csv:2: 区分: 誤り"]
    assert capped(problems, 50) == [p.line() for p in problems]


def test_os_errors_in_japanese_with_the_path():
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "ディスクの空きがありません"
    assert os_reason(OSError(errno.EEXIST, "File exists")) == "同じ名前のファイルまたはフォルダがすでにあります"
    assert os_reason(OSError(4242, "?")) == "OS のエラー（番号 4242）"
    assert os_problem("out/2019/kpi.csv", OSError(errno.EACCES, "Permission denied"), "書き込めません").line() == (
        "out/2019/kpi.csv: 書き込めません（アクセスが許可されていません）")


def test_every_errno_named_in_the_table_exists():
    import csv

    from schemas import REFERENCE_DIR

    with open(REFERENCE_DIR / "oserrors.csv", encoding="utf-8") as f:
        names = [row["errno"] for row in csv.DictReader(f)]
    assert names and all(hasattr(errno, name) for name in names)
