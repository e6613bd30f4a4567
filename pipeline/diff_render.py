"""Render a Diff: the summary printed on stdout and 差分_<OLD>_<NEW>.xlsx.

The workbook has a 概要 sheet (the two workbooks compared, counts, legend) and a sheet
per kind of change, old and new side by side.  Column A is daff's action (+++ added,
--- removed, -> changed); changed cells are filled, added rows green, removed rows
red, and inside an edited sentence the removed characters are struck through in red
and the inserted ones blue, bold and underlined.  Same diff, same bytes.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from pathlib import Path

import pandas as pd

from . import styles as S
from .diff import ACTIONS, CHANGE_LABELS, Diff, char_changes, marked
from .eras import long_title
from .normalize import is_empty, is_missing
from .textwidth import display_width, pad

TITLE = "推進管理表の差分"
NO_DIFFERENCE = "差分はありません。"
REVERSED = ("注意: 旧（{old}年度）が新（{new}年度）より後の年度です。引数の順番（旧 新）を確かめてください"
            "（繰越・実施は判定していません）")
PENDING = "未確定"   # an actual that last year's table listed without a value

# (kind, heading in the summary, sheet name); the order is the report's order: a
# revised past figure is what auditors look for first.
KINDS = (
    ("revisions", "過去の実績値の修正", "実績値の修正"),
    ("actuals", "新しい実績値", "新しい実績値"),
    ("kpis", "KPI定義の変更", "KPI定義"),
    ("projects", "プロジェクトの変更", "プロジェクト"),
    ("measures", "施策の変更", "施策"),
    ("initiatives", "取組の変更", "取組"),
)
SUMMARY_SHEET = "概要"
SUMMARY_KEY_WIDTH = 54
SUMMARY_VALUE_WIDTH = 90
LEGEND = (
    ("+++", "追加（行を緑色で表示）"),
    ("---", "削除（行を赤色で表示）"),
    ("->", "変更・繰越（変わったセルを黄色で表示。文中の削除文字は赤の取消線、追加文字は青の太字下線）"),
)

# Columns per sheet: (frame column, header, width, style, pair) — `pair` names the other
# side of an old/new pair so that a changed value is highlighted on both sides.
_ACTION = ("action", "操作", 6, "data_text", None)
COLUMNS: dict[str, tuple] = {
    "revisions": (
        _ACTION,
        ("kpi_id", "KPI ID", 15, "data_text", None),
        ("indicator", "指標名", 30, "data_wrap", None),
        ("unit", "単位", 8, "data_text", None),
        ("year_text", "年度", 12, "data_text", None),
        ("old_value", "旧の値", 12, "data_number", "new_value"),
        ("new_value", "新の値", 12, "data_number", "old_value"),
        ("delta", "差", 10, "delta", None),
        ("old_source", "旧の出典", 26, "data_wrap", None),
        ("new_source", "新の出典", 26, "data_wrap", None),
    ),
    "actuals": (
        _ACTION,
        ("kpi_id", "KPI ID", 15, "data_text", None),
        ("indicator", "指標名", 36, "data_wrap", None),
        ("unit", "単位", 8, "data_text", None),
        ("year_text", "年度", 12, "data_text", None),
        ("pending_text", "前回", 8, "data_text", None),
        ("new_value", "値", 12, "data_number", None),
        ("progress", "進捗率", 9, "data_rate", None),
        ("new_source", "出典", 30, "data_wrap", None),
    ),
    "kpis": (
        _ACTION,
        ("key", "KPI ID", 15, "data_text", None),
        ("name", "指標名", 36, "data_wrap", None),
        ("field", "項目", 12, "data_text", None),
        ("old", "旧", 40, "data_wrap", "new"),
        ("new", "新", 40, "data_wrap", "old"),
    ),
    "projects": (
        _ACTION,
        ("key", "プロジェクトID", 14, "data_text", None),
        ("name", "プロジェクト名", 26, "data_wrap", None),
        ("field", "項目", 12, "data_text", None),
        ("old", "旧", 52, "data_wrap", "new"),
        ("new", "新", 52, "data_wrap", "old"),
    ),
    "measures": (
        _ACTION,
        ("project_id", "プロジェクトID", 14, "data_text", None),
        ("name", "施策名", 40, "data_wrap", None),
        ("field", "項目", 10, "data_text", None),
        ("old", "旧", 36, "data_wrap", "new"),
        ("new", "新", 36, "data_wrap", "old"),
    ),
    "initiatives": (
        _ACTION,
        ("change_label", "種別", 6, "data_text", None),
        ("project_id", "プロジェクトID", 14, "data_wrap", None),
        ("old_section", "旧の区分", 9, "data_text", "new_section"),
        ("new_section", "新の区分", 9, "data_text", "old_section"),
        ("old_heading", "旧の見出し", 16, "data_wrap", "new_heading"),
        ("new_heading", "新の見出し", 16, "data_wrap", "old_heading"),
        ("old_text", "旧の内容", 34, "data_wrap", "new_text"),
        ("new_text", "新の内容", 34, "data_wrap", "old_text"),
        ("old_tags", "旧のタグ", 13, "data_wrap", "new_tags"),
        ("new_tags", "新のタグ", 13, "data_wrap", "old_tags"),
        ("similarity", "類似度", 7, "percent", None),
        ("old_source", "旧の出典", 17, "data_wrap", None),
        ("new_source", "新の出典", 17, "data_wrap", None),
    ),
}
# Columns kept in view when scrolling right: the action and what identifies the row.
FROZEN_COLUMNS = {"revisions": 2, "actuals": 2, "kpis": 2, "projects": 2, "measures": 2, "initiatives": 3}
RICH_PAIRS = {("old_text", "new_text"), ("old", "new")}   # sentences shown with marked characters
RICH_MIN_CHARS = 12   # shorter values (a number, a unit) are plainly old and new, not character-marked
_NUMBER_STYLES = ("data_number", "data_rate", "delta", "percent", "data_int")


# --- plain text (stdout) ---------------------------------------------------------------------

def number(value: object) -> str:
    """5949.0 → 5,949; 12.5 → 12.5; missing → 未確定."""
    if is_missing(value):
        return PENDING
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def field_text(value: object) -> str:
    """A definition's value as text: numbers as 7,400, everything else as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value)
    return "" if value is None else str(value)


