"""The general table reader: any fee table with a header row, in any input.

Structure comes first (``tables``: cells, header, body), meaning second (``reading``:
column roles by header words and by arithmetic, then rows). No wording of one document
family is needed: a table is read when its header names its columns.
"""

from __future__ import annotations

from ..prices import stated_price
from ..services import find_service
from ..sources.base import Document
from ..tables.structure import find_tables
from ..reading.rows import read_table
from .base import Parsed, Recognizer, register


@register
class GeneralTable(Recognizer):
    name = "general-table"
    description = "any table whose header names its columns (units, fees, shares, time bands, care levels)"

    def score(self, doc: Document) -> float:
        tables = find_tables(doc)
        rows = sum(len(t.body) for t in tables)
        return 0.0 if not rows else min(0.6, 0.3 + 0.05 * rows)

    def parse(self, doc: Document) -> Parsed:
        out = Parsed()
        stated = {p for ln in doc.lines if (p := stated_price(ln.text)) is not None}
        price = stated.pop() if len(stated) == 1 else None
        service = find_service(" ".join(ln.text for ln in doc.lines[:15]))
        for table in find_tables(doc):
            rows, report = read_table(table, price, service, lambda lines, **kw: self.row(doc, lines, **kw))
            out.rows.extend(rows)
            out.tables.append(report)
        return out
