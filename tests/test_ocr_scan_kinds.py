"""Kinds of scans fixed in the tenth session: two tables side by side, the light box of a
shaded table broken into pieces, marks read before a cell and the '位' of '単位' boxed apart."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from extractor.sources import grid, tesseract

FONT = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")


def _data(words):
    """Tesseract's TSV columns for words given as (text, left, top, width, height), one
    Tesseract line per distinct top."""
    data = {k: [] for k in tesseract.FIELDS}
    tops = sorted({w[2] for w in words})
    for n, (text, left, top, width, height) in enumerate(words):
        for k, v in (("level", 5), ("page_num", 1), ("block_num", 1), ("par_num", 1), ("line_num", tops.index(top) + 1),
                     ("word_num", n + 1), ("left", left), ("top", top), ("width", width), ("height", height),
                     ("conf", 90.0), ("text", text)):
            data[k].append(v)
    return data


def _beside_words():
    """Two tables side by side under their headings, the right one's rows half a row lower
    than the left one's, then a note across the page after a gap."""
    words = [("■訪問介護基本料金", 100, 100, 400, 40), ("■加算(算定要件を満たす場合)", 1300, 100, 600, 40)]
    for k in range(4):
        words += [("身体介護", 100, 180 + 70 * k, 160, 40), (f"{300 + k}単位", 700, 180 + 70 * k, 160, 40)]
    for k in range(3):
        words += [("初回加算", 1300, 215 + 70 * k, 160, 40), (f"{200 + k}単位", 1800, 215 + 70 * k, 160, 40)]
    words += [("※利用者負担額は、介護保険負担割合証に記載された割合により異なります。", 100, 600, 1900, 40)]
    return _data(words)


def test_two_headings_far_apart_band_two_tables_side_by_side():
    data = _beside_words()
    bands = tesseract.side_by_side(data, tesseract.rows(data))
    assert len(bands) == 1
    top, bottom, x = bands[0]
    assert top == 100 and 420 <= bottom < 600 and 500 < x <= 1300  # the note across the page is not in it
    lines = [" ".join(data["text"][i] for i in sorted(idx, key=lambda i: data["left"][i]))
             for idx in tesseract.rows(data, bands).values()]
    assert not any("身体介護" in ln and "初回加算" in ln for ln in lines)  # no line takes words of both tables
    assert "■訪問介護基本料金" in lines and "■加算(算定要件を満たす場合)" in lines


def test_one_heading_or_a_line_across_is_no_band():
    one = _data([("■訪問介護基本料金", 100, 100, 400, 40), ("身体介護", 100, 180, 160, 40), ("300単位", 1800, 180, 160, 40)])
    assert tesseract.side_by_side(one, tesseract.rows(one)) == []
    near = _data([("■訪問介護", 100, 100, 200, 40), ("■基本料金", 340, 100, 200, 40), ("身体介護", 100, 180, 160, 40)])
    assert tesseract.side_by_side(near, tesseract.rows(near)) == []  # two bullets close together: one heading


def _font(size):
    from PIL import ImageFont

    if not FONT.exists():
        pytest.skip("IPAexGothic is not installed (Debian: fonts-ipaexfont-gothic)")
    return ImageFont.truetype(str(FONT), size)


@pytest.mark.skipif(tesseract.available() is not None, reason="Tesseract with jpn is not installed")
def test_tables_side_by_side_on_a_scan_are_read_one_after_the_other():
    """A page at 300 dpi with two tables side by side, their rows at different heights:
    read with real Tesseract, each line holds one table's words, the left table first."""
    import numpy as np
    from PIL import Image, ImageDraw

    font, head = _font(34), _font(40)
    img = Image.new("L", (2480, 1100), 255)
    draw = ImageDraw.Draw(img)
    draw.text((100, 100), "■ 居宅介護 基本料金", font=head, fill=0)
    draw.text((1300, 100), "■ 加算", font=head, fill=0)
    left = [("身体介護", "30分未満", "256"), ("身体介護", "1時間未満", "404"), ("家事援助", "30分未満", "106"),
            ("家事援助", "45分未満", "153"), ("家事援助", "1時間未満", "197")]
    for k, (a, b, c) in enumerate(left):
        y = 200 + 95 * k
        draw.text((100, y), a, font=font, fill=0)
        draw.text((420, y), b, font=font, fill=0)
        draw.text((900, y), c, font=font, fill=0)
    right = [("緊急時対応加算", "100"), ("初回加算", "200"), ("入院時支援連携加算", "300")]
    for k, (a, c) in enumerate(right):
        y = 245 + 95 * k  # half a row lower than the left table's
        draw.text((1300, y), a, font=font, fill=0)
        draw.text((2050, y), c, font=font, fill=0)
    lines = tesseract.ocr_image(np.asarray(img), 2480 * 72 / 300, "beside.pdf", 1)
    texts = [ln.text.replace(" ", "") for ln in lines]
    assert not any(("介護" in t or "援助" in t) and "加算" in t for t in texts), texts
    first_right = next(k for k, t in enumerate(texts) if "加算" in t)
    assert all("援助" not in t and "身体" not in t for t in texts[first_right:]), texts  # the left table came first
    assert sum("援助" in t for t in texts) == 3 and sum("加算" in t for t in texts) >= 4, texts


