"""PDF text layer by geometry (pypdfium2): characters with their boxes, rebuilt into
rows by baseline and into cells by column gaps, never by the order of the text stream.

Each row becomes a ``Line`` whose cells are joined by tabs (as the recognizers expect
of tabular text), with its page, its row number on the page and its bounding box in
PDF points measured from the page's top-left corner (x0, top, x1, bottom).
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import logging
import re
import struct
import threading
import unicodedata
import zlib
from bisect import bisect_left
from operator import attrgetter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .base import BadInput, Document, Line
from .files import PDF_MAX_BYTES, read_limited

log = logging.getLogger("tariff")

# pdfium is not thread-safe, not even across documents: every call into it from this
# package holds this lock (documents read by threads, e.g. a Dask worker with several
# threads, crashed the process without it). OCR runs outside it.
PDFIUM = threading.RLock()

PDF_SUFFIXES = {".pdf"}
RULING_MIN = 6  # thin path objects on a page before it counts as ruled
SPACE_GAP = 0.25  # × char height: a word space
CELL_GAP = 1.5  # × char height: a column break
MAX_INFLATED_BYTES = 512 * 1024 * 1024  # a stream inflating past this is a decompression bomb
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")


@dataclass(slots=True, init=False)
class Char:
    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    height: float = field(repr=False, compare=False)  # computed once: the geometry reads them often
    middle: float = field(repr=False, compare=False)

    def __init__(self, ch: str, x0: float, x1: float, top: float, bottom: float) -> None:
        self.ch, self.x0, self.x1, self.top, self.bottom = ch, x0, x1, top, bottom
        self.height = bottom - top
        self.middle = (top + bottom) / 2


def _chars(page, loose_only: bool = False) -> tuple[list[Char], int]:
    """Visible characters with boxes (top-left origin), and how many glyphs had no
    Unicode mapping (what pdfminer prints as (cid:NNN)). ``loose_only``: the caller
    knows that every text object on the page is set in a font the PDF embeds (or none),
    so that every box is pdfium's loose box (``_loose_only``)."""
    if _FAST is not None:
        return _chars_fast(page, _FAST, loose_only)
    tp = page.get_textpage()
    height = page.get_height()
    out, unmapped = [], 0
    fonts: dict = {}
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
            left, bottom, right, top = _declared_box(tp, i, code, fonts) or tp.get_charbox(i, loose=True)
            if right <= left and top <= bottom:
                continue
            out.append(Char(ch, left, right, height - top, height - bottom))
    finally:
        tp.close()
    return out, unmapped


def _bind():
    """pdfium's per-character calls bound anew with plain integer handles (pypdfium2's
    own bindings wrap every handle in a pointer object, and most of ``_chars``' time
    was spent there): the same C calls with the same arguments, so the same numbers.
    The calls made for every character take their handle as a ``c_void_p`` made once a
    page and no declared argument types (ctypes converts nothing then: a third less
    time a call). None when pypdfium2's library cannot be reached this way; ``_chars``
    then takes the portable path."""
    try:
        from pypdfium2_raw.bindings import _libs

        # the same library as pypdfium2's, its functions called without letting go of the GIL
        # (ctypes' ``PyDLL``): every call here returns within microseconds, and releasing and
        # taking the GIL back was a third of a call's time, twice for every character
        lib = ctypes.PyDLL(_libs["pdfium"]._name)

        def fn(name: str, restype, *argtypes):
            f = lib[name]  # a new function object: pypdfium2's own keeps its types
            f.restype, f.argtypes = restype, argtypes
            return f

        def bare(name: str, restype):
            f = lib[name]
            f.restype, f.argtypes = restype, None  # arguments: ctypes objects and small ints only
            return f

        V, I, U, D, F = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double, ctypes.c_float
        return {
            "unicode": bare("FPDFText_GetUnicode", U),
            "text": fn("FPDFText_GetText", I, V, I, I, V),
            "map_error": bare("FPDFText_HasUnicodeMapError", I),
            "text_object": bare("FPDFText_GetTextObject", V),
            "font": fn("FPDFTextObj_GetFont", V, V),
            "size": fn("FPDFText_GetFontSize", D, V, I),
            "embedded": fn("FPDFFont_GetIsEmbedded", I, V),
            "ascent": fn("FPDFFont_GetAscent", I, V, F, V),
            "descent": fn("FPDFFont_GetDescent", I, V, F, V),
            "glyph_width": fn("FPDFFont_GetGlyphWidth", I, V, ctypes.c_uint32, F, V),
            "matrix": bare("FPDFText_GetMatrix", I),
            "origin": bare("FPDFText_GetCharOrigin", I),
            "loose_box": bare("FPDFText_GetLooseCharBox", I),
            "page_count": fn("FPDFPage_CountObjects", I, V),
            "page_object": fn("FPDFPage_GetObject", V, V, I),
            "form_count": fn("FPDFFormObj_CountObjects", I, V),
            "form_object": fn("FPDFFormObj_GetObject", V, V, ctypes.c_ulong),
            "object_type": fn("FPDFPageObj_GetType", I, V),
            "object_bounds": fn("FPDFPageObj_GetBounds", I, V, V, V, V, V),
        }
    except Exception:  # another build of pypdfium2: the portable path
        return None


_FAST = _bind()


def _page_text(api: dict, h, count: int) -> str | None:
    """Every character's Unicode value in one call (``FPDFText_GetText`` over the whole
    page), or None when that text is not one value per character. pdfium's page text
    is its characters' values in order, except that it leaves out control characters
    and supplementary-plane ones, writes U+FFFE for a value of 0 and for a hyphen it
    rewrote (U+0002), and skips a character of value 0 and code 0: a text of exactly
    ``count`` values therefore holds each character's value at its index, and U+FFFE
    there is asked of ``FPDFText_GetUnicode``."""
    if count <= 0:
        return None
    buf = (ctypes.c_ushort * (count + 1))()
    n = api["text"](h.value, 0, count, ctypes.addressof(buf))
    if n != count + 1:  # (the terminator counts)
        return None
    text = ctypes.string_at(buf, 2 * count).decode("utf-16-le", "surrogatepass")
    return text if len(text) == count else None


