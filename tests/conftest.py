"""Shared test helpers: where the seeds and fixtures are, and how to read them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = ROOT / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
HAND = Path(__file__).resolve().parent / "hand"


def seed(prefix: str) -> Path:
    """The seed whose name starts with ``prefix``; skip (with a message) without ../shared."""
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS}: clone the repo beside shared/ to run seed tests")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not in {SEEDS}")
    return found[0]


def text_fixtures() -> list[Path]:
    return sorted(p for p in (FIXTURES / "text").iterdir() if p.is_file())


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """The tests' extraction cache lives in a temporary folder, never the user's."""
    import os

    old = os.environ.get("TARIFF_CACHE")
    os.environ["TARIFF_CACHE"] = str(tmp_path_factory.mktemp("tariff-cache"))
    yield
    if old is None:
        os.environ.pop("TARIFF_CACHE", None)
    else:
        os.environ["TARIFF_CACHE"] = old
