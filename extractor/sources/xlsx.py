"""Excel workbooks (.xlsx, and macro-enabled .xlsm, whose macros are never run), read
through openpyxl.

Every visible worksheet is read in order (a hidden sheet holds lookups, not the printed
table), within its print area when one is set; hidden rows and columns are skipped. A
merged range's text stands in its top-left cell, the others of the range are empty.
A formula gives the value Excel cached when it last saved the file (openpyxl never
computes). A cell is written as it is displayed where its number format says how (thousands
separators, 円 or ¥, decimals, a percentage) and its stored value is kept on the line
(``Line.values``). Each row names its sheet and cells, ``料金表!A7:E7``; its page is
the sheet's number in the workbook.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import regex as re

from .base import BadInput, Document
from .cells import Grid, Lines, cell_text, join_pieces
from .office import check_package, damaged

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
SHEETS_MAX_BYTES = 128 * 1024 * 1024  # the sheets' XML, inflated: openpyxl holds every cell in memory
# cells the sheets may span (a fee workbook spans a few thousand): a sheet of 1,000,000 filled cells is
# read within the default --timeout and --max-memory: 220 s and 730 MB here, on 2 shared cores (docs/sources.md)
SHEET_MAX_CELLS = 1_000_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)"')
TODO = "save the workbook again as .xlsx, or give its PDF"
_DECIMALS = re.compile(r"\.(0+)")
_NUMBER = re.compile(r"\d")


# a number format's pieces: a quoted literal, an escaped character, a currency ([$¥-411]),
# a colour or condition ([Red]), a space as wide as a character (_x), a fill (*x), a digit
# placeholder, or any other character (shown as it is: ¥, 円, a space)
_FORMAT_PIECE = re.compile(r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[\$(?P<currency>[^\]\-]*)[^\]]*\]|\[[^\]]*\]|_.|\*.'
                           r'|(?P<place>[0#?.,%])|(?P<other>.)', re.S)


@lru_cache(maxsize=4096)  # a sheet has a few formats for its many cells
def _affixes(fmt: str) -> tuple[str, str, str]:
    """(text before the number, the number's placeholders, text after it) of one section:
    '#,##0"円"' -> ('', '#,##0', '円'); '¥#,##0' -> ('¥', '#,##0', ''); '#,##0"単位"' ->
    ('', '#,##0', '単位'). Text between placeholders is not kept."""
    before, places, after = [], [], []
    for m in _FORMAT_PIECE.finditer(fmt):
        if m.group("place") is not None:
            places.append(m.group("place"))
            after = []  # only text after the last placeholder is a suffix
            continue
        text = next((m.group(g) for g in ("quoted", "escaped", "currency", "other") if m.group(g) is not None), "")
        if m.group("currency") is not None and text in ("\\", ""):
            text = "¥" if text else ""
        (after if places else before).append(text)
    return "".join(before), "".join(places), "".join(after)


def shown(value, number_format: str | None) -> str:
    """A cell's value as the sheet displays it, for the formats fee sheets use: thousands
    separators, decimals, a percentage, and the text a format puts before or after the
    number (``¥#,##0``, ``#,##0"円"``, ``#,##0"単位"``, ``"1回 "#,##0"円"``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return f"{value.year}年{value.month}月{value.day}日"
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if not isinstance(value, (int, float, Decimal)):
        return str(value)
    fmt = (number_format or "General").split(";")[0]
    number = Decimal(str(value))
    before, places, after = _affixes(fmt)
    if fmt == "General" or not re.search(r"[0#?]", places):
        return _plain(number)
    m = _DECIMALS.search(places)
    digits = len(m.group(1)) if m else 0
    if "%" in places:
        number *= 100
    text = f"{number:,.{digits}f}" if "," in places else f"{number:.{digits}f}"
    if "%" in places:
        text += "%"
    if text.startswith("-") and before:
        return "-" + before + text[1:] + after
    return before + text + after


def _plain(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _print_area(ws) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row) of the sheet's print area, or None."""
    from openpyxl.utils.cell import range_boundaries

    try:
        area = ws.print_area
    except (ValueError, TypeError, AttributeError):
        return None
    if not area:
        return None
    boxes = []
    for part in (area if isinstance(area, (list, tuple)) else str(area).split(",")):
        try:
            boxes.append(range_boundaries(str(part).rsplit("!", 1)[-1].replace("$", "")))
        except (ValueError, TypeError):
            continue
    boxes = [b for b in boxes if None not in b]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _hidden_columns(ws) -> set[int]:
    from openpyxl.utils.cell import column_index_from_string

    out: set[int] = set()
    for key, dim in ws.column_dimensions.items():
        if dim.hidden:
            lo = dim.min or column_index_from_string(key)
            hi = dim.max or lo
            out.update(range(lo, hi + 1))
    return out


def sheet_grids(ws) -> list[Grid]:
    """The sheet's visible cells as grids; each row's place names the sheet and cells.
    One grid, unless tables stand side by side on the sheet (a gutter column empty from
    their headings down): then each is a grid of its own, the left one first
    (``side_by_side``)."""
    from openpyxl.utils.cell import get_column_letter

    box = _print_area(ws) or (ws.min_column, ws.min_row, ws.max_column, ws.max_row)
    min_col, min_row, max_col, max_row = box
    max_col, max_row = min(max_col, ws.max_column), min(max_row, ws.max_row)
    hidden_cols = _hidden_columns(ws)
    cols = [c for c in range(min_col, max_col + 1) if c not in hidden_cols]
    rows: list[tuple[int, list[str], list[object]]] = []
    for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
        if not row:
            continue
        r = row[0].row
        if ws.row_dimensions[r].hidden:
            continue
        by_col = {cell.column: cell for cell in row if hasattr(cell, "column")}
        texts, values = [], []
        for c in cols:
            cell = by_col.get(c)
            value = getattr(cell, "value", None)
            texts.append(cell_text(shown(value, getattr(cell, "number_format", None)).splitlines()))
            values.append(value if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else None)
        if any(texts):
            rows.append((r, texts, values))
    grids = []
    merged_down = {r for rng in ws.merged_cells.ranges
                   for r in range(rng.min_row + 1, min(rng.max_row, rng.min_row + 1000) + 1)}
    for piece in side_by_side(rows, merged_down):
        grid = Grid()
        for r, texts, values in piece:
            filled = [c for c, t in zip(cols, texts) if t]
            first, last = get_column_letter(filled[0]), get_column_letter(filled[-1])
            grid.rows.append(texts)
            grid.values.append(values)
            grid.where.append(f"{ws.title}!{first}{r}" + (f":{last}{r}" if last != first else ""))
        grids.append(grid)
    return grids


Row = tuple[int, list[str], list[object]]


def side_by_side(rows: list[Row], merged_down: set[int] = frozenset()) -> list[list[Row]]:
    """The sheet's rows (number, texts, values) with tables side by side put one after the
    other. A band is a run of consecutive sheet rows (a row ``merged_down`` covers, empty
    under a header merged over two rows, does not break it) of which none is a lone text in
    the first column (a title or note across the sheet). A band splits at a gutter: a column
    empty in all its rows with two or more filled columns on each side, where some row has
    two or more cells on one side and none on the other (tables of different heights), or
    whose first row is one text without digits on each side (a heading over each table);
    a single table with an empty spacer column fills both sides of every row and is left
    whole. Returns the pieces of the sheet in reading order: the
    rows up to a split band, its left table, its right table, the rows after it ...; each
    row keeps its width, the other side blanked."""
    pieces: list[list[Row]] = [[]]
    band: list[Row] = []

    def flush() -> None:
        parts = _split_band(band)
        if len(parts) == 1:
            pieces[-1].extend(parts[0])
        else:
            pieces.extend(parts)
            pieces.append([])
        band.clear()

    for row in rows:
        r, texts, _ = row
        lone_first = sum(1 for t in texts if t) == 1 and bool(texts[0])
        # a band runs over consecutive rows; a row left empty by cells merged down from above goes on with it
        gap = band and any(k not in merged_down for k in range(band[-1][0] + 1, r))
        if lone_first or gap:
            flush()
        if lone_first:
            pieces[-1].append(row)
        else:
            band.append(row)
    flush()
    return [p for p in pieces if p]


def _split_band(band: list[Row]) -> list[list[Row]]:
    """The band as one piece, or split at its first gutter (then the right part again).
    Each row's filled columns are listed once and counted on each side by bisection, so a
    band costs O(cells × log width) however many empty columns it has."""
    if len(band) < 3:
        return [list(band)]
    width = len(band[0][1])
    filled = [[c for c, t in enumerate(texts) if t] for _, texts, _ in band]
    used = sorted({c for cols in filled for c in cols})
    if not used:
        return [list(band)]
    used_set = set(used)
    for g in range(used[0] + 1, used[-1]):
        if g in used_set:
            continue
        n_left = bisect.bisect_left(used, g)
        if n_left < 2 or len(used) - n_left < 2:
            continue
        lopsided = False
        for cols in filled:
            left = bisect.bisect_left(cols, g)
            right = len(cols) - left
            if (left >= 2 and not right) or (right >= 2 and not left):
                lopsided = True
                break
        # or a heading over each table: the band's first row one text on each side ('■ 基本料金' '■ 加算')
        top = filled[0]
        split_at = bisect.bisect_left(top, g)
        headed = split_at == 1 and len(top) == 2 and all(
            not _NUMBER.search(band[0][1][c]) for c in top)
        if not (lopsided or headed):
            continue

        def part(lo: int, hi: int) -> list[Row]:
            rows = []
            for r, texts, values in band:
                if any(texts[lo:hi]):
                    rows.append((r, [t if lo <= c < hi else "" for c, t in enumerate(texts)],
                                 [v if lo <= c < hi else None for c, v in enumerate(values)]))
            return rows

        return [part(0, g)] + _split_band(part(g + 1, width))
    return [list(band)]


def read_xlsx(path: Path) -> Document:
    import zipfile

    check_package(path, "an Excel workbook", "xl/workbook.xml", TODO)
    _check_sheets(path)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=False, data_only=True, keep_vba=False, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, IndexError,
            OSError, SyntaxError) as e:  # SyntaxError: a part that is not XML (lxml, ElementTree)
        raise damaged(path, e, TODO) from None
    try:
        sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
        _refuse_cells(path, sum(ws.max_row * ws.max_column for ws in sheets))
        out = Lines()
        for ws in sheets:
            page = wb.worksheets.index(ws) + 1
            for grid in sheet_grids(ws):
                out.table(grid, page)
    finally:
        wb.close()
    if not out.lines:
        raise BadInput(str(path), "has no visible cell with a value", "check that this is the fee workbook")
    return Document(name=path.name, path=str(path), sha256=_sha256(path), kind="xlsx", lines=out.lines)


def _check_sheets(path: Path) -> None:
    """``BadInput`` for sheets whose XML is too large to hold in memory, or that span more
    cells than can be read in time, before they are parsed."""
    import zipfile
    import zlib

    with zipfile.ZipFile(path) as z:
        size = sum(i.file_size for i in z.infolist()
                   if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")
        if size > SHEETS_MAX_BYTES:
            raise BadInput(str(path), f"has sheets of {size / (1024 * 1024):.0f} MB of cells, over the "
                           f"{SHEETS_MAX_BYTES >> 20} MB limit", "split the workbook, or check that this is the fee sheet")
        # each sheet states the range it spans at its start (<dimension ref="A1:CV30000"/>): a sheet
        # too large to read in time is refused before openpyxl loads every cell of it
        spanned = 0
        for info in z.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                try:
                    with z.open(info) as f:
                        m = _DIMENSION.search(f.read(4096))
                except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
                    continue  # a damaged part: openpyxl's load says so in one line
                if m:
                    spanned += _cells(m.group(1).decode("ascii"))
    _refuse_cells(path, spanned)


def _cells(ref: str) -> int:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0
    return (max_col - min_col + 1) * (max_row - min_row + 1) if None not in (min_col, min_row, max_col, max_row) else 0


def _refuse_cells(path: Path, cells: int) -> None:
    if cells > SHEET_MAX_CELLS:
        raise BadInput(str(path), f"spans {cells:,} cells, over the {SHEET_MAX_CELLS:,}-cell limit",
                       "split the workbook, or check that this is the fee sheet")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
