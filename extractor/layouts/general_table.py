"""The general table reader: any fee table with a header row, in any input.

Structure comes first (``tables``: cells, header, body), meaning second (``reading``:
column roles by header words and by arithmetic, then rows). No wording of one document
family is needed: a table is read when its header names its columns.
"""

from __future__ import annotations

from decimal import Decimal

from .. import findings, revisions
from ..prices import stated_price
from ..services import find_service
from ..sources.base import Document
from ..tables.structure import find_tables
from ..reading.lines import loose_rows
from ..reading.rows import read_table
from .base import Parsed, Recognizer, register, sibling_periods


@register
class GeneralTable(Recognizer):
    name = "general-table"
    description = "any table whose header names its columns (units, fees, shares, time bands, care levels)"

    def score(self, doc: Document) -> float:
        tables = self._tables(doc)
        rows = sum(len(t.body) for t in tables)
        return 0.0 if not rows else min(0.6, 0.3 + 0.05 * rows)

    _last: tuple = (None, None)  # the tables of the last document seen: score and parse share them

    def _tables(self, doc: Document) -> list:
        if self._last[0] is not doc:
            GeneralTable._last = (doc, find_tables(doc))
        return self._last[1]

    @classmethod
    def forget(cls) -> None:
        """Let the last document's tables go (kept only while its readings are weighed)."""
        cls._last = (None, None)

    def parse(self, doc: Document, jobs: int = 1) -> Parsed:
        """The document's rows; with ``jobs`` 2, the second half of its tables is read by a
        forked copy of this process while this one reads the first (each table is read on
        its own), and the rows are joined in the tables' order: the same rows."""
        out = Parsed()
        stated = {p for ln in doc.lines if (p := stated_price(ln.text)) is not None}
        price = stated.pop() if len(stated) == 1 else None
        service = find_service(" ".join(ln.text for ln in doc.lines[:15]))
        make = lambda lines, **kw: self.row(doc, lines, **kw)  # noqa: E731
        tables = self._tables(doc)
        revision_dates = revisions.printed_revisions(ln.text for ln in doc.lines)
        found = set()
        for rows, report in self._read_tables(tables, price, service, make, revision_dates, jobs):
            out.rows.extend(rows)
            out.tables.append(report)
            if report["unit_price"]:
                found.add(Decimal(report["unit_price"]))
        consumed = {(ln.page, ln.number) for t in tables for r in t.header + t.body for ln in (r.line, *r.more)}
        if price is None and len(found) == 1:
            price = found.pop()  # the price the tables' arithmetic proved
        loose = loose_rows(doc, consumed, price, service, make)
        out.rows = sorted(out.rows + loose, key=lambda r: (r.page or 0, r.line or 0))
        sibling_periods(out)
        for r in out.rows:  # a step printed beside its rule that the rule contradicts
            if r.step is not None and r.step.printed_units is not None:
                out.findings.append(findings.make(
                    "step-rule-mismatch", r.source, printed=f"{r.step.printed_units}単位",
                    expected=f"{r.step.units}単位", minutes=r.step.minutes,
                    printed_units=r.step.printed_units, expected_units=r.step.units,
                ))
        return out

    @staticmethod
    def _read_tables(tables, price, service, make, revision_dates, jobs: int) -> list:
        def read(part):
            return [read_table(t, price, service, make, revision_dates) for t in part]

        if jobs < 2 or len(tables) < 4:
            return read(tables)
        from ..sources.pdf import _fork, _outcome, _reap

        half = len(tables) // 2
        child = _fork(lambda: read(tables[half:]))
        try:
            first = read(tables[:half])
            ok, second = _outcome(child)
            child = None
        finally:
            if child is not None:
                _reap(*child, kill=True)
        return first + (second if ok else read(tables[half:]))  # (a child that failed: read here)
