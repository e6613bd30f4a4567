"""Render: tidy frames → files under outputs/<FY>, all or nothing.

The three files are written into a sibling folder that replaces outputs/<FY> in one
step, under a lock (pipeline/atomic.py), so a failed, killed or concurrent run leaves
the previous outputs as they were, and a reader never sees a mix.

CSV cells that Excel would take for a formula are neutralised (`csv_safe`, OWASP's
advice against CSV injection): a text starting with = + - @ tab or CR — or with ' itself —
gets one ' in front.  Dropping one leading ' from a text cell (`csv_text`) always gives
back the text exactly as published in the workbook.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from importlib import metadata
from pathlib import Path
from typing import Callable

import pandas as pd

from schemas import columns as C
from schemas.cells import is_missing, number_text
from schemas.limits import read_limits

from . import __version__
from .errors import OutputError, escape
from .model import Tables
from .atomic import replace_folder
from .report import kpi_with_status

LIBRARIES = ("pandas", "pandera", "xlsxwriter", "python-calamine", "numpy")


CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_safe(text: str) -> str:
    """A text cell as written to the CSVs: `'` in front when it starts with a CSV_TRIGGERS character."""
    return "'" + text if text.startswith(CSV_TRIGGERS) else text


def csv_text(cell: str) -> str:
    """The published text of a CSV text cell: `csv_safe` undone (one leading ' dropped)."""
    return cell[1:] if cell.startswith("'") else cell


def _csv_formatter(column: C.Column):
    """How one column's values are written to CSV, by its declared dtype (texts neutralised)."""
    if column.dtype == "bool":
        return lambda v: "true" if v else "false"
    if column.dtype in ("int", "number", "rate"):
        return number_text
    return lambda v: "" if is_missing(v) else csv_safe(str(v))


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


def write_outputs(tables: Tables, outputs: Path, created: dt.datetime | None = None,
                  on_wait: Callable[[], None] | None = None,
                  extra: Callable[[Path], list[str]] | None = None) -> list[Path]:
    """Write initiatives.csv, kpi.csv and the workbook as outputs/<FY>, replacing it in one step.

    Returns the written paths.  On any failure the earlier outputs stay untouched and
    nothing of this run is left (pipeline/atomic.py); OSErrors name the final path.
    Another run writing the same folder is waited for (lock_wait_seconds), `on_wait`
    called once when the wait begins.  `extra(folder)` writes more into the new folder
    (the run's 検証結果/), so that it changes in the same step; its names are not returned.
    """
    from .xlsx.book import write_workbook

    target = outputs / str(tables.fiscal_year)
    csvs = {"initiatives.csv": initiatives_csv(tables), "kpi.csv": kpi_csv(tables)}
    book = workbook_name(tables.fiscal_year)

    def write(folder: Path) -> list[str]:
        # extra (the 検証結果) first: the order `sheet` has always written them in, which the
        # workbook's bytes depend on (the feedback writers change xlsxwriter's shared defaults)
        more = extra(folder) if extra else []
        name = ""
        try:
            for name, data in csvs.items():
                (folder / name).write_bytes(data)
            name = book
            write_workbook(tables, folder / book, versions=versions(), created=created_time(date=created))
        except OSError as exc:
            raise OutputError(target / name, exc) from None
        return [*csvs, book, *more]

    limit = read_limits().lock_wait_seconds
    busy = limit.message("", path=escape(target))
    written = replace_folder(target, write, wait=limit.value, busy=busy, on_wait=on_wait)
    return [path for path in written if path.name in (*csvs, book)]
