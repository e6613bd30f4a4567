"""The books of a run over several 連携地域: one per region and the whole-Hokkaido book."""
from __future__ import annotations

import re
import zipfile

from pipeline import cli, render
from pipeline.build import run
from pipeline.load import xlsx_sheets
from pipeline.xlsx.book import write_workbook
from pipeline.xlsx.readback import read_workbook

REGIONS = ["道央広域", "道南", "道北", "オホーツク", "十勝", "釧路・根室"]
DATA = ["取組データ", "KPIデータ", "プロジェクトデータ", "施策データ", "KPI定義"]


def sheet_names(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())


def sheet_xml(path, index: int) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode()


def test_one_book_per_region_and_the_whole(hokkaido):
    out = hokkaido[2]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["initiatives.csv", "kpi.csv", "推進管理表_2023.xlsx", *(f"推進管理表_2023_{r}.xlsx" for r in REGIONS), "検証結果"])


def test_a_region_book_has_its_overview_project_sheets_and_sources(hokkaido):
    out = hokkaido[2]
    assert sheet_names(out / "推進管理表_2023_道北.xlsx") == ["一覧", "DOHOKU-01", "出典"]
    assert sheet_names(out / "推進管理表_2023_道央広域.xlsx") == ["一覧", "DOO-01", "出典"]
    overview = dict(xlsx_sheets((out / "推進管理表_2023_道北.xlsx").read_bytes(), only=["一覧"]))["一覧"]
    assert set(overview.iloc[3:8, 0]) == {"道北"} and list(overview.iloc[3:8, 2].str[-5:]) == [
        "（指標1）", "（指標2）", "（指標3）", "（指標4）", "（指標5）"]


def test_the_whole_book_lists_every_kpi_with_a_filter_and_links_to_the_region_books(hokkaido):
    whole = hokkaido[2] / "推進管理表_2023.xlsx"
    assert sheet_names(whole) == ["一覧", "実績の推移", *DATA, "出典"]
    overview = dict(xlsx_sheets(whole.read_bytes(), only=["一覧"]))["一覧"]
    regions = overview.iloc[3:33, 0].tolist()
    assert regions == [r for r in REGIONS for _ in range(5)]
    xml = sheet_xml(whole, 1)
    assert '<autoFilter ref="A3:M33"/>' in xml
    assert '<pane xSplit="2" ySplit="3" topLeftCell="C4" activePane="bottomRight" state="frozen"/>' in xml
    with zipfile.ZipFile(whole) as z:
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert 'Target="推進管理表_2023_道北.xlsx" TargetMode="External"' in rels
    assert '<hyperlink ref="B14" r:id="rId11" location="\'DOHOKU-01\'!A1"' in xml
    assert 'state="hidden"' in re.search(r'<sheet name="実績の推移"[^>]*>', 
                                          zipfile.ZipFile(whole).read("xl/workbook.xml").decode()).group(0)


def test_the_whole_book_reads_back_for_diff(hokkaido):
    snapshot = read_workbook(hokkaido[2] / "推進管理表_2023.xlsx")
    assert (snapshot.fiscal_year, len(snapshot.initiatives), len(snapshot.projects)) == (2023, 1525, 6)


def test_diff_per_region_and_on_the_whole(hokkaido, capsys):
    out = hokkaido[2]
    code = cli.main(["diff", str(out / "推進管理表_2023.xlsx"), str(out / "推進管理表_2023.xlsx"), "--region", "十勝"])
    assert code == 0 and (out / "差分_2023_2023_十勝.xlsx").exists()
    assert "（十勝）" in capsys.readouterr().out
    assert cli.main(["diff", str(out / "推進管理表_2023.xlsx"), str(out / "推進管理表_2023.xlsx"), "--region", "道東"]) == 2
    assert "連携地域「道東」のプロジェクトがありません" in capsys.readouterr().err
    assert cli.main(["diff", str(out / "推進管理表_2023.xlsx"), str(out / "推進管理表_2023.xlsx")]) == 0
    (out / "差分_2023_2023_十勝.xlsx").unlink()
    (out / "差分_2023_2023.xlsx").unlink()


def test_a_streamed_book_holds_the_same_cells_as_one_in_memory(hokkaido, tmp_path):
    part = run(hokkaido[0], 2023).tables.parts[1]
    meta = {"versions": render.versions(), "created": render.created_time()}
    write_workbook(part, tmp_path / "streamed.xlsx", streaming=True, **meta)
    write_workbook(part, tmp_path / "memory.xlsx", **meta)
    streamed = dict(xlsx_sheets((tmp_path / "streamed.xlsx").read_bytes()))
    memory = dict(xlsx_sheets((tmp_path / "memory.xlsx").read_bytes()))
    assert list(streamed) == list(memory) == ["一覧", "DONAN-01", *DATA, "出典"]
    for name in memory:
        assert streamed[name].fillna("").values.tolist() == memory[name].fillna("").values.tolist(), name


def _copy_books(out, tmp_path, *names):
    import shutil

    for name in names:
        shutil.copy(out / name, tmp_path / name)
    return tmp_path


def test_a_region_book_is_verified_through_the_whole_book_beside_it(hokkaido, tmp_path, capsys):
    folder = _copy_books(hokkaido[2], tmp_path, "推進管理表_2023.xlsx", "推進管理表_2023_道北.xlsx")
    book = folder / "推進管理表_2023_道北.xlsx"
    assert cli.main(["verify", str(book)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"検査: {book}", "結果: 一致（3 シートをデータのシートから作り直して比べました）"]
    import openpyxl

    edited = openpyxl.load_workbook(book)
    edited["DOHOKU-01"]["B2"] = "書き換えた題名"
    edited.save(book)
    assert cli.main(["verify", str(book)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "結果: 不一致: データのシートから作り直した値と違うセル 1 個"
    assert lines[2].startswith("  DOHOKU-01!B2: 期待「") and lines[2].endswith("」 実際「書き換えた題名」")


def test_a_region_book_without_the_whole_book_cannot_be_verified(hokkaido, tmp_path, capsys):
    folder = _copy_books(hokkaido[2], tmp_path, "推進管理表_2023_十勝.xlsx")
    book = folder / "推進管理表_2023_十勝.xlsx"
    assert cli.main(["verify", str(book)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{book}: 連携地域のブックです。比べるには、同じフォルダに全道のブック 推進管理表_2023.xlsx（データのシートを持つもの）"
        "が必要です")


def test_two_region_books_are_diffed_as_that_region(hokkaido, tmp_path, capsys):
    out = hokkaido[2]
    later = tmp_path / "2023b"
    later.mkdir()
    _copy_books(out, later, "推進管理表_2023.xlsx", "推進管理表_2023_十勝.xlsx")
    old, new = out / "推進管理表_2023_十勝.xlsx", later / "推進管理表_2023_十勝.xlsx"
    assert cli.main(["diff", str(old), str(new), "--out", str(tmp_path)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"推進管理表の差分: {old}（十勝）（令和５年度（2023年度）） → {new}（十勝）（令和５年度（2023年度））"
    assert (tmp_path / "差分_2023_2023_十勝.xlsx").is_file()
    assert cli.main(["diff", str(old), str(out / "推進管理表_2023_道北.xlsx"), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        "連携地域が一致しません: 推進管理表_2023_十勝.xlsx（十勝）、推進管理表_2023_道北.xlsx（道北）")
    assert cli.main(["diff", str(old), str(new), "--region", "道北", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == "連携地域が一致しません: 推進管理表_2023_十勝.xlsx（十勝）、--region 道北"
