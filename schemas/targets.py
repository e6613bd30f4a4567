"""Targets as written: `4,880以上` (a number and a direction), `現状より増加` (text), and
master/targets.csv (optional): the interim (中間), yearly (年度) and final (最終) targets of KPIs.

The words that bound a target (以上 → 増加, 以下 → 減少) and the 種別 of a target row
are reference data (schemas/reference/values.csv: 目標の範囲, 目標の種別).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cells import cell_text, is_blank, key, number_and_unit, parse_number, unit_key

if TYPE_CHECKING:   # pandera is imported where a schema is made: diff and verify read without it
    import pandera.pandas as pa


@dataclass(frozen=True)
class Target:
    """A target cell read: `value` (None for a text target or a blank), the 方向 its
    bound word implies ("" without one), and the text of a target that is not a number."""

    value: float | None
    direction: str = ""
    text: str = ""


def _number(text: str, missing_marks: frozenset, unit: str | None) -> float | None:
    """The number of `text` (with the KPI's unit or none); None when it is not a number at
    all; ValueError for a number followed by another unit (945m2 for 千m3)."""
    try:
        number = parse_number(text, missing_marks, unit=unit)
    except ValueError:
        pass
    else:
        if unit is not None and number.unit and unit_key(number.unit) != unit_key(unit):
            raise ValueError("unit")  # 200千円 for 百万円
        return number.value
    try:
        number_and_unit(text, missing_marks)
    except ValueError:
        return None  # no number at the start: a text target
    raise ValueError("unit")


def parse_target(value: object, missing_marks: frozenset, bounds: dict, unit: str | None = None) -> Target:
    """`7,400` / `7,400人` → 7400; `4,880以上` → 4880 and 増加 (`以下` → 減少, per `bounds`:
    {NFKC key of a bound word: 方向}); `現状より増加` → a text target, kept as written.

    Blank and the missing marks (－, 未確定) read as Target(None); a number followed by a
    unit other than `unit` raises ValueError.
    """
    if is_blank(value) or key(value).upper() in missing_marks:
        return Target(None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Target(parse_number(value, missing_marks).value)
    text = key(value)
    for word, direction in bounds.items():
        if text.upper().endswith(word) and len(text) > len(word):
            number = _number(text[:-len(word)].rstrip(), missing_marks, unit)
            if number is not None:
                return Target(number, direction)
    number = _number(text, missing_marks, unit)
    return Target(number) if number is not None else Target(None, "", cell_text(value).strip())


def target_of(value: object, ref, unit: str | None = None) -> Target:
    """parse_target with the reference data's missing marks and bound words."""
    return parse_target(value, frozenset(ref.values["未確定"]), ref.values.get("目標の範囲", {}), unit)


def _numeric_target(ref) -> pa.Check:
    """A row-wise check: 目標値 a number with the KPI's unit or none, 以上/以下 allowed."""
    import pandera.pandas as pa

    def check(row) -> bool:
        try:
            target = target_of(row["目標値"], ref)
        except ValueError:
            return True  # another unit: the KPI's unit is checked across tables
        return is_blank(row["目標値"]) or target.value is not None

    return pa.Check(lambda frame: frame.apply(check, axis=1),
                    error="目標値|「{value}」は数値として読めません（中間・年度・最終の目標値は数値。"
                          "以上・以下は付けられます）")


def schema(ref) -> pa.DataFrameSchema:
    """Single-cell checks; the KPI, its years, duplicates and the final target are cross-table."""
    import pandera.pandas as pa
    from . import checks

    kinds = ref.values.get("目標の種別", {})
    shown = "中間・年度・最終のいずれか"
    return pa.DataFrameSchema(
        {
            "KPI_ID": pa.Column(None, [checks.not_blank("KPI_ID")], description="KPI_ID または指標名"),
            "年度": pa.Column(None, checks.year(required=True), description="目標の年度"),
            "目標値": pa.Column(None, [checks.not_blank("目標値")], description="目標値（数値。以上・以下を付けても可）"),
            "種別": pa.Column(None, checks.one_of(kinds, shown, "種別", allow_blank=False),
                            description="中間（中間目標）・年度（その年度の目標。進捗率に使う）・最終（kpis.csv と同じ）"),
            "備考": pa.Column(None, description="備考（読まない）"),
        },
        checks=[_numeric_target(ref)],
        name="targets",
        description="KPIの中間・年度の目標（任意）",
    )


def kind_of(value: object, ref) -> str:
    """The kpi frame kind (interim, yearly, target) of a 種別 as written; "" when unknown."""
    return ref.values.get("目標の種別", {}).get(key(value).upper(), "")

