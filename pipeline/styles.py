"""Look of the 推進管理表 workbook: fonts, fills, borders, column widths, page set-up.

Everything visual lives here as data so that the writer (pipeline/workbook.py) holds
no scattered literals.  `FORMATS` maps a style name to an xlsxwriter format dict; the
writer adds only structural overrides to it (which box edges get a border, a number
format carrying a KPI's unit, the quote prefix for text that looks like a formula).

Font: BIZ UDゴシック, the universal-design Gothic that Windows 10 (1809) and later ship
with (next to BIZ UDPゴシック), so Excel on Windows renders it as designed.  It is the
monospaced member of the family on purpose: a full-width character is exactly 1 em and a
half-width one exactly ½ em, so the width model below is exact, and as the default
(Normal) font it makes one column unit exactly one half-width character.  The
proportional BIZ UDPゴシック has digits of 0.76 em, which would make every column unit
half as wide again and the printed sheet shrink to ≈ 60 %.
On Linux the same font is the Debian package `fonts-morisawa-bizud-gothic`; without it
LibreOffice substitutes through fontconfig: Noto Sans CJK JP (`fonts-noto-cjk`) for
Japanese and DejaVu Sans for Latin.  Its column unit is then a DejaVu digit (0.64 em), so
a CJK character takes ≈ 1.6 units instead of 2 and lines are taller (1.45 em): the row
heights below are computed for that worst case, so nothing is cut off in either program.
charset 128 (Shift_JIS) and family 3 mark the font as Japanese for both programs.

Units: column widths are Excel character units (the width of a digit of the default
font).  At 10.5 pt (14 px) a full-width character of BIZ UDゴシック is 2 units wide and a
half-width one 1 unit (7 px, the unit xlsxwriter assumes), which is the model
`workbook.text_lines` uses.  Row heights are points.
"""
from __future__ import annotations

from typing import NamedTuple

FONT_NAME = "BIZ UDゴシック"
FONT_FALLBACKS = ("Noto Sans CJK JP", "DejaVu Sans")  # what LibreOffice on Linux substitutes
FONT_SIZE = 10.5  # pt: the usual size of Japanese official documents; 14 px = 7 px per unit

BASE_FONT = {
    "font_name": FONT_NAME,
    "font_size": FONT_SIZE,
    "font_charset": 128,
    "font_family": 3,
}

# Colours: a restrained palette (navy ink for titles, pale blue bands, grey for 基準/目標).
INK = "#1F2D3D"
RULE = "#404040"
BAND = "#DCE6F1"       # section headings
SUBBAND = "#EEF3F9"    # KPI header row, region cell
FIXED = "#F2F2F2"      # baseline / target value cells
HIT_FILL = "#E2EFDA"   # 進捗率 ≥ 100 %
HIT_INK = "#1E6B22"
NOTE_INK = "#595959"
GRID = "#BFBFBF"       # hairlines of the data sheets
LINK_INK = "#0B4FA8"   # 一覧: project name linking to its sheet

_WRAP_TOP = {"text_wrap": True, "valign": "top"}
_BOX = {"border": 1, "border_color": RULE}
_GRID = {"border": 1, "border_color": GRID}

