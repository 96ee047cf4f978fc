"""Domain terms read from normalized text: tier markers, care levels, basis, time bands,
units phrases and time-stepped rules, and the canonical item name built from a label.

Canonical tier forms (the printed form stays in the row's ``label``):
  upper tiers Ⅰ Ⅱ (Ⅲ) (III) -> (Ⅰ) (Ⅱ) (Ⅲ);  lower tiers ⅰ (ii) (ⅲ) -> (i) (ii) (iii);
  ⑴ (1) -> (1);  ㈠ (一) -> (一);  イ ロ ハ stay as kana.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex as re

from .model import Step
from .numbers import NUMBER, to_int
from .text import fullwidth_ascii, squeeze

UPPER = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
LOWER = "ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹ"
ASCII_UPPER = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
ASCII_LOWER = [r.lower() for r in ASCII_UPPER]
KANJI_NUM = "一二三四五六七八九十"
PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
PAREN_KANJI = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネ"


def canonical_tier(marker: str) -> str:
    """Any printed tier marker to its canonical form: 'Ⅱ','(II)','（Ⅱ）' -> '(Ⅱ)'."""
    m = marker.strip().strip("()（）")
    if len(m) == 1 and m in UPPER:
        return f"({m})"
    if len(m) == 1 and m in LOWER:
        return f"({ASCII_LOWER[LOWER.index(m)]})"
    if m in ASCII_UPPER:
        return f"({UPPER[ASCII_UPPER.index(m)]})"
    if m in ASCII_LOWER:
        return f"({m})"
    if len(m) == 1 and m in PAREN_DIGITS:
        return f"({PAREN_DIGITS.index(m) + 1})"
    if len(m) == 1 and m in PAREN_KANJI:
        return f"({KANJI_NUM[PAREN_KANJI.index(m)]})"
    if m.isdigit() or (len(m) == 1 and m in KANJI_NUM):
        return f"({m})"
    if len(m) == 1 and m in IROHA:
        return m
    return marker


_ROMAN_ASCII = "|".join(sorted(ASCII_UPPER + ASCII_LOWER, key=len, reverse=True))
_TIER_IN_LABEL = re.compile(
    rf"\(\s*(?:[{UPPER}{LOWER}]|{_ROMAN_ASCII}|\d{{1,2}}|[{KANJI_NUM}])\s*\)"
    rf"|[{UPPER}{LOWER}{PAREN_DIGITS}{PAREN_KANJI}]"
)
# Enumerators in front of an item: 'イ)', 'ロ ', '(1)', '⑴', 'ニ ' …
_LEAD_ENUM = re.compile(rf"^(?:[{IROHA}][)）]\s*|[{IROHA}]\s+(?=\S)|\(\d{{1,2}}\)\s*|[{PAREN_DIGITS}]\s*|\d{{1,2}}\s+)+")


_FOOTNOTE_MARK = re.compile(r"\s*\(※\s*\d*\)|\s*※\s*\d*$")


def canonical_tiers(s: str) -> str:
    """Rewrite every tier marker inside ``s`` to its canonical form."""
    return _TIER_IN_LABEL.sub(lambda m: canonical_tier(m.group(0)), s)


@lru_cache(maxsize=1 << 15)
def canonical_item(label: str) -> str:
    """The canonical item name from a printed label: no enumerator, no inner spaces,
    canonical tiers. '居宅介護支援費Ⅰ' -> '居宅介護支援費(Ⅰ)'; 'イ)退院・退所加算(Ⅰ)イ' ->
    '退院・退所加算(Ⅰ)イ'; '入院時情報連携加算（Ⅱ）' -> '入院時情報連携加算(Ⅱ)'."""
    s = _LEAD_ENUM.sub("", label.strip())
    s = _FOOTNOTE_MARK.sub("", s)
    s = canonical_tiers(squeeze(s))
    return s.replace(" ", "")


# --- care levels ---------------------------------------------------------------------

# '支援1' alone (事業対象者・支援1, the 総合事業's way) is 要支援1; never inside a word (居宅介護支援1)
_CARE = re.compile(
    r"(?P<kind>要介護|要支援|介護度|(?<![\p{Han}\p{Katakana}])支援)\s*(?P<first>[1-5])(?!\s*(?:日|月|回|時間|分|人|名)(?:につき|あたり|当たり|以上|未満|$))"
    r"(?P<rest>(?:\s*[・.,、]\s*(?:(?:要介護|要支援)\s*)?[1-5])*)"
    r"(?:\s*(?:~|から)\s*(?:要介護|要支援)?\s*(?P<to>[1-5]))?"
)


_CARE_TOKEN = re.compile(r"(?P<kind>要介護|要支援|介護度|支援)?\s*(?P<n>[1-5])")


# 障害福祉's 障害支援区分, the care level of its day and residential services ('区分6', '障害支援区分3',
# '区分2以下'); not a 地域区分, 居室区分, 認定区分 or 介護区分 ('介護区分 3' is 要介護3, read by the header)
_SUPPORT = re.compile(r"(?<!地域|居室|認定|介護|利用者|負担|時間)(?:障害支援)?区分\s*(?P<n>[1-6])(?![\d.])(?!\s*級)(?:\s*(?P<dir>以下|以上))?")


def parse_care_levels(s: str) -> list[str]:
    """'要介護 3・ 4・ 5' -> [要介護3, 要介護4, 要介護5]; '要介護 1.2'; '介護度１' -> [要介護1];
    '要介護1~5'; '要支援1・2'; '要支援2・要介護1' (the kind may change inside a list);
    障害支援区分: '区分6' -> [区分6], '区分2以下' -> [区分1, 区分2].
    総合事業's 事業対象者 (eligible without a 要支援 level) is a level of its own.
    Returns levels in printed order, without duplicates."""
    out: list[str] = ["事業対象者"] if "事業対象者" in s else []
    if "区分" in s:
        for m in _SUPPORT.finditer(fullwidth_ascii(s)):
            n = int(m.group("n"))
            span = range(1, n + 1) if m.group("dir") == "以下" else range(n, 7) if m.group("dir") == "以上" else (n,)
            out += [f"区分{k}" for k in span if f"区分{k}" not in out]
    for m in _CARE.finditer(fullwidth_ascii(s)):
        kind = "要介護"
        levels: list[str] = []
        for t in _CARE_TOKEN.finditer(m.group(0)[: m.start("to") - m.start(0)] if m.group("to") else m.group(0)):
            if t.group("kind"):
                kind = "要支援" if t.group("kind") in ("要支援", "支援") else "要介護"
            levels.append(f"{kind}{t.group('n')}")
        if m.group("to"):
            first = int(levels[0][-1])
            levels = [f"{levels[0][:-1]}{n}" for n in range(first, int(m.group("to")) + 1)]
        for level in levels:
            if level not in out:
                out.append(level)
    return out


CARE_ORDER = ["事業対象者"] + [f"要支援{n}" for n in (1, 2)] + [f"要介護{n}" for n in range(1, 6)] + [f"区分{n}" for n in range(1, 7)]


def strip_care_levels(s: str) -> str:
    s = s.replace("事業対象者", "") if "事業対象者" in s else s
    return _SUPPORT.sub("", _CARE.sub("", s)).strip() if "区分" in s else _CARE.sub("", s).strip()


# --- basis -----------------------------------------------------------------------------

_PER = r"\s*(?:に\s*つき|当たり|あたり)"
_BASIS_EXPLICIT = [
    (re.compile(rf"1\s*月{_PER}"), "month"),
    (re.compile(rf"1\s*日{_PER}|日額"), "day"),
    (re.compile(rf"1\s*食{_PER}"), "meal"),
    (re.compile(rf"1\s*回{_PER}|片道{_PER}?|往復{_PER}?"), "once"),  # 送迎 '片道につき': each trip
]
_BASIS_LOOSE = [
    (re.compile(r"月\s*(?:額|\d+\s*回)|1\s*月(?![\d日])"), "month"),
    (re.compile(r"1\s*日(?!\d)"), "day"),
    (re.compile(r"1\s*食"), "meal"),
    (re.compile(r"\d+\s*回"), "once"),
]


_read_care_levels = parse_care_levels


@lru_cache(maxsize=1 << 15)
def _care_levels(s: str) -> tuple[str, ...]:
    return tuple(_read_care_levels(s))


def parse_care_levels(s: str) -> list[str]:  # noqa: F811
    """``_read_care_levels`` (the care levels' reading) remembered by text, a new list on every call."""
    return list(_care_levels(s))


@lru_cache(maxsize=1 << 15)
def parse_basis(s: str, visit_service: bool = False) -> str | None:
    """'1月につき' '月 1回' '1月' -> month; '1日' -> day; '1食' -> meal; '1回' -> once,
    or visit for visiting services (訪問介護, 訪問看護, 居宅介護 …). An explicit
    '…につき' wins over a limit: '1回につき（月4回を限度）' is once."""
    for table in (_BASIS_EXPLICIT, _BASIS_LOOSE):
        for pattern, basis in table:
            if pattern.search(s):
                return "visit" if basis == "once" and visit_service else basis
    return None


# --- time bands and steps --------------------------------------------------------------

_DURATION = r"(?:\d+(?:\.\d+)?\s*時間(?:\s*\d+\s*分)?|\d+\s*分)"
_TILDE = r"[~～〜]"
# (and the bands of 障害児通所 by 時間区分, bounded by 以下 and 超: '30分以上1時間30分以下', '1時間30分超3時間以下', '3時間超')
TIME_BAND = re.compile(
    rf"{_DURATION}\s*(?:以上\s*(?:{_TILDE}\s*)?(?:{_DURATION}\s*(?:未満|以下))?|超\s*(?:{_DURATION}\s*以下)?"
    rf"|{_TILDE}\s*{_DURATION}\s*未満|未満)")
_HOURS = re.compile(r"(\d+)\.(\d+)\s*時間")
_SPACES = re.compile(r"\s+")
_FROM_TILDE = re.compile(rf"以上{_TILDE}")
_UNIT_TILDE = re.compile(rf"(?<=[時間分]){_TILDE}")


def _whole(m) -> str:
    """'1.5時間' -> '1時間30分', '0.5時間' -> '30分' (a fraction of an hour that is not whole
    minutes is left as printed)."""
    minutes = Decimal(m.group(0).rstrip("時間").strip()) * 60
    if minutes != minutes.to_integral_value():
        return m.group(0)
    h, mm = divmod(int(minutes), 60)
    return (f"{h}時間" if h else "") + (f"{mm}分" if mm else "")


@lru_cache(maxsize=1 << 15)
def parse_time_band(s: str) -> str | None:
    """'30分以上1時間未満', '1時間30分以上', '20分未満', spaces removed, in one form:
    '30分～1時間未満' and '30分以上～1時間未満' -> '30分以上1時間未満', '1.5時間' -> '1時間30分'."""
    m = TIME_BAND.search(s)
    if not m:
        return _range_band(s)
    band = _SPACES.sub("", m.group(0))
    band = _FROM_TILDE.sub("以上", band)
    band = _UNIT_TILDE.sub("以上", band)
    band = _HOURS.sub(_whole, band)
    return _OVER_AN_HOUR.sub(_in_hours, band)


_OVER_AN_HOUR = re.compile(r"(?<![\d時間])(\d+)分")
# a band written as a range with no 以上/未満 ('3～4時間', '2時間～3時間', '20～30分'): from the first, up to the second
_RANGE = re.compile(r"(?<![\d.])(\d+)\s*(時間|分)?\s*[~～〜]\s*(\d+)\s*(時間|分)(?!\s*(?:\d|以上|未満|まで))")


def _range_band(s: str) -> str | None:
    """'3～4時間' -> '3時間以上4時間未満', as fee tables abbreviate their bands; None when the
    first is not below the second."""
    m = _RANGE.search(s)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(3))
    ua, ub = m.group(2) or m.group(4), m.group(4)
    if (a * 60 if ua == "時間" else a) >= (b * 60 if ub == "時間" else b):
        return None
    return _OVER_AN_HOUR.sub(_in_hours, f"{a}{ua}以上{b}{ub}未満")


