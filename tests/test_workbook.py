"""The 推進管理表 workbook (pipeline/xlsx/), read back with openpyxl.

The expected texts and figures come from tests/builders.py's hand transcription of the
seed table (SEED_ITEMS, SEED_KPIS), never from the code under test.
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.model import Tables
from pipeline.status import STATUSES
from pipeline.styles import STATUS_COLOURS
from pipeline.xlsx.book import project_sheet_names, write_workbook
from pipeline.xlsx.cells import sanitize_sheet_name
from pipeline.xlsx.labels import FIXED_SHEETS
from pipeline.xlsx.layout import project_grid, row_height, text_lines
from schemas.eras import long_title, short_label
from tests.builders import (
    CREATED, DATA_SHEETS, FY, M1, M2, PROJECT, PROJECT_ID, PURPOSE, RUMOI_PR, SAKHALIN_UNIV, SEED_ITEMS,
    SEED_KPIS, SEED_PRINTED, SEED_PROGRESS, SEED_TITLE, STUDENTS, VERSIONS, initiative_rows, inline_seed_tables, kpi_rows,
    make_tables, seed_tables, with_report,
)

# --- helpers ------------------------------------------------------------------------------

def build(tables: Tables, tmp_path: Path, name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    write_workbook(tables, path, versions=VERSIONS, created=CREATED)
    return path


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory):
    path = build(seed_tables(), tmp_path_factory.mktemp("seed"))
    return openpyxl.load_workbook(path)


def sheet_strings(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def find_row(ws, text: str) -> int:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row
    raise AssertionError(f"{text!r} not on sheet {ws.title}")


# --- eras -------------------------------------------------------------------------------------

def test_era_labels_match_the_seed():
    assert [short_label(y) for y in range(2014, 2021)] == ["H26", "H27", "H28", "H29", "H30", "R元", "R2"]
    assert long_title(2019) == "令和元年度（2019年度）"
    assert long_title(2020) == "令和２年度（2020年度）"
    assert long_title(2018) == "平成30年度（2018年度）"


# --- pure helpers --------------------------------------------------------------------------------

def test_row_height_counts_cjk_twice_as_wide_as_ascii():
    assert text_lines("a" * 36, 40) == 1
    assert text_lines("あ" * 18, 40) == 1
    assert text_lines("あ" * 36, 40) == 2   # 72 units into ≈ 37 usable
    assert text_lines("あ" * 38, 40) == 3   # 76 units
    assert text_lines("a b " * 9, 40) == 1
    assert row_height([("あ" * 36, 40)]) > row_height([("a" * 36, 40)])
    one = row_height([("x", 40)])
    assert row_height([("一\n二\n三", 40)]) == pytest.approx(3 * one - 2 * 4.0, abs=0.5)
    # the tallest cell of the row wins; larger fonts need more
    assert row_height([("a", 40), ("あ" * 100, 20)]) == row_height([("あ" * 100, 20)])
    assert row_height([("あ" * 30, 40, 14)]) > row_height([("あ" * 30, 40)])
    assert row_height([("あ" * 10000, 10)]) == 409.0


def test_sheet_names_are_sanitised_unique_and_short():
    assert sanitize_sheet_name("a[b]c:d*e?f/g\\h") == "a_b_c_d_e_f_g_h"
    long = "プロジェクト" * 10
    assert len(sanitize_sheet_name(long)) == 31
    assert sanitize_sheet_name("'quoted'") == "quoted"
    assert sanitize_sheet_name("") == "Sheet"
    assert sanitize_sheet_name("History").lower() != "history"
    names = project_sheet_names(["P1", "p1", "P1", long, long, "出典", "取組データ"])
    assert len({n.lower() for n in names} | {n.lower() for n in FIXED_SHEETS}) == len(names) + len(FIXED_SHEETS)
    assert names[:3] == ["P1", "p1(2)", "P1(3)"]
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[5] != "出典" and names[6] != "取組データ"
    # stable: the same IDs give the same names
    assert project_sheet_names(["P1", "p1", "P1", long, long, "出典", "取組データ"]) == names


def test_grid_halves_are_equal_and_fill_the_sheet():
    for years in (1, 3, 5, 7, 9, 11, 15, 25):
        grid = project_grid(years)
        assert len(grid.widths) == years + 1
        if years <= 11:
            assert grid.width(0, grid.split - 1) == pytest.approx(grid.width(grid.split, grid.last), abs=0.1)
    seven = project_grid(7)
    assert seven.widths[0] == 48 and seven.split == 3


# --- the seed project sheet ---------------------------------------------------------------------

def test_sheet_order_and_names(seed_book):
    assert seed_book.sheetnames == ["一覧", "DOHOKU-01", *DATA_SHEETS]


def test_every_seed_sentence_and_tag_is_on_the_project_sheet(seed_book):
    ws = seed_book["DOHOKU-01"]
    strings = sheet_strings(ws)
    joined = "\n".join(strings)
    for expected in (SEED_TITLE, "道北連携地域", PROJECT, "【概要・目的】", "【施策展開】",
                     "これまでの主な取組実績", "今後の取組を進める上での主な課題",
                     "今年度の主な取組（令和元年度（2019年度））", "次年度の取組（令和２年度（2020年度））",
                     "【ＫＰＩの状況】", "■" + M1, "■" + M2, "○交流環境の整備", PURPOSE):
        assert expected in strings, expected
    for printed, (section, heading, text, area, actors, relisted) in zip(SEED_PRINTED, SEED_ITEMS):
        assert printed in strings
        for sentence in re.split(r"(?<=。)|\n", text):
            assert sentence in joined
    # seed lines verbatim
    for line in ("・青少年交流事業（稚内市）", "・ロシア人企業研修生の受入（民間）",
                 "・航路再開の場合、学童交流事業を実施（猿払村）",
                 "・「ロシア連邦ハバロフスク市の国際見本市」（国際課参加事業）への商品提供（留萌）（振興局）",
                 "次の事業を実施（市町村）\n-ユジノサハリンスク道北物産展\n-ビジネスマッチング事業\n-メディア招聘事業",
                 "（本庁・振興局・市町村・民間）", "（振興局）【再掲】"):
        assert line in joined, line


def test_blocks_are_in_seed_order(seed_book):
    ws = seed_book["DOHOKU-01"]
    rows = [find_row(ws, t) for t in (SEED_TITLE, "【概要・目的】", "【施策展開】", "これまでの主な取組実績",
                                      "今年度の主な取組（令和元年度（2019年度））",
                                      "次年度の取組（令和２年度（2020年度））", "【ＫＰＩの状況】")]
    assert rows == sorted(rows)
    assert find_row(ws, "これまでの主な取組実績") == find_row(ws, "今後の取組を進める上での主な課題")
    # measures in the measures' order inside 実績, ○ headings on the 課題 side
    results = find_row(ws, "これまでの主な取組実績")
    left = [ws.cell(r, 1).value for r in range(results + 1, ws.max_row + 1)]
    assert left.index("■" + M1) < left.index("■" + M2)


def test_kpi_table_holds_the_seed_figures_and_progress_as_percent_cells(seed_book):
    ws = seed_book["DOHOKU-01"]
    head = find_row(ws, "H26（基準）")
    labels = [ws.cell(head, c).value for c in range(1, 9)]
    assert labels == ["指標", "H26（基準）", "H27", "H28", "H29", "H30", "R元", "R2（目標）"]
    for kpi_id, indicator, unit, (_, base), (_, target), actuals in SEED_KPIS:
        value_row = next(r for r in range(head + 1, ws.max_row + 1)
                         if str(ws.cell(r, 1).value or "").startswith(indicator))
        assert unit in ws.cell(value_row, 1).value
        cells = [ws.cell(value_row, c) for c in range(2, 9)]
        assert [c.value for c in cells] == [base, *actuals, None, target]
        for cell in cells:
            if cell.value is not None:
                assert cell.data_type == "n"
                assert cell.number_format == f'#,##0"{unit}"'
        rate_row = value_row + 1
        assert ws.cell(rate_row, 1).value == "＜進捗率＞"
        rates = [ws.cell(rate_row, c) for c in range(2, 9)]
        assert rates[0].value is None and rates[5].value is None and rates[6].value is None
        for cell, expected in zip(rates[1:5], SEED_PROGRESS[kpi_id]):
            assert cell.data_type == "n" and cell.number_format == "0.0%"
            assert cell.value == pytest.approx(expected, abs=1e-9)


def test_progress_of_100_percent_or_more_is_conditionally_formatted(seed_book):
    ws = seed_book["DOHOKU-01"]
    rules = [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules]
    assert len(rules) == 2
    for sqref, rule in rules:
        assert rule.type == "cellIs" and rule.operator == "greaterThanOrEqual" and rule.formula == ["1"]
        row = int(re.match(r"B(\d+)", sqref).group(1))
        assert ws.cell(row, 1).value == "＜進捗率＞"


def test_print_settings(seed_book, seed_path):
    for name in seed_book.sheetnames:
        ws = seed_book[name]
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        # a fixed scale, never fit-to-page (Excel would ignore the manual page breaks)
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_area
        assert "&P" in (ws.oddFooter.center.text or "")
    ws = seed_book["DOHOKU-01"]
    assert ws.print_title_rows == "$1:$2"
    assert ws.print_area.endswith(f"$H${ws.max_row}")
    # one A4 landscape page wide: 784.3 pt between the margins; a column's XML width × 7 px
    cols = re.findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', _zip_text(seed_path, "xl/worksheets/sheet2.xml"))
    pixels = sum((int(b) - int(a) + 1) * round(float(w) * 7) for a, b, w in cols)
    assert 0.9 * 784.3 <= pixels * 0.75 * ws.page_setup.scale / 100 <= 784.3
    # the data sheets: 10.5 pt × 80 % = 8.4 pt on paper, the header row and key columns on every
    # page, pages across then down
    for name, keys in (("取組データ", "$A:$C"), ("KPIデータ", "$A:$B"), ("プロジェクトデータ", "$A:$A"),
                       ("施策データ", "$A:$A"), ("KPI定義", "$A:$A")):
        ws = seed_book[name]
        assert ws.page_setup.scale == 80 and ws.page_setup.pageOrder == "overThenDown"
        assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == keys
    assert seed_book["出典"].page_setup.scale == 80


def test_every_text_row_has_an_explicit_height(seed_book):
    ws = seed_book["DOHOKU-01"]
    for row in range(1, ws.max_row + 1):
        if any(isinstance(ws.cell(row, c).value, str) for c in range(1, 9)):
            assert ws.row_dimensions[row].height, row
    # a long item gets more than one line
    row = find_row(ws, "・" + SAKHALIN_UNIV + "（振興局）【再掲】")
    assert ws.row_dimensions[row].height >= 2 * 10.5 * 1.5


def test_no_formula_cells(seed_book):
    for ws in seed_book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


def test_data_sheets_are_tables_with_frozen_headers(seed_book):
    for name, rows in (("取組データ", len(SEED_ITEMS)), ("KPIデータ", 12)):
        ws = seed_book[name]
        assert ws.freeze_panes == "A2"
        (table,) = ws.tables.values()
        assert table.autoFilter is not None
        assert table.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{rows + 1}"
        headers = [c.value for c in ws[1]]
        assert "出典ファイル" in headers and "出典行" in headers
    ws = seed_book["取組データ"]
    assert ws["B2"].value == "道北" and ws["L2"].value == "submissions/稚内市.csv" and ws["N2"].value == 4
    kpi = seed_book["KPIデータ"]
    kinds = {c.value for c in kpi["H"][1:]}
    assert kinds == {"基準値", "実績値", "目標値"}


def test_master_sheets_hold_projects_measures_and_kpi_definitions(seed_book):
    rows = lambda name: [[c.value for c in r] for r in seed_book[name].iter_rows()]  # noqa: E731
    projects = rows("プロジェクトデータ")
    assert projects[0] == ["プロジェクトID", "連携地域", "プロジェクト名", "概要・目的", "表示順"]
    assert projects[1][:3] == ["DOHOKU-01", "道北", "ロシア極東との交流推進プロジェクト"]
    assert projects[1][3].startswith("道北連携地域は、宗谷海峡を隔てて") and "\nまた、近年は" in projects[1][3]
    assert projects[1][4] == 1 and len(projects) == 2
    assert rows("施策データ") == [
        ["プロジェクトID", "施策名", "表示順", "別名"],
        ["DOHOKU-01", "サハリン州等との友好交流の推進", 1, None],
        ["DOHOKU-01", "ロシア極東との人流・物流の活性化など経済交流の推進", 2,
         "ロシア極東との物流の活性化など経済交流の推進"],
    ]
    kpis = rows("KPI定義")
    assert kpis[0] == ["KPI ID", "プロジェクトID", "指標名", "単位", "基準年", "基準値", "目標年", "目標値",
                       "方向", "算定方法"]
    assert kpis[1] == ["DOHOKU-01-K1", "DOHOKU-01", "北海道における訪日ロシア人（新千歳空港等経由）", "人",
                       2014, 5949, 2020, 7400, "増加", "達成率"]
    assert kpis[2][0] == "DOHOKU-01-K2" and kpis[2][4:] == [2014, 594, 2020, 900, "増加", "達成率"]
    for name in ("プロジェクトデータ", "施策データ", "KPI定義"):
        assert seed_book[name].freeze_panes == "A2" and len(seed_book[name].tables) == 1


def test_sources_sheet_lists_files_hashes_counts_fy_and_versions(seed_book):
    ws = seed_book["出典"]
    strings = sheet_strings(ws)
    assert "令和元年度（2019年度）" in strings
    assert "0.1.0" in strings and "3.1.1" in strings and "3.3.1" in strings
    assert "2020-03-31 09:00:00（UTC）" in strings
    row = find_row(ws, "submissions/本庁.xlsx")
    sample = Path(__file__).resolve().parents[1] / "inputs" / "2019" / "submissions" / "本庁.xlsx"
    assert ws.cell(row, 2).value == hashlib.sha256(sample.read_bytes()).hexdigest()
    assert [ws.cell(row, c).value for c in range(3, 7)] == ["取組・KPI実績", 13, 13, 0]
    (table,) = ws.tables.values()
    assert table.autoFilter is not None


# --- safety, purity, reproducibility ---------------------------------------------------------------

def _hostile_tables() -> Tables:
    tables = seed_tables()
    items = tables.initiatives.copy()
    items.loc[0, "text"] = "=HYPERLINK(\"http://example.com\",\"x\")"
    items.loc[1, "text"] = "http://example.com/"
    items.loc[0, "area"] = "@SUM(A1)"
    items.loc[10, "text"] = "+1+2"
    items.loc[11, "heading"] = "-3"
    projects = tables.projects.copy()
    projects.loc[0, "purpose"] = "=1+1"
    projects.loc[0, "project"] = "-危険な名前"
    return with_report(Tables(**{**tables.__dict__, "initiatives": items, "projects": projects,
                                 "warnings": ("=cmd|' /C calc'!A0",)}))


def test_text_that_looks_like_a_formula_stays_a_string(tmp_path):
    book = openpyxl.load_workbook(build(_hostile_tables(), tmp_path))
    seen = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s"
                    assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    seen += 1
    ws = book["DOHOKU-01"]
    assert "=1+1" in sheet_strings(ws)
    assert "-危険な名前" in sheet_strings(ws)
    # no text became a link: the only links are 一覧's, each to a sheet of this workbook
    links = [(ws.title, cell.hyperlink) for ws in book.worksheets for row in ws.iter_rows() for cell in row
             if cell.hyperlink]
    assert links and all(title == "一覧" and not link.target and link.location == "'DOHOKU-01'!A1"
                         for title, link in links)
    assert seen >= 7


def test_write_does_not_mutate_the_frames(tmp_path):
    tables = seed_tables()
    before = {name: copy.deepcopy(getattr(tables, name)) for name in
              ("projects", "measures", "kpis", "initiatives", "kpi", "manifest", "regions")}
    build(tables, tmp_path)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(tables, name), frame)


def test_two_builds_are_byte_identical(tmp_path):
    first = build(seed_tables(), tmp_path, "a.xlsx").read_bytes()
    second = build(seed_tables(), tmp_path, "b.xlsx").read_bytes()
    assert first == second
    later = tmp_path / "c.xlsx"
    write_workbook(seed_tables(), later, versions=VERSIONS, created=CREATED + dt.timedelta(days=1))
    assert later.read_bytes() != first


def test_inline_and_sample_tables_give_the_same_project_sheet(tmp_path):
    sample = openpyxl.load_workbook(build(seed_tables(), tmp_path, "sample.xlsx"))
    inline = openpyxl.load_workbook(build(inline_seed_tables(), tmp_path, "inline.xlsx"))
    assert sheet_strings(sample["DOHOKU-01"]) == sheet_strings(inline["DOHOKU-01"])
    assert sheet_strings(sample["一覧"]) == sheet_strings(inline["一覧"])


# --- empty and odd projects -------------------------------------------------------------------------

def test_projects_without_issues_kpis_or_items_render(tmp_path):
    seed = seed_tables()
    projects = [
        {"project_id": PROJECT_ID, "region": "道北", "project": PROJECT, "purpose": PURPOSE, "order": 1},
        {"project_id": "DOHOKU-02", "region": "道北", "project": "空っぽのプロジェクト", "purpose": "", "order": 2},
        {"project_id": "DOHOKU-03", "region": "道北", "project": "課題なし", "purpose": "目的", "order": 3},
    ]
    measures = seed.measures.to_dict("records") + [
        {"project_id": "DOHOKU-03", "measure": "施策甲", "order": 1, "aliases": ()},
    ]
    items = seed.initiatives.to_dict("records") + initiative_rows(
        "DOHOKU-03", "道北", "課題なし",
        [("実績", "施策甲", "やったこと", "", "", False),
         ("課題", "", "見出しのない課題", "", "", False),
         ("次年度", "施策甲", "やること", "宗谷", "", False)])
    # DOHOKU-03 has no KPI at all; DOHOKU-02 has nothing
    rows, master = kpi_rows(PROJECT_ID, SEED_KPIS)
    tables = make_tables(projects, measures, items, rows, master)
    book = openpyxl.load_workbook(build(tables, tmp_path))
    assert book.sheetnames == ["一覧", "DOHOKU-01", "DOHOKU-02", "DOHOKU-03", *DATA_SHEETS]
    empty = sheet_strings(book["DOHOKU-02"])
    assert "空っぽのプロジェクト" in empty and "（記載なし）" in empty and "（ＫＰＩの設定なし）" in empty
    third = sheet_strings(book["DOHOKU-03"])
    assert "・見出しのない課題" in third and not any(s.startswith("○") for s in third)
    assert "■施策甲" in third and "・やること（宗谷）" in third
    assert "今年度の主な取組（令和元年度（2019年度））" in third


def test_empty_frames_render(tmp_path):
    seed = seed_tables()
    empty = with_report(Tables(**{**seed.__dict__,
                                  "initiatives": seed.initiatives.iloc[0:0], "kpi": seed.kpi.iloc[0:0],
                                  "kpis": seed.kpis.iloc[0:0], "measures": seed.measures.iloc[0:0],
                                  "manifest": seed.manifest.iloc[0:0]}))
    book = openpyxl.load_workbook(build(empty, tmp_path))
    assert book.sheetnames == ["一覧", "DOHOKU-01", *DATA_SHEETS]


def test_kpi_years_follow_the_projects_kpis(tmp_path):
    kpis = [("X-K1", "指標X", "％", (2016, 10.5), (2024, 20.0), [11.25, 12.0])]
    rows, master = kpi_rows("X", kpis)
    projects = [{"project_id": "X", "region": "道北", "project": "別の年", "purpose": "目的", "order": 1}]
    tables = make_tables(projects, [], [], rows, master)
    ws = openpyxl.load_workbook(build(tables, tmp_path))["X"]
    head = find_row(ws, "H28（基準）")
    labels = [ws.cell(head, c).value for c in range(2, 11)]
    assert labels == ["H28（基準）", "H29", "H30", "R元", "R2", "R3", "R4", "R5", "R6（目標）"]
    value_row = head + 1
    assert ws.cell(value_row, 2).value == 10.5
    assert ws.cell(value_row, 2).number_format == '#,##0.00"％"'


# --- 一覧 (the first sheet) ------------------------------------------------------------------

OVERVIEW_HEAD = ["連携地域", "プロジェクト", "指標名", "単位", "基準", None, "最新実績", None, "目標", None,
                 "進捗率", "見込み", "実績の推移"]
OVERVIEW_SUBHEAD = [None, None, None, None, "年度", "値", "年度", "値", "年度", "値", None, None, None]


def _row(ws, row: int, last: int = 13) -> list:
    return [ws.cell(row, c).value for c in range(1, last + 1)]


def _zip_text(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read(name).decode("utf-8")


def _chart_data_rows(ws) -> dict[str, int]:
    """{指標名: row of its 実績値} in the project sheet's 「グラフの数値」 (1-based); the
    KPI's header row (name and years, the chart's categories) is the row above."""
    rows = {}
    for row in range(1, ws.max_row + 1):
        label = ws.cell(row, 1).value or ""
        if label.startswith("グラフの数値：") and ws.cell(row + 1, 1).value == "実績値":
            rows[label.removeprefix("グラフの数値：").rsplit("（単位：", 1)[0]] = row + 1
    return rows


@pytest.fixture(scope="module")
def seed_path(tmp_path_factory):
    return build(seed_tables(), tmp_path_factory.mktemp("seed_zip"))


def test_overview_lists_every_kpi_with_its_status(seed_book):
    ws = seed_book["一覧"]
    assert seed_book.sheetnames[0] == "一覧" and "一覧" in FIXED_SHEETS
    assert ws["A1"].value == "別紙２　プロジェクト推進管理表　ＫＰＩ一覧（見込み）"
    assert _row(ws, 2) == OVERVIEW_HEAD and _row(ws, 3) == OVERVIEW_SUBHEAD
    k1, k2 = SEED_KPIS
    # K1: 6,516 in H30 is below the line 5,949 → 7,400 (≈ 6,916.3 in H30): 遅れ
    assert _row(ws, 4)[:12] == ["道北", PROJECT, k1[1], "人", "H26", 5949, "H30", 6516, "R2", 7400,
                                0.881, "遅れ"]
    # K2: 1,115 ≥ 900: 達成 (progress 1115 / 900)
    assert _row(ws, 5)[:12] == ["道北", PROJECT, k2[1], "百万円", "H26", 594, "H30", 1115, "R2", 900,
                                1.239, "達成"]
    assert ws.cell(5, 11).value == pytest.approx(1.239)
    for row in (4, 5):
        for col in (6, 8, 10):
            assert ws.cell(row, col).data_type == "n" and ws.cell(row, col).number_format == "#,##0"
        assert ws.cell(row, 11).data_type == "n" and ws.cell(row, 11).number_format == "0.0%"
        link = ws.cell(row, 2).hyperlink
        assert link.location == "'DOHOKU-01'!A1" and not link.target
    assert ws.freeze_panes == "A4"
    # the rules, from the status table, below the KPI rows
    strings = sheet_strings(ws)
    for status in STATUSES:
        assert status.label in strings and status.rule in strings


def test_overview_conditional_formats_status_and_progress(seed_book):
    ws = seed_book["一覧"]
    rules = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rules.setdefault(str(cf.sqref), []).append(rule)
    progress = rules["K4:K5"]
    assert [(r.type, r.operator, r.formula) for r in progress] == [("cellIs", "greaterThanOrEqual", ["1"])]
    status = rules["L4:L5"]
    assert [(r.type, r.operator, r.formula) for r in status] == [
        ("cellIs", "equal", [f'"{s.label}"']) for s in STATUSES]
    for rule, expected in zip(status, STATUSES):
        font, fill = STATUS_COLOURS[expected.key]
        assert rule.dxf.fill.bgColor.rgb.endswith(fill[1:])
        assert rule.dxf.font.color.rgb.endswith(font[1:])


def test_overview_sparkline_shows_the_actuals_row_of_the_project_sheet(seed_book, seed_path):
    xml = _zip_text(seed_path, "xl/worksheets/sheet1.xml")
    sparks = re.findall(r"<x14:sparkline><xm:f>([^<]+)</xm:f><xm:sqref>([^<]+)</xm:sqref></x14:sparkline>", xml)
    project = seed_book["DOHOKU-01"]
    rows = _chart_data_rows(project)
    expected = []
    for cell, (_, indicator, *_rest) in zip(("M4", "M5"), SEED_KPIS):
        expected.append((f"'DOHOKU-01'!C{rows[indicator]}:F{rows[indicator]}", cell))
    assert sorted(sparks) == sorted(expected)  # xlsxwriter writes them last first
    assert 'type="column"' in xml
    # the referenced cells hold exactly the actuals H27 … H30
    for _, indicator, _, _, _, actuals in SEED_KPIS:
        assert [project.cell(rows[indicator], c).value for c in range(3, 7)] == actuals


def test_overview_prints_like_the_other_sheets(seed_book):
    ws = seed_book["一覧"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert 50 <= ws.page_setup.scale <= 100
    assert ws.print_title_rows == "$1:$3"
    assert ws.print_area == f"'一覧'!$A$1:$M${ws.max_row}"
    assert "&P" in ws.oddFooter.center.text and "ＫＰＩ一覧" in ws.oddFooter.right.text
    for row in range(1, ws.max_row + 1):
        if any(isinstance(ws.cell(row, c).value, str) for c in range(1, 14)):
            assert ws.row_dimensions[row].height, row


def test_overview_row_for_a_project_without_kpi(tmp_path):
    seed = seed_tables()
    projects = seed.projects.to_dict("records") + [
        {"project_id": "DOHOKU-02", "region": "道北", "project": "=指標のないプロジェクト", "purpose": "", "order": 2}]
    rows, master = kpi_rows(PROJECT_ID, SEED_KPIS)
    book = openpyxl.load_workbook(build(make_tables(projects, [], [], rows, master), tmp_path))
    ws = book["一覧"]
    assert _row(ws, 6)[:4] == ["道北", "=指標のないプロジェクト", "（ＫＰＩの設定なし）", None]
    assert ws.cell(6, 2).hyperlink.location == "'DOHOKU-02'!A1"
    assert ws.cell(6, 2).data_type == "s" and ws.cell(6, 2).quotePrefix
    assert _row(ws, 6)[4:] == [None] * 9


# --- charts on the project sheet ---------------------------------------------------------------

def test_one_line_chart_per_kpi_drawn_from_the_printed_numbers(seed_book, seed_path):
    with zipfile.ZipFile(seed_path) as book:
        charts = sorted(n for n in book.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
    assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
    # both on the project sheet (sheet2.xml: 一覧 is sheet1)
    assert "drawing1.xml" in _zip_text(seed_path, "xl/worksheets/_rels/sheet2.xml.rels")
    assert _zip_text(seed_path, "xl/drawings/_rels/drawing1.xml.rels").count("../charts/chart") == 2

    ws = seed_book["DOHOKU-01"]
    rows = _chart_data_rows(ws)
    assert len(rows) == 2
    for chart_name, (_, indicator, unit, (_, base), (_, target), actuals) in zip(charts, SEED_KPIS):
        head = rows[indicator] - 1
        assert _row(ws, head, 8) == [f"グラフの数値：{indicator}（単位：{unit}）",
                                     "H26", "H27", "H28", "H29", "H30", "R元", "R2"]
        xml = _zip_text(seed_path, chart_name)
        assert "<c:lineChart>" in xml and f"<a:t>{indicator}</a:t>" in xml
        series = re.findall(r"<c:ser>.*?</c:ser>", xml)
        assert [re.search(r"<c:tx><c:v>([^<]+)</c:v>", s).group(1) for s in series] == [
            "実績値", "目標値", "基準値→目標値（直線）"]
        first = rows[indicator]
        for offset, s in enumerate(series):
            assert re.search(r"<c:cat><c:strRef><c:f>([^<]+)</c:f>", s).group(1) == f"'DOHOKU-01'!$B${head}:$H${head}"
            assert re.search(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", s).group(1) == \
                f"'DOHOKU-01'!$B${first + offset}:$H${first + offset}"
        # the cells the series point at: actuals only / the target at R2 / the line 基準 → 目標
        assert _row(ws, first, 8)[1:] == [None, *actuals, None, None]
        assert _row(ws, first + 1, 8)[1:] == [None] * 6 + [target]
        line = _row(ws, first + 2, 8)[1:]
        assert line[0] == base and line[-1] == target
        assert line == pytest.approx([base + (target - base) * i / 6 for i in range(7)])
        # the cached values are the cells' (no 0 for an empty cell)
        actual_cache = re.findall(r'<c:pt idx="(\d)"><c:v>([^<]+)</c:v>', series[0].split("<c:val>")[1])
        assert actual_cache == [(str(i + 1), f"{v:g}") for i, v in enumerate(actuals)]
        assert '<a:prstDash val="dash"/>' in series[2] and "prstDash" not in series[0] + series[1]
        titles = re.findall(r"<c:title>.*?<a:t>([^<]+)</a:t>", xml)
        assert titles == [indicator, "年度", f"単位：{unit}"]
    # K1's line at H30 is the 見込み's expected value
    assert ws.cell(rows[SEED_KPIS[0][1]] + 2, 6).value == pytest.approx(5949 + 1451 * 4 / 6)


def test_charts_sit_in_reserved_rows_inside_the_print_area(seed_book, seed_path):
    ws = seed_book["DOHOKU-01"]
    drawing = _zip_text(seed_path, "xl/drawings/drawing1.xml")
    anchors = re.findall(r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>.*?</xdr:from>"
                         r"<xdr:to><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>", drawing)
    assert len(anchors) == 2
    grid = project_grid(7)
    (c1, r1, c2, r2), (c3, r3, c4, r4) = [tuple(map(int, a)) for a in anchors]
    assert r1 == r2 == r3 == r4                      # both in one row, side by side
    assert (c1, c2) == (0, grid.split - 1) and (c3, c4) == (grid.split, grid.last)
    row = r1 + 1                                     # 1-based
    assert ws.cell(row - 1, 1).value == "【ＫＰＩの推移】"  # the heading right above the chart row
    assert all(ws.cell(row, c).value is None for c in range(1, 9))
    assert ws.row_dimensions[row].height == (300 + 16) * 0.75   # at full size: it starts a page
    assert find_row(ws, "【ＫＰＩの状況】") < row < min(_chart_data_rows(ws).values()) <= ws.max_row
    assert ws.print_area.endswith(f"$H${ws.max_row}")


def test_chart_titles_never_become_references():
    from pipeline.xlsx.charts import _chart_text

    assert _chart_text("売上!A1の推移") == "売上！A1の推移"
    assert _chart_text("北海道における訪日ロシア人") == "北海道における訪日ロシア人"


def test_overview_and_charts_with_three_kpis_a_decreasing_one_and_one_without_actuals(tmp_path):
    kpis = [("X-K1", "待ち日数", "日", (2014, 50.0), (2020, 10.0), [45.0, 40.0, 30.0, 20.0]),
            ("X-K2", "新しい指標", "件", (2016, 0.0), (2022, 12.0), []),
            ("X-K3", "観光入込客数", "千人", (2014, 1200.5), (2020, 1500.0), [1210.2, 1250.0, float("nan"), 1320.7])]
    rows, master = kpi_rows("X", kpis)
    master[0]["direction"] = "減少"
    for row in rows:  # 減少, 達成率: progress = 目標値 ÷ 実績値
        if row["kpi_id"] == "X-K1" and row["kind"] == "actual" and row["value"] == row["value"]:
            row["progress"] = 10.0 / row["value"]
    projects = [{"project_id": "X", "region": "道北", "project": "三つの指標", "purpose": "目的", "order": 1}]
    path = build(make_tables(projects, [], [], rows, master), tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["一覧"]
    # 20 days in H30 is at or below the line 50 → 10 (≈ 23.3 in H30): 順調
    assert _row(ws, 4)[:12] == ["道北", "三つの指標", "待ち日数", "日", "H26", 50, "H30", 20, "R2", 10, 0.5, "順調"]
    assert _row(ws, 5)[:12] == ["道北", "三つの指標", "新しい指標", "件", "H28", 0, None, None, "R4", 12, None,
                                "未把握"]
    # the latest actual is H30 (H29 is not known yet); 1,320.7 is below ≈ 1,400.2 on the line
    assert _row(ws, 6)[:12] == ["道北", "三つの指標", "観光入込客数", "千人", "H26", 1200.5, "H30", 1320.7, "R2",
                                1500, 0.88, "遅れ"]
    assert ws.cell(6, 6).number_format == "#,##0.0"
    sparks = re.findall(r"<xm:f>([^<]+)</xm:f><xm:sqref>([^<]+)</xm:sqref>", _zip_text(path, "xl/worksheets/sheet1.xml"))
    rows = _chart_data_rows(book["X"])
    assert sorted(sparks) == sorted([(f"'X'!C{rows['待ち日数']}:F{rows['待ち日数']}", "M4"),
                                     (f"'X'!C{rows['観光入込客数']}:F{rows['観光入込客数']}", "M6")])
    with zipfile.ZipFile(path) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 3
    # the heading and both rows of charts (2 × 237 pt) fill a page of their own; the numbers follow
    ws = book["X"]
    charts = find_row(ws, "【ＫＰＩの推移】")
    assert [ws.row_dimensions[charts + i].height for i in (1, 2)] == [237, 237]
    assert [b.id for b in ws.row_breaks.brk] == [charts - 1, charts + 3]   # a break after row id
    assert ws.cell(charts + 4, 1).value == "グラフの数値：待ち日数（単位：日）"


def test_a_project_id_cannot_take_the_overview_name():
    assert project_sheet_names(["一覧", "X"])[0] != "一覧"


def test_books_get_their_own_copy_of_the_workbook_options():
    """xlsxwriter writes into the default_format_properties it is given (theme_font_name): a shared
    dict made the yearly book's default font a theme font after a 検証結果 book was written first."""
    import io

    import xlsxwriter

    from pipeline.xlsx.cells import WORKBOOK_OPTIONS, workbook_options

    before = copy.deepcopy(WORKBOOK_OPTIONS)
    for streaming in (False, True):
        options = workbook_options(streaming)
        book = xlsxwriter.Workbook(io.BytesIO(), {**options, "in_memory": True, "constant_memory": False})
        book.add_worksheet()
        book.close()
        assert "theme_font_name" in options["default_format_properties"]
    assert WORKBOOK_OPTIONS == before
    assert "theme_font_name" not in workbook_options()["default_format_properties"]


