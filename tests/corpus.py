"""A corpus of hostile and broken input files, generated (no binaries committed).

Each function returns the bytes of one kind of bad file; `CASES` names them with the file
name they are submitted under.  Run `python -m tests.corpus DIR` to write every case into
DIR for a look by hand (the tests build them in temporary folders).

- `xlsx()` writes a workbook from hand-made XML, so any part can be made hostile (a cell at
  XFD1048576, a DTD, a lying size …); `ole2()` writes a minimal OLE2 compound file, the
  container of an old .xls and of an encrypted (password-protected) .xlsx.
"""
from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
INITIATIVE = ["プロジェクト", "区分", "見出し", "内容", "年度", "地域", "実施主体", "再掲", "順序"]
ROW = ["P1", "実績", "施策A", "交流会を開催", "", "宗谷", "市", "", ""]
KPI = ["KPI", "年度", "実績値"]
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# --- xlsx from hand-made XML --------------------------------------------------------------

def column_letter(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref: str, value) -> str:
    """One <c>: a number as <v>, text as an inline string, a raw "<v>…" string as is."""
    if isinstance(value, str) and value.startswith("<v>"):
        return f'<c r="{ref}">{value}</c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def sheet_xml(rows: list, *, dimension: str | None = None, extra: str = "", prolog: str = "", cells: str = "") -> str:
    """A worksheet: rows of values from A1 (None = no cell), or raw `cells` XML after them."""
    body = "".join(
        f'<row r="{r}">' + "".join(cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(row, 1) if v is not None)
        + "</row>" for r, row in enumerate(rows, 1))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">{dim}'
            f"<sheetData>{body}{cells}</sheetData>{extra}</worksheet>")


