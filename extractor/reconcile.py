"""Reconciliation: every printed yen against units × 1単位の単価, exactly.

Pure functions over extracted rows: no I/O. Money is Decimal and int; yen are
truncated (floor) as the tariff prints them; nothing is a float.

Per document:
- the unit price: stated, or inferred as the 地域単価 (data/unit_prices.json, plus any
  stated price) that explains the most rows, with its 級地 and class when unique;
- the benefit/copay convention the document uses (介護: benefit = floor(total × 給付率);
  障害: copay = floor(total × 10%); 居宅介護支援: all benefit);
- arithmetic, split, duplicate-units and rate checks, row by row;
- reference checks against other documents or a reference tariff (reference.py).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from importlib import resources

import regex as re

from . import findings, yen_alone
from .habits import COPAY_ROUNDED, HALF_UP, copay_habit, judge_document, rounded_shares, tables_of
from .model import DocumentResult, Finding, Source, TariffRow
from .prices import PriceEntry, PriceStatement, floor_yen, grade_price, price_table
from .services import find_service

SHARE_OF = {"copay1": 1, "copay2": 2, "copay3": 3}


def split(total: int, convention: str, share: int = 1) -> tuple[int, int]:
    """(benefit, copay) of a total under a convention, for a 1/2/3割 user."""
    if convention == "full":
        return total, 0
    if convention == "kaigo":
        benefit = int((Decimal(total) * Decimal(10 - share) / 10).to_integral_value(rounding=ROUND_FLOOR))
        return benefit, total - benefit
    if convention == "shogai":
        copay = int((Decimal(total) * Decimal(share) / 10).to_integral_value(rounding=ROUND_FLOOR))
        return total - copay, copay
    raise ValueError(convention)


def priced_units(row: TariffRow) -> int | None:
    """The units the row's printed yen are for: the step's when the yen are the step's
    (the step printed beside the rule, when it differs, is what the yen were made of)."""
    if row.amounts_for == "step" and row.step:
        return row.step.units
    return row.units


def _shares(row: TariffRow) -> list[tuple[str, int]]:
    """(key, share) of each user's share the row prints."""
    return [(k, SHARE_OF[k]) for k in SHARE_OF if k in row.amounts]


def copay_only(row: TariffRow) -> bool:
    """The row prints only users' shares (a 1割/2割/3割 sheet), no 10割."""
    return "total" not in row.amounts and bool(_shares(row))


def _share_of(row: TariffRow, total: int, share: int, conv: str | None = None) -> int:
    return split(total, conv or ("shogai" if row.scheme == "shogai" else "kaigo"), share)[1]


def _copay_conventions(row: TariffRow) -> tuple[str, ...]:
    """How a row's users' shares may be split: the 介護 way, and for a 障害 row its own rule
    or the 介護 way many 障害 sheets print (a warning, copay-convention, not an error)."""
    return ("shogai", "kaigo") if row.scheme == "shogai" else ("kaigo",)


def cut(row: TariffRow) -> TariffRow | None:
    """A reduction's row (negative units) as the amount it takes away: its units and yen
    without their signs. Documents print a reduction's yen either way: floor(-5 × 10.68) =
    ▲54円, or the cut amount of 5 × 10.68 taken away, ▲53円 (1円未満切り捨て of what is taken);
    the check holds a reduction to either. None for any other row."""
    u = priced_units(row)
    if u is None or u >= 0 or any(v > 0 for v in row.amounts.values()):
        return None
    update = {"amounts": {k: -v for k, v in row.amounts.items()}, "units": -row.units if row.units is not None else None}
    if row.step is not None:
        update["step"] = row.step.model_copy(update={"units": -row.step.units} if row.step.units < 0 else {})
    return row.model_copy(update=update)


def explains(row: TariffRow, price: Decimal, conv: str | None = None) -> bool:
    """The row's printed yen are those of its units at ``price``. A row printing only users'
    shares is split by ``conv``, or by any convention its scheme's sheets use when None.
    A reduction's yen may be the floor of its negative amount or the cut amount taken away (``cut``)."""
    if _explains(row, price, conv):
        return True
    taken = cut(row)
    return taken is not None and _explains(taken, price, conv)


