"""Validate: pandera schemas per table kind, then the cross-table checks.

All problems of all files are collected (lazy validation), never only the
first.  Input frames are never modified.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from schemas import initiative_table, kpi_actual_table, kpis as kpis_schema, measures as measures_schema
from schemas import projects as projects_schema, settings as settings_schema

from schemas.eras import short_label

from .errors import Problem, place
from schemas.cells import cell_text, heading_key, key, parse_number, parse_year
from schemas.vocab import MEASURE_SECTIONS

from .normalize import area_names, kpi_lookup, measure_lookup, project_lookup, section_of

SCHEMAS = {
    "取組": initiative_table.schema,
    "KPI実績": kpi_actual_table.schema,
    "projects": projects_schema.schema,
    "measures": measures_schema.schema,
    "kpis": kpis_schema.schema,
    "settings": settings_schema.schema,
}
SHOWN_LENGTH = 40


def shown(value: object) -> str:
    """A cell as quoted in a message: one line, at most SHOWN_LENGTH characters."""
    text = cell_text(value).replace("\n", "⏎")
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


class _Reporter:
    """Builds Problems for rows of one frame, naming columns as the submitter wrote them."""

    def __init__(self, headers: dict):
        self.headers = headers  # (file, sheet) → {canonical: as written}
        self.problems: list[Problem] = []

    def column(self, row, column: str) -> str:
        return self.headers.get((row["source_file"], row["source_sheet"]), {}).get(column, column)

    def add(self, row, column: str, message: str, level: str = "error") -> None:
        self.problems.append(Problem(row["source_file"], row["source_sheet"], int(row["source_row"]),
                                     self.column(row, column) if column else "", message, level))


def schema_problems(kind: str, frame: pd.DataFrame, ref, headers: dict) -> list[Problem]:
    """Run the kind's pandera schema lazily; each failure case becomes a Problem on its cell."""
    if frame.empty:
        return []
    report = _Reporter(headers)
    try:
        SCHEMAS[kind](ref).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        seen = set()
        for case in cases.itertuples(index=False):
            if case.index is None or pd.isna(case.index):
                raise AssertionError(f"{kind}: schema failure without a row: {case}") from exc
            row = frame.loc[int(case.index)]
            template, column = case.check, case.column
            if case.schema_context == "DataFrameSchema":  # row-wise check, "column|message", once per row
                if (case.index, template) in seen:
                    continue
                seen.add((case.index, template))
                column, template = template.split("|", 1)
            value = row[column] if column in row.index else case.failure_case
            text = cell_text(value)
            report.add(row, column, template.format(value=shown(text), length=len(text)))
    return report.problems


def duplicate_problems(frame: pd.DataFrame, keys: list, what: str, headers: dict, column: str) -> list[Problem]:
    """Rows whose `keys` repeat an earlier row: an error at the later row naming the first."""
    report = _Reporter(headers)
    first: dict = {}
    for row in frame.to_dict("records"):
        k = tuple(row[c] for c in keys)
        if not all(k):
            continue  # a blank key is reported by the schema, not as a duplicate
        if k in first:
            report.add(row, column, f"{what}「{k[-1]}」が重複しています（{first[k]} と同じ）")
        else:
            first[k] = place(row)
    return report.problems


def master_problems(projects: pd.DataFrame, measures: pd.DataFrame, kpis: pd.DataFrame, headers: dict) -> list[Problem]:
    """Duplicates and references between the three master files."""
    problems = duplicate_problems(projects, ["project_id"], "プロジェクトID", headers, "プロジェクトID")
    problems += duplicate_problems(projects.assign(name=projects["project"].map(key)), ["name"],
                                   "プロジェクト名", headers, "プロジェクト名")
    problems += duplicate_problems(measures.assign(k=measures["measure"].map(heading_key)), ["project_id", "k"],
                                   "施策名", headers, "施策名")
    problems += duplicate_problems(kpis, ["kpi_id"], "KPI_ID", headers, "KPI_ID")
    problems += duplicate_problems(kpis.assign(name=kpis["indicator"].map(key)), ["name"], "指標名", headers, "指標名")
    report = _Reporter(headers)
    known = set(projects["project_id"])
    for frame in (measures, kpis):
        for row in frame.to_dict("records"):
            if row["project_id"] and row["project_id"] not in known:
                report.add(row, "プロジェクトID", f"「{shown(row['project_id'])}」というプロジェクトはありません"
                                                 "（master/projects.csv のプロジェクトID）")
    for row in kpis.to_dict("records"):
        base, target = row["base_year"], row["target_year"]
        if pd.notna(base) and pd.notna(target) and target <= base:
            report.add(row, "目標年度", f"目標年度（{target}年度）が基準年度（{base}年度）より後ではありません")
    return problems + report.problems


