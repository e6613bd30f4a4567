"""pipeline.load: finding, decoding and reading the input files of one FY."""
import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline import load
from pipeline.errors import Problem
from schemas.cells import is_blank
from schemas.limits import LimitExceeded, read_limits
from tests.builders import write_xlsx

TEXT = "プロジェクト,区分,見出し,内容\nDOHOKU-01,実績,サハリン州等との友好交流の推進,・青少年交流事業（稚内市）\n"
ROWS = [["プロジェクト", "区分", "見出し", "内容"],
        ["DOHOKU-01", "実績", "サハリン州等との友好交流の推進", "・青少年交流事業（稚内市）"]]

MISSING_MASTER = "ファイルがありません（マスタは必須です）"
UNDECODABLE = "文字コードを判別できません（UTF-8 または Shift_JIS（CP932）で保存してください）"
BAD_XLSX = "Excel ファイル（.xlsx）として読めません（壊れているか、別の形式のファイルです）"
UNDERSCORE_SHEET = "名前が「_」で始まるシートは読みません"
NOT_A_TABLE = "CSV・xlsx 以外のファイルは読みません"

# bytes that are neither UTF-8 nor CP932 (0x81 is a CP932 lead byte; a space cannot follow it)
UNDECODABLE_BYTES = "プロジェクト".encode("cp932") + b"\x81\x20"


def make_fy(tmp_path: Path, fy: int = 2019, masters: bool = True) -> Path:
    """inputs/<fy>/ with (optionally) the three master files; returns inputs/."""
    inputs = tmp_path / "inputs"
    root = inputs / str(fy)
    (root / "submissions").mkdir(parents=True)
    if masters:
        (root / "master").mkdir()
        (root / "master" / "projects.csv").write_text(
            "プロジェクトID,連携地域,プロジェクト名,概要・目的,表示順\nDOHOKU-01,道北,ロシア極東との交流推進プロジェクト,概要,1\n",
            encoding="utf-8-sig")
        (root / "master" / "measures.csv").write_text(
            "プロジェクトID,施策名,表示順,別名\nDOHOKU-01,サハリン州等との友好交流の推進,1,\n", encoding="cp932")
        (root / "master" / "kpis.csv").write_text(
            "KPI_ID,プロジェクトID,指標名,単位,基準年度,基準値,目標年度,目標値\n"
            'DOHOKU-01-K1,DOHOKU-01,訪日ロシア人,人,H26,"5,949",R2,"7,400"\n', encoding="utf-8")
    return inputs


def cells_as_lists(frame: pd.DataFrame) -> list:
    return [list(row) for row in frame.itertuples(index=False)]


# --- decode_csv --------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932", "utf-16", "utf-16-le", "utf-16-be"])
def test_decode_csv(encoding):
    data = TEXT.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert load.decode_csv(data) == TEXT


def test_decode_csv_strips_the_bom():
    assert load.decode_csv("\ufeffKPI".encode("utf-8")) == "KPI"
    assert load.decode_csv("KPI".encode("utf-16")) == "KPI"


def test_decode_csv_cp932_only_characters():
    text = "①ＰＲ～髙"  # NEC/IBM extensions and a full-width tilde only CP932 has
    assert load.decode_csv(text.encode("cp932")) == text


def test_decode_csv_empty():
    assert load.decode_csv(b"") == ""


@pytest.mark.parametrize("data", [UNDECODABLE_BYTES, b"\x81", b"\xef\xbb\xbf\xff\xfe"[:3] + b"\x81\x20"])
def test_decode_csv_undecodable(data):
    with pytest.raises(UnicodeError):
        load.decode_csv(data)


# --- parse_csv ----------------------------------------------------------------------

def test_parse_csv_rows_are_numbered_like_excel():
    frame = load.parse_csv("a,b\nc,d\n")
    assert list(frame.index) == [1, 2]
    assert list(frame.columns) == [0, 1]
    assert cells_as_lists(frame) == [["a", "b"], ["c", "d"]]


def test_parse_csv_quoted_line_break_is_one_row():
    text = 'プロジェクト,内容\nDOHOKU-01,"次の事業を実施\n-物産展\n-ビジネスマッチング"\nDOHOKU-01,最後\n'
    frame = load.parse_csv(text)
    assert list(frame.index) == [1, 2, 3]
    assert frame.loc[2, 1] == "次の事業を実施\n-物産展\n-ビジネスマッチング"
    assert frame.loc[3, 1] == "最後"