def _explains(row: TariffRow, price: Decimal, conv: str | None = None) -> bool:
    u = priced_units(row)
    if u is None:
        return False
    if copay_only(row):  # each share of floor(units × price), split as the scheme splits it
        total = floor_yen(u, price)
        return any(all(_share_of(row, total, s, c) == row.amounts[k] for k, s in _shares(row))
                   for c in ((conv,) if conv else _copay_conventions(row)))
    total = row.amounts.get("total")
    if total is None:
        return False
    if floor_yen(u, price) == total:
        return True
    printed = row.step.printed_units if row.amounts_for == "step" and row.step else None
    return printed is not None and floor_yen(printed, price) == total


def _priced(row: TariffRow) -> bool:
    return priced_units(row) is not None and ("total" in row.amounts or copay_only(row))


@dataclass
class Reconciled:
    """What the check found for one document."""

    doc: str
    unit_price: Decimal | None = None
    unit_price_source: str | None = None
    grade: str | None = None
    klass: str | None = None
    explained: int = 0
    priced: int = 0
    convention: str | None = None
    findings: list[Finding] = field(default_factory=list)
    confirmed: set = field(default_factory=set)  # (page, line, units) an official reference agrees with
    tables: list[dict] = field(default_factory=list)  # the reader's report of each table (lines, page)


def _candidates(scheme: str | None, stated: set[Decimal]) -> list[tuple[Decimal, bool]]:
    prices = {e.price for e in price_table() if scheme is None or e.scheme == scheme}
    return sorted({(p, p in stated) for p in prices | stated}, key=lambda c: (not c[1], c[0]))


def grades_of(price: Decimal, scheme: str | None) -> list[PriceEntry]:
    return [e for e in price_table() if e.price == price and (scheme is None or e.scheme == scheme)]


def reconcile(result: DocumentResult, statements: list[tuple[Source, PriceStatement]] = ()) -> Reconciled:
    """Price, convention and row-by-row arithmetic of one document. ``statements`` are what
    its lines state about the unit price (a price, a 級地), each with its place."""
    rec = Reconciled(doc=result.doc, tables=result.tables)
    rows = result.rows
    priced = [r for r in rows if _priced(r)]
    rec.priced = len(priced)
    schemes = Counter(r.scheme for r in rows if r.scheme)
    scheme = schemes.most_common(1)[0][0] if schemes else None
    stated = {r.unit_price for r in rows if r.unit_price is not None and r.unit_price_source == "stated"}
    for src, st in statements:
        if st.comma:  # read, and recorded with what was printed
            rec.findings.append(findings.make("price-decimal-comma", src, printed=st.printed, expected=f"{st.price}円", price=st.price))
    if not (not stated and _grade_price(rec, priced, rows, statements)):
        _price(rec, priced, scheme, stated, rows)
    _alone(rec, rows, scheme)
    _convention(rec, rows, scheme)
    _duplicates(rec, rows)
    _limits(rec, rows)
    _repeated_bands(rec, rows)
    _rates(rec, rows)
    return rec


