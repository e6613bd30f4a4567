"""【ＫＰＩの推移】: a native line chart per KPI and the numbers it is drawn from.

Charts only plot cells that are on the printed sheet (「グラフの数値」), so a reader can
check every point; the series themselves (実績値, 目標値, 基準値→目標値の直線) come
from report.KpiView.  The block is laid out as flow.Rows (see ChartBlock).
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
from .flow import Row, continued, section_row, spacer_row
from .pages import column_pixels

_LOOKS_LIKE_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")  # what xlsxwriter takes for a cell reference


def _chart_text(text: str) -> str:
    """A chart title as literal text: xlsxwriter would read `売上!A1…` as a cell reference."""
    return text.replace("!", "！") if _LOOKS_LIKE_REFERENCE.match(text) else text


def _kpi_chart(workbook, sheet_name: str, kpi, head_row: int, first_row: int,
               years: Sequence[int], places: int, width_px: int, height_px: int):
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
                                                   (_line_label(kpi), S.CHART_LINE, kpi.line))):
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
    chart.set_size({"width": width_px, "height": height_px})
    return chart


def _line_label(kpi) -> str:
    """基準値→目標値（直線）, or （折れ線） when the line runs through interim / yearly targets."""
    return L.SERIES_PIECEWISE if getattr(kpi, "piecewise", False) else L.SERIES_LINE


def _chart_places(kpi) -> int:
    base = [] if kpi.base_value != kpi.base_value else [kpi.base_value]  # NaN: no 基準値
    return decimals([*kpi.actual.values(), *kpi.target.values(), *base])


def _chart_height(px: int) -> float:
    """Points of a chart row holding charts `px` pixels tall."""
    return (px + 2 * S.CHART_PAD_PX) * 0.75


class ChartBlock:
    """【ＫＰＩの推移】 of one project sheet: a native line chart per KPI, two side by side
    in a row reserved for them, then the numbers they are drawn from (「グラフの数値」).

    `rows()` gives the rows for the page planner (a chart row may shrink to fill the rest
    of a page, down to CHART_MIN_HEIGHT_PX); as they are written they record where they
    went, and `finish()` then inserts the charts at their rows, sized to them.
    """

    def __init__(self, sheet: SheetCursor, workbook, page):
        self.sheet, self.workbook, self.page = sheet, workbook, page
        self.years = list(page.years)
        self.places = [_chart_places(kpi) for kpi in page.kpis]
        self.chart_rows: list[tuple[int, float]] = []     # (row, height) of each chart row
        self.tables: list[tuple[int, int]] = []           # (header row, first series row) per KPI

    def rows(self) -> list[Row]:
        kpis = self.page.kpis
        heading = section_row(L.HEAD_CHARTS)
        resume = (section_row(continued(L.HEAD_CHARTS), keep=False),)
        out = [spacer_row(), heading]
        for index in range(0, len(kpis), 2):
            out.append(Row(_chart_height(S.CHART_HEIGHT_PX), self._draw_chart_row,
                           resume=resume if index else (), min_height=_chart_height(S.CHART_MIN_HEIGHT_PX)))
        out.append(spacer_row())
        for index, kpi in enumerate(kpis):
            out += self._numbers_rows(kpi, self.places[index], last=index == len(kpis) - 1)
        out.append(self._note_row())
        return out

    def _draw_chart_row(self, sheet, row: int, height: float, cut: frozenset) -> None:
        self.chart_rows.append((row, height))

    def _numbers_rows(self, kpi, places: int, last: bool) -> list[Row]:
        """「グラフの数値」 of one KPI: a header row (its name and the years: the chart's
        categories) and the three series rows, kept together (the last KPI's with the note)."""
        group = L.CHART_GROUP.format(indicator=kpi.indicator, unit=kpi.unit if kpi.unit else "－")
        years = self.years

        def head(sheet, row, height, cut):
            self.tables.append((row, row + 1))
            sheet.put(row, 0, 0, group, "chart_group")
            for col, year in enumerate(years, start=1):
                sheet.put(row, col, col, short_label(year), "kpi_head")

        def series(label, values, style, shown):
            number_format = unit_format(kpi.unit, shown)

            def draw(sheet, row, height, cut):
                sheet.put(row, 0, 0, label, "chart_series")
                for col, year in enumerate(years, start=1):
                    if year in values:
                        sheet.ws.write_number(row, col, values[year], sheet.fmt(style, num_format=number_format))
                    else:
                        sheet.blank(row, col, col, "kpi_value")
            return draw

        rows = [Row(self.sheet.height([(group, 0, 0, "chart_group")], S.BAND_ROW_HEIGHT), head, keep=True)]
        for label, values, style, shown in ((L.SERIES_ACTUAL, kpi.actual, "kpi_value", places),
                                            (L.SERIES_TARGET, kpi.target, "kpi_fixed", places),
                                            (_line_label(kpi), kpi.line, "kpi_fixed", max(places, 1))):
            rows.append(Row(S.BAND_ROW_HEIGHT, series(label, values, style, shown), keep=True))
        rows[-1] = Row(rows[-1].height, rows[-1].draw, keep=last)
        return rows

    def _note_row(self) -> Row:
        last = self.sheet.grid.last
        piecewise = any(getattr(k, "piecewise", False) for k in self.page.kpis)
        text = L.CHART_NOTE + (L.CHART_PIECEWISE_NOTE if piecewise else "")

        def draw(sheet, row, height, cut):
            sheet.put(row, 0, last, text, "note")
        return Row(self.sheet.height([(text, 0, last, "note")]), draw)

    def finish(self) -> dict[str, str]:
        """Insert the charts at their rows; returns {kpi_id: the range of its 実績値 cells}
        (first to last year with an actual), which the 一覧 sparkline shows."""
        sheet, grid, years = self.sheet, self.sheet.grid, self.years
        name = sheet.ws.get_name()
        halves = (sum(column_pixels(w) for w in grid.widths[:grid.split]),
                  sum(column_pixels(w) for w in grid.widths[grid.split:]))
        ranges = {}
        for index, kpi in enumerate(self.page.kpis):
            head, first = self.tables[index]
            row, height = self.chart_rows[index // 2]
            side = index % 2
            chart = _kpi_chart(self.workbook, name, kpi, head, first, years, self.places[index],
                               halves[side] - 2 * S.CHART_PAD_PX, int(height / 0.75) - 2 * S.CHART_PAD_PX)
            sheet.ws.insert_chart(row, 0 if side == 0 else grid.split, chart,
                                  {"x_offset": S.CHART_PAD_PX, "y_offset": S.CHART_PAD_PX, "object_position": 1})
            if kpi.actual:
                cols = [1 + years.index(y) for y in kpi.actual if y in years]
                ranges[kpi.kpi_id] = (f"{sheet_ref(name)}!{xl_rowcol_to_cell(first, min(cols))}:"
                                      f"{xl_rowcol_to_cell(first, max(cols))}")
        return ranges
