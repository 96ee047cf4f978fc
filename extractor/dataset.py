"""The canonical tariff dataset (`normalized/`): rows from every document merged into
items, each with every source that attests it, dated, and disputed where sources or
checks disagree. Written deterministically: stable order, sorted keys, UTF-8.

  normalized/items.jsonl     one item per line: the source of truth
  normalized/schema.json     JSON Schema of an item (from the pydantic model)
  normalized/manifest.json   schema version, sources with sha256, counts, revision dates
  normalized/unit_prices.csv 地域単価 by scheme × class × 級地 × period
  normalized/calendar.json   the revisions the dataset was built with, and every value
                             outside the items (地域単価, limits, caps, 処遇改善 rates) by period
  normalized/errata.json     reviewed corrections (input: kept as it is)
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_serializer, model_serializer


from . import periods, revisions
from .check import Report
from .model import DocumentResult, Step, TariffRow
from .reference import interval
from .terms import CARE_ORDER

# 2: period_source "revision" (a value dated by `tariff build --revision`), calendar.json,
# the manifest's "established" (which documents established which period)
SCHEMA_VERSION = "2"


class Attestation(BaseModel):
    """One source that prints the item: where, and what it printed."""

    model_config = ConfigDict(extra="forbid")
    doc: str
    sha256: str
    page: int | None = None
    line: int | None = None
    bbox: list[Decimal] | None = None
    cell: str | None = None  # a spreadsheet's sheet and cells, or an HTML/Word table and row
    raw: str
    units: int | None = None
    rate: Decimal | None = None
    step: Step | None = None
    amounts: dict[str, int] = Field(default_factory=dict)
    unit_price: Decimal | None = None

    @field_serializer("bbox")
    def _bbox(self, v):
        return None if v is None else [str(x) for x in v]

    @field_serializer("rate", "unit_price")
    def _dec(self, v):
        return None if v is None else str(v)

    @model_serializer(mode="wrap")
    def _without_empty_cell(self, handler):
        """``cell`` only for a source that names one: datasets built from PDF and text stay as they were."""
        d = handler(self)
        if isinstance(d, dict) and d.get("cell") is None:
            d.pop("cell", None)
        return d


class Dispute(BaseModel):
    """A value some source or check disagrees with: what was printed, what is expected."""

    model_config = ConfigDict(extra="forbid")
    printed: str
    expected: str
    code: str
    message: str
    # the finding's fields (Finding.data), for the build to read; not written to the dataset
    _data: dict = PrivateAttr(default_factory=dict)

    @property
    def data(self) -> dict:
        return self._data


class Erratum(BaseModel):
    model_config = ConfigDict(extra="forbid")
    printed: str
    corrected: str
    reason: str
    evidence: str


class Item(BaseModel):
    """A canonical tariff item: key, value, period, status and every source."""

    model_config = ConfigDict(extra="forbid")
    id: str
    scheme: str | None
    service: str | None
    item: str
    kind: str
    care_levels: list[str] = Field(default_factory=list)
    time_band: str | None = None
    conditions: list[str] = Field(default_factory=list)
    basis: str | None = None
    order: int | None = None
    limit: str | None = None
    units: int | None = None
    rate: Decimal | None = None
    rate_op: str | None = None
    step: Step | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    # how the period is known: printed by a source; the start of the revision whose
    # official code table confirms the value; the period of the earlier 改定 a stale value
    # belongs to; the revision in force on the date its document shows itself current
    # (the revision dates it prints, a confirmed row, an item a revision introduced); the
    # revision a build was told its documents are (`tariff build --revision`); or unknown
    period_source: Literal["printed", "reference", "older-reference", "document", "revision", "unknown"] = "unknown"
    status: Literal["agreed", "disputed", "corrected"] = "agreed"
    disputes: list[Dispute] = Field(default_factory=list)
    erratum: Erratum | None = None
    sources: list[Attestation] = Field(default_factory=list)

    @field_serializer("rate")
    def _dec(self, v):
        return None if v is None else str(v)


def _value(r) -> tuple:
    return (r.units, r.rate, r.step.units if r.step else None, r.step.minutes if r.step else None)


def _compatible(a: list[str], b: list[str]) -> bool:
    """Conditions that may describe the same item: one side silent, the same caseload
    band, or the same words."""
    if not a or not b:
        return True
    ia, ib = interval(a), interval(b)
    if ia is not None and ib is not None:
        return ia == ib
    return [c.replace(" ", "") for c in a] == [c.replace(" ", "") for c in b]


def _key(r: TariffRow) -> tuple:
    return (r.scheme, r.service, r.item, tuple(r.care_levels), r.time_band, r.kind, r.order,
            r.effective_from, r.effective_to)


def _sort_key(it: Item) -> tuple:
    levels = [CARE_ORDER.index(c) if c in CARE_ORDER else 99 for c in it.care_levels]
    return (it.scheme or "", it.service or "", it.item, levels, it.time_band or "", it.kind, it.order or 0,
            str(it.effective_from or ""), str(it.effective_to or ""), it.conditions)


def item_id(it: Item) -> str:
    unplaced = [f"{s.doc}:{s.line}" for s in it.sources] if it.service is None else []
    # the value is part of the identity: one document may print one key in two contexts
    value = [it.units, str(it.rate), it.step.units if it.step else None]
    key = json.dumps([it.scheme, it.service, it.item, it.care_levels, it.time_band, it.conditions, it.kind,
                      it.order, str(it.effective_from), str(it.effective_to), unplaced, value], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def build(report: Report, errata: list[dict] | None = None, calendar: revisions.Calendar | None = None,
          revision: str | None = None) -> list[Item]:
    """Merge every document's rows (in the order given) into items. ``revision`` names the
    revision the documents are of (`tariff build --revision`): their undated, undisputed
    values start on the day it takes effect for their service."""
    cal = calendar or revisions.builtin_calendar()
    disputed = _disputes(report)
    settled: dict[int, tuple] = {}
    evidence = Evidence(confirmed={d.result.doc: d.rec.confirmed for d in report.documents},
                        as_of={d.result.doc: on for d in report.documents if (on := _as_of(d, disputed, cal))},
                        calendar=cal, revision=revision)
    groups: dict[tuple, list[list[tuple[TariffRow, DocumentResult]]]] = {}
    for d in report.documents:
        for r in d.result.rows:
            if not r.item:
                continue  # a row whose label the text lost is in the findings, not the dataset
            # a row no service could be given (text order lost its table) is never merged
            key = _key(r) if r.service else (*_key(r), "unplaced", d.result.doc, r.line)
            bucket = groups.setdefault(key, [])
            for g in bucket:
                # one document printing two values for one key means two contexts (the イ and
                # ロ rows of a grid), not a contradiction: only other documents may dispute
                same_doc = [x for x, res in g if res is d.result]
                if same_doc and _value(same_doc[0]) != _value(r):
                    continue
                if _compatible(g[0][0].conditions, r.conditions):
                    g.append((r, d.result))
                    break
            else:
                bucket.append([(r, d.result)])
    items = []
    for bucket in groups.values():
        for g in bucket:
            items.append(_item(g, disputed, evidence))
            # the period the item has once a reviewed erratum settles its dispute
            settled[id(items[-1])] = _period(g, [], evidence)
    _apply_errata(items, errata or [], settled)
    for it in items:
        it.id = item_id(it)
    return sorted(items, key=_sort_key)




def _disputes(report: Report) -> dict[tuple[str, int | None, int | None], list[Dispute]]:
    """Error findings (and stale-value infos) that name a row's place: its value is disputed."""
    out: dict[tuple, list[Dispute]] = {}
    for d in report.documents:
        for f in d.findings:
            # a stale-value is info (its table's stale-revision is the error) but still disputes its row
            if (f.severity == "error" or f.code == "stale-value") and f.line is not None:
                dispute = Dispute(printed=f.printed or "", expected=f.expected or "", code=f.code, message=f.message)
                dispute._data = dict(f.data)
                out.setdefault((d.result.doc, f.page, f.line), []).append(dispute)
    return out


