"""master/grades.csv (optional): the 評価 scale — grades in order, each with the lowest
進捗率 that earns it (in %, `80` or `80%`; the last may be blank: any lower rate).

Without the file no grade is shown anywhere (as before the scale existed).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .cells import is_blank, key, parse_number

if TYPE_CHECKING:   # pandera is imported where a schema is made: diff and verify read without it
    import pandera.pandas as pa

PERCENT = "%"


def parse_bound(value: object) -> float | None:
    """`80` / `80%` / `８０％` → 0.8 (a ratio); blank → None; ValueError for anything else."""
    if is_blank(value):
        return None
    text = key(value)
    if text.endswith(PERCENT):
        text = text[:-1].rstrip()
    number = parse_number(text)
    if number.value is None or number.unit:
        raise ValueError("bound")
    return number.value / 100


def _is_bound(value: object) -> bool:
    try:
        parse_bound(value)
    except ValueError:
        return False
    return True


def schema(ref) -> pa.DataFrameSchema:
    """Single-cell checks; the order of the bounds and duplicates are cross-table."""
    import pandera.pandas as pa
    from . import checks

    hint = "％の数値（例：80、80%）。最後の評価は空欄（下限なし）でも可"
    return pa.DataFrameSchema(
        {
            "評価": pa.Column(None, [checks.not_blank("評価")], description="評価の名前（A、◎ など）"),
            "進捗率の下限": pa.Column(None, [checks.with_hint(checks.blank_or(
                _is_bound, "「{value}」は進捗率の下限として読めません（％の数値。例：80、80%）"), hint)],
                description="この評価になる進捗率の下限（％）。空欄は下限なし"),
            "備考": pa.Column(None, description="備考（読まない）"),
        },
        name="grades",
        description="評価の段階（任意）",
    )
