"""The general table reader on the plain tables providers publish: each test is one kind
of table (not one document), written here in a few lines with its exact reading."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.pipeline import extract

from .pdfs import needs_reportlab, table_pdf


def read(tmp_path, text: str, name: str = "doc.txt", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return extract(p)


def facts(res):
    return [(r.item, tuple(r.care_levels), r.time_band, r.units, dict(r.amounts)) for r in res.rows]


def test_cp932_full_width_spaces_and_digits(tmp_path):
    res = read(tmp_path, "サービス　提供時間　単位数　利用料\n"
                         "身体介護　３０分未満　２５６単位　２，６０６円\n"
                         "身体介護　３０分以上１時間未満　４０４単位　４，１１３円\n", encoding="cp932")
    assert res.recognizer == "general-table"
    assert facts(res) == [
        ("身体介護", (), "30分未満", 256, {"total": 2606}),
        ("身体介護", (), "30分以上1時間未満", 404, {"total": 4113}),
    ]


MERGED = """居宅介護 料金表
サービス内容\t提供時間\t単位数\t利用料\t利用者負担額(1割)
\t30分未満\t256\t2,867円\t286円
身体介護\t30分以上1時間未満\t404\t4,524円\t452円
\t1時間以上1時間30分未満\t587\t6,574円\t657円
\t30分未満\t106\t1,187円\t118円
家事援助\t30分以上45分未満\t153\t1,713円\t171円
"""


def test_a_label_centred_in_its_merged_cell_names_every_row_it_spans(tmp_path):
    res = read(tmp_path, MERGED)
    assert [(r.item, r.time_band) for r in res.rows] == [
        ("身体介護", "30分未満"), ("身体介護", "30分以上1時間未満"), ("身体介護", "1時間以上1時間30分未満"),
        ("家事援助", "30分未満"), ("家事援助", "30分以上45分未満"),
    ]
    assert res.rows[0].service == "居宅介護" and res.rows[0].scheme == "shogai"
    assert res.rows[0].amounts == {"total": 2867, "copay1": 286}


def test_a_label_at_the_top_of_its_merged_cell(tmp_path):
    text = MERGED.replace("\t30分未満\t256", "身体介護\t30分未満\t256").replace("身体介護\t30分以上1時間未満", "\t30分以上1時間未満")
    text = text.replace("\t30分未満\t106", "家事援助\t30分未満\t106").replace("家事援助\t30分以上45分未満", "\t30分以上45分未満")
    res = read(tmp_path, text)
    assert [r.item for r in res.rows] == ["身体介護"] * 3 + ["家事援助"] * 2


def test_markdown_care_level_table_with_every_share_and_its_title_band(tmp_path):
    res = read(tmp_path, "# 通所介護 利用料金表（7時間以上8時間未満）\n1単位の単価 10.72円\n\n"
                         "| 要介護度 | 単位数 | 10割 | 1割 | 2割 | 3割 |\n|---|---|---|---|---|---|\n"
                         "| 要介護1 | 658 | 7,053 | 706 | 1,411 | 2,116 |\n"
                         "| 要介護2 | 777 | 8,329 | 833 | 1,666 | 2,499 |\n", name="fees.md")
    assert [f[1:] for f in facts(res)] == [
        (("要介護1",), "7時間以上8時間未満", 658, {"total": 7053, "copay1": 706, "copay2": 1411, "copay3": 2116}),
        (("要介護2",), "7時間以上8時間未満", 777, {"total": 8329, "copay1": 833, "copay2": 1666, "copay3": 2499}),
    ]
    assert res.rows[0].service == "通所介護"
    assert res.rows[0].unit_price == Decimal("10.72")


def test_unruled_list_aligned_with_spaces_and_yen_marks(tmp_path):
    res = read(tmp_path, "訪問介護 料金のご案内\n"
                         "  サービス区分      所要時間              単位     料金      自己負担\n"
                         "  身体介護          20分以上30分未満       244     ¥2,713      ¥272\n"
                         "  生活援助          20分以上45分未満       179     ¥1,990      ¥199\n")
    assert facts(res) == [
        ("身体介護", (), "20分以上30分未満", 244, {"total": 2713, "copay1": 272}),
        ("生活援助", (), "20分以上45分未満", 179, {"total": 1990, "copay1": 199}),
    ]


def test_room_by_care_level_grid_of_copays_named_by_its_title(tmp_path):
    res = read(tmp_path, "介護老人保健施設 ご利用料金（1日あたり・1割負担）\n"
                         "居室区分\t要介護1\t要介護2\t要介護3\n"
                         "従来型個室\t¥717\t¥763\t¥828\n"
                         "多床室\t¥793\t¥843\t¥908\n")
    # (the title names the facility, no fee: the rows are the service's, in their rooms)
    assert [(r.item, r.conditions, r.care_levels, r.amounts) for r in res.rows][:2] == [
        ("介護老人保健施設", ["従来型個室"], ["要介護1"], {"copay1": 717}),
        ("介護老人保健施設", ["従来型個室"], ["要介護2"], {"copay1": 763})]
    assert len(res.rows) == 6 and res.rows[-1].amounts == {"copay1": 908}


def test_units_in_brackets_after_the_fee(tmp_path):
    res = read(tmp_path, "介護区分 | 利用料 | 自己負担額(1割) | 自己負担額(2割) |\n"
                         "要介護1 | 113,783円(10,458 単位) | 11,378円 | 22,757円 |\n")
    assert facts(res) == [("介護区分", ("要介護1",), None, 10458, {"total": 113783, "copay1": 11378, "copay2": 22757})] or \
        facts(res)[0][1:] == (("要介護1",), None, 10458, {"total": 113783, "copay1": 11378, "copay2": 22757})


def test_arithmetic_outweighs_a_misleading_header_and_an_unusual_order(tmp_path):
    # '利用料' here is what the user pays (a tenth), and the 1割 column comes before the units
    res = read(tmp_path, "項目\t利用料\t単位数\t費用\n"
                         "身体介護 30分未満\t272\t244\t2,713\n"
                         "身体介護 30分以上1時間未満\t431\t387\t4,303\n"
                         "生活援助 20分以上45分未満\t199\t179\t1,990\n")
    assert [r.amounts for r in res.rows] == [
        {"copay1": 272, "total": 2713}, {"copay1": 431, "total": 4303}, {"copay1": 199, "total": 1990}]
    assert [r.units for r in res.rows] == [244, 387, 179]
    roles = {c["header"]: (c["role"], c["why"]) for c in res.tables[0]["columns"]}
    assert roles["利用料"][0] == "copay1" and roles["利用料"][1].startswith("arithmetic")


def test_a_header_repeated_on_the_next_page_continues_the_table(tmp_path):
    res = read(tmp_path, "サービス内容\t提供時間\t単位数\t利用料\n身体介護\t30分未満\t244\t2,713円\n\f"
                         "サービス内容\t提供時間\t単位数\t利用料\n\t30分以上1時間未満\t387\t4,303円\n")
    assert [(r.item, r.page) for r in res.rows] == [("身体介護", 1), ("身体介護", 2)]
    assert len(res.tables) == 1


def test_out_of_pocket_rows_and_prose_are_not_tariff_rows(tmp_path):
    res = read(tmp_path, "重要事項説明書\n当事業所のサービスについて説明します。キャンセル料は1,000円です。\n"
                         "項目\t単位数\t利用料\t利用者負担額\n"
                         "入浴介助加算(Ⅰ)\t40\t428円\t43円\n"
                         "食費\t\t650円\t650円\n")
    assert [r.item for r in res.rows] == ["入浴介助加算(Ⅰ)"]
    assert res.rows[0].kind == "addition"


def test_a_limit_column_is_not_a_fee(tmp_path):
    res = read(tmp_path, "要介護度\t単位\t利用料\t利用者負担\t限度額(単位)\n要介護1\t658\t¥7,053\t¥706\t16765\n")
    assert facts(res)[0][1:] == (("要介護1",), None, 658, {"total": 7053, "copay1": 706})


def test_the_parsing_report_names_each_column_role_and_why(tmp_path):
    res = read(tmp_path, MERGED)
    (table,) = res.tables
    assert [c["role"] for c in table["columns"]] == ["item", "time_band", "units", "total", "copay1"]
    assert table["columns"][2]["why"] == "header:単位数"
    assert (table["rows_printed"], table["rows_read"]) == (5, 5)
    assert table["lines"] == [2, 7]


@pytest.mark.parametrize("header", ["単位数\t費用総額\t保険給付額\t自己負担額", "算定単位\t介護報酬額\t給付費\t利用者負担金"])
def test_fee_benefit_and_copay_columns_by_many_spellings(tmp_path, header):
    res = read(tmp_path, f"訪問看護\n項目\t{header}\n訪問看護費 30分未満\t471\t5,237\t4,713\t524\n")
    assert res.rows[0].amounts == {"total": 5237, "benefit": 4713, "copay1": 524}
    assert res.rows[0].units == 471 and res.rows[0].time_band == "30分未満"


def test_verbose_extract_shows_each_tables_parsing_report(tmp_path):
    import subprocess
    import sys

    p = tmp_path / "doc.txt"
    p.write_text(MERGED, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "extractor", "extract", str(p), "-v", "--no-cache", "-o", str(tmp_path / "o.jsonl")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    report = [ln for ln in out.stderr.splitlines() if ln.startswith("  table ")]
    assert report == ["  table lines 2-7: 5 of 5 rows read, price 11.20; サービス内容=item (header:サービス内容) | "
                      "提供時間=time_band (header:提供時間) | 単位数=units (header:単位数) | "
                      "利用料=total (header:利用料) | 利用者負担額(1割)=copay1 (header:1割)"]


def test_a_reading_of_impossible_rows_counts_against_itself():
    """541 units with a full fee of 163 yen: no 1単位の単価 joins them, the numbers were
    paired from the wrong columns, and such rows count against the reading that made them."""
    from types import SimpleNamespace

    from extractor.pipeline import _read

    def row(units, **amounts):
        return SimpleNamespace(units=units, rate=None, step=None, amounts_for="base", amounts=amounts)

    right = SimpleNamespace(rows=[row(163, total=1801, copay1=181)])
    wrong = SimpleNamespace(rows=[row(541, total=163, copay1=1801)])
    misprint = SimpleNamespace(rows=[row(163, total=1800, copay1=181)])  # a yen off: a misprint, not a pairing
    assert _read(right) == 4 and _read(wrong) == -2 and _read(misprint) == 3


WRAPPED_RATE = """通所介護 ご利用料金
通所介護費
(単位:時間)
3~4未満4~5未満5~6未満6~7未満備考
要介護1 370単位 388単位 570単位 584単位
397円 416円 611円 626円 利用者負担金
要介護2 423単位 444単位 673単位 689単位
454円 476円 722円 739円 利用者負担金
入浴介助加算Ⅰ 40単位
43円 利用者負担金
介護職員等 所定単位数の9.2%
処遇改善加算Ⅱ 所定単位数の9.2%×10.72円の負担割相当額 利用者負担金
"""


def test_a_rate_whose_name_wraps_onto_the_line_that_prints_its_rate_again(tmp_path):
    """'介護職員等 …9.2%' over '処遇改善加算Ⅱ …9.2%×…': one addition, its name whole, its rate
    read once; the rows above keep their own names and amounts."""
    res = read(tmp_path, WRAPPED_RATE)
    rated = [(r.item, r.rate) for r in res.rows if r.rate is not None]
    assert rated == [("介護職員等処遇改善加算(Ⅱ)", Decimal("0.092"))], rated
    assert ("入浴介助加算(Ⅰ)", 40, {"copay1": 43}) in [(r.item, r.units, dict(r.amounts)) for r in res.rows]


def test_rates_on_two_lines_that_differ_are_not_joined(tmp_path):
    """The second line prints another rate: not the same fee's rate printed again, so no row
    is made by joining the two names (nothing is guessed)."""
    res = read(tmp_path, WRAPPED_RATE.replace("所定単位数の9.2%×", "所定単位数の8.3%×"))
    assert not [r for r in res.rows if r.rate is not None and "処遇改善" in (r.item or "")], \
        [(r.item, r.rate) for r in res.rows]


def test_time_of_day_surcharges_stated_in_a_note(tmp_path):
    """'※ 早朝(…)・夜間(…)は25%増、深夜(…)は50%増': one rate row per clause, named by its times of
    day without their hours; a sentence naming no time of day gives none."""
    res = read(tmp_path, "訪問看護 料金表\n"
                         "サービス内容\t単位数\t利用者負担額(1割)\n"
                         "訪問看護Ⅰ2\t471\t524円\n"
                         "※ 早朝(6時~8時)・夜間(18時~22時)は25%増、深夜(22時~翌6時)は50%増となります。\n"
                         "※ 中山間地域にお住まいの方は交通費が1回500円です。\n")
    assert [(r.item, r.rate) for r in res.rows if r.rate is not None] == [
        ("早朝・夜間", Decimal("0.25")), ("深夜", Decimal("0.5"))]


GROUPED = """訪問看護 料金表
1単位:11.12円
介護保険(介護予防も同様)\tサービス内容略称\t単位数\t利用者負担額(1割)\t利用者負担額(2割)
訪問看護費\t訪問看護Ⅰ1\t314\t350円\t699円
\t訪問看護Ⅰ2\t471\t524円\t1048円
緊急訪問看護加算(月1回)\t緊急時訪問看護加算(Ⅰ)\t600\t668円\t1335円
複数名訪問加算\t30分未満\t254\t283円\t565円
(1回につき)\t30分以上\t402\t448円\t895円
"""


def test_words_in_a_column_the_header_gives_no_role_are_the_rows_group(tmp_path):
    """A column whose header names no role ('介護保険(介護予防も同様)') holds a label merged down
    the rows ('訪問看護費') and, further down, each addition's long name: it goes into the
    rows' labels until the next label in that column, and it is the name of a row whose
    name column holds a band instead ('複数名訪問加算' over '30分未満' and '30分以上'); a
    basis alone ('(1回につき)') is no name."""
    res = read(tmp_path, GROUPED)
    got = [(r.item, r.time_band, r.units, r.label.split("料金表 ")[-1]) for r in res.rows]
    assert got == [
        ("訪問看護(Ⅰ)1", None, 314, "訪問看護費 訪問看護Ⅰ1"),
        ("訪問看護(Ⅰ)2", None, 471, "訪問看護費 訪問看護Ⅰ2"),
        ("緊急時訪問看護加算(Ⅰ)", None, 600, "緊急訪問看護加算(月1回) 緊急時訪問看護加算(Ⅰ)"),
        ("複数名訪問加算", "30分未満", 254, "複数名訪問加算"),
        ("複数名訪問加算", "30分以上", 402, "複数名訪問加算"),
    ], got


def test_a_long_band_running_under_the_next_columns_short_header_stays_in_its_own_column():
    """A PDF row whose name and band (the band with its step note, wider than its column) are
    a narrow gap apart, one measured cell reaching under the next column's short header: each
    word goes to the column of its kind that no other cell of the row holds."""
    from extractor.reading.columns import Column
    from extractor.reading.rows import assign
    from extractor.sources.base import Line
    from extractor.tables.cells import Cell, Row

    cols = [Column(0, 68, 88, "内容", "item"), Column(1, 238, 258, "時間", "time_band"),
            Column(2, 391, 427, "1割負担", "copay1"), Column(3, 446, 466, "単位", "units")]
    line = Line.of("x", 1, 1)
    row = Row(line, [Cell("重度訪問介護 4時間以上8時間未満(30分を増すごとに+85単位)", 48, 413), Cell("850円", 413, 445),
                     Cell("821", 452, 471)], aligned=True, placed=True)
    assert [(k.header, c.text) for k, c in assign(row, cols, True)] == [
        ("内容", "重度訪問介護"), ("時間", "4時間以上8時間未満(30分を増すごとに+85単位)"), ("1割負担", "850円"), ("単位", "821")]


@pytest.mark.parametrize("texts, role", [
    (["利用者負担", "2割"], "copay2"),  # a group heading that the PDF placed over the middle share only
    (["利用者負担額", "3割"], "copay3"),
    (["利用者負担", "(1割)"], "copay1"),
    (["自己負担", "(円)"], "copay1"),  # no share: the heading names it
])
def test_a_share_under_a_copay_heading_says_which_copay(texts, role):
    from extractor.tables.cells import Cell
    from extractor.tables.structure import _column

    assert _column(0, Cell("", 0, 1), texts).role == role


@pytest.mark.parametrize("text, cells", [
    ("1割負 所定単位", ["1割負", "所定単位"]),  # two names wrapped in narrow boxes ('担', '数' on the line below), a narrow gap apart
    ("利用料 (円)", ["利用料", "(円)"]),
    ("訪問介護 利用料", ["訪問介護 利用料"]),  # a service and a fee word: a title
])
def test_a_lone_header_cell_with_two_value_names_a_narrow_gap_apart_is_two_cells(text, cells):
    from extractor.sources.base import Line
    from extractor.tables.cells import Cell, Row
    from extractor.tables.structure import _split_names

    row = Row(Line.of(text, 1, 1), [Cell(text, 329, 402)], aligned=True, placed=True)
    assert [c.text for c in _split_names(row).cells] == cells


def test_titles_side_by_side_over_tables_read_one_after_the_other_title_each_its_own(tmp_path):
    """Two titles on one line (a sheet or page laying two tables side by side, printed so that
    the titles share a line and the tables are read one after the other): the first titles the
    first table, the second the table whose header comes next, not both titles the first."""
    res = read(tmp_path, "さくらデイサービスセンター\n1単位の単価 10.68円\n■ 通所介護 基本料金\t■ 加算\n"
                         "要介護度\t単位数\t利用料\n要介護1\t658単位\t7,027円\n要介護2\t777単位\t8,298円\n"
                         "加算名\t単位数\t利用料\n入浴介助加算(Ⅰ)\t40単位\t427円\n")
    assert [(r.item, r.label, r.kind, r.units) for r in res.rows] == [
        ("通所介護 基本料金", "通所介護 基本料金", "base", 658), ("通所介護 基本料金", "通所介護 基本料金", "base", 777),
        ("入浴介助加算(Ⅰ)", "入浴介助加算(Ⅰ)", "addition", 40)]


@pytest.mark.parametrize("text, cells", [
    ("要介護3~5 683", ["要介護3~5", "683"]),  # the units a narrow gap after the care levels
    ("要介護1・2 316", ["要介護1・2", "316"]),
    ("要介護5 (1割)1,099/(2割)2,198/(3割)3,297 1,008", ["要介護5 (1割)1,099/(2割)2,198/(3割)3,297", "1,008"]),  # after the copays
    ("1月につき 200", ["1月につき", "200"]),
    ("居宅介護支援費 1086", ["居宅介護支援費 1086"]),  # a name then a number: not known to be two cells
])
def test_a_bare_number_a_narrow_gap_after_a_key_or_the_copays_is_a_cell_of_its_own(text, cells):
    from extractor.sources.base import Line
    from extractor.tables.cells import split

    assert [c.text for c in split(Line.of(text, 1, 1, spans=[(100.0, 300.0)])).cells] == cells


def _placed_rows(rows):
    from extractor.sources.base import Line
    from extractor.tables.cells import Cell, Row

    return [Row(Line.of("\t".join(t for t, _, _ in cells), n, 1), [Cell(t, a, b) for t, a, b in cells], aligned=True, placed=True)
            for n, cells in enumerate(rows, start=1)]


def test_a_wider_table_under_a_narrow_one_is_not_beside_it():
    """A strip no cell crosses runs down right of a narrow grid; the additions under it are
    wider, their names left of the strip and their basis and amount right of it. Each
    addition's row begins with its name: the table is under the grid, not beside it. Rows
    right of the strip with nothing left of it are a table beside."""
    from extractor.tables.structure import _gutter

    grid = [[(f"要介護{k}", 48, 88), (str(700 + k), 120, 150), (str(800 + k), 182, 212)] for k in range(1, 6)]
    under = [[(name, 48, 198), ("1日につき", 245, 285), (str(u), 330, 340)]
             for name, u in [("サービス提供体制強化加算(Ⅰ)", 24), ("サービス提供体制強化加算(Ⅱ)", 20), ("所定疾患施設療養費(Ⅱ)", 515)]]
    beside = [[(name, 250, 300), ("1日につき", 310, 340), (str(u), 350, 360)]
              for name, u in [("入浴介助加算", 40), ("栄養改善加算", 200), ("療養食加算", 7)]]
    assert _gutter(_placed_rows(grid + under)) is None
    assert _gutter(_placed_rows(grid + beside)) is not None


def test_a_heading_over_the_shares_on_the_header_second_line(tmp_path):
    """'ご利用者負担（円）' over '1割 2割 3割', beside headings over one note each ('単位' over
    '（単位）'): the lower line has more cells than the upper, and the heading above the first
    share takes the shares after it, so each share keeps its column."""
    res = read(tmp_path, "内容\t時間区分\t単位\tサービス費用\tご利用者負担（円）\n"
                         "\t\t（単位）\t（円）\t1割\t2割\t3割\n"
                         "\t２０分未満\t３１４\t３，２０５\t３２１\t６４１\t９６２\n"
                         "訪問看護\t３０分未満\t４７１\t４，８０８\t４８１\t９６２\t１，４４３\n")
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (314, {"total": 3205, "copay1": 321, "copay2": 641, "copay3": 962}),
        (471, {"total": 4808, "copay1": 481, "copay2": 962, "copay3": 1443}),
    ], facts(res)


def test_aligned_header_second_line_of_notes_run_together(tmp_path):
    """Text aligned with spaces whose header's second line holds notes run together under the
    names they complete ('(1割)（円）' under '利用者負担額', '（円）' under '総額'): one header,
    not a second table with a column of no name."""
    res = read(tmp_path, "内容             時間                   利用者負担額   総額\n"
                         "                                        (1割)（円）    （円）\n"
                         "身体介護         20分未満                        181   1801(163単位)\n"
                         "身体介護         20分〜30分未満                  270   2696(244単位)\n")
    assert facts(res) == [
        ("身体介護", (), "20分未満", 163, {"copay1": 181, "total": 1801}),
        ("身体介護", (), "20分以上30分未満", 244, {"copay1": 270, "total": 2696}),
    ]


def test_a_two_line_header_copied_a_cell_to_a_line_whose_upper_words_are_cut(tmp_path):
    """A web table copied one cell to a line, its header printed on two lines: the upper
    line's cells ('所定', '1割負'), then the lower line's ends of them ('単位数', '担'). A
    word that names nothing until the line below completes it is still part of the header."""
    cells = ["内容", "サービス提供時間", "所定", "1割負", "2割負", "3割負", "単位数", "担", "担", "担",
             "訪問看護", "２０分未満", "３１４単位", "￥３１４", "￥６２８", "￥９４２",
             "訪問看護", "３０分未満", "４７１単位", "￥４７１", "￥９４２", "￥１４１３"]
    res = read(tmp_path, "■ 訪問看護 基本料金\n\n" + "\n".join(cells) + "\n")
    assert facts(res) == [
        ("訪問看護", (), "20分未満", 314, {"copay1": 314, "copay2": 628, "copay3": 942}),
        ("訪問看護", (), "30分未満", 471, {"copay1": 471, "copay2": 942, "copay3": 1413}),
    ]


def test_a_header_word_wrapped_before_its_last_character(tmp_path):
    """'サービス利用料' / '金' and '算定' / '単位' printed on two lines and copied a cell to a
    line: the last character of a word the list knows without it completes that word."""
    cells = ["時間区分", "介護区分", "算定", "サービス利用料", "単位", "金",
             "5時間～6時間未満", "要介護1", "570単位", "5956円", "要介護2", "673単位", "7032円"]
    res = read(tmp_path, "■ 通所介護 基本料金\n\n" + "\n".join(cells) + "\n")
    assert [f[1:] for f in facts(res)] == [
        (("要介護1",), "5時間以上6時間未満", 570, {"total": 5956}),
        (("要介護2",), "5時間以上6時間未満", 673, {"total": 7032}),
    ], facts(res)
    assert {r.service for r in res.rows} == {"通所介護"}


def test_full_width_header_second_line_of_shares_then_notes_run_together(tmp_path):
    """Cells a full-width space apart; the header's second line holds the copay's shares then
    the next columns' notes run together ('（全額）（円）'), its empty cells left out."""
    res = read(tmp_path, "サービスの種類　時間区分　利用者負担額（円）　10割　算定単位\n"
                         "　　1割　2割　3割　（全額）（円）\n"
                         "訪問看護　２０分未満　３２１　６４１　９６２　３２０５　３１４単位\n")
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (314, {"copay1": 321, "copay2": 641, "copay3": 962, "total": 3205})], facts(res)