def _on_lines(disputed, doc: str, r: TariffRow) -> list[Dispute]:
    """Findings on any line the row was read from."""
    return [d for ln in (r.source.lines or [r.line]) for d in disputed.get((doc, r.page, ln), [])]


def _names(d: Dispute, r: TariffRow) -> bool:
    """A finding on a row's line concerns this row when it names this row's printed value."""
    printed = {f"{r.units}単位"} if r.units is not None else set()
    printed |= {f"{v:,}円" for v in r.amounts.values()}
    if r.step and r.step.printed_units is not None:
        printed.add(f"{r.step.printed_units}単位")
    return d.printed in printed


def _item(group: list[tuple[TariffRow, DocumentResult]], disputed, evidence: "Evidence") -> Item:
    first = group[0][0]
    conditions = max((r.conditions for r, _ in group), key=lambda c: (len(" ".join(c)), c))
    sources, disputes = [], []
    for r, res in group:
        sources.append(Attestation(
            doc=res.doc, sha256=res.sha256, page=r.page, line=r.line, bbox=r.source.bbox, cell=r.source.cell, raw=r.source.raw,
            units=r.units, rate=r.rate, step=r.step, amounts=dict(r.amounts), unit_price=r.unit_price,
        ))
        for dsp in _on_lines(disputed, res.doc, r):
            if _names(dsp, r) and all((x.code, x.printed, x.expected) != (dsp.code, dsp.printed, dsp.expected) for x in disputes):
                disputes.append(dsp)
    values = {_value(r) for r, _ in group}
    if len(values) > 1:
        printed = sorted({f"{s.doc}: {s.units if s.units is not None else s.rate}" for s in sources})
        disputes.append(Dispute(printed=" / ".join(printed), expected="one value", code="sources-disagree",
                                message=f"{len(values)} different values printed for this item"))
    # the value of a source no check disputes, read with the most confidence
    best = min(group, key=lambda rr: (any(_names(x, rr[0]) for x in _on_lines(disputed, rr[1].doc, rr[0])),
                                      -rr[0].confidence))[0]
    sources.sort(key=lambda s: (s.doc, s.page or 0, s.line or 0))
    eff_from, eff_to, how = _period(group, disputes, evidence)
    return Item(
        id="", scheme=first.scheme, service=first.service, item=first.item, kind=first.kind,
        care_levels=list(first.care_levels), time_band=first.time_band, conditions=list(conditions),
        basis=next((r.basis for r, _ in group if r.basis), None), order=first.order,
        limit=next((r.limit for r, _ in group if r.limit), None),
        units=best.units, rate=best.rate, rate_op=best.rate_op, step=best.step,
        effective_from=eff_from, effective_to=eff_to, period_source=how,
        status="disputed" if disputes else "agreed", disputes=disputes, sources=sources,
    )


