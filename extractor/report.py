"""`tariff report`: one self-contained HTML file people can read. Each PDF page is shown
as an image with a box over every extracted row and a red box over every flagged
amount (hover or click to read the finding), the extracted table beside it, and a
findings list that links to the boxes. Text inputs show their lines, flagged lines
highlighted. No server, no CDN: images are embedded (JPEG), styles and script inline.
"""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

from .check import Report
from .text import fullwidth_ascii

SCALE = 1.5  # page pixels per PDF point
CSS = """
body{font-family:sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
.summary td,.summary th{padding:.1em .6em;text-align:left}
.page{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start;margin:1em 0}
.sheet{position:relative;border:1px solid #999;flex:none}
.sheet img{display:block}
.box{position:absolute;box-sizing:border-box;border:1px solid rgba(30,90,200,.55);background:rgba(30,90,200,.06);cursor:pointer}
.box.row.flag{border:1px solid #d00;background:rgba(220,0,0,.07)}
.box.finding{border:2px solid #d00;background:rgba(220,0,0,.22)}
.box.active{outline:3px solid #fb0}
.rows{font-size:.8em;border-collapse:collapse;min-width:32em;max-width:48em}
.rows td,.rows th{border:1px solid #ddd;padding:.1em .4em;vertical-align:top}
.rows tr.flag{background:#fdd}
.findings li{margin:.2em 0} .error{color:#b00} .warning{color:#a60} .info{color:#666}
pre.text{font-size:.85em;line-height:1.5} pre .flag{background:#fdd;outline:1px solid #d00}
#tip{position:fixed;display:none;background:#222;color:#fff;padding:.4em .6em;font-size:.8em;max-width:40em;border-radius:3px;z-index:9}
"""
JS = """
const tip=document.getElementById('tip');
document.querySelectorAll('.box').forEach(b=>{
 b.addEventListener('mouseenter',e=>{tip.textContent=b.dataset.tip;tip.style.display='block'});
 b.addEventListener('mousemove',e=>{tip.style.left=(e.clientX+12)+'px';tip.style.top=(e.clientY+12)+'px'});
 b.addEventListener('mouseleave',()=>{tip.style.display='none'});
 b.addEventListener('click',()=>{document.querySelectorAll('.box.active').forEach(x=>x.classList.remove('active'));b.classList.add('active');tip.textContent=b.dataset.tip;tip.style.display='block'});
});
"""


def _page_image(pdf, index: int) -> tuple[str, int, int]:
    page = pdf[index]
    img = page.render(scale=SCALE).to_pil().convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=60, optimize=True)
    page.close()
    return base64.b64encode(buf.getvalue()).decode("ascii"), img.width, img.height


def _text_layer(pdf, index: int) -> list:
    from .sources.pdf import _chars

    page = pdf[index]
    try:
        return _chars(page)[0]
    finally:
        page.close()


def _amount_boxes(chars, row_bbox, printed: str | None) -> list[list[float]]:
    """Where, inside a flagged row, the printed number the finding quotes sits: the
    boxes of each run of digits (commas allowed) equal to it. Empty when the page has
    no text layer or the number is not on the row, and then the whole row is boxed."""
    m = re.search(r"\d[\d,]*", fullwidth_ascii(printed or ""))
    if not m or not chars:
        return []
    want = m.group(0).replace(",", "")
    x0, top, x1, bottom = (float(v) for v in row_bbox)
    inside = sorted((c for c in chars if x0 - 1 <= (c.x0 + c.x1) / 2 <= x1 + 1 and top - 1 <= c.middle <= bottom + 1),
                    key=lambda c: (round(c.middle), c.x0))
    runs: list[list] = []
    for c in inside:
        ch = fullwidth_ascii(c.ch)
        if ch.isdigit() or (ch == "," and runs and runs[-1]):
            last = runs[-1][-1] if runs and runs[-1] else None
            if last is not None and (abs(last.middle - c.middle) > c.height / 2 or c.x0 - last.x1 > c.height / 2):
                runs.append([])
            if not runs:
                runs.append([])
            runs[-1].append(c)
        elif runs and runs[-1]:
            runs.append([])
    out = []
    for run in runs:
        while run and fullwidth_ascii(run[-1].ch) == ",":
            run = run[:-1]
        if run and "".join(fullwidth_ascii(c.ch) for c in run).replace(",", "") == want:
            out.append([min(c.x0 for c in run) - 1, min(c.top for c in run) - 1,
                        max(c.x1 for c in run) + 1, max(c.bottom for c in run) + 1])
    return out


def _box(bbox, cls: str, tip: str, ident: str, extra: str = "") -> str:
    x0, top, x1, bottom = (float(v) * SCALE for v in bbox)
    return (f'<div class="box {cls}" id="{ident}" data-tip="{html.escape(tip)}" {extra}'
            f'style="left:{x0:.1f}px;top:{top:.1f}px;width:{max(x1 - x0, 2):.1f}px;height:{max(bottom - top, 2):.1f}px"></div>')


def _row_cells(r) -> str:
    value = r.units if r.units is not None else (r.rate if r.rate is not None else "")
    amounts = " / ".join(f"{v:,}円" for v in r.amounts.values())
    return "".join(f"<td>{html.escape(str(x))}</td>" for x in (
        r.line or "", r.item, "・".join(r.care_levels), r.time_band or "", value, amounts))


