"""zip_entry: one entry of a finished xlsx replaced, the others copied byte for byte."""
from __future__ import annotations

import io
import zipfile

import xlsxwriter

from pipeline.xlsx import cells
from pipeline.xlsx.zip_entry import replaced_entry


def _book(rows: int = 200) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, cells.workbook_options())
    workbook.set_properties({"title": "表題", "created": cells.created_property(None)})
    for name in ("一覧", "取組"):
        sheet = workbook.add_worksheet(name)
        for r in range(rows):
            sheet.write_string(r, 0, f"{name}の{r}行目")
    workbook.close()
    return buffer.getvalue()


def _rewritten(xlsx: bytes, name: str, data: bytes) -> bytes:
    """What writing the whole zip again gives (the way without_creation_time used to)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        entries = [(info, book.read(info)) for info in book.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for info, content in entries:
            book.writestr(info, data if info.filename == name else content)
    return out.getvalue()


def test_the_bytes_are_those_of_writing_the_whole_zip_again():
    xlsx = _book()
    for name in ("docProps/core.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"):
        data = b"<x>" + name.encode() * 300 + b"</x>"
        spliced = replaced_entry(xlsx, name, data)
        assert spliced == _rewritten(xlsx, name, data)
        with zipfile.ZipFile(io.BytesIO(spliced)) as book:
            assert book.testzip() is None and book.read(name) == data
            assert book.read("xl/worksheets/sheet2.xml") == zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet2.xml")


def test_without_creation_time_drops_both_dates_and_keeps_every_other_entry():
    xlsx = _book()
    stripped = cells.without_creation_time(xlsx)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as before, zipfile.ZipFile(io.BytesIO(stripped)) as after:
        assert b"<dcterms:created" in before.read("docProps/core.xml")
        core = after.read("docProps/core.xml")
        assert b"dcterms:created" not in core and b"dcterms:modified" not in core and b"<dc:title>" in core
        assert [i.filename for i in before.infolist()] == [i.filename for i in after.infolist()]
        assert all(before.read(n) == after.read(n) for n in before.namelist() if n != "docProps/core.xml")


def test_a_zip_laid_out_otherwise_is_left_to_the_whole_rewrite():
    xlsx = _book(5)
    commented = io.BytesIO(xlsx)
    with zipfile.ZipFile(commented, "a") as book:
        book.comment = b"note"
    assert replaced_entry(commented.getvalue(), "docProps/core.xml", b"<x/>") is None
    assert replaced_entry(xlsx + b"trailing", "docProps/core.xml", b"<x/>") is None
    assert replaced_entry(xlsx, "missing.xml", b"<x/>") is None
    assert replaced_entry(b"PK", "docProps/core.xml", b"<x/>") is None
    assert cells.without_creation_time(commented.getvalue()) == cells._rewritten_without_creation_time(commented.getvalue())
