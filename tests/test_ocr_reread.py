"""A cell Tesseract was unsure of, read again alone (extractor/sources/recell.py): the
second reading is taken only when it is surer and keeps every digit; and crops read as
pages of one process give the same words as one process each."""

import pytest

from extractor.sources import recell


@pytest.mark.parametrize("old, old_confs, new, new_confs, taken", [
    ("表事電", [31, 74, 0], "家事援助", [93, 93], True),  # a name read right alone
    ("紫急時治療管理加算", [40], "緊急時治療管理加算", [55], True),
    ("表事電", [31, 74, 0], "家事援助", [40, 40], False),  # not surer by the margin
    ("30分末満", [20], "30分未満", [90], True),  # the digits as they were
    ("30分末満", [20], "80分未満", [90], False),  # a digit changed: never
    ("1回につき", [20], "回につき", [90], False),  # a digit dropped: never
    ("回につき", [20], "1回につき", [90], False),  # a digit added: never
    ("３０分未満", [20], "30分未満", [90], True),  # full-width digits are the same digits
    ("通院等介助身体介護", [20], "通院", [95], False),  # a reading that dropped most of the ink
    ("利用者負担上限客管理加算", [20], "利用者負担限額管理加算", [90], False),  # a letter dropped
    ("要介護2”673単位", [20], "要介護2673単位", [90], False),  # two numbers run together
    ("1.086単位", [20], "1,086単位", [90], True),
    ("要介護35", [20], "要介護3~5", [90], True),  # a number the first reading ran together, split
    ("家事援助", [20], "", [], False),
])
def test_a_second_reading_is_taken_only_surer_and_with_the_same_digits(old, old_confs, new, new_confs, taken):
    assert recell.accept(old, old_confs, new, new_confs) is taken


def _data(words):
    """Tesseract's TSV columns for words given as (text, left, top, width, height, conf)."""
    from extractor.sources.tesseract import FIELDS

    data = {k: [] for k in FIELDS}
    for n, (text, left, top, width, height, conf) in enumerate(words):
        for k, v in (("level", 5), ("page_num", 1), ("block_num", 1), ("par_num", 1), ("line_num", 1),
                     ("word_num", n + 1), ("left", left), ("top", top), ("width", width), ("height", height),
                     ("conf", conf), ("text", text)):
            data[k].append(v)
    return data


def test_cells_are_cut_at_wide_gaps_and_rules_and_only_unsure_letters_are_read_again():
    from extractor.sources.grid import Rule

    data = _data([("生活", 100, 100, 60, 30, 90.0), ("揚和", 162, 100, 60, 30, 20.0),  # one cell: a narrow gap
                  ("20分", 300, 100, 60, 30, 95.0), ("以上", 362, 100, 60, 30, 95.0),  # a wide gap before it
                  ("183", 500, 100, 50, 30, 10.0)])  # digits alone: never read again as letters
    runs = recell.cells(data, [])
    assert [[data["text"][i] for i in run] for run in runs] == [["生活", "揚和"], ["20分", "以上"], ["183"]]
    assert [recell.unsure(data, run) for run in runs] == [True, False, False]
    # a ruling line between two words a narrow gap apart ends the cell
    ruled = recell.cells(data, [Rule(x=161, top=50, bottom=200)])
    assert [[data["text"][i] for i in run] for run in ruled][:2] == [["生活"], ["揚和"]]


@pytest.mark.skipif(__import__("extractor.sources.tesseract", fromlist=["available"]).available() is not None,
                    reason="Tesseract with jpn is not installed")
def test_crops_read_as_pages_of_one_process_read_as_one_process_each():
    from PIL import Image, ImageDraw, ImageFont, ImageOps

    from extractor.sources import tesseract

    font = None
    for path in ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", "/usr/share/fonts/truetype/ipaexg.ttf"):
        try:
            font = ImageFont.truetype(path, 40)
            break
        except OSError:
            continue
    if font is None:
        pytest.skip("IPAex Gothic is not installed")
    crops = []
    for text in ("家事援助", "緊急時対応加算", "30分以上1時間未満", "1,086"):
        img = Image.new("L", (60 + 44 * len(text), 70), 255)
        ImageDraw.Draw(img).text((20, 10), text, font=font, fill=0)
        crops.append(ImageOps.expand(img, 20, fill=255))
    apart = tesseract.read_apart(crops, psm=7)
    one_each = [tesseract.words(c, psm=7) for c in crops]
    assert [(a["text"], a["left"], a["conf"]) for a in apart] == [(b["text"], b["left"], b["conf"]) for b in one_each]
    assert "".join(apart[0]["text"]) == "家事援助"


