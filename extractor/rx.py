"""The ``regex`` module with its module-level functions served from a plain dict of
compiled patterns: ``regex.search(pattern, ...)`` looks its pattern up in its own cache
with much work on every call (tens of thousands of calls a document), this looks it up
once per (pattern, flags). The same compiled patterns, so the same matches.

Modules use it as ``from . import rx as re``; anything not defined here (flags,
``escape``, ``compile`` with its keywords) is ``regex``'s own.
"""

from __future__ import annotations

import regex
from regex import *  # noqa: F401,F403 - flags, escape, error, Pattern, Match ...

_compiled: dict = {}
_Pattern = regex.Pattern


def _get(pattern, flags):
    if type(pattern) is _Pattern:
        return pattern if not flags else None
    key = (type(pattern), pattern, flags)
    p = _compiled.get(key)
    if p is None:
        if flags & regex.LOCALE:  # compiled per locale: regex's own cache decides
            return None
        p = _compiled[key] = regex.compile(pattern, flags)
    return p


def compile(pattern, flags=0, **kw):
    if kw:
        return regex.compile(pattern, flags, **kw)
    return _get(pattern, flags) or regex.compile(pattern, flags)


def _wrap(name: str):
    slow = getattr(regex, name)
    method = getattr(_Pattern, name)

    def fast(pattern, string, flags=0, *args, **kw):
        p = None if args or kw else _get(pattern, flags)
        if p is None:
            return slow(pattern, string, flags, *args, **kw)
        return method(p, string)

    fast.__name__ = fast.__qualname__ = name
    fast.__doc__ = slow.__doc__
    return fast


search = _wrap("search")
match = _wrap("match")
fullmatch = _wrap("fullmatch")
findall = _wrap("findall")
finditer = _wrap("finditer")


def split(pattern, string, maxsplit=0, flags=0, *args, **kw):
    p = None if args or kw else _get(pattern, flags)
    if p is None:
        return regex.split(pattern, string, maxsplit, flags, *args, **kw)
    return p.split(string, maxsplit)


def sub(pattern, repl, string, count=0, flags=0, *args, **kw):
    p = None if args or kw else _get(pattern, flags)
    if p is None:
        return regex.sub(pattern, repl, string, count, flags, *args, **kw)
    return p.sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0, *args, **kw):
    p = None if args or kw else _get(pattern, flags)
    if p is None:
        return regex.subn(pattern, repl, string, count, flags, *args, **kw)
    return p.subn(repl, string, count)
