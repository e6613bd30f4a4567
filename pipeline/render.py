"""Render: tidy frames → files under outputs/<FY>, all or nothing.

Everything is written into a temporary folder inside outputs/<FY> and then
renamed into place, so a failed run leaves the previous outputs as they were.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import pandas as pd

from schemas import columns as C
from schemas.cells import is_missing, number_text

from . import __version__
from .model import Tables
from .report import kpi_with_status

FALLBACK_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
LIBRARIES = ("pandas", "pandera", "xlsxwriter", "python-calamine", "numpy")


def _csv_formatter(column: C.Column):
    """How one column's values are written to CSV, by its declared dtype."""
    if column.dtype == "bool":
        return lambda v: "true" if v else "false"
    if column.dtype in ("int", "number", "rate"):
        return number_text
    return lambda v: "" if is_missing(v) else str(v)


def write_csv(out, frame: pd.DataFrame, columns: tuple[C.Column, ...]) -> None:
    """The rows of `frame` to the text stream `out` (see csv_bytes)."""
    formatters = [_csv_formatter(c) for c in columns]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(C.names(columns))
    data = [frame[c.name].tolist() for c in columns]
    for row in zip(*data):
        writer.writerow([fmt(v) for fmt, v in zip(formatters, row)])


def csv_bytes(frame: pd.DataFrame, columns: tuple[C.Column, ...]) -> bytes:
    """UTF-8 with BOM (Excel opens it), LF line ends, booleans true/false, numbers unrounded."""
    out = io.StringIO()
    write_csv(out, frame, columns)
    return out.getvalue().encode("utf-8-sig")


def _write_csv_file(path: Path, frame: pd.DataFrame, columns: tuple[C.Column, ...]) -> None:
    """The same bytes as csv_bytes, streamed to the file (no copy of the whole text in memory)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        write_csv(out, frame, columns)


def initiatives_csv(tables: Tables) -> bytes:
    """initiatives.csv bytes."""
    return csv_bytes(tables.initiatives, C.INITIATIVES)


def kpi_csv(tables: Tables) -> bytes:
    """kpi.csv bytes: the tidy kpi frame plus each KPI's 見込み (from the report)."""
    return csv_bytes(kpi_with_status(tables.kpi, tables.report.statuses), C.KPI_CSV)


def created_time(environ: dict = os.environ) -> dt.datetime:
    """Workbook creation time: SOURCE_DATE_EPOCH when set, else a constant (reproducible builds)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return FALLBACK_CREATED


def versions() -> dict:
    """The pipeline's version and the versions of the libraries that shaped the outputs."""
    found = {"pipeline": __version__}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "不明"
    return found


def workbook_name(fiscal_year: int, region: str | None = None) -> str:
    """推進管理表_2019.xlsx; a region's book of a run over several: 推進管理表_2023_道北.xlsx."""
    return f"推進管理表_{fiscal_year}.xlsx" if region is None else f"推進管理表_{fiscal_year}_{region}.xlsx"


def write_workbooks(tables: Tables, folder: Path, on_sheet=None) -> list[str]:
    """The workbooks of a run, written into `folder`; returns their file names.

    One region: today's single book.  Several (tables.parts): one streamed book per
    連携地域 (一覧, project sheets, 出典), then the whole-Hokkaido book linking to them, which
    alone carries the data sheets (pipeline/xlsx/hokkaido_book.py).
    """
    from .xlsx.book import project_sheet_names, write_workbook

    meta = {"versions": versions(), "created": created_time(), "on_sheet": on_sheet}
    whole = workbook_name(tables.fiscal_year)
    if not tables.parts:
        write_workbook(tables, folder / whole, **meta)
        return [whole]
    from .xlsx.hokkaido_book import write_hokkaido_workbook

    names, sheets = [], {}
    for part in tables.parts:
        name = workbook_name(tables.fiscal_year, str(part.projects["region"].iloc[0]))
        pages = [page.project_id for page in part.report.pages]
        sheets.update({pid: (name, sheet) for pid, sheet in zip(pages, project_sheet_names(pages))})
        write_workbook(part, folder / name, streaming=True, data_sheets=False, **meta)
        names.append(name)
    write_hokkaido_workbook(tables, folder / whole, sheets=sheets, streaming=True, **meta)
    return [whole, *names]


def sheet_count(tables: Tables) -> int:
    """How many sheets write_workbooks writes (for the progress bar)."""
    fixed = 1 + 5 + 1   # 一覧, the data sheets, 出典
    if not tables.parts:
        return len(tables.report.pages) + fixed
    return sum(len(part.report.pages) + 2 for part in tables.parts) + fixed


def write_outputs(tables: Tables, outputs: Path, *, meter=None) -> list[Path]:
    """Write initiatives.csv, kpi.csv and the workbook(s) into outputs/<FY>, atomically per run.

    Returns the written paths.  On any failure the temporary folder is removed and
    the earlier outputs stay untouched (a folder this run created is removed too).
    meter: a pipeline.meter.Meter told of each sheet written (or None).
    """
    on_sheet = None
    if meter is not None:
        meter.start("書出", sheet_count(tables), "シート")
        on_sheet = meter.step
    target = outputs / str(tables.fiscal_year)
    existed = target.exists()
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target))
    try:
        _write_csv_file(staging / "initiatives.csv", tables.initiatives, C.INITIATIVES)
        _write_csv_file(staging / "kpi.csv", kpi_with_status(tables.kpi, tables.report.statuses), C.KPI_CSV)
        names = ["initiatives.csv", "kpi.csv", *write_workbooks(tables, staging, on_sheet)]
        for name in names:
            os.replace(staging / name, target / name)
        return [target / name for name in names]
    except BaseException:
        if not existed:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