def _price(rec: Reconciled, priced: list[TariffRow], scheme, stated: set[Decimal], rows) -> None:
    if not priced:
        if stated:
            rec.unit_price, rec.unit_price_source = sorted(stated)[0], "stated"
        return
    scores = [(sum(explains(r, p) for r in priced), is_stated, p) for p, is_stated in _candidates(scheme, stated)]
    best = max(scores, key=lambda s: (s[0], s[1], -s[2]))
    if stated:
        p = sorted(stated)[0]
        own = sum(explains(r, r.unit_price or p) for r in priced)
        if own < best[0] and best[2] != p:
            where = next((r for r in priced if r.unit_price == p), priced[0])
            rec.findings.append(findings.make(
                "stated-price-contradicted", where.source, printed=f"{p}円", expected=f"{best[2]}円",
                explained=own, better=best[0], rows=len(priced), price=p, better_price=best[2],
            ))
        rec.unit_price, rec.unit_price_source = p, "stated"
    elif best[0] == 0:
        rec.findings.append(findings.make("no-unit-price", priced[0].source, rows=len(priced)))
        return
    else:
        rec.unit_price, rec.unit_price_source = best[2], "inferred"
    p = rec.unit_price
    rec.explained = sum(explains(r, r.unit_price or p) for r in priced)
    entries = grades_of(p, scheme)
    if len(entries) == 1:
        rec.grade, rec.klass = entries[0].grade, entries[0].klass
    own: dict[str, Decimal] = {}
    if rec.unit_price_source == "inferred":
        where = f"{rec.grade}, {rec.klass}" if rec.grade else ", ".join(sorted({f"{e.grade} {e.klass}" for e in entries})) or "not in the 地域単価 table"
        rec.findings.append(findings.make(
            "unit-price-inferred", priced[0].source, printed=f"{p}円", expected=where,
            explained=rec.explained, rows=len(priced), price=p,
        ))
        own = _service_prices(rec, priced, scheme, p)
    _judge(rec, priced, lambda r: r.unit_price or own.get(r.service or "", p))


def _service_prices(rec: Reconciled, priced: list[TariffRow], scheme, price: Decimal) -> dict[str, Decimal]:
    """A document that states no price and prints services of different 人件費割合 classes
    (総合事業's 訪問型 and 通所型 on one city page) may price each at its own 地域単価: a
    service whose rows the document's inferred price does not explain, and another 地域単価
    of the same 級地 (another class's) explains two or more of them and all but one, takes that
    price (each recorded as
    ``unit-price-inferred`` with its service). Its rows are then held to it."""
    out: dict[str, Decimal] = {}
    by_service: dict[str, list[TariffRow]] = {}
    for r in priced:
        if r.service and r.unit_price is None:
            by_service.setdefault(r.service, []).append(r)
    if len(by_service) < 2:
        return out
    for service, group in sorted(by_service.items()):
        here = sum(explains(r, price) for r in group)
        if here == len(group):
            continue
        n, q = max(((sum(explains(r, c) for r in group), c) for c, _ in _candidates(scheme, set())),
                   key=lambda s: (s[0], -s[1]))
        # (one 級地 gives both, each to its class: a price of another area would be a misprint, and stays one)
        same_area = {e.grade for e in grades_of(q, scheme)} & {e.grade for e in grades_of(price, scheme)}
        if q != price and n > here and n >= 2 and n >= len(group) - 1 and same_area:
            out[service] = q
            entries = grades_of(q, scheme)
            where = ", ".join(sorted({f"{e.grade} {e.klass}" for e in entries})) or "not in the 地域単価 table"
            rec.findings.append(findings.make(
                "unit-price-inferred", group[0].source, printed=f"{q}円", expected=f"{where}; {service}",
                explained=n, rows=len(group), price=q,
            ))
            rec.explained += n - here
    return out


def _alone(rec: Reconciled, rows: list[TariffRow], scheme: str | None) -> None:
    """Totals printed alone, with no units (yen_alone.py): a document priced by nothing else
    takes the one 地域単価 that gives them; each is then held to its price."""
    yen = yen_alone.alone(rows, rec.tables)
    if not yen:
        return
    if rec.unit_price is not None and not rec.priced:  # a stated price held only by totals alone
        rec.priced = len(yen)
        rec.explained = sum(yen_alone.units_for(r.amounts["total"], r.unit_price or rec.unit_price) is not None for r in yen)
    if rec.unit_price is None and not any(r.unit_price for r in yen):
        found = yen_alone.infer_price(yen, [p for p, _ in _candidates(scheme, set())])
        if found is None:
            return
        p, n = found
        rec.unit_price, rec.unit_price_source, rec.explained, rec.priced = p, "inferred", n, len(yen)
        entries = grades_of(p, scheme)
        if len(entries) == 1:
            rec.grade, rec.klass = entries[0].grade, entries[0].klass
        where = f"{rec.grade}, {rec.klass}" if rec.grade else ", ".join(sorted({f"{e.grade} {e.klass}" for e in entries}))
        rec.findings.append(findings.make("unit-price-inferred", yen[0].source, printed=f"{p}円", expected=where,
                                          explained=n, rows=len(yen), price=p))
    # (a document whose tables of units round their totals half-up rounds its yen alone so too: one habit)
    habit = HALF_UP if any(f.code == "rounding-habit" and f.data.get("habit") == HALF_UP for f in rec.findings) else None
    rec.findings += yen_alone.check(rows, rec.tables, lambda r: r.unit_price or rec.unit_price, habit)


