"""Hostile and broken inputs through the command line (issue 10), one case each from tests/corpus.py.

For every case: the exit code; the exact Japanese lines on stderr (one per problem, naming
file[:sheet][:row][: column]); after a failure the earlier outputs byte-identical (but for
outputs/<FY>/検証結果/, which every run rewrites for the submitters); never a stray file
in the outputs (nor in the inputs); every submitted file accounted for — in the per-file
row counts on stdout or named on stderr.
"""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
import xlsxwriter

from pipeline import cli
from pipeline.errors import escape
from pipeline.render import csv_text
from tests import corpus as K
from tests.builders import csv_rows, write_tree

H = "プロジェクト,区分,見出し,内容,年度,地域,実施主体,再掲,順序\n"
KH = "KPI,年度,実績値\n"
GOOD = {"submissions/a.csv": H + "P1,実績,施策A,交流会を開催,,宗谷,市,,\n", "submissions/k.csv": KH + "K1,H27,150\n"}
CORRUPT = "Excel ファイル（.xlsx）として読めません（壊れているか、別の形式のファイルです）"
DTD = ("XML に DTD（エンティティの定義）が含まれているため読みません（Excel で保存したファイルではありません。"
       "Excel で開いて保存し直してください）")
BINARY = ("CSV として読めません（文字ではないデータ（NUL）が含まれています。UTF-16 なら BOM 付きで、"
          "または UTF-8・Shift_JIS（CP932）で保存し直してください）")
NO_HEADER = ("見出し行が見つかりません（最初の10行に 取組表（プロジェクト、区分、見出し、内容）または"
             "KPI実績表（KPI、年度、実績値） の見出しが必要です）")
NOT_A_NUMBER = "は数値として読めません（例: 5949、5,949、5,949人、△12、12.5）"


