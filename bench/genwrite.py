"""Writes a generated year (bench/generate.py) as inputs/<FY>: master CSVs and submission files.

Each file's `style` picks header aliases, column order, extra columns, blank rows and the
spelling of IDs, years and numbers, so that every format of docs/入力仕様.md is exercised.
"""
from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import xlsxwriter

import gentext as T

CREATED = datetime.datetime(2024, 1, 1)
INITIATIVE_HEADERS = (  # canonical, then aliases per style (docs/入力仕様.md 2.3; schemas/reference/headers.csv)
    ("プロジェクト", "プロジェクトID", "プロジェクト名"), ("年度", "年度", "年度"), ("区分", "区分", "区分"),
    ("見出し", "施策名", "見出し"), ("内容", "取組内容", "内容"), ("地域", "振興局", "地域"),
    ("実施主体", "主体", "実施主体"), ("再掲", "再掲", "再掲"), ("順序", "順番", "表示順"), ("備考", "備考", "備考"),
)
KPI_HEADERS = ("KPI", "年度", "実績値", "備考")
LONG_SECTIONS = {"実績": "これまでの主な取組実績", "課題": "今後の取組を進める上での主な課題",
                 "今年度": "今年度の主な取組（{long}）", "次年度": "次年度の取組"}
RELISTED = ("○", "1", "再掲")
PENDING = ("未確定", "－", "")
FULL_WIDTH = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ０１２３４５６７８９－")


def long_year(fy: int) -> str:
    return f"{T.wareki(fy, 1)}（{fy}年度）"


def initiative_table(rows: list[dict], year, style: int) -> list[list]:
    """Header row + data rows of one 取組 table in the file's style."""
    names = {p.pid: p.name for p in year.projects}
    aliases = {(p.pid, m): a for p in year.projects for m, a in p.measures if a}
    order = list(range(len(INITIATIVE_HEADERS)))
    if style % 3 == 1:
        order = [0, 2, 3, 4, 1, 5, 6, 7, 8, 9]
    header = [INITIATIVE_HEADERS[c][style % 3] for c in order] + (["担当者"] if style % 5 == 1 else [])
    out = [header]
    for i, r in enumerate(rows):
        project = r["pid"].translate(FULL_WIDTH) if i % 17 == 3 else names[r["pid"]] if i % 23 == 5 else r["pid"]
        section = LONG_SECTIONS[r["section"]].format(long=long_year(year.fiscal_year)) if i % 31 == 7 else r["section"]
        heading = aliases.get((r["pid"], r["heading"]), r["heading"]) if i % 10 == 0 else r["heading"]
        text = ("・" + r["text"]) if i % 5 == 2 else r["text"]
        cells = [project, "" if style % 4 == 0 else T.wareki(year.fiscal_year, i + style), section, heading, text,
                 r["area"], r["actors"], RELISTED[i % 3] if r["relisted"] else "",
                 "" if r["order"] is None else str(r["order"]), "メモ" if i % 50 == 9 else ""]
        out.append([cells[c] for c in order] + (["担当"] if style % 5 == 1 else []))
    return out


def kpi_table(kpis: list, style: int) -> list[list]:
    out = [list(KPI_HEADERS)]
    i = 0
    for kpi in kpis:
        for year, value in sorted(kpi.values.items()):
            name = kpi.indicator if i % 13 == 4 else kpi.kid
            shown = PENDING[i % 3] if value is None else T.number_text(value, kpi.unit, i + style)
            out.append([name, T.wareki(year, i + style), shown, ""])
            i += 1
    return out


def _xlsx_cell(ws, row: int, col: int, value: object, numeric: bool) -> None:
    if numeric and isinstance(value, str) and value.isdigit() and len(value) <= 6:
        ws.write_number(row, col, int(value))     # a year or a value typed as a number
    elif value != "":
        ws.write_string(row, col, str(value))


