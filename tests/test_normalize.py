"""pipeline.normalize: header recognition, master parsing and lookups (cell parsers: test_cells.py)."""
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pipeline import load, normalize
from pipeline.errors import Problem
from schemas.cells import heading_key, key
from pipeline.normalize import (
    area_names, blank_rows, find_header, kpi_lookup, measure_lookup, project_lookup, recognise, region_of,
    section_of,
)

KINDS = ("取組", "KPI実績")
CSV = "submissions/稚内市.csv"
NO_HEADER = ("見出し行が見つかりません（最初の10行に 取組表（プロジェクト、区分、見出し、内容）"
             "またはKPI実績表（KPI、年度、実績値） の見出しが必要です）")
EMPTY = "空の表です（読み飛ばします）"
UNUSED = "この列は使われません（列名を確認してください）"
INITIATIVE_COLUMNS = ["プロジェクト", "区分", "見出し", "内容", "年度", "地域", "実施主体", "再掲", "順序", "備考",
                      "source_file", "source_sheet", "sheet_index", "source_row"]
KPI_COLUMNS = ["KPI", "年度", "実績値", "備考", "指標名（参考）", "単位", "対象年度", "source_file", "source_sheet", "sheet_index", "source_row"]


@pytest.fixture(scope="module")
def ref():
    return load.load_reference()


@pytest.fixture(scope="module")
def missing(ref):
    return ref.values["未確定"]


def csv_sheet(text: str, file: str = CSV, sheet: str = "", index: int = 0) -> load.RawSheet:
    return load.RawSheet(file, sheet, index, load.parse_csv(text))


# --- 区分, 地域 ------------------------------------------------------------------------

@pytest.mark.parametrize("value, section", [
    ("実績", "実績"),
    ("課題", "課題"),
    ("今年度", "今年度"),
    ("次年度", "次年度"),
    ("　今年度　", "今年度"),
    ("これまでの主な取組実績", "実績"),
    ("取組実績", "実績"),
    ("今後の取組を進める上での主な課題", "課題"),
    ("主な課題", "課題"),
    ("今年度の主な取組", "今年度"),
    ("今年度の主な取組（令和元年度（2019年度））", "今年度"),
    ("今年度の主な取組 (R1)", "今年度"),
    ("次年度の取組（令和２年度（2020年度））", "次年度"),
    ("次年度の主な取組", "次年度"),
])
def test_section_of(ref, value, section):
    assert section_of(value, ref) == section


@pytest.mark.parametrize("value", ["予定", "", None, "実績値", "（今年度）", 2019])
def test_section_of_unknown(ref, value):
    assert section_of(value, ref) is None


def test_area_names_dohoku(ref):
    names = area_names("道北", ref)
    for accepted in ("宗谷", "宗谷総合振興局", "宗谷振興局", "宗谷地域", "上川", "上川総合振興局", "留萌",
                     "留萌振興局", "連携地域", "道北", "道北連携地域"):
        assert accepted in names
    for rejected in ("十勝", "十勝総合振興局", "オホーツク", "宗谷総合", "道央広域"):
        assert rejected not in names
    assert names == {
        "道北", "道北連携地域", "連携地域",
        "上川", "上川総合振興局", "上川振興局", "上川地域",
        "留萌", "留萌総合振興局", "留萌振興局", "留萌地域",
        "宗谷", "宗谷総合振興局", "宗谷振興局", "宗谷地域",
    }


def test_area_names_unknown_region(ref):
    assert area_names("道東", ref) == set()
    assert area_names("", ref) == set()


@pytest.mark.parametrize("value, region", [
    ("道北", "道北"), ("道北連携地域", "道北"), (" 道北 ", "道北"), ("釧路・根室", "釧路・根室"),
    ("釧路・根室連携地域", "釧路・根室"), ("宗谷", None), ("", None), (None, None),
])
def test_region_of(ref, value, region):
    assert region_of(value, ref.regions) == region


# --- header search and recognise --------------------------------------------------------

def test_blank_rows():
    cells = load.parse_csv("a,\n,\n \u3000,\t\n,b\n")
    assert list(blank_rows(cells)) == [False, True, True, False]
    assert list(blank_rows(cells).index) == [1, 2, 3, 4]
    assert list(blank_rows(load.parse_csv(""))) == []


def test_find_header_any_column_order(ref):
    cells = load.parse_csv("表題,,\n年度,KPI,実績値\n2019,K1,1\n")
    assert find_header(cells, ref.headers, KINDS) == ("KPI実績", 2, {"年度": 0, "KPI": 1, "実績値": 2})


