"""【ＫＰＩの推移】: a native line chart per KPI and the numbers it is drawn from.

Charts only plot cells that are on the printed sheet (「グラフの数値」), so a reader can
check every point; the series themselves (実績値, 目標値, 基準値→目標値の直線) come
from report.KpiView.
"""
from __future__ import annotations

import copy
import re
from typing import Sequence

from xlsxwriter.utility import xl_rowcol_to_cell

from schemas.eras import short_label

from .. import styles as S
from . import labels as L
from .cells import SheetCursor, decimals, sheet_ref, unit_format

_LOOKS_LIKE_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")  # what xlsxwriter takes for a cell reference


def _chart_text(text: str) -> str:
    """A chart title as literal text: xlsxwriter would read `売上!A1…` as a cell reference."""
    return text.replace("!", "！") if _LOOKS_LIKE_REFERENCE.match(text) else text


def _col_px(width: float) -> int:
    """Pixels of a column `width` units wide as xlsxwriter anchors objects (7 px a unit + 5)."""
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def _kpi_chart(workbook, sheet_name: str, kpi, head_row: int, first_row: int,
               years: Sequence[int], places: int, width_px: int):
    """A native line chart of one KPI; every series is a row of the 「グラフの数値」 table.

    The series' values are also handed over as the chart's cached values: xlsxwriter
    would cache a formatted empty cell as 0, and a reader that shows the cache (not the
    cells) would then plot a drop to zero.
    """
    chart = workbook.add_chart({"type": "line"})
    n = len(years)
    categories = [sheet_name, head_row, 1, head_row, n]
    for offset, (name, look, values) in enumerate(((L.SERIES_ACTUAL, S.CHART_ACTUAL, kpi.actual),
                                                   (L.SERIES_TARGET, S.CHART_TARGET, kpi.target),
                                                   (L.SERIES_LINE, S.CHART_LINE, kpi.line))):
        chart.add_series({"name": name, "categories": categories,
                          "values": [sheet_name, first_row + offset, 1, first_row + offset, n],
                          "values_data": [f"{values[y]:.16g}" if y in values else None for y in years],
                          **copy.deepcopy(look)})
    chart.set_title({"name": _chart_text(kpi.indicator), "overlay": False,
                     "name_font": dict(S.CHART_TITLE_FONT)})
    chart.set_x_axis({"name": L.CHART_X_TITLE, "name_font": dict(S.CHART_FONT),
                      "num_font": dict(S.CHART_FONT)})
    y_axis = {"num_font": dict(S.CHART_FONT), "num_format": unit_format("", places),
              "major_gridlines": copy.deepcopy(S.CHART_GRIDLINES)}
    if kpi.unit:
        y_axis["name"] = _chart_text(L.CHART_Y_TITLE.format(unit=kpi.unit))
        y_axis["name_font"] = dict(S.CHART_FONT, rotation=S.CHART_Y_TITLE_ROTATION)
    chart.set_y_axis(y_axis)
    chart.set_legend({"position": "bottom", "font": dict(S.CHART_FONT)})
    chart.set_chartarea({"border": dict(S.CHART_BORDER)})
    chart.show_blanks_as("gap")
    chart.set_size({"width": width_px, "height": S.CHART_HEIGHT_PX})
    return chart


def _chart_rows(sheet: SheetCursor, count: int) -> list[int]:
    """Reserve a row per pair of charts (a row never splits over two pages).

    The heading shares the first chart row (text at its top, the charts below it), so
    that a page break can never leave it alone at the foot of a page.
    """
    sheet.spacer()
    rows = []
    for index in range(0, count, 2):
        height = (S.CHART_HEIGHT_PX + 2 * S.CHART_PAD_PX) * 0.75  # px → points
        if index == 0:
            sheet.put(sheet.row, 0, sheet.grid.last, L.HEAD_CHARTS, "section", valign="top")
            height += S.SECTION_ROW_HEIGHT
        sheet.ws.set_row(sheet.row, height)
        rows.append(sheet.row)
        sheet.row += 1
    sheet.spacer()
    return rows


