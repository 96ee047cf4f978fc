"""One minimal document per finding code, checked through the real pipeline; and every
code of the catalogue has its case here."""

from __future__ import annotations

import pytest

from extractor.check import check
from extractor.findings import CATALOGUE
from extractor.pipeline import extract
from extractor.reference import load

LEAFLET_HEAD = "居宅介護支援 <利用料金>\n算定項目(居宅介護支援費Ⅰ:担当件数 45件未満)\n単 位 数\n(単位)\n費用総額(円)\n保険給付額(円)\n"


def leaflet(*rows: str, tail: str = "") -> str:
    return LEAFLET_HEAD + "\n".join(rows) + "\n" + tail


def shogai(price: str, yen_rows: list[str], unit_lines: list[str]) -> str:
    return "\n".join(["居宅介護サービス費", f"基本単位数 地域区分 {price}", "", "10割 9割 1割負担", *yen_rows, "",
                      "サービス内容 算定区分 (単位数)", "", *unit_lines, ""])


GRID_HEAD = "1 訪問看護費\n\n基本部分\t\t注 特別地域訪問看護加算\t注 中山間地域等に居住する者へのサービス提供加算\n"


def grid(body: str, notes: str = "") -> str:
    return GRID_HEAD + body + "\n\n" + notes


SHEET_HEAD = "入所利用料金表 介護保険一部負担額 (1割負担)\n\n介護度1 介護度2 介護度3 介護度4 介護度5\n\n793円 843円 908円 961円 1012円\n\n"

TSV_HEAD = "## 居宅介護支援費Ⅰ\n\n"

LIMITS = ("通所介護 7時間以上8時間未満\n要介護度\t単位\t利用料\t利用者負担\t限度額（単位）\t限度額\n"
          "要介護１\t658\t¥7,172\t¥718\t{u1}\t¥{y1}\n要介護２\t777\t¥8,469\t¥847\t{u2}\t¥{y2}\n")

