"""Tiny PDFs built byte by byte for the PDF source's edge cases (no generator needed)."""

from __future__ import annotations


def minimal_pdf(pages: list[bytes], font: bytes | None = None, extra: tuple[bytes, ...] = ()) -> bytes:
    """A PDF whose pages have the given content streams; font is object F1 if given."""
    n = len(pages)
    first_page = 3
    font_obj = first_page + 2 * n
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n)).encode()
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n)
    res = b"<< /Font << /F1 %d 0 R >> >>" % font_obj if font else b"<< >>"
    for i, content in enumerate(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents %d 0 R /Resources " % (first_page + 2 * i + 1) + res + b" >>")
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    if font:
        objs.append(font)
    objs.extend(extra)
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def unmapped_cid_pdf() -> bytes:
    """Text in a composite (Identity-H) font with no ToUnicode map: the (cid:NNN) case."""
    n_pages = 1
    font_obj = 3 + 2 * n_pages
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /Custom /Encoding /Identity-H /DescendantFonts [%d 0 R] >>" % (font_obj + 1)
    desc = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Custom "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
    return minimal_pdf([b"BT /F1 12 Tf 20 100 Td <0123045607890abc> Tj ET"], font, (desc,))


def helvetica_pdf(pages: list[bytes]) -> bytes:
    return minimal_pdf(pages, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")


IPAEX = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
FONT = "IPAexGothic"


def needs_reportlab() -> None:
    """Skip the calling test unless reportlab and Debian's IPAex font are there."""
    import os

    import pytest

    pytest.importorskip("reportlab")
    if not os.path.exists(IPAEX):
        pytest.skip("fonts-ipaexfont-gothic is not installed (scripts/system-packages.sh installs it)")


def table_pdf(path, title: str, rows: list[list[str]], style: list[tuple], widths: list[float] | None = None,
              size: float = 9):
    """A one-page PDF of ``title`` over one table laid out by reportlab's platypus, as a
    word processor prints a fee table: every cell in the IPAex font at ``size``, then the
    ``style`` commands (rules, spans, alignment, shading). Call ``needs_reportlab`` first."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont(FONT, IPAEX))
    heading = Paragraph(title, ParagraphStyle("title", fontName=FONT, fontSize=10))
    table = Table(rows, style=TableStyle([("FONT", (0, 0), (-1, -1), FONT, size), *style]), hAlign="LEFT",
                  colWidths=widths)
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([heading, Spacer(1, 8), table])
    return path


def form_text_pdf() -> bytes:
    """Text in a Form XObject drawn scaled, with kerning wide enough that pdfium generates
    spaces inside each text object (it gives such a space the form's matrix, not the
    object's), and text on the page beside it."""
    body = b"BT /F1 10 Tf 1 0 0 1 12 40 Tm [(Fee) -3000 (units) -2500 (720)] TJ ET"
    form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 300 200] /Matrix [1.5 0 0 1.5 10 5] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    page = b"q 1 0 0 1 5 5 cm /X1 Do Q BT /F1 9 Tf 20 150 Td [(A) -3000 (B)] TJ ET"
    pdf = minimal_pdf([page], b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", (form,))
    return pdf.replace(b"/Resources << /Font << /F1 5 0 R >> >> >>",
                       b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>")


def line_end_hyphen_pdf() -> bytes:
    """A word broken by a hyphen at a line's end: pdfium gives the hyphen the value 2 and
    writes U+FFFE for it in the page's text."""
    return helvetica_pdf([b"BT /F1 12 Tf 20 150 Td (Care level fee-) Tj 0 -14 Td (able units) Tj ET"])


def supplementary_pdf() -> bytes:
    """A character outside the Basic Multilingual Plane (U+20B9F) between two kana, mapped
    by a ToUnicode CMap: the page's text is then not one value per character."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
            b"2 beginbfchar <0001> <D842DF9F> <0002> <3042> endbfchar endcmap "
            b"CMapName currentdict /CMap defineresource pop end end")
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /Custom /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>"
    desc = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Custom "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
    tounicode = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
    return minimal_pdf([b"BT /F1 12 Tf 20 100 Td <000200010002> Tj ET"], font, (desc, tounicode))
