"""One document's plan: its axes (drawn from a seeded RNG), its pages of blocks and tables,
and the rows a careful reader sees in it (the expectations).

A plan is pure data; ``text`` and ``pdf`` render it. The expected rows are built first and
the cells are printed from them, so a cell and its expectation cannot drift apart.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import money, words
from .units import SERVICES, Item, Service

# ---- axes -------------------------------------------------------------------------------

KIND_WEIGHT = {"text": 0.44, "pdf": 0.44, "scan": 0.12}
CARRIERS = ["one_page", "bessi", "two_pages", "two_tables", "landscape", "side_by_side"]
TEXT_CARRIERS = CARRIERS[:4]  # landscape and side by side are page geometry: PDF and scans only
AMOUNT_SETS = {
    "total": ["total"],
    "copay1": ["copay1"],
    "total_copay1": ["total", "copay1"],
    "total_copay123": ["total", "copay1", "copay2", "copay3"],
    "copay123": ["copay1", "copay2", "copay3"],
    "total_benefit_copay1": ["total", "benefit", "copay1"],
    "sogaku_kyufu_jiko": ["total", "benefit", "copay1"],
    "sogaku_kyufu": ["total", "benefit"],
    "units_only": [],
}
AMOUNTS_FOR = {
    # the 1/2/3割 sets drawn twice: common, and only 介護 services other than 居宅介護支援 print them
    "kaigo": ["total", "copay1", "total_copay1", "total_copay123", "total_copay123", "copay123", "copay123", "total_benefit_copay1", "sogaku_kyufu_jiko",
              "units_only"],
    "full": ["total", "sogaku_kyufu", "units_only"],
    "shogai": ["total", "copay1", "total_copay1", "total_benefit_copay1", "sogaku_kyufu_jiko", "units_only"],
}
TEXT_FORMS = ["tabs", "spaces", "fullwidth", "markdown", "cell_per_line", "run_together"]
ENCODINGS = ["utf-8", "cp932", "euc-jp"]
AXES = [  # every axis a document may carry, in index order
    "kind", "service", "carrier", "rules", "label_cell", "header", "column_order", "shape", "amounts", "cell_form",
    "digits", "yen_form", "units_form", "thousands", "price_form", "grade", "copay_rule", "band_style",
    "adds", "rate_row", "error", "text_form", "encoding", "scan_dpi",
    "w_item", "w_band", "w_level", "w_units", "w_total", "w_benefit", "w_copay", "w_copay_group", "w_add", "w_basis",
]
# header wording: drawn from long lists of real spellings, so each value is rarer than 5 %
WORDING_AXES = {a for a in AXES if a.startswith("w_")}
# the values each other axis takes (scan_dpi and the text axes only on their kinds)
AXIS_VALUES = {
    "kind": list(KIND_WEIGHT), "service": ["houmon_kaigo", "houmon_kango", "tsusho", "kyotaku_shien", "roken",
                                           "shogai_kyotaku", "shogai_judo"],
    "carrier": CARRIERS, "rules": ["ruled", "unruled", "zebra"], "label_cell": ["repeated", "merged_centre", "merged_top"],
    "header": ["one_line", "two_line"], "column_order": ["usual", "copay_first"], "shape": ["long", "wide", "wide_t", "stacked"],
    "cell_form": ["separate", "inline_copays", "fee_units"],
    "amounts": list(AMOUNT_SETS), "digits": ["half", "full"], "yen_form": ["suffix", "yen", "fullyen", "bare"],
    "units_form": ["suffix", "bare"], "thousands": ["comma", "none"], "price_form": ["stated", "grade", "footnote", "none"],
    "grade": ["1級地", "2級地", "3級地", "4級地", "5級地", "6級地", "7級地", "その他"],
    "copay_rule": ["official", "kaigo_style"], "band_style": ["kanji", "tilde", "minutes"],
    "adds": ["none", "rows", "table"], "rate_row": ["none", "yes"], "error": ["none", "one"],
    "text_form": TEXT_FORMS, "encoding": ENCODINGS, "scan_dpi": ["200", "300"],
}


@dataclass
class Table:
    rows: list[list[str]]  # header rows first, then body rows; "" under a span
    n_head: int
    spans: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # c0, r0, c1, r1, valign
    numeric: set[int] = field(default_factory=set)  # columns printed right-aligned
    keep: int = 1  # body rows that belong together (a units line and its yen line): never split

    @property
    def ncols(self) -> int:
        return len(self.rows[0])


@dataclass
class Plan:
    name: str
    axes: dict[str, str]
    service: Service
    unit_price: Decimal
    price_knowable: bool
    pages: list[list[tuple[str, object]]]  # blocks: ("title"|"heading"|"para"|"note", str) or ("table", Table)
    expected: list[dict]
    errors: list[dict]
    landscape: bool = False

    @property
    def ext(self) -> str:
        k = self.axes["kind"]
        if k in ("pdf", "scan"):
            return ".pdf"
        return ".md" if self.axes["text_form"] == "markdown" else ".txt"

    def expectations(self) -> dict:
        return {
            "doc": self.name + self.ext, "axes": self.axes, "unit_price": str(self.unit_price),
            "price_known": self.price_knowable, "price_form": self.axes["price_form"],
            "scheme": self.service.scheme, "service": self.service.name, "rows": self.expected,
            "errors": self.errors,
        }


# ---- printed forms ------------------------------------------------------------------------

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


# ---- the plan -----------------------------------------------------------------------------

def choose_axes(rng: random.Random, kinds: list[str], index: int) -> dict[str, str]:
    a: dict[str, str] = {}
    weights = [KIND_WEIGHT[k] for k in kinds]
    a["kind"] = rng.choices(kinds, weights)[0]
    a["service"] = rng.choice(list(SERVICES))
    svc_key = a["service"]
    visual = a["kind"] in ("pdf", "scan")
    a["carrier"] = rng.choice(CARRIERS if visual else TEXT_CARRIERS)
    if visual:
        a["rules"] = rng.choice(["ruled", "unruled", "zebra"])
    a["label_cell"] = rng.choice(["repeated", "merged_centre", "merged_top"])
    a["header"] = rng.choice(["one_line", "two_line"])
    a["column_order"] = rng.choice(["usual", "copay_first"])
    rule = SERVICES[svc_key][0].copay
    if SERVICES[svc_key][0].grid:
        # bands or rooms x care levels: one row each (long), bands as rows and levels as columns
        # (wide), levels as rows (wide_t), or levels as rows with a units line over a yen line
        a["shape"] = rng.choices(["long", "wide", "wide_t", "stacked"], [0.31, 0.23, 0.23, 0.23])[0]
    shape = a.get("shape", "long")
    if shape != "long":
        del a["label_cell"]  # no label column to merge
    a["amounts"] = rng.choice(AMOUNTS_FOR[rule] if shape == "long" else
                              ["copay1", "total"] if shape == "stacked" else ["units_only", "copay1", "total"])
    if shape == "long":
        keys = AMOUNT_SETS[a["amounts"]]
        forms = ["separate"]
        if a["amounts"] in ("total_copay123", "copay123"):
            forms.append("inline_copays")  # (1割)668円/(2割)1,335円/(3割)2,002円 in one cell
        if "total" in keys:
            forms.append("fee_units")  # 4,303円(387単位): units in brackets after the fee
        if len(forms) > 1:
            draw = rng.random()
            if "inline_copays" in forms:
                a["cell_form"] = "inline_copays" if draw < 0.65 else "separate"
            else:
                a["cell_form"] = "fee_units" if draw < 0.3 else "separate"
    a["digits"] = rng.choice(["half", "full"])
    has_yen = a["amounts"] != "units_only"
    stacked = shape == "stacked"  # a units line over a yen line: each number says what it is
    if has_yen:
        a["yen_form"] = rng.choice(["suffix", "yen", "fullyen"] if stacked else ["suffix", "yen", "fullyen", "bare"])
    wide = a.get("shape") in ("wide", "wide_t")
    if not wide or a["amounts"] == "units_only":
        a["units_form"] = "suffix" if stacked else rng.choice(["suffix", "bare"])
    a["thousands"] = rng.choice(["comma", "none"])
    a["price_form"] = rng.choice(["stated", "grade", "footnote", "none"])
    a["grade"] = rng.choice(list(money.GRADES))
    if rule == "shogai" and a["amounts"] not in ("units_only", "total"):
        a["copay_rule"] = rng.choice(["official", "kaigo_style"])
    if svc_key not in ("kyotaku_shien", "roken"):
        a["band_style"] = rng.choice(["kanji", "tilde"] if svc_key == "tsusho" else ["kanji", "tilde", "minutes"])
    if a["carrier"] in ("two_tables", "side_by_side"):
        a["adds"] = "table"
    else:
        a["adds"] = rng.choice(["none", "rows", "table"] if shape == "long" else ["none", "table"])
    if SERVICES[svc_key][0].rates:
        a["rate_row"] = rng.choice(["none", "yes"])
    if has_yen:
        a["error"] = "one" if rng.random() < 0.12 else "none"
    if a["kind"] == "text":
        a["text_form"] = rng.choice(TEXT_FORMS)
        a["encoding"] = rng.choice(ENCODINGS)
    if a["kind"] == "scan":
        a["scan_dpi"] = rng.choice(["200", "300"])
    return a


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

    def band(self, item: Item) -> str:
        if not item.band:
            return ""
        text = band_text(item.band, self.a.get("band_style", "kanji"))
        if item.step:
            text += f"（{item.step_minutes}分を増すごとに+{item.step}単位）"
        return _width(text, self.full)

    # rows ----------------------------------------------------------------------------------
    def expect(self, item: Item, name: str | None, keys: list[str], with_units: bool) -> dict:
        amounts = money.amounts(item.units, self.price, self.rule) if keys else {}
        row = {
            "item": name, "care_levels": list(item.levels), "time_band": item.band,
            "units": item.units if with_units else None, "rate": None,
            "amounts": {k: amounts[k] for k in keys}, "step_units": item.step,
            "true_units": item.units,  # the units behind the printed yen, printed or not (not scored)
        }
        if self.error_at is not None and len(self.expected) == self.error_at and row["amounts"]:
            key = self.rng.choice(sorted(row["amounts"]))
            correct = row["amounts"][key]
            wrong = correct + self.rng.choice([1, -1, 10, 100, 9])
            row["amounts"][key] = wrong if wrong > 0 else correct + 1
            self.errors.append({"row": len(self.expected), "amount": key, "printed": row["amounts"][key], "correct": correct})
        self.expected.append(row)
        return row

    def expect_rate(self, name: str, rate: Decimal) -> None:
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
                u = money.units_cell(row["true_units"], "suffix", self.thousands, self.full)
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
        for label, items in self.groups():
            r0 = len(body)
            for it in items:
                if key == "tsusho":
                    first, second, name = self.band(it), _levels_text(it.levels, self.rng, self.full), None
                elif key in ("roken", "kyotaku_shien"):
                    first, second, name = _brackets(label, self.full), _levels_text(it.levels, self.rng, self.full), it.item
                else:
                    first, second, name = _brackets(label, self.full), self.band(it), it.item
                row = self.expect(it, name, self.keys, True)
                units = [self.units(it.units)] if self.units_column else []
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
        for label, items in self.groups():
            cells = [self.band(items[0]) if key == "tsusho" else _brackets(label, self.full)]
            for it in items:
                row = self.expect(it, None if key == "tsusho" else it.item, self.keys, qty == "units")
                cells.append(self.units(it.units) if qty == "units" else self.yen(row["amounts"][qty]))
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
        for n in range(5):
            units_line, yen_line = [_width(f"要介護{n + 1}", self.full)], [""]
            for label, items in groups:
                it = items[n]
                row = self.expect(it, None if key == "tsusho" else it.item, self.keys, stacked or qty == "units")
                if stacked:
                    units_line.append(self.units(it.units))
                    yen_line.append(self.yen(row["amounts"][qty]))
                else:
                    units_line.append(self.units(it.units) if qty == "units" else self.yen(row["amounts"][qty]))
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
            row = self.expect(it, it.item, self.keys, True)
            units = [self.units(it.units)] if self.units_column else []
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
        for it in self.add_items():
            with_units = not (wide and keys)  # the fee's own bracket prints the units when there is no column
            row = self.expect(it, it.item, keys, with_units)
            cells = [_brackets(it.item, self.full), _width(it.basis or "", self.full)]
            if with_units and self.units_column:
                cells.append(self.units(it.units))
            cells += self.amount_cells(row)
            body.append(self.reorder(cells, 2, with_units and self.units_column))
        t = self.table(head, hspans, body, [], 2)
        if self.a.get("rate_row") == "yes":
            self.rate_in(t)
        return t




def price_lines(b: _Builder, grade: str) -> tuple[str | None, str | None]:
    """(line above the table, footnote under it) for the price_form axis."""
    form, rng = b.a["price_form"], b.rng
    p = b.price
    shown = f"{p.normalize():f}" if rng.random() < 0.3 else f"{p:.2f}"
    if form == "stated":
        return _width(rng.choice(words.PRICE_STATED).format(p=shown), b.full), None
    if form == "grade":
        return rng.choice(words.PRICE_GRADE).format(g=grade), None
    if form == "footnote":
        return None, _width(rng.choice(words.PRICE_FOOT).format(p=shown), b.full)
    return None, None


def make_plan(seed: int, index: int, kinds: list[str]) -> Plan:
    rng = random.Random(f"tariff-corpus:{seed}:{index}")
    axes = choose_axes(rng, kinds, index)
    svc = rng.choice(SERVICES[axes["service"]])
    price = money.price_of(svc.klass, axes["grade"])
    b = _Builder(rng, axes, svc, price)
    shape = axes.get("shape", "long")
    base = (b.base_wide() if shape == "wide" else b.base_levels_rows(shape == "stacked") if shape in ("wide_t", "stacked")
            else b.base_long())
    tables = [base]
    if axes["adds"] == "rows":
        b.add_rows(base)
    elif axes["adds"] == "table":
        tables.append(b.adds_table())
    if axes.get("rate_row") == "yes" and axes["adds"] == "none":
        r = rng.choice(svc.rates)
        b.expect_rate(r.item, r.rate)
        rate_note = f"※{r.item}：{b.rate_text(r.rate)}を加算します。"
    else:
        rate_note = None
    above, foot = price_lines(b, axes["grade"])
    knowable = axes["price_form"] != "none" or axes["amounts"] != "units_only"
    pages = _layout(rng, axes, svc, tables, above, foot, rate_note)
    name = f"c{index:04d}_{axes['service']}"
    return Plan(name, axes, svc, price, knowable, pages, b.expected, b.errors,
                landscape=axes["carrier"] in ("landscape", "side_by_side"))


# ---- pages --------------------------------------------------------------------------------

def _title(rng: random.Random, svc: Service, axes: dict) -> tuple[str, str]:
    facility = rng.choice(words.FACILITY) + words.OFFICE[axes["service"]]
    title = rng.choice([f"{svc.name} 料金表", f"{svc.name}サービス利用料金表", f"ご利用料金のご案内（{svc.name}）",
                        f"{svc.name} 利用料金一覧（令和6年度介護報酬改定対応）" if svc.scheme == "kaigo" else f"{svc.name} 利用者負担額一覧"])
    return facility, title


def _heading(axes: dict, svc: Service, which: str) -> str:
    if which == "base":
        shape, amounts = axes.get("shape"), axes["amounts"]
        what = {"copay1": "1割負担", "total": "10割", "units_only": "単位数"}.get(amounts, "")
        if shape in ("wide", "wide_t"):
            q = f"（{what}{'、単位：円' if axes.get('yen_form') == 'bare' else ''}）"
        elif shape == "stacked":
            q = f"（上段：単位数　下段：{'利用者負担額' if amounts == 'copay1' else '利用料'}）"
        else:
            q = ""
        return f"■ {svc.name} 基本料金{q}"
    return "■ 加算（算定要件を満たす場合）"


def _prose(rng: random.Random, svc: Service, axes: dict, facility: str) -> list[list[tuple[str, object]]]:
    """The pages of a 重要事項説明書 before its 別紙, with numbers that are not fees."""
    key = axes["service"]
    p1 = [("title", f"{svc.name} 重要事項説明書"), ("para", f"事業者：社会福祉法人{rng.choice(words.FACILITY)}会"),
          ("para", f"事業所名：{facility}"),
          ("para", f"所在地：〒{rng.randint(100, 999)}-{rng.randint(1000, 9999)} 市内{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"),
          ("para", f"電話番号：0{rng.randint(3, 99)}-{rng.randint(100, 9999)}-{rng.randint(1000, 9999)}"),
          ("heading", "1. 事業の目的及び運営の方針"),
          ("para", f"当事業所は、介護保険法その他関係法令に従い、利用者がその有する能力に応じ自立した日常生活を営むことができるよう、{svc.name}を提供します。"),
          ("heading", "2. 営業日及び営業時間"),
          ("para", "営業日：月曜日から金曜日（祝日及び12月30日から1月3日までを除く）"),
          ("para", f"営業時間：{rng.choice(['8時30分', '9時00分'])}から{rng.choice(['17時30分', '18時00分'])}まで"),
          ("heading", "3. 職員の体制"),
          ("para", f"管理者 1名、従業者 {rng.randint(3, 15)}名（常勤 {rng.randint(2, 5)}名）")]
    extras = words.EXTRAS[words.EXTRAS_OF[key]]
    p2 = [("heading", "4. 利用料金"),
          ("para", "介護保険の適用がある場合は、別紙の料金表のとおりです。" if svc.scheme == "kaigo"
           else "障害福祉サービスの利用者負担は、別紙の料金表のとおりです。"),
          ("heading", "5. その他の費用（実費）")]
    p2 += [("para", f"（{i + 1}）{e}") for i, e in enumerate(rng.sample(extras, min(len(extras), rng.randint(2, 4))))]
    p2 += [("heading", "6. 苦情相談窓口"),
           ("para", f"受付時間：平日 9時～17時　電話 0{rng.randint(3, 99)}-{rng.randint(100, 9999)}-{rng.randint(1000, 9999)}"),
           ("para", f"令和{rng.randint(6, 7)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 説明者：管理者")]
    return [p1, p2]


def _split(t: Table) -> tuple[Table, Table]:
    """A table over two pages, its header repeated on the second; a label merged over the
    break is printed again at the top of the continued part."""
    body = t.rows[t.n_head:]
    cut = max(t.keep, len(body) // 2 // t.keep * t.keep)
    head = [list(r) for r in t.rows[:t.n_head]]
    hspans = [s for s in t.spans if s[1] < t.n_head]
    first_sp, second_sp = [], []
    second_body = [list(r) for r in body[cut:]]
    for c0, r0, c1, r1, v in t.spans:
        if r0 < t.n_head:
            continue
        b0, b1 = r0 - t.n_head, r1 - t.n_head
        if b1 < cut:
            first_sp.append((c0, r0, c1, r1, v))
        elif b0 >= cut:
            second_sp.append((c0, r0 - cut, c1, r1 - cut, v))
        else:
            if cut - 1 > b0:
                first_sp.append((c0, r0, c1, cut - 1 + t.n_head, v))
            second_body[0][c0] = body[b0][c0]
            if b1 > cut:
                second_sp.append((c0, t.n_head, c1, b1 - cut + t.n_head, v))
    a = Table(head + [list(r) for r in body[:cut]], t.n_head, hspans + first_sp, set(t.numeric))
    b = Table([list(r) for r in head] + second_body, t.n_head, list(hspans) + second_sp, set(t.numeric))
    return a, b


def _layout(rng, axes, svc, tables, above, foot, rate_note) -> list[list[tuple[str, object]]]:
    facility, title = _title(rng, svc, axes)
    pool = words.NOTES_SHOGAI if svc.scheme == "shogai" else words.NOTES_FULL if svc.copay == "full" else words.NOTES
    notes = [("note", rng.choice(pool))]
    if foot:
        notes.insert(0, ("note", foot))
    if rate_note:
        notes.append(("note", rate_note))
    head_blocks = [("title", title), ("para", facility)]
    if above:
        head_blocks.append(("para", above))
    carrier = axes["carrier"]
    base = [("heading", _heading(axes, svc, "base")), ("table", tables[0])]
    adds = [("heading", _heading(axes, svc, "adds")), ("table", tables[1])] if len(tables) > 1 else []
    if carrier == "bessi":
        pages = _prose(rng, svc, axes, facility)
        n = rng.choice([1, 2, 3])
        label = f"別紙{n}　{svc.name} 利用料金表"
        last = [("title", label)] + ([("para", above)] if above else []) + base + adds + notes
        return pages + [last]
    if carrier == "side_by_side":  # 基本 on the left, 加算 on the right of a landscape page
        return [head_blocks + [("pair", (base[0][1], tables[0], adds[0][1], tables[1]))] + notes]
    if carrier == "two_pages":
        a, b = _split(tables[0])
        p1 = head_blocks + [base[0], ("table", a)]
        p2 = [("table", b)] + adds + notes
        return [p1, p2]
    return [head_blocks + base + adds + notes]
