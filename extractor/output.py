"""Serialise results deterministically: UTF-8, ensure_ascii=False, stable order."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model (pydantic) is imported by what reads or writes rows, not by `--help`
    from .model import DocumentResult, TariffRow

FORMATS = ("jsonl", "json", "csv")


@lru_cache(maxsize=1)
def _csv_columns() -> list[str]:
    """The CSV header: made on first use, as it names the model's amount keys."""
    from .model import AMOUNT_KEYS

    return [
        "doc", "page", "line", "scheme", "service", "item", "label", "kind", "care_levels",
        "time_band", "conditions", "units", "rate", "rate_op", "step_units", "step_minutes",
        "basis", *AMOUNT_KEYS, "amounts_for", "order", "limit", "unit_price", "unit_price_source",
        "effective_from", "effective_to", "confidence", "recognizer", "raw",
    ]


def __getattr__(name: str):
    if name == "CSV_COLUMNS":
        return _csv_columns()
    raise AttributeError(name)


def row_json(row: TariffRow) -> dict:
    return row.model_dump(mode="json")


def document_json(res: DocumentResult) -> dict:
    d = res.model_dump(mode="json")
    d["status"] = res.status
    return d


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def row_line(row: TariffRow) -> str:
    """A row's line of JSON Lines: ``dumps(row_json(row))`` and a newline, the same text
    written by pydantic's own JSON writer (in Rust), twice as fast, where the two write
    alike. They write every str, int, None, date, Decimal (as its str) and list and dict
    of them alike, and a float alike in plain decimal notation: from 1e-4 on, below 1e15
    (``repr`` writes 1e-05 where serde writes 0.00001, and NaN where it writes null). A row
    whose one float, its confidence, is outside that, or whose text cannot be UTF-8 (a
    lone surrogate: serde refuses it), is written the old way."""
    c = row.confidence
    if c == 0.0 or 1e-4 <= abs(c) < 1e15:
        try:
            return row.model_dump_json() + "\n"
        except ValueError:  # (PydanticSerializationError: a lone surrogate)
            pass
    return dumps(row_json(row)) + "\n"


def document_piece(res: DocumentResult, fmt: str, release: bool = False) -> str:
    """One document's part of the output in ``fmt`` (without the comma that joins two
    documents in JSON). With ``release`` (JSON Lines and CSV), each row is let go once
    written, so a long document's rows and their text are not all held at once: ``res``
    is then the caller's to throw away."""
    if fmt == "json":
        return json.dumps(document_json(res), ensure_ascii=False, indent=1)
    line = row_line if fmt == "jsonl" else (lambda r: _csv_line(_csv_row(r)))
    if not release:
        return "".join(line(r) for r in res.rows)
    rows, parts = res.rows, []
    for k in range(len(rows)):
        parts.append(line(rows[k]))
        rows[k] = None
    return "".join(parts)


def utf8_chunks(text: str, errors: str = "strict", step: int = 1 << 16):
    """``text``'s UTF-8, ``step`` characters at a time: the same bytes as encoding it
    whole (a character is never cut), without the encoder's buffer of 3 bytes a
    character for all of a long document's output at once."""
    for at in range(0, len(text), step):
        yield text[at:at + step].encode("utf-8", errors)


