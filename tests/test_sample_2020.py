"""The shipped FY2020 sample (inputs/2020) continues the seed: 2019's 次年度 become 2020's 今年度,
one past actual is revised, R元 actuals are added (invented figures, marked 架空のサンプル値 in 備考)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import csv_rows as rows
from pipeline.build import run
from pipeline.render import initiatives_csv, kpi_csv

ROOT = Path(__file__).resolve().parents[1]
K1, K2 = "DOHOKU-01-K1", "DOHOKU-01-K2"

# The one carried-over item whose wording changed between 2019's 次年度 and 2020's 今年度.
REWORDED_OLD = ("サハリン経済交流促進協議会を発展的改組した「（仮）サハリン文化経済戦略協議会」にて、次の事業を実施\n"
                "-ユジノサハリンスク道北物産展\n-ビジネスマッチング事業\n-メディア招聘事業")
REWORDED_NEW = ("サハリン経済交流促進協議会を発展的改組した「サハリン文化経済戦略協議会」にて、次の事業を実施\n"
                "-ユジノサハリンスク道北物産展\n-ビジネスマッチング事業\n-メディア招聘事業")


@pytest.fixture(scope="module")
def result():
    return run(ROOT / "inputs", 2020)


@pytest.fixture(scope="module")
def previous():
    return run(ROOT / "inputs", 2019)


def item(r: dict) -> tuple:
    return (r["project_id"], r["heading"], r["text"], r["area"], r["actors"], r["relisted"], r["order"])


def test_build_has_no_errors_and_only_the_2019_kinds_of_warning(result):
    assert result.tables is not None
    assert [p for p in result.problems if p.level == "error"] == []
    lines = [p.line() for p in result.problems]
    assert len(lines) == 3  # 本庁.xlsx's _記入要領 is the template's notes sheet: skipped without a warning
    assert sum("別名" in line for line in lines) == 3


def test_accounting_every_row_accepted(result):
    m = result.manifest.set_index("file")
    assert int(m["rows_rejected"].sum()) == 0
    assert (m["rows_read"] == m["rows_accepted"]).all()
    assert dict(m["rows_read"]) == {
        "master/kpis.csv": 2, "master/measures.csv": 2, "master/projects.csv": 1, "master/settings.csv": 2,
        "master/submitters.csv": 7,
        "submissions/上川総合振興局.xlsx": 5, "submissions/宗谷総合振興局.xlsx": 6, "submissions/旭川市.xlsx": 3,
        "submissions/本庁.xlsx": 15, "submissions/猿払村.csv": 2, "submissions/留萌振興局.xlsx": 3,
        "submissions/稚内市.csv": 9,
    }


def test_kpi_actuals_per_year(result):
    actual = [(r["kpi_id"], r["year_label"], r["value"]) for r in rows(kpi_csv(result.tables)) if r["kind"] == "actual"]
    assert actual == [
        (K1, "H27", "4474"), (K1, "H28", "4004"), (K1, "H29", "5676"), (K1, "H30", "6561"), (K1, "R元", "7012"),
        (K2, "H27", "933"), (K2, "H28", "375"), (K2, "H29", "540"), (K2, "H30", "1115"), (K2, "R元", "1208"),
    ]


def test_kpi_baselines_and_targets_are_unchanged(result):
    fixed = [(r["kpi_id"], r["kind"], r["year_label"], r["value"])
             for r in rows(kpi_csv(result.tables)) if r["kind"] != "actual"]
    assert fixed == [(K1, "baseline", "H26", "5949"), (K1, "target", "R2", "7400"),
                     (K2, "baseline", "H26", "594"), (K2, "target", "R2", "900")]
    assert {r["fiscal_year"] for r in rows(kpi_csv(result.tables))} == {"2020"}


def test_progress_of_the_r1_actuals_and_the_revised_h30(result):
    kpi = result.tables.kpi
    progress = {(k, y): p for k, y, p, kind in zip(kpi["kpi_id"], kpi["year_label"], kpi["progress"], kpi["kind"])
                if kind == "actual"}
    assert progress[(K1, "R元")] == 7012 / 7400
    assert progress[(K2, "R元")] == 1208 / 900
    assert progress[(K1, "H30")] == 6561 / 7400
    assert round(progress[(K1, "R元")] * 100, 1) == 94.8
    assert round(progress[(K2, "R元")] * 100, 1) == 134.2


def test_only_the_h30_visitor_figure_is_revised_against_2019(result, previous):
    def actuals(res):
        return {(r["kpi_id"], r["year_label"]): r["value"] for r in rows(kpi_csv(res.tables)) if r["kind"] == "actual"}

    old, new = actuals(previous), actuals(result)
    assert {k: (old[k], new[k]) for k in old if old[k] != new[k]} == {(K1, "H30"): ("6516", "6561")}
    assert sorted(set(new) - set(old)) == [(K1, "R元"), (K2, "R元")]


def test_initiatives_per_section(result):
    table = rows(initiatives_csv(result.tables))
    counts = {s: sum(r["section"] == s for r in table) for s in ("実績", "課題", "今年度", "次年度")}
    assert counts == {"実績": 7, "課題": 10, "今年度": 8, "次年度": 8}
    assert len(table) == 33
    assert {r["fiscal_year"] for r in table} == {"2020"}
    assert [(r["section"], r["relisted"]) for r in table].count(("今年度", "true")) == 1
    assert [r["relisted"] for r in table].count("true") == 3


def test_2019_next_year_items_are_2020_this_year_items(result, previous):
    last_next = [item(r) for r in rows(initiatives_csv(previous.tables)) if r["section"] == "次年度"]
    this_year = [item(r) for r in rows(initiatives_csv(result.tables)) if r["section"] == "今年度"]
    assert len(last_next) == len(this_year) == 8
    missing = [i for i in last_next if i not in this_year]
    added = [i for i in this_year if i not in last_next]
    heading = "ロシア極東との人流・物流の活性化など経済交流の推進"
    assert missing == [("DOHOKU-01", heading, REWORDED_OLD, "", "市町村", "false", "2")]
    assert added == [("DOHOKU-01", heading, REWORDED_NEW, "", "市町村", "false", "2")]


def test_issues_one_edited_one_dropped_one_added(result, previous):
    old = [r["text"] for r in rows(initiatives_csv(previous.tables)) if r["section"] == "課題"]
    new = [r["text"] for r in rows(initiatives_csv(result.tables)) if r["section"] == "課題"]
    assert [t for t in old if t not in new] == [
        "稚内サハリン間の定期航路は、H30年度はロシア側の負担により運航したが、この形態は１年限りとなり、今年度の運航は休止",
        "食品以外の品目拡大",
    ]
    assert [t for t in new if t not in old] == [
        "稚内サハリン間の定期航路は、H30年度はロシア側の負担により運航したが、この形態は１年限りとなり、令和元年度以降の運航は休止",
        "新型コロナウイルス感染症の影響により対面での交流や商談が難しいことから、オンラインを活用した交流・商談手法の確立",
    ]


def test_results_are_the_2019_this_year_items(result, previous):
    """実績 (what was done in 令和元年度) = 2019's 今年度 items; only 留萌's 「予定」 became a result."""
    last_this = [item(r) for r in rows(initiatives_csv(previous.tables)) if r["section"] == "今年度"]
    results = [item(r) for r in rows(initiatives_csv(result.tables)) if r["section"] == "実績"]
    heading = "ロシア極東との人流・物流の活性化など経済交流の推進"
    assert [i for i in last_this if i not in results] == [
        ("DOHOKU-01", heading, "あらゆる機会を捉えて留萌産品のＰＲを進めていく予定", "", "振興局", "false", "2")]
    assert [i for i in results if i not in last_this] == [
        ("DOHOKU-01", heading, "あらゆる機会を捉えて留萌産品のＰＲを実施", "", "振興局", "false", "2")]


def test_status_of_the_2020_sample(result):
    """見込み with R元 actuals: 7,012 is below the line 5,949 → 7,400 at R元 (≈ 7,158.2): 遅れ; 1,208 ≥ 900: 達成."""
    from pipeline.status import kpi_status

    rows = kpi_status(result.tables.kpis, result.tables.kpi, 2020).set_index("kpi_id")
    assert rows.loc[K1, ["latest_year", "latest_value", "label"]].tolist() == [2019, 7012.0, "遅れ"]
    assert rows.loc[K1, "expected"] == pytest.approx(5949 + 1451 * 5 / 6)
    assert rows.loc[K2, ["latest_year", "latest_value", "label"]].tolist() == [2019, 1208.0, "達成"]
    assert rows.loc[K2, "progress"] == 1208 / 900
