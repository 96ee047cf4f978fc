"""The registry and the families: each document goes to its family whatever its name,
line endings or encoding, and a document of no known family is a finding, not a crash."""

from __future__ import annotations

from datetime import date

import pytest

from extractor import layouts
from extractor.pipeline import extract

from .conftest import seed, text_fixtures

FAMILY = {"000": "fee-leaflet", "001": "tabbed-schedule", "002": "scrambled-leaflet", "003": "sankou-grid", "004": "yen-split-table"}


def values(result):
    # rules differ legitimately (a legacy file's ￥ needs the width rule); values may not
    return [r.model_dump(exclude={"doc", "source", "rules"}) for r in result.rows]


@pytest.mark.parametrize("prefix", sorted(FAMILY))
def test_seed_goes_to_its_family(prefix):
    assert extract(seed(prefix)).recognizer == FAMILY[prefix]


@pytest.mark.parametrize("path", text_fixtures(), ids=lambda p: p.name)
def test_fixture_goes_to_a_family(path):
    res = extract(path)
    assert res.recognizer in set(FAMILY.values())
    assert res.rows


@pytest.mark.parametrize("prefix", sorted(FAMILY))
@pytest.mark.parametrize("encoding", ["cp932", "euc_jis_2004", "utf-8-sig"])
def test_name_line_endings_and_encoding_do_not_matter(tmp_path, prefix, encoding):
    src = seed(prefix)
    text = src.read_text(encoding="utf-8")
    copy = tmp_path / "renamed-document.txt"
    if not encoding.startswith("utf"):
        text = text.replace("¥", "￥")  # legacy Japanese encodings print the full-width yen sign
    copy.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    assert values(extract(copy)) == values(extract(src))


def test_unknown_document_is_a_finding(tmp_path):
    p = tmp_path / "letter.txt"
    p.write_text("拝啓　時下ますますご清祥のこととお慶び申し上げます。\n敬具\n", encoding="utf-8")
    res = extract(p)
    assert res.rows == []
    assert [f.code for f in res.findings] == ["no-recognizer"]
    assert res.status == "failed"


def test_every_recognizer_is_registered_with_a_description():
    layouts.ranked  # noqa: B018 - import side effect loads the modules
    layouts._load_all()
    assert set(FAMILY.values()) <= set(layouts.REGISTRY)
    assert all(r.description for r in layouts.REGISTRY.values())


def test_a_schedule_with_a_yen_column_and_a_fare_by_distance(tmp_path):
    """Seed 001's family with a yen column (or yen after the units in one cell): the yen are
    read into the rows and checked. The 交通費 '1kmごとに100円' is 実費, not a tariff amount:
    not a lost-amount."""
    p = tmp_path / "schedule.md"
    p.write_text("## 居宅介護支援費Ⅰ\n\n"
                 "居宅介護支援(i)\t取扱件数が45 未満の部分\t要介護 1・2\t1086 単位\t11,088円\n"
                 "\t\t要介護 3・4・5\t1411 単位（14,406円）\n\n## 加算について\n\n"
                 "初回加算\t新規として取り扱われる計画を作成した場合\t300 単位 3,063円\n"
                 "交通費\t通常の実施地域を越えた場合\t1kmごとに100円\n", encoding="utf-8")
    res = extract(p)
    assert [(r.units, r.amounts) for r in res.rows] == [
        (1086, {"total": 11088}), (1411, {"total": 14406}), (300, {"total": 3063})]
    assert not [f for f in res.findings if f.code in ("lost-amount", "unread-amount")]


