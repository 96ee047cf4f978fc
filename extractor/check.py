"""`tariff check`: reconcile each document, then hold it against the references and
the other documents of the run. Returns one report; the exit code comes from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import regex as re

from . import findings
from .model import DocumentResult, Finding, Source
from .prices import PriceStatement, price_statement
from .reconcile import Reconciled, reconcile
from .reference import BUILTIN_TABLE, Reference, builtin_older, check_units, check_yen_only, office_context, official_units, stale_tables

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

# findings that say part of a document was not read: the check cannot vouch for it
UNREAD = ("no-recognizer", "lost-amount")


@dataclass
class DocumentCheck:
    result: DocumentResult
    rec: Reconciled

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings + self.rec.findings

    @property
    def unread(self) -> list[Finding]:
        """The findings that say what of the document was not read."""
        return [f for f in self.findings if f.code in UNREAD]

    @property
    def status(self) -> str:
        """``unverified`` when part of the document was not read (a table line whose yen no
        row carries, or no recognizer at all), else ``verified``: its findings say the rest."""
        return "unverified" if self.unread else "verified"

    def unread_summary(self) -> str:
        """One line: what of the document was not read."""
        unread = self.unread
        if any(f.code == "no-recognizer" for f in unread):
            return "no layout recognizer knows it, so nothing in it was read"
        places = [f"{'p.' + str(f.page) + ' ' if f.page is not None else ''}line {f.line}: {f.printed}" for f in unread[:3]]
        more = f"; and {len(unread) - 3} more" if len(unread) > 3 else ""
        n = len(unread)
        return (f"{n} table line{'' if n == 1 else 's'} whose yen were not read into any row "
                f"({'; '.join(places)}{more})")


@dataclass
class Report:
    documents: list[DocumentCheck] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)  # what the units were held to

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for d in self.documents for f in d.findings)

    def unverified(self) -> list[DocumentCheck]:
        return [d for d in self.documents if d.status == "unverified"]

    def worst(self) -> int:
        return max((SEVERITY_RANK[f.severity] for d in self.documents for f in d.findings), default=-1)


def _reread(result: DocumentResult, password: str | None = None):
    """The document's lines, read again: text files, PDF text layers, web pages, workbooks
    and Word documents, never OCR (a document that needed OCR gives none), and only while
    the file is the one that was read (same sha256). The reader does not carry its
    statements on its result yet."""
    if result.source_kind not in ("text", "pdf", "html", "xlsx", "docx") or not result.path:
        return None
    from .sources import BadInput, read

    try:
        doc = read(Path(result.path), password)
    except (BadInput, OSError):
        return None
    return doc if doc.sha256 == result.sha256 else None


def statements_of(result: DocumentResult, password: str | None = None, doc=None) -> list[tuple[Source, PriceStatement]]:
    """What a document's lines state about its unit price ('1単位の単価 10,88円', '地域区分
    （2級地）'), each with its place."""
    doc = doc if doc is not None else _reread(result, password)
    if doc is None:
        return []
    return [(doc.source([ln]), st) for ln in doc.lines if (st := price_statement(ln.text)) is not None]


_DATED = re.compile(r"改定|現在|作成|発行|時点|適用")


def document_date(result: DocumentResult, calendar, doc=None) -> date | None:
    """The day a document shows itself current on: the latest date it prints on a line that
    dates the sheet ('令和6年4月改定', '令和12年4月1日現在', '…作成'), and the revision dates its
    rows print (a date a revision of the calendar took effect). None when it shows none."""
    from . import eras

    found = [r.effective_from for r in result.rows if r.effective_from in calendar.dates()]
    for ln in (doc.lines if doc is not None else []):
        if _DATED.search(ln.text):
            found += [d.start for d in eras.find_eras(ln.text) if d.month is not None]
    return max(found, default=None)


