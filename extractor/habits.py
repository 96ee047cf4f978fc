"""Rounding habits: how a table's printed totals were made from units × 1単位の単価.

The law truncates (floor). Some offices round the total half-up instead (579単位 × 10.21
printed 5,912円 where floor gives 5,911). A table that follows half-up throughout is one
habit, reported once (rounding-habit), not one error per row; a row that follows neither,
or breaks its table's own habit, stays an error. Pure functions, exact Decimal arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .model import TariffRow
from .prices import floor_yen

LEGAL = "floor"
HALF_UP = "half-up"
COPAY_ROUNDED = "copay-rounded"


def half_up_yen(units: int, price: Decimal) -> int:
    """units × price rounded half-up to the yen: 97 × 11.12 = 1,078.64 → 1,079."""
    return int((Decimal(units) * price).to_integral_value(rounding=ROUND_HALF_UP))


@dataclass
class TableHabit:
    """The habit of one table's totals, and the rows it covers."""

    habit: str  # LEGAL or HALF_UP
    rows: list[TariffRow]  # the priced rows of the table that carry a total
    by_habit: list[TariffRow]  # the rows whose total only the (non-legal) habit explains


def tables_of(rows: list[TariffRow], tables: list[dict]) -> list[list[TariffRow]]:
    """Rows grouped by the table they were read from (the reader's parsing report gives each
    table's first and last line); rows outside every reported table form one group."""
    groups: dict[int, list[TariffRow]] = {}
    for r in rows:
        at = next((i for i, t in enumerate(tables)
                   if t.get("lines") and t.get("page") == r.page and t["lines"][0] <= (r.line or 0) <= t["lines"][1]), -1)
        groups.setdefault(at, []).append(r)
    return [groups[k] for k in sorted(groups)]


MIN_EVIDENCE = 2  # one half-up total alone is no habit: it is also what a +1 typo prints


def judge(rows: list[TariffRow], units_of: Callable[[TariffRow], int | None],
          price_of: Callable[[TariffRow], Decimal]) -> TableHabit:
    """The habit a table's totals follow. Only the rows where the habits differ (floor ≠
    half-up) can tell: the table rounds half-up when every such row that fits a habit fits
    half-up, and at least two do; else it follows the law. A row that fits neither is no
    evidence either way (it stays an error)."""
    totals = [r for r in rows if "total" in r.amounts and units_of(r) is not None]
    telling = [r for r in totals if floor_yen(units_of(r), price_of(r)) != half_up_yen(units_of(r), price_of(r))]
    half = [r for r in telling if half_up_yen(units_of(r), price_of(r)) == r.amounts["total"]]
    legal = [r for r in telling if floor_yen(units_of(r), price_of(r)) == r.amounts["total"]]
    if len(half) >= MIN_EVIDENCE and not legal:
        return TableHabit(HALF_UP, totals, half)
    return TableHabit(LEGAL, totals, [])


def judge_document(groups: list[list[TariffRow]], units_of: Callable[[TariffRow], int | None],
                   price_of: Callable[[TariffRow], Decimal]) -> list[TableHabit]:
    """Each table's habit (judge), where a table too short to show one alone (a 加算 table
    with one row where floor and half-up differ) that rounds half-up wherever it can tell,
    and never floors, follows its document's habit when another table of the document
    rounds half-up throughout, or when its tables together do (two tables of one telling
    row each, none floored): an office rounds all its tables one way."""
    habits = [judge(g, units_of, price_of) for g in groups]
    whole = judge([r for g in groups for r in g], units_of, price_of)  # tables each too short, together one habit
    if not any(h.habit == HALF_UP for h in habits) and whole.habit != HALF_UP:
        return habits
    out = []
    for g, h in zip(groups, habits):
        if h.habit == LEGAL:
            totals = [r for r in g if "total" in r.amounts and units_of(r) is not None]
            telling = [r for r in totals if floor_yen(units_of(r), price_of(r)) != half_up_yen(units_of(r), price_of(r))]
            half = [r for r in telling if half_up_yen(units_of(r), price_of(r)) == r.amounts["total"]]
            legal = [r for r in telling if floor_yen(units_of(r), price_of(r)) == r.amounts["total"]]
            if half and not legal and len(half) < MIN_EVIDENCE:
                h = TableHabit(HALF_UP, totals, half)
        out.append(h)
    return out


def rounded_shares(r: TariffRow) -> dict[str, int]:
    """Each printed user's share as round(total × 割), half-up; the benefit as the rest of the
    first share."""
    total = r.amounts["total"]
    shares = {k: s for k, s in (("copay1", 1), ("copay2", 2), ("copay3", 3)) if k in r.amounts}
    out = {k: int((Decimal(total) * s / 10).to_integral_value(rounding=ROUND_HALF_UP)) for k, s in shares.items()}
    if "benefit" in r.amounts and shares:
        first = next(iter(shares))
        out = {"benefit": total - out[first], **out}
    return out


def copay_habit(rows: list[TariffRow], legal_of: Callable[[TariffRow], dict[str, int]],
                fits_legal: Callable[[TariffRow], bool], min_evidence: int = MIN_EVIDENCE) -> TableHabit | None:
    """A table whose 介護 copays are rounded instead of total − floor(total × 給付率): at least
    two rows where the two differ print the rounded shares, and none prints the law's. None
    when the table follows the law."""
    # only rows printing a user's share can tell (a benefit alone follows from no share)
    telling = [r for r in rows if any(k in r.amounts for k in ("copay1", "copay2", "copay3")) and rounded_shares(r) != legal_of(r)]
    rounded = [r for r in telling if all(r.amounts[k] == v for k, v in rounded_shares(r).items())]
    legal = [r for r in telling if fits_legal(r)]
    if len(rounded) >= min_evidence and not legal:
        return TableHabit(COPAY_ROUNDED, rows, rounded)
    return None
