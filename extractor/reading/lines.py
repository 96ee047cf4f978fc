"""Fees listed outside any table, one to a line: '初回加算 300単位', '(ア)サービス提供体制強化
加算(Ⅰ)…750単位', '緊急時訪問看護加算 600単位 (1割)668円/(2割)1,335円'.

A line is read when it names a fee (加算, 減算, a fee ending in 費) and prints its units;
its yen are given a role only when the arithmetic proves it (the full fee is
floor(units × 単価); a share is that fee less its benefit) or the line labels them
('(1割)668円'). A sentence, a step rule ('30分を増すごとに') or a line inside a table is
left to the others.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

import regex as re

from ..numbers import NUMBER, parse_rate, to_int
from ..prices import floor_yen, stated_price
from ..services import Service, find_service
from ..terms import FEE_NAME_END, TIME_BAND, canonical_item, continues_band, kind_of, parse_basis, parse_care_levels, parse_time_band, split_fee_name, step_note, strip_care_levels, wrapped_fee_name
from . import values as V
from .columns import AMOUNT_ROLES, SHARE_OF_TOTAL, fold, header_role, out_of_scope_words, value_word
from .values import Values

_NAME = re.compile(r"加算|減算|費(?!用)|基本料金")
_LEADER = re.compile(r"[…・.．‥:：]{2,}|[…‥]")
_ENUM = re.compile(r"^\s*(?:[(（][ア-ン\d一-九][)）]|[①-⑳]|[ア-ン][.．)）]|\d+[.．)）])\s*")
_STEP = re.compile(r"増す(?:ごと|毎)|ごとに|毎に")


# a note's marks, its number ('(4) ') and a lead-in before the fee's name ('上記のほか、')
_LEAD = r"^[※*＊・\s]*(?:[(（]\d{1,2}[)）]\s*|\d{1,2}[.．)）]\s*|(?<=[※*＊])\d{1,2}\s+)?(?:[^\d、。,()（）]{1,12}[、,]\s*)?"
_RATE_NAME = re.compile(_LEAD + r"(?P<name>[^\d:：、。]*?(?:加算|減算)(?:\s*[(（][^()（）]{1,4}[)）])?)\s*[:：]?")
_RATE_NAME_AFTER = re.compile(r"^[※*＊・\s]*(?P<rate>[^()（）。]{0,20}?\d+(?:\.\d+)?\s*[%％]\s*を\s*加算(?:します)?)\s*"
                              r"[(（](?P<name>[^()（）\d]{2,30}?加算(?:\s*[(（][^()（）]{1,4}[)）])?)[)）]\s*。?$")
_MONTHLY = re.compile(r"処遇改善|ベースアップ")  # the 処遇改善 family: a share of the month's units


_RATE_MARK = re.compile(r"[%％]|/\s*1000?|分の")  # (compiled once: a rate line is asked of every line)


def _rate_line(text: str) -> tuple[str, Decimal] | None:
    """A percentage addition stated in a line or a note: its name and its rate, when the
    rate is added to the units ('所定単位数×7.5%を加算', '所定単位数の105/1000を加算')."""
    m = _RATE_NAME.match(text)
    if m is None and (after := _RATE_NAME_AFTER.fullmatch(text)) is not None:
        # '所定単位数の10％を加算（特定事業所加算（Ⅱ））': the name in brackets after the rate it adds
        found = _rate_line(f"{after.group('name')}：{after.group('rate')}")
        return found if found is not None and found[1] > 0 else None
    if not m or not _RATE_MARK.search(text[m.end():]):
        return None
    rate = parse_rate(text[m.end():])
    if rate is None:
        return None
    value = rate.value if rate.op == "add" else (rate.value if re.search(r"加算", text[m.end():]) and rate.value < 1 else None)
    if rate.op == "multiply" and value is None and "減算" in m.group("name") and rate.value < 1:
        # '…減算 所定単位数の1/100を減算' that share taken away; '…の95/100' (one half or more) what is left
        value = -rate.value if rate.value < Decimal("0.5") else rate.value - 1
    if value is not None and value > 0 and "減算" in m.group("name") and "加算" not in text[m.end():]:
        value = -value if value < Decimal("0.5") else value - 1  # a 減算's share printed without its sign
    return (canonical_item(m.group("name")), value) if value is not None else None


_SURCHARGE = re.compile(r"(?P<names>(?:(?:早朝|夜間|深夜)\s*(?:[(（][^()（）]{1,20}[)）])?\s*(?:(?:[・、]|及び|または|又は)\s*)?)+)"
                        r"(?:の(?:時間帯|場合|訪問|利用|サービス)|に(?:サービスを)?(?:提供|利用|訪問)(?:した|する)場合)?"
                        r"\s*(?:[は:：]\s*)?(?:1\s*回\s*につき\s*)?(?:所定単位数の)?\s*(?P<rate>\d{1,3}(?:\.\d+)?)\s*[%％]"
                        r"\s*(?P<verb>[のをが]?\s*(?:所定単位数に\s*)?(?:増|割増|加算))?")
_TIMES = re.compile(r"[(（][^()（）]*[)）]")


@lru_cache(maxsize=4096)
def section_surcharge(title: str) -> str | None:
    """A table's title that says its units are a time of day's, raised ('早朝(6時~8時)・夜間(18時~22時)
    25%増', '深夜(22時~6時) 50%増'): that clause, a condition of every row under it; else None."""
    found = _surcharges(title or "")  # (asked once a table's row, of its one title: remembered)
    if len(found) != 1 or len(title) > 40 or re.search(r"[、。]|は\s*\d", title):
        return None
    return found[0][2]


def surcharge_rate(conditions: list[str]) -> Decimal | None:
    """The time-of-day rate a row's units already carry, by its conditions ('深夜(22時~6時) 50%増')."""
    for c in conditions:
        found = _surcharges(c)
        if len(found) == 1 and found[0][2] == c.strip():
            return found[0][1]
    return None


def _surcharges(text: str) -> list[tuple[str, Decimal, str]]:
    """Time-of-day surcharges stated in a sentence or a note ('早朝(6時~8時)・夜間(18時~22時)は
    25%増、深夜(22時~翌6時)は50%増', '早朝・夜間25%増', '早朝・夜間は25%、深夜は50%の加算があります'):
    each clause's times of day, named as printed without their hours, with its rate as a
    fraction added to the units, and the clause as printed. A clause without its word of
    increase (増, 加算) shares the one of the clause right after it, or is no surcharge."""
    found = list(_SURCHARGE.finditer(text))
    kept: list = []
    for m in reversed(found):  # from the last clause: a bare one is kept when the clause after it is
        after = kept[0] if kept else None
        if m.group("verb") or after is not None and re.fullmatch(r"\s*[をの]?\s*[、,]?\s*", text[m.end(): after.start()]):
            kept.insert(0, m)
    out = []
    for m in kept:
        names = [n for n in re.split(r"\s*(?:[・、]|及び|または|又は)\s*", _TIMES.sub("", m.group("names")).strip()) if n]
        if names:
            out.append(("・".join(names), Decimal(m.group("rate")) / 100, m.group(0).strip().rstrip("、,")))
    return out


# a rate of the units a condition sets ('介護職員3人で行った場合は所定単位数の95/100となります'): the
# condition, the last clause before it, names the row
_SCALED = re.compile(
    r"(?:^|[、,※]\s*)(?P<cond>[^、,。※]{2,30}?場合)\s*(?:に\s*)?は\s*[、,]?\s*所定単位数の\s*"
    r"(?P<rate>\d+(?:\.\d+)?\s*(?:/\s*\d+|[%％])|\d+\s*分の\s*\d+)\s*(?:に相当する単位数)?\s*"
    r"(?:と\s*(?:な|し|す)|で\s*算定|を\s*算定|に\s*減算|として\s*算定|(?P<adds>を\s*加算))")


def _scaled_line(text: str) -> tuple[str, Decimal] | None:
    """A condition that scales the units, said in a sentence: the condition as printed and
    the rate it adds, negative for a reduction ('…場合は所定単位数の95/100となります' -> -0.05)."""
    m = _SCALED.search(text)
    rate = parse_rate(m.group("rate")) if m else None
    if rate is None or rate.value == 1:
        return None
    if m.group("adds"):  # '…場合は、所定単位数の25%を加算': that share added
        return (m.group("cond").strip(), rate.value) if rate.value < 1 else None
    return m.group("cond").strip(), rate.value - 1  # the share of the units printed, as what it adds or takes


# units a fee or a condition adds or takes, said in a sentence ('送迎を行わない場合は、片道につき47単位を
# 減算します', '特定事業所集中減算に該当する場合は、1月につき200単位を減算します')
_UNITS_SAID = re.compile(
    rf"(?:^|[、,※]\s*)(?P<who>[^、,。※]{{2,40}}?)\s*(?:に\s*)?は\s*[、,]?\s*"
    r"(?P<basis>(?:1\s*[月日回週食]|片道|往復)\s*(?:に\s*つき|当たり|あたり)?\s*[、,]?\s*)?"
    rf"(?:所定単位数(?:から|に)\s*)?(?P<n>{NUMBER})\s*単位\s*(?:を|が)?\s*(?P<op>加算|減算)")
_FEE_IN = re.compile(r"(?P<name>[^\s\d、。,()（）※*＊■□●○◆◇【】「」]+?(?:加算|減算)(?:\s*[(（][^()（）]{1,4}[)）])?)")


def _units_line(text: str) -> tuple[str, int] | None:
    """Units a sentence adds (加算) or takes (減算, negative): the fee it names before them
    ('初回加算は、新規に…場合は、1月につき200単位を加算'), else its condition ('…場合'), with
    the units; None for any other sentence."""
    m = _UNITS_SAID.search(text)
    if not m:
        return None
    who = m.group("who").strip()
    fee = _FEE_IN.search(text, 0, m.start("who") + len(m.group("who")))
    name = fee.group("name") if fee else who if who.endswith("場合") else None
    if name is None:
        return None
    n = to_int(m.group("n"))
    return canonical_item(name) if fee else name, -n if m.group("op") == "減算" else n


def _sentence_fee(text: str) -> dict | None:
    """The fee a note or a sentence states, as a row's fields: a rate added to the units
    ('※介護職員等処遇改善加算(Ⅰ)：所定単位数×7.5%を加算します', '…減算：所定単位数の1%を減算' a
    reduction), a condition that scales them ('…介護職員3人で行った場合は所定単位数の95/100と
    なります'), or units added or taken ('送迎を行わない場合は、片道につき47単位を減算します'); None
    for any other sentence."""
    rated = _rate_line(text)
    if rated is not None:
        name, rate = rated
        return {"item": name, "kind": "reduction" if rate < 0 or kind_of(name) == "reduction" else "addition",
                "rate": rate, "rate_op": "add", "basis": "month" if _MONTHLY.search(name) else parse_basis(text)}
    scaled = _scaled_line(text)
    if scaled is not None:
        name, rate = scaled
        return {"item": name, "kind": "reduction" if rate < 0 else "addition", "rate": rate, "rate_op": "add"}
    said = _units_line(text)
    if said is not None:
        name, units = said
        return {"item": name, "kind": "reduction" if units < 0 else "addition", "units": units, "basis": parse_basis(text)}
    return None


def _role(yen: int, units: int, price: Decimal | None) -> str | None:
    if price is None:
        return None
    total = floor_yen(units, price)
    if yen == total:
        return "total"
    for role, fs in SHARE_OF_TOTAL.items():
        if role != "benefit" and any(f(total) == yen for f in fs):
            return role
    return None


_HEADING = re.compile(r"^[■□●◆◇▼▽◎\s]*(?P<name>[^\d\s(（]{2,}?)(?:の?(?:利用)?料金表?|の?ご?利用料|基本料金)?\s*(?:[(（][^()（）]*[)）])?$")


def _heading(text: str) -> str | None:
    """A short heading line that names a service's fees ('予防通所介護利用料金(平成27年4月1日現在)'):
    the service as printed, else None."""
    m = _HEADING.match(text.strip()) or _BRACKET_HEADING.fullmatch(text.strip())
    if not m or len(text) > 40 or re.search(r"\d\s*(?:円|単位)|。", text):
        return None
    if m.re is _BRACKET_HEADING:  # a bracketed heading naming its service inside ('【要介護の方（訪問看護）】')
        named = find_service(text)
        return named.name if named is not None else None
    name = m.group("name")
    return name if find_service(name) is not None else None


_BRACKET_HEADING = re.compile(r"【[^【】\d]{2,30}】")
_TOTAL_WORD = re.compile(r"利用料(?:金)?\s*[:：]?\s*[¥\\]?\d|費用(?:総)?額\s*[:：]?\s*[¥\\]?\d")


def _yen_under(text: str) -> tuple[Values, str] | None:
    """A line that prints only yen and words ('1,766円 利用者負担金', '要支援1 26円',
    'グループ活動加算 108円 利用者負担金', '自己負担（１割）￥３，５６４　（２割）￥７，１２８'):
    its values and its words, or None."""
    if "。" in text or text.startswith(("※", "*", "＊")):
        return None
    v = V.read(text)
    if not (v.yen or v.shares) or v.units is not None or v.rate is not None or len(v.yen) > 1 and not v.shares:
        return None
    return v, V.words(text)


_MARKED = re.compile(r"^\s*[■□◆◇●○▼▽◎【]\s*")
_EMPTY_BRACKETS = re.compile(r"[(（]\s*[)）]")
_SPACES = re.compile(r"\s+")


def _block(lines: list, k: int, head: str, consumed: set[tuple], used: set[int]):
    """A fee printed as a block: a marked heading that names it, its units on the next line
    ('単位数：266単位／1回', '574単位（1月につき）'), then its yen on a line or two ('利用料：2,846円',
    'ご負担額：1割 285円　2割 570円', '利用料 6,141円／1割 615円・2割 1,229円'): (the heading's line,
    the name, the yen lines), or None."""
    if head and value_word(head.strip(":： ")) != "units" or k == 0:
        return None
    title = lines[k - 1]
    t = title.text.strip()
    m = _MARKED.match(t)
    if m is None or id(title) in used or (title.page, title.number) in consumed or title.page != lines[k].page \
            or V.read(t).yen or V.read(t).units is not None or len(t) > 40:
        return None
    name = t[m.end():].rstrip("】 ").strip()
    if not name or any(w in name for w in out_of_scope_words()):
        return None
    yen_lines = []
    for nxt in lines[k + 1:k + 3]:
        if (nxt.page, nxt.number) in consumed or nxt.page != title.page or _yen_under(nxt.text.strip()) is None:
            break
        yen_lines.append(nxt)
    return (title, name, yen_lines) if yen_lines else None


_LED = re.compile(r"^[・\s]*(?P<name>[^…‥.．・\d][^…‥:：]{1,70}?)\s*(?:…+|‥+|・{3,}|\.{3,}|．{3,}|[:：])\s*(?P<rest>\S.*)$")


def _share_of_units(text: str, name: str) -> dict | None:
    """A percentage of the units a fee adds or takes ('…の9.4％', '▲ 所定単位数の10％減算'), as a
    row's fields for ``name``; None unless ``text`` states one percentage and no units or yen."""
    if re.search(r"\d\s*(?:単位|円)", text) or len(re.findall(r"\d+(?:\.\d+)?\s*[%％]", text)) != 1:
        return None
    m = re.search(r"(\d+(?:\.\d+)?)\s*[%％]", text)
    rate = Decimal(m.group(1)) / 100
    kind = kind_of(name)
    taken = kind == "reduction" or bool(re.search(r"[▲△]", text)) or kind != "addition" and bool(
        re.search(r"[%％]\s*(?:を|の)?\s*減算", text))
    if not taken and not (kind == "addition" or re.search(r"[%％]\s*(?:を|の)?\s*(?:加算|増)", text)):
        return None
    item = canonical_item(re.sub(r"\s+", "", name)) if len(name) <= 40 else name
    return {"item": item, "kind": "reduction" if taken else "addition", "rate": -rate if taken else rate,
            "rate_op": "add", "basis": "month" if _MONTHLY.search(name) else None}


def _fee_term(text: str) -> bool:
    """A line that is one fee's name and nothing else ('初回加算', '認知症専門ケア加算（Ⅱ）'), or
    a fee's name and who it is for ('訪問型サービス費（Ⅰ）　週1回程度の利用が必要な方', a <dt>)."""
    words = text.split()
    if len(words) >= 2 and len(text) <= 60 and not re.search(r"\d\s*(?:単位|円)|。", text) and split_fee_name(text) \
            and split_fee_name(text)[0] == words[0]:
        return _fee_term(words[0])
    return len(text) <= 40 and not re.search(r"\d\s*(?:単位|円)|[。、:：]", text) and bool(FEE_NAME_END.search(text)) \
        and len(re.sub(r"加算|減算|[等・■□●◆\s()（）]|について|一覧", "", text)) >= 2  # (not a heading '加算', '加算・減算')


def _key_only(ln) -> bool:
    """A line that holds a row's care levels and nothing else ('要支援１', '要介護３・４・５')."""
    text = ln.text.strip()
    return len(text) <= 24 and bool(parse_care_levels(text)) and not strip_care_levels(text).strip(" ・、")


# a note's or a numbered item's mark at a line's start ('※2', '(3)', '①', '・'): a new sentence
_NOTE_START = re.compile(r"^\s*(?:[※*＊・●■◆]|[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.．)）]|[①-⑳])")


def wrapped_sentence(lines: list, k: int, consumed: set[tuple]) -> list:
    """The lines of the sentence that starts at ``lines[k]``, when a PDF or a page wrapped it
    (a note's line that ends before its '。', and the lines after it on its page that start
    no note and hold no cells, up to its '。'); ``[lines[k]]`` when it is not one."""
    ln = lines[k]
    text = ln.text.strip()
    if "\t" in ln.text or text.endswith("。") or not (_NOTE_START.match(text) or "、" in text):
        return [ln]
    out = [ln]
    for nxt in lines[k + 1:k + 3]:
        t = nxt.text.strip()
        if nxt.page != ln.page or (nxt.page, nxt.number) in consumed or "\t" in nxt.text or _NOTE_START.match(t):
            return [ln]
        out.append(nxt)
        if "。" in t:
            return out
    return [ln]


def loose_rows(doc, consumed: set[tuple], price: Decimal | None, service: Service | None,
               make_row: Callable) -> list:
    out = []
    heading: str | None = None  # the service the lines under a heading are fees of
    last_word: str | None = None  # the role the yen lines under fee lines were named with, since the heading
    lines = [ln for ln in doc.lines if ln.text.strip()]
    used: set[int] = set()
    for k, ln in enumerate(lines):
        text = ln.text.strip()
        if id(ln) in used:
            continue
        if (ln.page, ln.number) not in consumed and (named := _heading(text)):
            heading, last_word = named, None
            continue
        if (ln.page, ln.number) in consumed:
            continue
        src = wrapped_sentence(lines, k, consumed)  # a note wrapped over lines, as a PDF prints it, read whole
        if len(src) > 1:
            text = "".join(x.text.strip() for x in src)
        surcharges = _surcharges(text)
        if surcharges:  # '※ 早朝(6時~8時)・夜間(18時~22時)は25%増、深夜(22時~翌6時)は50%増'
            for name, rate, clause in surcharges:  # each labelled by its own clause, not the note's other rates
                out.append(make_row(src, service=find_service(text) or service, item=name, label=clause, kind="addition",
                                    rate=rate, rate_op="add"))
            used.update(id(x) for x in src)
            continue
        sentences = [x for x in re.split(r"(?<=。)", text) if x.strip()]
        fees = [(x, _sentence_fee(x)) for x in sentences] if len(sentences) >= 2 and len(text) <= 240 else []
        if len(fees) >= 2 and sum(f is not None for _, f in fees) >= 2 and all(len(x) <= 80 for x, f in fees if f is not None):
            # a note of two fees, a sentence each ('※5 高齢者虐待防止措置未実施減算：所定単位数の1％を減算します。
            # 業務継続計画未策定減算：所定単位数の1％を減算します'): a row each, labelled by its own sentence
            for x, fee in fees:
                if fee is not None:
                    out.append(make_row(src, service=find_service(x) or service, label=x.strip(), **fee))
            used.update(id(y) for y in src)
            continue
        if len(text) > (160 if len(src) > 1 else 80) or _STEP.search(text) or any(w in text for w in out_of_scope_words()):
            continue  # a step rule goes to its band's row (step_notes); a charge outside the tariff is prose
        fee = _sentence_fee(text)
        if fee is not None:
            out.append(make_row(src, service=find_service(text) or service, label=text, **fee))
            used.update(id(x) for x in src)
            continue
        prev = lines[k - 1] if k > 0 and len(src) == 1 else None
        if prev is not None and id(prev) not in used and (prev.page, prev.number) not in consumed \
                and _fee_term(prev.text.strip()) and (rated := _share_of_units(text, prev.text.strip())) is not None:
            # a rate under its fee's name on the line above (a web page's <dt> and <dd>: '介護職員等処遇改善加算（Ⅱ）' /
            # '1月あたりの総単位数（…）の9.4％')
            out.append(make_row([prev, ln], service=find_service(text) or service, label=f"{prev.text.strip()} {text}",
                                **rated))
            used.update((id(prev), id(ln)))
            continue
        if (led := _LED.match(text)) and (rated := _share_of_units(led.group("rest"), led.group("name"))) is not None:
            # a condition, a leader, and the share it adds or takes ('事業所と同一建物に居住する利用者へ提供する場合 … ▲
            # 所定単位数の10％減算（同一敷地内建物等減算）')
            out.append(make_row(src, service=find_service(text) or service, label=text, **rated))
            used.update(id(x) for x in src)
            continue
        if "。" in text or text.startswith(("※", "*", "＊")):
            continue  # a sentence or a note: not a fee listed on its own line
        v = V.read(text)
        if v.units is None or v.units == 1 and stated_price(text) is not None:
            continue  # no units, or only the '1単位' of the unit price a title line states
        head = re.split(r"[-+▲△]?\s*\(?\s*\d[\d,]*\s*単位", _LEADER.sub(" ", text), maxsplit=1)[0]
        head = _ENUM.sub("", head).strip().rstrip(":：").strip()  # ('初回加算：200単位': the name without its colon)
        while head and (head[-1] in "(（" or head.count("(") < head.count(")") and head[0] in "(（"):
            head = head[:-1].strip() if head[-1:] in "(（" else head[1:].strip()
        block = _block(lines, k, head, consumed, used)
        if block is not None:  # '■訪問看護（20分未満）' / '単位数：266単位／1回' / '利用料：2,846円' / 'ご負担額：1割 285円 …'
            title_ln, name, yen_lines = block
            amounts: dict = {}
            for y in yen_lines:
                yv = V.read(y.text)
                amounts.update(yv.shares)
                said = header_role(fold(V.words(y.text)).strip(":：/・ ")) if V.words(y.text).strip() else None
                for yen in yv.yen:
                    role = said[0] if said and said[0] in AMOUNT_ROLES and said[0] not in amounts and not yv.shares or \
                        said and said[0] == "total" else _role(abs(yen), abs(v.units), price)
                    if role and role not in amounts:
                        amounts[role] = yen
            band = parse_time_band(name)
            item = _EMPTY_BRACKETS.sub("", _SPACES.sub("", name).replace(band, "")) if band else name
            out.append(make_row(
                [title_ln, ln, *yen_lines], service=find_service(name) or (find_service(heading) if heading else None) or service,
                item=canonical_item(item), label=name, kind=kind_of(item), time_band=band, units=v.units,
                basis=parse_basis(text), amounts=amounts,
            ))
            used.update(id(x) for x in (title_ln, *yen_lines))
            continue
        keyed_by = None
        if not head and k > 0 and _key_only(lines[k - 1]) and id(lines[k - 1]) not in used \
                and (lines[k - 1].page, lines[k - 1].number) not in consumed and not V.read(text).yen:
            # a record copied a cell to a line: '要支援１' / '３，４５０単位' / '自己負担（１割）￥３，５６４ …'
            keyed_by = lines[k - 1]
            head = keyed_by.text.strip()
        elif not head and k > 0 and id(lines[k - 1]) not in used and (lines[k - 1].page, lines[k - 1].number) not in consumed \
                and _fee_term(lines[k - 1].text.strip()):
            # a fee named on its own line, its units and yen on the next (a web page's <dt> and <dd>: '初回加算' /
            # '200単位／月 (2,224円 1割負担 223円)')
            keyed_by = lines[k - 1]
            head = keyed_by.text.strip()
        if not head or any(w in head for w in out_of_scope_words()):
            continue
        # the line under it, when it prints this fee's yen (and the rest of its name, or its care level)
        nxt = lines[k + 1] if k + 1 < len(lines) and (lines[k + 1].page, lines[k + 1].number) not in consumed else None
        under = _yen_under(nxt.text.strip()) if nxt is not None and not v.yen and not v.shares else None
        role_word, rest, levels = None, "", parse_care_levels(head)
        if under is not None:
            said = under[1]
            for word in (said, *said.split()):
                hr = header_role(word) if word else None
                if hr and hr[0] in AMOUNT_ROLES and len(hr[1]) * 3 >= len(fold(word)) * 2:
                    role_word = last_word = hr[0]
                    said = said.replace(word, "").strip()
                    break
            else:
                role_word = last_word  # '要支援1 26円' under lines whose yen were named '利用者負担金'

            if said and not _NAME.search(head) and wrapped_fee_name(head, said):
                rest = said  # '生活機能向上 100単位' / 'グループ活動加算 108円': the name wrapped with its yen
            elif said and parse_care_levels(said) and not levels and len(strip_care_levels(said).strip()) <= 1:
                levels = parse_care_levels(said)  # 'サービス提供体制加算Ⅱ 24単位' / '要支援1 26円'
            elif said:
                under = None  # words of another line: not this fee's yen
        name_text = head + rest
        only_levels = bool(levels) and not strip_care_levels(head).strip(" ・、")
        band = parse_time_band(head)
        if band and not TIME_BAND.sub("", _SPACES.sub("", head)).strip(" ・、") and heading:
            only_levels = True  # a band alone before its units, under a heading naming the service ('・20分未満 314単位')
        plain = not _NAME.search(name_text) and not (only_levels and (heading or keyed_by is not None and service))
        if plain and not _plain_name(name_text):
            continue
        split = split_fee_name(name_text)
        name = (heading or service.name) if only_levels and not _NAME.search(name_text) else canonical_item(
            split[0] if split else name_text)
        if plain and band and (keyed := _band_keyed(head, band)) is not None:
            title = _title_above(lines, k, consumed)
            if title is None:
                continue  # '所要時間 20分以上45分未満: +65単位' with no heading naming what it prices
            name, name_text = canonical_item(title), f"{title} {keyed}"
        amounts = dict(v.shares)
        yens = list(v.yen)
        if under is not None:
            amounts.update(under[0].shares)
            yens += under[0].yen
        for yen in yens:
            role = _role(abs(yen), abs(v.units), price)
            if role is None and len(v.yen) == 1 and yen in v.yen and "total" not in amounts and _TOTAL_WORD.search(text):
                role = "total"  # '利用料3,579円' beside the shares, the price not known here
            if under is not None and role_word and yen in under[0].yen:
                role = role if role == role_word else (role_word if role is None else None)
            if role and role not in amounts:
                amounts[role] = yen
        if plain and not amounts:
            continue  # a name that is no fee's word: a fee only when its yen prove it (labelled or by the arithmetic)
        used_lines = [ln] if keyed_by is None else [keyed_by, ln]
        if under is not None and (amounts or rest or levels != parse_care_levels(head)):
            used_lines.append(nxt)
            used.add(id(nxt))
        out.append(make_row(
            used_lines, service=find_service(text) or (find_service(heading) if heading else None) or service, item=name,
            label=name_text, kind=kind_of(name), care_levels=levels, time_band=parse_time_band(head), units=v.units,
            basis=parse_basis(text), amounts=amounts,
        ))
    return out


# what a line pricing a sum, an example or an estimate says ('合計', '例：', '×8回', '= 3,096単位'), never a fee's name
_NOT_A_NAME = re.compile(r"[×xX=＝+＋。、]|合計|小計|(?<!単)計$|例|目安|概算|限度|上限|月額|日額")


def _plain_name(text: str) -> bool:
    """A fee's name that says no fee word (加算, 減算, 費): '通院等乗降介助（1回・片道につき）', a
    band and the word of its key ('生活援助の所要時間 20分以上45分未満'). Short, a name's
    characters, no sum or example; such a line is a fee only when its yen are proven."""
    t = text.strip()
    return 2 <= len(t) <= 30 and not _NOT_A_NAME.search(t) and re.search(r"[一-龥ァ-ヶ]{2}", t) is not None


def _band_keyed(head: str, band: str) -> str | None:
    """A line's name that is only a band and the word of its key ('生活援助の所要時間 20分以上45分未満',
    '所要時間 45分以上'): the name as printed; None for a fee's name with a band in it."""
    rest = TIME_BAND.sub("", _SPACES.sub("", head)).strip(" ・、:：")
    role = header_role(rest) if rest else None
    return head.strip() if not rest or role is not None and role[0] == "time_band" else None


_TITLE = re.compile(r"^\s*(?:[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.．)）]|[①-⑳]|[■□●◆◇▼▽◎【])\s*(?P<name>[^\d。、]{2,40}?)[】\s]*$")


def _title_above(lines: list, k: int, consumed: set[tuple]) -> str | None:
    """The numbered or marked heading a few lines above ``lines[k]`` on its page, over a
    sentence or lines like it ('(3)身体介護に引き続き生活援助を行った場合' / '身体介護の単位数に…加えます。'
    / '所要時間 20分以上45分未満：+65単位'): its name, or None."""
    for prev in reversed(lines[max(0, k - 5):k]):
        if prev.page != lines[k].page:
            return None
        m = _TITLE.match(prev.text)
        if m is not None:
            return m.group("name").strip()
        t = prev.text.strip()
        if not (t.endswith("。") or V.read(t).units is not None and "\t" not in prev.text):
            return None
    return None


def _named_by(item: str | None, name: str) -> bool:
    """A row's item is the one a note names: the same, or its short name numbered ('身体介護3'
    of a service-code list, for '身体介護')."""
    return item == name or bool(item) and item.startswith(name) and re.fullmatch(r"\d{1,2}", item[len(name):]) is not None


def _block_above(rows: list) -> list:
    """The rows of the run of lines nearest the end of ``rows`` (a table's: no more than a
    line between one row's line and the next)."""
    lines = sorted({r.line or 0 for r in rows}, reverse=True)
    start = lines[0] if lines else 0
    for a, b in zip(lines, lines[1:]):
        if a - b > 2:
            break
        start = b
    return [r for r in rows if (r.line or 0) >= start]


def step_notes(doc, consumed: set[tuple], rows: list) -> None:
    """Step rules printed as notes under a table ('※身体介護で1時間30分以上の場合は、30分を増すごと
    に82単位を加算します', '※1時間30分以上の場合においては、30分を増すごとに82単位を加算'): each is
    the step of the base row whose band it continues (the band open from where the step
    starts, else the band that ends there), of the item it names, printed above it on its
    page. When it names no item, the rows it may continue must all be of one item; else it
    stays prose. An addition's step is its when the note names it ('※1 延長加算は、9時間以上10時間
    未満の50単位に、以降1時間を増すごとに50単位を加算'). The note's line joins the row's source."""
    for ln in doc.lines:
        if (ln.page, ln.number) in consumed or not _STEP.search(ln.text):
            continue
        note = step_note(ln.text.strip())
        if note is None or note.start is None:
            continue  # ('以降30分を増すごとに' alone: a table's step row, which the table's reader gives its row)
        above = [r for r in rows if (r.kind == "base" or note.item and r.kind == "addition") and r.units is not None
                 and r.rate is None and r.step is None
                 and r.page == ln.page and (r.line or 0) < ln.number
                 and (not note.item or _named_by(r.item, canonical_item(note.item)))]
        for fit in (2, 1, 0.5):
            if fit == 0.5:  # a band open from before the step: only in a table right above of one fee's rows
                above = _block_above(above)
                if len({r.item for r in above}) != 1:
                    break
            fits = [r for r in above if continues_band(r.time_band, note.start) == fit]
            if fits:
                break
        if not fits or len({r.item for r in fits}) != 1:
            continue
        for r in fits:  # one item's rows of the band (its 介護 and 予防 rows, its tables for two periods)
            r.step = note.step
            if ln.number not in r.source.lines:
                r.source.lines.append(ln.number)
                r.source.raw += "\n" + doc.source([ln]).raw