def _grade_price(rec: Reconciled, priced: list[TariffRow], rows: list[TariffRow],
                 statements: list[tuple[Source, PriceStatement]]) -> bool:
    """A document that states its 級地 alone ('地域区分（2級地）') is priced by it: the 級地
    with each row's service class (data/service_classes.json) gives the price (2級地 is 11.12
    for 訪問介護, 10.72 for 通所介護). Amounts that another 地域単価 explains better make the
    statement an error. False when the document states no single 級地, or no row's service
    has a known class (the price is then inferred)."""
    grades = {st.grade for _, st in statements if st.grade}
    if len(grades) != 1:
        return False
    grade = grades.pop()
    where = next(src for src, st in statements if st.grade == grade)
    services = Counter(r.service for r in rows if r.service)
    by_service = {sv: e for sv in services if (e := grade_price(grade, sv)) is not None}
    if not by_service:
        return False
    main = max(by_service, key=lambda sv: (services[sv], sv))
    entry = by_service[main]
    rec.unit_price, rec.unit_price_source, rec.grade, rec.klass = entry.price, "grade", entry.grade, entry.klass

    def price_of(r: TariffRow) -> Decimal:
        e = by_service.get(r.service or "")
        return e.price if e is not None else entry.price

    rec.explained = sum(explains(r, price_of(r)) for r in priced)
    if not priced:
        return True
    scheme = entry.scheme
    scores = [(sum(explains(r, p) for r in priced), p) for p, _ in _candidates(scheme, set())]
    better, best = max(scores, key=lambda s: (s[0], -s[1]))
    if better > rec.explained and best != entry.price:
        other = ", ".join(sorted(f"{e.grade} {e.klass}" for e in grades_of(best, scheme)))
        rec.findings.append(findings.make(
            "stated-grade-contradicted", where, printed=grade, expected=f"{best}円 ({other})", service=main,
            price=entry.price, klass=entry.klass, explained=rec.explained, better=better, rows=len(priced),
            grade=grade, better_price=best,
        ))
    _judge(rec, priced, price_of)
    return True


def _judge(rec: Reconciled, priced: list[TariffRow], price_of) -> None:
    """Each table's rows against its habit (habits.py): a table that rounds its totals
    half-up throughout is one rounding-habit warning; every other row whose yen its price
    does not explain is an amount-mismatch."""
    conv = _copay_only_convention(rec, priced, price_of)
    covered: set[int] = set()
    groups = tables_of(priced, rec.tables)
    for habit in judge_document(groups, priced_units, price_of):
        if habit.habit == HALF_UP:
            first = habit.by_habit[0]
            u, price = priced_units(first), price_of(first)
            rec.findings.append(findings.make(
                "rounding-habit", first.source, printed=HALF_UP, expected="floor", habit=HALF_UP, n=len(habit.by_habit),
                rows=len(habit.rows), what="the total rounded half-up", law="floor(units × price)",
                example=f"{u}単位 × {price}円 = {Decimal(u) * price}, printed {first.amounts['total']:,}円",
            ))
            covered |= {id(r) for r in habit.by_habit}
    for r in priced:
        if id(r) not in covered:
            _mismatch(rec, r, price_of(r), conv)