def _chart_places(kpi) -> int:
    base = [] if kpi.base_value != kpi.base_value else [kpi.base_value]  # NaN: no 基準値
    return decimals([*kpi.actual.values(), *kpi.target.values(), *base])


def _numbers_table(sheet: SheetCursor, kpi, years: Sequence[int], places: int) -> tuple[int, int]:
    """「グラフの数値」 of one KPI: a header row (its name and the years: the chart's
    categories) and the three series rows.  Returns (header row, first series row)."""
    ws = sheet.ws
    group = L.CHART_GROUP.format(indicator=kpi.indicator, unit=kpi.unit if kpi.unit else "－")
    head = sheet.row
    sheet.put(head, 0, 0, group, "chart_group")
    for col, year in enumerate(years, start=1):
        sheet.put(head, col, col, short_label(year), "kpi_head")
    ws.set_row(head, sheet.height([(group, 0, 0, "chart_group")], S.BAND_ROW_HEIGHT))
    sheet.row += 1
    first = sheet.row
    for label, values, style, shown in ((L.SERIES_ACTUAL, kpi.actual, "kpi_value", places),
                                        (L.SERIES_TARGET, kpi.target, "kpi_fixed", places),
                                        (L.SERIES_LINE, kpi.line, "kpi_fixed", max(places, 1))):
        number_format = unit_format(kpi.unit, shown)
        sheet.put(sheet.row, 0, 0, label, "chart_series")
        for col, year in enumerate(years, start=1):
            if year in values:
                ws.write_number(sheet.row, col, values[year], sheet.fmt(style, num_format=number_format))
            else:
                sheet.blank(sheet.row, col, col, "kpi_value")
        ws.set_row(sheet.row, S.BAND_ROW_HEIGHT)
        sheet.row += 1
    return head, first


def chart_block(sheet: SheetCursor, workbook, page) -> dict[str, str]:
    """【ＫＰＩの推移】: one chart per KPI, two side by side in rows reserved for them (no
    text there but the heading at the top of the first, inside the print area), then the
    numbers they are drawn from (「グラフの数値」), visible and printed.

    Returns {kpi_id: the range of its 実績値 cells} (first to last year with an actual),
    which the 一覧 sparkline shows.
    """
    ws, grid, years = sheet.ws, sheet.grid, list(page.years)
    name = ws.get_name()
    chart_rows = _chart_rows(sheet, len(page.kpis))
    # Two rows of charts fill a printed page, so then the numbers start on the next one
    # (a manual break, which fit-to-width printing keeps) rather than leaving a header
    # alone at the foot of the page.
    if len(chart_rows) > 1:
        ws.set_h_pagebreaks([sheet.row])
    placed, ranges = [], {}
    for kpi in page.kpis:
        places = _chart_places(kpi)
        head, first = _numbers_table(sheet, kpi, years, places)
        placed.append((kpi, head, first, places))
        if kpi.actual:
            cols = [1 + years.index(y) for y in kpi.actual if y in years]
            ranges[kpi.kpi_id] = (f"{sheet_ref(name)}!{xl_rowcol_to_cell(first, min(cols))}:"
                                  f"{xl_rowcol_to_cell(first, max(cols))}")
    sheet.put(sheet.row, 0, grid.last, L.CHART_NOTE, "note")
    ws.set_row(sheet.row, sheet.height([(L.CHART_NOTE, 0, grid.last, "note")]))
    sheet.row += 1

    halves = (sum(_col_px(w) for w in grid.widths[:grid.split]),
              sum(_col_px(w) for w in grid.widths[grid.split:]))
    for index, (kpi, head, first, places) in enumerate(placed):
        side = index % 2
        chart = _kpi_chart(workbook, name, kpi, head, first, years, places,
                           halves[side] - 2 * S.CHART_PAD_PX)
        below_heading = round(S.SECTION_ROW_HEIGHT * 4 / 3) if index < 2 else 0
        ws.insert_chart(chart_rows[index // 2], 0 if side == 0 else grid.split, chart,
                        {"x_offset": S.CHART_PAD_PX, "y_offset": S.CHART_PAD_PX + below_heading,
                         "object_position": 1})
    return ranges