def listing(folder: Path) -> dict:
    """{relative path: bytes (files), link target, or kind} of everything under `folder`, hidden files too."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[rel] = "folder"
        else:
            found[rel] = path.read_bytes() if path.is_file() else "special"
    return found


FEEDBACK = "2019/検証結果"


def yearly(found: dict) -> dict:
    """A listing without the 検証結果 folder, which every run rewrites for the submitters, failed or not."""
    return {rel: data for rel, data in found.items() if not rel.startswith(FEEDBACK)}


class Case:
    """A tiny tree with good submissions and its outputs (copied from one built once), then a bad
    file added and run again."""

    def __init__(self, tmp_path: Path, capsys, template: Path):
        self.tmp, self.capsys = tmp_path, capsys
        shutil.copytree(template, tmp_path, dirs_exist_ok=True, symlinks=True)
        self.inputs, self.outputs = tmp_path / "inputs", tmp_path / "out"
        self.out = ""
        self.before = listing(self.outputs)

    @property
    def root(self) -> Path:
        return self.inputs / "2019"

    def add(self, rel: str, content: bytes | str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    def sheet(self):
        code = cli.main(["sheet", "--inputs", str(self.inputs), "--outputs", str(self.outputs)])
        out, err = self.capsys.readouterr()
        return code, out, err

    def run(self, **added) -> tuple[int, list[str]]:
        """Add {rel: content} files, run, and check what holds for every case."""
        for rel, content in added.items():
            self.add(rel, content)
        inputs_before = listing(self.inputs)
        code, self.out, err = self.sheet()
        assert listing(self.inputs) == inputs_before  # the inputs are never touched
        after, before = yearly(listing(self.outputs)), yearly(self.before)
        if code:
            assert after == before  # byte-identical, nothing added
        else:
            assert sorted(after) == sorted(before) and after != before  # the same files, new bytes
        assert "Traceback" not in err
        self.accounted_for(err)
        lines = err.splitlines()
        return code, lines[:-1] if lines and lines[-1].startswith("エラー ") else lines

    def accounted_for(self, err: str) -> None:
        for path in self.root.rglob("*"):
            rel = escape(path.relative_to(self.root).as_posix())
            if path.is_file() and not path.is_symlink() and rel not in self.out and rel not in err:
                pytest.fail(f"{rel} is neither counted nor named")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """inputs/ with the good submissions and out/ built from them, once for the module."""
    root = tmp_path_factory.mktemp("template")
    inputs = write_tree(root, GOOD)
    assert cli.main(["sheet", "--inputs", str(inputs), "--outputs", str(root / "out")]) == 0
    return root


@pytest.fixture
def case(tmp_path, capsys, template):
    capsys.readouterr()
    return Case(tmp_path, capsys, template)


def kpi_xlsx_with_values(*values: str) -> bytes:
    """A KPI実績 sheet whose 実績値 cells hold raw <v> texts (what calamine makes of them)."""
    rows = [K.KPI] + [["K1", f"H{27 + i}", f"<v>{v}</v>"] for i, v in enumerate(values)]
    return K.xlsx([("KPI実績", "visible", K.sheet_xml(rows))])


# --- files that cannot be read: exit 2, the others still checked ---------------------------

UNREADABLE = [
    ("乱数.xlsx", K.random_bytes(), CORRUPT),
    ("途中まで.xlsx", K.truncated(K.table_xlsx([K.INITIATIVE, K.ROW])), CORRUPT),
    ("暗号化.xlsx", K.encrypted_xlsx(), "パスワードで保護（暗号化）されているため読めません。Excel で開き、「ファイル」→"
     "「情報」→「ブックの保護」→「パスワードを使用して暗号化」でパスワードを消してから保存し直してください"),
    ("中身はxls.xlsx", K.old_xls(), "中身が古い Excel 形式（.xls）などのファイルです。Excel で開き、「名前を付けて"
     "保存」で「Excel ブック（*.xlsx）」を選んで保存し直してください"),
    ("古い.xls", K.old_xls(), ".xls 形式は読めません（.xlsx または .csv で保存し直してください）"),
    ("中身はCSV.xlsx", (H + "P1,実績,施策A,x,,,,,\n").encode("utf-8"),
     "中身が Excel ファイルではなくテキスト（CSV など）です。CSV なら拡張子を .csv にしてください"),
    ("エンティティ.xlsx", K.table_xlsx([K.INITIATIVE, K.ROW], prolog=K.LAUGHS), DTD),
    ("外部実体.xlsx", K.table_xlsx([K.INITIATIVE, K.ROW], prolog=K.XXE), DTD),
    ("乱数.csv", K.random_bytes(), BINARY),
    ("UTF16.csv", (H + "P1,実績,施策A,x,,,,,\n").encode("utf-16-le"), BINARY),
    ("混在.csv", K.mixed_encoding(), "文字コードが混ざっています（ファイルの 3 行目は Shift_JIS（CP932）、1 行目は UTF-8 "
     "のようです。1つの文字コードで保存し直してください）"),
    ("大きさ.xlsx", K.lying_size(K.table_xlsx([K.INITIATIVE, K.ROW]), "xl/worksheets/sheet1.xml", 100),
     "中のファイル「xl/worksheets/sheet1.xml」の大きさが記録と違います（壊れているか、細工されたファイルです）"),
]


@pytest.mark.parametrize("name, content, message", [UNREADABLE[0], UNREADABLE[9]])
def test_unreadable_file_is_one_error_among_the_others(case, name, content, message):
    code, lines = case.run(**{f"submissions/{name}": content, "submissions/b.csv": H + "P1,予定,施策A,x,,,,,\n"})
    assert code == 2
    assert sorted(lines) == sorted([f"submissions/{name}: {message}",
                                    "submissions/b.csv:2: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）"])


def test_every_unreadable_file_in_one_run(case):
    files = {f"submissions/{name}": content for name, content, _ in UNREADABLE}
    code, lines = case.run(**files)
    assert code == 2
    assert lines == sorted(f"submissions/{name}: {message}" for name, content, message in UNREADABLE)


OVER_LIMITS = [
    ("XFD.xlsx", K.table_xlsx([K.INITIATIVE, K.ROW], cells='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
     "submissions/XFD.xlsx:取組:1048576: XFD列: 行が多すぎます（1,048,576 行目。上限 10,000 行）"),
    ("範囲.xlsx", K.table_xlsx([K.INITIATIVE, K.ROW], dimension="A1:XFD1048576"),
     "submissions/範囲.xlsx:取組: 行が多すぎます（シートの範囲（dimension）が A1:XFD1048576 で 1,048,576 行目。上限 10,000 行）"),
    ("広い.xlsx", K.table_xlsx([K.INITIATIVE, K.ROW], cells='<row r="3"><c r="GT3"><v>1</v></c></row>'),
     "submissions/広い.xlsx:取組:3: GT列: 列が多すぎます（202 列目。上限 200 列）"),
    ("セル数.xlsx", K.table_xlsx([K.INITIATIVE, K.ROW], cells='<row r="10000"><c r="AY10000"><v>1</v></c></row>'),
     "submissions/セル数.xlsx:取組:10000: AY列: セルが多すぎます（A1 からここまで 510,000 セル。上限 500,000 セル）"),
    ("長いセル.xlsx", K.table_xlsx([K.INITIATIVE, ["P1", "課題", "x" * 40_000, "内容"]]),
     "submissions/長いセル.xlsx:取組:2: C列: 文字が多すぎます（40,000 文字以上。上限 32,767 文字。切り詰めずに止めます）"),
    ("多い.csv", H + "P1,実績,施策A,x,,,,,\n" * 10_000,
     "submissions/多い.csv: 行が多すぎます（10,001 行目で読むのをやめました。上限 10,000 行）"),
    ("列.csv", H.strip() + "," * 192 + "\n",
     "submissions/列.csv:1: 列が多すぎます（201 列。上限 200 列）"),
]


def test_over_a_limit_stops_with_one_line_naming_file_and_limit(case):
    code, lines = case.run(**{f"submissions/{name}": content for name, content, _ in OVER_LIMITS})
    assert code == 2
    assert lines == sorted(line for _, _, line in OVER_LIMITS)


def test_a_file_over_the_size_limit_is_not_read(case):
    path = case.add("submissions/巨大.csv", b"")
    with open(path, "wb") as f:
        f.truncate(20_000_001)  # sparse: no 20 MB written, and never read
    code, lines = case.run()
    assert (code, lines) == (2, ["submissions/巨大.csv: ファイルが大きすぎます（20,000,001 バイト（20.0 MB）。上限 20 MB）"])


# --- what used to vanish or change without a word -----------------------------------------

def hidden_sheet_book(tmp_path: Path, state: str) -> bytes:
    path = tmp_path / "h.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name, text in (("取組", "今年の取組"), ("旧取組", "去年の下書き")):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, K.INITIATIVE)
        sheet.write_row(1, 0, ["P1", "実績", "施策A", text])
    if state == "hidden":
        sheet.hide()
    else:
        sheet.very_hidden()
    book.close()
    return path.read_bytes()


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_skipped_with_a_warning(case, state):
    code, lines = case.run(**{"submissions/本庁.xlsx": hidden_sheet_book(case.tmp, state)})
    assert (code, lines[:1]) == (0, ["submissions/本庁.xlsx:旧取組: 警告: 非表示のシートは読みません"
                                     "（使う場合は Excel でシートを再表示してください）"])
    texts = [r["text"] for r in csv_rows((case.outputs / "2019" / "initiatives.csv").read_bytes())]
    assert "今年の取組" in texts and "去年の下書き" not in texts


def test_the_same_file_twice_is_an_error_naming_both(case):
    # reported at the later of the two in path order ("a - コピー.csv" sorts before "a.csv")
    code, lines = case.run(**{"submissions/a - コピー.csv": (case.root / "submissions/a.csv").read_bytes()})
    assert (code, lines) == (1, ["submissions/a.csv: submissions/a - コピー.csv と中身がまったく同じファイルです"
                                 "（同じ提出を2回置いていませんか。どちらか一方を消してください）"])


def test_a_file_whose_rows_all_repeat_another_is_an_error_naming_both(case):
    resubmitted = H.replace("\n", "\r\n") + "P1,実績,施策A,交流会を開催,,宗谷,市,,\r\n\r\n"
    code, lines = case.run(**{"submissions/a（再提出）.csv": resubmitted})
    assert (code, lines) == (1, ["submissions/a（再提出）.csv: このファイルの 1 行はすべて submissions/a.csv にある行と"
                                 "同じです（同じ提出を2回置いていませんか。どちらか一方を消してください）"])


def test_symlinks_are_reported_and_never_followed(case, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text(H + "P1,実績,施策A,外のファイル,,,,,\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    for name, target in (("外.csv", outside), ("フォルダ", tmp_path / "folder"), ("切れた.csv", tmp_path / "none.csv")):
        os.symlink(target, case.root / "submissions" / name)
    code, lines = case.run()
    assert code == 2
    assert lines == [f"submissions/{name}: シンボリックリンクは読みません（リンク先: {target}）。ファイルそのものを置いてください"
                     for name, target in (("フォルダ", tmp_path / "folder"), ("切れた.csv", tmp_path / "none.csv"),
                                          ("外.csv", outside))]


def test_a_fifo_is_reported_and_never_opened(case):
    os.mkfifo(case.root / "submissions" / "パイプ.csv")
    code, lines = case.run()
    assert (code, lines) == (2, ["submissions/パイプ.csv: 通常のファイルではないため読みません（名前付きパイプ・デバイスなど）"])


def test_cp932_text_is_what_excel_shows(case):
    code, lines = case.run(**{"submissions/波.csv": K.cp932_classic()})
    assert (code, lines) == (0, [])
    texts = [r["text"] for r in csv_rows((case.outputs / "2019" / "initiatives.csv").read_bytes())]
    assert "波" + K.CP932_SHOWN in texts


def test_control_characters_are_kept_and_warned(case):
    code, lines = case.run(**{"submissions/制御.csv": H + "P1,実績,施策A,前\x00後\x1b[31m赤,,,,,\n"})
    assert (code, lines) == (0, ["submissions/制御.csv:2: 警告: 内容: 制御文字（U+0000）が入っています。そのまま残します"
                                 "（意図しない文字なら消してください）"])
    texts = [r["text"] for r in csv_rows((case.outputs / "2019" / "initiatives.csv").read_bytes())]
    assert "前\x00後\x1b[31m赤" in texts


def test_text_over_the_cell_limit_is_an_error_never_cut(case):
    long = "あ" * 32_768
    code, lines = case.run(**{"submissions/長い.csv": H + f"P1,課題,{long},x,,,,,\nP1,実績,施策A,x,,,{long},,\n"})
    assert code == 1
    assert lines == [
        "submissions/長い.csv:2: 見出し: 文字が多すぎます（32,768 文字。上限 32,767 文字。切り詰めずに止めます）",
        "submissions/長い.csv:3: 実施主体: 文字が多すぎます（32,768 文字。上限 32,767 文字。切り詰めずに止めます）",
    ]


def test_formula_like_text_is_neutralised_in_the_csv_and_recoverable(case):
    texts = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://example.com\")", "+1", "@SUM(A1)", "'引用"]
    body = "".join(f'P1,実績,施策A,"{t.replace(chr(34), chr(34) * 2)}",,,,,{i}\n' for i, t in enumerate(texts, 1))
    code, lines = case.run(**{"submissions/式.csv": H + body})
    assert (code, lines) == (0, [])
    written = [r["text"] for r in csv_rows((case.outputs / "2019" / "initiatives.csv").read_bytes())]
    assert [w for w in written if w.startswith("'")] == ["'" + t for t in texts]
    assert [csv_text(w) for w in written if w.startswith("'")] == texts


# --- values, headers ----------------------------------------------------------------------

def test_inf_nan_and_1e309_are_not_numbers(case):
    code, lines = case.run(**{"submissions/値.csv": KH + "K1,H28,1e309\nK1,H29,inf\nK1,H30,NaN\nK2,H28," + "9" * 400 + "\n",
                              "submissions/値.xlsx": kpi_xlsx_with_values("1e309", "NaN")})
    assert code == 1
    assert lines == ["submissions/値.csv:2: 実績値: 「1e309」の単位「e309」がKPIの単位「人」と違います"] + [
        f"submissions/値.csv:{row}: 実績値: 「{value}」{NOT_A_NUMBER}"
        for row, value in ((3, "inf"), (4, "NaN"), (5, "9" * 40 + "…"))] + [
        f"submissions/値.xlsx:KPI実績:{row}: 実績値: 「{value}」{NOT_A_NUMBER}" for row, value in ((2, "inf"), (3, "nan"))]


def test_a_column_named_twice_and_a_missing_column(case):
    code, lines = case.run(**{"submissions/二重.csv": "KPI,指標名,年度,実績値\nK1,来訪者数,H28,1\n",
                              "submissions/欠け.csv": "プロジェクト,区分,見出し\nP1,実績,施策A\n"})
    assert code == 1
    assert lines == [
        "submissions/二重.csv:1: B列「指標名」: A列「KPI」と同じ列（KPI）です。どちらの値を使うか決められないため、"
        "どちらか一方の列にしてください",
        f"submissions/欠け.csv: {NO_HEADER}",
    ]


def test_merged_header_cells_leave_the_second_column_unread_with_a_warning(case):
    path = case.tmp / "m.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("取組")
    sheet.write_row(0, 0, ["プロジェクト", "区分", "見出し"])
    sheet.merge_range(0, 3, 0, 4, "内容")
    sheet.write_row(1, 0, ["P1", "実績", "施策A", "本文", "続き"])
    book.close()
    code, lines = case.run(**{"submissions/結合.xlsx": path.read_bytes()})
    assert (code, lines) == (0, ["submissions/結合.xlsx:取組:2: 警告: E列に見出しがないため、この列の値は使われません"])


@pytest.mark.parametrize("name, content, warning", [
    ("空.csv", b"", "空のファイルです（0 バイト。読み飛ばします）"),
    ("空.xlsx", b"", "空のファイルです（0 バイト。読み飛ばします）"),
    ("見出しだけ.csv", H, "データの行がありません（見出しの行だけの表です）"),
])
def test_empty_and_header_only_files_are_warned(case, name, content, warning):
    assert case.run(**{f"submissions/{name}": content}) == (0, [f"submissions/{name}: 警告: {warning}"])


def test_title_only_is_an_error(case):
    code, lines = case.run(**{"submissions/表題だけ.csv": "令和元年度 プロジェクト推進管理表 提出様式（稚内市）\n"})
    assert (code, lines) == (1, [f"submissions/表題だけ.csv: {NO_HEADER}"])


def test_utf16_with_a_bom_is_read(case):
    code, lines = case.run(**{"submissions/UTF16.csv": (H + "P1,実績,施策A,ユニコード,,,,,\n").encode("utf-16")})
    assert (code, lines) == (0, [])


# --- messages ------------------------------------------------------------------------------

def test_control_characters_in_names_are_escaped(case):
    code, lines = case.run(**{"submissions/改\n行\x1b[31m.csv": H + "P1,予定,施策A,x,,,,,\n"})
    assert (code, lines) == (1, ["submissions/改\\n行\\x1b[31m.csv:2: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）"])
    # its 検証結果 is named without them (提出状況 links to it, and XML forbids them in a link)
    assert (case.outputs / "2019" / "検証結果" / "改_行_[31m_検証結果.xlsx").is_file()


def test_a_flood_of_problems_is_capped_per_file_and_column(case):
    code, lines = case.run(**{"submissions/多数.csv": H + "P1,予定,施策A,x,,,,,\n" * 60})
    assert code == 1
    assert len(lines) == 51
    assert lines[49] == "submissions/多数.csv:51: 区分: 「予定」は使えません（実績・課題・今年度・次年度のいずれか）"
    assert lines[50] == "submissions/多数.csv: 区分: ほか 10 件のエラー（同じファイル・同じ列。最初の 50 件だけ表示しました）"
    assert case.capsys is not None


def test_a_full_disk_names_the_file_in_japanese(case, monkeypatch):
    case.add("submissions/b.csv", H + "P1,実績,施策A,もう1件,,,,,\n")

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    code, lines = case.run()
    # the first file written is the submitters' 提出状況: its final path is named, never a temporary one
    assert (code, lines) == (2, [f"{case.outputs / '2019' / '推進管理表_2019.xlsx'}: 書き込めません（ディスクの空きがありません）"])


def test_an_output_folder_that_is_a_file(tmp_path, capsys):
    inputs = write_tree(tmp_path, GOOD)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "2019").write_text("not a folder")
    assert cli.main(["sheet", "--inputs", str(inputs), "--outputs", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path / 'out' / '2019'}: 書き込めません（フォルダではありません（途中の名前がファイルです））"]
    assert (tmp_path / "out" / "2019").read_text() == "not a folder"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".2019.lock", "2019"]


# --- diff ------------------------------------------------------------------------------------

def diff(capsys, *args) -> tuple[int, list[str], str]:
    code = cli.main(["diff", *map(str, args)])
    out, err = capsys.readouterr()
    return code, err.splitlines(), out


def edited(template: Path, tmp_path: Path, cell: str, value: str) -> Path:
    """The template's workbook with one cell of KPIデータ typed over by hand."""
    import openpyxl

    book = openpyxl.load_workbook(template / "out" / "2019" / "推進管理表_2019.xlsx")
    book["KPIデータ"][cell] = value
    path = tmp_path / f"手直し_{cell}.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("cell, value, column", [("I2", "約9,000", "I列「値」"), ("F2", "令和元年度", "F列「年」")])
