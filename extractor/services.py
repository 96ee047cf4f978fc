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
    everyday: bool = False  # a name people use for a kind of service ('デイサービス'), not the service's own


@lru_cache(maxsize=1)
def known() -> tuple[Service, ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("services.json").read_text("utf-8"))
    out = [
        Service(s["name"], s["scheme"], s.get("code"), s.get("canonical", s["name"]), s.get("everyday", False))
        for s in raw["services"]
    ]
    return tuple(sorted(out, key=lambda s: -len(s.name)))


@lru_cache(maxsize=1 << 12)
def find_service(text: str) -> Service | None:
    """The service named first in ``text``; at one place the longest name wins
    (居宅介護支援 before 居宅介護). A service's own name wins over an everyday name of
    another ('当デイサービスは…地域密着型通所介護です': 地域密着型通所介護)."""
    best: tuple[int, int, int, Service] | None = None
    for s in known():
        i = text.find(s.name)
        if i >= 0:
            rank = (s.everyday, i, -len(s.name))
            if best is None or rank < best[:3]:
                best = (*rank, s)
    return best[3] if best else None


_FACILITIES = ("介護老人保健施設", "介護老人福祉施設", "介護医療院")


def document_service(lines: list[str]) -> Service | None:
    """The service a document's first lines name: the first named, except a facility that
    runs another service it names after itself ('介護老人保健施設 すずらん苑 通所リハビリテーション',
    a 老健's day care): that other service."""
    for text in lines:
        first = find_service(text)
        if first is None:
            continue
        named, rest = first, text
        while named is not None and named.canonical in _FACILITIES:  # (the next name after each facility's)
            rest = rest[rest.find(named.name) + len(named.name):]
            named = find_service(rest)
        return named or first
    return None
