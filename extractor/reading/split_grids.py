"""A fee grid printed twice: once as units, once as yen ('■基本料金（1回あたりの単位数）', then
'■利用者負担額（1割負担の方）', the same bands by the same care levels). Read alone, each grid
gives rows of half a fee (units without yen, yen without units), and no check can test a
share printed apart from its units.

Two tables of one page are one fee grid when the rows of one carry only units, the rows of
the other only amounts, the two have the same keys (service, time band, care levels,
conditions, and the item where the rows name their own), each key once, and the amounts are the units' at some 1単位の単価 (the price
stated, else one of the scheme's): a total is floor(units × price), a share that total's
share, on every row but a misprint (four fifths of the rows, every row of two). Then each
units row takes its key's amounts and the yen row goes; a misprinted share is then the
check's to report. Grids that do not agree are left apart. Which table comes first does
not matter, and a units grid may take the amounts of several yen grids (1割, 2割, 3割), one
role each.

A grid of units and some amounts (費用総額, 保険給付額, 1割) takes a yen grid of its other
shares (2割, 3割) the same way. Grids on two pages or sheets are joined only when every row
agrees, and a tier mark that one of them leaves off a condition ('従来型個室(ⅰ)' restated as
'従来型個室') does not keep them apart.
"""

from __future__ import annotations

from decimal import Decimal

import regex as re

from ..model import TariffRow
from ..prices import floor_yen, prices_for
from .columns import SHARE_OF_TOTAL

RULE = "joined:units-and-yen-grids"


def _keys(rows: list[TariffRow]) -> list[tuple]:
    """Each row's key: its service, band, care levels and conditions, and its item where the
    rows have items of their own (a list of additions; a grid's rows all bear its title)."""
    named = len({r.item for r in rows}) > 1
    return [(r.service, r.time_band, tuple(sorted(r.care_levels)), tuple(r.conditions), r.item if named else None)
            for r in rows]


def _kind(rows: list[TariffRow]) -> str | None:
    """'units' (every row units alone), 'yen' (every row amounts alone) or None; None also
    for a table whose keys repeat or that holds a step or a rate."""
    keys = _keys(rows)
    if len(rows) < 2 or len(set(keys)) != len(keys) or any(r.step is not None or r.rate is not None for r in rows):
        return None
    if all(r.units is not None and not r.amounts for r in rows):
        return "units"
    if all(r.units is None and r.amounts for r in rows):
        return "yen"
    if all(r.units is not None for r in rows):
        return "priced"  # units and some amounts: the rest of its shares may be printed in a grid of their own
    return None


_TIER = re.compile(r"\s*[(（][ⅰⅱⅲⅳⅴⅵⅠⅡⅢⅣⅤⅥivx]{1,4}[)）]\s*$")


def _loose(keys: list[tuple]) -> list[tuple]:
    """Keys with a tier mark at the end of a condition or a name dropped ('従来型個室(ⅰ)' as '従来型個室'): the
    same grid restated on another sheet for the other shares may leave the mark out."""
    return [(s, b, lv, tuple(_TIER.sub("", c) for c in cond), item and _TIER.sub("", item)) for s, b, lv, cond, item in keys]


def _agrees(units: int, amounts: dict, price: Decimal) -> bool:
    total = floor_yen(units, price)
    return all(v == total if role == "total" else any(f(total) == v for f in SHARE_OF_TOTAL[role])
               for role, v in amounts.items())


def _price(pairs: list[tuple[TariffRow, TariffRow]], stated: Decimal | None) -> Decimal | None:
    """The price at which the yen rows are the units rows' (a misprint allowed, as ``settle``)."""
    scheme = next((a.scheme for a, _ in pairs if a.scheme), None)
    for p in ([stated] if stated else []) + [p for p in prices_for(scheme) if p != stated]:
        hits = sum(1 for a, b in pairs if _agrees(a.units, b.amounts, p))
        if hits == len(pairs) if len(pairs) < 3 else hits * 5 >= len(pairs) * 4:
            return p
    return None


def _fee_price(rows: list[TariffRow], stated: Decimal | None) -> Decimal | None:
    """The price at which every row's full fee is floor(units × price), rows printing both."""
    both = [r for r in rows if r.units and r.amounts.get("total") is not None]
    scheme = next((r.scheme for r in rows if r.scheme), None)
    return next((p for p in ([stated] if stated else []) + [p for p in prices_for(scheme) if p != stated]
                 if both and all(floor_yen(abs(r.units), p) == abs(r.amounts["total"]) for r in both)), None)  # (a reduction cut either way)


