"""What the OCR path measures on the image itself, without Tesseract: tier numerals as
vertical bars, and the voicing marks of half-width katakana read again at full width."""

from pathlib import Path

import pytest
import regex as re

from extractor.sources import tiers
from extractor.sources.kana import _voice

FONT = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")


def _page(words: list[tuple[str, str]]):
    """An image of ``words`` (printed, as Tesseract read it) on one line, and the word
    data Tesseract would give for it. A word read as '' is one Tesseract dropped; one
    read as the start of what is printed has a box over that start only."""
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        pytest.skip("IPAexGothic is not installed (Debian: fonts-ipaexfont-gothic)")
    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", (1600, 80), 255)
    draw = ImageDraw.Draw(img)
    data = {k: [] for k in ("text", "conf", "left", "top", "width", "height")}
    x = 10
    for printed, read in words:
        draw.text((x, 15), printed, font=font, fill=0)
        width = int(font.getlength(printed))
        if read:
            box = int(font.getlength(read)) if printed.startswith(read) else width
            for k, v in zip(data, (read, "50", x, 15, box, 45)):
                data[k].append(v)
        x += width + 25
    return img, data


def test_bars_are_counted_and_a_digit_one_is_not_a_bar():
    img, _ = _page([("加算（Ⅰ）", ""), ("（Ⅱ）", ""), ("費Ⅲ", ""), ("連携1回", ""), ("(1)", "")])
    import numpy as np

    found = tiers.runs(tiers.bars((np.asarray(img) < 128).astype("uint8")))
    assert [r.strokes for r in sorted(found, key=lambda r: r.x0)] == [1, 2, 3]


def test_misread_tiers_are_rewritten_and_recorded():
    img, data = _page([("入院時加算", "入院時加算"), ("（Ⅱ）", "(ll)"), ("退所加算", "退所加算"), ("（Ⅰ）", "(1)"),
                       ("支援費Ⅲ", "支援費"), ("処遇改善加算Ⅴ", "処遇改善加算Ⅴ"), ("(1)", "(1)"),
                       ("中山", "中山")])
    fixes = tiers.measure(img, data)
    assert data["text"] == ["入院時加算", "(Ⅱ)", "退所加算", "(Ⅰ)", "支援費Ⅲ", "処遇改善加算Ⅴ", "(1)", "中山"]
    assert [(f.printed, f.read) for f in fixes] == [("(ll)", "(Ⅱ)"), ("(1)", "(Ⅰ)"), ("支援費", "支援費Ⅲ")]
    assert all(f.rule == "ocr:tier-strokes" for f in fixes)


def test_bars_inside_a_word_of_other_letters_are_left_alone():
    img, data = _page([("Ⅱ型", "II型"), ("HILL", "HILL")])
    assert tiers.measure(img, data) == [] and data["text"] == ["II型", "HILL"]


@pytest.mark.parametrize("read, voiced", [
    ("ネジ~メント", "ネジメント"),  # Tesseract voiced ジ itself: the mark it also returned is dropped
    ("ケアシ~ス", "ケアジス"),
    ("ケアフ~ラン", None),  # ﾌﾞ or ﾌﾟ: the stretched mark does not tell
    ("~ア", None),
    ("ア~", None),  # no voiced ア
    ("ターミナル", "ターミナル"),
])
def test_voicing_marks_join_the_kana_before_them(read, voiced):
    assert _voice(read) == voiced


def test_a_table_rule_beside_a_label_is_not_a_tier():
    from PIL import ImageDraw

    img, data = _page([("支援費", "支援費")])
    right = data["left"][0] + data["width"][0]
    ImageDraw.Draw(img).rectangle((right + 8, 2, right + 11, 78), fill=0)  # a cell's rule, taller than the text
    assert tiers.measure(img, data) == [] and data["text"] == ["支援費"]


def test_misread_tiers_beside_labels_and_in_brackets():
    img, data = _page([("支援費Ⅱ", "支援費昌"), ("退所加算", "退所加算"), ("（Ⅲ）", "(川)"), ("費", "費"), ("Ⅲ", "遇")])
    tiers.measure(img, data)
    assert data["text"] == ["支援費Ⅱ", "退所加算", "(Ⅲ)", "費", "Ⅲ"]


def test_a_bare_one_is_a_number_not_a_tier():
    img, data = _page([("加算", "加算"), ("Ⅰ", "1")])  # a flagless bar read as 1, with no bracket
    tiers.measure(img, data)
    assert data["text"] == ["加算", "1"]


