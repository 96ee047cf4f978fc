"""Half-width katakana, read again at full width.

Facility leaflets print long katakana names in half-width forms (ﾀｰﾐﾅﾙｹｱﾏﾈｼﾞﾒﾝﾄ加算) to
fit a cell. Tesseract's Japanese model hardly knows those narrow glyphs and returns
low-confidence noise ('2-ミ7アイ"メト'). Stretched to twice their width they are the
ordinary katakana it reads well. So a run of label words with no kanji, that Tesseract
was unsure of and that is dense in narrow glyphs, is read a second time from crops
stretched 1.6× and 2× horizontally. The second reading is taken only when it is
confident, nothing but katakana, and the same at both stretches (or confident at one).

A half-width voicing mark (ﾞ) comes back as its own symbol ('~', '”'); it is joined to the
kana before it. Where the mark could be either ﾞ or ﾟ (the ハ row), or where the kana
takes none, the second reading is refused and the first stays, flagged by its
confidence. Digits are never produced here: a reading with a digit is refused.
"""

from __future__ import annotations

import unicodedata

import regex as re

from ..model import Applied

STRETCHES = (1.6, 2.0)  # both must agree (or one alone be confident)
UNSURE = 60  # a run whose mean word confidence is below this gets a second look
SURE = 80  # the second reading's lowest word confidence must reach this
NARROW = 1.4  # glyphs per line height: half-width text has about two, full-width one
_NOT_KANA_RUN = re.compile(r"[\p{Han}()（）ⅠⅡⅢⅣⅤ]")
_MARK = "~”\"゛"
_KATAKANA = re.compile(rf"[\p{{Katakana}}ー{re.escape(_MARK)}]+")


def _voice(text: str) -> str | None:
    """Join each voicing mark to the kana before it; None when a mark is ambiguous or
    lands where no voiced kana exists."""
    out = ""
    for ch in text:
        if ch not in _MARK:
            out += ch
            continue
        if not out:
            return None
        prev = out[-1]
        if unicodedata.decomposition(prev).endswith("3099"):  # already voiced by Tesseract
            continue
        if prev in "ハヒフヘホ":
            return None  # ﾞ or ﾟ: the stretched mark does not tell
        voiced = unicodedata.normalize("NFC", prev + "\u3099")
        if len(voiced) != 1:
            return None
        out = out[:-1] + voiced
    return out


def _runs(data: dict, line: list[int]) -> list[list[int]]:
    """Runs of adjacent words holding no kanji or tier, not all digits, that Tesseract was
    unsure of (their mean confidence). Hiragana may stand in them: misread narrow katakana often comes
    back as hiragana."""
    out, cur = [], []
    for i in line + [None]:
        if i is not None and not _NOT_KANA_RUN.search(data["text"][i]) and not re.search(r"\d{2,}", data["text"][i]):
            cur.append(i)
            continue
        # a run of nothing but digits ('30分' '2' '時間未満') is a number, not kana misread ('が-ミ' '7' 'アアネツメト' is)
        if cur and sum(float(data["conf"][k]) for k in cur) / len(cur) < UNSURE \
                and not all(re.fullmatch(r"\d+", data["text"][k].strip()) for k in cur):
            out.append(cur)
        cur = []
    return out


def _glyphs_per_height(img, box: tuple[int, int, int, int]) -> float:
    """How many glyphs (ink separated by blank columns) stand in one line height."""
    import numpy as np

    x0, top, x1, bottom = box
    ink = (np.asarray(img.crop(box)) < 128).any(axis=0)
    starts = int(ink[0]) + int(np.count_nonzero(ink[1:] & ~ink[:-1]))
    return starts * (bottom - top) / max(x1 - x0, 1)


def _accept(got: dict) -> str | None:
    """The second reading, when it is confident and nothing but katakana, its voicing
    marks joined; else None."""
    words = sorted((got["left"][k], w, float(c)) for k, (w, c) in enumerate(zip(got["text"], got["conf"])) if w.strip())
    kana = [c for _, w, c in words if not all(ch in _MARK for ch in w)]
    text = "".join(w for _, w, _ in words)
    if not kana or min(kana) < SURE or not _KATAKANA.fullmatch(text):
        return None
    return _voice(text)


def reread(img, data: dict, labels: list[list[int]]) -> list[Applied]:
    """Read the half-width runs of the lines' labels (each a list of word indices) again
    at full width; rewrite ``data`` where the second reading is taken. Each run is read
    alone (together they disturb each other's reading) at two stretches, on the
    machine's cores at once."""
    from PIL import Image, ImageOps

    from . import tesseract

    crops, runs = [], []
    for label in labels:
        for run in _runs(data, label):
            x0 = min(data["left"][i] for i in run)
            x1 = max(data["left"][i] + data["width"][i] for i in run)
            top = min(data["top"][i] for i in run)
            bottom = max(data["top"][i] + data["height"][i] for i in run)
            if _glyphs_per_height(img, (x0, top, x1, bottom)) < NARROW:
                continue  # full-width text: a second look would not read it better
            pad = (bottom - top) // 4
            crops.append(img.crop((x0 - 2, top - pad, x1 + 2, bottom + pad)))
            runs.append(run)
    if not crops:
        return []
    # each crop alone, as a single line (psm 7; a page of its own), at two stretches: read
    # together in one image, crops disturb each other, and one stretch alone now and then doubles a kana
    jobs = [(k, c.resize((int(c.width * f), c.height), Image.LANCZOS)) for k, c in enumerate(crops) for f in STRETCHES]
    got = tesseract.read_apart([ImageOps.expand(c, tesseract.CROP_MARGIN, fill=255) for _, c in jobs], psm=7)
    readings = [(k, _accept(words)) for (k, _), words in zip(jobs, got)]
    fixes = []
    for k, run in enumerate(runs):
        found = {read for n, read in readings if n == k and read}
        if len(found) != 1:
            continue  # nothing confident, or two stretches that disagree: the first reading stays
        read = found.pop()
        printed = "".join(data["text"][i] for i in run)
        fixes.append(Applied(rule="ocr:half-width-kana", printed=printed, read=read, line=run[0]))
        data["text"][run[0]] = read
        for i in run[1:]:
            data["text"][i] = ""
    return fixes
