"""The cell, format and page layer shared by the yearly workbook and the 差分 workbook.

Rules kept here for every sheet:
- input text is only ever written with `write_string`; text that Excel would take for
  a formula (= + - @) also gets a quote prefix (`Formats.text`), and workbooks are opened
  with strings_to_formulas / strings_to_urls / strings_to_numbers off;
- formats are created once each, in call order, so the same content gives the same bytes;
- number formats never wrap: `unit_format` keeps a cell a number and shows its unit.
"""
from __future__ import annotations

import copy
import datetime
import io
import pathlib
import re
import zipfile
from typing import Iterable

from xlsxwriter.utility import xl_rowcol_to_cell

from .. import styles as S
from .layout import Grid, row_height
from .zip_entry import replaced_entry

FORMULA_TRIGGERS = ("=", "+", "-", "@")
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,  # zip entries get xlsxwriter's fixed timestamp; no temp files
    "default_format_properties": dict(S.BASE_FONT),
}
# Large books (a run over several 連携地域) are streamed: xlsxwriter writes each row out as
# soon as the next one starts (constant memory), so every sheet is written strictly row by
# row, strings are stored inline, and a data sheet gets an autofilter instead of an Excel
# table (tables need the whole sheet in memory).  Temporary files get xlsxwriter's fixed
# zip timestamp too, so the bytes stay reproducible.
STREAMING_OPTIONS = {**WORKBOOK_OPTIONS, "in_memory": False, "constant_memory": True}
SHEET_NAME_MAX = 31
_FORBIDDEN_IN_SHEET_NAME = set("[]:*?/\\")
_RESERVED_SHEET_NAMES = {"history"}  # Excel reserves it


def workbook_options(streaming: bool = False) -> dict:
    """xlsxwriter options of a book: in memory (the default), or streamed row by row.

    A fresh copy every time, nested dicts included: xlsxwriter writes into the
    `default_format_properties` it is given (it adds theme_font_name), so a shared dict
    would make a book's bytes depend on the books written before it in the process.
    """
    return copy.deepcopy(STREAMING_OPTIONS if streaming else WORKBOOK_OPTIONS)


def open_workbook(path, streaming: bool = False):
    """An xlsxwriter Workbook with workbook_options(streaming), written to a path or a binary file object."""
    import xlsxwriter

    return xlsxwriter.Workbook(path if hasattr(path, "write") else str(path), workbook_options(streaming))


def streamed(ws) -> bool:
    """True when `ws` belongs to a streamed book (rows must be written in order)."""
    return bool(getattr(ws, "constant_memory", False))


def sheet_done(ws) -> None:
    """A sheet has all its cells: drop xlsxwriter's index of merged cells.  merge_range keeps one
    entry per merged *cell* (to refuse overlapping merges, `merged_cells`, xlsxwriter 3.3.1) for as
    long as the workbook is open: ~13 MB for a region's project sheets of all of Hokkaido.  The
    ranges themselves (`merge`, written at close) stay; only the check of later merges goes."""
    index = getattr(ws, "merged_cells", None)
    if isinstance(index, dict):
        index.clear()


def needs_quote(text: str) -> bool:
    """True for text that Excel would take for a formula when typed."""
    return text.startswith(FORMULA_TRIGGERS)


