"""Tidy: validated submission rows + masters → the tidy frames, in a stable display order.

Runs only on inputs without errors, so every lookup here succeeds.
"""
from __future__ import annotations

import pandas as pd

from .eras import short_label
from .model import INITIATIVE_COLUMNS, KPI_COLUMNS, KPI_MASTER_COLUMNS, MEASURE_COLUMNS, PROJECT_COLUMNS
from .normalize import (
    cell_text, free_text, heading_key, key, kpi_lookup, measure_lookup, parse_number, parse_order,
    parse_year, project_lookup, section_of,
)

KIND_ORDER = {"baseline": 0, "actual": 1, "target": 2}


def projects_table(projects: pd.DataFrame, ref) -> pd.DataFrame:
    """Projects ordered by 連携地域 (reference order), then 表示順 (blank last), then file row."""
    region_rank = dict(zip(ref.regions["region"], ref.regions["order"]))
    ordered = projects.assign(_r=projects["region"].map(region_rank)).sort_values(
        ["_r", "order", "source_row"], na_position="last", kind="stable")
    return ordered.loc[:, list(PROJECT_COLUMNS)].reset_index(drop=True)


def measures_table(measures: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Measures ordered by their project's position, then 表示順 (blank last), then file row."""
    rank = {pid: i for i, pid in enumerate(projects["project_id"])}
    ordered = measures.assign(_p=measures["project_id"].map(rank)).sort_values(
        ["_p", "order", "source_row"], na_position="last", kind="stable")
    return ordered.loc[:, list(MEASURE_COLUMNS)].reset_index(drop=True)


def kpis_table(kpis: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """KPI master ordered by project position, then file row; years as int."""
    rank = {pid: i for i, pid in enumerate(projects["project_id"])}
    ordered = kpis.assign(_p=kpis["project_id"].map(rank)).sort_values(["_p", "source_row"], kind="stable")
    out = ordered.loc[:, list(KPI_MASTER_COLUMNS)].reset_index(drop=True)
    return out.astype({"base_year": int, "target_year": int})


def _flag(value: object, vocabulary: dict) -> bool:
    return vocabulary.get(key(value).upper()) == "はい"


def initiatives_table(rows: pd.DataFrame, projects: pd.DataFrame, measures: pd.DataFrame,
                      ref, fiscal_year: int) -> pd.DataFrame:
    """取組 rows → initiatives frame in display order.

    Order: 連携地域, project, 区分 (実績 課題 今年度 次年度), heading (measures by 表示順;
    課題 headings blank first, then by first appearance), 順序 (blank last), file, sheet, row.
    A 別名 heading becomes the canonical 施策名; a 課題 heading keeps its first spelling.
    """
    columns = list(INITIATIVE_COLUMNS)
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    find_project = project_lookup(projects)
    find_measure = measure_lookup(measures)
    project_rank = {pid: i for i, pid in enumerate(projects["project_id"])}
    info = projects.set_index("project_id")
    measure_rank = {(p, m): i for i, (p, m) in enumerate(zip(measures["project_id"], measures["measure"]))}
    section_rank = {s: i for i, s in enumerate(ref.section_order)}
    relisted = ref.values["再掲"]

    rows = rows.sort_values(["source_file", "sheet_index", "source_row"], kind="stable")
    out = pd.DataFrame({"project_id": rows["プロジェクト"].map(lambda v: find_project[key(v)])})
    out["section"] = rows["区分"].map(lambda v: section_of(v, ref))
    issue_spelling: dict = {}
    headings, heading_rank = [], []
    for pid, section, heading in zip(out["project_id"], out["section"], rows["見出し"]):
        if section == "課題":
            k = (pid, heading_key(heading))
            if k not in issue_spelling:
                issue_spelling[k] = (free_text(heading), -1 if k[1] == "" else len(issue_spelling))
            text, rank = issue_spelling[k]
        else:
            text = find_measure[(pid, heading_key(heading))][0]
            rank = measure_rank[(pid, text)]
        headings.append(text)
        heading_rank.append(rank)
    out["heading"] = headings
    out["text"] = rows["内容"].map(free_text)
    out["area"] = rows["地域"].map(lambda v: cell_text(v).strip())
    out["actors"] = rows["実施主体"].map(lambda v: cell_text(v).strip())
    out["relisted"] = rows["再掲"].map(lambda v: _flag(v, relisted))
    out["order"] = rows["順序"].map(parse_order).astype("Int64")
    for c in ("source_file", "source_sheet", "sheet_index", "source_row"):
        out[c] = rows[c]
    out["fiscal_year"] = fiscal_year
    out["region"] = out["project_id"].map(info["region"])
    out["project"] = out["project_id"].map(info["project"])
    out["_p"] = out["project_id"].map(project_rank)
    out["_s"] = out["section"].map(section_rank)
    out["_h"] = heading_rank
    out = out.sort_values(["_p", "_s", "_h", "order", "source_file", "sheet_index", "source_row"],
                          na_position="last", kind="stable")
    return out.loc[:, columns].reset_index(drop=True)


def kpi_table(rows: pd.DataFrame, kpis: pd.DataFrame, ref, fiscal_year: int) -> pd.DataFrame:
    """Baseline and target rows from the master, actual rows from KPI実績 (a repeated same value once).

    Ordered by KPI (master order), year, kind (baseline, actual, target).  `progress`
    is left empty here; the progress stage fills it.
    """
    missing = frozenset(ref.values["未確定"])
    find = kpi_lookup(kpis)
    master = kpis.set_index("kpi_id")
    records = []
    for kid, kpi in zip(master.index, master.to_dict("records")):
        for kind, year, value in (("baseline", kpi["base_year"], kpi["base_value"]),
                                  ("target", kpi["target_year"], kpi["target_value"])):
            records.append((kid, int(year), kind, value, "master/kpis.csv", "", int(kpi["source_row"])))
    seen = set()
    for row in rows.sort_values(["source_file", "sheet_index", "source_row"], kind="stable").to_dict("records"):
        kid, year = find[key(row["KPI"])], parse_year(row["年度"])
        if (kid, year) in seen:
            continue  # the same value given twice: reported as a warning, kept once
        seen.add((kid, year))
        value = parse_number(row["実績値"], missing).value
        records.append((kid, year, "actual", value, row["source_file"], row["source_sheet"], int(row["source_row"])))
    out = pd.DataFrame(records, columns=["kpi_id", "year", "kind", "value", "source_file", "source_sheet", "source_row"])
    rank = {kid: i for i, kid in enumerate(master.index)}
    out = out.assign(_k=out["kpi_id"].map(rank), _o=out["kind"].map(KIND_ORDER)).sort_values(
        ["_k", "year", "_o"], kind="stable")
    out["fiscal_year"] = fiscal_year
    for column in ("project_id", "indicator", "unit"):
        out[column] = out["kpi_id"].map(master[column])
    out["year_label"] = out["year"].map(short_label)
    out["value"] = out["value"].astype(float)
    out["progress"] = float("nan")
    return out.loc[:, list(KPI_COLUMNS)].reset_index(drop=True)
