"""The OCR-noise lexicon (data/ocr_lexicon.json): reviewed confusions, each safe only in
its context. Corrections are recorded with what was printed and what was read. Digits
are never corrected; a disputed number is a finding, not an entry here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex as re

from .model import Applied


@dataclass(frozen=True)
class Entry:
    id: str
    wrong: str
    right: str
    context: re.Pattern
    service: str | None
    note: str
    ocr_only: bool = False


class LexiconError(ValueError):
    pass


def parse_entries(raw: dict) -> tuple[Entry, ...]:
    out = []
    for e in raw["entries"]:
        if re.search(r"\d", e["wrong"] + e["right"]):
            raise LexiconError(f"lexicon entry {e['id']}: digits are never corrected")
        if "{w}" not in e["context"]:
            raise LexiconError(f"lexicon entry {e['id']}: context must contain {{w}}")
        w = e["wrong"] if e.get("pattern") else re.escape(e["wrong"])  # a pattern: the forms a word is misread as
        pattern = e["context"].replace("{w}", f"(?P<w>{w})")
        out.append(Entry(e["id"], e["wrong"], e["right"], re.compile(pattern), e.get("service"), e.get("note", ""),
                         bool(e.get("ocr_only"))))
    return tuple(out)


@lru_cache(maxsize=1)
def _file() -> dict:
    """data/ocr_lexicon.json, read once: its entries and its heading vocabulary."""
    return json.loads(resources.files("extractor.data").joinpath("ocr_lexicon.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def lexicon() -> tuple[Entry, ...]:
    raw = _file()
    return parse_entries(raw)


def correct(text: str, service: str | None = None, entries: tuple[Entry, ...] | None = None,
            ocr: bool = False) -> tuple[str, list[Applied]]:
    """Apply every entry whose context matches (and whose service, if any, is in
    ``service``). Each correction is recorded with the matched context as printed and
    as read: ('夜間又は早期', '夜間又は早朝')."""
    if entries is None:  # the lexicon's: remembered by text, new records on every call (the caller sets their line)
        text, made = _corrected(text, service, ocr)
        return text, [Applied(rule=rule, printed=printed, read=read) for rule, printed, read in made]
    return _correct(text, service, entries, ocr)


@lru_cache(maxsize=1 << 15)
def _corrected(text: str, service: str | None, ocr: bool) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    text, fired = _correct(text, service, lexicon(), ocr)
    return text, tuple((a.rule, a.printed, a.read) for a in fired)


def _correct(text: str, service: str | None, entries: tuple[Entry, ...], ocr: bool) -> tuple[str, list[Applied]]:
    fired: list[Applied] = []
    for e in entries:
        if e.service and (not service or e.service not in service):
            continue
        if e.ocr_only and not ocr:
            continue

        def fix(m, e=e):
            old = m.group(0)
            a, b = m.start("w") - m.start(), m.end("w") - m.start()
            new = old[:a] + e.right + old[b:]
            fired.append(Applied(rule=f"ocr:{e.id}", printed=old.strip(), read=new.strip()))
            return new

        text = e.context.sub(fix, text)
    return text, fired


@lru_cache(maxsize=1)
def header_terms() -> tuple[str, ...]:
    """The headings a misread heading is repaired to: the lexicon's, and every word of three
    characters or more that names a column (data/header_words.json), a digit-free one."""
    raw = json.loads(resources.files("extractor.data").joinpath("header_words.json").read_text("utf-8"))
    words = [w for ws in raw["roles"].values() for w in ws if len(w) >= 3 and not re.search(r"\d", w)]
    terms = tuple(dict.fromkeys([*_file().get("header_terms", {}).get("terms", []), *words]))
    for t in terms:
        if len(t) < 2:
            raise LexiconError(f"header term {t!r}: too short to repair safely")
    return terms


_NOTE = re.compile(r"^(?P<lead>[\s(（]*)(?P<word>.*?)(?P<trail>\s*[(（][^()（）]*[)）]?\s*)?$")


_LETTER = re.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}]")
_COUNTED = re.compile(r"^\d+[人回日月分円件歳名年時週床室]")  # '10人' is a count, not a misread 10割


def _distance(word: str, term: str) -> int | None:
    """Substitutions from ``word`` to ``term``: at most one (two for a heading of four
    characters or more), of a kanji or kana for another, never from a count; else None."""
    if len(word) != len(term) or _COUNTED.match(word):
        return None
    diff = [(a, b) for a, b in zip(word, term) if a != b]
    if len(diff) > (2 if len(term) >= 4 else 1) or any(a.isdigit() or b.isdigit() for a, b in diff):
        return None
    if any(not _LETTER.match(a) or not _LETTER.match(b) for a, b in diff):
        return None  # a letter misread, never a bracket or a mark ('(単位数)' is no misread 単位期間)
    return len(diff)


def _role(term: str) -> str | None:
    from .reading.columns import header_role

    return (header_role(term) or (None,))[0]


def repair_headers(text: str) -> tuple[str, list[Applied]]:
    """On a heading line read by OCR (a cell is exactly a known heading, a trailing
    '(円)' aside), a cell one substitution away from a known heading (two for headings of
    four characters or more) is the nearest such heading, when only one is nearest, or
    when the nearest all name the same column ('給付客' is 給付額 or 給付費, a benefit either
    way: the first the list gives is taken, and recorded)."""
    terms = header_terms()
    cells = text.split("\t")
    parts = [_NOTE.match(c) for c in cells]
    if not any(m and m.group("word") in terms for m in parts):
        return text, []
    fired = []
    for k, m in enumerate(parts):
        if not m or m.group("word") in terms:
            continue  # a heading read right is never 'repaired' into its neighbour (算定区分, 算定項目)
        near = sorted(((d, n, t) for n, t in enumerate(terms) if (d := _distance(m.group("word"), t)) is not None))
        nearest = [t for d, _, t in near if d == near[0][0]] if near else []
        # one nearest heading; or several, all naming one role ('給付客': 給付額 or 給付費), the list's first of them
        if nearest and (len(nearest) == 1 or len({_role(t) for t in nearest}) == 1 and _role(nearest[0])):
            new = m.group("lead") + nearest[0] + (m.group("trail") or "")
            fired.append(Applied(rule="ocr:heading", printed=cells[k].strip(), read=new.strip()))
            cells[k] = new
    return "\t".join(cells), fired


@lru_cache(maxsize=1)
def known_names() -> frozenset[str]:
    """The fee and service names the tool knows, of four characters or more: the services
    of data/services.json, the items of data/service_code_names.json, without their
    tiers ('特別管理加算(Ⅰ)' -> 特別管理加算), and the official names of additions in
    data/ocr_lexicon.json (``fee_names``)."""
    res = resources.files("extractor.data")
    services = json.loads(res.joinpath("services.json").read_text("utf-8"))["services"]
    items = json.loads(res.joinpath("service_code_names.json").read_text("utf-8"))["names"].values()
    names = {s["name"] for s in services} | {re.sub(r"[(（].*$", "", i["item"]) for i in items}
    names |= set(_file().get("fee_names", {}).get("names", []))
    return frozenset(n for n in names if len(n) >= 4 and _NAME_RUN.fullmatch(n))


_NAME_RUN = re.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}ー・]{4,}")
_CELL_LEAD = re.compile(r"^[\s■□●○◆◇・]*")


def repair_names(text: str, present: frozenset[str]) -> tuple[str, list[Applied]]:
    """A name at the start of a cell read by OCR one letter off a known name (two for names
    of eight characters or more; a kanji or kana for another, never a digit or a mark)
    that the same document prints as it is ('訪問着護' where the title says 訪問看護,
    '四度訪問介護' beside 重度訪問介護), when only one such name is nearest. ``present``:
    the known names found verbatim in the document. A name the tool knows, or a word
    of another length ('訪問看護基本料金'), is left as read."""
    cells = text.split("\t")
    fired = []
    for k, cell in enumerate(cells):
        lead = _CELL_LEAD.match(cell).end()
        m = _NAME_RUN.match(cell, lead)
        if not m or m.group(0) in known_names():
            continue
        word = m.group(0)
        near = [n for n in present if len(n) == len(word)
                and (d := _distance(word, n)) is not None and d <= (2 if len(n) >= 8 else 1)]
        if not near:
            near = [n for n in _near_fee(word)]
        if len(near) != 1:
            continue
        cells[k] = cell[: m.start()] + near[0] + cell[m.end():]
        fired.append(Applied(rule="ocr:known-name", printed=cell.strip(), read=cells[k].strip()))
    return "\t".join(cells), fired


FEE_ENDS = ("加算", "療養費")  # a fee's name repaired with no copy of it in the document ends so
_KINDRED = ({"介", "看"},)  # letters whose swap makes another real word (介護, 看護): never repaired alone


def _edits(word: str, name: str) -> int | None:
    """1 when ``word`` is ``name`` with one letter other (a kanji or kana for another) or,
    for names of eight characters or more, one letter more or fewer; else None."""
    if len(word) == len(name):
        diff = [(a, b) for a, b in zip(word, name) if a != b]
        if len(diff) == 1 and _LETTER.match(diff[0][0]) and _LETTER.match(diff[0][1]) \
                and not any(set(diff[0]) == k for k in _KINDRED):
            return 1
        return None
    if len(name) < 8 or abs(len(word) - len(name)) != 1:
        return None
    short, long = (word, name) if len(word) < len(name) else (name, word)
    for k in range(len(long)):
        if long[:k] + long[k + 1:] == short:
            return 1 if _LETTER.match(long[k]) else None
    return None


@lru_cache(maxsize=4096)
def _near_fee(word: str) -> tuple[str, ...]:
    """The known fee name (ending in 加算 or 療養費, six characters or more) that ``word``
    is one letter off (``_edits``), when no other known name is as near:
    '看本体制強化加算' -> 看護体制強化加算, '介護有職員等処遇改善加算' -> 介護職員等処遇改善加算;
    '緊急時訪問午護加算' is as near to 緊急時訪問看護加算 as to 緊急時訪問介護加算, and stays.
    Empty when the word is a known name."""
    names = known_names()
    if word in names or len(word) < 6:
        return ()
    hits = [n for n in names if n.endswith(FEE_ENDS) and len(n) >= 6 and _edits(word, n)]
    if len(hits) != 1:
        return ()
    rivals = [n for n in names if n != hits[0] and len(n) == len(word) and sum(a != b for a, b in zip(n, word)) <= 1]
    return () if rivals else (hits[0],)


def names_present(texts: list[str]) -> frozenset[str]:
    """The known names printed verbatim in these lines (a document's), each counted only
    where it is not part of a longer one printed ('訪問介護' inside '重度訪問介護' is not there)."""
    joined = "\n".join(texts)
    found = set()
    for n in sorted(known_names(), key=len, reverse=True):
        if n in joined:
            found.add(n)
            joined = joined.replace(n, "\n")
    return frozenset(found)