def test_the_light_box_of_a_shaded_table_broken_into_pieces_is_painted_out():
    """Pieces of a thin vertical edge, each shorter than a rule (no grid), are painted out;
    a letter's stroke (shorter) and a bold stroke (wider) are left."""
    import numpy as np
    from PIL import Image

    page = np.full((3508, 2480), 255, np.uint8)
    page[400:402, 200:2200] = 0  # the box's top and bottom, found as rules across
    page[1400:1402, 200:2200] = 0
    for top in (420, 560, 700, 900):  # the side, broken by binarizing: pieces 60 to 110 px
        page[top:top + 90, 200:202] = 0
    page[1000:1040, 600:604] = 0  # a digit's stroke, a letter tall
    page[2000:2080, 600:608] = 0  # a bold title's stroke, tall but wide
    out, rules = grid.find(Image.fromarray(page))
    out = np.asarray(out)
    assert rules == []
    assert (out[420:990, 195:210] == 255).all()  # the pieces are gone
    assert (out[1000:1040, 600:604] == 0).all() and (out[2000:2080, 600:608] == 0).all()


@pytest.mark.parametrize("read, cleaned", [
    (":要介護状態区分\t5時間以上6時間未満", "要介護状態区分\t5時間以上6時間未満"),  # a box's corner read as a colon
    (", 要介護状態区分", "要介護状態区分"),  # a speck and a space before the first word
    ("身体介護\t; 30分未満", "身体介護\t30分未満"),
    ("12:30~13:30", "12:30~13:30"),  # a colon inside a cell stays
])
def test_marks_read_at_a_cells_start(read, cleaned):
    assert tesseract.strays(read)[0] == cleaned


def test_the_last_letter_of_tani_boxed_apart_joins_its_cell():
    """'163単' and '位' boxed apart by Tesseract (a box of next to no size, a little above
    the row): '位' is the '単位' of the cell it stands just right of, recorded; a '位' beside
    a cell that does not end in a digit and '単' stays where it is."""
    from extractor.sources.base import Line

    row = Line.of("20分未満\t\\190\t163単", 8, 1, [D("159.93"), D("145.14"), D("372.84"), D("156.13")],
                  [(159.93, 197.22), (306.52, 328.7), (342.99, 372.84)])
    piece = Line.of("位", 7, 1, [D("382.92"), D("144.74"), D("383.43"), D("147.39")])
    assert tesseract.join_unit_marks([piece, row]) == [row] and row.text.endswith("\t163単位")
    assert [(c.rule, c.read) for c in row.corrections] == [("ocr:unit-mark", "163単位")]
    other = Line.of("20分未満\t\\190\t163", 8, 1, [D("159.93"), D("145.14"), D("372.84"), D("156.13")],
                    [(159.93, 197.22), (306.52, 328.7), (342.99, 372.84)])
    piece = Line.of("位", 7, 1, [D("382.92"), D("144.74"), D("383.43"), D("147.39")])
    assert len(tesseract.join_unit_marks([piece, other])) == 2


@pytest.mark.parametrize("read, repaired, rule", [
    # the close of a share and its yen sign lost: the line's shares prove the amount is the 3割's as read
    ("ターミナルケア加算\t死亡月につき\t(1割)\\2605/(2割)\\5210/(3割7815\t2500単位",
     "ターミナルケア加算\t死亡月につき\t(1割)\\2605/(2割)\\5210/(3割)7815\t2500単位", "ocr:share-mark"),
    # the slash between two shares read as a 7 stuck to the amount: 3287 is no 1割 of the fee of 655 and 982
    ("訪問看護\t20分未満\t(1割)\\3287(2割)\\655/(3割)\\982\t314単位",
     "訪問看護\t20分未満\t(1割)\\328/(2割)\\655/(3割)\\982\t314単位", "ocr:share-slash"),
    # a 7 the arithmetic does not single out stays, and the amounts stay lost
    ("(1割)\\2605/(2割)\\5210/(3割)¥8157(1割)", "(1割)\\2605/(2割)\\5210/(3割)¥8157(1割)", None),
    ("(1割)\\2605/(2割)\\5211/(3割7815", "(1割)\\2605/(2割)\\5211/(3割7815", None),  # shares of no one fee
    ("(1割)\\3287", "(1割)\\3287", None),  # one share alone proves nothing
])
def test_marks_between_amounts_by_share_repaired_only_where_the_shares_prove_it(read, repaired, rule):
    text, fired = tesseract.share_slashes(read)
    assert text == repaired and [f.rule for f in fired] == ([rule] if rule else [])


