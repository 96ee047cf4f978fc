"""The fast geometry path reads what the straightforward one read (issue 18): rows of
characters by a running mean, cells by bisection, pdfium through integer handles, and
a large PDF's pages spread over forked processes all give the same lines, byte for
byte, and the same errors."""

from __future__ import annotations

import ctypes
import dataclasses
from pathlib import Path
from statistics import median

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings, strategies as st

from extractor.sources import BadInput
from extractor.sources import pdf

from .conftest import FIXTURES

PDFS = sorted((FIXTURES / "pdf").glob("*.pdf"))


def rows_reference(chars):
    """``rows_of`` as it was: the row's mean middle summed again for every character."""
    if not chars:
        return []
    h = median(c.height for c in chars) or 1.0
    rows = []
    for c in sorted(chars, key=lambda c: (c.middle, c.x0)):
        if rows and abs(c.middle - sum(x.middle for x in rows[-1]) / len(rows[-1])) <= 0.5 * h:
            rows[-1].append(c)
        else:
            rows.append([c])
    return [sorted(r, key=lambda c: c.x0) for r in rows]


coords = st.floats(min_value=0, max_value=60, allow_nan=False).map(lambda v: round(v * 4) / 4)  # ties on purpose


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(coords, coords, st.floats(min_value=0.5, max_value=12).map(lambda v: round(v * 2) / 2)),
                max_size=60))
def test_rows_by_running_mean_are_the_rows_by_summing_again(spec):
    chars = [pdf.Char(chr(0x3042 + i % 80), x, x + 5, top, top + h) for i, (x, top, h) in enumerate(spec)]
    assert [[id(c) for c in r] for r in pdf.rows_of(chars)] == [[id(c) for c in r] for r in rows_reference(chars)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("あい1 ,"), coords, st.floats(min_value=0.5, max_value=12).map(lambda v: round(v * 2) / 2),
                          st.floats(min_value=0.5, max_value=14).map(lambda v: round(v * 2) / 2)), max_size=40))
def test_a_rows_line_in_one_pass_is_its_text_and_spans(spec):
    """``row_line`` (one pass: glyphs, text and cell extents) against ``row_text`` and
    ``row_spans`` as they are: spaces anywhere (first, last, runs of them), gaps on either
    side of the word and cell thresholds, overlapping characters."""
    row, x = [], 0.0
    for ch, gap, w, h in spec:
        x += gap - 3
        row.append(pdf.Char(ch, x, x + w, 10.0, 10.0 + h))
        x += w
    made = pdf.row_line(row)
    glyphs = [c for c in row if c.ch != " "]
    if not glyphs:
        assert made is None
        return
    assert [id(c) for c in made[0]] == [id(c) for c in glyphs]
    assert made[1] == pdf.row_text(row)
    assert made[2] == pdf.row_spans(row)


def _all_chars(path: Path, fast: bool):
    doc = pdfium.PdfDocument(str(path))
    saved = pdf._FAST
    try:
        pdf._FAST = saved if fast else None
        out = []
        for i in range(len(doc)):
            page = doc[i]
            out.append((pdf._chars(page), pdf._path_bounds(page)))
            page.close()
        return out
    finally:
        pdf._FAST = saved
        doc.close()


@pytest.mark.skipif(pdf._FAST is None, reason="pypdfium2's library is not reachable for the integer-handle bindings")
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_integer_handle_bindings_give_the_portable_boxes(path):
    fast, portable = _all_chars(path, True), _all_chars(path, False)
    assert fast == portable
    assert [[dataclasses.astuple(c) for c in chars] for (chars, _), _b in fast] == \
        [[dataclasses.astuple(c) for c in chars] for (chars, _), _b in portable]


from . import pdfs  # noqa: E402


def _page_chars(data: bytes, fast: bool):
    doc = pdfium.PdfDocument(data)
    saved = pdf._FAST
    try:
        pdf._FAST = saved if fast else None
        chars, unmapped = pdf._chars(doc[0])
        return [dataclasses.astuple(c) for c in chars], unmapped
    finally:
        pdf._FAST = saved
        doc.close()


