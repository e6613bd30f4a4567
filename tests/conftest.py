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
