"""The six real documents of ../shared/real, held to hand readings (tests/real/<stem>.csv).

Each hand reading lists every fee row a careful reader sees in one document, with the
numbers as printed (wrong ones included: the tool must read what is printed and report the
arithmetic, not fix it). The tool's rows are matched one to one against the reading with
``extractor.scoring.score_rows``. tests/real/floors.json keeps, per document, the fewest rows
that must match and the most extra rows (read but not in the reading) allowed. The floors
only go up: when the reader gets better, raise them with

    .venv/bin/python -m tests.test_real --ratchet

and see, per document, which hand rows are missing and which rows read are extra, with

    .venv/bin/python -m tests.test_real [STEM_PREFIX ...]

(``pytest -s tests/test_real.py`` prints the per-document counts.)

The documents themselves are third-party and stay out of the repository: they are read
from ../shared/real/, and each test skips with a message when its file is absent.
"""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.pipeline import extract
from extractor.scoring import Score, score_rows

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
READINGS = Path(__file__).resolve().parent / "real"
FLOORS = READINGS / "floors.json"
AMOUNTS = ("total", "benefit", "copay1", "copay2", "copay3")


def _int(v: str) -> int | None:
    return int(v) if v.strip() else None


def expected_rows(stem: str) -> list[dict]:
    """The hand reading of one document as the scorer's expected dicts."""
    with open(READINGS / f"{stem}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        out.append({
            "service": r["service"] or None,
            "item": r["item"],
            "care_levels": [x for x in r["care_levels"].split(";") if x],
            "time_band": r["time_band"] or None,
            "units": _int(r["units"]),
            # the reading writes a percentage as printed (4.0 for 4.0%); the tool's rows keep
            # rates as fractions (0.04), as the seeds' hand tables do
            "rate": Decimal(r["rate"]) / 100 if r["rate"].strip() else None,
            "amounts": {k: _int(r[k]) for k in AMOUNTS if r[k].strip()},
            "step_units": _int(r["step_units"]),
            "step_minutes": _int(r["step_minutes"]),
            "basis": r["basis"] or None,
            "note": r["note"],
        })
    return out


def document(stem: str) -> Path | None:
    """The real document a hand reading is of, or None when ../shared/real does not hold it."""
    found = sorted(p for p in REAL.glob(f"{stem}.*") if p.suffix != ".csv") if REAL.is_dir() else []
    return found[0] if found else None


STEMS = sorted(p.stem for p in READINGS.glob("*.csv"))


def floors() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8"))


def score(stem: str) -> Score:
    path = document(stem)
    if path is None:
        pytest.skip(f"{stem}: not found in {REAL}; clone the repo beside shared/ to run the real-document tests")
    return score_rows(extract(path).rows, expected_rows(stem))


def test_every_reading_has_a_floor():
    assert sorted(floors()) == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_reading_is_well_formed(stem):
    """Each hand row names an item and prints at least one number."""
    rows = expected_rows(stem)
    assert rows, stem
    for r in rows:
        assert r["item"], r
        assert r["units"] is not None or r["rate"] is not None or r["amounts"], r


@pytest.mark.parametrize("stem", STEMS)
def test_reading_matches_itself(stem):
    """The scorer's matching rules take every hand row as itself, one to one: no two hand rows
    are so alike that one would match the other's row."""
    rows = expected_rows(stem)
    s = score_rows([dict(r, label="") for r in rows], rows)
    assert (s.matched, s.missing, s.extra) == (len(rows), [], [])


@pytest.mark.parametrize("stem", STEMS)
def test_real_document_against_hand_reading(stem):
    s = score(stem)
    floor = floors()[stem]
    print(f"\n{stem}: matched {s.matched}/{s.expected} hand rows, read {s.read}, "
          f"extra {len(s.extra)} (floor: matched >= {floor['matched']}, extra <= {floor['extra']})")
    assert s.matched >= floor["matched"], (
        f"{stem}: {s.matched} hand rows matched, floor is {floor['matched']}; "
        f"run `python -m tests.test_real {stem[:2]}` to see which are missing")
    assert len(s.extra) <= floor["extra"], (
        f"{stem}: {len(s.extra)} rows read that the hand reading does not have, ceiling is {floor['extra']}; "
        f"run `python -m tests.test_real {stem[:2]}` to see them")


# --- the developer's view: python -m tests.test_real [--ratchet] [STEM_PREFIX ...] ---------


def _fmt_want(r: dict) -> str:
    parts = [r["item"], ";".join(r["care_levels"]), r["time_band"] or "",
             f"{r['units']}単位" if r["units"] is not None else "",
             f"{r['rate'] * 100}%" if r["rate"] is not None else "",
             f"+{r['step_units']}/{r['step_minutes']}分" if r["step_units"] is not None else "",
             " ".join(f"{k}={v}" for k, v in r["amounts"].items())]
    return " | ".join(p for p in parts if p)


def _fmt_got(r: dict) -> str:
    parts = [r.get("item") or "", ";".join(r.get("care_levels") or []), r.get("time_band") or "",
             f"{r['units']}単位" if r.get("units") is not None else "",
             f"{Decimal(str(r['rate'])) * 100}%" if r.get("rate") is not None else "",
             f"+{r['step_units']}" if r.get("step_units") is not None else "",
             " ".join(f"{k}={v}" for k, v in (r.get("amounts") or {}).items()),
             f"(p{r.get('page')} l{r.get('line')}: {r.get('label') or ''})"]
    return " | ".join(p for p in parts if p)


def main(argv: list[str]) -> int:
    ratchet = "--ratchet" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    stems = [s for s in STEMS if not wanted or any(s.startswith(w) for w in wanted)]
    table = floors()
    total = Score()
    for stem in stems:
        path = document(stem)
        if path is None:
            print(f"{stem}: not found in {REAL}, skipped")
            continue
        s = score_rows(extract(path).rows, expected_rows(stem))
        total = total + s
        print(f"== {stem}: matched {s.matched}/{s.expected}, read {s.read}, extra {len(s.extra)}, "
              f"F1 {s.f1:.2f}  (floor {table[stem]['matched']}, ceiling {table[stem]['extra']})")
        for r in s.missing:
            print(f"   missing  {_fmt_want(r)}")
        for r in s.extra:
            print(f"   extra    {_fmt_got(r)}")
        if ratchet:
            table[stem] = {"matched": max(table[stem]["matched"], s.matched),
                           "extra": min(table[stem]["extra"], len(s.extra))}
    print(f"== all: matched {total.matched}/{total.expected}, read {total.read}, extra {len(total.extra)}, "
          f"precision {total.precision:.2f}, recall {total.recall:.2f}, F1 {total.f1:.2f}")
    if ratchet:
        FLOORS.write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"floors written to {FLOORS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
