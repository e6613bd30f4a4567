"""master/kpis.csv: the KPIs with baseline, target, direction and method.

The 算定方法 that may be named (with their aliases) are reference data
(schemas/reference/methods.csv); a 目標値 may carry 以上/以下 or be text
(schemas/targets.py).  Whether a method can be computed with these 基準値/目標値
(目標値 = 0, 目標値 = 基準値) is a check of pipeline/kpi_checks.py, which knows the formulas.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .cells import key, number_and_unit, parse_number, unit_key
from .targets import target_of

if TYPE_CHECKING:   # pandera is imported where a schema is made: diff and verify read without it
    import pandera.pandas as pa


def method_names(ref) -> dict:
    """{NFKC key (upper-cased) of a 算定方法 or an alias: its name as in methods.csv}."""
    names: dict = {}
    methods = ref.methods
    if methods is None:
        return names
    for name, aliases in zip(methods["name"], methods["aliases"]):
        for word in (name, *aliases):
            names[key(word).upper()] = name
    return names


def methods_shown(ref) -> str:
    """「達成率・改善率・…のいずれか、空欄は達成率」: the known methods, from the data."""
    methods = ref.methods
    if methods is None or not len(methods):
        return ""
    default = next((n for n, d in zip(methods["name"], methods["default"]) if d), "")
    return "・".join(methods["name"]) + "のいずれか" + (f"、空欄は{default}" if default else "")


def _unit_check(ref, column: str) -> pa.Check:
    """基準値 / 目標値 followed by a unit: it must be the row's 単位 (945千m3 for 千m3)."""
    import pandera.pandas as pa

    missing = frozenset(ref.values["未確定"])

    def check(row) -> bool:
        if column == "目標値":
            try:
                target_of(row[column], ref, unit=row["単位"])
            except ValueError:
                return False
            return True
        try:
            number = number_and_unit(row[column], missing)
        except ValueError:
            return True  # reported by the column checks
        if not number.unit:
            return True
        try:
            return unit_key(parse_number(row[column], missing, unit=row["単位"]).unit) == unit_key(row["単位"])
        except ValueError:
            return False

    return pa.Check(lambda frame: frame.apply(check, axis=1),
                    error=f"{column}|「{{value}}」の単位が「単位」の列と違います（単位を付けるなら「単位」の列と同じに）")


def _known_target(missing: frozenset) -> pa.Check:
    """目標値 given: not blank, not a missing mark (a text target is a warning, not here)."""
    import pandera.pandas as pa

    return pa.Check(lambda v: key(v).upper() not in missing, element_wise=True,
                    error="目標値が空または未確定です（数値、または数値でない目標なら文章が必要です）")


def schema(ref) -> pa.DataFrameSchema:
    """Single-cell and within-row checks; duplicates, years, project refs and what the
    method needs of the values are cross-table."""
    import pandera.pandas as pa
    from . import checks

    missing = frozenset(ref.values["未確定"])
    shown = methods_shown(ref)
    return pa.DataFrameSchema(
        {
            "KPI_ID": pa.Column(None, [checks.not_blank("KPI_ID")], description="KPIの識別子（年度をまたいで同じ）"),
            "プロジェクトID": pa.Column(None, [checks.not_blank("プロジェクトID")], description="KPIが属するプロジェクト"),
            "指標名": pa.Column(None, [checks.not_blank("指標名")], description="指標名"),
            "単位": pa.Column(None, description="単位（人、百万円 など）"),
            "基準年度": pa.Column(None, checks.year(required=True), description="基準値の年度"),
            "基準値": pa.Column(None, checks.number(missing, "基準値", allow_missing=False), description="基準値"),
            "目標年度": pa.Column(None, checks.year(required=True), description="目標値の年度"),
            "目標値": pa.Column(None, [checks.not_blank("目標値"), _known_target(missing)],
                             description="目標値（4,880以上 のように以上・以下も可。数値でない目標は警告付きで文のまま）"),
            "方向": pa.Column(None, checks.one_of(ref.values["方向"], "増加・減少、空欄は増加", "方向"),
                            description="増加（大きいほど良い）または減少"),
            "算定方法": pa.Column(None, checks.one_of(method_names(ref), shown, "算定方法"),
                              description="進捗率の算定方法（schemas/reference/methods.csv の名前または別名）"),
        },
        checks=[_unit_check(ref, "基準値"), _unit_check(ref, "目標値")],
        name="kpis",
        description="KPIのマスタ",
    )
