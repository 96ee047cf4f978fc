"""Tables as Tesseract reads them: lines of a scan (confidence below 1, cells cut at tabs)
with the misreadings scans show, each kind written here in a few lines, read by the
general reader. No image is made: what is tested is what the reader does with OCR's lines."""

from __future__ import annotations

from pathlib import Path

from extractor.pipeline import _extract
from extractor.sources.base import Document, Line


def scanned(text: str, confidence: float = 0.45) -> Document:
    """A one-page scan whose OCR gave these lines (tab-separated cells)."""
    lines = []
    for k, raw in enumerate(text.strip("\n").split("\n"), start=1):
        line = Line.of(raw, k, page=1)
        line.confidence = confidence
        lines.append(line)
    return Document(name="scan.pdf", path="scan.pdf", sha256="0" * 64, kind="pdf+ocr", lines=lines)


def facts(res):
    return [(r.item, tuple(r.care_levels), r.time_band, r.units, dict(r.amounts)) for r in res.rows]


GARBLED = """■居宅介護基本料金
サービス内容\t時間\t基本利用料
身体介護\t30分未満\t\\2652(256単位)
30分~1時間未満\t\\4185(404単位)
1時間~1時間30分未満\t\\6081(587l単位)
1時間30分~2時間未満\t\\6930(669単位)
家事援助\t30分未満\t\\1098(106l単位)
30分~45分未満\t\\1585(153単位)
"""


def test_a_row_whose_number_ocr_garbled_does_not_end_its_table():
    """'587l単位' and '106l単位' are no numbers: those rows are lost, never guessed, but the rows
    after them are still the table's, and the label the garbled row begins with still
    names the rows under it."""
    res = _extract(scanned(GARBLED), Path("scan.pdf"))
    assert facts(res) == [
        ("身体介護", (), "30分未満", 256, {"total": 2652}),
        ("身体介護", (), "30分以上1時間未満", 404, {"total": 4185}),
        ("身体介護", (), "1時間30分以上2時間未満", 669, {"total": 6930}),
        ("家事援助", (), "30分以上45分未満", 153, {"total": 1585}),
    ]
    assert sorted(f.line for f in res.findings if f.code == "lost-amount") == [5, 7]  # reported, not silently dropped


def test_the_same_row_in_a_text_document_still_ends_the_table():
    """A line of the text layer is what is printed: cells that are neither a header nor values
    are another table's (confidence 1 is never garbled)."""
    res = _extract(scanned(GARBLED, confidence=1.0), Path("scan.pdf"))
    assert [r.time_band for r in res.rows] == ["30分未満", "30分以上1時間未満"]


def test_an_amount_run_into_a_letter_is_no_amount():
    """'¥1O98' (a zero read as O) and '¥2,0O38' are not ¥1 and ¥2: no amount is read from
    them, and the units beside one are still the row's."""
    from extractor.reading.values import read

    assert read("\\1O98(106単位)").yen == [] and read("\\1O98(106単位)").units == 106
    assert read("\\2,0O38").empty
    assert read("\\2,038").yen == [2038] and read("¥717円").yen == [717]


def test_a_name_one_letter_off_a_known_name_the_document_prints_is_repaired():
    from extractor.ocr import names_present, repair_names

    present = names_present(["訪問看護 利用料金表", "■ 重度訪問介護 基本料金"])
    assert present == {"訪問看護", "重度訪問介護"}  # 訪問介護 only inside 重度訪問介護: not printed
    text, fired = repair_names("訪問着護\t20分未満\t314単位", present)
    assert text == "訪問看護\t20分未満\t314単位" and [(f.rule, f.printed, f.read) for f in fired] == [
        ("ocr:known-name", "訪問着護", "訪問看護")]
    assert repair_names("四度訪問介護", present)[0] == "重度訪問介護"
    assert repair_names("訪問看護基本料金", present)[0] == "訪問看護基本料金"  # another length: another word
    assert repair_names("訪問着護", frozenset())[0] == "訪問着護"  # nothing in the document says which
    # one letter off two names the document prints: either could be meant
    assert repair_names("訪問着護", names_present(["訪問看護", "訪問介護"]))[0] == "訪問着護"


