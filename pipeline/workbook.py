"""Render: the 推進管理表 workbook (プロジェクト推進管理表) that officials open and print.

First 一覧 (every KPI with its 見込み, a sparkline and a link to its project sheet), then
one sheet per project laid out like the seed table (two-page A4 landscape PDF) followed by
a line chart per KPI, then the tidy data as Excel tables (取組データ, KPIデータ) and the
provenance (出典).

Rules kept here:
- input text is only ever written with `write_string` (the one exception: the project
  name on 一覧 is the text of an internal link, `write_url`); text that Excel would take
  for a formula (= + - @) also gets a quote prefix, and the workbook is opened with
  strings_to_formulas / strings_to_urls / strings_to_numbers off;
- charts and sparklines only plot cells that are on the printed sheet (「グラフの数値」);
- every text row gets an explicit height computed from the text and the column width
  (LibreOffice does not grow rows for wrapped text); see `row_height`;
- the output is byte-identical for the same inputs: fixed creation time, fixed zip
  timestamps (in-memory packaging), formats created in a fixed order;
- the frames are read, never modified.

The look (fonts, fills, widths, page set-up) is data in pipeline/styles.py.
"""
from __future__ import annotations

import copy
import datetime
import functools
import math
import pathlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from . import styles as S
from .eras import long_title, short_label
from .model import Tables
from .normalize import is_missing
from .status import STATUS_COLUMNS, kpi_status, line_value

# --- sheet names ----------------------------------------------------------------------

SHEET_INITIATIVES = S.SHEET_INITIATIVES
SHEET_KPI = S.SHEET_KPI
SHEET_PROJECTS = S.SHEET_PROJECTS
SHEET_MEASURES = S.SHEET_MEASURES
SHEET_KPI_MASTER = S.SHEET_KPI_MASTER
SHEET_SOURCES = S.SHEET_SOURCES
SHEET_OVERVIEW = "一覧"  # the first sheet: every KPI, its 見込み, a link to its project sheet
FIXED_SHEETS = (SHEET_OVERVIEW, SHEET_INITIATIVES, SHEET_KPI, SHEET_PROJECTS, SHEET_MEASURES,
                SHEET_KPI_MASTER, SHEET_SOURCES)

SHEET_NAME_MAX = 31
_FORBIDDEN_IN_SHEET_NAME = set("[]:*?/\\")
_RESERVED_SHEET_NAMES = {"history"}  # Excel reserves it

# --- texts a user reads ---------------------------------------------------------------

TITLE = "プロジェクト推進管理表"
HEAD_PURPOSE = "【概要・目的】"
HEAD_MEASURES = "【施策展開】"
HEAD_RESULTS = "これまでの主な取組実績"
HEAD_ISSUES = "今後の取組を進める上での主な課題"
HEAD_THIS_YEAR = "今年度の主な取組（{title}）"
HEAD_NEXT_YEAR = "次年度の取組（{title}）"
HEAD_KPI = "【ＫＰＩの状況】"
KPI_CORNER = "指標"
KPI_RATE_LABEL = "＜進捗率＞"
KPI_BASE_SUFFIX = "（基準）"
KPI_TARGET_SUFFIX = "（目標）"
KPI_UNIT_LINE = "（単位：{unit}）"
KPI_TARGET_LINE = "目標値：{value}（{year}）"
KPI_NOTE = "※網掛けは基準値・目標値。進捗率は0.1％単位に四捨五入して表示し、100％以上を緑色で示す。"
HEAD_CHARTS = "【ＫＰＩの推移】"
CHART_GROUP = "グラフの数値：{indicator}（単位：{unit}）"
SERIES_ACTUAL = "実績値"
SERIES_TARGET = "目標値"
SERIES_LINE = "基準値→目標値（直線）"
CHART_X_TITLE = "年度"
CHART_Y_TITLE = "単位：{unit}"
CHART_NOTE = ("※グラフは「グラフの数値」から描いている。「基準値→目標値（直線）」は基準年度の基準値と目標年度の"
              "目標値を結ぶ直線上の各年度の値で、一覧シートの見込み（最新実績と比べる）に使う。")
NO_ENTRY = "（記載なし）"
NO_KPI = "（ＫＰＩの設定なし）"
MEASURE_MARK = "■"
ISSUE_MARK = "○"
ITEM_MARK = "・"
RELISTED_TAG = "【再掲】"
SUBITEM_MARKS = ("-", "－", "‐", "−", "―", "ｰ")

OVERVIEW_TITLE = "ＫＰＩ一覧（見込み）"
OVERVIEW_LEGEND = "見込みの判定（上から順に当てはめる）"
OVERVIEW_NOTE = ("※進捗率は最新実績の進捗率（0.1％単位に四捨五入して表示し、100％以上を緑色で示す）。"
                 "直線上の値と最新実績の数値・グラフは各プロジェクトシートの【ＫＰＩの推移】にある。"
                 "「実績の推移」は各年度の実績値の棒（赤は最新の年度）。プロジェクト名を選ぶとそのシートを開く。")
OVERVIEW_LINK_TIP = "「{name}」シートを開く"

SOURCES_TITLE = "出典・作成情報"
SOURCES_FY = S.SOURCES_FY
SOURCES_CREATED = "作成日時"
SOURCES_PIPELINE = "パイプラインのバージョン"
SOURCES_LIBRARY = "{name} のバージョン"
SOURCES_FILES = "入力ファイル"
SOURCES_FILES_NOTE = "ファイルのパスは入力フォルダ（inputs/{fy}）からの相対パス。"
SOURCES_WARNINGS = "警告"

TABLE_NAMES = {SHEET_INITIATIVES: "取組データ表", SHEET_KPI: "KPIデータ表",
               SHEET_PROJECTS: "プロジェクト表", SHEET_MEASURES: "施策表", SHEET_KPI_MASTER: "KPI定義表",
               SHEET_SOURCES: "入力ファイル表"}

FORMULA_TRIGGERS = ("=", "+", "-", "@")
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,  # zip entries get xlsxwriter's fixed timestamp; no temp files
    "default_format_properties": dict(S.BASE_FONT),
}


# =====================================================================================
# Pure helpers (tested directly)
# =====================================================================================