def _copay_only_convention(rec: Reconciled, priced: list[TariffRow], price_of) -> str | None:
    """How the document splits the shares of the rows that print only shares (a 1割 sheet):
    its scheme's rule, or, for a 障害 document whose shares more rows fit the 介護 way, that
    way, reported once (copay-convention, a warning) rather than as one error per row."""
    rows = [r for r in priced if copay_only(r) and r.scheme == "shogai"]
    if not rows:
        return None
    fits = {c: [r for r in rows if explains(r, price_of(r), c)] for c in ("shogai", "kaigo")}
    if len(fits["kaigo"]) <= len(fits["shogai"]):
        return "shogai"
    differ = [r for r in fits["kaigo"] if r not in fits["shogai"]]
    r = differ[0]
    k, s = _shares(r)[0]
    total = floor_yen(priced_units(r), price_of(r))
    rec.findings.append(findings.make(
        "copay-convention", r.source, printed="介護-style split", expected="floor(10割 × 10%)",
        n=len(differ), rows=len(rows),
        example=f"{total:,}円 → {s}割 {r.amounts[k]:,}円, the 障害 rule gives {split(total, 'shogai', s)[1]:,}円",
    ))
    return "kaigo"


def _mismatch(rec: Reconciled, r: TariffRow, price: Decimal, conv: str | None = None) -> None:
    """An amount-mismatch for a row whose printed yen ``price`` does not explain (a row of
    shares only, split by ``conv`` when the document's convention for them is known)."""
    if explains(r, price, conv if r.scheme == "shogai" else None):
        return
    u = priced_units(r)
    if copay_only(r):
        c = conv if r.scheme == "shogai" else None
        total = floor_yen(u, price)
        k, s = next((k, s) for k, s in _shares(r) if _share_of(r, total, s, c) != r.amounts[k])
        printed = f"{r.amounts[k]:,}円 ({s}割)"
        expected = f"{_share_of(r, total, s, c):,}円, the {s}割 of {total:,}円"
        values = {"printed_yen": r.amounts[k], "expected_yen": _share_of(r, total, s, c), "share": s}
    else:
        printed, expected = f"{r.amounts['total']:,}円", f"{floor_yen(u, price):,}円"
        values = {"printed_yen": r.amounts["total"], "expected_yen": floor_yen(u, price), "share": None}
    rec.findings.append(findings.make(
        "amount-mismatch", r.source, printed=printed, expected=expected, units=u, price=price, **values,
    ))


def _split_of(r: TariffRow, conv: str) -> dict[str, int]:
    """What a row's printed benefit and shares should be under ``conv``, in print order: each
    user's share from its own 割 (1割, 2割 and 3割 side by side), the benefit from the first."""
    total = r.amounts["total"]
    first = next((SHARE_OF[k] for k in SHARE_OF if k in r.amounts), 1)
    out = {"benefit": split(total, conv, first)[0]} if "benefit" in r.amounts else {}
    out.update({k: split(total, conv, s)[1] for k, s in SHARE_OF.items() if k in r.amounts})
    return out


_LAW = {"kaigo": "total − floor(total × 給付率)", "shogai": "floor(total × 10%)"}


