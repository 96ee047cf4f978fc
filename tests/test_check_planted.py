"""The check on what it was not tuned on (issue 17): a generated corpus with planted
inconsistencies (make_corpus.py --plant), each reported with its code and values and no
error on a consistent document; prices stated per part of a document; yen printed alone
held to the official units."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.check import check
from extractor.pipeline import extract
from extractor.reference import builtin_reference

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_corpus  # noqa: E402
import make_price_fixtures  # noqa: E402
import score_corpus  # noqa: E402

PRICES = ROOT / "fixtures" / "prices"


def _check(path: Path):
    return check([extract(path)], [builtin_reference()]).documents[0]


def _errors(d) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in d.findings if f.severity == "error"]


def test_planted_inconsistencies_are_reported_and_consistent_documents_pass(tmp_path):
    make_corpus.main(["--out", str(tmp_path), "--n", "40", "--seed", "1", "--kinds", "text", "--plant", "0.7", "--no-twins"])
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    planted = {d["planted"] for d in index["documents"] if "planted" in d}
    assert len(planted) >= 4  # several kinds in 40 documents
    results = []
    for d in index["documents"]:
        exp = json.loads((tmp_path / d["doc"].rsplit(".", 1)[0]).with_suffix(".expected.json").read_text(encoding="utf-8"))
        results.append(score_corpus.score_doc(str(tmp_path / d["doc"]), exp))
    missed = [(r["doc"], r["check"]["planted"]) for r in results if r["check"]["planted"] and not r["check"]["reported"]]
    noisy = [(r["doc"], r["check"]["other_errors"]) for r in results if r["check"]["planted"] is None and r["check"]["other_errors"]]
    assert missed == [] and noisy == []
    assert sum(r["check"]["planted"] is None for r in results) >= 10


def test_without_plant_no_document_carries_one(tmp_path):
    make_corpus.main(["--out", str(tmp_path), "--n", "20", "--seed", "1", "--kinds", "text", "--index-only"])
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert "plant" not in index and not any("planted" in d for d in index["documents"])


def test_the_price_fixtures_are_what_the_script_makes():
    assert (PRICES / "two_sections.txt").read_text(encoding="utf-8") == make_price_fixtures.text(footnote=False)
    assert (PRICES / "two_sections_footnote.txt").read_text(encoding="utf-8") == make_price_fixtures.text(footnote=True)


@pytest.mark.parametrize("name", ["two_sections.txt", "two_sections_footnote.txt", "two_pages.pdf"])
def test_each_part_is_priced_at_the_price_it_states(name):
    """Two offices at 11.40 and 10.21 in one file: each table's rows at its own price, so
    nothing is wrong; one price for the whole file would make five errors."""
    d = _check(PRICES / name)
    assert _errors(d) == []
    prices = [r.unit_price for r in d.result.rows]
    assert prices == [Decimal("11.40")] * 5 + [Decimal("10.21")] * 5


def test_a_wrong_amount_in_one_part_is_found_at_that_parts_price(tmp_path):
    text = (PRICES / "two_sections.txt").read_text(encoding="utf-8").replace("990円", "991円")
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    d = _check(tmp_path / "doc.txt")
    found = [f for f in d.findings if f.severity == "error"]
    assert [(f.code, f.data["printed_yen"], f.data["expected_yen"], f.data["price"]) for f in found] == [
        ("amount-mismatch", 991, 990, "10.21")]


# 通所介護 7時間以上8時間未満 at 10.68 (3級地, 45%): 658 → 7,027, 777 → 8,298, 900 → 9,612,
# 1,023 → 10,925, 1,148 → 12,260 (the official 令和6 units); no units and no price printed
GRID = ("通所介護 料金表\n\n■ 基本料金（10割）\n"
        "要介護度\t要介護1\t要介護2\t要介護3\t要介護4\t要介護5\n"
        "7時間以上8時間未満\t7,027円\t8,298円\t{}円\t10,925円\t12,260円\n")


def test_yen_printed_alone_are_held_to_the_official_units(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_text(GRID.format("9,612"), encoding="utf-8")
    d = _check(p)
    assert _errors(d) == [] and d.rec.unit_price == Decimal("10.68")
    p.write_text(GRID.format("9,613"), encoding="utf-8")
    d = _check(p)
    found = [f for f in d.findings if f.severity == "error"]
    assert [(f.code, f.data["units"], f.data["printed_yen"], f.data["expected_yen"]) for f in found] == [
        ("amount-mismatch", 900, 9613, 9612)]
    assert extract(p).rows[2].units is None  # the rows read keep what is printed


# 障害 居宅介護 at 11.20, 1割 only, split the 介護 way: 256 → 2,867 → 287 (the 障害 rule: 286)
SHOGAI = ("居宅介護 利用者負担額一覧\n1単位の単価 11.20円\n\n"
          "サービス内容\t時間\t単位数\t利用者負担額（1割）\n"
          "身体介護\t30分未満\t256単位\t287円\n"
          "身体介護\t30分以上1時間未満\t404単位\t453円\n"
          "身体介護\t1時間以上1時間30分未満\t587単位\t658円\n")


def test_a_shogai_share_sheet_split_the_kaigo_way_is_one_warning(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_text(SHOGAI, encoding="utf-8")
    d = _check(p)
    assert _errors(d) == []
    assert [f.code for f in d.findings if f.severity == "warning"] == ["copay-convention"]


def test_an_error_axis_amount_nothing_can_tell_is_counted_apart():
    # a 老健 grid of 1割 yen alone (no units printed, none built in for 老健) fits every amount
    row = {"amounts": {"copay1": 832}, "care_levels": ["要介護1"], "item": "従来型個室", "units": None}
    alone = {"axes": {"service": "roken"}, "errors": [{"amount": "copay1", "row": 0, "printed": 832, "correct": 831}],
             "rows": [row]}
    assert not score_corpus.error_told(alone)
    assert score_corpus.error_told({**alone, "rows": [{**row, "units": 788}]})  # units printed beside it
    assert score_corpus.error_told({**alone, "axes": {"service": "houmon_kaigo"}})  # official units built in
    assert score_corpus.error_told({**alone, "errors": []})


def test_two_services_side_by_side_each_at_the_price_over_its_table(tmp_path):
    """A leaflet of two services side by side, each titled with its own price on one line
    ('地域区分6級地 1単位＝10.42円' | '地域区分6級地 1単位＝10.33円'), their rows sharing lines: each
    table's rows at its side's price, and the additions under the left one at the left's;
    nothing is wrong (one price for the page made every row of the other side an error)."""
    from .pdfs import needs_reportlab, table_pdf
    needs_reportlab()
    rows = [["居宅介護支援費(1月あたり)", "", "", "", "基本料金(1月あたり)", "", ""],
            ["地域区分6級地 1単位=10.42円", "", "", "", "地域区分6級地 1単位=10.33円", "", ""],
            ["区分", "単位数", "費用総額", "", "要介護度", "単位数", "利用料"],
            ["居宅介護支援費(Ⅰ)(i) 要介護1・2", "1,086単位", "11,316円", "", "要支援1", "3,450", "35,638円"],
            ["居宅介護支援費(Ⅰ)(i) 要介護3～5", "1,411単位", "14,702円", "", "要支援2", "6,972", "72,020円"],
            ["居宅介護支援費(Ⅰ)(ii) 要介護1・2", "544単位", "5,668円", "", "要介護1", "10,458", "108,031円"]]
    path = table_pdf(tmp_path / "leaflet.pdf", "ケアプランセンターさくら　小規模多機能ホームさくら", rows, [],
                     [150, 60, 60, 30, 60, 60, 70])
    d = _check(path)
    assert not [f for f in d.findings if f.severity == "error"], [(f.code, f.message) for f in d.findings]
    assert {r.unit_price for r in d.result.rows if r.service == "小規模多機能型居宅介護"} == {Decimal("10.33")}
    assert {r.unit_price for r in d.result.rows if r.service == "居宅介護支援"} == {Decimal("10.42")}


def test_two_services_of_one_area_each_at_its_class_price(tmp_path):
    """A city page stating no price, 訪問型 (70 %) and 通所型 (45 %) of one 5級地: each service's
    rows at its own class's price (10.70, 10.45), and a misprint in one still an error."""
    text = ("総合事業 サービス費\nサービス\t区分\t単位数\t費用額\n"
            "訪問型サービス(独自)\t訪問型独自サービスⅠ\t1,176\t12,583円\n"
            "訪問型サービス(独自)\t訪問型独自サービスⅡ\t2,349\t25,134円\n"
            "訪問型サービス(独自)\t訪問型独自サービスⅢ\t3,727\t39,878円\n"
            "通所型サービス(独自)\t通所型独自サービス1\t1,798\t18,789円\n"
            "通所型サービス(独自)\t通所型独自サービス2\t3,621\t37,389円\n"
            "通所型サービス(独自)\t通所型独自サービス3\t436\t4,556円\n"
            "通所型サービス(独自)\t通所型独自サービス4\t447\t4,671円\n")
    (tmp_path / "city.txt").write_text(text, encoding="utf-8")
    d = _check(tmp_path / "city.txt")
    assert [(f.code, f.data["printed_yen"], f.data["price"]) for f in d.findings if f.severity == "error"] == [
        ("amount-mismatch", 37389, "10.45")]


def test_a_price_stated_for_each_service_by_name(tmp_path):
    """'訪問型サービス（独自）の1単位の単価 10.21円' and '通所型サービス（独自）の… 10.14円' at the head of
    a city's table: each service's rows at its own price; nothing is wrong."""
    text = ("かえで市 総合事業 サービスコード表\n訪問型サービス（独自）の1単位の単価 10.21円\n"
            "通所型サービス（独自）の1単位の単価 10.14円\n\nサービス\t項目\t単位数\t費用額\n"
            "訪問型サービス(独自)\t訪問型独自サービス11\t1,176\t12,006円\n"
            "訪問型サービス(独自)\t訪問型独自サービス12\t2,349\t23,983円\n"
            "通所型サービス(独自)\t通所型独自サービス1\t1,798\t18,231円\n"
            "通所型サービス(独自)\t通所型独自サービス2\t3,621\t36,716円\n")
    (tmp_path / "city.txt").write_text(text, encoding="utf-8")
    d = _check(tmp_path / "city.txt")
    assert not [f for f in d.findings if f.severity == "error"], [(f.code, f.message) for f in d.findings]
    assert [r.unit_price for r in d.result.rows] == [Decimal("10.21")] * 2 + [Decimal("10.14")] * 2
