"""Japanese eras to ISO dates: 令和６年４月, R6.6, 平成30年, 令和7年4月1日, 令和7年度."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import regex as re

from . import text

ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}

# A month is read only after 年 (and then needs 月) or after a separator (R6.6, H31.4.30):
# in '令和6年度 12単位' or 'R6 1,086単位' the next number is not a month.
_ERA = re.compile(
    r"(?P<era>令和|平成|昭和|(?<![A-Za-z])[RHS](?=\s*\d))\s*(?P<year>\d{1,2}(?!\d)|元)"
    r"(?:\s*(?P<fy>年度)"
    r"|\s*年(?:\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?)?"
    r"|\s*[.\-/]\s*(?P<month>\d{1,2})(?!\d)"
    r"(?:[.\-/]\s*(?P<day>\d{1,2})(?!\d)|\s*月(?:\s*(?P<day>\d{1,2})\s*日)?)?"
    r")?"
)


@dataclass(frozen=True)
class EraDate:
    year: int
    month: int | None
    day: int | None
    fiscal: bool
    printed: str

    @property
    def start(self) -> date:
        """First day the printed date can mean (年度 starts in April)."""
        if self.month is None:
            return date(self.year, 4 if self.fiscal else 1, 1)
        return date(self.year, self.month, self.day or 1)

    @property
    def end(self) -> date:
        """Last day the printed date can mean: '令和6年5月まで' ends on 2024-05-31."""
        if self.day is not None and self.month is not None:
            return date(self.year, self.month, self.day)
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year + 1, 3, 31) if self.fiscal else date(self.year, 12, 31)


def find_eras(s: str) -> list[EraDate]:
    """Every era date in ``s``, in order (a new list on every call)."""
    return list(_eras(s))


@lru_cache(maxsize=1 << 15)
def _eras(s: str) -> tuple[EraDate, ...]:
    return tuple(_find_eras(s))


def _find_eras(s: str) -> list[EraDate]:
    s, _ = text.normalize(s)
    out: list[EraDate] = []
    for m in _ERA.finditer(s):
        year_s = m.group("year")
        n = 1 if year_s == "元" else int(year_s)
        era = m.group("era")
        month = int(m.group("month")) if m.group("month") else None
        day = int(m.group("day")) if m.group("day") else None
        if month is not None and not 1 <= month <= 12:
            month, day = None, None
        if day is not None and month is not None:
            if not 1 <= day <= calendar.monthrange(ERA_START[era] + n, month)[1]:
                day = None
        out.append(EraDate(ERA_START[era] + n, month, day, bool(m.group("fy")), m.group(0).strip()))
    return out


def parse_era(s: str) -> date | None:
    """The first era date in ``s`` as the first day it can mean, or None."""
    found = find_eras(s)
    return found[0].start if found else None