def test_find_header_none(ref):
    assert find_header(load.parse_csv("a,b\n"), ref.headers, KINDS) is None
    assert find_header(load.parse_csv(""), ref.headers, KINDS) is None


def test_recognise_title_and_blank_rows(ref):
    text = ("令和元年度 プロジェクト推進管理表 提出様式（稚内市）,,,\n"
            ",,,\n"
            "プロジェクト,区分,見出し,内容\n"
            "DOHOKU-01,実績,サハリン州等との友好交流の推進,・青少年交流事業\n"
            ",,,\n"
            " ,\u3000,,\n"
            'DOHOKU-01,今年度,サハリン州等との友好交流の推進,"一行目\n-二行目"\n'
            "DOHOKU-01,次年度,サハリン州等との友好交流の推進,青少年交流事業\n")
    table, problems = recognise(csv_sheet(text, index=3), ref.headers, KINDS)
    assert problems == []
    assert (table.file, table.sheet, table.kind, table.header_row) == (CSV, "", "取組", 3)
    assert table.headers == {"プロジェクト": "プロジェクト", "区分": "区分", "見出し": "見出し", "内容": "内容"}
    frame = table.frame
    assert list(frame.columns) == INITIATIVE_COLUMNS
    assert list(frame.index) == [0, 1, 2]
    assert list(frame["source_row"]) == [4, 7, 8]     # the Excel rows, blank rows skipped
    assert list(frame["区分"]) == ["実績", "今年度", "次年度"]
    assert list(frame["内容"]) == ["・青少年交流事業", "一行目\n-二行目", "青少年交流事業"]  # raw, as submitted
    for column in ("年度", "地域", "実施主体", "再掲", "順序", "備考"):
        assert list(frame[column]) == ["", "", ""]
    assert list(frame["source_file"]) == [CSV] * 3
    assert list(frame["source_sheet"]) == [""] * 3
    assert list(frame["sheet_index"]) == [3, 3, 3]


@pytest.mark.parametrize("header, written", [
    ("プロジェクト,区分,施策名,取組内容", {"プロジェクト": "プロジェクト", "区分": "区分", "見出し": "施策名", "内容": "取組内容"}),
    ("プロジェクト名,区分,施策,課題内容", {"プロジェクト": "プロジェクト名", "区分": "区分", "見出し": "施策", "内容": "課題内容"}),
    ("プロジェクトID,区分,課題見出し,内容", {"プロジェクト": "プロジェクトID", "区分": "区分", "見出し": "課題見出し",
                                     "内容": "内容"}),
    ("ﾌﾟﾛｼﾞｪｸﾄ, 区 分 ,見出し,内容\u3000", {"プロジェクト": "ﾌﾟﾛｼﾞｪｸﾄ", "区分": "区 分", "見出し": "見出し", "内容": "内容"}),
    ("ＫＰＩ,年度,実績値", {"KPI": "ＫＰＩ", "年度": "年度", "実績値": "実績値"}),
    ("kpi_id,年　度,値", {"KPI": "kpi_id", "年度": "年　度", "実績値": "値"}),
    ("指標名,年度,実績", {"KPI": "指標名", "年度": "年度", "実績値": "実績"}),
])
def test_recognise_header_aliases_and_full_width(ref, header, written):
    data = ",".join(["x"] * len(header.split(",")))
    table, problems = recognise(csv_sheet(f"{header}\n{data}\n"), ref.headers, KINDS)
    assert problems == []
    assert table.headers == written
    assert table.kind == ("KPI実績" if "KPI" in written else "取組")
    assert table.header_row == 1
    assert list(table.frame["source_row"]) == [2]


def test_recognise_kpi_table(ref):
    text = "KPI実績の提出,,,\n年度,KPI,実績値,備考\nH27,DOHOKU-01-K1,\"4,474\",\n平成28年度,DOHOKU-01-K1,－,未集計\n"
    table, problems = recognise(csv_sheet(text, "submissions/本庁.csv"), ref.headers, KINDS)
    assert problems == []
    assert (table.kind, table.header_row) == ("KPI実績", 2)
    assert table.positions == {"年度": 0, "KPI": 1, "実績値": 2, "備考": 3}
    assert list(table.frame.columns) == KPI_COLUMNS
    assert table.frame.to_dict("list") == {
        "KPI": ["DOHOKU-01-K1", "DOHOKU-01-K1"],
        "年度": ["H27", "平成28年度"],
        "実績値": ["4,474", "－"],
        "備考": ["", "未集計"],
        "指標名（参考）": ["", ""],
        "単位": ["", ""],
        "対象年度": ["", ""],
        "source_file": ["submissions/本庁.csv"] * 2,
        "source_sheet": ["", ""],
        "sheet_index": [0, 0],
        "source_row": [3, 4],
    }