def _in_hours(m) -> str:
    """Minutes of an hour or more in hours: '60分' -> '1時間', '90分' -> '1時間30分'."""
    n = int(m.group(1))
    if n < 60:
        return m.group(0)
    return f"{n // 60}時間" + (f"{n % 60}分" if n % 60 else "")


_DURATION_PARTS = re.compile(r"(?:(\d+)時間)?(?:(\d+)分)?(以上|未満|超|以下)")


def band_minutes(band: str) -> tuple[int, int | None] | None:
    """A time band as [from, to) minutes: '1時間30分以上2時間未満' -> (90, 120),
    '3時間以上' -> (180, None), '20分未満' -> (0, 20). None when it is not a band."""
    lower, upper = 0, None
    found = False
    for h, m, which in _DURATION_PARTS.findall(band or ""):
        if not (h or m):
            continue
        minutes = int(h or 0) * 60 + int(m or 0)
        found = True
        if which in ("以上", "超"):
            lower = minutes
        else:
            upper = minutes
    return (lower, upper) if found else None


# '567単位に30分を増すごとに+82単位', '697単位に0.5時間を増すごとに+66単位', '…30分増すごとに…',
# '…30分ごとに…', '…30分毎に…'
_STEP = re.compile(
    rf"(?P<base>{NUMBER})\s*単位\s*に\s*[、,]?\s*(?:(?P<hours>\d+(?:\.\d+)?)\s*時間|(?P<minutes>\d+)\s*分)"
    rf"\s*(?:を\s*)?(?:増す\s*)?(?:ごと|毎)\s*に?\s*\+?\s*(?P<step>{NUMBER})\s*単位"
)