@pytest.mark.parametrize("header, lower", [
    ("項目 利用時間 ご負担 報酬額 9割所定", "額 単位数"),  # a share run onto the start of the next name
])
def test_run_together_header_cut_at_the_line_end(tmp_path, header, lower):
    """A web page's header copied with one space between cells and wrapped mid-word: a share
    glued to the start of the next column's name ('9割所定') and names run together whose
    last one the line's end cut are taken apart, and the line below completes them."""
    res = read(tmp_path, f"■ 居宅介護 基本料金\n{header}\n{lower}\n"
                         "身体介護 ３０分未満¥２５６¥２，５６０¥２，３０４ ２５６単位\n"
                         "３０分以上１時間未満¥４０４¥４，０４０¥３，６３６ ４０４単位\n")
    assert [(r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("30分未満", 256, {"copay1": 256, "total": 2560, "benefit": 2304}),
        ("30分以上1時間未満", 404, {"copay1": 404, "total": 4040, "benefit": 3636}),
    ], facts(res)


def test_run_together_names_whose_last_one_the_line_end_cut(tmp_path):
    """'報酬単位利用者' over '数 負担額': two names run together, the line's end cutting the
    second; the lower line's words complete each in order."""
    res = read(tmp_path, "■ 居宅介護 基本料金\n項目 サービス提供時間 報酬単位利用者\n数 負担額\n"
                         "身体介護 30分未満256単位￥256\n身体介護 30分～1時間未満404単位￥404\n")
    assert [(r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("30分未満", 256, {"copay1": 256}), ("30分以上1時間未満", 404, {"copay1": 404})], facts(res)


def test_a_heading_over_column_keys_copied_a_cell_to_a_line(tmp_path):
    """'区分' (the rows' care levels) and '居室区分' over '従来型個室' '多床室', one cell to a
    line: the room heading names the value columns, each by its own room."""
    cells = ["区分", "居室区分", "従来型個室", "多床室", "要介護１", "８４４７円", "９３３７円",
             "要介護２", "９２５１円", "１０１５１円"]
    res = read(tmp_path, "■ 介護老人保健施設 基本料金（10割）\n\n" + "\n".join(cells) + "\n")
    assert [(r.item, tuple(r.care_levels), dict(r.amounts)) for r in res.rows] == [
        ("従来型個室", ("要介護1",), {"total": 8447}), ("多床室", ("要介護1",), {"total": 9337}),
        ("従来型個室", ("要介護2",), {"total": 9251}), ("多床室", ("要介護2",), {"total": 10151}),
    ], facts(res)


def test_a_rate_row_copied_a_cell_to_a_line_ends_after_its_rate(tmp_path):
    """A list of additions one cell to a line whose last row is a rate ('所定単位数×145/1000'):
    three cells under a five-column header. The header is read whole, not as three columns
    whose rows' values fall onto lines of their own."""
    cells = ["加算項目", "備考", "基本単位数", "サービス利用料金（円）", "利用者負担(円)",
             "初回加算", "1月につき", "200", "2,280", "(1割)228/(2割)456/(3割)684",
             "口腔連携強化加算", "1回につき", "50", "570", "(1割)57/(2割)114/(3割)171",
             "介護職員等処遇改善加算(Ⅳ)", "1月につき", "所定単位数×145/1000"]
    res = read(tmp_path, "■ 訪問介護 加算\n\n" + "\n".join(cells) + "\n")
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows if r.units] == [
        ("初回加算", 200, {"total": 2280, "copay1": 228, "copay2": 456, "copay3": 684}),
        ("口腔連携強化加算", 50, {"total": 570, "copay1": 57, "copay2": 114, "copay3": 171}),
    ], facts(res)


def test_notes_run_together_complete_a_header_copied_a_cell_to_a_line(tmp_path):
    """'(円)' '(円)' '(1割)(円)' under '利用料金 給付費 利用者負担', a cell to a line, with the
    first rows' label merged lower down: the run-together notes are the header's, never a
    row's label."""
    cells = ["サービス区分", "利用時間", "利用料金", "給付費", "利用者負担", "（円）", "（円）", "（1割）（円）",
             "２０分未満", "１７６６(１６３単位)", "１５８９", "１７７",
             "身体介護", "２０分以上３０分未満", "２６４４(２４４単位)", "２３７９", "２６５",
             "３０分以上１時間未満", "４１９５(３８７単位)", "３７７５", "４２０"]
    res = read(tmp_path, "■ 訪問介護 基本料金\n\n" + "\n".join(cells) + "\n")
    assert [(r.item, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("身体介護", "20分未満", 163, {"total": 1766, "benefit": 1589, "copay1": 177}),
        ("身体介護", "20分以上30分未満", 244, {"total": 2644, "benefit": 2379, "copay1": 265}),
        ("身体介護", "30分以上1時間未満", 387, {"total": 4195, "benefit": 3775, "copay1": 420}),
    ], facts(res)


@pytest.mark.parametrize("line, cells", [
    ("通院等介助(身体介護を伴わない)30分未満106", ("通院等介助(身体介護を伴わない)", "30分未満", "106")),
    ("要介護3・4・5 14110(1411単位)", ("要介護3・4・5", "14110(1411単位)")),
])
def test_run_together_keys(line, cells):
    """A name glued to its time band, and care levels with their one value a space apart,
    are cells."""
    from extractor.tables.loose import loose_cells
    assert loose_cells(line) == cells


def test_the_end_of_a_header_word_is_not_the_first_row_label(tmp_path):
    """'利用者負担' / '額' copied a cell to a line, the first rows' label merged lower down:
    '額' ends the header's word; it is not the label of the first row."""
    cells = ["サービス内容", "サービス提供時間", "利用者負担", "単位数", "額",
             "６０分未満", "１８６円", "１８６単位", "６０分以上９０分未満", "２７７円", "２７７単位",
             "重度訪問介護", "９０分以上１２０分未満", "３６９円", "３６９単位"]
    res = read(tmp_path, "■ 重度訪問介護 基本料金\n\n" + "\n".join(cells) + "\n")
    assert [(r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("1時間未満", 186, {"copay1": 186}), ("1時間以上1時間30分未満", 277, {"copay1": 277}),
        ("1時間30分以上2時間未満", 369, {"copay1": 369})], facts(res)
    assert {r.item for r in res.rows} == {"重度訪問介護"}


def test_a_heading_over_time_bands_copied_a_cell_to_a_line(tmp_path):
    """'介護区分' then 'サービス提供時間' over six time bands, a cell to a line: each band names
    its value column, and '介護区分' is over the rows' care levels."""
    bands = ["3時間以上4時間未満", "4時間以上5時間未満", "5時間以上6時間未満",
             "6時間以上7時間未満", "7時間以上8時間未満", "8時間以上9時間未満"]
    units = {"要介護1": [370, 388, 570, 584, 658, 669], "要介護2": [423, 444, 673, 689, 777, 791]}
    cells = ["介護区分", "サービス提供時間", *bands]
    for level, us in units.items():
        cells += [level, *(f"{u}単位" for u in us)]
    res = read(tmp_path, "■ 通所介護 基本料金（1日につき）\n\n" + "\n".join(cells) + "\n")
    got = [(r.care_levels[0], r.time_band, r.units) for r in res.rows]
    assert len(got) == 12 and got[:2] == [("要介護1", "3時間以上4時間未満", 370),
                                            ("要介護1", "4時間以上5時間未満", 388)], facts(res)
    assert sorted(u for *_, u in got) == sorted(u for us in units.values() for u in us)


def test_shares_on_the_lower_line_of_a_header_copied_a_cell_to_a_line(tmp_path):
    """'利用者負担（円）' over '1割 2割 3割', with notes under the columns after it, a cell to a
    line: the three shares are the lower line's, none of them ends the upper line."""
    cells = ["内容", "時間", "利用者負担（円）", "費用額", "単位", "1割", "2割", "3割", "（円）", "（単位）",
             "身体介護", "30分未満", "273", "546", "819", "2,728", "244",
             "身体介護", "30分以上1時間未満", "433", "866", "1,299", "4,325", "387"]
    res = read(tmp_path, "■ 訪問介護 料金表\n\n" + "\n".join(cells) + "\n")
    assert [(r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("30分未満", 244, {"copay1": 273, "copay2": 546, "copay3": 819, "total": 2728}),
        ("30分以上1時間未満", 387, {"copay1": 433, "copay2": 866, "copay3": 1299, "total": 4325}),
    ], facts(res)


def test_a_longer_header_word_end_is_not_the_first_row_label(tmp_path):
    """'基本' '利用者' over '単位数' '負担額', a cell to a line, the first rows' label merged
    lower down: '負担額' completes '利用者'; it is not the first row's label."""
    cells = ["サービス内容", "提供時間", "基本", "利用者", "単位数", "負担額",
             "30分未満", "244単位", "273円", "身体介護", "30分以上1時間未満", "387単位", "433円",
             "1時間以上1時間30分未満", "567単位", "635円"]
    res = read(tmp_path, "■ 訪問介護 料金表\n\n" + "\n".join(cells) + "\n")
    assert [(r.item, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("身体介護", "30分未満", 244, {"copay1": 273}),
        ("身体介護", "30分以上1時間未満", 387, {"copay1": 433}),
        ("身体介護", "1時間以上1時間30分未満", 567, {"copay1": 635}),
    ], facts(res)


def test_shares_and_a_unit_note_on_the_lower_line_copied_a_cell_to_a_line(tmp_path):
    """'(単位)' '1割' '2割' '3割' under '部屋の種類 介護度 単位数 サービス費用 利用者負担額', a
    cell to a line: the note completes '単位数', the shares are the copay heading's columns."""
    cells = ["部屋の種類", "介護度", "単位数", "サービス費用", "利用者負担額", "（単位）", "1割", "2割", "3割",
             "従来型個室", "要介護１", "７１７", "７，８１５円", "７８２円", "１，５６３円", "２，３４５円",
             "要介護２", "７６３", "８，３１６円", "８３２円", "１，６６４円", "２，４９５円"]
    res = read(tmp_path, "■ 介護老人保健施設 基本料金\n\n" + "\n".join(cells) + "\n")
    assert [(r.item, tuple(r.care_levels), r.units, dict(r.amounts)) for r in res.rows] == [
        ("従来型個室", ("要介護1",), 717, {"total": 7815, "copay1": 782, "copay2": 1563, "copay3": 2345}),
        ("従来型個室", ("要介護2",), 763, {"total": 8316, "copay1": 832, "copay2": 1664, "copay3": 2495}),
    ], facts(res)


@pytest.mark.parametrize("line, cells", [
    ("要介護2¥922¥931", ("要介護2", "¥922", "¥931")),
    ("居室 介護度 1割負担 10割保険給付分 介護報酬単位数", ("居室", "介護度", "1割負担", "10割", "保険給付分", "介護報酬単位数")),
])
def test_run_together_care_level_values_and_benefit_words(line, cells):
    """A care level with its yen glued on is cells, not one key; '保険給付分' is a header word
    of its own after '10割'."""
    from extractor.tables.loose import loose_cells
    assert loose_cells(line) == cells


def test_a_row_with_a_cell_for_every_column_has_no_amounts_run_together(tmp_path):
    """'居宅介護支援費' heads both the names and the fees; a row that prints a cell under every
    column has nothing run together, so '¥11088' is never taken apart ('¥110' '¥88')."""
    text = ("■ 居宅介護支援 基本料金\n\n"
            "居宅介護支援費\t介護度\t居宅介護支援費\t介護保険給付額\n"
            "居宅介護支援費(Ⅰ)(i)\t要介護1・2\t￥11088(1086単位)\t￥11088\n"
            "居宅介護支援費(Ⅰ)(i)\t要介護3・4・5\t￥14406(1411単位)\t￥14406\n")
    res = read(tmp_path, text)
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (1086, {"total": 11088, "benefit": 11088}), (1411, {"total": 14406, "benefit": 14406})], facts(res)
    assert not any(c.rule == "split:run-together-amounts" for r in res.rows for c in r.corrections)


def test_run_together_header_second_line_of_a_note_and_shares(tmp_path):
    """'（単位）1割2割3割' under 'サービス内容 時間区分 基本単位数 費用額 利用者負担額', cells run
    together: the note completes '基本単位数', the shares are the copay heading's columns."""
    text = ("■ 訪問看護 基本料金\n\n"
            "サービス内容 時間区分 基本単位数 費用額 利用者負担額\n"
            "（単位）1割2割3割\n"
            "訪問看護 ２０分未満３１４ ３，４９１円３５０円６９９円１，０４８円\n"
            "訪問看護 ３０分未満４７１ ５，２３７円５２４円１，０４８円１，５７２円\n")
    res = read(tmp_path, text)
    assert [(r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("20分未満", 314, {"total": 3491, "copay1": 350, "copay2": 699, "copay3": 1048}),
        ("30分未満", 471, {"total": 5237, "copay1": 524, "copay2": 1048, "copay3": 1572}),
    ], facts(res)


@pytest.mark.parametrize("line, cells", [
    ("（単位）1割2割3割", ("(単位)", "1割", "2割", "3割")),
    ("安全対策体制加算 入所時1回 21円41円61円20", ("安全対策体制加算", "入所時1回", "21円", "41円", "61円", "20")),
])
def test_run_together_shares_and_a_count_basis(line, cells):
    """Shares run together are one cell each; how often a fee counts ('入所時1回') is a key,
    not a number inside words."""
    from extractor.tables.loose import loose_cells
    assert loose_cells(line) == cells


def test_units_a_narrow_gap_before_their_copays_in_an_unruled_pdf(tmp_path):
    """An unruled table whose units, right-aligned, end a narrow gap before the copays
    written inline ('100 (1割)¥111/(2割)¥221/(3割)¥332'), the units header further left: the
    number is the units column's."""
    needs_reportlab()
    from reportlab.lib import colors

    rows = [["算定項目", "備考", "単位数", "利用者負担"], ["", "", "（単位）", "自己負担額(1割~3割)"],
            ["緊急時訪問介護加算", "1回につき", "100", "(1割)¥111/(2割)¥221/(3割)¥332"],
            ["生活機能向上連携加算(Ⅱ)", "1月につき", "200", "(1割)¥221/(2割)¥442/(3割)¥663"],
            ["認知症専門ケア加算(Ⅱ)", "1日につき", "4", "(1割)¥5/(2割)¥9/(3割)¥14"]]
    style = [("ALIGN", (0, 0), (-1, 1), "CENTER"), ("ALIGN", (2, 2), (2, -1), "RIGHT"),
             ("LEFTPADDING", (3, 2), (3, -1), 1), ("RIGHTPADDING", (2, 2), (2, -1), 1),
             ("LINEBELOW", (0, 1), (-1, 1), 0.5, colors.black)]
    path = table_pdf(tmp_path / "adds.pdf", "■ 訪問介護 加算 1単位:11.05円", rows, style, [120, 50, 40, 140], size=8)
    res = extract(path)
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (100, {"copay1": 111, "copay2": 221, "copay3": 332}), (200, {"copay1": 221, "copay2": 442, "copay3": 663}),
        (4, {"copay1": 5, "copay2": 9, "copay3": 14})], facts(res)


@pytest.mark.parametrize("line, cells", [
    ("通院等乗降介助¥104¥1037(97単位)¥933", ("通院等乗降介助", "¥104", "¥1037(97単位)", "¥933")),
    ("区分 利用時間 10割介護保険給付額 利用者負担額(1割)", ("区分", "利用時間", "10割", "介護保険給付額", "利用者負担額(1割)")),
])
def test_a_bracket_inside_values_ends_no_key_and_benefit_words_run_together(line, cells):
    """The bracket of '¥1037(97単位)' ends a value, not a key: the name is what comes before
    the first yen; '介護保険給付額' is a header word after '10割'."""
    from extractor.tables.loose import loose_cells
    assert loose_cells(line) == cells


def test_share_words_of_a_repeated_header_are_no_amounts(tmp_path):
    """A tab-separated grid whose room is printed once at the top of its rows and whose header
    ('10割（全額） 1割 2割 3割') is repeated after a page mark: no reading takes the header's
    '10' '1' '2' '3' for amounts, so the rows keep their rooms."""
    head = "居室の種類\t介護度\t算定単位\t10割（全額）\t1割\t2割\t3割\n"
    text = ("■ 介護老人保健施設 基本料金\n\n" + head +
            "従来型個室\t要介護1\t788\t8234円\t824円\t1647円\t2471円\n"
            "\t要介護2\t863\t9018円\t902円\t1804円\t2706円\n"
            "多床室\t要介護1\t871\t9101円\t911円\t1821円\t2731円\n"
            "\t要介護2\t947\t9896円\t990円\t1980円\t2969円\n\n\n- 1 -\n\n" + head +
            "多床室\t要介護3\t1014\t10596円\t1060円\t2120円\t3179円\n"
            "サービス提供体制強化加算(Ⅱ)\t1日につき\t18\t188円\t19円\t38円\t57円\n")
    res = read(tmp_path, text)
    assert [(r.item, tuple(r.care_levels), r.units) for r in res.rows] == [
        ("従来型個室", ("要介護1",), 788), ("従来型個室", ("要介護2",), 863), ("多床室", ("要介護1",), 871),
        ("多床室", ("要介護2",), 947), ("多床室", ("要介護3",), 1014), ("サービス提供体制強化加算(Ⅱ)", (), 18)], facts(res)


@pytest.mark.parametrize("line, cells", [
    ("サービス内容 提供時間 1割(円)利用料(円)", ("サービス内容", "提供時間", "1割(円)", "利用料(円)")),
    ("従来型個室 要介護1 788単位", ("従来型個室", "要介護1", "788単位")),
])
def test_a_share_keeps_its_one_note_and_a_name_a_key_and_one_value_are_cells(line, cells):
    """'1割(円)' is one column name with its note (more notes would be the next columns');
    a room, a care level and one value are a row's cells."""
    from extractor.tables.loose import loose_cells
    assert loose_cells(line) == cells


def test_the_header_names_a_full_fee_that_one_row_misprints(tmp_path):
    """'居宅介護支援費' (the fee) and '介護保険給付額' (equal to it) both fit units × price on most
    rows; one row prints a fee copied from the row above. The header's fee column stays the
    fee, so the misprint is the check's to report, not a reason to swap the columns."""
    text = ("■ 居宅介護支援 加算 (5級地)\n\n"
            "加算名\t算定基準\t算定単位\t居宅介護支援費(円)\t介護保険給付額(円)\n"
            "退院・退所加算(Ⅰ)ロ\t1回につき\t600\t6,420\t6,420\n"
            "退院・退所加算(Ⅲ)\t1回につき\t900\t9,630\t9,630\n"
            "特定事業所加算(Ⅱ)\t1月につき\t421\t9,630\t4,504\n")
    res = read(tmp_path, text)
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (600, {"total": 6420, "benefit": 6420}), (900, {"total": 9630, "benefit": 9630}),
        (421, {"total": 9630, "benefit": 4504})], facts(res)


CELL_PER_LINE_SHOGAI = (
    "サービス区分|所要時間|基本単位数|身体介護|30分未満|256単位|身体介護|30分以上60分未満|404単位|身体介護|60分以上90分未満|587単位|"
    "身体介護|90分以上120分未満|669単位|身体介護|2時間以上2時間30分未満|754単位|身体介護|2時間30分以上3時間未満|837単位|"
    "身体介護|3時間以上(30分を増すごとに+83単位)|921単位|家事援助|30分未満|106単位|家事援助|30分以上45分未満|153単位|"
    "家事援助|45分以上60分未満|197単位|家事援助|60分以上75分未満|239単位||サービス区分|所要時間|基本単位数|"
    "家事援助|75分以上90分未満|275単位|家事援助|90分以上(15分を増すごとに+35単位)|311単位|"
    "通院等介助(身体介護を伴わない)|30分未満|106単位|通院等介助(身体介護を伴わない)|30分以上60分未満|197単位|"
    "通院等介助(身体介護を伴わない)|60分以上90分未満|275単位|通院等介助(身体介護を伴わない)|90分以上(30分を増すごとに+69単位)|345単位|"
    "初回加算|1月につき|200単位|緊急時対応加算|1回につき|100単位|利用者負担上限額管理加算|1月につき|150単位|"
    "喀痰吸引等支援体制加算|1日につき|100単位|入院時支援連携加算|1回につき|300単位")


def test_a_row_label_is_not_a_header_word_copied_a_cell_to_a_line(tmp_path):
    """'サービス区分 所要時間 基本単位数' then rows a cell to a line, the header repeated on the
    next page, additions after: '身体介護', the first row's first cell, names no column and
    comes back in later rows, so it is the first row's label, not a fourth column."""
    res = read(tmp_path, "■ 居宅介護 基本料金\n\n" + CELL_PER_LINE_SHOGAI.replace("|", "\n") + "\n")
    cells = CELL_PER_LINE_SHOGAI.replace("||", "|").split("|")
    want = [(cells[k], int(cells[k + 2][:-2])) for k in range(0, len(cells), 3) if cells[k] != "サービス区分"]
    assert [(r.item, r.units) for r in res.rows] == want, facts(res)
    assert [r.time_band for r in res.rows][:2] == ["30分未満", "30分以上1時間未満"]


def test_a_marked_title_ends_a_table_copied_a_cell_to_a_line(tmp_path):
    """A band × care level grid a cell to a line, then '■ 加算…' and a second table: the
    title is never a cell of the grid, and the second table is read under its own header."""
    bands = ["3時間~4時間未満", "4時間~5時間未満", "5時間~6時間未満", "6時間~7時間未満", "7時間~8時間未満", "8時間~9時間未満"]
    fees = {"要介護1": [3951, 4143, 6087, 6237, 7027, 7144], "要介護2": [4517, 4741, 7187, 7358, 8298, 8447],
            "要介護3": [5115, 5361, 8298, 8501, 9612, 9772]}
    cells = ["介護区分", "時間区分", *bands]
    for level, yen in fees.items():
        cells += [level, *(f"¥{y}" for y in yen)]
    cells += ["", "", "■ 加算(算定要件を満たす場合)", "", "加算", "頻度", "サービ", "ス費用",
              "入浴介助加算(Ⅰ)", "1日につき", "¥427", "個別機能訓練加算(Ⅰ)ロ", "1日につき", "¥811",
              "個別機能訓練加算(Ⅱ)", "1月につき", "¥213"]
    res = read(tmp_path, "■ 通所介護 基本料金(10割)\n\n" + "\n".join(cells) + "\n")
    got = [(r.item if not r.care_levels else r.care_levels[0], r.time_band, dict(r.amounts)) for r in res.rows]
    assert len(got) == 21 and got[:2] == [("要介護1", "3時間以上4時間未満", {"total": 3951}),
                                            ("要介護1", "4時間以上5時間未満", {"total": 4143})], got
    assert got[-3:] == [("入浴介助加算(Ⅰ)", None, {"total": 427}), ("個別機能訓練加算(Ⅰ)ロ", None, {"total": 811}),
                        ("個別機能訓練加算(Ⅱ)", None, {"total": 213})], got


def test_a_name_and_its_one_value_straight_under_the_rows_is_a_row(tmp_path):
    """'通院等乗降介助 97', one value a space after its name, straight under a table's rows
    whose cells ran together: a row of the table, not a fee line left unread."""
    text = ("■ 訪問介護 基本料金\n\n"
            "サービス区分 利用時間 所定単位数\n"
            "生活援助 20分以上45分未満179\n"
            "45分以上220\n"
            "通院等乗降介助 97\n\n"
            "※上記の金額は1単位あたり10.21円で算出しています。\n")
    res = read(tmp_path, text)
    assert [(r.item, r.time_band, r.units) for r in res.rows] == [
        ("生活援助", "20分以上45分未満", 179), ("生活援助", "45分以上", 220), ("通院等乗降介助", None, 97)], facts(res)


def test_care_levels_numbered_under_an_off_centre_heading_in_a_pdf(tmp_path):
    """A shaded PDF grid whose header is '部屋の種類' (two rows tall) beside '区分' over
    '1 2 3 4 5' in columns of unequal widths: the heading, centred over the five columns but
    over none of the digits, names every digit a care level."""
    needs_reportlab()
    from reportlab.lib import colors

    rows = [["部屋の種類", "区分", "", "", "", ""], ["", "1", "2", "3", "4", "5"],
            ["従来型個室", "¥799", "¥875", "¥941", "¥999", "¥1,055"],
            ["多床室", "¥884", "¥961", "¥1,029", "¥1,087", "¥1,141"]]
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, 1), "CENTER"),
             ("ALIGN", (1, 2), (-1, -1), "RIGHT"), ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (5, 0)),
             ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.75, 0.82, 0.9)),
             ("ROWBACKGROUNDS", (0, 2), (-1, -1), [colors.white, colors.Color(0.88, 0.88, 0.88)])]
    path = table_pdf(tmp_path / "grid.pdf", "■ 介護老人保健施設 基本料金(1割負担)", rows, style, [90, 40, 40, 100, 60, 60])
    res = extract(path)
    got = [(r.item, tuple(r.care_levels), dict(r.amounts)) for r in res.rows]
    assert got[:2] == [("従来型個室", ("要介護1",), {"copay1": 799}), ("従来型個室", ("要介護2",), {"copay1": 875})], got
    assert len(got) == 10 and got[-1] == ("多床室", ("要介護5",), {"copay1": 1141}), got



def test_value_names_cut_at_a_narrow_cell_end_are_two_cells():
    """A PDF header line whose two narrow value columns' names wrap ('基本利用' / '料', '所定単位'
    / '数'), measured as one cell because the upper parts stand a narrow gap apart: two names,
    each cut at its cell's end, which the line below completes; not one word."""
    from extractor.sources.base import Line
    from extractor.tables.cells import Cell, Row
    from extractor.tables.structure import _split_names
    ln = Line(number=18, raw="基本利用 所定単位", page=1, text="基本利用 所定単位")
    row = Row(ln, [Cell("基本利用 所定単位", 272, 364)], aligned=True, placed=True)
    assert [c.text for c in _split_names(row).cells] == ["基本利用", "所定単位"]
    one = Row(ln, [Cell("利用料金 一覧", 272, 364)], aligned=True, placed=True)
    assert [c.text for c in _split_names(one).cells] == ["利用料金 一覧"]


@pytest.mark.parametrize("line, cells", [
    ("加算名 備考 1割負 2割3割負 介護報", ("加算名", "備考", "1割負", "2割", "3割負", "介護報")),
    ("安全対策体制加算 入所時1回 20", ("安全対策体制加算", "入所時1回", "20")),
    ("初期加算 1日につき 30", ("初期加算", "1日につき", "30")),
])
def test_shares_run_together_with_a_cut_word_and_a_basis_with_one_value(line, cells):
    """'2割3割負' is two shares, the second's word cut at the line's end; a name, its basis
    and one value are a row's cells."""
    from extractor.tables.loose import loose_cells
    assert loose_cells(line) == cells