def _document(i: int, d, password: str | None = None) -> str:
    res, rec = d.result, d.rec
    findings = [f for f in d.findings if f.severity != "info"]
    flagged_lines = {(f.page, f.line) for f in findings if f.severity == "error"}
    price = f"{rec.unit_price}円 ({rec.unit_price_source}{', ' + rec.grade + ' ' + rec.klass if rec.grade else ''})" if rec.unit_price else "none found"
    out = [f'<section class="doc" id="doc{i}" data-doc="{html.escape(res.doc)}"><h2>{html.escape(res.doc)}</h2>',
           '<table class="summary">',
           f"<tr><th>family</th><td>{html.escape(res.recognizer or 'none')}</td></tr>",
           f"<tr><th>unit price</th><td>{html.escape(price)}</td></tr>",
           f"<tr><th>rows</th><td>{len(res.rows)}</td></tr>",
           f"<tr><th>findings</th><td>{_count(findings, 'error')}, {_count(findings, 'warning')}</td></tr></table>"]
    fid = {id(f): f"d{i}f{k}" for k, f in enumerate(findings)}
    shown: set[str] = set()  # finding ids that have an element to jump to
    if res.source_kind.startswith("pdf") and Path(res.path).is_file():
        import pypdfium2 as pdfium

        from .sources.pdf import PDFIUM

        with PDFIUM:
            pdf = pdfium.PdfDocument(res.path, password=password)
            pages = len(pdf)
        try:
            for p in range(pages):
                with PDFIUM:
                    data, w, h = _page_image(pdf, p)
                    chars = _text_layer(pdf, p) if res.source_kind == "pdf" else []
                boxes = []
                for k, r in enumerate(res.rows):
                    if r.page == p + 1 and r.source.bbox:
                        flag = (r.page, r.line) in flagged_lines
                        boxes.append(_box(r.source.bbox, "row flag" if flag else "row",
                                          f"line {r.line}: {r.item} {r.units if r.units is not None else r.rate or ''}", f"d{i}r{k}"))
                for f in findings:
                    if f.page == p + 1 and f.bbox and f.severity == "error":
                        where = _amount_boxes(chars, f.bbox, f.printed)
                        scope = "amount" if where else "row"
                        for n, bbox in enumerate(where or [f.bbox]):
                            boxes.append(_box(bbox, "flag finding", f"{f.code}: {f.message}",
                                              fid[id(f)] + ("" if n == 0 else f"-{n}"),
                                              f'data-code="{f.code}" data-page="{p + 1}" data-scope="{scope}" '))
                        shown.add(fid[id(f)])
                rows = "".join(f'<tr class="{"flag" if (r.page, r.line) in flagged_lines else ""}">{_row_cells(r)}</tr>'
                               for r in res.rows if r.page == p + 1)
                out.append(f'<div class="page" data-page="{p + 1}"><div class="sheet" style="width:{w}px;height:{h}px">'
                           f'<img alt="page {p + 1}" width="{w}" height="{h}" src="data:image/jpeg;base64,{data}">'
                           + "".join(boxes) + "</div>"
                           f'<table class="rows"><tr><th>line</th><th>item</th><th>care</th><th>band</th><th>units/rate</th><th>yen</th></tr>{rows}</table></div>')
        finally:
            with PDFIUM:
                pdf.close()
    else:
        lines = []
        try:
            from .sources import read

            doc = read(Path(res.path))
            for ln in doc.lines:
                cls = ' class="flag"' if (ln.page, ln.number) in flagged_lines else ""
                ident = next((fid[id(f)] for f in findings if f.line == ln.number and f.severity == "error"), "")
                ident_attr = f' id="{ident}"' if ident else ""
                shown.add(ident)
                lines.append(f"<span{cls}{ident_attr}>{ln.number:4d}  {html.escape(ln.text)}</span>")
        except Exception:  # noqa: BLE001 - the report never fails on a document it already read
            lines.append("(the text could not be shown)")
        out.append('<pre class="text">' + "\n".join(lines) + "</pre>")
    if findings:
        out.append('<ul class="findings">' + "".join(
            f'<li class="{f.severity}">' + (f'<a href="#{fid[id(f)]}">{html.escape(f.code)}</a>' if fid[id(f)] in shown
                                             else html.escape(f.code))
            + f' <span class="where">{_where(f)}</span> {html.escape(f.message)}</li>'
            for f in findings) + "</ul>")
    out.append("</section>")
    return "\n".join(out)


def _count(findings, severity: str) -> str:
    n = sum(f.severity == severity for f in findings)
    return f"{n} {severity}{'' if n == 1 else 's'}"


def _where(f) -> str:
    parts = [f"page {f.page}" if f.page else "", f"line {f.line}" if f.line else ""]
    return html.escape(", ".join(p for p in parts if p))


def render(report: Report, title: str = "tariff report", password: str | None = None) -> str:
    docs = "\n".join(_document(i, d, password) for i, d in enumerate(report.documents))
    toc = "".join(f'<li><a href="#doc{i}">{html.escape(d.result.doc)}</a></li>' for i, d in enumerate(report.documents))
    return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1><ul>{toc}</ul>{docs}"
            f'<div id="tip"></div><script>{JS}</script></body></html>\n')
