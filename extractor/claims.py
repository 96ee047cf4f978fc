"""Work shared by two forked processes from both ends: one takes items from the front,
the other from the back, one at a time, until they meet.

A static split (half the pages to each) waits for the slower half: on a machine shared
with other jobs one process may get far less of a core than the other, and the two
halves of a document rarely cost the same (a table's pages, a scan). Taken from both
ends, each process does what it has time for, and each still gets one run of
consecutive items (the front process ``[0, meet)``, the back one ``[meet, n)``), so what
they read is joined in order as before: which process read an item never changes what
was read, only where the two runs meet.
"""

from __future__ import annotations

import fcntl
import mmap
import struct

_PAIR = struct.Struct("qq")


class Claims:
    """Items ``0 .. n-1`` to be taken from both ends by a process and its forked copy (make
    it before forking). ``front``/``back`` iterate over the items each end takes; ``meet``
    is where the back's run begins, once both are done."""

    def __init__(self, n: int) -> None:
        self._mem = mmap.mmap(-1, _PAIR.size)  # anonymous and shared: the forked copy sees the same two numbers
        _PAIR.pack_into(self._mem, 0, 0, n)
        self._lock = _Lock()

    def _take(self, from_back: bool) -> int | None:
        with self._lock:
            lo, hi = _PAIR.unpack_from(self._mem, 0)
            if lo >= hi:
                return None
            if from_back:
                hi -= 1
                _PAIR.pack_into(self._mem, 0, lo, hi)
                return hi
            _PAIR.pack_into(self._mem, 0, lo + 1, hi)
            return lo

    def front(self):
        """The items taken from the front, in increasing order."""
        while (k := self._take(False)) is not None:
            yield k

    def back(self):
        """The items taken from the back, in decreasing order."""
        while (k := self._take(True)) is not None:
            yield k

    @property
    def meet(self) -> int:
        """Where the back's items begin (the front's end), once neither takes more."""
        return _PAIR.unpack_from(self._mem, 0)[0]

    def close(self) -> None:
        self._mem.close()
        self._lock.close()


class _Lock:
    """A lock shared with forked copies: a POSIX record lock on an anonymous temporary file.
    Such a lock belongs to a process, so a copy that dies holding it (killed, a crash in a
    C library) lets it go with its death: the other end is never left waiting."""

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile(prefix="tariff-claims-")

    def __enter__(self):
        fcntl.lockf(self._file, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        fcntl.lockf(self._file, fcntl.LOCK_UN)

    def close(self) -> None:
        self._file.close()
