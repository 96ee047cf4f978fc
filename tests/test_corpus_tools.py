"""The corpus generator and its scorer: deterministic, every axis value drawn, expectations
whose arithmetic holds, units that are the official ones, and a scorer that counts right."""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_corpus  # noqa: E402
import score_corpus  # noqa: E402
from corpus import plan as corpus_plan  # noqa: E402
from corpus.units import referenced_items  # noqa: E402

from extractor.scoring import score_rows  # noqa: E402

IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
N_INDEX = 300


def _reference_csv() -> Path | None:
    for base in (ROOT.parent / "shared" / "reference",):
        p = base / "service_codes_r6_peer.csv"
        if p.exists():
            return p
    return None


@pytest.fixture(scope="module")
def plans():
    return [corpus_plan.make_plan(7, i, ["text", "pdf", "scan"]) for i in range(N_INDEX)]


def test_units_are_the_reference_units():
    path = _reference_csv()
    if path is None:
        pytest.skip("../shared/reference/service_codes_r6_peer.csv is absent")
    with path.open(encoding="utf-8") as f:
        official = {(r["service_type"], r["short_name"]): int(r["units"]) for r in csv.DictReader(f)}
    items = referenced_items()
    assert len(items) > 60
    wrong = [(t, i.ref, i.units, official.get((t, i.ref))) for t, i in items if official.get((t, i.ref)) != i.units]
    assert wrong == []


def test_same_arguments_same_bytes(tmp_path):
    if not IPAEX.exists():
        pytest.skip(f"{IPAEX} is absent (Debian fonts-ipaexfont-gothic)")
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert make_corpus.main(["--out", str(out), "--n", "8", "--seed", "3", "--kinds", "text,pdf"]) == 0
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith((".txt", ".md")) for n in names)
    assert [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()] == []
    index = json.loads((a / "index.json").read_text(encoding="utf-8"))
    assert len(index["documents"]) == 8
    for d in index["documents"]:
        assert (a / d["doc"]).stat().st_size > 0


def test_a_different_seed_gives_a_different_corpus(tmp_path):
    make_corpus.main(["--out", str(tmp_path / "a"), "--n", "5", "--seed", "1", "--kinds", "text", "--index-only"])
    make_corpus.main(["--out", str(tmp_path / "b"), "--n", "5", "--seed", "2", "--kinds", "text", "--index-only"])
    assert (tmp_path / "a" / "index.json").read_bytes() != (tmp_path / "b" / "index.json").read_bytes()


def test_every_axis_value_is_drawn(plans):
    counts = Counter((a, v) for p in plans for a, v in p.axes.items())
    drawn = {(a, v) for a, v in counts}
    # the source kinds (HTML, Excel, Word) and their own axes are drawn in tests/test_corpus_kinds.py
    declared = {(a, v) for a, vs in corpus_plan.AXIS_VALUES.items() for v in vs
                if a not in corpus_plan.OFFICE_AXES and not (a == "kind" and v in corpus_plan.OFFICE_KINDS)}
    every = {(a, v) for a, vs in corpus_plan.AXIS_VALUES.items() for v in vs}
    unknown = {(a, v) for a, v in drawn if a not in corpus_plan.WORDING_AXES} - every
    assert unknown == set()
    assert set(corpus_plan.AXES) >= {a for a, _ in drawn}
    # every value in about 5 % of a 300-document corpus (4 % = 12 documents, to allow for chance)
    rare = sorted((a, v, counts[(a, v)]) for a, v in declared if counts[(a, v)] < 0.04 * N_INDEX)
    assert rare == []


def _copay(total: int, share: int) -> int:
    return total - total * (10 - share) // 10


