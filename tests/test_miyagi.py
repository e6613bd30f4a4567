"""The 宮城県 table (tests/miyagi.py, transcribed by hand) through the whole pipeline: the
printed 達成率 of 64 cells are the oracle.

Without the yearly targets the four formulas reproduce 62 of them, and the other two are
25.6 % (障害者雇用率 R3/R4 against the final target); with the two yearly targets of
master/targets.csv all 64.  With 進捗率の表示 = 上限付き the sheets print every 100%超 and
0%未満 as the table does; the CSV keeps the unrounded ratio.
"""
from __future__ import annotations

import functools
import io
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.build import run
from pipeline.load import xlsx_sheets
from pipeline.render import write_outputs
from tests import miyagi
from tests.builders import csv_rows, write_tree

DISABILITY = "MY-07"   # 障害者雇用率
PRINTED = miyagi.printed()


@functools.lru_cache(maxsize=None)
def _built(tmp: Path, capped: bool, targets: bool):
    inputs = write_tree(tmp / f"{capped}-{targets}", miyagi.files(capped=capped, targets=targets), miyagi.FY)
    return run(inputs, miyagi.FY)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("miyagi")
    return lambda capped=True, targets=False: _built(tmp, capped, targets)


def shown(result) -> dict:
    """{(KPI_ID, year): the 進捗率 as the project sheet shows it, as the table prints it}."""
    (page,) = result.tables.report.pages
    return {(k.kpi_id, year): value if isinstance(value, str) else f"{value * 100:.1f}%"
            for k in page.kpis for year, value in k.progress.items()}


def test_the_transcription_has_64_rates_and_the_labels():
    assert len(PRINTED) == 64
    labels = [rate for rate in PRINTED.values() if not rate[0].isdigit() or rate.endswith(("超", "満"))]
    assert sorted(set(labels)) == ["0%未満", "100%超"]
    assert (labels.count("100%超"), labels.count("0%未満")) == (14, 7)


def test_62_rates_without_the_yearly_targets(built):
    result = built()
    assert result.problems == ()
    got = shown(result)
    assert set(got) == set(PRINTED)
    differ = {key: (got[key], PRINTED[key]) for key in PRINTED if got[key] != PRINTED[key]}
    # (2.21 − 2.11) ÷ (2.50 − 2.11) = 0.2564…: the final target, not the unprinted yearly one
    assert differ == {(DISABILITY, 2021): ("25.6%", "52.6%"), (DISABILITY, 2022): ("25.6%", "52.6%")}
    assert len(PRINTED) - len(differ) == 62


def test_all_64_rates_with_the_two_yearly_targets(built):
    result = built(targets=True)
    assert result.problems == ()
    assert shown(result) == PRINTED
    kinds = result.tables.kpi.loc[result.tables.kpi["kpi_id"] == DISABILITY, ["year", "kind", "value"]]
    assert kinds.values.tolist() == [[2019, "baseline", 2.11], [2021, "actual", 2.21], [2021, "yearly", 2.30],
                                     [2022, "actual", 2.21], [2022, "yearly", 2.30], [2023, "actual", 2.29],
                                     [2024, "actual", 2.39], [2024, "target", 2.50]]


def test_without_the_cap_the_sheets_show_the_numbers(built):
    got = shown(built(capped=False))
    # 製造品出荷額 R3: (38,676 − 40,080) ÷ (41,289 − 40,080) = −1,404 ÷ 1,209 = −116.1 %
    assert got[("MY-02", 2021)] == "-116.1%"
    # 刑法犯認知件数 R3 (現状維持型Ⅱ): 1 − (9,398 − 10,193) ÷ 10,193 = 1 + 795 ÷ 10,193 = 107.8 %
    assert got[("MY-15", 2021)] == "107.8%"
    # 多言語… R5: (35 − 27) ÷ (35 − 27) is exactly 100 %: a number in both displays
    assert got[("MY-12", 2023)] == "100.0%" == shown(built())[("MY-12", 2023)]
    assert not [value for value in got.values() if value.endswith(("超", "満"))]


def test_the_csv_keeps_the_unrounded_ratio(built, tmp_path):
    result = built()
    write_outputs(result.tables, tmp_path)
    rows = {(r["kpi_id"], r["year"]): r for r in csv_rows((tmp_path / "2024" / "kpi.csv").read_bytes())
            if r["kind"] == "actual"}
    assert rows[("MY-02", "2021")]["progress"] == repr(-1404 / 1209)
    assert rows[("MY-02", "2021")]["measured_year"] == "2019"
    assert rows[("MY-01", "2021")]["measured_year"] == ""
    assert rows[("MY-15", "2021")]["progress"] == repr(1 - (9398 - 10193) / 10193)
    assert "grade" not in rows[("MY-01", "2021")]   # no 評価 scale: no grade column


def test_figures_of_an_earlier_year_are_footnoted(built):
    (page,) = built().tables.report.pages
    kpi = next(k for k in page.kpis if k.kpi_id == "MY-02")
    assert kpi.measured == {2021: 2019, 2022: 2020, 2023: 2022, 2024: 2022}
    assert kpi.values[2021] == (38676.0, "actual")   # in the reported year's column
    waste = next(k for k in page.kpis if k.kpi_id == "MY-16")
    assert waste.measured == {2021: 2020, 2022: 2021, 2023: 2022, 2024: 2023}


