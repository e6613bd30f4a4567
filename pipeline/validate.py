"""Validate: pandera schemas per table kind, then the cross-table checks.

All problems of all files are collected (lazy validation), never only the
first.  Input frames are never modified.
"""
from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from schemas import initiative_table, kpi_actual_table, kpis as kpis_schema, measures as measures_schema
from schemas import projects as projects_schema, settings as settings_schema, submitters as submitters_schema
from schemas import grades as grades_schema, targets as targets_schema
from schemas.checks import HINTS

from schemas.eras import long_title, short_label

from .errors import Problem, place
from schemas.cells import cell_text, heading_key, key, number_and_unit, parse_number, parse_year, unit_key
from schemas.vocab import ALL_KPIS, MEASURE_SECTIONS, NEEDS_BUREAU

from .rows import each_row
from .normalize import SOURCE_COLUMNS, area_names, kpi_lookup, measure_lookup, project_lookup, section_of

SCHEMAS = {
    "取組": initiative_table.schema,
    "KPI実績": kpi_actual_table.schema,
    "projects": projects_schema.schema,
    "measures": measures_schema.schema,
    "kpis": kpis_schema.schema,
    "settings": settings_schema.schema,
    "submitters": submitters_schema.schema,
    "targets": targets_schema.schema,
    "grades": grades_schema.schema,
}
SHOWN_LENGTH = 40
HINT_LIST_MAX = 10  # a hint lists the allowed values when there are at most this many


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

    def add(self, row, column: str, message: str, level: str = "error", hint: str = "") -> None:
        self.problems.append(Problem(row["source_file"], row["source_sheet"], int(row["source_row"]),
                                     self.column(row, column) if column else "", message, level, hint=hint))


def choices(values, generic: str) -> str:
    """A hint listing `values` (・-joined) when they are few, else the `generic` description."""
    values = [v for v in values if v]
    return "・".join(values) if 0 < len(values) <= HINT_LIST_MAX else generic


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
            report.add(row, column, template.format(value=shown(text), length=len(text)), hint=HINTS.get(template, ""))
    return report.problems


def duplicate_problems(frame: pd.DataFrame, keys: list, what: str, headers: dict, column: str) -> list[Problem]:
    """Rows whose `keys` repeat an earlier row: an error at the later row naming the first."""
    report = _Reporter(headers)
    first: dict = {}
    for row in each_row(frame):
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
        for row in each_row(frame):
            if row["project_id"] and row["project_id"] not in known:
                report.add(row, "プロジェクトID", f"「{shown(row['project_id'])}」というプロジェクトはありません"
                                                 "（master/projects.csv のプロジェクトID）")
    for row in kpis.to_dict("records"):
        base, target = row["base_year"], row["target_year"]
        if pd.notna(base) and pd.notna(target) and target <= base:
            report.add(row, "目標年度", f"目標年度（{target}年度）が基準年度（{base}年度）より後ではありません")
    return problems + report.problems


def _measure_problem(report: _Reporter, row: dict, section: str, found, options: str, project: str) -> None:
    """A 見出し of 実績/今年度/次年度 that is empty, unknown, or a 別名 (warning)."""
    heading = row["見出し"]
    if heading == "":
        report.add(row, "見出し", f"{section}の見出しが空です（施策名が必要です: {options}）", hint=options)
    elif found is None:
        report.add(row, "見出し", f"「{shown(heading)}」はプロジェクト「{project}」の施策にありません"
                                 f"（{options}のいずれか）", hint=options)
    elif found[1]:
        report.add(row, "見出し", f"「{shown(heading)}」は施策「{found[0]}」の別名です。"
                                 f"「{found[0]}」として扱います", "warning", hint=found[0])


def _area_problem(report: _Reporter, row: dict, region: str, ref) -> None:
    """A 地域 outside the project's 連携地域 (its 振興局 or 連携地域)."""
    bureaus = ref.regions.loc[ref.regions["region"] == region]
    allowed = "・".join(bureaus["bureaus"].iloc[0]) if len(bureaus) else ""
    name = bureaus["name"].iloc[0] if len(bureaus) else region
    region_word = next(iter(ref.values["連携地域語"]))
    report.add(row, "地域", f"「{shown(row['地域'])}」は使えません（{name}の振興局（{allowed}）、"
                           "または「連携地域」）", hint="・".join(filter(None, (allowed, region_word))))


