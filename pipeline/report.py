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
- in the KPI table an actual wins over the baseline or target of the same year, and
  the target is then named under the indicator (目標値：7,400人（R2）);
- 実績/今年度/次年度 are grouped under ■ measures in the master's order (headings not
  in the master follow in first-appearance order); 課題 under ○ headings in
  first-appearance order, a blank heading giving items without a ○ line;
- when 内容 ends with sub-item lines (`-…`), the tags go after the line that
  introduces them, as in the seed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

import pandas as pd

from schemas.cells import is_missing, key
from schemas.vocab import ACTUAL, ISSUES, NEXT_YEAR, RESULTS, TARGET, THIS_YEAR

from .status import STATUS_COLUMNS, STATUSES, kpi_status, line_value

MEASURE_MARK = "■"
ISSUE_MARK = "○"
ITEM_MARK = "・"
RELISTED_TAG = "【再掲】"
SUBITEM_MARKS = ("-", "－", "‐", "−", "―", "ｰ")


@dataclass(frozen=True)
class Entry:
    """One line of a list on a project sheet: a ■/○ heading or an item, as printed."""

    text: str
    kind: str  # "measure" | "issue" | "item"


@dataclass(frozen=True)
class KpiView:
    """One KPI as its project sheet shows it.

    values: year → (value, kind) in the KPI table; progress: year → 進捗率 rounded to
    0.1 % (the number printed); target_note: the 目標値 to name under the indicator
    (None when its year's column shows the target itself); actual / target / line: the
    three chart series by year; base_value: the 基準値 (NaN when unknown).
    """

    kpi_id: str
    indicator: str
    unit: str
    base_year: int | None
    target_year: int | None
    base_value: float
    values: dict
    progress: dict
    target_note: float | None
    actual: dict
    target: dict
    line: dict


@dataclass(frozen=True)
class ProjectPage:
    """One project sheet: the texts and numbers it prints, in order.

    measure_lines: 【施策展開】 as printed (■施策名); lists: 区分 → entries (RESULTS,
    ISSUES, THIS_YEAR, NEXT_YEAR); years: the KPI
    table's columns (empty without KPIs); base_years / target_years: the years that
    every KPI of the project has as 基準年度 / 目標年度 (marked in the header).
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


@dataclass(frozen=True)
class OverviewRow:
    """One 一覧 row: a KPI (a status dict, STATUS_COLUMNS plus `shown_progress`) or None
    for a project without KPIs.  `linked` is False for a KPI whose project is not in the
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
    (別紙２　プロジェクト推進管理表); regions: the names of the 連携地域 it covers, in order.
    """

    fiscal_year: int
    pages: tuple
    overview: tuple
    statuses: pd.DataFrame
    legend: tuple
    title: str = ""
    heading: str = ""
    regions: tuple = ()


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
    data = {c: frame[c].tolist() for c in columns if c in frame.columns}
    return [{c: (data[c][i] if c in data else None) for c in columns} for i in range(len(frame))]


def round_progress(value: float) -> float:
    """Progress rounded half-up to 0.1 % (0.001), the one rule for every printed 進捗率."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


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


def _table_values(rows: list[dict]) -> tuple[dict, dict, float | None]:
    """(year → (value, kind), year → rounded 進捗率, the target value) of one KPI's rows."""
    values: dict[int, tuple[float, str]] = {}
    progress: dict[int, float] = {}
    target_value = None
    for row in rows:
        year, kind, value = row["year"], text(row["kind"]), row["value"]
        if is_missing(year):
            continue
        year = int(year)
        if kind == ACTUAL and not is_missing(row["progress"]):
            progress[year] = round_progress(row["progress"])
        if is_missing(value):
            continue
        value = float(value)
        if kind == TARGET:
            target_value = value
        if kind == ACTUAL or year not in values:
            values[year] = (value, kind)  # an actual wins over a target in the same year
    return values, progress, target_value


def chart_series(rows: list[dict], years: Sequence[int], status: dict) -> tuple[dict, dict, dict]:
    """(実績値, 目標値, 基準値→目標値の直線) of one KPI by year: the three series of its chart.

    The line runs from 基準年度 to 目標年度 only (status.line_value between them), the
    target is one point at 目標年度; both are empty for a KPI without master data.
    """
    actual = {int(r["year"]): float(r["value"]) for r in rows
              if text(r["kind"]) == ACTUAL and not is_missing(r["year"]) and not is_missing(r["value"])}
    target: dict[int, float] = {}
    line: dict[int, float] = {}
    base_year, target_year = status.get("base_year"), status.get("target_year")
    if not is_missing(base_year) and not is_missing(target_year):
        base_year, target_year = int(base_year), int(target_year)
        for year in years:
            if min(base_year, target_year) <= year <= target_year:
                value = line_value(base_year, status.get("base_value"), target_year,
                                   status.get("target_value"), year)
                if not math.isnan(value):
                    line[year] = value
    if not is_missing(target_year) and not is_missing(status.get("target_value")):
        target[int(target_year)] = float(status["target_value"])
    return actual, target, line


