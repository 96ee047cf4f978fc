"""The calculator: modifiers, the README's worked examples (each number worked out by
hand below, not by the calculator), properties, and the CLI's handling of bad plans."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import dataset
from extractor.calculator import Plan, PlanError, calculate, render_text
from extractor.modifiers import apply_all, parse

from .conftest import ROOT

PLANS = ROOT / "docs" / "plans"
ITEMS = dataset.load(ROOT / "normalized")


def floor(x) -> int:
    return int(Decimal(x).to_integral_value(rounding=ROUND_FLOOR))


def half_up(x) -> int:
    return int(Decimal(x).to_integral_value(rounding=ROUND_HALF_UP))


def run(name: str):
    return calculate(Plan.model_validate(json.loads((PLANS / name).read_text("utf-8"))), ITEMS)


# -- modifiers ----------------------------------------------------------------------------

@pytest.mark.parametrize("units, steps, want", [
    (244, ["+25/100", "+10/100"], 336),  # DOMAIN: 305, then 335.5 → 336
    (163, ["+25/100"], 204),  # 身体介護01・夜 in the official table
    (163, ["+50/100"], 245),  # ・深
    (163, ["×200/100"], 326),  # ・２人
    (163, ["-1/100"], 161),  # 161.37
    (1000, ["×95%"], 950),
    (1000, ["x90/100"], 900),
    (567, ["+82単位", "+82単位"], 731),
    (100, ["－６０単位"], 40),  # full-width, as printed
    (5, ["+10/100"], 6),  # 5.5 rounds half up
    (15, ["-10/100"], 14),  # 13.5 rounds half up
])
def test_modifiers(units, steps, want):
    assert apply_all(units, steps) == want


def test_order_matters_because_each_step_rounds():
    # 25 × 1.1 = 27.5 → 28, × 1.5 = 42; the other way 25 × 1.5 = 37.5 → 38, × 1.1 = 41.8 → 42;
    # 15 × 1.1 = 16.5 → 17, × 1.5 = 25.5 → 26; the other way 22.5 → 23, 25.3 → 25
    assert apply_all(15, ["+10/100", "+50/100"]) == 26
    assert apply_all(15, ["+50/100", "+10/100"]) == 25


@pytest.mark.parametrize("bad", ["25/100", "+25", "×574単位", "+1.5単位", "+1/0", "half"])
def test_bad_modifiers_are_refused(bad):
    with pytest.raises(ValueError):
        parse(bad)


# -- the README's worked examples ---------------------------------------------------------

def test_example_treatment_improvement():
    """要介護2, 1割, 3級地 訪問介護 (11.05): dataset items 身体介護 20–30分 (244) × 12 and
    生活援助 20–45分 (179) × 8, 処遇改善Ⅰ 24.5 %."""
    units = 244 * 12 + 179 * 8
    assert units == 4360
    ti = half_up(Decimal(4360) * Decimal("0.245"))  # 1,068.2
    assert ti == 1068
    total = floor((units + ti) * Decimal("11.05"))  # 5,428 × 11.05 = 59,979.4
    benefit = floor(total * Decimal("0.9"))  # 53,981.1
    c = run("1_treatment_improvement.json")
    assert (c.total_units, c.services[0].treatment_improvement_units) == (5428, 1068)
    assert (c.total, c.benefit, c.copay) == (total, benefit, total - benefit) == (59979, 53981, 5998)


def test_example_over_the_limit_2wari():
    """要介護1 (limit 16,765), 2割: 訪問介護 with 処遇改善 and an addition outside the limit,
    plus 居宅介護支援, which is neither limited nor co-paid."""
    a = half_up(half_up(Decimal(244) * Decimal("1.25")) * Decimal("1.10")) * 8  # 305 → 335.5 → 336; × 8
    b = 387 * 40
    outside = half_up(Decimal(100) * Decimal("1.15")) * 4
    assert (a, b, outside) == (2688, 15480, 460)
    ti = half_up((a + b + outside) * Decimal("0.245"))  # 18,628 × 0.245 = 4,563.86
    over = a + b - 16765  # 1,403 units inside the limit are over it
    over_ti = half_up(over * Decimal("0.245"))  # 343.735 → 344
    houmon_total = floor((a + b + outside + ti) * Decimal("11.05"))  # 23,192 × 11.05
    insured = floor((a + b + outside + ti - over - over_ti) * Decimal("11.05"))  # 21,445 × 11.05
    kyotaku = floor(1086 * Decimal("11.05"))  # 12,000.3
    total = houmon_total + kyotaku
    benefit = floor(insured * Decimal("0.8")) + kyotaku
    c = run("2_over_limit_2wari.json")
    assert c.over_limit_units == over + over_ti == 1747
    assert c.services[0].insured == insured == 236967
    assert (c.total, c.benefit, c.copay) == (total, benefit, total - benefit) == (268271, 201573, 66698)
    assert c.services[1].copay == 0


def test_example_3wari():
    """要介護3, 3割, 1級地 (11.40): 387 units × 10 with 業務継続計画未策定減算 (-1/100)."""
    each = half_up(Decimal(387) * Decimal("0.99"))  # 383.13
    total = floor(each * 10 * Decimal("11.40"))
    benefit = floor(total * Decimal("0.7"))
    c = run("3_sanwari.json")
    assert (c.total, c.benefit, c.copay) == (total, benefit, total - benefit) == (43662, 30563, 13099)


def test_example_shogai_with_cap():
    """障害 居宅介護 at 11.2, 256 units × 40, 処遇改善Ⅰ 41.7 %, 負担上限月額 9,300."""
    units = 256 * 40
    ti = half_up(units * Decimal("0.417"))  # 4,270.08
    total = floor((units + ti) * Decimal("11.2"))
    copay = min(floor(total * Decimal("0.1")), 9300)  # 16,251 → capped
    c = run("4_shogai_cap.json")
    assert (c.total, c.benefit, c.copay) == (total, total - copay, copay) == (162512, 153212, 9300)


def test_example_month_modifiers():
    """要介護3, 1割, 1級地 (11.40). Dataset items: 身体介護 20–30分 (244) with 特定事業所加算(Ⅱ)
    × 20, and with 夜間 and 特定Ⅱ × 4 (the plan lists them the other way round: 注 order puts
    夜間, column 5, before 特定事業所加算, column 6). The month: 同一建物減算 ×90/100 (kept apart
    from the limit), then the dataset's 特別地域訪問介護加算 +15/100 (outside it), then 処遇改善."""
    day = half_up(Decimal(244) * Decimal("1.10"))  # 268.4
    night = half_up(half_up(Decimal(244) * Decimal("1.25")) * Decimal("1.10"))  # 305 → 335.5
    assert (day, night) == (268, 336)
    assert half_up(half_up(Decimal(244) * Decimal("1.10")) * Decimal("1.25")) == 335  # the order given would be wrong
    lines = day * 20 + night * 4  # 6,704
    after_building = half_up(lines * Decimal("0.9"))  # 6,033.6
    after_special = half_up(after_building * Decimal("1.15"))  # 6,938.9 + … = 6,939.1
    ti = half_up(after_special * Decimal("0.245"))  # 1,700.055
    total = floor((after_special + ti) * Decimal("11.40"))  # 8,639 × 11.40 = 98,484.6
    benefit = floor(total * Decimal("0.9"))
    c = run("5_month_modifiers.json")
    assert [l.units_each for l in c.lines] == [268, 336]
    s = c.services[0]
    assert [(m.on, m.units, m.limit) for m in s.month_modifiers] == [
        (lines, after_building - lines, "outside"), (after_building, after_special - after_building, "outside")]
    assert (s.units, s.outside_limit_units) == (lines, after_special - lines) == (6704, 235)
    assert (s.treatment_improvement_units, s.total_units) == (ti, after_special + ti) == (1700, 8639)
    assert (c.total, c.benefit, c.copay) == (total, benefit, total - benefit) == (98484, 88635, 9849)


