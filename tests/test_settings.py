"""master/settings.csv: per-document settings (別紙番号, 表題), optional, with defaults;
and the creation time (--date, SOURCE_DATE_EPOCH, else not recorded)."""
from __future__ import annotations

import re
import zipfile

import openpyxl

from pipeline import cli
from pipeline.report import document_titles

H = "プロジェクト,区分,見出し,内容,年度,地域,実施主体,再掲,順序\n"
GOOD = {"submissions/a.csv": H + "P1,実績,施策A,交流会を開催,,宗谷,市,,\n"}
SETTINGS = "項目,値,備考\n"


def run(tree, tmp_path, capsys, files: dict, *extra):
    inputs = tree({**GOOD, **files})
    code = cli.main(["sheet", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"), *extra])
    out, err = capsys.readouterr()
    return code, err, tmp_path / "out" / "2019" / "推進管理表_2019.xlsx"


def core(path) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read("docProps/core.xml").decode("utf-8")


def test_without_settings_the_title_is_as_before(tree, tmp_path, capsys):
    code, err, path = run(tree, tmp_path, capsys, {})
    assert code == 0, err
    book = openpyxl.load_workbook(path)
    assert book["P1"]["A1"].value == "プロジェクト推進管理表"
    assert book["一覧"]["A1"].value == "プロジェクト推進管理表　ＫＰＩ一覧（見込み）"
    assert book["P1"].oddFooter.left.text == "プロジェクト推進管理表　令和元年度（2019年度）"
    assert "<dc:title>プロジェクト推進管理表　令和元年度（2019年度）</dc:title>" in core(path)
    assert "<dc:subject>プロジェクト推進管理表　道北連携地域</dc:subject>" in core(path)


def test_the_attachment_number_and_title_head_every_page(tree, tmp_path, capsys):
    settings = SETTINGS + "別紙番号,別紙２,\n表題, 地域プロジェクト推進管理表 ,\n"
    code, err, path = run(tree, tmp_path, capsys, {"master/settings.csv": settings})
    assert code == 0, err
    book = openpyxl.load_workbook(path)
    assert book["P1"]["A1"].value == "別紙２　地域プロジェクト推進管理表"
    assert book["一覧"]["A1"].value == "別紙２　地域プロジェクト推進管理表　ＫＰＩ一覧（見込み）"
    # the footer and the file's (so the PDF's) title carry the title, the subject the whole line
    assert book["P1"].oddFooter.left.text == "地域プロジェクト推進管理表　令和元年度（2019年度）"
    assert "<dc:title>地域プロジェクト推進管理表　令和元年度（2019年度）</dc:title>" in core(path)
    assert "<dc:subject>別紙２　地域プロジェクト推進管理表　道北連携地域</dc:subject>" in core(path)
    # the settings file is an input like the others: on 出典 with its rows
    sources = [[c.value for c in row] for row in book["出典"].iter_rows()]
    assert any(row[:3] == ["master/settings.csv", row[1], "マスタ（設定）"] for row in sources if row[0])


def test_a_blank_value_means_the_default(tree, tmp_path, capsys):
    code, err, path = run(tree, tmp_path, capsys, {"master/settings.csv": SETTINGS + "別紙番号,,\n表題,,\n"})
    assert code == 0, err
    assert openpyxl.load_workbook(path)["P1"]["A1"].value == "プロジェクト推進管理表"


def test_bad_settings_are_named_by_file_row_and_column(tree, tmp_path, capsys):
    settings = SETTINGS + "副題,あ,\n別紙番号,別紙２,\n別紙番号,別紙３,\n表題," + "長" * 41 + ",\n,値だけ,\n"
    code, err, path = run(tree, tmp_path, capsys, {"master/settings.csv": settings})
    assert code == 1 and not path.exists()
    assert err.splitlines()[:5] == [
        "master/settings.csv:2: 項目: 「副題」は使えません（別紙番号・表題・進捗率の表示のいずれか）",
        "master/settings.csv:4: 項目: 項目「別紙番号」が重複しています（master/settings.csv:3 と同じ）",
        "master/settings.csv:5: 値: 41文字あります（別紙番号は10文字、表題は40文字、進捗率の表示は4文字以内にしてください）",
        "master/settings.csv:6: 項目: 項目が空です",
        f"エラー 4 件、警告 0 件。{tmp_path / 'out' / '2019'} は変更していません。",
    ]


def test_document_titles():
    assert document_titles({"attachment": "", "title": "表題"}) == ("表題", "表題")
    assert document_titles({"attachment": "別紙２", "title": "表題"}) == ("表題", "別紙２　表題")


# --- 作成日時 ------------------------------------------------------------------------------

def _created(path) -> str:
    ws = openpyxl.load_workbook(path)["出典"]
    return next(row[1].value for row in ws.iter_rows() if row[0].value == "作成日時")


def test_without_a_date_nothing_is_recorded_and_rebuilds_are_identical(tree, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    code, err, path = run(tree, tmp_path, capsys, {})
    assert code == 0, err
    first = path.read_bytes()
    assert _created(path) == "（記録していません）"
    assert "dcterms:created" not in core(path) and "dcterms:modified" not in core(path)
    assert "<dc:title>" in core(path)
    assert cli.main(["sheet", "--inputs", str(tmp_path / "inputs"), "--outputs", str(tmp_path / "out")]) == 0
    assert path.read_bytes() == first


def test_a_date_is_recorded_when_given(tree, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    code, err, path = run(tree, tmp_path, capsys, {})
    assert _created(path) == "2020-01-01 00:00:00（UTC）"
    assert re.search(r"<dcterms:created [^>]*>2020-01-01T00:00:00Z</dcterms:created>", core(path))
    code, err, path = run(tree, tmp_path, capsys, {}, "--date", "2020-03-31")
    assert code == 0, err
    assert _created(path) == "2020-03-31 00:00:00（UTC）"
    code, err, _ = run(tree, tmp_path, capsys, {}, "--date", "3月31日")
    assert code == 2 and "「3月31日」は日付として読めません（例: 2020-03-31、2020-03-31T09:00）" in err
    assert len(err.splitlines()) == 1
