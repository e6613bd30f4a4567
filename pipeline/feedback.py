"""Feedback: what each submitter gets back from a run, decided here (pure).

- `file_feedback` — one input file's 検証結果: its problems in order, and every sheet that
  was read with its cells as sent and the problem cells marked (error over warning);
- `status_rows` — 提出状況: one row per submitter in master/submitters.csv (and per file
  that belongs to none), received or not, rows read / accepted / rejected, problems,
  the name of its 検証結果 file; missing and failing submitters first.

A file belongs to a submitter when its name (without the extension) is the submitter's
name, or starts with it followed by `_` (稚内市.csv, 本庁_KPI.xlsx); see
docs/入力仕様.md.  Nothing here reads or writes files: load reads, render writes.
"""
from __future__ import annotations

import re

from pathlib import PurePosixPath

from schemas.cells import cell_text, is_blank, key

from . import normalize
from .errors import Problem
from .form_model import STATE_RANK, Feedback, FileFeedback, SheetCopy, StatusRow

FEEDBACK_SUFFIX = "_検証結果.xlsx"
STATUS_BOOK = "提出状況.xlsx"
MASTER_PREFIX = "master/"
UNLISTED = "（名簿にない）"
MASTER_KIND = "マスタ"


def belongs_to(file: str, name: str) -> bool:
    """True when the file's name (without extension) is `name` or starts with `name_`."""
    stem, wanted = key(PurePosixPath(file).stem), key(name)
    return bool(wanted) and (stem == wanted or stem.startswith(wanted + "_"))


