"""pipeline/regions.py: a run over several 連携地域 split per region; diff cut to one region."""
from __future__ import annotations

import dataclasses

import pytest

from pipeline import regions
from pipeline.build import run
from tests.builders import actual, item, seed_tables, snap

REGIONS = ["道央広域", "道南", "道北", "オホーツク", "十勝", "釧路・根室"]


@pytest.fixture(scope="module")
def tables(hokkaido):
    inputs = hokkaido[0]
    return run(inputs, 2023).tables


def test_a_run_of_one_region_is_not_split():
    assert regions.split(seed_tables()) == ()
    assert regions.regions_of(seed_tables()) == ["道北"]


def test_every_region_gets_its_own_rows_report_and_accounting(tables):
    parts = tables.parts
    assert [regions.regions_of(p) for p in parts] == [[r] for r in REGIONS]
    assert sum(len(p.initiatives) for p in parts) == len(tables.initiatives) == 1525
    assert sum(len(p.kpi) for p in parts) == len(tables.kpi)
    assert sum(len(p.report.pages) for p in parts) == len(tables.report.pages) == 6
    assert sum(len(p.report.overview) for p in parts) == len(tables.report.overview) == 30
    for part in parts:
        region = regions.regions_of(part)[0]
        ids = set(part.projects["project_id"])
        assert set(part.initiatives["region"]) == {region}
        assert set(part.kpi["project_id"]) == set(part.kpis["project_id"]) == set(part.measures["project_id"]) == ids
        assert {p.project_id for p in part.report.pages} == ids == set(part.report.statuses["project_id"])
        files = set(part.manifest["file"])
        assert {"master/projects.csv", "master/measures.csv", "master/kpis.csv"} <= files
        assert files - {"master/projects.csv", "master/measures.csv", "master/kpis.csv"} == \
            set(part.initiatives["source_file"]) | set(part.kpi["source_file"]) - {"master/kpis.csv"}
        assert all(w.file in files for w in part.warnings)
        assert part.parts == ()


def test_a_part_is_the_whole_cut_to_its_projects(tables):
    part = tables.parts[2]
    ids = set(part.projects["project_id"])
    whole = tables.initiatives[tables.initiatives["project_id"].isin(ids)].reset_index(drop=True)
    assert part.initiatives.equals(whole)
    assert part.report.pages == tuple(p for p in tables.report.pages if p.project_id in ids)


def test_snapshot_region_keeps_one_regions_projects():
    projects = [{"project_id": "P1", "region": "道北", "project": "交流", "purpose": "", "order": 1},
                {"project_id": "P2", "region": "十勝", "project": "食", "purpose": "", "order": 1}]
    items = [item("実績", "施策A", "交流会を開催"), {**item("実績", "施策A", "商談会"), "project_id": "P2"}]
    old = snap(items=items, kpi=[actual("K1", 2015, 1.0)], projects=projects, label="old.xlsx")
    new = snap(items=items[:1], projects=projects[:1], label="new.xlsx")
    cut_old, cut_new = regions.snapshot_region(old, new, "道北")
    assert (cut_old.label, cut_new.label) == ("old.xlsx（道北）", "new.xlsx（道北）")
    assert list(cut_old.initiatives["text"]) == ["交流会を開催"] and list(cut_new.initiatives["text"]) == ["交流会を開催"]
    assert list(cut_old.projects["project_id"]) == ["P1"] and list(cut_old.kpi["kpi_id"]) == ["K1"]
    tokachi_old, tokachi_new = regions.snapshot_region(old, new, "十勝")   # a region gone this year
    assert list(tokachi_old.initiatives["text"]) == ["商談会"] and tokachi_new.initiatives.empty
    with pytest.raises(KeyError):
        regions.snapshot_region(old, new, "道南")
