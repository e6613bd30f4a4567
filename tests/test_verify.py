"""verify (pure): cells compared by value, input files against the SHA-256 on 出典, the lines."""
from __future__ import annotations

import math

import pandas as pd

from pipeline.verify import (
    CellDifference, Check, compare_sheets, difference_line, input_mismatches, outcome, report_lines, value_text,
)

NaN = math.nan


def cells(rows):
    """Raw cells as load.xlsx_sheets gives them: Excel row numbers as index, blanks NaN."""
    return pd.DataFrame(rows, index=range(1, len(rows) + 1), dtype=object)


def test_cells_are_compared_by_value_row_by_row_left_to_right():
    expected = {"P1": cells([["指標", 5676], [NaN, 0.605]]), "一覧": cells([["x"]]), "出典": cells([["y"]])}
    found = {"一覧": cells([["x"], [NaN]]), "P1": cells([["指標", 5676.0, NaN], [NaN, 0.6, "メモ"]]),
             "メモ": cells([["z"]])}
    differences, missing, extra = compare_sheets(expected, found)
    assert [difference_line(d) for d in differences] == [
        "P1!B2: 期待「0.605」 実際「0.6」", "P1!C2: 期待（空） 実際「メモ」"]
    assert (missing, extra) == (("出典",), ("メモ",))


def test_a_number_typed_as_text_differs_and_an_empty_text_is_an_empty_cell():
    differences, _, _ = compare_sheets({"S": cells([[5676, NaN, "a\nb"]])}, {"S": cells([["5676", "", "a\nb"]])})
    assert [difference_line(d) for d in differences] == ["S!A1: 期待「5,676」 実際「5676」"]


def test_values_as_the_lines_show_them():
    assert [value_text(v) for v in (9999, 6190.833333333333, 0.605, "", NaN, "・一行目\n-二行目")] == [
        "「9,999」", "「6190.833333333333」", "「0.605」", "（空）", "（空）", "「・一行目⏎-二行目」"]


def test_input_files_changed_gone_and_new():
    recorded = [("master/kpis.csv", "a" * 64), ("submissions/a.csv", "b" * 64), ("submissions/b.csv", "c" * 64)]
    present = {"master/kpis.csv": "a" * 64, "submissions/a.csv": "d" * 64, "submissions/new.csv": "e" * 64}
    assert input_mismatches(recorded, present) == (
        "submissions/a.csv: SHA-256 が出典と違います（出典 bbbbbbbbbbbb… / 入力 dddddddddddd…）",
        "submissions/b.csv: 出典にある入力ファイルがありません",
        "submissions/new.csv: 出典にない入力ファイルです")
    assert input_mismatches(recorded[:1], {"master/kpis.csv": "a" * 64}) == ()


def test_report_lines_name_every_finding():
    check = Check("book.xlsx", "data", ("一覧", "P1", "出典"), (CellDifference("P1", "E49", 5676, 9999),),
                  ("KPIデータ",), ("メモ",), (), ("この推進管理表はパイプライン 0.0.9 で作られました（いまは 0.1.0）。",))
    assert not check.ok
    assert report_lines(check) == [
        "検査: book.xlsx",
        "結果: 不一致: シートの過不足 2 件、データのシートから作り直した値と違うセル 1 個",
        "注意: この推進管理表はパイプライン 0.0.9 で作られました（いまは 0.1.0）。",
        "  シート「KPIデータ」がありません",
        "  シート「メモ」は推進管理表にないシートです",
        "  P1!E49: 期待「5,676」 実際「9,999」",
    ]
    inputs = Check("book.xlsx", "data", ("一覧",), inputs=("submissions/a.csv: 出典にない入力ファイルです",))
    assert report_lines(inputs)[1:] == ["結果: 不一致: 出典と違う入力ファイル 1 件",
                                        "  入力: submissions/a.csv: 出典にない入力ファイルです"]
    assert outcome(Check("b.xlsx", "inputs", ("一覧", "P1"))) == "一致（2 シートを入力ファイルから作り直して比べました）"
