"""A line of any source as cells, found without knowing the domain.

Cells are separated by tabs (PDF geometry rows, ruled tables, tab-separated text), by
``|`` pipes (Markdown), or, in plain text, by runs of two or more spaces or by full-width
spaces (``pdftotext -layout``, copy-paste from a web page or a spreadsheet). Each cell
is normalized on its own, so a run of spaces that separates two cells is never collapsed
into one space inside a cell. Aligned text keeps each cell's display column, so a table
whose merged cells print nothing can still be aligned with its header.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex as re

from ..sources.base import Line
from ..text import normalize

_GAP = re.compile(r"\u3000+|[ \u00a0]{2,}")
_PIPE_RULE = re.compile(r"^[\s|:\-–—=+]*$")


@dataclass
class Cell:
    text: str  # normalized
    start: int  # display column (aligned text) or ordinal (tabs, pipes)
    end: int


@dataclass
class Row:
    """One line as cells. ``aligned``: the cells' positions are display columns."""

    line: Line
    cells: list[Cell]
    aligned: bool = False

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text]


def width(s: str) -> int:
    """Display width: full-width and wide characters count two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def split(line: Line) -> Row | None:
    """The cells of ``line``; None for a Markdown rule row (``|---|---|``)."""
    text = line.text
    if "\t" in text:
        parts = text.split("\t")
        return Row(line, [Cell(p.strip(), i, i + 1) for i, p in enumerate(parts)])
    if text.count("|") >= 2 or text.strip().startswith("|"):
        if _PIPE_RULE.match(text):
            return None
        parts = text.strip().split("|")
        if parts and not parts[0].strip():
            parts = parts[1:]
        if parts and not parts[-1].strip():
            parts = parts[:-1]
        return Row(line, [Cell(p.strip(), i, i + 1) for i, p in enumerate(parts)])
    raw = line.raw.replace("\t", " ")
    cells, pos = [], 0
    for piece in _GAP.split(raw):
        start = raw.find(piece, pos) if piece else pos
        col = width(raw[:start])
        pos = start + len(piece)
        if piece.strip():
            norm, _ = normalize(piece)
            cells.append(Cell(norm.strip(), col, col + width(piece)))
    aligned = len(cells) > 1
    if not aligned:
        return Row(line, [Cell(text.strip(), 0, 1)] if text.strip() else [])
    return Row(line, cells, aligned=True)
