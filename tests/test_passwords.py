"""Every PDF engine opened on a document gets its password (issue 16, item 4).

fixtures/encrypted/ (scripts/make_encrypted_fixtures.py) holds one ruled sheet whose
merged cells send the page to pdfplumber/pdfminer, in three forms: plain, with a user
password, and with only an owner password."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT

ENC = FIXTURES / "encrypted"


def run(*args):
    return subprocess.run([sys.executable, "-m", "extractor", "extract", *map(str, args), "--no-cache", "-v"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def rows(stdout: str) -> list[dict]:
    """The rows without the file name (the three files differ only in their names)."""
    out = []
    for line in stdout.splitlines():
        r = json.loads(line)
        r.pop("doc")
        r["source"].pop("doc")
        out.append(r)
    return out


@pytest.fixture(scope="module")
def plain():
    r = run(ENC / "ruled_plain.pdf")
    assert r.returncode == 0, r.stderr
    got = rows(r.stdout)
    assert len(got) >= 15  # the sheet's bands, read from its rules
    return got


def test_the_sheet_goes_through_pdfplumber():
    """The fixture must exercise the engine the password once missed."""
    from extractor.sources import pdf

    calls = []
    original = pdf.ruled_tables
    try:
        pdf.ruled_tables = lambda page: calls.append(page.page_number) or original(page)
        pdf.read_pdf(ENC / "ruled_user_password.pdf", "secret")
    finally:
        pdf.ruled_tables = original
    assert calls == [1]


def test_the_right_password_reads_the_rows(plain):
    r = run(ENC / "ruled_user_password.pdf", "--password", "secret")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "ruled table not read" not in r.stderr, "pdfplumber did not get the password"
    assert rows(r.stdout) == plain


def test_a_wrong_password_is_one_line():
    path = ENC / "ruled_user_password.pdf"
    r = run(path, "--password", "wrong")
    assert r.returncode == 2 and not r.stdout
    assert r.stderr.splitlines() == [f"tariff: {path}: is encrypted and the password given does not open it; check the --password"]


def test_no_password_is_one_line():
    path = ENC / "ruled_user_password.pdf"
    r = run(path)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"tariff: {path}: is encrypted; give its password with --password"]


def test_an_owner_password_only_pdf_reads_without_one(plain):
    r = run(ENC / "ruled_owner_password.pdf")
    assert r.returncode == 0 and "ruled table not read" not in r.stderr, r.stderr
    assert rows(r.stdout) == plain


def test_the_report_opens_encrypted_pdfs_too(tmp_path):
    out = tmp_path / "report.html"
    r = subprocess.run([sys.executable, "-m", "extractor", "report", str(ENC / "ruled_user_password.pdf"),
                        "--password", "secret", "-o", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "data:image/jpeg;base64" in out.read_text(encoding="utf-8")


def test_the_fixtures_are_what_the_script_makes():
    from pathlib import Path

    pytest.importorskip("reportlab", reason="reportlab (the dev extra) makes the fixtures")
    if not Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf").is_file():
        pytest.skip("Debian's fonts-ipaexfont-gothic is not installed; the committed fixtures are used as they are")
    r = subprocess.run([sys.executable, "scripts/make_encrypted_fixtures.py", "--check"], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
