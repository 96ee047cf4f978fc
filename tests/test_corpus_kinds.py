"""The reader on generated documents at their source: a sample of the seeded corpus as
HTML pages, Excel workbooks and Word documents (scripts/make_corpus.py, kinds html, xlsx,
docx; LibreOffice's saves among them where soffice is installed), scored row by row
against the same exact expectations as the PDF and text kinds, and compared with the
same plans printed as PDFs (twins/NAME.pdf). The floors are what the reader reads today,
with margin, and they only go up; docs/corpus.md reports the full run per kind."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_corpus  # noqa: E402
import score_corpus  # noqa: E402
from corpus import plan as corpus_plan  # noqa: E402

IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
KINDS = ["html", "xlsx", "docx"]
SAMPLE = 30
SEED = 13  # not a seed the generator or the reader was developed on
# row F1 on this sample today (html, xlsx and docx 1.000, with LibreOffice's documents among
# them), less a margin; raise them as the reader improves
FLOORS = {"html": 0.98, "xlsx": 0.98, "docx": 0.98}
AGREE_FLOOR = 0.9  # plans whose source reads the same rows as its PDF: 30 of 30 today


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if not IPAEX.exists():
        pytest.skip(f"{IPAEX} not installed (Debian fonts-ipaexfont-gothic): the twin PDFs cannot be made")
    out = tmp_path_factory.mktemp("kinds")
    assert make_corpus.main(["--out", str(out), "--n", str(SAMPLE), "--seed", str(SEED), "--kinds", ",".join(KINDS)]) == 0
    return out


@pytest.fixture(scope="module")
def scored(corpus):
    results = []
    for exp_path in sorted(corpus.glob("*.expected.json")):
        expected = json.loads(exp_path.read_text("utf-8"))
        twin = corpus / "twins" / (exp_path.name.split(".")[0] + ".pdf")
        results.append(score_corpus.score_doc(str(corpus / expected["doc"]), expected, str(twin)))
    return results


def test_sample_covers_every_source_kind(scored):
    kinds = Counter(r["axes"]["kind"] for r in scored)
    assert set(kinds) == set(KINDS), kinds
    made = {(r["axes"]["kind"], r["axes"]["made_by"]) for r in scored}
    assert {("html", "hand"), ("xlsx", "openpyxl"), ("docx", "python_docx")} <= made
    if shutil.which("soffice"):
        assert {("xlsx", "libreoffice"), ("docx", "libreoffice")} <= made, made


def test_no_document_crashes_the_reader(scored):
    assert [(r["doc"], r["failure"]) for r in scored if r["failure"]] == []


@pytest.mark.parametrize("kind", KINDS)
def test_row_f1_holds_its_floor(scored, kind):
    tally = score_corpus.Tally()
    for r in scored:
        if r["axes"]["kind"] == kind:
            tally.add(r)
    print(f"{kind}: {tally.docs} documents, P {tally.p:.3f} R {tally.r:.3f} F1 {tally.f1:.3f}")
    assert tally.f1 >= FLOORS[kind], f"{kind}: row F1 {tally.f1:.3f} fell below {FLOORS[kind]}"


def test_sources_read_as_their_pdf_prints(scored):
    agree = sum(r["twin"]["agree"] for r in scored)
    print(f"{agree} of {len(scored)} plans read the same rows from the source as from its PDF")
    assert agree / len(scored) >= AGREE_FLOOR


def test_same_seed_same_bytes(tmp_path):
    if not IPAEX.exists():
        pytest.skip(f"{IPAEX} not installed (Debian fonts-ipaexfont-gothic)")
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert make_corpus.main(["--out", str(out), "--n", "6", "--seed", "3", "--kinds", ",".join(KINDS)]) == 0
    names = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    assert {n.rsplit(".", 1)[1] for n in names} >= {"html", "xlsx", "docx", "pdf", "json"}
    assert [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()] == []


def test_office_axes_are_drawn_only_on_their_kinds():
    plans = [corpus_plan.make_plan(7, i, ["text", "pdf", *KINDS]) for i in range(200)]
    for p in plans:
        kind = p.axes["kind"]
        assert ("made_by" in p.axes) == (kind in KINDS)
        assert ("cell_values" in p.axes) == (kind == "xlsx")
        if kind in KINDS:
            assert p.axes["made_by"] in corpus_plan.AXIS_VALUES["made_by"]
            assert "rules" in p.axes and "text_form" not in p.axes  # drawn as the PDF kind draws
    values = Counter((a, v) for p in plans for a, v in p.axes.items() if a in corpus_plan.OFFICE_AXES)
    assert set(values) == {(a, v) for a in corpus_plan.OFFICE_AXES for v in corpus_plan.AXIS_VALUES[a]}
