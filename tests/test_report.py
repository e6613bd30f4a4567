"""pipeline.report: what the sheets show, built from tiny inline tables (expected values by hand)."""
from __future__ import annotations

import copy

import pandas as pd
import pytest

from pipeline.report import (
    Entry, build_report, chart_series, grouped_entries, item_text, kpi_with_status, project_years,
    round_progress,
)
from tests.builders import initiative_rows, kpi_rows, make_tables

NAN = float("nan")


def item(heading, text, area="", actors="", relisted=False):
    return {"heading": heading, "text": text, "area": area, "actors": actors, "relisted": relisted}


# --- item_text and round_progress --------------------------------------------------------

def test_item_text_leaves_out_blank_parts():
    assert item_text("青少年交流事業", "", "稚内市") == "・青少年交流事業（稚内市）"
    assert item_text("商品提供", "留萌", "振興局") == "・商品提供（留萌）（振興局）"
    assert item_text("情報発信", "", "振興局", True) == "・情報発信（振興局）【再掲】"
    assert item_text("食品以外の品目拡大") == "・食品以外の品目拡大"
    assert item_text("再掲のみ", relisted=True) == "・再掲のみ【再掲】"
    assert item_text("空白だけのタグ", "　", " ") == "・空白だけのタグ"


def test_item_text_puts_tags_before_sub_items_and_keeps_line_breaks():
    text = "次の事業を実施\n-物産展\n-ビジネスマッチング事業"
    assert item_text(text, "", "市町村") == "・次の事業を実施（市町村）\n-物産展\n-ビジネスマッチング事業"
    assert item_text("一行目\n二行目", "宗谷", "") == "・一行目\n二行目（宗谷）"
    assert item_text("-だけ", "", "市") == "・-だけ（市）"
    assert item_text("・既に点がある", "", "市") == "・既に点がある（市）"


def test_round_progress_is_half_up_to_a_tenth_of_a_percent():
    assert round_progress(4474 / 7400) == 0.605
    assert round_progress(0.0005) == 0.001
    assert round_progress(0.99949) == 0.999
    assert round_progress(0.9995) == 1.0
    assert round_progress(-0.0005) == -0.001


# --- grouped entries -------------------------------------------------------------------------

def test_measures_follow_the_master_order_and_unknown_headings_come_last():
    items = [item("施策B", "b1"), item("その他", "x"), item("施策A", "a1", "宗谷"), item("施策B", "b2")]
    assert grouped_entries(items, ["施策A", "施策B"], issues=False) == (
        Entry("■施策A", "measure"), Entry("・a1（宗谷）", "item"),
        Entry("■施策B", "measure"), Entry("・b1", "item"), Entry("・b2", "item"),
        Entry("■その他", "measure"), Entry("・x", "item"))


def test_issue_headings_in_first_appearance_order_and_a_blank_heading_gives_no_line():
    items = [item("乙", "o1"), item("", "見出しなし"), item("甲", "k1"), item("乙", "o2")]
    assert grouped_entries(items, ["甲"], issues=True) == (
        Entry("○乙", "issue"), Entry("・o1", "item"), Entry("・o2", "item"),
        Entry("・見出しなし", "item"),
        Entry("○甲", "issue"), Entry("・k1", "item"))


def test_grouped_entries_of_nothing_and_missing_relisted():
    assert grouped_entries([], ["施策A"], issues=False) == ()
    assert grouped_entries([item("施策A", "a", relisted=pd.NA)], ["施策A"], issues=False)[1] == Entry("・a", "item")


# --- years and chart series ----------------------------------------------------------------------

def test_project_years_span_base_to_target_and_any_year_with_a_value():
    kpis = [{"base_year": 2014, "target_year": 2020}, {"base_year": None, "target_year": None}]
    rows = [{"year": 2022, "value": 5.0}, {"year": 2023, "value": NAN}]
    assert project_years(kpis, rows) == (2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022)
    assert project_years([], []) == ()


def test_chart_series_line_only_between_base_and_target():
    rows = [{"year": 2015, "kind": "actual", "value": 120.0}, {"year": 2016, "kind": "actual", "value": NAN},
            {"year": 2014, "kind": "baseline", "value": 100.0}]
    status = {"base_year": 2014, "base_value": 100.0, "target_year": 2016, "target_value": 200.0}
    actual, target, line = chart_series(rows, [2013, 2014, 2015, 2016, 2017], status)
    assert actual == {2015: 120.0}
    assert target == {2016: 200.0}
    assert line == {2014: 100.0, 2015: 150.0, 2016: 200.0}


