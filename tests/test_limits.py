"""Limits that hold (issue 16, item 5): options out of range are refused, reads are bounded
before they start, a decompression bomb is refused before it is inflated, and a worker
that dies or hangs costs one line for its own file while the batch goes on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from extractor import engine
from extractor.cli import main

from .conftest import ROOT, text_fixtures

GOOD = text_fixtures()[-1]


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def tariff_lines(stderr: str) -> list[str]:
    return [x for x in stderr.splitlines() if x.startswith("tariff:")]


@pytest.mark.parametrize("option, expect", [
    (["--timeout", "0"], "--timeout 0: must be between 1 and 604800 seconds"),
    (["--timeout", "-5"], "--timeout -5: must be between 1 and 604800 seconds"),
    (["--timeout", "1099511627776"], "--timeout 1099511627776: must be between 1 and 604800 seconds"),
    (["--jobs", "-1"], "--jobs -1: must be 0 (all cores) or more"),
    (["--max-memory", "0"], "--max-memory 0: must be between 64 and 1048576 MB"),
    (["--max-memory", "-3"], "--max-memory -3: must be between 64 and 1048576 MB"),
    (["--max-memory", "99999999999"], "--max-memory 99999999999: must be between 64 and 1048576 MB"),
])
@pytest.mark.parametrize("command", ["extract", "check"])
def test_an_option_out_of_range_is_one_line(command, option, expect):
    r = run(command, GOOD, *option)
    assert r.returncode == 2 and not r.stdout and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [f"tariff: {expect}"]


def test_max_memory_without_jobs_caps_the_one_worker(tmp_path):
    """--max-memory is meaningful with one job too: the single worker is capped."""
    ok = run("extract", GOOD, "--no-cache", "--max-memory", "512")
    assert ok.returncode == 0 and ok.stdout == run("extract", GOOD, "--no-cache").stdout


def test_jobs_never_start_more_workers_than_files_or_cores():
    cores = os.cpu_count() or 1
    assert engine.workers_for(1000, 42) == min(cores, 42)
    assert engine.workers_for(1000, 1) == 1
    assert engine.workers_for(0, 1000) == cores
    assert engine.workers_for(1, 5) == 1


def test_jobs_1000_starts_only_as_many_workers_as_needed(monkeypatch, capsys):
    started = []
    real = engine._Worker.__init__

    def counting(self, *a, **k):
        started.append(1)
        real(self, *a, **k)

    monkeypatch.setattr(engine._Worker, "__init__", counting)
    files = [str(p) for p in text_fixtures()]
    assert main(["extract", *files, "--jobs", "1000", "--no-cache"]) == 0
    assert len(started) == min(os.cpu_count() or 1, len(files))


@pytest.mark.parametrize("target, kind", [
    ("/dev/zero", "a device"), ("/dev/urandom", "a device"), ("fifo", "a FIFO (named pipe)"),
])
@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_a_special_file_is_refused_before_it_is_read(tmp_path, target, kind, suffix):
    path = tmp_path / f"endless{suffix}"
    if target == "fifo":
        os.mkfifo(path)  # nobody ever writes to it
    else:
        path.symlink_to(target)
    t = time.perf_counter()
    r = run("extract", path, GOOD, "--timeout", "5", "--no-cache", timeout=60)
    assert time.perf_counter() - t < 20
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert tariff_lines(r.stderr) == [f"tariff: {path}: is not a regular file but {kind}; save the document to a file and give that"]
    assert r.stdout.strip(), "the good file after it is still read"


@pytest.mark.parametrize("name, size, limit", [("huge.txt", 40, 32), ("huge.pdf", 300, 256)])
def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, name, size, limit):
    path = tmp_path / name
    with open(path, "wb") as f:  # sparse: the size is there, the bytes are not
        f.write(b"%PDF-1.7\n")
        f.truncate(size * 1024 * 1024)
    t = time.perf_counter()
    r = run("extract", path, "--no-cache")
    assert time.perf_counter() - t < 20 and r.returncode == 2
    assert tariff_lines(r.stderr) == [f"tariff: {path}: is {size} MB, over the {limit} MB limit for its kind; "
                                      "split the document, or check that this is the fee document"]


def test_two_million_lines_are_refused_before_they_are_read(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes(b"1\n" * 2_000_000)
    t = time.perf_counter()
    r = run("extract", path, "--no-cache")
    assert time.perf_counter() - t < 20 and r.returncode == 2
    assert tariff_lines(r.stderr) == [f"tariff: {path}: has 2,000,000 lines, over the 200,000-line limit; "
                                      "split the document, or check that this is the fee document"]


def test_a_line_too_long_is_refused(tmp_path):
    path = tmp_path / "line.txt"
    path.write_text("1,086単位 " * 20000, encoding="utf-8")
    r = run("extract", path, "--no-cache")
    assert r.returncode == 2
    assert tariff_lines(r.stderr) == [f"tariff: {path}: line 1 has 160,000 characters, over the 100,000 limit; "
                                      "check that this is the fee document's text"]


def test_a_decompression_bomb_is_refused_before_it_is_inflated(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from make_fuzz import bomb
    finally:
        sys.path.pop(0)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(bomb())  # 1 GiB of spaces in one content stream
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "extractor", "extract", str(path), "--no-cache"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate(timeout=120)
    assert time.perf_counter() - t < 30
    assert p.returncode == 2 and not out
    assert err.splitlines() == [f"tariff: {path}: has a stream that inflates to more than 512 MB (a decompression bomb); "
                                "check where the file came from; a fee document never needs this"]


def _dies_on(name: str, how):
    real = engine.extract

    def extract(path, password=None):
        if path.name == name:
            how()
        return real(path, password)

    return extract


def _batch(tmp_path, monkeypatch, capsys, how, *options):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(GOOD.read_bytes())
    monkeypatch.setattr(engine, "extract", _dies_on("victim.txt", how))
    files = [str(p) for p in text_fixtures()]
    rc = main(["extract", files[0], str(victim), *files[1:], "--jobs", "2", "--no-cache", *options])
    out, err = capsys.readouterr()
    return rc, out, err, files, victim


def _rows_by_doc(out: str) -> dict:
    import json

    docs: dict = {}
    for line in out.splitlines():
        r = json.loads(line)
        docs.setdefault(r["doc"], []).append(line)
    return docs


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV])
def test_a_worker_that_dies_is_one_line_and_the_batch_goes_on(tmp_path, monkeypatch, capsys, sig):
    rc, out, err, files, victim = _batch(tmp_path, monkeypatch, capsys, lambda: os.kill(os.getpid(), sig))
    assert rc == 2 and "Traceback" not in err and "BrokenProcessPool" not in err
    assert tariff_lines(err) == [f"tariff: {victim}: the worker reading it died ({sig.name}), most likely out of memory "
                                 "(limit 2048 MB per worker); raise --max-memory, or check the file"]
    docs = _rows_by_doc(out)
    assert sorted(docs) == sorted(os.path.basename(f) for f in files), "every other file is still read"


def test_a_worker_out_of_memory_is_one_line(tmp_path, monkeypatch, capsys):
    def hog():
        blocks = []
        while True:
            blocks.append(bytearray(32 * 1024 * 1024))

    rc, out, err, files, victim = _batch(tmp_path, monkeypatch, capsys, hog, "--max-memory", "256")
    assert rc == 2 and "Traceback" not in err
    assert tariff_lines(err) == [f"tariff: {victim}: needs more memory than the limit and was stopped; "
                                 "raise --max-memory, or check the file"]
    assert sorted(_rows_by_doc(out)) == sorted(os.path.basename(f) for f in files)


def test_a_worker_stuck_where_the_alarm_cannot_reach_is_killed(tmp_path, monkeypatch, capsys):
    """A C library that never returns does not let the alarm's handler run: blocking the
    signal stands in for it. The worker is killed a few seconds after --timeout."""
    def stuck():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)

    t = time.perf_counter()
    rc, out, err, files, victim = _batch(tmp_path, monkeypatch, capsys, stuck, "--timeout", "1")
    assert time.perf_counter() - t < 1 + engine.KILL_GRACE + 15
    assert rc == 2 and tariff_lines(err) == [f"tariff: {victim}: took longer than 1 s and was stopped; "
                                             "raise --timeout, or check the file"]
    assert sorted(_rows_by_doc(out)) == sorted(os.path.basename(f) for f in files)


def test_a_plan_that_never_ends_is_refused(tmp_path):
    plan = tmp_path / "plan.json"
    plan.symlink_to("/dev/zero")
    r = run("calc", plan, timeout=30)
    assert r.returncode == 2 and r.stderr.splitlines() == [
        f"tariff: {plan}: is not a regular file but a device; save the document to a file and give that"]


def test_pdfium_running_out_of_memory_is_one_line_and_the_batch_goes_on(tmp_path):
    """A real abort, not a simulated one: a 400 MB content stream (under the bomb limit)
    in a worker capped at 256 MB. pdfium cannot allocate it and aborts the worker."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from make_fuzz import bomb
    finally:
        sys.path.pop(0)
    path = tmp_path / "big.pdf"
    path.write_bytes(bomb(400 << 20))
    r = run("extract", path, GOOD, "--no-cache", "--jobs", "2", "--max-memory", "256")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = tariff_lines(r.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"tariff: {path}: ")
    assert "(limit 256 MB per worker); raise --max-memory" in lines[0] or "needs more memory" in lines[0]  # how pdfium fails may vary
    assert r.stdout.strip(), "the good file is still read"


def test_a_reference_that_never_ends_is_refused(tmp_path):
    ref = tmp_path / "codes.csv"
    os.mkfifo(ref)
    r = run("check", GOOD, "--reference", ref, timeout=30)
    assert r.returncode == 2 and r.stderr.splitlines() == [
        f"tariff: {ref}: is not a regular file; save it to a file and give that"]
