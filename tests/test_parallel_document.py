"""One long document read with `--jobs 2` (issue 18: pages in parallel): its pages, its
tables and the writing of its rows are shared by the worker and a forked copy of it,
taken from both ends (``claims.Claims``), so each does what it has time for. Which
process read a page or a table, and where the two met, never changes the output: it is
the output of one process, byte for byte, whatever the meeting point (forced here on
either side of a table that runs over a page break), and a copy that fails or dies
leaves its share to be done by the worker."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractor import claims, engine, layouts, output, pipeline
from extractor.sources import BadInput
from extractor.sources import pdf

from .conftest import FIXTURES

RULED = FIXTURES / "pdf" / "schedule_kyotaku_ruled.pdf"  # two pages: its table runs over the page break
OTHERS = [FIXTURES / "pdf" / n for n in ("shogai_sheet_ruled.pdf", "leaflet_kyotaku_stream.pdf", "roken_sheet_columns.pdf")]


def _document(tmp_path: Path, blocks: int = 6) -> Path:
    """A PDF of ``blocks`` times: the two pages of a table over a page break, then a page
    of another fixture (pages 1-2 one table, 3 another kind, 4-5 the table again …)."""
    ruled = pdfium.PdfDocument(str(RULED))
    others = [pdfium.PdfDocument(str(p)) for p in OTHERS]
    doc = pdfium.PdfDocument.new()
    for k in range(blocks):
        doc.import_pages(ruled, [0, 1])
        doc.import_pages(others[k % len(others)], [0])
    out = tmp_path / "long.pdf"
    doc.save(str(out))
    return out


@pytest.fixture
def parallel(monkeypatch):
    """Every part shared even on a short document: its pages, readings, tables and rows."""
    monkeypatch.setattr(pdf, "PAGES_PER_JOB", 2)
    monkeypatch.setattr(pipeline, "PARALLEL_LINES", 1)
    monkeypatch.setattr(output, "PARALLEL_ROWS", 1)


class _MeetAt(claims.Claims):
    """Claims whose front, past ``STOP``, lets the back take items for a while before it
    takes any more: the meeting point pushed to ``STOP`` (inside a table, at either end),
    while every item is still taken once, as when the back stops early (an error)."""

    STOP = 0

    def front(self):
        import time

        for k in super().front():
            yield k
            if k + 1 >= self.STOP:
                break
        time.sleep(0.3)
        yield from super().front()


def _meet_at(monkeypatch, stop: int) -> None:
    monkeypatch.setattr(_MeetAt, "STOP", stop)
    monkeypatch.setattr(claims, "Claims", _MeetAt)


def _written(path: Path, jobs: int, fmt: str) -> str:
    res = engine.extract_one((str(path), None, False, 300, jobs, fmt))
    assert isinstance(res, output.Rendered), res
    return "".join(res.texts())


def _lines(doc):
    return [(ln.number, ln.page, ln.raw, ln.text, [str(v) for v in ln.bbox or []], ln.spans) for ln in doc.lines]


def test_two_processes_take_each_item_once_and_a_run_each():
    for n in (0, 1, 2, 7, 500):
        c = claims.Claims(n)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: from the back
            os.close(r)
            os.write(w, repr(list(c.back())).encode())
            os._exit(0)
        os.close(w)
        front = list(c.front())
        chunks = []
        while chunk := os.read(r, 1 << 16):
            chunks.append(chunk)
        os.close(r)
        os.waitpid(pid, 0)
        back = eval(b"".join(chunks).decode())
        assert front == list(range(c.meet)) and back == list(range(n - 1, c.meet - 1, -1))
        c.close()


@pytest.mark.parametrize("stop", [0, 1, 4, 11, 18])  # (4: the copy's pages begin with the second page of a table)
def test_pages_read_from_both_ends_are_the_pages_read_in_one_process(tmp_path, monkeypatch, stop):
    path = _document(tmp_path)
    one = pdf.read_pdf(path)
    monkeypatch.setattr(pdf, "PAGE_JOBS", 2)
    monkeypatch.setattr(pdf, "PAGES_PER_JOB", 2)
    _meet_at(monkeypatch, stop)
    two = pdf.read_pdf(path)
    assert _lines(two) == _lines(one) and two.lines == one.lines and two.notes == one.notes


def test_the_copys_log_records_come_in_page_order(tmp_path, monkeypatch, caplog):
    path = _document(tmp_path, 2)  # six pages; the copy reads pages 3 to 6, from the last back
    real = pdf._load_page

    def noisy(doc, pno, where):
        logging.getLogger("tariff").warning("page %d", pno + 1)
        return real(doc, pno, where)

    monkeypatch.setattr(pdf, "_load_page", noisy)
    monkeypatch.setattr(pdf, "PAGE_JOBS", 2)
    monkeypatch.setattr(pdf, "PAGES_PER_JOB", 2)
    _meet_at(monkeypatch, 2)
    with caplog.at_level(logging.WARNING, logger="tariff"):
        pdf.read_pdf(path)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("page ")] == [f"page {k}" for k in range(1, 7)]


@pytest.mark.parametrize("stop", [1, 5])
def test_the_first_bad_page_is_the_error_whichever_end_read_it(tmp_path, monkeypatch, stop):
    path = _document(tmp_path, 3)
    real = pdf._load_page

    def bad(doc, pno, where):  # pages 3 and 8 fail: the copy reads page 8 first
        if pno in (2, 7):
            raise BadInput(str(where), f"is damaged: page {pno + 1} cannot be loaded (test)", "get a fresh copy of the PDF")
        return real(doc, pno, where)

    monkeypatch.setattr(pdf, "_load_page", bad)
    monkeypatch.setattr(pdf, "PAGE_JOBS", 2)
    monkeypatch.setattr(pdf, "PAGES_PER_JOB", 2)
    _meet_at(monkeypatch, stop)
    with pytest.raises(BadInput, match="page 3 cannot be loaded"):
        pdf.read_pdf(path)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
def test_a_document_read_with_jobs_2_writes_what_one_process_writes(tmp_path, monkeypatch, parallel, fmt):
    path = _document(tmp_path)
    one = _written(path, 1, fmt)
    for stop in (0, 3, 7, 10**6):  # the meeting points of pages, tables and rows alike: none, early, late, the end
        _meet_at(monkeypatch, stop)
        assert _written(path, 2, fmt) == one, stop
    assert output._Both._early == {}
    assert layouts.REGISTRY[layouts.GENERAL]._last == (None, None, 0)


def test_the_engine_spreads_one_document_over_two_cores_and_writes_the_same(tmp_path, monkeypatch, parallel):
    path = _document(tmp_path)
    monkeypatch.setattr(engine.os, "cpu_count", lambda: 2)
    for fmt in ("jsonl", "json"):
        got = {jobs: "".join(output.pieces(engine.outcomes([(str(path), None, False, 300, 1, fmt)], jobs, "local", None), fmt))
               for jobs in (1, 2)}
        assert got[2] == got[1]


def test_copies_that_die_leave_their_share_to_the_worker(tmp_path, monkeypatch, parallel):
    """A copy that dies (out of memory, a crash) while reading tables or writing rows: the
    worker reads or writes what it had taken, and the output is the same."""
    from extractor.layouts import general_table

    path = _document(tmp_path)
    one = _written(path, 1, "jsonl")
    worker = os.getpid()
    real_read, real_json = general_table.read_table, output.row_json

    def read_table(*a, **kw):
        if os.getpid() != worker:
            os._exit(9)
        return real_read(*a, **kw)

    def row_json(r):
        if os.getpid() != worker:
            os._exit(9)
        return real_json(r)

    monkeypatch.setattr(general_table, "read_table", read_table)
    monkeypatch.setattr(output, "row_json", row_json)
    assert _written(path, 2, "jsonl") == one
    assert output._Both._early == {}


def test_rows_started_early_and_not_written_so_are_let_go(tmp_path, monkeypatch, parallel):
    """The copy that starts writing the general reader's rows before the net is worked out
    is stopped when the document ends otherwise (here: read, never written)."""
    path = _document(tmp_path)
    monkeypatch.setattr(pdf, "PAGE_JOBS", 2)
    monkeypatch.setattr(pipeline, "WRITE_FORMAT", "jsonl")
    res = pipeline.extract(path)
    early = list(output._Both._early.values())
    assert len(early) == 1 and early[0].rows is res.rows and early[0].child is not None
    pid = early[0].child[0]
    output.drop_early()
    assert output._Both._early == {}
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # (reaped)
