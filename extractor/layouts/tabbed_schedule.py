"""Family: fee schedules whose rows are tab-separated cells (seed 001 and its kin).

  ## <fee heading, e.g. 居宅介護支援費Ⅰ>
  <label>\t<condition>\t<care levels>\t<N 単位>
  \t\t<care levels>\t<N 単位>                       (continuation of the row above)
  <減算 label>\t<condition>\t<effect: 1月につき 200 単位減算 | 所定単位数の 100 分の 95 …>
  <加算 label>\t<condition>\t<N 単位>

Rows that carry neither units nor a 加算/減算 effect (usage shares, notes) are not
tariff rows and are left alone.
"""

from __future__ import annotations

import regex as re

from .. import eras
from ..numbers import YEN, parse_rate, to_int
from ..services import find_service
from ..sources.base import Document, Line
from ..terms import (
    amount_keys,
    canonical_item,
    canonical_tiers,
    kind_of,
    parse_basis,
    parse_care_levels,
    units_phrases,
)
from ..text import squeeze
from .base import Parsed, Recognizer, fill_care_level_gaps, register

_HEADING = re.compile(r"^#+\s*(.+)$")
_PLAIN_HEADING = re.compile(r"^(?!\s*[-・●※])[^\t\d]{2,30}[ⅠⅡⅢⅣⅤ]?$")  # a short line with no cells (PDF headings)
_BRACKETED = re.compile(r"^【(.*)】$")
_HAN_OR_KATAKANA = re.compile(r"[\p{Han}\p{Katakana}]")
_DIGIT = re.compile(r"\d")
_NOT_COMPUTED = re.compile(r"算定(?:不可|しない|できない)")
_CLAUSE_END = re.compile(r"(?<=場合)\s+")
_TRAILING_TIER = re.compile(r"(\((?:[ivx]+|[ⅠⅡⅢⅣⅤ])\))$")
_TIER_COLUMN = re.compile(r"(?P<fee>.+費)\s*\(?(?P<tier>[ⅠⅡⅢⅣⅤ])\)?")
_TIER_PARTS = re.compile(r"\(([ⅠⅡⅢⅣⅤ])\)\s*([^()]*?)(?=\s*\([ⅠⅡⅢⅣⅤ]\)|$)")


def _tier_part(condition: str, tier: str) -> str:
    """'(Ⅰ)45以上60未満 (Ⅱ)50以上60未満の部分' for (Ⅱ) -> '50以上60未満の部分'."""
    parts = dict(_TIER_PARTS.findall(condition))
    return parts.get(tier, condition).strip() if parts else condition


_YEN_CELL = re.compile(rf"\(?\s*(?P<sign>[-−▲△])?\s*{YEN}\s*\)?")
_YEN_AFTER_UNITS = re.compile(rf"(?<=単位\s*(?:減算)?)\s*[(（]?\s*{YEN}\s*[)）]?\s*$")


# a heading's decoration: '■', '●', '◆', '【…】', '１．', '(2) '
_DECORATION = re.compile(r"^\s*(?:[■□●○◆◇▼▽◎・]\s*|\d{1,2}\s*[.．、)）]\s*|[(（]\d{1,2}[)）]\s*)")


def _heading(text: str) -> str | None:
    """'## 居宅介護支援費Ⅰ' (Markdown), or a short line with no cells and no numbers (a PDF
    heading, perhaps decorated: '■居宅介護支援費（Ⅱ）', '【加算について】'), is a section heading."""
    m = _HEADING.match(text)
    if m:
        return m.group(1).strip()
    t = _BRACKETED.sub(r"\1", _DECORATION.sub("", text.strip()).strip())
    if t and "\t" not in text.strip() and _PLAIN_HEADING.match(t) and _HAN_OR_KATAKANA.search(t):
        return t
    return None


