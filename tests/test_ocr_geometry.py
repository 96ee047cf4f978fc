"""What the OCR path measures on the image itself, without Tesseract: tier numerals as
vertical bars, and the voicing marks of half-width katakana read again at full width."""

from pathlib import Path

import pytest

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