def year_text(year: int, label: str) -> str:
    """H30（2018）."""
    return f"{label}（{int(year)}）"


def tags_text(area: object, actors: object, relisted: object) -> str:
    """地域・実施主体・再掲 in one cell: 地域：宗谷／実施主体：市・民間／【再掲】."""
    parts = []
    if isinstance(area, str) and area:
        parts.append(f"地域：{area}")
    if isinstance(actors, str) and actors:
        parts.append(f"実施主体：{actors}")
    if relisted is True:
        parts.append("【再掲】")
    return "／".join(parts)


def _one_line(text: str) -> str:
    return str(text).replace("\r\n", "\n").replace("\n", "⏎")


def _counts(d: Diff) -> list[tuple[str, int]]:
    ini = d.initiatives
    carried = ini[ini["change"] == "carried"]
    edited_carried = int((carried["old_text"] != carried["new_text"]).sum())
    done = ini[ini["change"] == "done"]
    edited_done = int((done["old_text"] != done["new_text"]).sum())
    return [
        ("過去の実績値の修正", len(d.revisions)),
        ("新しい実績値", len(d.actuals)),
        ("KPI定義の変更", len(d.kpis)),
        ("プロジェクトの変更", len(d.projects)),
        ("施策の変更", len(d.measures)),
        ("取組の追加", int((ini["change"] == "added").sum())),
        ("取組の削除", int((ini["change"] == "removed").sum())),
        ("取組の修正", int((ini["change"] == "changed").sum())),
        (f"取組の繰越（次年度→今年度、うち内容の修正 {edited_carried} 件）", len(carried)),
        (f"取組の実施（今年度→実績、うち内容の修正 {edited_done} 件）", len(done)),
        ("変更のない取組", d.unchanged),
    ]


