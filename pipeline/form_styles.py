"""Look of the submitter-side workbooks: 提出様式 (templates), 検証結果 and 提出状況.

The same font and page set-up as the 推進管理表 (pipeline/styles.py); what is new here
is data too: the fills of an error (red) and a warning (yellow) cell, the colours of a
submitter's state in 提出状況, the look of the editable cells of a template.
"""
from __future__ import annotations

from schemas.initiative_table import TEXT_LIMIT  # noqa: F401 — the length validation of 内容

from .styles import BAND, GRID, INK, LINK_INK, NOTE_INK, RULE, SUBBAND

ERROR_FILL, ERROR_INK = "#FFC7CE", "#9C0006"        # Excel's "bad" pair
WARNING_FILL, WARNING_INK = "#FFEB9C", "#9C5700"    # Excel's "neutral" pair
LEVEL_COLOURS = {"error": (ERROR_INK, ERROR_FILL), "warning": (WARNING_INK, WARNING_FILL)}
# 提出状況: state key (pipeline/feedback.STATES) → (font colour, fill)
STATE_COLOURS = {
    "missing": ("#FFFFFF", "#7F7F7F"),
    "error": (ERROR_INK, ERROR_FILL),
    "warning": (WARNING_INK, WARNING_FILL),
    "ok": ("#1E6B22", "#E2EFDA"),
}
DRAFT_FILL = "#EEF3F9"       # a template row carried over from last year (to edit or delete)
LOCKED_FILL = "#F2F2F2"      # a template cell the submitter does not need to touch

_GRID = {"border": 1, "border_color": GRID}
_BOX = {"border": 1, "border_color": RULE}
TEXT = "@"                   # Excel's text format: 1-2 stays 1-2, 001 stays 001

FORMATS: dict[str, dict] = {
    "title": {"bold": True, "font_size": 14, "font_color": INK, "valign": "vcenter"},
    "subtitle": {"font_size": 10.5, "font_color": INK, "valign": "vcenter"},
    "note": {"font_size": 9, "font_color": NOTE_INK, "valign": "top", "text_wrap": True},
    "head": {**_BOX, "bold": True, "bg_color": BAND, "valign": "vcenter", "text_wrap": True},
    "text": {**_GRID, "valign": "top", "text_wrap": True},
    "center": {**_GRID, "valign": "top", "align": "center"},
    "number": {**_GRID, "valign": "top", "num_format": "#,##0"},
    # LibreOffice never wraps a hyperlink cell: a long file name shrinks instead of being cut
    "link": {**_GRID, "valign": "top", "font_color": LINK_INK, "underline": 1, "shrink": True},
    "key": {**_BOX, "bold": True, "bg_color": SUBBAND, "valign": "top", "text_wrap": True},
    "value": {**_BOX, "valign": "top", "text_wrap": True},
    "section": {"bold": True, "font_size": 11, "font_color": INK, "valign": "bottom"},
    "guide": {"valign": "top", "text_wrap": True},
    # the copy of a submitted sheet in 検証結果
    "copy": {**_GRID, "valign": "top", "text_wrap": True},
    "copy_above": {"valign": "top"},   # rows above the header (titles): as they are, not wrapped
    "copy_head": {**_GRID, "valign": "top", "text_wrap": True, "bold": True, "bg_color": SUBBAND},
    # the editable cells of a template (unlocked; text columns in text format)
    "input_text": {**_GRID, "valign": "top", "text_wrap": True, "num_format": TEXT, "locked": False},
    "input_number": {**_GRID, "valign": "top", "num_format": "General", "locked": False},
    "input_fixed": {**_GRID, "valign": "top", "bg_color": LOCKED_FILL, "num_format": TEXT, "locked": False,
                    "text_wrap": True},
}

# Column widths (Excel character units) of the sheets written here.
ISSUE_COLUMNS = (  # 指摘一覧: (header, width, style)
    ("No.", 5, "center"), ("ファイル", 22, "text"), ("シート", 12, "text"), ("セル", 7, "link"),
    ("列", 10, "text"), ("種類", 6, "center"), ("内容", 56, "text"), ("書けるもの", 32, "text"),
)
STATUS_COLUMNS = (  # 提出状況: (header, width, style)
    ("状況", 10, "center"), ("提出団体", 16, "text"), ("種類", 8, "text"), ("振興局", 8, "text"),
    ("連携地域", 9, "text"), ("ファイル", 28, "text"), ("読込", 6, "number"), ("採用", 6, "number"),
    ("除外", 6, "number"), ("エラー", 7, "number"), ("警告", 6, "number"), ("検証結果", 34, "link"),
)
COPY_MIN_WIDTH, COPY_MAX_WIDTH = 6.0, 48.0   # a copied column is as wide as its text, within these
TEMPLATE_NOTE_HEIGHT = 30.0

# 提出様式 (templates)
TEMPLATE_WIDTHS = {  # header → width
    "プロジェクト": 26, "年度": 7, "区分": 8, "見出し": 30, "内容": 56, "地域": 9, "実施主体": 14,
    "再掲": 6, "順序": 6, "備考": 24,
    "KPI": 16, "指標名（参考）": 50, "実績値": 12, "単位": 10,
}
INITIATIVE_BLANK_ROWS = 50    # empty data rows after the carried ones, each with the validations
KPI_BLANK_ROWS = 10           # empty KPI実績 rows after the listed ones
VALUE_LIMIT = 1e15            # the number validation of 実績値: between −VALUE_LIMIT and VALUE_LIMIT
GUIDE_WIDTHS = (22, 44, 60)
PROTECTION = {  # what a submitter may still do on a protected sheet (no password)
    "format_columns": True, "format_rows": True, "insert_rows": True, "delete_rows": True,
    "sort": True, "autofilter": True,
}