def _chars_fast(page, api: dict, loose_only: bool = False) -> tuple[list[Char], int]:
    """``_chars`` through the integer-handle bindings, with the same numbers for every
    character and fewer calls for each: the page's text in one call (``_page_text``);
    what a character's text object fixes (its font and font size, pdfium's
    ``GetFontSize`` of a character being its text object's, and for a glyph its matrix,
    the object's text matrix on its form's) asked once per text object; per character
    only whether its glyph has a Unicode mapping, its text object, and its origin (a
    font the PDF does not embed) or its loose box (one it embeds). A space is asked its
    own matrix: pdfium gives a space it generates inside a text object the form's
    matrix, not the object's. On a page whose text objects all have embedded fonts
    (``loose_only``) no character is asked its text object: each box is the loose one.

    What a character's value makes of it (no value, left out, kept as which character)
    is decided once per value (``_KINDS``), and a box is read from its C struct in one
    unpacking, not a field at a time."""
    map_error, text_object, get_size, get_font = api["map_error"], api["text_object"], api["size"], api["font"]
    loose_box, get_matrix, get_origin = api["loose_box"], api["matrix"], api["origin"]
    tp = page.get_textpage()
    height = page.get_height()
    out, unmapped = [], 0
    fonts: dict = {}
    objects: dict = {}  # text object -> (font, declared metrics or None, matrix values or None)
    rect = pdfium_c.FS_RECTF()
    m = pdfium_c.FS_MATRIX()
    xy = (ctypes.c_double * 2)()
    rect_p, m_p, x_p, y_p = ctypes.byref(rect), ctypes.byref(m), ctypes.byref(xy), ctypes.byref(xy, 8)
    rect_view, xy_view = memoryview(rect).cast("B"), memoryview(xy).cast("B")
    unpack_rect, unpack_xy = _RECTF.unpack_from, _XY.unpack_from
    append = out.append
    kinds = _KINDS
    try:
        h = ctypes.c_void_p(ctypes.cast(tp.raw, ctypes.c_void_p).value)
        count = tp.count_chars()
        text = _page_text(api, h, count)
        unicode = api["unicode"]
        for i, t in enumerate(text if text is not None else _ASK * count):
            if t == _ASK:  # (U+FFFE in the page's text, or no page text: the character's own value)
                code = unicode(h, i)
                ch = _kind(code)
            else:
                ch = kinds.get(t, kinds)
                if ch is kinds:
                    ch = kinds[t] = _kind(ord(t))
                code = None
            if ch is None or map_error(h, i) == 1:
                unmapped += 1  # (a CID with no ToUnicode entry, or no value)
                continue
            if not ch:
                continue  # (a line end, a rewritten hyphen)
            box = None
            if not loose_only:
                obj = text_object(h, i)
                known = objects.get(obj) if obj else _NO_OBJECT
                if known is None:
                    known = objects[obj] = _text_object(api, h, i, obj, fonts)
                font, declared, matrix = known
                if declared is not None:
                    ascent, descent, widths, size = declared
                    if code is None:
                        code = ord(t)
                    if code not in widths:
                        width = ctypes.c_float()
                        widths[code] = width.value if api["glyph_width"](font, code, size, ctypes.addressof(width)) else None
                    if ch == " ":  # (its own matrix: see above)
                        matrix = _matrix(get_matrix, h, i, m, m_p)
                    elif matrix is _UNASKED:  # the object's first glyph gives the object's matrix
                        matrix = known[2] = _matrix(get_matrix, h, i, m, m_p)
                    if widths[code] is not None and matrix is not None and get_origin(h, i, x_p, y_p):
                        box = _corners(matrix, *unpack_xy(xy_view), widths[code], ascent, descent)
            if box is None:
                if not loose_box(h, i, rect_p):
                    raise pdfium.PdfiumError("Failed to get charbox.")
                left, top, right, bottom = unpack_rect(rect_view)
            else:
                left, bottom, right, top = box
            if right <= left and top <= bottom:
                continue
            append(Char(ch, left, right, height - top, height - bottom))
    finally:
        tp.close()
    return out, unmapped


_ASK = "\ufffe"
_RECTF = struct.Struct("4f")  # FS_RECTF: left, top, right, bottom, as C floats
_XY = struct.Struct("2d")
_KINDS: dict[str, str | None] = {}  # a value of the page's text -> what _kind makes of it


def _kind(code: int) -> str | None:
    """What a character of Unicode value ``code`` is read as: None for no value (0, the
    non-characters, the private use area: a glyph counted unmapped), "" for a character
    left out (a line end, pdfium's rewritten hyphen), " " for any space (a printed space
    is a word break wherever it falls), else the character itself."""
    if code in (0, 0xFFFE, 0xFFFF, 0xFFFD) or 0xE000 <= code <= 0xF8FF:
        return None
    ch = chr(code)
    if ch in "\r\n\x02":
        return ""
    return " " if ch.isspace() else ch


_NO_OBJECT = (0, None, None)  # a character pdfium generated outside any text object
_UNASKED = object()  # a text object's matrix, before its first glyph gives it


def _matrix(get_matrix, h, i: int, m, m_p):
    """Character ``i``'s matrix as (a, b, c, d, e, f, det), or None when pdfium gives
    none or it cannot be inverted (``_declared_box``'s test)."""
    if not get_matrix(h, i, m_p):
        return None
    det = m.a * m.d - m.b * m.c
    return None if abs(det) < 1e-12 else (m.a, m.b, m.c, m.d, m.e, m.f, det)


def _text_object(api: dict, h, i: int, obj: int, fonts: dict) -> list:
    """What text object ``obj`` fixes for its characters, asked through its character
    ``i``: [font handle or 0, declared metrics (ascent, descent, widths by code, size)
    or None, its glyphs' matrix (``_UNASKED`` until a glyph gives it)]."""
    font = api["font"](obj) or 0
    size = api["size"](h, i)
    if not font or size <= 0:  # (as _declared_box decides: a NaN size goes on)
        return [font, None, None]
    key = (font, size)
    declared = fonts.get(key, fonts)
    if declared is fonts:
        declared = fonts[key] = _font_metrics(api, font, size)
    return [font, declared, _UNASKED]


def _font_metrics(api: dict, font: int, size: float):
    """A font the PDF does not embed, with its declared ascent and descent at ``size``:
    (ascent, descent, widths by code, size); None for an embedded font or one that
    declares none (as ``_declared_box`` decides)."""
    ascent, descent = ctypes.c_float(), ctypes.c_float()
    declared = (api["embedded"](font) == 0
                and api["ascent"](font, size, ctypes.addressof(ascent)) and api["descent"](font, size, ctypes.addressof(descent))
                and ascent.value > descent.value)
    return (ascent.value, descent.value, {}, size) if declared else None


