"""Reference tariffs: what a document's units are compared with.

A reference is a list of rows keyed like extracted rows: service, item, care levels,
time band, conditions, period. It comes from
- a service-code table (CSV: service_type,service_code,short_name,units[,effective_from,
  effective_to]) through the reviewed name map data/service_code_names.json;
- rows written by `tariff extract` (JSONL) or documents (JSON);
- the other documents of the same run (peers: they disagree, they do not rule).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

import regex as re

from . import findings
from .model import DocumentResult, Finding, Source, TariffRow
from .prices import floor_yen
from .revisions import start_of
from .reading.lines import surcharge_rate
from .sources.base import BadInput


@dataclass
class Reference:
    name: str
    rows: list[TariffRow]
    authoritative: bool = True
    keywords: bool = False  # conditions are keywords that a matched row must contain
    sha256: str | None = None  # of the file it was read from


@lru_cache(maxsize=1)
def _code_names_data() -> dict:
    return json.loads(resources.files("extractor.data").joinpath("service_code_names.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def caseload_bands() -> dict[str, tuple[int, int | None]]:
    """The caseload band of each 居宅介護支援費 tier (data/service_code_names.json)."""
    return {k: (v[0], v[1]) for k, v in _code_names_data()["caseload_bands"].items() if not k.startswith("_")}


def _band(f: TariffRow) -> tuple[int, int | None] | None:
    """A reference row's caseload band: printed in its conditions, or known for its tier."""
    return interval(f.conditions) or caseload_bands().get(f.item)


@lru_cache(maxsize=1)
def code_names() -> dict[str, dict]:
    return _code_names_data()["names"]


def builtin_older() -> Reference:
    """Values of earlier 改定 the tool knows (data/service_codes_r3_excerpt.csv), for
    telling a stale table from a typo."""
    path = resources.files("extractor.data").joinpath("service_codes_r3_excerpt.csv")
    with resources.as_file(path) as p:
        return load_codes(Path(p), "令和3年度 (built in)")


def older_source() -> str:
    """Where the built-in earlier values come from (data/service_codes_r3_excerpt.source)."""
    return resources.files("extractor.data").joinpath("service_codes_r3_excerpt.source").read_text("utf-8").strip()


def load(path: Path) -> Reference:
    """Load a reference file (or a dataset folder); one clear BadInput when it is not one."""
    if path.is_dir() and (path / "items.jsonl").is_file():
        try:
            return load_dataset(path)
        except ValueError as e:
            raise BadInput(str(path), f"has an unreadable items.jsonl ({str(e).splitlines()[0]})", "rebuild it with `tariff build`") from None
    if not path.is_file():
        raise BadInput(str(path), "no such reference file", "give a service-code CSV or `tariff extract` JSONL")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return _hashed(load_codes(path, path.name), path)
        if suffix in (".jsonl", ".json"):
            return _hashed(load_rows(path), path)
    except (ValueError, KeyError, json.JSONDecodeError) as e:
        raise BadInput(str(path), f"is not a reference tariff ({e})", "give a service-code CSV or `tariff extract` JSONL") from None
    raise BadInput(str(path), f"unsupported reference type '{suffix}'", "give a .csv service-code table or .jsonl rows")


def _hashed(ref: Reference, path: Path) -> Reference:
    ref.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return ref


def load_codes(path: Path, name: str) -> Reference:
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not {"short_name", "units"} <= set(reader.fieldnames or []):
            raise ValueError("needs short_name and units columns")
        for n, rec in enumerate(reader, start=2):
            rows.extend(_code_rows(rec, name, n, raw=",".join(str(v) for v in rec.values())))
    return Reference(name, rows, authoritative=True, keywords=True)


def _code_rows(rec: dict, name: str, n: int, raw: str, start: date | None = None) -> list[TariffRow]:
    """The rows of one service code that the name map knows (none for a code it does not):
    one for its band, and one for each other way documents print that band
    (``also_time_bands``: 身体介護３ is 1時間以上, or 1時間以上1時間30分未満 beside the next band's row)."""
    row = _code_row(rec, name, n, raw, start)
    if row is None:
        return []
    also = code_names()[rec["short_name"].strip()].get("also_time_bands", [])
    return [row] + [row.model_copy(update={"time_band": band}) for band in also]


