"""提出様式 (issue 12): made for every submitter of both sample years, structured as the contract
wants, carrying last year's rows, and — filled in with openpyxl as a submitter would, choosing
from the lists — accepted by `sheet` with every filled row in initiatives.csv."""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline import cli
from tests.builders import M1, M2, PROJECT, ROOT

SUBMITTERS = ["稚内市", "猿払村", "旭川市", "宗谷総合振興局", "上川総合振興局", "留萌振興局", "本庁"]
HEADERS = ["プロジェクト", "年度", "区分", "見出し", "内容", "地域", "実施主体", "再掲", "順序", "備考"]
FIRST = 4            # the first data row (title, note, header above)
BLANK_ROWS = 50      # empty rows after the carried ones


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """outputs/<FY>/提出様式 for 2019 and 2020, made by the command line."""
    out = tmp_path_factory.mktemp("templates")
    for fy in (2019, 2020):
        assert cli.main(["templates", "--fy", str(fy), "--inputs", str(ROOT / "inputs"), "--outputs", str(out)]) == 0
    return out


def book(made, fy, name):
    """A template as openpyxl reads it, loaded once (tests must not change it)."""
    return _load(made / str(fy) / "提出様式" / f"{name}.xlsx")


@functools.lru_cache(maxsize=None)
def _load(path: Path):
    return openpyxl.load_workbook(path)


def validations(ws) -> dict:
    """{column letter: DataValidation} of a sheet (one validation per column)."""
    return {re.match(r"[A-Z]+", str(dv.sqref)).group(0): dv for dv in ws.data_validations.dataValidation}


def named_values(wb, name: str) -> list:
    """The non-blank values of a defined name's range, as Excel would list them."""
    sheet, ref = wb.defined_names[name].attr_text.split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[ref.replace("$", "")] for c in row if c.value not in (None, "")]


def choices(wb, dv, project: str | None = None) -> list:
    """What a list validation offers: a literal list, a defined name, or the INDIRECT of the
    chosen project's measures (施策_<n>, n = the project's place in 選択肢_プロジェクト)."""
    formula = dv.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    if formula.startswith("INDIRECT"):
        n = named_values(wb, "選択肢_プロジェクト").index(project) + 1
        return named_values(wb, f"施策_{n}")
    return named_values(wb, formula)


# --- what is made ---------------------------------------------------------------------------

@pytest.mark.parametrize("fy", [2019, 2020])
def test_one_template_per_submitter(made, fy):
    assert sorted(p.name for p in (made / str(fy) / "提出様式").iterdir()) == sorted(f"{s}.xlsx" for s in SUBMITTERS)


def test_the_initiatives_sheet(made):
    wb = book(made, 2020, "稚内市")
    assert wb.sheetnames == ["取組", "_記入要領", "_選択肢"]
    assert wb["_選択肢"].sheet_state == "hidden"
    ws = wb["取組"]
    assert ws["A1"].value == "令和２年度（2020年度） プロジェクト推進管理表 提出様式（稚内市）"
    assert [ws.cell(3, c).value for c in range(1, 11)] == HEADERS
    assert ws.freeze_panes == "A4"
    assert ws["B4"].value == '=IF(COUNTA($A4,$C4:$E4)=0,"",2020)'
    last = FIRST + 6 + BLANK_ROWS - 1  # 稚内市 carries 6 rows
    assert ws[f"B{last}"].value == f'=IF(COUNTA($A{last},$C{last}:$E{last})=0,"",2020)'
    assert ws[f"B{last + 1}"].value is None
    for col in "ACDEFGHJ":  # text columns: 1-2 stays 1-2
        assert ws[f"{col}{last}"].number_format == "@", col


def test_header_rows_locked_data_rows_editable_no_password(made):
    ws = book(made, 2020, "本庁")["取組"]
    assert ws.protection.sheet is True and ws.protection.password is None
    assert all(ws.cell(r, c).protection.locked for r in (1, 2, 3) for c in range(1, 11))
    assert not any(ws.cell(r, c).protection.locked for r in (FIRST, FIRST + 30) for c in range(1, 11))


