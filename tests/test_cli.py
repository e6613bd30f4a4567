"""The command line: exit codes, messages on stderr, accounting, and all-or-nothing outputs."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cli

H = "プロジェクト,区分,見出し,内容,年度,地域,実施主体,再掲,順序\n"
K = "KPI,年度,実績値\n"
GOOD = {"submissions/a.csv": H + "P1,実績,施策A,交流会を開催,,宗谷,市,,\n", "submissions/k.csv": K + "K1,H27,150\n"}


def sheet(capsys, inputs, outputs, *extra):
    code = cli.main(["sheet", "--inputs", str(inputs), "--outputs", str(outputs), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_success_writes_the_three_outputs(tree, tmp_path, capsys):
    inputs = tree(GOOD)
    code, out, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out" / "2019").iterdir()) == [
        "initiatives.csv", "kpi.csv", "推進管理表_2019.xlsx"]
    assert "submissions/a.csv 1 / 1 / 0 取組" in " ".join(out.split())
    assert err == ""


def test_input_errors_exit_1_and_create_nothing(tree, tmp_path, capsys):
    inputs = tree({"submissions/稚内市.csv": H + "P1,実績,施策A,x,,,,,\n" * 3 + "P1,予定,施策A,x,,,,,\n"})
    code, out, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 1
    assert err.splitlines() == [
        "submissions/稚内市.csv:5: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）",
        f"エラー 1 件、警告 0 件。{tmp_path / 'out' / '2019'} は変更していません。",
    ]
    assert "submissions/稚内市.csv 4 / 3 / 1 取組" in " ".join(out.split())
    assert not (tmp_path / "out").exists()


def test_input_errors_leave_earlier_outputs_byte_identical(tree, tmp_path, capsys):
    inputs = tree(GOOD)
    assert sheet(capsys, inputs, tmp_path / "out")[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out" / "2019").iterdir()}
    (inputs / "2019" / "submissions" / "a.csv").write_text(H + "P1,予定,施策A,x,,,,,\n", encoding="utf-8")
    assert sheet(capsys, inputs, tmp_path / "out")[0] == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "out" / "2019").iterdir()} == before


def test_failure_while_writing_leaves_earlier_outputs(tree, tmp_path, capsys, monkeypatch):
    inputs = tree(GOOD)
    assert sheet(capsys, inputs, tmp_path / "out")[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out" / "2019").iterdir()}
    (inputs / "2019" / "submissions" / "a.csv").write_text(H + "P1,実績,施策A,別の文,,,,,\n", encoding="utf-8")

    def broken(tables, path, **kwargs):
        path.write_bytes(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr("pipeline.workbook.write_workbook", broken)
    code, out, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 3
    assert err.splitlines()[-1].startswith("内部エラーが発生しました（RuntimeError: disk full）。出力は変更していません。")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out" / "2019").iterdir()} == before


def test_corrupt_xlsx_exit_2_one_line(tree, tmp_path, capsys):
    inputs = tree({**GOOD, "submissions/壊れた.xlsx": os.urandom(300)})
    code, out, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 2
    assert err.splitlines()[0] == (
        "submissions/壊れた.xlsx: Excel ファイル（.xlsx）として読めません（壊れているか、別の形式のファイルです）")
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_xls_file_exit_2(tree, tmp_path, capsys):
    inputs = tree({**GOOD, "submissions/古い.xls": b"\xd0\xcf\x11\xe0"})
    code, _, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 2
    assert err.splitlines()[0] == "submissions/古い.xls: .xls 形式は読めません（.xlsx または .csv で保存し直してください）"


def test_default_fy_is_the_latest_folder(tree, tmp_path, capsys):
    tree(GOOD, 2019)
    inputs = tree(GOOD, 2020)
    code, out, _ = sheet(capsys, inputs, tmp_path / "out")
    assert code == 0
    assert (tmp_path / "out" / "2020" / "kpi.csv").exists() and not (tmp_path / "out" / "2019").exists()


def test_missing_fy_is_a_usage_error(tree, tmp_path, capsys):
    inputs = tree(GOOD)
    code, _, err = sheet(capsys, inputs, tmp_path / "out", "--fy", "2021")
    assert code == 2
    assert err.strip() == f"{inputs}/2021 がありません（あるのは: 2019）"


def test_missing_inputs_folder_is_a_usage_error(tmp_path, capsys):
    code, _, err = sheet(capsys, tmp_path / "nowhere", tmp_path / "out")
    assert (code, err.strip()) == (2, f"入力フォルダ {tmp_path / 'nowhere'} がありません")


def test_bad_arguments_exit_2_in_japanese(capsys):
    assert cli.main(["sheet", "--fy", "令和"]) == 2
    assert capsys.readouterr().err.startswith("使い方の誤り: ")


def test_missing_master_is_an_input_error(tree, tmp_path, capsys):
    inputs = tree({**GOOD, "master/kpis.csv": None})
    code, _, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 2
    assert err.splitlines()[0] == "master/kpis.csv: ファイルがありません（マスタは必須です）"


def test_module_entry_point_runs_without_traceback(tree, tmp_path):
    inputs = tree({"submissions/a.csv": H + "P1,予定,施策A,x,,,,,\n"})
    done = subprocess.run([sys.executable, "-m", "pipeline", "sheet", "--inputs", str(inputs),
                           "--outputs", str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "submissions/a.csv:2: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）")


def test_builds_into_other_folders_are_byte_identical(tree, tmp_path, capsys):
    inputs = tree(GOOD)
    assert sheet(capsys, inputs, tmp_path / "one")[0] == 0
    assert sheet(capsys, inputs, tmp_path / "two" / "deeper")[0] == 0
    for name in ("initiatives.csv", "kpi.csv", "推進管理表_2019.xlsx"):
        assert (tmp_path / "one" / "2019" / name).read_bytes() == (tmp_path / "two" / "deeper" / "2019" / name).read_bytes()
    assert not any(p.name.startswith(".tmp-") for p in (tmp_path / "one" / "2019").iterdir())