@pytest.mark.parametrize("text, bad", [
    ("16, 0O85円", True), ("1,2027", True), ("\\*1926", True), ("w2.083", True), ("Y5.163", True),
    ("16,085円", False), ("\\1926", False), ("2083", False),  # clean amounts: never read again
    ("30分未満", False), ("要介護3", False), ("1", False),  # no amount cell
])
def test_an_amount_cell_whose_reading_is_no_amount(text, bad):
    assert recell.malformed(text) is bad


def test_a_second_reading_of_an_amount_is_chosen_only_by_the_line_arithmetic():
    assert recell.amount("\\5,163") == 5163 and recell.amount("5,1634") is None and recell.amount("¥5 163") == 5163
    assert recell.near("51163", "5163") and recell.near("16085", "16085") and not recell.near("1926", "26")
    assert recell.proved(5163, [461]) == "floor(461 × 11.20)"  # units × a 1単位の単価 of the table
    assert recell.proved(208, [2083]) == "1割 of 2083"  # a user's share of the fee
    assert recell.proved(2083, [208]) == "1割 of 2083"  # the fee of a share
    assert recell.proved(12380, [12380]) == "equal to 12380"  # a 10割 fee paid in full, printed twice
    assert recell.proved(5163, [462, 30]) is None  # nothing on the line gives it
    assert recell.proved(310, [3]) is None  # a number under 10 proves nothing (a level, a count)


def _line(cells):
    """An image of ``cells`` (printed, as first read) on one line, and Tesseract's word data for it."""
    from PIL import Image, ImageDraw, ImageFont

    path = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
    try:
        font = ImageFont.truetype(path, 40)
    except OSError:
        pytest.skip("IPAex Gothic is not installed")
    img = Image.new("L", (1400, 90), 255)
    draw = ImageDraw.Draw(img)
    words, x = [], 20
    for printed, read in cells:
        draw.text((x, 20), printed, font=font, fill=0)
        width = int(font.getlength(printed))
        words.append((read, x, 22, width, 40, 40.0))
        x += width + 120
    return img, _data(words)


@pytest.mark.skipif(__import__("extractor.sources.tesseract", fromlist=["available"]).available() is not None,
                    reason="Tesseract with jpn is not installed")
def test_an_amount_misread_is_read_again_and_taken_only_where_the_line_proves_it():
    img, data = _line([("186単位", "186単位"), ("¥2,083", "w2.083")])
    fixes = recell.reread_numbers(img, data, [])
    assert [f.rule for f in fixes] == ["ocr:number-reread"]
    assert fixes[0].printed == "w2.083" and fixes[0].read.endswith("(floor(186 × 11.20))")
    assert recell.amount(data["text"][fixes[0].line]) == 2083 and data["text"][1] == ""
    # the same misreading on a line whose units prove no such amount: left as read (and lost, reported)
    img, data = _line([("187単位", "187単位"), ("¥2,083", "w2.083")])
    assert recell.reread_numbers(img, data, []) == [] and data["text"][1] == "w2.083"


@pytest.mark.skipif(__import__("extractor.sources.tesseract", fromlist=["available"]).available() is not None,
                    reason="Tesseract with jpn is not installed")
def test_a_digit_other_than_first_read_is_taken_only_where_the_same_amount_stands_on_the_line():
    img, data = _line([("186単位", "186単位"), ("¥2,083", "w2.O83")])  # O for 0: a digit the first reading lacked
    assert recell.reread_numbers(img, data, []) == []  # 186 × 11.20 proves 2083, but would prove a misread as well
    img, data = _line([("¥2,083", "¥2,083"), ("¥2,083", "w2.O83")])  # a 10割 fee and its benefit, the same amount
    fixes = recell.reread_numbers(img, data, [])
    assert len(fixes) == 1 and fixes[0].read.endswith("(equal to 2083)")
