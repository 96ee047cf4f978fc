"""A month's charges from the canonical dataset (never from a PDF).

The rules, from DOMAIN.md, in the order they run:
1. each line's units: the dataset item's units (or the plan's raw units), then the line's
   modifiers in the order given, rounding half-up after each percentage step
   (extractor.modifiers), times the line's count;
2. per service, the month's units: lines inside the 区分支給限度基準額 and lines outside
   it (``"limit": "outside"``: 特別地域, 中山間, …) are summed apart;
3. 処遇改善 last, per service: half-up(rate × the month's units of that service);
4. 介護: units inside the limit above the care level's 区分支給限度基準額 are over the
   limit, taken from the services the plan lists last (the plan's order is the care
   manager's choice), together with their share of 処遇改善; the user pays them in full.
   Care planning (居宅介護支援, 介護予防支援) is not counted against the limit;
5. yen truncated once per service: floor(units × 単価);
6. who pays: 介護 benefit = floor(insured yen × 給付率) per service (0.9/0.8/0.7 for
   1/2/3割; 居宅介護支援 and 介護予防支援 10割); 障害 copay = min(floor(total × 10%),
   負担上限月額), benefit = total − copay.
Exact: units are int, prices and rates Decimal, every rounding is named.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, model_validator

from . import modifiers as mods
from .prices import floor_yen, price_table
from .reconcile import split
from .terms import band_minutes


class PlanLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str | None = None  # a dataset item id
    service: str | None = None
    units: int | None = None
    count: int = Field(1, ge=0)
    minutes: int | None = Field(None, ge=0)  # a visit's length, for a dataset item with a time band
    # in order; a list is one step taken from the same units (see modifiers.apply_all)
    modifiers: list[str | list[str]] = Field(default_factory=list)
    limit: Literal["inside", "outside"] = "inside"

    @model_validator(mode="after")
    def _one_source(self):
        if (self.item is None) == (self.units is None):
            raise ValueError("a line names either a dataset item or raw units, not both or neither")
        if self.units is not None and not self.service:
            raise ValueError("a line with raw units names its service")
        if self.minutes is not None and self.item is None:
            raise ValueError("minutes apply to a dataset item with a time band; for raw units give the units")
        for m in self.modifiers:
            for x in (m if isinstance(m, list) else [m]):
                mods.parse(x)
        return self


class ServiceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    treatment_improvement: Decimal | None = None  # 処遇改善 rate, e.g. "0.245"
    unit_price: Decimal | None = None  # this service's 単価, when its class differs


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scheme: Literal["kaigo", "shogai"]
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    unit_price: Decimal | None = None
    grade: str | None = None
    class_: str | None = Field(None, alias="class")
    care_level: str | None = None
    copay_share: Literal[1, 2, 3] = 1
    copay_cap: int | None = Field(None, ge=0)
    # 障害 only: "official" copay = floor(total × 10%); "kaigo-style" benefit = floor(total × 90%),
    # copay = total − benefit, the split many leaflets print (one yen apart at times)
    copay_convention: Literal["official", "kaigo-style"] = "official"
    lines: list[PlanLine]
    services: dict[str, ServiceSettings] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _price(self):
        if self.unit_price is None and not (self.grade and self.class_):
            if not all(s.unit_price for s in self.services.values()) or not self.services:
                raise ValueError('give "unit_price", or "grade" with "class" (e.g. "3級地", "70%")')
        return self

    @property
    def first_day(self) -> date:
        y, m = self.month.split("-")
        return date(int(y), int(m), 1)


class LineResult(BaseModel):
    item: str | None
    name: str
    service: str
    units_each: int
    count: int
    units: int
    limit: str
    modifiers: list[str | list[str]]


class ServiceResult(BaseModel):
    service: str
    units: int  # inside the limit, after modifiers
    outside_limit_units: int
    treatment_improvement_rate: Decimal | None
    treatment_improvement_units: int
    total_units: int
    over_limit_units: int  # inside units (and their 処遇改善 share) the user pays in full
    unit_price: Decimal
    total: int  # yen, floor(total_units × unit_price)
    insured: int  # yen the insurance rules apply to
    benefit: int
    copay: int

    @field_serializer("unit_price", "treatment_improvement_rate")
    def _dec(self, v):
        return None if v is None else str(v)


class Charges(BaseModel):
    scheme: str
    month: str
    care_level: str | None
    copay_share: int
    copay_cap: int | None
    limit_units: int | None
    lines: list[LineResult]
    services: list[ServiceResult]
    total_units: int
    over_limit_units: int
    total: int
    benefit: int
    copay: int


@lru_cache(maxsize=1)
def _benefits() -> dict:
    return json.loads(resources.files("extractor.data").joinpath("benefits.json").read_text("utf-8"))


class PlanError(ValueError):
    """The plan cannot be computed (an unknown item, no price, …): one clear sentence."""


def _price(plan: Plan, service: str) -> Decimal:
    own = plan.services.get(service)
    if own and own.unit_price is not None:
        return own.unit_price
    if plan.unit_price is not None:
        return plan.unit_price
    for e in price_table():
        if e.scheme == plan.scheme and e.grade == plan.grade and e.klass == plan.class_:
            return e.price
    raise PlanError(f"no 単価 for {plan.scheme} {plan.grade} {plan.class_}: check the grade and class, or give unit_price")


def _stepped(it, minutes: int) -> tuple[int, int]:
    """Units of a visit of ``minutes`` for a time-banded item, and the steps added:
    '567単位に30分を増すごとに+82単位' on '1時間以上' gives 649 for 90–119 minutes."""
    band = band_minutes(it.time_band or "")
    if band is None:
        raise PlanError(f"item {it.id} ({it.item}) has no time band; drop \"minutes\"")
    lower, upper = band
    if minutes < lower or (upper is not None and minutes >= upper):
        raise PlanError(f"{minutes} minutes is outside item {it.id}'s band {it.time_band}; choose the item whose band holds it")
    if it.step is None:
        return it.units, 0
    steps = (minutes - lower) // it.step.minutes
    return it.units + steps * it.step.units, steps


def calculate(plan: Plan, items: list) -> Charges:
    """The month's charges for ``plan`` with the dataset ``items`` (dataset.load)."""
    by_id = {it.id: it for it in items}
    day = plan.first_day
    lines: list[LineResult] = []
    for ln in plan.lines:
        if ln.item is not None:
            it = by_id.get(ln.item)
            if it is None:
                raise PlanError(f"item {ln.item} is not in the dataset: look it up in normalized/items.jsonl")
            if it.units is None:
                raise PlanError(f"item {ln.item} ({it.item}) has no units in the dataset (it is priced as "
                                f"{'a rate' if it.rate is not None else 'yen only'}); give it as raw units")
            if not ((it.effective_from or date.min) <= day <= (it.effective_to or date.max)):
                raise PlanError(f"item {ln.item} ({it.item}) is not in force in {plan.month} "
                                f"({it.effective_from} – {it.effective_to})")
            name = " ".join(x for x in (it.item, it.time_band, "・".join(it.care_levels)) if x)
            service, base = ln.service or it.service or "(unknown service)", it.units
            if ln.minutes is not None:
                base, steps = _stepped(it, ln.minutes)
                name += f" {ln.minutes}分" + (f" (+{it.step.units}単位 × {steps})" if steps else "")
        else:
            service, name, base = ln.service, f"{ln.units}単位", ln.units
        each = mods.apply_all(base, ln.modifiers)
        lines.append(LineResult(item=ln.item, name=name, service=service, units_each=each, count=ln.count,
                                units=each * ln.count, limit=ln.limit, modifiers=ln.modifiers))

    order = list(dict.fromkeys(l.service for l in lines))
    inside = {s: sum(l.units for l in lines if l.service == s and l.limit == "inside") for s in order}
    outside = {s: sum(l.units for l in lines if l.service == s and l.limit == "outside") for s in order}

    limit = None
    over = {s: 0 for s in order}
    if plan.scheme == "kaigo" and plan.care_level:
        lim = _benefits()["kaigo"]["limits"]
        limit = lim["units"].get(plan.care_level)
        if limit is None:
            raise PlanError(f"care level '{plan.care_level}' is not one of {', '.join(lim['units'])}")
        planning = set(_benefits()["kaigo"]["no_copay_services"])  # care planning is outside the limit
        excess = max(0, sum(v for s, v in inside.items() if s not in planning) - limit)
        for s in (s for s in reversed(order) if s not in planning):  # the services listed last go over first
            take = min(excess, inside[s])
            over[s], excess = take, excess - take

    rules = _benefits()
    services, total_units = [], 0
    for s in order:
        settings = plan.services.get(s)
        rate = settings.treatment_improvement if settings else None
        month_units = inside[s] + outside[s]
        ti = mods.half_up(month_units * rate) if rate is not None else 0
        over_ti = mods.half_up(over[s] * rate) if rate is not None else 0
        units = month_units + ti
        price = _price(plan, s)
        total = floor_yen(units, price)
        insured = floor_yen(units - over[s] - over_ti, price)
        if plan.scheme == "kaigo":
            convention = "full" if s in rules["kaigo"]["no_copay_services"] else "kaigo"
            benefit, _ = split(insured, convention, plan.copay_share)
        else:
            benefit = insured  # 障害: the copay is taken from the month's total below
        services.append(ServiceResult(service=s, units=inside[s], outside_limit_units=outside[s],
                                      treatment_improvement_rate=rate, treatment_improvement_units=ti,
                                      total_units=units, over_limit_units=over[s] + over_ti, unit_price=price,
                                      total=total, insured=insured, benefit=benefit, copay=total - benefit))
        total_units += units
    total = sum(x.total for x in services)
    if plan.scheme == "shogai":
        _, copay = split(total, "shogai" if plan.copay_convention == "official" else "kaigo")
        if plan.copay_cap is not None:
            copay = min(copay, plan.copay_cap)
        benefit = total - copay
    else:
        benefit = sum(x.benefit for x in services)
        copay = total - benefit
    return Charges(scheme=plan.scheme, month=plan.month, care_level=plan.care_level, copay_share=plan.copay_share,
                   copay_cap=plan.copay_cap, limit_units=limit, lines=lines, services=services, total_units=total_units,
                   over_limit_units=sum(x.over_limit_units for x in services), total=total, benefit=benefit,
                   copay=copay)


