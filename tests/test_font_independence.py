"""Where a PDF's text sits does not depend on the fonts of the machine that reads it.

A font the PDF does not embed (the stream leaflet's HeiseiKakuGo-W5) is drawn by pdfium
with whichever system font stands in for it, and pdfium's character boxes (the tight one,
and the loose one, which is the declared box united with the glyph's outline) move with
that stand-in: about 0.2 pt when other packages brought more fonts. The reader takes each
box from what the PDF fixes instead (origin, font size, declared advance, ascent and
descent); a font the PDF embeds keeps pdfium's loose box, its outlines being the PDF's own.
Here every fixture PDF (and the real ones in ../shared/real, when there) is read in fresh
processes whose pdfium sees no fonts, a made-up font whose glyphs overhang their em box,
and the machine's own fonts: the characters and rows are the same to the last digit in
all three."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT, SHARED

PDFS = sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted((SHARED / "real").glob("*.pdf"))

# Runs in a fresh process: pdfium is started again with only the given font folders
# (pdfium scans them in place of the system's), or left as it is for "system".
READ = r"""
import ctypes, json, sys
from pathlib import Path
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pypdfium2 import _library_scope
from pypdfium2.internal import bases

folders = json.loads(sys.argv[1])
if folders is not None:
    _library_scope.destroy_lib()
    paths = (ctypes.c_char_p * (len(folders) + 1))(*[f.encode() for f in folders], None)
    raw.FPDF_InitLibraryWithConfig(raw.FPDF_LIBRARY_CONFIG(
        version=2, m_pUserFontPaths=ctypes.cast(paths, ctypes.POINTER(ctypes.POINTER(ctypes.c_char))),
        m_pIsolate=None, m_v8EmbedderSlot=0))
    bases.LIBRARY_AVAILABLE = True

from extractor.sources.pdf import _chars, read_pdf

out = {}
for name in sys.argv[2:]:
    pdf = pdfium.PdfDocument(name)
    chars, pdfium_boxes = [], []
    for page in pdf:
        chars += [[c.ch, c.x0, c.x1, c.top, c.bottom] for c in _chars(page)[0]]
        tp = page.get_textpage()
        pdfium_boxes += [list(tp.get_charbox(i, loose=True)) for i in range(tp.count_chars())]
        tp.close()
    pdf.close()
    rows = [[l.page, l.number, l.raw, [str(v) for v in l.bbox]] for l in read_pdf(Path(name)).lines]
    out[name] = {"chars": chars, "rows": rows, "pdfium_loose_boxes": pdfium_boxes}
print(json.dumps(out))
"""


def read_with_fonts(folders: list[str] | None) -> dict:
    r = subprocess.run([sys.executable, "-c", READ, json.dumps(folders), *map(str, PDFS)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def overhanging_font(path, text: str) -> None:
    """A TrueType font for Japanese (its code page says JIS) with a glyph for every
    character of ``text``, each glyph a block that overhangs its em box on every side."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cps = sorted({ord(c) for c in text if not c.isspace()})
    names = [".notdef"] + [f"uni{cp:04X}" if cp <= 0xFFFF else f"u{cp:06X}" for cp in cps]

    def block():
        pen = TTGlyphPen(None)
        for x, y in ((-150, -400), (-150, 1300), (1150, 1300), (1150, -400)):
            (pen.lineTo if pen.points else pen.moveTo)((x, y))
        pen.closePath()
        return pen.glyph()

    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(dict(zip(cps, names[1:])))
    fb.setupGlyf({n: block() for n in names})
    fb.setupHorizontalMetrics({n: (1000, -150) for n in names})
    fb.setupHorizontalHeader(ascent=1300, descent=-400)
    fb.setupNameTable({"familyName": "Overhang Gothic", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=1300, sTypoDescender=-400, usWinAscent=1300, usWinDescent=400,
                ulCodePageRange1=(1 << 0) | (1 << 17))  # Latin 1 and JIS/Japan
    fb.setupPost()
    fb.save(str(path))


@pytest.fixture(scope="module")
def readings(tmp_path_factory):
    import pypdfium2 as pdfium

    text = ""
    for name in PDFS:
        pdf = pdfium.PdfDocument(name)
        for page in pdf:
            tp = page.get_textpage()
            text += tp.get_text_range()
            tp.close()
        pdf.close()
    none = tmp_path_factory.mktemp("no-fonts")
    extra = tmp_path_factory.mktemp("one-font")
    overhanging_font(extra / "overhang.ttf", text)
    return {"no fonts": read_with_fonts([str(none)]), "a font added": read_with_fonts([str(extra)]),
            "the machine's fonts": read_with_fonts(None)}


def test_the_added_font_moves_pdfiums_own_boxes(readings):
    """The experiment takes hold: pdfium's boxes for the non-embedded font change when
    the made-up font stands in for it (else the test below would prove nothing)."""
    leaflet = str(FIXTURES / "pdf" / "leaflet_kyotaku_stream.pdf")
    assert readings["no fonts"][leaflet]["pdfium_loose_boxes"] != readings["a font added"][leaflet]["pdfium_loose_boxes"]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_positions_and_rows_do_not_depend_on_the_machines_fonts(readings, path):
    key, name = str(path), path.name
    base = readings["no fonts"][key]
    assert base["chars"] and base["rows"]
    for setting in ("a font added", "the machine's fonts"):
        other = readings[setting][key]
        assert other["chars"] == base["chars"], f"{name}: character boxes differ with {setting}"
        assert other["rows"] == base["rows"], f"{name}: rows differ with {setting}"
