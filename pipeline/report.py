"""Report: the tidy tables → what the workbook's sheets show, decided here and only here.

A pure stage between progress and render.  It groups the tidy frames by project in
display order, builds each project page (measures, the four lists with their ■/○
headings and `・内容（地域）（実施主体）【再掲】` items, the KPI table's values and
進捗率 rounded for display, the chart series) and the 一覧 rows with each KPI's
見込み (pipeline/status.py).  The workbook writer (pipeline/xlsx/) only lays these
out; it imports no domain module.

Quirks handled here (each tested in tests/test_report.py):
- a KPI that has rows in the kpi frame but no master entry is still shown, after the
  master's KPIs of its project (with no 基準/目標 and no line);
- a KPI's table rows, its 進捗率 as shown (上限付き: 100%超 / 0%未満), 評価, notes and
  chart series are decided in pipeline/report_kpi.py;
- with interim or yearly targets the 一覧 legend's 順調 rule says the line is piecewise;
- 実績/今年度/次年度 are grouped under ■ measures in the master's order (headings not
  in the master follow in first-appearance order); 課題 under ○ headings in
  first-appearance order, a blank heading giving items without a ○ line;
- when 内容 ends with sub-item lines (`-…`), the tags go after the line that
  introduces them, as in the seed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from schemas.cells import is_missing, key
from schemas.vocab import CAPPED_DISPLAY, ISSUES, NEXT_YEAR, NO_PROGRESS, RESULTS, THIS_YEAR

from . import progress as P
from .report_kpi import KpiView, chart_series, hits, kpi_view, kpi_with_status, round_progress, shown_progress
from .status import PIECEWISE_RULE, STATUS_COLUMNS, STATUSES, kpi_status

__all__ = ["Entry", "KpiView", "ProjectPage", "OverviewRow", "Legend", "Report", "build_report", "chart_series",
           "grouped_entries", "item_text", "kpi_view", "kpi_with_status", "project_years", "round_progress",
           "document_titles", "records", "text"]

MEASURE_MARK = "■"
ISSUE_MARK = "○"
ITEM_MARK = "・"
RELISTED_TAG = "【再掲】"
SUBITEM_MARKS = ("-", "－", "‐", "−", "―", "ｰ")


@dataclass(frozen=True, slots=True)   # one per printed line: 30,000 for all of Hokkaido
class Entry:
    """One line of a list on a project sheet: a ■/○ heading or an item, as printed."""

    text: str
    kind: str  # "measure" | "issue" | "item"


@dataclass(frozen=True)
class ProjectPage:
    """One project sheet: the texts and numbers it prints, in order.

    measure_lines: 【施策展開】 as printed (■施策名); lists: 区分 → entries (RESULTS,
    ISSUES, THIS_YEAR, NEXT_YEAR); years: the KPI
    table's columns (empty without KPIs); base_years / target_years: the years that
    every KPI of the project has as 基準年度 / 目標年度 (marked in the header); graded:
    there is a 評価 scale (each KPI gets a ＜評価＞ row); capped: 進捗率の表示 is 上限付き.
    """

    project_id: str
    region: str
    region_name: str
    project: str
    purpose: str
    measure_lines: tuple
    lists: dict
    years: tuple
    base_years: frozenset
    target_years: frozenset
    kpis: tuple
    graded: bool = False
    capped: bool = False


@dataclass(frozen=True)
class OverviewRow:
    """One 一覧 row: a KPI (a status dict, STATUS_COLUMNS plus `shown_progress` (a number
    or a label), `hit` (≥ 100 %), `grade` and `target_text`) or None for a project without KPIs.  `linked` is False for a KPI whose project is not in the
    master (it has no sheet to link to)."""

    region: str
    project: str
    project_id: str
    linked: bool
    kpi: dict | None


@dataclass(frozen=True)
class Legend:
    """One 見込み as the 一覧 legend prints it (key → colours in pipeline/styles.py)."""

    key: str
    label: str
    rule: str


@dataclass(frozen=True)
class Report:
    """Everything the sheets show besides the data sheets (which print the tidy frames).

    title: the document's title (プロジェクト推進管理表: footers, file and PDF properties);
    heading: the line at the top of every page, the 別紙 number first when there is one
    (別紙２　プロジェクト推進管理表); regions: the names of the 連携地域 it covers, in order;
    graded: there is a 評価 scale (一覧 gets a 評価 column); capped: 進捗率の表示 is 上限付き;
    grades: the scale itself and display: 進捗率の表示 as set (both recorded on 出典 when used,
    so that `verify` can write the same book again from it).
    """

    fiscal_year: int
    pages: tuple
    overview: tuple
    statuses: pd.DataFrame
    legend: tuple
    title: str = ""
    heading: str = ""
    regions: tuple = ()
    graded: bool = False
    capped: bool = False
    grades: tuple = ()
    display: str = ""


def document_titles(settings: dict) -> tuple[str, str]:
    """(title, heading) from the per-document settings: 「別紙２　プロジェクト推進管理表」."""
    title = str(settings.get("title") or "")
    attachment = str(settings.get("attachment") or "")
    return title, f"{attachment}　{title}" if attachment else title


def text(value: object) -> str:
    """A cell value as text; "" when missing."""
    return "" if is_missing(value) else str(value)


def _year(value: object) -> int | None:
    return None if is_missing(value) else int(value)


def records(frame: pd.DataFrame | None, columns: Sequence[str]) -> list[dict]:
    """Rows of `frame` as dicts of the given columns (a column the frame lacks reads None)."""
    if frame is None or len(frame) == 0:
        return []
    return list(map(_record_maker(frame, columns), range(len(frame))))


def _record_maker(frame: pd.DataFrame, columns: Sequence[str]):
    """A function row position → that row as a dict of `columns` (None for a column the frame lacks)."""
    data = {c: frame[c].tolist() for c in columns if c in frame.columns}
    return lambda i: {c: (data[c][i] if c in data else None) for c in columns}


def _records_by_project(frame: pd.DataFrame | None, columns: Sequence[str]):
    """A function project_id → that project's rows as dicts (`records`), made when asked for:
    30,000 rows as dicts at once would be ~11 MB, one project's at a time is little."""
    if frame is None or len(frame) == 0:
        return lambda project_id: []
    record = _record_maker(frame, columns)
    rows: dict[str, list[int]] = {}
    for i, project_id in enumerate(frame["project_id"].tolist()):
        rows.setdefault(text(project_id), []).append(i)
    return lambda project_id: [record(i) for i in rows.get(project_id, [])]


