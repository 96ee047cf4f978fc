"""source -> lines -> layout rows: one document in, one ``DocumentResult`` out."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import regex as re

from . import findings, layouts, sources
from .model import DocumentResult, Source
from .numbers import YEN_AMOUNT, to_int
from .services import find_service
from .prices import floor_yen, prices_for, stated_price
from .reading.columns import STAGE_HEADER, out_of_scope_pattern, outside_title, starts_outside

# the words of a limit's title ('利用者負担上限月額', '区分支給限度基準額'): header_words.json's limit role
_LIMIT_TITLE = re.compile(r"限度(?:基準)?額|上限(?:月)?額")
from .terms import parse_care_levels, parse_time_band


def extract(path: Path, password: str | None = None) -> DocumentResult:
    """Read ``path`` with the best-scoring recognizer. Raises ``BadInput`` for input
    that cannot be read at all; every other problem is a finding on the result."""
    with fewer_collections():
        doc = sources.read(path, password)
        try:
            return _extract(doc, path)
        finally:
            layouts.REGISTRY[layouts.GENERAL].forget()  # the document's tables go with it


GC_YOUNG = 50_000  # objects made between two collections of the young (Python's default: 700)


@contextmanager
def fewer_collections():
    """Python's cycle collector run less often while a document is read: a long document
    makes hundreds of thousands of objects that live until its end (lines, cells, rows),
    and at the default threshold the collector went over them again and again (a 1,000-page
    document: 2,829 collections, 18 of them full, about 7 % of its CPU time; 75 at this
    threshold, none full). What is read is the same: the collector only frees objects
    nothing refers to."""
    old = gc.get_threshold()
    if old[0] >= GC_YOUNG:
        yield
        return
    gc.set_threshold(GC_YOUNG, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _extract(doc, path: Path) -> DocumentResult:
    result = DocumentResult(
        doc=doc.name, path=str(path), sha256=doc.sha256, source_kind=doc.kind, encoding=doc.encoding
    )
    best, best_score, parsed = choose(doc)
    if best is None:
        ranked = layouts.ranked(doc)
        top = next(((s, r) for s, r in ranked if r.name != layouts.GENERAL), None)
        desc = f"{top[1].name} {top[0]:.2f}" if top else "none registered"
        result.findings = source_findings(doc) + [findings.make("no-recognizer", Source(doc=doc.name), best=desc)]
        return result
    result.recognizer = best.name
    result.confidence = round(best_score, 3)
    result.tables = parsed.tables
    result.rows = parsed.rows
    _stated_price(doc, result.rows)
    lost = _lost(doc, parsed)
    at = {(f.page, f.line) for f in lost}  # a table amount lost is a warning, not the recognizer's note
    own = [f for f in parsed.findings if not (f.code == "unread-amount" and (f.page, f.line) in at)]
    result.findings = source_findings(doc) + own + corrections_found(doc, parsed) + low_confidence(doc, parsed) + lost
    return result


def _read(parsed) -> int:
    """How much a reading read: the printed numbers its rows carry (units, rate, step, yen),
    the yen a table's reader read as a step's ('+719円' beside '30分増すごとに 66') or joined
    to a grid printed apart (a sheet of the other shares), and
    one more for each row whose units and full fee agree at some 1単位の単価 (a reading
    that paired them right)."""
    prices = prices_for(None)

    def agrees(r) -> bool:
        units = r.step.units if r.step and r.amounts_for == "step" else r.units
        total = r.amounts.get("total")
        return units is not None and total is not None and any(floor_yen(units, p) == total for p in prices)

    def impossible(r) -> bool:
        """Units and a full fee that no 1単位の単価 joins, not even nearly (a misprint is a yen
        or two off): numbers paired from the wrong columns ('541 units, 163 yen')."""
        units = r.step.units if r.step and r.amounts_for == "step" else r.units
        total = r.amounts.get("total")
        return (units is not None and total is not None and units > 0
                and not floor_yen(units, prices[0]) * 0.9 <= total <= floor_yen(units, prices[-1]) * 1.1 + 1)

    # (and the amounts of a grid joined to another, a sheet of the other shares or the yen of a units grid: read, not lost)
    steps = sum(1 for t in getattr(parsed, "tables", ()) for a in t.get("set_aside", ()) if a.get("role") in ("step", "joined"))
    return steps + sum(-len(r.amounts) if impossible(r) else
                       (r.units is not None) + (r.rate is not None) + (r.step is not None) + len(r.amounts) + agrees(r)
                       for r in parsed.rows)


SURE = 0.6  # a special plug-in this sure that a document is of its kind wins a tie with the general reader
PARALLEL_LINES = 1500  # a document of this many lines has its readings shared among its page workers (--jobs)


def _family(doc):
    """The best family plug-in for ``doc`` (not the general reader) with its score, or
    None below the threshold: ``layouts.ranked``'s order with the general reader left out."""
    layouts._load_all()
    scored = sorted(((r.score(doc), r) for r in layouts.REGISTRY.values() if r.name != layouts.GENERAL),
                    key=lambda sr: (-sr[0], sr[1].name))
    return scored[0] if scored and scored[0][0] >= layouts.THRESHOLD else None


