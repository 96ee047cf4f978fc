"""The command line as a user meets it: help, formats, output files, bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from extractor.cli import main

from .conftest import ROOT, text_fixtures

FIXTURE = text_fixtures()[0]


def run(args, **kw):
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, cwd=ROOT, **kw)


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"]])
def test_help(args):
    r = run(args)
    assert r.returncode == 0
    assert "usage: tariff" in r.stdout


def test_no_command_is_usage_error():
    r = run([])
    assert r.returncode == 2
    assert "usage" in r.stderr


def test_jsonl_rows_follow_the_contract(capsys):
    assert main(["extract", str(FIXTURE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines
    for line in lines:
        row = json.loads(line)
        for key in ("doc", "page", "line", "scheme", "service", "item", "label", "kind", "care_levels",
                    "units", "rate", "step", "basis", "amounts", "unit_price", "unit_price_source", "effective_from"):
            assert key in row
        assert row["units"] is None or isinstance(row["units"], int)
        assert set(row["amounts"]) <= {"total", "benefit", "copay1", "copay2", "copay3"}
        assert all(isinstance(v, int) for v in row["amounts"].values())


def test_decimals_are_strings_never_floats(capsys):
    path = next(p for p in text_fixtures() if "shogai" in p.name)
    main(["extract", str(path), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)["documents"][0]
    prices = {r["unit_price"] for r in doc["rows"] if r["unit_price"] is not None}
    assert prices == {"10.90"}


def test_csv_format(capsys):
    assert main(["extract", str(FIXTURE), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(r["doc"] == FIXTURE.name for r in rows)


def test_output_file_is_written(tmp_path):
    target = tmp_path / "rows.jsonl"
    assert main(["extract", str(FIXTURE), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").count("\n") >= 1
    assert [p.name for p in target.parent.iterdir()] == ["rows.jsonl"], "temp file left behind"
    import os
    import stat

    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask, "an output readable as any file written normally"


BAD_INPUTS = {
    "missing": (None, None, "no such file"),
    "empty": ("empty.txt", b"", "is empty"),
    "undecodable": ("noise.txt", bytes(range(128, 256)) * 8, "cannot be decoded"),
    "unsupported": ("fees.rtf", b"{\\rtf1}", "unsupported file type"),
    "ods": ("fees.ods", b"PK\x03\x04", "an OpenDocument spreadsheet (.ods) is not read; save it as .xlsx"),
    "not a workbook": ("fees.xlsx", b"PK\x03\x04", "is not an Excel workbook (not a zip archive"),
    "folder": ("", None, "folder holds no documents"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_and_the_batch_goes_on(tmp_path, case):
    name, data, expect = BAD_INPUTS[case]
    bad = tmp_path / (name if name is not None else "missing.txt")
    if data is not None:
        bad.write_bytes(data)
    r = run(["extract", str(bad), str(FIXTURE)])
    assert r.returncode == 2
    err = [line for line in r.stderr.splitlines() if line.startswith("tariff:")]
    assert len(err) == 1 and expect in err[0] and str(bad) in err[0]
    assert "Traceback" not in r.stderr
    assert r.stdout.strip(), "the good file's rows must still be written"


def test_same_input_gives_byte_identical_output(tmp_path):
    outs = []
    for n in (1, 2):
        target = tmp_path / f"run{n}.json"
        main(["extract", *map(str, text_fixtures()), "--format", "json", "-o", str(target)])
        outs.append(target.read_bytes())
    assert outs[0] == outs[1]


def test_readme_lists_every_finding_code_and_command():
    from extractor.findings import CATALOGUE

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in CATALOGUE if f"`{c}`" not in readme]
    assert not missing, f"README findings table lacks {missing}"
    for command in ("tariff extract", "tariff check", "make run", "make test"):
        assert command in readme


def test_folders_patterns_and_parallel_jobs_give_the_same_output(tmp_path):
    one = run(["extract", "fixtures/text", "fixtures/pdf", "--format", "json", "-o", str(tmp_path / "one.json")])
    two = run(["extract", "fixtures/text/*", "fixtures/pdf/*.pdf", "--jobs", "2", "--format", "json", "-o", str(tmp_path / "two.json")])
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    a = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))["documents"]
    b = json.loads((tmp_path / "two.json").read_text(encoding="utf-8"))["documents"]
    assert a == b and len(a) >= 8  # same documents, same rows, same order (each folder sorted)


def test_a_folder_or_pattern_with_nothing_is_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run(["extract", str(tmp_path / "empty"), str(tmp_path / "*.pdf"), str(FIXTURE)])
    assert r.returncode == 2
    lines = [x for x in r.stderr.splitlines() if x.startswith("tariff:")]
    assert len(lines) == 2 and "holds no documents" in lines[0] and "matches no file" in lines[1]
    assert r.stdout.strip()


def test_a_second_run_comes_from_the_cache_and_is_identical(tmp_path):
    import os

    env = {**os.environ, "TARIFF_CACHE": str(tmp_path / "cache")}
    run_ = lambda *a: subprocess.run([sys.executable, "-m", "extractor", "extract", "fixtures/pdf", *a],  # noqa: E731
                                     capture_output=True, text=True, cwd=ROOT, env=env)
    first = run_("--format", "json")
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert first.returncode == 0 and len(entries) == len(list((ROOT / "fixtures" / "pdf").glob("*.pdf")))
    second = run_("--format", "json")
    assert second.stdout == first.stdout
    for e in entries:  # a corrupt entry is a miss, not a failure
        e.write_text("{broken", encoding="utf-8")
    third = run_("--format", "json")
    assert third.returncode == 0 and third.stdout == first.stdout
    assert run_("--format", "json", "--no-cache").stdout == first.stdout


def test_dask_executor_on_a_local_cluster_gives_the_same_rows(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    local = run(["extract", "fixtures/text", "fixtures/pdf", "--no-cache", "-o", str(tmp_path / "local.jsonl")])
    assert local.returncode == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        rc = main(["extract", "fixtures/text", "fixtures/pdf", "--no-cache", "--executor", "dask",
                   "--scheduler", cluster.scheduler_address, "-o", str(tmp_path / "dask.jsonl")])
    assert rc == 0
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()


def test_dask_executor_without_a_scheduler_is_one_line():
    r = run(["extract", str(FIXTURE), "--executor", "dask"])
    assert r.returncode == 2 and "needs --scheduler" in r.stderr and "Traceback" not in r.stderr


def test_the_progress_bar_never_takes_stdout(tmp_path):
    """On a terminal the bar is drawn on stderr; the rows on stdout are all there."""
    import shutil

    if not shutil.which("script"):
        pytest.skip("util-linux 'script' (a pseudo-terminal) not installed")
    out = tmp_path / "rows.jsonl"
    cmd = f"cd {ROOT} && {sys.executable} -m extractor extract fixtures/text fixtures/pdf --no-cache > {out}"
    env = {k: v for k, v in __import__("os").environ.items() if k != "CI"}
    subprocess.run(["script", "-qc", cmd, str(tmp_path / "tty.log")], capture_output=True, env=env, timeout=120)
    plain = run(["extract", "fixtures/text", "fixtures/pdf", "--no-cache"])
    assert out.read_text(encoding="utf-8") == plain.stdout and plain.stdout
    assert "reading" in (tmp_path / "tty.log").read_text(encoding="utf-8", errors="replace")
