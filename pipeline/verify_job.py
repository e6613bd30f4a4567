"""The verify job: read a 推進管理表, write it again in memory with the same writers, and
compare every cell (pipeline/verify.py).

Without inputs the rebuild starts from the book's own data sheets and 出典 (read back →
report → xlsx/book.py); reference data (regions, the 地域 house style) comes from
schemas/reference as for `sheet`, and the document settings (表題, 別紙番号 of
master/settings.csv), which no sheet holds as data, from the title and subject document
properties that book.py writes with them.  With inputs, the files of inputs/<FY> are first
compared with the SHA-256 recorded on 出典; when they all match, the book is rebuilt from
them (build.run), so an edit of the data sheets shows too.  Reading is load's and
readback's; nothing is written to disk.
"""
from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import Iterator

from schemas.eras import long_title
from schemas.limits import read_limits

from . import __version__, kpi_master, load, normalize, regions
from .errors import PipelineError, UnreadableFileError
from .model import Snapshot, Tables
from .render import region_sheets
from .report import build_report, covered_regions
from .verify import Check, compare_sheets, input_mismatches
from .xlsx import labels as L
from .xlsx.book import write_workbook
from .xlsx.hokkaido_book import write_hokkaido_workbook
from .xlsx.readback import DATA_SHEETS, open_book, snapshot_of
from .xlsx.sources_readback import Sources, read_properties, read_sources

SNAPSHOT_SHEETS = [*DATA_SHEETS, L.SHEET_SOURCES]   # what readback.snapshot_of reads
OTHER_VERSION = ("この推進管理表はパイプライン {made} で作られました（いまは {now}）。"
                 "違いはパイプラインの変更によることがあります")
NO_REBUILD = "{folder} から推進管理表を作り直せません（pipeline sheet --fy {fy} で確かめてください）"


def written_settings(properties: dict[str, str], fiscal_year: int, regions: tuple, defaults: dict) -> dict:
    """The settings a book was written with, undoing book.py: title property 「表題　年度」,
    subject 「[別紙番号　]表題　連携地域…」; the defaults where a property does not fit."""
    suffix = "　" + long_title(fiscal_year)
    if not properties["title"].endswith(suffix):
        return dict(defaults)
    title = properties["title"][:-len(suffix)]
    heading = properties["subject"].removesuffix("".join("　" + r for r in regions))
    attachment = heading[:-len("　" + title)] if heading.endswith("　" + title) else ""
    return {**defaults, "title": title, "attachment": attachment}


def tables_of(snapshot: Snapshot, sources: Sources, ref: load.Reference, properties: dict[str, str]) -> Tables:
    """The Tables a book's data sheets, 出典 and document properties describe, with its report."""
    tables = Tables(
        fiscal_year=snapshot.fiscal_year, projects=snapshot.projects, measures=snapshot.measures,
        kpis=snapshot.kpis, initiatives=snapshot.initiatives, kpi=snapshot.kpi, manifest=sources.manifest,
        regions=ref.regions.loc[:, ["region", "name", "bureaus"]], warnings=sources.warnings,
        area_styles=normalize.area_styles(ref), formulas=kpi_master.formulas(ref), grades=sources.grades)
    defaults = dict(zip(ref.settings["name"], ref.settings["default"]))
    if sources.display:
        defaults["progress_display"] = sources.display   # recorded on 出典 when not the default
    regions = covered_regions(tables)   # the 連携地域 covered do not depend on the settings
    settings = written_settings(properties, snapshot.fiscal_year, regions, defaults)
    tables = dataclasses.replace(tables, settings=settings)
    return dataclasses.replace(tables, report=build_report(tables))


def rebuilt_sheets(tables: Tables, sources: Sources, data_sheets: bool = True) -> dict:
    """{sheet: raw cells} of the workbook the writers make of `tables` (in memory); without the
    data sheets when they are what `tables` was read from (rebuilding them would only repeat them)."""
    buffer = io.BytesIO()
    parts = tables.parts or regions.split(tables)
    if parts:   # the whole-Hokkaido book of a run over several 連携地域
        write_hokkaido_workbook(tables, buffer, sheets=region_sheets(parts), versions=sources.versions,
                                created=sources.created, streaming=False, data_sheets=data_sheets)
    else:
        write_workbook(tables, buffer, versions=sources.versions, created=sources.created, data_sheets=data_sheets)
    return _sheets(buffer)


def _sheets(buffer: io.BytesIO) -> dict:
    """{sheet: raw cells} of a book rebuilt in memory, read as `open_book` reads the book on disk."""
    return dict(load.xlsx_sheets(buffer.getvalue(), limits=read_limits().for_books()))


