"""Tables -> tariff rows: each body cell to its column, each column's numbers to their
role (header words, then arithmetic), and each row's keys (item, time band, care level,
room) through the shared grammars of ``terms``.

A label printed once for several rows (a merged cell, at the top or centred) belongs to
every row it spans: the rows between two labels go with the label above, unless the row
keys start over (a time band or care level lower than the row before), which marks the
start of the next label's rows. A row of yen with no keys under a row of units is that
row's yen (a units line followed by its yen line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import regex as re

from ..services import Service, find_service
from ..terms import (
    CARE_ORDER,
    band_minutes,
    canonical_item,
    kind_of,
    parse_basis,
    parse_care_levels,
    parse_time_band,
    strip_care_levels,
)
from ..tables.cells import Cell, Row
from ..tables.structure import Table, is_value_cell
from . import values as V
from .columns import AMOUNT_ROLES, KEY_ROLES, Column, header_role, out_of_scope_words, role_in_title, settle

_HOURS_RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*~\s*(\d+(?:\.\d+)?)\s*未満$")
_DECOR = re.compile(r"^[\s#■□●○◆◇▼▽◎・*＊※]+|[\s:：]+$")


@dataclass
class Built:
    """One row as read, before it becomes a ``TariffRow``."""

    lines: list
    key: tuple[str, str] | None
    fields: dict
    amounts: dict = field(default_factory=dict)
    units: int | None = None
    rate: Decimal | None = None


def _fits(cell: Cell, col: Column | None) -> int:
    if col is None:
        return 0
    value = bool(re.search(r"\d", cell.text)) and not parse_time_band(cell.text) and not parse_care_levels(cell.text)
    is_value_col = col.role not in KEY_ROLES or col.key is not None
    if not cell.text:
        return 0
    return 1 if value == is_value_col else -1


def assign(row: Row, cols: list[Column], aligned: bool) -> list[tuple[Column | None, Cell]]:
    """Each cell of ``row`` with the column it lies in."""
    if aligned and row.aligned:
        out = []
        for c in row.filled:
            over = [(min(c.end, k.end) - max(c.start, k.start), k) for k in cols if k.start < c.end and c.start < k.end]
            if over:
                out.append((max(over, key=lambda o: o[0])[1], c))
            else:
                mid = (c.start + c.end) / 2
                out.append((min(cols, key=lambda k: abs((k.start + k.end) / 2 - mid)), c))
        return out
    cells = row.cells if not row.aligned else row.filled
    n = len(cols)
    if len(cells) >= n:
        return [(cols[i] if i < n else None, c) for i, c in enumerate(cells)]
    left = [(cols[i], c) for i, c in enumerate(cells)]
    shift = n - len(cells)
    right = [(cols[i + shift], c) for i, c in enumerate(cells)]
    score = lambda pairs: sum(_fits(c, k) for k, c in pairs)  # noqa: E731
    return left if score(left) > score(right) else right


def _band(text: str, hours: bool) -> str | None:
    band = parse_time_band(text)
    if band:
        return band
    m = _HOURS_RANGE.match(text.strip())
    if m and hours:  # '2~3未満' under a (単位:時間) header
        return parse_time_band(f"{m.group(1)}時間以上{m.group(2)}時間未満")
    return None


def _order(fields: dict) -> int | None:
    band = band_minutes(fields.get("time_band") or "")
    if band:
        return band[0]
    levels = fields.get("care_levels")
    return CARE_ORDER.index(levels[0]) if levels else None


def _title(table: Table) -> str:
    for ln in reversed(table.above):
        t = _DECOR.sub("", ln.text.replace("\t", " ")).strip()
        if 2 <= len(t) <= 40 and not re.search(r"\d{3,}|\d\s*(?:円|単位)|単価", t):
            return t
    return ""


def _out_of_scope(name: str) -> bool:
    return any(w in name for w in out_of_scope_words())


def read_table(table: Table, stated: Decimal | None, doc_service: Service | None,
               make_row: Callable) -> tuple[list, dict]:
    cols = table.columns
    title = _title(table)
    header_text = " ".join(c.header for c in cols)
    service = find_service(title) or find_service(header_text) or doc_service
    scheme = service.scheme if service else None
    hours = "時間" in header_text or "時間" in title
    placed = [assign(r, cols, table.aligned) for r in table.body]

    _check_kinds(cols, placed)

    # --- the role of every value column: header words, then arithmetic -----------------
    def primary(col: Column | None, cell: Cell) -> int | None:
        v = V.read(cell.text)
        if col is not None and col.role == "units" and v.units is not None:
            return v.units
        return v.yen[0] if v.yen else (v.bare if v.bare is not None else v.units)

    slots: dict[tuple, list[Column]] = {}  # (position in its group) -> columns, pivots stacked
    group_pos: dict[int, tuple] = {}
    by_key: dict = {}
    for col in cols:
        if col.role in KEY_ROLES and col.key is None:
            continue
        by_key.setdefault(col.key, []).append(col)
    for key, group in by_key.items():
        for pos, col in enumerate(group):
            slot = (pos if key is not None else col.index,)
            slots.setdefault(slot, []).append(col)
            group_pos[id(col)] = slot
    matrix: dict[tuple, list[int | None]] = {s: [] for s in slots}
    for pairs in placed:
        got = {id(c): primary(c, cell) for c, cell in pairs if c is not None}
        for s, group in slots.items():
            for col in group:
                matrix[s].append(got.get(id(col)))
    header_roles = {s: group[0].role for s, group in slots.items()}
    proved, why, price = settle(matrix, header_roles, stated, scheme)
    role_of: dict[int, str | None] = {}
    for s, group in slots.items():
        for col in group:
            role = proved.get(s, col.role)
            if s in proved and proved[s] != col.role:
                col.why = why[s] + (f" (header said {col.role})" if col.role else "")
            elif s in proved and not col.why:
                col.why = why[s]
            col.role = role
            role_of[id(col)] = role

    # --- rows ---------------------------------------------------------------------------
    built: list[Built] = []
    keys_by_row: list[dict] = []
    for r, pairs in zip(table.body, placed):
        keys: dict[str, str] = {}
        for col, cell in pairs:
            if col is not None and cell.text and col.role in KEY_ROLES and col.key is None:
                keys.setdefault(col.role, cell.text)
            elif col is None and cell.text and not re.search(r"\d", cell.text):
                keys.setdefault("note", cell.text)
        keys_by_row.append(keys)
    label_rows = _spread_labels(table, keys_by_row, hours)
    first_key = next((c.header for c in cols if c.role in KEY_ROLES and c.key is None and c.header), "")
    for keys in label_rows:
        keys["_header"] = first_key

    title_role = role_in_title(title)
    prev: list[Built] = []
    for i, (r, pairs) in enumerate(zip(table.body, placed)):
        keys = label_rows[i]
        groups: dict = {}
        loose_role = title_role
        for col, cell in pairs:
            if not cell.text:
                continue
            if col is None or (col.role in KEY_ROLES and col.key is None):
                hr = header_role(cell.text)  # a trailing word naming this line's amounts ('利用者負担金')
                if hr and hr[0] in AMOUNT_ROLES and not re.search(r"\d", cell.text):
                    loose_role = hr[0]
                continue
            v = V.read(cell.text)
            if v.empty:
                continue
            groups.setdefault(col.key, []).append((col, v))
        if not groups:
            continue
        own_keys = bool(keys_by_row[i].get("item") or keys_by_row[i].get("time_band") or keys_by_row[i].get("care_level"))
        if prev and not own_keys and _yen_line(groups) and all(b.units is not None and not b.amounts for b in prev):
            _attach_yen(prev, groups, loose_role, price, r)
            continue
        row_built = []
        for key, items in groups.items():
            b = Built(lines=[r.line], key=key, fields=dict(keys))
            for col, v in items:
                role = role_of.get(id(col))
                if v.units is not None and (role == "units" or b.units is None and role != "units"):
                    b.units = v.units
                if v.rate is not None and b.rate is None:
                    b.rate = v.rate
                for share, amount in v.shares.items():
                    b.amounts[share] = amount
                if role == "units" and v.units is None and v.bare is not None:
                    b.units = v.bare
                elif role in AMOUNT_ROLES:
                    amount = v.yen[0] if v.yen else v.bare
                    if amount is not None:
                        b.amounts.setdefault(role, amount)
                elif role is None and v.yen and not b.amounts:
                    b.amounts[loose_role or "total"] = v.yen[0]
            if b.units is None and not b.amounts and b.rate is None:
                continue
            row_built.append(b)
        built.extend(row_built)
        prev = row_built

    rows = []
    for b in built:
        row = _finish(b, title, service, hours, make_row)
        if row is not None:
            if price is not None and stated is None:
                pass
            rows.append(row)
    report = {
        "lines": [table.header[0].line.number, (table.body[-1].line.number if table.body else table.header[-1].line.number)],
        "page": table.header[0].line.page,
        "columns": [c.to_report() for c in cols],
        "rows_printed": sum(1 for pairs in placed if any(V.read(c.text).empty is False for _, c in pairs)),
        "rows_read": len(rows),
        "unit_price": str(price) if price is not None else None,
    }
    return rows, report


def _check_kinds(cols: list[Column], placed: list) -> None:
    """A header word is checked against what its column holds: a key column whose cells
    are numbers ('処遇改善加算後' over units) holds values, and a column without a role whose
    cells are words is the rows' label when no column names the item."""
    cells: dict[int, list[str]] = {}
    for pairs in placed:
        for col, cell in pairs:
            if col is not None and cell.text:
                cells.setdefault(id(col), []).append(cell.text)
    has_item = any(c.role in ("item", "service") for c in cols)
    for col in cols:
        texts = cells.get(id(col), [])
        if not texts or col.key is not None:
            continue
        numbers = sum(1 for t in texts if is_value_cell(t))
        if col.role in KEY_ROLES and col.role != "limit" and numbers * 5 >= len(texts) * 4:
            col.why, col.role = f"values under a {col.role} header ({col.header})", None
        elif col.role is None and numbers == 0 and not has_item:
            col.role, col.why, has_item = "item", "words, no header", True


