"""`tariff diff` for people: what a revision changed, grouped by service, old → new units
and, at a chosen 級地, yen; as text, JSON, CSV and an HTML page marked like the official
改定 tables (changed, new, abolished).

The comparison itself is exports.diff (what an item is across revisions: its key without
its period). This module chooses each side (a date, or a revision: its effective day for
each item's service), prices the units at the 級地 and renders.
"""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date, timedelta

from . import periods
from .dataset import Item
from .exports import _dkey, diff
from .prices import floor_yen, service_classes
from .revisions import Calendar


class DiffError(ValueError):
    """A side that cannot be chosen (an unknown revision): one sentence."""


def revision_day(cal: Calendar, rev, service: str | None) -> date:
    """The day that shows revision ``rev`` for ``service`` as it stood: the day before the
    next whole revision takes effect for the service (so what a partial revision added in
    between, the 2024-06 処遇改善, is in it), or the day it took effect when it is the last."""
    nxt = cal.next_start(rev.scheme, service, rev.start_for(service))
    return nxt.start_for(service) - timedelta(days=1) if nxt else rev.start_for(service)


def at_revision(items: list[Item], cal: Calendar, name: str) -> list[Item]:
    """The items as revision ``name`` has them (``revision_day``, per service). Items of a
    scheme the revision is not of are left out."""
    revs = {r.scheme: r for r in cal.named(name)}
    if not revs:
        names = ", ".join(dict.fromkeys(r.name for r in cal.revisions))
        raise DiffError(f"no revision is named '{name}' (known: {names})")
    out = []
    for it in items:
        rev = revs.get(it.scheme or "")
        if rev is None:
            continue
        day = revision_day(cal, rev, it.service)
        if (it.effective_from or date.min) <= day <= (it.effective_to or date.max):
            out.append(it)
    return out


def side_day(cal: Calendar, scheme: str | None, service: str | None, as_of: date | None, revision: str | None) -> date | None:
    if revision is not None:
        rev = next((r for r in cal.named(revision) if r.scheme == scheme), None)
        return revision_day(cal, rev, service) if rev else None
    return as_of


def _price(values: periods.Values, scheme, service, grade, day) -> periods.Dated | None:
    klass = service_classes().get(service or "")
    if klass is None or day is None or grade is None or klass[0] != scheme:
        return None
    try:
        return values.resolve("unit_price", (scheme, klass[1], grade), day)
    except periods.NoPeriod:
        return None


def for_people(old: list[Item], new: list[Item], cal: Calendar, values: periods.Values, *, grade: str | None,
               old_label: str, new_label: str, old_as_of=None, new_as_of=None, old_revision=None, new_revision=None) -> dict:
    """exports.diff with each entry's change, service and (with a 級地) yen, and the same
    entries grouped by service."""
    d = diff(old, new)
    by_key_old = {_dkey(it): it for it in old}
    by_key_new = {_dkey(it): it for it in new}

    def yen(entry: dict, it: Item | None, side: str) -> dict:
        if it is None:
            return entry
        day = side_day(cal, it.scheme, it.service, old_as_of if side == "old" else new_as_of,
                       old_revision if side == "old" else new_revision)
        p = _price(values, it.scheme, it.service, grade, day)
        entry["period"] = f"{it.effective_from or '?'}〜{it.effective_to or ''}"
        if p is not None:
            entry["unit_price"] = p.value
            entry["yen"] = floor_yen(it.units, p.decimal) if it.units is not None else None
        return entry

    def key_of(x: dict) -> tuple:
        return next(k for k in (by_key_old | by_key_new) if (k[1], k[2], list(k[3]), k[4]) == (x["service"], x["item"], x["care_levels"], x["time_band"]))

    for x in d["removed"]:
        yen(x, by_key_old.get(key_of(x)), "old")
    for x in d["added"]:
        yen(x, by_key_new.get(key_of(x)), "new")
    for c in d["changed"]:
        k = key_of(c["old"])
        yen(c["old"], by_key_old.get(k), "old")
        yen(c["new"], by_key_new.get(k), "new")
    services: dict[str, dict] = {}
    for kind, entries in (("changed", d["changed"]), ("new", d["added"]), ("abolished", d["removed"])):
        for x in entries:
            service = (x["old"] if kind == "changed" else x)["service"] or "-"
            services.setdefault(service, {"changed": [], "new": [], "abolished": []})[kind].append(x)
    return {**d, "old": old_label, "new": new_label, "grade": grade,
            "by_service": {s: services[s] for s in sorted(services)}}


def _name(x: dict) -> str:
    return " ".join(v for v in (x["item"], "・".join(x["care_levels"]), x["time_band"]) if v)


def _val(x: dict) -> str:
    if x["units"] is not None:
        return f"{x['units']:,}単位"
    if x["rate"] is not None:
        return x["rate"]
    return x["step"] or "-"


def _yen(x: dict) -> str:
    return f"{x['yen']:,}円" if x.get("yen") is not None else ""


