"""The 改定 (revisions) the tool knows, as data (data/revisions.json), validated by a schema.

A revision is one entry: its name, the scheme, the day it takes effect (and the services it
takes effect for on another day), whether it sets every value of its scheme again or only
what it names, the items it introduces or abolishes, the values it sets (地域単価,
区分支給限度基準額, 負担上限月額, 処遇改善 rates) and where it is published. A maintainer adds a
revision by adding an entry (README, "Adding a revision"); a file of further entries may be
given to `tariff build`/`check`/`calc` with ``--revisions FILE`` (a revision not yet in the
package, or a synthetic one for tests).

``Calendar`` holds the revisions of one run; the module-level functions answer for the
built-in calendar (what the readers use while extracting: a document is read the same way
whatever revisions a later stage is given).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import eras

TIERS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")


def _written_exactly(v, what: str, example: str):
    """A price or rate as the data file must write it: a string, which Decimal keeps exact."""
    if not isinstance(v, str):
        raise ValueError(f"write the {what} as a string (\"{example}\"), not {v!r}: a float is not exact")
    return v


class PriceValue(BaseModel):
    """One 地域単価 a revision sets: 人件費割合 class × 級地 -> yen per unit."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    klass: str = Field(alias="class", pattern=r"^\d{1,2}%$")
    grade: str = Field(pattern=r"^([1-7]級地|その他)$")
    price: Decimal

    @field_validator("price", mode="before")
    @classmethod
    def _exact(cls, v):
        return _written_exactly(v, "price", "11.40")


class RateValue(BaseModel):
    """One 処遇改善 rate a revision sets: service × tier (Ⅰ…Ⅴ) -> rate added to the month's units."""

    model_config = ConfigDict(extra="forbid")
    service: str = Field(min_length=1)
    tier: Literal["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"]
    rate: Decimal

    @field_validator("rate", mode="before")
    @classmethod
    def _exact(cls, v):
        return _written_exactly(v, "rate", "0.245")


class Revision(BaseModel):
    """One 改定, as a maintainer writes it in data/revisions.json."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    scheme: Literal["kaigo", "shogai"]
    effective: date
    later: dict[str, date] = Field(default_factory=dict)
    changes: Literal["all", "named"] = "all"
    introduced: tuple[str, ...] = ()
    abolished: tuple[str, ...] = ()
    unit_prices: tuple[PriceValue, ...] = ()
    limits: dict[str, int] = Field(default_factory=dict)
    copay_caps: dict[str, int] = Field(default_factory=dict)
    treatment_improvement: tuple[RateValue, ...] = ()
    code_table: str | None = None  # the official code table of this revision shipped in data/
    source: str = Field(min_length=1)
    note: str | None = None
    synthetic: bool = False  # a made-up revision (tests): never in the package's own file

    @model_validator(mode="after")
    def _dates(self):
        for service, d in self.later.items():
            if d < self.effective:
                raise ValueError(f"later.{service} ({d}) is before the revision takes effect ({self.effective})")
        return self

    def start_for(self, service: str | None) -> date:
        """The day this revision takes effect for ``service``."""
        return self.later.get(service or "", self.effective)

    def dates(self) -> set[date]:
        return {self.effective, *self.later.values()}


class RevisionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str | None = Field(None, alias="_comment")
    schema_version: Literal["2"]
    revisions: list[Revision]


class RevisionsError(ValueError):
    """A revisions file that the schema refuses: one line, naming the entry and the field."""


def parse(text: str, name: str) -> tuple[Revision, ...]:
    """The revisions of a file's text; RevisionsError (one line) when it is not valid."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise RevisionsError(f"{name}: is not JSON ({e.msg} at line {e.lineno}); fix the file") from None
    try:
        return tuple(RevisionFile.model_validate(raw).revisions)
    except ValidationError as e:
        err = e.errors()[0]
        loc = list(err["loc"])
        where = ".".join(str(x) for x in loc)
        if len(loc) >= 2 and loc[0] == "revisions" and isinstance(loc[1], int):
            try:
                where = f"revision {loc[1] + 1} ({raw['revisions'][loc[1]].get('name', 'no name')}): " + ".".join(str(x) for x in loc[2:])
            except (KeyError, IndexError, AttributeError, TypeError):
                pass
        raise RevisionsError(f"{name}: {where}: {err['msg']}; fix the entry (see the README, 'Adding a revision')") from None


@lru_cache(maxsize=1)
def builtin() -> tuple[Revision, ...]:
    return parse(resources.files("extractor.data").joinpath("revisions.json").read_text("utf-8"), "extractor/data/revisions.json")


