"""Tables -> tariff rows: each body cell to its column, each column's numbers to their
role (header words, then arithmetic), and each row's keys (item, time band, care level,
room) through the shared grammars of ``terms``.

A label printed once for several rows (a merged cell, at the top or centred) belongs to
every row it spans: the rows between two labels go with the label above, unless the row
keys start over (a time band or care level lower than the row before), which marks the
start of the next label's rows. A row of yen with no keys under a row of units is that
row's yen (a units line followed by its yen line).
"""

from __future__ import annotations


from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

import regex as re

from .. import revisions
from ..model import Applied, Step
from ..numbers import parse_rate
from ..prices import PRICE, floor_yen
from ..services import Service, document_service, find_service
from ..terms import (
    key_order,
    TIME_BAND,
    FEE_NAME_END,
    band_minutes,
    canonical_item,
    continues_band,
    is_visit_service,
    kind_of,
    parse_basis,
    parse_care_levels,
    parse_increment,
    parse_step,
    parse_time_band,
    split_fee_name,
    step_note,
    step_of,
    strip_care_levels,
    wrapped_fee_name,
)
from ..tables.cells import Cell, Row
from ..tables.structure import _ROOM_DECOR, Table, is_value_cell, room_only
from . import values as V
from .lines import section_surcharge
from .columns import (SHARE_OF_TOTAL, AMOUNT_ROLES, KEY_ROLES, STAGE_HEADER, VALUE_ROLES, Column, fold, header_role,
                      header_run, out_of_scope_words, outside_title, role_in_title, settle, starts_outside, unnamed_share,
                      pivot_key, value_word)

_HOURS_RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*~\s*(\d+(?:\.\d+)?)\s*未満$")
_DECOR = re.compile(r"^[\s#■□●○〇◆◇▼▽◎・*＊※]+|[\s:：]+$")
# patterns of the hot paths, compiled once here rather than looked up in the regex cache per call
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_PER_STEP = re.compile(r"[(（][^()（）]*(?:ごと|毎)[^()（）]*[)）]")
_DURATION = re.compile(r"\d+(?:時間)?(?:\d+分)?(?:以上|未満)+")


def _units_of_amounts(options: list[int], amounts: dict, price: Decimal | None) -> int:
    """Of the units of several units columns (介護 and 予防 units side by side), the ones the
    row's yen are made of at the table's price (a total floor(units × price); users' shares
    total − floor(total × (10 − 割)/10)), else the first column's."""
    if price is None or not amounts:
        return options[0]
    for u in options:
        total = floor_yen(u, price)
        if "total" in amounts:
            if amounts["total"] == total:
                return u
            continue
        shares = {k: int(k[-1]) for k in ("copay1", "copay2", "copay3") if k in amounts}
        if shares and all(amounts[k] == total - floor_yen(total, Decimal(10 - n) / 10) for k, n in shares.items()):
            return u
    return options[0]


@dataclass
class Built:
    """One row as read, before it becomes a ``TariffRow``."""

    lines: list
    key: tuple[str, str] | None
    fields: dict
    amounts: dict = field(default_factory=dict)
    units: int | None = None
    rate: Decimal | None = None
    options: tuple = ()  # (units, header) of each units column, where there are several (介護 and 予防 side by side)
    step: Step | None = None  # the step a row of its own printed under this one ('3時間以上の場合、30分増すごとに 66')


@lru_cache(maxsize=65536)
def _kind(text: str) -> str | None:
    """What a cell holds: 'yen', 'units', 'rate', 'key' (words, a time band, a care level)."""
    if not text:
        return None
    if parse_time_band(text) or parse_care_levels(text) or not _DIGIT.search(text):
        return "key"
    v = V.read(text)
    if v.yen or v.shares:
        return "yen"
    if v.units is not None or v.bare is not None:
        return "units"
    return "rate" if v.rate is not None else "key"


def _fits(cell: Cell, col: Column | None) -> int:
    kind = _kind(cell.text)
    if col is None or kind is None:
        return 0
    if col.key is not None or col.role is None:
        return 1 if kind != "key" else (0 if not col.header.strip() else -1)  # an unnamed column may hold the labels
    if col.role in KEY_ROLES:
        if kind != "key":
            return -1
        if col.role == "time_band" and not parse_time_band(cell.text) or col.role == "care_level" and not parse_care_levels(
                cell.text):
            return 0  # a name under a time band's or care level's header: a key, not of this kind
        if col.role in ("item", "service", "room", "basis") and _only_key(cell.text):
            return 0  # a band or a care level alone under a names', a room's or a basis' header
        return 1
    if col.role in AMOUNT_ROLES:
        return 1 if kind == "yen" else (0 if kind == "units" else -1)
    return 1 if kind in ("units", "rate") else -1


def _free_left(row: Row, cols: list[Column], cell: Cell, col: Column) -> Column | None:
    """The units column just left of ``col`` when no cell of ``row`` lies under it, else None."""
    left = [k for k in cols if k.end <= col.start]
    if not left:
        return None
    k = max(left, key=lambda k: k.end)
    if k.role != "units" or k.key is not None or any(
            o is not cell and k.start < o.end and o.start < k.end for o in row.filled):
        return None
    return k


def assign(row: Row, cols: list[Column], aligned: bool) -> list[tuple[Column | None, Cell]]:
    """Each cell of ``row`` with the column it lies in. Aligned text goes by position; cells
    by order fill the header from the left, from the right (a merged label printed only
    once), or keys from the left and values from the right (a cell missing between them),
    whichever puts more cells in columns of their kind."""
    if aligned and row.aligned and (row.placed or len(row.filled) != len(cols)):  # as many cells as columns: in order
        out = []
        pieces: dict = {}
        for c in row.filled:
            if c.span is not None:
                pieces.setdefault(c.span, []).append(c)
        fixed = {}
        split_words: dict[int, list[tuple[Column, Cell]]] = {}
        for c in row.filled:  # words of one measured cell a narrow gap apart, over as many columns as words
            under = [k for k in cols if k.start < c.end and c.start < k.end]
            words = c.text.split()
            if 2 <= len(words) < len(under):  # the columns it lies over most, in order
                over = lambda k: min(c.end, k.end) - max(c.start, k.start)  # noqa: E731
                most = sorted(sorted(under, key=lambda k: -over(k))[:len(words)], key=lambda k: k.start)
                if not all(_fits(Cell(w, k.start, k.end), k) >= 0 for w, k in zip(words, most)):
                    # a long band runs under the next column's short header ('…(30分を増すごとに+85単位)' under
                    # 1割負担): the columns, in order, where each word is of its column's kind and no other cell lies
                    free = [ks for ks in combinations(under, len(words)) if all(
                            _fits(Cell(w, k.start, k.end), k) >= 0 and not any(
                                o is not c and k.start < o.end and o.start < k.end for o in row.filled)
                            for w, k in zip(words, ks))]
                    most = max(free, key=lambda ks: sum(over(k) for k in ks)) if free else most
                under = most
            if len(under) >= 2 and len(words) == len(under):
                placed = [(k, Cell(w, k.start, k.end)) for w, k in zip(words, under)]
                if all(_fits(w, k) >= 0 for k, w in placed):  # each word a key under a key column, a value under a value
                    split_words[id(c)] = placed
            elif len(under) == 1 and len(words) >= 2 and under[0].role in AMOUNT_ROLES and _kind(words[0]) == "units" \
                    and _kind(" ".join(words[1:])) == "yen" and (left := _free_left(row, cols, c, under[0])) is not None:
                # units and the amounts after them a narrow gap apart ('100 (1割)¥111/…'), the units column's
                # header further left: the number is the units column's
                split_words[id(c)] = [(left, Cell(words[0], left.start, left.end)),
                                      (under[0], Cell(" ".join(words[1:]), c.start, c.end))]
            elif len(under) == 1 and len(words) >= 2 and under[0].role in ("item", "service") \
                    and _only_key(words[-1]):
                # a name and its band or care level a narrow gap apart, the band's column header centred further right
                want = "time_band" if parse_time_band(words[-1]) else "care_level"
                same = [k for k in cols if k.role == want and k.key is None and not any(
                        k.start < o.end and o.start < k.end for o in row.filled if o is not c)]
                if len(same) == 1:
                    name = " ".join(words[:-1])
                    split_words[id(c)] = [(under[0], Cell(name, c.start, c.start + 1)), (same[0], Cell(words[-1], same[0].start, same[0].end))]
        for (x0, x1), cells in pieces.items():  # cells split from one measured cell: in order, under it
            under = [k for k in cols if k.start < x1 and x0 < k.end]
            if len(under) == len(cells):
                fixed.update({id(c): k for c, k in zip(cells, under)})
        for c in row.filled:
            if id(c) in split_words:
                out.extend(split_words[id(c)])
                continue
            if id(c) in fixed:
                out.append((fixed[id(c)], c))
                continue
            over = [(min(c.end, k.end) - max(c.start, k.start), k) for k in cols if k.start < c.end and c.start < k.end]
            if over:
                out.append((max(over, key=lambda o: o[0])[1], c))
            elif _kind(c.text) == "key":
                # a key left-aligned in a wide column: the column of its kind, else a label of its own
                want = "time_band" if parse_time_band(c.text) else "care_level" if parse_care_levels(c.text) else None
                same = [k for k in cols if want and k.role == want and k.key is None]
                out.append((same[0] if len(same) == 1 else None, c))
            else:  # between two columns: the nearer, unless the other is as near and of the cell's kind
                mid = (c.start + c.end) / 2
                near = sorted(cols, key=lambda k: abs((k.start + k.end) / 2 - mid))[:2]

                def taken(k: Column) -> bool:  # another cell of the row lies under the column
                    return any(o is not c and k.start < o.end and o.start < k.end for o in row.filled)

                if len(near) == 2 and not taken(near[1]) and (
                        taken(near[0]) and _fits(c, near[1]) >= _fits(c, near[0]) >= 0
                        or abs((near[1].start + near[1].end) / 2 - mid) <= 1.25 * abs((near[0].start + near[0].end) / 2 - mid)
                        and _fits(c, near[1]) > _fits(c, near[0])):
                    near.reverse()  # the other column, free in this row and of the cell's kind
                out.append((near[0], c))
        return _in_order(out, cols)
    cells = row.cells if not row.aligned else row.filled
    n = len(cols)
    score = lambda pairs: sum(_fits(c, k) for k, c in pairs)  # noqa: E731
    if cells and _kind(cells[0].text) == "key" and _fits(cells[0], cols[0]) < 0 and len(cells) >= n \
            and not (len(cells) == n and not row.aligned and cols[0].header and cols[0].role is None and cols[0].key is None
                     and not _DIGIT.search(cols[0].header)):
        # (cells as many as the header's, its first named but given no role ('平均工賃月額'): each under its own)
        keyed = [(None, cells[0])] + [(cols[i] if i < n else None, c) for i, c in enumerate(cells[1:])]
        plain = [(cols[i] if i < n else None, c) for i, c in enumerate(cells)]
        return keyed if score(keyed) > score(plain) else plain  # a key column the header does not name
    if len(cells) >= n:
        return [(cols[i] if i < n else None, c) for i, c in enumerate(cells)]
    options = [[(cols[i], c) for i, c in enumerate(cells)]]
    shift = n - len(cells)
    options.append([(cols[i + shift], c) for i, c in enumerate(cells)])
    lead = 0
    while lead < len(cells) and _kind(cells[lead].text) in ("key", None):
        lead += 1
    if 0 < lead < len(cells):
        options.append([(cols[i], c) for i, c in enumerate(cells[:lead])]
                       + [(cols[i + shift], c) for i, c in enumerate(cells[lead:], start=lead)])
        keys = 0
        while keys < n and cols[keys].role in KEY_ROLES and cols[keys].key is None:
            keys += 1
        if lead < keys <= 4:  # fewer keys than key columns: each key in the column of its kind
            for picked in reversed(list(combinations(range(keys), lead))):  # ties: the leftmost
                options.append([(cols[k], c) for k, c in zip(picked, cells[:lead])]
                               + [(cols[i + shift], c) for i, c in enumerate(cells[lead:], start=lead)])
    if not any(c.role in KEY_ROLES and c.key is None for c in cols):
        return max(options, key=score)  # no key columns, so no label to miss: a short row fills from the left
    return max(reversed(options), key=score)  # ties: keys and values apart, then from the right