def join_split_grids(tables: list[tuple[list[TariffRow], dict]], stated: Decimal | None) -> list[tuple[list[TariffRow], dict]]:
    """The tables' rows (and parsing reports), in order, with each yen grid joined to the
    units grid of its keys (the nearest that agrees): its rows' amounts go to the units rows
    and its own rows are dropped; both reports say where the other half was read."""
    kinds = [_kind(rows) for rows, _ in tables]
    taken: dict[int, set[str]] = {}  # a units grid -> the amount roles it has taken
    out = [(list(rows), report) for rows, report in tables]
    for j, kind in enumerate(kinds):
        if kind != "yen":
            continue
        yen_rows, yen_report = out[j]
        roles = {role for r in yen_rows for role in r.amounts}
        keys = _keys(yen_rows)
        for i in sorted((i for i, k in enumerate(kinds) if k in ("units", "priced")), key=lambda i: abs(i - j)):
            unit_rows, unit_report = out[i]
            own = {role for r in unit_rows for role in r.amounts}
            if roles & (taken.get(i, set()) | own):
                continue
            ours, theirs = _keys(unit_rows), keys
            if set(ours) != set(theirs) and len(set(_loose(ours))) == len(ours) and set(_loose(ours)) == set(_loose(theirs)):
                ours, theirs = _loose(ours), _loose(theirs)
            if set(ours) != set(theirs):
                continue
            by_key = dict(zip(ours, unit_rows))
            pairs = [(by_key[k], b) for k, b in zip(theirs, yen_rows)]
            price = _price(pairs, stated)
            if price is None:
                continue
            if {r.source.page for r in unit_rows + yen_rows} != {yen_rows[0].source.page} and (
                    len(pairs) < 3 or not all(_agrees(a.units, b.amounts, price) for a, b in pairs)):
                continue  # grids of two pages or sheets: one only when every row agrees
            for a, b in pairs:
                a.amounts = {**a.amounts, **b.amounts}
                # (lines of another page or sheet are not this row's page's: the report says where they were read)
                lines = set(b.source.lines) if b.source.page == a.source.page else set()
                a.source = a.source.model_copy(update={
                    "lines": sorted(set(a.source.lines) | lines),
                    "raw": "\n".join(x for x in (a.source.raw, b.source.raw) if x)})
                yen_report.setdefault("set_aside", []).extend(
                    {"page": b.source.page, "line": n, "amount": abs(v), "role": "joined"}
                    for n in b.source.lines or [b.source.line] for v in b.amounts.values() if v is not None)
                a.corrections = a.corrections + [c for c in b.corrections if c not in a.corrections]
                a.confidence = min(a.confidence, b.confidence)
                a.rules = a.rules + [RULE] if RULE not in a.rules else a.rules
            taken.setdefault(i, set()).update(roles)
            for report, other in ((unit_report, yen_report), (yen_report, unit_report)):
                report["joined"] = {"lines": other["lines"], "unit_price": str(price)}
                report["unit_price"] = report["unit_price"] or str(price)
            out[j] = ([], yen_report)
            break
    return _join_restated(out, [_kind(rows) for rows, _ in out], stated)


def _join_restated(out: list, kinds: list, stated: Decimal | None) -> list:
    """A priced grid restated for another share (a sheet per share: '1割負担の方' 費用額 保険給付額
    自己負担額(1割), then '2割負担の方' the same with 自己負担額(2割)): the same keys, the same units
    and full fee on every row, shares the first lacks, each row's amounts its units' at one
    price. The first takes the later grid's shares; the later grid's benefit (the fee less
    its own share) is set aside, the row's benefit being its first share's."""
    def priced(rows: list[TariffRow]) -> list[TariffRow]:  # (its rate rows, '処遇改善加算 14.0%', apart)
        return [r for r in rows if r.rate is None and r.step is None]

    kinds = [k if k is not None or not rows or _kind(priced(rows)) != "priced" else "priced" for k, (rows, _) in zip(kinds, out)]
    for j, kind in enumerate(kinds):
        if kind != "priced" or not out[j][0]:
            continue
        later_all, later_report = out[j]
        later = priced(later_all)
        shares = {role for r in later for role in r.amounts if role.startswith("copay")}
        for i in range(j):
            first_all, first_report = out[i]
            first = priced(first_all)
            if kinds[i] != "priced" or not first or shares & {role for r in first for role in r.amounts} or not shares:
                continue
            ours, theirs = _keys(first), _keys(later)
            if set(ours) != set(theirs) and len(set(_loose(ours))) == len(ours) and set(_loose(ours)) == set(_loose(theirs)):
                ours, theirs = _loose(ours), _loose(theirs)
            if set(ours) != set(theirs) or len(theirs) < 3:
                continue
            by_key = dict(zip(ours, first))
            pairs = [(by_key[k], b) for k, b in zip(theirs, later)]
            if any(a.units != b.units or a.amounts.get("total") != b.amounts.get("total") for a, b in pairs):
                continue
            price = _fee_price([b for _, b in pairs], stated)
            if price is None:
                continue  # (the same units and full fee on every row, the fee the units' at one price; a share
                # misprinted on a sheet is the check's to report)
            for a, b in pairs:
                a.amounts = {**a.amounts, **{r: v for r, v in b.amounts.items() if r.startswith("copay")}}
                later_report.setdefault("set_aside", []).extend(
                    {"page": b.source.page, "line": n, "amount": abs(v), "role": "joined"}
                    for n in b.source.lines or [b.source.line] for v in b.amounts.values() if v is not None)
                a.rules = a.rules + [RULE] if RULE not in a.rules else a.rules
            for report, other in ((first_report, later_report), (later_report, first_report)):
                report["joined"] = {"lines": other["lines"], "unit_price": str(price)}
            rates = {(r.item, r.rate) for r in first_all if r.rate is not None}
            joined = {id(r) for r in later}
            out[j] = ([r for r in later_all if id(r) not in joined and (r.item, r.rate) not in rates], later_report)
            break
    return out
