"""Load's guard for xlsx: look inside the zip before python-calamine does (part of the load stage).

python-calamine allocates a sheet as a dense grid from A1 to its farthest cell, so a few
hundred bytes saying a cell is at XFD1048576 ask it for 512 GB (the process aborts, no
Python exception), and a zip bomb expands to gigabytes.  So, before calamine sees a file:

- the first bytes say what it is: empty, an encrypted workbook (Office wraps those in an
  OLE2 compound file with an `EncryptedPackage` stream), an old .xls or other OLE2 file,
  text (a CSV named .xlsx), or not a zip at all;
- the zip: number of parts; each part's declared and *actual* uncompressed size (the
  declared size can lie: each part is inflated in bounded chunks and counted), the sum,
  the compression ratio; only stored/deflated parts, none encrypted;
- every XML part is parsed by expat with DTDs refused (no entity expansion, no external
  entities; calamine would refuse them too, in English);
- each sheet to be read is parsed in a streaming way: its `<dimension>`, the position of
  every cell (`r`, or counted on as calamine does when it is missing), the number of cells
  and of XML elements, the characters of each cell (shared strings by index) and of the
  whole file — against the rows, columns, cells, xml_elements, cell_chars and text_chars
  limits, stopping at the first one exceeded.

Everything here works on bytes in memory; BadXlsx and LimitExceeded carry Japanese messages.
"""
from __future__ import annotations

import codecs
import copy
import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from typing import Callable, Iterator
from xml.parsers import expat

from schemas.limits import LimitExceeded, Limits

from .xlsx_scan import CORRUPT, BadXlsx, SheetScan, StringsScan, XmlBudget, broken_part, local_name

CHUNK = 1 << 20
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
XML_SUFFIXES = (".xml", ".rels", ".vml")
STATES = {"visible": "visible", "hidden": "hidden", "veryHidden": "hidden"}

EMPTY = "空のファイルです（0 バイト）"
ENCRYPTED = ("パスワードで保護（暗号化）されているため読めません。Excel で開き、「ファイル」→「情報」→"
             "「ブックの保護」→「パスワードを使用して暗号化」でパスワードを消してから保存し直してください")
OLE2 = ("中身が古い Excel 形式（.xls）などのファイルです。Excel で開き、「名前を付けて保存」で"
        "「Excel ブック（*.xlsx）」を選んで保存し直してください")
TEXT = "中身が Excel ファイルではなくテキスト（CSV など）です。CSV なら拡張子を .csv にしてください"
ZIP_ENCRYPTED = "zip のパスワードで保護されているため読めません（パスワードなしで保存し直してください）"
DTD = ("XML に DTD（エンティティの定義）が含まれているため読みません（Excel で保存したファイルでは"
       "ありません。Excel で開いて保存し直してください）")


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as workbook.xml lists it: name, visible/hidden, and its part in the zip."""

    name: str
    state: str
    part: str


def looks_like_text(data: bytes) -> bool:
    """True for bytes that decode as UTF-8, UTF-16 (BOM) or CP932 text (the first 64 KB)."""
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "cp932"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=len(sample) == len(data))
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(data: bytes) -> None:
    """Raise BadXlsx unless the bytes start like a zip (an xlsx is one)."""
    if not data:
        raise BadXlsx(EMPTY)
    if data.startswith(CFB_MAGIC):
        raise BadXlsx(ENCRYPTED if ENCRYPTED_STREAM in data else OLE2)
    if data.startswith(ZIP_MAGIC):
        return
    raise BadXlsx(TEXT if looks_like_text(data) else CORRUPT)


# --- the zip --------------------------------------------------------------------------------

def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open the zip and check what its directory declares (parts, sizes, ratio, methods)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise BadXlsx(CORRUPT) from None
    if len(infos) > limits.xlsx_entries.value:
        raise LimitExceeded(limits.xlsx_entries.message(limits.xlsx_entries.show(len(infos))))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise BadXlsx(ZIP_ENCRYPTED)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BadXlsx(f"中のファイル「{info.filename}」は Excel が使わない圧縮方式です（Excel で保存し直してください）")
        _check_size(info.filename, info.file_size, limits)
        total += info.file_size
        if total > limits.xlsx_total_bytes.value:
            raise LimitExceeded(limits.xlsx_total_bytes.message(limits.xlsx_total_bytes.show(total)))
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.xlsx_ratio_from_bytes.value and ratio > limits.xlsx_ratio.value:
            raise LimitExceeded(limits.xlsx_ratio.message(limits.xlsx_ratio.show(round(ratio, 1)),
                                                          part=info.filename))
    return archive


def _check_size(part: str, size: int, limits: Limits) -> None:
    if size > limits.xlsx_part_bytes.value:
        raise LimitExceeded(limits.xlsx_part_bytes.message(limits.xlsx_part_bytes.show(size), part=part))


def inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes in bounded chunks; BadXlsx when the actual size is not the declared one.

    zipfile stops at the declared size, so the part is opened as if one byte longer (and
    its CRC checked here, after the size): a stream that goes on past its declared size is
    caught instead of silently cut.
    """
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    del probe.CRC  # checked below, once the size is known to be right
    count, crc = 0, 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(CHUNK):
                count += len(chunk)
                if count > info.file_size:
                    break
                crc = zlib.crc32(chunk, crc)
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        raise broken_part(info.filename) from None
    if count != info.file_size:
        raise BadXlsx(f"中のファイル「{info.filename}」の大きさが記録と違います（壊れているか、細工されたファイルです）")
    if crc != info.CRC:
        raise broken_part(info.filename)


