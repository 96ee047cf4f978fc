"""HTML fee pages (.html, .htm), read through lxml's HTML parser.

The charset is the one the page declares (a BOM, then ``<meta charset>`` or
``<meta http-equiv="Content-Type" content="...; charset=...">``); a page that declares
none, or one its bytes contradict, is decoded like a text file (UTF-8, Shift_JIS/cp932,
EUC-JP). Scripts, styles, navigation, templates and hidden elements are skipped.
Tables keep their row and column spans; a ``<br>`` or a paragraph inside a cell
breaks it where Japanese text is joined without a separator. A table inside a cell is
read as a table of its own after the row that holds it; a table that only lays out the
page (tables side by side, each under its heading in a cell of its own) is read as its
cells in order, each as a block, the heading over its table, as it is printed. Text outside tables is prose,
one line per block (a heading, a paragraph, a list item, a line broken by ``<br>``).
Each table row names its place as ``table T row R`` (tables counted in document order).
A block laid out as a CSS grid (``display: grid`` with ``grid-template-columns``, in its
style or its class's rule in the page's style sheet) is a table: its children are its
cells, row by row, as many to a row as the template has columns.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import regex as re

from .base import BadInput, Document
from .cells import MAX_CELLS, Cell, Lines, cell_text, join_pieces, lay_out
from .files import TEXT_MAX_BYTES, read_limited
from .text import decode

HTML_SUFFIXES = {".html", ".htm"}
SKIP = {"script", "style", "nav", "noscript", "template", "head", "title", "iframe", "object", "svg", "math",
        "button", "select", "option", "textarea"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
         "main", "header", "footer", "aside", "blockquote", "pre", "form", "fieldset", "figure", "figcaption",
         "address", "caption", "hr", "body", "center", "table", "tr", "td", "th", "thead", "tbody", "tfoot"}
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_JAPANESE_CODECS = {"shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932",
                    "euc-jp": "euc_jp", "x-euc-jp": "euc_jp"}


def page_text(data: bytes) -> tuple[str, str]:
    """The page as text and the encoding it was read in."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    m = _META.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", errors="replace").lower()
        codec = _JAPANESE_CODECS.get(declared, declared)
        try:
            codecs.lookup(codec)
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown charset, or bytes that are not in it: detect instead
    return decode(data)


_WIDE_BREAK = re.compile(r"(?<=[\p{Han}\p{Hiragana}\p{Katakana}ー、。])[ \t]*[\r\n]+[ \t]*(?=[\p{Han}\p{Hiragana}\p{Katakana}ー、。])")


def _text(s: str | None) -> str:
    """Text as HTML renders it: a line break in the source is a space, except between two
    Japanese characters, where it is nothing (CSS Text's segment break rule); only <br>
    and blocks break a line (those are marked "\n" by the readers below)."""
    return _WIDE_BREAK.sub("", s or "").replace("\r", " ").replace("\n", " ")


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _hidden(el) -> bool:
    return el.get("hidden") is not None or el.get("aria-hidden") == "true" or bool(_HIDDEN.search(el.get("style") or ""))


def _span(el, name: str) -> int:
    try:
        return max(1, int(re.sub(r"\D", "", el.get(name) or "1") or 1))
    except ValueError:
        return 1


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_GRID = re.compile(r"display\s*:\s*(?:inline-)?grid", re.I)
_TRACKS = re.compile(r"grid-template-columns\s*:\s*([^;]+)", re.I)
_REPEAT = re.compile(r"^repeat\(\s*(\d+)\s*,", re.I)
_COLUMN_SPAN = re.compile(r"grid-column\s*:\s*(?:[^;]*?/\s*)?span\s+(\d+)", re.I)