class Formats:
    """Formats by style name (styles.FORMATS, or styles.DIFF_FORMATS), an optional diff
    fill and structural overrides; each created once, in call order."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._cache: dict[tuple, object] = {}

    def __call__(self, style: str, fill: str | None = None, **extra):
        key = (style, fill, tuple(sorted(extra.items())))
        fmt = self._cache.get(key)
        if fmt is None:
            props = {**S.BASE_FONT, **(S.FORMATS[style] if style in S.FORMATS else S.DIFF_FORMATS[style])}
            if fill:
                props.update(S.DIFF_FORMATS[fill])
            props.update(extra)
            fmt = self._cache[key] = self._workbook.add_format(props)
        return fmt

    def text(self, style: str, text: str, fill: str | None = None, **extra):
        """The format for writing `text`: quote-prefixed when it looks like a formula."""
        if needs_quote(text):
            extra["quote_prefix"] = True
        return self(style, fill, **extra)

    def dxf(self, name: str, props: dict):
        """A conditional format (only font, fill and border apply), cached by name."""
        key = ("__dxf__", name, ())
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._cache[key] = self._workbook.add_format(dict(props))
        return fmt


def style_metrics(style: str) -> tuple[float, int]:
    """(font size, indent) of a named style: what row heights depend on."""
    props = S.FORMATS[style]
    return float(props.get("font_size", S.FONT_SIZE)), int(props.get("indent", 0))


def box_edges(index: int, count: int, *, top_open: bool = False) -> dict:
    """Borders of row `index` of a `count`-row box: sides always, top/bottom at the ends."""
    edges = {"left": 1, "right": 1, "border_color": S.RULE}
    if index == 0 and not top_open:
        edges["top"] = 1
    if index == count - 1:
        edges["bottom"] = 1
    return edges


class SheetCursor:
    """Row cursor over one worksheet with the helpers every block uses."""

    def __init__(self, ws, fmt: Formats, grid: Grid):
        self.ws = ws
        self.fmt = fmt
        self.grid = grid
        self.row = 0

    def put(self, row: int, first: int, last: int, text: str, style: str, **extra) -> None:
        text = str(text)
        cell_format = self.fmt.text(style, text, **extra)
        if last > first:
            self.ws.merge_range(row, first, row, last, "", cell_format)
        self.ws.write_string(row, first, text, cell_format)

    def blank(self, row: int, first: int, last: int, style: str, **extra) -> None:
        cell_format = self.fmt(style, **extra)
        if last > first:
            self.ws.merge_range(row, first, row, last, "", cell_format)
        else:
            self.ws.write_blank(row, first, None, cell_format)

    def height(self, cells: Iterable[tuple[str, int, int, str]], minimum: float = 0.0) -> float:
        """Row height for (text, first col, last col, style) cells."""
        entries = []
        for text, first, last, style in cells:
            size, indent = style_metrics(style)
            entries.append((text, self.grid.width(first, last), size, indent))
        return max(row_height(entries), minimum)

    def spacer(self) -> None:
        self.ws.set_row(self.row, S.SPACER_HEIGHT)
        self.row += 1

    def section(self, text: str) -> None:
        self.put(self.row, 0, self.grid.last, text, "section")
        self.ws.set_row(self.row, S.SECTION_ROW_HEIGHT)
        self.row += 1


def hit_format(sheet: SheetCursor, first_row: int, first_col: int, last_row: int, last_col: int,
               texts: bool) -> None:
    """進捗率 ≥ 100 % in green (styles.PROGRESS_HIT) as a conditional format.  Where the range
    holds texts (100%超, 0%未満) the rule tests ISNUMBER first: Excel counts any text as
    greater than every number, so a plain `>= 1` would colour 0%未満 too."""
    if last_row < first_row or last_col < first_col:
        return
    if texts:
        cell = xl_rowcol_to_cell(first_row, first_col)
        rule = {"type": "formula", "criteria": f"=AND(ISNUMBER({cell}),{cell}>=1)"}
    else:
        rule = {"type": "cell", "criteria": ">=", "value": 1}
    sheet.ws.conditional_format(first_row, first_col, last_row, last_col,
                                {**rule, "format": sheet.fmt.dxf("progress_hit", S.PROGRESS_HIT)})


def decimals(values: Iterable[float]) -> int:
    """Fewest decimals (0–3) that show every value exactly."""
    best = 0
    for value in values:
        for d in range(0, 4):
            if abs(round(value, d) - value) < 1e-9:
                best = max(best, d)
                break
        else:
            best = 3
    return best


def unit_format(unit: str, decimals: int) -> str:
    """`#,##0"人"`: the cell stays a number and shows its unit."""
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if not unit:
        return number
    return number + '"' + unit.replace('"', '"\\""') + '"'


def value_format(style: str, value: object) -> dict:
    """The number format of one value in a style of styles.NUMBER_PATTERNS: as many
    decimals as the value has (#,##0 for 5949, #,##0.0 for 6916.3), never a lone decimal
    point; {} for any other style or a value that is not a number."""
    pattern = S.NUMBER_PATTERNS.get(style)
    if pattern is None or isinstance(value, (str, bool)) or value is None or value != value:
        return {}
    return {"num_format": pattern.format(n=unit_format("", decimals([float(value)])))}


def sanitize_sheet_name(raw: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique (case-insensitive) Excel sheet name derived from `raw`.

    Forbidden characters `[]:*?/\\` and control characters become "_", leading and
    trailing apostrophes are dropped, the name is cut to 31 UTF-16 units, and a
    duplicate gets "(2)", "(3)", … (cut further so the suffix fits).
    """
    text = "".join("_" if ch in _FORBIDDEN_IN_SHEET_NAME or ord(ch) < 32 else ch for ch in str(raw))
    text = text.strip().strip("'").strip() or "Sheet"
    if text.lower() in _RESERVED_SHEET_NAMES:
        text += "_"
    used = {name.lower() for name in taken}
    candidate = _cut_utf16(text, SHEET_NAME_MAX)
    number = 1
    while candidate.lower() in used:
        number += 1
        suffix = f"({number})"
        candidate = _cut_utf16(text, SHEET_NAME_MAX - len(suffix)).rstrip("'") + suffix
    return candidate


def _cut_utf16(text: str, limit: int) -> str:
    out, size = "", 0
    for ch in text:
        step = 2 if ord(ch) > 0xFFFF else 1
        if size + step > limit:
            break
        out += ch
        size += step
    return out.rstrip("'") or "_"


def sheet_ref(name: str) -> str:
    """A sheet name as written in a reference: always quoted, inner apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")


def page_setup(ws, *, last_row: int, last_col: int, repeat: tuple[int, int] | None,
               left: str, right: str, scale: int | None = None) -> None:
    """A4 landscape, centred; title rows `repeat`ed; footer: `left`, page / pages, `right`
    (dropped when over Excel's 255 characters).  Printed at `scale` % (a sheet the writer
    paginates: Excel ignores manual page breaks under fit-to-page), else one page wide."""
    ws.set_landscape()
    ws.set_paper(S.PAPER_A4)
    if scale is None:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(scale)
    ws.set_margins(**S.MARGINS)
    ws.center_horizontally()
    ws.print_area(0, 0, max(last_row, 0), last_col)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    footer = S.FOOTER.format(left=_footer_text(left), right=_footer_text(right))
    if len(footer) > 255:  # Excel's limit for a footer
        footer = S.FOOTER.format(left="", right="")
    ws.set_footer(footer, {"margin": S.FOOTER_MARGIN})


# xlsxwriter always writes a creation time (now, unless given): without one, this is
# written and then taken out again (drop_creation_time), so rebuilding gives the same bytes.
_PLACEHOLDER_CREATED = datetime.datetime(2000, 1, 1)
_CORE = "docProps/core.xml"
_CORE_DATES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def created_property(created: datetime.datetime | None) -> datetime.datetime:
    """The `created` document property to hand xlsxwriter (see drop_creation_time)."""
    return _PLACEHOLDER_CREATED if created is None else utc_naive(created)


def without_creation_time(xlsx: bytes) -> bytes:
    """An xlsx's bytes without the creation and modification times of its document
    properties; every other entry keeps its bytes and zip metadata (copied as they are:
    zip_entry.replaced_entry; rewritten when the zip is not laid out as expected)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        core = _CORE_DATES.sub(b"", book.read(_CORE))
    spliced = replaced_entry(xlsx, _CORE, core)
    return spliced if spliced is not None else _rewritten_without_creation_time(xlsx)


def _rewritten_without_creation_time(xlsx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        entries = [(info, book.read(info)) for info in book.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for info, data in entries:
            book.writestr(info, _CORE_DATES.sub(b"", data) if info.filename == _CORE else data)
    return out.getvalue()


def drop_creation_time(path) -> None:
    """Rewrite the xlsx at `path` without_creation_time."""
    pathlib.Path(path).write_bytes(without_creation_time(pathlib.Path(path).read_bytes()))


def close_book(workbook, path, created: datetime.datetime | None) -> None:
    """Close a workbook written to `path`; without a creation time, take out the placeholder."""
    workbook.close()
    if created is None:
        drop_creation_time(path)


def utc_naive(created: datetime.datetime) -> datetime.datetime:
    """A creation time as xlsxwriter wants it: naive, in UTC."""
    if created.tzinfo is not None:
        created = created.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return created
