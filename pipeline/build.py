"""The sheet job without file output: load → normalize → validate → tidy → progress → report.

Returns the tidy `Tables`, every problem found, and the per-file accounting;
raises InputError (exit 1) or UnreadableFileError (exit 2) with all problems of all
files (an unreadable file does not stop the checks of the others).
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import kpi_checks, kpi_master, load, normalize, progress, regions, report, tidy, validate
from schemas.limits import read_limits

from .errors import InputError, Problem, UnreadableFileError
from .model import MANIFEST_COLUMNS, Tables

SUBMISSION_KINDS = ("取組", "KPI実績")
UNREADABLE_LABEL = "（読めません）"
KIND_LABELS = {"projects": "マスタ（プロジェクト）", "measures": "マスタ（施策）", "kpis": "マスタ（KPI）",
               "submitters": "マスタ（提出団体）", "settings": "マスタ（設定）", "targets": "マスタ（目標）",
               "grades": "マスタ（評価）"}


@dataclass(frozen=True)
class Result:
    """What a run found: tables (None when it failed), problems, the manifest (accounting),
    and the parsed master/submitters.csv (empty when the file is absent)."""

    tables: Tables | None
    problems: tuple
    manifest: pd.DataFrame
    submitters: pd.DataFrame | None = None


def quiet_sheets(ref) -> tuple:
    """The template's own `_` sheets (reference data), skipped without a warning."""
    return tuple(ref.values.get("様式の補助シート", {}))


def locate(problems: list[Problem], tables: dict) -> list[Problem]:
    """Problems with the column position of their cell filled in where a table knows it
    (the header as written → its position); other problems unchanged."""
    positions = {(t.file, t.sheet): {t.headers[c]: pos for c, pos in t.positions.items()}
                 for kind in tables.values() for t in kind}
    out = []
    for p in problems:
        position = positions.get((p.file, p.sheet), {}).get(p.column) if p.position is None and p.column else None
        out.append(p if position is None else dataclasses.replace(p, position=position))
    return out


def _sort(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.sheet, p.row))


def recognise_all(inputs: load.Inputs, ref) -> tuple:
    """Every sheet → Table; returns ({kind: [Table]}, problems, {file: (kinds, rows in unrecognised sheets)})."""
    tables: dict = {kind: [] for kind in (*load.MASTER_FILES, *load.OPTIONAL_MASTERS, *SUBMISSION_KINDS)}
    problems: list[Problem] = []
    files: dict = {}
    for name, source in inputs.masters.items():
        for sheet in source.sheets:
            table, found = normalize.recognise(sheet, ref.headers, (name,))
            problems += found
            files[source.file] = ([KIND_LABELS[name]], 0 if table else int((~normalize.blank_rows(sheet.cells)).sum()))
            if table:
                tables[name].append(table)
    for source in inputs.submissions:
        kinds, unrecognised = [], 0
        for sheet in source.sheets:
            table, found = normalize.recognise(sheet, ref.headers, SUBMISSION_KINDS)
            problems += found
            if table:
                tables[table.kind].append(table)
                kinds.append(table.kind)
            elif any(p.level == "error" for p in found):
                unrecognised += int((~normalize.blank_rows(sheet.cells)).sum())
        files[source.file] = (kinds, unrecognised)
    return tables, problems, files


def _frame(tables: list, kind: str, ref) -> pd.DataFrame:
    if tables:
        return normalize.table_frame(tables[0].columns, [r for t in tables for r in t.records])
    columns = list(ref.headers.loc[ref.headers["table"] == kind, "column"]) + list(normalize.SOURCE_COLUMNS)
    return pd.DataFrame({c: pd.Series(dtype=int if c in ("sheet_index", "source_row") else object) for c in columns})


def manifest(inputs: load.Inputs, frames: dict, files: dict, problems: list[Problem]) -> pd.DataFrame:
    """Per file: SHA-256, kinds, rows read / accepted / rejected (a row with an error is rejected).

    One pass over the rows of every frame (linear in rows, not files × rows).
    A file that could not be read at all is listed too, as （読めません） with no rows.
    """
    rejected_rows = {(p.file, p.sheet, p.row) for p in problems if p.level == "error" and p.row}
    read: Counter = Counter()
    rejected: Counter = Counter()
    for frame in frames.values():
        if not len(frame):
            continue
        for f, s, r in zip(frame["source_file"].tolist(), frame["source_sheet"].tolist(), frame["source_row"].tolist()):
            read[f] += 1
            if (f, s, r) in rejected_rows:
                rejected[f] += 1
    records = []
    for source in (*inputs.masters.values(), *inputs.submissions):
        kinds, unrecognised = files.get(source.file, ([], 0))
        rows_read = read[source.file] + unrecognised
        rows_rejected = rejected[source.file] + unrecognised
        label = "・".join(dict.fromkeys(kinds)) or "（表なし）"
        records.append((source.file, source.sha256, label, rows_read, rows_read - rows_rejected, rows_rejected))
    read_files = {r[0] for r in records}
    for file in dict.fromkeys(p.file for p in inputs.problems if p.level == "error" and p.file not in read_files):
        records.append((file, "", UNREADABLE_LABEL, 0, 0, 0))
    return pd.DataFrame(records, columns=list(MANIFEST_COLUMNS)).sort_values("file", kind="stable").reset_index(drop=True)