def _tracks(value: str) -> int | None:
    """The number of columns a ``grid-template-columns`` value makes ('8em 6em 8em 8em': 4,
    'repeat(3, 1fr)': 3, 'minmax(6em, 1fr) 2fr': 2); None for one it cannot count
    ('repeat(auto-fill, …)')."""
    v = value.strip()
    m = _REPEAT.match(v)
    if m:
        return int(m.group(1))
    if "repeat(" in v.lower():
        return None
    depth, n, word = 0, 0, False
    for ch in v:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch.isspace() and depth == 0:
            word = False
        elif not word and not (ch == "[" or depth and ch != "("):
            word, n = True, n + 1
    return n or None


def _grid_classes(root) -> dict[str, int]:
    """The classes the page's style sheets lay out as grids of a known number of columns
    ('.fee-grid{display:grid;grid-template-columns:8em 6em 8em 8em}' -> {'fee-grid': 4})."""
    out: dict[str, int] = {}
    for style in root.iter("style"):
        for selectors, body in _RULE.findall(style.text or ""):
            tracks = _TRACKS.search(body)
            n = _tracks(tracks.group(1)) if tracks and _GRID.search(body) else None
            if n is None:
                continue
            for sel in selectors.split(","):
                last = sel.strip().split()[-1] if sel.strip() else ""
                m = re.fullmatch(r"[\w-]*\.([\w-]+)", last)
                if m:
                    out.setdefault(m.group(1), n)
    return out


class _Reader:
    def __init__(self, grids: dict[str, int] | None = None):
        self.out = Lines()
        self.tables = 0
        self.cells = 0
        self.buffer: list[str] = []
        self.grids = grids or {}

    def _columns(self, el) -> int | None:
        """The number of columns of a block laid out as a CSS grid (its own style or its
        class's), whose children are its cells; None for any other block."""
        style = el.get("style") or ""
        tracks = _TRACKS.search(style)
        if tracks:
            return _tracks(tracks.group(1))
        return next((self.grids[c] for c in (el.get("class") or "").split() if c in self.grids), None)

    def grid(self, el, n: int) -> bool:
        """A CSS grid's children as a table's cells, row by row, ``n`` to a row (a child's
        'grid-column: span 2' taking two); False, leaving it to be read as blocks, when its
        children are not one row's worth or more."""
        children = [c for c in el if _tag(c) and _tag(c) not in SKIP and not _hidden(c)]
        spans = [min(int(m.group(1)), n) if (m := _COLUMN_SPAN.search(c.get("style") or "")) else 1 for c in children]
        if n < 2 or sum(spans) < 2 * n:
            return False
        self.flush()
        self.tables += 1
        number = self.tables
        rows: list[list[Cell]] = [[]]
        used = 0
        for child, span in zip(children, spans):
            if used + span > n:
                rows.append([])
                used = 0
            pieces: list[str] = []
            nested: list = []
            _cell_text(child, pieces, nested)
            rows[-1].append(Cell(cell_text("".join(pieces).split("\n")), 1, span))
            used += span
            self.cells += span
        if self.cells > MAX_CELLS:
            raise OverflowError
        self.out.table(lay_out(rows, [f"table {number} row {i}" for i in range(1, len(rows) + 1)]), None)
        return True

    def flush(self) -> None:
        self.out.prose(join_pieces("".join(self.buffer).split("\n")), None, None)
        self.buffer = []

    def walk(self, el) -> None:
        """Prose: inline text gathered until a block, a <br> or a table ends it."""
        tag = _tag(el)
        if not tag or tag in SKIP or _hidden(el):
            self.buffer.append(_text(el.tail))
            return
        if tag == "table":
            self.flush()
            self.table(el)
        elif tag == "div" and (n := self._columns(el)) is not None and self.grid(el, n):
            pass  # a CSS grid of cells ('<div class="fee-grid">' of '<div class="cell">'), read as a table
        elif tag == "br":
            self.flush()
        else:
            if tag in BLOCK:
                self.flush()
            self.buffer.append(_text(el.text))
            for child in el:
                self.walk(child)
            if tag in BLOCK:
                self.flush()
        self.buffer.append(_text(el.tail))

    def table(self, table) -> None:
        if _frame(table):  # boxes of the page: each read in order, as a block, its heading over its table
            for td in (td for tr in _rows(table) for td in _cells(tr)):
                self.flush()
                self.buffer.append(_text(td.text))
                for child in td:
                    self.walk(child)
                self.flush()
            return
        self.tables += 1
        number = self.tables
        rows: list[list[Cell]] = []
        nested: list = []
        for tr in _rows(table):
            cells = []
            for td in _cells(tr):
                pieces: list[str] = []  # "\n" marks a break: <br>, a paragraph
                _cell_text(td, pieces, nested)
                cells.append(Cell(cell_text("".join(pieces).split("\n")), _span(td, "rowspan"), _span(td, "colspan")))
                self.cells += _span(td, "rowspan") * _span(td, "colspan")
            rows.append(cells)
        if self.cells > MAX_CELLS:
            raise OverflowError
        caption = table.find("caption")
        if caption is not None:
            self.out.prose(join_pieces([caption.text_content()]), None, f"table {number} caption")
        self.out.table(lay_out(rows, [f"table {number} row {i}" for i in range(1, len(rows) + 1)]), None)
        for inner in nested:
            self.table(inner)


