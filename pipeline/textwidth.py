"""Width of text on a terminal, for the aligned columns of what the CLI prints."""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: CJK (East Asian wide/full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns."""
    return text + " " * max(width - display_width(text), 0)
