"""Prices and exact yen: Decimal from strings, int units, floor named at every step.

The price table is DOMAIN.md's 地域単価 (級地 × 人件費割合 class), typed here from that primer.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

GRADES = ("1級地", "2級地", "3級地", "4級地", "5級地", "6級地", "7級地", "その他")

PRICES: dict[str, tuple[str, ...]] = {
    "介護70": ("11.40", "11.12", "11.05", "10.84", "10.70", "10.42", "10.21", "10.00"),
    "介護45": ("10.90", "10.72", "10.68", "10.54", "10.45", "10.27", "10.14", "10.00"),
    "障害60": ("11.20", "10.96", "10.90", "10.72", "10.60", "10.36", "10.18", "10.00"),
}


def price_of(klass: str, grade: str) -> Decimal:
    return Decimal(PRICES[klass][GRADES.index(grade)])


def floor_yen(x: Decimal) -> int:
    """Truncate to whole yen (切り捨て)."""
    return int(x.to_integral_value(rounding=ROUND_FLOOR))


def total_of(units: int, price: Decimal) -> int:
    """10割: floor(units × 単価)."""
    return floor_yen(Decimal(units) * price)


def half_up_yen(x: Decimal) -> int:
    """Round to whole yen half-up (四捨五入): a habit of some offices, not the law."""
    return int(x.to_integral_value(rounding=ROUND_HALF_UP))


def kaigo_copay(total: int, share: int) -> int:
    """介護 N割負担: total − floor(total × 給付率), 給付率 = 1 − N/10."""
    return total - floor_yen(Decimal(total) * (Decimal(10 - share) / Decimal(10)))


def kaigo_benefit(total: int, share: int = 1) -> int:
    """介護 保険給付額 of an N割 user: floor(total × 給付率)."""
    return floor_yen(Decimal(total) * (Decimal(10 - share) / Decimal(10)))


def shogai_copay(total: int) -> int:
    """障害 official rule: floor(total × 10%) (before the monthly cap)."""
    return floor_yen(Decimal(total) / Decimal(10))


def amounts(units: int, price: Decimal, rule: str, total: int | None = None) -> dict[str, int]:
    """Every amount a document may print for ``units`` under ``rule``.

    rule: ``kaigo`` (介護), ``full`` (居宅介護支援: paid 10割 by insurance, no copay),
    ``shogai`` (official 障害 rule), ``shogai_kaigo_style`` (a 障害 sheet split the 介護 way).
    ``total``: the 10割 as the office made it (a rounding habit), when not floor(units × 単価);
    the shares are split from it as the rule splits any total.
    """
    if total is None:
        total = total_of(units, price)
    if rule == "full":
        return {"total": total, "benefit": total}
    if rule == "shogai":
        c = shogai_copay(total)
        return {"total": total, "benefit": total - c, "copay1": c}
    out = {"total": total, "benefit": kaigo_benefit(total, 1)}
    out["copay1"] = total - out["benefit"]
    if rule == "kaigo":
        out["copay2"] = kaigo_copay(total, 2)
        out["copay3"] = kaigo_copay(total, 3)
    return out


FULL_WIDTH = str.maketrans("0123456789,.%", "０１２３４５６７８９，．％")


def number(n: int, thousands: bool, full: bool) -> str:
    s = f"{n:,}" if thousands else str(n)
    return s.translate(FULL_WIDTH) if full else s


def yen(n: int, form: str, thousands: bool, full: bool) -> str:
    """A yen cell: ``suffix`` 1,234円, ``yen`` ¥1,234, ``fullyen`` ￥1,234, ``bare`` 1,234."""
    s = number(n, thousands, full)
    return {"suffix": s + "円", "yen": "¥" + s, "fullyen": "￥" + s, "bare": s}[form]


def units_cell(n: int, form: str, thousands: bool, full: bool) -> str:
    s = number(n, thousands, full)
    return s + "単位" if form == "suffix" else s