FORMATS: dict[str, dict] = {
    # --- project sheet: title rows (repeated on every printed page) ---
    "title": {"bold": True, "font_size": 16, "font_color": INK, "valign": "vcenter"},
    "title_fy": {"font_size": 11, "font_color": INK, "align": "right", "valign": "vcenter"},
    "region": {**_BOX, "bold": True, "font_size": 12, "align": "center", "valign": "vcenter",
               "bg_color": SUBBAND, "text_wrap": True},
    "project": {**_BOX, "bold": True, "font_size": 14, "font_color": INK, "valign": "vcenter",
                "indent": 1, "text_wrap": True},
    # --- project sheet: blocks ---
    "section": {"bold": True, "font_size": 11, "font_color": INK, "valign": "bottom"},
    "band": {**_BOX, "bold": True, "align": "center", "valign": "vcenter", "bg_color": BAND,
             "text_wrap": True},
    "band_left": {**_BOX, "bold": True, "align": "left", "valign": "vcenter", "bg_color": BAND,
                  "indent": 1, "text_wrap": True},
    "purpose": {**_WRAP_TOP},
    "measure": {**_WRAP_TOP, "bold": True, "font_color": INK},
    "issue": {**_WRAP_TOP, "bold": True, "font_color": INK},
    "item": {**_WRAP_TOP},
    "blank": {},
    # --- project sheet: KPI table ---
    "kpi_head": {**_BOX, "bold": True, "align": "center", "valign": "vcenter",
                 "bg_color": SUBBAND, "text_wrap": True},
    "kpi_label": {**_BOX, "valign": "vcenter", "text_wrap": True},
    "kpi_rate_label": {**_BOX, "align": "right", "valign": "vcenter", "font_color": NOTE_INK,
                       "indent": 1},
    "kpi_value": {**_BOX, "align": "right", "valign": "vcenter", "indent": 1, "shrink": True},
    "kpi_fixed": {**_BOX, "align": "right", "valign": "vcenter", "bg_color": FIXED,
                  "indent": 1, "shrink": True},
    "kpi_rate": {**_BOX, "align": "right", "valign": "vcenter", "num_format": "0.0%", "indent": 1,
                 "shrink": True},
    "kpi_rate_blank": {**_BOX, "align": "right", "valign": "vcenter"},
    "note": {"font_size": 9, "font_color": NOTE_INK, "valign": "top", "text_wrap": True},
    # --- project sheet: the numbers the KPI charts are drawn from ---
    "chart_group": {**_BOX, "bold": True, "valign": "vcenter", "bg_color": SUBBAND, "indent": 1,
                    "text_wrap": True},
    "chart_series": {**_BOX, "valign": "vcenter", "indent": 2},
    # --- 一覧 (KPI overview) ---
    "ov_text": {**_BOX, "valign": "vcenter", "text_wrap": True, "indent": 1},
    # LibreOffice never wraps a hyperlink cell: the column is made wide enough for the
    # name (up to OVERVIEW_PROJECT_MAX_WIDTH) and a longer name shrinks instead of being cut
    "ov_link": {**_BOX, "valign": "vcenter", "shrink": True, "font_color": LINK_INK, "underline": 1,
                "indent": 1},
    "ov_center": {**_BOX, "align": "center", "valign": "vcenter"},
    "ov_number": {**_BOX, "align": "right", "valign": "vcenter", "indent": 1, "shrink": True},
    "ov_rate": {**_BOX, "align": "right", "valign": "vcenter", "num_format": "0.0%", "indent": 1},
    "ov_status": {**_BOX, "align": "center", "valign": "vcenter", "bold": True},
    "ov_spark": {**_BOX, "valign": "vcenter"},
    "ov_legend": {**_BOX, "valign": "vcenter", "text_wrap": True, "indent": 1},
    # --- data sheets (取組データ, KPIデータ, 出典) ---
    "data_head": {**_BOX, "bold": True, "bg_color": BAND, "valign": "vcenter"},
    "data_text": {**_GRID, "valign": "top"},
    "data_wrap": {**_GRID, "valign": "top", "text_wrap": True},
    "data_int": {**_GRID, "valign": "top", "num_format": "0"},
    "data_number": {**_GRID, "valign": "top", "num_format": "#,##0.###"},
    "data_rate": {**_GRID, "valign": "top", "num_format": "0.0%"},
    "data_bool": {**_GRID, "valign": "top", "align": "center"},
    "meta_key": {**_BOX, "bold": True, "bg_color": SUBBAND, "valign": "top"},
    "meta_value": {**_BOX, "valign": "top", "text_wrap": True},
    "meta_title": {"bold": True, "font_size": 14, "font_color": INK},
    "meta_section": {"bold": True, "font_size": 11, "font_color": INK, "valign": "bottom"},
}

