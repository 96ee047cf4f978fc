#!/usr/bin/env python3
"""The main job on the bundled fixtures (and the seeds in ../shared/seeds when present):
extract every document, check it (against the others, and against the official code
table in ../shared/reference when present), and write the results under --out.

  out/<document>.jsonl   one tariff row per line
  out/documents.json     every document with its rows, findings and status
  out/rows.csv           all rows, flat
  out/check.txt          the check report for people
  out/check.json         the check report for machines
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.check import check  # noqa: E402
from extractor.check_output import render as render_check  # noqa: E402
from extractor.output import render, write_atomic  # noqa: E402
from extractor.reference import load  # noqa: E402
from extractor.pipeline import extract  # noqa: E402
from extractor.sources import BadInput  # noqa: E402

SUFFIXES = {".txt", ".md", ".pdf"}


def inputs() -> list[Path]:
    # documents live in fixtures/text and fixtures/pdf; fixtures/scan needs OCR and
    # fixtures/bad holds inputs that must be refused
    found = sorted(p for folder in ("text", "pdf") for p in (ROOT / "fixtures" / folder).glob("*")
                   if p.suffix.lower() in SUFFIXES)
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
    official = ROOT.parent / "shared" / "reference" / "service_codes_r6_peer.csv"
    refs = [load(official)] if official.is_file() else []
    report = check(results, refs)
    write_atomic(out / "check.txt", render_check(report, "text"))
    write_atomic(out / "check.json", render_check(report, "json"))
    print(f"check: {report.count('error')} errors, {report.count('warning')} warnings"
          + (f" (against {official.name})" if refs else "") + f"; see {out}/check.txt")
    print(f"wrote {len(results)} documents to {out}/ (documents.json, rows.csv, check.txt, check.json, <document>.jsonl)")
    return 2 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