_RUN = re.compile(r"^([¥\\]?)(\d{4,})(円?)$")


def _apart(row: Row, cols: list[Column]) -> Row:
    """A row that prints one amount too few because two ran together with nothing between
    ('2800円280円3167317円' under 利用料 and 利用者負担額): the run split where, of all the
    places, exactly one makes the second part the first's share (its copay or benefit, by
    the two roles the columns after the row's other amounts hold), recorded as a correction.
    No digit is changed or guessed; any other row is as it was, and so is a row of a sheet,
    web page or Word table (its cells are the source's own: nothing ran together in one)."""
    if row.aligned or row.placed or row.line.cell is not None or len(row.filled) >= len(cols):
        return row  # a row with a cell for every column has no amount missing
    values = [k for k, c in enumerate(row.cells) if _kind(c.text) in ("yen", "units")]
    slots = [c for c in cols if c.role in VALUE_ROLES or c.key is not None]
    if not values or len(values) + 1 != len(slots):
        return row
    last = row.cells[values[-1]]
    m = _RUN.match(last.text.strip())
    a, b = slots[-2].role, slots[-1].role
    if not m or a != "total" or b not in SHARE_OF_TOTAL:
        return row
    digits = m.group(2)
    fits = [k for k in range(3, len(digits) - 1) if digits[k] != "0"
            and any(f(int(digits[:k])) == int(digits[k:]) for f in SHARE_OF_TOTAL[b])]
    if len(fits) != 1:
        return row
    k = fits[0]
    first, second = f"{m.group(1)}{digits[:k]}{m.group(3)}", f"{m.group(1)}{digits[k:]}{m.group(3)}"
    fix = Applied(rule="split:run-together-amounts", printed=last.text, read=f"{first} {second}", line=row.line.number)
    if fix not in row.line.corrections:  # a table may be read more than once
        row.line.corrections.append(fix)
    cells = row.cells[: values[-1]] + [Cell(first, last.start, last.end), Cell(second, last.start, last.end)] + row.cells[values[-1] + 1:]
    return Row(row.line, cells, aligned=row.aligned, more=row.more, placed=row.placed)


def _in_order(pairs: list[tuple[Column | None, Cell]], cols: list[Column]) -> list[tuple[Column | None, Cell]]:
    """Cells placed by position, with two values in one value column while the row prints
    as many values as the header has value columns (a value pushed right, under the edge
    of the next column): the values go to the value columns in order."""
    keyed = {id(k) for k, c in pairs if k is not None and _kind(c.text) == "key"}  # a column holding the row's name
    slots = [k for k in cols if (k.role in VALUE_ROLES or k.key is not None) and id(k) not in keyed]
    values = [i for i, (k, c) in enumerate(pairs) if _kind(c.text) in ("yen", "units", "rate")]
    used = [id(pairs[i][0]) for i in values if pairs[i][0] is not None]
    if len(values) != len(slots) or len(used) == len(set(used)):
        return pairs
    order = sorted(values, key=lambda i: pairs[i][1].start)
    out = list(pairs)
    for i, k in zip(order, sorted(slots, key=lambda k: k.start)):
        out[i] = (k, pairs[i][1])
    return out


@lru_cache(maxsize=65536)
def _band(text: str, hours: bool) -> str | None:
    band = parse_time_band(text)
    if band:
        return band
    m = _HOURS_RANGE.match(text.strip())
    if m and hours:  # '2~3未満' under a (単位:時間) header
        return parse_time_band(f"{m.group(1)}時間以上{m.group(2)}時間未満")
    return None


def _order(fields: dict) -> tuple[int, int] | None:
    """Where a row's key stands in its order (``terms.key_order``)."""
    return key_order(fields.get("time_band"), fields.get("care_levels"))


# a title of fees in general, that names none ('第2条 利用料金', '利用料金表(令和6年6月1日改定)', '料金表')
_ARTICLE = re.compile(r"第\s*\d+\s*[条章節項]\s*(?:ご?利用料金?|料金|利用料及び.{0,10}|費用|利用者負担(?:額|金)?)(?:等|について|表)?"
                      r"|(?:\d{1,2}\s*[.．]\s*|[(（]\d{1,2}[)）]\s*)?(?:ご?利用料金?|料金|費用)(?:等|について|表|のご案内)?"
                      r"(?:\s*[(（][^()（）]*[)）])?")


_DOCUMENT = re.compile(r"(?:重要事項説明書|重要事項説明|運営規程|契約書)(?:\s*[(（][^()（）]*[)）])?$")


_TRAILING_BRACKET = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_DATE_WORDS = re.compile(r"(?:令和|平成|R)?\s*\d{1,4}\s*年(?:度)?\s*(?:\d{1,2}\s*月)?\s*(?:\d{1,2}\s*日)?|改定|現在|適用|施行|から|より|以降|[~〜～]")


# a cell of a heading line that states the price or the area ('地域区分:2級地(1単位=10.72円)'), and a date in a
# heading ('令和6年4月1日適用'): what the line says besides its title
_PRICE_CELL = re.compile(r"級地|地域区分|地域単価|1\s*単位\s*[=＝]|単価")
_DATE_PHRASE = re.compile(r"[(（]?(?:令和|平成|R)\s*\d{1,2}\s*年(?:度)?(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?"
                          r"\s*(?:改定|現在|適用|施行|から|より|以降)?\s*[~〜～]?[)）]?")  # ('令和6年4月~')


def _heading_text(text: str) -> str:
    """A heading line without the cells that state its price and the dates it carries
    ('通所介護(通常規模型) 令和6年4月1日適用 | 地域区分:2級地(1単位=10.72円)' -> '通所介護(通常規模型)')."""
    if "\t" in text:
        cells = [c for c in text.split("\t") if c.strip()]
        kept = [c for c in cells if not _PRICE_CELL.search(c)]
        if kept and len(kept) < len(cells):
            text = "\t".join(kept)
    plain = _DATE_PHRASE.sub(" ", text)
    return plain if plain.strip() else text


# patterns asked of every table's title lines and every row, compiled once (a pattern given as a string to
# ``re.search`` is looked up in regex's cache on every call, a good part of the call's time)
_IN_BRACKETS = re.compile(r"[(（].*[)）]")
_ANY_DIGIT = re.compile(r"\d")
_BRACKET_GROUP = re.compile(r"[(（][^()（）]*[)）]")
_PERCENT_IN = re.compile(r"\d\s*[%％]")
_RATE_CLAUSE = re.compile(r"、|は\s*(?:所定単位数の)?\s*\d")
_NO_TITLE_WORDS = re.compile(r"\d{3,}|\d\s*(?:円|単位)|単価|級地|です|ます")
_ADDS_OR_REDUCES = re.compile(r"加算|減算")
_VALUE_IN_REST = re.compile(r"[%％]|\d\s*(?:単位|円)")
_ADDITION_AFTER = re.compile(r"\S*(?:加算|減算)")
_KUBUN_LEVEL = re.compile(r"区分[1-5]")


def _title_lines(table: Table):
    """The lines above a table that may title it (its service, its fee), nearest first."""
    for ln in reversed(table.above):
        heading = _heading_text(ln.text)
        t = _DECOR.sub("", PRICE.sub("", _PLAIN.sub(" ", heading))).strip()
        if _IN_BRACKETS.fullmatch(_NUMBERING.sub("", t)) or header_run(t) or _ARTICLE.fullmatch(t) or _DOCUMENT.search(t):
            # '(単位:時間)', '介護度 提供時間': a note on the header or its upper line, not a title; '第2条 利用料金':
            # an article of the document, naming no fee; the document's own title ('…重要事項説明書')
            continue
        if "\t" in heading and _ANY_DIGIT.search(heading):
            continue  # a row of a table above, never this one's title ('虐待防止措置未実施減算 | 所定単位数の1%減算')
        if len(_DATE_WORDS.sub("", t).strip(" ・/()（）")) < 2:
            continue  # a date alone ('令和6年6月1日改定', '2024年4月1日現在'): when, not what
        core = _BRACKET_GROUP.sub("", _BRACKET_GROUP.sub("", t))  # (brackets in brackets too)
        # (a long title is its words outside brackets: '2. 共同生活援助(…(Ⅰ)・世話人4:1・1日につき)')
        if 2 <= len(core) <= 40 and len(t) <= 80 and not _NO_TITLE_WORDS.search(t) and "。" not in core \
                and not (_PERCENT_IN.search(t) and _RATE_CLAUSE.search(t)):
            yield ln  # (a sentence is no title: '利用者負担は原則1割です（月額負担上限額があります）。', '1日あたりの料金です';
            # nor a note of rates: '早朝…は所定単位数の25%増、深夜…は50%')


def heading_service(table: Table) -> tuple[Service | None, bool]:
    """The service the nearest heading above a table that names one names ('2 訪問介護(ホームヘルプ)'
    over '(1)身体介護(1回あたり)'), if any, and whether that heading is a section's (not the
    table's own title line)."""
    for k, ln in enumerate(_title_lines(table)):
        if (s := document_service([_CONDITION.sub(" ", _heading_text(ln.text))])) is not None:
            # (a numbered heading is a section's though it titles its first table: '2 通所型サービス(独自)' over the
            # base table, then '加算・減算' over the section's additions)
            return s, k > 0 or _SECTION_NUMBER.match(ln.text) is not None
    return None, False


_SECTION_NUMBER = re.compile(r"^\s*(?:第\s*\d{1,2}\s*[章節]?\s*|\d{1,2}\s*[.．、]?\s+|\d{1,2}\s*[.．、]\s*)(?=\S)")


def raised_title(table: Table):
    """The title line of a grid of a time of day's raised units ('早朝(6時~8時)・夜間(18時~22時) 25%増'), if so."""
    ln = _title_line(table)
    return ln if ln is not None and section_surcharge(_title(table)) is not None else None


def _title_line(table: Table):
    """The line above a table that titles it, if any."""
    return next(_title_lines(table), None)




def _group_of(group: str, name: str) -> bool:
    """``group`` is a group's word that ``name`` belongs to ('加算' of '初回加算')."""
    return len(fold(group)) < len(fold(name)) and fold(group) in fold(name)


_FEE_WORD = re.compile(r"料金|利用料|費用|単位")
_EMPTY_BRACKETS = re.compile(r"[(（]\s*[)）]")
# a condition of a service done or not, which a header names ('訪問看護サービスを行わない場合'); not a
# title's own service ('介護予防訪問看護を利用される場合')
_CONDITION = re.compile(r"\S*[をが](?:行う|行わない|行った|提供する|提供しない|利用する|利用しない)場合")


# a title of a service's base fees that names no service ('【1】基本サービス費（1日あたり）', '基本料金')
_BASE_FEE = re.compile(r"(?:[(（【]\d{1,2}[)）】]|\d{1,2}\s*[.．])?\s*基本(?:サービス)?(?:費|料金?|報酬)(?:\s*[(（][^()（）]*[)）])?"
                       r"(?:\s+\S{1,12}別)?")  # ('基本料金(訪問看護費) 職種・時間区分別': how the table is laid out)
