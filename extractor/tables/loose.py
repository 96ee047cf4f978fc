"""Cells of a table whose text lost its column gaps: copied from a PDF or a web page with
one space, or none, between cells ('身体介護 20分未満163単位¥1,812¥1,630¥182').

Only a line that holds nothing but cells is taken apart: keys (a label, a time band with its
step rule, a basis such as '1日につき') then values (units, yen, copays labelled with their
share, bare numbers), or a header whose words are all column names. A sentence, a title
with its ■ mark, or a note stays one cell.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex as re

from ..numbers import NUMBER
from ..reading.columns import SHARE_WORD, fold, header_role, pivot_key, split_header, starts_header_word
from ..terms import increment_text, parse_care_levels, parse_time_band
from .cells import Cell, Row

_DIGIT = re.compile(r"\d")

_SHARES = rf"(?:[(（]\s*[123]\s*割\s*[)）]\s*(?:[¥\\]\s*{NUMBER}|{NUMBER})\s*円?\s*/?\s*)+"
_VALUE = re.compile(
    rf"{_SHARES}|[-+▲△]?\s*(?:[¥\\]\s*{NUMBER}(?![\d.])|{NUMBER}\s*(?:円|単位(?!数))|\d+(?:\.\d+)?\s*[%％]|{NUMBER}(?![\d.]))"
    rf"(?:\s*[(（]\s*{NUMBER}\s*単位\s*[)）])?")  # '¥1858(163単位)': the fee with its units
_LEVELS = r"要(?:介護|支援)\s*[1-5](?:\s*[・~〜～、,]\s*[1-5])*"  # '要介護1・2', '要介護3~5'
# where a key ends and a value may begin: after a time band, a basis, a tier, a bracket or care levels
_KEY_END = re.compile(rf"(?:未満|以上|まで|につき|当たり|あたり|毎|加算|減算|[)）ⅠⅡⅢⅣⅤ]|{_LEVELS}"
                      rf"|\d\s*回(?:限り|まで|のみ)?(?=\s*[¥\\]))(?![・~〜～、,]\s*[1-5])")  # ('入所時1回¥21')
_BAND_END = re.compile(r"未満(?=\s*\d)|以上(?=\s*要)")  # '5時間以上6時間未満6時間以上…': where one band ends
_BASIS = re.compile(r"^(?P<name>.*?[^\d\s])\s*(?P<basis>(?:1\s*)?[回日月週食]\s*(?:に)?(?:つき|当たり|あたり))$")
_BARE_STEP = re.compile(r"\s*\d+\s*分\s*(?:を増す)?\s*(?:ごと|毎)\s*に?\s*(?:加算)?$")  # '30分毎に加算': a step without its units
# how often a fee is counted, a key of its own ('入所時1回', '退所時1回', '月1回', '1回限り')
_COUNT = re.compile(r"(?:[^\d\s]{1,6}時|[月週年日])?\s*[1-9]\d?\s*回(?:限り|まで|のみ)?")
_SHARE_RUN = re.compile(rf"((?:{SHARE_WORD}){{2,}})(負担?|負担額)?")  # shares run together ('1割2割3割', '2割3割負')
_BASIS_ONLY = re.compile(r"(?:1\s*)?[回日月週食]\s*(?:に)?(?:つき|当たり|あたり)")  # '1日につき' alone
_NOT_CELLS = re.compile(r"^\s*(?:[■□●○◆◇▼▽◎※*＊]|【|\d{1,2}\s*[.．、]|[(（]\d{1,2}[)）])|[。、]|ます|です|ください")


def _values(text: str) -> list[str] | None:
    """``text`` as a run of value tokens only, or None."""
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _VALUE.match(text, pos)
        if not m or not m.group(0).strip():
            return None
        out.append(m.group(0).strip().rstrip("/").strip())
        pos = m.end()
        while pos < len(text) and text[pos] == " ":
            pos += 1
    return out


def bands(text: str) -> list[str] | None:
    """Time bands run together ('4時間以上5時間未満5時間以上6時間未満'), one each; None
    unless the whole text is two bands or more (a ※ note after them aside). A note that
    states the step of the last, open band ('3時間以上 30分毎に加算※…30分を増すごとに83単位
    を加算') goes with that band, in brackets."""
    text, _, note = text.partition("※")
    out, pos = [], 0
    for m in _BAND_END.finditer(text):
        out.append(text[pos: m.end()].strip())
        pos = m.end()
    out.append(text[pos:].strip())
    out = [b for b in out if b]
    step = increment_text(note)
    if step and out and "以上" in out[-1] and "未満" not in out[-1] and not increment_text(out[-1]):
        out[-1] = f"{_BARE_STEP.sub('', out[-1])}({step})"  # the note's step, with its units, for the band's own words
    return out if len(out) >= 2 and all(b[0].isdigit() and (pivot_key(b) or ("",))[0] == "time_band" for b in out) else None


def _run_notes(text: str) -> list[str] | None:
    """Shares run together, then notes ('1割2割3割(単位)'): the notes are the next columns'."""
    m = re.fullmatch(rf"((?:{SHARE_WORD}){{2,}})((?:[(（][^()（）]{{1,8}}[)）])+)", text)
    if not m:
        return None
    return re.findall(SHARE_WORD, m.group(1)) + re.findall(r"[(（][^()（）]{1,8}[)）]", m.group(2))


def _share_notes(text: str) -> list[str]:
    """A share with the notes of the next columns run onto it ('3割(円)(単位)'), or with the
    start of the next column's name ('9割所定', its '単位数' on the line below), or shares run
    together ('1割2割3割'): apart."""
    if m := _SHARE_RUN.fullmatch(text):  # '2割3割負', its '担' below
        shares = re.findall(SHARE_WORD, m.group(1))
        return shares[:-1] + [shares[-1] + (m.group(2) or "")]
    # one note is the share's own ('1割(円)'); more are the next columns' too
    m = re.fullmatch(rf"(?P<share>{SHARE_WORD})(?P<notes>(?:[(（][^()（）]{{1,8}}[)）]){{2,}})", text)
    if m:
        return [m.group("share"), *re.findall(r"[(（][^()（）]{1,8}[)）]", m.group("notes"))]
    m = re.fullmatch(rf"(?P<share>{SHARE_WORD})(?P<rest>[^\d()（）]{{2,}})", text)
    if m and not _SHARE_GOES_ON.match(m.group("rest")) and starts_header_word(m.group("rest")):
        return [m.group("share"), m.group("rest")]
    return [text]


_SHARE_GOES_ON = re.compile(r"負担|相当|分|給付|支給|額|金|の|円|部分|自己")  # '1割負担額', '9割給付費': one name


def _cut_names(text: str) -> list[str] | None:
    """Column names run together whose last one the line's end cut ('報酬単位利用者', its
    '負担額' on the line below): the whole names, then the start of the last; None unless
    that is all the text is."""
    t = unicodedata.normalize("NFKC", text).strip()
    for k in range(len(t) - 2, 1, -1):
        head, tail = t[:k], t[k:]
        if starts_header_word(tail) and not header_role(tail) and (
                (names := split_header(head)) or header_role(head) and fold(header_role(head)[1]) == fold(head)):
            return [*(names or [head]), tail]
    return None


def _notes(text: str) -> list[str] | None:
    """Notes run together ('(単位)(1割)(円)'), one each: the second line of a header."""
    notes = re.findall(r"[(（][^()（）]{1,8}[)）]", text)
    return notes if len(notes) >= 2 and "".join(notes) == text else None


def _keys(text: str) -> list[str]:
    """A key run, a cell each: a fee's name and its basis ('個別機能訓練加算(Ⅱ)1月につき'),
    a time band and a care level ('3時間~4時間未満要介護1')."""
    m = _BASIS.match(text)
    if m and not parse_time_band(m.group("name")) and (
            m.group("basis")[0].isdigit() or not re.search(r"[\p{Han}\p{Hiragana}\p{Katakana}]$", m.group("name"))):
        return [m.group("name").strip(), m.group("basis")]  # not '死亡' + '月につき': one word
    m = re.fullmatch(rf"(?P<band>.+?(?:未満|以上))\s*(?P<level>{_LEVELS})", text)
    if m and parse_time_band(m.group("band")):
        return [m.group("band"), m.group("level")]
    m = re.fullmatch(rf"(?P<name>.*?[^\s\d])\s*(?P<level>{_LEVELS})", text)
    if m and not parse_time_band(m.group("name")):  # '居宅介護支援費(Ⅰ)(i)要介護1・2': a fee and its care levels
        return [m.group("name"), m.group("level")]
    m = re.fullmatch(r"(?P<name>.*?[^\s\d])\s*(?P<band>\d+\s*(?:時間|分).*)", text)
    if m and not parse_time_band(m.group("name")) and (pivot_key(m.group("band")) or ("",))[0] == "time_band" \
            and not re.search(r"\d", m.group("name")):
        return [m.group("name"), m.group("band")]  # a name and its time band ('通院等介助(身体介護を伴わない)30分未満')
    return bands(text) or [text]


def _chunk(chunk: str) -> list[str] | None:
    """One space-free run: keys then values, split where a key ends and only values follow."""
    values = _values(chunk)
    if values is not None:
        return values
    for m in _KEY_END.finditer(chunk):  # the first place after which only values follow
        head, rest = chunk[: m.end()], chunk[m.end():]
        if re.search(r"[¥\\]\s*\d", head) and not re.search(r"割\s*[)）]$", head):
            continue  # a yen amount is never inside a key ('…¥1037(97単位)': the bracket ends a value)
        if rest and (vals := _values(rest)) is not None:
            # '通院等乗降介助(1割)¥97/(2割)¥194/(3割)¥291': the shares began at the first
            share = re.search(r"[(（]\s*[123]\s*割\s*[)）]", head) if re.search(r"割\s*[)）]$", head) else None
            if share and share.start() > 0 and (with_share := _values(chunk[share.start():])) is not None:
                return _keys(head[: share.start()]) + with_share
            return _keys(head) + vals
    for m in re.finditer(r"[¥\\]|\d", chunk):  # a name with no key ending, its values glued on ('通院等乗降介助¥1078(97単位)')
        head = chunk[: m.start()]
        if re.search(r"\d", head):
            break
        if head.strip() and (vals := _values(chunk[m.start():])) is not None and re.search(r"[¥\\円]|単位", vals[0]) \
                and not parse_care_levels(chunk) and not parse_time_band(chunk):
            return _keys(head) + vals
    return None


@lru_cache(maxsize=65536)
def loose_cells(text: str) -> tuple[str, ...] | None:
    """The cells of a line printed without column gaps, or None when it is not such a line."""
    text = text.strip()
    if not text or _NOT_CELLS.search(text) or len(text) > 120:
        return None
    if " " not in text and not re.search(r"\d", text):  # '利用料利用者負担額利用料利用者負担額'
        names = split_header(text) or _notes(text)  # '(円)(円)(円)': the notes of a header's lower line
        return tuple(names) if names else None
    whole = bands(text)  # bands run together, a space inside a band ('30分以上 1時間未満1時間以上 …')
    if whole:
        return tuple(whole)
    chunks = text.split(" ")
    if all(not re.search(r"\d", c) or pivot_key(c) or bands(c) or split_header(c) or _notes(c) or _SHARE_RUN.fullmatch(c)
           or header_role(c) and re.fullmatch(
            rf"[^\d]*{SHARE_WORD}[^\d]*", c) for c in chunks):
        # a header: every word names a column or is a row key written across the top (not a title)
        if re.search(r"表|一覧|案内|について|のご", text):
            return None
        cells = [q for c in chunks for p in (_run_notes(c) or split_header(c) or bands(c) or _notes(c) or _cut_names(c) or [c])
                 for q in _share_notes(p)]
        named = sum(1 for c in cells if header_role(c) or pivot_key(c))
        if len(cells) >= 2 and named * 2 >= len(cells):
            return tuple(cells)
        # not a header: a key with its values glued on that read as one key ('要介護2¥922¥931') is read on
    if all(re.fullmatch(r"[1-9]", c) for c in chunks):  # '1 2 3 4 5': the care levels' digits under their heading
        return tuple(chunks) if len(chunks) >= 2 else None
    cells: list[str] = []
    glued = False  # a key and a value with no space between them: the gap was lost
    for k, chunk in enumerate(chunks):
        parts = _chunk(chunk)
        if parts is not None and len(parts) > 1 and _values(chunk) is None:
            glued = True
        if parts is None:
            if any(re.search(r"\d", c) for c in chunks[k + 1:]) or not cells:
                keys = _keys(chunk)
                if re.search(r"\d", chunk) and not parse_time_band(chunk) and not pivot_key(chunk) and len(keys) < 2 \
                        and not parse_care_levels(chunk) and not _COUNT.fullmatch(chunk) and not _BASIS_ONLY.fullmatch(chunk):  # '要介護3・4・5' is a key
                    return None  # a number inside words: a sentence or a code, not cells
                parts = keys  # a key ('身体介護', '30分未満', a fee and its care levels), values after it
                glued = glued or len(keys) > 1
            else:
                parts = [chunk]  # words after the values: a 備考 cell
        cells.extend(parts)
    values = sum(1 for c in cells if _values(c) is not None)
    # one value a space after its label ('入浴費 50単位') is a fee line, read as a line
    # ... but a row key and its one value ('要介護2 423', '要介護3・4・5 14110' under a care level's header) are cells
    # ... and so are a name, a row key or basis and one value ('従来型個室 要介護1 788単位', '… 入所時1回 20')
    return tuple(cells) if values >= 2 or values == 1 and (glued or len(cells) == 2 and (
        pivot_key(cells[0]) or parse_care_levels(cells[0]) and re.fullmatch(_LEVELS, cells[0])) or len(cells) == 3 and (
        _values(cells[2]) is not None and (pivot_key(cells[1]) or _COUNT.fullmatch(cells[1]) or _BASIS_ONLY.fullmatch(cells[1]))
        and not _DIGIT.search(cells[0]))) else None


def loose_row(row: Row) -> Row | None:
    """``row`` (one cell) as the cells its text runs together, in order; None if it is not."""
    if len(row.cells) != 1 or row.placed:
        return None
    cells = loose_cells(row.cells[0].text)
    if cells is None:
        return None
    return Row(row.line, [Cell(t, i, i + 1) for i, t in enumerate(cells)], more=row.more)


def band_header(row: Row) -> Row | None:
    """A header whose time bands run together across its cells, a space or a cell gap
    inside a band ('内容 30分未満30分以上', '1時間未満1時間以上' …): its leading column
    names, then one cell per band, in order; None when the row is not such a header."""
    texts = [c.text for c in row.filled]
    if not texts or any(_values(t) is not None for t in texts):
        return None
    words = " ".join(texts).split(" ")
    for k in range(len(words)):
        head, rest = words[:k], " ".join(words[k:])
        if any(_DIGIT.search(w) for w in head):
            return None
        found = bands(rest)
        if found:
            if len(head) + len(found) == len(row.filled):
                return None  # already a cell a band
            return Row(row.line, [Cell(t, i, i + 1) for i, t in enumerate(head + found)], more=row.more)
    return None

