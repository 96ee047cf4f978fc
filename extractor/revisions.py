"""Items a 改定 introduced or abolished (data/revisions.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from . import eras


@dataclass(frozen=True)
class Revision:
    scheme: str
    date: date
    introduced: tuple[str, ...]
    abolished: tuple[str, ...]


@lru_cache(maxsize=1)
def known() -> tuple[Revision, ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("revisions.json").read_text("utf-8"))
    return tuple(
        Revision(r["scheme"], date.fromisoformat(r["date"]), tuple(r["introduced"]), tuple(r["abolished"]))
        for r in raw["revisions"]
    )


@lru_cache(maxsize=1)
def _starts() -> tuple[dict, ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("revisions.json").read_text("utf-8"))
    return tuple(raw.get("starts", []))


def start_of(scheme: str | None, service: str | None, on: date | None = None) -> date | None:
    """When the revision in force on ``on`` (the latest known one when None) took effect
    for a service (令和6年度: 2024-04-01, or 2024-06-01 for 訪問看護 …), or None when the
    table does not say."""
    found = None
    for s in _starts():
        if s["scheme"] != scheme:
            continue
        start = date.fromisoformat(s["later"].get(service or "", s["date"]))
        if (on is None or start <= on) and (found is None or start > found):
            found = start
    return found


@lru_cache(maxsize=1)
def dates() -> frozenset[date]:
    """Every date a known revision took effect (for any scheme or service)."""
    out = {r.date for r in known()}
    for st in _starts():
        out.add(date.fromisoformat(st["date"]))
        out |= {date.fromisoformat(d) for d in st["later"].values()}
    return frozenset(out)


def introduced(scheme: str | None, item: str) -> date | None:
    """The date a known revision of ``scheme`` (of any scheme when None: the names differ
    by scheme) introduced ``item``, or None."""
    return next((r.date for r in known() if scheme in (None, r.scheme) and _named(item, r.introduced)), None)


def _named(item: str, names: tuple[str, ...]) -> bool:
    # the longest name decides: 介護職員等処遇改善加算 is not 介護職員処遇改善加算
    return any(item == n or (item.startswith(n) and item[len(n):][:1] in ("(", "")) for n in names)


def period(item: str, on: date) -> tuple[date | None, date | None] | None:
    """(effective_from, effective_to) that the revision on ``on`` gives ``item``, or None."""
    for r in known():
        if r.date != on:
            continue
        if _named(item, r.introduced):
            return r.date, None
        if _named(item, r.abolished):
            return None, r.date - timedelta(days=1)
    return None


def printed_period(item: str, text: str, revision_dates: set[date]) -> tuple[date | None, date | None]:
    """The period a row's own words give it ('令和6年5月まで算定', '令和7年4月以降'), then what
    a revision the document prints does to the item (introduced or abolished by it)."""
    eff_from = eff_to = None
    for d in eras.find_eras(text):
        tail = text[text.find(d.printed) + len(d.printed):][:4]
        if "まで" in tail:
            eff_to = eff_to or d.end
        elif "から" in tail or "以降" in tail:
            eff_from = eff_from or d.start
    for rd in sorted(revision_dates):
        p = period(item, rd)
        if p:
            eff_from, eff_to = eff_from or p[0], eff_to or p[1]
    return eff_from, eff_to


def printed_revisions(texts) -> set[date]:
    """The dates of revisions a document prints: '(令和6年6月改定)', '令和6年5月まで算定'."""
    return {d.start for t in texts if "改定" in t or "まで算定" in t for d in eras.find_eras(t)}
