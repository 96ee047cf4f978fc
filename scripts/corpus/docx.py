"""A plan as a Word document (python-docx), the way a provider writes a 料金表 or a
重要事項説明書 in Word: the title and headings as Word headings or bold paragraphs, prose
and notes as paragraphs, each table a Word table whose merged labels and group headers are
merged cells (``w:vMerge``, ``w:gridSpan``), ruled with the Table Grid style, shaded rows,
or no borders; pages split by page breaks; two tables side by side as a borderless layout
table holding one table in each cell (tables inside tables); a landscape section for a
landscape document. Deterministic: fixed core properties and zip times.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from .model import Table
from .office import zip_fixed
from .plan import Plan

_STYLE = {"ruled": "Table Grid", "zebra": "Light Shading Accent 1", "unruled": None}


def fill(table, t: Table) -> None:
    """Merge ``table``'s cells as ``t``'s spans, then write each cell's text."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT as VA
    from docx.enum.text import WD_ALIGN_PARAGRAPH as AL

    origin, covered = t.span_map()
    for (r, c), (rows, cols, valign) in sorted(origin.items()):
        merged = table.cell(r, c).merge(table.cell(r + rows - 1, c + cols - 1))
        merged.vertical_alignment = VA.TOP if valign == "top" else VA.CENTER
    for r, cells in enumerate(t.rows):
        for c, text in enumerate(cells):
            if (r, c) in covered:
                continue
            cell = table.cell(r, c)
            p = cell.paragraphs[0]
            run = p.add_run(text)
            if r < t.n_head:
                run.bold = True
                p.alignment = AL.CENTER
            elif c in t.numeric:
                p.alignment = AL.RIGHT


def add_table(container, t: Table, rules: str):
    table = container.add_table(rows=len(t.rows), cols=t.ncols)
    if _STYLE[rules]:
        table.style = _STYLE[rules]
    fill(table, t)
    return table


def render(plan: Plan) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH as AL
    from docx.shared import Pt

    rng = random.Random(f"docx:{plan.name}")
    document = docx.Document()
    rules = plan.axes.get("rules", "ruled")
    if plan.landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    word_headings = rng.random() < 0.6  # Word's heading styles, or bold paragraphs typed by hand
    for n, page in enumerate(plan.pages):
        if n:
            document.add_page_break()
        for kind, block in page:
            if kind == "table":
                add_table(document, block, rules)
                document.add_paragraph()
            elif kind == "pair":  # 基本 left and 加算 right: a layout table, one table in each cell
                h1, t1, h2, t2 = block
                layout = document.add_table(rows=1, cols=2)
                for cell, h, t in ((layout.cell(0, 0), h1, t1), (layout.cell(0, 1), h2, t2)):
                    cell.paragraphs[0].add_run(h).bold = True
                    add_table(cell, t, rules)
                    cell.add_paragraph()
                document.add_paragraph()
            elif kind in ("title", "heading"):
                if word_headings:
                    document.add_heading(block, level=1 if kind == "title" else 2)
                else:
                    p = document.add_paragraph()
                    run = p.add_run(block)
                    run.bold = True
                    run.font.size = Pt(14 if kind == "title" else 11)
                    if kind == "title":
                        p.alignment = AL.CENTER
            else:
                document.add_paragraph(block)
    props = document.core_properties
    props.author = "tariff corpus"
    props.created = props.modified = props.last_printed = dt.datetime(2024, 4, 1)
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    return zip_fixed(buf.getvalue())
