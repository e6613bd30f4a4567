"""取組 table: one row per 実績 / 課題 / 今年度 / 次年度 item, as submitted."""
import pandera.pandas as pa

from .cells import key, strip_parenthetical

from . import checks

TEXT_LIMIT = 2000


def schema(ref) -> pa.DataFrameSchema:
    """Checks of single cells; project/measure/地域/年度=FY are cross-table (pipeline.validate)."""
    sections = ref.sections
    shown = "・".join(ref.section_order) + "のいずれか"
    is_section = lambda v: strip_parenthetical(key(v)) in sections  # noqa: E731
    relisted = ref.values["再掲"]
    return pa.DataFrameSchema(
        {
            "プロジェクト": pa.Column(None, [checks.not_blank("プロジェクト")],
                                description="プロジェクトID または正確なプロジェクト名"),
            "区分": pa.Column(None, [checks.with_hint(checks.not_blank("区分"), shown),
                                  checks.with_hint(checks.blank_or(is_section, f"「{{value}}」は使えません（{shown}）"),
                                                   shown)],
                            description="実績・課題・今年度・次年度（管理表の長い見出しも可）"),
            "見出し": pa.Column(None, description="実績・今年度・次年度は施策名（または別名）、課題は○見出し（空欄可）"),
            "内容": pa.Column(None, [checks.has_text("内容"), checks.max_length(TEXT_LIMIT)],
                            description="取組・課題の文章。書かれたとおりに出力する"),
            "年度": pa.Column(None, checks.year(), description="取組の年度（空欄可、書く場合は報告年度と同じ）"),
            "地域": pa.Column(None, description="プロジェクトの連携地域の振興局、または連携地域（空欄可）"),
            "実施主体": pa.Column(None, description="実施主体（空欄可）"),
            "再掲": pa.Column(None, checks.one_of(relisted, "空欄、または ○・1・TRUE・はい・再掲", "再掲"),
                            description="再掲の印（○・1・TRUE・はい・再掲）"),
            "順序": pa.Column(None, checks.order(), description="見出しの中での並び順（1以上の整数、空欄は最後）"),
            "備考": pa.Column(None, description="備考（出力しない）"),
        },
        name="取組",
        description="市町村・振興局・本庁が提出する取組表",
    )
