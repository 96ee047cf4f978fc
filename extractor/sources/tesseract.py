"""Scanned pages: OCR with Tesseract's Japanese model (the `ocr` extra and Debian's
tesseract-ocr-jpn), into the same positioned lines as the text layer.

Each page is rendered at 300 dpi, cleaned (median filter, binarized) and read with
page segmentation mode 6 (a uniform block of text, which suits fee tables). Words are
grouped into Tesseract's lines; a column gap becomes a tab. Every line carries the
lowest confidence of its words, and boxes are in PDF points from the top-left.

OCR-only rules, recorded as corrections: a thousands separator read as '.' or ',.'
(1.086, 12,.000) is a comma where three digits follow; digits themselves are never
changed.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from functools import lru_cache
from statistics import median

import regex as re

from ..model import Applied
from ..ocr import correct, lexicon
from . import grid, kana, tiers
from .base import BadInput, Line

DPI = 300
THRESHOLD = 170
MAX_PIXELS = 40_000_000  # an A3 page at 300 dpi is 17 M; a larger page is rendered coarser
CELL_GAP = 3.0  # × line height (Tesseract word boxes of Japanese are loose: a gap under three heights is inside a cell)

_SEPARATOR = re.compile(r"(?<![\d.,])(\d{1,3})(?:[.,]\s*[.,]|\.)\s?(\d{3})(?![\d.])")


def available() -> str | None:
    """None when OCR can run, else what is missing (one phrase). TARIFF_OCR=0 turns it off."""
    import os

    if os.environ.get("TARIFF_OCR") == "0":
        return "OCR, which TARIFF_OCR=0 turned off (unset it)"
    return _installed()


@lru_cache(maxsize=1)
def _installed() -> str | None:
    """What of Tesseract is missing; asked once per process (it runs a subprocess)."""
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return "the Python package pytesseract (pip install 'tariff[ocr]')"
    if shutil.which("tesseract") is None:
        return "the tesseract program (Debian: apt-get install tesseract-ocr tesseract-ocr-jpn)"
    import pytesseract

    try:
        if "jpn" not in pytesseract.get_languages(config=""):
            return "Tesseract's Japanese model (Debian: apt-get install tesseract-ocr-jpn)"
    except Exception:  # noqa: BLE001 - a broken install is reported as missing
        return "a working tesseract (Debian: apt-get install tesseract-ocr tesseract-ocr-jpn)"
    return None


def thousands(text: str) -> tuple[str, list[Applied]]:
    fired: list[Applied] = []

    def fix(m):
        new = f"{m.group(1)},{m.group(2)}"
        if new != m.group(0):
            fired.append(Applied(rule="ocr:thousands-separator", printed=m.group(0), read=new))
        return new

    return _SEPARATOR.sub(fix, text), fired


def _image(page):
    from PIL import ImageFilter

    w, h = page.get_size()
    scale = min(DPI / 72, (MAX_PIXELS / max(w * h, 1)) ** 0.5)  # never a decompression bomb
    img = page.render(scale=scale).to_pil().convert("L")
    img = img.filter(ImageFilter.MedianFilter(3))
    return img.point(lambda v: 255 if v > THRESHOLD else 0)


def ocr_page(page, path: str, pno: int) -> list[Line]:
    """Lines of one scanned page, with boxes and confidences."""
    import pytesseract

    img, rules = grid.find(_image(page))
    w, _ = page.get_size()
    try:
        data = pytesseract.image_to_data(img, lang="jpn", config="--psm 6", output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as e:
        raise BadInput(path, f"OCR failed on page {pno} ({e})", "check the Tesseract install") from None
    measured = {c.line: c for c in tiers.measure(img, data)}
    groups: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= 0:
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    scale = w / img.width  # pixels back to points, whatever resolution the page got
    lines: list[tuple[float, Line]] = []
    for idx in groups.values():
        idx.sort(key=lambda i: data["left"][i])
        h = median(data["height"][i] for i in idx) or 1
        gaps = [data["left"][i] - (data["left"][prev] + data["width"][prev]) for prev, i in zip(idx, idx[1:])]
        cuts = [gap > CELL_GAP * h or grid.between(rules, data["left"][prev] + data["width"][prev] // 2,
                                                    data["left"][i] + data["width"][i] // 2,
                                                    data["top"][i], data["top"][i] + data["height"][i])
                for gap, prev, i in zip(gaps, idx, idx[1:])]
        cell = next((k for k, cut in enumerate(cuts) if cut), len(idx) - 1)
        label_end = data["left"][idx[cell]] + data["width"][idx[cell]]
        reread = {c.line: c for c in kana.reread(img, data, idx, label_end)}
        text = ""
        for k, i in enumerate(idx):
            word = data["text"][i]
            if not word:
                continue  # folded into the word before by a second reading
            if text and cuts[k - 1]:
                text += "\t"
            elif (text[-1:].isascii() and text[-1:].isalnum()) and (word[:1].isascii() and word[:1].isalnum()):
                text += " "
            text += word
        x0 = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        x1 = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        box = [Decimal(str(round(v * scale, 2))) for v in (x0, top, x1, bottom)]
        text, fixed = thousands(text)
        text, lexical = correct(text, ocr=True, entries=tuple(e for e in lexicon() if e.ocr_only))
        line = Line.of(text, None, pno, box)
        line.corrections = [x[i] for i in idx for x in (measured, reread) if i in x] + fixed + lexical + line.corrections
        line.confidence = round(min(float(data["conf"][i]) for i in idx) / 100, 2)
        lines.append((top, line))
    lines.sort(key=lambda t: (t[0], t[1].bbox[0]))
    out = []
    for k, (_, line) in enumerate(lines, start=1):
        line.number = k
        for c in line.corrections:
            c.line = k
        out.append(line)
    return out