def item_text(body: str, area: str = "", actors: str = "", relisted: bool = False) -> str:
    """`・内容（地域）（実施主体）【再掲】`, blank parts left out, inner line breaks kept.

    When 内容 ends with sub-item lines (starting with "-"), the tags go after the line
    that introduces them, as in the seed:
    `・…次の事業を実施（市町村）` / `-ユジノサハリンスク道北物産展` / ...
    """
    tags = "".join(f"（{part.strip()}）" for part in (area, actors) if part and part.strip())
    if relisted:
        tags += RELISTED_TAG
    lines = str(body).split("\n")
    head_end = len(lines)
    while head_end > 1 and lines[head_end - 1].lstrip().startswith(SUBITEM_MARKS):
        head_end -= 1
    lines[head_end - 1] = lines[head_end - 1].rstrip() + tags
    joined = "\n".join(lines)
    return joined if joined.startswith(ITEM_MARK) else ITEM_MARK + joined


def grouped_entries(items: list[dict], measure_order: list[str], *, issues: bool,
                    area_styles: dict | None = None) -> tuple:
    """Headings and items of one 区分 in display order (see the module's quirks); a 地域 is
    printed in its house style (宗谷総合振興局 → 宗谷) when `area_styles` knows it."""
    area_styles = area_styles or {}
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(text(item["heading"]).strip(), []).append(item)
    if issues:
        order = list(groups)
    else:
        known = [m for m in measure_order if m in groups]
        order = known + [h for h in groups if h not in known]
    entries: list[Entry] = []
    for heading in order:
        if heading:
            entries.append(Entry(ISSUE_MARK + heading, "issue") if issues
                           else Entry(MEASURE_MARK + heading, "measure"))
        for item in groups[heading]:
            relisted = False if is_missing(item["relisted"]) else bool(item["relisted"])
            area = text(item["area"])
            entries.append(Entry(item_text(text(item["text"]), area_styles.get(key(area), area),
                                           text(item["actors"]), relisted), "item"))
    return tuple(entries)


