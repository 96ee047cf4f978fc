"""Golden outputs: every seed and fixture extracts to exactly its committed golden file.

A missing golden file fails. `make golden` (TARIFF_REGEN_GOLDEN=1) rewrites them on
purpose; review the diff before committing. CI must never run with the flag set.
"""

from __future__ import annotations

import json
import os

import pytest

from extractor.output import document_json
from extractor.pipeline import extract

from .conftest import GOLDEN, seed, text_fixtures

REGEN = os.environ.get("TARIFF_REGEN_GOLDEN") == "1"
SEED_IDS = ["000", "001", "002", "003", "004"]


def golden_view(path) -> str:
    d = document_json(extract(path))
    view = {k: d[k] for k in ("doc", "sha256", "encoding", "recognizer", "status", "findings", "rows")}
    return json.dumps(view, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def check(path, name: str) -> None:
    got = golden_view(path)
    target = GOLDEN / f"{name}.json"
    if REGEN:
        target.write_text(got, encoding="utf-8")
    assert target.exists(), f"no golden file {target}; run `make golden` and review it"
    want = target.read_text(encoding="utf-8")
    if got != want:
        got_rows = json.loads(got)["rows"]
        want_rows = json.loads(want)["rows"]
        for i, (g, w) in enumerate(zip(got_rows, want_rows)):
            assert g == w, f"row {i} differs (line {w.get('line')})"
        assert got == want


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_seed_golden(prefix):
    check(seed(prefix), f"seed_{prefix}")


PDF_FIXTURES = sorted((GOLDEN.parent.parent / "fixtures" / "pdf").glob("*.pdf"))


@pytest.mark.parametrize("path", text_fixtures() + PDF_FIXTURES, ids=lambda p: p.name)
def test_fixture_golden(path):
    check(path, f"fixture_{path.name}")


def test_regeneration_is_off_in_ci():
    if os.environ.get("CI"):
        assert not REGEN, "TARIFF_REGEN_GOLDEN must not be set in CI"
