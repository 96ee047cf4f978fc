"""What every source yields: a document of lines, each with its place and raw text."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Applied, Source
from ..ocr import correct
from ..text import normalize
from .files import BadInput  # noqa: F401 - defined with the file checks, which need no model

__all__ = ["BadInput", "Document", "Line"]


@dataclass(slots=True)
class Line:
    """One line of a document: raw as printed, normalized, and the rules that fired.
    Slotted: a long document holds all its lines at once (31,600 for 1,000 pages)."""

    number: int | None
    raw: str
    page: int | None = None
    bbox: list[Decimal] | None = None
    text: str = ""
    applied: list[Applied] = field(default_factory=list)
    corrections: list[Applied] = field(default_factory=list)  # OCR lexicon, recorded
    confidence: float = 1.0  # below 1 for lines read by OCR (the lowest word confidence)
    spans: list[tuple[float, float]] | None = None  # x0, x1 of each tab-separated cell, where the source knows them
    cell: str | None = None  # where a spreadsheet or markup source holds it: '料金表!A7:E7', 'table 2 row 5'
    values: list | None = None  # a spreadsheet row's stored cell values (3951 where '3,951円' shows), by cell

    @classmethod
    def of(cls, raw: str, number: int | None, page: int | None = None, bbox=None, spans=None,
           cell: str | None = None, values: list | None = None) -> "Line":
        text, applied = normalize(raw)
        text, corrections = correct(text)
        for c in corrections:
            c.line = number
        return cls(number=number, raw=raw, page=page, bbox=bbox, text=text, applied=applied, corrections=corrections,
                   spans=spans, cell=cell, values=values)

    def corrected(self, service: str | None) -> "Line":
        """This line with the lexicon entries that are safe only in ``service`` applied too."""
        text, more = correct(self.text, service)
        for c in more:
            c.line = self.number
        if not more:
            return self
        return Line(self.number, self.raw, self.page, self.bbox, text, self.applied, self.corrections + more, self.confidence,
                    self.spans, self.cell, self.values)

    @property
    def cells(self) -> list[str]:
        return self.text.split("\t")

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Document:
    name: str
    path: str
    sha256: str
    kind: str
    lines: list[Line]
    encoding: str | None = None
    notes: dict = field(default_factory=dict)  # what the source could not read (empty pages, unmapped glyphs)

    def source(self, lines: list[Line]) -> Source:
        """Provenance for a row read from ``lines``: the first line given is the anchor
        (where the value is printed); all lines are listed in document order."""
        first = lines[0]
        ordered = sorted({id(ln): ln for ln in lines}.values(), key=lambda ln: (ln.page or 0, ln.number or 0))
        return Source(
            doc=self.name,
            page=first.page,
            line=first.number,
            lines=[ln.number for ln in ordered if ln.number is not None],
            bbox=first.bbox,
            raw="\n".join(ln.raw for ln in ordered),
            cell=first.cell,
        )