@pytest.mark.parametrize("line, repaired, fixes", [
    ("算定項目\t単位数(単位)\t爆用総額(円)\t保険給付額(円)", "算定項目\t単位数(単位)\t費用総額(円)\t保険給付額(円)", 1),
    ("サービス内傘\t算定区分\t(単位数\t10入\t9害\t1害負担", "サービス内容\t算定区分\t(単位数\t10割\t9割\t1割負担", 4),
    ("定員\t10人\t単位数", "定員\t10人\t単位数", 0),  # a count stays a count
    ("爆用総額\t9害", "爆用総額\t9害", 0),  # no heading read exactly: not a heading line
    ("単位数\t19割", "単位数\t19割", 0),  # a digit is never the substitution
])
def test_headings_one_character_off_are_repaired_on_heading_lines(line, repaired, fixes):
    from extractor.ocr import repair_headers

    text, fired = repair_headers(line)
    assert text == repaired and len(fired) == fixes and all(f.rule == "ocr:heading" for f in fired)


def test_rule_remnants_are_dropped_and_recorded():
    from extractor.sources.tesseract import remnants

    assert remnants("ーー\t1時間以上\t587\t\\845-")[0] == "1時間以上\t587\t\\845"
    assert remnants("利用料\tー\t300")[0] == "利用料\tー\t300"  # a dash cell inside a row may mean 'none'


@pytest.mark.parametrize("angle", [-1.2, 0.0, 0.7])
def test_skew_is_measured(angle):
    import numpy as np
    from PIL import Image

    img, _ = _page([("退院・退所加算（Ⅰ）イ カンファレンス無", ""), ("450", ""), ("4,972", "")])
    tall = Image.new("L", (1600, 600), 255)
    for k in range(6):
        tall.paste(img, (0, 20 + 90 * k))
    turned = tall.rotate(angle, fillcolor=255)
    from extractor.sources.tesseract import skew

    assert skew(np.asarray(turned)) == pytest.approx(-angle, abs=0.15)


def test_the_bar_of_a_kanji_is_not_a_tier():
    """引 and 利 end in a plain vertical stroke, close to the rest of the character."""
    img, data = _page([("喀痰吸引", "喀痰吸|"), ("利用者", "|用者"), ("体制", "体|")])
    assert tiers.measure(img, data) == [] and data["text"] == ["喀痰吸|", "|用者", "体|"]


def test_a_heading_nearest_to_spellings_of_one_column_takes_the_first():
    """'給付客' is one letter off both 給付額 and 給付費: a benefit either way."""
    from extractor.ocr import repair_headers

    from extractor.reading.columns import header_role

    text, fired = repair_headers("ご負担額\t費用総額\t給付客")
    read = text.split("\t")[2]
    assert read in ("給付額", "給付費", "給付分") and header_role(read)[0] == "benefit"  # the list's first of them
    assert [(f.printed, f.read) for f in fired] == [("給付客", read)]
    assert repair_headers("単位数\t加算客")[0] == "単位数\t加算客"  # 加算名 (a name) or 加算率 (a rate): left alone


def test_a_heading_read_right_is_never_repaired_into_its_neighbour():
    from extractor.ocr import repair_headers

    line = "サービス内容\t算定区分\t(単位数)\t10割\t9割\t1削負揚"  # 算定区分 is two off 算定項目
    assert repair_headers(line)[0] == "サービス内容\t算定区分\t(単位数)\t10割\t9割\t1割負担"


def _line(words: list[tuple[str, int, int]]):
    """An image of ``words`` (text, left, box width as Tesseract gives it) on one line, and
    Tesseract's data for them: one block, one line."""
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        pytest.skip("IPAexGothic is not installed (Debian: fonts-ipaexfont-gothic)")
    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", (1600, 80), 255)
    draw = ImageDraw.Draw(img)
    from extractor.sources.tesseract import FIELDS

    data = {k: [] for k in FIELDS}
    for n, (text, left, width) in enumerate(words, start=1):
        draw.text((left, 15), text, font=font, fill=0)
        for k, v in zip(FIELDS, (5, 1, 1, 1, 1, n, left, 22, width or int(font.getlength(text)), 38, 90.0, text)):
            data[k].append(v)
    return img, data


def _read_line(img, data) -> str:
    from decimal import Decimal

    from extractor.sources.tesseract import _lines

    lines = _lines(img, data, {}, [], lambda *box: [Decimal(str(v)) for v in box], 1)
    return "\t".join(ln.text for ln in lines)


