"""Tier numerals measured on the page image, where Tesseract cannot read them.

In the Gothic fonts of fee documents Ⅰ Ⅱ Ⅲ are one, two or three plain vertical bars.
Tesseract reads them as 1, |, l, ll, II], or as a kanji (中 山 吊), or drops them. The
bars themselves are easy to measure: a connected component of ink that is tall, thin and
solid (a digit 1 has a flag and fails the test). A run of one to three bars of the same
height, side by side, standing apart from the ink before it (the 丨 of 引 and the 刂 of
利 or 制 are bars too, but close to the rest of their character), is a numeral of that
many strokes.

A run replaces the reading of the OCR word it lies in only when that word holds nothing
but characters a bar is mistaken for (and brackets), when the word's box is the run's
(昌 or 遇 where Ⅱ or Ⅲ is printed), or when it stands over the last one
or two characters of a word that begins with a label (支援費昌 for 支援費Ⅱ: no digit is
ever replaced); a run in no word, right after a word that ends a label (a kanji), is
appended to it. Its bars must be of the word's
letter height: a table rule left in the image is taller than the text beside it. Every change is a correction
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
_LABEL_END = re.compile(r"(?<!\d\s*)(?<!単)(?!円)[\p{Han}\p{Katakana}]$")  # not an amount's 円 or 単位: a tier follows a label


@dataclass(frozen=True)
class Run:
    x0: int
    top: int
    x1: int
    bottom: int
    strokes: int


def components(ink) -> list[tuple[int, int, int, int, int]]:
    """Connected components of ink (x, y, w, h, area) in a 0/1 ink array."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return [tuple(s) for s in stats[1:n].tolist()]


def bars(ink, comps=None) -> list[tuple[int, int, int, int]]:
    """Solid vertical strokes (x, y, w, h) in a 0/1 ink array."""
    return [(x, y, w, h) for x, y, w, h, area in (comps if comps is not None else components(ink))
            if h >= 12 and h >= 3.5 * w and area >= 0.75 * w * h]


SPACED = 0.28  # × bar height: a numeral's bars stand apart from the ink before them; 丨 of 引, 刂 of 利 do not


def _apart(run: Run, comps) -> bool:
    """No ink closer than SPACED bar heights to the left of the run, on its line, and no
    letter's ink around it."""
    h = run.bottom - run.top
    for x, y, w, hh, _ in comps:
        right = x + w
        if right <= run.x0 and y < run.bottom and y + hh > run.top and run.x0 - right < SPACED * h:
            return False
        if x < run.x0 and run.x1 < right and y <= run.top and run.bottom <= y + hh:
            return False  # inside another letter's box, top to bottom: that letter's stroke (the 丨 of 介 cut off by a thin scan)
    return True


def _dotted(run: Run, comps) -> bool:
    """A dot stands just over the run (the stems of i, ii, iii): a small speck of ink
    within half the run's height above it, over its width."""
    h = run.bottom - run.top
    return any(y + hh <= run.top and run.top - (y + hh) <= 0.5 * h and hh <= 0.4 * h and w <= 0.4 * h
               and x < run.x1 and run.x0 < x + w for x, y, w, hh, _ in comps)


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
    holds nothing else. A digit 1 counts only beside a bracket: '(1' is how Tesseract
    reads '(Ⅰ', while a bare 1 may be a number."""
    lead, core, trail = _brackets(text)
    if not set(core) <= CONFUSABLE or ("1" in core and not (lead or trail)):
        return None
    return lead, core, trail


def _brackets(text: str) -> tuple[str, str, str]:
    return re.fullmatch(r"([()（）]*)(.*?)([()（）]*)", text).groups()


def _tail(text: str, left: int, width: int, run: Run) -> tuple[str, str] | None:
    """(label, misread tail) when the run of bars stands over the last one or two
    characters of a word that begins with a label ('支援費昌' for 支援費Ⅱ): the tail holds
    no digit, and the label ends in a kanji, katakana or bracket."""
    if not text or run.x0 <= left + 0.3 * width:
        return None
    at = max(1, min(len(text) - 1, round((run.x0 - left) / (width / len(text)))))
    label, tail = text[:at], text[at:]
    if len(tail) > 2 or re.search(r"\d", tail) or not re.search(r"[\p{Han}\p{Katakana})）]$", label):
        return None
    return label, tail


def _head(text: str, left: int, width: int, run: Run, comps) -> tuple[str, str] | None:
    """(bracket before, the rest) when the run of bars stands at the start of a word read as
    a numeral in brackets and more ('(1)(i)' for (Ⅰ)(i)), the ink right of the bars a bracket."""
    m = re.fullmatch(r"([(（]?)([|lIi1!\]]{1,3})([)）].*)", text)
    h = run.bottom - run.top
    if not m or not _bracket_next(run, comps) or run.x0 > left + width / 2 or any(
            left <= x and x + w <= run.x0 and y < run.bottom and y + hh > run.top and hh >= 0.4 * h for x, y, w, hh, _ in comps):
        return None  # ink of the word's own before the bars: they are not its start
    return m.group(1), m.group(3)


def _bracket_next(run: Run, comps) -> bool:
    """The first ink right of the run, on its line, is a bracket: taller than the bars (a
    digit 1 is of their height), so that what Tesseract read after the bars is no digit."""
    h = run.bottom - run.top
    right = sorted((x, hh) for x, y, w, hh, _ in comps if x >= run.x1 and y < run.bottom and y + hh > run.top and hh >= 0.4 * h)
    return bool(right) and right[0][1] >= 1.15 * h and right[0][0] - run.x1 <= h


def _bracketed(run: Run, comps) -> bool:
    """The bars stand just before a closing bracket of their letter height (a bracket is
    taller than the letters, by under 1.6 times): their height is the text's, whatever
    the box of a word read again alone (as tall as the strip it was read in) says."""
    h = run.bottom - run.top
    right = sorted((x, hh) for x, y, w, hh, _ in comps if x >= run.x1 and y < run.bottom and y + hh > run.top and hh >= 0.4 * h)
    return bool(right) and 1.15 * h <= right[0][1] <= 1.6 * h and right[0][0] - run.x1 <= h


def _between_brackets(data: dict, line: list[int], i: int) -> bool:
    """The word stands alone between an opening bracket and its close, each a word of its own
    ('(' '員' ')'): what is printed there is the bracket's content, a tier."""
    order = sorted(line, key=lambda k: data["left"][k])
    at = order.index(i)
    return (0 < at < len(order) - 1 and data["text"][order[at - 1]].endswith(("(", "（"))
            and data["text"][order[at + 1]].startswith((")", "）")))


