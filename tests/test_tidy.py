"""Tidy frames: display order, canonical headings, flags, and no mutation of the inputs."""
from __future__ import annotations

import pandas as pd

from pipeline.build import run
from pipeline.model import INITIATIVE_COLUMNS, KPI_COLUMNS

H = "プロジェクト,区分,見出し,内容,年度,地域,実施主体,再掲,順序\n"


def frame(tree, files):
    return run(tree(files), 2019).tables


def test_order_within_heading_by_order_then_file_then_row(tree):
    tables = frame(tree, {
        "submissions/b.csv": H + "P1,実績,施策A,b-blank,,,,,\nP1,実績,施策A,b-2,,,,,2\n",
        "submissions/a.csv": H + "P1,実績,施策A,a-blank1,,,,,\nP1,実績,施策A,a-1,,,,,1\nP1,実績,施策A,a-blank2,,,,,\n",
    })
    assert list(tables.initiatives["text"]) == ["a-1", "b-2", "a-blank1", "a-blank2", "b-blank"]


def test_sections_and_measures_in_display_order(tree):
    tables = frame(tree, {"submissions/a.csv": H + (
        "P1,次年度,施策A,n,,,,,\nP1,課題,○後の見出し,i2,,,,,\nP1,今年度,施策B,tb,,,,,\n"
        "P1,今年度,施策A,ta,,,,,\nP1,課題,,i0,,,,,\nP1,実績,施策B,rb,,,,,\nP1,課題,前の見出し,i1,,,,,\n")})
    got = list(zip(tables.initiatives["section"], tables.initiatives["heading"], tables.initiatives["text"]))
    assert got == [
        ("実績", "施策B", "rb"),
        ("課題", "", "i0"), ("課題", "後の見出し", "i2"), ("課題", "前の見出し", "i1"),
        ("今年度", "施策A", "ta"), ("今年度", "施策B", "tb"),
        ("次年度", "施策A", "n"),
    ]


def test_row_values(tree):
    tables = frame(tree, {"submissions/a.csv": H + 'P1,実績,施策エー," ・交流会（ＰＲ）を開催\n二行目 ",R元, 宗谷 ,市・民間,はい,３\n'})
    row = tables.initiatives.iloc[0]
    assert list(tables.initiatives.columns) == list(INITIATIVE_COLUMNS)
    assert row.to_dict() == {
        "fiscal_year": 2019, "region": "道北", "project_id": "P1", "project": "交流プロジェクト",
        "section": "実績", "heading": "施策A", "text": "交流会（ＰＲ）を開催\n二行目", "area": "宗谷",
        "actors": "市・民間", "relisted": True, "order": 3, "source_file": "submissions/a.csv",
        "source_sheet": "", "source_row": 2,
    }


def test_no_submissions_gives_empty_initiatives_and_master_only_kpi(tree):
    tables = frame(tree, {})
    assert tables.initiatives.empty and list(tables.initiatives.columns) == list(INITIATIVE_COLUMNS)
    assert list(tables.kpi.columns) == list(KPI_COLUMNS)
    assert list(zip(tables.kpi["kpi_id"], tables.kpi["kind"], tables.kpi["year"])) == [
        ("K1", "baseline", 2014), ("K1", "target", 2020), ("K2", "baseline", 2014), ("K2", "target", 2020)]


def test_missing_actual_is_kept_as_missing(tree):
    tables = frame(tree, {"submissions/k.csv": "KPI,年度,実績値\nK2,H30,－\nK2,H29,30\n"})
    actual = tables.kpi[tables.kpi["kind"] == "actual"]
    assert list(actual["year"]) == [2017, 2018]
    assert actual["value"].iloc[0] == 30.0 and pd.isna(actual["value"].iloc[1])
    assert actual["progress"].iloc[0] == (30 - 50) / (10 - 50) and pd.isna(actual["progress"].iloc[1])


def test_tidy_does_not_mutate_its_input(tree, ref):
    from pipeline import normalize, tidy
    from pipeline.build import recognise_all, _frame
    from pipeline.load import load_inputs

    inputs = load_inputs(tree({"submissions/a.csv": H + "P1,実績,施策エー,・x,,,,,\n"}), 2019)
    tables, _, _ = recognise_all(inputs, ref)
    rows = _frame(tables["取組"], "取組", ref)
    projects = normalize.parse_projects(_frame(tables["projects"], "projects", ref), ref)
    measures = normalize.parse_measures(_frame(tables["measures"], "measures", ref))
    before = (rows.copy(), projects.copy(), measures.copy())
    tidy.initiatives_table(rows, projects, measures, ref, 2019)
    for a, b in zip((rows, projects, measures), before):
        pd.testing.assert_frame_equal(a, b)
