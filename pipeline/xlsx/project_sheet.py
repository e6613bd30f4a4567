"""One project sheet, laid out like the seed table (two A4 landscape pages).

Title rows (repeated on every printed page), 【概要・目的】, 【施策展開】, the 実績 | 課題
lists side by side, 今年度 and 次年度, 【ＫＰＩの状況】 (a value row and a ＜進捗率＞ row per
KPI) and 【ＫＰＩの推移】 (charts.py).  Everything printed comes from a
report.ProjectPage; this module decides only where it goes and how it looks.
"""
from __future__ import annotations

from schemas.eras import long_title, short_label
from schemas.vocab import ACTUAL, ISSUES, NEXT_YEAR, RESULTS, THIS_YEAR

from .. import styles as S
from . import labels as L
from .cells import SheetCursor, box_edges, decimals, page_setup, style_metrics, unit_format
from .charts import chart_block
from .layout import paragraph_rows, project_grid


def _write_list_block(sheet: SheetCursor, columns: list[tuple[int, int, tuple]]) -> None:
    """Lists side by side (one per column span), each in its own box, rows paired up.

    Each list is a tuple of report.Entry; an empty list prints （記載なし）.
    """
    columns = [(first, last, [(e.text, e.kind) for e in entries] or [(L.NO_ENTRY, "note")])
               for first, last, entries in columns]
    count = max(len(entries) for _, _, entries in columns)
    for index in range(count):
        cells = []
        for first, last, entries in columns:
            edges = box_edges(index, count, top_open=True)
            if index < len(entries):
                text, style = entries[index]
                extra = dict(edges)
                if style in ("measure", "issue") and index > 0:
                    extra["valign"] = "bottom"  # a heading hugs the items below it
                sheet.put(sheet.row, first, last, text, style, **extra)
                cells.append((text, first, last, style))
            else:
                sheet.blank(sheet.row, first, last, "blank", **edges)
        height = sheet.height(cells)
        if any(c[3] in ("measure", "issue") for c in cells) and index > 0:
            height += S.FONT_SIZE * 0.5  # a little air above a new group
        sheet.ws.set_row(sheet.row, min(height, S.MAX_ROW_HEIGHT))
        sheet.row += 1


def _write_band(sheet: SheetCursor, spans: list[tuple[int, int, str]], style: str = "band") -> None:
    for first, last, text in spans:
        sheet.put(sheet.row, first, last, text, style)
    sheet.ws.set_row(sheet.row, sheet.height([(t, f, l, style) for f, l, t in spans], S.BAND_ROW_HEIGHT))
    sheet.row += 1


def _boxed_lines(sheet: SheetCursor, lines: list[str], style: str) -> None:
    """Full-width lines in one box (概要・目的, 施策展開)."""
    last = sheet.grid.last
    for index, line in enumerate(lines):
        sheet.put(sheet.row, 0, last, line, style, **box_edges(index, len(lines)))
        sheet.ws.set_row(sheet.row, sheet.height([(line, 0, last, style)]))
        sheet.row += 1


def _year_labels(page) -> list[str]:
    """H26（基準） … R2（目標）: a year every KPI shares as 基準年度 / 目標年度 is marked."""
    out = []
    for year in page.years:
        label = short_label(year)
        if year in page.base_years:
            label += L.KPI_BASE_SUFFIX
        if year in page.target_years:
            label += L.KPI_TARGET_SUFFIX
        out.append(label)
    return out


def _kpi_label(kpi, places: int) -> str:
    label = kpi.indicator + ("\n" + L.KPI_UNIT_LINE.format(unit=kpi.unit) if kpi.unit else "")
    if kpi.target_note is not None:
        shown = f"{kpi.target_note:,.{places}f}{kpi.unit}"
        label += "\n" + L.KPI_TARGET_LINE.format(value=shown, year=short_label(kpi.target_year))
    return label


def _kpi_rows(sheet: SheetCursor, kpi, years) -> None:
    """The value row and the ＜進捗率＞ row of one KPI."""
    ws = sheet.ws
    places = decimals(v for v, _ in kpi.values.values())
    number_format = unit_format(kpi.unit, places)
    label = _kpi_label(kpi, places)
    sheet.put(sheet.row, 0, 0, label, "kpi_label")
    for col, year in enumerate(years, start=1):
        if year in kpi.values:
            value, kind = kpi.values[year]
            style = "kpi_value" if kind == ACTUAL else "kpi_fixed"
            # numbers never wrap: the style shrinks them to fit instead of showing ####
            ws.write_number(sheet.row, col, value, sheet.fmt(style, num_format=number_format))
        else:
            sheet.blank(sheet.row, col, col, "kpi_value")
    ws.set_row(sheet.row, sheet.height([(label, 0, 0, "kpi_label")], S.BAND_ROW_HEIGHT))
    sheet.row += 1

    sheet.put(sheet.row, 0, 0, L.KPI_RATE_LABEL, "kpi_rate_label")
    for col, year in enumerate(years, start=1):
        if year in kpi.progress:
            ws.write_number(sheet.row, col, kpi.progress[year], sheet.fmt("kpi_rate"))
        else:
            sheet.blank(sheet.row, col, col, "kpi_rate_blank")
    ws.conditional_format(sheet.row, 1, sheet.row, len(years), {
        "type": "cell", "criteria": ">=", "value": 1, "format": sheet.fmt.dxf("progress_hit", S.PROGRESS_HIT)})
    ws.set_row(sheet.row, S.BAND_ROW_HEIGHT)
    sheet.row += 1


