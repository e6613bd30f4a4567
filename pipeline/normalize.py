"""Normalize: raw sheets → tables of one kind with canonical columns; masters → typed frames.

Pure functions only.  The cell parsers (years, numbers, keys, free text) are the
contract's and live in schemas/cells.py, shared with the pandera schemas.

Quirks handled here: title rows and blank rows above the header, header aliases and
full-width headers, extra columns, values under no header, empty sheets.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from schemas.cells import (
    cell_text, free_text, heading_key, is_blank, key, parse_order, strip_parenthetical,
)

from .errors import Problem, column_letter as _column_letter

# --- tables: header search and canonical columns -----------------------------

HEADER_SEARCH_ROWS = 10
TABLE_LABELS = {"取組": "取組表", "KPI実績": "KPI実績表", "projects": "プロジェクトのマスタ",
                "measures": "施策のマスタ", "kpis": "KPIのマスタ", "settings": "設定のマスタ",
                "targets": "目標のマスタ", "grades": "評価のマスタ"}
SOURCE_COLUMNS = ("source_file", "source_sheet", "sheet_index", "source_row")


@dataclass(frozen=True)
class Table:
    """A sheet recognised as one table kind.

    `records` are its data rows as lists in the order of `columns`: the canonical
    column names (missing optional columns as blanks) with the raw cells, then the
    provenance columns SOURCE_COLUMNS; `frame` is them as a DataFrame (see
    `table_frame`); `headers` maps a canonical name to the header as the submitter
    wrote it (for messages), `positions` to its column position (0 = A, for cell
    addresses).  Keeping rows as lists lets build make one DataFrame per table kind
    instead of one per sheet (DataFrame construction dominates here).
    """

    file: str
    sheet: str
    kind: str
    header_row: int
    headers: dict
    columns: tuple
    records: tuple
    positions: dict = dataclasses.field(default_factory=dict)

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
    columns without a header (warned), a sheet with nothing in it (warned), a header
    without data rows (warned), a column named twice (KPI and 指標名: an error, since
    which of the two holds the values is a guess).
    Returns (Table | None, [Problem]).
    """
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
    header_cells = rows[numbers.index(header_row)]
    names = {column: cell_text(header_cells[pos]).strip() for column, pos in positions.items()}
    data = [(n, row) for n, row, b in zip(numbers, rows, blank) if n > header_row and not b]
    problems = _header_problems(sheet, header_row, header_cells, positions, header_aliases(headers, kind))
    if not data:
        problems.append(Problem(sheet.file, sheet.sheet, 0, "", "データの行がありません（見出しの行だけの表です）",
                                "warning"))
    used = set(positions.values())
    for pos, cell in enumerate(header_cells):
        if pos in used or not is_blank(cell):
            continue
        filled = [n for n, row in data if not is_blank(row[pos])]
        if filled:
            problems.append(Problem(sheet.file, sheet.sheet, filled[0], "",
                                    f"{_column_letter(pos)}列に見出しがないため、この列の値は使われません", "warning",
                                    pos))
    columns = list(headers.loc[headers["table"] == kind, "column"])
    records = [
        [("" if is_blank(row[positions[c]]) else row[positions[c]]) if c in positions else "" for c in columns]
        + [sheet.file, sheet.sheet, sheet.sheet_index, n]
        for n, row in data
    ]
    return Table(sheet.file, sheet.sheet, kind, header_row, names, (*columns, *SOURCE_COLUMNS),
                 tuple(records), dict(positions)), problems


def _header_problems(sheet, header_row: int, cells: list, positions: dict, aliases: dict) -> list:
    """Header cells not used: a second header of a used column is an error (which one holds the
    values?), any other named header a warning (extra column, not used)."""
    problems = []
    used = set(positions.values())
    for pos, cell in enumerate(cells):
        if pos in used or is_blank(cell):
            continue
        written = cell_text(cell).strip()
        column = aliases.get(re.sub(r"\s+", "", key(cell)).upper())
        if column is not None:
            first = positions[column]
            message = (f"{_column_letter(first)}列「{cell_text(cells[first]).strip()}」と同じ列（{column}）です。"
                       f"どちらの値を使うか決められないため、どちらか一方の列にしてください")
            problems.append(Problem(sheet.file, sheet.sheet, header_row, f"{_column_letter(pos)}列「{written}」",
                                    message, "error", pos))
        else:
            problems.append(Problem(sheet.file, sheet.sheet, header_row, written,
                                    "この列は使われません（列名を確認してください）", "warning", pos))
    return problems


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
    """kpis.csv rows → typed KPI master (pipeline/kpi_master.py, with the other KPI masters)."""
    from .kpi_master import parse_kpis as parse  # kpi_master builds on this module's lookups
    return parse(frame, ref)


def parse_settings(frame: pd.DataFrame, ref) -> pd.DataFrame:
    """settings.csv rows → item (as in the reference), name, value (+ provenance); unknown items dropped."""
    names = {key(i): (i, n) for i, n in zip(ref.settings["item"], ref.settings["name"])}
    known = frame.loc[frame["項目"].map(lambda v: key(v) in names).astype(bool)]
    return pd.DataFrame({
        "item": known["項目"].map(lambda v: names[key(v)][0]),
        "name": known["項目"].map(lambda v: names[key(v)][1]),
        "value": known["値"].map(lambda v: cell_text(v).strip()),
        **{c: known[c] for c in SOURCE_COLUMNS},
    })


