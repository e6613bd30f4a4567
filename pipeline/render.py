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
from typing import Callable, Iterable

import pandas as pd

from schemas import columns as C
from schemas.cells import is_missing, number_text
from schemas.limits import read_limits

from . import __version__
from .errors import escape
from .model import Tables
from .atomic import replace_folder
from .parallel import FileJob, write_files
from .report import kpi_with_status

CSV_WEIGHT = 4   # a CSV row costs about a quarter of a workbook row (pipeline/parallel.py weights)
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


def write_csv(out, frame: pd.DataFrame, columns: tuple[C.Column, ...]) -> None:
    """The rows of `frame` to the text stream `out` (see csv_bytes): an optional column only
    when some row has a value (schemas/columns.py)."""
    columns = C.shown(columns, frame)
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


def workbook_name(fiscal_year: int, region: str | None = None) -> str:
    """推進管理表_2019.xlsx; a region's book of a run over several: 推進管理表_2023_道北.xlsx."""
    return f"推進管理表_{fiscal_year}.xlsx" if region is None else f"推進管理表_{fiscal_year}_{region}.xlsx"


def book_jobs(tables: Tables, created: dt.datetime | None = None) -> list[FileJob]:
    """The workbooks of a run, as jobs (pipeline/parallel.py), the whole book first.

    One region: today's single book.  Several (tables.parts): one streamed book per
    連携地域 (一覧, project sheets, 出典), and the whole-Hokkaido book linking to them, which
    alone carries the data sheets (pipeline/xlsx/hokkaido_book.py).  Weights are the rows
    each book lays out (the whole book writes every row of the data sheets).
    """
    from .xlsx.book import write_workbook

    meta = {"versions": versions(), "created": created_time(date=created)}
    whole = workbook_name(tables.fiscal_year)
    if not tables.parts:
        return [FileJob(whole, lambda path: write_workbook(tables, path, **meta), _rows(tables))]
    from .xlsx.hokkaido_book import write_hokkaido_workbook

    sheets = region_sheets(tables.parts)
    jobs = [FileJob(whole, lambda path: write_hokkaido_workbook(tables, path, sheets=sheets, streaming=True, **meta),
                    _rows(tables))]
    for part in tables.parts:
        jobs.append(FileJob(region_book_name(part), lambda path, part=part: write_workbook(
            part, path, streaming=True, data_sheets=False, **meta), _rows(part)))
    return jobs


def _rows(tables: Tables) -> int:
    return len(tables.initiatives) + len(tables.kpi)


def region_book_name(part: Tables) -> str:
    """The file name of one region's book (a part of a run over several regions)."""
    return workbook_name(part.fiscal_year, str(part.projects["region"].iloc[0]))


def region_sheets(parts) -> dict[str, tuple[str, str]]:
    """project_id → (its region's book, its sheet in that book): where the whole-Hokkaido 一覧 links."""
    from .xlsx.book import project_sheet_names

    sheets = {}
    for part in parts:
        pages = [page.project_id for page in part.report.pages]
        sheets.update({pid: (region_book_name(part), sheet) for pid, sheet in zip(pages, project_sheet_names(pages))})
    return sheets


def write_outputs(tables: Tables, outputs: Path, created: dt.datetime | None = None,
                  on_wait: Callable[[], None] | None = None, extra: dict[str, Callable[[Path], object]] | None = None,
                  *, meter=None, workers: int | None = None, regions: Iterable[str] = ()) -> list[Path]:
    """Write initiatives.csv, kpi.csv and the workbook(s) of `tables` as outputs/<FY> (write_run)."""
    return write_run(tables.fiscal_year, lambda: tables, outputs, created, on_wait, extra, meter=meter,
                     workers=workers, regions=regions)


def write_run(fiscal_year: int, decide: Callable[[], Tables], outputs: Path, created: dt.datetime | None = None,
              on_wait: Callable[[], None] | None = None, extra: dict[str, Callable[[Path], object]] | None = None,
              *, meter=None, workers: int | None = None, regions: Iterable[str] = ()) -> list[Path]:
    """Write initiatives.csv, kpi.csv and the workbook(s) of the tables `decide()` makes (the run's
    tidy and report) as outputs/<FY>, replacing it in one step; returns the written paths.

    On any failure the earlier outputs stay untouched and nothing of this run is left
    (pipeline/atomic.py); OSErrors name the final path.  Another run writing the same
    folder is waited for (lock_wait_seconds), `on_wait` called once when the wait begins.
    `extra` ({name under the folder, e.g. 検証結果/x.xlsx: writer}) writes more into the new
    folder (the run's 検証結果/), so that it changes in the same step; its files are not
    returned.  They are begun while `decide` runs (pipeline/parallel.py, write_files' `early`);
    the rest is written by `workers` processes (default one per CPU).  `regions`: the
    連携地域 whose books an earlier run may have left (推進管理表_<FY>_<連携地域>.xlsx): one
    this run does not write is removed, the other files of the folder stay.
    meter: a pipeline.meter.Meter told of each file written (or None).
    """
    target = outputs / str(fiscal_year)
    early = [FileJob(name, writer) for name, writer in (extra or {}).items()]
    decided: list[FileJob] = []

    def files() -> list[FileJob]:
        decided[:] = output_jobs(decide(), created)
        if meter is not None:
            meter.start("書出", len(decided) + len(early), "ファイル")
        return decided

    def write(folder: Path) -> list[str]:
        for sub in sorted({Path(job.name).parent for job in early} - {Path(".")}):
            (folder / sub).mkdir(parents=True)
        names = write_files(folder, files, target, workers=workers, on_done=meter.step if meter is not None else None,
                            early=early)
        return list(dict.fromkeys(Path(name).parts[0] for name in names))   # top-level names, once each

    limit = read_limits().lock_wait_seconds
    busy = limit.message("", path=escape(target))
    # a 連携地域's book this run writes is among its own files, which are never carried over anyway
    owned = {workbook_name(fiscal_year, region) for region in regions}
    replace_folder(target, write, wait=limit.value, busy=busy, on_wait=on_wait, drop=owned)
    return [target / job.name for job in decided]


def output_jobs(tables: Tables, created: dt.datetime | None = None) -> list[FileJob]:
    """initiatives.csv, kpi.csv and the workbook(s) as jobs (pipeline/parallel.py)."""
    csvs = {"initiatives.csv": (tables.initiatives, C.INITIATIVES),
            "kpi.csv": (kpi_with_status(tables.kpi, tables.report.statuses, tuple(tables.grades)), C.KPI_CSV)}
    jobs = [FileJob(name, lambda path, frame=frame, columns=columns: _write_csv_file(path, frame, columns),
                    len(frame) // CSV_WEIGHT) for name, (frame, columns) in csvs.items()]
    return [*jobs, *book_jobs(tables, created)]
