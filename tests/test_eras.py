"""schemas.eras: 和暦 labels of fiscal years and era → western year."""
import numpy as np
import pytest

from schemas.eras import long_title, short_label, to_western


@pytest.mark.parametrize("year, label", [
    (2014, "H26"),
    (2018, "H30"),
    (2019, "R元"),   # the 年度 starting April 2019 is 令和元年度, not 平成31年度
    (2020, "R2"),
    (2028, "R10"),
    (1989, "H元"),
    (1988, "S63"),
    (1926, "S元"),
])
def test_short_label(year, label):
    assert short_label(year) == label


@pytest.mark.parametrize("year, title", [
    (2019, "令和元年度（2019年度）"),
    (2020, "令和２年度（2020年度）"),   # one-digit era year: full-width digit
    (2027, "令和９年度（2027年度）"),
    (2028, "令和10年度（2028年度）"),   # two digits: ASCII
    (2018, "平成30年度（2018年度）"),
    (2014, "平成26年度（2014年度）"),
    (1997, "平成９年度（1997年度）"),
    (1989, "平成元年度（1989年度）"),
])
def test_long_title(year, title):
    assert long_title(year) == title


def test_numpy_integers_and_whole_floats_are_years():
    assert short_label(np.int64(2020)) == "R2"
    assert long_title(np.int64(2014)) == "平成26年度（2014年度）"
    assert short_label(2019.0) == "R元"
    assert long_title(2020.0) == "令和２年度（2020年度）"


@pytest.mark.parametrize("bad", ["2019", 2019.5, True, None, [2019]])
@pytest.mark.parametrize("function", [short_label, long_title])
def test_non_integer_years_are_rejected(function, bad):
    with pytest.raises(TypeError):
        function(bad)


@pytest.mark.parametrize("function", [short_label, long_title])
def test_year_before_the_first_era_is_rejected(function):
    with pytest.raises(ValueError, match="year 1925 is before the first supported era"):
        function(1925)


@pytest.mark.parametrize("era, era_year, western", [
    ("令和", 1, 2019),
    ("R", 1, 2019),
    ("r", 1, 2019),
    ("R", 2, 2020),
    (" R ", 2, 2020),
    ("H", 31, 2019),      # last 平成 year == 令和元年
    ("平成", 31, 2019),
    ("h", 26, 2014),
    ("平成", 26, 2014),
    ("平成", 1, 1989),
    ("S", 64, 1989),
    ("昭和", 1, 1926),
])
def test_to_western(era, era_year, western):
    assert to_western(era, era_year) == western


@pytest.mark.parametrize("era, era_year", [
    ("H", 32),     # 平成 ended in its 31st year
    ("平成", 32),
    ("S", 65),
    ("R", 0),
    ("令和", -1),
    ("X", 1),      # unknown era letter
    ("大正", 1),   # unsupported era
    ("", 1),
])
def test_to_western_unknown_or_impossible(era, era_year):
    assert to_western(era, era_year) is None


def test_to_western_is_the_inverse_of_the_labels():
    for year in range(1926, 2041):
        label = short_label(year)
        era_year = 1 if label[1:] == "元" else int(label[1:])
        assert to_western(label[0], era_year) == year


@pytest.mark.parametrize("bad, message", [
    (True, "year must be an int, got True"),
    ([2019], "year must be an int, got [2019]"),
    (None, "year must be an int, got None"),
    (2019.5, "year must be a whole number, got 2019.5"),
])
def test_type_errors_name_the_value(bad, message):
    with pytest.raises(TypeError) as error:
        short_label(bad)
    assert str(error.value) == message


def test_year_before_the_first_era_names_that_era():
    with pytest.raises(ValueError) as error:
        long_title(1925)
    assert str(error.value) == "year 1925 is before the first supported era (昭和, 1926)"
