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

import regex as re

from ..numbers import parse_rate
from ..prices import floor_yen
from ..services import Service, find_service
from ..terms import canonical_item, kind_of, parse_basis, parse_care_levels, parse_time_band, split_fee_name
from . import values as V
from .columns import SHARE_OF_TOTAL, out_of_scope_words

_NAME = re.compile(r"加算|減算|費(?!用)|基本料金")
_LEADER = re.compile(r"[…・.．‥:：]{2,}|[…‥]")
_ENUM = re.compile(r"^\s*(?:[(（][ア-ン\d一-九][)）]|[①-⑳]|[ア-ン][.．)）]|\d+[.．)）])\s*")
_STEP = re.compile(r"増す(?:ごと|毎)|ごとに|毎に")


_RATE_NAME = re.compile(r"^[※*＊・\s]*(?P<name>[^\d:：、。]*?(?:加算|減算)(?:\s*[(（][^()（）]{1,4}[)）])?)\s*[:：]?")
_MONTHLY = re.compile(r"処遇改善|ベースアップ")  # the 処遇改善 family: a share of the month's units


def _rate_line(text: str) -> tuple[str, Decimal] | None:
    """A percentage addition stated in a line or a note: its name and its rate, when the
    rate is added to the units ('所定単位数×7.5%を加算', '所定単位数の105/1000を加算')."""
    m = _RATE_NAME.match(text)
    if not m or not re.search(r"[%％]|/\s*1000?|分の", text[m.end():]):
        return None
    rate = parse_rate(text[m.end():])
    if rate is None:
        return None
    value = rate.value if rate.op == "add" else (rate.value if re.search(r"加算", text[m.end():]) and rate.value < 1 else None)
    return (canonical_item(m.group("name")), value) if value is not None else None


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


def loose_rows(doc, consumed: set[int], price: Decimal | None, service: Service | None,
               make_row: Callable) -> list:
    out = []
    for ln in doc.lines:
        text = ln.text.strip()
        if ln.number in consumed or not text or len(text) > 80 or _STEP.search(text):
            continue
        rated = _rate_line(text)
        if rated is not None:  # '※介護職員等処遇改善加算(Ⅰ)：所定単位数×7.5%を加算します。'
            name, rate = rated
            out.append(make_row([ln], service=find_service(text) or service, item=name, label=text, kind="addition",
                                rate=rate, rate_op="add", basis="month" if _MONTHLY.search(name) else parse_basis(text)))
            continue
        if "。" in text or text.startswith(("※", "*", "＊")):
            continue  # a sentence or a note: not a fee listed on its own line
        v = V.read(text)
        if v.units is None or not _NAME.search(text):
            continue
        head = re.split(r"[-+▲△]?\s*\(?\s*\d[\d,]*\s*単位", _LEADER.sub(" ", text), maxsplit=1)[0]
        head = _ENUM.sub("", head).strip()
        while head[-1:] in "(（" or head.count("(") < head.count(")") and head[:1] in "(（":
            head = head[:-1].strip() if head[-1:] in "(（" else head[1:].strip()
        if not head or any(w in head for w in out_of_scope_words()):
            continue
        split = split_fee_name(head)
        name = canonical_item(split[0] if split else head)
        amounts = dict(v.shares)
        for yen in v.yen:
            role = _role(abs(yen), abs(v.units), price)
            if role and role not in amounts:
                amounts[role] = yen
        out.append(make_row(
            [ln], service=find_service(text) or service, item=name, label=head, kind=kind_of(name),
            care_levels=parse_care_levels(head), time_band=parse_time_band(head), units=v.units,
            basis=parse_basis(text), amounts=amounts,
        ))
    return out
