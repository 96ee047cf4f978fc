"""The numbers one cell holds: units, yen amounts (with the share they are labelled with),
a percentage. Read exactly; a sign (-, ▲, △) makes a reduction negative."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import regex as re

from ..numbers import NUMBER, to_int

_SIGN = r"(?P<sign>[-▲△])?\s*"
_UNITS = re.compile(rf"{_SIGN}\+?\s*(?P<n>{NUMBER})\s*単位(?!数)(?P<less>\s*を\s*減算)?")  # '94単位を減算': taken away
# after the yen sign, a number goes on to its end: one run into a letter or cut at a comma ('¥1O98', '¥2,0O38', an
# OCR misreading) is no amount, never its first digits
_YEN = re.compile(rf"{_SIGN}(?:[¥\\]\s*(?P<a>{NUMBER})(?![A-Za-z]|,\d)|(?<![\d.,])(?P<b>{NUMBER})\s*円(?!\s*未満))")
# ('1円未満切捨て': how a fee is rounded, no amount)
_SHARE_YEN = re.compile(
    rf"[(（]?\s*(?P<share>[123])\s*割\s*(?:負担)?\s*[)）]?\s*[:：]?\s*(?:{_YEN.pattern})"
    # '(1割)845/(2割)1,690': a share in brackets before a bare number, the yen said by the header
    rf"|[(（]\s*(?P<share2>[123])\s*割\s*(?:負担)?\s*[)）]\s*[:：]?\s*(?P<c>{NUMBER})(?![\d.]|\s*単位)")
# a percentage taken away: signed ('▲5%', '-1%') or said so ('5%減', '1%を減算')
_PERCENT = re.compile(rf"{_SIGN}(?P<n>\d+(?:\.\d+)?)\s*[%％](?P<less>\s*(?:を\s*)?減)?")
_BARE = re.compile(rf"^\s*{_SIGN}\+?\s*(?P<n>{NUMBER}|\d{{1,3}}(?: \d{{3}})+)\s*$")


@dataclass
class Values:
    units: int | None = None
    yen: list[int] = field(default_factory=list)  # unlabelled amounts, in printed order
    shares: dict[str, int] = field(default_factory=dict)  # amounts labelled '(2割)1,335円'
    rate: Decimal | None = None
    bare: int | None = None  # a number with no unit: its column says what it is

    @property
    def empty(self) -> bool:
        return self.units is None and not self.yen and not self.shares and self.rate is None and self.bare is None


@lru_cache(maxsize=65536)
def words(text: str) -> str:
    """What a cell says besides its values: '54円 利用者負担金' -> '利用者負担金'."""
    return _PERCENT.sub(" ", _YEN.sub(" ", _UNITS.sub(" ", _SHARE_YEN.sub(" ", text)))).strip()


def _signed(m, n: str) -> int:
    v = to_int(n)
    return -v if m.group("sign") else v


@lru_cache(maxsize=65536)
def read(text: str) -> Values:
    out = Values()
    rest = text
    for m in _SHARE_YEN.finditer(text):
        out.shares[f"copay{m.group('share') or m.group('share2')}"] = _signed(m, m.group("a") or m.group("b") or m.group("c"))
    rest = _SHARE_YEN.sub(" ", rest)
    m = _UNITS.search(rest)
    if m:
        out.units = _signed(m, m.group("n"))
        if m.group("less") and out.units > 0:
            out.units = -out.units
        rest = rest[: m.start()] + " " + rest[m.end():]
    for m in _YEN.finditer(rest):
        out.yen.append(_signed(m, m.group("a") or m.group("b")))
    rest = _YEN.sub(" ", rest)
    m = _PERCENT.search(rest)
    if m:
        out.rate = Decimal(m.group("n")) / 100 * (-1 if m.group("sign") or m.group("less") else 1)
        rest = rest[: m.start()] + rest[m.end():]
    bracketed = re.search(r"[(（]\s*[)）]", rest) is not None  # '3751(370単位)': the fee, its units taken out
    m = _BARE.match(re.sub(r"[(（]\s*[)）]", "", rest))
    if m and (out.units is None or bracketed) and not out.yen:
        out.bare = -to_int(m.group("n").replace(" ", "")) if m.group("sign") else to_int(m.group("n").replace(" ", ""))
    return out


# cells run together: '身体介護30分未満2,606円261円', '要介護1 266単位 380単位', '2~3未満3~5未満'
_PLAIN = rf"(?:[¥\\]\s*{NUMBER}|{NUMBER}\s*(?:円|単位)(?!\s*[)）/]))"
_ONE = re.compile(_PLAIN)
_RANGES = re.compile(r"^(?:\d+(?:\.\d+)?\s*~\s*\d+(?:\.\d+)?\s*未満\s*){2,}(?P<tail>[^\d]*)$")
_RANGE = re.compile(r"\d+(?:\.\d+)?\s*~\s*\d+(?:\.\d+)?\s*未満")


@lru_cache(maxsize=65536)
def run_apart(text: str) -> list[str] | None:
    """The cells of a cell that holds several values run together, or None: a label, each
    plain amount or units value, and trailing words ('利用者負担金'). Values in brackets
    or labelled with their share ('(1割)668円') belong together and are not split."""
    if "(" in text or "（" in text:
        return None
    tokens = list(_ONE.finditer(text))
    if len(tokens) >= 2 and all(not text[a.end():b.start()].strip() for a, b in zip(tokens, tokens[1:])):
        label, tail = text[: tokens[0].start()], text[tokens[-1].end():]
        if not re.search(r"\d", tail) and not re.search(r"[\d,]$", label):
            return [p.strip() for p in [label] + [t.group(0) for t in tokens] + [tail] if p.strip()]
    m = _RANGES.match(text)
    if m:
        return [r.group(0) for r in _RANGE.finditer(text)] + ([m.group("tail").strip()] if m.group("tail").strip() else [])
    return None
