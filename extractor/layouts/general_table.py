"""The general table reader: any fee table with a header row, in any input.

Structure comes first (``tables``: cells, header, body), meaning second (``reading``:
column roles by header words and by arithmetic, then rows). No wording of one document
family is needed: a table is read when its header names its columns.
"""

from __future__ import annotations

from decimal import Decimal

from .. import findings, revisions
from ..prices import stated_price
from ..services import document_service, find_service
from ..sources.base import Document
from ..tables.structure import find_tables
from ..reading.lines import loose_rows, step_notes
from ..reading.rows import heading_service, raised_title, read_table
from ..reading.split_grids import join_split_grids
from .base import Parsed, Recognizer, register, sibling_periods


@register
class GeneralTable(Recognizer):
    name = "general-table"
    description = "any table whose header names its columns (units, fees, shares, time bands, care levels)"

    def score(self, doc: Document) -> float:
        rows = self._found(doc)[1]
        return 0.0 if not rows else min(0.6, 0.3 + 0.05 * rows)

    # the last document seen, its tables (None once a reading has taken them) and their body
    # rows: score and parse share one finding of the tables
    _last: tuple = (None, None, 0)

    def _found(self, doc: Document) -> tuple:
        if self._last[0] is not doc:
            tables = find_tables(doc)
            GeneralTable._last = (doc, tables, sum(len(t.body) for t in tables))
        return self._last[1], self._last[2]

    def _take(self, doc: Document) -> list:
        """The document's tables, handed over to one reading: it lets each go once read
        (a long document's tables are a good part of its memory)."""
        tables = self._found(doc)[0]
        if tables is None:  # taken by an earlier reading: found again
            GeneralTable._last = (None, None, 0)
            tables = self._found(doc)[0]
        GeneralTable._last = (doc, None, self._last[2])
        return tables

    @classmethod
    def forget(cls) -> None:
        """Let the last document go (kept only while its readings are weighed)."""
        cls._last = (None, None, 0)

    def parse(self, doc: Document, jobs: int = 1) -> Parsed:
        """The document's rows; with ``jobs`` 2, its tables are read by this process and a
        forked copy of it, from both ends (see ``_read_tables``; each table is read on its
        own), and the rows are joined in the tables' order: the same rows."""
        out = Parsed()
        stating = [ln for ln in doc.lines if stated_price(ln.text) is not None]
        stated = {stated_price(ln.text) for ln in stating}
        # (two prices stated side by side on a line, each over its own table: a leaflet of two services, whose
        # rows share lines, so that the price stated last before a row, pipeline._stated_price, cannot tell them;
        # only a line that states a price is split into its cells to ask each)
        several = any(len({p for c in ln.text.split("\t") if (p := stated_price(c)) is not None}) > 1
                      for ln in stating if "\t" in ln.text)
        price = stated.pop() if len(stated) == 1 else None
        service = document_service([ln.text for ln in doc.lines[:15]])
        make = lambda lines, **kw: self.row(doc, lines, **kw)  # noqa: E731
        tables = self._take(doc)
        revision_dates = revisions.printed_revisions(ln.text for ln in doc.lines)
        found = set()
        consumed = {(ln.page, ln.number) for t in tables for r in t.header + t.body for ln in (r.line, *r.more)}
        # a title saying its grid's units are a time of day's, raised ('早朝・夜間 25%増'): the rows' condition, no rate of its own
        consumed |= {(ln.page, ln.number) for t in tables if (ln := raised_title(t)) is not None}
        # the loose lines: read with the tables when the price they are read at is known already
        # (stated), else once the tables' arithmetic has had its say
        early = (lambda: loose_rows(doc, consumed, price, service, make)) if price is not None else None
        read, loose = self._read_tables(tables, price, service, make, revision_dates, jobs, early, several)
        read = join_split_grids(read, price)
        for rows, report in read:
            out.rows.extend(rows)
            out.tables.append(report)
            if report["unit_price"]:
                found.add(Decimal(report["unit_price"]))
        if price is None and len(found) == 1:
            price = found.pop()  # the price the tables' arithmetic proved
        if loose is None:
            loose = loose_rows(doc, consumed, price, service, make)
        out.rows = _drop_restated(sorted(out.rows + loose, key=lambda r: (r.page or 0, r.line or 0)))
        step_notes(doc, consumed, out.rows)  # '※…1時間30分以上の場合は、30分を増すごとに82単位を加算': its band's row
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
    def _read_tables(tables, price, service, make, revision_dates, jobs: int, loose=None, several: bool = False) -> tuple:
        """Each table read on its own, in order, and let go once read (``tables`` is
        emptied); and ``loose()`` (the loose lines' rows), when given, or None.

        With ``jobs`` 2, a forked copy of this process reads the loose lines first, then
        tables from the last one back, while this one reads from the first one on, until
        they meet (``claims.Claims``: each does what it has time for); the copy sends each
        table's rows as it reads it, and this process takes them in between its own tables
        (unpickling them is work too, shared so). The rows are joined in the tables'
        order: the same rows, whichever process read a table.

        ``several``: the document states two prices side by side; a table under a line that
        states one (its title's '地域区分6級地 1単位＝10.33円') is read at that price, and a table
        under none at the price of the table before it (its side's)."""
        owns: list = [None] * len(tables)
        if several:  # a table with no price over it takes the one over the table before it (its side's)
            for k, t in enumerate(tables):
                owns[k] = _price_over(t) or (owns[k - 1] if k else None)

        sections = list(_section_services(tables, service))

        def one(k):
            own = owns[k]
            rows, report = read_table(tables[k], own or price, sections[k], make, revision_dates)
            for r in rows if own is not None else ():
                r.unit_price, r.unit_price_source = own, "stated"  # (its own, not the document's nearest by line)
            return rows, report

        def read(ks):
            out = []
            for k in ks:
                out.append(one(k))
                tables[k] = None
            return out

        n = len(tables)
        if jobs < 2 or n < 4:
            got = read(range(n))
            return got, (loose() if loose is not None else None)
        from ..claims import Claims
        from ..forked import Stream

        claims = Claims(n)

        def copy(send):
            if loose is not None:
                send(loose())
            for k in claims.back():
                send(one(k))
            return True

        child = Stream(copy)
        theirs: list = []
        try:
            first = []
            for k in claims.front():
                first.append(one(k))
                tables[k] = None
                theirs += child.parts()
            ok, rest, _ = child.finish()
            theirs += rest
        finally:
            child.kill()
            claims.close()
        meet = len(first)
        if ok and loose is not None:
            loose_read = theirs.pop(0)
        else:
            loose_read = loose() if loose is not None else None
        if ok and len(theirs) == n - meet:
            theirs.reverse()  # (read from the last table back)
        else:  # (a copy that failed: read here)
            theirs = read(range(meet, n))
        tables[meet:] = [None] * (n - meet)
        return first + theirs, loose_read


def _section_services(tables, service):
    """The service of each table: the one a heading above it names, else the one a section
    heading over a table before it named (a page of sections, '2 訪問介護' over two tables and
    a list; not a table's own title, as of a table beside it), else the document's."""
    for t in tables:
        own, section = heading_service(t)
        if own is not None and section:
            service = own
        yield own or service


def _drop_restated(rows: list) -> list:
    """Rows less the restatements: an item the document prints again with its units and
    nothing more (a table of the conditions each addition needs, '特別管理加算Ⅰ 500単位 在宅麻薬
    等注射指導管理…を受けている状態'), where another row of the same service, item, units, care
    levels and band gives its amounts, is that row again, not a fee row of its own."""
    def key(r):
        return (r.service, r.item, r.units, tuple(r.care_levels), r.time_band)

    priced = {key(r) for r in rows if r.amounts and r.units is not None}
    return [r for r in rows if r.amounts or r.rate is not None or r.units is None or key(r) not in priced]


def _price_over(table) -> Decimal | None:
    """The price a line just above a table states (within its three nearest lines), if any."""
    for ln in list(reversed(table.above))[:3]:
        if (p := stated_price(ln.text)) is not None:
            return p
    return None  # (a line of the two sides' statements is split with its sides: each table's own is above it)
