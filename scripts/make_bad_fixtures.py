#!/usr/bin/env python3
"""One bad-input fixture per failure mode, in fixtures/bad/ (deterministic; needs
reportlab). Each must be refused with one clear line, or read within the limits, and
never crash the batch it is in."""

from __future__ import annotations

import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "fixtures" / "bad"


def _pdf(draw, pagesize=(595, 842), pages: int = 1, encrypt=None) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=pagesize, invariant=1, encrypt=encrypt)
    for i in range(pages):
        draw(c, i)
        c.showPage()
    c.save()
    return buf.getvalue()


def build() -> dict[str, bytes]:
    from reportlab.lib import pdfencrypt

    good = (ROOT / "fixtures" / "pdf" / "shogai_sheet_ruled.pdf").read_bytes()
    rng = random.Random(7)
    return {
        "zero_bytes.pdf": b"",
        "truncated.pdf": good[: len(good) // 3],
        "not_a_pdf.pdf": "これはPDFではなく、料金表の説明文です。\n".encode("utf-8") * 20,
        "encrypted.pdf": _pdf(lambda c, i: c.drawString(50, 700, "Fees 100"),
                              encrypt=pdfencrypt.StandardEncryption("secret", canPrint=1)),
        "unknown_encoding.txt": bytes(rng.randrange(128, 256) for _ in range(2048)),
        "thousands_of_pages.pdf": _pdf(lambda c, i: c.drawString(50, 700, f"page {i + 1}"), pages=3000),
        "enormous_page.pdf": _pdf(lambda c, i: c.drawString(50, 50, "tiny text on a huge page"), pagesize=(14400, 14400)),
        "empty_pages.pdf": _pdf(lambda c, i: None, pages=2),
    }


if __name__ == "__main__":
    import sys

    BAD.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, data in build().items():
        p = BAD / name
        if not p.exists() or p.read_bytes() != data:
            changed.append(name)
            if "--check" not in sys.argv:
                p.write_bytes(data)
    for name in changed:
        print(("would change: " if "--check" in sys.argv else "wrote: ") + name)
    raise SystemExit(1 if "--check" in sys.argv and changed else 0)
