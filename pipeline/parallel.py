"""Render: many output files written at once, one forked worker per CPU.

A run over all of Hokkaido writes about 200 files: a book per 連携地域, the whole-Hokkaido
book, two CSVs and a 検証結果 per submission with a problem.  Every file depends only on
what the run decided before writing began (the tables, the report, the feedback), never
on another file or on the order of writing, so any process may write any file and the
bytes are the same (tests/test_parallel.py compares them with a run by one process).

The workers are forked (`multiprocessing`'s "fork" context): they inherit the run's tables
as they are, nothing is pickled but a job's number and its outcome.  The heaviest files
start first (`FileJob.weight`), so that two workers finish close together.  One worker, or
one job, writes in this process with no pool at all (what the tests of the writers see).

Data quirks handled: an OSError in a worker (a full disk) names the file's final path
(OutputError); a worker that dies (killed, out of memory) stops the run with a Japanese
line instead of a traceback; the caller's temporary folder is removed either way
(pipeline/atomic.py).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import os
import signal
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Callable, Sequence

from .errors import OutputError, PipelineError, escape

MAX_WORKERS = 4   # more buys little: each worker holds a book's cells, and the disk is shared
WORKER_GONE = "処理の途中で、作業用のプロセスが終了しました（メモリ不足などで強制終了された可能性があります）"
WORKER_DIED = "{path} の書き出しの途中で、書き出す処理が終了しました（メモリ不足などで強制終了された可能性があります）。出力は変更していません"


@dataclass(frozen=True)
class FileJob:
    """One output file: its name (relative to the folder being written, e.g. 検証結果/x.xlsx),
    the writer called with its path, and a rough cost (rows)."""

    name: str
    write: Callable[[Path], object]
    weight: int = 1


# What the pool being run works on (FileJobs of write_files, calls of map_in_workers); the forked
# workers inherit it, so only an index crosses to them.
_JOBS: list = []


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity, which a container or `taskset` narrows)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not Linux
        return os.cpu_count() or 1


def worker_count(requested: int | None, jobs: int) -> int:
    """Workers for `jobs` files: as requested (`--jobs`), else one per usable CPU up to MAX_WORKERS;
    never more than there are files, never fewer than one; one where processes cannot be forked."""
    if "fork" not in get_all_start_methods():   # no fork (Windows): everything in this process
        return 1
    wanted = requested if requested is not None else min(usable_cpus(), MAX_WORKERS)
    return max(1, min(wanted, jobs))


PR_SET_PDEATHSIG = 1   # linux/prctl.h


def _libc() -> ctypes.CDLL:
    """The C library (raises OSError where there is none to load by that name)."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def _worker_start(parent: int) -> None:
    """Each worker, first: die with the run (a run killed with -9 leaves no writer behind to
    write into a folder that the next run removes) and drop its copy of the run's lock."""
    try:
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):   # not Linux: the worker ends when its queue closes
        pass
    if os.getppid() != parent:   # the run died before the line above
        os._exit(1)
    from .atomic import forget_inherited_locks

    forget_inherited_locks()


def _pool(count: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(count, mp_context=get_context("fork"), initializer=_worker_start,
                               initargs=(os.getpid(),))


def _write_one(index: int, folder: str) -> None:
    job = _JOBS[index]
    job.write(Path(folder) / job.name)
    gc.collect()   # a book's writer objects hold reference cycles: free them before the next job


def write_files(folder: Path, jobs: Sequence[FileJob], final: Path, *, workers: int | None = None,
                on_done: Callable[[], None] | None = None) -> list[str]:
    """Write every job's file into `folder`; returns their names in the jobs' order.

    `final` is the folder the files will end up in (named by OutputError).  `on_done` is
    called once for each file written (in this process).  When files fail
    (a full disk), every file is still tried and the failure reported is that of the first
    failing file in the jobs' order: the same line whatever the number of workers or the
    order they finish in.
    """
    count = worker_count(workers, len(jobs))
    order = sorted(range(len(jobs)), key=lambda i: (-jobs[i].weight, i))
    if count == 1:
        failures = {i: _in_process(folder, jobs[i], on_done) for i in order}
    else:
        failures = _in_pool(folder, jobs, order, count, on_done)
    failed = sorted(i for i, exc in failures.items() if exc is not None)
    if failed:
        _raise(failures[failed[0]], jobs[failed[0]], final)
    return [job.name for job in jobs]


def _in_process(folder: Path, job: FileJob, on_done) -> BaseException | None:
    try:
        job.write(folder / job.name)
    except (OSError, PipelineError) as exc:
        return exc
    if on_done is not None:
        on_done()
    return None


def _in_pool(folder: Path, jobs: Sequence[FileJob], order: list[int], count: int, on_done) -> dict:
    """{job index: its exception or None}, every job run by the pool."""
    _JOBS[:] = jobs
    release_free_memory()
    failures: dict[int, BaseException | None] = {}
    try:
        with _pool(count) as pool:
            futures = {pool.submit(_write_one, i, str(folder)): i for i in order}
            for future in as_completed(futures):
                i = futures[future]
                failures[i] = future.exception()
                if failures[i] is None and on_done is not None:
                    on_done()
    finally:
        _JOBS.clear()
    return failures


def _raise(exc: BaseException, job: FileJob, final: Path) -> None:
    """A failed file as the CLI reports it: its final path and why, or the worker's death."""
    if isinstance(exc, OSError):
        raise OutputError(final / job.name, exc) from None
    if isinstance(exc, BrokenProcessPool):
        raise PipelineError(WORKER_DIED.format(path=escape(final))) from None   # which file: unknown
    raise exc


def map_in_workers(function: Callable, calls: Sequence[tuple], workers: int | None = None) -> list:
    """[function(*args) for args in calls], the calls run by forked workers (one per CPU, as
    write_files) when there are several; their results are pickled back, in the calls' order.
    An exception of a call is raised here as it was raised there (the first, in order)."""
    count = worker_count(workers, len(calls))
    if count == 1:
        return [function(*args) for args in calls]
    _JOBS[:] = [functools.partial(function, *args) for args in calls]
    try:
        with _pool(count) as pool:
            futures = [pool.submit(_call_one, i) for i in range(len(calls))]
            try:
                return [future.result() for future in futures]
            except BrokenProcessPool:
                raise PipelineError(WORKER_GONE) from None
    finally:
        _JOBS.clear()


def _call_one(index: int):
    return _JOBS[index]()


def release_free_memory() -> None:
    """Give the heap's free pages back to the system (glibc's malloc_trim) before forking: every
    worker starts as a copy of this process, and its peak memory counts what this one holds."""
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):   # not glibc
        pass