# what a heading adds to its service's name: its type ('(通常規模型)', '大規模型(Ⅰ)', 'Ⅱ')
_TYPE_REST = re.compile(r"[\s・]*(?:[(（][^()（）]{1,20}[)）]|[^\s()（）]{1,8}型(?:\s*[(（][^()（）]{1,6}[)）])?|[ⅠⅡⅢⅣⅤ]+)[\s・]*")


def _of_type(heading: str) -> bool:
    """``heading`` names a service of a type, and nothing else ('通所介護(通常規模型)', not
    '小規模多機能型居宅介護' alone nor 'デイサービスセンター はなみずき ご利用料金表')."""
    service = find_service(heading)
    if service is None:
        return False
    rest = _DECOR.sub("", _PLAIN.sub(" ", heading.replace(service.name, "", 1))).strip()
    return bool(rest) and _TYPE_REST.fullmatch(rest) is not None


def _title(table: Table) -> str:
    lines = _title_lines(table)
    ln = next(lines, None)
    if ln is None:
        return ""
    text = ln.text
    if room_only(ln) and (heading := next((h for h in lines if pivot_key(h.text.strip()) is None), None)) is not None \
            and not room_only(heading):
        text = heading.text.strip() + " " + _ROOM_DECOR.sub("", ln.text)  # '介護福祉施設サービス費' over '【従来型個室】'
    elif _BASE_FEE.fullmatch(_DECOR.sub("", _PLAIN.sub(" ", ln.text)).strip()) \
            and (heading := next(lines, None)) is not None and _of_type(_heading_text(heading.text)):
        text = _heading_text(heading.text).strip() + " " + _NUMBERING.sub("", ln.text.strip())  # '通所介護(通常規模型)' over '基本サービス費'
    parts = [t for t in re.split(r"\s*\|\s*", text.strip()) if t]
    if "\t" not in text and len(parts) == 2:
        # a web page's title, the page and its site ('同行援護（ガイドヘルプ）の料金｜ケアサポートあかり',
        # '○○デイサービス | 料金のご案内'): the part that names a service or a fee
        text = next((t for t in parts if find_service(t)), None) or next((t for t in parts if _FEE_WORD.search(t)), parts[0])
    text = _SPACES.sub(" ", _DECOR.sub("", PRICE.sub("", _PLAIN.sub(" ", _heading_text(text))))).strip()
    return _NUMBERING.sub("", text)


# a section's number before a title ('2 基本報酬(…)', '【1】基本サービス費', '(3) 加算', '① …')
_NUMBERING = re.compile(r"^(?:\d{1,2}\s+|\d{1,2}\s*[.．、)）]\s*|[(（]\d{1,2}[)）]\s*|[【\[［]表?\s*\d{1,2}[】\]］]\s*|[①-⑳]\s*)(?=\S)")


def _service_alone(text: str) -> bool:
    """``text`` is a service's name and no more ('重度訪問介護', '居宅介護')."""
    named = find_service(text)
    return named is not None and fold(text) == fold(named.name)


def _charges_outside(headers: list[str]) -> bool:
    """Every column but the first names a charge outside the tariff ('区分 | 居住費(日額) | 食費(日額)'),
    in a table's header or in the header line it took for its title (no header word in it)."""
    named = [h for h in headers[1:] if h.strip()]
    return bool(named) and all(starts_outside(h.strip()) for h in named)


@lru_cache(maxsize=1 << 14)
def _out_of_scope(name: str) -> bool:
    """``name`` holds a word of a charge outside the tariff (remembered by text: a table's
    names and lines are asked again and again, each against all 29 words)."""
    return any(w in name for w in out_of_scope_words())


_ESTIMATE = re.compile(r"目安|概算|[2-9]\d\s*日\s*(?:あたり|当たり|分)")
_ESTIMATE_WHY = "an estimate beside the fee, set aside"


def _estimates(cols: list[Column]) -> list[Column]:
    """A second column of a role whose header says it is an estimate ('30日あたり(1割)', '1割負担
    30日あたりの目安' beside the day's 1割): an amount outside the tariff, set aside."""
    out = list(cols)
    for n, c in enumerate(cols):
        if c.role in AMOUNT_ROLES and c.key is None and _ESTIMATE.search(fold(c.header)) and any(
                o is not c and o.role == c.role and o.key is None and not _ESTIMATE.search(fold(o.header)) for o in cols):
            out[n] = replace(c, role="outside", why=f"{_ESTIMATE_WHY} ({c.header})")
    return out