@dataclass
class Evidence:
    """What dates an item: the rows each document's official reference confirmed, and the
    date each document shows itself current on (``as_of``): the latest of the revision
    dates it prints, the start of the revision whose official table confirmed its rows,
    and the date a revision introduced an item it lists. Seed 002 prints '令和6年6月改定' for one
    rate: the sheet was current on 2024-06-01, so its other, undated values are the ones
    in force then, the 令和6年度 values (from 2024-04-01 for 老健)."""

    confirmed: dict[str, set]
    as_of: dict[str, date]
    calendar: revisions.Calendar
    revision: str | None = None


def confirmed_start(cal: revisions.Calendar, scheme: str | None, service: str | None) -> date | None:
    """When a value the official code table confirms starts: the day the table's revision
    (data/revisions.json ``code_table``) took effect for the service."""
    from .reference import BUILTIN_TABLE

    rev = cal.table_revision(BUILTIN_TABLE)
    if rev is not None and rev.scheme == scheme:
        return rev.start_for(service)
    return cal.start_of(scheme, service)


def _as_of(d, disputed, cal: revisions.Calendar) -> date | None:
    """The date document ``d`` shows itself current on, or None."""
    res = d.result
    # a printed date counts when a revision took effect on it: '令和6年6月改定' dates the sheet,
    # a reduction announced to start in 2027 does not
    dates = [r.effective_from for r in res.rows if r.effective_from in cal.dates()]
    dates += [confirmed_start(cal, r.scheme, r.service) for r in res.rows if (r.page, r.line, r.units) in d.rec.confirmed]
    dates += [cal.introduced(r.scheme, r.item) for r in res.rows if r.item and not _on_lines(disputed, res.doc, r)]
    return max((x for x in dates if x), default=None)