@pytest.mark.skipif(pdf._FAST is None, reason="pypdfium2's library is not reachable for the integer-handle bindings")
@pytest.mark.parametrize("make", [pdfs.form_text_pdf, pdfs.line_end_hyphen_pdf, pdfs.supplementary_pdf, pdfs.unmapped_cid_pdf],
                         ids=lambda f: f.__name__)
def test_what_is_asked_once_a_page_or_object_gives_the_portable_boxes(make):
    """The page's text in one call and each text object's font, size and matrix asked
    once: a space pdfium generates inside a scaled form's text object (its own matrix), a
    hyphen at a line's end (U+FFFE in the page's text), a character outside the BMP (the
    text no longer one value per character) and glyphs with no Unicode mapping."""
    fast = _page_chars(make(), True)
    assert fast == _page_chars(make(), False)
    assert fast[0]


@pytest.mark.skipif(pdf._FAST is None, reason="pypdfium2's library is not reachable for the integer-handle bindings")
def test_a_page_is_read_with_one_text_call_and_one_font_size_per_text_object():
    calls: dict[str, int] = {}

    def counted(name, f):
        def call(*args):
            calls[name] = calls.get(name, 0) + 1
            return f(*args)
        return call

    api = {name: counted(name, f) for name, f in pdf._FAST.items()}
    doc = pdfium.PdfDocument(str(FIXTURES / "pdf" / "schedule_kyotaku_ruled.pdf"))
    try:
        chars, _ = pdf._chars_fast(doc[0], api)
    finally:
        doc.close()
    assert len(chars) > 100
    assert calls["text"] == 1 and "unicode" not in calls  # no U+FFFE on this page
    assert calls["size"] == calls["font"] < len(chars) / 4
    assert calls["map_error"] >= len(chars)


def _pages(tmp_path: Path, n: int) -> Path:
    """A PDF of ``n`` pages cycling through the PDF fixtures."""
    srcs = [pdfium.PdfDocument(str(p)) for p in PDFS]
    doc = pdfium.PdfDocument.new()
    for k in range(n):
        doc.import_pages(srcs[k % len(srcs)], [0])
    out = tmp_path / "pages.pdf"
    doc.save(str(out))
    return out


def _lines(doc):
    return [(ln.number, ln.page, ln.raw, ln.text, [str(v) for v in ln.bbox or []], ln.spans) for ln in doc.lines]


@pytest.fixture
def parallel(monkeypatch):
    monkeypatch.setattr(pdf, "PAGE_JOBS", 3)
    monkeypatch.setattr(pdf, "PAGES_PER_JOB", 2)


def test_pages_read_in_parallel_are_the_pages_read_in_one_process(tmp_path, monkeypatch):
    path = _pages(tmp_path, 8)
    one = pdf.read_pdf(path)
    monkeypatch.setattr(pdf, "PAGE_JOBS", 3)
    monkeypatch.setattr(pdf, "PAGES_PER_JOB", 2)
    three = pdf.read_pdf(path)
    assert _lines(three) == _lines(one) and three.lines == one.lines
    assert three.notes == one.notes and three.sha256 == one.sha256 and three.kind == one.kind
    assert {ln.page for ln in three.lines} == set(range(1, 9))


def test_the_first_bad_page_in_page_order_is_the_error_in_parallel_too(tmp_path, monkeypatch, parallel):
    path = _pages(tmp_path, 8)
    real = pdf._load_page

    def bad_from_page_5(doc, pno, where):  # pages 5 and 8 fail, in the second and third runs
        if pno in (4, 7):
            raise BadInput(str(where), f"is damaged: page {pno + 1} cannot be loaded (test)", "get a fresh copy of the PDF")
        return real(doc, pno, where)

    monkeypatch.setattr(pdf, "_load_page", bad_from_page_5)
    with pytest.raises(BadInput, match="page 5 cannot be loaded"):
        pdf.read_pdf(path)


