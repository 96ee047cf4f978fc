"""Where CI users are (issue 17, item 6): the pre-commit hook and the GitHub Action run
`tariff check` as they are written in .pre-commit-hooks.yaml and action.yml."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="reading the hook and action definitions needs PyYAML")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# one document of each kind the hook selects, all consistent (checked together too)
CONSISTENT = ["text/leaflet_kyotaku_2kyu.sjis.txt", "html/shogai_kyotaku.html", "docx/shogai_kyotaku.docx",
              "xlsx/shogai_kyotaku_openpyxl.xlsx", "pdf/schedule_kyotaku_ruled.pdf"]
# its 居宅介護支援費(Ⅱ) tiers print the yen of (Ⅰ)'s units: four reference-other-item errors
WITH_ERRORS = ["pdf/leaflet_kyotaku_stream.pdf"]


def folder(tmp_path: Path, name: str, docs: list[str]) -> Path:
    out = tmp_path / name
    out.mkdir()
    for d in docs:
        shutil.copy(FIXTURES / d, out / Path(d).name)
    # what a repository of fee documents also holds: the hook must not pick it up
    (out / "README.md").write_text("# 料金表\n", encoding="utf-8")
    (out / "notes.json").write_text("{}", encoding="utf-8")
    return out


def env(tmp_path: Path) -> dict:
    """The environment pre-commit gives a python hook: its virtualenv's bin first."""
    bindir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "TARIFF_CACHE": str(tmp_path / "cache")}


def hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "tariff-check")


def selected(h: dict, where: Path) -> list[str]:
    """The files pre-commit passes the hook: those its `files` pattern matches (and `exclude` does not)."""
    files = re.compile(h.get("files", ""))
    exclude = re.compile(h["exclude"]) if h.get("exclude") else None
    names = sorted(str(p.relative_to(where)) for p in where.rglob("*") if p.is_file())
    return [n for n in names if files.search(n) and not (exclude and exclude.search(n))]


def run_hook(tmp_path: Path, where: Path) -> subprocess.CompletedProcess:
    h = hook()
    if not shutil.which(shlex.split(h["entry"])[0], path=env(tmp_path)["PATH"]):
        pytest.skip("the `tariff` command is not installed beside this Python (pip install -e .)")
    cmd = shlex.split(h["entry"]) + list(h.get("args", [])) + selected(h, where)
    return subprocess.run(cmd, cwd=where, env=env(tmp_path), capture_output=True, text=True, timeout=600)


def test_hook_selects_fee_documents_by_type(tmp_path):
    h = hook()
    assert h["language"] == "python" and h.get("require_serial") is True
    where = folder(tmp_path, "fees", CONSISTENT)
    assert selected(h, where) == sorted(Path(d).name for d in CONSISTENT)
    for name in ("a.PDF", "b.txt", "c.htm", "d.html", "e.xlsx", "f.docx"):
        assert re.search(h["files"], name), name
    for name in ("a.json", "b.md", "c.py", "d.pdf.bak"):
        assert not re.search(h["files"], name), name


def test_hook_passes_consistent_documents(tmp_path):
    run = run_hook(tmp_path, folder(tmp_path, "fees", CONSISTENT))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 errors" in run.stdout


def test_hook_fails_documents_with_errors(tmp_path):
    run = run_hook(tmp_path, folder(tmp_path, "fees", CONSISTENT + WITH_ERRORS))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "reference-other-item" in run.stdout


def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_is_composite_with_paths_and_flags():
    a = action()
    assert a["runs"]["using"] == "composite"
    assert {"paths", "flags"} <= set(a["inputs"])
    steps = a["runs"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "$GITHUB_ACTION_PATH" in install["run"] and "constraints.txt" in install["run"]
    check = next(s for s in steps if "tariff check" in s.get("run", ""))
    assert "--format github" in check["run"]
    assert set(check["env"].values()) == {"${{ inputs.paths }}", "${{ inputs.flags }}"}


def test_action_check_step_annotates(tmp_path):
    """The action's check step, run by bash as the runner runs it, with its inputs in its env."""
    if not shutil.which("bash"):
        pytest.skip("the action's step is a bash script: bash is not installed")
    step = next(s for s in action()["runs"]["steps"] if "tariff check" in s.get("run", ""))
    where = folder(tmp_path, "fees", CONSISTENT + WITH_ERRORS)

    def run(paths: str, flags: str) -> subprocess.CompletedProcess:
        e = {**env(tmp_path), "TARIFF_PATHS": paths, "TARIFF_FLAGS": flags}
        return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=where, env=e, capture_output=True, text=True, timeout=600)

    bad = run("*.pdf", "")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    lines = bad.stdout.splitlines()
    assert any(ln.startswith("::error file=leaflet_kyotaku_stream.pdf,line=") and "title=reference-other-item::" in ln for ln in lines)
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)
    ok = run("leaflet_kyotaku_2kyu.sjis.txt shogai_kyotaku.html", "--fail-on warning")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout == ""


def test_github_annotation_properties_are_escaped():
    from extractor.check_output import _gh_property

    assert _gh_property("fees/a,b:c%.txt") == "fees/a%2Cb%3Ac%25.txt"
