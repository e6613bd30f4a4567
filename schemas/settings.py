"""master/settings.csv (optional): per-document settings such as the title and the 別紙 number.

The settings that exist, their defaults and their longest values are reference data
(schemas/reference/settings.csv), not code.
"""
import pandera.pandas as pa

from .cells import cell_text, key

from . import checks


def _length_check(ref) -> pa.Check:
    """A row-wise check: the value no longer than its setting allows (`値|message`)."""
    limits = {key(item): int(limit) for item, limit in zip(ref.settings["item"], ref.settings["max_length"])}
    shown = "、".join(f"{item}は{limit}文字" for item, limit in zip(ref.settings["item"], ref.settings["max_length"]))

    def check(row) -> bool:
        limit = limits.get(key(row["項目"]))
        return limit is None or len(cell_text(row["値"]).strip()) <= limit

    return pa.Check(lambda frame: frame.apply(check, axis=1),
                    error=f"値|{{length:,}}文字あります（{shown}以内にしてください）")


def _choice_check(ref) -> pa.Check:
    """A row-wise check: a setting with choices (進捗率の表示: 数値・上限付き) takes one of them."""
    choices = {key(item): {key(c) for c in values} for item, values in ref.setting_choices.items()}
    shown = "、".join(f"{item}は{'・'.join(values)}" for item, values in ref.setting_choices.items())

    def check(row) -> bool:
        allowed = choices.get(key(row["項目"]))
        value = key(row["値"])
        return allowed is None or value == "" or value in allowed

    return pa.Check(lambda frame: frame.apply(check, axis=1),
                    error=f"値|「{{value}}」は使えません（{shown}のいずれか）")


def schema(ref) -> pa.DataFrameSchema:
    """Single-cell and within-row checks; a setting given twice is reported by pipeline.validate."""
    known = {key(item) for item in ref.settings["item"]}
    shown = "・".join(ref.settings["item"]) + "のいずれか"
    return pa.DataFrameSchema(
        {
            "項目": pa.Column(None, [checks.not_blank("項目"),
                                  checks.blank_or(lambda v: key(v) in known, f"「{{value}}」は使えません（{shown}）")],
                            description="設定の名前（別紙番号・表題・進捗率の表示）"),
            "値": pa.Column(None, description="設定の値（空欄は既定値）"),
            "備考": pa.Column(None, description="備考（出力しない）"),
        },
        checks=[_length_check(ref), _choice_check(ref)],
        name="settings",
        description="管理表の設定（任意）",
    )
