"""HTML pages, Excel workbooks and Word documents read at their source (issue 19): each
fixture reads every row its script wrote, each row names its sheet and cells or its
table and row, the same table reads the same from each kind, and bad input of each
kind is one line and exit 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractor.pipeline import extract
from extractor.sources import BadInput, read
from extractor.sources.cells import join_pieces
from extractor.sources.xlsx import shown

from .conftest import FIXTURES, ROOT

SOURCES = {
    "xlsx": FIXTURES / "xlsx" / "shogai_kyotaku_openpyxl.xlsx",
    "html": FIXTURES / "html" / "shogai_kyotaku.html",
    "html-sjis": FIXTURES / "html" / "shogai_kyotaku.sjis.html",
    "docx": FIXTURES / "docx" / "shogai_kyotaku.docx",
    # as LibreOffice saves them: Calc's .xlsx from an .ods, Writer's .docx from an .odt and its HTML export
    "xlsx-libreoffice": FIXTURES / "xlsx" / "shogai_kyotaku_libreoffice.xlsx",
    "docx-libreoffice": FIXTURES / "docx" / "shogai_kyotaku_libreoffice.docx",
    "html-libreoffice": FIXTURES / "html" / "shogai_kyotaku_libreoffice.html",
    # as Chromium holds the live page once its scripts ran (--dump-dom): script-made menu, breadcrumb and
    # cookie banner around the table, a hidden pop-up with an old fee
    "html-chromium": FIXTURES / "html" / "shogai_kyotaku_chromium.html",
}


def cli(*args):
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ}, timeout=300)


def expected(path: Path) -> list[dict]:
    return json.loads(path.with_name(path.name.split(".")[0] + _sub(path) + ".expected.json").read_text("utf-8"))


def _sub(path: Path) -> str:
    return ".sjis" if ".sjis." in path.name else ""


def read_rows(path: Path) -> list[dict]:
    r = cli("extract", path, "--no-cache")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    return [json.loads(x) for x in r.stdout.splitlines()]


def essentials(row: dict) -> dict:
    return {"item": row["item"], "time_band": row["time_band"], "units": row["units"], "amounts": row["amounts"],
            "cell": row["source"].get("cell")}


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_each_source_reads_every_row_as_written(kind):
    path = SOURCES[kind]
    rows = read_rows(path)
    assert [essentials(r) for r in rows] == expected(path)
    assert {r["service"] for r in rows} == {"居宅介護"}
    assert {r["unit_price"] for r in rows} == {"11.20"}  # the stated 1単位の単価, read as prose


def test_the_same_table_reads_the_same_from_each_kind():
    got = {kind: [{k: v for k, v in essentials(r).items() if k != "cell"} for r in read_rows(p)]
           for kind, p in SOURCES.items()}
    assert len(got["xlsx"]) == 11
    assert all(rows == got["xlsx"] for rows in got.values()), {k: len(v) for k, v in got.items()}


def test_a_row_names_its_sheet_and_cells_in_the_json_output():
    rows = read_rows(SOURCES["xlsx"])
    assert rows[0]["source"]["cell"] == "料金表!A5:E5"  # the merged 身体介護 cell and its row
    assert rows[1]["source"]["cell"] == "料金表!B6:E6"  # under the merge: its own cells
    assert rows[6]["source"]["cell"] == "料金表!A12:E12"  # after the hidden row 11
    assert rows[0]["page"] == 1  # the sheet's number


def test_pdf_and_text_output_has_no_cell_key():
    res = extract(FIXTURES / "text" / "shogai_kyotaku_3kyu.txt")
    assert res.rows and all("cell" not in r.model_dump(mode="json")["source"] for r in res.rows)


def test_workbook_hidden_rows_columns_and_sheets_are_skipped_and_stored_values_kept():
    doc = read(SOURCES["xlsx"])
    text = "\n".join(ln.text for ln in doc.lines)
    assert "令和3年度" not in text  # the hidden row
    assert "内部コード" not in text and "110005" not in text  # the hidden column
    assert "単価\t" not in text  # the hidden sheet 計算用
    first = next(ln for ln in doc.lines if ln.cell == "料金表!A5:E5")
    assert first.text == "身体介護\t30分未満\t256\t2,867円\t286円"  # formulas: the cached values, as shown
    assert first.values == [None, None, 256, 2867, 286]  # and as stored


def test_html_skips_scripts_styles_and_navigation_and_keeps_prose_in_order():
    doc = read(SOURCES["html"])
    text = [ln.text for ln in doc.lines]
    assert text[:2] == ["居宅介護サービス費(令和6年4月改定)", "1単位の単価 11.20円(2級地)"]
    assert not any("dataLayer" in t or "アクセス" in t or "border-collapse" in t or "JavaScript" in t for t in text)
    assert text[-2:] == ["※利用者負担額は利用料の1割です(1円未満切り捨て)。", "Copyright 居宅介護事業所"]
    assert doc.encoding == "utf-8" and read(SOURCES["html-sjis"]).encoding == "cp932"


def test_html_rowspan_colspan_br_and_a_nested_table(tmp_path):
    page = tmp_path / "spans.html"
    page.write_text("""<html><head><meta charset="euc-jp"></head><body><table>
