"""Tidy: validated submission rows + masters → the tidy frames, in a stable display order.

Runs only on inputs without errors, so every lookup here succeeds.
"""
from __future__ import annotations

import pandas as pd

from schemas.cells import cell_text, free_text, heading_key, key, parse_number, parse_order, parse_year
from schemas.eras import short_label
from schemas.vocab import ACTUAL, BASELINE, INTERIM, ISSUES, KPI_KINDS, TARGET, YEARLY

from .model import INITIATIVE_COLUMNS, KPI_COLUMNS, KPI_MASTER_COLUMNS, MEASURE_COLUMNS, PROJECT_COLUMNS
from .normalize import kpi_lookup, measure_lookup, project_lookup, section_of
from .rows import each_row

KIND_ORDER = {kind: i for i, kind in enumerate(KPI_KINDS)}


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
    info = {p["project_id"]: p for p in projects.to_dict("records")}
    measure_rank = {(p, m): i for i, (p, m) in enumerate(zip(measures["project_id"], measures["measure"]))}
    section_rank = {s: i for i, s in enumerate(ref.section_order)}
    relisted = ref.values["再掲"]

    issue_spelling: dict = {}
    keys: list[tuple] = []
    out: dict[str, list] = {c: [] for c in columns}
    for row in _rows_in_source_order(rows):
        pid = find_project[key(row["プロジェクト"])]
        section = section_of(row["区分"], ref)
        heading = row["見出し"]
        if section == ISSUES:
            k = (pid, heading_key(heading))
            if k not in issue_spelling:
                issue_spelling[k] = (free_text(heading), -1 if k[1] == "" else len(issue_spelling))
            text, rank = issue_spelling[k]
        else:
            text = find_measure[(pid, heading_key(heading))][0]
            rank = measure_rank[(pid, text)]
        order = parse_order(row["順序"])
        keys.append((project_rank[pid], section_rank[section], rank, order is None, order or 0, *_source_key(row)))
        for name, value in (
            ("fiscal_year", fiscal_year), ("region", info[pid]["region"]), ("project_id", pid),
            ("project", info[pid]["project"]), ("section", section), ("heading", text),
            ("text", free_text(row["内容"])), ("area", cell_text(row["地域"]).strip()),
            ("actors", cell_text(row["実施主体"]).strip()), ("relisted", _flag(row["再掲"], relisted)),
            ("order", order), ("source_file", row["source_file"]), ("source_sheet", row["source_sheet"]),
            ("source_row", row["source_row"]),
        ):
            out[name].append(value)
    return _in_order(out, sorted(range(len(keys)), key=keys.__getitem__))


def _in_order(out: dict[str, list], shown: list[int]) -> pd.DataFrame:
    """The frame of the column lists `out` with its rows in `shown` order; each list is let go
    once its column is made (30,000 rows: the lists, the columns and a copy are not all held at once)."""
    data = {}
    for name in list(out):
        values = out.pop(name)
        data[name] = pd.Series([values[i] for i in shown], dtype="Int64" if name == "order" else None)
    return pd.DataFrame(data, copy=False)


def _rows_in_source_order(rows: pd.DataFrame):
    """Each row as a dict, one at a time (pipeline/rows.py), in _source_key order."""
    keys = [rows[c].tolist() for c in SOURCE_ORDER]
    return each_row(rows, sorted(range(len(rows)), key=lambda i: tuple(column[i] for column in keys)))


SOURCE_ORDER = ("source_file", "sheet_index", "source_row")   # the order of the inputs


def _source_key(row: dict) -> tuple:
    """Where a row was read: file, then sheet position, then row (the order of the inputs)."""
    return tuple(row[c] for c in SOURCE_ORDER)


def _target_records(targets: pd.DataFrame | None, master: dict) -> list[tuple]:
    """The interim and yearly targets of master/targets.csv as kpi records (a 最終 row repeats
    the master's target, which is already there)."""
    if targets is None or not len(targets):
        return []
    return [(kid, int(year), kind, value, None, row["source_file"], row["source_sheet"], int(row["source_row"]))
            for kid, year, kind, value, row in zip(targets["kpi_id"], targets["year"], targets["kind"],
                                                   targets["value"], targets.to_dict("records"))
            if kid in master and kind in (YEARLY, INTERIM)]


def kpi_table(rows: pd.DataFrame, kpis: pd.DataFrame, ref, fiscal_year: int,
              targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Baseline and target rows from the master, interim and yearly targets from
    master/targets.csv (`targets`, kpi_master.parse_targets), actual rows from KPI実績 (a
    repeated same value once; `measured_year` from 対象年度 when it differs from 年度).

    Ordered by KPI (master order), year, kind (KPI_KINDS).  `progress` is left empty here;
    the progress stage fills it.
    """
    missing = frozenset(ref.values["未確定"])
    find = kpi_lookup(kpis)
    master: dict = {}
    for kpi in kpis.to_dict("records"):
        master.setdefault(kpi["kpi_id"], kpi)
    records = []
    for kid, kpi in master.items():
        for kind, year, value in ((BASELINE, kpi["base_year"], kpi["base_value"]),
                                  (TARGET, kpi["target_year"], kpi["target_value"])):
            records.append((kid, int(year), kind, value, None, "master/kpis.csv", "", int(kpi["source_row"])))
    records += _target_records(targets, master)
    seen = set()
    for row in sorted(rows.to_dict("records"), key=_source_key):
        kid, year = find[key(row["KPI"])], parse_year(row["年度"])
        if (kid, year) in seen:
            continue  # the same value given twice: reported as a warning, kept once
        seen.add((kid, year))
        value = parse_number(row["実績値"], missing, unit=master[kid]["unit"]).value
        measured = parse_year(row["対象年度"]) if cell_text(row.get("対象年度", "")).strip() else None
        records.append((kid, year, ACTUAL, value, None if measured == year else measured,
                        row["source_file"], row["source_sheet"], int(row["source_row"])))
    rank = {kid: i for i, kid in enumerate(master)}
    records.sort(key=lambda r: (rank[r[0]], r[1], KIND_ORDER[r[2]]))
    out = pd.DataFrame([{
        "fiscal_year": fiscal_year, "kpi_id": kid, "project_id": master[kid]["project_id"],
        "indicator": master[kid]["indicator"], "unit": master[kid]["unit"], "year": year,
        "year_label": short_label(year), "kind": kind, "value": value, "measured_year": measured,
        "progress": None, "source_file": file, "source_sheet": sheet, "source_row": row,
    } for kid, year, kind, value, measured, file, sheet, row in records], columns=list(KPI_COLUMNS))
    return out.astype({"value": float, "progress": float, "measured_year": "Int64"})