def test_expectations_recompute_from_units_and_price(plans):
    """Recompute every printed amount in integer hundredths of a yen, by each scheme's
    convention, independently of the generator's Decimal code; errors are the only misfits."""
    checked = 0
    for p in plans:
        exp = p.expectations()
        cents = int(Decimal(exp["unit_price"]) * 100)
        assert Decimal(exp["unit_price"]) * 100 == cents
        kyotaku = p.axes["service"] == "kyotaku_shien"
        official = exp["scheme"] == "shogai" and p.axes.get("copay_rule") == "official"
        errors = {(e["row"], e["amount"]): e for e in exp["errors"]}
        assert len(errors) == (1 if p.axes.get("error") == "one" else 0)
        for i, row in enumerate(exp["rows"]):
            if row["rate"] is not None:
                assert row["units"] is None and row["amounts"] == {}
                assert Decimal("0") < Decimal(row["rate"]) < Decimal("1")
                continue
            units = row["true_units"]
            assert row["units"] in (None, units)
            total = units * cents // 100
            want = {"total": total,
                    "benefit": total if kyotaku else (total - total // 10 if official else total * 9 // 10),
                    "copay1": total // 10 if official else _copay(total, 1),
                    "copay2": _copay(total, 2), "copay3": _copay(total, 3)}
            for key, printed in row["amounts"].items():
                if (i, key) in errors:
                    assert errors[(i, key)]["correct"] == want[key] != printed == errors[(i, key)]["printed"]
                else:
                    assert printed == want[key], (exp["doc"], i, key)
                checked += 1
            if kyotaku:
                assert not any(k.startswith("copay") for k in row["amounts"])
    assert checked > 3000


def test_every_expected_number_is_printed(tmp_path):
    """The cells are printed from the expectations: each expected units and yen value is in
    the text of its document (digits folded to half width, separators dropped)."""
    make_corpus.main(["--out", str(tmp_path), "--n", "30", "--seed", "5", "--kinds", "text"])
    seen = 0
    for exp_path in sorted(tmp_path.glob("*.expected.json")):
        exp = json.loads(exp_path.read_text(encoding="utf-8"))
        text = (tmp_path / exp["doc"]).read_bytes().decode(exp["encoding"])
        flat = unicodedata.normalize("NFKC", text).replace(",", "")
        for row in exp["rows"]:
            for n in [row["units"], *row["amounts"].values()]:
                if n is not None:
                    assert str(n) in flat, (exp["doc"], n)
                    seen += 1
    assert seen > 300


JIPPI = ["キャンセル料", "交通費", "食費", "おむつ代", "日用品費", "居住費", "理美容代", "教養娯楽費", "駐車場代"]


def test_prose_yen_are_not_rows(plans):
    """A 別紙 carries 実費 in its prose (キャンセル料, 交通費, 食費); none is an expected row."""
    bessi = [p for p in plans if p.axes["carrier"] == "bessi"]
    assert bessi
    for p in bessi:
        prose = " ".join(b for page in p.pages[:-1] for k, b in page if k == "para")
        extras = [w for w in JIPPI if w in prose]
        assert extras and "円" in prose
        assert [r["item"] for r in p.expected if r["item"] and any(w in r["item"] for w in JIPPI)] == []


# ---- the scorer ----------------------------------------------------------------------------

ROWS = [
    {"item": "身体介護", "care_levels": [], "time_band": "30分以上1時間未満", "units": 387, "rate": None,
     "amounts": {"total": 4303, "copay1": 431}, "step_units": None},
    {"item": "生活援助", "care_levels": [], "time_band": "45分以上", "units": 220, "rate": None,
     "amounts": {"total": 2446, "copay1": 245}, "step_units": None},
    {"item": None, "care_levels": ["要介護3"], "time_band": "7時間以上8時間未満", "units": 900, "rate": None,
     "amounts": {}, "step_units": None},
]


def _result(doc: str, expected: list[dict], got: list[dict], axes: dict) -> dict:
    s = score_rows(got, expected)
    return {"doc": doc, "axes": axes, "matched": s.matched, "read": s.read, "expected": s.expected, "f1": s.f1,
            "missing": s.missing, "extra": s.extra, "failure": None, "price_known": True, "price_ok": True}


def test_scorer_counts_perfect_missing_wrong_and_extra(capsys):
    perfect = score_rows([dict(r) for r in ROWS], ROWS)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    missing = score_rows([dict(r) for r in ROWS[:2]], ROWS)
    assert missing.recall == pytest.approx(2 / 3) and missing.precision == 1.0
    wrong = [dict(r) for r in ROWS]
    wrong[0] = dict(ROWS[0], amounts={"total": 4303, "copay1": 430})
    scored = score_rows(wrong, ROWS)
    assert scored.matched == 2 and scored.missing == [ROWS[0]]
    extra = score_rows([dict(r) for r in ROWS] + [dict(ROWS[1], units=221)], ROWS)
    assert extra.precision == pytest.approx(3 / 4) and extra.recall == 1.0
    results = [_result("a.txt", ROWS, [dict(r) for r in ROWS], {"kind": "text", "carrier": "one_page"}),
               _result("b.pdf", ROWS, [dict(r) for r in ROWS[:1]], {"kind": "pdf", "carrier": "one_page"})]
    s = score_corpus.summarize(results)
    assert (s["overall"].matched, s["overall"].expected, s["overall"].read) == (4, 6, 4)
    assert s["per"][("kind", "text")].f1 == 1.0
    assert s["per"][("kind", "pdf")].r == pytest.approx(1 / 3)
    assert s["per"][("carrier", "one_page")].r == pytest.approx(4 / 6)
    score_corpus.report(results, worst=1)
    out = capsys.readouterr().out
    assert "kind           pdf" in out and "worst 1 documents" in out and "- b.pdf: F1 0.500" in out


def test_score_corpus_runs_on_a_small_corpus(tmp_path, capsys):
    make_corpus.main(["--out", str(tmp_path), "--n", "3", "--seed", "11", "--kinds", "text"])
    out_json = tmp_path / "score.json"
    assert score_corpus.main([str(tmp_path), "--json", str(out_json)]) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(data["documents"]) == 3
    assert data["summary"]["overall"]["expected"] == sum(d["expected"] for d in data["documents"]) > 0
    assert "overall  P" in capsys.readouterr().out


def test_a_tier_in_a_readings_band_column_is_the_rows_condition():
    """A hand reading's CSV has no column for a tier that is no time band ('1人'); written
    under time_band, it matches a row read with that tier as its condition, and no other."""
    from extractor.scoring import matches
    want = {"item": "医師が行う場合", "care_levels": [], "time_band": "2人以上9人以下", "units": 487,
            "amounts": {"total": 4870}}
    got = {"item": "医師が行う場合", "label": "", "care_levels": [], "time_band": None,
           "conditions": ["2人以上9人以下"], "units": 487, "amounts": {"total": 4870}}
    assert matches(got, want)
    assert not matches(dict(got, conditions=["1人"]), want)
    assert not matches(dict(got, conditions=[]), want)


def test_every_level_of_a_scheme_is_no_level():
    """A row listed for every level of its scheme ('要介護1~5', '要支援1・2') is a row for all:
    it matches a row read with no level, and not a row of one level."""
    from extractor.scoring import matches
    want = {"item": "全身入浴", "care_levels": ["要支援1", "要支援2"], "time_band": None, "units": 856,
            "amounts": {"total": 9518}}
    got = {"item": "全身入浴", "label": "", "care_levels": [], "time_band": None, "units": 856,
           "amounts": {"total": 9518}}
    assert matches(got, want) and matches(got, dict(want, care_levels=[f"要介護{n}" for n in range(1, 6)]))
    assert not matches(got, dict(want, care_levels=["要支援2"]))
