#!/usr/bin/env python3
"""Benchmark: pages per second and peak memory of reading fee tables.

Builds a deterministic corpus of PAGES pages from the PDF fixtures' styles (ruled,
unruled, spreadsheet export, the label/amount sheet), in documents of 5 pages, then
runs each mode in its own process (so peak memory is its own):

  (a) pdfplumber extract_words over every page: what a pdfplumber-based tool pays
  (b) pypdfium2 plain text extraction: the floor
  (c) tariff extract, one process
  (d) tariff extract --jobs N
  (e) tariff extract of scanned pages (OCR), one process: seconds per page

and prints a table with the ratios of their times: (a)/(c) (how much faster the whole
tool is than pdfplumber reading words; the target is ≥ 1), (c)/(b) (its cost over the
floor) and the speed-up of --jobs.
`python scripts/bench.py [--pages 200] [--jobs 2]`
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STYLES = ["leaflet_kyotaku_stream.pdf", "shogai_sheet_ruled.pdf", "roken_sheet_columns.pdf",
          "shogai_jyudo_libreoffice.pdf", "schedule_kyotaku_ruled.pdf"]
PER_DOC = 5


def corpus(folder: Path, pages: int) -> list[Path]:
    """Documents of PER_DOC pages each, cycling through the fixture styles."""
    import pypdfium2 as pdfium

    srcs = [pdfium.PdfDocument(str(ROOT / "fixtures" / "pdf" / s)) for s in STYLES]
    out, made, k = [], 0, 0
    while made < pages:
        doc = pdfium.PdfDocument.new()
        n = 0
        while n < PER_DOC and made < pages:
            src = srcs[k % len(srcs)]
            doc.import_pages(src, [0])
            n, made, k = n + 1, made + 1, k + 1
        path = folder / f"doc{len(out):04d}.pdf"
        doc.save(str(path))
        out.append(path)
    return out


WORKER = r"""
import json, resource, sys, time
mode, files = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
if mode == "pdfplumber":
    import pdfplumber
    for f in files:
        with pdfplumber.open(f) as pdf:
            for p in pdf.pages:
                p.extract_words()
elif mode == "pypdfium2":
    import pypdfium2 as pdfium
    for f in files:
        pdf = pdfium.PdfDocument(f)
        for i in range(len(pdf)):
            tp = pdf[i].get_textpage(); tp.get_text_range(); tp.close()
        pdf.close()
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def run_plain(mode: str, files: list[Path]) -> dict:
    r = subprocess.run([sys.executable, "-c", WORKER, mode, *map(str, files)], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def scans(folder: Path, pages: int) -> list[Path]:
    """One-page scanned documents, alternating the two scan fixtures (a leaflet at 200 dpi
    and a ruled sheet at 300 dpi)."""
    import pypdfium2 as pdfium

    srcs = sorted((ROOT / "fixtures" / "scan").glob("*.pdf"))
    out = []
    for k in range(pages):
        doc = pdfium.PdfDocument.new()
        doc.import_pages(pdfium.PdfDocument(str(srcs[k % len(srcs)])), [0])
        path = folder / f"scan{k:04d}.pdf"
        doc.save(str(path))
        out.append(path)
    return out


def run_tariff(files: list[Path], jobs: int, out: Path) -> dict:
    code = (
        "import json, resource, sys, time\n"
        "from extractor.cli import main\n"
        "t = time.perf_counter()\n"
        f"rc = main(['extract', *sys.argv[1:], '--jobs', '{jobs}', '--no-cache', '--format', 'jsonl', '-o', r'{out}'])\n"
        "dt = time.perf_counter() - t\n"
        "rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(json.dumps({'seconds': dt, 'rss_kb': rss, 'rc': rc}))\n"
    )
    r = subprocess.run([sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--ocr-pages", type=int, default=6, help="scanned pages for (e); 0 to skip it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = corpus(Path(tmp), args.pages)
        results = {
            "(a) pdfplumber extract_words": run_plain("pdfplumber", files),
            "(b) pypdfium2 plain text": run_plain("pypdfium2", files),
            "(c) tariff extract": run_tariff(files, 1, Path(tmp) / "c.jsonl"),
            f"(d) tariff extract --jobs {args.jobs}": run_tariff(files, args.jobs, Path(tmp) / "d.jsonl"),
        }
        ocr = run_tariff(scans(Path(tmp), args.ocr_pages), 1, Path(tmp) / "e.jsonl") if args.ocr_pages else None
    print(f"{args.pages} pages in {len(files)} documents; {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}")
    print(f"{'mode':34s} {'pages/s':>9s} {'peak MB':>8s}")
    rate = {}
    for name, r in results.items():
        rate[name[:3]] = args.pages / r["seconds"]
        print(f"{name:34s} {rate[name[:3]]:9.1f} {r['rss_kb'] / 1024:8.0f}")
    time_of = {k: 1 / v for k, v in rate.items()}
    print(f"times: (a)/(c) = {time_of['(a)'] / time_of['(c)']:.2f}   (c)/(b) = {time_of['(c)'] / time_of['(b)']:.2f}   "
          f"speed-up of --jobs {args.jobs}: {rate['(d)'] / rate['(c)']:.2f}x")
    if ocr:
        print(f"(e) OCR, one process: {ocr['seconds'] / args.ocr_pages:.2f} s per scanned page over {args.ocr_pages} pages "
              f"(peak {ocr['rss_kb'] / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