def project_years(kpis: list[dict], rows: list[dict]) -> tuple:
    """KPI table columns: min 基準年度 … max 目標年度, widened to any year that has a value."""
    years = {k["base_year"] for k in kpis if k["base_year"] is not None}
    years |= {k["target_year"] for k in kpis if k["target_year"] is not None}
    years |= {int(r["year"]) for r in rows if not is_missing(r["year"]) and not is_missing(r["value"])}
    return tuple(range(min(years), max(years) + 1)) if years else ()


def _project_kpis(tables) -> tuple[dict, dict]:
    """({project_id: [KPI dict]}, {project_id: [kpi frame rows]}): the master's KPIs, then
    KPIs known only from the kpi frame (in order of first appearance)."""
    kpis: dict[str, list[dict]] = {}
    for r in records(tables.kpis, ("kpi_id", "project_id", "indicator", "unit", "base_year", "target_year",
                                   "target_text")):
        kpis.setdefault(text(r["project_id"]), []).append({
            "kpi_id": text(r["kpi_id"]), "indicator": text(r["indicator"]), "unit": text(r["unit"]),
            "base_year": _year(r["base_year"]), "target_year": _year(r["target_year"]),
            "target_text": text(r["target_text"])})
    rows: dict[str, list[dict]] = {}
    for r in records(tables.kpi, ("kpi_id", "project_id", "indicator", "unit", "year", "kind", "value",
                                  "measured_year", "progress")):
        rows.setdefault(text(r["project_id"]), []).append(r)
    for project_id, project_rows in rows.items():
        known = {k["kpi_id"] for k in kpis.get(project_id, [])}
        for r in project_rows:
            if text(r["kpi_id"]) not in known:
                known.add(text(r["kpi_id"]))
                kpis.setdefault(project_id, []).append({
                    "kpi_id": text(r["kpi_id"]), "indicator": text(r["indicator"]), "unit": text(r["unit"]),
                    "base_year": None, "target_year": None})
    return kpis, rows


def project_page(project: dict, region_name: str, measures: list[str], items: list[dict],
                 kpis: list[dict], rows: list[dict], statuses: dict[str, dict],
                 area_styles: dict | None = None, *, display: str = "", scale: tuple = ()) -> ProjectPage:
    """One project sheet's content (see ProjectPage); `display` is 進捗率の表示, `scale`
    the 評価 scale."""
    by_section: dict[str, list[dict]] = {}
    for item in items:
        by_section.setdefault(text(item["section"]), []).append(item)
    lists = {section: grouped_entries(by_section.get(section, []), measures, issues=section == ISSUES,
                                      area_styles=area_styles)
             for section in (RESULTS, ISSUES, THIS_YEAR, NEXT_YEAR)}
    years = project_years(kpis, rows)
    by_kpi: dict[str, list[dict]] = {}
    for row in rows:
        by_kpi.setdefault(text(row["kpi_id"]), []).append(row)
    views = tuple(kpi_view(k, by_kpi.get(k["kpi_id"], []), years, statuses.get(k["kpi_id"], {}),
                           display=display, scale=scale) for k in kpis)
    base_years = frozenset(y for y in years if kpis and all(k["base_year"] == y for k in kpis))
    target_years = frozenset(y for y in years if kpis and all(k["target_year"] == y for k in kpis))
    return ProjectPage(text(project["project_id"]), text(project["region"]), region_name,
                       text(project["project"]), text(project["purpose"]).strip(),
                       tuple(MEASURE_MARK + m for m in measures),
                       lists, years, base_years, target_years, views, bool(scale), display == CAPPED_DISPLAY)


