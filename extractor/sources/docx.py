"""Word documents (.docx), read through python-docx.

The body is read in order: each paragraph is a line of prose, each table a table.
Cells are read from the table's XML itself, so merges are exactly as Word stores them:
a horizontal merge (``w:gridSpan``) holds several grid columns, a vertical merge
(``w:vMerge``) continues the cell above; the merged text stands in its first row and
column, the other cells of the merge are empty. Paragraphs inside a cell are joined
(without a separator between Japanese text). A table inside a cell is read as a table
of its own after the row that holds it; a table that only lays out the page (tables side
by side, each under its heading in a cell of its own) is read as its cells in order, each
as a body, the heading over its table, as it is printed. Content controls (``w:sdt``) are read through.
Each table row names its place as ``table T row R`` (tables counted in document order).
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from .base import BadInput, Document
from .cells import MAX_CELLS, MAX_SPAN, Grid, Lines, cell_text, join_pieces
from .office import check_package, damaged

DOCX_SUFFIXES = {".docx", ".docm"}
TODO = "save the document again as .docx, or give its PDF"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _val(el, name: str) -> str | None:
    found = el.find(f"{W}tcPr/{W}{name}") if el is not None else None
    if found is None:
        return None
    return found.get(f"{W}val", "")


def _int(text: str | None, default: int) -> int:
    try:
        return max(1, min(int(text), MAX_SPAN)) if text not in (None, "") else default
    except ValueError:
        return default


def _paragraph_text(p) -> str:
    """A paragraph's text: its runs, with a line break (w:br, w:cr) as a break."""
    pieces: list[str] = []
    for el in p.iter(f"{W}t", f"{W}br", f"{W}cr", f"{W}tab"):
        if el.tag == f"{W}t":
            pieces.append(el.text or "")
        elif el.tag == f"{W}tab":
            pieces.append(" ")
        else:
            pieces.append("\n")
    return "".join(pieces)


class _Reader:
    def __init__(self):
        self.out = Lines()
        self.tables = 0
        self.cells = 0

    def body(self, parent) -> None:
        for el in parent:
            if el.tag == f"{W}p":
                self.out.prose(join_pieces(_paragraph_text(el).split("\n")), None, None)
            elif el.tag == f"{W}tbl":
                self.table(el)
            elif el.tag == f"{W}sdt":
                content = el.find(f"{W}sdtContent")
                if content is not None:
                    self.body(content)

    def _frame(self, tbl) -> bool:
        """A table that lays out the page rather than holding data: a cell of it holds a
        table, and none of its rows is a data row (two or more cells with text of their own,
        outside the tables they hold, and no table among them). Tables side by side, each
        under its heading in its own cell, are printed and read as boxes, the heading over
        its table; as a grid, the headings would be a row of their own and the tables would
        lose them."""
        holds = False
        for tr in _own_rows(tbl):
            inner: list = []
            texts = [self._cell(tc, inner) for tc in _own_cells(tr)]
            holds = holds or bool(inner)
            if not inner and sum(1 for t in texts if t) > 1:
                return False
        return holds

    def _cell(self, tc, nested: list) -> str:
        """A cell's own text; the tables it holds go to ``nested``, each with the paragraph
        printed just above it in the cell ('【従来型個室】' over its table), its heading."""
        pieces: list[str] = []
        last: list[str] | None = None  # the paragraph just before, when no table came between
        for el in _own(tc):
            if el.tag == f"{W}p":
                if last is not None:
                    pieces += last
                last = _paragraph_text(el).split("\n")
            elif el.tag == f"{W}tbl":
                heading = [t for t in (last or []) if t.strip()]
                nested.append((el, heading))
                last = None
        if last is not None:
            pieces += last
        return cell_text(pieces)

    def table(self, tbl) -> None:
        if self._frame(tbl):  # boxes of the page: each read in order, as a body, its heading over its table
            for tr in _own_rows(tbl):
                for tc in _own_cells(tr):
                    self.body(tc)
            return
        self.tables += 1
        number = self.tables
        grid = Grid()
        nested: list = []
        above: dict[int, bool] = {}  # grid column -> a vertical merge runs through it
        for r, tr in enumerate(_own_rows(tbl), start=1):
            texts: dict[int, str] = {}
            col = _int(_trpr(tr, "gridBefore"), 0) if _trpr(tr, "gridBefore") else 0
            for tc in _own_cells(tr):
                span = _int(_val(tc, "gridSpan"), 1)
                vmerge = _val(tc, "vMerge")
                self.cells += span
                if vmerge is not None and vmerge != "restart" and above.get(col):
                    texts[col] = ""  # continues the cell above: its text stands there
                else:
                    texts[col] = self._cell(tc, nested)
                for c in range(col, col + span):
                    above[c] = vmerge is not None
                col += span
            if self.cells > MAX_CELLS:
                raise OverflowError
            width = max(texts, default=-1) + 1
            grid.rows.append([texts.get(c, "") for c in range(width)])
            grid.values.append([None] * width)
            grid.where.append(f"table {number} row {r}")
        width = max((len(row) for row in grid.rows), default=0)
        grid.rows = [row + [""] * (width - len(row)) for row in grid.rows]
        grid.values = [v + [None] * (width - len(v)) for v in grid.values]
        self.out.table(grid, None)
        for inner, heading in nested:
            if heading:
                self.out.prose(join_pieces(heading), None, None)
            self.table(inner)


def _trpr(tr, name: str) -> str | None:
    found = tr.find(f"{W}trPr/{W}{name}")
    return None if found is None else found.get(f"{W}val")


def _own(parent):
    """Children, reading through content controls."""
    for el in parent:
        if el.tag == f"{W}sdt":
            content = el.find(f"{W}sdtContent")
            if content is not None:
                yield from _own(content)
        else:
            yield el


def _own_rows(tbl):
    return [el for el in _own(tbl) if el.tag == f"{W}tr"]


def _own_cells(tr):
    return [el for el in _own(tr) if el.tag == f"{W}tc"]


def read_docx(path: Path) -> Document:
    check_package(path, "a Word document", "word/document.xml", TODO)
    import docx
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(str(path))
        body = document.element.body
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, OSError, SyntaxError) as e:
        raise damaged(path, e, TODO) from None
    except Exception as e:  # lxml's XMLSyntaxError for a part that is not XML
        if type(e).__name__ != "XMLSyntaxError":
            raise
        raise damaged(path, e, TODO) from None
    reader = _Reader()
    try:
        reader.body(body)
    except OverflowError:
        raise BadInput(str(path), f"has more than {MAX_CELLS:,} table cells", "check that this is the fee document") from None
    if not reader.out.lines:
        raise BadInput(str(path), "has no text", "check that this is the fee document")
    return Document(name=path.name, path=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(), kind="docx",
                    lines=reader.out.lines)
