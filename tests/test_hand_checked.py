"""The seeds as read by hand (tests/hand/*.csv, written from the documents, not from the
tool): the extracted rows must carry exactly these values, on rows with these items,
care levels and time bands.

Conventions of the hand tables: a time-stepped row's units are the rule's base and its
step_units the rule's step; where the step printed beside the rule differs (seed 004
line 149: '(2184単位に30分を増すごとに+80単位) +81'), the row keeps the rule's 80, the
printed 81 stays in step.printed_units, and extraction reports step-rule-mismatch."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pytest

from extractor.pipeline import extract

from .conftest import HAND, seed

COLUMNS = ["item", "care_levels", "time_band", "units", "rate", "step_units", "step_minutes", "total", "benefit", "copay1"]
OPTIONAL = ["service", "order", "effective_from", "effective_to"]  # a hand table may add these


def norm(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, Decimal) or (isinstance(v, str) and "." in v):
        return str(Decimal(str(v)).normalize())
    return str(v)


def tool_rows(path, extra: list[str]) -> Counter:
    out = Counter()
    for r in extract(path).rows:
        values = [
            r.item, ";".join(r.care_levels), r.time_band, r.units, r.rate,
            r.step.units if r.step else None, r.step.minutes if r.step else None,
            r.amounts.get("total"), r.amounts.get("benefit"), r.amounts.get("copay1"),
        ] + [getattr(r, c) for c in extra]
        out[tuple(norm(x) for x in values)] += 1
    return out


def hand_rows(name) -> tuple[Counter, list[str]]:
    with open(HAND / name, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        extra = [c for c in OPTIONAL if c in (reader.fieldnames or [])]
        return Counter(tuple(norm(row[c]) for c in COLUMNS + extra) for row in reader), extra


HAND_TABLES = sorted(p.stem for p in HAND.glob("*.csv"))


@pytest.mark.parametrize("prefix", HAND_TABLES)
def test_seed_matches_hand_reading(prefix):
    path = seed(prefix)
    want, extra = hand_rows(f"{prefix}.csv")
    got = tool_rows(path, extra)
    missing, extra = want - got, got - want
    assert not missing and not extra, f"missing: {sorted(missing)}\nextra: {sorted(extra)}"


def test_seed_004_disputed_step_is_reported_not_resolved():
    res = extract(seed("004"))
    row = next(r for r in res.rows if r.time_band == "12時間以上16時間未満")
    assert (row.step.units, row.step.printed_units, row.amounts["total"]) == (80, 81, 907)
    found = [f for f in res.findings if f.code == "step-rule-mismatch"]
    assert [(f.line, f.printed, f.expected, f.severity) for f in found] == [(149, "81単位", "80単位", "error")]