def test_a_known_name_and_a_name_of_its_own_are_never_rewritten():
    from extractor.ocr import names_present, repair_names

    present = names_present(["訪問看護", "訪問介護 身体介護"])
    assert repair_names("訪問介護\t身体介護", present)[0] == "訪問介護\t身体介護"


def test_only_lines_of_pages_read_by_ocr_are_repaired():
    from extractor.sources.pdf import _known_names

    lines = [Line.of("訪問看護 料金表", 1, page=1), Line.of("訪問着護\t314単位", 2, page=1),
             Line.of("訪問着護\t314単位", 1, page=2)]
    _known_names(lines, {1})
    assert [ln.text for ln in lines] == ["訪問看護 料金表", "訪問看護\t314単位", "訪問着護\t314単位"]
    assert [(c.rule, c.line) for c in lines[1].corrections] == [("ocr:known-name", 2)]


def test_a_band_ocr_garbled_names_no_rows():
    """'30分て]時間未満' (its 1 read as ']') is no band the reader can read, and no name
    either: the row keeps the label of its merged cell and the rows below are not named
    after it."""
    res = _extract(scanned("""■居宅介護基本料金
サービス区分\t利用時間\t基本単位数\t料金
30分未満\t256\t2713円
30分て]時間未満\t404\t4282円
身体介護\t1時間~1時間30分未満\t587\t6222円
1時間30分~2時間未満\t669\t7091円
"""), Path("scan.pdf"))  # OCR gives no cell where the merged label prints nothing
    assert facts(res) == [
        ("身体介護", (), "30分未満", 256, {"total": 2713}),
        ("身体介護", (), None, 404, {"total": 4282}),
        ("身体介護", (), "1時間以上1時間30分未満", 587, {"total": 6222}),
        ("身体介護", (), "1時間30分以上2時間未満", 669, {"total": 7091}),
    ]


def placed_scan(rows: list[list[tuple[str, float, float]]], pages: list[int] | None = None) -> Document:
    """A scan whose OCR gave these lines, each cell with its left and right on the page
    (points), the lines 16 points apart; ``pages``: each line's page (all on page 1 without it)."""
    from decimal import Decimal

    lines = []
    for k, cells in enumerate(rows, start=1):
        page = pages[k - 1] if pages else 1
        top = Decimal(100 + 16 * k) if page == 1 else Decimal(100 + 16 * pages.index(page) + 16 * k)
        box = [Decimal(str(cells[0][1])), top, Decimal(str(cells[-1][2])), top + 12]
        line = Line.of("\t".join(t for t, _, _ in cells), k, page=page, bbox=box, spans=[(a, b) for _, a, b in cells])
        line.confidence = 0.45
        lines.append(line)
    return Document(name="scan.pdf", path="scan.pdf", sha256="0" * 64, kind="pdf+ocr", lines=lines)


def test_a_header_line_ocr_garbled_does_not_lose_the_table():
    """A 老健 grid whose header's lower line came back as noise ('恒 1蘭度 位婦' for 居室区分
    要介護度 単位数, in boxes two lines tall): the noise is the header's line, not the end of
    it, so the rows are read; the care levels' column, its name lost, is known by what it
    holds, and the room label centred on its rows names the rows above it too."""
    head = [[("負担額", 219, 244), ("負担額", 264, 290), ("負担額", 318, 344)],
            [("人", 112, 118), ("(1割)", 220, 244), ("(2割)", 265, 290), ("(3割)", 318, 341)],
            [("恒", 63, 70), ("1蘭度", 110, 140), ("位婦", 170, 195)]]
    body = []
    for room, units in (("従来型個室", (717, 763, 828)), ("多床室", (793, 843, 908))):
        for k, u in enumerate(units, start=1):
            first = [(room, 48, 95)] if k == 2 else []
            body.append(first + [(f"要介護{k}", 110, 145), (f"{u}単位", 170, 200), (f"\\{u + 39}", 220, 244),
                                 (f"\\{2 * u + 78}", 265, 290), (f"\\{3 * u + 117}", 318, 344)])
    res = _extract(placed_scan(head + body), Path("scan.pdf"))
    got = [(r.item, r.care_levels[0] if r.care_levels else None, r.units, r.amounts.get("copay1")) for r in res.rows]
    assert got == [("従来型個室", "要介護1", 717, 756), ("従来型個室", "要介護2", 763, 802), ("従来型個室", "要介護3", 828, 867),
                   ("多床室", "要介護1", 793, 832), ("多床室", "要介護2", 843, 882), ("多床室", "要介護3", 908, 947)], got


