"""A ruled table as Word and other office programs export it: every cell's border drawn as
its own thin filled rectangle, so one rule across the table arrives in many pieces, a label
cell merged over the rows, header words stacked in narrow columns, and cells whose text
wraps inside them (a fee's tier and its last share on the cell's second line).

The PDF is made here with reportlab and the IPAex font, the way such a document is
printed, and read through the whole pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.pipeline import extract

from .pdfs import needs_reportlab, table_pdf

IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")

# (name lines, units, copay cell lines): shares of units × 11.12 (訪問看護, 2級地), floor per share
ROWS = [
    (["緊急時訪問看護加算", "(Ⅰ)"], "600 単位", ["(1割)668円/(2割)1335円/(3割)", "2002円"], (600, 668, 1335, 2002)),
    (["特別管理加算(Ⅰ)"], "500 単位", ["(1割)556円/(2割)1112円/(3割)", "1668円"], (500, 556, 1112, 1668)),
    (["特別管理加算(Ⅱ)"], "250 単位", ["(1割)278円/(2割)556円/(3割)834円"], (250, 278, 556, 834)),
    (["ターミナルケア加算"], "2,500 単位", ["(1割)2780円/(2割)5560円/", "(3割)8340円"], (2500, 2780, 5560, 8340)),
]


def _edges(c, x0: float, y0: float, x1: float, y1: float) -> None:
    """One cell's four borders, each a thin filled rectangle of its own (as Word draws them)."""
    w = 0.96
    c.rect(x0, y0, x1 - x0, w, fill=1, stroke=0)
    c.rect(x0, y1 - w, x1 - x0, w, fill=1, stroke=0)
    c.rect(x0, y0, w, y1 - y0, fill=1, stroke=0)
    c.rect(x1 - w, y0, w, y1 - y0, fill=1, stroke=0)


def _make(path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("IPAexGothic", str(IPAEX)))
    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    c.setFont("IPAexGothic", 10)
    c.drawString(40, 800, "訪問看護 加算の料金表  1単位:11.12円(2級地)")
    xs = [40, 70, 230, 300, 555]  # 区分 | 加算の種類 | 単位数 | 利用者負担額
    top, line = 780, 12
    header = [["区", "分"], ["加算", "の種類"], ["単位", "数", "(1回)"], ["利用者", "負担額", "(1割~3割)"]]
    height = line * 3 + 6
    for k, words in enumerate(header):
        _edges(c, xs[k], top - height, xs[k + 1], top)
        for j, w in enumerate(words):
            c.drawString(xs[k] + 3, top - 12 - j * line, w)
    y = top - height
    first = y
    for names, units, shares, _ in ROWS:
        h = line * max(len(names), len(shares)) + 8
        for k in (1, 2, 3):
            _edges(c, xs[k], y - h, xs[k + 1], y)
        for j, w in enumerate(names):
            c.drawString(xs[1] + 3, y - 12 - j * line, w)
        c.drawString(xs[2] + 3, y - 12, units)
        for j, w in enumerate(shares):
            c.drawString(xs[3] + 3, y - 12 - j * line, w)
        y -= h
    _edges(c, xs[0], y, xs[1], first)  # the label cell merged over every row
    for j, ch in enumerate("加算"):
        c.drawString(xs[0] + 10, first - 20 - j * line, ch)
    c.drawString(40, y - 20, "※ 上記は1割~3割負担の場合の利用者負担額です。")
    c.showPage()
    c.save()


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    pytest.importorskip("reportlab")
    if not IPAEX.exists():
        pytest.skip("fonts-ipaexfont-gothic is not installed (scripts/system-packages.sh installs it)")
    path = tmp_path_factory.mktemp("ruled") / "word_export.pdf"
    _make(path)
    return extract(path)


def test_borders_drawn_cell_by_cell_are_one_grid(read):
    """Each row of the table is one line of cells, the wrapped cell's lines joined: every
    share is read with its row, none lost to the line below."""
    got = {r.units: (r.units, r.amounts.get("copay1"), r.amounts.get("copay2"), r.amounts.get("copay3"))
           for r in read.rows}
    for names, _, _, want in ROWS:
        assert got.get(want[0]) == want, (names, got)


def test_a_name_wrapped_in_its_cell_is_whole(read):
    names = {r.units: r.item for r in read.rows}
    assert "緊急時訪問看護加算" in names[600] and "Ⅰ" in names[600], names


def test_no_row_from_the_merged_label_or_the_note(read):
    assert len([r for r in read.rows if r.kind != "other"]) == len(ROWS), [(r.item, r.units) for r in read.rows]


