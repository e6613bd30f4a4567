"""A real client prints the workbook: LibreOffice Calc → PDF, checked with poppler-utils.

Skipped when soffice (or pdfinfo/pdftotext) is missing, unless the environment variable
CI is set: then a missing tool is a failure.  soffice exits 0 even when it could not
convert, so the PDF's existence is the real answer.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.xlsx.book import write_workbook
from pipeline.styles import FONT_NAME
from tests.builders import CREATED, SEED_PRINTED, VERSIONS, seed_tables

TOOLS = ("soffice", "pdfinfo", "pdftotext", "pdffonts")
A4_LANDSCAPE = (841.9, 595.3)  # points


def _has_font(name: str) -> bool:
    """True when fontconfig knows the font (LibreOffice paginates with another one otherwise)."""
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return name in listed


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not _has_font(FONT_NAME):
        missing.append(f"the font {FONT_NAME}")
    if not missing:
        return
    message = (f"missing {', '.join(missing)} (apt-get install libreoffice-calc-nogui poppler-utils "
               "fonts-noto-cjk fonts-morisawa-bizud-gothic)")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _squash(text: str) -> str:
    """pdftotext breaks lines where the cell wraps them: compare without any whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(pdf path, [text of page 1, page 2, …]) of the seed workbook printed by LibreOffice."""
    _require_tools()
    folder = tmp_path_factory.mktemp("print")
    book = folder / "推進管理表_2019.xlsx"
    write_workbook(seed_tables(), book, versions=VERSIONS, created=CREATED)
    profile = folder / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(book)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, check=False)
    pdf = book.with_suffix(".pdf")
    assert pdf.exists() and pdf.stat().st_size > 0, "LibreOffice did not print the workbook"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    # default (reading order) mode: a wrapped cell comes out as one block, side-by-side
    # cells do not interleave line by line as with -layout
    texts = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
             for n in range(1, pages + 1)]
    return pdf, texts


def test_every_page_is_a4_landscape(printed):
    pdf, texts = printed
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(len(texts)), str(pdf)],
                          capture_output=True, text=True, check=True).stdout
    sizes = re.findall(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == len(texts)
    for width, height in sizes:
        assert float(width) == pytest.approx(A4_LANDSCAPE[0], abs=2)
        assert float(height) == pytest.approx(A4_LANDSCAPE[1], abs=2)


def test_project_sheet_is_one_page_wide(printed):
    _, texts = printed
    pages = [_squash(t) for t in texts]
    project = [p for p in pages if "ロシア極東との交流推進プロジェクト" in p and "プロジェクト推進管理表" in p
               and "ＫＰＩ一覧" not in p]
    assert project, "no page of the project sheet"
    # the repeated title rows carry the leftmost (title) and rightmost (年度) text: both on every page
    for page in project:
        assert "プロジェクト推進管理表" in page and "令和元年度（2019年度）" in page
    # side by side blocks and the KPI table are not cut into pages of columns
    heads = next(p for p in project if "これまでの主な取組実績" in p)
    assert "今後の取組を進める上での主な課題" in heads
    kpi = next(p for p in project if "【ＫＰＩの状況】" in p)
    for text in ("指標", "H26（基準）", "R2（目標）", "＜進捗率＞", "7,400人", "900百万円", "123.9%"):
        assert text in kpi, text
    assert len(project) <= 4


def test_every_item_is_printed(printed):
    _, texts = printed
    everything = _squash("".join(texts))
    for printed in SEED_PRINTED:
        assert _squash(printed) in everything


def test_a_japanese_font_is_embedded(printed):
    pdf, _ = printed
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"BIZUDGothic|NotoSansCJKjp|IPA", fonts), fonts


def test_data_sheets_print_readably_with_their_key_columns_on_every_page(printed):
    _, texts = printed
    pages = [_squash(t) for t in texts]
    # 取組データ at 80 % takes two pages across (and some down): the key columns (年度, 連携地域,
    # プロジェクトID) are on every page, every other header on one of them
    data = [p for p in pages if "取組データ令和元年度" in p]
    assert len(data) >= 2
    for page in data:
        assert "年度" in page and "連携地域" in page and "プロジェクトID" in page
    joined = "".join(data)
    for header in ("プロジェクト名", "区分", "施策・見出し", "内容", "地域", "実施主体", "再掲", "順序",
                   "出典ファイル", "出典シート", "出典行"):
        assert header in joined, header
    sources = next(p for p in pages if "出典・作成情報" in p)
    assert "除外行数" in sources and "ファイル" in sources


def test_overview_is_the_first_page_and_one_page_wide(printed):
    _, texts = printed
    first = _squash(texts[0])
    assert "ＫＰＩ一覧（見込み）" in first
    # the leftmost and the rightmost header, both rows of the sample, their 見込み and the rules
    for text in ("連携地域", "実績の推移", "北海道における訪日ロシア人", "北海道からロシアへの道産食品の輸出額",
                 "6,516", "88.1%", "遅れ", "123.9%", "達成", "見込みの判定", "未把握"):
        assert text in first, text
    assert "ＫＰＩ一覧" not in _squash("".join(texts[1:]))


def test_charts_print_on_the_project_sheet_with_their_numbers(printed):
    _, texts = printed
    pages = [_squash(t) for t in texts]
    charts = [p for p in pages if "【ＫＰＩの推移】" in p and "ＫＰＩ一覧" not in p]
    assert len(charts) == 1
    page = charts[0]
    # chart titles, axis titles (stacked: one character a line) and legends are printed as text
    for text in ("北海道における訪日ロシア人（新千歳空港等経由）", "単位：人", "単位：百万円", "年度",
                 "実績値", "目標値", "基準値→目標値（直線）", "グラフの数値", "6,916.3人"):
        assert text in page, text