def test_run_together_header_words_wrapped_under_shares_run_together(tmp_path):
    """'1割負 2割3割負 介護報' over '担 負担 担 酬単位数', cells run together: each lower word
    completes the word above it in order, so the shares and the units are named."""
    text = ("■ 訪問看護 加算(算定要件を満たす場合)\n\n"
            "加算名 備考 1割負 2割3割負 介護報\n"
            "担 負担 担 酬単位数\n"
            "初回加算(Ⅱ)1月につき334円668円1,001円300単位\n"
            "特別管理加算(Ⅱ)1月につき278円556円834円250単位\n"
            "ターミナルケア加算 死亡月につき2,780円5,560円8,340円2,500単位\n")
    res = read(tmp_path, text)
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows] == [
        ("初回加算(Ⅱ)", 300, {"copay1": 334, "copay2": 668, "copay3": 1001}),
        ("特別管理加算(Ⅱ)", 250, {"copay1": 278, "copay2": 556, "copay3": 834}),
        ("ターミナルケア加算", 2500, {"copay1": 2780, "copay2": 5560, "copay3": 8340})], facts(res)


def test_shares_run_together_then_the_next_columns_note(tmp_path):
    """'1割2割3割(単位)' under 'ご利用者負担 利用料 単位数': the note after shares run together
    is the next column's, not the 3割's."""
    from extractor.tables.loose import loose_cells
    assert loose_cells("1割2割3割(単位)") == ("1割", "2割", "3割", "(単位)")
    text = ("■ 訪問看護 基本料金\n\n"
            "サービス区分 時間 ご利用者負担 利用料 単位数\n"
            "1割2割3割(単位)\n"
            "訪問看護 20分未満¥341¥681¥1021¥3403 314\n"
            "訪問看護 30分未満¥511¥1021¥1532¥5105 471\n")
    res = read(tmp_path, text)
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (314, {"copay1": 341, "copay2": 681, "copay3": 1021, "total": 3403}),
        (471, {"copay1": 511, "copay2": 1021, "copay3": 1532, "total": 5105})], facts(res)


def test_share_notes_under_a_header_that_names_10wari_copied_a_cell_to_a_line(tmp_path):
    """'(1割)' '(単位)' under a header that names '10割' (the fee), a cell to a line: the
    notes complete '自己負担額' and '所定単位数'; '10割' is no share beside them."""
    cells = ["サービス内容", "時間", "自己負担額", "10割", "給付費", "所定単位数", "(1割)", "(単位)",
             "20分未満", "186円", "1858円", "1672円", "163",
             "身体介護", "20分以上30分未満", "279円", "2781円", "2502円", "244"]
    res = read(tmp_path, "■ 訪問介護 基本料金\n\n" + "\n".join(cells) + "\n")
    assert [(r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("20分未満", 163, {"copay1": 186, "total": 1858, "benefit": 1672}),
        ("20分以上30分未満", 244, {"copay1": 279, "total": 2781, "benefit": 2502})], facts(res)


def test_markdown_heading_that_names_the_lower_line_is_a_title_not_a_header(tmp_path):
    # a Markdown heading ('## ') is marked like '■': its words (単位数, 利用者負担額) name no
    # column, and what it says the lower line holds names the yen line
    doc = ("## 通所介護 利用料金\n\n（1単位あたり 10.00円）\n\n"
           "## ■ 通所介護 基本料金（上段：単位数　下段：利用者負担額）\n\n"
           "| 要介護状態区分 | 提供時間 |  |\n|---|---:|---:|\n"
           "|  | 3時間～4時間未満 | 4時間～5時間未満 |\n"
           "| 要介護1 | 370単位 | 388単位 |\n|  | ￥370 | ￥388 |\n"
           "| 要介護2 | 423単位 | 444単位 |\n|  | ￥423 | ￥444 |\n")
    res = read(tmp_path, doc, name="fees.md")
    assert [(r.care_levels, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], "3時間以上4時間未満", 370, {"copay1": 370}),
        (["要介護1"], "4時間以上5時間未満", 388, {"copay1": 388}),
        (["要介護2"], "3時間以上4時間未満", 423, {"copay1": 423}),
        (["要介護2"], "4時間以上5時間未満", 444, {"copay1": 444}),
    ]
    assert all(r.item.startswith("通所介護 基本料金") for r in res.rows)  # the grid's title names it


def test_room_grid_run_together_with_units_and_fee_names_run_together(tmp_path):
    # '単位サービス利用料金': two names run together; the room label centred on its rows
    doc = ("■ 介護老人保健施設 基本料金\n\n部屋の種類 介護度 単位サービス利用料金\n（円）\n"
           "要介護1 788単位8092\n要介護2 863単位8863\n従来型個室 要介護3 928単位9530\n"
           "要介護4 985単位10115\n要介護5 1040単位10680\n")
    res = read(tmp_path, doc)
    assert facts(res) == [
        ("従来型個室", ("要介護1",), None, 788, {"total": 8092}),
        ("従来型個室", ("要介護2",), None, 863, {"total": 8863}),
        ("従来型個室", ("要介護3",), None, 928, {"total": 9530}),
        ("従来型個室", ("要介護4",), None, 985, {"total": 10115}),
        ("従来型個室", ("要介護5",), None, 1040, {"total": 10680}),
    ]


def test_tables_side_by_side_where_the_left_one_ends_in_units_after_its_copays(tmp_path):
    """Two unruled tables side by side, each with its units after its inline copays: the
    strip between the left table's copays and its units is a gap between two of its columns
    (its rows run on past it in values alone), not the strip between the tables."""
    needs_reportlab()
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from .pdfs import FONT, IPAEX

    pdfmetrics.registerFont(TTFont(FONT, IPAEX))
    path = tmp_path / "fees.pdf"
    c = canvas.Canvas(str(path), pagesize=landscape(A4), invariant=1)
    height = landscape(A4)[1]

    def at(line: int, x: float, text: str, right: bool = False) -> None:
        c.setFont(FONT, 7)
        (c.drawRightString if right else c.drawString)(x, height - 60 - 14 * line, text)

    at(0, 42, "■ 訪問看護 基本料金")
    at(0, 427, "■ 加算（算定要件を満たす場合）")
    at(1, 366, "介護報酬単位数")
    at(1, 749, "介護報酬単位数")
    for x, word in ((63, "サービス区分"), (138, "サービス提供時間"), (264, "利用者負担額"),
                    (464, "加算名"), (539, "算定"), (635, "利用者負担額")):
        at(2, x, word)
    at(3, 375, "（単位）")
    at(3, 759, "（単位）")
    left = [("20分未満", 314), ("30分未満", 471), ("30分～1時間未満", 823), ("1時間～1時間30分未満", 1128)]
    right = [("初回加算（Ⅰ）", "1月につき", 350), ("初回加算（Ⅱ）", "1月につき", 300),
             ("緊急時訪問看護加算（Ⅰ）", "1月につき", 600), ("特別管理加算（Ⅰ）", "1月につき", 500),
             ("特別管理加算（Ⅱ）", "1月につき", 250)]

    def copays(units: int, price: str = "11.12") -> str:
        from decimal import ROUND_FLOOR, Decimal
        total = int((units * Decimal(price)).to_integral_value(ROUND_FLOOR))
        return "/".join(f"({n}割)¥{total - int((total * Decimal(10 - n) / 10).to_integral_value(ROUND_FLOOR))}"
                        for n in (1, 2, 3))

    for k, (band, units) in enumerate(left):
        line = 4 + 2 * k
        at(line, 48, "訪問看護")
        at(line, 126, band)
        at(line, 354, copays(units), right=True)
        at(line, 408, str(units), right=True)
    for k, (name, basis, units) in enumerate(right):
        line = 4 + (2 * k - 1 if k else 0)
        at(line, 433, name)
        at(line, 529, basis)
        at(line, 737, copays(units), right=True)
        at(line, 798, str(units), right=True)
    c.save()
    res = extract(path)
    got = {(r.item, r.time_band, r.units) for r in res.rows}
    bands = ["20分未満", "30分未満", "30分以上1時間未満", "1時間以上1時間30分未満"]
    assert got == {("訪問看護", band, units) for band, (_, units) in zip(bands, left)} | {
        (name.replace("（", "(").replace("）", ")"), None, units) for name, _, units in right}
    assert all(r.amounts.get("copay1") for r in res.rows)


def test_run_together_header_whose_last_name_is_honorific(tmp_path):
    # 'ご利用者負担額': a column name with the honorific ご before a word the list knows
    doc = ("■ 通所介護 基本料金\n\n時間 介護度 算定単位10割ご利用者負担額\n"
           "3時間〜4時間未満要介護1 370￥3899￥390\n3時間〜4時間未満要介護2 423￥4458￥446\n"
           "4時間〜5時間未満要介護1 388￥4089￥409\n")
    res = read(tmp_path, doc)
    assert facts(res) == [
        ("通所介護 基本料金", ("要介護1",), "3時間以上4時間未満", 370, {"total": 3899, "copay1": 390}),
        ("通所介護 基本料金", ("要介護2",), "3時間以上4時間未満", 423, {"total": 4458, "copay1": 446}),
        ("通所介護 基本料金", ("要介護1",), "4時間以上5時間未満", 388, {"total": 4089, "copay1": 409}),
    ]


def test_an_addition_restated_with_its_units_in_a_table_of_conditions_is_no_new_row(tmp_path):
    doc = ("加算\n加算名\t単位数\t利用料\t利用者負担額(1割)\n"
           "特別管理加算(Ⅰ)\t500単位\t5,560円\t556円\n特別管理加算(Ⅱ)\t250単位\t2,780円\t278円\n\n"
           "特別管理加算の対象となる状態\n加算名\t単位数\t対象となる状態\n"
           "特別管理加算(Ⅰ)\t500単位\t在宅麻薬等注射指導管理を受けている状態\n"
           "特別管理加算(Ⅱ)\t250単位\t在宅酸素療法指導管理を受けている状態\n")
    res = read(tmp_path, doc)
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows] == [
        ("特別管理加算(Ⅰ)", 500, {"total": 5560, "copay1": 556}),
        ("特別管理加算(Ⅱ)", 250, {"total": 2780, "copay1": 278}),
    ]



def test_values_pushed_right_by_a_long_name_go_to_the_value_columns_in_order():
    """A PDF row whose long name (with its basis, '… 1回につき') runs under the header of the
    names' column, which a table continued from the page before heads with a fee's name
    ('居宅介護支援費', taken for a fee column), pushes its three values right: the first lies
    nearer the benefit's header than the fee's. As many values as free value columns: they
    go in order (the geometry is seed 307's c0297 PDF, page 2)."""
    from extractor.reading.columns import Column
    from extractor.reading.rows import assign
    from extractor.tables.cells import Cell, Row
    from extractor.sources.base import Line

    cols = [Column(0, 84, 147, "居宅介護支援費", "total"), Column(1, 200, 236, "認定区分", "care_level"),
            Column(2, 266, 292, "介護 報酬額", "total"), Column(3, 340, 350, "保険給付 額", "benefit"),
            Column(4, 398, 416, "算定 単位", "units")]
    row = Row(Line.of("緊急時等居宅カンファレンス加算 1回につき\t¥2,224\t¥2,224\t200単位", 6, 2),
              [Cell("緊急時等居宅カンファレンス加算 1回につき", 48, 300), Cell("¥2,224", 300, 337),
               Cell("¥2,224", 343, 380), Cell("200単位", 386, 429)], aligned=True, placed=True)
    placed = [(k.header if k else None, c.text) for k, c in assign(row, cols, True)]
    assert placed[1:] == [("介護 報酬額", "¥2,224"), ("保険給付 額", "¥2,224"), ("算定 単位", "200単位")]


def test_a_group_word_merged_down_the_names_beside_additions_under_the_band_column(tmp_path):
    """A sheet's category merged down its rows ('加算' over '初回加算', '緊急時訪問介護加算'),
    the additions' names in the column the base rows keep their bands in: every addition is
    its own name, the first as much as the rest (it had been named '加算')."""
    res = read(tmp_path, "訪問介護 利用料金表\n区分\t所要時間\t基本単位数\t利用料\t利用者負担額(1割)\n"
                         "身体介護\t20分未満\t163\t1,858円\t186円\n\t20分以上30分未満\t244\t2,781円\t279円\n"
                         "加算\t初回加算\t200\t2,280円\t228円\n\t緊急時訪問介護加算\t100\t1,140円\t114円\n")
    assert [(r.item, r.time_band, r.units) for r in res.rows] == [
        ("身体介護", "20分未満", 163), ("身体介護", "20分以上30分未満", 244),
        ("初回加算", None, 200), ("緊急時訪問介護加算", None, 100)]


def test_a_sentence_and_a_page_titles_site_are_no_title(tmp_path):
    """Above a table with no names column: a sentence ('…利用者負担は原則1割です（…）。') is no
    title, and a web page's title names the fee, not the site after its bar
    ('同行援護（ガイドヘルプ）の料金｜ケアサポートあかり'); the sentence's '月額' is no basis."""
    res = read(tmp_path, "同行援護（ガイドヘルプ）の料金｜ケアサポートあかり\n"
                         "【料金】1単位＝10.90円（3級地）　利用者負担は原則1割です（月額負担上限額があります）。\n"
                         "所要時間\t単位数\t費用（10割）\t利用者負担（1割）\n"
                         "30分未満\t191\t2,081円\t208円\n30分以上1時間未満\t302\t3,291円\t329円\n")
    assert [(r.item, r.time_band, r.units, r.basis) for r in res.rows] == [
        ("同行援護(ガイドヘルプ)の料金", "30分未満", 191, None), ("同行援護(ガイドヘルプ)の料金", "30分以上1時間未満", 302, None)]
    assert all("ケアサポート" not in r.label and "原則" not in r.label for r in res.rows)


def test_a_service_named_in_a_headers_condition_is_not_the_tables(tmp_path):
    """'訪問看護サービスを行わない場合' over a 定期巡回 table names a condition, not the table's
    service: the rows are the document's service."""
    res = read(tmp_path, "定期巡回・随時対応型訪問介護看護 重要事項説明書\n基本料金（1か月あたり）\n"
                         "訪問看護サービスを行わない場合\n要介護度\t単位数\t費用額\t自己負担額\n"
                         "要介護1\t5,446\t¥62,084\t¥6,209\n要介護2\t9,720\t¥110,808\t¥11,081\n")
    assert res.rows and {r.service for r in res.rows} == {"定期巡回・随時対応型訪問介護看護"}


def test_a_band_in_brackets_after_an_additions_name_leaves_no_empty_brackets(tmp_path):
    res = read(tmp_path, "通所リハビリテーション 加算\n加算名\t単位\t1割負担\n"
                         "リハビリテーション提供体制加算（3時間以上4時間未満）\t12\t13円\n"
                         "リハビリテーション提供体制加算（7時間以上）\t28\t31円\n")
    assert [(r.item, r.time_band, r.units) for r in res.rows] == [
        ("リハビリテーション提供体制加算", "3時間以上4時間未満", 12), ("リハビリテーション提供体制加算", "7時間以上", 28)]


STEP_ROW = """同行援護の料金
【料金】1単位=10.90円(3級地)
所要時間\t単位数\t費用(10割)\t利用者負担(1割)
1時間30分以上2時間未満\t501\t5,460円\t546円
2時間以上2時間30分未満\t566\t6,169円\t616円
2時間30分以上3時間未満\t632\t6,888円\t688円
3時間以上\t698\t7,608円\t760円
3時間以上の場合、30分増すごとに\t66\t+719円\t+71円
"""


def test_a_table_row_that_prints_a_step_is_the_step_of_its_bands_row(tmp_path):
    """'3時間以上の場合、30分増すごとに | 66 | +719円': no row of its own but the step of the row of
    the band it continues (3時間以上, open from 3 hours), +66 per 30 minutes; its yen are set
    aside as the step's, never a lost amount."""
    res = read(tmp_path, STEP_ROW)
    got = [(r.time_band, r.units, (r.step.units, r.step.minutes) if r.step else None, dict(r.amounts)) for r in res.rows]
    assert got == [
        ("1時間30分以上2時間未満", 501, None, {"total": 5460, "copay1": 546}),
        ("2時間以上2時間30分未満", 566, None, {"total": 6169, "copay1": 616}),
        ("2時間30分以上3時間未満", 632, None, {"total": 6888, "copay1": 688}),
        ("3時間以上", 698, (66, 30), {"total": 7608, "copay1": 760}),
    ], got
    assert not [f for f in res.findings if f.code == "lost-amount"], res.findings
    assert 8 in res.rows[-1].source.lines


def test_a_step_row_continues_the_band_that_ends_where_it_starts(tmp_path):
    """No band open from there: the step goes to the band that ends where it starts; a step
    from a time no band reaches is no step of any row (nothing is guessed)."""
    text = STEP_ROW.replace("3時間以上\t698\t7,608円\t760円\n", "")
    res = read(tmp_path, text)
    assert [(r.time_band, r.step.units if r.step else None) for r in res.rows] == [
        ("1時間30分以上2時間未満", None), ("2時間以上2時間30分未満", None), ("2時間30分以上3時間未満", 66)]
    res = read(tmp_path, text.replace("3時間以上の場合", "4時間以上の場合"))
    assert not [r for r in res.rows if r.step is not None], [(r.time_band, r.units, r.step) for r in res.rows]


STEP_CELL = """訪問介護 料金表
1単位=11.05円
サービス区分\t所要時間\t単位数\t利用料金\t1割負担
身体介護\t30分以上1時間未満\t387単位\t4,276円\t428円
身体介護\t1時間以上1時間30分未満\t567単位\t6,265円\t627円
身体介護\t1時間30分以上\t567単位に30分を増すごとに+82単位\t\t
"""


def test_a_step_rule_in_the_units_cell_is_the_rows_base_and_step(tmp_path):
    """'567単位に30分を増すごとに+82単位' in the units column: the row's base 567 and its step
    +82 per 30 minutes (the rule's grammar, as in a label)."""
    res = read(tmp_path, STEP_CELL)
    last = res.rows[-1]
    assert (last.item, last.time_band, last.units, last.step.units, last.step.minutes) == (
        "身体介護", "1時間30分以上", 567, 82, 30)
    assert [r.step for r in res.rows[:-1]] == [None, None]


STEP_NOTE = """訪問介護 料金表
1単位=11.05円
サービス区分\t所要時間\t単位数\t利用料金\t1割負担
身体介護\t30分以上1時間未満\t387単位\t4,276円\t428円
身体介護\t1時間以上1時間30分未満\t567単位\t6,265円\t627円
生活援助\t20分以上45分未満\t179単位\t1,977円\t198円
生活援助\t45分以上\t220単位\t2,431円\t244円
"""


@pytest.mark.parametrize("note", [
    "※身体介護で１時間３０分以上の場合は、３０分を増すごとに８２単位（９０６円）を加算します。",
    "※1時間30分以上の場合においては、30分を増すごとに82単位を加算",
    "※身体介護1時間30分以上は30分ごとに82単位を加算。",
])
def test_a_step_note_under_a_table_is_the_step_of_the_band_it_continues(tmp_path, note):
    """A note that states a step from a time ('1時間30分以上の場合は、30分を増すごとに82単位'): the
    step of the base row whose band ends there (of the item it names); no row of its own."""
    res = read(tmp_path, STEP_NOTE + note + "\n")
    got = [(r.item, r.time_band, r.step.units if r.step else None, r.step.minutes if r.step else None) for r in res.rows]
    assert got == [("身体介護", "30分以上1時間未満", None, None), ("身体介護", "1時間以上1時間30分未満", 82, 30),
                   ("生活援助", "20分以上45分未満", None, None), ("生活援助", "45分以上", None, None)], got
    assert 8 in res.rows[1].source.lines


def test_a_step_note_that_cannot_say_whose_step_it_is_stays_prose(tmp_path):
    """A note naming no item, where rows of two items end at its time, or naming an item no
    row has, or a time no band reaches: no row gets a step."""
    two = STEP_NOTE.replace("生活援助\t20分以上45分未満", "通院等介助\t1時間以上1時間30分未満")
    for text in (two + "※1時間30分以上の場合は、30分を増すごとに82単位を加算します。\n",
                 STEP_NOTE + "※家事援助で1時間30分以上の場合は、30分を増すごとに82単位を加算します。\n",
                 STEP_NOTE + "※2時間以上の場合は、30分を増すごとに82単位を加算します。\n",
                 STEP_NOTE + "※身体介護に引き続き生活援助を行った場合は、20分ごとに65単位を加算します。\n"):
        res = read(tmp_path, text)
        assert not [r for r in res.rows if r.step is not None], [(r.item, r.time_band, r.step) for r in res.rows]
        assert len(res.rows) == 4


SENTENCES = """通所リハビリテーション 料金表
サービス内容\t単位数\t利用者負担額(1割)
入浴介助加算(Ⅰ)\t40\t44円
"""


@pytest.mark.parametrize("sentence,row", [
    ("※上記のほか、介護職員等処遇改善加算(Ⅱ)として、所定単位数に17.8%を乗じた単位数が加算されます。",
     ("介護職員等処遇改善加算(Ⅱ)", "addition", None, Decimal("0.178"), "month")),
    ("(4) 上記のほか、介護職員等処遇改善加算(Ⅰ)として、1月の所定単位数に24.5％を乗じた単位数を加算します。",
     ("介護職員等処遇改善加算(Ⅰ)", "addition", None, Decimal("0.245"), "month")),
    ("※利用者の身体の状況により、介護職員3人で行った場合は所定単位数の95/100となります。",
     ("介護職員3人で行った場合", "reduction", None, Decimal("-0.05"), None)),
    ("送迎を行わない場合は、片道につき47単位を減算します。",
     ("送迎を行わない場合", "reduction", -47, None, "once")),
    ("※特定事業所集中減算に該当する場合は、1月につき200単位を減算します。",
     ("特定事業所集中減算", "reduction", -200, None, "month")),
    ("※初回加算は、新規に計画を作成した場合は、1月につき200単位を加算します。",
     ("初回加算", "addition", 200, None, "month")),
])
def test_a_rate_a_reduction_or_units_said_in_a_sentence_is_a_row(tmp_path, sentence, row):
    """A note that names a fee (or the condition it is for) and prints what it adds or takes
    (a share of the units, their 95/100, a number of units): a row, named by the fee, else by
    the condition as printed; 減算 takes units away, 95/100 of the units is 5% less."""
    res = read(tmp_path, SENTENCES + sentence + "\n")
    got = [(r.item, r.kind, r.units, r.rate, r.basis) for r in res.rows if r.line == 4]
    assert got == [row], [(r.item, r.kind, r.units, r.rate, r.basis, r.line) for r in res.rows]
    assert all(r.rate_op == "add" for r in res.rows if r.rate is not None)


@pytest.mark.parametrize("sentence", [
    "※送迎を行わない場合は減算があります。",  # no number
    "※特定事業所集中減算に該当する場合は、所定単位数から減算します。",
    "※おむつ代は実費をいただきます。",
    "※食費は1日につき1,445円をいただきます。",
    "※利用者負担は原則1割(一定以上所得者は2割又は3割)です。",
    "※夜間は職員2名体制です。",
    "※介護職員等処遇改善加算は、区分支給限度基準額の対象外です。",
])
def test_a_sentence_with_no_fee_value_stays_prose(tmp_path, sentence):
    res = read(tmp_path, SENTENCES + sentence + "\n")
    assert [(r.item, r.units, r.rate) for r in res.rows] == [("入浴介助加算(Ⅰ)", 40, None)]


@pytest.mark.parametrize("note,rows", [
    ("※早朝・夜間は25％、深夜は50％の加算があります。", [("早朝・夜間", Decimal("0.25")), ("深夜", Decimal("0.5"))]),
    ("※身体介護1時間30分以上は30分ごとに82単位を加算。早朝・夜間25％増、深夜50％増。",
     [("早朝・夜間", Decimal("0.25")), ("深夜", Decimal("0.5"))]),
    ("※夜間は25％、深夜は職員2名です。", []),  # a rate with no word of increase, and none after it
])
def test_time_of_day_surcharges_each_clause_its_own_row(tmp_path, note, rows):
    """Each clause of a time-of-day note is its own row: one without '増' or '加算' shares the
    word of the clause right after it ('早朝・夜間は25%、深夜は50%の加算'), and 'は' may be left
    out ('早朝・夜間25%増')."""
    res = read(tmp_path, "訪問看護 料金表\n"
                         "サービス内容\t単位数\t利用者負担額(1割)\n"
                         "訪問看護Ⅰ2\t471\t524円\n" + note + "\n")
    assert [(r.item, r.rate) for r in res.rows if r.rate is not None] == rows


def test_a_short_table_whose_last_row_is_a_step_is_read_with_its_step(tmp_path):
    """A table of two bands and a step row: the general reader's reading (two rows, the step
    on 3時間以上, its yen read as the step's) weighs the step's numbers as read, so it is not
    outweighed by a reading that makes the step a row of its own and loses the bands."""
    res = read(tmp_path, "1単位=10.90円\n"
                         "所要時間\t単位数\t費用(10割)\t利用者負担(1割)\n"
                         "2時間30分以上3時間未満\t632\t6,888円\t688円\n"
                         "3時間以上\t698\t7,608円\t760円\n"
                         "3時間以上の場合、30分増すごとに\t66\t+719円\t+71円\n")
    assert res.recognizer == "general-table"
    assert [(r.time_band, r.units, r.step.units if r.step else None) for r in res.rows] == [
        ("2時間30分以上3時間未満", 632, None), ("3時間以上", 698, 66)]


