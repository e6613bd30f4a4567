"""diff_render: the stdout summary and 差分_<OLD>_<NEW>.xlsx read back cell by cell."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText

from pipeline.diff import diff
from pipeline.diff_render import KINDS, diff_name, number, summary_lines, tags_text
from pipeline.xlsx.diff_book import SUMMARY_SHEET, write_diff_workbook
from tests.builders import LONG, actual, item, kpi_def, snap

CREATED = dt.datetime(2021, 3, 31, tzinfo=dt.timezone.utc)
EDITED = LONG.replace("商談を実施", "商談会を実施")
LEGEND_LINE = ("凡例: +++ 追加、--- 削除、-> 変更（修正・移動・繰越・実施）、... 掲載終了（年度の進行で外れた前年度の実績。"
               "削除ではない）。[-…-] は削除された文字、{+…+} は追加された文字、⏎ は改行。")


@pytest.fixture
def small():
    old = snap(2019, items=[item("実績", "施策A", LONG, area="宗谷"), item("次年度", "施策A", "交流会を開催"),
                            item("課題", "", "古い課題")],
               kpi=[actual("K1", 2015, 150.0, row=3), actual("K1", 2016, float("nan"), row=4)], label="old.xlsx")
    new = snap(2020, items=[item("実績", "施策A", EDITED, area="宗谷", fy=2020),
                            item("今年度", "施策A", "交流会を開催", fy=2020),
                            item("課題", "", "新しい課題", fy=2020)],
               kpi=[actual("K1", 2015, 149.5, fy=2020, row=3), actual("K1", 2016, 160.0, fy=2020, progress=0.8)],
               kpis=[kpi_def(target_value=220.0)], label="new.xlsx")
    return diff(old, new)


def test_number_and_tags_texts():
    assert (number(5949.0), number(12.5), number(-45.0), number(float("nan"))) == ("5,949", "12.5", "-45", "未確定")
    assert tags_text("宗谷", "市・民間", True) == "地域：宗谷／実施主体：市・民間／【再掲】"
    assert tags_text("", "", False) == ""
    assert diff_name(2019, 2020) == "差分_2019_2020.xlsx"


def test_summary_lines_counts_first_then_details(small):
    lines = summary_lines(small)
    assert lines[0] == "推進管理表の差分: old.xlsx（令和元年度（2019年度）） → new.xlsx（令和２年度（2020年度））"
    assert [" ".join(line.split()) for line in lines[1:15]] == [
        "件数:", "過去の実績値の修正 1 件", "新しい実績値 1 件", "KPI定義の変更 1 件", "プロジェクトの変更 0 件",
        "施策の変更 0 件", "取組の追加 1 件", "取組の削除 1 件", "取組の修正 1 件", "取組の移動（別の見出し・プロジェクトへ） 0 件",
        "取組の繰越（次年度→今年度、うち内容の修正 0 件） 1 件", "取組の実施（今年度→実績、うち内容の修正 0 件） 0 件",
        "取組の掲載終了（前年度の実績） 0 件", "変更のない取組 0 件"]
    assert lines[16:] == [
        "■ 過去の実績値の修正（1 件）",
        "  -> K1 来訪者数 H27（2015）: 150 → 149.5 人（差 -0.5）  出典: submissions/k.csv:3",
        "",
        "■ 新しい実績値（1 件）",
        "  +++ K1 来訪者数 H28（2016）: 160 人（進捗率 80.0%）（前回は未確定）  出典: submissions/k.csv:2",
        "",
        "■ KPI定義の変更（1 件）",
        "  -> K1 来訪者数 目標値: 200 → 220",
        "",
        "■ 取組の変更（4 件）",
        "  -> P1 実績「施策A」: " + LONG.replace("商談を実施", "商談{+会+}を実施"),
        "  -> P1 次年度→今年度「施策A」（繰越）: 交流会を開催",
        "  +++ P1 課題: 新しい課題  出典: submissions/a.csv:2",
        "  --- P1 課題: 古い課題  出典: submissions/a.csv:2",
        "",
        LEGEND_LINE,
    ]


def test_summary_warns_when_old_is_the_later_year():
    new, old = snap(2019, items=[item("次年度", "施策A", "交流会")]), snap(2020, items=[item("今年度", "施策A", "交流会")])
    d = diff(old, new)
    assert summary_lines(d)[1] == ("注意: 旧（2020年度）が新（2019年度）より後の年度です。引数の順番（旧 新）を確かめてください"
                                   "（繰越・実施・掲載終了は判定していません）")
    assert [r["change"] for r in d.initiatives.to_dict("records")] == ["added", "removed"]


def test_summary_of_no_difference():
    s = snap(items=[item("実績", "施策A", "交流会")])
    assert summary_lines(diff(s, s), out_path=None)[1:] == ["差分はありません。"]


@pytest.fixture
def book(small, tmp_path):
    path = tmp_path / "d.xlsx"
    write_diff_workbook(small, path, old_sha="a" * 64, new_sha="b" * 64, created=CREATED)
    return openpyxl.load_workbook(path, rich_text=True)


def values(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_workbook_has_a_summary_and_a_sheet_per_kind_with_changes(book):
    assert book.sheetnames == [SUMMARY_SHEET, "実績値の修正", "新しい実績値", "KPI定義", "取組"]
    summary = values(book[SUMMARY_SHEET])
    assert summary[2][:2] == ["旧（比較元）", "old.xlsx　令和元年度（2019年度）"]
    assert summary[3][:2] == ["旧の SHA-256", "a" * 64]
    for name in book.sheetnames[1:]:
        ws = book[name]
        assert ws["A1"].value == "操作" and ws.freeze_panes is not None and ws.auto_filter.ref
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_revision_row_side_by_side_with_changed_cells_filled(book):
    ws = book["実績値の修正"]
    assert values(ws) == [
        ["操作", "KPI ID", "指標名", "単位", "年度", "旧の値", "新の値", "差", "旧の出典", "新の出典"],
        ["->", "K1", "来訪者数", "人", "H27（2015）", 150, 149.5, -0.5, "submissions/k.csv:3", "submissions/k.csv:3"],
    ]
    assert ws["F2"].fill.fgColor.rgb == ws["G2"].fill.fgColor.rgb == "FFFFF2CC"
    assert ws["B2"].fill.fgColor.rgb != "FFFFF2CC"
    assert ws["H2"].number_format == "+#,##0.0;-#,##0.0;0"   # −0.5: one decimal, never a lone point


def test_initiative_rows_mark_changed_characters_and_colour_rows(book):
    ws = book["取組"]
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = list(ws.iter_rows(min_row=2))
    actions = [(r[0].value, r[col["種別"]].value) for r in rows]
    assert actions == [("->", "修正"), ("->", "繰越"), ("+++", "追加"), ("---", "削除")]
    old_text, new_text = rows[0][col["旧の内容"]].value, rows[0][col["新の内容"]].value
    assert isinstance(old_text, CellRichText) and isinstance(new_text, CellRichText)
    assert str(old_text) == LONG and str(new_text) == EDITED
    inserted = [part for part in new_text if not isinstance(part, str) and part.font.u]
    assert [part.text for part in inserted] == ["会"]
    assert rows[0][col["旧の内容"]].fill.fgColor.rgb == "FFFFF2CC"
    assert rows[0][col["旧のタグ"]].value == rows[0][col["新のタグ"]].value == "地域：宗谷"
    assert rows[0][col["旧のタグ"]].fill.fgColor.rgb != "FFFFF2CC"  # unchanged cell, not filled
    carried = rows[1]
    assert (carried[col["旧の区分"]].value, carried[col["新の区分"]].value) == ("次年度", "今年度")
    assert carried[col["新の区分"]].fill.fgColor.rgb == "FFFFF2CC"
    assert rows[2][col["新の内容"]].value == "新しい課題" and rows[2][col["新の内容"]].fill.fgColor.rgb == "FFE2EFDA"
    assert rows[3][col["旧の内容"]].value == "古い課題" and rows[3][col["旧の内容"]].fill.fgColor.rgb == "FFFCE4E4"


def test_definition_values_are_shown_as_numbers(book):
    assert values(book["KPI定義"])[1] == ["->", "K1", "来訪者数", "目標値", "200", "220"]


def test_summary_counts_are_a_table_and_kinds_without_changes_one_line(book):
    """種類・件数・シート in three columns, the counts as numbers; one line names the kinds
    without a sheet; the legend follows."""
    rows = [row[:3] for row in values(book[SUMMARY_SHEET])]
    start = rows.index(["種類", "件数", "シート"])
    assert rows[start - 1][0] == "件数"
    assert rows[start + 1:start + 16] == [
        ["過去の実績値の修正", 1, "実績値の修正"], ["新しい実績値", 1, "新しい実績値"], ["KPI定義の変更", 1, "KPI定義"],
        ["プロジェクトの変更", 0, "—"], ["施策の変更", 0, "—"], ["取組の追加", 1, "取組"], ["取組の削除", 1, "取組"],
        ["取組の修正", 1, "取組"], ["取組の移動（別の見出し・プロジェクトへ）", 0, "—"],
        ["取組の繰越（次年度→今年度、うち内容の修正 0 件）", 1, "取組"], ["取組の実施（今年度→実績、うち内容の修正 0 件）", 0, "—"],
        ["取組の掲載終了（前年度の実績）", 0, "—"], ["変更のない取組", 0, "—"],
        ["変更のない種類（シートはありません）: プロジェクト・施策・掲載終了", None, None],
        [None, None, None]]
    assert rows[start + 16][0] == "凡例（各シートの「操作」列）"
    assert [r[0] for r in rows[start + 17:]] == ["+++", "---", "->", "..."]


def test_same_diff_same_bytes_and_written_atomically(small, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        write_diff_workbook(small, path, old_sha="a" * 64, new_sha="b" * 64, created=CREATED)
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]  # no temporary file left


def test_a_failed_write_leaves_the_earlier_file(small, tmp_path, monkeypatch):
    import pipeline.xlsx.diff_book as R

    path = tmp_path / "d.xlsx"
    path.write_bytes(b"earlier")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(R, "write_summary_sheet", boom)
    with pytest.raises(RuntimeError):
        write_diff_workbook(small, path, old_sha="", new_sha="", created=CREATED)
    assert path.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.xlsx"]


def test_summary_sheet_says_when_old_is_the_later_year(tmp_path):
    d = diff(snap(2020, items=[item("今年度", "施策A", "交流会", fy=2020)], label="new.xlsx"),
             snap(2019, items=[item("次年度", "施策A", "交流会")], label="old.xlsx"))
    write_diff_workbook(d, tmp_path / "d.xlsx", old_sha="a" * 64, new_sha="b" * 64, created=CREATED)
    rows = [row[:2] for row in values(openpyxl.load_workbook(tmp_path / "d.xlsx")[SUMMARY_SHEET])]
    assert rows[2:8] == [
        ["旧（比較元）", "new.xlsx　令和２年度（2020年度）"], ["旧の SHA-256", "a" * 64],
        ["新（比較先）", "old.xlsx　令和元年度（2019年度）"], ["新の SHA-256", "b" * 64], ["結果", "差分があります"],
        ["注意", "旧（2020年度）が新（2019年度）より後の年度です。引数の順番（旧 新）を確かめてください"
                 "（繰越・実施・掲載終了は判定していません）"]]
