"""What each column of a table holds, two ways: by its header's words (data in
``data/header_words.json``) and by its arithmetic (units × 1単位の単価 floors to the full
fee; the full fee's shares give the 1/2/3割 and the benefit columns).

A column's role says why it was given (``header:単位数``, ``arithmetic:floor(units×11.12)``),
so a table's parsing report can show it. A header word never outweighs arithmetic that
holds on the table's rows: a column headed 利用料 whose values are a tenth of the fee is
the 1割 share.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

import regex as re

from ..prices import floor_yen, prices_for
from ..terms import band_minutes, increment_text, parse_care_levels, parse_time_band

KEY_ROLES = ("service", "item", "time_band", "care_level", "room", "basis", "code", "note", "limit", "outside")
VALUE_ROLES = ("units", "rate", "total", "benefit", "copay1", "copay2", "copay3")
AMOUNT_ROLES = ("total", "benefit", "copay1", "copay2", "copay3")

_FOLD = re.compile(r"[\s()\[\]（）【】「」<>＜＞:：/・･|]+")
_RANGE = re.compile(r"\d+(?:\.\d+)?\s*~\s*\d+(?:\.\d+)?\s*未満")
_ROOM = re.compile(r"個室|多床室|ユニット型|準個室")
SHARE_WORD = r"(?:10|[1-9])\s*割"  # a share as a column names it ('1割', '10割'), for patterns of the header
_SHARE = re.compile(r"(?<!\d)(10|[1-9])\s*割")


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    return _FOLD.sub("", unicodedata.normalize("NFKC", s))


@lru_cache(maxsize=1)
def _words() -> tuple[tuple[str, str], ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("header_words.json").read_text("utf-8"))
    pairs = [(fold(w), role) for role, words in raw["roles"].items() for w in words]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def header_words() -> tuple[tuple[str, str], ...]:
    """Every header word the list knows, folded, with its role; the longest first."""
    return _words()


def starts_header_word(text: str, roles: frozenset[str] | set[str] | None = None) -> bool:
    """``text`` is the start of a column name the header list knows (one of ``roles``, if
    given), or the whole name: a name the line's end cut ('基本利用', '報酬単位利用者')."""
    t = fold(text)
    return any(w.startswith(t) and (roles is None or role in roles) for w, role in _words())


@lru_cache(maxsize=1)
def out_of_scope_words() -> tuple[str, ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("header_words.json").read_text("utf-8"))
    return tuple(raw.get("out_of_scope", []))


# marks and numbering a title or a cell may start with ('■', '①', '【', '2.', '※')
LEAD_MARKS = re.compile(r"^[\s■□◆◇●○・※*＊【\[〔(（]*(?:[①-⑳]|\d{1,2}[.．、)）])?[\s【\[〔]*")
# a title that says its table is not of the insurance ('介護保険対象外', '保険給付の対象外')
_NOT_INSURED = re.compile(r"保険(?:給付)?の?(?:対象外|適用外)")
# a stage of the income-based limits of 居住費・食費 ('負担段階', '所得段階'): a 負担限度額 table
STAGE_HEADER = re.compile(r"^(?:利用者)?(?:負担|所得)段階")


def starts_outside(text: str) -> bool:
    """``text`` (a title, a header cell, a line), past its marks, starts with a word of a
    charge outside the tariff ('■居住費・食費（1日あたり）', '食費（円）', '食費　朝食４００円…')."""
    return out_of_scope_pattern().match(text, LEAD_MARKS.match(text).end()) is not None


def outside_title(text: str) -> bool:
    """A table's title that puts its yen outside the tariff: it starts with a 実費 word, or
    says the table is not of the insurance ('（1日あたり・介護保険対象外）')."""
    return starts_outside(text) or _NOT_INSURED.search(text) is not None


@lru_cache(maxsize=1)
def out_of_scope_pattern():
    """``out_of_scope_words`` as one pattern: ``search(text, a, b)`` finds one of them in
    ``text[a:b]`` in one pass, where testing each word took a pass each."""
    words = out_of_scope_words()
    return re.compile("|".join(re.escape(w) for w in words) if words else r"(?!)")


