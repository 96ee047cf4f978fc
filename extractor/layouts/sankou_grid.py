"""Family: the national 算定構造 grids (seed 003 and every 改定's edition of them).

  <n> <service>費
  基本部分 \t \t 注 \t 注 …                       (注 cells may carry the modifier's name)
  イ <item> \t (1) <band> (2) <band> … \t <modifier names or effects by column>
           \t (163単位) (244単位) …      \t ×90/100 \t +25/100 …
  ロ 初回加算 (1月につき +300単位)                 additions below the grid
  注：「…」は支給限度額管理の対象外 …             which items are outside the limit
  ※ 業務継続計画未策定減算については令和7年4月1日から適用する。

Base cells are read as tokens: iroha heads (イ 身体介護), numbered subs ((1)…, (一)…)
and parenthesized values ((163単位), (567単位に30分を増すごとに +82単位),
(1月につき +所定単位数×137/1000)). Sibling subs wait for values in order; a deeper
numbering makes the sub before it a parent. Rows from the first 加算 head on are read
across all their cells (OCR puts some into 注 columns). Each 注 column's effects are
emitted as modifiers with the column's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import regex as re

from .. import eras, findings
from ..model import TariffRow
from ..numbers import NUMBER, Rate, parse_rate, to_int
from ..services import Service, find_service
from ..sources.base import Document, Line
from ..terms import (
    IROHA,
    canonical_item,
    parse_basis,
    parse_care_levels,
    parse_step,
    parse_time_band,
    strip_care_levels,
)
from ..text import squeeze
from .base import Parsed, Recognizer, register

_SECTION = re.compile(r"^(?:\d+(?:-\d+)?)\s+(?P<name>[^\t]{2,30}費)\s*$")
_ENUM = re.compile(rf"^\s*(?P<mark>[{IROHA}])\s+(?P<name>\S.*)$")
_PARENS = re.compile(r"(?P<p>\((?:[^()]++|(?&p))*\))")
_SUB_MARK = re.compile(r"^\(\s*(?P<m>\d{1,2}|[一二三四五六七八九十])\s*\)$")
_VALUE_UNITS = re.compile(rf"(?P<sign>[+\-])?\s*(?P<n>{NUMBER})\s*単位(?!の単価|数)")
_FRACTION = re.compile(r"\d+\s*/\s*\d+")
_EFFECT = re.compile(
    r"(?P<rate>[×x+\-]\s*(?:所定単位数\s*[×x]\s*)?\d+\s*/\s*\d+)"
    rf"|(?P<units>[+\-]\s*{NUMBER}\s*単位(?!の単価|数))"
    r"|(?P<none>算定しない|算定不可)"
)
_FEE = re.compile(r"(?:費|加算|減算)(?:\s*\([^()]*\))*\s*[イロハニホ]?$")
_BASIS_ONLY = re.compile(r"^\(?\s*1\s*[月日回]\s*(?:に\s*)?つき\s*\)?$")
_TIER_CASE = re.compile(r"^\((?P<t>[^()]+)\)\s*の場合$")
_CHAPTER = re.compile(r"^\s*(?:[ⅠⅡⅢⅣⅤ]|I{1,3}|IV|V)\s+\S")
_NOTE = re.compile(r"^\s*(?:注|：|:|「)")


@dataclass
class Ctx:
    """Where a value attaches: the iroha head, the numbered levels above it, the leaf."""

    enum: str = ""
    basis: str | None = None
    levels: dict[str, str] = field(default_factory=dict)
    leaf: str = ""
    conditions: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def _depth(mark: str) -> str:
    return "num" if mark.isdigit() else "kanji"


def pieces(text: str) -> list[tuple[str, str]]:
    """A cell's text as ('sub', mark) / ('value', content) / ('text', str) pieces."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _PARENS.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos : m.start()]))
        p = m.group(0)
        sub = _SUB_MARK.match(p)
        if sub:
            out.append(("sub", sub.group("m")))
        elif _VALUE_UNITS.search(p) or _FRACTION.search(p):
            out.append(("value", p[1:-1]))
        else:
            out.append(("text", p))
        pos = m.end()
    if pos < len(text):
        out.append(("text", text[pos:]))
    merged: list[tuple[str, str]] = []
    for kind, s in out:
        if kind == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + s)
        elif kind != "text" or s.strip():
            merged.append((kind, s))
    return merged


