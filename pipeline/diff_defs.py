"""Diff of the definitions (projects, measures, KPIs), compared field by field by key,
and measure renames seen through the new master's 別名.

Pure functions on the tidy frames read back from two workbooks (pipeline/model.py).
A measure renamed with its old name kept as 別名 in the new master is one change
(施策名: old → new), not a removal and an addition; `heading_renames` gives the same
mapping to pipeline/diff.py so that the items under the old heading pair with those
under the new one.
"""
from __future__ import annotations

import pandas as pd

from schemas.cells import heading_key, is_missing
from schemas.eras import short_label

from .diff_rules import ACTIONS

PROJECT_FIELDS = {"region": "連携地域", "project": "プロジェクト名", "purpose": "概要・目的",
                  "order": "表示順"}
MEASURE_FIELDS = {"measure": "施策名", "order": "表示順", "aliases": "別名"}
KPI_FIELDS = {"indicator": "指標名", "unit": "単位", "base_year": "基準年度", "base_value": "基準値",
              "target_year": "目標年度", "target_value": "目標値", "direction": "方向",
              "method": "算定方法", "target_text": "目標値（文）", "targets": "中間・年度の目標"}
YEAR_FIELDS = ("base_year", "target_year")
WHOLE_PROJECT = "（プロジェクト）"
WHOLE_MEASURE = "（施策）"
WHOLE_KPI = "（KPI）"
FIELD_COLUMNS = ("action", "key", "project_id", "name", "field", "old", "new")


def same(a: object, b: object) -> bool:
    """Equality where two missing values are equal and 5949 == 5949.0."""
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def _field_text(field: str, value: object) -> object:
    """Values as an auditor reads them: years as H26 (2014), 別名 joined by ；."""
    if is_missing(value):
        return ""
    if field in YEAR_FIELDS:
        return f"{short_label(int(value))}（{int(value)}）"
    if isinstance(value, tuple):
        return "；".join(value)
    return value


def field_changes(old: pd.DataFrame, new: pd.DataFrame, key: tuple[str, ...], fields: dict[str, str],
                  *, name: str, whole: str) -> pd.DataFrame:
    """Keyed records added, removed, or changed field by field (FIELD_COLUMNS).

    `name` is the column shown to identify the record; the order follows `new`, then
    what only `old` had.
    """
    def keyed(frame):
        return {tuple(str(r[k]) for k in key): r for r in frame.to_dict("records")}

    before, after = keyed(old), keyed(new)
    order = list(after) + [k for k in before if k not in after]
    rows = []
    for k in order:
        o, n = before.get(k), after.get(k)
        ref = n if n is not None else o
        base = {"key": k[-1], "project_id": str(ref.get("project_id", "")), "name": ref[name]}
        if o is None:
            rows.append({**base, "action": ACTIONS["added"], "field": whole, "old": "", "new": ref[name]})
        elif n is None:
            rows.append({**base, "action": ACTIONS["removed"], "field": whole, "old": ref[name], "new": ""})
        else:
            for field, label in fields.items():
                if not same(o.get(field), n.get(field)):
                    rows.append({**base, "action": ACTIONS["changed"], "field": label,
                                 "old": _field_text(field, o.get(field)),
                                 "new": _field_text(field, n.get(field))})
    return pd.DataFrame(rows, columns=list(FIELD_COLUMNS))


# --- measure renames -------------------------------------------------------------------

def heading_renames(new_measures: pd.DataFrame) -> dict[tuple[str, str], str]:
    """{(プロジェクトID, heading key of an alias): the new 施策名} from the new master: a heading
    written under a 別名 that is not itself a 施策名 of the project (keys as tidy matches them)."""
    names = {(str(p), heading_key(m)) for p, m in zip(new_measures["project_id"], new_measures["measure"])}
    renames: dict[tuple[str, str], str] = {}
    for pid, measure, aliases in zip(new_measures["project_id"], new_measures["measure"], new_measures["aliases"]):
        for alias in aliases if isinstance(aliases, tuple) else ():
            k = (str(pid), heading_key(alias))
            if k not in names:
                renames.setdefault(k, str(measure))
    return renames


def renamed_heading(renames: dict[tuple[str, str], str], project_id: object, heading: object) -> str:
    """The heading as the new master names it: an old 施策名 kept as 別名 → the new 施策名."""
    return renames.get((str(project_id), heading_key(heading)), str(heading))


def measure_changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Measures added, removed, changed (FIELD_COLUMNS) with renames seen through 別名.

    An old 施策名 that the new master lists as a 別名 of another 施策名 (and no longer as a
    施策名) is that measure renamed: one row 施策名 old → new; keeping the old name as 別名
    is part of the rename, not a change of 別名.
    """
    renames = heading_renames(new)
    old_names = {(str(p), heading_key(m)) for p, m in zip(old["project_id"], old["measure"])}
    keys = [renamed_heading(renames, p, m) for p, m in zip(old["project_id"], old["measure"])]
    # a rename onto a name the old master already had is two measures merged: not a rename
    keys = [k if k == m or (str(p), heading_key(k)) not in old_names else m
            for k, p, m in zip(keys, old["project_id"], old["measure"])]
    renamed = {(str(p), k): m for k, p, m in zip(keys, old["project_id"], old["measure"]) if k != m}
    aliases = [tuple(a for a in al if a != renamed.get((str(p), m))) if isinstance(al, tuple) else al
               for p, m, al in zip(new["project_id"], new["measure"], new["aliases"])]
    return field_changes(old.assign(_key=keys), new.assign(_key=list(new["measure"]), aliases=aliases),
                         ("project_id", "_key"), MEASURE_FIELDS, name="measure", whole=WHOLE_MEASURE)
