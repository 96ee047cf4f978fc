#!/usr/bin/env python3
"""The main job on the bundled fixtures (and the seeds in ../shared/seeds when present):
extract every document and write its rows and findings under --out.

  out/<document>.jsonl   one tariff row per line
  out/documents.json     every document with its rows, findings and status
  out/rows.csv           all rows, flat
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.output import render, write_atomic  # noqa: E402
from extractor.pipeline import extract  # noqa: E402
from extractor.sources import BadInput  # noqa: E402

SUFFIXES = {".txt", ".md", ".pdf"}


def inputs() -> list[Path]:
    found = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.suffix.lower() in SUFFIXES and "bad" not in p.parts)
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        found += sorted(p for p in seeds.glob("*.txt") if p.name[0].isdigit())
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out", help="output folder (default: out)")
    args = ap.parse_args()
    out = Path(args.out)
    results, bad = [], 0
    for path in inputs():
        try:
            res = extract(path)
        except BadInput as e:
            print(f"tariff: {e}", file=sys.stderr)
            bad += 1
            continue
        results.append(res)
        write_atomic(out / f"{path.name}.jsonl", render([res], "jsonl"))
        errors = sum(f.severity == "error" for f in res.findings)
        warnings = sum(f.severity == "warning" for f in res.findings)
        print(f"{res.doc:40s} {res.recognizer or '-':18s} {len(res.rows):4d} rows  "
              f"{errors} errors {warnings} warnings  {res.status}")
    write_atomic(out / "documents.json", render(results, "json"))
    write_atomic(out / "rows.csv", render(results, "csv"))
    print(f"wrote {len(results)} documents to {out}/ (documents.json, rows.csv, <document>.jsonl)")
    return 2 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
