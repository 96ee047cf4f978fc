"""The installed Python packages are the locked ones (constraints.txt), and the lock covers
every package the project needs. A newer pypdfium2 moved character boxes once, and golden
and byte-identical tests failed on one install while they passed on another: when the
versions differ, these tests name each difference before the others fail for it.
`make` installs from the lock; `make lock` refreshes it (scripts/lock.py). The lines
below `# build` pin what building the project takes (pip --build-constraint)."""

from __future__ import annotations

import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT

LOCK = ROOT / "constraints.txt"
HOW = "`make` reinstalls from constraints.txt; `make lock` refreshes the lock (review its diff)"


def locked(section: str = "install") -> dict[str, tuple[str, str]]:
    """canonical name -> (name as written, version), of the packages installed
    (section "install") or of those only building the project takes ("build")."""
    out, current = {}, "install"
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() == "# build":
            current = "build"
        line = line.split("#", 1)[0].strip()
        if line and current == section:
            name, sep, version = line.partition("==")
            assert sep and version, f"constraints.txt: {line!r} is not name==version"
            out[canonicalize_name(name)] = (name.strip(), version.strip())
    return out


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def project_requirements() -> list[Requirement]:
    project = pyproject()["project"]
    reqs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def unmet(reqs: list[Requirement], lock: dict[str, tuple[str, str]]) -> list[str]:
    """Each requirement the lock does not pin, or pins at a version it does not allow."""
    out = []
    for r in reqs:
        pin = lock.get(canonicalize_name(r.name))
        if pin is None:
            out.append(f"{r} (not locked)")
        elif not r.specifier.contains(pin[1], prereleases=True):
            out.append(f"{r} (locked {pin[1]})")
    return out


def needed() -> tuple[dict[str, str], list[str]]:
    """Every distribution the project's dependencies and extras pull in, transitively, as
    canonical name -> the requirement that first pulled it; and those not installed."""
    found: dict[str, str] = {}
    missing: list[str] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(r, "pyproject.toml") for r in project_requirements()]
    while todo:
        req, by = todo.pop()
        name = canonicalize_name(req.name)
        if (name, frozenset(req.extras)) in seen:
            continue
        seen.add((name, frozenset(req.extras)))
        found.setdefault(name, by)
        try:
            requires = metadata.distribution(req.name).requires or []
        except metadata.PackageNotFoundError:
            missing.append(f"{req.name} (needed by {by})")
            continue
        for spec in requires:
            sub = Requirement(spec)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in (req.extras or {""})):
                todo.append((sub, req.name))
    return found, missing


def test_installed_versions_are_the_locked_ones():
    diffs = []
    for name, version in sorted(locked().values()):
        if canonicalize_name(name) == "pip":
            continue  # pip is pinned for the install itself; it shapes no result
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            diffs.append(f"{name}: locked {version}, not installed")
            continue
        if have != version:
            diffs.append(f"{name}: locked {version}, installed {have}")
    assert not diffs, "installed packages differ from constraints.txt:\n  " + "\n  ".join(diffs) + f"\n{HOW}"


def test_the_lock_covers_every_dependency_and_meets_pyproject():
    lock = locked()
    found, missing = needed()
    assert not missing, "not installed: " + ", ".join(sorted(missing)) + f"\n{HOW}"
    unlocked = [f"{n} (needed by {by})" for n, by in sorted(found.items()) if n not in lock]
    assert not unlocked, "not in constraints.txt: " + ", ".join(unlocked) + f"\n{HOW}"
    wrong = unmet(project_requirements(), lock)
    assert not wrong, "pyproject.toml asks for what the lock does not give: " + ", ".join(wrong) + f"\n{HOW}"


def test_the_lock_pins_the_build_backend_pyproject_asks_for():
    build = [Requirement(r) for r in pyproject().get("build-system", {}).get("requires", [])]
    wrong = unmet(build, {**locked("install"), **locked("build")})
    assert build and not wrong, "[build-system] requires what the lock does not give: " + ", ".join(wrong) + f"\n{HOW}"


def test_the_lock_pins_nothing_the_project_does_not_need():
    found, _ = needed()
    extra = sorted(name for key, (name, _) in locked().items() if key not in found and key != "pip")
    assert not extra, "constraints.txt pins packages nothing needs any more: " + ", ".join(extra) + f"\n{HOW}"
