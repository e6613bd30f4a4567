"""pipeline.diff_kpi and the workbook read-back: 対象年度, interim / yearly targets and text
targets are data — they survive the workbook and the diff reports their changes."""
from __future__ import annotations

import pandas as pd

from pipeline.diff import diff
from pipeline.diff_kpi import same_measure, with_targets, year_label
from pipeline.xlsx.readback import read_workbook
from tests.test_readback import built_workbook

KPIS = ("KPI_ID,プロジェクトID,指標名,単位,基準年度,基準値,目標年度,目標値,方向,算定方法\n"
        "K1,P1,来訪者数,人,H26,100,R2,200,,\nK2,P1,里親等委託率,％,H26,36.1,R2,現状より増加,,\n")


def test_year_labels_name_the_measured_year():
    assert year_label(2021, {"measured_year": pd.NA}, {"measured_year": None}) == "R3"
    assert year_label(2021, None, {"measured_year": 2019}) == "R3（R元の値）"
    assert year_label(2021, {"measured_year": 2019}, {"measured_year": 2019}) == "R3（R元の値）"
    assert year_label(2021, {"measured_year": 2019}, {"measured_year": 2020}) == "R3（R元の値 → R2の値）"
    assert year_label(2021, {"measured_year": None}, {"measured_year": 2020}) == "R3（R3の値 → R2の値）"
    assert same_measure({"measured_year": pd.NA}, {}) and not same_measure({"measured_year": 2019}, {})


def test_with_targets_lists_interim_and_yearly_targets_in_year_order():
    kpis = pd.DataFrame({"kpi_id": ["K1", "K2"]})
    kpi = pd.DataFrame({"kpi_id": ["K1", "K1", "K1", "K1"], "year": [2027, 2021, 2032, 2022],
                        "kind": ["interim", "yearly", "target", "actual"], "value": [4880.0, 2.3, 5000.0, 1.0]})
    assert with_targets(kpis, kpi)["targets"].tolist() == ["R3 年度目標値 2.3；R9 中間目標値 4,880", ""]


def _files(measured: str, interim: str) -> dict:
    return {"master/kpis.csv": KPIS,
            "master/targets.csv": f"KPI_ID,年度,目標値,種別\nK1,H30,{interim},中間\n",
            "submissions/k.csv": f"KPI,年度,実績値,対象年度\nK1,H27,150,\nK1,H28,160,{measured}\n"}


def test_measured_years_interim_targets_and_text_targets_survive_the_workbook(tmp_path):
    tables, path = built_workbook(tmp_path, _files("H27", "180"))
    snap = read_workbook(path)
    actual = snap.kpi[snap.kpi["kind"] == "actual"]
    assert [None if pd.isna(v) else int(v) for v in actual["measured_year"]] == [None, 2015]
    assert snap.kpi.loc[snap.kpi["kind"] == "interim", ["year", "value"]].values.tolist() == [[2018, 180.0]]
    assert snap.kpis["target_text"].tolist() == ["", "現状より増加"]
    assert pd.isna(snap.kpis["target_value"][1])


def test_a_workbook_without_the_optional_columns_reads_back_blank(tmp_path):
    _, path = built_workbook(tmp_path)   # no 対象年度, no text target: neither column is written
    snap = read_workbook(path)
    assert snap.kpi["measured_year"].isna().all() and (snap.kpis["target_text"] == "").all()


def test_the_diff_reports_a_new_measured_year_and_a_changed_interim_target(tmp_path):
    _, old_path = built_workbook(tmp_path / "old", _files("H27", "180"))
    _, new_path = built_workbook(tmp_path / "new", _files("H26", "170"))
    d = diff(read_workbook(old_path, "old.xlsx"), read_workbook(new_path, "new.xlsx"))
    assert d.revisions[["kpi_id", "year_label", "old_value", "new_value", "delta"]].values.tolist() == [
        ["K1", "H28（H27の値 → H26の値）", 160.0, 160.0, 0.0]]
    assert d.kpis[["key", "field", "old", "new"]].values.tolist() == [
        ["K1", "中間・年度の目標", "H30 中間目標値 180", "H30 中間目標値 170"]]
