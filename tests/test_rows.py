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
    assert rows[1]["text"] == "" and math.isnan(rows[1]["x"]) and rows[1]["order"] is None   # Int64's missing value: None, as to_dict
    assert rows[2]["text"] is None and rows[2]["order"] == 3


def test_each_row_in_a_given_order():
    assert [r["n"] for r in each_row(_frame(), order=[2, 0, 1])] == [2, 3, 1]
    assert [r["n"] for r in each_row(_frame(), order=[])] == []


def test_an_empty_frame_has_no_rows():
    assert list(each_row(pd.DataFrame({"a": []}))) == []
    assert list(each_row(pd.DataFrame())) == []


def test_a_missing_value_of_a_pandas_typed_column_is_none_as_to_dict_gives_it():
    frame = pd.DataFrame({"s": pd.array(["a", None], dtype="string"), "i": pd.array([None, 2], dtype="Int64"),
                          "f": [1.5, float("nan")], "t": pd.Series(["x", None], dtype="str")})
    rows = list(each_row(frame))
    expected = frame.to_dict("records")
    assert rows[0]["s"] == "a" and rows[1]["s"] is None is expected[1]["s"]
    assert rows[0]["i"] is None is expected[0]["i"] and rows[1]["i"] == 2
    assert math.isnan(rows[1]["f"]) and math.isnan(expected[1]["f"])
    assert math.isnan(rows[1]["t"]) and math.isnan(expected[1]["t"])   # str dtype: NaN, as to_dict


def test_repeated_column_names_keep_each_column():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    assert list(each_row(frame)) == [{"a": 2}]   # as a dict can hold it: the last one, as to_dict does


def test_each_row_is_to_dicts_records_whatever_the_column_types():
    import math

    import pandas as pd

    frames = [
        pd.DataFrame({"a": pd.array(["x", None], dtype="string"), "n": [1.5, math.nan], "i": [1, 2],
                      "b": [True, False], "o": [None, ("t",)]}),
        pd.DataFrame({"a": pd.array(["x", "y"], dtype="string"), "k": pd.array([1, 2], dtype="Int64")}),
        pd.DataFrame({"k": pd.array([1, None], dtype="Int64"), "s": ["p", "q"]}),   # missing: None, as to_dict
        pd.DataFrame({"s": pd.array(["x", None], dtype=pd.StringDtype(na_value=math.nan))}),
        pd.DataFrame({"a": []}), pd.DataFrame(index=[0, 1]),
    ]
    for frame in frames:
        got, expected = list(each_row(frame)), frame.to_dict("records")
        assert [[(k, type(v), repr(v)) for k, v in r.items()] for r in got] == \
            [[(k, type(v), repr(v)) for k, v in r.items()] for r in expected]