def render_text(c: Charges) -> str:
    """A breakdown a care manager can read aloud."""
    out = [f"{c.month}  {'介護保険' if c.scheme == 'kaigo' else '障害福祉'}"
           + (f"  {c.care_level} (区分支給限度基準額 {c.limit_units:,}単位)" if c.limit_units else "")
           + (f"  {c.copay_share}割負担" if c.scheme == "kaigo" else "")]
    for s in c.services:
        out.append(f"\n{s.service}  (1単位 {s.unit_price}円)")
        for ln in (x for x in c.lines if x.service == s.service):
            shown = [m if isinstance(m, str) else "(" + " ".join(m) + ")" for m in ln.modifiers]
            steps = f" [{' '.join(shown)}]" if shown else ""
            where = "  (限度額管理対象外)" if ln.limit == "outside" else ""
            out.append(f"  {ln.name}{steps}: {ln.units_each:,}単位 × {ln.count} = {ln.units:,}単位{where}")
        if s.treatment_improvement_units:
            out.append(f"  処遇改善 {s.treatment_improvement_rate} × {s.units + s.outside_limit_units:,}単位 "
                       f"= {s.treatment_improvement_units:,}単位 (四捨五入)")
        out.append(f"  計 {s.total_units:,}単位 × {s.unit_price}円 = {s.total:,}円 (1円未満切り捨て)")
        if s.over_limit_units:
            out.append(f"  うち限度額超過 {s.over_limit_units:,}単位: 全額自己負担")
    if c.scheme == "shogai":
        _, ten = split(c.total, "shogai")
        out.append(f"\n利用者負担 = min(1割 {ten:,}円, 負担上限月額"
                   f" {'なし' if c.copay_cap is None else f'{c.copay_cap:,}円'})")
    out.append(f"\n費用総額 {c.total:,}円  保険給付 {c.benefit:,}円  利用者負担 {c.copay:,}円")
    return "\n".join(out) + "\n"
