"""A plan as an Excel workbook, the way a provider keeps a 料金表 in Excel (openpyxl).

Titles, headings and notes in the first column (a title merged across the table); each
table from the sheet's second column, its merged labels and group headers as merged
ranges (top- or middle-aligned), its rules as cell borders or shaded rows; two tables side
by side share rows, a column apart. A 別紙 of a 重要事項説明書 is its own sheet after the
prose's; the pages of other documents follow each other on one sheet with a manual page
break between. A landscape document has a landscape page set-up and a print area.

The ``cell_values`` axis: ``numbers`` types each half-width amount and unit count as a
number shown by a number format (``#,##0"円"``, ``¥#,##0``, ``#,##0"単位"``, ``0``), as
a sheet that computes its fees does; ``text`` types what the cell shows. Full-width digits
are always text (no number format prints them). Deterministic: fixed properties and zip
times (``office.zip_fixed``).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re

from .model import Table
from .office import zip_fixed
from .plan import Plan

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)"
_FORMS = [  # a cell as printed -> (the number's pattern, the format that shows it so)
    (re.compile(rf"^{_NUM}円$"), '{n}"円"'),
    (re.compile(rf"^¥{_NUM}$"), "¥{n}"),
    (re.compile(rf"^￥{_NUM}$"), "￥{n}"),
    (re.compile(rf"^{_NUM}単位$"), '{n}"単位"'),
    (re.compile(rf"^{_NUM}$"), "{n}"),
]


def typed(text: str, thousands: bool) -> tuple[object, str | None]:
    """A cell's text as the number a sheet stores and the format that shows it as ``text``
    (``#,##0`` where the document groups thousands, ``0`` where not); (text, None) for
    anything else."""
    for pattern, fmt in _FORMS:
        m = pattern.match(text)
        if m:
            return int(m.group(1).replace(",", "")), fmt.format(n="#,##0" if thousands else "0")
    return text, None


def _width(s: str) -> float:
    return sum(2 if ord(ch) > 0x2000 else 1 for ch in s) * 1.1 + 2


class _Sheet:
    def __init__(self, ws, plan: Plan, rng: random.Random):
        from openpyxl.styles import Border, Side

        self.ws, self.plan, self.rng = ws, plan, rng
        self.r = 1
        self.rules = plan.axes.get("rules", "ruled")
        self.numbers = plan.axes.get("cell_values") == "numbers"
        self.thousands = plan.axes.get("thousands") == "comma"
        thin = Side(style="thin", color="000000")
        self.grid = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.under = Border(bottom=thin)
        self.widths: dict[int, float] = {}
        self.wide = 6

    def text(self, kind: str, s: str) -> None:
        from openpyxl.styles import Alignment, Font

        cell = self.ws.cell(self.r, 1, s)
        if kind == "title":
            cell.font = Font(bold=True, size=14)
            cell.alignment = Alignment(horizontal="center")
            self.ws.merge_cells(start_row=self.r, start_column=1, end_row=self.r, end_column=self.wide)
        elif kind == "heading":
            cell.font = Font(bold=True)
        self.r += 1
        if kind in ("title", "heading") and self.rng.random() < 0.5:
            self.r += 1  # a blank row under it, as many sheets have

    def table(self, t: Table, col: int = 2, row: int | None = None) -> int:
        """Write ``t`` with its top-left cell at (row, col); returns the row after it."""
        from openpyxl.styles import Alignment, Font, PatternFill

        r0 = self.r if row is None else row
        origin, covered = t.span_map()
        shade = PatternFill("solid", fgColor="E0E0E0")
        head = PatternFill("solid", fgColor="BFD1E5")
        for r, cells in enumerate(t.rows):
            for c, text in enumerate(cells):
                at = (r0 + r, col + c)
                value, fmt = typed(text, self.thousands) if self.numbers and r >= t.n_head and c in t.numeric and text else (text or None, None)
                cell = self.ws.cell(*at, None if (r, c) in covered else value)
                if fmt:
                    cell.number_format = fmt
                if self.rules == "ruled":
                    cell.border = self.grid
                elif self.rules == "zebra":
                    if r < t.n_head:
                        cell.fill = head
                    elif (r - t.n_head) % 2:
                        cell.fill = shade
                elif r == t.n_head - 1:
                    cell.border = self.under
                if r < t.n_head:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                elif c in t.numeric:
                    cell.alignment = Alignment(horizontal="right", vertical="center")
                else:
                    cell.alignment = Alignment(vertical="center", wrap_text=True)
                if (r, c) not in covered and text:
                    self.widths[col + c] = max(self.widths.get(col + c, 0), min(_width(text), 40))
        for (r, c), (rows, cols, valign) in sorted(origin.items()):
            self.ws.merge_cells(start_row=r0 + r, start_column=col + c, end_row=r0 + r + rows - 1,
                                end_column=col + c + cols - 1)
            top = self.ws.cell(r0 + r, col + c)
            top.alignment = Alignment(horizontal=top.alignment.horizontal, vertical="top" if valign == "top" else "center",
                                      wrap_text=True)
        self.wide = max(self.wide, col + t.ncols - 1)
        end = r0 + len(t.rows)
        if row is None:
            self.r = end + 1  # a blank row after a table
        return end

    def pair(self, block) -> None:
        h1, t1, h2, t2 = block
        from openpyxl.styles import Font

        self.ws.cell(self.r, 2, h1).font = Font(bold=True)
        self.ws.cell(self.r, 2 + t1.ncols + 1, h2).font = Font(bold=True)
        self.r += 1
        end = max(self.table(t1, 2, self.r), self.table(t2, 2 + t1.ncols + 1, self.r))
        self.r = end + 1

    def page(self, blocks) -> None:
        for kind, block in blocks:
            if kind == "table":
                self.table(block)
            elif kind == "pair":
                self.pair(block)
            else:
                self.text(kind, block)

    def finish(self, landscape: bool) -> None:
        from openpyxl.utils import get_column_letter

        self.ws.column_dimensions["A"].width = 3
        for c, w in self.widths.items():
            self.ws.column_dimensions[get_column_letter(c)].width = max(w, 6)
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4
        if landscape:
            self.ws.page_setup.orientation = "landscape"
            self.ws.print_area = f"A1:{get_column_letter(self.wide)}{self.r}"
        self.ws.page_setup.fitToWidth = 1
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True


def render(plan: Plan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.worksheet.pagebreak import Break

    rng = random.Random(f"xlsx:{plan.name}")
    wb = Workbook()
    ws = wb.active
    carrier = plan.axes["carrier"]
    if carrier == "bessi":  # the 重要事項説明書 on one sheet, its 別紙 on the next
        ws.title = "重要事項説明書"
        prose = _Sheet(ws, plan, rng)
        for blocks in plan.pages[:-1]:
            prose.page(blocks)
            prose.r += 1
        prose.finish(False)
        fees = _Sheet(wb.create_sheet("別紙"), plan, rng)
        fees.page(plan.pages[-1])
        fees.finish(plan.landscape)
    else:
        ws.title = rng.choice(["料金表", "利用料金", "Sheet1", "令和6年度"])
        sheet = _Sheet(ws, plan, rng)
        for n, blocks in enumerate(plan.pages):
            if n:
                ws.row_breaks.append(Break(id=sheet.r - 1))
            sheet.page(blocks)
        sheet.finish(plan.landscape)
    wb.properties.creator = "tariff corpus"
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 4, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return zip_fixed(buf.getvalue())