@functools.lru_cache(maxsize=None)
def char_units(ch: str) -> int:
    """Width of one character in column units at the body font size: CJK 2, ASCII 1."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("F", "W", "A") else 1


def text_units(text: str) -> int:
    """Width of a one-line text in column units."""
    if text.isascii():
        return len(text)
    return sum(map(char_units, text))


# Kinsoku: characters that may not start a line (they pull the previous character down).
_NO_LINE_START = set("、。，．,.）)」』】〕〉》］｝!?！？ー々ゝゞァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎ・：；:;%％")


def _tokens(line: str) -> list[tuple[str, int]]:
    """Break opportunities: a run of ASCII letters/digits is one token, anything else one char."""
    tokens: list[tuple[str, int]] = []
    word = ""
    for ch in line:
        if ch.isascii() and not ch.isspace() and ch.isalnum():
            word += ch
            continue
        if word:
            tokens.append((word, len(word)))
            word = ""
        tokens.append((ch, char_units(ch)))
    if word:
        tokens.append((word, len(word)))
    return tokens


def _wrapped_lines(line: str, usable: float) -> int:
    """Lines one hard line takes when wrapped greedily into `usable` units."""
    if text_units(line) <= usable:  # the common case: it fits
        return 1
    lines, used = 1, 0.0
    previous = 0.0
    for token, width in _tokens(line):
        if used + width <= usable or used == 0:
            if width > usable and used == 0:  # a word longer than the line is split
                extra = math.ceil(width / usable) - 1
                lines += extra
                used = width - extra * usable
            else:
                used += width
            previous = width
            continue
        if token.isspace():  # a blank at the break disappears
            continue
        lines += 1
        if token[0] in _NO_LINE_START and previous < usable:
            used = previous + width  # oidashi: the previous character moves down too
        else:
            used = width
        previous = width
    return lines


@functools.lru_cache(maxsize=4096)
def text_lines(text: str, width: float, *, font_size: float = S.FONT_SIZE, indent: int = 0) -> int:
    """Lines `text` takes in a wrapped cell `width` units wide (hard line breaks kept)."""
    scale = font_size / S.FONT_SIZE
    usable = (width - S.CELL_PAD_UNITS - indent * S.INDENT_UNITS) * S.WRAP_SAFETY / scale
    usable = max(usable, 2.0)
    return sum(_wrapped_lines(line, usable) for line in str(text).split("\n"))


def row_height(texts_and_widths: Iterable[Sequence]) -> float:
    """Height in points a row needs so that none of its wrapped cells is cut off.

    Each entry is (text, width) or (text, width, font_size) or (text, width, font_size,
    indent), width in column units (for a merged cell, the sum of its columns).
    CJK characters count twice as wide as ASCII.  Capped at Excel's 409 pt.
    """
    height = 0.0
    for entry in texts_and_widths:
        text, width = entry[0], float(entry[1])
        font_size = float(entry[2]) if len(entry) > 2 else S.FONT_SIZE
        indent = int(entry[3]) if len(entry) > 3 else 0
        lines = text_lines(str(text), width, font_size=font_size, indent=indent)
        height = max(height, lines * font_size * S.LINE_PITCH + S.CELL_PAD)
    if height == 0.0:
        height = S.FONT_SIZE * S.LINE_PITCH + S.CELL_PAD
    return min(math.ceil(height * 4) / 4, S.MAX_ROW_HEIGHT)


def item_text(text: str, area: str = "", actors: str = "", relisted: bool = False) -> str:
    """`・内容（地域）（実施主体）【再掲】`, blank parts left out, inner line breaks kept.

    When 内容 ends with sub-item lines (starting with "-"), the tags go after the line
    that introduces them, as in the seed:
    `・…次の事業を実施（市町村）` / `-ユジノサハリンスク道北物産展` / ...
    """
    tags = "".join(f"（{part.strip()}）" for part in (area, actors) if part and part.strip())
    if relisted:
        tags += RELISTED_TAG
    lines = str(text).split("\n")
    head_end = len(lines)
    while head_end > 1 and lines[head_end - 1].lstrip().startswith(SUBITEM_MARKS):
        head_end -= 1
    target = head_end - 1  # the last line that is not a trailing sub-item
    lines[target] = lines[target].rstrip() + tags
    body = "\n".join(lines)
    return body if body.startswith(ITEM_MARK) else ITEM_MARK + body


def round_progress(value: float) -> float:
    """Progress rounded half-up to 0.1 % (0.001), the one rule for every 進捗率 cell."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


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


def project_sheet_names(project_ids: Sequence[str]) -> list[str]:
    """Sheet names for the projects, in order: the project ID, made valid and unique.

    The ID is the one key that stays the same from year to year, so the names do too.
    """
    taken: list[str] = list(FIXED_SHEETS)
    names = []
    for project_id in project_ids:
        name = sanitize_sheet_name(project_id, taken)
        taken.append(name)
        names.append(name)
    return names


@dataclass(frozen=True)
class Grid:
    """Column widths of a project sheet; column A doubles as the KPI label column.

    `split` columns form the left half (実績), the rest the right half (課題); the
    year columns of the KPI table are columns 1 … n.
    """

    widths: tuple[float, ...]
    split: int

    @property
    def last(self) -> int:
        return len(self.widths) - 1

    def width(self, first: int, last: int) -> float:
        return sum(self.widths[first:last + 1])


def project_grid(year_columns: int) -> Grid:
    """Widths for a KPI label column plus `year_columns` equal year columns.

    The widths add up to SHEET_WIDTH and a column boundary falls exactly in the middle,
    so 実績 and 課題 get equal halves; among the possible splits the one whose label
    column is closest to KPI_LABEL_WIDTH wins.
    """
    n = max(int(year_columns), 1)
    half = S.SHEET_WIDTH / 2
    best: tuple[float, int, float, float] | None = None
    for m in range(0, n):  # m year columns in the left half
        year = half / (n - m)
        label = half - m * year
        if year < S.KPI_YEAR_MIN_WIDTH or label < 20:
            continue
        score = abs(label - S.KPI_LABEL_WIDTH)
        if best is None or score < best[0]:
            best = (score, m, label, year)
    if best is None:  # too many years for an exact half: keep the minimum width, split near half
        label = S.KPI_LABEL_WIDTH
        year = max(S.KPI_YEAR_MIN_WIDTH, (S.SHEET_WIDTH - label) / n)
        widths = (label,) + (year,) * n
        total, split, acc = sum(widths), 1, label
        while split < n and acc + year <= total / 2 + year / 2:
            acc += year
            split += 1
        return Grid(tuple(round(w, 2) for w in widths), split)
    _, m, label, year = best
    return Grid((round(label, 2),) + (round(year, 2),) * n, 1 + m)


# =====================================================================================
# Formats
# =====================================================================================