def test_recognise_xlsx_like_cells_nan_blanks_and_numbers(ref):
    cells = pd.DataFrame([["KPI実績", np.nan, np.nan, np.nan],
                          ["KPI", "年度", "実績値", np.nan],
                          ["DOHOKU-01-K1", 2019, 4474, np.nan],
                          ["DOHOKU-01-K2", "R元", np.nan, np.nan]], index=[1, 2, 3, 4], dtype=object)
    sheet = load.RawSheet("submissions/本庁.xlsx", "KPI実績", 2, cells)
    table, problems = recognise(sheet, ref.headers, KINDS)
    assert problems == []
    assert table.header_row == 2
    assert list(table.frame["年度"]) == [2019, "R元"]
    assert list(table.frame["実績値"]) == [4474, ""]   # NaN blank → ""
    assert list(table.frame["備考"]) == ["", ""]
    assert list(table.frame["source_sheet"]) == ["KPI実績", "KPI実績"]
    assert list(table.frame["sheet_index"]) == [2, 2]
    assert list(table.frame["source_row"]) == [3, 4]


def test_recognise_header_only_gives_an_empty_table(ref):
    table, problems = recognise(csv_sheet("KPI,年度,実績値\n,,\n"), ref.headers, KINDS)
    assert problems == [Problem(CSV, "", 0, "", "データの行がありません（見出しの行だけの表です）", "warning")]
    assert table.kind == "KPI実績"
    assert table.frame.empty
    assert list(table.frame.columns) == KPI_COLUMNS


def test_recognise_header_on_row_10_is_found(ref):
    text = "表題\n" * 9 + "KPI,年度,実績値\nK1,2019,1\n"
    table, problems = recognise(csv_sheet(text), ref.headers, KINDS)
    assert problems == []
    assert table.header_row == 10
    assert list(table.frame["source_row"]) == [11]


def test_recognise_header_on_row_11_is_not_found(ref):
    text = "表題\n" + ",\n" * 9 + "KPI,年度,実績値\nK1,2019,1\n"
    table, problems = recognise(csv_sheet(text), ref.headers, KINDS)
    assert table is None
    assert problems == [Problem(CSV, "", 0, "", NO_HEADER, "error")]


def test_recognise_no_header(ref):
    text = "DOHOKU-01,実績,施策,内容\nDOHOKU-01,実績,施策,内容2\n"
    table, problems = recognise(csv_sheet(text), ref.headers, KINDS)
    assert table is None
    assert problems == [Problem(CSV, "", 0, "", NO_HEADER, "error")]
    assert problems[0].line() == f"{CSV}: {NO_HEADER}"


def test_recognise_missing_required_header_is_no_header(ref):
    # 内容 is required: without it the row is not a 取組 header
    table, problems = recognise(csv_sheet("プロジェクト,区分,見出し,地域\nD,実績,x,宗谷\n"), ref.headers, KINDS)
    assert table is None
    assert [p.message for p in problems] == [NO_HEADER]


def test_recognise_no_header_xlsx_line(ref):
    sheet = csv_sheet("メモ,\nx,y\n", "submissions/本庁.xlsx", "メモ", 1)
    table, problems = recognise(sheet, ref.headers, KINDS)
    assert table is None
    assert [p.line() for p in problems] == [f"submissions/本庁.xlsx:メモ: {NO_HEADER}"]


def test_recognise_no_header_message_for_one_kind(ref):
    table, problems = recognise(csv_sheet("a\n"), ref.headers, ("KPI実績",))
    assert problems == [Problem(CSV, "", 0, "", "見出し行が見つかりません（最初の10行に KPI実績表（KPI、年度、実績値） の見出しが必要です）")]


@pytest.mark.parametrize("text", ["", "\n", ",,\n,,\n", " ,\u3000\n\n"])
def test_recognise_empty_sheet(ref, text):
    table, problems = recognise(csv_sheet(text), ref.headers, KINDS)
    assert table is None
    assert problems == [Problem(CSV, "", 0, "", EMPTY, "warning")]
    assert problems[0].line() == f"{CSV}: 警告: {EMPTY}"