def test_parse_csv_keeps_crlf_inside_a_quoted_cell_and_splits_on_crlf():
    frame = load.parse_csv('a,b\r\n"x\r\ny",z\r\n')
    assert list(frame.index) == [1, 2]
    assert frame.loc[2, 0] == "x\r\ny"
    assert frame.loc[2, 1] == "z"


def test_parse_csv_pads_ragged_rows_with_blanks():
    frame = load.parse_csv("表題\n\na,b,c\n1,2\n")
    assert frame.shape == (4, 3)
    assert cells_as_lists(frame) == [["表題", "", ""], ["", "", ""], ["a", "b", "c"], ["1", "2", ""]]


def test_parse_csv_cells_are_raw_text():
    frame = load.parse_csv('" 5,949 ",０１\n')
    assert frame.loc[1, 0] == " 5,949 "
    assert frame.loc[1, 1] == "０１"


def test_parse_csv_empty():
    frame = load.parse_csv("")
    assert frame.shape == (0, 0)
    assert list(frame.index) == []


# --- read_csv_file / read_xlsx_file ----------------------------------------------------

def test_read_csv_file(tmp_path):
    path = tmp_path / "稚内市.csv"
    path.write_bytes(TEXT.encode("cp932"))
    source = load.read_csv_file(path, "submissions/稚内市.csv")
    assert source.file == "submissions/稚内市.csv"
    assert source.sha256 == hashlib.sha256(TEXT.encode("cp932")).hexdigest()
    assert source.skipped_sheets == ()
    (sheet,) = source.sheets
    assert (sheet.file, sheet.sheet, sheet.sheet_index) == ("submissions/稚内市.csv", "", 0)
    assert cells_as_lists(sheet.cells) == ROWS


def test_digest():
    assert load.digest(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_read_xlsx_rows_are_excel_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "宗谷総合振興局.xlsx", {
        "取組": {
            (0, 0): "令和元年度 プロジェクト推進管理表 提出様式（宗谷総合振興局）",
            (2, 0): "プロジェクト", (2, 1): "区分", (2, 2): "見出し", (2, 3): "内容",
            (3, 0): "DOHOKU-01", (3, 1): "実績", (3, 2): "施策", (3, 3): "一行目\n二行目",
            (4, 0): 5949, (4, 1): 12.5,
        },
    })
    source = load.read_xlsx_file(path, "submissions/宗谷総合振興局.xlsx")
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    (sheet,) = source.sheets
    assert (sheet.file, sheet.sheet, sheet.sheet_index) == ("submissions/宗谷総合振興局.xlsx", "取組", 0)
    cells = sheet.cells
    assert list(cells.index) == [1, 2, 3, 4, 5]
    assert list(cells.columns) == [0, 1, 2, 3]
    assert cells.loc[1, 0] == "令和元年度 プロジェクト推進管理表 提出様式（宗谷総合振興局）"
    assert cells.loc[1, 1:].map(is_blank).all()
    assert cells.loc[2].map(is_blank).all()
    assert list(cells.loc[3]) == ["プロジェクト", "区分", "見出し", "内容"]
    assert cells.loc[4, 3] == "一行目\n二行目"
    assert cells.loc[5, 0] == 5949
    assert cells.loc[5, 1] == 12.5
    assert is_blank(cells.loc[5, 2])