def test_a_reduction_kept_apart_still_counts_against_the_limit():
    """同一建物: the limit counts the units before the reduction. 要介護1 (16,765), 387 × 50 =
    19,350 units, ×90/100 on the month: 17,415 are billed, 2,585 are over the limit."""
    plan = Plan.model_validate({
        "scheme": "kaigo", "month": "2024-07", "unit_price": "10", "care_level": "要介護1",
        "lines": [{"service": "訪問介護", "units": 387, "count": 50}],
        "services": {"訪問介護": {"modifiers": [{"modifier": "×90/100", "limit": "outside"}]}}})
    c = calculate(plan, [])
    s = c.services[0]
    assert (s.units, s.outside_limit_units, s.total_units) == (19350, -1935, 17415)
    assert s.over_limit_units == 19350 - 16765 == 2585
    assert s.insured == (17415 - 2585) * 10
    assert (c.benefit, c.copay) == (floor(148300 * Decimal("0.9")), 174150 - 133470)
    # kept inside, the reduction would make room under the limit
    inside = Plan.model_validate({**plan.model_dump(by_alias=True, exclude_none=True),
                                  "services": {"訪問介護": {"modifiers": ["×90/100"]}}})
    assert calculate(inside, []).services[0].over_limit_units == 17415 - 16765


