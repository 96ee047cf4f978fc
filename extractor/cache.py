"""A cache of extraction results, so a second run over unchanged files is near-instant.

Key: the file's name and bytes (sha256) and a fingerprint of the tool's own code and
data (so any change to the tool, released or not, misses). A result that OCR shaped (a
scan read by OCR, or a scan left unread for want of it) is used only while OCR is as it
was: there or not, the same Tesseract version and Japanese model. Asking that costs a
subprocess, so only such results ask. Folder: $TARIFF_CACHE, or
~/.cache/tariff. Entries are written atomically; a corrupt entry is a miss.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
from pathlib import Path

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model (pydantic, half a second of imports) is imported by what builds or reads a result:
    from .model import DocumentResult  # a document found written in the cache needs neither


READERS = ("pypdfium2", "pdfplumber", "pdfminer.six", "mojimoji", "regex", "pydantic", "opencv-python-headless", "numpy")


@lru_cache(maxsize=1)
def fingerprint() -> bytes:
    """sha256 of every source and data file of the package, in a stable order, and of the
    versions of the libraries that read documents (an upgrade may read differently)."""
    from importlib.metadata import PackageNotFoundError, version

    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in READERS:
        try:
            h.update(f"{name}={version(name)};".encode())
        except PackageNotFoundError:
            h.update(f"{name}=none;".encode())
    for f in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".csv")):
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.digest()


def folder() -> Path:
    return Path(os.environ.get("TARIFF_CACHE") or Path.home() / ".cache" / "tariff")


def key(path: Path, data: bytes) -> str:
    h = hashlib.sha256()
    for part in (fingerprint(), os.fsencode(path.name), data):  # any name, UTF-8 or not
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _ocr_shaped(res: DocumentResult) -> bool:
    """OCR read it, or it is a scan left unread for want of OCR."""
    return res.source_kind == "pdf+ocr" or any(f.code == "ocr-unavailable" for f in res.findings)


def _ocr_now() -> str:
    from .sources.tesseract import identity

    return identity() or ""


def get(k: str) -> DocumentResult | None:
    """The cached result, or None. An entry starts with a line naming the OCR that shaped
    it (empty when none did); it is used only while OCR is that same one."""
    from .model import DocumentResult

    p = folder() / k[:2] / f"{k}.json"
    try:
        ocr, _, body = p.read_bytes().partition(b"\n")
        res = DocumentResult.model_validate_json(body)
    except (OSError, ValueError):
        return None
    if _ocr_shaped(res) and ocr.decode("utf-8", "replace") != _ocr_now():
        return None  # OCR came, went or changed since this result was made
    return res


def put(k: str, result: DocumentResult, path: str) -> None:
    ocr = _ocr_now() if _ocr_shaped(result) else ""
    # the model's JSON as bytes (what model_dump_json gives, encoded), written after the OCR line
    # a row at a time: a long document's result is tens of MB, never held as one more copy
    _write(folder() / k[:2], f"{k}.json", lambda: itertools.chain((ocr.encode("utf-8") + b"\n",), _json_parts(result)))


def _json_parts(result: DocumentResult):
    """``result``'s JSON (``model_dump_json``, encoded) in parts: the result without its
    rows, cut where they go (no string before them can hold '"rows":[]' unescaped), and
    each row's JSON, as pydantic writes a row inside its document."""
    rowless = result.model_copy(update={"rows": []})
    head, here, tail = rowless.__pydantic_serializer__.to_json(rowless).partition(b'"rows":[]')
    if not here:  # (never: the field is always written)
        yield result.__pydantic_serializer__.to_json(result)
        return
    yield head + b'"rows":['
    for k, r in enumerate(result.rows):
        yield (b"," if k else b"") + r.__pydantic_serializer__.to_json(r)
    yield b"]" + tail


RENDERED = ("jsonl", "csv")  # formats kept as written (JSON's documents carry their path, which may differ)


