"""Fixtures: the reference data, and a tiny inputs/<FY> tree written into tmp_path (tests/builders.py)."""
from __future__ import annotations

import pytest

from pipeline.load import load_reference
from tests.builders import write_tree


@pytest.fixture(scope="session")
def ref():
    """The shipped reference data."""
    return load_reference()


@pytest.fixture
def tree(tmp_path):
    """tree({rel: content}) → the inputs folder of a tiny FY2019 tree with default masters."""
    return lambda files=None, fiscal_year=2019: write_tree(tmp_path, files or {}, fiscal_year)