@pytest.mark.parametrize("sentence,row", [
    ("※身体拘束廃止未実施減算として、所定単位数の1%を減算します。", ("身体拘束廃止未実施減算", "reduction", Decimal("-0.01"))),
    ("※業務継続計画未策定減算：所定単位数の1％を減算", ("業務継続計画未策定減算", "reduction", Decimal("-0.01"))),
    ("※同一建物に居住する利用者にサービスを行う場合は、所定単位数の90/100で算定します。",
     ("同一建物に居住する利用者にサービスを行う場合", "reduction", Decimal("-0.1"))),
    ("※2人の訪問介護員等で行った場合は、所定単位数の200/100となります。",
     ("2人の訪問介護員等で行った場合", "addition", Decimal("1"))),
])
def test_a_rate_that_takes_units_away_is_a_reduction(tmp_path, sentence, row):
    """A 減算 stated as a share of the units ('…減算：所定単位数の1%を減算'), or a condition that
    leaves less than the units (90/100), is a reduction with a negative rate; more (200/100)
    an addition."""
    res = read(tmp_path, SENTENCES + sentence + "\n")
    assert [(r.item, r.kind, r.rate) for r in res.rows if r.line == 4] == [row]


def test_time_of_day_surcharges_with_a_colon(tmp_path):
    res = read(tmp_path, "訪問看護 料金表\n"
                         "サービス内容\t単位数\t利用者負担額(1割)\n"
                         "訪問看護Ⅰ2\t471\t524円\n"
                         "※早朝・夜間：25％加算　深夜：50％加算\n")
    assert [(r.item, r.rate) for r in res.rows if r.rate is not None] == [
        ("早朝・夜間", Decimal("0.25")), ("深夜", Decimal("0.5"))]


def test_units_taken_away_in_a_table_row_are_a_reduction(tmp_path):
    """'送迎を行わない場合 | 片道につき-47単位': a name that says neither 加算 nor 減算 with units
    taken away is a reduction, not a base fee."""
    res = read(tmp_path, "通所リハビリテーション 料金表\n1単位=10.88円\n"
                         "加算項目\t単位数\t利用料金\t1割負担\n"
                         "初回加算\t200単位\t2,176円\t218円\n"
                         "入浴介助加算(Ⅰ)\t40単位\t435円\t44円\n"
                         "送迎を行わない場合\t片道につき-47単位\t\t\n")
    assert [(r.item, r.kind, r.units) for r in res.rows] == [
        ("初回加算", "addition", 200), ("入浴介助加算(Ⅰ)", "addition", 40), ("送迎を行わない場合", "reduction", -47)]


@pytest.mark.parametrize("cell", ["▲5%", "-5%", "5%減算", "所定単位数の5%を減算"])
def test_a_share_taken_away_in_a_cell_is_a_negative_rate(tmp_path, cell):
    """A percentage signed or said to be taken away ('▲5%', '5%減算') is a reduction of 5%,
    never an addition of 5%."""
    res = read(tmp_path, "通所リハビリテーション 料金表\n1単位=10.88円\n"
                         "加算項目\t単位数\t利用料金\t1割負担\n"
                         "初回加算\t200単位\t2,176円\t218円\n"
                         "入浴介助加算(Ⅰ)\t40単位\t435円\t44円\n"
                         f"同一建物に居住する利用者の場合\t{cell}\t\t\n")
    assert [(r.item, r.kind, r.rate) for r in res.rows if r.rate is not None] == [
        ("同一建物に居住する利用者の場合", "reduction", Decimal("-0.05"))]


def rows_of(res):
    return [(tuple(r.care_levels), r.time_band, tuple(r.conditions), r.units, dict(r.amounts)) for r in res.rows]


ROOM_GROUPS = [(("要介護1",), None, ("従来型個室・多床室",), 603, {"copay1": 637}),
               (("要介護1",), None, ("ユニット型個室",), 704, {"copay1": 743}),
               (("要介護2",), None, ("従来型個室・多床室",), 672, {"copay1": 709}),
               (("要介護2",), None, ("ユニット型個室",), 772, {"copay1": 815})]


@pytest.mark.parametrize("header", [
    "\t従来型個室・多床室\t\tユニット型個室\t\n要介護度\t単位数\t自己負担額(1割)\t単位数\t自己負担額(1割)\n",
    "\t従来型個室・多床室\t\tユニット型個室\n要介護度\t単位数\t自己負担額(1割)\t単位数\t自己負担額(1割)\n",
    "　　　　従来型個室・多床室　　　　ユニット型個室\n要介護度　単位数　自己負担額(1割)　単位数　自己負担額(1割)\n",
])
def test_a_heading_over_each_group_of_columns_keys_the_columns_under_it(tmp_path, header):
    """Rooms merged over '単位数 自己負担額(1割)', printed twice (tabs with the merged cells'
    empty ones kept, the last dropped, or cells a space apart): each heading keys the two
    columns under it, so each care level gives one row per room with its units and its yen."""
    sep = "\t" if "\t" in header else "　"
    body = "".join(sep.join(r) + "\n" for r in (["要介護1", "603単位", "637円", "704単位", "743円"],
                                                ["要介護2", "672単位", "709円", "772単位", "815円"]))
    res = read(tmp_path, "１単位＝10.55円\n" + header + body)
    assert rows_of(res) == ROOM_GROUPS, facts(res)
    assert not res.findings, res.findings


def test_a_condition_over_each_group_of_columns_is_the_rows_condition(tmp_path):
    """'訪問看護サービスを行わない場合' and '…行う場合' merged over '単位数 費用額 自己負担額'
    each, the care levels' heading merged down beside them: words that are no row key are the
    rows' condition (not the service: the page's is 定期巡回), and the upper line is no title."""
    doc = ("定期巡回・随時対応型訪問介護看護 料金表\n基本料金（1か月あたり）\n"
           "要介護度\t訪問看護サービスを行わない場合\t\t\t訪問看護サービスを行う場合\t\t\n"
           "\t単位数\t費用額\t自己負担額\t単位数\t費用額\t自己負担額\n"
           "要介護1\t5,446\t¥62,084\t¥6,209\t7,946\t¥90,584\t¥9,059\n"
           "要介護2\t9,720\t¥110,808\t¥11,081\t12,413\t¥141,508\t¥14,151\n")
    res = read(tmp_path, doc)
    assert rows_of(res) == [
        (("要介護1",), None, ("訪問看護サービスを行わない場合",), 5446, {"total": 62084, "copay1": 6209}),
        (("要介護1",), None, ("訪問看護サービスを行う場合",), 7946, {"total": 90584, "copay1": 9059}),
        (("要介護2",), None, ("訪問看護サービスを行わない場合",), 9720, {"total": 110808, "copay1": 11081}),
        (("要介護2",), None, ("訪問看護サービスを行う場合",), 12413, {"total": 141508, "copay1": 14151})], facts(res)
    assert {r.service for r in res.rows} == {"定期巡回・随時対応型訪問介護看護"}
    assert {r.item for r in res.rows} == {"定期巡回・随時対応型訪問介護看護"}  # (a base-fee title: the service's)
    assert all("基本料金(1か月あたり)" in r.label for r in res.rows)
    assert not res.findings, res.findings


def test_different_names_under_two_headings_are_no_column_groups():
    """Headings over columns that do not repeat the same names ('利用者負担額' over '1割 2割',
    '保険給付' over '9割 8割'), or a heading that names a value itself, are no groups."""
    from extractor.tables.cells import Cell, Row
    from extractor.tables.structure import _column_groups
    from extractor.sources.base import Line

    def row(*texts):
        return Row(Line.of("\t".join(texts), 1), [Cell(t, k, k + 1) for k, t in enumerate(texts)])

    assert _column_groups(row("", "利用者負担額", "", "保険給付", ""), row("区分", "1割", "2割", "9割", "8割")) is None
    assert _column_groups(row("", "費用額", "", "費用額", ""), row("区分", "単位数", "1割", "単位数", "1割")) is None
    assert _column_groups(row("", "個室", "", "", "多床室"), row("区分", "単位数", "1割", "単位数", "1割")) is None
    cols = _column_groups(row("", "個室", "", "多床室", ""), row("区分", "単位数", "1割", "単位数", "1割"))
    assert [(c.role, c.key) for c in cols] == [("care_level", None), ("units", ("room", "個室")), ("copay1", ("room", "個室")),
                                                ("units", ("room", "多床室")), ("copay1", ("room", "多床室"))]


UNITS_GRID = ("■基本料金（1回あたりの単位数）\n利用時間\t要介護1\t要介護2\t要介護3\n"
              "1時間以上2時間未満\t369\t398\t429\n2時間以上3時間未満\t383\t439\t498\n\n")
YEN_GRID = ("■利用者負担額（1割負担の方・1回あたり）\n利用時間\t要介護1\t要介護2\t要介護3\n"
            "1時間以上2時間未満\t402円\t433円\t467円\n2時間以上3時間未満\t417円\t478円\t542円\n\n")
JOINED = [(("要介護1",), "1時間以上2時間未満", (), 369, {"copay1": 402}), (("要介護2",), "1時間以上2時間未満", (), 398, {"copay1": 433}),
          (("要介護3",), "1時間以上2時間未満", (), 429, {"copay1": 467}), (("要介護1",), "2時間以上3時間未満", (), 383, {"copay1": 417}),
          (("要介護2",), "2時間以上3時間未満", (), 439, {"copay1": 478}), (("要介護3",), "2時間以上3時間未満", (), 498, {"copay1": 542})]


@pytest.mark.parametrize("title", ["■基本料金（1回あたりの単位数）", "■基本料金（1回あたり・単位）", "■基本料金（単位数）"])
def test_bare_numbers_under_a_title_that_says_units_in_its_bracket_are_units(tmp_path, title):
    """'料金' in a title says yen, but a bracket that says its numbers are units outweighs it;
    a line of header words ('基本料金（単位数）') is no title, yet it still says what is under it."""
    res = read(tmp_path, "通所リハビリテーション\n" + UNITS_GRID.replace("■基本料金（1回あたりの単位数）", title))
    assert [(r.units, dict(r.amounts)) for r in res.rows][:2] == [(369, {}), (398, {})], facts(res)


@pytest.mark.parametrize("order", ["units first", "yen first"])
def test_a_grid_of_units_and_a_grid_of_its_yen_are_one_row_per_key(tmp_path, order):
    """A care-level grid of bare units and the same grid in 1割 yen: each key's units and its
    share are one row, whichever grid is printed first (they agree at 10.88, 2級地)."""
    grids = UNITS_GRID + YEN_GRID if order == "units first" else YEN_GRID + UNITS_GRID
    res = read(tmp_path, "通所リハビリテーション ご利用料金\n\n" + grids)
    assert sorted(rows_of(res), key=lambda r: (r[1], r[0])) == JOINED, facts(res)
    # (a title of the service's base fees names no fee of its own: the service's, the title in the label)
    assert all(r.item == "通所リハビリテーション" and "基本料金(1回あたりの単位数)" in r.label for r in res.rows)
    assert all("円" in r.source.raw and "単位数" in r.source.raw for r in res.rows)  # read from both grids
    assert not res.findings, res.findings
    report = next(t for t in res.tables if t.get("joined"))
    assert report["joined"]["unit_price"] == "10.88"


def test_a_misprinted_share_in_a_yen_grid_is_joined_and_reported(tmp_path):
    """One share misprinted (403 for 402) in six: the grids still agree, and the check reports it."""
    res = read(tmp_path, "通所リハビリテーション ご利用料金\n\n" + UNITS_GRID + YEN_GRID.replace("402円", "403円"))
    assert rows_of(res)[0] == (("要介護1",), "1時間以上2時間未満", (), 369, {"copay1": 403}), facts(res)
    assert len(res.rows) == 6
    from extractor.reconcile import reconcile
    # (the row is anchored on its units line; its source lists the yen line too)
    assert [(f.code, f.line) for f in reconcile(res).findings if f.severity == "error"] == [("amount-mismatch", 5)]
    assert res.rows[0].source.lines == [3, 5, 8, 10]


def test_grids_of_the_same_keys_whose_yen_no_price_explains_stay_apart(tmp_path):
    """A yen grid that is not the units' at any 単価 (the whole fee of some other service) is
    not joined: its rows stay rows of their own."""
    res = read(tmp_path, "通所リハビリテーション ご利用料金\n\n" + UNITS_GRID + YEN_GRID.replace("円", "0円"))
    assert sum(1 for r in res.rows if r.units is not None and r.amounts) == 0, facts(res)
    assert len(res.rows) == 12


def test_each_yen_grid_goes_to_the_units_grid_its_arithmetic_fits(tmp_path):
    """Two units grids of the same keys (通常規模型, 大規模型) printed before their two yen grids:
    each yen grid joins the units grid whose units make its shares, not the nearest; and a
    units grid takes a 2割 grid besides its 1割 grid."""
    large = UNITS_GRID.replace("■基本料金（1回あたりの単位数）", "■大規模型（単位数）")
    for a, b in (("369", "359"), ("398", "388"), ("429", "419"), ("383", "373"), ("439", "429"), ("498", "488")):
        large = large.replace(f"\t{a}", f"\t{b}")
    large_yen = YEN_GRID.replace("（1割負担の方・1回あたり）", "大規模型（1割）")
    for a, b in (("402", "391"), ("433", "423"), ("467", "456"), ("417", "406"), ("478", "467"), ("542", "531")):
        large_yen = large_yen.replace(f"\t{a}円", f"\t{b}円")
    second = YEN_GRID.replace("1割", "2割")
    for a, b in (("402", "803"), ("433", "866"), ("467", "934"), ("417", "834"), ("478", "956"), ("542", "1084")):
        second = second.replace(f"\t{a}円", f"\t{b}円")
    res = read(tmp_path, "通所リハビリテーション ご利用料金\n\n" + UNITS_GRID + large + YEN_GRID + large_yen + second)
    got = {(r.units, tuple(sorted(r.amounts.items()))) for r in res.rows}
    assert len(res.rows) == 12 and (369, (("copay1", 402), ("copay2", 803))) in got and (359, (("copay1", 391),)) in got, facts(res)
    assert (488, (("copay1", 531),)) in got and (498, (("copay1", 542), ("copay2", 1084))) in got, facts(res)


def test_a_list_of_additions_in_units_and_the_same_list_in_yen_are_one_row_each(tmp_path):
    """Not only grids: two lists of the same additions, one of units and one of 1割 yen, are
    one row per addition (the rows' own names are part of their keys)."""
    res = read(tmp_path, "通所介護 料金表\n1単位＝10.68円\n■加算（単位数）\n加算名\t単位数\n入浴介助加算(Ⅰ)\t40\n"
                         "個別機能訓練加算(Ⅰ)イ\t56\n\n■加算（1割負担）\n加算名\t1割負担\n入浴介助加算(Ⅰ)\t43円\n"
                         "個別機能訓練加算(Ⅰ)イ\t60円\n")
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows] == [
        ("入浴介助加算(Ⅰ)", 40, {"copay1": 43}), ("個別機能訓練加算(Ⅰ)イ", 56, {"copay1": 60})], facts(res)


@pytest.mark.parametrize("ruled", [False, True])
def test_headings_over_groups_of_columns_in_a_pdf(tmp_path, ruled):
    """A PDF header of headings merged over groups of columns, centred over them (over only
    some of the columns under them when unruled): words no header list holds ('訪問看護サービス
    を行わない場合') on the line above the header, and rooms on the header's first line."""
    needs_reportlab()
    from reportlab.lib import colors

    rule = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if ruled else []
    rows = [["要介護度", "訪問看護サービスを行わない場合", "", "", "訪問看護サービスを行う場合", "", ""],
            ["", "単位数", "費用額", "自己負担額", "単位数", "費用額", "自己負担額"],
            ["要介護1", "5,446", "¥62,084", "¥6,209", "7,946", "¥90,584", "¥9,059"],
            ["要介護2", "9,720", "¥110,808", "¥11,081", "12,413", "¥141,508", "¥14,151"]]
    style = [("SPAN", (1, 0), (3, 0)), ("SPAN", (4, 0), (6, 0)), ("SPAN", (0, 0), (0, 1)), ("ALIGN", (0, 0), (-1, 1), "CENTER"),
             ("ALIGN", (1, 2), (-1, -1), "RIGHT"), *rule]
    path = table_pdf(tmp_path / "teiki.pdf", "定期巡回・随時対応型訪問介護看護 基本料金 1単位＝11.40円", rows, style,
                     [50, 50, 60, 60, 50, 60, 60])
    assert rows_of(extract(path)) == [
        (("要介護1",), None, ("訪問看護サービスを行わない場合",), 5446, {"total": 62084, "copay1": 6209}),
        (("要介護1",), None, ("訪問看護サービスを行う場合",), 7946, {"total": 90584, "copay1": 9059}),
        (("要介護2",), None, ("訪問看護サービスを行わない場合",), 9720, {"total": 110808, "copay1": 11081}),
        (("要介護2",), None, ("訪問看護サービスを行う場合",), 12413, {"total": 141508, "copay1": 14151})]
    rooms = [["", "従来型個室・多床室", "", "ユニット型個室", ""], ["要介護度", "単位数", "自己負担額(1割)", "単位数", "自己負担額(1割)"],
             ["要介護1", "603単位", "637円", "704単位", "743円"], ["要介護2", "672単位", "709円", "772単位", "815円"]]
    style = [("SPAN", (1, 0), (2, 0)), ("SPAN", (3, 0), (4, 0)), ("ALIGN", (0, 0), (-1, 1), "CENTER"),
             ("ALIGN", (1, 2), (-1, -1), "RIGHT"), *rule]
    path = table_pdf(tmp_path / "short.pdf", "短期入所生活介護 １単位＝10.55円", rooms, style, [60, 60, 90, 60, 90])
    assert rows_of(extract(path)) == ROOM_GROUPS


def test_a_list_of_additions_copied_a_cell_to_a_line_with_a_basis_between_the_values(tmp_path):
    """A web page's additions copied a cell to a line, each with how often it counts between
    its units and its yen ('600単位' / '月1回' / '626円' …), one with a note in brackets on a
    line of its own after its basis ('死亡月' / '（介護保険の方のみ）'): one row each, every
    share in its column (the basis had broken the rows, and the header's '１割負担' had been
    joined to '２割負担')."""
    cells = ["加算名", "単位数", "算定", "１割負担", "２割負担", "３割負担",
             "緊急時訪問看護加算(Ⅰ)", "600単位", "月1回", "626円", "1,251円", "1,876円",
             "特別管理加算(Ⅰ)", "500単位", "月1回", "521円", "1,042円", "1,563円",
             "ターミナルケア加算", "2,500単位", "死亡月", "（介護保険の方のみ）", "2,605円", "5,210円", "7,815円",
             "サービス提供体制強化加算(Ⅰ)", "6単位", "1回につき", "7円", "13円", "19円"]
    res = read(tmp_path, "訪問看護\n主な加算（介護・介護予防共通）\n\n" + "\n".join(cells) + "\n")
    assert [(r.item, r.units, r.amounts) for r in res.rows] == [
        ("緊急時訪問看護加算(Ⅰ)", 600, {"copay1": 626, "copay2": 1251, "copay3": 1876}),
        ("特別管理加算(Ⅰ)", 500, {"copay1": 521, "copay2": 1042, "copay3": 1563}),
        ("ターミナルケア加算", 2500, {"copay1": 2605, "copay2": 5210, "copay3": 7815}),
        ("サービス提供体制強化加算(Ⅰ)", 6, {"copay1": 7, "copay2": 13, "copay3": 19})]
    assert not [f for f in res.findings if f.code == "lost-amount"]


def test_a_grid_whose_second_label_names_each_lines_values(tmp_path):
    """A day service's grid aligned with spaces: bands written as ranges across the top
    ('3～4時間'), each care level on two lines whose label names their values ('単位数',
    '利用者負担(1割)'): one row per level and band, with its units and its 1割; the labels
    are no names, and neither the 級地 line nor a sentence above is the table's title."""
    res = read(tmp_path, "デイサービスセンター\n通所介護（通常規模型）の基本料金です。（１日あたり）\n地域区分：５級地\n\n"
                         "                           3～4時間   4～5時間\n"
                         "要介護1   単位数                370        388\n"
                         "          利用者負担(1割)     387円      406円\n"
                         "要介護2   単位数                423        444\n"
                         "          利用者負担(1割)     442円      464円\n")
    assert [(r.care_levels, r.time_band, r.units, r.amounts) for r in res.rows] == [
        (["要介護1"], "3時間以上4時間未満", 370, {"copay1": 387}), (["要介護1"], "4時間以上5時間未満", 388, {"copay1": 406}),
        (["要介護2"], "3時間以上4時間未満", 423, {"copay1": 442}), (["要介護2"], "4時間以上5時間未満", 444, {"copay1": 464})]
    assert not {r.item for r in res.rows} & {"単位数", "利用者負担(1割)", "地域区分:5級地"}
    assert not [f for f in res.findings if f.code == "lost-amount"]


def test_a_copay_heading_alone_over_its_column_names_no_column_that_names_itself():
    """A scanned header over three lines: '利用者負担' alone on the top line over the copay column
    (its lower line garbled by OCR, ')'), beside '総額' and '介護保険給付額' that name their own
    columns: the heading names the column it stands over and the garbled one, not the fee or
    the benefit ('利用者負担 総額' read as a copay lost the fee)."""
    from extractor.reading.columns import header_role
    from extractor.tables.structure import _placed_columns

    block = _placed_rows([[("利用者負担", 236, 284)],
                          [("算定項目", 87, 140), ("算定", 180, 210), (")", 255, 262), ("総額", 330, 360),
                           ("介護保険給付額", 390, 462)]])
    cols = _placed_columns(block)
    assert [c.header for c in cols] == ["算定項目", "算定", "利用者負担 )", "総額", "介護保険給付額"]
    assert [(header_role(c.header) or (None,))[0] for c in cols][2:] == ["copay1", "total", "benefit"]
    shares = _placed_columns(_placed_rows([[("利用者負担額", 236, 300)], [("項目", 87, 140), ("1割", 240, 260),
                                                                     ("2割", 280, 300), ("3割", 320, 340)]]))
    assert [c.header for c in shares][1:] == ["利用者負担額 1割", "利用者負担額 2割", "利用者負担額 3割"]


def test_a_step_row_thereafter_and_a_code_lists_rate_and_step_note(tmp_path):
    """A sheet's row '以降30分を増すごとに | 82 | 888円' under the last band of 身体介護 is that
    row's step, not a row; in a service-code list, a rate printed in words beside the codes
    ('11 | 6274 | 訪問介護処遇改善加算Ⅱ | 所定単位数の224/1000加算') is a rate row, and a step
    note naming 身体介護 goes to the list's numbered short name ('身体介護3')."""
    res = read(tmp_path, "訪問介護 利用料金表\nサービス区分\t所要時間\t単位数\t利用料金\t利用者負担額(1割)\n"
                         "身体介護\t30分以上1時間未満\t387\t4,195円\t420円\n\t1時間以上1時間30分未満\t567\t6,146円\t615円\n"
                         "\t以降30分を増すごとに\t82\t888円\t89円\n生活援助\t45分以上\t220\t2,384円\t239円\n")
    assert [(r.item, r.time_band, r.units, (r.step.units, r.step.minutes) if r.step else None) for r in res.rows] == [
        ("身体介護", "30分以上1時間未満", 387, None), ("身体介護", "1時間以上1時間30分未満", 567, (82, 30)),
        ("生活援助", "45分以上", 220, None)]
    codes = read(tmp_path, "訪問介護 サービスコード一覧\n種類\t項目\tサービス内容略称\t算定項目\t単位数\t算定単位\n"
                           "11\t1211\t身体介護２\t身体介護30分以上1時間未満\t387\t1回につき\n"
                           "11\t1311\t身体介護３\t身体介護1時間以上1時間30分未満\t567\t1回につき\n"
                           "11\t6274\t訪問介護処遇改善加算Ⅱ\t所定単位数の224/1000加算\t\t1月につき\n\n"
                           "※身体介護で1時間30分以上の場合は、30分を増すごとに82単位を加算します。\n", name="codes.txt")
    assert [(r.units, str(r.rate) if r.rate else None, r.step.units if r.step else None) for r in codes.rows] == [
        (387, None, None), (567, None, 82), (None, "0.224", None)]


def test_units_said_to_be_taken_away_and_a_charge_line_under_the_table(tmp_path):
    """A reduction in a cell that says it ('…1日につき94単位を減算') takes its units away (−94),
    and a 実費 line right under the table ('食事代（昼食・おやつ）：1食 600円') is neither a row
    nor the yen of the row above it."""
    res = read(tmp_path, "通所介護\n加算の名称\t内容\t単位数\t利用料金\t1割負担\n"
                         "入浴介助加算(Ⅰ)\t\t40\t428円\t43円\n"
                         "同一建物減算\t同一の建物から通う方は1日につき94単位を減算\t\t\t\n"
                         "食事代（昼食・おやつ）：1食 600円\n")
    assert [(r.item, r.units, r.amounts) for r in res.rows] == [
        ("入浴介助加算(Ⅰ)", 40, {"total": 428, "copay1": 43}), ("同一建物減算", -94, {})]


def test_a_band_and_a_care_level_in_one_cell_under_a_ditto_mark(tmp_path):
    """'利用時間・要介護度' heading cells that hold both ('7時間以上8時間未満 要介護1'), then a ditto
    mark for the band ('〃 要介護2'): each row's own care level, never the level of the row above
    (the first row of the second band had become 要介護5, and a false duplicate-item-units)."""
    res = read(tmp_path, "通所介護\n利用時間・要介護度\t単位数\t利用料\t1割負担\n"
                         "6時間以上7時間未満 要介護1\t584\t6,155円\t616円\n〃 要介護2\t689\t7,262円\t727円\n"
                         "7時間以上8時間未満 要介護1\t658\t6,935円\t694円\n〃 要介護2\t777\t8,189円\t819円\n")
    assert [(r.care_levels, r.time_band, r.units) for r in res.rows] == [
        (["要介護1"], "6時間以上7時間未満", 584), (["要介護2"], "6時間以上7時間未満", 689),
        (["要介護1"], "7時間以上8時間未満", 658), (["要介護2"], "7時間以上8時間未満", 777)]