def checks(inputs: load.Inputs, tables: dict, frames: dict, ref, limits, headers: dict) -> tuple[list, tuple]:
    """validate's checks: each table kind's schema and texts, repeated files, and — when every
    master they need was read — the checks against the masters (else they would flood).

    Returns (problems, (projects, measures, kpis, settings, submitters) as typed master frames)."""
    problems: list[Problem] = []
    for kind, frame in frames.items():
        problems += validate.schema_problems(kind, frame, ref, headers)
        problems += validate.text_problems(kind, frame, limits, headers)
    problems += validate.repeated_file_problems(
        list(inputs.submissions), [t for kind in SUBMISSION_KINDS for t in tables[kind]])
    projects = normalize.parse_projects(frames["projects"], ref)
    measures = normalize.parse_measures(frames["measures"])
    kpis = normalize.parse_kpis(frames["kpis"], ref)
    settings = normalize.parse_settings(frames["settings"], ref)
    submitters = normalize.parse_submitters(frames["submitters"], ref)
    masters = set(inputs.masters)
    if "kpis" in masters:
        problems += kpi_checks.kpi_master_problems(frames["kpis"], kpis, ref, headers)
    if set(load.MASTER_FILES) <= masters:
        problems += validate.master_problems(projects, measures, kpis, headers)
        problems += validate.submitter_problems(submitters, projects, kpis, ref, headers)
    problems += validate.duplicate_problems(settings, ["item"], "項目", headers, "項目")
    if {"projects", "measures"} <= masters:
        problems += validate.initiative_problems(frames["取組"], projects, measures, ref, inputs.fiscal_year, headers)
    if "kpis" in masters:
        problems += validate.kpi_actual_problems(frames["KPI実績"], kpis, ref, inputs.fiscal_year, headers)
        problems += _kpi_problems(frames, kpis, ref, headers)
    return problems, (projects, measures, kpis, settings, submitters)


def _kpi_problems(frames: dict, kpis: pd.DataFrame, ref, headers: dict) -> list:
    """The KPI model's cross-table checks (pipeline/kpi_checks.py): targets, grades, actuals."""
    targets = kpi_master.parse_targets(frames["targets"], kpis, ref)
    return [*kpi_checks.target_problems(targets, frames["targets"], kpis, ref, headers),
            *kpi_checks.grade_problems(frames["grades"], headers),
            *kpi_checks.actual_problems(frames["KPI実績"], kpis, targets, ref, headers)]


@dataclass(frozen=True)
class Checked:
    """A run's inputs once checked without an error: what tidy needs (the frames, the typed
    masters), the problems (warnings) and the accounting.  `frames` is the run's own dict:
    tidied() takes the 取組 frame out of it (30,000 rows let go once tidied)."""

    fiscal_year: int
    ref: load.Reference
    frames: dict
    masters: tuple
    problems: tuple
    manifest: pd.DataFrame


def check(inputs_dir: Path, fiscal_year: int, ref: load.Reference | None = None,
          inputs: load.Inputs | None = None, meter=None) -> Checked:
    """Read (unless `inputs` are given), recognise and check every file; raise with all problems
    of all files when any is an error.

    UnreadableFileError (exit 2) when a file could not be read at all, else InputError
    (exit 1); either way every readable file has been checked too.
    meter: a pipeline.meter.Meter for the files read (or None).
    """
    ref = ref or load.load_reference()
    limits = read_limits()
    inputs = inputs or load.load_inputs(inputs_dir, fiscal_year, quiet_sheets(ref), limits, meter)
    tables, found, files = recognise_all(inputs, ref)
    problems = list(inputs.problems) + found
    headers = {(t.file, t.sheet): t.headers for kind in tables.values() for t in kind}
    frames = {kind: _frame(tables[kind], kind, ref) for kind in tables}
    found, masters = checks(inputs, tables, frames, ref, limits, headers)
    problems = _sort(locate(problems + found, tables))
    accounting = manifest(inputs, frames, files, problems)
    if any(p.level == "error" for p in inputs.problems):
        raise UnreadableFileError(problems, accounting)
    if any(p.level == "error" for p in problems):
        raise InputError(problems, accounting)
    return Checked(fiscal_year, ref, frames, masters, tuple(problems), accounting)


def tidied(checked: Checked) -> Result:
    """The stages after the checks: tidy → progress → report → the 連携地域 parts."""
    ref, fiscal_year, frames = checked.ref, checked.fiscal_year, checked.frames
    projects, measures, kpis, settings, submitters = checked.masters
    projects_out = tidy.projects_table(projects, ref)
    measures_out = tidy.measures_table(measures, projects_out)
    kpis_out = tidy.kpis_table(kpis, projects_out)
    # the 取組 frame is let go once tidied (the report that follows reuses its memory)
    initiatives = tidy.initiatives_table(frames.pop("取組"), projects_out, measures_out, ref, fiscal_year)
    formulas = kpi_master.formulas(ref)
    targets = kpi_master.parse_targets(frames["targets"], kpis, ref)
    kpi = progress.with_progress(tidy.kpi_table(frames["KPI実績"], kpis, ref, fiscal_year, targets), kpis_out,
                                 formulas)
    result = Tables(fiscal_year, projects_out, measures_out, kpis_out, initiatives, kpi, checked.manifest,
                    ref.regions.loc[:, ["region", "name", "bureaus"]], checked.problems,
                    area_styles=normalize.area_styles(ref), settings=normalize.settings_of(settings, ref),
                    formulas=formulas, grades=kpi_master.grade_scale(frames["grades"]))
    result = dataclasses.replace(result, report=report.build_report(result))
    result = dataclasses.replace(result, parts=regions.split(result))
    return Result(result, checked.problems, checked.manifest, submitters)


def run(inputs_dir: Path, fiscal_year: int, ref: load.Reference | None = None,
        inputs: load.Inputs | None = None, meter=None) -> Result:
    """Run every stage up to the tidy frames (check, then tidied); raise with all problems of
    all files when any is an error (see check).  `inputs` already loaded (the feedback and
    `check` read them too) are used as they are."""
    return tidied(check(inputs_dir, fiscal_year, ref, inputs, meter))