def settings_of(parsed: pd.DataFrame, ref) -> dict:
    """{name: value} of every setting: as given (a choice in its canonical spelling), or its
    default when missing or blank."""
    given = {n: v for n, v in zip(parsed["name"], parsed["value"]) if v}
    choices = {n: {key(c): c for c in ref.setting_choices.get(i, ())} for i, n in zip(ref.settings["item"],
                                                                                      ref.settings["name"])}
    return {n: choices[n].get(key(given[n]), given[n]) if n in given else d
            for n, d in zip(ref.settings["name"], ref.settings["default"])}


# --- lookups shared by validate and tidy ---------------------------------------

def id_lookup(ids: pd.Series, names: pd.Series) -> dict:
    """{key: id} by the ID itself and by the exact name (NFKC key); an ID wins over a name.

    Used for projects (プロジェクトID / プロジェクト名) and KPIs (KPI_ID / 指標名); the first
    row wins when two rows share a name (the duplicate is reported by validate).
    """
    lookup = {}
    for identifier, name in zip(ids, names):
        if identifier:
            lookup.setdefault(key(name), identifier)
            lookup[identifier] = identifier
    return lookup


def project_lookup(projects: pd.DataFrame) -> dict:
    """{key: project_id} by プロジェクトID and by exact プロジェクト名 (NFKC)."""
    return id_lookup(projects["project_id"], projects["project"])


def kpi_lookup(kpis: pd.DataFrame) -> dict:
    """{key: kpi_id} by KPI_ID and by exact 指標名 (NFKC)."""
    return id_lookup(kpis["kpi_id"], kpis["indicator"])


def measure_lookup(measures: pd.DataFrame) -> dict:
    """{(project_id, heading key): (canonical 施策名, alias used or "")} incl. 別名."""
    lookup = {}
    for pid, measure, aliases in zip(measures["project_id"], measures["measure"], measures["aliases"]):
        lookup[(pid, heading_key(measure))] = (measure, "")
        for alias in aliases:
            lookup.setdefault((pid, heading_key(alias)), (measure, alias))
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


def area_styles(ref) -> dict:
    """{NFKC key of an accepted 地域: its house style}, the form the seed prints and the template offers.

    A 振興局 in any accepted spelling (宗谷, 宗谷総合振興局, 宗谷振興局, 宗谷地域) → 宗谷; a
    連携地域 (連携地域, 道北, 道北連携地域) → 連携地域.  What is not here is printed as written.
    """
    region_word = next(iter(ref.values["連携地域語"]))
    styles = {key(w): region_word for w in ref.values["連携地域語"]}
    for region, name, bureaus in zip(ref.regions["region"], ref.regions["name"], ref.regions["bureaus"]):
        styles[key(region)] = styles[key(name)] = region_word
        for bureau in bureaus:
            styles[key(bureau)] = bureau
            styles.update((key(bureau + suffix), bureau) for suffix in ref.values["地域接尾辞"])
    return styles


def bureau_of(value: object, ref) -> str | None:
    """The 振興局 (short form, 宗谷) of 宗谷 / 宗谷総合振興局 / 宗谷地域, else None."""
    bureaus = {b for row in ref.regions["bureaus"] for b in row}
    style = area_styles(ref).get(key(value))
    return style if style in bureaus else None


def region_of_bureau(bureau: str | None, ref) -> str | None:
    """The 連携地域 (short form) a 振興局 belongs to, else None."""
    for region, bureaus in zip(ref.regions["region"], ref.regions["bureaus"]):
        if bureau in bureaus:
            return region
    return None


def listed(value: object) -> tuple:
    """`a; b；c` → ("a", "b", "c"): a `;`-separated list cell (full-width ；too), blanks dropped."""
    return tuple(part.strip() for part in key(value).split(";") if part.strip())


def parse_submitters(frame: pd.DataFrame, ref) -> pd.DataFrame:
    """submitters.csv rows → name, kind, bureau, region, projects, kpis (+ provenance).

    bureau is the short 振興局 (None when blank or unknown); region the 連携地域 as written
    (short form) or else the bureau's (None = every 連携地域, as for 本庁); projects and
    kpis are the entries as written (tuples; empty = the default, see docs/入力仕様.md).
    """
    bureaus = [bureau_of(v, ref) for v in frame["振興局"]]
    regions = [region_of(r, ref.regions) if key(r) else region_of_bureau(b, ref)
               for r, b in zip(frame["連携地域"], bureaus)]
    return pd.DataFrame({
        "name": frame["提出団体"].map(lambda v: cell_text(v).strip()),
        "kind": frame["種類"].map(key),
        "bureau": pd.Series(bureaus, index=frame.index, dtype=object),
        "region": pd.Series(regions, index=frame.index, dtype=object),
        "projects": frame["プロジェクト"].map(listed),
        "kpis": frame["KPI"].map(listed),
        "_bureau": frame["振興局"], "_region": frame["連携地域"],  # as written, for messages
        **{c: frame[c] for c in SOURCE_COLUMNS},
    })