class Rendered:
    """A document's result as `extract` writes it: its part of the output, already in
    the format, and what the summary line on stderr says. A worker sends this back
    instead of the whole result (tens of thousands of rows pickled and unpickled cost
    more than writing them), and the cache keeps it for the next run.

    The part itself is held one of three ways: as text (``piece``); as its rows' lines
    still to be written (``streamed``: the worker writes each row as it sends it and lets
    it go, so a long document's output, tens of MB of text, is never one string there);
    or as UTF-8 in a file (``spool``: what the parent received, kept in an anonymous
    temporary file until written, or a cache entry's body). ``texts`` gives it in parts
    whichever way it is held; ``piece`` gives it whole."""

    __slots__ = ("doc", "fmt", "_piece", "n_rows", "n_findings", "status", "recognizer", "confidence", "tables",
                 "ocr_shaped", "_parts", "_spool")
    HEAD = ("doc", "fmt", "n_rows", "n_findings", "status", "recognizer", "confidence", "tables", "ocr_shaped")

    def __init__(self, **kw) -> None:
        for k in self.HEAD:
            setattr(self, k, kw.get(k))
        self._piece = kw.get("piece")
        self._parts = None  # an iterator of the piece's strings, in order (``streamed``)
        self._spool = None  # a binary file positioned where the piece's UTF-8 begins

    @classmethod
    def of(cls, res: DocumentResult, fmt: str, ocr_shaped: bool = False, release: bool = False) -> "Rendered":
        """``res`` written in ``fmt``; with ``release``, its rows are let go as they are
        written (see ``document_piece``)."""
        n_rows, status = len(res.rows), res.status
        return cls(doc=res.doc, fmt=fmt, piece=document_piece(res, fmt, release), n_rows=n_rows,
                   n_findings=len(res.findings), status=status, recognizer=res.recognizer,
                   confidence=res.confidence, tables=res.tables, ocr_shaped=ocr_shaped)

    @classmethod
    def streamed(cls, res: DocumentResult, fmt: str, ocr_shaped: bool = False, jobs: int = 1) -> "Rendered":
        """``res`` to be written in ``fmt`` as its part is read (``texts``), a row at a
        time, each row let go once written (``res`` is then the caller's to throw away).
        With ``jobs`` 2 or more, a long document's rows are written by this process and a
        forked copy of it from both ends (``_Both``): the same text."""
        out = cls(doc=res.doc, fmt=fmt, n_rows=len(res.rows), n_findings=len(res.findings), status=res.status,
                  recognizer=res.recognizer, confidence=res.confidence, tables=res.tables, ocr_shaped=ocr_shaped)
        out._parts = _json_texts(res, jobs) if fmt == "json" else _row_texts(res.rows, fmt, jobs)
        return out

    @classmethod
    def spooled(cls, spool, **head) -> "Rendered":
        """A document whose part is the UTF-8 in ``spool`` from where it is positioned on
        (closed once read)."""
        out = cls(**head)
        out._spool = spool
        return out

    def texts(self, size: int = 1 << 16):
        """The piece in parts, in order: text of about ``size`` characters (a row's line
        is never cut), or as its file holds it, decoded as a whole would be. A piece held
        as rows or in a file is read once (and its file closed)."""
        parts, spool = self._parts, self._spool
        self._parts = self._spool = None
        if parts is not None:
            return _batched(parts, size)
        if spool is not None:
            return _decoded(spool, 4 * size)
        piece = self._piece or ""
        return (piece[at:at + size] for at in range(0, len(piece), size))

    @property
    def piece(self) -> str | None:
        """The piece whole (read, and kept, when held another way)."""
        if self._parts is not None or self._spool is not None:
            self._piece = "".join(self.texts())
        return self._piece

    @piece.setter
    def piece(self, value: str | None) -> None:
        self._piece, self._parts, self._spool = value, None, None

    def close(self) -> None:
        """Let a piece not read go (its file closed)."""
        if self._spool is not None:
            self._spool.close()
        self._parts = self._spool = None

    def __getstate__(self):
        """Pickled (a Dask worker's result) with its piece whole."""
        return {**self.head(), "piece": self.piece}

    def __setstate__(self, state) -> None:
        self.__init__(**state)

    def head(self) -> dict:
        return {k: getattr(self, k) for k in self.HEAD}


def write_all(f, data) -> None:
    """All of ``data`` written to the unbuffered file ``f`` (a write may take only part)."""
    view = memoryview(data)
    while view:
        view = view[f.write(view):]


def _row_texts(rows: list, fmt: str, jobs: int = 1):
    """Each row of ``rows`` written in ``fmt`` (JSON Lines or CSV), in order, the row let
    go (``rows[k] = None``) once written."""
    if jobs >= 2 and len(rows) >= PARALLEL_ROWS:
        yield from _Both.of(rows, fmt).texts()
        return
    line = _row_text(rows, fmt)
    for k in range(len(rows)):
        text = line(k)
        rows[k] = None
        yield text


PARALLEL_ROWS = 2000  # a document of this many rows has them written by two processes (``--jobs`` on one document)


def _row_text(rows: list, fmt: str):
    """The text of row ``k`` of ``rows`` in ``fmt``, as a function of ``k`` (in JSON, a row
    after the first begins with the comma and indent that join it to the one before)."""
    if fmt == "jsonl":
        return lambda k: row_line(rows[k])
    if fmt == "csv":
        return lambda k: _csv_line(_csv_row(rows[k]))

    def json_row(k: int) -> str:
        t = json.dumps(row_json(rows[k]), ensure_ascii=False, indent=1).replace("\n", "\n  ")
        return t if k == 0 else ",\n  " + t

    return json_row


