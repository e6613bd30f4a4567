"""Load: the only stage besides render that touches files.

Finds the inputs of one fiscal year, decodes CSV (UTF-8 with/without BOM,
UTF-16, CP932 — detected, never asked), reads xlsx with python-calamine, and
hands every sheet on as a frame of raw cells indexed by the row number a
person sees in Excel.  Nothing is interpreted here.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection

import pandas as pd

from schemas import REFERENCE_DIR

from .errors import Problem

MASTER_FILES = {"projects": "master/projects.csv", "measures": "master/measures.csv", "kpis": "master/kpis.csv"}
OPTIONAL_MASTERS = {"submitters": "master/submitters.csv",   # read when present (templates, 提出状況)
                    "settings": "master/settings.csv",       # per-document settings; defaults when absent
                    "targets": "master/targets.csv",         # interim and yearly targets of KPIs
                    "grades": "master/grades.csv"}           # the 評価 scale (none: no grades shown)
TABLE_SUFFIXES = (".csv", ".xlsx")
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")


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


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 BOM, UTF-16 BOM, plain UTF-8, else CP932 (Excel on Japanese Windows).

    Raises UnicodeError when none fits, or for binary data (NUL bytes: CP932 would
    otherwise decode almost any bytes).  Valid CP932 Japanese text is practically
    never valid UTF-8, so trying UTF-8 first is safe.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise UnicodeError("binary data (NUL bytes), not CSV text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932")


def parse_csv(text: str) -> pd.DataFrame:
    """CSV text → raw cells; index = record number (the row Excel shows, even when a cell has line breaks)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    frame.index = range(1, len(rows) + 1)
    return frame


def read_csv_file(path: Path, rel: str) -> SourceFile:
    """Read one CSV file; raises UnicodeError / csv.Error for the caller to report."""
    data = path.read_bytes()
    cells = parse_csv(decode_csv(data))
    return SourceFile(rel, digest(data), (RawSheet(rel, "", 0, cells),))


def _xlsx_cell(value: object) -> object:
    """A calamine cell as pandas' calamine reader gives it, except that only an empty cell is blank.

    Whole floats become int (5949.0 → 5949) and dates datetimes; "" becomes NaN.  pandas'
    reader would also blank the texts NA, N/A, None, null, nan …, which a submitter may
    really have written: they are kept as text here.
    """
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if value == "":
        return math.nan
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def xlsx_sheets(data: bytes, only: Collection[str] | None = None) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet of an xlsx (or just those named in `only`) as raw cells, read with python-calamine.

    Index = the row number Excel shows (from 1, blank rows included); columns are
    positional; ragged rows are padded with NaN.
    """
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for name in book.sheet_names:
        if only is not None and name not in only:
            continue
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = max((len(row) for row in rows), default=0)
        cells = [[_xlsx_cell(v) for v in row] + [math.nan] * (width - len(row)) for row in rows]
        sheets.append((name, pd.DataFrame(cells, index=range(1, len(rows) + 1), dtype=object)))
    return sheets


def read_xlsx_file(path: Path, rel: str) -> SourceFile:
    """Read every sheet of an xlsx with python-calamine; sheets named `_…` are skipped (notes)."""
    data = path.read_bytes()
    sheets, skipped = [], []
    for index, (name, cells) in enumerate(xlsx_sheets(data)):
        if name.startswith("_"):
            skipped.append(name)
            continue
        sheets.append(RawSheet(rel, name, index, cells))
    return SourceFile(rel, digest(data), tuple(sheets), tuple(skipped))


def _read_table_file(path: Path, rel: str) -> SourceFile:
    if path.suffix.lower() == ".csv":
        return read_csv_file(path, rel)
    return read_xlsx_file(path, rel)


def _unreadable(rel: str, exc: Exception) -> Problem:
    if isinstance(exc, UnicodeError):
        reason = "文字コードを判別できません（UTF-8 または Shift_JIS（CP932）で保存してください）"
    elif isinstance(exc, csv.Error):
        reason = f"CSV として読めません（{exc}）"
    elif rel.lower().endswith(".xlsx"):
        reason = "Excel ファイル（.xlsx）として読めません（壊れているか、別の形式のファイルです）"
    else:
        reason = f"読めません（{type(exc).__name__}）"
    return Problem(rel, "", 0, "", reason)


def read_submission(path: Path, rel: str, quiet_sheets: Collection[str] = ()) -> tuple:
    """One submission file → (SourceFile or None, [Problem]): unreadable files and other formats
    are errors, files that are not tables warnings, `_…` sheets skipped with a warning unless
    named in `quiet_sheets` (the template's own sheets, skipped silently)."""
    suffix = path.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        return None, [Problem(rel, "", 0, "", f"{suffix} 形式は読めません（.xlsx または .csv で保存し直してください）")]
    if suffix not in TABLE_SUFFIXES:
        return None, [Problem(rel, "", 0, "", "CSV・xlsx 以外のファイルは読みません", "warning")]
    try:
        source = _read_table_file(path, rel)
    except Exception as exc:  # noqa: BLE001 — any failure to open a user file is reported, not raised
        return None, [_unreadable(rel, exc)]
    return source, [Problem(rel, sheet, 0, "", "名前が「_」で始まるシートは読みません", "warning")
                    for sheet in source.skipped_sheets if sheet not in quiet_sheets]


def load_inputs(inputs: Path, fiscal_year: int, quiet_sheets: Collection[str] = ()) -> Inputs:
    """Read master/ and submissions/** of inputs/<FY>; unreadable files become error Problems."""
    root = inputs / str(fiscal_year)
    problems: list[Problem] = []
    masters = {}
    for name, rel in {**MASTER_FILES, **OPTIONAL_MASTERS}.items():
        path = root / rel
        if not path.is_file():
            if name in MASTER_FILES:
                problems.append(Problem(rel, "", 0, "", "ファイルがありません（マスタは必須です）"))
            continue
        try:
            masters[name] = read_csv_file(path, rel)
        except (UnicodeError, csv.Error) as exc:
            problems.append(_unreadable(rel, exc))
    submissions = []
    folder = root / "submissions"
    paths = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        rel = path.relative_to(root).as_posix()
        if path.name.startswith("~$") or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # editor/OS artefacts (.DS_Store, .git/, Excel lock files): not submissions
        source, found = read_submission(path, rel, quiet_sheets)
        problems += found
        if source is not None:
            submissions.append(source)
    return Inputs(fiscal_year, masters, tuple(submissions), tuple(problems))
