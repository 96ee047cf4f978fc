#!/usr/bin/env python3
"""Encrypted PDFs with a ruled table, in fixtures/encrypted/ (deterministic; needs
reportlab, the dev extra, and Debian's fonts-ipaexfont-gothic, embedded as in the other
ruled fixtures; the PDFs are committed, so the tests need neither).

The table is seed 004's 居宅介護 sheet with each service cell merged down over its
bands (a row span), so its rules do not form a regular grid: the page is read by
pdfplumber/pdfminer, the engine the password once did not reach.

- ruled_plain.pdf: the sheet, not encrypted (what the others must read like);
- ruled_user_password.pdf: the same, opened only with the password ``secret``;
- ruled_owner_password.pdf: the same, with an owner password (``owner``) and no user
  password: it opens without one, as a viewer opens it.

``--check`` reports any fixture that would change.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "encrypted"
IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
USER_PASSWORD = "secret"
OWNER_PASSWORD = "owner"


def _rows():
    spec = importlib.util.spec_from_file_location("make_pdf_fixtures", ROOT / "scripts" / "make_pdf_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod.SHOGAI_ROWS


def sheet(encrypt=None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("IPAexGothic", str(IPAEX)))
    rows = _rows()
    head = ("サービス内容", "算定区分", "(単位数)", "10割", "9割", "1割負担")
    body = [head, *rows]
    style = [
        ("FONT", (0, 0), (-1, -1), "IPAexGothic", 8),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    start = None
    for i, r in enumerate(body[1:], start=1):  # a service cell merged down over its bands
        if r[0]:
            if start is not None and i - 1 > start:
                style.append(("SPAN", (0, start), (0, i - 1)))
            start = i
    if start is not None and len(body) - 1 > start:
        style.append(("SPAN", (0, start), (0, len(body) - 1)))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), invariant=1, encrypt=encrypt,
                            leftMargin=30, rightMargin=30, topMargin=30, bottomMargin=30)
    title = ParagraphStyle("t", fontName="IPAexGothic", fontSize=12, leading=16)
    doc.build([Paragraph("居宅介護サービス費　基本単位数 地域区分 11.2", title), Spacer(1, 6),
               Table(body, colWidths=[190, 230, 55, 70, 70, 60], style=TableStyle(style))])
    return buf.getvalue()


def build() -> dict[str, bytes]:
    from reportlab.lib import pdfencrypt

    return {
        "ruled_plain.pdf": sheet(),
        "ruled_user_password.pdf": sheet(pdfencrypt.StandardEncryption(USER_PASSWORD, OWNER_PASSWORD, canPrint=1)),
        "ruled_owner_password.pdf": sheet(pdfencrypt.StandardEncryption("", OWNER_PASSWORD, canPrint=1, canModify=0)),
    }


if __name__ == "__main__":
    import sys

    OUT.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, data in build().items():
        p = OUT / name
        if not p.exists() or p.read_bytes() != data:
            changed.append(name)
            if "--check" not in sys.argv:
                p.write_bytes(data)
    for name in changed:
        print(("would change: " if "--check" in sys.argv else "wrote: ") + name)
    raise SystemExit(1 if "--check" in sys.argv and changed else 0)