class _Both:
    """A document's rows written by this process and a forked copy of it, from both ends
    (``claims.Claims``): this one from the first row on (``texts``, as they are sent),
    the copy from the last row back, from the moment it is made. The copy keeps what it
    wrote and, once done, puts it in an anonymous temporary file in row order, read from
    there after this process's rows. Each row is written the same whichever process
    writes it, so the text is the text one process writes. A copy that fails (or dies)
    leaves its rows to be written here (and a row that cannot be written raises here, as
    in one process).

    ``early`` starts the copy before the document is done (``pipeline``: while the net
    and the findings are worked out, once the rows are final), for ``texts`` to take up
    when the document is written; rows not taken up so are let go by the next ``early``
    or by ``drop_early``."""

    _early: dict[int, "_Both"] = {}

    def __init__(self, rows: list, fmt: str) -> None:
        from .claims import Claims
        from .sources.pdf import _fork

        self.rows, self.fmt, self.n = rows, fmt, len(rows)
        self.text = _row_text(rows, fmt)
        self.claims = Claims(self.n)
        self.spool = tempfile.TemporaryFile(prefix="tariff-", buffering=0)
        claims, spool, text = self.claims, self.spool, self.text

        def back() -> int:
            texts = [text(k) for k in claims.back()]
            texts.reverse()
            for at in range(0, len(texts), 256):
                write_all(spool, "".join(texts[at:at + 256]).encode("utf-8", "surrogatepass"))
            return len(texts)

        try:
            self.child = _fork(back)
        except BaseException:
            self.close()
            raise

    @classmethod
    def of(cls, rows: list, fmt: str) -> "_Both":
        """The copy started early for these rows in this format, or a new one."""
        early = cls._early.pop(id(rows), None)
        if early is not None and early.rows is rows and early.fmt == fmt:
            return early
        if early is not None:
            early.close()
        return cls(rows, fmt)

    @classmethod
    def early(cls, rows: list, fmt: str) -> None:
        cls.drop_early()
        cls._early[id(rows)] = cls(rows, fmt)

    @classmethod
    def drop_early(cls) -> None:
        while cls._early:
            cls._early.popitem()[1].close()

    def texts(self):
        from .sources.pdf import _outcome

        rows, n, text = self.rows, self.n, self.text
        try:
            for k in self.claims.front():
                t = text(k)
                rows[k] = None
                yield t
            ok, written = _outcome(self.child)
            self.child = None
            meet = self.claims.meet
            if ok and written == n - meet:
                rows[meet:] = [None] * (n - meet)
                self.spool.seek(0)
                yield from _decoded(self.spool, 1 << 18)
                return
            for k in range(meet, n):  # (the copy failed: written here)
                t = text(k)
                rows[k] = None
                yield t
        finally:
            self.close()

    def close(self) -> None:
        from .sources.pdf import _reap

        if getattr(self, "child", None) is not None:
            _reap(*self.child, kill=True)
            self.child = None
        self.claims.close()
        self.spool.close()


def write_early(rows: list, fmt: str | None) -> None:
    """Start writing ``rows`` (final: nothing changes them any more) in ``fmt`` from the
    back in a forked copy, for ``Rendered.streamed`` with ``jobs`` 2 to take up; nothing
    for a format not written so or too few rows."""
    if fmt in FORMATS and len(rows) >= PARALLEL_ROWS:
        _Both.early(rows, fmt)


def drop_early() -> None:
    """Stop a copy started by ``write_early`` and not taken up (the document was not written so)."""
    _Both.drop_early()


_ROWS_HERE = "\x00tariff: the rows go here\x00"  # (no name, hash, kind or number before the rows holds a NUL)


def _json_texts(res: DocumentResult, jobs: int = 1):
    """``document_piece(res, "json")`` in parts, its rows written one at a time and each
    let go once written: the document's JSON around a stand-in for its rows, then each row
    as ``json.dumps`` indents it two levels down (a JSON string holds no raw newline, so
    every line of a row written alone is one of the document's, two spaces further in)."""
    rows = res.rows
    if not rows:
        yield document_piece(res, "json")
        return
    d = res.model_dump(mode="json", exclude={"rows"})
    d = {k: ([_ROWS_HERE] if k == "rows" else d[k]) for k in type(res).model_fields}
    d["status"] = res.status
    head, here, tail = json.dumps(d, ensure_ascii=False, indent=1).partition(json.dumps(_ROWS_HERE))
    assert here and head.endswith("[\n  ") and tail.startswith("\n ]")
    del d
    yield head
    if jobs >= 2 and len(rows) >= PARALLEL_ROWS:
        yield from _Both.of(rows, "json").texts()
    else:
        text = _row_text(rows, "json")
        for k in range(len(rows)):
            t = text(k)
            rows[k] = None
            yield t
    yield tail


