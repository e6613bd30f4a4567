"""Atomic outputs (render stage): a FY's output folder replaced in one step, under a lock.

A reader of outputs/<FY> sees the complete old set or the complete new set, never a mix
and never nothing:

1. a lock file beside the folder (`outputs/.<FY>.lock`, empty, kept) is taken with
   fcntl.flock; a second run into the same folder waits for it (lock_wait_seconds in
   schemas/reference/limits.csv), then gives up with BusyError (exit 2).  The lock goes
   with the process, so a killed run never leaves it taken;
2. what earlier killed runs left is finished or undone (`recover`): a complete set
   waiting to be swapped in (`.<FY>.new-*`) is put in place when the folder is missing,
   an old set moved aside (`.<FY>.old-*`) is put back when nothing else can be; then every
   leftover sibling (`.<FY>.tmp-*`, `.new-*`, `.old-*`) and the previous version's
   `outputs/<FY>/.tmp-*` are removed;
3. the new set is written into a sibling folder `.<FY>.tmp-*`; files of the old folder
   that are not ours (差分_*.xlsx written by `diff`, anything a person put there) are
   hard-linked into it (copied where links are not possible); everything is fsynced and
   the folder renamed to `.<FY>.new-*` (complete);
4. the swap: renameat2(RENAME_EXCHANGE) (Linux ≥ 3.15, through ctypes) exchanges the two
   folders in one step; where the file system cannot (EINVAL, ENOSYS, EOPNOTSUPP) the old
   folder is renamed aside and the new one into place (a moment without the folder; a run
   killed in that moment is repaired by step 2 of the next run).  The old set is removed.

Every file is created with mode 0666 and every folder with 0777, less the umask, like any
new file (mkstemp's 0600 is not used).  OSErrors become OutputError naming the final path,
never a temporary one.  `outputs/<FY>` given as a symlink is replaced where it points.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Callable, Collection, Iterator

from .errors import BusyError, OutputError, PipelineError

RENAME_EXCHANGE = 2
AT_FDCWD = -100
UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}
STAGES = ("tmp", "new", "old")
POLL_SECONDS = 0.05
STALE_SECONDS = 60  # a temporary of write_file older than this was left by a killed run


def sibling(target: Path, stage: str) -> Path:
    """`outputs/.2019.tmp-1a2b3c4d`: a fresh name beside `target` for one stage of a swap."""
    return target.parent / f".{target.name}.{stage}-{secrets.token_hex(4)}"


def lock_path(target: Path) -> Path:
    """`outputs/.2019.lock` for `outputs/2019`."""
    return target.parent / f".{target.name}.lock"


# Lock files this process holds → [descriptor, depth] (a run takes its FY lock once, its writers again).
_HELD: dict[str, list[int]] = {}


def forget_inherited_locks() -> None:
    """In a forked worker (pipeline/parallel.py): close the inherited descriptors of the locks
    the run holds.  The run keeps its lock; only the run's own death or end releases it, never
    a worker left behind."""
    for fd, _ in _HELD.values():
        os.close(fd)
    _HELD.clear()


@contextlib.contextmanager
def output_lock(target: Path, wait: float, message: str, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock of `target` (see the module docstring); BusyError(message) after `wait` seconds.

    Re-entrant within a process: `sheet` holds its FY's lock around the 検証結果 and the
    yearly outputs, whose writers take it again.
    """
    path = str(lock_path(target).absolute())
    if path in _HELD:
        _HELD[path][1] += 1
        try:
            yield
        finally:
            _HELD[path][1] -= 1
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        deadline = time.monotonic() + wait
        waiting = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(message) from None
                if not waiting and on_wait is not None:
                    on_wait()
                waiting = True
                time.sleep(POLL_SECONDS)
        _HELD[path] = [fd, 1]
        try:
            yield
        finally:
            del _HELD[path]
    finally:
        os.close(fd)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step with renameat2(RENAME_EXCHANGE); False when the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def leftovers(target: Path) -> dict[str, list[Path]]:
    """What killed runs left beside `target`, by stage, oldest first."""
    found: dict[str, list[Path]] = {stage: [] for stage in STAGES}
    prefix = f".{target.name}."
    for entry in os.scandir(target.parent):
        stage = entry.name[len(prefix):].split("-", 1)[0] if entry.name.startswith(prefix) else ""
        if stage in found and "-" in entry.name[len(prefix):]:
            found[stage].append(Path(entry.path))
    for paths in found.values():
        paths.sort(key=lambda p: p.lstat().st_mtime_ns)
    return found


