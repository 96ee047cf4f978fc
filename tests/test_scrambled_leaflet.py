"""The scrambled-leaflet family (seed 002): the care-level grid, additions paired only
where text order makes the tie certain, percentages with their periods, and every
other amount reported as an orphan — on the seed and on another facility's sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractor.pipeline import extract

from .conftest import seed


@pytest.fixture(scope="module")
def roken():
    return extract(seed("002"))


def test_grid_is_20_cells_by_care_level(roken):
    grid = [r for r in roken.rows if r.kind == "base"]
    by_row = {}
    for r in grid:
        by_row.setdefault(r.line, []).append((r.care_levels[0], r.amounts["copay1"]))
    assert by_row == {
        6: [("要介護1", 793), ("要介護2", 843), ("要介護3", 908), ("要介護4", 961), ("要介護5", 1012)],
        8: [("要介護1", 717), ("要介護2", 763), ("要介護3", 828), ("要介護4", 883), ("要介護5", 932)],
        10: [("要介護1", 871), ("要介護2", 947), ("要介護3", 1014), ("要介護4", 1072), ("要介護5", 1125)],
        12: [("要介護1", 788), ("要介護2", 863), ("要介護3", 928), ("要介護4", 985), ("要介護5", 1040)],
    }
    assert [f.line for f in roken.findings if f.code == "unlabelled-row"] == [6, 8, 10, 12]


def test_percentages_carry_their_periods(roken):
    rates = {(r.item, r.rate, r.effective_from, r.effective_to) for r in roken.rows if r.rate is not None}
    assert rates == {
        ("介護職員処遇改善加算(Ⅰ)", Decimal("0.039"), None, date(2024, 5, 31)),
        ("介護職員等特定処遇改善加算(Ⅰ)", Decimal("0.021"), None, date(2024, 5, 31)),
        ("介護職員等処遇改善加算", Decimal("0.075"), date(2024, 6, 1), None),
    }
    orphan = [f for f in roken.findings if f.code == "orphan-amount" and "%" in f.printed]
    assert [(f.line, f.printed) for f in orphan] == [(206, "基本料金+加算を算定した金額の0.8%相当")]
    assert "until 2024-05-31" in orphan[0].message


def test_additions_paired_from_text_are_exactly_these(roken):
    paired = {(r.line, r.item, r.basis, r.amounts.get("copay1")) for r in roken.rows if r.kind != "base" and r.amounts}
    assert paired == {
        (66, "サービス提供体制強化加算(Ⅰ)", "day", 22), (80, "口腔衛生管理加算(Ⅰ)", "month", 90),
        (88, "入退所前連携加算(Ⅰ)", "once", 600), (103, "経口維持加算(Ⅱ)", "month", 100),
        (114, "再入所時栄養連携加算", "once", 200), (116, "経口維持加算(Ⅰ)", "month", 400),
        (122, "認知症チームケア推進加算(Ⅰ)", "month", 150), (126, "認知症チームケア推進加算(Ⅱ)", "month", 120),
        (135, "リハビリテーションマネジメント計画書情報加算(Ⅰ)", "month", 53),
        (142, "栄養マネジメント強化加算", "day", 11),
        (156, "リハビリテーションマネジメント計画書情報加算(Ⅱ)", "month", 33),
        (173, "緊急時治療管理加算", "day", 518), (228, "生産性向上推進体制加算(Ⅱ)", "month", 10),
        (245, "新興感染症等施設療養費", "day", 240), (250, "生産性向上推進体制加算(Ⅰ)", "month", 100),
        (254, "高齢者施設等感染対策向上加算(Ⅰ)", "month", 10), (258, "高齢者施設等感染対策向上加算(Ⅱ)", "month", 5),
        (274, "排せつ支援加算(Ⅱ)", "month", 15), (278, "排せつ支援加算(Ⅲ)", "month", 20),
        (286, "排せつ支援加算(Ⅰ)", "month", 10), (290, "かかりつけ医連携薬剤調整加算(Ⅰ)ロ", "once", 70),
        (296, "かかりつけ医連携薬剤調整加算(Ⅲ)", "once", 100), (307, "かかりつけ医連携薬剤調整加算(Ⅰ)イ", "once", 140),
        (313, "協力医療機関連携加算(1)", "month", 100), (317, "協力医療機関連携加算(1)", "month", 50),
    }
    r = next(r for r in roken.rows if r.line == 313)
    assert r.effective_to == date(2025, 3, 31)  # '(令和6年度まで)' in its description


def test_every_other_amount_is_an_orphan_with_its_line(roken):
    yen_orphans = [(f.line, f.printed) for f in roken.findings if f.code == "orphan-amount" and "%" not in f.printed]
    lines = [line for line, _ in yen_orphans]
    assert lines == list(range(14, 61, 2)) + [169, 171, 175, 177, 179, 181, 183, 185, 187, 189, 191, 193, 195, 197, 199]
    assert (46, "1日 362円外泊初日、最終日以外(算定は月に6日を限度とします)") in yen_orphans
    # nothing printed was lost: each amount is on a row or in an orphan finding
    printed = sum(1 for r in roken.rows if r.amounts) + len(yen_orphans) + 1
    assert printed == 20 + 25 + 39 + 1


ANOTHER_SHEET = "\n".join([
    "",
    "〈別紙2〉 短期入所療養介護 利用料金表　介護保険一部負担額　（2割負担）",
    "",
    "要介護１ 要介護２ 要介護３ 要介護４ 要介護５",
    "",
    "１６５８円 １７６０円 １８９６円 ２００６円 ２１１２円",
    "",
    "　　1日    40円",
    "",
    "　　1回　 400円",
    "",
    "〇夜勤職員配置加算 夜勤を行う職員の勤務条件に関する基準を満たすもの",
    "",
    "〇サービス提供体制強化加算Ⅰ 　　1日    44円",
    "介護職員のうち介護福祉士が８０％以上の場合",
    "",
    "〇個別リハビリテーション実施加算",
    "",
    "　　1日　480円",
    "",
    "○介護職員処遇改善加算Ⅰ 　基本料金＋加算を算定した金額の３．９％相当",
    "",
    "基本料金＋加算を算定した金額の０．８％相当",
    "",
    "↓",
    "（令和６年６月改定）",
    "",
    "基本料金＋加算を算定した金額の７．５％相当",
    "",
])


def test_another_facility_of_the_family(tmp_path):
    p = tmp_path / "tanki.txt"
    p.write_text(ANOTHER_SHEET, encoding="utf-8")
    res = extract(p)
    assert res.recognizer == "scrambled-leaflet"
    grid = sorted((r.care_levels[0], r.amounts) for r in res.rows if r.kind == "base")
    assert grid[0] == ("要介護1", {"copay2": 1658}) and len(grid) == 5
    adds = {r.item: (r.amounts, r.rate, r.effective_to) for r in res.rows if r.kind != "base"}
    assert adds["サービス提供体制強化加算(Ⅰ)"] == ({"copay2": 44}, None, None)
    assert adds["個別リハビリテーション実施加算"] == ({"copay2": 480}, None, None)  # amount on the line after
    assert adds["夜勤職員配置加算"] == ({}, None, None)
    assert adds["介護職員処遇改善加算(Ⅰ)"] == ({}, Decimal("0.039"), date(2024, 5, 31))
    orphans = sorted((f.line, f.printed) for f in res.findings if f.code == "orphan-amount")
    assert [line for line, _ in orphans] == [8, 10, 23, 28]


SHEET_OF_ANOTHER_OFFICE = "\n".join([
    "医療法人 ○○会",
    "介護老人保健施設 △△",
    "TEL 000-000-0000",
    "",
    "令和7年4月1日現在",
    "地域区分：5級地（1単位＝10.45円）",
    "",
    "",
    "入所利用料金表　介護保険一部負担額　（3割負担）",
    "",
    "介護度1 介護度2 介護度3 介護度4 介護度5",
    "",
    "多床室（単位数） 793単位 843単位 908単位 961単位 1,012単位",
    "2,486円 2,643円 2,847円 3,031円 3,173円",
    "",
    "従来型個室",
    "￥2,242   ￥2,386   ￥2,580   ￥2,740   ￥2,887",
    "",
    "〇初期加算Ⅰ（60単位） 　　1日につき  189円",
    "",
    "〇送迎加算 　　片道 580円",
    "",
    "〇長期利用者に対する減算 　　1日  ▲94円",
    "",
    "○介護職員処遇改善加算Ⅰ 　基本料金＋加算を算定した金額の３．９％相当",
    "",
    "↓",
    "（令和６年６月から）",
    "",
    "○介護職員等処遇改善加算 　基本料金＋加算を算定した金額の７．５％相当",
    "",
])


def test_a_sheet_that_varies_what_facilities_vary(tmp_path):
    """The family as another 老健 prints it: a facility header before the share, a units row
    over its yen, a room-type label on its own line, ￥ cells, '1日につき', '片道', '▲' and a
    '↓ (…から)' arrow. The units let the checker test the 3割 amounts: 3,031 is wrong
    (floor(961 × 10.45) = 10,042, whose 3割 is 3,013)."""
    from extractor.check import check

    p = tmp_path / "roken.txt"
    p.write_text(SHEET_OF_ANOTHER_OFFICE, encoding="utf-8")
    res = extract(p)
    assert res.recognizer == "scrambled-leaflet"
    grid = [(r.item, r.care_levels[0], r.units, r.amounts) for r in res.rows if r.kind == "base"]
    assert grid[:2] == [("多床室", "要介護1", 793, {"copay3": 2486}), ("多床室", "要介護2", 843, {"copay3": 2643})]
    assert grid[5:7] == [("従来型個室", "要介護1", None, {"copay3": 2242}), ("従来型個室", "要介護2", None, {"copay3": 2386})]
    adds = {r.item: (r.units, r.amounts, r.basis, r.effective_from, r.effective_to) for r in res.rows if r.kind != "base"}
    assert adds["初期加算(Ⅰ)"] == (60, {"copay3": 189}, "day", None, None)
    assert adds["送迎加算"] == (None, {"copay3": 580}, "once", None, None)
    assert adds["長期利用者に対する減算"] == (None, {"copay3": -94}, "day", None, None)
    assert adds["介護職員処遇改善加算(Ⅰ)"][3:] == (None, date(2024, 5, 31))
    assert adds["介護職員等処遇改善加算"][3:] == (date(2024, 6, 1), None)
    doc = check([res], []).documents[0]
    assert (str(doc.rec.unit_price), doc.rec.unit_price_source) == ("10.45", "stated")
    assert [(f.code, f.line, f.printed) for f in doc.findings if f.severity == "error"] == [
        ("amount-mismatch", 14, "3,031円 (3割)")]


def test_an_amount_of_another_basis_is_not_paired(tmp_path):
    """A label that says '（1日につき）' is not paired with the '1回 300円' under it (another
    item's amount, across a blank line): that amount is an orphan. And '外泊時費用' ends its
    name before the description printed after it."""
    p = tmp_path / "roken.txt"
    p.write_text("入所利用料金表　介護保険一部負担額　（1割負担）\n\n介護度１ 介護度２ 介護度３ 介護度４ 介護度５\n\n"
                 "多床室 ７９３円 ８４３円 ９０８円 ９６１円 １０１２円\n\n"
                 "〇若年性認知症入所者受入加算 若年性認知症の入所者を受け入れた場合（1日につき）\n\n　　1回 300円\n\n"
                 "○外泊時費用 外泊初日、最終日以外（算定は月に6日を限度とします）\n", encoding="utf-8")
    res = extract(p)
    adds = {r.item: r.amounts for r in res.rows if r.kind != "base"}
    assert adds == {"若年性認知症入所者受入加算": {}, "外泊時費用": {}}
    assert [(f.code, f.line) for f in res.findings if f.code == "orphan-amount"] == [("orphan-amount", 9)]
