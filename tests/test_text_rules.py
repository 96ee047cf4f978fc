"""extractor.text: each named normalization rule, ``normalize`` and ``squeeze``."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.text import (
    LINE_RULES,
    collapse_spaces,
    dash_minus,
    fullwidth_ascii,
    halfwidth_kana,
    letter_spaced_word,
    normalize,
    units_separator,
    squeeze,
    wave_dash,
)

# (rule function, printed, read): one rule on its own.
RULE_CASES = [
    pytest.param(fullwidth_ascii, "１，０８６", "1,086", id="fw-digits-comma"),
    pytest.param(fullwidth_ascii, "（Ⅱ）", "(Ⅱ)", id="fw-parens-keep-roman"),
    pytest.param(fullwidth_ascii, "８０％以上", "80%以上", id="fw-percent"),
    pytest.param(fullwidth_ascii, "基本料金＋加算の０．８％相当", "基本料金+加算の0.8%相当", id="fw-plus-dot"),
    pytest.param(fullwidth_ascii, "ＡＤＬ維持等加算", "ADL維持等加算", id="fw-letters"),
    pytest.param(fullwidth_ascii, "要介護１・２\u3000１，０８６単位", "要介護1・2 1,086単位", id="fw-ideographic-space"),
    pytest.param(fullwidth_ascii, "サービス提供体制強化加算", "サービス提供体制強化加算", id="fw-kana-kanji-stay"),
    pytest.param(fullwidth_ascii, "ｹｱﾌﾟﾗﾝ", "ｹｱﾌﾟﾗﾝ", id="fw-leaves-halfwidth-kana"),
    pytest.param(halfwidth_kana, "ｹｱﾌﾟﾗﾝ", "ケアプラン", id="hk-careplan"),
    pytest.param(halfwidth_kana, "ﾘﾊﾋﾞﾘﾃｰｼｮﾝ", "リハビリテーション", id="hk-dakuten-choon"),
    pytest.param(halfwidth_kana, "･", "・", id="hk-middle-dot"),
    pytest.param(halfwidth_kana, "認知症ﾁｰﾑｹｱ推進加算 1月 150円", "認知症チームケア推進加算 1月 150円", id="hk-digits-stay"),
    pytest.param(wave_dash, "4日\u301c30日", "4日~30日", id="wave-u301c"),
    pytest.param(wave_dash, "31日\uff5e45日以内", "31日~45日以内", id="wave-uff5e"),
    pytest.param(wave_dash, "要介護1~5", "要介護1~5", id="wave-ascii-stays"),
    pytest.param(dash_minus, "\u22121/100", "-1/100", id="minus-sign"),
    pytest.param(dash_minus, "\u20101/100", "-1/100", id="hyphen"),
    pytest.param(dash_minus, "\u20131/100", "-1/100", id="en-dash"),
    pytest.param(dash_minus, "ー1/100", "-1/100", id="choon-before-digit"),
    pytest.param(dash_minus, "―1/100", "-1/100", id="bar-before-digit"),
    pytest.param(dash_minus, "1月につき ー200単位", "1月につき -200単位", id="choon-after-space"),
    pytest.param(dash_minus, "ターミナルケア加算", "ターミナルケア加算", id="katakana-choon-stays"),
    pytest.param(dash_minus, "ケアー1", "ケアー1", id="choon-after-katakana-stays"),
    pytest.param(dash_minus, "―\t1,086", "―\t1,086", id="none-cell-before-number-cell"),
    pytest.param(units_separator, "要介護5 ( 1.008単位 )", "要介護5 ( 1,008単位 )", id="us-dot-thousands"),
    pytest.param(units_separator, "0.5単位", "0.5単位", id="us-not-thousands"),
    pytest.param(units_separator, "10.18円", "10.18円", id="us-prices-stay"),
    pytest.param(letter_spaced_word, "単 位 数", "単位数", id="ls-tani-su"),
    pytest.param(letter_spaced_word, "要 介 護 3", "要介護 3", id="ls-before-digit"),
    pytest.param(letter_spaced_word, "イ カンファレンス", "イ カンファレンス", id="ls-enumerator-stays"),
    pytest.param(letter_spaced_word, "月 1回", "月 1回", id="ls-digit-not-cjk"),
    pytest.param(letter_spaced_word, "12,000 12,000", "12,000 12,000", id="ls-numbers-stay"),
    pytest.param(collapse_spaces, "1月につき   200 単位", "1月につき 200 単位", id="cs-run"),
    pytest.param(collapse_spaces, "  初期加算  ", "初期加算", id="cs-ends"),
    pytest.param(collapse_spaces, "運営基準減算\t\t基本単位数の  50%に減算", "運営基準減算\t\t基本単位数の 50%に減算", id="cs-tabs-stay"),
    pytest.param(collapse_spaces, "訪問介護 \t 16.55%", "訪問介護\t16.55%", id="cs-trim-cells"),
]


@pytest.mark.parametrize("rule,printed,read", RULE_CASES)
def test_rule(rule, printed, read):
    assert rule(printed) == read


def test_rule_names():
    assert [r.name for r in LINE_RULES] == [
        "radical-ideograph", "fullwidth-ascii", "halfwidth-kana", "wave-dash", "dash-minus", "units-separator", "collapse-spaces",
        "letter-spaced-word",
    ]


# (printed, read, names of the rules that fired, in order)
NORMALIZE_CASES = [
    pytest.param("居宅介護支援費（Ⅰ）要介護１・２\u3000１，０８６単位\u3000ｹｱﾌﾟﾗﾝ",
                 "居宅介護支援費(Ⅰ)要介護1・2 1,086単位 ケアプラン",
                 ["fullwidth-ascii", "halfwidth-kana"], id="fee-line"),
    pytest.param("〇認知症ﾁｰﾑｹｱ推進加算Ⅰ \u3000\u30001月  150円", "〇認知症チームケア推進加算Ⅰ 1月 150円",
                 ["fullwidth-ascii", "halfwidth-kana", "collapse-spaces"], id="leaflet-line"),
    # U+FF5E is a full-width ASCII tilde, so fullwidth-ascii reads it before wave-dash.
    pytest.param("○ターミナルケア加算（4日\uff5e30日以内）", "○ターミナルケア加算(4日~30日以内)",
                 ["fullwidth-ascii"], id="fullwidth-tilde-is-ascii"),
    pytest.param("令和６年４月\u301c令和７年３月", "令和6年4月~令和7年3月",
                 ["fullwidth-ascii", "wave-dash"], id="wave-dash-range"),
    pytest.param("所定単位数の\u22121/100", "所定単位数の-1/100", ["dash-minus"], id="minus-sign"),
    pytest.param("所定単位数のー１／１００", "所定単位数の-1/100", ["fullwidth-ascii", "dash-minus"], id="choon-minus"),
    pytest.param("単 位 数", "単位数", ["letter-spaced-word"], id="letter-spaced"),
    # a web page printed to PDF: its font maps glyphs to Kangxi radicals and their supplement
    pytest.param("夜間\u2f40援体制加算 1\u2f47につき 利\u2f64 \u2ed1期", "夜間支援体制加算 1日につき 利用 長期",
                 ["radical-ideograph"], id="radicals"),
    pytest.param("単\u3000\u3000位\u3000\u3000数", "単位数",
                 ["fullwidth-ascii", "collapse-spaces", "letter-spaced-word"], id="letter-spaced-wide"),
    pytest.param("特定事業所加算(Ⅰ)   1月につき\t519単位", "特定事業所加算(Ⅰ) 1月につき\t519単位",
                 ["collapse-spaces"], id="collapse-keep-tab"),
]


@pytest.mark.parametrize("printed,read,names", NORMALIZE_CASES)
def test_normalize(printed, read, names):
    out, applied = normalize(printed)
    assert out == read
    assert [a.rule for a in applied] == names
    # Each record chains: what one rule read is what the next one was printed.
    assert applied[0].printed == printed and applied[-1].read == read
    for before, after in zip(applied, applied[1:]):
        assert before.read == after.printed
    assert all(a.printed != a.read for a in applied)


@pytest.mark.parametrize("s", [
    pytest.param("居宅介護支援費(Ⅰ)要介護1・2 1,086単位", id="fee-line"),
    pytest.param("ターミナルケアマネジメント加算 1月につき 400単位", id="katakana-choon"),
    pytest.param("イ カンファレンス", id="enumerator"),
    pytest.param("月 1回", id="month-once"),
    pytest.param("12,000 12,000", id="two-numbers"),
    pytest.param("ケアー1", id="choon-digit-after-katakana"),
    pytest.param("地域密着型通所介護\tデイサービスセンターヘリル 100%\t\t", id="tab-cells"),
    pytest.param("+所定単位数×137/1000", id="rate"),
    pytest.param("", id="empty"),
])
def test_normalize_leaves_normal_text(s):
    assert normalize(s) == (s, [])


@pytest.mark.parametrize("s,expected", [
    pytest.param("緊急時等 居宅カンファレンス加算", "緊急時等居宅カンファレンス加算", id="kanji-kanji"),
    pytest.param("退院・ 退所加算", "退院・退所加算", id="after-dot"),
    pytest.param("入院時情報連携加算 (Ⅱ)", "入院時情報連携加算(Ⅱ)", id="before-paren"),
    pytest.param(" 居宅 介護 ", "居宅介護", id="ends-stripped"),
    pytest.param("ADL 維持等加算", "ADL 維持等加算", id="ascii-kept"),
    pytest.param("1月につき 200単位", "1月につき 200単位", id="digit-kept"),
    pytest.param("12,000 12,000", "12,000 12,000", id="numbers-kept"),
])
def test_squeeze(s, expected):
    assert squeeze(s) == expected


# --- properties ------------------------------------------------------------------------

_FULL_DIGITS = {0xFF10 + i: 0x30 + i for i in range(10)}


def _digits(s: str) -> Counter:
    return Counter(c for c in s.translate(_FULL_DIGITS) if c in "0123456789")


_INTERESTING = list("単位数要介護イカンケアーｰ－―−‐–〜～ｹﾞﾟ･１２０９12 \t\u3000\u00a0Ａ（）,，.．%％月回")
LINES = st.one_of(
    st.text(),
    st.lists(st.sampled_from(_INTERESTING), max_size=24).map("".join),
    st.text(st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF)),
)
PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(LINES)
def test_normalize_total_and_idempotent(s):
    once, _ = normalize(s)
    assert isinstance(once, str)
    assert normalize(once) == (once, [])


@PROPERTY
@given(LINES)
def test_normalize_keeps_digits(s):
    assert _digits(normalize(s)[0]) == _digits(s)


@pytest.mark.parametrize("s", [
    pytest.param("単  位  数", id="double-spaced-letters"),
    pytest.param("単\u00a0\u00a0位", id="nbsp-run"),
    pytest.param("ｹ ｱ", id="halfwidth-spaced"),
])
def test_idempotent_regressions(s):
    once, _ = normalize(s)
    assert normalize(once)[0] == once


def test_time_of_day_surcharges_said_of_the_visits(tmp_path):
    """'早朝（６時～８時）・夜間（１８時～２２時）の訪問は２５％、深夜（２２時～６時）の訪問は
    ５０％の加算があります': a row per clause, as '…は25%増' reads."""
    from extractor.pipeline import extract
    p = tmp_path / "page.txt"
    p.write_text("訪問看護\n訪問時間\t単位数\t利用料\n20分未満\t314単位\t3,271円\n30分未満\t471単位\t4,907円\n"
                 "※早朝（６時～８時）・夜間（１８時～２２時）の訪問は２５％、深夜（２２時～６時）の訪問は５０％の加算があります。\n",
                 encoding="utf-8")
    rates = [(r.item, str(r.rate)) for r in extract(p).rows if r.rate is not None]
    assert rates == [("早朝・夜間", "0.25"), ("深夜", "0.5")]


