"""Rounding habits (issue 17, item 3): a table that rounds its totals half-up throughout is
one rounding-habit warning, not an error per row; a row that breaks its table's habit, or
fits no habit, is still an error; one half-up total alone is no habit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.check import check
from extractor.habits import half_up_yen
from extractor.pipeline import extract
from extractor.prices import floor_yen

HEAD = ("訪問介護 利用料金表\n地域区分（2級地）\n\n"
        "サービス内容\t単位数\t利用料（10割）\t利用者負担（1割）\n")
# at 11.12: 163 → 1,812.56, 97 → 1,078.64, 220 → 2,446.40 (floor and half-up agree), 244 → 2,713.28
ROWS = {
    "163": "身体介護 20分未満\t163単位\t{}円\t182円\n",
    "244": "身体介護 20分以上30分未満\t244単位\t2,713円\t272円\n",
    "97": "通院等乗降介助\t97単位\t{}円\t108円\n",
    "220": "生活援助 45分以上\t220単位\t{}円\t245円\n",
}


def _findings(tmp_path, *rows: str):
    p = tmp_path / "doc.txt"
    p.write_text(HEAD + "".join(rows), encoding="utf-8")
    return [(f.code, f.line, f.severity) for f in check([extract(p)], []).documents[0].findings if f.severity != "info"]


@pytest.mark.parametrize("units, price, floor, half", [
    (97, "11.12", 1078, 1079), (163, "11.12", 1812, 1813), (579, "10.21", 5911, 5912), (244, "11.12", 2713, 2713),
    (85, "11.2", 952, 952),  # exact: 951 in binary floats
])
def test_half_up_is_exact(units, price, floor, half):
    assert (floor_yen(units, Decimal(price)), half_up_yen(units, Decimal(price))) == (floor, half)


def test_a_half_up_table_is_one_warning(tmp_path):
    found = _findings(tmp_path, ROWS["163"].format("1,813"), ROWS["244"], ROWS["97"].format("1,079"))
    assert found == [("rounding-habit", 5, "warning")]


def test_the_warning_counts_and_names_the_habit(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_text(HEAD + ROWS["163"].format("1,813") + ROWS["244"] + ROWS["97"].format("1,079"), encoding="utf-8")
    f = next(f for f in check([extract(p)], []).documents[0].findings if f.code == "rounding-habit")
    assert (f.printed, f.expected) == ("half-up", "floor")
    assert "2 of the table's 3 rows print the total rounded half-up" in f.message and "163単位 × 11.12円 = 1812.56, printed 1,813円" in f.message


def test_one_half_up_total_alone_is_an_error_not_a_habit(tmp_path):
    """It is also what a +1 typo prints."""
    found = _findings(tmp_path, ROWS["163"].format("1,813"), ROWS["244"], ROWS["97"].format("1,078"))
    assert found == [("amount-mismatch", 5, "error")]


def test_a_row_that_breaks_the_tables_habit_is_an_error(tmp_path):
    found = _findings(tmp_path, ROWS["163"].format("1,813"), ROWS["244"], ROWS["97"].format("1,078"),
                      ROWS["220"].format("2,446"))
    assert ("amount-mismatch", 5, "error") in found and not [c for c, *_ in found if c == "rounding-habit"]


def test_a_row_that_fits_no_habit_in_a_half_up_table_is_an_error(tmp_path):
    found = _findings(tmp_path, ROWS["163"].format("1,813"), ROWS["244"], ROWS["97"].format("1,079"),
                      ROWS["220"].format("2,456"))
    assert sorted(found) == [("amount-mismatch", 8, "error"), ("rounding-habit", 5, "warning")]


# 介護 copays at 11.12 for 244 units (2,713円): the law gives 272 / 543 / 814 (total − floor(total × 給付率));
# rounded: 271.3 → 271, 542.6 → 543, 813.9 → 814. For 387 units (4,303円): 431 / 861 / 1,291 by law;
# rounded 430.3 → 430, 860.6 → 861, 1,290.9 → 1,291. For 179 units (1,990円): 199 / 398 / 597 both ways.
SHARES = ("訪問介護 利用料金表\n1単位の単価 11.12円\n\n"
          "サービス内容\t単位数\t利用料\t1割負担\t2割負担\t3割負担\n"
          "身体介護 20分以上30分未満\t244単位\t2,713円\t{a}円\t543円\t814円\n"
          "身体介護 30分以上1時間未満\t387単位\t4,303円\t{b}円\t861円\t1,291円\n"
          "生活援助 20分以上45分未満\t179単位\t1,990円\t199円\t398円\t597円\n")


def _split_findings(tmp_path, a: str, b: str):
    p = tmp_path / "doc.txt"
    p.write_text(SHARES.format(a=a, b=b), encoding="utf-8")
    return [f for f in check([extract(p)], []).documents[0].findings if f.severity != "info"]


def test_rounded_copays_throughout_are_one_warning(tmp_path):
    found = _split_findings(tmp_path, "271", "430")
    assert [(f.code, f.line, f.printed) for f in found] == [("rounding-habit", 5, "copay-rounded")]
    assert "2 of the table's 3 rows print the user's share rounded" in found[0].message
    assert "1割 of 2,713円 printed 271円 = round(271.3), the law gives 272円" in found[0].message


def test_one_rounded_copay_alone_is_a_split_mismatch(tmp_path):
    found = _split_findings(tmp_path, "271", "431")
    assert [(f.code, f.line) for f in found] == [("split-mismatch", 5)]


def test_legal_copays_give_nothing(tmp_path):
    assert _split_findings(tmp_path, "272", "431") == []


ADDS = ("\n■ 加算\n"
        "加算の種類\t単位数\t利用料（10割）\t利用者負担（1割）\n"
        "初回加算\t200単位\t2,224円\t223円\n"
        "通院等乗降介助\t97単位\t{}円\t108円\n")


def test_a_short_table_follows_its_documents_half_up_habit(tmp_path):
    """An office rounds all its tables one way: a 加算 table with a single row where floor and
    half-up differ, rounded half-up, follows the base table's habit instead of being an error."""
    found = _findings(tmp_path, ROWS["163"].format("1,813"), ROWS["244"], ROWS["97"].format("1,079"), ADDS.format("1,079"))
    assert [c for c, *_ in found] == ["rounding-habit", "rounding-habit"]