def read_table(table: Table, stated: Decimal | None, doc_service: Service | None,
               make_row: Callable, revision_dates: set = frozenset()) -> tuple[list, dict]:
    cols = table.columns = _estimates(table.columns)
    title, titled = _title(table), _title_line(table)
    header_text = " ".join(c.header for c in cols)
    # (a title or header that names a service in a condition, "訪問看護サービスを行う場合", names no service of the table,
    # nor does a heading over a group of columns, which names their rows' condition)
    named_by = " ".join(c.header for c in cols if not (c.key and c.key[0] == "item"))
    service = document_service([_CONDITION.sub(" ", title)]) or find_service(_CONDITION.sub(" ", named_by)) or doc_service
    scheme = service.scheme if service else None
    hours = "時間" in header_text or "時間" in title
    placed = [assign(_apart(r, cols), cols, table.aligned) for r in table.body]

    _check_kinds(cols, placed)
    if outside_title(title) or (cols and STAGE_HEADER.match(fold(cols[0].header))) or _charges_outside(
            [c.header for c in cols]) or titled is not None and "\t" in titled.text and _charges_outside(titled.text.split("\t")):
        # a table of charges outside the tariff ('■居住費・食費（1日あたり・介護保険対象外）', a
        # 負担段階 grid of 居住費 and 食費): no rows; its yen are read and set aside
        aside = [{"page": r.line.page, "line": r.line.number, "amount": y, "role": "outside"}
                 for r, pairs in zip(table.body, placed) for _, cell in pairs for y in V.read(cell.text).yen]
        report = _report(table, cols, placed, [], None)
        if aside:
            report["set_aside"] = aside
        return [], report
    for col in cols:
        if col.key is None and col.header and starts_outside(col.header):
            col.role, col.why = "outside", "header: a charge outside the tariff"  # '食費', '居住費（日額）'

    for col in cols:
        if col.key is None and col.role == "units" and _bases_only(col, placed):
            col.role, col.why = "basis", "cells: a basis each ('1日につき'), no units (header said units)"  # '算定単位'
        elif col.key is None and col.role == "care_level" and _names_only(col, placed):
            col.role, col.why = "item", "cells: fees' names, no care level (header said care_level)"  # '区分' over names

    # --- the role of every value column: header words, then arithmetic -----------------
    def primary(col: Column | None, cell: Cell) -> int | None:
        v = V.read(cell.text)
        if col is not None and col.role == "units" and v.units is not None:
            return v.units
        return v.yen[0] if v.yen else (v.bare if v.bare is not None else v.units)

    slots: dict[tuple, list[Column]] = {}  # (position in its group) -> columns, pivots stacked
    group_pos: dict[int, tuple] = {}
    by_key: dict = {}
    for col in cols:
        if col.role in KEY_ROLES and col.key is None:
            continue
        by_key.setdefault(col.key, []).append(col)
    for key, group in by_key.items():
        for pos, col in enumerate(group):
            slot = (pos if key is not None else col.index,)
            slots.setdefault(slot, []).append(col)
            group_pos[id(col)] = slot
    matrix: dict[tuple, list[int | None]] = {s: [] for s in slots}
    for pairs in placed:
        got = {id(c): primary(c, cell) for c, cell in pairs if c is not None}
        for s, group in slots.items():
            for col in group:
                matrix[s].append(got.get(id(col)))
    header_roles = {s: group[0].role for s, group in slots.items()}
    yen_marked = frozenset(s for s, group in slots.items() if any(
        V.read(cell.text).yen for pairs in placed for c, cell in pairs if c is not None and c in group))
    proved, why, price = settle(matrix, header_roles, stated, scheme, yen_marked)
    role_of: dict[int, str | None] = {}
    for s, group in slots.items():
        for col in group:
            role = proved.get(s, col.role)
            if s in proved and proved[s] != col.role:
                col.why = why[s] + (f" (header said {col.role})" if col.role else "")
            elif s in proved and not col.why:
                col.why = why[s]
            col.role = role
            role_of[id(col)] = role

    # --- rows ---------------------------------------------------------------------------
    built: list[Built] = []
    keys_by_row: list[dict] = []
    for r, pairs in zip(table.body, placed):
        keys: dict[str, str] = {}
        for col, cell in pairs:
            if r.line.confidence < 1 and _GARBLED_BAND.search(cell.text) and not parse_time_band(cell.text):
                continue  # a band OCR garbled ('30分て]時間未満'): no band read, and never a label for the rows below
            if col is not None and cell.text and col.role in KEY_ROLES and col.key is None and value_word(cell.text) is not None \
                    and any(c.key is not None for c in cols):
                continue  # a label naming its line's values in a grid keyed across the top ('単位数', '1割負担')
            if col is not None and cell.text and col.role in KEY_ROLES and col.key is None and _DITTO.fullmatch(cell.text.strip()):
                continue  # '〃': the label of the row above, given by the spreading below
            if col is not None and cell.text and col.role in KEY_ROLES and col.key is None:
                role = col.role
                if role == "room" and "item" not in keys and (split_room := _room_then_fee(cell.text)) is not None:
                    # a room's cell holding its fee's name on its second line ('従来型個室' / '地域密着型介護老人福祉施設
                    # 入所者生活介護費(Ⅰ)', joined as one cell): the room, and the row's item
                    keys["room"], keys["item"], keys["_own"] = split_room[0], split_room[1], "label"
                    continue
                if role in ("item", "service", "care_level", "time_band", "note") and _only_key(cell.text):
                    role = "time_band" if parse_time_band(cell.text) else "care_level"  # a band in the label column
                elif role == "service" and find_service(cell.text) is None:
                    role = "item"  # a fee's name under a 'サービスの種類' header: the row's item, like its neighbours'
                elif role in ("care_level", "time_band", "room") and ("item" not in keys or _group_of(keys["item"], cell.text)) \
                        and not (parse_time_band(cell.text) or parse_care_levels(cell.text)) and (FEE_NAME_END.search(cell.text) or (
                        role != "room" and not _DIGIT.search(cell.text) and not _TIME_OF_DAY.search(cell.text)
                        and r.filled[0] is cell)):
                    # an addition listed under a grid's band column ('栄養改善加算'), also beside its group's
                    # word merged down the names column ('加算' | '初回加算'); a row's own name moved into the
                    # band's column by a label missing before it ('通院等乗降介助', no band)
                    role = "item"
                elif role == "care_level" and "item" not in keys and parse_care_levels(cell.text) \
                        and FEE_NAME_END.search(_TRAILING_BRACKET.sub("", cell.text).strip()):
                    # a fee's name with the levels it is for, under a 区分 column ('訪問リハビリテーション費（要介護1～5）'):
                    # the row's item, and its levels
                    keys["item"], keys["_own"] = _TRAILING_BRACKET.sub("", cell.text).strip(), "label"
                elif role not in ("item", "service") and "item" not in keys and (m := _NAME_FIRST.match(cell.text)):
                    keys["item"], keys["_own"] = m.group("name"), "label"  # '…処遇改善加算(Ⅳ) 1月につき 所定単位数の14.5%' in one cell
                if role in ("item", "service"):
                    keys["_own"] = "label"  # this row prints its own label
                if role == "item" and role in keys and (len(fold(keys[role])) < len(fold(cell.text)) and fold(keys[role]) in fold(
                        cell.text) or _GROUP_WORD.fullmatch(fold(keys[role])) and FEE_NAME_END.search(cell.text)):
                    # a group's label merged over the rows ('加算') left of each row's own name
                    # ('緊急時訪問看護加算(Ⅰ)'): the name is the row's item, the group's word its note
                    keys["_more"] = (keys.get("_more", "") + " " + keys[role]).strip()
                    keys[role] = cell.text
                elif role == "item" and role in keys and "service" not in keys and _service_alone(keys[role]) \
                        and not _service_alone(cell.text):
                    # ('サービス' then '加算名': a service's name in the first, the fee's in the second)
                    keys["service"], keys[role] = keys[role], cell.text
                elif role in keys:  # a second column of the same role ('略称' and '算定項目')
                    keys["_more"] = (keys.get("_more", "") + " " + cell.text).strip()
                    if role == "item":  # ('項目' then '内容': what tells its rows apart, a condition of each)
                        keys["_detail"] = (keys.get("_detail", "") + " " + cell.text).strip()
                        keys["_detail_of"] = keys.get("_item_col")
                else:
                    keys[role] = cell.text
                    if role == "item":
                        keys["_item_col"] = col.start
                    # a band and a care level in one cell ('7時間以上8時間未満 要介護1' under '利用時間・要介護度'):
                    # the row's own of both, never the level spread from the row above
                    other = {"time_band": "care_level", "care_level": "time_band"}.get(role)
                    if other and other not in keys and (parse_care_levels if other == "care_level" else parse_time_band)(cell.text):
                        keys[other] = cell.text
            elif col is not None and col.role is None and col.key is None and cell.text and any(
                    c.role == "item" and c.key is None and c.start < col.start for c in cols) and (
                    _TIER_ONLY.fullmatch(cell.text) or "item" not in keys and _kind(cell.text) == "key"
                    and not parse_time_band(cell.text) and not parse_care_levels(cell.text)):
                # a column under the names' header spread over two ('加算名' over '個別機能訓練加算 | (Ⅰ)', then
                # ' | (Ⅱ)' under it; '看取り介護加算(Ⅰ) | 死亡日以前…' then ' | 死亡日'): each row's tier, or on a
                # row whose name is merged from above, its condition; the name is the one above
                if _TIER_ONLY.fullmatch(cell.text):
                    keys["_tier"] = cell.text.strip(" ()（）")
                else:
                    keys["_detail"] = (keys.get("_detail", "") + " " + cell.text).strip()
            elif col is not None and col.role is None and col.key is None and cell.text and _kind(cell.text) == "key" \
                    and not _BASIS_ONLY.fullmatch(cell.text.strip("()（） ")) and unnamed_share(cell.text) > 0.5 \
                    and not parse_time_band(cell.text) and not parse_care_levels(cell.text) and not _CLAUSE.search(cell.text):
                # words in a column its header gives no role ('介護保険(介護予防も同様)' over '訪問看護費', a label
                # merged down the rows, and each addition's long name): the rows' group, kept in their label,
                # and the row's name where no column for names holds one
                keys.setdefault("_groups", {})[cell.start] = cell.text
            elif col is None and cell.text and _kind(cell.text) == "key" and value_word(cell.text) is None:
                role = "time_band" if parse_time_band(cell.text) else "care_level" if parse_care_levels(cell.text) else (
                    "note" if "item" in keys else "item")
                keys.setdefault(role, cell.text)
                keys["_own"] = "label"
            elif cell.text and "item" not in keys and _NAME_THEN_VALUE.match(_NUMBERED.sub(r"\1(\2)", cell.text)):
                # '…処遇改善加算(Ⅱ) 所定単位×32.8%'; '協力医療機関連携加算 1' is its tier, not a value
                keys["item"] = _NAME_THEN_VALUE.match(_NUMBERED.sub(r"\1(\2)", cell.text)).group("name")
                keys["_own"] = "label"

        if keys.get("_groups") and "item" not in keys:  # the row's own name, where no column for names holds one
            keys["item"] = " ".join(keys["_groups"].values())
            keys["_own"] = "label"
        # a name put under a band's or level's header, in a table that has a column for names
        misplaced = set(keys) <= {"time_band", "care_level"} and any(c.role in ("item", "service") for c in cols)
        if len(r.filled) == 1 and (not keys or misplaced) and _kind(r.filled[0].text) == "key" and not parse_time_band(
                r.filled[0].text) and not parse_care_levels(r.filled[0].text) and unnamed_share(r.filled[0].text) > 0.5 \
                and len(r.filled[0].text) <= 24 and not _CLAUSE.search(r.filled[0].text):
            keys = {"item": r.filled[0].text}  # a label on a line of its own names the rows under it
        keys_by_row.append(keys)
    shapes = [sum(1 for _, c in pairs if _kind(c.text) in ("yen", "units", "rate")) for pairs in placed]
    # text rows a line outside the table parts (a blank line before a title of its own)
    ends = [max(ln.number for ln in (r.line, *r.more)) for r in table.body]
    gaps = {i for i in range(1, len(table.body)) if not table.body[i].placed and table.body[i].line.page is None
            and table.body[i].line.number > ends[i - 1] + 1}
    _details_under_merged_names(keys_by_row)
    label_rows = _spread_labels(keys_by_row, hours, shapes, gaps)
    for above_keys, keys in zip(label_rows, label_rows[1:]):
        # a tier or a condition merged down beside a name merged down ('(ⅱ) | 45件以上60件未満' over the rows of
        # 要介護1・2 and 要介護3・4・5): the rows under it that print neither are of it too
        if "_own" not in keys and "_tier" not in keys and "_detail" not in keys and keys.get("item") \
                and keys.get("item") == above_keys.get("item"):
            for k in ("_tier", "_detail"):
                if above_keys.get(k):
                    keys[k] = above_keys[k]
    groups: dict = {}
    for keys in label_rows:  # each group's words go down to the rows under them, until the next in their column
        for start, text in sorted(keys.pop("_groups", {}).items()):
            groups = {s: t for s, t in groups.items() if s < start}  # (a new group ends the ones right of it)
            groups[start] = text
        if groups:
            keys["_group"] = " ".join(t for _, t in sorted(groups.items()))
    if table.section and not any(k.get("item") or k.get("service") for k in label_rows):
        for k in label_rows:  # a header repeated for more bands: the rows are still the label's above it
            k["item"] = table.section
    first_key = next((c.header for c in cols if c.role in KEY_ROLES and c.key is None and c.header), "")
    for keys in label_rows:
        keys["_header"] = first_key

    title_role = role_in_title(title) or next(
        (role for ln in reversed(table.above) if (role := role_in_title(ln.text))), None)  # '（1割負担）' above
    bare_unit = _unit_named(title) or _unit_named(" ".join(c.header for c in cols if c.role in KEY_ROLES)) or next(
        (unit for ln in reversed(table.above) if (unit := _unit_named(ln.text))), None)  # '基本料金（単位数）' above
    # a share in the title whose digit OCR lost ('(]割負担)'): the amounts are that share's, which is not known,
    # so no amount is taken for the full fee by default (the rows are lost, not misread)
    fee = None if title_role is None and (_UNREAD_SHARE.search(title) or any(
        _UNREAD_SHARE.search(ln.text) for ln in table.above)) else "total"
    prev: list[Built] = []
    pending: list = []  # amounts of a yen line broken over lines, waiting for the rest
    set_aside: list[dict] = []  # amounts read and kept out of the rows, with why
    charges_below = False  # the table's lines are 実費 from here on
    section = service  # a label row inside the table that names a service heads the rows below it
    for i, (r, pairs) in enumerate(zip(table.body, placed)):
        if sum(1 for col, c in pairs if col is None and _kind(c.text) in ("yen", "units")) >= 2:
            prev = []
            continue  # values beyond the header's columns: the row is not understood, and left to the net
        if r.filled and (hr := header_role(r.filled[0].text)) is not None and hr[0] == "limit" and not charges_below:
            # a row of the benefit limits under the fees ('区分支給限度基準額（参考） | 16,765 | 19,705 …'): no fee
            for c in r.filled[1:]:
                set_aside.extend(_aside(r, c.text, "limit"))
            prev = []
            continue
        if r.filled and starts_outside(r.filled[0].text) or charges_below:
            # a 実費 line under the table ('食事代（昼食・おやつ）：1食 600円'): no row, nor the rest of one; after a
            # heading of them alone on its line ('その他の費用'), every line of the table is one
            charges_below = charges_below or len(r.filled) == 1 and not V.read(r.filled[0].text).yen
            for c in r.filled:
                set_aside.extend(_aside(r, c.text, "outside"))
            prev = []
            continue
        keys = label_rows[i]
        keys["_service"] = section
        if len(r.filled) == 1 and not _DIGIT.search(r.filled[0].text):
            section = find_service(r.filled[0].text) or section
        groups: dict = {}
        stepped: dict = {}  # the step rule printed in a value cell, by the group of its column
        unlabelled = False
        loose_role = title_role
        units_line = False  # a word naming this line's values units ('要介護1 | 単位数 | 370 | 388 …')
        for col, cell in pairs:
            if not cell.text:
                continue
            named = value_word(cell.text)
            if named in AMOUNT_ROLES:
                loose_role = named  # a word naming this line's amounts ('利用者負担金', '利用者負担(1割)')
                continue
            if named == "units" and (col is None or col.role in KEY_ROLES or col.role is None and col.key is None):
                units_line = True
                continue
            if col is not None and col.role in ("limit", "outside") and col.key is None:
                # a benefit limit ('限度額 ¥174,431') or a 実費 ('食費 1,445円'): read, and set aside as no fee of the row
                set_aside.extend(_aside(r, cell.text, col.role))
            if col is None or (col.role in KEY_ROLES and col.key is None):
                continue
            v = V.read(cell.text)
            if v.empty and (inc := parse_increment(cell.text)) is not None and not V.read(_INCREMENT_NOTE.sub("", cell.text)).empty:
                # '921(以降30分ごとに+83)': the base's units, and the step read with the row's keys
                v = V.read(_INCREMENT_NOTE.sub("", cell.text))
                stepped[col.key] = _INCREMENT_NOTE.search(cell.text).group(0)
            if v.empty:
                if _kind(cell.text) == "key" and cell.text not in keys.values() and not _BASIS_ONLY.fullmatch(cell.text):
                    keys["note"] = (keys.get("note", "") + " " + cell.text).strip()  # '令和6年5月まで算定'
                continue
            said = V.words(cell.text)
            if keys.get("item") and keys["item"] in said:  # '体制強化加算Ⅱ 7円 利用者負担金': the words besides the name
                said = said.replace(keys["item"], "", 1).strip()
            words = header_role(said)
            if words and words[0] in AMOUNT_ROLES and len(words[1]) * 3 >= len(fold(said)) * 2:
                loose_role = words[0]  # '54円 利用者負担金'
            named = _NAME_THEN_VALUE.match(cell.text)
            # a fee named in the cell of its own value ('入浴費 50単位'), or an addition with one value
            # in a grid of base fees: a row of its own, not of the grid's keys
            values = sum(1 for _, c in pairs if _kind(c.text) in ("yen", "units"))
            alone = named or col.key is not None and len(by_key) >= 3 and (values == 1 or values == 0 and v.rate is not None)
            if alone and col.key is not None:
                keys["_alone"] = "yes"
                unlabelled = not keys_by_row[i].get("_own") and not keys_by_row[i].get("item")
            groups.setdefault(None if alone else col.key, []).append((col, v))
            if parse_step(cell.text) is not None:  # '567単位に30分を増すごとに+82単位' in the units' cell: the row's step
                stepped[None if alone else col.key] = cell.text
        if not groups and len(prev) == 1 and len(r.filled) == 1 and _CLAUSE.search(r.filled[0].text) \
                and _kind(r.filled[0].text) == "key" and not _MARKED.match(r.filled[0].text):
            # a condition printed under its row ('…を行っている場合（令和6年度まで）')
            prev[0].fields["note"] = (prev[0].fields.get("note", "") + " " + r.filled[0].text).strip()
            prev[0].lines.extend([r.line, *r.more])
            continue
        if not groups:
            rate = _rate_row(keys)
            if rate is not None:
                b = Built(lines=[r.line, *r.more], key=None, fields=dict(keys), rate=rate)
                built.append(b)
                prev = [b]
            continue
        own_keys = bool(keys_by_row[i].get("item") or keys_by_row[i].get("time_band") or keys_by_row[i].get("care_level"))
        rest_of_name = _rest_of_name(prev, keys_by_row[i]) if prev and own_keys and _yen_line(groups) else None
        if prev and (not own_keys or rest_of_name) and _yen_line(groups) and all(b.units is not None and (
                not b.amounts or loose_role is not None and loose_role not in b.amounts) for b in prev) \
                and not _out_of_scope(" ".join(c.text for c in r.filled)):  # ('食事代：1食 600円' is no fee's yen line)
            if rest_of_name:  # 'サービス提供 6単位' / '体制強化加算Ⅱ 7円': the name wrapped with the yen line
                prev[0].fields["item"] = rest_of_name
                if prev[0].fields.pop("_held", None):
                    built.append(prev[0])  # held until its name was whole
            pending = _attach_yen(prev, groups, loose_role, r, pending)
            continue
        pending = []
        if unlabelled:
            text = r.filled[0].text if len(r.filled) == 1 else ""
            rate = V.read(text).rate if text else None
            head = _WORDS_THEN.match(text) if rate is not None else None
            if head and prev and prev[0].fields.get("_held") and prev[0].rate == rate and not prev[0].amounts \
                    and prev[0].units is None and (whole := wrapped_fee_name(prev[0].fields["item"], head.group("name"))):
                # '介護職員 利用単位数の4.0%' / '処遇改善加算Ⅰ 利用単位数の4.0%×…': a rate's name wrapped with
                # its rate printed again on the second line; the same rate on both lines, or no row
                b = prev[0]
                b.fields["item"] = whole
                b.fields.pop("_held")
                b.lines.extend([r.line, *r.more])
                built.append(b)
                prev = []
                continue
            prev = []
            m = _WORDS_THEN_UNITS.match(text)
            if m and not FEE_NAME_END.search(m.group("name")):  # 'サービス提供 6単位': a name that may go on under it
                prev = [Built(lines=[r.line, *r.more], key=None, fields={**keys, "item": m.group("name"), "_held": "yes"},
                              units=V.read(text).units)]
            elif head and not FEE_NAME_END.search(head.group("name")):  # '介護職員 利用単位数の4.0%': the same, for a rate
                prev = [Built(lines=[r.line, *r.more], key=None, fields={**keys, "item": head.group("name"), "_held": "yes"},
                              rate=rate)]
            continue  # a value alone with no label of its own: not read here, left to the net
        row_built = []
        for key, items in groups.items():
            b = Built(lines=[r.line, *r.more], key=key, fields=dict(keys))
            if key is not None and key[0] in ("care_level", "time_band") and items:
                b.fields["_head_of_key"] = items[0][0].header  # ('介護予防認知症対応型通所介護 要支援1': its service)
            if key in stepped:
                b.fields["_step"] = stepped[key]  # read with the row's keys ('…(567単位に…+82単位)' in a label)
            unit_cols: list[int] = []  # the units of each units column (介護 and 予防 units side by side)
            unit_heads: list[str] = []
            for col, v in items:
                role = role_of.get(id(col))
                if role == "units" and (v.units if v.units is not None else v.bare) is not None:
                    unit_cols.append(v.units if v.units is not None else v.bare)
                    unit_heads.append(col.header)
                if v.units is not None and (role == "units" or b.units is None and role != "units"):
                    b.units = v.units
                if v.rate is not None and b.rate is None:
                    b.rate = v.rate
                for share, amount in v.shares.items():
                    b.amounts[share] = amount
                if role == "units" and v.units is None and v.bare is not None:
                    b.units = v.bare
                elif role in AMOUNT_ROLES:
                    amount = v.yen[0] if v.yen else v.bare
                    if amount is not None and role in b.amounts and b.amounts[role] != amount and "total" in b.amounts:
                        # a second column of one role under one key (a header word misprinted): its arithmetic says which
                        role = next((r for r, fs in SHARE_OF_TOTAL.items() if r not in b.amounts and any(
                            f(b.amounts["total"]) == amount for f in fs)), role)
                    if amount is not None:
                        b.amounts.setdefault(role, amount)
                elif role is None and v.yen and not b.amounts and (loose_role or fee):
                    b.amounts[loose_role or fee] = v.yen[0]
                elif role is None and v.bare is not None and not b.amounts and b.units is None:
                    # a bare number under a row key: the title or the header says what it is
                    unit = "units" if units_line else bare_unit or _unit_named(col.header)
                    if unit == "units":
                        b.units = v.bare
                    elif (unit == "yen" or loose_role) and (loose_role or fee):
                        b.amounts[loose_role or fee] = v.bare
            if len(set(unit_cols)) > 1:
                b.units = _units_of_amounts(unit_cols, b.amounts, price)
                b.options = tuple(zip(unit_cols, unit_heads))
            if len(b.amounts) == 1 and b.units is not None and price is not None and any(
                    col is not None and col.role in AMOUNT_ROLES and sum(
                        1 for c in cols if c.role in AMOUNT_ROLES and c.start < cell.end and cell.start < c.end) >= 2
                    for col, cell in pairs):
                # one amount in a cell merged across the amount columns ('223円' under 1割, 2割 and 3割): the
                # column its arithmetic fits, when only one does
                (placed_role, amount), = b.amounts.items()
                total = floor_yen(b.units, price)
                fits = {"total"} if amount == total else set()
                fits |= {r for r, fs in SHARE_OF_TOTAL.items() if r != "benefit" and any(f(total) == amount for f in fs)}
                if len(fits) == 1 and placed_role not in fits:
                    b.amounts = {fits.pop(): amount}
            if b.units is None and not b.amounts and b.rate is None:
                # only numbers of no value column (a code list's '11 | 6274' before '所定単位数の224/1000加算'):
                # a rate printed in words is the row's
                b.rate = _rate_row(keys)
                if b.rate is None:
                    continue
            row_built.append(b)
        if len(prev) == 1 and len(row_built) == 1 and prev[0].options and not own_keys and row_built[0].units is None \
                and row_built[0].amounts and set(row_built[0].amounts) <= set(prev[0].amounts):
            # the second line of values in the cells of a row with two units columns ('350円' over '337円'
            # beside 介護 314 and 予防 303 units): the row of the other units column, with the keys above
            b, a = row_built[0], prev[0]
            rest = [u for u, _ in a.options if u != a.units]
            b.units = _units_of_amounts(rest, b.amounts, price) if rest else None
            b.fields = {k: v for k, v in a.fields.items()}
            b.key = a.key
            head = next((h for u, h in a.options if u == b.units), "")
            own = a.fields.get("_service") or service
            if "予防" in head and own is not None and not own.name.startswith("介護予防"):
                # a units column of the 予防 side ('予防訪看単位数'): the row is the 介護予防 service's
                b.fields["_service"] = find_service("介護予防" + own.name) or own
            built.append(b)
            prev = []
            continue
        if (target := _step_row(built, row_built, keys_by_row[i], hours)) is not None:
            target.lines.extend([r.line, *r.more])  # '3時間以上の場合、30分増すごとに 66 +719円': the step of its band's row
            # the step's own yen (+719円) are no amounts of the band's row: set aside, as what the step costs
            set_aside.extend({"page": r.line.page, "line": r.line.number, "amount": abs(y), "role": "step"}
                             for y in row_built[0].amounts.values())
            prev = []
            continue
        if _continues(prev, row_built, keys_by_row[i]):
            prev[0].amounts.update(row_built[0].amounts)  # a cell wrapped onto the next line ('(3割)' / '2002円')
            prev[0].lines.extend([r.line, *r.more])
            continue
        built.extend(row_built)
        prev = row_built

    rows = []
    for b in built:
        if titled is not None:
            b.lines.append(titled)  # the title is part of where the row was read
        row = _finish(b, title, b.fields.pop("_service", service), hours, make_row, revision_dates)
        if row is not None:
            rows.append(row)
    report = _report(table, cols, placed, rows, price)
    if set_aside:
        report["set_aside"] = set_aside
    return rows, report


