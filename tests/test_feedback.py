"""検証結果 and 提出状況 (issue 12): on the 2020 sample with planted errors (tests/planted.py)
each 検証結果 marks exactly the problem cells (fills and comments read back with openpyxl),
holds only its own file, and 提出状況 lists the missing submitter first."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline import cli
from tests.builders import ROOT
from tests.planted import planted_tree

RED, YELLOW = "FFFFC7CE", "FFFFEB9C"
ALIAS = ("「ロシア極東との物流の活性化など経済交流の推進」は施策「ロシア極東との人流・物流の活性化など経済交流の推進」"
         "の別名です。「ロシア極東との人流・物流の活性化など経済交流の推進」として扱います")
NUMBER = "「約9,000」は数値として読めません（例: 5949、5,949、5,949人、△12、12.5）"
CONFLICT_HONCHO = ("KPI「DOHOKU-01-K2」のR元の実績値が2か所で違います: 「1300」（submissions/上川総合振興局_KPI.csv:2）"
                   "と「1208」（この行）")
CONFLICT_KAMIKAWA = ("KPI「DOHOKU-01-K2」のR元の実績値が2か所で違います: 「1300」（この行）と「1208」"
                     "（submissions/本庁.xlsx:KPI実績:13）")
SECTION = "「予定」は使えません（実績・課題・今年度・次年度のいずれか）"
PROJECT = "「DOHOKU-99」というプロジェクトはありません（master/projects.csv のプロジェクトIDまたはプロジェクト名）"

# file → {(sheet, cell): (fill, comment)}: every marked cell of its 検証結果, nothing else
MARKS = {
    "稚内市_検証結果.xlsx": {("稚内市", "C5"): (RED, f"【エラー】{SECTION}")},
    "旭川市_検証結果.xlsx": {("取組", "A2"): (RED, f"【エラー】{PROJECT}"), ("取組", "C3"): (YELLOW, f"【警告】{ALIAS}")},
    "本庁_検証結果.xlsx": {("KPI実績", "C8"): (RED, f"【エラー】{NUMBER}"),
                        ("KPI実績", "C13"): (RED, f"【エラー】{CONFLICT_HONCHO}")},
    "上川総合振興局_KPI_検証結果.xlsx": {("上川総合振興局_KPI", "C2"): (RED, f"【エラー】{CONFLICT_KAMIKAWA}")},
    "宗谷総合振興局_検証結果.xlsx": {("提出様式", "D7"): (YELLOW, f"【警告】{ALIAS}")},
    "留萌振興局_検証結果.xlsx": {("取組一覧", "D5"): (YELLOW, f"【警告】{ALIAS}")},
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """(exit code, outputs/2020) of `sheet` on the planted tree."""
    root = tmp_path_factory.mktemp("planted")
    inputs = planted_tree(root)
    code = cli.main(["sheet", "--fy", "2020", "--inputs", str(inputs), "--outputs", str(root / "out")])
    return code, root / "out" / "2020"


def marks(path: Path) -> dict:
    """{(sheet, cell): (fill colour, comment)} of every filled cell of the copied sheets."""
    found = {}
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows():
            for cell in row:
                fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
                if fill in (RED, YELLOW) or cell.comment:
                    found[(ws.title, cell.coordinate)] = (fill, cell.comment.text if cell.comment else None)
    return found


def test_input_errors_exit_1_and_write_only_the_feedback(planted):
    code, out = planted
    assert code == 1
    assert [p.name for p in out.iterdir()] == ["検証結果"]
    assert sorted(p.name for p in (out / "検証結果").iterdir()) == sorted([*MARKS, "提出状況.xlsx"])


@pytest.mark.parametrize("name", sorted(MARKS))
def test_each_feedback_marks_exactly_the_problem_cells(planted, name):
    _, out = planted
    assert marks(out / "検証結果" / name) == MARKS[name]


def issue_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["指摘一覧"]
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=6) if row[0].value is not None]


def test_the_issue_list(planted):
    _, out = planted
    assert issue_rows(out / "検証結果" / "旭川市_検証結果.xlsx") == [
        (1, "submissions/旭川市.xlsx", "取組", "A2", "プロジェクト", "エラー", PROJECT, "ロシア極東との交流推進プロジェクト"),
        (2, "submissions/旭川市.xlsx", "取組", "C3", "見出し", "警告", ALIAS,
         "ロシア極東との人流・物流の活性化など経済交流の推進"),
    ]
    assert issue_rows(out / "検証結果" / "稚内市_検証結果.xlsx") == [
        (1, "submissions/稚内市.csv", "稚内市", "C5", "区分", "エラー", SECTION, "実績・課題・今年度・次年度のいずれか")]
    assert issue_rows(out / "検証結果" / "本庁_検証結果.xlsx")[0][3:] == (
        "C8", "実績値", "エラー", NUMBER, "例: 5949、5,949、5,949人、△12、12.5")
    ws = openpyxl.load_workbook(out / "検証結果" / "稚内市_検証結果.xlsx")["指摘一覧"]
    assert ws["A1"].value == "提出ファイルの検証結果（令和２年度（2020年度））"
    assert ws["A3"].value == "エラー 1 件、警告 0 件"
    assert ws["D6"].hyperlink.location == "'稚内市'!C5"


def test_a_feedback_holds_only_its_own_file(planted):
    _, out = planted
    wb = openpyxl.load_workbook(out / "検証結果" / "稚内市_検証結果.xlsx")
    assert wb.sheetnames == ["指摘一覧", "稚内市"]
    copy = wb["稚内市"]
    assert copy.max_row == 12 and copy["A3"].value == "プロジェクト" and copy["C5"].value == "予定"
    assert copy["E5"].value == "・青少年交流事業"  # as sent, bullet included
    wb = openpyxl.load_workbook(out / "検証結果" / "本庁_検証結果.xlsx")
    assert wb.sheetnames == ["指摘一覧", "取組", "KPI実績"]  # _記入要領 is not read, so not copied


def status_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["提出状況"]
    rows = []
    for row in ws.iter_rows(min_row=6):
        if row[1].value is None:
            break
        rows.append(tuple(c.value for c in row))
    return rows


def test_submission_status_lists_the_missing_submitter_first(planted):
    _, out = planted
    rows = status_rows(out / "検証結果" / "提出状況.xlsx")
    assert [r[:2] for r in rows] == [
        ("未提出", "猿払村"), ("エラーあり", "稚内市"), ("エラーあり", "旭川市"), ("エラーあり", "上川総合振興局"),
        ("エラーあり", "本庁"), ("警告あり", "宗谷総合振興局"), ("警告あり", "留萌振興局")]
    by_name = {r[1]: r for r in rows}
    assert by_name["猿払村"][2:] == ("市町村", "宗谷", "道北", None, None, None, None, None, None, None)
    assert by_name["本庁"][5:] == ("submissions/本庁.xlsx", 15, 13, 2, 2, 0, "本庁_検証結果.xlsx")
    assert by_name["上川総合振興局"][5:] == (
        "submissions/上川総合振興局.xlsx\nsubmissions/上川総合振興局_KPI.csv", 6, 5, 1, 1, 0,
        "上川総合振興局_KPI_検証結果.xlsx")
    ws = openpyxl.load_workbook(out / "検証結果" / "提出状況.xlsx")["提出状況"]
    assert ws["L7"].hyperlink.target == "稚内市_検証結果.xlsx"


def test_a_later_run_replaces_the_feedback_folder(planted, tmp_path, capsys):
    _, out = planted
    before = (out / "検証結果" / "稚内市_検証結果.xlsx").read_bytes()
    again = tmp_path / "out"
    inputs = planted_tree(tmp_path)
    assert cli.main(["sheet", "--fy", "2020", "--inputs", str(inputs), "--outputs", str(again)]) == 1
    assert (again / "2020" / "検証結果" / "稚内市_検証結果.xlsx").read_bytes() == before  # same inputs, same bytes
    assert cli.main(["sheet", "--fy", "2020", "--inputs", str(ROOT / "inputs"), "--outputs", str(again)]) == 0
    assert sorted(p.name for p in (again / "2020" / "検証結果").iterdir()) == [
        "宗谷総合振興局_検証結果.xlsx", "提出状況.xlsx", "旭川市_検証結果.xlsx", "留萌振興局_検証結果.xlsx"]
    assert not [p for p in (again / "2020").iterdir() if p.name.startswith((".tmp-", ".old-"))]


# --- the pure parts -------------------------------------------------------------------------

@pytest.mark.parametrize("file, name, belongs", [
    ("submissions/稚内市.csv", "稚内市", True), ("submissions/宗谷/稚内市.xlsx", "稚内市", True),
    ("submissions/本庁_KPI.xlsx", "本庁", True), ("submissions/稚内市役所.csv", "稚内市", False),
    ("submissions/上川総合振興局.xlsx", "上川", False), ("submissions/ｓａｍｐｌｅ.csv", "sample", True),
])
def test_a_file_belongs_to_the_submitter_it_is_named_after(file, name, belongs):
    from pipeline.feedback import belongs_to

    assert belongs_to(file, name) is belongs


def test_feedback_names_never_collide():
    from pipeline.feedback import feedback_names

    assert feedback_names(["submissions/稚内市.csv", "submissions/稚内市.xlsx", "submissions/本庁.xlsx",
                           "master/kpis.csv"]) == {
        "submissions/稚内市.csv": "稚内市_csv_検証結果.xlsx", "submissions/稚内市.xlsx": "稚内市_xlsx_検証結果.xlsx",
        "submissions/本庁.xlsx": "本庁_検証結果.xlsx", "master/kpis.csv": "kpis_検証結果.xlsx"}


def test_files_without_a_submitter_and_master_problems_are_listed(tree, tmp_path, capsys):
    inputs = tree({"master/submitters.csv": "提出団体,種類,振興局\n稚内市,市町村,宗谷\n",
                   "submissions/稚内市.csv": "プロジェクト,区分,見出し,内容\nP1,実績,施策A,交流会\n",
                   "submissions/メモ.txt": "x", "master/kpis.csv": "KPI_ID,プロジェクトID,指標名,単位,基準年度,基準値,"
                   "目標年度,目標値\nK1,P9,来訪者数,人,H26,100,R2,200\n"})
    assert cli.main(["sheet", "--inputs", str(inputs), "--outputs", str(tmp_path)]) == 1
    rows = status_rows(tmp_path / "2019" / "検証結果" / "提出状況.xlsx")
    assert [r[:3] + r[5:6] for r in rows] == [
        ("エラーあり", "kpis", "マスタ", "master/kpis.csv"), ("警告あり", "メモ", "（名簿にない）", "submissions/メモ.txt"),
        ("受理", "稚内市", "市町村", "submissions/稚内市.csv")]