def test_a_benefit_limit_column_is_read_and_set_aside(tmp_path):
    """A day service's grid with the monthly benefit limit beside each care level
    ('限度額（単位）', '限度額'): the limit's yen are no fee of the row and no lost amount;
    the table's report lists them as set aside."""
    p = tmp_path / "page.txt"
    p.write_text("通所介護 7時間以上8時間未満\n"
                 "要介護度\t単位\t利用料\t利用者負担\t限度額（単位）\t限度額\n"
                 "要介護１\t658\t¥6,580\t¥658\t16765\t¥167,650\n"
                 "要介護２\t777\t¥7,770\t¥777\t19705\t¥197,050\n", encoding="utf-8")
    res = extract(p)
    assert [(r.units, r.amounts) for r in res.rows] == [
        (658, {"total": 6580, "copay1": 658}), (777, {"total": 7770, "copay1": 777})]
    assert not [f for f in res.findings if f.code == "lost-amount"] and res.status == "ok"
    aside = [a for t in res.tables for a in t.get("set_aside", [])]
    assert [(a["line"], a.get("units"), a.get("amount"), a["role"]) for a in aside] == [
        (3, 16765, None, "limit"), (3, None, 167650, "limit"), (4, 19705, None, "limit"), (4, None, 197050, "limit")]


def test_tables_of_charges_outside_the_tariff_under_their_titles(tmp_path):
    """実費 tables: a title that starts with a charge outside the tariff ('食事代', '宿泊サービス',
    '自主サービス') puts the yen of the table under it (its header and every row, one after
    another) outside the tariff, and a bracket after such a word ('お泊り（…1,980円 …5000円）')
    holds its amounts; none is a lost amount. A title that only mentions one is not such a
    title: the rows under '利用料金（食費は別途）' that no reader takes are still lost."""
    p = tmp_path / "page.txt"
    p.write_text("通所介護\n要介護度\t単位\t利用料\t利用者負担\n要介護１\t658\t¥6,580\t¥658\n要介護２\t777\t¥7,770\t¥777\n\n"
                 "送迎のあと、お泊り（相部屋１泊1,980円 個室１泊3110～5000円）\n\n"
                 "食事代（手作りです）\n朝食\t昼食\t夕食\n¥350\t¥650\t¥700\n\n"
                 "宿泊サービス\n相部屋\t¥1,890\n個室\t¥3,000\n\n"
                 "自主サービス通所介護\n要介護度\t通所サービス\n要介護１・２\t¥3,000\n要介護３以上\t¥3,500\n\n"
                 "利用料金（食費は別途）\n¥1,234\t¥2,345\n", encoding="utf-8")
    res = extract(p)
    assert [(r.units, r.amounts) for r in res.rows] == [
        (658, {"total": 6580, "copay1": 658}), (777, {"total": 7770, "copay1": 777})]
    lost = [(f.line, f.printed) for f in res.findings if f.code == "lost-amount"]
    assert lost == [(22, "1,234円, 2,345円")]


def test_tables_of_living_costs_by_stage_are_outside_the_tariff(tmp_path):
    """A facility page's 居住費・食費 grid by 負担段階 (the stage of the income-based limit), under a
    title that says it is not of the insurance, and a 食費 column beside fees: no rows, no
    errors, no lost amounts; their yen are set aside ('outside'). A line that starts with a
    実費 word lists its parts ('食費　朝食４００円　昼食６００円'); a short title naming a limit
    ('【利用者負担上限月額】') heads limits, not fees."""
    p = tmp_path / "page.txt"
    p.write_text("介護老人福祉施設\n■加算\n加算名\t単位数\t1割負担\n初期加算\t30単位\t31円\n"
                 "看護体制加算(Ⅰ)イ\t6単位\t7円\n"
                 "■居住費・食費（1日あたり・介護保険対象外）\n"
                 "介護保険負担限度額認定証をお持ちの方は、認定証に記載の負担段階の金額となります。\n"
                 "負担段階\t食費\t多床室\t従来型個室\n第1段階\t300円\t0円\t380円\n第4段階\t1,445円\t915円\t1,231円\n\n"
                 "所得段階\t食費\t多床室\n第2段階\t390円\t430円\n第3段階①\t650円\t430円\n\n"
                 "食費　朝食４００円　昼食６００円　夕食６００円\n\n"
                 "【利用者負担上限月額】\n生活保護\t0円\n一般1\t9,300円\n一般2\t37,200円\n", encoding="utf-8")
    res = extract(p)
    assert [(r.item, r.units, r.amounts) for r in res.rows] == [
        ("初期加算", 30, {"copay1": 31}), ("看護体制加算(Ⅰ)イ", 6, {"copay1": 7})]
    assert not [f for f in res.findings if f.code == "lost-amount"] and res.status == "ok"
    aside = [(a["line"], a["amount"], a["role"]) for t in res.tables for a in t.get("set_aside", [])]
    assert (9, 300, "outside") in aside and (10, 1231, "outside") in aside


