"""Dated values outside the items: 地域単価 (scheme × class × 級地), 区分支給限度基準額 (care
level), 負担上限月額 (所得区分) and 処遇改善 rates (service × tier), each by period.

The values in force before the first revision that sets them are data/unit_prices.json and
data/benefits.json (each with its ``effective_from``); every revision of the calendar that
sets a value starts a new period on its effective day and closes the one before on the day
before. A revision that sets the value it already has confirms it: the period goes on, and
the revision is listed among its confirmations. ``Values.resolve`` answers for a day, or
raises NoPeriod naming the value no period covers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from .revisions import Calendar

KINDS = {
    "unit_price": "地域単価",
    "limit": "区分支給限度基準額",
    "copay_cap": "負担上限月額",
    "treatment_improvement": "処遇改善",
}


@dataclass(frozen=True)
class Dated:
    """One value with its period and its source."""

    kind: str  # a key of KINDS
    key: tuple[str, ...]  # unit_price (scheme, class, grade); limit (care level,); copay_cap (category,); treatment_improvement (scheme, service, tier)
    value: str  # exact: a Decimal or int written as a string
    effective_from: date
    effective_to: date | None
    source: str  # the data file, or the revision's own source
    revision: str | None = None  # the revision that set it, when one did
    confirmed_by: tuple[str, ...] = ()  # later revisions that set the same value again

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.value)

    def covers(self, on: date) -> bool:
        return self.effective_from <= on <= (self.effective_to or date.max)

    def period(self) -> str:
        return f"{self.effective_from}〜{self.effective_to or ''}"

    def as_json(self) -> dict:
        return {"kind": self.kind, "key": list(self.key), "value": self.value,
                "effective_from": self.effective_from.isoformat(),
                "effective_to": self.effective_to.isoformat() if self.effective_to else None,
                "source": self.source, "revision": self.revision, "confirmed_by": list(self.confirmed_by)}

    @classmethod
    def from_json(cls, d: dict) -> "Dated":
        return cls(d["kind"], tuple(d["key"]), d["value"], date.fromisoformat(d["effective_from"]),
                   date.fromisoformat(d["effective_to"]) if d.get("effective_to") else None,
                   d["source"], d.get("revision"), tuple(d.get("confirmed_by", [])))


class NoPeriod(LookupError):
    """No period of a value covers the day asked for."""


def _name(kind: str, key: tuple) -> str:
    shown = [k for k in key if k not in ("kaigo", "shogai")]
    return f"{KINDS[kind]} {' '.join(shown)}"


@dataclass
class Values:
    values: list[Dated] = field(default_factory=list)

    def resolve(self, kind: str, key: tuple, on: date) -> Dated:
        """The value of ``kind`` × ``key`` in force on ``on``; NoPeriod (one sentence) if none."""
        periods = [v for v in self.values if v.kind == kind and v.key == tuple(key)]
        hit = [v for v in periods if v.covers(on)]
        if hit:
            return hit[0]
        if not periods:
            raise NoPeriod(f"{_name(kind, key)} is not known (no revision sets it)")
        known = ", ".join(v.period() for v in periods)
        raise NoPeriod(f"no period of {_name(kind, key)} covers {on} (known: {known})")

    def keys(self, kind: str) -> list[tuple]:
        return sorted({v.key for v in self.values if v.kind == kind})

    def as_json(self) -> list[dict]:
        return [v.as_json() for v in self.values]


def _data(name: str) -> dict:
    return json.loads(resources.files("extractor.data").joinpath(name).read_text("utf-8"))


def _raw(calendar: Calendar) -> list[tuple]:
    """(kind, key, value, from, source, revision) of every value the data set, in no order."""
    out = []
    for p in _data("unit_prices.json")["prices"]:
        frm = date.fromisoformat(p["effective_from"])
        rev = calendar.starting(p["scheme"], None, frm)
        out.append(("unit_price", (p["scheme"], p["class"], p["grade"]), p["price"], frm,
                    "extractor/data/unit_prices.json", rev.name if rev else None))
    limits = _data("benefits.json")["kaigo"]["limits"]
    for level, units in limits["units"].items():
        out.append(("limit", (level,), str(units), date.fromisoformat(limits["effective_from"]),
                    "extractor/data/benefits.json", None))
    for r in calendar.revisions:
        src = f"{r.name}: {r.source}"
        for p in r.unit_prices:
            out.append(("unit_price", (r.scheme, p.klass, p.grade), str(p.price), r.effective, src, r.name))
        for level, units in r.limits.items():
            out.append(("limit", (level,), str(units), r.effective, src, r.name))
        for cat, yen in r.copay_caps.items():
            out.append(("copay_cap", (cat,), str(yen), r.effective, src, r.name))
        for t in r.treatment_improvement:
            out.append(("treatment_improvement", (r.scheme, t.service, t.tier), str(t.rate), r.start_for(t.service), src, r.name))
    return out


def values(calendar: Calendar) -> Values:
    """Every value's periods: a new value closes the one before on the day before; the same
    value set again is a confirmation, not a new period."""
    groups: dict[tuple, list[tuple]] = {}
    for kind, key, value, frm, src, rev in _raw(calendar):
        groups.setdefault((kind, key), []).append((frm, value, src, rev))
    out: list[Dated] = []
    for (kind, key), entries in sorted(groups.items()):
        entries.sort(key=lambda e: (e[0], e[3] or ""))
        current: Dated | None = None
        for frm, value, src, rev in entries:
            if current is not None and Decimal(current.value) == Decimal(value):
                if rev and rev not in current.confirmed_by and rev != current.revision:
                    current = Dated(kind, key, current.value, current.effective_from, None, current.source,
                                    current.revision, current.confirmed_by + (rev,))
                continue
            if current is not None:
                if frm <= current.effective_from:
                    raise ValueError(f"{_name(kind, key)} is set twice on {frm} ({current.value} and {value})")
                out.append(Dated(kind, key, current.value, current.effective_from, frm - timedelta(days=1),
                                 current.source, current.revision, current.confirmed_by))
            current = Dated(kind, key, value, frm, None, src, rev)
        if current is not None:
            out.append(current)
    return Values(out)


@lru_cache(maxsize=1)
def builtin_values() -> Values:
    from .revisions import builtin_calendar

    return values(builtin_calendar())
