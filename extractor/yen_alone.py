"""Yen printed alone: a total with no units beside it (a 老健 grid of 10割 by care level, a
障害 web page of 利用料 by time band) and no official units built in for its item.

No units are printed, but the amount must still be floor(u × 1単位の単価) for some whole
number of units u: at 10.18円, 3,165円 (311単位) and 3,176円 (312単位) are possible and
3,167円 is not. So each such total is held to its price (`unreachable-amount` when no u
gives it), a table that rounds its totals half-up is one `rounding-habit`, and a document
that states no price and prints only such totals takes the one price that gives them
(all but one at most). Pure functions, exact Decimal arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal

import regex as re

from . import findings
from .habits import HALF_UP, MIN_EVIDENCE, half_up_yen, tables_of
from .model import TariffRow
from .prices import floor_yen

FLOOR = "floor"
MIN_ROWS = 3  # fewer yen alone than this tell no price: about one price in ten gives any one amount


_YEN_MARK = re.compile(r"[円¥￥]")


def _table_of(r: TariffRow, tables: list[dict]) -> dict | None:
    return next((t for t in tables if t.get("lines") and t.get("page") == r.page
                 and t["lines"][0] <= (r.line or 0) <= t["lines"][1]), None)


def alone(rows: list[TariffRow], tables: list[dict] | None = None) -> list[TariffRow]:
    """The rows that print a total and nothing it was made of: no units, no rate, not a
    step's yen, not a charge outside the tariff; and known to be yen: marked so where it was
    read (円, ¥) or under a column the table's header or arithmetic calls the full fee. A
    bare number the reader placed as a total under no such column may be units misplaced:
    it is not held."""
    def yen(r: TariffRow) -> bool:
        if _YEN_MARK.search(r.source.raw or ""):
            return True
        t = _table_of(r, tables or [])
        return t is not None and any(c.get("role") == "total" for c in t.get("columns", []))

    return [r for r in rows if r.units is None and r.rate is None and "total" in r.amounts and r.kind != "other"
            and not (r.amounts_for == "step" and r.step) and yen(r)]


def _ceil(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_CEILING))


def units_for(total: int, price: Decimal, habit: str = FLOOR) -> int | None:
    """The whole number of units whose yen at ``price`` is ``total`` under ``habit`` (floor:
    total ≤ u × price < total + 1; half-up: total − ½ ≤ u × price < total + ½), or None.
    A reduction's (a negative total): the units whose amount taken away it is, cut or floored."""
    if total < 0:
        taken = units_for(-total, price, habit)
        if taken is not None:
            return -taken
        near = int((Decimal(-total) / price).to_integral_value(rounding=ROUND_CEILING))
        return next((-u for u in (near - 1, near) if u > 0 and floor_yen(-u, price) == total), None)
    low = Decimal(total) - (Decimal("0.5") if habit == HALF_UP else 0)
    u = max(_ceil(low / price), 0)
    yen = half_up_yen(u, price) if habit == HALF_UP else floor_yen(u, price)
    return u if yen == total else None


def infer_price(rows: list[TariffRow], candidates: list[Decimal]) -> tuple[Decimal, int] | None:
    """The one candidate price that gives every total by floor, or all but one; with the
    number of rows it gives. None when fewer than MIN_ROWS totals, or no single price wins."""
    if len(rows) < MIN_ROWS:
        return None
    scores = sorted(((sum(units_for(r.amounts["total"], p) is not None for r in rows), p) for p in candidates),
                    key=lambda s: -s[0])
    if not scores:
        return None
    best, price = scores[0]
    if best < max(MIN_ROWS, len(rows) - 1) or (len(scores) > 1 and scores[1][0] == best):
        return None
    return price, best


def _around(total: int, price: Decimal) -> str:
    """The two whole numbers of units whose floored yen lie either side of ``total``."""
    u = max(_ceil(Decimal(total) / price), 1)
    return f"floor({u - 1}単位 × {price}円) = {floor_yen(u - 1, price):,}円, floor({u}単位 × {price}円) = {floor_yen(u, price):,}円"


def check(rows: list[TariffRow], tables: list[dict], price_of: Callable[[TariffRow], Decimal | None],
          habit: str | None = None) -> list:
    """Each total printed alone against its price: a table whose such totals only rounding
    half-up gives (at least two in the document) is one rounding-habit warning (rows that
    floor beside them are the law, not errors: habits mixed); any other total that no whole
    number of units gives is an unreachable-amount error. ``habit`` HALF_UP: the document's
    tables of units were found to round so (reported there): a total alone that rounding
    half-up gives is that habit too, not an error."""
    priced = [r for r in alone(rows, tables) if price_of(r) is not None]
    out = []
    groups = tables_of(priced, tables)
    kinds = [{id(r): (units_for(r.amounts["total"], price_of(r)) is not None,
                      units_for(r.amounts["total"], price_of(r), HALF_UP) is not None) for r in g} for g in groups]
    half_only = sum(not f and h for k in kinds for f, h in k.values())
    for g, k in zip(groups, kinds):
        half = [r for r in g if not k[id(r)][0] and k[id(r)][1]]
        floored = [r for r in g if k[id(r)][0] and not k[id(r)][1]]
        covered = set()
        if half and half_only >= MIN_EVIDENCE:
            r = half[0]
            t, p = r.amounts["total"], price_of(r)
            u = units_for(t, p, HALF_UP)
            mixed = f"; {len(floored)} other{'s' if len(floored) > 1 else ''} floored: habits mixed" if floored else ""
            out.append(findings.make(
                "rounding-habit", r.source, printed=HALF_UP, expected=FLOOR, habit=HALF_UP, n=len(half),
                rows=len(half) + len(floored), what="a total that only rounding half-up gives", law="floor(units × price)",
                example=f"{t:,}円 = round({u}単位 × {p}円 = {Decimal(u) * p}), no units give it by floor, no units printed{mixed}",
            ))
            covered = {id(r) for r in half}
        if habit == HALF_UP:
            covered |= {id(r) for r in half}
        for r in g:
            if not k[id(r)][0] and id(r) not in covered:
                t, p = r.amounts["total"], price_of(r)
                out.append(findings.make(
                    "unreachable-amount", r.source, printed=f"{t:,}円", expected=_around(t, p), printed_yen=t, price=p,
                ))
    return out
