"""Cells of the submitter-side workbooks (提出様式, 検証結果, 提出状況): formats from
pipeline/form_styles.py created once each in call order (same content, same bytes),
text written as text (quote-prefixed when it looks like a formula), a row's height."""
from __future__ import annotations

from .. import form_styles as F
from .. import styles as S
from ..textwidth import text_width
from .cells import needs_quote
from .layout import row_height


class FormFormats:
    """Formats by style name of form_styles.FORMATS plus overrides, each created once."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._cache: dict[tuple, object] = {}

    def __call__(self, style: str, **extra):
        key = (style, tuple(sorted(extra.items())))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._cache[key] = self._workbook.add_format({**S.BASE_FONT, **F.FORMATS[style], **extra})
        return fmt

    def level(self, style: str, level: str | None, **extra):
        """`style` filled with the colours of an error / warning (none for level None)."""
        if level is None:
            return self(style, **extra)
        ink, fill = F.LEVEL_COLOURS[level]
        return self(style, bg_color=fill, font_color=ink, **extra)


def write_value(ws, row: int, col: int, value: object, formats: FormFormats, style: str,
                level: str | None = None, **extra) -> None:
    """A number as a number, "" / None as a formatted blank, any other value as text (never a
    formula: text Excel would take for one gets the quote prefix)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, formats.level(style, level, **extra))
    elif value == "" or value is None:
        ws.write_blank(row, col, None, formats.level(style, level, **extra))
    else:
        text = str(value)
        if needs_quote(text):
            extra["quote_prefix"] = True
        ws.write_string(row, col, text, formats.level(style, level, **extra))


def text_row_height(cells: list[tuple[str, float]], minimum: float = 0.0) -> float:
    """Height of a row of wrapped (text, width) cells."""
    return max(row_height([(t, w) for t, w in cells if t]), minimum)


def fitted_width(texts, minimum: float = F.COPY_MIN_WIDTH, maximum: float = F.COPY_MAX_WIDTH) -> float:
    """A column as wide as its widest line (plus padding), within [minimum, maximum]."""
    widest = max((text_width(line) for t in texts for line in str(t).split("\n")), default=0)
    return float(min(max(widest + 2, minimum), maximum))


def form_page_setup(ws, *, last_col: int, repeat: tuple[int, int] | None, left: str) -> None:
    """A4 landscape, one page wide, centred, title rows repeated, footer as the 推進管理表's;
    no print area, so what is filled in is what prints."""
    ws.set_landscape()
    ws.set_paper(S.PAPER_A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(**S.MARGINS)
    ws.center_horizontally()
    if repeat is not None:
        ws.repeat_rows(*repeat)
    ws.set_footer(S.FOOTER.format(left=left.replace("&", "&&"), right=""), {"margin": S.FOOTER_MARGIN})
