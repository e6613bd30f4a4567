"""Books without a recorded creation time: core.xml written without its dates (pipeline/xlsx/undated.py)."""
from __future__ import annotations

import datetime
import io
import zipfile

from pipeline.xlsx.cells import created_property, open_workbook


def _book(created: datetime.datetime | None) -> bytes:
    buffer = io.BytesIO()
    workbook = open_workbook(buffer)
    workbook.set_properties({"title": "表題", "created": created_property(created)})
    workbook.add_worksheet("一覧").write_string(0, 0, "x")
    workbook.close()
    return buffer.getvalue()


def _core(book: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        return z.read("docProps/core.xml").decode("utf-8")


def test_without_a_creation_time_core_xml_has_no_dates_and_the_bytes_repeat():
    core = _core(_book(None))
    assert "dcterms:created" not in core and "dcterms:modified" not in core
    assert "<dc:title>表題</dc:title>" in core and core.endswith("</cp:coreProperties>")
    assert _book(None) == _book(None)


def test_a_given_creation_time_is_written_as_created_and_modified():
    core = _core(_book(datetime.datetime(2024, 3, 31, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))))
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-31T00:00:00Z</dcterms:created>' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-03-31T00:00:00Z</dcterms:modified>' in core


def test_every_book_of_a_hokkaido_run_without_a_date_has_no_dates(hokkaido):
    books = sorted(hokkaido[2].rglob("*.xlsx"))
    assert {"推進管理表_2023.xlsx", "推進管理表_2023_道北.xlsx", "提出状況.xlsx"} <= {b.name for b in books}
    for book in books:   # the whole-Hokkaido book too (it carried 2000-01-01 before)
        core = _core(book.read_bytes())
        assert "dcterms:" not in core.replace('xmlns:dcterms="http://purl.org/dc/terms/"', ""), book.name
