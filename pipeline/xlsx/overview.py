"""一覧, the first sheet: one row per KPI with its 見込み, a sparkline and a link to its sheet.

The rows and each KPI's 見込み come from report.Report (overview, legend); the colours
of a 見込み from styles.STATUS_COLOURS by its key.
"""
from __future__ import annotations

import copy
from typing import NamedTuple

from schemas.cells import is_missing
from schemas.eras import long_title, short_label

from .. import styles as S
from . import labels as L
from .cells import SheetCursor, decimals, hit_format, page_setup, sheet_ref, streamed, unit_format
from .flow import Row, section_row, spacer_row, write_flow
from .pages import page_capacity, print_scale
from .layout import Grid
from ..textwidth import text_width


class OverviewColumn(NamedTuple):
    """A column of 一覧.  A column with a group header gets it merged over the group's
    columns in the first header row and its own header below; one without spans both."""

    key: str
    group: str
    header: str
    width: float
    style: str


COLUMNS: tuple[OverviewColumn, ...] = (
    OverviewColumn("region", "", "連携地域", 11, "ov_text"),
    OverviewColumn("project", "", "プロジェクト", 24, "ov_link"),   # widened to the longest name
    OverviewColumn("indicator", "", "指標名", 36, "ov_text"),
    OverviewColumn("unit", "", "単位", 8, "ov_unit"),   # widened to the longest unit
    OverviewColumn("base_year", "基準", "年度", 7, "ov_center"),
    OverviewColumn("base_value", "基準", "値", 11, "ov_number"),
    OverviewColumn("latest_year", "最新実績", "年度", 7, "ov_center"),
    OverviewColumn("latest_value", "最新実績", "値", 11, "ov_number"),
    OverviewColumn("target_year", "目標", "年度", 7, "ov_center"),
    OverviewColumn("target_value", "目標", "値", 11, "ov_number"),
    OverviewColumn("progress", "", "進捗率", 11, "ov_rate"),
    OverviewColumn("status", "", "見込み", 9, "ov_status"),
    OverviewColumn("trend", "", "実績の推移", 15, "ov_spark"),
)
GRADE = OverviewColumn("grade", "", L.OVERVIEW_GRADE, 7, "ov_grade")   # after 進捗率, with a 評価 scale
COL = {c.key: i for i, c in enumerate(COLUMNS)}


def columns_of(graded: bool) -> tuple[OverviewColumn, ...]:
    """The columns of 一覧: COLUMNS, with the 評価 column after 進捗率 when there is a scale."""
    if not graded:
        return COLUMNS
    at = COL["progress"] + 1
    return (*COLUMNS[:at], GRADE, *COLUMNS[at:])


class _Columns:
    """The columns of one 一覧 sheet and their positions by key."""

    def __init__(self, graded: bool):
        self.columns = columns_of(graded)
        self.col = {c.key: i for i, c in enumerate(self.columns)}


VALUE_PAIRS = (("base_year", "base_value"), ("latest_year", "latest_value"), ("target_year", "target_value"))


def _era(year: object) -> str:
    return "" if is_missing(year) else short_label(int(year))


def _put_or_blank(sheet: SheetCursor, row: int, col: int, text: str, style: str) -> None:
    if text:
        sheet.put(row, col, col, text, style)
    else:
        sheet.blank(row, col, col, style)


def _grid(rows, cols: _Columns) -> Grid:
    """Column widths; the project column widened to the longest linked name (LibreOffice
    never wraps a link cell), up to OVERVIEW_PROJECT_MAX_WIDTH (then it shrinks); the unit
    column to the longest unit (10万人当たり), up to OVERVIEW_UNIT_MAX_WIDTH (then it shrinks)."""
    widths = [float(c.width) for c in cols.columns]
    col = cols.col
    longest = max((text_width(r.project) for r in rows if r.linked), default=0)
    widths[col["project"]] = min(max(widths[col["project"]], longest + S.CELL_PAD_UNITS + S.INDENT_UNITS + 1),
                                 S.OVERVIEW_PROJECT_MAX_WIDTH)
    unit = max((text_width(str(r.kpi["unit"])) for r in rows if r.kpi is not None and not is_missing(r.kpi["unit"])),
               default=0)
    widths[col["unit"]] = min(max(widths[col["unit"]], unit + S.CELL_PAD_UNITS + 1), S.OVERVIEW_UNIT_MAX_WIDTH)
    return Grid(tuple(widths), col["latest_year"])