def test_a_finished_sheet_drops_the_merge_index_but_keeps_its_merges():
    import io
    import zipfile

    import xlsxwriter

    from pipeline.xlsx.cells import sheet_done

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("P")
    ws.merge_range(0, 0, 0, 2, "見出し")
    ws.merge_range(1, 0, 3, 0, "縦")
    assert len(ws.merged_cells) == 6
    sheet_done(ws)
    assert ws.merged_cells == {} and len(ws.merge) == 2
    book.close()
    xml = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
    assert '<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="A2:A4"/></mergeCells>' in xml


def _rows_xml(streaming: bool, forget: bool, tmp_path) -> tuple[str, object]:
    from pipeline.xlsx.cells import forget_written_rows, open_workbook

    path = tmp_path / f"{streaming}{forget}.xlsx"
    book = open_workbook(path, streaming)
    ws = book.add_worksheet("取組データ")
    for row in range(25):
        ws.write_string(row, 0, f"行{row}")
        ws.set_row(row, 20 + row)
        if forget and row % 10 == 9:
            forget_written_rows(ws)
    kept = (sorted(ws.row_info), sorted(ws.row_sizes))
    book.close()
    return zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode(), kept


def test_a_streamed_sheet_forgets_the_rows_it_has_written_and_keeps_their_heights(tmp_path):
    xml, kept = _rows_xml(True, True, tmp_path)
    assert kept == ([19, 20, 21, 22, 23, 24],) * 2   # row 19 was still being filled at the last forget
    assert xml == _rows_xml(True, False, tmp_path)[0]   # the same sheet as without forgetting
    heights = [float(h) for h in re.findall(r'<row r="\d+"[^>]* ht="([\d.]+)" customHeight="1"', xml)]
    assert len(heights) == 25 and heights == sorted(heights) and heights[0] >= 20 and heights[-1] >= 44


def test_a_sheet_in_memory_forgets_nothing(tmp_path):
    xml, kept = _rows_xml(False, True, tmp_path)
    assert kept == (list(range(25)), list(range(25)))
    assert xml == _rows_xml(False, False, tmp_path)[0]
