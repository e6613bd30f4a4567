"""One project sheet, laid out like the seed table and paginated like a person would.

Title rows (repeated on every printed page), 【概要・目的】, 【施策展開】, the 実績 | 課題
lists side by side, 今年度 and 次年度, 【ＫＰＩの状況】 (a value row and a ＜進捗率＞ row per
KPI) and 【ＫＰＩの推移】 (charts.py).  Every block is described as flow.Rows and placed
by the page planner (pages.py): no heading (【…】, a band, ■ or ○) is the last line of a
page, a section continued on a new page starts with its heading and 「（続き）」, the KPI
table stays with its heading, and a chart row shrinks rather than leave half a page
empty.  Everything printed comes from a report.ProjectPage; this module decides only
where it goes and how it looks.
"""
from __future__ import annotations

from schemas.eras import long_title, short_label
from schemas.vocab import ACTUAL, ISSUES, NEXT_YEAR, RESULTS, THIS_YEAR

from .. import styles as S
from . import labels as L
from .cells import SheetCursor, box_edges, decimals, hit_format, page_setup, style_metrics, unit_format
from .charts import ChartBlock
from .flow import Row, continued, edges_at, section_row, spacer_row, write_flow
from .layout import paragraph_rows, project_grid
from .pages import page_capacity, print_scale

HEADINGS = ("measure", "issue")   # list entries that head the items below them


def _list_rows(sheet: SheetCursor, columns: list[tuple[int, int, tuple]], resume: tuple) -> list[Row]:
    """Lists side by side (one per column span), each in its own box, rows paired up.

    Each list is a tuple of report.Entry; an empty list prints （記載なし）.  A row with a
    ■/○ heading is kept with the next; a row that starts a page gets `resume` first.
    """
    columns = [(first, last, [(e.text, e.kind) for e in entries] or [(L.NO_ENTRY, "note")])
               for first, last, entries in columns]
    count = max(len(entries) for _, _, entries in columns)
    rows = []
    for index in range(count):
        cells = [(entries[index][0], first, last, entries[index][1])
                 for first, last, entries in columns if index < len(entries)]
        heading = any(style in HEADINGS for *_, style in cells)
        height = sheet.height(cells)
        if heading and index > 0:
            height += S.FONT_SIZE * 0.5  # a little air above a new group

        def draw(sheet, row, height, cut, index=index):
            for first, last, entries in columns:
                edges = edges_at(box_edges(index, count, top_open=True), cut)
                if index < len(entries):
                    text, style = entries[index]
                    if style in HEADINGS and index > 0:
                        edges["valign"] = "bottom"  # a heading hugs the items below it
                    sheet.put(row, first, last, text, style, **edges)
                else:
                    sheet.blank(row, first, last, "blank", **edges)
        rows.append(Row(min(height, S.MAX_ROW_HEIGHT), draw, keep=heading, resume=resume))
    return rows


def _band_row(sheet: SheetCursor, spans: list[tuple[int, int, str]], style: str, keep: bool = True) -> Row:
    def draw(sheet, row, height, cut):
        for first, last, text in spans:
            sheet.put(row, first, last, text, style)
    return Row(sheet.height([(t, f, l, style) for f, l, t in spans], S.BAND_ROW_HEIGHT), draw, keep=keep)


def _banded_list(sheet: SheetCursor, spans: list[tuple[int, int, str]], style: str, lists) -> list[Row]:
    """A band of headings over lists; on a continuation page the band again, with 「（続き）」."""
    resume = (_band_row(sheet, [(f, l, continued(t)) for f, l, t in spans], style, keep=False),)
    columns = [(first, last, entries) for (first, last, _), entries in zip(spans, lists)]
    return [_band_row(sheet, spans, style), *_list_rows(sheet, columns, resume), spacer_row()]


def _boxed_section(sheet: SheetCursor, heading: str, lines: list[str], style: str) -> list[Row]:
    """A 【…】 heading over full-width lines in one box (概要・目的, 施策展開)."""
    last = sheet.grid.last
    resume = (section_row(continued(heading), keep=False),)
    rows = [section_row(heading)]
    for index, line in enumerate(lines):
        def draw(sheet, row, height, cut, index=index, line=line):
            sheet.put(row, 0, last, line, style, **edges_at(box_edges(index, len(lines)), cut))
        rows.append(Row(sheet.height([(line, 0, last, style)]), draw, resume=resume))
    return [*rows, spacer_row()]


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
    """指標名, its unit, the targets an actual hides and the 対象年度 footnotes."""
    label = kpi.indicator + ("\n" + L.KPI_UNIT_LINE.format(unit=kpi.unit) if kpi.unit else "")
    if kpi.target_note is not None:
        shown = f"{kpi.target_note:,.{places}f}{kpi.unit}"
        label += "\n" + L.KPI_TARGET_LINE.format(value=shown, year=short_label(kpi.target_year))
    for name, value, year in kpi.notes:
        label += "\n" + L.KPI_OTHER_TARGET_LINE.format(label=name, value=f"{value:,.{places}f}{kpi.unit}",
                                                       year=short_label(year))
    for year, measured in sorted(kpi.measured.items()):
        label += "\n" + L.KPI_MEASURED_NOTE.format(year=short_label(year), measured=short_label(measured))
    return label


