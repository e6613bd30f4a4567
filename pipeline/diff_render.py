"""Render a Diff as text: the summary printed on stdout, and the display rows that
pipeline/xlsx/diff_book.py writes as 差分_<OLD>_<NEW>.xlsx.

Values as an auditor reads them: numbers grouped (5,949), years as H30（2018）, the
tags of an item in one cell, changed characters marked `[-…-]{+…+}` (as wdiff).
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from schemas.cells import is_missing, number_text
from schemas.eras import long_title

from .diff import ACTIONS, CHANGE_LABELS, Diff, marked
from .rows import each_row
from .textwidth import display_width, pad
from .verify import SHOWN_CELLS, Check, outcome, problem_lines

TITLE = "推進管理表の差分"
NO_DIFFERENCE = "差分はありません。"
REVERSED = ("旧（{old}年度）が新（{new}年度）より後の年度です。引数の順番（旧 新）を確かめてください"
            "（繰越・実施・掲載終了は判定していません）")
CHECK_HEADING = "表示シートの検査（データのシートから作り直してすべてのセルを比較。pipeline verify と同じ）"
LEGEND = ("凡例: +++ 追加、--- 削除、-> 変更（修正・移動・繰越・実施）、... 掲載終了（年度の進行で外れた前年度の実績。"
          "削除ではない）。[-…-] は削除された文字、{+…+} は追加された文字、⏎ は改行。")
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
    ("rolled_off", "取組の掲載終了（年度の進行で外れた前年度の実績）", "掲載終了"),
)


# --- plain text (stdout) ---------------------------------------------------------------------

def number(value: object) -> str:
    """5949.0 → 5,949; 12.5 → 12.5; missing → 未確定."""
    return PENDING if is_missing(value) else number_text(float(value), grouped=True)


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


def counts(d: Diff) -> list[tuple[str, int, str | None]]:
    """(label, count, kind of KINDS whose sheet lists them — None for the unchanged items)."""
    ini = d.initiatives
    carried = ini[ini["change"] == "carried"]
    edited_carried = int((carried["old_text"] != carried["new_text"]).sum())
    done = ini[ini["change"] == "done"]
    edited_done = int((done["old_text"] != done["new_text"]).sum())
    return [
        ("過去の実績値の修正", len(d.revisions), "revisions"),
        ("新しい実績値", len(d.actuals), "actuals"),
        ("KPI定義の変更", len(d.kpis), "kpis"),
        ("プロジェクトの変更", len(d.projects), "projects"),
        ("施策の変更", len(d.measures), "measures"),
        ("取組の追加", int((ini["change"] == "added").sum()), "initiatives"),
        ("取組の削除", int((ini["change"] == "removed").sum()), "initiatives"),
        ("取組の修正", int((ini["change"] == "changed").sum()), "initiatives"),
        ("取組の移動（別の見出し・プロジェクトへ）", int((ini["change"] == "moved").sum()), "initiatives"),
        (f"取組の繰越（次年度→今年度、うち内容の修正 {edited_carried} 件）", len(carried), "initiatives"),
        (f"取組の実施（今年度→実績、うち内容の修正 {edited_done} 件）", len(done), "initiatives"),
        ("取組の掲載終了（前年度の実績）", len(d.rolled_off), "rolled_off"),
        ("変更のない取組", d.unchanged, None),
    ]


def check_cell(check: Check, shown: int = SHOWN_CELLS) -> str:
    """A book's check in one cell of 概要: the outcome, then up to `shown` findings."""
    found = problem_lines(check)
    lines = [outcome(check), *found[:shown]]
    if len(found) > shown:
        lines.append(f"ほか {len(found) - shown} 件（python -m pipeline verify {check.label} ですべて表示）")
    return "\n".join(lines)


def empty_kinds_line(d: Diff) -> str | None:
    """The kinds without a change, which get no sheet of their own (None when every kind has one)."""
    empty = [sheet for kind, _, sheet in KINDS if not len(getattr(d, kind))]
    return f"変更のない種類（シートはありません）: {'・'.join(empty)}" if empty else None


def check_lines(checks: dict[str, Check]) -> list[str]:
    """The verify outcome of each book ({旧|新: Check}) and each finding, indented."""
    lines = [CHECK_HEADING + ":"]
    for side, check in checks.items():
        lines.append(f"  {side}: {outcome(check)}")
        lines += [f"    {line}" for line in problem_lines(check)]
    return lines