def initiative_problems(frame: pd.DataFrame, projects: pd.DataFrame, measures: pd.DataFrame,
                        ref, fiscal_year: int, headers: dict) -> list[Problem]:
    """取組 rows against the masters: project, 施策 (別名 → warning), 地域, 年度 = FY."""
    report = _Reporter(headers)
    find_project = project_lookup(projects)
    find_measure = measure_lookup(measures)
    region_of = dict(zip(projects["project_id"], projects["region"]))
    name_of = dict(zip(projects["project_id"], projects["project"]))
    project_hint = choices(projects["project"], "master/projects.csv のプロジェクトIDまたはプロジェクト名")
    measures_of: dict = {}
    for pid, measure in zip(measures["project_id"], measures["measure"]):
        measures_of.setdefault(pid, []).append(measure)
    areas = {region: area_names(region, ref) for region in set(region_of.values())}
    for row in each_row(frame):
        pid = find_project.get(key(row["プロジェクト"]))
        if row["プロジェクト"] != "" and pid is None:
            report.add(row, "プロジェクト", f"「{shown(row['プロジェクト'])}」というプロジェクトはありません"
                                           "（master/projects.csv のプロジェクトIDまたはプロジェクト名）", hint=project_hint)
        section = section_of(row["区分"], ref)
        if pid and section in MEASURE_SECTIONS:
            options = "・".join(measures_of.get(pid, [])) or "施策が登録されていません"
            _measure_problem(report, row, section, find_measure.get((pid, heading_key(row["見出し"]))),
                             options, name_of[pid])
        if pid and row["地域"] != "" and key(row["地域"]) not in areas[region_of[pid]]:
            _area_problem(report, row, region_of[pid], ref)
        if row["年度"] != "":
            try:
                year = parse_year(row["年度"])
            except ValueError:
                continue  # reported by the schema
            if year != fiscal_year:
                report.add(row, "年度", f"「{shown(row['年度'])}」（{year}年度）は報告年度（{fiscal_year}年度）と違います",
                           hint=f"{fiscal_year}（{long_title(fiscal_year)}）または空欄")
    return report.problems


def _actual_in_unit(report: _Reporter, row: dict, loose, unit: str, missing: frozenset):
    """The 実績値 read with the KPI's unit (千m3, 10万人当たり: see cells.parse_number); a cell
    whose unit is another one is an error naming both units."""
    try:
        number = parse_number(row["実績値"], missing, unit=unit)
    except ValueError:
        number = loose  # 945m2 for 千m3: a number, but followed by another unit
    if number.unit and unit_key(number.unit) != unit_key(unit):
        report.add(row, "実績値", f"「{shown(row['実績値'])}」の単位「{number.unit}」がKPIの単位「{unit}」と違います",
                   hint=f"数値だけ、または単位「{unit}」を付けた数値")
    if row.get("単位", "") != "" and unit_key(cell_text(row["単位"])) != unit_key(unit):
        report.add(row, "単位", f"「{shown(row['単位'])}」がKPIの単位「{unit}」と違います", hint=unit)
    return number


def _repeated_actual(report: _Reporter, row: dict, kid: str, year: int, first: tuple, value) -> None:
    """The same KPI and year given twice: a warning for the same value (kept once), else an
    error at both rows, each naming the other place."""
    first_row, first_value, first_text = first
    if first_value == value:
        report.add(row, "実績値", f"KPI「{kid}」の{short_label(year)}の実績値が {place(first_row)} と重複しています"
                                 "（同じ値のため1件として扱います）", "warning")
        return
    hint = f"「{first_text}」または「{shown(row['実績値'])}」のどちらか（正しい値に揃える）"
    report.add(row, "実績値", f"KPI「{kid}」の{short_label(year)}の実績値が2か所で違います: "
                             f"「{first_text}」（{place(first_row)}）と「{shown(row['実績値'])}」（この行）", hint=hint)
    report.add(first_row, "実績値", f"KPI「{kid}」の{short_label(year)}の実績値が2か所で違います: "
                                   f"「{first_text}」（この行）と「{shown(row['実績値'])}」（{place(row)}）", hint=hint)


