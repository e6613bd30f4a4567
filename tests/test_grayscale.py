"""Every meaning carried by a colour has a second carrier that a grayscale print keeps."""
from __future__ import annotations

import re
import zipfile

import openpyxl

from pipeline.diff import diff
from pipeline.xlsx.book import write_workbook
from pipeline.xlsx.diff_book import write_diff_workbook
from tests.builders import CREATED, LONG, VERSIONS, actual, item, kpi_def, seed_tables, snap


def gray(rgb: str) -> float:
    """Lightness 0–1 of an ARGB / RGB hex colour as a grayscale printer renders it (Rec. 601)."""
    r, g, b = (int(rgb[-6:][i:i + 2], 16) for i in (0, 2, 4))
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255


def test_the_latest_bar_of_the_sparkline_stands_apart_in_gray(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(seed_tables(), path, versions=VERSIONS, created=CREATED)
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    series = re.findall(r'<x14:colorSeries rgb="([0-9A-F]{8})"', sheet)
    last = re.findall(r'<x14:colorLast rgb="([0-9A-F]{8})"', sheet)
    assert series and len(series) == len(last)
    for s, l in zip(series, last):
        assert gray(s) - gray(l) >= 0.4, (s, l)   # light bars, a dark latest one
    # and the note says which bar is the latest by its place, not only by its colour
    note = openpyxl.load_workbook(path)["一覧"]
    assert any("右端の濃い赤の棒が最新の年度" in str(c.value) for row in note.iter_rows() for c in row)


def test_a_changed_cell_of_the_diff_is_bold_and_framed(tmp_path):
    old = snap(2019, items=[item("実績", "施策A", LONG)], kpi=[actual("K1", 2015, 150.0, row=3)], label="old.xlsx")
    new = snap(2020, items=[item("実績", "施策A", LONG, fy=2020)], kpi=[actual("K1", 2015, 149.5, fy=2020, row=3)],
               kpis=[kpi_def(target_value=220.0)], label="new.xlsx")
    path = tmp_path / "d.xlsx"
    write_diff_workbook(diff(old, new), path, old_sha="a" * 64, new_sha="b" * 64, created=None)
    ws = openpyxl.load_workbook(path).worksheets[1]   # 実績値の修正: 150 → 149.5
    assert ws["A2"].value == "->"
    changed, same = ws["F2"], ws["B2"]
    assert (changed.value, ws["G2"].value) == (150, 149.5)
    assert gray(changed.fill.fgColor.rgb) > 0.9      # the pale fill alone would vanish in gray …
    assert changed.font.b and changed.border.left.style == "medium" and changed.border.top.style == "medium"
    assert not same.font.b and same.border.left.style == "thin"
    legend = [c.value for row in openpyxl.load_workbook(path).worksheets[0].iter_rows() for c in row]
    assert any("黄色・太字・太枠" in str(v) for v in legend)
