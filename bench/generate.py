"""A deterministic, valid Hokkaido-size input year at scale k (and the next year), for `make bench`.

    .venv/bin/python bench/generate.py --k 1 --out /tmp/hokkaido     # writes /tmp/hokkaido/2023, /2024

At k = 1: 6 連携地域, 58 projects, ~30,500 initiative rows, ~290 KPIs × ~9 years, ~206 files
(本庁 departments, 14 振興局, 市町村). Projects, rows and KPIs grow with k, files with √k.
Every format docs/入力仕様.md allows is used: xlsx with title rows and several sheets (one
`_記入要領` sheet, the template's own: skipped silently), UTF-8 CSV with and without BOM, CP932 CSV with a
title row, header aliases and shuffled columns, an unused column (warned), blank rows,
wareki years, Japanese numbers (5,949 / ５，９４９ / 5,949人 / △12), 未確定 actuals (warned),
再掲 marks, long 区分 titles, 別名 headings (warned), IDs in full width and projects by name.
The next year carries 次年度 → 今年度 and 今年度 → 実績, edits, removes and adds
sentences, revises some past KPI actuals and fills the 未確定 ones.

Same k and fy → the same bytes.  `generate` returns what was written per year, so a
test can check that every row is accounted for (bench/genwrite.py writes the files).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gentext as T  # noqa: E402
import genwrite as W  # noqa: E402

ROWS_AT_1 = 30_500
FILES_AT_1 = 206
KPIS_PER_PROJECT = 5
SECTIONS = (("実績", 0.30), ("課題", 0.15), ("今年度", 0.30), ("次年度", 0.25))


@dataclass
class Kpi:
    kid: str
    pid: str
    indicator: str
    unit: str
    base_year: int
    base_value: float
    target_year: int
    target_value: float
    direction: str
    method: str
    submitter: int                      # index into the file list
    values: dict = field(default_factory=dict)   # year → value (None: 未確定)


@dataclass
class Project:
    pid: str
    region: str
    name: str
    purpose: str
    order: int
    theme: str
    measures: list                      # [(施策名, 別名 or "")]
    issues: list                        # 課題 headings
    files: list                         # indices of the files that may submit for it
    kpis: list = field(default_factory=list)


@dataclass
class SubmissionFile:
    rel: str                            # path under submissions/
    kind: str                           # dept | bureau | muni
    fmt: str                            # xlsx | utf8 | utf8bom | cp932
    owner: str                          # the submitter's name
    bureau: str                         # 振興局 short name ("" for 本庁)
    style: int                          # varies headers, columns and cell spellings


@dataclass
class Year:
    fiscal_year: int
    projects: list
    files: list
    initiatives: list                   # dicts: pid section heading text area actors relisted order file
    counts: dict = field(default_factory=dict)


def _scaled(base: int, k: float) -> int:
    return max(1, round(base * k))


def plan_files(k: float) -> list[SubmissionFile]:
    """本庁 departments, the 14 振興局 and as many 市町村 files as √k asks (parts beyond 179)."""
    files = [SubmissionFile(f"本庁/{d}.xlsx", "dept", "xlsx", f"本庁{d}", "", i) for i, d in enumerate(T.DEPARTMENTS)]
    bureaus = [b for _, _, _, bs in T.REGIONS for b, _ in bs]
    files += [SubmissionFile(f"{T.bureau_name(b)}.xlsx", "bureau", "xlsx", T.bureau_name(b), b, i)
              for i, b in enumerate(bureaus)]
    wanted = max(0, round(FILES_AT_1 * math.sqrt(k)) - len(files))
    towns = [(b, n) for _, _, _, bs in T.REGIONS for b, n in bs]
    order = [(b, j) for j in range(max(n for _, n in towns)) for b, n in towns if j < n]   # round-robin
    fmts = ("utf8", "utf8bom", "cp932", "xlsx", "utf8", "cp932", "xlsx", "utf8bom", "cp932", "xlsx")
    for i in range(wanted):
        bureau, j = order[i % len(order)]
        part = i // len(order)
        fmt = fmts[i % len(fmts)]
        owner = f"{bureau}{j + 1:02d}町"
        name = owner + (f"_{part + 1}" if part else "")
        folder = f"{T.bureau_name(bureau)}管内/"
        files.append(SubmissionFile(folder + name + (".xlsx" if fmt == "xlsx" else ".csv"), "muni", fmt, owner,
                                    bureau, i))
    return files


def _kpi(rng: random.Random, project: Project, index: int, fy: int, submitter: int) -> Kpi:
    unit = T.UNITS[(index + len(project.pid)) % len(T.UNITS)]
    base_year = 2014 + rng.randint(0, 3)
    target_year = 2025
    decimals = 1 if unit == "10万人当たり" else 0
    base = round(rng.uniform(5, 50) if decimals else rng.uniform(50, 20000), decimals)
    direction, method = ("減少", "達成率") if index == 3 else ("増加", "改善率" if index == 4 else "達成率")
    if index == 4 and int(project.pid[-2:]) % 4 == 0:
        base = -round(rng.uniform(10, 90))          # a 収支: negative base, written with △
    target = round(base * 0.8, decimals) if direction == "減少" else round(abs(base) * 1.3 + 10, decimals)
    indicator = f"{project.name}の{T.INDICATORS[(index * 3 + len(project.name)) % len(T.INDICATORS)]}（指標{index + 1}）"
    kpi = Kpi(f"{project.pid}-K{index + 1}", project.pid, indicator, unit, base_year, base, target_year, target,
              direction, method, submitter)
    value = base
    for year in range(base_year + 1, fy + 1):
        value = round(value + (target - base) / 11 * rng.uniform(0.2, 1.8), decimals)
        kpi.values[year] = value
    if rng.random() < 0.1:
        kpi.values[fy] = None                        # 未確定: a warning, no value
    return kpi


def plan_projects(rng: random.Random, k: float, fy: int, files: list[SubmissionFile]) -> list[Project]:
    projects = []
    depts = [i for i, f in enumerate(files) if f.kind == "dept"]
    for r, (region, prefix, base, bureaus) in enumerate(T.REGIONS):
        short = {b for b, _ in bureaus}
        local = [i for i, f in enumerate(files) if f.bureau in short]
        for n in range(_scaled(base, k)):
            theme = T.THEMES[(n + r * 5) % len(T.THEMES)]
            tail = T.PROJECT_TAILS[(n // len(T.THEMES)) % len(T.PROJECT_TAILS)]
            name = f"{region}{theme}{tail}" + (f"（第{n // 90 + 1}期）" if n >= 90 else "")
            pid = f"{prefix}-{n + 1:02d}"
            heads = rng.sample(T.MEASURE_HEADS, rng.randint(3, 5))
            measures = [(theme + h, (theme + h + "等") if j == 0 and n % 3 == 0 else "") for j, h in enumerate(heads)]
            project = Project(pid, region, name, T.purpose(rng, region, theme), n + 1, theme, measures,
                              rng.sample(T.ISSUE_HEADINGS, 3), local + depts[r % len(depts):][:1])
            bureau_files = [i for i in local if files[i].kind == "bureau"]
            project.kpis = [_kpi(rng, project, j, fy, (bureau_files[j % len(bureau_files)] if j % 2 == 0
                                                       else depts[(n + j) % len(depts)]))
                            for j in range(KPIS_PER_PROJECT)]
            projects.append(project)
    return projects


def _initiative(rng: random.Random, project: Project, files: list, section: str) -> dict:
    file = rng.choice(project.files)
    if section == "課題":
        heading = rng.choice(project.issues + [""])
        text = T.issue_sentence(rng, project.theme)
    else:
        heading = rng.choice(project.measures)[0]
        text = T.sentence(rng, project.theme)
    bureau = files[file].bureau
    areas = ["", "連携地域"] + ([bureau, bureau + "地域", T.bureau_name(bureau)] if bureau else [])
    return {"pid": project.pid, "section": section, "heading": heading, "text": text,
            "area": rng.choice(areas), "actors": rng.choice(T.ACTORS), "relisted": rng.random() < 0.03,
            "order": rng.randint(1, 20) if rng.random() < 0.7 else None, "file": file}


def first_year(k: float, fy: int) -> Year:
    rng = random.Random(f"hokkaido-{float(k)}-{fy}")   # 1 and 1.0: the same year
    files = plan_files(k)
    projects = plan_projects(rng, k, fy, files)
    total = round(ROWS_AT_1 * k)
    weights = [rng.uniform(0.7, 1.3) for _ in projects]
    scale = total / sum(weights)
    rows = []
    for project, weight in zip(projects, weights):
        for _ in range(round(weight * scale)):
            section = rng.choices([s for s, _ in SECTIONS], [w for _, w in SECTIONS])[0]
            rows.append(_initiative(rng, project, files, section))
    return Year(fy, projects, files, rows)


def next_year(year: Year) -> Year:
    """The following year: the yearly cycle, edits, removals, additions and KPI revisions."""
    rng = random.Random(f"next-{year.fiscal_year}-{len(year.initiatives)}")
    fy = year.fiscal_year + 1
    by_pid = {p.pid: p for p in year.projects}
    rows = []
    for row in year.initiatives:
        draw = rng.random()
        if row["section"] == "実績" or draw < 0.05:
            continue                                    # past results leave the table; some sentences go
        moved = {"次年度": "今年度", "今年度": "実績"}.get(row["section"], row["section"])
        text = T.edited(rng, row["text"]) if draw > 0.9 else row["text"]
        rows.append({**row, "section": moved, "text": text})
        if row["section"] == "次年度":                  # and a new plan for the year after
            rows.append(_initiative(rng, by_pid[row["pid"]], year.files, "次年度"))
    for project in year.projects:
        for _ in range(max(1, len(rows) // len(year.projects) // 50)):
            rows.append(_initiative(rng, project, year.files, rng.choice(("課題", "今年度"))))
        for kpi in project.kpis:
            for y in list(kpi.values):
                if kpi.values[y] is None or rng.random() < 0.03:    # 未確定 → known; a revised figure
                    kpi.values[y] = round((kpi.values.get(y - 1) or kpi.base_value) * rng.uniform(1.0, 1.1),
                                          1 if kpi.unit == "10万人当たり" else 0)
            kpi.values[fy] = round((kpi.values[fy - 1]) * rng.uniform(0.95, 1.15), 1 if kpi.unit == "10万人当たり" else 0)
    for project in year.projects[::7]:
        project.purpose += "\nなお、令和６年度から重点取組を見直しています。"
    return Year(fy, year.projects, year.files, rows)


def generate(root: Path, k: float, fy: int = 2023, years: int = 2) -> dict:
    """Write `years` consecutive years under root/<fy>/…; returns {fy: counts} (see genwrite.write_year)."""
    year = first_year(k, fy)
    written = {}
    for n in range(years):
        if n:
            year = next_year(year)
        written[year.fiscal_year] = W.write_year(root / str(year.fiscal_year), year)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Generate a valid Hokkaido-size input year (and the next) at scale k.")
    p.add_argument("--k", type=float, default=1.0, help="scale (1 ≈ all of Hokkaido: 30,500 initiative rows)")
    p.add_argument("--fy", type=int, default=2023, help="first fiscal year (default 2023)")
    p.add_argument("--years", type=int, default=2, help="consecutive years to write (default 2)")
    p.add_argument("--out", type=Path, required=True, help="inputs folder to write into (…/<fy>/master, submissions)")
    args = p.parse_args(argv)
    written = generate(args.out, args.k, args.fy, args.years)
    print(json.dumps({fy: {k: v for k, v in c.items() if k != "rows_per_file"} for fy, c in written.items()},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