def test_a_short_half_up_table_under_a_legal_table_is_an_error(tmp_path):
    found = _findings(tmp_path, ROWS["163"].format("1,812"), ROWS["244"], ROWS["97"].format("1,078"), ADDS.format("1,079"))
    assert [c for c, *_ in found] == ["amount-mismatch"]


# 障害 at 10.18, shares round(total × 10%): 2,606 → 261 (the rule floor: 260), 7,676 → 768 (767),
# 1,079 → 108 (107), 4,113 → 411 (both); the 介護 split would give 261, 768, 108 and 412
SHOGAI = ("居宅介護 利用料金表\n1単位=10.18円\n\n"
          "サービス内容\t利用料\t利用者負担額\n"
          "身体介護 30分未満\t2,606円\t261円\n"
          "身体介護 2時間以上2時間30分未満\t7,676円\t768円\n"
          "家事援助 30分未満\t1,079円\t108円\n"
          "身体介護 30分以上1時間未満\t4,113円\t411円\n")


def test_rounded_shogai_shares_are_one_habit_not_the_kaigo_split(tmp_path):
    """Shares rounded from total × 10% are neither the 障害 rule nor the 介護 split: one
    rounding-habit warning held to floor(total × 10%), no split errors, no copay-convention. (Its
    totals 7,676 and 4,113 are rounded too, 754 × 10.18 = 7,675.72 and 404 × 10.18 = 4,112.72,
    with no units printed: that is the table's second habit, half-up.)"""
    p = tmp_path / "doc.txt"
    p.write_text(SHOGAI, encoding="utf-8")
    found = [f for f in check([extract(p)], []).documents[0].findings if f.severity != "info"]
    assert sorted((f.code, f.data.get("habit"), f.data.get("law")) for f in found) == [
        ("rounding-habit", "copay-rounded", "floor(total × 10%)"), ("rounding-habit", "half-up", "floor(units × price)")]


# -- totals printed alone, no units (yen_alone.py) ------------------------------------------

from extractor import yen_alone  # noqa: E402

YEN_HEAD = "居宅介護 利用料金表\n1単位＝10.18円\n\nサービス内容\t利用料\t利用者負担額\n"


def _yen_findings(tmp_path, body: str):
    p = tmp_path / "yen.txt"
    p.write_text(body, encoding="utf-8")
    d = check([extract(p)], []).documents[0]
    return d, [(f.code, f.line, f.severity) for f in d.findings if f.severity != "info"]


@pytest.mark.parametrize("total, price, habit, units", [
    (3165, "10.18", "floor", 311), (3176, "10.18", "floor", 312), (3167, "10.18", "floor", None),
    (4113, "10.18", "half-up", 404), (4113, "10.18", "floor", None), (952, "11.2", "floor", 85), (0, "10.18", "floor", 0),
])
def test_units_for_a_total_is_exact(total, price, habit, units):
    assert yen_alone.units_for(total, Decimal(price), habit) == units


def test_a_total_no_units_give_is_an_error_at_its_line(tmp_path):
    _, found = _yen_findings(tmp_path, YEN_HEAD + "身体介護 30分未満\t2,606円\t260円\n身体介護 30分以上1時間未満\t3,167円\t316円\n")
    assert found == [("unreachable-amount", 6, "error")]


def test_totals_only_half_up_gives_are_one_habit_per_table(tmp_path):
    # 404 × 10.18 = 4,112.72 and 587 × 10.18 = 5,975.66: printed rounded; 461 × 10.18 = 4,692.98 floored beside them
    _, found = _yen_findings(tmp_path, YEN_HEAD + "身体介護 30分以上1時間未満\t4,113円\t411円\n"
                             "身体介護 1時間以上1時間30分未満\t5,976円\t597円\n身体介護 2時間以上2時間30分未満\t4,692円\t469円\n")
    assert [c for c, _, s in found if s == "error"] == []
    assert [c for c, _, _ in found].count("rounding-habit") == 1


