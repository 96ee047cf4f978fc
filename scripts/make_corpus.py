#!/usr/bin/env python3
"""Generate a seeded corpus of fee documents with exact expectations.

    python scripts/make_corpus.py --out DIR --n N --seed S [--kinds text,pdf,scan,html,xlsx,docx]
                                  [--index-only] [--no-twins] [--plant F]

Writes, for each document, ``NAME.txt|.md|.pdf|.html|.xlsx|.docx`` and ``NAME.expected.json``
(its axes, the true unit price, the rows a careful reader sees), and ``DIR/index.json``
listing them all. An HTML, Excel or Word document also gets its twin, ``DIR/twins/NAME.pdf``:
the same plan printed as the PDF kind prints it, so that score_corpus.py can compare the
rows read from the source with those read from its print (``--no-twins`` leaves them out).
Documents LibreOffice makes (axis ``made_by``) are converted in one soffice run per step at
the end; without soffice they are made as the other value and stderr says so.
Same arguments, same bytes (LibreOffice's on the same LibreOffice version).
``--index-only`` draws every plan and writes only the index (cheap: no rendering).
See docs/corpus.md for the axes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.axes import OFFICE_KINDS  # noqa: E402
from corpus.plan import KIND_WEIGHT, Plan, make_plan  # noqa: E402

# what a document is made as when LibreOffice is not installed
WITHOUT_LIBREOFFICE = {"html": "hand", "xlsx": "openpyxl", "docx": "python_docx"}


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_doc(plan: Plan, out: Path, twins: bool = True, lo_pending: dict | None = None) -> dict:
    """Render one document and its expectations. A document LibreOffice makes is put in
    ``lo_pending`` (kind -> {source file name: bytes}) and written by ``flush_libreoffice``."""
    from corpus import docx, html, office, pdf, text, xlsx

    kind = plan.axes["kind"]
    lo = plan.axes.get("made_by") == "libreoffice"
    if lo and (lo_pending is None or office.soffice() is None):
        plan.axes["made_by"] = WITHOUT_LIBREOFFICE[kind]
        lo = False
    exp = plan.expectations()
    if kind == "text":
        data, codec = text.render(plan)
        exp["encoding"] = codec
    elif kind == "html":
        data = docx.render(plan) if lo else html.render(plan)  # Writer exports the page from its document
    elif kind == "xlsx":
        data = xlsx.render(plan)
    elif kind == "docx":
        data = docx.render(plan)
    else:
        data = pdf.render(plan)
        if kind == "scan":
            data = pdf.scan(data, int(plan.axes["scan_dpi"]), seed=plan.name)
    if lo:
        source = {"html": ".docx", "xlsx": ".xlsx", "docx": ".docx"}[kind]
        lo_pending.setdefault(kind, {})[plan.name + source] = data
    else:
        (out / exp["doc"]).write_bytes(data)
    if kind in OFFICE_KINDS and twins:  # the same plan as the PDF kind prints it
        (out / "twins").mkdir(exist_ok=True)
        printed = Plan(plan.name, {**plan.axes, "kind": "pdf"}, plan.service, plan.unit_price, plan.price_knowable,
                       plan.pages, plan.expected, plan.errors, plan.landscape, plan.planted)
        (out / "twins" / f"{plan.name}.pdf").write_bytes(pdf.render(printed))
    (out / f"{plan.name}.expected.json").write_text(_json(exp), encoding="utf-8")
    return exp


def flush_libreoffice(pending: dict, out: Path) -> None:
    """Take the pending documents through LibreOffice, one soffice run per step and kind."""
    from corpus import office

    for kind in sorted(pending):
        for name, data in sorted(office.convert(pending[kind], kind).items()):
            (out / name).write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1].strip())
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default="text,pdf,scan", help="comma-separated: text, pdf, scan, html, xlsx, docx")
    ap.add_argument("--index-only", action="store_true", help="write index.json only, render nothing")
    ap.add_argument("--no-twins", action="store_true", help="no twins/NAME.pdf for the HTML, Excel and Word documents")
    ap.add_argument("--plant", type=float, metavar="F",
                    help="plant one inconsistency (one yen off, transposed units, 2割 as 2 × 1割, a total copied "
                         "from the row above, half-up totals, 令和3 units) in a fraction F of the documents, with "
                         "the finding that reports it in NAME.expected.json ('planted'); without it, the corpus is "
                         "the one it always was")
    args = ap.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    bad = [k for k in kinds if k not in KIND_WEIGHT]
    if bad or not kinds:
        ap.error(f"--kinds: unknown {bad or 'empty'}; use {', '.join(KIND_WEIGHT)}")
    if shutil.which("soffice") is None and set(kinds) & set(OFFICE_KINDS) and not args.index_only:
        print("make_corpus: soffice not installed: no documents made by LibreOffice in this corpus "
              "(made_by takes the other value)", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    docs, pending = [], {}
    for i in range(args.n):
        plan = make_plan(args.seed, i, kinds, args.plant)
        if args.index_only:
            exp = plan.expectations()
        else:
            exp = write_doc(plan, args.out, twins=not args.no_twins, lo_pending=pending)
        entry = {"doc": exp["doc"], "axes": exp["axes"], "rows": len(exp["rows"])}
        if plan.planted is not None:
            entry["planted"] = plan.planted["kind"]
        docs.append(entry)
    flush_libreoffice(pending, args.out)
    index = {"seed": args.seed, "n": args.n, "kinds": kinds, "documents": docs}
    if args.plant is not None:
        index["plant"] = args.plant
    (args.out / "index.json").write_text(_json(index), encoding="utf-8")
    print(f"make_corpus: {len(docs)} documents in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
