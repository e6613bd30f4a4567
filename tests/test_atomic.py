"""pipeline/atomic.py: one-step replacement of an output folder, recovery, the lock, file modes."""
from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from pipeline import atomic
from pipeline.errors import BusyError, OutputError


def files(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def writer(contents: dict):
    def write(folder: Path) -> list[str]:
        for name, data in contents.items():
            (folder / name).write_bytes(data)
        return list(contents)
    return write


def replace(target: Path, contents: dict, **kwargs) -> list[Path]:
    return atomic.replace_folder(target, writer(contents), wait=kwargs.pop("wait", 1), busy="busy", **kwargs)


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def siblings(outputs: Path) -> list[str]:
    return sorted(p.name for p in outputs.iterdir())


def test_first_and_second_replacement(tmp_path, umask):
    target = tmp_path / "out" / "2019"
    assert replace(target, {"a.csv": b"1", "b.csv": b"1"}) == [target / "a.csv", target / "b.csv"]
    replace(target, {"a.csv": b"2", "b.csv": b"2"})
    assert files(target) == {"a.csv": b"2", "b.csv": b"2"}
    assert siblings(tmp_path / "out") == [".2019.lock", "2019"]
    assert {oct(p.stat().st_mode & 0o777) for p in target.iterdir()} == {"0o644"}
    assert oct(target.stat().st_mode & 0o777) == "0o755"


def test_files_that_are_not_ours_are_carried_over(tmp_path):
    target = tmp_path / "2020"
    replace(target, {"a.csv": b"1"})
    (target / "差分_2019_2020.xlsx").write_bytes(b"diff")
    (target / "メモ").mkdir()
    (target / "メモ" / "note.txt").write_text("n")
    replace(target, {"a.csv": b"2"})
    assert files(target)["差分_2019_2020.xlsx"] == b"diff" and (target / "メモ" / "note.txt").read_text() == "n"
    assert files(target)["a.csv"] == b"2"


def test_a_failure_while_writing_changes_nothing_and_leaves_nothing(tmp_path):
    target = tmp_path / "2019"
    replace(target, {"a.csv": b"1"})

    def broken(folder):
        (folder / "a.csv").write_bytes(b"half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic.replace_folder(target, broken, wait=1, busy="busy")
    assert files(target) == {"a.csv": b"1"} and siblings(tmp_path) == [".2019.lock", "2019"]


def test_without_rename_exchange_the_fallback_still_swaps(tmp_path, monkeypatch):
    target = tmp_path / "2019"
    replace(target, {"a.csv": b"1"})
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    replace(target, {"a.csv": b"2"})
    assert files(target) == {"a.csv": b"2"} and siblings(tmp_path) == [".2019.lock", "2019"]


def test_exchange_swaps_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    assert atomic.exchange(tmp_path / "a", tmp_path / "b") is True
    assert (tmp_path / "b" / "x").read_text() == "a" and not list((tmp_path / "a").iterdir())


def leftover(parent: Path, name: str, content: bytes) -> Path:
    folder = parent / name
    folder.mkdir()
    (folder / "a.csv").write_bytes(content)
    return folder


def test_recover_removes_what_killed_runs_left(tmp_path):
    target = tmp_path / "2019"
    replace(target, {"a.csv": b"now"})
    for name in (".2019.tmp-1", ".2019.new-2", ".2019.old-3"):
        leftover(tmp_path, name, b"stale")
    (target / ".tmp-abc").mkdir()  # the previous version's staging folder, inside the target
    leftover(tmp_path, ".2020.tmp-4", b"another year: not ours to touch")
    atomic.recover(target)
    assert files(target) == {"a.csv": b"now"}
    assert siblings(tmp_path) == [".2019.lock", ".2020.tmp-4", "2019"]


@pytest.mark.parametrize("stages, expected", [
    ((".2019.old-1", ".2019.new-2"), b".2019.new-2"),   # killed between the two renames of the fallback
    ((".2019.old-1",), b".2019.old-1"),                 # only the old set: put back
    ((".2019.tmp-1",), None),                           # an unfinished set is never put in place
])
def test_recover_when_the_folder_is_missing(tmp_path, stages, expected):
    for name in stages:
        leftover(tmp_path, name, name.encode())
        time.sleep(0.01)
    atomic.recover(tmp_path / "2019")
    if expected is None:
        assert not (tmp_path / "2019").exists()
    else:
        assert files(tmp_path / "2019") == {"a.csv": expected}
    assert siblings(tmp_path) == (["2019"] if expected else [])


def _hold(lock_target: str, ready, release) -> None:
    with atomic.output_lock(Path(lock_target), 5, "busy"):
        ready.set()
        release.wait(10)


def test_a_second_run_waits_for_the_lock_then_gives_up(tmp_path):
    target = tmp_path / "2019"
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold, args=(str(target), ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        waited = []
        with pytest.raises(BusyError) as busy:
            atomic.replace_folder(target, writer({"a.csv": b"1"}), wait=0.3, busy="ほかの実行が書き込み中です",
                                   on_wait=lambda: waited.append(True))
        assert busy.value.problems[0].line() == "ほかの実行が書き込み中です" and waited == [True]
        release.set()
        holder.join(10)
        replace(target, {"a.csv": b"1"})  # the lock went with the process
    finally:
        release.set()
        holder.join(10)
    assert files(target) == {"a.csv": b"1"}


def test_a_symlinked_target_is_replaced_where_it_points(tmp_path):
    real = tmp_path / "shared" / "2019"
    replace(real, {"a.csv": b"1"})
    (tmp_path / "out").mkdir()
    os.symlink(real, tmp_path / "out" / "2019")
    replace(tmp_path / "out" / "2019", {"a.csv": b"2"})
    assert (tmp_path / "out" / "2019").is_symlink() and files(real) == {"a.csv": b"2"}


def test_os_errors_name_the_target_never_a_temporary(tmp_path):
    (tmp_path / "2019").write_text("a file where the folder goes")
    with pytest.raises(OutputError) as failed:
        replace(tmp_path / "2019", {"a.csv": b"1"})
    assert failed.value.problems[0].line() == f"{tmp_path / '2019'}: 書き込めません（フォルダではありません（途中の名前がファイルです））"
    assert siblings(tmp_path) == [".2019.lock", "2019"]


def test_write_file_replaces_one_file_with_the_usual_mode(tmp_path, umask):
    path = tmp_path / "差分.xlsx"
    stale = tmp_path / ".差分.xlsx.tmp-dead"
    stale.write_bytes(b"left by a killed run")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = tmp_path / ".差分.xlsx.tmp-live"
    fresh.write_bytes(b"another run writing now")
    atomic.write_file(path, b"x")
    assert path.read_bytes() == b"x" and oct(path.stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".差分.xlsx.tmp-live", "差分.xlsx"]
    with pytest.raises(OutputError) as failed:
        atomic.write_file(path / "inside.xlsx", b"x")
    assert failed.value.problems[0].line() == (
        f"{path / 'inside.xlsx'}: 書き込めません（同じ名前のファイルまたはフォルダがすでにあります）")