def test_a_large_pdf_is_spread_over_page_jobs_by_the_engine(tmp_path, monkeypatch):
    from extractor import engine

    seen = []
    monkeypatch.setattr(engine, "_pool", lambda work, workers, mem, timeout: seen.append((work, workers)) or iter(()))
    monkeypatch.setattr(engine.os, "cpu_count", lambda: 2)
    list(engine.outcomes([("a.pdf", None, False, 300)], 2, "local", None))
    assert seen[-1] == ([("a.pdf", None, False, 300, 2)], 1)
    list(engine.outcomes([("a.pdf", None, False, 300), ("b.pdf", None, False, 300)], 2, "local", None))
    assert seen[-1] == ([("a.pdf", None, False, 300), ("b.pdf", None, False, 300)], 2)
    list(engine.outcomes([("a.pdf", None, False, 300)], 1, "local", None))
    assert seen[-1] == ([("a.pdf", None, False, 300)], 1)


def _dump(res) -> str:
    from extractor.output import document_piece

    return document_piece(res, "json") + document_piece(res, "jsonl")


@pytest.mark.parametrize("path", PDFS + sorted((FIXTURES / "html").glob("*.htm*"))[:2], ids=lambda p: p.name)
def test_readings_weighed_in_parallel_are_the_readings_weighed_in_one_process(path, monkeypatch):
    """The family plug-in weighed in a forked process and the general reader's tables read
    in two halves (``--jobs`` on a long document) give the same result."""
    from extractor import pipeline

    one = _dump(pipeline.extract(path))
    monkeypatch.setattr(pdf, "PAGE_JOBS", 2)
    monkeypatch.setattr(pipeline, "PARALLEL_LINES", 1)
    assert _dump(pipeline.extract(path)) == one


def test_a_document_written_in_the_worker_is_what_the_parent_writes(tmp_path, monkeypatch):
    """`extract` has each document written in its format where it was read (and kept so in
    the cache): the same bytes as the result written by the parent, and a cached run's too."""
    from extractor import engine
    from extractor.output import Rendered, pieces

    monkeypatch.setenv("TARIFF_CACHE", str(tmp_path / "cache"))
    paths = [str(p) for p in PDFS[:2]]
    for fmt in ("jsonl", "csv", "json"):
        whole = "".join(pieces([engine.extract_one((p, None, False, 300)) for p in paths], fmt))
        for cached in (False, True, True):  # a cold run filling the cache, then two hits
            got = list(engine.outcomes([(p, None, cached, 300, 1, fmt) for p in paths], 1, "local", None))
            assert all(isinstance(r, Rendered) for r in got)
            assert "".join(pieces(got, fmt)) == whole


@pytest.mark.parametrize("path", PDFS + sorted((FIXTURES / "text").glob("*.txt"))[:6], ids=lambda p: p.name)
def test_a_long_document_holding_one_reading_at_a_time_reads_the_same(path, monkeypatch):
    """A long document keeps only the family plug-in's weight while the general reader
    reads (its rows read again when it wins), and the general reader lets each table go
    once read: the same result, and nothing of the document is kept after it."""
    from extractor import layouts, pipeline

    one = _dump(pipeline.extract(path))
    monkeypatch.setattr(pipeline, "PARALLEL_LINES", 1)
    assert _dump(pipeline.extract(path)) == one
    assert layouts.REGISTRY[layouts.GENERAL]._last == (None, None, 0)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_rows_let_go_as_they_are_written_are_written_the_same(fmt):
    from extractor import pipeline
    from extractor.output import Rendered

    kept, released = (pipeline.extract(PDFS[0]) for _ in range(2))
    assert kept.rows
    a = Rendered.of(kept, fmt)
    b = Rendered.of(released, fmt, release=True)
    assert (b.piece, b.n_rows, b.status) == (a.piece, a.n_rows, a.status)
    assert all(r is None for r in released.rows) and all(r is not None for r in kept.rows)


