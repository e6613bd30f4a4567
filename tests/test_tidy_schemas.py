"""schemas.tidy and schemas.columns: the tidy frames of a real run, and of a workbook read back,
match the column declarations; a wrong frame is refused."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from pipeline.model import INITIATIVE_COLUMNS, KPI_COLUMNS
from pipeline.report import kpi_with_status
from schemas import columns as C
from schemas import tidy as T
from tests.builders import seed_tables

FRAMES = (("initiatives", T.INITIATIVES), ("kpi", T.KPI), ("projects", T.PROJECTS), ("measures", T.MEASURES),
          ("kpis", T.KPI_MASTER), ("manifest", T.MANIFEST))


@pytest.mark.parametrize("attr, schema", FRAMES)
def test_the_sample_years_frames_match_their_declarations(attr, schema):
    schema.validate(getattr(seed_tables(), attr))


def test_kpi_csv_frame_matches_its_declaration():
    tables = seed_tables()
    T.KPI_CSV.validate(kpi_with_status(tables.kpi, tables.report.statuses))


def test_column_tuples_of_the_model_come_from_the_declarations():
    assert INITIATIVE_COLUMNS == (
        "fiscal_year", "region", "project_id", "project", "section", "heading", "text", "area", "actors",
        "relisted", "order", "source_file", "source_sheet", "source_row")
    assert KPI_COLUMNS == (
        "fiscal_year", "kpi_id", "project_id", "indicator", "unit", "year", "year_label", "kind", "value",
        "measured_year", "progress", "source_file", "source_sheet", "source_row")
    assert C.names(C.KPI_CSV) == (*KPI_COLUMNS, "kpi_status", "grade")


def test_every_declaration_is_complete():
    for table in (C.INITIATIVES, C.KPI, C.KPI_CSV, C.PROJECTS, C.MEASURES, C.KPI_MASTER, C.MANIFEST):
        assert len({c.name for c in table}) == len(table)
        for column in table:
            assert column.dtype in C.DTYPES and column.header and column.width > 0 and column.description
            assert (column.labels is not None) == (column.dtype == "code")


def test_a_wrong_frame_is_refused():
    frame = seed_tables().initiatives.assign(relisted=lambda f: f["relisted"].map({True: "○", False: ""}))
    with pytest.raises(pa.errors.SchemaError):
        T.INITIATIVES.validate(frame)
    with pytest.raises(pa.errors.SchemaError):
        T.INITIATIVES.validate(seed_tables().initiatives.assign(area=None))
    with pytest.raises(pa.errors.SchemaError):
        T.KPI.validate(seed_tables().kpi.assign(kind="実績値"))
    with pytest.raises(pa.errors.SchemaError):
        T.PROJECTS.validate(seed_tables().projects.drop(columns=["purpose"]))


def test_empty_frames_of_the_declared_columns_validate():
    empty = pd.DataFrame({c.name: pd.Series(dtype=float if c.dtype in ("number", "rate") else
                                            bool if c.dtype == "bool" else object) for c in C.KPI})
    T.KPI.validate(empty)
