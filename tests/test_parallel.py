"""Output files written by several forked workers (pipeline/parallel.py) and the yearly set around them."""
from __future__ import annotations

import contextlib
import dataclasses
import errno
import io
import os
import signal
import time
from pathlib import Path

import pytest

from pipeline import cli, parallel
from pipeline.errors import OutputError, PipelineError
from pipeline.parallel import FileJob, write_files


def _text(content: str):
    def write(path: Path) -> None:
        path.write_text(content + f" pid={os.getpid()}", encoding="utf-8")
    return write


def _full_disk(path: Path) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def _killed(path: Path) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_every_file_is_written_and_the_names_come_back_in_the_jobs_order(tmp_path):
    jobs = [FileJob(f"f{i}.txt", _text(f"file {i}"), weight=i) for i in range(6)]
    assert write_files(tmp_path, jobs, tmp_path, workers=2) == [f"f{i}.txt" for i in range(6)]
    texts = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert sorted(texts) == [f"f{i}.txt" for i in range(6)]
    assert all(texts[f"f{i}.txt"].startswith(f"file {i} pid=") for i in range(6))
    pids = {int(t.rsplit("=", 1)[1]) for t in texts.values()}
    assert os.getpid() not in pids    # written by the workers, not by this process


def test_one_worker_writes_in_this_process_heaviest_first(tmp_path):
    order: list[str] = []
    jobs = [FileJob(name, lambda path, name=name: order.append(name), weight=w)
            for name, w in (("light", 1), ("heavy", 30), ("middle", 5), ("middle2", 5))]
    write_files(tmp_path, jobs, tmp_path, workers=1)
    assert order == ["heavy", "middle", "middle2", "light"]   # equal weights: in the jobs' order


@pytest.mark.parametrize("workers", [1, 2])
def test_the_meter_steps_once_per_file_written(tmp_path, workers):
    steps: list[int] = []
    jobs = [FileJob("a.txt", _text("a")), FileJob("b.txt", _text("b")), FileJob("c.txt", _text("c"))]
    write_files(tmp_path, jobs, tmp_path, workers=workers, on_done=lambda: steps.append(1))
    assert len(steps) == 3


@pytest.mark.parametrize("workers", [1, 2])
def test_an_oserror_names_the_final_path(tmp_path, workers):
    jobs = [FileJob("ok.txt", _text("ok")), FileJob("検証結果/x.xlsx", _full_disk, weight=5)]
    with pytest.raises(OutputError) as caught:
        write_files(tmp_path, jobs, Path("outputs/2023"), workers=workers)
    assert str(caught.value) == "outputs/2023/検証結果/x.xlsx: 書き込めません（ディスクの空きがありません）"


def test_a_worker_that_dies_stops_the_run_with_one_line(tmp_path):
    jobs = [FileJob("ok.txt", _text("ok")), FileJob("推進管理表_2023.xlsx", _killed, weight=5)]
    with pytest.raises(PipelineError) as caught:
        write_files(tmp_path, jobs, Path("outputs/2023"), workers=2)
    assert str(caught.value) == (
        "outputs/2023 の書き出しの途中で、書き出す処理が終了しました（メモリ不足などで強制終了された可能性があります）。"
        "出力は変更していません")


@pytest.mark.parametrize("requested, jobs, cpus, expected", [
    (None, 10, 2, 2), (None, 10, 16, parallel.MAX_WORKERS), (None, 1, 8, 1), (3, 10, 1, 3), (3, 2, 8, 2),
    (None, 0, 2, 1),
])
def test_worker_count(monkeypatch, requested, jobs, cpus, expected):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: cpus)
    assert parallel.worker_count(requested, jobs) == expected
    monkeypatch.setattr(parallel, "get_all_start_methods", lambda: ["spawn"])   # Windows
    assert parallel.worker_count(requested, jobs) == 1