CASES: dict[str, dict] = {
    "no-recognizer": {"docs": {"letter.txt": "拝啓 時下ますますご清祥のこととお慶び申し上げます。\n敬具\n"}},
    "care-level-gap": {"docs": {"a.txt": leaflet("要介護 1 1,086", "1月に", "つき", "12,000 12,000", "要介護 3・ 4・ 5 1,411 15,591 15,591")}},
    "label-units-mismatch": {"docs": {"a.txt": leaflet("要介護 1・2 1,086 12,000 12,000", "初回加算 300単位加算 301 3,326 3,326")}},
    # a line of table cells with a yen amount that no row of the leaflet takes
    "lost-amount": {"docs": {"a.txt": leaflet("要介護 1・2 1,086 12,000 12,000", "初回加算 300 3,315 3,315",
                                              tail="※ 注記\n複写物の交付\t1枚につき\t10円\n")}},
    "unread-amount": {"docs": {"a.txt": leaflet("要介護 1・2 1,086 12,000 12,000", tail="※ 交通費\n実施地域外は1kmごとに100円いただきます。\n")}},
    "unit-price-inferred": {"docs": {"a.txt": leaflet("要介護 1・2 1,086 12,000 12,000", "初回加算 300 3,315 3,315")}},
    "amount-mismatch": {"docs": {"a.txt": leaflet("要介護 1・2 1,086 12,000 12,000", "要介護 3・4・5 1,411 15,591 15,591", "初回加算 300 3,316 3,316")}},
    "split-mismatch": {"docs": {"a.txt": leaflet("要介護 1・2 1,086 12,000 12,000", "要介護 3・4・5 1,411 15,591 15,591", "初回加算 300 3,315 3,310")}},
    # 訪問介護 at 3級地 is 11.05; its amounts are 11.12's (2級地)
    "stated-grade-contradicted": {"docs": {"h.txt": "訪問介護 利用料金表\n地域区分（3級地）\n\n"
                                           "サービス内容\t単位数\t利用料（10割）\t利用者負担（1割）\n"
                                           "身体介護 20分以上30分未満\t244単位\t2,713円\t272円\n"
                                           "身体介護 30分以上1時間未満\t387単位\t4,303円\t431円\n"}},
    "price-decimal-comma": {"docs": {"d.txt": "通所介護 利用料金表\n1単位の単価 10,72円\n\n"
                                     "サービス内容\t単位数\t利用料（10割）\t利用者負担（1割）\n"
                                     "通常規模型 7時間以上8時間未満 要介護1\t658単位\t7,053円\t706円\n"}},
    # 163 × 11.12 = 1,812.56 and 97 × 11.12 = 1,078.64, both printed rounded half-up
    "rounding-habit": {"docs": {"h.txt": "訪問介護 利用料金表\n地域区分（2級地）\n\n"
                                "サービス内容\t単位数\t利用料（10割）\t利用者負担（1割）\n"
                                "身体介護 20分未満\t163単位\t1,813円\t182円\n"
                                "身体介護 20分以上30分未満\t244単位\t2,713円\t272円\n"
                                "通院等乗降介助\t97単位\t1,079円\t108円\n"}},
    # no units printed, 1単位＝10.18円 stated: 311単位 give 3,165円 and 312単位 3,176円, nothing gives 3,167円
    "unreachable-amount": {"docs": {"u.txt": "居宅介護 利用料金表\n1単位＝10.18円\n\nサービス内容\t利用料\t利用者負担額\n"
                                    "身体介護 30分未満\t2,606円\t260円\n身体介護 30分以上1時間未満\t3,167円\t316円\n"}},
    # dated before 令和3年度 and 令和6年度: stale as a whole, a warning, its units not errors
    "stale-document": {"docs": {"a.txt": "居宅介護支援 料金表(令和2年4月1日現在)\n" + leaflet("要介護 1・2 1,086 12,000 12,000")}},
    # the 8-9 hour units repeat the 7-8 hour units level by level
    "repeated-band-units": {"docs": {"d.txt": "通所介護 利用料金表\n\nサービス内容\t要介護度\t単位数\n"
                                     + "".join(f"通所介護 {band}\t要介護{lv}\t{u}単位\n"
                                               for band in ("7時間以上8時間未満", "8時間以上9時間未満")
                                               for lv, u in ((1, 658), (2, 777), (3, 900)))}},
    "no-unit-price": {"docs": {"a.txt": leaflet("要介護 1・2 1,086 9,999 9,999", "初回加算 300 1,234 1,234")}},
    "copay-convention": {"docs": {"s.txt": shogai("11.2", ["¥2,867 ¥2,580 ¥287"], ["30分未満 256"])}},
    "stated-price-contradicted": {"docs": {"s.txt": shogai("11.2", ["¥2,790 ¥2,511 ¥279", "¥4,403 ¥3,962 ¥441"],
                                                         ["30分未満 256", "30分以上1時間未満 404"])}},
    # two yen rows the unit lines explain and one no unit line explains: the yen-split reader pairs the two
    "unpaired-amount": {"docs": {"s.txt": shogai("11.2", ["¥2,867 ¥2,580 ¥287", "¥4,524 ¥4,071 ¥453", "¥1,000 ¥900 ¥100"],
                                                 ["30分未満 256", "30分以上1時間未満 404"])}},
    "step-rule-mismatch": {"docs": {"s.txt": shogai("11.2", ["¥1,120 ¥1,008 ¥112"],
                                                   ["1時間以上(305単位に30分を増すごとに+101単位) +100"])}},
    "ambiguous-pairing": {"docs": {"s.txt": shogai("11.2", ["¥1,120 ¥1,008 ¥112"],
                                                  ["緊急時対応加算 1月につき 100", "", "利用料", "", "喀痰吸引等支援体制加算 1日につき 100"])}},
    "split-mismatch-shogai": None,
    # a day service's table with the 区分支給限度基準額 beside each care level, in units and yen
    "stale-limit": {"docs": {"l.txt": LIMITS.format(u1=16692, y1="181,942", u2=19616, y2="213,814")}},
    "limit-price-mismatch": {"docs": {"l.txt": LIMITS.format(u1=16765, y1="175,194", u2=19705, y2="205,917")}},
    "duplicate-item-units": {"docs": {"t.md": TSV_HEAD + "居宅介護支援(i)\t45未満\t要介護 1・2\t1086 単位\n"
                                      "居宅介護支援(ii)\t45以上60未満\t要介護 1・2\t544 単位\n"
                                      "居宅介護支援(i)\t45未満\t要介護 1・2\t1068 単位\n"}},
    "rate-mismatch": {"docs": {"t.md": TSV_HEAD + "居宅介護支援(i)\t45未満\t要介護 1・2\t1086 単位\n"
                               "居宅介護支援(ii)\t45以上60未満\t要介護 1・2\t544 単位\n"
                               "同一建物減算\t同一建物の利用者(所定単位数の95%)\t所定単位数の 100 分の 90に相当する単位数を算定\n"}},
    "unread-modifier": {"docs": {"g.txt": grid("イ 指定訪問看護ステーションの場合\t(1) 20分未満 (314単位)\t+15/100\t")}},
    "duplicate-modifier-name": {"docs": {"g.txt": "1 訪問看護費\n\n基本部分\t\t注 特別地域訪問看護加算\t注 特別地域訪問看護加算\n"
                                         "イ 指定訪問看護ステーションの場合\t(1) 20分未満 (314単位)\t+15/100\t+5/100\n"}},
    "repeated-value": {"docs": {"g.txt": grid("イ 指定訪問看護ステーションの場合\t(1) 20分未満 (314単位)\t+15/100\t+5/100\n"
                                              "ロ 初回加算\t(1月につき +300単位)\t\t\n\t(1月につき +300単位)\t\t")}},
    "note-without-target": {"docs": {"g.txt": grid("イ 指定訪問看護ステーションの場合\t(1) 20分未満 (314単位)\t+15/100\t+5/100",
                                                   "※ 業務継続計画未策定減算については令和7年4月1日から適用する。\n")}},
    "ocr-correction": {"docs": {"g.txt": grid("イ 指定訪問看護ステーションの場合\t(1) 20分未満 返に1回以上 (314単位)\t+15/100\t+5/100")}},
    "unlabelled-row": {"docs": {"r.txt": SHEET_HEAD + "〇夜勤職員配置加算 1日 24円\n"}},
    "orphan-amount": {"docs": {"r.txt": SHEET_HEAD + "　　1日    60円\n\n\n\n〇初期加算Ⅰ 入所後30日に限り加算されます\n\n〇夜勤職員配置加算 1日 24円\n"}},
    "period-inferred": {"docs": {"r.txt": SHEET_HEAD + "〇夜勤職員配置加算 1日 24円\n\n○協力医療機関連携加算　1 　　1月　100円\n"
                                 "会議を定期的に行っている場合（令和6年度まで）\n\n○協力医療機関連携加算　1 　　1月　50円\n"}},
    "peer-disagreement": {"docs": {
        "a.md": TSV_HEAD + "居宅介護支援(i)\t45未満\t要介護 1・2\t1086 単位\n居宅介護支援(iii)\t60以上\t要介護 1・2\t326 単位\n初回加算\t新規\t300 単位\n",
        "b.md": TSV_HEAD + "居宅介護支援(i)\t45未満\t要介護 1・2\t1086 単位\n居宅介護支援(iii)\t60以上\t要介護 1・2\t328 単位\n初回加算\t新規\t300 単位\n",
    }},
    "reference-mismatch": {
        "docs": {"a.md": TSV_HEAD + "居宅介護支援(i)\t45未満\t要介護 1・2\t1086 単位\n居宅介護支援(iii)\t60以上\t要介護 1・2\t328 単位\n初回加算\t新規\t300 単位\n"},
        "reference": ("codes.csv", "service_type,service_code,short_name,units\n43,432111,居宅介護支援Ⅰⅰ１,1086\n43,432131,居宅介護支援Ⅰⅲ１,326\n"),
    },
    "stale-value": {
        "docs": {"g.txt": grid("イ 指定訪問看護ステーションの場合\t(1) 20分未満 (313単位)\t+15/100\t+5/100")},
        "reference": ("codes.csv", "service_type,service_code,short_name,units\n13,131010,訪看Ⅰ１,314\n"),
    },
    # the same document: its one stale row is one stale-revision for its table
    "stale-revision": {
        "docs": {"g.txt": grid("イ 指定訪問看護ステーションの場合\t(1) 20分未満 (313単位)\t+15/100\t+5/100")},
        "reference": ("codes.csv", "service_type,service_code,short_name,units\n13,131010,訪看Ⅰ１,314\n"),
    },
    "reference-other-item": {"docs": {
        "leaflet.txt": leaflet("要介護 1・2 1,086 12,000 12,000", tail="※ ケアプランデータ連携システムの活用の場合\n要介護 1.2 要介護 3.4.5\n"
                               "数が 50 人以上の場合において、50以上 60人未満の部分\n居宅介護支援費Ⅱ\n6,011円\n居宅介護支援費Ⅱ\n7,779円\n"),
        "schedule.md": "## 居宅介護支援費Ⅱ\n\n居宅介護支援(i)\t50 未満の部分\t要介護 1・2\t1086 単位\n"
                       "居宅介護支援(ii)\t50 以上 60 未満の部分\t要介護 1・2\t527 単位\n\t\t要介護 3・4・5\t683 単位\n"
                       "## 居宅介護支援費Ⅰ\n\n居宅介護支援(ii)\t45 以上 60 未満の部分\t要介護 1・2\t544 単位\n\t\t要介護 3・4・5\t704 単位\n",
    }},
}
from .pdfs import helvetica_pdf, unmapped_cid_pdf  # noqa: E402