def _rows(table) -> list:
    """The table's own rows (not those of a table inside a cell), in order."""
    out = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            out.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            out += [tr for tr in child if _tag(tr) == "tr"]
    return out


def _cells(tr) -> list:
    return [td for td in tr if _tag(td) in ("td", "th") and not _hidden(td)]


def _frame(table) -> bool:
    """A table that lays out the page rather than holding data: a cell of it holds a table,
    and none of its rows is a data row (two or more cells with text of their own, outside
    the tables they hold, and no table among them). Tables side by side, each under its
    heading in its own cell, are printed and read as boxes, the heading over its table; as
    a grid, the headings would be a row of their own and the tables would lose them."""
    holds = False
    for tr in _rows(table):
        texts, inner = [], []
        for td in _cells(tr):
            pieces: list[str] = []
            found: list = []
            _cell_text(td, pieces, found)
            texts.append(join_pieces("".join(pieces).split("\n")))
            inner += found
        holds = holds or bool(inner)
        if not inner and sum(1 for t in texts if t) > 1:
            return False
    return holds


def _cell_text(el, pieces: list[str], nested: list) -> None:
    """A cell's text as pieces broken at <br> and blocks; tables inside go to ``nested``."""
    pieces.append(_text(el.text))
    for child in el:
        tag = _tag(child)
        if tag == "table":
            nested.append(child)
        elif tag == "br":
            pieces.append("\n")
        elif tag and tag not in SKIP and not _hidden(child):
            if tag in BLOCK:
                pieces.append("\n")
            _cell_text(child, pieces, nested)
            if tag in BLOCK:
                pieces.append("\n")
        pieces.append(_text(child.tail))


def read_html(path: Path) -> Document:
    import lxml.etree
    import lxml.html

    data = read_limited(path, TEXT_MAX_BYTES)
    if not data.strip():
        raise BadInput(str(path), "is empty", "give the web page as saved from the browser")
    try:
        text, encoding = page_text(data)
    except ValueError as e:
        raise BadInput(str(path), f"cannot be decoded ({e})", "save the page as UTF-8") from None
    text = _XML_DECL.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise BadInput(str(path), f"is not an HTML page ({' '.join(str(e).split())[:120]})",
                       "give the page as saved from the browser") from None
    reader = _Reader(_grid_classes(root))
    body = root.find("body")
    try:
        reader.walk(body if body is not None else root)
        reader.flush()
    except OverflowError:
        raise BadInput(str(path), f"has more than {MAX_CELLS:,} table cells", "check that this is the fee page") from None
    if not reader.out.lines:
        raise BadInput(str(path), "has no text", "check that this is the fee page, not a frame or a script")
    return Document(name=path.name, path=str(path), sha256=hashlib.sha256(data).hexdigest(), kind="html",
                    lines=reader.out.lines, encoding=encoding)
