"""Memory and CPU inside one large document (issue 18): a document's rows are all held
until it is chosen, checked and written, so what one row costs is what a 1,000-page
document costs 27,000 times; and the safety net that looks at every line looks for the
out-of-scope words in one pass. Outputs stay as they were (tests/test_golden.py)."""

from __future__ import annotations

import pickle
import tracemalloc
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from extractor.model import Applied, Source, TariffRow
from extractor.pipeline import extract
from extractor.reading.columns import out_of_scope_pattern, out_of_scope_words


def a_row(k: int) -> TariffRow:
    """A row as a reader builds one: every field it knows given by name, its source with it."""
    src = Source(doc="doc.pdf", page=1 + k // 30, line=k % 30, lines=[k % 30], bbox=[Decimal("159.7"), Decimal("123.82"),
                 Decimal("618.97"), Decimal("132.71")], raw=f"2時間以上2時間30分未満\t461\t¥5,163\t¥4,646\t¥517 {k}")
    return TariffRow(doc="doc.pdf", page=src.page, line=src.line, scheme="shogai", service="重度訪問介護",
                     item="重度訪問介護", label="重度訪問介護", kind="base", care_levels=[], time_band="2時間以上2時間30分未満",
                     conditions=[], units=461, rate=None, rate_op=None, step=None, basis="visit",
                     amounts={"total": 5163, "benefit": 4646, "copay1": 517}, confidence=1.0, recognizer="general-table",
                     source=src, rules=[], corrections=[])


def test_a_row_costs_its_values_not_a_set_of_its_field_names():
    """pydantic keeps per record the set of the names it was given (2.2 KB for a row's 27
    names, 0.7 KB for its source's): this row cost 5.4 KB, 3 of them in those sets; 2.4 KB without."""
    a_row(0)  # (pydantic's first-use caches are not the rows')
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        rows = [a_row(k) for k in range(2000)]
        per_row = (tracemalloc.get_traced_memory()[0] - before) / len(rows)
    finally:
        tracemalloc.stop()
    assert per_row < 3500, f"{per_row:.0f} bytes a row"


def test_records_still_behave_as_records():
    r, other = a_row(1), a_row(2)
    r.unit_price, r.unit_price_source = Decimal("11.2"), "stated"  # (as the stated-price step does)
    assert other.unit_price is None and other.model_dump() == a_row(2).model_dump()
    copy = r.model_copy(update={"units": 462})
    assert copy.units == 462 and r.units == 461 and copy.model_dump(exclude={"units"}) == r.model_dump(exclude={"units"})
    back = pickle.loads(pickle.dumps([r, other]))
    assert back == [r, other] and back[0].model_dump_json() == r.model_dump_json()
    assert TariffRow.model_validate_json(r.model_dump_json()) == r
    assert Applied(rule="a", printed="x", read="y") == Applied(rule="a", printed="x", read="y", line=None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["食", "費", "事", "代", "居住", "おむつ", "実", "交通", "1,000円", " ", "\t", "x"]),
                max_size=12), st.data())
def test_out_of_scope_words_found_in_one_pass_as_word_by_word(parts, data):
    text = "".join(parts)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    found = out_of_scope_pattern().search(text, a, b) is not None
    assert found == any(w in text[a:b] for w in out_of_scope_words())


def test_an_out_of_scope_charge_beside_a_fee_is_not_a_lost_amount(tmp_path):
    """A table line with a fee the rows carry and, after it, a charge outside the tariff
    (食費 700円): the charge is never a lost amount, a yen printed before it is."""
    p = tmp_path / "doc.txt"
    p.write_text("サービス内容\t単位数\t利用料\n"
                 "通所介護\t656\t6,897円\n"
                 "入浴介助加算\t40\t420円\t食費\t700円\n"
                 "送迎減算\t47\t494円\t1,234円\t交通費\t300円\n", encoding="utf-8")
    res = extract(p)
    lost = [f.printed for f in res.findings if f.code == "lost-amount"]
    assert any("1,234円" in x for x in lost), lost
    assert all("700円" not in x and "300円" not in x for x in lost), lost


