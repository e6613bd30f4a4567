"""Replace one entry of a finished xlsx (a zip) without recompressing the others.

`cells.without_creation_time` takes the creation time out of docProps/core.xml of every
book written without one.  Recompressing all of a large book's entries for that took
≈ 0.4 s for the 差分 book of all of Hokkaido; here the other entries' records are copied
byte for byte and only the one entry is written again (by zipfile, as the whole rewrite
would write it), the offsets in the central directory moved accordingly.

Data quirks handled: a zip this does not expect — a comment, ZIP64 records, a data
descriptor, entries out of order, trailing bytes — gives None, and the caller rewrites
the whole zip instead.
"""
from __future__ import annotations

import io
import struct
import zipfile

_END = struct.Struct("<4s4H2LH")        # end of central directory record
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")   # central directory file header
_OFFSET_AT = 42                          # the local header's offset inside a central record
_DATA_DESCRIPTOR = 0x08


def replaced_entry(xlsx: bytes, name: str, data: bytes) -> bytes | None:
    """`xlsx` with entry `name` holding `data` (its ZipInfo kept), every other entry's
    bytes as they were; None when the zip is not laid out as zipfile writes one."""
    end = _END.unpack_from(xlsx, len(xlsx) - _END.size) if len(xlsx) >= _END.size else None
    if end is None or end[0] != b"PK\x05\x06" or end[7] != 0 or end[3] != end[4]:
        return None
    count, size, start = end[4], end[5], end[6]
    if start + size + _END.size != len(xlsx):
        return None
    records = _central_records(xlsx, start, size, count)
    if records is None:
        return None
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        infos = book.infolist()
    offsets = [r[1] for r in records]
    if [i.header_offset for i in infos] != offsets or offsets != sorted(offsets) or \
            any(i.flag_bits & _DATA_DESCRIPTOR for i in infos) or [i.filename for i in infos].count(name) != 1:
        return None
    index = [i.filename for i in infos].index(name)
    local, central = _one_entry(infos[index], data)
    bounds = [*offsets, start]
    out, moved = [xlsx[:bounds[index]]], len(local) - (bounds[index + 1] - bounds[index])
    out += [local, xlsx[bounds[index + 1]:start]]
    directory = []
    for i, (record, offset) in enumerate(records):
        record = central if i == index else record
        new_offset = offset + (moved if i > index else 0)
        directory.append(record[:_OFFSET_AT] + struct.pack("<L", new_offset) + record[_OFFSET_AT + 4:])
    directory_bytes = b"".join(directory)
    tail = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory_bytes), start + moved, 0)
    return b"".join(out) + directory_bytes + tail


def _central_records(xlsx: bytes, start: int, size: int, count: int) -> list[tuple[bytes, int]] | None:
    """[(central record bytes, local header offset)] of every entry; None if malformed."""
    records, at = [], start
    for _ in range(count):
        if at + _CENTRAL.size > start + size:
            return None
        fields = _CENTRAL.unpack_from(xlsx, at)
        if fields[0] != b"PK\x01\x02" or 0xFFFFFFFF in (fields[9], fields[10], fields[18]):
            return None
        length = _CENTRAL.size + fields[12] + fields[13] + fields[14]
        records.append((xlsx[at:at + length], fields[18]))
        at += length
    return records if at == start + size else None


def _one_entry(info: zipfile.ZipInfo, data: bytes) -> tuple[bytes, bytes]:
    """(local record, central record) of `data` written under `info` by zipfile, at offset 0."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as single:
        single.writestr(info, data)
    raw = buffer.getvalue()
    end = _END.unpack_from(raw, len(raw) - _END.size)
    return raw[:end[6]], raw[end[6]:end[6] + end[5]]
