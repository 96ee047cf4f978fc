"""One reader per input kind, each giving a ``Document`` of positioned, normalized lines.

The readers (pdfium, lxml, openpyxl…) and the model are imported when a document is read:
a command that reads none (``--help``, a cached run) does not pay for them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .files import BadInput

# kinds a provider may hold a fee table in that are not read, and what to save them as: no
# maintained reader of them is among the tool's dependencies (odfpy, the one .ods/.odt
# reader, last released in 2020; .xls/.doc are binary formats older than Office 2007)
NOT_READ = {
    ".ods": ("an OpenDocument spreadsheet", ".xlsx", "LibreOffice Calc: File > Save As > Excel 2007-365"),
    ".odt": ("an OpenDocument text", ".docx", "LibreOffice Writer: File > Save As > Word 2007-365"),
    ".xls": ("an Excel 97-2003 workbook", ".xlsx", "Excel or LibreOffice Calc: Save As > Excel Workbook"),
    ".doc": ("a Word 97-2003 document", ".docx", "Word or LibreOffice Writer: Save As > Word Document"),
}


# each kind's suffixes and the module that reads it: a module is imported when a file of
# its kind is read first, so reading PDFs compiles no HTML, spreadsheet or Word reader
KINDS = (
    (frozenset({".txt", ".md", ".text", ".tsv"}), "text"),
    (frozenset({".pdf"}), "pdf"),
    (frozenset({".html", ".htm"}), "html"),
    (frozenset({".xlsx", ".xlsm"}), "xlsx"),
    (frozenset({".docx", ".docm"}), "docx"),
)


@lru_cache(maxsize=1)
def readers() -> tuple:
    """(suffixes, reader) for each kind read, every reader imported."""
    return tuple((suffixes, _reader(module)) for suffixes, module in KINDS)


@lru_cache(maxsize=None)
def _reader(module: str):
    """The reader of one kind, (path, password) -> Document, its module imported now."""
    import importlib

    mod = importlib.import_module(f".{module}", __name__)
    if module == "pdf":
        return mod.read_pdf
    read = getattr(mod, f"read_{module}")
    return lambda path, password: read(path)


def reader_for(suffix: str):
    """The reader of files with ``suffix`` (lower case), or None: only its module imported."""
    for suffixes, module in KINDS:
        if suffix in suffixes:
            return _reader(module)
    return None


def __getattr__(name: str):
    """``READERS``, ``SUFFIXES``, ``Document`` and ``Line``, imported when asked for."""
    if name == "READERS":
        return readers()
    if name == "SUFFIXES":
        return frozenset().union(*(suffixes for suffixes, _ in KINDS))
    if name in ("Document", "Line"):
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read(path: Path, password: str | None = None) -> "Document":
    """Read any supported input; raise ``BadInput`` with one clear line when it can't."""
    if path.is_dir():
        raise BadInput(str(path), "is a folder", "give the files inside it")
    if not path.exists():
        raise BadInput(str(path), "no such file", "check the path")
    suffix = path.suffix.lower()
    reader = reader_for(suffix)
    if reader is not None:
        return reader(path, password)
    if suffix in NOT_READ:
        what, save_as, how = NOT_READ[suffix]
        raise BadInput(str(path), f"{what} ({suffix}) is not read", f"save it as {save_as} ({how}), or give its PDF")
    raise BadInput(
        str(path),
        f"unsupported file type '{suffix or '(none)'}'",
        f"give a {', '.join(sorted(__getattr__('SUFFIXES')))} file",
    )


__all__ = ["BadInput", "Document", "Line", "SUFFIXES", "read"]
