"""Family: yen tables at a stated unit price, printed apart from their unit lists
(seed 004 and its kin: 障害福祉 fee sheets with 10割 / 9割 / 1割負担 columns).

  <service>サービス費
  基本単位数 地域区分 11.2          (or: その他加算単位数 地域区分 11.2)
  10割 9割 1割負担
  ¥2,867 ¥2,580 ¥287               one row per unit line of the table
  …
  30分未満 256                      unit lines, elsewhere and in another order
  3時間以上(921単位に30分を増すごとに+83単位) +83
  初回加算 1月につき 200

The text stream keeps the yen rows in table order but scatters the unit lines. A
yen row is paired with the unit line whose units give its 10割 at the stated price
(floor(units × price)); among several, the line right after the previous row's line
wins (tables are read in runs), then the one that starts the longest run, then the
nearest. A label still undecided is reported as ambiguous; a yen row that no unit
line explains is kept, unpaired, and reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex as re

from .. import findings
from ..model import Step, TariffRow
from ..numbers import NUMBER, YEN_AMOUNT, parse_rate, to_int
from ..prices import PRICE as _PRICE
from ..prices import floor_yen, prices_for
from ..services import Service, find_service
from ..sources.base import Document, Line
from ..terms import (
    amount_keys,
    canonical_item,
    kind_of,
    parse_basis,
    parse_step,
    parse_time_band,
    split_fee_name,
    step_of,
)
from ..text import squeeze
from .base import Parsed, Recognizer, register

_TABLE_OF = re.compile(r"^(\S+?加算)\s*単位数")  # '移動介護加算単位数 地域区分 10.18'
_YEN = YEN_AMOUNT
_UNIT_LINE = re.compile(rf"^(?P<label>.*?\S)\s*(?P<plus>\+)?\s*(?P<n>{NUMBER})\s*$")
_FOOTNOTE = re.compile(r"※\s*\d*")


def _item_of(label: str) -> tuple[str, str]:
    """'初回加算 1月につき' -> ('初回加算', '1月につき')."""
    split = split_fee_name(label)
    if not split:
        return canonical_item(label), ""
    return canonical_item(split[0]), squeeze(split[1])


def _named_kind(row: TariffRow) -> str:
    """A band row named after its sub-service is an addition when the name says so (移動介護加算)."""
    named = kind_of(row.item)
    return named if named != "base" else row.kind


@dataclass
class YenTable:
    service: Service | None
    kind: str  # base | addition
    price: Decimal | None  # None: the sheet states none (or only its 級地); pairing finds it
    price_line: Line  # the line that states it, else the table's header line
    keys: list[str]
    rows: list[tuple[Line, list[int]]]
    name: str | None = None  # an addition the table is of ('移動介護加算単位数 地域区分 10.18')


@dataclass
class UnitLine:
    index: int  # position among unit lines
    line: Line
    label: str
    value: int  # the number printed at the end of the line
    plus: bool
    band: str | None
    step: Step | None
    base: int | None
    pos: int = -1  # the line's index in the document (-1 for a unit printed on its yen row)
    for_base: bool = False  # a step rule's line that prints its base units: its yen are the base's
    heading: str | None = None  # the sub-service named just above its block ('家事援助' / '利用料')


@register
class YenSplitTable(Recognizer):
    name = "yen-split-table"
    description = "10割/9割/1割 yen tables at a stated 地域区分 price, with unit lists by time band"

    def score(self, doc: Document) -> float:
        prices = headers = yen_rows = bare = 0  # (one pass over the lines, each line's yen found once)
        for ln in doc.lines:
            text = ln.text
            prices += _PRICE.search(text) is not None
            yen = _YEN.findall(text)
            if not yen:
                headers += len(amount_keys(text)) >= 2
            elif len(yen) >= 2:
                yen_rows += 1
                # rows of nothing but yen, apart from their labels, are this family's mark, with or
                # without a stated price (a sheet may state only its 級地)
                bare += not _YEN.sub("", text).strip()
        if not headers or not yen_rows:
            return 0.0
        by_rows = min(0.95, 0.6 + 0.03 * bare) if bare >= 3 else 0.0
        return max(by_rows, min(0.95, 0.6 + 0.02 * yen_rows) if prices else 0.0)

    def parse(self, doc: Document) -> Parsed:
        out = Parsed()
        tables, in_tables = self._tables(doc)
        units = self._unit_lines(doc, in_tables)
        used: dict[int, int] = {}
        blocks = self._name_blocks(doc)
        stepped: list[UnitLine] = [u for u in units if u.step]
        for table in tables:
            inline = self._inline(table)
            stepped += [u for u, _ in inline or [] if u.step]
            assigned = [(u, "same-row", []) for u, _ in inline] if inline else self._align(doc, table, units, used)
            paired_rows = []
            for (yen_line, amounts), (u, how, rivals) in zip(table.rows, assigned):
                amounts_d = dict(zip(table.keys, amounts))
                if u is None:
                    row = self.row(
                        doc, [yen_line, table.price_line], service=table.service, item="", label="",
                        kind=table.kind, amounts=amounts_d, unit_price=table.price,
                        unit_price_source="stated" if table.price is not None else None, confidence=0.0,
                    )
                    out.findings.append(findings.make("unpaired-amount", row.source, printed=f"{amounts[0]:,}円"))
                    out.rows.append(row)
                    continue
                if u.index >= 0:
                    used[u.index] = used.get(u.index, 0) + 1
                rows = self._unit_rows(doc, u, table.service, table.kind, anchor=yen_line, extra=[table.price_line],
                                       band_item=table.name)
                for row in rows:
                    row.amounts = amounts_d
                    row.amounts_for = "step" if u.step and not u.for_base else "base"
                    if table.price is not None:  # else the checker infers it from the amounts
                        row.unit_price, row.unit_price_source = table.price, "stated"
                    # as sure as the lines its values stand on (OCR) and its pairing; the price line is
                    # checked by reconciliation instead
                    row.confidence = min(yen_line.confidence, u.line.confidence,
                                         1.0 if how in ("adjacent", "unique", "same-row") else 0.8)
                if rivals:
                    out.findings.append(
                        findings.make("ambiguous-pairing", rows[0].source, printed=f"{amounts[0]:,}円", expected=" / ".join(rivals))
                    )
                paired_rows.append((u, rows))
            if inline:
                self._inline_groups(paired_rows, [g for _, g in inline])
            elif any(u.heading for u, _ in paired_rows):  # each block of unit lines is headed by its name
                for u, rows in paired_rows:
                    if u.heading and u.band and find_service(u.heading) is None:
                        for r in rows:
                            r.item = u.heading
                            r.kind = _named_kind(r)
            elif table.kind == "base":
                self._name_groups(paired_rows, blocks, table.service)
            out.rows.extend(r for _, rows in paired_rows for r in rows)
        for u in units:
            if u.index not in used:
                out.rows.extend(self._unit_rows(doc, u, None, None, anchor=u.line, extra=[]))
        # a rate (処遇改善 %) belongs to the sheet's service when the sheet prices only one;
        # a sheet of several services does not say which, and it is left unsaid
        services = {tb.service for tb in tables if tb.service is not None}
        out.rows.extend(self._rate_rows(doc, in_tables, next(iter(services)) if len(services) == 1 else None))
        for u in stepped:
            if u.step.printed_units is not None:
                out.findings.append(findings.make(
                    "step-rule-mismatch", doc.source([u.line]), printed=f"{u.step.printed_units}単位",
                    expected=f"{u.step.units}単位", minutes=u.step.minutes,
                    printed_units=u.step.printed_units, expected_units=u.step.units,
                ))
        out.rows.sort(key=lambda r: (r.source.page or 0, r.source.line or 0))
        return out

    # -- reading -------------------------------------------------------------------------

    def _tables(self, doc: Document) -> tuple[list[YenTable], set[int]]:
        tables: list[YenTable] = []
        in_tables: set[int] = set()
        service: Service | None = None
        lines = doc.lines
        i = 0
        while i < len(lines):
            ln = lines[i]
            m = _PRICE.search(ln.text)
            header = not m and self._header(ln) and self._opens_rows(lines, i + 1)
            if (not m and not header) or _YEN.search(ln.text):
                found = find_service(ln.text) if not ln.blank else None
                if found and len(ln.text) < 40:
                    service = found
                i += 1
                continue
            # a table opened by its price line, or by its header when no price is stated above it
            heading = ln if m else next((lines[k] for k in range(i - 1, max(-1, i - 3), -1) if not lines[k].blank), ln)
            kind = "addition" if "加算" in heading.text else "base"
            service = find_service(heading.text) or service
            j, keys = (i + 1, []) if m else (i, [])
            while j < len(lines) and not keys:
                keys = amount_keys(lines[j].text) if not _YEN.search(lines[j].text) else []
                j += 1
            rows: list[tuple[Line, list[int]]] = []
            while j < len(lines):
                yen = [to_int(a or b) for a, b in _YEN.findall(lines[j].text)]
                if lines[j].blank and not rows:
                    j += 1
                    continue
                if len(yen) != len(keys) or not keys:
                    break
                rows.append((lines[j], yen))
                in_tables.add(id(lines[j]))
                j += 1
            in_tables.add(id(ln))
            if rows:
                named = _TABLE_OF.match(heading.text.strip())
                name = canonical_item(named.group(1)) if named and not named.group(1).startswith("その他") else None
                tables.append(YenTable(service, kind, Decimal(m.group("price")) if m else None, ln, keys, rows, name))
            i = j
        return tables, in_tables

    @staticmethod
    def _header(ln: Line) -> bool:
        return len(amount_keys(ln.text)) >= 2 and not _YEN.search(ln.text)

    @staticmethod
    def _opens_rows(lines: list[Line], j: int) -> bool:
        """The next non-blank line is a row of yen (a header with no price line above it)."""
        while j < len(lines) and lines[j].blank:
            j += 1
        return j < len(lines) and len(_YEN.findall(lines[j].text)) >= 2

    def _unit_lines(self, doc: Document, in_tables: set[int]) -> list[UnitLine]:
        out: list[UnitLine] = []
        heading: str | None = None
        for pos, ln in enumerate(doc.lines):
            if id(ln) in in_tables or ln.blank or _PRICE.search(ln.text):
                continue
            if self._block_heading(doc.lines, pos):
                name = ln.text.strip()
                above = next((x.text.strip() for x in reversed(doc.lines[:pos]) if not x.blank), "")
                if name.startswith("(") and above and not re.search(r"\d", above) and len(above) <= 20:
                    name = above + name  # '通院等介助' / '（身体介護を伴わない）'
                heading = canonical_item(name)
                continue
            if not re.search(r"\d", ln.text) and ln.text.strip() != "利用料":
                heading = None  # any other text ends the block a heading named
            m = _UNIT_LINE.match(_FOOTNOTE.sub("", ln.text))
            if not m or not re.search(r"[\p{Han}\p{Katakana}]", m.group("label")):
                continue
            if m.group("label").endswith(("%", "×", "単位数")):
                continue
            if re.search(r"\d[-‐－]$", m.group("label")):
                continue  # the last group of a telephone number or postal code ('電話番号:066-6822-1153'), no units
            rule = parse_step(ln.text)
            value = to_int(m.group("n"))
            step, for_base = step_of(rule, value, bool(m.group("plus"))) if rule else (None, False)
            out.append(
                UnitLine(len(out), ln, m.group("label").strip(), value, bool(m.group("plus")),
                         parse_time_band(m.group("label")), step, rule.base if rule else None, pos, for_base,
                         heading if parse_time_band(m.group("label")) else None)
            )
        return out

    @staticmethod
    def _block_heading(lines: list[Line], pos: int) -> bool:
        """A short name with no number just above '利用料' and a time band: the sub-service
        its block of unit lines prices."""
        t = lines[pos].text.strip()
        if not t or re.search(r"\d", t) or len(t) > 30 or t == "利用料" or "算定" in t or "サービス内容" in t:
            return False
        nxt = [ln.text.strip() for ln in lines[pos + 1:pos + 6] if not ln.blank][:2]
        return len(nxt) == 2 and nxt[0] == "利用料" and parse_time_band(nxt[1]) is not None

    def _inline(self, table: YenTable) -> list[tuple[UnitLine, str | None]] | None:
        """Units printed on the yen row itself (the sheet's real layout, as geometry reads
        it): each row pairs with its own units. The first cell, when a row has one before
        its band or label, names the sub-service of the rows below it."""
        out = []
        for k, (ln, _) in enumerate(table.rows):
            rest = _YEN.sub("", ln.text).rstrip(" \t")
            m = _UNIT_LINE.match(rest.strip())
            if not m or not re.search(r"[\p{Han}\p{Katakana}]", m.group("label")):
                return None
            # the cells before the number (a right-aligned number may sit in the text of
            # the cell before it: '…+80単位) +81')
            head = [c.strip() for c in rest[: rest.rfind(m.group("n"))].rstrip(" +\t").split("\t") if c.strip()]
            if not head:
                return None
            group = None
            if len(head) >= 2 and not parse_time_band(head[0]) and parse_time_band(" ".join(head[1:])):
                group, head = head[0], head[1:]
            label = " ".join(head)
            rule = parse_step(label)
            value = to_int(m.group("n"))
            step, for_base = step_of(rule, value, bool(m.group("plus"))) if rule else (None, False)
            out.append((UnitLine(-1 - k, ln, label, value, bool(m.group("plus")), parse_time_band(label), step,
                                 rule.base if rule else None, for_base=for_base), group))
        return out

    @staticmethod
    def _inline_groups(paired: list[tuple[UnitLine, list[TariffRow]]], groups: list[str | None]) -> None:
        current: list[str] = []
        for (u, rows), group in zip(paired, groups):
            if group:
                current = [canonical_item(n) for n in re.split(r"[、,]", group) if n.strip()]
            if not u.band or not current:
                continue
            first = rows[0]
            first.item = current[0]
            first.kind = _named_kind(first)
            for extra in current[1:]:
                rows.append(first.model_copy(deep=True, update={"item": extra}))

    # -- pairing -------------------------------------------------------------------------

    @staticmethod
    def _adjacent(doc: Document, a: UnitLine, b: UnitLine) -> bool:
        """b follows a with only blank lines between them."""
        if b.index != a.index + 1 or a.pos < 0 or b.pos < 0:
            return False
        return all(doc.lines[k].blank for k in range(a.pos + 1, b.pos))

    def _align(self, doc: Document, table: YenTable, units: list[UnitLine], used: dict[int, int]):
        """Pair each yen row with a unit line: longest runs of adjacent lines first, then
        single rows by proximity to their neighbours' lines. Returns, per row, the line
        (or None), how it was chosen, and rival labels when the choice is not certain."""
        n = len(table.rows)

        def fit(price):
            return [[u for u in units if floor_yen(u.value, price) == amounts[0]] for _, amounts in table.rows]

        fits = fit(table.price) if table.price is not None else [[] for _ in table.rows]
        if 2 * sum(map(bool, fits)) < n:  # the stated price (or none) pairs too little: pair at the price
            scheme = table.service.scheme if table.service else None  # that does; check reports it
            alt = max((fit(p) for p in prices_for(scheme)), key=lambda f: sum(map(bool, f)))
            if sum(map(bool, alt)) > sum(map(bool, fits)):
                fits = alt
        for k, cands in enumerate(fits):  # lines used by an earlier table only as a last resort
            fresh = [u for u in cands if u.index not in used]
            fits[k] = fresh or cands
        result: list[tuple[UnitLine | None, str, list[str]]] = [(None, "none", [])] * n
        taken: set[int] = set()

        def chain(k: int, u: UnitLine) -> list[UnitLine]:
            out = [u]
            for nxt in fits[k + 1 :]:
                follow = next((v for v in nxt if v.index not in taken and self._adjacent(doc, out[-1], v)), None)
                if follow is None or result[k + len(out)][0] is not None:
                    break
                out.append(follow)
            return out

        while True:  # runs of two or more, longest first
            best: tuple[int, int, int, list[UnitLine]] | None = None
            for k in range(n):
                if result[k][0] is not None:
                    continue
                for u in fits[k]:
                    if u.index in taken:
                        continue
                    c = chain(k, u)
                    key = (len(c), -k, -u.index)
                    if len(c) >= 2 and (best is None or key > best[:3]):
                        best = (*key, c)
            if best is None:
                break
            k0 = -best[1]
            for j, u in enumerate(best[3]):
                result[k0 + j] = (u, "adjacent", [])
                taken.add(u.index)
        for k in range(n):  # single rows
            if result[k][0] is not None:
                continue
            free = [u for u in fits[k] if u.index not in taken]
            near = [result[j][0].index for j in (k - 1, k + 1) if 0 <= j < n and result[j][0] is not None]
            if not free:
                prev = result[k - 1][0] if k else None
                nxt = units[prev.index + 1] if prev and prev.index + 1 < len(units) else None
                if nxt is not None and nxt.index not in taken and self._adjacent(doc, prev, nxt):
                    result[k] = (nxt, "position", [])
                    taken.add(nxt.index)
                continue
            choice = min(free, key=lambda u: (min((abs(u.index - i) for i in near), default=0), u.index))
            labels = sorted({_item_of(u.label)[0] for u in free})
            how = "unique" if len(free) == 1 else "chosen"
            result[k] = (choice, how, labels if len(labels) > 1 else [])
            taken.add(choice.index)
        return result

    # -- rows ------------------------------------------------------------------------------

    def _unit_rows(self, doc, u: UnitLine, service, table_kind, *, anchor: Line, extra: list[Line],
                   band_item: str | None = None) -> list[TariffRow]:
        label = u.label
        conditions: list[str] = []
        if u.band and band_item:  # a band of an addition's own table (移動介護加算 by time)
            item, kind = band_item, "addition"
        elif u.band:
            item = service.canonical if service else ""
            kind = "base"
        else:
            item, rest = _item_of(label)
            conditions += [rest] if rest else []
            kind = kind_of(label) if kind_of(label) != "base" else (table_kind or "base")
        visit = bool(u.band) and service is not None and service.scheme == "shogai"
        units_value = u.base if u.step else u.value
        return [
            self.row(
                doc, [anchor, u.line, *extra], service=service, item=item, label=label, kind=kind,
                time_band=u.band, conditions=conditions, units=units_value, step=u.step,
                basis="visit" if visit else parse_basis(label),
            )
        ]

    def _rate_rows(self, doc: Document, in_tables: set[int], service: Service | None) -> list[TariffRow]:
        rows = []
        for ln in doc.lines:
            if id(ln) in in_tables or "%" not in ln.text or "加算" not in ln.text:
                continue
            rate = parse_rate(ln.text)
            if rate is None:
                continue
            label = ln.text.strip()
            rows.append(
                self.row(
                    doc, [ln], service=service, item=_item_of(label)[0],
                    label=label, kind="addition", rate=rate.value, rate_op=rate.op, basis=parse_basis(label),
                )
            )
        return rows

    @staticmethod
    def _name_groups(paired: list[tuple[UnitLine, list[TariffRow]]], blocks: list[list[list[str]]], service) -> None:
        """Name each run of time bands after the service-content list printed for it:
        bands restart ('30分未満') where a new sub-service begins, and the names are listed
        in the same order, one group per blank-line block. A list that names another
        service belongs to another table; a name that is the table's own service keeps
        the service as the item."""
        groups: list[list[list[TariffRow]]] = []
        for u, rows in paired:
            if not u.band:
                continue
            if not groups or "以上" not in u.band:
                groups.append([])
            groups[-1].append(rows)
        if not groups:
            return
        for block in blocks:
            named = [find_service(n) for names in block for n in names]
            # a list may name more sub-services than there are runs of bands: the last ones are
            # priced per trip, with no band (通院等乗降介助), and name no run
            if len(block) < len(groups) or any(s is not None and s != service for s in named):
                continue
            blocks.remove(block)  # each printed list names one table
            for names, group in zip(block, groups):
                names = [n for n in names if find_service(n) is None]
                if not names:
                    continue
                for rows in group:
                    first = rows[0]
                    first.item = canonical_item(names[0])
                    first.kind = _named_kind(first)
                    for extra in names[1:]:
                        rows.append(first.model_copy(deep=True, update={"item": canonical_item(extra)}))
            return

    @staticmethod
    def _name_blocks(doc: Document) -> list[list[list[str]]]:
        """Lists of sub-service names under 'サービス内容' headers, one group per block."""
        blocks: list[list[list[str]]] = []
        cur: list[list[str]] | None = None
        group: list[str] = []
        for ln in doc.lines:
            t = ln.text.strip()
            if "サービス内容" in t:
                cur, group = [], []
                blocks.append(cur)
                continue
            if cur is None:
                continue
            if not t:
                if group:
                    cur.append(group)
                    group = []
                continue
            if "算定" in t or _UNIT_LINE.match(t) or _YEN.search(t):
                if group:
                    cur.append(group)
                cur, group = None, []
                continue
            if group and (t.startswith("(") or group[-1].count("(") > group[-1].count(")")):
                group[-1] += t  # a name broken over lines
            else:
                group.append(t)
        if cur is not None and group:
            cur.append(group)
        return blocks