def test_help_imports_neither_the_model_nor_the_readers():
    """`tariff --help` (and `extract --help`) start light: no pydantic, no pdfium, no lxml."""
    import subprocess
    import sys

    code = ("import sys\nfrom extractor.cli import main\n"
            "for argv in (['--help'], ['extract', '--help']):\n"
            "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('pydantic', 'pypdfium2', 'lxml', 'openpyxl', 'extractor.model') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_a_cache_entry_is_written_in_parts_as_it_was_written_whole(tmp_path, monkeypatch):
    """The cache writes a result's JSON and a written document in parts (a long document's
    entry is not copied whole to be joined): the same bytes as one string, read back the same."""
    from extractor import cache, pipeline

    monkeypatch.setenv("TARIFF_CACHE", str(tmp_path))
    res = pipeline.extract(PDFS[0])
    cache.put("ab" + "0" * 62, res, str(PDFS[0]))
    entry = tmp_path / "ab" / ("ab" + "0" * 62 + ".json")
    assert entry.read_bytes() == b"\n" + res.model_dump_json().encode("utf-8")
    assert cache.get("ab" + "0" * 62) == res
    out = cache.put_rendered("cd" + "0" * 62, res, "jsonl")
    assert cache.get_rendered("cd" + "0" * 62, "jsonl").piece == out.piece


def _dask_and_local(tmp_path, path, capsys):
    """`extract` of ``path`` by one local process, then on an in-process Dask cluster of two
    one-thread workers: (exit code, stdout bytes, stderr) of each."""
    distributed = pytest.importorskip("distributed")
    from extractor.cli import main

    out = []
    for how in ("local", "dask"):
        target = tmp_path / f"{how}.jsonl"
        if how == "local":
            rc = main(["extract", str(path), "--no-cache", "-o", str(target)])
        else:
            with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
                rc = main(["extract", str(path), "--no-cache", "--executor", "dask", "--scheduler", cluster.scheduler_address,
                           "-o", str(target)])
        out.append((rc, target.read_bytes() if target.exists() else None, capsys.readouterr().err))
    return out


def test_a_large_pdf_on_a_dask_cluster_is_read_in_page_runs_and_writes_what_one_process_writes(tmp_path, monkeypatch, capsys):
    path = _pages(tmp_path, 8)
    monkeypatch.setattr(pdf, "PAGES_PER_JOB", 2)
    joined = []
    real = pdf._join
    monkeypatch.setattr(pdf, "_join", lambda out, how, value, records: joined.append(how) or real(out, how, value, records))
    local, dask = _dask_and_local(tmp_path, path, capsys)
    assert joined == ["ok", "ok"]  # two runs of four pages, one task each (two threads in the cluster)
    assert dask[:2] == local[:2] and local[1]
    assert dask[2].replace("dask.jsonl", "local.jsonl") == local[2]


def test_the_first_bad_page_in_page_order_is_the_error_on_a_dask_cluster_too(tmp_path, monkeypatch, capsys):
    path = _pages(tmp_path, 8)
    monkeypatch.setattr(pdf, "PAGES_PER_JOB", 2)
    real = pdf._load_page

    def bad_from_page_5(doc, pno, where):  # pages 5 and 8 fail, both in the second run
        if pno in (4, 7):
            raise BadInput(str(where), f"is damaged: page {pno + 1} cannot be loaded (test)", "get a fresh copy of the PDF")
        return real(doc, pno, where)

    monkeypatch.setattr(pdf, "_load_page", bad_from_page_5)
    local, dask = _dask_and_local(tmp_path, path, capsys)
    assert "page 5 cannot be loaded" in local[2] and dask[0] == local[0] and dask[2] == local[2]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_runs_of_pages_read_on_their_own_join_to_the_whole_reading(path):
    """``read_run`` (a Dask task's share of a large PDF) over each cut of the fixture's pages,
    joined in page order, gives the lines and notes of the document read whole."""
    whole = pdf.read_pdf(path)
    n = len(pdfium.PdfDocument(str(path)))
    for cut in range(n + 1):
        out = pdf._Pages()
        for a, b in ((0, cut), (cut, n)):
            pdf._join(out, *pdf.read_run(str(path), None, a, b))
        assert [dataclasses.astuple(ln) for ln in out.lines] == [dataclasses.astuple(ln) for ln in whole.lines]
        assert (out.empty_pages, out.unmapped_pages, out.ocr_pages) == (
            whole.notes["empty_pages"], whole.notes["unmapped"], whole.notes["ocr_pages"])


def test_the_collector_runs_less_often_while_a_document_is_read_and_as_before_after(monkeypatch):
    import gc

    from extractor import pipeline

    seen = []
    real = pipeline.sources.read
    monkeypatch.setattr(pipeline.sources, "read", lambda *a: seen.append(gc.get_threshold()) or real(*a))
    before = gc.get_threshold()
    one = _dump(pipeline.extract(PDFS[0]))
    assert gc.get_threshold() == before and seen[-1][0] == max(before[0], pipeline.GC_YOUNG)
    gc.set_threshold(700, 10, 10)  # Python's default, whatever the test run set
    try:
        assert _dump(pipeline.extract(PDFS[0])) == one
        assert gc.get_threshold() == (700, 10, 10) and seen[-1] == (pipeline.GC_YOUNG, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_a_batch_of_pdfs_compiles_no_other_kinds_reader_nor_ocr(tmp_path):
    """A PDF with a text layer is read without importing the HTML, spreadsheet and Word
    readers or the OCR modules (a thousand lines of Tesseract handling compiled for nothing
    at every start); a page with no text still gets them (``test_pdf``'s scans)."""
    import subprocess
    import sys

    code = ("import sys\nfrom extractor.cli import main\n"
            f"try:\n    main(['extract', {str(PDFS[0])!r}, '--no-cache', '-o', {str(tmp_path / 'out.jsonl')!r}])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('extractor.sources.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout
    loaded = eval(out.strip().splitlines()[-1])
    assert "extractor.sources.pdf" in loaded
    assert not {"extractor.sources.html", "extractor.sources.xlsx", "extractor.sources.docx",
                "extractor.sources.tesseract", "extractor.sources.tiers", "extractor.sources.recell"} & set(loaded)


def test_each_kind_is_read_by_the_module_of_its_suffixes():
    import importlib

    from extractor import sources

    for suffixes, module in sources.KINDS:
        mod = importlib.import_module(f"extractor.sources.{module}")
        assert suffixes == frozenset(getattr(mod, f"{module.upper()}_SUFFIXES"))
    assert sources.SUFFIXES == frozenset().union(*(s for s, _ in sources.readers()))
    assert sources.reader_for(".ods") is None


def _netted(monkeypatch):
    from extractor import pipeline

    real, netted = pipeline.lost_amounts, []
    monkeypatch.setattr(pipeline, "lost_amounts", lambda doc, parsed: netted.append(parsed) or real(doc, parsed))
    return netted


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
def test_a_plug_in_that_cannot_reach_the_general_readers_weight_is_not_netted(monkeypatch, long):
    """The family plug-in's weight is what it read less what the net finds lost: when what
    it read is already below the general reader's weight, its net (a pass over every line)
    is not cast, and the choice is the one the full weighing made."""
    from extractor import layouts, pipeline, sources

    if long:
        monkeypatch.setattr(pipeline, "PARALLEL_LINES", 1)
    netted = _netted(monkeypatch)
    doc = sources.read(FIXTURES / "prices" / "two_pages.pdf")
    assert pipeline._family(doc)[1].name == "tabbed-schedule"  # in the running, and losing
    reader, _, parsed = pipeline.choose(doc)
    assert reader.name == layouts.GENERAL and netted == [parsed]


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
def test_a_plug_in_that_may_win_is_weighed_with_its_net(monkeypatch, long):
    from extractor import pipeline, sources

    if long:
        monkeypatch.setattr(pipeline, "PARALLEL_LINES", 1)
    netted = _netted(monkeypatch)
    doc = sources.read(FIXTURES / "pdf" / "leaflet_kyotaku_stream.pdf")
    reader, _, parsed = pipeline.choose(doc)
    assert reader.name == "fee-leaflet" and len(netted) == 2  # its own and the general reader's


@pytest.mark.parametrize("name, family, nets", [("prices/two_pages.pdf", "general-table", 1),
                                                 ("pdf/leaflet_kyotaku_stream.pdf", "fee-leaflet", 2)])
def test_with_page_workers_the_copy_weighs_the_plug_in_without_its_net(tmp_path, monkeypatch, name, family, nets):
    """With two page workers the family plug-in is read by a forked copy, which sends back
    what it read; it is netted (here) only when it may reach the general reader's weight:
    the same choice as one process, and no net cast for a plug-in that cannot win, in
    either process (the nets are counted in a file both write to)."""
    from extractor import pipeline, sources

    one = pipeline.choose(sources.read(FIXTURES / name))
    counts = tmp_path / "nets"
    real = pipeline.lost_amounts

    def counted(doc, parsed):
        with open(counts, "a") as f:
            f.write("x")
        return real(doc, parsed)

    monkeypatch.setattr(pipeline, "lost_amounts", counted)
    monkeypatch.setattr(pipeline, "PARALLEL_LINES", 1)
    monkeypatch.setattr(pdf, "PAGE_JOBS", 2)
    reader, score, parsed = pipeline.choose(sources.read(FIXTURES / name))
    assert reader.name == one[0].name == family and score == one[1]
    assert [r.model_dump() for r in parsed.rows] == [r.model_dump() for r in one[2].rows]
    assert len(counts.read_text()) == nets


@pytest.mark.skipif(pdf._FAST is None, reason="pypdfium2's library is not reachable for the integer-handle bindings")
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_a_page_of_embedded_fonts_is_read_without_asking_each_character_its_object(path):
    """The walk over a page's objects (for its rules) also notes its text objects' fonts:
    on a page whose fonts are all embedded every box is pdfium's loose box, and no
    character is asked its text object; the characters are the portable path's."""
    calls: dict[str, int] = {}
    api = {name: (lambda f, name: lambda *a: calls.__setitem__(name, calls.get(name, 0) + 1) or f(*a))(f, name)
           for name, f in pdf._FAST.items()}
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(doc)):
            page = doc[i]
            bounds, fonts = pdf._page_objects(page)
            assert bounds == pdf._path_bounds(page)
            loose = pdf._loose_only(fonts)
            calls.clear()
            fast = pdf._chars_fast(page, api, loose)
            saved = pdf._FAST
            pdf._FAST = None
            try:
                portable = pdf._chars(page)
            finally:
                pdf._FAST = saved
            assert [dataclasses.astuple(c) for c in fast[0]] == [dataclasses.astuple(c) for c in portable[0]]
            assert fast[1] == portable[1]
            # leaflet_kyotaku_stream.pdf sets its text in fonts it does not embed (declared boxes)
            assert loose == (path.name != "leaflet_kyotaku_stream.pdf")
            assert ("text_object" in calls) == (not loose)
    finally:
        doc.close()


@pytest.mark.skipif(pdf._FAST is None, reason="pypdfium2's library is not reachable for the integer-handle bindings")
def test_text_in_fonts_not_embedded_or_in_forms_too_deep_is_asked_character_by_character():
    doc = pdfium.PdfDocument(pdfs.form_text_pdf())
    try:
        page = doc[0]
        _, fonts = pdf._page_objects(page)
        assert fonts and not pdf._loose_only(fonts)  # Helvetica, not embedded
        shallow: set = set()
        pdf._walk_paths(pdf._FAST, ctypes.cast(page.raw, ctypes.c_void_p).value, None, 0, [], max_depth=1, fonts=shallow)
        assert None in shallow and not pdf._loose_only(shallow)  # a form not entered: its text unknown
    finally:
        doc.close()
    assert not pdf._loose_only(None)


def gutter_reference(rows):
    """``structure._gutter`` as it was: each row's cells taken apart and tested again for
    every strip and every count."""
    from extractor.tables.structure import _header_twice, _valued

    wide = [r for r in rows if r.placed and len(r.filled) >= 3]
    if len(wide) < 4:
        return None
    spans = sorted((c.start, c.end) for r in wide for c in r.filled)
    gaps, reach = [], spans[0][1]
    for a, b in spans[1:]:
        if a - reach >= 10:
            gaps.append((reach, a))
        reach = max(reach, b)
    value = _valued

    def table_like(cells):
        return any(value(c.text) for c in cells) and any(not value(c.text) for c in cells)

    def cut(mid):
        return sum(1 for r in wide if table_like([c for c in r.filled if c.end <= mid])
                   and (cs := [c for c in r.filled if c.start >= mid]) and all(value(c.text) for c in cs))

    for a, b in sorted(gaps, key=lambda g: (cut((g[0] + g[1]) / 2) >= 2, g[0] - g[1])):
        mid = (a + b) / 2
        narrow = b - a < 25
        both = sum(1 for r in wide if table_like([c for c in r.filled if c.end <= mid])
                   and table_like(cs := [c for c in r.filled if c.start >= mid]) and not (narrow and value(cs[0].text)))
        if both >= 2 and both * 3 >= sum(1 for r in wide if any(value(c.text) for c in r.filled)):
            return mid
        left = sum(1 for r in wide if table_like([c for c in r.filled if c.end <= mid]))
        right = sum(1 for r in wide if table_like(cs := [c for c in r.filled if c.start >= mid]) and not value(cs[0].text)
                    and (not (ls := [c for c in r.filled if c.end <= mid]) or table_like(ls)))
        if left >= 2 and right >= 2 and (not narrow or both >= 2 or _header_twice(rows, mid)):
            return mid
    return None


_TEXTS = ["身体介護", "要介護1", "単位数", "1割", "利用者負担", "", "1,234円", "650", "10%", "+83単位", "訪問看護Ⅰ", "備考"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_TEXTS), st.sampled_from([0, 20, 60, 90, 130, 170, 200, 260, 300, 330])),
                         min_size=1, max_size=7), min_size=0, max_size=9))