def _family_option(doc, family, score, parsed) -> tuple:
    # a tie goes to a plug-in for a layout no table reader serves, when it is sure of its kind
    special = family.special and score >= SURE
    return (_read(parsed) - len(_lost(doc, parsed)) - _unkeyed(parsed), _keyed(parsed), 2 if special else 0, family, score, parsed)


def _unkeyed(parsed) -> int:
    """How many of a reading's rows left their time band or care level inside their name
    ('身体介護20分未満', '(単位)60分未満' with no band of their own): a key the reading lost."""
    return sum(1 for r in parsed.rows if not r.time_band and not r.care_levels and r.item
               and (parse_time_band(r.item) or parse_care_levels(r.item)))


def _keyed(parsed) -> int:
    """How many of a reading's rows carry a time band or care levels of their own."""
    return sum(1 for r in parsed.rows if r.time_band or r.care_levels)


def choose(doc):
    """The reading of ``doc`` to keep: the general table reader's, unless the best family
    plug-in (a layout no general reader serves) reads more, or as much and is sure of its
    kind, counting a printed amount that no row carries against the reader that lost it.

    A long document read with several page workers (``--jobs``) has the family plug-in's
    reading weighed in a forked process while the general reader reads here, and the
    general reader's tables read in two halves (see ``layouts.general_table``): the same
    readings, weighed the same way."""
    from .sources import pdf as pdf_source

    layouts._load_all()
    general = layouts.REGISTRY[layouts.GENERAL]
    if pdf_source.PAGE_JOBS > 1 and len(doc.lines) >= PARALLEL_LINES:
        return _choose_in_parallel(doc, general)
    options = []
    long = len(doc.lines) >= PARALLEL_LINES  # a long document holds one reading at a time: the plug-in's
    weighed = None  # weight, and its rows read again in case it wins
    found = _family(doc)
    if found is not None:
        score, family = found
        fparsed = family.parse(doc)
        weighed = score, family, _read(fparsed) - _unkeyed(fparsed), None if long else fparsed
        del fparsed
    parsed = general.parse(doc)
    if parsed.rows:
        options.append((_read(parsed) - len(_lost(doc, parsed)) - _unkeyed(parsed), _keyed(parsed), 1, general, general.score(doc), parsed))
    del parsed
    if weighed is not None:
        score, family, most, fparsed = weighed
        weighed = None
        # the plug-in's weight is at most what it read (the net only takes amounts away): one
        # that cannot reach the general reader's is not weighed further (its net, a pass over
        # every line, is not cast)
        if not options or most >= options[0][0]:
            option = _family_option(doc, family, score, fparsed if fparsed is not None else family.parse(doc))
            del fparsed
            options.insert(0, option if not long else (*option[:5], None))  # (first: as it was weighed first)
            del option
    reader, score, parsed = _best(options)
    if reader is not None and parsed is None:
        options.clear()
        parsed = reader.parse(doc)
    return reader, score, parsed