def test_dataset_modifiers_are_checked():
    base = {"scheme": "kaigo", "month": "2024-07", "unit_price": "10"}
    special = "6ae121e1f7ac6a4e"  # 特別地域訪問介護加算: worked out on the month, outside the limit
    with pytest.raises(PlanError, match="services.訪問介護.modifiers"):
        calculate(Plan.model_validate({**base, "lines": [{"service": "訪問介護", "units": 244, "modifiers": [special]}]}), ITEMS)
    with pytest.raises(PlanError, match="not of 訪問看護"):
        calculate(Plan.model_validate({**base, "lines": [{"service": "訪問看護", "units": 300, "modifiers": ["e09519f5925b58eb"]}]}), ITEMS)
    with pytest.raises(PlanError, match="not in the dataset"):
        calculate(Plan.model_validate({**base, "lines": [{"service": "訪問介護", "units": 1, "modifiers": ["0123456789abcdef"]}]}), ITEMS)
    with pytest.raises(ValueError, match="dataset item id"):
        Plan.model_validate({**base, "lines": [{"service": "訪問介護", "units": 1, "modifiers": ["夜間"]}]})


def test_month_items_are_applied_in_note_order():
    """Listed 特別地域 (column 9) first and 同一建物 (column 8) second, the dataset's items are
    applied 同一建物 first: 1,000 × 85/100 = 850, then 850 × 15/100 = 127.5 → 128."""
    plan = Plan.model_validate({"scheme": "kaigo", "month": "2024-07", "unit_price": "10", "care_level": "要介護1",
                                "lines": [{"service": "訪問介護", "units": 1000}],
                                "services": {"訪問介護": {"modifiers": ["6ae121e1f7ac6a4e", "6615d0796591f5d1"]}}})
    s = calculate(plan, ITEMS).services[0]
    assert [(m.modifier, m.on, m.units, m.limit) for m in s.month_modifiers] == [
        ("×85/100", 1000, -150, "outside"), ("+15/100", 850, 128, "outside")]
    assert (s.units, s.outside_limit_units, s.total_units) == (1000, -22, 978)


def test_several_treatment_improvement_rates_each_from_the_same_units():
    """Before 2024-06, seed 003's 訪問介護 prints 処遇改善(Ⅰ) 13.7 % and 特定処遇改善(Ⅰ) 6.3 %
    (dataset items); each is taken from the month's units and rounded on its own."""
    plan = Plan.model_validate({"scheme": "kaigo", "month": "2024-05", "unit_price": "10",
                                "lines": [{"service": "訪問介護", "units": 387, "count": 9}],
                                "services": {"訪問介護": {"treatment_improvement": ["c18b8d03ee0d6271", "a05bfdbb0a116456"]}}})
    s = calculate(plan, ITEMS).services[0]
    assert [(x.rate, x.units) for x in s.treatment_improvement] == [
        (Decimal("0.137"), half_up(3483 * Decimal("0.137"))), (Decimal("0.063"), half_up(3483 * Decimal("0.063")))]
    assert s.treatment_improvement_units == 477 + 219 and s.treatment_improvement_rate is None
    june = Plan.model_validate({**plan.model_dump(by_alias=True, exclude_none=True), "month": "2024-06"})
    with pytest.raises(PlanError, match="not in force"):  # the dataset ends them on 2024-05-31
        calculate(june, ITEMS)


