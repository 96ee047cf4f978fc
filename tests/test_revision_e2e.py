"""The next 改定, end to end, with a revision that does not exist: fixtures/revision/ (made by
scripts/make_revision_fixtures.py) holds a SYNTHETIC 令和12年度 (架空), effective 2030-04-01,
and a 訪問介護 leaflet before it, after it, and one after it that still prints the old units.

build (old documents, then the new ones onto that dataset) → diff (golden file) → check the
old, new and stale documents → calc one plan for a month before and a month after, each bill
worked out by hand below."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from extractor import dataset

from .conftest import GOLDEN, ROOT

FIX = ROOT / "fixtures" / "revision"
NAME = "令和12年度 (架空)"
REVISIONS = ["--revisions", str(FIX / "revisions_next.json")]
REGEN = os.environ.get("TARIFF_REGEN_GOLDEN") == "1"


def tariff(*args, ok=(0,)):
    r = subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode in ok, (r.returncode, r.stdout, r.stderr)
    return r


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("revision")
    old, new = tmp / "r6", tmp / "r12"
    tariff("build", FIX / "old", "--out", old, "--revision", "令和6年度")
    tariff("build", FIX / "new", "--onto", old, "--out", new, *REVISIONS, "--revision", NAME)
    return old, new


def test_the_fixtures_are_what_their_script_makes():
    r = subprocess.run([sys.executable, "scripts/make_revision_fixtures.py", "--check"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout
    assert json.loads((FIX / "revisions_next.json").read_text("utf-8"))["revisions"][0]["synthetic"] is True


def test_build_across_the_revision(built):
    _, new = built
    items = {(it.item, it.time_band, it.units or it.rate): it for it in dataset.load(new)}
    period = lambda k: (str(items[k].effective_from), str(items[k].effective_to))  # noqa: E731
    # a changed value: the old period ends the day before, the new one begins
    assert period(("身体介護", "20分以上30分未満", 244)) == ("2024-04-01", "2030-03-31")
    assert period(("身体介護", "20分以上30分未満", 250)) == ("2030-04-01", "None")
    assert period(("生活援助", "20分以上45分未満", 179)) == ("2024-04-01", "2030-03-31")
    # the 処遇改善 rate: introduced 2024-06-01 (data/revisions.json), changed by the new revision
    from decimal import Decimal
    assert period(("介護職員等処遇改善加算(Ⅰ)", None, Decimal("0.245"))) == ("2024-06-01", "2030-03-31")
    assert period(("介護職員等処遇改善加算(Ⅰ)", None, Decimal("0.262"))) == ("2030-04-01", "None")
    # an equal value is confirmed, not duplicated: one item, both documents among its sources
    same = [it for it in items.values() if it.item == "身体介護" and it.time_band == "20分未満"]
    assert len(same) == 1 and period(("身体介護", "20分未満", 163)) == ("2024-04-01", "None")
    assert {s.doc for s in same[0].sources} == {"houmon_kaigo_r6.txt", "houmon_kaigo_r12.txt"}
    # abolished by the revision: ends the day before; introduced: begins on it
    assert period(("生活機能向上連携加算(Ⅰ)", None, 100)) == ("2024-04-01", "2030-03-31")
    assert period(("架空連携加算", None, 50)) == ("2030-04-01", "None")
    # a closed item keeps its id: a plan for a month of its period still finds it
    old_ids = {it.id for it in dataset.load(built[0])}
    assert items[("身体介護", "20分以上30分未満", 244)].id in old_ids
    manifest = json.loads((new / "manifest.json").read_text("utf-8"))
    first, last = manifest["established"]
    assert first["revision"] == "令和6年度" and [d["doc"] for d in first["documents"]] == ["houmon_kaigo_r6.txt"]
    assert last["revision"] == NAME and [d["doc"] for d in last["documents"]] == ["houmon_kaigo_r12.txt"]
    assert last["items"] == {"new": 1, "changed": 3, "confirmed": 4, "abolished": 1, "undated": 0}
    assert last["periods"] == {"2030-04-01": 4}
    assert {s["doc"] for s in manifest["sources"]} == {"houmon_kaigo_r6.txt", "houmon_kaigo_r12.txt"}
    # the calendar travels with the dataset: the new 地域単価 and their periods
    prices = (new / "unit_prices.csv").read_text("utf-8").splitlines()
    assert "kaigo,70%,3級地,11.05,2024-04-01,2030-03-31" in prices and "kaigo,70%,3級地,11.16,2030-04-01," in prices


def test_diff_is_a_golden_file_a_person_can_read(built):
    _, new = built
    r = tariff("diff", new, "--old-revision", "令和6年度", "--new-revision", NAME, "--grade", "3級地", ok=(1,))
    golden = GOLDEN / "revision_diff.txt"
    if REGEN:
        golden.write_text(r.stdout, encoding="utf-8")
    assert golden.is_file(), "missing golden file: run with TARIFF_REGEN_GOLDEN=1 and review it"
    assert r.stdout == golden.read_text("utf-8")
    # the same diff by dates, and in the other formats
    by_date = tariff("diff", new, "--old-as-of", "2030-03-31", "--new-as-of", "2030-04-01", "--format", "json", ok=(1,))
    d = json.loads(by_date.stdout)
    groups = d["by_service"]["訪問介護"]
    assert sorted(c["new"]["item"] for c in groups["changed"]) == ["介護職員等処遇改善加算(Ⅰ)", "生活援助", "身体介護"]
    assert [x["item"] for x in groups["new"]] == ["架空連携加算"] and [x["item"] for x in groups["abolished"]] == ["生活機能向上連携加算(Ⅰ)"]
    csv_out = tariff("diff", new, "--old-revision", "令和6年度", "--new-revision", NAME, "--grade", "3級地", "--format", "csv", ok=(1,)).stdout
    assert "訪問介護,changed,身体介護,,20分以上30分未満,244,250,,,2696,2790,11.05,11.16" in csv_out
    page = tariff("diff", new, "--old-revision", "令和6年度", "--new-revision", NAME, "--grade", "3級地", "--format", "html", ok=(1,)).stdout
    assert page.count('<tr class="changed">') == 3 and page.count('<tr class="new">') == 1 and page.count('<tr class="abolished">') == 1
    assert "2,790円" in page and "<script" not in page


def _check(doc, built):
    r = tariff("check", FIX / doc, "--reference", built[1], *REVISIONS, "--format", "json", ok=(0, 1))
    return r.returncode, [f for f in json.loads(r.stdout)["documents"][0]["findings"] if f["severity"] == "error"]


def test_check_holds_each_document_to_the_values_of_its_date(built):
    # dated 令和6年4月: held to the 令和6年度 values, which it prints
    assert _check("old", built) == (0, [])
    # dated 令和12年4月: held to the new values, which it prints (the built-in 令和6年度 table ends 2030-03-31)
    assert _check("new", built) == (0, [])
    # dated 令和12年5月 and still printing the 令和6年度 units: a stale table that missed the revision
    rc, errors = _check("stale", built)
    assert rc == 1 and [f["code"] for f in errors] == ["stale-revision"]
    data = errors[0]["data"]
    assert (data["revision"], data["missed"], data["missed_from"]) == ("令和6年度", NAME, "2030-04-01")
    assert sorted((r["printed_units"], r["current_units"]) for r in data["rows"]) == [(179, 183), (244, 250)]


def test_calc_before_and_after_the_revision(built):
    _, new = built
    plan = FIX / "plan.json"
    before = json.loads(tariff("calc", plan, "--dataset", new, "--month", "2030-03", "--format", "json").stdout)
    after = json.loads(tariff("calc", plan, "--dataset", new, "--month", "2030-04", "--format", "json").stdout)
    # 2030-03, 令和6年度 at 3級地 70% (11.05): 244 × 10 + 179 × 8 + 200 = 2,440 + 1,432 + 200 = 4,072 units;
    # 処遇改善 Ⅰ 0.245 × 4,072 = 997.64 → 998; 5,070 units × 11.05 = 56,023.5 → 56,023円;
    # benefit floor(56,023 × 0.9) = floor(50,420.7) = 50,420; copay 56,023 − 50,420 = 5,603
    assert (before["total_units"], before["total"], before["benefit"], before["copay"]) == (5070, 56023, 50420, 5603)
    # 2030-04, 令和12年度 (架空) at 11.16: 250 × 10 + 183 × 8 + 200 = 2,500 + 1,464 + 200 = 4,164 units;
    # 処遇改善 Ⅰ 0.262 × 4,164 = 1,090.968 → 1,091; 5,255 × 11.16 = 58,645.8 → 58,645円;
    # benefit floor(58,645 × 0.9) = floor(52,780.5) = 52,780; copay 5,865
    assert (after["total_units"], after["total"], after["benefit"], after["copay"]) == (5255, 58645, 52780, 5865)
    # every line cites the period it used
    periods = lambda c: [(l["name"], l["period"]["effective_from"], l["period"]["effective_to"], l["period"]["revision"]) for l in c["lines"]]  # noqa: E731
    assert periods(before) == [("身体介護 20分以上30分未満", "2024-04-01", "2030-03-31", "令和6年度"),
                               ("生活援助 20分以上45分未満", "2024-04-01", "2030-03-31", "令和6年度"),
                               ("初回加算", "2024-04-01", None, "令和6年度")]
    assert periods(after) == [("身体介護 20分以上30分未満", "2030-04-01", None, NAME),
                              ("生活援助 20分以上45分未満", "2030-04-01", None, NAME),
                              ("初回加算", "2024-04-01", None, "令和6年度")]
    s0, s1 = before["services"][0], after["services"][0]
    assert (s0["unit_price"], s0["unit_price_period"]["effective_to"]) == ("11.05", "2030-03-31")
    assert (s1["unit_price"], s1["unit_price_period"]["revision"]) == ("11.16", NAME)
    assert [t["period"]["effective_from"] for t in s0["treatment_improvement"] + s1["treatment_improvement"]] == ["2024-06-01", "2030-04-01"]
    assert (before["limit_units"], after["limit_units"], after["limit_period"]["revision"]) == (19705, 20100, NAME)
    text = tariff("calc", plan, "--dataset", new, "--month", "2030-04").stdout
    lines = [line for line in text.splitlines() if "単位 × " in line and not line.strip().startswith("計")]
    assert len(lines) == 3 and all("〔" in line for line in lines), text


def test_a_value_no_period_covers_is_named(built, tmp_path):
    r = tariff("calc", FIX / "plan.json", "--dataset", built[1], "--month", "2024-05", ok=(2,))
    assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert "no period of 処遇改善 訪問介護 Ⅰ covers 2024-05-01 (known: 2024-06-01〜2030-03-31, 2030-04-01〜)" in r.stderr


def test_plan_names_that_are_unknown_or_ambiguous_get_one_line(built, tmp_path):
    plan = json.loads((FIX / "plan.json").read_text("utf-8"))
    said = {}
    for item, says in [("身体介護", "names 3 items in force in 2030-04"), ("999999", "サービスコード 999999 is not in the code table"),
                       ("存在しない加算", "is not in the dataset")]:
        f = tmp_path / "p.json"
        f.write_text(json.dumps({**plan, "month": "2030-04", "lines": [{"item": item, "count": 1}]}, ensure_ascii=False), "utf-8")
        r = tariff("calc", f, "--dataset", built[1], ok=(2,))
        assert len(r.stderr.strip().splitlines()) == 1 and says in r.stderr, r.stderr
        said[item] = r.stderr
    # the candidates are listed, each with its value and period: the ones in force in the month
    assert "身体介護 20分以上30分未満, 250単位, 2030-04-01〜" in said["身体介護"] and "244単位" not in said["身体介護"]


def test_a_revisions_file_the_schema_refuses_is_one_line(tmp_path):
    bad = json.loads((FIX / "revisions_next.json").read_text("utf-8"))
    bad["revisions"][0]["unit_prices"][0]["price"] = 11.52  # a float is not exact
    f = tmp_path / "rev.json"
    f.write_text(json.dumps(bad, ensure_ascii=False), "utf-8")
    r = tariff("build", FIX / "new", "--out", tmp_path / "out", "--revisions", f, ok=(2,))
    assert len(r.stderr.strip().splitlines()) == 1
    assert f"{f}: revision 1 ({NAME}): unit_prices.0.price" in r.stderr and "not exact" in r.stderr
    r = tariff("build", FIX / "new", "--out", tmp_path / "out", "--revision", "令和99年度", ok=(2,))
    assert "--revision 令和99年度: no such revision (known: 令和3年度, 令和6年度" in r.stderr
    assert not (tmp_path / "out").exists()


def test_the_calendar_resolves_by_day():
    from extractor import periods
    from extractor.revisions import Calendar
    cal = Calendar.with_files([FIX / "revisions_next.json"])
    v = periods.values(cal)
    assert v.resolve("unit_price", ("kaigo", "70%", "3級地"), date.fromisoformat("2030-03-31")).value == "11.05"
    assert v.resolve("unit_price", ("kaigo", "70%", "3級地"), date.fromisoformat("2030-04-01")).value == "11.16"
    # a value the revision leaves alone goes on: 4級地 is not in the synthetic entry
    four = v.resolve("unit_price", ("kaigo", "70%", "4級地"), date.fromisoformat("2030-04-01"))
    assert (four.value, str(four.effective_from), four.effective_to) == ("10.84", "2024-04-01", None)