@dataclass(frozen=True)
class StepRule:
    base: int
    step: Step
    start: int
    end: int



def key_order(band: str | None, levels: list[str] | None) -> tuple[int, int] | None:
    """Where a row's key stands in its order: a band by its start, then its end ('20分未満'
    before '30分未満', which follows it), a care level by its rank."""
    span = band_minutes(band or "")
    if span:
        return span[0], span[1] if span[1] is not None else 10**6
    return (CARE_ORDER.index(levels[0]), 0) if levels and levels[0] in CARE_ORDER else None

def parse_step(s: str) -> StepRule | None:
    """'(305単位に30分を増すごとに+101単位)' -> base 305, step +101 per 30 minutes."""
    m = _STEP.search(s)
    if not m:
        return None
    if m.group("hours"):
        minutes = Decimal(m.group("hours")) * 60
        if minutes != minutes.to_integral_value():
            return None
    else:
        minutes = Decimal(m.group("minutes"))
    return StepRule(
        base=to_int(m.group("base")),
        step=Step(units=to_int(m.group("step")), minutes=int(minutes)),
        start=m.start(),
        end=m.end(),
    )


# '(30分を増すごとに+83単位)', '1時間を超えて30分ごとに+83単位': a step printed without its base
_INCREMENT = re.compile(
    rf"(?:(?P<hours>\d+(?:\.\d+)?)\s*時間|(?P<minutes>\d+)\s*分)\s*(?:を\s*)?(?:増す\s*)?(?:ごと|毎)\s*に?\s*"
    rf"(?:\+?\s*(?P<step>{NUMBER})\s*単位|\+\s*(?P<plus>{NUMBER})(?![\d,]|\s*円))"  # '…ごとに+83単位', '(以降30分ごとに+83)'
)