def test_recognise_empty_xlsx_sheet_line(ref):
    sheet = load.RawSheet("submissions/本庁.xlsx", "Sheet3", 2, pd.DataFrame())
    table, problems = recognise(sheet, ref.headers, KINDS)
    assert table is None
    assert [p.line() for p in problems] == ["submissions/本庁.xlsx:Sheet3: 警告: 空の表です（読み飛ばします）"]


def test_recognise_unknown_column_is_warned_and_dropped(ref):
    text = "表題,,,,\nプロジェクト,区分,見出し,内容,メモ欄\nD,実績,x,y,覚え書き\n"
    table, problems = recognise(csv_sheet(text), ref.headers, KINDS)
    assert problems == [Problem(CSV, "", 2, "メモ欄", UNUSED, "warning")]
    assert problems[0].line() == f"{CSV}:2: 警告: メモ欄: この列は使われません（列名を確認してください）"
    assert list(table.frame.columns) == INITIATIVE_COLUMNS
    assert "覚え書き" not in table.frame.iloc[0].tolist()


def test_recognise_a_column_named_twice_is_an_error(ref):
    # 指標名 is another name of KPI: which of the two columns holds the KPI is a guess
    table, problems = recognise(csv_sheet("KPI,指標名,年度,実績値\nK1,指標,2019,1\n"), ref.headers, KINDS)
    assert table.headers["KPI"] == "KPI"
    assert [p.line() for p in problems] == [
        f"{CSV}:1: B列「指標名」: A列「KPI」と同じ列（KPI）です。どちらの値を使うか決められないため、どちらか一方の列にしてください"]


def test_recognise_values_without_header_are_warned(ref):
    text = "プロジェクト,区分,見出し,内容,,\nD,実績,x,y,,\n,,,,,\nD,実績,x,z,,迷子\nD,実績,x,w,,また迷子\n"
    table, problems = recognise(csv_sheet(text), ref.headers, KINDS)
    # column E is blank throughout: no warning; column F warns once, at its first value (Excel row 4)
    assert problems == [Problem(CSV, "", 4, "", "F列に見出しがないため、この列の値は使われません", "warning")]
    assert problems[0].line() == f"{CSV}:4: 警告: F列に見出しがないため、この列の値は使われません"
    assert list(table.frame["source_row"]) == [2, 4, 5]


def test_recognise_values_without_header_in_xlsx(ref):
    sheet = csv_sheet(",KPI,年度,実績値\n,K1,2019,1\n迷子,K1,2020,2\n", "submissions/本庁.xlsx", "KPI実績", 0)
    table, problems = recognise(sheet, ref.headers, KINDS)
    assert [p.line() for p in problems] == [
        "submissions/本庁.xlsx:KPI実績:3: 警告: A列に見出しがないため、この列の値は使われません"]