<tr><th>サービス</th><th>区分</th><th>単位数</th></tr>
<tr><td rowspan="2">身体<br>介護</td><td>30分<br>未満</td><td>256</td></tr>
<tr><td>30分以上</td><td>404</td></tr>
<tr><td colspan="2">合計</td><td>660<table><tr><td>内</td><td>訳</td></tr></table></td></tr>
</table></body></html>""", encoding="euc_jp")
    doc = read(page)
    assert [(ln.text, ln.cell) for ln in doc.lines] == [
        ("サービス\t区分\t単位数", "table 1 row 1"),
        ("身体介護\t30分未満\t256", "table 1 row 2"),
        ("\t30分以上\t404", "table 1 row 3"),
        ("合計\t\t660", "table 1 row 4"),
        ("内\t訳", "table 2 row 1"),
    ]
    assert doc.encoding == "euc_jp"


def test_html_a_table_laying_tables_side_by_side_reads_each_heading_over_its_table(tmp_path):
    page = tmp_path / "side.html"
    page.write_text("""<body><p>ひまわりデイサービス</p><table class="layout"><tr>
<td><h3>■ 通所介護 基本料金</h3><table><tr><th>介護度</th><th>単位数</th></tr><tr><td>要介護1</td><td>370</td></tr></table></td>
<td><h3>■ 加算</h3><table><tr><th>加算</th><th>単位数</th></tr><tr><td>入浴介助加算(Ⅰ)</td><td>40</td></tr></table></td>
</tr></table><p>※1単位=10.68円</p></body>""", encoding="utf-8")
    assert [(ln.text, ln.cell) for ln in read(page).lines] == [
        ("ひまわりデイサービス", None),
        ("■ 通所介護 基本料金", None), ("介護度\t単位数", "table 1 row 1"), ("要介護1\t370", "table 1 row 2"),
        ("■ 加算", None), ("加算\t単位数", "table 2 row 1"), ("入浴介助加算(Ⅰ)\t40", "table 2 row 2"),
        ("※1単位=10.68円", None),
    ]


def test_docx_a_table_laying_tables_side_by_side_reads_each_heading_over_its_table(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("ひまわりデイサービス")
    frame = document.add_table(rows=1, cols=2)
    for cell, (title, rows) in zip(frame.rows[0].cells, [("■ 通所介護 基本料金", [("介護度", "単位数"), ("要介護1", "370")]),
                                                         ("■ 加算", [("加算", "単位数"), ("入浴介助加算(Ⅰ)", "40")])]):
        cell.paragraphs[0].text = title
        inner = cell.add_table(rows=2, cols=2)
        for r, texts in enumerate(rows):
            for c, text in enumerate(texts):
                inner.cell(r, c).text = text
    path = tmp_path / "side.docx"
    document.save(str(path))
    assert [(ln.text, ln.cell) for ln in read(path).lines] == [
        ("ひまわりデイサービス", None),
        ("■ 通所介護 基本料金", None), ("介護度\t単位数", "table 1 row 1"), ("要介護1\t370", "table 1 row 2"),
        ("■ 加算", None), ("加算\t単位数", "table 2 row 1"), ("入浴介助加算(Ⅰ)\t40", "table 2 row 2"),
    ]


def test_docx_tables_inside_a_data_table_keep_the_paragraph_over_each(tmp_path):
    """A row of a data table whose second cell holds two tables, each under its own paragraph
    ('【従来型個室】', '【多床室】'): each table is read after its heading, and the cell keeps the
    rest of its text."""
    import docx

    document = docx.Document()
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text, outer.cell(0, 1).text = "施設区分", "Ⅰ型介護医療院"
    outer.cell(1, 0).text = "基本サービス費(1日)"
    cell = outer.cell(1, 1)
    cell.paragraphs[0].text = "居室の種類・要介護度別"
    for room, units in (("【従来型個室】", "721"), ("【多床室】", "833")):
        cell.add_paragraph(room)
        inner = cell.add_table(rows=2, cols=2)
        for r, texts in enumerate([("要介護度", "単位数"), ("要介護1", units)]):
            for c, text in enumerate(texts):
                inner.cell(r, c).text = text
    cell.add_paragraph("※Ⅰ型療養床を有する介護医療院です。")
    path = tmp_path / "nested.docx"
    document.save(str(path))
    assert [ln.text for ln in read(path).lines] == [
        "施設区分\tⅠ型介護医療院", "基本サービス費(1日)\t居室の種類・要介護度別※Ⅰ型療養床を有する介護医療院です。",
        "【従来型個室】", "要介護度\t単位数", "要介護1\t721", "【多床室】", "要介護度\t単位数", "要介護1\t833"]


def test_a_cell_of_a_web_page_is_never_split_as_amounts_run_together(tmp_path):
    """A misprinted benefit (11088 beside a fee of 11089) in a cell of its own is read as
    printed: a table cell of a web page, sheet or Word table holds one value, nothing ran
    together in it (as text copied from a PDF may: '2800円280円')."""
    page = tmp_path / "benefit.html"
    page.write_text("""<body><p>■ 居宅介護支援 基本料金</p><table>