def test_read_xlsx_keeps_leading_blank_rows_and_columns(tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", {"KPI実績": {(2, 2): "KPI", (3, 2): "DOHOKU-01-K1"}})
    (sheet,) = load.read_xlsx_file(path, "submissions/b.xlsx").sheets
    assert sheet.cells.shape == (4, 3)
    assert list(sheet.cells.index) == [1, 2, 3, 4]
    assert sheet.cells.loc[3, 2] == "KPI"
    assert sheet.cells.loc[4, 2] == "DOHOKU-01-K1"
    assert sheet.cells.loc[[1, 2]].map(is_blank).all().all()


def test_read_xlsx_skips_underscore_sheets_and_keeps_workbook_positions(tmp_path):
    path = write_xlsx(tmp_path / "本庁.xlsx", {
        "_記入要領": {(0, 0): "記入要領"},
        "取組": {(0, 0): "x"},
        "_メモ": {(0, 0): "y"},
        "KPI実績": {(0, 0): "z"},
        "空": {},
    })
    source = load.read_xlsx_file(path, "submissions/本庁.xlsx")
    assert source.skipped_sheets == ("_記入要領", "_メモ")
    assert [(s.sheet, s.sheet_index) for s in source.sheets] == [("取組", 1), ("KPI実績", 3), ("空", 4)]
    assert source.sheets[2].cells.shape == (0, 0)


# --- load_inputs ------------------------------------------------------------------------

def test_load_inputs_reads_masters(tmp_path):
    inputs = make_fy(tmp_path)
    result = load.load_inputs(inputs, 2019)
    assert result.fiscal_year == 2019
    assert result.problems == ()
    assert result.submissions == ()
    assert list(result.masters) == ["projects", "measures", "kpis"]
    assert {name: m.file for name, m in result.masters.items()} == {
        "projects": "master/projects.csv", "measures": "master/measures.csv", "kpis": "master/kpis.csv"}
    # UTF-8 with BOM, CP932 and UTF-8 masters all decode
    assert cells_as_lists(result.masters["measures"].sheets[0].cells) == [
        ["プロジェクトID", "施策名", "表示順", "別名"], ["DOHOKU-01", "サハリン州等との友好交流の推進", "1", ""]]
    assert result.masters["projects"].sheets[0].cells.loc[1, 0] == "プロジェクトID"
    assert result.masters["kpis"].sheets[0].cells.loc[2, 5] == "5,949"


def test_load_inputs_missing_masters(tmp_path):
    inputs = make_fy(tmp_path, masters=False)
    result = load.load_inputs(inputs, 2019)
    assert result.masters == {}
    assert result.problems == (
        Problem("master/projects.csv", "", 0, "", MISSING_MASTER),
        Problem("master/measures.csv", "", 0, "", MISSING_MASTER),
        Problem("master/kpis.csv", "", 0, "", MISSING_MASTER),
    )
    assert result.problems[0].line() == "master/projects.csv: ファイルがありません（マスタは必須です）"


def test_load_inputs_one_master_missing(tmp_path):
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "master" / "measures.csv").unlink()
    result = load.load_inputs(inputs, 2019)
    assert list(result.masters) == ["projects", "kpis"]
    assert result.problems == (Problem("master/measures.csv", "", 0, "", MISSING_MASTER),)


def test_load_inputs_missing_fy_folder(tmp_path):
    inputs = make_fy(tmp_path)
    result = load.load_inputs(inputs, 2020)
    assert result.fiscal_year == 2020
    assert result.submissions == ()
    assert [p.file for p in result.problems] == ["master/projects.csv", "master/measures.csv", "master/kpis.csv"]
    assert all(p.level == "error" and p.message == MISSING_MASTER for p in result.problems)


def test_load_inputs_undecodable_master(tmp_path):
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "master" / "kpis.csv").write_bytes(UNDECODABLE_BYTES)
    result = load.load_inputs(inputs, 2019)
    assert list(result.masters) == ["projects", "measures"]
    assert result.problems == (Problem("master/kpis.csv", "", 0, "", UNDECODABLE),)


def test_load_inputs_broken_xlsx(tmp_path):
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "submissions" / "壊れた.xlsx").write_bytes(bytes(range(256)) * 8)
    result = load.load_inputs(inputs, 2019)
    assert result.submissions == ()
    assert result.problems == (Problem("submissions/壊れた.xlsx", "", 0, "", BAD_XLSX),)
    assert result.problems[0].line() == f"submissions/壊れた.xlsx: {BAD_XLSX}"


def test_load_inputs_empty_xlsx_file(tmp_path):
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "submissions" / "空.xlsx").write_bytes(b"")
    result = load.load_inputs(inputs, 2019)
    assert result.problems == (Problem("submissions/空.xlsx", "", 0, "", "空のファイルです（0 バイト。読み飛ばします）", "warning"),)


def test_load_inputs_undecodable_csv(tmp_path):
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "submissions" / "稚内市.csv").write_bytes(UNDECODABLE_BYTES)
    result = load.load_inputs(inputs, 2019)
    assert result.submissions == ()
    assert result.problems == (Problem("submissions/稚内市.csv", "", 0, "", UNDECODABLE),)


