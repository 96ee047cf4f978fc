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
