"""The submitter-side jobs, chaining the stages as build.run does for `sheet`:

- `template_job` — this year's masters (its submissions are not read) and, when
  inputs/<FY-1> exists, last year's run → one Template per submitter;
- `check_job` — given files checked against a year's masters, nothing built or written:
  the problems (the same messages as `sheet`), the accounting and what was read (for
  the 検証結果 of `check --report`).

Pure but for reading the inputs (load); writing is render's (pipeline/render_folder.py).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from . import load
from .build import quiet_sheets, run
from .errors import InputError, PipelineError, Problem
from .templates import build_templates

NO_SUBMITTERS = "ファイルがありません（提出様式を作るには提出団体のマスタが必要です。docs/入力仕様.md 3.4）"
LAST_YEAR_FAILED = ("前年度（{fy}年度）の入力にエラーがあるため、前年度からの引き継ぎはしません"
                    "（make sheet FY={fy} でエラーを確かめてください）")


@dataclass(frozen=True)
class Checked:
    """What `check` found: problems (sorted), the accounting (None when files were unreadable),
    the inputs read (masters and the given files) and the exit code (0, 1 or 2)."""

    problems: tuple
    manifest: object
    inputs: load.Inputs
    exit_code: int


def _masters_only(inputs_dir: Path, fiscal_year: int, ref) -> load.Inputs:
    inputs = load.load_inputs(inputs_dir, fiscal_year, quiet_sheets(ref))
    problems = tuple(p for p in inputs.problems if p.file.startswith("master/"))
    return dataclasses.replace(inputs, submissions=(), problems=problems)


def template_job(inputs_dir: Path, fiscal_year: int, ref) -> tuple:
    """(Templates, warnings) for every submitter of inputs/<FY>/master/submitters.csv.

    Raises InputError when a master has an error or submitters.csv is missing.
    """
    inputs = _masters_only(inputs_dir, fiscal_year, ref)
    if "submitters" not in inputs.masters:
        raise InputError([Problem(load.OPTIONAL_MASTERS["submitters"], "", 0, "", NO_SUBMITTERS)])
    result = run(inputs_dir, fiscal_year, ref, inputs=inputs)
    warnings = list(result.problems)
    last = None
    if (inputs_dir / str(fiscal_year - 1)).is_dir():
        try:
            last = run(inputs_dir, fiscal_year - 1, ref).tables
        except PipelineError:
            warnings.append(Problem("", "", 0, "", LAST_YEAR_FAILED.format(fy=fiscal_year - 1), "warning"))
    return build_templates(result.tables, result.submitters, last, ref), tuple(warnings)


def check_job(paths: list[Path], inputs_dir: Path, fiscal_year: int, ref) -> Checked:
    """Check `paths` (files named as given) against inputs/<FY>'s masters, as `sheet` would."""
    inputs = _masters_only(inputs_dir, fiscal_year, ref)
    submissions, problems = [], list(inputs.problems)
    for path in paths:
        if not path.is_file():
            problems.append(Problem(str(path), "", 0, "", "ファイルがありません"))
            continue
        source, found = load.read_submission(path, str(path), quiet_sheets(ref), follow=True)  # a path the user typed
        problems += found
        if source is not None:
            submissions.append(source)
    inputs = dataclasses.replace(inputs, submissions=tuple(submissions), problems=tuple(problems))
    try:
        result = run(inputs_dir, fiscal_year, ref, inputs=inputs)
    except PipelineError as exc:
        return Checked(tuple(exc.problems), exc.manifest, inputs, exc.exit_code)
    return Checked(result.problems, result.manifest, inputs, 0)