def test_chart_series_without_master_data_has_no_line_or_target():
    rows = [{"year": 2015, "kind": "actual", "value": 3.0}]
    assert chart_series(rows, [2015], {}) == ({2015: 3.0}, {}, {})


# --- the whole report ---------------------------------------------------------------------------

PROJECTS = [{"project_id": "X", "region": "道北", "project": "テスト", "purpose": "  目的  ", "order": 1},
            {"project_id": "Y", "region": "道北", "project": "", "purpose": "", "order": 2}]
MEASURES = [{"project_id": "X", "measure": "施策A", "order": 1, "aliases": ()}]


def tables_with(kpis, *, extra_rows=()):
    rows, master = kpi_rows("X", kpis)
    items = initiative_rows("X", "道北", "テスト", [("実績", "施策A", "やったこと", "宗谷", "", False),
                                                  ("課題", "", "課題です", "", "", False)])
    return make_tables(PROJECTS, MEASURES, items, rows + list(extra_rows), master)


def test_a_project_page_holds_what_its_sheet_prints():
    tables = tables_with([("X-K1", "来訪者数", "人", (2014, 100.0), (2016, 200.0), [150.0, 200.0])])
    report = build_report(tables)
    page = report.pages[0]
    assert (page.project_id, page.region_name, page.project, page.purpose) == ("X", "道北連携地域", "テスト", "目的")
    assert page.measure_lines == ("■施策A",)
    assert page.lists["実績"] == (Entry("■施策A", "measure"), Entry("・やったこと（宗谷）", "item"))
    assert page.lists["課題"] == (Entry("・課題です", "item"),)
    assert page.lists["今年度"] == () and page.lists["次年度"] == ()
    assert page.years == (2014, 2015, 2016)   # 2017's actual is not known yet (no value): no column
    assert page.base_years == {2014} and page.target_years == {2016}
    (kpi,) = page.kpis
    # 2016: the actual (200) wins over the target (200) of the same year, so the target is named
    assert kpi.values == {2014: (100.0, "baseline"), 2015: (150.0, "actual"), 2016: (200.0, "actual")}
    assert kpi.target_note == 200.0
    assert kpi.progress == {2015: 0.75, 2016: 1.0}
    assert kpi.line == {2014: 100.0, 2015: 150.0, 2016: 200.0}


def test_a_project_without_kpis_has_no_years_and_an_overview_row_without_kpi():
    report = build_report(tables_with([]))
    assert report.pages[1].years == () and report.pages[1].kpis == ()
    assert [(r.project_id, r.project, r.linked, r.kpi) for r in report.overview] == [
        ("X", "テスト", True, None), ("Y", "Y", True, None)]   # a blank name shows the ID


def test_a_kpi_without_master_entry_is_shown_after_the_masters_kpis_and_unlinked_when_its_project_is_unknown():
    stray = [{"fiscal_year": 2019, "kpi_id": "X-K9", "project_id": "X", "indicator": "迷子", "unit": "件",
              "year": 2015, "year_label": "H27", "kind": "actual", "value": 3.0, "progress": NAN,
              "source_file": "k.csv", "source_sheet": "", "source_row": 9},
             {"fiscal_year": 2019, "kpi_id": "Z-K1", "project_id": "Z", "indicator": "どこにも", "unit": "",
              "year": 2015, "year_label": "H27", "kind": "actual", "value": 1.0, "progress": NAN,
              "source_file": "k.csv", "source_sheet": "", "source_row": 10}]
    tables = tables_with([("X-K1", "来訪者数", "人", (2014, 100.0), (2016, 200.0), [150.0])], extra_rows=stray)
    report = build_report(tables)
    assert [k.kpi_id for k in report.pages[0].kpis] == ["X-K1", "X-K9"]
    stray_view = report.pages[0].kpis[1]
    assert (stray_view.base_year, stray_view.target_year, stray_view.line, stray_view.target) == (None, None, {}, {})
    assert [(r.project_id, r.linked, r.kpi["kpi_id"] if r.kpi else None) for r in report.overview] == [
        ("X", True, "X-K1"), ("X", True, "X-K9"), ("Y", True, None), ("Z", False, "Z-K1")]
    assert report.overview[-1].region == "" and report.overview[-1].project == "Z"


