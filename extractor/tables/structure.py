"""Lines -> tables: where a table starts (its header), its columns, and its body rows.

Found without the domain's arithmetic: a header is a row of cells that name columns (words
from ``data/header_words.json``, or row keys such as care levels and time bands written
across the top); a header over two lines is joined column by column; a body row is a row
with a number in it, or a short label line between them (a merged cell's label). Prose
ends a table; a blank line or a repeated header (a table continued on the next page)
does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from ..numbers import parse_rate
from ..reading.values import run_apart
from ..reading.columns import VALUE_ROLES, Column, header_role, pivot_key
from ..sources.base import Document, Line
from .cells import Cell, Row, split

_NUMBER_CELL = re.compile(r"^[-+▲△¥￥\\]?\s*\d[\d,]*(?:\.\d+)?\s*(?:円|単位|%|％)?$")
_PROSE = re.compile(r"[。]|(?:ます|です|ください|こと)[。、]?$")


@dataclass
class Table:
    header: list[Row]
    columns: list[Column]
    body: list[Row] = field(default_factory=list)
    above: list[Line] = field(default_factory=list)  # the lines just above the header: its title

    @property
    def aligned(self) -> bool:
        return all(r.aligned for r in self.header)


def has_number(cell: str) -> bool:
    return bool(re.search(r"\d", re.sub(r"(?<!\d)(?:10|[1-9])\s*割|要(?:介護|支援)\s*\d|\d+\s*級地", "", cell)))


def is_value_cell(text: str) -> bool:
    """A cell that holds a value ('256', '2,606円', '¥717'), not one that names a column
    ('10割', '単位数(1回)') or a row key ('要介護3', '30分未満')."""
    if header_role(text) or pivot_key(text):
        return False
    return bool(_NUMBER_CELL.match(text)) or bool(re.search(r"\d\s*(?:円|単位)", text))


def _names_a_column(text: str) -> bool:
    """A cell that can stand in a header: it names a column or a row key, and any digit in
    it is part of that name ('1割', '要介護1', '単位数(1回)'), not a code or a value."""
    if pivot_key(text):
        return True
    role = header_role(text)
    if not re.search(r"\d", text):
        return True
    return bool(role) and len(text) <= 14


def is_header(row: Row) -> bool:
    cells = row.filled
    if len(cells) < 2:
        return False
    if any(is_value_cell(c.text) or not _names_a_column(c.text) for c in cells):
        return False
    roles = [header_role(c.text) for c in cells]
    pivots = [pivot_key(c.text) for c in cells]
    named = sum(1 for r, p in zip(roles, pivots) if r or p)
    values = sum(1 for r in roles if r and r[0] in VALUE_ROLES) + sum(1 for p in pivots if p)
    return named >= 2 and values >= 1 and named * 2 >= len(cells)


def is_sub_header(row: Row) -> bool:
    """The second line of a header: cells with no numbers, most of them naming a column."""
    cells = row.filled
    if len(cells) < 2 or any(is_value_cell(c.text) or not _names_a_column(c.text) for c in cells):
        return False
    named = sum(1 for c in cells if header_role(c.text) or pivot_key(c.text))
    return named >= 1 and named * 2 >= len(cells)


def _columns(header: list[Row]) -> list[Column]:
    """Columns from one or two header rows. Two rows whose lower one has more cells are a
    two-level header: each upper cell spans the lower cells under it (by position when
    the text is aligned, else in equal groups after the key columns)."""
    top = header[0]
    if len(header) == 1:
        return [_column(i, c, [c.text]) for i, c in enumerate(top.cells)]
    low = header[1]
    if top.aligned or low.aligned:
        out = []
        for i, c in enumerate(low.cells):
            over = [t for t in top.cells if t.start < c.end and c.start < t.end]
            out.append(_column(i, c, [t.text for t in over] + [c.text]))
        for t in top.cells:  # key columns of the upper line that no lower cell lies under
            if not any(t.start < c.end and c.start < t.end for c in low.cells):
                out.append(_column(len(out), t, [t.text]))
        return sorted(out, key=lambda col: col.start)
    n_top, n_low = len(top.cells), len(low.cells)
    if n_low > n_top:
        lead = sum(1 for c in top.cells if not pivot_key(c.text) and not (header_role(c.text) or ("",))[0] in VALUE_ROLES)
        lead = min(lead, n_top - 1)
        groups = n_top - lead
        span = (n_low - lead) // groups if groups else 0
        if span >= 1 and lead + groups * span == n_low:
            out = []
            for i in range(n_low):
                parent = top.cells[i] if i < lead else top.cells[lead + (i - lead) // span]
                texts = [parent.text] if i < lead else [parent.text, low.cells[i].text]
                out.append(_column(i, low.cells[i], texts))
            return out
    return [_column(i, c, [c.text] + ([low.cells[i].text] if i < n_low else [])) for i, c in enumerate(top.cells)]


def _column(i: int, cell: Cell, texts: list[str]) -> Column:
    texts = [t for t in texts if t]
    col = Column(index=i, start=cell.start, end=cell.end, header=" ".join(texts))
    for t in texts:
        key = pivot_key(t)
        if key:
            col.key = key
    for t in reversed(texts):  # the lower line names the value ('利用料' under '30分未満')
        role = header_role(t)
        if role:
            col.role, col.why = role[0], f"header:{role[1]}"
            break
    if col.key and col.role is None:
        col.why = f"header:{col.key[1]}"
    return col


def _explode(row: Row | None) -> Row | None:
    """Cells that hold several values run together become one cell each."""
    if row is None or not any(run_apart(c.text) for c in row.cells):
        return row
    cells: list[Cell] = []
    for c in row.cells:
        parts = run_apart(c.text) or [c.text]
        step = (c.end - c.start) / len(parts)
        for k, p in enumerate(parts):
            cells.append(Cell(p, round(c.start + k * step), round(c.start + (k + 1) * step)) if row.aligned
                         else Cell(p, len(cells), len(cells) + 1))
    if not row.aligned:
        cells = [Cell(c.text, i, i + 1) for i, c in enumerate(cells)]
    return Row(row.line, cells, aligned=row.aligned)


def find_tables(doc: Document) -> list[Table]:
    tables: list[Table] = []
    cur: Table | None = None
    above: list[Line] = []
    titled = False  # words since the last table row: a repeated header after them starts a new table
    lines = doc.lines
    i = 0
    while i < len(lines):
        ln = lines[i]
        i += 1
        if ln.blank:
            continue
        row = _explode(split(ln))
        if row is None:
            continue
        if is_header(row):
            header = [row]
            while i < len(lines) and not lines[i].blank:
                nxt = _explode(split(lines[i]))
                if nxt is None:
                    i += 1
                    continue
                if not is_sub_header(nxt) or is_header(nxt) and len(nxt.filled) <= len(row.filled):
                    break
                header.append(nxt)
                i += 1
                break
            columns = _columns(header)
            if cur is not None and [c.header for c in cur.columns] == [c.header for c in columns] and not titled:
                continue  # the header repeated on the next page: the same table goes on
            cur = Table(header=header, columns=columns, above=list(above))
            tables.append(cur)
            above, titled = [], False
            continue
        text = ln.text.strip()
        above = (above + [ln])[-3:]
        titled = titled or bool(re.search(r"[\p{Han}\p{Katakana}\p{Hiragana}]", text)) and not is_value_cell(text)
        if cur is not None and not _PROSE.search(text) and (
                any(is_value_cell(c.text) for c in row.filled) or parse_rate(text) and re.search(r"加算|減算", text)):
            cur.body.append(row)
            titled = False
        elif cur is not None and len(row.filled) == 1 and len(text) <= 24 and not _PROSE.search(text):
            cur.body.append(row)  # a label on a line of its own: a merged cell, or a sub-heading
        elif _PROSE.search(text) or len(text) > 60 or len(row.filled) > 1:
            cur = None  # prose, or a row of cells that is neither header nor values: another table
    return tables
