"""The 算定構造 family: a grid written by hand (not a seed) parses with the same code, and
the OCR lexicon's corrections on seed 003 are exactly the reviewed ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractor.ocr import LexiconError, correct, lexicon, parse_entries
from extractor.pipeline import extract

from .conftest import seed

# A 通所介護 grid as the 算定構造 prints it: time bands × 要介護1-5, three 注 columns,
# an addition below the grid, a limit note and a dated note. Units are 令和6年度's.
TSUSHO = "\n".join([
    "3 通所介護費",
    "",
    "基本部分\t\t\t注 利用者の数が利用定員を超える場合\t注 高齢者虐待防止措置未実施減算\t注 業務継続計画未策定減算",
    "イ 通常規模型通所介護費\t(1) 所要時間3時間以上4時間未満\t要介護１ ( 370単位 )\t×70/100\t-1/100\t-1/100",
    "\t\t要介護2 ( 423単位 )\t\t\t",
    "\t\t要介護3 ( 479単位 )\t\t\t",
    "\t\t要介護4 ( 533単位 )\t\t\t",
    "\t\t要介護5 ( 588単位 )\t\t\t",
    "\t(2) 所要時間4時間以上5時間未満\t要介護1 ( 388単位 )\t\t\t",
    "\t\t要介護2 ( 444単位 )\t\t\t",
    "\t\t要介護3 ( 502単位 )\t\t\t",
    "\t\t要介護4 ( 560単位 )\t\t\t",
    "\t\t要介護5 ( 617単位 )\t\t\t",
    "ロ 入浴介助加算\t(1) 入浴介助加算(Ⅰ) (1日につき +40単位)\t(2) 入浴介助加算(Ⅱ) (1日につき +55単位)\t\t\t",
    "",
    "注：「入浴介助加算」は支給限度額管理の対象外の算定項目",
    "※ 業務継続計画未策定減算については令和7年4月1日から適用する。",
    "",
])


@pytest.fixture(scope="module")
def tsusho(tmp_path_factory):
    p = tmp_path_factory.mktemp("grid") / "tsusho_sankou.txt"
    p.write_text(TSUSHO, encoding="utf-8")
    return extract(p)


def test_hand_written_grid_goes_to_the_grid_family(tsusho):
    assert tsusho.recognizer == "sankou-grid"


def test_every_band_and_care_level_has_its_units(tsusho):
    got = {(r.time_band, tuple(r.care_levels)): r.units for r in tsusho.rows if r.kind == "base"}
    want = {}
    for band, units in [("3時間以上4時間未満", [370, 423, 479, 533, 588]), ("4時間以上5時間未満", [388, 444, 502, 560, 617])]:
        for level, u in enumerate(units, start=1):
            want[(band, (f"要介護{level}",))] = u
    assert got == want
    assert {r.item for r in tsusho.rows if r.kind == "base"} == {"通常規模型通所介護費"}
    assert {r.service for r in tsusho.rows} == {"通所介護"}


def test_modifiers_keep_their_column_order_and_effect(tsusho):
    mods = sorted((r.order, r.item, r.rate, r.rate_op) for r in tsusho.rows if r.order)
    assert mods == [
        (1, "利用者の数が利用定員を超える場合", Decimal("0.7"), "multiply"),
        (2, "高齢者虐待防止措置未実施減算", Decimal("-0.01"), "add"),
        (3, "業務継続計画未策定減算", Decimal("-0.01"), "add"),
    ]


def test_additions_notes_and_dates(tsusho):
    adds = {r.item: (r.units, r.basis, r.limit) for r in tsusho.rows if r.kind == "addition"}
    assert adds == {"入浴介助加算(Ⅰ)": (40, "day", "outside"), "入浴介助加算(Ⅱ)": (55, "day", "outside")}
    bcp = next(r for r in tsusho.rows if r.item == "業務継続計画未策定減算")
    assert str(bcp.effective_from) == "2025-04-01"
    assert not [f for f in tsusho.findings if f.severity != "info"]


# -- the OCR lexicon on seed 003 -------------------------------------------------------

# Every correction the lexicon makes on seed 003: line -> [(printed, read)], reviewed by
# reading each line of the document.
SEED_003_CORRECTIONS = {
    20: [("指定事業所加算(", "特定事業所加算(")],
    49: [("夜間又は早期", "夜間又は早朝"), ("回数毎訪問加算", "複数名訪問加算")],
    54: [("病室又は診療所", "病院又は診療所"), ("死亡日及び死に日前", "死亡日及び死亡日前")],
    67: [("当該算算前", "当該減算前"), ("支給限度額標準額", "支給限度基準額")],
    73: [("小規模事業所の加算", "小規模事業所加算"), ("看護研修の場合", "准看護師の場合")],
    74: [("返に1回", "週に1回")],
    79: [("返に1回", "週に1回")],
    99: [("業務経統計面未策定", "業務継続計画未策定")],
    120: [("業務経統計面未策定", "業務継続計画未策定")],
    124: [("業務経統計面未策定", "業務継続計画未策定")],
    145: [("業務経統計面未策定", "業務継続計画未策定")],
    152: [("=1/100", "-1/100")],
    172: [("退院・送所", "退院・退所"), ("を履度", "を限度")],
    173: [("退院・送所", "退院・退所")],
    174: [("退院・送所", "退院・退所")],
    175: [("退院・送所", "退院・退所")],
    176: [("退院・送所", "退院・退所")],
    178: [("を履度", "を限度")],
}


def test_seed_003_corrections_are_exactly_the_reviewed_ones():
    res = extract(seed("003"))
    got = {
        f.line: list(zip(f.printed.split(" / "), f.expected.split(" / ")))
        for f in res.findings if f.code == "ocr-correction"
    }
    assert got == SEED_003_CORRECTIONS


def test_corrections_are_recorded_on_the_rows_they_touch():
    res = extract(seed("003"))
    row = next(r for r in res.rows if r.item == "退院・退所加算(Ⅰ)イ")
    assert [(c.rule, c.printed, c.read, c.line) for c in row.corrections] == [
        ("ocr:taisho", "退院・送所", "退院・退所", 172),
        ("ocr:gendo", "を履度", "を限度", 172),
    ]
    assert "送所" in row.source.raw  # the printed form stays in the provenance
    jun = next(r for r in res.rows if r.service == "介護予防訪問看護" and r.order == 1)
    assert (jun.item, jun.rate) == ("准看護師の場合", Decimal("0.9"))
    assert ("ocr:junkangoshi", 73) in {(c.rule, c.line) for c in jun.corrections}


def test_lexicon_never_corrects_digits_and_needs_a_context():
    with pytest.raises(LexiconError):
        parse_entries({"entries": [{"id": "x", "wrong": "326", "right": "328", "context": "{w}"}]})
    with pytest.raises(LexiconError):
        parse_entries({"entries": [{"id": "x", "wrong": "返", "right": "週", "context": "anywhere"}]})
    assert all(not any(ch.isdigit() for ch in e.wrong + e.right) for e in lexicon())


@pytest.mark.parametrize("text, service, read", [
    ("夜間又は早期の場合", None, "夜間又は早朝の場合"),
    ("早期に退院した場合", None, "早期に退院した場合"),  # no 夜間 nearby: 早期 stays
    ("看護研修の場合", "介護予防訪問看護", "准看護師の場合"),
    ("看護研修の場合", "通所介護", "看護研修の場合"),  # only in 訪問看護 grids
    ("注 =1/100", None, "注 -1/100"),
    ("合計=100", None, "合計=100"),  # '=' is a minus only before a fraction
    ("\t口 生活援助 (1) 20分以上45分未満", None, "\tロ 生活援助 (1) 20分以上45分未満"),  # the iroha marker
    ("口 病院又は診療所の場合", None, "ロ 病院又は診療所の場合"),
    ("口 腔ケアの場合", None, "口 腔ケアの場合"),  # 口 before 腔 is the mouth, however spaced
    ("人口 減少地域", None, "人口 減少地域"),  # inside a word, not a marker
    ("ロ ロ腔連携強化加算", None, "ロ 口腔連携強化加算"),
    ("(567単位に30分を増すごとに 十82単位)", None, "(567単位に30分を増すごとに +82単位)"),  # 十 for +
    ("夜間又は早朝の場合 十25/100", None, "夜間又は早朝の場合 +25/100"),
    ("十二月", None, "十二月"),  # a numeral in words stays
    ("(Ⅰ)口 個別機能訓練加算", None, "(Ⅰ)ロ 個別機能訓練加算"),  # text files too
])
def test_corrections_only_in_their_context(text, service, read):
    assert correct(text, service)[0] == read


def test_tiers_named_inside_a_note_cell_keep_their_tier(tmp_path):
    """'緊急時訪問看護加算(Ⅰ) 1月につき +600単位 緊急時訪問看護加算(Ⅱ) 1月につき +574単位' in one
    注 cell: two items, (Ⅰ) and (Ⅱ), each per month; the basis after the name is not its label."""
    p = tmp_path / "kango.txt"
    p.write_text("2 訪問看護費\n\n基本部分\t\t注 緊急時訪問看護加算\n"
                 "イ 指定訪問看護ステーションの場合\t(1) 20分未満 (314単位)\t"
                 "緊急時訪問看護加算(Ⅰ) 1月につき +600単位 緊急時訪問看護加算(Ⅱ) 1月につき +574単位\n", encoding="utf-8")
    adds = [(r.item, r.units, r.basis, r.conditions) for r in extract(p).rows if r.kind == "addition"]
    assert adds == [("緊急時訪問看護加算(Ⅰ)", 600, "month", []), ("緊急時訪問看護加算(Ⅱ)", 574, "month", [])]


def test_a_yobo_section_is_its_own_service(tmp_path):
    """'8-2 介護予防短期入所生活介護費' names 介護予防短期入所生活介護, not the 短期入所生活介護
    it contains (the longest name at the place wins)."""
    p = tmp_path / "tanki.txt"
    p.write_text("8-2 介護予防短期入所生活介護費\n\n基本部分\t\t\t\t注 高齢者虐待防止措置未実施減算\n"
                 "イ 介護予防短期入所生活介護費 (1日につき)\t(1) 単独型介護予防短期入所生活介護費\t"
                 "(一) 単独型介護予防短期入所生活介護費(Ⅰ) <従来型個室>\t要支援1 ( 479単位 )\t-1/100\n", encoding="utf-8")
    assert {r.service for r in extract(p).rows} == {"介護予防短期入所生活介護"}


def test_a_fixed_reduction_below_the_grid_is_a_reduction(tmp_path):
    """'ロ 事業所が送迎を行わない場合 (片道につき -47単位)': a reduction each one-way trip,
    not a base fee of -47."""
    p = tmp_path / "tsusho.txt"
    p.write_text("3 通所介護費\n\n基本部分\t\t\t注 高齢者虐待防止措置未実施減算\n"
                 "イ 通常規模型通所介護費\t(1) 所要時間3時間以上4時間未満\t要介護1 ( 370単位 )\t-1/100\n"
                 "ロ 事業所が送迎を行わない場合\t(片道につき -47単位)\n", encoding="utf-8")
    row = next(r for r in extract(p).rows if r.units == -47)
    assert (row.kind, row.basis, "事業所が送迎を行わない場合" in row.conditions) == ("reduction", "once", True)


def test_a_note_header_broken_over_two_lines(tmp_path):
    """'注 高齢者虐待防止措置' / '未実施減算' under it: one column name, not a row of its own, so
    the ※ note about 業務継続計画未策定減算 finds its target."""
    p = tmp_path / "yobo.txt"
    p.write_text("1 介護予防支援費\n\n基本部分\t\t注 高齢者虐待防止措置\t注 業務継続計画未策定\n"
                 "\t\t未実施減算\t減算\n"
                 "イ 介護予防支援費 (1月につき)\t(1)介護予防支援費(Ⅰ) (442単位)\t-1/100\t-1/100\n\n"
                 "※ 業務継続計画未策定減算については令和7年4月1日から適用する。\n", encoding="utf-8")
    res = extract(p)
    mods = [(r.item, r.order, r.effective_from) for r in res.rows if r.order is not None]
    assert mods == [("高齢者虐待防止措置未実施減算", 1, None), ("業務継続計画未策定減算", 2, date(2025, 4, 1))]
    assert len(res.rows) == 3 and not [f for f in res.findings if f.code == "note-without-target"]


def test_a_value_whose_bracket_closes_on_the_next_line(tmp_path):
    """'ロ 栄養改善加算\\t(1回につき +200単位' / '\\t(1月に2回を限度))' is one addition of 200
    per time, limited to twice a month, not a line lost."""
    p = tmp_path / "tsusho.txt"
    p.write_text("3 通所介護費\n\n基本部分\t\t\t注 高齢者虐待防止措置未実施減算\n"
                 "イ 通常規模型通所介護費\t(1) 所要時間3時間以上4時間未満\t要介護1 ( 370単位 )\t-1/100\n"
                 "ロ 栄養改善加算\t(1回につき +200単位\n\t(1月に2回を限度))\n"
                 "ハ 科学的介護推進体制加算\t(1月につき +40単位)\n", encoding="utf-8")
    adds = [(r.item, r.units, r.basis, r.conditions) for r in extract(p).rows if r.kind == "addition"]
    assert adds == [("栄養改善加算", 200, "once", ["1月に2回を限度"]), ("科学的介護推進体制加算", 40, "month", [])]


def test_units_on_the_line_below_their_care_level(tmp_path):
    """'要介護2' in its cell, and '( 423単位 )' on the next line: 423 is 要介護2's."""
    p = tmp_path / "tsusho.txt"
    p.write_text("3 通所介護費\n\n基本部分\t\t\t注 高齢者虐待防止措置未実施減算\n"
                 "イ 通常規模型通所介護費\t(1) 所要時間3時間以上4時間未満\t要介護1 ( 370単位 )\t-1/100\n"
                 "\t\t要介護2\t\n\t\t( 423単位 )\t\n", encoding="utf-8")
    base = [(r.care_levels, r.units) for r in extract(p).rows if r.kind == "base"]
    assert base == [(["要介護1"], 370), (["要介護2"], 423)]
