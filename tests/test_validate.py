"""Every check of the contract, with its exact message, on tiny inputs trees."""
from __future__ import annotations

import pytest

from pipeline.build import run
from pipeline.errors import InputError

H = "プロジェクト,区分,見出し,内容,年度,地域,実施主体,再掲,順序\n"
K = "KPI,年度,実績値\n"


def lines(inputs, level=None):
    """All problem lines of a run (errors make it raise; warnings come back on the result)."""
    try:
        result = run(inputs, 2019)
        problems = result.problems
    except InputError as exc:
        problems = exc.problems
    return [p.line() for p in problems if level is None or p.level == level]


def one(tree, body, header=H, name="submissions/a.csv"):
    return lines(tree({name: header + body}))


def test_valid_row_has_no_problem(tree):
    assert one(tree, "P1,実績,施策A,・交流会を開催,2019,宗谷,市・民間,○,1\n") == []


@pytest.mark.parametrize("body, expected", [
    ("P1,予定,施策A,x,,,,,\n", "submissions/a.csv:2: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）"),
    ("P1,,施策A,x,,,,,\n", "submissions/a.csv:2: 区分: 区分が空です"),
    ("P9,実績,施策A,x,,,,,\n",
     "submissions/a.csv:2: プロジェクト: 「P9」というプロジェクトはありません（master/projects.csv のプロジェクトIDまたはプロジェクト名）"),
    (",実績,施策A,x,,,,,\n", "submissions/a.csv:2: プロジェクト: プロジェクトが空です"),
    ("P1,実績,施策C,x,,,,,\n",
     "submissions/a.csv:2: 見出し: 「施策C」はプロジェクト「交流プロジェクト」の施策にありません（施策A・施策Bのいずれか）"),
    ("P1,今年度,,x,,,,,\n", "submissions/a.csv:2: 見出し: 今年度の見出しが空です（施策名が必要です: 施策A・施策B）"),
    ("P1,実績,施策A,,,,,,\n", "submissions/a.csv:2: 内容: 内容が空です"),
    ("P1,実績,施策A,x,2018,,,,\n", "submissions/a.csv:2: 年度: 「2018」（2018年度）は報告年度（2019年度）と違います"),
    ("P1,実績,施策A,x,来年,,,,\n",
     "submissions/a.csv:2: 年度: 「来年」は年度として読めません（例: 2019、2019年度、令和元年度、R1、R元、H31）"),
    ("P1,実績,施策A,x,,十勝,,,\n",
     "submissions/a.csv:2: 地域: 「十勝」は使えません（道北連携地域の振興局（上川・留萌・宗谷）、または「連携地域」）"),
    ("P1,実績,施策A,x,,,,済,\n", "submissions/a.csv:2: 再掲: 「済」は使えません（空欄、または ○・1・TRUE・はい・再掲）"),
    ("P1,実績,施策A,x,,,,,0\n", "submissions/a.csv:2: 順序: 「0」は使えません（1以上の整数）"),
    ("P1,実績,施策A,x,,,,,1.5\n", "submissions/a.csv:2: 順序: 「1.5」は使えません（1以上の整数）"),
])
def test_initiative_checks(tree, body, expected):
    assert one(tree, body) == [expected]


def test_lone_bullet_is_empty_text(tree):
    assert one(tree, "P1,実績,施策A,・,,,,,\n") == ["submissions/a.csv:2: 内容: 内容が空です"]


def test_text_over_2000_characters(tree):
    assert one(tree, f"P1,実績,施策A,{'あ' * 2001},,,,,\n") == [
        "submissions/a.csv:2: 内容: 2,001文字あります（2,000文字以内にしてください）"]
    assert one(tree, f"P1,実績,施策A,{'あ' * 2000},,,,,\n") == []


def test_alias_is_a_warning_and_maps_to_the_measure(tree):
    inputs = tree({"submissions/a.csv": H + "P1,実績,施策エー,x,,,,,\n"})
    result = run(inputs, 2019)
    assert [p.line() for p in result.problems] == [
        "submissions/a.csv:2: 警告: 見出し: 「施策エー」は施策「施策A」の別名です。「施策A」として扱います"]
    assert list(result.tables.initiatives["heading"]) == ["施策A"]