def test_a_table_copied_a_cell_to_a_line_with_signed_units_and_a_title_over_its_header(tmp_path):
    """Cells a line each: an addition's units with a plus ('+65単位') are one value, not '+'
    and a value; and a title the next name begins with ('加算' over '加算名') is no column."""
    cells = ["サービス内容", "所要時間", "単位数", "利用料", "1割負担",
             "身体介護", "20分未満", "163単位", "1,744円", "175円",
             "身体介護に引き続き生活援助を行った場合", "生活援助20分以上45分未満", "+65単位", "695円", "70円"]
    adds = ["加算", "加算名", "単位数", "利用料", "1割負担",
            "初回加算（1月につき）", "200単位", "2,140円", "214円", "緊急時訪問介護加算（1回につき）", "100単位", "1,070円", "107円"]
    res = read(tmp_path, "訪問介護サービス\n1単位の単価：10.70円\n\n" + "\n".join(cells) + "\n\n" + "\n".join(adds) + "\n")
    assert [(r.units, r.amounts) for r in res.rows] == [
        (163, {"total": 1744, "copay1": 175}), (65, {"total": 695, "copay1": 70}),
        (200, {"total": 2140, "copay1": 214}), (100, {"total": 1070, "copay1": 107})]


def test_a_grid_of_care_levels_across_with_each_line_naming_its_values(tmp_path):
    """A Word 重要事項説明書's grid: care levels across the top under '区分', a line per kind of
    value down the side ('単位数', '利用料(10割)', '1割負担', '2割負担', '3割負担'): one row per care
    level with its units and every amount (each line had been rows of its own, named '単位数')."""
    res = read(tmp_path, "通所介護\n(1)基本料金(1単位=10.27円)\n【5時間以上6時間未満】\n"
                         "区分\t要介護1\t要介護2\n単位数\t570単位\t673単位\n利用料(10割)\t5,853円\t6,911円\n"
                         "1割負担\t586円\t692円\n2割負担\t1,171円\t1,383円\n3割負担\t1,756円\t2,074円\n")
    assert [(r.care_levels, r.time_band, r.units, r.amounts) for r in res.rows] == [
        (["要介護1"], "5時間以上6時間未満", 570, {"total": 5853, "copay1": 586, "copay2": 1171, "copay3": 1756}),
        (["要介護2"], "5時間以上6時間未満", 673, {"total": 6911, "copay1": 692, "copay2": 1383, "copay3": 2074})]


def test_a_ditto_mark_and_a_fee_scaled_down_in_a_cell(tmp_path):
    """'〃' under the names column is the name of the row above (those rows had been dropped,
    a name with no meaning), and '所定単位数の50/100で算定' in a row of 減算 is a reduction of half."""
    res = read(tmp_path, "居宅介護支援\n区分\t要介護度\t単位数\t利用料\n"
                         "居宅介護支援費（Ⅰ）（ⅰ）\t要介護１・２\t1,086\t12,000円\n〃\t要介護３・４・５\t1,411\t15,591円\n\n"
                         "加算の種類\t算定\t単位数\t利用料\n初回加算\t1月につき\t300\t3,315円\n"
                         "運営基準減算\t所定単位数の50/100で算定\n")
    assert [(r.item, tuple(r.care_levels), r.units) for r in res.rows if r.units] == [
        ("居宅介護支援費(Ⅰ)(i)", ("要介護1", "要介護2"), 1086), ("居宅介護支援費(Ⅰ)(i)", ("要介護3", "要介護4", "要介護5"), 1411),
        ("初回加算", (), 300)]
    assert [(r.item, str(r.rate), r.kind) for r in res.rows if r.rate is not None] == [("運営基準減算", "-0.5", "reduction")]


def test_a_table_with_no_header_gets_its_roles_from_its_keys_and_its_arithmetic(tmp_path):
    """Rows under a title, no header: the keys are care levels, the units and the yen are
    told apart by floor(units × a 地域単価) and the share by its rule; a key written
    'key：value' is a cell of its own."""
    res = read(tmp_path, "通所介護費（7時間以上8時間未満）\n"
                         "要介護1：658単位　6,876円　688円\n"
                         "要介護2：777単位　8,119円　812円\n"
                         "要介護3：900単位　9,405円　941円\n")
    assert [(r.care_levels, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], "7時間以上8時間未満", 658, {"total": 6876, "copay1": 688}),
        (["要介護2"], "7時間以上8時間未満", 777, {"total": 8119, "copay1": 812}),
        (["要介護3"], "7時間以上8時間未満", 900, {"total": 9405, "copay1": 941}),
    ]
    assert [c["role"] for c in res.tables[0]["columns"]] == ["care_level", "units", "total", "copay1"]
    assert res.tables[0]["unit_price"] == "10.45"


def test_a_share_labelled_in_its_cell_under_no_header(tmp_path):
    res = read(tmp_path, "■通所介護費（7時間以上8時間未満）1日につき\n"
                         "要介護1：658単位　利用者負担（1割）688円\n"
                         "要介護2：777単位　利用者負担（1割）812円\n"
                         "要介護3：900単位　利用者負担（1割）941円\n")
    assert [(r.care_levels, r.units, dict(r.amounts), r.basis) for r in res.rows] == [
        (["要介護1"], 658, {"copay1": 688}, "day"), (["要介護2"], 777, {"copay1": 812}, "day"),
        (["要介護3"], 900, {"copay1": 941}, "day")]


def test_rows_of_yen_only_with_no_header_are_no_table(tmp_path):
    """Nothing names what yen with no units and no header are (an estimate of a stay's cost by
    its length): no rows."""
    res = read(tmp_path, "お泊り料金概算一覧表\n宿泊期間\t1泊2日\t2泊3日\n"
                         "要介護1\t¥6,154\t¥10,767\n要介護2\t¥6,474\t¥11,248\n要介護3\t¥6,805\t¥11,743\n")
    assert res.rows == []


def test_a_line_of_price_and_date_under_the_title_is_no_title(tmp_path):
    res = read(tmp_path, "ご利用料金表（通所介護）\n"
                         "令和6年4月1日改定 ／ 地域区分：3級地（1単位＝10.68円） ／ 1日あたりの料金です\n"
                         "要介護度\t単位数\t費用総額\t1割負担\n"
                         "要介護1\t658\t7,027円\t703円\n要介護2\t777\t8,298円\t830円\n")
    assert {r.item for r in res.rows} == {"通所介護"}  # (a title of fees in general names no fee: the service does)


def test_tables_titled_by_a_room_alone_keep_the_fee_heading_above_the_first(tmp_path):
    block = "要介護度\t単位数\t1割負担\n要介護1\t589単位\t642円\n要介護2\t659単位\t719円\n"
    res = read(tmp_path, "当施設の地域区分は1級地（1単位10.90円）です。\n\n介護福祉施設サービス費（1日あたり）\n\n"
                         f"【従来型個室】\n{block}\n【多床室】\n{block}")
    assert [r.item for r in res.rows] == ["介護福祉施設サービス費(1日あたり) 従来型個室"] * 2 + [
        "介護福祉施設サービス費(1日あたり) 多床室"] * 2


def test_cells_a_line_with_a_notes_column_left_empty_on_some_rows(tmp_path):
    """A web page copied a cell to a line: an empty 備考 cell is a blank line, and the row
    ends there; a filled one is the row's note, not the next row's name."""
    res = read(tmp_path, "主な加算（1日あたり）\n加算名\n単位数\n1割負担\n備考\n"
                         "日常生活継続支援加算（Ⅰ）\n36単位\n40円\n従来型\n"
                         "看護体制加算（Ⅰ）イ\n6単位\n7円\n\n"
                         "初期加算\n30単位\n33円\n入所日から30日以内\n"
                         "栄養マネジメント強化加算\n11単位\n12円\n\n")
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows] == [
        ("日常生活継続支援加算(Ⅰ)", 36, {"copay1": 40}), ("看護体制加算(Ⅰ)イ", 6, {"copay1": 7}),
        ("初期加算", 30, {"copay1": 33}), ("栄養マネジメント強化加算", 11, {"copay1": 12})]


def test_a_grid_whose_line_names_stand_in_a_column_with_no_header(tmp_path):
    """Care levels across the top, each band three lines (単位数 / 利用料 / 自己負担額) named in
    a column the header leaves empty."""
    page = tmp_path / "grid.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>通所介護 基本料金 1単位10.27円</p><table>"
        "<tr><th colspan='2' rowspan='2'>サービス提供時間</th><th colspan='2'>要介護度</th></tr>"
        "<tr><th>要介護１</th><th>要介護２</th></tr>"
        "<tr><th rowspan='3'>3時間以上<br>4時間未満</th><th>単位数</th><td>370</td><td>423</td></tr>"
        "<tr><th>利用料</th><td>¥3,799</td><td>¥4,344</td></tr>"
        "<tr><th>自己負担額<br>（1割）</th><td>¥380</td><td>¥435</td></tr></table></body></html>", encoding="utf-8")
    res = extract(page)
    assert [(r.care_levels, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], "3時間以上4時間未満", 370, {"total": 3799, "copay1": 380}),
        (["要介護2"], "3時間以上4時間未満", 423, {"total": 4344, "copay1": 435})]


def test_a_basis_note_under_a_column_name_is_part_of_the_header(tmp_path):
    res = read(tmp_path, "地域区分:3級地 1単位=10.68円\n"
                         "居室区分\t要介護度\t単位数\t介護報酬額\t保険給付額\t利用者負担額\n"
                         "\t\t(1日)\t(10割)\t(9割)\t1割\n"
                         "従来型個室\t要介護1\t589\t6,290円\t5,661円\t629円\n"
                         "\t要介護2\t659\t7,038円\t6,334円\t704円\n")
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (589, {"total": 6290, "benefit": 5661, "copay1": 629}), (659, {"total": 7038, "benefit": 6334, "copay1": 704})]


def test_a_reductions_share_printed_without_its_sign_and_a_sentence_in_the_notes_column(tmp_path):
    res = read(tmp_path, "加算等の名称\t単位\t算定単位\t1割負担\t備考\n"
                         "送迎減算\t▲47\t片道\t▲51円\t送迎を行わない場合\n"
                         "介護職員等処遇改善加算(Ⅰ)\t所定単位数×9.2%\t1月\t-\t1月の総単位数に乗じます\n"
                         "業務継続計画未策定減算\t所定単位数の1/100\t1回\t-\t所定単位数から減算\n"
                         "身体拘束廃止未実施減算\t所定単位数×10%\t1日\t-\t\n")
    assert [(r.item, r.kind, r.units, r.rate) for r in res.rows] == [
        ("送迎減算", "reduction", -47, None), ("介護職員等処遇改善加算(Ⅰ)", "addition", None, Decimal("0.092")),
        ("業務継続計画未策定減算", "reduction", None, Decimal("-0.01")),
        ("身体拘束廃止未実施減算", "reduction", None, Decimal("-0.1"))]


def test_a_heading_straight_over_the_next_header_titles_that_table(tmp_path):
    """'加算・減算' on its own line between a grid and the next header is the next table's
    title: it names none of the grid's rows (they were lost under it), and a table named
    only by a service's everyday name (デイサービス) is that service's, and the document's title
    ('…ご利用料金表') names no fee: the grid's rows are the service's."""
    res = read(tmp_path, "デイサービスセンターこころ ご利用料金表 1単位10.72円\n"
                         "サービス提供時間\t要介護度\t単位数\tサービス費用額\t1割\n"
                         "7時間以上8時間未満\t要介護1\t658\t7,053円\t706円\n"
                         "\t要介護2\t777\t8,329円\t833円\n"
                         "加算・減算\n加算名\t単位数\tサービス費用額\t1割\n入浴介助加算(Ⅰ)\t40\t428円\t43円\n")
    assert res.recognizer == "general-table"
    assert [(r.service, r.item, r.care_levels, r.units) for r in res.rows] == [
        ("通所介護", "通所介護", ["要介護1"], 658),
        ("通所介護", "通所介護", ["要介護2"], 777), ("通所介護", "入浴介助加算(Ⅰ)", [], 40)]


def test_support_levels_of_a_shogai_day_service_printed_from_the_highest_down(tmp_path):
    """障害支援区分 keys a 生活介護 grid ('区分6' … '区分2以下', highest first): each row's
    level, and the band merged over its rows reaches every one of them; an article heading
    ('第2条 利用料金') names no fee, the service does."""
    res = read(tmp_path, "生活介護事業 重要事項説明書\n地域区分:その他(1単位=10円)\n第2条 利用料金\n"
                         "所要時間\t障害支援区分\t単位数\tサービス費用額\t利用者負担額(1割)\n"
                         "5時間以上6時間未満\t区分6\t720\t7,200円\t720円\n\t区分5\t538\t5,380円\t538円\n"
                         "\t区分2以下\t300\t3,000円\t300円\n"
                         "6時間以上7時間未満\t区分6\t1,000\t10,000円\t1,000円\n\t区分5\t745\t7,450円\t745円\n"
                         "\t区分2以下\t415\t4,150円\t415円\n")
    assert [(r.item, r.care_levels, r.time_band, r.units) for r in res.rows] == [
        ("生活介護", ["区分6"], "5時間以上6時間未満", 720), ("生活介護", ["区分5"], "5時間以上6時間未満", 538),
        ("生活介護", ["区分1", "区分2"], "5時間以上6時間未満", 300), ("生活介護", ["区分6"], "6時間以上7時間未満", 1000),
        ("生活介護", ["区分5"], "6時間以上7時間未満", 745), ("生活介護", ["区分1", "区分2"], "6時間以上7時間未満", 415)]
    assert res.rows[0].scheme == "shogai"


def test_the_fee_named_over_the_care_levels_in_the_header(tmp_path):
    """The header's first cell names the fee and its band ('基本サービス費(7時間以上8時間未満)')
    over the care levels of the rows: a header, and the rows' name and band."""
    res = read(tmp_path, "デイサービス はなみずき 介護報酬額・自己負担額一覧(令和6年度)\n"
                         "基本サービス費(7時間以上8時間未満)\t単位数\t算定\t介護報酬額\t1割\n"
                         "要介護1\t658\t1回\t6,876\t688\n要介護2\t777\t1回\t8,119\t812\n")
    assert [(r.item, r.care_levels, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("基本サービス費", ["要介護1"], "7時間以上8時間未満", 658, {"total": 6876, "copay1": 688}),
        ("基本サービス費", ["要介護2"], "7時間以上8時間未満", 777, {"total": 8119, "copay1": 812})]


def test_reductions_listed_as_shares_of_the_units(tmp_path):
    res = read(tmp_path, "居宅介護支援 1単位10.70円\n■ 減算\n減算名\t内容\n"
                         "運営基準減算\t所定単位数の50/100に相当する単位数（2月以上継続の場合は算定しない）\n"
                         "同一建物減算\t所定単位数の95/100（事業所と同一敷地内等の建物に居住する利用者）\n"
                         "高齢者虐待防止措置未実施減算\t所定単位数の1/100を減算\n")
    assert [(r.item, r.kind, r.rate) for r in res.rows] == [
        ("運営基準減算", "reduction", Decimal("-0.5")), ("同一建物減算", "reduction", Decimal("-0.05")),
        ("高齢者虐待防止措置未実施減算", "reduction", Decimal("-0.01"))]


def test_cells_a_line_under_a_two_line_header_whose_first_row_lacks_its_centred_label(tmp_path):
    """A web table copied a cell to a line: '利用者負担' over 1割 2割 3割 and '(単位)' under
    所定単位数; the service's label, merged and centred, comes with the second row. The
    lower header line is no row's label."""
    cells = ["項目", "所要時間", "利用者負担", "基本利用料", "所定単位数", "1割", "2割", "3割", "（単位）",
             "２０分未満", "３５０円", "６９９円", "１０４８円", "３４９１円", "３１４",
             "訪問看護", "３０分未満", "５２４円", "１０４８円", "１５７２円", "５２３７円", "４７１",
             "３０分以上１時間未満", "９１６円", "１８３１円", "２７４６円", "９１５１円", "８２３"]
    res = read(tmp_path, "■ 訪問看護 基本料金（2級地）\n\n" + "\n".join(cells) + "\n")
    assert [(r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("20分未満", 314, {"copay1": 350, "copay2": 699, "copay3": 1048, "total": 3491}),
        ("30分未満", 471, {"copay1": 524, "copay2": 1048, "copay3": 1572, "total": 5237}),
        ("30分以上1時間未満", 823, {"copay1": 916, "copay2": 1831, "copay3": 2746, "total": 9151})]


def test_cells_run_together_under_notes_run_together_before_the_shares(tmp_path):
    """A header's lower line copied without its gaps, the columns' unit notes first
    ('(単位)(円)1割2割3割'), and a count as a row's key ('入所時1回') glued to its yen."""
    res = read(tmp_path, "■ 訪問看護 基本料金\n\nサービスの種類 時間 単位数 費用総額 ご利用者負担（円）\n"
                         "（単位）（円）1割2割3割\n訪問看護 20分未満314単位3579 358 716 1074\n"
                         "訪問看護 30分未満471単位5369 537 1074 1611\n"
                         "初回加算(Ⅰ)1月につき350単位3990 399 798 1197\n")
    assert [(r.item, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("訪問看護", "20分未満", 314, {"total": 3579, "copay1": 358, "copay2": 716, "copay3": 1074}),
        ("訪問看護", "30分未満", 471, {"total": 5369, "copay1": 537, "copay2": 1074, "copay3": 1611}),
        ("初回加算(Ⅰ)", None, 350, {"total": 3990, "copay1": 399, "copay2": 798, "copay3": 1197})]
    from extractor.tables.loose import loose_cells
    assert loose_cells("安全対策体制加算 入所時1回¥21¥210¥189 20") == (
        "安全対策体制加算", "入所時1回", "¥21", "¥210", "¥189", "20")


def test_a_label_printed_apart_from_the_rest_of_its_row_run_together(tmp_path):
    """'身体介護 1時間30分~2時間未満669¥681': the merged label a space apart, the band, units and
    copay glued; the table goes on through it."""
    res = read(tmp_path, "1単位=10.18円\nサービスの種類 利用時間 報酬単位数 1割\n30分未満256¥261\n"
                         "身体介護 30分~1時間未満404¥412\n1時間~1時間30分未満587¥598\n")
    assert [(r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("30分未満", 256, {"copay1": 261}), ("30分以上1時間未満", 404, {"copay1": 412}),
        ("1時間以上1時間30分未満", 587, {"copay1": 598})]
    assert {r.item for r in res.rows} == {"身体介護"}


def test_share_names_before_a_column_name_are_no_copay_value():
    from extractor.tables.structure import is_value_cell
    assert not is_value_cell("負担額(3割) 10割(全額)")
    assert not is_value_cell("10割 介護報酬単位数")
    assert is_value_cell("(1割)668円")


def test_a_small_units_value_after_a_fee_is_its_units_not_its_tier(tmp_path):
    """'療養食加算 | 8 | 84円': 8 units under 単位数; a tier printed as a lone number is 1 to 3, or
    has the fee's units after it ('協力医療機関連携加算 | 1 | 100')."""
    res = read(tmp_path, "1単位=10.55円\n加算名\t単位数\t費用総額\t1割\n療養食加算\t8\t84円\t9円\n"
                         "協力医療機関連携加算\t1\t100\t1,055円\t106円\n")
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows] == [
        ("療養食加算", 8, {"total": 84, "copay1": 9}), ("協力医療機関連携加算(1)", 100, {"total": 1055, "copay1": 106})]


def test_a_facility_that_runs_another_service_names_that_service(tmp_path):
    """'介護老人保健施設 すずらん苑 通所リハビリテーション': a 老健's day care; its rows are 通所リハ's."""
    res = read(tmp_path, "介護老人保健施設 すずらん苑 通所リハビリテーション\n利用料金表 1単位11.10円\n"
                         "提供時間\t要介護度\t単位数\t料金\t1割\n3時間以上4時間未満\t要介護1\t486\t5,394円\t540円\n")
    assert [r.service for r in res.rows] == ["通所リハビリテーション"]
    from extractor.services import document_service
    assert document_service(["特別養護老人ホーム ひまわり"]).canonical == "介護老人福祉施設"


def test_a_rental_price_list_of_products_under_their_kind(tmp_path):
    """福祉用具貸与: 種目 merged down over its products, 商品名, 型式, units, the monthly price."""
    res = read(tmp_path, "福祉用具貸与 貸与価格一覧表 1単位10円\n"
                         "種目\t商品名\t型式\t単位数\t月額貸与価格\t1割\n"
                         "車いす\t自走式標準型車いす\tKR-22N\t600\t6,000円\t600円\n"
                         "\t介助式軽量車いす\tKR-16L\t450\t4,500円\t450円\n")
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [(600, {"total": 6000, "copay1": 600}),
                                                              (450, {"total": 4500, "copay1": 450})]
    assert all("車いす" in r.label and r.item for r in res.rows)


def test_fees_as_a_definition_list_and_reductions_after_a_leader(tmp_path):
    """A web page's <dl>: each fee's name on its line, its units and yen (or its rate) on the next;
    and a list of reductions, a condition, a leader and the share taken away."""
    page = tmp_path / "list.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>訪問入浴介護 1単位の単価は11.12円です。</p><h2>加算</h2><dl>"
        "<dt>初回加算</dt><dd>200単位／月　（2,224円　1割負担 223円）<br>新規に計画を作成した月</dd>"
        "<dt>介護職員等処遇改善加算（Ⅱ）</dt><dd>1月あたりの総単位数（基本サービス費＋各種加算減算）の9.4％</dd></dl>"
        "<h2>減算</h2><ul><li>事業所と同一建物に居住する利用者へ提供する場合　…　▲ 所定単位数の10％減算</li></ul>"
        "</body></html>", encoding="utf-8")
    res = extract(page)
    assert [(r.item, r.kind, r.units, r.rate, dict(r.amounts)) for r in res.rows] == [
        ("初回加算", "addition", 200, None, {"total": 2224, "copay1": 223}),
        ("介護職員等処遇改善加算(Ⅱ)", "addition", None, Decimal("0.094"), {}),
        ("事業所と同一建物に居住する利用者へ提供する場合", "reduction", None, Decimal("-0.1"), {})]


def test_a_heading_over_a_group_of_columns_names_its_rows_service_not_their_levels(tmp_path):
    """'訪問入浴介護（要介護1～5）' over its columns says whose fees they are: the service; its rows
    are not keyed by the levels it lists (every 訪問入浴介護 row is for 要介護1 to 5)."""
    page = tmp_path / "groups.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>1単位の単価は11.12円</p><table>"
        "<tr><th rowspan='2'>区分</th><th colspan='2'>訪問入浴介護<br>（要介護1～5）</th>"
        "<th colspan='2'>介護予防訪問入浴介護<br>（要支援1・2）</th></tr>"
        "<tr><th>単位数</th><th>利用料</th><th>単位数</th><th>利用料</th></tr>"
        "<tr><th>全身入浴（基本）</th><td>1,266</td><td>14,077円</td><td>856</td><td>9,518円</td></tr>"
        "</table></body></html>", encoding="utf-8")
    res = extract(page)
    assert [(r.service, r.care_levels, r.units) for r in res.rows] == [
        ("訪問入浴介護", [], 1266), ("介護予防訪問入浴介護", [], 856)]


def test_cells_under_a_header_whose_first_name_has_no_role_stay_under_their_names(tmp_path):
    """A sheet's row with its 備考 cell empty: as many cells as the header's, the first under
    '平均工賃月額' (a name no list knows) and each value under its own column."""
    res = read(tmp_path, "1単位の単価\t10.60円\n平均工賃月額\t基本単位\t費用額(10割)\t給付額(9割)\t自己負担(1割)\t備考\n"
                         "4.5万円以上\t837単位\t8,872\t7,984\t888\t\n3.5万円以上4.5万円未満\t805単位\t8,533\t7,679\t854\t\n")
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (837, {"total": 8872, "benefit": 7984, "copay1": 888}), (805, {"total": 8533, "benefit": 7679, "copay1": 854})]


def test_a_level_no_scheme_has_is_no_crash(tmp_path):
    """'要支援4' (a scan's misread 要介護4, or a typo) orders nothing and breaks nothing."""
    res = read(tmp_path, "1単位10.17円\n要介護度\t単位数\t1割\n要支援4\t603\t614円\n要介護1\t603\t614円\n要介護3\t745\t758円\n")
    assert [r.units for r in res.rows] == [603, 603, 745]


def test_a_row_of_the_table_above_is_no_title_and_a_long_bracketed_title_is(tmp_path):
    """'2. 共同生活援助(…(Ⅰ)・世話人4:1・1日につき)' titles the table under it (its words outside
    the brackets are few); the last row of the table above ('虐待防止措置未実施減算 | 所定単位数の1%減算')
    never titles the next."""
    res = read(tmp_path, "障害福祉サービス利用料金表 その他地域 1単位10円\n"
                         "サービス\t算定\t単位数\t総費用額\n送迎加算(片道)\t1回につき\t186\t1,860円\n"
                         "虐待防止措置未実施減算\t\t所定単位数の1%減算\t\n"
                         "2. 共同生活援助(介護サービス包括型共同生活援助サービス費(Ⅰ)・世話人4:1・1日につき)\n"
                         "障害支援区分\t単位数\t総費用額\n区分6\t600\t6,000円\n区分5\t456\t4,560円\n")
    grid = [r for r in res.rows if r.care_levels]
    assert [(r.service, r.units) for r in grid] == [("共同生活援助", 600), ("共同生活援助", 456)]
    assert all("虐待" not in r.item for r in grid)