def test_a_gap_on_the_page_is_a_column_break_though_a_box_runs_over_it():
    """'従来型個室' and '要介護1' 60 px apart (1.5 letter heights): Tesseract's box of the
    first word runs on to the second, and the gap is measured on the ink."""
    img, data = _line([("従来型個室", 10, 320), ("要介護1", 270, 0)])
    assert _read_line(img, data) == "従来型個室\t要介護1"


def test_words_close_together_stay_one_cell():
    img, data = _line([("従来型", 10, 0), ("個室", 140, 0)])
    assert _read_line(img, data) == "従来型個室"


def test_a_closing_bracket_whose_box_strays_stays_in_its_cell():
    img, data = _line([("¥1858(163単位", 10, 0), (")", 330, 30), ("¥1672", 420, 0)])
    assert _read_line(img, data) == "¥1858(163単位)\t¥1672"


@pytest.mark.parametrize("read, cleaned", [
    ("4時間以上5時間未満\t要介護1 。。\t¥415", "4時間以上5時間未満\t要介護1 \t¥415"),
    ("397円454円514円572円。631円", "397円454円514円572円631円"),
    ("6時間~7時間未満。\t¥694", "6時間~7時間未満\t¥694"),
    ("7,053円\t8329円|", "7,053円\t8329円"),
    ("サービスを提供します。", "サービスを提供します。"),
    ("20分以上45分未満\t179\t\\1915\tw\\192", "20分以上45分未満\t179\t\\1915\t\\192"),  # a letter before the yen sign
    ("多床室\tぎ\\1060\t\\1121", "多床室\t\\1060\t\\1121"),
    ("\\5221\t\\y9973\t\\w12513", "\\5221\t\\9973\t\\12513"),  # the sign read twice, the second as a letter
    ("多床室\t\\931\t\\ば1,012", "多床室\t\\931\t\\1,012"),  # ... or as a kana
    ("約\\1000", "約\\1000"),  # a word, not a speck
    ("入院時支援連携加算。\t1回につき\t300", "入院時支援連携加算\t1回につき\t300"),  # no sentence ends in a row
    ("サービスを提供します。\t2", "サービスを提供します。\t2"),
    ("1時間~1時間15分未満\t239!", "1時間~1時間15分未満\t239"),
    ("Ⅰ 利用者負担上限額管理加算\t1月につき", "利用者負担上限額管理加算\t1月につき"),
    ("Ⅰ 型\t100", "Ⅰ 型\t100"),
])
def test_specks_read_as_marks_between_values_are_dropped(read, cleaned):
    from extractor.sources.tesseract import strays

    assert strays(read)[0] == cleaned


def test_the_wave_dash_read_as_kana_between_two_times():
    from extractor.sources.tesseract import ranges

    text, fixes = ranges("5時間ご6時間未満\t7時間こ8時間未満\t30分て1時間未満\tこちら\t見て")
    assert text == "5時間~6時間未満\t7時間~8時間未満\t30分~1時間未満\tこちら\t見て" and len(fixes) == 3


def test_headings_are_repaired_to_column_words_a_letter_for_a_letter():
    from extractor.ocr import repair_headers

    assert repair_headers("加算項目\tご負担客")[0] == "加算項目\tご負担額"
    assert repair_headers("単位数\t(単位数)\t10割")[0] == "単位数\t(単位数)\t10割"


def test_shares_are_proved_against_a_full_fee_named_by_its_header():
    """'¥1858(163単位)' under サービス費用: no units column, yet the 1割 column under a
    misread heading is total − floor(total × 0.9)."""
    from extractor.reading.columns import settle

    columns = {2: [1858, 2781, 4411], 3: [1672, 2502, 3969], 4: [186, 279, 442]}
    proved, why, _ = settle(columns, {2: "total", 3: "benefit"}, None, "kaigo")
    assert proved.get(4) == "copay1" and why[4] == "arithmetic:copay1 of total"


@pytest.mark.parametrize("read, cleaned, rule", [
    ("\\1, 766\t163単位", "\\1,766\t163単位", "ocr:thousands-separator"),  # the comma's box ends a word
    ("1単位=10. 84円", "1単位=10.84円", "ocr:number-space"),
    ("所定単位数x22. 4%を加算", "所定単位数x22.4%を加算", "ocr:number-space"),
    ("3,。822円(369単位)", "3,822円(369単位)", "ocr:thousands-separator"),  # a speck beside the comma
    ("要介護1, 2", "要介護1, 2", None),  # a list of levels, not a number
    ("1. 身体介護", "1. 身体介護", None),  # a numbered heading
])
def test_a_word_space_inside_a_number_is_closed_and_recorded(read, cleaned, rule):
    from extractor.sources.tesseract import thousands

    text, fired = thousands(read)
    assert text == cleaned and [f.rule for f in fired] == ([rule] if rule else [])