def test_enjo_read_with_a_wrong_kanji_is_repaired_on_ocr_lines():
    from extractor.ocr import correct, lexicon

    ocr_only = tuple(e for e in lexicon() if e.ocr_only)
    assert correct("家事提助\t30分未満", ocr=True, entries=ocr_only)[0] == "家事援助\t30分未満"
    assert correct("生活提助", ocr=True, entries=ocr_only)[0] == "生活援助"


def test_ink_under_a_tall_box_of_the_line_above_is_text_tesseract_dropped():
    """A two-line header ('ご利用者負担' over '1割 2割 3割'): Tesseract boxes a word of the
    upper line two lines tall, reaching down beside '1割', and drops '1割'. The word's box
    is on another line, so '1割' is still found as dropped ink (and read again)."""
    from PIL import Image, ImageDraw

    font = _font(40)
    img = Image.new("L", (1400, 200), 255)
    draw = ImageDraw.Draw(img)
    draw.text((400, 20), "算定基準", font=font, fill=0)
    draw.text((700, 70), "1割", font=font, fill=0)
    draw.text((900, 20), "10割", font=font, fill=0)
    draw.text((1100, 20), "単位数", font=font, fill=0)
    data = {k: [] for k in tesseract.FIELDS}
    # '算定基準' boxed two lines tall, its box a little right of its letters, reaching down beside '1割'
    for n, (text, left, top, width, height) in enumerate([("算定基準", 420, 18, 240, 80), ("10割", 900, 22, 90, 42),
                                                         ("単位数", 1100, 22, 125, 42)]):
        for k, v in (("level", 5), ("page_num", 1), ("block_num", 1), ("par_num", 1), ("line_num", 1), ("word_num", n + 1),
                     ("left", left), ("top", top), ("width", width), ("height", height), ("conf", 90.0), ("text", text)):
            data[k].append(v)
    boxes = tesseract.missed(img, data)
    assert any(x0 <= 705 and x1 >= 760 and y0 >= 60 for x0, y0, x1, y1 in boxes), boxes


def test_the_white_of_a_full_width_colon_is_no_word_space():
    """'（上段：単位数 下段：利用者負担額）' on a page with no rules: OCR boxes the colon apart from
    the white after it, and that white is no space between words (the title, split there,
    had run into the table's header below it)."""
    import numpy as np
    from PIL import Image, ImageDraw

    font = _font(40)
    img = Image.new("L", (1400, 120), 255)
    draw = ImageDraw.Draw(img)
    draw.text((100, 30), "上段：", font=font, fill=0)
    draw.text((232, 30), "単位数", font=font, fill=0)
    data = {k: [] for k in tesseract.FIELDS}
    for n, (text, left, width) in enumerate([("上段:", 100, 90), ("単位数", 232, 120)]):
        for k, v in (("level", 5), ("page_num", 1), ("block_num", 1), ("par_num", 1), ("line_num", 1), ("word_num", n + 1),
                     ("left", left), ("top", 32), ("width", width), ("height", 40), ("conf", 90.0), ("text", text)):
            data[k].append(v)
    lines = tesseract._lines(img, data, {}, [], lambda *box: [D(round(v)) for v in box], 1)
    assert [ln.text for ln in lines] == ["上段:単位数"]
    assert np.asarray(img).min() == 0


@pytest.mark.parametrize("read, repaired, rule", [
    ("要介護3\t479\t(1割)\\501/(2割)\\10017/(3割)\\1502", "要介護3\t479\t(1割)\\501/(2割)\\1001/(3割)\\1502", "ocr:share-slash"),
    ("要介護2\t689\t(1割)\\720/(2割)\\14 40/(3割)\\2160", "要介護2\t689\t(1割)\\720/(2割)\\1440/(3割)\\2160", "ocr:number-space"),
    ("要介護2\t689\t(1割)\\720/(2割)\\14 41/(3割)\\2160", "要介護2\t689\t(1割)\\720/(2割)\\14 41/(3割)\\2160", None),
])
def test_a_slash_read_as_a_7_before_itself_and_a_space_inside_an_amount_by_share(read, repaired, rule):
    text, fired = tesseract.share_slashes(read)
    assert text == repaired and [f.rule for f in fired] == ([rule] if rule else [])


def test_the_yen_sign_of_an_amount_by_share_read_as_f():
    assert tesseract.share_marks("(1割)\\645/(2割)\\1290/(3割)f1935")[0] == "(1割)\\645/(2割)\\1290/(3割)¥1935"
