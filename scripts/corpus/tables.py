"""The tables of one document and the rows a careful reader sees in them.

The expected rows are built first and the cells are printed from them, so a cell and its
expectation cannot drift apart.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal

from . import money, words
from .axes import AMOUNT_SETS
from .model import Table
from .units import Item, Service

_BAND = re.compile(r"^(?:(?P<lo>(?:\d+時間)?(?:\d+分)?)以上)?(?:(?P<hi>(?:\d+時間)?(?:\d+分)?)未満)?$")


def _minutes(s: str) -> int:
    m = re.fullmatch(r"(?:(\d+)時間)?(?:(\d+)分)?", s)
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


def band_text(canon: str, style: str) -> str:
    """A canonical band ('30分以上1時間未満') as a document prints it in ``style``."""
    m = _BAND.match(canon)
    lo, hi = m.group("lo"), m.group("hi")
    if style == "tilde" and lo and hi:
        return f"{lo}～{hi}未満"
    if style == "minutes" and (lo or hi) and max(_minutes(x) for x in (lo, hi) if x) <= 120:
        parts = []
        if lo:
            parts.append(f"{_minutes(lo)}分以上")
        if hi:
            parts.append(f"{_minutes(hi)}分未満")
        return "".join(parts)
    return canon


def _width(s: str, full: bool) -> str:
    return s.translate(money.FULL_WIDTH) if full else s


def _brackets(s: str, full: bool) -> str:
    return s.replace("(", "（").replace(")", "）") if full else s


def _levels_text(levels: tuple[str, ...], rng: random.Random, full: bool) -> str:
    nums = [lv[-1] for lv in levels]
    if len(nums) == 1:
        text = f"要介護{nums[0]}"
    elif len(nums) > 2 and rng.random() < 0.4:
        text = f"要介護{nums[0]}～{nums[-1]}"
    else:
        text = "要介護" + "・".join(nums)
    return _width(text, full)




class _Builder:
    """Builds the tables and expected rows of one plan from its axes."""

    def __init__(self, rng: random.Random, axes: dict[str, str], svc: Service, price: Decimal):
        self.rng, self.a, self.svc, self.price = rng, axes, svc, price
        self.full = axes["digits"] == "full"
        self.thousands = axes["thousands"] == "comma"
        self.rule = svc.copay
        if self.rule == "shogai" and axes.get("copay_rule") == "kaigo_style":
            self.rule = "shogai_kaigo_style"
        self.keys = AMOUNT_SETS[axes["amounts"]]
        form = axes.get("cell_form", "separate")
        # the amount columns as printed: one per key, the copays in one cell, or the fee with its units
        if form == "inline_copays":
            self.display = [k for k in self.keys if not k.startswith("copay")] + ["inline"]
        elif form == "fee_units":
            self.display = ["fee_units" if k == "total" else k for k in self.keys]
        else:
            self.display = list(self.keys)
        self.units_column = form != "fee_units"
        self.expected: list[dict] = []
        self.errors: list[dict] = []
        self.shogai = svc.scheme == "shogai"
        self._words: list[str] | None = None
        self.units_col = 2  # where the last header put its units column
        # the one wrong amount of the error axis: the n-th row printed (every base table has 5 or more)
        self.error_at = rng.randint(0, 4) if axes.get("error") == "one" else None
        # a planted inconsistency (make_corpus.py --plant; plant.py), or None: it never draws
        # from ``rng``, so a plan without one is the plan it always was
        self.plant = None
        self.table_no: int | None = 0  # the table the next expected row is printed in
        self.row_table: list[int | None] = []  # per expected row: its table
        self.row_items: list[Item | None] = []  # per expected row: the item it prices (None: a rate)
        self.above: dict[int, int] = {}  # expected row -> the row printed above it in its column
        self._printed_units: dict[int, int] = {}  # id(row) -> units printed, where a plant changed them

    # words ---------------------------------------------------------------------------------
    def pick(self, axis: str, options: list[str]) -> str:
        if axis not in self.a:
            self.a[axis] = self.rng.choice(options)
        return self.a[axis]

    def amount_words(self) -> list[str]:
        if self._words is None:
            by_key = dict(zip(self.keys, self._amount_words()))
            out = []
            for d in self.display:
                if d == "inline":
                    out.append(self.a.setdefault("w_copay_group", self.rng.choice(words.COPAY_GROUP)))
                else:
                    out.append(by_key["total" if d == "fee_units" else d])
            self._words = out
        return self._words

    def _amount_words(self) -> list[str]:
        a, keys = self.a["amounts"], self.keys
        if a == "sogaku_kyufu_jiko":
            t = self.rng.choice(words.TRIPLE_SHOGAI if self.shogai else words.TRIPLE)
            self.a["w_total"], self.a["w_benefit"], self.a["w_copay"] = t
            return list(t)
        if a == "sogaku_kyufu":
            t = self.rng.choice(words.PAIR_KYOTAKU)
            self.a["w_total"], self.a["w_benefit"] = t
            return list(t)
        out = []
        for k in keys:
            if k == "total":
                out.append(self.pick("w_total", words.TOTAL_SHOGAI if self.shogai else words.TOTAL))
            elif k == "benefit":
                out.append(self.pick("w_benefit", words.BENEFIT_SHOGAI if self.shogai else words.BENEFIT))
            elif k == "copay1" and "copay2" not in keys:
                out.append(self.pick("w_copay", words.COPAY1_SHOGAI if self.shogai else words.COPAY1))
            else:
                tmpl = self.pick("w_copay", words.COPAYN)
                out.append(tmpl.format(n=k[-1]))
        return out

    # cells ---------------------------------------------------------------------------------
    def yen(self, n: int) -> str:
        return money.yen(n, self.a["yen_form"], self.thousands, self.full)

    def units(self, n: int) -> str:
        return money.units_cell(n, self.a.get("units_form", "bare"), self.thousands, self.full)

    def printed_units(self, row: dict) -> int:
        """The units a row prints: its true units, unless a plant printed others."""
        return self._printed_units.get(id(row), row["true_units"])

    def band(self, item: Item) -> str:
        if not item.band:
            return ""
        text = band_text(item.band, self.a.get("band_style", "kanji"))
        if item.step:
            text += f"（{item.step_minutes}分を増すごとに+{item.step}単位）"
        return _width(text, self.full)

    # rows ----------------------------------------------------------------------------------
    def expect(self, item: Item, name: str | None, keys: list[str], with_units: bool) -> dict:
        plant = self.plant
        units = plant.units_of(item) if plant else item.units
        total = plant.total_of(units, self.price) if plant else None
        amounts = money.amounts(units, self.price, self.rule, total=total) if keys else {}
        row = {
            "item": name, "care_levels": list(item.levels), "time_band": item.band,
            "units": units if with_units else None, "rate": None,
            "amounts": {k: amounts[k] for k in keys}, "step_units": item.step,
            "true_units": units,  # the units behind the printed yen, printed or not (not scored)
        }
        self.row_table.append(self.table_no)
        self.row_items.append(item)
        if plant:
            printed = plant.apply(len(self.expected), row)
            if printed is not None:
                self._printed_units[id(row)] = printed
        if self.error_at is not None and len(self.expected) == self.error_at and row["amounts"]:
            key = self.rng.choice(sorted(row["amounts"]))
            correct = row["amounts"][key]
            wrong = correct + self.rng.choice([1, -1, 10, 100, 9])
            row["amounts"][key] = wrong if wrong > 0 else correct + 1
            self.errors.append({"row": len(self.expected), "amount": key, "printed": row["amounts"][key], "correct": correct})
        self.expected.append(row)
        return row

    def expect_rate(self, name: str, rate: Decimal) -> None:
        self.row_table.append(self.table_no)
        self.row_items.append(None)
        self.expected.append({"item": name, "care_levels": [], "time_band": None, "units": None,
                              "rate": str(rate), "amounts": {}, "step_units": None})

    def rate_text(self, rate: Decimal) -> str:
        pct = (rate * 100).normalize()
        milli = int(rate * 1000)
        return _width(self.rng.choice(words.RATE).format(pct=f"{pct:f}", milli=milli), self.full)

    def amount_cells(self, row: dict) -> list[str]:
        out = []
        for d in self.display:
            if d == "inline":
                out.append("/".join(f"({_width(k[-1], self.full)}割){self.yen(row['amounts'][k])}"
                                    for k in self.keys if k.startswith("copay")))
            elif d == "fee_units":
                u = money.units_cell(self.printed_units(row), "suffix", self.thousands, self.full)
                out.append(f"{self.yen(row['amounts']['total'])}({u})")
            else:
                out.append(self.yen(row["amounts"][d]))
        return out

    # tables --------------------------------------------------------------------------------
    def header(self, lead: list[str], units_word: str | None, amount_words: list[str]) -> tuple[list[list[str]], list]:
        """Header rows (one or two lines) and their spans, in the document's column order."""
        bare_yen = self.a.get("yen_form") == "bare"
        unit_bare = self.a.get("units_form") == "bare"
        cols = list(lead)
        units_at = None
        if units_word is not None:
            units_at = len(cols)
            cols.append(units_word)
        amount_at = len(cols)
        cols += amount_words
        order = self.order(len(lead), units_at, amount_at, len(amount_words))
        self.units_col = order.index(units_at) if units_at is not None else len(lead)
        if self.a["header"] == "one_line":
            row = []
            for i, w in enumerate(cols):
                if i >= amount_at and bare_yen:
                    w += self.rng.choice(["（円）", "(円)"])
                row.append(w)
            return [[row[i] for i in order]], []
        top, bottom = [], []
        grouped = len(amount_words) == 4  # 10割 + 1/2/3割: a group word over the three shares
        for i, w in enumerate(cols):
            paren = re.match(r"^(.+?)([（(].+[）)])$", w)
            if grouped and i > amount_at:
                group = self.a.setdefault("w_copay_group", self.rng.choice(words.COPAY_GROUP)) + ("（円）" if bare_yen else "")
                top.append(group if i == amount_at + 1 else "")
                bottom.append(re.sub(r"\D", "", w) + "割" if re.search(r"\d", w) else w)
            elif paren:
                top.append(paren.group(1))
                bottom.append(paren.group(2) + ("（円）" if i >= amount_at and bare_yen else ""))
            elif i >= amount_at and bare_yen:
                top.append(w)
                bottom.append("（円）")
            elif i == units_at and unit_bare:
                top.append(w)
                bottom.append("（単位）")
            else:
                top.append(w)
                bottom.append("")
        if not any(bottom):  # nothing splits naturally: long words wrap in their narrow columns
            for i in range(len(lead), len(cols)):
                if len(top[i]) >= 4:
                    k = self.rng.choice([len(top[i]) // 2, len(top[i]) - 1])
                    top[i], bottom[i] = top[i][:k], top[i][k:]
        top, bottom = [top[i] for i in order], [bottom[i] for i in order]
        spans = [(c, 0, c, 1, "middle") for c in range(len(top)) if top[c] and not bottom[c]]
        if grouped:
            c0 = order.index(amount_at + 1)
            c1 = order.index(amount_at + 3)
            if c1 - c0 == 2:
                spans.append((c0, 0, c1, 0, "middle"))
        return [top, bottom], spans

    def order(self, n_lead: int, units_at: int | None, amount_at: int, n_amounts: int) -> list[int]:
        lead = list(range(n_lead))
        units = [units_at] if units_at is not None else []
        amts = list(range(amount_at, amount_at + n_amounts))
        if self.a["column_order"] == "copay_first" and n_amounts:
            copays = [i for i, k in zip(amts, self.display) if k.startswith("copay") or k == "inline"]
            others = [i for i in amts if i not in copays]
            return lead + copays + others + units
        return lead + units + amts

    def table(self, head: list[list[str]], head_spans: list, body: list[list[str]], body_spans: list,
              numeric_from: int) -> Table:
        n = len(head)
        spans = list(head_spans) + [(c0, r0 + n, c1, r1 + n, v) for c0, r0, c1, r1, v in body_spans]
        return Table(rows=head + body, n_head=n, spans=spans, numeric=set(range(numeric_from, len(head[0]))))

    def reorder(self, cells: list[str], n_lead: int, has_units: bool) -> list[str]:
        units_at = n_lead if has_units else None
        amount_at = n_lead + (1 if has_units else 0)
        order = self.order(n_lead, units_at, amount_at, len(cells) - amount_at)
        return [cells[i] for i in order]

    def merge(self, body: list[list[str]], groups: list[tuple[int, int]], col: int = 0) -> list:
        """Apply the label_cell axis to a label column: repeated, or one merged cell per group."""
        style = self.a["label_cell"]
        spans = []
        for r0, r1 in groups:
            label = body[r0][col]
            if style == "repeated" or r1 == r0:
                for r in range(r0, r1 + 1):
                    body[r][col] = label
                continue
            for r in range(r0, r1 + 1):
                body[r][col] = ""
            body[r0][col] = label
            spans.append((col, r0, col, r1, "middle" if style == "merged_centre" else "top"))
        return spans

    def base_long(self) -> Table:
        svc = self.svc
        key = self.a["service"]
        lead: list[str]
        if key == "tsusho":
            lead = [self.pick("w_band", words.BAND), self.pick("w_level", words.LEVEL)]
        elif key == "roken":
            lead = [self.pick("w_item", words.ROOM), self.pick("w_level", words.LEVEL)]
        elif key == "kyotaku_shien":
            lead = [self.pick("w_item", words.ITEM_KYOTAKU), self.pick("w_level", words.LEVEL)]
        else:
            lead = [self.pick("w_item", words.ITEM), self.pick("w_band", words.BAND)]
        units_word = self.pick("w_units", words.UNITS_SHOGAI if self.shogai else words.UNITS) if self.units_column else None
        head, hspans = self.header(lead, units_word, self.amount_words())
        body, groups = [], []
        self.table_no = 0
        for label, items in self.groups():
            r0 = len(body)
            for it in items:
                if body:
                    self.above[len(self.expected)] = len(self.expected) - 1
                if key == "tsusho":
                    first, second, name = self.band(it), _levels_text(it.levels, self.rng, self.full), None
                elif key in ("roken", "kyotaku_shien"):
                    first, second, name = _brackets(label, self.full), _levels_text(it.levels, self.rng, self.full), it.item
                else:
                    first, second, name = _brackets(label, self.full), self.band(it), it.item
                row = self.expect(it, name, self.keys, True)
                units = [self.units(self.printed_units(row))] if self.units_column else []
                body.append(self.reorder([first, second, *units] + self.amount_cells(row), 2, self.units_column))
            groups.append((r0, len(body) - 1))
        spans = self.merge(body, groups)
        return self.table(head, hspans, body, spans, 2)

    def groups(self) -> list[tuple[str, list[Item]]]:
        gs = self.svc.groups
        if self.a["service"] == "tsusho":  # a day service prints the bands it offers
            k = self.rng.randint(3, len(gs))
            start = self.rng.randint(0, len(gs) - k)
            return gs[start:start + k]
        if self.a["service"] == "shogai_kyotaku":
            return gs[: self.rng.randint(2, len(gs))]
        return gs

    def base_wide(self) -> Table:
        key = self.a["service"]
        first = self.pick("w_band", words.BAND) if key == "tsusho" else self.pick("w_item", words.ROOM)
        qty = self.keys[0] if self.keys else "units"
        lv = self.rng.choice(words.LEVEL_HEAD)
        if self.a["header"] == "two_line":
            group = self.pick("w_level", words.LEVEL)
            head = [[first, group, "", "", "", ""], ["", *[_width(str(n), self.full) for n in range(1, 6)]]]
            hspans = [(0, 0, 0, 1, "middle"), (1, 0, 5, 0, "middle")]
        else:
            self.a["w_level"] = lv.format(n="N")
            head = [[first, *[_width(lv.format(n=n), self.full) for n in range(1, 6)]]]
            hspans = []
        body = []
        self.table_no = 0
        for label, items in self.groups():
            cells = [self.band(items[0]) if key == "tsusho" else _brackets(label, self.full)]
            for it in items:
                if body:
                    self.above[len(self.expected)] = len(self.expected) - len(items)
                row = self.expect(it, None if key == "tsusho" else it.item, self.keys, qty == "units")
                cells.append(self.units(self.printed_units(row)) if qty == "units" else self.yen(row["amounts"][qty]))
            body.append(cells)
        return self.table(head, hspans, body, [], 1)

    def base_levels_rows(self, stacked: bool) -> Table:
        """Care levels as rows, bands or rooms as columns. ``stacked``: each level a units line
        and, under it, a yen line (as day-service pages print it); otherwise one quantity."""
        key = self.a["service"]
        groups = self.groups()
        qty = self.keys[0] if self.keys else "units"
        level_word = self.pick("w_level", words.LEVEL)
        labels = [self.band(items[0]) if key == "tsusho" else _brackets(label, self.full) for label, items in groups]
        if self.a["header"] == "two_line":
            group_word = self.pick("w_band", words.BAND) if key == "tsusho" else self.pick("w_item", words.ROOM)
            head = [[level_word, group_word] + [""] * (len(labels) - 1), [""] + labels]
            hspans = [(0, 0, 0, 1, "middle"), (1, 0, len(labels), 0, "middle")]
        else:
            head, hspans = [[level_word] + labels], []
        body = []
        self.table_no = 0
        for n in range(5):
            units_line, yen_line = [_width(f"要介護{n + 1}", self.full)], [""]
            for label, items in groups:
                it = items[n]
                if n:
                    self.above[len(self.expected)] = len(self.expected) - len(groups)
                row = self.expect(it, None if key == "tsusho" else it.item, self.keys, stacked or qty == "units")
                if stacked:
                    units_line.append(self.units(self.printed_units(row)))
                    yen_line.append(self.yen(row["amounts"][qty]))
                else:
                    units_line.append(self.units(self.printed_units(row)) if qty == "units" else self.yen(row["amounts"][qty]))
            body.append(units_line)
            if stacked:
                body.append(yen_line)
        t = self.table(head, hspans, body, [], 1)
        t.keep = 2 if stacked else 1
        return t

    def add_items(self) -> list[Item]:
        adds = self.svc.adds
        k = self.rng.randint(3, min(7, len(adds)))
        picked = sorted(self.rng.sample(range(len(adds)), k))
        return [adds[i] for i in picked]

    def add_rows(self, table: Table) -> None:
        """Additions appended to the base table: name in the label column, basis beside it."""
        for it in self.add_items():
            self.above[len(self.expected)] = len(self.expected) - 1
            row = self.expect(it, it.item, self.keys, True)
            units = [self.units(self.printed_units(row))] if self.units_column else []
            cells = self.reorder([_brackets(it.item, self.full), _width(it.basis or "", self.full), *units]
                                 + self.amount_cells(row), 2, self.units_column)
            table.rows.append(cells)
        if self.a.get("rate_row") == "yes":
            self.rate_in(table)

    def rate_in(self, table: Table) -> None:
        r = self.rng.choice(self.svc.rates)
        self.expect_rate(r.item, r.rate)
        cells = [""] * table.ncols
        cells[0] = _brackets(r.item, self.full)
        cells[1] = "1月につき"
        cells[self.units_col] = self.rate_text(r.rate)
        table.rows.append(cells)

    def adds_table(self) -> Table:
        lead = [self.pick("w_add", words.ADD), self.pick("w_basis", words.BASIS)]
        wide = self.a.get("shape") in ("wide", "wide_t")
        keys = self.keys
        units_word = self.a.get("w_units") or self.pick("w_units", words.UNITS_SHOGAI if self.shogai else words.UNITS)
        if (wide and keys) or not self.units_column:  # a grid of one quantity: its additions in that quantity alone
            head, hspans = self.header(lead, None, self.amount_words())
        else:
            head, hspans = self.header(lead, units_word, self.amount_words())
        body = []
        self.table_no = 1
        for it in self.add_items():
            with_units = not (wide and keys)  # the fee's own bracket prints the units when there is no column
            if body:
                self.above[len(self.expected)] = len(self.expected) - 1
            row = self.expect(it, it.item, keys, with_units)
            cells = [_brackets(it.item, self.full), _width(it.basis or "", self.full)]
            if with_units and self.units_column:
                cells.append(self.units(self.printed_units(row)))
            cells += self.amount_cells(row)
            body.append(self.reorder(cells, 2, with_units and self.units_column))
        t = self.table(head, hspans, body, [], 2)
        if self.a.get("rate_row") == "yes":
            self.rate_in(t)
        return t
