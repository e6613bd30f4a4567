"""Templates: what each submitter's 提出様式 holds, decided here (pure).

From the year's masters (projects, measures, KPIs, submitters) and, when there is one,
last year's run:
- the projects a submitter reports (its list, or every project of its 連携地域; 本庁
  without a 連携地域: every project) with their measures (the dependent 見出し list);
- the choices of 区分, 地域 (the 振興局 of those projects' 連携地域 in the house style,
  then 連携地域) and 再掲;
- rows carried over from last year's files of the same submitter (CARRIED): its 次年度
  as this year's 今年度, its 今年度 as 実績 candidates, its 課題 as 課題, each marked in
  備考 for the submitter to edit or delete;
- for whoever reports KPIs, one KPI実績 row per KPI and year from the year after the
  基準年度 to this year: last year's actual filled in where there was one, else blank.
"""
from __future__ import annotations

from pathlib import PurePosixPath

import pandas as pd

from schemas.cells import is_missing, key
from schemas.eras import short_label
from schemas.vocab import ACTUAL, ISSUES, NEXT_YEAR, RESULTS, THIS_YEAR

from .feedback import belongs_to
from .form_model import KpiRow, Row, Template
from .normalize import kpi_lookup, project_lookup

# last year's 区分 → (this year's 区分, the 備考 of the carried row)
CARRIED = {
    NEXT_YEAR: (THIS_YEAR, "前年度の次年度から"),
    THIS_YEAR: (RESULTS, "前年度の今年度から"),
    ISSUES: (ISSUES, "前年度の課題から"),
}
KPI_CARRIED = "前年度の提出から"


def submitter_projects(submitter: dict, projects: pd.DataFrame) -> list[str]:
    """Project IDs a submitter reports: those listed, else every project of its 連携地域
    (every project when it has none), in the masters' display order."""
    if submitter["projects"]:
        find = project_lookup(projects)
        wanted = {find.get(key(p)) for p in submitter["projects"]}
        return [pid for pid in projects["project_id"] if pid in wanted]
    region = submitter["region"]
    return [pid for pid, r in zip(projects["project_id"], projects["region"]) if region is None or r == region]


def submitter_kpis(submitter: dict, project_ids: list[str], kpis: pd.DataFrame, every: set) -> list[dict]:
    """The KPIs whose actuals a submitter reports: those listed, or with `全て` every KPI of its projects."""
    entries = submitter["kpis"]
    if any(e.upper() in every for e in entries):
        return [k for k in kpis.to_dict("records") if k["project_id"] in project_ids]
    find = kpi_lookup(kpis)
    wanted = {find.get(key(e)) for e in entries}
    return [k for k in kpis.to_dict("records") if k["kpi_id"] in wanted]


def area_choices(project_ids: list[str], projects: pd.DataFrame, regions: pd.DataFrame, region_word: str) -> tuple:
    """The 振興局 of the 連携地域 of these projects (reference order), then 連携地域."""
    used = set(projects.loc[projects["project_id"].isin(project_ids), "region"])
    bureaus = [b for region, row in zip(regions["region"], regions["bureaus"]) if region in used for b in row]
    return (*bureaus, region_word)


def carried_rows(name: str, last: pd.DataFrame | None, project_ids: list[str], projects: pd.DataFrame,
                 area_styles: dict) -> tuple:
    """Last year's rows of this submitter's files, moved on a year (CARRIED), for projects still
    reported; a 地域 in its house style (宗谷地域 → 宗谷), as the template's list offers it."""
    if last is None or last.empty:
        return ()
    names = dict(zip(projects["project_id"], projects["project"]))
    rank = {pid: i for i, pid in enumerate(project_ids)}
    section_rank = {s: i for i, s in enumerate((RESULTS, ISSUES, THIS_YEAR))}
    rows = []
    for r in last.to_dict("records"):
        if r["section"] not in CARRIED or r["project_id"] not in rank or not belongs_to(r["source_file"], name):
            continue
        section, note = CARRIED[r["section"]]
        order = None if is_missing(r["order"]) else int(r["order"])
        rows.append(((rank[r["project_id"]], section_rank[section]), Row(
            names[r["project_id"]], section, r["heading"], r["text"], area_styles.get(key(r["area"]), r["area"]),
            r["actors"],
            bool(r["relisted"]), order, note)))
    rows.sort(key=lambda pair: pair[0])  # stable: last year's display order within a 区分
    return tuple(row for _, row in rows)


def kpi_rows(kpis: list[dict], last_kpi: pd.DataFrame | None, fiscal_year: int) -> tuple:
    """One row per KPI and year after its 基準年度 up to this year; last year's actual where known."""
    known: dict = {}
    if last_kpi is not None:
        for r in last_kpi.to_dict("records"):
            if r["kind"] == ACTUAL and not is_missing(r["value"]):
                known[(r["kpi_id"], int(r["year"]))] = float(r["value"])
    rows = []
    for k in kpis:
        for year in range(int(k["base_year"]) + 1, fiscal_year + 1):
            value = known.get((k["kpi_id"], year))
            rows.append(KpiRow(k["kpi_id"], k["indicator"], k["unit"], year, short_label(year), value,
                               KPI_CARRIED if value is not None else ""))
    return tuple(rows)


def template(submitter: dict, tables, last, ref) -> Template:
    """The 提出様式 of one submitter from this year's Tables and last year's (None without)."""
    region_word = next(iter(ref.values["連携地域語"]))
    project_ids = submitter_projects(submitter, tables.projects)
    names = dict(zip(tables.projects["project_id"], tables.projects["project"]))
    measures = {names[pid]: tuple(tables.measures.loc[tables.measures["project_id"] == pid, "measure"])
                for pid in project_ids}
    every = {w for w, meaning in ref.values["KPIの指定"].items() if meaning == "全て"}
    kpis = submitter_kpis(submitter, project_ids, tables.kpis, every)
    rows = carried_rows(submitter["name"], None if last is None else last.initiatives, project_ids, tables.projects,
                        tables.area_styles)
    first_year = min((int(k["base_year"]) + 1 for k in kpis), default=tables.fiscal_year)
    return Template(
        tables.fiscal_year, submitter["name"], submitter["kind"], submitter["bureau"] or "",
        submitter["region"] or "", tuple((pid, names[pid]) for pid in project_ids), measures,
        tuple(ref.section_order), area_choices(project_ids, tables.projects, tables.regions, region_word),
        rows, tuple((k["kpi_id"], k["indicator"], k["unit"]) for k in kpis),
        kpi_rows(kpis, None if last is None else last.kpi, tables.fiscal_year),
        tuple(short_label(y) for y in range(first_year, tables.fiscal_year + 1)))


def build_templates(tables, submitters: pd.DataFrame, last, ref) -> tuple:
    """Every submitter's Template, in submitters.csv order."""
    return tuple(template(s, tables, last, ref) for s in submitters.to_dict("records"))


def template_name(submitter: str) -> str:
    """The file name of a submitter's template: <提出団体>.xlsx (a `/` would make a folder)."""
    return PurePosixPath(submitter.replace("/", "_").replace("\\", "_")).name + ".xlsx"