def test_load_inputs_reads_a_field_of_any_length(tmp_path):
    # csv's own field limit (131,072) is lifted: the cell is read, and validate names it (cell_chars)
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "submissions" / "長い.csv").write_text('"' + "あ" * 200_000 + '"\n', encoding="utf-8")
    result = load.load_inputs(inputs, 2019)
    assert result.problems == ()
    assert len(result.submissions[0].sheets[0].cells.iloc[0, 0]) == 200_000


@pytest.mark.parametrize("name", ["旧.xls", "旧.XLS", "マクロ.xlsm", "b.xlsb", "c.ods", "d.numbers"])
def test_load_inputs_other_spreadsheets_are_errors(tmp_path, name):
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "submissions" / name).write_bytes(b"whatever")
    result = load.load_inputs(inputs, 2019)
    suffix = Path(name).suffix.lower()
    assert result.submissions == ()
    assert result.problems == (
        Problem(f"submissions/{name}", "", 0, "", f"{suffix} 形式は読めません（.xlsx または .csv で保存し直してください）"),)


def test_load_inputs_xls_message(tmp_path):
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "submissions" / "旭川市.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (problem,) = load.load_inputs(inputs, 2019).problems
    assert problem.line() == "submissions/旭川市.xls: .xls 形式は読めません（.xlsx または .csv で保存し直してください）"
    assert problem.level == "error"


@pytest.mark.parametrize("name", ["メモ.txt", "README", "写真.png"])
def test_load_inputs_other_files_are_warnings(tmp_path, name):
    inputs = make_fy(tmp_path)
    (inputs / "2019" / "submissions" / name).write_text("x", encoding="utf-8")
    result = load.load_inputs(inputs, 2019)
    assert result.submissions == ()
    assert result.problems == (Problem(f"submissions/{name}", "", 0, "", NOT_A_TABLE, "warning"),)
    assert result.problems[0].line() == f"submissions/{name}: 警告: CSV・xlsx 以外のファイルは読みません"


