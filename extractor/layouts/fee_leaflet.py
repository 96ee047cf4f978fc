"""Family: a facility's fee leaflet table (seed 000 and its kin).

  算定項目（<item>:<condition>）   単位数   費用総額（円）   保険給付額（円）
  <label or care levels>  <units>  [<basis: 1月につき, 月 1回 程度, 1回>]  <amount> <amount>

Cells break over lines, so a row is assembled until it holds its units and every
amount column named in the header; the numbers are read from the right (amount
columns in header order, then units), and the label is the text before the units.
Below the notes, a tier table gives yen only, by caseload band (rows) and care-level
group (columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

_STEP_BEFORE = re.compile(r"(?:ごと|毎)\s*に\s*[+＋]?\s*$")

from .. import eras, findings
from ..model import TariffRow
from ..numbers import NUMBER, YEN, parse_rate, to_int
from ..prices import stated_price
from ..services import find_service
from ..sources.base import Document, Line
from ..terms import _CARE, AMOUNT_WORDS, amount_keys, canonical_item, split_fee_name, kind_of, parse_basis, parse_care_levels, units_phrases
from ..text import squeeze
from .base import Parsed, Recognizer, fill_care_level_gaps, register

_BARE = re.compile(
    rf"(?<![\d,.\p{{Han}}\p{{Katakana}}\p{{Hiragana}}])({NUMBER})"
    r"(?![\d,.]|\s*単位|\s*割|(?:回|月|日|件|人|分|時間|%|年|か月|ヶ月))"  # '1割' names a share, it is no value
)
_SECTION = re.compile(r"算定項目\s*\((?P<item>[^:)]+)(?::(?P<cond>[^)]*))?\)")
_YEN_ONLY = re.compile(rf"^\s*({NUMBER})\s*円\s*$")
_FEE_NAME = re.compile(r"(?:費|加算|減算)(?:\s*(?:\([^)]*\)|[ⅠⅡⅢⅣⅤ]))*\s*$")  # 居宅介護支援費(Ⅱ)(i)
_LIMIT_WORDS = re.compile(r"程度|限度|まで")
_YEN_ROW = re.compile(rf"^\s*(?:{YEN}\s*)+$")
_MONEY = re.compile(rf"{NUMBER}\s*(?:円|単位)")


@dataclass
class _Cell:
    line: Line
    text: str


@dataclass
class _Buffer:
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(ln.text for ln in self.lines)


def bare_numbers(s: str) -> list[tuple[int, int, int]]:
    """Numbers standing alone as column values: not a care level, not 'N単位', not a count."""
    masked = _CARE.sub(lambda m: " " * len(m.group(0)), s)
    for _, a, b in units_phrases(masked):
        masked = masked[:a] + " " * (b - a) + masked[b:]
    return [(to_int(m.group(1)), m.start(1), m.end(1)) for m in _BARE.finditer(masked)]


@register
class FeeLeaflet(Recognizer):
    name = "fee-leaflet"
    description = "leaflet table: label, units, basis, 費用総額, 保険給付額 …; tier table in yen"

    def score(self, doc: Document) -> float:
        header = self._header(doc)
        if header is None:
            return 0.0
        keys = header[1]
        # rows of yen amounts alone, no label, are the yen-split family's, not a leaflet's
        pairs = sum(1 for ln in doc.lines if len(bare_numbers(ln.text)) >= len(keys) and not _YEN_ROW.match(ln.text))
        return min(0.9, 0.4 + 0.1 * pairs) if len(keys) >= 2 else 0.0

    @staticmethod
    def _header(doc: Document) -> tuple[int, list[str]] | None:
        """(index of the last header line, amount keys in column order)."""
        for i, ln in enumerate(doc.lines):
            if not AMOUNT_WORDS[0][0].search(ln.text) or "¥" in ln.text:
                continue
            last = i
            for j in range(i, min(i + 10, len(doc.lines))):
                if bare_numbers(doc.lines[j].text):
                    break
                last = j
            # the header's words may be broken over lines ('利用者負' / '担額（円）'): read them joined
            joined = "".join(re.sub(r"\s+", "", ln.text) for ln in doc.lines[i:last + 1])
            return last, amount_keys(joined)
        return None

    def parse(self, doc: Document) -> Parsed:
        out = Parsed()
        header = self._header(doc)
        assert header is not None
        last, keys = header
        service = find_service(" ".join(ln.text for ln in doc.lines[:5])) or find_service(
            " ".join(ln.text for ln in doc.lines)
        )
        section_item, section_cond = None, []
        first = next(k for k in range(last, -1, -1) if AMOUNT_WORDS[0][0].search(doc.lines[k].text))
        for ln in doc.lines[max(0, first - 10) : last + 1]:  # the section title above the header
            m = _SECTION.search(ln.text)
            if m:
                section_item = canonical_item(m.group("item"))
                section_cond = [squeeze(m.group("cond"))] if m.group("cond") else []
        consumed: set[int] = set()
        i = last + 1
        buf = _Buffer()
        while i < len(doc.lines):
            ln = doc.lines[i]
            if ln.text.lstrip().startswith("※"):
                break
            i += 1
            if ln.blank:
                continue
            if not buf.lines and self._rate_row(doc, ln, service, out):
                consumed.add(id(ln))
                continue
            buf.lines.append(ln)
            nums = bare_numbers(buf.text)
            if len(nums) >= len(keys) + 1 and bare_numbers(ln.text):
                out.rows.append(self._main_row(doc, buf, nums, keys, service, section_item, section_cond, out))
                consumed.update(id(x) for x in buf.lines)
                buf = _Buffer()
        self._inherit_basis(out.rows)
        tier_lines = self._tier_table(doc, doc.lines[i:], service, out)
        # a tier table may come first, above the code table's title
        start = next((k for k in range(first, -1, -1) if _SECTION.search(doc.lines[k].text)), first)
        tier_lines += self._tier_table(doc, doc.lines[:start], service, out)
        consumed.update(id(x) for x in tier_lines)
        fill_care_level_gaps(out.rows, doc, out.findings)
        for ln in doc.lines:
            if id(ln) not in consumed and _MONEY.search(ln.text) and stated_price(ln.text) is None:
                out.findings.append(
                    findings.make("unread-amount", doc.source([ln]), printed=_MONEY.search(ln.text).group(0))
                )
        return out

    def _main_row(self, doc, buf, nums, keys, service, section_item, section_cond, out) -> TariffRow:
        text = buf.text
        amounts = dict(zip(keys, [n for n, _, _ in nums[-len(keys):]]))
        units_n, u_start, u_end = nums[-len(keys) - 1]
        label = text[:u_start].strip()
        zone = re.sub(rf"(?<![\d,]){NUMBER}(?![\d,])\s*円?\s*$", "", text[u_end:]).strip()
        for _ in keys:
            zone = re.sub(rf"\s*{NUMBER}\s*円?\s*$", "", zone).strip()
        care = parse_care_levels(label)
        mentioned = units_phrases(label)
        bare_label = _CARE.sub("", label).strip()
        for _, a, b in reversed(units_phrases(bare_label)):  # '300単位加算' restates the units
            tail = re.match(r"\s*加算", bare_label[b:])
            bare_label = (bare_label[:a] + bare_label[b + (tail.end() if tail else 0):]).strip()
        conditions = list(section_cond) if not bare_label else []
        if bare_label:
            split = split_fee_name(bare_label)
            item = canonical_item(split[0] if split else bare_label)
            if split and split[1].strip():
                conditions.append(squeeze(split[1]))
        else:
            item = section_item or "?"
        if _LIMIT_WORDS.search(zone):
            conditions.append(squeeze(zone).replace(" ", ""))
        anchor = [ln for ln in buf.lines if bare_numbers(ln.text)]
        row = self.row(
            doc,
            [anchor[0]] + buf.lines,
            service=service,
            item=item,
            label=label,
            kind=kind_of(item) if bare_label else "base",
            care_levels=care,
            conditions=conditions,
            units=units_n,
            basis=parse_basis(zone),
            amounts=amounts,
        )
        for value, start, _ in mentioned:
            if _STEP_BEFORE.search(label[:start]):
                continue  # '（30分を増すごとに+85単位）': the step of the band, not the row's units
            if value != units_n:
                out.findings.append(
                    findings.make("label-units-mismatch", row.source, printed=f"{value}単位", expected=f"{units_n}単位")
                )
        return row

    def _rate_row(self, doc, ln: Line, service, out: Parsed) -> bool:
        """'高齢者虐待防止措置未実施減算 所定単位数の100分の1を減算（令和7年4月1日から）': a 減算 or
        加算 priced as a rate, printed among the table's rows with no units or yen."""
        text = ln.text.strip()
        rate = parse_rate(text)
        if rate is None or kind_of(text) == "base" or bare_numbers(text.replace(rate.printed, "")):
            return False
        split = split_fee_name(text)
        if not split:
            return False
        dates = eras.find_eras(text)
        after = text[text.find(dates[0].printed) + len(dates[0].printed):][:4] if dates else ""
        out.rows.append(self.row(
            doc, [ln], service=service, item=canonical_item(split[0]), label=text, kind=kind_of(split[0]),
            conditions=[], rate=rate.value, rate_op=rate.op,
            effective_from=dates[0].start if dates and ("から" in after or "以降" in after) else None,
        ))
        return True

    @staticmethod
    def _inherit_basis(rows: list[TariffRow]) -> None:
        """A basis cell spanning several rows of one item is printed once."""
        for prev, cur in zip(rows, rows[1:]):
            if cur.basis is None and cur.item == prev.item and prev.basis:
                cur.basis = prev.basis

    def _tier_table(self, doc: Document, lines: list[Line], service, out: Parsed) -> list[Line]:
        """Yen-only table: care-level groups as columns, caseload bands as rows."""
        used: list[Line] = []
        columns: list[list[str]] = []
        title, band = "", []
        labels: list[_Cell] = []  # labels waiting for their yen: one per column, in order
        label: _Cell | None = None
        col = 0
        cells = [(ln, c.strip()) for ln in lines for c in (ln.text.split("\t") if "\t" in ln.text and not _CARE.search(ln.text) else [ln.text]) if c.strip()]
        for ln, t in cells:
            if t.startswith("※"):
                title, columns, band, col, labels = squeeze(t.lstrip("※ ")), [], [], 0, []
                continue
            groups = [parse_care_levels(m.group(0)) for m in _CARE.finditer(t)]
            if len(groups) >= 2:
                columns, band, col = groups, [], 0
                continue
            if not columns:
                continue
            yen = _YEN_ONLY.match(t)
            if yen:
                label = labels.pop(0) if labels else label
                if label is None or col >= len(columns):
                    continue
                item_line = label
                row = self.row(
                    doc,
                    [ln, item_line.line] + band,
                    service=service,
                    item=canonical_item(item_line.text),
                    label=item_line.text.strip(),
                    kind="base",
                    care_levels=columns[col],
                    conditions=[c for c in (title, squeeze(" ".join(b.text for b in band))) if c],
                    amounts={"total": to_int(yen.group(1))},
                )
                out.rows.append(row)
                used.extend([ln, item_line.line])
                col += 1
                continue
            if _FEE_NAME.search(t):
                labels.append(_Cell(ln, t))
                continue
            if col > 0 or (band and label is not None):
                band, col, label, labels = [], 0, None, []
            band.append(ln)
        return used