def test_a_charge_column_outside_the_tariff_beside_fees(tmp_path):
    """A monthly estimate with 食費 and 居住費 columns beside the care fee: the fee is read,
    the 実費 columns are set aside, and none of them is a lost amount."""
    p = tmp_path / "page.txt"
    p.write_text("介護老人福祉施設（多床室・1日あたり）\n要介護度\t単位数\t利用者負担額\t食費\t居住費（日額）\n"
                 "要介護1\t589\t¥602\t¥1,445\t¥915\n要介護2\t659\t¥674\t¥1,445\t¥915\n", encoding="utf-8")
    res = extract(p)
    assert [(r.care_levels, r.units, r.amounts) for r in res.rows] == [
        (["要介護1"], 589, {"copay1": 602}), (["要介護2"], 659, {"copay1": 674})]
    assert not [f for f in res.findings if f.code == "lost-amount"]
    roles = [c["role"] for t in res.tables for c in t["columns"]]
    assert roles.count("outside") == 2


def test_records_copied_a_cell_to_a_line_with_inline_copays(tmp_path):
    """A monthly fee list with no header, each record a care level, its units and its copays
    on three lines ('要支援１' / '３，４５０単位' / '自己負担（１割）￥３，５６４　（２割）…'):
    one row each, of the document's service, with its copays."""
    p = tmp_path / "page.txt"
    p.write_text("小規模多機能型居宅介護　料金のご案内\n【基本料金（１か月あたり）】\n"
                 "要支援１\n３，４５０単位\n自己負担（１割）￥３，５６４　（２割）￥７，１２８　（３割）￥１０，６９２\n"
                 "要介護１\n１０，４５８単位\n自己負担（１割）￥１０，８０４　（２割）￥２１，６０７　（３割）￥３２，４１０\n",
                 encoding="utf-8")
    res = extract(p)
    assert [(r.service, r.care_levels, r.units, r.amounts) for r in res.rows] == [
        ("小規模多機能型居宅介護", ["要支援1"], 3450, {"copay1": 3564, "copay2": 7128, "copay3": 10692}),
        ("小規模多機能型居宅介護", ["要介護1"], 10458, {"copay1": 10804, "copay2": 21607, "copay3": 32410})]
    assert not [f for f in res.findings if f.code == "lost-amount"]


def test_a_step_rule_line_that_prints_its_base_units(tmp_path):
    """'3時間以上(921単位に30分を増すごとに+83単位) 921': the number beside the rule is the
    base's units (no +), so the yen row beside it is the base's, and nothing is disputed."""
    p = tmp_path / "sheet.txt"
    p.write_text("居宅介護サービス費\n基本単位数 地域区分 10.18\n\n10割 9割 1割負担\n"
                 "¥8,520 ¥7,668 ¥852\n¥9,375 ¥8,437 ¥938\n\n"
                 "2時間30分以上3時間未満 837\n3時間以上(921単位に30分を増すごとに+83単位) 921\n", encoding="utf-8")
    res = extract(p)
    last = [r for r in res.rows if r.time_band == "3時間以上"]
    assert [(r.units, r.step.units, r.step.printed_units, r.amounts_for, r.amounts["total"]) for r in last] == [
        (921, 83, None, "base", 9375)]
    assert not [f for f in res.findings if f.severity == "error"]


_SHEET = ("居宅介護サービス費\n{price}\n\n{header}\n"
          "¥2,606 ¥2,345 ¥261\n¥4,112 ¥3,700 ¥412\n¥5,975 ¥5,377 ¥598\n¥6,810 ¥6,129 ¥681\n\n"
          "サービス内容 算定区分 (単位数)\n\n身体介護\n\n算定項目 算定区分 (単位数)\n\n利用料\n\n"
          "30分未満 256\n30分以上1時間未満 404\n1時間以上1時間30分未満 587\n1時間30分以上2時間未満 669\n")