def test_a_fee_with_its_levels_under_a_kubun_column_and_a_title_with_a_note(tmp_path):
    """'訪問リハビリテーション費（要介護1～5）' under 区分: the row's name and its levels; the band in
    a title whose bracket holds a sentence ('（20分以上1回につき。1週に6回を限度）'); a date alone is
    no title."""
    res = read(tmp_path, "料金について\n令和6年6月1日改定\n1単位＝10.55円（地域区分 5級地）で計算しています。\n\n"
                         "■基本料金（20分以上1回につき。1週に6回を限度）\n区分\t単位数\t料金\t1割負担\n"
                         "訪問リハビリテーション費（要介護1～5）\t308単位\t3,249円\t325円\n"
                         "介護予防訪問リハビリテーション費（要支援1・2）\t298単位\t3,143円\t315円\n")
    assert [(r.item, r.care_levels, r.time_band, r.units) for r in res.rows] == [
        ("訪問リハビリテーション費", ["要介護1", "要介護2", "要介護3", "要介護4", "要介護5"], "20分以上", 308),
        ("介護予防訪問リハビリテーション費", ["要支援1", "要支援2"], "20分以上", 298)]


def test_a_base_fee_title_under_a_heading_naming_the_service_type(tmp_path):
    """'【1】基本サービス費(1日あたり)' names no service; the heading above it, once its date and
    its price cell are set aside, names the service's type ('通所介護(通常規模型)'): the rows'
    name carries both. A heading naming only the service leaves the base-fee title alone."""
    doc = ("デイサービスセンター はなみずき ご利用料金表\n"
           "通所介護(通常規模型) 令和6年4月1日適用\t地域区分:2級地(1単位=10.72円)\n"
           "【1】基本サービス費(1日あたり)\n"
           "所要時間\t要介護度\t単位数\tサービス利用料金\t1割負担\n"
           "7時間以上8時間未満\t要介護1\t658\t7,053円\t706円\n\t要介護2\t777\t8,329円\t833円\n")
    res = read(tmp_path, doc)
    assert [(r.item, r.care_levels, r.units) for r in res.rows] == [
        ("通所介護(通常規模型) 基本サービス費(1日あたり)", ["要介護1"], 658),
        ("通所介護(通常規模型) 基本サービス費(1日あたり)", ["要介護2"], 777)]
    plain = read(tmp_path, doc.replace("通所介護(通常規模型) 令和", "通所介護 令和"))
    # (a base-fee title under the service's name alone: the service's, the title in the label, its number dropped)
    assert {r.item for r in plain.rows} == {"通所介護"} and all("基本サービス費(1日あたり)" in r.label and "【1】" not in r.label
                                                                for r in plain.rows)


def test_a_table_a_cell_to_a_line_with_notes_after_rows_and_a_second_table(tmp_path):
    """A web page copied a cell to a line: a tier's rows under a label printed once (blank
    lines where the cell is empty), a note in brackets after a group's last value
    ('（月4回限度（末期の悪性腫瘍の方等は月8回））') that ends the row, and a second table whose
    title and header ('加算' / '加算名' '単位数' '利用料' '1割負担') are no row of the first."""
    cells = ["職種・区分", "単一建物居住者の人数", "単位数", "利用料", "1割負担",
             "薬剤師が行う場合", "1人", "518", "5,180円", "518円", "",
             "2人以上9人以下", "379", "3,790円", "379円", "",
             "10人以上", "342", "3,420円", "342円", "（月4回限度（末期の悪性腫瘍の方等は月8回））",
             "歯科衛生士等が行う場合", "1人", "362", "3,620円", "362円", "（月4回限度）", "",
             "加算", "加算名", "単位数", "利用料", "1割負担",
             "医療用麻薬持続注射療法加算", "250単位／回", "2,500円", "250円"]
    res = read(tmp_path, "居宅療養管理指導 料金表 1単位=10円\n\n" + "\n".join(cells) + "\n")
    assert [(r.item, r.conditions, r.units, dict(r.amounts)) for r in res.rows] == [
        ("薬剤師が行う場合", ["1人"], 518, {"total": 5180, "copay1": 518}),
        ("薬剤師が行う場合", ["2人以上9人以下"], 379, {"total": 3790, "copay1": 379}),
        ("薬剤師が行う場合", ["10人以上"], 342, {"total": 3420, "copay1": 342}),
        ("歯科衛生士等が行う場合", ["1人"], 362, {"total": 3620, "copay1": 362}),
        ("医療用麻薬持続注射療法加算", [], 250, {"total": 2500, "copay1": 250})], facts(res)


def test_a_title_that_is_a_condition_of_the_service_fee(tmp_path):
    """'①同一建物に居住する者以外の者に対して行う場合（1月につき）' over a care-level grid names
    no fee: the rows are the service's, on that condition."""
    res = read(tmp_path, "看護小規模多機能型居宅介護 料金表 1単位の単価10.17円\n"
                         "①同一建物に居住する者以外の者に対して行う場合（1月につき）\n"
                         "要介護度\t基本単位\t介護報酬額\tご負担額(1割)\n"
                         "要介護1\t12,447単位\t126,585円\t12,659円\n要介護2\t17,415単位\t177,110円\t17,711円\n")
    assert [(r.item, r.conditions, r.care_levels, r.units) for r in res.rows] == [
        ("看護小規模多機能型居宅介護", ["同一建物に居住する者以外の者に対して行う場合"], ["要介護1"], 12447),
        ("看護小規模多機能型居宅介護", ["同一建物に居住する者以外の者に対して行う場合"], ["要介護2"], 17415)], facts(res)


def test_a_tier_column_is_the_rows_condition_and_the_title_their_fee(tmp_path):
    """'平均工賃月額' (a 就労継続支援B型 wage tier) and '利用定員' head columns of tiers: each
    row's condition, the fee named by the title above."""
    res = read(tmp_path, "1単位の単価 10.60円\n就労継続支援B型サービス費(Ⅰ) 1日につき\n"
                         "平均工賃月額\t基本単位\t費用額(10割)\t自己負担(1割)\n"
                         "4.5万円以上\t837単位\t8,872\t888\n1万円未満\t566単位\t5,999\t600\n")
    assert [(r.item, r.conditions, r.units) for r in res.rows] == [
        ("就労継続支援B型サービス費(Ⅰ) 1日につき", ["4.5万円以上"], 837),
        ("就労継続支援B型サービス費(Ⅰ) 1日につき", ["1万円未満"], 566)], facts(res)


def test_a_tier_in_tenths_is_no_share(tmp_path):
    """'定着率 5割以上' (a 就労移行支援 tier), in the rows and in a line above the table, holds
    割 but names no share of the fee: the rows are read, and nothing breaks."""
    res = read(tmp_path, "1単位の単価 10円\n令和6年度は定着率「5割以上」の区分です\n就労移行支援サービス費(Ⅰ)\n"
                         "区分\t単位数\t総費用額\t利用者負担(1割)\n"
                         "就職後6月以上定着率 5割以上\t1,210\t12,100\t1,210\n"
                         "就職後6月以上定着率 4割以上5割未満\t1,022\t10,220\t1,022\n")
    assert [(r.units, dict(r.amounts)) for r in res.rows] == [
        (1210, {"total": 12100, "copay1": 1210}), (1022, {"total": 10220, "copay1": 1022})], facts(res)


