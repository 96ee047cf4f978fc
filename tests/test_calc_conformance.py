"""Conformance of the modifier calculator with the official 令和6年度 service-code table.

What this proves: for 訪問介護 (11), 訪問看護 (13) and 居宅介護支援 (43), every
composite service code (a short name with ``・``-separated modifier abbreviations,
e.g. ``身体介護０１・２人・夜``) is recomputed from its base row with
``extractor.modifiers.apply_all``, using only the grammar written down in
``tests/calc_cases/composite_codes.json`` (abbreviation → printed modifier, the
per-type application order, head aliases for finding the base row). Then:

(a) at least 99% of the composite rows of each type reproduce the official units
    exactly, and so do at least 99% of those printed with units. A row printed with
    0 units has no fixed units (身体介護９, worked out at claim time); a composite
    row over such a base reproduces when the table prints 0 for it too ("open_units"
    in the data file);
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


OPEN = "no fixed units"  # a row the table prints with 0 units (see "open_units" in the data file)


def _base(spec: dict, head: str, units: dict[str, int | None]) -> tuple[str, list[str]]:
    """(base row name, the TOKENs the head itself carries): HEAD itself when it is a row,
    else the first head alias whose rewrite names a row, else the first rewrite."""
    if head in units:
        return head, []
    rewrites = [re.sub(a["pattern"], a["replace"], head) for a in spec["head_aliases"]]
    rewrites = [r for r in rewrites if r != head] or [head]
    name, *extra = next((r for r in rewrites if r.split("・")[0] in units), rewrites[0]).split("・")
    return name, extra


def _compose(spec: dict, short_name: str, units: dict[str, int | None]) -> tuple[str, int | str | None]:
    """(base row name, the composed units; OPEN when the base has no fixed units, None
    when there is no base row)."""
    head, *tokens = short_name.split("・")
    base, extra = _base(spec, head, units)
    tokens = extra + tokens
    for token in tokens:  # an unknown abbreviation is a grammar gap, not an exception
        assert token in spec["abbreviations"], f"{short_name}: abbreviation '{token}' is not in the grammar"
    if base not in units:
        return base, None
    if units[base] is None:
        return base, OPEN  # modifiers on units worked out at claim time leave them open
    position = {group: i for i, group in enumerate(spec["order"])}
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
    return base, apply_all(units[base], steps)


@pytest.mark.parametrize("service_type", TYPES)
def test_composite_codes_reproduce(service_type: str) -> None:
    """Recompute every composite row of one service type and check (a), (b), (c)."""
    rows = _rows(service_type)
    spec = _spec(service_type)
    units = {r["short_name"]: (int(r["units"]) or None) for r in rows}  # 0: no fixed units
    exceptions = {e["service_code"]: e for e in spec["exceptions"]}

    composite = [r for r in rows if "・" in r["short_name"]]
    numeric = reproduced = open_rows = 0
    unlisted: list[str] = []
    stale: list[str] = []
    for row in composite:
        base, computed = _compose(spec, row["short_name"], units)
        printed = int(row["units"])
        ok = computed == printed or (computed == OPEN and printed == 0)
        if printed:
            numeric += 1
        open_rows += ok and computed == OPEN
        reproduced += ok
        code = row["service_code"]
        if ok and code in exceptions:
            stale.append(f"{code} {row['short_name']}: listed as an exception but reproduces ({printed})")
        if not ok:
            if code not in exceptions:
                unlisted.append(f"{code} {row['short_name']}: table {printed}, computed {computed} (base {base})")
            else:
                listed = exceptions[code]
                if listed["units"] != printed or listed["computed"] != computed or listed["short_name"] != row["short_name"]:
                    stale.append(f"{code}: exception entry {listed} no longer matches (table {printed}, computed {computed})")
    missing = sorted(set(exceptions) - {r["service_code"] for r in composite})

    print(f"type {service_type}: rows={len(rows)} composite={len(composite)} printed-with-units={numeric} "
          f"reproduced={reproduced} (of which no-fixed-units={open_rows}) exceptions={len(exceptions)}")
    assert len(rows) > 0 and len(composite) > 0 and numeric > 0  # (c)
    assert not unlisted, f"{len(unlisted)} rows do not reproduce and are not listed:\n" + "\n".join(unlisted[:50])
    assert not stale, "stale exceptions:\n" + "\n".join(stale[:50])
    assert not missing, f"exceptions for codes not among the composite rows: {missing[:50]}"
    assert all(e["reason"].strip() for e in exceptions.values())
    assert reproduced >= 0.99 * len(composite), (  # (a)
        f"type {service_type}: only {reproduced}/{len(composite)} ({reproduced / len(composite):.1%}) "
        f"composite rows reproduce with apply_all; see the exception reasons in {SPEC.name}")
    # the rows with printed units carry the proof on their own too
    assert reproduced - open_rows >= 0.99 * numeric


# 訪問介護 tokens whose 注 columns seed 003's 算定構造 gives the dataset: (item, rate)
_DATASET_TOKENS = {
    "２人": ("2人の訪問介護員等による場合", "2"),
    "夜": ("夜間又は早朝の場合又は深夜の場合", "0.25"),
    "深": ("夜間又は早朝の場合又は深夜の場合", "0.5"),
    "Ⅰ": ("特定事業所加算(Ⅰ)", "0.2"), "Ⅱ": ("特定事業所加算(Ⅱ)", "0.1"),
    "Ⅲ": ("特定事業所加算(Ⅲ)", "0.1"), "Ⅳ": ("特定事業所加算(Ⅳ)", "0.03"),
}


def test_the_datasets_own_note_order_reproduces_the_official_codes() -> None:
    """The calculator, given the dataset's 訪問介護 modifier items (read from seed 003's 注
    columns) in reverse order, sorts them by their columns and reproduces every composite
    row made of those modifiers: the 注 order the document prints is the order the official
    table applies."""
    from decimal import Decimal

    from extractor import dataset
    from extractor.calculator import Plan, calculate

    rows = _rows("11")
    spec = _spec("11")
    items = dataset.load(Path(__file__).resolve().parent.parent / "normalized")
    ids = {}
    for token, (name, rate) in _DATASET_TOKENS.items():
        found = [it.id for it in items if it.service == "訪問介護" and it.item == name and it.rate == Decimal(rate)]
        assert len(found) == 1, (token, found)
        ids[token] = found[0]
    units = {r["short_name"]: (int(r["units"]) or None) for r in rows}
    checked = 0
    wrong = []
    for row in rows:
        head, *tokens = row["short_name"].split("・")
        base, extra = _base(spec, head, units)
        if not tokens or extra or not set(tokens) <= set(ids) or units.get(base) is None:
            continue
        plan = Plan.model_validate({"scheme": "kaigo", "month": "2024-07", "unit_price": "10", "lines": [
            {"service": "訪問介護", "units": units[base], "modifiers": [ids[t] for t in reversed(tokens)]}]})
        got = calculate(plan, items).lines[0].units_each
        checked += 1
        if got != int(row["units"]):
            wrong.append(f"{row['service_code']} {row['short_name']}: table {row['units']}, computed {got}")
    print(f"type 11 rows composed from dataset items: {checked}")
    assert checked > 500
    assert not wrong, "\n".join(wrong[:30])