def _report(table: Table, cols: list[Column], placed: list, rows: list, price: Decimal | None) -> dict:
    """A table's parsing report: where it is, each column's role and why, rows printed and read."""
    first = (table.header or table.body)[0]
    return {
        "lines": [first.line.number, (table.body[-1].line.number if table.body else table.header[-1].line.number)],
        "page": first.line.page,
        "columns": [c.to_report() for c in cols],
        "rows_printed": sum(1 for pairs in placed if any(V.read(c.text).empty is False for _, c in pairs)),
        "rows_read": len(rows),
        "unit_price": str(price) if price is not None else None,
    }


_UNREAD_SHARE = re.compile(r"[(（]\s*[^\d\s(（)）]{1,2}\s*割\s*(?:負担)?\s*[)）]")


_CODE = re.compile(r"[A-Za-z]{1,2}\d{0,4}|\d{4,6}")  # a code's part: 'A2', '1111', 'A6' (not '1' under a level)


def _aside(r: Row, text: str, role: str) -> list[dict]:
    """What a cell of row ``r`` holds that is no fee of the row, set aside with its ``role``: its
    yen; for a benefit limit printed in units ('16,765'), those units."""
    v = V.read(text)
    out = [{"page": r.line.page, "line": r.line.number, "amount": y, "role": role} for y in v.yen]
    if role == "limit" and not v.yen and (n := v.units if v.units is not None else v.bare) is not None:
        out.append({"page": r.line.page, "line": r.line.number, "units": n, "role": role})
    return out