def _corners(matrix: tuple, x: float, y: float, width: float, ascent: float, descent: float):
    """``_declared_box``'s last step: the origin back through the character's matrix, the
    box laid out there, and its corners carried forward to the page."""
    a, b, c, d, e, f, det = matrix
    ox = (d * (x - e) - c * (y - f)) / det
    oy = (a * (y - f) - b * (x - e)) / det
    # each corner is a·px + c·py + e (and b·px + d·py + f): rounding never reverses an order,
    # so the least of the four is the least a·px plus the least c·py, as _declared_box finds it
    px0, px1, py0, py1 = ox, ox + width, oy + descent, oy + ascent
    ax0, ax1, cy0, cy1 = a * px0, a * px1, c * py0, c * py1
    bx0, bx1, dy0, dy1 = b * px0, b * px1, d * py0, d * py1
    if ax1 < ax0:
        ax0, ax1 = ax1, ax0
    if cy1 < cy0:
        cy0, cy1 = cy1, cy0
    if bx1 < bx0:
        bx0, bx1 = bx1, bx0
    if dy1 < dy0:
        dy0, dy1 = dy1, dy0
    return ax0 + cy0 + e, bx0 + dy0 + f, ax1 + cy1 + e, bx1 + dy1 + f


def _declared_box(tp, i: int, code: int, fonts: dict) -> tuple[float, float, float, float] | None:
    """The box of a character set in a font the PDF does not embed, from what the PDF
    fixes, (left, bottom, right, top) in page space: its origin, its matrix and font
    size, the advance width the font declares for it, and the font's declared ascent and
    descent. pdfium's own boxes (the loose one is that declared box united with the
    glyph's outline) would take the outline of whichever system font stands in for the
    missing one, and so move with the fonts of the machine.

    None for a font the PDF embeds: its outlines are the PDF's own, so pdfium's loose box
    is fixed by the PDF too (and it clamps the ascent to the font's bounding box, which
    the API does not give). None also when the PDF does not fix the box (no font, no size,
    a degenerate matrix, no declared ascent): the caller then takes pdfium's loose box."""
    obj = pdfium_c.FPDFText_GetTextObject(tp, i)
    font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
    size = pdfium_c.FPDFText_GetFontSize(tp, i)
    if not font or size <= 0:
        return None
    key = (ctypes.cast(font, ctypes.c_void_p).value, size)
    if key not in fonts:
        ascent, descent = ctypes.c_float(), ctypes.c_float()
        declared = (pdfium_c.FPDFFont_GetIsEmbedded(font) == 0
                    and pdfium_c.FPDFFont_GetAscent(font, size, ascent) and pdfium_c.FPDFFont_GetDescent(font, size, descent)
                    and ascent.value > descent.value)
        fonts[key] = (ascent.value, descent.value, {}) if declared else None
    if fonts[key] is None:
        return None
    ascent, descent, widths = fonts[key]
    if code not in widths:
        width = ctypes.c_float()
        widths[code] = width.value if pdfium_c.FPDFFont_GetGlyphWidth(font, code, size, width) else None
    x, y = ctypes.c_double(), ctypes.c_double()
    m = pdfium_c.FS_MATRIX()
    det = m.a * m.d - m.b * m.c if pdfium_c.FPDFText_GetMatrix(tp, i, m) else 0.0
    if widths[code] is None or abs(det) < 1e-12 or not pdfium_c.FPDFText_GetCharOrigin(tp, i, x, y):
        return None
    # pdfium's text space for this character: the origin back through the character's
    # matrix, the box laid out there, and its corners carried forward to the page
    ox = (m.d * (x.value - m.e) - m.c * (y.value - m.f)) / det
    oy = (m.a * (y.value - m.f) - m.b * (x.value - m.e)) / det
    corners = [(px, py) for px in (ox, ox + widths[code]) for py in (oy + descent, oy + ascent)]
    xs = [m.a * px + m.c * py + m.e for px, py in corners]
    ys = [m.b * px + m.d * py + m.f for px, py in corners]
    return min(xs), min(ys), max(xs), max(ys)


def rows_of(chars: list[Char]) -> list[list[Char]]:
    """Cluster characters into rows by their vertical middle: a character joins the
    row whose middle is within half a character height of its own.

    The row's mean middle is kept as a running sum (linear time, not a sum per character);
    a character within a hair of the threshold is decided by the exact mean as ``_mid``
    computes it, so the rows never depend on how the sum was accumulated."""
    if not chars:
        return []
    h = median(c.height for c in chars) or 1.0
    half = 0.5 * h
    rows: list[list[Char]] = []
    row: list[Char] = []
    total = 0.0
    for c in sorted(chars, key=_by_middle):
        m = c.middle
        if row:
            d = abs(m - total / len(row)) - half
            joins = d <= 0 if abs(d) > 1e-6 * (1.0 + abs(m)) else abs(m - _mid(row)) <= half
            if joins:
                row.append(c)
                total += m
                continue
        row = [c]
        rows.append(row)
        total = m
    return [sorted(r, key=_by_x0) for r in rows]


def _mid(row: list[Char]) -> float:
    return sum(c.middle for c in row) / len(row)


_by_middle = attrgetter("middle", "x0")  # (middle, x0): the same keys, made without a Python call per character
_by_x0 = attrgetter("x0")


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


def row_spans(row: list[Char]) -> list[tuple[float, float]]:
    """The x extent of each cell of ``row``, split where ``row_text`` puts a tab."""
    glyphs = [c for c in row if c.ch != " "]
    if not glyphs:
        return []
    h = median(c.height for c in glyphs) or 1.0
    spans = [[glyphs[0].x0, glyphs[0].x1]]
    for prev, c in zip(glyphs, glyphs[1:]):
        if c.x0 - prev.x1 > CELL_GAP * h:
            spans.append([c.x0, c.x1])
        else:
            spans[-1][1] = c.x1
    return [_span(round(a, 1), round(b, 1)) for a, b in spans]


def row_line(row: list[Char]) -> tuple[list[Char], str, list[tuple[float, float]]] | None:
    """``row``'s glyphs (its characters but spaces), ``row_text(row)`` and ``row_spans(row)``
    in one pass over it, the glyphs and their median height found once; None for a row of
    spaces only."""
    glyphs = [c for c in row if c.ch != " "]
    if not glyphs:
        return None
    h = median([c.height for c in glyphs]) or 1.0
    cell_gap, space_gap = CELL_GAP * h, SPACE_GAP * h
    out: list[str] = []
    spans: list[list[float]] = []
    prev = None
    after_space = False  # the character before this one in ``row`` is a space (``row_text``'s ``spaced``)
    for c in row:
        if c.ch == " ":
            after_space = True
            continue
        if prev is None:
            out.append(c.ch)
            spans.append([c.x0, c.x1])
        else:
            gap = c.x0 - prev.x1
            if gap > cell_gap:
                out.append("\t")
                spans.append([c.x0, c.x1])
            else:
                if gap > space_gap or after_space:
                    out.append(" ")
                spans[-1][1] = c.x1
            out.append(c.ch)
        prev = c
        after_space = False
    return glyphs, "".join(out), [_span(round(a, 1), round(b, 1)) for a, b in spans]