CASES["page-without-text"] = {"docs": {"two-pages.pdf": helvetica_pdf([b"BT /F1 12 Tf 20 100 Td (Fees 100) Tj ET", b""])}}
CASES["unmapped-glyphs"] = {"docs": {"cid.pdf": unmapped_cid_pdf()}}
CASES = {k: v for k, v in CASES.items() if v is not None}


def run_case(tmp_path, case: dict) -> list:
    paths = []
    for name, text in case["docs"].items():
        p = tmp_path / name
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
        paths.append(p)
    refs = []
    if "reference" in case:
        name, text = case["reference"]
        (tmp_path / name).write_text(text, encoding="utf-8")
        refs.append(load(tmp_path / name))
    report = check([extract(p) for p in paths], refs)
    return [f for d in report.documents for f in d.findings]


# Codes whose trigger needs a machine state, tested where it is made instead:
# ocr-unavailable and ocr-low-confidence in tests/test_pdf.py (TARIFF_OCR=0, a real scan).
UNTESTABLE_HERE = {"ocr-unavailable", "ocr-low-confidence"}


def test_every_code_has_a_case():
    assert set(CASES) == set(CATALOGUE) - UNTESTABLE_HERE


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_is_emitted_with_place_and_message(tmp_path, code):
    if code == "page-without-text":  # a page OCR found empty too; without OCR it is ocr-unavailable
        from extractor.sources.tesseract import available

        if missing := available():
            pytest.skip(f"page-without-text needs OCR to find the page blank: install {missing}")
    found = [f for f in run_case(tmp_path, CASES[code]) if f.code == code]
    assert found, f"{code} was not emitted"
    f = found[0]
    assert f.severity == CATALOGUE[code].severity
    assert f.doc and f.message.startswith(f.doc)
    if code != "no-recognizer":
        assert f.line is not None or f.page is not None, "a finding without a location is a bug"


