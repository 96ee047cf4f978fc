"""Family: a facility's fee sheet printed from a spreadsheet whose text stream separates
labels from amounts (seed 002 and its kin: 老健 / 特養 入所利用料金表).

  入所利用料金表 介護保険一部負担額 (1割負担)
  介護度1 介護度2 介護度3 介護度4 介護度5          a grid of yen by care level
  793円 843円 908円 961円 1012円
  1日 60円                                          amounts whose labels are elsewhere
  〇サービス提供体制強化加算Ⅰ 1日 22円             label and amount on one line
  〇リハビリテーションマネジメント / 計画書情報加算Ⅰ / 1月 53円   amount on the next line
  ○介護職員処遇改善加算Ⅰ 基本料金+加算を算定した金額の3.9%相当
  基本料金+加算を算定した金額の0.8%相当 ↓ (令和6年6月改定) …の7.5%相当

Text order pairs a label only with an amount on its own line or on the next non-blank
line (two lines at most); every other amount is an orphan, reported with its line and
value, for geometry to pair. A value before a '↓ (…改定)' arrow ends the day before
the revision, a value after it starts on it; a reviewed revision table
(data/revisions.json) refuses a pairing whose period contradicts the item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import regex as re

from .. import eras, findings, revisions
from ..model import TariffRow
from ..numbers import NUMBER, YEN_AMOUNT, parse_rate, to_int
from ..services import find_service
from ..sources.base import Document, Line
from ..terms import canonical_item, kind_of, parse_basis, parse_care_levels, split_fee_name
from ..text import squeeze
from .base import Parsed, Recognizer, register, sibling_periods

_LABEL = re.compile(r"^\s*(?:[〇○◯●◎・]|算\s*[〇○])\s*(?P<rest>.+)$")
_AMOUNT = re.compile(
    rf"(?P<basis>1\s*[日月回食](?:\s*に\s*つき)?|片道(?:\s*につき)?|往復)\s*(?P<sign>[▲△▼-])?\s*(?P<yen>{NUMBER})\s*円")
_YEN = re.compile(rf"(?<![\d.,])({NUMBER})\s*円")
_CELL_YEN = YEN_AMOUNT  # a grid cell: '793円' or '￥893'
_CELL_UNITS = re.compile(rf"(?<![\d.,])({NUMBER})\s*単位")
_SIGNED_YEN = re.compile(rf"([▲△▼-])?\s*(?<![\d.,])({NUMBER})\s*円")
_OWN_COST = re.compile(r"食費|居住費|滞在費|実費")
_PER_LABEL = re.compile(r"1\s*[日月回食]\s*(?:に\s*)?つき")
_LABEL_UNITS = re.compile(rf"[(（]\s*([-−])?\s*({NUMBER})\s*単位\s*(?:/\s*[日月回])?\s*[)）]")  # （60単位）（24単位/日）（-30単位）
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*%\s*相当")
_SHARE = re.compile(r"\(\s*([123])\s*割\s*負担\s*\)|([123])割負担")
_ARROW = re.compile(r"^\s*[↓⇓]\s*$")
_ARROW_NOTE = re.compile(r"改定|から|以降|より")  # what the line after a '↓' says of its date


@dataclass
class Label:
    line: Line
    name: str
    lines: list[Line]
    description: list[Line] = field(default_factory=list)


@dataclass
class Amount:
    line: Line
    yen: int | None
    basis: str | None
    rate: object | None
    text: str
    paired: bool = False
    period: tuple[date | None, date | None] = (None, None)
    more: list[int] = field(default_factory=list)  # the next shares' amounts ('1日 25円 49円')


@register
class ScrambledLeaflet(Recognizer):
    name = "scrambled-leaflet"
    special = True
    description = "spreadsheet fee sheet: care-level yen grid, 〇 additions, amounts split from labels"

    def score(self, doc: Document) -> float:
        grid = self._grid_header(doc) is not None
        labels = sum(1 for ln in doc.lines if _LABEL.match(ln.text) and ("加算" in ln.text or "費" in ln.text))
        if not grid or labels < 1:
            return 0.0
        return min(0.92, 0.6 + 0.01 * labels)

    @staticmethod
    def _grid_header(doc: Document) -> int | None:
        for i, ln in enumerate(doc.lines):
            if len(parse_care_levels(ln.text)) >= 3 and not _YEN.search(ln.text) and "単位" not in ln.text:
                return i
        return None

    def parse(self, doc: Document) -> Parsed:
        out = Parsed()
        # the service the sheet is for, named outside its addition labels (訪問看護指示加算
        # names an addition, not the service)
        service = find_service(" ".join(ln.text for ln in doc.lines if not _LABEL.match(ln.text)))
        h = self._grid_header(doc)
        # the share the sheet prints, anywhere above its grid (a facility header may come first)
        share = next((m.group(1) or m.group(2) for ln in doc.lines[: h + 1] for m in [_SHARE.search(ln.text)] if m), None)
        key = f"copay{share}" if share else "total"
        # a sheet for two shares at once ('（1割負担・2割負担）'): its additions print one amount each
        title = next((ln.text for ln in doc.lines[: h + 1] if _SHARE.search(ln.text)), "")
        shares = re.findall(r"([123])\s*割", title) if "負担" in title else []
        keys = [f"copay{s}" for s in dict.fromkeys(shares)] if len(set(shares)) > 1 else [key]
        columns = [[lv] for lv in parse_care_levels(doc.lines[h].text)]
        i, grid_row = h + 1, 0
        pending: Line | None = None  # a row's label printed on a line of its own ('多床室')
        units: tuple[Line, list[int]] | None = None  # a row of units ('多床室（単位数） 793単位 …')
        units_label = ""
        while i < len(doc.lines):
            ln = doc.lines[i]
            cells = list(_CELL_YEN.finditer(ln.text))
            yen = [to_int(m.group(1) or m.group(2)) for m in cells]
            if ln.blank:
                i += 1
                continue
            printed_units = [to_int(u) for u in _CELL_UNITS.findall(ln.text)]
            if not yen and len(printed_units) == len(columns):
                units = (ln, printed_units)
                head = ln.text[: _CELL_UNITS.search(ln.text).start()]
                units_label = re.sub(r"[(（]?\s*単位数?\s*[)）]?", "", head).strip()  # '多床室（単位数）', '単位数'
                if not units_label and pending is not None:
                    units_label = pending.text.strip()
                i += 1
                continue
            if not yen and pending is None and not _LABEL.match(ln.text) and len(ln.text.strip()) <= 20 \
                    and self._grid_row_follows(doc.lines, i + 1, len(columns)):
                pending = ln
                i += 1
                continue
            if len(yen) != len(columns) or _AMOUNT.search(ln.text):
                break
            grid_row += 1
            label = ln.text[: cells[0].start()].strip(" \t")
            lines = [ln, doc.lines[h]]
            row_key = key
            own = re.search(r"([123])\s*割(?:\s*負担(?:額)?)?", label)
            if own:  # a sheet with a row per share: '多床室 2割', '3割負担額'
                row_key, label = f"copay{own.group(1)}", squeeze(label[: own.start()] + label[own.end():])
            if pending is not None and not label:
                label, lines = pending.text.strip(), [ln, pending, doc.lines[h]]
            row_units: list[int | None] = [None] * len(columns)
            # a units row serves the yen rows under it that are its own: unlabelled, or the same
            # label with their share ('… 1割', '… 2割', '… 3割')
            if units is not None and (not label or squeeze(label) == squeeze(units_label)):
                row_units, lines = units[1], lines + [units[0]]
                label = label or units_label
            elif units is not None:
                units = None
            pending = None
            src = doc.source(lines)
            if not label:
                out.findings.append(findings.make("unlabelled-row", src, printed=" ".join(f"{y:,}円" for y in yen), row=grid_row))
            # 食費 and 居住費 (滞在費) are 実費 by room and income, not units × 単価: kept, as other
            own_cost = bool(_OWN_COST.search(label))
            for levels, y, u in zip(columns, yen, row_units):
                out.rows.append(self.row(
                    doc, lines, service=service, item=canonical_item(label) if label else "", label=label,
                    kind="other" if own_cost else "base", care_levels=levels,
                    conditions=(["実費"] if own_cost else []) if label else [f"介護度の表 {grid_row}行目"],
                    units=u, amounts={row_key: y}, confidence=1.0 if label else 0.5,
                ))
            i += 1
        labels, amounts = self._read(doc, doc.lines[i:])
        self._periods(doc, amounts)
        self._pair(doc, labels, amounts, service, keys, out)
        return out

    @staticmethod
    def _grid_row_follows(lines: list[Line], j: int, n: int) -> bool:
        """The next non-blank line (past a row of units) is a grid row of ``n`` yen cells with
        no label of its own."""
        while j < len(lines) and (lines[j].blank or (not _CELL_YEN.search(lines[j].text)
                                                     and len(_CELL_UNITS.findall(lines[j].text)) == n)):
            j += 1
        if j >= len(lines):
            return False
        cells = list(_CELL_YEN.finditer(lines[j].text))
        return len(cells) == n and not lines[j].text[: cells[0].start()].strip()

    # -- reading ---------------------------------------------------------------------------

    def _read(self, doc: Document, lines: list[Line]) -> tuple[list[Label], list[Amount]]:
        labels: list[Label] = []
        amounts: list[Amount] = []
        cur: Label | None = None
        contiguous = False
        for ln in lines:
            t = ln.text.strip()
            if not t:
                contiguous = False
                continue
            m = _LABEL.match(t)
            amount = self._amount(ln)
            if m:
                cur = Label(ln, m.group("rest"), [ln])
                labels.append(cur)
                contiguous = True
                if amount:
                    amount.paired = True
                    cur.name = self._strip_amount(cur.name)
                    amounts.append(amount)
                    cur.amount = amount  # type: ignore[attr-defined]
                continue
            if amount:
                amounts.append(amount)
                contiguous = cur is not None and ln is not None and contiguous
                continue
            if cur is not None and not hasattr(cur, "amount") and len(cur.lines) == 1 and re.search(r"(?:加算|費)\s*[ⅠⅡⅢⅣⅤ]?$", t) and len(t) < 20:
                cur.name += t  # a label broken over two lines
                cur.lines.append(ln)
                continue
            if cur is not None and contiguous:  # a description runs on from its label
                cur.description.append(ln)
        return labels, amounts

    def _amount(self, ln: Line) -> Amount | None:
        t = ln.text
        m = _AMOUNT.search(t)
        if m:
            yen = to_int(m.group("yen")) * (-1 if m.group("sign") else 1)  # ▲33円: a reduction
            basis = parse_basis(m.group("basis"))
            more = [to_int(v) * (-1 if s else 1) for s, v in _SIGNED_YEN.findall(t[m.end():])]
            return Amount(ln, yen, basis, None, t, more=more)
        if _PERCENT.search(t):
            return Amount(ln, None, "month", parse_rate(t), t)
        return None

    @staticmethod
    def _strip_amount(name: str) -> str:
        name = _AMOUNT.sub("", name)
        name = re.sub(r"基本料金.*?相当", "", name)
        return name.strip()

    # -- periods ---------------------------------------------------------------------------

    def _periods(self, doc: Document, amounts: list[Amount]) -> None:
        """A value before '↓ (令和6年6月改定)' ends the day before; the value after starts on it."""
        lines = doc.lines
        index = {id(ln): k for k, ln in enumerate(lines)}
        for a in amounts:
            if a.rate is None:
                continue
            k = index[id(a.line)]
            after = [ln for ln in lines[k + 1 : k + 6] if not ln.blank]
            before = [ln for ln in lines[max(0, k - 6) : k] if not ln.blank]
            if len(after) >= 2 and _ARROW.match(after[0].text) and _ARROW_NOTE.search(after[1].text):
                d = eras.find_eras(after[1].text)
                if d:
                    a.period = (None, d[0].start - timedelta(days=1))
            elif before and _ARROW_NOTE.search(before[-1].text) and len(before) >= 2 and _ARROW.match(before[-2].text):
                d = eras.find_eras(before[-1].text)
                if d:
                    a.period = (d[0].start, None)

    # -- pairing ---------------------------------------------------------------------------

    def _pair(self, doc, labels: list[Label], amounts: list[Amount], service, keys: list[str], out: Parsed) -> None:
        lines = doc.lines
        index = {id(ln): k for k, ln in enumerate(lines)}
        by_line = {id(a.line): a for a in amounts}
        revision_dates = revisions.printed_revisions(ln.text for ln in lines)
        arrows = [k for k, ln in enumerate(lines) if _ARROW.match(ln.text)]  # '↓ (令和6年6月から)' dates a revision too
        revision_dates |= {d.start for k in arrows for ln in lines[k + 1:k + 3] if _ARROW_NOTE.search(ln.text)
                           for d in eras.find_eras(ln.text)}
        for lab in labels:
            printed_units = _LABEL_UNITS.search(lab.name)  # '初期加算Ⅰ（60単位）': the units, printed
            if printed_units:
                lab.name = re.sub(r"\s+", " ", f"{lab.name[: printed_units.start()]} {lab.name[printed_units.end():]}").strip()
            name, rest = self._name(lab.name)
            amount: Amount | None = getattr(lab, "amount", None)
            if amount is None:
                k = index[id(lab.lines[-1])]
                nxt = [ln for ln in lines[k + 1 : k + 3] if not ln.blank]
                cand = by_line.get(id(nxt[0])) if nxt else None
                per = _PER_LABEL.search(lab.name)  # '…（1日につき）': an amount per time is another item's
                if cand is not None and per and cand.basis and parse_basis(per.group(0)) != cand.basis:
                    cand = None
                if cand is not None and not cand.paired:
                    amount = self._check_period(name, cand, amounts, revision_dates)
                    if amount is not None:
                        amount.paired = True
            descr = squeeze(" ".join(x.text for x in lab.description))
            conditions = [c for c in (squeeze(rest), descr) if c]
            eff_from, eff_to = amount.period if amount else (None, None)
            said = revisions.printed_period(name, descr + rest, revision_dates)
            eff_from, eff_to = eff_from or said[0], eff_to or said[1]
            src_lines = [lab.line] + lab.lines[1:] + ([amount.line] if amount and amount.line is not lab.line else [])
            out.rows.append(self.row(
                doc, src_lines, service=service, item=name, label=squeeze(lab.name), kind=kind_of(name) if kind_of(name) != "base" else "addition",
                conditions=conditions, basis=amount.basis if amount else None,
                units=(to_int(printed_units.group(2)) * (-1 if printed_units.group(1) else 1)) if printed_units else None,
                amounts=dict(zip(keys, [amount.yen, *amount.more])) if amount and amount.yen is not None else {},
                rate=amount.rate.value if amount and amount.rate else None,
                rate_op=amount.rate.op if amount and amount.rate else None,
                effective_from=eff_from, effective_to=eff_to,
            ))
        sibling_periods(out)
        for a in amounts:
            if not a.paired:
                start, end = a.period
                period = f" (in force until {end})" if end else f" (in force from {start})" if start else ""
                out.findings.append(findings.make("orphan-amount", doc.source([a.line]), printed=squeeze(a.text), period=period))

    @staticmethod
    def _check_period(name: str, cand: Amount, amounts: list[Amount], revision_dates) -> Amount | None:
        """The amount after a label, unless its period contradicts what the revision
        table says of the item; then the value across the '↓ 改定' arrow, if it fits."""
        for rd in revision_dates:
            p = revisions.period(name, rd)
            if p is None:
                continue
            start, end = p
            if start is not None and cand.period[1] is not None and cand.period[1] < start:
                after = next((a for a in amounts if a.period[0] == start and not a.paired), None)
                return after
            if end is not None and cand.period[0] is not None and cand.period[0] > end:
                return None
        return cand

    @staticmethod
    def _name(text: str) -> tuple[str, str]:
        """'初期加算Ⅰ 入所後30日に限り…' -> ('初期加算(Ⅰ)', '入所後30日に限り…');
        '協力医療機関連携加算 1' -> ('協力医療機関連携加算(1)', '')."""
        split = split_fee_name(text)
        if not split:
            return canonical_item(text), ""
        name = re.sub(r"\s+(\d)$", r"(\1)", split[0])
        return canonical_item(name), split[1]