def _yen_line(groups: dict) -> bool:
    return all(v.yen and v.units is None for items in groups.values() for _, v in items)


def _attach_yen(prev: list[Built], groups: dict, loose_role: str | None, price, r: Row) -> None:
    """A line of yen under a line of units: each yen goes to the row of its column."""
    yens = [v.yen[0] for items in groups.values() for _, v in items]
    if len(yens) != len(prev):
        return
    for b, yen in zip(prev, yens):
        role = loose_role
        if role is None:
            role = "total"
        b.amounts[role] = yen
        b.lines.append(r.line)


def _spread_labels(table: Table, keys_by_row: list[dict], hours: bool) -> list[dict]:
    """Every row's keys, with a merged cell's label given to each row it spans."""
    out = [dict(k) for k in keys_by_row]
    for role in ("item", "service", "room", "care_level"):
        labelled = [i for i, k in enumerate(keys_by_row) if k.get(role)]
        if not labelled or len(labelled) == len(keys_by_row):
            continue
        orders = []
        for k in keys_by_row:
            f = {}
            if k.get("time_band"):
                f["time_band"] = _band(k["time_band"], hours)
            if k.get("care_level"):
                f["care_levels"] = parse_care_levels(k["care_level"])
            orders.append(_order(f))
        restart = {i for i in range(1, len(orders))
                   if orders[i] is not None and orders[i - 1] is not None and orders[i] <= orders[i - 1]}
        for i in range(len(out)):
            if out[i].get(role):
                continue
            above = max((j for j in labelled if j < i), default=None)
            below = min((j for j in labelled if j > i), default=None)
            if above is not None and not any(above < b <= i for b in restart):
                out[i][role] = keys_by_row[above][role]
            elif below is not None and not any(i < b <= below for b in restart):
                out[i][role] = keys_by_row[below][role]
            elif above is not None:
                out[i][role] = keys_by_row[above][role]
    return out