def test_the_gutter_is_found_where_it_was_found(spec):
    """Side-by-side tables' strip: each row's cells tested once for all strips (what
    ``_gutter`` does now) finds the strip the row-by-row tests found."""
    from extractor.sources.base import Line
    from extractor.tables.cells import Cell, Row
    from extractor.tables.structure import _gutter

    rows = []
    for k, cells in enumerate(spec):
        placed = [Cell(t, x, x + 25) for t, x in sorted(cells, key=lambda c: c[1])]
        rows.append(Row(Line.of("\t".join(c.text for c in placed), k + 1, 1), placed, aligned=True, placed=True))
    assert _gutter(rows) == gutter_reference(rows)


def _yen_split_score_reference(doc) -> float:
    """``YenSplitTable.score`` as it was: four passes over the lines."""
    from extractor.layouts.yen_split_table import _PRICE, _YEN
    from extractor.terms import amount_keys

    prices = sum(1 for ln in doc.lines if _PRICE.search(ln.text))
    headers = sum(1 for ln in doc.lines if len(amount_keys(ln.text)) >= 2 and not _YEN.search(ln.text))
    yen_rows = sum(1 for ln in doc.lines if len(_YEN.findall(ln.text)) >= 2)
    if not headers or not yen_rows:
        return 0.0
    bare = sum(1 for ln in doc.lines if len(_YEN.findall(ln.text)) >= 2 and not _YEN.sub("", ln.text).strip())
    by_rows = min(0.95, 0.6 + 0.03 * bare) if bare >= 3 else 0.0
    return max(by_rows, min(0.95, 0.6 + 0.02 * yen_rows) if prices else 0.0)


@pytest.mark.parametrize("path", sorted(p for kind in ("pdf", "text", "html", "prices", "xlsx", "docx")
                                        for p in (FIXTURES / kind).glob("*") if p.suffix != ".json"), ids=lambda p: p.name)
def test_the_yen_split_score_in_one_pass_is_the_score(path):
    from extractor import layouts, sources

    layouts._load_all()
    doc = sources.read(path)
    assert layouts.REGISTRY["yen-split-table"].score(doc) == _yen_split_score_reference(doc)