def _sheet(inputs: Path, outputs: Path, *extra: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["sheet", "--fy", "2023", "--inputs", str(inputs), "--outputs", str(outputs), *extra])
    return code, err.getvalue()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_one_process_and_several_give_the_same_bytes(hokkaido, tmp_path):
    inputs, _, several = hokkaido[:3]
    code, _ = _sheet(inputs, tmp_path, "--jobs", "1")
    assert code == 0
    one = _tree(tmp_path / "2023")
    assert one == _tree(several)
    assert len(one) == len(list(several.rglob("*.xlsx"))) + 2 and len(one) > 20


def test_jobs_must_be_a_positive_number(tmp_path, capsys):
    assert cli.main(["sheet", "--jobs", "0", "--outputs", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip().endswith(
        "使い方の誤り: argument --jobs: 「0」は 1 以上の整数ではありません（python -m pipeline --help を見てください）")


def test_a_run_with_one_region_removes_the_region_books_of_an_earlier_run(hokkaido, tmp_path):
    from pipeline.build import run
    from pipeline.render import write_outputs

    outputs = tmp_path / "out"
    (outputs / "2023").mkdir(parents=True)
    for name in ("推進管理表_2023_道北.xlsx", "推進管理表_2023_十勝.xlsx", "差分_2022_2023.xlsx", "メモ.txt"):
        (outputs / "2023" / name).write_bytes(b"earlier")
    tables = run(hokkaido[0], 2023).tables
    one_region = tables.parts[2]   # 道北 alone: one book, as a one-region run writes
    single = dataclasses.replace(one_region, parts=())
    written = write_outputs(single, outputs, regions=["道央広域", "道南", "道北", "オホーツク", "十勝", "釧路・根室"])
    assert [p.name for p in written] == ["initiatives.csv", "kpi.csv", "推進管理表_2023.xlsx"]
    assert sorted(p.name for p in (outputs / "2023").iterdir()) == sorted(
        ["initiatives.csv", "kpi.csv", "推進管理表_2023.xlsx", "差分_2022_2023.xlsx", "メモ.txt"])
    assert (outputs / "2023" / "メモ.txt").read_bytes() == b"earlier"


def _lock_state(path: Path) -> None:
    from pipeline import atomic

    path.write_text(f"{dict(atomic._HELD)}", encoding="utf-8")


def test_a_worker_drops_its_copy_of_the_runs_lock(tmp_path):
    from pipeline import atomic

    target = tmp_path / "2023"
    with atomic.output_lock(target, 0, "busy"):
        held = {path: list(entry) for path, entry in atomic._HELD.items()}
        write_files(tmp_path, [FileJob("a.txt", _lock_state), FileJob("b.txt", _lock_state)], tmp_path, workers=2)
        assert atomic._HELD == held and len(held) == 1   # the run still holds it, its descriptor open
        os.fstat(next(iter(held.values()))[0])
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "{}"
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "{}"
    assert atomic._HELD == {}


@pytest.mark.parametrize("workers", [1, 2])
def test_every_file_is_tried_and_the_first_failing_in_the_jobs_order_is_named(tmp_path, workers):
    jobs = [FileJob("a.txt", _text("a")), FileJob("b.xlsx", _full_disk), FileJob("c.txt", _text("c")),
            FileJob("d.xlsx", _full_disk, weight=100)]   # d is started first
    with pytest.raises(OutputError) as caught:
        write_files(tmp_path, jobs, Path("out"), workers=workers)
    assert str(caught.value) == "out/b.xlsx: 書き込めません（ディスクの空きがありません）"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "c.txt"]


def test_submissions_read_by_workers_are_those_read_here(hokkaido, monkeypatch):
    from pipeline import load

    inputs = hokkaido[0]
    here = load.load_inputs(inputs, 2023, workers=1)
    monkeypatch.setattr(load, "PARALLEL_READ_BYTES", 0)
    there = load.load_inputs(inputs, 2023, workers=2)
    assert [s.file for s in there.submissions] == [s.file for s in here.submissions] and len(here.submissions) > 20
    assert there.problems == here.problems
    for a, b in zip(here.submissions, there.submissions):
        assert (a.sha256, [s.sheet for s in a.sheets]) == (b.sha256, [s.sheet for s in b.sheets])
        for x, y in zip(a.sheets, b.sheets):
            assert x.cells.equals(y.cells), (a.file, x.sheet)


@pytest.mark.parametrize("sizes, n, expected", [
    ([10, 10, 10, 10], 2, [2, 2]), ([100, 1, 1, 1], 2, [1, 3]), ([5] * 7, 3, [3, 2, 2]), ([0, 0], 4, [2]),
    ([], 4, []),
])
def test_balanced_chunks_keep_the_order(sizes, n, expected):
    from pipeline.load import _balanced

    paths = [Path(f"f{i}") for i in range(len(sizes))]
    chunks = _balanced(paths, sizes, n)
    assert [len(c) for c in chunks] == expected and [p for c in chunks for p in c] == paths


# --- early files: begun while this process decides the rest ------------------------------------

def _pid_file(path: Path) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")


@pytest.mark.parametrize("workers", [1, 2])
def test_early_files_are_written_while_the_rest_is_decided(tmp_path, workers):
    decided: list[str] = []

    def decide():
        decided.append("yes")
        return [FileJob("book.xlsx", _pid_file, weight=9), FileJob("a.csv", _pid_file)]

    early = [FileJob("検証結果/x.xlsx", _pid_file), FileJob("検証結果/y.xlsx", _pid_file)]
    (tmp_path / "検証結果").mkdir()
    steps: list[int] = []
    names = write_files(tmp_path, decide, tmp_path, workers=workers, early=early, on_done=lambda: steps.append(1))
    assert names == ["book.xlsx", "a.csv", "検証結果/x.xlsx", "検証結果/y.xlsx"] and decided == ["yes"]
    assert len(steps) == 4
    pids = {name: int((tmp_path / name).read_text(encoding="utf-8")) for name in names}
    if workers == 1:
        assert set(pids.values()) == {os.getpid()}
    else:   # the early files by one writer of their own, the rest by the pool forked after decide()
        assert pids["検証結果/x.xlsx"] == pids["検証結果/y.xlsx"] != os.getpid()
        assert not {pids["book.xlsx"], pids["a.csv"]} & {pids["検証結果/x.xlsx"], os.getpid()}


def test_the_early_writer_begins_before_the_rest_is_decided(tmp_path):
    def decide():   # waits (up to 20 s) for the early file: it is written while this runs
        for _ in range(400):
            if (tmp_path / "early.txt").exists():
                return [FileJob("late.txt", _text(f"saw early: {(tmp_path / 'early.txt').read_text(encoding='utf-8')}"))]
            time.sleep(0.05)
        return [FileJob("late.txt", _text("never saw it"))]

    write_files(tmp_path, decide, tmp_path, workers=2, early=[FileJob("early.txt", _text("early"))])
    assert (tmp_path / "late.txt").read_text(encoding="utf-8").startswith("saw early: early pid=")


def test_a_failing_early_file_is_named_after_the_decided_ones(tmp_path):
    early = [FileJob("検証結果/x.xlsx", _full_disk), FileJob("ok.txt", _text("ok"))]
    with pytest.raises(OutputError) as caught:
        write_files(tmp_path, lambda: [FileJob("a.txt", _text("a"))], Path("outputs/2023"), workers=2, early=early)
    assert str(caught.value) == "outputs/2023/検証結果/x.xlsx: 書き込めません（ディスクの空きがありません）"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "ok.txt"]   # every file was tried
    jobs = lambda: [FileJob("a.xlsx", _full_disk)]   # noqa: E731
    with pytest.raises(OutputError) as caught:   # a decided file fails too: it is named, the jobs' order
        write_files(tmp_path, jobs, Path("outputs/2023"), workers=2, early=early)
    assert str(caught.value) == "outputs/2023/a.xlsx: 書き込めません（ディスクの空きがありません）"


