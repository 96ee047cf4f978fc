"""Every message is one line and names its file (issue 16, item 6): no library warning
reaches stderr unless -v asks for it, odd file names are printed escaped, a closed stdout
pipe ends quietly, and the cache survives names and files it cannot handle."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ROOT, text_fixtures

GOOD = text_fixtures()[-1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_fuzz  # noqa: E402

sys.path.pop(0)


def run(*args, cwd=ROOT, env=None):
    return subprocess.run([sys.executable, "-m", "extractor", *map(os.fsencode, map(str, args))], capture_output=True,
                          cwd=cwd, timeout=120, env={**os.environ, **(env or {})})


def err_lines(r) -> list[str]:
    return r.stderr.decode("utf-8").splitlines()


@pytest.fixture
def warns(tmp_path):
    """A ruled page whose MediaBox pdfminer cannot parse: pdfminer logs warnings on it."""
    path = tmp_path / "warns.pdf"
    path.write_bytes(make_fuzz.one_page(make_fuzz.ruled_content(), mediabox=b"[0 0 1e9 1e9]"))
    return path


def test_library_warnings_do_not_reach_stderr(warns):
    r = run("extract", warns, "--no-cache")
    assert "Traceback" not in r.stderr.decode()
    assert err_lines(r) == ["warns.pdf: 0 rows, 1 findings (failed)"]


def test_with_v_library_warnings_are_one_line_each_naming_the_file(warns):
    r = run("extract", warns, "--no-cache", "-v")
    lines = err_lines(r)
    logged = [x for x in lines if x != "warns.pdf: 0 rows, 1 findings (failed)"]
    assert logged, "pdfminer warned about the MediaBox; -v must show it"
    assert all(x.startswith(f"tariff: {warns}: ") for x in logged), logged
    assert any("pdfminer" in x and "MediaBox" in x for x in logged)


def test_check_is_quiet_about_library_warnings_too(warns):
    r = run("check", warns, "--no-cache")
    # the one line is the gate's: nothing of it was read (no-recognizer), never a library's warning
    assert err_lines(r) == [f"tariff: {warns}: not verified: no layout recognizer knows it, so nothing in it was read; "
                            "the check cannot vouch for it (--allow-partial accepts it)"]
    assert r.returncode == 3


@pytest.mark.parametrize("cache", [True, False])
def test_a_name_with_a_newline_or_bytes_not_utf8_is_printed_escaped(tmp_path, cache):
    odd = [os.path.join(os.fsencode(tmp_path), n) for n in (b"new\nline.txt", b"latin1_\xe9\xff.txt", b"bell\x07.txt")]
    bad = os.path.join(os.fsencode(tmp_path), b"bad\n\xff.txt")
    for p in odd:
        with open(p, "wb") as f:
            f.write(GOOD.read_bytes())
    with open(bad, "wb") as f:
        f.write(b"")
    r = run("extract", *map(os.fsdecode, odd), os.fsdecode(bad), *([] if cache else ["--no-cache"]),
            env={"TARIFF_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 2
    assert err_lines(r) == [
        "new\\nline.txt: 9 rows, 0 findings (ok) [yen-split-table 0.87]",
        "latin1_\\xe9\\xff.txt: 9 rows, 0 findings (ok) [yen-split-table 0.87]",
        "bell\\x07.txt: 9 rows, 0 findings (ok) [yen-split-table 0.87]",
        f"tariff: {tmp_path}/bad\\n\\xff.txt: is empty; give the document's extracted text",
    ]
    assert b"internal error" not in r.stderr and b"None" not in r.stderr
    rows = r.stdout.decode("utf-8").splitlines()  # the output is UTF-8 even for such names
    assert len(rows) == 27


def test_a_name_not_utf8_runs_twice_with_the_cache_on(tmp_path):
    """Such a result is not cached (its JSON cannot hold the name as UTF-8); the next run
    reads the file again and gives the same output. A UTF-8 name beside it is cached."""
    p = os.path.join(os.fsencode(tmp_path), b"\xff.txt")
    with open(p, "wb") as f:
        f.write(GOOD.read_bytes())
    env = {"TARIFF_CACHE": str(tmp_path / "cache")}
    first, second = (run("extract", os.fsdecode(p), GOOD, env=env) for _ in range(2))
    assert first.returncode == second.returncode == 0 and first.stdout == second.stdout
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1


def test_an_unreadable_file_with_the_cache_on_is_one_line(tmp_path):
    """/proc/self/mem is a regular file that fails to read (EIO), even for root."""
    path = tmp_path / "unreadable.txt"
    path.symlink_to("/proc/self/mem")
    r = run("extract", path, GOOD, env={"TARIFF_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 2
    lines = [x for x in err_lines(r) if x.startswith("tariff:")]
    assert lines == [f"tariff: {path}: cannot be read (Input/output error); check the path and its permissions"]


def test_a_closed_stdout_pipe_ends_quietly():
    cmd = f"{sys.executable} -m extractor extract fixtures/text fixtures/pdf --no-cache | head -c 1 >/dev/null"
    r = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "Traceback" not in r.stderr and "Broken pipe" not in r.stderr and "None" not in r.stderr
    assert not [x for x in r.stderr.splitlines() if x.startswith("tariff:")], r.stderr


def test_no_message_ever_names_none(tmp_path):
    r = run("extract", GOOD, "-o", tmp_path / "missing" / "x.jsonl")
    assert b"None" not in r.stderr and r.returncode == 2


@pytest.mark.parametrize("make", ["looping_pages", "deep_pages", "deep_array", "no_pages"])
def test_page_trees_that_loop_or_nest_are_one_line_or_a_finding(tmp_path, make):
    path = tmp_path / f"{make}.pdf"
    path.write_bytes(getattr(make_fuzz, make)())
    r = run("extract", path, "--no-cache")
    text = r.stderr.decode()
    assert "Traceback" not in text and "internal error" not in text
    assert len(err_lines(r)) == 1 and (path.name in text)


@pytest.mark.parametrize("mediabox, resources", [
    (b"[0 0 1000000000 1000000000]", None),
    (b"[0 0 1e9 1e9]", None),
    (b"[0 0 595 842]", b"<< /Font << /F1 4 0 R >> /ExtGState 99 0 R /XObject << /X1 98 0 R >> /ColorSpace [1 2 (x)] >>"),
])
def test_a_ruled_page_with_an_absurd_mediabox_or_damaged_resources_is_read(tmp_path, mediabox, resources):
    path = tmp_path / "ruled.pdf"
    kw = {"resources": resources} if resources else {}
    path.write_bytes(make_fuzz.one_page(make_fuzz.ruled_content(), mediabox=mediabox, **kw))
    r = run("extract", path, "--no-cache")
    text = r.stderr.decode()
    assert "Traceback" not in text and "internal error" not in text
    assert err_lines(r) == ["ruled.pdf: 0 rows, 1 findings (failed)"]