def _best(options):
    if not options:
        return None, 0.0, None
    # as many rows: the reading that found more of their keys (a band left inside a name is a key lost)
    _, _, _, reader, score, parsed = max(options, key=lambda o: (o[0], o[1], o[2]))
    return reader, score, parsed


def _choose_in_parallel(doc, general):
    """``choose`` with the family plug-in weighed by a forked copy of this process: it
    sends back the most its reading can weigh (what it read, before the net takes the
    amounts it lost away), not its rows. Only a plug-in that may reach the general
    reader's weight is read again here and netted (as ``choose`` nets it only then): the
    copy no longer casts the net for a plug-in that cannot win, a pass over every line
    that took a core from the tables read beside it. Anything going wrong over there is
    done here instead."""
    from .sources.pdf import _fork, _outcome, _reap

    def weigh():
        found = _family(doc)
        if found is None:
            return None
        score, family = found
        fparsed = family.parse(doc)
        return _read(fparsed) - _unkeyed(fparsed), family.name, score

    child = _fork(weigh)
    try:
        parsed = general.parse(doc, jobs=2)
        if WRITE_FORMAT and parsed.rows:
            # the rows are final once priced (``_extract`` prices them so, and again finds them priced): a
            # forked copy starts writing them from the back while the net and the findings are worked out
            from .output import write_early

            _stated_price(doc, parsed.rows)
            write_early(parsed.rows, WRITE_FORMAT)
        options = []
        if parsed.rows:
            options.append((_read(parsed) - len(_lost(doc, parsed)) - _unkeyed(parsed), _keyed(parsed), 1, general, general.score(doc), parsed))
        ok, weighed = _outcome(child)
        child = None
    finally:
        if child is not None:
            _reap(*child, kill=True)
    if not ok:  # (a child that died or raised: the same weighing here)
        found = _family(doc)
        weighed = None
        if found is not None:
            score, family = found
            fparsed = family.parse(doc)
            weighed = _read(fparsed) - _unkeyed(fparsed), family.name, score
            del fparsed
    if weighed is not None:
        most, name, score = weighed
        # the plug-in's weight is at most what it read (the net only takes amounts away)
        if not options or most >= options[0][0]:
            family = layouts.REGISTRY[name]
            option = _family_option(doc, family, score, family.parse(doc))
            if not options or option[:3] > options[0][:3]:
                from .output import drop_early

                drop_early()  # (the general reader's rows, written for nothing)
                return family, score, option[5]
    return _best(options)


# `extract`'s output format while a document is read with page workers and written as it is sent
# (set by the engine's worker; None: not known, or not written so): its rows, once final, start being
# written by a forked copy (``output.write_early``)
WRITE_FORMAT: str | None = None


# a fare by distance ('1kmごとに100円') is 実費, never units × 単価: no tariff row carries it
_DISTANCE = re.compile(r"(?:km|ｋｍ|キロ(?:メートル)?)\s*(?:ごと|毎|当たり|あたり|につき)")


def _tabular(text: str, amounts: int) -> bool:
    """A table line, not a sentence: cells (tabs or wide gaps), several amounts, or an
    amount alone on its line (a cell the text stream put apart), and no sentence ending."""
    if "。" in text or len(text) > 160:
        return False
    if amounts == 1 and not YEN_AMOUNT.sub("", text).strip():  # a cell on a line of its own
        return True
    return amounts >= 2 or "\t" in text.strip() or bool(re.search(r"\S(?:\s{2,}|　)\S", text.strip()))


_SECTION = re.compile(r"^[◇◆■□●○▼▽◎【]")  # a heading's mark: a section runs to the next of the same mark
_OTHER_SCHEME = re.compile(r"医療保険")
# a heading of the charges besides the fees ('その他の費用', '(4)その他の料金', '■実費'), and a numbered heading
_OTHER_CHARGES = re.compile(r"^[\s■□◆◇●○▼▽◎【(（\d.．)）]*(?:その他の?(?:費用|料金|利用料)|実費)[)）】\s]*(?:[(（][^()（）]*[)）])?$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}\s*[.．)）]|[(（]\s*\d{1,2}\s*[)）]|[①-⑳])")
_OPEN_CLOSE = {"（": "）", "(": ")"}