def test_an_early_writer_that_dies_stops_the_run_with_one_line(tmp_path):
    with pytest.raises(PipelineError) as caught:
        write_files(tmp_path, lambda: [FileJob("a.txt", _text("a"))], Path("outputs/2023"), workers=2,
                    early=[FileJob("検証結果/x.xlsx", _killed)])
    assert str(caught.value) == (
        "outputs/2023 の書き出しの途中で、書き出す処理が終了しました（メモリ不足などで強制終了された可能性があります）。"
        "出力は変更していません")


def test_when_deciding_fails_the_early_writer_is_stopped(tmp_path):
    def slow(path: Path) -> None:
        time.sleep(30)
        path.write_text("late", encoding="utf-8")

    def decide():
        raise RuntimeError("tidy failed")

    start = time.monotonic()
    with pytest.raises(RuntimeError, match="tidy failed"):
        write_files(tmp_path, decide, tmp_path, workers=2, early=[FileJob("slow.txt", slow)])
    assert time.monotonic() - start < 20 and list(tmp_path.iterdir()) == []   # killed, not waited for


def test_an_early_exception_that_does_not_pickle_still_comes_back_in_words(tmp_path):
    class Odd(Exception):
        def __reduce__(self):
            raise TypeError("no pickling")

    def odd(path: Path) -> None:
        raise Odd("odd failure")

    with pytest.raises(RuntimeError, match="odd failure"):
        write_files(tmp_path, lambda: [], tmp_path, workers=2, early=[FileJob("x.txt", odd)])