def increment_text(s: str) -> str | None:
    """The words of a step printed without its base ('30分を増すごとに83単位'), as printed."""
    m = _INCREMENT.search(s)
    return m.group(0) if m else None


def parse_increment(s: str) -> Step | None:
    """The step alone: '(30分を増すごとに+83単位)' -> +83 per 30 minutes (its base is the
    units printed beside it)."""
    m = _INCREMENT.search(s)
    if not m:
        return None
    minutes = Decimal(m.group("hours")) * 60 if m.group("hours") else Decimal(m.group("minutes"))
    if minutes != minutes.to_integral_value():
        return None
    return Step(units=to_int(m.group("step") or m.group("plus")), minutes=int(minutes))


# what a step printed apart from its band says before its increment: the item and the time
# it starts from ('※身体介護で1時間30分以上の場合は、', '1時間30分以上の場合においては、',
# '身体介護1時間30分以上は', '3時間以上の場合、')
_STEP_FROM = re.compile(
    rf"^[※*＊・\s]*(?:\d{{1,2}}\s+|[(（]?注\s*\d*[)）]?\s*)?(?P<item>[^\d、。,]*?)\s*(?:は\s*[、,]\s*|で|の)?\s*"
    rf"(?P<band>{_DURATION}\s*(?:以上|を超え(?:る)?)(?:\s*{_DURATION}\s*未満)?)"
    r"\s*(?:と\s*な(?:る|った))?\s*(?:の\s*場合|場合|の\s*とき|とき)?\s*(?:においては|において|には|は|に)?\s*[、,]?\s*"
    r"(?:の\s*)?(?:[\d,]+\s*単位\s*に\s*[、,]?\s*)?(?:(?:それ)?以[降後]\s*[、,]?\s*)?$")  # ('…の場合は、697単位に30分を増すごとに+66単位':
