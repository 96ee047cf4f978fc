"""A new revision's items onto an existing dataset (`tariff build NEW… --onto DIR --revision NAME`).

For every item of the new documents, the item of the dataset it continues (the same
scheme, service, item, care levels, time band, kind, 注 column and conditions, in force
the day before the new one starts):
- the same value (units, rate, step): the old period goes on, and the new documents are
  added to its sources: confirmed, not duplicated;
- another value: the old period ends the day before the new one starts, and the new item
  begins;
- none: the new item begins.
Items the new documents do not print go on unchanged, unless the revision abolishes them:
then they end the day before it takes effect for their service. A closed item keeps its
id, so a plan that names it for a month of its period still finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .dataset import Item, _compatible, _sort_key, item_id
from .revisions import Calendar


def key(it: Item) -> tuple:
    """What an item is, across revisions: everything but its value and period."""
    return (it.scheme, it.service, it.item, tuple(it.care_levels), it.time_band, it.kind, it.order)


def value(it: Item) -> tuple:
    return (it.units, it.rate, it.rate_op, it.step.units if it.step else None, it.step.minutes if it.step else None)


@dataclass
class Outcome:
    """What one build onto a dataset did, item by item (dataset ids)."""

    new: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    confirmed: list[str] = field(default_factory=list)
    abolished: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # new items with no period (disputed): added as they are

    def counts(self) -> dict:
        return {"new": len(self.new), "changed": len(self.changed), "confirmed": len(self.confirmed),
                "abolished": len(self.abolished), "undated": len(self.unknown)}


def _current(base: list[Item], it: Item, start: date) -> list[Item]:
    """The dataset's items that ``it`` continues: same key, compatible conditions, in force
    the day before ``start`` (or still open then)."""
    day_before = start - timedelta(days=1)
    return [b for b in base if key(b) == key(it) and _compatible(b.conditions, it.conditions)
            and b.effective_from is not None and b.effective_from <= day_before
            and (b.effective_to is None or b.effective_to >= day_before)]


def onto(base: list[Item], new: list[Item], calendar: Calendar, revision: str | None) -> tuple[list[Item], Outcome]:
    """The dataset ``base`` with the items ``new`` (built from a new revision's documents)."""
    items = [b.model_copy(deep=True) for b in base]
    out = Outcome()
    touched: set[int] = set()
    for it in new:
        if it.effective_from is None:
            items.append(it)
            out.unknown.append(it.id)
            continue
        olds = [b for b in _current(items, it, it.effective_from) if id(b) not in touched or value(b) == value(it)]
        same = [b for b in olds if value(b) == value(it)]
        if same:
            b = same[0]
            have = {(s.doc, s.page, s.line) for s in b.sources}
            b.sources += [s for s in it.sources if (s.doc, s.page, s.line) not in have]
            b.sources.sort(key=lambda s: (s.doc, s.page or 0, s.line or 0))
            touched.add(id(b))
            out.confirmed.append(b.id)
            continue
        for b in olds:
            b.effective_to = it.effective_from - timedelta(days=1)
            touched.add(id(b))
            out.changed.append((b.id, it.id))
        if not olds:
            out.new.append(it.id)
        items.append(it)
    if revision is not None:
        for rev in calendar.named(revision):
            for b in items:
                if id(b) in touched or b.scheme != rev.scheme or b.effective_from is None:
                    continue
                end = rev.start_for(b.service) - timedelta(days=1)
                if calendar.abolished(rev.scheme, b.item) is rev and b.effective_from <= end \
                        and (b.effective_to is None or b.effective_to > end):
                    b.effective_to = end
                    out.abolished.append(b.id)
    ids = {}
    for b in items:
        b.id = b.id or item_id(b)
        if b.id in ids:
            raise ValueError(f"two items share the id {b.id} ({b.item}); this is a bug")
        ids[b.id] = b
    return sorted(items, key=_sort_key), out
