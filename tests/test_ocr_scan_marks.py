"""Kinds of scans fixed in the eleventh session: a thousands separator Tesseract dropped
(measured on the ink), a band's wave dash read as 分 or lost to a space or a cell break,
quotes read at a line's edge, a space before a cell's word, and fee names one letter off
an official name."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from extractor.sources import tesseract

FONT = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")


def _font(size):
    from PIL import ImageFont

    if not FONT.exists():
        pytest.skip("IPAexGothic is not installed (Debian: fonts-ipaexfont-gothic)")
    return ImageFont.truetype(str(FONT), size)


def _data(words):
    """Tesseract's TSV columns for words given as (text, left, top, width, height)."""
    data = {k: [] for k in tesseract.FIELDS}
    for n, (text, left, top, width, height) in enumerate(words):
        for k, v in (("level", 5), ("page_num", 1), ("block_num", 1), ("par_num", 1), ("line_num", 1),
                     ("word_num", n + 1), ("left", left), ("top", top), ("width", width), ("height", height),
                     ("conf", 90.0), ("text", text)):
            data[k].append(v)
    return data


def _lines(img, words):
    data = _data(words)
    return tesseract._lines(img, data, {}, [], lambda x0, t, x1, b: [D(x0), D(t), D(x1), D(b)], 1)


def _ink_of(draw_text):
    """A white strip with the text drawn on it, and its ink (0/1)."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (900, 80), 255)
    ImageDraw.Draw(img).text((20, 15), draw_text, font=_font(40), fill=0)
    return img, tesseract._ink(img)


def test_a_comma_tesseract_dropped_is_measured_between_the_groups():
    """'１，１４８単位' read as '1' '148単位': the comma's ink, small and low, after the
    digit's, joins the groups with ','; two numbers with no mark between them stay apart."""
    img, ink = _ink_of("１，１４８単位")
    # '1' boxed with the comma inside its box, as Tesseract boxed it; '148単位' from the third glyph
    data = _data([("1", 20, 15, 80, 40), ("148単位", 100, 15, 300, 40)])
    assert tesseract.lost_separator(ink, data, 0, 1)
    lines = _lines(img, [("1", 20, 15, 80, 40), ("148単位", 100, 15, 300, 40)])
    assert lines[0].text == "1,148単位"
    assert [(c.rule, c.printed, c.read) for c in lines[0].corrections] == [("ocr:thousands-separator", "1 148単位", "1,148単位")]
    img, ink = _ink_of("１　１４８")
    assert not tesseract.lost_separator(ink, _data([("1", 20, 15, 80, 40), ("148", 100, 15, 200, 40)]), 0, 1)


@pytest.mark.skipif(tesseract.available() is not None, reason="Tesseract with jpn is not installed")
def test_full_width_amounts_with_commas_keep_their_groups_on_a_scan():
    """Rows of full-width units and yen at 300 dpi, read with real Tesseract: every amount
    comes out whole ('1,148単位', never '1 148単位' nor '148単位')."""
    import numpy as np
    from PIL import Image, ImageDraw

    font = _font(38)
    img = Image.new("L", (2480, 520), 255)
    draw = ImageDraw.Draw(img)
    rows = [("要介護４", "１，０２３単位", "￥１０，９６６"), ("要介護５", "１，１４８単位", "￥１２，３０６"),
            ("要介護３", "１，００８単位", "￥１０，８０５")]
    for k, (a, b, c) in enumerate(rows):
        y = 100 + 120 * k
        draw.text((150, y), a, font=font, fill=0)
        draw.text((900, y), b, font=font, fill=0)
        draw.text((1700, y), c, font=font, fill=0)
    texts = [ln.text for ln in tesseract.ocr_image(np.asarray(img), 2480 * 72 / 300, "commas.pdf", 1)]
    joined = "\n".join(texts)
    for units in ("1,023単位", "1,148単位", "1,008単位"):
        assert units in joined, texts


@pytest.mark.parametrize("read, band", [
    ("20分分30分未満", "20分~30分未満"),  # the wave dash read as 分
    ("30分 1時間未満", "30分~1時間未満"),  # the dash lost, a space left
    ("20分 30分未満", "20分~30分未満"),
    ("1時間 30分以上", "1時間 30分以上"),  # hours then minutes: a time, never a band
    ("1時間30分以上", "1時間30分以上"),
])
def test_a_bands_wave_dash_read_as_fun_or_lost_to_a_space(read, band):
    assert tesseract.ranges(read)[0] == band


def test_a_number_and_its_fun_read_far_apart_stay_one_cell():
    """'30' and '分て45分未満' boxed apart with a wide gap: one time, one cell, the band read."""
    from PIL import Image

    img = Image.new("L", (1200, 100), 255)
    lines = _lines(img, [("家事援助", 20, 20, 160, 40), ("30", 300, 22, 40, 36), ("分て45分未満", 460, 20, 240, 40),
                         ("153", 900, 22, 60, 36)])
    assert lines[0].text == "家事援助\t30分~45分未満\t153"


def test_quotes_at_a_lines_edge_are_specks():
    """A repeated header's line read with a quote mark after it ('サービス提供時間 “'): the
    mark goes, recorded, so the header reads as the page before's."""
    from PIL import Image

    img = Image.new("L", (1600, 100), 255)
    lines = _lines(img, [("サービス提供時間", 20, 20, 320, 40), ("“", 1400, 20, 20, 20)])
    assert lines[0].text == "サービス提供時間"
    assert [c.rule for c in lines[0].corrections] == ["ocr:stray-mark"]


