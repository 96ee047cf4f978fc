"""Planted inconsistencies: one known problem in a document, with the finding that names it.

``make_corpus.py --plant F`` plants, in a fraction F of the documents (those without the
``error`` axis's wrong amount), one of the problems real fee documents print:

- ``yen-off``: one printed amount one yen off (a total, a benefit or a user's share);
- ``units-transposed``: two adjacent digits of one row's units swapped (387 → 378), its yen
  left right;
- ``share-doubled``: a 2割 printed as twice the 1割 (2 × 431 = 862 where the law gives 861);
- ``total-copied``: a 10割 copied from the row printed above it;
- ``half-up``: every 10割 rounded half-up instead of floor(units × 単価), its shares split
  from that total (an office's habit: a warning, not an error per row);
- ``stale-r3``: a 訪問看護 document printing the 令和3年度 units the package ships
  (extractor/data/service_codes_r3_excerpt.csv), its yen made from them.

A plant is planted only where something in the document or in the official 令和6 table
can tell it: a row whose units are printed beside its yen, or an item whose official
units are built in. The plant draws from its own RNG (``tariff-plant:SEED:INDEX``), never
from the plan's, so a document without a plant is byte for byte what it was without
``--plant``. Its record (``planted`` in NAME.expected.json) names the row and lists the
findings that report it: any one of ``expect`` (its code and the values its ``data`` must
hold; a dotted key reads inside a field) is the right report.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal
from pathlib import Path

from . import money

# only 訪問看護 can print 令和3 units, and only 1/2/3割 tables print a 2割
RARE = ("stale-r3", "share-doubled")
KINDS = ("yen-off", "units-transposed", "share-doubled", "total-copied", "half-up", "stale-r3")

R3_CSV = Path(__file__).resolve().parents[2] / "extractor" / "data" / "service_codes_r3_excerpt.csv"
BUILT_IN_JSON = Path(__file__).resolve().parents[2] / "extractor" / "data" / "service_codes_r6.json"


@lru_cache(maxsize=1)
def built_in() -> set[tuple[str, str]]:
    """(service_type, short name) of every code whose official units the package ships."""
    return {(c["service_type"], c["short_name"]) for c in json.loads(BUILT_IN_JSON.read_text("utf-8"))["codes"]}


@lru_cache(maxsize=1)
def r3_units() -> dict[str, int]:
    """short name -> 令和3年度 units, as the package ships them."""
    with R3_CSV.open(encoding="utf-8") as f:
        return {r["short_name"]: int(r["units"]) for r in csv.DictReader(f)}


@dataclass
class Plant:
    kind: str
    row: int | None = None  # the expected row it acts on (None: every row, for half-up and stale-r3)
    key: str | None = None  # the amount it changes
    value: int | None = None  # what is printed instead
    correct: int | None = None
    expect: list[dict] = field(default_factory=list)
    r3: dict[str, int] = field(default_factory=dict)

    def units_of(self, item) -> int:
        """The units a row is printed with and priced by (令和3's for a stale document)."""
        if self.kind == "stale-r3" and item.ref in self.r3:
            return self.r3[item.ref]
        return item.units

    def total_of(self, units: int, price: Decimal) -> int | None:
        """The 10割 the office printed, when its habit is not the law's floor."""
        return money.half_up_yen(Decimal(units) * price) if self.kind == "half-up" else None

    def apply(self, index: int, row: dict) -> int | None:
        """Change expected row ``index`` in place; the units it prints, when they changed."""
        if index != self.row:
            return None
        if self.kind == "units-transposed":
            row["units"] = self.value
            return self.value
        row["amounts"][self.key] = self.value
        return None

    def record(self) -> dict:
        return {"kind": self.kind, "row": self.row, "amount": self.key, "printed": self.value,
                "correct": self.correct, "expect": self.expect}


def _transposed(n: int, rng: random.Random) -> int | None:
    s = str(n)
    pairs = [i for i in range(len(s) - 1) if s[i] != s[i + 1] and not (i == 0 and s[1] == "0")]
    if not pairs:
        return None
    i = rng.choice(pairs)
    return int(s[:i] + s[i + 1] + s[i] + s[i + 2:])


def _known(b, i: int) -> bool:
    """Row ``i``'s units are printed, or its service's official units are built in."""
    return b.expected[i]["units"] is not None or _official(b, i)


def _official(b, i: int) -> bool:
    """Row ``i``'s item has its official units built into the package."""
    item = b.row_items[i]
    return item is not None and (b.svc.service_type, item.ref) in built_in()


def _yen_alternatives(key: str, value: int, amounts: dict) -> list[dict]:
    if key == "total":  # held to its units, or, with none printed or built in, to the units no total skips
        return [{"code": "amount-mismatch", "data": {"printed_yen": value}},
                {"code": "unreachable-amount", "data": {"printed_yen": value}}]
    if "total" in amounts:
        return [{"code": "split-mismatch", "data": {f"printed_split.{key}": value}}]
    return [{"code": "amount-mismatch", "data": {"printed_yen": value, "share": int(key[-1])}}]


def candidates(b) -> dict[str, list]:
    """What each kind could be planted on in a built (unplanted) plan: rows, or [True] for
    the kinds that act on the whole document."""
    rows = b.expected
    out: dict[str, list] = {k: [] for k in KINDS}
    for i, r in enumerate(rows):
        if r["rate"] is not None or not _known(b, i):
            continue
        a = r["amounts"]
        if a:
            out["yen-off"].append(i)
        if r["units"] is not None and (a or _official(b, i)):
            if len(str(r["units"])) > 1 and _transposed(r["units"], random.Random(0)) is not None:
                out["units-transposed"].append(i)
        if "copay1" in a and "copay2" in a and 2 * a["copay1"] != a["copay2"]:
            out["share-doubled"].append(i)
        up = b.above.get(i)
        if "total" in a and up is not None and "total" in rows[up]["amounts"] and rows[up]["amounts"]["total"] != a["total"]:
            out["total-copied"].append(i)
    telling = [i for i, r in enumerate(rows) if "total" in r["amounts"] and _known(b, i)
               and money.half_up_yen(Decimal(r["true_units"]) * b.price) != money.total_of(r["true_units"], b.price)]
    if len(telling) >= 2:
        out["half-up"] = [True]
    r3 = r3_units()
    if b.svc.key == "houmon_kango" and any(it is not None and it.ref in r3 for it in b.row_items):
        out["stale-r3"] = [True]
    return {k: v for k, v in out.items() if v}


def choose(rng: random.Random, b) -> Plant | None:
    """One plant for a built plan, or None when nothing can be planted where it can be told."""
    cands = candidates(b)
    if not cands:
        return None
    kind = None
    for rare in RARE:  # kinds few documents can carry are drawn more often where they can
        if rare in cands and rng.random() < 0.5:
            kind = rare
            break
    if kind is None:
        kind = rng.choice(sorted(k for k in cands if k not in RARE) or sorted(cands))
    rows = b.expected
    if kind == "stale-r3":
        return Plant(kind, r3=r3_units(), expect=[{"code": "stale-revision", "data": {"revision_from": "2021-04-01"}}])
    if kind == "half-up":
        return Plant(kind, expect=[{"code": "rounding-habit", "severity": "warning", "data": {"habit": "half-up"}}])
    i = rng.choice(cands[kind])
    a = rows[i]["amounts"]
    if kind == "yen-off":
        key = rng.choice(sorted(a))
        value = a[key] + rng.choice([1, -1])
        value = value if value > 0 else a[key] + 1
        return Plant(kind, i, key, value, a[key], _yen_alternatives(key, value, a))
    if kind == "units-transposed":
        units = rows[i]["units"]
        value = _transposed(units, rng)
        alts = [{"code": "amount-mismatch", "data": {"units": value}}] if a else []
        if _official(b, i):
            alts.append({"code": "reference-mismatch", "data": {"printed_units": value}})
        return Plant(kind, i, None, value, units, alts)
    if kind == "share-doubled":
        value = 2 * a["copay1"]
        return Plant(kind, i, "copay2", value, a["copay2"], _yen_alternatives("copay2", value, a))
    value = rows[b.above[i]]["amounts"]["total"]  # total-copied
    return Plant(kind, i, "total", value, a["total"], [{"code": "amount-mismatch", "data": {"printed_yen": value}}])


def _get(data: dict, key: str):
    for part in key.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def reports(expect: list[dict], finding: dict) -> bool:
    """Whether a finding (``code``, ``severity``, ``data`` as ``tariff check --format json``
    writes it) is one of a plant's right reports."""
    for alt in expect:
        if finding["code"] != alt["code"] or finding["severity"] != alt.get("severity", "error"):
            continue
        if all(str(_get(finding.get("data") or {}, k)) == str(v) for k, v in alt["data"].items()):
            return True
    return False