def _code_row(rec: dict, name: str, n: int, raw: str, start: date | None = None) -> TariffRow | None:
    """The row of one service code that the name map knows, or None. ``start`` dates a code
    whose record gives no period (the built-in table: when its revision took effect)."""
    spec = code_names().get(rec["short_name"].strip())
    if spec is None:
        return None
    frm = date.fromisoformat(rec["effective_from"]) if rec.get("effective_from") else None
    to = date.fromisoformat(rec["effective_to"]) if rec.get("effective_to") else None
    if frm is None and to is None and start is not None:
        frm = start
    return TariffRow(
        doc=name, line=n, scheme="kaigo", service=spec["service"], item=spec["item"], label=rec["short_name"],
        kind=spec.get("kind", "base"), care_levels=spec.get("care_levels", []), time_band=spec.get("time_band"),
        conditions=spec.get("conditions", []), units=int(rec["units"]), effective_from=frm, effective_to=to,
        source=Source(doc=name, line=n, raw=raw),
    )


BUILTIN_NAME = "令和6年度 service-code table (built in)"
BUILTIN_TABLE = "service_codes_r6.json"  # its revision is the one whose code_table names it (data/revisions.json)


@lru_cache(maxsize=1)
def _builtin_data() -> dict:
    return json.loads(resources.files("extractor.data").joinpath("service_codes_r6.json").read_text("utf-8"))


def builtin_source() -> dict:
    """Where the built-in table comes from: file, origin, sha256, rows (data/service_codes_r6.json)."""
    return dict(_builtin_data()["source"])


def builtin_reference(calendar=None) -> Reference:
    """The official 令和6年度 units of the plain codes the name map covers, shipped in the
    package (data/service_codes_r6.json, built by scripts/build_reference.py). Each code
    holds from the day its revision took effect for its service (data/revisions.json,
    the revision whose ``code_table`` is this file) until the day before the next revision
    of the calendar takes effect for that service."""
    from .revisions import builtin_calendar

    cal = calendar or builtin_calendar()
    rev = cal.table_revision(BUILTIN_TABLE)
    rows = []
    for n, rec in enumerate(_builtin_data()["codes"], start=1):
        spec = code_names().get(rec["short_name"])
        raw = f"{rec['service_code']} {rec['short_name']} {rec['units']}単位"
        start = (rev.start_for(spec["service"]) if rev else start_of("kaigo", spec["service"])) if spec else None
        for row in _code_rows({**rec, "units": str(rec["units"])}, BUILTIN_NAME, n, raw=raw, start=start):
            nxt = cal.next_start("kaigo", row.service, start) if start else None
            if nxt is not None:
                row.effective_to = nxt.start_for(row.service) - timedelta(days=1)
            rows.append(row)
    return Reference(BUILTIN_NAME, rows, authoritative=True, keywords=True, sha256=builtin_source()["sha256"])


def load_dataset(folder: Path) -> Reference:
    """A dataset (`tariff build`) as a reference: every item with units, with its period.
    A document is held to the values in force on its date, and a value of an earlier
    period is a stale one (check_units)."""
    from .dataset import load as load_items

    rows = []
    for n, it in enumerate(load_items(folder), start=1):
        if it.units is None or it.service is None or it.status == "disputed":
            continue
        raw = f"{it.id} {it.item} {it.units}単位 {it.effective_from or '?'}〜{it.effective_to or ''}"
        rows.append(TariffRow(
            doc=folder.name, line=n, scheme=it.scheme, service=it.service, item=it.item, label=it.item, kind=it.kind,
            care_levels=it.care_levels, time_band=it.time_band, conditions=it.conditions, units=it.units, order=it.order,
            effective_from=it.effective_from, effective_to=it.effective_to, source=Source(doc=folder.name, line=n, raw=raw)))
    ref = Reference(f"dataset {folder.name}", rows, authoritative=True)
    ref.sha256 = hashlib.sha256((folder / "items.jsonl").read_bytes()).hexdigest()
    return ref