def _place(row: dict, side: str) -> str:
    heading = row[f"{side}_heading"]
    return f"{row[f'{side}_section']}" + (f"「{heading}」" if heading else "")


def _initiative_line(row: dict) -> str:
    change, action = row["change"], row["action"]
    if change == "added":
        return f"  {action} {row['project_id']} {_place(row, 'new')}: {_one_line(row['new_text'])}"
    if change == "removed":
        return f"  {action} {row['project_id']} {_place(row, 'old')}: {_one_line(row['old_text'])}"
    where = _place(row, "new")
    if change in ("carried", "done"):
        where = f"{row['old_section']}→{_place(row, 'new')}（{CHANGE_LABELS[change]}）"
    line = f"  {action} {row['project_id']} {where}: {_one_line(marked(row['old_text'], row['new_text']))}"
    old_tags = tags_text(row["old_area"], row["old_actors"], row["old_relisted"])
    new_tags = tags_text(row["new_area"], row["new_actors"], row["new_relisted"])
    if old_tags != new_tags:
        line += f"  タグ: {old_tags or 'なし'} → {new_tags or 'なし'}"
    return line


def summary_lines(d: Diff, out_path: Path | None = None) -> list[str]:
    """The stdout report in Japanese: what was compared, the counts, then each change."""
    lines = [f"{TITLE}: {d.old_label}（{long_title(d.old_year)}） → {d.new_label}（{long_title(d.new_year)}）"]
    if d.old_year > d.new_year:
        lines.append(REVERSED.format(old=d.old_year, new=d.new_year))
    if not d.changed:
        lines.append(NO_DIFFERENCE)
    else:
        lines.append("件数:")
        counts = _counts(d)
        width = max(display_width(label) for label, _ in counts)
        for label, count in counts:
            lines.append(f"  {pad(label, width)}  {count:>4} 件")
        for kind, heading, _ in KINDS:
            frame = getattr(d, kind)
            if not len(frame):
                continue
            lines.append("")
            lines.append(f"■ {heading}（{len(frame)} 件）")
            for row in frame.to_dict("records"):
                lines.append(_detail_line(kind, row))
        lines.append("")
        lines.append("凡例: +++ 追加、--- 削除、-> 変更。[-…-] は削除された文字、{+…+} は追加された文字、⏎ は改行。")
    if out_path is not None:
        lines.append(f"差分ファイル: {out_path}")
    return lines


def _detail_line(kind: str, row: dict) -> str:
    action = row["action"]
    if kind == "revisions":
        year = year_text(row["year"], row["year_label"])
        if row["action"] == ACTIONS["removed"]:
            return (f"  {action} {row['kpi_id']} {row['indicator']} {year}: {number(row['old_value'])} "
                    f"{row['unit']} → 行がなくなりました（旧の出典 {row['old_source']}）")
        delta = "" if math.isnan(row["delta"]) else f"（差 {'+' if row['delta'] > 0 else ''}{number(row['delta'])}）"
        source = row["new_source"] if row["old_source"] == row["new_source"] else \
            f"{row['old_source']} → {row['new_source']}"
        return (f"  {action} {row['kpi_id']} {row['indicator']} {year}: {number(row['old_value'])} → "
                f"{number(row['new_value'])} {row['unit']}{delta}  出典: {source}")
    if kind == "actuals":
        year = year_text(row["year"], row["year_label"])
        progress = "" if math.isnan(row["progress"]) else f"（進捗率 {row['progress'] * 100:.1f}%）"
        pending = f"（前回は{PENDING}）" if row["was_pending"] else ""
        return (f"  {action} {row['kpi_id']} {row['indicator']} {year}: {number(row['new_value'])} "
                f"{row['unit']}{progress}{pending}  出典: {row['new_source']}")
    if kind in ("kpis", "projects", "measures"):
        head = f"  {action} {row['key'] if kind != 'measures' else row['project_id']} {row['name']}"
        if action in (ACTIONS["added"], ACTIONS["removed"]):
            return f"{head} {row['field']}"
        old, new = field_text(row["old"]), field_text(row["new"])
        if kind == "projects" and len(old) + len(new) > 60:
            return f"{head} {row['field']}: {_one_line(marked(old, new))}"
        return f"{head} {row['field']}: {_one_line(old) or '（なし）'} → {_one_line(new) or '（なし）'}"
    return _initiative_line(row)


