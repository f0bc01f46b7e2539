"""The normalisers of cell values (spec: Tolerances), with properties for the round trips."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingestion import values as v
from ingestion.text import fold, name_keys


@pytest.mark.parametrize("cell", ["Đạt", "đạt", "x", "X", "1", 1, 1.0, "✓", "✔", " đạt "])
def test_marker_met(cell):
    assert v.parse_marker(cell) is True


@pytest.mark.parametrize("cell", ["Chưa đạt", "Không đạt", "0", 0, "-", "", None])
def test_marker_not_met(cell):
    assert v.parse_marker(cell) is False


@pytest.mark.parametrize("cell", ["Đạt một phần", "2", 2, "?"])
def test_marker_unknown_is_an_error(cell):
    with pytest.raises(ValueError, match="criterion mark"):
        v.parse_marker(cell)


@pytest.mark.parametrize(("cell", "stars"), [(3, 3), (3.0, 3), ("3", 3), ("3.0", 3), ("4 sao", 4), ("★★★★★", 5)])
def test_stars(cell, stars):
    assert v.parse_stars(cell) == stars


@pytest.mark.parametrize("cell", [1, 2, "2 sao", "★★"])
def test_one_and_two_stars_are_not_ocop(cell):
    with pytest.raises(ValueError, match="not an OCOP product"):
        v.parse_stars(cell)


@pytest.mark.parametrize(("stars", "score"), [(3, 70), (4, 69), (5, 89)])
def test_score_outside_its_star_band(stars, score):
    with pytest.raises(ValueError, match="does not match"):
        v.check_score(stars, score)


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.234,5", 1234.5), ("1,234.5", 1234.5), ("95,2%", 95.2), ("1.234", 1234.0), ("1,5", 1.5),
     ("3.5", 3.5), ("1.234.567", 1234567.0), ("1,234,567", 1234567.0), (" 12 ", 12.0), ("-4,5", -4.5)],
)  # fmt: skip
def test_numbers_as_text(text, number):
    assert v.parse_number(text) == pytest.approx(number)


@pytest.mark.parametrize("text", ["abc", "1.2.3,4,5", "12a"])
def test_not_a_number(text):
    with pytest.raises(ValueError):
        v.parse_number(text)


@given(st.decimals(min_value=0, max_value=10**9, places=1, allow_nan=False))
def test_vietnamese_and_english_notation_round_trip(number):
    english = f"{number:,.1f}"
    vietnamese = english.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert v.parse_number(vietnamese) == pytest.approx(float(number))
    assert v.parse_number(english) == pytest.approx(float(number))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_in_every_accepted_form(day):
    serial = (day - v.EXCEL_EPOCH).days
    assert v.parse_date(day) == day
    assert v.parse_date(dt.datetime.combine(day, dt.time(8))) == day
    assert v.parse_date(f"{day:%d/%m/%Y}") == day
    assert v.parse_date(float(serial)) == day
    assert v.parse_date(str(serial)) == day


@pytest.mark.parametrize(
    "cell", [float("nan"), float("inf"), -float("inf"), 1e15, "1.000.000.000.000.000", dt.date(1999, 12, 31),
             "31/12/9999", 2**31],
)  # fmt: skip
def test_values_no_workbook_holds_are_errors_never_none(cell):
    """NaN is not 'empty', an amount of 1e15 breaks a cast, a date of 9999 wins every supersession: all refused."""
    parse = v.parse_date if isinstance(cell, dt.date) or (isinstance(cell, str) and "/" in cell) else v.parse_int
    with pytest.raises(ValueError):
        parse(cell)
    if not isinstance(cell, (dt.date, str)) or "/" not in str(cell):
        with pytest.raises(ValueError):
            v.parse_number(cell) if cell != 2**31 else v.parse_int(cell)


@pytest.mark.parametrize(
    "cell", ["12/2023", "12 / 2023", "tháng 12 năm 2023", "Tháng 12/2023", "THANG 12 NAM 2023", dt.date(2023, 12, 17)]
)
def test_reporting_period(cell):
    assert v.parse_period(cell) == dt.date(2023, 12, 1)


def test_reporting_period_single_digit_month():
    assert v.parse_period("3/2024") == dt.date(2024, 3, 1)


@pytest.mark.parametrize("cell", ["13/2023", "2023", "hôm qua"])
def test_reporting_period_errors(cell):
    with pytest.raises(ValueError):
        v.parse_period(cell)


def test_add_months_clamps_to_month_end():
    assert v.add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert v.add_months(dt.date(2020, 2, 29), 36) == dt.date(2023, 2, 28)


@pytest.mark.parametrize(
    ("written", "code"), [("Nâng cao", "advanced"), ("ĐẠT CHUẨN NTM", "ntm"), ("Kiểu mẫu", "model"), ("", "not_yet")]
)
def test_levels(written, code):
    assert v.LEVELS.parse(written, default="not_yet") == code


VIETNAMESE_NAMES = st.sampled_from(["Bằng Thành", "Nhạn Môn", "Cổ Linh", "Đồng Phúc", "Quảng Khê", "Thượng Quan"])


@given(VIETNAMESE_NAMES, st.sampled_from(["", "Xã ", "xã ", "XÃ "]), st.sampled_from(["NFC", "NFD"]), st.booleans())
def test_names_match_whatever_their_form(name, prefix, form, upper):
    written = unicodedata.normalize(form, prefix + (name.upper() if upper else name))
    accented, bare = name_keys(written)
    official_accented, official_bare = name_keys(name)
    assert accented & official_accented
    assert bare & official_bare


@given(VIETNAMESE_NAMES)
def test_fold_ignores_diacritics_case_and_separators(name):
    assert fold(name) == fold(unicodedata.normalize("NFD", name.upper()).replace(" ", "_"))


def _spellings(word: str) -> st.SearchStrategy[str]:
    """The word as offices type it: any case, NFC or NFD, padded with spaces."""
    return st.tuples(
        st.sampled_from([str.lower, str.upper, str.title, lambda s: s]),
        st.sampled_from(["NFC", "NFD"]),
        st.text(" ", max_size=2),
        st.text(" ", max_size=2),
    ).map(lambda t: t[2] + unicodedata.normalize(t[1], t[0](word)) + t[3])


@given(st.sampled_from(["Đạt", "x", "✓", "✔"]).flatmap(_spellings))
def test_every_spelling_of_met_is_met(cell):
    assert v.parse_marker(cell) is True


@given(st.sampled_from(["Chưa đạt", "Không đạt", "-"]).flatmap(_spellings))
def test_every_spelling_of_not_met_is_not_met(cell):
    assert v.parse_marker(cell) is False


@given(
    st.sampled_from([3, 4, 5]).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sampled_from([n, float(n), str(n), f"{n}.0", f"{n},0", f"{n} sao", f"{n} SAO", f"{n}★", "★" * n]),
        )
    )
)
def test_every_star_format_reads_as_its_stars(pair):
    stars, cell = pair
    assert v.parse_stars(cell) == stars


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Xã \u202eBằng Thành", "Xã Bằng Thành"),  # a right-to-left override: the rest printed backwards (spoofing)
        ("Xã Bằng \u2066Thành\u2069", "Xã Bằng Thành"),  # an isolate
        ("Xã Bằng Thành\x00\x07\x1b[31m", "Xã Bằng Thành[31m"),  # a NUL, a bell, a terminal escape (its text stays)
        ("\ufeffXã Bằng \u200bThành", "Xã Bằng Thành"),  # a byte-order mark, a zero-width space
        ("Xã\u0085Bằng Thành", "Xã Bằng Thành"),  # NEL is a line break: a space like the others
    ],
)
def test_a_name_is_read_without_invisible_or_direction_changing_characters(typed, read):
    """What reaches the warehouse, the page and the console shows what it says: no control character, no
    bidirectional override or isolate, no zero-width space; compared the same as what was typed."""
    assert v.text(typed) == read
    assert fold(typed) == fold(read)


BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


@given(st.text())
def test_read_text_holds_no_control_or_direction_changing_character(typed):
    read = v.text(typed) or ""
    assert all(unicodedata.category(ch) != "Cc" for ch in read)
    assert not BIDI & set(read)
