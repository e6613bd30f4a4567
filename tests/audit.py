"""Every workbook the tests write is kept (by content) and checked with openxml-audit.

`install()` (called by conftest.py before any test module is imported) wraps the
workbook writers of pipeline/xlsx/ (推進管理表, 差分, 検証結果, 提出状況, 提出様式): after
each call the written bytes are kept
once per content and handed to a worker process that validates them with openxml-audit
(a pure-Python port of the Open XML SDK validator, pinned in requirements-dev.lock)
while the tests go on.  tests/test_openxml.py, run last, collects the verdicts.

A workbook written by a forked worker (pipeline/parallel.py) is only copied into the
folder (a child must not start a pool of its own: it would wait for it at exit); the
process that installed the audit picks such copies up when it is asked for the verdicts.
"""
from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

FORMAT = "MICROSOFT_365"
_kept: dict[str, Path] = {}          # sha256 → a copy of the workbook
_verdicts: dict[str, concurrent.futures.Future] = {}
_pool: concurrent.futures.ProcessPoolExecutor | None = None
_folder: Path | None = None
_owner: int | None = None              # the pid of the process that installed the audit


def validate(path: str) -> list[str]:
    """openxml-audit's errors for one file (run in the worker process)."""
    from openxml_audit import FileFormat

    validator = _validator(getattr(FileFormat, FORMAT))
    return [str(error) for error in validator.validate(path).errors]


@functools.lru_cache(maxsize=1)
def _validator(file_format):
    from openxml_audit import OpenXmlValidator

    return OpenXmlValidator(file_format=file_format, max_errors=0)


def keep(path: Path) -> None:
    """Keep the workbook at `path` (once per content) and start validating it."""
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest in _kept:
        return
    copy = _folder / f"{digest[:16]}_{Path(path).name}"
    if os.getpid() != _owner:   # a forked worker: the owner submits it later (_adopt)
        copy.write_bytes(data)
        return
    copy.write_bytes(data)
    _submit(digest, copy)


def _submit(digest: str, copy: Path) -> None:
    global _pool
    if _pool is None:
        # a fresh interpreter (not a fork of this one with its threads and open files)
        _pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    _kept[digest] = copy
    _verdicts[digest] = _pool.submit(validate, str(copy))


def _adopt() -> None:
    """Submit the copies that forked workers left in the folder."""
    known = {copy.name for copy in _kept.values()}
    for copy in sorted(_folder.iterdir()):
        if copy.name not in known:
            _submit(hashlib.sha256(copy.read_bytes()).hexdigest(), copy)


def kept() -> list[Path]:
    """The distinct workbooks written so far."""
    _adopt()
    return list(_kept.values())


def verdicts() -> dict[Path, list[str]]:
    """{workbook: its errors} for every workbook kept so far (waits for the worker)."""
    _adopt()
    return {_kept[digest]: future.result() for digest, future in _verdicts.items()}


def stop() -> None:
    """Drop what no test asked for and remove the copies (at the end of the session)."""
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)


def _recording(writer):
    @functools.wraps(writer)
    def write(*args, **kwargs):
        writer(*args, **kwargs)
        target = kwargs["path"] if "path" in kwargs else args[1]
        if not hasattr(target, "write"):   # verify's rebuild in memory is no file anyone opens
            keep(Path(target))
    return write


def install() -> None:
    """Wrap the workbook writers (before the test modules import them)."""
    global _folder, _owner
    _folder, _owner = Path(tempfile.mkdtemp(prefix="openxml-audit-")), os.getpid()
    from pipeline.xlsx import book, diff_book, feedback_book, status_book, template_book

    book.write_workbook = _recording(book.write_workbook)
    diff_book.write_diff_workbook = _recording(diff_book.write_diff_workbook)
    feedback_book.write_feedback_workbook = _recording(feedback_book.write_feedback_workbook)
    status_book.write_status_workbook = _recording(status_book.write_status_workbook)
    template_book.write_template = _recording(template_book.write_template)