def _rate_cells(sheet: SheetCursor, row: int, kpi, years) -> None:
    """The ＜進捗率＞ cells: numbers (green from 100 % by a conditional format) or labels
    (100%超 green by its own format, 0%未満 and － not)."""
    for col, year in enumerate(years, start=1):
        shown = kpi.progress.get(year)
        if isinstance(shown, str):
            sheet.put(row, col, col, shown, "kpi_rate", **(S.PROGRESS_HIT if year in kpi.hits else {}))
        elif shown is not None:
            sheet.ws.write_number(row, col, shown, sheet.fmt("kpi_rate"))
        else:
            sheet.blank(row, col, col, "kpi_rate_blank")
    hit_format(sheet, row, 1, row, len(years), any(isinstance(v, str) for v in kpi.progress.values()))


def _grade_row(kpi, years) -> Row:
    def draw(sheet, row, height, cut):
        sheet.put(row, 0, 0, L.KPI_GRADE_LABEL, "kpi_rate_label")
        for col, year in enumerate(years, start=1):
            if kpi.grades.get(year):
                sheet.put(row, col, col, kpi.grades[year], "kpi_grade")
            else:
                sheet.blank(row, col, col, "kpi_rate_blank")
    return Row(S.BAND_ROW_HEIGHT, draw, keep=True)


def _kpi_value_rows(sheet: SheetCursor, kpi, years, graded: bool = False) -> list[Row]:
    """The value row, the ＜進捗率＞ row and (with a 評価 scale) the ＜評価＞ row of one KPI
    (kept together)."""
    places = decimals(v for v, _ in kpi.values.values() if not isinstance(v, str))
    number_format = unit_format(kpi.unit, places)
    label = _kpi_label(kpi, places)
    texts = [(v, c, c, "kpi_fixed_text") for c, y in enumerate(years, start=1)
             for v in [kpi.values.get(y, (None, ""))[0]] if isinstance(v, str)]

    def values(sheet, row, height, cut):
        sheet.put(row, 0, 0, label, "kpi_label")
        for col, year in enumerate(years, start=1):
            if year not in kpi.values:
                sheet.blank(row, col, col, "kpi_value")
                continue
            value, kind = kpi.values[year]
            if isinstance(value, str):  # a target that is not a number, as written
                sheet.put(row, col, col, value, "kpi_fixed_text")
                continue
            style = "kpi_value" if kind == ACTUAL else "kpi_fixed"
            # numbers never wrap: the style shrinks them to fit instead of showing ####
            sheet.ws.write_number(row, col, value, sheet.fmt(style, num_format=number_format))

    def rates(sheet, row, height, cut):
        sheet.put(row, 0, 0, L.KPI_RATE_LABEL, "kpi_rate_label")
        _rate_cells(sheet, row, kpi, years)

    rows = [Row(sheet.height([(label, 0, 0, "kpi_label"), *texts], S.BAND_ROW_HEIGHT), values, keep=True),
            Row(S.BAND_ROW_HEIGHT, rates, keep=True)]
    return rows + ([_grade_row(kpi, years)] if graded else [])


def _kpi_table(sheet: SheetCursor, page, capacity: float = float("inf")) -> list[Row]:
    """【ＫＰＩの状況】: heading, header row, per KPI a value, a ＜進捗率＞ and (with a scale) a
    ＜評価＞ row, the note; kept together on one page.  Taller than a page (`capacity`), it
    is split between KPIs, never inside one, the header repeated."""
    labels = _year_labels(page)
    head_cells = [(L.KPI_CORNER, 0, 0, "kpi_head"), *((t, c, c, "kpi_head") for c, t in enumerate(labels, 1))]

    def header(sheet, row, height, cut):
        for text, first, last, style in head_cells:
            sheet.put(row, first, last, text, style)
    head_height = sheet.height(head_cells, S.BAND_ROW_HEIGHT)
    resume = (section_row(continued(L.HEAD_KPI), keep=False), Row(head_height, header))
    rows = [section_row(L.HEAD_KPI), Row(head_height, header, keep=True)]
    per_kpi = [[Row(r.height, r.draw, keep=True, resume=resume)
                for r in _kpi_value_rows(sheet, kpi, page.years, getattr(page, "graded", False))]
               for kpi in page.kpis]
    last = sheet.grid.last
    text = L.KPI_NOTE + (L.KPI_CAPPED_NOTE if getattr(page, "capped", False) else "")
    tall = sum(r.height for r in rows + [r for group in per_kpi for r in group]) > capacity
    for index, group in enumerate(per_kpi):
        if tall and index < len(per_kpi) - 1:  # a page may end after a KPI, not inside one
            group[-1] = Row(group[-1].height, group[-1].draw, keep=False, resume=resume)
        rows += group

    def note(sheet, row, height, cut):
        sheet.put(row, 0, last, text, "note")
    return [*rows, Row(sheet.height([(text, 0, last, "note")]), note)]


