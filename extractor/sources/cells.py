"""What the structured sources (HTML, spreadsheets, Word) share: a table of cells with
row and column spans laid onto a grid, and the grid written as the reader's lines.

A table row is one line, its cells joined by tabs, empty cells kept. A merged cell's
text stands in its first row and column and the other cells of the merge are empty:
the general table reader spreads a label printed once over the rows below it. A row
with one non-empty cell is a heading or a note inside the table and is written as
prose, without tabs, except right under the header row and right of the first column:
there it is the header's lower line ('報酬' over '単位数') and stays a table line (a
bracketed note there, '(単位)', stays prose, as a PDF prints it). Columns empty in every other row (every row of two or more cells)
are dropped: a sheet's titles and notes in column A do not put an empty cell before
each row of a table that starts in column B.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from .base import Line

MAX_CELLS = 2_000_000  # cells in one document's tables; a fee document has a few thousand
MAX_SPAN = 1_000  # a row or column span larger than this is a damaged or hostile file

_CJK = re.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}ー、。（）「」・]")
_NOTE = re.compile(r"[(（]")  # '(単位)', '(1割)(円)': a note on the names above, read as the PDF prints it
_SPACE = re.compile(r"[ \t\u3000\xa0\r\f\v]+")


def join_pieces(pieces: list[str]) -> str:
    """The pieces of one cell or paragraph (split by line breaks or <br>) as one text:
    joined without a separator where either side is Japanese (a line broken inside a
    word), with a space elsewhere. Runs of spaces and tabs become one space."""
    out = ""
    for p in pieces:
        p = _SPACE.sub(" ", p).strip()
        if not p:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(p[0])):
            out += " "
        out += p
    return out


def cell_text(pieces: list[str]) -> str:
    """A table cell's pieces (split by line breaks, <br> or paragraphs) kept apart by "\n",
    each with its runs of spaces made one: `Lines.table` sees a cell that stacks one value
    a line (``unstack``) and joins the others with ``join_pieces``."""
    return "\n".join(p for p in (_SPACE.sub(" ", x).strip() for x in pieces) if p)


# a stacked piece that is one number: units or yen, a reduction mark, a currency sign
_STACKED_NUMBER = re.compile(r"^[▲△▼\-－−+＋]?\s*[¥￥]?\s*[0-9０-９][0-9０-９,，.．]*\s*(?:円|単位)?$")


def _parallel(pieces: list[str]) -> bool:
    """Pieces of a text cell that name one row each ('要介護1' / '要介護2', '個室' / '多床室'),
    not one name wrapped over lines ('3時間以上' / '4時間未満'): three or more, or two
    sharing their first or last character."""
    return len(pieces) >= 3 or pieces[0][0] == pieces[1][0] or pieces[0][-1] == pieces[1][-1]


def unstack(grid: Grid) -> Grid:
    """Rows of a table that print several rows in one, a value a line in each cell (a web
    page's ``370<br>423<br>479`` beside ``要介護1<br>要介護2<br>要介護3``), as those rows.
    A row is stacked when two or more of its cells hold the same number k >= 2 of lines,
    each line one number; its cells of k lines give one line to each row (a text cell only
    when its lines name one row each, or when they do after a heading line, which each
    row then keeps), the others stand in the first row, as a merged cell's text does."""
    out = Grid()
    for row, values, where in zip(grid.rows, grid.values, grid.where):
        pieces = [t.split("\n") if t else [] for t in row]
        numbers = [all(_STACKED_NUMBER.match(x) for x in p) for p in pieces]  # (every line of the cell one number)
        counts = {len(p) for p, num in zip(pieces, numbers) if len(p) > 1 and num}
        numeric = sum(1 for p, num in zip(pieces, numbers) if len(p) > 1 and num)
        k = next(iter(counts)) if len(counts) == 1 else 0
        # a line added with its plus ('¥9,873' over '+¥889', the step's amount) or a cell of as many lines that
        # are not one name each ('921' over '(以降30分ごとに+83)'): one row with its notes, not rows
        added = any(len(p) == k and any(x.lstrip().startswith(("+", "＋")) for x in p[1:]) for p in pieces)
        other = any(len(p) == k and not num and not _parallel(p) for p, num in zip(pieces, numbers))
        if len(counts) != 1 or numeric < 2 or added or other:
            out.rows.append(row)
            out.values.append(values)
            out.where.append(where)
            continue
        # a text cell of k + 1 lines, its first a heading over k names ('身体介護' over '20分未満' and
        # '30分未満'), gives each row the heading and one name
        lines = [p if len(p) == k and (num or _parallel(p))
                 else [join_pieces([p[0], x]) for x in p[1:]] if len(p) == k + 1 and _parallel(p[1:])
                 else None for p, num in zip(pieces, numbers)]
        for i in range(k):
            out.rows.append([ls[i] if ls else (t if i == 0 else "") for ls, t in zip(lines, row)])
            out.values.append([None if ls else (v if i == 0 else None) for ls, v in zip(lines, values)])
            out.where.append(f"{where} line {i + 1}")
    return out


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    value: object = None  # the stored value, where the source has one (a spreadsheet's number)


@dataclass
class Grid:
    """Rows of texts laid out from cells with spans; ``where[r]`` names each row's place."""

    rows: list[list[str]] = field(default_factory=list)
    values: list[list[object]] = field(default_factory=list)
    where: list[str] = field(default_factory=list)


def lay_out(rows: list[list[Cell]], where: list[str]) -> Grid:
    """Place cells with row and column spans on a grid, HTML's way: a cell takes the first
    column not held by a span from a row above. A spanned cell's text is in its first row
    and column only."""
    held: dict[tuple[int, int], bool] = {}
    grid: list[dict[int, Cell]] = []
    for r, cells in enumerate(rows):
        placed: dict[int, Cell] = {}
        c = 0
        for cell in cells:
            while held.get((r, c)):
                c += 1
            rs, cs = max(1, min(cell.rowspan, MAX_SPAN)), max(1, min(cell.colspan, MAX_SPAN))
            placed[c] = cell
            for dr in range(rs):
                for dc in range(cs):
                    held[(r + dr, c + dc)] = True
            c += cs
        grid.append(placed)
    width = max((c + 1 for (_, c) in held), default=0)
    out = Grid()
    for r, placed in enumerate(grid):
        out.rows.append([placed[c].text if c in placed else "" for c in range(width)])
        out.values.append([placed[c].value if c in placed else None for c in range(width)])
        out.where.append(where[r])
    return out


def drop_empty_columns(grid: Grid) -> Grid:
    keep = [c for c in range(max((len(r) for r in grid.rows), default=0))
            if any(c < len(r) and r[c].strip() for r in grid.rows)]
    return Grid([[r[c] if c < len(r) else "" for c in keep] for r in grid.rows],
                [[v[c] if c < len(v) else None for c in keep] for v in grid.values], list(grid.where))


class Lines:
    """The lines of one document, numbered in order as they are added."""

    def __init__(self):
        self.lines: list[Line] = []

    def prose(self, text: str, page: int | None, cell: str | None) -> None:
        text = text.replace("\t", " ").strip()
        if text:
            self.lines.append(Line.of(text, len(self.lines) + 1, page, cell=cell))

    def table(self, grid: Grid, page: int | None) -> None:
        """The grid's rows in order: a row with one filled cell as prose, the others as
        table lines without the columns no table line fills (a sheet's titles and notes
        in column A, left of a table that starts in column B, do not give every table
        line an empty first cell)."""
        grid = unstack(grid)
        grid = Grid([[join_pieces(t.split("\n")) for t in row] for row in grid.rows], grid.values, grid.where)
        texts = [[t.replace("\t", " ").strip() for t in row] for row in grid.rows]
        table_rows = [r for r, row in enumerate(texts) if sum(1 for t in row if t) > 1]
        if table_rows:  # a lone name under the header, right of the first column ('報酬' over '単位数'): the header's
            first_col = min(next(c for c, t in enumerate(texts[r]) if t) for r in table_rows)
            for r in range(table_rows[0] + 1, len(texts)):
                filled = [c for c, t in enumerate(texts[r]) if t]
                if len(filled) > 1:
                    break
                if filled and filled[0] > first_col:
                    table_rows = sorted(table_rows + [r])
        kept = drop_empty_columns(Grid([grid.rows[r] for r in table_rows], [grid.values[r] for r in table_rows],
                                       [grid.where[r] for r in table_rows]))
        lines = iter(zip(kept.rows, kept.values, kept.where))
        for r, row in enumerate(texts):
            filled = [t for t in row if t]
            if not filled:
                continue
            if len(filled) == 1 and r not in table_rows:  # a heading or note across the table
                self.prose(filled[0], page, grid.where[r])
                continue
            cells, values, where = next(lines)
            cells = [t.replace("\t", " ").strip() for t in cells]
            stored = values if any(v is not None for v in values) else None
            self.lines.append(Line.of("\t".join(cells), len(self.lines) + 1, page, cell=where, values=stored))