@pytest.mark.parametrize("price, header, source", [
    ("基本単位数 地域区分 7級地 10.18", "10割 9割 1割負担", "stated"),
    ("地域区分 7級地（10.18円）", "10割 9割 1割負担", "stated"),
    ("地域区分：10.18円", "10割 9割 1割負担", "stated"),
    ("地域区分単価 10.18", "10割 9割 1割負担", "stated"),
    ("単価10.18円", "10割 9割 1割負担", "stated"),
    ("基本単位数 地域区分 10.18", "総額 給付額 自己負担額", "stated"),
    ("基本単位数 地域区分 7級地", "10割 9割 1割負担", "grade"),  # the 級地 alone, with 居宅介護's class, gives the price
    ("基本単位数", "費用額(10割) 給付費(9割) 利用者負担(1割)", "inferred"),
])
def test_yen_sheets_of_the_family_state_their_price_in_many_ways(tmp_path, price, header, source):
    """Seed 004's family: 10.18 (7級地 訪問系) written as other offices write it, or not at all."""
    from extractor.check import check

    p = tmp_path / "sheet.txt"
    p.write_text(_SHEET.format(price=price, header=header), encoding="utf-8")
    res = extract(p)
    assert res.recognizer == "yen-split-table"
    assert [(r.time_band, r.units, r.amounts["total"]) for r in res.rows] == [
        ("30分未満", 256, 2606), ("30分以上1時間未満", 404, 4112), ("1時間以上1時間30分未満", 587, 5975),
        ("1時間30分以上2時間未満", 669, 6810)]
    doc = check([res], []).documents[0]
    assert (str(doc.rec.unit_price), doc.rec.unit_price_source) == ("10.18", source)
    assert not [f for f in doc.findings if f.severity == "error"]


def test_a_leaflet_that_writes_yen_with_en_and_states_its_price(tmp_path):
    """Seed 000's family with '12,380円' cells and '1単位の単価 11.40円': read, and checked
    against the stated price (the planted 2,228 is flagged)."""
    from extractor.check import check

    p = tmp_path / "leaflet.txt"
    p.write_text(" 居宅介護支援 ＜サービス利用料金＞\n\n1単位の単価 11.40円\n\n"
                 "算定項目（居宅介護支援費Ⅰ:担当件数 45件未満）\n単 位 数\n\n（単位）\n費用総額（円）\n\n保険給付\n\n額（円）\n\n"
                 "要介護 1・2 1,086 1月につき 12,380円 12,380円\n要介護 3・4・5 1,411 16,085円 16,085円\n"
                 "初回加算 300単位加算 300 3,420円 3,420円\n入院時情報連携加算（Ⅱ） 200 1月 2,228円 2,228円\n",
                 encoding="utf-8")
    res = extract(p)
    assert res.recognizer == "fee-leaflet"
    assert [(r.units, r.amounts["total"]) for r in res.rows] == [(1086, 12380), (1411, 16085), (300, 3420), (200, 2228)]
    doc = check([res], []).documents[0]
    assert (str(doc.rec.unit_price), doc.rec.unit_price_source) == ("11.40", "stated")
    assert [(f.code, f.line) for f in doc.findings if f.severity == "error"] == [("amount-mismatch", 18)]


_LEAFLET_HEAD = (" 居宅介護支援 ＜サービス利用料金＞\n\n【居宅介護支援サービスコード表・費用】\n\n"
                 "算定項目（居宅介護支援費Ⅰ:担当件数 45件未満）\n単 位 数\n\n（単位）\n費用総額（円）\n\n保険給付\n\n額（円）\n\n")


def test_a_leaflet_header_word_broken_over_lines(tmp_path):
    """'利用者負' / '担額（円）': the third column is the copay, not shifted into the units."""
    p = tmp_path / "leaflet.txt"
    p.write_text(_LEAFLET_HEAD + "利用者負\n\n担額（円）\n\n要介護 1・2 1,086 1月につき 12,380 12,380 0\n"
                 "要介護 3・4・5 1,411 16,085 16,085 0\n初回加算 300単位加算 300 3,420 3,420 0\n", encoding="utf-8")
    res = extract(p)
    assert [(r.units, r.amounts) for r in res.rows] == [
        (1086, {"total": 12380, "benefit": 12380, "copay1": 0}), (1411, {"total": 16085, "benefit": 16085, "copay1": 0}),
        (300, {"total": 3420, "benefit": 3420, "copay1": 0})]
    # the section title above a longer header still names the base rows
    assert [(r.item, r.conditions) for r in res.rows[:2]] == [("居宅介護支援費(Ⅰ)", ["担当件数 45件未満"])] * 2


