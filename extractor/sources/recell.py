"""Cells of words Tesseract was unsure of, read again alone.

Tesseract reads a fee table's page as one block (psm 6), and there a label beside a
shaded band, a rule or a wide gap now and then comes back as kanji that look alike and
mean nothing ('表事電' for 家事援助, '紫急時' for 緊急時), with a low confidence. Read
again alone, as one line (psm 7) from a crop of the cell, the same ink reads right far
more often. A second reading replaces the words of the cell only when it is surer (its
mean word confidence higher by REREAD_MARGIN), it keeps every number of the first in
order and it has no fewer letters: a name's kanji may change, a number never. Each replacement is a correction
recorded with what was read first.
"""

from __future__ import annotations

from statistics import median

import regex as re

from ..model import Applied

REREAD_BELOW = 60  # a cell with a word less sure than this is read again
REREAD_MARGIN = 10  # the second reading's mean confidence must beat the first's by this
CELL_BREAK = 1.2  # × letter height: a gap between word boxes this wide ends a cell (for cropping only)

_LETTER = re.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}]")
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")



def _box(data: dict, run: list[int], img, half: float) -> tuple[int, int, int, int] | None:
    """The crop around words ``run`` of one cell: their extent across, ``half`` a median word
    height above and below their middle, and a margin of 0.15 of that height; None when it
    is too small to read."""
    h = median(data["height"][i] for i in run) or 1
    mid = median(data["top"][i] + data["height"][i] / 2 for i in run)
    pad = max(2, int(0.15 * h))
    x0 = max(0, min(data["left"][i] for i in run) - pad)
    x1 = min(img.width, max(data["left"][i] + data["width"][i] for i in run) + pad)
    top, bottom = max(0, int(mid - half * h) - pad), min(img.height, int(mid + half * h) + pad)
    return None if x1 - x0 < 4 or bottom - top < 4 else (x0, top, x1, bottom)

def digits(text: str) -> str:
    """The digits of a text in order (full-width folded)."""
    return "".join(ch for ch in text.translate(_DIGITS) if ch.isascii() and ch.isdigit())


def numbers(text: str) -> list[str]:
    """The numbers of a text in order, separators inside them aside: what a second reading
    of a label must keep ('要介護2' and '673単位' are two numbers, never '2673')."""
    return re.findall(r"\d+", re.sub(r"(?<=\d)[,.，．、](?=\d)", "", text.translate(_DIGITS)))


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


def kept(old: list[str], new: list[str]) -> bool:
    """The second reading keeps the first's digits in order and every break between its
    numbers: it may split a number the first ran together ('要介護35' read again '要介護3~5'),
    never run two together ('要介護2' '673単位' as '2673')."""
    def breaks(nums: list[str]) -> set[int]:
        out, at = set(), 0
        for n in nums:
            at += len(n)
            out.add(at)
        return out

    return "".join(old) == "".join(new) and breaks(old) <= breaks(new)


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
    """Take the second reading: surer by REREAD_MARGIN, the same numbers in the same order,
    and no fewer letters (a reading that dropped ink is no better)."""
    if not new.strip() or not new_confs:
        return False
    if not kept(numbers(old), numbers(new)):
        return False
    if len(_LETTER.findall(new)) < len(_LETTER.findall(old)):
        return False  # a reading with fewer letters dropped ink ('利用者負担限額' for 利用者負担上限額)
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
        if (box := _box(data, run, img, 0.5)) is None:
            continue
        x0, top = box[0], box[1]
        jobs.append((run, x0, top, img.crop(box)))
    if not jobs:
        return []
    got = tesseract.read_apart([ImageOps.expand(j[3], tesseract.CROP_MARGIN, fill=255) for j in jobs], psm=7)
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
        tesseract.add_words(data, new, keep, x0, top, 3_000_000 + n)
        fixes.append(Applied(rule="ocr:cell-reread", printed=old, read=read, line=first))
    return fixes


# an amount cell as read: at most one mark for the yen sign before it, digits, separators and
# letters OCR makes of digits (O for 0, l I | for 1), 円 after it
_AMOUNTISH = re.compile(r"^[^\d\s]{0,2}[\d,.，．\sOoIl|i]+円?$")
_CLEAN = re.compile(r"^[¥\\]?(\d{1,3}(?:,\d{3})+|\d+)円?$")
_VALUE = re.compile(r"^[^\d\p{L}]{0,2}(\d{1,3}(?:,\d{3})+|\d+)(?:円|単位)?$")  # a mark or two before it: the sign, a speck
WHITELIST = ("-c", "tessedit_char_whitelist=0123456789,¥円")


def malformed(text: str) -> bool:
    """An amount cell whose reading is no amount ('16, 0O85円', '1,2027', '\\\\*1926', 'w1i92'):
    two digits or more among marks and letters OCR makes of digits, not one clean number."""
    from .tesseract import thousands

    t = thousands(text.strip())[0]  # a separator the line reader repairs ('8.287', '2,.762') is no misreading
    return len(digits(t)) >= 2 and bool(_AMOUNTISH.match(t)) and not _CLEAN.match(t)


def amount(text: str) -> int | None:
    """The amount a second reading gives, when it is one clean number (a yen sign before
    it, 円 after it)."""
    m = _CLEAN.match(text.replace(" ", ""))
    return int(m.group(1).replace(",", "")) if m else None