<tr><th>居宅介護支援費</th><th>要介護度</th><th>介護報酬額</th><th>保険給付額</th></tr>
<tr><td></td><td></td><td>（円）</td><td>（円）</td></tr>
<tr><td rowspan="2">居宅介護支援費（Ⅱ）（i）</td><td>要介護１・２</td><td>１１０８９(１０８６単位)</td><td>１１０８８</td></tr>
<tr><td>要介護３～５</td><td>１４４０６(１４１１単位)</td><td>１４４０６</td></tr></table></body>""", encoding="utf-8")
    rows = extract(page).rows
    assert [(r.units, dict(r.amounts), r.corrections) for r in rows] == [
        (1086, {"total": 11089, "benefit": 11088}, []), (1411, {"total": 14406, "benefit": 14406}, [])]


def test_html_source_line_breaks_are_spaces_except_inside_japanese(tmp_path):
    page = tmp_path / "prose.html"
    page.write_text("<body><p>1単位の単価\n10.72円</p><p>利用者負担額は\n利用料の1割です。</p></body>", encoding="utf-8")
    assert [ln.text for ln in read(page).lines] == ["1単位の単価 10.72円", "利用者負担額は利用料の1割です。"]


def test_docx_merges_are_read_as_word_stores_them():
    doc = read(SOURCES["docx"])
    rows = {ln.cell: ln.text for ln in doc.lines if ln.cell}
    assert rows["table 1 row 1"] == "障害福祉サービス 居宅介護"  # merged across: one cell, prose
    assert rows["table 1 row 3"] == "身体介護\t30分未満\t256\t2,867円\t286円"
    assert rows["table 1 row 4"] == "\t30分以上1時間未満\t404\t4,524円\t452円"  # merged down: empty below
    assert doc.lines[-1].text == "※利用者負担額は利用料の1割です(1円未満切り捨て)。" and doc.lines[-1].cell is None


@pytest.mark.parametrize("value, fmt, text", [
    (3951, '#,##0"円"', "3,951円"),
    (3951, "#,##0", "3,951"),
    (3951, "General", "3951"),
    (3951.0, "General", "3951"),
    (11.2, "0.00", "11.20"),
    (0.402, "0.0%", "40.2%"),
    (2867, "¥#,##0", "¥2,867"),
    (2867, "[$¥-411]#,##0", "¥2,867"),
    (1023, '#,##0"単位"', "1,023単位"),  # any text the format adds, not only 円 and ¥
    (1023, '0"単位"', "1023単位"),
    (40, '"1回 "#,##0"円"', "1回 40円"),
    (-5, '"¥"#,##0;[Red]-"¥"#,##0', "-¥5"),
    (None, "General", ""),
])
def test_a_cell_is_shown_as_its_number_format_displays_it(value, fmt, text):
    assert shown(value, fmt) == text


def test_line_breaks_in_a_cell_join_japanese_without_a_space():
    assert join_pieces(["30分以上", "1時間未満"]) == "30分以上1時間未満"
    assert join_pieces(["Total", "fee"]) == "Total fee"


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return buf.getvalue()


def _without(path: Path, part: str) -> bytes:
    src = zipfile.ZipFile(path)
    return _zip({n: src.read(n) for n in src.namelist() if n != part})


def _inflating(main: str, part: str, mb: int) -> bytes:
    """A small zip whose ``part`` inflates to ``mb`` MB (written in pieces: the test stays small)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        if main != part:
            z.writestr(main, b"<workbook/>")
        with z.open(part, "w", force_zip64=True) as f:
            chunk = b" " * (1024 * 1024)
            for _ in range(mb):
                f.write(chunk)
    return buf.getvalue()