def _check_kinds(cols: list[Column], placed: list) -> None:
    """A header word is checked against what its column holds: a key column whose cells
    are numbers ('処遇改善加算後' over units) holds values, and a column without a role whose
    cells are words is the rows' label when no column names the item."""
    cells: dict[int, list[str]] = {}
    for pairs in placed:
        for col, cell in pairs:
            if col is not None and cell.text:
                cells.setdefault(id(col), []).append(cell.text)
    has_item = any(c.role in ("item", "service") for c in cols)
    for col in cols:
        texts = cells.get(id(col), [])
        if not texts or col.key is not None:
            continue
        numbers = sum(1 for t in texts if is_value_cell(t))
        if col.role in ("item", "service", "note") and len(texts) >= 2 \
                and all(_CODE.fullmatch(t) for t in texts) and any(c.role == "units" for c in cols):
            # codes under a key header ('種類 | 項目' over 'A2 | 1111', a service code in two parts), units elsewhere
            col.why, col.role = f"codes under a {col.role} header ({col.header})", "code"
        elif col.role in KEY_ROLES and col.role != "limit" and not col.why.startswith(_ESTIMATE_WHY) \
                and numbers * 5 >= len(texts) * 4 and not (col.role == "code" and all(_CODE.fullmatch(t) for t in texts)):
            # (service codes under a code header, '152241', are codes, not values)
            col.why, col.role = f"values under a {col.role} header ({col.header})", None
        elif col.role is None and numbers == 0 and len(texts) >= 2 and all(parse_care_levels(t) for t in texts) \
                and not any(c.role == "care_level" for c in cols):
            col.role, col.why = "care_level", "care levels, no header"  # its header garbled by OCR ('1蘭度')
        elif col.role is None and numbers == 0 and not has_item:
            col.role, col.why, has_item = "item", "words, no header", True
        elif col.role in VALUE_ROLES and numbers == 0 and not has_item and all(_kind(t) == "key" for t in texts):
            col.why, col.role, has_item = f"names under a {col.role} header ({col.header})", "item", True
        elif col.role in ("care_level", "time_band", "item") and len(texts) >= 1 and all(
                (k := pivot_key(_TIER_AFTER.sub("", t))) is not None and k[0] == "room" for t in texts) \
                and any(c.role == "care_level" or c.key is not None and c.key[0] == "care_level" or cells.get(id(c)) and all(
                    parse_care_levels(t) for t in cells[id(c)]) for c in cols if c is not col):
            # rooms under a header of two ('居室・要介護度' over '従来型個室(ⅰ) | 要支援1'), the care levels beside them
            col.why, col.role = f"rooms under {col.header}", "room"
        elif col.role in ("care_level", "time_band") and not has_item and sum(
                1 for t in texts if (parse_care_levels(t) if col.role == "care_level" else _band(t, True))) * 2 < len(texts):
            col.why, col.role, has_item = f"names, not {col.role}s, under {col.header}", "item", True


_TIER_AFTER = re.compile(r"\s*[(（][ⅰⅱⅲⅳⅴⅵivx]{1,4}[)）]\s*$")  # a tier mark after a room ('従来型個室(ⅰ)')
_YEN_UNIT = re.compile(r"単位\s*[:：]\s*円|[(（]\s*円\s*[)）]|[(（]\s*\d割\s*[)）]")
_FEE_WORD = re.compile(r"金額|料金")  # yen, unless the words say units ('基本料金 1回あたりの単位数')
_UNITS_UNIT = re.compile(r"単位\s*[:：]\s*単位|[(（]\s*単位\s*[)）]|単位数")


_SAID_UNIT = re.compile(r"[(（]\s*(?:単位\s*[:：]\s*)?(?P<u>円|単位数?)\s*[)）]|単位\s*[:：]\s*(?P<v>円|単位)"
                        r"|[(（][^()（）]*?(?:単位数|[・、の]\s*単位)\s*[)）]")


def _unit_named(text: str) -> str | None:
    """What bare numbers are, as a title or header says: '(単位:円)' yen, '(単位数)' units;
    a unit said in brackets outweighs a word ('基本料金(単位数)', '基本料金（1回あたりの単位数）'
    hold units)."""
    m = _SAID_UNIT.search(text or "")
    if m:
        return "yen" if (m.group("u") or m.group("v")) == "円" else "units"
    if _YEN_UNIT.search(text or ""):
        return "yen"
    if _UNITS_UNIT.search(text or ""):
        return "units"
    if _FEE_WORD.search(text or ""):
        return "yen"
    return None


_SCALED_CELL = re.compile(r"所定単位数の?\s*\d+(?:\.\d+)?\s*/\s*100\s*(?:で|として|に)\s*(?:算定|減算)")
_DITTO = re.compile(r"[〃″]|同上")  # 'the same as above' in a key column


def _rate_row(keys: dict):
    """A percentage addition or reduction printed in words ('所定単位数の105/1000を加算')."""
    text = " ".join(v for k, v in keys.items() if isinstance(v, str) and k != "_header")
    scaled = _SCALED_CELL.search(text)  # '所定単位数の50/100で算定': the fee scaled down, a reduction of the rest
    # (a table of additions, '加算の種類' over '夜間・早朝 | 所定単位数の25%', says it of every row)
    if not _ADDS_OR_REDUCES.search(text) and not scaled and not _ADDS_OR_REDUCES.search(keys.get("_header") or ""):
        return None
    rate = parse_rate(text)
    if rate is None:
        return None
    if rate.op == "add":
        return rate.value
    if scaled and rate.value < 1:
        return rate.value - 1
    # 'N/1000を加算', 'N/1000加算' ('所定単位数の…'): that share of the units is added
    added = re.search(r"を\s*加算", text) or re.search(re.escape(rate.printed) + r"\s*加算", text)
    if added and rate.value < 1:
        return rate.value
    if "減算" in text and "加算" not in text and rate.value < 1:
        # '業務継続計画未策定減算 | 所定単位数の1/100': that share taken away; one half or more is what is left
        return -rate.value if rate.value < Decimal("0.5") else rate.value - 1
    return None


def _built_band(b: Built, hours: bool) -> str | None:
    if b.key and b.key[0] == "time_band":
        return _band(b.key[1], hours)
    return _band(b.fields["time_band"], hours) if b.fields.get("time_band") else None


def _step_row(built: list[Built], row: list[Built], own: dict, hours: bool) -> Built | None:
    """A row that prints a step of its own ('3時間以上の場合、30分増すごとに | 66 | +719円'): its
    label is the time the step starts from and the increment, its units the step's. The step
    goes to the row of the band it continues, of the same item (the band open from there,
    else the band that ends there), which is returned; None when the row is no such step or
    no row above is its band's."""
    if len(row) != 1 or row[0].units is None or row[0].rate is not None:
        return None
    label = own.get("time_band") or own.get("item") or ""
    note = step_note(label, abs(row[0].units)) if label else None
    if note is None or note.item and note.item not in (row[0].fields.get("item") or ""):
        return None
    if note.start is None:  # '以降30分を増すごとに': the step of the row right above, of the same item
        b = built[-1] if built else None
        if b is not None and b.step is None and b.units is not None and b.rate is None and b.key == row[0].key \
                and b.fields.get("item") == row[0].fields.get("item") and _built_band(b, hours):
            b.step = note.step
            return b
        return None
    for fit in (2, 1):
        for b in reversed(built):
            if b.step is None and b.units is not None and b.rate is None and b.key == row[0].key \
                    and b.fields.get("item") == row[0].fields.get("item") \
                    and continues_band(_built_band(b, hours), note.start) == fit:
                b.step = note.step
                return b
    return None


def _continues(prev: list[Built], row: list[Built], own: dict) -> bool:
    """A line with no label of its own whose only numbers are shares the row above lacks:
    the rest of that row's cell, wrapped onto the next line."""
    if len(prev) != 1 or len(row) != 1 or own.get("_own") or own.get("item"):
        return False
    b, a = row[0], prev[0]
    return bool(b.amounts) and b.units is None and b.rate is None and not set(b.amounts) & set(a.amounts) and (
        a.units is not None or bool(a.amounts)) and b.key == a.key


def _rest_of_name(prev: list[Built], own: dict) -> str | None:
    """The whole name, when a units line's label stops short of a fee's name ('サービス提供',
    '生活機能向上') and the yen line under it prints the rest ('体制強化加算Ⅱ'): the two
    together end as a fee's name does, and the yen line's label is nothing else (no band,
    no care level, no name that stands alone in front of its own units)."""
    if len(prev) != 1 or set(k for k in own if not k.startswith("_")) != {"item"}:
        return None
    head, tail = prev[0].fields.get("item") or "", own["item"]
    return None if _CLAUSE.search(head + tail) else wrapped_fee_name(head, tail)


def _yen_line(groups: dict) -> bool:
    return all(v.yen and v.units is None for items in groups.values() for _, v in items)


def _attach_yen(prev: list[Built], groups: dict, loose_role: str | None, r: Row, pending: list) -> list:
    """A line of yen under a line of units: each yen goes to the row of its column, in the
    role the line names ('利用者負担金'), else as the full fee. A yen line broken over several
    lines ('412円' / '588円 948円 1,095円') is gathered until it has as many amounts as the
    units line has rows, never attached by guess when it has fewer; returns what is pending."""
    pending = pending + [(v.yen[0], r) for items in groups.values() for _, v in items]
    if len(pending) < len(prev):
        return pending
    if len(pending) == len(prev):
        for b, (yen, line_row) in zip(prev, pending):
            b.amounts[loose_role or "total"] = yen
            b.lines.extend({id(x): x for x in [line_row.line, *line_row.more, r.line, *r.more]}.values())
    return []


_PLAIN = re.compile(r"[\t|]+|^\s*#+\s*")  # cell separators and a Markdown heading's marks, in a title line
_INCREMENT_NOTE = re.compile(r"[(（][^()（）]*(?:ごと|毎)[^()（）]*[)）]")
_TIME_OF_DAY = re.compile(r"早朝|夜間|深夜|日中|昼間|休日")  # words a time column holds besides bands
_CLAUSE = re.compile(r"場合|こと|ため|により|について|ます|です")  # a condition or a sentence, not a label
_BASIS_ONLY = re.compile(r"\s*(?:1\s*)?[回日月食週](?:\s*(?:に\s*)?(?:つき|当たり|あたり))?\s*")
_NUMBERED = re.compile(r"(加算|減算)\s+(\d)(?=\s|$)")  # '協力医療機関連携加算 2': a tier printed as a bare number
_MEANING = re.compile(r"[\p{Han}\p{Katakana}ー]")
_BASIS_WORDS = re.compile(r"(?:1\s*)?(?:回|日|月|週)(?:\s*\d+\s*回)?\s*(?:に\s*)?(?:つき|当たり|あたり|毎)|月\s*\d+\s*回|予防|除く|適応時")
_WORDS_THEN_UNITS = re.compile(r"^(?P<name>[^\d\t\s]{2,16})\s+\d[\d,]*\s*単位$")
_WORDS_THEN = re.compile(r"^(?P<name>[^\d\t\s]{2,16})\s+\S")  # words, then the cell's value
_NAME_FIRST = re.compile(r"^(?P<name>[^\d\s]{2,}?(?:加算|減算)(?:\s*[(（][ⅠⅡⅢⅣⅤ1-5]{1,3}[)）])?)\s+\S")  # a fee's name, then more
_NAME_THEN_VALUE = re.compile(r"^(?P<name>[^\d\t]*?(?:加算|減算|費)(?:\s*[(（]?[ⅠⅡⅢⅣⅤ][)）]?)?)\s*[-+▲△¥\\]?\s*\d")


_GARBLED_BAND = re.compile(r"^\d[^\t]*(?:時間|分)[^\t]*(?:未満|以上)$")


_OUTER_BRACKETS = re.compile(r"^[【\[［〔<＜(（]+|[】\]］〕>＞)）]+$")


@lru_cache(maxsize=4096)
def _key_title(title: str | None) -> bool:
    """A title that is a key of the rows and no fee's name ('【3時間以上4時間未満】' over a grid of
    care levels): the rows are the service's fee, in that band."""
    bare = _OUTER_BRACKETS.sub("", (title or "").strip()).strip()
    return bool(bare) and (_only_key(bare) or bool(parse_care_levels(bare)) and not strip_care_levels(bare).strip(" ・、"))


