"""Known services (data/services.json): find the service a heading or title names."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Service:
    name: str
    scheme: str
    code: str | None
    canonical: str


@lru_cache(maxsize=1)
def known() -> tuple[Service, ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("services.json").read_text("utf-8"))
    out = [
        Service(s["name"], s["scheme"], s.get("code"), s.get("canonical", s["name"]))
        for s in raw["services"]
    ]
    return tuple(sorted(out, key=lambda s: -len(s.name)))


@lru_cache(maxsize=1 << 12)
def find_service(text: str) -> Service | None:
    """The service named first in ``text``; at one place the longest name wins
    (居宅介護支援 before 居宅介護)."""
    best: tuple[int, int, Service] | None = None
    for s in known():
        i = text.find(s.name)
        if i >= 0 and (best is None or (i, -len(s.name)) < (best[0], best[1])):
            best = (i, -len(s.name), s)
    return best[2] if best else None


_FACILITIES = ("介護老人保健施設", "介護老人福祉施設", "介護医療院")


def services_in(text: str) -> list[Service]:
    """Every service named in ``text``, in order (at one place the longest name)."""
    found: list[tuple[int, int, Service]] = []
    for s in known():
        start = 0
        while (i := text.find(s.name, start)) >= 0:
            found.append((i, i + len(s.name), s))
            start = i + 1
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out, end = [], -1
    for i, j, s in found:
        if i >= end:
            out.append((s, i))
            end = j
    return [s for s, _ in out]


def document_service(lines: list[str]) -> Service | None:
    """The service a document's first lines name: the first named, except a facility that
    runs another service it names after itself ('介護老人保健施設 すずらん苑 通所リハビリテーション',
    a 老健's day care): that other service."""
    for text in lines:
        named = services_in(text)
        if not named:
            continue
        if named[0].canonical in _FACILITIES:
            other = next((s for s in named[1:] if s.canonical not in _FACILITIES), None)
            if other is not None:
                return other
        return named[0]
    return None