class _Wire:
    """A connection's sending end as ``multiprocessing`` has it, keeping only sizes: ``send``
    pickles its object whole (ForkingPickler.dumps), ``send_bytes`` sends a buffer as it is."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def send(self, obj) -> None:
        from multiprocessing.reduction import ForkingPickler

        self.sizes.append(len(ForkingPickler.dumps(obj)))

    def send_bytes(self, buf) -> None:
        self.sizes.append(len(memoryview(buf)))


def _piece(n: int) -> str:
    return "".join(f'{{"item": "身体介護{k}", "amounts": {{"total": {k}}}, "raw": "\\t461\\t¥5,163"}}\n' for k in range(n))


def test_a_worker_sends_a_long_document_a_part_at_a_time():
    """A worker sends a document written in its format back to the parent: its piece (25 MB
    of JSON Lines for 1,000 pages) pickled with the rest cost 3.7 × its UTF-8 more at the
    worker's peak; sent as UTF-8 a part at a time, a part's."""
    from extractor.engine import _send
    from extractor.output import Rendered

    piece = _piece(30000)
    size = len(piece.encode("utf-8"))
    wire = _Wire()
    res = Rendered(doc="d.pdf", fmt="jsonl", piece=piece, n_rows=30000, n_findings=0, status="ok")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        _send(wire, 3, res)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 0.5 * size, f"{peak / size:.2f} × the piece's UTF-8 at the peak"
    # the head, the parts, an empty message ending them, and what became of the writing (None)
    assert sum(wire.sizes[1:-2]) == size and len(wire.sizes) > 4 and wire.sizes[-2] == 0


def test_a_document_sent_by_a_worker_arrives_whole():
    import threading
    from multiprocessing import Pipe

    from extractor.engine import _receive, _send
    from extractor.output import Rendered

    piece = _piece(20000) + "a lone surrogate \udc80 as written\n"
    near, far = Pipe()
    got = []
    reader = threading.Thread(target=lambda: got.extend([_receive(far), _receive(far)]))
    reader.start()
    _send(near, 3, Rendered(doc="d.pdf", fmt="jsonl", piece=piece, n_rows=20001, n_findings=2, status="partial"))
    _send(near, 4, "tariff: e.pdf: is empty; give the PDF as published")
    reader.join(timeout=30)
    (i, res), (j, line) = got
    assert (i, res.piece, res.doc, res.n_rows, res.n_findings, res.status) == (3, piece, "d.pdf", 20001, 2, "partial")
    assert (j, line) == (4, "tariff: e.pdf: is empty; give the PDF as published")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "\t", "身", "¥", "\U0001f600", "\udc80", "\n"]), max_size=60),
       st.integers(1, 7))
def test_output_encoded_a_part_at_a_time_is_its_utf8(text, step):
    from extractor.output import utf8_chunks

    assert b"".join(utf8_chunks(text, "surrogatepass", step)) == text.encode("utf-8", "surrogatepass")
    if "\udc80" not in text:
        assert b"".join(utf8_chunks(text, step=step)) == text.encode("utf-8")


def test_a_cached_long_document_is_read_back_once(tmp_path, monkeypatch):
    """A document found written in the cache (the cached re-run of a 1,000-page PDF: 25 MB
    of JSON Lines) has its piece read once: it was copied twice more on the way (5.0 × the
    entry's size at the peak, 4.0 now: the bytes read and their text, decoded)."""
    from extractor import cache
    from extractor.model import DocumentResult

    monkeypatch.setenv("TARIFF_CACHE", str(tmp_path))
    res = DocumentResult(doc="doc.pdf", path="doc.pdf", sha256="0" * 64, source_kind="pdf",
                         rows=[a_row(k) for k in range(6000)])
    k = "ab" + "0" * 62
    piece = cache.put_rendered(k, res, "jsonl").piece
    size = (tmp_path / "ab" / f"{k}.jsonl").stat().st_size
    tracemalloc.start()
    try:
        at_rest = tracemalloc.get_traced_memory()[0]
        back = cache.get_rendered(k, "jsonl")
        reading = tracemalloc.get_traced_memory()[1] - at_rest
    finally:
        tracemalloc.stop()
    assert back is not None and back.piece == piece and (back.n_rows, back.doc, back.status) == (6000, "doc.pdf", "ok")
    assert reading < 4.5 * size, f"{reading / size:.2f} × the entry's size to read it"


def test_a_cached_re_run_imports_neither_the_model_nor_the_readers(tmp_path):
    """A document found written in the cache is written as it is: the re-run imports no
    pydantic (half a second of the cached re-run of a 1,000-page PDF) and no reader."""
    import subprocess
    import sys
    from pathlib import Path

    from .conftest import FIXTURES

    pdf = sorted((FIXTURES / "pdf").glob("*.pdf"))[0]
    code = ("import sys\nfrom extractor.cli import main\n"
            "try:\n"
            f"    main(['extract', {str(pdf)!r}, '--jobs', '1', '--format', 'jsonl', '-o', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pydantic', 'pypdfium2', 'pdfplumber', 'extractor.model') if m in sys.modules))")
    env = {**__import__("os").environ, "TARIFF_CACHE": str(tmp_path / "cache")}
    root = Path(__file__).resolve().parent.parent
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{k}.jsonl")], capture_output=True, text=True,
                           check=True, cwd=root, env=env).stdout.strip().splitlines()[-1] for k in range(2)]
    assert runs[1] == "[]", runs
    assert (tmp_path / "0.jsonl").read_bytes() == (tmp_path / "1.jsonl").read_bytes()


