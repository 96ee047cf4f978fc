"""A plan as a born-digital PDF (reportlab, IPAexGothic embedded, invariant mode) and as a
scan of that PDF (pypdfium2 raster, slight rotation and noise, image-only PDF)."""

from __future__ import annotations

import io
import random
from pathlib import Path

from .plan import Plan, Table

IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
FONT = "IPAexGothic"
_registered = False


def _font() -> None:
    global _registered
    if not _registered:
        from reportlab.pdfbase import pdfmetrics, ttfonts

        if not IPAEX.exists():
            raise SystemExit(f"make_corpus: {IPAEX} is missing; install Debian's fonts-ipaexfont-gothic")
        pdfmetrics.registerFont(ttfonts.TTFont(FONT, str(IPAEX)))
        _registered = True


def _table(t: Table, rules: str, size: float):
    from reportlab.lib import colors
    from reportlab.platypus import Table as RLTable, TableStyle

    cmds = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, t.n_head - 1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for c in sorted(t.numeric):
        cmds.append(("ALIGN", (c, t.n_head), (c, -1), "RIGHT"))
    for c0, r0, c1, r1, valign in t.spans:
        cmds.append(("SPAN", (c0, r0), (c1, r1)))
        cmds.append(("VALIGN", (c0, r0), (c1, r1), "MIDDLE" if valign == "middle" else "TOP"))
    if rules == "ruled":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif rules == "zebra":
        cmds.append(("ROWBACKGROUNDS", (0, t.n_head), (-1, -1), [colors.white, colors.Color(0.88, 0.88, 0.88)]))
        cmds.append(("BACKGROUND", (0, 0), (-1, t.n_head - 1), colors.Color(0.75, 0.82, 0.9)))
        cmds.append(("BOX", (0, 0), (-1, -1), 0.5, colors.grey))
    else:  # unruled: a rule under the header at most, as many word-processor tables have
        cmds.append(("LINEBELOW", (0, t.n_head - 1), (-1, t.n_head - 1), 0.5, colors.black))
    return RLTable(t.rows, style=TableStyle(cmds), hAlign="LEFT")


def _fitted(t: Table, rules: str, size: float, width: float, floor: float = 5):
    """The table at the largest font size from ``size`` down to ``floor`` at which it fits
    ``width``, as a person shrinks a table to fit the page; None when even ``floor`` is too
    wide (the caller then lays it out otherwise). A table never overflows its frame."""
    while True:
        table = _table(t, rules, size)
        w, _ = table.wrap(width, 10_000)
        if w <= width:
            return table
        if size - 0.5 < floor:
            return None if floor > 5 else table
        size -= 0.5


def render(plan: Plan) -> bytes:
    _font()
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable

    size = A4 if not plan.landscape else landscape(A4)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=size, invariant=1, leftMargin=36, rightMargin=36, topMargin=40,
                            bottomMargin=40, title=plan.name, author="", subject="", creator="")
    styles = {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=14, leading=20, alignment=1, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=FONT, fontSize=11, leading=16, spaceBefore=6, spaceAfter=4),
        "para": ParagraphStyle("para", fontName=FONT, fontSize=9.5, leading=14),
        "note": ParagraphStyle("note", fontName=FONT, fontSize=8.5, leading=12),
    }
    rules = plan.axes.get("rules", "ruled")
    story = []
    for i, page in enumerate(plan.pages):
        if i:
            story.append(PageBreak())
        for kind, block in page:
            if kind == "table":
                story += [_fitted(block, rules, 9 if not plan.landscape else 10, doc.width), Spacer(1, 8)]
            elif kind == "pair":  # two tables side by side, each under its heading
                h1, t1, h2, t2 = block
                half = doc.width / 2 - 6
                left, right = _fitted(t1, rules, 8, half, floor=6), _fitted(t2, rules, 8, half, floor=6)
                if left is None or right is None:  # too wide to share the page: one above the other
                    story += [Paragraph(h1, styles["heading"]), _fitted(t1, rules, 8, doc.width), Spacer(1, 8),
                              Paragraph(h2, styles["heading"]), _fitted(t2, rules, 8, doc.width), Spacer(1, 8)]
                    continue
                cells = [[[Paragraph(h1, styles["heading"]), left], [Paragraph(h2, styles["heading"]), right]]]
                story += [RLTable(cells, colWidths=[half + 6, half + 6], style=[
                    ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6)], hAlign="LEFT"), Spacer(1, 8)]
            else:
                story.append(Paragraph(block, styles[kind]))
    if len(plan.pages) > 1:  # a multi-page document numbers its pages at the foot
        def footer(canvas, d):
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(size[0] / 2, 22, f"- {d.page} -")

        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    else:
        doc.build(story)
    return buf.getvalue()


def scan(pdf_bytes: bytes, dpi: int, seed: str) -> bytes:
    """Rasterize every page at ``dpi``, rotate it slightly, add light noise, and wrap the images
    in a PDF with no text layer, as a scanner would."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    src = pdfium.PdfDocument(pdf_bytes)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i in range(len(src)):
        page = src[i]
        w, h = page.get_size()
        img = page.render(scale=dpi / 72).to_pil().convert("L")
        angle = rng.uniform(-0.8, 0.8)
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        px = img.load()
        for _ in range(int(img.width * img.height / 500)):
            x, y = rng.randrange(img.width), rng.randrange(img.height)
            px[x, y] = rng.choice((0, 96, 160))
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.6)))
        c.setPageSize((w, h))
        out = io.BytesIO()
        img.save(out, format="PNG")
        c.drawImage(ImageReader(io.BytesIO(out.getvalue())), 0, 0, width=w, height=h)
        c.showPage()
    c.save()
    src.close()
    return buf.getvalue()