def recover(target: Path) -> None:
    """Finish or undo an interrupted swap, then remove every leftover (module docstring, step 2)."""
    found = leftovers(target)
    if not os.path.lexists(target):
        for stage in ("new", "old"):  # a complete new set first, else the old set back
            if found[stage]:
                os.rename(found[stage].pop(), target)
                break
    for paths in found.values():
        for path in paths:
            _remove(path)
    if target.is_dir():
        for stale in target.glob(".tmp-*"):  # the staging folders of the previous version
            _remove(stale)


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, destination, follow_symlinks=False)


_STAGED = re.compile(r"^\.(?:tmp|old|new)-|^\..+\.(?:tmp|old|new)-")


def carry_over(target: Path, staging: Path, ours: set[str], drop: Collection[str] = ()) -> None:
    """Files in the old folder that this run does not write (差分_*.xlsx, 検証結果/, a person's
    notes) go along; temporary folders of other swaps do not, nor the names in `drop` (files
    of an earlier run of the same job that this run has no use for: a 連携地域's book)."""
    if not target.is_dir():
        return
    for entry in os.scandir(target):
        if entry.name in ours or entry.name in drop or _STAGED.match(entry.name):
            continue
        destination = staging / entry.name
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, destination, symlinks=True, copy_function=_link_or_copy)
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), destination)
        else:
            _link_or_copy(entry.path, str(destination))


def swap_in(ready: Path, target: Path) -> None:
    """Put the complete folder `ready` at `target` in one step; the old set is removed."""
    if not os.path.lexists(target):
        os.rename(ready, target)
    elif not target.is_dir():
        raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
    else:
        old = sibling(target, "old")
        if exchange(ready, target):
            os.rename(ready, old)
        else:
            os.rename(target, old)
            try:
                os.rename(ready, target)
            except BaseException:
                os.rename(old, target)  # the old set back at once, not only at the next run
                raise
        _fsync(target.parent)
        _remove(old)
    _fsync(target.parent)


def _stage(target: Path, write: Callable[[Path], list[str]], keep_others: bool,
           drop: Collection[str] = ()) -> tuple[Path, list[str]]:
    staging = sibling(target, "tmp")
    os.mkdir(staging, 0o777)
    try:
        names = write(staging)
        if keep_others:
            carry_over(target, staging, set(names), drop)
        for name in names:
            _fsync(staging / name)
        _fsync(staging)
        ready = sibling(target, "new")
        os.rename(staging, ready)
    except BaseException:
        _remove(staging)
        raise
    return ready, names


def replace_folder(target: Path, write: Callable[[Path], list[str]], *, wait: float, busy: str,
                   on_wait: Callable[[], None] | None = None, lock: Path | None = None,
                   keep_others: bool = True, drop: Collection[str] = ()) -> list[Path]:
    """Replace the folder `target` with what `write(folder)` writes (it returns the file names).

    All or nothing, in one step, under the lock of `lock` (default `target`; a subfolder of
    outputs/<FY> such as 検証結果 is written under the FY's lock).  `keep_others`: files
    of the old folder that `write` does not write go along (outputs/<FY>), or are dropped
    (検証結果: a file of a problem since fixed must go), except the names in `drop`.  Raises OutputError naming
    `target` (or the final path of a file) for any OSError, BusyError after `wait`.
    """
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with output_lock(lock or target, wait, busy, on_wait):
            recover(target)
            ready, names = _stage(target, write, keep_others, drop)
            try:
                swap_in(ready, target)
            except BaseException:
                _remove(ready)
                raise
    except PipelineError:
        raise
    except OSError as exc:
        raise OutputError(_named(exc, target), exc) from None
    return [target / name for name in names]


def _named(exc: OSError, target: Path) -> Path:
    """The path an OSError names when it is one the user knows (outputs/2019 is a file), else `target`."""
    if exc.filename and not any(_STAGED.match(part) for part in Path(exc.filename).parts):
        return Path(exc.filename)
    return target


def write_file(path: Path, data: bytes) -> None:
    """Replace one file in one step with `data` (see `write_with`)."""
    def write(temporary: Path) -> None:
        with open(temporary, "wb") as stream:
            stream.write(data)

    write_with(path, write)


def write_with(path: Path, write: Callable[[Path], object]) -> None:
    """Replace one file in one step: `write(temporary)` writes a hidden temporary beside it
    (created 0666 less the umask, like every output), which is fsynced and renamed to `path`.

    Temporaries that a killed run left for the same name (older than STALE_SECONDS, so
    not those of a run writing now) are removed first.  OSErrors become OutputError
    naming `path`, never the temporary.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f".{path.name}.tmp-*"):
            if time.time() - stale.lstat().st_mtime > STALE_SECONDS:
                _remove(stale)
        temporary = path.parent / f".{path.name}.tmp-{secrets.token_hex(4)}"
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666))
        try:
            write(temporary)
            _fsync(temporary)
            os.replace(temporary, path)
        finally:
            if os.path.lexists(temporary):
                os.unlink(temporary)
    except OSError as exc:
        raise OutputError(path, exc) from None
