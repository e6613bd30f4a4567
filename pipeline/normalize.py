"""Normalize raw cells: keys, years, numbers, flags and free text.

Pure functions only.  Each parser returns a value or raises `ValueError`
carrying the reason; the schemas in `schemas/` and the tidy stage call the same
parsers, so what validates is exactly what gets converted.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

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
    return is_missing(value) or (isinstance(value, str) and value == "")


def is_blank(value: object) -> bool:
    """True for a missing value and for strings that are empty after trimming (incl. full-width spaces)."""
    return is_missing(value) or (isinstance(value, str) and value.strip() == "")


def cell_text(value: object) -> str:
    """A cell as the text a person sees: numeric cells lose a `.0` (Excel stores 5949 as 5949.0)."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


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

    Numeric cells must be a plausible western year (FIRST_YEAR–LAST_YEAR): a bare 31
    is ambiguous.  Years before the oldest era in eras.ERAS are rejected, since every
    year must have a short label (H26, R元 …).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and FIRST_YEAR <= value <= LAST_YEAR:
            return int(value)
        raise ValueError("year")
    text = re.sub(r"\s+", "", key(value))
    m = _YEAR_WESTERN.match(text)
    if m and FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        return int(m.group(1))
    m = _YEAR_ERA.match(text)
    if m:
        n = 1 if m.group(2) == "元" else int(m.group(2))
        year = to_western(m.group(1), n) if n >= 1 else None
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


def parse_number(value: object, missing_marks: frozenset = frozenset()) -> Number:
    """5949, 5,949, ５，９４９, 5,949人, △12 / ▲12 (= −12), 12.5; blank/－/-/―/未確定 → missing.

    `missing_marks` are the NFKC keys that mean "not known yet" (reference data,
    schemas/reference/values.csv). Raises ValueError for anything else (text,
    1,23 with a misplaced comma, 12人3).
    """
    if is_blank(value):
        return Number(None)
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError("number")
    if isinstance(value, (int, float)):
        return Number(float(value))
    text = key(value)
    if text == "" or text.upper() in missing_marks:
        return Number(None)
    text = text.replace("−", "-")
    if text[0] in "△▲":
        text = "-" + text[1:].lstrip()
    m = _NUMBER.match(text)
    if not m:
        raise ValueError("number")
    sign, digits, decimals, unit = m.groups()
    number = float(digits.replace(",", "") + (decimals or ""))
    if unit and re.search(r"[\d.,+\-]", unit):
        raise ValueError("number")  # 12人3, 5., 12-: not a number followed by a unit
    return Number(-number if sign == "-" else number, unit.strip())


def is_number(value: object, missing_marks: frozenset = frozenset()) -> bool:
    """True when `parse_number` accepts the value (missing marks included)."""
    try:
        parse_number(value, missing_marks)
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


# --- tables: header search and canonical columns -----------------------------

HEADER_SEARCH_ROWS = 10
TABLE_LABELS = {"取組": "取組表", "KPI実績": "KPI実績表", "projects": "プロジェクトのマスタ",
                "measures": "施策のマスタ", "kpis": "KPIのマスタ"}
SOURCE_COLUMNS = ("source_file", "source_sheet", "sheet_index", "source_row")


@dataclass(frozen=True)
class Table:
    """A sheet recognised as one table kind.

    `records` are its data rows as lists in the order of `columns`: the canonical
    column names (missing optional columns as blanks) with the raw cells, then the
    provenance columns SOURCE_COLUMNS; `frame` is them as a DataFrame (see
    `table_frame`); `headers` maps a canonical name to the header as the submitter
    wrote it (for messages).  Keeping rows as lists lets build make one DataFrame per
    table kind instead of one per sheet (DataFrame construction dominates here).
    """

    file: str
    sheet: str
    kind: str
    header_row: int
    headers: dict
    columns: tuple
    records: tuple

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        return table_frame(self.columns, self.records)


def table_frame(columns: Sequence[str], records: Sequence[list]) -> pd.DataFrame:
    """Rows of one table kind as a frame: raw cells as object, provenance typed (str, int64)."""
    frame = pd.DataFrame(list(records), columns=list(columns), dtype=object)
    return frame.astype({"source_file": str, "source_sheet": str, "sheet_index": "int64", "source_row": "int64"})


def header_aliases(headers: pd.DataFrame, kind: str) -> dict:
    """{NFKC key of a header or alias: canonical column} for one table kind."""
    rows = headers[headers["table"] == kind]
    out = {}
    for column, aliases in zip(rows["column"], rows["aliases"]):
        for name in (column, *aliases):
            out[key(name).upper()] = column
    return out