@register
class SankouGrid(Recognizer):
    name = "sankou-grid"
    special = True
    description = "national 算定構造 grids: base units by item and time band, 注 modifiers by column"

    def score(self, doc: Document) -> float:
        grids = sum(1 for ln in doc.lines if ln.cells[0].strip() == "基本部分" and any(c.strip().startswith("注") for c in ln.cells[1:]))
        return 0.97 if grids else 0.0

    def parse(self, doc: Document) -> Parsed:
        out = Parsed()
        sections: list[tuple[Service | None, str, list[Line]]] = []
        current: list[Line] | None = None
        for ln in doc.lines:
            m = _SECTION.match(ln.text.strip())
            if m:
                current = []
                sections.append((find_service(m.group("name")), squeeze(m.group("name")), current))
            elif _CHAPTER.match(ln.text):
                current = None
            elif current is not None:
                current.append(ln)
        for service, fee, lines in sections:
            name = service.canonical if service else None
            self._section(doc, service, fee, [ln.corrected(name) for ln in lines], out)
        return out

    # -- one section --------------------------------------------------------------------

    def _section(self, doc: Document, service, fee: str, lines: list[Line], out: Parsed) -> None:
        head = next((i for i, ln in enumerate(lines) if ln.cells[0].strip() == "基本部分"), None)
        if head is None:
            return
        header = [c.strip() for c in lines[head].cells]
        mod_start = next((i for i, c in enumerate(header) if c.startswith("注")), len(header))
        col_names = {i: squeeze(c[1:].strip()) for i, c in enumerate(header) if c.startswith("注") and c[1:].strip()}
        # a header whose names run onto the next line ('注 高齢者虐待防止措置' / '未実施減算'): that
        # line has words under 注 columns only, and no value
        cont = next((ln for ln in lines[head + 1:] if not ln.blank), None)
        if cont is not None and col_names and self._header_tail(cont, mod_start, col_names):
            for i, c in enumerate(cont.cells):
                if c.strip() and i in col_names:
                    col_names[i] = squeeze(col_names[i] + c.strip())
        else:
            cont = None
        body, notes = [], []
        for ln in lines[head + 1 :]:
            if ln.blank or ln is cont:
                continue
            (notes if (_NOTE.match(ln.text) or ln.text.lstrip().startswith("※")) and "\t" not in ln.text.strip() else body).append(ln)
        body = self._join_open_brackets(body)
        first = next((ln for ln in body if any(_VALUE_UNITS.search(c) for c in ln.cells[:mod_start + 2])), None)
        if first is not None:
            cells = first.cells
            while mod_start < len(cells) and _VALUE_UNITS.search(cells[mod_start]) and not _EFFECT.search(cells[mod_start]):
                mod_start += 1  # the base part is one cell wider than its header
        rows_before = len(out.rows)
        st = Ctx()
        state = {"pending": [], "last": None, "seen": set()}
        in_grid = True
        modifiers: list[tuple[int, Line, str]] = []
        for ln in body:
            cells = [c.strip() for c in ln.cells]
            first_cell = next((c for c in cells if c), "")
            m = _ENUM.match(first_cell)
            if in_grid and m and "加算" in m.group("name").split("(")[0]:
                in_grid = False
            if in_grid:
                base_cells = [c for c in cells[:mod_start] if c]
                for k, c in enumerate(cells[mod_start:]):
                    if c:
                        modifiers.append((k, ln, c))
            else:
                base_cells = [c for c in cells if c]
            st = self._base(doc, service, fee, ln, base_cells, st, state, out)
        self._leftover_plain(doc, service, fee, body, mod_start, out, rows_before)
        self._modifiers(doc, service, modifiers, col_names, out, lines[head])
        self._notes(doc, notes, out.rows[rows_before:], out)

    @staticmethod
    def _join_open_brackets(body: list[Line]) -> list[Line]:
        """'ロ 栄養改善加算\t(1回につき +200単位' / '\t(1月に2回を限度))': a value whose bracket
        the next line closes, in its one cell, is one value."""
        out: list[Line] = []
        k = 0
        while k < len(body):
            ln = body[k]
            cells = ln.cells
            filled = [i for i, c in enumerate(cells) if c.strip()]
            nxt = body[k + 1] if k + 1 < len(body) else None
            tail = [c.strip() for c in nxt.cells if c.strip()] if nxt is not None else []
            last = cells[filled[-1]] if filled else ""
            if (nxt is not None and last.count("(") > last.count(")") and len(tail) == 1
                    and not nxt.cells[0].strip() and tail[0].count(")") > tail[0].count("(")):
                cells = cells[:]
                cells[filled[-1]] = f"{last.rstrip()} {tail[0]}"
                out.append(Line(ln.number, f"{ln.raw}\n{nxt.raw}", ln.page, ln.bbox, "\t".join(cells),
                                ln.applied + nxt.applied, ln.corrections + nxt.corrections,
                                min(ln.confidence, nxt.confidence)))
                k += 2
                continue
            out.append(ln)
            k += 1
        return out

    @staticmethod
    def _header_tail(ln: Line, mod_start: int, col_names: dict[int, str]) -> bool:
        cells = [c.strip() for c in ln.cells]
        filled = [i for i, c in enumerate(cells) if c]
        return bool(filled) and all(i >= mod_start and i in col_names for i in filled) and not any(
            _EFFECT.search(cells[i]) or re.search(r"\d", cells[i]) for i in filled)

    # -- base part ---------------------------------------------------------------------

    def _base(self, doc, service, fee, ln: Line, cells: list[str], st: Ctx, state, out) -> Ctx:
        ps: list[tuple[str, str]] = []
        starts: set[int] = set()
        for c in cells:
            starts.add(len(ps))
            ps += pieces(c)
        pending: list[tuple[str, Ctx]] = state["pending"]
        care_text = state.pop("care", "")  # a care level whose units are on the next line
        i = 0
        while i < len(ps):
            kind, s = ps[i]
            if kind == "text":
                m = _ENUM.match(s) if i in starts else None
                if m:
                    name, basis = m.group("name"), None
                    name = name.strip()
                    b = re.search(r"\(\s*1\s*[月日回]\s*につき\s*\)", name)
                    if b:
                        basis, name = parse_basis(b.group(0)), (name[: b.start()] + name[b.end():]).strip()
                    st = Ctx(enum=name, basis=basis, lines=[ln])
                    pending.clear()
                    state["last"] = None
                    care_text = ""
                elif parse_care_levels(s):
                    care_text = s
                elif "※" in s and parse_rate(s):
                    self._note_rate(doc, service, fee, ln, s, state, out)
                elif s.strip():
                    st.conditions.append(squeeze(s))
            elif kind == "sub":
                name = ""
                while i + 1 < len(ps) and ps[i + 1][0] == "text" and i + 1 not in starts:
                    i += 1
                    name += ps[i][1]
                depth = _depth(s)
                if pending and _depth(pending[-1][0]) != depth:
                    parent_mark, parent = pending.pop()
                    st.levels[_depth(parent_mark)] = parent.leaf
                if depth == "num":
                    st.levels.pop("kanji", None)
                leaf = Ctx(st.enum, st.basis, dict(st.levels), squeeze(name), list(st.conditions), [ln])
                pending.append((s, leaf))
            else:  # value
                if pending:
                    _, leaf = pending.pop(0)
                    leaf.lines.append(ln)
                else:
                    leaf = state["last"] or st
                care = parse_care_levels(care_text or leaf.leaf)
                self._emit(doc, service, fee, ln, leaf, s, care, state, out)
                state["last"] = leaf
                care_text = ""
            i += 1
        if care_text:
            state["care"] = care_text
        return st

    def _emit(self, doc, service, fee, ln: Line, leaf: Ctx, value: str, care: list[str], state, out) -> None:
        key = (id(leaf), value.strip(), tuple(care))
        src_lines = [ln] + [x for x in leaf.lines if x is not ln]
        if key in state["seen"]:
            out.findings.append(findings.make("repeated-value", doc.source([ln]), printed=f"({value.strip()})"))
            return
        state["seen"].add(key)
        item, conditions = self._name(fee, leaf)
        band = parse_time_band(leaf.leaf)
        step = parse_step(value)
        rate = parse_rate(value) if _FRACTION.search(value) else None
        units = None
        if step:
            units = step.base
        elif rate is None:
            m = _VALUE_UNITS.search(value)
            units = to_int(m.group("n")) * (-1 if m.group("sign") == "-" else 1)
        basis = parse_basis(value) or leaf.basis
        if basis is None and service and service.canonical.startswith(("訪問", "介護予防訪問")) and "加算" not in item:
            basis = "visit"
        limit_note = re.sub(r"^\s*1\s*[月日回]\s*(?:に\s*)?つき\s*", "", _VALUE_UNITS.sub("", value)).strip(" ()")
        if limit_note and not rate and not step:
            conditions = conditions + [squeeze(limit_note)]
        kind = "addition" if "加算" in item or value.lstrip().startswith("+") or (rate and rate.op == "add" and rate.value > 0) else "base"
        if kind == "base" and ((units is not None and units < 0) or "減算" in item):
            kind = "reduction"  # '(片道につき -47単位)': a fixed reduction, not a base fee
        out.rows.append(self.row(
            doc, src_lines, service=service, item=item, label=squeeze(" ".join(x for x in (leaf.enum, *leaf.levels.values(), leaf.leaf) if x)),
            kind=kind, care_levels=care, time_band=band, conditions=conditions, units=units,
            rate=rate.value if rate else None, rate_op=rate.op if rate else None,
            step=step.step if step else None, basis=basis,
        ))

    @staticmethod
    def _name(fee: str, leaf: Ctx) -> tuple[str, list[str]]:
        """The item a leaf prices, and the conditions the other names in its chain add."""
        chain = [x for x in (leaf.enum, leaf.levels.get("num", ""), leaf.levels.get("kanji", ""), leaf.leaf) if x]
        cleaned = []
        for x in chain:
            band = parse_time_band(x)
            y = strip_care_levels(x.replace(band, "", 1) if band else x).strip(" 、,")
            cleaned.append(y)
        fees = [j for j, x in enumerate(cleaned) if _FEE.search(re.sub(r"\((?![ⅠⅡⅢⅣⅤⅰⅱⅲ])[^()]*\)", "", x).strip())]
        if fees:
            j = fees[-1]
            item = canonical_item(re.sub(r"\s*\((?![ⅠⅡⅢⅣⅤⅰⅱⅲivxIVXA-Z]+\))[^()]*\)", "", cleaned[j]))
            if len(fees) > 1:
                parent = canonical_item(re.sub(r"\s*\((?![ⅠⅡⅢⅣⅤⅰⅱⅲivxIVXA-Z]+\))[^()]*\)", "", cleaned[fees[-2]]))
                tm = re.search(r"(\((?:[ivx]+)\))$", item)
                if tm and parent.startswith(item[: tm.start()]) and parent != item:
                    item = parent + tm.group(1)
            conds = [c for k, c in enumerate(cleaned) if k not in fees and c]
            conds += re.findall(r"\((?![ⅠⅡⅢⅣⅤⅰⅱⅲivxIVXA-Z]+\))[^()]*\)", cleaned[j])
        else:
            head = cleaned[0] if cleaned else ""
            if head and not head.endswith("場合"):
                item, conds = canonical_item(head), cleaned[1:]
            else:
                item, conds = fee, cleaned
        conds = [squeeze(c) for c in conds + leaf.conditions if c and not _BASIS_ONLY.match(c.strip())]
        return item, list(dict.fromkeys(conds))

    def _note_rate(self, doc, service, fee, ln, s, state, out) -> None:
        """'※ 1日に2回を超えて実施する場合は90/100' after a value: a reduction of that item."""
        leaf = state["last"]
        rate = parse_rate(s)
        if leaf is None or rate is None:
            return
        item, conds = self._name(fee, leaf)
        cond = squeeze(s.split("※", 1)[1])
        cond = re.sub(r"は?\s*\d+\s*/\s*\d+\s*$", "", cond)
        out.rows.append(self.row(
            doc, [ln], service=service, item=item, label=squeeze(s), kind="reduction", time_band=parse_time_band(leaf.leaf),
            conditions=conds + [cond], rate=rate.value, rate_op=rate.op,
        ))

    def _leftover_plain(self, doc, service, fee, lines, mod_start, out, rows_before) -> None:
        """A base priced by cost (福祉用具: '…単位の単価で除して得た単位数') lists its items as
        plain cells with no units: each is a base row without units."""
        if not any("除して得た単位数" in ln.text for ln in lines[:3]):
            return
        for ln in lines:
            cells = [c.strip() for c in ln.cells[:mod_start]]
            for c in cells:
                if c and "(" not in c and not _VALUE_UNITS.search(c) and not c.startswith(("基本部分", "注", "※", ":", "：")):
                    out.rows.append(self.row(doc, [ln], service=service, item=fee, label=c, kind="base", conditions=[c]))

    # -- 注 columns --------------------------------------------------------------------

    def _modifiers(self, doc, service, cells: list[tuple[int, Line, str]], col_names: dict[int, str], out, header: Line) -> None:
        names: dict[int, str] = {}
        name_lines: dict[int, Line] = {}
        offset = min(col_names) if col_names else 0
        for i, n in col_names.items():
            names[i - offset], name_lines[i - offset] = n, header
        for k, ln, c in cells:
            if k in names:
                continue
            m = _EFFECT.search(c)
            head = (c[: m.start()] if m else c).strip()
            if m and self._sublabel(head) and self._sublabel(head) != head:
                head = head[: -len(self._sublabel(head))].strip()
            if head:
                names[k], name_lines[k] = squeeze(head), ln
        by_name: dict[str, list[int]] = {}
        for k, n in sorted(names.items()):
            by_name.setdefault(n, []).append(k)
        for n, ks in by_name.items():
            if len(ks) > 1:
                ln = name_lines.get(ks[-1]) or next((x for kk, x, _ in cells if kk == ks[-1]), None)
                if ln is not None:
                    out.findings.append(findings.make(
                        "duplicate-modifier-name", doc.source([ln]), printed=n, expected=", ".join(str(k + 1) for k in ks)))
        seen: set = set()
        effects_by_col: dict[int, int] = {}
        for k, ln, c in cells:
            prev = 0
            for m in _EFFECT.finditer(c):
                label = self._sublabel(c[prev : m.start()])
                prev = m.end()
                effects_by_col[k] = effects_by_col.get(k, 0) + 1
                row = self._modifier(doc, service, k, names.get(k, ""), label, m, c, [ln] + [x for x in (name_lines.get(k),) if x and x is not ln])
                key = (row.order, row.item, tuple(row.conditions), row.rate, row.units)
                if key not in seen:
                    seen.add(key)
                    out.rows.append(row)
            if not _EFFECT.search(c) and k in names and names[k] != squeeze(c) and re.search(r"(?:加算|減算)(?:\(|$)", squeeze(c)):
                row = self.row(doc, [ln], service=service, item=canonical_item(names[k]), label=squeeze(c),
                               kind="addition" if "加算" in names[k] else "other", conditions=[squeeze(c)], order=k + 1)
                key = (row.order, row.item, tuple(row.conditions), None, None)
                if key not in seen:
                    seen.add(key)
                    out.rows.append(row)
        for k, name in sorted(names.items()):
            if k not in effects_by_col and not any(r.order == k + 1 for r in out.rows if r.service == (service.canonical if service else None)):
                ln = next((x for kk, x, _ in cells if kk == k), None) or name_lines.get(k, header)
                src = doc.source([ln])
                out.findings.append(findings.make("unread-modifier", src, printed=name, order=k + 1))

    @staticmethod
    def _sublabel(text: str) -> str:
        """The words just before an effect: '夜間又は早朝の場合 +25/100' -> '夜間又は早朝の場合'."""
        t = re.sub(r"^\s*(?:又は|若しくは|、)", "", text.strip())
        t = re.sub(r"^\s*1\s*[月日回]\s*(?:に\s*)?つき\s*", "", t)
        t = re.sub(r"\s*1\s*[月日回]\s*(?:に\s*)?つき$", "", t)  # '…加算(Ⅰ) 1月につき +660単位'
        if not t:
            return ""
        if t.endswith(")") and "(" in t:
            depth = 0
            for i in range(len(t) - 1, -1, -1):
                depth += {")": 1, "(": -1}.get(t[i], 0)
                if depth == 0:
                    rest = t[:i].rstrip()
                    tail = rest.split(" ")[-1] if rest and not rest.endswith(("場合", ")")) and "(" not in rest.split(" ")[-1] else ""
                    return (tail + t[i:]) if tail and _TIER_CASE.match(t[i:]) is None else t[i:]
        return t.split(" ")[-1] if " " in t else t

    def _modifier(self, doc, service, k, col_name, label, m, cell, lines: list[Line]) -> TariffRow:
        before = cell[: m.start()]
        basis = parse_basis(before[-12:]) if before else None
        rate = parse_rate(m.group("rate")) if m.group("rate") else None
        units = None
        if m.group("units"):
            u = _VALUE_UNITS.search(m.group("units"))
            units = to_int(u.group("n")) * (-1 if u.group("sign") == "-" else 1)
        if m.group("none"):
            rate = Rate(Decimal(0), "multiply", m.group("none"))  # 算定しない: nothing is paid
        label = squeeze(label)
        tier = _TIER_CASE.match(label)
        if label and _FEE.search(label):
            item, conds = canonical_item(label), []
        elif tier and col_name:
            item, conds = canonical_item(f"{col_name}({tier.group('t')})"), []
        else:
            item = canonical_item(col_name) if col_name else ""
            conds = [label] if label and label != squeeze(col_name) else []
        band = parse_time_band(label) if label else None
        if band and re.fullmatch(rf"{re.escape(band)}\s*の?場合", label.replace(" ", "")):
            conds = []
        value = rate.value if rate else Decimal(units or 0)
        reduction = "減算" in item or (rate is not None and (value < 0 or (rate.op == "multiply" and value < 1))) or (units is not None and units < 0)
        return self.row(
            doc, lines, service=service, item=item, label=label or col_name, kind="reduction" if reduction else "addition",
            conditions=conds, time_band=band, units=units, rate=rate.value if rate else None, rate_op=rate.op if rate else None,
            basis=basis, order=k + 1,
        )

    # -- notes under the grid ----------------------------------------------------------

    def _notes(self, doc: Document, notes: list[Line], rows: list[TariffRow], out) -> None:
        def matches(name: str, r: TariffRow) -> bool:
            name = canonical_item(name)
            return bool(name) and (r.item == name or r.item.startswith(name) or name in r.label.replace(" ", ""))

        for ln in notes:
            t = ln.text
            names = re.findall(r"「([^」]+)」", t)
            if names and "対象外" in t:
                for r in rows:
                    if r.kind != "base" and any(matches(n, r) for n in names):
                        r.limit = "outside"
            elif names and "前の単位数" in t:
                for r in rows:
                    if any(matches(n, r) for n in names):
                        r.limit = "inside-pre-reduction"
            dates = eras.find_eras(t)
            if t.lstrip().startswith("※") and dates and "適用" in t:
                subject = t.split("について")[0].lstrip("※ ")
                targets = [n for n in re.split(r"、|及び", subject) if n.strip()]
                hit = False
                for r in rows:
                    if any(matches(n, r) for n in targets):
                        hit = True
                        if "まで" in t:
                            r.effective_to = dates[0].end
                        else:
                            r.effective_from = dates[0].start
                if not hit:
                    out.findings.append(findings.make("note-without-target", doc.source([ln]), printed=squeeze(subject)))
        for r in rows:
            if r.limit is None and r.kind != "base" and any("対象外" in n.text for n in notes):
                r.limit = "inside"