@pytest.fixture(scope="module")
def workbook(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("miyagi-out")
    write_outputs(built(targets=True).tables, out)
    return out / "2024" / "推進管理表_2024.xlsx"


def _rate_rows(cells) -> dict:
    """{the indicator's first line: [the ＜進捗率＞ cells R3…R6]} of the project sheet."""
    rows = cells.values.tolist()
    header = next(r for r in rows if r[0] == "指標")
    columns = [header.index(label) for label in ("R3", "R4", "R5", "R6（目標）")]
    out, indicator = {}, None
    for row in rows:
        if isinstance(row[0], str) and row[0] not in ("＜進捗率＞", "指標"):
            indicator = row[0].split("\n")[0]
        elif row[0] == "＜進捗率＞" and indicator not in out:
            out[indicator] = [row[c] for c in columns]
    return out


def test_the_project_sheet_prints_every_label_and_footnote(workbook):
    sheets = dict(xlsx_sheets(workbook.read_bytes(), only=["MIYAGI"]))
    rates = _rate_rows(sheets["MIYAGI"])
    assert rates["製造品出荷額等（食料品製造業を除く）（億円）"] == ["0%未満", "0%未満", "100%超", "100%超"]
    assert rates["メタボリックシンドローム該当者及び予備群の割合（%）"] == ["0%未満"] * 4
    assert rates["多言語による生活情報の提供実施市町村数（市町村）［累計］"] == [0.25, 0.875, 1, 1]
    assert rates["障害者雇用率（%）"] == [0.526, 0.526, 0.462, 0.718]
    printed = [v if isinstance(v, str) else f"{v * 100:.1f}%" for values in rates.values() for v in values]
    assert sorted(printed) == sorted(PRINTED.values())
    labels = [cell for cell in sheets["MIYAGI"].values.ravel() if isinstance(cell, str)]
    label = next(cell for cell in labels if cell.startswith("製造品出荷額"))
    assert label.split("\n")[2:] == ["目標値：41,289億円（R6）", "※R3欄の数値はR元の値", "※R4欄の数値はR2の値",
                                     "※R5欄の数値はR4の値", "※R6欄の数値はR4の値"]
    label = next(cell for cell in labels if cell.startswith("障害者雇用率"))
    assert label.split("\n")[2:] == ["目標値：2.50%（R6）", "年度目標値：2.30%（R3）", "年度目標値：2.30%（R4）"]


def _sheet_xml(path: Path, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
        workbook = book.read("xl/workbook.xml").decode()
        rels = book.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet name="{name}" sheetId="\d+" r:id="(rId\d+)"', workbook).group(1)
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
            re.search(rf'Target="([^"]+)"[^>]*Id="{rid}"', rels)
        return book.read("xl/" + target.group(1)).decode()


def _cells(ref: str) -> set:
    """`B12:H12` → {(11, 1), …, (11, 7)} (0-based row, column)."""
    def one(a1: str) -> tuple:
        letters, digits = re.match(r"([A-Z]+)(\d+)", a1).groups()
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        return int(digits) - 1, column - 1
    first, _, last = ref.partition(":")
    (r1, c1), (r2, c2) = one(first), one(last or first)
    return {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}


def test_labels_are_not_coloured_by_a_plain_greater_or_equal(workbook):
    """Excel counts any text as greater than a number: where a range holds a label, the
    100 % rule tests ISNUMBER first (0%未満 stays uncoloured; 100%超 has its own green)."""
    for name in ("一覧", "MIYAGI"):
        cells = dict(xlsx_sheets(workbook.read_bytes(), only=[name]))[name]
        labels = {(r, c) for r, row in enumerate(cells.values.tolist()) for c, v in enumerate(row)
                  if v in ("0%未満", "100%超")}
        ranges = re.findall(r'<conditionalFormatting sqref="([^"]+)">(.*?)</conditionalFormatting>',
                            _sheet_xml(workbook, name))
        plain = set().union(*[_cells(ref) for ref, rules in ranges if 'operator="greaterThanOrEqual"' in rules])
        guarded = set().union(*[_cells(ref) for ref, rules in ranges if "AND(ISNUMBER(" in rules])
        assert labels and labels <= guarded and not labels & plain
    overview = dict(xlsx_sheets(workbook.read_bytes(), only=["一覧"]))["一覧"]
    column = overview.values.tolist()[1].index("進捗率")
    shown_rates = [row[column] for row in overview.values.tolist()[3:19]]
    assert shown_rates.count("100%超") == 7 and shown_rates.count("0%未満") == 1


def _fill_of(path: Path, sheet: str, text: str) -> str:
    """The fill colour (ARGB, "" for none) of the first cell of `sheet` holding `text`."""
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
        strings = [re.sub(r"<[^>]+>", "", si) for si in
                   re.findall(r"<si>(.*?)</si>", book.read("xl/sharedStrings.xml").decode(), re.S)]
        styles = book.read("xl/styles.xml").decode()
    index = strings.index(text)
    style = re.search(rf'<c r="[A-Z]+\d+" s="(\d+)" t="s"><v>{index}</v></c>', _sheet_xml(path, sheet)).group(1)
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1))
    fill = int(re.search(r'fillId="(\d+)"', xfs[int(style)]).group(1))
    fills = re.findall(r"<fill>(.*?)</fill>", re.search(r"<fills[^>]*>(.*?)</fills>", styles, re.S).group(1))
    colour = re.search(r'<fgColor rgb="([0-9A-F]+)"', fills[fill])
    return colour.group(1) if colour else ""


def test_only_100_percent_over_is_green(workbook):
    for sheet in ("一覧", "MIYAGI"):
        assert _fill_of(workbook, sheet, "100%超") == "FFE2EFDA"   # styles.HIT_FILL
        assert _fill_of(workbook, sheet, "0%未満") == ""
