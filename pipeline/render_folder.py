"""Render (submitter side): folders of workbooks replaced as a whole, and single reports.

- outputs/<FY>/検証結果/ — one 検証結果 per file with a problem, and 提出状況.xlsx;
  written on every `sheet` run, failed or not;
- outputs/<FY>/提出様式/ — one template per submitter (`templates`).

Each folder is written into a temporary folder beside it and then swapped in: a file
of an earlier run that this run does not write (a problem since fixed) is gone, and a
failure leaves the earlier folder as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .feedback import STATUS_BOOK, build_feedback
from .render import created_time
from .templates import template_name

Writer = Callable[[Path], object]


def replace_folder(target: Path, writers: dict[str, Writer]) -> list[Path]:
    """Write {file name: writer(path)} into a fresh folder, then put it in place of `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    old = None
    try:
        for name, write in writers.items():
            write(staging / name)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".old-", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not target.exists():
            os.replace(old / target.name, target)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return [target / name for name in writers]


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
    """One 検証結果 workbook for `check --report` (written beside `path`, then renamed into place)."""
    from .xlsx.feedback_book import write_feedback_workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        write_feedback_workbook(files, Path(temporary), fiscal_year=fiscal_year, created=created_time())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def write_templates(templates, folder: Path) -> list[Path]:
    """outputs/<FY>/提出様式/: one template per submitter."""
    from .xlsx.template_book import write_template

    created = created_time()
    writers: dict[str, Writer] = {template_name(t.submitter): (lambda path, t=t: write_template(t, path, created=created))
                                  for t in templates}
    return replace_folder(folder, writers)
