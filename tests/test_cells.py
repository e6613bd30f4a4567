"""schemas.cells: the contract's cell parsers — blanks, keys, free text, years, numbers."""
import datetime
import math

import numpy as np
import pandas as pd
import pytest

from pipeline import load
from schemas.cells import (
    Number, cell_text, free_text, heading_key, is_blank, is_empty, is_number, is_order, is_year, key, number_and_unit,
    number_text, parse_number, parse_order, parse_year, strip_parenthetical,
)
from schemas.eras import short_label


@pytest.fixture(scope="module")
def missing():
    return load.load_reference().values["未確定"]

# --- blanks and text ------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, math.nan, float("nan"), pd.NA, "", " ", "\u3000", " \t\n", np.str_(" ")])
def test_is_blank_true(value):
    assert is_blank(value) is True


@pytest.mark.parametrize("value", [0, 0.0, False, "0", "-", "・", "a"])
def test_is_blank_false(value):
    assert is_blank(value) is False


@pytest.mark.parametrize("value, text", [
    (5949.0, "5949"),
    (-3.0, "-3"),
    (12.5, "12.5"),
    (5949, "5949"),
    (True, "TRUE"),
    (False, "FALSE"),
    (None, ""),
    (math.nan, ""),
    ("", ""),
    (" x ", " x "),            # not trimmed: cell_text shows the cell as it is
    ("\u3000", ""),           # only spaces (a full-width one too): blank
    (" \t\n", ""),
    (np.str_("x"), "x"),       # a str that is not exactly str (numpy's) takes the general path
    (np.str_(" "), ""),
    ("a\nb", "a\nb"),
    (datetime.date(2019, 4, 1), "2019-04-01"),
    (datetime.datetime(2019, 4, 1, 9, 30), "2019-04-01T09:30:00"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("value, expected", [
    ("ＤＯＨＯＫＵ－０１", "DOHOKU-01"),
    ("  DOHOKU-01 ", "DOHOKU-01"),
    ("\u3000宗谷\u3000", "宗谷"),
    ("Ｒ元", "R元"),
    ("ｶﾀｶﾅ", "カタカナ"),
    ("（仮）", "(仮)"),
    (5949.0, "5949"),
    (None, ""),
    ("a b", "a b"),            # inner whitespace kept
])
def test_key(value, expected):
    assert key(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("・青少年交流事業", "青少年交流事業"),
    ("青少年交流事業", "青少年交流事業"),
    ("• 物産展", "物産展"),
    ("- 物産展", "物産展"),
    ("■施策", "施策"),
    ("○課題", "課題"),
    ("・・二つ目は残る", "・二つ目は残る"),
    ("■・二つ目は残る", "・二つ目は残る"),
    ("  ・ 前後の空白  ", "前後の空白"),
    ("\u3000・全角空白\u3000", "全角空白"),
    ("途中の・は残る", "途中の・は残る"),
    ("・", ""),
    ("", ""),
    (None, ""),
    (5949.0, "5949"),
])
def test_free_text_bullets_and_trim(value, expected):
    assert free_text(value) == expected


def test_free_text_keeps_inner_line_breaks_and_their_bullets():
    cell = "サハリン文化経済戦略協議会にて、次の事業を実施\n-ユジノサハリンスク道北物産展\n-ビジネスマッチング事業"
    assert free_text(cell) == cell
    assert free_text("・" + cell) == cell


def test_free_text_crlf_and_cr_become_lf():
    assert free_text("一行目\r\n-二行目\r\n-三行目\r\n") == "一行目\n-二行目\n-三行目"
    assert free_text("a\rb") == "a\nb"


def test_free_text_keeps_full_width_characters():
    text = "（仮）サハリン文化経済戦略協議会でＰＲ、Ｗｉ－Ｆｉ環境の整備（宗谷）"
    assert free_text(text) == text
    assert free_text("・" + text) == text
    assert free_text("Ｗｉ－Ｆｉ") == "Ｗｉ－Ｆｉ"


@pytest.mark.parametrize("value, expected", [
    ("■ サハリン州等との\n友好交流の推進", "サハリン州等との友好交流の推進"),
    ("サハリン州等との友好交流の推進", "サハリン州等との友好交流の推進"),
    ("○ 交流環境の整備", "交流環境の整備"),
    ("・ a b", "ab"),
    ("  ■■a", "■a"),
    ("ＰＲの推進", "PRの推進"),
    ("", ""),
    (None, ""),
])
def test_heading_key(value, expected):
    assert heading_key(value) == expected


# --- years --------------------------------------------------------------------------

@pytest.mark.parametrize("value, year", [
    (2019, 2019),
    (2019.0, 2019),
    (np.int64(2019), 2019),
    (np.float64(2019.0), 2019),
    ("2019", 2019),
    ("2019年度", 2019),
    ("2019年", 2019),
    (" 2019 ", 2019),
    ("R1", 2019),
    ("R01", 2019),
    ("R元", 2019),
    ("R 1", 2019),
    ("令和元年度", 2019),
    ("令和1年度", 2019),
    ("令和元年", 2019),
    ("H31", 2019),
    ("H31年度", 2019),
    ("平成31年度", 2019),
    ("H26", 2014),
    ("平成26年度", 2014),
    ("R2", 2020),
    ("令和２年度", 2020),
    ("r2", 2020),
    ("h26", 2014),
    ("２０１９", 2019),
    ("Ｒ元", 2019),
    ("Ｈ２６", 2014),
    ("２０１９年度", 2019),
    ("ｒ２", 2020),
    ("平成元年度", 1989),
    ("S64", 1989),
])
def test_parse_year_accepts(value, year):
    assert parse_year(value) == year
    assert is_year(value) is True


@pytest.mark.parametrize("value", [
    31,              # a bare era year as a number is ambiguous
    31.0,
    2019.5,
    1899,
    2101,
    math.nan,
    True,
    None,
    "",
    "31",
    "abc",
    "R0",
    "R00",
    "H0",
    "H32",           # 平成 has no 32nd year
    "S65",
    "2019年4月",
    "2019.0",
    "1899",
    "2101",
    "R100",
    "X1",
    "R-1",
    "令和",
    "19",
    "H26-H30",
])
def test_parse_year_rejects(value):
    with pytest.raises(ValueError):
        parse_year(value)
    assert is_year(value) is False


@pytest.mark.parametrize("text, label", [("1926", "S元"), ("1989", "H元"), ("2019", "R元"), ("2100", "R82")])
def test_years_parse_year_accepts_have_an_era_label(text, label):
    assert short_label(parse_year(text)) == label


@pytest.mark.parametrize("text", ["1900", "1920", "1925", "2101"])
def test_years_before_the_first_era_or_after_2100_are_rejected(text):
    with pytest.raises(ValueError):
        parse_year(text)


# --- numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("value, number", [
    ("5949", Number(5949.0)),
    ("5,949", Number(5949.0)),
    ("５，９４９", Number(5949.0)),
    ("5,949人", Number(5949.0, "人")),
    ("5,949 人", Number(5949.0, "人")),
    ("1,115百万円", Number(1115.0, "百万円")),
    ("△12", Number(-12.0)),
    ("▲12", Number(-12.0)),
    ("△ 12", Number(-12.0)),
    ("△1,234.5", Number(-1234.5)),
    ("-12", Number(-12.0)),
    ("－12", Number(-12.0)),
    ("−12", Number(-12.0)),
    ("+12", Number(12.0)),
    ("12.5", Number(12.5)),
    ("１２．５", Number(12.5)),
    ("1,234,567", Number(1234567.0)),
    (" 5949 ", Number(5949.0)),
    (5949, Number(5949.0)),
    (5949.0, Number(5949.0)),
    (12.5, Number(12.5)),
    (-3, Number(-3.0)),
    (0, Number(0.0)),
])
def test_parse_number(missing, value, number):
    result = parse_number(value, missing)
    assert result == number
    assert type(result.value) is float
    assert is_number(value, missing) is True


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, "", "  ", "\u3000", "－", "-", "―", "—", "ー", "−",
                                   "未確定", " 未確定 "])
