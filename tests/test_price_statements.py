"""What a document states about its 1単位の単価: a price (also with a comma for its decimal
point), a 級地 alone, and what the check makes of each (issue 17, item 2)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from extractor.check import check
from extractor.pipeline import extract
from extractor.prices import grade_price, price_statement, price_table, service_classes, stated_price

from .conftest import ROOT


@pytest.mark.parametrize("text,price,grade,comma", [
    ("1単位の単価 10,88円", "10.88", None, True),
    ("地域区分 2級地 1単位 11,12円", "11.12", "2級地", True),
    ("1単位の単価 10.90円", "10.90", None, False),
    ("地域区分 7級地 10.18", "10.18", "7級地", False),
    ("地域区分(2級地)", None, "2級地", False),
    ("地域区分:その他", None, "その他", False),
    ("2級地(地域区分)", None, "2級地", False),
    ("※1単位=10円で計算しています。", "10", None, False),  # その他 (10.00) printed whole
])
def test_statements_are_read(text, price, grade, comma):
    st = price_statement(text)
    assert st is not None
    assert st.price == (Decimal(price) if price else None) and st.grade == grade and st.comma == comma
    assert st.printed and st.printed in text


@pytest.mark.parametrize("text", [
    "1単位 1,086円",      # a thousands separator has three digits after it
    "単価 10,500円",
    "要介護1 1,086 12,000",
    "2級地の事業所",        # a 級地 not said to be the 地域区分
    "1単位 100円",          # a whole price is 10円 alone
    "単価 10,000円",
])
def test_no_statement_where_none_is_made(text):
    st = price_statement(text)
    assert st is None or st.price is None and st.grade is None or "地域区分" in text


def test_a_comma_price_is_never_a_thousand():
    assert stated_price("1単位 1,086円") is None
    assert stated_price("1単位の単価 10,88円") == Decimal("10.88")


def test_a_grade_and_a_service_give_domains_price():
    """DOMAIN.md: 訪問介護 at 2級地 11.12, 通所介護 at 2級地 10.72."""
    assert grade_price("2級地", "訪問介護").price == Decimal("11.12")
    assert grade_price("2級地", "通所介護").price == Decimal("10.72")
    assert grade_price("7級地", "居宅介護").price == Decimal("10.18")
    assert grade_price("2級地", "介護予防支援") is None  # a class DOMAIN does not give: no price


def test_every_class_is_priced_and_its_scheme_is_the_services():
    schemes = {s["name"]: s["scheme"] for s in json.loads((ROOT / "extractor" / "data" / "services.json").read_text("utf-8"))["services"]}
    priced = {(e.scheme, e.klass) for e in price_table()}
    for service, klass in service_classes().items():
        assert klass in priced, (service, klass)
        assert schemes.get(service, klass[0]) == klass[0], service


HOUMON = ("訪問介護 利用料金表\n{statement}\n\n"
          "サービス内容\t単位数\t利用料（10割）\t利用者負担（1割）\n"
          "身体介護 20分以上30分未満\t244単位\t{a}円\t272円\n"
          "身体介護 30分以上1時間未満\t387単位\t4,303円\t431円\n"
          "生活援助 20分以上45分未満\t179単位\t1,990円\t199円\n")


def _check(tmp_path, text: str, name: str = "doc.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return check([extract(p)], []).documents[0]


def test_a_grade_alone_prices_the_document(tmp_path):
    d = _check(tmp_path, HOUMON.format(statement="地域区分（2級地）", a="2,713"))
    assert (d.rec.unit_price, d.rec.unit_price_source, d.rec.grade, d.rec.klass) == (Decimal("11.12"), "grade", "2級地", "70%")
    assert d.rec.explained == 3
    assert not [f for f in d.findings if f.severity == "error"]


def test_a_grade_alone_prices_a_list_of_units(tmp_path):
    text = "訪問介護 料金表\n地域区分 2級地\n\nサービス内容\t単位数\n身体介護 20分以上30分未満\t244単位\n身体介護 30分以上1時間未満\t387単位\n"
    d = _check(tmp_path, text)
    assert (d.rec.unit_price, d.rec.unit_price_source) == (Decimal("11.12"), "grade")


def test_a_grade_alone_prices_a_web_page_of_units(tmp_path):
    # a web page, a workbook or a Word document states its 級地 the way a text file does
    page = ("<html><body><h1>訪問介護 料金表</h1><p>（地域区分　2級地）</p><table>"
            "<tr><th>サービス内容</th><th>単位数</th></tr>"
            "<tr><td>身体介護 20分以上30分未満</td><td>244単位</td></tr>"
            "<tr><td>身体介護 30分以上1時間未満</td><td>387単位</td></tr></table></body></html>")
    d = _check(tmp_path, page, name="fees.html")
    assert (d.rec.unit_price, d.rec.unit_price_source, d.rec.grade) == (Decimal("11.12"), "grade", "2級地")


def test_a_wrong_amount_under_a_grade_is_found(tmp_path):
    d = _check(tmp_path, HOUMON.format(statement="地域区分（2級地）", a="2,714"))
    errors = [(f.code, f.line, f.printed, f.expected) for f in d.findings if f.severity == "error"]
    assert errors == [("amount-mismatch", 5, "2,714円", "2,713円")]


def test_a_grade_the_amounts_contradict_is_an_error(tmp_path):
    d = _check(tmp_path, HOUMON.format(statement="地域区分（3級地）", a="2,713"))
    found = [f for f in d.findings if f.code == "stated-grade-contradicted"]
    assert len(found) == 1
    f = found[0]
    assert (f.line, f.printed, f.expected) == (2, "3級地", "11.12円 (2級地 70%)")
    assert "11.05円" in f.message and "訪問介護" in f.message


def test_a_document_stating_nothing_is_still_inferred(tmp_path):
    d = _check(tmp_path, HOUMON.format(statement="", a="2,713"))
    assert (d.rec.unit_price, d.rec.unit_price_source) == (Decimal("11.12"), "inferred")
    assert [f.code for f in d.findings if f.code == "unit-price-inferred"]


def test_a_comma_price_is_read_and_recorded(tmp_path):
    text = ("通所介護 利用料金表\n1単位の単価 10,72円\n\n"
            "サービス内容\t単位数\t利用料（10割）\t利用者負担（1割）\n"
            "通常規模型 7時間以上8時間未満 要介護1\t658単位\t7,053円\t706円\n"
            "通常規模型 7時間以上8時間未満 要介護2\t777単位\t8,329円\t833円\n")
    d = _check(tmp_path, text)
    assert (d.rec.unit_price, d.rec.unit_price_source) == (Decimal("10.72"), "stated")
    assert d.rec.explained == 2
    found = [f for f in d.findings if f.code == "price-decimal-comma"]
    assert [(f.line, f.printed, f.expected, f.severity) for f in found] == [(2, "1単位の単価 10,72円", "10.72円", "info")]
    assert not [f for f in d.findings if f.severity == "error"]


def test_statements_are_not_taken_from_a_changed_file(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_text(HOUMON.format(statement="地域区分（2級地）", a="2,713"), encoding="utf-8")
    res = extract(p)
    p.write_text(HOUMON.format(statement="地域区分（3級地）", a="2,713"), encoding="utf-8")
    d = check([res], []).documents[0]
    assert d.rec.unit_price_source == "inferred"  # the statement read now is not the file that was read


def test_a_leader_between_words_and_price():
    """'※1か月当り 1単位…10,88円' (a real fee page)."""
    st = price_statement("※1か月当り 1単位…10,88円")
    assert (st.price, st.comma, st.printed) == (Decimal("10.88"), True, "1単位…10,88円")
    assert stated_price("1単位・・・10.88円") == Decimal("10.88")


SHARES = ("訪問介護 利用料金表\n1単位の単価 11.12円\n\n"
          "サービス内容\t単位数\t利用料\t1割負担\t2割負担\t3割負担\n"
          "身体介護 20分以上30分未満\t244単位\t2,713円\t272円\t{c2}円\t814円\n"
          "身体介護 30分以上1時間未満\t387単位\t4,303円\t431円\t861円\t1,291円\n")


def test_each_share_is_split_by_its_own_wari(tmp_path):
    """1割, 2割 and 3割 side by side: 2713 − floor(2713 × 0.8) = 543, not the 1割's 272."""
    d = _check(tmp_path, SHARES.format(c2="543"))
    assert not [f for f in d.findings if f.severity == "error"]
    d = _check(tmp_path, SHARES.format(c2="542"), name="wrong.txt")
    found = [(f.code, f.line, f.printed, f.expected) for f in d.findings if f.severity == "error"]
    assert found == [("split-mismatch", 5, "272円 / 542円 / 814円", "272円 / 543円 / 814円")]


def test_minutes_of_an_hour_or_more_are_written_in_hours():
    from extractor.terms import parse_time_band

    assert parse_time_band("60分以上90分未満") == "1時間以上1時間30分未満"
    assert parse_time_band("30分以上60分未満") == "30分以上1時間未満"
    assert parse_time_band("120分以上") == "2時間以上"
    assert parse_time_band("20分以上30分未満") == "20分以上30分未満"


@pytest.mark.parametrize("text", ["地域区分 10", "※利用料は、単位数×10円（地域単価）の1円未満を切り捨てた額です。"])
def test_the_whole_price_of_a_place_with_no_uplift_is_read(text):
    assert price_statement(text).price == Decimal("10")


@pytest.mark.parametrize("text", ["地域区分 10級", "地域区分 1", "1単位 10 回"])
def test_a_whole_number_that_is_not_the_price_is_not_read_as_one(text):
    assert stated_price(text) is None
