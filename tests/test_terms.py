"""extractor.terms (tested here, not edited): tiers, item names, care levels, basis,
time bands, time steps and units phrases, read from normalized text."""

from __future__ import annotations

import pytest

from extractor.terms import (
    canonical_item,
    canonical_tier,
    parse_basis,
    parse_care_levels,
    parse_step,
    parse_time_band,
    units_phrases,
)
from extractor.text import normalize


def N(s: str) -> str:
    return normalize(s)[0]


@pytest.mark.parametrize("marker,canonical", [
    pytest.param("Ⅱ", "(Ⅱ)", id="upper-bare"),
    pytest.param("(Ⅱ)", "(Ⅱ)", id="upper-paren"),
    pytest.param(N("（Ⅱ）"), "(Ⅱ)", id="upper-fullwidth-paren-normalized"),
    pytest.param("（Ⅱ）", "(Ⅱ)", id="upper-fullwidth-paren-raw"),
    pytest.param("(II)", "(Ⅱ)", id="ascii-upper"),
    pytest.param("(III)", "(Ⅲ)", id="ascii-upper-3"),
    pytest.param("(IV)", "(Ⅳ)", id="ascii-upper-4"),
    pytest.param("ⅱ", "(ii)", id="lower-bare"),
    pytest.param("(ⅲ)", "(iii)", id="lower-paren"),
    pytest.param("(ii)", "(ii)", id="ascii-lower"),
    pytest.param("⑴", "(1)", id="paren-digit-char"),
    pytest.param("⒇", "(20)", id="paren-digit-20"),
    pytest.param("(1)", "(1)", id="paren-digit"),
    pytest.param("㈠", "(一)", id="paren-kanji-char"),
    pytest.param("(一)", "(一)", id="paren-kanji"),
    pytest.param("イ", "イ", id="iroha"),
    pytest.param("ロ", "ロ", id="iroha-ro"),
    pytest.param(" (Ⅰ) ", "(Ⅰ)", id="padded"),
    pytest.param("(A)", "(A)", id="not-a-tier"),
])
def test_canonical_tier(marker, canonical):
    assert canonical_tier(marker) == canonical


@pytest.mark.parametrize("label,item", [
    pytest.param("居宅介護支援費Ⅰ", "居宅介護支援費(Ⅰ)", id="bare-tier"),
    pytest.param("イ)退院・退所加算(Ⅰ)イ", "退院・退所加算(Ⅰ)イ", id="iroha-enum-and-suffix"),
    pytest.param("(1)居宅介護支援費(Ⅰ)", "居宅介護支援費(Ⅰ)", id="digit-enum"),
    pytest.param("居宅介護支援(ⅰ)", "居宅介護支援(i)", id="lower-tier"),
    pytest.param("緊急時等 居宅カンファレンス加算", "緊急時等居宅カンファレンス加算", id="inner-space"),
    pytest.param("初期加算Ⅰ", "初期加算(Ⅰ)", id="shoki"),
    pytest.param(N("入院時情報連携加算（Ⅱ）"), "入院時情報連携加算(Ⅱ)", id="fullwidth-paren"),
    pytest.param("ロ 特定事業所加算(II)", "特定事業所加算(Ⅱ)", id="iroha-space-ascii-roman"),
    pytest.param("⑴ 訪問介護費(ii)", "訪問介護費(ii)", id="paren-digit-enum"),
    pytest.param("イ 居宅介護支援費(Ⅰ)(ⅱ)", "居宅介護支援費(Ⅰ)(ii)", id="two-tiers"),
    pytest.param(N("〇認知症ﾁｰﾑｹｱ推進加算Ⅰ"), "〇認知症チームケア推進加算(Ⅰ)", id="halfwidth-kana-label"),
    pytest.param("ターミナルケアマネジメント加算", "ターミナルケアマネジメント加算", id="plain"),
    pytest.param("特定事業所加算(A)", "特定事業所加算(A)", id="letter-tier-kept"),
])
def test_canonical_item(label, item):
    assert canonical_item(label) == item