def test_a_worker_writes_a_long_document_as_it_sends_it():
    """The worker writes a document's rows as it sends them (``Rendered.streamed``), each
    row let go once written: its output (tens of MB for 1,000 pages) is never one string
    there, and what arrives is what writing it whole gives."""
    import threading
    from multiprocessing import Pipe

    from extractor.engine import _receive, _send
    from extractor.model import DocumentResult
    from extractor.output import Rendered

    def result():
        return DocumentResult(doc="d.pdf", path="d.pdf", sha256="0" * 64, source_kind="pdf",
                              rows=[a_row(k) for k in range(8000)])

    for fmt in ("jsonl", "csv"):
        whole = Rendered.of(result(), fmt).piece
        res = result()
        rows = res.rows
        streamed = Rendered.streamed(res, fmt)
        del res
        wire = _Wire()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            _send(wire, 1, streamed)
            peak = tracemalloc.get_traced_memory()[1] - before
        finally:
            tracemalloc.stop()
        size = len(whole.encode("utf-8"))
        # a part of about 64K characters at a time (written whole: the text and its UTF-8, over 2 × size)
        assert peak < 0.3 * size, f"{peak / size:.2f} × the document's UTF-8 at the peak"
        assert sum(wire.sizes[1:-2]) == size and all(r is None for r in rows)

        near, far = Pipe()
        got = []
        reader = threading.Thread(target=lambda: got.append(_receive(far)))
        reader.start()
        _send(near, 2, Rendered.streamed(result(), fmt))
        reader.join(timeout=30)
        (i, back), = got
        assert (i, back.n_rows, back.doc, back.piece) == (2, 8000, "d.pdf", whole)


def test_a_document_received_is_kept_in_a_file_with_no_name(tmp_path, monkeypatch):
    """The parent keeps a document's part it received in a temporary file with no name
    until it is written (over SPOOL_BYTES), so results collected in a list and written
    later leave nothing behind, written or not."""
    import tempfile

    from extractor import engine
    from extractor.output import pieces

    from .conftest import FIXTURES

    paths = [str(p) for p in sorted((FIXTURES / "pdf").glob("*.pdf"))[:3]]
    whole = "".join(pieces([engine.extract_one((p, None, False, 300)) for p in paths], "jsonl"))
    monkeypatch.setattr(engine, "SPOOL_BYTES", 100)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    got = list(engine.outcomes([(p, None, False, 300, 1, "jsonl") for p in paths], 2, "local", None))
    assert list(tmp_path.iterdir()) == []
    assert "".join(pieces(got, "jsonl")) == whole
    unread = list(engine.outcomes([(p, None, False, 300, 1, "jsonl") for p in paths], 1, "local", None))
    del unread
    assert list(tmp_path.iterdir()) == []


