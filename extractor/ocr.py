"""The OCR-noise lexicon (data/ocr_lexicon.json): reviewed confusions, each safe only in
its context. Corrections are recorded with what was printed and what was read. Digits
are never corrected; a disputed number is a finding, not an entry here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex as re

from .model import Applied


@dataclass(frozen=True)
class Entry:
    id: str
    wrong: str
    right: str
    context: re.Pattern
    service: str | None
    note: str
    ocr_only: bool = False


class LexiconError(ValueError):
    pass


def parse_entries(raw: dict) -> tuple[Entry, ...]:
    out = []
    for e in raw["entries"]:
        if re.search(r"\d", e["wrong"] + e["right"]):
            raise LexiconError(f"lexicon entry {e['id']}: digits are never corrected")
        if "{w}" not in e["context"]:
            raise LexiconError(f"lexicon entry {e['id']}: context must contain {{w}}")
        w = re.escape(e["wrong"])
        pattern = e["context"].replace("{w}", f"(?P<w>{w})")
        out.append(Entry(e["id"], e["wrong"], e["right"], re.compile(pattern), e.get("service"), e.get("note", ""),
                         bool(e.get("ocr_only"))))
    return tuple(out)


@lru_cache(maxsize=1)
def lexicon() -> tuple[Entry, ...]:
    raw = json.loads(resources.files("extractor.data").joinpath("ocr_lexicon.json").read_text("utf-8"))
    return parse_entries(raw)


def correct(text: str, service: str | None = None, entries: tuple[Entry, ...] | None = None,
            ocr: bool = False) -> tuple[str, list[Applied]]:
    """Apply every entry whose context matches (and whose service, if any, is in
    ``service``). Each correction is recorded with the matched context as printed and
    as read: ('夜間又は早期', '夜間又は早朝')."""
    fired: list[Applied] = []
    for e in entries if entries is not None else lexicon():
        if e.service and (not service or e.service not in service):
            continue
        if e.ocr_only and not ocr:
            continue

        def fix(m, e=e):
            old = m.group(0)
            a, b = m.start("w") - m.start(), m.end("w") - m.start()
            new = old[:a] + e.right + old[b:]
            fired.append(Applied(rule=f"ocr:{e.id}", printed=old.strip(), read=new.strip()))
            return new

        text = e.context.sub(fix, text)
    return text, fired
