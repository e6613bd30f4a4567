"""Diff: last year's workbook and this year's, compared by key (never by cell position).

Pure functions from two Snapshots (pipeline/model.py, read back by load.read_workbook)
to a Diff of frames, one per kind of change.  Nothing here reads or writes files;
pipeline/xlsx/diff_book.py writes the Diff as 差分_<OLD>_<NEW>.xlsx and cli.py prints
diff_render.summary_lines.

Keys: a project by プロジェクトID, a measure by (プロジェクトID, 施策名), a KPI by KPI_ID, an
actual by (KPI_ID, 年).  Initiatives have no ID: the passes declared in PASSES pair them,
each taking only what earlier passes left.  When NEW is a later year, the yearly cycle
(CYCLE) goes first: last year's 次年度 item that is this year's 今年度 item under the same
heading is carried over (繰越), last year's 今年度 item that is this year's 実績 is done
(実施) — first, because the seed lists some sentences under both 今年度 and 次年度 and the
次年度 copy is the one that moves on.  Then the same sentence with the same tags in the
same place (project, 区分, heading) is unchanged; the cycle again with other tags (地域,
実施主体, 再掲), then with a similar sentence (difflib ratio ≥ SIMILARITY_MIN, best pairs
first); the same sentence with other tags, then a similar one, in the same place is
edited; the same sentence in another place (another heading or project, the same 区分
or the cycle's next one) is moved (移動); what is left is removed (old) and added (new) —
except, under the cycle, last year's 実績 (ROLL_OFF), which rolled off the table (掲載終了:
this year's 実績 are last year's 今年度).  Old headings are keyed by the new master's names
(a 施策名 kept as 別名 is a rename, diff_defs).  Exact pairing prefers copies from the same
source file.  Display order (順序) and sources (file, row) are not content: moving a row or a
file is not a change.
"""
from __future__ import annotations

import difflib
import functools
import math
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from schemas.cells import is_missing
from schemas.eras import short_label
from schemas.vocab import MEASURE_SECTIONS

from .diff_defs import (  # noqa: F401 — the definitions' names are part of this module's interface
    FIELD_COLUMNS, KPI_FIELDS, PROJECT_FIELDS, WHOLE_KPI, WHOLE_PROJECT, field_changes, heading_renames,
    measure_changes, renamed_heading,
)
from .diff_defs import same as _same
from .diff_kpi import same_measure, with_targets, year_label
from .diff_rules import ACTIONS, CHANGE_LABELS, CYCLE, ROLL_OFF, TAG_FIELDS  # noqa: F401 — re-exported
from .errors import place
from .model import Snapshot
from .rows import each_row
from .similar import best_pairs

# --- rules and labels (data) -----------------------------------------------------------

SIMILARITY_MIN = 0.8                # difflib ratio from which two sentences are one edited sentence
MARKS = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}  # as wdiff / git diff --word-diff

REVISION_COLUMNS = ("action", "kpi_id", "project_id", "indicator", "unit", "year", "year_label",
                    "old_value", "new_value", "delta", "old_source", "new_source")
ACTUAL_COLUMNS = ("action", "kpi_id", "project_id", "indicator", "unit", "year", "year_label",
                  "was_pending", "new_value", "progress", "new_source")
INITIATIVE_DIFF_COLUMNS = (
    "action", "change", "project_id", "project", "old_project_id",
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
    - initiatives: added, removed, edited, moved, carried-over and done items
      (INITIATIVE_DIFF_COLUMNS);
    - rolled_off: last year's items that left the table under the yearly cycle (掲載終了,
      ROLL_OFF), the same columns;
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
    rolled_off: pd.DataFrame
    unchanged: int

    @property
    def changed(self) -> bool:
        """True when anything at all differs (the CLI's exit code 1)."""
        return any(len(f) for f in (self.revisions, self.actuals, self.kpis, self.projects,
                                    self.measures, self.initiatives, self.rolled_off))


# --- small pure helpers --------------------------------------------------------------------

def similarity(old: str, new: str) -> float:
    """difflib's ratio on characters (no junk heuristic: Japanese has no word breaks).

    Equal texts score 1.0 without matching them (what the ratio gives them anyway).
    """
    if old == new:
        return 1.0
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()