def test_one_half_up_total_alone_is_no_habit(tmp_path):
    _, found = _yen_findings(tmp_path, YEN_HEAD + "身体介護 30分未満\t2,606円\t260円\n身体介護 30分以上1時間未満\t4,113円\t411円\n")
    assert found == [("unreachable-amount", 6, "error")]


ROKEN = "介護老人保健施設 利用料金表\n\n居室\t要介護1\t要介護2\t要介護3\t要介護4\t要介護5\n"


def test_a_grid_of_yen_alone_takes_the_one_price_that_gives_them(tmp_path):
    # at 10.27 (6級地 45%): 717 → 7,363; 793 → 8,144; 763 → 7,836; 843 → 8,657; 828 → 8,503
    d, found = _yen_findings(tmp_path, ROKEN + "従来型個室\t7,363円\t7,836円\t8,503円\t\t\n多床室\t8,144円\t8,657円\t\t\t\n")
    assert d.rec.unit_price == Decimal("10.27") and d.rec.unit_price_source == "inferred"
    assert found == []


def test_a_grid_of_yen_alone_holds_its_one_wrong_amount(tmp_path):
    d, found = _yen_findings(tmp_path, ROKEN + "従来型個室\t7,363円\t7,836円\t8,503円\t\t\n多床室\t8,145円\t8,657円\t\t\t\n")
    assert d.rec.unit_price == Decimal("10.27")
    assert [c for c, _, _ in found] == ["unreachable-amount"]


def test_too_few_yen_alone_tell_no_price(tmp_path):
    d, found = _yen_findings(tmp_path, ROKEN + "従来型個室\t7,363円\t7,836円\t\t\t\n")
    assert d.rec.unit_price is None and found == []


def test_two_short_tables_of_one_half_up_row_each_are_the_documents_habit(tmp_path):
    # each table has one row where floor and half-up differ (163 → 1,812.56; 97 → 1,078.64), both printed half-up
    body = (HEAD + ROWS["163"].format("1,813") + ROWS["244"] + "\n■ 加算\n\n"
            "サービス内容\t単位数\t利用料（10割）\t利用者負担（1割）\n" + ROWS["97"].format("1,079"))
    found = _findings(tmp_path, body.replace(HEAD, "", 1))
    assert [c for c, _, s in found if s == "error"] == []
    assert {c for c, _, _ in found} == {"rounding-habit"}


def test_a_shogai_document_split_the_kaigo_way_is_not_rounded_in_a_table_that_cannot_tell(tmp_path):
    # first table: 2,606 → 261 and 7,676 → 768 (the 介護 split and rounding agree); second: 4,113 → 412
    # (the 介護 split; rounding gives 411): the document splits the 介護 way, in both tables
    body = ("居宅介護 利用料金表\n1単位=10.18円\n\nサービス内容\t単位数\t利用料\t給付費\t利用者負担額\n"
            "身体介護 30分未満\t256単位\t2,606円\t2,345円\t261円\n身体介護 2時間以上2時間30分未満\t754単位\t7,675円\t6,907円\t768円\n"
            "\n■ 家事援助\n\nサービス内容\t単位数\t利用料\t給付費\t利用者負担額\n"
            "家事援助 1時間以上\t404単位\t4,112円\t3,700円\t412円\n")
    p = tmp_path / "doc.txt"
    p.write_text(body, encoding="utf-8")
    found = [f for f in check([extract(p)], []).documents[0].findings if f.severity != "info"]
    assert [f.code for f in found] == ["copay-convention"]


def test_a_bare_number_under_no_fee_column_is_not_held_as_yen(tmp_path):
    # units printed bare, a cell a line: a number the reader places as a total under no column that
    # names the fee may be units misplaced, never held as yen
    from extractor.model import Source, TariffRow

    src = Source(doc="d.txt", line=5, raw="初回加算 １月につき ２００")
    row = TariffRow(doc="d.txt", line=5, item="初回加算", label="初回加算", kind="addition", amounts={"total": 200}, source=src)
    marked = row.model_copy(update={"source": src.model_copy(update={"raw": "初回加算 １月につき ２００円"})})
    assert yen_alone.alone([row], []) == []
    assert yen_alone.alone([marked], []) == [marked]
    table = [{"lines": [1, 9], "page": None, "columns": [{"header": "利用料", "role": "total", "why": "header:利用料"}]}]
    assert yen_alone.alone([row], table) == [row]


def test_a_yen_alone_total_follows_its_documents_half_up_habit(tmp_path):
    """A table of units rounded half-up throughout (one rounding-habit), and under it a table of
    additions printing yen alone, one of which only rounding half-up gives (97 × 11.12 =
    1,078.64, printed 1,079円): the document's habit, not an unreachable amount."""
    _, found = _yen_findings(tmp_path, HEAD + ROWS["163"].format("1,813") + ROWS["244"] + ROWS["97"].format("1,079")
                             + "\n加算の種類\t算定\t利用料\n通院等乗降介助 片道\t1回につき\t1,079円\n")
    assert [c for c, _, _ in found] == ["rounding-habit"], found
