"""A plan as a web page, the way a provider's site publishes a 料金表: a saved page with
a script, a style sheet, a navigation bar and a footer around the content; headings and
notes as ``<h1>``/``<h2>``/``<p>``; each table a ``<table>`` with its header rows in
``<thead>`` as ``<th>``, merged labels as ``rowspan``, group headers as ``colspan``; two
tables side by side as a layout table holding them (tables inside cells). The rules axis
is the table's borders (``border="1"``, none but a line under the header, shaded rows).
Deterministic: the page's few free choices come from ``random.Random("html:NAME")``.
"""

from __future__ import annotations

import html
import random

from .model import Table
from .plan import Plan

_STYLE = {
    "ruled": "table.fee { border-collapse: collapse; } table.fee th, table.fee td { border: 1px solid #333; padding: 2px 6px; }",
    "unruled": "table.fee { border-collapse: collapse; } table.fee thead tr:last-child th { border-bottom: 1px solid #333; }",
    "zebra": "table.fee tbody tr:nth-child(even) { background: #e0e0e0; } table.fee thead { background: #bfd1e5; }",
}


def _e(s: str) -> str:
    return html.escape(s, quote=False)


def table_html(t: Table, rules: str, rng: random.Random, indent: str = "") -> list[str]:
    origin, covered = t.span_map()
    row_heads = rng.random() < 0.5  # the label column as <th scope="row">, as accessible pages do
    border = ' border="1"' if rules == "ruled" and rng.random() < 0.5 else ""
    out = [f'{indent}<table class="fee"{border}>', f"{indent}  <thead>"]
    for r, row in enumerate(t.rows):
        if r == t.n_head:
            out += [f"{indent}  </thead>", f"{indent}  <tbody>"]
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rows, cols, valign = origin.get((r, c), (1, 1, "middle"))
            attrs = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
            if rows > 1 and valign == "top":
                attrs += ' style="vertical-align: top"'
            if r < t.n_head:
                cells.append(f"<th{attrs}>{_e(text)}</th>")
            elif c == 0 and row_heads and text:
                cells.append(f'<th scope="row"{attrs}>{_e(text)}</th>')
            elif c in t.numeric:
                cells.append(f'<td class="num"{attrs}>{_e(text)}</td>')
            else:
                cells.append(f"<td{attrs}>{_e(text)}</td>")
        out.append(f"{indent}    <tr>{''.join(cells)}</tr>")
    out += [f"{indent}  </tbody>", f"{indent}</table>"]
    return out


def render(plan: Plan) -> bytes:
    rng = random.Random(f"html:{plan.name}")
    rules = plan.axes.get("rules", "ruled")
    title = next((b for page in plan.pages for k, b in page if k == "title"), plan.service.name)
    body = []
    for n, page in enumerate(plan.pages):
        if n:
            body.append("<hr>")
        for kind, block in page:
            if kind == "table":
                body += table_html(block, rules, rng)
            elif kind == "pair":  # 基本 left and 加算 right: a layout table holding both
                h1, t1, h2, t2 = block
                body += ['<table class="layout">', "  <tr>", '    <td style="vertical-align: top">',
                         f"      <h3>{_e(h1)}</h3>", *table_html(t1, rules, rng, "      "), "    </td>",
                         '    <td style="vertical-align: top">', f"      <h3>{_e(h2)}</h3>",
                         *table_html(t2, rules, rng, "      "), "    </td>", "  </tr>", "</table>"]
            elif kind == "title":
                body.append(f"<h1>{_e(block)}</h1>")
            elif kind == "heading":
                body.append(f"<h2>{_e(block)}</h2>")
            elif kind == "note":
                body.append(f'<p class="note">{_e(block)}</p>')
            else:
                body.append(f"<p>{_e(block)}</p>")
    content = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>body {{ font-family: sans-serif; }} td.num {{ text-align: right; }} {_STYLE[rules]}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag("js", "2024-04-01");</script>
</head>
<body>
<header><a href="/">トップページ</a></header>
<nav><ul><li><a href="/">ホーム</a></li><li><a href="/service">サービス案内</a></li><li><a href="/fee">料金のご案内</a></li><li><a href="/access">アクセス</a></li></ul></nav>
<main>
{content}
</main>
<footer><p>Copyright © 2024 All rights reserved.</p></footer>
<script src="/js/site.js"></script>
</body>
</html>
""".encode("utf-8")
