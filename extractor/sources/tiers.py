"""Tier numerals measured on the page image, where Tesseract cannot read them.

In the Gothic fonts of fee documents Ⅰ Ⅱ Ⅲ are one, two or three plain vertical bars.
Tesseract reads them as 1, |, l, ll, II], or as a kanji (中 山 吊), or drops them. The
bars themselves are easy to measure: a connected component of ink that is tall, thin and
solid (a digit 1 has a flag and fails the test). A run of one to three bars of the same
height, side by side, is a numeral of that many strokes.

A run replaces the reading of the OCR word it lies in only when that word holds nothing
but characters a bar is mistaken for (and brackets); a run in no word, right after a
word that ends a label (a kanji), is appended to it. Every change is a correction
recorded with the word as Tesseract read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

from ..model import Applied

NUMERALS = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ"}
# what Tesseract reads Ⅰ Ⅱ Ⅲ as (never a character that could be part of a label's words)
CONFUSABLE = set("|lIi1!][ⅠⅡⅢ中山吊皿")
BRACKETS = set("()（）")
_LABEL_END = re.compile(r"[\p{Han}\p{Katakana}]$")


@dataclass(frozen=True)
class Run:
    x0: int
    top: int
    x1: int
    bottom: int
    strokes: int


def bars(ink) -> list[tuple[int, int, int, int]]:
    """Solid vertical strokes (x, y, w, h) in a 0/1 ink array."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    out = []
    for x, y, w, h, area in stats[1:n].tolist():
        if h >= 12 and h >= 3.5 * w and area >= 0.75 * w * h:
            out.append((x, y, w, h))
    return out


def runs(strokes: list[tuple[int, int, int, int]]) -> list[Run]:
    """Bars of one height side by side (gap under one bar height), one to three of them."""
    out: list[Run] = []
    todo = sorted(strokes)
    used = [False] * len(todo)
    for i, (x, y, w, h) in enumerate(todo):
        if used[i]:
            continue
        group, right = [(x, y, w, h)], x + w
        used[i] = True
        for j in range(i + 1, len(todo)):
            x2, y2, w2, h2 = todo[j]
            if x2 - right > h:
                break
            if not used[j] and abs(h2 - h) <= 0.2 * h and abs(y2 - y) <= 0.2 * h and x2 - right >= 1:
                group.append(todo[j])
                used[j] = True
                right = x2 + w2
        if len(group) <= 3:
            out.append(Run(x, min(g[1] for g in group), right, max(g[1] + g[3] for g in group), len(group)))
    return out


def _reading(text: str) -> tuple[str, str, str] | None:
    """(leading brackets, what stands for the numeral, trailing brackets) when the word
    holds nothing else."""
    m = re.fullmatch(r"([()（）]*)(.*?)([()（）]*)", text)
    lead, core, trail = m.groups()
    if not set(core) <= CONFUSABLE:
        return None
    return lead, core, trail


def measure(img, data: dict) -> list[Applied]:
    """Rewrite, in Tesseract's word data, the tier numerals the bars show. Returns the
    corrections (word index in ``line``)."""
    import numpy as np

    ink = (np.asarray(img) < 128).astype("uint8")
    words = [i for i, t in enumerate(data["text"]) if t.strip() and float(data["conf"][i]) >= 0]
    fixes: list[Applied] = []
    for run in runs(bars(ink)):
        mid = (run.top + run.bottom) / 2
        h = run.bottom - run.top
        same_line = [i for i in words if data["top"][i] <= mid <= data["top"][i] + data["height"][i]]
        inside = [i for i in same_line if data["left"][i] < run.x1 and run.x0 < data["left"][i] + data["width"][i]]
        numeral = NUMERALS[run.strokes]
        if len(inside) == 1:
            i = inside[0]
            parts = _reading(data["text"][i])
            if parts is None:
                continue
            new = parts[0] + numeral + parts[2]
        elif not inside:
            before = [i for i in same_line if data["left"][i] + data["width"][i] <= run.x0]
            if not before:
                continue
            i = max(before, key=lambda k: data["left"][k] + data["width"][k])
            if run.x0 - (data["left"][i] + data["width"][i]) > h or not _LABEL_END.search(data["text"][i]):
                continue
            new = data["text"][i] + numeral
        else:
            continue
        if new != data["text"][i]:
            fixes.append(Applied(rule="ocr:tier-strokes", printed=data["text"][i], read=new, line=i))
            data["text"][i] = new
    return fixes