def test_diff_of_a_hand_edited_workbook_names_the_cell(template, tmp_path, capsys, cell, value, column):
    good = template / "out" / "2019" / "推進管理表_2019.xlsx"
    path = edited(template, tmp_path, cell, value)
    code, lines, out = diff(capsys, good, path)
    assert (code, out) == (2, "")
    assert lines == [f"{path}:KPIデータ:2: {column}: 「{value}」は数値ではありません（推進管理表のデータのシートが"
                     "書き換えられています。pipeline sheet で作り直してください）"]


def test_diff_of_a_bomb_is_refused_before_calamine(template, tmp_path, capsys):
    bomb = tmp_path / "XFD.xlsx"
    bomb.write_bytes(K.xlsx([("取組データ", "visible", K.sheet_xml([["x"]], cells='<row r="1048576"><c r="XFD1048576">'
                                                                            '<v>1</v></c></row>'))]))
    code, lines, _ = diff(capsys, template / "out" / "2019" / "推進管理表_2019.xlsx", bomb)
    assert (code, lines) == (2, [f"{bomb}:取組データ:1048576: XFD列: 行が多すぎます（1,048,576 行目。上限 200,000 行）"])


def test_diff_out_folder_writes_inside_with_the_usual_name_and_mode(template, tmp_path, capsys):
    good = template / "out" / "2019" / "推進管理表_2019.xlsx"
    (tmp_path / "d").mkdir()
    code, lines, out = diff(capsys, good, good, "--out", tmp_path / "d")
    assert (code, lines) == (0, [])
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["差分_2019_2019.xlsx"]
    assert (tmp_path / "d" / "差分_2019_2019.xlsx").stat().st_mode & 0o777 == 0o666 & ~_umask()
    (tmp_path / "file").write_text("x")
    code, lines, _ = diff(capsys, good, good, "--out", tmp_path / "file" / "d.xlsx")
    assert (code, lines) == (2, [f"{tmp_path / 'file' / 'd.xlsx'}: 書き込めません（同じ名前のファイルまたはフォルダがすでにあります）"])
    assert ".tmp" not in "".join(lines)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
