"""A plan as data: its pages of blocks and tables, and its expectations."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .units import Service

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

    def span_map(self) -> tuple[dict[tuple[int, int], tuple[int, int, str]], set[tuple[int, int]]]:
        """({(row, col) a span starts at: (rows, cols, valign)}, the cells a span covers but
        does not start at): what a source format writes as rowspan/colspan or a merge."""
        origin, covered = {}, set()
        for c0, r0, c1, r1, valign in self.spans:
            origin[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1, valign)
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
        return origin, covered


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
    planted: dict | None = None  # the planted inconsistency and the findings that report it (plant.py)

    @property
    def ext(self) -> str:
        k = self.axes["kind"]
        if k in ("pdf", "scan"):
            return ".pdf"
        if k in ("html", "xlsx", "docx"):
            return "." + k
        return ".md" if self.axes["text_form"] == "markdown" else ".txt"

    def expectations(self) -> dict:
        return {
            "doc": self.name + self.ext, "axes": self.axes, "unit_price": str(self.unit_price),
            "price_known": self.price_knowable, "price_form": self.axes["price_form"],
            "scheme": self.service.scheme, "service": self.service.name, "rows": self.expected,
            "errors": self.errors,
        } | ({"planted": self.planted} if self.planted is not None else {})
