"""Named, pure normalization rules for one line of text.

Each rule is a function ``str -> str`` with a stable name. ``normalize`` runs them in
order and records every rule that changed the line, with what was printed and what
was read, so that a row can say exactly how its text was cleaned.

Rules never touch a digit's value: they change width, kana form, dash and space
characters only. OCR confusions live in the data-driven lexicon, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
import unicodedata

import mojimoji
import regex as re

from .model import Applied

CJK = r"\p{Han}\p{Hiragana}\p{Katakana}ー々〆"


@dataclass(frozen=True)
class Rule:
    name: str
    apply: Callable[[str], str]
    doc: str


def fullwidth_ascii(s: str) -> str:
    """Full-width digits, letters, punctuation and U+3000 to ASCII; kana untouched."""
    return mojimoji.zen_to_han(s, kana=False)


def halfwidth_kana(s: str) -> str:
    """Half-width katakana (ｹｱﾌﾟﾗﾝ, ﾘﾊﾋﾞﾘ, ･) to full width; digits and ASCII untouched."""
    return mojimoji.han_to_zen(s, digit=False, ascii=False)


_RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")
# the CJK Radicals Supplement forms PDF fonts map to most, which Unicode gives no decomposition
_RADICAL_SUPPLEMENT = {"\u2ec4": "西", "\u2ed1": "長", "\u2edd": "食", "\u2ed8": "青", "\u2ee9": "黄", "\u2eed": "歯",
                       "\u2ec1": "虎", "\u2ea0": "民", "\u2ec6": "角", "\u2ee3": "骨", "\u2ecf": "郎", "\u2ed6": "阝",
                       "\u2e8c": "小", "\u2e97": "心", "\u2ebc": "月", "\u2ecc": "辶"}


def radical_ideograph(s: str) -> str:
    """Radicals a PDF's font maps its glyphs to (Kangxi Radicals '⽇' U+2F47, '⽤' U+2F64, as
    web pages printed to PDF give them) to the ideographs they are ('日', '用')."""
    if not _RADICALS.search(s):
        return s
    return _RADICALS.sub(lambda m: _RADICAL_SUPPLEMENT.get(m.group(0)) or unicodedata.normalize("NFKC", m.group(0)), s)


_WAVES = re.compile("[〜～∼〰]")


def wave_dash(s: str) -> str:
    """WAVE DASH U+301C and FULLWIDTH TILDE U+FF5E (ranges like 4日～30日) to '~'."""
    return _WAVES.sub("~", s)


_ALWAYS_MINUS = re.compile("[\u2212\u2010\u2011\u2012\u2013\ufe63]")
# Long vowel mark and horizontal bars count as a minus only where a number follows
# and no katakana precedes (ターミナル keeps its ー). Not across a tab: a cell holding
# only '―' means "none", and the number in the next cell is not negative.
_MINUS_BEFORE_DIGIT = re.compile(r"(?<![\p{Katakana}ー])[ー\u2014\u2015\u2500](?=[ \u00a0]*\d)")


def dash_minus(s: str) -> str:
    """The dash family (− ‐ – and ー/― before a number) to ASCII '-'."""
    return _MINUS_BEFORE_DIGIT.sub("-", _ALWAYS_MINUS.sub("-", s))


_LETTER_SPACED = re.compile(rf"(?<![{CJK}])[{CJK}](?: [{CJK}])+(?![{CJK}])")


def letter_spaced_word(s: str) -> str:
    """Join words printed one character at a time: '単 位 数' -> '単位数'."""
    return _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), s)


_UNITS_DOT = re.compile(r"(?<![\d.,])(\d{1,3})\.(\d{3})(?=\s*単位)")


def units_separator(s: str) -> str:
    """A thousands separator printed or read as '.' in a number of units: '1.008単位' ->
    '1,008単位' (units are whole numbers, so three digits after a point are thousands)."""
    return _UNITS_DOT.sub(r"\1,\2", s)


_SPACES = re.compile(r"[ \u00a0]{2,}")


def collapse_spaces(s: str) -> str:
    """Runs of spaces to one, and no space at either end; tabs (cell breaks) stay."""
    return "\t".join(_SPACES.sub(" ", cell).strip(" \u00a0") for cell in s.split("\t"))


LINE_RULES: tuple[Rule, ...] = (
    Rule("radical-ideograph", radical_ideograph, radical_ideograph.__doc__ or ""),
    Rule("fullwidth-ascii", fullwidth_ascii, fullwidth_ascii.__doc__ or ""),
    Rule("halfwidth-kana", halfwidth_kana, halfwidth_kana.__doc__ or ""),
    Rule("wave-dash", wave_dash, wave_dash.__doc__ or ""),
    Rule("dash-minus", dash_minus, dash_minus.__doc__ or ""),
    Rule("units-separator", units_separator, units_separator.__doc__ or ""),
    # Spaces collapse before letter-spaced words are joined, so that '単  位' reads the
    # same in one pass as in two (normalize is idempotent).
    Rule("collapse-spaces", collapse_spaces, collapse_spaces.__doc__ or ""),
    Rule("letter-spaced-word", letter_spaced_word, letter_spaced_word.__doc__ or ""),
)


def normalize(s: str, rules: tuple[Rule, ...] = LINE_RULES) -> tuple[str, list[Applied]]:
    """Run ``rules`` in order; return the text and the rules that changed it (new records
    on every call: the caller may change them)."""
    text, fired = _normalized(s, rules)
    return text, [Applied(rule=name, printed=printed, read=read) for name, printed, read in fired]


@lru_cache(maxsize=1 << 15)
def _normalized(s: str, rules: tuple[Rule, ...]) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """``normalize``'s work, remembered by text (a document repeats its cells and lines)."""
    fired = []
    for rule in rules:
        out = rule.apply(s)
        if out != s:
            fired.append((rule.name, s, out))
            s = out
    return s, tuple(fired)


_INNER_SPACE = re.compile(rf"(?<=[{CJK}・:、()\])）])\s+(?=[{CJK}・()\[（])")


def squeeze(s: str) -> str:
    """Drop spaces between CJK characters, for canonical item names ('緊急時等 居宅…')."""
    return _INNER_SPACE.sub("", s).strip()
