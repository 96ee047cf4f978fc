"""1単位の単価 by 地域区分 and class (data/unit_prices.json), and exact yen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from importlib import resources

import regex as re

# '地域区分 11.2', '地域区分 7級地 10.18', '地域区分：7級地（10.18円）', '地域区分単価 10.18',
# '1単位の単価 10.96円', '1単位の単価は10.21円', '1単位＝10.18円', '単価10.18円', '1単位あたり 10.27円', '地域単価 10.54円'
_PRICE_HEAD = (r"(?:地域区分(?:単価)?|地域単価|1\s*単位\s*(?:の|当たり(?:の)?|あたり(?:の)?)?\s*(?:単価)?|(?<!\p{Han})単価)"
               r"\s*(?:[=:]|は)?\s*"
               r"(?:(?:\d\s*級地|その他)\s*\(?\s*(?:1\s*単位\s*(?:の単価)?\s*[=:]?\s*)?)?")
PRICE = re.compile(_PRICE_HEAD + r"(?P<price>\d{1,2}\.\d{1,3})\s*円?")
# The same, or with a comma printed for the decimal point ('1単位の単価 10,88円'): a thousands
# separator is followed by three digits, so '10,88' (two) is never a thousand. Its own
# pattern, as readers that take PRICE's group 'price' for a Decimal never see a comma.
# A leader may join the words to the price ('1単位…10,88円', '1単位・・・10.88円').
# The price of a place with no 上乗せ (その他: 10.00) may be printed whole, with its 円 ('1単位=10円')
# or ending its line ('地域区分 10').
STATED = re.compile(_PRICE_HEAD + r"(?:[…‥]+|・{2,}|\.{2,})?\s*"
                    r"(?:(?P<price>\d{1,2}\.\d{1,3})|(?P<comma>1[01],\d{2})(?![\d,])|(?P<whole>10)(?=\s*円|\s*$))\s*円?")

# '地域区分 2級地', '地域区分（2級地）', '地域区分：その他', '2級地（地域区分）'
GRADE = re.compile(r"地域区分\s*(?:[=:]|は)?\s*\(?\s*(?P<grade>[1-7]\s*級地|その他)\)?|(?P<grade2>[1-7]\s*級地)\s*\(?\s*地域区分")


@dataclass(frozen=True)
class PriceStatement:
    """What one line states about its 1単位の単価: the price, the 級地, or both."""

    printed: str  # the statement as printed
    price: Decimal | None = None
    grade: str | None = None  # '2級地', 'その他'
    comma: bool = False  # the price was printed with a comma for its decimal point ('10,88円')


# '単位数×10.68円(地域単価)', '単位数×10円': the price as the factor of the units in the fee's formula
TIMES = re.compile(r"単位数?\s*[×xX*＊]\s*(?P<price>\d{1,2}\.\d{1,3}|10(?=\s*円))\s*円")


@lru_cache(maxsize=1 << 15)
def price_statement(text: str) -> PriceStatement | None:
    """What ``text`` states about the unit price, or None (remembered by text: a long
    document asks it of each line several times; the answer is frozen)."""
    m, g = STATED.search(text) or TIMES.search(text), GRADE.search(text)
    if m is None and g is None:
        return None
    price = grade = None
    comma = False
    if m is not None:
        comma = m.re is STATED and m.group("comma") is not None
        whole = m.group("whole") if m.re is STATED else None
        price = Decimal((m.group("price") or m.group("comma") or whole).replace(",", "."))
    if g is not None:
        grade = re.sub(r"\s+", "", g.group("grade") or g.group("grade2"))
    spans = [x.span() for x in (m, g) if x is not None]
    printed = text[min(a for a, _ in spans):max(b for _, b in spans)].strip()
    return PriceStatement(printed=printed, price=price, grade=grade, comma=comma)


def stated_price(text: str) -> Decimal | None:
    """The 1単位の単価 a line states, if it states one."""
    st = price_statement(text)
    return st.price if st else None


@dataclass(frozen=True)
class PriceEntry:
    scheme: str
    klass: str
    grade: str
    price: Decimal


@lru_cache(maxsize=1)
def price_table() -> tuple[PriceEntry, ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("unit_prices.json").read_text("utf-8"))
    return tuple(PriceEntry(p["scheme"], p["class"], p["grade"], Decimal(p["price"])) for p in raw["prices"])


def prices_for(scheme: str | None) -> list[Decimal]:
    return sorted({e.price for e in price_table() if scheme is None or e.scheme == scheme})


@lru_cache(maxsize=1 << 15)
def floor_yen(units: int, price: Decimal) -> int:
    """floor(units × price), exactly: floor(85 × 11.2) is 952."""
    return int((Decimal(units) * price).to_integral_value(rounding=ROUND_FLOOR))


@lru_cache(maxsize=1)
def service_classes() -> dict[str, tuple[str, str]]:
    """service -> (scheme, 人件費割合 class) (data/service_classes.json, DOMAIN's table)."""
    raw = json.loads(resources.files("extractor.data").joinpath("service_classes.json").read_text("utf-8"))
    return {k: (v[0], v[1]) for k, v in raw["classes"].items()}


def grade_price(grade: str, service: str | None) -> PriceEntry | None:
    """The 地域単価 a 級地 gives a service: '2級地' with 訪問介護 (70%) is 11.12, with 通所介護
    (45%) 10.72. None when the service's class is not known."""
    klass = service_classes().get(service or "")
    if klass is None:
        return None
    return next((e for e in price_table() if (e.scheme, e.klass, e.grade) == (*klass, grade)), None)
