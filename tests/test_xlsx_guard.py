"""pipeline/xlsx_guard.py and xlsx_scan.py: every check before calamine, with small limits."""
from __future__ import annotations

import glob
import struct
import zipfile

import pytest

from pipeline import xlsx_guard as G
from pipeline.load_xlsx import _calamine_rows, read_xlsx
from schemas.limits import LimitExceeded, read_limits
from tests import corpus as K

LIMITS = read_limits()
EVERY = lambda entry: True  # noqa: E731
SHEET = "xl/worksheets/sheet1.xml"


def refused(data: bytes, limits=LIMITS, read=EVERY) -> str:
    with pytest.raises((G.BadXlsx, LimitExceeded)) as caught:
        G.check(data, limits, read)
    exc = caught.value
    where = ":".join(str(p) for p in (exc.sheet, getattr(exc, "row", 0) or "", getattr(exc, "column", "")) if p)
    return f"{where}: {str(exc)}" if where else str(exc)


def with_flag(data: bytes, part: str, bit: int) -> bytes:
    """`data` with a general-purpose flag bit set for `part` in its local and central headers."""
    out = bytearray(data)
    info = zipfile.ZipFile(__import__("io").BytesIO(data)).getinfo(part)
    for offset in (info.header_offset + 6,):
        struct.pack_into("<H", out, offset, struct.unpack_from("<H", data, offset)[0] | bit)
    position = struct.unpack_from("<I", data, data.rfind(b"PK\x05\x06") + 16)[0]
    while data[position:position + 4] == b"PK\x01\x02":
        length, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46:position + 46 + length].decode() == part:
            struct.pack_into("<H", out, position + 8, struct.unpack_from("<H", data, position + 8)[0] | bit)
        position += 46 + length + extra + comment
    return bytes(out)


@pytest.mark.parametrize("path", sorted(glob.glob("inputs/*/submissions/*.xlsx")))
def test_the_sample_workbooks_pass(path):
    sheets = G.check(open(path, "rb").read(), LIMITS, EVERY)
    assert sheets and all(s.state == "visible" and s.part.startswith("xl/worksheets/") for s in sheets)


@pytest.mark.parametrize("data, reason", [
    (b"", G.EMPTY),
    (K.encrypted_xlsx(), G.ENCRYPTED),
    (K.old_xls(), G.OLE2),
    ("プロジェクト,区分\n".encode("cp932"), G.TEXT),
    ("\ufeffKPI\n".encode("utf-16"), G.TEXT),
    (K.random_bytes(), G.CORRUPT),
    (b"PK\x03\x04" + K.random_bytes(), G.CORRUPT),
])
def test_sniff(data, reason):
    assert refused(data) == reason


def test_zip_directory_checks():
    book = K.table_xlsx([K.INITIATIVE, K.ROW])
    size = zipfile.ZipFile(__import__("io").BytesIO(book)).getinfo(SHEET).file_size
    assert refused(book, LIMITS.replace(xlsx_entries=4)) == "中のファイルが多すぎます（5 個。上限 4 個）"
    assert refused(book, LIMITS.replace(xlsx_part_bytes=size - 1)) == (
        f"中のファイル「{SHEET}」が大きすぎます（展開すると {size:,} バイト（0.0 MB）。上限 {size - 1:,} バイト（0.0 MB））")
    assert refused(book, LIMITS.replace(xlsx_total_bytes=1000)).startswith("展開後の大きさの合計が大きすぎます（")
    spaces = K.xlsx([("取組", "visible", K.sheet_xml([K.INITIATIVE]) + " " * 200_000)])
    assert refused(spaces, LIMITS.replace(xlsx_ratio_from_bytes=100_000)).startswith(
        f"中のファイル「{SHEET}」の圧縮率が高すぎます（")
    assert refused(with_flag(book, SHEET, 0x1)) == G.ZIP_ENCRYPTED
    bzip = K.xlsx([("取組", "visible", K.sheet_xml([K.INITIATIVE]))], method=zipfile.ZIP_BZIP2)
    assert refused(bzip) == "中のファイル「[Content_Types].xml」は Excel が使わない圧縮方式です（Excel で保存し直してください）"


def test_actual_sizes_are_counted_not_trusted():
    book = K.table_xlsx([K.INITIATIVE, K.ROW])
    assert refused(K.lying_size(book, SHEET, 10)) == (
        f"中のファイル「{SHEET}」の大きさが記録と違います（壊れているか、細工されたファイルです）")
    size = zipfile.ZipFile(__import__("io").BytesIO(book)).getinfo(SHEET).file_size
    assert refused(K.lying_size(book, SHEET, size + 5)) == (
        f"中のファイル「{SHEET}」の大きさが記録と違います（壊れているか、細工されたファイルです）")