def test_shading_is_flattened_and_paper_and_ink_are_left_alone():
    """Letters on a shaded row binarize as on paper; paper and a solid bullet are untouched."""
    import numpy as np

    from extractor.sources.tesseract import THRESHOLD, flatten

    img, _ = _page([("身体介護", ""), ("1時間以上1時間30分未満", ""), ("\\6,066", "")])
    text = np.asarray(img).astype(float)
    page = np.full((400, 1600), 255.0)
    page[20:100] = text  # on paper
    page[160:260] = 206.0  # a shaded header row, the same words on it
    page[170:250] = text * 206 / 255  # ink on a tint: the tint's grey times the letter's
    page[300:360, 10:70] = 0.0  # a ■ bullet
    grey = page.astype(np.uint8)
    flat = flatten(grey, 300)
    assert (flat[:140] == grey[:140]).all() and (flat[280:] == grey[280:]).all()
    assert (flat[160:170] == 255).all()  # the shading itself is paper now
    on_paper, shaded, flattened = ((g < THRESHOLD).sum() for g in (grey[20:100], grey[170:250], flat[170:250]))
    assert shaded > 1.05 * on_paper  # under one threshold the tint thickens every stroke
    assert abs(flattened - on_paper) <= 0.01 * on_paper


@pytest.mark.parametrize("read, cleaned", [
    ("身体介護\tY7397\tW2790\tw299", "身体介護\t¥7397\t¥2790\t¥299"),  # the yen sign read as a letter, no separator
    ("Y1,234\t300", "¥1,234\t300"),
    ("W杯\tYes", "W杯\tYes"),  # letters before words stay
    ("多床室\t¥931\t半1,083\t¥1,145", "多床室\t¥931\t¥1,083\t¥1,145"),  # ... or as 半, its stem under two bars
    ("半日\t半1日", "半日\t半1日"),  # 半 before words or a count stays
    ("要介護2\t763上単位\t843単位", "要介護2\t763単位\t843単位"),  # a speck between units and 単位 read as 上
    ("3時間以上\t単位", "3時間以上\t単位"),
])
def test_the_yen_sign_read_as_a_letter_before_an_amount_and_specks_before_a_unit(read, cleaned):
    from extractor.ocr import correct, lexicon

    assert correct(read, ocr=True, entries=tuple(e for e in lexicon() if e.ocr_only))[0] == cleaned


def test_a_benefit_under_a_misread_heading_is_proved_by_the_official_shogai_rule():
    """'給付客' names nothing: its column is total − floor(total × 10%) (障害's official
    copay left to the user), not floor(total × 90%), which is a yen less on 2,805."""
    from extractor.reading.columns import settle

    columns = {1: [280, 442, 643], 2: [2805, 4427, 6433], 3: [2525, 3985, 5790]}
    proved, why, _ = settle(columns, {1: "copay1", 2: "total"}, None, "shogai")
    assert proved.get(3) == "benefit" and why[3] == "arithmetic:benefit of total"


def _two_line_header():
    """A header as a ruled box two lines tall prints it: 'サービス区分' and '利用時間' centred,
    '基本単位' above and '数' below them in the last column; Tesseract's words for the centred
    line only (it drops the others)."""
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        pytest.skip("IPAexGothic is not installed (Debian: fonts-ipaexfont-gothic)")
    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", (1600, 260), 255)
    draw = ImageDraw.Draw(img)
    from extractor.sources.tesseract import FIELDS

    data = {k: [] for k in FIELDS}
    for n, (text, x, y, read) in enumerate([("サービス区分", 60, 110, True), ("利用時間", 700, 110, True),
                                            ("基本単位", 1300, 60, False), ("数", 1380, 160, False)], start=1):
        draw.text((x, y), text, font=font, fill=0)
        if read:
            for k, v in zip(FIELDS, (5, 1, 1, 1, 1, n, x, y + 2, int(font.getlength(text)), 40, 96.0, text)):
                data[k].append(v)
    return img, data


def test_text_tesseract_dropped_is_found_on_the_ink_and_read_again():
    from extractor.sources.tesseract import missed, reread_missed

    img, data = _two_line_header()
    boxes = missed(img, data)
    assert len(boxes) == 2 and all(abs(x0 - x) <= 20 and abs(y0 - y) <= 20 for (x0, y0, _, _), (x, y) in
                                   zip(sorted(boxes, key=lambda b: b[1]), [(1300, 60), (1380, 160)]))
    assert reread_missed(img, data) == 2
    assert "".join(data["text"][2:]) == "基本単位数"