def _decoded(spool, size: int):
    """The text of the UTF-8 in ``spool`` (from where it is positioned), ``size`` bytes
    at a time, as decoding it whole gives it; ``spool`` is closed at the end."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
    try:
        while chunk := spool.read(size):
            if text := decoder.decode(chunk):
                yield text
        if text := decoder.decode(b"", final=True):
            yield text
    finally:
        spool.close()


def _batched(parts, size: int):
    """``parts`` joined into strings of at least ``size`` characters (the last may be shorter)."""
    batch, n = [], 0
    for p in parts:
        batch.append(p)
        n += len(p)
        if n >= size:
            yield "".join(batch)
            batch, n = [], 0
    if batch:
        yield "".join(batch)


def pieces(results, fmt: str):
    """The output in pieces: a header, one chunk per document as it comes, a footer. The
    same pieces make a whole string (render) or a stream written as documents finish."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "json":
        yield '{"documents": [\n'
    elif fmt == "csv":
        yield _csv_line(_csv_columns())
    first = True
    for res in results:
        if not first and fmt == "json":
            yield ",\n"
        first = False
        if isinstance(res, Rendered) and res.fmt == fmt:
            yield from res.texts()  # (a long document's part in parts, never whole)
        else:
            yield document_piece(res, fmt)
    if fmt == "json":
        yield "\n]}\n"


def _csv_line(values) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def render(results: list[DocumentResult], fmt: str) -> str:
    return "".join(pieces(results, fmt))


def _csv_row(r: TariffRow) -> list:
    from .model import AMOUNT_KEYS

    d = row_json(r)
    flat = {
        **d,
        "care_levels": ";".join(r.care_levels),
        "conditions": ";".join(r.conditions),
        "step_units": r.step.units if r.step else None,
        "step_minutes": r.step.minutes if r.step else None,
        "raw": r.source.raw,
        **{k: r.amounts.get(k) for k in AMOUNT_KEYS},  # type: ignore[call-overload]
    }
    return ["" if flat.get(c) is None else flat[c] for c in _csv_columns()]


class WriteError(Exception):
    """An output that cannot be written: one line (``tariff: PATH: what; what to do``), exit 2."""

    def __init__(self, path: str, what: str, todo: str):
        super().__init__(f"{path}: {what}; {todo}")
        self.path, self.what, self.todo = path, what, todo


_TODO = {
    errno.ENOENT: "create the folder first, or choose another path",
    errno.ENOTDIR: "create the folder first, or choose another path",
    errno.EACCES: "choose a folder you may write to",
    errno.EPERM: "choose a folder you may write to",
    errno.EROFS: "choose a folder on a writable disk",
    errno.ENOSPC: "free some space, or choose another disk",
    errno.EDQUOT: "free some space, or choose another disk",
    errno.EFBIG: "choose a disk or account that allows larger files",
    errno.ENAMETOOLONG: "choose a shorter name",
    errno.EISDIR: "give a file name, not a folder",
}


def _failed(shown: str, e: OSError) -> WriteError:
    return WriteError(shown, f"cannot write ({e.strerror or e})", _TODO.get(e.errno or 0, "choose a writable path"))