@pytest.mark.parametrize("area", ["宗谷", "宗谷総合振興局", "宗谷地域", "連携地域", "道北", "道北連携地域", "上川"])
def test_accepted_areas(tree, area):
    assert one(tree, f"P1,実績,施策A,x,,{area},,,\n") == []


def test_project_by_name_and_long_section_title(tree):
    body = "交流プロジェクト,今年度の主な取組（令和元年度（2019年度）),■施策B,x,,,,,\n"
    inputs = tree({"submissions/a.csv": H + body})
    frame = run(inputs, 2019).tables.initiatives
    assert (frame.loc[0, "project_id"], frame.loc[0, "section"], frame.loc[0, "heading"]) == ("P1", "今年度", "施策B")


def test_issue_heading_is_free_text_and_may_be_blank(tree):
    inputs = tree({"submissions/a.csv": H + "P1,課題,○交流環境の整備,x,,,,,\nP1,課題,,y,,,,,\n"})
    frame = run(inputs, 2019).tables.initiatives
    assert list(zip(frame["heading"], frame["text"])) == [("", "y"), ("交流環境の整備", "x")]


@pytest.mark.parametrize("body, expected", [
    ("K9,H27,1\n", "submissions/k.csv:2: KPI: 「K9」というKPIはありません（master/kpis.csv のKPI_IDまたは指標名）"),
    ("K1,H27,たくさん\n",
     "submissions/k.csv:2: 実績値: 「たくさん」は数値として読めません（例: 5949、5,949、5,949人、△12、12.5）"),
    ("K1,H27,150円\n", "submissions/k.csv:2: 実績値: 「150円」の単位「円」がKPIの単位「人」と違います"),
    ("K1,H25,150\n",
     "submissions/k.csv:2: 年度: 「H25」（2013年度）は範囲外です（基準年度 H26（2014年度）から報告年度 R元（2019年度）まで）"),
    ("K1,R2,150\n",
     "submissions/k.csv:2: 年度: 「R2」（2020年度）は範囲外です（基準年度 H26（2014年度）から報告年度 R元（2019年度）まで）"),
    ("K1,,150\n", "submissions/k.csv:2: 年度: 年度が空です"),
    ("K1,H27,未確定\n", "submissions/k.csv:2: 警告: 実績値: 実績値が未把握です（「未確定」）。空欄として扱います"),
    ("K1,H27,\n", "submissions/k.csv:2: 警告: 実績値: 実績値が未把握です（「」）。空欄として扱います"),
])
def test_kpi_actual_checks(tree, body, expected):
    assert one(tree, body, header=K, name="submissions/k.csv") == [expected]


def test_kpi_by_indicator_name_with_unit_suffix(tree):
    inputs = tree({"submissions/k.csv": K + "来訪者数,平成27年度,\"1,500人\"\n"})
    kpi = run(inputs, 2019).tables.kpi
    actual = kpi[kpi["kind"] == "actual"]
    assert list(zip(actual["kpi_id"], actual["year"], actual["value"])) == [("K1", 2015, 1500.0)]


def test_same_kpi_year_twice_different_values_names_both_places(tree):
    inputs = tree({"submissions/k.csv": K + "K1,H27,150\n", "submissions/z.csv": K + "K1,2015年度,160\n"})
    assert lines(inputs) == [
        "submissions/k.csv:2: 実績値: KPI「K1」のH27の実績値が2か所で違います: 「150」（この行）と「160」（submissions/z.csv:2）",
        "submissions/z.csv:2: 実績値: KPI「K1」のH27の実績値が2か所で違います: 「150」（submissions/k.csv:2）と「160」（この行）"]


def test_same_kpi_year_twice_same_value_is_a_warning_kept_once(tree):
    inputs = tree({"submissions/k.csv": K + "K1,H27,150\n", "submissions/z.csv": K + "K1,2015,\"150人\"\n"})
    result = run(inputs, 2019)
    assert [p.line() for p in result.problems] == [
        "submissions/z.csv:2: 警告: 実績値: KPI「K1」のH27の実績値が submissions/k.csv:2 と重複しています（同じ値のため1件として扱います）"]
    actual = result.tables.kpi[result.tables.kpi["kind"] == "actual"]
    assert list(actual["source_file"]) == ["submissions/k.csv"]


