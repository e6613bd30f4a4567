"""`python -m pipeline pdf`: the published PDF (一覧 and the project sheets) made by LibreOffice.

The PDF tests need soffice, BIZ UDゴシック and poppler-utils; they are skipped without them,
unless the environment variable CI is set (then a missing tool is a failure), as in
test_print.py.  The checks without LibreOffice (missing tools, print copies) always run.
"""
from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline import cli, publish
from pipeline.styles import FONT_NAME
from tests.builders import ROOT, SEED_KPIS, SEED_PRINTED, SEED_PROGRESS, SEED_TITLE

POPPLER = ("pdfinfo", "pdftotext", "pdffonts")
INSTALL = "sudo apt-get install"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- without LibreOffice ------------------------------------------------------------------

def test_missing_libreoffice_and_font_name_the_packages_and_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(publish.shutil, "which", lambda name: None)
    code = cli.main(["pdf", "--fy", "2019", "--outputs", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [
        "PDF を作るには次のパッケージが必要です: libreoffice-calc-nogui（LibreOffice の soffice がありません）、"
        f"fonts-morisawa-bizud-gothic（フォント {FONT_NAME} がありません）。"
        "Debian・Ubuntu では sudo apt-get install libreoffice-calc-nogui fonts-morisawa-bizud-gothic で入れてください"]


def test_only_the_missing_font_is_named(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(publish.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(publish, "_has_font", lambda name: False)
    assert cli.main(["pdf", "--fy", "2019", "--outputs", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "libreoffice" not in err and f"{INSTALL} fonts-morisawa-bizud-gothic で" in err


def test_a_missing_workbook_says_how_to_make_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(publish, "soffice", lambda: "soffice")
    assert cli.main(["pdf", "--fy", "2019", "--outputs", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"{tmp_path / '2019' / '推進管理表_2019.xlsx'}: ファイルがありません"
                   "（先に make sheet FY=2019 または python -m pipeline sheet --fy 2019 で作ってください）")


def test_without_a_year_the_latest_built_one_is_printed(tmp_path, capsys):
    assert cli.main(["pdf", "--outputs", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path} に推進管理表がありません（先に make sheet で作ってください）"


def _fake_soffice(tmp_path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_a_conversion_that_makes_no_pdf_is_an_error(tmp_path):
    book = tmp_path / "x.xlsx"
    book.write_bytes(b"not really")
    with pytest.raises(publish.PublishError) as caught:   # soffice exits 0 even when it fails
        publish.convert(_fake_soffice(tmp_path, "echo 'Error: source file could not be loaded'"), book, tmp_path)
    assert caught.value.exit_code == 3
    assert str(caught.value) == "x.xlsx: LibreOffice が PDF を作れませんでした（Error: source file could not be loaded）"


def test_a_conversion_that_hangs_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "TIMEOUT_SECONDS", 1)
    book = tmp_path / "x.xlsx"
    book.write_bytes(b"")
    with pytest.raises(publish.PublishError) as caught:
        publish.convert(_fake_soffice(tmp_path, "sleep 30 & wait"), book, tmp_path)
    assert str(caught.value) == "x.xlsx: LibreOffice が 1 秒で PDF を作り終えませんでした"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """outputs/ with the 2019 and 2020 sample workbooks."""
    out = tmp_path_factory.mktemp("out")
    for fy in ("2019", "2020"):
        assert cli.main(["sheet", "--fy", fy, "--inputs", str(ROOT / "inputs"), "--outputs", str(out)]) == 0
    return out


def test_the_print_copy_shows_only_the_printed_sheets(built, tmp_path):
    book = built / "2019" / "推進管理表_2019.xlsx"
    publish.print_copy(book, tmp_path / "copy.xlsx", {"一覧", "DOHOKU-01"})
    copy = openpyxl.load_workbook(tmp_path / "copy.xlsx")
    shown = [ws.title for ws in copy.worksheets if ws.sheet_state == "visible"]
    assert shown == ["一覧", "DOHOKU-01"]
    for ws in copy.worksheets[2:]:   # the data sheets and 出典: hidden, with no print area left
        assert ws.sheet_state == "hidden" and not ws.print_area and not ws.print_title_rows
    assert copy["DOHOKU-01"].print_area and copy["DOHOKU-01"].print_title_rows == "$1:$2"


def test_one_pdf_per_region_when_the_workbook_covers_several(built, tmp_path, monkeypatch):
    made = {}

    def fake_convert(command, book, folder):
        made[book.stem] = [ws.title for ws in openpyxl.load_workbook(book).worksheets if ws.sheet_state == "visible"]
        pdf = folder / (book.stem + ".pdf")
        pdf.write_bytes(b"%PDF-1.6")
        return pdf

    monkeypatch.setattr(publish, "soffice", lambda: "soffice")
    monkeypatch.setattr(publish, "convert", fake_convert)
    book = tmp_path / "推進管理表_2019.xlsx"
    shutil.copy(built / "2019" / "推進管理表_2019.xlsx", book)
    written = publish.publish(book, 2019, {"道北": ["DOHOKU-01"], "十勝": []})
    assert [p.name for p in written] == ["推進管理表_2019.pdf"]      # one region with sheets: one PDF
    written = publish.publish(book, 2019, {"道北": ["DOHOKU-01"], "十勝": ["DOHOKU-01"]})
    assert [p.name for p in written] == ["推進管理表_2019.pdf", "推進管理表_2019_道北.pdf", "推進管理表_2019_十勝.pdf"]
    assert made == {"推進管理表_2019": ["一覧", "DOHOKU-01"], "推進管理表_2019_道北": ["DOHOKU-01"],
                    "推進管理表_2019_十勝": ["DOHOKU-01"]}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp")]
    assert publish.regions_of(built / "2019" / "推進管理表_2019.xlsx") == {"道北": ["DOHOKU-01"]}


# --- with LibreOffice -------------------------------------------------------------------------

def _require_tools() -> None:
    missing = [tool for tool in ("soffice", *POPPLER) if shutil.which(tool) is None]
    if not publish._has_font(FONT_NAME):
        missing.append(f"the font {FONT_NAME}")
    if missing:
        message = f"missing {', '.join(missing)} (apt-get install libreoffice-calc-nogui poppler-utils " \
                  "fonts-morisawa-bizud-gothic)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdfs(built):
    """{FY: (pdf, [text of each page])} made by `python -m pipeline pdf` for both sample years."""
    _require_tools()
    years = ("2019", "2020")
    with concurrent.futures.ThreadPoolExecutor(len(years)) as pool:   # two LibreOffice processes at once
        codes = list(pool.map(lambda fy: cli.main(["pdf", "--fy", fy, "--outputs", str(built)]), years))
    assert codes == [0, 0]
    out = {}
    for fy in years:
        pdf = built / fy / f"推進管理表_{fy}.pdf"
        pages = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))
        out[fy] = pdf, [_run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-") for n in range(1, pages + 1)]
    return out


def test_the_pdf_embeds_biz_ud_gothic(pdfs):
    for pdf, _ in pdfs.values():
        fonts = [line.split() for line in _run("pdffonts", str(pdf)).splitlines()[2:]]
        assert any(f[0].endswith("BIZUDGothic-Regular") and "yes" in f[-5:-3] for f in fonts), fonts


def test_the_pdf_has_a_title_a_subject_and_a4_landscape_pages(pdfs):
    pdf, pages = pdfs["2019"]
    info = _run("pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf))
    assert re.search(r"^Title:\s+プロジェクト推進管理表　令和元年度（2019年度）$", info, re.M)
    assert re.search(rf"^Subject:\s+{SEED_TITLE}　道北連携地域$", info, re.M)
    sizes = re.findall(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == len(pages) and all(abs(float(w) - 841.9) < 2 and abs(float(h) - 595.3) < 2
                                            for w, h in sizes)


def test_only_the_overview_and_the_project_sheets_with_running_page_numbers(pdfs):
    for fy, (_, pages) in pdfs.items():
        texts = [_squash(p) for p in pages]
        assert "ＫＰＩ一覧（見込み）" in texts[0]
        assert all("ロシア極東との交流推進プロジェクト" in t for t in texts[1:])
        for n, text in enumerate(texts, start=1):   # the footer's page / pages runs on over the sheets
            assert f"{n}/{len(texts)}" in text
        joined = "".join(texts)
        assert "取組データ" not in joined and "出典・作成情報" not in joined and "SHA-256" not in joined


def test_every_seed_sentence_and_kpi_figure_is_in_the_pdf(pdfs):
    _, pages = pdfs["2019"]
    text = _squash("".join(pages))
    for sentence in SEED_PRINTED:
        assert _squash(sentence) in text, sentence
    for _, indicator, unit, (_, base), (_, target), actuals in SEED_KPIS:
        assert _squash(indicator) in text
        for value in (base, target, *actuals):
            assert f"{value:,.0f}{unit}" in text, (value, unit)
    for rates in SEED_PROGRESS.values():
        for rate in rates:
            assert f"{rate * 100:.1f}%" in text, rate


def test_no_page_of_a_project_sheet_starts_without_a_heading(pdfs):
    heads = ("【", "これまでの主な取組実績", "今後の取組を進める上での主な課題", "今年度の主な取組", "次年度の取組",
             "グラフの数値")
    for fy, (_, pages) in pdfs.items():
        title_rows = {SEED_TITLE, *SEED_TITLE.split("　"), "道北連携地域", "ロシア極東との交流推進プロジェクト",
                      "令和元年度（2019年度）" if fy == "2019" else "令和２年度（2020年度）"}
        for number, page in enumerate(pages[1:], start=2):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            body = [line for line in lines if line not in title_rows]
            assert body and body[0].startswith(heads), (fy, number, body[:2])
