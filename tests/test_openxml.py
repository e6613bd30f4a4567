"""Excel-strict checks of the workbooks: openxml-audit on every workbook the tests wrote,
and number formats that never print a trailing decimal point (「5,949.」), checked by rule
and by a second engine (ssf, the Python port of SheetJS's number formatter)."""
from __future__ import annotations

import re
import warnings
import zipfile

import openpyxl
import pytest

from pipeline import cli
from tests import audit
from tests.builders import ROOT

# A decimal point that no digit must follow: "." not followed by "0" in a format section
# (# and ? are optional digits: 5949 in #,##0.### prints 「5,949.」 in Excel and SheetJS).
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def prints_trailing_dot(code: str) -> bool:
    """True when a number format can print a decimal point with nothing after it."""
    for section in _LITERALS.sub("", code).split(";"):
        for match in re.finditer(r"\.", section):
            if section[match.end():match.end() + 1] != "0":
                return True
    return False


def test_the_rule():
    assert prints_trailing_dot("#,##0.###") and prints_trailing_dot("+#,##0.###;-#,##0.###;0")
    assert prints_trailing_dot("0.?")
    assert not prints_trailing_dot("#,##0") and not prints_trailing_dot("#,##0.0\"人\"")
    assert not prints_trailing_dot('#,##0"百.万円"') and not prints_trailing_dot("0.0%")
    assert not prints_trailing_dot("General") and not prints_trailing_dot("+#,##0.00;-#,##0.00;0")


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    """The two sample years' workbooks and their 差分, written through the command line."""
    out = tmp_path_factory.mktemp("samples")
    for fy in ("2019", "2020"):
        assert cli.main(["sheet", "--fy", fy, "--inputs", str(ROOT / "inputs"), "--outputs", str(out)]) == 0
    assert cli.main(["diff", "2019", "2020", "--outputs", str(out)]) == 1
    return [out / "2019" / "推進管理表_2019.xlsx", out / "2020" / "推進管理表_2020.xlsx",
            out / "2020" / "差分_2019_2020.xlsx"]


def _formats(path) -> list[str]:
    with zipfile.ZipFile(path) as book:
        styles = book.read("xl/styles.xml").decode("utf-8")
    return [code.replace("&quot;", '"').replace("&amp;", "&")
            for code in re.findall(r'<numFmt numFmtId="\d+" formatCode="([^"]*)"', styles)]


def test_no_number_format_prints_a_trailing_dot(samples):
    checked = 0
    for path in audit.kept():   # every workbook written by the tests so far, the samples included
        for code in _formats(path):
            assert not prints_trailing_dot(code), (path.name, code)
            checked += 1
    assert checked > 10


def _ssf():
    ssf = pytest.importorskip("ssf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ssf.SSF(locale_support=False, decimal_separator=".", thousands_separator=",")


def test_every_number_prints_without_a_trailing_dot_in_sheetjs_formatting(samples):
    engine = _ssf()
    shown = {}
    for path in samples:
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            text = engine.format(cell.number_format, cell.value)
                        assert not re.search(r"\.(?!\d)", text), (path.name, ws.title, cell.coordinate, text)
                        shown.setdefault((ws.title, cell.value), text)
    # the figures of the issue: whole numbers without a point, decimals with their digits
    assert shown[("KPIデータ", 5949)] == "5,949" and shown[("KPI定義", 7400)] == "7,400"
    assert shown[("KPIデータ", 6561)] == "6,561"
    assert shown[("実績値の修正", 45)] == "+45"
    assert shown[("DOHOKU-01", 5949)] == "5,949人"


@pytest.mark.last
def test_every_workbook_the_tests_wrote_passes_openxml_audit(samples):
    pytest.importorskip("openxml_audit")
    verdicts = audit.verdicts()
    assert len(verdicts) >= 3
    found = {path.name: [e for e in errors if not streamed_strings(e)] for path, errors in verdicts.items()}
    failed = {name: errors[:5] for name, errors in found.items() if errors}
    assert failed == {}


# A book of a run over several 連携地域 is streamed (xlsxwriter's constant_memory, cells.STREAMING_OPTIONS):
# its strings are inline, which is valid Open XML; openxml-audit notes that Excel moves them to a
# shared-strings table when the file is saved again.  That note, and only it, is expected of those books.
_INLINE = re.compile(r"^\[semantic\] /xl/worksheets/sheet\d+\.xml: Worksheet sheet\d+\.xml has \d+ inline-string cell")


def streamed_strings(error: str) -> bool:
    return bool(_INLINE.match(error))
