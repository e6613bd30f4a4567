"""Rows of a frame as dicts, one at a time (pipeline/rows.py)."""
from __future__ import annotations

import math

import pandas as pd

from pipeline.rows import each_row


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"text": pd.Series(["a", "", None], dtype=object), "n": [3, 1, 2], "x": [0.5, float("nan"), 2.0],
                         "flag": [True, False, True], "order": pd.array([1, None, 3], dtype="Int64")})


def test_each_row_gives_the_values_to_dict_gives():
    rows = list(each_row(_frame()))
    expected = _frame().to_dict("records")
    assert [r.keys() for r in rows] == [e.keys() for e in expected]
    assert rows[0] == {"text": "a", "n": 3, "x": 0.5, "flag": True, "order": 1}
    assert type(rows[0]["n"]) is int and type(rows[0]["flag"]) is bool   # Python values, not numpy's
    assert rows[1]["text"] == "" and math.isnan(rows[1]["x"]) and rows[1]["order"] is pd.NA
    assert rows[2]["text"] is None and rows[2]["order"] == 3


def test_each_row_in_a_given_order():
    assert [r["n"] for r in each_row(_frame(), order=[2, 0, 1])] == [2, 3, 1]
    assert [r["n"] for r in each_row(_frame(), order=[])] == []


def test_an_empty_frame_has_no_rows():
    assert list(each_row(pd.DataFrame({"a": []}))) == []
    assert list(each_row(pd.DataFrame())) == []