def test_parse_number_missing_marks(missing, value):
    assert parse_number(value, missing) == Number(None, "")


def test_parse_number_without_marks_only_blank_is_missing():
    assert parse_number("") == Number(None)
    assert parse_number(None) == Number(None)
    with pytest.raises(ValueError):
        parse_number("－")
    with pytest.raises(ValueError):
        parse_number("未確定")


@pytest.mark.parametrize("value", ["abc", "1,23", "12人3", "5,9,49", "1,2345", "1.2.3", ".5", "1e3", "△", "人",
                                   "- 12", "12 3", True, False])
def test_parse_number_rejects(missing, value):
    with pytest.raises(ValueError):
        parse_number(value, missing)
    assert is_number(value, missing) is False


def test_parse_number_works_with_the_frozenset_the_pipeline_builds(missing):
    assert parse_number("―", frozenset(missing)) == Number(None)
    assert parse_number("5,949人", frozenset(missing)) == Number(5949.0, "人")


# --- order --------------------------------------------------------------------------

@pytest.mark.parametrize("value, order", [
    (None, None), ("", None), (" ", None), (math.nan, None),
    ("1", 1), ("２", 2), (2, 2), (2.0, 2), ("2.0", 2), ("3 ", 3), ("1,000", 1000),
])
def test_parse_order(value, order):
    assert parse_order(value) == order
    assert is_order(value) is True