def _header_rows(sheet: SheetCursor, fy: int, title: str, cols: _Columns, caption: str = L.OVERVIEW_TITLE) -> None:
    """Title row, then two header rows (all three repeated on every printed page)."""
    ws, grid, last = sheet.ws, sheet.grid, sheet.grid.last
    sheet.put(0, 0, grid.split - 1, f"{title}　{caption}", "title")
    sheet.put(0, grid.split, last, long_title(fy), "title_fy")
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    if streamed(ws):
        _streamed_header_rows(sheet, cols.columns)
        return
    head = sheet.fmt("kpi_head")
    i = 0
    while i < len(cols.columns):
        if not cols.columns[i].group:
            ws.merge_range(1, i, 2, i, "", head)
            ws.write_string(1, i, cols.columns[i].header, head)
            i += 1
            continue
        j = i
        while j + 1 < len(cols.columns) and cols.columns[j + 1].group == cols.columns[i].group:
            j += 1
        sheet.put(1, i, j, cols.columns[i].group, "kpi_head")
        for k in range(i, j + 1):
            sheet.put(2, k, k, cols.columns[k].header, "kpi_head")
        i = j + 1
    ws.set_row(1, S.BAND_ROW_HEIGHT)
    ws.set_row(2, S.BAND_ROW_HEIGHT)
    sheet.row = 3


def _streamed_header_rows(sheet: SheetCursor, columns) -> None:
    """The two header rows written one after the other (a streamed sheet cannot merge
    down): a column without a group is a box over both rows, open between them."""
    groups = [c.group for c in columns]
    sheet.ws.set_row(1, S.BAND_ROW_HEIGHT)
    i = 0
    while i < len(columns):
        j = i
        while columns[i].group and j + 1 < len(columns) and groups[j + 1] == groups[i]:
            j += 1
        if columns[i].group:
            sheet.put(1, i, j, columns[i].group, "kpi_head")
        else:
            sheet.put(1, i, i, columns[i].header, "kpi_head", bottom=0, valign="bottom")
        i = j + 1
    sheet.ws.set_row(2, S.BAND_ROW_HEIGHT)
    for k, column in enumerate(columns):
        if column.group:
            sheet.put(2, k, k, column.header, "kpi_head")
        else:
            sheet.blank(2, k, k, "kpi_head", top=0)
    sheet.row = 3


def _progress_cells(sheet: SheetCursor, row: int, kpi: dict, col: dict) -> None:
    """進捗率 (a number, or a label: 100%超 green, 0%未満 and － not) and, with a scale, 評価."""
    shown = kpi["shown_progress"]
    if isinstance(shown, str):
        sheet.put(row, col["progress"], col["progress"], shown, "ov_rate_text",
                  **(S.PROGRESS_HIT if kpi.get("hit") else {}))
    elif is_missing(shown):
        sheet.blank(row, col["progress"], col["progress"], "ov_rate")
    else:
        sheet.ws.write_number(row, col["progress"], shown, sheet.fmt("ov_rate"))
    if "grade" in col:
        _put_or_blank(sheet, row, col["grade"], str(kpi.get("grade") or ""), "ov_grade")