def test_xml_is_parsed_with_dtds_refused_and_must_be_well_formed():
    assert refused(K.table_xlsx([K.INITIATIVE], prolog=K.LAUGHS)) == G.DTD
    assert refused(K.table_xlsx([K.INITIATIVE], prolog=K.XXE)) == G.DTD
    hidden_dtd = K.xlsx([("取組", "visible", K.sheet_xml([K.INITIATIVE])), ("旧", "hidden", K.sheet_xml([], prolog=K.XXE))])
    assert refused(hidden_dtd, read=lambda s: s.state == "visible") == G.DTD  # every XML part, read or not
    broken = K.xlsx([("取組", "visible", "<worksheet><sheetData><row>")])
    assert refused(broken) == f"Excel ファイル（.xlsx）として読めません（中の「{SHEET}」が壊れています）"
    missing = K.xlsx([("取組", "visible", K.sheet_xml([K.INITIATIVE]))], parts={"xl/_rels/workbook.xml.rels":
              f'<Relationships xmlns="{K.PKG}"><Relationship Id="rId1" Target="worksheets/none.xml"/></Relationships>'})
    assert refused(missing) == "取組: " + G.CORRUPT


def test_cell_positions_follow_calamine_when_r_is_missing():
    small = LIMITS.replace(columns=3)
    ok = K.xlsx([("S", "visible", K.sheet_xml([], cells="<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>"))])
    G.check(ok, small, EVERY)
    wide = K.xlsx([("S", "visible", K.sheet_xml([], cells="<row>" + "<c><v>1</v></c>" * 4 + "</row>"))])
    assert refused(wide, small) == "S:1:D: 列が多すぎます（4 列目。上限 3 列）"
    rows = K.xlsx([("S", "visible", K.sheet_xml([], cells='<row r="2"/><row><c><v>1</v></c></row>'))])
    assert refused(rows, LIMITS.replace(rows=2)) == "S:3:A: 行が多すぎます（3 行目。上限 2 行）"


def test_cells_are_counted_even_at_one_position():
    same = K.xlsx([("S", "visible", K.sheet_xml([], cells="<row>" + '<c r="A1"><v>1</v></c>' * 11 + "</row>"))])
    assert refused(same, LIMITS.replace(cells=10)) == "S:1:A: セルが多すぎます（11 個目のセル。上限 10 セル）"


def test_xml_elements_are_counted():
    book = K.table_xlsx([K.INITIATIVE, K.ROW], extra="<x/>" * 100)
    assert refused(book, LIMITS.replace(xml_elements=100)) == "XML の要素が多すぎます（101 個。上限 100 個）"


def test_characters_per_cell_inline_shared_and_phonetic():
    small = LIMITS.replace(cell_chars=10)
    inline = K.table_xlsx([["あ" * 11]])
    assert refused(inline, small) == "取組:1:A: 文字が多すぎます（11 文字以上。上限 10 文字。切り詰めずに止めます）"
    shared = K.xlsx([("取組", "visible", K.sheet_xml([], cells='<row r="3"><c r="B3" t="s"><v>1</v></c></row>'))],
                    shared=["短い", "い" * 12, "う" * 30])  # string 2 is too long but no cell uses it
    assert refused(shared, small) == "取組:3:B: 文字が多すぎます（12 文字以上。上限 10 文字。切り詰めずに止めます）"
    phonetic = K.xlsx([("取組", "visible", K.sheet_xml([], cells='<row r="1"><c r="A1" t="inlineStr"><is><t>'
                                                          '稚内市</t><rPh sb="0" eb="3"><t>ワッカナイシワッカナイシ</t></rPh>'
                                                          '</is></c></row>'))])
    G.check(phonetic, small, EVERY)  # furigana are not the cell's text


def test_only_the_sheets_to_read_are_scanned():
    book = K.xlsx([("取組", "visible", K.sheet_xml([K.INITIATIVE])),
                   ("旧", "hidden", K.sheet_xml([], cells='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))])
    sheets = G.check(book, LIMITS, lambda s: s.state == "visible")
    assert [(s.name, s.state) for s in sheets] == [("取組", "visible"), ("旧", "hidden")]
    read = read_xlsx(book, LIMITS, lambda s: s.state == "visible")
    assert [entry.name for _, entry, _ in read.sheets] == ["取組"] and [e.name for e in read.skipped] == ["旧"]


def test_numbers_excel_cannot_hold_become_text():
    book = K.xlsx([("S", "visible", K.sheet_xml([["<v>1e309</v>", "<v>NaN</v>", "<v>-inf</v>", "<v>5949.0</v>"]]))])
    (_, _, cells), = read_xlsx(book, LIMITS).sheets
    assert cells.iloc[0].tolist() == ["inf", "nan", "-inf", 5949]


def test_a_panic_inside_calamine_is_a_bad_file_not_a_crash():
    # one cell at XFD1048576 and nothing else makes calamine 0.9 panic (a BaseException);
    # the guard never lets it through, but the reader itself must not crash either
    far = K.table_xlsx([], cells='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    with pytest.raises(G.BadXlsx):
        _calamine_rows(far, ["取組"])
