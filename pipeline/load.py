"""Load: the only stage besides render that touches files.

Finds the inputs of one fiscal year, decodes CSV (pipeline/load_csv.py), reads xlsx
with python-calamine after pipeline/xlsx_guard.py has checked them (load_xlsx.py), and
hands every sheet on as a frame of raw cells indexed by the row number a person sees in
Excel.  Nothing is interpreted here.

Quirks handled: every file is read on its own, so an unreadable one is one error among
the others' problems; no symlink is followed (each is reported, with its target), FIFOs
and devices are reported and never opened (a FIFO would block the run); a file larger
than the file_bytes limit (schemas/reference/limits.csv) is not read at all; editor and
OS artefacts (`~$…` lock files, `.DS_Store`, `.git/`) are not submissions.
"""
from __future__ import annotations

import csv
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection

import pandas as pd

from schemas import REFERENCE_DIR
from schemas.limits import LimitExceeded, Limits, read_limits

from .errors import Problem, os_reason
from .load_csv import BinaryData, MixedEncoding, decode_csv, parse_csv
from .load_xlsx import is_submitted_sheet, read_xlsx, xlsx_sheets  # noqa: F401 — xlsx_sheets: the readers of our workbooks
from .xlsx_guard import CORRUPT, BadXlsx

MASTER_FILES = {"projects": "master/projects.csv", "measures": "master/measures.csv", "kpis": "master/kpis.csv"}
OPTIONAL_MASTERS = {"submitters": "master/submitters.csv",   # read when present (templates, 提出状況)
                    "settings": "master/settings.csv",       # per-document settings; defaults when absent
                    "targets": "master/targets.csv",         # interim and yearly targets of KPIs
                    "grades": "master/grades.csv"}           # the 評価 scale (none: no grades shown)
TABLE_SUFFIXES = (".csv", ".xlsx")
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")
UNDECODABLE = "文字コードを判別できません（UTF-8 または Shift_JIS（CP932）で保存してください）"
BINARY = ("CSV として読めません（文字ではないデータ（NUL）が含まれています。UTF-16 なら BOM 付きで、"
          "または UTF-8・Shift_JIS（CP932）で保存し直してください）")
EMPTY_FILE = "空のファイルです（0 バイト。読み飛ばします）"
HIDDEN_SHEET = "非表示のシートは読みません（使う場合は Excel でシートを再表示してください）"


class NotRegular(OSError):
    """A FIFO, socket or device among the inputs: never opened for reading."""


@dataclass(frozen=True)
class RawSheet:
    """One table as read: `cells` has positional columns and the Excel row number as index."""

    file: str
    sheet: str
    sheet_index: int
    cells: pd.DataFrame


@dataclass(frozen=True)
class SourceFile:
    """An input file: relative path, SHA-256, and the sheets read from it."""

    file: str
    sha256: str
    sheets: tuple[RawSheet, ...]
    skipped_sheets: tuple[str, ...] = ()
    hidden_sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """Reference data from schemas/reference/*.csv (what changes without code changing)."""

    regions: pd.DataFrame            # region, name, bureaus (tuple), order
    sections: dict                   # NFKC key (name or alias) → canonical 区分
    section_order: tuple             # canonical 区分 in display order
    headers: pd.DataFrame            # table, column, required, aliases (tuple), description
    values: dict                     # 種類 → {NFKC key: 意味}
    settings: pd.DataFrame | None = None  # item (項目), name, default, max_length, description
    setting_choices: dict = field(default_factory=dict)  # item → the values it may take (none: free)
    methods: pd.DataFrame | None = None   # 算定方法: name, aliases (tuple), formula, direction, description, default


@dataclass(frozen=True)
class Inputs:
    """Everything read for one FY: master files, submission files, and problems met while reading."""

    fiscal_year: int
    masters: dict                    # "projects" | "measures" | "kpis" (| "submitters") → SourceFile
    submissions: tuple               # SourceFile, sorted by path
    problems: tuple = field(default=())   # unreadable files (errors) and skipped files (warnings)


def _split(value: str) -> tuple:
    return tuple(v.strip() for v in str(value).split(";") if v.strip())


