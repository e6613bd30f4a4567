"""The slow cases of issue 10, run by .ci/run (`make test-slow`), not by `make test`.

- Bombs and huge files, each in its own `python -m pipeline` process: peak RSS (wait4's
  ru_maxrss) ≤ 300 MB and time ≤ 10 s, exit 2 and one line naming file and limit.  The
  time asserted is the process's CPU time (user + system), which other jobs on a shared
  machine do not inflate; the wall time is printed beside it.  Each bomb is made so that
  the check it is about is the one that stops it (a compression ratio under the ratio
  limit where that check is not the point).  The largest files the limits still accept
  are measured too.
- `kill -9` at 20 random moments of a run, and 10 pairs of runs at once into the same
  outputs: afterwards outputs/2019 is always one complete set (byte-identical to a run of
  one of the two inputs), and the next run leaves nothing but the set and its lock.

Every measurement is printed (`pytest -s`) as `measured: case RSS MB seconds`.
"""
from __future__ import annotations

import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from tests import corpus as K
from tests.builders import write_tree

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MAX_RSS_MB, MAX_SECONDS = 300, 10
H = "プロジェクト,区分,見出し,内容,年度,地域,実施主体,再掲,順序\n"
GOOD = {"submissions/a.csv": H + "P1,実績,施策A,交流会を開催,,宗谷,市,,\n"}
MB = 1_000_000


# A small process forks and execs the pipeline and reports its child's rusage: a child forked
# from pytest itself would count pytest's resident pages (before exec) in its peak RSS.
MEASURE = """
import json, os, sys, time
start = time.monotonic()
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "pipeline", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    json.dump([os.waitstatus_to_exitcode(status), usage.ru_maxrss, usage.ru_utime + usage.ru_stime,
               time.monotonic() - start], f)
"""


def measured(name: str, *args: str) -> tuple[int, str, float, float]:
    """Run `python -m pipeline ARGS`: (exit code, stderr, peak RSS in MB, CPU seconds); prints them."""
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "err", "w+b") as err:
        result = Path(folder) / "result.json"
        subprocess.run([sys.executable, "-c", MEASURE, str(result), *args], stdout=subprocess.DEVNULL, stderr=err,
                       cwd=ROOT, check=True)
        code, rss_kb, cpu, wall = json.loads(result.read_text())
        err.seek(0)
        rss = rss_kb / 1000
        print(f"measured: {name} {rss:.0f} MB, {cpu:.1f} s CPU ({wall:.1f} s wall)")
        return code, err.read().decode("utf-8"), rss, cpu


def streamed_part(archive: zipfile.ZipFile, name: str, head: str, chunk: bytes, count: int, tail: str) -> None:
    with archive.open(name, "w") as part:
        part.write(head.encode())
        for _ in range(count):
            part.write(chunk)
        part.write(tail.encode())


