"""sources_readback: the 出典 sheet and the document properties read back as they were written."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from pipeline.errors import UnreadableFileError
from pipeline.load import xlsx_sheets
from pipeline.verify_job import verify_book, written_settings
from pipeline.xlsx.book import write_workbook
from pipeline.xlsx.sources_readback import read_properties, read_sources
from tests.builders import CREATED, VERSIONS, inline_seed_tables, with_report

WARNINGS = ("submissions/a.csv:3: 警告: 区分: 空欄です", "=SUM(A1) のように見える警告")


@pytest.mark.parametrize("created", [CREATED, None])
def test_sources_come_back_as_written(tmp_path, created):
    tables = with_report(dataclasses.replace(inline_seed_tables(), warnings=WARNINGS,
                                             settings={"attachment": "別紙２", "title": "推進管理表"}))
    path = tmp_path / "book.xlsx"
    write_workbook(tables, path, versions=VERSIONS, created=created)
    data = path.read_bytes()
    sources = read_sources("book.xlsx", dict(xlsx_sheets(data))["出典"])
    assert sources.versions == VERSIONS and list(sources.versions) == ["pipeline", "pandas", "xlsxwriter"]
    assert sources.created == created and sources.warnings == WARNINGS
    pd.testing.assert_frame_equal(sources.manifest.astype({c: "int64" for c in ("rows_read", "rows_accepted",
                                                                                 "rows_rejected")}),
                                  tables.manifest, check_dtype=False)
    assert read_properties(data) == {"title": "推進管理表　令和元年度（2019年度）",
                                     "subject": "別紙２　推進管理表　道北連携地域"}
    _, check = verify_book(path)
    assert check.ok and check.differences == ()


def test_settings_are_undone_from_the_properties():
    defaults = {"attachment": "", "title": "プロジェクト推進管理表"}
    props = {"title": "推進管理表　令和元年度（2019年度）", "subject": "別紙２　推進管理表　道北連携地域　道央連携地域"}
    assert written_settings(props, 2019, ("道北連携地域", "道央連携地域"), defaults) == {
        "attachment": "別紙２", "title": "推進管理表"}
    props = {"title": "推進管理表　令和元年度（2019年度）", "subject": "推進管理表　道北連携地域"}
    assert written_settings(props, 2019, ("道北連携地域",), defaults) == {"attachment": "", "title": "推進管理表"}
    assert written_settings({"title": "", "subject": ""}, 2019, (), defaults) == defaults


def test_a_sources_sheet_without_its_rows_is_not_ours():
    cells = pd.DataFrame([["出典・作成情報"], ["対象年度"]], index=[1, 2], dtype=object)
    with pytest.raises(UnreadableFileError, match="book.xlsx: シート「出典」に入力ファイルの表がありません"):
        read_sources("book.xlsx", cells)
