"""One document's plan: its axes (drawn from a seeded RNG), its pages of blocks and tables,
and the rows a careful reader sees in it (the expectations). A plan is pure data; ``text``
and ``pdf`` render it.
"""

from __future__ import annotations

import random

from . import money, words
from . import plant as planting
from .axes import (AMOUNT_SETS, AXES, AXIS_VALUES, KIND_WEIGHT, OFFICE_AXES, OFFICE_KINDS,  # noqa: F401
                   WORDING_AXES, choose_axes)
from .model import Plan, Table  # noqa: F401
from .pages import _layout
from .tables import _Builder, _width
from .units import SERVICES


def price_lines(b: _Builder, grade: str) -> tuple[str | None, str | None]:
    """(line above the table, footnote under it) for the price_form axis."""
    form, rng = b.a["price_form"], b.rng
    p = b.price
    shown = f"{p.normalize():f}" if rng.random() < 0.3 else f"{p:.2f}"
    if form == "stated":
        return _width(rng.choice(words.PRICE_STATED).format(p=shown), b.full), None
    if form == "grade":
        return rng.choice(words.PRICE_GRADE).format(g=grade), None
    if form == "footnote":
        return None, _width(rng.choice(words.PRICE_FOOT).format(p=shown), b.full)
    return None, None


def make_plan(seed: int, index: int, kinds: list[str], plant: float | None = None) -> Plan:
    """The plan of document ``index`` of a corpus. ``plant``: the fraction of documents that
    get one planted inconsistency (plant.py); it draws from its own RNG, so every document
    without one, and every document when ``plant`` is None, is the plan it always was."""
    plan, b = _build(seed, index, kinds)
    if plant is None or plan.axes.get("error") == "one":
        return plan
    prng = random.Random(f"tariff-plant:{seed}:{index}")
    if prng.random() >= plant:
        return plan
    spec = planting.choose(prng, b)
    if spec is None:
        return plan
    plan, _ = _build(seed, index, kinds, spec)
    plan.planted = spec.record()
    return plan


def _build(seed: int, index: int, kinds: list[str], plant=None) -> tuple[Plan, _Builder]:
    rng = random.Random(f"tariff-corpus:{seed}:{index}")
    axes = choose_axes(rng, kinds, index)
    svc = rng.choice(SERVICES[axes["service"]])
    price = money.price_of(svc.klass, axes["grade"])
    b = _Builder(rng, axes, svc, price)
    b.plant = plant
    shape = axes.get("shape", "long")
    base = (b.base_wide() if shape == "wide" else b.base_levels_rows(shape == "stacked") if shape in ("wide_t", "stacked")
            else b.base_long())
    tables = [base]
    if axes["adds"] == "rows":
        b.add_rows(base)
    elif axes["adds"] == "table":
        tables.append(b.adds_table())
    if axes.get("rate_row") == "yes" and axes["adds"] == "none":
        r = rng.choice(svc.rates)
        b.table_no = None  # a note under the tables
        b.expect_rate(r.item, r.rate)
        rate_note = f"※{r.item}：{b.rate_text(r.rate)}を加算します。"
    else:
        rate_note = None
    above, foot = price_lines(b, axes["grade"])
    knowable = axes["price_form"] != "none" or axes["amounts"] != "units_only"
    pages = _layout(rng, axes, svc, tables, above, foot, rate_note)
    name = f"c{index:04d}_{axes['service']}"
    return Plan(name, axes, svc, price, knowable, pages, b.expected, b.errors,
                landscape=axes["carrier"] in ("landscape", "side_by_side")), b
