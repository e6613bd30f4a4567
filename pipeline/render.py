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

LIBRARIES = ("pandas", "pandera", "xlsxwriter", "python-calamine", "numpy")


def _csv_formatter(column: C.Column):
    """How one column's values are written to CSV, by its declared dtype."""
    if column.dtype == "bool":
        return lambda v: "true" if v else "false"
    if column.dtype in ("int", "number", "rate"):
        return number_text
    return lambda v: "" if is_missing(v) else str(v)


def csv_bytes(frame: pd.DataFrame, columns: tuple[C.Column, ...]) -> bytes:
    """UTF-8 with BOM (Excel opens it), LF line ends, booleans true/false, numbers unrounded;
    an optional column only when some row has a value (schemas/columns.py)."""
    columns = C.shown(columns, frame)
    formatters = [_csv_formatter(c) for c in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(C.names(columns))
    data = [frame[c.name].tolist() for c in columns]
    for row in zip(*data):
        writer.writerow([fmt(v) for fmt, v in zip(formatters, row)])
    return out.getvalue().encode("utf-8-sig")


def initiatives_csv(tables: Tables) -> bytes:
    """initiatives.csv bytes."""
    return csv_bytes(tables.initiatives, C.INITIATIVES)


def kpi_csv(tables: Tables) -> bytes:
    """kpi.csv bytes: the tidy kpi frame plus each KPI's 見込み (from the report) and, with a
    評価 scale, each actual's 評価."""
    return csv_bytes(kpi_with_status(tables.kpi, tables.report.statuses, tuple(tables.grades)), C.KPI_CSV)


def created_time(environ: dict = os.environ, date: dt.datetime | None = None) -> dt.datetime | None:
    """Workbook creation time: `date` (the --date option) or SOURCE_DATE_EPOCH when given,
    else None: not recorded (「（記録していません）」), and the same bytes on every rebuild."""
    if date is not None:
        return date if date.tzinfo is not None else date.replace(tzinfo=dt.timezone.utc)
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return None


def versions() -> dict:
    """The pipeline's version and the versions of the libraries that shaped the outputs."""
    found = {"pipeline": __version__}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "不明"
    return found


def workbook_name(fiscal_year: int) -> str:
    """推進管理表_2019.xlsx."""
    return f"推進管理表_{fiscal_year}.xlsx"


def write_outputs(tables: Tables, outputs: Path, created: dt.datetime | None = None) -> list[Path]:
    """Write initiatives.csv, kpi.csv and the workbook into outputs/<FY>, atomically per run.

    Returns the written paths.  On any failure the temporary folder is removed and
    the earlier outputs stay untouched (a folder this run created is removed too).
    """
    from .xlsx.book import write_workbook

    target = outputs / str(tables.fiscal_year)
    existed = target.exists()
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target))
    try:
        (staging / "initiatives.csv").write_bytes(initiatives_csv(tables))
        (staging / "kpi.csv").write_bytes(kpi_csv(tables))
        write_workbook(tables, staging / workbook_name(tables.fiscal_year), versions=versions(),
                       created=created_time(date=created))
        names = ["initiatives.csv", "kpi.csv", workbook_name(tables.fiscal_year)]
        for name in names:
            os.replace(staging / name, target / name)
        return [target / name for name in names]
    except BaseException:
        if not existed:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
