#!/usr/bin/env python3
"""One fee table at its source, in fixtures/html/, fixtures/xlsx/ and fixtures/docx/
(deterministic; needs openpyxl and python-docx, the project's dependencies).

The table is seed 004's 障害福祉 居宅介護 (令和6年度) units at 2級地 11.20円/単位: each
利用料 is floor(units × 11.20) and each 利用者負担額(1割) floor(利用料 × 10%), the 障害 rule
(DOMAIN.md), computed here with Decimal. Each file is made the way a provider makes it:

- xlsx/shogai_kyotaku_openpyxl.xlsx: an openpyxl workbook. Sheet 料金表: a title merged
  across the table, the stated unit price, the service cell merged down over its time
  bands, 利用料 and 1割 as formulas (=ROUNDDOWN(...)) shown as ``#,##0"円"``, a hidden
  column of internal codes, a hidden row with an old 令和3 value, a hidden sheet of
  workings. Excel stores each formula's value when it saves; openpyxl does not, so the
  values are written into the sheet's XML as Excel would cache them;
- html/shogai_kyotaku.html: a page as saved from a browser (UTF-8): a script, a style and
  a navigation bar around the table; the service cells use rowspan, the title and the
  note rows colspan, the band cells a ``<br>``. html/shogai_kyotaku.sjis.html is the
  same page in Shift_JIS, declared by its meta tag;
- docx/shogai_kyotaku.docx: a python-docx document: title and unit price paragraphs, the
  table with the service cells merged vertically and a title row merged horizontally,
  a line break inside the band cells, and a note paragraph after it.

With ``--libreoffice`` (needs ``soffice``: Debian's libreoffice-calc and libreoffice-writer)
it also writes what LibreOffice makes of them, as a facility that uses it would:

- xlsx/shogai_kyotaku_libreoffice.xlsx: the workbook opened in Calc, saved as .ods, and
  that saved again as .xlsx;
- docx/shogai_kyotaku_libreoffice.docx: the document saved by Writer as .odt, and that
  converted to .docx;
- html/shogai_kyotaku_libreoffice.html: that .odt exported by Writer as HTML.

LibreOffice stamps the time of saving, so these are regenerated only on purpose and
``--check`` leaves them out; the tests read the committed files and need no LibreOffice.

With ``--browser`` (needs Chromium: Debian's ``chromium``) it writes the page as a browser
holds it once its scripts have run, the way a reviewer saves a provider's live page:

- html/shogai_kyotaku_chromium.html: the page with a script that builds the navigation
  menu, a breadcrumb and a cookie banner, and a hidden pop-up with an old fee, loaded in
  ``chromium --headless --dump-dom``: the DOM Chromium serializes (``<tbody>`` inserted,
  the script-made elements in place, the hidden pop-up kept as hidden markup).

Chromium's serialization may change with its version, so this one too is regenerated
only on purpose and ``--check`` leaves it out.

Next to each file, ``<name>.expected.json`` lists the rows it must read: item, time band,
units, amounts and where the row is (sheet and cells, or table and row).
``--check`` reports any fixture that would change.
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
UNIT_PRICE = Decimal("11.20")
COPAY = Decimal("0.1")
TITLE = "居宅介護サービス費（令和6年4月改定）"
PRICE = "1単位の単価 11.20円（2級地）"
NOTE = "※利用者負担額は利用料の1割です（1円未満切り捨て）。"
HEAD = ("サービス内容", "提供時間", "単位数", "利用料", "利用者負担額(1割)")
# seed 004's 居宅介護 units (令和6年度), by service and time band; a band written with
# a line break where the cell wraps it
TABLE = [
    ("身体介護", [("30分未満", 256), ("30分以上\n1時間未満", 404), ("1時間以上\n1時間30分未満", 587),
                 ("1時間30分以上\n2時間未満", 669), ("2時間以上\n2時間30分未満", 754), ("2時間30分以上\n3時間未満", 837)]),
    ("家事援助", [("30分未満", 106), ("30分以上\n45分未満", 153), ("45分以上\n1時間未満", 197),
                 ("1時間以上\n1時間15分未満", 239), ("1時間15分以上\n1時間30分未満", 275)]),
]
OLD_ROW = ("身体介護", "30分未満（令和3年度）", 256 - 6)  # hidden in the workbook: not a current value


def floor(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_FLOOR))


def amounts(units: int) -> tuple[int, int]:
    total = floor(units * UNIT_PRICE)
    return total, floor(total * COPAY)


def rows() -> list[tuple[str, str, int, int, int]]:
    """(service, band with its line breaks, units, 利用料, 1割) in table order."""
    return [(service, band, units, *amounts(units)) for service, bands in TABLE for band, units in bands]


def expected(where) -> list[dict]:
    """The rows every fixture must read; ``where(i)`` names row i's place (0-based)."""
    return [{"item": service, "time_band": band.replace("\n", ""), "units": units,
             "amounts": {"total": total, "copay1": copay}, "cell": where(i)}
            for i, (service, band, units, total, copay) in enumerate(rows())]