def char_changes(old: str, new: str) -> list[tuple[str, str]]:
    """The edit from `old` to `new` as segments (op, text), op ∈ equal | delete | insert: a
    replacement is a delete then an insert, so equal+delete is `old` and equal+insert `new`."""
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
    return "".join(MARKS[op][0] + text + MARKS[op][1] for op, text in char_changes(old, new))


# --- KPI actuals -----------------------------------------------------------------------

def _actuals(kpi: pd.DataFrame) -> dict[tuple[str, int], dict]:
    frame = kpi[kpi["kind"] == "actual"]
    return {(str(r["kpi_id"]), int(r["year"])): r for r in each_row(frame)}


def kpi_actual_changes(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(revisions, new actuals) between two tidy KPI frames.

    Quirks: an actual that was 未確定 (missing) last year and has a value now is a new
    actual, not a revision; one that had a value and is missing or gone now is a
    revision (new_value empty) — a figure an auditor has seen must never vanish quietly;
    one still 未確定 is no change, one 未確定 and gone now a revision with neither value; a
    new year's actual is new even when 未確定.
    """
    before, after = _actuals(old), _actuals(new)
    revisions, actuals = [], []
    for key in sorted(set(before) | set(after)):  # (KPI_ID, 年)
        o, n = before.get(key), after.get(key)
        ref = n if n is not None else o
        base = {"kpi_id": key[0], "project_id": ref["project_id"], "indicator": ref["indicator"],
                "unit": ref["unit"], "year": key[1], "year_label": year_label(key[1], o, n)}
        old_value = o["value"] if o is not None else math.nan
        new_value = n["value"] if n is not None else math.nan
        if o is not None and not is_missing(old_value):
            if n is not None and _same(old_value, new_value) and same_measure(o, n):
                continue
            delta = math.nan if is_missing(new_value) else float(new_value) - float(old_value)
            revisions.append({**base, "action": ACTIONS["changed" if n is not None else "removed"],
                              "old_value": float(old_value), "new_value": float(new_value),
                              "delta": delta, "old_source": place(o),
                              "new_source": place(n) if n is not None else ""})
        elif n is not None and not (o is not None and is_missing(new_value)):
            actuals.append({**base, "action": ACTIONS["added"], "was_pending": o is not None,
                            "new_value": float(new_value), "progress": float(n["progress"]),
                            "new_source": place(n)})
        elif o is not None and n is None:
            revisions.append({**base, "action": ACTIONS["removed"], "old_value": math.nan,
                              "new_value": math.nan, "delta": math.nan,
                              "old_source": place(o), "new_source": ""})
    return (pd.DataFrame(revisions, columns=list(REVISION_COLUMNS)),
            pd.DataFrame(actuals, columns=list(ACTUAL_COLUMNS)))


# --- initiatives -----------------------------------------------------------------------

class Key(NamedTuple):
    """What two items must share to be paired: always the place (プロジェクトID, 区分, 見出し);
    `text` adds the sentence, `tags` 地域, 実施主体 and 再掲.  With `moved_from` (a CYCLE
    section) an old item's place is where it stands next year (次年度 → 今年度); an item of
    another section then has no place and pairs with nothing.  With `anywhere` the place
    is only the section: any project, any heading (a move)."""
    moved_from: str | None = None
    text: bool = False
    tags: bool = False
    anywhere: bool = False


class Pass(NamedTuple):
    """One pairing pass: `matcher` "exact" pairs equal keys one to one in order, "similar"
    pairs equal keys (the place) whose texts have a ratio ≥ SIMILARITY_MIN, best first;
    `change` is the kind of its rows (None: counted unchanged); a `cycle_only` pass runs
    only when NEW is a later year (not for a rebuild of the same year)."""
    name: str
    old_key: Key
    new_key: Key
    matcher: str
    change: str | None
    cycle_only: bool


_SAME, _TEXT, _PLACE = Key(text=True, tags=True), Key(text=True), Key()
# In order (module doc).  An "exact" pass without tags pairs what the "similar" pass after
# it would (identical texts have ratio 1.0; ties go by order in both), but cheaply: the
# similar pass then compares fewer pairs of sentences.
PASSES = (
    Pass("carried: same sentence and tags", Key("次年度", text=True, tags=True), _SAME, "exact", "carried", True),
    Pass("done: same sentence and tags", Key("今年度", text=True, tags=True), _SAME, "exact", "done", True),
    Pass("unchanged", _SAME, _SAME, "exact", None, False),
    Pass("carried: same sentence, other tags", Key("次年度", text=True), _TEXT, "exact", "carried", True),
    Pass("carried: similar sentence", Key("次年度"), _PLACE, "similar", "carried", True),
    Pass("done: same sentence, other tags", Key("今年度", text=True), _TEXT, "exact", "done", True),
    Pass("done: similar sentence", Key("今年度"), _PLACE, "similar", "done", True),
    Pass("edited: same sentence, other tags", _TEXT, _TEXT, "exact", "changed", False),
    Pass("edited: similar sentence", _PLACE, _PLACE, "similar", "changed", False),
    Pass("moved: same sentence elsewhere", Key(text=True, anywhere=True), Key(text=True, anywhere=True),
         "exact", "moved", False),
    Pass("moved: carried elsewhere", Key("次年度", text=True, anywhere=True), Key(text=True, anywhere=True),
         "exact", "moved", True),
    Pass("moved: done elsewhere", Key("今年度", text=True, anywhere=True), Key(text=True, anywhere=True),
         "exact", "moved", True),
)


def _item(record: dict, index: int, renames: dict | None = None) -> dict:
    """A record with its index, its source as text and the heading it is keyed by: the
    new master's 施策名 for an old one kept as 別名 (`renames`, diff_defs.heading_renames)."""
    heading = record["heading"]
    if renames and record["section"] in MEASURE_SECTIONS:
        heading = renamed_heading(renames, record["project_id"], heading)
    return {**record, "_i": index, "_source": place(record), "_heading": heading}


def _key(spec: Key, item: dict) -> tuple:
    """`item`'s key as `spec` says (see Key); sections outside the cycle move to None."""
    section = item["section"]
    if spec.moved_from is not None:
        section = CYCLE[spec.moved_from][0] if section == spec.moved_from else None
    key = (section,) if spec.anywhere else (item["project_id"], section, item["_heading"])
    if spec.text:
        key += (item["text"],)
    if spec.tags:
        key += tuple(item[field] for field in TAG_FIELDS)
    return key


def _take_exact(olds: list[dict], news: list[dict], okey, nkey) -> list[tuple[dict, dict, float]]:
    """Pair items with equal keys one to one: first the copies from the same source file
    (a sentence that two files gave and one of them dropped is gone from that file), then
    first come first served, the first old copy with the first new one."""
    waiting: dict = {}
    for o in olds:
        waiting.setdefault(okey(o), []).append(o)
    pairs: dict[int, tuple[dict, dict, float]] = {}
    for same_file in (True, False):
        for n in news:
            bucket = waiting.get(nkey(n)) if n["_i"] not in pairs else None
            found = [o for o in bucket or () if not same_file or o["source_file"] == n["source_file"]]
            if found:
                bucket.remove(found[0])
                pairs[n["_i"]] = (found[0], n, similarity(found[0]["text"], n["text"]))
    return [pairs[n["_i"]] for n in news if n["_i"] in pairs]


def _take_similar(olds: list[dict], news: list[dict], okey, nkey) -> list[tuple[dict, dict, float]]:
    """Pair items in the same place whose texts are similar, best ratio first.

    The same pairs as scoring every pair of a place, without scoring them all
    (pipeline/similar.py: grouped by place, pairs prefiltered by a quick_ratio bound).
    """
    return best_pairs(olds, news, okey, nkey, similarity, SIMILARITY_MIN)


MATCHERS = {"exact": _take_exact, "similar": _take_similar}


def _pair(olds: list[dict], news: list[dict], passes: tuple[Pass, ...], *, cycle: bool
          ) -> dict[int, tuple[str | None, dict, float]]:
    """Run `passes` in order, each on the items no earlier pass took: {new item's index:
    (change or None, old item, ratio)}; the items left out are added (new) or removed (old)."""
    paired: dict[int, tuple[str | None, dict, float]] = {}
    for step in passes:
        if step.cycle_only and not cycle:
            continue
        taken = {o["_i"] for _, o, _ in paired.values()}
        olds_left = [o for o in olds if o["_i"] not in taken]
        news_left = [n for n in news if n["_i"] not in paired]
        matcher = MATCHERS[step.matcher]
        okey, nkey = functools.partial(_key, step.old_key), functools.partial(_key, step.new_key)
        for o, n, ratio in matcher(olds_left, news_left, okey, nkey):
            paired[n["_i"]] = (step.change, o, ratio)
    return paired


def _initiative_row(change: str, o: dict | None, n: dict | None, ratio: float) -> dict:
    """A row of INITIATIVE_DIFF_COLUMNS; the side an added or removed item lacks is empty
    ("" — None for 再掲, which is True/False when known)."""
    ref = n if n is not None else o
    row = {"action": ACTIONS[change], "change": change, "project_id": ref["project_id"],
           "project": ref["project"], "old_project_id": o["project_id"] if o is not None else "",
           "similarity": ratio}
    for side, item in (("old", o), ("new", n)):
        for field in ("section", "heading", "text", *TAG_FIELDS):
            value = item[field] if item is not None else ("" if field != "relisted" else None)
            row[f"{side}_{field}"] = value
        row[f"{side}_source"] = item["_source"] if item is not None else ""
    return row


def initiative_changes(old: pd.DataFrame, new: pd.DataFrame, *, cycle: bool = True,
                       passes: tuple[Pass, ...] = PASSES, renames: dict | None = None
                       ) -> tuple[pd.DataFrame, int]:
    """(changes, number unchanged) between two tidy initiative frames; see the module doc.

    `cycle` is False when both frames are of the same year (a rebuild): then nothing
    moves between sections and nothing rolls off.  `renames` keys old headings by the new
    master's names (diff_defs.heading_renames).  Rows follow this year's order; what only
    last year had comes after, in last year's order.  順序 and the sources are not compared.
    """
    olds = [_item(r, i, renames) for i, r in enumerate(each_row(old))]
    news = [_item(r, i) for i, r in enumerate(each_row(new))]
    paired = _pair(olds, news, passes, cycle=cycle)
    rows = []
    for n in news:
        if n["_i"] not in paired:
            rows.append(_initiative_row("added", None, n, math.nan))
            continue
        change, o, ratio = paired[n["_i"]]
        if change is not None:
            rows.append(_initiative_row(change, o, n, ratio))
    taken = {o["_i"] for _, o, _ in paired.values()}
    rows += [_initiative_row("rolled_off" if cycle and o["section"] in ROLL_OFF else "removed", o, None, math.nan)
             for o in olds if o["_i"] not in taken]
    unchanged = sum(change is None for change, _, _ in paired.values())
    return pd.DataFrame(rows, columns=list(INITIATIVE_DIFF_COLUMNS)), unchanged


# --- the whole diff --------------------------------------------------------------------

def diff(old: Snapshot, new: Snapshot) -> Diff:
    """Compare two snapshots (last year's first); the inputs are not modified."""
    revisions, actuals = kpi_actual_changes(old.kpi, new.kpi)
    initiatives, unchanged = initiative_changes(old.initiatives, new.initiatives,
                                                cycle=new.fiscal_year > old.fiscal_year,
                                                renames=heading_renames(new.measures))
    rolled = initiatives["change"] == "rolled_off"
    return Diff(
        old_label=old.label, new_label=new.label, old_year=old.fiscal_year, new_year=new.fiscal_year,
        revisions=revisions, actuals=actuals,
        kpis=field_changes(with_targets(old.kpis, old.kpi), with_targets(new.kpis, new.kpi), ("kpi_id",),
                           KPI_FIELDS, name="indicator", whole=WHOLE_KPI),
        projects=field_changes(old.projects, new.projects, ("project_id",), PROJECT_FIELDS,
                               name="project", whole=WHOLE_PROJECT),
        measures=measure_changes(old.measures, new.measures),
        initiatives=initiatives[~rolled].reset_index(drop=True),
        rolled_off=initiatives[rolled].reset_index(drop=True), unchanged=unchanged,
    )
