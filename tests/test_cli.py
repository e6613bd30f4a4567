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


def outputs_bytes(folder: Path) -> dict:
    """The bytes of the 推進管理表 and the CSVs of outputs/<FY> (the 検証結果 folder aside)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_success_writes_the_three_outputs(tree, tmp_path, capsys):
    inputs = tree(GOOD)
    code, out, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out" / "2019").iterdir()) == [
        "initiatives.csv", "kpi.csv", "推進管理表_2019.xlsx", "検証結果"]
    assert [p.name for p in (tmp_path / "out" / "2019" / "検証結果").iterdir()] == ["提出状況.xlsx"]
    assert "submissions/a.csv 1 / 1 / 0 取組" in " ".join(out.split())
    assert err == ""


def test_input_errors_exit_1_and_write_only_the_feedback(tree, tmp_path, capsys):
    inputs = tree({"submissions/稚内市.csv": H + "P1,実績,施策A,x,,,,,\n" * 3 + "P1,予定,施策A,x,,,,,\n"})
    code, out, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 1
    assert err.splitlines() == [
        "submissions/稚内市.csv:5: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）",
        f"エラー 1 件、警告 0 件。{tmp_path / 'out' / '2019'} は変更していません。",
    ]
    assert "submissions/稚内市.csv 4 / 3 / 1 取組" in " ".join(out.split())
    assert [p.name for p in (tmp_path / "out" / "2019").iterdir()] == ["検証結果"]
    assert sorted(p.name for p in (tmp_path / "out" / "2019" / "検証結果").iterdir()) == [
        "提出状況.xlsx", "稚内市_検証結果.xlsx"]


def test_input_errors_leave_earlier_outputs_byte_identical(tree, tmp_path, capsys):
    inputs = tree(GOOD)
    assert sheet(capsys, inputs, tmp_path / "out")[0] == 0
    before = outputs_bytes(tmp_path / "out" / "2019")
    (inputs / "2019" / "submissions" / "a.csv").write_text(H + "P1,予定,施策A,x,,,,,\n", encoding="utf-8")
    assert sheet(capsys, inputs, tmp_path / "out")[0] == 1
    assert outputs_bytes(tmp_path / "out" / "2019") == before
    assert (tmp_path / "out" / "2019" / "検証結果" / "a_検証結果.xlsx").is_file()


def test_failure_while_writing_leaves_earlier_outputs(tree, tmp_path, capsys, monkeypatch):
    inputs = tree(GOOD)
    assert sheet(capsys, inputs, tmp_path / "out")[0] == 0
    before = outputs_bytes(tmp_path / "out" / "2019")
    (inputs / "2019" / "submissions" / "a.csv").write_text(H + "P1,実績,施策A,別の文,,,,,\n", encoding="utf-8")

    def broken(tables, path, **kwargs):
        path.write_bytes(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr("pipeline.xlsx.book.write_workbook", broken)
    code, out, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 3
    assert err.splitlines()[-1] == ("内部エラーが発生しました。出力は変更していません。開発担当に連絡してください"
                                    "（連絡用の情報: RuntimeError: disk full）")
    assert outputs_bytes(tmp_path / "out" / "2019") == before


def test_corrupt_xlsx_exit_2_one_line(tree, tmp_path, capsys):
    inputs = tree({**GOOD, "submissions/壊れた.xlsx": os.urandom(300)})
    code, out, err = sheet(capsys, inputs, tmp_path / "out")
    assert code == 2
    assert err.splitlines()[0] == (
        "submissions/壊れた.xlsx: Excel ファイル（.xlsx）として読めません（壊れているか、別の形式のファイルです）")
    assert "Traceback" not in err
    assert [p.name for p in (tmp_path / "out" / "2019").iterdir()] == ["検証結果"]
    assert sorted(p.name for p in (tmp_path / "out" / "2019" / "検証結果").iterdir()) == [
        "壊れた_検証結果.xlsx", "提出状況.xlsx"]


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


# --- diff -------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["表示シートの検査（データのシートから作り直してすべてのセルを比較。pipeline verify と同じ）:",
           "  旧: 一致（3 シートをデータのシートから作り直して比べました）",
           "  新: 一致（3 シートをデータのシートから作り直して比べました）"]
LEGEND_LINE = ("凡例: +++ 追加、--- 削除、-> 変更（修正・移動・繰越・実施）、... 掲載終了（年度の進行で外れた前年度の実績。"
               "削除ではない）。[-…-] は削除された文字、{+…+} は追加された文字、⏎ は改行。")
REVISION_LINE = ("  -> DOHOKU-01-K1 北海道における訪日ロシア人（新千歳空港等経由） H30（2018）: 6,516 → 6,561 人"
                 "（差 +45）  出典: submissions/本庁.xlsx:KPI実績:7")


def run_diff(capsys, *args):
    code = cli.main(["diff", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_of_the_sample_years_reports_the_revised_actual_first(tmp_path, capsys):
    for fy in (2019, 2020):
        assert sheet(capsys, ROOT / "inputs", tmp_path, "--fy", str(fy))[0] == 0
    code, out, err = run_diff(capsys, "2019", "2020", "--outputs", tmp_path)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == (f"推進管理表の差分: {tmp_path}/2019/推進管理表_2019.xlsx（令和元年度（2019年度）） → "
                        f"{tmp_path}/2020/推進管理表_2020.xlsx（令和２年度（2020年度））")
    assert lines[1:4] == CHECKED
    assert lines[4] == "件数:"
    assert " ".join(lines[5].split()) == "過去の実績値の修正 1 件"
    assert " ".join(lines[6].split()) == "新しい実績値 2 件"
    details = lines.index("■ 過去の実績値の修正（1 件）")
    assert lines[details + 1] == REVISION_LINE
    assert details < lines.index("■ 新しい実績値（2 件）") < lines.index("■ 取組の変更（26 件）") < \
        lines.index("■ 取組の掲載終了（年度の進行で外れた前年度の実績）（9 件）")
    assert ("  +++ DOHOKU-01-K2 北海道からロシアへの道産食品の輸出額 R元（2019）: 1,208 百万円（進捗率 134.2%）"
            "  出典: submissions/本庁.xlsx:KPI実績:13") in lines
    counts = {" ".join(line.split()[:-2]): int(line.split()[-2]) for line in lines[5:18]}
    assert counts == {
        "過去の実績値の修正": 1, "新しい実績値": 2, "KPI定義の変更": 0, "プロジェクトの変更": 0, "施策の変更": 0,
        "取組の追加": 9, "取組の削除": 1, "取組の修正": 1, "取組の移動（別の見出し・プロジェクトへ）": 0,
        "取組の繰越（次年度→今年度、うち内容の修正 1 件）": 8, "取組の実施（今年度→実績、うち内容の修正 1 件）": 7,
        "取組の掲載終了（前年度の実績）": 9, "変更のない取組": 8}
    # the one real deletion stands apart from the nine 実績 of 2019 that rolled off
    assert [line for line in lines if line.startswith("  --- DOHOKU-01")] == [
        "  --- DOHOKU-01 課題「交流環境の整備」: 食品以外の品目拡大  出典: submissions/上川総合振興局.xlsx:課題:3"]
    rolled = lines.index("■ 取組の掲載終了（年度の進行で外れた前年度の実績）（9 件）")
    assert lines[rolled + 1] == ("  ... DOHOKU-01 実績「サハリン州等との友好交流の推進」: 経済交流促進会議、友好都市記念式典、"
                                 "青少年交流事業等及び企業研修生受入事業を実施")
    assert all(line.startswith("  ... DOHOKU-01 実績「") for line in lines[rolled + 1:rolled + 10])
    assert ("  -> DOHOKU-01 課題「交流環境の整備」: 稚内サハリン間の定期航路は、H30年度はロシア側の負担により運航したが、"
            "この形態は１年限りとなり、[-今-]{+令和元+}年度{+以降+}の運航は休止") in lines
    assert lines[-1] == f"差分ファイル: {tmp_path}/2020/差分_2019_2020.xlsx"
    import openpyxl
    book = openpyxl.load_workbook(tmp_path / "2020" / "差分_2019_2020.xlsx")
    assert book.sheetnames == ["概要", "実績値の修正", "新しい実績値", "取組", "掲載終了"]
    ws = book["実績値の修正"]
    assert [c.value for c in ws[2]] == ["->", "DOHOKU-01-K1", "北海道における訪日ロシア人（新千歳空港等経由）", "人",
                                        "H30（2018）", 6516, 6561, 45, "submissions/本庁.xlsx:KPI実績:7",
                                        "submissions/本庁.xlsx:KPI実績:7"]


def test_diff_of_a_workbook_and_its_rebuild_is_empty_and_exits_0(tree, tmp_path, capsys):
    inputs = tree(GOOD)
    assert sheet(capsys, inputs, tmp_path / "a")[0] == 0
    assert sheet(capsys, inputs, tmp_path / "b")[0] == 0
    old, new = tmp_path / "a" / "2019" / "推進管理表_2019.xlsx", tmp_path / "b" / "2019" / "推進管理表_2019.xlsx"
    code, out, err = run_diff(capsys, old, new, "--out", tmp_path / "d.xlsx")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"推進管理表の差分: {old}（令和元年度（2019年度）） → {new}（令和元年度（2019年度））",
        *CHECKED,
        "差分はありません。",
        f"差分ファイル: {tmp_path / 'd.xlsx'}"]
    assert (tmp_path / "d.xlsx").is_file()


def test_diff_errors_exit_2_with_one_line(tmp_path, capsys):
    code, out, err = run_diff(capsys, tmp_path / "none.xlsx", tmp_path / "none2.xlsx")
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'none.xlsx'}: ファイルがありません\n"
    code, out, err = run_diff(capsys, "2019", "2020", "--outputs", tmp_path)
    assert (code, err) == (2, f"{tmp_path}/2019/推進管理表_2019.xlsx: ファイルがありません\n")
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04broken")
    code, out, err = run_diff(capsys, tmp_path / "x.xlsx", tmp_path / "x.xlsx")
    assert code == 2 and err.startswith(f"{tmp_path / 'x.xlsx'}: Excel ファイル（.xlsx）として読めません")
    assert "Traceback" not in err
    code, out, err = run_diff(capsys, "2019")
    assert code == 2 and err.startswith("使い方の誤り: ")


def test_diff_of_small_built_workbooks_finds_each_kind_of_change(tree, tmp_path, capsys):
    from tests.builders import KPIS, MEASURES, PROJECTS

    old = {"submissions/a.csv": H + "P1,次年度,施策A,交流会を開催,,宗谷,市,,\nP1,課題,,航路の休止が続いている,,,,,\n"
                                    "P1,実績,施策B,物産展を開催し商談を実施,,,,,\n",
           "submissions/k.csv": K + "K1,H27,150\nK1,H28,160\n"}
    new = {"master/projects.csv": PROJECTS.replace("交流を進めます。", "交流を一層進めます。"),
           "master/measures.csv": MEASURES + "P1,施策C,3,\n",
           "master/kpis.csv": KPIS.replace("R2,200", "R2,220"),
           "submissions/a.csv": H + "P1,今年度,施策A,交流会を開催,,宗谷,市,,\nP1,課題,,航路の休止が続いている状況,,,,,\n"
                                    "P1,実績,施策B,物産展を開催し商談会を実施,,,,,\n",
           "submissions/k.csv": K + "K1,H27,150\nK1,H28,165\nK1,R1,180\n"}
    tree(old, 2019)
    inputs = tree(new, 2020)
    for fy in ("2019", "2020"):
        assert sheet(capsys, inputs, tmp_path / "out", "--fy", fy)[0] == 0
    code, out, err = run_diff(capsys, "2019", "2020", "--outputs", tmp_path / "out")
    assert (code, err) == (1, "")
    details = out.splitlines()[19:]
    assert details == [
        "■ 過去の実績値の修正（1 件）",
        "  -> K1 来訪者数 H28（2016）: 160 → 165 人（差 +5）  出典: submissions/k.csv:3",
        "",
        "■ 新しい実績値（1 件）",
        "  +++ K1 来訪者数 R元（2019）: 180 人（進捗率 81.8%）  出典: submissions/k.csv:4",
        "",
        "■ KPI定義の変更（1 件）",
        "  -> K1 来訪者数 目標値: 200 → 220",
        "",
        "■ プロジェクトの変更（1 件）",
        "  -> P1 交流プロジェクト 概要・目的: 交流を進めます。 → 交流を一層進めます。",
        "",
        "■ 施策の変更（1 件）",
        "  +++ P1 施策C （施策）",
        "",
        "■ 取組の変更（3 件）",
        "  -> P1 実績「施策B」: 物産展を開催し商談{+会+}を実施",
        "  -> P1 課題: 航路の休止が続いている{+状況+}",
        "  -> P1 次年度→今年度「施策A」（繰越）: 交流会を開催",
        "",
        LEGEND_LINE,
        f"差分ファイル: {tmp_path / 'out' / '2020' / '差分_2019_2020.xlsx'}",
    ]


def test_a_measure_renamed_with_its_old_name_as_alias_shows_only_the_rename(tmp_path, capsys):
    """The same year built twice, the second time with 施策A renamed in the master (old name
    kept as 別名); the submission still writes 施策A."""
    from tests.builders import MEASURES, write_tree

    items = {"submissions/a.csv": H + "P1,実績,施策A,交流会を開催,,宗谷,市,,\nP1,今年度,施策A,物産展を開催,,,,,\n"
                                      "P1,次年度,施策A,研修生の受入,,,,,\n"}
    renamed = MEASURES.replace("P1,施策A,1,施策エー", "P1,施策A（拡充）,1,施策エー;施策A")
    for name, files in (("a", items), ("b", {**items, "master/measures.csv": renamed})):
        assert sheet(capsys, write_tree(tmp_path / name, files), tmp_path / name / "out")[0] == 0
    old, new = (tmp_path / name / "out" / "2019" / "推進管理表_2019.xlsx" for name in "ab")
    code, out, err = run_diff(capsys, old, new, "--out", tmp_path / "d.xlsx")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert [" ".join(line.split()) for line in lines[5:18] if not line.endswith(" 0 件")] == [
        "施策の変更 1 件", "変更のない取組 3 件"]
    assert lines[18:] == [
        "",
        "■ 施策の変更（1 件）",
        "  -> P1 施策A（拡充） 施策名: 施策A → 施策A（拡充）",
        "",
        LEGEND_LINE,
        f"差分ファイル: {tmp_path / 'd.xlsx'}",
    ]


def test_python_m_pipeline_flushes_everything_and_keeps_the_exit_code(tree, tmp_path):
    """__main__ ends with os._exit (no interpreter teardown): nothing printed or written may be lost."""
    inputs = tree(GOOD)
    done = subprocess.run([sys.executable, "-m", "pipeline", "sheet", "--inputs", str(inputs),
                           "--outputs", str(tmp_path / "out")], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-4:] == [
        "2019年度: 警告 0 件。出力しました:",
        f"  {tmp_path / 'out' / '2019' / 'initiatives.csv'}",
        f"  {tmp_path / 'out' / '2019' / 'kpi.csv'}",
        f"  {tmp_path / 'out' / '2019' / '推進管理表_2019.xlsx'}",
    ]
    book = tmp_path / "out" / "2019" / "推進管理表_2019.xlsx"
    import openpyxl
    assert openpyxl.load_workbook(book).sheetnames[0] == "一覧"
    differ = subprocess.run([sys.executable, "-m", "pipeline", "diff", str(book), str(book),
                             "--out", str(tmp_path / "d.xlsx")], capture_output=True, text=True)
    assert (differ.returncode, differ.stdout.splitlines()[-1]) == (0, f"差分ファイル: {tmp_path / 'd.xlsx'}")
    missing = subprocess.run([sys.executable, "-m", "pipeline", "diff", "x.xlsx", "y.xlsx"],
                             capture_output=True, text=True, cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (2, "x.xlsx: ファイルがありません\n")