def _sparse_huge_sheet() -> bytes:
    """A small file whose sheet spans 3,000,000 cells: a title in A1, a stray value in CV30000."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "料金表"
    wb.active["CV30000"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


BAD = {  # file name -> (bytes, the line it gets)
    "not_a_zip.xlsx": (lambda: "料金表ではありません\n".encode() * 50,
                       "is not an Excel workbook (not a zip archive: damaged, or another kind of file); save the workbook"),
    "truncated.xlsx": (lambda: SOURCES["xlsx"].read_bytes()[:2000], "is not an Excel workbook (not a zip archive"),
    "no_workbook_part.xlsx": (lambda: _without(SOURCES["xlsx"], "xl/workbook.xml"),
                              "is not an Excel workbook or is damaged (no xl/workbook.xml inside)"),
    "broken_sheet.xlsx": (lambda: _zip({**{n: zipfile.ZipFile(SOURCES["xlsx"]).read(n)
                                           for n in zipfile.ZipFile(SOURCES["xlsx"]).namelist()},
                                        "xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
                          "is damaged and cannot be read"),
    "not_a_zip.docx": (lambda: b"{\\rtf1 not a docx}" * 20, "is not a Word document (not a zip archive"),
    "no_document_part.docx": (lambda: _without(SOURCES["docx"], "word/document.xml"),
                              "is not a Word document or is damaged (no word/document.xml inside)"),
    "empty.docx": (lambda: b"", "is empty"),
    "bomb.docx": (lambda: _inflating("word/document.xml", "word/document.xml", 600),
                  "inflates to 600 MB, over the 512 MB limit"),
    "sheet_too_large.xlsx": (lambda: _inflating("xl/workbook.xml", "xl/worksheets/sheet1.xml", 150),
                             "has sheets of 150 MB of cells, over the 128 MB limit; split the workbook"),
    "sheet_spans_millions_of_cells.xlsx": (_sparse_huge_sheet,
                                           "spans 3,000,000 cells, over the 1,000,000-cell limit; split the workbook"),
    # the range a sheet states it spans (a whole sheet, plus the 2 cells of the hidden one) is refused before
    # openpyxl loads a cell: the rest of the part is not even XML
    "whole_sheet_dimension.xlsx": (lambda: _zip({**{n: zipfile.ZipFile(SOURCES["xlsx"]).read(n)
                                                    for n in zipfile.ZipFile(SOURCES["xlsx"]).namelist()},
                                                 "xl/worksheets/sheet1.xml": b'<worksheet><dimension ref="A1:XFD1048576"/>'
                                                                             b"<sheetData><row"}),
                                   "spans 17,179,869,186 cells, over the 1,000,000-cell limit"),
    "not_a_zip.xlsm": (lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 600,
                       "is not an Excel workbook (not a zip archive: damaged, or another kind of file)"),
    "no_document_part.docm": (lambda: _without(SOURCES["docx"], "word/document.xml"),
                              "is not a Word document or is damaged (no word/document.xml inside)"),
    "empty.html": (lambda: b"  \n", "is empty"),
    "script_only.html": (lambda: b"<html><body><script>var a = 1;</script></body></html>", "has no text"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_of_each_kind_is_one_line_and_exit_2(tmp_path, name):
    make, expect = BAD[name]
    path = tmp_path / name
    path.write_bytes(make())
    r = cli("extract", path, "--no-cache")
    lines = [x for x in r.stderr.splitlines() if x.startswith("tariff:")]
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert len(lines) == 1 and lines[0].startswith(f"tariff: {path}: ") and expect in lines[0], r.stderr


def test_a_macro_enabled_workbook_is_read_and_its_macros_never_run(tmp_path):
    """An .xlsm with a VBA part reads like the workbook it is; the macro is only bytes."""
    src = zipfile.ZipFile(SOURCES["xlsx"])
    parts = {n: src.read(n) for n in src.namelist()}
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 Sub Auto_Open(): Shell \"touch /tmp/pwned\" End Sub"
    path = tmp_path / "fees.xlsm"
    path.write_bytes(_zip(parts))
    assert [essentials(r) for r in read_rows(path)] == expected(SOURCES["xlsx"])


def test_a_macro_enabled_word_document_is_read_and_its_macros_never_run(tmp_path):
    """A .docm with a VBA project reads like the document it is; the macro is only bytes."""
    src = zipfile.ZipFile(SOURCES["docx"])
    parts = {n: src.read(n) for n in src.namelist()}
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 Sub AutoOpen(): Shell \"touch /tmp/pwned\" End Sub"
    path = tmp_path / "fees.docm"
    path.write_bytes(_zip(parts))
    assert [essentials(r) for r in read_rows(path)] == expected(SOURCES["docx"])


def test_an_oversized_workbook_is_refused_unread(tmp_path):
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as f:
        f.truncate(70 * 1024 * 1024)
    r = cli("extract", path, "--no-cache")
    assert r.returncode == 2
    assert [x for x in r.stderr.splitlines() if x.startswith("tariff:")] == [
        f"tariff: {path}: is 70 MB, over the 64 MB limit for its kind; check that this is the file meant"]


def test_a_folder_of_sources_is_read_as_a_batch_with_jobs(tmp_path):
    r = cli("extract", FIXTURES / "xlsx", FIXTURES / "html", FIXTURES / "docx", "--no-cache", "--jobs", "2",
            "--format", "json")
    assert r.returncode == 0, r.stderr
    docs = json.loads(r.stdout)["documents"]
    assert sorted(d["doc"] for d in docs) == sorted(p.name for p in SOURCES.values())
    assert all(len(d["rows"]) == 11 and d["source_kind"] in ("xlsx", "html", "docx") for d in docs)
    assert len(docs) == len(SOURCES)


def test_the_fixtures_are_what_their_script_makes():
    r = subprocess.run([sys.executable, "scripts/make_source_fixtures.py", "--check"], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_an_unreadable_part_is_bad_input_not_a_crash(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"not xml"}))
    with pytest.raises(BadInput):
        read(path)


def test_a_dataset_built_from_a_workbook_keeps_each_rows_cells(tmp_path):
    out = tmp_path / "normalized"
    r = cli("build", SOURCES["xlsx"], "--out", out)
    assert r.returncode in (0, 1), r.stderr
    items = [json.loads(x) for x in (out / "items.jsonl").read_text("utf-8").splitlines()]
    cells = sorted(s["cell"] for it in items for s in it["sources"])
    assert cells == sorted(row["cell"] for row in expected(SOURCES["xlsx"]))


def test_every_visible_sheet_is_read_within_its_print_area(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "居宅"
    ws.append(["サービス内容", "単位数", "利用料"])
    ws.append(["身体介護", 256, 2867])
    ws["E1"] = "印刷範囲の外"
    ws.print_area = "A1:C2"
    adds = wb.create_sheet("加算")
    adds.append(["初回加算", 200])
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    doc = read(path)
    assert [(ln.page, ln.cell, ln.text) for ln in doc.lines] == [
        (1, "居宅!A1:C1", "サービス内容\t単位数\t利用料"),
        (1, "居宅!A2:C2", "身体介護\t256\t2867"),
        (2, "加算!A1:B1", "初回加算\t200"),
    ]


def _sheet(tmp_path: Path, rows: dict[int, list]) -> Path:
    """A workbook whose one sheet holds ``rows`` (sheet row -> values from column A)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "料金表"
    for r, values in rows.items():
        for c, v in enumerate(values, 1):
            if v is not None:
                ws.cell(r, c, v)
    path = tmp_path / "sheet.xlsx"
    wb.save(path)
    return path


