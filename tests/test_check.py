"""`python -m pipeline check FILE… [--fy] [--inputs] [--report]` (issue 12): a submitter's files
against a year's masters, nothing built; the messages of `sheet`, exit 0 / 1 / 2."""
from __future__ import annotations

import openpyxl

from pipeline import cli
from tests.builders import ROOT
from tests.planted import planted_tree

INPUTS = ROOT / "inputs"


def check(capsys, *args):
    code = cli.main(["check", "--inputs", str(INPUTS), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_good_file_exits_0_and_builds_nothing(capsys, tmp_path):
    path = INPUTS / "2020" / "submissions" / "稚内市.csv"
    code, out, err = check(capsys, path, "--fy", "2020")
    assert (code, err) == (0, "")
    assert f"{path} 9 / 9 / 0 取組" in " ".join(out.split())
    assert "2020年度のマスタで検査しました: エラー 0 件、警告 0 件" in out


def test_the_latest_year_by_default_and_warnings_still_exit_0(capsys):
    path = INPUTS / "2020" / "submissions" / "旭川市.xlsx"
    code, _, err = check(capsys, path)
    assert code == 0
    assert err.splitlines()[0].startswith(f"{path}:取組:3: 警告: 見出し: 「ロシア極東との物流の活性化など経済交流の推進」は")


def test_errors_exit_1_with_the_messages_of_sheet_and_a_report(capsys, tmp_path):
    inputs = planted_tree(tmp_path)
    wakkanai = inputs / "2020" / "submissions" / "稚内市.csv"
    report = tmp_path / "返送" / "稚内市_検証結果.xlsx"
    code, out, err = check(capsys, wakkanai, "--fy", "2020", "--report", report)
    assert code == 1
    assert err.splitlines() == [f"{wakkanai}:5: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）"]
    assert f"検証結果: {report}" in out
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == ["指摘一覧", "稚内市"]
    assert wb["稚内市"]["C5"].fill.fgColor.rgb == "FFFFC7CE"
    assert wb["稚内市"]["C5"].comment.text == "【エラー】「予定」は使えません（実績・課題・今年度・次年度のいずれか）"
    assert not (tmp_path / "outputs").exists()


def test_files_are_checked_together(capsys, tmp_path):
    """Two files giving different values for one KPI and year: both rows are named."""
    inputs = planted_tree(tmp_path)
    sub = inputs / "2020" / "submissions"
    code, _, err = check(capsys, sub / "本庁.xlsx", sub / "上川総合振興局_KPI.csv", "--fy", "2020",
                         "--report", tmp_path / "two.xlsx")
    assert code == 1
    assert [line.split(": ")[0] for line in err.splitlines()] == [  # sorted by file, as in `sheet`
        f"{sub / '上川総合振興局_KPI.csv'}:2", f"{sub / '本庁.xlsx'}:KPI実績:8", f"{sub / '本庁.xlsx'}:KPI実績:13"]
    assert openpyxl.load_workbook(tmp_path / "two.xlsx").sheetnames == [
        "指摘一覧", "本庁_取組", "本庁_KPI実績", "上川総合振興局_KPI_上川総合振興局_KPI"]


def test_a_missing_or_unreadable_file_exits_2(capsys, tmp_path):
    code, _, err = check(capsys, tmp_path / "ない.csv")
    assert (code, err.splitlines()[0]) == (2, f"{tmp_path / 'ない.csv'}: ファイルがありません")
    (tmp_path / "古い.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    code, _, err = check(capsys, tmp_path / "古い.xls")
    assert (code, err.splitlines()[0]) == (
        2, f"{tmp_path / '古い.xls'}: .xls 形式は読めません（.xlsx または .csv で保存し直してください）")
