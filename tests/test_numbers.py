"""extractor.numbers: whole-cell ints, numbers in running text, exact rates."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from extractor.numbers import Rate, numbers_in, parse_int, parse_rate
from extractor.text import normalize


@pytest.mark.parametrize("cell,value", [
    pytest.param("１，０８６", 1086, id="fullwidth-grouped"),
    pytest.param("¥2,867", 2867, id="yen-sign"),
    pytest.param("￥2,867", 2867, id="fullwidth-yen-sign"),
    pytest.param("\\2,867", 2867, id="backslash-yen"),
    pytest.param("1 086", 1086, id="space-grouped"),
    pytest.param("２，９５４単位", 2954, id="units-suffix"),
    pytest.param("７９３円", 793, id="yen-suffix"),
    pytest.param("12,000", 12000, id="grouped"),
    pytest.param(" 519 ", 519, id="padded"),
    pytest.param("1,234,567", 1234567, id="two-groups"),
    pytest.param("12,000 12,000", None, id="two-numbers"),
    pytest.param("1,086 500", None, id="mixed-separators-are-two-numbers"),
    pytest.param("要介護1", None, id="care-level"),
    pytest.param("", None, id="empty"),
    pytest.param("abc", None, id="letters"),
    pytest.param("1,08", None, id="short-group"),
    pytest.param("1月につき", None, id="basis"),
])
def test_parse_int(cell, value):
    assert parse_int(cell) == value


@pytest.mark.parametrize("s,found", [
    pytest.param("12,000 12,000", [(12000, 0, 6), (12000, 7, 13)], id="two-numbers"),
    pytest.param("要介護1 1,086単位", [(1, 3, 4), (1086, 5, 10)], id="care-level-and-units"),
    pytest.param("1月につき 200 単位減算", [(1, 0, 1), (200, 6, 9)], id="basis-and-units"),
    pytest.param("費用総額 10,860円 保険給付額 10,860円", [(10860, 5, 11), (10860, 19, 25)], id="yen-pair"),
    # '1,0860' is not 10,860: a group needs exactly three digits.
    pytest.param("1,0860", [(1, 0, 1), (860, 2, 6)], id="broken-group"),
    pytest.param("算定不可", [], id="none"),
])
def test_numbers_in(s, found):
    assert numbers_in(s) == found


# (printed, value, op, printed form)
RATE_CASES = [
    pytest.param("×95/100", "0.95", "multiply", "×95/100", id="times-fraction"),
    pytest.param("+25/100", "0.25", "add", "+25/100", id="plus-fraction"),
    pytest.param("-1/100", "-0.01", "add", "-1/100", id="minus-fraction"),
    pytest.param("ー１／１００", "-0.01", "add", "-1/100", id="choon-minus-fullwidth"),
    pytest.param("100分の95", "0.95", "multiply", "100分の95", id="bunno"),
    pytest.param("所定単位数の 100 分の 95に相当する単位数を算定", "0.95", "multiply", "100 分の 95", id="bunno-santei"),
    pytest.param("所定単位数の 100 分の1に相当する単位数を減算", "-0.01", "add", "100 分の1", id="bunno-gensan"),
    pytest.param("所定単位数の１００分の３を加算", "0.03", "add", "100分の3", id="bunno-kasan"),
    pytest.param("×137/1000", "0.137", "multiply", "×137/1000", id="per-mille"),
    pytest.param("+所定単位数×137/1000", "0.137", "add", "+所定単位数×137/1000", id="per-mille-of-units"),
    pytest.param("32.8％", "0.328", "add", "32.8%", id="percent"),
    pytest.param("1月につき 所定単位数×32.8％※１", "0.328", "add", "×32.8%", id="percent-of-units"),
    pytest.param("所定単位×40.2%", "0.402", "add", "×40.2%", id="percent-of-unit"),
    pytest.param("基本料金＋加算を算定した金額の７．５％相当", "0.075", "add", "7.5%", id="fullwidth-percent"),
    pytest.param("基本単位数の 50%に減算", "0.5", "multiply", "50%", id="reduce-to-percent"),
    pytest.param("10%を減算", "-0.1", "add", "10%", id="reduce-by-percent"),
]


@pytest.mark.parametrize("s,value,op,printed", RATE_CASES)
def test_parse_rate(s, value, op, printed):
    rate = parse_rate(s)
    assert isinstance(rate, Rate)
    assert isinstance(rate.value, Decimal)
    assert (rate.value, rate.op, rate.printed) == (Decimal(value), op, printed)


@pytest.mark.parametrize("s,value,op,printed", RATE_CASES)
def test_rate_printed_is_found_in_normalized_text(s, value, op, printed):
    # Callers cut the text after ``printed``; it must be a clean substring.
    rate = parse_rate(s)
    assert rate.printed == rate.printed.strip()
    assert rate.printed in normalize(s)[0]


@pytest.mark.parametrize("s", [
    pytest.param("1月につき 200 単位減算", id="units-only"),
    pytest.param("算定不可", id="words"),
    pytest.param("", id="empty"),
])
def test_parse_rate_none(s):
    assert parse_rate(s) is None


def test_rate_is_exact_decimal_not_float():
    assert parse_rate("×95/100").value == Decimal("0.95")
    assert parse_rate("+所定単位数×137/1000").value == Decimal("137") / Decimal("1000")
    assert str(parse_rate("32.8％").value) == "0.328"


# The float trap: yen = floor(units × price per unit). In floats 85 × 11.2 is
# 951.999…, which floors one yen short; exact decimals give the printed amount.
@pytest.mark.parametrize("units,price,yen", [
    pytest.param("８５", "11.2", 952, id="85x11.2"),
    pytest.param("75", "11.12", 834, id="75x11.12"),
    pytest.param("１，０８６", "10.84", 11772, id="1086x10.84"),
])
def test_exact_yen_arithmetic(units, price, yen):
    n = parse_int(units)
    assert math.floor(Decimal(n) * Decimal(price)) == yen


@pytest.mark.parametrize("units,price,yen", [
    pytest.param(85, "11.2", 952, id="85x11.2"),
    pytest.param(75, "11.12", 834, id="75x11.12"),
])
def test_float_arithmetic_would_be_wrong(units, price, yen):
    # Documents why the tool never uses floats for money.
    assert math.floor(units * float(price)) == yen - 1


# -- fuzz: the parsers never raise, and what they read round-trips ---------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extractor.eras import find_eras  # noqa: E402
from extractor.terms import parse_basis, parse_care_levels, parse_step, parse_time_band, split_fee_name  # noqa: E402

TOKENS = list("0123456789０１２３４５６７８９,，.．/／%％¥￥円単位分の×x+-=－ー令和平成R年月日度要介護支援・、()（）\t ") + [
    "加算", "減算", "時間", "以上", "未満", "につき", "増すごとに"]
ANY_TEXT = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join) | st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_parsers_never_raise(s):
    parse_int(s)
    parse_rate(s)
    numbers_in(s)
    find_eras(s)
    parse_care_levels(s)
    parse_basis(s)
    parse_time_band(s)
    parse_step(s)
    split_fee_name(s)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["{:,}", "{}", "¥{:,}", "{:,}円", "{}単位"]),
       st.booleans())
def test_printed_numbers_round_trip(n, form, wide):
    printed = form.format(n)
    if wide:
        printed = printed.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    assert parse_int(printed) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.sampled_from([10, 100, 1000]))
def test_fractions_round_trip_exactly(num, den):
    from decimal import Decimal

    assert parse_rate(f"×{num}/{den}").value == Decimal(num) / Decimal(den)
    assert parse_rate(f"-{num}/{den}").value == -Decimal(num) / Decimal(den)


@pytest.mark.parametrize("s", ["1/0", "0/0", "×90/0", "0分の1", "令和6年1/0改定"])
def test_a_zero_denominator_is_no_rate(s):
    """Found by the property test above: 1/0 raised DivisionByZero."""
    assert parse_rate(s) is None
