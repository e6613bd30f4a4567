"""Shared helpers: a tiny inputs/<FY> tree written into tmp_path."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pipeline.load import load_reference

PROJECTS = """プロジェクトID,連携地域,プロジェクト名,概要・目的,表示順
P1,道北,交流プロジェクト,交流を進めます。,1
"""
MEASURES = """プロジェクトID,施策名,表示順,別名
P1,施策A,1,施策エー
P1,施策B,2,
"""
KPIS = """KPI_ID,プロジェクトID,指標名,単位,基準年度,基準値,目標年度,目標値,方向,算定方法
K1,P1,来訪者数,人,H26,100,R2,200,,
K2,P1,待ち日数,日,H26,50,R2,10,減少,改善率
"""
INITIATIVE_HEADER = "プロジェクト,区分,見出し,内容,年度,地域,実施主体,再掲,順序\n"
KPI_HEADER = "KPI,年度,実績値\n"


def write_tree(root: Path, files: dict, fiscal_year: int = 2019) -> Path:
    """Write inputs/<FY>/…: str values as UTF-8 with BOM, bytes as they are; None removes a default."""
    base = root / "inputs" / str(fiscal_year)
    defaults = {"master/projects.csv": PROJECTS, "master/measures.csv": MEASURES, "master/kpis.csv": KPIS}
    for rel, content in {**defaults, **files}.items():
        if content is None:
            continue
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8-sig"))
    return root / "inputs"


def csv_rows(data: bytes) -> list[dict]:
    """The records of a tidy CSV (initiatives.csv / kpi.csv bytes), which must start with a BOM."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture(scope="session")
def ref():
    """The shipped reference data."""
    return load_reference()


@pytest.fixture
def tree(tmp_path):
    """tree({rel: content}) → the inputs folder of a tiny FY2019 tree with default masters."""
    return lambda files=None, fiscal_year=2019: write_tree(tmp_path, files or {}, fiscal_year)