def test_a_tier_table_printed_before_the_code_table(tmp_path):
    """The caseload tier table printed above the code table is read too: its yen cells are
    rows (居宅介護支援費(Ⅰ) by care-level column), not lost amounts."""
    p = tmp_path / "leaflet.txt"
    p.write_text(" 居宅介護支援 ＜サービス利用料金＞\n\n※ 取扱件数による区分\n\n要介護度区分\n\n取扱い件数区分\n"
                 "要介護 1.2 要介護 3.4.5\n\n介護支援専門員 1人当たりの利用者の\n\n数が 45人未満の場合\n\n"
                 "居宅介護支援費Ⅰ\n\n12,380円\n\n居宅介護支援費Ⅰ\n\n16,085円\n\n"
                 + _LEAFLET_HEAD + "要介護 1・2 1,086 1月につき 12,380 12,380\n要介護 3・4・5 1,411 16,085 16,085\n"
                 "初回加算 300単位加算 300 3,420 3,420\n", encoding="utf-8")
    res = extract(p)
    tiers = sorted((r.care_levels[0], r.amounts["total"]) for r in res.rows if r.units is None)
    assert tiers == [("要介護1", 12380), ("要介護3", 16085)]
    assert not [f for f in res.findings if f.code in ("lost-amount", "unread-amount")] and res.status == "ok"


def test_a_rate_on_a_one_service_sheet_belongs_to_that_service(tmp_path):
    """A 障害 sheet pricing only 居宅介護 gives its 処遇改善 rate to 居宅介護; seed 004, which
    prices three services in scrambled order, leaves its rates' service unsaid."""
    p = tmp_path / "sheet.txt"
    p.write_text(_SHEET.format(price="基本単位数 地域区分 10.18", header="10割 9割 1割負担")
                 + "\n福祉・介護職員等処遇改善加算（Ⅰ） 1月につき 所定単位×41.7%\n", encoding="utf-8")
    rate = [r for r in extract(p).rows if r.rate is not None]
    assert [(r.service, r.item, str(r.rate)) for r in rate] == [("居宅介護", "福祉・介護職員等処遇改善加算(Ⅰ)", "0.417")]
    assert {r.service for r in extract(seed("004")).rows if r.rate is not None} == {None}


@pytest.mark.parametrize("heading", ["■居宅介護支援費（Ⅱ）", "● 居宅介護支援費（Ⅱ）", "【居宅介護支援費（Ⅱ）】", "１．居宅介護支援費（Ⅱ）",
                                     "(2) 居宅介護支援費（Ⅱ）", "## 居宅介護支援費（Ⅱ）"])
def test_a_decorated_schedule_heading_keeps_its_fee(tmp_path, heading):
    """Seed 001's family with its section headings decorated: '居宅介護支援（ⅱ）' under any of
    them is 居宅介護支援費(Ⅱ)(ii); and a fixed reduction with a signed yen cell is read."""
    p = tmp_path / "schedule.txt"
    p.write_text(f"{heading}\n\n居宅介護支援（ⅱ）\t取扱件数が50 以上である場合において、50 以上 60 未満の部分\t要介護１～２\t527 単位\n"
                 "\t\t要介護３～５\t683 単位\n\n加算について\n\n初回加算\t新規として取り扱われる計画を作成した場合\t300 単位\n\n減算\n\n"
                 "特定事業所集中減算\t正当な理由なく特定の事業所に 80%以上集中等\t1月につき 200 単位減算\t▲2,140円\n", encoding="utf-8")
    res = extract(p)
    assert [r.item for r in res.rows[:2]] == ["居宅介護支援費(Ⅱ)(ii)", "居宅介護支援費(Ⅱ)(ii)"]
    cut = next(r for r in res.rows if r.item == "特定事業所集中減算")
    assert (cut.units, cut.amounts) == (-200, {"total": -2140})
    assert not [f for f in res.findings if f.code == "lost-amount"]