@lru_cache(maxsize=65536)
def header_role(text: str) -> tuple[str, str] | None:
    """The role a header cell names, with the word that named it: '利用者負担額(2割)' ->
    ('copay2', '2割'); '単位数' -> ('units', '単位数'); '保険給付額(9割)' -> ('benefit', …)."""
    t = fold(text)
    if not t or len(t) > 24 or re.search(r"\d\s*(?:円|単位)|[¥\\]\s*\d|^[-+▲△]?\d[\d,.]*$", t) or re.search(
            r"[(（]\s*\d\s*割\s*[)）]\s*\d", text):  # '(1割)341/(2割)681': copays, not a column's name
        return None  # a value ('266単位', '¥717', '1,086'), not a column's name
    m = _SHARE.search(t)
    if m:
        n = int(m.group(1))
        if n == 10:
            return "total", m.group(0)
        if n >= 7 or "給付" in t:
            return "benefit", m.group(0)
        if n <= 3:
            return f"copay{n}", m.group(0)
    for word, role in _words():
        if word in t:
            return role, word
    return None


_SHARES = re.compile(SHARE_WORD)


@lru_cache(maxsize=1 << 16)
def value_word(text: str) -> str | None:
    """The value role a label names its line's values by ('単位数' units, '利用者負担金' copay1,
    '利用者負担(1割)' copay1), when the words of that role are most of it; else None."""
    if re.search(r"\d", _SHARES.sub("", text)):
        return None
    hr = header_role(text)
    if not hr or hr[0] not in VALUE_ROLES:
        return None
    rest = fold(_SHARES.sub("", text)).strip("()（）[]【】 ")
    word = header_role(rest) if rest else None
    covered = len(hr[1]) * 3 >= len(fold(text)) * 2 or not rest or word is not None and len(word[1]) * 3 >= len(rest) * 2
    return hr[0] if covered else None


_LOWER_ROW = re.compile(r"下段\s*[:：]?\s*([^\s)）]+)")  # (compiled once: asked of every table's title)


def role_in_title(text: str) -> str | None:
    """The share a table's title says its amounts are ('ご利用料金（1日あたり・1割負担）'), or
    what it says its lower line holds ('上段：単位数　下段：利用者負担額')."""
    m = _SHARE.search(fold(text))
    if m and (share := header_role(m.group(0))) is not None:  # (not '定着率 5割以上': a tier, no share)
        return share[0]
    lower = _LOWER_ROW.search(text)
    role = header_role(lower.group(1)) if lower else None
    return role[0] if role and role[0] in AMOUNT_ROLES else None


