"""A forked copy of this process that sends back what it makes as it makes it (``Stream``),
so that the process that forked it takes each part in between its own work, instead of
all of it at the end, when nothing else is left to do beside it."""

from __future__ import annotations

import os
import pickle
import select
import struct

_SIZE = struct.Struct("<Q")


class Stream:
    """``fn(send)`` run in a forked copy (``sources.pdf._fork``: the same limits, its log
    records logged here); each ``send(obj)`` goes back pickled as a part of its own.
    ``parts()`` gives the parts that have arrived so far without waiting; ``finish()``
    waits for the copy and gives (True, the parts not taken yet, what ``fn`` returned),
    or (False, [], None) when it raised or died."""

    def __init__(self, fn) -> None:
        from .sources.pdf import _fork

        r, w = os.pipe()

        def run():
            os.close(r)

            def send(obj) -> None:
                data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(_SIZE.pack(len(data)) + data)
                while view:
                    view = view[os.write(w, view):]

            try:
                return fn(send)
            finally:
                os.close(w)

        try:
            self.child = _fork(run)
        finally:
            os.close(w)
        self._r = r
        self._buf = bytearray()
        self._eof = False

    def _read(self, wait: bool) -> None:
        while not self._eof:
            if not wait and not select.select([self._r], [], [], 0)[0]:
                return
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                self._eof = True
                return
            self._buf += chunk

    def _parts(self) -> list:
        out, buf, at = [], self._buf, 0
        with memoryview(buf) as view:
            while len(buf) - at >= _SIZE.size:
                (size,) = _SIZE.unpack_from(buf, at)
                if len(buf) - at - _SIZE.size < size:
                    break
                out.append(pickle.loads(view[at + _SIZE.size:at + _SIZE.size + size]))
                at += _SIZE.size + size
        del buf[:at]
        return out

    def parts(self) -> list:
        """The parts that have arrived, in the order sent (none: nothing waits for them)."""
        self._read(wait=False)
        return self._parts()

    def finish(self) -> tuple[bool, list, object]:
        from .sources.pdf import _outcome

        try:
            self._read(wait=True)  # (until the copy closes its end: done, or dead)
            parts = self._parts()
        finally:
            os.close(self._r)
        ok, value = _outcome(self.child)
        self.child = None
        return (True, parts, value) if ok else (False, [], None)

    def kill(self) -> None:
        """Stop the copy (when this process gives up first)."""
        from .sources.pdf import _reap

        if self.child is not None:
            _reap(*self.child, kill=True)
            self.child = None
            try:
                os.close(self._r)
            except OSError:
                pass