def _kpi_cells(sheet: SheetCursor, row: int, kpi: dict, spark: str | None, col: dict) -> None:
    """The KPI's cells of one row."""
    ws, fmt = sheet.ws, sheet.fmt
    sheet.put(row, col["indicator"], col["indicator"], str(kpi["indicator"]), "ov_text")
    _put_or_blank(sheet, row, col["unit"], str(kpi["unit"]), "ov_unit")
    values = [kpi[v] for _, v in VALUE_PAIRS if not is_missing(kpi[v])]
    number_format = unit_format("", decimals(float(v) for v in values))
    for year_key, value_key in VALUE_PAIRS:
        _put_or_blank(sheet, row, col[year_key], _era(kpi[year_key]), "ov_center")
        if value_key == "target_value" and kpi.get("target_text"):
            sheet.put(row, col[value_key], col[value_key], kpi["target_text"], "ov_text")
        elif is_missing(kpi[value_key]):
            sheet.blank(row, col[value_key], col[value_key], "ov_number")
        else:
            ws.write_number(row, col[value_key], float(kpi[value_key]), fmt("ov_number", num_format=number_format))
    _progress_cells(sheet, row, kpi, col)
    sheet.put(row, col["status"], col["status"], str(kpi["label"]), "ov_status")
    sheet.blank(row, col["trend"], col["trend"], "ov_spark")
    if spark:
        ws.add_sparkline(row, col["trend"], {"range": spark, **copy.deepcopy(S.SPARKLINE)})


def _entry_row(sheet: SheetCursor, entry, link: tuple[str, str] | None, sparks: dict[str, str], cols: _Columns) -> Row:
    """One 一覧 row: its wrapped texts set the height; `link` (url, tooltip) of the project's sheet."""
    texts = [(entry.region, cols.col["region"], cols.col["region"], "ov_text")]
    if link is None:
        texts.append((entry.project, cols.col["project"], cols.col["project"], "ov_text"))
    if entry.kpi is not None:
        texts.append((str(entry.kpi["indicator"]), cols.col["indicator"], cols.col["indicator"], "ov_text"))
        if entry.kpi.get("target_text"):
            texts.append((entry.kpi["target_text"], cols.col["target_value"], cols.col["target_value"], "ov_text"))

    def draw(sheet, row, height, cut):
        ws = sheet.ws
        _put_or_blank(sheet, row, cols.col["region"], entry.region, "ov_text")
        if link is not None:
            ws.write_url(row, cols.col["project"], link[0], sheet.fmt.text("ov_link", entry.project), entry.project,
                         link[1])
        else:
            sheet.put(row, cols.col["project"], cols.col["project"], entry.project, "ov_text")
        if entry.kpi is None:
            sheet.put(row, cols.col["indicator"], cols.col["indicator"], L.NO_KPI, "ov_text")
            for column in cols.columns[cols.col["unit"]:]:
                sheet.blank(row, cols.col[column.key], cols.col[column.key], column.style)
        else:
            _kpi_cells(sheet, row, entry.kpi, sparks.get(str(entry.kpi["kpi_id"])), cols.col)
    return Row(sheet.height(texts, S.OVERVIEW_ROW_MIN_HEIGHT), draw)


def _conditional_formats(sheet: SheetCursor, first_row: int, last_row: int, legend, report, col: dict) -> None:
    if last_row < first_row:
        return
    ws, fmt = sheet.ws, sheet.fmt
    texts = any(isinstance(e.kpi["shown_progress"], str) for e in report.overview if e.kpi is not None)
    hit_format(sheet, first_row, col["progress"], last_row, col["progress"], texts)
    for status in legend:
        font, fill = S.STATUS_COLOURS[status.key]
        ws.conditional_format(first_row, col["status"], last_row, col["status"], {
            "type": "cell", "criteria": "==", "value": '"' + status.label.replace('"', '""') + '"',
            "format": fmt.dxf(f"status:{status.key}", {"bold": True, "font_color": font, "bg_color": fill})})