@pytest.mark.parametrize("s,levels", [
    pytest.param("要介護 3・ 4・ 5", ["要介護3", "要介護4", "要介護5"], id="dots-spaced"),
    pytest.param("要介護1・2", ["要介護1", "要介護2"], id="dots"),
    pytest.param("要介護 1.2", ["要介護1", "要介護2"], id="period"),
    pytest.param("要介護1~5", ["要介護1", "要介護2", "要介護3", "要介護4", "要介護5"], id="range"),
    pytest.param(N("要介護１～５"), ["要介護1", "要介護2", "要介護3", "要介護4", "要介護5"], id="range-normalized"),
    pytest.param("要介護1から要介護3", ["要介護1", "要介護2", "要介護3"], id="range-kara"),
    pytest.param("要支援1・2", ["要支援1", "要支援2"], id="support"),
    pytest.param("介護度1", ["要介護1"], id="kaigodo"),
    pytest.param("要介護度3", ["要介護3"], id="yokaigodo"),
    pytest.param("居宅介護支援費(Ⅰ)(i) 要介護1・2 1,086単位 要介護3・4・5 1,411単位",
                 ["要介護1", "要介護2", "要介護3", "要介護4", "要介護5"], id="fee-line"),
    pytest.param("要介護1・要介護1", ["要介護1"], id="no-duplicates"),
    pytest.param("居宅介護支援費(Ⅰ) 1,086単位", [], id="none"),
    pytest.param("要支援2・要介護1", ["要支援2", "要介護1"], id="mixed-kinds"),
    pytest.param("要支援1・2、要介護1", ["要支援1", "要支援2", "要介護1"], id="mixed-kinds-list"),
    pytest.param("介護度１", ["要介護1"], id="docstring-fullwidth-digit"),
])
def test_parse_care_levels(s, levels):
    assert parse_care_levels(s) == levels


@pytest.mark.parametrize("s,visit,basis", [
    pytest.param("1月につき", False, "month", id="per-month"),
    pytest.param("月 1回", False, "month", id="once-a-month"),
    pytest.param("1月当たり", False, "month", id="month-atari"),
    pytest.param("月額", False, "month", id="monthly"),
    pytest.param("1日につき", False, "day", id="per-day"),
    pytest.param("日額", False, "day", id="daily"),
    pytest.param("1食", False, "meal", id="meal"),
    pytest.param("1回", False, "once", id="once"),
    pytest.param("1回につき", True, "visit", id="visit-service"),
    pytest.param("1回につき(1月に2回を限度)", False, "once", id="once-with-monthly-cap"),
    pytest.param("1日につき(1月に4日を限度)", False, "day", id="day-with-monthly-cap"),
    pytest.param("算定不可", False, None, id="none"),
])
def test_parse_basis(s, visit, basis):
    assert parse_basis(s, visit_service=visit) == basis


@pytest.mark.parametrize("s,band", [
    pytest.param("30分以上1時間未満", "30分以上1時間未満", id="minutes-to-hour"),
    pytest.param("1時間30分以上", "1時間30分以上", id="open-ended"),
    pytest.param("20分未満", "20分未満", id="under"),
    pytest.param("4時間以上8時間未満(821単位に30分を増すごとに+85単位)", "4時間以上8時間未満", id="with-step"),
    pytest.param("身体介護 (3) 30分 以上 1時間 未満", "30分以上1時間未満", id="spaces-removed"),
    pytest.param("1時間以上1時間30分未満", "1時間以上1時間30分未満", id="hour-and-half"),
    pytest.param("0.5時間以上1時間未満 302", "30分以上1時間未満", id="decimal-hours"),
    pytest.param("1時間以上1.5時間未満", "1時間以上1時間30分未満", id="decimal-upper"),
    pytest.param("2.5時間以上3時間未満", "2時間30分以上3時間未満", id="decimal-lower"),
    pytest.param("0.5時間未満", "30分未満", id="decimal-under"),
    pytest.param("30分～1時間未満", "30分以上1時間未満", id="tilde"),
    pytest.param(N("３０分以上～１時間未満"), "30分以上1時間未満", id="above-tilde"),
    pytest.param("1時間〜2時間未満", "1時間以上2時間未満", id="wave-dash"),
    pytest.param("1月につき", None, id="none"),
])
def test_parse_time_band(s, band):
    assert parse_time_band(s) == band


