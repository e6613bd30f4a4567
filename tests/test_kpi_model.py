"""The KPI model beyond 実績 ÷ 目標 (issue 14), through the pipeline on tiny input trees:
算定方法 as data (methods.csv), targets that are not one number, master/targets.csv
(interim, yearly, final), master/grades.csv, 対象年度 and 進捗率の表示 — each rule with
its exact message.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.build import run
from pipeline.errors import InputError
from pipeline.render import kpi_csv
from tests.builders import csv_rows

KPIS = "KPI_ID,プロジェクトID,指標名,単位,基準年度,基準値,目標年度,目標値,方向,算定方法\n"
K = "KPI,年度,実績値\n"
METHODS = "達成率・改善率・進捗割合型Ⅰ・進捗割合型Ⅱ・現状維持型Ⅰ・現状維持型Ⅱのいずれか、空欄は達成率"


def lines(inputs, fiscal_year=2019):
    try:
        return [p.line() for p in run(inputs, fiscal_year).problems]
    except InputError as exc:
        return [p.line() for p in exc.problems]


def kpis(*rows: str) -> dict:
    return {"master/kpis.csv": KPIS + "".join(row + "\n" for row in rows)}


# --- 算定方法 as data -----------------------------------------------------------------------------

def test_an_unknown_method_names_the_row_and_lists_the_known_ones(tree):
    inputs = tree(kpis("K1,P1,来訪者数,人,H26,100,R2,200,,進捗型"))
    assert lines(inputs) == [f"master/kpis.csv:2: 算定方法: 「進捗型」は使えません（{METHODS}）"]


ALIASES = (  # as written → the method's name, the 方向 it implies
    ("進捗割合型Ⅱ", "進捗割合型Ⅱ", "減少"),
    ("進捗割合型II", "進捗割合型Ⅱ", "減少"),     # Latin I I: NFKC turns Ⅱ into II
    ("進捗割合型２", "進捗割合型Ⅱ", "減少"),     # an alias, full-width
    ("現状維持型Ⅱ", "現状維持型Ⅱ", "減少"),
    ("現状維持型1", "現状維持型Ⅰ", "増加"),
    ("", "達成率", "増加"),
)


def test_a_method_alias_reads_as_its_name_and_implies_its_direction(tree):
    rows = [f"K{i},P1,指標{i},人,H26,100,R2,80,,{written}" for i, (written, _, _) in enumerate(ALIASES, 1)]
    tables = run(tree(kpis(*rows)), 2019).tables
    assert tables.kpis[["method", "direction"]].values.tolist() == [[m, d] for _, m, d in ALIASES]
    assert tables.formulas["進捗割合型Ⅱ"] == "improvement" and tables.formulas["現状維持型Ⅱ"] == "ceiling"


def test_a_direction_against_the_methods_is_an_error(tree):
    inputs = tree(kpis("K1,P1,来訪者数,人,H26,100,R2,80,増加,進捗割合型Ⅱ"))
    assert lines(inputs) == [
        "master/kpis.csv:2: 方向: 方向「増加」は算定方法「進捗割合型Ⅱ」（減少の指標の算定方法）と合いません（空欄か減少にしてください）"]


@pytest.mark.parametrize("row, message", [
    ("K1,P1,来訪者数,人,H26,100,R2,100,,進捗割合型Ⅰ",
     "master/kpis.csv:2: 目標値: 目標値が基準値と同じため、進捗割合型Ⅰ（(実績値 − 初期値) ÷ (目標値 − 初期値)）を計算できません"),
    ("K1,P1,来訪者数,人,H26,100,R2,0,減少,達成率",
     "master/kpis.csv:2: 目標値: 目標値が0のため、達成率（実績値 ÷ 目標値、減少の指標は 目標値 ÷ 実績値）を計算できません"),
    ("K1,P1,来訪者数,人,H26,100,R2,0,,現状維持型Ⅱ",
     "master/kpis.csv:2: 目標値: 目標値が0のため、現状維持型Ⅱ（1 − (実績値 − 目標値) ÷ 目標値）を計算できません"),
])
def test_a_method_that_cannot_be_computed_with_the_masters_values(tree, row, message):
    assert lines(tree(kpis(row))) == [message]


def test_an_actual_of_zero_for_a_decreasing_achievement_rate_is_a_warning_and_shows_a_dash(tree):
    inputs = tree({**kpis("K1,P1,待ち日数,日,H26,50,R2,10,減少,達成率"), "submissions/k.csv": K + "K1,H30,0\n"})
    result = run(inputs, 2019)
    assert [p.line() for p in result.problems] == [
        "submissions/k.csv:2: 警告: 実績値: 実績値が0のため、達成率（実績値 ÷ 目標値、減少の指標は 目標値 ÷ 実績値）"
        "を計算できません。進捗率は「－」にします"]
    (kpi,) = result.tables.report.pages[0].kpis
    assert kpi.progress == {2018: "－"}
    assert result.tables.report.statuses["label"].tolist() == ["順調"]   # 0 is below the line


# --- targets that are not one number ---------------------------------------------------------------

def test_a_bound_target_is_its_number_and_implies_the_direction(tree):
    inputs = tree(kpis("K1,P1,来訪者数,人,H26,100,R2,\"4,880以上\",,", "K2,P1,待ち日数,日,H26,50,R2,10日以下,,"))
    result = run(inputs, 2019)
    assert result.problems == ()
    assert result.tables.kpis[["target_value", "direction", "target_text"]].values.tolist() == [
        [4880.0, "増加", ""], [10.0, "減少", ""]]


def test_a_bound_against_the_written_direction_is_a_warning(tree):
    inputs = tree(kpis("K1,P1,来訪者数,人,H26,100,R2,200以上,減少,"))
    result = run(inputs, 2019)
    assert [p.line() for p in result.problems] == [
        "master/kpis.csv:2: 警告: 目標値: 目標値「200以上」は増加の目標ですが、方向は「減少」です（方向の「減少」として扱います）"]
    assert result.tables.kpis["direction"].tolist() == ["減少"]


def test_a_bound_number_with_another_unit_is_an_error(tree):
    assert lines(tree(kpis("K1,P1,輸出額,百万円,H26,100,R2,200千円以上,,"))) == [
        "master/kpis.csv:2: 目標値: 「200千円以上」の単位が「単位」の列と違います（単位を付けるなら「単位」の列と同じに）"]


def test_a_text_target_is_accepted_with_a_warning_printed_as_written_without_progress(tree):
    inputs = tree({**kpis("K1,P1,里親等委託率,％,H26,36.1,R2,現状より増加,,"),
                   "submissions/k.csv": K + "K1,H30,36.4\n"})
    result = run(inputs, 2019)
    assert [p.line() for p in result.problems] == [
        "master/kpis.csv:2: 警告: 目標値: 目標値「現状より増加」は数値ではありません。書かれたとおりに表示し、"
        "進捗率は「－」、見込みは未把握とします"]
    tables = result.tables
    assert tables.kpis["target_text"].tolist() == ["現状より増加"] and math.isnan(tables.kpis["target_value"][0])
    (kpi,) = tables.report.pages[0].kpis
    assert kpi.values[2020] == ("現状より増加", "target") and kpi.progress == {2018: "－"}
    (row,) = tables.report.overview
    assert (row.kpi["label"], row.kpi["shown_progress"], row.kpi["target_text"]) == ("未把握", "－", "現状より増加")
    assert [r["value"] for r in csv_rows(kpi_csv(tables)) if r["kind"] == "target"] == [""]


@pytest.mark.parametrize("target", ["－", "未確定", ""])
def test_a_missing_target_is_still_an_error(tree, target):
    (line,) = lines(tree(kpis(f"K1,P1,来訪者数,人,H26,100,R2,{target},,")))
    assert line.startswith("master/kpis.csv:2: 目標値: 目標値が空")


# --- master/targets.csv ----------------------------------------------------------------------------

TOURISM = "K1,P1,観光入込客数,万人,R4,\"3,756\",R14,\"4,880以上\",,改善率"


def targets(body: str) -> dict:
    return {"master/targets.csv": "KPI_ID,年度,目標値,種別\n" + body}


def test_interim_and_final_targets_make_a_piecewise_line(tree):
    # base R4 3,756 → interim R9 4,880 → final R14 4,880; R6 actual 4,100
    files = {**kpis(TOURISM), **targets("K1,R9,\"4,880\",中間\n観光入込客数,R14,4880,最終目標\n"),
             "submissions/k.csv": K + "K1,R6,\"4,100\"\n"}
    result = run(tree(files, 2024), 2024)
    assert result.problems == ()
    rows = result.tables.kpi[["year", "kind", "value"]].values.tolist()
    assert rows == [[2022, "baseline", 3756.0], [2024, "actual", 4100.0], [2027, "interim", 4880.0],
                    [2032, "target", 4880.0]]
    (status,) = result.tables.report.statuses.to_dict("records")
    # on the piecewise line R6 is 3,756 + 1,124 × 2/5 = 4,205.6 (the straight line to R14: 3,980.8)
    assert status["expected"] == pytest.approx(4205.6, abs=1e-9) and status["label"] == "遅れ"
    (kpi,) = result.tables.report.pages[0].kpis
    assert kpi.piecewise and kpi.target == {2027: 4880.0, 2032: 4880.0}
    assert kpi.line[2024] == pytest.approx(4205.6) and kpi.line[2029] == 4880.0
    assert kpi.values[2027] == (4880.0, "interim") and kpi.values[2032] == (4880.0, "target")
    assert "中間目標・年度目標のあるＫＰＩは" in result.tables.report.legend[1].rule


def test_without_the_interim_target_the_same_actual_is_on_track(tree):
    files = {**kpis(TOURISM), "submissions/k.csv": K + "K1,R6,\"4,100\"\n"}
    (status,) = run(tree(files, 2024), 2024).tables.report.statuses.to_dict("records")
    assert status["expected"] == pytest.approx(3980.8) and status["label"] == "順調"


@pytest.mark.parametrize("body, message", [
    ("K9,R9,4880,中間\n", "master/targets.csv:2: KPI_ID: 「K9」というKPIはありません（master/kpis.csv のKPI_IDまたは指標名）"),
    ("K1,R4,4000,中間\n", "master/targets.csv:2: 年度: R4の目標は、基準年度（R4）より後で目標年度（R14）より前の年度にしてください"),
    ("K1,R15,4000,年度\n", "master/targets.csv:2: 年度: R15の目標は、基準年度（R4）より後で目標年度（R14）より前の年度にしてください"),
    ("K1,R13,5000,最終\n",
     "master/targets.csv:2: 種別: 最終の目標は kpis.csv の目標年度・目標値（R14・4,880）と同じにしてください（最終の目標は kpis.csv で決めます）"),
    ("K1,R9,4880,中期\n", "master/targets.csv:2: 種別: 「中期」は使えません（中間・年度・最終のいずれか）"),
    ("K1,R9,大幅増,中間\n",
     "master/targets.csv:2: 目標値: 「大幅増」は数値として読めません（中間・年度・最終の目標値は数値。以上・以下は付けられます）"),
    ("K1,R9,4880千人,中間\n", "master/targets.csv:2: 目標値: 「4880千人」の単位がKPIの単位「万人」と違います"),
    ("K1,R9,4880以下,中間\n",
     "master/targets.csv:2: 警告: 目標値: 目標値「4880以下」は減少の目標ですが、方向は「増加」です（方向の「増加」として扱います）"),
    ("K1,R9,\"3,756\",年度\n",
     "master/targets.csv:2: 目標値: 目標値が基準値と同じため、改善率（(実績値 − 基準値) ÷ (目標値 − 基準値)）を計算できません"),
])
def test_target_rows_are_checked(tree, body, message):
    assert lines(tree({**kpis(TOURISM), **targets(body)}, 2024), 2024) == [message]


def test_two_targets_of_one_year_are_an_error(tree):
    assert lines(tree({**kpis(TOURISM), **targets("K1,R9,4880,中間\nK1,R9,4800,年度\n")}, 2024), 2024) == [
        "master/targets.csv:3: 年度: KPI「K1」のR9の目標が master/targets.csv:2 と重複しています"]


# --- master/grades.csv ------------------------------------------------------------------------------

GRADES = {"master/grades.csv": "評価,進捗率の下限\n◎,100\n○,60%\n△,３０\n×,\n"}


def test_grades_on_the_kpi_table_the_overview_and_kpi_csv(tree):
    files = {**GRADES, "submissions/k.csv": K + "K1,H27,90\nK1,H28,130\nK1,H29,210\nK2,H29,30\n"}
    tables = run(tree(files), 2019).tables
    assert tables.grades == (("◎", 1.0), ("○", 0.6), ("△", 0.3), ("×", None))
    k1, k2 = tables.report.pages[0].kpis
    # K1 達成率 of 200: 45 %, 65 %, 105 %; K2 改善率 50 → 10: (50 − 30) ÷ 40 = 50 %
    assert k1.grades == {2015: "△", 2016: "○", 2017: "◎"} and k2.grades == {2017: "△"}
    assert tables.report.graded and tables.report.pages[0].graded
    assert [row.kpi["grade"] for row in tables.report.overview] == ["◎", "△"]
    assert [(r["year"], r["grade"]) for r in csv_rows(kpi_csv(tables)) if r["kind"] == "actual"] == [
        ("2015", "△"), ("2016", "○"), ("2017", "◎"), ("2017", "△")]


def test_without_a_scale_no_grades(tree):
    tables = run(tree({"submissions/k.csv": K + "K1,H27,90\n"}), 2019).tables
    assert not tables.report.graded and tables.report.pages[0].kpis[0].grades == {}
    assert "grade" not in csv_rows(kpi_csv(tables))[0]


@pytest.mark.parametrize("body, message", [
    ("A,80\nB,90\n", "master/grades.csv:3: 進捗率の下限: 下限（90%）が前の行の下限（80%）より小さくありません（上の評価から順に、下限の大きい順に）"),
    ("A,\nB,50\n", "master/grades.csv:2: 進捗率の下限: 下限が空欄の評価は最後の行にしてください（空欄は下限なし）"),
    ("A,8割\n", "master/grades.csv:2: 進捗率の下限: 「8割」は進捗率の下限として読めません（％の数値。例：80、80%）"),
    ("A,80\nA,50\n", "master/grades.csv:3: 評価: 評価「A」が重複しています（master/grades.csv:2 と同じ）"),
])
def test_grade_scales_are_checked(tree, body, message):
    assert lines(tree({"master/grades.csv": "評価,進捗率の下限\n" + body})) == [message]


# --- 対象年度 and 進捗率の表示 -----------------------------------------------------------------------

def test_a_measured_year_is_kept_and_one_after_the_reported_year_is_an_error(tree):
    files = {"submissions/k.csv": "KPI,年度,実績値,対象年度\nK1,H29,150,H27\nK1,H30,160,H30\nK1,R元,170,\n"}
    tables = run(tree(files), 2019).tables
    actual = tables.kpi[tables.kpi["kind"] == "actual"]
    assert [None if pd.isna(v) else int(v) for v in actual["measured_year"]] == [2015, None, None]
    assert tables.report.pages[0].kpis[0].measured == {2017: 2015}
    assert lines(tree({"submissions/k.csv": "KPI,年度,実績値,対象年度\nK1,H29,150,H30\n"})) == [
        "submissions/k.csv:2: 対象年度: 対象年度（H30）が年度（H29）より後です（実績値が表す年度は、報告する年度かそれより前）"]


def test_a_progress_display_that_is_not_a_choice_is_an_error(tree):
    assert lines(tree({"master/settings.csv": "項目,値\n進捗率の表示,丸め\n"})) == [
        "master/settings.csv:2: 値: 「丸め」は使えません（進捗率の表示は数値・上限付きのいずれか）"]


def test_the_progress_display_is_read_in_its_canonical_spelling(tree):
    tables = run(tree({"master/settings.csv": "項目,値\n進捗率の表示, 上限付き \n"}), 2019).tables
    assert tables.settings["progress_display"] == "上限付き" and tables.report.capped


# --- the workbook: interim and final targets, the piecewise chart, 評価 -----------------------------

def test_the_workbook_shows_interim_and_final_targets_grades_and_the_piecewise_line(tree, tmp_path):
    import re
    import zipfile

    from pipeline.load import xlsx_sheets
    from pipeline.render import write_outputs

    files = {**kpis(TOURISM), **targets("K1,R9,\"4,880\",中間\n"), **GRADES,
             "submissions/k.csv": K + "K1,R5,\"4,038\"\nK1,R6,\"4,100\"\n"}
    tables = run(tree(files, 2024), 2024).tables
    path = write_outputs(tables, tmp_path / "out")[-1]
    sheets = dict(xlsx_sheets(path.read_bytes(), only=["P1", "一覧"]))
    rows = sheets["P1"].values.tolist()
    header = next(r for r in rows if r[0] == "指標")
    assert header[1:] == ["R4（基準）", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14（目標）"]
    values = next(r for r in rows if str(r[0]).startswith("観光入込客数"))
    assert [None if v != v else v for v in values[1:]] == [3756, 4038, 4100, None, None, 4880, None, None, None,
                                                            None, 4880]   # R9 the interim, R14 the final target
    grades = next(r for r in rows if r[0] == "＜評価＞")
    # 改善率 (4,038 − 3,756) ÷ 1,124 = 25.1 % → ×; (4,100 − 3,756) ÷ 1,124 = 30.6 % → △
    assert grades[2:4] == ["×", "△"]
    series = next(r for r in rows if str(r[0]).startswith("基準値→目標値"))
    assert series[0] == "基準値→目標値（折れ線）"
    overview = sheets["一覧"].values.tolist()
    assert "評価" in overview[1] and overview[3][overview[1].index("評価")] == "△"
    with zipfile.ZipFile(path) as book:
        chart = next(book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/chart"))
    assert "基準値→目標値（折れ線）" in chart and len(re.findall(r"<c:ser>", chart)) == 3


def test_verify_rebuilds_a_book_with_every_new_setting_from_its_own_sheets(tree, tmp_path):
    """進捗率の表示 and the 評価 scale are recorded on 出典 (only when used), so that verify can
    write the same book again from the book alone; formulas come from the reference data."""
    from pipeline.load import xlsx_sheets
    from pipeline.render import write_outputs
    from pipeline.verify_job import verify_book
    from pipeline.xlsx.sources_readback import read_sources

    files = {**kpis(TOURISM, "K2,P1,刑法犯認知件数,件,R4,\"10,193\",R14,\"10,193\",,現状維持型Ⅱ",
                    "K3,P1,里親等委託率,％,R4,36.1,R14,現状より増加,,"),
             **targets("K1,R9,\"4,880\",中間\nK2,R6,\"10,000\",年度\n"), **GRADES,
             "master/settings.csv": "項目,値\n進捗率の表示,上限付き\n",
             "submissions/k.csv": "KPI,年度,実績値,対象年度\nK1,R6,\"4,100\",R5\nK2,R6,\"9,000\",\nK3,R6,36.4,\n"}
    path = write_outputs(run(tree(files, 2024), 2024).tables, tmp_path / "out")[-1]
    sources = read_sources("book", dict(xlsx_sheets(path.read_bytes(), only=["出典"]))["出典"])
    assert (sources.display, sources.grades) == ("上限付き", (("◎", 1.0), ("○", 0.6), ("△", 0.3), ("×", None)))
    _, check = verify_book(path)
    assert check.basis == "data" and check.differences == () and check.ok