def test_a_cache_that_cannot_be_written_still_gives_the_document(tmp_path, monkeypatch):
    """A document written into its cache entry as its rows are let go is read back from
    the entry; where the entry cannot be written, or cannot hold the text as UTF-8, the
    document is still given whole."""
    from extractor import cache
    from extractor.model import DocumentResult
    from extractor.output import Rendered

    def result(raw=""):
        rows = [a_row(k) for k in range(3000)]
        rows[1700].source.raw += raw
        return DocumentResult(doc="d.pdf", path="d.pdf", sha256="0" * 64, source_kind="pdf", rows=rows)

    monkeypatch.setenv("TARIFF_CACHE", str(tmp_path / "cache"))
    for raw in ("", "\udc80"):
        whole = Rendered.of(result(raw), "jsonl").piece
        k = ("ab" if raw else "cd") + "0" * 62
        assert cache.put_rendered(k, result(raw), "jsonl", release=True).piece == whole
        kept = cache.get_rendered(k, "jsonl")
        assert (kept is None) if raw else (kept.piece == whole)
    whole = Rendered.of(result(), "jsonl").piece
    (tmp_path / "not a folder").write_text("")
    monkeypatch.setenv("TARIFF_CACHE", str(tmp_path / "not a folder"))  # (root may write anywhere: a file is no folder)
    k = "ef" + "0" * 62
    assert cache.put_rendered(k, result(), "jsonl", release=True).piece == whole
    assert cache.get_rendered(k, "jsonl") is None
    assert [p.name for p in (tmp_path / "cache").rglob(".entry.*")] == []


def test_lines_of_a_pdf_share_their_coordinates():
    """A PDF's lines repeat their coordinates (the same column on every row, the same rows
    on every page): each value is one Decimal, one cell extent one tuple, read the same."""
    from extractor.sources import pdf, read

    from .conftest import FIXTURES

    doc = read(FIXTURES / "pdf" / "shogai_sheet_ruled.pdf")
    values = [d for ln in doc.lines for d in ln.bbox or []]
    assert len({id(d) for d in values}) == len({(str(d), d) for d in values}) < len(values)
    spans = [s for ln in doc.lines for s in ln.spans or [] if s[0] and s[1]]
    assert len({id(s) for s in spans}) == len(set(spans))
    assert all(d == Decimal(str(d)) for d in values)
    assert str(pdf._dec(-0.001)) == "-0.0" and str(pdf._dec(0.001)) == "0.0" and pdf._dec(1.234) is pdf._dec(1.2341)
    assert str(pdf._span(-0.0, 3.0)[0]) == "-0.0" and pdf._span(2.0, 3.0) is pdf._span(2.0, 3.0)


def test_rows_share_the_words_they_repeat():
    """Rows that print the same item, label or band hold one string for it; a row writes as before."""
    def row(k):  # each row's words built anew, as a reader builds them
        return TariffRow(doc="d.pdf", item="".join(["身体介護", str(k % 2)]), label="".join(["身体", "介護 20分未満"]),
                         kind="base", time_band="".join(["20分", "未満"]), source=Source(doc="d.pdf"))

    r, other = row(1), row(3)
    assert r.item is other.item and r.label is other.label and r.time_band is other.time_band
    assert r.model_dump_json() == row(1).model_dump_json() and row(2).item == "身体介護0"


def test_the_safety_net_runs_once_a_reading(monkeypatch):
    """A reading's lost amounts are found when it is weighed and kept for its findings."""
    from extractor import pipeline

    from .conftest import FIXTURES

    calls = []
    real = pipeline.lost_amounts
    monkeypatch.setattr(pipeline, "lost_amounts", lambda doc, parsed: calls.append(id(parsed)) or real(doc, parsed))
    for path in sorted((FIXTURES / "pdf").glob("*.pdf"))[:4]:
        calls.clear()
        pipeline.extract(path)
        assert calls and len(calls) == len(set(calls)), path.name


