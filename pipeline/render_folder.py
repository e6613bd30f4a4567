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
    from .errors import escape
    from .parallel import FileJob, write_files

    def write(folder: Path) -> list[str]:
        return write_files(folder, [FileJob(name, writer) for name, writer in writers.items()], target)

    limit = read_limits().lock_wait_seconds
    return replace(target, write, wait=limit.value, busy=limit.message("", path=escape(target.parent)),
                   lock=target.parent, keep_others=False)


def feedback_writers(feedback, *, has_submitters: bool) -> dict[str, Writer]:
    """{file name: writer} of outputs/<FY>/検証結果/: the 検証結果 of every file with a problem, and 提出状況."""
    from .xlsx.feedback_book import write_feedback_workbook
    from .xlsx.status_book import write_status_workbook

    created, fy = created_time(), feedback.fiscal_year
    writers: dict[str, Writer] = {
        f.name: (lambda path, f=f: write_feedback_workbook([f], path, fiscal_year=fy, created=created))
        for f in feedback.files}
    writers[STATUS_BOOK] = lambda path: write_status_workbook(feedback.status, path, fiscal_year=fy, created=created,
                                                              has_submitters=has_submitters)
    return writers


def write_feedback(feedback, folder: Path, *, has_submitters: bool) -> list[Path]:
    """outputs/<FY>/検証結果/ replaced on its own (a failed run: the yearly outputs stay as they were)."""
    return replace_folder(folder, feedback_writers(feedback, has_submitters=has_submitters))


FEEDBACK_FOLDER = "検証結果"
TEMPLATE_FOLDER = "提出様式"


def run_feedback(fiscal_year: int, inputs, problems, manifest, ref) -> dict[str, Writer]:
    """Decide the 検証結果 of one `sheet` run: its writers."""
    feedback = build_feedback(fiscal_year, inputs, problems, manifest, ref)
    return feedback_writers(feedback, has_submitters="submitters" in inputs.masters)


def publish_feedback(fiscal_year: int, inputs, problems, manifest, ref, outputs: Path) -> Path:
    """Decide and write outputs/<FY>/検証結果/ on its own for one `sheet` run; returns the folder."""
    folder = outputs / str(fiscal_year) / FEEDBACK_FOLDER
    replace_folder(folder, run_feedback(fiscal_year, inputs, problems, manifest, ref))
    return folder


def under(folder: str, writers: dict[str, Writer]) -> dict[str, Writer]:
    """The writers of a folder (検証結果) as files of the FY's folder being built ({検証結果/x.xlsx: writer}),
    so that a successful run's 検証結果 and yearly outputs change together, in one step."""
    return {f"{folder}/{name}": writer for name, writer in writers.items()}


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
