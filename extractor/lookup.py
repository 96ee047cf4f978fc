"""A plan's item as a care manager writes it: the official サービスコード ('111111'), the name
as printed ('身体介護 20分以上30分未満', read with the documents' own normalization), or the
dataset id. A code or a name resolves to the one item in force on the plan's month; an
unknown or ambiguous one is one sentence that lists the candidates."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from . import terms, text

ID = re.compile(r"^[0-9a-f]{16}$")
CODE = re.compile(r"^[0-9A-Z]{6}$")  # 種類 (2) + 項目 (4); letters occur (11B401)


class LookupFailed(ValueError):
    """An item a plan names that is not one item in force: one sentence."""


@lru_cache(maxsize=1)
def code_table() -> dict[str, dict]:
    """service code -> the name map's key of the item (data/service_codes_r6.json through
    data/service_code_names.json): service, item, care levels, time band, conditions."""
    from .reference import _builtin_data, code_names

    names = code_names()
    out = {}
    for rec in _builtin_data()["codes"]:
        spec = names.get(rec["short_name"])
        if spec is not None:
            out[rec["service_code"]] = {**spec, "short_name": rec["short_name"]}
    return out


def in_force(it, on: date) -> bool:
    return (it.effective_from or date.min) <= on <= (it.effective_to or date.max)


def shown(it) -> str:
    name = " ".join(x for x in (it.item, it.time_band, "・".join(it.care_levels)) if x)
    value = f"{it.units}単位" if it.units is not None else f"{it.rate}" if it.rate is not None else "no value"
    return f"{it.id} ({it.service or '-'} {name}, {value}, {it.effective_from or '?'}〜{it.effective_to or ''})"


def parse_name(name: str) -> tuple[str, str | None, list[str]]:
    """(canonical item, time band, care levels) of a name as printed."""
    s, _ = text.normalize(name)
    band = terms.parse_time_band(s)
    levels = terms.parse_care_levels(s)
    rest = terms.TIME_BAND.sub(" ", s)
    rest = terms.strip_care_levels(rest) if levels else rest
    return terms.canonical_item(rest), band, levels


def _list(cands: list) -> str:
    more = f"; and {len(cands) - 6} more" if len(cands) > 6 else ""
    return "; ".join(shown(c) for c in cands[:6]) + more


def find(ref: str, items: list, scheme: str, on: date, service: str | None = None):
    """The item ``ref`` names (an id, a service code or a printed name), in force on ``on``."""
    ref = ref.strip()
    if ID.match(ref):
        hit = [it for it in items if it.id == ref]
        if not hit:
            raise LookupFailed(f"item {ref} is not in the dataset: look it up in normalized/items.jsonl, or name the item by its サービスコード or its printed name")
        return hit[0]
    from .reference import code_names

    short = code_names().get(ref) or code_names().get(text.normalize(ref)[0])
    if CODE.match(ref) or short is not None:
        spec = code_table().get(ref) if short is None else {**short, "short_name": ref}
        if spec is None:
            raise LookupFailed(f"サービスコード {ref} is not in the code table the tool knows (令和6年度, the plain codes of "
                               "居宅介護支援, 訪問看護, 訪問介護 and 通所介護); name the item as printed or give its dataset id")
        what = f"サービスコード {ref} ({spec['short_name']})" if short is None else f"'{ref}'"
        item, band, levels, service = spec["item"], spec.get("time_band"), spec.get("care_levels", []), spec["service"]
        keywords = spec.get("conditions", [])
    else:
        item, band, levels = parse_name(ref)
        what, keywords = f"'{ref}'", []
    pool = [it for it in items if it.scheme in (None, scheme) and (service is None or it.service == service)]
    named = [it for it in pool if it.item == item and (band is None or it.time_band == band)
             and (not levels or set(it.care_levels) == set(levels))
             and all(k in " ".join(it.conditions) for k in keywords)]
    if not named and not CODE.match(ref):  # the whole name may be the item's own ('身体介護20分未満' has no band word)
        whole = terms.canonical_item(text.normalize(ref)[0])
        named = [it for it in pool if it.item == whole]
    now = [it for it in named if in_force(it, on)]
    if len(now) > 1 and keywords == [] and band is None:  # a name without a band: the item that has none
        plain = [it for it in now if it.time_band is None and not it.care_levels]
        now = plain or now
    if len(now) > 1:
        # one value printed by several documents under several conditions is still one value
        values = {(it.units, it.rate, it.step.units if it.step else None) for it in now}
        agreed = [it for it in now if it.status != "disputed"]
        if len(values) > 1 or not agreed:
            raise LookupFailed(f"{what} names {len(now)} items in force in {on:%Y-%m}: {_list(now)}; "
                               "give the line's \"service\", or the dataset id of the one you mean")
        now = agreed[:1]
    if now:
        return now[0]
    if named:
        raise LookupFailed(f"{what} is not in force in {on:%Y-%m}; its periods: {_list(named)}")
    close = [it for it in pool if item and (item in it.item or it.item in item) and in_force(it, on)]
    hint = f"; items with a similar name: {_list(close)}" if close else ""
    raise LookupFailed(f"{what} is not in the dataset{f' for {service}' if service else ''}: no item has that "
                       f"id, サービスコード or name{hint}; look it up in normalized/items.jsonl")


def codes_of(it) -> list[str]:
    """The service codes whose name map key is this item's."""
    return sorted(c for c, spec in code_table().items()
                  if spec["service"] == it.service and spec["item"] == it.item
                  and spec.get("time_band") == it.time_band and set(spec.get("care_levels", [])) == set(it.care_levels))