def _copay_habit(rec: Reconciled, split_rows: list[TariffRow], conv: str, fits) -> set[int]:
    """Tables whose copays are rounded (round(total × 1割/2割/3割), half-up) instead of the
    law (介護: total − floor(total × 給付率); 障害: floor(total × 10%)): one rounding-habit
    warning each, when at least two rows where the two differ follow the rounding and none
    follows the law. The ids of the rows it covers."""
    if conv not in _LAW:
        return set()
    covered: set[int] = set()
    groups = tables_of(split_rows, rec.tables)

    # a 障害 document that splits any row the 介護 way where rounding would not (4,113円 → 412円,
    # rounded 411円) follows that convention (copay-convention), not a rounding habit: in every
    # table, as an office splits all its tables one way (a table whose rows all round up alike
    # shows neither alone)
    kaigo_way = conv == "shogai" and any(
        fits(r, "kaigo") and not all(r.amounts[k] == v for k, v in rounded_shares(r).items()) for r in split_rows)

    def contradicted(g: list[TariffRow]) -> bool:
        return kaigo_way

    habits = [None if contradicted(g) else copay_habit(g, lambda r: _split_of(r, conv), lambda r: fits(r, conv))
              for g in groups]
    if any(habits):  # a table too short to show the habit alone follows its document's (judge_document)
        habits = [h or (None if contradicted(g) else
                        copay_habit(g, lambda r: _split_of(r, conv), lambda r: fits(r, conv), min_evidence=1))
                  for g, h in zip(groups, habits)]
    for habit in habits:
        if habit is None:
            continue
        first = habit.by_habit[0]
        k = next(k for k in SHARE_OF if k in first.amounts and first.amounts[k] != _split_of(first, conv)[k])
        s = SHARE_OF[k]
        total = first.amounts["total"]
        rec.findings.append(findings.make(
            "rounding-habit", first.source, printed=COPAY_ROUNDED, expected=_LAW[conv], habit=COPAY_ROUNDED,
            n=len(habit.by_habit), rows=len(habit.rows), what="the user's share rounded",
            law=_LAW[conv],
            example=f"{s}割 of {total:,}円 printed {first.amounts[k]:,}円 = round({Decimal(total) * s / 10}), "
                    f"the law gives {_split_of(first, conv)[k]:,}円",
        ))
        covered |= {id(r) for r in habit.by_habit}
    return covered


_NO_COPAY = ("居宅介護支援", "介護予防支援")  # care management: 10割 給付, no user's share


def _convention(rec: Reconciled, rows: list[TariffRow], scheme: str | None) -> None:
    split_rows = [r for r in rows if "total" in r.amounts and ("benefit" in r.amounts or any(k in r.amounts for k in SHARE_OF))]
    if not split_rows:
        return

    def fits(r: TariffRow, conv: str) -> bool:
        taken = cut(r)  # (a reduction's shares: of the floor of its negative total, or of the cut amount taken away)
        return all(r.amounts[k] == v for k, v in _split_of(r, conv).items()) or taken is not None and all(
            taken.amounts[k] == v for k, v in _split_of(taken, conv).items())

    counts = {c: sum(fits(r, c) for r in split_rows) for c in ("full", "kaigo", "shogai")}
    own = "shogai" if scheme == "shogai" else "kaigo"
    conv = max(counts, key=lambda c: (counts[c], c == own, c == "full"))
    rec.convention = conv
    # a 障害 table whose shares are rounded (round(total × 10%)) throughout follows neither
    # rule: one habit, held to the 障害 rule, whichever convention more rows happen to fit
    rounded = _copay_habit(rec, split_rows, "shogai", fits) if scheme == "shogai" else set()
    if rounded:  # shares made from total × 10%, rounded: the 障害 rule's way, not the 介護 split
        conv = rec.convention = "shogai"
    if scheme == "shogai" and conv == "kaigo":
        differ = [r for r in split_rows if fits(r, "kaigo") and not fits(r, "shogai") and id(r) not in rounded]
        if differ:
            r = differ[0]
            _, official = split(r.amounts["total"], "shogai")
            rec.findings.append(findings.make(
                "copay-convention", r.source, printed="介護-style split", expected="floor(10割 × 10%)",
                n=len(differ), rows=len(split_rows), example=f"{r.amounts['total']:,}円 → 1割 {r.amounts.get('copay1'):,}円, the 障害 rule gives {official:,}円",
            ))
    def fits_true_total(r: TariffRow) -> bool:
        """The split is right for floor(units × price): the printed total is the one typo, and
        its amount-mismatch already names the line."""
        u, price = priced_units(r), r.unit_price or rec.unit_price
        if u is None or price is None or floor_yen(u, price) == r.amounts["total"]:
            return False
        true = r.model_copy(update={"amounts": {**r.amounts, "total": floor_yen(u, price)}})
        return fits(true, conv)

    if scheme != "shogai":
        rounded = _copay_habit(rec, split_rows, conv, fits)
    for r in split_rows:
        if r.service in _NO_COPAY and fits(r, "full"):
            continue  # 居宅介護支援 and 介護予防支援 are paid whole by the insurer: a 0円 share is the law
        if not fits(r, conv) and not fits_true_total(r) and id(r) not in rounded:
            want_of = _split_of(r, conv)
            printed = " / ".join(f"{r.amounts[k]:,}円" for k in want_of)
            want = " / ".join(f"{v:,}円" for v in want_of.values())
            rec.findings.append(findings.make(
                "split-mismatch", r.source, printed=printed, expected=want, total=r.amounts["total"], convention=conv,
                printed_split={k: r.amounts[k] for k in want_of}, expected_split=want_of,
            ))