def test_a_grid_whose_rows_each_hold_one_kind_of_value(tmp_path):
    """Care levels across the top, and under each time band a row of units, a row of fees and
    a row of 1割 amounts, each named in a cell of its own: a row per band and level with its
    three values (the labels' column has no header)."""
    res = read(tmp_path, "認知症対応型通所介護 利用料金表 1単位=10.33円\n"
                         "サービス提供時間\t\t要介護1\t要介護2\n"
                         "3時間以上4時間未満\t単位数\t543\t597\n\t費用額(円)\t5,609\t6,167\n\t1割負担(円)\t561\t617\n"
                         "4時間以上5時間未満\t単位数\t569\t626\n\t費用額(円)\t5,877\t6,466\n\t1割負担(円)\t588\t647\n")
    assert [(r.service, r.care_levels, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("認知症対応型通所介護", ["要介護1"], "3時間以上4時間未満", 543, {"total": 5609, "copay1": 561}),
        ("認知症対応型通所介護", ["要介護2"], "3時間以上4時間未満", 597, {"total": 6167, "copay1": 617}),
        ("認知症対応型通所介護", ["要介護1"], "4時間以上5時間未満", 569, {"total": 5877, "copay1": 588}),
        ("認知症対応型通所介護", ["要介護2"], "4時間以上5時間未満", 626, {"total": 6466, "copay1": 647})], facts(res)
    assert not res.findings, res.findings


def test_childrens_disability_services_are_not_day_care(tmp_path):
    """'放課後等デイサービス' holds 'デイサービス' (通所介護's everyday name) but is a 障害 service."""
    res = read(tmp_path, "放課後等デイサービス すまいる 利用料金 1単位10.36円\n"
                         "区分\t単位数\t費用額\t利用者負担(1割)\n授業終了後(3時間以上)\t604\t6,257\t625\n")
    assert [(r.service, r.scheme, r.units) for r in res.rows] == [("放課後等デイサービス", "shogai", 604)], facts(res)


def test_services_over_the_levels_and_rows_of_one_value_each(tmp_path):
    """A sheet's grid: services merged over their care levels on the line above the levels
    ('介護予防特定施設入居者生活介護' over 要支援1・2), then a row of units, a row of fees and
    the copays under one label over their shares ('自己負担額' '1割', then '2割' alone): a row
    per level, of the service over it."""
    res = read(tmp_path, "介護付有料老人ホーム ことぶき苑 利用料金表(介護保険サービス分)\n1単位の単価 10.90円\n"
                         "区分\t\t介護予防特定施設入居者生活介護\t\t特定施設入居者生活介護\t\n"
                         "\t\t要支援1\t要支援2\t要介護1\t要介護2\n"
                         "基本単位数(1日)\t\t183\t313\t542\t609\n"
                         "費用額(10割)\t\t1,994円\t3,411円\t5,907円\t6,638円\n"
                         "自己負担額\t1割\t200円\t342円\t591円\t664円\n"
                         "\t2割\t399円\t683円\t1,182円\t1,328円\n")
    assert [(r.service, r.item, r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        ("介護予防特定施設入居者生活介護", "介護予防特定施設入居者生活介護", ["要支援1"], 183,
         {"total": 1994, "copay1": 200, "copay2": 399}),
        ("介護予防特定施設入居者生活介護", "介護予防特定施設入居者生活介護", ["要支援2"], 313,
         {"total": 3411, "copay1": 342, "copay2": 683}),
        ("特定施設入居者生活介護", "特定施設入居者生活介護", ["要介護1"], 542,
         {"total": 5907, "copay1": 591, "copay2": 1182}),
        ("特定施設入居者生活介護", "特定施設入居者生活介護", ["要介護2"], 609,
         {"total": 6638, "copay1": 664, "copay2": 1328})], facts(res)
    assert not res.findings, res.findings


def test_a_services_own_name_wins_over_an_everyday_name():
    """'当デイサービスは…地域密着型通所介護です': the service's own name, later on the line, wins over
    the everyday name before it; a facility's name ('介護老人保健施設') is no everyday name."""
    from extractor.services import find_service
    assert find_service("当デイサービスは定員18名の地域密着型通所介護です").name == "地域密着型通所介護"
    assert find_service("デイサービスセンターはなみずき 料金表").canonical == "通所介護"
    assert find_service("介護老人保健施設 すずらん苑 居宅介護支援事業所").name == "介護老人保健施設"


def test_a_title_of_the_copays_names_no_fee(tmp_path):
    """'1回あたりの自己負担額(1割負担の方)' over a grid says what its amounts are, not what they
    are for: the rows are the service's."""
    res = read(tmp_path, "地域密着型通所介護 1単位=10.54円\n1回あたりの自己負担額(1割負担の方)\n"
                         "要介護度\t単位数\t自己負担額\n要介護1\t416\t439円\n要介護2\t478\t504円\n")
    assert [(r.item, r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        ("地域密着型通所介護", ["要介護1"], 416, {"copay1": 439}),
        ("地域密着型通所介護", ["要介護2"], 478, {"copay1": 504})], facts(res)


def test_a_table_of_charges_outside_the_tariff_by_its_header(tmp_path):
    """A sheet's '区分 | 居住費(日額) | 食費(日額)' over rooms and bare numbers: 実費, no tariff rows
    (the numbers would otherwise be taken for units)."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["地域密着型特別養護老人ホーム せせらぎ荘"], ["区分", "居住費(日額)", "食費(日額)"],
                ["従来型個室", 1231, 1445], ["多床室", 915, 1445], ["ユニット型個室", 2066, 1445]):
        ws.append(row)
    path = tmp_path / "fees.xlsx"
    wb.save(path)
    res = extract(path)
    assert res.rows == [], facts(res)


def test_support_levels_across_a_disability_grid_of_value_rows(tmp_path):
    """'障害支援区分 | 区分2以下 | 区分3 | 区分6' across a 施設入所支援 grid whose rows each hold one
    kind of value: the levels are 障害支援区分 ('区分2以下' is 区分1 and 区分2, '区分3' no 要介護3),
    and the base-fee title ('2 基本報酬…') names the service's fees."""
    res = read(tmp_path, "施設入所支援 1単位当たり10.18円\n2 基本報酬(1日あたり)\n"
                         "障害支援区分\t区分2以下\t区分3\t区分6\n単位数\t170\t236\t459\n"
                         "報酬額(10割)\t1,730円\t2,402円\t4,672円\n利用者負担額(1割)\t173円\t240円\t467円\n")
    assert [(r.item, r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        ("施設入所支援", ["区分1", "区分2"], 170, {"total": 1730, "copay1": 173}),
        ("施設入所支援", ["区分3"], 236, {"total": 2402, "copay1": 240}),
        ("施設入所支援", ["区分6"], 459, {"total": 4672, "copay1": 467})], facts(res)


def test_labels_wrapped_over_lines_of_text_copied_from_a_pdf(tmp_path):
    """Text copied from a PDF, each fee's name wrapped over lines above its values
    ('基本夜間対応型訪問介' / '護費（1月につき）  989 …'; '定期巡回サービス費' / '（1回につき） 372 …';
    a remark in the name, '※２人の…' / 'による場合（1回に' / 'つき）'): one row each, named whole;
    a numbered section's heading ('２　加算') is no row."""
    doc = ("夜間対応型訪問介護 料金表 1単位の単価は11.05円\n\n"
           "サービス内容            単位数     利用料            利用者負担額\n"
           "                                 （10割）     １割      ２割      ３割\n"
           "  基本夜間対応型訪問介\n"
           "  護費（1月につき）              989    10,928    1,093    2,186    3,279\n"
           "  定期巡回サービス費\n"
           "  （1回につき）                372     4,110      411      822    1,233\n"
           "  随時訪問サービス費（Ⅱ）\n"
           "  ※２人の訪問介護員等\n"
           "  による場合（1回に\n"
           "  つき）                    764     8,442      845    1,689    2,533\n"
           "２　加算\n"
           "  サービス提供体制強化\n"
           "  加算（Ⅰ）（1回につき）            22       243       25       49       73\n"
           "  サービス提供体制強化\n"
           "  加算（Ⅰ）※（Ⅱ）を算\n"
           "  定する場合（1月につ\n"
           "  き）                     154     1,701      171      341      511\n")
    res = read(tmp_path, doc)
    assert [(r.units, r.amounts["total"]) for r in res.rows] == [
        (989, 10928), (372, 4110), (764, 8442), (22, 243), (154, 1701)], facts(res)
    assert "サービス提供体制強化加算(Ⅰ)※(Ⅱ)を算定する場合" in res.rows[4].label
    names = [r.label for r in res.rows]
    assert "基本夜間対応型訪問介護費" in names[0] and "定期巡回サービス費" in names[1]
    assert "による場合" in names[2] and "サービス提供体制強化加算(Ⅰ)" in names[3], names


def test_markdown_headings_broken_from_their_columns_by_br(tmp_path):
    """'同一建物以外にお住まいの方<br>単位数 | 金額 | 同一建物にお住まいの方<br>単位数 | 金額' in a
    Markdown header: two groups of columns, each row read once per group, on its condition."""
    res = read(tmp_path, "# 小規模多機能型居宅介護 料金 1単位＝10.66円\n\n"
                         "| 要介護度 | 同一建物以外にお住まいの方<br>単位数 | 金額 | 同一建物にお住まいの方<br>単位数 | 金額 |\n"
                         "|:--|--:|--:|--:|--:|\n| 要介護1 | 10,458 | 111,482円 | 9,423 | 100,449円 |\n", name="fees.md")
    assert [(r.care_levels, r.conditions, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], ["同一建物以外にお住まいの方"], 10458, {"total": 111482}),
        (["要介護1"], ["同一建物にお住まいの方"], 9423, {"total": 100449})], facts(res)


def test_a_header_words_end_above_the_first_row_is_no_part_of_its_label(tmp_path):
    """'総費' / '用額' wrapped in the header's last column, far right of the rows' labels: the
    first row's name stays its own ('初回加算', not '用額初回加算')."""
    doc = ("重度訪問介護 １単位＝１０．９６円\n■ 加算\n\n"
           "加算名                              備考         1割                      総費\n"
           "                                                                          用額\n"
           "初回加算                            １月につき                 ２１９円   ２，１９２円(２００単位)\n"
           "緊急時対応加算                      １回につき                 １０９円   １，０９６円(１００単位)\n")
    res = read(tmp_path, doc)
    assert [(r.item, r.units) for r in res.rows] == [("初回加算", 200), ("緊急時対応加算", 100)], facts(res)


def test_a_title_ending_in_the_copays_it_lists_names_no_fee(tmp_path):
    """'介護サービス費 1日あたりの自己負担額(1割負担の方)' over rooms × care levels: the rows are the
    service's, each room its condition."""
    res = read(tmp_path, "地域密着型介護老人福祉施設 せせらぎ荘\n介護サービス費 1日あたりの自己負担額(1割負担の方)\n"
                         "居室区分\t要介護度\t単位数\t自己負担額(1割・1日)\n従来型個室\t要介護1\t600\t617円\n")
    assert [(r.item, r.conditions, r.care_levels, r.units) for r in res.rows] == [
        ("地域密着型介護老人福祉施設", ["従来型個室"], ["要介護1"], 600)], facts(res)


def test_a_second_name_column_tells_its_rows_apart(tmp_path):
    """'項目' then '内容': two rows of one addition ('児童指導員等加配加算') told apart by what
    their 内容 says are two fees on two conditions, not one fee printed twice with two units."""
    res = read(tmp_path, "放課後等デイサービス 1単位10.36円\n項目\t内容\t単位数\t金額\n"
                         "児童指導員等加配加算\t常勤専従・経験5年以上\t187\t1,937円\n"
                         "児童指導員等加配加算\t常勤専従・経験5年未満\t152\t1,574円\n")
    assert [(r.item, r.conditions, r.units) for r in res.rows] == [
        ("児童指導員等加配加算", ["常勤専従・経験5年以上"], 187), ("児童指導員等加配加算", ["常勤専従・経験5年未満"], 152)]
    from extractor.reconcile import reconcile
    assert not [f for f in reconcile(res).findings if f.severity == "error"]


def test_a_marked_line_is_no_condition_of_the_row_above_and_a_page_count_no_row(tmp_path):
    """'【減算】…場合は所定単位数の97/100…' under a rate row is a paragraph of its own, not that row's
    condition (its 97/100 would contradict the row's 7.5%); '1 / 2 ページ' is a page's mark."""
    res = read(tmp_path, "1単位10.72円\n加算名\t算定\t単位数\t金額\n送迎加算\t片道につき\t184\t1,972円\n"
                         "介護職員等処遇改善加算(Ⅰ)\t1月につき\t所定単位数の7.5%を加算\n"
                         "【減算】夜勤を行う職員の勤務条件基準を満たさない場合は所定単位数の97/100で算定します\n1 / 2 ページ\n")
    assert [(r.item, r.units) for r in res.rows][:2] == [("送迎加算", 184), ("介護職員等処遇改善加算(Ⅰ)", None)], facts(res)
    assert not any("97/100" in c for c in res.rows[1].conditions), res.rows[1].conditions
    from extractor.reconcile import reconcile
    assert not [f for f in reconcile(res).findings if f.severity == "error"]


def test_a_column_of_services_beside_the_fees_names(tmp_path):
    """'サービス | 加算名 | 単位 …': both headers name items, but the first column holds services'
    names alone ('居宅介護', '重度訪問介護'): each row is its service's, named by the second."""
    res = read(tmp_path, "1単位10.72円\n加算\nサービス\t加算名\t単位\t10割\t1割\n"
                         "居宅介護\t初回加算\t200\t¥2,144\t¥214\n重度訪問介護\t移動介護加算(1時間未満)\t100\t¥1,072\t¥107\n")
    assert [(r.service, r.item, r.units) for r in res.rows] == [
        ("居宅介護", "初回加算", 200), ("重度訪問介護", "移動介護加算", 100)], facts(res)


def test_a_fee_name_with_its_levels_under_a_level_column(tmp_path):
    """'区分' (a care-level word) over '居宅介護支援費(Ⅰ)(i) 要介護1・2': the levels are the row's,
    the fee's name its item (two tiers, (i) and (ii), are two fees, not one printed twice)."""
    res = read(tmp_path, "居宅介護支援費(1月あたり) 1単位=10.42円\n区分\t単位数\t費用総額\n"
                         "居宅介護支援費(Ⅰ)(i) 要介護1・2\t1,086単位\t11,316円\n"
                         "居宅介護支援費(Ⅰ)(ii) 要介護1・2\t544単位\t5,668円\n")
    assert [(r.item, r.care_levels, r.units) for r in res.rows] == [
        ("居宅介護支援費(Ⅰ)(i)", ["要介護1", "要介護2"], 1086), ("居宅介護支援費(Ⅰ)(ii)", ["要介護1", "要介護2"], 544)], facts(res)


def test_units_on_one_line_their_yen_on_the_next_under_a_two_line_header(tmp_path):
    """'サービス区分 | 所要時間 | 単位数' over ' | | 利用料 | 1割 | 2割 | 3割' (上の行が単位数、下の行が
    金額): each row's units on one line, its yen on the next under the amounts' names."""
    doc = ("訪問介護 料金のご案内 1単位=10.42円\n上の行が単位数、下の行が金額です。\n\n"
           "サービス区分\t所要時間\t単位数\n\t\t利用料\t1割\t2割\t3割\n\n"
           "身体介護\t20分未満\t163単位\n\t\t1,698円\t170円\t340円\t510円\n"
           "\t20分以上30分未満\t244単位\n\t\t2,542円\t255円\t509円\t763円\n"
           "生活援助\t45分以上\t220単位\n\t\t2,292円\t230円\t459円\t688円\n")
    res = read(tmp_path, doc)
    assert [(r.item, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("身体介護", "20分未満", 163, {"total": 1698, "copay1": 170, "copay2": 340, "copay3": 510}),
        ("身体介護", "20分以上30分未満", 244, {"total": 2542, "copay1": 255, "copay2": 509, "copay3": 763}),
        ("生活援助", "45分以上", 220, {"total": 2292, "copay1": 230, "copay2": 459, "copay3": 688})], facts(res)


def test_a_grid_of_two_bands_keeps_the_columns_band_as_a_condition(tmp_path):
    """身体介護's time down the side, 生活援助's across the top: each row keeps its own band and
    the column's as a condition (one fee per pair, not one printed four times with four units)."""
    res = read(tmp_path, "訪問介護 1単位＝11.12円\n身体介護の時間\t生活援助 20分以上45分未満\t生活援助 45分以上70分未満\n"
                         "20分以上30分未満\t309単位\t374単位\n30分以上1時間未満\t452単位\t517単位\n")
    got = [(r.time_band, r.units, r.conditions) for r in res.rows]
    assert (("30分以上1時間未満", 452, ["生活援助 20分以上45分未満"]) in got
            and ("20分以上30分未満", 309, ["生活援助 20分以上45分未満"]) in got), got
    from extractor.reconcile import reconcile
    assert not [f for f in reconcile(res).findings if f.code == "duplicate-item-units"]


def test_the_next_tables_caption_is_no_label_of_the_rows_above(tmp_path):
    """Sections one under another, each a heading, then a table under its caption with the
    same header each time: the next section's heading ends the table above it (it is the
    next one's title), and never names the rows above it."""
    page = tmp_path / "fees.html"
    grid = ("<tr><th>所要時間</th><th>単位数</th><th>総費用額</th><th>利用者負担額</th></tr>"
            "<tr><td>30分未満</td><td>{}</td><td>{}円</td><td>{}円</td></tr>"
            "<tr><td>30分以上1時間未満</td><td>{}</td><td>{}円</td><td>{}円</td></tr>")
    page.write_text("<html><body><p>居宅介護 1単位10.60円</p>"
                    "<section><h3>通院等介助(身体介護を伴う場合)</h3><table><caption>通院時の移動介助に身体介護を伴う場合</caption>"
                    + grid.format(256, "2,713", 271, 404, "4,282", 428) + "</table></section>"
                    "<section><h3>通院等介助(身体介護を伴わない場合)</h3><table><caption>通院時の付き添い・受診手続き等</caption>"
                    + grid.format(106, "1,123", 112, 197, "2,088", 208) + "</table></section></body></html>", encoding="utf-8")
    res = extract(page)
    assert [(r.units, "伴わない" in r.label) for r in res.rows][:2] == [(256, False), (404, False)], facts(res)
    assert [r.units for r in res.rows] == [256, 404, 106, 197]


def test_a_base_fee_title_saying_how_its_table_is_laid_out(tmp_path):
    """'■ 基本料金（訪問看護費） 職種・時間区分別' over 看護師 and 准看護師 column groups: a title of
    the service's base fees, laid out by job and band; the rows are the service's."""
    res = read(tmp_path, "訪問看護ステーション 1単位の単価は10.84円\n■ 基本料金（訪問看護費） 職種・時間区分別\n"
                         "時間区分\t単位数\t1割\n20分未満\t314\t341円\n30分未満\t471\t511円\n")
    assert {r.item for r in res.rows} == {"訪問看護"} and all("職種・時間区分別" in r.label for r in res.rows), facts(res)


def test_a_web_grid_of_two_groups_under_a_three_line_header(tmp_path):
    """'所要時間 | 要介護度 | 通常規模型 (colspan 4) | 大規模型 (colspan 4)' over '単位数 | 自己負担額 (colspan 3)'
    twice over '1割 | 2割 | 3割' twice: every row read once per group, each of its group."""
    page = tmp_path / "rehab.html"
    page.write_text(
        "<html><body><p>通所リハビリテーション 1単位=10.55円</p><table>"
        "<tr><th rowspan='3'>所要時間</th><th rowspan='3'>要介護度</th><th colspan='4'>あおば病院デイケア(通常規模型)</th>"
        "<th colspan='4'>あおばの里デイケア(大規模型)</th></tr>"
        "<tr><th rowspan='2'>単位数</th><th colspan='3'>自己負担額</th><th rowspan='2'>単位数</th><th colspan='3'>自己負担額</th></tr>"
        "<tr><th>1割</th><th>2割</th><th>3割</th><th>1割</th><th>2割</th><th>3割</th></tr>"
        "<tr><td>1時間以上2時間未満</td><td>要介護1</td><td>369</td><td>390円</td><td>779円</td><td>1,168円</td>"
        "<td>357</td><td>377円</td><td>754円</td><td>1,130円</td></tr></table></body></html>", encoding="utf-8")
    res = extract(page)
    assert [(r.conditions, r.units, dict(r.amounts)) for r in res.rows] == [
        (["あおば病院デイケア(通常規模型)"], 369, {"copay1": 390, "copay2": 779, "copay3": 1168}),
        (["あおばの里デイケア(大規模型)"], 357, {"copay1": 377, "copay2": 754, "copay3": 1130})], facts(res)


def test_a_title_with_digits_between_two_grids_is_the_second_ones(tmp_path):
    """A web page's grid of units, then '1回あたりの自己負担額(1割負担の方)' and a sentence over the
    same grid in 1割 yen: the line (digits and all) titles the second grid; the first grid's
    rows do not take it as their name."""
    def grid(a, b, c, d):
        return ("<table><tr><th rowspan='2'>要介護度</th><th colspan='2'>サービス提供時間</th></tr>"
                "<tr><th>3時間以上4時間未満</th><th>4時間以上5時間未満</th></tr>"
                f"<tr><td>要介護1</td><td>{a}</td><td>{b}</td></tr><tr><td>要介護2</td><td>{c}</td><td>{d}</td></tr></table>")
    page = tmp_path / "fees.html"
    page.write_text("<html><body><p>当デイサービスは地域密着型通所介護です。</p><h3>基本料金(1回あたりの単位数)</h3>"
                    + grid(416, 436, 478, 501) + "<h3>1回あたりの自己負担額(1割負担の方)</h3>"
                    "<p>地域区分:4級地(1単位=10.54円)で計算しています。</p>" + grid("439円", "460円", "504円", "528円")
                    + "</body></html>", encoding="utf-8")
    res = extract(page)
    assert {r.item for r in res.rows} == {"地域密着型通所介護"}, facts(res)
    assert sorted((r.units, r.amounts.get("copay1")) for r in res.rows) == [(416, 439), (436, 460), (478, 504), (501, 528)]


def test_a_service_code_in_two_columns_under_name_headers(tmp_path):
    """A city's code list: '種類 | 項目' (words the list knows as names) over 'A2 | 1111', the two
    parts of a service code, beside the name, units and yen: codes, and the rows read."""
    res = read(tmp_path, "訪問型サービス（独自）の1単位の単価 10.21円\n"
                         "種類\t項目\tサービス内容略称\t単位数\t費用額\t給付費\t利用者負担\n"
                         "A2\t1111\t訪問型独自サービス11\t1,176\t12,006\t10,805\t1,201\n"
                         "A2\t1211\t訪問型独自サービス12\t2,349\t23,983\t21,584\t2,399\n")
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows] == [
        ("訪問型独自サービス11", 1176, {"total": 12006, "benefit": 10805, "copay1": 1201}),
        ("訪問型独自サービス12", 2349, {"total": 23983, "benefit": 21584, "copay1": 2399})], facts(res)


def test_two_header_names_run_together_each_completed_below(tmp_path):
    """A header copied from a PDF whose cells wrapped: the upper halves of two columns' names
    ran together ('所定単位利用料' for 所定単位数 | 利用料金) and their lower halves follow on the
    next line, apart ('数 金') or run together too ('数金'). Each half completed by its own
    fragment names its column, and the rows read with units and fee both."""
    for low in ("数 金 担額", "数金 担額"):
        res = read(tmp_path, "サービス 提供時間 所定単位利用料 利用者負\n"
                             f"{low}\n"
                             "身体介護 20分以上30分未満 244単位 2,491円 250円\n"
                             "身体介護 30分以上1時間未満 387単位 3,951円 396円\n")
        assert [(r.item, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
            ("身体介護", "20分以上30分未満", 244, {"total": 2491, "copay1": 250}),
            ("身体介護", "30分以上1時間未満", 387, {"total": 3951, "copay1": 396})], (low, facts(res))


def test_a_units_grid_titled_so_joins_its_share_grid(tmp_path):
    """'■基本料金 1回あたりの単位数' over a grid of bare numbers: the title says they are units
    (料金 in it does not make them yen), and the 1割 grid of the same keys below joins it."""
    res = read(tmp_path, "■基本料金　1回あたりの単位数\n"
                         "要介護度　３時間以上４時間未満　４時間以上５時間未満\n"
                         "要介護１　370　388\n"
                         "要介護２　423　444\n"
                         "\n"
                         "■1割負担の方の自己負担額（1回あたり）\n"
                         "要介護度    3～4時間    4～5時間\n"
                         "要介護1      ３８７円     ４０６円\n"
                         "要介護2      ４４２円     ４６４円\n"
                         "※1単位の単価は10.45円です。\n", encoding="cp932")
    assert [(r.care_levels, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], "3時間以上4時間未満", 370, {"copay1": 387}),
        (["要介護1"], "4時間以上5時間未満", 388, {"copay1": 406}),
        (["要介護2"], "3時間以上4時間未満", 423, {"copay1": 442}),
        (["要介護2"], "4時間以上5時間未満", 444, {"copay1": 464})], facts(res)


def test_a_sections_service_and_numbered_titles_of_its_grids(tmp_path):
    """A city's page: '2 訪問介護' heads its section, '(1)身体介護(1回あたり)' titles the first grid
    (a numbered heading, not a bracketed note), '(2)生活援助' the second, and the next section's
    heading '(3)…' after the second grid's last row names none of its rows. Each grid's service
    is its section's, not the page's first."""
    html = """<html><body><h1>訪問型サービス・訪問介護の利用料金</h1>
<p>1単位10.84円で計算します。</p>
<h2>1　訪問型サービス（総合事業）</h2><p>要支援の方が利用できます。</p>
<h2>2　訪問介護（ホームヘルプ）</h2>
<h3>（1）身体介護（1回あたり）</h3>
<table><tr><th>所要時間</th><th>20分未満</th><th>20分以上<br>30分未満</th></tr>
<tr><th>単位数</th><td>163単位</td><td>244単位</td></tr>
<tr><th>1割負担</th><td>177円</td><td>265円</td></tr></table>
<h3>（2）生活援助（1回あたり）</h3>
<table><tr><th>所要時間</th><th>20分以上<br>45分未満</th><th>45分以上</th></tr>
<tr><th>単位数</th><td>179単位</td><td>220単位</td></tr>
<tr><th>1割負担</th><td>194円</td><td>239円</td></tr></table>
<h3>（3）身体介護に引き続き生活援助を行った場合</h3>
<p>身体介護の単位数に、次の単位数を加えます。</p>
</body></html>"""
    res = read(tmp_path, html, name="page.html")
    got = [(r.service, r.item, r.time_band, r.units, dict(r.amounts)) for r in res.rows]
    assert got == [
        ("訪問介護", "身体介護(1回あたり)", "20分未満", 163, {"copay1": 177}),
        ("訪問介護", "身体介護(1回あたり)", "20分以上30分未満", 244, {"copay1": 265}),
        ("訪問介護", "生活援助(1回あたり)", "20分以上45分未満", 179, {"copay1": 194}),
        ("訪問介護", "生活援助(1回あたり)", "45分以上", 220, {"copay1": 239})], got


def test_a_grid_named_in_its_corner_with_a_row_per_value_kind(tmp_path):
    """'身体介護' in the corner over the bands, then a row of units, a row of fees and a row of
    copays: one row per band, named by the corner, and the step note under it is its last band's."""
    res = read(tmp_path, "地域区分：３級地　１単位の単価 10.90円\n"
                         "身体介護\t30分未満\t30分以上1時間未満\t1時間以上\n"
                         "単位数\t256\t404\t587\n"
                         "利用料\t2,790\t4,403\t6,398\n"
                         "利用者負担額\t279\t440\t639\n"
                         "※1時間以上は、以降30分を増すごとに83単位を加算します。\n")
    assert [(r.item, r.time_band, r.units, dict(r.amounts), r.step and r.step.units) for r in res.rows] == [
        ("身体介護", "30分未満", 256, {"total": 2790, "copay1": 279}, None),
        ("身体介護", "30分以上1時間未満", 404, {"total": 4403, "copay1": 440}, None),
        ("身体介護", "1時間以上", 587, {"total": 6398, "copay1": 639}, 83)], facts(res)


def test_a_row_of_benefit_limits_under_the_fees_is_no_fee(tmp_path):
    """'区分支給限度基準額（参考）' on a row of the grid, under the fees: set aside, no row."""
    res = read(tmp_path, "地域区分：１級地（１単位＝11.40円）\n"
                         "区分\t\t要介護1\t要介護2\n"
                         "訪問看護サービスを行わない場合\t単位数\t5,446\t9,720\n"
                         "\t利用料（10割）\t62,084円\t110,808円\n"
                         "区分支給限度基準額（参考）\t単位数\t16,765\t19,705\n")
    assert [(r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], 5446, {"total": 62084}), (["要介護2"], 9720, {"total": 110808})], facts(res)


def test_a_title_that_names_units_names_no_fee(tmp_path):
    """'【表1】基本単位数（1回あたり・単位）': what the numbers are, not what they are for; the rows
    are the service's base fee."""
    res = read(tmp_path, "通所リハビリテーション料金表　1単位 11.10円\n"
                         "【表1】基本単位数（1回あたり・単位）\n"
                         "所要時間\t要介護1\t要介護2\n"
                         "1時間以上2時間未満\t369\t398\n")
    assert [(r.item, r.care_levels, r.units) for r in res.rows] == [
        ("通所リハビリテーション", ["要介護1"], 369), ("通所リハビリテーション", ["要介護2"], 398)], facts(res)


def test_a_wrapped_labels_closing_bracket_run_into_the_value_beside_it():
    """A PDF label wrapped over lines whose last line ran wider than its column: its ')' lands in
    the units cell ('265)'); it is the label's."""
    from extractor.sources.base import Line
    from extractor.tables.cells import Cell, Row
    from extractor.tables.structure import _stray_bracket
    row = Row(Line.of("", 3, page=1), [Cell("訪問する場合(1回につき", 0, 100), Cell("265)", 100, 130),
                                                 Cell("2,835円", 130, 180)], placed=True)
    assert [c.text for c in _stray_bracket(row).cells] == ["訪問する場合(1回につき)", "265", "2,835円"]


def test_the_other_shares_of_a_grid_on_a_sheet_of_their_own(tmp_path):
    """A spreadsheet: 費用総額, 保険給付額 and 1割 by room and care level on one sheet, 2割 and 3割
    of the same rows on the next (its rooms without the tier mark, '従来型個室' for
    '従来型個室(ⅰ)'): one row each, with all five amounts, as every row agrees at the price."""
    from openpyxl import Workbook
    wb = Workbook()
    one = wb.active
    one.title = "1割"
    one.append(["介護医療院 1単位10.14円"])
    one.append(["居室", "要介護度", "単位数", "費用総額", "保険給付額", "自己負担額(1割)"])
    one.append(["従来型個室(ⅰ)", "要介護1", 721, "7,310円", "6,579円", "731円"])
    one.append(["", "要介護2", 832, "8,436円", "7,592円", "844円"])
    one.append(["多床室(ⅱ)", "要介護1", 833, "8,446円", "7,601円", "845円"])
    two = wb.create_sheet("2割・3割")
    two.append(["居室", "要介護度", "2割", "3割"])
    two.append(["従来型個室", "要介護1", "1,462円", "2,193円"])
    two.append(["", "要介護2", "1,688円", "2,531円"])
    two.append(["多床室", "要介護1", "1,690円", "2,534円"])
    p = tmp_path / "fees.xlsx"
    wb.save(p)
    res = extract(p)
    assert [(r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], 721, {"total": 7310, "benefit": 6579, "copay1": 731, "copay2": 1462, "copay3": 2193}),
        (["要介護2"], 832, {"total": 8436, "benefit": 7592, "copay1": 844, "copay2": 1688, "copay3": 2531}),
        (["要介護1"], 833, {"total": 8446, "benefit": 7601, "copay1": 845, "copay2": 1690, "copay3": 2534})], facts(res)


def test_tiers_and_conditions_in_a_column_under_the_names_header(tmp_path):
    """'加算名' spread over two columns: the name in the first, merged down its rows, and in the
    second each row's tier ('(Ⅱ)') or condition ('死亡日'). Each row is the name above with its
    tier, or with its condition; '1円未満切捨て' beside a rate is how it rounds, no amount."""
    html = """<html><body><p>1単位の単価は10.72円です。</p><table>
<tr><th colspan="2">加算名</th><th>単位数</th><th>自己負担額</th></tr>
<tr><td rowspan="2">個別機能訓練加算</td><td>（Ⅰ）</td><td>12単位/1日</td><td>(1割)13円(2割)26円(3割)39円</td></tr>
<tr><td>（Ⅱ）</td><td>20単位/1月</td><td>(1割)22円(2割)43円(3割)65円</td></tr>
<tr><td rowspan="2">看取り介護加算（Ⅰ）</td><td>死亡日以前4日以上30日以下</td><td>144単位/1日</td><td>(1割)155円(2割)309円(3割)463円</td></tr>
<tr><td>死亡日</td><td>1280単位/1日</td><td>(1割)1,372円(2割)2,745円(3割)4,117円</td></tr>
<tr><th>介護職員等処遇改善加算（Ⅰ）</th><td colspan="3">1か月の総単位数×12.8％（1円未満切捨て）</td></tr>
</table></body></html>"""
    res = read(tmp_path, html, name="page.html")
    got = [(r.item, r.units, r.rate, dict(r.amounts)) for r in res.rows]
    assert got == [
        ("個別機能訓練加算(Ⅰ)", 12, None, {"copay1": 13, "copay2": 26, "copay3": 39}),
        ("個別機能訓練加算(Ⅱ)", 20, None, {"copay1": 22, "copay2": 43, "copay3": 65}),
        ("看取り介護加算(Ⅰ)", 144, None, {"copay1": 155, "copay2": 309, "copay3": 463}),
        ("看取り介護加算(Ⅰ)", 1280, None, {"copay1": 1372, "copay2": 2745, "copay3": 4117}),
        ("介護職員等処遇改善加算(Ⅰ)", None, Decimal("0.128"), {})], got
    assert "死亡日" in res.rows[3].conditions, res.rows[3].conditions


def test_variants_beside_a_name_merged_down_its_rows(tmp_path):
    """'区分' merged down three rows ('訪問入浴介護費') beside each row's '内容' (全身入浴, 清拭又は
    部分浴, …): every row is the merged name's, its variant a condition, not its name."""
    html = """<html><body><p>1単位10.70円</p><table>
<tr><th>区分</th><th>内容</th><th>単位数</th><th>利用料金（10割）</th><th>1割負担</th></tr>
<tr><th rowspan="3">訪問入浴介護費</th><td>全身入浴</td><td>1,266</td><td>13,546円</td><td>1,355円</td></tr>
<tr><td>清拭又は部分浴<br>（所定単位数の90/100）</td><td>1,139</td><td>12,187円</td><td>1,219円</td></tr>
<tr><td>介護職員3名で<br>全身入浴を行った場合</td><td>1,203</td><td>12,872円</td><td>1,288円</td></tr>
</table></body></html>"""
    res = read(tmp_path, html, name="page.html")
    assert [(r.item, r.units) for r in res.rows] == [("訪問入浴介護費", 1266), ("訪問入浴介護費", 1139),
                                                     ("訪問入浴介護費", 1203)], facts(res)
    assert any("清拭又は部分浴" in c for c in res.rows[1].conditions), res.rows[1].conditions


def test_column_groups_whose_last_group_is_short(tmp_path):
    """Care levels over groups of columns, the last group without its 3割 column ('要支援1' over
    単位数 1割 2割 3割, '要支援2' over 単位数 1割 2割): each column keyed by its group."""
    html = """<html><body><p>1単位=10.27円</p><table>
<tr><th rowspan="2">居室・類型</th><th colspan="4">要支援1</th><th colspan="3">要支援2</th></tr>
<tr><th>単位数</th><th>1割</th><th>2割</th><th>3割</th><th>単位数</th><th>1割</th><th>2割</th></tr>
<tr><td>従来型個室</td><td>579</td><td>595</td><td>1,190</td><td>1,784</td><td>726</td><td>746</td><td>1,492</td></tr>
</table></body></html>"""
    res = read(tmp_path, html, name="page.html")
    assert [(r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要支援1"], 579, {"copay1": 595, "copay2": 1190, "copay3": 1784}),
        (["要支援2"], 726, {"copay1": 746, "copay2": 1492})], facts(res)


def test_a_table_folded_into_two_blocks_side_by_side(tmp_path):
    """A grid whose header names the same four columns twice (the table folded to fit the
    page): the left block's rows, then the right block's, one table."""
    res = read(tmp_path, "重度訪問介護サービス費　1単位の単価:10.90円\n"
                         "所要時間\t単位数\t費用(10割)\t負担(1割)\t所要時間\t単位数\t費用(10割)\t負担(1割)\n"
                         "1時間未満\t186\t2,027\t202\t2時間30分以上3時間未満\t553\t6,027\t602\n"
                         "1時間以上1時間30分未満\t277\t3,019\t301\t3時間以上3時間30分未満\t644\t7,019\t701\n")
    # (each line's rows in order: a row of the left block, then the one beside it)
    assert sorted(((r.time_band, r.units, dict(r.amounts)) for r in res.rows), key=lambda t: t[1]) == [
        ("1時間未満", 186, {"total": 2027, "copay1": 202}),
        ("1時間以上1時間30分未満", 277, {"total": 3019, "copay1": 301}),
        ("2時間30分以上3時間未満", 553, {"total": 6027, "copay1": 602}),
        ("3時間以上3時間30分未満", 644, {"total": 7019, "copay1": 701})], facts(res)


def test_a_rate_row_before_the_next_tables_title_stays_a_row(tmp_path):
    """The last row of an additions table is a rate ('深夜 | 所定単位数の50%'), then the next
    table's title lines: the rate row is a row, not one of those title lines."""
    res = read(tmp_path, "加算の種類\t算定\t単位数\t費用(10割)\t負担(1割)\n"
                         "初回加算\t1月につき\t200単位\t2,180円\t218円\n"
                         "深夜\t深夜(22時~翌6時) 所定単位数の50%\t\t\t\n"
                         "福祉・介護職員等処遇改善加算(Ⅰ)\n"
                         "1か月の総単位数に次の率を乗じます\n"
                         "サービス\t加算率\n"
                         "居宅介護\t41.7%\n")
    assert [(r.item, r.units, r.rate) for r in res.rows][:2] == [("初回加算", 200, None), ("深夜", None, Decimal("0.5"))], facts(res)


def test_a_fee_named_with_who_it_is_for_over_its_units_and_shares(tmp_path):
    """A web page's <dt> names the fee and who it is for, its <dd> the units and the shares:
    one row, named by the fee."""
    html = """<html><body><p>1単位10.84円で計算します。</p><dl>
<dt>訪問型サービス費（Ⅰ）　週1回程度の利用が必要な方</dt>
<dd>1,176単位／月　利用者負担：（1割）1,275円／（2割）2,550円／（3割）3,825円</dd>
</dl></body></html>"""
    res = read(tmp_path, html, name="page.html")
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows] == [
        ("訪問型サービス費(Ⅰ)", 1176, {"copay1": 1275, "copay2": 2550, "copay3": 3825})], facts(res)


def test_a_step_note_for_a_band_printed_open_from_before_it(tmp_path):
    """'1時間以上' printed as the last band, and under the grid '※1時間30分以上は、30分を増すごとに
    82単位': the band's base runs to 1時間30分, and the step is that row's."""
    res = read(tmp_path, "身体介護（1回あたり）　1単位10.84円\n"
                         "所要時間\t30分以上1時間未満\t1時間以上\n"
                         "単位数\t387単位\t567単位\n"
                         "1割負担\t420円\t615円\n"
                         "※1時間30分以上は、30分を増すごとに82単位（1割 89円）を加算します。\n")
    assert [(r.time_band, r.units, r.step and r.step.units) for r in res.rows] == [
        ("30分以上1時間未満", 387, None), ("1時間以上", 567, 82)], facts(res)


def test_an_estimate_column_beside_the_fee_is_set_aside(tmp_path):
    """'30日あたり(1割)' beside the day's '1割負担': an estimate, no fee of the row and no lost
    amount; the rows keep the day's 1割."""
    res = read(tmp_path, "1単位=10.14円\n"
                         "要介護度\t単位数\t利用料\t1割負担\t30日あたり(1割)\n"
                         "要介護1\t753\t¥7,635\t¥764\t¥22,907\n"
                         "要介護2\t788\t¥7,990\t¥799\t¥23,971\n")
    assert [(r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], 753, {"total": 7635, "copay1": 764}), (["要介護2"], 788, {"total": 7990, "copay1": 799})], facts(res)
    assert not [f for f in res.findings if f.code == "lost-amount"], res.findings


def test_charges_of_a_residence_are_no_fee_rows(tmp_path):
    """A 有料老人ホーム's monthly charges outside the insurance (家賃, 管理費, 食費) under
    '月額利用料(介護保険外)': no rows, nothing lost."""
    res = read(tmp_path, "月額利用料(介護保険外)\n"
                         "項目\t月額\t内容\n"
                         "家賃\t85,000円\t居室の賃料\n"
                         "管理費\t45,000円\t共用部の維持管理\n"
                         "食費\t54,000円\t1日3食\n")
    assert res.rows == [] and not [f for f in res.findings if f.code == "lost-amount"], (facts(res), res.findings)


def test_a_services_fee_and_a_band_heading_each_group_of_code_rows(tmp_path):
    """A code list: a line '通所介護費(通常規模型)  3時間以上4時間未満' heads each band's rows (the
    header word '介護費' in it names no column there); the header is the line above the first,
    the 6-digit codes stay codes, and every group's rows are read under the one header."""
    needs_reportlab()
    rows = [["サービスコード", "サービス内容略称", "算定項目", "単位数", "利用料(円)", "1割(円)"]]
    for band, items in (("3時間以上4時間未満", (("152241", "通所介護Ⅰ11", "要介護1", "370", "3,866", "387"),
                                                 ("152242", "通所介護Ⅰ12", "要介護2", "423", "4,420", "442"))),
                        ("4時間以上5時間未満", (("152246", "通所介護Ⅰ21", "要介護1", "388", "4,054", "406"),
                                                 ("152247", "通所介護Ⅰ22", "要介護2", "444", "4,639", "464")))):
        rows.append(["通所介護費(通常規模型)", "", band, "", "", ""])
        rows += [[c, n, f"{band}{lv}", u, t, y] for c, n, lv, u, t, y in items]
    style = [("SPAN", (0, k), (1, k)) for k, r in enumerate(rows) if r[0].startswith("通所介護費")]
    path = table_pdf(tmp_path / "codes.pdf", "サービスコード・利用料金一覧　1単位 10.45円", rows, style,
                     [60, 90, 120, 40, 50, 40])
    res = extract(path)
    assert [(r.care_levels, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], "3時間以上4時間未満", 370, {"total": 3866, "copay1": 387}),
        (["要介護2"], "3時間以上4時間未満", 423, {"total": 4420, "copay1": 442}),
        (["要介護1"], "4時間以上5時間未満", 388, {"total": 4054, "copay1": 406}),
        (["要介護2"], "4時間以上5時間未満", 444, {"total": 4639, "copay1": 464})], facts(res)
    assert res.recognizer == "general-table" and not res.findings, res.findings


