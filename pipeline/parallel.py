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
import queue
import signal
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .errors import OutputError, PipelineError, escape

MAX_WORKERS = 4   # more buys little: each worker holds a book's cells, and the disk is shared
WORKER_GONE = "処理の途中で、作業用のプロセスが終了しました（メモリ不足などで強制終了された可能性があります）"
WORKER_DIED = "{path} の書き出しの途中で、書き出す処理が終了しました（メモリ不足などで強制終了された可能性があります）。出力は変更していません"


class WorkerGone(PipelineError):
    """A forked worker ended before its work did (killed, out of memory)."""


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


def write_files(folder: Path, jobs: Sequence[FileJob] | Callable[[], Sequence[FileJob]], final: Path, *,
                workers: int | None = None, on_done: Callable[[], None] | None = None,
                early: Sequence[FileJob] = ()) -> list[str]:
    """Write every job's file into `folder`; returns their names, `jobs`' then `early`'s.

    `final` is the folder the files will end up in (named by OutputError).  `on_done` is
    called once for each file written (in this process).  When files fail
    (a full disk), every file is still tried and the failure reported is that of the first
    failing file in the order of the names returned: the same line whatever the number of
    workers or the order they finish in.

    `jobs` may be a function that decides them (the run's tidy and report).  The `early` files
    (the 検証結果, decided before) are then begun at once by a forked writer of their own
    (streams_in_workers: no pool, so no thread exists here when the pool that writes `jobs`
    forks), so that they are written while this process decides the rest; the workers that
    write `jobs` are forked once it has, and see what it made.  With one CPU the early files
    are written here, after the rest.
    """
    early = list(early)
    writer = streams_in_workers([lambda: _written(folder, early)], workers)[0] if early and callable(jobs) else None
    try:
        jobs = list(jobs() if callable(jobs) else jobs)
        every = [*jobs, *early]
        failures = _write(folder, every if writer is None else jobs, workers, on_done)
        if writer is not None:
            failures.update({len(jobs) + i: exc for i, exc in _outcomes(writer, len(early), on_done).items()})
    except BaseException:   # deciding failed, or the run was interrupted: no writer is left behind
        if writer is not None:
            writer.close()
        raise
    failed = sorted(i for i, exc in failures.items() if exc is not None)
    if failed:
        _raise(failures[failed[0]], every[failed[0]], final)
    return [job.name for job in every]


def _write(folder: Path, jobs: list[FileJob], workers: int | None, on_done) -> dict:
    """{job index: its exception or None}: the jobs written by a pool (heaviest first), or here."""
    count = worker_count(workers, len(jobs))
    order = sorted(range(len(jobs)), key=lambda i: (-jobs[i].weight, i))
    if count == 1:
        return {i: _in_process(folder, jobs[i], on_done) for i in order}
    return _in_pool(folder, jobs, order, count, on_done)


def _written(folder: Path, jobs: list[FileJob]) -> Iterator[tuple[int, BaseException | None]]:
    """The early files written one by one, heaviest first: (index, its exception or None) each."""
    for i in sorted(range(len(jobs)), key=lambda i: (-jobs[i].weight, i)):
        try:
            jobs[i].write(folder / jobs[i].name)
        except Exception as exc:   # noqa: BLE001 — sent back and raised there, as a pool does
            yield i, _portable(exc)
        else:
            yield i, None


def _portable(exc: Exception) -> Exception:
    """`exc`, or its words when it does not pickle (it crosses to this process through a pipe)."""
    try:
        ForkingPickler.dumps(exc)
    except Exception:   # noqa: BLE001 — whatever pickling refuses
        return RuntimeError(repr(exc))
    return exc


def _outcomes(writer: Iterator, count: int, on_done) -> dict:
    """{index: exception or None} of the `count` early files as their writer reports them; a
    writer that died leaves the files it had not reported as BrokenProcessPool."""
    outcome: dict = {}
    try:
        for i, exc in writer:
            outcome[i] = exc
            if exc is None and on_done is not None:
                on_done()
    except WorkerGone:
        outcome.update({i: BrokenProcessPool(WORKER_GONE) for i in range(count) if i not in outcome})
    return outcome


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
                raise WorkerGone(WORKER_GONE) from None
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