def write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[list]]], numeric: bool) -> None:
    """Sheets of (name, title rows, table rows); a blank row separates title and table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": CREATED})
    for name, titles, table in sheets:
        ws = book.add_worksheet(name)
        for r, title in enumerate(titles):
            ws.write_string(r, 0, title)
        start = len(titles) + (1 if titles else 0)
        for r, cells in enumerate(table):
            for c, value in enumerate(cells):
                _xlsx_cell(ws, start + r, c, value, numeric and r > 0)
    book.close()


def write_csv(path: Path, titles: list[str], table: list[list], encoding: str, blank_at: int | None) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for title in titles:
        writer.writerow([title] + [""] * (len(table[0]) - 1))
    if titles:
        writer.writerow([""] * len(table[0]))
    for r, cells in enumerate(table):
        if blank_at is not None and r == blank_at:
            writer.writerow([])
        writer.writerow(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue().encode(encoding))     # cp932: raises if a character does not fit


def write_masters(folder: Path, year) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    projects = [["プロジェクトID", "連携地域", "プロジェクト名", "概要・目的", "表示順"]]
    measures = [["プロジェクトID", "施策名", "表示順", "別名"]]
    kpis = [["KPI_ID", "プロジェクトID", "指標名", "単位", "基準年度", "基準値", "目標年度", "目標値", "方向", "算定方法"]]
    for i, p in enumerate(year.projects):
        projects.append([p.pid, p.region + ("連携地域" if i % 4 == 1 else ""), p.name, p.purpose, str(p.order)])
        measures += [[p.pid, m, str(j + 1), a] for j, (m, a) in enumerate(p.measures)]
        for j, k in enumerate(p.kpis):
            kpis.append([k.kid, k.pid, k.indicator, k.unit, T.wareki(k.base_year, j), T.number_text(k.base_value, k.unit, j),
                         T.wareki(k.target_year, j + 1), T.number_text(k.target_value, k.unit, j + 1),
                         "" if k.direction == "増加" and j % 2 else k.direction,
                         "" if k.method == "達成率" and j % 2 else k.method])
    write_csv(folder / "projects.csv", [], projects, "utf-8-sig", None)
    write_csv(folder / "measures.csv", [], measures, "cp932", None)
    write_csv(folder / "kpis.csv", [], kpis, "utf-8", None)
    return {"master/projects.csv": len(projects) - 1, "master/measures.csv": len(measures) - 1,
            "master/kpis.csv": len(kpis) - 1}


def _title(year, owner: str) -> list[str]:
    return [f"{T.wareki(year.fiscal_year, 1)} プロジェクト推進管理表 提出様式（{owner}）", "作成：企画担当"]


def write_submission(folder: Path, year, index: int, rows: list[dict], kpis: list) -> int:
    """One submission file; returns its data rows (what the pipeline's manifest must count)."""
    f = year.files[index]
    path = folder / f.rel
    if f.fmt != "xlsx":
        table = initiative_table(rows, year, f.style)
        titles = _title(year, f.owner) if f.fmt == "cp932" else []
        encoding = {"utf8": "utf-8", "utf8bom": "utf-8-sig", "cp932": "cp932"}[f.fmt]
        write_csv(path, titles, table, encoding, 11 if f.style % 4 == 0 and len(table) > 11 else None)
        return len(rows)
    notes = ("_記入要領", [], [["取組表とKPI実績表を別々のシートに記入してください。"]])
    if f.kind == "muni":
        sheets = [("取組", _title(year, f.owner), initiative_table(rows, year, f.style))]
    elif f.kind == "bureau":
        past = [r for r in rows if r["section"] in ("実績", "課題")]
        plans = [r for r in rows if r["section"] not in ("実績", "課題")]
        sheets = [("取組（実績・課題）", _title(year, f.owner), initiative_table(past, year, f.style)),
                  ("取組（今年度・次年度）", _title(year, f.owner), initiative_table(plans, year, f.style + 1)),
                  ("KPI実績", _title(year, f.owner), kpi_table(kpis, f.style)), notes]
    else:
        sheets = [notes, ("取組", _title(year, f.owner), initiative_table(rows, year, f.style)),
                  ("KPI実績", [], kpi_table(kpis, f.style))]
    write_xlsx(path, sheets, numeric=f.style % 2 == 0)
    return len(rows) + sum(len(k.values) for k in kpis)


def write_year(folder: Path, year) -> dict:
    """inputs/<FY>: masters and every submission; returns counts for checking the pipeline's accounting."""
    per_file = {rel: n for rel, n in write_masters(folder / "master", year).items()}
    rows_of: dict[int, list] = {}
    for row in year.initiatives:
        rows_of.setdefault(row["file"], []).append(row)
    kpis_of: dict[int, list] = {}
    for project in year.projects:
        for kpi in project.kpis:
            kpis_of.setdefault(kpi.submitter, []).append(kpi)
    for index, f in enumerate(year.files):
        per_file["submissions/" + f.rel] = write_submission(folder / "submissions", year, index,
                                                           rows_of.get(index, []), kpis_of.get(index, []))
    kpi_rows = sum(len(k.values) for p in year.projects for k in p.kpis)
    return {"fiscal_year": year.fiscal_year, "projects": len(year.projects), "files": len(per_file),
            "initiatives": len(year.initiatives), "kpi_rows": kpi_rows,
            "kpis": sum(len(p.kpis) for p in year.projects), "rows_per_file": per_file}