def test_master_checks(tree):
    projects = ("プロジェクトID,連携地域,プロジェクト名,概要・目的,表示順\n"
                "P1,道北,交流プロジェクト,x,1\nP1,道東,別プロジェクト,y,2\n")
    kpis = ("KPI_ID,プロジェクトID,指標名,単位,基準年度,基準値,目標年度,目標値,方向,算定方法\n"
            "K1,P1,来訪者数,人,H26,100,R2,100,,改善率\n"
            "K1,P1,輸出額,円,H26,5,R2,0,,\n"
            "K3,P7,来訪,人,R2,1,H26,2,横ばい,\n")
    inputs = tree({"master/projects.csv": projects, "master/kpis.csv": kpis})
    assert lines(inputs) == [
        "master/kpis.csv:2: 目標値: 目標値が基準値と同じため、改善率（(実績値 − 基準値) ÷ (目標値 − 基準値)）を計算できません",
        "master/kpis.csv:3: 目標値: 目標値が0のため、達成率（実績値 ÷ 目標値、減少の指標は 目標値 ÷ 実績値）を計算できません",
        "master/kpis.csv:3: KPI_ID: KPI_ID「K1」が重複しています（master/kpis.csv:2 と同じ）",
        "master/kpis.csv:4: 方向: 「横ばい」は使えません（増加・減少、空欄は増加）",
        "master/kpis.csv:4: プロジェクトID: 「P7」というプロジェクトはありません（master/projects.csv のプロジェクトID）",
        "master/kpis.csv:4: 目標年度: 目標年度（2014年度）が基準年度（2020年度）より後ではありません",
        "master/projects.csv:3: 連携地域: 「道東」は使えません（道央広域・道南・道北・オホーツク・十勝・釧路・根室のいずれか）",
        "master/projects.csv:3: プロジェクトID: プロジェクトID「P1」が重複しています（master/projects.csv:2 と同じ）",
    ]


def test_all_problems_of_all_files_are_collected(tree):
    inputs = tree({
        "submissions/a.csv": H + "P1,予定,施策A,x,,,,,\nP1,実績,施策A,,,,,,\n",
        "submissions/b.csv": K + "K1,H27,abc\n",
    })
    assert lines(inputs, "error") == [
        "submissions/a.csv:2: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）",
        "submissions/a.csv:3: 内容: 内容が空です",
        "submissions/b.csv:2: 実績値: 「abc」は数値として読めません（例: 5949、5,949、5,949人、△12、12.5）",
    ]


def test_xlsx_messages_name_the_sheet_and_excel_row(tree, tmp_path):
    import xlsxwriter

    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("取組")
    sheet.write_row(0, 0, ["令和元年度 提出様式"])
    sheet.write_row(2, 0, ["プロジェクト", "区分", "見出し", "取組内容"])
    sheet.write_row(3, 0, ["P1", "予定", "施策A", "x"])
    book.close()
    inputs = tree({"submissions/旭川市.xlsx": path.read_bytes()})
    assert lines(inputs) == ["submissions/旭川市.xlsx:取組:4: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）"]


def test_accounting_every_row_is_accepted_or_rejected(tree):
    inputs = tree({
        "submissions/a.csv": H + "P1,予定,施策A,x,,,,,\n\nP1,実績,施策A,y,,,,,\nP1,実績,施策Z,,,,,,\n",
        "submissions/b.csv": "何かの表\nx,y\n1,2\n",
    })
    with pytest.raises(InputError) as caught:
        run(inputs, 2019)
    manifest = caught.value.manifest.set_index("file")
    assert manifest.loc["submissions/a.csv", ["rows_read", "rows_accepted", "rows_rejected"]].tolist() == [3, 1, 2]
    assert manifest.loc["submissions/b.csv", ["rows_read", "rows_accepted", "rows_rejected"]].tolist() == [3, 0, 3]
    assert (manifest["rows_read"] == manifest["rows_accepted"] + manifest["rows_rejected"]).all()
    assert any(line.startswith("submissions/b.csv: 見出し行が見つかりません") for line in
               [p.line() for p in caught.value.problems])


