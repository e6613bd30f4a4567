"""pipeline.xlsx.readback: a workbook written by `sheet` read back into the tidy frames."""
from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from pipeline.errors import UnreadableFileError
from pipeline.xlsx.readback import read_workbook
from schemas.cells import is_blank
from tests.builders import write_tree, write_xlsx

def built_workbook(tmp_path: Path, files: dict | None = None, fiscal_year: int = 2019):
    """Build a tiny tree with the real pipeline; returns (tables, workbook path)."""
    from pipeline.build import run
    from pipeline.render import write_outputs

    inputs = write_tree(tmp_path / "src", files or {
        "submissions/a.csv": "プロジェクト,区分,見出し,内容,地域,再掲,順序\n"
                             "P1,実績,施策エー,=交流会を開催,宗谷,○,2\nP1,課題,,課題です,,,\n",
        "submissions/k.csv": "KPI,年度,実績値\nK1,H27,150\nK1,H28,－\nK2,H27,40\n",
    }, fiscal_year)
    result = run(inputs, fiscal_year)
    written = write_outputs(result.tables, tmp_path / "out")
    return result.tables, written[-1]


def test_read_workbook_gives_back_the_tidy_frames(tmp_path):
    tables, path = built_workbook(tmp_path)
    snap = read_workbook(path, "old.xlsx")
    assert snap.label == "old.xlsx" and snap.fiscal_year == 2019
    assert snap.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    for name in ("initiatives", "kpi", "projects", "measures", "kpis"):
        got, want = getattr(snap, name), getattr(tables, name)
        assert list(got.columns) == list(want.columns), name
        assert len(got) == len(want), name
        for column in got.columns:
            for a, b in zip(got[column].tolist(), want[column].tolist()):
                same = (is_blank(a) and is_blank(b)) or a == b or (isinstance(a, float) and a == float(b))
                assert same, (name, column, a, b)
    first = snap.initiatives.iloc[0]
    assert (first["text"], first["relisted"], first["order"], first["heading"]) == ("=交流会を開催", True, 2, "施策A")
    assert list(snap.kpi["kind"]) == ["baseline", "actual", "actual", "target", "baseline", "actual", "target"]
    assert snap.measures.loc[0, "aliases"] == ("施策エー",) and snap.measures.loc[1, "aliases"] == ()


def test_read_workbook_of_an_empty_year(tmp_path):
    _, path = built_workbook(tmp_path, {"submissions/a.csv": "プロジェクト,区分,見出し,内容\n"})
    snap = read_workbook(path)
    assert snap.initiatives.empty and list(snap.kpi["kind"]) == ["baseline", "target", "baseline", "target"]


def test_read_workbook_refuses_what_is_not_ours(tmp_path):
    with pytest.raises(UnreadableFileError) as missing:
        read_workbook(tmp_path / "none.xlsx", "none.xlsx")
    assert str(missing.value) == "none.xlsx: ファイルがありません"
    text = tmp_path / "a.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(UnreadableFileError) as broken:
        read_workbook(text, "a.xlsx")
    assert str(broken.value) == "a.xlsx: 中身が Excel ファイルではなくテキスト（CSV など）です。CSV なら拡張子を .csv にしてください"
    other = write_xlsx(tmp_path / "b.xlsx", {"取組": {(0, 0): "プロジェクト"}})
    with pytest.raises(UnreadableFileError) as foreign:
        read_workbook(other, "b.xlsx")
    assert str(foreign.value) == (
        "b.xlsx: シート「取組データ」「KPIデータ」「プロジェクトデータ」「施策データ」「KPI定義」「出典」がありません。"
        "pipeline sheet で作った推進管理表（推進管理表_<年度>.xlsx）を指定してください")


def test_read_workbook_names_a_sheet_whose_headers_were_changed(tmp_path):
    _, path = built_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["KPI定義"]["F1"] = "基準"
    book.save(tmp_path / "edited.xlsx")
    with pytest.raises(UnreadableFileError) as exc:
        read_workbook(tmp_path / "edited.xlsx", "edited.xlsx")
    assert str(exc.value) == (
        "edited.xlsx: シート「KPI定義」の見出しが推進管理表のものと違います"
        "（期待: KPI ID・プロジェクトID・指標名・単位・基準年・基準値・目標年・目標値・方向・算定方法）。"
        "pipeline sheet で作った推進管理表（推進管理表_<年度>.xlsx）を指定してください")


def test_read_workbook_checks_the_year_of_the_rows(tmp_path):
    _, path = built_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["取組データ"]["A2"] = 2018
    book.save(tmp_path / "edited.xlsx")
    with pytest.raises(UnreadableFileError) as exc:
        read_workbook(tmp_path / "edited.xlsx", "e.xlsx")
    assert str(exc.value).startswith("e.xlsx: シート「取組データ」の年度（2018・2019）が対象年度 2019 と合いません")


def test_read_back_frames_match_the_tidy_schemas(tmp_path):
    from schemas import tidy as T

    _, path = built_workbook(tmp_path)
    snap = read_workbook(path)
    for frame, schema in ((snap.initiatives, T.INITIATIVES), (snap.kpi, T.KPI), (snap.projects, T.PROJECTS),
                          (snap.measures, T.MEASURES), (snap.kpis, T.KPI_MASTER)):
        schema.validate(frame)


def test_a_book_is_read_in_two_parts_the_snapshots_sheets_and_the_rest(tmp_path):
    from pipeline.verify_job import SNAPSHOT_SHEETS
    from pipeline.xlsx.readback import open_book

    _, path = built_workbook(tmp_path)
    _, whole = open_book(path, "x")
    _, first = open_book(path, "x", only=SNAPSHOT_SHEETS)
    _, rest = open_book(path, "x", skip=SNAPSHOT_SHEETS)
    assert list(first) == [name for name in whole if name in SNAPSHOT_SHEETS] and len(first) == len(SNAPSHOT_SHEETS)
    assert list(rest) == [name for name in whole if name not in SNAPSHOT_SHEETS] and "一覧" in rest
    assert all(first[name].equals(whole[name]) for name in first) and all(rest[n].equals(whole[n]) for n in rest)