@lru_cache(maxsize=1)
def _spellings() -> re.Pattern:
    raw = json.loads(resources.files("extractor.data").joinpath("header_words.json").read_text("utf-8"))
    words = sorted({unicodedata.normalize("NFKC", w) for ws in raw["roles"].values() for w in ws}, key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    return re.compile(rf"[ごお御]?(?:{alternation}|{SHARE_WORD})(?:\s*[(（][^()（）]{{1,8}}[)）])*")


@lru_cache(maxsize=65536)
def split_header(text: str) -> list[str] | None:
    """Column names run together in one cell ('自己負担額(円)費用総額(円)所定単位数'), one
    each with its bracketed note; None unless the whole cell is two names or more."""
    t = unicodedata.normalize("NFKC", text).strip()
    out, pos = [], 0
    while pos < len(t):
        m = _spellings().match(t, pos)
        if not m:
            break
        out.append(m.group(0).strip())
        pos = m.end()
    else:
        return out if len(out) >= 2 else None
    # a word the list lacks: a bracketed note ends a name ('自己負担額(円)基本利用料(円)所定単位数')
    pieces = [p for p in re.split(r"(?<=[)）])(?=[^()（）\s])", t) if p]
    return pieces if len(pieces) >= 2 and all(header_role(p) for p in pieces) else None


@lru_cache(maxsize=65536)
def header_run(text: str) -> bool:
    """Column names run together ('利用料利用者負担額利用料'): a header line, never a fee's name."""
    t = fold(text)
    found = 0
    for word, _ in _words():
        if len(word) >= 2 and word in t:
            found += t.count(word)
            t = t.replace(word, "")
    return found >= 2 and not t


@lru_cache(maxsize=65536)
def unnamed_share(text: str) -> float:
    """How much of a cell no header word accounts for (0: all of it is header words)."""
    t = fold(text)
    if not t:
        return 1.0
    rest = _SHARE.sub("", t)
    for word, _ in _words():
        rest = rest.replace(word, "")
    return len(rest) / len(t)


_INCREMENT = re.compile(r"[(（]?\s*\d+\s*分\s*(?:を増す)?\s*(?:ごと|毎)\s*に?\s*(?:加算)?[^()（）]*[)）]?")
_GROUP_DIGIT = re.compile(r"(?P<group>[^\d\s]{2,8})\s*(?P<n>[1-5])")  # a care-level group heading and its digit


@lru_cache(maxsize=65536)
def pivot_key(text: str) -> tuple[str, str] | None:
    """A header cell that is itself a row key: a care level ('要介護3') or a time band
    ('30分以上1時間未満', '2~3未満' under a 時間 header is read by the caller)."""
    t = text.strip()
    if t and (step := increment_text(t)) and re.fullmatch(r"\s*[)）]?", t[t.rfind(step) + len(step):]) \
            and (band := parse_time_band(t)) and band_minutes(band) and t.startswith(band[:2]) and len(t) <= 40 and "円" not in t:
        return "time_band", t  # '3時間以上(30分を増すごとに83単位)': the band with its step, for the rows to read
    if not t or len(t) > 30 or re.search(r"単位|円|割", t):
        return None
    m = _GROUP_DIGIT.fullmatch(t)
    # ('区分' over a digit in a cell of its own is 介護区分's; '区分3' in one word is 障害支援区分 3)
    if m and "障害" not in t and not re.fullmatch(r"区分\d", t) \
            and (header_role(m.group("group")) or ("",))[0] == "care_level":  # '介護区分' over '3'
        return "care_level", ("要支援" if "支援" in m.group("group") else "要介護") + m.group("n")
    levels = parse_care_levels(t)
    if len(levels) == 1 and len(re.sub(r"要介護|要支援|介護度|\d|\s", "", t)) <= 2:
        return "care_level", levels[0]  # ('区分3' alone: 障害支援区分 3)
    if len(levels) > 1 and re.fullmatch(r"(?:障害支援)?区分\s*[1-6]\s*(?:以下|以上)", t):
        return "care_level", t  # '区分2以下': the levels it covers, read with the row
    levels = parse_care_levels(t)
    band = parse_time_band(t)
    if band and band_minutes(band) and not re.search(r"(?:未満|以上|まで)\s*[\d,]+\s*$", t) and (len(t) <= len(band) + 6 or _INCREMENT.fullmatch(t[t.find(band[-2:]) + 2:].strip())):
        return "time_band", band  # '3時間以上 30分毎に加算': a band with its increment
    if _RANGE.fullmatch(t):  # '2~3未満' under a '(単位:時間)' heading: the reader adds the unit
        return "time_band", t
    if _ROOM.search(t) and len(t) <= 16:  # '従来型個室', '多床室', 'ユニット型個室' across the top
        group = header_role(t)
        if group and group[0] == "room" and t.startswith(group[1]) and _ROOM.search(t[len(group[1]):]):
            t = t[len(group[1]):].strip()  # '居室区分' over its rooms: the heading is not the room's name
        return "room", t
    return None


@dataclass
class Column:
    index: int  # ordinal cell index (tabs, pipes) or the header cell's order (aligned text)
    start: int
    end: int
    header: str
    role: str | None = None
    why: str = ""
    key: tuple[str, str] | None = None  # a pivot column: (role, value) every value in it has

    def to_report(self) -> dict:
        out = {"header": self.header, "role": self.role, "why": self.why}
        if self.key:
            out["key"] = f"{self.key[0]}={self.key[1]}"
        return out


@dataclass
class Shares:
    """How one table's amount columns relate to the full fee (found by ``settle``)."""

    price: Decimal | None = None
    why: dict[int, str] = field(default_factory=dict)


def _fits(pairs: list[tuple[int, int]], f) -> bool:
    """f(a) == b on at least four fifths of the rows (and two rows, unless only one)."""
    if not pairs:
        return False
    hits = sum(1 for a, b in pairs if f(a) == b)
    return hits == len(pairs) if len(pairs) < 3 else hits * 5 >= len(pairs) * 4


def _nearly(pairs: list[tuple[int, int]], f) -> bool:
    """f(a) == b on every row but one, and on two rows at least."""
    hits = sum(1 for a, b in pairs if f(a) == b)
    return hits >= 2 and hits >= len(pairs) - 1


SHARE_OF_TOTAL = {
    # the 介護 benefit floors the insurer's share; 障害's official rule floors the copay and leaves the rest
    "benefit": [lambda t, r=r: floor_yen(t, Decimal(r)) for r in ("0.9", "0.8", "0.7")]
               + [lambda t, r=r: t - floor_yen(t, Decimal(r)) for r in ("0.1", "0.2", "0.3")],
    "copay1": [lambda t: t - floor_yen(t, Decimal("0.9")), lambda t: floor_yen(t, Decimal("0.1"))],
    "copay2": [lambda t: t - floor_yen(t, Decimal("0.8")), lambda t: floor_yen(t, Decimal("0.2"))],
    "copay3": [lambda t: t - floor_yen(t, Decimal("0.7")), lambda t: floor_yen(t, Decimal("0.3"))],
}


def settle(columns: dict[int, list[int | None]], roles: dict[int, str], stated: Decimal | None,
           scheme: str | None, yen: frozenset = frozenset()) -> tuple[dict[int, str], dict[int, str], Decimal | None]:
    """Roles of numeric columns by arithmetic. ``columns``: index -> values by row (None
    where empty); ``roles``: the header roles so far. Returns the roles that arithmetic
    proves (index -> role), why, and the unit price that explains units -> total."""
    proved: dict[int, str] = {}
    why: dict[int, str] = {}
    candidates = ([stated] if stated else []) + [p for p in prices_for(scheme) if p != stated]
    units = [i for i, r in roles.items() if r == "units"]
    unknown = [i for i in columns if roles.get(i) in (None, "units", "total", "benefit", "copay1", "copay2", "copay3")]

    def pairs(a: int, b: int) -> list[tuple[int, int]]:
        return [(x, y) for x, y in zip(columns[a], columns[b]) if x is not None and y is not None]

    price = None
    total = None
    # a column whose values are printed as yen ('¥256') is never units, whatever its arithmetic
    named_total = [i for i, r in roles.items() if r == "total" and i in columns]
    for u in units or [i for i in unknown if i not in yen and roles.get(i) in (None, "units")]:
        for t in unknown:
            if t == u:
                continue
            ps = pairs(u, t)
            p = next((p for p in candidates if _fits(ps, lambda x, p=p: floor_yen(x, p))), None)
            if p is not None and len(named_total) == 1 and t != named_total[0]:
                # the column the header names the full fee fits every row but one (a misprint there): it
                # is the fee, whatever another column fits ('介護保険給付額', equal to the fee, fits all)
                ps = pairs(u, named_total[0])
                near = next((q for q in candidates if _nearly(ps, lambda x, q=q: floor_yen(x, q))), None)
                if near is not None:
                    t, p = named_total[0], near
            if p is not None:
                proved[u], proved[t] = "units", "total"
                why[u] = why[t] = f"arithmetic:floor(units×{p})"
                price, total = p, t
                break
        if total is not None:
            break
    if total is None and len(units) == 1 and len(named_total) == 1 and units[0] in columns:
        # units and a full fee each named by its header, the arithmetic right on every row but one (a
        # misprint, or a digit misread, there): the header is right about both
        near = next((q for q in candidates if _nearly(pairs(units[0], named_total[0]), lambda x, q=q: floor_yen(x, q))), None)
        if near is not None:
            proved[units[0]], proved[named_total[0]] = "units", "total"
            why[units[0]] = why[named_total[0]] = f"arithmetic:floor(units×{near}) on all rows but one"
            price, total = near, named_total[0]
    if total is None:
        # a full fee named by its header, its units printed inside it or not at all ('¥1858(163単位)')
        named = [i for i, r in roles.items() if r == "total" and i in columns]
        total = named[0] if len(named) == 1 else None
    if total is not None:
        for c in unknown:
            if c in proved:
                continue
            for role, fs in SHARE_OF_TOTAL.items():
                if any(_fits(pairs(total, c), f) for f in fs):
                    proved[c], why[c] = role, f"arithmetic:{role} of total"
                    break
    elif units:
        # no full fee printed: a share column is floor(units × price) less the benefit
        u = units[0]
        for c in unknown:
            if c == u:
                continue
            for role, fs in SHARE_OF_TOTAL.items():
                if role == "benefit":
                    continue
                p = next((p for p in candidates if any(
                    _fits(pairs(u, c), lambda x, p=p, f=f: f(floor_yen(x, p))) for f in fs)), None)
                if p is not None:
                    proved[c], why[c], price = role, f"arithmetic:{role} of floor(units×{p})", p
                    break
    return proved, why, price