def load_rows(path: Path) -> Reference:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        raw = [r for d in data["documents"] for r in d["rows"]]
    else:
        raw = [json.loads(line) for line in text.splitlines() if line.strip()]
    return Reference(path.name, [TariffRow.model_validate(r) for r in raw], authoritative=True)


# -- matching ---------------------------------------------------------------------------

_INTERVAL = re.compile(
    r"(?P<lo>\d+)\s*(?:人|件)?\s*以上\s*(?:(?P<hi>\d+)\s*(?:人|件)?\s*未満)?|(?P<only>\d+)\s*(?:人|件)?\s*未満"
)


def interval(conditions: list[str]) -> tuple[int, int | None] | None:
    """The caseload band a row's conditions end with: '50以上60人未満の部分' -> (50, 60)."""
    found = list(_INTERVAL.finditer(" ".join(conditions)))
    if not found:
        return None
    m = found[-1]
    if m.group("only"):
        return 0, int(m.group("only"))
    return int(m.group("lo")), int(m.group("hi")) if m.group("hi") else None


_TIER_TAIL = re.compile(r"(\((?:[^()]+)\)|[イロハニホ])$")


_FEE = re.compile(r"費(?=(?:\([^()]+\)|[イロハニホ])*$)")


def related(a: str, b: str) -> bool:
    """Same item, or one is the other with more tiers: 居宅介護支援費(Ⅰ) ~ 居宅介護支援費(Ⅰ)(i).
    A fee is the same with or without 費 before its tiers: 訪問看護 ~ 訪問看護費."""
    a, b = _FEE.sub("", a, count=1), _FEE.sub("", b, count=1)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    rest = long_[len(short):] if long_.startswith(short) else None
    return bool(rest) and re.fullmatch(r"(?:\([^()]+\)|[イロハニホ])+", rest) is not None


def _overlap(r: TariffRow, f: TariffRow) -> bool:
    lo = max(r.effective_from or date.min, f.effective_from or date.min)
    hi = min(r.effective_to or date.max, f.effective_to or date.max)
    return lo <= hi


# the kinds of office a code may be priced for: a document that names one of them (a 訪問看護
# ステーション's fee sheet) gives it to rows that do not name it themselves
OFFICE_WORDS = ("訪問看護ステーション", "病院又は診療所")

# a base fee named by the document's own heading ('通所介護 基本料金') is the reference's base
# fee of its service, band and care levels, unless the row names another kind of the service
OTHER_KINDS = {"通常規模型通所介護費": ("大規模", "療養通所", "地域密着", "認知症対応", "短時間")}


def office_context(text: str) -> frozenset[str]:
    """The kind of office a document names (OFFICE_WORDS), when it names exactly one."""
    named = {w for w in OFFICE_WORDS if w in text}
    return frozenset(named) if len(named) == 1 else frozenset()


def _same_base(r: TariffRow, f: TariffRow, text: str) -> bool:
    """``r`` is ``f``'s base fee under another name: both base fees of one service, for the
    same care levels and time band (a grid of bands × levels names its fee by its heading),
    and the row names no other kind of the service (大規模型 …)."""
    if r.kind != "base" or f.kind != "base" or not r.service or r.service != f.service:
        return False
    if not (r.care_levels and r.time_band) or f.item not in OTHER_KINDS:
        return False
    return not any(w in text for w in OTHER_KINDS[f.item])