def near(old: str, new: str) -> bool:
    """The second reading's digits are the first's, or one digit more, fewer or other
    ('1,2027' read again '1,202'; '16, 0O85' read again '16,085'): a second look at the
    same ink, not another number."""
    if abs(len(old) - len(new)) > 1:
        return False
    prev = list(range(len(new) + 1))
    for a in old:
        cur = [prev[0] + 1]
        for j, b in enumerate(new, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b)))
        prev = cur
    return prev[-1] <= 1


def proved(value: int, others: list[int]) -> str | None:
    """How the line's other numbers, as first read, prove ``value``: floor(units × 単価) at
    a 1単位の単価 of the price table (either way round), a user's share of a fee or a fee
    of a share (1, 2 or 3割, as 介護 prints it, total − floor(total × (10 − n)/10), or by
    障害's rule, floor(total × n/10)), the benefit of a fee (7, 8 or 9割), or the same amount printed again on the line (a 10割 fee paid
    in full). None when nothing on the line proves it."""
    from ..prices import floor_yen, prices_for

    prices = prices_for(None)
    for o in others:
        if o < 10:
            continue
        if o == value and value >= 100:
            return f"equal to {o}"
        for p in prices:
            if floor_yen(o, p) == value:
                return f"floor({o} × {p})"
            if floor_yen(value, p) == o:
                return f"floor({value} × {p}) = {o}"
        for n in (1, 2, 3, 7, 8, 9):
            # a share as 介護 prints it (the fee less the benefit) or as 障害's rule (floor(fee × n/10)), either way round
            shares = {(o * n) // 10, o - (o * (10 - n)) // 10}
            back = {(value * n) // 10, value - (value * (10 - n)) // 10}
            if value in shares or o in back:
                return f"{n}割 of {max(o, value)}"
    return None


def reread_numbers(img, data: dict, rules: list) -> list[Applied]:
    """Read again, alone, each amount cell whose reading is no amount (``malformed``): as
    one line, and as one line of digits only (a whitelist). A second reading is taken
    only when it is one clean amount that the line's other amounts and units prove
    (``proved``), its digits the first's (the marks, letters and separators around them
    misread), or one digit off (``near``) only where the same amount stands on the line,
    and no other reading proved gives another amount: arithmetic chooses between what OCR
    read, it never makes a digit. Otherwise the cell stays as read (and
    its amount lost, reported by the reader's net). Returns the corrections, each with
    the index of the new word as its ``line``."""
    from PIL import ImageOps

    from . import tesseract
    from .tesseract import rows

    line_of = {}
    for g, idx in rows(data).items():
        for i in idx:
            line_of[i] = g
    by_line: dict = {}
    for run in cells(data, rules, img):
        by_line.setdefault(line_of.get(run[0]), []).append(run)
    jobs = []
    for runs in by_line.values():
        texts = ["".join(data["text"][i] for i in run) for run in runs]
        for k, run in enumerate(runs):
            if not malformed(texts[k]):
                continue
            # the line's amounts and units as first read (never a time, a count or a level: '30分', '要介護3')
            others = [int(m.group(1).replace(",", "")) for j, t in enumerate(texts) if j != k
                      and (m := _VALUE.match(t.replace(" ", ""))) and int(m.group(1).replace(",", "")) >= 10]
            if not others:
                continue
            if (box := _box(data, run, img, 0.6)) is None:
                continue
            crop = ImageOps.expand(img.crop(box), tesseract.CROP_MARGIN, fill=255)
            jobs.append((run, texts[k], others, box[0], box[1], crop))
    if not jobs:
        return []
    crops = [j[5] for j in jobs]
    readings = list(zip(tesseract.read_apart(crops, psm=7), tesseract.read_apart(crops, psm=7, options=WHITELIST)))
    fixes: list[Applied] = []
    for n, ((run, old, others, x0, top, _), pair) in enumerate(zip(jobs, readings)):
        found = []
        for new in pair:
            keep = [k for k, w in enumerate(new["text"]) if w.strip() and float(new["conf"][k]) >= 0]
            read = "".join(new["text"][k] for k in keep)
            value = amount(read)
            if value is not None and value >= 10 and near(digits(old), digits(read)):
                why = proved(value, others)
                # a digit other than first read only when the same amount stands on the line: a share or a
                # product at one of the table's prices holds for several amounts, and would prove a misread too
                if why and (digits(old) == digits(read) or why.startswith("equal")):
                    found.append((value, why, new, keep, read))
        chosen = found
        if len({f[0] for f in chosen}) != 1:
            continue  # nothing the line proves, or two readings it proves both: the cell stays as read
        value, why, new, keep, read = chosen[0]
        first = len(data["text"])
        for i in run:
            data["text"][i] = ""
        # one word, the amount as read again: its words joined, so that no space splits the number ('8' '287')
        left = min(new["left"][k] for k in keep)
        right = max(new["left"][k] + new["width"][k] for k in keep)
        k = keep[0]
        for f in tesseract.FIELDS:
            v = {"left": left - tesseract.CROP_MARGIN + x0, "width": right - left,
                 "top": new["top"][k] - tesseract.CROP_MARGIN + top, "block_num": 4_000_000 + n, "conf": min(new["conf"][j] for j in keep), "text": read}.get(f, new[f][k])
            data[f].append(v)
        fixes.append(Applied(rule="ocr:number-reread", printed=old, read=f"{read} ({why})", line=first))
    return fixes
