"""Output paths never harm what they name (issue 16, item 3): a regular file is replaced
atomically, ``-`` is stdout, a device or FIFO is written to directly, and a path that
cannot be written costs one line and exit 2, before any document is read, leaving no
partial file."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from .conftest import ROOT, text_fixtures

FIXTURE = text_fixtures()[-1]


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, **kw)


def lines(stderr: str) -> list[str]:
    return [x for x in stderr.splitlines() if x.startswith("tariff:")]


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tariff-"))


@pytest.mark.parametrize("command", ["extract", "check"])
def test_dev_null_is_still_a_device_after_writing_to_it(command):
    before = os.stat("/dev/null")
    r = run(command, FIXTURE, "-o", "/dev/null")
    assert r.returncode == 0, r.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode), "/dev/null was replaced by a regular file"
    assert after.st_rdev == before.st_rdev


def test_report_to_dev_null_leaves_it_a_device():
    r = run("report", FIXTURE, "-o", "/dev/null")
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_device_is_one_line_and_stays_a_device():
    if not os.path.exists("/dev/full"):
        pytest.skip("/dev/full is not on this system")
    r = run("extract", FIXTURE, "-o", "/dev/full")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert lines(r.stderr) == ["tariff: /dev/full: cannot write (No space left on device); free some space, or choose another disk"]
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dash_is_stdout():
    dash = run("extract", FIXTURE, "-o", "-")
    plain = run("extract", FIXTURE)
    assert dash.returncode == 0 and dash.stdout == plain.stdout and dash.stdout.strip()
    assert not (ROOT / "-").exists()


def test_a_fifo_is_written_to_directly(tmp_path):
    fifo = tmp_path / "rows.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run("extract", FIXTURE, "-o", fifo)
    reader.join(timeout=60)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced"
    assert got and got[0].decode("utf-8") == run("extract", FIXTURE).stdout
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_one_line_before_anything_is_read(tmp_path):
    target = tmp_path / "missing" / "rows.jsonl"
    r = run("extract", FIXTURE, "-o", target)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [f"tariff: {target}: its folder {target.parent} does not exist; "
                                     "create the folder first, or choose another path"]  # no document was read
    assert not target.parent.exists()


def test_a_folder_given_as_the_output_is_one_line(tmp_path):
    r = run("extract", FIXTURE, "-o", tmp_path)
    assert r.returncode == 2 and lines(r.stderr) == [f"tariff: {tmp_path}: is a folder; give a file name, not a folder"]


def test_a_name_too_long_is_one_line_before_anything_is_read(tmp_path):
    target = tmp_path / ("a" * 300 + ".jsonl")
    r = run("extract", FIXTURE, "-o", target)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.splitlines()) == 1
    assert "cannot write (File name too long); choose a shorter name" in r.stderr or "longer than" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_name_just_under_the_limit_is_written(tmp_path):
    """The temporary file beside the target has a short name of its own, so a final name
    of 250 bytes (legal) is not refused for its temporary's sake."""
    target = tmp_path / ("b" * 244 + ".jsonl")
    r = run("extract", FIXTURE, "-o", target)
    assert r.returncode == 0, r.stderr
    assert target.read_text(encoding="utf-8") == run("extract", FIXTURE).stdout
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway; the EACCES path is tested below")
def test_a_read_only_folder_is_one_line(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        r = run("extract", FIXTURE, "-o", folder / "rows.jsonl")
    finally:
        folder.chmod(0o755)
    assert r.returncode == 2 and lines(r.stderr) == [
        f"tariff: {folder / 'rows.jsonl'}: cannot write (Permission denied); choose a folder you may write to"]
    assert list(folder.iterdir()) == []


def test_a_folder_that_refuses_the_temporary_file_is_one_line(tmp_path, monkeypatch, capsys):
    """What a read-only folder does (EACCES from creating the temporary file), for root too."""
    import errno
    import tempfile

    from extractor.cli import main

    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert main(["extract", str(FIXTURE), "-o", str(tmp_path / "rows.jsonl")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"tariff: {tmp_path / 'rows.jsonl'}: cannot write (Permission denied); choose a folder you may write to"]
    assert list(tmp_path.iterdir()) == []


def _small_files():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))


def test_a_disk_that_fills_up_leaves_the_old_file_and_no_partial_one(tmp_path):
    """A file-size limit stands in for a full disk: the write fails half-way. The old
    output is left as it was and no temporary file remains."""
    target = tmp_path / "rows.jsonl"
    target.write_text("old\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "extractor", "extract", str(FIXTURE), "--no-cache", "-o", str(target)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120, preexec_fn=_small_files)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert lines(r.stderr) == [f"tariff: {target}: cannot write (File too large); choose a disk or account that allows larger files"]
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []


def test_a_link_to_a_file_keeps_its_link(tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    r = run("extract", FIXTURE, "-o", link)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8") == run("extract", FIXTURE).stdout
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_replaced_whole(tmp_path):
    target = tmp_path / "rows.jsonl"
    target.write_text("x" * 100000, encoding="utf-8")
    t = time.perf_counter()
    r = run("extract", FIXTURE, "-o", target)
    assert r.returncode == 0 and time.perf_counter() - t < 60
    assert target.read_text(encoding="utf-8") == run("extract", FIXTURE).stdout
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["csv", "sqlite", "parquet"])
def test_export_to_dev_null_leaves_it_a_device(fmt):
    pytest.importorskip("pyarrow")
    r = run("export", "--format", fmt, "-o", "/dev/null")
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_a_missing_folder_or_a_full_device_is_one_line(tmp_path):
    target = tmp_path / "missing" / "items.csv"
    r = run("export", "--format", "csv", "-o", target)
    assert r.returncode == 2 and r.stderr.splitlines() == [
        f"tariff: {target}: its folder {target.parent} does not exist; create the folder first, or choose another path"]
    if os.path.exists("/dev/full"):
        r = run("export", "--format", "csv", "-o", "/dev/full")
        assert r.returncode == 2 and r.stderr.splitlines() == [
            "tariff: /dev/full: cannot write (No space left on device); free some space, or choose another disk"]
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_to_stdout(tmp_path):
    dash = subprocess.run([sys.executable, "-m", "extractor", "export", "--format", "csv", "-o", "-"],
                          capture_output=True, cwd=ROOT, timeout=120)
    r = run("export", "--format", "csv", "-o", tmp_path / "items.csv")
    assert dash.returncode == r.returncode == 0
    assert dash.stdout == (tmp_path / "items.csv").read_bytes() and dash.stdout