def test_every_data_row_has_the_validations_with_japanese_messages(made):
    wb = book(made, 2020, "稚内市")
    dvs = validations(wb["取組"])
    last = FIRST + 6 + BLANK_ROWS - 1
    assert {col: str(dv.sqref) for col, dv in dvs.items()} == {c: f"{c}{FIRST}:{c}{last}" for c in "ACDEFGHIJ"}
    expected = {  # column: (type, formula, error style, input title, error title)
        "A": ("list", "選択肢_プロジェクト", "stop", "プロジェクト", "プロジェクトを選んでください"),
        "C": ("list", '"実績,課題,今年度,次年度"', "stop", "区分", "区分を選んでください"),
        "D": ("list", 'INDIRECT("施策_"&MATCH($A4,選択肢_プロジェクト,0))', "warning", "見出し", "施策名ではありません"),
        "E": ("textLength", "2000", "stop", "内容", "長すぎます"),
        "F": ("list", '"上川,留萌,宗谷,連携地域"', "stop", "地域", "地域を選んでください"),
        "H": ("list", '"○"', "stop", "再掲", "○ か空欄です"),
        "I": ("whole", "1", "stop", "順序", "整数を入力してください"),
    }
    for col, (kind, formula, style, title, error) in expected.items():
        dv = dvs[col]
        assert (dv.type, dv.formula1, dv.errorStyle or "stop", dv.promptTitle, dv.errorTitle) == \
            (kind, formula, style, title, error), col
        assert dv.showErrorMessage and dv.showInputMessage and dv.prompt and dv.error, col
    assert dvs["C"].prompt == "実績・課題・今年度・次年度から選んでください。"
    assert choices(wb, dvs["A"]) == [PROJECT]
    assert choices(wb, dvs["D"], PROJECT) == [M1, M2]


def test_kpi_sheet_only_for_whoever_reports_kpis(made):
    assert [n for n in SUBMITTERS if "KPI実績" in book(made, 2020, n).sheetnames] == ["本庁"]


def test_kpi_sheet_lists_every_year_without_an_actual_and_carries_last_years(made):
    wb = book(made, 2020, "本庁")
    ws = wb["KPI実績"]
    assert [c.value for c in ws[3]] == ["KPI", "指標名（参考）", "年度", "実績値", "単位", "備考"]
    rows = [(ws.cell(r, 1).value, ws.cell(r, 3).value, ws.cell(r, 4).value, ws.cell(r, 6).value)
            for r in range(FIRST, FIRST + 12)]
    carried = "前年度の提出から"
    assert rows == [  # 2019's actuals (the seed), then R元 and R2 still blank
        ("DOHOKU-01-K1", "H27", 4474, carried), ("DOHOKU-01-K1", "H28", 4004, carried),
        ("DOHOKU-01-K1", "H29", 5676, carried), ("DOHOKU-01-K1", "H30", 6516, carried),
        ("DOHOKU-01-K1", "R元", None, None), ("DOHOKU-01-K1", "R2", None, None),
        ("DOHOKU-01-K2", "H27", 933, carried), ("DOHOKU-01-K2", "H28", 375, carried),
        ("DOHOKU-01-K2", "H29", 540, carried), ("DOHOKU-01-K2", "H30", 1115, carried),
        ("DOHOKU-01-K2", "R元", None, None), ("DOHOKU-01-K2", "R2", None, None),
    ]
    assert ws["E4"].value == '=IFERROR(INDEX(選択肢_単位,MATCH($A4,選択肢_KPI,0)),"")'
    assert named_values(wb, "選択肢_単位") == ["人", "百万円"]
    dvs = validations(ws)
    assert (dvs["D"].type, dvs["D"].formula1, dvs["D"].formula2) == ("decimal", "-1000000000000000.0",
                                                                       "1000000000000000.0")
    assert dvs["D"].errorTitle == "数値を入力してください"
    assert choices(wb, dvs["A"]) == ["DOHOKU-01-K1", "DOHOKU-01-K2"]