def _from_inputs(inputs_dir: Path, fiscal_year: int, sources: Sources, ref) -> tuple[Tables | None, tuple]:
    """(Tables built from inputs/<FY>, or None when a file is not as recorded; the mismatches).
    build (and pandera with it) is imported here: `diff` and a `verify` without inputs do not need it."""
    from .build import quiet_sheets, run

    if not (inputs_dir / str(fiscal_year)).is_dir():
        raise UnreadableFileError(f"{inputs_dir / str(fiscal_year)}: 入力フォルダがありません")
    inputs = load.load_inputs(inputs_dir, fiscal_year, quiet_sheets(ref))
    present = {s.file: s.sha256 for s in (*inputs.masters.values(), *inputs.submissions)}
    recorded = list(zip(sources.manifest["file"], sources.manifest["sha256"]))
    mismatches = input_mismatches(recorded, present)
    if mismatches:
        return None, mismatches
    try:
        return run(inputs_dir, fiscal_year, ref, inputs=inputs).tables, ()
    except PipelineError:
        raise UnreadableFileError(NO_REBUILD.format(folder=inputs_dir / str(fiscal_year), fy=fiscal_year)) from None


REGION_BOOK = re.compile(r"推進管理表_(\d{4})_(.+)\.xlsx")
NO_WHOLE_BOOK = ("{label}: 連携地域のブックです。比べるには、同じフォルダに全道のブック {whole}（データのシートを持つもの）"
                 "が必要です")


def region_book(path: Path, ref: load.Reference) -> tuple[Path, str] | None:
    """(the whole-Hokkaido book beside it, its 連携地域) when `path` is named as one region's book of a
    run over several (推進管理表_2023_道北.xlsx): such a book has no data sheets of its own."""
    match = REGION_BOOK.fullmatch(path.name)
    if match is None or match.group(2) not in set(ref.regions["region"]):
        return None
    return path.with_name(f"推進管理表_{match.group(1)}.xlsx"), match.group(2)


def verify_book(path: Path, label: str | None = None, inputs_dir: Path | None = None,
                ref: load.Reference | None = None) -> tuple[Snapshot, Check]:
    """(the book's Snapshot, what verify found); UnreadableFileError when it is not a 推進管理表.

    A region's book (region_book) is rebuilt from the whole-Hokkaido book beside it (or from
    the inputs) and compared cell by cell; the Snapshot is then the whole book's (`diff` cuts
    it to the region, regions.snapshot_region)."""
    snapshot, check = verify_stages(path, label, inputs_dir, ref)
    return snapshot, check


def verify_stages(path: Path, label: str | None = None, inputs_dir: Path | None = None,
                  ref: load.Reference | None = None) -> Iterator[Snapshot | Check]:
    """verify_book's two results one at a time: the Snapshot as soon as the book is read, then
    the Check (`diff` compares the snapshots while the workers check the books)."""
    label = label or str(path)
    ref = ref or load.load_reference()
    region = region_book(path, ref)
    whole = region[0] if region else path
    if region and not whole.is_file():
        raise UnreadableFileError(NO_WHOLE_BOOK.format(label=label, whole=whole.name))
    # the sheets the snapshot is made of first (diff waits for it), the sheets people see after
    data, book = open_book(whole, str(whole) if region else label, only=SNAPSHOT_SHEETS)
    snapshot = snapshot_of(label, data, book)
    yield snapshot
    sources = read_sources(label, book[L.SHEET_SOURCES])
    tables, mismatches = (None, ())
    if inputs_dir is not None:
        tables, mismatches = _from_inputs(inputs_dir, snapshot.fiscal_year, sources, ref)
    basis = "inputs" if tables is not None else "data"
    tables = tables or tables_of(snapshot, sources, ref, read_properties(data))
    if region:
        book = open_book(path, label)[1]
        expected = rebuilt_region_sheets(tables, region[1], sources)
    else:
        expected = rebuilt_sheets(tables, sources, data_sheets=basis == "inputs")
        book = {**book, **open_book(path, label, skip=SNAPSHOT_SHEETS)[1]}
        if basis == "data":   # the basis of the rebuild is not compared with itself
            book = {name: cells for name, cells in book.items() if name not in DATA_SHEETS}
    differences, missing, extra = compare_sheets(expected, book)
    made = sources.versions.get("pipeline", "")
    notes = (OTHER_VERSION.format(made=made, now=__version__),) if made and made != __version__ else ()
    yield Check(label, basis, tuple(expected), differences, missing, extra, mismatches, notes)


def rebuilt_region_sheets(tables: Tables, region: str, sources: Sources) -> dict:
    """{sheet: raw cells} of one 連携地域's book as `sheet` writes it (no data sheets), in memory;
    nothing (every sheet then missing) when the tables have no project of that region."""
    parts = [p for p in (tables.parts or regions.split(tables)) if p.projects["region"].iloc[0] == region]
    if not parts:
        return {}
    buffer = io.BytesIO()
    write_workbook(parts[0], buffer, versions=sources.versions, created=sources.created, data_sheets=False)
    return _sheets(buffer)
