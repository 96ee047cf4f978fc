"""Reading a document's bytes within limits: only a regular file, never more than a
documented size, and never blocking on a FIFO or reading a device that never ends."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class BadInput(Exception):
    """Input the tool cannot read at all: one line for the user, exit code 2."""

    def __init__(self, path: str, what: str, todo: str):
        super().__init__(f"{path}: {what}; {todo}")
        self.path, self.what, self.todo = path, what, todo

MB = 1024 * 1024
PDF_MAX_BYTES = 256 * MB  # a PDF larger than this is refused before it is read
TEXT_MAX_BYTES = 32 * MB  # a text file (or HTML page) larger than this is refused before it is read
OFFICE_MAX_BYTES = 64 * MB  # an Excel workbook or Word document (a fee workbook is well under 1 MB)
OFFICE_SUFFIXES = {".xlsx", ".xlsm", ".docx", ".docm"}


def limit_for(path: Path) -> int:
    suffix = path.suffix.lower()
    return PDF_MAX_BYTES if suffix == ".pdf" else OFFICE_MAX_BYTES if suffix in OFFICE_SUFFIXES else TEXT_MAX_BYTES


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes; ``BadInput`` for a missing, unreadable or special file (a device,
    a FIFO, a socket: even behind a link with a document's name) and for a file over
    ``limit`` bytes, decided before the file is read."""
    limit = limit_for(path) if limit is None else limit
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait for one
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise BadInput(name, "no such file", "check the path") from None
    except IsADirectoryError:
        raise BadInput(name, "is a folder", "give the files inside it") from None
    except OSError as e:
        raise BadInput(name, f"cannot be read ({e.strerror})", "check the path and its permissions") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise BadInput(name, "is a folder", "give the files inside it")
        if not stat.S_ISREG(st.st_mode):
            kind = ("a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                    else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                    else "a socket" if stat.S_ISSOCK(st.st_mode) else "a special file")
            raise BadInput(name, f"is not a regular file but {kind}", "save the document to a file and give that")
        if st.st_size > limit:
            raise BadInput(name, f"is {st.st_size / MB:.0f} MB, over the {limit // MB} MB limit for its kind",
                           "split the document, or check that this is the fee document")
        chunks, total = [], 0
        while True:  # a file that grows while read is still cut at the limit
            chunk = os.read(fd, min(1 * MB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise BadInput(name, f"grew over the {limit // MB} MB limit for its kind while it was read",
                               "read it once it is complete")
        return b"".join(chunks)
    except BlockingIOError:
        raise BadInput(name, "cannot be read without waiting", "save the document to a file and give that") from None
    except OSError as e:
        raise BadInput(name, f"cannot be read ({e.strerror})", "check the path and its permissions") from None
    finally:
        os.close(fd)


def check_file(path: Path, limit: int) -> None:
    """``BadInput`` unless ``path`` is a regular file of at most ``limit`` bytes (decided
    from its status, without reading it), for readers that open the file themselves."""
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise BadInput(name, "no such file", "check the path") from None
    except OSError as e:
        raise BadInput(name, f"cannot be read ({e.strerror})", "check the path and its permissions") from None
    if stat.S_ISDIR(st.st_mode):
        raise BadInput(name, "is a folder", "give the file itself")
    if not stat.S_ISREG(st.st_mode):
        raise BadInput(name, "is not a regular file", "save it to a file and give that")
    if st.st_size > limit:
        raise BadInput(name, f"is {st.st_size / MB:.0f} MB, over the {limit // MB} MB limit for its kind",
                       "check that this is the file meant")


def check_readable(path: Path) -> bytes:
    """``read_limited`` with the limit of the file's kind (the cache keys on these bytes)."""
    return read_limited(path)