def measure(img, data: dict) -> list[Applied]:
    """Rewrite, in Tesseract's word data, the tier numerals the bars show. Returns the
    corrections (word index in ``line``)."""
    import numpy as np

    ink = (np.asarray(img) < 128).astype("uint8")
    words = [i for i, t in enumerate(data["text"]) if t.strip() and float(data["conf"][i]) >= 0]
    fixes: list[Applied] = []
    comps = components(ink)
    for run in runs(bars(ink, comps)):
        if not _apart(run, comps):
            continue  # a stroke of a kanji (引, 利, 制), not a numeral
        if _dotted(run, comps):
            continue  # the stems of a small roman (i), (ii): a numeral's bars have no dot over them
        mid = (run.top + run.bottom) / 2
        h = run.bottom - run.top
        same_line = [i for i in words if data["top"][i] <= mid <= data["top"][i] + data["height"][i]]
        inside = [i for i in same_line if data["left"][i] < run.x1 and run.x0 < data["left"][i] + data["width"][i]]
        if len(inside) > 1:  # a bracket's box runs over the numeral beside it ('(' '山' ')'): the bars are the other word's
            inside = [i for i in inside if not set(data["text"][i]) <= BRACKETS] or inside
        if len(inside) > 1:  # a label's box runs wide over the bars after it ('加算' over '(吊)'): the word the bars'
            # own box holds is their reading, when one word alone lies within them
            held = [i for i in inside if run.x0 - 0.3 * h <= data["left"][i]
                    and data["left"][i] + data["width"][i] <= run.x1 + 0.3 * h]
            inside = held if len(held) == 1 else inside
        numeral = NUMERALS[run.strokes]
        if len(inside) == 1:
            i = inside[0]
            text, left, right = data["text"][i], data["left"][i], data["left"][i] + data["width"][i]
            parts = _reading(text)
            # a word that is nothing but the bars, whatever Tesseract made of them ('昌', '遇')
            lead, core, trail = _brackets(text)
            covered = not re.search(r"\d", text) and (
                run.x0 - 0.3 * h <= left and right <= run.x1 + 0.3 * h
                or bool(lead and trail) and 1 <= len(core) <= 2  # '(川)' where (Ⅲ) is printed
                or 1 <= len(core) <= 2 and _between_brackets(data, same_line, i))  # '(' '員' ')'
            tail = None if parts or covered else _tail(text, left, data["width"][i], run)
            head = None if parts or covered or tail else _head(text, left, data["width"][i], run, comps)
            if parts or covered:
                new = lead + numeral + trail
            elif tail:
                new = tail[0] + numeral
            elif head:
                new = head[0] + numeral + head[1]
            else:
                continue
        elif not inside:
            before = [i for i in same_line if data["left"][i] + data["width"][i] <= run.x0]
            if not before:
                continue
            i = max(before, key=lambda k: data["left"][k] + data["width"][k])
            after = [k for k in same_line if data["left"][k] >= run.x1]
            j = min(after, key=lambda k: data["left"][k]) if after else None
            close = re.fullmatch(r"([|lIi1!\]]*)([)）].*)", data["text"][j]) if j is not None else None
            if (data["text"][i][-1:] in "(（" and close and close.group(1) and 0.5 * data["height"][i] <= h
                    and data["left"][j] - run.x1 <= h and _bracket_next(run, comps)):
                # the bars alone between a bracket and its close, whose reading Tesseract gave to the close
                # ('(' '1)' where (Ⅰ) is printed): the bracket holds the numeral, the close is the close
                fixes.append(Applied(rule="ocr:tier-strokes", printed=data["text"][i] + data["text"][j],
                                     read=data["text"][i] + numeral + close.group(2), line=i))
                data["text"][i] += numeral
                data["text"][j] = close.group(2)
                continue
            if run.x0 - (data["left"][i] + data["width"][i]) > h or not _LABEL_END.search(data["text"][i]):
                continue
            new = data["text"][i] + numeral
        else:
            continue
        if not (0.5 * data["height"][i] <= h or _bracketed(run, comps)) or h > 1.05 * data["height"][i]:
            continue  # not of the line's letter height: a rule, a stroke of something else
        if new != data["text"][i]:
            fixes.append(Applied(rule="ocr:tier-strokes", printed=data["text"][i], read=new, line=i))
            data["text"][i] = new
    return fixes


