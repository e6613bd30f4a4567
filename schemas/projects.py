"""master/projects.csv: the projects of each 連携地域."""
import pandera.pandas as pa

from .cells import key

from . import checks


def schema(ref) -> pa.DataFrameSchema:
    """Single-cell checks; duplicate IDs are reported by pipeline.validate with both places."""
    regions = {key(r) for r in ref.regions["region"]} | {key(n) for n in ref.regions["name"]}
    shown = "・".join(ref.regions["region"]) + "のいずれか"
    return pa.DataFrameSchema(
        {
            "プロジェクトID": pa.Column(None, [checks.not_blank("プロジェクトID")], description="プロジェクトの識別子（年度をまたいで同じ）"),
            "連携地域": pa.Column(None, [checks.not_blank("連携地域"),
                                    checks.blank_or(lambda v: key(v) in regions, f"「{{value}}」は使えません（{shown}）")],
                              description="連携地域（道北 または 道北連携地域 など）"),
            "プロジェクト名": pa.Column(None, [checks.not_blank("プロジェクト名")], description="プロジェクト名"),
            "概要・目的": pa.Column(None, description="【概要・目的】の文章"),
            "表示順": pa.Column(None, checks.order(), description="連携地域の中での並び順（空欄は最後）"),
        },
        name="projects",
        description="プロジェクトのマスタ",
    )
