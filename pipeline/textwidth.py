"""Width of text in columns: the one width rule of the workbook layout and the terminal.

A character is 2 columns when East Asian wide or full-width (CJK, ＰＲ), 0 when combining
(a dakuten written as a separate mark), else 1.  East Asian *ambiguous* characters
(○ ■ ※ → ①) are the one point where media differ: BIZ UDゴシック, the workbook's font,
draws them full-width (2, the default), most terminals narrow (TERMINAL_AMBIGUOUS).
"""
from __future__ import annotations

import functools
import unicodedata

TERMINAL_AMBIGUOUS = 1


@functools.lru_cache(maxsize=None)
def char_width(ch: str, ambiguous: int = 2) -> int:
    """Columns of one character (see the module doc)."""
    if unicodedata.combining(ch):
        return 0
    east_asian = unicodedata.east_asian_width(ch)
    if east_asian in ("F", "W"):
        return 2
    return ambiguous if east_asian == "A" else 1


# One cached function per ambiguous width, so that text_width maps it over the characters in C
# (the layout measures every sentence of a run: ~3 million characters for all of Hokkaido).
_WIDTH_OF = {n: functools.lru_cache(maxsize=None)(functools.partial(char_width, ambiguous=n)) for n in (1, 2)}


def text_width(text: str, *, ambiguous: int = 2) -> int:
    """Columns of a one-line text."""
    if text.isascii():
        return len(text)
    width_of = _WIDTH_OF.get(ambiguous) or functools.partial(char_width, ambiguous=ambiguous)
    return sum(map(width_of, text))


def display_width(text: str) -> int:
    """Columns a terminal gives `text`."""
    return text_width(text, ambiguous=TERMINAL_AMBIGUOUS)


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns."""
    return text + " " * max(width - display_width(text), 0)