def matches(r: TariffRow, ref: Reference, *, any_item: bool = False,
            context: frozenset[str] = frozenset()) -> list[TariffRow]:
    """Reference rows that price the same thing as ``r``. ``context``: the keywords the
    document gives its rows (office_context)."""
    out = []
    text = " ".join(r.conditions + [r.label])
    band = interval(r.conditions)
    for f in ref.rows:
        if f.units is None or f.order is not None:
            continue
        if r.order is not None and (any_item or r.item != f.item):
            continue  # a 注 modifier matches only by its exact name
        if r.service and f.service and r.service != f.service:
            continue
        if ref.keywords and f.service and not r.service:
            continue  # a code prices one service; a row whose service the document never names is not held to it
        if set(r.care_levels) != set(f.care_levels) or r.time_band != f.time_band:
            continue
        if not any_item and not related(r.item, f.item) and not (ref.keywords and _same_base(r, f, text)):
            continue
        if (r.kind == "base") != (f.kind == "base") or not _overlap(r, f):
            continue
        if ref.keywords and not all(k in text or k in context for k in f.conditions):
            continue
        if ref.keywords and band is not None and caseload_bands().get(f.item, band) != band:
            continue  # 居宅介護支援費(Ⅰ) 担当件数45件未満 is the (Ⅰ)(i) code, not (ii) or (iii)
        if not ref.keywords:
            fb = interval(f.conditions)
            if band is not None and fb is not None and band != fb:
                continue
            if r.item != f.item and not any_item and (band is None or fb is None):
                continue  # 居宅介護支援費(Ⅰ) is (Ⅰ)(i) only when the caseload bands say so
        out.append(f)
    if ref.keywords and out:  # the most specific code wins: ステーション+理学療法士 over ステーション
        best = max(len(f.conditions) for f in out)
        out = [f for f in out if len(f.conditions) == best]
    return out


def _where(f: TariffRow, ref: Reference) -> str:
    return f"{ref.name}" + (f" line {f.line}" if f.line and not ref.keywords else f" ({f.label})" if ref.keywords else "")


def one_digit(a: int, b: int) -> bool:
    sa, sb = str(a), str(b)
    return len(sa) == len(sb) and sum(x != y for x, y in zip(sa, sb)) == 1


def _covers(f: TariffRow, on: date) -> bool:
    return (f.effective_from or date.min) <= on <= (f.effective_to or date.max)


