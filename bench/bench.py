"""Benchmark for `make sheet` — run with `make bench` (or `.venv/bin/python bench/bench.py`).

Every target is judged against a baseline measured in the same run (a ratio), or
against the in-process cost of one stage, never against an absolute wall time of
the whole command:

  1. `python -m pipeline sheet` on the sample, warm .venv, is within 1.3x of
     `python -c "import pandas, pandera.pandas, xlsxwriter"` (ratio of medians,
     the two commands interleaved).
  2. Writing the workbook (pipeline.xlsx.book.write_workbook) adds at most 0.3 s
     to the sample run (median of repeated in-process calls; the first call,
     which pays `import pipeline.xlsx.book` and any lazy imports, is shown too).
  3. Reading the sample xlsx: openpyxl / python-calamine (informational, ≈5x).

Also prints where one in-process run spends its time (load, recognise/validate,
tidy/progress, csv, workbook), by timing the functions build.run calls.

In-process measurements run in fresh subprocesses of this script (`--worker …`),
so import costs are not hidden by an already-warm interpreter.  Nothing in the
repository is written: outputs go to temporary folders.

Exit status: 0, or 1 when a target FAILs or cannot be measured (e.g. the pipeline
exits non-zero); `--no-fail` always exits 0.  Only the stdlib and the project's
own dependencies are used.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# As under `make sheet` (the Makefile unexports it): let Python cache bytecode, so the
# pipeline's own modules are not recompiled on every run (site-packages are compiled at install).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-JSON "          # prefix of the one result line a worker prints
BASELINE_CODE = "import pandas, pandera.pandas, xlsxwriter"
STAGES = ("imports", "load", "recognise/validate", "build.run glue", "tidy/progress", "csv", "versions()", "workbook")


# --------------------------------------------------------------------------- helpers

def default_python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:9.1f}"


def summary(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples)}


def table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def heading(text: str) -> None:
    print()
    print(text)
    print("=" * len(text))


def run_worker(args, kind: str, extra: list[str]) -> dict:
    """Run this script as `--worker kind` under the benchmarked interpreter; return its JSON."""
    cmd = [args.python, str(Path(__file__).resolve()), "--worker", kind,
           "--inputs", str(args.inputs), "--fy", str(args.fy), *extra]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
    return {"error": f"worker {kind} exited {proc.returncode}: " + " | ".join(tail)}


# --------------------------------------------------------------------------- workers (subprocesses)

class StageClock:
    """Wraps module functions; only the outermost timed call counts (no double counting)."""

    def __init__(self):
        self.totals: dict[str, float] = {}
        self.depth = 0

    def reset(self):
        self.totals = {}

    def wrap(self, fn, key: str):
        clock = self

        def timed(*a, **k):
            if clock.depth:
                return fn(*a, **k)
            clock.depth += 1
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                clock.totals[key] = clock.totals.get(key, 0.0) + time.perf_counter() - start
                clock.depth -= 1

        timed.__wrapped__ = fn
        timed.__name__ = getattr(fn, "__name__", "timed")
        return timed


def _instrument(clock: StageClock) -> None:
    """Time every public function of the stage modules build.run calls (patched in this process only)."""
    import inspect

    from pipeline import build, load, normalize, progress, report, status, tidy, validate

    plan = [(load, "load"), (normalize, "recognise/validate"), (validate, "recognise/validate"),
            (tidy, "tidy/progress"), (progress, "tidy/progress"), (status, "tidy/progress"),
            (report, "tidy/progress")]
    for module, stage in plan:
        for name, obj in list(vars(module).items()):
            if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_"):
                setattr(module, name, clock.wrap(obj, f"{stage}|{module.__name__.split('.')[-1]}.{name}"))
    for name in ("recognise_all", "manifest"):   # build's own public helpers called by build.run
        if inspect.isfunction(getattr(build, name, None)):
            setattr(build, name, clock.wrap(getattr(build, name), f"recognise/validate|build.{name}"))


def worker_stages(args) -> dict:
    """Per-stage breakdown: run 0 is the first run in a fresh process, then `--stage-reps` warm runs."""
    out: dict = {"runs": []}
    start = time.perf_counter()
    from pipeline import build, render
    imports = time.perf_counter() - start

    clock = StageClock()
    _instrument(clock)
    workbook_error = None
    write_workbook = None
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as tmp:
        for rep in range(1 + args.stage_reps):
            clock.reset()
            times = {"imports": imports if rep == 0 else 0.0}
            t = time.perf_counter()
            result = build.run(args.inputs, args.fy)
            run_total = time.perf_counter() - t
            if result.tables is None:
                return {"error": "build.run returned no tables"}
            functions = dict(clock.totals)
            for key, value in functions.items():
                stage = key.split("|")[0]
                times[stage] = times.get(stage, 0.0) + value
            times["build.run glue"] = run_total - sum(functions.values())

            t = time.perf_counter()
            render.initiatives_csv(result.tables)
            render.kpi_csv(result.tables)
            times["csv"] = time.perf_counter() - t

            t = time.perf_counter()
            versions, created = render.versions(), render.created_time()
            times["versions()"] = time.perf_counter() - t

            if workbook_error is None:
                t = time.perf_counter()
                try:
                    if write_workbook is None:
                        from pipeline.xlsx.book import write_workbook
                    write_workbook(result.tables, Path(tmp) / f"stages-{rep}.xlsx", versions=versions, created=created)
                    times["workbook"] = time.perf_counter() - t
                except Exception as exc:  # noqa: BLE001 — reported, the other stages still count
                    workbook_error = f"{type(exc).__name__}: {exc}"
            out["runs"].append({"stages": times, "functions": functions, "run_total": run_total})
    out["workbook_error"] = workbook_error
    return out


def worker_workbook(args) -> dict:
    """Target 2: one build.run, then import + first call + repeated calls of write_workbook."""
    from pipeline import build, render

    t = time.perf_counter()
    result = build.run(args.inputs, args.fy)
    run_once = time.perf_counter() - t
    versions, created = render.versions(), render.created_time()
    out = {"build_run": run_once}
    t = time.perf_counter()
    try:
        from pipeline.xlsx.book import write_workbook
    except Exception as exc:  # noqa: BLE001
        return {**out, "error": f"import pipeline.xlsx.book failed: {type(exc).__name__}: {exc}"}
    out["import"] = time.perf_counter() - t
    samples = []
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as tmp:
        for rep in range(1 + args.workbook_reps):
            path = Path(tmp) / f"{rep}-{render.workbook_name(args.fy)}"
            t = time.perf_counter()
            try:
                write_workbook(result.tables, path, versions=versions, created=created)
            except Exception as exc:  # noqa: BLE001
                return {**out, "error": f"write_workbook failed: {type(exc).__name__}: {exc}"}
            samples.append(time.perf_counter() - t)
            if rep == 0:
                out["size"] = path.stat().st_size
    out["first"] = samples[0]
    out["repeat"] = summary(samples[1:]) if len(samples) > 1 else summary(samples)
    return out


def worker_xlsx(args) -> dict:
    """Target 3: read every sample xlsx (all sheets, header=None, dtype=object) with both engines."""
    import io

    import pandas as pd

    folder = args.inputs / str(args.fy) / "submissions"
    paths = sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith((".", "~$")))
    if not paths:
        return {"error": f"no .xlsx under {folder}"}
    blobs = [p.read_bytes() for p in paths]   # from memory: disk is not what is compared

    def read_all(engine: str) -> list:
        return [pd.read_excel(io.BytesIO(b), sheet_name=None, header=None, dtype=object, engine=engine)
                for b in blobs]

    engines = ("calamine", "openpyxl")
    first, shapes, samples = {}, {}, {e: [] for e in engines}
    for engine in engines:
        t = time.perf_counter()
        books = read_all(engine)     # warm-up: pays the engine's import
        first[engine] = time.perf_counter() - t
        shapes[engine] = [{name: list(frame.shape) for name, frame in book.items()} for book in books]
    for rep in range(args.xlsx_reps):
        for engine in (engines if rep % 2 == 0 else engines[::-1]):
            t = time.perf_counter()
            read_all(engine)
            samples[engine].append(time.perf_counter() - t)
    return {"files": len(paths), "sheets": sum(len(s) for s in shapes["calamine"]),
            "bytes": sum(map(len, blobs)), "first": first,
            "repeat": {e: summary(s) for e, s in samples.items()},
            "same_shapes": shapes["calamine"] == shapes["openpyxl"]}


WORKERS = {"stages": worker_stages, "workbook": worker_workbook, "xlsx": worker_xlsx}


# --------------------------------------------------------------------------- driver

def time_command(cmd: list[str], outputs: Path | None) -> tuple[float, subprocess.CompletedProcess]:
    if outputs is not None:
        cmd = [*cmd, "--outputs", str(outputs)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def target_sheet(args) -> dict:
    """Target 1: the full command vs the import baseline, interleaved (order alternates)."""
    commands = {
        "sheet": [args.python, "-m", "pipeline", "sheet", "--fy", str(args.fy), "--inputs", str(args.inputs)],
        "baseline": [args.python, "-c", BASELINE_CODE],
        # The same job without what pipeline/__main__.py adds (GC threshold, no teardown): informational.
        "plain": [args.python, "-c", "import sys; from pipeline.cli import main; "
                  f"sys.exit(main(['sheet', '--fy', '{args.fy}', '--inputs', {str(args.inputs)!r}, *sys.argv[1:]]))"],
        "startup": [args.python, "-c", "pass"],
    }
    samples = {name: [] for name in commands}
    failure = None
    with tempfile.TemporaryDirectory(prefix="bench-sheet-") as tmp:
        for i in range(args.warmup + args.runs):
            order = list(commands) if i % 2 == 0 else list(commands)[::-1]
            for name in order:
                outputs = Path(tmp) / f"{name}{i}" if name in ("sheet", "plain") else None
                elapsed, proc = time_command(commands[name], outputs)
                if proc.returncode != 0 and failure is None:
                    last = (proc.stderr.strip().splitlines() or ["(no stderr)"])[-1]
                    failure = f"`{' '.join(commands[name][1:])}` exited {proc.returncode}: {last}"
                if i >= args.warmup:
                    samples[name].append(elapsed)
    result = {name: summary(s) for name, s in samples.items()}
    result["ratio"] = result["sheet"]["median"] / result["baseline"]["median"]
    result["ratio_min"] = result["sheet"]["min"] / result["baseline"]["min"]
    result["ratio_plain"] = result["plain"]["median"] / result["baseline"]["median"]
    result["error"] = failure
    return result


def verdict(ok: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "ERROR"}[ok]


INFO = "INFO"   # an informational row: never fails the run


def versions_line(python: str) -> str:
    code = ("import importlib.metadata as m, platform;"
            "names=['pandas','pandera','xlsxwriter','python-calamine','openpyxl','numpy'];"
            "print(platform.python_version(), *[n+' '+m.version(n) for n in names], sep=', ')")
    proc = subprocess.run([python, "-c", code], cwd=ROOT, capture_output=True, text=True)
    return proc.stdout.strip() or proc.stderr.strip()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark of `make sheet` (targets as ratios to in-run baselines).")
    p.add_argument("--runs", type=int, default=9, help="timed runs per command for target 1 (default 9)")
    p.add_argument("--warmup", type=int, default=1, help="untimed warm-up runs per command (default 1)")
    p.add_argument("--workbook-reps", type=int, default=10, help="timed write_workbook calls after the first (default 10)")
    p.add_argument("--xlsx-reps", type=int, default=10, help="timed read passes per engine (default 10)")
    p.add_argument("--stage-reps", type=int, default=5, help="warm in-process runs for the breakdown (default 5)")
    p.add_argument("--fy", type=int, default=2019, help="fiscal year of the sample (default 2019)")
    p.add_argument("--inputs", type=Path, default=Path("inputs"), help="inputs folder, relative to the repo (default inputs)")
    p.add_argument("--python", default=default_python(), help="interpreter to benchmark (default .venv/bin/python)")
    p.add_argument("--ratio-limit", type=float, default=1.3, help="target 1 limit (default 1.3)")
    p.add_argument("--workbook-limit", type=float, default=0.3, help="target 2 limit in seconds (default 0.3)")
    p.add_argument("--no-fail", action="store_true", help="always exit 0, even when a target fails")
    p.add_argument("--scale", type=float, nargs="*", default=[],
                   help="scale run at these k (bench/scale.py), e.g. --scale 0.25 1 4; none by default")
    p.add_argument("--scale-runs", type=int, default=3, help="interleaved runs per command in the scale run (default 3)")
    p.add_argument("--scale-only", action="store_true", help="only the scale run (not the sample targets)")
    p.add_argument("--scale-no-diff", action="store_true", help="scale run without the diff targets")
    p.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.runs < 1 or args.warmup < 0 or args.workbook_reps < 0 or args.xlsx_reps < 1 or args.stage_reps < 0:
        p.error("--runs and --xlsx-reps must be >= 1; the other counts >= 0")

    if args.worker:
        os.chdir(ROOT)
        print(MARK + json.dumps(WORKERS[args.worker](args)))
        return 0

    print("make bench — suishin-kanrihyo pipeline")
    print(f"python: {args.python}")
    print(f"versions: {versions_line(args.python)}")
    print(f"host: {platform.platform()}, {os.cpu_count()} CPUs")
    workbook_py = ROOT / "pipeline" / "xlsx" / "book.py"
    print(f"sample: {args.inputs}/{args.fy}; pipeline/xlsx/book.py {'present' if workbook_py.exists() else 'MISSING'}")
    verdicts: list[tuple[str, str, str]] = []   # (target, PASS | FAIL | ERROR | INFO, detail)
    if not args.scale_only:
        sample_targets(args, verdicts)
    if args.scale:
        heading(f"4. scale run: generated Hokkaido years vs the floor  (k = {', '.join(map(str, args.scale))}; "
                f"{args.scale_runs} interleaved runs each)")
        from scale import scale_report

        try:
            verdicts += scale_report(args.python, sorted(args.scale), args.scale_runs, args.ratio_limit,
                                     diff=not args.scale_no_diff)
        except RuntimeError as exc:
            print(f"ERROR: {exc}")
            verdicts.append(("4. scale run", "ERROR", str(exc)))

    # ---- summary
    heading("Summary")
    print(table(["target", "result", "detail"], [list(v) for v in verdicts]))
    failed = [name for name, status, _ in verdicts if status not in ("PASS", INFO)]
    if failed:
        print(f"not passed: {', '.join(failed)}" + ("  (--no-fail: exit 0)" if args.no_fail else "  → exit 1"))
    if failed and not args.no_fail:
        return 1
    return 0


def sample_targets(args, verdicts: list) -> None:
    """Targets 1–3 and the stage breakdown, on the shipped sample."""

    # ---- target 1
    heading(f"1. make sheet vs import baseline  ({args.warmup} warm-up + {args.runs} runs each, interleaved)")
    t1 = target_sheet(args)
    rows = [["python -m pipeline sheet (sample)", ms(t1["sheet"]["median"]), ms(t1["sheet"]["min"]), ms(t1["sheet"]["max"])],
            [f'python -c "{BASELINE_CODE}"', ms(t1["baseline"]["median"]), ms(t1["baseline"]["min"]), ms(t1["baseline"]["max"])],
            ["same job via cli.main, default GC + teardown (info)", ms(t1["plain"]["median"]), ms(t1["plain"]["min"]),
             ms(t1["plain"]["max"])],
            ['python -c "pass"  (interpreter start, info)', ms(t1["startup"]["median"]), ms(t1["startup"]["min"]), ms(t1["startup"]["max"])]]
    print(table(["command (wall time)", "median ms", "min ms", "max ms"], rows, {1, 2, 3}))
    ok1 = None if t1["error"] else t1["ratio"] <= args.ratio_limit
    detail1 = f"ratio of medians {t1['ratio']:.2f}x (limit {args.ratio_limit}x); ratio of mins {t1['ratio_min']:.2f}x"
    print(detail1)
    print(f"pipeline beyond the baseline: {(t1['sheet']['median'] - t1['baseline']['median']) * 1000:.1f} ms (median)")
    print(f"info: without pipeline/__main__.py's GC threshold and skipped teardown the ratio would be "
          f"{t1['ratio_plain']:.2f}x")
    if t1["error"]:
        print(f"ERROR: {t1['error']}")
        detail1 += "; the command failed, so it is not a valid run"
    verdicts.append((f"1. make sheet <= {args.ratio_limit}x import baseline", verdict(ok1), detail1))

    # ---- target 2
    heading(f"2. workbook writing in-process  (1 first call + {args.workbook_reps} repeats)")
    t2 = run_worker(args, "workbook", ["--workbook-reps", str(args.workbook_reps)])
    if "build_run" in t2:
        print(f"build.run once (context, fresh process): {t2['build_run'] * 1000:.1f} ms")
    if t2.get("error"):
        print(f"ERROR: {t2['error']}")
        verdicts.append((f"2. workbook adds <= {args.workbook_limit} s", "ERROR", t2["error"]))
    else:
        cold = t2["import"] + t2["first"]
        rows = [["import pipeline.xlsx.book", ms(t2["import"])],
                ["first write_workbook call", ms(t2["first"])],
                ["import + first call (what one make sheet pays)", ms(cold)],
                [f"repeat calls: median (n={t2['repeat']['n']})", ms(t2["repeat"]["median"])],
                ["repeat calls: min", ms(t2["repeat"]["min"])]]
        print(table(["write_workbook", "ms"], rows, {1}))
        print(f"workbook size: {t2['size']:,} bytes")
        ok2 = t2["repeat"]["median"] <= args.workbook_limit
        detail2 = f"median {t2['repeat']['median']:.3f} s (limit {args.workbook_limit} s); first call incl. import {cold:.3f} s"
        if ok2 and cold > args.workbook_limit:
            detail2 += " — NOTE: the cold first call is over the limit"
        print(detail2)
        verdicts.append((f"2. workbook adds <= {args.workbook_limit} s", verdict(ok2), detail2))

    # ---- target 3 (informational)
    heading(f"3. xlsx reading: openpyxl vs python-calamine  ({args.xlsx_reps} passes each, interleaved)")
    t3 = run_worker(args, "xlsx", ["--xlsx-reps", str(args.xlsx_reps)])
    if t3.get("error"):
        print(f"ERROR: {t3['error']}")
        verdicts.append(("3. xlsx read openpyxl/calamine", "ERROR", t3["error"]))
    else:
        print(f"{t3['files']} files, {t3['sheets']} sheets, {t3['bytes']:,} bytes; "
              "pd.read_excel(sheet_name=None, header=None, dtype=object), per pass over all files")
        rows = [[e, ms(t3["first"][e]), ms(t3["repeat"][e]["median"]), ms(t3["repeat"][e]["min"])]
                for e in ("calamine", "openpyxl")]
        print(table(["engine", "1st pass ms", "median ms", "min ms"], rows, {1, 2, 3}))
        ratio3 = t3["repeat"]["openpyxl"]["median"] / t3["repeat"]["calamine"]["median"]
        detail3 = f"openpyxl / calamine = {ratio3:.1f}x (medians; expected ≈5x)"
        if not t3["same_shapes"]:
            detail3 += " — NOTE: the engines returned different sheet shapes"
        print(detail3)
        verdicts.append(("3. xlsx read openpyxl/calamine", INFO, detail3))

    # ---- breakdown
    heading(f"Stage breakdown of one in-process run  (fresh process: 1st run + {args.stage_reps} warm runs)")
    br = run_worker(args, "stages", ["--stage-reps", str(args.stage_reps)])
    if br.get("error"):
        print(f"ERROR: {br['error']}")
    else:
        first, warm = br["runs"][0], br["runs"][1:]

        def warm_median(getter) -> float | None:
            values = [getter(r) for r in warm]
            values = [v for v in values if v is not None]
            return statistics.median(values) if values else None

        total_first = sum(first["stages"].values())
        total_warm = warm_median(lambda r: sum(r["stages"].values()))
        rows = []
        for stage in STAGES:
            if stage not in first["stages"]:
                continue
            f, w = first["stages"][stage], warm_median(lambda r: r["stages"].get(stage))
            rows.append([stage, ms(f), f"{f / total_first:6.1%}", ms(w) if stage != "imports" else "-",
                         f"{w / total_warm:6.1%}" if w is not None and total_warm and stage != "imports" else "-"])
            for key in sorted(first["functions"], key=lambda k: -first["functions"][k]):
                if key.split("|")[0] == stage:
                    wf = warm_median(lambda r: r["functions"].get(key))
                    rows.append(["    " + key.split("|")[1], ms(first["functions"][key]), "", ms(wf), ""])
        rows.append(["total (in-process)", ms(total_first), "", ms(total_warm), ""])
        print(table(["stage / function", "1st run ms", "share", "warm ms", "share"], rows, {1, 2, 3, 4}))
        print("imports = `from pipeline import build, render` (pandas, pandera, schemas); "
              "1st run includes lazy imports (python-calamine, xlsxwriter, pipeline.xlsx).")
        if br.get("workbook_error"):
            print(f"workbook stage skipped: {br['workbook_error']}")
        ranked = sorted(((s, v) for s, v in first["stages"].items()), key=lambda sv: -sv[1])[:3]
        print("largest in the 1st run: " + ", ".join(f"{s} {v * 1000:.0f} ms" for s, v in ranked))



if __name__ == "__main__":
    sys.exit(main())
