"""The shipped sample (inputs/2019) reproduces the seed table's figures and sentences."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.builders import csv_rows as rows
from pipeline.build import run
from pipeline.render import initiatives_csv, kpi_csv

ROOT = Path(__file__).resolve().parents[1]
SEED = Path(__file__).parent / "data" / "seed_000_882fd2e0946ac260.txt"  # copy of shared/seed/


@pytest.fixture(scope="module")
def result():
    return run(ROOT / "inputs", 2019)


# (indicator, year label, actual, progress as the seed prints it)
SEED_KPI = [
    ("DOHOKU-01-K1", "H27", "4474", "60%"), ("DOHOKU-01-K1", "H28", "4004", "54.1%"),
    ("DOHOKU-01-K1", "H29", "5676", "76.7%"), ("DOHOKU-01-K1", "H30", "6516", "88.1%"),
    ("DOHOKU-01-K2", "H27", "933", "104%"), ("DOHOKU-01-K2", "H28", "375", "42%"),
    ("DOHOKU-01-K2", "H29", "540", "60%"), ("DOHOKU-01-K2", "H30", "1115", "123.9%"),
]


def test_kpi_csv_reproduces_the_seed_actuals_and_progress(result):
    actual = [r for r in rows(kpi_csv(result.tables)) if r["kind"] == "actual"]
    assert [(r["kpi_id"], r["year_label"], r["value"]) for r in actual] == [s[:3] for s in SEED_KPI]
    for r, (_, _, _, printed) in zip(actual, SEED_KPI):
        digits = len(printed.rstrip("%").partition(".")[2])
        assert round(float(r["progress"]) * 100, digits) == float(printed.rstrip("%")), (r, printed)


def test_kpi_csv_baselines_and_targets(result):
    table = rows(kpi_csv(result.tables))
    fixed = [(r["kpi_id"], r["kind"], r["year"], r["year_label"], r["value"], r["unit"], r["source_file"])
             for r in table if r["kind"] != "actual"]
    assert fixed == [
        ("DOHOKU-01-K1", "baseline", "2014", "H26", "5949", "人", "master/kpis.csv"),
        ("DOHOKU-01-K1", "target", "2020", "R2", "7400", "人", "master/kpis.csv"),
        ("DOHOKU-01-K2", "baseline", "2014", "H26", "594", "百万円", "master/kpis.csv"),
        ("DOHOKU-01-K2", "target", "2020", "R2", "900", "百万円", "master/kpis.csv"),
    ]
    assert all(r["progress"] == "" for r in table if r["kind"] != "actual")
    assert {r["fiscal_year"] for r in table} == {"2019"}


def test_every_seed_sentence_is_in_initiatives_csv(result):
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    table = rows(initiatives_csv(result.tables))
    assert len(table) == 34
    assert {r["section"] for r in table} == {"実績", "課題", "今年度", "次年度"}
    for r in table:
        first_line = r["text"].split("\n")[0]
        assert re.sub(r"\s+", "", first_line) in seed, r["text"]
    sub = [r for r in table if "\n" in r["text"]]
    assert [r["text"] for r in sub] == [
        "サハリン経済交流促進協議会を発展的改組した「（仮）サハリン文化経済戦略協議会」にて、次の事業を実施\n"
        "-ユジノサハリンスク道北物産展\n-ビジネスマッチング事業\n-メディア招聘事業"]
    assert sum(r["relisted"] == "true" for r in table) == 2


def test_alias_heading_is_mapped_with_a_warning(result):
    warnings = [p.line() for p in result.problems if "別名" in p.message]
    assert len(warnings) == 3
    headings = {r["heading"] for r in rows(initiatives_csv(result.tables)) if r["section"] == "次年度"}
    assert headings == {"サハリン州等との友好交流の推進", "ロシア極東との人流・物流の活性化など経済交流の推進"}


def test_sample_accounting_has_nothing_rejected(result):
    manifest = result.manifest
    assert int(manifest["rows_rejected"].sum()) == 0
    # masters (submitters.csv: 7, settings.csv: 2), 取組, KPI実績
    assert int(manifest["rows_read"].sum()) == 5 + 7 + 2 + 34 + 8
    assert len(manifest) == 12


def test_csv_outputs_are_deterministic(result):
    again = run(ROOT / "inputs", 2019)
    assert kpi_csv(again.tables) == kpi_csv(result.tables)
    assert initiatives_csv(again.tables) == initiatives_csv(result.tables)