# Conditional format (a dxf: only font, fill and border apply) for 進捗率 ≥ 100 %.
PROGRESS_HIT = {"bold": True, "font_color": HIT_INK, "bg_color": HIT_FILL}

# --- 見込み (status of a KPI; pipeline/status.py decides, 一覧 shows) -------------------
# One row per status, in display order, which is also the order the rules are tried:
# the first whose rule holds wins.  `key` names the rule in pipeline/status.py (_RULES);
# `label` and `rule` are what the 一覧 sheet and the README show; the colours are the
# 一覧 cell's (a conditional format on the 見込み column, and the legend below the table).


class Status(NamedTuple):
    key: str
    label: str
    rule: str
    font_color: str
    bg_color: str


STATUSES: tuple[Status, ...] = (
    Status("achieved", "達成", "最新実績の進捗率が100％以上", HIT_INK, HIT_FILL),
    Status("on_track", "順調",
           "最新実績が、基準年度の基準値と目標年度の目標値を結ぶ直線上のその年度の値以上"
           "（減少のＫＰＩは以下）", "#1F4E79", "#DDEBF7"),
    Status("behind", "遅れ",
           "最新実績が直線上の値に届かない（目標年度を過ぎて目標値に届かないときを含む）",
           "#9C0006", "#FFC7CE"),
    Status("no_data", "未把握",
           "実績値がまだない（基準値・目標値がなく判定できないときを含む）", NOTE_INK, "#EDEDED"),
)

# --- 一覧 (KPI overview, the first sheet) -------------------------------------------
# column: (group header, header, width, style).  A column with a group header gets it
# merged over the group's columns in the first header row and its own header below;
# one without spans both header rows.
OVERVIEW_COLUMNS: dict[str, tuple[str, str, float, str]] = {
    "region": ("", "連携地域", 11, "ov_text"),
    "project": ("", "プロジェクト", 24, "ov_link"),   # widened to the longest name, see below
    "indicator": ("", "指標名", 36, "ov_text"),
    "unit": ("", "単位", 8, "ov_center"),
    "base_year": ("基準", "年度", 7, "ov_center"),
    "base_value": ("基準", "値", 11, "ov_number"),
    "latest_year": ("最新実績", "年度", 7, "ov_center"),
    "latest_value": ("最新実績", "値", 11, "ov_number"),
    "target_year": ("目標", "年度", 7, "ov_center"),
    "target_value": ("目標", "値", 11, "ov_number"),
    "progress": ("", "進捗率", 11, "ov_rate"),
    "status": ("", "見込み", 9, "ov_status"),
    "trend": ("", "実績の推移", 15, "ov_spark"),
}
OVERVIEW_PROJECT_MAX_WIDTH = 48.0
OVERVIEW_ROW_MIN_HEIGHT = 24.0  # room for the sparkline
# A column sparkline from 0: LibreOffice (7.4) prints line sparklines as stray dots.
# The latest year's bar is red.
SPARKLINE = {"type": "column", "min": 0, "series_color": "#1F4E79", "last_point": True,
             "last_color": "#C00000"}

# --- project sheet: one line chart per KPI (two side by side below the KPI table) ----
CHART_HEIGHT_PX = 300
CHART_PAD_PX = 8           # gap between a chart and the edges of its reserved cells
CHART_FONT = {"name": FONT_NAME, "size": 9, "color": INK}
CHART_TITLE_FONT = {"name": FONT_NAME, "size": 10, "bold": True, "color": INK}
CHART_Y_TITLE_ROTATION = 270   # stacked (縦書き): 単位：人 reads top to bottom, characters upright
CHART_ACTUAL = {"line": {"color": "#1F4E79", "width": 2.25},
                "marker": {"type": "circle", "size": 6, "fill": {"color": "#1F4E79"},
                           "border": {"color": "#1F4E79"}}}