def test_each_input_schema_declares_exactly_the_columns_of_headers_csv(ref):
    from pipeline.validate import SCHEMAS

    for kind, schema in SCHEMAS.items():
        declared = list(ref.headers.loc[ref.headers["table"] == kind, "column"])
        assert list(schema(ref).columns) == declared, kind
        assert all(column.description for column in schema(ref).columns.values()), kind


UNIT_KPIS = ("KPI_ID,プロジェクトID,指標名,単位,基準年度,基準値,目標年度,目標値,方向,算定方法\n"
             "W1,P1,取水量,千m3,H26,\"1,000千m3\",R2,1200,,\n"
             "C1,P1,CO2排出量,千t-CO2,H26,500,R2,400千t-CO2,減少,\n"
             "R1,P1,犯罪率,10万人当たり,H26,15.5,R2,12,減少,\n")


def test_kpi_units_with_digits_and_signs_are_taken_off_the_values(tree):
    inputs = tree({"master/kpis.csv": UNIT_KPIS,
                   "submissions/k.csv": K + "W1,H27,945千m3\nW1,H28,\"1,072千m3\"\nW1,H29,９４５千ｍ３\n"
                                            "C1,H27,△10千t−CO₂\nC1,H28,480\nR1,H27,12.510万人当たり\n"})
    result = run(inputs, 2019)
    assert result.problems == ()
    kpi = result.tables.kpi
    values = {(k, y): v for k, y, kind, v in zip(kpi["kpi_id"], kpi["year"], kpi["kind"], kpi["value"])
              if kind in ("actual", "baseline", "target")}
    assert values[("W1", 2014)] == 1000.0 and values[("W1", 2020)] == 1200.0
    assert [values[("W1", y)] for y in (2015, 2016, 2017)] == [945.0, 1072.0, 945.0]
    assert values[("C1", 2015)] == -10.0 and values[("C1", 2020)] == 400.0
    assert values[("R1", 2015)] == 12.5


@pytest.mark.parametrize("cell, expected", [
    ("945m2", "「945m2」の単位「m2」がKPIの単位「千m3」と違います"),
    ("945千t", "「945千t」の単位「千t」がKPIの単位「千m3」と違います"),
    ("945千千m3", "「945千千m3」の単位「千千m3」がKPIの単位「千m3」と違います"),
])
def test_a_number_with_another_unit_names_both_units(tree, cell, expected):
    inputs = tree({"master/kpis.csv": UNIT_KPIS, "submissions/k.csv": K + f"W1,H27,{cell}\n"})
    assert lines(inputs, "error") == [f"submissions/k.csv:2: 実績値: {expected}"]


def test_a_master_value_with_another_unit_is_an_error(tree):
    kpis = UNIT_KPIS.replace('"1,000千m3"', "1000m2")
    inputs = tree({"master/kpis.csv": kpis})
    assert lines(inputs, "error") == [
        "master/kpis.csv:2: 基準値: 「1000m2」の単位が「単位」の列と違います（単位を付けるなら「単位」の列と同じに）"]


# --- master/submitters.csv (issue 12) ---------------------------------------------------------

S = "提出団体,種類,振興局,連携地域,プロジェクト,KPI\n"


