"""New members of the seeds' families (tests/variants/, see its README): each goes to its
family, its rows are read, and its deliberately wrong amount, and only that, is an error at
its line. ``hand`` is the number of rows read by hand; where the tool reads a different
number today the gap is listed, so a change in either direction is seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.check import check
from extractor.pipeline import extract
from extractor.reference import builtin_reference


VARIANTS = Path(__file__).resolve().parent / "variants"

# file: (family, rows by hand, rows read today, the errors (code, line) the planted amounts give)
CASES = {
    "k01_leaflet_1kyu_r7_fullwidth.txt": ("fee-leaflet", 21, 21, [("amount-mismatch", 48)]),  # 2,228 for 2,280
    "k02_leaflet_6kyu_tilde_hankaku.txt": ("fee-leaflet", 20, 20, [("amount-mismatch", 112)]),  # tier 7,161 for 7,116
    "k04_schedule_7kyu_yen_column_tilde.md": ("tabbed-schedule", 24, 23, [("amount-mismatch", 32)]),  # 9,198 for 9,189
    "k06_schedule_side_by_side.md": ("tabbed-schedule", 22, 22, []),  # (Ⅰ) and (Ⅱ) units side by side
    "r3_tokuyo_short_3kyu_1wari.txt": ("scrambled-leaflet", 32, 32, []),
    "r6_roken_7kyu_1wari2wari.txt": ("scrambled-leaflet", 24, 24, []),  # 1割 and 2割 on one sheet
    "r4_roken_5kyu_3wari_units.txt": ("scrambled-leaflet", 23, 23, [("amount-mismatch", 8), ("amount-mismatch", 32)]),
    # from a second round of helpers, after the first round's fixes
    "r7_tanki_ryoyo_yoshien.txt": ("scrambled-leaflet", 51, 51, [("amount-mismatch", 20)]),  # 1,114 for 1,115
    "r8_tanki_seikatsu_3shares.txt": ("scrambled-leaflet", 66, 66, [("amount-mismatch", 15)]),  # 3割 2,618 for 2,681
    # an addition's own yen table (移動介護加算単位数); one wrong 10割, whose split is right for the true total
    "07_jyudo_7kyu_idou_table.txt": ("yen-split-table", 26, 26, [("amount-mismatch", 10)]),  # 5,692 for 5,629
    # unit blocks each headed by their sub-service ('家事援助' / '利用料'); unit line 89 prints 578 for 587
    "08_kyotaku_3kyu_block_headings.txt": ("yen-split-table", 30, 30, [("amount-mismatch", 21)]),
    # 2割, units in every label; 48 tariff rows and 15 食費/居住費 rows (実費: kind other); 912 for 913
    "r9_roken_2wari_shokuhi.txt": ("scrambled-leaflet", 63, 63, [("amount-mismatch", 41)]),
    "01_kyotaku_5kyu_seedlayout_wrong.txt": ("yen-split-table", 29, 29, [("amount-mismatch", 16)]),  # 2,553 for 2,533
    "02_doko_2kyu_en_decimalhours.txt": ("yen-split-table", 11, 11, []),
    "03_kodo_6kyu_fullwidth.txt": ("yen-split-table", 21, 21, []),
    "04_kyotaku_jyudo_4kyu_shogairule_tiers.txt": ("yen-split-table", 53, 53, [("split-mismatch", 47)]),  # 1割 495 for 494
    "05_kyotaku_7kyu_gradeonly_joukou.txt": ("yen-split-table", 28, 28, [("split-mismatch", 8)]),  # 9割 5,378 for 5,377
    "06_jyudo_1kyu_tabs_idou_floattrap.txt": ("yen-split-table", 23, 23, [("amount-mismatch", 14)]),  # 951 for 952
    "d1_tsusho_r6.txt": ("sankou-grid", 75, 75, [("reference-mismatch", 29)]),  # 906 for 900
    "d4_kyotaku_r6_split.txt": ("sankou-grid", 46, 51, [("reference-mismatch", 17)]),  # 693 for 683
    "d5_tankiseikatsu_r6.txt": ("sankou-grid", 69, 69, []),
}


def test_every_variant_has_a_case():
    assert sorted(p.name for p in VARIANTS.iterdir() if p.name != "README.md") == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_variant_is_read_and_its_wrong_amount_found(name):
    family, hand, read, errors = CASES[name]
    refs = [builtin_reference()]  # what `tariff check` holds units to with no flags
    res = extract(VARIANTS / name)
    assert res.recognizer == family
    assert len(res.rows) == read, f"{name}: {len(res.rows)} rows read (by hand {hand}, before {read})"
    found = sorted((f.code, f.line) for f in check([res], refs).documents[0].findings if f.severity == "error")
    assert found == sorted(errors)
    assert not [f for f in res.findings if f.code == "lost-amount"], "every amount of these tables is placed"


def test_a_sheet_for_two_shares_reads_both():
    """'（1割負担・2割負担）': grid rows labelled 1割 / 2割, and additions printing both
    ('1日 25円 49円')."""
    res = extract(VARIANTS / "r6_roken_7kyu_1wari2wari.txt")
    grid = {(r.item, r.care_levels[0], k): v for r in res.rows if r.kind == "base" for k, v in r.amounts.items()}
    assert grid[("多床室", "要介護1", "copay1")] == 805 and grid[("多床室", "要介護1", "copay2")] == 1609
    adds = {r.item: r.amounts for r in res.rows if r.kind == "addition" and r.amounts}
    assert adds["夜勤職員配置加算"] == {"copay1": 25, "copay2": 49}
    assert not [f for f in res.findings if f.code == "lost-amount"]


def test_fees_side_by_side_are_one_row_each():
    """'…\t居宅介護支援費(Ⅰ)\t居宅介護支援費(Ⅱ)' over '要介護 1・2\t544 単位\t527 単位': 544 is
    (Ⅰ)(ii) with its own band (45以上60未満), 527 is (Ⅱ)(ii) (50以上60未満の部分)."""
    res = extract(VARIANTS / "k06_schedule_side_by_side.md")
    ii = [(r.item, r.units, r.conditions) for r in res.rows if r.line == 9]
    assert ii == [("居宅介護支援費(Ⅰ)(ii)", 544, ["45以上60未満"]), ("居宅介護支援費(Ⅱ)(ii)", 527, ["50以上60未満の部分"])]


def test_a_band_run_named_as_an_addition_is_an_addition():
    """The runs of bands under '移動介護加算' in the name list are additions, not base fees."""
    res = extract(VARIANTS / "06_jyudo_1kyu_tabs_idou_floattrap.txt")
    kinds = {r.kind for r in res.rows if r.item == "移動介護加算"}
    assert kinds == {"addition"} and len([r for r in res.rows if r.item == "移動介護加算"]) == 6


def test_an_additions_own_yen_table_prices_that_addition():
    """'移動介護加算単位数 地域区分 10.18' over its own yen rows: the bands paired with them are
    移動介護加算, an addition, not the service's base fee (no false duplicate-item-units)."""
    res = extract(VARIANTS / "07_jyudo_7kyu_idou_table.txt")
    idou = [r for r in res.rows if r.item == "移動介護加算"]
    assert len(idou) == 6 and {r.kind for r in idou} == {"addition"} and all(r.amounts for r in idou)


def test_unit_blocks_headed_by_their_sub_service():
    """'家事援助' over '利用料' over its bands names those bands (a two-line name
    '通院等介助' / '（身体介護を伴わない）' too): no sub-service collapses into 居宅介護, and no
    false duplicate-item-units."""
    from collections import Counter

    res = extract(VARIANTS / "08_kyotaku_3kyu_block_headings.txt")
    items = Counter(r.item for r in res.rows if r.time_band)
    assert items == {"身体介護": 7, "通院等介助(身体介護を伴う)": 7, "家事援助": 6, "通院等介助(身体介護を伴わない)": 4}
    assert not [f for f in check([res], []).documents[0].findings if f.code == "duplicate-item-units"]


def test_own_costs_are_kept_apart_from_the_tariff():
    """食費 and 居住費 rows laid out like the care grid are 実費 (kind other), not base fees; an
    addition's units between its name and its description do not join them."""
    res = extract(VARIANTS / "r9_roken_2wari_shokuhi.txt")
    assert {r.kind for r in res.rows if r.item.startswith(("食費", "居住費"))} == {"other"}
    assert [r.item for r in res.rows if r.item.startswith("療養食")] == ["療養食加算"]
