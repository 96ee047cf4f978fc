"""A plan as a text file, in the shapes fee tables reach users as text.

- ``tabs``: cells separated by tabs (a spreadsheet or web table pasted as text);
- ``spaces``: columns aligned with runs of spaces, pages split by form feeds (``pdftotext -layout``);
- ``fullwidth``: cells separated by full-width spaces (a word processor's table typed by hand);
- ``markdown``: pipe tables;
- ``cell_per_line``: one cell per line, a merged cell once (a web page copied as text);
- ``run_together``: a row's cells run together where a unit or a bracket marks the boundary
  (``身体介護30分未満256単位2,867円287円``), a space elsewhere (a web page's text, as real
  pages reach users).
A label merged over several rows is printed once: on the first row (merged_top) or on the
middle row (merged_centre), where a layout-preserving extraction puts it.
"""

from __future__ import annotations

import unicodedata

from .plan import Plan, Table

# characters a legacy encoding lacks, as a user's editor would write them instead
_LEGACY = {"cp932": {"¥": "￥"}, "euc-jp": {"¥": "￥", "～": "〜", "－": "−"}}


_ENDS = ("円", "単位", "割", ")", "）", "未満", "以上", "につき")
_STARTS = ("¥", "￥", "(", "（")


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _placed(t: Table) -> list[list[str]]:
    """Rows with each merged label moved to the row a text extraction shows it on."""
    rows = [list(r) for r in t.rows]
    for c0, r0, c1, r1, valign in t.spans:
        if r0 >= t.n_head and valign == "middle" and r1 > r0:
            label, rows[r0][c0] = rows[r0][c0], ""
            rows[r0 + (r1 - r0) // 2][c0] = label
    return rows


def _spaces(t: Table, gap: int) -> list[str]:
    rows = _placed(t)
    n = t.ncols
    spanned = {(r0, c0): c1 for c0, r0, c1, r1, _ in t.spans if c1 > c0}
    widths = [0] * n
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if (r, c) not in spanned:
                widths[c] = max(widths[c], width(cell))
    out = []
    for r, row in enumerate(rows):
        line, c = "", 0
        while c < n:
            c1 = spanned.get((r, c), c)
            w = sum(widths[c:c1 + 1]) + gap * (c1 - c)
            cell = row[c]
            pad = " " * max(0, w - width(cell))
            line += (pad + cell if c in t.numeric and r >= t.n_head else cell + pad) + " " * gap
            c = c1 + 1
        out.append(line.rstrip())
    return out


def table_lines(t: Table, form: str) -> list[str]:
    rows = _placed(t)
    if form == "tabs":
        return ["\t".join(r).rstrip("\t") for r in rows]
    if form == "spaces":
        return _spaces(t, 3)
    if form == "fullwidth":
        out = []
        for r in rows:
            cells = [c for c in r if c]
            indent = "　　" if r and not r[0] and cells else ""
            out.append(indent + "　".join(cells))
        return out
    if form == "markdown":
        out = []
        for i, r in enumerate(rows):
            out.append("| " + " | ".join(r) + " |")
            if i == 0:
                out.append("|" + "|".join("---:" if c in t.numeric else "---" for c in range(t.ncols)) + "|")
        return out
    if form == "cell_per_line":
        return [c for r in rows for c in r if c]
    if form == "run_together":
        out = []
        for r in rows:
            line = ""
            for c in (c for c in r if c):
                glue = "" if not line or line.endswith(_ENDS) or c.startswith(_STARTS) else " "
                line += glue + c
            out.append(line)
        return out
    raise ValueError(form)


def render(plan: Plan) -> tuple[bytes, str]:
    """The file's bytes and the codec that wrote them."""
    form = plan.axes["text_form"]
    pages = []
    for n, page in enumerate(plan.pages, 1):
        lines: list[str] = []
        for kind, block in page:
            if kind == "table":
                lines += table_lines(block, form)
                lines.append("")
            elif kind in ("title", "heading"):
                lines += ["", f"## {block}" if form == "markdown" else block, ""]
            else:
                lines.append(block)
        if len(plan.pages) > 1 and form in ("spaces", "tabs"):
            lines += ["", f"- {n} -".center(60).rstrip() if form == "spaces" else f"- {n} -"]
        pages.append("\n".join(lines).strip("\n") + "\n")
    text = ("\f" if form == "spaces" else "\n").join(pages)
    enc = plan.axes["encoding"]
    for a, b in _LEGACY.get(enc, {}).items():
        text = text.replace(a, b)
    if enc == "cp932":
        return text.replace("\n", "\r\n").encode("cp932"), "cp932"
    if enc == "euc-jp":
        try:
            return text.encode("euc_jp"), "euc_jp"
        except UnicodeEncodeError:  # Ⅰ Ⅱ and the like: the JIS X 0213 superset
            return text.encode("euc_jis_2004"), "euc_jis_2004"
    return text.encode("utf-8"), "utf-8"
