"""The shared base of every layout recognizer and the helpers they build rows with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from .. import findings
from ..model import Finding, TariffRow
from ..services import Service
from ..sources.base import Document, Line
from ..terms import CARE_ORDER

REGISTRY: dict[str, "Recognizer"] = {}


def register(cls: type["Recognizer"]) -> type["Recognizer"]:
    """Class decorator: add one instance of a recognizer to the registry."""
    inst = cls()
    REGISTRY[inst.name] = inst
    return cls


@dataclass
class Parsed:
    rows: list[TariffRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)  # a parsing report per table read
    lost: list[Finding] | None = None  # the safety net's findings on this reading, once weighed (pipeline)


class Recognizer:
    """A document family. ``score`` says how sure it is that ``doc`` is one of its
    own (0..1); ``parse`` reads the rows. Neither may key on a file name."""

    name = "base"
    description = ""
    special = False  # a layout no table reader can serve (labels apart from their amounts, 算定構造 grids)

    def score(self, doc: Document) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def parse(self, doc: Document) -> Parsed:  # pragma: no cover - interface
        raise NotImplementedError

    # -- helpers shared by the families ------------------------------------------------

    def row(
        self,
        doc: Document,
        lines: list[Line],
        *,
        service: Service | None,
        confidence: float = 1.0,
        **fields,
    ) -> TariffRow:
        src = doc.source(lines)
        rules: list[str] = []
        corrections = []
        for ln in lines:
            for a in ln.applied:
                if a.rule not in rules:
                    rules.append(a.rule)
            for c in ln.corrections:
                if c not in corrections:
                    corrections.append(c)
        fields.setdefault("label", fields.get("item", ""))
        confidence = min([confidence] + [ln.confidence for ln in lines])
        return TariffRow(
            doc=doc.name,
            page=src.page,
            line=src.line,
            scheme=service.scheme if service else None,  # type: ignore[arg-type]
            service=service.canonical if service else None,
            confidence=confidence,
            recognizer=self.name,
            source=src,
            rules=rules,
            corrections=corrections,
            **fields,
        )


def fill_care_level_gaps(rows: list[TariffRow], doc: Document, out: list[Finding]) -> None:
    """Rows of one item printed with care levels '要介護 1' then '要介護 3・4・5' leave
    要介護2 uncovered; widen the earlier row up to the next row's first level, record
    the rule on the row and an info finding. Only within one item and one kind of level."""
    by_item: dict[tuple, list[TariffRow]] = {}
    for r in rows:
        if r.care_levels and all(level in CARE_ORDER for level in r.care_levels):  # (no '要支援4' a scan misread)
            by_item.setdefault((r.item, tuple(r.conditions), r.kind), []).append(r)
    for group in by_item.values():
        group = sorted(group, key=lambda r: CARE_ORDER.index(r.care_levels[0]))
        for cur, nxt in zip(group, group[1:]):
            last = CARE_ORDER.index(cur.care_levels[-1])
            first = CARE_ORDER.index(nxt.care_levels[0])
            if first - last > 1 and CARE_ORDER[last][:3] == CARE_ORDER[first][:3]:
                widened = cur.care_levels + CARE_ORDER[last + 1 : first]
                out.append(
                    findings.make(
                        "care-level-gap",
                        cur.source,
                        printed="・".join(cur.care_levels),
                        expected="・".join(widened),
                    )
                )
                cur.care_levels = widened
                cur.rules.append("care-level-gap")


def sibling_periods(out: Parsed) -> None:
    """One item printed twice with different amounts, one of them dated 'until D':
    the undated one is its successor from D+1 (else both would be in force at once).
    Recorded on the row and as a period-inferred finding."""
    by_item: dict[str, list[TariffRow]] = {}
    for r in out.rows:
        if r.item and r.amounts:
            by_item.setdefault(r.item, []).append(r)
    for item, rows in by_item.items():
        if len(rows) != 2 or rows[0].amounts == rows[1].amounts:
            continue
        ended = [r for r in rows if r.effective_to and not r.effective_from]
        open_ = [r for r in rows if not r.effective_to and not r.effective_from]
        if len(ended) == 1 and len(open_) == 1:
            succ = open_[0]
            succ.effective_from = ended[0].effective_to + timedelta(days=1)
            succ.rules.append("period-from-sibling")
            out.findings.append(findings.make(
                "period-inferred", succ.source, printed=item, expected=f"from {succ.effective_from}",
                other=f"line {ended[0].line}",
            ))