def check_units(result: DocumentResult, refs: list[Reference], older: Reference | None,
                confirmed: set | None = None, on: date | None = None, calendar=None,
                context: frozenset[str] = frozenset()) -> list[Finding]:
    """Unit values against references. Rows an authoritative reference confirms are added
    to ``confirmed`` as (page, line, units). A document dated ``on`` is held to the values
    in force on that day (when a reference has one), and a value a reference held only
    before that day is a stale one, naming the revision the document missed. ``context``:
    the keywords the document gives its rows (office_context)."""
    from .revisions import builtin_calendar

    cal = calendar or builtin_calendar()
    out: list[Finding] = []
    ordered = sorted(refs, key=lambda ref: not ref.authoritative)
    for r in result.rows:
        if r.units is None:
            continue
        for ref in ordered:
            every = matches(r, ref, context=context)
            cands = every
            if on is not None:  # the values in force on the document's date; else none that had ended by then
                nxt = cal.next_start(r.scheme or "kaigo", None, on)
                builtin = cal.table_revision(BUILTIN_TABLE)
                if every and nxt is not None and builtin is not None and on < builtin.effective \
                        and all((f.effective_from or date.min) >= nxt.effective for f in every):
                    continue  # dated before the 改定 that set every value held: an earlier 改定's (stale-document), not typos
                cands = [f for f in every if _covers(f, on)] or [f for f in every if (f.effective_to or date.max) >= on]
            values = {f.units for f in cands}
            if (raised := surcharge_rate(r.conditions)) is not None:
                # units raised for a time of day ('深夜 50%増' over the grid): each code's units raised so, rounded
                cands = [f.model_copy(update={"units": int((Decimal(f.units) * (1 + raised)).quantize(Decimal(1), ROUND_HALF_UP))})
                         for f in cands]
                values = {f.units for f in cands}
            if len(values) != 1:
                continue
            if r.units in values:
                if ref.authoritative:
                    if confirmed is not None:
                        confirmed.add((r.page, r.line, r.units))
                    break  # confirmed by a reference: peers do not overrule it
                continue
            f = cands[0]
            item = r.item + (" " + "・".join(r.care_levels) if r.care_levels else "") + (f" {r.time_band}" if r.time_band else "")
            stale = [o for o in (matches(r, older, context=context) if older else []) if o.units == r.units]
            earlier = [o for o in every if on is not None and o.units == r.units and o.effective_to is not None
                       and o.effective_to < on and o.effective_from is not None and f.effective_from is not None
                       and o.effective_to < f.effective_from]
            if stale:
                o = stale[0]
                out.append(findings.make(
                    "stale-value", r.source, printed=f"{r.units}単位", expected=f"{f.units}単位", item=item,
                    reference=_where(f, ref), printed_units=r.units, expected_units=f.units,
                    revision=older.name, revision_from=o.effective_from, revision_to=o.effective_to,
                    revision_source=older_source(), older=f"{o.effective_from}–{o.effective_to}, {older.name}",
                    **_missed(cal, r, o),
                ))
            elif earlier:
                o = max(earlier, key=lambda x: x.effective_to)
                was = cal.starting(r.scheme or o.scheme, o.service, o.effective_from)
                name = was.name if was else f"{o.effective_from}〜{o.effective_to}"
                out.append(findings.make(
                    "stale-value", r.source, printed=f"{r.units}単位", expected=f"{f.units}単位", item=item,
                    reference=_where(f, ref), printed_units=r.units, expected_units=f.units,
                    revision=name, revision_from=o.effective_from, revision_to=o.effective_to,
                    revision_source=ref.name, older=f"{o.effective_from}–{o.effective_to}, {name}",
                    **_missed(cal, r, o),
                ))
            elif ref.authoritative:
                hint = " (one digit differs: a misread digit?)" if one_digit(r.units, f.units) else ""
                out.append(findings.make(
                    "reference-mismatch", r.source, printed=f"{r.units}単位", expected=f"{f.units}単位",
                    item=item, hint=hint, reference=_where(f, ref), printed_units=r.units, expected_units=f.units,
                ))
            else:
                out.append(findings.make(
                    "peer-disagreement", r.source, printed=f"{r.units}単位", expected=f"{f.units}単位",
                    item=item, reference=_where(f, ref), printed_units=r.units, expected_units=f.units,
                ))
            break
    return out


def _missed(cal, r: TariffRow, o: TariffRow) -> dict:
    """The revision a stale value missed: the one that took effect the day after its period ended."""
    if o.effective_to is None:
        return {}
    rev = cal.starting(r.scheme or o.scheme or "kaigo", r.service or o.service, o.effective_to + timedelta(days=1))
    return {"missed": rev.name, "missed_from": rev.start_for(r.service or o.service)} if rev else {}


def stale_tables(result: DocumentResult, found: list[Finding]) -> list[Finding]:
    """One stale-revision error per table (the reader's tables, habits.tables_of) and earlier
    改定 whose rows have stale-value findings: the table is stale, its rows are not typos.
    Read from the findings' fields (printed_units, revision...), never their messages."""
    from .habits import tables_of

    stale = {(f.page, f.line, f.data.get("printed_units")): f for f in found if f.code == "stale-value"}
    rows = [r for r in result.rows if (r.page, r.line, r.units) in stale]
    out: list[Finding] = []
    for group in tables_of(rows, result.tables):
        by_revision: dict[str, list[tuple[TariffRow, Finding]]] = {}
        for r in group:
            f = stale[(r.page, r.line, r.units)]
            by_revision.setdefault(f.data["revision"], []).append((r, f))
        for revision, pairs in by_revision.items():
            first = pairs[0][1].data
            changes = [{"page": r.page, "line": r.line, "item": f.data["item"], "printed_units": f.data["printed_units"],
                        "current_units": f.data["expected_units"]} for r, f in pairs]
            missed = {k: first[k] for k in ("missed", "missed_from") if k in first}
            out.append(findings.make(
                "stale-revision", pairs[0][0].source, printed=revision, expected="the current units", **missed,
                revision=revision, revision_from=first["revision_from"], revision_to=first["revision_to"],
                revision_source=first["revision_source"], reference=first["reference"], n=len(pairs), rows=changes,
                changes=", ".join(f"{c['item']} {c['printed_units']}→{c['current_units']}単位" for c in changes),
            ))
    return out