def _under_outside_title(lines, i: int, outside: set) -> bool:
    """The line is in a table whose title puts it outside the tariff: one of the up to three
    lines above it, with no yen and no blank between, starts with an out-of-scope word
    ('食事代（手作りです）' over '朝食 昼食 夕食' over '¥350 ¥650 ¥700'; '宿泊サービス' over
    '相部屋 ¥1,890'), says it is not of the insurance ('介護保険対象外'), is a header by the
    stage of the income-based limit ('所得段階 食費 多床室'), or is a short title naming a limit ('【利用者負担上限月額】' over '一般1 9,300円'); or the line right above it
    is such a table's row (``outside``: the indexes found so far). A title that only
    mentions a 実費 word ('利用料金（食費は別途）') is not one."""
    for j in range(i - 1, max(-1, i - 4), -1):
        above = lines[j]
        if above.blank or above.page != lines[i].page:
            return False
        if YEN_AMOUNT.search(above.text):
            return j == i - 1 and j in outside
        if outside_title(above.text) or STAGE_HEADER.match(above.text.strip()) or (
                len(above.text.strip()) <= 24 and _LIMIT_TITLE.search(above.text)):
            # (a header by 負担段階: '所得段階 食費 多床室'; a short title naming a limit: '【利用者負担上限月額】')
            return True
    return False


def _bracketed_by(text: str, outside_words) -> list[tuple[int, int]]:
    """The spans of brackets that follow an out-of-scope word ('お泊り（相部屋１泊1,980円 …）')."""
    spans = []
    for m in outside_words.finditer(text):
        k = m.end()
        if k < len(text) and text[k] in _OPEN_CLOSE:
            end = text.find(_OPEN_CLOSE[text[k]], k)
            spans.append((k, len(text) if end < 0 else end))
    return spans


def _lost(doc, parsed) -> list:
    """``lost_amounts`` of a reading, found once: when it is weighed and when the reading
    chosen is given its findings (a pass over every line of the document, and a map of
    the lines every row carries)."""
    if parsed.lost is None:
        parsed.lost = lost_amounts(doc, parsed)
    return parsed.lost


def lost_amounts(doc, parsed) -> list:
    """The safety net under every recognizer: a table line whose printed yen no row carries
    and no finding names is reported (lost-amount), so a layout the recognizer did not
    understand never passes as read. Prose (交通費 …100円いただきます。) is left to the
    recognizers' own unread-amount."""
    carried: dict[tuple, set[int]] = {}
    for r in parsed.rows:
        for n in r.source.lines or [r.source.line]:
            # a reduction's yen may be carried signed (-2,140) where the net reads 2,140
            carried.setdefault((r.source.page, n), set()).update(abs(v) for v in r.amounts.values() if v is not None)
    for t in parsed.tables:  # amounts a table's reader set aside as no fee (a benefit limit)
        for a in t.get("set_aside", ()):
            if "amount" in a:
                carried.setdefault((a["page"], a["line"]), set()).add(a["amount"])
    named = {(f.page, f.line) for f in parsed.findings if f.code != "unread-amount"}
    # a number its row read apart ('3167317円' read as 3167 and 317円, ocr-correction) is looked for as read
    read_as: dict[tuple, list] = {}
    for r in parsed.rows:
        for c in r.corrections:
            read_as.setdefault((r.source.page, c.line), []).append(c)
    outside_words = out_of_scope_pattern()
    outside_rows: set[int] = set()
    other_scheme = None  # the mark of a heading that opened a section of another scheme ('◇医療保険での訪問看護')
    out = []
    for i, ln in enumerate(doc.lines):
        t = ln.text.strip()
        heading = _SECTION.match(t) if len(t) <= 30 else None
        if heading is not None and not YEN_AMOUNT.search(ln.text):
            if _OTHER_SCHEME.search(ln.text) and "介護保険" not in ln.text:
                other_scheme = heading.group(0)
            elif heading.group(0) == other_scheme:
                other_scheme = None  # the next heading of its rank ends it
        if len(t) <= 16 and _OTHER_CHARGES.match(t):
            other_scheme = "その他"  # 'その他の費用' heading the 実費 after the fees: to the next marked heading
        elif other_scheme == "その他" and (heading is not None or _NUMBERED.match(t)) and not starts_outside(t):
            other_scheme = None
        if ln.blank or (ln.page, ln.number) in named or other_scheme is not None:
            continue  # (医療保険's fees are no tariff rows, and not lost)
        text = ln.text
        for c in read_as.get((ln.page, ln.number), []):
            text = text.replace(c.printed, c.read)
        if not YEN_AMOUNT.search(text):
            continue
        if starts_outside(text) or _under_outside_title(doc.lines, i, outside_rows):
            # (a line that starts with a 実費 word lists its parts: '食費　朝食４００円　昼食６００円')
            outside_rows.add(i)
            continue
        printed = _printed_fees(text, outside_words)
        if not printed:
            continue
        missing = [v for v in printed if v not in carried.get((ln.page, ln.number), set())]
        if missing:
            out.append(findings.make("lost-amount", doc.source([ln]), printed=", ".join(f"{v:,}円" for v in missing)))
    return out