class _Formats:
    """Formats by style name plus structural overrides, created once each, in call order."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self._workbook = workbook
        self._cache: dict[tuple, object] = {}

    def __call__(self, style: str, **extra):
        key = (style, tuple(sorted(extra.items())))
        fmt = self._cache.get(key)
        if fmt is None:
            props = {**S.BASE_FONT, **S.FORMATS[style], **extra}
            fmt = self._workbook.add_format(props)
            self._cache[key] = fmt
        return fmt

    def progress_hit(self):
        """The conditional (dxf) format for 進捗率 ≥ 100 %."""
        key = ("__progress_hit__", ())
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._workbook.add_format(dict(S.PROGRESS_HIT))
            self._cache[key] = fmt
        return fmt

    def status(self, status: S.Status):
        """The conditional (dxf) format of one 見込み (its font and fill colour)."""
        key = ("__status__", (status.key,))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._workbook.add_format({"bold": True, "font_color": status.font_color,
                                             "bg_color": status.bg_color})
            self._cache[key] = fmt
        return fmt


def _style_metrics(style: str) -> tuple[float, int]:
    props = S.FORMATS[style]
    return float(props.get("font_size", S.FONT_SIZE)), int(props.get("indent", 0))


def needs_quote(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def _records(frame, columns: Sequence[str]) -> list[dict]:
    """Rows of `frame` as dicts of the given columns (missing columns read as None)."""
    if frame is None or len(frame) == 0:
        return []
    present = [c for c in columns if c in frame.columns]
    data = {c: frame[c].tolist() for c in present}
    out = []
    for i in range(len(frame)):
        out.append({c: (data[c][i] if c in data else None) for c in columns})
    return out


# =====================================================================================
# Project sheet
# =====================================================================================

@dataclass(frozen=True)
class _Entry:
    """One line of a list block: a heading (■/○) or an item."""

    text: str
    style: str  # "measure" | "issue" | "item" | "note"


class _Sheet:
    """Row cursor over one worksheet with the helpers every block uses."""

    def __init__(self, ws, fmt: _Formats, grid: Grid):
        self.ws = ws
        self.fmt = fmt
        self.grid = grid
        self.row = 0

    def put(self, row: int, first: int, last: int, text: str, style: str, **extra) -> None:
        text = str(text)
        if needs_quote(text):
            extra["quote_prefix"] = True
        cell_format = self.fmt(style, **extra)
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
            size, indent = _style_metrics(style)
            entries.append((text, self.grid.width(first, last), size, indent))
        return max(row_height(entries), minimum)

    def spacer(self) -> None:
        self.ws.set_row(self.row, S.SPACER_HEIGHT)
        self.row += 1

    def section(self, text: str) -> None:
        self.put(self.row, 0, self.grid.last, text, "section")
        self.ws.set_row(self.row, S.SECTION_ROW_HEIGHT)
        self.row += 1


def _box_edges(index: int, count: int, *, top_open: bool = False) -> dict:
    """Borders of row `index` of a `count`-row box: sides always, top/bottom at the ends."""
    edges = {"left": 1, "right": 1, "border_color": S.RULE}
    if index == 0 and not top_open:
        edges["top"] = 1
    if index == count - 1:
        edges["bottom"] = 1
    return edges


def _grouped_entries(items: list[dict], measure_order: list[str], *, issues: bool) -> list[_Entry]:
    """Headings and items of one 区分 in display order.

    実績/今年度/次年度: ■ measures in the measures' order (only those with items here;
    headings not in the measure list follow in first-appearance order).
    課題: ○ headings in first-appearance order; a blank heading gives items without a ○ line.
    """
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(_text(item["heading"]).strip(), []).append(item)
    if issues:
        order = list(groups)
    else:
        known = [m for m in measure_order if m in groups]
        order = known + [h for h in groups if h not in known]
    entries: list[_Entry] = []
    for heading in order:
        if heading:
            mark = ISSUE_MARK if issues else MEASURE_MARK
            entries.append(_Entry(mark + heading, "issue" if issues else "measure"))
        for item in groups[heading]:
            entries.append(_Entry(
                item_text(_text(item["text"]), _text(item["area"]), _text(item["actors"]),
                          bool(item["relisted"]) if not is_missing(item["relisted"]) else False),
                "item"))
    return entries


def _write_list_block(sheet: _Sheet, columns: list[tuple[int, int, list[_Entry]]]) -> None:
    """Lists side by side (one per column span), each in its own box, rows paired up."""
    columns = [(first, last, entries or [_Entry(NO_ENTRY, "note")]) for first, last, entries in columns]
    count = max(len(entries) for _, _, entries in columns)
    for index in range(count):
        cells = []
        for first, last, entries in columns:
            edges = _box_edges(index, count, top_open=True)
            if index < len(entries):
                entry = entries[index]
                style = entry.style
                extra = dict(edges)
                if style in ("measure", "issue") and index > 0:
                    extra["valign"] = "bottom"  # a heading hugs the items below it
                sheet.put(sheet.row, first, last, entry.text, style, **extra)
                cells.append((entry.text, first, last, style))
            else:
                sheet.blank(sheet.row, first, last, "blank", **edges)
        height = sheet.height(cells)
        if any(c[3] in ("measure", "issue") for c in cells) and index > 0:
            height += S.FONT_SIZE * 0.5  # a little air above a new group
        sheet.ws.set_row(sheet.row, min(height, S.MAX_ROW_HEIGHT))
        sheet.row += 1


def _write_band(sheet: _Sheet, spans: list[tuple[int, int, str]], style: str = "band") -> None:
    for first, last, text in spans:
        sheet.put(sheet.row, first, last, text, style)
    sheet.ws.set_row(sheet.row, sheet.height([(t, f, l, style) for f, l, t in spans], S.BAND_ROW_HEIGHT))
    sheet.row += 1


def _paragraph_rows(text: str, width: float, style: str) -> list[str]:
    """Split a long text into rows at line breaks so no row exceeds Excel's height limit."""
    size, indent = _style_metrics(style)
    if row_height([(text, width, size, indent)]) < S.MAX_ROW_HEIGHT:
        return [text]
    rows: list[str] = []
    for line in text.split("\n"):
        if rows and row_height([(rows[-1] + "\n" + line, width, size, indent)]) < S.MAX_ROW_HEIGHT:
            rows[-1] += "\n" + line
        else:
            rows.append(line)
    return rows


@dataclass(frozen=True)
class _Kpi:
    kpi_id: str
    indicator: str
    unit: str
    base_year: int | None
    target_year: int | None


def _kpi_block(sheet: _Sheet, kpis: list[_Kpi], rows: list[dict], years: list[int]) -> None:
    """【ＫＰＩの状況】: header row, then per KPI a value row and a ＜進捗率＞ row."""
    ws, grid = sheet.ws, sheet.grid
    n = len(years)
    # Header row: 指標 | H26（基準） | … | R2（目標）
    labels = []
    for year in years:
        label = short_label(year)
        if kpis and all(k.base_year == year for k in kpis):
            label += KPI_BASE_SUFFIX
        if kpis and all(k.target_year == year for k in kpis):
            label += KPI_TARGET_SUFFIX
        labels.append(label)
    head_cells = [(KPI_CORNER, 0, 0, "kpi_head")]
    sheet.put(sheet.row, 0, 0, KPI_CORNER, "kpi_head")
    for i, label in enumerate(labels):
        col = 1 + i
        sheet.put(sheet.row, col, col, label, "kpi_head")
        head_cells.append((label, col, col, "kpi_head"))
    ws.set_row(sheet.row, sheet.height(head_cells, S.BAND_ROW_HEIGHT))
    sheet.row += 1

    by_kpi: dict[str, list[dict]] = {}
    for row in rows:
        by_kpi.setdefault(_text(row["kpi_id"]), []).append(row)

    for kpi in kpis:
        values: dict[int, tuple[float, str]] = {}
        progress: dict[int, float] = {}
        target_value = None
        for row in by_kpi.get(kpi.kpi_id, []):
            year, kind, value = row["year"], _text(row["kind"]), row["value"]
            if is_missing(year):
                continue
            year = int(year)
            if kind == "actual" and not is_missing(row["progress"]):
                progress[year] = round_progress(row["progress"])
            if is_missing(value):
                continue
            value = float(value)
            if kind == "target":
                target_value = value
            if kind == "actual" or year not in values:
                values[year] = (value, kind)  # an actual wins over a target in the same year
        decimals = _decimals(v for v, _ in values.values())
        number_format = _unit_format(kpi.unit, decimals)

        label = kpi.indicator + ("\n" + KPI_UNIT_LINE.format(unit=kpi.unit) if kpi.unit else "")
        if (target_value is not None and kpi.target_year is not None
                and values.get(kpi.target_year, (None, ""))[1] == "actual"):
            shown = f"{target_value:,.{decimals}f}{kpi.unit}"
            label += "\n" + KPI_TARGET_LINE.format(value=shown, year=short_label(kpi.target_year))
        sheet.put(sheet.row, 0, 0, label, "kpi_label")
        value_cells = [(label, 0, 0, "kpi_label")]
        for i, year in enumerate(years):
            col = 1 + i
            if year in values:
                value, kind = values[year]
                style = "kpi_value" if kind == "actual" else "kpi_fixed"
                # numbers never wrap: the style shrinks them to fit instead of showing ####
                ws.write_number(sheet.row, col, value, sheet.fmt(style, num_format=number_format))
            else:
                sheet.blank(sheet.row, col, col, "kpi_value")
        ws.set_row(sheet.row, sheet.height(value_cells, S.BAND_ROW_HEIGHT))
        sheet.row += 1

        sheet.put(sheet.row, 0, 0, KPI_RATE_LABEL, "kpi_rate_label")
        for i, year in enumerate(years):
            col = 1 + i
            if year in progress:
                ws.write_number(sheet.row, col, progress[year], sheet.fmt("kpi_rate"))
            else:
                sheet.blank(sheet.row, col, col, "kpi_rate_blank")
        ws.conditional_format(sheet.row, 1, sheet.row, n, {
            "type": "cell", "criteria": ">=", "value": 1,
            "format": sheet.fmt.progress_hit(),
        })
        ws.set_row(sheet.row, S.BAND_ROW_HEIGHT)
        sheet.row += 1

    sheet.put(sheet.row, 0, grid.last, KPI_NOTE, "note")
    ws.set_row(sheet.row, sheet.height([(KPI_NOTE, 0, grid.last, "note")]))
    sheet.row += 1