CHART_TARGET = {"line": {"none": True},
                "marker": {"type": "diamond", "size": 9, "fill": {"color": "#C00000"},
                           "border": {"color": "#C00000"}}}
CHART_LINE = {"line": {"color": "#7F7F7F", "width": 1.5, "dash_type": "dash"},
              "marker": {"type": "none"}}
CHART_GRIDLINES = {"visible": True, "line": {"color": "#D9D9D9", "width": 0.75}}
CHART_BORDER = {"color": GRID}

# --- project sheet geometry ---------------------------------------------------------
SHEET_WIDTH = 160.0       # units across the printed sheet (A4 landscape prints at ≈ 90 %)
KPI_LABEL_WIDTH = 48.0    # preferred width of the KPI label column (column A)
KPI_YEAR_MIN_WIDTH = 11.0  # narrowest year column; wider numbers shrink to fit (never ####)
DEFAULT_YEAR_COLUMNS = 7  # grid used when a project has no KPI (H26 … R2 in the seed)

# Row heights (points).
LINE_PITCH = 1.5          # line height as a multiple of the font size (Noto CJK: 1.45)
CELL_PAD = 4.0            # top + bottom padding added to every computed height
CELL_PAD_UNITS = 1.0      # horizontal padding inside a cell, in units
INDENT_UNITS = 3.0        # width taken by one indent level (Excel: ≈ 3 digit widths)
WRAP_SAFETY = 0.95        # use only this share of a line: word and kinsoku breaks waste some
MAX_ROW_HEIGHT = 409.0    # Excel's limit
TITLE_ROW_HEIGHT = 26.0
PROJECT_ROW_MIN_HEIGHT = 28.0
SPACER_HEIGHT = 6.0
SECTION_ROW_HEIGHT = 20.0
BAND_ROW_HEIGHT = 20.0

# --- page set-up (all project sheets) ----------------------------------------------
PAPER_A4 = 9
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.55, "bottom": 0.55}   # inches
FOOTER_MARGIN = 0.25
FOOTER = "&L&8{left}&C&P / &N&R&8{right}"   # {left}/{right} filled by the writer, escaped

# --- data sheets --------------------------------------------------------------------
TABLE_STYLE = "Table Style Light 9"
DATA_HEADER_HEIGHT = 20.0
FILTER_BUTTON_UNITS = 4.0  # room a table header leaves for its filter button

# Sheets that hold the tidy frames; `diff` reads the workbook back through these names
# and the headers below (pipeline/load.py, read_workbook).
SHEET_INITIATIVES = "取組データ"
SHEET_KPI = "KPIデータ"
SHEET_PROJECTS = "プロジェクトデータ"
SHEET_MEASURES = "施策データ"
SHEET_KPI_MASTER = "KPI定義"
SHEET_SOURCES = "出典"
SOURCES_FY = "対象年度"