# the base, the step's row's units; '3時間以上は、以降30分を増すごとに': thereafter)
_THEREAFTER = re.compile(r"^[※*＊・\s]*(?:それ)?以[降後]\s*[、,は]?\s*$")  # 'thereafter', the band above going on
# a step's increment without its units, at the end of a label ('3時間以上の場合、30分増すごとに'):
# the units are the row's value
_BARE_INCREMENT = re.compile(r"(?:\d+(?:\.\d+)?\s*時間|\d+\s*分)\s*(?:を\s*)?(?:増す\s*)?(?:ごと|毎)\s*に?\s*(?:加算)?\s*$")


@dataclass(frozen=True)
class StepNote:
    """A step printed apart from the row it continues: the item it names ('' when none),
    the minutes it starts from and the increment."""

    item: str
    start: int | None  # None: from where the band of the row above ends ('以降30分を増すごとに')
    step: Step


def step_note(s: str, units: int | None = None) -> StepNote | None:
    """A step stated apart from its band's row: '※身体介護で1時間30分以上の場合は、30分を増すごと
    に82単位を加算します' -> 身体介護, from 90 minutes, +82 per 30; '3時間以上の場合、30分増すごとに'
    with the row's ``units`` 66 -> '', from 180 minutes, +66 per 30. None unless the words
    before the increment are only an item and the time the step starts from."""
    if units is not None and _BARE_INCREMENT.search(s) and not _INCREMENT.search(s):
        m = _BARE_INCREMENT.search(s)
        s = f"{s[: m.end()].rstrip()}{units}単位"
    m = _INCREMENT.search(s)
    if not m:
        return None
    step = parse_increment(m.group(0))
    if step is not None and _THEREAFTER.match(s[: m.start()]):
        return StepNote(item="", start=None, step=step)  # '以降30分を増すごとに' under the last band's row
    head = _STEP_FROM.match(s[: m.start()])
    if step is None or head is None:
        return None
    span = band_minutes(parse_time_band(head.group("band").replace("を超える", "以上").replace("を超え", "以上")) or "")
    if span is None:
        return None
    # ('身体介護を伴う場合で3時間以上のときは': the item without its 場合; '9時間以上10時間未満の50単位に、以降': from the band's end)
    item = _CASE_END.sub("", head.group("item").strip())
    return StepNote(item=item, start=span[1] if span[1] is not None else span[0], step=step)


_CASE_END = re.compile(r"\s*(?:の)?場合$")


def continues_band(band: str | None, start: int) -> float:
    """How a row's band goes on into a step that starts at ``start`` minutes: 2 when the
    band is open from there ('3時間以上' for a step from 3 hours), 1 when it ends there
    ('1時間以上1時間30分未満' for a step from 1時間30分), 0.5 when it is open from before it
    ('1時間以上'), 0 when it does not."""
    span = band_minutes(band or "")
    if span is None:
        return 0
    if span[0] == start and span[1] is None:
        return 2
    if span[1] is None and span[0] < start:
        return 0.5  # (weakest) open from before ('1時間以上' printed for the step from 1時間30分: its base runs to there)
    return 1 if span[1] == start else 0


def step_of(rule, value: int, plus: bool) -> tuple[Step, bool]:
    """The step a unit line states, and whether the number printed is the base's units:
    '(921単位に30分を増すごとに+83単位) +83' prints the step, '… 921' the base; any other
    number is a step printed against its rule."""
    if value == rule.step.units:
        return rule.step, False
    if value == rule.base and not plus:
        return rule.step, True
    return Step(units=rule.step.units, minutes=rule.step.minutes, printed_units=value), False


_UNITS_PHRASE = re.compile(rf"(?P<sign>[+\-])?\s*(?P<n>{NUMBER})\s*単位(?!数)")


def units_phrases(s: str) -> list[tuple[int, int, int]]:
    """Every 'N単位' in ``s`` as (signed value, start, end) (a new list on every call)."""
    return list(_units_phrases(s))


@lru_cache(maxsize=1 << 15)
def _units_phrases(s: str) -> tuple[tuple[int, int, int], ...]:
    out = []
    for m in _UNITS_PHRASE.finditer(s):
        n = to_int(m.group("n"))
        out.append((-n if m.group("sign") == "-" else n, m.start(), m.end()))
    return tuple(out)