def test_a_document_written_as_json_a_row_at_a_time_is_written_the_same():
    """JSON (`--format json`) is written a row at a time too, each row let go once written:
    the same bytes as the document's JSON dumped whole (1,000 pages held 415 MB so)."""
    from extractor.model import DocumentResult, Finding
    from extractor.output import Rendered, document_piece

    from .conftest import FIXTURES

    paths = [*sorted((FIXTURES / "pdf").glob("*.pdf"))[:3], *sorted((FIXTURES / "html").glob("*.htm*"))[:2],
             *sorted((FIXTURES / "text").glob("*.txt"))[:2], *sorted((FIXTURES / "bad").glob("*"))[:2]]
    for path in paths:
        try:
            whole = document_piece(extract(path), "json")
        except Exception:  # noqa: BLE001 - an input the sources refuse has no document
            continue
        res = extract(path)
        rows = res.rows
        assert "".join(Rendered.streamed(res, "json").texts()) == whole, path.name
        assert all(r is None for r in rows)
    empty = DocumentResult(doc="e.pdf", path="e.pdf", sha256="0" * 64, source_kind="pdf", findings=[Finding(
        code="page-without-text", severity="warning", doc="e.pdf", page=1, message="p.1 \x00 has no text")])
    assert "".join(Rendered.streamed(empty, "json").texts()) == document_piece(empty, "json")
    nested = DocumentResult(doc="n.pdf", path="n\n.pdf", sha256="0" * 64, source_kind="pdf", tables=[{"a": [1, {"b": []}]}],
                            rows=[a_row(k) for k in range(3)])
    assert "".join(Rendered.streamed(nested.model_copy(deep=True), "json").texts()) == document_piece(nested, "json")


def test_a_result_is_cached_a_row_at_a_time_as_pydantic_writes_it_whole(tmp_path, monkeypatch):
    from extractor import cache
    from extractor.model import DocumentResult, Finding

    monkeypatch.setenv("TARIFF_CACHE", str(tmp_path))
    finding = Finding(code="lost-amount", severity="warning", doc='"rows":[]', message="m", data={"rows": []})
    for n in (0, 1, 40):
        res = DocumentResult(doc='"rows":[]', path='a"rows":[]', sha256="0" * 64, source_kind="pdf",
                             rows=[a_row(k) for k in range(n)], findings=[finding], tables=[{"rows": []}])
        k = f"{n:02d}" + "0" * 62
        cache.put(k, res, "a.pdf")
        assert (tmp_path / k[:2] / f"{k}.json").read_bytes() == b"\n" + res.model_dump_json().encode("utf-8")
        assert cache.get(k) == res


def test_a_document_to_be_written_travels_pickled_whole():
    """A Dask worker's result is pickled: a document still to be written goes with its piece written."""
    from extractor.model import DocumentResult
    from extractor.output import Rendered

    def result():
        return DocumentResult(doc="d.pdf", path="d.pdf", sha256="0" * 64, source_kind="pdf", rows=[a_row(k) for k in range(5)])

    for fmt in ("jsonl", "csv", "json"):
        back = pickle.loads(pickle.dumps(Rendered.streamed(result(), fmt)))
        whole = Rendered.of(result(), fmt)
        assert (back.piece, back.head()) == (whole.piece, whole.head())


def test_a_document_received_on_a_full_disk_is_kept_whole(monkeypatch):
    """Where the temporary file fills the disk, at any byte, the parent keeps what it
    received in memory instead: the document arrives whole all the same."""
    import errno
    import tempfile
    import threading
    from multiprocessing import Pipe

    from extractor import engine
    from extractor.output import Rendered

    real = tempfile.TemporaryFile

    class Full:  # an unbuffered temporary file on a disk with ``room`` bytes left
        def __init__(self, room, **kw):
            self.f, self.room = real(buffering=0), room

        def write(self, b):
            if self.room <= 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            n = min(len(b), self.room, 1000)  # (a write may take part of what it is given)
            self.room -= n
            return self.f.write(bytes(b[:n]))

        def __getattr__(self, name):
            return getattr(self.f, name)

    piece = _piece(3000) + "a lone surrogate \udc80 as written\n"
    monkeypatch.setattr(engine, "SPOOL_BYTES", 5000)
    for room in (0, 4999, 70001, 10 ** 9):
        monkeypatch.setattr(tempfile, "TemporaryFile", lambda room=room, **kw: Full(room, **kw))
        near, far = Pipe()
        got = []
        reader = threading.Thread(target=lambda: got.append(engine._receive(far)))
        reader.start()
        engine._send(near, 1, Rendered(doc="d.pdf", fmt="jsonl", piece=piece, n_rows=3001, n_findings=0, status="ok"))
        reader.join(timeout=30)
        (i, res), = got
        assert (i, res.n_rows, res.piece) == (1, 3001, piece), room


