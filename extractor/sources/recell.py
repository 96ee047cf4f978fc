"""Cells of words Tesseract was unsure of, read again alone.

Tesseract reads a fee table's page as one block (psm 6), and there a label beside a
shaded band, a rule or a wide gap now and then comes back as kanji that look alike and
mean nothing ('表事電' for 家事援助, '紫急時' for 緊急時), with a low confidence. Read
again alone, as one line (psm 7) from a crop of the cell, the same ink reads right far
more often. A second reading replaces the words of the cell only when it is surer (its
mean word confidence higher by REREAD_MARGIN) and it keeps every digit of the first in
order: a name's kanji may change, a number never. Each replacement is a correction
recorded with what was read first.
"""

from __future__ import annotations

from statistics import median

import regex as re

from ..model import Applied

REREAD_BELOW = 60  # a cell with a word less sure than this is read again
REREAD_MARGIN = 10  # the second reading's mean confidence must beat the first's by this
CELL_BREAK = 1.2  # × letter height: a gap between word boxes this wide ends a cell (for cropping only)
KEEP_LETTERS = 0.7  # a second reading with fewer letters than this share of the first's dropped ink: refused

_LETTER = re.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}]")
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def digits(text: str) -> str:
    """The digits of a text in order (full-width folded): what a second reading must keep."""
    return "".join(ch for ch in text.translate(_DIGITS) if ch.isascii() and ch.isdigit())


def cells(data: dict, rules: list, img=None) -> list[list[int]]:
    """Word indices of each cell of each printed line: runs of words no wide gap between
    their boxes, no ruling line and (given the page ``img``) no blank run of the page
    across the line divides, as the line reader cuts cells: a cell read again never
    takes in its neighbour."""
    from . import grid
    from .tesseract import INK_GAP, _band_gaps, _ink, _letter, rows

    ink = _ink(img) if img is not None else None
    out = []
    for idx in rows(data).values():
        idx = sorted(idx, key=lambda i: data["left"][i])
        h = _letter(data, idx)
        ink_h, blank = _band_gaps(ink, data, idx, float("inf")) if ink is not None else (h, [])
        run = [idx[0]]
        for prev, i in zip(idx, idx[1:]):
            right = data["left"][prev] + data["width"][prev]
            if data["left"][i] - right > CELL_BREAK * h or grid.between(
                    rules, data["left"][prev] + data["width"][prev] // 2, data["left"][i] + 1,
                    data["top"][i], data["top"][i] + data["height"][i]) or any(
                    b - a > INK_GAP * ink_h and data["left"][prev] <= (a + b) / 2 <= data["left"][i] for a, b in blank):
                out.append(run)
                run = []
            run.append(i)
        out.append(run)
    return out


def unsure(data: dict, run: list[int]) -> bool:
    """A cell worth a second look: it holds letters and a word read with low confidence,
    and it is not already a word the tool knows (a column's name, a known fee name: read
    right, whatever Tesseract's confidence, and a second reading may only spoil it)."""
    text = "".join(data["text"][i] for i in run)
    return (len(_LETTER.findall(text)) >= 2 and min(float(data["conf"][i]) for i in run) < REREAD_BELOW
            and not known(text))


def known(text: str) -> bool:
    """The cell is a column's name ('1割負担', '負担額', '(単位)') or a fee name the tool knows
    ('居宅介護支援費'), brackets and marks aside."""
    from ..ocr import known_names
    from ..reading.columns import header_role

    core = re.sub(r"[^\p{Han}\p{Katakana}\p{Hiragana}\dー]", "", text)
    role = header_role(core)
    return core in known_names() or bool(role) and len(role[1]) >= len(core) - 2


def accept(old: str, old_confs: list[float], new: str, new_confs: list[float]) -> bool:
    """Take the second reading: surer by REREAD_MARGIN, the same digits in the same order,
    and not much shorter in letters (a reading that dropped ink is no better)."""
    if not new.strip() or not new_confs:
        return False
    if digits(new) != digits(old):
        return False
    if len(_LETTER.findall(new)) < KEEP_LETTERS * len(_LETTER.findall(old)):
        return False
    return sum(new_confs) / len(new_confs) >= sum(old_confs) / len(old_confs) + REREAD_MARGIN


def reread(img, data: dict, rules: list) -> list[Applied]:
    """Read again, alone, each cell whose words Tesseract was unsure of (``unsure``), and
    rewrite ``data`` where the second reading is taken (``accept``): the cell's words are
    emptied and the new ones added where they stand. Returns the corrections, each with
    the index of the first new word with a letter as its ``line`` (as the line reader takes them)."""
    from PIL import ImageOps

    from . import tesseract

    jobs = []
    for run in cells(data, rules, img):
        if not unsure(data, run):
            continue
        h = median(data["height"][i] for i in run) or 1
        mid = median(data["top"][i] + data["height"][i] / 2 for i in run)
        pad = max(2, int(0.15 * h))
        x0 = max(0, min(data["left"][i] for i in run) - pad)
        x1 = min(img.width, max(data["left"][i] + data["width"][i] for i in run) + pad)
        top, bottom = max(0, int(mid - 0.5 * h) - pad), min(img.height, int(mid + 0.5 * h) + pad)
        if x1 - x0 < 4 or bottom - top < 4:
            continue
        jobs.append((run, x0, top, img.crop((x0, top, x1, bottom))))
    if not jobs:
        return []
    got = tesseract.read_apart([ImageOps.expand(j[3], 20, fill=255) for j in jobs], psm=7)
    fixes: list[Applied] = []
    for n, ((run, x0, top, _), new) in enumerate(zip(jobs, got)):
        keep = [k for k, w in enumerate(new["text"]) if w.strip() and float(new["conf"][k]) >= 0]
        old = "".join(data["text"][i] for i in run)
        read = "".join(new["text"][k] for k in keep)
        if read == old or not accept(old, [float(data["conf"][i]) for i in run], read, [float(new["conf"][k]) for k in keep]):
            continue  # the same text: the first reading's boxes, which cut the cells, stay
        first = len(data["text"]) + next((n for n, k in enumerate(keep) if _LETTER.search(new["text"][k])), 0)
        for i in run:
            data["text"][i] = ""
        for k in keep:
            for f in tesseract.FIELDS:
                v = new[f][k]
                if f == "left":
                    v = v - 20 + x0
                elif f == "top":
                    v = v - 20 + top
                elif f == "block_num":
                    v = 3_000_000 + n
                data[f].append(v)
        fixes.append(Applied(rule="ocr:cell-reread", printed=old, read=read, line=first))
    return fixes
