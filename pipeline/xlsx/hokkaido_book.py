"""The whole-Hokkaido 推進管理表: the book of a run over several 連携地域, beside one book per region.

Sheets: 一覧 (every KPI of every region, with an autofilter and frozen panes; a project's
name opens its sheet in the region's book, 推進管理表_<FY>_<連携地域>.xlsx in the same
folder), the data sheets and 出典 of the whole run (so `diff` compares all of Hokkaido
from this one file), and a hidden 実績の推移 sheet: one row of actuals per KPI, which the
一覧 sparklines show (the project sheets they point at in a region's book are not here).
The project sheets themselves are only in the region books: each is written once.
"""
from __future__ import annotations

import datetime
import pathlib
import typing

from xlsxwriter.utility import xl_rowcol_to_cell

from . import labels as L
from .book import set_properties, write_data_and_sources
from .cells import Formats, open_workbook, sheet_ref
from .overview import write_overview_sheet


def write_trend_sheet(ws, fmt: Formats, pages) -> dict[str, str]:
    """KPI ID and its actuals by year, a row per KPI; returns {kpi_id: its sparkline range}."""
    kpis = [kpi for page in pages for kpi in page.kpis]
    years = sorted({year for kpi in kpis for year in kpi.actual})
    column = {year: 1 + i for i, year in enumerate(years)}
    ws.write_string(0, 0, L.TREND_KPI, fmt("data_head"))
    for year, col in column.items():
        ws.write_number(0, col, year, fmt("data_head"))
    ranges = {}
    for row, kpi in enumerate(kpis, start=1):
        ws.write_string(row, 0, kpi.kpi_id, fmt("data_text"))
        for year in sorted(kpi.actual):
            ws.write_number(row, column[year], kpi.actual[year], fmt("data_number"))
        if kpi.actual:
            cols = [column[y] for y in kpi.actual]
            ranges[kpi.kpi_id] = (f"{sheet_ref(ws.get_name())}!{xl_rowcol_to_cell(row, min(cols))}:"
                                  f"{xl_rowcol_to_cell(row, max(cols))}")
    ws.hide()
    return ranges


def write_hokkaido_workbook(tables, path: pathlib.Path | typing.BinaryIO, *, sheets: dict[str, tuple[str, str]],
                            versions: dict[str, str], created: datetime.datetime | None,
                            streaming: bool = True, data_sheets: bool = True) -> None:
    """Write the whole-Hokkaido book of `tables` to `path`.

    sheets: project_id → (the region book's file name, the project's sheet in it).
    data_sheets: False leaves them out (verify's rebuild from the data sheets themselves).
    """
    report = tables.report
    workbook = open_workbook(path, streaming)
    try:
        set_properties(workbook, report, int(tables.fiscal_year), versions, created)
        fmt = Formats(workbook)
        overview = workbook.add_worksheet(L.SHEET_OVERVIEW)
        trend = workbook.add_worksheet(L.SHEET_TREND)
        sparks = write_trend_sheet(trend, fmt, report.pages)
        write_overview_sheet(overview, fmt, report, {pid: sheet for pid, (_, sheet) in sheets.items()}, sparks,
                             title=report.heading, footer=report.title,
                             books={pid: book for pid, (book, _) in sheets.items()})
        write_data_and_sources(workbook, fmt, tables, versions, created, data_sheets=data_sheets)
    finally:
        workbook.close()
