"""Rows of a frame as dicts, made one at a time.

`DataFrame.to_dict("records")` builds every row's dict at once: for the 30,000 取組 rows of
all of Hokkaido that is ~14 MB held at the same time, which raised the run's peak memory in
the checks.  Here each column is taken out once (`tolist`, Python values as to_dict gives
them) and a row's dict is made when the loop reaches it.
"""
from __future__ import annotations

from typing import Iterator, Sequence

import pandas as pd


def each_row(frame: pd.DataFrame, order: Sequence[int] | None = None) -> Iterator[dict]:
    """Each row of `frame` as {column: value}, in the frame's order or in `order` (row positions)."""
    names = list(frame.columns)
    values = [column_values(frame.iloc[:, j]) for j in range(len(names))]
    for i in range(len(frame)) if order is None else order:
        yield {c: values[j][i] for j, c in enumerate(names)}


def column_values(column: pd.Series) -> list:
    """A column's values as to_dict("records") gives them: Python values, and None for the
    missing value of a pandas-typed column (string, Int64: tolist would give pd.NA, which
    refuses `if value:`); the NaN of a float or str column stays NaN, as there."""
    values = column.tolist()
    if isinstance(column.dtype, pd.api.extensions.ExtensionDtype) and column.hasnans:
        values = [None if v is pd.NA else v for v in values]
    return values