@pytest.mark.parametrize("s,base,units,minutes", [
    pytest.param("(305単位に30分を増すごとに+101単位)", 305, 101, 30, id="plain"),
    pytest.param(N("（９２１単位に、３０分を増すごとに＋８３単位）"), 921, 83, 30, id="fullwidth-comma"),
    pytest.param("(567単位に30分を増すごとに +82単位)", 567, 82, 30, id="space-before-plus"),
    pytest.param("(2184単位に30分を増すごとに+80単位) +81", 2184, 80, 30, id="printed-step-beside"),
    pytest.param("(1,086単位に60分を増すごとに+1,000単位)", 1086, 1000, 60, id="grouped"),
    pytest.param("(697単位に0.5時間を増すごとに+66単位)", 697, 66, 30, id="decimal-hours"),
    pytest.param(N("（697単位に30分増すごとに＋66単位）"), 697, 66, 30, id="without-wo"),
    pytest.param("(305単位に30分ごとに+101単位)", 305, 101, 30, id="gotoni"),
    pytest.param("(305単位に30分毎に+101単位)", 305, 101, 30, id="mai"),
])
def test_parse_step(s, base, units, minutes):
    rule = parse_step(s)
    assert (rule.base, rule.step.units, rule.step.minutes) == (base, units, minutes)
    span = s[rule.start:rule.end]
    assert span.replace(",", "").startswith(str(base)) and span.endswith("単位")


def test_parse_step_none():
    assert parse_step("4時間以上8時間未満 1,086単位") is None


@pytest.mark.parametrize("s,values", [
    pytest.param("1月につき -200単位", [-200], id="negative"),
    pytest.param("+574単位", [574], id="positive-sign"),
    pytest.param("300単位加算", [300], id="addition"),
    pytest.param("1月につき 200 単位減算", [200], id="spaced"),
    pytest.param(N("1月につき −２００単位"), [-200], id="minus-sign-normalized"),
    pytest.param("要介護1・2 1,086単位 要介護3・4・5 1,411単位", [1086, 1411], id="two"),
    pytest.param("所定単位数の 100 分の 95に相当する単位数を算定", [], id="tanisu-is-not-units"),
])
def test_units_phrases(s, values):
    assert [v for v, _, _ in units_phrases(s)] == values


@pytest.mark.parametrize("label, split", [
    pytest.param("退院・退所加算(Ⅰ)イ カンファレンス無:連携1回", ("退院・退所加算(Ⅰ)イ", "カンファレンス無:連携1回"), id="tier-and-iroha"),
    pytest.param("初回加算 1月につき", ("初回加算", "1月につき"), id="basis-rest"),
    pytest.param("緊急時等 居宅カンファレンス加算 200単位加算", ("緊急時等 居宅カンファレンス加算", "200単位加算"), id="space-inside-name"),
    pytest.param("入院時情報連携加算 (Ⅰ) 250単位加算", ("入院時情報連携加算 (Ⅰ)", "250単位加算"), id="spaced-tier"),
    pytest.param("口腔衛生管理加算(Ⅱ) (Ⅰ)に加え、提出した場合", ("口腔衛生管理加算(Ⅱ)", "(Ⅰ)に加え、提出した場合"), id="tier-then-reference"),
    pytest.param("ターミナルケア加算(4日~30日以内) 死亡日前", ("ターミナルケア加算(4日~30日以内)", "死亡日前"), id="attached-paren"),
    pytest.param("介護職員等処遇改善加算 (令和6年6月改定)", ("介護職員等処遇改善加算", "(令和6年6月改定)"), id="spaced-non-tier"),
    pytest.param("協力医療機関連携加算 1", ("協力医療機関連携加算 1", ""), id="digit-tier"),
    pytest.param("利用者負担上限額管理加算1回につき(月1回を限度)", ("利用者負担上限額管理加算", "1回につき(月1回を限度)"), id="basis-run-in"),
    pytest.param("退院・退所加算(Ⅰ)イカンファレンス無:連携1回", ("退院・退所加算(Ⅰ)イ", "カンファレンス無:連携1回"), id="ocr-lost-space-after-sub-tier"),
    pytest.param("退院・退所加算(Ⅲ)カンファレンス有:連携3回", ("退院・退所加算(Ⅲ)", "カンファレンス有:連携3回"), id="ocr-lost-space-after-tier"),
    pytest.param("口腔衛生管理加算(Ⅱ)(Ⅰ)に加え", ("口腔衛生管理加算(Ⅱ)(Ⅰ)", "に加え"), id="tiers-run-together"),
    pytest.param("外泊時費用", ("外泊時費用", ""), id="fee-ends-in-hiyou"),  # not 外泊時費 + 用
    pytest.param("外泊時費用 外泊初日、最終日以外", ("外泊時費用", "外泊初日、最終日以外"), id="hiyou-then-description"),
    pytest.param("居住費用の負担", None, id="fee-inside-word"),
    pytest.param("30分未満", None, id="no-fee"),
])
def test_split_fee_name(label, split):
    from extractor.terms import split_fee_name

    assert split_fee_name(label) == split


