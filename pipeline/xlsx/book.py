"""The 推進管理表 workbook: arranges the sheets, nothing more.

Sheets: 一覧, one per project (named by its プロジェクトID, so the name is the same every
year), 取組データ, KPIデータ, プロジェクトデータ, 施策データ, KPI定義, 出典.  The content
comes from the Tables of a run and their report (pipeline/report.py); the same inputs
give the same bytes (a creation time only when one is given, in-memory packaging with
fixed zip timestamps, formats created in a fixed order).  The frames are read, never modified.
"""
from __future__ import annotations

import datetime
import pathlib
import typing

from schemas.eras import long_title

from . import labels as L
from .cells import Formats, created_property, open_workbook, sanitize_sheet_name, sheet_done, utc_naive
from .data_sheets import DATA_SHEETS, document_rows, write_data_sheet, write_sources_sheet
from .overview import write_overview_sheet
from .project_sheet import write_project_sheet


def project_sheet_names(project_ids) -> list[str]:
    """Sheet names for the projects, in order: the project ID, made valid and unique.

    The ID is the one key that stays the same from year to year, so the names do too.
    """
    taken: list[str] = list(L.FIXED_SHEETS)
    names = []
    for project_id in project_ids:
        name = sanitize_sheet_name(project_id, taken)
        taken.append(name)
        names.append(name)
    return names


def write_workbook(tables, path: pathlib.Path | typing.BinaryIO, *, versions: dict[str, str],
                   created: datetime.datetime | None, streaming: bool = False, data_sheets: bool = True) -> None:
    """Write the 推進管理表 workbook of `tables` (with its report) to exactly `path`, or into a
    binary file object (`verify` rebuilds a book in memory).

    `created` (None: not recorded) goes to 出典 and the file properties.  The title and
    subject properties become the published PDF's (pipeline/publish.py).
    streaming: write row by row in constant memory (cells.STREAMING_OPTIONS); data_sheets:
    False leaves them out (a region's book of a run over several regions: the whole-Hokkaido
    book carries them, once).
    """
    report = tables.report
    fy = int(tables.fiscal_year)
    workbook = open_workbook(path, streaming)
    try:
        set_properties(workbook, report, fy, versions, created)
        fmt = Formats(workbook)
        # 一覧 comes first but is written last: it points at rows of the project sheets.
        overview = workbook.add_worksheet(L.SHEET_OVERVIEW)
        names = project_sheet_names([page.project_id for page in report.pages])
        sparks: dict[str, str] = {}
        for page, name in zip(report.pages, names):
            ws = workbook.add_worksheet(name)
            sparks.update(write_project_sheet(ws, fmt, page, fy, workbook, title=report.heading, footer=report.title))
            sheet_done(ws)
        write_overview_sheet(overview, fmt, report, dict(zip((p.project_id for p in report.pages), names)),
                             sparks, title=report.heading, footer=report.title)
        write_data_and_sources(workbook, fmt, tables, versions, created, data_sheets=data_sheets)
    finally:
        workbook.close()


def set_properties(workbook, report, fy: int, versions: dict[str, str], created: datetime.datetime | None) -> None:
    workbook.set_properties({
        "title": f"{report.title}　{long_title(fy)}",
        "subject": "　".join((report.heading, *report.regions)),
        "comments": f"pipeline {versions.get('pipeline', '')}".strip(),
        "created": created_property(created),
    })


def write_data_and_sources(workbook, fmt: Formats, tables, versions: dict[str, str],
                           created: datetime.datetime | None, *, data_sheets: bool = True) -> None:
    """The data sheets (what `diff` reads back) and 出典, after the sheets people read."""
    fy = int(tables.fiscal_year)
    for name, (attr, _) in DATA_SHEETS.items() if data_sheets else ():
        write_data_sheet(workbook.add_worksheet(name), fmt, name, getattr(tables, attr), fy)
    warnings = [w.line() if hasattr(w, "line") else str(w) for w in (tables.warnings or ())]
    write_sources_sheet(workbook.add_worksheet(L.SHEET_SOURCES), fmt, tables.manifest, warnings, fy,
                        versions, created=None if created is None else utc_naive(created),
                        settings=document_rows(tables.report))