@pytest.mark.parametrize("value", ["0", 0, -1, "△1", "1.5", 1.5, "2人", "-", "abc", True, "未確定"])
def test_parse_order_rejects(value):
    with pytest.raises(ValueError):
        parse_order(value)
    assert is_order(value) is False


# --- strip_parenthetical ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("今年度の主な取組(令和元年度(2019年度))", "今年度の主な取組"),
    ("次年度の取組 (R2)", "次年度の取組"),
    ("a(b)(c)", "a"),
    ("a (b) c", "a(b)c"),          # whitespace is removed everywhere
    ("実績", "実績"),
    ("", ""),
    ("(abc)", "(abc)"),            # nothing would remain: kept
    ("abc)", "abc)"),              # unbalanced: kept
])
def test_strip_parenthetical(text, expected):
    assert strip_parenthetical(text) == expected


def test_strip_parenthetical_full_width_docstring_example():
    assert strip_parenthetical("今年度の主な取組（令和元年度（2019年度））") == "今年度の主な取組"


# --- number_text ------------------------------------------------------------------------

@pytest.mark.parametrize("value, plain, grouped", [
    (5949.0, "5949", "5,949"),
    (5949, "5949", "5,949"),
    (0.6045945945945946, "0.6045945945945946", "0.604595"),
    (12.5, "12.5", "12.5"),
    (-1234567.25, "-1234567.25", "-1,234,567.25"),
    (1e-7, "1e-07", "0"),
    (float("nan"), "", ""),
    (None, "", ""),
    (pd.NA, "", ""),
    (np.int64(7), "7", "7"),
])
def test_number_text(value, plain, grouped):
    assert number_text(value) == plain
    assert number_text(value, grouped=grouped is not None and True) == grouped


# --- numbers followed by the KPI's unit (units with digits and signs) ---------------------

@pytest.mark.parametrize("unit, text, value", [
    ("千m3", "945千m3", 945.0),
    ("千m3", "1,072千m3", 1072.0),
    ("千m3", "９４５千ｍ３", 945.0),            # full-width digits and unit
    ("千m3", "１，０７２ 千ｍ３", 1072.0),       # full-width comma, a space before the unit
    ("千m3", "△12千m3", -12.0),
    ("m2", "3,500m2", 3500.0),
    ("m2", "3,500㎡", 3500.0),                 # ㎡ is m2 after NFKC
    ("km2", "12.5km2", 12.5),
    ("千t-CO2", "1,234千t-CO2", 1234.0),
    ("千t-CO2", "1,234千t−CO₂", 1234.0),       # U+2212 minus and subscript ₂
    ("千t-CO2", "▲5千t-CO2", -5.0),
    ("CO2換算t", "980CO2換算t", 980.0),
    ("10万人当たり", "12.5", 12.5),
    ("10万人当たり", "12.510万人当たり", 12.5),  # the unit is taken off first: not 12.51 of "0万人当たり"
    ("10万人当たり", "12.5 10万人当たり", 12.5),
    ("人", "5,949人", 5949.0),
])
def test_parse_number_takes_the_kpis_own_unit_off_first(unit, text, value):
    number = parse_number(text, unit=unit)
    assert number.value == value
    assert number.unit == ("" if text == "12.5" else unit)


@pytest.mark.parametrize("unit, text", [
    ("千m3", "945m2"),         # another unit with digits
    ("千m3", "945千千m3"),      # two units
    ("千m3", "千m3"),           # the unit alone
    ("m2", "1,23m2"),          # a misplaced comma stays an error
])
def test_parse_number_with_a_unit_rejects_what_is_not_that_number(unit, text):
    with pytest.raises(ValueError):
        parse_number(text, unit=unit)


def test_a_unit_with_digits_is_still_refused_without_the_kpis_unit():
    for unit in (None, ""):
        with pytest.raises(ValueError):
            parse_number("945千m3", unit=unit)


def test_another_unit_without_digits_is_read_with_that_unit_for_the_cross_check():
    assert parse_number("12.55万人当たり", unit="10万人当たり") == Number(12.55, "万人当たり")
    assert parse_number("945千t", unit="千m3") == Number(945.0, "千t")