def test_notes_wrapped_over_lines_as_a_pdf_prints_them(tmp_path):
    """A 重要事項説明書's numbered notes under its fee table, each wrapped over two lines before
    its '。' ('※2 早朝(…)・夜間(…)にサービスを提供した場合は所定単位数の25%を、深夜(午後10' /
    '時~午前6時)の場合は50%を加算します。', '※4 上記のほか、…処遇改善加算(Ⅱ)として、…に22.4%を
    乗じた' / '単位数を加算します。'), and a step note numbered '※1 …となる場合は': read whole."""
    from extractor.pipeline import extract
    p = tmp_path / "doc.txt"
    p.write_text("訪問介護\nサービス区分\t所要時間\t単位数\t利用料金\n"
                 "身体介護\t30分以上1時間未満\t387\t4,303円\n\t1時間以上1時間30分未満\t567\t6,305円\n"
                 "※1 身体介護で1時間30分以上となる場合は、30分を増すごとに82単位を加算します。\n"
                 "※2 早朝(午前6時~午前8時)・夜間(午後6時~午後10時)にサービスを提供した場合は所定単位数の25%を、深夜(午後10\n"
                 "時~午前6時)の場合は50%を加算します。\n"
                 "※4 上記のほか、介護職員等処遇改善加算(Ⅱ)として、1か月の総単位数(基本料金と各種加算の合計)に22.4%を乗じた\n"
                 "単位数を加算します。この加算は区分支給限度基準額の対象外です。\n", encoding="utf-8")
    rows = extract(p).rows
    assert [(r.item, str(r.rate)) for r in rows if r.rate is not None] == [
        ("早朝・夜間", "0.25"), ("深夜", "0.5"), ("介護職員等処遇改善加算(Ⅱ)", "0.224")]
    step = next(r for r in rows if r.time_band == "1時間以上1時間30分未満")
    assert (step.units, step.step.units, step.step.minutes) == (567, 82, 30)


