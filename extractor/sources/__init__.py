"""One reader per input kind, each giving a ``Document`` of positioned, normalized lines."""

from __future__ import annotations

from pathlib import Path

from .base import BadInput, Document, Line
from .pdf import PDF_SUFFIXES, read_pdf
from .text import TEXT_SUFFIXES, read_text


def read(path: Path, password: str | None = None) -> Document:
    """Read any supported input; raise ``BadInput`` with one clear line when it can't."""
    if path.is_dir():
        raise BadInput(str(path), "is a folder", "give the files inside it")
    if not path.exists():
        raise BadInput(str(path), "no such file", "check the path")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text(path)
    if suffix in PDF_SUFFIXES:
        return read_pdf(path, password)
    raise BadInput(
        str(path),
        f"unsupported file type '{suffix or '(none)'}'",
        f"give a {', '.join(sorted(TEXT_SUFFIXES | PDF_SUFFIXES))} file",
    )


__all__ = ["BadInput", "Document", "Line", "read"]
