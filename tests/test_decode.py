"""extractor.sources.text: bytes to text in the encodings Japanese documents come in,
and plain-text files read into pages of lines."""

from __future__ import annotations

import pytest

from extractor.sources.base import BadInput
from extractor.sources.text import decode, read_text

# Ⅰ (U+2160) is an NEC extension: in cp932 and Unicode, not in EUC-JP (JIS X 0208).
FEE_LINE = "居宅介護支援費（Ⅰ）要介護１・２　１，０８６単位　ｹｱﾌﾟﾗﾝ"
# JIS X 0208 plus half-width katakana only, so it round-trips through all four encodings.
PARAGRAPH = (
    "居宅介護支援費（ｲ）要介護１・２　１，０８６単位　ｹｱﾌﾟﾗﾝ\n"
    "指定居宅介護支援事業所において、利用者の同意を得て居宅サービス計画（ｹｱﾌﾟﾗﾝ）を作成した"
    "場合に、所定単位数を算定する。ただし、運営基準減算に該当する場合は、所定単位数の１００分の"
    "５０に相当する単位数を算定する。\n"
    "特定事業所加算　１月につき　＋５１９単位　所定単位数×９５／１００\n"
    "令和６年４月１日から令和７年３月３１日まで\n"
)
# Lines the old scoring rejected: half-width kana and × counted as mojibake.
KANA_HEAVY = "通所ﾘﾊﾋﾞﾘﾃｰｼｮﾝ費　要介護３　８５単位"
RATES = "所定単位数×９５／１００　×９０／１００　×７０／１００"


@pytest.mark.parametrize("text,encoding", [
    pytest.param(FEE_LINE, "utf-8", id="line-utf8"),
    pytest.param(FEE_LINE, "utf-8-sig", id="line-utf8-bom"),
    pytest.param(FEE_LINE, "cp932", id="line-cp932"),
    pytest.param(PARAGRAPH, "utf-8", id="paragraph-utf8"),
    pytest.param(PARAGRAPH, "utf-8-sig", id="paragraph-utf8-bom"),
    pytest.param(PARAGRAPH, "cp932", id="paragraph-cp932"),
    pytest.param(PARAGRAPH, "euc_jp", id="paragraph-euc-jp"),
    pytest.param(FEE_LINE + "\n" + PARAGRAPH, "cp932", id="line-and-paragraph-cp932"),
    pytest.param(KANA_HEAVY, "cp932", id="kana-heavy-cp932"),
    pytest.param(KANA_HEAVY, "euc_jp", id="kana-heavy-euc-jp"),
    pytest.param(RATES, "cp932", id="rates-cp932"),
    pytest.param(RATES, "euc_jp", id="rates-euc-jp"),
])
def test_decode_round_trip(text, encoding):
    assert decode(text.encode(encoding)) == (text, encoding)


def test_fee_line_is_not_euc_jp():
    # Why the EUC-JP cases use PARAGRAPH: the codec cannot write Ⅰ at all.
    with pytest.raises(UnicodeEncodeError):
        FEE_LINE.encode("euc_jp")


@pytest.mark.parametrize("data", [
    pytest.param(bytes(range(128, 256)) * 4, id="high-bytes"),
    pytest.param(b"\xf0\x40" * 50, id="cp932-user-defined-area-only"),
    pytest.param(b"\x80\x81\xff" * 10, id="c1-and-ff"),
])
def test_decode_rejects_non_japanese(data):
    with pytest.raises(ValueError):
        decode(data)


# --- read_text -------------------------------------------------------------------------


@pytest.mark.parametrize("data", [
    pytest.param(b"", id="empty"),
    pytest.param(b"\n \r\n\t\n", id="whitespace-only"),
])
def test_read_text_empty_file(tmp_path, data):
    path = tmp_path / "fee.txt"
    path.write_bytes(data)
    with pytest.raises(BadInput) as err:
        read_text(path)
    assert str(path) in str(err.value)
    assert "empty" in str(err.value)


def test_read_text_undecodable_file(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(BadInput) as err:
        read_text(path)
    assert str(path) in str(err.value) and "decoded" in str(err.value)


# (file content, page of each line; None when the text has no page breaks)
PAGE_CASES = [
    pytest.param("特定事業所加算(Ⅰ)\n1月につき 519単位\n", [None, None], id="no-form-feed"),
    pytest.param("居宅介護支援費(Ⅰ)\n要介護1・2 1,086単位\n\f初期加算\n1月につき 300単位\n",
                 [1, 1, 2, 2], id="form-feed-at-line-start"),
    pytest.param("一頁\n\f二頁\n\f三頁\n", [1, 2, 3], id="three-pages"),
    pytest.param("一頁\n\f\f三頁\n", [1, 3], id="blank-page"),
    pytest.param("一頁\r\n\f二頁\r\n", [1, 2], id="crlf"),
]


@pytest.mark.parametrize("content,pages", PAGE_CASES)
def test_read_text_pages(tmp_path, content, pages):
    path = tmp_path / "fee.txt"
    path.write_bytes(content.encode("utf-8"))
    doc = read_text(path)
    assert [ln.page for ln in doc.lines] == pages
    assert [ln.number for ln in doc.lines] == list(range(1, len(pages) + 1))
    assert all("\f" not in ln.raw for ln in doc.lines)


def test_read_text_cp932_document(tmp_path):
    path = tmp_path / "leaflet.txt"
    path.write_bytes((FEE_LINE + "\n\f〇認知症ﾁｰﾑｹｱ推進加算Ⅰ\n").encode("cp932"))
    doc = read_text(path)
    assert doc.encoding == "cp932"
    assert [ln.raw for ln in doc.lines] == [FEE_LINE, "〇認知症ﾁｰﾑｹｱ推進加算Ⅰ"]
    assert [ln.text for ln in doc.lines] == [
        "居宅介護支援費(Ⅰ)要介護1・2 1,086単位 ケアプラン", "〇認知症チームケア推進加算Ⅰ",
    ]
    assert [ln.page for ln in doc.lines] == [1, 2]