def test_overview_rows_carry_the_status_and_the_rounded_progress():
    tables = tables_with([("X-K1", "来訪者数", "人", (2014, 100.0), (2016, 300.0), [120.0, 290.0])])
    (row, _) = build_report(tables).overview
    # latest 290 in 2016 (the target year) of 300: 96.666… % → 0.967, short of the target: 遅れ
    assert (row.kpi["label"], row.kpi["status"], row.kpi["shown_progress"]) == ("遅れ", "behind", 0.967)
    assert row.kpi["progress"] == pytest.approx(290 / 300)


def test_legend_lists_the_statuses_in_rule_order():
    legend = build_report(tables_with([])).legend
    assert [(s.key, s.label) for s in legend] == [
        ("achieved", "達成"), ("on_track", "順調"), ("behind", "遅れ"), ("no_data", "未把握")]


def test_kpi_with_status_puts_each_kpis_status_on_all_its_rows():
    kpi = pd.DataFrame({"kpi_id": ["A", "A", "B", "C"], "value": [1.0, 2.0, 3.0, NAN]})
    statuses = pd.DataFrame({"kpi_id": ["A", "B"], "label": ["達成", "未把握"]})
    out = kpi_with_status(kpi, statuses)
    assert out["kpi_status"].tolist() == ["達成", "達成", "未把握", ""]
    assert "kpi_status" not in kpi.columns


def test_build_report_does_not_modify_the_tables():
    tables = tables_with([("X-K1", "来訪者数", "人", (2014, 100.0), (2016, 200.0), [150.0])])
    before = {name: copy.deepcopy(getattr(tables, name)) for name in
              ("projects", "measures", "kpis", "initiatives", "kpi", "regions")}
    build_report(tables)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(tables, name), frame)


def test_empty_tables_give_an_empty_report():
    empty = make_tables([], [], [], [], [])
    report = build_report(empty)
    assert report.pages == () and report.overview == ()
    assert len(report.statuses) == 0


def test_an_area_is_printed_in_the_house_style_when_the_tables_know_it():
    items = [item("施策A", "交流会", "宗谷総合振興局", "市"), item("施策A", "物産展", "道北", ""),
             item("施策A", "商談会", "宗谷", "")]
    styles = {"宗谷総合振興局": "宗谷", "道北": "連携地域", "宗谷": "宗谷"}
    assert [e.text for e in grouped_entries(items, ["施策A"], issues=False, area_styles=styles)] == [
        "■施策A", "・交流会（宗谷）（市）", "・物産展（連携地域）", "・商談会（宗谷）"]
    assert grouped_entries(items, ["施策A"], issues=False)[1].text == "・交流会（宗谷総合振興局）（市）"


def test_rows_by_project_are_made_when_asked_for_in_frame_order():
    import pandas as pd

    from pipeline.report import _records_by_project

    frame = pd.DataFrame({"project_id": ["B", "A", "B"], "text": ["b1", "a1", "b2"]})
    rows = _records_by_project(frame, ("project_id", "text", "area"))
    assert rows("B") == [{"project_id": "B", "text": "b1", "area": None}, {"project_id": "B", "text": "b2", "area": None}]
    assert rows("A") == [{"project_id": "A", "text": "a1", "area": None}] and rows("C") == []
    assert _records_by_project(frame.iloc[:0], ("project_id",))("A") == []


def test_covered_regions_are_the_reports_without_building_it():
    import dataclasses

    from pipeline.report import covered_regions
    from tests.builders import seed_tables

    tables = seed_tables()
    projects = pd.concat([tables.projects] * 3, ignore_index=True)
    projects["project_id"] = ["P3", "P1", "P2"]
    projects["region"] = ["十勝", "道北", "未登録"]   # in the projects' order; an unknown code as it is
    tables = dataclasses.replace(tables, projects=projects)
    assert covered_regions(tables) == ("十勝連携地域", "道北連携地域", "未登録")
    assert covered_regions(tables) == build_report(tables).regions
