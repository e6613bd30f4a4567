"""The FY2020 sample with planted errors (issue 12): a wrong 区分 in a CSV, an unknown project
in an xlsx, 「約9,000」 as an actual, two files giving different values for the same KPI and
year, and a submitter (猿払村) that sent nothing.  Edited with the csv module and openpyxl,
never with the pipeline."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
FY = 2020


def planted_tree(root: Path) -> Path:
    """inputs/2020 copied under `root` with the planted errors; returns the inputs folder."""
    inputs = root / "inputs"
    shutil.copytree(ROOT / "inputs" / str(FY), inputs / str(FY))
    sub = inputs / str(FY) / "submissions"
    wakkanai = sub / "稚内市.csv"  # CP932, title rows; row 5 is 実績 → 予定
    lines = wakkanai.read_bytes().decode("cp932").split("\r\n" if b"\r\n" in wakkanai.read_bytes() else "\n")
    assert lines[4].split(",")[2] == "実績"
    cells = lines[4].split(",")
    cells[2] = "予定"
    lines[4] = ",".join(cells)
    wakkanai.write_bytes(("\r\n" if b"\r\n" in wakkanai.read_bytes() else "\n").join(lines).encode("cp932"))
    book = openpyxl.load_workbook(sub / "旭川市.xlsx")
    book["取組"]["A2"] = "DOHOKU-99"
    book.save(sub / "旭川市.xlsx")
    book = openpyxl.load_workbook(sub / "本庁.xlsx")
    assert book["KPI実績"]["B8"].value == "R元" and book["KPI実績"]["A13"].value == "DOHOKU-01-K2"
    book["KPI実績"]["C8"] = "約9,000"
    book.save(sub / "本庁.xlsx")
    (sub / "上川総合振興局_KPI.csv").write_text("KPI,年度,実績値\nDOHOKU-01-K2,R元,1300\n", encoding="utf-8")
    (sub / "猿払村.csv").unlink()
    return inputs
