"""Cells that stack several rows, one value a line (a web page's ``370<br>423<br>479``, a Word
cell of one paragraph a value, a spreadsheet cell wrapped at each value), are read as those
rows, in HTML, Word and Excel alike; a name wrapped over two lines stays one name."""

from __future__ import annotations

from extractor.pipeline import extract
from extractor.sources.cells import Grid, unstack

LEVELS = ["要介護1", "要介護2", "要介護3"]
UNITS = ["370", "423", "479"]
TOTALS = ["3,866円", "4,420円", "5,005円"]
COPAYS = ["387円", "442円", "501円"]
WANT = [("要介護1", 370, 3866, 387), ("要介護2", 423, 4420, 442), ("要介護3", 479, 5005, 501)]
TITLE = "通所介護(通常規模型) 1単位の単価 10.45円"
HEADER = ["提供時間", "要介護度", "単位数", "利用料", "1割負担"]


def facts(res):
    return sorted((r.care_levels[0], r.units, r.amounts.get("total"), r.amounts.get("copay1"))
                  for r in res.rows if r.kind == "base")


def test_html_cells_stacked_by_br_are_one_row_a_line(tmp_path):
    br = "<br>".join
    page = tmp_path / "fees.html"
    page.write_text(
        f"<html><head><meta charset='utf-8'></head><body><h2>{TITLE}</h2><table>"
        f"<tr>{''.join(f'<th>{h}</th>' for h in HEADER)}</tr>"
        f"<tr><td>3時間以上<br>4時間未満</td><td>{br(LEVELS)}</td><td>{br(UNITS)}</td>"
        f"<td>{br(TOTALS)}</td><td>{br(COPAYS)}</td></tr></table></body></html>", encoding="utf-8")
    res = extract(page)
    assert facts(res) == WANT
    assert {r.time_band for r in res.rows} == {"3時間以上4時間未満"}  # the wrapped band stays one name
    assert [r.source.cell for r in res.rows] == [f"table 1 row 2 line {i}" for i in (1, 2, 3)]


def test_word_cells_of_one_paragraph_a_value(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE)
    t = d.add_table(rows=2, cols=5)
    for c, h in enumerate(HEADER):
        t.cell(0, c).text = h
    for c, lines in enumerate([["3時間以上", "4時間未満"], LEVELS, UNITS, TOTALS, COPAYS]):
        cell = t.cell(1, c)
        cell.text = lines[0]
        for x in lines[1:]:
            cell.add_paragraph(x)
    path = tmp_path / "fees.docx"
    d.save(path)
    assert facts(extract(path)) == WANT


def test_spreadsheet_cells_wrapped_at_each_value(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append(HEADER)
    ws.append(["3時間以上\n4時間未満", "\n".join(LEVELS), "\n".join(UNITS), "\n".join(TOTALS), "\n".join(COPAYS)])
    path = tmp_path / "fees.xlsx"
    wb.save(path)
    assert facts(extract(path)) == WANT


def test_a_heading_line_over_the_stacked_names_stays_with_each_row():
    grid = Grid([["身体介護\n20分未満\n30分未満", "163\n244", "186円\n279円"]], [[None] * 3], ["table 1 row 3"])
    assert unstack(grid).rows == [["身体介護20分未満", "163", "186円"], ["身体介護30分未満", "244", "279円"]]


def test_rows_that_do_not_stack_values_are_left_whole():
    rows = [["利用者負担\n(1割)", "単位数\n(単位)", "3時間以上\n4時間未満"],  # a header wrapped in its cells
            ["身体介護\n30分未満", "244", "279円"],  # one value, a wrapped name
            ["要介護1\n要介護2", "370\n423", "3,866円"]]  # one column of values only
    grid = Grid(rows, [[None] * 3] * 3, ["a", "b", "c"])
    assert unstack(grid).rows == rows
