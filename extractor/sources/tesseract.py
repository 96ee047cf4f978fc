"""Scanned pages: OCR with Tesseract's Japanese model (the `ocr` extra and Debian's
tesseract-ocr-jpn), into the same positioned lines as the text layer.

Each page is rendered at 300 dpi, deskewed (skew), cleaned (median filter, binarized),
its ruling lines found and painted out (grid.py), and read with page segmentation mode
6 (a uniform block of text, which suits fee tables), in bands read at once on the
machine's cores. Words are grouped into printed lines by where they stand (rows), not by
Tesseract's line numbers, and a printed line Tesseract spread over two of its lines is
read again alone; a rule between where two words begin, or a run of the page blank across
the line between them (INK_GAP letter heights; measured on the ink, since Tesseract's boxes
run wide), becomes a tab, as in the text layer, and digits of one number read as separate
words are joined. Every line carries the lowest confidence of its words, and
boxes are in PDF points from the top-left of the page as it is, not as deskewed.

What Tesseract cannot read is measured or read again, and recorded as corrections:
tier numerals counted as bars (tiers.py), half-width katakana read again stretched
(kana.py), headings one character off (ocr.repair_headers), pieces of painted-out rules,
a thousands separator read as '.', '、' or ',.' (1.086, 1、155, 12,.000) where three digits follow,
and the reviewed OCR-only entries of the lexicon; cells Tesseract was unsure of and
amounts it misread are read again alone (recell.py). No rule ever changes an amount's
digit: an amount is what Tesseract read, in its first reading or, where the line's
arithmetic chooses it, its second.

Tesseract is run directly (its TSV output), not through pytesseract, which imports
pandas: 0.7 s of start-up in every worker process.
"""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from itertools import combinations
from statistics import median

import regex as re

from ..model import Applied
from ..ocr import correct, lexicon, repair_headers
from . import grid, kana, recell, tiers
from .base import BadInput, Line

DPI = 300
THRESHOLD = 170
MAX_PIXELS = 40_000_000  # an A3 page at 300 dpi is 17 M; a larger page is rendered coarser
PARTS = max(1, min(os.cpu_count() or 1, 4))  # bands of a page read at once
CELL_GAP = 2.5  # × letter height: a column break between words (ink gaps are wider than the text layer's: bearings, brackets)
NUMBER_GAP = 1.5  # × letter height: a column break beside a number ('181円 361円'), as in the text layer (pdf.CELL_GAP)
SPACE_GAP = 1.0  # × line height: on a page without rules, a gap this wide inside a cell is a word space
INK_GAP = 1.2  # × letter height: a blank run of the image this wide between two words, across their line, is a column break
DIGITS_INK_GAP = 1.6  # × letter height: the same between a number's digits, which full-width digits space widely
SPECK = 3  # pixels of ink down a column of a line: fewer is a speck, not a stroke (a stroke across is 3 or more thick)

_SEPARATOR = re.compile(r"(?<![\d.,])(\d{1,3})(?:[.,、。]\s*[.,、。]|[.、。]|,(?=\s))\s?(\d{3})(?![\d.])")
_DECIMAL = re.compile(r"(?<=\d)\.\s+(?=\d+(?:円|%|％))")  # '10. 84円', '22. 4%': a point is never followed by a word space in a number


def available() -> str | None:
    """None when OCR can run, else what is missing (one phrase). TARIFF_OCR=0 turns it off."""
    if os.environ.get("TARIFF_OCR") == "0":
        return "OCR, which TARIFF_OCR=0 turned off (unset it)"
    return _installed()


@lru_cache(maxsize=1)
def _installed() -> str | None:
    """What of Tesseract is missing; asked once per process (it runs a subprocess)."""
    import subprocess

    try:
        import cv2  # noqa: F401
        import PIL  # noqa: F401
    except ImportError:
        return "the Python packages of the ocr extra (pip install 'tariff[ocr]')"
    if shutil.which("tesseract") is None:
        return "the tesseract program (Debian: apt-get install tesseract-ocr tesseract-ocr-jpn)"
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "a working tesseract (Debian: apt-get install tesseract-ocr tesseract-ocr-jpn)"
    if "jpn" not in out.split():
        return "Tesseract's Japanese model (Debian: apt-get install tesseract-ocr-jpn)"
    return None


def identity() -> str | None:
    """Which OCR this is, for the cache: None when OCR cannot run, else Tesseract's version
    and a hash of the Japanese model it loads (an upgrade of either may read differently)."""
    return None if available() is not None else _identity()


