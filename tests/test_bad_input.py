"""Bad input never crashes the tool, never loses results, never hangs: one fixture per
failure mode, a folder of mutated PDFs, time limits, and fuzzed recognizer input."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.pipeline import extract
from extractor.sources import BadInput

from .conftest import FIXTURES, ROOT, SEEDS

BAD = FIXTURES / "bad"

EXPECTED = {  # fixture -> the one line it gets (None: it is read, within the limits)
    "zero_bytes.pdf": "is empty",
    "truncated.pdf": "is damaged or truncated",
    "not_a_pdf.pdf": "is not a PDF (no %PDF header)",
    "encrypted.pdf": "is encrypted; give its password with --password",
    "unknown_encoding.txt": "cannot be decoded",
    "empty_pages.pdf": "has no text, not even by OCR",
    "thousands_of_pages.pdf": None,
    "enormous_page.pdf": None,
}


def cli(*args, env=None, timeout=600):
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout)


def test_every_failure_mode_has_a_fixture():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_input_gets_its_line(name):
    path = BAD / name
    expect = EXPECTED[name]
    r = cli("extract", path, "--no-cache")
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.startswith("tariff:")]
    if expect is None:
        assert r.returncode == 0 and not lines
    else:
        if name == "empty_pages.pdf" and "OCR cannot run" in r.stderr:
            expect = "has no text layer (an image-only scan) and OCR cannot run"  # without Tesseract
        assert r.returncode == 2 and len(lines) == 1 and expect in lines[0] and str(path) in lines[0]


def test_a_scan_without_ocr_names_what_is_missing():
    r = cli("extract", FIXTURES / "scan" / "leaflet_kyotaku_scan.pdf", "--no-cache", env={"TARIFF_OCR": "0"})
    assert r.returncode == 2 and "OCR cannot run; install OCR, which TARIFF_OCR=0 turned off" in r.stderr


def mutants(folder, n: int = 200) -> list:
    """Mutated copies of the PDF fixtures: bytes flipped, objects dropped, cut short."""
    import regex as re

    rng = random.Random(2024)
    sources = [p.read_bytes() for p in sorted((FIXTURES / "pdf").glob("*.pdf"))]
    out = []
    for i in range(n):
        data = bytearray(sources[i % len(sources)])
        how = i % 3
        if how == 0:
            for _ in range(rng.randint(1, 40)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == 1:
            objs = [m.span() for m in re.finditer(rb"\d+ 0 obj.*?endobj", bytes(data), flags=re.S)]
            if objs:
                a, b = objs[rng.randrange(len(objs))]
                del data[a:b]
        else:
            del data[rng.randrange(len(data) // 2, len(data)):]
        p = folder / f"mutant_{i:03d}.pdf"
        p.write_bytes(bytes(data))
        out.append(p)
    return out


def test_a_folder_of_200_mutants_and_every_bad_fixture_completes(tmp_path):
    junk = tmp_path / "junk"
    junk.mkdir()
    mutants(junk, 200)
    for p in BAD.iterdir():
        (junk / p.name).write_bytes(p.read_bytes())
    good = sorted((FIXTURES / "text").iterdir())
    t = time.perf_counter()
    r = cli("extract", junk, *good, "--jobs", "2", "--timeout", "60", "--no-cache", "--format", "json",
            "-o", tmp_path / "out.json", timeout=900)
    elapsed = time.perf_counter() - t
    assert "Traceback" not in r.stderr
    assert r.returncode == 2  # some inputs could not be read at all
    files = sorted(p.name for p in junk.iterdir()) + [p.name for p in good]
    reported = [line for line in r.stderr.splitlines() if line]
    for name in files:  # every file is reported, exactly once
        assert sum(name in line for line in reported) == 1, name
    docs = {d["doc"]: d["rows"] for d in json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["documents"]}
    clean = cli("extract", *good, "--no-cache", "--format", "json", "-o", tmp_path / "clean.json")
    assert clean.returncode == 0
    for d in json.loads((tmp_path / "clean.json").read_text(encoding="utf-8"))["documents"]:
        assert docs[d["doc"]] == d["rows"], f"{d['doc']}: not identical to a clean run"
    assert elapsed < 600


def test_a_document_over_the_time_limit_is_stopped(monkeypatch):
    from extractor import engine

    monkeypatch.setattr(engine, "extract", lambda path, password=None: time.sleep(5))
    t = time.perf_counter()
    out = engine.extract_one((str(FIXTURES / "pdf" / "shogai_sheet_ruled.pdf"), None, False, 1))
    assert time.perf_counter() - t < 3
    assert "took longer than 1 s and was stopped" in out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_recognizers_survive_mutated_seed_text(tmp_path_factory, data):
    """Lines deleted, duplicated, shuffled and characters replaced: the recognizers
    never raise; the worst is a finding or no rows."""
    if not SEEDS.is_dir():
        pytest.skip("needs ../shared/seeds")
    seed = data.draw(st.sampled_from(sorted(SEEDS.glob("0*.txt"))))
    lines = seed.read_text(encoding="utf-8").splitlines()
    rng = random.Random(data.draw(st.integers(0, 10**6)))
    for _ in range(data.draw(st.integers(1, 30))):
        op = rng.randrange(4)
        k = rng.randrange(len(lines)) if lines else 0
        if not lines:
            break
        if op == 0:
            del lines[k]
        elif op == 1:
            lines.insert(k, lines[k])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[k], lines[j] = lines[j], lines[k]
        else:
            s = lines[k]
            if s:
                i = rng.randrange(len(s))
                lines[k] = s[:i] + rng.choice("0123456789,.¥円単位(（)）\t ー～%×/+-=") + s[i + 1:]
    p = tmp_path_factory.mktemp("fuzz") / seed.name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        res = extract(p)
    except BadInput:
        return
    for r in res.rows:
        assert r.units is None or isinstance(r.units, int)