def _zip_fixed(data: bytes, patch=None) -> bytes:
    """The archive again with fixed timestamps and order (Office writers stamp the time),
    each part passed through ``patch(name, bytes)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if patch:
                body = patch(info.filename, body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 4, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, body)
    return out.getvalue()


# --- xlsx -----------------------------------------------------------------------------

XLSX_FIRST_ROW = 5  # the header is row 4


def xlsx() -> bytes:
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.title = "料金表"
    ws["A1"] = TITLE
    ws.merge_cells("A1:E1")
    ws["A2"] = PRICE
    ws.append([])
    ws.append(list(HEAD) + ["内部コード"])
    ws.column_dimensions["F"].hidden = True
    cached: dict[str, int] = {}
    r = XLSX_FIRST_ROW
    for service, bands in TABLE:
        first = r
        for band, units in bands:
            total, copay = amounts(units)
            ws.cell(r, 1, service if r == first else None)
            ws.cell(r, 2, band).alignment = Alignment(wrap_text=True)
            ws.cell(r, 3, units).number_format = "#,##0"
            ws.cell(r, 4, f"=ROUNDDOWN(C{r}*計算用!$B$1,0)").number_format = '#,##0"円"'
            ws.cell(r, 5, f"=ROUNDDOWN(D{r}*0.1,0)").number_format = '#,##0"円"'
            ws.cell(r, 6, f"11{r:04d}")
            cached[f"D{r}"], cached[f"E{r}"] = total, copay
            r += 1
        ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
        if service == OLD_ROW[0]:  # an old value kept on the sheet, hidden
            ws.cell(r, 2, OLD_ROW[1])
            ws.cell(r, 3, OLD_ROW[2])
            ws.row_dimensions[r].hidden = True
            r += 1
    ws.cell(r + 1, 1, NOTE)
    work = wb.create_sheet("計算用")
    work["A1"], work["B1"] = "単価", float(UNIT_PRICE)
    work.sheet_state = "hidden"
    wb.properties.creator = "tariff fixtures"
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 4, 1)
    buf = io.BytesIO()
    wb.save(buf)

    def cache_values(name: str, body: bytes) -> bytes:
        if name == "docProps/core.xml":  # openpyxl stamps the time of saving as modified
            return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-04-01T00:00:00Z", body)
        if name != "xl/worksheets/sheet1.xml":
            return body
        text = body.decode("utf-8")
        for ref, value in cached.items():  # <c r="D5"><f>..</f><v></v></c>: the value Excel would store
            text, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{value}</v>", text)
            assert n == 1, ref
        return text.encode("utf-8")

    return _zip_fixed(buf.getvalue(), cache_values)


def xlsx_where(i: int) -> str:
    """Sheet and cells of data row i: the hidden row after the 身体介護 bands shifts the rest."""
    n_first = len(TABLE[0][1])
    r = XLSX_FIRST_ROW + i + (1 if i >= n_first else 0)
    first_of_service = i == 0 or i == n_first
    return f"料金表!{'A' if first_of_service else 'B'}{r}:E{r}"


# --- html -----------------------------------------------------------------------------

def html(charset: str = "UTF-8") -> str:
    body = []
    for service, bands in TABLE:
        for k, (band, units) in enumerate(bands):
            total, copay = amounts(units)
            head = f'<th rowspan="{len(bands)}" scope="row">{service}</th>' if k == 0 else ""
            body.append(f"    <tr>{head}<td>{band.replace(chr(10), '<br>')}</td><td class=\"num\">{units}</td>"
                        f"<td class=\"num\">{total:,}円</td><td class=\"num\">{copay:,}円</td></tr>")
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="{charset}">
<title>料金表｜居宅介護事業所</title>
<style>table {{ border-collapse: collapse; }} td.num {{ text-align: right; }} /* 単位数 */</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} var fee = "1,000円";</script>
</head>
<body>
<nav><ul><li><a href="/">トップ</a></li><li><a href="/fees">料金表</a></li><li>アクセス 100円</li></ul></nav>
<main>
<h1>{TITLE}</h1>
<p>{PRICE}</p>
<table border="1">
  <thead>
    <tr><th colspan="5">障害福祉サービス 居宅介護</th></tr>
    <tr>{''.join(f'<th>{h}</th>' for h in HEAD)}</tr>
  </thead>
  <tbody>
{chr(10).join(body)}
    <tr><td colspan="5">{NOTE}</td></tr>
  </tbody>
</table>
<noscript>JavaScript を有効にしてください。</noscript>
</main>
<footer>Copyright 居宅介護事業所</footer>
<script src="/js/analytics.js"></script>
</body>
</html>
"""