def test_readme_shows_each_example_as_computed():
    readme = (ROOT / "README.md").read_text("utf-8")
    for plan in sorted(PLANS.glob("*.json")):
        c = calculate(Plan.model_validate(json.loads(plan.read_text("utf-8"))), ITEMS)
        assert plan.name in readme
        assert render_text(c).strip().splitlines()[-1] in readme, plan.name


# -- properties ---------------------------------------------------------------------------

MODS = st.sampled_from(["+25/100", "+50/100", "×200/100", "-1/100", "+10/100", "+15/100", "×90/100",
                        "+5/100", "-10/100", "+100単位"])
LINE = st.fixed_dictionaries({"service": st.sampled_from(["訪問介護", "訪問看護", "居宅介護支援"]),
                              "units": st.integers(0, 2000), "count": st.integers(0, 31),
                              "modifiers": st.lists(MODS, max_size=3),
                              "limit": st.sampled_from(["inside", "outside"])})
PLAN = st.fixed_dictionaries({
    "scheme": st.sampled_from(["kaigo", "shogai"]), "month": st.just("2024-07"),
    "unit_price": st.sampled_from(["10.00", "10.21", "11.05", "11.12", "11.2", "11.40"]),
    "care_level": st.sampled_from(["要支援1", "要介護1", "要介護3", "要介護5"]),
    "copay_share": st.sampled_from([1, 2, 3]), "copay_cap": st.sampled_from([None, 0, 4600, 9300, 37200]),
    "lines": st.lists(LINE, min_size=1, max_size=6),
    "services": st.sampled_from([
        {}, {"訪問介護": {"treatment_improvement": "0.245"}},
        {"訪問看護": {"treatment_improvement": "0.1"}, "訪問介護": {"treatment_improvement": "0.145"}},
        {"訪問介護": {"treatment_improvement": ["0.137", "0.063"],
                  "modifiers": [{"modifier": "×90/100", "limit": "outside"}, {"modifier": "+15/100", "limit": "outside"}]},
         "訪問看護": {"modifiers": [["-1/100", "×90/100"], "+10/100"]}},
        {"訪問介護": {"modifiers": [{"modifier": "×85/100", "limit": "outside"}, "-1/100"]}}]),
})


@settings(max_examples=300, deadline=None)
@given(PLAN)
def test_benefit_plus_copay_is_total_and_copay_never_negative(raw):
    c = calculate(Plan.model_validate(raw), [])
    assert c.benefit + c.copay == c.total
    assert c.copay >= 0 and c.benefit >= 0
    for s in c.services:
        assert s.benefit + s.copay == s.total and 0 <= s.insured <= s.total
    if raw["scheme"] == "shogai" and raw["copay_cap"] is not None:
        assert c.copay <= raw["copay_cap"]


@settings(max_examples=300, deadline=None)
@given(PLAN, st.integers(0, 5), st.integers(1, 500))
def test_more_units_never_lower_the_total(raw, which, extra):
    base = calculate(Plan.model_validate(raw), [])
    more = json.loads(json.dumps(raw))
    more["lines"][which % len(more["lines"])]["units"] += extra
    bigger = calculate(Plan.model_validate(more), [])
    assert bigger.total >= base.total
    assert bigger.copay >= base.copay or raw["scheme"] == "shogai"  # 障害: the cap


# -- the dataset, and bad plans ---------------------------------------------------------------