def test_tables_side_by_side_on_a_sheet_are_read_one_after_the_other(tmp_path):
    """基本 in B:D and 加算 in F:H of the same rows (column E empty): the left table's rows
    first, then the right one's, each without the other's cells."""
    path = _sheet(tmp_path, {
        1: ["訪問介護 料金表"],
        2: [None, "■ 基本料金", None, None, None, "■ 加算"],
        3: [None, "サービス", "時間", "単位数", None, "加算", "算定", "単位数"],
        4: [None, "身体介護", "20分未満", 163, None, "初回加算", "1月につき", 200],
        5: [None, "身体介護", "20分以上30分未満", 244, None, "緊急時訪問介護加算", "1回につき", 100],
        6: [None, "身体介護", "30分以上1時間未満", 387],
        8: ["※1単位10.90円"],
    })
    lines = [(ln.text, ln.cell) for ln in read(path).lines]
    assert lines == [
        ("訪問介護 料金表", "料金表!A1"), ("■ 基本料金", "料金表!B2"),
        ("サービス\t時間\t単位数", "料金表!B3:D3"), ("身体介護\t20分未満\t163", "料金表!B4:D4"),
        ("身体介護\t20分以上30分未満\t244", "料金表!B5:D5"), ("身体介護\t30分以上1時間未満\t387", "料金表!B6:D6"),
        ("■ 加算", "料金表!F2"), ("加算\t算定\t単位数", "料金表!F3:H3"), ("初回加算\t1月につき\t200", "料金表!F4:H4"),
        ("緊急時訪問介護加算\t1回につき\t100", "料金表!F5:H5"), ("※1単位10.90円", "料金表!A8"),
    ]


def test_a_table_with_an_empty_spacer_column_stays_whole(tmp_path):
    path = _sheet(tmp_path, {
        1: ["サービス", "時間", None, "単位数", "利用料"],
        2: ["身体介護", "20分未満", None, 163, 1812],
        3: ["身体介護", "20分以上30分未満", None, 244, 2713],
    })
    assert [ln.text for ln in read(path).lines] == [
        "サービス\t時間\t単位数\t利用料", "身体介護\t20分未満\t163\t1812", "身体介護\t20分以上30分未満\t244\t2713"]


def test_a_lone_name_under_the_header_stays_in_the_header(tmp_path):
    """'報酬' over '単位数', the lower header row filling one cell right of the first column:
    it is the header's lower line (the units column), not a heading across the table, so
    a band's step rule ('(30分を増すごとに+83単位) 921単位') is read with its own units."""
    page = tmp_path / "fees.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><h2>■ 居宅介護 基本料金</h2><table>"
        "<tr><th rowspan='2'>サービス内容</th><th rowspan='2'>時間</th><th>報酬</th></tr><tr><th>単位数</th></tr>"
        "<tr><td rowspan='3'>身体介護</td><td>30分未満</td><td>256単位</td></tr>"
        "<tr><td>30分以上60分未満</td><td>404単位</td></tr>"
        "<tr><td>3時間以上(30分を増すごとに+83単位)</td><td>921単位</td></tr>"
        "</table><p>※端数処理の関係で、実際の請求額と若干異なる場合があります。</p></body></html>", encoding="utf-8")
    lines = [(ln.text, ln.cell) for ln in read(page).lines]
    assert lines[1:3] == [("サービス内容\t時間\t報酬", "table 1 row 1"), ("\t\t単位数", "table 1 row 2")]
    assert lines[0][0] == "■ 居宅介護 基本料金" and lines[-1][1] is None  # the heading and the note stay prose
    rows = [(r.item, r.time_band, r.units, r.step.units if r.step else None) for r in extract(page).rows]
    assert rows == [("身体介護", "30分未満", 256, None), ("身体介護", "30分以上1時間未満", 404, None),
                    ("身体介護", "3時間以上", 921, 83)]


