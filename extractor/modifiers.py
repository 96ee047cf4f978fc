"""Modifiers as documents print them, applied to units the way the 算定構造 says:
in order, rounding units half-up (四捨五入) after each percentage step.

Forms: ``×90/100`` (also ``x``, ``*``), ``+25/100``, ``-1/100``, ``×95%``, ``+10%``,
``+574単位``, ``-60単位``. Full-width digits and signs are accepted. Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import regex

from .text import fullwidth_ascii

_NUM = r"(\d+(?:\.\d+)?)"
_FORM = regex.compile(
    rf"^\s*(?P<op>[×x*+\-−])\s*(?:{_NUM}\s*/\s*{_NUM}|{_NUM}\s*%|{_NUM}\s*単位)\s*$")


@dataclass(frozen=True)
class Modifier:
    """One step. ``kind`` is ``scale`` (units × factor), ``percent`` (units ± units ×
    factor) or ``fixed`` (units ± a number of units)."""

    kind: str
    sign: int  # +1 or -1 (scale: +1)
    value: Decimal  # the factor (scale, percent) or the units (fixed)
    printed: str

    def apply(self, units: int) -> int:
        if self.kind == "fixed":
            return units + self.sign * int(self.value)
        factor = self.value if self.kind == "scale" else 1 + self.sign * self.value
        return half_up(Decimal(units) * factor)


def half_up(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_HALF_UP))


def parse(text: str) -> Modifier:
    """One printed modifier; ValueError with the text when it is not one of the forms."""
    s = fullwidth_ascii(text).replace("－", "-").replace("＋", "+").replace("ｘ", "x")
    m = _FORM.match(s)
    if not m:
        raise ValueError(f"'{text}' is not a modifier: write ×90/100, +25/100, -1/100, ×95%, +10% or +574単位")
    op = m.group("op")
    num, den, pct, fixed = m.group(2), m.group(3), m.group(4), m.group(5)
    sign = -1 if op in "-−" else 1
    if fixed is not None:
        if op in "×x*":
            raise ValueError(f"'{text}': a number of units is added or taken away, not multiplied")
        if "." in fixed:
            raise ValueError(f"'{text}': units are whole numbers")
        return Modifier("fixed", sign, Decimal(fixed), text)
    if den is not None and Decimal(den) == 0:
        raise ValueError(f"'{text}': a zero denominator")
    value = Decimal(num) / Decimal(den) if num is not None else Decimal(pct) / 100
    return Modifier("scale" if op in "×x*" else "percent", 1 if op in "×x*" else sign, value, text)


def delta(m: Modifier, units: int) -> int:
    """What ``m`` adds to (or, negative, takes from) ``units``, its amount rounded half-up
    on its own: ×90/100 on 471 takes half-up(47.1) = 47."""
    if m.kind == "fixed":
        return m.sign * int(m.value)
    if m.kind == "percent":
        return m.sign * half_up(Decimal(units) * m.value)
    change = half_up(Decimal(units) * abs(m.value - 1))
    return change if m.value >= 1 else -change


def apply_all(units: int, modifiers: list) -> int:
    """Units after each modifier in order (half-up after each percentage step).
    ``apply_all(244, ["+25/100", "+10/100"]) == 336``.

    A list inside ``modifiers`` is one step whose modifiers are all taken from the same
    units, each amount rounded on its own, then summed: the official 訪問看護 codes take
    准看護師 (×90/100) and 業務継続計画未策定 (-1/100) from 471 as 471 − 47 − 5 = 419,
    where one after the other gives 420."""
    for m in modifiers:
        if isinstance(m, (list, tuple)):
            units = units + sum(delta(x if isinstance(x, Modifier) else parse(x), units) for x in m)
        else:
            units = (m if isinstance(m, Modifier) else parse(m)).apply(units)
    return units