@lru_cache(maxsize=1 << 15)
def _printed_fees(text: str, outside_words) -> tuple[int, ...]:
    """The yen a table line prints that the net looks for on the line's rows, in printed
    order; none for a line that is no table line (``_tabular``). Remembered by text."""
    bracketed = _bracketed_by(text, outside_words)
    printed, after = [], 0
    for m in YEN_AMOUNT.finditer(text):
        # the words since the amount before it name a charge outside the tariff (食事代 700円), or
        # the amount is in the bracket after such a word (お泊り（相部屋１泊1,980円 個室…5000円）): 実費,
        # never units × 単価, as the reader drops its row (header_words.json out_of_scope)
        outside = outside_words.search(text, after, m.start()) is not None or any(
            a <= m.start() < b for a, b in bracketed)
        if not outside and not _DISTANCE.search(text[max(0, m.start() - 12):m.start()]):
            printed.append(to_int(m.group(1) or m.group(2)))
        after = m.end()
    return tuple(printed) if printed and _tabular(text, len(printed)) else ()


def _stated_price(doc, rows) -> None:
    """A document that states its 1単位の単価 ('1単位の単価 10.70円', '地域区分 7級地 10.18')
    gives it to its rows, when its recognizer did not place prices itself; the checker then
    tests the printed yen against it (stated-price-contradicted) instead of inferring one.

    A document that states several prices (two offices or sections at different prices, a
    long file stating the price of each page) gives each row the price of its own part: the
    price stated last before the row (a section's heading, a page's head), or, in a document
    that states its prices under what they price (no price before its first row), the one
    stated first after it (a table's footnote)."""
    if any(r.unit_price is not None for r in rows):
        return
    for_service = _prices_by_service(doc)
    if len(for_service) >= 2:
        # '1単位の単価は、介護予防支援・介護予防ケアマネジメントが10.84円、通所型サービス（独自）が10.54円です': each
        # service's rows its own price
        for r in rows:
            if r.service in for_service:
                r.unit_price, r.unit_price_source = for_service[r.service], "stated"
        rows = [r for r in rows if r.unit_price is None]
        if not rows:
            return
    stated = [((ln.page or 0, ln.number), p) for ln in doc.lines if (p := stated_price(ln.text)) is not None]
    if not stated or not rows:
        return
    if len({p for _, p in stated}) == 1:
        for r in rows:
            r.unit_price, r.unit_price_source = stated[0][1], "stated"
        return
    # a price stated for a service by name ('訪問型サービス（独自）の1単位の単価 10.21円', '通所型… 10.14円'): its rows'
    named: dict[str, set] = {}
    for ln in doc.lines:
        if (p := stated_price(ln.text)) is not None and (sv := find_service(ln.text)) is not None:
            named.setdefault(sv.canonical, set()).add(p)
    if len(named) >= 2 and all(len(ps) == 1 for ps in named.values()) and len({min(ps) for ps in named.values()}) >= 2:
        for r in rows:
            if r.service in named:
                r.unit_price, r.unit_price_source = min(named[r.service]), "stated"
        if all(r.unit_price is not None for r in rows):
            return
        rows = [r for r in rows if r.unit_price is None]
    first_row = min((r.page or 0, r.line or 0) for r in rows)
    under = stated[0][0] > first_row  # prices stated under what they price

    def before(at):
        return next((p for s, p in reversed(stated) if s <= at), None)

    def after(at):
        return next((p for s, p in stated if s >= at), None)

    for r in rows:
        at = (r.page or 0, r.line or 0)
        price = (after(at) or before(at)) if under else (before(at) or after(at))
        r.unit_price, r.unit_price_source = price, "stated"