def _make_stacked(path: Path) -> None:
    """介護 and 予防 in one ruled row: two units columns, and each share cell two lines (the
    介護 amount over the 予防 amount), as 訪問看護 leaflets print them."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("IPAexGothic", str(IPAEX)))
    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    c.setFont("IPAexGothic", 10)
    c.drawString(40, 800, "訪問看護 料金表  1単位:11.12円(2級地)")
    xs = [40, 150, 220, 290, 375, 460, 545]
    header = ["提供時間", "介護単位数", "予防単位数", "1割負担", "2割負担", "3割負担"]
    top, y = 780, 780 - 20
    for k, w in enumerate(header):
        _edges(c, xs[k], y, xs[k + 1], top)
        c.drawString(xs[k] + 3, top - 13, w)
    for band, units, lines in STACKED:
        h = 32
        for k in range(6):
            _edges(c, xs[k], y - h, xs[k + 1], y)
        c.drawString(xs[0] + 3, y - 13, band)
        c.drawString(xs[1] + 3, y - 13, str(units[0]))
        c.drawString(xs[2] + 3, y - 13, str(units[1]))
        for j, amounts in enumerate(lines):
            for k, a in enumerate(amounts):
                c.drawString(xs[3 + k] + 3, y - 13 - j * 13, f"{a:,}円")
        y -= h
    c.showPage()
    c.save()


def _shares(units: int) -> tuple[int, int, int]:
    from decimal import ROUND_FLOOR, Decimal

    total = int((Decimal(units) * Decimal("11.12")).to_integral_value(ROUND_FLOOR))
    return tuple(total - int((Decimal(total) * Decimal(10 - n) / 10).to_integral_value(ROUND_FLOOR)) for n in (1, 2, 3))


STACKED = [(band, (u, p), (_shares(u), _shares(p))) for band, u, p in
           [("20分未満", 314, 303), ("30分未満", 471, 451), ("30分以上1時間未満", 823, 794)]]


def test_two_rows_stacked_in_each_ruled_row_are_read_with_their_own_units(tmp_path):
    """Each share cell's second line is the row of the second units column: six rows, each
    with the units its amounts are the shares of."""
    pytest.importorskip("reportlab")
    if not IPAEX.exists():
        pytest.skip("fonts-ipaexfont-gothic is not installed")
    path = tmp_path / "stacked.pdf"
    _make_stacked(path)
    rows = extract(path).rows
    got = sorted((r.time_band, r.units, tuple(r.amounts.get(k) for k in ("copay1", "copay2", "copay3")))
                 for r in rows)
    want = sorted((band, u, lines[j]) for band, units, lines in STACKED for j, u in enumerate(units))
    assert [(u, a) for _, u, a in got] == [(u, a) for _, u, a in want], got
    # the second units column is headed 予防: its rows are the 介護予防 service's
    services = {r.units: r.service for r in rows}
    assert {services[u] for _, (_, u), _ in STACKED} == {"介護予防訪問看護"}, services
    assert {services[u] for _, (u, _), _ in STACKED} == {"訪問看護"}, services


def test_a_ruled_heading_over_its_shares_names_each_share_column(tmp_path):
    """'利用者負担額' in one ruled cell over the three cells '1割' '2割' '3割' of the header's
    second line: the shares are the columns, the heading names each of them."""
    pytest.importorskip("reportlab")
    if not IPAEX.exists():
        pytest.skip("fonts-ipaexfont-gothic is not installed")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    path = tmp_path / "grouped_header.pdf"
    pdfmetrics.registerFont(TTFont("IPAexGothic", str(IPAEX)))
    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    c.setFont("IPAexGothic", 10)
    c.drawString(40, 800, "訪問介護 基本料金  1単位:10.21円")
    xs = [40, 120, 260, 310, 380, 450, 520, 580]
    top, h = 780, 20
    for k, w in [(0, "サービス内容"), (1, "所要時間"), (5, "基本利用料"), (6, "基本単位数")]:
        _edges(c, xs[k], top - 2 * h, xs[k + 1], top)
        c.drawString(xs[k] + 3, top - 14, w)
    _edges(c, xs[2], top - h, xs[5], top)
    c.drawString(xs[2] + 60, top - 14, "利用者負担額")
    for k, w in [(2, "1割"), (3, "2割"), (4, "3割")]:
        _edges(c, xs[k], top - 2 * h, xs[k + 1], top - h)
        c.drawString(xs[k] + 3, top - h - 14, w)
    data = [("身体介護", "20分未満", 163), ("", "20分以上30分未満", 244), ("生活援助", "20分以上45分未満", 179)]
    y = top - 2 * h
    want = []
    for name, band, units in data:
        from decimal import ROUND_FLOOR, Decimal

        total = int((Decimal(units) * Decimal("10.21")).to_integral_value(ROUND_FLOOR))
        shares = [total - int((Decimal(total) * Decimal(10 - n) / 10).to_integral_value(ROUND_FLOOR)) for n in (1, 2, 3)]
        cells = [name, band, *(f"¥{v:,}" for v in shares), f"¥{total:,}", str(units)]
        for k, w in enumerate(cells):
            _edges(c, xs[k], y - h, xs[k + 1], y)
            if w:
                c.drawString(xs[k] + 3, y - 14, w)
        want.append((units, {"copay1": shares[0], "copay2": shares[1], "copay3": shares[2], "total": total}))
        y -= h
    c.showPage()
    c.save()
    assert [(r.units, dict(r.amounts)) for r in extract(path).rows] == want




NOTED = {
    "units": [["サービス区分", "時間", "所定単位数", "1割", "2割", "3割"], ["", "", "（単位）", "", "", ""],
              ["身体介護", "20分未満", "163", "¥186", "¥372", "¥558"],
              ["", "20分~30分未満", "244", "¥279", "¥557", "¥835"]],
    "copay": [["サービスの種類", "利用時間", "利用者", "10割"], ["", "", "負担額", ""],
              ["重度訪問介護", "1時間未満", "¥203", "¥2,027(186単位)"],
              ["", "1時間以上1時間30分未満", "¥302", "¥3,019(277単位)"]],
}


def _make_noted(path: Path, rows: list[list[str]]) -> None:
    """A ruled table (reportlab's grid, cells centred in their height, the service's name in
    a cell merged over its rows) whose header is two rows: one name over a word of its own
    ('所定単位数' over '(単位)'), every other name in a cell merged over both rows, printed
    between the two."""
    from reportlab.lib import colors

    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, 0), "CENTER"),
             ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (0, 2), (0, len(rows) - 1)),
             *(("SPAN", (c, 0), (c, 1)) for c, t in enumerate(rows[1]) if not t)]
    table_pdf(path, "■ 料金表 1単位:10.90円", rows, style)


@pytest.mark.parametrize("kind", sorted(NOTED))
def test_a_header_cell_second_line_names_its_own_column_only(tmp_path, kind):
    """'(単位)' under '所定単位数', or '負担額' under '利用者', the other names on one line: the
    word below completes its own column's name, not every column's ('1割 (単位)', '10割 負担額')."""
    needs_reportlab()
    path = tmp_path / "noted.pdf"
    _make_noted(path, NOTED[kind])
    res = extract(path)
    got = [(r.time_band, r.units, dict(r.amounts)) for r in res.rows]
    if kind == "units":
        assert got == [("20分未満", 163, {"copay1": 186, "copay2": 372, "copay3": 558}),
                       ("20分以上30分未満", 244, {"copay1": 279, "copay2": 557, "copay3": 835})], got
    else:
        assert got == [("1時間未満", 186, {"copay1": 203, "total": 2027}),
                       ("1時間以上1時間30分未満", 277, {"copay1": 302, "total": 3019})], got


def test_stacked_amounts_a_narrow_cell_wrapped_are_split_again():
    """A share cell too narrow for '668 円' over '632円' wraps them as '668 円632' over '円':
    the same two amounts, one for each row (as the other share cells print them)."""
    from extractor.sources.pdf import _stacked

    cells = ["(B)\n40分/回", "訪問看護Ⅰ５ ×２", "588", "568", "668 円632\n円", "1308円\n1264円", "1962円\n1895円"]
    assert _stacked(cells) == [["(B)40分/回", "訪問看護Ⅰ５ ×２", "588", "568", "668 円", "1308円", "1962円"],
                               ["", "", "", "", "632円", "1264円", "1895円"]]


def test_a_label_wrapped_onto_its_last_digit_does_not_stop_the_stacked_rows():
    """'訪問看護Ⅰ５・２超 ×' over '３' is a label wrapped in its cell, not a value stacked."""
    from extractor.sources.pdf import _stacked

    cells = ["(C)\n60分/回", "訪問看護Ⅰ５・２超 ×\n３", "795", "426", "904 円\n474円", "1768円\n―", "2652円\n―"]
    got = _stacked(cells)
    assert got is not None and [row[4:] for row in got] == [["904 円", "1768円", "2652円"], ["474円", "―", "―"]]
