"""PDF text layer by geometry (pypdfium2): characters with their boxes, rebuilt into
rows by baseline and into cells by column gaps, never by the order of the text stream.

Each row becomes a ``Line`` whose cells are joined by tabs (as the recognizers expect
of tabular text), with its page, its row number on the page and its bounding box in
PDF points measured from the page's top-left corner (x0, top, x1, bottom).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .base import BadInput, Document, Line

PDF_SUFFIXES = {".pdf"}
SPACE_GAP = 0.25  # × char height: a word space
CELL_GAP = 1.5  # × char height: a column break


@dataclass
class Char:
    ch: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def _chars(page) -> tuple[list[Char], int]:
    """Visible characters with boxes (top-left origin), and how many glyphs had no
    Unicode mapping (what pdfminer prints as (cid:NNN))."""
    tp = page.get_textpage()
    height = page.get_height()
    out, unmapped = [], 0
    try:
        for i in range(tp.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(tp, i)
            bad_map = pdfium_c.FPDFText_HasUnicodeMapError(tp, i) == 1  # a CID with no ToUnicode entry
            if bad_map or code in (0, 0xFFFE, 0xFFFF, 0xFFFD) or 0xE000 <= code <= 0xF8FF:
                unmapped += 1
                continue
            ch = chr(code)
            if ch in "\r\n\x02":
                continue
            if ch.isspace():
                ch = " "  # a printed space is a word break wherever it falls
            left, bottom, right, top = tp.get_charbox(i, loose=True)
            if right <= left and top <= bottom:
                continue
            out.append(Char(ch, left, right, height - top, height - bottom))
    finally:
        tp.close()
    return out, unmapped


def rows_of(chars: list[Char]) -> list[list[Char]]:
    """Cluster characters into rows by their vertical middle: a character joins the
    row whose middle is within half a character height of its own."""
    if not chars:
        return []
    h = median(c.height for c in chars) or 1.0
    rows: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: (c.middle, c.x0)):
        if rows and abs(c.middle - _mid(rows[-1])) <= 0.5 * h:
            rows[-1].append(c)
        else:
            rows.append([c])
    return [sorted(r, key=lambda c: c.x0) for r in rows]


def _mid(row: list[Char]) -> float:
    return sum(c.middle for c in row) / len(row)


def row_text(row: list[Char]) -> str:
    """Characters left to right; a space at a word gap, a tab at a column gap."""
    glyphs = [c for c in row if c.ch != " "]
    if not glyphs:
        return ""
    h = median(c.height for c in glyphs) or 1.0
    spaced = {id(c) for prev, c in zip(row, row[1:]) if prev.ch == " "}
    out = [glyphs[0].ch]
    for prev, c in zip(glyphs, glyphs[1:]):
        gap = c.x0 - prev.x1
        if gap > CELL_GAP * h:
            out.append("\t")
        elif gap > SPACE_GAP * h or id(c) in spaced:
            out.append(" ")
        out.append(c.ch)
    return "".join(out)


def _bbox(row: list[Char]) -> list[Decimal]:
    return [Decimal(str(round(v, 2))) for v in (min(c.x0 for c in row), min(c.top for c in row),
                                                  max(c.x1 for c in row), max(c.bottom for c in row))]


def read_pdf(path: Path, password: str | None = None) -> Document:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BadInput(str(path), f"cannot be read ({e.strerror})", "check the path and its permissions") from None
    if not data.strip():
        raise BadInput(str(path), "is empty", "give the PDF as published")
    if not data.lstrip().startswith(b"%PDF"):
        raise BadInput(str(path), "is not a PDF (no %PDF header)", "give the PDF itself, or rename the file to its real type")
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise BadInput(str(path), "is encrypted", "give its password with --password") from None
        raise BadInput(str(path), f"is damaged or truncated ({msg})", "get a fresh copy of the PDF") from None
    lines: list[Line] = []
    empty_pages: list[int] = []
    unmapped_pages: list[tuple[int, int]] = []
    try:
        for pno in range(len(pdf)):
            page = pdf[pno]
            try:
                chars, unmapped = _chars(page)
            finally:
                page.close()
            if unmapped:
                unmapped_pages.append((pno + 1, unmapped))
            if not any(c.ch != " " for c in chars):
                empty_pages.append(pno + 1)
                continue
            rows = [r for r in rows_of(chars) if any(c.ch != " " for c in r)]
            for k, row in enumerate(rows, start=1):
                lines.append(Line.of(row_text(row), k, pno + 1, _bbox([c for c in row if c.ch != " "])))
    finally:
        pdf.close()
    if not lines:
        raise BadInput(
            str(path), "has no text layer (an image-only scan)",
            "OCR is not available in this version; give the document's text, or a PDF with a text layer",
        )
    doc = Document(
        name=path.name, path=str(path), sha256=hashlib.sha256(data).hexdigest(), kind="pdf", lines=lines,
    )
    doc.notes = {"empty_pages": empty_pages, "unmapped": unmapped_pages}
    return doc