def xlsx(sheets: list, *, shared: list | None = None, parts: dict | None = None,
         method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """sheets: [(name, state, sheet XML)] with state visible/hidden/veryHidden; `parts` added as is."""
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(1, len(sheets) + 1))
    content_types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                     'package/2006/content-types"><Default Extension="rels" ContentType="application/'
                     'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                     '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
                     f'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
    root_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                 f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    listed = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
                     for i, (name, state, _) in enumerate(sheets, 1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                f"<sheets>{listed}</sheets></workbook>")
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(sheets) + 1))
    if shared is not None:
        rels += f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    files = {"[Content_Types].xml": content_types, "_rels/.rels": root_rels, "xl/workbook.xml": workbook,
             "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
                                           f"{rels}</Relationships>"}
    for i, (_, _, xml) in enumerate(sheets, 1):
        files[f"xl/worksheets/sheet{i}.xml"] = xml
    if shared is not None:
        items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in shared)
        files["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" '
                                         f'count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>')
    files.update(parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
    return out.getvalue()


def table_xlsx(rows: list, name: str = "取組", **kwargs) -> bytes:
    """A one-sheet workbook of `rows` (a good one unless kwargs make it bad)."""
    return xlsx([(name, "visible", sheet_xml(rows, **kwargs))])


def lying_size(data: bytes, part: str, declared: int) -> bytes:
    """The zip `data` with `part`'s uncompressed size recorded as `declared` (local and central headers)."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    struct.pack_into("<I", out, info.header_offset + 22, declared)
    end = data.rfind(b"PK\x05\x06")
    position = struct.unpack_from("<I", data, end + 16)[0]
    while data[position:position + 4] == b"PK\x01\x02":
        name_length, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46:position + 46 + name_length].decode("utf-8") == part:
            struct.pack_into("<I", out, position + 24, declared)
        position += 46 + name_length + extra + comment
    return bytes(out)


# --- OLE2 compound files (.xls, encrypted .xlsx) ----------------------------------------------

FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, start: int, size: int, child: int = NONE, right: int = NONE) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, NONE, right, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))


def ole2(streams: list) -> bytes:
    """A version-3 compound file with the given [(name, bytes)] streams (each ≥ 4096 bytes, so no
    mini stream), siblings chained to the right in the order given (shorter names first)."""
    sectors, fat, entries = [], [FAT_SECTOR, END], []
    for index, (name, data) in enumerate(streams):
        data = data.ljust(max(4096, -(-len(data) // 512) * 512), b"\0")
        first = 2 + len(sectors)
        count = len(data) // 512
        fat += [first + i + 1 for i in range(count - 1)] + [END]
        sectors += [data[i * 512:(i + 1) * 512] for i in range(count)]
        entries.append(_entry(name, 2, first, len(data), right=index + 2 if index + 1 < len(streams) else NONE))
    directory = (_entry("Root Entry", 5, END, 0, child=1) + b"".join(entries)).ljust(512, b"\0")
    fat_sector = b"".join(struct.pack("<I", v) for v in fat).ljust(512, b"\xff")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", 0) + b"\xff" * 436)
    return header + fat_sector + directory + b"".join(sectors)


def encrypted_xlsx() -> bytes:
    """What Excel saves for a workbook with a password to open: an OLE2 file, not a zip."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"
    return ole2([("EncryptionInfo", info), ("EncryptedPackage", struct.pack("<Q", 4096) + bytes(4096))])


def old_xls() -> bytes:
    """An Excel 97-2003 workbook's container (a BIFF8 BOF record in its Workbook stream)."""
    return ole2([("Workbook", struct.pack("<HHHH", 0x0809, 16, 0x0600, 0x0005) + bytes(12))])


# --- CSV and other bytes ----------------------------------------------------------------------

def csv_text(rows: list) -> str:
    return "".join(",".join(row) + "\n" for row in rows)


def random_bytes(size: int = 300, seed: int = 10) -> bytes:
    return random.Random(seed).randbytes(size)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def mixed_encoding() -> bytes:
    """A UTF-8 file with a line pasted from a CP932 file."""
    return (csv_text([INITIATIVE]).encode("utf-8") + csv_text([ROW]).encode("utf-8")
            + csv_text([["P1", "実績", "施策A", "稚内市から貼り付けた行"] + [""] * 5]).encode("cp932"))


CP932_CLASSIC = "〜～−－‖￠￡￢"
"""What a submitter may type; Excel saves each as CP932 bytes (best fit for 〜 − ‖)."""
CP932_BYTES = b"\x81\x60\x81\x60\x81\x7c\x81\x7c\x81\x61\x81\x91\x81\x92\x81\xca"
CP932_SHOWN = "～～－－∥￠￡￢"
"""What Excel shows when it opens those bytes again (Microsoft's CP932 table)."""


def cp932_classic() -> bytes:
    return (csv_text([INITIATIVE]).encode("cp932") + "P1,実績,施策A,波".encode("cp932") + CP932_BYTES
            + ",,宗谷,市,,\n".encode("cp932"))


CASES = {
    "submissions/乱数.xlsx": lambda: random_bytes(),
    "submissions/途中まで.xlsx": lambda: truncated(table_xlsx([INITIATIVE, ROW])),
    "submissions/暗号化.xlsx": encrypted_xlsx,
    "submissions/中身はxls.xlsx": old_xls,
    "submissions/古い.xls": old_xls,
    "submissions/中身はCSV.xlsx": lambda: csv_text([INITIATIVE, ROW]).encode("utf-8"),
    "submissions/エンティティ.xlsx": lambda: table_xlsx([INITIATIVE, ROW], prolog=LAUGHS),
    "submissions/外部実体.xlsx": lambda: table_xlsx([INITIATIVE, ROW], prolog=XXE),
    "submissions/XFD.xlsx": lambda: table_xlsx([INITIATIVE, ROW], cells='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    "submissions/範囲.xlsx": lambda: table_xlsx([INITIATIVE, ROW], dimension="A1:XFD1048576"),
    "submissions/混在.csv": mixed_encoding,
    "submissions/波ダッシュ.csv": cp932_classic,
}


def main(folder: str) -> None:
    """Write every case of CASES under `folder`."""
    for rel, make in CASES.items():
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        print(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "corpus")
