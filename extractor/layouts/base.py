"""The shared base of every layout recognizer and the helpers they build rows with."""

from __future__ import annotations

from dataclasses import dataclass, field

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


class Recognizer:
    """A document family. ``score`` says how sure it is that ``doc`` is one of its
    own (0..1); ``parse`` reads the rows. Neither may key on a file name."""

    name = "base"
    description = ""

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
        if r.care_levels:
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
