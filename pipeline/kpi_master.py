"""The KPI masters typed: master/kpis.csv, master/targets.csv (interim, yearly, final
targets) and master/grades.csv (the 評価 scale), and the 算定方法 table as the stages use it.

Pure functions, tolerant like normalize's master parsers: a cell that cannot be read
becomes None (validate and kpi_checks report it).
"""
from __future__ import annotations

import pandas as pd

from schemas.cells import cell_text, key, parse_number, parse_year
from schemas.grades import parse_bound
from schemas.kpis import method_names
from schemas.targets import Target, kind_of, target_of
from schemas.vocab import DEFAULT_DIRECTION, DEFAULT_METHOD

from .normalize import SOURCE_COLUMNS, kpi_lookup


def _try(parser, value, default=None):
    try:
        return parser(value)
    except ValueError:
        return default


def formulas(ref) -> dict:
    """{算定方法: formula key} (methods.csv), what progress and status compute with."""
    if ref.methods is None:
        return {}
    return dict(zip(ref.methods["name"], ref.methods["formula"]))


def parse_kpis(frame: pd.DataFrame, ref) -> pd.DataFrame:
    """kpis.csv rows → typed KPI master; a 算定方法 alias → its name (blank = 達成率).

    基準値 / 目標値 may carry the row's 単位 (945千m3), which is taken off before reading.
    方向: as written, else the method's (methods.csv: 進捗割合型Ⅱ → 減少), else that of a
    目標値 with 以上/以下, else 増加.  A 目標値 that is not a number → NaN and `target_text`.
    """
    missing = frozenset(ref.values["未確定"])
    methods = method_names(ref)
    implied = dict(zip(ref.methods["name"], ref.methods["direction"])) if ref.methods is not None else {}
    method = frame["算定方法"].map(lambda v: methods.get(key(v).upper(), key(v)) or DEFAULT_METHOD)
    targets = [_try(lambda x: target_of(x, ref, unit=cell_text(u)), v, Target(None))
               for v, u in zip(frame["目標値"], frame["単位"])]

    def values(column: str) -> pd.Series:
        return pd.Series([_try(lambda x: parse_number(x, missing, unit=cell_text(u)).value, v)
                          for v, u in zip(frame[column], frame["単位"])], index=frame.index, dtype=float)

    return pd.DataFrame({
        "kpi_id": frame["KPI_ID"].map(key),
        "project_id": frame["プロジェクトID"].map(key),
        "indicator": frame["指標名"].map(lambda v: cell_text(v).strip()),
        "unit": frame["単位"].map(key),
        "base_year": frame["基準年度"].map(lambda v: _try(parse_year, v)).astype("Int64"),
        "base_value": values("基準値"),
        "target_year": frame["目標年度"].map(lambda v: _try(parse_year, v)).astype("Int64"),
        "target_value": pd.Series([t.value for t in targets], index=frame.index, dtype=float),
        "direction": [key(d) or implied.get(m) or t.direction or DEFAULT_DIRECTION
                      for d, m, t in zip(frame["方向"], method, targets)],
        "method": method,
        "target_text": pd.Series([t.text for t in targets], index=frame.index, dtype=object),
        **{c: frame[c] for c in SOURCE_COLUMNS},
    })


def parse_targets(frame: pd.DataFrame, kpis: pd.DataFrame, ref) -> pd.DataFrame:
    """targets.csv rows → kpi_id (None when unknown), year, value (NaN when unreadable),
    direction (of 以上/以下, or ""), kind (interim | yearly | target, "" when unknown),
    written (目標値 as written) + provenance; the value is read with the KPI's unit."""
    find = kpi_lookup(kpis)
    units = dict(zip(kpis["kpi_id"], kpis["unit"]))
    ids = [find.get(key(v)) for v in frame["KPI_ID"]]
    targets = [_try(lambda x: target_of(x, ref, unit=units.get(kid)), v, Target(None))
               for kid, v in zip(ids, frame["目標値"])]
    return pd.DataFrame({
        "kpi_id": pd.Series(ids, index=frame.index, dtype=object),
        "year": frame["年度"].map(lambda v: _try(parse_year, v)).astype("Int64"),
        "value": pd.Series([t.value for t in targets], index=frame.index, dtype=float),
        "direction": pd.Series([t.direction for t in targets], index=frame.index, dtype=object),
        "kind": frame["種別"].map(lambda v: kind_of(v, ref)),
        "written": frame["目標値"].map(lambda v: cell_text(v).strip()),
        **{c: frame[c] for c in SOURCE_COLUMNS},
    })


def grade_scale(frame: pd.DataFrame | None) -> tuple:
    """grades.csv rows → ((評価, lower bound as a ratio or None), …) in file order."""
    if frame is None or not len(frame):
        return ()
    return tuple((cell_text(g).strip(), _try(parse_bound, b)) for g, b in zip(frame["評価"], frame["進捗率の下限"]))