def _prices(group: dict) -> str:
    old = {x["old"].get("unit_price") for x in group["changed"]} | {x.get("unit_price") for x in group["abolished"]}
    new = {x["new"].get("unit_price") for x in group["changed"]} | {x.get("unit_price") for x in group["new"]}
    old.discard(None)
    new.discard(None)
    if not old and not new:
        return ""
    return f"  (1単位 {'/'.join(sorted(old)) or '-'}円 → {'/'.join(sorted(new)) or '-'}円)"


def text(d: dict) -> str:
    """Grouped by service; each line keeps the flat diff's form ('~ service item: old -> new')."""
    out = [f"{d['old']} → {d['new']}" + (f"  (yen at {d['grade']})" if d["grade"] else "")]
    for service, g in d["by_service"].items():
        counts = ", ".join(f"{len(g[k])} {k}" for k in ("changed", "new", "abolished") if g[k])
        out.append(f"\n{service}: {counts}{_prices(g)}")
        for c in g["changed"]:
            o, n = c["old"], c["new"]
            money = f"  {_yen(o)} → {_yen(n)}" if _yen(o) or _yen(n) else ""
            out.append(f"~ {service} {_name(o)}: {_val(o)} -> {_val(n)}{money}  ({', '.join(n['sources'])})")
        for x in g["new"]:
            money = f"  {_yen(x)}" if _yen(x) else ""
            out.append(f"+ {service} {_name(x)}: {_val(x)}{money}  ({', '.join(x['sources'])})")
        for x in g["abolished"]:
            money = f"  {_yen(x)}" if _yen(x) else ""
            out.append(f"- {service} {_name(x)}: {_val(x)}{money}  ({', '.join(x['sources'])})")
    out.append(f"\n{len(d['changed'])} changed, {len(d['added'])} new, {len(d['removed'])} abolished")
    return "\n".join(out) + "\n"


CSV_COLUMNS = ["service", "change", "item", "care_levels", "time_band", "old_units", "new_units", "old_rate", "new_rate",
               "old_yen", "new_yen", "old_unit_price", "new_unit_price", "old_period", "new_period", "sources"]


def to_csv(d: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for service, g in d["by_service"].items():
        for kind in ("changed", "new", "abolished"):
            for x in g[kind]:
                o, n = (x["old"], x["new"]) if kind == "changed" else (x, {}) if kind == "abolished" else ({}, x)
                first = o or n
                row = [service, kind, first["item"], ";".join(first["care_levels"]), first["time_band"] or "",
                       o.get("units"), n.get("units"), o.get("rate"), n.get("rate"), o.get("yen"), n.get("yen"),
                       o.get("unit_price"), n.get("unit_price"), o.get("period"), n.get("period"),
                       ";".join((n or o)["sources"])]
                w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


_CSS = """body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}
td,th{border:1px solid #888;padding:.3em .6em}th{background:#eee}td.n{text-align:right}
tr.changed td.new{color:#c00;font-weight:bold}tr.new td{color:#c00}tr.new td.kind{font-weight:bold}
tr.abolished td{text-decoration:line-through;color:#555}.legend span{margin-right:1.5em}"""


def to_html(d: dict) -> str:
    """One self-contained page: per service a table of 改定前 and 改定後, the new values in red
    (as the official tables print them), new items in red, abolished ones struck through."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="ja"><head><meta charset="utf-8">',
           f"<title>{e(d['old'])} → {e(d['new'])}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(d['old'])} → {e(d['new'])}</h1>",
           '<p class="legend"><span style="color:#c00;font-weight:bold">赤: 改定後の値・新設</span>'
           '<span style="text-decoration:line-through">取消線: 廃止</span>'
           + (f"<span>円は {e(d['grade'])} の地域単価</span>" if d["grade"] else "") + "</p>"]
    for service, g in d["by_service"].items():
        out.append(f"<h2>{e(service)}</h2><table><tr><th>区分</th><th>項目</th><th>改定前 単位</th><th>改定後 単位</th>"
                   "<th>改定前 円</th><th>改定後 円</th><th>出典</th></tr>")
        for kind, word in (("changed", "変更"), ("new", "新設"), ("abolished", "廃止")):
            for x in g[kind]:
                o, n = (x["old"], x["new"]) if kind == "changed" else (x, {}) if kind == "abolished" else ({}, x)
                first = o or n
                out.append(
                    f'<tr class="{kind}"><td class="kind">{word}</td><td>{e(_name(first))}</td>'
                    f'<td class="n old">{e(_val(o)) if o else ""}</td><td class="n new">{e(_val(n)) if n else ""}</td>'
                    f'<td class="n old">{e(_yen(o)) if o else ""}</td><td class="n new">{e(_yen(n)) if n else ""}</td>'
                    f'<td>{e(", ".join((n or o)["sources"]))}</td></tr>')
        out.append("</table>")
    out.append(f"<p>{len(d['changed'])} changed, {len(d['added'])} new, {len(d['removed'])} abolished</p></body></html>")
    return "\n".join(out) + "\n"


def render(d: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if fmt == "csv":
        return to_csv(d)
    if fmt == "html":
        return to_html(d)
    return text(d)