def _period(group, disputes: list[Dispute], evidence: Evidence) -> tuple[date | None, date | None, str]:
    first = group[0][0]
    if first.effective_from or first.effective_to:
        return first.effective_from, first.effective_to, "printed"
    stale = [d for d in disputes if d.code == "stale-value" and d.data.get("revision_from") and d.data.get("revision_to")]
    if stale:
        # the period of the earlier 改定 the value belongs to: the finding's fields, not its words
        return (date.fromisoformat(stale[0].data["revision_from"]), date.fromisoformat(stale[0].data["revision_to"]),
                "older-reference")
    if disputes:
        return None, None, "unknown"  # a disputed value may belong to another revision
    cal = evidence.calendar
    if evidence.revision is not None:
        told = cal.named(evidence.revision, first.scheme)
        if told:  # the maintainer said which revision these documents are (an item it introduced later starts then)
            start = told[0].start_for(first.service)
            new = cal.introduced(first.scheme, first.item)
            return (new if new and new > start else start), None, "revision"
    start = confirmed_start(cal, first.scheme, first.service)
    if start and any((r.page, r.line, r.units) in evidence.confirmed.get(res.doc, set()) for r, res in group):
        return start, None, "reference"
    on = max((evidence.as_of[res.doc] for _, res in group if res.doc in evidence.as_of), default=None)
    if on:
        # the revision in force on the document's date: the day it introduced the item, or its start
        new = cal.introduced(first.scheme, first.item)
        start = new if new and new <= on else cal.start_of(first.scheme, first.service, on)
        if start:
            return start, None, "document"
    return None, None, "unknown"


def _apply_errata(items: list[Item], errata: list[dict], settled: dict[int, tuple] | None = None) -> None:
    """A reviewed erratum resolves a disputed value: the item takes the corrected value,
    keeps the printed one in the erratum, and its sources stay as printed. Its dispute
    settled, it takes the period its sources give an undisputed value (``settled``)."""
    for e in errata:
        for it in items:
            if (it.service, it.item, it.care_levels, it.time_band) != (e["service"], e["item"], e.get("care_levels", []), e.get("time_band")):
                continue
            if it.units is not None and str(it.units) == str(e["printed"]) or any(str(s.units) == str(e["printed"]) for s in it.sources):
                it.units = int(e["corrected"])
                it.status = "corrected"
                it.erratum = Erratum(printed=str(e["printed"]), corrected=str(e["corrected"]), reason=e["reason"], evidence=e["evidence"])
                if it.period_source == "unknown" and settled and id(it) in settled:
                    it.effective_from, it.effective_to, it.period_source = settled[id(it)]


def select(items: list[Item], as_of: date | None) -> list[Item]:
    """The revision in force on ``as_of``: items whose period contains it (open ends count)."""
    if as_of is None:
        return list(items)
    return [it for it in items if (it.effective_from or date.min) <= as_of <= (it.effective_to or date.max)]


# -- files --------------------------------------------------------------------------------

