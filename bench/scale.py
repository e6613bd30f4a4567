"""The scale run of `make bench` (`make bench SCALE="0.25 1 4"`): the pipeline on a generated
Hokkaido-size year (bench/generate.py) against its floor (bench/floor.py), as ratios in one run.

For each scale k: one warm-up `pipeline sheet` (it tells the floor how many cells and CSV
bytes to write), then `pipeline sheet`, the floor and the import baseline
(`python -c "import pandas, pandera.pandas, xlsxwriter"`) interleaved, `runs` times each;
medians of wall time and of peak RSS (os.wait4: the child's own maximum resident set).

Targets (each a ratio within this run, never an absolute time):
  - pipeline ≤ 1.3 × floor (wall time, medians) at every k ≥ 1;
  - time per initiative row, (pipeline − import baseline) ÷ rows, within ±20 % from the
    smallest k to the largest (both must be in the run);
  - peak RSS ≤ 1.3 × the floor's at every k ≥ 1;
  - diff of two k = 1 years (2023 → 2024, whole-Hokkaido books) ≤ 2 × reading both
    books' data sheets with python-calamine (in the same interpreter, fresh processes);
  - 1,000 edited sentences under one heading: diff's initiative pairing, in-process (info:
    the issue asks for < 3 s; its result is checked against plain pairing in the tests).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "import pandas, pandera.pandas, xlsxwriter"
READ_CODE = (  # what diff must at least do: read the data sheets of both books (guarded, with the books' limits)
    "import sys, pandas\nfrom pipeline.load import xlsx_sheets\nfrom pipeline.xlsx.readback import DATA_SHEETS\n"
    "from pipeline.xlsx import labels as L\nfrom schemas.limits import read_limits\n"
    "for p in sys.argv[1:]:\n    xlsx_sheets(open(p, 'rb').read(), only=[*DATA_SHEETS, L.SHEET_SOURCES], "
    "limits=read_limits().for_books())\n")
FY = 2023


def timed(cmd: list[str], cwd: Path = ROOT) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MB, exit code) of one command, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss // 1024, proc.returncode


def output_size(folder: Path) -> tuple[int, list[int]]:
    """(cells in every workbook's sheets, [bytes of initiatives.csv, kpi.csv]) of a sheet run: the
    推進管理表 books and the 検証結果 books (written by the same run: the floor writes as many)."""
    cells = 0
    for book in sorted(folder.rglob("*.xlsx")):
        with zipfile.ZipFile(book) as z:
            cells += sum(z.read(n).count(b"<c ") for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    return cells, [(folder / n).stat().st_size for n in ("initiatives.csv", "kpi.csv")]


def interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, dict]:
    samples: dict[str, list] = {name: [] for name in commands}
    for i in range(runs):
        for name in (list(commands) if i % 2 == 0 else list(commands)[::-1]):
            wall, rss, code = timed(commands[name])
            if code != 0:
                raise RuntimeError(f"{name} exited {code}: {' '.join(commands[name])}")
            samples[name].append((wall, rss))
    return {name: {"wall": statistics.median(w for w, _ in s), "rss": statistics.median(r for _, r in s),
                   "min": min(w for w, _ in s)} for name, s in samples.items()}


def run_scale(python: str, k: float, runs: int, tmp: Path) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    inputs = tmp / f"k{k}"
    counts = generate(inputs, k, FY, years=2 if k == 1 else 1)
    warm = tmp / f"out{k}"
    sheet = [python, "-m", "pipeline", "sheet", "--fy", str(FY), "--inputs", str(inputs), "--outputs", str(warm)]
    _, _, code = timed(sheet)
    if code != 0:
        raise RuntimeError(f"pipeline sheet exited {code} at k={k}")
    cells, csv_bytes = output_size(warm / str(FY))
    floor = [python, str(ROOT / "bench" / "floor.py"), str(inputs / str(FY)), str(tmp / f"floor{k}"),
             "--cells", str(cells), "--csv-bytes", *map(str, csv_bytes)]
    result = interleaved({"pipeline": sheet, "floor": floor, "imports": [python, "-c", BASELINE]}, runs)
    rows = counts[FY]["initiatives"]
    result.update(k=k, rows=rows, files=counts[FY]["files"], cells=cells, inputs=str(inputs), out=str(warm),
                  per_row=(result["pipeline"]["wall"] - result["imports"]["wall"]) / rows)
    return result


def run_diff(python: str, result: dict, runs: int) -> dict:
    """diff of the two k = 1 years vs reading both books' data sheets (interleaved)."""
    inputs, out = Path(result["inputs"]), Path(result["out"])
    code = timed([python, "-m", "pipeline", "sheet", "--fy", str(FY + 1), "--inputs", str(inputs),
                  "--outputs", str(out)])[2]
    if code != 0:
        raise RuntimeError(f"pipeline sheet --fy {FY + 1} exited {code}")
    old, new = (str(out / str(y) / f"推進管理表_{y}.xlsx") for y in (FY, FY + 1))
    diff = [python, "-m", "pipeline", "diff", old, new, "--out", str(out / "diff.xlsx")]
    samples: dict[str, list] = {"diff": [], "read": []}
    for i in range(runs):
        for name in (("diff", "read") if i % 2 == 0 else ("read", "diff")):
            cmd = diff if name == "diff" else [python, "-c", READ_CODE, old, new]
            wall, _, code = timed(cmd)
            if code not in (0, 1):
                raise RuntimeError(f"{name} exited {code}")
            samples[name].append(wall)
    return {name: statistics.median(s) for name, s in samples.items()}


def similar_pairing_seconds() -> float:
    """In-process: 1,000 edited sentences under one heading through diff's initiative pairing."""
    import random

    import pandas as pd

    from pipeline.diff import initiative_changes

    rng = random.Random(11)
    sys.path.insert(0, str(ROOT / "bench"))
    import gentext

    def frame(texts):
        return pd.DataFrame([{"fiscal_year": 2023, "region": "道北", "project_id": "DOHOKU-01", "project": "P",
                              "section": "課題", "heading": "交流環境の整備", "text": t, "area": "", "actors": "",
                              "relisted": False, "order": None, "source_file": "f.csv", "source_sheet": "",
                              "source_row": i + 2} for i, t in enumerate(texts)])
    old = [gentext.sentence(rng, "観光") + f"（{i}）" for i in range(1000)]
    new = [gentext.edited(rng, t) for t in old]
    start = time.perf_counter()
    initiative_changes(frame(old), frame(new), cycle=False)
    return time.perf_counter() - start


def scale_report(python: str, scales: list[float], runs: int, limit: float = 1.3,
                 diff: bool = True) -> list[tuple[str, str, str]]:
    """Run every scale, print the table, return (target, PASS|FAIL|INFO, detail) verdicts."""
    verdicts = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        results = [run_scale(python, k, runs, Path(tmp)) for k in scales]
        print(f"{'k':>5} {'rows':>7} {'files':>5} {'cells':>9} {'pipeline s':>10} {'floor s':>8} {'ratio':>6} "
              f"{'RSS MB':>7} {'floor MB':>8} {'RSS ratio':>9} {'µs/row':>7}")
        for r in results:
            ratio, rss_ratio = r["pipeline"]["wall"] / r["floor"]["wall"], r["pipeline"]["rss"] / r["floor"]["rss"]
            print(f"{r['k']:>5} {r['rows']:>7,} {r['files']:>5} {r['cells']:>9,} {r['pipeline']['wall']:>10.2f} "
                  f"{r['floor']['wall']:>8.2f} {ratio:>6.2f} {r['pipeline']['rss']:>7} {r['floor']['rss']:>8} "
                  f"{rss_ratio:>9.2f} {r['per_row'] * 1e6:>7.0f}")
            judged = r["k"] >= 1
            verdicts.append((f"scale k={r['k']}: pipeline <= {limit}x floor", "PASS" if ratio <= limit else
                             ("FAIL" if judged else "INFO"), f"{ratio:.2f}x ({r['pipeline']['wall']:.1f} s / "
                                                             f"{r['floor']['wall']:.1f} s)"))
            verdicts.append((f"scale k={r['k']}: peak RSS <= {limit}x floor", "PASS" if rss_ratio <= limit else
                             ("FAIL" if judged else "INFO"), f"{rss_ratio:.2f}x ({r['pipeline']['rss']} MB / "
                                                             f"{r['floor']['rss']} MB)"))
        if len(results) > 1:
            low, high = results[0]["per_row"], results[-1]["per_row"]
            spread = high / low - 1
            verdicts.append((f"time per row k={results[0]['k']}→{results[-1]['k']} within ±20 %",
                             "PASS" if abs(spread) <= 0.2 else "FAIL", f"{spread:+.0%} ({low * 1e6:.0f} → "
                                                                       f"{high * 1e6:.0f} µs/row)"))
        one = next((r for r in results if r["k"] == 1), None)
        if one is not None and diff:
            d = run_diff(python, one, runs)
            ratio = d["diff"] / d["read"]
            print(f"diff 2023→2024 at k=1: {d['diff']:.2f} s; reading both books' data sheets: {d['read']:.2f} s")
            verdicts.append(("diff k=1 <= 2x reading the data sheets", "PASS" if ratio <= 2 else "FAIL",
                             f"{ratio:.2f}x ({d['diff']:.1f} s / {d['read']:.1f} s)"))
    if not diff:
        return verdicts
    seconds = similar_pairing_seconds()
    print(f"1,000 edits under one heading: initiative pairing {seconds:.2f} s (in-process)")
    verdicts.append(("1,000 edits under one heading < 3 s", "PASS" if seconds < 3 else "FAIL", f"{seconds:.2f} s"))
    return verdicts
