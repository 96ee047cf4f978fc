"""The canonical dataset: reproducible byte for byte, disputes kept with both values and
their sources, revisions selectable by date, exports that load, and a build that never
leaves a half-written dataset."""

from __future__ import annotations

import filecmp
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from extractor import dataset
from extractor.exports import diff

from .conftest import ROOT, SEEDS, SHARED

NORMALIZED = ROOT / "normalized"


def needs_seeds():
    if not SEEDS.is_dir() or not (SHARED / "reference" / "service_codes_r6_peer.csv").is_file():
        pytest.skip("the committed dataset is built from ../shared/seeds and ../shared/reference")


def build(out):
    r = subprocess.run([sys.executable, "scripts/build_dataset.py", "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


def test_committed_dataset_is_a_fresh_build_twice(tmp_path):
    needs_seeds()
    for n in (1, 2):
        fresh = build(tmp_path / f"build{n}")
        cmp = filecmp.dircmp(NORMALIZED, fresh)
        assert not cmp.left_only and not cmp.right_only, (cmp.left_only, cmp.right_only)
        for name in cmp.common_files:
            assert (NORMALIZED / name).read_bytes() == (fresh / name).read_bytes(), f"normalized/{name} differs from a fresh build"


@pytest.fixture(scope="module")
def items():
    return dataset.load(NORMALIZED)


def test_the_seeds_inconsistencies_are_disputed_with_both_values(items):
    disputed = {(it.service, it.item, tuple(it.care_levels), it.time_band): it for it in items if it.status == "disputed"}
    step = disputed[("重度訪問介護", "重度訪問介護", (), "12時間以上16時間未満")]
    assert [(d.code, d.printed, d.expected) for d in step.disputes] == [("step-rule-mismatch", "81単位", "80単位")]
    tier = disputed[("居宅介護支援", "居宅介護支援費(Ⅱ)", ("要介護1", "要介護2"), None)]
    assert tier.disputes[0].code == "reference-other-item" and tier.disputes[0].printed == "6,011円"
    assert {s.doc for s in tier.sources} >= {"000_2e8069f79456953b.txt", "leaflet_kyotaku_stream.pdf"}
    stale = [it for it in items if any(d.code == "stale-value" for d in it.disputes)]
    assert sorted(it.units for it in stale) == [265, 293, 313, 398, 470, 573, 821, 842, 1125, 2000, 2954]
    for it in stale:
        assert all(s.doc.startswith("003_") and s.line for s in it.sources)


def test_errata_correct_with_the_printed_value_kept(items):
    it = next(i for i in items if i.item == "居宅介護支援費(Ⅰ)(iii)" and i.care_levels == ["要介護1", "要介護2"])
    assert (it.units, it.status, it.erratum.printed, it.erratum.corrected) == (326, "corrected", "328", "326")
    assert sorted((s.doc[:3], s.units) for s in it.sources) == [("001", 326), ("003", 328), ("sch", 326)]
    # its dispute settled, it is dated like an undisputed value: the official table confirms 326
    assert (it.period_source, str(it.effective_from)) == ("reference", "2024-04-01")


def test_every_item_is_sourced_and_ids_are_unique(items):
    assert len({it.id for it in items}) == len(items)
    for it in items:
        assert it.sources and all(s.sha256 and s.raw for s in it.sources)


def test_revisions_and_the_2024_06_treatment_improvement_change(items):
    may, june = dataset.select(items, date(2024, 5, 1)), dataset.select(items, date(2024, 6, 1))
    d = diff(may, june)
    assert not d["changed"]
    # nothing spurious: only the 処遇改善 change, and DOMAIN's 2024-06 start of 訪問看護 and
    # 介護予防訪問看護 (the 令和3年度 values end 2024-05-31; the 令和6年度 values, confirmed by the
    # official table or printed by a 令和6年度 document, start 2024-06-01)
    for x in d["added"] + d["removed"]:
        assert "処遇改善" in x["item"] or "ベースアップ" in x["item"] or x["service"] in ("訪問看護", "介護予防訪問看護"), x
    added = {(x["service"], x["item"], x["rate"]) for x in d["added"]}
    removed = {(x["service"], x["item"], x["rate"]) for x in d["removed"]}
    assert ("介護老人保健施設", "介護職員等処遇改善加算", "0.075") in added
    assert {("介護老人保健施設", "介護職員処遇改善加算(Ⅰ)", "0.039"), ("介護老人保健施設", "介護職員等特定処遇改善加算(Ⅰ)", "0.021")} <= removed


def test_diff_cli_exit_codes(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "extractor", "diff", *map(str, a)], capture_output=True, text=True, cwd=ROOT)  # noqa: E731
    assert run(NORMALIZED, NORMALIZED).returncode == 0
    r = run(NORMALIZED, NORMALIZED, "--old-as-of", "2024-05-01", "--new-as-of", "2024-06-01")
    assert r.returncode == 1 and "+ 介護老人保健施設 介護職員等処遇改善加算: 0.075" in r.stdout
    assert run(NORMALIZED, NORMALIZED, "--old-as-of", "2024-05-01", "--new-as-of", "2024-06-01", "--report-only").returncode == 0
    r = run(NORMALIZED, tmp_path)
    assert r.returncode == 2 and "is not a dataset" in r.stderr


def export(fmt, out, *extra):
    r = subprocess.run([sys.executable, "-m", "extractor", "export", "--format", fmt, "-o", str(out), *extra],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


def test_csv_loads_in_pandas_and_cp932_round_trips(tmp_path):
    pd = pytest.importorskip("pandas")
    utf = pd.read_csv(export("csv", tmp_path / "a.csv"), dtype=str, keep_default_na=False)
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    sj = pd.read_csv(export("csv", tmp_path / "b.csv", "--encoding", "cp932"), dtype=str, keep_default_na=False, encoding="cp932")
    assert len(utf) == len(dataset.load(NORMALIZED)) and utf.equals(sj)


def test_parquet_has_typed_columns(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    t = pq.read_table(export("parquet", tmp_path / "a.parquet"))
    assert t.schema.field("rate").type == pa.decimal128(9, 6)
    assert t.schema.field("units").type == pa.int32() and t.schema.field("effective_from").type == pa.date32()
    rates = [r for r in t.column("rate").to_pylist() if r is not None]
    assert rates and all(isinstance(r, Decimal) for r in rates)


def test_sqlite_loads_with_indexes(tmp_path):
    db = export("sqlite", tmp_path / "a.sqlite")
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from items").fetchone()[0] == len(dataset.load(NORMALIZED))
    assert {"items_key", "items_period", "sources_item"} <= {r[0] for r in con.execute("select name from sqlite_master where type='index'")}


def test_sqlite_export_opens_in_the_sqlite3_tool(tmp_path):
    if not shutil.which("sqlite3"):
        pytest.skip("the sqlite3 program is not installed (Debian: apt-get install sqlite3)")
    db = export("sqlite", tmp_path / "a.sqlite")
    r = subprocess.run(["sqlite3", str(db), "select units from items where item='居宅介護支援費(Ⅰ)(iii)' order by units"], capture_output=True, text=True)
    assert r.stdout.split() == ["326", "422"]


def test_as_of_export(tmp_path):
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(export("csv", tmp_path / "june.csv", "--as-of", "2024-06-01"), dtype=str, keep_default_na=False)
    assert "介護職員等処遇改善加算" in set(df["item"]) and not (df["effective_to"] == "2024-05-31").any()


def test_an_interrupted_build_leaves_the_previous_dataset(tmp_path, monkeypatch, items):
    out = tmp_path / "normalized"
    shutil.copytree(NORMALIZED, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(dataset, "unit_prices_csv", boom)
    from extractor.check import Report

    with pytest.raises(KeyboardInterrupt):
        dataset.write(out, items, Report(), None)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["normalized"], "no temporary folder left behind"


def test_periods_come_from_evidence_and_say_which(items):
    by = lambda **k: [it for it in items if all(getattr(it, a) == v for a, v in k.items())]  # noqa: E731
    stale = by(service="訪問看護", item="訪問看護費", time_band="20分未満", units=313)[0]
    assert (str(stale.effective_from), str(stale.effective_to), stale.period_source) == ("2021-04-01", "2024-05-31", "older-reference")
    kyotaku = by(service="居宅介護支援", item="居宅介護支援費(Ⅰ)(ii)", care_levels=["要介護1", "要介護2"])[0]
    assert (str(kyotaku.effective_from), kyotaku.period_source) == ("2024-04-01", "reference")  # 令和6年度 code table
    bcp = by(service="居宅介護支援", item="業務継続計画未策定減算")
    assert bcp and all(str(it.effective_from) == "2025-04-01" and it.period_source == "printed" for it in bcp)
    assert all(it.effective_from is None for it in items if it.period_source == "unknown"), "no guessed dates"


def test_undated_values_take_the_revision_their_document_shows(items):
    """A document is current on the latest date it shows (printed dates, rows the official
    table confirms, items a revision introduced). Its undated, undisputed values are that
    revision's: seed 002 prints '令和6年6月改定', so its 老健 additions are 令和6年度 values
    from 2024-04-01; seed 004 lists 福祉・介護職員等処遇改善加算, introduced 2024-06-01, so its
    障害 rows are 令和6年度 values from 2024-04-01 and the 処遇改善 rates from 2024-06-01. A
    disputed value is never dated this way."""
    def only(doc, **kw):
        return [it for it in items if {s.doc[:3] for s in it.sources} == {doc}
                and all(getattr(it, k) == v for k, v in kw.items())]

    roken = only("002", item="サービス提供体制強化加算(Ⅰ)")
    assert [(it.period_source, str(it.effective_from), it.effective_to) for it in roken] == [("document", "2024-04-01", None)]
    kyotaku = only("004", service="居宅介護", status="agreed")
    assert kyotaku and {(it.period_source, str(it.effective_from)) for it in kyotaku} == {("document", "2024-04-01")}
    rates = [it for it in items if it.item.startswith("福祉・介護職員等処遇改善加算") and it.status == "agreed"]
    assert rates and {(it.period_source, str(it.effective_from)) for it in rates} == {("document", "2024-06-01")}
    assert all(it.period_source != "document" for it in items if it.status == "disputed")