def _decimals(values: Iterable[float]) -> int:
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


def _unit_format(unit: str, decimals: int) -> str:
    """`#,##0"人"`: the cell stays a number and shows its unit."""
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if not unit:
        return number
    return number + '"' + unit.replace('"', '"\\""') + '"'


def _project_years(kpis: list[_Kpi], rows: list[dict]) -> list[int]:
    """Columns: min 基準年度 … max 目標年度, widened to any year that has a value."""
    years = {k.base_year for k in kpis if k.base_year is not None}
    years |= {k.target_year for k in kpis if k.target_year is not None}
    years |= {int(r["year"]) for r in rows if not is_missing(r["year"]) and not is_missing(r["value"])}
    if not years:
        return []
    return list(range(min(years), max(years) + 1))


# --- 【ＫＰＩの推移】: a line chart per KPI and the numbers it is drawn from -------------

_LOOKS_LIKE_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")  # what xlsxwriter takes for a cell reference


def _sheet_ref(name: str) -> str:
    """A sheet name as written in a reference: always quoted, inner apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _chart_text(text: str) -> str:
    """A chart title as literal text: xlsxwriter would read `売上!A1…` as a cell reference."""
    return text.replace("!", "！") if _LOOKS_LIKE_REFERENCE.match(text) else text


def _col_px(width: float) -> int:
    """Pixels of a column `width` units wide as xlsxwriter anchors objects (7 px a unit + 5)."""
    return int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


def _chart_values(rows: list[dict], years: list[int], status: dict) -> tuple[dict, dict, dict]:
    """(実績値, 目標値, 基準値→目標値の直線) of one KPI by year: the three series of its chart.

    The line runs from 基準年度 to 目標年度 only (status.line_value between them), the
    target is one point at 目標年度; both are empty for a KPI without master data.
    """
    actual: dict[int, float] = {}
    for row in rows:
        if _text(row["kind"]) == "actual" and not is_missing(row["year"]) and not is_missing(row["value"]):
            actual[int(row["year"])] = float(row["value"])
    target: dict[int, float] = {}
    line: dict[int, float] = {}
    base_year, target_year = status.get("base_year"), status.get("target_year")
    if not is_missing(base_year) and not is_missing(target_year):
        base_year, target_year = int(base_year), int(target_year)
        for year in years:
            if min(base_year, target_year) <= year <= target_year:
                value = line_value(base_year, status.get("base_value"), target_year,
                                   status.get("target_value"), year)
                if not math.isnan(value):
                    line[year] = value
    if not is_missing(target_year) and not is_missing(status.get("target_value")):
        target[int(target_year)] = float(status["target_value"])
    return actual, target, line


def _kpi_chart(workbook, sheet_name: str, kpi: _Kpi, head_row: int, first_row: int,
               years: list[int], series: Sequence[dict], decimals: int, width_px: int):
    """A native line chart of one KPI; every series is a row of the 「グラフの数値」 table.

    `series` are the three rows' values by year.  They are also handed over as the
    chart's cached values: xlsxwriter would cache a formatted empty cell as 0, and a
    reader that shows the cache (not the cells) would then plot a drop to zero.
    """
    chart = workbook.add_chart({"type": "line"})
    n = len(years)
    categories = [sheet_name, head_row, 1, head_row, n]
    for offset, (name, look) in enumerate(((SERIES_ACTUAL, S.CHART_ACTUAL),
                                           (SERIES_TARGET, S.CHART_TARGET),
                                           (SERIES_LINE, S.CHART_LINE))):
        values = series[offset]
        chart.add_series({"name": name, "categories": categories,
                          "values": [sheet_name, first_row + offset, 1, first_row + offset, n],
                          "values_data": [f"{values[y]:.16g}" if y in values else None for y in years],
                          **copy.deepcopy(look)})
    chart.set_title({"name": _chart_text(kpi.indicator), "overlay": False,
                     "name_font": dict(S.CHART_TITLE_FONT)})
    chart.set_x_axis({"name": CHART_X_TITLE, "name_font": dict(S.CHART_FONT),
                      "num_font": dict(S.CHART_FONT)})
    y_axis = {"num_font": dict(S.CHART_FONT), "num_format": _unit_format("", decimals),
              "major_gridlines": copy.deepcopy(S.CHART_GRIDLINES)}
    if kpi.unit:
        y_axis["name"] = _chart_text(CHART_Y_TITLE.format(unit=kpi.unit))
        y_axis["name_font"] = dict(S.CHART_FONT, rotation=S.CHART_Y_TITLE_ROTATION)
    chart.set_y_axis(y_axis)
    chart.set_legend({"position": "bottom", "font": dict(S.CHART_FONT)})
    chart.set_chartarea({"border": dict(S.CHART_BORDER)})
    chart.show_blanks_as("gap")
    chart.set_size({"width": width_px, "height": S.CHART_HEIGHT_PX})
    return chart


def _chart_block(sheet: _Sheet, workbook, kpis: list[_Kpi], rows: list[dict], years: list[int],
                 statuses: dict[str, dict]) -> dict[str, str]:
    """【ＫＰＩの推移】: one chart per KPI, two side by side in rows reserved for them (no
    text there but the heading at the top of the first, inside the print area, a row never
    splits over two pages), then the numbers they are drawn from (「グラフの数値」), visible
    and printed.

    Returns {kpi_id: the range of its 実績値 cells} (first to last year with an actual),
    which the 一覧 sparkline shows.
    """
    ws, grid = sheet.ws, sheet.grid
    n, last = len(years), grid.last
    name = ws.get_name()
    by_kpi: dict[str, list[dict]] = {}
    for row in rows:
        by_kpi.setdefault(_text(row["kpi_id"]), []).append(row)

    # The heading shares the first chart row (text at its top, the charts below it), so
    # that a page break can never leave it alone at the foot of a page.
    sheet.spacer()
    chart_rows = []
    for index in range(0, len(kpis), 2):
        height = (S.CHART_HEIGHT_PX + 2 * S.CHART_PAD_PX) * 0.75  # px → points
        if index == 0:
            sheet.put(sheet.row, 0, grid.last, HEAD_CHARTS, "section", valign="top")
            height += S.SECTION_ROW_HEIGHT
        ws.set_row(sheet.row, height)
        chart_rows.append(sheet.row)
        sheet.row += 1
    sheet.spacer()

    # 「グラフの数値」: per KPI a header row (its name and the years: the chart's categories)
    # and the three series rows.  Two rows of charts fill a printed page, so then the
    # numbers start on the next one (a manual break, which fit-to-width printing keeps)
    # rather than leaving a header alone at the foot of the page.
    if len(chart_rows) > 1:
        ws.set_h_pagebreaks([sheet.row])
    labels = [short_label(year) for year in years]
    placed: list[tuple[_Kpi, int, int, tuple, int]] = []
    ranges: dict[str, str] = {}
    for kpi in kpis:
        status = statuses.get(kpi.kpi_id, {})
        actual, target, line = _chart_values(by_kpi.get(kpi.kpi_id, []), years, status)
        base = status.get("base_value")
        decimals = _decimals([*actual.values(), *target.values(),
                              *([] if is_missing(base) else [float(base)])])
        group = CHART_GROUP.format(indicator=kpi.indicator, unit=kpi.unit if kpi.unit else "－")
        head = sheet.row
        sheet.put(head, 0, 0, group, "chart_group")
        for i, label in enumerate(labels):
            sheet.put(head, 1 + i, 1 + i, label, "kpi_head")
        ws.set_row(head, sheet.height([(group, 0, 0, "chart_group")], S.BAND_ROW_HEIGHT))
        sheet.row += 1
        first = sheet.row
        for label, values, style, places in ((SERIES_ACTUAL, actual, "kpi_value", decimals),
                                             (SERIES_TARGET, target, "kpi_fixed", decimals),
                                             (SERIES_LINE, line, "kpi_fixed", max(decimals, 1))):
            number_format = _unit_format(kpi.unit, places)
            sheet.put(sheet.row, 0, 0, label, "chart_series")
            for i, year in enumerate(years):
                if year in values:
                    ws.write_number(sheet.row, 1 + i, values[year], sheet.fmt(style, num_format=number_format))
                else:
                    sheet.blank(sheet.row, 1 + i, 1 + i, "kpi_value")
            ws.set_row(sheet.row, S.BAND_ROW_HEIGHT)
            sheet.row += 1
        placed.append((kpi, head, first, (actual, target, line), decimals))
        if actual:
            cols = [1 + years.index(y) for y in actual if y in years]
            ranges[kpi.kpi_id] = (f"{_sheet_ref(name)}!{xl_rowcol_to_cell(first, min(cols))}:"
                                  f"{xl_rowcol_to_cell(first, max(cols))}")
    sheet.put(sheet.row, 0, last, CHART_NOTE, "note")
    ws.set_row(sheet.row, sheet.height([(CHART_NOTE, 0, last, "note")]))
    sheet.row += 1

    halves = (sum(_col_px(w) for w in grid.widths[:grid.split]),
              sum(_col_px(w) for w in grid.widths[grid.split:]))
    for index, (kpi, head, first, series, decimals) in enumerate(placed):
        side = index % 2
        width = halves[side] - 2 * S.CHART_PAD_PX
        chart = _kpi_chart(workbook, name, kpi, head, first, years, series, decimals, width)
        below_heading = round(S.SECTION_ROW_HEIGHT * 4 / 3) if index < 2 else 0
        ws.insert_chart(chart_rows[index // 2], 0 if side == 0 else grid.split, chart,
                        {"x_offset": S.CHART_PAD_PX, "y_offset": S.CHART_PAD_PX + below_heading,
                         "object_position": 1})
    return ranges


def _write_project_sheet(ws, fmt: _Formats, *, fy: int, region_name: str, project: dict,
                         measures: list[str], items: list[dict], kpis: list[_Kpi],
                         kpi_rows: list[dict], workbook=None,
                         statuses: dict[str, dict] | None = None) -> dict[str, str]:
    """One project sheet; returns {kpi_id: range of its 実績値 row} for the 一覧 sparklines.

    With `workbook` (to add charts to) the KPI table is followed by 【ＫＰＩの推移】.
    """
    years = _project_years(kpis, kpi_rows)
    grid = project_grid(len(years) if years else S.DEFAULT_YEAR_COLUMNS)
    sheet = _Sheet(ws, fmt, grid)
    last = grid.last
    for col, width in enumerate(grid.widths):
        ws.set_column(col, col, width)

    # Title rows (repeated on every printed page).
    sheet.put(0, 0, grid.split - 1, TITLE, "title")
    sheet.put(0, grid.split, last, long_title(fy), "title_fy")
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    project_name = _text(project["project"])
    sheet.put(1, 0, 0, region_name, "region")
    sheet.put(1, 1, last, project_name, "project")
    ws.set_row(1, sheet.height([(region_name, 0, 0, "region"), (project_name, 1, last, "project")],
                               S.PROJECT_ROW_MIN_HEIGHT))
    sheet.row = 2
    sheet.spacer()

    # 【概要・目的】
    sheet.section(HEAD_PURPOSE)
    purpose = _text(project.get("purpose")).strip() or NO_ENTRY
    parts = _paragraph_rows(purpose, grid.width(0, last), "purpose")
    for index, part in enumerate(parts):
        sheet.put(sheet.row, 0, last, part, "purpose", **_box_edges(index, len(parts)))
        ws.set_row(sheet.row, sheet.height([(part, 0, last, "purpose")]))
        sheet.row += 1
    sheet.spacer()

    # 【施策展開】
    sheet.section(HEAD_MEASURES)
    lines = [MEASURE_MARK + m for m in measures] or [NO_ENTRY]
    for index, line in enumerate(lines):
        sheet.put(sheet.row, 0, last, line, "measure", **_box_edges(index, len(lines)))
        ws.set_row(sheet.row, sheet.height([(line, 0, last, "measure")]))
        sheet.row += 1
    sheet.spacer()

    by_section: dict[str, list[dict]] = {}
    for item in items:
        by_section.setdefault(_text(item["section"]), []).append(item)

    # これまでの主な取組実績 | 今後の取組を進める上での主な課題
    left, right = (0, grid.split - 1), (grid.split, last)
    _write_band(sheet, [(left[0], left[1], HEAD_RESULTS), (right[0], right[1], HEAD_ISSUES)])
    _write_list_block(sheet, [
        (left[0], left[1], _grouped_entries(by_section.get("実績", []), measures, issues=False)),
        (right[0], right[1], _grouped_entries(by_section.get("課題", []), measures, issues=True)),
    ])
    sheet.spacer()

    # 今年度 / 次年度
    for section, head, year in (("今年度", HEAD_THIS_YEAR, fy), ("次年度", HEAD_NEXT_YEAR, fy + 1)):
        _write_band(sheet, [(0, last, head.format(title=long_title(year)))], "band_left")
        _write_list_block(sheet, [(0, last, _grouped_entries(by_section.get(section, []), measures,
                                                             issues=False))])
        sheet.spacer()

    # 【ＫＰＩの状況】
    sheet.section(HEAD_KPI)
    actual_ranges: dict[str, str] = {}
    if kpis and years:
        _kpi_block(sheet, kpis, kpi_rows, years)
        if workbook is not None:
            actual_ranges = _chart_block(sheet, workbook, kpis, kpi_rows, years, statuses or {})
    else:
        sheet.put(sheet.row, 0, last, NO_KPI, "note", **_box_edges(0, 1))
        ws.set_row(sheet.row, S.BAND_ROW_HEIGHT)
        sheet.row += 1

    page_setup(ws, last_row=sheet.row - 1, last_col=last, repeat=(0, 1),
                left=f"{TITLE}　{long_title(fy)}", right=f"{region_name}　{project_name}")
    ws.hide_gridlines(2)
    return actual_ranges


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")


def page_setup(ws, *, last_row: int, last_col: int, repeat: tuple[int, int] | None,
                left: str, right: str) -> None:
    ws.set_landscape()
    ws.set_paper(S.PAPER_A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(**S.MARGINS)
    ws.center_horizontally()
    ws.print_area(0, 0, max(last_row, 0), last_col)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    footer = S.FOOTER.format(left=_footer_text(left), right=_footer_text(right))
    if len(footer) > 255:  # Excel's limit for a footer
        footer = S.FOOTER.format(left="", right="")
    ws.set_footer(footer, {"margin": S.FOOTER_MARGIN})


# =====================================================================================
# 一覧 (the first sheet): every KPI with its 見込み
# =====================================================================================

def _era(year: object) -> str:
    return "" if is_missing(year) else short_label(int(year))


def _put_or_blank(sheet: _Sheet, row: int, col: int, text: str, style: str) -> None:
    if text:
        sheet.put(row, col, col, text, style)
    else:
        sheet.blank(row, col, col, style)


def _overview_rows(projects: list[dict], names: list[str], statuses: list[dict]) -> list[dict]:
    """The 一覧 rows in project order, then KPI order; a project without KPI gets one row
    (指標名 「（ＫＰＩの設定なし）」), KPIs of a project not in the master come last, unlinked."""
    by_project: dict[str, list[dict]] = {}
    for status in statuses:
        by_project.setdefault(_text(status["project_id"]), []).append(status)
    out = []
    for project, name in zip(projects, names):
        project_id = _text(project["project_id"])
        base = {"region": _text(project["region"]), "project": _text(project["project"]) or project_id,
                "sheet": name}
        for status in by_project.pop(project_id, []) or [None]:
            out.append({**base, "kpi": status})
    for project_id, rows in by_project.items():
        for status in rows:
            out.append({"region": "", "project": project_id, "sheet": None, "kpi": status})
    return out


def _write_overview_sheet(ws, fmt: _Formats, *, fy: int, projects: list[dict], names: list[str],
                          statuses: list[dict], actual_ranges: dict[str, str]) -> None:
    """一覧: one row per KPI — 連携地域, プロジェクト (a link to its sheet), 指標名, 単位,
    基準・最新実績・目標 (年度・値), 進捗率 of the latest actual, 見込み, and a sparkline of
    the actuals (the 実績値 row of the project sheet's 「グラフの数値」); below, the rules."""
    spec = S.OVERVIEW_COLUMNS
    keys = list(spec)
    col = {key: i for i, key in enumerate(keys)}
    rows = _overview_rows(projects, names, statuses)
    widths = [float(spec[k][2]) for k in keys]
    longest = max((text_units(r["project"]) for r in rows if r["sheet"] is not None), default=0)
    widths[col["project"]] = min(max(widths[col["project"]],
                                     longest + S.CELL_PAD_UNITS + S.INDENT_UNITS + 1),
                                 S.OVERVIEW_PROJECT_MAX_WIDTH)
    grid = Grid(tuple(widths), col["latest_year"])
    sheet = _Sheet(ws, fmt, grid)
    last = grid.last
    for i, width in enumerate(grid.widths):
        ws.set_column(i, i, width)

    # Title row, then two header rows (all three repeated on every printed page).
    sheet.put(0, 0, grid.split - 1, f"{TITLE}　{OVERVIEW_TITLE}", "title")
    sheet.put(0, grid.split, last, long_title(fy), "title_fy")
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    head = fmt("kpi_head")
    i = 0
    while i < len(keys):
        group, header = spec[keys[i]][0], spec[keys[i]][1]
        if not group:
            ws.merge_range(1, i, 2, i, "", head)
            ws.write_string(1, i, header, head)
            i += 1
            continue
        j = i
        while j + 1 < len(keys) and spec[keys[j + 1]][0] == group:
            j += 1
        sheet.put(1, i, j, group, "kpi_head")
        for k in range(i, j + 1):
            sheet.put(2, k, k, spec[keys[k]][1], "kpi_head")
        i = j + 1
    ws.set_row(1, S.BAND_ROW_HEIGHT)
    ws.set_row(2, S.BAND_ROW_HEIGHT)
    sheet.row = 3

    first_row = sheet.row
    for entry in rows:
        row, kpi = sheet.row, entry["kpi"]
        texts = [(entry["region"], col["region"], col["region"], "ov_text")]
        _put_or_blank(sheet, row, col["region"], entry["region"], "ov_text")
        project = entry["project"]
        if entry["sheet"] is not None:
            extra = {"quote_prefix": True} if needs_quote(project) else {}
            ws.write_url(row, col["project"], f"internal:{_sheet_ref(entry['sheet'])}!A1",
                         fmt("ov_link", **extra), project, OVERVIEW_LINK_TIP.format(name=entry["sheet"]))
        else:
            sheet.put(row, col["project"], col["project"], project, "ov_text")
            texts.append((project, col["project"], col["project"], "ov_text"))
        if kpi is None:
            sheet.put(row, col["indicator"], col["indicator"], NO_KPI, "ov_text")
            for key in keys[col["unit"]:]:
                sheet.blank(row, col[key], col[key], spec[key][3])
        else:
            indicator = _text(kpi["indicator"])
            sheet.put(row, col["indicator"], col["indicator"], indicator, "ov_text")
            texts.append((indicator, col["indicator"], col["indicator"], "ov_text"))
            _put_or_blank(sheet, row, col["unit"], _text(kpi["unit"]), "ov_center")
            values = [kpi[k] for k in ("base_value", "latest_value", "target_value") if not is_missing(kpi[k])]
            number_format = _unit_format("", _decimals(float(v) for v in values))
            for year_key, value_key in (("base_year", "base_value"), ("latest_year", "latest_value"),
                                        ("target_year", "target_value")):
                _put_or_blank(sheet, row, col[year_key], _era(kpi[year_key]), "ov_center")
                if is_missing(kpi[value_key]):
                    sheet.blank(row, col[value_key], col[value_key], "ov_number")
                else:
                    ws.write_number(row, col[value_key], float(kpi[value_key]),
                                    fmt("ov_number", num_format=number_format))
            if is_missing(kpi["progress"]):
                sheet.blank(row, col["progress"], col["progress"], "ov_rate")
            else:
                ws.write_number(row, col["progress"], round_progress(kpi["progress"]), fmt("ov_rate"))
            sheet.put(row, col["status"], col["status"], _text(kpi["label"]), "ov_status")
            sheet.blank(row, col["trend"], col["trend"], "ov_spark")
            source = actual_ranges.get(_text(kpi["kpi_id"]))
            if source:
                ws.add_sparkline(row, col["trend"], {"range": source, **copy.deepcopy(S.SPARKLINE)})
        ws.set_row(row, sheet.height(texts, S.OVERVIEW_ROW_MIN_HEIGHT))
        sheet.row += 1
    last_data_row = sheet.row - 1

    if last_data_row >= first_row:
        ws.conditional_format(first_row, col["progress"], last_data_row, col["progress"], {
            "type": "cell", "criteria": ">=", "value": 1, "format": fmt.progress_hit()})
        for status in S.STATUSES:
            ws.conditional_format(first_row, col["status"], last_data_row, col["status"], {
                "type": "cell", "criteria": "==", "value": '"' + status.label.replace('"', '""') + '"',
                "format": fmt.status(status)})

    # The rules, as data (styles.STATUSES), with the colours the 見込み column uses.
    sheet.spacer()
    sheet.section(OVERVIEW_LEGEND)
    for status in S.STATUSES:
        sheet.put(sheet.row, 0, 0, status.label, "ov_status", font_color=status.font_color,
                  bg_color=status.bg_color)
        sheet.put(sheet.row, 1, last, status.rule, "ov_legend")
        ws.set_row(sheet.row, sheet.height([(status.rule, 1, last, "ov_legend")], S.BAND_ROW_HEIGHT))
        sheet.row += 1
    sheet.put(sheet.row, 0, last, OVERVIEW_NOTE, "note")
    ws.set_row(sheet.row, sheet.height([(OVERVIEW_NOTE, 0, last, "note")]))
    sheet.row += 1

    ws.freeze_panes(first_row, 0)
    page_setup(ws, last_row=sheet.row - 1, last_col=last, repeat=(0, 2),
                left=f"{TITLE}　{long_title(fy)}", right=OVERVIEW_TITLE)
    ws.hide_gridlines(2)


# =====================================================================================
# Data sheets
# =====================================================================================

_NUMBER_STYLES = ("data_int", "data_number", "data_rate")


def _write_table_sheet(ws, fmt: _Formats, frame, spec: dict[str, tuple[str, float, str]],
                       *, table_name: str, first_row: int = 0, transform=None) -> int:
    """The frame as an Excel table with a filter; returns the table's last row.

    Cells are written one by one (numbers as numbers, everything else with write_string,
    quote-prefixed when it looks like a formula); rows with wrapped text get a height.
    """
    columns = list(spec)
    records = _records(frame, columns)
    widths = [max(spec[c][1], text_units(spec[c][0]) + S.FILTER_BUTTON_UNITS) for c in columns]
    styles = [spec[c][2] for c in columns]
    plain = [fmt(style) for style in styles]
    quoted = [fmt(style if style not in _NUMBER_STYLES else "data_text", quote_prefix=True)
              for style in styles]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
    for i, record in enumerate(records):
        row = first_row + 1 + i
        cells = []
        for col, column in enumerate(columns):
            style = styles[col]
            value = record[column]
            if transform is not None:
                value = transform(column, value)
            if is_missing(value):
                write_blank(row, col, None, plain[col])
                continue
            if style in _NUMBER_STYLES and not isinstance(value, str):
                write_number(row, col, float(value), plain[col])
                continue
            if style == "data_bool":
                text = S.BOOL_LABELS.get(bool(value), "")
            else:
                text = str(value)
            if not text:
                write_blank(row, col, None, plain[col])
                continue
            write_string(row, col, text, quoted[col] if needs_quote(text) else plain[col])
            if style == "data_wrap":
                cells.append((text, widths[col]))
        if cells:
            ws.set_row(row, row_height(cells))
    last_row = first_row + max(len(records), 1)
    ws.add_table(first_row, 0, last_row, len(columns) - 1, {
        "name": table_name,
        "style": S.TABLE_STYLE,
        "columns": [{"header": spec[c][0], "header_format": fmt("data_head")} for c in columns],
    })
    ws.set_row(first_row, S.DATA_HEADER_HEIGHT)
    return last_row


def _write_initiatives_sheet(ws, fmt: _Formats, tables: Tables, fy: int) -> None:
    last_row = _write_table_sheet(ws, fmt, tables.initiatives, S.INITIATIVE_HEADERS,
                                  table_name=TABLE_NAMES[SHEET_INITIATIVES])
    ws.freeze_panes(1, 0)
    page_setup(ws, last_row=last_row, last_col=len(S.INITIATIVE_HEADERS) - 1, repeat=(0, 0),
                left=f"{SHEET_INITIATIVES}　{long_title(fy)}", right="")


def _write_kpi_sheet(ws, fmt: _Formats, tables: Tables, fy: int) -> None:
    def transform(column, value):
        if column == "kind" and not is_missing(value):
            return S.KIND_LABELS.get(str(value), str(value))
        return value

    last_row = _write_table_sheet(ws, fmt, tables.kpi, S.KPI_HEADERS,
                                  table_name=TABLE_NAMES[SHEET_KPI], transform=transform)
    ws.freeze_panes(1, 0)
    page_setup(ws, last_row=last_row, last_col=len(S.KPI_HEADERS) - 1, repeat=(0, 0),
                left=f"{SHEET_KPI}　{long_title(fy)}", right="")


def _write_master_sheet(ws, fmt: _Formats, frame, spec: dict, name: str, fy: int) -> None:
    """A master table (projects, measures, KPI definitions) as an Excel table.

    These sheets make the workbook self-contained for `diff`: 概要・目的, measures that
    have no item this year, and a KPI's 方向 / 算定方法 are nowhere else in tidy form.
    別名 (a tuple) is written joined by `;` as in master/measures.csv.
    """
    def transform(column, value):
        if column == "aliases" and isinstance(value, (tuple, list)):
            return S.ALIAS_SEPARATOR.join(str(v) for v in value)
        return value

    last_row = _write_table_sheet(ws, fmt, frame, spec, table_name=TABLE_NAMES[name], transform=transform)
    ws.freeze_panes(1, 0)
    page_setup(ws, last_row=last_row, last_col=len(spec) - 1, repeat=(0, 0),
                left=f"{name}　{long_title(fy)}", right="")


def _write_sources_sheet(ws, fmt: _Formats, tables: Tables, fy: int, versions: dict[str, str],
                         created: datetime.datetime) -> None:
    spec = S.MANIFEST_HEADERS
    ws.write_string(0, 0, SOURCES_TITLE, fmt("meta_title"))
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    meta: list[tuple[str, str]] = [
        (SOURCES_FY, long_title(fy)),
        (SOURCES_CREATED, created.strftime("%Y-%m-%d %H:%M:%S") + "（UTC）"),
    ]
    ordered = sorted(versions.items(), key=lambda kv: (kv[0] != "pipeline",))
    for name, version in ordered:
        label = SOURCES_PIPELINE if name == "pipeline" else SOURCES_LIBRARY.format(name=name)
        meta.append((label, str(version)))
    row = 2
    key_width = spec["file"][1]
    for key, value in meta:
        ws.write_string(row, 0, key, fmt("meta_key"))
        extra = {"quote_prefix": True} if needs_quote(value) else {}
        ws.write_string(row, 1, value, fmt("meta_value", **extra))
        ws.set_row(row, row_height([(key, key_width), (value, spec["sha256"][1])]))
        row += 1
    row += 1
    ws.write_string(row, 0, SOURCES_FILES, fmt("meta_section"))
    ws.write_string(row, 1, SOURCES_FILES_NOTE.format(fy=fy), fmt("note", text_wrap=False))
    ws.set_row(row, S.SECTION_ROW_HEIGHT)
    row += 1
    last_row = _write_table_sheet(ws, fmt, tables.manifest, spec, first_row=row,
                                  table_name=TABLE_NAMES[SHEET_SOURCES])
    row = last_row + 2
    warnings = [w.line() if hasattr(w, "line") else str(w) for w in (tables.warnings or ())]
    if warnings:
        ws.write_string(row, 0, SOURCES_WARNINGS, fmt("meta_section"))
        ws.set_row(row, S.SECTION_ROW_HEIGHT)
        row += 1
        width = sum(v[1] for v in spec.values())
        last = len(spec) - 1
        for text in warnings:
            extra = {"quote_prefix": True} if needs_quote(text) else {}
            ws.merge_range(row, 0, row, last, "", fmt("meta_value", **extra))
            ws.write_string(row, 0, text, fmt("meta_value", **extra))
            ws.set_row(row, row_height([(text, width)]))
            row += 1
    page_setup(ws, last_row=row - 1, last_col=len(spec) - 1, repeat=None,
                left=f"{SHEET_SOURCES}　{long_title(fy)}", right="")


# =====================================================================================
# Entry point
# =====================================================================================

def utc_naive(created: datetime.datetime) -> datetime.datetime:
    if created.tzinfo is not None:
        created = created.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return created


def write_workbook(tables: Tables, path: pathlib.Path, *, versions: dict[str, str],
                   created: datetime.datetime) -> None:
    """Write the 推進管理表 workbook for `tables` to exactly `path`.

    Sheets: 一覧 (every KPI with its 見込み from pipeline/status.py), one per project
    (ordered as tables.projects: 連携地域, then 表示順; with a chart per KPI), then
    取組データ, KPIデータ, プロジェクトデータ, 施策データ, KPI定義, 出典.  Same inputs, same bytes.
    """
    fy = int(tables.fiscal_year)
    created = utc_naive(created)
    workbook = xlsxwriter.Workbook(str(path), dict(WORKBOOK_OPTIONS,
                                                   default_format_properties=dict(S.BASE_FONT)))
    try:
        workbook.set_properties({
            "title": f"{TITLE}　{long_title(fy)}",
            "subject": TITLE,
            "comments": f"pipeline {versions.get('pipeline', '')}".strip(),
            "created": created,
        })
        fmt = _Formats(workbook)

        projects = _records(tables.projects, ("project_id", "region", "project", "purpose", "order"))
        regions = {_text(r["region"]): _text(r["name"])
                   for r in _records(tables.regions, ("region", "name"))}
        measures: dict[str, list[str]] = {}
        for r in _records(tables.measures, ("project_id", "measure")):
            measures.setdefault(_text(r["project_id"]), []).append(_text(r["measure"]))
        items: dict[str, list[dict]] = {}
        for r in _records(tables.initiatives, ("project_id", "section", "heading", "text", "area",
                                               "actors", "relisted")):
            items.setdefault(_text(r["project_id"]), []).append(r)
        kpis: dict[str, list[_Kpi]] = {}
        for r in _records(tables.kpis, ("kpi_id", "project_id", "indicator", "unit", "base_year",
                                        "target_year")):
            kpis.setdefault(_text(r["project_id"]), []).append(_Kpi(
                _text(r["kpi_id"]), _text(r["indicator"]), _text(r["unit"]),
                None if is_missing(r["base_year"]) else int(r["base_year"]),
                None if is_missing(r["target_year"]) else int(r["target_year"])))
        kpi_rows: dict[str, list[dict]] = {}
        for r in _records(tables.kpi, ("kpi_id", "project_id", "indicator", "unit", "year", "kind",
                                       "value", "progress")):
            kpi_rows.setdefault(_text(r["project_id"]), []).append(r)
        # KPIs that have rows but no master entry still get shown (after the known ones).
        for project_id, rows in kpi_rows.items():
            known = {k.kpi_id for k in kpis.get(project_id, [])}
            for r in rows:
                if _text(r["kpi_id"]) not in known:
                    known.add(_text(r["kpi_id"]))
                    kpis.setdefault(project_id, []).append(
                        _Kpi(_text(r["kpi_id"]), _text(r["indicator"]), _text(r["unit"]), None, None))

        statuses = _records(kpi_status(tables.kpis, tables.kpi, fy), STATUS_COLUMNS)
        status_by_kpi = {_text(s["kpi_id"]): s for s in statuses}

        # 一覧 comes first but is written last: it points at rows of the project sheets.
        overview = workbook.add_worksheet(SHEET_OVERVIEW)
        names = project_sheet_names([_text(p["project_id"]) for p in projects])
        actual_ranges: dict[str, str] = {}
        for project, name in zip(projects, names):
            project_id = _text(project["project_id"])
            region = _text(project["region"])
            ws = workbook.add_worksheet(name)
            actual_ranges.update(_write_project_sheet(
                ws, fmt, fy=fy, region_name=regions.get(region) or region, project=project,
                measures=measures.get(project_id, []), items=items.get(project_id, []),
                kpis=kpis.get(project_id, []), kpi_rows=kpi_rows.get(project_id, []),
                workbook=workbook, statuses=status_by_kpi))
        _write_overview_sheet(overview, fmt, fy=fy, projects=projects, names=names,
                              statuses=statuses, actual_ranges=actual_ranges)

        _write_initiatives_sheet(workbook.add_worksheet(SHEET_INITIATIVES), fmt, tables, fy)
        _write_kpi_sheet(workbook.add_worksheet(SHEET_KPI), fmt, tables, fy)
        for name, frame, spec in ((SHEET_PROJECTS, tables.projects, S.PROJECT_HEADERS),
                                  (SHEET_MEASURES, tables.measures, S.MEASURE_HEADERS),
                                  (SHEET_KPI_MASTER, tables.kpis, S.KPI_MASTER_HEADERS)):
            _write_master_sheet(workbook.add_worksheet(name), fmt, frame, spec, name, fy)
        _write_sources_sheet(workbook.add_worksheet(SHEET_SOURCES), fmt, tables, fy, versions, created)
    finally:
        workbook.close()