def _place(row: dict, side: str) -> str:
    heading = row[f"{side}_heading"]
    return f"{row[f'{side}_section']}" + (f"「{heading}」" if heading else "")


def _where(row: dict) -> str:
    """Where an item is: プロジェクトID 区分「見出し」, both places for a move or a cycle step."""
    change, project = row["change"], row["project_id"]
    if change == "added":
        return f"{project} {_place(row, 'new')}"
    if change in ("removed", "rolled_off"):
        return f"{project} {_place(row, 'old')}"
    if change == "moved":
        if row["old_project_id"] != project:
            return f"{row['old_project_id']} {_place(row, 'old')}→{project} {_place(row, 'new')}（移動）"
        return f"{project} {_place(row, 'old')}→{_place(row, 'new')}（移動）"
    if change in ("carried", "done"):
        return f"{project} {row['old_section']}→{_place(row, 'new')}（{CHANGE_LABELS[change]}）"
    return f"{project} {_place(row, 'new')}"


def _initiative_line(row: dict) -> str:
    change, action = row["change"], row["action"]
    if change == "added":   # who added or dropped a sentence: its file and row
        return f"  {action} {_where(row)}: {_one_line(row['new_text'])}  出典: {row['new_source']}"
    if change == "removed":
        return f"  {action} {_where(row)}: {_one_line(row['old_text'])}  出典: {row['old_source']}"
    if change == "rolled_off":
        return f"  {action} {_where(row)}: {_one_line(row['old_text'])}"
    line = f"  {action} {_where(row)}: {_one_line(marked(row['old_text'], row['new_text']))}"
    old_tags = tags_text(row["old_area"], row["old_actors"], row["old_relisted"])
    new_tags = tags_text(row["new_area"], row["new_actors"], row["new_relisted"])
    if old_tags != new_tags:
        line += f"  タグ: {old_tags or 'なし'} → {new_tags or 'なし'}"
    return line


def reversed_note(d: Diff) -> str | None:
    """The warning when OLD is the later year (the cycle is then not applied)."""
    return REVERSED.format(old=d.old_year, new=d.new_year) if d.old_year > d.new_year else None


def summary_lines(d: Diff, out_path: Path | None = None, checks: dict[str, Check] | None = None) -> list[str]:
    """The stdout report in Japanese: what was compared, the check of each book, the counts,
    then each change."""
    lines = [f"{TITLE}: {d.old_label}（{long_title(d.old_year)}） → {d.new_label}（{long_title(d.new_year)}）"]
    if reversed_note(d):
        lines.append("注意: " + reversed_note(d))
    if checks:
        lines += check_lines(checks)
    if not d.changed:
        lines.append(NO_DIFFERENCE)
    else:
        lines.append("件数:")
        numbers = counts(d)
        width = max(display_width(label) for label, _, _ in numbers)
        for label, count, _ in numbers:
            lines.append(f"  {pad(label, width)}  {count:>4} 件")
        for kind, heading, _ in KINDS:
            frame = getattr(d, kind)
            if not len(frame):
                continue
            lines.append("")
            lines.append(f"■ {heading}（{len(frame)} 件）")
            for row in each_row(frame):
                lines.append(_detail_line(kind, row))
        lines.append("")
        lines.append(LEGEND)
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


def display_rows(kind: str, frame: pd.DataFrame) -> list[dict]:
    """Rows with the derived display columns (年度 as H30（2018）, 種別 in Japanese, tags)."""
    rows = []
    for row in each_row(frame):
        if "year" in row:
            row["year_text"] = year_text(row["year"], row["year_label"])
        for side in ("old", "new"):
            if side in row and kind != "initiatives":
                row[side] = field_text(row[side])
        if "was_pending" in row:
            row["pending_text"] = PENDING if row["was_pending"] else ""
        if kind in ("initiatives", "rolled_off"):
            row["change_label"] = CHANGE_LABELS[row["change"]]
            if row["old_project_id"] and row["old_project_id"] != row["project_id"]:
                row["project_id"] = f"{row['old_project_id']}→{row['project_id']}"   # moved to another project
            for side in ("old", "new"):
                row[f"{side}_tags"] = tags_text(row[f"{side}_area"], row[f"{side}_actors"],
                                                row[f"{side}_relisted"])
        rows.append(row)
    return rows


def diff_name(old_year: int, new_year: int) -> str:
    """差分_2019_2020.xlsx."""
    return f"差分_{old_year}_{new_year}.xlsx"