def test_ink_beside_a_word_read_on_its_line_is_that_words():
    """Tesseract's box of a word may sit a letter to the right of its ink: the letter left
    uncovered is no dropped text."""
    from extractor.sources.tesseract import missed

    img, data = _two_line_header()
    data["left"][1] += 90  # '利用時間' boxed two letters to the right
    assert len(missed(img, data)) == 2  # only the two dropped words, not the '利用' left out of its box


@pytest.mark.parametrize("read, repaired, fixes", [
    ("7時間以上8時間未溝\t8時間以上9時間未満", "7時間以上8時間未満\t8時間以上9時間未満", 1),
    ("30分末満\t1時間以土", "30分未満\t1時間以上", 2),
    ("1時間以内\t30分以下\t30分以降\t60分程度", "1時間以内\t30分以下\t30分以降\t60分程度", 0),  # words of their own
])
def test_the_words_that_end_a_band_one_kanji_off(read, repaired, fixes):
    from extractor.sources.tesseract import ranges

    text, fired = ranges(read)
    assert text == repaired and [f.rule for f in fired] == ["ocr:band-word"] * fixes


@pytest.mark.parametrize("read, repaired", [
    ("喘外吸引等支援体制加算\t1日につき", "喀痰吸引等支援体制加算\t1日につき"),
    ("嗜吸引等支援体制加算", "喀痰吸引等支援体制加算"),  # the two kanji read as one
    ("路療吸引等支援体制加算", "喀痰吸引等支援体制加算"),
    ("喀痰吸引等支援体制加算", "喀痰吸引等支援体制加算"),
    ("たんの吸引等", "たんの吸引等"),  # kana before it: a phrase of its own
])
def test_the_two_kanji_before_kyuin_are_kakutan_however_misread(read, repaired):
    from extractor.ocr import correct, lexicon

    assert correct(read, ocr=True, entries=tuple(e for e in lexicon() if e.ocr_only))[0] == repaired


@pytest.mark.parametrize("read, repaired, fixes", [
    ("要介護3~-5\t\\7,116\t683", "要介護3~5\t\\7,116\t683", 1),
    ("要介護3-5", "要介護3~5", 1),
    ("要支援1ー2", "要支援1~2", 1),
    ("要介護3~5\t要介護3・4・5", "要介護3~5\t要介護3・4・5", 0),
    ("要介護3-50", "要介護3-50", 0),  # no level 50
])
def test_a_range_of_care_levels_whose_wave_dash_ocr_read_as_a_dash(read, repaired, fixes):
    from extractor.sources.tesseract import levels
    from extractor.terms import parse_care_levels

    text, fired = levels(read)
    assert text == repaired and [f.rule for f in fired] == ["ocr:level-range"] * fixes
    if fixes:
        assert len(parse_care_levels(text.split("\t")[0])) >= 2


@pytest.mark.parametrize("read, repaired", [
    ("居宅介護支援費(Il)(iii)\t要介護1・2", "居宅介護支援費(Ⅱ)(iii)\t要介護1・2"),  # two strokes: Ⅱ
    ("特定事業所加算(I)", "特定事業所加算(Ⅰ)"),
    ("加算(1)", "加算(1)"),  # a digit is never a tier here
])
def test_a_tier_read_as_stroke_letters_is_counted(read, repaired):
    from extractor.ocr import correct, lexicon

    assert correct(read, ocr=True, entries=tuple(e for e in lexicon() if e.ocr_only))[0] == repaired


def _boxed(printed: str, words: list[tuple[str, int, int]]):
    """``printed`` on one line, and Tesseract's words for it given as (reading, first and
    last character of ``printed`` the word's box spans, the box widened by a few pixels
    where a reading's box runs over its neighbour: a negative start or end widens it)."""
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        pytest.skip("IPAexGothic is not installed (Debian: fonts-ipaexfont-gothic)")
    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", (900, 80), 255)
    ImageDraw.Draw(img).text((10, 15), printed, font=font, fill=0)
    data = {k: [] for k in ("text", "conf", "left", "top", "width", "height")}
    for read, a, b in words:
        x0 = 10 + int(font.getlength(printed[:abs(a)])) - (8 if a < 0 else 0)
        x1 = 10 + int(font.getlength(printed[:abs(b) + 1])) + (8 if b < 0 else 0)
        for k, v in zip(data, (read, "50", x0, 15, x1 - x0, 45)):
            data[k].append(v)
    return img, data