_PRICE_WORD = re.compile(r"単価|1\s*単位\s*(?:あたり|当たり|につき)")
_SERVICE_PRICE = re.compile(r"(?P<who>[^、。,:：]{2,40}?)\s*(?:が|は|[:：])\s*(?P<price>\d{1,2}\.\d{1,3})\s*円")


def _prices_by_service(doc) -> dict[str, Decimal]:
    """Prices a sentence gives service by service after a word of the unit price ('1単位の
    単価は、介護予防支援・介護予防ケアマネジメントが10.84円、通所型サービス（独自）が10.54円です',
    wrapped over lines or not): by service, when each names one service and one price."""
    out: dict[str, set] = {}
    lines = [ln.text for ln in doc.lines]
    for k, text in enumerate(lines):
        head = _PRICE_WORD.search(text)
        if head is None:
            continue
        sentence = (text + (lines[k + 1] if k + 1 < len(lines) else ""))[head.end():].split("。")[0]
        for m in _SERVICE_PRICE.finditer(sentence):
            sv = find_service(m.group("who"))
            if sv is not None:
                out.setdefault(sv.canonical, set()).add(Decimal(m.group("price")))
    named = {sv: next(iter(ps)) for sv, ps in out.items() if len(ps) == 1}
    return named if len(set(named.values())) >= 2 else {}


def low_confidence(doc, parsed) -> list:
    if not doc.notes.get("ocr_pages"):
        return []
    return [
        findings.make("ocr-low-confidence", r.source, printed=f"{r.confidence:.2f}", expected=f"{OCR_CONFIDENCE:.2f}")
        for r in parsed.rows if r.confidence < OCR_CONFIDENCE
    ]


OCR_CONFIDENCE = 0.9  # OCR'd rows below this are flagged for a look at the page


def source_findings(doc) -> list:
    out = []
    missing = doc.notes.get("missing_ocr")
    for page in doc.notes.get("empty_pages", []):
        if missing:
            out.append(findings.make("ocr-unavailable", Source(doc=doc.name, page=page), printed=str(page), expected=missing))
        else:
            out.append(findings.make("page-without-text", Source(doc=doc.name, page=page), printed=f"p.{page}"))
    for page, n in doc.notes.get("unmapped", []):
        out.append(findings.make("unmapped-glyphs", Source(doc=doc.name, page=page), printed=str(n)))
    return out


def corrections_found(doc, parsed) -> list:
    """One ocr-correction finding per corrected line: on the rows' lines (which carry the
    corrections safe in their section's service) and on every other corrected line."""
    by_line: dict[int | None, list] = {}
    for r in parsed.rows:
        for c in r.corrections:
            if c not in by_line.setdefault(c.line, []):
                by_line[c.line].append(c)
    for ln in doc.lines:
        for c in ln.corrections:
            if c not in by_line.setdefault(ln.number, []):
                by_line[ln.number].append(c)
    lines = {ln.number: ln for ln in doc.lines}
    out = []
    for n in sorted(k for k in by_line if k is not None):
        cs = by_line[n]
        if cs:
            out.append(findings.make(
                "ocr-correction", doc.source([lines[n]]),
                printed=" / ".join(c.printed for c in cs), expected=" / ".join(c.read for c in cs),
            ))
    return out