@pytest.mark.parametrize("s,units,read", [
    ("※身体介護で1時間30分以上の場合は、30分を増すごとに82単位(906円)を加算します。", None, ("身体介護", 90, 82, 30)),
    ("※1時間30分以上の場合においては、30分を増すごとに82単位を加算", None, ("", 90, 82, 30)),
    ("※身体介護1時間30分以上は30分ごとに82単位を加算。", None, ("身体介護", 90, 82, 30)),
    ("2時間を超える場合は、30分ごとに50単位を加算", None, ("", 120, 50, 30)),
    ("3時間以上の場合、30分増すごとに", 66, ("", 180, 66, 30)),
    ("3時間以上の場合、30分増すごとに", None, None),  # no units: no step
    ("※身体介護に引き続き生活援助を行った場合は、20分ごとに65単位を加算します。", None, None),  # from no time
    ("567単位に30分を増すごとに+82単位", None, None),  # a rule with its base, not a note
    # a case and a time ('…場合で3時間以上のときは'), its base's units named: the item without its 場合
    ("※身体介護を伴う場合で3時間以上のときは、921単位に30分を増すごとに83単位を加算します。", None, ("身体介護を伴う", 180, 83, 30)),
    # an addition's band closed, then 'thereafter': the step starts where the band ends
    ("※1 延長加算は、9時間以上10時間未満の50単位に、以降1時間を増すごとに50単位を加算します（14時間未満まで）。", None,
     ("延長加算", 600, 50, 60)),
])
def test_step_note(s, units, read):
    from extractor.terms import step_note

    note = step_note(s, units)
    assert (None if note is None else (note.item, note.start, note.step.units, note.step.minutes)) == read


def test_continues_band():
    from extractor.terms import continues_band

    assert continues_band("3時間以上", 180) == 2
    assert continues_band("2時間30分以上3時間未満", 180) == 1
    assert continues_band("1時間以上1時間30分未満", 120) == 0
    assert continues_band(None, 90) == 0


@pytest.mark.parametrize("printed, band", [
    ("3～4時間", "3時間以上4時間未満"), ("2時間～3時間", "2時間以上3時間未満"), ("20～30分", "20分以上30分未満"),
    ("90～120分", "1時間30分以上2時間未満"), ("6時～8時", None), ("4～3時間", None)])
def test_a_band_written_as_a_range(printed, band):
    """Fee tables abbreviate their bands as ranges: from the first, up to the second; a time
    of day ('6時～8時') or a range that runs backwards is no band."""
    assert parse_time_band(printed) == band


def test_support_levels_of_shogai_and_what_is_no_level():
    from extractor.terms import parse_care_levels
    assert parse_care_levels("区分6") == ["区分6"]
    assert parse_care_levels("障害支援区分3") == ["区分3"]
    assert parse_care_levels("区分2以下") == ["区分1", "区分2"]
    for text in ("地域区分3級地", "地域区分:3級地", "介護区分3", "居室区分"):
        assert parse_care_levels(text) == [], text


def test_jigyo_taishosha_is_a_level_of_its_own():
    from extractor.terms import parse_care_levels, strip_care_levels
    assert parse_care_levels("事業対象者・要支援1") == ["事業対象者", "要支援1"]
    assert strip_care_levels("事業対象者・要支援2").strip("・") == ""


def test_a_step_note_that_restates_the_base_units():
    from extractor.terms import step_note
    note = step_note("※3時間以上の場合は、697単位に30分を増すごとに+66単位を加算します。")
    assert (note.start, note.step.units, note.step.minutes) == (180, 66, 30)


@pytest.mark.parametrize("text, band, minutes", [
    # 障害児通所's 時間区分, bounded by 以下 and 超
    ("授業終了後 時間区分1(30分以上1時間30分以下)", "30分以上1時間30分以下", (30, 90)),
    ("時間区分2(1時間30分超3時間以下)", "1時間30分超3時間以下", (90, 180)),
    ("時間区分3(3時間超)", "3時間超", (180, None)),
])
def test_bands_bounded_by_ika_and_cho(text, band, minutes):
    from extractor.terms import band_minutes, parse_time_band
    assert parse_time_band(text) == band and band_minutes(band) == minutes


@pytest.mark.parametrize("text", ["時間区分1(30分以上1時間30分以下)", "要保護・要支援児童への支援 1日につき",
                                  "ケアニーズの高い児童への支援 1回につき"])
def test_no_care_level_in_a_time_division_or_a_support_per_day(text):
    """'時間区分1' is no 障害支援区分, and '…への支援 1日につき' no 要支援1."""
    assert parse_care_levels(text) == []