def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read the reference CSVs shipped in schemas/reference/."""
    def read(name: str) -> list[dict]:
        with open(directory / name, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))

    regions_csv = sorted(read("regions.csv"), key=lambda r: int(r["表示順"]))
    regions = pd.DataFrame({
        "region": [r["連携地域"] for r in regions_csv], "name": [r["表示名"] for r in regions_csv],
        "bureaus": pd.Series([_split(r["振興局"]) for r in regions_csv], dtype=object),
        "order": pd.Series([int(r["表示順"]) for r in regions_csv], dtype="int64"),
    })
    sections_csv = sorted(read("sections.csv"), key=lambda r: int(r["表示順"]))
    sections = {}
    for row in sections_csv:
        for alias in (row["区分"], *_split(row["別名"])):
            sections[unicodedata.normalize("NFKC", alias)] = row["区分"]
    headers_csv = read("headers.csv")
    headers = pd.DataFrame({
        "table": [r["表"] for r in headers_csv], "column": [r["列"] for r in headers_csv],
        "required": pd.Series([r["必須"] == "1" for r in headers_csv], dtype=bool),
        "aliases": pd.Series([_split(r["別名"]) for r in headers_csv], dtype=object),
        "description": [r["説明"] for r in headers_csv],
    })
    values: dict = {}
    for row in read("values.csv"):
        kind, value, meaning = row["種類"], row["値"], row["意味"]
        values.setdefault(kind, {})[unicodedata.normalize("NFKC", value).strip().upper()] = meaning
    settings_csv = read("settings.csv")
    settings = pd.DataFrame({
        "item": [r["項目"] for r in settings_csv], "name": [r["名前"] for r in settings_csv],
        "default": [r["既定値"] for r in settings_csv],
        "max_length": pd.Series([int(r["最大文字数"]) for r in settings_csv], dtype="int64"),
        "description": [r["説明"] for r in settings_csv],
    })
    choices = {r["項目"]: _split(r.get("選択肢") or "") for r in settings_csv if r.get("選択肢")}
    methods = _methods(read("methods.csv") if (directory / "methods.csv").is_file() else [])
    return Reference(regions, sections, tuple(r["区分"] for r in sections_csv), headers, values, settings,
                     choices, methods)


def _methods(rows: list[dict]) -> pd.DataFrame:
    """methods.csv: each 算定方法 with its aliases, formula key, implied 方向 and description."""
    return pd.DataFrame({
        "name": [r["算定方法"] for r in rows],
        "aliases": pd.Series([_split(r["別名"]) for r in rows], dtype=object),
        "formula": [r["計算式"] for r in rows], "direction": [r["方向"] for r in rows],
        "description": [r["説明"] for r in rows],
        "default": pd.Series([r["既定"] == "1" for r in rows], dtype=bool),
    }, columns=["name", "aliases", "formula", "direction", "description", "default"])


def fiscal_years(inputs: Path) -> list[int]:
    """The FY folders under inputs/ (four-digit names), ascending."""
    if not inputs.is_dir():
        return []
    return sorted(int(p.name) for p in inputs.iterdir() if p.is_dir() and re.fullmatch(r"[0-9]{4}", p.name))


def digest(data: bytes) -> str:
    """SHA-256 hex digest of a file's bytes (recorded in the 出典 sheet)."""
    return hashlib.sha256(data).hexdigest()