def _path_bounds(page) -> list[tuple[float, float, float, float]]:
    """The bounds (left, bottom, right, top) of every path object on the page, in one
    pass: whether the page is ruled and where its rules are both come from them."""
    if _FAST is not None:
        out: list[tuple[float, float, float, float]] = []
        _walk_paths(_FAST, ctypes.cast(page.raw, ctypes.c_void_p).value, None, 0, out)
        return out
    return [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])]


def _page_objects(page) -> tuple[list | None, set | None]:
    """``_path_bounds`` and the fonts of the page's text objects, in one walk over its
    objects (with Form XObjects); (None, None) on the portable path or when the walk
    fails (the caller then asks ``_path_bounds``, which raises the walk's error after
    the characters' own, in the order they were always raised)."""
    if _FAST is None:
        return None, None
    out: list[tuple[float, float, float, float]] = []
    fonts: set = set()
    try:
        _walk_paths(_FAST, ctypes.cast(page.raw, ctypes.c_void_p).value, None, 0, out, fonts=fonts)
    except pdfium.PdfiumError:
        return None, None
    return out, fonts


def _loose_only(fonts: set | None) -> bool:
    """Every text object on the page has no font or one the PDF embeds (a box pdfium
    measures from the PDF's own outlines: ``_declared_box`` gives None for it), and the
    walk saw every object pdfium's text page is made of (no Form XObject left unentered)."""
    if fonts is None or None in fonts:
        return False
    embedded = _FAST["embedded"]
    return all(f == 0 or embedded(f) != 0 for f in fonts)


def _walk_paths(api: dict, page: int, form: int | None, level: int, out: list, max_depth: int = 15,
                fonts: set | None = None) -> None:
    """``page.get_objects(filter=[PATH])`` and each one's ``get_bounds()`` through the
    integer-handle bindings: the same objects in the same order (Form XObjects entered
    to the same depth) and the same errors, without a Python object per page object.
    ``fonts``, when given, gets each text object's font handle (0 for none), and None
    for a Form XObject too deep to enter (pdfium's text page enters every one)."""
    count = api["form_count"](form) if form else api["page_count"](page)
    if count < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    get = api["form_object"] if form else api["page_object"]
    parent = form if form else page
    get_type, get_bounds = api["object_type"], api["object_bounds"]
    box = (ctypes.c_float * 4)()
    ptrs = [ctypes.addressof(box) + k * ctypes.sizeof(ctypes.c_float) for k in range(4)]
    for i in range(count):
        obj = get(parent, i)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = get_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_UNKNOWN:
            raise pdfium.PdfiumError("Failed to determine pageobject type, did you pass in a valid FPDF_PAGEOBJECT handle?")
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if not get_bounds(obj, *ptrs):
                raise pdfium.PdfiumError("Failed to locate pageobject.")
            out.append((box[0], box[1], box[2], box[3]))
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT and fonts is not None:
            fonts.add(api["font"](obj) or 0)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if level < max_depth - 1:
                _walk_paths(api, page, obj, level + 1, out, max_depth, fonts)
            elif fonts is not None:
                fonts.add(None)


def _ruled(bounds) -> bool:
    """A page with ruling lines: enough thin path objects (table borders)."""
    thin = 0
    for left, bottom, right, top in bounds:
        if min(right - left, top - bottom) < 2 and max(right - left, top - bottom) > 20:
            thin += 1
            if thin >= RULING_MIN:
                return True
    return False


def _segments(page, bounds) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Ruling segments in top-left coordinates: horizontal (y, x0, x1), vertical (x, top, bottom)."""
    height = page.get_height()
    hs, vs = [], []
    for left, bottom, right, top in bounds:
        w, h = right - left, top - bottom
        if h < 2 and w > 5:
            hs.append((height - (top + bottom) / 2, left, right))
        elif w < 2 and h > 5:
            vs.append(((left + right) / 2, height - top, height - bottom))
    return _joined(hs), _joined(vs)


def _joined(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear segments that meet joined into one rule. Word and other office exports
    draw a table's borders cell by cell: each cell's edge is its own short path, so one
    rule across the table arrives as many pieces end to end."""
    lines: list[list[tuple[float, float, float]]] = []
    for s in sorted(segments):
        if lines and s[0] - lines[-1][0][0] <= 1.0:
            lines[-1].append(s)
        else:
            lines.append([s])
    out: list[tuple[float, float, float]] = []
    for line in lines:
        start = len(out)
        for pos, a, b in sorted(line, key=lambda s: s[1]):
            if len(out) > start and a <= out[-1][2] + 1.5:
                out[-1] = (out[-1][0], out[-1][1], max(out[-1][2], b))
            else:
                out.append((pos, a, b))
    return out