@lru_cache(maxsize=65536)
def _only_key(text: str) -> bool:
    """A label cell that holds only a time band or care levels ('1時間以上1時間30分未満')."""
    rule = parse_step(text)
    if rule is not None:  # '4時間以上8時間未満(821単位に30分を増すごとに+85単位) +85'
        text = text[: rule.start].rstrip("(（ ")
    text = _INCREMENT_NOTE.sub("", text).strip()  # '3時間以上(30分を増すごとに+83単位)': the band with its increment
    band = parse_time_band(text)
    if band and re.fullmatch(r"[\d\s.時間分以上未満超~〜～\-－ー]+", text):
        return True  # '30分~1時間未満': a band however its range is printed
    rest = re.sub(r"\s+", "", text)
    if band:
        rest = rest.replace(band, "")
    rest = strip_care_levels(rest) if parse_care_levels(rest) else rest
    rest = _BASIS_IN_BRACKETS.sub("", rest)  # ('要介護1~4(1月につき)': the levels and what their fee is counted by)
    return bool(band or parse_care_levels(text)) and len(re.sub(r"[()（）・、\s]", "", rest)) <= 1


_BASIS_IN_BRACKETS = re.compile(r"[(（]\s*(?:1\s*)?[回日月週食](?:\s*(?:に\s*)?(?:つき|当たり|あたり))?\s*[)）]")


def _details_under_merged_names(keys_by_row: list[dict]) -> None:
    """Two columns of names, a fee's merged down its rows and each row's variant beside it
    ('訪問入浴介護費' over three rows | '全身入浴', '清拭又は部分浴', …): on the rows the merged
    name leaves blank, the variant is the row's detail, not its name, and the name is the
    one above (given by the spreading)."""
    heads = {k["_detail_of"] for k in keys_by_row if k.get("_detail_of") is not None}
    for k in keys_by_row:
        col = k.get("_item_col")
        if col is None or col in heads or not any(h < col for h in heads) or "_detail" in k or "service" in k:
            continue
        k["_detail"] = k.pop("item")
        k.pop("_own", None)
        k.pop("_item_col", None)


def _spread_labels(keys_by_row: list[dict], hours: bool, shapes: list[int] | None = None,
                   gaps: set[int] = frozenset()) -> list[dict]:
    """Every row's keys, with a merged cell's label given to each row it spans: a label on
    a line of its own, or on a row of as many values as the rows it is given to (an
    addition's label is not the label of the grid above it). A label after a gap (``gaps``:
    rows a line outside the table comes before, as a blank line in text) is no label of the
    rows above the gap: it is a title of what follows."""
    out = [dict(k) for k in keys_by_row]
    shapes = shapes or [0] * len(keys_by_row)

    def fits(j: int, i: int) -> bool:
        return shapes[j] == 0 or abs(shapes[j] - shapes[i]) <= 1

    for role in ("item", "service", "room", "care_level", "time_band"):
        labelled = [i for i, k in enumerate(keys_by_row) if k.get(role)]
        if not labelled or len(labelled) == len(keys_by_row):
            continue
        orders = []
        for k in keys_by_row:  # the other key orders the rows: a band spreads over care levels, and back
            f = {}
            if k.get("time_band") and role != "time_band":
                f["time_band"] = _band(k["time_band"], hours)
            if k.get("care_level"):
                f["care_levels"] = parse_care_levels(k["care_level"])
            orders.append(_order(f))
        pairs = [i for i in range(1, len(orders)) if orders[i] is not None and orders[i - 1] is not None]
        # keys printed from the highest down (障害支援区分 '区分6' first): a group restarts where one goes up
        keyed = [o for o in orders if o is not None]
        down = sum(1 for a, b in zip(keyed, keyed[1:]) if b < a) > sum(1 for a, b in zip(keyed, keyed[1:]) if b > a)
        restart = {i for i in pairs if (orders[i] >= orders[i - 1] if down else orders[i] <= orders[i - 1])}
        for i in range(len(out)):
            if out[i].get(role) or out[i].get("_own"):
                continue
            if role == "care_level" and not parse_care_levels(keys_by_row[labelled[0]][role]):
                break  # words under a care-level header are each row's own, not a merged label
            if role == "time_band" and not keys_by_row[i].get("care_level"):
                continue  # a band is shared only by the rows of its care levels
            above = max((j for j in labelled if j < i), default=None)
            below = min((j for j in labelled if j > i), default=None)
            if above is not None and not any(above < b <= i for b in restart) and fits(above, i):
                out[i][role] = keys_by_row[above][role]
            elif below is not None and not any(i < b <= below for b in restart) and fits(below, i) \
                    and (shapes[below] == 0 or orders[below] is not None) and not any(i < g <= below for g in gaps) \
                    and (shapes[below] > 0 or any(shapes[j] > 0 for j in range(below + 1, len(out)))):
                # a label centred on its rows: on a line of its own, or on a row whose band or care level
                # goes on from the rows above; a row of values keyed by nothing else (an addition under a
                # grid) labels only itself
                out[i][role] = keys_by_row[below][role]
            elif above is not None and fits(above, i):
                out[i][role] = keys_by_row[above][role]
    # (a label on a line of its own after the last row labels none above it: it titles what follows,
    # '(3)身体介護に引き続き生活援助を行った場合' under a grid; a centred label has rows on both sides)
    return out


_EVERY = re.compile(r"(?P<minutes>\d{1,3})\s*分\s*(?:を\s*)?増す\s*(?:ごと|毎)")


def _names_values(title: str | None) -> bool:
    """A title that says what a table's amounts are, not what they are for ('1回あたりの自己負担額(1割負担の方)')."""
    bare = _TRAILING_BRACKET.sub("", title or "").strip()
    # (its words, or its last part: '介護サービス費 1日あたりの自己負担額(1割負担の方)')
    roles = [header_role(t) for t in {bare, bare.split()[-1]} if t] if bare else []
    if any(hr is not None and hr[0] in ("copay1", "copay2", "copay3", "benefit") for hr in roles):  # (not '基本料金')
        return True
    # units, when their word is most of it ('【表1】基本単位数（1回あたり・単位）')
    hr = header_role(_NUMBERING.sub("", bare)) if bare else None
    return hr is not None and hr[0] == "units" and len(fold(hr[1])) * 2 >= len(fold(_NUMBERING.sub("", bare)))


_DOC_TITLE = re.compile(r"(?:(?:ご?利用)?料金(?:表|一覧表?|のご案内)|ご?利用料金?)\s*(?:[(（][^()（）]*[)）])?$")
# a line marked as a heading of its own ('【減算】…', '■ …'): never the condition of the row above
_MARKED = re.compile(r"^\s*[【■□●◆◇▼]")
_TITLE_CONDITION = re.compile(r"(?:[①-⑳]\s*|\d{1,2}\s*[.．、]\s*|\s+)*(?:[(（]\d{1,2}[)）]\s*)?(?P<condition>\S+場合)(?:\s*[(（][^()（）]*[)）])?")


_SECOND_BAND = re.compile(r"[+＋]\s*([^\s+＋]{0,6}?\d+\s*(?:時間|分)[^\s+＋]*)")
_TIER_ONLY = re.compile(r"[(（]?\s*[ⅠⅡⅢⅣⅤⅰⅱⅲⅳⅴ]{1,3}\s*[)）]?")


