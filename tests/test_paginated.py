"""The writer paginates the project sheets and 一覧 like a person would (read back from the file).

Pages are worked out from the file alone (tests/printed.py: manual breaks, row heights,
margins, scale, print titles), not with the planner under test.
"""
from __future__ import annotations

import openpyxl
import pytest

from pipeline.build import run
from pipeline.xlsx.book import write_workbook
from tests import printed as P
from tests.builders import CREATED, ROOT, VERSIONS, initiative_rows, kpi_rows, make_tables, seed_tables

LONG = ("サハリン州で開催の道北物産展に参加し、現地業者と特産品や観光についての商談を実施し、"
        "あわせて道北の食と観光のＰＲを行った")


def _book(tables, tmp_path, name="book.xlsx"):
    path = tmp_path / name
    write_workbook(tables, path, versions=VERSIONS, created=CREATED)
    return openpyxl.load_workbook(path)


def _long_tables():
    """One project with long lists in every section (several pages) and five KPIs (three chart rows)."""
    items = []
    for section, heading in (("実績", "施策A"), ("課題", "課題の見出し"), ("今年度", "施策A"), ("次年度", "施策B")):
        for n in range(14):
            items.append((section, heading if n < 7 else (heading + "の二" if section == "課題" else "施策B"),
                          f"{n + 1}件目：" + LONG * (1 + n % 3), "宗谷", "市・民間", False))
    kpis = [(f"L-K{i}", f"指標{i}", "人", (2014, 100.0 * i), (2020, 200.0 * i), [110.0 * i, 120.0 * i, 150.0 * i])
            for i in range(1, 6)]
    rows, master = kpi_rows("L", kpis)
    projects = [{"project_id": "L", "region": "道北", "project": "長いプロジェクト",
                 "purpose": "目的の文章です。" * 12 + "\n" + ("目的の文章です。" * 15 + "\n") * 40, "order": 1}]
    measures = [{"project_id": "L", "measure": m, "order": i, "aliases": ()} for i, m in enumerate(("施策A", "施策B"), 1)]
    return make_tables(projects, measures, initiative_rows("L", "道北", "長いプロジェクト", items), rows, master)


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    """(name, project sheet) of the seed, the 2020 sample and a long project."""
    folder = tmp_path_factory.mktemp("pages")
    sample_2020 = run(ROOT / "inputs", 2020).tables
    return [("seed", _book(seed_tables(), folder, "seed.xlsx")["DOHOKU-01"]),
            ("2020", _book(sample_2020, folder, "2020.xlsx")["DOHOKU-01"]),
            ("long", _book(_long_tables(), folder, "long.xlsx")["L"])]


def test_every_page_holds_its_rows(sheets):
    for name, ws in sheets:
        for rows in P.page_rows(ws):
            assert P.used(ws, rows) <= P.capacity(ws), (name, rows[0])


def test_no_page_ends_with_a_heading_and_every_page_starts_with_one(sheets):
    for name, ws in sheets:
        pages = P.page_rows(ws)
        assert len(pages) >= 2, name
        for rows in pages:
            assert not P.ends_with_heading(ws, rows), (name, rows[-1])
        for rows in pages[1:]:
            assert P.starts_with_heading(ws, rows), (name, rows[0], P.texts(ws, rows[0]))


def test_a_section_continued_on_a_new_page_is_headed_again(sheets):
    _, ws = sheets[2]
    heads = [P.texts(ws, rows[0])[0] for rows in P.page_rows(ws)[1:] if P.texts(ws, rows[0])]
    continued = [h for h in heads if h.endswith("（続き）")]
    # the long lists and the purpose run over several pages: each continuation names its section
    assert "これまでの主な取組実績（続き）" in heads
    assert any(h.startswith("【概要・目的】（続き）") for h in heads)
    assert {h.removesuffix("（続き）") for h in continued} <= {
        "【概要・目的】", "【施策展開】", "これまでの主な取組実績", "今年度の主な取組（令和元年度（2019年度））",
        "次年度の取組（令和２年度（2020年度））", "【ＫＰＩの状況】", "【ＫＰＩの推移】"}
    # the band of the paired lists is repeated over both halves
    row = next(rows[0] for rows in P.page_rows(ws)[1:] if P.texts(ws, rows[0])[:1] == ["これまでの主な取組実績（続き）"])
    assert P.texts(ws, row) == ["これまでの主な取組実績（続き）", "今後の取組を進める上での主な課題（続き）"]


def test_the_kpi_table_stays_with_its_heading(sheets):
    for name, ws in sheets:
        for rows in P.page_rows(ws):
            texts = [t for r in rows for t in P.texts(ws, r)]
            if "【ＫＰＩの状況】" in texts:  # heading, header, every KPI and the note on one page
                assert "指標" in texts and texts.count("＜進捗率＞") == (5 if name == "long" else 2), name
                assert any(t.startswith("※網掛けは基準値") for t in texts), name


def test_no_half_empty_page_before_a_chart(sheets):
    for name, ws in sheets:
        pages = P.page_rows(ws)
        charts = [r for r in range(1, ws.max_row + 1) if (ws.row_dimensions[r].height or 0) >= P.CHART_ROW_MIN
                  and not P.texts(ws, r)]
        assert charts, name
        for index, rows in enumerate(pages):
            if index and any(r in charts for r in rows[:3]):   # a page that opens with a chart row
                assert P.used(ws, pages[index - 1]) >= P.capacity(ws) / 2, (name, rows[0])


def test_long_overview_repeats_its_header_and_keeps_the_rules_together(tmp_path):
    projects = [{"project_id": f"P{i:02}", "region": "道北", "project": f"プロジェクト{i}", "purpose": "目的",
                 "order": i} for i in range(25)]   # 25 rows of （ＫＰＩの設定なし） in 一覧
    ws = _book(make_tables(projects, [], [], [], []), tmp_path)["一覧"]
    pages = P.page_rows(ws)
    assert ws.print_title_rows == "$1:$3" and len(pages) >= 2
    for rows in pages:
        assert P.used(ws, rows) <= P.capacity(ws)
    last = [t for r in pages[-1] for t in P.texts(ws, r)]
    assert "見込みの判定（上から順に当てはめる）" in last
    assert {"達成", "順調", "遅れ", "未把握"} <= set(last)