def test_a_grid_over_two_pages_with_a_misread_page_number_and_a_misread_header():
    """A grid of care levels by bands over two pages, its share in the title ('(1割負担)'):
    page 1 ends in its page number read as ']' (its dashes dropped as specks), which is no
    row of the table; page 2 repeats the header with '区分' read as '分', columns where they
    stood: the same table goes on, its amounts still the 1割 the title says."""
    bands = [("3時間~4時間未満", 94, 170), ("4時間~5時間未満", 175, 249), ("5時間~6時間未満", 255, 328)]
    head = [[("区分", 59, 73)] + bands]
    amounts = {1: (397, 416, 611), 2: (454, 476, 722), 3: (514, 539, 833)}

    def row(k):
        return [(f"要介護{k}", 51, 78)] + [(f"\\{a}", x0 + 39, x1) for a, (_, x0, x1) in zip(amounts[k], bands)]

    lines = [[("■通所介護基本料金(1割負担)", 46, 205)]] + head + [row(1), row(2), [("]", 292, 294)],
                                                              [("分", 58, 72)] + bands, row(3)]
    res = _extract(placed_scan(lines, pages=[1, 1, 1, 1, 1, 2, 2]), Path("scan.pdf"))
    got = [(r.care_levels[0], r.time_band, dict(r.amounts)) for r in res.rows]
    assert len(got) == 9 and all(set(a) == {"copay1"} for _, _, a in got), got
    assert got[-1] == ("要介護3", "5時間以上6時間未満", {"copay1": 833}), got


def _level_grid(title: str, heading: str) -> Document:
    """A 老健 grid of rooms by care levels, its heading over the digits as OCR read it."""
    cols = [(129 + 60 * k, 150 + 60 * k) for k in range(5)]
    lines = [[(title, 45, 247)], [("部屋の種類", 50, 100), (heading, 266, 285)],
             [(str(k + 1), a, b) for k, (a, b) in enumerate(cols)]]
    for room, base in (("従来型個室", 842), ("多床室", 931)):
        lines.append([(room, 49, 95)] + [(f"¥{base + 80 * k}", a - 5, b) for k, (a, b) in enumerate(cols)])
    return placed_scan(lines)


def test_care_levels_one_to_five_across_the_top_under_a_garbled_heading():
    """'1 2 3 4 5' across the top, the heading over them read as '分' (区分): the five digits
    are the care levels 要介護1 to 5 all the same, and the title's share says the amounts."""
    res = _extract(_level_grid("■介護老人保健施設基本料金(1割負担)", "分"), Path("scan.pdf"))
    got = [(r.item, r.care_levels[0], dict(r.amounts)) for r in res.rows]
    assert len(got) == 10 and got[0] == ("従来型個室", "要介護1", {"copay1": 842}), got
    assert got[-1] == ("多床室", "要介護5", {"copay1": 1251}), got


def test_amounts_of_a_share_whose_digit_ocr_lost_are_no_full_fee():
    """The title's share came back '(]割負担)': the amounts are some share's, which is not
    known, so they are not read as full fees (the rows are lost and reported, never misread)."""
    res = _extract(_level_grid("■介護老人保健施設基本料金(]割負担)", "分"), Path("scan.pdf"))
    assert not [r for r in res.rows if r.amounts], [(r.item, dict(r.amounts)) for r in res.rows]
    assert any(f.code in ("lost-amount", "no-recognizer") for f in res.findings)  # reported: nothing passes as read
