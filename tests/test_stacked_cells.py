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


def test_a_two_line_header_with_its_merged_cells_kept_and_a_step_row_of_its_own(tmp_path):
    """A web page's header merged two cells wide over the names and the bands and two rows
    tall over 単位数 and 利用料 (each cell under its own column, not shifted left), and a row
    of its own for the step ('1時間30分以上(30分を増すごとに) | +82 | +911円')."""
    page = tmp_path / "fees.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>訪問介護 2級地 1単位11.12円</p><table>"
        "<tr><th colspan='2' rowspan='2'>サービス区分／所要時間</th><th rowspan='2'>単位数</th>"
        "<th rowspan='2'>利用料<br>（10割）</th><th colspan='2'>利用者負担額</th></tr><tr><th>1割</th><th>2割</th></tr>"
        "<tr><th rowspan='2'>身体介護</th><td>1時間以上<br>1時間30分未満</td><td>567</td><td>6,305円</td><td>631円</td>"
        "<td>1,261円</td></tr>"
        "<tr><td>1時間30分以上<br><small>（30分を増すごとに）</small></td><td>＋82</td><td>＋911円</td><td>＋92円</td>"
        "<td>＋183円</td></tr></table></body></html>", encoding="utf-8")
    res = extract(page)
    got = [(r.item, r.time_band, r.units, r.step and (r.step.units, r.step.minutes), r.amounts_for, dict(r.amounts))
           for r in res.rows]
    assert got == [
        ("身体介護", "1時間以上1時間30分未満", 567, None, "base", {"total": 6305, "copay1": 631, "copay2": 1261}),
        ("身体介護", "1時間30分以上", 82, (82, 30), "step", {"total": 911, "copay1": 92, "copay2": 183})]


def test_a_base_with_its_step_beside_it_in_the_same_cells_is_one_row():
    """'921' over '(以降30分ごとに+83)' and '¥9,873' over '+¥889': one row and its step, not two rows."""
    rows = [["3時間以上", "921\n(以降30分ごとに+83)", "¥9,873\n+¥889", "¥987\n+¥88"]]
    assert unstack(Grid(rows, [[None] * 4], ["r"])).rows == rows


def test_a_base_printed_with_its_step_in_brackets(tmp_path):
    page = tmp_path / "fees.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>居宅介護 1単位10.72円</p><table>"
        "<tr><th>サービス</th><th>所要時間</th><th>単位数</th><th>10割</th><th>1割負担</th></tr>"
        "<tr><th rowspan='2'>身体介護</th><td>2時間30分以上<br>3時間未満</td><td>837</td><td>¥8,972</td><td>¥897</td></tr>"
        "<tr><td>3時間以上</td><td>921<br><small>（以降30分ごとに＋83）</small></td><td>¥9,873<br><small>＋¥889</small></td>"
        "<td>¥987<br><small>＋¥88</small></td></tr></table></body></html>", encoding="utf-8")
    res = extract(page)
    last = res.rows[-1]
    assert (last.time_band, last.units, last.step.units, last.step.minutes, last.amounts.get("total")) == (
        "3時間以上", 921, 83, 30, 9873)


def test_service_named_over_a_group_of_columns_is_its_rows_service(tmp_path):
    """介護 and 予防 side by side under headings naming each service: the 予防 group's rows are
    介護予防訪問看護's."""
    page = tmp_path / "side.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><h2>訪問看護 基本料金</h2><p>1単位＝11.05円</p><table>"
        "<tr><th rowspan='2'>所要時間</th><th colspan='2'>要介護1～5の方（訪問看護）</th>"
        "<th colspan='2'>要支援1・2の方（介護予防訪問看護）</th></tr>"
        "<tr><th>単位数</th><th>1割負担</th><th>単位数</th><th>1割負担</th></tr>"
        "<tr><th>20分未満</th><td>314</td><td>347円</td><td>303</td><td>335円</td></tr></table></body></html>",
        encoding="utf-8")
    res = extract(page)
    assert [(r.service, r.units, r.amounts.get("copay1")) for r in res.rows] == [
        ("訪問看護", 314, 347), ("介護予防訪問看護", 303, 335)]