def test_a_leaflets_reductions_priced_as_rates(tmp_path):
    """'高齢者虐待防止措置未実施減算 所定単位数の100分の1を減算' among a leaflet's rows (no units,
    no yen) is a reduction of -1/100, and '（令和7年4月1日から）' dates it."""
    p = tmp_path / "leaflet.txt"
    p.write_text(_LEAFLET_HEAD + "要介護 1・2 1,086 1月につき 12,380 12,380\n初回加算 300単位加算 300 3,420 3,420\n\n"
                 "高齢者虐待防止措置未実施減算 所定単位数の100分の1を減算\n\n"
                 "業務継続計画未策定減算 所定単位数の100分の1を減算（令和7年4月1日から）\n", encoding="utf-8")
    cuts = [(r.item, r.kind, str(r.rate), r.rate_op, r.effective_from) for r in extract(p).rows if r.rate is not None]
    assert cuts == [("高齢者虐待防止措置未実施減算", "reduction", "-0.01", "add", None),
                    ("業務継続計画未策定減算", "reduction", "-0.01", "add", date(2025, 4, 1))]


def test_fees_printed_as_blocks_and_a_section_of_another_scheme(tmp_path):
    """A clinic's page printing each fee as a block (a marked heading, its units, its yen on a
    line or two: '■訪問看護（20分未満）' / '単位数：266単位／1回' / '利用料：2,846円' / 'ご負担額：1割
    285円　2割 570円　3割 854円'), then a section of 医療保険 fees under its own heading: a row
    per block; the 医療保険 section's yen are neither rows nor lost amounts."""
    p = tmp_path / "page.txt"
    p.write_text("訪問看護のご案内\n◇介護保険での訪問看護\n1単位の単価は10.70円です。\n\n"
                 "■訪問看護（20分未満）\n　単位数：266単位／1回\n　利用料：2,846円\n　ご負担額：1割 285円　2割 570円　3割 854円\n\n"
                 "■特別管理加算（Ⅰ）\n　500単位（1月につき）\n　利用料 5,350円／1割 535円・2割 1,070円・3割 1,605円\n\n"
                 "※夜間（18時～22時）・早朝（6時～8時）の訪問は1回につき所定単位数の25%、深夜（22時～6時）は50%を加算します。\n\n"
                 "◇医療保険での訪問看護\n■在宅患者訪問看護・指導料（週3日目まで）\n　5,800円／1日（1割 580円・3割 1,740円）\n",
                 encoding="utf-8")
    res = extract(p)
    assert [(r.item, r.time_band, r.units, r.amounts) for r in res.rows if r.units] == [
        ("訪問看護", "20分未満", 266, {"total": 2846, "copay1": 285, "copay2": 570, "copay3": 854}),
        ("特別管理加算(Ⅰ)", None, 500, {"total": 5350, "copay1": 535, "copay2": 1070, "copay3": 1605})]
    assert [(r.item, str(r.rate)) for r in res.rows if r.rate] == [("夜間・早朝", "0.25"), ("深夜", "0.5")]
    assert not [f for f in res.findings if f.code == "lost-amount"] and res.status == "ok"


def test_charges_under_an_other_charges_heading_are_no_lost_amounts(tmp_path):
    """After the fees, 'その他の費用' heads the charges a page lists besides them, each under
    its own name ('死後の処置料' / '12,000円', 'デイサービス延長' / '１時間あたり ¥250'): none is a
    lost amount, up to the next marked or numbered heading."""
    p = tmp_path / "page.txt"
    p.write_text("訪問看護\n訪問時間\t単位数\t利用料\n20分未満\t314単位\t3,271円\n30分未満\t471単位\t4,907円\n"
                 "30分以上1時間未満\t823単位\t8,573円\n\n"
                 "その他の費用\n死後の処置料\n12,000円\nデイサービス延長\n１時間あたり　¥250\n", encoding="utf-8")
    res = extract(p)
    assert [r.units for r in res.rows] == [314, 471, 823]
    assert not [f for f in res.findings if f.code == "lost-amount"] and res.status == "ok"