# --- the workbook -------------------------------------------------------------------------

def _display_frame(kind: str, frame: pd.DataFrame) -> list[dict]:
    """Rows with the derived display columns (年度 as H30（2018）, 種別 in Japanese, tags)."""
    rows = []
    for row in frame.to_dict("records"):
        if "year" in row:
            row["year_text"] = year_text(row["year"], row["year_label"])
        for side in ("old", "new"):
            if side in row and kind != "initiatives":
                row[side] = field_text(row[side])
        if "was_pending" in row:
            row["pending_text"] = PENDING if row["was_pending"] else ""
        if kind == "initiatives":
            row["change_label"] = CHANGE_LABELS[row["change"]]
            for side in ("old", "new"):
                row[f"{side}_tags"] = tags_text(row[f"{side}_area"], row[f"{side}_actors"],
                                                row[f"{side}_relisted"])
        rows.append(row)
    return rows


class _Writer:
    """Formats by (style, fill) created once each, in call order (same diff, same bytes)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.cache: dict = {}

    def fmt(self, style: str, fill: str | None = None, **extra):
        key = (style, fill, tuple(sorted(extra.items())))
        if key not in self.cache:
            props = {**S.BASE_FONT, **(S.FORMATS.get(style) or S.DIFF_FORMATS[style])}
            if fill:
                props.update(S.DIFF_FORMATS[fill])
            props.update(extra)
            self.cache[key] = self.workbook.add_format(props)
        return self.cache[key]

    def char(self, op: str):
        return self.fmt(f"char_{op}")


def _fill(action: str, value_changed: bool) -> str | None:
    if action == ACTIONS["added"]:
        return "added"
    if action == ACTIONS["removed"]:
        return "removed"
    return "changed" if value_changed else None


def _write_cell(ws, w: _Writer, row: int, col: int, value, style: str, fill: str | None,
                rich: list[tuple[str, str]] | None) -> None:
    from .workbook import needs_quote

    cell = w.fmt(style, fill)
    if is_empty(value):
        ws.write_blank(row, col, None, cell)
    elif style in _NUMBER_STYLES and not isinstance(value, str):
        ws.write_number(row, col, float(value), cell)
    elif rich and len([s for s in rich if s[1]]) > 1:
        parts = []
        for op, text in rich:
            if text:
                parts += [w.char(op), text]
        ws.write_rich_string(row, col, *parts, cell)
    else:
        text = str(value)
        ws.write_string(row, col, text, w.fmt(style, fill, quote_prefix=True) if needs_quote(text) else cell)


def _write_kind_sheet(ws, w: _Writer, kind: str, frame: pd.DataFrame, title: str) -> None:
    from .workbook import page_setup, row_height

    columns = COLUMNS[kind]
    for col, (_, header, width, _, _) in enumerate(columns):
        ws.set_column(col, col, width)
        ws.write_string(0, col, header, w.fmt("data_head", text_wrap=True))
    ws.set_row(0, row_height([(c[1], c[2]) for c in columns]))
    rows = _display_frame(kind, frame)
    for r, row in enumerate(rows, start=1):
        heights = []
        for col, (name, _, width, style, pair) in enumerate(columns):
            value = row.get(name)
            changed = pair is not None and row["action"] == ACTIONS["changed"] and \
                not _same_cell(value, row.get(pair))
            rich = None
            if changed and ((name, pair) in RICH_PAIRS or (pair, name) in RICH_PAIRS) \
                    and max(len(str(value or "")), len(str(row[pair] or ""))) >= RICH_MIN_CHARS:
                old, new = (value, row[pair]) if name.startswith("old") else (row[pair], value)
                segments = char_changes(str(old or ""), str(new or ""))
                side = "delete" if name.startswith("old") else "insert"
                rich = [(op, text) for op, text in segments if op in ("equal", side)]
            _write_cell(ws, w, r, col, value, style, _fill(row["action"], changed), rich)
            if style == "data_wrap" and not is_empty(value):
                heights.append((str(value), width))
        ws.set_row(r, row_height(heights) if heights else None)
    last = max(len(rows), 1)
    if not rows:
        ws.merge_range(1, 0, 1, len(columns) - 1, "変更はありません", w.fmt("data_text"))
    ws.freeze_panes(1, FROZEN_COLUMNS[kind])
    ws.autofilter(0, 0, last, len(columns) - 1)
    page_setup(ws, last_row=last, last_col=len(columns) - 1, repeat=(0, 0), left=title, right="")


def _same_cell(a, b) -> bool:
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    return a == b


def _write_summary_sheet(ws, w: _Writer, d: Diff, old_sha: str, new_sha: str, title: str) -> None:
    from .workbook import page_setup, row_height

    ws.set_column(0, 0, SUMMARY_KEY_WIDTH)
    ws.set_column(1, 1, SUMMARY_VALUE_WIDTH)
    ws.write_string(0, 0, TITLE, w.fmt("meta_title"))
    ws.set_row(0, S.TITLE_ROW_HEIGHT)
    meta = [
        ("旧（比較元）", f"{d.old_label}　{long_title(d.old_year)}"),
        ("旧の SHA-256", old_sha),
        ("新（比較先）", f"{d.new_label}　{long_title(d.new_year)}"),
        ("新の SHA-256", new_sha),
        ("結果", "差分があります" if d.changed else NO_DIFFERENCE),
    ]
    row = 2
    for key, value in meta:
        ws.write_string(row, 0, key, w.fmt("meta_key"))
        ws.write_string(row, 1, value, w.fmt("meta_value"))
        ws.set_row(row, row_height([(value, SUMMARY_VALUE_WIDTH)]))
        row += 1
    row += 1
    ws.write_string(row, 0, "件数", w.fmt("meta_section"))
    ws.set_row(row, S.SECTION_ROW_HEIGHT)
    row += 1
    for label, count in _counts(d):
        ws.write_string(row, 0, label, w.fmt("meta_key", text_wrap=True))
        ws.write_number(row, 1, count, w.fmt("count", align="left"))
        ws.set_row(row, row_height([(label, SUMMARY_KEY_WIDTH)]))
        row += 1
    row += 1
    ws.write_string(row, 0, "凡例（各シートの「操作」列）", w.fmt("meta_section"))
    ws.set_row(row, S.SECTION_ROW_HEIGHT)
    row += 1
    for action, meaning in LEGEND:
        fill = {"+++": "added", "---": "removed", "->": "changed"}[action]
        ws.write_string(row, 0, action, w.fmt("meta_value", fill))
        ws.write_string(row, 1, meaning, w.fmt("meta_value"))
        ws.set_row(row, row_height([(meaning, SUMMARY_VALUE_WIDTH)]))
        row += 1
    page_setup(ws, last_row=row - 1, last_col=1, repeat=None, left=title, right="")
    ws.fit_to_pages(1, 1)  # the summary is one page


def write_diff_workbook(d: Diff, path: Path, *, old_sha: str, new_sha: str,
                        created: dt.datetime) -> None:
    """Write 差分_<OLD>_<NEW>.xlsx to `path` atomically (a temporary file, then a rename)."""
    import xlsxwriter

    from .workbook import WORKBOOK_OPTIONS, utc_naive

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(tmp, dict(WORKBOOK_OPTIONS))
        title = f"{TITLE}　{d.old_year}→{d.new_year}"
        workbook.set_properties({"title": title, "created": utc_naive(created)})
        w = _Writer(workbook)
        _write_summary_sheet(workbook.add_worksheet(SUMMARY_SHEET), w, d, old_sha, new_sha, title)
        for kind, _, sheet in KINDS:
            _write_kind_sheet(workbook.add_worksheet(sheet), w, kind, getattr(d, kind), f"{sheet}　{title}")
        workbook.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def diff_name(old_year: int, new_year: int) -> str:
    """差分_2019_2020.xlsx."""
    return f"差分_{old_year}_{new_year}.xlsx"