@lru_cache(maxsize=1)
def _identity() -> str:
    import hashlib
    import subprocess

    def out(*args: str) -> str:
        try:
            r = subprocess.run(["tesseract", *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return ""
        return r.stdout + r.stderr

    version = next(iter(out("--version").splitlines()), "tesseract ?")
    where = re.search(r'"([^"]+)"', out("--list-langs"))
    model = Path(where.group(1)) / "jpn.traineddata" if where else None
    try:
        digest = hashlib.sha256(model.read_bytes()).hexdigest()[:16] if model else "?"
    except OSError:
        digest = "?"
    return f"{version.strip()}; jpn {digest}"


class OcrFailed(Exception):
    pass


FIELDS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width", "height", "conf", "text")


def words(img, psm: int, parts: int = 1) -> dict[str, list]:
    """Tesseract's words of an image (its TSV output, column by column).

    With ``parts`` > 1 the image is cut at blank rows into that many bands, read by as
    many Tesseract processes at once, and the bands' words are put back in place (block
    numbers kept apart). Tesseract runs with one OpenMP thread unless OMP_THREAD_LIMIT
    says otherwise: measured on a page, 4.4 s of CPU in 3.6 s with its default threads,
    2.3 s of CPU in 2.8 s with one. Bands use the cores better."""
    from concurrent.futures import ThreadPoolExecutor

    bands = _bands(img, parts)
    with ThreadPoolExecutor(max_workers=len(bands)) as pool:
        results = list(pool.map(lambda b: _tsv(img.crop((0, b[0], img.width, b[1])), psm), bands))
    data: dict[str, list] = {k: [] for k in FIELDS}
    for n, ((top, _), got) in enumerate(zip(bands, results)):
        for k in FIELDS:
            if k == "top":
                data[k] += [v + top for v in got[k]]
            elif k == "block_num":
                data[k] += [v + 10_000 * n for v in got[k]]
            else:
                data[k] += got[k]
    return data


def _bands(img, parts: int) -> list[tuple[int, int]]:
    """(top, bottom) of up to ``parts`` bands of the image, cut at blank rows nearest to
    even divisions (a text line is never cut)."""
    import numpy as np

    if parts <= 1:
        return [(0, img.height)]
    blank = np.flatnonzero((np.asarray(img) < 128).sum(axis=1) == 0)
    cuts = [0]
    for k in range(1, parts):
        want = k * img.height // parts
        if blank.size == 0:
            break
        y = int(blank[np.abs(blank - want).argmin()])
        if cuts[-1] < y < img.height:
            cuts.append(y)
    cuts.append(img.height)
    return list(zip(cuts, cuts[1:]))


def _tesseract(source: str, psm: int, options: tuple[str, ...] = (), stdin: bytes | None = None) -> str:
    """One Tesseract process reading ``source`` ('-': the image on stdin; else a file listing
    images, a page each), its TSV table as text; a failure is OcrFailed with its last line."""
    import subprocess

    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        done = subprocess.run(["tesseract", source, "-", "-l", "jpn", "--psm", str(psm), *options, "tsv"], input=stdin,
                              capture_output=True, env=env, timeout=300)
    except (OSError, subprocess.SubprocessError) as e:
        raise OcrFailed(str(e)) from None
    if done.returncode != 0:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise OcrFailed(last[0] if last else f"tesseract exited with {done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def _tsv(img, psm: int) -> dict[str, list]:
    """One Tesseract process: the image in on stdin, the TSV table out on stdout."""
    import io

    buf = io.BytesIO()
    img.save(buf, format="PPM")  # uncompressed: nothing to encode or decode
    data: dict[str, list] = {k: [] for k in FIELDS}
    for row in _tesseract("-", psm, (), buf.getvalue()).splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != len(FIELDS):
            continue
        for k, v in zip(FIELDS[:-1], cells[:-1]):
            data[k].append(float(v) if k == "conf" else int(v))
        data["text"].append(cells[-1])
    return data


APART_ALONE = 6  # crops read again: fewer than this are read in one Tesseract process


def read_apart(images: list, psm: int, options: tuple[str, ...] = ()) -> list[dict[str, list]]:
    """Tesseract's words of each of several small images (crops read again alone), each
    image a page of its own: the same reading as one process per image, but the model is
    loaded once per process (0.1 s of CPU each time, more than a crop's reading), in up
    to PARTS processes at once, each given its share as a list of files. ``options``:
    more arguments for Tesseract ('-c', 'tessedit_char_whitelist=…')."""
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    if not images:
        return []
    # a few crops in one process: a second process would cost another load of the model for little time saved
    procs = 1 if len(images) < APART_ALONE else min(PARTS, len(images))
    shares = [list(range(k, len(images), procs)) for k in range(procs)]
    out: list[dict[str, list]] = [{k: [] for k in FIELDS} for _ in images]
    with tempfile.TemporaryDirectory(prefix="tariff-ocr-") as tmp:
        def run(share: list[int]) -> None:
            names = []
            for n in share:
                name = os.path.join(tmp, f"{n}.pnm")
                images[n].save(name, format="PPM")
                names.append(name)
            listing = os.path.join(tmp, f"list{share[0]}.txt")
            with open(listing, "w", encoding="utf-8") as f:
                f.write("\n".join(names) + "\n")
            for row in _tesseract(listing, psm, options).splitlines():
                cells = row.split("\t")
                if len(cells) != len(FIELDS) or not cells[1].isdigit():
                    continue  # the header, repeated for each page
                page = int(cells[1]) - 1
                if not 0 <= page < len(share):
                    continue
                data = out[share[page]]
                for k, v in zip(FIELDS[:-1], cells[:-1]):
                    data[k].append(float(v) if k == "conf" else int(v))
                data["text"].append(cells[-1])

        with ThreadPoolExecutor(max_workers=len(shares)) as pool:
            list(pool.map(run, shares))
    return out


_REMNANT = re.compile(r"^[ー\-_—―~=|]+\t|(?<=\d)[\-_~=]+(?=\t|$)")


def remnants(text: str) -> tuple[str, list[Applied]]:
    """Pieces of a painted-out rule that Tesseract still read: a first cell of nothing but
    dashes (no row is labelled '-'), or dashes stuck to the end of a number ('845-')."""
    fired: list[Applied] = []

    def fix(m):
        fired.append(Applied(rule="ocr:rule-remnant", printed=m.group(0).strip("\t") or m.group(0), read=""))
        return ""

    return _REMNANT.sub(fix, text), fired


_DASHES = "\\-ー一~…_―—－〜‐-こごて"  # こ ご て: the wave dash's curve read as kana, only ever between two times
_RANGE = re.compile(rf"(?<=\d(?:時間|分))(?:\s*[{_DASHES}]+\s*|(?<=\d分)分|(?<=分)\s*|(?<=時間)\s*(?=\d+時間))(?=\d+(?:時間|分))")


def ranges(text: str) -> tuple[str, list[Applied]]:
    """The wave dash of a time band ('3時間~4時間未満', '20分~30分') that Tesseract reads
    as a dash or bar ('4時間-5時間', '6時間ー7時間', '7時間…8時間'), its curve as kana ('5時間ご6時間',
    '30分て1時間', and as 分 '20分分30分') or drops it ('4時間5時間未満',
    '30分1時間', '30分 1時間'). A dash between two times is always the band's; an hour followed by an
    hour, or minutes by a time, without one, lost it ('1時間30分', hours then minutes, is a
    time, not a band). Recorded; no digit is touched."""
    fired: list[Applied] = []

    def fix(m):
        if m.group(0) != "~":
            start = max(0, m.start() - 4)
            printed = text[start:m.end() + 2]
            fired.append(Applied(rule="ocr:band-dash", printed=printed, read=printed[: m.start() - start] + "~" + printed[m.end() - start:]))
        return "~"

    text = _RANGE.sub(fix, text)

    def word(m):
        fired.append(Applied(rule="ocr:band-word", printed=m.group(0), read=m.group("u") and "未満" or "以上"))
        return "未満" if m.group("u") else "以上"

    return _BAND_WORD.sub(word, text), fired


# 未満 or 以上 after a time with one kanji misread ('7時間以上8時間未溝', '30分末満'): no other word ends a band
_BAND_WORD = re.compile(r"(?<=\d(?:時間|分))(?:(?P<u>未(?!満)\p{Han}|(?![未以])\p{Han}満)|以(?![上内下外前後降来])\p{Han}"
                        r"|(?![以向])\p{Han}上)(?!\p{Han})")


_STRAY = re.compile(r"(?:(?<=^|\s)[、。・]+(?=\s|$)|(?<=未満|以上|[\p{Han}\p{Katakana})）])[、。]+(?=\t)|(?<=円)[、。]+(?=[¥\\]?\d)|^Ⅰ\s?(?=[\p{Han}\p{Katakana}])(?!\s?型)|(?<=^|\t)(?:[_\"”'|「」、。,.`:;]+ ?|Ⅰ(?=\d))(?=[\d\p{Han}\p{Katakana}\p{Hiragana}¥\\])|(?<=^|\t)[\-—―ー]+ ?(?=[\p{Han}\p{Katakana}\p{Hiragana}])|(?<=^|\t)[A-Za-z*)）\p{Hiragana}](?=[¥\\]\d)|(?<=(?:^|\t)[¥\\])[A-Za-z\p{Hiragana}](?=\d)|(?<=\d|\d円|\d単位)(?:[|」'\"”`!！]+|Ⅰ|\.)(?=\t|$))")


_CARE = re.compile(r"(?<![\p{Han}\p{Katakana}])(?!要介護)(?:要\p{Han}護|\p{Han}介護|要介\p{Han}|\p{Han}介\p{Han})(?=\s*[1-5](?!\d))")
_SHARE = re.compile(r"(?<=\([1-3])(?!割)[\p{Han}](?=\))")
# the wave dash of a range of care levels read as a dash or bar ('要介護3-5', '要介護3~-5'): a range, as a band's is
_LEVEL_RANGE = re.compile(rf"(?<=要(?:介護|支援))([1-5])\s*(?:[{_DASHES.replace('こごて', '')}]+)\s*([1-5])(?!\d)")


def levels(text: str) -> tuple[str, list[Applied]]:
    """A care level's 要介護 with one or two of its kanji misread ('村介護2', '要介座2',
    '革介潜3'): three kanji, the middle one or both ends right, standing alone before a
    level 1 to 5, are no other word. And the 割 of a share in brackets read as another
    kanji ('(2神)'), on a line where a share is printed right: '(N?)' is no other word
    there. And the wave dash of a range of levels read as a dash ('要介護3-5', '要介護3~-5':
    3 to 5). Recorded; the level's and the share's digits are as read."""
    fired: list[Applied] = []

    def care(m):
        fired.append(Applied(rule="ocr:care-level", printed=m.group(0), read="要介護"))
        return "要介護"

    text = _CARE.sub(care, text)

    def span(m):
        read = f"{m.group(1)}~{m.group(2)}"
        if m.group(0) != read:
            fired.append(Applied(rule="ocr:level-range", printed=m.group(0), read=read))
        return read

    text = _LEVEL_RANGE.sub(span, text)
    if re.search(r"\([1-3]割\)", text):
        def share(m):
            fired.append(Applied(rule="ocr:share", printed=f"({text[m.start() - 1]}{m.group(0)})", read=f"({text[m.start() - 1]}割)"))
            return "割"

        text = _SHARE.sub(share, text)
    return text, fired


_EDGE_MARK = re.compile(r"[|Ⅰ」「_\"“”‘’'.,、。`:;!ー\-]+")


def strays(text: str) -> tuple[str, list[Applied]]:
    """Specks and pieces of a shaded row's edge that Tesseract read as marks at the very
    start of a cell ('_4時間', '"4時間', '、要介護', a dash before a name: '-身体介護') or right after its last number ('984|',
    '777」', '8329円|', '239!'), the edge of a shaded table read as Ⅰ before the first label of a line
    ('Ⅰ家事援助', 'Ⅰ 利用者負担上限額管理加算'), a letter or kana before the yen sign of an amount ('w\\192', 'ぎ\\1060': no
    amount cell begins with one) or after it ('\\y9973', the sign read twice; '\\ば1,012'), and specks read as 、。・ standing alone between words ('要介護1 。。 ¥415')
    or between two amounts ('572円。631円'), or after a name or a band another cell follows ('入院時支援連携加算。',
    '未満。'), where no sentence ends. No cell of a fee table begins with them (a tier follows its label; Ⅰ型
    is a word), nor does a number end in them."""
    fired: list[Applied] = []

    def fix(m):
        fired.append(Applied(rule="ocr:stray-mark", printed=m.group(0), read=""))
        return ""

    return _STRAY.sub(fix, text), fired


# in a list of amounts by share ('(1割)¥350/(2割)¥699'): the share's close read as り ('(1割り¥1255'), and a letter
# or mark read for the yen sign or beside it ('(2割)ま716', '¥ま524', '¥※1572', '(2割)を1048', 'yY186', 'y¥342', '%114'),
# or the sign read twice
_SHARE_CLOSE = re.compile(r"(?<=[(（][1-3]\s*割)り(?=\s*[¥\\]*\d)")
_SHARE_SPECK = re.compile(r"(?<=[(（][1-3]\s*割\s*[)）]?\s*)(?![¥\\]\d)[¥\\/yYwWfF%#※*\p{Hiragana}]{1,3}(?=\d)")


def share_marks(text: str) -> tuple[str, list[Applied]]:
    """The marks of an amount labelled with its share that OCR misread: '(1割り' is '(1割)', a
    kana, a letter y or w (the sign's V), %, #, ※ or a slash where the yen sign stands or beside it is the sign
    ('(2割)ま716' is '(2割)716', '(3割)/ま3,526' '(3割)¥3,526', and so with the share's close lost, '(1割\\※307'),
    which the share's bracket already says is yen), a sign read twice is one. Recorded; no
    digit is touched."""
    fired: list[Applied] = []

    def close(m):
        fired.append(Applied(rule="ocr:share-mark", printed=m.string[max(0, m.start() - 3):m.end() + 1],
                             read=m.string[max(0, m.start() - 3):m.start()] + ")" + m.string[m.end():m.end() + 1]))
        return ")"

    def speck(m):
        fired.append(Applied(rule="ocr:share-mark", printed=m.group(0) + m.string[m.end():m.end() + 1],
                             read="¥" + m.string[m.end():m.end() + 1]))
        return "¥"

    text = _SHARE_CLOSE.sub(close, text)
    return _SHARE_SPECK.sub(speck, text), fired


_SHARE_AMOUNT = re.compile(r"[(（]\s*([1-3])\s*割\s*[)）]?\s*[¥\\]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?!\d)")
_SHARE_OPEN = re.compile(r"(?<=[(（]\s*[1-3]\s*割)(?=[¥\\]?\d)")  # '(3割7815', '(1割¥307': the close lost
_SHARE_SLASH = re.compile(r"(?<=[(（]\s*[1-3]\s*割\s*[)）]\s*[¥\\]?\s*\d[\d,]*)7(?=/?[(（]\s*[1-3]\s*割)")  # '3287(2割)', '10017/(3割)'
_SHARE_CUT = re.compile(r"(?<=[(（]\s*[1-3]\s*割\s*[)）])[¥\\/yYwWfF%#※*\p{Hiragana}]{0,3}\t(?=[¥\\]?\d+(?:\t|$))")  # '(3割)ま\t2815'
_GROUPED = re.compile(r"\d+|\d{1,3}(?:,\d{3})+")  # the amount a 7 is taken from: whole groups ('1,147' of '1,1477', never '1,09' of '1,097')
_SHARE_LABEL = re.compile(r"[(（]\s*[1-3]\s*割")
_SHARE_ONE = re.compile(r"(?<=[(（]\s*[1-3]\s*割\s*[)）]\s*[¥\\]?\s*)[)）\]|lI!](?=\d)")  # '(3割))186': a 1 read as a bracket
_SHARE_SPACE = re.compile(r"(?<=[(（]\s*[1-3]\s*割\s*[)）]\s*[¥\\]?\s*\d+) (?=\d+(?:/|$|\t))")  # '(2割)¥14 40/''


def _shares_agree(shares: list[tuple[int, int]]) -> bool:
    """Amounts by share (share in tenths, yen) that are all one fee's, in one convention
    (each the fee less floor(fee × the benefit's rate), or each floor(fee × its share))."""
    from ..prices import floor_yen

    if len(shares) < 2 or len({k for k, _ in shares}) != len(shares):
        return False
    k0, v0 = min(shares)
    for total in range(max(1, (v0 - 1) * 10 // k0 - 10), (v0 + 1) * 10 // k0 + 11):
        if all(v == total - floor_yen(total, Decimal(10 - k) / 10) for k, v in shares) or all(
                v == floor_yen(total, Decimal(k) / 10) for k, v in shares):
            return True
    return False


def share_slashes(text: str) -> tuple[str, list[Applied]]:
    """Amounts by share on one line ('(1割)¥328/(2割)¥655/(3割)¥982') whose marks OCR lost or
    misread: the close of a share and its yen sign dropped ('(3割7815'), the slash between
    two read as a 7 stuck to the amount before it ('(1割)¥3287(2割)') or as a 7 and itself
    ('¥10017/(3割)'), a word space inside an amount ('¥14 40/'), an amount's first 1 read as a
    bracket or a bar ('(3割))186'), the last share's amount cut into a cell of its own at its
    misread sign ('(3割)ま\t2815'). Repaired only where the line's own arithmetic proves it:
    every amount by share on the line, as repaired, is one fee's share (and not as read), and
    for the 7s and 1s, by one set of the fewest such edits only. Recorded; otherwise left, and
    the amount is lost, never guessed."""
    fired: list[Applied] = []

    def shares(t: str) -> list[tuple[int, int]]:
        return [(int(m.group(1)), int(m.group(2).replace(",", ""))) for m in _SHARE_AMOUNT.finditer(t)]

    for m in reversed(list(_SHARE_OPEN.finditer(text))):
        new = text[:m.start()] + ")" + text[m.start():]
        if _shares_agree(shares(new)):
            fired.append(Applied(rule="ocr:share-mark", printed=text[max(0, m.start() - 3):m.end() + 6],
                                 read=new[max(0, m.start() - 3):m.end() + 7]))
            text = new
    for m in reversed(list(_SHARE_SPACE.finditer(text))):
        new = text[:m.start()] + text[m.end():]
        if _shares_agree(shares(new)):
            fired.append(Applied(rule="ocr:number-space", printed=text[max(0, m.start() - 4):m.end() + 3],
                                 read=new[max(0, m.start() - 4):m.start() + 3]))
            text = new
    labels = len(_SHARE_LABEL.findall(text))

    def whole(t: str) -> bool:  # every share labelled on the line read as an amount, all one fee's
        found = shares(t)
        return len(found) == labels and _shares_agree(found)

    if whole(text):
        return text, fired
    # the slash read as a 7 ('¥3287(2割)'), a 1 read as a bracket or a bar ('(3割))186'): each a
    # possible edit; the fewest edits that make every share on the line one fee's, when only one set does
    edits = [(m.start(), m.end(), "" if text[m.end():m.end() + 1] == "/" else "/", "ocr:share-slash")
             for m in _SHARE_SLASH.finditer(text) if _GROUPED.fullmatch(re.search(r"[\d,]+$", text[:m.start()]).group(0))]
    edits += [(m.start(), m.end(), "1", "ocr:share-one") for m in _SHARE_ONE.finditer(text)]
    edits += [(m.start(), m.end(), "¥", "ocr:share-cut") for m in _SHARE_CUT.finditer(text)]
    edits.sort()
    for size in range(1, min(len(edits), 3) + 1):
        fits = []
        for chosen in combinations(edits, size):
            new = text
            for a, b, put, _ in reversed(chosen):
                new = new[:a] + put + new[b:]
            if whole(new):
                fits.append((chosen, new))
        if len(fits) == 1:
            chosen, new = fits[0]
            for a, b, put, rule in chosen:
                fired.append(Applied(rule=rule, printed=text[max(0, a - 6):b + 4], read=text[max(0, a - 6):a] + put + text[b:b + 4]))
            return new, fired
        if fits:
            break  # two ways to make the shares agree: the arithmetic does not say which, left as read
    return text, fired


_YEN_CELL = re.compile(r"(?<=^|\t)[yYwWvV](?=\d{1,3}(?:,\d{3})+(?:円)?(?:\t|$)|\d{1,5}(?:円)?(?:\t|$))")
_SIGNED = re.compile(r"(?:^|\t)[¥\\]\d")


def yen_letters(text: str) -> tuple[str, list[Applied]]:
    """A cell that is an amount behind a letter y, Y, w, W, v or V ('w2,083', 'y667'), on a
    line whose other amounts are printed with the yen sign: the letter is the sign's V
    read as a letter (no word of a fee table is one Latin letter before a number). Recorded;
    no digit is touched."""
    if not _SIGNED.search(text):
        return text, []
    fired: list[Applied] = []

    def fix(m):
        end = text.find("\t", m.end())
        cell = text[m.start(): end if end >= 0 else len(text)]
        fired.append(Applied(rule="ocr:yen-sign", printed=cell, read="¥" + cell[1:]))
        return "¥"

    return _YEN_CELL.sub(fix, text), fired


# a fee with its units in brackets, a stroke stuck to the units ('\\6081(587l単位)'): a letter, or the digit 1?
_UNITS_STROKE = re.compile(r"[¥\\](?P<yen>\d{1,3}(?:,\d{3})+|\d+)円?\s*[(（]\s*(?P<u>\d+)(?P<l>[lI|!])\s*単位")


def units_strokes(text: str) -> tuple[str, list[Applied]]:
    """A stroke read after the units of a fee printed with them ('\\6081(587l単位)'): no digit
    when the fee is floor(units × 単価) at some 1単位の単価 of the table and would be at none
    with a 1 there (5871 units): proved by the fee, dropped and recorded. Otherwise left, and
    the amount is lost, never guessed."""
    from ..prices import floor_yen, prices_for

    fired: list[Applied] = []

    def fix(m):
        yen, units = int(m.group("yen").replace(",", "")), int(m.group("u"))
        prices = prices_for(None)
        if not any(floor_yen(units, p) == yen for p in prices) or any(floor_yen(units * 10 + 1, p) == yen for p in prices):
            return m.group(0)
        new = m.group(0)[: m.start("l") - m.start()] + m.group(0)[m.end("l") - m.start():]
        fired.append(Applied(rule="ocr:units-stroke", printed=m.group(0), read=new))
        return new

    return _UNITS_STROKE.sub(fix, text), fired


def thousands(text: str) -> tuple[str, list[Applied]]:
    """A thousands separator misread ('1.086', '1、155', '12,.000', a speck beside it '3,。822') or followed by a word
    space ('1, 766', where the comma's box ends a word), and a decimal point followed by one
    ('10. 84円'): recorded; no digit is touched."""
    fired: list[Applied] = []

    def fix(m):
        new = f"{m.group(1)},{m.group(2)}"
        if new != m.group(0):
            fired.append(Applied(rule="ocr:thousands-separator", printed=m.group(0), read=new))
        return new

    def point(m):
        t = m.string
        fired.append(Applied(rule="ocr:number-space", printed=t[m.start() - 1:m.end() + 1], read=f"{t[m.start() - 1]}.{t[m.end()]}"))
        return "."

    return _DECIMAL.sub(point, _SEPARATOR.sub(fix, text)), fired


_UNIT_MARK = re.compile(r"円|単位")


def join_unit_marks(lines: list[Line]) -> list[Line]:
    """Pieces of a line Tesseract boxed apart (a box of no height that no line took): a unit
    mark ('円' of '6,087円') standing on another line's height just right of one of its
    cells that ends in a digit is that cell's unit, and so is the '位' of '単位' beside a cell
    that ends in a digit and '単' ('163単' … '位'); a piece of three letters or fewer in a
    box of no height ('8' of '8時間以上9時間未満') standing just left of a cell is that
    cell's start. Each is joined there as read and recorded. Returns the lines left (the
    piece's own line is gone); the others are changed in place."""
    out = []
    for ln in lines:
        found = _host(ln, lines)
        if found is None:
            out.append(ln)
            continue
        host, k, after = found
        cells = host.text.split("\t")
        printed, piece = cells[k], ln.text.strip()
        cells[k] = printed + piece if after else piece + printed
        host.text = "\t".join(cells)
        host.bbox = [min(host.bbox[0], ln.bbox[0]), host.bbox[1], max(host.bbox[2], ln.bbox[2]), host.bbox[3]]
        if host.spans and len(host.spans) == len(cells):
            a, b = host.spans[k]
            host.spans = [*host.spans[:k], (min(a, float(ln.bbox[0])), max(b, float(ln.bbox[2]))), *host.spans[k + 1:]]
        host.corrections.append(Applied(rule="ocr:unit-mark" if after else "ocr:piece-apart", printed=f"{printed} {piece}" if after
                                        else f"{piece} {printed}", read=cells[k]))
    return out


def _host(ln: Line, lines: list[Line]) -> tuple[Line, int, bool] | None:
    """(the line, its cell, whether the piece goes after it) that ``ln`` is a piece of."""
    piece = ln.text.strip()
    if not ln.bbox or "\t" in piece:
        return None
    mark = bool(_UNIT_MARK.fullmatch(piece)) or piece == "位"  # '位' of '163単位', its '単' on the line
    if not mark and not (1 <= len(piece) <= 3 and ln.bbox[3] - ln.bbox[1] < 1):
        return None
    mid = (ln.bbox[1] + ln.bbox[3]) / 2
    best = None
    for o in lines:
        if o is ln or not o.bbox or o.page != ln.page or not o.bbox[1] <= mid <= o.bbox[3] or o.bbox[3] - o.bbox[1] < 1:
            continue
        h = float(o.bbox[3] - o.bbox[1])
        cells = o.text.split("\t")
        spans = o.spans if o.spans and len(o.spans) == len(cells) else None
        bounds = spans or [(float(o.bbox[0]), float(o.bbox[2]))] * len(cells)
        for k, (x0, x1) in enumerate(bounds):
            if mark and (spans or k == len(cells) - 1) and 0 <= float(ln.bbox[0]) - x1 <= h \
                    and re.search(r"\d単$" if piece == "位" else r"\d$", cells[k]) \
                    and (k + 1 >= len(cells) or not spans or float(ln.bbox[2]) <= spans[k + 1][0]):
                hit = (o, k, True)
            elif not mark and (spans or k == 0) and 0 <= x0 - float(ln.bbox[2]) <= h and (k == 0 or float(ln.bbox[0]) >= bounds[k - 1][1]):
                hit = (o, k, False)
            else:
                continue
            off = abs(float((o.bbox[1] + o.bbox[3]) / 2 - mid))
            if best is None or off < best[0]:
                best = (off, hit)
    return best[1] if best else None


DIGIT_GAP = 1.0  # × line height: digits of one number read as separate words stand closer than this


def _digits_apart(text: str, word: str, gap: float, h: float) -> bool:
    """A word that goes on the number the text ends with: a digit after a digit, close
    (under DIGIT_GAP line heights), and one side a single digit, as Tesseract splits
    spaced full-width digits ('３７０円' read '3' '7' '0円') and now and then a number
    ('50' '2'). Two numbers of several digits a space apart ('1081 1008') stay apart."""
    if not (text[-1:].isdigit() and text[-1:].isascii() and word[:1].isdigit() and word[:1].isascii()):
        return False
    last = re.search(r"\d+$", text).group(0)
    first = re.match(r"\d+", word).group(0)
    return gap < DIGIT_GAP * h and (len(last) == 1 or len(first) == 1)


def render(page):
    """The page in grey at up to 300 dpi (a NumPy array), and its width in points. This
    is the only pdfium call of OCR: the caller holds pdfium's lock around it."""
    import numpy as np

    w, h = page.get_size()
    scale = min(DPI / 72, (MAX_PIXELS / max(w * h, 1)) ** 0.5)  # never a decompression bomb
    grey = page.render(scale=scale, grayscale=True).to_numpy()
    if grey.ndim == 3:
        grey = grey[:, :, 0]
    return np.ascontiguousarray(grey), w


def _image(grey, width: float):
    """(the rendered page deskewed, median-filtered and binarized; a function from its
    pixels back to page points)."""
    import cv2
    import numpy as np
    from PIL import Image

    angle = skew(grey)
    back = None
    if angle:
        rows, cols = grey.shape
        turn = cv2.getRotationMatrix2D((cols / 2, rows / 2), angle, 1.0)
        grey = cv2.warpAffine(grey, turn, (cols, rows), flags=cv2.INTER_LINEAR, borderValue=255)
        back = cv2.invertAffineTransform(turn)
    grey = flatten(cv2.medianBlur(grey, 3), grey.shape[1] / max(width, 1) * 72)
    _, ink = cv2.threshold(grey, THRESHOLD, 255, cv2.THRESH_BINARY)
    k = width / grey.shape[1]

    def to_page(x0: float, top: float, x1: float, bottom: float) -> list[Decimal]:
        corners = np.array([[x0, top, 1], [x1, top, 1], [x0, bottom, 1], [x1, bottom, 1]], dtype=float)
        if back is not None:
            corners = np.c_[corners @ back.T, np.ones(4)]
        xs, ys = corners[:, 0] * k, corners[:, 1] * k
        return [Decimal(str(round(float(v), 2))) for v in (xs.min(), ys.min(), xs.max(), ys.max())]

    return Image.fromarray(ink), to_page


SHADE_SPAN = 2.5  # mm: a closing this wide removes every letter and keeps a shaded row (a row is 3.5 mm or more)
SHADE_DARKEST = 150  # grey: a background darker than this is ink (a bullet, a black band), left as it is
SHADE_LIGHTEST = 240  # grey: a background lighter than this is paper, left as it is


def flatten(grey, dpi: float):
    """The page with its shading taken out: each pixel divided by the background around it
    (the grey closed over SHADE_SPAN, wider than any stroke), so that letters on a shaded
    row or header binarize as thin as on white paper. Under one threshold a shaded
    background darkens every anti-aliased edge of a stroke into ink, and bold letters
    close up ('区分' read 'に4分', '(単位)' '(旧位)'). Paper (SHADE_LIGHTEST or lighter) is
    left as it is, and so is a background as dark as ink (a ■ bullet)."""
    import cv2
    import numpy as np

    span = max(3, int(round(SHADE_SPAN / 25.4 * dpi)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (span, span))
    bg = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, kernel)
    shaded = ((bg >= SHADE_DARKEST) & (bg <= SHADE_LIGHTEST)).astype(np.uint8)
    band = cv2.getStructuringElement(cv2.MORPH_RECT, (4 * span, span))  # a row's band, not a bold letter or a bullet's rim
    shaded = cv2.morphologyEx(shaded, cv2.MORPH_OPEN, band)
    bg = np.where(shaded > 0, bg, 255).astype(np.uint16)
    return np.minimum(255, grey.astype(np.uint16) * 255 // np.maximum(bg, 1)).astype(np.uint8)


SKEW_RANGE = 2.0  # degrees either way: a scanner's skew, not a page laid sideways
SKEW_STEP = 0.1


def skew(grey) -> float:
    """The rotation (degrees) that makes the page's lines horizontal: the angle whose
    row profile of ink is sharpest (largest variance), measured on a quarter-size copy.
    0.0 when the page is already straight to within a step."""
    import cv2
    import numpy as np

    rows, cols = grey.shape
    small = cv2.resize((grey < THRESHOLD).astype(np.uint8), (max(cols // 4, 1), max(rows // 4, 1)),
                       interpolation=cv2.INTER_AREA)
    h, w = small.shape
    best, found = -1.0, 0.0
    for a in np.arange(-SKEW_RANGE, SKEW_RANGE + SKEW_STEP / 2, SKEW_STEP):
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), float(a), 1.0)
        profile = cv2.warpAffine(small, turn, (w, h), flags=cv2.INTER_NEAREST, borderValue=0).sum(axis=1)
        score = float(np.var(profile.astype(np.float64)))
        if score > best + 1e-9:
            best, found = score, round(float(a), 1)
    return found if abs(found) >= SKEW_STEP else 0.0


def ocr_image(grey, width: float, path: str, pno: int) -> list[Line]:
    """Lines of one scanned page rendered by ``render``, with boxes and confidences."""
    img, to_page = _image(grey, width)
    img, rules = grid.find(img)
    try:
        data = words(img, psm=6, parts=PARTS)
        beside = reread_beside(img, data)
        reread_rows(img, data, beside)
        reread_missed(img, data)
        measured: dict[int, list[Applied]] = {}
        for c in recell.reread(img, data, rules) + recell.reread_numbers(img, data, rules) + bullets(img, data) + tiers.measure(img, data) + tiers.small_romans(img, data):
            measured.setdefault(c.line, []).append(c)
        return _lines(img, data, measured, rules, to_page, pno, beside)
    except OcrFailed as e:
        raise BadInput(path, f"OCR failed on page {pno} ({e})", "check the Tesseract install") from None


ROW_SPREAD = 0.5  # × letter height: words of one printed line have centres closer than this
TALL = 1.4  # × its line's letter height: a word box this tall is loose (its centre is not the text's)


def rows(data: dict, beside: list[tuple[float, float, float]] = ()) -> dict[tuple, list[int]]:
    """Tesseract's words grouped into printed lines by where they stand, not by its line
    numbers. Beside a label centred over two rows of a table, Tesseract's lines take words
    of one row into the next ('20分以上45' / '生活援助 分 分未満 単位'); their centres say
    which row they are on. A word whose box is much taller than its line's letters (a
    bracket, a mark joined to the letter above) stands at its Tesseract line's centre. A
    label centred between two rows is a line of its own, as in the text layer. ``beside``:
    bands (top, bottom, x) of the page where two tables stand side by side (``side_by_side``):
    there a word left of x and a word right of it are never on one line."""
    lines: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= 0:
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    if not lines:
        return {}
    centre: dict[int, float] = {}
    height: dict[int, float] = {}
    for idx in lines.values():
        h = median(data["height"][i] for i in idx) or 1
        mid = median(data["top"][i] + data["height"][i] / 2 for i in idx if data["height"][i] <= TALL * h)
        for i in idx:
            tall = data["height"][i] > TALL * h
            centre[i] = mid if tall else data["top"][i] + data["height"][i] / 2
            height[i] = h if tall else data["height"][i]
    letter = median(height.values()) or 1
    out: dict[tuple, list[int]] = {}
    for part in _sides(data, centre, beside):
        group: list[int] = []
        for i in sorted(part, key=lambda i: (centre[i], data["left"][i])):
            if group and centre[i] - median(centre[k] for k in group) > ROW_SPREAD * letter:
                out[(len(out),)] = group
                group = []
            group.append(i)
        out[(len(out),)] = group
    return {g: _once(data, idx) for g, idx in out.items()}


def _sides(data: dict, centre: dict[int, float], beside) -> list[list[int]]:
    """The words (their centres ``centre``) in parts grouped into lines apart: all of them,
    or where ``beside`` bands tables side by side, the words left and right of each band's x
    apart from each other and from the rest."""
    if not beside:
        return [list(centre)]
    parts: dict[tuple, list[int]] = {}
    for i, c in centre.items():
        key = next(((k, int(data["left"][i] >= x)) for k, (top, bottom, x) in enumerate(beside) if top <= c <= bottom), ())
        parts.setdefault(key, []).append(i)
    return [parts[k] for k in sorted(parts)]


BULLETS = "■□●◆◇◎▼▶【"  # marks that begin a heading
HEADINGS_APART = 10  # × letter height: two headings on one line this far apart head two tables side by side
BESIDE_GAP = 2.8  # × letter height: a side of the band whose next line is this far below its last has ended


def side_by_side(data: dict, groups: dict[tuple, list[int]], squares=()) -> list[tuple[float, float, float]]:
    """Bands (top, bottom, x) of the page where two tables stand side by side, each under
    its own heading: a line with two headings (words beginning with a bullet, ■), far
    apart, and the lines under it down to where both sides have ended (a gap of
    BESIDE_GAP letter heights after a side's last line, or a word running across x).
    OCR reads the page line by line across its width, so two tables side by side come
    back interleaved (a row of the left table and the row beside it of the right one on
    one line, and the rest one after the other as their heights fall); read apart, each
    table's lines are its own. x is where the right heading begins. ``squares``: bullets
    measured on the image (``_squares``), for a heading whose ■ Tesseract read as a kanji."""
    def mid(idx):
        return median(data["top"][i] + data["height"][i] / 2 for i in idx)

    ordered = sorted(groups.values(), key=mid)
    out = []
    k = 0
    while k < len(ordered):
        idx = sorted(ordered[k], key=lambda i: data["left"][i])
        heads = [i for i in idx if data["text"][i][:1] in BULLETS or any(
            abs(data["left"][i] - x) <= 0.3 * h and data["top"][i] <= y + h / 2 <= data["top"][i] + data["height"][i]
            for x, y, _, h in squares)]
        h = _letter(data, idx)
        if len(heads) < 2 or data["left"][heads[-1]] - data["left"][heads[0]] < HEADINGS_APART * h \
                or any(data["left"][i] < data["left"][heads[-1]] - h < data["left"][i] + data["width"][i] - 2 * h for i in idx):
            k += 1
            continue
        x = data["left"][heads[-1]] - 0.5 * h
        top = min(data["top"][i] for i in idx)
        last, started = [mid(idx), mid(idx)], [False, False]
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        k += 1
        while k < len(ordered):
            row = ordered[k]
            c = mid(row)
            if any(data["left"][i] < x - h and data["left"][i] + data["width"][i] > x + 2 * h for i in row):
                break  # a line across both sides: the band has ended
            sides = {int(data["left"][i] >= x) for i in row}
            # (a side's first line may stand further under its heading: a header's padding)
            if any(c - last[s] > BESIDE_GAP * h * (1 if started[s] else 2) for s in sides):
                break  # a line under a side that had ended: something else begins
            for s in sides:
                last[s], started[s] = c, True
            bottom = max(bottom, max(data["top"][i] + data["height"][i] for i in row))
            k += 1
        out.append((float(top), float(bottom), float(x)))
    return out


def _squares(img) -> list[tuple[int, int, int, int]]:
    """Solid squares of ink (x, y, w, h) of a letter's size or more: the bullets of headings."""
    import numpy as np

    ink = (np.asarray(img) < 128).astype("uint8")
    return [(x, y, w, h) for x, y, w, h, area in tiers.components(ink)
            if h >= 12 and 0.8 * h <= w <= 1.25 * h and area >= 0.9 * w * h]


def reread_beside(img, data: dict) -> int:
    """Read again each band of the page where two tables stand side by side
    (``side_by_side``), each side apart (psm 6), and put its words in place of the band's.
    Read across the page, Tesseract takes the rows of both tables as its lines, and where
    their heights differ it runs two rows into one and misreads both ('得体 2 30 3 未');
    read apart, each table is a block of its own. Returns the bands."""
    from PIL import ImageOps

    bands = side_by_side(data, rows(data), _squares(img))
    if not bands:
        return []
    crops, places = [], []
    for n, (top, bottom, x) in enumerate(bands):
        t, b, x = max(0, int(top) - 4), min(img.height, int(bottom) + 4), int(x)
        for side, (x0, x1) in enumerate(((0, x), (x, img.width))):
            if x1 - x0 > 4 and b - t > 4:
                crops.append(ImageOps.expand(img.crop((x0, t, x1, b)), CROP_MARGIN, fill=255))
                places.append((x0, t, 500_000 + 20_000 * n + 10_000 * side))
    got = read_apart(crops, psm=6)

    def mean(confs):
        return sum(confs) / len(confs) if confs else -1.0

    for (x0, t, block), new in zip(places, got):
        band = bands[(block - 500_000) // 20_000]
        side = (block // 10_000) % 2
        before = [i for i, w in enumerate(data["text"]) if w.strip() and float(data["conf"][i]) >= 0
                  and band[0] <= data["top"][i] + data["height"][i] / 2 <= band[1] and (data["left"][i] >= band[2]) == bool(side)]
        keep = [k for k, w in enumerate(new["text"]) if w.strip()]
        # the side as read apart, unless the page's reading of it was surer (rows of one height read well across)
        if mean([float(new["conf"][k]) for k in keep if float(new["conf"][k]) >= 0]) < mean([float(data["conf"][i]) for i in before]):
            continue
        for i in before:
            data["text"][i] = ""
        add_words(data, new, keep, x0, t, block, own_blocks=True)
    return bands


def bullets(img, data: dict) -> list[Applied]:
    """The square bullet of a heading ('■ 通所介護 基本料金'), which Tesseract reads as a
    kanji ('田', '画', '一'), measured on the image: a solid square of ink of the line's
    letter height at the very start of a word. The word's first character becomes ■;
    a word beginning with a digit is left alone. Returns the corrections (word index in
    ``line``)."""
    import numpy as np

    squares = _squares(img)
    fixes = []
    for x, y, w, h in squares:
        mid = y + h / 2
        for i, word in enumerate(data["text"]):
            if not word.strip() or float(data["conf"][i]) < 0 or word.startswith("■") or word[:1].isdigit():
                continue
            left, top, height = data["left"][i], data["top"][i], data["height"][i]
            if not (top <= mid <= top + height and abs(left - x) <= 0.3 * h and 0.6 * height <= h <= 1.4 * height):
                continue
            new = "■" + word[1:]
            fixes.append(Applied(rule="ocr:square-bullet", printed=word, read=new, line=i))
            data["text"][i] = new
            break
    return fixes


CROP_MARGIN = 20  # white pixels around a crop read again, as Tesseract reads a word best with paper around it


def add_words(data: dict, new: dict, keep: list[int], x0: int, top: int, block: int, own_blocks: bool = False) -> None:
    """Words ``keep`` of a crop's reading (``new``, the crop at (``x0``, ``top``) with its
    margin) added to the page's words, placed back on the page, in a block of their own
    (``own_blocks``: in the crop's blocks, numbered from ``block``)."""
    for k in keep:
        for f in FIELDS:
            v = new[f][k]
            if f == "left":
                v = v - CROP_MARGIN + x0
            elif f == "top":
                v = v - CROP_MARGIN + top
            elif f == "block_num":
                v = v + block if own_blocks else block
            data[f].append(v)


def reread_rows(img, data: dict, beside=()) -> int:
    """Read again, as one line (psm 7), each printed line whose words Tesseract spread over
    two or more of its lines: there it reads some ink twice and some not at all ('20分分以上
    45' beside a merged label). The second reading replaces the words when it is at least
    as sure (mean word confidence); the words it replaces are emptied. Returns how many
    lines were replaced. ``beside``: bands of tables side by side (``side_by_side``), whose
    sides are lines apart."""
    from PIL import ImageOps

    def line(i):
        return data["block_num"][i], data["par_num"][i], data["line_num"][i]

    jobs = []
    for idx in rows(data, beside).values():
        if len({line(i) for i in idx}) < 2:
            continue
        h = median(data["height"][i] for i in idx) or 1
        pad = max(2, int(0.2 * h))
        x0 = max(0, min(data["left"][i] for i in idx) - pad)
        x1 = min(img.width, max(data["left"][i] + data["width"][i] for i in idx) + pad)
        top = max(0, int(median(data["top"][i] for i in idx)) - pad)
        bottom = min(img.height, int(median(data["top"][i] + data["height"][i] for i in idx)) + pad)
        if x1 - x0 < 2 or bottom - top < 2:
            continue
        jobs.append((idx, x0, top, img.crop((x0, top, x1, bottom))))
    if not jobs:
        return 0
    got = read_apart([ImageOps.expand(j[3], CROP_MARGIN, fill=255) for j in jobs], psm=7)
    done = 0
    for n, ((idx, x0, top, _), new) in enumerate(zip(jobs, got)):
        keep = [k for k, w in enumerate(new["text"]) if w.strip() and float(new["conf"][k]) >= 0]
        if not keep:
            continue
        mean = lambda confs: sum(confs) / len(confs)  # noqa: E731
        if mean([float(new["conf"][k]) for k in keep]) < mean([float(data["conf"][i]) for i in idx]):
            continue
        for i in idx:
            data["text"][i] = ""
        add_words(data, new, keep, x0, top, 1_000_000 + n)
        done += 1
    return done


MISSED_INK = 0.25  # × letter height squared: a patch of ink no word covers, this large, is text Tesseract dropped
MISSED_NEAR = 1.5  # × letter height: dropped ink this close to a word read on its line is that word's
MISSED_CONF = 60  # a second reading of dropped ink is kept only this sure (mean word confidence)


def missed(img, data: dict) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom) of text Tesseract dropped: ink that no word's box covers,
    grouped into words (dilated by a third of a letter across, a fifth down), each of a
    letter's height and more ink than a speck. Tesseract drops a header word printed above
    or below the line of the others in a box two lines tall ('基本単位' / '数' beside a
    centred 'サービス区分'), and now and then a whole cell."""
    import cv2
    import numpy as np

    found = [i for i, w in enumerate(data["text"]) if w.strip() and float(data["conf"][i]) >= 0]
    if not found:
        return []
    full = [data["height"][i] for i in found if _FULL_HEIGHT.search(data["text"][i])]
    h = median(full or [data["height"][i] for i in found]) or 1
    ink = _ink(img)
    covered = np.zeros_like(ink)
    for i in found:
        x, y, w, hh = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        covered[max(0, y - 2):y + hh + 2, max(0, x - 2):x + w + 2] = 1
    left = ink & (1 - covered)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(h / 3)) | 1, max(3, int(h / 5)) | 1))
    n, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(left, kernel), connectivity=8)
    out = []
    for x, y, w, hh, _ in stats[1:].tolist():
        if not (0.6 * h <= hh <= 1.8 * h and w >= 0.6 * h):
            continue
        if int(left[y:y + hh, x:x + w].sum()) < MISSED_INK * h * h:
            continue
        # a word read beside it on its line: its box, not its text, missed the ink (Tesseract's boxes of a
        # line may sit a letter to the right of the letters they read: '利用' boxed over '用料')
        # (on its line: the middle of each within the other's height; a word of the line above, in a box
        # two lines tall, is not)
        if any(min(y + hh, data["top"][i] + data["height"][i]) - max(y, data["top"][i]) > 0.3 * hh
               and y <= data["top"][i] + data["height"][i] / 2 <= y + hh and data["top"][i] <= y + hh / 2 <= data["top"][i] + data["height"][i]
               and data["left"][i] - MISSED_NEAR * h < x + w and x < data["left"][i] + data["width"][i] + MISSED_NEAR * h
               for i in found):
            continue
        out.append((x, y, x + w, y + hh))
    return out


def reread_missed(img, data: dict) -> int:
    """Read again, as one line (psm 7), each patch of text Tesseract dropped (``missed``);
    its words are added where they stand when Tesseract is sure of them (MISSED_CONF) and
    they hold a letter or a digit. Returns how many patches gave words."""

    from PIL import ImageOps

    boxes = missed(img, data)
    if not boxes:
        return 0
    pad = 6
    crops = [img.crop((max(0, x0 - pad), max(0, y0 - pad), min(img.width, x1 + pad), min(img.height, y1 + pad)))
             for x0, y0, x1, y1 in boxes]
    got = read_apart([ImageOps.expand(c, CROP_MARGIN, fill=255) for c in crops], psm=7)
    done = 0
    for n, ((x0, y0, _, _), new) in enumerate(zip(boxes, got)):
        keep = [k for k, w in enumerate(new["text"]) if w.strip() and float(new["conf"][k]) >= 0]
        if not keep or sum(float(new["conf"][k]) for k in keep) / len(keep) < MISSED_CONF or not any(
                _LETTER_OR_DIGIT.search(new["text"][k]) for k in keep):
            continue
        add_words(data, new, keep, max(0, x0 - pad), max(0, y0 - pad), 2_000_000 + n)
        done += 1
    return done


_LETTER_OR_DIGIT = re.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}\d]")


def _once(data: dict, idx: list[int]) -> list[int]:
    """A line's words without the second readings Tesseract makes of the same ink when it
    puts a row into two of its lines: a word lying mostly (over half its width) within a
    word of another of Tesseract's lines is dropped; of two words over each other, the
    surer stays. Words of one Tesseract line never overlap as readings of the same ink."""
    def width(i):
        return max(data["width"][i], 1)

    def line(i):
        return data["block_num"][i], data["par_num"][i], data["line_num"][i]

    def overlap(i, j):
        return min(data["left"][i] + data["width"][i], data["left"][j] + data["width"][j]) - max(data["left"][i], data["left"][j])

    drop = set()
    for a in idx:
        for b in idx:
            if a == b or b in drop or line(a) == line(b) or overlap(a, b) <= 0.5 * width(a):
                continue
            # a lies mostly within b: drop a, unless b lies as much within a and a is surer
            if overlap(a, b) > 0.5 * width(b) and (float(data["conf"][a]), -a) > (float(data["conf"][b]), -b):
                continue
            drop.add(a)
            break
    return [i for i in idx if i not in drop]


_CELL_SPACE = re.compile(r"(?<=^|\t)[ 　]+|[ 　]+(?=\t|$)")
_COUNT = re.compile(r"\d{1,2}")
_TIME_UNIT = re.compile(r"(?:分|時間)")
_DIGIT_END = re.compile(r"[\d,.，．]$")
_NUMERIC_END = re.compile(r"(?:\d|円|%|単位|割[)）])$")
_NUMERIC_START = re.compile(r"^[¥\\(（]?\d")
_FULL_HEIGHT = re.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def _letter(data: dict, idx: list[int]) -> float:
    """A line's letter height: the median height of its words of kanji and kana (digits
    and marks are shorter, and would make every gap look wide), else of all its words."""
    full = [data["height"][i] for i in idx if _FULL_HEIGHT.search(data["text"][i])]
    return median(full or [data["height"][i] for i in idx]) or 1


def _ink(img):
    """Where the page has ink (a 0/1 array), for measuring gaps."""
    import numpy as np

    return (np.asarray(img) < 128).astype("uint8")


def _low_height(data: dict, idx: list[int]) -> float:
    """A line's letter height from its word boxes: a low quantile of its kanji and kana
    words' heights (boxes run tall, taking in a bracket or a mark, never short)."""
    full = sorted(data["height"][i] for i in idx if _FULL_HEIGHT.search(data["text"][i])) or \
        sorted(data["height"][i] for i in idx)
    return full[(len(full) - 1) * 3 // 10] or 1


def _band_gaps(ink, data: dict, idx: list[int], cap: float) -> tuple[float, list[tuple[int, int]]]:
    """(the line's letter height, the blank runs of columns across the line's band): a gap
    measured on the image, not on Tesseract's word boxes, which run wide or overlap (a
    kanji's box taking in the bracket after it). ``cap``: the tallest letter height to
    believe (a line read again alone has boxes as tall as the strip it was read in)."""
    import numpy as np

    h = min(_low_height(data, idx), cap)
    mid = median(data["top"][i] + data["height"][i] / 2 for i in idx if data["height"][i] <= TALL * h) \
        if any(data["height"][i] <= TALL * h for i in idx) else median(data["top"][i] + data["height"][i] / 2 for i in idx)
    top, bottom = max(0, int(mid - 0.6 * h)), min(ink.shape[0], int(mid + 0.6 * h) + 1)
    x0 = max(0, min(data["left"][i] for i in idx))
    x1 = min(ink.shape[1], max(data["left"][i] + data["width"][i] for i in idx))
    if bottom <= top or x1 <= x0:
        return h, []
    used = ink[top:bottom, x0:x1].sum(axis=0) >= SPECK  # a speck's few pixels leave a column blank
    edges = np.flatnonzero(np.diff(np.r_[1, used.astype(np.int8), 1]))  # starts and ends of blank runs
    return h, [(x0 + int(a), x0 + int(b)) for a, b in zip(edges[::2], edges[1::2])]


_GROUP_HEAD = re.compile(r"(?:^|\t)[¥\\]?\d{1,3}$")  # a number's first group, alone in its cell so far
_GROUP = re.compile(r"^\d{3}(?!\d)")  # a word that begins with three digits and no more


def lost_separator(ink, data: dict, prev: int, i: int) -> bool:
    """A thousands separator Tesseract dropped between two words of digits ('１，１４８'
    read as '1' '148'), measured on the ink: between where the first word's digits begin
    and where the second begins, the rightmost mark is small (under half the digits'
    height and width) and sits in their lower half, after the digits: a comma or a
    point, which the line reader joins as ','. No digit is read or made here: the digits
    are Tesseract's, and a gap with no such mark stays a space."""
    import cv2

    x0, x1 = data["left"][prev], data["left"][i]
    top = data["top"][prev]
    h = data["height"][prev]
    y1 = min(ink.shape[0], top + int(1.3 * h) + 1)
    if x1 - x0 < 2 or h < 4 or y1 <= top:
        return False
    crop = ink[top:y1, x0:x1]
    n, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    parts = [stats[k] for k in range(1, n) if stats[k][cv2.CC_STAT_AREA] >= SPECK]
    if len(parts) < 2:
        return False
    mark = max(parts, key=lambda s: s[0] + s[2])
    digits = [s for s in parts if s is not mark]
    d_top = min(s[1] for s in digits)
    d_bottom = max(s[1] + s[3] for s in digits)
    d_h = d_bottom - d_top
    return (d_h >= 0.5 * h and mark[0] >= max(s[0] + s[2] for s in digits) - 1
            and mark[3] <= 0.5 * d_h and mark[2] <= 0.5 * d_h and mark[1] >= d_top + 0.5 * d_h)


def _open_bracket(word: str) -> bool:
    """The text leaves a bracket open ('¥2781(244単位')."""
    return word.count("(") + word.count("（") > word.count(")") + word.count("）")


def _lines(img, data: dict, measured: dict, rules: list, to_page, pno: int, beside=()) -> list[Line]:
    """Tesseract's words grouped into its lines: cells split at rules and wide gaps,
    corrections recorded, boxes in points."""
    groups = rows(data, beside)
    ink = _ink(img)
    first = [_low_height(data, idx) for idx in groups.values() if all(data["block_num"][i] < 1_000_000 for i in idx)]
    cap = 1.3 * median(first) if first else float("inf")  # lines as first read, not read again alone
    cut_at: dict[tuple, list[bool]] = {}
    h_of: dict[tuple, float] = {}
    labels = []
    edges: dict[tuple, list[Applied]] = {}
    for g, idx in list(groups.items()):
        idx.sort(key=lambda i: data["left"][i])
        h_of[g] = h = _letter(data, idx)
        ink_h, blank = _band_gaps(ink, data, idx, cap)

        def cut(prev, i):
            before = "".join(data["text"][k] for k in idx[: idx.index(i)])
            if data["text"][prev][-1:] in "(（" or data["text"][i][:1] in ")）" and _open_bracket(before):
                return False  # a bracket opened is closed in its cell (the boxes of brackets stray the most)
            if _COUNT.fullmatch(data["text"][prev]) and _TIME_UNIT.match(data["text"][i]):
                return False  # a number and its 分 or 時間 are one time ('30' '分て45分未満'), however far apart read
            wide = NUMBER_GAP if _NUMERIC_END.search(data["text"][prev]) or _NUMERIC_START.search(data["text"][i]) else CELL_GAP
            # where each word begins: a box's left is where its ink starts, its right edge may run far past it
            b = data["left"][i] + min(0.3 * ink_h, data["width"][i] / 2)
            # full-width digits stand apart, and most of all across a comma ('２，２９２')
            gap = DIGITS_INK_GAP if _DIGIT_END.search(data["text"][prev]) and data["text"][i][:1].isdigit() else INK_GAP
            return (data["left"][i] - (data["left"][prev] + data["width"][prev]) > wide * h
                    or any(x1 - x0 > gap * ink_h and data["left"][prev] <= (x0 + x1) / 2 <= b for x0, x1 in blank)
                    or grid.between(rules, data["left"][prev] + min(0.3 * ink_h, data["width"][prev] / 2), b,
                                    data["top"][i], data["top"][i] + data["height"][i]))

        # a mark alone in the first or last cell of a line: the edge of a shaded table or a speck
        edges[g] = []
        while idx and _EDGE_MARK.fullmatch(data["text"][idx[0]]) and (len(idx) == 1 or cut(idx[0], idx[1])):
            edges[g].append(Applied(rule="ocr:stray-mark", printed=data["text"][idx[0]], read=""))
            idx.pop(0)
        while len(idx) > 1 and _EDGE_MARK.fullmatch(data["text"][idx[-1]]) and cut(idx[-2], idx[-1]):
            edges[g].append(Applied(rule="ocr:stray-mark", printed=data["text"][idx[-1]], read=""))
            idx.pop()
        if not idx:
            del groups[g]
            continue
        cut_at[g] = cuts = [cut(prev, i) for prev, i in zip(idx, idx[1:])]
        labels.append(idx[: next((k for k, cut in enumerate(cuts) if cut), len(idx) - 1) + 1])
    reread = {c.line: c for c in kana.reread(img, data, labels)}
    lines: list[tuple[float, Line]] = []
    for g, idx in groups.items():
        cuts = cut_at[g]
        text = ""
        separated: list[Applied] = []
        extents: list[list[int]] = []  # each cell's left and right in the image
        for k, i in enumerate(idx):
            word = data["text"][i]
            left, right = data["left"][i], data["left"][i] + data["width"][i]
            if not word:  # folded into the word before by a second reading: its ink is that word's
                if extents:
                    extents[-1][1] = max(extents[-1][1], right)
                continue
            if text and cuts[k - 1]:
                text += "\t"
                extents.append([left, right])
            elif extents and _GROUP_HEAD.search(text) and _GROUP.match(word) and lost_separator(ink, data, idx[k - 1], i):
                head = re.search(r"\d+$", text).group(0)
                separated.append(Applied(rule="ocr:thousands-separator", printed=f"{head} {word}", read=f"{head},{word}"))
                text += ","
            elif extents and _digits_apart(text, word, left - extents[-1][1], h_of[g]):
                pass  # the digits of one number, read as words one or two apart ('3 7 0円', '50 2')
            elif extents and _COUNT.fullmatch(data["text"][idx[k - 1]]) and _TIME_UNIT.match(word):
                pass  # a number and its 分 or 時間 ('30' '分て45分未満')
            elif (text[-1:].isascii() and text[-1:].isalnum()) and (word[:1].isascii() and word[:1].isalnum()):
                text += " "
            elif (not rules and extents and left - extents[-1][1] > SPACE_GAP * h_of[g] and not text.endswith(" ")
                  and text[-1:] not in "(（[「:：" and word[:1] not in "(（[「)）]」、。,.:"
                  and not re.search(r"[ⅠⅡⅢⅣⅤ][)）]$", text)):  # a tier runs into its sub-tier: '加算(Ⅰ)イ'
                text += " "
            if not extents:
                extents.append([left, right])
            extents[-1][1] = right
            text += word
        x0 = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        x1 = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        box = to_page(x0, top, x1, bottom)
        text = _CELL_SPACE.sub("", text)  # a word read again may bring a space before it ('\t y9080'): no cell starts with one
        text, cleaned = remnants(text)
        text, stray = strays(text)
        text, marked = share_marks(text)
        text, slashed = share_slashes(text)
        text, signed = yen_letters(text)
        text, fixed = thousands(text)
        text, stroked = units_strokes(text)
        text, banded = ranges(text)
        text, named = levels(text)
        text, lexical = correct(text, ocr=True, entries=tuple(e for e in lexicon() if e.ocr_only))
        text, headings = repair_headers(text)
        # each cell's x on the page, for the table reader (kept only while the cells are as measured)
        spans = [(float(to_page(a, top, b, bottom)[0]), float(to_page(a, top, b, bottom)[2])) for a, b in extents]
        line = Line.of(text, None, pno, box, spans if text.count("\t") + 1 == len(spans) else None)
        line.corrections = [c for i in idx for c in measured.get(i, [])] + [reread[i] for i in idx if i in reread] + edges[g] + separated + cleaned + stray + marked + slashed + signed + fixed + stroked + banded + named + lexical + headings + line.corrections
        line.confidence = round(min(float(data["conf"][i]) for i in idx) / 100, 2)
        # tables side by side are read one after the other, left first, as in the text layer
        band = next(((b[0], int(x0 >= b[2])) for b in beside if b[0] <= (top + bottom) / 2 <= b[1]), (top, 0))
        lines.append(((*band, top), line))
    kept = {id(ln) for ln in join_unit_marks([ln for _, ln in lines])}
    lines = [(top, ln) for top, ln in lines if id(ln) in kept]
    lines.sort(key=lambda t: (t[0], t[1].bbox[0]))
    out = []
    for k, (_, line) in enumerate(lines, start=1):
        line.number = k
        for c in line.corrections:
            c.line = k
        out.append(line)
    return out
