"""The gate never passes what it did not read (issue 17, item 5): a document with a
`lost-amount` or `no-recognizer` finding is `unverified`, and `tariff check` exits 3 for it
with one line saying what was not read, unless --allow-partial."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from .conftest import ROOT

HEAD = "居宅介護支援 <利用料金>\n算定項目(居宅介護支援費Ⅰ:担当件数 45件未満)\n単 位 数\n(単位)\n費用総額(円)\n保険給付額(円)\n"
CLEAN = HEAD + "要介護 1・2 1,086 12,000 12,000\n初回加算 300 3,315 3,315\n"
# a line of table cells whose yen no row takes (the catalogue's lost-amount case)
LOST = CLEAN + "※ 注記\n複写物の交付\t1枚につき\t10円\n"
WRONG = HEAD + "要介護 1・2 1,086 12,000 12,000\n初回加算 300 3,316 3,316\n"
LETTER = "拝啓 時下ますますご清祥のこととお慶び申し上げます。\n敬具\n"


def run(*args):
    return subprocess.run([sys.executable, "-m", "extractor", "check", "--no-cache", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def docs(tmp_path):
    out = {}
    for name, text in {"clean.txt": CLEAN, "lost.txt": LOST, "wrong.txt": WRONG, "letter.txt": LETTER}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        out[name.split(".")[0]] = tmp_path / name
    return out


def test_a_clean_document_is_verified(docs):
    r = run(docs["clean"], "--format", "json")
    assert r.returncode == 0 and not r.stderr
    data = json.loads(r.stdout)
    assert data["documents"][0]["status"] == "verified" and data["summary"]["unverified"] == 0


def test_a_lost_amount_makes_the_document_unverified(docs):
    r = run(docs["lost"], "--format", "json")
    assert r.returncode == 3
    data = json.loads(r.stdout)
    assert data["documents"][0]["status"] == "unverified" and data["summary"]["unverified"] == 1
    assert data["summary"]["errors"] == 0  # only warnings: before, this passed with exit 0
    lines = r.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"tariff: {docs['lost']}: not verified: 1 table line whose yen were not read")
    assert "line 10: 10円" in lines[0] and "--allow-partial" in lines[0]


def test_allow_partial_relaxes_the_gate(docs):
    r = run(docs["lost"], "--allow-partial")
    assert r.returncode == 0
    assert "not verified" in r.stderr  # still said
    assert "UNVERIFIED" in r.stdout


def test_no_recognizer_is_unverified(docs):
    r = run(docs["letter"])
    assert r.returncode == 3
    assert "no layout recognizer knows it" in r.stderr and r.stderr.count("\n") == 1


def test_exit_code_precedence(docs, tmp_path):
    assert run(docs["wrong"]).returncode == 1
    assert run(docs["wrong"], docs["lost"]).returncode == 3
    assert run(docs["wrong"], docs["lost"], "--allow-partial").returncode == 1
    assert run(docs["lost"], tmp_path / "missing.txt").returncode == 2


def test_junit_and_github_show_it(docs):
    suite = ET.fromstring(run(docs["lost"], docs["clean"], "--format", "junit").stdout).find("testsuite")
    assert suite.get("failures") == "1"
    case = next(c for c in suite if c.get("name") == "lost.txt")
    assert "not verified" in case.find("failure").text
    suite = ET.fromstring(run(docs["lost"], "--format", "junit", "--allow-partial").stdout).find("testsuite")
    assert suite.get("failures") == "0"
    gh = run(docs["lost"], "--format", "github").stdout.splitlines()
    assert any(line.startswith("::error ") and "title=unverified" in line for line in gh)
    gh = run(docs["lost"], "--format", "github", "--allow-partial").stdout.splitlines()
    assert any(line.startswith("::warning ") and "title=unverified" in line for line in gh)


def test_help_documents_the_exit_codes():
    r = subprocess.run([sys.executable, "-m", "extractor", "check", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert "--allow-partial" in r.stdout and "--no-reference" in r.stdout
    for code in ("0  clean", "1  a finding", "2  unusable input", "3  a document is unverified"):
        assert code in r.stdout