def _no_kpi(sheet: SheetCursor) -> list[Row]:
    last = sheet.grid.last

    def draw(sheet, row, height, cut):
        sheet.put(row, 0, last, L.NO_KPI, "note", **box_edges(0, 1))
    return [section_row(L.HEAD_KPI), Row(S.BAND_ROW_HEIGHT, draw)]


def _title_rows(sheet: SheetCursor, page, fy: int, title: str) -> float:
    """The two rows repeated at the top of every printed page; returns their height."""
    grid, ws, last = sheet.grid, sheet.ws, sheet.grid.last
    sheet.put(0, 0, grid.split - 1, title, "title")
    sheet.put(0, grid.split, last, long_title(fy), "title_fy")
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    sheet.put(1, 0, 0, page.region_name, "region")
    sheet.put(1, 1, last, page.project, "project")
    project = sheet.height([(page.region_name, 0, 0, "region"), (page.project, 1, last, "project")],
                           S.PROJECT_ROW_MIN_HEIGHT)
    ws.set_row(1, project)
    sheet.row = 2
    return S.TITLE_ROW_HEIGHT + project


def _body(sheet: SheetCursor, page, fy: int) -> list[Row]:
    """Every row below the title rows, in order."""
    grid, last = sheet.grid, sheet.grid.last
    purpose = paragraph_rows(page.purpose or L.NO_ENTRY, grid.width(0, last), *style_metrics("purpose"))
    rows = [spacer_row(), *_boxed_section(sheet, L.HEAD_PURPOSE, purpose, "purpose"),
            *_boxed_section(sheet, L.HEAD_MEASURES, list(page.measure_lines) or [L.NO_ENTRY], "measure")]
    left, right = (0, grid.split - 1), (grid.split, last)
    rows += _banded_list(sheet, [(*left, L.HEAD_RESULTS), (*right, L.HEAD_ISSUES)], "band",
                         [page.lists[RESULTS], page.lists[ISSUES]])
    for section, head, year in ((THIS_YEAR, L.HEAD_THIS_YEAR, fy), (NEXT_YEAR, L.HEAD_NEXT_YEAR, fy + 1)):
        rows += _banded_list(sheet, [(0, last, head.format(title=long_title(year)))], "band_left",
                             [page.lists[section]])
    return rows


def write_project_sheet(ws, fmt, page, fy: int, workbook=None, *, title: str = L.TITLE,
                        footer: str = L.TITLE) -> dict[str, str]:
    """One project sheet; returns {kpi_id: range of its 実績値 cells} for the 一覧 sparklines.

    With `workbook` (to add charts to) the KPI table is followed by 【ＫＰＩの推移】.
    `title` heads every page (別紙２　プロジェクト推進管理表), `footer` starts the footer.
    """
    grid = project_grid(len(page.years) if page.years else S.DEFAULT_YEAR_COLUMNS)
    sheet = SheetCursor(ws, fmt, grid)
    for col, width in enumerate(grid.widths):
        ws.set_column(col, col, width)
    repeated = _title_rows(sheet, page, fy, title)
    rows = _body(sheet, page, fy)
    charts = None
    scale = print_scale(grid.widths)
    if page.kpis and page.years:
        rows += _kpi_table(sheet, page, page_capacity(scale, repeated))
        if workbook is not None:
            charts = ChartBlock(sheet, workbook, page)
            rows += charts.rows()
    else:
        rows += _no_kpi(sheet)
    write_flow(sheet, rows, page_capacity(scale, repeated))
    page_setup(ws, last_row=sheet.row - 1, last_col=grid.last, repeat=(0, 1), scale=scale,
               left=f"{footer}　{long_title(fy)}", right=f"{page.region_name}　{page.project}")
    ws.hide_gridlines(2)
    return charts.finish() if charts is not None else {}