def _pids(count: int, fail_at: int | None = None):
    def job():
        for i in range(count):
            if i == fail_at:
                raise PipelineError(f"job failed at {i}")
            yield (i, os.getpid())
    return job


def test_streams_hand_back_each_value_from_a_worker_of_its_own(monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    streams = parallel.streams_in_workers([_pids(3), _pids(2)])
    first = parallel.next_in_order(streams)
    assert [i for i, _ in first] == [0, 0]
    rest = [list(s) for s in streams]
    assert [[i for i, _ in r] for r in rest] == [[1, 2], [1]]
    pids = [{pid for _, pid in [f, *r]} for f, r in zip(first, rest)]
    assert all(len(p) == 1 for p in pids) and len(pids[0] | pids[1]) == 2 and os.getpid() not in pids[0] | pids[1]


def test_with_one_cpu_the_streams_are_the_jobs_run_here_when_asked(monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 1)
    streams = parallel.streams_in_workers([_pids(2), _pids(1)])
    assert [list(s) for s in streams] == [[(0, os.getpid()), (1, os.getpid())], [(0, os.getpid())]]
    before = os.nice(0)
    parallel.background()   # gives way only in a worker: this process keeps its priority
    assert os.nice(0) == before


@pytest.mark.parametrize("cpus", [1, 2])
def test_a_streams_error_is_raised_by_the_next_that_wanted_its_value(monkeypatch, cpus):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: cpus)
    streams = parallel.streams_in_workers([_pids(3, fail_at=1)])
    assert next(streams[0])[0] == 0
    with pytest.raises(PipelineError, match="job failed at 1"):
        next(streams[0])
    parallel.close_streams(streams)


@pytest.mark.parametrize("cpus", [1, 2])
def test_next_in_order_raises_the_first_error_in_the_streams_order(monkeypatch, cpus):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: cpus)
    # the second fails at once; the first only at its second value, which is run first
    streams = parallel.streams_in_workers([_pids(3, fail_at=1), _pids(3, fail_at=0)])
    with pytest.raises(PipelineError, match="job failed at 1"):
        parallel.next_in_order(streams)
    parallel.close_streams(streams)
    streams = parallel.streams_in_workers([_pids(3), _pids(3, fail_at=0)])
    with pytest.raises(PipelineError, match="job failed at 0"):
        parallel.next_in_order(streams)
    parallel.close_streams(streams)


