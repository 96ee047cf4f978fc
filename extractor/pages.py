"""A PDF's pages read by this process and a forked copy of it, from both ends
(``claims.Claims``): this one reads from the first page on, the copy from the last page
back, until they meet; the copy's pages are then put back in page order and joined after
this one's, so the document is what one process reads, whichever process read a page."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

from .claims import Claims

_PAGE = "\x00page"  # a log record's stand-in marking where a page's records begin (the copy's records go by page)


def read_from_both_ends(pdf, data: bytes, path: Path, password: str | None, pages: int):
    """``pdf._read_in_parallel`` with two processes: the pages taken from both ends. The
    first error in page order is raised, as one process raises it, and the log records
    of the copy's pages are logged after this process's, in page order."""
    from .sources import pdf as pdf_source

    claims = Claims(pages)

    def backwards():
        keep = logging.getLogger().handlers[0]  # (the forked copy's one handler: its records, sent back)
        for pno in claims.back():
            keep.records.append((_PAGE, pno, ""))
            yield pno

    child = pdf_source._fork(lambda: pdf_source._read_pages(pdf, data, path, password, backwards()))
    try:
        _recognizers()  # (while the copy reads pages: it then reads more of them)
        out = pdf_source._read_pages(pdf, data, path, password, claims.front())  # an error here is the first in page order
        payload = pdf_source._drain(child[1])
        pdf_source._reap(*child)
        child = None
    finally:
        if child is not None:  # (stopped here by an error or the alarm: the copy goes too)
            pdf_source._reap(*child, kill=True)
        claims.close()
    how, value, records = pickle.loads(payload) if payload else ("raise", MemoryError(), [])  # (died without a word)
    if how == "ok":
        _in_page_order(value)
    pdf_source._join(out, how, value, _records_in_page_order(records))
    return out


def _in_page_order(read) -> None:
    """Pages read from the last one back, put in page order: the lines of each page kept
    together, in their order; the notes by page."""
    lines = read.lines
    blocks, start = [], 0
    for k in range(1, len(lines) + 1):
        if k == len(lines) or lines[k].page != lines[start].page:
            blocks.append(lines[start:k])
            start = k
    read.lines = [ln for block in reversed(blocks) for ln in block]
    read.empty_pages.reverse()
    read.unmapped_pages.reverse()
    read.ocr_pages.reverse()


def _records_in_page_order(records: list) -> list:
    """The copy's log records, each page's kept together, the pages in page order (the
    records before the first page's mark, if any, first)."""
    head, pages = [], []
    for rec in records:
        if rec[0] == _PAGE:
            pages.append((rec[1], []))
        elif pages:
            pages[-1][1].append(rec)
        else:
            head.append(rec)
    return head + [rec for _, recs in sorted(pages, key=lambda p: p[0]) for rec in recs]


def _recognizers() -> None:
    """The layout recognizers imported, as reading the document will need them next (a
    tenth of a second of imports the first time, otherwise nothing)."""
    try:
        from . import layouts

        layouts._load_all()
    except Exception:  # noqa: BLE001  (imported again where the document is read, which says what is wrong)
        pass