# Column header (Japanese) and width per tidy-frame column.
INITIATIVE_HEADERS: dict[str, tuple[str, float, str]] = {
    # column: (header, width, style)
    "fiscal_year": ("年度", 7, "data_int"),
    "region": ("連携地域", 9, "data_text"),
    "project_id": ("プロジェクトID", 14, "data_text"),
    "project": ("プロジェクト名", 40, "data_wrap"),
    "section": ("区分", 7, "data_text"),
    "heading": ("施策・見出し", 30, "data_wrap"),
    "text": ("内容", 60, "data_wrap"),
    "area": ("地域", 10, "data_wrap"),
    "actors": ("実施主体", 16, "data_wrap"),
    "relisted": ("再掲", 6, "data_bool"),
    "order": ("順序", 6, "data_int"),
    "source_file": ("出典ファイル", 28, "data_text"),
    "source_sheet": ("出典シート", 12, "data_text"),
    "source_row": ("出典行", 7, "data_int"),
}
KPI_HEADERS: dict[str, tuple[str, float, str]] = {
    "fiscal_year": ("年度", 7, "data_int"),
    "kpi_id": ("KPI ID", 15, "data_text"),
    "project_id": ("プロジェクトID", 14, "data_text"),
    "indicator": ("指標名", 50, "data_wrap"),
    "unit": ("単位", 8, "data_text"),
    "year": ("年", 7, "data_int"),
    "year_label": ("年度表示", 9, "data_text"),
    "kind": ("種別", 8, "data_text"),
    "value": ("値", 12, "data_number"),
    "progress": ("進捗率", 9, "data_rate"),
    "source_file": ("出典ファイル", 28, "data_text"),
    "source_sheet": ("出典シート", 12, "data_text"),
    "source_row": ("出典行", 7, "data_int"),
}
MANIFEST_HEADERS: dict[str, tuple[str, float, str]] = {
    "file": ("ファイル", 40, "data_text"),
    "sha256": ("SHA-256", 68, "data_text"),
    "kind": ("種類", 24, "data_text"),
    "rows_read": ("読込行数", 10, "data_int"),
    "rows_accepted": ("採用行数", 10, "data_int"),
    "rows_rejected": ("除外行数", 10, "data_int"),
}
PROJECT_HEADERS: dict[str, tuple[str, float, str]] = {
    "project_id": ("プロジェクトID", 14, "data_text"),
    "region": ("連携地域", 9, "data_text"),
    "project": ("プロジェクト名", 36, "data_wrap"),
    "purpose": ("概要・目的", 90, "data_wrap"),
    "order": ("表示順", 8, "data_int"),
}
MEASURE_HEADERS: dict[str, tuple[str, float, str]] = {
    "project_id": ("プロジェクトID", 14, "data_text"),
    "measure": ("施策名", 56, "data_wrap"),
    "order": ("表示順", 8, "data_int"),
    "aliases": ("別名", 56, "data_wrap"),
}
KPI_MASTER_HEADERS: dict[str, tuple[str, float, str]] = {
    "kpi_id": ("KPI ID", 15, "data_text"),
    "project_id": ("プロジェクトID", 14, "data_text"),
    "indicator": ("指標名", 50, "data_wrap"),
    "unit": ("単位", 8, "data_text"),
    "base_year": ("基準年", 8, "data_int"),
    "base_value": ("基準値", 12, "data_number"),
    "target_year": ("目標年", 8, "data_int"),
    "target_value": ("目標値", 12, "data_number"),
    "direction": ("方向", 7, "data_text"),
    "method": ("算定方法", 10, "data_text"),
}
ALIAS_SEPARATOR = ";"  # 別名 joined as in master/measures.csv
KIND_LABELS = {"baseline": "基準値", "actual": "実績値", "target": "目標値"}
BOOL_LABELS = {True: "○", False: ""}

# --- diff workbook (差分_<OLD>_<NEW>.xlsx, pipeline/diff_render.py) ----------------------
ADDED_FILL = "#E2EFDA"     # a row that is new (+++)
REMOVED_FILL = "#FCE4E4"   # a row that is gone (---)
CHANGED_FILL = "#FFF2CC"   # a cell whose value changed (->)
DELETED_INK = "#C00000"    # characters taken out of a sentence
INSERTED_INK = "#0B4FA8"   # characters put into a sentence

DIFF_FORMATS: dict[str, dict] = {
    "added": {"bg_color": ADDED_FILL},
    "removed": {"bg_color": REMOVED_FILL},
    "changed": {"bg_color": CHANGED_FILL},
    "char_equal": {},
    "char_delete": {"font_color": DELETED_INK, "font_strikeout": True},
    "char_insert": {"font_color": INSERTED_INK, "bold": True, "underline": 1},
    "count": {**_BOX, "valign": "top", "num_format": "#,##0"},
    "delta": {**_GRID, "valign": "top", "num_format": "+#,##0.###;-#,##0.###;0"},
    "percent": {**_GRID, "valign": "top", "num_format": "0%"},
}
