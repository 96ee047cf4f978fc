#!/usr/bin/env python3
"""Refresh constraints.txt, the lock of every Python package the project installs.

`make lock` (or `python3 scripts/lock.py`). In a new, temporary virtualenv it installs the
newest releases that pyproject.toml allows, for its dependencies and every optional extra
it declares (an extra or a dependency added later is covered without touching this
script), and writes what got installed, transitive dependencies too, as `name==version`
lines, and pip's own version. `make` and .ci/run install with `-c constraints.txt`, and
tests/test_lock.py names every package whose installed version differs from the lock.
Review the diff, run `make test` (the golden files and the dataset may move with a new
pdfium), and commit the lock with whatever it changed."""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "constraints.txt"


def requirements(pyproject: Path) -> tuple[list[str], list[str]]:
    """The project's dependencies, those of every extra, and the extras' names."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    reqs = list(project.get("dependencies", []))
    for name in sorted(extras):
        reqs += extras[name]
    return reqs, sorted(extras)


def frozen(reqs: list[str], python: str) -> tuple[str, list[str]]:
    """pip's version and `pip freeze` after installing ``reqs`` into a fresh virtualenv."""
    with tempfile.TemporaryDirectory(prefix="tariff-lock-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        py = str(venv / "bin" / "python")
        pip = [py, "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", *reqs], check=True)
        version = subprocess.run([*pip, "--version"], check=True, capture_output=True, text=True).stdout.split()[1]
        lines = subprocess.run([*pip, "freeze"], check=True, capture_output=True, text=True).stdout.splitlines()
    pins = sorted((ln for ln in lines if ln and not ln.startswith("#")), key=str.lower)
    for ln in pins:
        if "==" not in ln:
            raise SystemExit(f"lock: `pip freeze` gave {ln!r}, not name==version: install it from a registry")
    return version, pins


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python", default=sys.executable, help="the interpreter the virtualenv is made from")
    ap.add_argument("--out", default=str(LOCK))
    args = ap.parse_args()
    reqs, extras = requirements(ROOT / "pyproject.toml")
    py_version = subprocess.run([args.python, "-c", "import platform; print(platform.python_version())"],
                                check=True, capture_output=True, text=True).stdout.strip()
    pip_version, pins = frozen(reqs, args.python)
    head = [
        "# The lock: every Python package `make` and CI install, transitive ones too (pip -c).",
        f"# Dependencies and extras [{','.join(extras)}] of pyproject.toml, resolved on Python "
        f"{'.'.join(py_version.split('.')[:2])} ({platform.machine()}).",
        "# Refresh with `make lock` (scripts/lock.py); tests/test_lock.py names every difference.",
    ]
    Path(args.out).write_text("\n".join([*head, f"pip=={pip_version}", *pins]) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(pins) + 1} packages pinned", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