def bomb(sheet_head: str, chunk: bytes, count: int, tail: str, shared: tuple | None = None) -> bytes:
    """A one-sheet workbook whose sheet (or shared strings) is streamed from `chunk` × `count`."""
    small = K.xlsx([("取組", "visible", "")] if shared is None else [("取組", "visible", K.sheet_xml(
        [], cells='<row r="2"><c r="D2" t="s"><v>0</v></c></row>'))], shared=[] if shared else None)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename == ("xl/sharedStrings.xml" if shared else "xl/worksheets/sheet1.xml"):
                streamed_part(archive, info.filename, sheet_head, chunk, count, tail)
            else:
                archive.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def varied(alphabet: str, seed: int = 1) -> bytes:
    """About 1 MB of text that compresses ~130:1 (a random 16 KB block, repeated): under the ratio limit."""
    rng = random.Random(seed)
    block = "".join(rng.choice(alphabet) for _ in range(16_384 // len(alphabet[0].encode()))).encode()
    return (block * (MB // len(block) + 1))[:MB - MB % len(block)]


SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{K.MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def whitespace_gigabyte() -> bytes:
    return bomb(SHEET_HEAD, b" " * MB, 1000, SHEET_TAIL)


def lying_whitespace() -> bytes:
    data = bomb(SHEET_HEAD, b" " * MB, 300, SHEET_TAIL)
    return K.lying_size(data, "xl/worksheets/sheet1.xml", 10_000)


def huge_cell() -> bytes:
    return bomb(SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>', varied("abcdefghij"), 19,
                "</t></is></c></row>" + SHEET_TAIL)


def huge_shared_string() -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{K.MAIN}"><si><t>'
    return bomb(head, varied("あいうえおかきくけこ"), 1, "</t></si></sst>", shared=("x",))


def many_cells() -> bytes:
    """600,000 cells at random places within the row and column limits (so that the count stops them)."""
    rng = random.Random(2)
    cells = "".join(f'<c r="{K.column_letter(rng.randint(1, 50))}{rng.randint(1, 9_999)}"><v>{rng.randint(0, 9)}</v></c>'
                    for _ in range(50_000)).encode()
    return bomb(SHEET_HEAD + '<row r="1">', cells, 12, "</row>" + SHEET_TAIL)


def many_elements() -> bytes:
    """3 million elements in the sheet and 3 million in the shared strings: one file, 6 million."""
    rng = random.Random(3)
    elements = "".join(f"<{rng.choice('abdefghijklmnopqsuwxyz')}/>" for _ in range(100_000)).encode()  # no <c>, <t>, <v>
    sheet = bomb(SHEET_HEAD, elements, 30, SHEET_TAIL)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sheet)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        streamed_part(archive, "xl/sharedStrings.xml", f'<sst xmlns="{K.MAIN}">', elements, 30, "</sst>")
    return out.getvalue()


def at_the_cell_limit() -> bytes:
    """10,000 rows × 50 columns of numbers: every limit just met, so the guard lets it through."""
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{K.column_letter(c)}{r}"><v>{c}</v></c>' for c in range(1, 51))
                   + "</row>" for r in range(1, 10_001))
    return K.xlsx([("取組", "visible", SHEET_HEAD + rows + SHEET_TAIL)])


def many_parts(count: int, size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(K.table_xlsx([K.INITIATIVE, K.ROW]))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        for i in range(count):
            if size:
                streamed_part(archive, f"xl/media/extra{i}.bin", "", varied("abcdefghij", i), size // MB, "")
            else:
                archive.writestr(f"xl/media/extra{i}.bin", b"")
    return out.getvalue()


def million_rows_csv() -> bytes:
    return ("KPI,年度,実績値\n" + "K1,H27,150\n" * 1_000_000).encode()


def million_short_rows_csv() -> bytes:
    """A million rows under the text limit (2 characters each): the row limit stops them."""
    return ("KPI,年度,実績値\n" + "K\n" * 1_000_000).encode()


KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほ"


def varied_texts(rows: int, chars: int) -> list[str]:
    """`rows` different texts of `chars` kana (distinct, as real texts are: none shared in the workbook)."""
    rng = random.Random(4)
    return ["".join(rng.choice(KANA) for _ in range(chars)) for _ in range(rows)]


def long_rows_csv(rows: int, chars: int) -> bytes:
    """`rows` rows whose 内容 is `chars` characters long."""
    return (H + "".join(f"P1,実績,施策A,{text},,宗谷,市,,\n" for text in varied_texts(rows, chars))).encode()


def long_rows_xlsx(rows: int, chars: int) -> bytes:
    """The same as an xlsx written by xlsxwriter (so in shared strings)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("取組")
    sheet.write_row(0, 0, K.INITIATIVE)
    for row, text in enumerate(varied_texts(rows, chars), 1):
        sheet.write_row(row, 0, ["P1", "実績", "施策A", text, "", "宗谷", "市"])
    book.close()
    return out.getvalue()


def valid_rows_csv(rows: int) -> bytes:
    return (H + "".join(f"P1,実績,施策A,交流会を開催した {i} 回目,,宗谷,市,,\n" for i in range(rows))).encode()


BAD = {
    "XFD.xlsx": (lambda: K.table_xlsx([K.INITIATIVE, K.ROW], cells='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
                 "submissions/XFD.xlsx:取組:1048576: XFD列: 行が多すぎます（1,048,576 行目。上限 10,000 行）"),
    "空白1GB.xlsx": (whitespace_gigabyte, "submissions/空白1GB.xlsx: 中のファイル「xl/worksheets/sheet1.xml」が大きすぎます"
                                        "（展開すると 1,000,000,150 バイト（1,000.0 MB）。上限 20 MB）"),
    "大きさの偽装.xlsx": (lying_whitespace, "submissions/大きさの偽装.xlsx: 中のファイル「xl/worksheets/sheet1.xml」の大きさが"
                                            "記録と違います（壊れているか、細工されたファイルです）"),
    "巨大セル.xlsx": (huge_cell, "submissions/巨大セル.xlsx:取組:1: A列: 文字が多すぎます（1,048,408 文字以上。上限 32,767 文字。"
                                 "切り詰めずに止めます）"),
    "巨大な共有文字列.xlsx": (huge_shared_string, "submissions/巨大な共有文字列.xlsx:取組:2: D列: 文字が多すぎます（333,121 文字以上。"
                                                   "上限 32,767 文字。切り詰めずに止めます）"),
    "60万セル.xlsx": (many_cells, "submissions/60万セル.xlsx:取組:1501: D列: セルが多すぎます（500,001 個目のセル。上限 500,000 セル）"),
    "要素.xlsx": (many_elements, "submissions/要素.xlsx: XML の要素が多すぎます（5,000,001 個。上限 5,000,000 個）"),
    "合計.xlsx": (lambda: many_parts(6, 19 * MB), "submissions/合計.xlsx: 展開後の大きさの合計が大きすぎます（113,937,186 バイト"
                                                   "（113.9 MB）。上限 100 MB）"),
    "部品.xlsx": (lambda: many_parts(1000, 0), "submissions/部品.xlsx: 中のファイルが多すぎます（1,005 個。上限 1,000 個）"),
    "文字20MB.csv": (lambda: long_rows_csv(6_000, 1_100), "submissions/文字20MB.csv: 文字が多すぎます（ファイル全体で "
                                                            "6,714,034 文字。上限 3,000,000 文字）"),
    "文字.xlsx": (lambda: long_rows_xlsx(5_500, 1_100), "submissions/文字.xlsx: 文字が多すぎます（ファイル全体で 3,000,835 文字。"
                                                         "上限 3,000,000 文字）"),
    "100万行.csv": (million_rows_csv, "submissions/100万行.csv: 文字が多すぎます（ファイル全体で 11,000,011 文字。"
                                      "上限 3,000,000 文字）"),
    "100万の短い行.csv": (million_short_rows_csv, "submissions/100万の短い行.csv: 行が多すぎます（10,001 行目で読むのをやめました。"
                                                "上限 10,000 行）"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_file_is_refused_within_300_mb_and_10_s(tmp_path, name):
    make, line = BAD[name]
    inputs = write_tree(tmp_path, {**GOOD, f"submissions/{name}": make()})
    code, err, rss, seconds = measured(name, "sheet", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"))
    assert (code, err.splitlines()[0]) == (2, line)
    assert rss <= MAX_RSS_MB and seconds <= MAX_SECONDS
    assert nothing_yearly(tmp_path / "out" / "2019")


def test_a_file_just_under_the_text_limit_with_an_error_in_every_row(tmp_path):
    inputs = write_tree(tmp_path, {**GOOD, "submissions/長すぎる内容.csv": long_rows_csv(1_400, 2_001)})
    code, err, rss, seconds = measured("長すぎる内容.csv", "sheet", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"))
    lines = err.splitlines()
    assert (code, len(lines)) == (1, 52)
    assert lines[-1] == f"エラー 1,400 件、警告 0 件。{tmp_path / 'out' / '2019'} は変更していません。"
    assert rss <= MAX_RSS_MB and seconds <= MAX_SECONDS


@pytest.mark.parametrize("name, make, code", [
    ("10000行.csv", lambda: valid_rows_csv(9_999), 0),
    ("長い内容.csv", lambda: long_rows_csv(2_650, 1_100), 0),   # just under text_chars: 2,650 × 1,100 characters
    ("長い内容.xlsx", lambda: long_rows_xlsx(2_700, 1_100), 0),
    ("50万セル.xlsx", at_the_cell_limit, 1),
])
def test_the_largest_accepted_files_stay_within_300_mb_and_10_s(tmp_path, name, make, code):
    inputs = write_tree(tmp_path, {**GOOD, f"submissions/{name}": make()})
    found, err, rss, seconds = measured(name, "sheet", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"))
    assert found == code, err[-2000:]
    assert rss <= MAX_RSS_MB and seconds <= MAX_SECONDS


def test_diff_of_a_bomb_within_300_mb_and_10_s(tmp_path):
    path = tmp_path / "XFD.xlsx"
    path.write_bytes(K.xlsx([("取組データ", "visible", K.sheet_xml([["x"]], cells='<row r="1048576"><c r="XFD1048576">'
                                                                            '<v>1</v></c></row>'))]))
    code, err, rss, seconds = measured("diff XFD.xlsx", "diff", str(path), str(path))
    assert (code, err.splitlines()) == (2, [f"{path}:取組データ:1048576: XFD列: 行が多すぎます（1,048,576 行目。上限 200,000 行）"])
    assert rss <= MAX_RSS_MB and seconds <= MAX_SECONDS


# --- killed and concurrent runs ----------------------------------------------------------------

def sample_inputs(tmp_path: Path) -> tuple[Path, Path]:
    """The 2019 sample (A) and the same with one more submission row (B)."""
    a, b = tmp_path / "A", tmp_path / "B"
    shutil.copytree(ROOT / "inputs" / "2019", a / "2019")
    shutil.copytree(ROOT / "inputs" / "2019", b / "2019")
    with open(b / "2019" / "submissions" / "猿払村.csv", "a", encoding="utf-8") as f:
        f.write("DOHOKU-01,2019,実績,サハリン州等との友好交流の推進,・追加の取組,,猿払村,,,\n")
    return a, b


def sheet_process(inputs: Path, outputs: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "sheet", "--inputs", str(inputs), "--outputs",
                             str(outputs)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


STAGED = re.compile(r"^\.(?:tmp|old|new)-|^\..+\.(?:tmp|old|new)-")


def contents(folder: Path) -> dict:
    """{relative path: bytes} of every file of the set under `folder` (its 検証結果/ too); a killed
    run's hidden temporary folder is not part of the set (the next run removes it)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(STAGED.match(part) for part in p.relative_to(folder).parts)}


def leftovers(outputs: Path) -> list[str]:
    return [p.relative_to(outputs).as_posix() for p in outputs.rglob("*") if STAGED.match(p.name)]


def nothing_yearly(folder: Path) -> bool:
    """No 推進管理表 and CSV (and no temporary folder) in outputs/<FY>: only the 検証結果 that every run writes."""
    return not folder.exists() or sorted(p.name for p in folder.iterdir()) == ["検証結果"]


@pytest.fixture
def two_sets(tmp_path):
    a, b = sample_inputs(tmp_path)
    sets = {}
    for name, inputs in (("A", a), ("B", b)):
        started = time.monotonic()
        assert sheet_process(inputs, tmp_path / f"expected{name}").wait() == 0
        sets[name] = (inputs, contents(tmp_path / f"expected{name}" / "2019"), time.monotonic() - started)
    assert sets["A"][1] != sets["B"][1]
    return sets


def test_kill_9_at_20_random_moments_leaves_one_complete_set(tmp_path, two_sets):
    outputs = tmp_path / "out"
    (inputs_a, set_a, duration), (inputs_b, set_b, _) = two_sets["A"], two_sets["B"]
    assert sheet_process(inputs_a, outputs).wait() == 0
    rng = random.Random(10)
    interrupted = 0  # kills that landed while a set was being written or swapped in
    for i in range(20):
        process = sheet_process(inputs_b if i % 2 == 0 else inputs_a, outputs)
        time.sleep(rng.uniform(0.3, 1.05) * duration)
        process.kill()
        process.wait()
        assert contents(outputs / "2019") in (set_a, set_b), f"kill {i}: a mixed or missing set"
        interrupted += bool(leftovers(outputs))
    print(f"measured: kill -9 ×20, {interrupted} while writing or swapping")
    assert sheet_process(inputs_a, outputs).wait() == 0
    assert contents(outputs / "2019") == set_a
    assert sorted(p.name for p in outputs.iterdir()) == [".2019.lock", "2019"] and leftovers(outputs) == []


def test_10_pairs_of_runs_at_once_leave_one_complete_set(tmp_path, two_sets):
    outputs = tmp_path / "out"
    (inputs_a, set_a, _), (inputs_b, set_b, _) = two_sets["A"], two_sets["B"]
    for i in range(10):
        pair = [sheet_process(inputs_a, outputs), sheet_process(inputs_b, outputs)]
        assert [p.wait() for p in pair] == [0, 0], [p.stderr.read().decode() for p in pair]
        assert contents(outputs / "2019") in (set_a, set_b), f"pair {i}"
        assert sorted(p.name for p in outputs.iterdir()) == [".2019.lock", "2019"] and leftovers(outputs) == []
