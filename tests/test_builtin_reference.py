"""The official 令和6年度 units built into the package (extractor/data/service_codes_r6.json,
made by scripts/build_reference.py): what it holds, where it came from, and `tariff check`
using it with no flags."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tomllib
from datetime import date
from fnmatch import fnmatch

import pytest

from extractor.check import check
from extractor.pipeline import extract
from extractor.reference import BUILTIN_NAME, builtin_reference, builtin_source, code_names, load

from .conftest import ROOT, SHARED, seed

PEER_CSV = SHARED / "reference" / "service_codes_r6_peer.csv"
DATA = ROOT / "extractor" / "data" / "service_codes_r6.json"


def _build_reference():
    spec = importlib.util.spec_from_file_location("build_reference", ROOT / "scripts" / "build_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(*args):
    return subprocess.run([sys.executable, "-m", "extractor", "check", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


def test_it_holds_every_mapped_plain_code_and_nothing_else():
    ref = builtin_reference()
    assert sorted({r.label for r in ref.rows}) == sorted(code_names())
    # a code whose band documents print two ways is a row for each (身体介護３: 1時間以上, or
    # 1時間以上1時間30分未満 beside 身体介護４'s 1時間30分以上2時間未満)
    assert sorted((r.time_band, r.units) for r in ref.rows if r.label in ("身体介護３", "身体介護４")) == [
        ("1時間30分以上2時間未満", 649), ("1時間以上", 567), ("1時間以上1時間30分未満", 567)]
    assert all("・" not in r.label for r in ref.rows), "composite codes are not shipped"
    assert ref.authoritative and ref.keywords
    units = {r.label: r.units for r in ref.rows}
    # DOMAIN.md: (Ⅰ) and (Ⅱ) share (i) 1086/1411, differ in (ii)/(iii)
    assert (units["居宅介護支援Ⅰⅰ１"], units["居宅介護支援Ⅰⅱ１"], units["居宅介護支援Ⅱⅱ１"]) == (1086, 544, 527)
    assert units["訪看Ⅰ３"] == 823 and units["身体介護２"] == 387 and units["通所介護Ⅰ１１"] == 370


def test_it_records_its_source():
    src = builtin_source()
    assert src["file"] == "shared/reference/service_codes_r6_peer.csv"
    assert "f175060bb39c" in src["origin"] and len(src["sha256"]) == 64 and src["rows"] == 8134
    assert builtin_reference().sha256 == src["sha256"]


def test_each_code_holds_from_its_revision():
    """令和6年度 took effect 2024-04-01, for 訪問看護 2024-06-01 (DOMAIN.md, data/revisions.json)."""
    start = {r.service: r.effective_from for r in builtin_reference().rows}
    assert start["居宅介護支援"] == start["訪問介護"] == start["通所介護"] == date(2024, 4, 1)
    assert start["訪問看護"] == date(2024, 6, 1)


def test_the_data_file_is_what_the_script_builds_from_the_source():
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: the rebuild needs ../shared/reference/")
    mod = _build_reference()
    assert mod.render(mod.build(PEER_CSV, ROOT / "extractor" / "data" / "service_code_names.json")) == DATA.read_text("utf-8")


def test_the_script_refuses_a_source_that_lacks_a_mapped_code(tmp_path):
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: the rebuild needs ../shared/reference/")
    lines = PEER_CSV.read_text("utf-8").splitlines()
    short = tmp_path / "short.csv"
    short.write_text("\n".join(line for line in lines if ",身体介護１," not in line) + "\n", "utf-8")
    with pytest.raises(SystemExit, match="身体介護１"):
        _build_reference().build(short, ROOT / "extractor" / "data" / "service_code_names.json")


def test_an_install_ships_it():
    """The package data globs of pyproject.toml take the file into a wheel."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]["extractor"]
    assert any(fnmatch("data/service_codes_r6.json", g) for g in globs)
    assert json.loads(DATA.read_text("utf-8"))["codes"]


def test_built_in_agrees_with_the_full_table_on_the_seeds():
    """The built-in excerpt finds what the whole official table finds."""
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: the comparison needs ../shared/reference/")
    docs = [extract(seed(p)) for p in ("000", "001", "002", "003", "004")]

    def found(refs):
        return sorted((d.result.doc, f.line, f.code, f.printed, f.expected)
                      for d in check(docs, refs).documents for f in d.findings if f.severity == "error")

    assert found([builtin_reference()]) == found([load(PEER_CSV)])


# -- the command line -------------------------------------------------------------------

SEED_000_TIERS = [(189, "6,011円"), (193, "7,779円"), (201, "3,602円"), (205, "4,663円")]


def test_seed_000_tier_errors_need_no_flags():
    r = run(seed("000"), "--format", "json", "--no-cache")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    found = [(f["line"], f["printed"]) for d in data["documents"] for f in d["findings"] if f["code"] == "reference-other-item"]
    assert found == SEED_000_TIERS
    assert [x["name"] for x in data["references"]] == [BUILTIN_NAME]
    assert data["references"][0]["sha256"] == builtin_source()["sha256"]


def test_no_reference_turns_it_off():
    r = run(seed("000"), "--no-reference", "--format", "json", "--no-cache")
    assert r.returncode == 0, r.stdout
    data = json.loads(r.stdout)
    assert data["references"] == [] and data["summary"]["errors"] == 0


def test_a_reference_file_adds_to_it_without_doubling_findings():
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: needs ../shared/reference/")
    r = run(seed("000"), "--reference", PEER_CSV, "--format", "json", "--no-cache")
    data = json.loads(r.stdout)
    assert [x["name"] for x in data["references"]] == [BUILTIN_NAME, PEER_CSV.name]
    assert data["summary"]["errors"] == 4


def test_text_report_names_what_it_checked_against():
    r = run(seed("000"), "--no-cache")
    assert f"checked against: {BUILTIN_NAME}" in r.stdout
    assert "checked against" not in run(seed("000"), "--no-cache", "--no-reference").stdout
