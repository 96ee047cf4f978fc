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