def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write(out: Path, items: list[Item], report: Report, errata_path: Path | None,
          calendar: revisions.Calendar | None = None, history: list[dict] | None = None,
          base_sources: list[dict] | None = None) -> None:
    """Write the dataset into a temporary folder beside ``out`` and swap it in, so an
    interrupted build leaves the previous dataset intact. ``history`` is the manifest's
    ``established``: which documents established which period, build after build."""
    cal = calendar or revisions.builtin_calendar()
    values = periods.values(cal)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (tmp / "items.jsonl").write_text("".join(_dump(it.model_dump(mode="json")) + "\n" for it in items), encoding="utf-8")
        (tmp / "schema.json").write_text(json.dumps(Item.model_json_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        (tmp / "manifest.json").write_text(json.dumps(manifest(items, report, history, base_sources), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        (tmp / "unit_prices.csv").write_text(unit_prices_csv(values), encoding="utf-8")
        (tmp / "calendar.json").write_text(json.dumps(calendar_json(cal, values), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if errata_path is not None and errata_path.is_file():
            shutil.copyfile(errata_path, tmp / "errata.json")
        from .output import publish

        publish(tmp, directory=True)
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old"
            if old.exists():
                shutil.rmtree(old)
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def sources_of(report: Report) -> list[dict]:
    return sorted(({"doc": d.result.doc, "sha256": d.result.sha256, "rows": len(d.result.rows), "recognizer": d.result.recognizer}
                   for d in report.documents), key=lambda s: s["doc"])


def established(items: list[Item], report: Report, revision: str | None) -> dict:
    """One build's entry of the manifest's ``established``: its documents, and the periods
    its items start (each start date with the number of items that start then)."""
    docs = {d.result.doc for d in report.documents}
    starts: dict[str, int] = {}
    for it in items:
        if any(s.doc in docs for s in it.sources):
            k = str(it.effective_from) if it.effective_from else "unknown"
            starts[k] = starts.get(k, 0) + 1
    return {"revision": revision, "documents": [{"doc": s["doc"], "sha256": s["sha256"]} for s in sources_of(report)],
            "periods": starts}


def manifest(items: list[Item], report: Report, history: list[dict] | None = None,
             base_sources: list[dict] | None = None) -> dict:
    dates = sorted({str(d) for it in items for d in (it.effective_from, it.effective_to) if d})
    sources = {s["doc"]: s for s in base_sources or []}
    sources.update({s["doc"]: s for s in sources_of(report)})
    return {
        "schema_version": SCHEMA_VERSION,
        "items": len(items),
        "by_period_source": {s: sum(it.period_source == s for it in items) for s in ("printed", "reference", "document", "revision", "older-reference", "unknown")},
        "by_status": {s: sum(it.status == s for it in items) for s in ("agreed", "disputed", "corrected")},
        "revision_dates": dates,
        "established": history if history is not None else [established(items, report, None)],
        "sources": [sources[k] for k in sorted(sources)],
    }


def unit_prices_csv(values: periods.Values | None = None) -> str:
    """地域単価 by scheme × class × 級地 × period."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scheme", "class", "grade", "price", "effective_from", "effective_to"])
    from .prices import price_table

    order = {(e.scheme, e.klass, e.grade): n for n, e in enumerate(price_table())}
    prices = [v for v in (values or periods.builtin_values()).values if v.kind == "unit_price"]
    for v in sorted(prices, key=lambda v: (order.get(v.key, len(order)), v.key, v.effective_from)):
        if True:
            w.writerow([*v.key, v.value, v.effective_from.isoformat(), v.effective_to.isoformat() if v.effective_to else ""])
    return buf.getvalue()


def calendar_json(cal: revisions.Calendar, values: periods.Values) -> dict:
    return {"schema_version": "1",
            "revisions": [r.model_dump(mode="json", exclude_defaults=True) for r in cal.revisions],
            "values": values.as_json()}


def load_calendar(folder: Path) -> tuple[revisions.Calendar, periods.Values]:
    """The calendar a dataset was built with (calendar.json), or the built-in one for a
    dataset written before it had one."""
    path = folder / "calendar.json"
    if not path.is_file():
        return revisions.builtin_calendar(), periods.builtin_values()
    raw = json.loads(path.read_text(encoding="utf-8"))
    cal = revisions.Calendar(tuple(revisions.Revision.model_validate(r) for r in raw["revisions"]))
    return cal, periods.Values([periods.Dated.from_json(v) for v in raw["values"]])


def load(folder: Path) -> list[Item]:
    path = folder / "items.jsonl"
    return [Item.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_errata(path: Path | None) -> list[dict]:
    if path is None or not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["errata"]