@register
class TabbedSchedule(Recognizer):
    name = "tabbed-schedule"
    description = "tab-separated fee tables: tiers by care level, 減算 effects, 加算 list"

    def score(self, doc: Document) -> float:
        tabbed = [ln for ln in doc.lines if ln.text.count("\t") >= 2]
        with_units = [ln for ln in tabbed if units_phrases(ln.text) or "減算" in ln.text]
        if len(with_units) < 3:
            return 0.0
        return min(0.95, 0.5 + 0.05 * len(with_units))

    def parse(self, doc: Document) -> Parsed:
        out = Parsed()
        heading = ""
        headings = [ln.text for ln in doc.lines if _HEADING.match(ln.text)]
        service = find_service(" ".join(headings)) or find_service(" ".join(ln.text for ln in doc.lines[:10]))
        prev: tuple[str, list[str], Line] | None = None  # label, conditions, line
        yen_key = "total"  # a yen column is the 費用 (10割) unless its header says whose share
        columns: list[str] = []  # fees priced side by side, one units column each
        for ln in doc.lines:
            if ln.blank:
                continue
            h = _heading(ln.text)
            if h:
                heading, prev, columns = h, None, []
                service = find_service(heading) or service
                continue
            cells = [c.strip() for c in ln.cells]
            if len(cells) < 2:
                prev = None
                continue
            keys = amount_keys(ln.text) if not _DIGIT.search(ln.text) else []
            if keys:  # a header row naming the yen column ('…\t単位数\t利用者負担額(1割)')
                yen_key = keys[-1]
                continue
            fee_columns = [c for c in cells if _TIER_COLUMN.fullmatch(c)]
            if len(fee_columns) >= 2 and not _DIGIT.search(ln.text):
                columns = fee_columns  # '…\t居宅介護支援費(Ⅰ)\t居宅介護支援費(Ⅱ)': a units column per fee
                continue
            # yen printed in a column of their own, or after the units in the same cell
            amounts = {}
            last = _YEN_CELL.fullmatch(cells[-1])
            if last and len(cells) >= 3:
                value = to_int(last.group(2) or last.group(3)) * (-1 if last.group("sign") else 1)  # '-2,140円', '▲2,140円'
                amounts, cells = {yen_key: value}, cells[:-1]
            else:
                inner = _YEN_AFTER_UNITS.search(cells[-1])
                if inner:
                    amounts = {yen_key: to_int(inner.group(1) or inner.group(2))}
                    cells = cells[:-1] + [cells[-1][: inner.start()].strip()]
            if not cells[0] and prev is not None:
                label, conditions, anchor = prev
                lines = [ln, anchor]
            else:
                label, conditions, anchor = cells[0], [c for c in cells[1:-1] if c and not parse_care_levels(c)], ln
                lines = [ln]
            side = len(columns) if columns and len(cells) > len(columns) and all(
                units_phrases(c) for c in cells[-len(columns):]) else 0
            if side:  # one row per fee column, each under its fee and with its own part of the band
                care = parse_care_levels(cells[-side - 1])
                conditions = [c for c in conditions if not units_phrases(c)]
                for fee, effect in zip(columns, cells[-side:]):
                    tier = _TIER_COLUMN.fullmatch(fee).group("tier")
                    own = [_tier_part(c, tier) for c in conditions]
                    rows = self._rows(doc, lines, fee, label, own, care, effect, service) or []
                    out.rows.extend(rows)
                prev = (label, conditions, anchor)
                continue
            effect = cells[-1]
            care = parse_care_levels(cells[-2]) if len(cells) >= 3 else []
            rows = self._rows(doc, lines, heading, label, conditions, care, effect, service)
            if rows is None:
                prev = None
                continue
            for r in rows:
                r.amounts = dict(amounts)
            out.rows.extend(rows)
            prev = (label, conditions, anchor)
        fill_care_level_gaps(out.rows, doc, out.findings)
        return out

    def _rows(self, doc, lines, heading, label, conditions, care, effect, service):
        units = units_phrases(effect)
        rate = parse_rate(effect)
        kind = kind_of(label + " " + effect)
        if not units and not (rate and kind != "base"):
            return None
        item = self._item(heading, label)
        basis = parse_basis(effect)
        eff = eras.find_eras(effect)
        common = dict(
            item=item,
            label=label,
            kind=kind,
            care_levels=care,
            basis=basis,
            effective_from=eff[0].start if eff else None,
        )
        if units:
            value = units[0][0]
            if kind == "reduction" and value > 0 and "減算" in effect:
                value = -value
            return [self.row(doc, lines, service=service, conditions=conditions, units=value, **common)]
        # A percentage effect, perhaps followed by '算定不可' for a second condition.
        clauses = _CLAUSE_END.split(" ".join(conditions)) if conditions else []
        rows = [
            self.row(
                doc, lines, service=service, conditions=clauses[:1] if len(clauses) == 2 else conditions,
                rate=rate.value, rate_op=rate.op, **common,
            )
        ]
        if _NOT_COMPUTED.search(effect[effect.find(rate.printed) + len(rate.printed):]) and len(clauses) == 2:
            rows.append(
                self.row(
                    doc, lines, service=service, conditions=clauses[1:], rate=0, rate_op="multiply", **common
                )
            )
        return rows

    @staticmethod
    def _item(heading: str, label: str) -> str:
        """'居宅介護支援(i)' under '居宅介護支援費Ⅰ' is '居宅介護支援費(Ⅰ)(i)'."""
        item = canonical_item(label)
        head = canonical_tiers(squeeze(heading)).replace(" ", "")
        m = _TRAILING_TIER.search(item)
        if m:
            stem = item[: m.start()]
            if stem and head.startswith(stem) and head != item:
                return head + m.group(1)
        return item
