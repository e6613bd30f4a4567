"""Every workbook the tests write is kept (by content) and checked with openxml-audit.

`install()` (called by conftest.py before any test module is imported) wraps the
workbook writers of pipeline/xlsx/ (推進管理表, 差分, 検証結果, 提出状況, 提出様式): after
each call the written bytes are kept
once per content and handed to a worker process that validates them with openxml-audit
(a pure-Python port of the Open XML SDK validator, pinned in requirements-dev.lock)
while the tests go on.  tests/test_openxml.py, run last, collects the verdicts.
"""
from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import multiprocessing
import shutil
import tempfile
from pathlib import Path

FORMAT = "MICROSOFT_365"
_kept: dict[str, Path] = {}          # sha256 → a copy of the workbook
_verdicts: dict[str, concurrent.futures.Future] = {}
_pool: concurrent.futures.ProcessPoolExecutor | None = None
_folder: Path | None = None


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
    global _pool, _folder
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest in _kept:
        return
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="openxml-audit-"))
        # a fresh interpreter (not a fork of this one with its threads and open files)
        _pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    copy = _folder / f"{digest[:16]}_{Path(path).name}"
    copy.write_bytes(data)
    _kept[digest] = copy
    _verdicts[digest] = _pool.submit(validate, str(copy))


def kept() -> list[Path]:
    """The distinct workbooks written so far."""
    return list(_kept.values())


def verdicts() -> dict[Path, list[str]]:
    """{workbook: its errors} for every workbook kept so far (waits for the worker)."""
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
    from pipeline.xlsx import book, diff_book, feedback_book, status_book, template_book

    book.write_workbook = _recording(book.write_workbook)
    diff_book.write_diff_workbook = _recording(diff_book.write_diff_workbook)
    feedback_book.write_feedback_workbook = _recording(feedback_book.write_feedback_workbook)
    status_book.write_status_workbook = _recording(status_book.write_status_workbook)
    template_book.write_template = _recording(template_book.write_template)
