"""master/kpis.csv: the KPIs with baseline, target, direction and method."""
import pandera.pandas as pa

from .cells import key, number_and_unit, parse_number, unit_key
from .vocab import ACHIEVEMENT, DEFAULT_METHOD, IMPROVEMENT

from . import checks


def _row_check(ref, predicate, column: str, message: str) -> pa.Check:
    """A row-wise check; the error is `column|message` so validate can name the column."""
    missing = frozenset(ref.values["未確定"])

    def check(row) -> bool:
        try:
            base = parse_number(row["基準値"], missing, unit=row["単位"]).value
            target = parse_number(row["目標値"], missing, unit=row["単位"]).value
        except ValueError:
            return True  # reported by the column checks
        if base is None or target is None:
            return True
        return predicate(key(row["算定方法"]) or DEFAULT_METHOD, base, target)

    return pa.Check(lambda frame: frame.apply(check, axis=1), error=f"{column}|{message}")


def _unit_check(ref, column: str) -> pa.Check:
    """基準値 / 目標値 followed by a unit: it must be the row's 単位 (945千m3 for 千m3)."""
    missing = frozenset(ref.values["未確定"])

    def check(row) -> bool:
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


def schema(ref) -> pa.DataFrameSchema:
    """Single-cell and within-row checks; duplicates, years and project refs are cross-table."""
    missing = frozenset(ref.values["未確定"])
    return pa.DataFrameSchema(
        {
            "KPI_ID": pa.Column(None, [checks.not_blank("KPI_ID")], description="KPIの識別子（年度をまたいで同じ）"),
            "プロジェクトID": pa.Column(None, [checks.not_blank("プロジェクトID")], description="KPIが属するプロジェクト"),
            "指標名": pa.Column(None, [checks.not_blank("指標名")], description="指標名"),
            "単位": pa.Column(None, description="単位（人、百万円 など）"),
            "基準年度": pa.Column(None, checks.year(required=True), description="基準値の年度"),
            "基準値": pa.Column(None, checks.number(missing, "基準値", allow_missing=False), description="基準値"),
            "目標年度": pa.Column(None, checks.year(required=True), description="目標値の年度"),
            "目標値": pa.Column(None, checks.number(missing, "目標値", allow_missing=False), description="目標値"),
            "方向": pa.Column(None, checks.one_of(ref.values["方向"], "増加・減少、空欄は増加", "方向"),
                            description="増加（大きいほど良い）または減少"),
            "算定方法": pa.Column(None, checks.one_of(ref.values["算定方法"], "達成率・改善率、空欄は達成率", "算定方法"),
                              description="進捗率の算定方法: 達成率 = 実績÷目標、改善率 = (実績−基準)÷(目標−基準)"),
        },
        checks=[
            _unit_check(ref, "基準値"),
            _unit_check(ref, "目標値"),
            _row_check(ref, lambda m, b, t: not (m == IMPROVEMENT and t == b), "目標値",
                       "目標値が基準値と同じため、改善率を計算できません"),
            _row_check(ref, lambda m, b, t: not (m == ACHIEVEMENT and t == 0), "目標値",
                       "目標値が0のため、達成率を計算できません"),
        ],
        name="kpis",
        description="KPIのマスタ",
    )
