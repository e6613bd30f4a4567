"""Japanese era (和暦) labels for fiscal years, in the styles the seed table uses.

A fiscal year (年度) is named after the western year in which it starts, so the
年度 that starts in April 2019 is 令和元年度 even though 平成 ended that April.
The era of a fiscal year is therefore the era in force on 1 April of that year:
the newest era that started in or before that western year.

- short_label(2014) == "H26", short_label(2019) == "R元", short_label(2020) == "R2"
- long_title(2019) == "令和元年度（2019年度）", long_title(2020) == "令和２年度（2020年度）",
  long_title(2018) == "平成30年度（2018年度）"
- to_western("令和", 1) == to_western("R", 1) == 2019; to_western("H", 31) == 2019

Era years of one digit are written with a full-width digit in the long form (令和２年度),
as the seed does; longer ones with ASCII digits (平成30年度), as is usual in Japanese
official documents. The short form always uses ASCII digits (H26, R2).
"""
from __future__ import annotations

# (name, letter, western year in which the era started), newest first.  An era's last
# year is the next era's first year (平成31年 = 令和元年 = 2019).
ERAS: tuple[tuple[str, str, int], ...] = (
    ("令和", "R", 2019),
    ("平成", "H", 1989),
    ("昭和", "S", 1926),
)

FIRST_YEAR_LABEL = "元"
_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _as_year(year: object) -> int:
    if isinstance(year, bool):
        raise TypeError(f"year must be an int, got {year!r}")
    try:
        as_int = int(year)  # accepts numpy integers and whole floats
    except (TypeError, ValueError):
        raise TypeError(f"year must be an int, got {year!r}") from None
    if as_int != year:
        raise TypeError(f"year must be a whole number, got {year!r}")
    return as_int


def _era(year: int) -> tuple[str, str, int]:
    """Return (era name, era letter, era year) of the fiscal year starting in `year`."""
    for name, letter, start in ERAS:
        if year >= start:
            return name, letter, year - start + 1
    raise ValueError(f"year {year} is before the first supported era ({ERAS[-1][0]}, {ERAS[-1][2]})")


def _era_number(era_year: int, *, full_width_single: bool) -> str:
    if era_year == 1:
        return FIRST_YEAR_LABEL
    text = str(era_year)
    if full_width_single and len(text) == 1:
        return text.translate(_FULL_WIDTH_DIGITS)
    return text


def short_label(year: int) -> str:
    """Western fiscal year -> short era label: 2014 -> "H26", 2019 -> "R元", 2020 -> "R2"."""
    year = _as_year(year)
    _, letter, era_year = _era(year)
    return f"{letter}{_era_number(era_year, full_width_single=False)}"


def long_title(year: int) -> str:
    """Western fiscal year -> long title: 2019 -> "令和元年度（2019年度）"."""
    year = _as_year(year)
    name, _, era_year = _era(year)
    return f"{name}{_era_number(era_year, full_width_single=True)}年度（{year}年度）"


def to_western(era: str, era_year: int) -> int | None:
    """Era name or letter (令和/R/r, 平成/H/h, 昭和/S/s) and era year -> western year.

    Returns None for an unknown era or an era year the era never reached
    (H32, S65); the last year of an era is also the first of the next (H31 == R1 == 2019).
    """
    wanted = str(era).strip()
    for index, (name, letter, start) in enumerate(ERAS):
        if wanted == name or wanted.upper() == letter:
            if era_year < 1:
                return None
            if index > 0:  # an ended era: its last year is the next era's first
                last = ERAS[index - 1][2]
                if start + era_year - 1 > last:
                    return None
            return start + era_year - 1
    return None
