"""Render (submitter side): folders of workbooks replaced as a whole, and single reports.

- outputs/<FY>/検証結果/ — one 検証結果 per file with a problem, and 提出状況.xlsx;
  written on every `sheet` run, failed or not;
- outputs/<FY>/提出様式/ — one template per submitter (`templates`).

Each folder is written into a temporary folder beside it and then swapped in, in one
step and under the lock of outputs/<FY> (pipeline/atomic.py): a file of an earlier run
that this run does not write (a problem since fixed) is gone, and a failure leaves the
earlier folder as it was.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .feedback import STATUS_BOOK, build_feedback
from .render import created_time
from .templates import template_name

Writer = Callable[[Path], object]


def replace_folder(target: Path, writers: dict[str, Writer]) -> list[Path]:
    """Write {file name: writer(path)} into a fresh folder, then put it in place of `target` in one
    step, under the lock of outputs/<FY> (`target`'s parent): pipeline/atomic.py."""
    from schemas.limits import read_limits

    from .atomic import replace_folder as replace
    from .errors import OutputError, escape

    def write(folder: Path) -> list[str]:
        for name, writer in writers.items():
            try:
                writer(folder / name)
            except OSError as exc:
                raise OutputError(target / name, exc) from None
        return list(writers)

    limit = read_limits().lock_wait_seconds
    return replace(target, write, wait=limit.value, busy=limit.message("", path=escape(target.parent)),
                   lock=target.parent, keep_others=False)


def write_feedback(feedback, folder: Path, *, has_submitters: bool) -> list[Path]:
    """outputs/<FY>/検証結果/: the 検証結果 of every file with a problem, and 提出状況."""
    from .xlsx.feedback_book import write_feedback_workbook
    from .xlsx.status_book import write_status_workbook

    created, fy = created_time(), feedback.fiscal_year
    writers: dict[str, Writer] = {
        f.name: (lambda path, f=f: write_feedback_workbook([f], path, fiscal_year=fy, created=created))
        for f in feedback.files}
    writers[STATUS_BOOK] = lambda path: write_status_workbook(feedback.status, path, fiscal_year=fy, created=created,
                                                              has_submitters=has_submitters)
    return replace_folder(folder, writers)


FEEDBACK_FOLDER = "検証結果"
TEMPLATE_FOLDER = "提出様式"


def publish_feedback(fiscal_year: int, inputs, problems, manifest, ref, outputs: Path) -> Path:
    """Decide and write outputs/<FY>/検証結果/ for one `sheet` run; returns the folder."""
    feedback = build_feedback(fiscal_year, inputs, problems, manifest, ref)
    folder = outputs / str(fiscal_year) / FEEDBACK_FOLDER
    write_feedback(feedback, folder, has_submitters="submitters" in inputs.masters)
    return folder


def write_report(files, path: Path, *, fiscal_year: int) -> Path:
    """One 検証結果 workbook for `check --report`, replacing `path` in one step (atomic.write_with)."""
    from .atomic import write_with
    from .xlsx.feedback_book import write_feedback_workbook

    write_with(path, lambda temporary: write_feedback_workbook(files, temporary, fiscal_year=fiscal_year,
                                                               created=created_time()))
    return path


def write_templates(templates, folder: Path) -> list[Path]:
    """outputs/<FY>/提出様式/: one template per submitter."""
    from .xlsx.template_book import write_template

    created = created_time()
    writers: dict[str, Writer] = {template_name(t.submitter): (lambda path, t=t: write_template(t, path, created=created))
                                  for t in templates}
    return replace_folder(folder, writers)