def initiative_problems(frame: pd.DataFrame, projects: pd.DataFrame, measures: pd.DataFrame,
                        ref, fiscal_year: int, headers: dict) -> list[Problem]:
    """取組 rows against the masters: project, 施策 (別名 → warning), 地域, 年度 = FY."""
    report = _Reporter(headers)
    find_project = project_lookup(projects)
    find_measure = measure_lookup(measures)
    region_of = dict(zip(projects["project_id"], projects["region"]))
    name_of = dict(zip(projects["project_id"], projects["project"]))
    measures_of: dict = {}
    for pid, measure in zip(measures["project_id"], measures["measure"]):
        measures_of.setdefault(pid, []).append(measure)
    areas = {region: area_names(region, ref) for region in set(region_of.values())}
    for row in frame.to_dict("records"):
        pid = find_project.get(key(row["プロジェクト"]))
        if row["プロジェクト"] != "" and pid is None:
            report.add(row, "プロジェクト", f"「{shown(row['プロジェクト'])}」というプロジェクトはありません"
                                           "（master/projects.csv のプロジェクトIDまたはプロジェクト名）")
        section = section_of(row["区分"], ref)
        if pid and section in MEASURE_SECTIONS:
            heading = row["見出し"]
            found = find_measure.get((pid, heading_key(heading)))
            options = "・".join(measures_of.get(pid, [])) or "施策が登録されていません"
            if heading == "":
                report.add(row, "見出し", f"{section}の見出しが空です（施策名が必要です: {options}）")
            elif found is None:
                report.add(row, "見出し", f"「{shown(heading)}」はプロジェクト「{name_of[pid]}」の施策にありません"
                                         f"（{options}のいずれか）")
            elif found[1]:
                report.add(row, "見出し", f"「{shown(heading)}」は施策「{found[0]}」の別名です。"
                                         f"「{found[0]}」として扱います", "warning")
        if pid and row["地域"] != "" and key(row["地域"]) not in areas[region_of[pid]]:
            bureaus = ref.regions.loc[ref.regions["region"] == region_of[pid]]
            allowed = "・".join(bureaus["bureaus"].iloc[0]) if len(bureaus) else ""
            name = bureaus["name"].iloc[0] if len(bureaus) else region_of[pid]
            report.add(row, "地域", f"「{shown(row['地域'])}」は使えません（{name}の振興局（{allowed}）、"
                                   "または「連携地域」）")
        if row["年度"] != "":
            try:
                year = parse_year(row["年度"])
            except ValueError:
                continue  # reported by the schema
            if year != fiscal_year:
                report.add(row, "年度", f"「{shown(row['年度'])}」（{year}年度）は報告年度（{fiscal_year}年度）と違います")
    return report.problems


def kpi_actual_problems(frame: pd.DataFrame, kpis: pd.DataFrame, ref, fiscal_year: int,
                        headers: dict) -> list[Problem]:
    """KPI実績 rows: known KPI, unit suffix, year range, missing values, duplicates."""
    report = _Reporter(headers)
    missing = frozenset(ref.values["未確定"])
    find = kpi_lookup(kpis)
    master = {r["kpi_id"]: r for r in kpis.drop_duplicates("kpi_id").to_dict("records")}
    seen: dict = {}
    for row in frame.to_dict("records"):
        kid = find.get(key(row["KPI"]))
        if row["KPI"] != "" and kid is None:
            report.add(row, "KPI", f"「{shown(row['KPI'])}」というKPIはありません（master/kpis.csv のKPI_IDまたは指標名）")
        try:
            number = parse_number(row["実績値"], missing)
            year = parse_year(row["年度"])
        except ValueError:
            continue  # reported by the schema
        if number.value is None:
            report.add(row, "実績値", f"実績値が未把握です（「{shown(row['実績値'])}」）。空欄として扱います", "warning")
        if kid is None:
            continue
        kpi = master[kid]
        if number.unit and key(number.unit) != kpi["unit"]:
            report.add(row, "実績値", f"「{shown(row['実績値'])}」の単位「{number.unit}」がKPIの単位"
                                     f"「{kpi['unit']}」と違います")
        base = kpi["base_year"]
        if pd.notna(base) and not (base <= year <= fiscal_year):
            report.add(row, "年度", f"「{shown(row['年度'])}」（{year}年度）は範囲外です（基準年度 "
                                   f"{short_label(int(base))}（{base}年度）から報告年度 {short_label(fiscal_year)}"
                                   f"（{fiscal_year}年度）まで）")
        k = (kid, year)
        if k in seen:
            first_place, first_value, first_text = seen[k]
            if first_value == number.value:
                report.add(row, "実績値", f"KPI「{kid}」の{short_label(year)}の実績値が {first_place} と重複しています"
                                         "（同じ値のため1件として扱います）", "warning")
            else:
                report.add(row, "実績値", f"KPI「{kid}」の{short_label(year)}の実績値が2か所で違います: "
                                         f"「{first_text}」（{first_place}）と「{shown(row['実績値'])}」（この行）")
        else:
            seen[k] = (place(row), number.value, shown(row["実績値"]))
    return report.problems