def match_header(cells: list, aliases: dict) -> dict:
    """{canonical column: position} for the cells of one row that are headers of a kind."""
    found: dict = {}
    for position, cell in enumerate(cells):
        column = aliases.get(re.sub(r"\s+", "", key(cell)).upper())
        if column is not None and column not in found:
            found[column] = position
    return found


_SPECS: dict = {}


def _kind_headers(headers: pd.DataFrame, kinds: tuple) -> list:
    """[(kind, required canonical columns, alias map)] for the kinds searched.

    Memoised per headers frame (the reference data is read once per run and
    never changes), since recognise runs for every sheet.
    """
    cached = _SPECS.get((id(headers), kinds))
    if cached is None or cached[0] is not headers:
        specs = [(kind, set(headers.loc[(headers["table"] == kind) & headers["required"], "column"]),
                  header_aliases(headers, kind)) for kind in kinds]
        cached = _SPECS[(id(headers), kinds)] = (headers, specs)
    return cached[1]


def find_header(cells: pd.DataFrame, headers: pd.DataFrame, kinds: tuple) -> tuple | None:
    """First row within HEADER_SEARCH_ROWS holding all required headers of a kind.

    Returns (kind, row number, {canonical: position}) or None.  Title rows and
    blank rows above the header are thereby ignored.
    """
    searched = _kind_headers(headers, kinds)
    top = cells.head(HEADER_SEARCH_ROWS)
    for row_number, values in zip(top.index, top.to_numpy(dtype=object).tolist()):
        for kind, required, aliases in searched:
            found = match_header(values, aliases)
            if required <= set(found):
                return kind, int(row_number), found
    return None


def _blank_row(row: list) -> bool:
    return all(is_blank(v) for v in row)


def blank_rows(cells: pd.DataFrame) -> pd.Series:
    """Boolean per row: every cell blank (None, NaN, spaces)."""
    rows = cells.to_numpy(dtype=object).tolist()
    return pd.Series([_blank_row(row) for row in rows], index=cells.index, dtype=bool)


def recognise(sheet, headers: pd.DataFrame, kinds: tuple) -> tuple:
    """Turn a RawSheet into a Table of one of `kinds`, with the problems met on the way.

    Quirks handled: title rows above the header, blank rows anywhere, header
    aliases and full-width headers, extra columns (warned, not used), values in
    columns without a header (warned), a sheet with nothing in it (warned).
    Returns (Table | None, [Problem]).
    """
    from .errors import Problem

    rows = sheet.cells.to_numpy(dtype=object).tolist()
    numbers = [int(n) for n in sheet.cells.index]
    blank = [_blank_row(row) for row in rows]
    if all(blank):
        return None, [Problem(sheet.file, sheet.sheet, 0, "", "空の表です（読み飛ばします）", "warning")]
    found = find_header(sheet.cells, headers, kinds)
    if found is None:
        expected = "または".join(
            f"{TABLE_LABELS.get(kind, kind)}（{'、'.join(headers.loc[(headers['table'] == kind) & headers['required'], 'column'])}）"
            for kind in kinds
        )
        message = f"見出し行が見つかりません（最初の{HEADER_SEARCH_ROWS}行に {expected} の見出しが必要です）"
        return None, [Problem(sheet.file, sheet.sheet, 0, "", message)]
    kind, header_row, positions = found
    problems = []
    header_cells = rows[numbers.index(header_row)]
    names = {column: cell_text(header_cells[pos]).strip() for column, pos in positions.items()}
    data = [(n, row) for n, row, b in zip(numbers, rows, blank) if n > header_row and not b]
    used = set(positions.values())
    for pos, cell in enumerate(header_cells):
        if pos in used:
            continue
        if not is_blank(cell):
            problems.append(Problem(sheet.file, sheet.sheet, header_row, cell_text(cell).strip(),
                                    "この列は使われません（列名を確認してください）", "warning"))
            continue
        filled = [n for n, row in data if not is_blank(row[pos])]
        if filled:
            problems.append(Problem(sheet.file, sheet.sheet, filled[0], "",
                                    f"{_column_letter(pos)}列に見出しがないため、この列の値は使われません", "warning"))
    columns = list(headers.loc[headers["table"] == kind, "column"])
    records = [
        [("" if is_blank(row[positions[c]]) else row[positions[c]]) if c in positions else "" for c in columns]
        + [sheet.file, sheet.sheet, sheet.sheet_index, n]
        for n, row in data
    ]
    return Table(sheet.file, sheet.sheet, kind, header_row, names, (*columns, *SOURCE_COLUMNS),
                 tuple(records)), problems


