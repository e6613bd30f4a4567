"""verify on real workbooks: untouched, hand-edited displayed sheets, edited data sheets (caught
with --inputs), inputs that are not the recorded ones; the `verify` command; `diff` checks both books."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline import cli
from pipeline.render import versions
from pipeline.verify import report_lines
from pipeline.verify_job import verify_book
from pipeline.xlsx.book import write_workbook
from tests.builders import CREATED, seed_tables

ROOT = Path(__file__).resolve().parents[1]
FIRST_RESULT = ("・経済交流促進会議、友好都市記念式典、青少年交流事業等及び企業研修生受入事業を実施"
                "（連携地域）（市町村・民間）")
EDITED_RESULT = FIRST_RESULT.replace("を実施", "を実施した")


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    """The 2019 sample (inputs/2019) as `sheet` writes it."""
    path = tmp_path_factory.mktemp("seed") / "推進管理表_2019.xlsx"
    write_workbook(seed_tables(), path, versions=versions(), created=CREATED)
    return path


def edited(book: Path, target: Path, cells: dict) -> Path:
    """A copy of `book` with {(sheet, address): value} typed in with openpyxl, as by hand."""
    workbook = openpyxl.load_workbook(book)
    for (sheet, address), value in cells.items():
        workbook[sheet][address] = value
    workbook.save(target)
    return target


def run_verify(capsys, *args):
    code = cli.main(["verify", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_an_untouched_book_matches_and_exits_0(seed_book, capsys):
    code, lines, err = run_verify(capsys, seed_book)
    assert (code, err) == (0, "")
    assert lines == [f"検査: {seed_book}", "結果: 一致（3 シートをデータのシートから作り直して比べました）"]
    code, lines, err = run_verify(capsys, seed_book, "--inputs", ROOT / "inputs")
    assert (code, lines[1:], err) == (0, ["結果: 一致（8 シートを入力ファイルから作り直して比べました）"], "")


def test_a_hand_edited_kpi_cell_and_sentence_are_named(seed_book, tmp_path, capsys):
    book = edited(seed_book, tmp_path / "edited.xlsx",
                  {("DOHOKU-01", "E51"): 9999, ("DOHOKU-01", "A13"): EDITED_RESULT})
    code, lines, err = run_verify(capsys, book)
    assert (code, err) == (1, "")
    assert lines == [
        f"検査: {book}",
        "結果: 不一致: データのシートから作り直した値と違うセル 2 個",
        f"  DOHOKU-01!A13: 期待「{FIRST_RESULT}」 実際「{EDITED_RESULT}」",
        "  DOHOKU-01!E51: 期待「5,676」 実際「9,999」",
    ]


def test_an_edited_data_sheet_shows_against_the_display_and_against_the_inputs(seed_book, tmp_path):
    """H29 of 訪日ロシア人 changed on KPIデータ: the book's own data now disagrees with what its
    project sheet shows; with the inputs (same SHA-256 as on 出典) the edited cell itself is named."""
    book = edited(seed_book, tmp_path / "data.xlsx", {("KPIデータ", "I5"): 1})
    _, check = verify_book(book)
    assert report_lines(check)[1:] == [
        "結果: 不一致: データのシートから作り直した値と違うセル 2 個",
        "  DOHOKU-01!E51: 期待「1」 実際「5,676」",
        "  DOHOKU-01!E61: 期待「1」 実際「5,676」",
    ]
    _, check = verify_book(book, inputs_dir=ROOT / "inputs")
    assert report_lines(check)[1:] == [
        "結果: 不一致: 入力ファイルから作り直した値と違うセル 1 個",
        "  KPIデータ!I5: 期待「5,676」 実際「1」",
    ]


def test_inputs_that_are_not_the_recorded_ones_are_named(seed_book, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / "2019", inputs / "2019")
    (inputs / "2019" / "submissions" / "猿払村.csv").write_bytes(
        (ROOT / "inputs" / "2019" / "submissions" / "猿払村.csv").read_bytes() + b"\n")
    (inputs / "2019" / "submissions" / "追加.csv").write_bytes(b"x\n")
    snapshot, check = verify_book(seed_book, inputs_dir=inputs)
    recorded = dict(zip(seed_tables().manifest["file"], seed_tables().manifest["sha256"]))
    now = __import__("hashlib").sha256((inputs / "2019" / "submissions" / "猿払村.csv").read_bytes()).hexdigest()
    assert (check.basis, check.differences) == ("data", ())
    assert report_lines(check)[1:] == [
        "結果: 不一致: 出典と違う入力ファイル 2 件",
        f"  入力: submissions/猿払村.csv: SHA-256 が出典と違います（出典 {recorded['submissions/猿払村.csv'][:12]}… / "
        f"入力 {now[:12]}…）",
        "  入力: submissions/追加.csv: 出典にない入力ファイルです",
    ]


def test_verify_errors_exit_2_with_one_line(seed_book, tmp_path, capsys):
    code, lines, err = run_verify(capsys, tmp_path / "none.xlsx")
    assert (code, lines, err) == (2, [], f"{tmp_path / 'none.xlsx'}: ファイルがありません\n")
    code, lines, err = run_verify(capsys, seed_book, "--inputs", tmp_path)
    assert (code, lines, err) == (2, [], f"{tmp_path / '2019'}: 入力フォルダがありません\n")
    other = tmp_path / "other.xlsx"
    workbook = openpyxl.Workbook()
    workbook.save(other)
    code, lines, err = run_verify(capsys, other)
    assert code == 2 and err.startswith(f"{other}: シート「取組データ」") and "Traceback" not in err


def test_diff_checks_both_books_and_says_so_on_stdout_and_its_summary_sheet(seed_book, tmp_path, capsys):
    book = edited(seed_book, tmp_path / "edited.xlsx", {("DOHOKU-01", "E51"): 9999})
    code = cli.main(["diff", str(seed_book), str(book), "--out", str(tmp_path / "d.xlsx")])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")   # no difference in the data, but the new book is not what its data says
    assert out.splitlines() == [
        f"推進管理表の差分: {seed_book}（令和元年度（2019年度）） → {book}（令和元年度（2019年度））",
        "表示シートの検査（データのシートから作り直してすべてのセルを比較。pipeline verify と同じ）:",
        "  旧: 一致（3 シートをデータのシートから作り直して比べました）",
        "  新: 不一致: データのシートから作り直した値と違うセル 1 個",
        "    DOHOKU-01!E51: 期待「5,676」 実際「9,999」",
        "差分はありません。",
        f"差分ファイル: {tmp_path / 'd.xlsx'}",
    ]
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(tmp_path / "d.xlsx")["概要"].iter_rows(values_only=True)
               if row[0]}
    assert summary["旧の検査（表示シート）"] == "一致（3 シートをデータのシートから作り直して比べました）"
    assert summary["新の検査（表示シート）"] == ("不一致: データのシートから作り直した値と違うセル 1 個\n"
                                         "DOHOKU-01!E51: 期待「5,676」 実際「9,999」")
    assert openpyxl.load_workbook(tmp_path / "d.xlsx").sheetnames == ["概要"]


@pytest.mark.parametrize("scale, readable", [(1, False), (2, True)])
def test_a_book_is_read_with_the_books_limits(seed_book, monkeypatch, scale, readable):
    from pipeline.errors import UnreadableFileError
    from pipeline.xlsx import readback
    from schemas.limits import read_limits

    small = read_limits().replace(rows=40, book_scale=scale)   # the project sheet has 68 rows
    monkeypatch.setattr(readback, "read_limits", lambda: small)
    if readable:
        assert verify_book(seed_book)[1].ok
        return
    with pytest.raises(UnreadableFileError) as caught:
        verify_book(seed_book)
    assert str(caught.value) == (f"{seed_book}:DOHOKU-01: 行が多すぎます（シートの範囲（dimension）が A1:H68 で"
                                 " 68 行目。上限 40 行）")


def test_from_its_data_sheets_the_shown_sheets_are_compared_not_the_data_sheets(seed_book):
    check = verify_book(seed_book)[1]
    assert check.sheets == ("一覧", "DOHOKU-01", "出典") and check.ok


def test_verify_stages_give_the_snapshot_before_checking_and_then_verify_books_check(seed_book, tmp_path, monkeypatch):
    import pipeline.verify_job as V

    book = edited(seed_book, tmp_path / "data.xlsx", {("KPIデータ", "I5"): 1})
    checked = []
    compare = V.compare_sheets
    monkeypatch.setattr(V, "compare_sheets", lambda *a: checked.append(1) or compare(*a))
    stages = V.verify_stages(book)
    snapshot = next(stages)
    assert checked == [] and snapshot.fiscal_year == 2019 and len(snapshot.initiatives) > 0
    check = next(stages)
    assert checked == [1] and list(stages) == []
    assert report_lines(check) == report_lines(verify_book(book)[1])
    assert snapshot.initiatives.equals(verify_book(book)[0].initiatives)
