"""1単位の単価 by 地域区分 and class (data/unit_prices.json), and exact yen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from importlib import resources

import regex as re

# '地域区分 11.2', '地域区分 7級地 10.18', '地域区分：7級地（10.18円）', '地域区分単価 10.18',
# '1単位の単価 10.96円', '1単位の単価は10.21円', '1単位＝10.18円', '単価10.18円'
PRICE = re.compile(
    r"(?:地域区分(?:単価)?|1\s*単位\s*(?:の|当たりの|あたりの)?\s*(?:単価)?|(?<!\p{Han})単価)\s*(?:[=:]|は)?\s*"
    r"(?:(?:\d\s*級地|その他)\s*\(?\s*(?:1\s*単位\s*(?:の単価)?\s*[=:]?\s*)?)?"
    r"(?P<price>\d{1,2}\.\d{1,3})\s*円?")


def stated_price(text: str) -> Decimal | None:
    """The 1単位の単価 a line states, if it states one."""
    m = PRICE.search(text)
    return Decimal(m.group("price")) if m else None


@dataclass(frozen=True)
class PriceEntry:
    scheme: str
    klass: str
    grade: str
    price: Decimal


@lru_cache(maxsize=1)
def price_table() -> tuple[PriceEntry, ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("unit_prices.json").read_text("utf-8"))
    return tuple(PriceEntry(p["scheme"], p["class"], p["grade"], Decimal(p["price"])) for p in raw["prices"])


def prices_for(scheme: str | None) -> list[Decimal]:
    return sorted({e.price for e in price_table() if scheme is None or e.scheme == scheme})


def floor_yen(units: int, price: Decimal) -> int:
    """floor(units × price), exactly: floor(85 × 11.2) is 952."""
    return int((Decimal(units) * price).to_integral_value(rounding=ROUND_FLOOR))
