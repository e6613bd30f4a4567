"""master/measures.csv: the ■ measures (施策) of each project."""
import pandera.pandas as pa

from . import checks


def schema(ref) -> pa.DataFrameSchema:
    """Single-cell checks; the project reference and duplicate names are cross-table."""
    return pa.DataFrameSchema(
        {
            "プロジェクトID": pa.Column(None, [checks.not_blank("プロジェクトID")], description="施策が属するプロジェクト"),
            "施策名": pa.Column(None, [checks.not_blank("施策名")], description="施策名（■見出しとして表示）"),
            "表示順": pa.Column(None, checks.order(), description="プロジェクトの中での並び順"),
            "別名": pa.Column(None, description="提出で使われる別の書き方（; 区切り）"),
        },
        name="measures",
        description="施策のマスタ",
    )
