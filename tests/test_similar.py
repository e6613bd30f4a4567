"""pipeline/similar.py: the prefiltered pairing takes exactly the pairs of scoring every pair."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from pipeline import similar
from pipeline.diff import SIMILARITY_MIN, _take_similar, initiative_changes, similarity
from tests.builders import frame, item
from pipeline.model import INITIATIVE_COLUMNS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import gentext  # noqa: E402


def plain(olds, news, okey, nkey):
    """The reference: score every pair in the same place, best first, never reuse an item."""
    candidates = sorted(((-similarity(o["text"], n["text"]), o["_i"], n["_i"], o, n)
                         for o in olds for n in news if okey(o) == nkey(n)), key=lambda c: c[:3])
    used_old, used_new, pairs = set(), set(), []
    for neg, oi, ni, o, n in candidates:
        if -neg < SIMILARITY_MIN or oi in used_old or ni in used_new:
            continue
        used_old.add(oi)
        used_new.add(ni)
        pairs.append((o["_i"], n["_i"], -neg))
    return pairs


def items(rng, count):
    olds = [{"_i": i, "k": rng.randint(0, 2), "text": rng.choice(
        ["", "ああいい", gentext.sentence(rng, "観光")[:rng.randint(0, 60)]])} for i in range(count)]
    news = [{"_i": i, "k": rng.randint(0, 2), "text": (lambda t: gentext.edited(rng, t) if rng.random() < 0.7
                                                       else t[::-1])(rng.choice(olds)["text"])}
            for i in range(count)]
    return olds, news


@pytest.mark.parametrize("large", [1, 50, similar.LARGE_GROUP])
def test_the_same_pairs_as_scoring_every_pair(monkeypatch, large):
    monkeypatch.setattr(similar, "LARGE_GROUP", large)
    rng = random.Random(large)
    for count in (1, 5, 40, 120):
        olds, news = items(rng, count)
        key = lambda r: r["k"]  # noqa: E731
        got = [(o["_i"], n["_i"], r) for o, n, r in _take_similar(olds, news, key, key)]
        assert got == plain(olds, news, key, key)


def test_ties_go_to_the_first_old_then_the_first_new(monkeypatch):
    monkeypatch.setattr(similar, "LARGE_GROUP", 1)
    olds = [{"_i": 0, "text": "あいうえおかきくけこ"}, {"_i": 1, "text": "あいうえおかきくけこ"}]
    news = [{"_i": 0, "text": "あいうえおかきくけさ"}, {"_i": 1, "text": "あいうえおかきくけさ"}]
    pairs = _take_similar(olds, news, lambda r: 0, lambda r: 0)
    assert [(o["_i"], n["_i"], r) for o, n, r in pairs] == [(0, 0, 0.9), (1, 1, 0.9)]


def test_bounds_are_never_below_the_ratio():
    rng = random.Random(3)
    texts = [gentext.sentence(rng, "食") for _ in range(30)]
    edited = [gentext.edited(rng, t) for t in texts]
    oi, ni, bound = similar.bounds(texts, edited, 0.0)
    assert len(oi) == 900
    for i, j, b in zip(oi, ni, bound):
        assert b >= similarity(texts[i], edited[j])


def test_a_thousand_edits_under_one_heading_pair_one_to_one():
    rng = random.Random(11)
    old = [gentext.sentence(rng, "観光") + f"（{i}）" for i in range(1000)]
    new = [gentext.edited(rng, t) for t in old]
    rows = lambda texts: frame([item("課題", "交流環境の整備", t, row=i + 2) for i, t in enumerate(texts)],  # noqa: E731
                               INITIATIVE_COLUMNS)
    changes, unchanged = initiative_changes(rows(old), rows(new), cycle=False)
    assert unchanged == 0 and list(changes["change"].value_counts().items()) == [("changed", 1000)]
    assert changes["old_text"].tolist() == old and changes["new_text"].tolist() == new
