"""Check builders shared by the schemas.

Every check carries its Japanese message as pandera's `error`: a template
filled by validate with {value} (the cell as written, shortened) and
{length} (its length in characters).  Checks are element-wise and see raw
cells: blanks arrive as "" (never NaN), so pandera does not skip them.

A check that knows what to write instead registers it in HINTS under its error
template (the 検証結果 workbook shows it next to the message).
"""
from __future__ import annotations

import pandera.pandas as pa

from .cells import (
    NUMBER_EXAMPLES, YEAR_EXAMPLES, free_text, is_blank, is_number, is_order, is_year, key, number_and_unit,
)


HINTS: dict[str, str] = {}


def with_hint(check: pa.Check, hint: str) -> pa.Check:
    """Record `hint` (what to write instead) for the check's error template; returns the check."""
    HINTS[check.error] = hint
    return check


def not_blank(what: str) -> pa.Check:
    """The cell must hold something."""
    return pa.Check(lambda v: not is_blank(v), element_wise=True, error=f"{what}が空です")


def has_text(what: str) -> pa.Check:
    """Free text must remain after trimming and dropping the leading bullet (a lone ・ is empty)."""
    return pa.Check(lambda v: free_text(v) != "", element_wise=True, error=f"{what}が空です")


def blank_or(predicate, error: str) -> pa.Check:
    """Blank, or accepted by `predicate`."""
    return pa.Check(lambda v: is_blank(v) or predicate(v), element_wise=True, error=error)


def year(required: bool = False) -> list:
    """A 年度 in any accepted form (2019, R元, 平成31年度, ２０１９ …)."""
    error = f"「{{value}}」は年度として読めません（{YEAR_EXAMPLES}）"
    checks = [with_hint(blank_or(is_year, error), YEAR_EXAMPLES)]
    return [not_blank("年度"), *checks] if required else checks


def number(missing_marks: frozenset, what: str, allow_missing: bool = True) -> list:
    """A number in any accepted form (5,949 / ５，９４９ / 5,949人 / 945千m3 / △12), followed by any
    unit (checked against the KPI's 単位 across tables); missing marks allowed or not."""
    error = f"「{{value}}」は数値として読めません（{NUMBER_EXAMPLES}）"
    checks = [with_hint(pa.Check(lambda v: is_number(v, missing_marks, any_unit=True), element_wise=True,
                                 error=error), NUMBER_EXAMPLES)]
    if not allow_missing:
        def known(value) -> bool:
            try:
                return number_and_unit(value, missing_marks).value is not None
            except ValueError:
                return True  # reported by the check above
        checks.append(pa.Check(known, element_wise=True, error=f"{what}が空または未確定です（数値が必要です）"))
    return checks


def order() -> list:
    """順序 / 表示順: blank or an integer ≥ 1."""
    return [with_hint(blank_or(is_order, "「{value}」は使えません（1以上の整数）"), "1以上の整数")]


def one_of(vocabulary: dict, shown: str, what: str, allow_blank: bool = True) -> list:
    """A value of a vocabulary (keys compared after NFKC, upper-cased)."""
    checks = [with_hint(blank_or(lambda v: key(v).upper() in vocabulary, f"「{{value}}」は使えません（{shown}）"),
                        shown)]
    return checks if allow_blank else [with_hint(not_blank(what), shown), *checks]


def max_length(limit: int) -> pa.Check:
    """Free text no longer than `limit` characters."""
    return pa.Check(lambda v: len(str(v)) <= limit, element_wise=True,
                    error=f"{{length:,}}文字あります（{limit:,}文字以内にしてください）")
