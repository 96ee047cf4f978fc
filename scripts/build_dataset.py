#!/usr/bin/env python3
"""Rebuild the committed dataset in normalized/ from the fixtures (text and PDF) and the
seeds in ../shared/seeds, checked against ../shared/reference when it is there.
`python scripts/build_dataset.py [--out DIR]`; CI compares a fresh build with the
committed one byte for byte.

Every source has a text layer, and the build runs with OCR off (TARIFF_OCR=0), so the
dataset is the same on a machine with or without Tesseract: a scan added to the sources
is refused with one line instead of being read one way here and another way there."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.cli import main  # noqa: E402

SHARED = ROOT.parent / "shared"


def sources() -> list[str]:
    found = [p for folder in ("text", "pdf") for p in sorted((ROOT / "fixtures" / folder).glob("*")) if p.suffix in (".txt", ".md", ".pdf")]
    found += sorted((SHARED / "seeds").glob("0*.txt"))
    return [str(p) for p in found]


def argv(out: str) -> list[str]:
    args = ["build", *sources(), "--out", out, "--errata", str(ROOT / "normalized" / "errata.json")]
    official = SHARED / "reference" / "service_codes_r6_peer.csv"
    if official.is_file():
        args += ["--reference", str(official)]
    return args


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "normalized"))
    if not (SHARED / "seeds").is_dir():
        raise SystemExit(f"{SHARED / 'seeds'} not found: the dataset is built from the seeds too")
    os.environ["TARIFF_OCR"] = "0"
    raise SystemExit(main(argv(ap.parse_args().out)))