def _kpi_block(sheet: SheetCursor, page) -> None:
    """【ＫＰＩの状況】: header row, then per KPI a value row and a ＜進捗率＞ row, then the note."""
    head_cells = [(L.KPI_CORNER, 0, 0, "kpi_head")]
    sheet.put(sheet.row, 0, 0, L.KPI_CORNER, "kpi_head")
    for col, label in enumerate(_year_labels(page), start=1):
        sheet.put(sheet.row, col, col, label, "kpi_head")
        head_cells.append((label, col, col, "kpi_head"))
    sheet.ws.set_row(sheet.row, sheet.height(head_cells, S.BAND_ROW_HEIGHT))
    sheet.row += 1
    for kpi in page.kpis:
        _kpi_rows(sheet, kpi, page.years)
    last = sheet.grid.last
    sheet.put(sheet.row, 0, last, L.KPI_NOTE, "note")
    sheet.ws.set_row(sheet.row, sheet.height([(L.KPI_NOTE, 0, last, "note")]))
    sheet.row += 1


def _title_rows(sheet: SheetCursor, page, fy: int) -> None:
    grid, ws, last = sheet.grid, sheet.ws, sheet.grid.last
    sheet.put(0, 0, grid.split - 1, L.TITLE, "title")
    sheet.put(0, grid.split, last, long_title(fy), "title_fy")
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    sheet.put(1, 0, 0, page.region_name, "region")
    sheet.put(1, 1, last, page.project, "project")
    ws.set_row(1, sheet.height([(page.region_name, 0, 0, "region"), (page.project, 1, last, "project")],
                               S.PROJECT_ROW_MIN_HEIGHT))
    sheet.row = 2
    sheet.spacer()


def _lists(sheet: SheetCursor, page, fy: int) -> None:
    """実績 | 課題 side by side, then 今年度 and 次年度 across the sheet."""
    grid, last = sheet.grid, sheet.grid.last
    left, right = (0, grid.split - 1), (grid.split, last)
    _write_band(sheet, [(left[0], left[1], L.HEAD_RESULTS), (right[0], right[1], L.HEAD_ISSUES)])
    _write_list_block(sheet, [(*left, page.lists[RESULTS]), (*right, page.lists[ISSUES])])
    sheet.spacer()
    for section, head, year in ((THIS_YEAR, L.HEAD_THIS_YEAR, fy), (NEXT_YEAR, L.HEAD_NEXT_YEAR, fy + 1)):
        _write_band(sheet, [(0, last, head.format(title=long_title(year)))], "band_left")
        _write_list_block(sheet, [(0, last, page.lists[section])])
        sheet.spacer()


def write_project_sheet(ws, fmt, page, fy: int, workbook=None) -> dict[str, str]:
    """One project sheet; returns {kpi_id: range of its 実績値 cells} for the 一覧 sparklines.

    With `workbook` (to add charts to) the KPI table is followed by 【ＫＰＩの推移】.
    """
    grid = project_grid(len(page.years) if page.years else S.DEFAULT_YEAR_COLUMNS)
    sheet = SheetCursor(ws, fmt, grid)
    last = grid.last
    for col, width in enumerate(grid.widths):
        ws.set_column(col, col, width)
    _title_rows(sheet, page, fy)

    sheet.section(L.HEAD_PURPOSE)
    purpose = page.purpose or L.NO_ENTRY
    _boxed_lines(sheet, paragraph_rows(purpose, grid.width(0, last), *style_metrics("purpose")), "purpose")
    sheet.spacer()
    sheet.section(L.HEAD_MEASURES)
    _boxed_lines(sheet, list(page.measure_lines) or [L.NO_ENTRY], "measure")
    sheet.spacer()
    _lists(sheet, page, fy)

    sheet.section(L.HEAD_KPI)
    actual_ranges: dict[str, str] = {}
    if page.kpis and page.years:
        _kpi_block(sheet, page)
        if workbook is not None:
            actual_ranges = chart_block(sheet, workbook, page)
    else:
        sheet.put(sheet.row, 0, last, L.NO_KPI, "note", **box_edges(0, 1))
        ws.set_row(sheet.row, S.BAND_ROW_HEIGHT)
        sheet.row += 1

    page_setup(ws, last_row=sheet.row - 1, last_col=last, repeat=(0, 1),
               left=f"{L.TITLE}　{long_title(fy)}", right=f"{page.region_name}　{page.project}")
    ws.hide_gridlines(2)
    return actual_ranges
