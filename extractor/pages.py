"""A PDF's pages read by this process and a forked copy of it, from both ends
(``claims.Claims``): this one reads from the first page on, the copy from the last page
back, until they meet; the copy sends each page as it reads it, and its pages are put back in
page order and joined after this one's, so the document is what one process reads,
whichever process read a page."""

from __future__ import annotations

import logging
from pathlib import Path

from .claims import Claims


def read_from_both_ends(pdf, data: bytes, path: Path, password: str | None, pages: int):
    """``pdf._read_in_parallel`` with two processes: the pages taken from both ends. The
    copy sends each page's lines as it reads it (``forked.Stream``), and this process takes
    them in between its own pages, so that pickling and unpickling them is shared work, not
    a wait at the end (the copy pickling all its lines once the pages ran out, then this
    process unpickling them: a tenth of a second or more on a 1,000-page document, one
    core idle), and the copy's lines are never held twice at once here (pickled and read
    back). The first error in page order is raised, as one process raises it, and the log
    records of the copy's pages are logged after this process's, in page order."""
    from .forked import Stream
    from .sources import pdf as pdf_source
    from .sources.base import BadInput

    claims = Claims(pages)

    def copy(send) -> bool:
        keep = logging.getLogger().handlers[0]  # (the forked copy's one handler: its records, sent with their page)
        read = pdf_source._Pages()
        at: list = []

        def sent() -> None:  # the page just read, with its records, sent on its own
            if at:
                send((at.pop(), "ok", _taken(read), _taken_records(keep)))

        def backwards():
            for pno in claims.back():
                sent()
                at.append(pno)
                yield pno
            sent()

        try:
            pdf_source._read_pages(pdf, data, path, password, backwards(), read)
        except BadInput as e:  # (it stops taking pages: those before it are this process's)
            send((at.pop(), "bad", (e.path, e.what, e.todo), _taken_records(keep)))
        except Exception as e:  # noqa: BLE001  (raised where the pages are joined, in page order)
            send((at.pop(), "raise", e, _taken_records(keep)))
        return True

    child = Stream(copy)
    theirs: list = []

    def forwards():
        for pno in claims.front():
            theirs.extend(child.parts())
            yield pno

    try:
        _recognizers()  # (while the copy reads pages: it then reads more of them)
        out = pdf_source._read_pages(pdf, data, path, password, forwards())  # an error here is the first in page order
        ok, rest, _ = child.finish()
    finally:
        child.kill()  # (stopped here by an error or the alarm: the copy goes too; nothing once finished)
        claims.close()
    if not ok:
        raise MemoryError()  # (the copy died without a word, as a worker over its memory does)
    theirs.extend(rest)
    theirs.sort(key=lambda part: part[0])  # (read from the last page back)
    value, records, failed = pdf_source._Pages(), [], None
    for _, how, got, recs in theirs:
        records += recs
        if how == "ok":
            _add(value, got)
        else:
            failed = failed or (how, got)  # (the copy stops at its first error: its last part)
    if failed is not None:
        pdf_source._join(out, *failed, records)
    pdf_source._join(out, "ok", value, records)
    return out


def _taken(read):
    """What ``read`` holds (the last page's lines and notes), taken out of it."""
    from .sources import pdf as pdf_source

    page = pdf_source._Pages(lines=list(read.lines), empty_pages=list(read.empty_pages),
                             unmapped_pages=list(read.unmapped_pages), ocr_pages=list(read.ocr_pages),
                             missing_ocr=read.missing_ocr)
    read.lines.clear()
    read.empty_pages.clear()
    read.unmapped_pages.clear()
    read.ocr_pages.clear()
    return page


def _taken_records(keep) -> list:
    records = list(keep.records)
    keep.records.clear()
    return records


def _add(out, page) -> None:
    out.lines += page.lines
    out.empty_pages += page.empty_pages
    out.unmapped_pages += page.unmapped_pages
    out.ocr_pages += page.ocr_pages
    out.missing_ocr = out.missing_ocr or page.missing_ocr


def _recognizers() -> None:
    """The layout recognizers imported, as reading the document will need them next (a
    tenth of a second of imports the first time, otherwise nothing)."""
    try:
        from . import layouts

        layouts._load_all()
    except Exception:  # noqa: BLE001  (imported again where the document is read, which says what is wrong)
        pass
