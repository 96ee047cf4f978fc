"""How well a reading matches a known answer: rows read against rows expected.

Used by ``scripts/score_corpus.py`` (generated documents with exact answers) and by the
hand readings of real documents. A row expected is a dict::

    {"item": "身体介護", "care_levels": ["要介護1"], "time_band": "30分以上1時間未満",
     "units": 387, "rate": None, "amounts": {"total": 4303, "copay1": 431}}

Only what the document prints is expected; keys left out (or ``None``) are not compared,
except ``units`` and ``amounts``, which must be equal when given. A row read matches an
expected row when its numbers are the same, its care levels are the same set, its time
band covers the same minutes, and one item name contains the other (spacing, width and
tier spelling folded). Rows the tool itself marks as not tariff (kind ``other``: 実費) are
not counted as read.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import regex as re

from .terms import band_minutes, canonical_tiers, parse_care_levels, parse_time_band

_FOLD = re.compile(r"[\s・･、,()\[\]（）「」【】〔〕]+")


def fold(name: str | None) -> str:
    """An item name compared without spacing, brackets or width: '身体介護 (Ⅰ)' -> '身体介護I'."""
    if not name:
        return ""
    return _FOLD.sub("", unicodedata.normalize("NFKC", canonical_tiers(name)))


def _levels(v) -> frozenset[str]:
    if not v:
        return frozenset()
    if isinstance(v, str):
        v = parse_care_levels(v) or [x for x in v.split(";") if x]
    # each as printed or as read ('区分2以下' in a hand reading is 区分1 and 区分2)
    levels = frozenset(x for level in v for x in (parse_care_levels(level) or [level]))
    # every level of a scheme's rows ('要介護1~5の方', '要支援1・2') is a row for all, as no level is
    return frozenset() if levels in _ALL_LEVELS else levels


_ALL_LEVELS = {frozenset(f"要介護{n}" for n in range(1, 6)), frozenset(("要支援1", "要支援2")),
               frozenset((*(f"要介護{n}" for n in range(1, 6)), "要支援1", "要支援2"))}


def _band(v):
    if not v:
        return None
    return band_minutes(parse_time_band(v) or v) or v


def _dec(v):
    return None if v in (None, "") else Decimal(str(v))


def as_expected(row) -> dict:
    """A row read by the tool (``TariffRow``), as the same kind of dict as an expected row."""
    return {
        "item": row.item,
        "label": row.label,
        "care_levels": list(row.care_levels),
        "time_band": row.time_band,
        "conditions": list(row.conditions),
        "units": row.units,
        "rate": row.rate,
        "amounts": dict(row.amounts),
        "step_units": row.step.units if row.step else None,
        "line": row.source.line,
        "page": row.source.page,
    }


def _tier_as_band(got: dict, want: dict) -> bool:
    """A hand reading's 'time_band' that is no time band but a tier the row is for ('1人',
    '2人以上9人以下': its CSV has no other place for it) is the row's condition."""
    tier = want.get("time_band")
    if not tier or got.get("time_band") or parse_time_band(tier) or band_minutes(tier):
        return False
    return any(fold(tier) in fold(c) for c in got.get("conditions") or ())  # ('休業日' in '休業日(学校休業日・長期休暇)')


def matches(got: dict, want: dict) -> bool:
    if got.get("units") != want.get("units"):
        return False
    if {k: v for k, v in (got.get("amounts") or {}).items() if v is not None} != {
        k: v for k, v in (want.get("amounts") or {}).items() if v is not None
    }:
        return False
    if _dec(want.get("rate")) != _dec(got.get("rate")) and want.get("rate") is not None:
        return False
    if want.get("step_units") is not None and got.get("step_units") != want.get("step_units"):
        return False
    if _levels(got.get("care_levels")) != _levels(want.get("care_levels")):
        return False
    if _band(got.get("time_band")) != _band(want.get("time_band")) and not _tier_as_band(got, want):
        return False
    name = fold(want.get("item"))
    if name:
        read = fold(got.get("item")) + "|" + fold(got.get("label"))
        if name not in read and not (fold(got.get("item")) and fold(got.get("item")) in name):
            return False
    return True


def row_key(row: dict) -> tuple:
    """A row read (as ``as_expected`` gives it) reduced to what scoring compares, with names,
    care levels and bands folded: two readings of one table agree when their rows' keys
    are the same multiset (``scripts/score_corpus.py`` compares a source with its PDF)."""
    band = _band(row.get("time_band"))
    return (fold(row.get("item")), tuple(sorted(_levels(row.get("care_levels")))),
            band if isinstance(band, str) or band is None else tuple(band), row.get("units"),
            None if _dec(row.get("rate")) is None else str(_dec(row.get("rate")).normalize()),
            tuple(sorted((k, v) for k, v in (row.get("amounts") or {}).items() if v is not None)),
            row.get("step_units"))


@dataclass
class Score:
    matched: int = 0
    read: int = 0
    expected: int = 0
    missing: list[dict] = field(default_factory=list)  # expected rows no row read matched
    extra: list[dict] = field(default_factory=list)  # rows read that match nothing expected

    @property
    def precision(self) -> float:
        return self.matched / self.read if self.read else (1.0 if not self.expected else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.matched + other.matched, self.read + other.read, self.expected + other.expected,
                     self.missing + other.missing, self.extra + other.extra)


def score_rows(rows, expected: list[dict]) -> Score:
    """Match rows read (``TariffRow`` or dicts) one to one with the rows expected."""
    got = [r if isinstance(r, dict) else as_expected(r) for r in rows if isinstance(r, dict) or r.kind != "other"]
    free = list(range(len(got)))
    missing = []
    for want in expected:
        hit = next((i for i in free if matches(got[i], want)), None)
        if hit is None:
            missing.append(want)
        else:
            free.remove(hit)
    return Score(
        matched=len(expected) - len(missing), read=len(got), expected=len(expected),
        missing=missing, extra=[got[i] for i in free],
    )