def test_fee_lines_by_band_under_a_bracketed_heading_naming_the_service(tmp_path):
    """'【要介護の方（訪問看護）】' over '・20分未満　314単位　利用料3,579円　(1割)358円/…': each line is a
    row of the service the heading names, its band, its units, its 利用料 as the full fee and
    its shares; '…の訪問は50％が加算されます' is a surcharge."""
    from extractor.pipeline import extract
    p = tmp_path / "page.txt"
    p.write_text("訪問看護ステーション\n料金のご案内（介護保険）\n\n【要介護の方（訪問看護）】\n"
                 "・20分未満　314単位　利用料3,579円　(1割)358円/(2割)716円/(3割)1,074円\n"
                 "・30分以上60分未満　823単位　利用料9,382円　(1割)939円/(2割)1,877円/(3割)2,815円\n\n"
                 "※夜間（18時〜22時）・早朝（6時〜8時）の訪問は所定単位数の25％、深夜（22時〜6時）の訪問は50％が加算されます。\n",
                 encoding="utf-8")
    rows = extract(p).rows
    assert [(r.service, r.time_band, r.units, r.amounts) for r in rows if r.units] == [
        ("訪問看護", "20分未満", 314, {"total": 3579, "copay1": 358, "copay2": 716, "copay3": 1074}),
        ("訪問看護", "30分以上1時間未満", 823, {"total": 9382, "copay1": 939, "copay2": 1877, "copay3": 2815})]
    assert [(r.item, str(r.rate)) for r in rows if r.rate] == [("夜間・早朝", "0.25"), ("深夜", "0.5")]