def _parser(handlers: object | None = None) -> expat.XMLParserType:
    """An expat parser that refuses any DTD (so no entity is ever defined or expanded)."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise BadXlsx(DTD)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    if handlers is not None:
        parser.buffer_text = True
        parser.buffer_size = 65536
        parser.StartElementHandler = handlers.start
        parser.EndElementHandler = handlers.end
        parser.CharacterDataHandler = handlers.text
    return parser


def parse_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, handlers: object | None = None) -> None:
    """Inflate and parse one XML part (handlers see its elements); BadXlsx when it is not XML."""
    parser = _parser(handlers)
    try:
        for chunk in inflate(archive, info):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise broken_part(info.filename) from None


class _Collect:
    """Handlers that keep the attributes of the elements named in `wanted` (workbook, rels)."""

    def __init__(self, wanted: str):
        self.wanted, self.found = wanted, []

    def start(self, name, attrs):
        if local_name(name) == self.wanted:
            self.found.append({local_name(k): v for k, v in attrs.items()})

    def end(self, name):
        pass

    def text(self, data):
        pass


def _target(target: str) -> str:
    """A relationship target as a part name: relative to xl/ unless absolute."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("xl", target))


def workbook_sheets(archive: zipfile.ZipFile) -> tuple[tuple[SheetEntry, ...], set[str]]:
    """The sheets of xl/workbook.xml in order (state, part), and the shared-strings parts.

    The shared strings are looked for where calamine may read them: xl/sharedStrings.xml
    and any sharedStrings relationship of the workbook.
    """
    parts = {info.filename: info for info in archive.infolist()}
    if "xl/workbook.xml" not in parts:
        raise BadXlsx(CORRUPT)
    sheets, rels = _Collect("sheet"), _Collect("Relationship")
    parse_part(archive, parts["xl/workbook.xml"], sheets)
    if "xl/_rels/workbook.xml.rels" in parts:
        parse_part(archive, parts["xl/_rels/workbook.xml.rels"], rels)
    targets = {r.get("Id", ""): _target(r.get("Target", "")) for r in rels.found}
    strings = {_target(r.get("Target", "")) for r in rels.found if r.get("Type", "").endswith("/sharedStrings")}
    entries = tuple(SheetEntry(s.get("name", ""), STATES.get(s.get("state", "visible"), "hidden"),
                               targets.get(s.get("id", ""), "")) for s in sheets.found)
    return entries, {"xl/sharedStrings.xml", *strings} & set(parts)


def check(data: bytes, limits: Limits, read: Callable[[SheetEntry], bool]) -> tuple[SheetEntry, ...]:
    """Everything in the module docstring; returns the workbook's sheets (all, in order).

    Only the sheets for which `read(entry)` is true are scanned cell by cell (the others
    are only inflated and parsed for DTDs).  Raises BadXlsx or LimitExceeded.
    """
    sniff(data)
    archive = open_zip(data, limits)
    sheets, strings = workbook_sheets(archive)
    parts = {info.filename: info for info in archive.infolist()}
    wanted = {entry.part: entry for entry in sheets if read(entry)}
    for entry in wanted.values():
        if entry.part not in parts:
            raise BadXlsx(CORRUPT, entry.name)
    budget, overlong = XmlBudget(limits), {}
    for part in sorted(strings) if wanted else ():
        parse_part(archive, parts[part], StringsScan(limits, budget, overlong))
    done = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", *strings}
    for info in archive.infolist():
        if info.filename in wanted:
            parse_part(archive, info, SheetScan(wanted[info.filename].name, limits, budget, overlong))
        elif info.filename.endswith(XML_SUFFIXES) and info.filename not in done:
            parse_part(archive, info)
        elif info.filename not in done:
            for _ in inflate(archive, info):
                pass
    return sheets