@pytest.mark.parametrize("text, value, unit", [
    ("945千m3", 945.0, "千m3"), ("945m2", 945.0, "m2"), ("12人3", 12.0, "人3"), ("5,949人", 5949.0, "人"),
    ("－", None, ""), ("", None, ""), (5949.0, 5949.0, ""),
])
def test_number_and_unit_reads_any_unit(missing, text, value, unit):
    number = number_and_unit(text, missing)
    assert (number.value, number.unit) == (value, unit)


@pytest.mark.parametrize("text", ["1,23", "5.", "12-", "abc", "千m3"])
def test_number_and_unit_still_needs_a_number(text):
    with pytest.raises(ValueError):
        number_and_unit(text)


# --- pinned edges (mutation testing, bench/MUTATION.md) -----------------------------------

@pytest.mark.parametrize("value, empty", [
    (None, True), (math.nan, True), (pd.NA, True), ("", True),
    (" ", False), ("\u3000", False), ("0", False), (0, False), ("x", False),
    (np.str_(""), True), (np.str_("x"), False),   # a str that is not exactly str takes the general path
])
def test_is_empty(value, empty):
    assert is_empty(value) is empty


@pytest.mark.parametrize("value, expected", [
    ("-12人減少", "-12人減少"),       # a `-` directly before a digit is a minus sign, not a bullet
    ("－12", "－12"),                 # the full-width one too
    ("-1人", "-1人"),                 # one digit is enough
    ("－5%減", "－5%減"),
    ("- 12人", "12人"),               # with a blank after it, it is a bullet
    ("-十二人", "十二人"),            # a kanji numeral is not a digit
    ("・12人", "12人"),               # the other bullets are bullets before a digit too
    ("■2019年度の実績", "2019年度の実績"),
    ("-", ""),
])
def test_free_text_minus_sign_or_bullet(value, expected):
    assert free_text(value) == expected


@pytest.mark.parametrize("value, plain, grouped", [
    ("abc", "abc", "abc"),            # not a number: as it is
    ("5949", "5949", "5949"),         # text is not reformatted
    (True, "True", "True"),           # a bool is not the number 1
    (False, "False", "False"),
])
def test_number_text_of_what_is_not_a_number(value, plain, grouped):
    assert number_text(value) == plain
    assert number_text(value, grouped=True) == grouped


@pytest.mark.parametrize("value, year", [(1926, 1926), (2100, 2100), (1926.0, 1926), (2100.0, 2100),
                                         ("2019 年度", 2019), ("令和元 年度", 2019), ("Ｈ ３１ 年", 2019)])
def test_parse_year_bounds_of_numbers_and_inner_blanks(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize("value", [1925, 2101, 1925.0, 2100.5, True, "R0年度", "H32", "abc"])
def test_parse_year_error_is_named_year(value):
    with pytest.raises(ValueError, match="^year$"):
        parse_year(value)


def test_parse_number_missing_marks_are_compared_upper_case():
    assert parse_number("tbd", frozenset({"TBD"})) == Number(None)
    assert parse_number("ＴＢＤ", frozenset({"TBD"})) == Number(None)


@pytest.mark.parametrize("value", ["X12", "a△12", "人△12"])
def test_parse_number_only_a_leading_triangle_is_a_minus(value):
    with pytest.raises(ValueError):
        parse_number(value)


@pytest.mark.parametrize("value, unit", [(True, None), (math.inf, None), ("abc", None), ("12人3", None),
                                         ("945千 千m3", "千m3"), ("9" * 400, None)])   # 400 digits: inf
def test_parse_number_error_is_named_number(value, unit):
    with pytest.raises(ValueError, match="^number$"):
        parse_number(value, unit=unit)


@pytest.mark.parametrize("value", ["0", "1.5", "2人", "△1", 0])
def test_parse_order_error_is_named_order(value):
    with pytest.raises(ValueError, match="^order$"):
        parse_order(value)


@pytest.mark.parametrize("value", ["1,23", "5.", "12-", "12+", "abc", True, "9" * 400])
def test_number_and_unit_error_is_named_number(value):
    with pytest.raises(ValueError, match="^number$"):
        number_and_unit(value)


def test_number_and_unit_refuses_only_digits_commas_points_and_signs_after_the_number():
    assert number_and_unit("12XL") == Number(12.0, "XL")
    assert number_and_unit("3 人3") == Number(3.0, "人3")
