"""CSV rendering: encoding, columns, value formats, atomic writes."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from pipeline.model import KPI_COLUMNS
from pipeline.render import created_time, csv_bytes, csv_safe, csv_text
from schemas import columns as C
from schemas.cells import number_text


def test_number_text():
    assert [number_text(v) for v in (5949.0, 0.6045945945945946, math.nan, None, 12.5, 3)] == [
        "5949", "0.6045945945945946", "", "", "12.5", "3"]


def test_csv_is_utf8_with_bom_lf_and_lowercase_booleans():
    frame = pd.DataFrame({"text": ["＝1+1, \"引用\"\n二行目"], "relisted": [True], "order": pd.array([None], dtype="Int64")})
    columns = (C.Column("text", "text", "内容", 10, "data_wrap", ""), C.Column("relisted", "bool", "再掲", 6, "data_bool", ""),
               C.Column("order", "int", "順序", 6, "data_int", ""))
    data = csv_bytes(frame, columns)
    assert data == '\ufefftext,relisted,order\n"＝1+1, ""引用""\n二行目",true,\n'.encode("utf-8")


def test_kpi_header_is_the_contract():
    """The optional measured_year is left out while no row has one."""
    frame = pd.DataFrame({c: [] for c in KPI_COLUMNS})
    assert csv_bytes(frame, C.KPI).decode("utf-8-sig") == (
        "fiscal_year,kpi_id,project_id,indicator,unit,year,year_label,kind,value,progress,"
        "source_file,source_sheet,source_row\n")


def test_an_optional_column_is_written_when_a_row_has_a_value():
    row = {c: "" for c in KPI_COLUMNS} | {"year": 2021, "value": 38676.0, "measured_year": 2019,
                                         "progress": float("nan"), "fiscal_year": 2024, "source_row": 5}
    frame = pd.DataFrame([row, row | {"year": 2022, "measured_year": pd.NA}])
    lines = csv_bytes(frame, C.KPI).decode("utf-8-sig").splitlines()
    assert lines[0] == ("fiscal_year,kpi_id,project_id,indicator,unit,year,year_label,kind,value,measured_year,"
                        "progress,source_file,source_sheet,source_row")
    assert lines[1] == "2024,,,,,2021,,,38676,2019,,,,5"
    assert lines[2] == "2024,,,,,2022,,,38676,,,,,5"


def test_created_time_only_when_given():
    assert created_time({"SOURCE_DATE_EPOCH": "1577836800"}) == dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    assert created_time({}) is None and created_time({"SOURCE_DATE_EPOCH": "junk"}) is None
    # --date wins over SOURCE_DATE_EPOCH; without a zone it is UTC
    assert created_time({"SOURCE_DATE_EPOCH": "1577836800"}, dt.datetime(2020, 3, 31)) == \
        dt.datetime(2020, 3, 31, tzinfo=dt.timezone.utc)
    jst = dt.timezone(dt.timedelta(hours=9))
    assert created_time({}, dt.datetime(2020, 3, 31, 9, tzinfo=jst)) == dt.datetime(2020, 3, 31, 9, tzinfo=jst)



@pytest.mark.parametrize("text, written", [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("+1", "'+1"), ("-12人減少", "'-12人減少"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tタブ", "'\tタブ"), ("\r改行", "'\r改行"), ("'引用", "''引用"), ("交流会", "交流会"), ("", ""), ("＝全角", "＝全角"),
])
def test_csv_cells_that_excel_would_take_for_formulas_get_a_quote_and_come_back(text, written):
    assert csv_safe(text) == written
    assert csv_text(written) == text


def test_only_text_columns_are_neutralised():
    frame = pd.DataFrame({"year": [-1], "value": [-12.5], "text": ["=1+1"]})
    columns = (C.Column("year", "int", "年", 1, "s", ""), C.Column("value", "number", "値", 1, "s", ""),
               C.Column("text", "text", "内容", 1, "s", ""))
    assert csv_bytes(frame, columns).decode("utf-8-sig") == "year,value,text\n-1,-12.5,'=1+1\n"