def test_a_tier_between_brackets_read_as_a_kanji_is_counted():
    # the box of '(' runs over the first bar: the bars are still the other word's ('(' '山' ')')
    img, data = _boxed("加算(Ⅲ)", [("加算", 0, 1), ("(", 2, -2), ("山", 3, 3), (")", 4, 4)])
    fixes = tiers.measure(img, data)
    assert data["text"] == ["加算", "(", "Ⅲ", ")"] and [(f.printed, f.read) for f in fixes] == [("山", "Ⅲ")]
    # a word alone between an opening bracket and its close, its box wider than the bars ('員')
    img, data = _boxed("加算(Ⅲ)", [("加算", 0, 1), ("(", 2, 2), ("員", 3, -4), (")", 4, 4)])
    tiers.measure(img, data)
    assert data["text"] == ["加算", "(", "Ⅲ", ")"]


def test_bars_whose_reading_went_to_the_closing_bracket():
    # Tesseract gave the bar's '1' to the close's word: '(' '1)' where (Ⅰ) is printed, and the bar is in no word
    img, data = _boxed("加算(Ⅰ)(i)", [("加算", 0, 1), ("(", 2, 2), ("1)(i)", 4, 7)])
    fixes = tiers.measure(img, data)
    assert data["text"] == ["加算", "(Ⅰ", ")(i)"]
    assert [(f.printed, f.read) for f in fixes] == [("(1)(i)", "(Ⅰ)(i)")]


def test_a_digit_one_in_brackets_stays_a_digit():
    img, data = _boxed("加算(1)", [("加算", 0, 1), ("(", 2, 2), ("1)", 3, 4)])
    assert tiers.measure(img, data) == [] and data["text"] == ["加算", "(", "1)"]


def test_bars_at_the_start_of_a_word_read_as_a_bracketed_one():
    # the word's box begins at the bar, its reading with the bracket before it: '(1)(i)' for (Ⅰ)(i)
    img, data = _boxed("支援費(Ⅰ)(ii)", [("支援費", 0, 2), ("(1)(ii)", 4, 9)])
    fixes = tiers.measure(img, data)
    assert data["text"] == ["支援費", "(Ⅰ)(ii)"] and [(f.printed, f.read) for f in fixes] == [("(1)(ii)", "(Ⅰ)(ii)")]
    img, data = _boxed("支援費(1)(ii)", [("支援費", 0, 2), ("(1)(ii)", 4, 9)])  # a digit one has a flag: no bar
    assert tiers.measure(img, data) == [] and data["text"] == ["支援費", "(1)(ii)"]


def test_units_and_fee_named_by_the_header_survive_one_row_off():
    """'基本単位数' '費用総額' '1割' at 10.00 円 (units and 1割 the same numbers), one fee a yen off
    (4609 for 461 units): the header's units and fee stand, proved on every other row, and the
    units column is not taken for a second 1割 column."""
    from extractor.reading.columns import settle

    columns = {2: [186, 277, 369, 461], 3: [1860, 2770, 3690, 4609], 4: [186, 277, 369, 461]}
    proved, why, price = settle(columns, {2: "units", 3: "total", 4: "copay1"}, None, "shogai")
    assert proved[2] == "units" and proved[3] == "total" and str(price) == "10.00"
    assert "all rows but one" in why[2]


@pytest.mark.parametrize("read, repaired, fixes", [
    ("(1割)\\ま524/(2割)を1048/(3割)\\※1572", "(1割)¥524/(2割)¥1048/(3割)¥1572", 3),  # the sign read as a kana or beside one
    ("(1割り\\\\1255/(2割)\\2509", "(1割)¥1255/(2割)\\2509", 2),  # the close read り, the sign read twice
    ("(1割)ま327/(2割)ま654/(3割)\\981", "(1割)¥327/(2割)¥654/(3割)\\981", 2),
    ("(2割)¥354/(3割)#530", "(2割)¥354/(3割)¥530", 1),  # the sign read as '#'
    ("(1割)yY186/(2割)\\372/(3割)y\\558", "(1割)¥186/(2割)\\372/(3割)¥558", 2),  # ... as y and Y, the V of ¥
    ("(1割)%114", "(1割)¥114", 1),
    ("(1割)\\350/(2割)\\699", "(1割)\\350/(2割)\\699", 0),  # read right: nothing to do
    ("まで524円", "まで524円", 0),  # no share before it: words, left alone
])
def test_marks_of_amounts_by_share_misread(read, repaired, fixes):
    """A list of amounts labelled by share ('(1割)¥350/(2割)¥699'): its yen signs read as kana
    or marks, its close as り, are repaired and recorded; the digits are as read."""
    from extractor.reading import values as V
    from extractor.sources.tesseract import share_marks

    text, fired = share_marks(read)
    assert text == repaired and len(fired) == fixes and all(f.rule == "ocr:share-mark" for f in fired)
    if fixes and "(1割" in read:
        assert V.read(text).shares.get("copay1") == int(re.search(r"割\)\D*(\d+)", read.replace("り", ")")).group(1))