@pytest.mark.parametrize("code", sorted(c for c, s in CATALOGUE.items() if s.severity == "error"))
def test_error_codes_have_no_false_twin_in_a_clean_document(tmp_path, code):
    clean = {"docs": {"a.txt": leaflet("要介護 1・2 1,086 12,000 12,000", "要介護 3・4・5 1,411 15,591 15,591", "初回加算 300 3,315 3,315")}}
    assert not [f for f in run_case(tmp_path, clean) if f.severity == "error"]


# -- findings are data (issue 17, item 7) ---------------------------------------------------

@pytest.mark.parametrize("code", sorted(CASES))
def test_emitted_findings_carry_their_documented_fields(tmp_path, code):
    """Every finding a case emits (its own code and any other) carries exactly the fields its
    code documents, as JSON values: the message is never needed to read them."""
    import json

    if code == "page-without-text":
        from extractor.sources.tesseract import available

        if missing := available():
            pytest.skip(f"page-without-text needs OCR to find the page blank: install {missing}")
    for f in run_case(tmp_path, CASES[code]):
        assert set(f.data) == set(CATALOGUE[f.code].fields), f"{f.code}: data {sorted(f.data)}"
        assert json.loads(json.dumps(f.data)) == f.data, f"{f.code}: data is not plain JSON"
        dumped = f.model_dump(mode="json")
        assert dumped["data"] == f.data


