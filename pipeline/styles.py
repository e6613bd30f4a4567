"""Look of the 推進管理表 workbook: fonts, fills, borders, column widths, page set-up.

Everything visual lives here as data so that the writers (pipeline/xlsx/) hold
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
`xlsx/layout.text_lines` uses.  Row heights are points.
"""
from __future__ import annotations

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
    "kpi_grade": {**_BOX, "align": "center", "valign": "vcenter", "bold": True},
    "kpi_fixed_text": {**_BOX, "align": "center", "valign": "vcenter", "bg_color": FIXED, "text_wrap": True,
                       "font_size": 9},
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
    "ov_unit": {**_BOX, "align": "center", "valign": "vcenter", "shrink": True},
    "ov_number": {**_BOX, "align": "right", "valign": "vcenter", "indent": 1, "shrink": True},
    "ov_rate": {**_BOX, "align": "right", "valign": "vcenter", "num_format": "0.0%", "indent": 1},
    "ov_status": {**_BOX, "align": "center", "valign": "vcenter", "bold": True},
    "ov_grade": {**_BOX, "align": "center", "valign": "vcenter", "bold": True},
    # 100%超 / 0%未満 / － (a label, not a number): shrinks rather than overflow its narrow column
    "ov_rate_text": {**_BOX, "align": "center", "valign": "vcenter", "shrink": True},
    "ov_spark": {**_BOX, "valign": "vcenter"},
    "ov_legend": {**_BOX, "valign": "vcenter", "text_wrap": True, "indent": 1},
    # --- data sheets (取組データ, KPIデータ, 出典) ---
    "data_head": {**_BOX, "bold": True, "bg_color": BAND, "valign": "vcenter"},
    "data_text": {**_GRID, "valign": "top"},
    "data_wrap": {**_GRID, "valign": "top", "text_wrap": True},
    "data_int": {**_GRID, "valign": "top", "num_format": "0"},
    "data_number": {**_GRID, "valign": "top", "num_format": "#,##0"},  # per value: cells.value_format
    "data_rate": {**_GRID, "valign": "top", "num_format": "0.0%"},
    "data_bool": {**_GRID, "valign": "top", "align": "center"},
    "meta_key": {**_BOX, "bold": True, "bg_color": SUBBAND, "valign": "top"},
    "meta_value": {**_BOX, "valign": "top", "text_wrap": True},
    "meta_title": {"bold": True, "font_size": 14, "font_color": INK},
    "meta_section": {"bold": True, "font_size": 11, "font_color": INK, "valign": "bottom"},
}

# Number styles whose format is chosen per value (cells.value_format): {n} becomes #,##0
# with as many decimals as the value has (0–3).  One format for all values, `#,##0.###`,
# would print a whole number with a trailing point (「5,949.」) in Excel-compatible engines.
NUMBER_PATTERNS = {"data_number": "{n}", "delta": "+{n};-{n};0"}

# Conditional format (a dxf: only font, fill and border apply) for 進捗率 ≥ 100 %.
PROGRESS_HIT = {"bold": True, "font_color": HIT_INK, "bg_color": HIT_FILL}

# --- 見込み (status of a KPI; pipeline/status.py decides and names, 一覧 shows) --------
# key of a status.STATUSES row → (font colour, fill): the 一覧 cell's conditional format
# and the legend below the table.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "achieved": (HIT_INK, HIT_FILL),
    "on_track": ("#1F4E79", "#DDEBF7"),
    "behind": ("#9C0006", "#FFC7CE"),
    "no_data": (NOTE_INK, "#EDEDED"),
}

# --- 一覧 (KPI overview, the first sheet) -------------------------------------------
# Columns: pipeline/xlsx/overview.py.
OVERVIEW_PROJECT_MAX_WIDTH = 48.0
OVERVIEW_UNIT_MAX_WIDTH = 16.0  # a longer unit shrinks (一覧 stays one page wide)
OVERVIEW_ROW_MIN_HEIGHT = 24.0  # room for the sparkline
# A column sparkline from 0: LibreOffice (7.4) prints line sparklines as stray dots.
# The latest year's bar is dark red, the others light blue: apart in lightness too, so
# that a grayscale print still tells them apart; and the latest is always the rightmost.
SPARKLINE = {"type": "column", "min": 0, "series_color": "#9DC3E6", "last_point": True,
             "last_color": "#C00000"}

# --- project sheet: one line chart per KPI (two side by side below the KPI table) ----
CHART_HEIGHT_PX = 300
CHART_MIN_HEIGHT_PX = 220  # a chart row may shrink to this to fill the rest of a page
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
PAGE_WIDTH_PT = 841.89    # A4 landscape
PAGE_HEIGHT_PT = 595.28
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.55, "bottom": 0.55}   # inches
# The project sheets and 一覧 print at a fixed scale (the widest that fits one page wide;
# Excel ignores manual page breaks under fit-to-page) and are paginated by the writer
# (pipeline/xlsx/pages.py).  Slack for what a client draws wider or taller than planned.
WIDTH_SLACK = 0.02
HEIGHT_SLACK = 0.03
# Data sheets (取組データ …, 出典) print at this scale: 10.5 pt × 80 % = 8.4 pt on paper,
# several pages wide, the header row and the key columns repeated on every page.
DATA_PRINT_SCALE = 80
FOOTER_MARGIN = 0.25
FOOTER = "&L&8{left}&C&P / &N&R&8{right}"   # {left}/{right} filled by the writer, escaped

# --- data sheets --------------------------------------------------------------------
TABLE_STYLE = "Table Style Light 9"
DATA_HEADER_HEIGHT = 20.0
FILTER_BUTTON_UNITS = 4.0  # room a table header leaves for its filter button

# --- diff workbook (差分_<OLD>_<NEW>.xlsx, pipeline/xlsx/diff_book.py) ----------------------
ADDED_FILL = "#E2EFDA"     # a row that is new (+++)
REMOVED_FILL = "#FCE4E4"   # a row that is gone (---)
CHANGED_FILL = "#FFF2CC"   # a cell whose value changed (->)
DELETED_INK = "#C00000"    # characters taken out of a sentence
INSERTED_INK = "#0B4FA8"   # characters put into a sentence

# Every meaning carried by a colour has a second carrier that survives a grayscale print:
# added / removed rows the 操作 column (+++ / ---), a changed cell bold text in a thick
# frame, removed characters the strike-through, inserted ones bold and underlined.
DIFF_FORMATS: dict[str, dict] = {
    "added": {"bg_color": ADDED_FILL},
    "removed": {"bg_color": REMOVED_FILL},
    "changed": {"bg_color": CHANGED_FILL, "bold": True, "border": 2, "border_color": RULE},
    "char_equal": {},
    "char_delete": {"font_color": DELETED_INK, "font_strikeout": True},
    "char_insert": {"font_color": INSERTED_INK, "bold": True, "underline": 1},
    "count": {**_BOX, "valign": "top", "num_format": "#,##0"},
    "delta": {**_GRID, "valign": "top", "num_format": "+#,##0;-#,##0;0"},  # per value: cells.value_format
    "percent": {**_GRID, "valign": "top", "num_format": "0%"},
}