@pytest.mark.parametrize("body, expected", [
    ("稚内市,市町村,宗谷,道北,,\n本庁,本庁,,,P1,全て\n宗谷総合振興局,振興局,宗谷総合振興局,,,K1;K2\n", []),
    ("稚内市,町,宗谷,,,\n", ["master/submitters.csv:2: 種類: 「町」は使えません（市町村・振興局・本庁のいずれか）"]),
    ("稚内市,市町村,,,,\n", ["master/submitters.csv:2: 振興局: 市町村は振興局が必要です"]),
    ("稚内市,市町村,札幌,,,\n", ["master/submitters.csv:2: 振興局: 「札幌」という振興局はありません"]),
    ("帯広市,市町村,十勝,道北,,\n", ["master/submitters.csv:2: 振興局: 振興局「十勝」は連携地域「道北」にありません"]),
    ("稚内市,市町村,宗谷,北海道,,\n", ["master/submitters.csv:2: 連携地域: 「北海道」は使えません"]),
    ("本庁,本庁,,,P9,K9\n", ["master/submitters.csv:2: プロジェクト: 「P9」というプロジェクトはありません",
                           "master/submitters.csv:2: KPI: 「K9」というKPIはありません"]),
    ("稚内市,市町村,宗谷,,,\n稚内市,市町村,宗谷,,,\n",
     ["master/submitters.csv:3: 提出団体: 提出団体「稚内市」が重複しています（master/submitters.csv:2 と同じ）"]),
])
def test_submitter_checks(tree, body, expected):
    assert lines(tree({"master/submitters.csv": S + body})) == expected


def test_problems_know_their_cell_and_what_to_write(tree):
    from pipeline.build import run as build

    inputs = tree({"submissions/a.csv": "表題\n" + H + "P1,予定,施策A,x,,,,,\nP1,実績,施策C,x,,札幌,,,\n"})
    with pytest.raises(InputError) as caught:
        build(inputs, 2019)
    found = [(p.cell(), p.column, p.hint) for p in caught.value.problems]
    assert found == [("B3", "区分", "実績・課題・今年度・次年度のいずれか"), ("C4", "見出し", "施策A・施策B"),
                     ("F4", "地域", "上川・留萌・宗谷・連携地域")]


def test_kpi_unit_column_must_be_the_kpis_unit(tree):
    inputs = tree({"submissions/k.csv": "KPI,年度,実績値,単位\nK1,H27,150,人\nK1,H28,160,千人\n"})
    assert lines(inputs) == ["submissions/k.csv:3: 単位: 「千人」がKPIの単位「人」と違います"]


# --- issue 10: every text cell, repeated files ----------------------------------------------

def test_the_printed_line_of_an_item_must_fit_in_one_cell(tree):
    actors = "市" * 31_000
    body = f"P1,実績,施策A,{'あ' * 1_900},,宗谷,{actors},,\n"
    assert one(tree, body) == ["submissions/a.csv:2: 実施主体: 文字が多すぎます（管理表の1行（・内容（地域）（実施主体））が "
                               "32,911 文字。上限 32,767 文字。切り詰めずに止めます）"]


def test_a_long_text_in_a_master_is_an_error_too(tree):
    long = "あ" * 40_000
    assert lines(tree({"master/projects.csv": f"プロジェクトID,連携地域,プロジェクト名,概要・目的,表示順\nP1,道北,交流,{long},1\n"})) == [
        "master/projects.csv:2: 概要・目的: 文字が多すぎます（40,000 文字。上限 32,767 文字。切り詰めずに止めます）"]


def test_control_characters_in_a_master_are_warned(tree):
    assert lines(tree({"master/projects.csv": "プロジェクトID,連携地域,プロジェクト名,概要・目的,表示順\n"
                                              "P1,道北,交流\x07,概要,1\n"}), "warning") == [
        "master/projects.csv:2: 警告: プロジェクト名: 制御文字（U+0007）が入っています。そのまま残します（意図しない文字なら消してください）"]


def test_a_resubmission_with_more_rows_names_the_earlier_file(tree):
    first = H + "P1,実績,施策A,x,,,,,\n"
    again = H + "P1,実績,施策A,x,,,,,\nP1,実績,施策A,y,,,,,\n"
    assert lines(tree({"submissions/a.csv": first, "submissions/b.csv": again})) == [
        "submissions/a.csv: このファイルの 1 行はすべて submissions/b.csv にある行と同じです（同じ提出を2回置いていませんか。"
        "どちらか一方を消してください）"]


def test_files_sharing_some_rows_are_fine(tree):
    assert lines(tree({"submissions/a.csv": H + "P1,実績,施策A,x,,,,,\nP1,実績,施策A,z,,,,,\n",
                       "submissions/b.csv": H + "P1,実績,施策A,x,,,,,\nP1,実績,施策A,y,,,,,\n"})) == []
