"""Diff: last year's workbook and this year's, compared by key (never by cell position).

Pure functions from two Snapshots (pipeline/model.py, read back by load.read_workbook)
to a Diff of frames, one per kind of change.  Nothing here reads or writes files;
pipeline/diff_workbook.py writes the Diff as 差分_<OLD>_<NEW>.xlsx and cli.py prints
`summary_lines`.

Keys: a project by プロジェクトID, a measure by (プロジェクトID, 施策名), a KPI by KPI_ID, an
actual by (KPI_ID, 年).  Initiatives have no ID, so they are paired in passes, each
taking only what earlier passes left:
1. the same sentence with the same tags in the same place (project, 区分, heading):
   unchanged;
   — but first, when NEW is a later year, the yearly cycle (CYCLE): last year's 次年度
   item that is this year's 今年度 item under the same heading is carried over (繰越),
   last year's 今年度 item that is this year's 実績 is done (実施).  The cycle goes
   first because the seed lists some sentences under both 今年度 and 次年度: the
   次年度 copy is the one that moves on;
2. the same, with other tags (地域, 実施主体, 再掲), then with a similar sentence
   (difflib ratio ≥ SIMILARITY_MIN, best pairs first): carried over / done, edited;
3. the same sentence in the same place with other tags: edited;
4. a similar sentence in the same place: edited;
5. what is left: removed (old) and added (new).
Display order (順序) and sources (file, row) are not content: moving a row or a file
is not a change.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from .errors import place
from schemas.eras import short_label
from .model import Snapshot
from .similar import best_pairs
from schemas.cells import is_missing

# --- rules and labels (data) -----------------------------------------------------------

SIMILARITY_MIN = 0.8                # difflib ratio from which two sentences are one edited sentence
# The yearly cycle: last year's section → this year's section, and the change kind.
CYCLE = {"次年度": ("今年度", "carried"), "今年度": ("実績", "done")}
ACTIONS = {"added": "+++", "removed": "---", "changed": "->", "carried": "->", "done": "->"}  # daff
CHANGE_LABELS = {"added": "追加", "removed": "削除", "changed": "修正", "carried": "繰越", "done": "実施"}
TAG_FIELDS = ("area", "actors", "relisted")

PROJECT_FIELDS = {"region": "連携地域", "project": "プロジェクト名", "purpose": "概要・目的",
                  "order": "表示順"}
MEASURE_FIELDS = {"order": "表示順", "aliases": "別名"}
KPI_FIELDS = {"indicator": "指標名", "unit": "単位", "base_year": "基準年度", "base_value": "基準値",
              "target_year": "目標年度", "target_value": "目標値", "direction": "方向",
              "method": "算定方法"}
YEAR_FIELDS = ("base_year", "target_year")
MARKS = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}  # as wdiff / git diff --word-diff
WHOLE_PROJECT = "（プロジェクト）"
WHOLE_MEASURE = "（施策）"
WHOLE_KPI = "（KPI）"

REVISION_COLUMNS = ("action", "kpi_id", "project_id", "indicator", "unit", "year", "year_label",
                    "old_value", "new_value", "delta", "old_source", "new_source")
ACTUAL_COLUMNS = ("action", "kpi_id", "project_id", "indicator", "unit", "year", "year_label",
                  "was_pending", "new_value", "progress", "new_source")
FIELD_COLUMNS = ("action", "key", "project_id", "name", "field", "old", "new")
INITIATIVE_DIFF_COLUMNS = (
    "action", "change", "project_id", "project",
    "old_section", "new_section", "old_heading", "new_heading", "old_text", "new_text",
    "old_area", "new_area", "old_actors", "new_actors", "old_relisted", "new_relisted",
    "similarity", "old_source", "new_source",
)


@dataclass(frozen=True)
class Diff:
    """What changed from `old` to `new`, one frame per kind, in report order.

    - revisions: past actuals whose value changed or vanished (REVISION_COLUMNS);
    - actuals: actuals new this year, or known now after being 未確定 (ACTUAL_COLUMNS);
    - kpis / projects / measures: definitions added, removed or changed, a row per field
      (FIELD_COLUMNS; field is WHOLE_* for an added or removed one);
    - initiatives: added, removed, edited and carried-over items (INITIATIVE_DIFF_COLUMNS);
    - unchanged: how many initiatives were found identical.
    """

    old_label: str
    new_label: str
    old_year: int
    new_year: int
    revisions: pd.DataFrame
    actuals: pd.DataFrame
    kpis: pd.DataFrame
    projects: pd.DataFrame
    measures: pd.DataFrame
    initiatives: pd.DataFrame
    unchanged: int

    @property
    def changed(self) -> bool:
        """True when anything at all differs (the CLI's exit code 1)."""
        return any(len(f) for f in (self.revisions, self.actuals, self.kpis, self.projects,
                                    self.measures, self.initiatives))


# --- small pure helpers --------------------------------------------------------------------

def _same(a: object, b: object) -> bool:
    """Equality where two missing values are equal and 5949 == 5949.0."""
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.to_dict("records") if len(frame) else []


def similarity(old: str, new: str) -> float:
    """difflib's ratio on characters (no junk heuristic: Japanese has no word breaks).

    Equal texts score 1.0 without matching them (what the ratio gives them anyway).
    """
    if old == new:
        return 1.0
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()


def char_changes(old: str, new: str) -> list[tuple[str, str]]:
    """The edit from `old` to `new` as segments (op, text), op ∈ equal | delete | insert.

    A replacement is a delete followed by an insert, so joining the equal+delete parts
    gives `old` back and the equal+insert parts give `new`.
    """
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", old[i1:i2]))
            continue
        if i2 > i1:
            segments.append(("delete", old[i1:i2]))
        if j2 > j1:
            segments.append(("insert", new[j1:j2]))
    return segments


def marked(old: str, new: str) -> str:
    """One-line old → new with the changed characters marked: 旭川[-市-]{+地域+}."""
    out = []
    for op, text in char_changes(old, new):
        out.append(MARKS[op][0] + text + MARKS[op][1])
    return "".join(out)


# --- KPI actuals -----------------------------------------------------------------------

def _actuals(kpi: pd.DataFrame) -> dict[tuple[str, int], dict]:
    frame = kpi[kpi["kind"] == "actual"]
    return {(str(r["kpi_id"]), int(r["year"])): r for r in _records(frame)}


def kpi_actual_changes(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(revisions, new actuals) between two tidy KPI frames.

    Quirks: an actual that was 未確定 (missing) last year and has a value now is a new
    actual, not a revision; one that had a value and is missing or gone now is a
    revision (new_value empty) — a figure an auditor has seen must never vanish quietly.
    """
    before, after = _actuals(old), _actuals(new)
    revisions, actuals = [], []
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], k[1])):
        o, n = before.get(key), after.get(key)
        ref = n if n is not None else o
        base = {"kpi_id": key[0], "project_id": ref["project_id"], "indicator": ref["indicator"],
                "unit": ref["unit"], "year": key[1], "year_label": short_label(key[1])}
        old_value = o["value"] if o is not None else float("nan")
        new_value = n["value"] if n is not None else float("nan")
        if o is not None and not is_missing(old_value):
            if n is not None and _same(old_value, new_value):
                continue
            delta = float("nan") if is_missing(new_value) else float(new_value) - float(old_value)
            revisions.append({**base, "action": ACTIONS["changed" if n is not None else "removed"],
                              "old_value": float(old_value), "new_value": float(new_value),
                              "delta": delta, "old_source": place(o),
                              "new_source": place(n) if n is not None else ""})
        elif n is not None and not (o is not None and is_missing(new_value)):
            actuals.append({**base, "action": ACTIONS["added"], "was_pending": o is not None,
                            "new_value": float(new_value), "progress": float(n["progress"]),
                            "new_source": place(n)})
        elif o is not None and n is None:
            revisions.append({**base, "action": ACTIONS["removed"], "old_value": float("nan"),
                              "new_value": float("nan"), "delta": float("nan"),
                              "old_source": place(o), "new_source": ""})
    return (pd.DataFrame(revisions, columns=list(REVISION_COLUMNS)),
            pd.DataFrame(actuals, columns=list(ACTUAL_COLUMNS)))


# --- definitions (projects, measures, KPIs) -----------------------------------------

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
        return {tuple(str(r[k]) for k in key): r for r in _records(frame)}

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
                if not _same(o.get(field), n.get(field)):
                    rows.append({**base, "action": ACTIONS["changed"], "field": label,
                                 "old": _field_text(field, o.get(field)),
                                 "new": _field_text(field, n.get(field))})
    return pd.DataFrame(rows, columns=list(FIELD_COLUMNS))


# --- initiatives -----------------------------------------------------------------------

def _item(record: dict, index: int) -> dict:
    return {**record, "_i": index, "_source": place(record)}


def _take_exact(olds: list[dict], news: list[dict], okey, nkey) -> list[tuple[dict, dict]]:
    """Pair items with equal keys, first come first served (duplicates pair one by one)."""
    waiting: dict = {}
    for o in olds:
        waiting.setdefault(okey(o), []).append(o)
    pairs = []
    for n in news:
        bucket = waiting.get(nkey(n))
        if bucket:
            pairs.append((bucket.pop(0), n))
    return pairs


def _take_similar(olds: list[dict], news: list[dict], okey, nkey) -> list[tuple[dict, dict, float]]:
    """Pair items in the same place whose texts are similar, best ratio first.

    The same pairs as scoring every pair of a place, without scoring them all
    (pipeline/similar.py: grouped by place, pairs prefiltered by a quick_ratio bound).
    """
    return best_pairs(olds, news, okey, nkey, similarity, SIMILARITY_MIN)


def _initiative_row(change: str, o: dict | None, n: dict | None, ratio: float) -> dict:
    ref = n if n is not None else o
    row = {"action": ACTIONS[change], "change": change, "project_id": ref["project_id"],
           "project": ref["project"], "similarity": ratio}
    for side, item in (("old", o), ("new", n)):
        for field in ("section", "heading", "text", *TAG_FIELDS):
            value = item[field] if item is not None else ("" if field != "relisted" else None)
            row[f"{side}_{field}"] = value
        row[f"{side}_source"] = item["_source"] if item is not None else ""
    return row


def initiative_changes(old: pd.DataFrame, new: pd.DataFrame, *, cycle: bool = True
                       ) -> tuple[pd.DataFrame, int]:
    """(changes, number unchanged) between two tidy initiative frames; see the module doc.

    `cycle` is False when both frames are of the same year (a rebuild): then nothing
    moves between sections.
    """
    olds = [_item(r, i) for i, r in enumerate(_records(old))]
    news = [_item(r, i) for i, r in enumerate(_records(new))]
    rows: list[tuple[tuple, dict]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    unchanged = 0

    def location(r):
        return (r["project_id"], r["section"], r["heading"])

    def moved(section, target):
        """Where last year's `section` item would stand this year (None: it does not move)."""
        return lambda r: (r["project_id"], target if r["section"] == section else None, r["heading"])

    def with_text(where, *, tagged: bool):
        return lambda r: (*where(r), r["text"], *(tuple(r[f] for f in TAG_FIELDS) if tagged else ()))

    def left(items, used):
        return [r for r in items if r["_i"] not in used]

    def mark(pairs, change=None):
        nonlocal unchanged
        for pair in pairs:
            o, n = pair[0], pair[1]
            ratio = pair[2] if len(pair) > 2 else similarity(o["text"], n["text"])
            used_old.add(o["_i"])
            used_new.add(n["_i"])
            if change is None:
                unchanged += 1
            else:
                rows.append(((n["_i"], 0, o["_i"]), _initiative_row(change, o, n, ratio)))

    def exact(okey, nkey, change=None):
        mark(_take_exact(left(olds, used_old), left(news, used_new), okey, nkey), change)

    def similar(okey, nkey, change):
        mark(_take_similar(left(olds, used_old), left(news, used_new), okey, nkey), change)

    moves = [(moved(section, target), change) for section, (target, change) in CYCLE.items()] if cycle else []
    for where, change in moves:
        exact(with_text(where, tagged=True), with_text(location, tagged=True), change)
    exact(with_text(location, tagged=True), with_text(location, tagged=True))
    for where, change in moves:
        exact(with_text(where, tagged=False), with_text(location, tagged=False), change)
        similar(where, location, change)
    exact(with_text(location, tagged=False), with_text(location, tagged=False), "changed")
    similar(location, location, "changed")
    for n in left(news, used_new):
        rows.append(((n["_i"], 0, -1), _initiative_row("added", None, n, float("nan"))))
    # What only last year had is listed after this year's rows, in last year's order.
    for o in left(olds, used_old):
        rows.append(((len(news) + o["_i"], 1, o["_i"]), _initiative_row("removed", o, None, float("nan"))))
    rows.sort(key=lambda r: r[0])
    frame = pd.DataFrame([r for _, r in rows], columns=list(INITIATIVE_DIFF_COLUMNS))
    return frame, unchanged


# --- the whole diff --------------------------------------------------------------------

def diff(old: Snapshot, new: Snapshot) -> Diff:
    """Compare two snapshots (last year's first); the inputs are not modified."""
    revisions, actuals = kpi_actual_changes(old.kpi, new.kpi)
    initiatives, unchanged = initiative_changes(old.initiatives, new.initiatives,
                                                cycle=new.fiscal_year > old.fiscal_year)
    return Diff(
        old_label=old.label, new_label=new.label, old_year=old.fiscal_year, new_year=new.fiscal_year,
        revisions=revisions, actuals=actuals,
        kpis=field_changes(old.kpis, new.kpis, ("kpi_id",), KPI_FIELDS, name="indicator", whole=WHOLE_KPI),
        projects=field_changes(old.projects, new.projects, ("project_id",), PROJECT_FIELDS,
                               name="project", whole=WHOLE_PROJECT),
        measures=field_changes(old.measures, new.measures, ("project_id", "measure"), MEASURE_FIELDS,
                               name="measure", whole=WHOLE_MEASURE),
        initiatives=initiatives, unchanged=unchanged,
    )
