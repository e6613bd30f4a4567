"""Publish: the built workbook → the PDF a region publishes, printed by LibreOffice headless.

What is printed: 一覧 and the project sheets, as the workbook sets them up (A4 landscape,
paginated by the writer, title rows and footer on every page, page numbers running on
from sheet to sheet).  The data sheets and 出典 are left out: LibreOffice prints no
hidden sheet, so a print copy of the workbook hides them (nothing else changes).  The
PDF's title and subject are the workbook's document properties; BIZ UDゴシック is
embedded (LibreOffice embeds the fonts it uses; without the font installed it would
print with another one, so its absence is an error).

Files: reads outputs/<FY>/推進管理表_<FY>.xlsx and writes 推進管理表_<FY>.pdf beside it,
plus 推進管理表_<FY>_<連携地域>.pdf (that region's project sheets) for each region when
the workbook covers several.  LibreOffice runs with a private profile in a temporary
folder, under a timeout; it exits 0 even when it could not convert, so the PDF's
existence is the answer.  The PDFs are renamed into place only when all were made.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .errors import PipelineError, UnreadableFileError, UsageError
from .styles import FONT_NAME

SOFFICE = ("soffice", "libreoffice")
PACKAGES = {"soffice": "libreoffice-calc-nogui", "font": "fonts-morisawa-bizud-gothic"}
TIMEOUT_SECONDS = 240
_SHEET_TAG = re.compile(rb'<sheet name="([^"]*)"')
_PRINT_NAME = re.compile(rb'<definedName name="_xlnm\.Print_(?:Area|Titles)" localSheetId="(\d+)">[^<]*</definedName>')


class PublishError(PipelineError):
    """LibreOffice ran but made no PDF (exit 3)."""

    exit_code = 3


def pdf_name(fiscal_year: int, region: str | None = None) -> str:
    """推進管理表_2019.pdf, or 推進管理表_2019_道北.pdf for one region."""
    return f"推進管理表_{fiscal_year}{'_' + region if region else ''}.pdf"


def _has_font(name: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return any(name in line.split(",") for line in listed.splitlines())


def soffice() -> str:
    """The LibreOffice command; UsageError (exit 2) naming the Debian packages to install
    when it or the workbook's font is missing."""
    command = next((path for path in map(shutil.which, SOFFICE) if path), None)
    missing = []
    if command is None:
        missing.append(f"{PACKAGES['soffice']}（LibreOffice の soffice がありません）")
    if not _has_font(FONT_NAME):
        missing.append(f"{PACKAGES['font']}（フォント {FONT_NAME} がありません）")
    if missing:
        names = " ".join(p.split("（")[0] for p in missing)
        raise UsageError(f"PDF を作るには次のパッケージが必要です: {'、'.join(missing)}。"
                         f"Debian・Ubuntu では sudo apt-get install {names} で入れてください")
    return command


def sheet_names(workbook: Path) -> list[str]:
    """The workbook's sheet names, in order (from xl/workbook.xml)."""
    with zipfile.ZipFile(workbook) as book:
        data = book.read("xl/workbook.xml")
    return [_unescape(m.group(1).decode("utf-8")) for m in _SHEET_TAG.finditer(data)]


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;", "&")


def print_copy(workbook: Path, target: Path, shown: set[str]) -> None:
    """A copy of `workbook` in which LibreOffice prints only the sheets in `shown`: the
    others are hidden and lose their print area and print titles (LibreOffice prints a
    hidden sheet that has a print area, and no sheet without one when others have one);
    the first shown sheet becomes the active one."""
    names = sheet_names(workbook)
    active = next(i for i, name in enumerate(names) if name in shown)
    hidden = {str(i) for i, name in enumerate(names) if name not in shown}

    def hide(match: re.Match) -> bytes:
        name = _unescape(match.group(1).decode("utf-8"))
        return match.group(0) + (b"" if name in shown else b' state="hidden"')

    def unprint(match: re.Match) -> bytes:
        return b"" if match.group(1).decode() in hidden else match.group(0)

    with zipfile.ZipFile(workbook) as book:
        entries = [(info, book.read(info)) for info in book.infolist()]
    with zipfile.ZipFile(target, "w") as out:
        for info, data in entries:
            if info.filename == "xl/workbook.xml":
                data = _SHEET_TAG.sub(hide, data)
                data = _PRINT_NAME.sub(unprint, data)
                data = re.sub(rb'activeTab="\d+"', f'activeTab="{active}"'.encode(), data)
                data = re.sub(rb'firstSheet="\d+"', f'firstSheet="{active}"'.encode(), data)
            elif info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b' tabSelected="1"', b"")
            out.writestr(info, data)


def convert(command: str, book: Path, folder: Path) -> Path:
    """Print `book` to PDF in `folder` with LibreOffice (private profile, timeout)."""
    profile = (folder / "profile").resolve()
    args = [command, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", "pdf:calc_pdf_Export", "--outdir", str(folder), str(book)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PublishError(f"{book.name}: LibreOffice が {TIMEOUT_SECONDS} 秒で PDF を作り終えませんでした") from None
    pdf = folder / (book.stem + ".pdf")
    if not pdf.is_file() or pdf.stat().st_size == 0:
        said = output.decode("utf-8", "replace").strip().splitlines()[-1:] or ["（出力なし）"]
        raise PublishError(f"{book.name}: LibreOffice が PDF を作れませんでした（{said[0]}）")
    return pdf


def regions_of(workbook: Path) -> dict[str, list[str]]:
    """連携地域 → the names of its project sheets, from the workbook's プロジェクトデータ."""
    from .xlsx.book import project_sheet_names
    from .xlsx.readback import read_workbook

    projects = read_workbook(workbook).projects
    out: dict[str, list[str]] = {}
    for region, name in zip(projects["region"], project_sheet_names(projects["project_id"])):
        out.setdefault(str(region), []).append(name)
    return out


def publish(workbook: Path, fiscal_year: int, regions: dict[str, list[str]] | None = None) -> list[Path]:
    """Write the PDF(s) of `workbook` beside it; returns their paths.

    regions: 連携地域 → its project sheets; a PDF per region is made when there are
    several.  Without soffice or the font: UsageError (exit 2) before anything is read.
    """
    command = soffice()
    if not workbook.is_file():
        raise UnreadableFileError(f"{workbook}: ファイルがありません（先に make sheet FY={fiscal_year} "
                                  f"または python -m pipeline sheet --fy {fiscal_year} で作ってください）")
    from .xlsx.labels import FIXED_SHEETS, SHEET_OVERVIEW

    projects = [n for n in sheet_names(workbook) if n not in FIXED_SHEETS]
    jobs = {pdf_name(fiscal_year): {SHEET_OVERVIEW, *projects}}
    regional = {region: sheets for region, sheets in (regions or {}).items() if sheets}
    if len(regional) > 1:
        jobs.update({pdf_name(fiscal_year, region): set(sheets) for region, sheets in regional.items()})
    staging = Path(tempfile.mkdtemp(prefix=".tmp-pdf-", dir=workbook.parent))
    try:
        made = []
        for name, shown in jobs.items():
            book = staging / (Path(name).stem + ".xlsx")
            print_copy(workbook, book, shown)
            made.append((convert(command, book, staging), workbook.parent / name))
        for pdf, target in made:
            os.replace(pdf, target)
        return [target for _, target in made]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
