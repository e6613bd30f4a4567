"""master/submitters.csv: who submits, what kind of body it is, and what it reports."""
import pandera.pandas as pa

from . import checks


def schema(ref) -> pa.DataFrameSchema:
    """Single-cell checks; 振興局 / 連携地域 / プロジェクト / KPI against the masters are cross-table."""
    kinds = ref.values["提出団体の種類"]
    return pa.DataFrameSchema(
        {
            "提出団体": pa.Column(None, [checks.not_blank("提出団体")],
                               description="団体名（提出ファイルの名前にする。例: 稚内市）"),
            "種類": pa.Column(None, checks.one_of(kinds, "・".join(kinds) + "のいずれか", "種類", allow_blank=False),
                            description="市町村・振興局・本庁"),
            "振興局": pa.Column(None, description="市町村・振興局の振興局（宗谷、宗谷総合振興局 など）"),
            "連携地域": pa.Column(None, description="連携地域（空欄は振興局の連携地域、本庁は全道）"),
            "プロジェクト": pa.Column(None, description="報告するプロジェクト（; 区切り。空欄は連携地域のすべて）"),
            "KPI": pa.Column(None, description="実績を報告するKPI（; 区切り。全て = プロジェクトのすべて。空欄はなし）"),
            "備考": pa.Column(None, description="備考（読まない）"),
        },
        name="submitters",
        description="提出団体のマスタ（提出様式と提出状況に使う）",
    )
