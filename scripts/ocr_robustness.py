#!/usr/bin/env python3
"""How well OCR reads scans other than the committed ones.

Scans the two born-digital fixtures that have scanned twins (the seed-000 leaflet and
the ruled seed-004 sheet) again with other resolutions, angles, noise and blur, reads
each with `tariff extract`, and compares the rows with the truth: the hand reading of
seed 000 for the leaflet, the text layer's own rows for the sheet. A row that is wrong
and not flagged `ocr-low-confidence` is counted apart: there should be none.

`python scripts/ocr_robustness.py` (needs reportlab, Tesseract with jpn, and the fonts
that make_pdf_fixtures.py needs). Deterministic: fixed seeds.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_pdf_fixtures import scan  # noqa: E402

from tests.test_pdf import extract, hand, scan_score, values  # noqa: E402  (the tests' own comparison)

VARIANTS = [  # (name, dpi, angle, noise share, blur)
    ("as committed", None, None, None, None),
    ("300 dpi, +0.5°", 300, 0.5, 1 / 400, 0.4),
    ("200 dpi, -0.8°", 200, -0.8, 1 / 400, 0.4),
    ("200 dpi, blur 0.8", 200, 0.6, 1 / 400, 0.8),
    ("200 dpi, 2% noise", 200, 0.6, 1 / 50, 0.4),
    ("150 dpi", 150, 0.6, 1 / 400, 0.4),
    ("400 dpi, -1.5°", 400, -1.5, 1 / 400, 0.4),
]
COMMITTED = {"leaflet": (200, 0.6), "sheet": (300, -0.4)}


def measure(path: Path, truth: Counter) -> tuple[int, int, int, float]:
    t = time.perf_counter()
    res = extract(path)
    seconds = time.perf_counter() - t
    exact, total, unflagged = scan_score(res, truth)
    return exact, total, len(unflagged), seconds


def main() -> int:
    sources = {
        "leaflet": (ROOT / "fixtures" / "pdf" / "leaflet_kyotaku_stream.pdf", hand("000.csv")),
        "sheet": (ROOT / "fixtures" / "pdf" / "shogai_sheet_ruled.pdf", None),
    }
    sheet_truth = values(extract(sources["sheet"][0]).rows)
    print(f"{'scan':8s} {'variant':20s} {'rows exact':>10s} {'wrong, unflagged':>17s} {'seconds':>8s}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (pdf, truth) in sources.items():
            truth = truth if truth is not None else sheet_truth
            for label, dpi, angle, noise, blur in VARIANTS:
                if dpi is None:
                    dpi, angle = COMMITTED[name]
                    noise, blur = 1 / 400, 0.4
                path = Path(tmp) / f"{name}-{dpi}-{angle}-{noise}-{blur}.pdf"
                path.write_bytes(scan(pdf.read_bytes(), dpi=dpi, angle=angle, seed=7, noise=noise, blur=blur))
                exact, total, unflagged, seconds = measure(path, truth)
                print(f"{name:8s} {label:20s} {exact:>5d}/{total:<4d} {unflagged:>17d} {seconds:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
