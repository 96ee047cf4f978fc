"""Layout recognizers, one module per document family, behind one registry.

Adding a family means adding a module here that defines a ``Recognizer`` subclass
decorated with ``@register``; nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import REGISTRY, Parsed, Recognizer, register

THRESHOLD = 0.5
GENERAL = "general-table"  # the default reader; the others are family plug-ins


def _load_all() -> None:
    for mod in pkgutil.iter_modules(__path__):
        if mod.name != "base":
            importlib.import_module(f"{__name__}.{mod.name}")


def ranked(doc) -> list[tuple[float, Recognizer]]:
    """Every recognizer with its score for ``doc``, best first (ties by name)."""
    _load_all()
    scored = [(r.score(doc), r) for r in REGISTRY.values()]
    return sorted(scored, key=lambda sr: (-sr[0], sr[1].name))


__all__ = ["REGISTRY", "Parsed", "Recognizer", "register", "ranked", "THRESHOLD", "GENERAL"]