def test_a_band_in_brackets_over_a_grid_names_no_fee(tmp_path):
    """'【3時間以上4時間未満】' over a grid of care levels: the rows' band, and their fee is the
    service's, not '【3時間以上4時間未満】'."""
    res = read(tmp_path, "認知症対応型通所介護 利用料金表　1単位 10.88円\n"
                         "【3時間以上4時間未満】\n"
                         "区分\t要介護1\t要介護2\n"
                         "単位数\t543\t597\n"
                         "利用料\t5,907\t6,495\n")
    assert [(r.item, r.care_levels, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("認知症対応型通所介護", ["要介護1"], "3時間以上4時間未満", 543, {"total": 5907}),
        ("認知症対応型通所介護", ["要介護2"], "3時間以上4時間未満", 597, {"total": 6495})], facts(res)


def test_a_merged_cells_labels_printed_once_before_the_other_names(tmp_path):
    """A PDF's text copied without its layout, a cell to a line: the merged 'サービス' column's
    labels come once, right under its name, before the other names ('サービス' / '身体介護' /
    '家事援助' / '所要時間' / …); the rows follow without them. Each label is the item of its
    group of rows, the groups told apart by their bands starting over."""
    cells = ["サービス", "身体介護", "家事援助", "所要時間", "単位数", "利用料", "利用者負担額", "（1割）",
             "30分未満", "256", "2,713円", "271円",
             "30分以上1時間未満", "404", "4,282円", "428円",
             "30分未満", "106", "1,123円", "112円",
             "30分以上45分未満", "153", "1,621円", "162円"]
    res = read(tmp_path, "1単位の単価 10.60円\n\n" + "\n\n".join(cells) + "\n")
    assert [(r.item, r.time_band, r.units, dict(r.amounts)) for r in res.rows] == [
        ("身体介護", "30分未満", 256, {"total": 2713, "copay1": 271}),
        ("身体介護", "30分以上1時間未満", 404, {"total": 4282, "copay1": 428}),
        ("家事援助", "30分未満", 106, {"total": 1123, "copay1": 112}),
        ("家事援助", "30分以上45分未満", 153, {"total": 1621, "copay1": 162})], facts(res)



def test_merged_labels_whose_bands_share_a_start(tmp_path):
    """The same layout, the first group's bands '20分未満' then '30分未満' (both from 0): the
    second follows the first (a band ordered by its start, then its end), so the groups are
    told apart where the bands start over, not there."""
    cells = ["サービス", "訪問看護", "理学療法士等", "提供時間", "単位数", "利用料",
             "20分未満", "314", "3,579円", "30分未満", "471", "5,369円",
             "20分未満", "294", "3,351円"]
    res = read(tmp_path, "1単位の単価 11.40円\n\n" + "\n\n".join(cells) + "\n")
    assert [(r.item, r.time_band, r.units) for r in res.rows] == [
        ("訪問看護", "20分未満", 314), ("訪問看護", "30分未満", 471), ("理学療法士等", "20分未満", 294)], facts(res)


def test_rates_said_in_notes_under_a_table(tmp_path):
    """'…場合は、所定単位数の25%を加算します' names its condition's rate; '早朝…・夜間…は25%、深夜…は
    50%を所定単位数に加算します' the two time-of-day rates."""
    res = read(tmp_path, "サービス内容\t所要時間\t単位数\t利用料\n"
                         "同行援護\t30分未満\t191\t2,093円\n"
                         "※ 盲ろう者の方に盲ろう者向け通訳・介助員が支援を行った場合は、所定単位数の25%を加算します。\n"
                         "※ 早朝（6時～8時）・夜間（18時～22時）は25%、深夜（22時～6時）は50%を所定単位数に加算します。\n")
    rates = sorted((r.label, r.rate) for r in res.rows if r.rate is not None)
    assert [r for _, r in rates] and sorted(r for _, r in rates) == [Decimal("0.25"), Decimal("0.25"), Decimal("0.5")], rates
    assert any("盲ろう者向け通訳・介助員が支援を行った場合" in label for label, _ in rates), rates


def test_a_grid_of_a_time_of_days_raised_units_is_checked_raised(tmp_path):
    """'早朝(6時~8時)・夜間(18時~22時) 25%増' over a grid: its rows carry that condition, and the
    check holds their units to the code table's raised by 25 % (rounded), not to the day's."""
    from extractor.check import check
    from extractor.reference import builtin_reference
    p = tmp_path / "fees.md"
    p.write_text("1単位あたり11.12円\n\n## 早朝(6時~8時)・夜間(18時~22時) 25%増\n\n"
                 "| サービス内容 | 単位数 | 利用料（10割） |\n|:--|--:|--:|\n"
                 "| 身体介護 20分未満 | 204 | ¥2,268 |\n| 身体介護 20分以上30分未満 | 305 | ¥3,391 |\n", encoding="utf-8")
    res = extract(p)
    assert all(any("25%増" in c for c in r.conditions) for r in res.rows), [r.conditions for r in res.rows]
    d = check([res], [builtin_reference()]).documents[0]
    assert not [f for f in d.findings if f.severity == "error"], [(f.code, f.message) for f in d.findings]


def test_a_combined_visits_second_band_tells_its_rows_apart(tmp_path):
    """'身体20分以上30分未満+生活20分以上45分未満' and '…+生活45分以上70分未満': one band each, the
    second part's band a condition, so the two rows are not one fee printed twice."""
    res = read(tmp_path, "1単位 11.12円\n略称\tサービス内容\t単位数\n"
                         "身体1生活1\t身体20分以上30分未満+生活20分以上45分未満\t309\n"
                         "身体1生活2\t身体20分以上30分未満+生活45分以上70分未満\t374\n")
    assert [c for r in res.rows for c in r.conditions if "生活" in c] == ["生活20分以上45分未満", "生活45分以上70分未満"], \
        [(r.item, r.time_band, r.conditions) for r in res.rows]


def test_a_tier_and_caseload_merged_down_beside_a_merged_name(tmp_path):
    """居宅介護支援費(Ⅰ) merged down six rows, beside it '(ⅱ)' and '45件以上60件未満' merged down two:
    the second row of each pair is of that tier and caseload too (not the tier above twice)."""
    res = read(tmp_path, "1単位 10.21円\n区分\t\t取扱件数\t要介護度\t単位数\t利用料(10割)\n"
                         "居宅介護支援費（Ⅰ）\t（ⅰ）\t45件未満\t要介護1・2\t1,086単位\t11,088円\n"
                         "\t\t\t要介護3・4・5\t1,411単位\t14,406円\n"
                         "\t（ⅱ）\t45件以上60件未満\t要介護1・2\t544単位\t5,554円\n"
                         "\t\t\t要介護3・4・5\t704単位\t7,187円\n")
    assert [r.item for r in res.rows] == ["居宅介護支援費(Ⅰ)(i)", "居宅介護支援費(Ⅰ)(i)", "居宅介護支援費(Ⅰ)(ii)",
                                          "居宅介護支援費(Ⅰ)(ii)"], facts(res)


def test_a_fee_line_whose_name_says_no_fee_word_is_read_when_its_yen_prove_it(tmp_path):
    """'通院等乗降介助（1回・片道につき）：97単位（1割 106円）' names no 加算 or 費, but its share is
    labelled (and floor(97 × 10.84) = 1051 gives 106): a fee. A sum or an example is not."""
    res = read(tmp_path, "訪問介護 料金表\n1単位 10.84円\n通院等乗降介助（1回・片道につき）：97単位（1割 106円）\n"
                         "初回加算：200単位／1月につき（1割 217円）\n合計：297単位（1割 323円）\n"
                         "例：身体介護2を月8回 387単位×8（1割 3,358円）\n")
    assert [(r.item, r.units, dict(r.amounts)) for r in res.rows] == [
        ("通院等乗降介助(1回・片道につき)", 97, {"copay1": 106}), ("初回加算", 200, {"copay1": 217})], facts(res)


def test_band_lines_under_a_numbered_heading_are_the_headings_fee(tmp_path):
    """'(3)身体介護に引き続き生活援助を行った場合' over a sentence and lines '生活援助の所要時間
    20分以上45分未満：＋65単位（1割 71円）': each line is that heading's fee in its band."""
    res = read(tmp_path, "訪問介護 1単位 10.84円\n(3)身体介護に引き続き生活援助を行った場合\n"
                         "身体介護の単位数に、生活援助の所要時間に応じて次の単位数を加えます。\n"
                         "生活援助の所要時間 20分以上45分未満：＋65単位（1割 71円）\n"
                         "生活援助の所要時間 45分以上70分未満：＋130単位（1割 141円）\n")
    assert [(r.item, r.time_band, r.units) for r in res.rows] == [
        ("身体介護に引き続き生活援助を行った場合", "20分以上45分未満", 65),
        ("身体介護に引き続き生活援助を行った場合", "45分以上1時間10分未満", 130)], facts(res)


def test_a_rate_whose_fee_is_named_in_brackets_after_it(tmp_path):
    res = read(tmp_path, "訪問介護 1単位 10.84円\nこのほか、次の加算があります。\n所定単位数の10％を加算（特定事業所加算（Ⅱ））\n"
                         "1か月の総単位数の24.5％を加算（介護職員等処遇改善加算（Ⅰ））\n")
    assert [(r.item, r.rate) for r in res.rows] == [("特定事業所加算(Ⅱ)", Decimal("0.1")),
                                                    ("介護職員等処遇改善加算(Ⅰ)", Decimal("0.245"))], facts(res)


def test_a_column_named_by_what_its_amount_is_for_takes_the_titles_share(tmp_path):
    """'サービス | 内容 | 1回あたり' under '自己負担（1割）の目安': the yen are each visit's 1割."""
    res = read(tmp_path, "介護サービスを利用したときの自己負担（1割）の目安\n■ 訪問系サービス\nサービス\t内容\t1回あたり\n"
                         "訪問介護\t身体介護（20分以上30分未満）\t279円\n訪問介護\t生活援助（45分以上）\t251円\n")
    assert [(r.item, r.time_band, dict(r.amounts)) for r in res.rows] == [
        ("身体介護", "20分以上30分未満", {"copay1": 279}), ("生活援助", "45分以上", {"copay1": 251})], facts(res)


def _guidebook_pdf(path):
    """A ruled grid (every rule across it) whose long label runs over its cell's rule, and a
    column of prose printed beside the grid, as a municipal guidebook lays out a page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from .pdfs import FONT, IPAEX

    pdfmetrics.registerFont(TTFont(FONT, IPAEX))
    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    c.setFont(FONT, 10)
    c.drawString(40, 800, "介護サービスを利用したときの自己負担(1割)の目安")
    xs, top, h = [40, 110, 240, 320], 770, 16
    c.setLineWidth(0.5)
    rows = [("サービス", "内容", "1回あたり"), ("訪問介護", "身体介護(20分以上30分未満)", "279円"),
            ("訪問看護", "訪問看護ステーション(30分以上1時間未満)", "939円"), ("訪問介護", "生活援助(45分以上)", "251円")]
    for k in range(len(rows) + 1):
        c.line(xs[0], top - k * h, xs[-1], top - k * h)
    for x in xs:
        c.line(x, top, x, top - len(rows) * h)
    c.setFont(FONT, 8)
    for k, row in enumerate(rows):
        y = top - k * h - 11
        c.drawString(xs[0] + 3, y, row[0])
        c.drawString(xs[1] + 3, y, row[1])  # (the second row's label runs on past its cell's right rule)
        c.drawRightString(xs[3] - 3, y, row[2])
    for k, text in enumerate(["ケアプランの作成(居宅介護支援)", "利用者の負担はありません。", "住宅改修", "20万円を上限に、費用の1割。"]):
        c.drawString(340, top - 11 - k * h, text)
    c.save()
    return path


def test_a_label_over_its_rule_and_prose_beside_a_ruled_grid(tmp_path):
    """The label that ran over its cell's rule is its own cell's ('訪問看護ステーション(30分以上1時間未満)',
    not '…1時間' and '未満)939円'), and the prose printed beside the grid is read after it, not
    a line between each two of its rows."""
    needs_reportlab()
    res = extract(_guidebook_pdf(tmp_path / "guide.pdf"))
    assert [(r.item, r.time_band, dict(r.amounts)) for r in res.rows] == [
        ("身体介護", "20分以上30分未満", {"copay1": 279}), ("訪問看護ステーション", "30分以上1時間未満", {"copay1": 939}),
        ("生活援助", "45分以上", {"copay1": 251})], facts(res)
    from extractor.sources import read as read_doc
    texts = [ln.text for ln in read_doc(tmp_path / "guide.pdf").lines]
    grid = [k for k, t in enumerate(texts) if t.endswith("円") and "\t" in t]
    prose = [k for k, t in enumerate(texts) if "負担はありません" in t or "住宅改修" in t]
    assert grid and prose and max(grid) < min(prose), texts


def test_a_label_merged_over_a_groups_value_rows_printed_on_its_first(tmp_path):
    """Care levels across the top, a row per kind of value, and the group's name merged over
    its rows, printed on the first beside '単位数' ('介護保健施設サービス費(Ⅰ)(ⅰ)基本型・従来型個室 |
    単位数 | 717 …'): the name is the group's key, not part of the value's word, though
    'サービス費' is a word of a fee."""
    res = read(tmp_path, "1単位=10.72円\n区分\t\t要介護1\t要介護2\n"
                         "介護保健施設サービス費(Ⅰ)(ⅰ)基本型・従来型個室\t単位数\t717\t763\n"
                         "\t費用額(円)\t7,686\t8,179\n\t1割負担(円)\t769\t818\n"
                         "介護保健施設サービス費(Ⅰ)(ⅲ)基本型・多床室\t単位数\t793\t843\n"
                         "\t費用額(円)\t8,500\t9,036\n\t1割負担(円)\t850\t904\n")
    assert [(r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要介護1"], 717, {"total": 7686, "copay1": 769}), (["要介護2"], 763, {"total": 8179, "copay1": 818}),
        (["要介護1"], 793, {"total": 8500, "copay1": 850}), (["要介護2"], 843, {"total": 9036, "copay1": 904})], facts(res)
    assert "従来型個室" in res.rows[0].label + " ".join(res.rows[0].conditions) and "多床室" in res.rows[2].label + " ".join(
        res.rows[2].conditions), [(r.item, r.label, r.conditions) for r in res.rows]


def test_a_rule_drawn_with_characters_under_the_header_is_no_end_of_the_table(tmp_path):
    res = read(tmp_path, "1単位 10.54円\n区分\t単位数\t利用料\t1割\n──────────── ─────\t─────\t────\n"
                         "要支援1\t1,798\t18,950円\t1,895円\n+------+------+\n要支援2\t3,621\t38,165円\t3,817円\n")
    assert [(r.care_levels, r.units, dict(r.amounts)) for r in res.rows] == [
        (["要支援1"], 1798, {"total": 18950, "copay1": 1895}), (["要支援2"], 3621, {"total": 38165, "copay1": 3817})], facts(res)


def test_unmarked_titles_side_by_side_over_a_header_title_the_tables_under_them(tmp_path):
    """'1ユニットの場合 | 2ユニット以上の場合' over one header, then the two tables one after the
    other (a page printed with them side by side): each table's rows carry their own
    title's condition, the count in it kept."""
    res = read(tmp_path, "認知症対応型共同生活介護 利用料金表 1単位=10.27円\n1ユニットの場合\t2ユニット以上の場合\n"
                         "要介護度\t単位数\t費用額\t1割負担\n要介護1\t765\t¥7,856\t¥786\n要介護2\t801\t¥8,226\t¥823\n"
                         "要介護度\t単位数\t費用額\t1割負担\n要介護1\t753\t¥7,733\t¥774\n要介護2\t788\t¥8,092\t¥810\n")
    assert [(r.care_levels, r.units, r.conditions) for r in res.rows] == [
        (["要介護1"], 765, ["1ユニットの場合"]), (["要介護2"], 801, ["1ユニットの場合"]),
        (["要介護1"], 753, ["2ユニット以上の場合"]), (["要介護2"], 788, ["2ユニット以上の場合"])], facts(res)


def test_a_rooms_cell_holding_its_fees_name_gives_the_room_and_the_item(tmp_path):
    """'従来型個室' over '地域密着型介護老人福祉施設入所者生活介護費(Ⅰ)' in one cell under 居室の種類 (a
    Word table printed to PDF joins the cell's lines): the room is the row's, the name its item."""
    res = read(tmp_path, "1単位 10.45円\n居室の種類\t要介護度\t単位数\t利用料\t1割負担\n"
                         "従来型個室地域密着型介護老人福祉施設入所者生活介護費(Ⅰ)\t要介護1\t600\t6,270円\t627円\n"
                         "\t要介護2\t671\t7,011円\t702円\n"
                         "ユニット型個室ユニット型地域密着型介護老人福祉施設入所者生活介護費\t要介護1\t682\t7,126円\t713円\n")
    assert [(r.item, r.conditions, r.care_levels, r.units) for r in res.rows] == [
        ("地域密着型介護老人福祉施設入所者生活介護費(Ⅰ)", ["従来型個室"], ["要介護1"], 600),
        ("地域密着型介護老人福祉施設入所者生活介護費(Ⅰ)", ["従来型個室"], ["要介護2"], 671),
        ("ユニット型地域密着型介護老人福祉施設入所者生活介護費", ["ユニット型個室"], ["要介護1"], 682)], facts(res)


def _share_sheets(tmp_path, wrong: int = 2280):
    """A workbook with a sheet per share, as a facility keeps its 料金表: each sheet the same
    grid (区分 merged down over names, 項目 with the care levels and the additions' names,
    算定単位, 費用額, 保険給付額, 自己負担額 of that share, yen as numbers shown '#,##0"円"') and
    a 処遇改善 rate row."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    rows = [("ユニット型介護福祉施設サービス費", "要介護1", 670, 6880), (None, "要介護2", 740, 7599),
            ("加算・減算", "初期加算", 30, 308), (None, "療養食加算", 6, 61)]
    yen = '#,##0"円"'
    for share in (1, 2, 3):
        ws = wb.create_sheet(f"{share}割負担")
        ws.cell(1, 1, f"特別養護老人ホーム 利用料金表 【利用者負担{share}割の方】")
        ws.merge_cells("A1:G1")
        ws.cell(2, 1, "地域区分:6級地(1単位10.27円)")
        for c, h in enumerate(["区分", "項目", "単位数", "算定単位", "費用額", "保険給付額", f"自己負担額({share}割)"], 1):
            ws.cell(4, c, h)
        for r, (name, key, units, total) in enumerate(rows, 5):
            copay = total - total * (10 - share) // 10
            if share == 3 and key == "要介護2":
                copay = wrong
            for c, v in enumerate([name, key, units, "1日につき", total, total - copay, copay], 1):
                if v is not None:
                    ws.cell(r, c, v)
            for c in (5, 6, 7):
                ws.cell(r, c).number_format = yen
        ws.merge_cells("A5:A6")
        ws.merge_cells("A7:A8")
        ws.cell(9, 1, "加算")
        ws.cell(9, 2, "介護職員等処遇改善加算(Ⅰ)")
        ws.cell(9, 3, "1月の総単位数の14.0%")
        ws.merge_cells("C9:G9")
    p = tmp_path / "shares.xlsx"
    wb.save(p)
    return p


def test_a_sheet_per_share_is_one_grid_with_every_share(tmp_path):
    """The sheets agree on every row's units and full fee: one row each, its shares from every
    sheet, its benefit the first sheet's; a share one sheet misprints stays as printed (the
    check's to report), and the rate row is read once. '区分' over names is no care level,
    '算定単位' over '1日につき' no units."""
    res = extract(_share_sheets(tmp_path, wrong=2281))
    assert [(r.item, r.care_levels, r.units, dict(r.amounts)) for r in res.rows if r.rate is None] == [
        ("ユニット型介護福祉施設サービス費", ["要介護1"], 670, {"total": 6880, "benefit": 6192, "copay1": 688, "copay2": 1376, "copay3": 2064}),
        ("ユニット型介護福祉施設サービス費", ["要介護2"], 740, {"total": 7599, "benefit": 6839, "copay1": 760, "copay2": 1520, "copay3": 2281}),
        ("初期加算", [], 30, {"total": 308, "benefit": 277, "copay1": 31, "copay2": 62, "copay3": 93}),
        ("療養食加算", [], 6, {"total": 61, "benefit": 54, "copay1": 7, "copay2": 13, "copay3": 19})], facts(res)
    assert [(r.item, r.rate) for r in res.rows if r.rate is not None] == [("介護職員等処遇改善加算(Ⅰ)", Decimal("0.14"))]
    assert {r.basis for r in res.rows if r.rate is None} == {"day"}


def test_rooms_under_a_header_of_two_keys_and_a_title_naming_their_fee(tmp_path):
    """'Ⅰ型介護医療院短期入所療養介護費（Ⅰ）' over '居室・要介護度' spanning '従来型個室（ⅰ） | 要支援1': the
    first column holds rooms, the rows are the title's fee, each room a condition and its
    tier mark the fee's tier."""
    res = read(tmp_path, "1単位あたり10.54円\n■基本料金（1日あたり）\nⅠ型介護医療院短期入所療養介護費（Ⅰ）\n"
                         "居室・要介護度\t\t単位数\t利用料（10割）\t自己負担額（1割）\n"
                         "従来型個室（ⅰ）\t要支援1\t613\t6,461円\t647円\n\t要介護1\t753\t7,936円\t794円\n"
                         "多床室（ⅱ）\t要支援1\t678\t7,146円\t715円\n")
    assert [(r.item, r.conditions, r.care_levels, r.units) for r in res.rows] == [
        ("Ⅰ型介護医療院短期入所療養介護費(Ⅰ)(ⅰ)", ["従来型個室"], ["要支援1"], 613),
        ("Ⅰ型介護医療院短期入所療養介護費(Ⅰ)(ⅰ)", ["従来型個室"], ["要介護1"], 753),
        ("Ⅰ型介護医療院短期入所療養介護費(Ⅰ)(ⅱ)", ["多床室"], ["要支援1"], 678)], facts(res)


def test_a_generic_titles_brackets_name_the_fee(tmp_path):
    """'1．基本報酬（生活介護サービス費（Ⅰ） 所要時間7時間以上8時間未満の場合 1日につき）': the rows are
    that fee's, not the title's words."""
    res = read(tmp_path, "1単位の単価は10.55円です。\n1．基本報酬（生活介護サービス費（Ⅰ）　所要時間7時間以上8時間未満の場合　1日につき）\n"
                         "障害支援区分\t単位数\t利用料(円)\t利用者負担額(円)\n区分6\t1,288\t13,588\t1,358\n区分5\t964\t10,170\t1,017\n")
    assert {r.item for r in res.rows} == {"生活介護サービス費(Ⅰ)"}, facts(res)


def test_a_note_naming_an_addition_gives_its_step(tmp_path):
    res = read(tmp_path, "1単位 10.14円\n加算の種類\t算定\t単位数\t利用料\t1割\n延長加算(9時間以上10時間未満)※1\t1日につき\t50\t507\t51\n"
                         "入浴介助加算(Ⅰ)\t1日につき\t40\t405\t41\n"
                         "※1 延長加算は、9時間以上10時間未満の50単位に、以降1時間を増すごとに50単位を加算します（14時間未満まで）。\n")
    stepped = [(r.item, r.step.units, r.step.minutes) for r in res.rows if r.step is not None]
    assert stepped == [("延長加算", 50, 60)], facts(res)


def test_a_note_of_two_fees_a_sentence_each_gives_a_row_each(tmp_path):
    res = read(tmp_path, "訪問リハビリテーション 1単位 10.66円\n加算名\t単位数\t1割\n短期集中リハビリテーション実施加算\t200単位\t214円\n"
                         "※5 高齢者虐待防止措置未実施減算：所定単位数の1％を減算します。業務継続計画未策定減算：所定単位数の1％を減算します。\n")
    assert [(r.item, r.rate) for r in res.rows if r.rate is not None] == [
        ("高齢者虐待防止措置未実施減算", Decimal("-0.01")), ("業務継続計画未策定減算", Decimal("-0.01"))], facts(res)


def test_two_services_priced_in_one_sentence_and_a_numbered_section_over_its_additions(tmp_path):
    """'1単位の単価は、介護予防支援が10.84円、通所型サービス(独自)が10.54円です' (wrapped): each
    service's rows are held to their own price; '2 通所型サービス(独自)' titles its base table and
    is the section of the '加算・減算' table after it; '要支援1(週1回程度)' and '要支援1(1回につき)'
    are two fees, told apart by the words beside the level."""
    from extractor.check import check
    p = tmp_path / "two.txt"
    p.write_text("当センターは4級地です。1単位の単価は、介護予防支援が10.84円、\n通所型サービス(独自)が10.54円です。\n"
                 "1 介護予防支援(1月につき)\n項目\t単位数\t費用額\n介護予防支援費(Ⅰ)\t442単位\t4,791円\n初回加算\t300単位\t3,252円\n"
                 "2 通所型サービス(独自)\n区分\t単位数\t利用料\t1割\n要支援1(週1回程度)\t1,798\t18,950円\t1,895円\n"
                 "要支援1(1回につき)\t436\t4,595円\t460円\n加算・減算\n名称\t単位数\t利用料\t1割\n"
                 "栄養改善加算\t200\t2,108円\t211円\n口腔機能向上加算(Ⅰ)\t150\t1,581円\t159円\n", encoding="utf-8")
    res = extract(p)
    assert [(r.item, r.unit_price) for r in res.rows if r.item in ("介護予防支援費(Ⅰ)", "栄養改善加算")] == [
        ("介護予防支援費(Ⅰ)", Decimal("10.84")), ("栄養改善加算", Decimal("10.54"))], facts(res)
    assert [r.conditions for r in res.rows if r.units in (1798, 436)] == [["週1回程度"], []], facts(res)
    d = check([res], []).documents[0]
    assert not [f for f in d.findings if f.severity == "error"], [(f.code, f.message) for f in d.findings]


def test_a_section_label_with_its_note_under_the_header_goes_on_with_the_table(tmp_path):
    """'【訪問看護費】 | (定期巡回・随時対応型訪問介護看護と連携する場合)' straight under the header, and a
    row of values with a stray mark after one ('32,719。'): neither ends the table."""
    res = read(tmp_path, "1単位11.05円\n項目\t単位数\t利用料\t1割\t2割\t3割\n"
                         "【訪問看護費】\t(定期巡回・随時対応型訪問介護看護と連携する場合)\n"
                         "要介護1~4(1月につき)\t2,961\t32,719。\t3,272\t6,544\t9,816\n"
                         "要介護5(1月につき)\t3,761\t41,559\t4,156\t8,312\t12,468\n【加算】\n"
                         "初回加算(Ⅰ)\t350\t3,867\t387\t774\t1,161\n")
    assert [(r.care_levels, r.units) for r in res.rows] == [
        (["要介護1", "要介護2", "要介護3", "要介護4"], 2961), (["要介護5"], 3761), ([], 350)], facts(res)