# what Tesseract reads a small roman (i) (ii) (iii) as: letters and marks of one or more stems, ⑪ for ii
_SMALL_CONFUSABLE = set("iIl1|!jⅰⅱⅲⅠⅡⅢ⑪⑫")
_GROUP = re.compile(r"[(（]([^()（）]*)[)）]")


def dotted_stems(ink, comps) -> list[Run]:
    """Runs of one to three stems with a dot over each (i, ii, iii), standing between two
    brackets taller than them: the sub-tier of a fee name ((Ⅰ)(ii))."""
    stems = [(x, y, w, h) for x, y, w, h in bars(ink, comps)]
    dots = [(x, y, w, h) for x, y, w, h, _ in comps if w <= 12 and h <= 12]  # specks; each is held to its stem below
    dotted = []
    for x, y, w, h in stems:
        if any(dy + dh <= y and y - (dy + dh) <= 0.5 * h and dw <= 0.4 * h and dh <= 0.4 * h
               and dx < x + w and x < dx + dw for dx, dy, dw, dh in dots):
            dotted.append((x, y, w, h))
    out = []
    for run in runs(dotted):
        h = run.bottom - run.top
        left = [(x + w, hh) for x, y, w, hh, _ in comps if x + w <= run.x0 and y < run.bottom and y + hh > run.top and hh >= 0.4 * h]
        right = [(x, hh) for x, y, w, hh, _ in comps if x >= run.x1 and y < run.bottom and y + hh > run.top and hh >= 0.4 * h]
        if not left or not right:
            continue
        lx, lh = max(left)
        rx, rh = min(right)
        # the ink either side is a bracket: taller than the stems (by the dot and more), and close
        if lh >= 1.3 * h and rh >= 1.3 * h and run.x0 - lx <= h and rx - run.x1 <= h:
            out.append(run)
    return out


def small_romans(img, data: dict) -> list[Applied]:
    """Rewrite, in Tesseract's word data, a small roman sub-tier in brackets that it misread
    ('(⑪)' or '(i)' where (ii) is printed, '()' where it dropped it) as the dotted stems
    measured between the brackets show. Only a bracket's content of stem-like letters (or
    none) is rewritten, never a kanji or another digit than 1. Returns the corrections
    (word index in ``line``)."""
    import numpy as np

    ink = (np.asarray(img) < 128).astype("uint8")
    comps = components(ink)
    words = [i for i, t in enumerate(data["text"]) if t.strip() and float(data["conf"][i]) >= 0]
    fixes: list[Applied] = []
    for run in dotted_stems(ink, comps):
        mid = (run.top + run.bottom) / 2
        inside = [i for i in words if data["top"][i] <= mid <= data["top"][i] + data["height"][i]
                  and data["left"][i] < run.x1 and run.x0 < data["left"][i] + data["width"][i]]
        if len(inside) != 1:
            continue
        i = inside[0]
        text, left, width = data["text"][i], data["left"][i], max(data["width"][i], 1)
        groups = list(_GROUP.finditer(text))
        if not groups:
            continue
        centre = (run.x0 + run.x1) / 2
        # the bracket group nearest the run, by where its characters stand in the word's box
        g = min(groups, key=lambda m: abs(left + width * (m.start() + m.end()) / 2 / len(text) - centre))
        want = "i" * run.strokes
        if g.group(1) == want or not set(g.group(1)) <= _SMALL_CONFUSABLE:
            continue
        new = text[: g.start(1)] + want + text[g.end(1):]
        fixes.append(Applied(rule="ocr:small-roman", printed=text, read=new, line=i))
        data["text"][i] = new
    return fixes