def test_a_space_before_a_cells_word_is_no_part_of_the_cell():
    """A word read again alone with a space before it (' y9080') starts its cell as read
    without it, so the yen sign read as y is known as one."""
    from PIL import Image

    img = Image.new("L", (1600, 100), 255)
    lines = _lines(img, [("要介護3", 20, 20, 140, 40), ("\\8280", 500, 22, 140, 36), (" y9080", 900, 22, 140, 36)])
    assert lines[0].text == "要介護3\t\\8280\t¥9080"


@pytest.mark.parametrize("read, repaired", [
    ("看本体制強化加算(Ⅰ)\t1月につき", "看護体制強化加算(Ⅰ)\t1月につき"),
    ("夜勤職員配信加算", "夜勤職員配置加算"),
    ("サービス提供体制強化加邊(Ⅱ)", "サービス提供体制強化加算(Ⅱ)"),
    ("福祉・介護有職員等処遇改善加算(Ⅱ)", "福祉・介護職員等処遇改善加算(Ⅱ)"),  # a letter more, in a long name
    ("個別機能練加算(Ⅰ)イ", "個別機能訓練加算(Ⅰ)イ"),  # a letter fewer
    ("息急時訪問看護加算(Ⅰ)", "緊急時訪問看護加算(Ⅰ)"),
    ("緊急時訪問午護加算(Ⅰ)", "緊急時訪問午護加算(Ⅰ)"),  # as near to 看護 as to 介護: left as read
    ("緊急時訪問介護加算", "緊急時訪問介護加算"),  # a known name is never another
    ("介護予防訪問介護", "介護予防訪問介護"),  # 介 for 看 makes another word; and it is no 加算
    ("禅祉・介護有職員等処遇改善加算", "禅祉・介護有職員等処遇改善加算"),  # two letters off
    ("訪問着護", "訪問着護"),  # a short name is repaired only to a name the document prints
])
def test_fee_names_one_letter_off_an_official_name(read, repaired):
    from extractor.ocr import repair_names

    assert repair_names(read, frozenset())[0] == repaired


@pytest.mark.parametrize("read, repaired", [
    # the yen sign read as a slash and a kana: the share's bracket says it is yen
    ("60分以上90分未満\t(1割)¥1,176/(2割)¥2,351/(3割)/ま3,526\t1,128", "60分以上90分未満\t(1割)¥1,176/(2割)¥2,351/(3割)¥3,526\t1,128"),
    # the close of a share lost and its sign read '\※': the three shares of one fee prove the close
    ("20分以上\t(1割\\※307/(2割)\\613/(3割)\\919\t294", "20分以上\t(1割)¥307/(2割)\\613/(3割)\\919\t294"),
    # the slash read as a 7 after a grouped amount: 1,147 is the 2割 of the fee whose 1割 is 574 and 3割 1,720
    ("1月につき\t(1割)\\574/(2割)\\1,1477(3割)\\1,720\t550", "1月につき\t(1割)\\574/(2割)\\1,147/(3割)\\1,720\t550"),
    ("(1割)\\574/(2割)\\1,1477(3割)\\1,999", "(1割)\\574/(2割)\\1,1477(3割)\\1,999"),  # shares of no one fee: left
    # both slashes read as 7s: only the two edits together make the shares one fee's
    ("(1割)\\5747(2割)\\1,1477(3割)\\1,720", "(1割)\\574/(2割)\\1,147/(3割)\\1,720"),
    # a share's first 1 read as a bracket: 396, 791 and 1186 are the shares of 3,951円, and 186 is none
    ("(1 割)396/(2割)791/(3割))186", "(1 割)396/(2割)791/(3割)1186"),
    # a grouped amount's last 7 before a slash is its digit: '1,09' is no amount (the shares '2, 193' not yet joined)
    ("(1割)¥1,097/(2割)\\2, 193/(3割)¥3, 289", "(1割)¥1,097/(2割)\\2, 193/(3割)¥3, 289"),
    ("(1割)579/(2割))158/(3割))737", "(1割)579/(2割)1158/(3割)1737"),
    ("(1割)579/(2割))158/(3割))799", "(1割)579/(2割))158/(3割))799"),  # no one fee's: left as read
    # the last share cut into a cell of its own at its sign read as a kana, the sign before it read as '*'
    ("823\t(1割)\\939/(2割)*1877/(3割)ま\t2815", "823\t(1割)\\939/(2割)¥1877/(3割)¥2815"),
    ("823\t(1割)\\939/(2割)\\1877/(3割)\\2815\t823", "823\t(1割)\\939/(2割)\\1877/(3割)\\2815\t823"),  # a cell of its own
])
def test_amounts_by_share_whose_marks_ocr_misread(read, repaired):
    text = tesseract.share_slashes(tesseract.share_marks(read)[0])[0]
    assert text == repaired


@pytest.mark.parametrize("read, cleaned", [
    ("-理学療法士等による訪問\t20分以上", "理学療法士等による訪問\t20分以上"),  # a zebra row's edge read as a dash
    ("-身体介護\t30分~1時間未満", "身体介護\t30分~1時間未満"),
    ("送迎減算\t-47単位", "送迎減算\t-47単位"),  # a minus before a number stays
])
def test_a_dash_before_a_name_is_a_speck(read, cleaned):
    assert tesseract.strays(read)[0] == cleaned


def test_a_speck_read_as_jo_between_units_and_tani_after_a_space():
    from extractor.ocr import correct, lexicon

    ocr_only = tuple(e for e in lexicon() if e.ocr_only)
    assert correct("\\1676(153 上単位)", ocr=True, entries=ocr_only)[0] == "\\1676(153単位)"
    assert correct("以上単位", ocr=True, entries=ocr_only)[0] == "以上単位"  # no number before it