# what the live page's own script adds around the table once a browser has run it
LIVE_SCRIPT = """<div id="old-fees" class="modal" style="display:none"><p>旧料金（令和3年度）</p>
<table><tr><td>身体介護</td><td>30分未満</td><td>250</td><td>2,800円</td><td>280円</td></tr></table></div>
<script>
(function () {
  var menu = [["/", "トップ"], ["/about", "事業所案内"], ["/fees", "料金表"], ["/access", "アクセス"]];
  var nav = document.querySelector("nav ul");
  nav.innerHTML = menu.map(function (m) { return '<li><a href="' + m[0] + '">' + m[1] + "</a></li>"; }).join("");
  var crumb = document.createElement("nav");
  crumb.className = "breadcrumb";
  crumb.textContent = "トップ > 料金表";
  document.querySelector("main").prepend(crumb);
  var banner = document.createElement("div");
  banner.id = "cookie-banner";
  banner.setAttribute("role", "dialog");
  banner.innerHTML = '<p>当サイトはクッキーを使用しています。</p><button type="button">同意する</button>';
  document.body.appendChild(banner);
})();
</script>
"""


def html_live() -> str:
    """The page as the provider's site serves it: the menu, a breadcrumb and a cookie banner
    made by its script, and a hidden pop-up that still holds the 令和3年度 fee."""
    return html().replace("</body>", LIVE_SCRIPT + "</body>")


def html_where(i: int) -> str:
    return f"table 1 row {i + 3}"  # after the title row and the header row


# --- docx -----------------------------------------------------------------------------

def docx() -> bytes:
    import datetime as dt

    import docx as python_docx
    from docx.enum.text import WD_BREAK

    document = python_docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(PRICE)
    n = len(rows())
    table = document.add_table(rows=n + 2, cols=len(HEAD))
    table.style = "Table Grid"
    title = table.cell(0, 0).merge(table.cell(0, len(HEAD) - 1))  # a horizontal merge
    title.text = "障害福祉サービス 居宅介護"
    for c, h in enumerate(HEAD):
        table.cell(1, c).text = h
    r = 2
    for service, bands in TABLE:
        merged = table.cell(r, 0).merge(table.cell(r + len(bands) - 1, 0))  # a vertical merge
        merged.text = service
        for band, units in bands:
            total, copay = amounts(units)
            p = table.cell(r, 1).paragraphs[0]
            parts = band.split("\n")
            for k, part in enumerate(parts):
                run = p.add_run(part)
                if k < len(parts) - 1:
                    run.add_break(WD_BREAK.LINE)
            table.cell(r, 2).text = str(units)
            table.cell(r, 3).text = f"{total:,}円"
            table.cell(r, 4).text = f"{copay:,}円"
            r += 1
    document.add_paragraph(NOTE)
    props = document.core_properties
    props.author = "tariff fixtures"
    props.created = props.modified = props.last_printed = dt.datetime(2024, 4, 1)
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    return _zip_fixed(buf.getvalue())


def docx_where(i: int) -> str:
    return f"table 1 row {i + 3}"


