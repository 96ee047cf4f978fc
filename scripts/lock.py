#!/usr/bin/env python3
"""Refresh constraints.txt, the lock of every Python package the project installs.

`make lock` (or `python3 scripts/lock.py`). In a new, temporary virtualenv it installs the
newest releases that pyproject.toml allows, for its dependencies and every optional extra
it declares (an extra or a dependency added later is covered without touching this
script), and writes what got installed, transitive dependencies too, as `name==version`
lines, and pip's own version. Below a `# build` line it adds what building the project
takes ([build-system] requires: setuptools, wheel and what they need), resolved the same
way. `make` and .ci/run install with `-c constraints.txt --build-constraint
constraints.txt`, and tests/test_lock.py names every package whose installed version
differs from the lock.
Review the diff, run `make test` (the golden files and the dataset may move with a new
pdfium), and commit the lock with whatever it changed."""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "constraints.txt"


BUILD = "# build"  # the lines below it pin what building the project takes


def requirements(pyproject: Path) -> tuple[list[str], list[str], list[str]]:
    """The project's dependencies, those of every extra, the extras' names, and what
    building the project requires."""
    toml = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = toml["project"]
    extras = project.get("optional-dependencies", {})
    reqs = list(project.get("dependencies", []))
    for name in sorted(extras):
        reqs += extras[name]
    return reqs, sorted(extras), list(toml.get("build-system", {}).get("requires", []))


def frozen(reqs: list[str], build: list[str], python: str) -> tuple[str, list[str], list[str]]:
    """pip's version, `pip freeze` after installing ``reqs`` into a fresh virtualenv, and
    the pins pip resolves for ``build`` there (a dry run: it installs nothing)."""
    with tempfile.TemporaryDirectory(prefix="tariff-lock-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        py = str(venv / "bin" / "python")
        pip = [py, "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", *reqs], check=True)
        version = subprocess.run([*pip, "--version"], check=True, capture_output=True, text=True).stdout.split()[1]
        lines = subprocess.run([*pip, "freeze"], check=True, capture_output=True, text=True).stdout.splitlines()
        report = Path(tmp) / "build.json"
        subprocess.run([*pip, "install", "--quiet", "--dry-run", "--ignore-installed", "--report", str(report), *build], check=True)
        resolved = json.loads(report.read_text(encoding="utf-8"))["install"]
    pins = sorted((ln for ln in lines if ln and not ln.startswith("#")), key=str.lower)
    for ln in pins:
        if "==" not in ln:
            raise SystemExit(f"lock: `pip freeze` gave {ln!r}, not name==version: install it from a registry")
    runtime = {ln.split("==")[0].lower().replace("_", "-"): ln for ln in pins}
    build_pins = []
    for item in resolved:
        name, ver = item["metadata"]["name"], item["metadata"]["version"]
        same = runtime.get(name.lower().replace("_", "-"))
        if same is None:
            build_pins.append(f"{name}=={ver}")
        elif same.split("==")[1] != ver:
            raise SystemExit(f"lock: building needs {name}=={ver}, the project {same}: one constraints file cannot hold both")
    return version, pins, sorted(build_pins, key=str.lower)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python", default=sys.executable, help="the interpreter the virtualenv is made from")
    ap.add_argument("--out", default=str(LOCK))
    args = ap.parse_args()
    reqs, extras, build = requirements(ROOT / "pyproject.toml")
    py_version = subprocess.run([args.python, "-c", "import platform; print(platform.python_version())"],
                                check=True, capture_output=True, text=True).stdout.strip()
    pip_version, pins, build_pins = frozen(reqs, build, args.python)
    head = [
        "# The lock: every Python package `make` and CI install, transitive ones too (pip -c).",
        f"# Dependencies and extras [{','.join(extras)}] of pyproject.toml, resolved on Python "
        f"{'.'.join(py_version.split('.')[:2])} ({platform.machine()}).",
        "# Refresh with `make lock` (scripts/lock.py); tests/test_lock.py names every difference.",
    ]
    Path(args.out).write_text("\n".join([*head, f"pip=={pip_version}", *pins, BUILD, *build_pins]) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(pins) + 1} packages pinned, and {len(build_pins)} for the build", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