def test_a_heading_between_two_tables_titles_the_next_one(tmp_path):
    """'■ 加算(算定要件を満たす場合)' between a care level × time grid (rows without a name)
    and the additions table is the additions' title: it never names the grid's rows, as
    it does not on the same page printed as a PDF."""
    page = tmp_path / "fees.html"
    grid = "".join(f"<tr><td>要介護{k}</td><td>{370 + 50 * k}</td><td>{390 + 50 * k}</td></tr>" for k in range(1, 4))
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>(1単位あたり 10.27円)</p><h3>■ 通所介護基本料金(単位:円)</h3>"
        "<table><tr><th rowspan='2'>区分</th><th colspan='2'>所要時間</th></tr>"
        f"<tr><th>3時間~4時間未満</th><th>4時間~5時間未満</th></tr>{grid}</table>"
        "<h3>■ 加算(算定要件を満たす場合)</h3><table><tr><th>加算の種類</th><th>算定回数</th><th>単位数</th></tr>"
        "<tr><td>入浴介助加算(Ⅰ)</td><td>1日につき</td><td>40</td></tr></table></body></html>", encoding="utf-8")
    rows = extract(page).rows
    assert len(rows) == 7
    assert [r.item for r in rows if r.care_levels] and all("加算" not in (r.item or "") for r in rows if r.care_levels)
    assert [(r.item, r.units) for r in rows if not r.care_levels] == [("入浴介助加算(Ⅰ)", 40)]


def test_an_addition_under_a_grid_names_only_its_own_row(tmp_path):
    """Additions listed in the same table under a time band × care level grid: the grid's
    rows keep their own keys and never take the addition's name from below (a label from
    below is a merged cell's, centred on rows its band or care level goes on from)."""
    page = tmp_path / "fees.html"
    grid = "".join(
        f"<tr><td rowspan='3'>{band}</td><td>要介護1</td><td>¥{y}</td><td>{u}単位</td></tr>"
        f"<tr><td>要介護2</td><td>¥{y + 50}</td><td>{u + 50}単位</td></tr>"
        f"<tr><td>要介護3</td><td>¥{y + 100}</td><td>{u + 100}単位</td></tr>"
        for band, y, u in (("3時間~4時間未満", 390, 370), ("8時間~9時間未満", 706, 669)))
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><h3>■ 通所介護 基本料金</h3><table>"
        "<tr><th>時間区分</th><th>介護区分</th><th>利用者負担(1割)</th><th>算定単位</th></tr>" + grid +
        "<tr><td>入浴介助加算(Ⅰ)</td><td>1日につき</td><td>¥43</td><td>40単位</td></tr></table></body></html>",
        encoding="utf-8")
    rows = extract(page).rows
    assert [(r.units, r.item == "入浴介助加算(Ⅰ)") for r in rows] == [
        (370, False), (420, False), (470, False), (669, False), (719, False), (769, False), (40, True)]


def test_the_page_saved_from_chromium_reads_only_its_visible_fee_table():
    """The fixture is Chromium's DOM after the page's script ran (menu, breadcrumb and cookie
    banner made by the script); the hidden pop-up's 令和3年度 fee (250単位) is never read."""
    page = SOURCES["html-chromium"].read_text("utf-8")
    assert 'id="cookie-banner"' in page and 'class="breadcrumb"' in page and "<tbody>" in page
    texts = [ln.text for ln in read(SOURCES["html-chromium"]).lines]
    assert "トップ > 料金表" not in texts and not any("250" in t or "旧料金" in t for t in texts)
    assert "当サイトはクッキーを使用しています。" in texts  # the banner is prose: read, never a row


def test_tables_side_by_side_of_one_height_under_a_heading_each_are_split(tmp_path):
    """基本 in B:D and 加算 in F:H, as many rows each, a heading over each (B2, F2): the two
    headings show where the sheet splits, though no row fills one side only."""
    path = _sheet(tmp_path, {
        2: [None, "■ 基本料金", None, None, None, "■ 加算"],
        3: [None, "項目", "介護区分", "単位数", None, "加算", "算定", "単位数"],
        4: [None, "居宅介護支援費(Ⅰ)(i)", "要介護1・2", "1,086単位", None, "初回加算", "1月につき", "300単位"],
        5: [None, None, "要介護3・4・5", "1,411単位", None, "退院・退所加算(Ⅲ)", "1回につき", "900単位"],
    })
    assert [(ln.text, ln.cell) for ln in read(path).lines] == [
        ("■ 基本料金", "料金表!B2"), ("項目\t介護区分\t単位数", "料金表!B3:D3"),
        ("居宅介護支援費(Ⅰ)(i)\t要介護1・2\t1,086単位", "料金表!B4:D4"), ("\t要介護3・4・5\t1,411単位", "料金表!C5:D5"),
        ("■ 加算", "料金表!F2"), ("加算\t算定\t単位数", "料金表!F3:H3"), ("初回加算\t1月につき\t300単位", "料金表!F4:H4"),
        ("退院・退所加算(Ⅲ)\t1回につき\t900単位", "料金表!F5:H5"),
    ]


def test_a_table_continued_under_its_repeated_two_line_header_keeps_its_title(tmp_path):
    """A web page breaks a table where its print breaks a page, repeating the header
    ('認定区分 部屋の種類' over '従来型個室 多床室'): the rows after the break are still
    the 1割 copays the title above the first part names."""
    def part(levels):
        rows = "".join(f"<tr><td>要介護{k}</td><td>¥{700 + 50 * k}</td><td>¥{780 + 50 * k}</td></tr>" for k in levels)
        return ("<table><tr><th>認定区分</th><th colspan='2'>部屋の種類</th></tr>"
                f"<tr><th></th><th>従来型個室</th><th>多床室</th></tr>{rows}</table>")

    page = tmp_path / "fees.html"
    page.write_text("<html><head><meta charset='utf-8'></head><body><h3>■ 介護老人保健施設基本料金(1割負担)</h3>"
                    + part([1, 2]) + part([3, 4, 5]) + "</body></html>", encoding="utf-8")
    rows = extract(page).rows
    assert len(rows) == 10 and {tuple(r.amounts) for r in rows} == {("copay1",)}