def _finish(b: Built, title: str, service: Service | None, hours: bool, make_row: Callable):
    keys = b.fields
    item_text = keys.get("item") or keys.get("service") or ""
    band = None
    levels: list[str] = []
    if b.key and b.key[0] == "time_band":
        band = b.key[1]
    if b.key and b.key[0] == "care_level":
        levels = [b.key[1]]
    if keys.get("time_band"):
        band = band or _band(keys["time_band"], hours)
    if keys.get("care_level"):
        levels = levels or parse_care_levels(keys["care_level"])
    band = band or parse_time_band(item_text) or parse_time_band(title)
    levels = levels or parse_care_levels(item_text)
    name = item_text
    if band:
        name = re.sub(r"\s+", "", name).replace(band, "")
        name = re.sub(r"\d+(?:時間)?(?:\d+分)?(?:以上|未満)+", "", name)
    name = strip_care_levels(name)
    name = canonical_item(_DECOR.sub("", name)) if name.strip() else ""
    room = keys.get("room")
    conditions = [room] if room else []
    if not name:  # a table keyed only by care level or time band: its title names the fee
        name = room or title or (service.canonical if service else "") or b.fields.get("_header", "")
    if not name or _out_of_scope(name):
        return None
    label = " ".join(x for x in (title if title not in name else "", item_text or name, room or "") if x)
    row_service = find_service(item_text) or service
    text = " ".join(ln.text for ln in b.lines)
    rate_op = "add" if b.rate is not None else None
    return make_row(
        b.lines, service=row_service, item=name, label=label, kind=kind_of(name),
        care_levels=levels, time_band=band, conditions=conditions, units=b.units,
        rate=b.rate, rate_op=rate_op, basis=parse_basis(text), amounts=b.amounts,
    )