def _column_letter(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA (Excel column letters for messages)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- masters: raw master tables → typed frames (tolerant: bad cells → None) ----

def _try(parser, value, default=None):
    try:
        return parser(value)
    except ValueError:
        return default


def region_of(value: object, regions: pd.DataFrame) -> str | None:
    """連携地域 short name for `道北` or `道北連携地域` (NFKC), else None."""
    k = key(value)
    for region, name in zip(regions["region"], regions["name"]):
        if k in (key(region), key(name)):
            return region
    return None


def parse_projects(frame: pd.DataFrame, ref) -> pd.DataFrame:
    """projects.csv rows → project_id, region, project, purpose, order (+ provenance).

    purpose (概要・目的) is free text: kept as written, line breaks included.
    """
    return pd.DataFrame({
        "project_id": frame["プロジェクトID"].map(key),
        "region": frame["連携地域"].map(lambda v: region_of(v, ref.regions)),
        "project": frame["プロジェクト名"].map(lambda v: cell_text(v).strip()),
        "purpose": frame["概要・目的"].map(lambda v: cell_text(v).replace("\r\n", "\n").strip()),
        "order": frame["表示順"].map(lambda v: _try(parse_order, v)).astype("Int64"),
        **{c: frame[c] for c in SOURCE_COLUMNS},
    })


def parse_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """measures.csv rows → project_id, measure, order, aliases (tuple; `;`-separated in the file)."""
    return pd.DataFrame({
        "project_id": frame["プロジェクトID"].map(key),
        "measure": frame["施策名"].map(free_text),
        "order": frame["表示順"].map(lambda v: _try(parse_order, v)).astype("Int64"),
        "aliases": frame["別名"].map(lambda v: tuple(a.strip() for a in cell_text(v).split(";") if a.strip())),
        **{c: frame[c] for c in SOURCE_COLUMNS},
    })


def parse_kpis(frame: pd.DataFrame, ref) -> pd.DataFrame:
    """kpis.csv rows → typed KPI master; blank 方向 = 増加, blank 算定方法 = 達成率."""
    missing = frozenset(ref.values["未確定"])
    number = lambda v: _try(lambda x: parse_number(x, missing).value, v)  # noqa: E731
    return pd.DataFrame({
        "kpi_id": frame["KPI_ID"].map(key),
        "project_id": frame["プロジェクトID"].map(key),
        "indicator": frame["指標名"].map(lambda v: cell_text(v).strip()),
        "unit": frame["単位"].map(key),
        "base_year": frame["基準年度"].map(lambda v: _try(parse_year, v)).astype("Int64"),
        "base_value": frame["基準値"].map(number).astype(float),
        "target_year": frame["目標年度"].map(lambda v: _try(parse_year, v)).astype("Int64"),
        "target_value": frame["目標値"].map(number).astype(float),
        "direction": frame["方向"].map(lambda v: key(v) or "増加"),
        "method": frame["算定方法"].map(lambda v: key(v) or "達成率"),
        **{c: frame[c] for c in SOURCE_COLUMNS},
    })


# --- lookups shared by validate and tidy ---------------------------------------

def project_lookup(projects: pd.DataFrame) -> dict:
    """{key: project_id} by プロジェクトID and by exact プロジェクト名 (NFKC)."""
    lookup = {}
    for pid, name in zip(projects["project_id"], projects["project"]):
        if pid:
            lookup.setdefault(key(name), pid)
            lookup[pid] = pid
    return lookup


def measure_lookup(measures: pd.DataFrame) -> dict:
    """{(project_id, heading key): (canonical 施策名, alias used or "")} incl. 別名."""
    lookup = {}
    for pid, measure, aliases in zip(measures["project_id"], measures["measure"], measures["aliases"]):
        lookup[(pid, heading_key(measure))] = (measure, "")
        for alias in aliases:
            lookup.setdefault((pid, heading_key(alias)), (measure, alias))
    return lookup


def kpi_lookup(kpis: pd.DataFrame) -> dict:
    """{key: kpi_id} by KPI_ID and by exact 指標名 (NFKC)."""
    lookup = {}
    for kid, name in zip(kpis["kpi_id"], kpis["indicator"]):
        if kid:
            lookup.setdefault(key(name), kid)
            lookup[kid] = kid
    return lookup


def area_names(region: str, ref) -> set:
    """Accepted 地域 keys for a 連携地域: its 振興局 (宗谷, 宗谷総合振興局, 宗谷地域 …), 連携地域, its name."""
    row = ref.regions[ref.regions["region"] == region]
    if row.empty:
        return set()
    names = {key(w) for w in ref.values["連携地域語"]} | {key(region), key(row["name"].iloc[0])}
    for bureau in row["bureaus"].iloc[0]:
        names.add(key(bureau))
        names.update(key(bureau + suffix) for suffix in ref.values["地域接尾辞"])
    return names


def section_of(value: object, ref) -> str | None:
    """Canonical 区分 of 実績 / 今年度 / the seed's long titles (with their (年度) tails), else None."""
    return ref.sections.get(strip_parenthetical(key(value)))