def get_rendered(k: str, fmt: str):
    """The document's part of the output in ``fmt`` as the last run wrote it (an
    ``output.Rendered``), or None: a hit is read and written as it is, with no rows
    rebuilt. Used only while OCR is as it was, as ``get``. A long part (over
    ``READ_WHOLE`` bytes) is not read here: the ``Rendered`` reads it from the entry,
    opened now, a part at a time as it is written."""
    import json

    from .output import Rendered

    p = folder() / k[:2] / f"{k}.{fmt}"
    f = None
    try:
        f = open(p, "rb")
        ocr, head = f.readline().rstrip(b"\n"), f.readline()
        fields = json.loads(head)
        if fields.get("fmt") != fmt or fields.get("ocr_shaped") and ocr.decode("utf-8", "replace") != _ocr_now():
            f.close()
            return None
        if os.fstat(f.fileno()).st_size - f.tell() > READ_WHOLE:
            out, f = Rendered.spooled(f, **fields), None
        else:
            out = Rendered(**fields, piece=f.read().decode("utf-8"))
    except (OSError, ValueError, TypeError):
        return None
    finally:
        if f is not None:
            f.close()
    return out


READ_WHOLE = 1 << 20


def put_rendered(k: str, result: DocumentResult, fmt: str, release: bool = False):
    """``output.Rendered`` for ``result``, kept in the cache beside the result itself.
    With ``release``, ``result``'s rows are let go as they are written into the entry,
    and the ``Rendered`` reads its part back from the entry (``get_rendered``), so a long
    document's output is never held whole. An entry that cannot be written costs only
    the cache: the part is then held as text."""
    import json

    from .output import Rendered, write_all

    out = Rendered.streamed(result, fmt, _ocr_shaped(result)) if release else Rendered.of(result, fmt, _ocr_shaped(result))
    ocr = _ocr_now() if out.ocr_shaped else ""
    d, tmp, f = folder() / k[:2], None, None
    texts = out.texts()
    text = None  # a part that could not be encoded for the entry
    pending = memoryview(b"")  # the end of the part being written that is not in the entry yet
    head = b""
    done = 0  # bytes of the piece known to be in the entry (unbuffered writes: each one is there or failed)
    try:
        head = b"\n".join((ocr.encode("utf-8"), json.dumps(out.head(), ensure_ascii=False).encode("utf-8"), b""))
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=d)
        f = os.fdopen(fd, "w+b", buffering=0)
        write_all(f, head)
        for text in texts:
            pending = memoryview(text.encode("utf-8"))
            text = None
            while pending:
                n = f.write(pending)
                done += n
                pending = pending[n:]
        f.seek(len(head))
        os.replace(tmp, d / f"{k}.{fmt}")
        tmp = None
        out, f = Rendered.spooled(f, **out.head()), None
        return out
    except (OSError, ValueError):  # no room, no permission, a name JSON cannot hold as UTF-8
        # the piece as far as it went into the entry, the rest of the part being written, and the parts after it
        written = os.pread(f.fileno(), done, len(head)) if f is not None and done else b""
        out.piece = (written + bytes(pending)).decode("utf-8", "surrogatepass") + (text or "") + "".join(texts)
        return out
    finally:
        if f is not None:
            f.close()
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _write(d: Path, name: str, body) -> None:
    """The entry ``name`` in ``d``: the bytes ``body()`` gives (one string of them, or its
    parts in order), written to a temporary file renamed over the entry."""
    tmp = None
    try:
        data = body()
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=d)
        with os.fdopen(fd, "wb") as f:
            for part in (data,) if isinstance(data, bytes) else data:
                f.write(part)
        os.replace(tmp, d / name)
        tmp = None
    except (OSError, ValueError):  # no room, no permission, a name JSON cannot hold as UTF-8
        pass  # a cache that cannot be written is only a slower run
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