def _finish(b: Built, title: str, service: Service | None, hours: bool, make_row: Callable, revision_dates=frozenset()):
    keys = b.fields
    item_text = keys.get("item") or keys.get("service") or ""
    if keys.get("_tier") and item_text and not item_text.rstrip(" )）").endswith(keys["_tier"]):
        item_text = f"{item_text}({keys['_tier']})"  # '個別機能訓練加算' | '(Ⅱ)'
    if not item_text and keys.get("care_level") and parse_care_levels(keys["care_level"]):
        rest = strip_care_levels(keys["care_level"]).strip()
        if rest and FEE_NAME_END.search(_TRAILING_BRACKET.sub("", rest).strip() or rest):
            item_text = rest  # a fee's name with its levels under a 区分 column ('居宅介護支援費(Ⅰ)(ii) 要介護1・2')
    band = None
    levels: list[str] = []
    if b.key and b.key[0] == "time_band":
        band = _band(b.key[1], hours)
    if b.key and b.key[0] == "care_level":
        levels = parse_care_levels(b.key[1]) or [b.key[1]]  # ('区分2以下': 区分1 and 区分2)
    also = None  # a second band: the row's own under a column headed by another band ('生活援助 20分以上45分未満')
    if keys.get("time_band"):
        row_band = _band(keys["time_band"], hours)
        if band and row_band and band_minutes(row_band) != band_minutes(band):
            also, band = (keys.get("_head_of_key") or band), row_band
        band = band or row_band
    if keys.get("care_level"):
        levels = levels or parse_care_levels(keys["care_level"])
    others = " ".join(v for k, v in keys.items() if isinstance(v, str) and not k.startswith("_h") and v)
    # the header over the keys naming the fee they are of ('基本サービス費(7時間以上8時間未満)' over 要介護1…5)
    header = b.fields.get("_header", "")
    fee_header = bool(header) and bool(FEE_NAME_END.search(TIME_BAND.sub("", header).strip("()（） ")))
    band = band or parse_time_band(item_text) or parse_time_band(others) or (fee_header and parse_time_band(header)) \
        or parse_time_band(title)
    levels = levels or parse_care_levels(item_text) or parse_care_levels(others)
    step, amounts_for, units = None, "base", b.units
    said = " ".join([*(v for k, v in keys.items() if isinstance(v, str)), *(b.key[1:] if b.key else ())])  # a band's step: its header
    rule = parse_step(said)
    if rule is not None:  # '4時間以上8時間未満(821単位に30分を増すごとに+85単位) +85'
        printed = units
        if printed is None or printed == rule.base and rule.step.units != rule.base:
            tail = _after_rule(keys)
            printed = tail[0] if tail else None
            plus = tail[1] if tail else True
        else:
            plus = printed != rule.base
        if printed is not None:
            step, for_base = step_of(rule, printed, plus)
            amounts_for = "base" if for_base else "step"
        else:
            step = rule.step
        units = rule.base
        item_text = item_text[: item_text.find("(" + str(rule.base))] if "(" + str(rule.base) in item_text else item_text
    if rule is None and (inc := parse_increment(said)):
        step = inc  # '3時間以上(30分を増すごとに+83単位)': the base is the units printed beside it
        item_text = _PER_STEP.sub("", item_text)
    if rule is None and step is None and b.step is None and units is not None and (m := _EVERY.search(said)) \
            and re.search(rf"[+＋]\s*{abs(units):,}(?![\d,])|[+＋]\s*{abs(units)}(?!\d)", " ".join(ln.text for ln in b.lines)):
        # a row of its own for the step: its band says how often ('1時間30分以上(30分を増すごとに)'), its units the
        # increment, printed with its plus ('+82'), and its amounts the increment's
        step, amounts_for = Step(units=abs(units), minutes=int(m.group("minutes"))), "step"
    step = step or b.step
    item_text = _NUMBERED.sub(r"\1(\2)", item_text.strip())
    split = split_fee_name(item_text)
    name = split[0] if split else item_text  # '…加算1回につき(月1回を限度)': the fee's name
    if band:
        name = _SPACES.sub("", name).replace(band, "")
        name = _EMPTY_BRACKETS.sub("", _DURATION.sub("", name))  # ('…提供体制加算（3時間以上4時間未満）': no '()' left)
    name = strip_care_levels(name)
    name = canonical_item(_DECOR.sub("", name)) if name.strip() else ""
    room = keys.get("room") or (b.key[1] if b.key and b.key[0] == "room" else None)
    conditions = [room] if room else []
    heading = b.key[1] if b.key and b.key[0] == "item" else None  # a heading over the row's group of columns
    if heading:
        conditions.append(heading)
    if band and (plus := _SECOND_BAND.search(others)) is not None and parse_time_band(plus.group(1)) \
            and band_minutes(parse_time_band(plus.group(1))) != band_minutes(band) and plus.group(1) not in conditions:
        conditions.append(plus.group(1))  # '身体20分以上30分未満+生活45分以上70分未満': the second part's band
    if (raised := section_surcharge(title)) is not None and raised not in conditions:
        conditions.append(raised)  # a grid of a time of day's raised units ('早朝・夜間 25%増' over it)
    if keys.get("_detail") and keys["_detail"] not in conditions:
        conditions.append(keys["_detail"])
    if also and also not in conditions:
        conditions.append(also)
    rest = split[1].strip() if split else ""
    if rest and not (band and rest.replace(" ", "") in band) and not _VALUE_IN_REST.search(rest):
        conditions.append(rest)
    level_rest = _LEVEL_REST_MARKS.sub("", strip_care_levels(keys.get("care_level") or "")).strip() \
        if keys.get("care_level") and parse_care_levels(keys["care_level"]) else ""
    if len(level_rest) >= 2 and not _BASIS_ONLY.fullmatch(level_rest) and level_rest not in conditions:
        conditions.append(level_rest)  # '事業対象者・要支援1（週1回程度）': what tells the level's two fees apart
    for role in ("care_level", "time_band", "note", "basis"):  # words under a key header that are not its key
        value = keys.get(role)
        if value and not (role == "care_level" and parse_care_levels(value)) and not (
                role == "time_band" and _band(value, hours)) and value not in conditions:
            conditions.append(value)
    if not name and not room and not fee_header and service is not None \
            and (cond := _TITLE_CONDITION.fullmatch(title or "")) is not None:
        # a title that is a condition of the service's fee ('①同一建物に居住する者以外の者に対して行う場合（1月につき）'):
        # the rows' condition, and the fee the service's
        name = service.canonical
        conditions.append(cond.group("condition"))
    # a care level's column under a heading naming its service ('介護予防認知症対応型通所介護' over 要支援1・2)
    head = find_service(_CONDITION.sub(" ", keys.get("_head_of_key") or ""))
    if not name and not fee_header and (inner := _fee_in_title(title)) is not None:
        name = inner  # '基本報酬（生活介護サービス費（Ⅰ） 所要時間7時間以上8時間未満の場合 1日につき）': the fee it names
    if not name and not fee_header and (_DOC_TITLE.search(title or "") or _names_values(title)
                                        or _BASE_FEE.fullmatch(title or "") or _key_title(title)) and (head or service) is not None:
        # a document's title ('…デイサービス こもれび 利用料金表'), a title of what the amounts are
        # ('1回あたりの自己負担額(1割負担の方)') or of a service's base fees ('基本料金(1か月あたり)') names
        # no fee: the service's (the title stays in the label)
        name = (head or service).canonical
    if not name and room and title and FEE_NAME_END.search(_TRAILING_BRACKET.sub("", title).strip()) and find_service(title) \
            and len(title) <= 40:
        # rooms under a title naming their fee ('Ⅰ型介護医療院短期入所療養介護費(Ⅰ)' over '従来型個室(ⅰ) | 要支援1'): the
        # fee's, each room a condition, and the room's tier mark the fee's tier ('…費(Ⅰ)(ⅰ)')
        tier = _TIER_AFTER.search(room)
        name = title + (tier.group(0).strip() if tier else "")
        if tier:
            conditions[conditions.index(room)] = _TIER_AFTER.sub("", room)
    if not name:  # a table keyed only by care level or time band: its title names the fee
        name = (room and not title and (head or service) and (head or service).canonical) or room or (fee_header and _EMPTY_BRACKETS.sub("", TIME_BAND.sub("", header)).strip()) or title or (
            (head or service).canonical if head or service else "") or heading or header
    if not name or _out_of_scope(name) or b.units is None and _out_of_scope(" ".join(ln.text for ln in b.lines)):
        return None
    if len(_MEANING.findall(_BASIS_WORDS.sub("", name))) < 2 or header_run(name):
        return None  # '円', '(月1回)', 'つき)': the rest of a wrapped cell, not a fee's name
    group = keys.get("_group") if keys.get("_group") not in (item_text, name) else None
    label = " ".join(x for x in (title if title not in name else "", group, item_text or name, keys.get("_more"),
                                 room or "", heading if heading != name else "") if x)
    # a fee name that begins with its service ('訪問看護費 30分未満'), not one that names a service
    # inside it ('訪問看護指示加算') nor an abbreviation of the table's ('地域通所介護' in 地域密着型通所介護)
    named = find_service(item_text)
    if named is not None and not (item_text.lstrip(" ○〇■●").startswith(named.name) and not _ADDITION_AFTER.match(
            item_text.lstrip(" ○〇■●")[len(named.name):])):
        named = None
    row_service = service if named is None or service and named.name in service.name else named
    if head is not None and (row_service is None or head.scheme == row_service.scheme):
        row_service = head
    if keys.get("service") and keys.get("item") and (own := find_service(keys["service"])) is not None:
        row_service = own  # a column of the services its rows are of ('居宅介護', '重度訪問介護' beside the fees' names)
    if b.key and b.key[0] == "item" and (group := find_service(_CONDITION.sub(" ", b.key[1]))) is not None \
            and (row_service is None or group.scheme == row_service.scheme):
        row_service = group  # a heading over its group of columns naming their service ('要支援1・2の方（介護予防訪問看護）')
    text = " ".join(ln.text for ln in b.lines)
    if row_service is not None and row_service.scheme == "kaigo" and levels \
            and all(_KUBUN_LEVEL.fullmatch(level) for level in levels):
        levels = ["要介護" + level[2:] for level in levels]  # ('区分' over 1…5 in a 介護 grid: 介護区分, not 障害支援区分)
    visit = is_visit_service(row_service.canonical if row_service else None)
    rate_op = "add" if b.rate is not None else None  # a percentage of the units: units × (1 + rate)
    rate = b.rate
    if rate is not None and rate > 0 and kind_of(name) == "reduction":
        # a 減算's share printed without its sign ('身体拘束廃止未実施減算 | 所定単位数×10%'): taken away; a
        # share of one half or more is what is left of the units ('所定単位数の70/100'), the rest taken away
        rate = -rate if rate < Decimal("0.5") else rate - 1
    effective_from, effective_to = revisions.printed_period(name, " ".join(conditions), revision_dates)
    return make_row(
        b.lines, service=row_service, item=name, label=label,
        effective_from=effective_from, effective_to=effective_to,
        # units or a share taken away ('送迎を行わない場合 | 片道につき-47単位', '… | ▲5%') under a name that says
        # no more: a reduction
        kind="reduction" if kind_of(name) == "base" and (units is not None and units < 0 or rate is not None and rate < 0) else (
            "addition" if (keys.get("_alone") or rate is not None and "加算" in (keys.get("_header") or "")) and kind_of(name) == "base"
            else kind_of(name)),
        care_levels=levels,
        time_band=band, conditions=conditions, units=units, step=step,
        amounts_for=amounts_for, rate=rate, rate_op=rate_op, amounts=b.amounts,
        basis=parse_basis(text, visit and kind_of(name) == "base") or (
            "visit" if visit and band and kind_of(name) == "base" else None) or (
            "month" if rate is not None and re.search("処遇改善|ベースアップ", name) else None),  # the 処遇改善 family: on the month
    )


def _bases_only(col: Column, placed: list) -> bool:
    """Every cell of ``col`` that holds anything says what a fee is counted by ('1日につき',
    '1回につき', '入所時1回', '1月につき'), and no cell prints a number of units: a column of
    bases, whatever its header says ('算定単位', a word of units in other tables)."""
    texts = [cell.text.strip() for pairs in placed for c, cell in pairs if c is col and cell.text.strip()]
    return len(texts) >= 2 and all(parse_basis(t) is not None and not re.search(r"\d{2,}|\d\s*単位|[%％]", t)
                                   and len(t) <= 12 for t in texts)


# a group's word merged down a names column beside the rows' own names ('加算・減算', '加算等', 'その他加算')
_GROUP_WORD = re.compile(r"(?:その他の?)?(?:加算|減算)(?:[・/／及び]*(?:加算|減算))?等?")


_LEVEL_REST_MARKS = re.compile(r"[()（）・、,\s]|の方|事業対象者")
_GENERIC_TITLE = re.compile(r"(?:[■□●○◆◇▼▽◎【】\s]|\d{1,2}\s*[.．、]|[(（]\d{1,2}[)）])*\s*(?:基本(?:サービス)?(?:費|料金?|報酬)|ご?(?:サービス)?"
                            r"利用料(?:金)?|料金)\s*[(（](?P<inner>.+)[)）]\s*")


def _fee_in_title(title: str | None) -> str | None:
    """The fee a generic title names in its brackets ('基本報酬（生活介護サービス費（Ⅰ） 所要時間7時間以上
    8時間未満の場合 1日につき）', 'サービス利用料（共同生活援助サービス費（Ⅰ）・1日あたり）'): that
    fee's name, when one part of the brackets is a fee's name; None for any other title."""
    m = _GENERIC_TITLE.fullmatch(title or "")
    if m is None:
        return None
    parts, depth, cur = [], 0, ""
    for ch in m.group("inner"):
        depth += ch in "(（"
        depth -= ch in ")）"
        if depth == 0 and ch in "・、 \u3000":
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    fees = [p.strip() for p in parts if p.strip() and FEE_NAME_END.search(_TRAILING_BRACKET.sub("", p.strip()))
            and not parse_time_band(p) and parse_basis(p) is None]
    return fees[0] if len(fees) == 1 else None


def _names_only(col: Column, placed: list) -> bool:
    """No cell of ``col`` names a care level, and one names a fee ('ユニット型介護福祉施設サービス費',
    '加算・減算' merged down): a column of names under a '区分' that is not the care levels'."""
    texts = [cell.text.strip() for pairs in placed for c, cell in pairs if c is col and cell.text.strip()]
    return bool(texts) and not any(parse_care_levels(t) or _KUBUN_LEVEL.fullmatch(t) or _DIGIT.search(t) for t in texts) \
        and any(FEE_NAME_END.search(_TRAILING_BRACKET.sub("", t).strip()) for t in texts)


def _room_then_fee(text: str) -> tuple[str, str] | None:
    """A room type and a fee's name printed in one cell ('従来型個室地域密着型介護老人福祉施設入所者
    生活介護費(Ⅰ)', 'ユニット型個室 ユニット型…費'): (the room, the fee's name), else None."""
    t = text.strip()
    for n in range(min(len(t) - 2, 14), 1, -1):  # (the longest room word: '…個室的多床室', not '…個室')
        if t[n - 1] != "室":
            continue
        key = pivot_key(t[:n])
        rest = t[n:].strip(" ・/")
        if key is not None and key[0] == "room" and len(rest) >= 3 and FEE_NAME_END.search(
                _TRAILING_BRACKET.sub("", rest).strip()) and pivot_key(rest) is None:
            return t[:n].strip(), rest
    return None


def _after_rule(keys: dict) -> tuple[int, bool] | None:
    """The number printed after a step rule in its own cell ('…+80単位) +81'): (value, plus)."""
    for v in keys.values():
        if not isinstance(v, str):
            continue
        m = _STEP_TAIL.search(v)
        if m and parse_step(v) is not None:
            return int(m.group("n").replace(",", "")), bool(m.group("plus"))
    return None


_STEP_TAIL = re.compile(r"単位\s*[)）]\s*(?P<plus>\+)?\s*(?P<n>\d[\d,]*)\s*$")