def test_side_by_side_tables_whose_headers_are_merged_over_two_rows_are_split(tmp_path):
    """The same, with each header cell merged over rows 3 and 4: the empty row 4 under the
    merge does not cut the headings off the tables."""
    from openpyxl import load_workbook

    path = _sheet(tmp_path, {
        2: [None, "■ 基本料金", None, None, None, "■ 加算"],
        3: [None, "項目", "介護区分", "利用料", None, "加算", "算定", "利用料"],
        5: [None, "居宅介護支援費(Ⅱ)(i)", "要介護1・2", "¥12380(1086単位)", None, "初回加算", "1月につき", "¥3420(300単位)"],
        6: [None, "居宅介護支援費(Ⅱ)(i)", "要介護3・4・5", "¥16085(1411単位)", None, "退院・退所加算(Ⅲ)", "1回につき",
            "¥10260(900単位)"],
    })
    wb = load_workbook(path)
    for col in "BCDFGH":
        wb.active.merge_cells(f"{col}3:{col}4")
    wb.save(path)
    assert [ln.cell for ln in read(path).lines] == [
        "料金表!B2", "料金表!B3:D3", "料金表!B5:D5", "料金表!B6:D6", "料金表!F2", "料金表!F3:H3", "料金表!F5:H5", "料金表!F6:H6"]


def test_notes_under_a_header_merged_down_beside_them_are_the_header_line_of_their_column(tmp_path):
    # '項目' and '提供時間' merged over two header rows, '10割' over '（全額）（円）': the notes
    # line stays in its column (as Writer saves a Word table converted from .odt)
    page = tmp_path / "fees.html"
    page.write_text("""<body><p>■ 訪問介護 基本料金</p><table>
<tr><td rowspan="2">項目</td><td rowspan="2">提供時間</td><td>10割</td></tr>
<tr><td>（全額）（円）</td></tr>
<tr><td rowspan="2">身体介護</td><td>20分未満</td><td>1744(163単位)</td></tr>
<tr><td>20分～30分未満</td><td>2610(244単位)</td></tr>
<tr><td>生活援助</td><td>20分～45分未満</td><td>1915(179単位)</td></tr>
</table></body>""", encoding="utf-8")
    rows = extract(page).rows
    assert [(r.item, r.time_band, r.units, dict(r.amounts)) for r in rows] == [
        ("身体介護", "20分未満", 163, {"total": 1744}),
        ("身体介護", "20分以上30分未満", 244, {"total": 2610}),
        ("生活援助", "20分以上45分未満", 179, {"total": 1915}),
    ]


def _merged_tables(tmp_path, kind: str, blocks: list) -> Path:
    """A page, sheet or Word document of paragraphs (str) and tables (rows of (text, colspan,
    rowspan)), each merged cell merged as the kind stores it (colspan, merge_cells, gridSpan)."""
    def laid(rows):  # (row, column) of each cell, and the merges
        held, cells, merges = set(), {}, []
        for r, row in enumerate(rows):
            c = 0
            for text, cs, rs in row:
                while (r, c) in held:
                    c += 1
                cells[(r, c)] = text
                if cs > 1 or rs > 1:
                    merges.append((r, c, r + rs - 1, c + cs - 1))
                held |= {(r + dr, c + dc) for dr in range(rs) for dc in range(cs)}
                c += cs
        return max(r for r, _ in held) + 1, max(c for _, c in held) + 1, cells, merges

    path = tmp_path / f"fees.{kind}"
    if kind == "html":
        html = "".join(f"<p>{b}</p>" if isinstance(b, str) else "<table>" + "".join(
            "<tr>" + "".join(f'<td colspan="{cs}" rowspan="{rs}">{t}</td>' for t, cs, rs in row) + "</tr>" for row in b)
            + "</table>" for b in blocks)
        path.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    elif kind == "xlsx":
        import openpyxl
        book = openpyxl.Workbook()
        sheet, top = book.active, 1
        for b in blocks:
            if isinstance(b, str):
                sheet.cell(top, 1, b)
                top += 1
                continue
            n_rows, _, cells, merges = laid(b)
            for (r, c), text in cells.items():
                sheet.cell(top + r, 1 + c, text)
            for r0, c0, r1, c1 in merges:
                sheet.merge_cells(start_row=top + r0, start_column=1 + c0, end_row=top + r1, end_column=1 + c1)
            top += n_rows + 1
        book.save(path)
    else:
        import docx
        document = docx.Document()
        for b in blocks:
            if isinstance(b, str):
                document.add_paragraph(b)
                continue
            n_rows, n_cols, cells, merges = laid(b)
            table = document.add_table(rows=n_rows, cols=n_cols)
            for r0, c0, r1, c1 in merges:
                table.cell(r0, c0).merge(table.cell(r1, c1))
            for (r, c), text in cells.items():
                table.cell(r, c).text = text
        document.save(str(path))
    return path


