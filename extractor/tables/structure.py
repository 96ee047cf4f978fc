"""Lines -> tables: where a table starts (its header), its columns, and its body rows.

Found without the domain's arithmetic: a header is a row of cells that name columns (words
from ``data/header_words.json``, or row keys such as care levels and time bands written
across the top); a header over two lines is joined column by column; a body row is a row
with a number in it, or a short label line between them (a merged cell's label). Prose
ends a table; a blank line or a repeated header (a table continued on the next page)
does not.
"""

from __future__ import annotations


from dataclasses import dataclass, field, replace
from functools import lru_cache

import regex as re

from ..numbers import parse_rate
from ..prices import stated_price
from ..services import find_service
from ..terms import FEE_NAME_END, TIME_BAND, key_order, parse_basis, parse_care_levels, parse_time_band, strip_care_levels
from ..reading.values import run_apart
from ..reading.columns import _SHARE, SHARE_WORD, AMOUNT_ROLES, KEY_ROLES, VALUE_ROLES, Column, fold, header_role, header_run, pivot_key, starts_header_word, unnamed_share, value_word
from ..sources.base import Document, Line
from .cells import Cell, Row, split, width
from .loose import band_header, loose_cells, loose_row

# a value with the increment of its step after it ('921(以降30分ごとに+83)', '¥9,873 +¥889')
_STEPPED_CELL = re.compile(r"^[-+▲△¥￥\\]?\s*\d[\d,]*\s*(?:円|単位)?\s*(?:[(（][^()（）]*(?:ごと|毎)[^()（）]*[)）]|[+＋]\s*[¥￥\\]?\s*\d[\d,]*\s*(?:円|単位)?)$")
_NUMBER_CELL = re.compile(r"^[-+▲△¥￥\\]?\s*\d[\d,]*(?:\.\d+)?\s*(?:円|単位|%|％)?$")
_PROSE = re.compile(r"[。]|(?:ます|です|ください|こと)[。、]?$")
# patterns of the hot paths, compiled once here rather than looked up in the regex cache per call
_DIGIT = re.compile(r"\d")
_TIER_DIGIT = re.compile(r"[1-9]")
_LEVEL_DIGIT = re.compile(r"[1-5]")
_SENTENCE_KANA = re.compile(r"[、。をはが]")
_ADDS_OR_CUTS = re.compile(r"加算|減算")
_JAPANESE = re.compile(r"[\p{Han}\p{Katakana}\p{Hiragana}]")


@dataclass
class Table:
    header: list[Row]
    columns: list[Column]
    body: list[Row] = field(default_factory=list)
    above: list[Line] = field(default_factory=list)  # the lines just above the header: its title
    section: str | None = None  # the label of the rows of the table this one goes on from (a band header repeated)
    last: int | None = None  # a table with no header (``_headerless``): the line its run of rows ends on

    @property
    def aligned(self) -> bool:
        return self.last is None and all(r.aligned for r in self.header)


@lru_cache(maxsize=65536)
def has_number(cell: str) -> bool:
    return bool(re.search(r"\d", re.sub(rf"(?<!\d){SHARE_WORD}|要(?:介護|支援)\s*\d|\d+\s*級地", "", cell)))


@lru_cache(maxsize=65536)
def is_value_cell(text: str) -> bool:
    """A cell that holds a value ('256', '2,606円', '¥717'), not one that names a column
    ('10割', '単位数(1回)') or a row key ('要介護3', '30分未満')."""
    if header_role(text) or pivot_key(text) or parse_time_band(text) and not _NUMBER_CELL.match(text):
        return False  # a time band, even with its step rule ('3時間以上(30分を増すごとに+83単位)')
    return bool(_NUMBER_CELL.match(text) or _STEPPED_CELL.match(text)) or bool(re.search(r"\d\s*(?:円|単位)(?!数)|[(（]\s*\d\s*割\s*[)）]\s*[¥\\]?\s*\d(?![\d,]*\s*割)", text))
    # ('(3割) 10割(全額)', '10割 介護報酬単位数': names of columns, not '(1割)668円')


@lru_cache(maxsize=65536)
def _names_a_column(text: str) -> bool:
    """A cell that can stand in a header: it names a column or a row key, and any digit in
    it is part of that name ('1割', '要介護1', '単位数(1回)'), not a code or a value."""
    if pivot_key(text) or _BASIS_HEADER.match(text):
        return True  # ('1回あたり' over yen: the fee of a visit, its share said by the title)
    parts = text.split()
    if len(parts) >= 2 and all(header_role(p) for p in parts):
        return True  # names of columns a narrow gap apart ('負担額(1割) 負担額(2割) 10割(全額)')
    role = header_role(text)
    if not has_number(text):  # no digit but a share's, a care level's or a 級地's ('(介護1割)(予防1割)')
        return True
    if not has_number(TIME_BAND.sub("", text)) and FEE_NAME_END.search(TIME_BAND.sub("", text).strip("()（） ")):
        return True  # the fee the rows below are of, over their care levels: '基本サービス費(7時間以上8時間未満)'
    return bool(role) and len(text) <= 14


def is_header(row: Row) -> bool:
    cells = row.filled
    if len(cells) < 2:
        return False
    if any(is_value_cell(c.text) or not _names_a_column(c.text) for c in cells):
        return False
    names = [c for c in cells if _names(c.text)]  # column names, not a title's words ('入所利用料金表')
    roles = [header_role(c.text) for c in names]
    values = sum(1 for r in roles if r and r[0] in VALUE_ROLES) + sum(1 for c in names if pivot_key(c.text)) + sum(
        1 for c in cells if _BASIS_HEADER.match(c.text))
    plain = [c for c in cells if not _DECORATED.match(c.text)]  # a title beside the header ('■ 加算')
    # a service's fee and a band ('通所介護費(通常規模型) | 3時間以上4時間未満'): a group's heading among the rows, no
    # header (a header names a key or a value column besides: '要介護度 | 3時間以上4時間未満')
    named = [r for c, r in zip(names, roles) if r and not pivot_key(c.text) and not _fee_of_service(c.text)]
    return len(names) >= 2 and values >= 1 and len(names) * 2 >= len(plain) and (
        bool(named) or sum(1 for c in names if pivot_key(c.text)) >= 2)


def _group_heading(row: Row) -> bool:
    """A line of a service's fee and a band or care level among a table's rows ('通所介護費(通常
    規模型)  3時間以上4時間未満', heading the rows of that band): a group's heading, not a header."""
    cells = row.filled
    return 2 <= len(cells) <= 3 and any(_fee_of_service(c.text) for c in cells) and sum(
        1 for c in cells if pivot_key(c.text)) <= 1 and all(pivot_key(c.text) or _fee_of_service(c.text) for c in cells)


def _fee_of_service(text: str) -> bool:
    """A service's fee by name ('通所介護費(通常規模型)'), which a header word ('介護費') may name too."""
    named = find_service(text)
    return named is not None and fold(text).startswith(fold(named.name)) and bool(FEE_NAME_END.search(
        re.sub(r"[(（][^()（）]*[)）]$", "", text)))


def is_sub_header(row: Row) -> bool:
    """The second line of a header: cells with no numbers, most of them naming a column."""
    cells = row.filled
    if len(cells) == 1 and len(row.cells) >= 2 and not row.aligned:  # '\t\t(1割)': one column's second line
        t = cells[0].text
        return bool(_UNIT_NOTE.match(t) or header_role(t) and unnamed_share(t) <= 0.2)
    if len(cells) < 2 or any(is_value_cell(c.text) or not (_names_a_column(c.text) or _UNIT_NOTE.match(c.text)) for c in cells):
        return False  # ('(1日)' over 単位数: a note on the name above)
    named = sum(1 for c in cells if header_role(c.text) or pivot_key(c.text) or _UNIT_NOTE.match(c.text))
    return named >= 1 and named * 2 >= len(cells)


_SHARE = re.compile(rf"[(（]?\s*{SHARE_WORD}\s*(?:負担)?\s*[)）]?")