def build() -> dict[str, bytes]:
    def js(items) -> bytes:
        return (json.dumps(items, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

    page = html()
    return {
        "xlsx/shogai_kyotaku_openpyxl.xlsx": xlsx(),
        "xlsx/shogai_kyotaku_openpyxl.expected.json": js(expected(xlsx_where)),
        "html/shogai_kyotaku.html": page.encode("utf-8"),
        "html/shogai_kyotaku.expected.json": js(expected(html_where)),
        "html/shogai_kyotaku.sjis.html": html("Shift_JIS").encode("cp932"),
        "html/shogai_kyotaku.sjis.expected.json": js(expected(html_where)),
        "docx/shogai_kyotaku.docx": docx(),
        "docx/shogai_kyotaku.expected.json": js(expected(docx_where)),
    }


def libreoffice() -> dict[str, bytes]:
    """The fixtures as LibreOffice saves and converts them (see the module's docstring)."""
    import os
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice")
    if not soffice:
        raise SystemExit("soffice not found: apt-get install libreoffice-calc libreoffice-writer")
    made = build()
    with tempfile.TemporaryDirectory(prefix="tariff-lo-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "HOME": str(work / "home")}

        def convert(src: Path, to: str, out: Path) -> Path:
            out.mkdir(exist_ok=True)
            subprocess.run([soffice, "--headless", "--convert-to", to, "--outdir", str(out), str(src)], check=True,
                           capture_output=True, env=env, timeout=300)
            return out / (src.stem + "." + to.split(":")[0])

        xlsx_in = work / "shogai_kyotaku.xlsx"
        xlsx_in.write_bytes(made["xlsx/shogai_kyotaku_openpyxl.xlsx"])
        docx_in = work / "shogai_kyotaku.docx"
        docx_in.write_bytes(made["docx/shogai_kyotaku.docx"])
        ods = convert(xlsx_in, "ods", work / "ods")
        xlsx_out = convert(ods, 'xlsx:Calc MS Excel 2007 XML', work / "xlsx")
        odt = convert(docx_in, "odt", work / "odt")
        docx_out = convert(odt, "docx:MS Word 2007 XML", work / "docx")
        html_out = convert(odt, "html", work / "html")
        return {
            "xlsx/shogai_kyotaku_libreoffice.xlsx": xlsx_out.read_bytes(),
            "xlsx/shogai_kyotaku_libreoffice.expected.json": made["xlsx/shogai_kyotaku_openpyxl.expected.json"],
            "docx/shogai_kyotaku_libreoffice.docx": docx_out.read_bytes(),
            "docx/shogai_kyotaku_libreoffice.expected.json": made["docx/shogai_kyotaku.expected.json"],
            "html/shogai_kyotaku_libreoffice.html": html_out.read_bytes(),
            "html/shogai_kyotaku_libreoffice.expected.json": made["html/shogai_kyotaku.expected.json"],
        }


def browser() -> dict[str, bytes]:
    """The live page as Chromium holds it after its scripts ran (``--dump-dom``)."""
    import shutil
    import subprocess
    import tempfile

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("chromium not found: apt-get install chromium")
    made = build()
    with tempfile.TemporaryDirectory(prefix="tariff-chromium-") as tmp:
        page = Path(tmp) / "fees.html"
        page.write_text(html_live(), encoding="utf-8")
        r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                            f"--user-data-dir={tmp}/profile", page.as_uri()], capture_output=True, timeout=120)
        if r.returncode != 0 or b"<table" not in r.stdout:
            raise SystemExit(f"chromium --dump-dom failed: {r.stderr.decode(errors='replace')[-400:]}")
    return {
        "html/shogai_kyotaku_chromium.html": r.stdout,
        "html/shogai_kyotaku_chromium.expected.json": made["html/shogai_kyotaku.expected.json"],
    }


def main() -> None:
    changed = False
    made = build()
    if "--libreoffice" in sys.argv:
        made.update(libreoffice())
    if "--browser" in sys.argv:
        made.update(browser())
    for name, data in made.items():
        path = FIXTURES / name
        if path.exists() and path.read_bytes() == data:
            continue
        changed = True
        if "--check" not in sys.argv:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        print(("would change: " if "--check" in sys.argv else "wrote: ") + name)
    raise SystemExit(1 if "--check" in sys.argv and changed else 0)


if __name__ == "__main__":
    main()
