#!/usr/bin/env python3
"""Generate a seeded corpus of fee documents with exact expectations.

    python scripts/make_corpus.py --out DIR --n N --seed S [--kinds text,pdf,scan] [--index-only]

Writes, for each document, ``NAME.txt|.md|.pdf`` and ``NAME.expected.json`` (its axes, the
true unit price, the rows a careful reader sees), and ``DIR/index.json`` listing them all.
Same arguments, same bytes. ``--index-only`` draws every plan and writes only the index
(cheap: no rendering). See docs/corpus.md for the axes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.plan import KIND_WEIGHT, Plan, make_plan  # noqa: E402


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_doc(plan: Plan, out: Path) -> dict:
    from corpus import pdf, text

    exp = plan.expectations()
    kind = plan.axes["kind"]
    if kind == "text":
        data, codec = text.render(plan)
        exp["encoding"] = codec
    else:
        data = pdf.render(plan)
        if kind == "scan":
            data = pdf.scan(data, int(plan.axes["scan_dpi"]), seed=plan.name)
    (out / exp["doc"]).write_bytes(data)
    (out / f"{plan.name}.expected.json").write_text(_json(exp), encoding="utf-8")
    return exp


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1].strip())
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default="text,pdf,scan", help="comma-separated: text, pdf, scan")
    ap.add_argument("--index-only", action="store_true", help="write index.json only, render nothing")
    args = ap.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    bad = [k for k in kinds if k not in KIND_WEIGHT]
    if bad or not kinds:
        ap.error(f"--kinds: unknown {bad or 'empty'}; use text, pdf, scan")
    if shutil.which("soffice") is None:
        print("make_corpus: soffice not installed: no LibreOffice-exported spreadsheets in this corpus", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    docs = []
    for i in range(args.n):
        plan = make_plan(args.seed, i, kinds)
        if args.index_only:
            exp = plan.expectations()
        else:
            exp = write_doc(plan, args.out)
        docs.append({"doc": exp["doc"], "axes": exp["axes"], "rows": len(exp["rows"])})
    index = {"seed": args.seed, "n": args.n, "kinds": kinds, "documents": docs}
    (args.out / "index.json").write_text(_json(index), encoding="utf-8")
    print(f"make_corpus: {len(docs)} documents in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