def kpi_actual_problems(frame: pd.DataFrame, kpis: pd.DataFrame, ref, fiscal_year: int,
                        headers: dict) -> list[Problem]:
    """KPI実績 rows: known KPI, unit suffix, year range, missing values, duplicates."""
    report = _Reporter(headers)
    missing = frozenset(ref.values["未確定"])
    find = kpi_lookup(kpis)
    master = {r["kpi_id"]: r for r in kpis.drop_duplicates("kpi_id").to_dict("records")}
    seen: dict = {}
    for row in each_row(frame):
        kid = find.get(key(row["KPI"]))
        if row["KPI"] != "" and kid is None:
            report.add(row, "KPI", f"「{shown(row['KPI'])}」というKPIはありません（master/kpis.csv のKPI_IDまたは指標名）",
                       hint=choices(kpis["kpi_id"], "master/kpis.csv のKPI_IDまたは指標名"))
        try:
            number = number_and_unit(row["実績値"], missing)  # the unit is checked below, against the KPI's
            year = parse_year(row["年度"])
        except ValueError:
            continue  # reported by the schema
        if number.value is None:
            report.add(row, "実績値", f"実績値が未把握です（「{shown(row['実績値'])}」）。空欄として扱います", "warning")
        if kid is None:
            continue
        kpi = master[kid]
        number = _actual_in_unit(report, row, number, kpi["unit"], missing)
        base = kpi["base_year"]
        if pd.notna(base) and not (base <= year <= fiscal_year):
            report.add(row, "年度", f"「{shown(row['年度'])}」（{year}年度）は範囲外です（基準年度 "
                                   f"{short_label(int(base))}（{base}年度）から報告年度 {short_label(fiscal_year)}"
                                   f"（{fiscal_year}年度）まで）",
                       hint=f"{short_label(int(base))}〜{short_label(fiscal_year)}（{base}〜{fiscal_year}年度）")
        k = (kid, year)
        if k in seen:
            _repeated_actual(report, row, kid, year, seen[k], number.value)
        else:
            seen[k] = (row, number.value, shown(row["実績値"]))
    return report.problems


# --- every text cell, and files that repeat one another ---------------------------------

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
NOT_PUBLISHED = {"備考"}


def text_problems(kind: str, frame: pd.DataFrame, limits, headers: dict) -> list[Problem]:
    """Every published text cell: over cell_chars characters (Excel's cell limit) is an error,
    never cut; a control character (NUL, ESC …) is kept and warned about.

    For 取組, the printed line `・内容（地域）（実施主体）【再掲】` must fit in one cell too.
    """
    report = _Reporter(headers)
    limit = limits.cell_chars
    columns = [c for c in frame.columns if c not in SOURCE_COLUMNS and c not in NOT_PUBLISHED]
    own_limit = {"内容"} if kind == "取組" and initiative_table.TEXT_LIMIT <= limit.value else set()
    for row in each_row(frame):
        for column in columns:
            value = row[column]
            if not isinstance(value, str):
                continue
            if len(value) > limit.value and column not in own_limit:
                report.add(row, column, limit.message(f"{len(value):,} 文字"))
            found = CONTROL.search(value)
            if found:
                report.add(row, column, f"制御文字（U+{ord(found.group()):04X}）が入っています。そのまま残します"
                                        "（意図しない文字なら消してください）", "warning")
        if kind == "取組":
            printed = sum(len(cell_text(row[c])) for c in ("内容", "地域", "実施主体")) + len("・（）（）【再掲】")
            if printed > limit.value and all(len(cell_text(row[c])) <= limit.value for c in ("内容", "実施主体")):
                report.add(row, "実施主体", limit.message(f"管理表の1行（・内容（地域）（実施主体））が {printed:,} 文字"))
    return report.problems