def _display(value: object) -> object:
    """A raw cell as shown in the copy: numbers stay numbers, the rest is its text."""
    if is_blank(value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return cell_text(value)


def _merge(marks: dict, where, problem: Problem) -> None:
    level, messages = marks.get(where, ("warning", ()))
    level = "error" if "error" in (level, problem.level) else "warning"
    marks[where] = (level, (*messages, problem.message))


def sheet_copy(sheet, label: str, problems: list[Problem], header_row: int = 0) -> SheetCopy:
    """A RawSheet (load) as its copy in the 検証結果, with the problem cells of `problems` marked."""
    width = sheet.cells.shape[1]
    rows = tuple(tuple(_display(v) for v in row) for row in sheet.cells.to_numpy(dtype=object).tolist())
    marks: dict = {}
    row_marks: dict = {}
    for p in problems:
        if p.sheet != sheet.sheet or not p.row:
            continue
        if p.position is not None and p.position < max(width, 1):
            _merge(marks, (p.row, p.position), p)
        else:
            _merge(row_marks, p.row, p)
    return SheetCopy(label, sheet.sheet, header_row, rows, marks, row_marks)


def feedback_names(files: list[str]) -> dict:
    """{file: 検証結果 file name}: `<stem>_検証結果.xlsx`; files sharing a stem get their path
    (without submissions/, `/` and `.` as `_`) instead, so no two names collide."""
    stems: dict = {}
    for file in files:
        stems.setdefault(PurePosixPath(file).stem, []).append(file)
    names = {}
    for stem, group in stems.items():
        for file in group:
            if len(group) == 1:
                names[file] = _CONTROL.sub("_", stem) + FEEDBACK_SUFFIX
            else:
                path = file.removeprefix("submissions/")
                names[file] = _CONTROL.sub("_", path.replace("/", "_").replace(".", "_")) + FEEDBACK_SUFFIX
    return names


# Control characters in a submitted file's name (a newline, ESC) cannot be in a file name that
# 提出状況 links to (XML forbids them in the link): `_` instead (issue 10).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def file_feedback(file: str, name: str, source, problems: list[Problem], header_rows: dict) -> FileFeedback:
    """The 検証結果 of `file`: only its own problems and sheets (safe to send to its submitter).

    `source` is the load.SourceFile (None for a file that could not be read);
    `header_rows` {(file, sheet): header row} freezes each copy below its header.
    """
    own = sorted((p for p in problems if p.file == file), key=lambda p: (p.sheet, p.row, _position(p)))
    sheets = ()
    if source is not None:
        stem = PurePosixPath(file).stem
        sheets = tuple(sheet_copy(s, s.sheet or stem, own, header_rows.get((file, s.sheet), 0))
                       for s in source.sheets)
    return FileFeedback(file, name, tuple(own), sheets)


def _position(problem: Problem) -> int:
    return -1 if problem.position is None else problem.position


def _state(errors: int, warnings: int, received: bool) -> str:
    if not received:
        return "missing"
    return "error" if errors else "warning" if warnings else "ok"


def _counts(files: list[str], manifest) -> tuple:
    if manifest is None or not files:
        return None, None, None
    rows = manifest[manifest["file"].isin(files)]
    if rows.empty:
        return None, None, None
    return tuple(int(rows[c].sum()) for c in ("rows_read", "rows_accepted", "rows_rejected"))


def status_rows(submitters, files: list[str], problems: list[Problem], manifest, reports: dict) -> tuple:
    """提出状況's rows: submitters in their order, then the files that belong to none (master
    files only when they have a problem), sorted by state (missing, error, warning, ok)."""
    per_file: dict = {}
    for p in problems:
        if p.file:
            errors, warnings = per_file.get(p.file, (0, 0))
            per_file[p.file] = (errors + (p.level == "error"), warnings + (p.level != "error"))
    rows, claimed = [], set()
    for s in ([] if submitters is None else submitters.to_dict("records")):
        own = [f for f in files if belongs_to(f, s["name"]) and f not in claimed]
        claimed.update(own)
        rows.append(_row(s["name"], s["kind"], s["bureau"] or "", s["region"] or "", own, per_file, manifest, reports))
    for file in sorted(set(files) | set(per_file)):
        if file in claimed or (file.startswith(MASTER_PREFIX) and file not in per_file):
            continue
        kind = MASTER_KIND if file.startswith(MASTER_PREFIX) else UNLISTED
        rows.append(_row(PurePosixPath(file).stem, kind, "", "", [file], per_file, manifest, reports))
    order = {id(r): i for i, r in enumerate(rows)}
    return tuple(sorted(rows, key=lambda r: (STATE_RANK[r.state], order[id(r)])))


def _row(name: str, kind: str, bureau: str, region: str, files: list[str], per_file: dict, manifest,
         reports: dict) -> StatusRow:
    errors = sum(per_file.get(f, (0, 0))[0] for f in files)
    warnings = sum(per_file.get(f, (0, 0))[1] for f in files)
    read, accepted, rejected = _counts(files, manifest)
    return StatusRow(_state(errors, warnings, bool(files)), name, kind, bureau, region, tuple(files),
                     read, accepted, rejected, errors, warnings, tuple(reports[f] for f in files if f in reports))


def submitters_of(inputs, ref):
    """master/submitters.csv parsed (tolerantly: the run reports its problems), or None without it."""
    source = inputs.masters.get("submitters")
    if source is None:
        return None
    table, _ = normalize.recognise(source.sheets[0], ref.headers, ("submitters",))
    return None if table is None else normalize.parse_submitters(table.frame, ref)


def header_rows(inputs, ref) -> dict:
    """{(file, sheet): header row} of every submission sheet whose header is found."""
    kinds = tuple(k for k in dict.fromkeys(ref.headers["table"]) if k in ("取組", "KPI実績"))
    found = {}
    for source in inputs.submissions:
        for sheet in source.sheets:
            header = normalize.find_header(sheet.cells, ref.headers, kinds)
            if header is not None:
                found[(source.file, sheet.sheet)] = header[1]
    return found


def build_feedback(fiscal_year: int, inputs, problems, manifest, ref) -> Feedback:
    """The feedback of one run over `inputs` (load.Inputs) with the problems it found."""
    problems = list(problems)
    sources = {s.file: s for s in (*inputs.masters.values(), *inputs.submissions)}
    submissions = [s.file for s in inputs.submissions]
    submissions += sorted({p.file for p in problems if p.file and p.file not in sources
                           and not p.file.startswith(MASTER_PREFIX)})
    with_problems = sorted({p.file for p in problems if p.file})
    names = feedback_names(with_problems)
    headers = header_rows(inputs, ref)
    files = tuple(file_feedback(f, names[f], sources.get(f), problems, headers) for f in with_problems)
    status = status_rows(submitters_of(inputs, ref), submissions, problems, manifest, names)
    return Feedback(fiscal_year, files, status)


def report_files(feedback: Feedback, given: list[str]) -> list[FileFeedback]:
    """The 検証結果 of `check --report`: the given files' (in their order), else whatever has a
    problem (a master file)."""
    by_file = {f.file: f for f in feedback.files}
    return [by_file[g] for g in given if g in by_file] or list(feedback.files)
