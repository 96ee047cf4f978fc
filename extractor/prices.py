"""1単位の単価 by 地域区分 and class (data/unit_prices.json), and exact yen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from importlib import resources


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
