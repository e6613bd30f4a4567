"""Fixtures: the reference data, and a tiny inputs/<FY> tree written into tmp_path (tests/builders.py).

Every workbook a test writes is also checked with openxml-audit (tests/audit.py); the test
collecting the verdicts (marked `last`) runs after all others.
"""
from __future__ import annotations

import pytest

from tests import audit

audit.install()  # before the test modules import the writers

from pipeline.load import load_reference  # noqa: E402
from tests.builders import write_tree  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "last: runs after every other test (it checks what they wrote)")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


def pytest_sessionfinish(session):
    audit.stop()


@pytest.fixture(scope="session")
def ref():
    """The shipped reference data."""
    return load_reference()


@pytest.fixture
def tree(tmp_path):
    """tree({rel: content}) → the inputs folder of a tiny FY2019 tree with default masters."""
    return lambda files=None, fiscal_year=2019: write_tree(tmp_path, files or {}, fiscal_year)


@pytest.fixture(scope="session")
def hokkaido(tmp_path_factory):
    """The generator's k = 0.05 years (bench/generate.py) and the 2023 run over them (6 連携地域).

    Returns (inputs folder, the generator's counts by FY, outputs/2023, exit code, stdout, stderr).
    """
    import contextlib
    import io
    import sys
    from pathlib import Path

    from pipeline import cli

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import generate

    root = tmp_path_factory.mktemp("hokkaido")
    counts = generate.generate(root / "inputs", 0.05, 2023, years=2)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["sheet", "--fy", "2023", "--inputs", str(root / "inputs"), "--outputs", str(root / "outputs")])
    return root / "inputs", counts, root / "outputs" / "2023", code, out.getvalue(), err.getvalue()