def test_typed_values_of_the_main_codes(tmp_path):
    """The values a program needs, as numbers and strings, not as words of a message."""
    f = next(f for f in run_case(tmp_path, CASES["amount-mismatch"]) if f.code == "amount-mismatch")
    assert f.data == {"units": 300, "price": "11.05", "printed_yen": 3316, "expected_yen": 3315, "share": None}
    f = next(f for f in run_case(tmp_path, CASES["stale-value"]) if f.code == "stale-value")
    assert (f.data["printed_units"], f.data["expected_units"]) == (313, 314)
    assert (f.data["revision_from"], f.data["revision_to"]) == ("2021-04-01", "2024-05-31")
    assert "mhlw.go.jp" in f.data["revision_source"]
    f = next(f for f in run_case(tmp_path, CASES["rounding-habit"]) if f.code == "rounding-habit")
    assert f.data["habit"] == "half-up" and f.data["n"] == 2
    f = next(f for f in run_case(tmp_path, CASES["reference-mismatch"]) if f.code == "reference-mismatch")
    assert (f.data["printed_units"], f.data["expected_units"]) == (328, 326)
    assert f.data["reference"].startswith("codes.csv") and f.data["hint"]


def test_every_code_documents_its_fields():
    """docs/findings.md lists every code with its fields: the table is the catalogue's."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "findings.md").read_text(encoding="utf-8")
    for code, spec in CATALOGUE.items():
        assert f"### `{code}` ({spec.severity})" in doc, f"{code} is not in docs/findings.md"
        section = doc.split(f"### `{code}`", 1)[1].split("\n### ", 1)[0]
        for name in spec.fields:
            assert f"| `{name}` |" in section, f"{code}: field {name} is not documented"
    run = subprocess.run([sys.executable, str(root / "scripts" / "findings_doc.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_nothing_parses_a_message():
    """No code of the package reads a finding's message back into values."""
    from pathlib import Path

    import regex as re

    root = Path(__file__).resolve().parent.parent / "extractor"
    bad = re.compile(r"(?:re\.(?:search|match|fullmatch|findall|finditer|split)|\.split|\.partition)\(.*\.message\b")
    hits = [f"{p.relative_to(root)}:{n}" for p in root.rglob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bad.search(line)]
    assert not hits, hits
