#!/usr/bin/env python3
"""Fixtures of documents that state more than one 1単位の単価, each for its own part.

    python scripts/make_price_fixtures.py

Writes fixtures/prices/:
- two_sections.txt: a 訪問介護 fee sheet of two offices, each section headed by its own
  price (1級地 11.40円, 7級地 10.21円), as a corporation lists its offices on one page;
- two_sections_footnote.txt: the same, each price stated in a note under its table;
- two_pages.pdf: the same two tables on two pages, each page stating its price at its top
  (a file that states its price on every page). Needs reportlab and Debian's
  fonts-ipaexfont-gothic; deterministic (reportlab's invariant mode).

The amounts are floor(units × price) and the 介護 1割 total − floor(total × 0.9), exact
(Decimal), so a checker that prices each part at its own price finds nothing wrong.
"""

from __future__ import annotations

import io
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "prices"
IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")

# 訪問介護, 令和6年度 units (the built-in table's)
ITEMS = [("身体介護 20分未満", 163), ("身体介護 20分以上30分未満", 244), ("身体介護 30分以上1時間未満", 387),
         ("生活援助 20分以上45分未満", 179), ("通院等乗降介助", 97)]
OFFICES = [("ひかりヘルパーステーション本町", "1級地", "11.40"), ("ひかりヘルパーステーション山手", "7級地", "10.21")]
HEAD = ["サービス内容", "単位数", "利用料（10割）", "利用者負担（1割）"]


def _floor(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_FLOOR))


def rows(price: str) -> list[list[str]]:
    out = []
    for name, units in ITEMS:
        total = _floor(Decimal(units) * Decimal(price))
        copay = total - _floor(Decimal(total) * Decimal("0.9"))
        out.append([name, f"{units}単位", f"{total:,}円", f"{copay:,}円"])
    return out


def text(footnote: bool) -> str:
    lines = ["訪問介護 利用料金表（令和6年度）", "社会福祉法人ひかり会", ""]
    for office, grade, price in OFFICES:
        statement = f"地域区分 {grade}　1単位の単価 {price}円"
        lines.append(f"■ {office}" + ("" if footnote else f"（{statement}）"))
        lines.append("\t".join(HEAD))
        lines += ["\t".join(r) for r in rows(price)]
        if footnote:
            lines.append(f"※{statement}。利用料は単位数×単価の1円未満を切り捨てた額です。")
        lines.append("")
    return "\n".join(lines)


def pdf() -> bytes | None:
    if not IPAEX.exists():
        return None
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("IPAexGothic", str(IPAEX)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    xs = [50, 230, 320, 430]
    for office, grade, price in OFFICES:
        y = 800
        c.setFont("IPAexGothic", 14)
        c.drawString(50, y, f"訪問介護 利用料金表　{office}")
        y -= 24
        c.setFont("IPAexGothic", 10)
        c.drawString(50, y, f"地域区分 {grade}　1単位の単価 {price}円")
        y -= 30
        for cells in [HEAD] + rows(price):
            for x, cell in zip(xs, cells):
                c.drawString(x, y, cell)
            y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "two_sections.txt").write_text(text(footnote=False), encoding="utf-8")
    (OUT / "two_sections_footnote.txt").write_text(text(footnote=True), encoding="utf-8")
    data = pdf()
    if data is not None:
        (OUT / "two_pages.pdf").write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