_RATE_FORMS = re.compile(
    # a zero denominator is no rate (never a division by zero)
    r"(?:(?P<num>\d+)\s*/\s*(?P<den>0*[1-9]\d*)(?!\d)|(?P<bden>0*[1-9]\d*)\s*分の\s*(?P<bnum>\d+)|(?P<pct>\d+(?:\.\d+)?)\s*%)"
    r"(?!\s*(?:以上|未満|超|を超え))"  # a threshold ('80%以上') is not a rate
)


def _rates(rec: Reconciled, rows: list[TariffRow]) -> None:
    """A rate restated in the row's label or conditions (所定単位数の95%) must be the
    rate read (×90/100 is a contradiction)."""
    for r in rows:
        if r.rate is None:
            continue
        read = {abs(r.rate), abs(1 + r.rate)} if r.rate_op == "add" else {r.rate}
        for m in _RATE_FORMS.finditer(" ".join([r.label, *r.conditions])):
            if m.group("num"):
                v = Decimal(m.group("num")) / Decimal(m.group("den"))
            elif m.group("bden"):
                v = Decimal(m.group("bnum")) / Decimal(m.group("bden"))
            else:
                v = Decimal(m.group("pct")) / 100
            if v not in read:
                rec.findings.append(findings.make("rate-mismatch", r.source, printed=m.group(0), expected=f"{r.rate} ({r.rate_op})",
                                                  rate=r.rate, rate_op=r.rate_op))
                break


MIN_LEVELS = 3  # care levels two bands must share, unit for unit, to be one table printed twice


def _repeated_bands(rec: Reconciled, rows: list[TariffRow]) -> None:
    """Two time bands of one service whose base units are the same for every care level
    (at least MIN_LEVELS of them): no official table gives two bands the same units, so the
    later band is a table copied under the wrong heading (its units are those of the other)."""
    bands: dict[tuple, dict[str, dict[str, TariffRow]]] = {}
    for r in rows:
        if r.kind != "base" or r.units is None or not r.time_band or not r.care_levels:
            continue
        item = r.item.replace(r.time_band, "").strip()  # a table headed by its band names its rows by it
        by_level = bands.setdefault((r.scheme, r.service, item, tuple(r.conditions)), {}).setdefault(r.time_band, {})
        for lv in r.care_levels:
            by_level.setdefault(lv, r)
    for (_, service, item, _), by_band in bands.items():
        seen = list(by_band.items())
        for i, (band, levels) in enumerate(seen):
            other = next((ob for ob, ol in seen[:i] if len(levels) >= MIN_LEVELS and levels.keys() == ol.keys()
                          and all(levels[lv].units == ol[lv].units for lv in levels)), None)
            if other is None:
                continue
            first = min(levels.values(), key=lambda r: (r.page or 0, r.line or 0))
            theirs = min(by_band[other].values(), key=lambda r: (r.page or 0, r.line or 0))
            units = ", ".join(f"{lv} {r.units}" for lv, r in levels.items())
            rec.findings.append(findings.make(
                "repeated-band-units", first.source, printed=band, expected=other, item=service or item,
                band=band, other_band=other, units=units, other_line=theirs.line,
            ))


