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
