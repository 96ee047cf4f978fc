"""Numbers, yen and rates, read exactly.

Inputs are expected to have gone through ``text.normalize`` (ASCII digits), but the
parsers also accept raw full-width forms, so they can be used on any string.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex as re

from . import text

# A number as printed in running text: 1,086 / 12000 / 2,954. Space-grouped
# thousands ('1 086') are only accepted by parse_int on a whole cell, because in
# running text a space separates two numbers ('12,000 12,000').
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
_NUMBER = re.compile(NUMBER)
# A yen amount: '¥2,867' (or '\2,867') or '2,867円'; the number is group 1 or group 2.
YEN = rf"(?:[¥\\]\s*({NUMBER})|(?<![\d.,])({NUMBER})\s*円(?!\s*未満))"  # ('1円未満切捨て': how it rounds)
YEN_AMOUNT = re.compile(YEN)
# One grouping separator per number: '1,086 500' is two numbers, not 1086500.
_CELL_INT = re.compile(r"^[¥\\]?\s*(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)\s*(?:円|単位)?$")


def parse_int(token: str) -> int | None:
    """A whole cell to an int: '１，０８６' '¥2,867' '1 086' '２，９５４単位' '793円'."""
    s, _ = text.normalize(token)
    m = _CELL_INT.match(s.strip())
    if not m:
        return None
    return int(re.sub(r"[, ]", "", m.group(1)))


def to_int(number: str) -> int:
    """A matched NUMBER ('1,086') to int."""
    return int(number.replace(",", ""))


def numbers_in(s: str) -> list[tuple[int, int, int]]:
    """Every number in running text as (value, start, end)."""
    return [(to_int(m.group(0)), m.start(), m.end()) for m in _NUMBER.finditer(s)]


@dataclass(frozen=True)
class Rate:
    """A percentage effect. ``multiply``: units × value. ``add``: units × (1 + value)."""

    value: Decimal
    op: str
    printed: str


# a denominator of 0 is no rate (a date such as 1/0 or a misprint), never a division
_FRACTION = re.compile(r"(?P<sign>[×x\*+\-])?\s*(?:所定単位数\s*[×x]\s*)?(?P<num>\d+)\s*/\s*(?P<den>0*[1-9]\d*)(?!\d)")
_BUNNO = re.compile(r"(?P<den>0*[1-9]\d*)\s*分の\s*(?P<num>\d+)")
_PERCENT = re.compile(r"(?P<sign>[×x+\-])?\s*(?P<num>\d+(?:\.\d+)?)\s*%")


@lru_cache(maxsize=1 << 15)
def parse_rate(s: str) -> Rate | None:
    """The first rate in ``s``, exact.

    ×95/100 -> 0.95 multiply; +25/100 -> 0.25 add; -1/100 -> -0.01 add;
    100分の95に相当する単位数を算定 -> 0.95 multiply; 100分の1に相当する単位数を減算 -> -0.01 add;
    ×137/1000 -> 0.137 add when it is '所定単位数×'; 32.8% -> 0.328 add; 50%に減算 -> 0.5 multiply.
    """
    s, _ = text.normalize(s)
    m = _FRACTION.search(s)
    if m:
        value = Decimal(m.group("num")) / Decimal(m.group("den"))
        sign = m.group("sign")
        printed = m.group(0).strip()
        if "所定単位数" in printed or sign == "+":
            return Rate(value, "add", printed)
        if sign == "-":
            return Rate(-value, "add", printed)
        return Rate(value, "multiply", printed)
    m = _BUNNO.search(s)
    if m:
        value = Decimal(m.group("num")) / Decimal(m.group("den"))
        printed = m.group(0).strip()
        tail = s[m.end():]
        if re.match(r"\s*に相当する単位数を減算", tail) or re.match(r"\s*を減算", tail):
            return Rate(-value, "add", printed)
        if re.match(r"\s*(?:に相当する単位数)?を加算", tail):
            return Rate(value, "add", printed)
        return Rate(value, "multiply", printed)
    m = _PERCENT.search(s)
    if m:
        value = Decimal(m.group("num")) / Decimal(100)
        printed = m.group(0).strip()  # the pattern's leading \s* may take a space: ' 50%'
        tail = s[m.end():]
        if re.match(r"\s*に(?:減算|相当する単位数を算定)", tail):
            return Rate(value, "multiply", printed)
        if m.group("sign") == "-" or re.match(r"\s*を?減算", tail):
            return Rate(-value, "add", printed)
        return Rate(value, "add", printed)
    return None