def _plain(*rows):
    return [[(t, 1, 1) for t in row] for row in rows]


@pytest.mark.parametrize("kind", ["html", "xlsx", "docx"])
def test_a_heading_merged_over_each_group_of_columns_keys_the_columns_under_it(tmp_path, kind):
    """'訪問看護サービスを行わない場合' and '…行う場合' merged over '単位数 費用額 自己負担額'
    each, '要介護度' merged down beside them: every care level gives one row per group, with
    that group's units, fee and share (Word read only the first group before)."""
    table = [[("要介護度", 1, 2), ("訪問看護サービスを行わない場合", 3, 1), ("訪問看護サービスを行う場合", 3, 1)],
             *_plain(("単位数", "費用額", "自己負担額") * 2,
                     ("要介護1", "5,446", "¥62,084", "¥6,209", "7,946", "¥90,584", "¥9,059"),
                     ("要介護2", "9,720", "¥110,808", "¥11,081", "12,413", "¥141,508", "¥14,151"))]
    path = _merged_tables(tmp_path, kind, ["定期巡回・随時対応型訪問介護看護 料金表", "基本料金（1か月あたり）", table])
    rows = extract(path).rows
    assert [(tuple(r.care_levels), tuple(r.conditions), r.units, dict(r.amounts)) for r in rows] == [
        (("要介護1",), ("訪問看護サービスを行わない場合",), 5446, {"total": 62084, "copay1": 6209}),
        (("要介護1",), ("訪問看護サービスを行う場合",), 7946, {"total": 90584, "copay1": 9059}),
        (("要介護2",), ("訪問看護サービスを行わない場合",), 9720, {"total": 110808, "copay1": 11081}),
        (("要介護2",), ("訪問看護サービスを行う場合",), 12413, {"total": 141508, "copay1": 14151})]
    assert {r.service for r in rows} == {"定期巡回・随時対応型訪問介護看護"}


@pytest.mark.parametrize("kind", ["html", "xlsx", "docx"])
def test_a_grid_of_units_and_a_grid_of_its_yen_are_one_row_per_key_in_each_kind(tmp_path, kind):
    """Two tables of the same bands and care levels, bare units under a title that says so and
    1割 yen under a title that says so: one row per key with its units and its share."""
    head = ("利用時間", "要介護1", "要介護2")
    path = _merged_tables(tmp_path, kind, [
        "通所リハビリテーション ご利用料金", "■基本料金（1回あたりの単位数）",
        _plain(head, ("1時間以上2時間未満", "369", "398"), ("2時間以上3時間未満", "383", "439")),
        "■利用者負担額（1割負担の方・1回あたり）",
        _plain(head, ("1時間以上2時間未満", "402円", "433円"), ("2時間以上3時間未満", "417円", "478円"))])
    rows = extract(path).rows
    assert [(tuple(r.care_levels), r.time_band, r.units, dict(r.amounts)) for r in rows] == [
        (("要介護1",), "1時間以上2時間未満", 369, {"copay1": 402}), (("要介護2",), "1時間以上2時間未満", 398, {"copay1": 433}),
        (("要介護1",), "2時間以上3時間未満", 383, {"copay1": 417}), (("要介護2",), "2時間以上3時間未満", 439, {"copay1": 478})]


def test_html_a_css_grid_of_divs_is_a_table(tmp_path):
    """'<div class="fee-grid">' laid out by the page's style sheet as four columns, its children
    the cells ('報酬額<br><small>…</small>' one cell); a grid set by its own style too, a child
    spanning two columns; a block no grid rule names stays prose."""
    page = tmp_path / "grid.html"
    page.write_text("""<html><head><style>
.fee-grid{display:grid;grid-template-columns:8em 6em minmax(6em, 1fr) 8em}
</style></head><body><h2>料金</h2>
<div class="fee-grid" role="table">
<div class="cell">障害支援区分</div><div class="cell">単位数</div><div class="cell">報酬額<br><small>(1単位10.80円)</small></div><div class="cell">利用者負担</div>
<div class="cell">区分6</div><div class="cell">600</div><div class="cell">6,480円</div><div class="cell">648円</div>
</div>
<div style="display:grid;grid-template-columns:repeat(3, 1fr)"><div>項目</div><div>金額</div><div>備考</div>
<div style="grid-column: span 2">家賃 38,000円</div><div>月額</div></div>
<div class="other"><div>お問い合わせ</div><div>電話</div></div>
</body></html>""", encoding="utf-8")
    doc = read(page)
    assert [(ln.text, ln.cell) for ln in doc.lines] == [
        ("料金", None),
        ("障害支援区分\t単位数\t報酬額(1単位10.80円)\t利用者負担", "table 1 row 1"),
        ("区分6\t600\t6,480円\t648円", "table 1 row 2"),
        ("項目\t金額\t備考", "table 2 row 1"),
        ("家賃 38,000円\t\t月額", "table 2 row 2"),
        ("お問い合わせ", None), ("電話", None),
    ]
