"""Exports of the dataset for other systems: CSV (UTF-8 with BOM, or cp932 for legacy
spreadsheets), Parquet with typed columns (rates as decimals), SQLite with indexes; and
`diff` between two datasets or two revisions of one."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from .dataset import Item

COLUMNS = [
    ("id", "TEXT"), ("scheme", "TEXT"), ("service", "TEXT"), ("item", "TEXT"), ("kind", "TEXT"),
    ("care_levels", "TEXT"), ("time_band", "TEXT"), ("conditions", "TEXT"), ("basis", "TEXT"),
    ("order", "INTEGER"), ("limit", "TEXT"), ("units", "INTEGER"), ("rate", "TEXT"), ("rate_op", "TEXT"),
    ("step_units", "INTEGER"), ("step_minutes", "INTEGER"), ("effective_from", "TEXT"), ("effective_to", "TEXT"),
    ("status", "TEXT"), ("sources", "INTEGER"), ("source_docs", "TEXT"),
]


def flat(it: Item) -> dict:
    return {
        "id": it.id, "scheme": it.scheme, "service": it.service, "item": it.item, "kind": it.kind,
        "care_levels": ";".join(it.care_levels), "time_band": it.time_band, "conditions": ";".join(it.conditions),
        "basis": it.basis, "order": it.order, "limit": it.limit, "units": it.units,
        "rate": None if it.rate is None else str(it.rate), "rate_op": it.rate_op,
        "step_units": it.step.units if it.step else None, "step_minutes": it.step.minutes if it.step else None,
        "effective_from": it.effective_from.isoformat() if it.effective_from else None,
        "effective_to": it.effective_to.isoformat() if it.effective_to else None,
        "status": it.status, "sources": len(it.sources),
        "source_docs": ";".join(sorted({s.doc for s in it.sources})),
    }


def to_csv(items: list[Item], path: Path, encoding: str = "utf-8-sig") -> None:
    """CSV with a BOM (Excel opens it as UTF-8) or cp932 for legacy systems. A character
    cp932 cannot hold is an error naming the item, never a silent '?'."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c for c, _ in COLUMNS])
    for it in items:
        row = flat(it)
        w.writerow(["" if row[c] is None else row[c] for c, _ in COLUMNS])
    data = buf.getvalue()
    try:
        encoded = data.encode(encoding)
    except UnicodeEncodeError as e:
        bad = data[e.start:e.end]
        raise ValueError(f"'{bad}' cannot be written in {encoding}; use --encoding utf-8-sig") from None
    path.write_bytes(encoded)


def to_sqlite(items: list[Item], path: Path) -> None:
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    try:
        cols = ", ".join(f'"{c}" {t}' for c, t in COLUMNS)
        con.execute(f"CREATE TABLE items ({cols}, PRIMARY KEY (id))")
        con.execute("CREATE TABLE sources (item_id TEXT, doc TEXT, sha256 TEXT, page INTEGER, line INTEGER, units INTEGER, rate TEXT, raw TEXT)")
        names = ", ".join(f'"{c}"' for c, _ in COLUMNS)
        marks = ", ".join("?" for _ in COLUMNS)
        con.executemany(f"INSERT INTO items ({names}) VALUES ({marks})", [[flat(it)[c] for c, _ in COLUMNS] for it in items])
        con.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (it.id, s.doc, s.sha256, s.page, s.line, s.units, None if s.rate is None else str(s.rate), s.raw)
            for it in items for s in it.sources])
        con.execute("CREATE INDEX items_key ON items (service, item, care_levels, time_band)")
        con.execute("CREATE INDEX items_period ON items (effective_from, effective_to)")
        con.execute("CREATE INDEX sources_item ON sources (item_id)")
        con.commit()
    finally:
        con.close()


def to_parquet(items: list[Item], path: Path) -> None:
    """Typed columns: units and steps int32, rates decimal128(9, 6), dates date32."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [flat(it) for it in items]
    types = {"INTEGER": pa.int32(), "TEXT": pa.string()}
    fields, arrays = [], []
    for c, t in COLUMNS:
        values = [r[c] for r in rows]
        if c == "rate":
            typ = pa.decimal128(9, 6)
            values = [None if v is None else Decimal(v) for v in values]
        elif c in ("effective_from", "effective_to"):
            typ = pa.date32()
            values = [it.effective_from if c == "effective_from" else it.effective_to for it in items]
        else:
            typ = types[t]
        fields.append(pa.field(c, typ))
        arrays.append(pa.array(values, type=typ))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)


# -- diff -----------------------------------------------------------------------------------

def _dkey(it: Item) -> tuple:
    """What an item is, across revisions: without its period (a 改定 changes values, and
    the period says which)."""
    return (it.scheme, it.service, it.item, tuple(it.care_levels), it.time_band, it.kind, it.order,
            tuple(it.conditions) if it.service is None else ())


def _val(it: Item) -> dict:
    return {"units": it.units, "rate": None if it.rate is None else str(it.rate),
            "step": None if it.step is None else f"+{it.step.units}/{it.step.minutes}分"}


def diff(old: list[Item], new: list[Item]) -> dict:
    olds, news = {}, {}
    for it in old:
        olds.setdefault(_dkey(it), []).append(it)
    for it in new:
        news.setdefault(_dkey(it), []).append(it)
    added, removed, changed = [], [], []

    def desc(k, it):
        return {"service": k[1], "item": k[2], "care_levels": list(k[3]), "time_band": k[4], **_val(it),
                "sources": sorted({s.doc for s in it.sources})}

    for k in sorted(set(olds) | set(news), key=str):
        a, b = olds.get(k, []), news.get(k, [])
        if not a:
            added += [desc(k, it) for it in b]
        elif not b:
            removed += [desc(k, it) for it in a]
        else:
            va, vb = sorted(json.dumps(_val(i)) for i in a), sorted(json.dumps(_val(i)) for i in b)
            if va != vb:
                changed.append({"old": desc(k, a[0]), "new": desc(k, b[0])})
    return {"added": added, "removed": removed, "changed": changed}


def diff_text(d: dict) -> str:
    out = []
    show = lambda x: f"{x['service'] or '-'} {x['item']}" + (f" {'・'.join(x['care_levels'])}" if x['care_levels'] else "") + (f" {x['time_band']}" if x['time_band'] else "")  # noqa: E731
    val = lambda x: x["units"] if x["units"] is not None else x["rate"] if x["rate"] is not None else x["step"]  # noqa: E731
    for x in d["removed"]:
        out.append(f"- {show(x)}: {val(x)}  ({', '.join(x['sources'])})")
    for x in d["added"]:
        out.append(f"+ {show(x)}: {val(x)}  ({', '.join(x['sources'])})")
    for c in d["changed"]:
        out.append(f"~ {show(c['old'])}: {val(c['old'])} -> {val(c['new'])}  ({', '.join(c['new']['sources'])})")
    out.append(f"{len(d['added'])} added, {len(d['removed'])} removed, {len(d['changed'])} changed")
    return "\n".join(out) + "\n"
