"""Cell values as the contract reads them: blanks, keys, free text, years, numbers.

The parsers of the submission contract (docs/入力仕様.md), below both the pandera
schemas (schemas/*.py check cells with them) and the pipeline (normalize and tidy
convert cells with them), so that what validates is exactly what gets converted.
Pure functions only; each parser returns a value or raises `ValueError`.

Quirks handled here:
- Excel stores 5949 as 5949.0: a whole float is shown and read as 5949;
- full-width digits, letters and brackets (ＰＲ, ５，９４９) compare equal to half-width
  ones (NFKC) in keys, but free text keeps them as written;
- a `-` directly followed by a digit is a minus sign, not a bullet (`-12人減少…`);
- △ and ▲ are the minus signs of Japanese official tables (△12 = −12);
- inf, NaN and numbers too long for a float (1e309, 400 digits) are not numbers.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from .eras import ERAS, to_western

BULLETS = "・•-■○－"
"""One of these may open a free-text cell; the first one (and the blank after it) is dropped.
A `-` directly followed by a digit is a minus sign, not a bullet (`-12人減少…`)."""


def is_missing(value: object) -> bool:
    """True for a missing value: None, NaN (float, numpy, NaT) and pd.NA — not for ""."""
    if value is None:
        return True
    try:
        return bool(value != value)  # only NaN-like values differ from themselves
    except (TypeError, ValueError):  # pd.NA refuses bool()
        return True


def is_empty(value: object) -> bool:
    """True for a missing value or the empty string (a cell left empty); "  " is not empty."""
    if type(value) is str:   # most cells: the answer without is_missing's comparison
        return value == ""
    return is_missing(value) or (isinstance(value, str) and value == "")


def is_blank(value: object) -> bool:
    """True for a missing value and for strings that are empty after trimming (incl. full-width spaces)."""
    if type(value) is str:   # most cells: the answer without is_missing's comparison (called ~10⁶ times a run)
        return not value.strip()
    return is_missing(value) or (isinstance(value, str) and value.strip() == "")


def cell_text(value: object) -> str:
    """A cell as the text a person sees: numeric cells lose a `.0` (Excel stores 5949 as 5949.0)."""
    if type(value) is str:   # most cells: as they are, or "" when only spaces
        return value if value.strip() else ""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return number_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def number_text(value: object, *, grouped: bool = False) -> str:
    """A number as text; "" when missing.  The one float-to-text rule of the project.

    Plain (CSV, cell text): a whole float loses its `.0` (Excel stores 5949 as 5949.0),
    any other float is its shortest exact repr, unrounded (0.6045…).  `grouped` (what
    people read: messages, the diff): thousands separators and at most six decimals,
    trailing zeros dropped (5,949 / 12.5 / 0.333333).
    """
    if is_missing(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    number = float(value)
    if grouped:
        if number.is_integer():
            return f"{int(number):,}"
        return f"{number:,.6f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return str(value)
    return str(int(number)) if number.is_integer() else repr(number)


def key(value: object) -> str:
    """A matching key: NFKC (full-width → half-width), surrounding whitespace trimmed."""
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def free_text(value: object) -> str:
    """Free text as written: CRLF → LF, surrounding whitespace and ONE leading bullet removed.

    Full-width characters (（）, ＰＲ, Ｗｉ－Ｆｉ) and inner line breaks stay as submitted.
    """
    text = cell_text(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if text and text[0] in BULLETS and not (text[0] in "-－" and text[1:2].isdigit()):
        text = text[1:].lstrip()
    return text


def heading_key(value: object) -> str:
    """Key of a 見出し: NFKC, one leading bullet (■ ○ ・) dropped, all whitespace removed.

    Measure names are often pasted with the line break of a narrow cell
    (`…活性化など\\n経済交流の推進`); whitespace never distinguishes two measures.
    """
    text = key(value)
    if text and text[0] in BULLETS:
        text = text[1:]
    return re.sub(r"\s+", "", text)


# --- years -----------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = ERAS[-1][2], 2100
_YEAR_WESTERN = re.compile(r"^(\d{4})(?:年度|年)?$")
_YEAR_ERA = re.compile(r"^(令和|平成|昭和|[RHSrhs])\s*(元|\d{1,2})(?:年度|年)?$")
YEAR_EXAMPLES = "例: 2019、2019年度、令和元年度、R1、R元、H31"


def parse_year(value: object) -> int:
    """Western year of 2019, 2019年度, R1, R01, R元, 令和元年度, H31, 平成31年度, ２０１９, 2019.0.

    A numeric cell is read as the text it shows (cell_text: 2019.0 → 2019, 2019.5 stays
    2019.5), so it must be a plausible western year (FIRST_YEAR–LAST_YEAR) too: a bare
    31 is ambiguous.  Years before the oldest era in eras.ERAS are rejected, since every
    year must have a short label (H26, R元 …).
    """
    text = re.sub(r"\s+", "", key(value))
    m = _YEAR_WESTERN.match(text)
    if m and FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        return int(m.group(1))
    m = _YEAR_ERA.match(text)
    if m:
        n = 1 if m.group(2) == "元" else int(m.group(2))
        year = to_western(m.group(1), n)  # None for an era year the era never had (R0, H32)
        if year is not None:
            return year
    raise ValueError("year")


def is_year(value: object) -> bool:
    """True when `parse_year` accepts the value."""
    try:
        parse_year(value)
    except ValueError:
        return False
    return True


# --- numbers ---------------------------------------------------------------

_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(.*)$")
NUMBER_EXAMPLES = "例: 5949、5,949、5,949人、△12、12.5"


@dataclass(frozen=True)
class Number:
    """A parsed number: value (None = not known yet) and the unit suffix written after it."""

    value: float | None
    unit: str = ""


def unit_key(text: object) -> str:
    """A unit as compared: NFKC (ｍ３ → m3, ㎡ → m2, CO₂ → CO2), trimmed, − (U+2212) as -; "" when blank."""
    return key(text).replace("−", "-")


def _split_number(text: str) -> tuple[float, str]:
    """`text` (a unit_key, not blank) → (value, what follows the number, trimmed); ValueError without a number.

    Signs: +, - (unit_key has made − one) and the Japanese △ / ▲ (= minus).  Grouping
    commas must be every three digits.
    """
    if text[0] in "△▲":
        text = "-" + text[1:].lstrip()
    m = _NUMBER.match(text)
    if not m:
        raise ValueError("number")
    sign, digits, decimals, rest = m.groups()
    number = float(digits.replace(",", "") + (decimals or ""))
    if not math.isfinite(number):
        raise ValueError("number")  # 400 digits: more than a float holds (inf), not a value to publish
    return (-number if sign == "-" else number), rest.strip()


def _known_cell(value: object, missing_marks: frozenset) -> str | Number:
    """A cell's key text, or the Number it is without reading text (blank, a missing mark, a number cell)."""
    if is_blank(value):
        return Number(None)
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError("number")
    if isinstance(value, (int, float)):
        return Number(float(value))
    text = key(value)
    if text == "" or text.upper() in missing_marks:
        return Number(None)
    return text