def streams_in_workers(jobs: Sequence[Callable[[], Iterator]], workers: int | None = None) -> list[Iterator]:
    """[iterator over what job() yields, for each job]: each job (a generator function of no
    arguments) run by a forked worker of its own, every value pickled back as soon as it is
    yielded, so this process works on the first values while the workers go on.  Where one
    process is all there is to be (`workers`, as worker_count counts them with this one among
    them: one usable CPU, --jobs 1, no fork), the jobs' generators themselves: each value is
    then computed here when it is asked for (the same values, one process).

    An exception of a job is raised here by the `next` that would have given its next value;
    a worker that dies raises WorkerGone."""
    if worker_count(workers, len(jobs) + 1) < 2:
        return [job() for job in jobs]
    release_free_memory()
    context = get_context("fork")
    streams = []
    for job in jobs:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_stream, args=(job, send, os.getpid()), daemon=True)
        process.start()
        send.close()
        streams.append(_Stream(process, receive))
    return streams


def _stream(job: Callable[[], Iterator], send, parent: int) -> None:
    """In the worker: each value of the job, then the end (or the job's exception).  Values are
    pickled here and written to the pipe by a thread of their own, so that the job goes on with
    its next value while the run's process has yet to read the last one."""
    global _STREAMING
    _STREAMING = True
    _worker_start(parent)
    pending: queue.SimpleQueue = queue.SimpleQueue()
    writer = threading.Thread(target=_write_all, args=(pending, send), daemon=True)
    writer.start()
    try:
        for value in job():
            pending.put(ForkingPickler.dumps((_VALUE, value)))
    except Exception as exc:   # noqa: BLE001 — raised again in the parent
        pending.put(ForkingPickler.dumps((_ERROR, exc)))
    else:
        pending.put(ForkingPickler.dumps((_END, None)))
    pending.put(None)
    writer.join()
    send.close()


def _write_all(pending: queue.SimpleQueue, send) -> None:
    while (message := pending.get()) is not None:
        send.send_bytes(message)


_VALUE, _ERROR, _END = range(3)
_STREAMING = False   # True in a worker of streams_in_workers
BACKGROUND_NICE = 19   # the lowest priority: it runs when nothing else of the run wants the CPU


def background() -> None:
    """Called by a job of streams_in_workers: what it does next is wanted later than what the
    run's own process does meanwhile, so its worker gives way (a higher nice value).  Nothing
    where the job runs in the run's own process."""
    if _STREAMING:
        try:
            os.nice(BACKGROUND_NICE)
        except (OSError, AttributeError):   # not permitted, or not POSIX: the same results, later
            pass


class _Stream:
    """The parent's end of one worker of streams_in_workers."""

    def __init__(self, process, receive):
        self._process, self._receive = process, receive

    def __iter__(self):
        return self

    def __next__(self):
        if self._receive.closed:
            raise StopIteration
        try:
            what, value = self._receive.recv()
        except EOFError:
            self._close()
            raise WorkerGone(WORKER_GONE) from None
        if what == _VALUE:
            return value
        self._close()
        if what == _ERROR:
            raise value
        raise StopIteration

    def _close(self) -> None:
        self._receive.close()
        self._process.join()

    def close(self) -> None:
        """Stop the worker if it is still at work (its values are not wanted any more)."""
        if not self._receive.closed:
            self._process.kill()
            self._close()


def close_streams(streams: Sequence) -> None:
    """Stop what is left of streams_in_workers' jobs (workers killed, generators closed)."""
    for stream in streams:
        stream.close()


def next_in_order(streams: Sequence[Iterator]) -> list:
    """[next(s) for s in streams], except that when one fails the streams before it are run to
    their end first: the error raised is the first in the streams' order (as map_in_workers)."""
    values = []
    for i, stream in enumerate(streams):
        try:
            values.append(next(stream))
        except Exception:
            for earlier in streams[:i]:
                for _ in earlier:
                    pass
            raise
    return values
