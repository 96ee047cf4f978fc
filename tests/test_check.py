"""`tariff check` on the seeds, on exact-boundary cases, as a CLI, and under generated
and mutated documents."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.check import check
from extractor.pipeline import extract
from extractor.prices import floor_yen, price_table
from extractor.reconcile import split
from extractor.reference import load

ROOT = Path(__file__).resolve().parents[1]

from .conftest import ROOT, SHARED, seed, text_fixtures

PEER_CSV = SHARED / "reference" / "service_codes_r6_peer.csv"


def errors(report) -> set[tuple[str, int | None, str]]:
    return {(d.result.doc[:3], f.line, f.code) for d in report.documents for f in d.findings if f.severity == "error"}


@pytest.fixture(scope="module")
def seeds():
    return [extract(seed(p)) for p in ("000", "001", "002", "003", "004")]


SEED_ERRORS = {
    # 000: the tier table's titles and bands are 居宅介護支援費(Ⅱ)'s, its yen are (Ⅰ)'s units
    ("000", 189, "reference-other-item"), ("000", 193, "reference-other-item"),
    ("000", 201, "reference-other-item"), ("000", 205, "reference-other-item"),
    # 004: '(2184単位に30分を増すごとに+80単位) +81'
    ("004", 149, "step-rule-mismatch"),
}
SEED_ERRORS_WITH_OFFICIAL = SEED_ERRORS | {
    # 003: 令和3年度 訪問看護 units presented as current (ステーション, 病院, 定期巡回, ターミナルケア)
    # (one stale-revision for the table; each of lines 49-58 has its stale-value, as info)
    ("003", 49, "stale-revision"),
    ("003", 156, "reference-mismatch"),  # 居宅介護支援費(Ⅰ)(iii) 要介護1・2 328 (326)
    ("003", 165, "reference-mismatch"),  # 特定事業所加算(Ⅰ) 319 (519)
}


def test_seed_errors_without_a_reference(seeds):
    assert errors(check(seeds, [])) == SEED_ERRORS


def test_seed_errors_against_the_official_codes(seeds):
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: the official-code checks need ../shared/reference/")
    report = check(seeds, [load(PEER_CSV)])
    assert errors(report) == SEED_ERRORS_WITH_OFFICIAL
    stale = [f for d in report.documents for f in d.findings if f.code == "stale-value" and f.line == 54]
    assert {f.printed for f in stale} == {"265単位", "2000単位"}  # 病院 20分未満 and ターミナルケア加算
    assert {f.line for d in report.documents for f in d.findings if f.code == "stale-value"} == set(range(49, 59))
    (table,) = [f for d in report.documents for f in d.findings if f.code == "stale-revision"]
    assert table.data["revision"] == "令和3年度 (built in)" and table.data["n"] == 11
    assert (table.data["revision_from"], table.data["revision_to"]) == ("2021-04-01", "2024-05-31")
    assert {(c["line"], c["printed_units"], c["current_units"]) for c in table.data["rows"]} >= {(49, 313, 314), (54, 2000, 2500)}
    assert not [f for d in report.documents if d.result.doc.startswith("001") for f in d.findings if f.severity != "info"]


def test_seed_000_price_is_inferred_as_3kyu_70(seeds):
    d = check(seeds, []).documents[0]
    assert (d.rec.unit_price, d.rec.unit_price_source, d.rec.grade, d.rec.klass) == (Decimal("11.05"), "inferred", "3級地", "70%")
    assert d.rec.explained == d.rec.priced == 13
    assert d.rec.convention == "full"


def test_seed_004_price_convention_and_warning(seeds):
    d = check(seeds, []).documents[4]
    assert (d.rec.unit_price, d.rec.unit_price_source, d.rec.convention) == (Decimal("11.2"), "stated", "kaigo")
    conv = [f for f in d.findings if f.code == "copay-convention"]
    assert len(conv) == 1 and conv[0].severity == "warning"


# -- exact boundaries ------------------------------------------------------------------

def test_the_float_trap():
    assert floor_yen(85, Decimal("11.2")) == 952  # IEEE doubles give 951
    assert floor_yen(75, Decimal("11.12")) == 834
    assert split(2867, "kaigo") == (2580, 287) and split(2867, "shogai") == (2581, 286)


def shogai_doc(price: str, rows: list[tuple[str, int]], convention: str = "kaigo") -> str:
    p = Decimal(price)
    yen = []
    for _, u in rows:
        total = floor_yen(u, p)
        benefit, copay = split(total, convention)
        yen.append(f"¥{total:,} ¥{benefit:,} ¥{copay:,}")
    units = [f"{label} {u}" for label, u in rows]
    return "\n".join(["居宅介護サービス費", f"基本単位数 地域区分 {price}", "", "10割 9割 1割負担", *yen, "",
                      "サービス内容 算定区分 (単位数)", "", *units, ""])


@pytest.mark.parametrize("price, units", [("11.2", 85), ("11.12", 75), ("11.2", 50), ("11.12", 250), ("10.00", 1), ("11.40", 2500)])
def test_exact_boundaries_are_consistent(tmp_path, price, units):
    p = tmp_path / "s.txt"
    p.write_text(shogai_doc(price, [("30分未満", units), ("30分以上1時間未満", units + 1)]), encoding="utf-8")
    report = check([extract(p)], [])
    assert not [f for d in report.documents for f in d.findings if f.severity == "error"]


# -- property: consistent tables at every price give no error --------------------------

PRICES = sorted({e.price for e in price_table()})
KAIGO_PRICES = sorted({e.price for e in price_table() if e.scheme == "kaigo"})  # a 居宅介護支援 leaflet is 介護


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    price=st.sampled_from(PRICES),
    units=st.lists(st.integers(min_value=1, max_value=4000), min_size=1, max_size=8),
    convention=st.sampled_from(["kaigo", "shogai"]),
)
def test_consistent_tables_have_no_errors(tmp_path_factory, price, units, convention):
    rows = [(f"{10 * i + 10}分以上{10 * i + 20}分未満", u) for i, u in enumerate(units)]
    p = tmp_path_factory.mktemp("prop") / "s.txt"
    p.write_text(shogai_doc(str(price), rows, convention), encoding="utf-8")
    res = extract(p)
    assert len([r for r in res.rows if r.amounts]) == len(units)
    report = check([res], [])
    assert not [f.message for d in report.documents for f in d.findings if f.severity == "error"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(price=st.sampled_from(KAIGO_PRICES), units=st.lists(st.integers(min_value=1, max_value=4000), min_size=2, max_size=6, unique=True))
def test_consistent_leaflets_have_no_errors(tmp_path_factory, price, units):
    lines = ["居宅介護支援 <利用料金>", "算定項目(居宅介護支援費Ⅰ)", "単位数", "費用総額(円)", "保険給付額(円)"]
    for i, u in enumerate(units):
        total = floor_yen(u, price)
        lines.append(f"加算{'ABCDEF'[i]}加算 {u:,} 1回 {total:,} {total:,}")
    p = tmp_path_factory.mktemp("prop") / "a.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = check([extract(p)], [])
    assert not [f.message for d in report.documents for f in d.findings if f.severity == "error"]


# -- mutation: one changed number at a time is caught ------------------------------------

def mutations(text: str, pattern: str):
    import regex as re

    for m in re.finditer(pattern, text):
        value = int(m.group("n").replace(",", ""))
        yield m.group(0), text[: m.start("n")] + f"{value + 1:,}" + text[m.end("n"):]


def fixture_text(name: str) -> str:
    path = next(p for p in text_fixtures() if p.name.startswith(name))
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp932", "euc_jp"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise AssertionError(path)


MUTANTS = [
    *(("shogai", label, mutated) for label, mutated in mutations(fixture_text("shogai"), r"¥(?P<n>[\d,]+)")),
    *(("shogai", label, mutated) for label, mutated in mutations(fixture_text("shogai"), r"(?m)(?:未満|以上|限度\)|につき) \+?(?P<n>\d+)$")),
    *(("leaflet", label, mutated) for label, mutated in mutations(fixture_text("leaflet"), r"(?m)(?<= )(?P<n>[\d,]{3,})(?= [\d,]+$|$)")),
    ("shogai", "price 10.90 -> 10.96", fixture_text("shogai").replace("10.90", "10.96")),
    ("leaflet", "units 421 -> 422", fixture_text("leaflet").replace("特定事業所加算（Ⅱ） 421", "特定事業所加算（Ⅱ） 422")),
]


def test_the_fixtures_are_clean_before_mutation(tmp_path):
    for name in ("shogai", "leaflet"):
        p = tmp_path / f"{name}.txt"
        p.write_text(fixture_text(name), encoding="utf-8")
        assert not [f for d in check([extract(p)], []).documents for f in d.findings if f.severity == "error"]


@pytest.mark.parametrize("family, what, text", MUTANTS, ids=[f"{f}:{w}" for f, w, _ in MUTANTS])
def test_every_single_change_is_caught(tmp_path, family, what, text):
    assert text != fixture_text(family), f"{what}: the mutation changed nothing"
    p = tmp_path / f"{family}.txt"
    p.write_text(text, encoding="utf-8")
    found = [f for d in check([extract(p)], []).documents for f in d.findings if f.severity == "error"]
    assert found, f"{what}: no error"


def test_mutation_corpus_is_large_enough():
    assert len(MUTANTS) >= 40


# -- the command line -------------------------------------------------------------------

def run(*args):
    return subprocess.run([sys.executable, "-m", "extractor", "check", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_exit_codes(tmp_path):
    clean = [p for p in text_fixtures() if not p.name.startswith("shogai")]
    assert run(*clean).returncode == 0
    shogai = next(p for p in text_fixtures() if p.name.startswith("shogai"))
    assert run(shogai).returncode == 0
    assert run(shogai, "--fail-on", "warning").returncode == 1  # the 介護-style split is a warning
    assert run(seed("000"), seed("001")).returncode == 1
    r = run(shogai, tmp_path / "missing.txt")
    assert r.returncode == 2 and "missing.txt: no such file" in r.stderr and "Traceback" not in r.stderr
    r = run(shogai, "--reference", tmp_path / "nope.csv")
    assert r.returncode == 2 and "nope.csv" in r.stderr


def test_json_contract():
    r = run(seed("000"), seed("001"), "--format", "json")
    data = json.loads(r.stdout)
    assert set(data["summary"]) == {"documents", "rows", "errors", "warnings", "unverified"}
    assert data["summary"]["errors"] == 4
    doc = data["documents"][0]
    assert {"doc", "unit_price", "unit_price_source", "convention", "rows", "findings"} <= set(doc)
    assert doc["unit_price"] == "11.05"
    f = next(f for f in doc["findings"] if f["severity"] == "error")
    assert {"code", "severity", "page", "line", "message", "printed", "expected"} <= set(f)


def test_junit_and_github_formats():
    r = run(seed("000"), seed("001"), "--format", "junit")
    suite = ET.fromstring(r.stdout).find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    r = run(seed("004"), "--format", "github")
    lines = r.stdout.splitlines()
    assert any(line.startswith("::error file=") and "line=149" in line and "title=step-rule-mismatch" in line for line in lines)
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_official_codes_check_houmon_kaigo_and_tsusho_kaigo(tmp_path):
    """The name map covers 訪問介護 and 通所介護 (通常規模型) too: a 算定構造 printing 165 for
    身体介護 20分未満 (163), 210 for 初回加算 (200) or 380 for 通所介護 3–4時間 要介護1 (370)
    is a reference-mismatch, and the right values are confirmed."""
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: the official-code checks need ../shared/reference/")

    p = tmp_path / "kaigo.txt"
    p.write_text(
        "1 訪問介護費\n\n基本部分\t\t注\t注\n"
        "訪問介護費\tイ 身体介護 (1) 20分未満 (2) 20分以上30分未満\t2人の訪問介護員等による場合\t夜間又は早朝の場合又は深夜の場合\n"
        "\t(165単位) (244単位)\t×200/100\t夜間又は早朝の場合 +25/100 深夜の場合 +50/100\n"
        "\tロ 生活援助 (1) 20分以上45分未満 (2) 45分以上\t\t\n\t(179単位) (220単位)\t\t\n"
        "ニ 初回加算\t(1月につき +210単位)\n\n"
        "2 通所介護費\n\n基本部分\t\t\t注\n"
        "イ 通常規模型通所介護費\t(1) 所要時間3時間以上4時間未満\t要介護1\t(380単位)\t高齢者虐待防止措置未実施減算\n"
        "\t\t要介護2\t(423単位)\t-1/100\n", encoding="utf-8")
    res = extract(p)
    found = sorted((f.code, f.printed) for f in check([res], [load(PEER_CSV)]).documents[0].findings
                   if f.code == "reference-mismatch")
    assert found == [("reference-mismatch", "165単位"), ("reference-mismatch", "210単位"), ("reference-mismatch", "380単位")]


def test_one_wrong_amount_on_a_shared_yen_line_is_one_finding(tmp_path):
    """身体介護 and 通院等介助(身体介護を伴う) share a yen row; its wrong 10割 (4,292 for
    floor(404 × 10.6) = 4,282) is reported once, not once per row that carries it."""
    p = tmp_path / "sheet.txt"
    p.write_text("居宅介護サービス費\n基本単位数 地域区分 10.6\n\n10割 9割 1割負担\n¥2,713 ¥2,441 ¥272\n¥4,292 ¥3,862 ¥430\n\n"
                 "サービス内容 算定区分 (単位数)\n\n身体介護\n通院等介助(身体介護を伴う場合)\n\n算定項目 算定区分 (単位数)\n\n"
                 "30分未満 256\n30分以上1時間未満 404\n", encoding="utf-8")
    res = extract(p)
    assert len([r for r in res.rows if r.line == 6]) == 2
    errors = [(f.code, f.line) for f in check([res], []).documents[0].findings if f.severity == "error"]
    assert errors == [("amount-mismatch", 6)]


def test_a_tier_table_in_yen_is_checked_against_the_official_tiers_by_band(tmp_path):
    """The code table names no caseload band; the tiers' bands (45/60 for (Ⅰ), 50/60 for (Ⅱ))
    tie a yen-only tier table to its codes. Seed 000 with one tier amount misprinted
    (6,101 for 6,011) gets an amount-mismatch there, where the others keep their
    reference-other-item."""
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: the official-code checks need ../shared/reference/")
    p = tmp_path / "leaflet.txt"
    p.write_text(seed("000").read_text(encoding="utf-8").replace("6,011円", "6,101円"), encoding="utf-8")
    found = {(f.line, f.code) for f in check([extract(p)], [load(PEER_CSV)]).documents[0].findings if f.severity == "error"}
    assert (189, "amount-mismatch") in found and (189, "reference-other-item") not in found
    assert {(193, "reference-other-item"), (201, "reference-other-item"), (205, "reference-other-item")} <= found


def test_official_codes_check_houmon_kango_additions(tmp_path):
    """初回加算(Ⅰ) 360 (350), 口腔連携強化加算 55 (50) and 退院時共同指導加算 650 (600) below a
    訪問看護 grid are each a reference-mismatch."""
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: the official-code checks need ../shared/reference/")
    p = tmp_path / "kango.txt"
    p.write_text("2 訪問看護費\n\n基本部分\t\t注 准看護師の場合\n"
                 "イ 指定訪問看護ステーションの場合\t(1) 20分未満 (314単位)\t×90/100\n"
                 "ロ 初回加算\t(1) 初回加算(Ⅰ) (1月につき +360単位)\t\n"
                 "ハ 口腔連携強化加算 (1回につき +55単位)\t\nニ 退院時共同指導加算 (1回につき +650単位)\t\n", encoding="utf-8")
    found = sorted((f.line, f.printed) for f in check([extract(p)], [load(PEER_CSV)]).documents[0].findings
                   if f.code == "reference-mismatch")
    assert found == [(5, "360単位"), (6, "55単位"), (7, "650単位")]


def test_a_leaflets_base_rows_are_checked_against_the_official_tier_by_band(tmp_path):
    """'居宅介護支援費Ⅰ:担当件数 45件未満' with 1,068 units for 要介護1・2: the band picks the
    (Ⅰ)(i) code (1,086), so the typo is a reference-mismatch (before, three tiers matched and
    none was chosen)."""
    if not PEER_CSV.exists():
        pytest.skip(f"{PEER_CSV} not found: the official-code checks need ../shared/reference/")
    p = tmp_path / "leaflet.txt"
    p.write_text(seed("000").read_text(encoding="utf-8").replace("要介護 1 1,086", "要介護 1 1,068", 1), encoding="utf-8")
    found = [(f.code, f.printed) for f in check([extract(p)], [load(PEER_CSV)]).documents[0].findings
             if f.code == "reference-mismatch"]
    assert ("reference-mismatch", "1068単位") in found


# -- a document dated before a 改定 (stale-document) -----------------------------------------

_DATED_HOUMON_KANGO = ("訪問看護 料金表（{date}）\nみどり訪問看護ステーション\n\nサービス内容\t時間区分\t単位数\n"
                       "訪問看護\t20分未満\t314単位\n訪問看護\t30分未満\t471単位\n訪問看護\t30分以上1時間未満\t832単位\n")


def _dated(tmp_path, date_text: str):
    from extractor.reference import builtin_reference

    p = tmp_path / "dated.txt"
    p.write_text(_DATED_HOUMON_KANGO.format(date=date_text), encoding="utf-8")
    return [f for f in check([extract(p)], [builtin_reference()]).documents[0].findings if f.severity != "info"]


def test_a_document_dated_before_a_revision_is_one_stale_warning_not_unit_errors(tmp_path):
    found = _dated(tmp_path, "平成30年4月1日現在")
    assert [(f.code, f.severity, f.line) for f in found] == [("stale-document", "warning", 1)]
    f = found[0]
    assert (f.data["on"], f.data["revision"], f.data["revision_from"]) == ("2018-04-01", "令和3年度", "2021-04-01")
    assert "令和6年度" in f.data["later"]


def test_a_document_dated_in_the_month_a_revision_began_is_held_to_it(tmp_path):
    # 令和6年度 takes effect for 訪問看護 on 2024-06-01, but a sheet of 令和6年4月 is of that 改定
    found = _dated(tmp_path, "令和6年4月1日改定")
    assert [(f.code, f.data.get("printed_units")) for f in found] == [("reference-mismatch", 832)]


def test_a_revision_added_for_the_future_makes_no_current_document_stale(tmp_path):
    """Stale is judged against the 改定 of the built-in table: with 令和12年度 (架空) added, a sheet
    of 令和7年 is current, not stale."""
    from extractor.reference import builtin_reference
    from extractor.revisions import Calendar

    p = tmp_path / "dated.txt"
    p.write_text(_DATED_HOUMON_KANGO.format(date="令和7年4月1日現在"), encoding="utf-8")
    cal = Calendar.with_files([ROOT / "fixtures" / "revision" / "revisions_next.json"])
    report = check([extract(p)], [builtin_reference(cal)], calendar=cal)
    assert not [f for f in report.documents[0].findings if f.code == "stale-document"]


def test_the_same_item_under_two_titles_or_two_services_is_no_duplicate(tmp_path):
    """An item printed with other units under another title ('【併設型】' and '【単独型】'
    tables of one service), or under a row naming another service in one table (a variant
    row under '訪問入浴介護費' and again under '介護予防訪問入浴介護費'), is another fee, not a
    `duplicate-item-units`; printed twice under one title and service, it is one."""
    titles = ("【併設型】\n加算名\t単位数\t利用料\n夜勤職員配置加算(Ⅰ)\t13単位\t130円\n送迎加算\t184単位\t1,840円\n\n"
              "【単独型】\n加算名\t単位数\t利用料\n夜勤職員配置加算(Ⅰ)\t18単位\t180円\n送迎加算\t184単位\t1,840円\n")
    blocks = ("サービス内容\t単位数\t利用料\n訪問入浴介護費\t1266\t12,660円\n清拭又は部分浴の場合\t1139\t11,390円\n"
              "介護予防訪問入浴介護費\t856\t8,560円\n清拭又は部分浴の場合\t770\t7,700円\n")
    once = ("サービス内容\t単位数\t利用料\n訪問入浴介護費\t1266\t12,660円\n清拭又は部分浴の場合\t1139\t11,390円\n"
            "初回加算\t200\t2,000円\n清拭又は部分浴の場合\t1193\t11,930円\n")
    found = {}
    for name, text in {"titles": titles, "blocks": blocks, "once": once}.items():
        p = tmp_path / f"{name}.txt"
        p.write_text("短期入所生活介護\n" + text if name == "titles" else "訪問入浴介護\n" + text, encoding="utf-8")
        res = extract(p)
        assert len(res.rows) == 4, name
        found[name] = [f.data for f in check([res], []).documents[0].findings if f.code == "duplicate-item-units"]
    assert found["titles"] == [] and found["blocks"] == []
    assert [(d["printed_units"], d["expected_units"]) for d in found["once"]] == [(1193, 1139)]


def test_real_document_07_limits_of_an_earlier_time_at_another_price():
    """Real document 07 prints the 区分支給限度基準額 beside its fees: units in force before
    2019-10 (16692 for 要介護1, 16765 since), and yen at 10.45 (16692 × 10.45 = 174,431.4),
    while its fees are not at 10.45. One `stale-limit` and one `limit-price-mismatch` per
    table, warnings; the limits are no lost amounts."""
    path = next((SHARED / "real").glob("07_*.txt"), None) if (SHARED / "real").is_dir() else None
    if path is None:
        pytest.skip("../shared/real/07 not found")
    res = extract(path)
    found = check([res], []).documents[0].findings
    stale = [f for f in found if f.code == "stale-limit"]
    priced = [f for f in found if f.code == "limit-price-mismatch"]
    assert len(stale) == 3 and len(priced) == 3
    assert stale[0].data["changes"].startswith("要介護1 16692→16765") and stale[0].severity == "warning"
    assert Decimal(str(priced[0].data["price"])) == Decimal("10.45") and priced[0].data["units"] == 16692
    assert not [f for f in res.findings if f.code == "lost-amount" and "174,431" in (f.printed or "")]


@pytest.mark.parametrize("cut", [True, False])
def test_a_reductions_yen_cut_or_floored_is_consistent_and_a_wrong_one_is_not(tmp_path, cut):
    """▲5単位 at 10.68円 is printed ▲53円 (the cut amount taken away, 1割 ▲6円) or ▲54円 (the
    floor of -53.4, 1割 ▲5円): either is consistent; ▲55円 is an error."""
    yen, copay = ("▲53円", "▲6円") if cut else ("▲54円", "▲5円")
    text = ("特別養護老人ホーム 加算・減算 1単位=10.68円\n加算名\t単位数\t介護報酬額\t1割負担\n"
            "初期加算\t30\t320円\t32円\n安全管理体制未実施減算\t▲5\t{}\t{}\n")
    ok, bad = tmp_path / "ok.txt", tmp_path / "bad.txt"
    ok.write_text(text.format(yen, copay), encoding="utf-8")
    bad.write_text(text.format("▲55円", copay), encoding="utf-8")
    report = check([extract(ok), extract(bad)], [])
    by_doc = {d.result.doc: {f.code for f in d.findings if f.severity == "error"} for d in report.documents}
    assert by_doc["ok.txt"] == set()
    assert "amount-mismatch" in by_doc["bad.txt"]


def test_care_management_with_no_users_share_is_consistent(tmp_path):
    """居宅介護支援 is paid whole by the insurer: its 自己負担 0円 is the law, beside another
    service's table that splits 1割."""
    p = tmp_path / "two.txt"
    p.write_text("居宅介護支援費 1単位=10.42円\n区分\t単位数\t費用総額\t自己負担\n"
                 "居宅介護支援費(Ⅰ)(i) 要介護1・2\t1,086単位\t11,316円\t0円\n"
                 "居宅介護支援費(Ⅰ)(i) 要介護3~5\t1,411単位\t14,702円\t0円\n", encoding="utf-8")
    report = check([extract(p)], [])
    assert not [f for d in report.documents for f in d.findings if f.severity == "error"]