def _columns(header: list[Row]) -> list[Column]:
    """Columns from one or two header rows. Two rows whose lower one has more cells are a
    two-level header: each upper cell spans the lower cells under it (by position when
    the text is aligned, else in equal groups after the key columns)."""
    top = header[0]
    if len(header) == 1:
        return [_column(i, c, [c.text]) for i, c in enumerate(top.cells)]
    low = header[1]
    grouped = _column_groups(top, low)
    if grouped is not None:
        return grouped
    if top.aligned or low.aligned:
        out = []
        group = [t for t in top.filled if (header_role(t.text) or ("",))[0] == "care_level"][-1:] \
            if _level_digits(top, low) else []
        for i, c in enumerate(low.cells):
            over = [t for t in top.cells if t.start < c.end and c.start < t.end]
            if group and re.fullmatch(r"[1-5]", c.text):
                over = group  # '介護区分' over '1 2 3 4 5', however far its heading is centred
            out.append(_column(i, c, [t.text for t in over] + [c.text]))
        for t in top.cells:  # key columns of the upper line that no lower cell lies under
            if t not in group and not any(t.start < c.end and c.start < t.end for c in low.cells):
                out.append(_column(len(out), t, [t.text]))
        return sorted(out, key=lambda col: col.start)
    n_top, n_low = len(top.cells), len(low.cells)
    grouped = _shares_then_notes(top, low)
    if grouped is not None:
        return grouped
    if _level_digits(top, low) and all(c.text for c in low.cells):
        # '居室区分 区分' over '1 2 3 4 5', copied without the empty cells: the digits are
        # the columns of the group heading, the other headings columns of their own
        names = top.filled
        g = max(k for k, c in enumerate(names) if (header_role(c.text) or ("",))[0] == "care_level")
        texts = [[c.text] for c in names[:g]] + [[names[g].text, d.text] for d in low.cells] + [[c.text] for c in names[g + 1:]]
        return [_column(i, Cell("", i, i + 1), t) for i, t in enumerate(texts)]
    tops, lows = [c.text for c in top.cells], [c.text for c in low.cells]
    if all(tops) and all(lows) and (names := _notes_and_shares(
            tops, lows, n_top - 1 + sum(1 for t in lows if _BARE_SHARE.fullmatch(t)))) is not None:
        # '(単位) 1割 2割 3割' under '… 基本単位数 費用額 利用者負担額', copied without the empty cells
        return [_column(i, Cell("", i, i + 1), name.split(" ", 1)) for i, name in enumerate(names)]
    if n_low > n_top:
        lead = 0  # the key columns at the left, over nothing of the lower line
        while lead < n_top - 1 and not pivot_key(top.cells[lead].text) and not (
                header_role(top.cells[lead].text) or ("",))[0] in VALUE_ROLES:
            lead += 1
        groups = n_top - lead
        span = (n_low - lead) // groups if groups else 0
        if span >= 1 and lead + groups * span == n_low:
            out = []
            for i in range(n_low):
                parent = top.cells[i] if i < lead else top.cells[lead + (i - lead) // span]
                texts = [parent.text] if i < lead else [parent.text, low.cells[i].text]
                out.append(_column(i, low.cells[i], texts))
            return out
        if lead and n_low % groups == 0 and n_low // groups >= 2:
            # the lower line names only the grouped columns ('利用料 利用者負担額' under each band)
            span = n_low // groups
            out = [_column(i, top.cells[i], [top.cells[i].text]) for i in range(lead)]
            for k, c in enumerate(low.cells):
                out.append(_column(lead + k, Cell(c.text, lead + k, lead + k + 1), [top.cells[lead + k // span].text, c.text]))
            return out
    if n_low > n_top:
        # a heading over the shares under it ('ご利用者負担(円)' over '1割 2割 3割') beside headings over
        # one cell each ('単位' over '(単位)'): the heading above a share takes the shares after it, as
        # many as the lower line has cells more than the upper
        extra, out, k = n_low - n_top, [], 0
        for i, t in enumerate(top.cells):
            run = [low.cells[k]]
            k += 1
            if _SHARE.fullmatch(run[0].text):
                while extra and k < n_low and _SHARE.fullmatch(low.cells[k].text):
                    run.append(low.cells[k])
                    k, extra = k + 1, extra - 1
            for c in run:
                out.append(_column(len(out), c, [t.text, c.text] if c.text else [t.text]))
        if k == n_low and not extra and len(out) == n_low:
            return out
    if n_low < n_top and low.filled and not any(not c.text for c in low.cells):
        # the lower line's cells copied without the empty ones ('(1割)', '(単位)'): each completes
        # the upper word it belongs to, in order
        names = _two_line_names([c.text for c in top.cells] + [c.text for c in low.cells], n_top)
        if names is not None:
            return [_column(i, c, names[i].split(" ", 1) if names[i] != c.text else [c.text]) for i, c in enumerate(top.cells)]
    out, group = [], ""
    for i, c in enumerate(top.cells):
        below = low.cells[i].text if i < n_low else ""
        group = c.text or group  # a merged group heading ('介護区分') leaves the cells to its right empty
        over = c.text or (group if re.fullmatch(r"[1-5]", below) else "")
        out.append(_column(i, c, [over] + ([below] if below else [])))
    return out


def _column_groups(top: Row, low: Row) -> list[Column] | None:
    """A heading merged over a group of columns, the same column names under each of two
    groups or more (a room type or a condition over '単位数 自己負担額(1割)', twice): each
    column under a group is named by the lower line and keyed by its heading (a room, a care
    level or a band as a row key; other words, '訪問看護サービスを行う場合', as the rows' item).
    The lines are copied cell by cell, the merged cells' empty ones kept (a web page's colspan,
    a sheet's or Word table's merged cells, tabs in text), or without them (cells a space
    apart: the headings are the upper line's last cells, one for each repeat of the lower
    line's names). The columns left of the groups are key columns, named by either line.
    None unless the header is that."""
    if top.placed or low.aligned or any(is_value_cell(c.text) for c in top.filled + low.filled):
        return None  # (an upper line set out by spaces over a lower line by cells: its cells in order)
    n = len(low.cells)
    lows = [c.text for c in low.cells]

    def value(t: str) -> str | None:
        role = header_role(t) if t else None
        return role[0] if role and role[0] in VALUE_ROLES else None

    lead = next((k for k, t in enumerate(lows) if value(t)), None)
    if lead is None or any(value(c.text) for c in top.filled) or any(value(t) for t in lows[:lead]):
        return None  # no value column under a heading, or a heading that is itself a value's name
    if not top.aligned and any(not c.text for c in top.cells):  # the merged cells' empty ones kept
        if len(top.cells) > n and any(c.text for c in top.cells[n:]):
            return None
        tops = [c.text for c in top.cells][:n] + [""] * (n - len(top.cells))
        heads = [k for k in range(lead, n) if tops[k]]
        span = heads[1] - heads[0] if len(heads) >= 2 and heads[0] == lead else 0
        keys = [[tops[k], lows[k]] for k in range(lead)]
    else:  # copied without them: as many headings as the lower line repeats its names
        span = next((s for s in range(2, (n - lead) // 2 + 1) if (n - lead) % s == 0 and all(
            value(lows[k]) == value(lows[k - s]) for k in range(lead + s, n))), 0)
        groups = (n - lead) // span if span else 0
        heads_row = top.filled
        if not span or groups > len(heads_row) or any(_DECORATED.match(c.text) or _PROSE.search(c.text) for c in heads_row):
            return None
        before = [c.text for c in heads_row[:len(heads_row) - groups]]  # the headings of the key columns
        if len(before) == lead or not before:
            keys = [[before[k], lows[k]] if before else [lows[k]] for k in range(lead)]
        elif lead == 0:  # key columns named only on the upper line (merged down, its lower cell dropped)
            keys = [[t] for t in before]
        else:
            return None
        heads = [lead + k * span for k in range(groups)]
        tops = [""] * n
        for h, c in zip(heads, heads_row[len(before):]):
            tops[h] = c.text
    if span < 2 or heads != list(range(lead, lead + span * len(heads), span)):
        return None
    # the last group may end the line short of a name the others have (要支援2 with no 3割 column)
    last = min(span, n - heads[-1])
    if last < 2 or last < span and any(t for t in tops[heads[-1]:] if t is not tops[heads[-1]]) or any(
            lows[k] for k in range(heads[-1] + last, n)):
        return None
    widths = [span] * (len(heads) - 1) + [last]
    names = [[value(lows[k]) for k in range(h, h + w)] for h, w in zip(heads, widths)]
    if None in names[0] or any(ns != names[0][:len(ns)] for ns in names):
        return None  # the same names under every heading, each a value's
    out = [_column(k, Cell("", k, k + 1), texts) for k, texts in enumerate(keys)]
    shift = len(keys) - lead
    for h, w in zip(heads, widths):
        key = pivot_key(tops[h]) or ("item", tops[h])
        for k in range(h, h + w):
            col = _column(k + shift, Cell("", k + shift, k + shift + 1), [lows[k]])
            col.key, col.header = key, f"{tops[h]} {lows[k]}"
            out.append(col)
    out += [_column(k + shift, Cell("", k + shift, k + shift + 1), [lows[k]]) for k in range(heads[-1] + last, n)]
    return out


def _placed_groups(top: Row, cols: list[Column]) -> list[Column] | None:
    """The columns of a placed header (a PDF's) under a line of headings, each over a group
    of its value columns with the same names under every heading ('訪問看護サービスを行わない
    場合' and '…行う場合' over '単位数 費用額 自己負担額' each, words no header list holds): each
    value column keyed by the heading over it (by where the heading lies), as ``_column_groups``
    keys them; a heading over no column is a key column of its own ('要介護度' merged down).
    None unless the line is that."""
    if not top.placed or len(top.filled) < 2 or any(is_value_cell(c.text) or _PROSE.search(c.text) for c in top.filled):
        return None
    values = sorted((k for k in cols if k.role in VALUE_ROLES and k.key is None), key=lambda k: k.start)
    heads = [c for c in top.filled if any(k.start < c.end and c.start < k.end for k in values)]
    if len(heads) < 2 or any((header_role(c.text) or ("",))[0] in VALUE_ROLES for c in heads):
        return None

    def near(h: Cell, k: Column) -> float:  # 0 under the heading, else how far its centre is
        mid = (k.start + k.end) / 2
        return 0 if h.start <= mid <= h.end else min(abs(mid - h.start), abs(mid - h.end))

    groups: dict[int, list[Column]] = {id(h): [] for h in heads}
    for k in values:
        groups[id(min(heads, key=lambda h: near(h, k)))].append(k)
    names = [[k.role for k in groups[id(h)]] for h in heads]
    if len(names[0]) < 2 or any(ns != names[0] for ns in names) or [k for h in heads for k in groups[id(h)]] != values:
        return None
    out = list(cols)
    for c in top.filled:
        if c in heads:
            continue
        if any(k.start < c.end and c.start < k.end for k in cols) or (header_role(c.text) or ("",))[0] not in KEY_ROLES:
            return None  # a word over a key column, or over nothing that names no key
        out.append(_column(0, Cell("", c.start, c.end), [c.text]))
    for h in heads:
        for k in groups[id(h)]:
            k.key, k.header = pivot_key(h.text) or ("item", h.text), f"{h.text} {k.header}"
    out.sort(key=lambda k: k.start)
    for n, k in enumerate(out):
        k.index = n
    return out


def _shares_then_notes(top: Row, low: Row) -> list[Column] | None:
    """A copay heading over its shares, with the notes of the columns after it on the same
    line ('利用者負担額' over '1割 2割 3割', then '(円)' '(単位)' under '費用額' '所定単位数'),
    the line copied without its empty cells. None unless the lower line is that."""
    if not low.aligned and len(low.cells) == len(top.cells) and any(not c.text for c in low.cells):
        return None  # both lines cell by cell, the empty ones kept (a web page's colspan): each under its own
    texts = [c.text for c in low.cells if c.text]
    lead = []  # notes of the columns before the copay heading, printed before its shares ('(単位)(円) 1割 2割 3割')
    while texts and _NOTES.fullmatch(texts[0]) and not re.fullmatch(SHARE_WORD, texts[0]):
        lead += re.findall(r"[(（][^()（）]{1,8}[)）]", texts.pop(0))
    k = 0
    while k < len(texts) and re.fullmatch(SHARE_WORD, texts[k]):
        k += 1
    shares, notes = texts[:k], texts[k:]
    if lead and not notes and len(shares) >= 2:
        names = [c.text for c in top.filled]
        g = next((j for j, t in enumerate(names) if (header_role(t) or ("",))[0].startswith("copay")), None)
        if g is None or g != len(names) - 1 or len(lead) > g:
            return None
        before = [[t] for t in names[:g - len(lead)]] + [[t, n] for t, n in zip(names[g - len(lead):g], lead)]
        return [_column(i, Cell("", i, i + 1), t) for i, t in enumerate(before + [[names[g], x] for x in shares])]
    if lead:
        return None
    if len(shares) < 2 or not all(_NOTES.fullmatch(t) for t in notes):  # '(円)', '(全額)(円)'
        return None
    names = [c.text for c in top.filled]
    g = next((j for j, t in enumerate(names) if (header_role(t) or ("",))[0].startswith("copay")), None)
    if g is None:
        return None
    rest = _complete_in_order(names[g + 1:], notes) if notes else names[g + 1:]
    if rest is None:
        return None
    texts_by_col = [[t] for t in names[:g]] + [[names[g], s] for s in shares] + [t.split(" ", 1) for t in rest]
    return [_column(i, Cell("", i, i + 1), t) for i, t in enumerate(texts_by_col)]


def _column(i: int, cell: Cell, texts: list[str]) -> Column:
    texts = [t for t in texts if t]
    col = Column(index=i, start=cell.start, end=cell.end, header=" ".join(texts))
    for t in texts + ["".join(texts)]:  # '介護度' over '1': the column of 要介護1
        key = pivot_key(t)
        if key:
            col.key = key
    best = None
    for t in [*reversed(texts), "".join(texts)]:  # the lower line names the value ('利用料' under '30分未満'),
        role = header_role(t)                     # unless the word it completes names it longer ('公費' / '負担額')
        if role and (best is None or len(role[1]) > len(best[1])):
            best = role
    share = next((r for t in texts if (r := header_role(t)) and _SHARE.search(r[1])), None)
    if best and best[0].startswith("copay") and not _SHARE.search(best[1]) and share and share[0].startswith("copay"):
        best = share  # '利用者負担' over '2割': the heading says a copay, the share which one
    if best:
        col.role, col.why = best[0], f"header:{best[1]}"
    if col.key and col.role in KEY_ROLES:
        col.role = None  # '30分以上1時間未満' over values: the header is the rows' key, not the values' role
    if col.key and col.role is None:
        col.why = f"header:{col.key[1]}"
    return col


def _explode(row: Row | None) -> Row | None:
    """Cells that hold several values run together become one cell each; a tier printed
    as a lone number after its fee ('協力医療機関連携加算', '1') joins the fee."""
    if row is not None and any(_TIER_DIGIT.fullmatch(c.text) for c in row.cells[1:]):
        cells = list(row.cells)
        for k in range(len(cells) - 1, 0, -1):
            if _TIER_DIGIT.fullmatch(cells[k].text) and re.search(r"(?:加算|減算)$", cells[k - 1].text) and (
                    cells[k].text in "123" or any(re.fullmatch(r"[-+▲△]?\s*\d[\d,]*\s*(?:単位)?", c.text) for c in cells[k + 1:])):
                # (a tier is 1 to 3, or has the fee's units after it: '療養食加算 | 6 | 7円' prints its units)
                a, b = cells[k - 1], cells[k]
                cells[k - 1:k + 1] = [Cell(f"{a.text} {b.text}", a.start, b.end)]
        if len(cells) != len(row.cells):
            if not row.aligned:
                cells = [Cell(c.text, i, i + 1) for i, c in enumerate(cells)]
            row = Row(row.line, cells, aligned=row.aligned, more=row.more, placed=row.placed)
    if row is None or not any(run_apart(c.text) for c in row.cells):
        return row
    cells: list[Cell] = []
    for c in row.cells:
        parts = run_apart(c.text) or [c.text]
        step = (c.end - c.start) / len(parts)
        for k, p in enumerate(parts):
            cells.append(Cell(p, round(c.start + k * step), round(c.start + (k + 1) * step)) if row.aligned
                         else Cell(p, len(cells), len(cells) + 1))
    if not row.aligned:
        cells = [Cell(c.text, i, i + 1) for i, c in enumerate(cells)]
    return Row(row.line, cells, aligned=row.aligned, more=row.more, placed=row.placed)


_DECORATED = re.compile(r"^\s*(?:#{1,6}\s|[■□●○◆◇▼▽◎※*＊・]|【|\d{1,2}\s*[.．、]|[(（]\d{1,2}[)）])")
# a column named by what its amount is for ('1回あたり', '1か月につき', '月額'): yen of the fee, whose share the
# title or the arithmetic says
_BASIS_HEADER = re.compile(r"^[(（]?\s*(?:1\s*(?:回|日|月|か月|ヵ月|ヶ月|カ月|週|食|泊)\s*(?:あたり|当たり|につき|毎)|月額|日額)\s*"
                           r"(?:[(（][^()（）]{0,8}[)）])?\s*[)）]?$")
_UNIT_NOTE = re.compile(r"^[(（][^()（）]{1,8}[)）]$")  # '(単位)', '(円)', '(1回につき)'
_NOTES = re.compile(r"(?:[(（][^()（）]{1,8}[)）]\s*)+")  # notes run together: '(1割)(円)'


@lru_cache(maxsize=65536)
def _names(text: str) -> bool:
    """A cell that is a column's name ('自己負担額', '(円)', '30分未満'), not a title that
    happens to hold a header word ('■ 居宅介護 基本料金', '(地域区分 4級地)')."""
    if _DECORATED.match(text) or "級地" in text:
        return False
    return bool(pivot_key(text) or _UNIT_NOTE.match(text) or header_role(text) and unnamed_share(text) <= 0.4)


def _headerish(row: Row, context: str) -> bool:
    """A line of a header printed over several lines (a PDF's header cells are centred in
    their boxes, so one header row comes out as several lines): words that name columns,
    a unit note '(円)', or the care levels' digits under a 要介護度 heading."""
    cells = row.filled
    if not cells or any(_DECORATED.match(c.text) for c in cells):
        return False
    if any(is_value_cell(c.text) for c in cells):
        return len(cells) >= 2 and all(_LEVEL_DIGIT.fullmatch(c.text) for c in cells) and bool(
            re.search(r"介護度|要介護|要支援|区分", context) or _all_levels(row))
    return all(len(c.text) <= 20 and not _SENTENCE_KANA.search(c.text) and _names_a_column(c.text) for c in cells) and any(
        _names(c.text) for c in cells)


def _all_levels(row: Row) -> bool:
    """A header line OCR read that is the five care levels' digits, '1 2 3 4 5', whatever
    became of the heading over them ('区分' read '六征分'): the digits of 要介護1 to 5, the
    one scale of five numbered from 1 that fee tables print across the top."""
    return row.line.confidence < 1 and [c.text for c in row.filled] == ["1", "2", "3", "4", "5"]


def _word_parts(row: Row) -> bool:
    """A line of a header that holds only parts of words, printed above and below the line
    of the other names ('総費用' / … / '額' in a box two lines tall)."""
    cells = row.filled
    return bool(cells) and all(len(c.text) <= 4 and _fragment(c.text) and not _DECORATED.match(c.text) for c in cells)


# patterns asked of many cells, compiled once (a pattern given as a string to ``re.search`` is looked up in
# regex's cache on every call, a good part of the call's time)
_ANY_DIGIT = re.compile(r"\d")
_SHARE_FRAGMENT = re.compile(rf"[(（]?\s*{SHARE_WORD}\s*(?:負担)?[)）]?")
_SUB_NAME = re.compile(rf"[(（]?\s*{SHARE_WORD}\s*(?:負担)?[)）]?|[1-9]|[(（][^()（）]{{1,8}}[)）]")
_ONE_OR_TWO_DIGITS = re.compile(r"\d{1,2}")


def _sub_name(text: str) -> bool:
    """A column name that needs a group heading above it: a share, a digit, a row key."""
    t = text.strip()
    return bool(_SUB_NAME.fullmatch(t) or pivot_key(t))


def _placed_columns(block: list[Row]) -> list[Column]:
    """Columns from a header over several placed lines: the line with the most cells gives
    the columns; a cell of another line names every column under it (a group heading
    centred over its columns names all of them), or is a column of its own where no
    column lies under it ('所要時間' centred in a box two lines tall)."""
    def groups(r: Row) -> int:  # its cells over two or more cells of another line: group headings
        return sum(1 for c in r.filled for o in block if o is not r
                   if sum(1 for d in o.filled if d.start < c.end and c.start < d.end) >= 2)

    # the line of the narrowest cells ('1割' '2割' '3割' under a ruled '利用者負担額' that spans them),
    # else the line with the most cells
    leaf_row = max(block, key=lambda r: (-groups(r), len(r.filled), block.index(r)))
    cols = [[c.start, c.end, [], True] for c in leaf_row.filled]  # start, end, texts by line, from the leaf line
    named = {id(col) for col, c in zip(cols, leaf_row.filled) if header_role(c.text) and not _sub_name(c.text)}
    # the care levels numbered under their group heading ('区分' over '1 2 3 4 5'), however far off
    # centre the heading stands: it names every digit
    digits = [c.text for c in leaf_row.filled]
    numbered = len(digits) >= 2 and all(_LEVEL_DIGIT.fullmatch(d) for d in digits) \
        and [int(d) for d in digits] == list(range(int(digits[0]), int(digits[0]) + len(digits)))
    for r in block:
        if r is leaf_row:
            for col, c in zip([c for c in cols if c[3]], leaf_row.filled):
                col[2].append((block.index(r), c.text))
            continue
        cells = r.filled
        for k, c in enumerate(cells):
            leaves = [col for col in cols if col[3]]
            over = [col for col in cols if col[0] < c.end and c.start < col[1]]
            if numbered and (header_role(c.text) or ("",))[0] == "care_level" and block.index(r) < block.index(leaf_row):
                over = leaves
            elif over and len(cells) == 1 and all(col[3] for col in over) and block.index(r) < block.index(leaf_row) \
                    and not _UNIT_NOTE.match(c.text):
                # one heading alone on its line names every column of the line under it; a note under the
                # names ('(単位)' under '所定単位数') is its column's only; a column the line under it names
                # itself ('総額', '介護保険給付額' beside the copay under '利用者負担') is named by it only where it stands over it
                over = [col for col in leaves if col in over or id(col) not in named]
            elif not over:
                mid = (c.start + c.end) / 2
                inside = leaves and leaves[0][0] <= mid <= leaves[-1][1]
                lo = (cells[k - 1].end + c.start) / 2 if k > 0 else c.start
                hi = (c.end + cells[k + 1].start) / 2 if k + 1 < len(cells) else c.end
                over = [col for col in leaves if lo <= (col[0] + col[1]) / 2 <= hi] if inside else []
                if len(over) < 2 or not all(_sub_name(" ".join(t for _, t in col[2])) for col in over):
                    over = []  # a heading in the gap over sub-names ('1割' '2割') names them; any other word is a column
                if not over:  # a column of its own (a key printed on its own line of the header)
                    cols.append([c.start, c.end, [(block.index(r), c.text)], False])
                    continue
            for col in over:
                col[2].append((block.index(r), c.text))
    out = []
    for i, (start, end, texts, _) in enumerate(sorted(cols, key=lambda col: col[0])):
        cell = Cell("", round(start), round(end))
        out.append(_column(i, cell, [t for _, t in sorted(texts)]))
    if _all_levels(leaf_row) and not any(c.key and c.key[0] == "care_level" for c in out):
        for col in out:  # their heading lost: the digits alone say which care level each column is
            if col.key is None and col.header.split(" ")[-1:] in (["1"], ["2"], ["3"], ["4"], ["5"]) and col.role is None:
                col.key, col.why = ("care_level", "要介護" + col.header.split(" ")[-1]), "care levels 1 to 5 across the top"
    return out


def _under(top: Row, cell: Cell) -> Cell | None:
    """The cell of ``top`` that ``cell`` of the next line lies under."""
    if top.aligned and cell.start != cell.end - 1:
        over = [(min(c.end, cell.end) - max(c.start, cell.start), c) for c in top.filled if c.start < cell.end and cell.start < c.end]
        return max(over, key=lambda o: o[0])[1] if over else None
    return top.cells[cell.start] if cell.start < len(top.cells) and top.cells[cell.start].text else None


_DIGIT = re.compile(r"\d")
_AMOUNT_WORD = re.compile(r"[数額費用]")
_LEVEL_DIGIT = re.compile(r"[1-5]")


def _wrapped(top: Row, low: Row) -> Row | None:
    """A header whose words wrap onto the next line ('居宅介'/'護支援費', '利用'/'者負担'):
    the header with each fragment joined to the word it continues, when every fragment
    makes a column name that the word alone was not (or names better)."""
    frags = low.filled
    if not frags or any(is_value_cell(c.text) or _DIGIT.search(c.text) and not _AMOUNT_WORD.fullmatch(c.text)
                        for c in frags):
        return None
    def better(word: str, joined: str) -> bool:
        was, now = header_role(word), header_role(joined)
        tail = joined[len(word):]
        # 'サービス' over '利用料金': a key word completed into a value's name; '…単位' over '数': the word's last character
        return bool(now) and (unnamed_share(joined) < unnamed_share(word) or unnamed_share(joined) <= 0.2 and (
            not was or len(now[1]) > len(was[1]) or was[0] in KEY_ROLES and now[0] in VALUE_ROLES
            or len(tail) == 1 and tail in "数額費料金" and was[0] == now[0]
            or tail and was and was[0] == now[0] and unnamed_share(joined) == 0))  # '1割' + '負担'

    if (grid := _grid_lines(top, low)) is not None:
        return grid
    joins: dict[int, str] = {}
    if top.aligned and low.aligned or len(low.cells) == len(top.cells):  # fragments under the words they continue
        for f in frags:
            over = _under(top, f)
            if over is None or not better(joins.get(id(over), over.text), joins.get(id(over), over.text) + f.text):
                break
            joins[id(over)] = joins.get(id(over), over.text) + f.text
        else:
            frags = []
    if frags:  # not under the words they continue (text split at full-width spaces): in order
        words = top.filled
        fits = lambda w, f: better(w, w + f)  # noqa: E731
        placed = _complete_in_order([w.text for w in words], [f.text for f in low.filled], fits, glue="")
        if not top.aligned and not top.placed and len(words) == len(top.cells) and (
                split := _run_together([w.text for w in words], [f.text for f in low.filled], fits, placed)) is not None:
            return Row(top.line, [Cell(t, n, n + 1) for n, t in enumerate(split)], more=[*top.more, low.line, *low.more])
        if placed is None:
            return None
        joins = {id(w): t for w, t in zip(words, placed) if t != w.text}
    cells = [Cell(joins.get(id(c), c.text), c.start, c.end) for c in top.cells]
    return Row(top.line, cells, aligned=top.aligned, more=[*top.more, low.line, *low.more], placed=top.placed)


def _roled(names: list[str] | None) -> int:
    return sum(1 for n in names if header_role(n)) if names else 0


def _run_together(top: list[str], low: list[str], fits, placed: list[str] | None) -> list[str] | None:
    """A header's upper line where two columns' names ran together, each completed by its own
    fragment on the lower line (a header copied from a PDF, its cells wrapped: '所定単位居宅介'
    over '数' '護支援費', or '所定単位居宅介護支援' over '数費', for 所定単位数 | 居宅介護支援費):
    the names with that word split in two, when each half is completed into a column's name of
    its own and the header then names more columns than it did unsplit; else None."""
    low = [w for f in low for w in f.split()]  # ('数金 担額': short words a space apart were taken for one cell)
    if len(top) > 8 or len(low) > 8:
        return None
    lows = [low]
    for n, f in enumerate(low):  # two fragments run together as well ('数費')
        if 2 <= len(f) <= 4 and not header_role(f) and not re.search(r"[\s\d()（）]", f):
            lows += [low[:n] + [f[:q], f[q:]] + low[n + 1:] for q in range(1, len(f))]
    best, most = None, _roled(placed)
    for t, word in enumerate(top):
        if len(word) < 4 or re.search(r"[\s()（）\d]", word):
            continue
        for p in range(2, len(word) - 1):
            a, b = word[:p], word[p:]
            names = top[:t] + [a, b] + top[t + 1:]
            for lo in lows:
                got = _complete_in_order(names, lo, fits, glue="")
                if got is None or got[t] == a or got[t + 1] == b:
                    continue  # each half completed by a fragment of its own, or no split
                ra, rb = header_role(got[t]), header_role(got[t + 1])
                if ra is None or rb is None or ra[0] == rb[0] or (n := _roled(got)) <= most:
                    continue
                best, most = got, n
    return best


def _grid_lines(top: Row, low: Row) -> Row | None:
    """Two header lines of a grid (a web page's, a sheet's: every cell kept, empty or not) whose
    upper line heads groups of columns merged over the lower line's names ('所要時間 | 要介護度 |
    あおば病院デイケア(通常規模型) | | | | あおばの里デイケア(大規模型) | | |' over '| | 単位数 | 自己負担額 | …'):
    one line, each column its group's heading and its own name, cell under cell. None unless
    two groups or more span two columns or more, with names under them."""
    n = len(top.cells)
    if n != len(low.cells) or n < 4 or top.aligned or low.aligned or top.placed or low.placed:
        return None
    spread, group, spans = [], "", []
    for k, (t, b) in enumerate(zip(top.cells, low.cells)):
        if t.text:
            group = t.text
            spans.append([k])
        elif group and b.text:
            spans[-1].append(k)
        else:
            group = ""
        spread.append(t.text or group)
    groups = [g for g in spans if len(g) >= 2 and all(low.cells[k].text for k in g[:1])
              and not (header_role(top.cells[g[0]].text) or ("",))[0] in VALUE_ROLES]
    if len(groups) < 2 or any(is_value_cell(c.text) for c in low.filled):
        return None
    cells = [Cell(" ".join(x for x in (spread[k], low.cells[k].text) if x), k, k + 1) for k in range(n)]
    return Row(top.line, cells, more=[*top.more, low.line, *low.more])


def _level_digits(top: Row, low: Row) -> bool:
    """A header whose second line numbers the care levels under their group heading
    ('利用時間 介護区分' over '1 2 3 4 5'): the digits run 1, 2, 3… and a cell above
    names the care levels."""
    digits = [c.text for c in low.filled]
    if len(digits) < 2 or not all(_LEVEL_DIGIT.fullmatch(d) for d in digits) or \
            [int(d) for d in digits] != list(range(int(digits[0]), int(digits[0]) + len(digits))):
        return False
    names = top.filled
    return bool(names) and all(_names(c.text) for c in names) and any(
        (header_role(c.text) or ("",))[0] == "care_level" for c in names)


def _noted(row: Row, note: str) -> Row | None:
    """``row`` with a unit note ('(単位)', '(円)') given to the first column it completes; a
    share ('(1割)') to the first copay column, if there is one."""
    fits = [k for k, c in enumerate(row.cells) if c.text and _completes(c.text, note)]
    copays = [k for k in fits if (header_role(row.cells[k].text) or ("",))[0].startswith("copay")]
    if "割" in note and copays:
        fits = copays
    if not fits:
        return None
    k = fits[0]
    cells = list(row.cells)
    cells[k] = Cell(f"{cells[k].text} {note}", cells[k].start, cells[k].end)
    return Row(row.line, cells, aligned=row.aligned, more=row.more, placed=row.placed)


def _single(row: Row | None) -> str | None:
    return row.filled[0].text if row is not None and len(row.filled) == 1 else None


def _keys_then_values(texts: list[str | None], strict: bool = True) -> bool:
    """One row copied a cell to a line: its keys first, then its values (at least one
    each); not strict, words without digits may follow the values (a 備考 cell)."""
    if not texts or None in texts or is_value_cell(texts[0]) or any(
            t.startswith("※") or _PROSE.search(t) or _TITLE_MARK.match(t) for t in texts) \
            or _NOTES.fullmatch(texts[0]):
        return False  # a note, a sentence or a marked title is never a cell, and a unit note ('(1割)') never a row's label
    # a value, or a rate as the last cell ('所定単位数×7.5%', the 処遇改善 row of a list of additions)
    kinds = [is_value_cell(t) or k == len(texts) - 1 and k > 0 and bool(re.search(r"\d\s*[%％]|\d\s*/\s*1000", t))
             and parse_rate(t) is not None for k, t in enumerate(texts)]
    first = kinds.index(True) if True in kinds else len(kinds)
    # a basis between the values ('600単位', '月1回', '626円'): a key its column holds, in the values' run
    return first < len(kinds) and all(v or not strict and not re.search(r"\d", t) or _basis_cell(t)
                                      for v, t in zip(kinds[first:], texts[first:]))


_BRACKET_NOTE = re.compile(r"[(（][^()（）\d]{2,20}[)）]")  # '（介護保険の方のみ）', no values in it
_AFTER_NOTE = re.compile(r"[(（](?:[^()（）]|[(（][^()（）]*[)）]){2,60}[)）]")  # (a bracket in it: '（月4回限度（…月8回））')
_BRACKETED_VALUE = re.compile(r"\d[\d,]*\s*(?:円|単位)")


def _note_only(text: str) -> bool:
    """A note in brackets, holding no amount ('（月2回限度）', '（在宅時医学総合管理料等を算定する場合・
    月2回限度）'; not '（3,450単位）')."""
    return bool(_AFTER_NOTE.fullmatch(text)) and not _BRACKETED_VALUE.search(text)


def _basis_cell(text: str) -> bool:
    """A cell that says only how often a fee counts ('月1回', '1回につき', '1日につき', '死亡月
    (介護保険の方のみ)')."""
    text = _BRACKET_NOTE.sub("", text).strip()
    return len(text) <= 8 and parse_basis(text) is not None and not re.search(r"[円%％]|単位", text)


def _fragment(text: str) -> bool:
    """A short header line that completes another ('担', '単位', '(円)', '1割')."""
    if _NOTES.fullmatch(text) and len(text) <= 16:
        return True  # notes run together ('(1割)(円)')
    return len(text) <= 6 and not is_value_cell(text) and not _PROSE.search(text) and (
        not _ANY_DIGIT.search(text) or bool(_SHARE_FRAGMENT.fullmatch(text)))


def _two_line_names(texts: list[str], k: int) -> list[str] | None:
    """k column names from the cells of a header printed on two lines and copied a cell to a
    line (the upper line's cells, then the lower's): None unless they make k names."""
    if len(texts) == k:
        return texts
    for s in range(2, k):
        top, low = texts[:s], texts[s:]
        kinds = {(pivot_key(t) or ("",))[0] for t in low}
        if len(kinds) == 1 and "" not in kinds and (header_role(top[-1]) or ("",))[0] in kinds and s - 1 + len(low) == k \
                and not any(pivot_key(t) for t in top):
            # the last upper heading over keys of its own kind ('居室区分' over '従来型個室 多床室', 'サービス
            # 提供時間' over the bands): each key names its column; the upper cells before it are over
            # nothing ('区分': the rows' key)
            return top[:-1] + low
    for s in range(k, 1, -1):
        top, low = texts[:s], texts[s:]
        if (shared := _notes_and_shares(top, low, k)) is not None:
            return shared
        if any(re.fullmatch(r"[1-9]\s*割", t) for t in top) and any(_BARE_SHARE.fullmatch(t) for t in low):
            continue  # shares on both lines ('1割' '2割' / '3割'): the shares are the lower line's, under a heading
        if s == k:  # each lower cell completes the upper word it lies under, in order
            placed = _complete_in_order(top, low)
            if placed is not None:
                return placed
            continue
        if not all(_sub_name(t) for t in low):
            continue  # the lower line names columns under a group heading ('1割 2割 3割'), nothing else
        cols = _columns([Row(None, [Cell(t, n, n + 1) for n, t in enumerate(top)]),
                         Row(None, [Cell(t, n, n + 1) for n, t in enumerate(low)])])
        if len(cols) == k and all(c.header for c in cols):
            return [c.header for c in cols]
    return None


_BARE_SHARE = re.compile(rf"{SHARE_WORD}(?:負担)?")


def _notes_and_shares(top: list[str], low: list[str], k: int) -> list[str] | None:
    """A header's lower line of unit notes and a run of bare shares, a cell to a line
    ('(単位)' '1割' '2割' '3割' under '単位数 サービス費用 利用者負担額'): the shares name the
    columns of the one copay heading above, and each note completes a word on its own side
    of the shares ('単位数' (単位)). None when the lower line is anything else."""
    at = [n for n, t in enumerate(low) if _BARE_SHARE.fullmatch(t)]
    if len(at) < 2 or at != list(range(at[0], at[-1] + 1)) or any(_BARE_SHARE.fullmatch(t) for t in top):
        return None
    before, after = low[:at[0]], low[at[-1] + 1:]
    if not all(_UNIT_NOTE.match(t) for t in before + after):
        return None
    heads = [n for n, t in enumerate(top) if (header_role(t) or ("",))[0].startswith("copay") and "割" not in t]
    if len(heads) != 1 or len(top) - 1 + len(at) != k:
        return None
    h = heads[0]
    left = _complete_in_order(top[:h], before) if before else top[:h]
    right = _complete_in_order(top[h + 1:], after) if after else top[h + 1:]
    if left is None or right is None or len(left) != h or len(right) != len(top) - h - 1:
        return None
    return left + [f"{top[h]} {low[n]}" for n in at] + right


def _complete_in_order(top: list[str], low: list[str], fits=None, glue: str | None = None) -> list[str] | None:
    """Each lower cell joined to the upper word it completes (``fits``, by default
    ``_completes``), in order, choosing the placement that makes the longest known names
    ('保険' + '給付額', not '区分' + '給付額'); None when they cannot all be placed. A unit note
    is joined with a space unless ``glue`` says otherwise."""
    fits = fits or _completes
    k, m = len(top), len(low)
    def gain(word: str, f: str) -> int:  # the length of the name the join makes, if the join made it
        if not fits(word, f):
            return -1
        name = (header_role(word + f) or ("", ""))[1]
        if re.match(rf"[(（]\s*{SHARE_WORD}\s*[)）]", f):  # a share note: the copay's column first
            return 3 if (header_role(word) or ("",))[0].startswith("copay") else 1
        return 1 if name and fold(name) in fold(word) else len(name)

    gain = [[gain(top[j], f) for j in range(k)] for f in low]
    best: dict[tuple[int, int], tuple[int, list[int]] | None] = {}

    def go(i: int, start: int):  # fragments from i, columns from start: (score, columns) or None
        if i == m:
            return 0, []
        if (i, start) in best:
            return best[(i, start)]
        found = None
        for j in range(start, k - (m - i - 1)):
            if gain[i][j] < 0:
                continue
            rest = go(i + 1, j + 1)
            if rest is not None and (found is None or gain[i][j] + rest[0] > found[0]):
                found = (gain[i][j] + rest[0], [j] + rest[1])
        best[(i, start)] = found
        return found

    found = go(0, 0)
    if found is None:
        merged = []  # no room for each note: notes side by side may share a column ('(1割)' '(円)')
        for f in low:
            if merged and re.fullmatch(r"[(（]\s*円\s*[)）]", f) and re.search(r"割\s*[)）]$", merged[-1]):
                merged[-1] += f
            else:
                merged.append(f)
        return _complete_in_order(top, merged, fits, glue) if len(merged) < len(low) else None
    out = list(top)
    for f, j in zip(low, found[1]):
        out[j] = out[j] + ((" " if glue is None else glue) + f if f.startswith(("(", "（")) else f)
    return out


def _completes(word: str, frag: str) -> bool:
    """``frag`` on the header's second line completes ``word`` above it: the rest of the word
    ('ご利用者負' + '担'), its unit ('料金' + '(円)', '算定' + '単位')."""
    notes = re.findall(r"[(（][^()（）]{1,8}[)）]", frag)
    if len(notes) >= 2 and "".join(notes) == frag:  # '(1割)(円)': notes run together, each on this word
        return all(_completes(word, n) for n in notes)
    if _UNIT_NOTE.match(frag):
        unit = frag.strip("()（） ")
        role = (header_role(word) or ("",))[0]
        amounts = ("total", "benefit", "copay1", "copay2", "copay3")
        if _BARE_SHARE.fullmatch(unit):  # '(1割)' under the copay or fee it is the share of
            return role in amounts or not role
        if unit in ("単位", "単位数"):
            return role == "units" or not role
        # '(円)', '(全額)': a note on an amount
        return not re.search(r"\d", unit) and (role in amounts or not role)
    joined = word + frag
    was, now = header_role(word), header_role(joined)
    return bool(now) and (unnamed_share(joined) < unnamed_share(word) or not was or len(now[1]) > len(was[1])
                          or was[0] == now[0] and unnamed_share(joined) == 0 and header_role(frag) != now  # '1割' + '負担'
                          # the last character or two of a word the list knows without them ('サービス利用料' + '金')
                          or was == now and unnamed_share(word) == 0 and len(frag) <= 2 and not header_role(frag)
                          and not re.search(r"[\d()（）]", frag))


def _cell_per_line(rows: list[tuple[Line, Row | None]], i: int) -> tuple[list[Row], int] | None:
    """A table copied from a web page one cell to a line: the lines that name columns (a
    header of two lines gives its upper cells, then its lower ones), then rows of k lines
    each. Of the ways to read the header, the one whose rows explain the most lines wins.
    Returns the header and body rows it makes, and where it ends."""
    names = []
    j = i
    while j < len(rows) and (t := _single(rows[j][1])) is not None and _names_a_column(t) and (
            _names(t) or header_role(t) and len(t) <= 8 or _fragment(t) and names) and not is_value_cell(t):
        # '居宅介護支援費' heading a column; a word the line below completes ('所定' / … / '単位数')
        names.append(rows[j])
        j += 1
    if len(names) >= 3 and (a := fold(_single(names[0][1]))) != (b := fold(_single(names[1][1]))) and b.startswith(a):
        return None  # a title the next name begins with ('加算' over '加算名'): the header starts on the next line
    if len(names) < 2:
        return None
    more = []  # the header's second line, its cells a line each: word ends ('担'), unit notes ('(円)'), shares
    while j + len(more) < len(rows) and len(more) < 8 and (
            t := _single(rows[j + len(more)][1])) is not None and _fragment(t):
        more.append(rows[j + len(more)])
    texts = [_single(r) for _, r in names]
    readings = []  # (lines of the header, its names)
    digits = []  # the care levels numbered under their group heading, a digit to a line
    while (header_role(texts[-1]) or ("",))[0] == "care_level" and j + len(digits) < len(rows) and len(digits) < 5 \
            and _single(rows[j + len(digits)][1]) == str(len(digits) + 1):
        digits.append(rows[j + len(digits)])
    if len(digits) >= 2:
        readings.append((len(names) + len(digits), texts[:-1] + [f"{texts[-1]} {_single(r)}" for _, r in digits]))
    cands = names + more
    ctexts = [_single(r) for _, r in cands]
    for h in range(len(cands), 1, -1):
        for k in range(h, 1, -1):
            heads = _two_line_names(ctexts[:h], k)
            if heads is not None and any(pivot_key(t) or (header_role(t) or ("",))[0] in VALUE_ROLES for t in heads):
                readings.append((h, heads))
    # a merged cell's labels printed once, under its column's name, before the other names (a PDF's text
    # copied without its layout: 'サービス' / '身体介護' / '家事援助' / '所要時間' / …): each labels a group of rows
    m = 0
    while (header_role(ctexts[0]) or ("",))[0] in ("service", "item") and 1 + m < len(ctexts) and _merged_label(ctexts[1 + m]):
        m += 1
    merged = ctexts[1:1 + m] if m >= 1 else []
    if merged:
        rest = ctexts[:1] + ctexts[1 + m:]
        for h in range(len(rest), 1, -1):
            for k in range(h, 2, -1):
                heads = _two_line_names(rest[:h], k)
                if heads is not None and heads[0] == ctexts[0] and any(
                        pivot_key(t) or (header_role(t) or ("",))[0] in VALUE_ROLES for t in heads):
                    readings.append((h + m, heads, merged))
    best = None
    for h, heads, *lab in readings:
        body, end, (plain, full) = _cell_rows(rows, i + h, len(heads), _single(rows[i][1]),
                                              (header_role(heads[-1]) or ("",))[0] == "note")
        if lab:
            if (body := _labelled(body, lab[0])) is None:
                continue  # (the labels' reading holds only when its rows fall into their groups)
            full = len(body)  # (each row whole but for the label merged down it, printed once above)
        # no column named by a note alone ('(全額)'), the most lines read as header or plain rows,
        # the most lines, the most rows printed whole; ties: the header read longest
        notes = sum(1 for t in heads if _UNIT_NOTE.match(t))
        # a first row whose label is the end of a header word ('利用者負担' / '額') was the header's line
        lead = body[0].cells[0].text if body and body[0].cells else ""
        stolen = bool(lead) and _fragment(lead) and any(_completes(t, lead) for t in heads)
        # or a lower header line's names ('3割 (単位)'), a share or a unit note, taken as the first row's label
        first = lead.split()[0] if lead.split() else ""
        stolen = stolen or bool(first) and (bool(re.fullmatch(SHARE_WORD, first)) or bool(_UNIT_NOTE.match(first)))
        # a name that names no column and is printed again as a row's cell ('身体介護') is the first row's label
        labels = sum(1 for t in heads if not header_role(t) and not pivot_key(t)
                     and any(c.text == t for row in body for c in row.cells))
        key = (-notes, -labels, h + plain, end, full - stolen, bool(lab))  # (ties: a merged cell's labels read)
        if body and (best is None or key > best[2]):
            best = (h, heads, key, body)
    if best is None:
        return None
    h, heads, (_, _, _, end, _, _), body = best
    header = Row(rows[i][0], [Cell(t, n, n + 1) for n, t in enumerate(heads)], more=[ln for ln, _ in rows[i + 1:i + h]])
    return [header] + body, end


def _merged_label(text: str) -> bool:
    """A short label with no digit that names no column ('身体介護'): a merged cell's text."""
    return 2 <= len(text) <= 16 and not re.search(r"\d", text) and header_role(text) is None and not pivot_key(text) \
        and not _UNIT_NOTE.match(text) and not _NOTES.fullmatch(text) and not is_value_cell(text)


def _order_of(text: str) -> tuple[int, int] | None:
    """Where a row's key cell stands in its order (``terms.key_order``)."""
    return key_order(parse_time_band(text), parse_care_levels(text))


def _labelled(body: list[Row], labels: list[str]) -> list[Row] | None:
    """The rows of a merged cell's labels printed once before the header's other names, each label
    given to its group: the rows' first cells empty, their keys starting over once for each label
    after the first. None when the rows do not fall into as many groups."""
    if not body or any(r.cells and r.cells[0].text for r in body):
        return None
    orders = [next((o for c in r.cells[1:] if (o := _order_of(c.text)) is not None), None) for r in body]
    if None in orders:
        return None
    group, out = 0, []
    for n, (r, o) in enumerate(zip(body, orders)):
        if n and o <= orders[n - 1]:
            group += 1
        if group >= len(labels):
            return None
        out.append(Row(r.line, [Cell(labels[group], 0, 1), *r.cells[1:]], aligned=r.aligned, more=r.more, placed=r.placed))
    return out if group == len(labels) - 1 else None


def _cell_rows(rows: list[tuple[Line, Row | None]], j: int, k: int, first: str | None = None,
               note_last: bool = False) -> tuple[list[Row], int, tuple[int, int]]:
    """Rows of k lines each from ``j``: a full row, one whose label was printed once for
    several (a merged cell), or the values of the row above on lines of their own (a units
    line then its yen line, '上段:単位数 下段:利用料'); where they end, how many lines were
    read as rows with nothing after their values, and how many rows were printed whole.
    ``note_last``: the last column holds notes ('備考'), words after the values; a row
    whose note is empty ends at a blank line (the empty cell, as a web page copies it)."""

    def fits(texts: list[str | None], size: int, strict: bool | None) -> bool:
        if size < 2 or len(texts) != size or None in texts or any(_note_only(t) for t in texts[1:]):
            return False  # (a note in brackets after the values ends the row: '（月2回限度）')
        if sum(1 for t in texts if not is_value_cell(t) and (header_role(t) or ("",))[0] in VALUE_ROLES) >= 2:
            return False  # the names of another table's value columns ('単位数', '利用料', '1割負担'): its header
        if strict is None:
            return bool(out) and all(is_value_cell(t) for t in texts)
        return _keys_then_values(texts, strict)

    out, whole, full = [], 0, 0
    while j < len(rows):
        if first is not None and _single(rows[j][1]) == first:
            break  # the header printed again (the table goes on, on the next page): a table of its own
        lead = _single(rows[j][1])
        if out and lead and _note_only(lead) and out[-1].cells \
                and is_value_cell(out[-1].cells[-1].text):
            # a note in brackets after a row's last value ('1,338円' / '（月2回限度）'): the row's, no row of its own
            out[-1].more.append(rows[j][0])
            j += 1
            whole += 1
            continue
        chunk = rows[j:j + k + 1]
        texts = [_single(r) for _, r in chunk]
        note = next((n for n in range(1, len(texts)) if texts[n] and _BRACKET_NOTE.fullmatch(texts[n])), None)
        if len(texts) == k + 1 and note is not None and texts[note - 1] and not is_value_cell(texts[note - 1]):
            # a note in brackets on a line of its own after a key ('死亡月' / '（介護保険の方のみ）'): that key's cell
            cells = texts[:note - 1] + [f"{texts[note - 1]} {texts[note]}"] + texts[note + 1:]
            if fits(cells, k, True) or fits(cells, k, False):
                out.append(Row(chunk[0][0], [Cell(t, n, n + 1) for n, t in enumerate(cells)], more=[ln for ln, _ in chunk[1:]]))
                j += k + 1
                whole += k + 1
                full += 1
                continue
        chunk = rows[j:j + k]
        texts = [_single(r) for _, r in chunk]
        if note_last and len(texts) == k and None not in texts and not is_value_cell(texts[-1]) \
                and _keys_then_values(texts[:-1], True) and all(
                    (b.number or 0) - (a.number or 0) == 1 for (a, _), (b, _) in zip(chunk, chunk[1:])):
            out.append(Row(chunk[0][0], [Cell(t, n, n + 1) for n, t in enumerate(texts)], more=[ln for ln, _ in chunk[1:]]))
            j += k
            whole += k
            full += 1
            continue
        # a rate row may end after its name and basis ('処遇改善加算(Ⅰ)', '1月につき', '所定単位数×92/1000')
        for size, strict in ((k, True), (k - 1, True), (k, False), (k - 1, False), (k - 1, None),
                             *((n, True) for n in range(k - 2, 1, -1))):
            chunk = rows[j:j + size]
            texts = [_single(r) for _, r in chunk]
            if not fits(texts, size, strict) or size < k - 1 and not (
                    texts[-1] and not is_value_cell(texts[-1]) and parse_rate(texts[-1])):
                continue
            # a label printed once for several rows is the one missing; a rate stands for all the values, whose cells end the row
            rate = not is_value_cell(texts[-1]) and re.search(r"\d\s*[%％]|\d\s*/\s*1000", texts[-1]) and parse_rate(texts[-1])
            cells = texts + [""] * (k - size) if rate or note_last and not is_value_cell(texts[0]) else [""] * (k - size) + texts
            out.append(Row(chunk[0][0], [Cell(t, n, n + 1) for n, t in enumerate(cells)], more=[ln for ln, _ in chunk[1:]]))
            j += size
            whole += size if strict is not False else 0
            full += size == k or bool(rate)  # a rate stands for all the values: the row is whole
            break
        else:
            break
    return out, j, (whole, full)


_PAGE_MARK = re.compile(r"^[-‐―ー—–\s]*\d{1,3}[-‐―ー—–\s]*$|^\d{1,3}\s*/\s*\d{1,3}\s*(?:ページ|頁)?$"
                        r"|^(?:P|p|ページ)\.?\s*\d{1,3}$|^\d{1,3}\s*(?:ページ|頁)$")  # ('1 / 2 ページ', '3ページ')


def _page_marks(doc: Document) -> set[int]:
    """Page numbers printed as the first or last line of a page ('- 1 -', '2/3')."""
    by_page: dict = {}
    for k, ln in enumerate(doc.lines):
        if not ln.blank:
            by_page.setdefault(ln.page, []).append(k)
    ends = {ks[0] for ks in by_page.values()} | {ks[-1] for ks in by_page.values()} if len(by_page) > 1 else set()
    return {k for k in ends if _PAGE_MARK.match(doc.lines[k].text.strip())
            or doc.lines[k].confidence < 1 and _OCR_PAGE_MARK.fullmatch(doc.lines[k].text.strip())}


# a page number as OCR reads it, its dashes dropped as specks: a digit or a stroke or two alone ('-1-' read ']', '|')
_OCR_PAGE_MARK = re.compile(r"[-‐―ー—–\s]*[\]\[|!lI\d]{1,3}[-‐―ー—–\s]*")


def _names_a_value(word: str) -> bool:
    """A word that names a value column, though with words no header list holds ('所定単位',
    the upper part of '所定単位' / '数' wrapped in a narrow box)."""
    role = header_role(word)
    return role is not None and role[0] in VALUE_ROLES


@lru_cache(maxsize=1 << 12)
def _cut_value_word(word: str) -> bool:
    """The start of a value column's name that the line's end cut ('基本利用', its '料' on the
    line below): three characters or more, no digit, and no name of its own."""
    return len(word) >= 3 and not re.search(r"\d", word) and not header_role(word) and starts_header_word(word, VALUE_ROLES)


def _split_names(row: Row | None) -> Row | None:
    """A header cell that holds two column names a space apart ('単位数(単位) 自己負担額',
    the gap too narrow to be a cell break) is two cells, each placed by its share; alone on
    its line, each word a name or a value column's word ('1割負 所定単位' over '担' '数')."""
    if row is None or any(is_value_cell(c.text) for c in row.filled):
        return row
    out, changed = [], False
    several = len(row.filled) >= 2  # in a row of several cells, a fee's name may head a column ('居宅介護支援費')
    for c in row.cells:
        words = c.text.split()
        if len(words) >= 2 and all(_names(w) or (several or _names_a_value(w)) and header_role(w) or _cut_value_word(w)
                                   for w in words) and any(
                _names(w) or _cut_value_word(w) for w in words) and (pivot_key(c.text) or ("",))[0] != "time_band":  # not one band
            total = width(c.text) or 1
            pos = 0
            for w in words:
                a = c.text.index(w, pos)
                pos = a + len(w)
                left = c.start + (c.end - c.start) * width(c.text[:a]) / total
                right = c.start + (c.end - c.start) * width(c.text[:pos]) / total
                out.append(Cell(w, round(left), round(right)))
            changed = True
        else:
            out.append(c)
    if not changed:
        return row
    if not row.aligned:
        out = [Cell(c.text, i, i + 1) for i, c in enumerate(out)]
    return Row(row.line, out, aligned=row.aligned, more=row.more, placed=row.placed)


_PERCENT = re.compile(r"\d\s*[%％]")


@lru_cache(maxsize=1 << 16)
def _valued(text: str) -> bool:
    """A cell that holds a value or a rate (``_gutter``'s test, asked of each cell often)."""
    return is_value_cell(text) or bool(_PERCENT.search(text))


def _gutter(rows: list[Row]) -> float | None:
    """The x of an empty strip that runs down a page between two tables printed side by
    side: no cell of a row of several cells crosses it, and most such rows have cells on
    both sides of it."""
    wide = [r for r in rows if r.placed and len(r.filled) >= 3]
    if len(wide) < 4:
        return None
    spans = sorted((c.start, c.end) for r in wide for c in r.filled)
    gaps, reach = [], spans[0][1]
    for a, b in spans[1:]:
        if a - reach >= 10:
            gaps.append((reach, a))
        reach = max(reach, b)
    # each wide row's cells as (start, end, holds a value), once: every strip is tried against them
    cells = [[(c.start, c.end, bool(_valued(c.text))) for c in r.filled] for r in wide]
    valued = sum(1 for row in cells if any(v for _, _, v in row))
    sides_at: dict[float, list] = {}

    def sides(mid: float) -> list[tuple[list[bool], list[bool]]]:
        """Per wide row, whether each cell left of ``mid`` holds a value, and each right of it."""
        got = sides_at.get(mid)
        if got is None:
            got = sides_at[mid] = [([v for _, e, v in row if e <= mid], [v for s, _, v in row if s >= mid]) for row in cells]
        return got

    def table_like(values: list[bool]) -> bool:  # a row of its own table: a key and a value (a rate too)
        return True in values and False in values

    # rows of the left table that run on past a strip in values alone (its units after its copays,
    # nothing of another table beside them) put the strip between two of its columns: such a strip
    # is tried after every other
    def cut(mid: float) -> int:
        return sum(1 for left, right in sides(mid) if table_like(left) and right and False not in right)

    for a, b in sorted(gaps, key=lambda g: (cut((g[0] + g[1]) / 2) >= 2, g[0] - g[1])):
        mid = (a + b) / 2
        narrow = b - a < 25  # as narrow as a gap between two columns of one table: the right side must begin with a label
        split = sides(mid)
        both = sum(1 for left, right in split if table_like(left) and table_like(right) and not (narrow and right[0]))
        # rows of two tables on one line, for a good part of the rows (the longer table runs on alone)
        if both >= 2 and both * 3 >= valued:
            return mid
        # or the rows of each side on lines of their own: rows on the right that begin with a label (a
        # lone label left of the strip begins the line's row: a wider table under a narrow one, not beside it)
        left_rows = sum(1 for left, _ in split if table_like(left))
        right_rows = sum(1 for left, right in split if table_like(right) and not right[0] and (not left or table_like(left)))
        if left_rows >= 2 and right_rows >= 2 and (not narrow or both >= 2 or _header_twice(rows, mid)):
            return mid  # a narrow strip: some rows of both on one line, or a header whose amounts both sides name
    return None


def _header_twice(rows: list[Row], mid: float) -> bool:
    """A line of column names on both sides of ``mid`` that names the same kind of value on
    each (two tables side by side, each with its own '1割' or '所定単位数')."""
    for r in rows:
        if not r.placed or any(is_value_cell(c.text) for c in r.filled):
            continue
        sides = [{role[0] for c in r.filled if (c.end <= mid if k == 0 else c.start >= mid)
                  and (role := header_role(c.text)) and role[0] in VALUE_ROLES} for k in (0, 1)]
        if sides[0] & sides[1]:
            return True
    return False


def _side_by_side(rows: list[Row]) -> list[Row]:
    """Tables printed side by side on a page are read one after the other: the left
    table's rows (and title), then the right one's."""
    out: list[Row] = []
    pages: dict = {}
    for r in rows:
        pages.setdefault(r.line.page, []).append(r)
    for page_rows in pages.values():
        mid = _gutter(page_rows)
        if mid is None:
            out.extend(page_rows)
            continue
        left, right = [], []
        for r in page_rows:
            if not r.placed or all(c.end <= mid for c in r.filled) or all(c.start >= mid for c in r.filled):
                (right if r.placed and r.filled and r.filled[0].start >= mid else left).append(r)
                continue
            # a cell that runs over the strip (a long title) is the table's it begins in
            for side, cells in ((left, [c for c in r.cells if c.start < mid]), (right, [c for c in r.cells if c.start >= mid])):
                if not any(c.text for c in cells):
                    continue
                # the line as this table prints it (its title is not the other table's title too)
                line = replace(r.line, text="\t".join(c.text for c in cells if c.text))
                side.append(Row(line, cells, aligned=True, more=r.more, placed=True))
        out.extend(left + right)
    return out


def _loosen(row: Row | None) -> Row | None:
    """A line printed without column gaps, as its cells (see ``loose``)."""
    if row is None or row.placed:
        return row
    loose = loose_row(row) if len(row.cells) == 1 else None
    cand = loose or row
    if len(cand.cells) >= 2 and not cand.aligned and not any(is_value_cell(c.text) for c in cand.cells) \
            and (rest := loose_cells(cand.cells[-1].text)) is not None and len(rest) >= 2 and any(is_value_cell(t) for t in rest):
        # a label printed apart from the rest of its row run together ('身体介護 90分以上120分未満669¥734')
        head = [c.text for c in cand.cells[:-1]]
        return Row(row.line, [Cell(t, i, i + 1) for i, t in enumerate(head + list(rest))], more=row.more)
    return loose or band_header(row) or row


# a rule drawn with characters under a header or between rows ('────── ──────', '+------+------+',
# '=====  ====='): no row, nor the end of the table
_RULE_LINE = re.compile(r"[\s|+＋:：]*[─━―‐\-－=＝_＿~〜┃│┼┿╋├┤┬┴┌┐└┘]{3,}[\s|+＋:：─━―‐\-－=＝_＿~〜┃│┼┿╋├┤┬┴┌┐└┘]*")


def _rows(doc: Document) -> list[Row]:
    """Every non-blank line as a row of cells, with tables copied one cell to a line rebuilt."""
    marks = _page_marks(doc)
    # each line as printed (a table copied a cell to a line is found in these), and taken apart
    plain = [(ln, split(ln)) for k, ln in enumerate(doc.lines) if not ln.blank and k not in marks
             and not _RULE_LINE.fullmatch(ln.text)]
    rows = [(ln, _stray_bracket(_split_names(_explode(_loosen(r))))) for ln, r in plain]
    # a line that holds values among several cells once taken apart is never one cell of a table copied a cell to a line
    plain = [(ln, taken if taken is not None and len(taken.cells) > 1 and any(is_value_cell(c.text) for c in taken.filled)
              else _explode(r)) for (ln, r), (_, taken) in zip(plain, rows)]
    if any(r is not None and r.placed for _, r in rows):
        order = _side_by_side([r for _, r in rows if r is not None])
        rows = plain = [(r.line, r) for r in order]
    out: list[Row] = []
    i = 0
    while i < len(rows):
        found = _cell_per_line(plain, i) if _single(plain[i][1]) is not None else None
        if found:
            out.extend(found[0])
            i = found[1]
            continue
        if rows[i][1] is not None:
            out.append(rows[i][1])
        i += 1
    return _join_wrapped_labels(_unfolded(out))


def _halves(row: Row, k: int) -> tuple[Row, Row]:
    def half(cells: list[Cell]) -> Row:
        line = replace(row.line, text="\t".join(c.text for c in cells if c.text))
        return Row(line, [Cell(c.text, n, n + 1) for n, c in enumerate(cells)], more=row.more)
    return half(row.cells[:k]), half(row.cells[k:])


def _unfolded(rows: list[Row]) -> list[Row]:
    """A table folded into two blocks side by side, cell by cell (a Word table or web grid of
    eight columns whose header names the same four twice: '所要時間 単位数 費用 負担 | 所要時間
    単位数 費用 負担'): its left block's rows, then its right block's under the header again,
    as one table read on."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        r = rows[i]
        n = len(r.cells)
        texts = r.texts
        if r.placed or r.aligned or n < 4 or n % 2 or texts[:n // 2] != texts[n // 2:] or any(is_value_cell(t) for t in texts) \
                or sum(1 for t in texts[:n // 2] if header_role(t)) < 2 or (header_role(texts[0]) or ("",))[0] not in KEY_ROLES:
            # (each block begins with its rows' key column: '利用料 利用者負担額' four times is a grid's lower line)
            out.append(r)
            i += 1
            continue
        k = n // 2
        j = i + 1
        while j < len(rows) and not rows[j].placed and not rows[j].aligned and len(rows[j].cells) == n:
            j += 1
        if j == i + 1:
            out.append(r)
            i += 1
            continue
        pairs = [_halves(x, k) for x in rows[i:j]]
        out += [a for a, _ in pairs] + [b for _, b in pairs if any(c.text for c in b.cells)]
        i = j
    return out


_STRAY_CLOSE = re.compile(r"^(?P<value>.*\d)\s*(?P<close>[)）]+)$")


def _stray_bracket(row: Row | None) -> Row | None:
    """A closing bracket of a wrapped label that ran past its column into the value beside it
    ('理学療法士等が1日に2回を超えて訪問する場合(1回につき' | '265)', the label's last line printed
    wider than its column): given back to the label, whose bracket it closes."""
    if row is None or not row.placed:
        return row
    cells = row.cells
    for n in range(1, len(cells)):
        left, c = cells[n - 1].text, cells[n].text
        m = _STRAY_CLOSE.match(c) if c.endswith((")", "）")) else None
        if m is None or "(" in c or "（" in c or left.count("(") + left.count("（") <= left.count(")") + left.count("）") \
                or not is_value_cell(m.group("value")):
            continue
        cells = [*cells[:n - 1], replace(cells[n - 1], text=left + m.group("close")),
                 replace(cells[n], text=m.group("value")), *cells[n + 1:]]
    return row if cells is row.cells else Row(row.line, cells, aligned=row.aligned, more=row.more, placed=row.placed)


_HIRAGANA_START = re.compile(r"^[\p{Hiragana}ー]")
_OPEN_BRACKET = re.compile(r"^[(（]")
_CLOSED = re.compile(r"[)）]\s*$")


def _label_only(row: Row) -> str | None:
    """The text of a line that holds one label and nothing else (no value, no column's name,
    no row key of its own)."""
    if row.placed or row.more or len(row.filled) != 1:
        return None
    t = row.filled[0].text
    if is_value_cell(t) or _ADDS_OR_CUTS.fullmatch(t) or _keyish(t):
        return None
    return t


def _keyish(text: str, names: bool = True) -> bool:
    """A row key (a care level, a time band, a service's name alone), or with ``names`` a
    column's name ('単位数', not '24時間通報対応加算' that holds '加算')."""
    hr = header_role(text) if names else None
    return bool(hr and len(hr[1]) * 3 >= len(fold(text)) * 2 or pivot_key(text) or parse_time_band(text)
                or parse_care_levels(text) or (find_service(text) and len(text) <= len(find_service(text).name) + 2))


def _cut_short(text: str) -> bool:
    """A label cut short at a line's end ('基本夜間対応型訪問介', 'サービス提供体制強化', 'による場合(1回に')."""
    core = re.sub(r"(?:\s*[(（][^()（）]*[)）])+\s*$", "", text)
    return not _CLOSED.search(text) and not FEE_NAME_END.search(core) and not core.endswith("場合")


def _indent(line: Line) -> int:
    """How far in a line of text starts (display columns): a label's lines start where it does."""
    text = line.raw.expandtabs(8)
    return width(text[:len(text) - len(text.lstrip())])


def _whole_name(text: str) -> bool:
    core = re.sub(r"(?:\s*[(（][^()（）]*[)）])+\s*$", "", text)
    return bool(FEE_NAME_END.search(core)) or core.endswith("場合")


def _wrapped_rest(text: str) -> bool:
    """The rest of a label wrapped from the line above ('(1回につき)', 'のみ', 'つき)', '合(1月につき)')."""
    before = re.split(r"[(（]", text, maxsplit=1)[0].strip()
    return bool(_OPEN_BRACKET.match(text) or _HIRAGANA_START.match(text) or text.startswith("※")
                or 0 < len(before) <= 2 and before != text)


def _join_wrapped_labels(rows: list[Row]) -> list[Row]:
    """A label wrapped over lines above its values, as text copied from a PDF prints it
    ('基本夜間対応型訪問介' / '護費（1月につき）  989  10,928 …'; '定期巡回サービス費' / '（1回につき）  372 …'):
    the label lines joined into the values' line. A line is joined to the next when it stops
    short of a name or the next goes on from it; a label that names its rows whole (a group's
    heading) is left alone."""
    out: list[Row] = []
    for r in rows:
        if len(r.filled) == 2 and _ONE_OR_TWO_DIGITS.fullmatch(r.filled[0].text) and not has_number(r.filled[1].text) \
                and not r.placed:
            # a numbered section's heading ('２　加算'): one label, its number no value
            r = replace(r, cells=[replace(r.filled[0], text=f"{r.filled[0].text} {r.filled[1].text}", end=r.filled[1].end)])
        first = r.filled[0] if r.filled else None
        if first is None or is_value_cell(first.text) or r.placed or not r.aligned or r.more or _keyish(first.text, names=False) or not any(
                is_value_cell(c.text) or parse_rate(c.text) is not None for c in r.filled[1:]):
            out.append(r)
            continue
        text, chain = first.text, []
        while out and (t := _label_only(out[-1])) is not None and out[-1].line.number is not None \
                and (r if not chain else chain[0]).line.number is not None \
                and (r if not chain else chain[0]).line.number - out[-1].line.number == 1 \
                and abs(_indent(out[-1].line) - _indent(r.line)) <= 4 \
                and (_wrapped_rest(text) or _cut_short(t) and _whole_name(t + text)) and len(t) + len(text) <= 60:
            chain.insert(0, out.pop())
            text = t + text
        while chain and _HIRAGANA_START.match(_label_only(chain[0]) or ""):
            out.append(chain.pop(0))  # (a line that goes on from a heading above: the heading's, not this label's)
            text = text[len(_label_only(out[-1])):]
        if not chain:
            out.append(r)
            continue
        cells = [replace(first, text=text)] + [c for c in r.cells if c is not first]
        out.append(replace(r, cells=cells, more=[x.line for x in chain] + [m for x in chain for m in x.more] + r.more))
    return out


def _header_block(rows: list[Row], i: int) -> tuple[list[Row], int] | None:
    """The placed lines from ``i`` that make one header, and where the body starts: next
    lines of one page (a line apart at most: the line between may be the other table's,
    side by side), each headerish, followed by a line with a value; together they name at
    least two columns, one of them a value or a row key."""
    block = [rows[i]]
    j = i + 1
    context = " ".join(rows[i].texts)
    while j < len(rows) and rows[j].placed and rows[j].line.page == rows[i].line.page and len(block) < 5 \
            and 1 <= (rows[j].line.number or 0) - (block[-1].line.number or 0) <= 2 and not _group_heading(rows[j]) and (
                _headerish(rows[j], context) or _word_parts(rows[j]) or _garbled_header_line(rows, j)):
        block.append(rows[j])
        context += " " + " ".join(rows[j].texts)
        j += 1
    k = j + 1 if j < len(rows) and _group_heading(rows[j]) else j  # (a group's heading over the first rows)
    if k >= len(rows) or not any(is_value_cell(c.text) for c in rows[k].filled):
        return None
    if not any(_headerish(r, "") for r in block):
        return None
    cols = _placed_columns(block)
    named = [c for c in cols if c.role or c.key]
    if len(named) < 2 or not any(c.key or c.role in VALUE_ROLES for c in cols):
        return None
    return block, j


def _garbled_header_line(rows: list[Row], j: int) -> bool:
    """A header's line that OCR garbled ('恒 1蘭度 位婦' for 居室区分 要介護度 単位数, printed in boxes
    two lines tall): read by OCR, two or more short cells, no value, no sentence, and a row of
    values straight after it on its page. Without it the header ends a line early and the
    table is lost."""
    row = rows[j]
    nxt = rows[j + 1] if j + 1 < len(rows) else None
    cells = row.filled
    return (row.line.confidence < 1 and len(cells) >= 2 and nxt is not None and nxt.line.page == row.line.page
            and (nxt.line.number or 0) - (row.line.number or 0) == 1
            and all(len(c.text) <= 4 and not is_value_cell(c.text) and not _PROSE.search(c.text) for c in cells)
            and sum(1 for c in nxt.filled if is_value_cell(c.text)) >= 2)


def _repeated_misread(cur: Table, columns: list[Column], header: list[Row]) -> bool:
    """The header of ``cur`` repeated on the next page, read by OCR with a name misread ('区分'
    read '分'): as many columns, each where the first one stands (within EDGE points), most
    of the names the same, at the top of a later page."""
    if header[0].line.confidence >= 1 or not cur.header or header[0].line.page == cur.header[0].line.page             or len(cur.columns) != len(columns):
        return False
    same = sum(1 for a, b in zip(cur.columns, columns) if a.header == b.header)
    return same * 2 > len(columns) and all(
        abs(a.start - b.start) <= EDGE and abs(a.end - b.end) <= EDGE for a, b in zip(cur.columns, columns))


EDGE = 3  # points: a column of a header repeated on the next page stands where it stood


def _last_label(table: Table) -> str | None:
    """The label the last rows of ``table`` are under (a merged cell's, or the row's own)."""
    for r in reversed(table.body):
        first = r.filled[0].text if r.filled else ""
        if first and not re.search(r"\d", first) and not pivot_key(first):
            return first
    return None


def _header_words(header: list[Row]) -> tuple[str, ...]:
    """A header's words in order, wherever they were placed (the header printed again on the next page)."""
    return tuple(w for r in header for w in " ".join(r.texts).split())


def _heading_over(table: Table, header: Line) -> Line | None:
    """The table's last row when it is a heading right over the next header: one cell,
    no value, no key of a row (a band, a care level, a room), header words and no more
    ('加算・減算', '加算'), the line just before the header's."""
    if not table.body:
        return None
    last = table.body[-1]
    if len(last.filled) != 1 or last.more or last.line.page != header.page or (header.number or 0) - (last.line.number or 0) != 1:
        return None
    t = last.filled[0].text
    if is_value_cell(t) or pivot_key(t) or parse_time_band(t) or parse_care_levels(t) or not header_run(t):
        return None
    return last.line


def _untitle(table: Table | None, above: list[Line], titled: bool) -> None:
    """A label on a line of its own at the end of ``table`` that a new header follows is
    that table's title ('■ 加算(算定要件を満たす場合)' between two tables), not a merged
    label of the rows above it: it leaves the table it ended."""
    if titled and table is not None and table.body and len(table.body[-1].filled) == 1 \
            and not table.body[-1].more and table.body[-1].line in above:
        table.body.pop()


_NAME_VALUE = re.compile(r"([^\d\s][^\d]*?)\s+(\S*\d\S*)")  # a name, a space, one value

_TITLE_MARK = re.compile(r"^\s*(?:#{1,6}\s|[■□●○◆◇▼▽◎]|【)")  # a Markdown heading ('## 料金表') is marked too


_COUNTED = re.compile(r"\d+\s*(?:ユニット|人|名|床|階|号館)")  # a count a title may hold ('2ユニット以上の場合')


def _titles_beside(row: Row, nxt: Row | None = None) -> list[str] | None:
    """The titles of a line that holds only titles, two or more side by side, left to
    right: marked ('■ 通所介護 基本料金', '■ 加算'), or unmarked straight over a header
    ('1ユニットの場合 | 2ユニット以上の場合' over '要介護度 | 単位数 | …', the tables under them
    read one after the other); None for any other line."""
    cells = row.filled
    if len(cells) >= 2 and all(_TITLE_MARK.match(c.text) and not is_value_cell(c.text) for c in cells):
        return [c.text for c in cells]
    if len(cells) >= 2 and nxt is not None and nxt.line.page == row.line.page and is_header(nxt) and not is_header(row) \
            and len(nxt.filled) >= 2 * len(cells) and all(
                len(c.text) >= 3 and not has_number(_COUNTED.sub("", c.text)) and not _DECORATED.match(c.text)
                and header_role(c.text) is None and pivot_key(c.text) is None for c in cells):
        return [c.text for c in cells]
    return None


def _garbled(row: Row, nxt: Row | None) -> bool:
    """A line read by OCR that is a table row whose number came back garbled: several
    cells, one with digits that is no value and names no column ('\\6081(587l単位)', a letter inside the number),
    no sentence, and the next line a row of values on the same page. Text and PDF lines
    (confidence 1) are never garbled."""
    if row.line.confidence >= 1 or nxt is None or nxt.line.page != row.line.page or len(row.filled) < 2:
        return False
    text = " ".join(c.text for c in row.filled)
    if _PROSE.search(text) or len(text) > 60 or text.startswith("※"):
        return False
    return any(len(_DIGIT.findall(c.text)) >= 2 and not is_value_cell(c.text) and not header_role(c.text)
               and not pivot_key(c.text) and not parse_time_band(c.text) for c in row.filled) \
        and any(is_value_cell(c.text) for c in nxt.filled)


_KEY_COLON = re.compile(r"^(?P<key>[^:：\d][^:：]*?)\s*[:：]\s*(?P<value>\S.*)$")


def _colon_split(row: Row) -> Row:
    """A key and its value printed as 'key：value' in one cell ('要介護1：658単位'): two cells."""
    cells = []
    for c in row.filled:
        m = _KEY_COLON.match(c.text)
        if m and is_value_cell(m.group("value")) and not is_value_cell(m.group("key")):
            cells += [Cell(m.group("key"), c.start, c.start + 1, c.span), Cell(m.group("value"), c.start + 1, c.end, c.span)]
        else:
            cells.append(c)
    return row if len(cells) == len(row.filled) else Row(row.line, cells, aligned=False, more=row.more, placed=row.placed)


def _shape(row: Row) -> tuple[int, int] | None:
    """A row of a table with no header: its keys (one or two, none a sentence, a note or
    a title) then its values (two or more, the last cells): (keys, values), else None."""
    cells = _colon_split(row).filled
    k = 0
    while k < len(cells) and not is_value_cell(cells[k].text):
        k += 1
    n = len(cells) - k
    if not 1 <= k <= 2 or n < 2 or not all(is_value_cell(c.text) for c in cells[k:]):
        return None
    keys = " ".join(c.text for c in cells[:k])
    if _PROSE.search(keys) or _NOT_KEY.match(keys) or len(keys) > 40 or stated_price(row.line.text) is not None:
        return None
    return k, n


_YEN_MARK = re.compile(r"[円¥\\]|[(（]\s*\d\s*割")
_NOT_KEY = re.compile(r"^\s*(?:[■□●◆◇▼▽◎※*＊【]|合計|小計|計$)")


def _headerless(rows: list[Row], i: int) -> Table | None:
    """A table printed with no header: three or more rows straight under each other, each
    its keys then the same number of values ('要介護1 658単位 6,876円 688円'). Its columns
    have no names: the keys' role comes from what they are (care levels, time bands,
    names), the values' from their arithmetic, as a header-less column's does."""
    shape = _shape(rows[i])
    if shape is None:
        return None
    run = [rows[i]]
    for nxt in rows[i + 1:]:  # (rows as printed: the table takes each split at its colon)
        prev = run[-1]
        if nxt.line.page != prev.line.page or (nxt.line.number or 0) - (prev.line.number or 0) != 1 + len(prev.more) \
                or _shape(nxt) != shape:
            break
        run.append(nxt)
    if len(run) < 3:
        return None
    k, n = shape
    cells = [[c.text for c in _colon_split(r).filled] for r in run]
    plain = [j for j in range(k, k + n) if all(not _YEN_MARK.search(texts[j]) for texts in cells)]
    if not plain:
        return None  # yen only: what they are is named by nothing, neither a header nor units
    columns = []
    for j in range(k + n):
        texts = [row[j] for row in cells]
        if j == plain[0]:
            role = "units"  # the first numbers not marked as yen; the arithmetic may still say otherwise
        elif j >= k:
            role = None
        elif all(parse_care_levels(t) and not strip_care_levels(t).strip() for t in texts):
            role = "care_level"
        elif all(parse_time_band(t) for t in texts):
            role = "time_band"
        else:
            role = "item"
        columns.append(Column(j, j, j + 1, "", role, ("no header: numbers not marked as yen" if role == "units" else
                                                      "no header: the keys' kind") if role else ""))
    return Table(header=[], columns=columns, last=run[-1].line.number)


_ROOM_DECOR = re.compile(r"[\s#■□●○◆◇▼▽◎・*＊【】\[\]〔〕<>＜＞]+")


def room_only(line: Line) -> bool:
    """A line that names a room type alone ('【従来型個室】'): a sub-title under the fee's heading."""
    key = pivot_key(_ROOM_DECOR.sub("", line.text))
    return key is not None and key[0] == "room"


def _rooms_under_heading(tables: list[Table]) -> None:
    """Tables titled by a room type alone, one after another under one fee heading
    ('介護福祉施設サービス費' / '【従来型個室】' table / '【多床室】' table): each later one is
    given the heading too, as the first was."""
    heading = None
    for t in tables:
        titles = [ln for ln in t.above if ln.text.strip()]
        if not titles or not room_only(titles[-1]):
            heading = None
            continue
        before = [ln for ln in titles[:-1] if not room_only(ln) and pivot_key(ln.text.strip()) is None
                  and "\t" not in ln.text and not re.search(r"\d\s*(?:円|単位)", ln.text)]  # (no row of the table above)
        if before:
            heading = before[-1]
        elif heading is not None:
            t.above = [heading, *t.above]


def find_tables(doc: Document) -> list[Table]:
    tables = [_role_rows(t) or _units_over_yen(t) or t
              for t in map(_services_over_levels, map(_broken_headings, _find_tables(doc)))]
    _titles_of_the_next(tables)
    tables = [_grouped_by_prefix(t) for t in tables]
    _rooms_under_heading(tables)
    return tables


def _grouped_by_prefix(table: Table) -> Table:
    """A grid's columns whose names begin with a group's heading ('あおば病院デイケア(通常規模型) 単位数',
    '… 自己負担額 1割', then '2割' and '3割' under the same heading): each group's columns keyed by
    its heading, as a header of column groups gives them, so that each row is read once per group."""
    if table.aligned or not table.header or any(c.key is not None for c in table.columns):
        return table
    heads = set()
    for c in table.header[0].cells:
        words = c.text.split(" ", 1)
        if len(words) == 2 and header_role(words[1]) and not header_role(words[0]) and not pivot_key(words[0]):
            heads.add(words[0])
    if len(heads) < 2:
        return table
    prefix, group, roles = {}, None, set()
    for c in table.columns:
        words = c.header.split(" ", 1)
        if len(words) == 2 and words[0] in heads and c.role in VALUE_ROLES:
            group, roles = words[0], {c.role}
            prefix[id(c)] = group
        elif group is not None and c.role in VALUE_ROLES and c.role not in roles:
            roles.add(c.role)
            prefix[id(c)] = group  # ('2割' under the heading spread over its group)
        else:
            group = None
    groups = set(prefix.values())
    if len(groups) < 2 or any(sum(1 for c in table.columns if prefix.get(id(c)) == g and c.role == "units") != 1
                              for g in groups):
        return table
    columns = [replace(c, key=pivot_key(prefix[id(c)]) or ("item", prefix[id(c)])) if id(c) in prefix else c
               for c in table.columns]
    return replace(table, columns=columns)


def _titles_of_the_next(tables: list[Table]) -> None:
    """Lines of words alone at the end of a table's body that are also the next table's title
    lines (a web page's caption over each of its tables): the next table's, not a label the
    rows above would take from below."""
    for a, b in zip(tables, tables[1:]):
        above = {(ln.page, ln.number) for ln in b.above}
        while a.body and not any(_valued(c.text) for c in a.body[-1].filled) \
                and (a.body[-1].line.page, a.body[-1].line.number) in above:
            a.body.pop()


def _units_over_yen(table: Table) -> Table | None:
    """A header over two lines whose upper line ends in the units' column ('サービス区分 | 所要時間 |
    単位数') and whose lower line names the amounts from that column on ('利用料 | 1割 | 2割 | 3割'),
    each row printed the same way: its units on one line ('身体介護 | 20分未満 | 163単位'), its yen
    under them ('1,698円 | 170円 | 340円 | 510円', as '上の行が単位数、下の行が金額' says). One row of
    both lines each, the amounts in columns of their own. None for any other table."""
    if len(table.header) != 2 or table.aligned or not table.body:
        return None
    top, low = (list(h.cells) for h in table.header)
    filled_top = [k for k, c in enumerate(top) if c.text]
    filled_low = [k for k, c in enumerate(low) if c.text]
    if not filled_top or not filled_low:
        return None
    u = filled_top[-1]
    if (header_role(top[u].text) or ("",))[0] != "units" or filled_low[0] != u or len(filled_low) < 2 \
            or any((header_role(low[k].text) or ("",))[0] not in AMOUNT_ROLES for k in filled_low):
        return None
    names = [c.text for c in top[:u + 1]] + [low[k].text for k in filled_low]
    columns = [_column(n, Cell(t, n, n + 1), [t]) for n, t in enumerate(names)]
    body, i, rows = [], 0, table.body
    while i < len(rows):
        r = rows[i]
        texts = [c.text for c in r.cells]
        units_line = len(texts) > u and is_value_cell(texts[u]) and not any(t for t in texts[u + 1:])
        nxt = [c.text for c in rows[i + 1].cells] if i + 1 < len(rows) else []
        yen_line = len(nxt) > u and not any(t for t in nxt[:u]) and all(is_value_cell(t) for t in nxt[u:] if t) \
            and any(nxt[u:])
        if units_line and yen_line:
            cells = texts[:u + 1] + [nxt[u + k] if u + k < len(nxt) else "" for k in range(len(filled_low))]
            body.append(Row(r.line, [Cell(t, n, n + 1) for n, t in enumerate(cells)], more=[rows[i + 1].line, *r.more]))
            i += 2
            continue
        if any(is_value_cell(t) for t in texts[u + 1:]):
            return None  # a line of amounts under no units: not this shape
        body.append(r)
        i += 1
    if not any(len(r.more) for r in body):
        return None
    return replace(table, columns=columns, body=body)


_BR = re.compile(r"\s*<br\s*/?>\s*", re.I)


def _broken_headings(table: Table) -> Table:
    """A Markdown header whose cells break a group's heading from its column's name with
    <br> ('同一建物以外にお住まいの方<br>単位数 | 金額 | 同一建物にお住まいの方<br>単位数 | 金額'): each
    group's columns keyed by its heading, as a header over two lines gives them (a column with
    no heading of its own goes with the group before it)."""
    if not any(_BR.search(c.header) for c in table.columns):
        return table
    columns, group, roles = [], None, set()
    for c in table.columns:
        parts = [p for p in _BR.split(c.header) if p]
        role = (header_role(parts[-1]) or ("",))[0] if parts else ""
        if len(parts) == 2 and role in VALUE_ROLES and (header_role(parts[0]) or ("",))[0] not in VALUE_ROLES:
            group, roles = parts[0], {role}
            columns.append(replace(c, header=f"{parts[0]} {parts[1]}", role=role, key=pivot_key(parts[0]) or ("item", parts[0])))
        elif group is not None and len(parts) == 1 and role in VALUE_ROLES and role not in roles and c.key is None:
            roles.add(role)
            columns.append(replace(c, header=f"{group} {parts[0]}", key=pivot_key(group) or ("item", group)))
        else:
            group = None
            columns.append(replace(c, header=" ".join(parts)))
    if sum(1 for c in columns if c.key is not None and c.key[0] == "item") < 2:
        return replace(table, columns=[replace(c, header=" ".join(p for p in _BR.split(c.header) if p)) for c in table.columns])
    return replace(table, columns=columns)


def _services_over_levels(table: Table) -> Table:
    """The line straight above a header of care levels whose cells name services over them
    ('介護予防特定施設入居者生活介護' over 要支援1・2, '特定施設入居者生活介護' over 要介護1…5, each
    merged over its levels): each level's column is headed by its service too. Cells by
    order (a sheet, tabs), each service over the columns from its cell to the next."""
    if not table.above or not table.header or table.aligned:
        return table
    ln, top = table.above[-1], table.header[0].line
    if ln.number is None or top.number is None or top.number - ln.number != 1 or ln.page != top.page:
        return table
    cells = [c for c in split(ln).cells if c.text]
    pivots = [c for c in table.columns if c.key is not None and c.key[0] == "care_level"]
    if len(cells) < 2 or len(pivots) < 2:
        return table
    over = {}
    for n, c in enumerate(cells):
        end = cells[n + 1].start if n + 1 < len(cells) else 10**6
        under = [k for k in pivots if c.start <= k.start < end]
        if under:
            if find_service(c.text) is None:
                return table
            over.update({id(k): c.text for k in under})
    if len({over.get(id(k)) for k in pivots}) < 2 or len(over) != len(pivots):
        return table  # (one service over all, or levels without one: a title, not headings)
    columns = [replace(k, header=f"{over[id(k)]} {k.header}") if id(k) in over else k for k in table.columns]
    return replace(table, columns=columns, above=table.above[:-1])


def _role_of(text: str) -> str | None:
    """The value a row's label says its cells hold ('単位数', '費用額(円)', '1割負担(円)')."""
    if not text or is_value_cell(text):
        return None
    hr = header_role(text)
    return text if hr is not None and hr[0] in VALUE_ROLES else None


def _role_rows(table: Table) -> Table | None:
    """A grid whose keys run across the top (care levels) and whose rows each hold one kind
    of value, named in a cell before them ('単位数' / '費用額(円)' / '1割負担(円)' under each
    time band): each group of such rows, one row per key column, its values side by side.
    None when the table is not of that shape (every row with numbers must be such a row)."""
    cols = table.columns
    pivots = [c for c in cols if c.key is not None]
    keys = [c for c in cols if c.key is None and c.role in KEY_ROLES]
    blank = [c for c in cols if c.key is None and c.role is None and not c.header.strip()]  # the labels' own columns
    # the corner cell over the labels naming the grid's fee ('身体介護' over '単位数 / 利用料 / 利用者負担額'): the rows' name
    corner = cols[0] if cols and cols[0].key is None and cols[0].role is None and cols[0].header.strip() \
        and not is_value_cell(cols[0].header) and _role_of(cols[0].header) is None else None
    if len(pivots) < 2 or len(blank) > 2 or len(keys) + len(pivots) + len(blank) + (corner is not None) != len(cols) \
            or not table.body:
        return None
    parsed = []  # (row, its key texts, its role word, its values)
    for r in table.body:
        cells = r.filled
        first = next((n for n, c in enumerate(cells) if is_value_cell(c.text)), len(cells))
        # (its keys before it: '3時間以上4時間未満' '単位数')
        # (a label merged over the group's rows, printed on its first: '介護保健施設サービス費(Ⅰ)(ⅰ)基本型・従来型個室' '単位数',
        # is a key, not the start of the value's name, though 'サービス費' is a word of one)
        at = next((n for n in range(first) if not any(pivot_key(c.text) or parse_time_band(c.text) for c in cells[n:first])
                   and (n == first - 1 or value_word(cells[n].text) is not None)
                   and (_role_of(" ".join(c.text for c in cells[n:first])) or _role_of(cells[n].text))), None)
        if at is None:
            if any(has_number(c.text) for c in cells):
                return None
            continue  # a label alone, a note: not a row of values
        values = [c.text for c in cells[first:]]
        if len(values) != len(pivots) or not all(is_value_cell(v) for v in values) or at > len(keys):
            return None
        # its label over one or two cells ('自己負担額' '1割'; '2割' under it): the words that name a value
        word = " ".join(c.text for c in cells[at:first])
        parsed.append((r, [c.text for c in cells[:at]], word if _role_of(word) else cells[first - 1].text, values))
    roles = []
    for _, _, word, _ in parsed:
        if word not in roles:
            roles.append(word)
    if len(parsed) < 2 or len(roles) < 2 or {header_role(w)[0] for w in roles} == {"units"}:
        return None
    groups: list[list] = []
    for item in parsed:
        if not groups or item[1] or item[2] in {w for _, _, w, _ in groups[-1]}:
            groups.append([])
        groups[-1].append(item)
    named = keys + ([replace(corner, role="item")] if corner is not None else [])
    new_cols = [replace(c, index=n, start=n, end=n + 1) for n, c in enumerate(named)]
    for p in pivots:
        for w in roles:
            n = len(new_cols)
            new_cols.append(replace(p, index=n, start=n, end=n + 1, header=f"{p.header} {w}", role=header_role(w)[0]))
    body = []
    for group in groups:
        first = group[0]
        texts = (first[1] + [""] * len(keys))[:len(keys)] + ([corner.header] if corner is not None else [])
        by_role = {w: vals for _, _, w, vals in group}
        for j in range(len(pivots)):
            texts += [by_role[w][j] if w in by_role else "" for w in roles]
        body.append(Row(first[0].line, [Cell(t, n, n + 1) for n, t in enumerate(texts)],
                        more=[ln for r, _, _, _ in group for ln in [r.line, *r.more]][1:]))
    return replace(table, columns=new_cols, body=body, header=[replace(h, aligned=False) for h in table.header])


_SECTION_LABEL = re.compile(r"^\s*(?:【[^【】]{1,20}】|[■□◆◇●]\s*\S{1,20}$|<[^<>]{1,20}>|〈[^〈〉]{1,20}〉)")


def _find_tables(doc: Document) -> list[Table]:
    tables: list[Table] = []
    cur: Table | None = None
    above: list[Line] = []
    titled = False  # words since the last table row: a repeated header after them starts a new table
    rows = _rows(doc)
    pending: list[Line] = []  # titles printed beside the one just read, each for a table still to come
    i = 0

    def title_beside() -> None:
        """A new header straight under a table's rows, on the page of titles printed side by
        side: the next of those titles is its own (not the title of the table above)."""
        nonlocal above, titled, pending
        if pending and cur is not None and cur.body and not titled:
            if pending[0].page == ln.page:
                above, titled = [pending.pop(0)], True
            else:
                pending = []

    while i < len(rows):
        row = rows[i]
        ln = row.line
        i += 1
        if titles := _titles_beside(row, rows[i] if i < len(rows) else None):
            # '■ 基本料金' '■ 加算' on one line, over tables read one after the other
            ln = replace(ln, text=titles[0])
            row = Row(ln, [row.filled[0]], aligned=row.aligned, more=row.more, placed=row.placed)
            pending = [replace(ln, text=t) for t in titles[1:]]
        if row.placed and (_headerish(row, "") or _word_parts(row)) and not (cur is not None and _group_heading(row)) \
                and (block := _header_block(rows, i - 1)) is not None:
            start = i - 1
            header, i = block
            title_beside()
            columns = _placed_columns(header)
            heads = rows[start - 1] if start else None  # a line of headings over groups of its columns
            if len(header) >= 2 and (grouped := _placed_groups(header[0], _placed_columns(header[1:]))) is not None:
                columns = grouped  # (headings centred over their groups, over only some of their columns)
            elif heads is not None and heads.line.page == ln.page and 1 <= (ln.number or 0) - (heads.line.number or 0) <= 2 \
                    and (grouped := _placed_groups(heads, columns)) is not None:
                columns, header = grouped, [heads, *header]  # headings no header list knows, on the line above
                above = [x for x in above if x is not heads.line]
            if cur is not None and not titled and (
                    [c.header for c in cur.columns] == [c.header for c in columns] or _repeated_misread(cur, columns, header)
                    or _header_words(cur.header) == _header_words(header)):
                above = cur.above  # the header repeated on the next page, placed anew: the same table goes on
            _untitle(cur, above, titled)
            cur = Table(header=header, columns=columns, above=list(above))
            tables.append(cur)
            above, titled = [], False
            continue
        if cur is not None and cur.last is not None and (ln.page != cur.body[-1].line.page or (ln.number or 0) > cur.last):
            cur = None  # the run of a table with no header ended
        if cur is not None and cur.last is not None:
            row = _colon_split(row)  # 'key：value', as the run was measured
        if (cur is None or titled) and not row.placed and (bare := _headerless(rows, i - 1)) is not None:
            bare.above = list(above)
            _untitle(cur, above, titled)
            cur, row = bare, _colon_split(row)
            tables.append(cur)
            above, titled = [], False
        near = i < len(rows) and 0 < (rows[i].line.number or 0) - (ln.number or 0) <= 2 and not row.more
        levels = near and _level_digits(row, rows[i])
        grouped = near and not levels and _column_groups(row, rows[i]) is not None  # headings over column groups
        joined, grid = None, False
        if near and not levels and not grouped and not is_header(row) and not any(is_value_cell(c.text) for c in row.filled) \
                and (joined := _wrapped(row, rows[i])) is not None and not is_header(joined):
            # words wrapped onto the next line make the header ('利用者' / '負担額'); a grid's group headings over
            # the names under them ('あおば病院デイケア(通常規模型)' over '単位数 | 自己負担額') are a header's upper line
            grid = _grid_lines(row, rows[i]) is not None and is_header(rows[i])
            joined = joined if grid else None
        if joined is not None:
            row = joined
            i += 1
        if levels or grouped or grid or is_header(row):
            header = [row]
            if levels or grouped:
                header, i = [row, rows[i]], i + 1  # the care levels numbered under their group heading
            elif near:
                nxt = rows[i]
                sparse = len(nxt.cells) == len(row.cells) and any(not c.text for c in nxt.cells)  # '| | | (1割) |'
                # '(1割) (単位)', '(1割)(円)': notes and shares on the names above
                notes = all(_NOTES.fullmatch(c.text) for c in nxt.filled)
                # shares and unit notes alone ('(単位) 1割 2割 3割') name no column without a heading above them
                shares = all(_UNIT_NOTE.match(c.text) or _NOTES.fullmatch(c.text) or re.fullmatch(SHARE_WORD, c.text)
                             for c in nxt.filled)  # ('(単位)(円)' before them: two notes run together)
                if is_sub_header(nxt) and (sparse or notes or shares or not (is_header(nxt) and len(nxt.filled) <= len(row.filled))) \
                        or not row.aligned and _shares_then_notes(row, nxt) is not None:
                    header.append(nxt)
                    i += 1
                elif notes and len(nxt.filled) == 1 and (noted := _noted(row, nxt.filled[0].text)) is not None:
                    header, i = [noted], i + 1  # '(単位)' alone on its line, its place lost: the column it fits
                elif (joined := _wrapped(row, nxt)) is not None:
                    header, i = [joined], i + 1  # words wrapped onto the next line: '居宅介' / '護支援費'
            title_beside()
            columns = _columns(header)
            if cur is not None and [c.header for c in cur.columns] == [c.header for c in columns] and not titled and (
                    not row.aligned or [(c.start, c.end) for c in cur.columns] == [(c.start, c.end) for c in columns]):
                continue  # the header repeated on the next page: the same table goes on
            section = None
            if cur is not None and not titled and (heading := _heading_over(cur, ln)) is not None:
                cur.body.pop()  # a heading straight over the new header ('加算・減算'): its title, not a label of the rows above
                above, titled = [heading], True
            if cur is not None and cur.body and not titled:
                above = cur.above  # a new header straight under a table's rows: the same section, under its title
                section = _last_label(cur)
            _untitle(cur, above, titled)
            cur = Table(header=header, columns=columns, above=list(above), section=section)
            tables.append(cur)
            above, titled = [], False
            continue
        text = ln.text.strip() if not row.more else " ".join(row.texts)
        if _PAGE_MARK.match(text):
            continue  # '- 1 -' where a page ended (text copied from a PDF): no label, no end of the table
        above = (above + [ln])[-3:]
        # a header's upper line ('認定区分 居室') is no new title
        titled = titled or bool(_JAPANESE.search(text)) and not is_value_cell(text) and not header_run(text)
        if stated_price(text) is not None or text.startswith("※"):
            if _PROSE.search(text):
                cur = None  # a sentence under the table ends it
            continue  # a note ('※1単位の単価：10.9円') is never a row
        if cur is not None and cur.body and not row.aligned and not row.placed and len(row.filled) == 1 \
                and (ln.number or 0) - (cur.body[-1].line.number or 0) == 1 + len(cur.body[-1].more) \
                and (m := _NAME_VALUE.fullmatch(text)) and is_value_cell(m.group(2)) and not _PROSE.search(text) \
                and not (i < len(rows) and (rows[i].line.number or 0) == (ln.number or 0) + 1 + len(row.more)
                         and rows[i].filled and is_value_cell(rows[i].filled[0].text)):
            # a name and its one value a space apart, straight under the table's rows ('通院等乗降介助 97'): a
            # row; not when a line of values follows (a fee line over its own yen line: '入浴介助加算Ⅰ 40単位' / '43円')
            row = Row(ln, [Cell(m.group(1), 0, 1), Cell(m.group(2), 1, 2)], aligned=row.aligned, more=row.more)
        # a sentence in a row's last cell is its note ('1月の総単位数に乗じます' under 備考), not prose
        prose = bool(_PROSE.search(text)) and not (len(row.filled) >= 3 and not any(
            _PROSE.search(c.text) for c in row.filled[:-1]) and any(is_value_cell(c.text) or parse_rate(c.text) for c in row.filled[1:-1])) \
            and sum(1 for c in row.filled if is_value_cell(c.text)) < 3  # (a row of three values or more is no sentence: '32,719。' a mark)
        if cur is not None and not prose and (
                any(is_value_cell(c.text) for c in row.filled) or parse_rate(text) and (
                    _ADDS_OR_CUTS.search(text) and not (len(row.filled) == 1 and re.match(r"\s*[・●○◆◇]", text))
                    or len(row.filled) >= 2 and any(_ADDS_OR_CUTS.search(c.header) for c in cur.columns))):
            # (a rate in a row of cells under a table of additions: '加算の種類' over '夜間・早朝 | 所定単位数の25%')
            cur.body.append(row)
            titled = False
        elif cur is not None and len(row.filled) == 1 and len(text) <= 24 and not _PROSE.search(text):
            prev = cur.body[-1] if cur.body else None
            if prev is not None and len(prev.filled) == 1 and len(prev.filled[0].text) <= 3 and len(text) <= 3 and not \
                    re.search(r"\d", prev.filled[0].text + text) and (ln.number or 0) - (prev.line.number or 0) == 1 + len(prev.more):
                # a label printed down a merged cell, a character or two a line ('身 体' / '介 護')
                c = prev.filled[0]
                cur.body[-1] = Row(prev.line, [Cell(c.text + text, c.start, c.end)], aligned=prev.aligned,
                                   more=[*prev.more, ln], placed=prev.placed)
                continue
            cur.body.append(row)  # a label on a line of its own: a merged cell, or a sub-heading
        elif header_run(text):
            continue  # the upper line of a header repeated on the next page: the header decides
        elif cur is not None and cur.body and _garbled(row, rows[i] if i < len(rows) else None):
            # a row of the table whose number OCR garbled ('\\6081(587l単位)'): lost, but the table goes on,
            # and a label it begins with still names the rows under it
            first = row.filled[0]
            if not _DIGIT.search(first.text) and len(first.text) <= 24:
                cur.body.append(Row(ln, [first], aligned=row.aligned, more=row.more, placed=row.placed))
            continue
        elif cur is not None and _group_heading(row):
            cur.body.append(row)  # '通所介護費(通常規模型)  4時間以上5時間未満' over its band's rows: a label of the rows below
        elif cur is not None and 1 < len(row.filled) <= 3 and _SECTION_LABEL.match(row.filled[0].text) \
                and (not prose or all(re.fullmatch(r"[(（][^()（）]*[)）]", c.text.strip()) for c in row.filled[1:])) \
                and not any(is_value_cell(c.text) for c in row.filled) and i < len(rows) and rows[i].line.page == ln.page \
                and sum(1 for c in rows[i].filled if is_value_cell(c.text)) >= 2:
            # a section's label among the table's rows with its note beside it ('【訪問看護費】 | (定期巡回…と連携する場合)'
            # over its rows): one label of the rows below, not the end of the table
            c = row.filled[0]
            cur.body.append(Row(ln, [Cell(" ".join(x.text for x in row.filled), c.start, c.end)], aligned=row.aligned,
                                more=row.more, placed=row.placed))
        elif prose or len(text) > 60 and len(row.filled) == 1 or len(row.filled) > 1:
            cur = None  # prose, or a row of cells that is neither header nor values: another table
    return tables