def test_items_come_from_the_dataset_only():
    plan = Plan.model_validate({"scheme": "kaigo", "month": "2024-07", "unit_price": "10", "lines": [{"item": "no-such-id"}]})
    with pytest.raises(PlanError, match="not in the dataset"):
        calculate(plan, ITEMS)
    dated = next(it for it in ITEMS if it.units and it.effective_from and it.effective_from.year == 2024)
    old = Plan.model_validate({"scheme": "kaigo", "month": "2021-04", "unit_price": "10", "lines": [{"item": dated.id}]})
    with pytest.raises(PlanError, match="not in force"):
        calculate(old, ITEMS)


@pytest.mark.parametrize("plan, says", [
    ("{", "is not JSON"),
    ('{"scheme": "kaigo", "month": "2024-07", "lines": []}', "unit_price"),
    ('{"scheme": "kaigo", "month": "2024-07", "unit_price": "10", "lines": [{"units": 5}]}', "service"),
    ('{"scheme": "kaigo", "month": "2024-07", "unit_price": "10", "lines": [{"service": "x", "units": 5, "modifiers": ["25%"]}]}', "not a modifier"),
    ('{"scheme": "kaigo", "month": "2024-07", "unit_price": "10", "care_level": "要介護9", "lines": [{"service": "x", "units": 5}]}', "care level"),
    ('{"scheme": "kaigo", "month": "2024-07", "unit_price": "10", "lines": [{"item": "nope"}]}', "not in the dataset"),
    ('{"scheme": "kaigo", "month": "2024-07", "unit_price": "10", "lines": [{"service": "x", "units": 50, "modifiers": ["-60単位"]}]}', "below zero"),
])
def test_bad_plan_is_one_line_exit_2(tmp_path, plan, says):
    f = tmp_path / "plan.json"
    f.write_text(plan, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "extractor", "calc", str(f)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith(f"tariff: {f}: ") and says in r.stderr


def test_cli_json_is_the_api_model():
    r = subprocess.run([sys.executable, "-m", "extractor", "calc", str(PLANS / "2_over_limit_2wari.json"), "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out == json.loads(run("2_over_limit_2wari.json").model_dump_json())
    assert {"lines", "services", "total_units", "over_limit_units", "total", "benefit", "copay"} <= out.keys()


# -- time-stepped items -------------------------------------------------------------------

@pytest.mark.parametrize("band, want", [
    ("1時間30分以上2時間未満", (90, 120)), ("3時間以上", (180, None)), ("20分未満", (0, 20)),
    ("4時間以上8時間未満", (240, 480)), ("身体介護", None),
])
def test_band_minutes(band, want):
    from extractor.terms import band_minutes

    assert band_minutes(band) == want


def test_minutes_add_each_completed_step():
    """訪問介護 身体介護 '1時間以上: 567単位に30分を増すごとに+82単位' (seed 003, from the
    dataset): 60–89 minutes 567, 90–119 649, 120–149 731, as the official codes give."""
    it = next(i for i in ITEMS if i.service == "訪問介護" and i.item == "身体介護" and i.time_band == "1時間以上")
    assert (it.units, it.step.units, it.step.minutes) == (567, 82, 30)

    def units(minutes):
        plan = Plan.model_validate({"scheme": "kaigo", "month": "2024-07", "unit_price": "10",
                                    "lines": [{"item": it.id, "minutes": minutes}]})
        return calculate(plan, ITEMS).lines[0].units_each

    assert [units(m) for m in (60, 89, 90, 119, 120, 150)] == [567, 567, 649, 649, 731, 813]
    with pytest.raises(PlanError, match="outside"):
        units(45)


def test_a_list_step_takes_each_amount_from_the_same_units():
    """訪看Ⅰ２・准・業未 in the official table: 471 − half-up(47.1) − half-up(4.71) = 419;
    one after the other would give 424, then 420."""
    assert apply_all(471, [["×90/100", "-1/100"]]) == 419
    assert apply_all(471, ["×90/100", "-1/100"]) == 420
    assert apply_all(471, [["×90/100", "-1/100"], "+25/100"]) == 524  # 419 × 1.25 = 523.75