def test_a_stream_whose_worker_dies_stops_the_run_with_one_line(monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)

    def dies():
        yield 1
        os.kill(os.getpid(), signal.SIGKILL)
        yield 2

    streams = parallel.streams_in_workers([dies, _pids(1)])
    with pytest.raises(PipelineError) as caught:
        for value in streams[0]:   # 1, unless the worker died before writing it to the pipe
            assert value == 1
    assert str(caught.value) == parallel.WORKER_GONE
    parallel.close_streams(streams)


def test_a_worker_in_the_background_has_a_higher_nice_value(monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)

    def niceness():
        yield os.nice(0)
        parallel.background()
        yield os.nice(0)

    streams = parallel.streams_in_workers([niceness, niceness])
    before, after = list(streams[0])
    assert after == before + parallel.BACKGROUND_NICE
    parallel.close_streams(streams)


@pytest.fixture(scope="module")
def two_years(hokkaido, tmp_path_factory):
    """The whole-Hokkaido books of 2023 (the hokkaido run) and 2024 (the generator's next year)."""
    inputs, _, year_2023 = hokkaido[:3]
    outputs = tmp_path_factory.mktemp("hokkaido-2024")
    code, _ = _sheet_fy(inputs, outputs, 2024)
    assert code == 0
    return year_2023 / "推進管理表_2023.xlsx", outputs / "2024" / "推進管理表_2024.xlsx"


def _sheet_fy(inputs: Path, outputs: Path, fy: int) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["sheet", "--fy", str(fy), "--inputs", str(inputs), "--outputs", str(outputs)])
    return code, err.getvalue()


@pytest.mark.parametrize("date", [[], ["--date", "2024-03-31"]])
def test_diff_in_one_process_and_in_workers_gives_the_same_bytes_and_lines(two_years, tmp_path, monkeypatch, date):
    from pipeline import diff_cells, diff_job

    monkeypatch.setattr(diff_cells, "CHUNK_ROWS", 40)   # many chunks, shared by the workers in turn
    started: list[tuple[int, bool]] = []

    def streams(jobs):
        made = parallel.streams_in_workers(jobs)
        started.append((len(jobs), all(isinstance(s, parallel._Stream) for s in made)))
        return made

    monkeypatch.setattr(diff_job, "streams_in_workers", streams)
    results = {}
    for cpus in (1, 2, 3):
        monkeypatch.setattr(parallel, "usable_cpus", lambda cpus=cpus: cpus)
        out, name = io.StringIO(), tmp_path / f"{cpus}.xlsx"
        with contextlib.redirect_stdout(out):
            code = cli.main(["diff", *map(str, two_years), "--out", str(name), *date])
        lines = out.getvalue().splitlines()
        assert lines[-1] == f"差分ファイル: {name}"
        results[cpus] = (code, name.read_bytes(), lines[:-1])
    assert results[1] == results[2] == results[3]
    assert results[1][0] == 1 and len(results[1][2]) > 500
    # per run: the two readers, then the row preparers (one per CPU) and the summary; forked from 2 CPUs on
    assert started == [(2, False), (2, False), (2, True), (3, True), (2, True), (4, True)]


@pytest.mark.parametrize("count, workers, expected", [
    (7, 1, [0] * 7), (9, 2, [0, 1, 0, -1, 0, 1, 0, -1, 0]), (7, 3, [0, 1, 2, 0, 1, -1, 0]), (0, 2, []),
])
def test_the_run_prepares_one_chunk_in_twice_the_workers_itself(count, workers, expected):
    from pipeline.diff_job import HERE, chunk_owners

    assert chunk_owners(count, workers) == expected and HERE == -1
