"""KPI実績 table: one row per KPI and year, as submitted."""
import pandera.pandas as pa

from . import checks


def schema(ref) -> pa.DataFrameSchema:
    """Checks of single cells; KPI existence, unit, year range and duplicates are cross-table."""
    missing = frozenset(ref.values["未確定"])
    return pa.DataFrameSchema(
        {
            "KPI": pa.Column(None, [checks.not_blank("KPI")], description="KPI_ID または正確な指標名"),
            "年度": pa.Column(None, checks.year(required=True), description="実績の年度（基準年度から報告年度まで）"),
            "実績値": pa.Column(None, checks.number(missing, "実績値"),
                             description="実績値（単位を付ける場合はKPIの単位と同じ。空欄・－・未確定は未把握）"),
            "備考": pa.Column(None, description="備考（出力しない）"),
            "指標名（参考）": pa.Column(None, description="指標名の参考表示（提出様式が書く。読まない）"),
            "単位": pa.Column(None, description="実績値の単位（書く場合はKPIの単位と同じ。照合は表をまたぐ検査）"),
            "対象年度": pa.Column(None, checks.year(), description="実績値が表す年度（報告の年度と違うとき。"
                                                               "報告の年度より後は不可: 表をまたぐ検査）"),
        },
        name="KPI実績",
        description="本庁が集めるKPIの実績値",
    )