def official_units(result: DocumentResult, refs: list[Reference], context: frozenset[str] = frozenset()) -> DocumentResult:
    """The document as the arithmetic sees it: each row printed in yen only (a grid of 10割
    or 1割 by band and care level) that an authoritative reference prices with one unit
    value gets those units, so that its yen are held to the official units and can give
    the price. Tier tables by caseload band are left to check_yen_only. The rows written
    out (`tariff extract`, the dataset) are never changed: this is a copy."""
    official = [ref for ref in refs if ref.authoritative]
    rows, changed = [], False
    for r in result.rows:
        if r.units is None and r.amounts and r.order is None and r.step is None and interval(r.conditions) is None:
            for ref in official:
                values = {f.units for f in matches(r, ref, context=context)}
                if len(values) == 1:
                    r = r.model_copy(update={"units": values.pop()})
                    changed = True
                    break
        rows.append(r)
    return result.model_copy(update={"rows": rows}) if changed else result


def check_yen_only(result: DocumentResult, price: Decimal | None, refs: list[Reference]) -> list[Finding]:
    """Rows printed in yen only (tier tables by caseload): match each to reference items by
    care levels and caseload band; the table's schedule is what all its rows agree on."""
    if price is None:
        return []
    rows = [r for r in result.rows if r.units is None and "total" in r.amounts and r.order is None]
    out: list[Finding] = []
    tables: dict[tuple, list[TariffRow]] = {}
    for r in rows:
        tables.setdefault((r.service, r.conditions[0] if r.conditions else ""), []).append(r)
    decided: set[int] = set()  # a row is judged by the first reference that knows it (official first)
    for ref in sorted(refs, key=lambda ref: not ref.authoritative):
        for group in tables.values():
            family = {_stem(r.item) for r in group}
            cand = {id(r): [f for f in matches(r, ref, any_item=True) if _stem(f.item) in family and interval(r.conditions) is not None and _band(f) == interval(r.conditions)] for r in group}
            schedules = None
            for r in group:
                s = {_schedule(f.item) for f in cand[id(r)]}
                if s:
                    schedules = s if schedules is None else schedules & s
            if not schedules or len(schedules) != 1:
                continue
            schedule = next(iter(schedules))
            for r in group:
                own = [f for f in cand[id(r)] if _schedule(f.item) == schedule]
                if len({f.units for f in own}) != 1 or id(r) in decided:
                    continue
                decided.add(id(r))
                f = own[0]
                total = r.amounts["total"]
                if floor_yen(f.units, price) == total:
                    continue
                fits = [g for g in ref.rows if g.units is not None and set(g.care_levels) == set(r.care_levels)
                        and _stem(g.item) in family and floor_yen(g.units, price) == total]
                if fits:
                    g = fits[0]
                    out.append(findings.make(
                        "reference-other-item", r.source, printed=f"{total:,}円",
                        expected=f"{g.item} {'・'.join(g.care_levels)}", fits=f"{g.units}単位 × {price}円",
                        item=f"{f.item}", own=f"{f.units}単位 = {floor_yen(f.units, price):,}円", reference=_where(f, ref),
                        printed_yen=total, price=price, units=f.units, other_item=g.item, other_units=g.units,
                    ))
                else:
                    out.append(findings.make(
                        "amount-mismatch", r.source, printed=f"{total:,}円",
                        expected=f"{floor_yen(f.units, price):,}円", units=f.units, price=price,
                        printed_yen=total, expected_yen=floor_yen(f.units, price), share=None,
                    ))
    return out


def _stem(item: str) -> str:
    return re.sub(r"(?:\([^()]+\)|[イロハニホ])+$", "", item)


def _schedule(item: str) -> str:
    """The fee schedule an item belongs to: 居宅介護支援費(Ⅱ)(ii) -> 居宅介護支援費(Ⅱ)."""
    return _TIER_TAIL.sub("", item)
