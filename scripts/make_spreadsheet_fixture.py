#!/usr/bin/env python3
"""A fixture made the way facilities make them: a spreadsheet exported to PDF by
LibreOffice. Writes fixtures/spreadsheet/shogai_jyudo.fods (a flat OpenDocument
spreadsheet: seed 004's 重度訪問介護 sheet, with its printed yen) and converts it with
`soffice --headless --convert-to pdf` into fixtures/pdf/shogai_jyudo_libreoffice.pdf.

Needs Debian's libreoffice-calc-nogui (or libreoffice-calc) and fonts-ipaexfont-gothic.
LibreOffice stamps the PDF with its creation time, so the PDF is regenerated only on
purpose and committed; the tests read the committed file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "spreadsheet" / "shogai_jyudo.fods"
PDF = ROOT / "fixtures" / "pdf" / "shogai_jyudo_libreoffice.pdf"

HEAD = ("サービス内容", "算定区分", "(単位数)", "10割", "9割", "1割負担")
BASE = [
    ("重度訪問介護", "1時間未満", "186", "¥2,083", "¥1,874", "¥209"),
    ("", "1時間以上1時間30分未満", "277", "¥3,102", "¥2,791", "¥311"),
    ("", "1時間30分以上2時間未満", "369", "¥4,132", "¥3,718", "¥414"),
    ("", "2時間以上2時間30分未満", "461", "¥5,163", "¥4,646", "¥517"),
    ("", "2時間30分以上3時間未満", "553", "¥6,193", "¥5,573", "¥620"),
    ("", "3時間以上3時間30分未満", "644", "¥7,212", "¥6,490", "¥722"),
    ("", "3時間30分以上4時間未満", "736", "¥8,243", "¥7,418", "¥825"),
    ("", "4時間以上8時間未満(821単位に30分を増すごとに+85単位)", "+85", "¥952", "¥856", "¥96"),
    ("", "8時間以上12時間未満(1505単位に30分を増すごとに+85単位)", "+85", "¥952", "¥856", "¥96"),
    ("", "12時間以上16時間未満(2184単位に30分を増すごとに+80単位)", "+81", "¥907", "¥816", "¥91"),
    ("", "16時間以上20時間未満(2834単位に30分を増すごとに+86単位)", "+86", "¥963", "¥866", "¥97"),
    ("", "20時間以上24時間未満(3520単位に30分を増すごとに+80単位)", "+80", "¥896", "¥806", "¥90"),
]
ADDS = [
    ("初回加算", "1月につき", "200", "¥2,240", "¥2,016", "¥224"),
    ("緊急時対応加算", "1月につき（月2回を限度）", "100", "¥1,120", "¥1,008", "¥112"),
    ("利用者負担上限額管理加算", "1回につき（月1回を限度）", "150", "¥1,680", "¥1,512", "¥168"),
    ("喀痰吸引等支援体制加算", "1人1日当たり", "100", "¥1,120", "¥1,008", "¥112"),
    ("入院時支援連携加算", "1回につき（入院前に１回を限度）", "300", "¥3,360", "¥3,024", "¥336"),
]
WIDTHS_CM = [3.6, 9.6, 1.8, 2.0, 2.0, 2.0]


def row(cells) -> str:
    out = []
    for c in cells:
        out.append(f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>'
                   if c else "<table:table-cell/>")
    return "<table:table-row>" + "".join(out) + "</table:table-row>"


def fods() -> str:
    rows = [row(("重度訪問介護サービス費　基本単位数 地域区分 11.2",)), row(HEAD), *map(row, BASE), row(()),
            row(("その他加算単位数 地域区分 11.2",)), row(("算定項目", "算定区分", "(単位数)", "10割", "9割", "1割負担")),
            *map(row, ADDS), row(()), row(("福祉・介護職員等処遇改善加算（Ⅱ） 1月につき 所定単位×32.8%※１",))]
    cols = "".join(f'<style:style style:name="co{i}" style:family="table-column">'
                   f'<style:table-column-properties style:column-width="{w}cm"/></style:style>' for i, w in enumerate(WIDTHS_CM))
    colrefs = "".join(f'<table:table-column table:style-name="co{i}"/>' for i in range(len(WIDTHS_CM)))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:font-face-decls><style:font-face style:name="IPAexGothic" svg:font-family="IPAexGothic" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:styles><style:default-style style:family="table-cell"><style:text-properties style:font-name="IPAexGothic" style:font-name-asian="IPAexGothic" fo:font-size="9pt" style:font-size-asian="9pt"/></style:default-style></office:styles>
<office:automatic-styles>{cols}
<style:page-layout style:name="pm1"><style:page-layout-properties style:print-orientation="landscape" fo:page-width="29.7cm" fo:page-height="21cm" style:scale-to-X="1" style:scale-to-Y="1"/></style:page-layout>
<style:style style:name="ta1" style:family="table" style:master-page-name="Default"/></office:automatic-styles>
<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:spreadsheet><table:table table:name="重度訪問介護" table:style-name="ta1">{colrefs}{"".join(rows)}</table:table></office:spreadsheet></office:body>
</office:document>
"""


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice not found: apt-get install libreoffice-calc-nogui", file=sys.stderr)
        return 1
    SOURCE.parent.mkdir(parents=True, exist_ok=True)
    SOURCE.write_text(fods(), encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(SOURCE)], check=True, capture_output=True, timeout=180)
        shutil.copyfile(Path(tmp) / "shogai_jyudo.pdf", PDF)
    print(f"wrote: {SOURCE.relative_to(ROOT)}, {PDF.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