def read_bounded(path: Path, limits: Limits, follow: bool = False) -> bytes:
    """A regular file's bytes, at most file_bytes; never blocking on a FIFO, and through a
    symlink only when `follow` (a path the user typed, not one found among the inputs)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(path)
        limit = limits.file_bytes
        if info.st_size > limit.value:
            raise LimitExceeded(limit.message(limit.show(info.st_size)))
        data = f.read(limit.value + 1)
    if len(data) > limit.value:  # grew while being read
        raise LimitExceeded(limit.message(limit.show(len(data))))
    return data


def read_csv_file(path: Path, rel: str, limits: Limits | None = None, follow: bool = False) -> SourceFile:
    """Read one CSV file; raises what `unreadable` turns into a message."""
    limits = limits or read_limits()
    data = read_bounded(path, limits, follow)
    sha = digest(data)
    text = decode_csv(data)
    del data  # only the text from here on (the file may be large)
    return SourceFile(rel, sha, (RawSheet(rel, "", 0, parse_csv(text, limits)),))


def read_xlsx_file(path: Path, rel: str, limits: Limits | None = None, follow: bool = False) -> SourceFile:
    """Read the visible sheets of an xlsx (guarded, then python-calamine); `_…` and hidden sheets are skipped."""
    data = read_bounded(path, limits or read_limits(), follow)
    book = read_xlsx(data, limits, is_submitted_sheet)
    sheets = tuple(RawSheet(rel, entry.name, index, cells) for index, entry, cells in book.sheets)
    notes = tuple(e.name for e in book.skipped if e.name.startswith("_"))
    hidden = tuple(e.name for e in book.skipped if not e.name.startswith("_"))
    return SourceFile(rel, digest(data), sheets, notes, hidden)


def _read_table_file(path: Path, rel: str, limits: Limits, follow: bool = False) -> SourceFile:
    if path.suffix.lower() == ".csv":
        return read_csv_file(path, rel, limits, follow)
    return read_xlsx_file(path, rel, limits, follow)


def unreadable(rel: str, exc: Exception) -> Problem:
    """The error Problem for a file that could not be read: what is wrong, in Japanese."""
    if isinstance(exc, LimitExceeded):
        return Problem(rel, exc.sheet, exc.row, f"{exc.column}列" if exc.column else "", exc.message)
    if isinstance(exc, BadXlsx):
        return Problem(rel, exc.sheet, 0, "", exc.reason)
    if isinstance(exc, MixedEncoding):
        reason = (f"文字コードが混ざっています（ファイルの {exc.other_line} 行目は Shift_JIS（CP932）、"
                  f"{exc.utf8_line} 行目は UTF-8 のようです。1つの文字コードで保存し直してください）")
    elif isinstance(exc, BinaryData):
        reason = BINARY
    elif isinstance(exc, UnicodeError):
        reason = UNDECODABLE
    elif isinstance(exc, csv.Error):
        reason = "CSV として読めません（引用符「\"」の対応を確かめてください）"
    elif isinstance(exc, NotRegular):
        reason = "通常のファイルではないため読みません（名前付きパイプ・デバイスなど）"
    elif isinstance(exc, OSError):
        reason = f"読めません（{os_reason(exc)}）"
    elif rel.lower().endswith(".xlsx"):
        reason = CORRUPT
    else:
        reason = "読めません（壊れているか、別の形式のファイルです）"
    return Problem(rel, "", 0, "", reason)


def symlink_problem(path: Path, rel: str) -> Problem:
    """A symlink found among the inputs: reported, never followed."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "不明"
    return Problem(rel, "", 0, "", f"シンボリックリンクは読みません（リンク先: {target}）。ファイルそのものを置いてください")