def _row_keys(tables: list) -> dict:
    """{file: set of (kind, cells as text)} of the data rows of recognised submission tables."""
    rows: dict = {}
    for table in tables:
        width = len(table.columns) - len(SOURCE_COLUMNS)
        rows.setdefault(table.file, set()).update(
            (table.kind, *(cell_text(v).strip() for v in record[:width])) for record in table.records)
    return rows


def repeated_file_problems(sources: list, tables: list) -> list[Problem]:
    """The same submission twice: a file identical to another (same SHA-256), or one whose rows
    all repeat another file's rows (a re-submission beside the first, a copy with a row less).
    Each is an error at the file, naming the other."""
    problems = []
    first_of: dict = {}
    rows = _row_keys(tables)
    files = [s.file for s in sources]
    for source in sources:
        if source.sha256 in first_of:
            problems.append(Problem(source.file, "", 0, "", f"{first_of[source.sha256]} と中身がまったく同じファイルです"
                                    "（同じ提出を2回置いていませんか。どちらか一方を消してください）"))
            continue
        first_of[source.sha256] = source.file
        mine = rows.get(source.file)
        if not mine:
            continue
        for other in files:
            theirs = rows.get(other)
            if other == source.file or not theirs or not mine <= theirs:
                continue
            if mine == theirs and files.index(other) > files.index(source.file):
                continue  # the same rows both ways: reported once, at the later file
            problems.append(Problem(source.file, "", 0, "", f"このファイルの {len(mine):,} 行はすべて {other} にある行と"
                                    "同じです（同じ提出を2回置いていませんか。どちらか一方を消してください）"))
            break
    return problems


def submitter_problems(submitters: pd.DataFrame, projects: pd.DataFrame, kpis: pd.DataFrame,
                       ref, headers: dict) -> list[Problem]:
    """submitters.csv against the masters: unique names, 振興局 and 連携地域, projects and KPIs that exist."""
    problems = duplicate_problems(submitters.assign(k=submitters["name"].map(key)), ["k"], "提出団体", headers,
                                  "提出団体")
    report = _Reporter(headers)
    bureaus = "・".join(b for row in ref.regions["bureaus"] for b in row)
    find_project, find_kpi = project_lookup(projects), kpi_lookup(kpis)
    every_kpi = {key(word) for word, meaning in ref.values["KPIの指定"].items() if meaning == ALL_KPIS}
    for row in submitters.to_dict("records"):
        if row["kind"] in NEEDS_BUREAU and row["bureau"] is None:
            written = cell_text(row["_bureau"])
            report.add(row, "振興局", f"「{shown(written)}」という振興局はありません" if written
                       else f"{row['kind']}は振興局が必要です", hint=bureaus)
        written_region = cell_text(row["_region"])
        if written_region and row["region"] is None:
            report.add(row, "連携地域", f"「{shown(written_region)}」は使えません",
                       hint="・".join(ref.regions["region"]))
        elif row["bureau"] and row["region"] and row["bureau"] not in _bureaus_of(row["region"], ref):
            report.add(row, "振興局", f"振興局「{row['bureau']}」は連携地域「{row['region']}」にありません",
                       hint="・".join(_bureaus_of(row["region"], ref)))
        for entry in row["projects"]:
            if entry not in find_project:
                report.add(row, "プロジェクト", f"「{shown(entry)}」というプロジェクトはありません",
                           hint=choices(projects["project_id"], "master/projects.csv のプロジェクトID"))
        for entry in row["kpis"]:
            if entry not in find_kpi and entry.upper() not in every_kpi:
                report.add(row, "KPI", f"「{shown(entry)}」というKPIはありません",
                           hint=choices([ALL_KPIS, *kpis["kpi_id"]], f"{ALL_KPIS}、または master/kpis.csv のKPI_ID"))
    return problems + report.problems


def _bureaus_of(region: str, ref) -> tuple:
    rows = ref.regions.loc[ref.regions["region"] == region, "bureaus"]
    return tuple(rows.iloc[0]) if len(rows) else ()
