"""The layout keeps its shape: schemas/ below pipeline/, the writers import no domain stage,
modules and functions stay small (README, 開発者向け)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*ROOT.glob("pipeline/**/*.py"), *ROOT.glob("schemas/*.py")])
DOMAIN = {"build", "normalize", "validate", "tidy", "progress", "status", "report", "diff", "feedback",
          "templates", "jobs", "verify", "verify_job"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def imported_modules(path: Path) -> set[str]:
    """Absolute names of what a module imports (relative imports resolved against its package)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", [p for p in SOURCES if p.parts[-2] == "schemas"], ids=lambda p: p.name)
def test_schemas_import_nothing_of_the_pipeline(path):
    assert not [m for m in imported_modules(path) if m == "pipeline" or m.startswith("pipeline.")]


@pytest.mark.parametrize("path", sorted(ROOT.glob("pipeline/xlsx/*.py")), ids=lambda p: p.name)
def test_the_workbook_writers_import_no_domain_stage(path):
    # the 差分 workbook writes a Diff: its type, ACTIONS and char_changes
    allowed = {"pipeline.diff"} if path.name in ("diff_book.py", "diff_summary.py") else set()
    domain = {m for m in imported_modules(path) if m.split(".")[:2][-1] in DOMAIN and m.startswith("pipeline.")}
    assert {m for m in domain if not any(m == a or m.startswith(a + ".") for a in allowed)} == set()


def test_imported_modules_resolves_relative_imports():
    names = imported_modules(ROOT / "pipeline" / "xlsx" / "book.py")
    assert "pipeline.xlsx.labels" in names and "schemas.eras.long_title" in names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []


def test_diff_and_verify_start_without_pandera():
    """pandera (≈ 0.2 s to import) is for validating inputs; `diff` and `verify` read finished books
    (verify_job imports build only for --inputs, schemas/* import pandera where a schema is made)."""
    import subprocess
    import sys

    code = "import sys, pipeline.cli, pipeline.diff_job, pipeline.verify_job; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