def _legend(sheet: SheetCursor, legend, text: str = L.OVERVIEW_NOTE) -> list[Row]:
    """The rules in the order they are tried, with the colours the 見込み column uses;
    kept together with their heading and the note."""
    last = sheet.grid.last
    rows = [spacer_row(), section_row(L.OVERVIEW_LEGEND)]
    for status in legend:
        font, fill = S.STATUS_COLOURS[status.key]

        def draw(sheet, row, height, cut, status=status, font=font, fill=fill):
            sheet.put(row, 0, 0, status.label, "ov_status", font_color=font, bg_color=fill)
            sheet.put(row, 1, last, status.rule, "ov_legend")
        rows.append(Row(sheet.height([(status.rule, 1, last, "ov_legend")], S.BAND_ROW_HEIGHT), draw, keep=True))

    def note(sheet, row, height, cut):
        sheet.put(row, 0, last, text, "note")
    return [*rows, Row(sheet.height([(text, 0, last, "note")]), note)]


def _link(sheet_name: str | None, book: str | None) -> tuple[str, str] | None:
    """(url, tooltip) of a project's sheet, in this book or in the book named `book`."""
    if sheet_name is None:
        return None
    if book is None:
        return f"internal:{sheet_ref(sheet_name)}!A1", L.OVERVIEW_LINK_TIP.format(name=sheet_name)
    return f"external:{book}#{sheet_ref(sheet_name)}!A1", L.OVERVIEW_LINK_TIP_BOOK.format(book=book, name=sheet_name)


def write_overview_sheet(ws, fmt, report, sheet_names: dict[str, str], sparks: dict[str, str], *,
                         title: str = L.TITLE, footer: str = L.TITLE, books: dict[str, str] | None = None) -> None:
    """一覧: 連携地域, プロジェクト (a link to its sheet), 指標名, 単位, 基準・最新実績・目標
    (年度・値), 進捗率 of the latest actual, 見込み, and a sparkline of the actuals (the 実績値
    row of the project sheet's 「グラフの数値」); below, the rules.  Paginated by the writer
    (pages.py): the header rows repeat on every page, the rules stay with their heading.

    sheet_names: project_id → its sheet; sparks: kpi_id → the range its sparkline shows.
    With `books` (project_id → the file name of the region's book: the whole-Hokkaido
    一覧), the links open the sheet in that book, and the rows get an autofilter with the
    連携地域 and プロジェクト columns frozen beside the frozen header.
    """
    cols = _Columns(getattr(report, "graded", False))
    sheet = SheetCursor(ws, fmt, _grid(report.overview, cols))
    for i, width in enumerate(sheet.grid.widths):
        ws.set_column(i, i, width)
    caption = L.OVERVIEW_TITLE if books is None else L.OVERVIEW_TITLE_ALL
    _header_rows(sheet, report.fiscal_year, title, cols, caption)
    first_row = sheet.row
    rows = [_entry_row(sheet, entry, _link(sheet_names.get(entry.project_id) if entry.linked else None,
                                           None if books is None else books.get(entry.project_id)), sparks, cols)
            for entry in report.overview]
    scale = print_scale(sheet.grid.widths)
    note = L.OVERVIEW_NOTE + (L.KPI_CAPPED_NOTE if getattr(report, "capped", False) else "")
    write_flow(sheet, [*rows, *_legend(sheet, report.legend, note)],
               page_capacity(scale, S.TITLE_ROW_HEIGHT + 2 * S.BAND_ROW_HEIGHT))
    _conditional_formats(sheet, first_row, first_row + len(rows) - 1, report.legend, report, cols.col)
    if books is not None:
        ws.autofilter(first_row - 1, 0, max(first_row + len(rows) - 1, first_row), sheet.grid.last)
    ws.freeze_panes(first_row, 0 if books is None else cols.col["project"] + 1)
    page_setup(ws, last_row=sheet.row - 1, last_col=sheet.grid.last, repeat=(0, 2), scale=scale,
               left=f"{footer}　{long_title(report.fiscal_year)}", right=L.OVERVIEW_TITLE)
    ws.hide_gridlines(2)