def test_a_worker_that_stops_sending_half_way_is_a_timeout():
    """The worker writes a document as it sends it: past the deadline with the document
    half sent, the parent stops waiting (the pool then stops the worker)."""
    import time
    from multiprocessing import Pipe

    import pytest

    from extractor.engine import _receive

    near, far = Pipe()
    near.send((1, {"doc": "d.pdf", "fmt": "jsonl", "n_rows": 1}, None))
    near.send_bytes(b'{"a": 1}\n')
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        _receive(far, started + 0.5)
    assert time.monotonic() - started < 5
    near, far = Pipe()  # (a document sent in time, with a deadline)
    near.send((2, {"doc": "e.pdf", "fmt": "jsonl", "n_rows": 1}, None))
    near.send_bytes(b'{"b": 2}\n')
    near.send_bytes(b"")
    near.send(None)
    assert _receive(far, time.monotonic() + 5)[1].piece == '{"b": 2}\n'


def test_a_worker_stuck_writing_a_document_is_stopped(monkeypatch):
    import time

    from extractor import engine, output

    from .conftest import FIXTURES

    real = output._row_texts

    def slow(rows, fmt, *jobs):  # (the worker is forked from here: it writes its rows this way)
        for k, text in enumerate(real(rows, fmt, *jobs)):
            if k == 1:
                time.sleep(60)
            yield text

    monkeypatch.setattr(output, "_row_texts", slow)
    monkeypatch.setattr(engine, "KILL_GRACE", 1.0)
    monkeypatch.setattr(engine, "SEND_CHARS", 10)  # (a part a row: the first goes before the worker sticks)
    path = str(sorted((FIXTURES / "pdf").glob("*.pdf"))[0])
    started = time.monotonic()
    got = list(engine.outcomes([(path, None, False, 2, 1, "jsonl")], 1, "local", None, timeout=2))
    assert got == [engine._too_long((path, None, False, 2))] and time.monotonic() - started < 30


def test_a_row_keeps_its_values_in_a_dict_that_shares_its_keys():
    """A row's fields are held in a key-sharing dict (its values only: 296 bytes, where the
    dict pydantic builds is 832), as made and as unpickled (a forked copy's rows), and it
    reads, writes, compares, dumps and copies as before."""
    import sys

    r = a_row(3)
    plain = dict(r.__dict__)
    assert r.__dict__ == plain and list(r.__dict__) == list(plain)
    assert sys.getsizeof(r.__dict__) < sys.getsizeof(plain) / 2
    back = pickle.loads(pickle.dumps(r))
    assert back == r and sys.getsizeof(back.__dict__) < sys.getsizeof(plain) / 2
    r.units = 462
    assert r.units == 462 and r.model_dump()["units"] == 462 and sys.getsizeof(r.__dict__) < sys.getsizeof(plain) / 2


def test_lines_cells_and_table_rows_are_slotted():
    """What a long document holds one of for each line (its lines, and its tables' rows and
    cells) carries no dict of its own."""
    from extractor.sources.base import Line
    from extractor.tables.cells import split

    row = split(Line.of("身体介護\t20分未満\t163", 1, 1))
    assert not hasattr(row.line, "__dict__") and not hasattr(row, "__dict__")
    assert all(not hasattr(c, "__dict__") for c in row.cells)
    assert [c.text for c in row.filled] == ["身体介護", "20分未満", "163"]