def _cluster(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def regular_tables(page, chars: list[Char], bounds=None):
    """Tables whose rulings form a regular grid (every horizontal rule spans the table's
    width, every vertical rule its height): cells cut from pypdfium2's own segments and
    characters, much faster than re-parsing the page. None when any table on the page
    is irregular (merged cells), so the caller can use the general finder.

    Each column's characters are taken once (sorted by centre, cut by bisection), then
    sorted by their middles, so each cell's characters are a slice found by bisection:
    no scan of the page's characters per cell."""
    hs, vs = _segments(page, _path_bounds(page) if bounds is None else bounds)
    groups: dict[tuple[int, int], list[float]] = {}
    for y, x0, x1 in hs:
        groups.setdefault((round(x0), round(x1)), []).append(y)
    runs: list[tuple[int, int, list[float]]] = []
    for (x0, x1), ys in groups.items():
        ys = _cluster(ys)
        span = [v for v in vs if x0 - 2 <= v[0] <= x1 + 2]
        run = [ys[0]]
        for a, b in zip(ys, ys[1:]):  # tables of one width, one above the other, split
            if any(v[1] <= a + 2 and v[2] >= b - 2 for v in span):  # where no rule joins them
                run.append(b)
            else:
                runs.append((x0, x1, run))
                run = [b]
        runs.append((x0, x1, run))
    tables = []
    by_x = centres = None  # the page's characters by centre, sorted once for every table
    for x0, x1, rows in runs:
        if len(rows) < 2:
            continue
        top, bottom = rows[0], rows[-1]
        inner = [v for v in vs if x0 - 2 <= v[0] <= x1 + 2 and v[1] >= top - 2 and v[2] <= bottom + 2]
        if any(abs(v[1] - top) > 2 or abs(v[2] - bottom) > 2 for v in inner):
            return None  # a rule that stops inside the table: merged cells
        if any(top + 2 < y < bottom - 2 and x0 - 2 <= h0 and h1 <= x1 + 2 and (h0 > x0 + 2 or h1 < x1 - 2)
               for y, h0, h1 in hs):
            return None  # a row rule that stops short of the table's width: a label merged over rows
        cols = _cluster([v[0] for v in inner])
        if len(cols) < 2 or abs(cols[0] - x0) > 2 or abs(cols[-1] - x1) > 2:
            return None
        out_rows = []
        stacked = False
        if by_x is None:
            every = [_centre(c) for c in chars]  # (each centre once: the same stable order by them)
            order = sorted(range(len(chars)), key=every.__getitem__)
            by_x = [chars[k] for k in order]
            centres = [every[k] for k in order]
        in_col = []
        for a, b in zip(cols, cols[1:]):  # each column by middle; a stable sort keeps ties in centre order
            column = sorted((c for c in by_x[bisect_left(centres, a):bisect_left(centres, b)] if c.middle == c.middle),
                            key=_middle)  # (a NaN middle is in no row, and would spoil the order)
            in_col.append((column, [c.middle for c in column]))
        for r_top, r_bottom in zip(rows, rows[1:]):
            cells = []
            tall = 0
            insides = _overflowed([column[bisect_left(middles, r_top):bisect_left(middles, r_bottom)]
                                   for column, middles in in_col], cols)
            for inside in insides:
                lines = [row_text(r) for r in rows_of(inside)] if inside else []
                tall += len(lines) >= 3
                cells.append("\n".join(lines))
            stacked = stacked or tall >= 2
            two = _stacked(cells) if out_rows else None  # two rows of values in one ruled row: a line each
            if two:
                step = (r_bottom - r_top) / len(two)
                for j, texts in enumerate(two):
                    out_rows.append(([_dec(v) for v in (cols[0], r_top + j * step, cols[-1], r_top + (j + 1) * step)],
                                     "\t".join(texts)))
                continue
            text = "\t".join(_join_cell(c) for c in cells)
            if text.strip("\t "):
                out_rows.append(([_dec(v) for v in (cols[0], r_top, cols[-1], r_bottom)], text))
        if not stacked and len(rows) > 2 and len(cols) > 2:  # a box around rows of text is not a grid
            tables.append(((cols[0], top, cols[-1], bottom), out_rows))
    return sorted(tables, key=lambda t: t[0][1])


def _overflowed(cells: list[list[Char]], cols: list[float]) -> list[list[Char]]:
    """A row's characters by column, with text that ran over its column's rule given back: a
    label longer than its cell, printed on across the rule into the next ('訪問看護ステーション
    (30分以上1時間' | '未満) 939円'), is the characters of the next cell that go on from the rule
    without a gap, where the text before them reaches it. A cell's own text keeps its
    distance from the rules, so a run touching the rule from both sides is one text."""
    for k in range(len(cells) - 1):
        rule, left, right = cols[k + 1], cells[k], cells[k + 1]
        if not left or not right:
            continue
        for first in sorted((c for c in right if c.ch != " "), key=_by_x0)[:1]:
            line = [c for c in right if abs(c.middle - first.middle) <= 0.5 * first.height]
            last = max((c for c in left if abs(c.middle - first.middle) <= 0.5 * c.height and c.ch != " "),
                       key=_by_x0, default=None)
            if last is None or last.x1 < rule - 1.0 or first.x0 - last.x1 > 0.1 * first.height:
                continue
            run, prev = [], None
            for c in sorted(line, key=_by_x0):
                if prev is not None and c.x0 - prev.x1 > 0.1 * c.height:  # (set text: no gap at all)
                    break
                run.append(c)
                prev = c
            moved = {id(c) for c in run}
            cells[k] = sorted(left + run, key=_middle)
            cells[k + 1] = [c for c in right if id(c) not in moved]
    return cells


def _centre(c: Char) -> float:
    return (c.x0 + c.x1) / 2


_middle = attrgetter("middle")


def _join_cell(text: str | None) -> str:
    """A cell's lines as one: Japanese wraps without a space, ASCII words keep one."""
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = parts[0] if parts else ""
    for p in parts[1:]:
        # ASCII words keep their space; two numbers on two lines never become one ('3205' / '4808')
        a, b = unicodedata.normalize("NFKC", out[-1:]), unicodedata.normalize("NFKC", p[:1])
        out += (" " if a.isascii() and a.isalnum() and b.isascii() and b.isalnum() else "") + p
    return out


def ruled_tables(plumber_page) -> list[tuple[tuple[float, float, float, float], list[tuple[list[Decimal], str, list[tuple[float, float]]]]]]:
    """Tables found from ruling lines (pdfplumber, lines strategy): per table its box and
    its rows as (row box, cells joined by tabs, empty cells kept, wrapped cells joined)."""
    out = []
    for t in plumber_page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
        rows = []
        extracted = t.extract()
        if len(extracted) < 2 or max(len(cells) for cells in extracted) < 2 or any(
                sum(1 for c in cells if c and c.count("\n") >= 2) >= 2 for cells in extracted[1:]):
            continue  # rows of text between two rules in several columns: a box, not a grid
            # (a header row's words stacked in narrow columns are still a header)
        for n, (row, cells) in enumerate(zip(t.rows, extracted)):
            x0, top, x1, bottom = row.bbox
            # each cell with its own extent: a table whose rows are cut into different columns
            # (one row has a band column where the others have one merged name cell) is
            # aligned by position, not by the count of cells; a merged cell is one cell
            kept = [(c or "", (box[0], box[2])) for c, box in zip(cells, row.cells) if box is not None]
            spans = [span for _, span in kept]
            stacked = _stacked([c for c, _ in kept]) if n else None
            if stacked:  # two rows of values in one ruled row, each value cell two lines: a line each
                own = min(box[3] for box in row.cells if box is not None)  # not a label merged down the rows
                step = (own - top) / len(stacked)
                for j, texts in enumerate(stacked):
                    box = [_dec(v) for v in (x0, top + j * step, x1, top + (j + 1) * step)]
                    rows.append((box, "\t".join(texts), spans))
                continue
            text = "\t".join(_join_cell(c) for c, _ in kept)
            if text.strip("\t "):
                rows.append(([_dec(v) for v in (x0, top, x1, bottom)], text, spans))
        out.append((t.bbox, rows))
    return out


_VALUE_LINE = re.compile(r"\s*(?:[¥￥\\]?\s*\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:円|単位|%|％)?\s*|\s*[―－—\-]\s*")


_YEN_RUN = re.compile(r"\s*\d{1,3}(?:,\d{3})*\s*円")  # amounts in yen, one after another
_BROKEN_GROUP = re.compile(r"\d{1,3}(?:,\d{3})*,\d{1,2}")


def _stacked(cells: list[str]) -> list[list[str]] | None:
    """A ruled row whose value cells each hold the same number of lines, every line a whole
    value ('350 円' over '337 円' in each share column: a row for 介護 over a row for 予防, in
    one ruled row): the texts of each line, the cells of one line only on the first. None
    unless at least two cells are so stacked, and every other cell is on one line or is words
    (a label wrapped in its cell; a value broken over lines, '1,09' over '0', is not stacked)."""
    lines = [[p.strip() for p in c.split("\n") if p.strip()] for c in cells]
    for i, ls in enumerate(lines):  # a number broken in a narrow cell ('1,09' over '0'): its grouping says so
        if len(ls) >= 2 and _BROKEN_GROUP.fullmatch(ls[0]) and _VALUE_LINE.fullmatch("".join(ls)):
            lines[i] = ["".join(ls)]
            cells = [*cells[:i], lines[i][0], *cells[i + 1:]]
    counts = {len(ls) for ls in lines if len(ls) >= 2 and all(_VALUE_LINE.fullmatch(p) for p in ls)}
    if len(counts) != 1:
        return None
    k = counts.pop()
    for i, ls in enumerate(lines):  # the same k amounts wrapped by a narrow cell's width ('668 円632' over '円')
        if len(ls) >= 2 and not all(_VALUE_LINE.fullmatch(p) for p in ls):
            amounts = _YEN_RUN.findall("".join(ls))
            if len(amounts) == k and "".join(amounts).replace(" ", "") == "".join(ls).replace(" ", ""):
                lines[i] = [a.strip() for a in amounts]
    stacked = [i for i, ls in enumerate(lines) if len(ls) == k and all(_VALUE_LINE.fullmatch(p) for p in ls)]
    # a cell of words wrapped onto a line of its own digit ('訪問看護Ⅰ５・２超 ×' over '３') is a label
    if len(stacked) < 2 or any(len(ls) >= 2 and i not in stacked and (_VALUE_LINE.fullmatch(ls[0]) or any(
            re.search(r"\d\s*(?:円|単位)", p) for p in ls)) for i, ls in enumerate(lines)):
        return None
    out = [[_join_cell(c) if i not in stacked else lines[i][0] for i, c in enumerate(cells)]]
    for j in range(1, k):
        out.append([lines[i][j] if i in stacked else "" for i in range(len(cells))])
    return out


_SHARED: dict = {}  # one object for each value many lines carry (a coordinate, a cell's extent)
_SHARED_MAX = 1 << 17


def _dec(v: float) -> Decimal:
    """``v`` rounded to 0.01 as a Decimal, the same object for the same value: the lines
    of a long document repeat their coordinates (the same column, the same row on each
    page), and a Decimal costs 104 bytes, 4 to a line's box, kept in its rows' sources too."""
    s = str(round(v, 2))
    d = _SHARED.get(s)
    if d is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        d = _SHARED[s] = Decimal(s)
    return d


def _span(a: float, b: float) -> tuple[float, float]:
    """The cell extent (a, b), the same tuple for the same extent (as ``_dec``); a zero is
    kept as it is (-0.0 and 0.0 are equal keys)."""
    if not (a and b):
        return (a, b)
    key = (a, b)
    t = _SHARED.get(key)
    if t is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        t = _SHARED[key] = key
    return t


def _bbox(row: list[Char]) -> list[Decimal]:
    """The least x0 and top and the greatest x1 and bottom of ``row``, in one pass (each
    replaced as ``min`` and ``max`` replace: only by a value less, or greater)."""
    first = row[0]
    x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    for c in row:
        if c.x0 < x0:
            x0 = c.x0
        if c.top < top:
            top = c.top
        if c.x1 > x1:
            x1 = c.x1
        if c.bottom > bottom:
            bottom = c.bottom
    return [_dec(x0), _dec(top), _dec(x1), _dec(bottom)]


def _bomb(data: bytes, limit: int) -> bool:
    """A stream that inflates past ``limit`` bytes (a decompression bomb): every
    Flate stream is inflated into nothing, a chunk at a time, so checking costs time
    bounded by the limit and no memory. Streams that are not Flate (or are encrypted)
    fail at once and are left to the worker's memory cap."""
    view = memoryview(data)
    for m in _STREAM.finditer(data):
        if data[max(0, m.start() - 3):m.start()] == b"end":
            continue
        d = zlib.decompressobj()
        pos, total = m.end(), 0
        try:
            while pos < len(data) and not d.eof:
                out = d.decompress(view[pos:pos + 65536], 1 << 20)
                pos += 65536
                total += len(out)
                while d.unconsumed_tail and not d.eof and total <= limit:
                    total += len(d.decompress(d.unconsumed_tail, 1 << 20))
                if total > limit:
                    return True
        except zlib.error:
            continue
    return False


def _open(data: bytes, path: Path, password: str | None):
    """The document opened by pdfium, or ``BadInput`` (encrypted, damaged, a bomb)."""
    if _bomb(data, MAX_INFLATED_BYTES):
        raise BadInput(str(path), f"has a stream that inflates to more than {MAX_INFLATED_BYTES >> 20} MB "
                       "(a decompression bomb)", "check where the file came from; a fee document never needs this")
    try:
        with PDFIUM:
            return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            if password:
                raise BadInput(str(path), "is encrypted and the password given does not open it", "check the --password") from None
            raise BadInput(str(path), "is encrypted", "give its password with --password") from None
        raise BadInput(str(path), f"is damaged or truncated ({msg})", "get a fresh copy of the PDF") from None


def _load_page(pdf, pno: int, path: Path):
    """Page ``pno`` (0-based), or ``BadInput`` for a page pdfium cannot load (a page tree
    that loops or nests, a damaged page object). Call with PDFIUM held."""
    try:
        return pdf[pno]
    except (pdfium.PdfiumError, RecursionError, ValueError) as e:
        raise BadInput(str(path), f"is damaged: page {pno + 1} cannot be loaded ({e})", "get a fresh copy of the PDF") from None


def _plumber_tables(plumber_cache: list, data: bytes, pno: int, password: str | None, path: Path) -> list | None:
    """The page's tables from pdfplumber (opened once per document, with the password),
    or None when pdfminer cannot parse the page (damaged /Resources, absurd MediaBox,
    nesting): the page is then read from its characters alone."""
    try:
        if not plumber_cache:
            import pdfplumber

            plumber_cache.append(pdfplumber.open(io.BytesIO(data), password=password or ""))
        return ruled_tables(plumber_cache[0].pages[pno])
    except Exception as e:  # pdfminer raises many kinds; the characters are still there
        log.warning("p.%d: ruled table not read (%s: %s); the page is read from its characters",
                    pno + 1, type(e).__name__, e)
        return None


# Pages of one document read in parallel: set by the engine's worker to the cores it may
# use for one document (1: read every page in this process). A document of fewer than
# PAGES_PER_JOB pages per process is read here alone.
PAGE_JOBS = 1
PAGES_PER_JOB = 25

# Where a large PDF's page runs are read when not by forked copies of this process: set for
# the current thread only (a Dask task: ``engine.extract_one_dask``) to a function of
# (path, password, pages) giving each run's outcome (``read_run``) in page order, or None to
# read every page here.
RUNNER = threading.local()


@dataclass
class _Pages:
    """What reading some pages of a PDF gave: their lines, in page order, and the notes."""

    lines: list[Line] = field(default_factory=list)
    empty_pages: list[int] = field(default_factory=list)
    unmapped_pages: list[tuple[int, int]] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    missing_ocr: str | None = None


def read_pdf(path: Path, password: str | None = None) -> Document:
    data = read_limited(path, PDF_MAX_BYTES)
    if not data.strip():
        raise BadInput(str(path), "is empty", "give the PDF as published")
    if not data.lstrip().startswith(b"%PDF"):
        raise BadInput(str(path), "is not a PDF (no %PDF header)", "give the PDF itself, or rename the file to its real type")
    pdf = _open(data, path, password)
    try:
        with PDFIUM:
            pages = len(pdf)
        jobs = min(PAGE_JOBS, pages // PAGES_PER_JOB)
        runner = getattr(RUNNER, "runs", None)
        ran = runner(path, password, pages) if runner is not None and jobs <= 1 else None
        if ran is not None:
            read = _Pages()
            for outcome in ran:
                _join(read, *outcome)
        elif jobs > 1:
            read = _read_in_parallel(pdf, data, path, password, pages, jobs)
        else:
            read = _read_pages(pdf, data, path, password, range(pages))
    finally:
        with PDFIUM:
            pdf.close()
    lines, missing_ocr = read.lines, read.missing_ocr
    if not lines:
        if missing_ocr:
            raise BadInput(str(path), "has no text layer (an image-only scan) and OCR cannot run", f"install {missing_ocr}")
        raise BadInput(str(path), "has no text, not even by OCR (blank pages)", "check that this is the fee document")
    if read.ocr_pages:
        _known_names(lines, set(read.ocr_pages))
    doc = Document(
        name=path.name, path=str(path), sha256=hashlib.sha256(data).hexdigest(),
        kind="pdf+ocr" if read.ocr_pages else "pdf", lines=lines,
    )
    doc.notes = {"empty_pages": read.empty_pages, "unmapped": read.unmapped_pages, "ocr_pages": read.ocr_pages,
                 "missing_ocr": missing_ocr}
    return doc


def _known_names(lines: list[Line], ocr_pages: set[int]) -> None:
    """Names on pages read by OCR one letter off a known name the document prints as it is
    (``ocr.repair_names``), repaired in place and recorded."""
    from ..ocr import names_present, repair_names

    present = names_present([ln.text for ln in lines])
    for ln in lines:
        if ln.page in ocr_pages:
            ln.text, fired = repair_names(ln.text, present)
            for c in fired:
                c.line = ln.number
            ln.corrections += fired


def _read_pages(pdf, data: bytes, path: Path, password: str | None, pnos: range, out: _Pages | None = None) -> _Pages:
    """Pages ``pnos`` of the open document, one at a time: each page's characters and
    rulings are reduced to its lines and released before the next page is loaded. Added
    to ``out`` when given (whose lines the caller may take between pages)."""
    out = _Pages() if out is None else out
    lines = out.lines
    plumber: list = []  # pdfplumber, opened on the first page that needs it
    try:
        for pno in pnos:
            with PDFIUM:
                page = _load_page(pdf, pno, path)
                try:
                    bounds, fonts = _page_objects(page)
                    chars, unmapped = _chars(page, _loose_only(fonts))
                    if bounds is None:
                        bounds = _path_bounds(page)
                    ruled = _ruled(bounds)
                    fast = regular_tables(page, chars, bounds) if ruled else None
                finally:
                    page.close()
            if unmapped:
                out.unmapped_pages.append((pno + 1, unmapped))
            if not any(c.ch != " " for c in chars):
                from . import tesseract  # (OCR's thousand lines are compiled only for a page that needs them)

                out.missing_ocr = out.missing_ocr or tesseract.available()
                if out.missing_ocr is None:
                    with PDFIUM:
                        page = _load_page(pdf, pno, path)
                        try:
                            image = tesseract.render(page)
                        finally:
                            page.close()
                    read = tesseract.ocr_image(*image, str(path), pno + 1)  # seconds of OCR, outside the lock
                    if read:
                        lines.extend(read)
                        out.ocr_pages.append(pno + 1)
                    else:
                        out.empty_pages.append(pno + 1)  # OCR found nothing either
                else:
                    out.empty_pages.append(pno + 1)
                continue
            tables = fast or []
            if ruled and fast is None:
                tables = _plumber_tables(plumber, data, pno, password, path) or []
            entries: list[tuple[tuple, list[Decimal], str, list | None]] = []
            for (tx0, ttop, tx1, tbottom), rows in tables:
                left, right, above, below = tx0 - 1, tx1 + 1, ttop - 1, tbottom + 1  # (the edges once, not per character)
                chars = [c for c in chars if not (left <= c.x0 and c.x1 <= right and above <= c.top and c.bottom <= below)]
            text_rows = [(_bbox(made[0]), made[1], made[2]) for made in map(row_line, rows_of(chars)) if made is not None]
            beside_text = _text_beside(text_rows, [t for t, _ in tables])
            for k, ((tx0, ttop, tx1, tbottom), rows) in enumerate(tables):
                # tables side by side (their heights overlap) are read one after the other, left first
                beside = [t for t, _ in tables if t[1] < tbottom and ttop < t[3] and (t[2] <= tx0 or tx1 <= t[0])]
                top = min([ttop] + [t[1] for t in beside])
                entries += [((top, float(tx0), float(row[0][1])) if beside or k in beside_text else (float(row[0][1]), 0.0, 0.0),
                             row[0], row[1], row[2] if len(row) > 2 else None) for row in rows]
            moved = {n: k for k, ns in beside_text.items() for n in ns}
            for n, (box, text, spans) in enumerate(text_rows):
                k = moved.get(n)
                entries.append(((float(box[1]), 0.0, 0.0) if k is None else (float(tables[k][0][1]), float(box[0]), float(box[1])),
                                box, text, spans))
            for k, (_, box, text, spans) in enumerate(sorted(entries, key=lambda e: (e[0], e[1][0])), start=1):
                lines.append(Line.of(text, k, pno + 1, box, spans))
    finally:
        for opened in plumber:
            try:
                opened.close()
            except Exception:  # pdfplumber re-reads every page to close: a damaged one raises again
                pass
    return out


def _text_beside(text_rows: list, tables: list) -> dict[int, list[int]]:
    """Text printed as a column beside a ruled table (a guidebook's second column: 'ケアプランの
    作成' / '利用者の負担はありません。'), right of its rulings and within its height, two lines
    or more: by table, the text rows to read after it (as a table is read after the tables
    left of it), not each between two of its rows."""
    right_of: dict[int, list[int]] = {}
    for n, (box, _, _) in enumerate(text_rows):
        mid = (float(box[1]) + float(box[3])) / 2
        for k, (tx0, ttop, tx1, tbottom) in enumerate(tables):
            if float(box[0]) >= tx1 + 8 and ttop < mid < tbottom:
                right_of.setdefault(k, []).append(n)
                break
    return {k: ns for k, ns in right_of.items() if len(ns) >= 2}  # (one line beside: a caption or a mark, in its place)


def _read_in_parallel(pdf, data: bytes, path: Path, password: str | None, pages: int, jobs: int) -> _Pages:
    """The pages in ``jobs`` runs of consecutive pages: the first read here, each other
    one by a forked copy of this process (it has the open document already), and their
    lines joined in page order, so the document is what one process reads. The first
    error in page order is raised, as one process would raise it, and the log lines of
    each run are logged here in page order too."""
    import pickle

    if jobs == 2:
        from ..pages import read_from_both_ends

        return read_from_both_ends(pdf, data, path, password, pages)
    bounds = [pages * k // jobs for k in range(jobs + 1)]
    runs = [range(a, b) for a, b in zip(bounds, bounds[1:])]
    children: list[tuple[int, int]] = []
    try:
        for pnos in runs[1:]:
            children.append(_fork(lambda pnos=pnos: _read_pages(pdf, data, path, password, pnos)))
        out = _read_pages(pdf, data, path, password, runs[0])  # an error here is the first in page order
        while children:
            payload = _drain(children[0][1])  # (stopped here by the alarm, the finally kills every child left)
            _reap(*children.pop(0))
            _join(out, *(pickle.loads(payload) if payload else ("raise", MemoryError(), [])))  # (died without a word)
        return out
    finally:
        for pid, fd in children:  # children not collected (an error, or this process was stopped) are killed
            _reap(pid, fd, kill=True)


def _join(out: _Pages, how: str, value, records: list) -> None:
    """The outcome of the next run of pages, in page order, joined to ``out``: its log
    records logged here, then its pages added, or its error raised (the first error in
    page order, as one process would raise it)."""
    for name, level, message in records:
        logging.getLogger(name).log(level, message)
    if how == "raise":
        raise value
    if how == "bad":
        raise BadInput(*value)
    out.lines += value.lines
    out.empty_pages += value.empty_pages
    out.unmapped_pages += value.unmapped_pages
    out.ocr_pages += value.ocr_pages
    out.missing_ocr = out.missing_ocr or value.missing_ocr


def read_run(name: str, password: str | None, start: int, end: int) -> tuple:
    """Pages ``start`` to ``end - 1`` of the PDF at ``name``, read on their own (a task of a
    Dask worker, which may run other tasks in other threads meanwhile): ("ok", the pages,
    their log records), ("bad", the BadInput's arguments, records) or ("raise", the
    exception, records), for ``_join``. What ``read_pdf`` checks of the whole file was
    checked by the task that asked for the run."""
    path = Path(name)
    keep = _Records(threading.get_ident())
    logger = logging.getLogger()
    logger.addHandler(keep)
    try:
        data = read_limited(path, PDF_MAX_BYTES)
        with PDFIUM:
            pdf = pdfium.PdfDocument(data, password=password)
        try:
            return "ok", _read_pages(pdf, data, path, password, range(start, end)), keep.records
        finally:
            with PDFIUM:
                pdf.close()
    except BadInput as e:
        return "bad", (e.path, e.what, e.todo), keep.records
    except Exception as e:  # noqa: BLE001  (raised where the document is read, in page order)
        return "raise", e, keep.records
    finally:
        logger.removeHandler(keep)


class _Records(logging.Handler):
    """A forked reader's log records (or one thread's: ``thread``), kept to be logged by
    the parent in page order."""

    def __init__(self, thread: int | None = None) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []
        self.thread = thread

    def emit(self, record: logging.LogRecord) -> None:
        if self.thread is None or record.thread == self.thread:
            self.records.append((record.name, record.levelno, record.getMessage()))


def _fork(fn) -> tuple[int, int]:
    """Run ``fn`` in a forked child; (pid, the pipe its pickled outcome comes back on)."""
    import os
    import pickle

    r, w = os.pipe()
    pid = os.fork()
    if pid:
        os.close(w)
        return pid, r
    code = 0
    try:  # the child: never returns into the caller's stack
        os.close(r)
        import gc

        gc.disable()  # (short-lived: a collection would touch, and so copy, every page it shares with the parent)
        try:
            import signal

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: go when the reader that forked us goes
        except Exception:
            pass
        root = logging.getLogger()
        keep = _Records()
        root.handlers = [keep]
        try:
            outcome: tuple = ("ok", fn(), keep.records)
        except BadInput as e:
            outcome = ("bad", (e.path, e.what, e.todo), keep.records)
        except BaseException as e:
            outcome = ("raise", e, keep.records)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:
            payload = pickle.dumps(("raise", RuntimeError(f"pages read in parallel could not be sent back ({type(e).__name__})"),
                                    keep.records))
        with os.fdopen(w, "wb") as f:
            f.write(payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _outcome(child: tuple[int, int]) -> tuple[bool, object]:
    """What a child forked by ``_fork`` sent back, once it is done: (True, its value), or
    (False, None) when it raised or died. Its log records are logged here."""
    import pickle

    try:
        payload = _drain(child[1])
    finally:
        _reap(*child)
    try:
        how, value, records = pickle.loads(payload) if payload else ("raise", None, [])
    except Exception:
        return False, None
    for name, level, message in records:
        logging.getLogger(name).log(level, message)
    return (True, value) if how == "ok" else (False, None)


def _drain(fd: int) -> bytes:
    """Everything a child writes on its pipe, until it closes it."""
    import os

    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int, fd: int, kill: bool = False) -> None:
    import os
    import signal

    try:
        os.close(fd)
    except OSError:
        pass
    try:
        if kill:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass
