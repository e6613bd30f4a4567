"""The diff job: read both 推進管理表, compare and check them, write the 差分 book and the summary.

Each book is read by a forked worker of its own (parallel.streams_in_workers) that hands
its Snapshot back as soon as the book is read and then goes on to check the book's
displayed sheets (verify_job.verify_stages); this process compares the two snapshots
meanwhile.  Then workers prepare the kind sheets' rows in chunks (diff_cells) and the
summary lines while this process writes the book.  Where there is one CPU (or no fork)
everything runs here; the results, the bytes and the lines are the same either way.

Data quirks handled: the error reported is the one the sequential order gives — a book
that cannot be read or checked comes before anything the comparison (or the cut to a
連携地域) raises, the old book before the new.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Iterator

from .diff import Diff, diff
from .diff_cells import chunk_plan, prepared_chunks
from .diff_render import summary_lines
from .model import Snapshot
from .parallel import background, close_streams, next_in_order, streams_in_workers, worker_count
from .verify import Check
from .verify_job import verify_stages
from .xlsx.diff_book import write_diff_workbook

SIDES = ("旧", "新")


def read_and_compare(old_path: Path, new_path: Path, cut: Callable | None = None
                     ) -> tuple[Snapshot, Snapshot, Diff, dict[str, Check]]:
    """(old, new, their Diff, {旧|新: Check}); `cut(old, new)` narrows both snapshots (to a
    連携地域) before they are compared."""
    stages = streams_in_workers([lambda p=path: _read_then_check(p) for path in (old_path, new_path)])
    try:
        old, new = next_in_order(stages)
        try:
            if cut is not None:
                old, new = cut(old, new)
            result = diff(old, new)
        except Exception:
            next_in_order(stages)   # a check's error first, as when the books were checked before comparing
            raise
        return old, new, result, dict(zip(SIDES, next_in_order(stages)))
    finally:
        close_streams(stages)


def _read_then_check(path: Path) -> Iterator[Snapshot | Check]:
    """verify_stages, the check in the background: the comparison waits for the snapshots only."""
    stages = verify_stages(path, str(path))
    yield next(stages)
    background()
    yield from stages


def _summary(result: Diff, out: Path, checks: dict[str, Check]) -> Iterator[list[str]]:
    """The summary lines, in the background: they are printed once the book is written."""
    background()
    yield summary_lines(result, out, checks)


HERE = -1   # the owner of the chunks this process prepares itself


def chunk_owners(count: int, workers: int) -> list[int]:
    """Who prepares each of `count` chunks: the workers in turn, and with several workers this
    process one chunk in 2 × workers (between writing rows it would otherwise wait for them)."""
    if workers < 2:
        return [0] * count
    period = 2 * workers
    return [HERE if i % period == period - 1 else i % period % workers for i in range(count)]


def write_and_summarise(result: Diff, out: Path, checks: dict[str, Check], *, old_sha: str, new_sha: str,
                        created: dt.datetime | None) -> list[str]:
    """Write the 差分 book to `out` (diff_book.write_diff_workbook) and return the summary lines
    (diff_render.summary_lines), the rows and the lines made by workers meanwhile."""
    plan = chunk_plan(result)
    parts = worker_count(None, len(plan))
    owners = chunk_owners(len(plan), parts)
    jobs = [lambda part=part: prepared_chunks(result, plan, owners, part) for part in range(parts)]
    jobs.append(lambda: _summary(result, out, checks))
    streams = streams_in_workers(jobs)
    sources = {**dict(enumerate(streams[:parts])), HERE: prepared_chunks(result, plan, owners, HERE)}
    try:
        prepared = (next(sources[owner]) for owner in owners)
        write_diff_workbook(result, out, old_sha=old_sha, new_sha=new_sha, created=created, checks=checks,
                            prepared=prepared)
        return next(streams[-1])
    finally:
        close_streams(streams)
