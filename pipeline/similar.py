"""Pairing similar sentences at scale, for diff's initiative pairing (pure).

`best_pairs` gives exactly what the plain algorithm gives — score every pair of an old and
a new item in the same place, keep those scoring at least `minimum`, take them best
first (ties by old index, then new index), never reusing an item — without scoring every
pair:

1. items are grouped by place first (pairs across places are never candidates);
2. in a large group, an upper bound of every pair's score is computed at once: difflib's
   ratio is 2·M / (len(a) + len(b)) where M, the characters its matching blocks cover,
   is at most the size of the multiset intersection of the two texts' characters (what
   `quick_ratio` counts).  That intersection, for all pairs, is one matrix product of
   0/1 matrices over (character, occurrence) features;
3. pairs whose bound is under `minimum` are dropped; the rest are taken in the order of
   their bound, and a pair is scored only when it reaches the front: its score (≤ its
   bound) goes back into a heap, and a scored pair that is in front of every bound left
   is the best pair remaining, exactly as in the plain order.  A pair whose item is
   already taken is dropped unscored.
"""
from __future__ import annotations

import heapq
from collections import Counter
from typing import Callable

import numpy as np

LARGE_GROUP = 16            # pairs in a group from which the bound matrix pays off
ROWS_PER_BLOCK = 512        # old items per matrix product (bounds the memory of one block)


def _plain(olds: list, news: list, text, score, minimum: float) -> list[tuple]:
    """Every pair scored: [(-score, old index, new index, old, new)] of those ≥ minimum."""
    out = []
    for o in olds:
        for n in news:
            a, b = text(o), text(n)
            total = len(a) + len(b)
            if total and 2.0 * min(len(a), len(b)) / total < minimum:   # difflib's real_quick_ratio
                continue
            r = score(a, b)
            if r >= minimum:
                out.append((-r, o["_i"], n["_i"], o, n))
    return out


def _features(texts: list[str], index: dict) -> list[list[int]]:
    """Each text as the ids of its (character, occurrence) features: あいあ → (あ,1) (い,1) (あ,2)."""
    out = []
    for t in texts:
        ids = []
        for ch, count in Counter(t).items():
            ids.extend(index.setdefault((ch, k), len(index)) for k in range(1, count + 1))
        out.append(ids)
    return out


def _matrix(rows: list[list[int]], width: int) -> np.ndarray:
    m = np.zeros((len(rows), width), dtype=np.float32)
    for i, ids in enumerate(rows):
        m[i, ids] = 1.0
    return m


def bounds(old_texts: list[str], new_texts: list[str], minimum: float) -> tuple[np.ndarray, ...]:
    """(old position, new position, bound) arrays of the pairs whose quick_ratio ≥ minimum."""
    index: dict = {}
    old_f, new_f = _features(old_texts, index), _features(new_texts, index)
    new_m = _matrix(new_f, len(index)).T
    new_len = np.array([len(t) for t in new_texts], dtype=np.float64)
    old_len = np.array([len(t) for t in old_texts], dtype=np.float64)
    parts = []
    for start in range(0, len(old_texts), ROWS_PER_BLOCK):
        block = _matrix(old_f[start:start + ROWS_PER_BLOCK], len(index))
        shared = (block @ new_m).astype(np.float64)          # exact: integer counts < 2^24
        total = old_len[start:start + ROWS_PER_BLOCK, None] + new_len[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            bound = np.where(total > 0, 2.0 * shared / total, 1.0)
        i, j = np.nonzero(bound >= minimum)
        parts.append((i + start, j, bound[i, j]))
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))


def _lazy(olds: list, news: list, text, score, minimum: float) -> list[tuple]:
    """The pairs the plain order would take in one large group, scoring as few as needed."""
    oi, ni, bound = bounds([text(o) for o in olds], [text(n) for n in news], minimum)
    old_i = np.array([o["_i"] for o in olds], dtype=np.int64)[oi]
    new_i = np.array([n["_i"] for n in news], dtype=np.int64)[ni]
    order = np.lexsort((new_i, old_i, -bound))
    keys = list(zip((-bound[order]).tolist(), old_i[order].tolist(), new_i[order].tolist()))
    where = list(zip(oi[order].tolist(), ni[order].tolist()))
    scored: list[tuple] = []
    taken, used_old, used_new = [], set(), set()
    pos = 0
    while pos < len(keys) or scored:
        if scored and (pos == len(keys) or scored[0][:3] < keys[pos]):
            pair = heapq.heappop(scored)
            if pair[1] not in used_old and pair[2] not in used_new:
                used_old.add(pair[1])
                used_new.add(pair[2])
                taken.append(pair)
            continue
        (_, o_index, n_index), (o_pos, n_pos) = keys[pos], where[pos]
        pos += 1
        if o_index in used_old or n_index in used_new:
            continue
        o, n = olds[o_pos], news[n_pos]
        r = score(text(o), text(n))
        if r >= minimum:
            heapq.heappush(scored, (-r, o_index, n_index, o, n))
    return taken


def _greedy(candidates: list[tuple]) -> list[tuple]:
    candidates.sort(key=lambda c: c[:3])
    used_old, used_new, taken = set(), set(), []
    for c in candidates:
        if c[1] in used_old or c[2] in used_new:
            continue
        used_old.add(c[1])
        used_new.add(c[2])
        taken.append(c)
    return taken


def best_pairs(olds: list[dict], news: list[dict], okey: Callable, nkey: Callable,
               score: Callable[[str, str], float], minimum: float, text=lambda item: item["text"]
               ) -> list[tuple[dict, dict, float]]:
    """[(old, new, score)] taken best first, as the plain algorithm (see the module doc)."""
    groups: dict = {}
    for o in olds:
        groups.setdefault(okey(o), ([], []))[0].append(o)
    for n in news:
        group = groups.get(nkey(n))
        if group is not None:
            group[1].append(n)
    taken = []
    for group_olds, group_news in groups.values():
        if not group_news:
            continue
        if len(group_olds) * len(group_news) >= LARGE_GROUP:
            taken += _lazy(group_olds, group_news, text, score, minimum)
        else:
            taken += _greedy(_plain(group_olds, group_news, text, score, minimum))
    taken.sort(key=lambda c: c[:3])   # groups are disjoint: the plain algorithm's order overall
    return [(o, n, -neg) for neg, _, _, o, n in taken]