def kpi_view(kpi: dict, rows: list[dict], years: Sequence[int], status: dict) -> KpiView:
    """One KPI of a project page: its table row, 進捗率 row and chart series."""
    values, progress, target_value = _table_values(rows)
    note = None
    if target_value is not None and kpi["target_year"] is not None \
            and values.get(kpi["target_year"], (None, ""))[1] == ACTUAL:
        note = target_value
    actual, target, line = chart_series(rows, years, status)
    base = status.get("base_value")
    return KpiView(kpi["kpi_id"], kpi["indicator"], kpi["unit"], kpi["base_year"], kpi["target_year"],
                   math.nan if is_missing(base) else float(base), values, progress, note,
                   actual, target, line)


def _project_kpis(tables) -> tuple[dict, dict]:
    """({project_id: [KPI dict]}, {project_id: [kpi frame rows]}): the master's KPIs, then
    KPIs known only from the kpi frame (in order of first appearance)."""
    kpis: dict[str, list[dict]] = {}
    for r in records(tables.kpis, ("kpi_id", "project_id", "indicator", "unit", "base_year", "target_year")):
        kpis.setdefault(text(r["project_id"]), []).append({
            "kpi_id": text(r["kpi_id"]), "indicator": text(r["indicator"]), "unit": text(r["unit"]),
            "base_year": _year(r["base_year"]), "target_year": _year(r["target_year"])})
    rows: dict[str, list[dict]] = {}
    for r in records(tables.kpi, ("kpi_id", "project_id", "indicator", "unit", "year", "kind", "value",
                                  "progress")):
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
                 area_styles: dict | None = None) -> ProjectPage:
    """One project sheet's content (see ProjectPage)."""
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
    views = tuple(kpi_view(k, by_kpi.get(k["kpi_id"], []), years, statuses.get(k["kpi_id"], {}))
                  for k in kpis)
    base_years = frozenset(y for y in years if kpis and all(k["base_year"] == y for k in kpis))
    target_years = frozenset(y for y in years if kpis and all(k["target_year"] == y for k in kpis))
    return ProjectPage(text(project["project_id"]), text(project["region"]), region_name,
                       text(project["project"]), text(project["purpose"]).strip(),
                       tuple(MEASURE_MARK + m for m in measures),
                       lists, years, base_years, target_years, views)


def overview_rows(projects: list[dict], statuses: list[dict]) -> tuple:
    """The 一覧 rows in project order, then KPI order; a project without KPI gets one row
    with no KPI; KPIs of a project not in the master come last, unlinked."""
    by_project: dict[str, list[dict]] = {}
    for status in statuses:
        shown = math.nan if is_missing(status["progress"]) else round_progress(status["progress"])
        by_project.setdefault(text(status["project_id"]), []).append({**status, "shown_progress": shown})
    out = []
    for project in projects:
        project_id = text(project["project_id"])
        name = text(project["project"]) or project_id
        for status in by_project.pop(project_id, []) or [None]:
            out.append(OverviewRow(text(project["region"]), name, project_id, True, status))
    for project_id, rows in by_project.items():
        out.extend(OverviewRow("", project_id, project_id, False, status) for status in rows)
    return tuple(out)


def build_report(tables) -> Report:
    """The Report of a run's Tables (pipeline/model.py); the frames are not modified."""
    fy = int(tables.fiscal_year)
    projects = records(tables.projects, ("project_id", "region", "project", "purpose", "order"))
    regions = {text(r["region"]): text(r["name"]) for r in records(tables.regions, ("region", "name"))}
    measures: dict[str, list[str]] = {}
    for r in records(tables.measures, ("project_id", "measure")):
        measures.setdefault(text(r["project_id"]), []).append(text(r["measure"]))
    items: dict[str, list[dict]] = {}
    for r in records(tables.initiatives, ("project_id", "section", "heading", "text", "area", "actors",
                                          "relisted")):
        items.setdefault(text(r["project_id"]), []).append(r)
    kpis, kpi_rows = _project_kpis(tables)
    status_frame = kpi_status(tables.kpis, tables.kpi, fy)
    statuses = records(status_frame, STATUS_COLUMNS)
    by_kpi = {text(s["kpi_id"]): s for s in statuses}
    pages = tuple(
        project_page(p, regions.get(text(p["region"])) or text(p["region"]),
                     measures.get(text(p["project_id"]), []), items.get(text(p["project_id"]), []),
                     kpis.get(text(p["project_id"]), []), kpi_rows.get(text(p["project_id"]), []), by_kpi,
                     getattr(tables, "area_styles", None))
        for p in projects)
    legend = tuple(Legend(s.key, s.label, s.rule) for s in STATUSES)
    title, heading = document_titles(tables.settings or {})
    covered = tuple(dict.fromkeys(page.region_name for page in pages))
    return Report(fy, pages, overview_rows(projects, statuses), status_frame, legend, title, heading, covered)


def kpi_with_status(kpi: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """A copy of the tidy kpi frame with `kpi_status`: its KPI's 見込み label on every row."""
    labels = dict(zip(statuses["kpi_id"], statuses["label"]))
    return kpi.assign(kpi_status=[labels.get(k, "") for k in kpi["kpi_id"]])
