"""What the Office Open XML readers (.xlsx, .docx) check before a library opens the file:
a regular file within the size limit, a zip archive, the parts the kind needs, and an
inflated size that is not a zip bomb. Macros in a macro-enabled file are never run: the
readers only read the XML parts."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .base import BadInput
from .files import MB, OFFICE_MAX_BYTES, check_file

INFLATED_MAX_BYTES = 512 * MB  # all parts together, inflated
MAX_PARTS = 10_000


def check_package(path: Path, kind: str, needed: str, todo: str) -> None:
    """``BadInput`` unless ``path`` is a zip holding ``needed`` (e.g. 'xl/workbook.xml')."""
    name = str(path)
    check_file(path, OFFICE_MAX_BYTES)
    if path.stat().st_size == 0:
        raise BadInput(name, "is empty", todo)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        raise BadInput(name, f"is not {kind} (not a zip archive: damaged, or another kind of file)", todo) from None
    except (OSError, ValueError, EOFError) as e:
        raise BadInput(name, f"is damaged ({' '.join(str(e).split())[:120]})", todo) from None
    if len(infos) > MAX_PARTS:
        raise BadInput(name, f"has {len(infos):,} parts, over the {MAX_PARTS:,} limit", "check that this is the fee document")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or needed not in names:
        missing = needed if needed not in names else "[Content_Types].xml"
        raise BadInput(name, f"is not {kind} or is damaged (no {missing} inside)", todo)
    inflated = sum(i.file_size for i in infos)
    if inflated > INFLATED_MAX_BYTES:
        raise BadInput(name, f"inflates to {inflated / MB:.0f} MB, over the {INFLATED_MAX_BYTES // MB} MB limit",
                       "split the document, or check that this is the fee document")


def damaged(path: Path, e: Exception, todo: str) -> BadInput:
    what = " ".join(f"{type(e).__name__}: {e}".split())[:160]
    return BadInput(str(path), f"is damaged and cannot be read ({what})", todo)