def parse_number(value: object, missing_marks: frozenset = frozenset(), unit: str | None = None) -> Number:
    """5949, 5,949, ５，９４９, 5,949人, △12 / ▲12 (= −12), 12.5; blank/－/-/―/未確定 → missing.

    `missing_marks` are the NFKC keys that mean "not known yet" (reference data,
    schemas/reference/values.csv).  `unit` is the KPI's 単位 from the master: when the
    cell ends with it (compared after NFKC: ｍ３ = m3, ㎡ = m2, CO₂ = CO2), it is taken off
    first, whatever characters it holds (千m3, 千t-CO2, 10万人当たり: `12.510万人当たり` is
    12.5).  What remains must be a number, optionally followed by a unit without digits or
    signs.  Raises ValueError for anything else (text, 1,23 with a misplaced comma, 12人3).
    """
    cell = _known_cell(value, missing_marks)
    if isinstance(cell, Number):
        return cell
    suffix = unit_key(unit)  # "" without a unit (None or blank)
    text = unit_key(cell)
    if suffix and text.endswith(suffix) and len(text) > len(suffix):
        number, rest = _split_number(text[:-len(suffix)])  # a blank before the unit is no rest
        if rest:
            raise ValueError("number")  # 945千 千m3: two units
        return Number(number, suffix)
    number, rest = _split_number(text)
    if rest and re.search(r"[\d.,+\-]", rest):
        raise ValueError("number")  # 12人3, 5., 12-: not a number followed by a unit
    return Number(number, rest)


def number_and_unit(value: object, missing_marks: frozenset = frozenset()) -> Number:
    """A number followed by any unit text (千m3, m2, 人3): the reading before the unit is known.

    Used where the KPI's unit is not known yet (the cell checks of KPI実績) and to name the
    unit a submitter wrote in a message.  What follows the number may not start with a
    digit, comma, point or sign (1,23 / 5. / 12- are not numbers).
    """
    cell = _known_cell(value, missing_marks)
    if isinstance(cell, Number):
        return cell
    number, rest = _split_number(unit_key(cell))
    if rest and rest[0] in "0123456789.,+-":
        raise ValueError("number")
    return Number(number, rest)


def is_number(value: object, missing_marks: frozenset = frozenset(), *, any_unit: bool = False) -> bool:
    """True when `parse_number` (or, with `any_unit`, `number_and_unit`) accepts the value."""
    try:
        (number_and_unit if any_unit else parse_number)(value, missing_marks)
    except ValueError:
        return False
    return True


def parse_order(value: object) -> int | None:
    """順序: blank → None; an integer ≥ 1 (２, 2, 2.0) → int; anything else raises ValueError."""
    if is_blank(value):
        return None
    number = parse_number(value)
    if number.value is None or number.unit or not number.value.is_integer() or number.value < 1:
        raise ValueError("order")
    return int(number.value)


def is_order(value: object) -> bool:
    """True when `parse_order` accepts the value."""
    try:
        parse_order(value)
    except ValueError:
        return False
    return True


def strip_parenthetical(text: str) -> str:
    """`今年度の主な取組（令和元年度（2019年度））` → `今年度の主な取組`: drop trailing (…) groups, spaces.

    Full-width （） count as brackets too.
    """
    text = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    while text.endswith(")"):
        depth, i = 0, len(text) - 1
        while i >= 0:
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                break
            i -= 1
        if i <= 0:
            break
        text = text[:i]
    return text
