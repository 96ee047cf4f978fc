"""Every input kind fuzzed (issue 16, item 7): the hostile inputs of scripts/make_fuzz.py,
a sample alone and all of them in one batch (--jobs 2 --timeout 20). No traceback, no
internal error, no hang past the timeout, memory under 1 GB per process, every file
reported exactly once, and the good files' rows exactly as from the fixtures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from .conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import make_fuzz  # noqa: E402

sys.path.pop(0)

TIMEOUT = 20
SAMPLE = ["bomb.pdf", "loop_pages.pdf", "deep_pages.pdf", "huge_mediabox_ruled.pdf", "damaged_resources_ruled.pdf",
          "zero.txt", "fifo.pdf", "line_50mb.txt", "mixed_encodings.txt", "new\nline.txt"]


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    kinds = make_fuzz.build(folder, seed=16)
    return folder, kinds


def measured(args: list, timeout: float):
    """Run the command; its stdout, stderr, exit code, wall time, and the largest resident
    set of it and every process it waited for (its workers), in MB."""
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "extractor", *args], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env={**os.environ, "TARIFF_CACHE": os.environ["TARIFF_CACHE"]})
    import threading

    outs: dict = {}
    readers = [threading.Thread(target=lambda k=k, s=s: outs.__setitem__(k, s.read())) for k, s in (("out", p.stdout), ("err", p.stderr))]
    for r in readers:
        r.start()
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            pid, status, usage = os.wait4(p.pid, 0)
            raise AssertionError(f"still running after {timeout} s")
        time.sleep(0.05)
    p.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    return outs["out"], outs["err"].decode("utf-8"), p.returncode, time.perf_counter() - t, usage.ru_maxrss / 1024


def escaped(name: str) -> str:
    from extractor.output import escape

    return escape(name)


def check_lines(err: str, names: list[str], folder) -> None:
    """No traceback, no internal error, one line per message, each file named once."""
    assert "Traceback" not in err and "internal error" not in err and "BrokenProcessPool" not in err, err
    lines = err.splitlines()
    for name in names:
        shown = escaped(name)
        mine = [x for x in lines if x.startswith(f"tariff: {escaped(str(folder / name))}: ") or x.startswith(f"{shown}: ")]
        assert len(mine) == 1, (name, mine)
    assert len(lines) == len(names), "a line that names no file, or a file named twice"


def clean_rows() -> dict[str, list]:
    """Rows of each good fixture read on its own, without its file name."""
    out = {}
    for p in sorted((FIXTURES / "text").iterdir()) + sorted((FIXTURES / "pdf").glob("*.pdf")):
        r = subprocess.run([sys.executable, "-m", "extractor", "extract", str(p), "--no-cache"], capture_output=True,
                           cwd=ROOT, timeout=120)
        assert r.returncode == 0
        out[p.name] = [_anonymous(line) for line in r.stdout.decode("utf-8").splitlines()]
    return out


def _anonymous(line: str) -> dict:
    r = json.loads(line)
    r.pop("doc")
    r["source"].pop("doc")
    return r


@pytest.mark.parametrize("name", SAMPLE)
def test_a_hostile_input_alone(fuzz, name):
    folder, kinds = fuzz
    out, err, rc, wall, rss = measured(["extract", os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))),
                                        "--timeout", str(TIMEOUT), "--no-cache"], timeout=TIMEOUT + 30)
    check_lines(err, [name], folder)
    assert rc in (0, 2) and wall < TIMEOUT + 15
    assert rss < 1024, f"{rss:.0f} MB"


def test_every_hostile_input_in_one_batch(fuzz):
    folder, kinds = fuzz
    names = sorted(kinds)
    paths = [os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(n))) for n in names]
    out, err, rc, wall, rss = measured(["extract", *paths, "--jobs", "2", "--timeout", str(TIMEOUT), "--no-cache",
                                        "--format", "json"], timeout=120)
    check_lines(err, names, folder)
    assert rc == 2 and wall < 90
    assert rss < 1024, f"{rss:.0f} MB"
    docs = {d["doc"]: d["rows"] for d in json.loads(out.decode("utf-8"))["documents"]}
    for fixture, rows in clean_rows().items():
        got = [_anonymous(json.dumps(r)) for r in docs[f"good_{fixture}"]]
        assert got == rows, f"good_{fixture}: not identical to the fixture read alone"
    sample = clean_rows_text()
    for odd in ("new\nline.txt", "latin1_\udce9\udcff.txt"):  # good text under odd names
        assert [_anonymous(json.dumps(r)) for r in docs[odd]] == sample[odd]


def clean_rows_text() -> dict[str, list]:
    """The odd-named files hold the UTF-8 and cp932 forms of one fixture: their rows are
    those of that fixture's text, read under an ordinary name."""
    import tempfile

    sample = (FIXTURES / "text" / "shogai_kyotaku_3kyu.txt").read_bytes().decode("utf-8-sig").replace("\xa5", "￥")
    out = {}
    with tempfile.TemporaryDirectory() as d:
        for odd, data in (("new\nline.txt", sample.encode("utf-8")), ("latin1_\udce9\udcff.txt", sample.encode("cp932"))):
            p = os.path.join(d, "plain.txt")
            with open(p, "wb") as f:
                f.write(data)
            r = subprocess.run([sys.executable, "-m", "extractor", "extract", p, "--no-cache"], capture_output=True,
                               cwd=ROOT, timeout=120)
            out[odd] = [_anonymous(line) for line in r.stdout.decode("utf-8").splitlines()]
    return out


def test_the_fuzz_script_is_seeded(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    make_fuzz.build(a, seed=3, small=True)
    make_fuzz.build(b, seed=3, small=True)
    for p in sorted(a.iterdir()):
        if p.is_file() and not p.is_symlink():
            assert p.read_bytes() == (b / p.name).read_bytes(), p.name
