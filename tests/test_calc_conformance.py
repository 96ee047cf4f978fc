"""Conformance of the modifier calculator with the official 令和6年度 service-code table.

What this proves: for 訪問介護 (11), 訪問看護 (13) and 居宅介護支援 (43), every
composite service code (a short name with ``・``-separated modifier abbreviations,
e.g. ``身体介護０１・２人・夜``) is recomputed from its base row with
``extractor.modifiers.apply_all``, using only the grammar written down in
``tests/calc_cases/composite_codes.json`` (abbreviation → printed modifier, the
per-type application order, head aliases for finding the base row). Then:

(a) at least 99% of the composable composite rows of each type (base row present
    with non-zero units) reproduce the official units exactly;
(b) every composite row that does not reproduce is listed in ``exceptions`` with
    its code, and every listed exception really does not reproduce with the
    listed units (so the list cannot go stale, and nothing is skipped silently);
(c) the number of rows considered per type is positive, so the test can fail.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from extractor.modifiers import apply_all

CSV = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "service_codes_r6_peer.csv"
SPEC = Path(__file__).resolve().parent / "calc_cases" / "composite_codes.json"
TYPES = ["11", "13", "43"]


def _rows(service_type: str) -> list[dict[str, str]]:
    if not CSV.exists():
        pytest.skip(f"reference table not present: {CSV} (shared peer data is not part of this repo)")
    with CSV.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["service_type"] == service_type]


def _spec(service_type: str) -> dict:
    return json.loads(SPEC.read_text(encoding="utf-8"))["types"][service_type]


def _base_name(spec: dict, head: str, names: dict[str, int]) -> str:
    """HEAD itself when it is a row, else the first head alias that rewrites it."""
    if head in names:
        return head
    for alias in spec["head_aliases"]:
        rewritten = re.sub(alias["pattern"], alias["replace"], head)
        if rewritten != head:
            return rewritten
    return head


def _compose(spec: dict, short_name: str, units_by_name: dict[str, int]) -> tuple[str, int | None]:
    """(base row name, computed units or None when the base row is missing)."""
    head, *tokens = short_name.split("・")
    base = _base_name(spec, head, units_by_name)
    if base not in units_by_name:
        return base, None
    position = {group: i for i, group in enumerate(spec["order"])}
    for token in tokens:  # an unknown abbreviation is a grammar gap, not an exception
        assert token in spec["abbreviations"], f"{short_name}: abbreviation '{token}' is not in the grammar"
    ordered = sorted(tokens, key=lambda t: position[spec["groups"].get(t, t)])
    # groups named in "together" are one step, each amount taken from the same units
    together = set(spec.get("together", []))
    steps: list = []
    for t in ordered:
        mod = spec["abbreviations"][t]
        if spec["groups"].get(t, t) in together:
            if not (steps and isinstance(steps[-1], list)):
                steps.append([])
            steps[-1].append(mod)
        else:
            steps.append(mod)
    return base, apply_all(units_by_name[base], steps)


@pytest.mark.parametrize("service_type", TYPES)
def test_composite_codes_reproduce(service_type: str) -> None:
    """Recompute every composite row of one service type and check (a), (b), (c)."""
    rows = _rows(service_type)
    spec = _spec(service_type)
    units_by_name = {r["short_name"]: int(r["units"]) for r in rows}
    exceptions = {e["service_code"]: e for e in spec["exceptions"]}

    composite = [r for r in rows if "・" in r["short_name"]]
    composable = reproduced = 0
    unlisted: list[str] = []
    stale: list[str] = []
    for row in composite:
        base, computed = _compose(spec, row["short_name"], units_by_name)
        units = int(row["units"])
        ok = computed == units
        if computed is not None and units_by_name[base] != 0:
            composable += 1
            reproduced += ok
        code = row["service_code"]
        if ok and code in exceptions:
            stale.append(f"{code} {row['short_name']}: listed as an exception but reproduces ({units})")
        if not ok:
            if code not in exceptions:
                unlisted.append(f"{code} {row['short_name']}: table {units}, computed {computed}")
            else:
                listed = exceptions[code]
                if listed["units"] != units or listed["computed"] != computed or listed["short_name"] != row["short_name"]:
                    stale.append(f"{code}: exception entry {listed} no longer matches (table {units}, computed {computed})")
    missing = sorted(set(exceptions) - {r["service_code"] for r in composite})

    print(f"type {service_type}: rows={len(rows)} composite={len(composite)} composable={composable} "
          f"reproduced={reproduced} exceptions={len(exceptions)}")
    assert len(rows) > 0 and len(composite) > 0 and composable > 0  # (c)
    assert not unlisted, f"{len(unlisted)} rows do not reproduce and are not listed:\n" + "\n".join(unlisted[:50])
    assert not stale, "stale exceptions:\n" + "\n".join(stale[:50])
    assert not missing, f"exceptions for codes not among the composite rows: {missing[:50]}"
    assert all(e["reason"].strip() for e in exceptions.values())
    assert reproduced >= 0.99 * composable, (  # (a)
        f"type {service_type}: only {reproduced}/{composable} ({reproduced / composable:.1%}) composable "
        f"composite rows reproduce with apply_all; see the exception reasons in {SPEC.name}")