class Target:
    """Where output goes, opened before any document is read (so a path that cannot be
    written is known at once, not after the whole batch), and never harmful to what it
    names:

    - ``-`` (or None): standard output;
    - an existing device, FIFO or socket (``/dev/null``, ``/dev/full``, a pipe): written to
      directly, never replaced;
    - a regular file or a new name: written to a temporary file beside it and renamed over
      it at the end, so it is never half-written. A symbolic link to a file keeps its link:
      the file it points to is replaced.

    A missing folder, a read-only folder, a name too long, a full disk: ``WriteError``,
    and no partial file is left. ``make_parents`` creates missing folders (scripts do; the
    command line does not guess)."""

    def __init__(self, path: str | os.PathLike | None, make_parents: bool = False):
        self.stdout = path is None or str(path) == "-"
        self.shown = "stdout" if self.stdout else escape(str(path))
        self.path = None if self.stdout else Path(path)
        self.make_parents = make_parents
        self.stream = None
        self._tmp: str | None = None
        self._final: Path | None = None

    def open(self) -> "Target":
        if self.stdout:
            self.stream = sys.stdout
            return self
        assert self.path is not None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        except OSError as e:  # a name too long, a file used as a folder, a loop of links
            raise _failed(self.shown, e) from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise WriteError(self.shown, "is a folder", "give a file name, not a folder")
        try:
            if st is not None and not stat.S_ISREG(st.st_mode):  # a device, FIFO or socket
                self.stream = open(self.path, "w", encoding="utf-8", errors="backslashreplace", newline="")
                return self
            final = Path(os.path.realpath(self.path)) if self.path.is_symlink() else self.path
            parent = final.parent
            if self.make_parents:
                parent.mkdir(parents=True, exist_ok=True)
            elif not parent.is_dir():
                what = "is not a folder" if parent.exists() else "does not exist"
                raise WriteError(self.shown, f"its folder {escape(str(parent))} {what}",
                                 "create the folder first, or choose another path")
            limit = os.pathconf(parent, "PC_NAME_MAX")
            if len(os.fsencode(final.name)) > limit:
                raise WriteError(self.shown, f"the file name is longer than {limit} bytes", "choose a shorter name")
            # the temporary name is short, whatever the final name's length
            fd, self._tmp = tempfile.mkstemp(prefix=".tariff-", suffix=".tmp", dir=parent)
            self._final = final
            self.stream = os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="")
        except OSError as e:
            self.discard()
            raise _failed(self.shown, e) from None
        return self

    def write(self, text: str) -> None:
        try:
            self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            self.discard()
            raise _failed(self.shown, e) from None

    def commit(self) -> None:
        """Flush, and for a regular file rename it into place."""
        try:
            self.stream.flush()
            if self.stdout:
                return
            if self._tmp is None:
                self.stream.close()
                return
            self.stream.close()
            publish(self._tmp)
            os.replace(self._tmp, self._final)
            self._tmp = None
        except BrokenPipeError:
            raise
        except OSError as e:
            self.discard()
            raise _failed(self.shown, e) from None

    def discard(self) -> None:
        """Drop a temporary file: the target is left as it was."""
        if self.stream is not None and not self.stdout:
            try:
                self.stream.close()
            except OSError:
                pass
        if self._tmp is not None:
            Path(self._tmp).unlink(missing_ok=True)
            self._tmp = None


def write_via_file(path: str | os.PathLike, make) -> None:
    """For writers that need a path of their own (SQLite, Parquet): ``make(tmp)`` writes a
    temporary file, which then replaces ``path`` as ``Target`` does (renamed over a
    regular file, copied into a device or FIFO). Raises ``WriteError``; no partial file
    is left."""
    target = Target(path)
    shown = target.shown
    special = False
    if not target.stdout:
        try:
            st = os.stat(path)
            special = not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode)
        except OSError:
            pass
    if target.stdout or special:
        with tempfile.TemporaryDirectory(prefix="tariff-") as d:
            tmp = Path(d) / "export"
            make(tmp)
            try:
                if target.stdout:
                    sys.stdout.flush()
                    with open(tmp, "rb") as f:
                        sys.stdout.buffer.write(f.read())
                    sys.stdout.flush()
                else:
                    with open(tmp, "rb") as src, open(path, "wb") as dst:
                        dst.write(src.read())
            except BrokenPipeError:
                raise
            except OSError as e:
                raise _failed(shown, e) from None
        return
    target.open()
    target.stream.close()  # the writer opens the temporary file by its name
    try:
        make(Path(target._tmp))
        publish(target._tmp)
        os.replace(target._tmp, target._final)
        target._tmp = None
    except OSError as e:
        raise _failed(shown, e) from None
    finally:
        target.discard()


def escape(name: str) -> str:
    """A file name as one printable line: a newline, a control character or a byte that
    is not UTF-8 (held as a surrogate) is written as an escape (\\n, \\x07, \\xff)."""
    if name.isprintable() and not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    out = []
    for ch in name:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif not ch.isprintable() and ch != " ":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def write_output(results, fmt: str, path: str | None) -> None:
    """Write each document's piece as it comes (results may be a generator), so memory
    stays flat over any number of documents (see ``Target`` for where it goes)."""
    target = Target(path).open()
    try:
        for piece in pieces(results, fmt):
            target.write(piece)
        target.commit()
    except BaseException:
        target.discard()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(tmp: str | Path, directory: bool = False) -> None:
    """Give a temporary file (0600) or folder (0700) the permissions a normal file or
    folder gets, before it is renamed into place."""
    os.chmod(tmp, (0o777 if directory else 0o666) & ~_umask())


def write_atomic(path: Path, data: str, make_parents: bool = True) -> None:
    """Write ``data`` to ``path`` as ``Target`` does: never a half-written file, never a
    device replaced. Raises ``WriteError``."""
    target = Target(path, make_parents=make_parents).open()
    try:
        target.write(data)
        target.commit()
    except BaseException:
        target.discard()
        raise