def stale_document(result: DocumentResult, on: date | None, calendar, doc=None) -> list[Finding]:
    """A fee document dated before a whole 改定 the tool knows ('平成28年4月1日現在', before
    令和3年度 and 令和6年度) is stale as a whole: one stale-document warning, at the line
    that dates it, naming the revisions it missed. None for an undated document, one with no
    fee rows, or a scheme of which no 改定 after its date is known."""
    from collections import Counter

    from . import eras

    rows = [r for r in result.rows if r.units is not None or r.amounts]
    if on is None or doc is None or not rows:
        return []
    scheme = Counter(r.scheme for r in rows if r.scheme).most_common(1)
    scheme = scheme[0][0] if scheme else "kaigo"
    # by the day a 改定 takes effect for most services: 令和6年4月 is 令和6年度 for 訪問看護 too;
    # stale against the 改定 of the built-in official table (a revision a user adds for the
    # future does not make a current document stale)
    builtin = calendar.table_revision(BUILTIN_TABLE)
    first = calendar.next_start(scheme, None, on)
    if first is None or builtin is None or builtin.scheme != scheme or on >= builtin.effective:
        return []
    later, after = [], first.effective
    while (nxt := calendar.next_start(scheme, None, after)) is not None:
        later.append(nxt)
        after = nxt.effective
    line = next((ln for ln in doc.lines if _DATED.search(ln.text)
                 and any(d.month is not None and d.start == on for d in eras.find_eras(ln.text))), None)
    if line is None:
        return []
    words = "".join(f" and {r.name} ({r.effective})" for r in later)
    current = (later or [first])[-1].name
    return [findings.make("stale-document", doc.source([line]), printed=f"{line.text.strip()[:40]} ({on})",
                          expected=f"the {current} values", on=on, revision=first.name,
                          revision_from=first.effective, later=words, rows=len(rows))]


def check(results: list[DocumentResult], references: list[Reference], password: str | None = None,
          calendar=None) -> Report:
    """Each document reconciled, then held to the references on its date (``document_date``:
    the values in force then; a value of an earlier period is stale, naming the revision it
    missed) and to the other documents."""
    from .revisions import builtin_calendar

    cal = calendar or builtin_calendar()
    older = builtin_older()
    report = Report(references=list(references))
    for res in results:
        doc = _reread(res, password)
        # the kind of office the document names (a 訪問看護ステーション) holds for its rows
        context = office_context(" ".join(ln.text for ln in doc.lines)) if doc is not None else frozenset()
        # rows printed in yen only are held to the official units of their item
        rec = reconcile(official_units(res, references, context), statements_of(res, password, doc))
        on = document_date(res, cal, doc)
        peers = [Reference(o.doc, o.rows, authoritative=False) for o in results if o is not res]
        refs = references + peers
        rec.findings += check_units(res, refs, older, rec.confirmed, on, cal, context)
        rec.findings += stale_tables(res, rec.findings)
        rec.findings += stale_document(res, on, cal, doc)
        # a tier table in yen is checked against the references, the peers, and the units the
        # document prints itself (its own code table prices the same tiers)
        own = Reference(res.doc, [r for r in res.rows if r.units is not None], authoritative=False)
        rec.findings += check_yen_only(res, rec.unit_price, refs + [own])
        # a total alone that the references held to its item's units is theirs to report, not twice
        held = {(f.page, f.line) for f in rec.findings if f.code in ("amount-mismatch", "reference-other-item")}
        rec.findings = [f for f in rec.findings if not (f.code == "unreachable-amount" and (f.page, f.line) in held)]
        # one wrong amount on a yen line that two rows share (or held against two peers) is
        # one finding, not two of the same words at the same place
        unique: dict[tuple, Finding] = {}
        for f in rec.findings:
            unique.setdefault((f.code, f.page, f.line, f.message), f)
        rec.findings = list(unique.values())
        rec.findings.sort(key=lambda f: (f.line or 0, f.code))
        report.documents.append(DocumentCheck(res, rec))
    return report