def submission_paths(folder: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """Files under submissions/ (recursively, not following links) and a problem per symlink or special file.

    Names starting with `.` (.DS_Store, .git/) and `~$` (Excel's lock files) are not submissions.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            if entry.name.startswith((".", "~$")):
                continue
            if entry.is_symlink():
                problems.append(symlink_problem(path, rel))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
            else:
                problems.append(unreadable(rel, NotRegular(path)))
    return sorted(files, key=lambda p: p.relative_to(root).as_posix()), problems


def _masters(root: Path, limits: Limits) -> tuple[dict, list[Problem]]:
    masters, problems = {}, []
    for name, rel in {**MASTER_FILES, **OPTIONAL_MASTERS}.items():
        path = root / rel
        if path.is_symlink() or path.parent.is_symlink():
            problems.append(symlink_problem(path if path.is_symlink() else path.parent, rel))
        elif not path.is_file():
            if name in MASTER_FILES:
                problems.append(Problem(rel, "", 0, "", "ファイルがありません（マスタは必須です）"))
        else:
            try:
                masters[name] = read_csv_file(path, rel, limits)
            except Exception as exc:  # noqa: BLE001 — any failure to read a user file is reported, not raised
                problems.append(unreadable(rel, exc))
    return masters, problems


def read_submission(path: Path, rel: str, quiet_sheets: Collection[str] = (), limits: Limits | None = None,
                    follow: bool = False) -> tuple:
    """One submission file → (SourceFile or None, [Problem]): unreadable files and other formats
    are errors, files that are not tables and empty files warnings, `_…` sheets skipped with a
    warning unless named in `quiet_sheets` (the template's own sheets, skipped silently),
    hidden sheets skipped with a warning.  `follow`: the path was typed by the user (`check`),
    so a symlink is followed; one found among the inputs never is."""
    limits = limits or read_limits()
    suffix = path.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        return None, [Problem(rel, "", 0, "", f"{suffix} 形式は読めません（.xlsx または .csv で保存し直してください）")]
    if suffix not in TABLE_SUFFIXES:
        return None, [Problem(rel, "", 0, "", "CSV・xlsx 以外のファイルは読みません", "warning")]
    try:
        if (path.stat() if follow else path.lstat()).st_size == 0:
            return None, [Problem(rel, "", 0, "", EMPTY_FILE, "warning")]
        source = _read_table_file(path, rel, limits, follow)
    except Exception as exc:  # noqa: BLE001 — any failure to read a user file is reported, not raised
        return None, [unreadable(rel, exc)]
    problems = [Problem(rel, sheet, 0, "", "名前が「_」で始まるシートは読みません", "warning")
                for sheet in source.skipped_sheets if sheet not in quiet_sheets]
    problems += [Problem(rel, sheet, 0, "", HIDDEN_SHEET, "warning") for sheet in source.hidden_sheets]
    return source, problems


def load_inputs(inputs: Path, fiscal_year: int, quiet_sheets: Collection[str] = (),
                limits: Limits | None = None, meter=None, workers: int | None = None) -> Inputs:
    """Read master/ and submissions/** of inputs/<FY>; every unreadable file becomes an error Problem.

    One file's failure never stops the others: each is read (or reported) on its own.
    meter: a pipeline.meter.Meter told of each submission file read (or None).  workers:
    processes reading the submissions (pipeline/parallel.py; default one per CPU).
    """
    limits = limits or read_limits()
    root = inputs / str(fiscal_year)
    masters, problems = _masters(root, limits)
    folder = root / "submissions"
    if folder.is_symlink():
        paths, found = [], [symlink_problem(folder, "submissions")]
    else:
        paths, found = submission_paths(folder, root) if folder.is_dir() else ([], [])
    submissions = []
    if meter is not None:
        meter.start("読込", len(paths), "ファイル")
    for chunk in _read_chunks(paths, root, tuple(quiet_sheets), limits, workers):
        for source, more in chunk:
            if meter is not None:
                meter.step()
            found += more
            if source is not None:
                submissions.append(source)
    problems += sorted(found, key=lambda p: p.file)  # masters first, then submissions in path order
    return Inputs(fiscal_year, masters, tuple(submissions), tuple(problems))


PARALLEL_READ_BYTES = 1_000_000   # below this (the sample, the tests) the files are read by this process
CHUNKS_PER_WORKER = 4             # smaller chunks: the workers finish together, the meter moves


def _read_chunks(paths: list[Path], root: Path, quiet_sheets: tuple, limits: Limits, workers: int | None):
    """[(SourceFile | None, [Problem]) per path] in chunks, in the paths' order: read by forked
    workers (pipeline/parallel.py, the frames pickled back) when the submissions are large
    enough to gain from it, else here, one file at a time."""
    from .parallel import map_in_workers, worker_count

    sizes = [_size(path) for path in paths]
    count = worker_count(workers, len(paths)) if sum(sizes) >= PARALLEL_READ_BYTES else 1
    if count == 1:
        for path in paths:
            yield _read_chunk([path], root, quiet_sheets, limits)
        return
    chunks = _balanced(paths, sizes, count * CHUNKS_PER_WORKER)
    yield from map_in_workers(_read_chunk, [(chunk, root, quiet_sheets, limits) for chunk in chunks], count)


def _read_chunk(paths: list[Path], root: Path, quiet_sheets: tuple, limits: Limits) -> list[tuple]:
    return [read_submission(path, path.relative_to(root).as_posix(), quiet_sheets, limits) for path in paths]


def _size(path: Path) -> int:
    try:
        return path.lstat().st_size
    except OSError:   # gone since it was listed: read_submission reports it
        return 0


def _balanced(paths: list[Path], sizes: list[int], n: int) -> list[list[Path]]:
    """`paths` cut into at most `n` consecutive chunks of about equal bytes (the order kept)."""
    total, chunks, current, filled = max(sum(sizes), 1), [], [], 0
    for path, size in zip(paths, sizes):
        current.append(path)
        filled += size
        if filled * n >= total * (len(chunks) + 1):
            chunks.append(current)
            current = []
    return chunks + ([current] if current else [])