def _contexts(rows: list[TariffRow]) -> dict[int, tuple]:
    """Where each row was read: the title it was read under (its first source line, when
    that is above the row: '【併設型ショートステイ】' and '【単独型ショートステイ】' head two
    tables of the same items), and the service the last row of that title that named one
    named ('介護予防訪問入浴介護費（全身入浴）' heads the rows under it, '清拭又は部分浴の場合' its
    variant, as '訪問入浴介護費' heads the same variant above it)."""
    out: dict[int, tuple] = {}
    block: dict[tuple, str | None] = {}
    for r in sorted(rows, key=lambda r: (r.page or 0, r.line or 0)):
        first = r.source.lines[0] if r.source.lines else r.line
        title = (r.page, first) if first is not None and r.line is not None and first < r.line else None
        named = find_service(r.item) if r.item else None
        if named is not None:
            block[title] = named.name
        out[id(r)] = (title, block.get(title))
    return out


def _limits(rec: Reconciled, rows: list[TariffRow]) -> None:
    """The 区分支給限度基準額 a fee table prints beside each care level (its 限度額 columns, set
    aside by the reader): units that are not the limit in force are one `stale-limit` per
    table, and yen that are not those units at the price of the table's fees (or, the price
    unknown, at a price none of its fees is at) one `limit-price-mismatch` per table."""
    in_force = benefits()["kaigo"]["limits"]
    prices = sorted({e.price for e in price_table() if e.scheme == "kaigo"})
    for t in rec.tables:
        by_line: dict[tuple, dict] = {}
        for a in t.get("set_aside", ()):
            if a.get("role") == "limit":
                by_line.setdefault((a["page"], a["line"]), {}).update(
                    {"units": a["units"]} if "units" in a else {"amount": a["amount"]})
        if not by_line:
            continue
        stale, priced = [], []
        for r in rows:
            limit = by_line.get((r.page, r.line))
            if limit is None or len(r.care_levels) != 1:
                continue
            level = r.care_levels[0]
            units = limit.get("units")
            if units is not None and level in in_force["units"] and units != in_force["units"][level]:
                stale.append((r, level, units, in_force["units"][level]))
            if units is not None and limit.get("amount") is not None:
                priced.append((r, units, limit["amount"]))
        if stale:
            first = stale[0][0]
            rec.findings.append(findings.make(
                "stale-limit", first.source, printed=f"{stale[0][2]}単位", expected=f"{stale[0][3]}単位",
                n=len(stale), since=in_force["effective_from"],
                changes=", ".join(f"{lv} {u}→{now}" for _, lv, u, now in stale),
            ))
        own = rec.unit_price
        fits = [p for p in prices if all(floor_yen(u, p) == y for _, u, y in priced)] if priced else []
        off = [(r, u, y) for r, u, y in priced if own is None or floor_yen(u, own) != y]
        if off and fits and (own is None or own not in fits):
            r, u, y = off[0]
            rec.findings.append(findings.make(
                "limit-price-mismatch", r.source, printed=f"{y:,}円", expected=f"{floor_yen(u, own):,}円" if own else None,
                units=u, price=fits[0], fee_price=own, n=len(off),
            ))


@lru_cache(maxsize=1)
def benefits() -> dict:
    """Who pays (data/benefits.json, from DOMAIN.md): the 区分支給限度基準額 in force by care
    level, and the services insurance pays whole; read once, for the check and the calculator."""
    return json.loads(resources.files("extractor.data").joinpath("benefits.json").read_text("utf-8"))


def _duplicates(rec: Reconciled, rows: list[TariffRow]) -> None:
    """The same item printed twice in one document with different units, read under one
    title and service (see ``_contexts``)."""
    seen: dict[tuple, TariffRow] = {}
    context = _contexts(rows)
    for r in rows:
        if r.units is None or not r.item or r.order is not None:
            continue  # 注 modifiers carry no イ/ロ context: two of them may rightly differ
        key = (r.service, r.item, tuple(r.care_levels), r.time_band, tuple(r.conditions), r.kind, r.order, r.effective_from,
               context[id(r)])
        other = seen.get(key)
        if other is None:
            seen[key] = r
        elif other.units != r.units:
            rec.findings.append(findings.make(
                "duplicate-item-units", r.source, printed=f"{r.units}単位", expected=f"{other.units}単位",
                other=f"line {other.line}" if other.line else "elsewhere", other_line=other.line,
                printed_units=r.units, expected_units=other.units,
            ))