def test_the_notes_sheet(made):
    ws = book(made, 2019, "旭川市")["_記入要領"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts[0] == "記入要領（このシートは集計の対象外です）"
    assert "旭川市" in texts and "上川" in texts and "DOHOKU-01 ロシア極東との交流推進プロジェクト" in texts
    assert M1 in texts and M2 in texts


def test_the_template_sheets_are_those_the_reader_skips_quietly(ref):
    from pipeline.xlsx import form_labels as L

    assert list(ref.values["様式の補助シート"]) == [L.SHEET_GUIDE, L.SHEET_LISTS]


def test_same_inputs_same_bytes(made, tmp_path, ref):
    from pipeline.jobs import template_job
    from pipeline.xlsx.template_book import write_template
    from pipeline.render import created_time

    made_again, _ = template_job(ROOT / "inputs", 2020, ref)
    honcho = next(t for t in made_again if t.submitter == "本庁")
    write_template(honcho, tmp_path / "本庁.xlsx", created=created_time())
    assert (tmp_path / "本庁.xlsx").read_bytes() == (made / "2020" / "提出様式" / "本庁.xlsx").read_bytes()


def test_no_submitters_csv_is_an_input_error(tree, tmp_path, capsys):
    inputs = tree({})
    assert cli.main(["templates", "--inputs", str(inputs), "--outputs", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.startswith("master/submitters.csv: ファイルがありません")


# --- carried rows: an independent reading of the 2019 submissions ------------------------------

def raw_rows(path: Path) -> list[dict]:
    """The data rows of a 2019 submission (CSV in UTF-8 or CP932, or every sheet of an xlsx)."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp932")
        tables = [list(csv.reader(io.StringIO(text)))]
    else:
        wb = openpyxl.load_workbook(path)
        tables = [[["" if v is None else str(v) for v in row] for row in wb[n].iter_rows(values_only=True)]
                  for n in wb.sheetnames if not n.startswith("_")]
    out = []
    for table in tables:
        header = next((i for i, row in enumerate(table) if "区分" in row), None)
        if header is None:
            continue
        names = table[header]
        out += [dict(zip(names, row)) for row in table[header + 1:] if any(row)]
    return out


CARRY = {"次年度": ("今年度", "前年度の次年度から"), "今年度": ("実績", "前年度の今年度から"), "課題": ("課題", "前年度の課題から")}


def expected_carried(name: str) -> list:
    rows = []
    for path in (ROOT / "inputs" / "2019" / "submissions").iterdir():
        if path.stem != name:
            continue
        for r in raw_rows(path):
            section = next((s for s in CARRY if r["区分"].startswith(s)), None)
            if section:
                rows.append((CARRY[section][0], r["内容"].strip().lstrip("・").strip(), CARRY[section][1]))
    return sorted(rows)


@pytest.mark.parametrize("name", SUBMITTERS)
def test_2020_templates_carry_2019_rows(made, name):
    ws = book(made, 2020, name)["取組"]
    rows = []
    for r in range(FIRST, ws.max_row + 1):
        if ws.cell(r, 5).value:
            rows.append((ws.cell(r, 3).value, ws.cell(r, 5).value, ws.cell(r, 10).value))
    assert sorted(rows) == expected_carried(name)
    assert all(ws.cell(r, 1).value == PROJECT for r in range(FIRST, FIRST + len(rows)))


def test_2020_this_year_rows_are_2019s_next_year_rows(made):
    this_year = sum(1 for n in SUBMITTERS for r in expected_carried(n) if r[0] == "今年度")
    assert this_year == 8  # the 8 次年度 of 2019 (README: inputs/2020)


def test_2019_templates_have_no_carried_rows(made):
    for name in SUBMITTERS:
        assert book(made, 2019, name)["取組"]["E4"].value is None


# --- filled in as a submitter would, then built ---------------------------------------------

def fill(path: Path, name: str) -> list:
    """Fill a template with openpyxl: two new rows chosen from the lists and a 課題, every blank
    KPI value; returns [(sheet, row, 内容)] of every filled 取組 row (carried ones included)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["取組"]
    dvs = validations(ws)
    filled = [("取組", r, ws.cell(r, 5).value) for r in range(FIRST, ws.max_row + 1) if ws.cell(r, 5).value]
    row = FIRST + len(filled)
    project = choices(wb, dvs["A"])[0]
    measures = choices(wb, dvs["D"], project)
    new = [("今年度", measures[-1], f"{name}が新しく行う取組（テスト）", "○"),
           ("次年度", measures[0], f"{name}が次年度に行う取組\n-一つ目\n-二つ目", ""),
           ("課題", "テストの課題", f"{name}の課題（テスト）", "")]
    for i, (section, heading, text, relisted) in enumerate(new):
        assert section in choices(wb, dvs["C"])
        values = {1: project, 3: section, 4: heading, 5: text, 6: choices(wb, dvs["F"])[0], 7: name,
                  8: relisted or None, 9: i + 1}
        for col, value in values.items():
            ws.cell(row + i, col, value)
        filled.append(("取組", row + i, text))
    if "KPI実績" in wb.sheetnames:
        kpi = wb["KPI実績"]
        for r in range(FIRST, kpi.max_row + 1):
            if kpi.cell(r, 1).value and kpi.cell(r, 4).value is None:
                kpi.cell(r, 4, 1000 + r)
    wb.save(path)
    return filled


@pytest.mark.parametrize("fy", [2019, 2020])
def test_filled_templates_are_accepted_with_every_row(made, tmp_path, capsys, fy):
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs" / str(fy) / "master", inputs / str(fy) / "master")
    submissions = inputs / str(fy) / "submissions"
    submissions.mkdir()
    expected = []
    for name in SUBMITTERS:
        path = submissions / f"{name}.xlsx"
        shutil.copy(made / str(fy) / "提出様式" / f"{name}.xlsx", path)
        expected += [(f"submissions/{name}.xlsx", sheet, str(row), text) for sheet, row, text in fill(path, name)]
    code = cli.main(["sheet", "--fy", str(fy), "--inputs", str(inputs), "--outputs", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert [line for line in err.splitlines() if "警告" in line and "別名" not in line] == []
    with open(tmp_path / "out" / str(fy) / "initiatives.csv", encoding="utf-8-sig", newline="") as f:
        got = {(r["source_file"], r["source_sheet"], r["source_row"], r["text"]) for r in csv.DictReader(f)}
    assert len(got) == len(expected)
    assert {(f, s, r, t.lstrip("・")) for f, s, r, t in expected} == got


# --- LibreOffice reads the validations back and evaluates the dependent list ------------------

def _number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return text


def seen(ws) -> dict:
    """Every list/number/length validation of a sheet as comparable values (numbers as floats:
    LibreOffice writes -1E15 as -1000000000000000; the second formula only where it is used)."""
    return {col: (str(dv.sqref), dv.type, _number(dv.formula1),
                  _number(dv.formula2) if dv.type == "decimal" else None, dv.errorStyle or "stop",
                  dv.promptTitle, dv.prompt, dv.errorTitle, dv.error)
            for col, dv in validations(ws).items() if dv.type}


def test_validations_work_in_libreoffice(made, tmp_path):
    """LibreOffice opens a template (with a sheet of check formulas added by openpyxl: the
    見出し validation's own formula for the project), recalculates, and saves it as xlsx: the
    validations come back unchanged and the dependent list is the project's measures."""
    if shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is missing (apt-get install libreoffice-calc-nogui)")
        pytest.skip("soffice is missing (apt-get install libreoffice-calc-nogui)")
    wb = openpyxl.load_workbook(made / "2020" / "提出様式" / "本庁.xlsx")  # changed below: not the cached one
    formula = validations(wb["取組"])["D"].formula1.replace("$A4", f'"{PROJECT}"')
    check = wb.create_sheet("検算", 0)
    check["A1"], check["A2"], check["A3"] = f"=ROWS({formula})", f"=INDEX({formula},1)", f"=INDEX({formula},2)"
    check["A4"] = "=INDEX(選択肢_KPI,2)"
    wb.active = 0
    wb.save(tmp_path / "検算.xlsx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(tmp_path / "検算.xlsx")],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, check=False)
    values = openpyxl.load_workbook(tmp_path / "lo" / "検算.xlsx", data_only=True)["検算"]
    assert [values[f"A{i}"].value for i in range(1, 5)] == [2, M1, M2, "DOHOKU-01-K2"]
    back = openpyxl.load_workbook(tmp_path / "lo" / "検算.xlsx")
    original = book(made, 2020, "本庁")
    for sheet in ("取組", "KPI実績"):
        assert seen(back[sheet]) == seen(original[sheet]), sheet
    assert back["取組"].protection.sheet and back["取組"]["A3"].protection.locked
    assert not back["取組"]["A4"].protection.locked and back["取組"]["A4"].number_format == "@"


# --- the pure parts -------------------------------------------------------------------------

def test_which_projects_and_kpis_a_submitter_reports(ref):
    import pandas as pd

    from pipeline.templates import submitter_kpis, submitter_projects

    projects = pd.DataFrame({"project_id": ["D1", "D2", "T1"], "region": ["道北", "道北", "十勝"],
                             "project": ["交流", "観光", "農業"]})
    kpis = pd.DataFrame({"kpi_id": ["D1-K1", "D2-K1", "T1-K1"], "project_id": ["D1", "D2", "T1"],
                         "indicator": ["来訪者", "観光客", "出荷額"]})
    sub = {"projects": (), "region": "道北", "kpis": ()}
    assert submitter_projects(sub, projects) == ["D1", "D2"]
    assert submitter_projects({**sub, "region": None}, projects) == ["D1", "D2", "T1"]
    assert submitter_projects({**sub, "projects": ("観光", "T1")}, projects) == ["D2", "T1"]
    assert submitter_kpis(sub, ["D1", "D2"], kpis, {"全て"}) == []
    assert [k["kpi_id"] for k in submitter_kpis({**sub, "kpis": ("全て",)}, ["D1"], kpis, {"全て"})] == ["D1-K1"]
    assert [k["kpi_id"] for k in submitter_kpis({**sub, "kpis": ("出荷額",)}, ["D1"], kpis, {"全て"})] == ["T1-K1"]


def test_carried_rows_move_on_a_year_in_the_house_style():
    import pandas as pd

    from pipeline.templates import carried_rows

    projects = pd.DataFrame({"project_id": ["D1"], "project": ["交流"]})
    last = pd.DataFrame([
        {"project_id": "D1", "section": s, "heading": "施策A", "text": t, "area": a, "actors": "市", "relisted": r,
         "order": o, "source_file": f} for s, t, a, r, o, f in [
            ("実績", "済んだこと", "", False, 1, "submissions/稚内市.csv"),
            ("今年度", "今していること", "宗谷地域", True, 2, "submissions/稚内市.csv"),
            ("次年度", "来年すること", "", False, pd.NA, "submissions/稚内市_追加.xlsx"),
            ("次年度", "他の団体のこと", "", False, 1, "submissions/猿払村.csv")]])
    rows = carried_rows("稚内市", last, ["D1"], projects, {"宗谷地域": "宗谷"})
    assert [(r.section, r.text, r.area, r.relisted, r.order, r.note) for r in rows] == [
        ("実績", "今していること", "宗谷", True, 2, "前年度の今年度から"),
        ("今年度", "来年すること", "", False, None, "前年度の次年度から")]