@pytest.mark.parametrize("position, letter", [(0, "A"), (5, "F"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"),
                                              (702, "AAA")])
def test_column_letter(position, letter):
    assert normalize._column_letter(position) == letter


# --- masters ------------------------------------------------------------------------------

def _with_source(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    return frame.assign(source_file=file, source_sheet="", sheet_index=0,
                        source_row=list(range(2, len(frame) + 2)))


def test_parse_projects(ref):
    frame = _with_source(pd.DataFrame({
        "プロジェクトID": ["ＤＯＨＯＫＵ－０１", "DOHOKU-02"],
        "連携地域": ["道北連携地域", "道東"],
        "プロジェクト名": [" ロシア極東との交流推進プロジェクト ", "x"],
        "概要・目的": ["一行目\r\n二行目（ＰＲ）\n", ""],
        "表示順": ["１", "abc"],
    }, dtype=object), "master/projects.csv")
    out = normalize.parse_projects(frame, ref)
    assert list(out["project_id"]) == ["DOHOKU-01", "DOHOKU-02"]
    assert out["region"].iloc[0] == "道北"
    assert pd.isna(out["region"].iloc[1])          # unknown 連携地域: no region
    assert list(out["project"]) == ["ロシア極東との交流推進プロジェクト", "x"]
    assert list(out["purpose"]) == ["一行目\n二行目（ＰＲ）", ""]
    assert out["order"].tolist() == [1, pd.NA]
    assert list(out["source_row"]) == [2, 3]


def test_parse_measures():
    frame = _with_source(pd.DataFrame({
        "プロジェクトID": ["DOHOKU-01", "DOHOKU-01"],
        "施策名": ["■サハリン州等との友好交流の推進", "ロシア極東との人流・物流の活性化など経済交流の推進"],
        "表示順": ["1", ""],
        "別名": ["", " 別名A ; 別名B ;; "],
    }, dtype=object), "master/measures.csv")
    out = normalize.parse_measures(frame)
    assert list(out["measure"]) == ["サハリン州等との友好交流の推進", "ロシア極東との人流・物流の活性化など経済交流の推進"]
    assert out["order"].tolist() == [1, pd.NA]
    assert list(out["aliases"]) == [(), ("別名A", "別名B")]


def test_parse_kpis_defaults_and_bad_cells(ref):
    frame = _with_source(pd.DataFrame({
        "KPI_ID": ["DOHOKU-01-K1", "K2"],
        "プロジェクトID": ["DOHOKU-01", "DOHOKU-01"],
        "指標名": ["北海道における訪日ロシア人（新千歳空港等経由）", "x"],
        "単位": ["人", " 百万円 "],
        "基準年度": ["H26", "abc"],
        "基準値": ["5,949", "未確定"],
        "目標年度": ["R2", "２０２０"],
        "目標値": ["7,400", "abc"],
        "方向": ["", "減少"],
        "算定方法": ["", "改善率"],
    }, dtype=object), "master/kpis.csv")
    out = normalize.parse_kpis(frame, ref)
    assert list(out["kpi_id"]) == ["DOHOKU-01-K1", "K2"]
    assert list(out["unit"]) == ["人", "百万円"]
    assert out["base_year"].tolist() == [2014, pd.NA]
    assert out["target_year"].tolist() == [2020, 2020]
    assert out["base_value"].iloc[0] == 5949.0 and math.isnan(out["base_value"].iloc[1])
    assert out["target_value"].iloc[0] == 7400.0 and math.isnan(out["target_value"].iloc[1])
    assert list(out["direction"]) == ["増加", "減少"]
    assert list(out["method"]) == ["達成率", "改善率"]


# --- lookups --------------------------------------------------------------------------------

def test_project_lookup():
    projects = pd.DataFrame({
        "project_id": ["DOHOKU-01", "DOHOKU-02", ""],
        "project": ["ロシア極東との交流推進プロジェクト", "ＰＲプロジェクト", "IDのない行"],
    })
    assert project_lookup(projects) == {
        "DOHOKU-01": "DOHOKU-01",
        "ロシア極東との交流推進プロジェクト": "DOHOKU-01",
        "DOHOKU-02": "DOHOKU-02",
        "PRプロジェクト": "DOHOKU-02",   # names are keyed by NFKC
    }


def test_project_lookup_first_name_wins_and_empty():
    projects = pd.DataFrame({"project_id": ["P1", "P2"], "project": ["同名", "同名"]})
    assert project_lookup(projects) == {"P1": "P1", "P2": "P2", "同名": "P1"}
    assert project_lookup(pd.DataFrame({"project_id": [], "project": []})) == {}


def test_measure_lookup_aliases_map_to_the_canonical_name():
    measures = pd.DataFrame({
        "project_id": ["DOHOKU-01", "DOHOKU-01", "DOHOKU-02"],
        "measure": ["サハリン州等との友好交流の推進", "ロシア極東との人流・物流の活性化など経済交流の推進",
                    "サハリン州等との友好交流の推進"],
        "aliases": [(), ("ロシア極東との物流の活性化など経済交流の推進",), ()],
    })
    lookup = measure_lookup(measures)
    canonical = "ロシア極東との人流・物流の活性化など経済交流の推進"
    alias = "ロシア極東との物流の活性化など経済交流の推進"
    assert lookup == {
        ("DOHOKU-01", "サハリン州等との友好交流の推進"): ("サハリン州等との友好交流の推進", ""),
        ("DOHOKU-01", canonical): (canonical, ""),
        ("DOHOKU-01", alias): (canonical, alias),
        ("DOHOKU-02", "サハリン州等との友好交流の推進"): ("サハリン州等との友好交流の推進", ""),
    }
    # a heading pasted with a bullet and the line break of a narrow cell still finds the alias
    assert lookup[("DOHOKU-01", heading_key("■ロシア極東との物流の活性化など\n経済交流の推進"))] == (canonical, alias)
    assert ("DOHOKU-02", alias) not in lookup


@pytest.mark.parametrize("rows", [
    [("施策A", ("施策B",)), ("施策B", ())],
    [("施策B", ()), ("施策A", ("施策B",))],
])
def test_measure_lookup_canonical_name_beats_an_alias(rows):
    measures = pd.DataFrame({"project_id": ["P"] * 2, "measure": [r[0] for r in rows],
                             "aliases": [r[1] for r in rows]})
    assert measure_lookup(measures)[("P", "施策B")] == ("施策B", "")


def test_kpi_lookup():
    kpis = pd.DataFrame({
        "kpi_id": ["DOHOKU-01-K1", "DOHOKU-01-K2", ""],
        "indicator": ["北海道における訪日ロシア人（新千歳空港等経由）", "北海道からロシアへの道産食品の輸出額", "x"],
    })
    assert kpi_lookup(kpis) == {
        "DOHOKU-01-K1": "DOHOKU-01-K1",
        "北海道における訪日ロシア人(新千歳空港等経由)": "DOHOKU-01-K1",   # NFKC: （） → ()
        "DOHOKU-01-K2": "DOHOKU-01-K2",
        "北海道からロシアへの道産食品の輸出額": "DOHOKU-01-K2",
    }
    lookup = kpi_lookup(kpis)
    assert lookup[key("北海道における訪日ロシア人（新千歳空港等経由）")] == "DOHOKU-01-K1"
    assert lookup[key("ＤＯＨＯＫＵ－０１－Ｋ１")] == "DOHOKU-01-K1"
    assert "x" not in lookup


def test_recognised_frames_carry_valid_provenance(ref):
    """The provenance columns normalize adds satisfy schemas/provenance.py (checked here, not per run)."""
    from schemas import provenance

    text = "プロジェクト,区分,見出し,内容\nDOHOKU-01,実績,施策,内容です\n"
    for kinds, sheet in ((KINDS, csv_sheet(text, index=2)),
                         (KINDS, csv_sheet("KPI,年度,実績値\nK1,H27,1\nK1,H28,2\n"))):
        table, _ = recognise(sheet, ref.headers, kinds)
        provenance.schema().validate(table.frame)
        assert table.frame["source_row"].tolist()[0] == 2
    broken = table.frame.assign(source_row=0)
    with pytest.raises(Exception, match="greater_than_or_equal_to"):
        provenance.schema().validate(broken)


# --- 地域 house style and master/submitters.csv (issue 12) ----------------------------------------

def test_area_styles_print_every_bureau_short_and_every_region_as_renkei_chiiki(ref):
    from pipeline.normalize import area_styles

    styles = area_styles(ref)
    for written, printed in [("宗谷", "宗谷"), ("宗谷総合振興局", "宗谷"), ("宗谷振興局", "宗谷"), ("宗谷地域", "宗谷"),
                             ("留萌振興局", "留萌"), ("十勝総合振興局", "十勝"), ("連携地域", "連携地域"),
                             ("道北", "連携地域"), ("道北連携地域", "連携地域"), ("釧路・根室", "連携地域")]:
        assert styles[written] == printed, written
    assert "宗谷総合" not in styles and "市内" not in styles


def test_parse_submitters(ref):
    from pipeline.normalize import parse_submitters

    text = ("提出団体,種類,振興局,連携地域,プロジェクト,KPI,備考\n稚内市,市町村,宗谷総合振興局,,,,\n"
            "本庁,本庁,,,DOHOKU-01；DOHOKU-02 ,全て,\n十勝総合振興局,振興局,十勝,道北連携地域,,K1; K2,\n")
    table, problems = recognise(csv_sheet(text, "master/submitters.csv"), ref.headers, ("submitters",))
    assert problems == [] and table.kind == "submitters"
    parsed = parse_submitters(table.frame, ref)
    assert parsed[["name", "kind", "bureau", "region", "projects", "kpis"]].to_dict("records") == [
        {"name": "稚内市", "kind": "市町村", "bureau": "宗谷", "region": "道北", "projects": (), "kpis": ()},
        {"name": "本庁", "kind": "本庁", "bureau": None, "region": None, "projects": ("DOHOKU-01", "DOHOKU-02"),
         "kpis": ("全て",)},
        {"name": "十勝総合振興局", "kind": "振興局", "bureau": "十勝", "region": "道北", "projects": (),
         "kpis": ("K1", "K2")},
    ]


# --- pinned edges (mutation testing, bench/MUTATION.md) -----------------------------------

def test_recognised_cells_stay_python_objects_in_an_object_frame(ref):
    cells = pd.DataFrame([["KPI", "年度", "実績値"],
                          ["K1", 2019, 4474],
                          ["K1", 2020, 5000]], index=[1, 2, 3], dtype=object)
    table, _ = recognise(load.RawSheet("submissions/本庁.xlsx", "KPI実績", 0, cells), ref.headers, KINDS)
    frame = table.frame
    assert [str(frame[c].dtype) for c in ("KPI", "年度", "実績値", "備考")] == ["object"] * 4
    assert list(frame["年度"]) == [2019, 2020] and type(frame["実績値"].iloc[0]) is int
    assert (str(frame["sheet_index"].dtype), str(frame["source_row"].dtype)) == ("int64", "int64")


def test_blank_rows_is_boolean_even_when_empty():
    assert str(blank_rows(load.parse_csv("")).dtype) == "bool"
    assert str(blank_rows(load.parse_csv("a\n")).dtype) == "bool"


def test_header_specs_are_computed_once_per_headers_frame(ref):
    first = normalize._kind_headers(ref.headers, KINDS)
    assert normalize._kind_headers(ref.headers, KINDS) is first
    assert normalize._kind_headers(ref.headers, ("KPI実績",)) is not first


def test_a_stale_memo_of_another_headers_frame_is_not_used(ref):
    # a frame that happens to get the id of one that is gone must not inherit its specs
    extra = ref.headers.copy()
    extra["aliases"] = [(*a, "数値") if (t, c) == ("KPI実績", "実績値") else a
                        for t, c, a in zip(extra["table"], extra["column"], extra["aliases"])]
    kinds = ("KPI実績",)
    memo_key = (id(extra), kinds)
    normalize._SPECS[memo_key] = (ref.headers, normalize._kind_headers(ref.headers, kinds))
    try:
        found = find_header(load.parse_csv("KPI,年度,数値\n"), extra, kinds)
    finally:
        normalize._SPECS.pop(memo_key, None)
    assert found == ("KPI実績", 1, {"KPI": 0, "年度": 1, "実績値": 2})


def test_recognise_no_header_names_a_kind_without_a_label_by_itself():
    headers = pd.DataFrame({"table": ["メモ表", "メモ表"], "column": ["日付", "メモ"], "required": [True, True],
                            "aliases": [(), ()], "description": ["", ""]})
    table, problems = recognise(csv_sheet("a,b\n"), headers, ("メモ表",))
    assert table is None
    assert [p.message for p in problems] == ["見出し行が見つかりません（最初の10行に メモ表（日付、メモ） の見出しが必要です）"]


def test_recognise_warns_every_unused_column(ref):
    text = "プロジェクト,区分,見出し,内容,メモ欄,その他,\nD,実績,x,y,a,b,迷子\n"
    table, problems = recognise(csv_sheet(text), ref.headers, KINDS)
    assert problems == [Problem(CSV, "", 1, "メモ欄", UNUSED, "warning"),
                        Problem(CSV, "", 1, "その他", UNUSED, "warning"),
                        Problem(CSV, "", 2, "", "G列に見出しがないため、この列の値は使われません", "warning")]
    assert list(table.frame["内容"]) == ["y"]


def test_parse_kpis_missing_target_year_is_na(ref):
    frame = _with_source(pd.DataFrame({
        "KPI_ID": ["K1"], "プロジェクトID": ["P"], "指標名": ["x"], "単位": ["人"], "基準年度": ["H26"],
        "基準値": ["5,949人"], "目標年度": [""], "目標値": ["未確定"], "方向": [""], "算定方法": [""],
    }, dtype=object), "master/kpis.csv")
    out = normalize.parse_kpis(frame, ref)
    assert out["base_year"].tolist() == [2014] and out["target_year"].tolist() == [pd.NA]
    assert str(out["target_year"].dtype) == "Int64"
    assert out["base_value"].tolist() == [5949.0] and math.isnan(out["target_value"].iloc[0])
    assert (str(out["base_value"].dtype), str(out["target_value"].dtype)) == ("float64", "float64")


def test_parse_kpis_keeps_the_frame_index(ref):
    frame = _with_source(pd.DataFrame({
        "KPI_ID": ["K1", "K2"], "プロジェクトID": ["P", "P"], "指標名": ["x", "y"], "単位": ["人", "千m3"],
        "基準年度": ["H26", "H27"], "基準値": ["100", "945千m3"], "目標年度": ["R2", "R2"], "目標値": ["200", "1,072"],
        "方向": ["", ""], "算定方法": ["", ""],
    }, dtype=object), "master/kpis.csv").set_axis([10, 11])
    out = normalize.parse_kpis(frame, ref)
    assert list(out.index) == [10, 11]
    assert out["base_value"].tolist() == [100.0, 945.0] and out["target_value"].tolist() == [200.0, 1072.0]
    assert list(out["kpi_id"]) == ["K1", "K2"]


@pytest.mark.parametrize("value, bureau", [
    ("宗谷", "宗谷"), ("宗谷総合振興局", "宗谷"), ("宗谷地域", "宗谷"), ("ｵﾎｰﾂｸ総合振興局", "オホーツク"),
    ("道北", None), ("道北連携地域", None), ("連携地域", None),     # a 連携地域 is no 振興局
    ("市内", None), ("", None), (None, None),
])
def test_bureau_of(ref, value, bureau):
    assert normalize.bureau_of(value, ref) == bureau


@pytest.mark.parametrize("bureau, region", [("宗谷", "道北"), ("根室", "釧路・根室"), ("市内", None), (None, None)])
def test_region_of_bureau(ref, bureau, region):
    assert normalize.region_of_bureau(bureau, ref) == region


@pytest.mark.parametrize("value, parts", [("a; b；c", ("a", "b", "c")), (" ; ；", ()), ("", ()), (None, ()),
                                          ("DOHOKU-01", ("DOHOKU-01",))])
def test_listed(value, parts):
    assert normalize.listed(value) == parts


def test_parse_submitters_keeps_the_frame_index(ref):
    frame = _with_source(pd.DataFrame({
        "提出団体": ["稚内市", "本庁"], "種類": ["市町村", "本庁"], "振興局": ["宗谷", ""], "連携地域": ["", ""],
        "プロジェクト": ["", ""], "KPI": ["", ""],
    }, dtype=object), "master/submitters.csv").set_axis([5, 9])
    out = normalize.parse_submitters(frame, ref)
    assert list(out.index) == [5, 9]
    assert list(out["bureau"]) == ["宗谷", None] and list(out["region"]) == ["道北", None]


# --- the cells of header problems, settings (mutation testing, bench/MUTATION.md) ------------------

SAME_AS_KPI = "A列「KPI」と同じ列（KPI）です。どちらの値を使うか決められないため、どちらか一方の列にしてください"


def test_header_problems_name_their_cells_and_levels(ref):
    # a second KPI column written in lower case or with a blank inside is still the KPI column (an
    # error); each problem carries its cell for the feedback book (D1, E1, F1, and G2: the first value
    # under no header)
    xlsx = "submissions/本庁.xlsx"
    sheet = csv_sheet("KPI,年度,実績値,メモ,kpi,指標 名,\nK1,2019,1,a,K1,指標,迷子\n", xlsx, "KPI実績", 0)
    _, problems = recognise(sheet, ref.headers, KINDS)
    assert problems == [Problem(xlsx, "KPI実績", 1, "メモ", UNUSED, "warning"),
                        Problem(xlsx, "KPI実績", 1, "E列「kpi」", SAME_AS_KPI, "error"),
                        Problem(xlsx, "KPI実績", 1, "F列「指標 名」", SAME_AS_KPI, "error"),
                        Problem(xlsx, "KPI実績", 2, "", "G列に見出しがないため、この列の値は使われません", "warning")]
    assert [p.level for p in problems] == ["warning", "error", "error", "warning"]
    assert [p.cell() for p in problems] == ["D1", "E1", "F1", "G2"]


def test_parse_settings_names_each_known_item_as_the_reference_does(ref):
    frame = pd.DataFrame({"項目": [" 表題 ", "ＸＸ", "進捗率の表示"], "値": [" 管理表 ", "x", "上限付き"],
                          "source_file": ["master/settings.csv"] * 3, "source_sheet": [""] * 3,
                          "sheet_index": [0] * 3, "source_row": [2, 3, 4]})
    out = normalize.parse_settings(frame, ref)
    assert out["item"].tolist() == ["表題", "進捗率の表示"]
    assert out["name"].tolist() == ["title", "progress_display"]
    assert out["value"].tolist() == ["管理表", "上限付き"]
    assert out["source_row"].tolist() == [2, 4]


def test_settings_of_canonical_choice_free_value_and_default():
    # a choice written in another NFKC spelling becomes the reference's; free text stays as written
    tiny = SimpleNamespace(
        settings=pd.DataFrame({"item": ["出力", "表題", "別紙番号"], "name": ["output", "title", "attachment"],
                               "default": ["PDF", "管理表", ""]}),
        setting_choices={"出力": ("PDF", "Excel")})
    parsed = pd.DataFrame({"name": ["output", "title", "attachment"], "value": ["Ｅｘｃｅｌ", "別紙の表題", ""]})
    assert normalize.settings_of(parsed, tiny) == {"output": "Excel", "title": "別紙の表題", "attachment": ""}
    assert normalize.settings_of(parsed.iloc[:0], tiny) == {"output": "PDF", "title": "管理表", "attachment": ""}