def overview_rows(projects: list[dict], statuses: list[dict], *, display: str = "", scale: tuple = (),
                  target_texts: dict | None = None) -> tuple:
    """The 一覧 rows in project order, then KPI order; a project without KPI gets one row
    with no KPI; KPIs of a project not in the master come last, unlinked.  `display` is
    進捗率の表示, `scale` the 評価 scale, `target_texts` {kpi_id: a 目標値 that is not a number}."""
    by_project: dict[str, list[dict]] = {}
    for status in statuses:
        progress, target_text = status["progress"], (target_texts or {}).get(text(status["kpi_id"]), "")
        shown = shown_progress(progress, display)
        if isinstance(shown, float) and math.isnan(shown) and target_text and not is_missing(status["latest_year"]):
            shown = NO_PROGRESS
        by_project.setdefault(text(status["project_id"]), []).append({
            **status, "shown_progress": shown, "hit": hits(progress), "target_text": target_text,
            "grade": P.grade(math.nan if is_missing(progress) else float(progress), scale)})
    out = []
    for project in projects:
        project_id = text(project["project_id"])
        name = text(project["project"]) or project_id
        for status in by_project.pop(project_id, []) or [None]:
            out.append(OverviewRow(text(project["region"]), name, project_id, True, status))
    for project_id, rows in by_project.items():
        out.extend(OverviewRow("", project_id, project_id, False, status) for status in rows)
    return tuple(out)


def covered_regions(tables) -> tuple:
    """Report.regions of `tables` without building the report: the names of its projects'
    連携地域 in the projects' order (the region's code where the reference has no name)."""
    regions = {text(r["region"]): text(r["name"]) for r in records(tables.regions, ("region", "name"))}
    return tuple(dict.fromkeys(regions.get(text(p["region"])) or text(p["region"])
                               for p in records(tables.projects, ("region",))))


def build_report(tables) -> Report:
    """The Report of a run's Tables (pipeline/model.py); the frames are not modified."""
    fy = int(tables.fiscal_year)
    projects = records(tables.projects, ("project_id", "region", "project", "purpose", "order"))
    regions = {text(r["region"]): text(r["name"]) for r in records(tables.regions, ("region", "name"))}
    measures: dict[str, list[str]] = {}
    for r in records(tables.measures, ("project_id", "measure")):
        measures.setdefault(text(r["project_id"]), []).append(text(r["measure"]))
    items = _records_by_project(tables.initiatives, ("project_id", "section", "heading", "text", "area", "actors",
                                                    "relisted"))
    kpis, kpi_rows = _project_kpis(tables)
    status_frame = kpi_status(tables.kpis, tables.kpi, fy, getattr(tables, "formulas", None) or None)
    statuses = records(status_frame, STATUS_COLUMNS)
    by_kpi = {text(s["kpi_id"]): s for s in statuses}
    display, scale = (tables.settings or {}).get("progress_display", ""), tuple(getattr(tables, "grades", ()))
    pages = tuple(
        project_page(p, regions.get(text(p["region"])) or text(p["region"]),
                     measures.get(text(p["project_id"]), []), items(text(p["project_id"])),
                     kpis.get(text(p["project_id"]), []), kpi_rows.get(text(p["project_id"]), []), by_kpi,
                     getattr(tables, "area_styles", None), display=display, scale=scale)
        for p in projects)
    piecewise = any(k.piecewise for page in pages for k in page.kpis)
    legend = tuple(Legend(s.key, s.label, s.rule + (PIECEWISE_RULE if piecewise and s.key == "on_track" else ""))
                   for s in STATUSES)
    title, heading = document_titles(tables.settings or {})
    covered = tuple(dict.fromkeys(page.region_name for page in pages))
    texts = {k["kpi_id"]: k["target_text"] for ks in kpis.values() for k in ks if k.get("target_text")}
    overview = overview_rows(projects, statuses, display=display, scale=scale, target_texts=texts)
    return Report(fy, pages, overview, status_frame, legend, title, heading, covered, bool(scale),
                  display == CAPPED_DISPLAY, scale, display)