AMOUNT_WORDS = [
    (re.compile(r"費用総額|費用額|10割|利用料(?:金)?総額|(?<![負担料])総額"), "total"),
    (re.compile(r"保険給付|給付(?:額|費)|9割"), "benefit"),
    (re.compile(r"利用者負担|自己負担|1割"), "copay1"),
    (re.compile(r"2割"), "copay2"),
    (re.compile(r"3割"), "copay3"),
]


def amount_keys(s: str) -> list[str]:
    """Amount columns named in a header, in printed order: '10割 9割 1割負担' ->
    [total, benefit, copay1]; '費用総額 … 保険給付額' -> [total, benefit] (a new list on every call)."""
    return list(_amount_keys(s))


@lru_cache(maxsize=1 << 15)
def _amount_keys(s: str) -> tuple[str, ...]:
    found = []
    for pattern, key in AMOUNT_WORDS:
        for m in pattern.finditer(s):
            found.append((m.start(), key))
    out: list[str] = []
    for _, key in sorted(found):
        if key not in out:
            out.append(key)
    return tuple(out)


# after the name: any parenthesis attached to it ('(4日~30日以内)'), or a tier after a space
_TIER_PAREN = rf"\([^()]*\)|\s+\(\s*(?:[{UPPER}{LOWER}]+|{_ROMAN_ASCII}|[A-Z]|\d{{1,2}}|[{KANJI_NUM}])\s*\)"
_FEE_SPLIT = re.compile(
    rf"^(?P<item>.*?(?:加算|減算|費用|費)(?:{_TIER_PAREN}|[{UPPER}{LOWER}])*"
    # a sub-tier kana: after a word boundary, or right after a tier's parenthesis
    rf"(?:(?<=\([{UPPER}]\))[イロハニホヘ]|[イロハニホヘ](?=\s|$))?(?:\s+\d(?=\s|$))?)"
    # a word boundary; a basis phrase run into the name by a cell with no gap ('…加算1回につき');
    # or, where spaces were lost (OCR), the end of a tier and its sub-tier ('(Ⅰ)イカンファレンス')
    rf"(?=\s|$|1\s*[月日回食]\s*(?:に\s*)?つき|1\s*人\s*1\s*日|(?<=\S\([{UPPER}]\)[イロハニホヘ]?)[^\s(（{UPPER}])\s*(?P<rest>.*)$",
    re.S,
)


@lru_cache(maxsize=1 << 15)
def split_fee_name(label: str) -> tuple[str, str] | None:
    """A label's fee name and what follows it, split at the first word boundary after
    加算/減算/費 and its tiers: '退院・退所加算(Ⅰ)イ カンファレンス無' -> ('退院・退所加算(Ⅰ)イ',
    'カンファレンス無'); '初回加算 1月につき' -> ('初回加算', '1月につき'); '口腔衛生管理加算(Ⅱ)
    (Ⅰ)に加え…' keeps (Ⅰ) in the rest; '外泊時費用' is no split (費 inside a word)."""
    m = _FEE_SPLIT.match(label.strip())
    return (m.group("item"), m.group("rest")) if m else None


def kind_of(label: str) -> str:
    """base / addition / reduction from the label's own words."""
    if "減算" in label:
        return "reduction"
    if "加算" in label:
        return "addition"
    return "base"


VISIT_SERVICES = ("訪問", "居宅介護", "重度訪問介護", "通院等")


def is_visit_service(service: str | None) -> bool:
    return bool(service) and any(v in service for v in VISIT_SERVICES) and "支援" not in service


# where a fee's name ends: 加算, 減算 or a word ending in 費, with its tier ('(Ⅱ)', '1', 'イ')
FEE_NAME_END = re.compile(r"(?:加算|減算|療養費|[^\s]{2,}費)(?:\s*[(（]?[ⅠⅡⅢⅣⅤ1-5][)）]?)?[イロハ]?$")


def wrapped_fee_name(head: str, tail: str) -> str | None:
    """A fee's name wrapped onto the next line ('サービス提供' / '体制強化加算Ⅱ'): the whole
    name, when ``head`` stops short of a fee's name and ``head + tail`` ends as one (no digit,
    30 characters at most); else None."""
    joined = head + tail
    if not head or not tail or FEE_NAME_END.search(head) or re.search(r"\d", joined) or len(joined) > 30:
        return None
    return joined if FEE_NAME_END.search(joined) else None