def load_file(path: Path) -> tuple[Revision, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RevisionsError(f"{path}: cannot be read ({e}); give a revisions file (JSON, UTF-8)") from None
    return parse(text, str(path))


class Calendar:
    """The revisions of a run: the built-in ones and any given with --revisions."""

    def __init__(self, revisions: tuple[Revision, ...]):
        seen = set()
        for r in revisions:
            key = (r.name, r.scheme)
            if key in seen:
                raise RevisionsError(f"revision '{r.name}' ({r.scheme}) is given twice; keep one entry")
            seen.add(key)
        self.revisions = tuple(sorted(revisions, key=lambda r: (r.effective, r.scheme, r.name)))

    @classmethod
    def with_files(cls, paths: list[Path] | None = None) -> "Calendar":
        revs = list(builtin())
        for p in paths or []:
            revs += load_file(Path(p))
        return cls(tuple(revs))

    def named(self, name: str, scheme: str | None = None) -> list[Revision]:
        return [r for r in self.revisions if r.name == name and scheme in (None, r.scheme)]

    def start_of(self, scheme: str | None, service: str | None, on: date | None = None) -> date | None:
        """When the revision that set every value of ``scheme`` and was in force on ``on``
        (the latest one when None) took effect for ``service``, or None."""
        found = None
        for r in self.revisions:
            if r.scheme != scheme or r.changes != "all":
                continue
            start = r.start_for(service)
            if (on is None or start <= on) and (found is None or start > found):
                found = start
        return found

    def revision_in_force(self, scheme: str | None, service: str | None, on: date) -> Revision | None:
        """The latest whole revision of ``scheme`` in force for ``service`` on ``on``."""
        best = None
        for r in self.revisions:
            if r.scheme == scheme and r.changes == "all" and r.start_for(service) <= on:
                if best is None or r.start_for(service) >= best.start_for(service):
                    best = r
        return best

    def next_start(self, scheme: str | None, service: str | None, after: date) -> Revision | None:
        """The first whole revision of ``scheme`` taking effect for ``service`` after ``after``."""
        later = [r for r in self.revisions if r.scheme == scheme and r.changes == "all" and r.start_for(service) > after]
        return min(later, key=lambda r: r.start_for(service), default=None)

    def starting(self, scheme: str | None, service: str | None, on: date | None) -> Revision | None:
        """The revision that took effect for ``service`` on ``on`` (a whole one first), or None."""
        if on is None:
            return None
        hits = [r for r in self.revisions if r.scheme == scheme and r.start_for(service) == on]
        hits.sort(key=lambda r: r.changes != "all")
        return hits[0] if hits else None

    def dates(self) -> frozenset[date]:
        """Every date a known revision took effect (for any scheme or service)."""
        return frozenset(d for r in self.revisions for d in r.dates())

    def introduced(self, scheme: str | None, item: str) -> date | None:
        """The date a revision of ``scheme`` (of any scheme when None: the names differ by
        scheme) introduced ``item``, or None."""
        return next((r.effective for r in self.revisions if scheme in (None, r.scheme) and _named(item, r.introduced)), None)

    def abolished(self, scheme: str | None, item: str, after: date | None = None) -> Revision | None:
        """The first revision of ``scheme`` after ``after`` that abolished ``item``, or None."""
        return next((r for r in self.revisions if scheme in (None, r.scheme) and _named(item, r.abolished)
                     and (after is None or r.effective > after)), None)

    def period(self, item: str, on: date) -> tuple[date | None, date | None] | None:
        """(effective_from, effective_to) that the revision on ``on`` gives ``item``, or None."""
        for r in self.revisions:
            if r.effective != on:
                continue
            if _named(item, r.introduced):
                return r.effective, None
            if _named(item, r.abolished):
                return None, r.effective - timedelta(days=1)
        return None

    def table_revision(self, table: str) -> Revision | None:
        """The revision whose official code table is the data file ``table``."""
        return next((r for r in self.revisions if r.code_table == table), None)


@lru_cache(maxsize=1)
def builtin_calendar() -> Calendar:
    return Calendar(builtin())


def known() -> tuple[Revision, ...]:
    return builtin_calendar().revisions


def start_of(scheme: str | None, service: str | None, on: date | None = None) -> date | None:
    return builtin_calendar().start_of(scheme, service, on)


def dates() -> frozenset[date]:
    return builtin_calendar().dates()


def introduced(scheme: str | None, item: str) -> date | None:
    return builtin_calendar().introduced(scheme, item)


def period(item: str, on: date) -> tuple[date | None, date | None] | None:
    return builtin_calendar().period(item, on)


def _named(item: str, names: tuple[str, ...]) -> bool:
    # the longest name decides: 介護職員等処遇改善加算 is not 介護職員処遇改善加算
    return any(item == n or (item.startswith(n) and item[len(n):][:1] in ("(", "")) for n in names)


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