def test_load_inputs_ignores_lock_and_os_files(tmp_path):
    inputs = make_fy(tmp_path)
    sub = inputs / "2019" / "submissions"
    (sub / "~$lock.xlsx").write_bytes(b"not a workbook")
    (sub / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (sub / "._稚内市.csv").write_bytes(b"\x00\x05\x16\x07")
    result = load.load_inputs(inputs, 2019)
    assert result.submissions == ()
    assert result.problems == ()


def test_load_inputs_finds_subfolders_sorted_with_slash_paths(tmp_path):
    inputs = make_fy(tmp_path)
    sub = inputs / "2019" / "submissions"
    (sub / "宗谷").mkdir()
    (sub / "宗谷" / "稚内市.csv").write_text(TEXT, encoding="utf-8")
    (sub / "b.csv").write_text(TEXT, encoding="cp932")
    (sub / "a").mkdir()
    (sub / "a" / "z.CSV").write_bytes(TEXT.encode("utf-16"))
    write_xlsx(sub / "c" / "d" / "e.xlsx", {"取組": {(0, 0): "KPI"}})
    result = load.load_inputs(inputs, 2019)
    assert result.problems == ()
    assert [s.file for s in result.submissions] == [
        "submissions/a/z.CSV", "submissions/b.csv", "submissions/c/d/e.xlsx", "submissions/宗谷/稚内市.csv"]
    for source in result.submissions:
        for sheet in source.sheets:
            assert sheet.file == source.file
    for i in (0, 1, 3):
        assert cells_as_lists(result.submissions[i].sheets[0].cells) == ROWS


def test_load_inputs_xlsx_with_underscore_sheet(tmp_path):
    inputs = make_fy(tmp_path)
    write_xlsx(inputs / "2019" / "submissions" / "本庁.xlsx", {
        "_記入要領": {(0, 0): "記入要領"},
        "取組": {(0, 0): "表題", (2, 0): "プロジェクト", (2, 1): "区分", (2, 2): "見出し", (2, 3): "内容",
                (3, 0): "DOHOKU-01", (3, 1): "実績", (3, 2): "施策", (3, 3): "内容"},
    })
    result = load.load_inputs(inputs, 2019)
    assert result.problems == (Problem("submissions/本庁.xlsx", "_記入要領", 0, "", UNDERSCORE_SHEET, "warning"),)
    assert result.problems[0].line() == "submissions/本庁.xlsx:_記入要領: 警告: 名前が「_」で始まるシートは読みません"
    (source,) = result.submissions
    assert source.skipped_sheets == ("_記入要領",)
    (sheet,) = source.sheets
    assert (sheet.sheet, sheet.sheet_index) == ("取組", 1)
    assert list(sheet.cells.index) == [1, 2, 3, 4]
    assert list(sheet.cells.loc[3]) == ["プロジェクト", "区分", "見出し", "内容"]


def test_load_inputs_problems_follow_path_order(tmp_path):
    inputs = make_fy(tmp_path, masters=False)
    sub = inputs / "2019" / "submissions"
    (sub / "c.txt").write_text("x")
    (sub / "a.xls").write_bytes(b"x")
    (sub / "b.xlsx").write_bytes(b"x")
    result = load.load_inputs(inputs, 2019)
    assert [(p.file, p.level) for p in result.problems] == [
        ("master/projects.csv", "error"), ("master/measures.csv", "error"), ("master/kpis.csv", "error"),
        ("submissions/a.xls", "error"), ("submissions/b.xlsx", "error"), ("submissions/c.txt", "warning")]


# --- fiscal_years ------------------------------------------------------------------------

def test_fiscal_years(tmp_path):
    inputs = tmp_path / "inputs"
    for name in ("2020", "2019", "2021", "abcd", "201", "20190", "R元"):
        (inputs / name).mkdir(parents=True)
    (inputs / "2022").write_text("a file, not a folder")
    assert load.fiscal_years(inputs) == [2019, 2020, 2021]


def test_fiscal_years_empty_and_missing(tmp_path):
    assert load.fiscal_years(tmp_path) == []
    assert load.fiscal_years(tmp_path / "nope") == []
    (tmp_path / "file").write_text("x")
    assert load.fiscal_years(tmp_path / "file") == []


def test_fiscal_years_lists_only_folders_load_inputs_can_read(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "2019").mkdir(parents=True)
    (inputs / "２０２０").mkdir()
    years = load.fiscal_years(inputs)
    assert all((inputs / str(year)).is_dir() for year in years), years


def test_fiscal_years_ignores_digit_like_names(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "2019").mkdir(parents=True)
    (inputs / "²⁰¹⁹").mkdir()
    assert load.fiscal_years(inputs) == [2019]


# --- load_reference ----------------------------------------------------------------------

def test_load_reference_regions():
    ref = load.load_reference()
    assert list(ref.regions.columns) == ["region", "name", "bureaus", "order"]
    assert len(ref.regions) == 6
    assert list(ref.regions["region"]) == ["道央広域", "道南", "道北", "オホーツク", "十勝", "釧路・根室"]
    assert list(ref.regions["order"]) == [1, 2, 3, 4, 5, 6]
    dohoku = ref.regions[ref.regions["region"] == "道北"].iloc[0]
    assert dohoku["name"] == "道北連携地域"
    assert dohoku["bureaus"] == ("上川", "留萌", "宗谷")
    assert ref.regions.iloc[0]["bureaus"] == ("空知", "石狩", "後志", "胆振", "日高")
    assert ref.regions.iloc[5]["bureaus"] == ("釧路", "根室")


def test_load_reference_sections():
    ref = load.load_reference()
    assert ref.section_order == ("実績", "課題", "今年度", "次年度")
    assert ref.sections["実績"] == "実績"
    assert ref.sections["これまでの主な取組実績"] == "実績"
    assert ref.sections["今後の取組を進める上での主な課題"] == "課題"
    assert ref.sections["今年度の主な取組"] == "今年度"
    assert ref.sections["次年度の取組"] == "次年度"
    assert len(ref.sections) == 12


def test_load_reference_headers():
    ref = load.load_reference()
    h = ref.headers
    assert list(h.columns) == ["table", "column", "required", "aliases", "description"]
    kpi = h[h["table"] == "KPI実績"]
    assert list(kpi["column"]) == ["KPI", "年度", "実績値", "備考", "指標名（参考）", "単位", "対象年度"]
    assert list(kpi["required"]) == [True, True, True, False, False, False, False]
    assert kpi.iloc[0]["aliases"] == ("KPI_ID", "指標名", "指標")
    assert kpi.iloc[3]["aliases"] == ()
    initiative = h[h["table"] == "取組"]
    assert list(initiative.loc[initiative["required"], "column"]) == ["プロジェクト", "区分", "見出し", "内容"]


def test_load_reference_values():
    ref = load.load_reference()
    assert set(ref.values) == {"再掲", "未確定", "地域接尾辞", "連携地域語", "方向", "目標の範囲", "目標の種別",
                               "提出団体の種類", "KPIの指定", "様式の補助シート"}
    assert list(ref.values["提出団体の種類"]) == ["市町村", "振興局", "本庁"]
    assert ref.values["KPIの指定"] == {"全て": "全て", "すべて": "全て"}
    assert list(ref.values["様式の補助シート"]) == ["_記入要領", "_選択肢"]
    assert ref.values["未確定"] == {"-": "", "―": "", "—": "", "ー": "", "−": "", "未確定": ""}
    assert ref.values["再掲"]["TRUE"] == "はい"
    assert ref.values["再掲"]["○"] == "はい"
    assert ref.values["再掲"]["×"] == "いいえ"
    assert list(ref.values["地域接尾辞"]) == ["総合振興局", "振興局", "地域"]
    assert ref.values["方向"] == {"増加": "", "減少": ""}
    assert ref.values["目標の範囲"] == {"以上": "増加", "以下": "減少"}
    assert ref.values["目標の種別"] == {"中間": "interim", "中間目標": "interim", "年度": "yearly",
                                     "年度目標": "yearly", "最終": "target", "最終目標": "target"}


def test_load_reference_from_another_folder_sorts_by_display_order(tmp_path):
    (tmp_path / "regions.csv").write_text(
        "連携地域,表示名,振興局,表示順\nB,B連携地域,x; y ;,10\nA,A連携地域,z,2\n", encoding="utf-8")
    (tmp_path / "sections.csv").write_text(
        "区分,別名,表示順\n後,ＡＢ;,10\n先,,9\n", encoding="utf-8")
    (tmp_path / "headers.csv").write_text("表,列,必須,別名,説明\nT,C,1,a;b,\nT,D,0,,\n", encoding="utf-8")
    (tmp_path / "values.csv").write_text("種類,値,意味\n印, ｔｒｕｅ ,はい\n", encoding="utf-8")
    (tmp_path / "settings.csv").write_text("項目,名前,既定値,最大文字数,説明\n題,title,表,5,\n", encoding="utf-8")
    ref = load.load_reference(tmp_path)
    assert ref.settings.to_dict("records") == [
        {"item": "題", "name": "title", "default": "表", "max_length": 5, "description": ""}]
    assert list(ref.regions["region"]) == ["A", "B"]          # 2 before 10: numeric order
    assert list(ref.regions["bureaus"]) == [("z",), ("x", "y")]
    assert ref.section_order == ("先", "後")
    assert ref.sections == {"後": "後", "AB": "後", "先": "先"}  # aliases NFKC'd
    assert list(ref.headers["required"]) == [True, False]
    assert list(ref.headers["aliases"]) == [("a", "b"), ()]
    assert ref.values == {"印": {"TRUE": "はい"}}                # NFKC, trimmed, upper-cased


def test_xlsx_texts_that_pandas_would_blank_are_kept(tmp_path):
    """NA, None, null … are what a submitter wrote, not blanks (pandas' reader would drop them)."""
    path = write_xlsx(tmp_path / "a.xlsx", {"S": {(0, 0): "NA", (0, 1): "None", (0, 2): "null", (2, 0): 5949.0,
                                                  (2, 1): 12.5, (3, 3): ""}})
    source = load.read_xlsx_file(path, "submissions/a.xlsx")
    cells = source.sheets[0].cells
    assert list(cells.index) == [1, 2, 3]
    assert cells.loc[1].tolist()[:3] == ["NA", "None", "null"]
    assert all(is_blank(v) for v in cells.loc[2])
    assert cells.loc[3].tolist()[:2] == [5949, 12.5] and isinstance(cells.loc[3, 0], int)


# --- issue 10: encodings, limits, what is never followed ---------------------------------------

# What a submitter types in Excel → the bytes Excel's "CSV" (CP932, best fit) saves → what
# Excel shows when the file is opened again.  The output keeps what Excel shows.
CP932_TYPED = {"〜": (b"\x81\x60", "～"), "～": (b"\x81\x60", "～"), "−": (b"\x81\x7c", "－"), "－": (b"\x81\x7c", "－"),
               "‖": (b"\x81\x61", "∥"), "￠": (b"\x81\x91", "￠"), "￡": (b"\x81\x92", "￡"), "￢": (b"\x81\xca", "￢")}


@pytest.mark.parametrize("typed", list(CP932_TYPED))
def test_cp932_classic_characters_decode_as_excel_shows_them(typed):
    saved, shown = CP932_TYPED[typed]
    assert load.decode_csv("内容,".encode("cp932") + saved + b"\n") == f"内容,{shown}\n"


def test_utf8_keeps_every_classic_character_as_typed():
    text = "内容," + "".join(CP932_TYPED) + "\n"
    assert load.decode_csv(text.encode("utf-8")) == text


def test_mixed_encodings_name_a_line_of_each():
    data = "a,b\n".encode() + "漢字,UTF-8\n".encode("utf-8") + "漢字,CP932\n".encode("cp932")
    with pytest.raises(load.MixedEncoding) as mixed:
        load.decode_csv(data)
    assert (mixed.value.utf8_line, mixed.value.other_line) == (2, 3)


def test_nul_bytes():
    assert load.decode_csv("内容\n前\x00後\n".encode("utf-8")) == "内容\n前\x00後\n"  # kept; validate warns
    with pytest.raises(load.BinaryData):
        load.decode_csv("内容\n前\x00後\n".encode("cp932"))
    with pytest.raises(load.BinaryData):
        load.decode_csv("KPI,年度\n".encode("utf-16-le"))  # no BOM


def test_parse_csv_stops_at_the_limits():
    small = read_limits().replace(rows=3, columns=3, cells=8)
    assert load.parse_csv("a\nb\nc\n", small).shape == (3, 1)
    with pytest.raises(LimitExceeded, match="行が多すぎます（4 行目で読むのをやめました。上限 3 行）"):
        load.parse_csv("a\nb\nc\nd\n", small)
    with pytest.raises(LimitExceeded, match="列が多すぎます（4 列。上限 3 列）") as wide:
        load.parse_csv("a\nb,c,d,e\n", small)
    assert wide.value.row == 2
    with pytest.raises(LimitExceeded, match="セルが多すぎます（3 行 × 3 列で 9 セル。上限 8 セル）"):
        load.parse_csv("a,b,c\nd\ne\n", small)


def test_read_bounded(tmp_path):
    small = read_limits().replace(file_bytes=10)
    (tmp_path / "ok").write_bytes(b"0123456789")
    assert load.read_bounded(tmp_path / "ok", small) == b"0123456789"
    (tmp_path / "big").write_bytes(b"0123456789x")
    with pytest.raises(LimitExceeded, match=r"ファイルが大きすぎます（11 バイト（0.0 MB）。上限 10 バイト（0.0 MB））"):
        load.read_bounded(tmp_path / "big", small)
    os.symlink(tmp_path / "ok", tmp_path / "link")
    with pytest.raises(OSError):
        load.read_bounded(tmp_path / "link", small)  # never through a symlink found among the inputs
    assert load.read_bounded(tmp_path / "link", small, follow=True) == b"0123456789"
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(load.NotRegular):
        load.read_bounded(tmp_path / "fifo", small)  # opened without blocking, then refused


def test_submission_paths_report_links_and_special_files(tmp_path):
    root = tmp_path / "2019"
    folder = root / "submissions"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.csv").write_text("x")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.csv").write_text("x")
    (folder / "~$b.xlsx").write_text("x")
    os.symlink(folder / "sub", folder / "link")
    os.mkfifo(folder / "pipe.csv")
    files, problems = load.submission_paths(folder, root)
    assert [p.relative_to(root).as_posix() for p in files] == ["submissions/sub/a.csv"]
    assert [p.line() for p in problems] == [
        f"submissions/link: シンボリックリンクは読みません（リンク先: {folder / 'sub'}）。ファイルそのものを置いてください",
        "submissions/pipe.csv: 通常のファイルではないため読みません（名前付きパイプ・デバイスなど）"]


def test_a_symlinked_master_is_reported(tmp_path):
    inputs = make_fy(tmp_path)
    master = inputs / "2019" / "master" / "kpis.csv"
    real = tmp_path / "kpis.csv"
    master.rename(real)
    os.symlink(real, master)
    assert [p.line() for p in load.load_inputs(inputs, 2019).problems] == [
        f"master/kpis.csv: シンボリックリンクは読みません（リンク先: {real}）。ファイルそのものを置いてください"]
