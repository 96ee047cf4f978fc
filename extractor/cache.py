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
    # without joining them: a long document's result is tens of MB, held once, not three times
    _write(folder() / k[:2], f"{k}.json",
           lambda: (ocr.encode("utf-8") + b"\n", result.__pydantic_serializer__.to_json(result)))


RENDERED = ("jsonl", "csv")  # formats kept as written (JSON's documents carry their path, which may differ)


def get_rendered(k: str, fmt: str):
    """The document's part of the output in ``fmt`` as the last run wrote it (an
    ``output.Rendered``), or None: a hit is read and written as it is, with no rows
    rebuilt. Used only while OCR is as it was, as ``get``."""
    import json

    from .output import Rendered

    p = folder() / k[:2] / f"{k}.{fmt}"
    try:
        with open(p, "rb") as f:  # (its lines read in turn: the piece, tens of MB, is read once, not copied)
            ocr, head, piece = f.readline().rstrip(b"\n"), f.readline(), f.read()
        fields = json.loads(head)
        out = Rendered(**fields, piece=piece.decode("utf-8"))
        del piece
    except (OSError, ValueError, TypeError):
        return None
    if out.fmt != fmt or out.ocr_shaped and ocr.decode("utf-8", "replace") != _ocr_now():
        return None
    return out


def put_rendered(k: str, result: DocumentResult, fmt: str, release: bool = False):
    """``output.Rendered`` for ``result``, kept in the cache beside the result itself
    (with ``release``, ``result``'s rows are let go as they are written)."""
    import json

    from .output import Rendered, utf8_chunks

    out = Rendered.of(result, fmt, _ocr_shaped(result), release)
    ocr = _ocr_now() if out.ocr_shaped else ""
    _write(folder() / k[:2], f"{k}.{fmt}", lambda: (
        b"\n".join((ocr.encode("utf-8"), json.dumps(out.head(), ensure_ascii=False).encode("utf-8"), b"")),
        *utf8_chunks(out.piece)))
    return out


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