def test_a_unit_mark_boxed_apart_joins_the_number_it_ends():
    """'円' of '6,087円' boxed apart by Tesseract (a box of no height, on a line of its own
    just right of the row's end): it is the row's last cell's unit, recorded; a 円 elsewhere
    (far right, or on no row's height) stays a line of its own."""
    from decimal import Decimal as D

    from extractor.sources.base import Line
    from extractor.sources.tesseract import join_unit_marks

    row = Line.of("5時間~6時間未満\t要介護1\t570\t6,087", 7, 1, [D(48), D(156), D(282), D(174)], [(48.0, 90.0), (134.0, 160.0), (187.0, 200.0), (250.0, 282.0)])
    mark = Line.of("円", 8, 1, [D(289), D(157), D(290), D(157)])
    far = Line.of("円", 9, 1, [D(500), D(160), D(510), D(170)])
    left = join_unit_marks([row, mark, far])
    assert left == [row, far] and row.text.endswith("\t6,087円") and row.spans[-1] == (250.0, 290.0)
    assert [(c.rule, c.read) for c in row.corrections] == [("ocr:unit-mark", "6,087円")]


def test_a_stroke_inside_a_letter_is_no_tier():
    """A vertical stroke cut off inside a letter by a thin scan (the 丨 of 介 in '乗降介助'),
    its ink enclosed by the letter's: the letter's stroke, never a tier appended to the word."""
    from PIL import ImageDraw

    img, data = _page([("加算口", "加算口")])
    import numpy as np

    ink = (np.asarray(img) < 128).astype("uint8")
    x, y, w, h, _ = max(tiers.components(ink), key=lambda c: c[0])  # 口, the last letter
    ImageDraw.Draw(img).rectangle((x + w // 2 - 1, y + 6, x + w // 2 + 2, y + h - 7), fill=0)
    data["top"], data["height"] = [y], [h]  # the word's box as tall as its letters
    assert tiers.measure(img, data) == [] and data["text"] == ["加算口"]


def test_a_digit_alone_is_never_read_again_as_katakana():
    """'1時間30分' '2' '時間未満', the 2 unsure: a number standing alone is no half-width
    katakana to read again (it came back 'ピー'); a run of unsure kana-like noise still is,
    digits in it too."""
    from extractor.sources.kana import _runs

    data = {"text": ["1時間30分", "2", "時間未満", "が-ミ", "7", "アアネツメト"], "conf": ["90", "20", "90", "30", "20", "30"]}
    assert _runs(data, [0, 1, 2]) == []
    assert _runs(data, [3, 4, 5]) == [[3, 4, 5]]  # a digit inside kana noise is part of the noise


@pytest.mark.parametrize("read, repaired", [
    ("30分未満\t\\6081(587l単位)", "30分未満\t\\6081(587単位)"),  # 587 × 10.36 is 6081; 5871 units is at no price
    ("\\2040(197l単位)", "\\2040(197単位)"),
    ("\\6082(587l単位)", "\\6082(587l単位)"),  # no price gives 6082: the amount stays lost, never guessed
    ("\\6081(587単位)", "\\6081(587単位)"),
])
def test_a_stroke_after_units_is_dropped_only_when_the_fee_proves_it(read, repaired):
    from extractor.sources.tesseract import units_strokes

    text, fired = units_strokes(read)
    assert text == repaired and len(fired) == (read != repaired)
    assert all(f.rule == "ocr:units-stroke" for f in fired)


def test_a_unit_mark_boxed_apart_joins_a_cell_inside_its_line():
    """'円' of '8469円' boxed apart in the middle of its row ('多床室 8469 9003円 …')."""
    from decimal import Decimal as D

    from extractor.sources.base import Line
    from extractor.sources.tesseract import join_unit_marks

    row = Line.of("多床室\t8469\t9003円", 6, 1, [D(49), D(135), D(200), D(155)], [(49.0, 80.0), (110.0, 136.0), (160.0, 200.0)])
    mark = Line.of("円", 9, 1, [D(137), D(151), D(146), D(151)])
    assert join_unit_marks([row, mark]) == [row] and row.text == "多床室\t8469円\t9003円"
    assert row.spans[1] == (110.0, 146.0)


def test_a_piece_boxed_apart_before_a_cell_is_its_start():
    """'8' of '8時間以上9時間未満' in a box of no height, just left of its row's first cell:
    the cell's start, as read (never a guessed digit); a piece in a box of its own height,
    or far from any cell, stays a line."""
    from decimal import Decimal as D

    from extractor.sources.base import Line
    from extractor.sources.tesseract import join_unit_marks

    row = Line.of("時間以上9時間未満\t要介護2\t\\834", 11, 2, [D(50), D(219), D(497), D(238)], [(50.0, 120.0), (140.0, 170.0), (400.0, 497.0)])
    piece = Line.of("8", 12, 2, [D(44), D(232), D(44), D(232)])
    tall = Line.of("8", 13, 2, [D(44), D(262), D(48), D(276)])  # a line of its own height, on no row
    assert join_unit_marks([row, piece, tall]) == [row, tall] and row.text.startswith("8時間以上9時間未満\t")
    assert [(c.rule, c.read) for c in row.corrections] == [("ocr:piece-apart", "8時間以上9時間未満")]


def test_small_roman_sub_tiers_are_counted_as_dotted_stems_between_brackets():
    img, data = _page([("支援費（Ⅱ）（ii）", "支援費(Ⅱ)(⑪)"), ("支援費（Ⅰ）（iii）", "支援費(Ⅰ)(ii)"),
                       ("（i）", "()"), ("（ii）", "(ii)"), ("（Ⅱ）", "(ll)"), ("（i）", "(中)")])
    fixes = tiers.small_romans(img, data)
    # what the stems show, only where the bracket held stem-like letters or nothing; never a kanji
    assert data["text"] == ["支援費(Ⅱ)(ii)", "支援費(Ⅰ)(iii)", "(i)", "(ii)", "(ll)", "(中)"]
    assert [(f.printed, f.read) for f in fixes] == [("支援費(Ⅱ)(⑪)", "支援費(Ⅱ)(ii)"), ("支援費(Ⅰ)(ii)", "支援費(Ⅰ)(iii)"),
                                                    ("()", "(i)")]
    assert all(f.rule == "ocr:small-roman" for f in fixes)


def test_the_dotted_stems_of_a_small_roman_are_no_tier_bars():
    img, data = _page([("加算", "加算"), ("（ii）", "(ll)"), ("加算", "加算"), ("（Ⅱ）", "(ll)")])
    tiers.measure(img, data)
    assert data["text"] == ["加算", "(ll)", "加算", "(Ⅱ)"]


def test_bars_a_label_box_runs_over_are_the_reading_of_the_word_they_hold():
    img, data = _page([("退所加算", "退所加算"), ("（", "("), ("Ⅲ", "吊"), ("）", ")")])
    data["width"][0] = data["left"][2] + data["width"][2] // 2 - data["left"][0]  # '加算' boxed over '(吊'
    tiers.measure(img, data)
    assert data["text"] == ["退所加算", "(", "Ⅲ", ")"]


def test_bars_in_brackets_are_a_tier_in_a_box_read_again_in_a_tall_strip():
    img, data = _page([("支援費", "支援費"), ("（Ⅰ）", "(1)")])
    data["top"][1], data["height"][1] = 0, 100  # a word read again alone: as tall as its strip
    tiers.measure(img, data)
    assert data["text"] == ["支援費", "(Ⅰ)"]


@pytest.mark.parametrize("read, cleaned, fixes", [
    ("重度訪問介護\t1時間未満\t\\208\tw2,083\t186単位", "重度訪問介護\t1時間未満\t\\208\t¥2,083\t186単位", 1),
    ("\\310\ty3,102\tY5,163円", "\\310\t¥3,102\t¥5,163円", 2),
    ("w2,083\t186単位", "w2,083\t186単位", 0),  # no amount of the line has the sign: nothing says it is yen
    ("\\1\tw1i92", "\\1\tw1i92", 0),  # not a number behind the letter: left, and lost
    ("\\3\tww12", "\\3\tww12", 0),
    ("\\3\tTypeA12", "\\3\tTypeA12", 0),
])
def test_a_yen_sign_read_as_a_letter_before_an_amount(read, cleaned, fixes):
    from extractor.sources.tesseract import yen_letters

    text, fired = yen_letters(read)
    assert text == cleaned and len(fired) == fixes and all(f.rule == "ocr:yen-sign" for f in fired)
