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
from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from ..sources.base import Line
from ..text import normalize

_GAP = re.compile(r"\u3000+|[ \u00a0]{2,}")
_PIPE_RULE = re.compile(r"^[\s|:\-–—=+]*$")


@dataclass(slots=True)
class Cell:
    text: str  # normalized
    start: int  # display column (aligned text) or ordinal (tabs, pipes)
    end: int
    span: tuple[int, int] | None = None  # the measured cell this one was split from (its place is estimated)


@dataclass(slots=True)
class Row:
    """One line as cells. ``aligned``: the cells' positions are display columns. Slotted,
    as ``Cell`` and ``Line``: a long document's tables hold a row for each of their lines."""

    line: Line
    cells: list[Cell]
    aligned: bool = False
    more: list[Line] = field(default_factory=list)  # further lines of a row copied one cell to a line
    placed: bool = False  # positions measured on the page (PDF), not counted in characters
    _filled: tuple | None = field(default=None, init=False, repr=False, compare=False)  # (``filled``)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def filled(self) -> list[Cell]:
        """The cells with text (kept once made, for the list of cells it was made from: a
        table's rows are asked for it often; a new copy each time, as the caller may change it)."""
        kept = self._filled
        if kept is None or kept[0] is not self.cells or kept[1] != len(self.cells):
            kept = self._filled = (self.cells, len(self.cells), [c for c in self.cells if c.text])
        return list(kept[2])


def width(s: str) -> int:
    """Display width: full-width and wide characters count two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


_NUMBERS = re.compile(r"(?<=^|\s)[-+▲△¥\\]?\d[\d,]*(?:\.\d+)?\s*(?:円|単位|%)?(?:[(（]\s*\d[\d,]*\s*単位\s*[)）])?(?=\s|$)")


_MONEY_SIGN = re.compile(r"[¥\\]|円|単位")
_BASIS_END = re.compile(r"(?:につき|当たり|あたり|[)）]|未満|以上|要(?:介護|支援)\s*[1-5](?:\s*[・~〜～、,]\s*[1-5])*"
                        r"|[(（]\s*[1-9]\s*割\s*[)）]\s*[¥\\]?\s*\d[\d,]*円?)$")
_BARE_NUMBER = re.compile(r"\d[\d,]+")


def _placed(line: Line) -> Row:
    """A line whose source measured each cell's x extent (PDF geometry). A cell that holds
    several numbers a word space apart ('578 683 788', narrow columns) is one cell per
    number, each placed by its share of the cell's width."""
    cells: list[Cell] = []
    for text, (x0, x1) in zip(line.text.split("\t"), line.spans or []):
        text, pieces = _pieces(text)
        if pieces:
            for piece, a, b, total in pieces:
                left = x0 + (x1 - x0) * a / total
                right = x0 + (x1 - x0) * b / total
                cells.append(Cell(piece, round(left), round(right), (round(x0), round(x1))))
        else:
            cells.append(Cell(text, round(x0), round(x1)))
    return Row(line, cells, aligned=True, placed=True)


@lru_cache(maxsize=1 << 15)
def _pieces(text: str) -> tuple[str, tuple[tuple[str, int, int, int], ...]]:
    """A measured cell's text, stripped, and the cells it holds (``_placed``): each piece's
    text, the display width before its start and its end, and the whole text's width; none
    when it is one cell (remembered by text: the positions are scaled from them)."""
    text = text.strip()
    numbers = list(_NUMBERS.finditer(text))
    # several numbers a word space apart, or words then one amount ('1回につき ¥1000'): a narrow gap
    head = text[: numbers[0].start()].strip() if numbers else ""
    # words then one amount ('1回につき ¥1000'), or a bare number after a basis, a bracket, a band, care
    # levels or the copays by share ('1月につき 200', '…+85単位) 821', '要介護3~5 683', '…/(3割)3,297 1,008')
    tail = len(numbers) == 1 and head and (_MONEY_SIGN.search(numbers[0].group(0)) or _BASIS_END.search(head)
                                           and _BARE_NUMBER.fullmatch(numbers[0].group(0)))
    if not ((len(numbers) >= 2 or tail) and not text[: numbers[0].start()].strip().endswith((",", "."))):
        return text, ()
    pieces = ([(0, numbers[0].start())] if text[: numbers[0].start()].strip() else []) + [(m.start(), m.end()) for m in numbers]
    if text[numbers[-1].end():].strip():  # words after the last number are a cell too, never dropped
        pieces.append((numbers[-1].end(), len(text)))
    total = width(text) or 1
    return text, tuple((text[a:b].strip(), width(text[:a]), width(text[:b]), total) for a, b in pieces)


def split(line: Line) -> Row | None:
    """The cells of ``line``; None for a Markdown rule row (``|---|---|``)."""
    text = line.text
    if line.spans and len(line.spans) == text.count("\t") + 1:
        return _placed(line)
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
    if len(cells) <= 1:
        return Row(line, [Cell(text.strip(), 0, 1)] if text.strip() else [])
    # cells apart by single full-width spaces are in order, not in columns ('身体介護　30分未満　256単位')
    gaps = [g for g in _GAP.findall(raw.strip())]
    if all(g == "\u3000" for g in gaps):
        return Row(line, [Cell(c.text, i, i + 1) for i, c in enumerate(cells)])
    return Row(line, cells, aligned=True)
