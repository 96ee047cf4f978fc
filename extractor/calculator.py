"""A month's charges from the canonical dataset (never from a PDF).

The rules, from DOMAIN.md, in the order they run:
1. each line's units: the dataset item's units (or the plan's raw units), then the line's
   modifiers, rounding half-up after each percentage step (extractor.modifiers), times the
   line's count. Modifiers are printed forms (×90/100, +25/100, +574単位), applied in the
   order given, or dataset items (a 注 column of the 算定構造), applied in 注 order;
2. per service, the month's units: lines inside the 区分支給限度基準額 and lines outside
   it (``"limit": "outside"``) are summed apart;
3. the service's month modifiers (特別地域, 中山間, 同一建物, 特定事業所集中減算…) on the
   month's units, in 注 order; what a step adds or takes is counted against the limit or
   kept apart from it, as its item says (同一建物: the limit counts the units before it);
4. 処遇改善 last, per service: half-up(rate × the month's units of that service), each rate
   on its own when there are several (before 2024-06);
5. 介護: units inside the limit above the care level's 区分支給限度基準額 are over the
   limit, taken from the services the plan lists last (the plan's order is the care
   manager's choice), together with their share of 処遇改善; the user pays them in full.
   Care planning (居宅介護支援, 介護予防支援) is not counted against the limit;
6. yen truncated once per service: floor(units × 単価);
7. who pays: 介護 benefit = floor(insured yen × 給付率) per service (0.9/0.8/0.7 for
   1/2/3割; 居宅介護支援 and 介護予防支援 10割); 障害 copay = min(floor(total × 10%),
   負担上限月額), benefit = total − copay.
Exact: units are int, prices and rates Decimal, every rounding is named.

Every value is the one in force in the plan's month: each item (named by its dataset id,
its サービスコード or its printed name, extractor.lookup), the 地域単価 of the plan's 級地 and
class, the 区分支給限度基準額, the 負担上限月額 of a 所得区分 and a 処遇改善 tier's rate (the
dataset's calendar.json, extractor.periods). Each line of the result cites the period it
used; a value no period covers is one sentence that names it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator, model_validator

from . import lookup, periods
from . import modifiers as mods
from .prices import floor_yen
from .reconcile import benefits, split
from .revisions import TIERS, Calendar, builtin_calendar
from .terms import band_minutes


class PlanLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str | None = None  # a dataset item id, an official サービスコード ('111111') or the name as printed
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
                _form_or_id(x)
        return self


_ID = re.compile(r"^[0-9a-f]{16}$")


def _form_or_id(text: str) -> None:
    """A modifier as a plan writes it: a printed form, or a dataset item id."""
    if _ID.match(text):
        return
    try:
        mods.parse(text)
    except ValueError as e:
        raise ValueError(f"{e}, or give a dataset item id") from None


class MonthModifier(BaseModel):
    """A modifier on a service's month, written out: a printed form, whether the units it
    adds count against the 区分支給限度基準額, and a name to show."""

    model_config = ConfigDict(extra="forbid")
    modifier: str
    limit: Literal["inside", "outside"] = "inside"
    name: str | None = None

    @model_validator(mode="after")
    def _form(self):
        mods.parse(self.modifier)
        return self


class ServiceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # 処遇改善: a rate ("0.245") or a dataset item id; a list of them (before 2024-06,
    # 処遇改善 + 特定処遇改善 + ベースアップ) takes each from the same month's units
    treatment_improvement: Decimal | str | list[Decimal | str] | None = None
    unit_price: Decimal | None = None  # this service's 単価, when its class differs
    # modifiers on the month's units of the service (特別地域, 中山間, 同一建物, 特定事業所集中減算…),
    # after the lines' own and before 処遇改善: dataset item ids (in 注 order, each with its
    # limit), printed forms, or MonthModifier objects; a list is one step from the same units
    modifiers: list[str | MonthModifier | list[str | MonthModifier]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _forms(self):
        for m in self.modifiers:
            for x in (m if isinstance(m, list) else [m]):
                if isinstance(x, str):
                    _form_or_id(x)
        return self

    @field_validator("treatment_improvement", mode="before")
    @classmethod
    def _rates(cls, v):
        def one(x):
            if isinstance(x, str) and _ID.match(x):
                return x
            if isinstance(x, str) and _tier(x):
                return _tier(x)
            try:
                return Decimal(str(x))
            except ArithmeticError:
                raise ValueError(f"treatment_improvement '{x}' is neither a rate (\"0.245\"), a tier (\"Ⅰ\") nor a dataset item id") from None
        if v is None:
            return None
        return [one(x) for x in v] if isinstance(v, list) else one(v)


_ASCII_TIERS = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ"}


def _tier(x: str) -> str | None:
    """'Ⅰ', 'I', '(Ⅱ)', 'Ⅱ型' -> the tier; else None."""
    t = x.strip().strip("()（）").removesuffix("型").strip()
    t = _ASCII_TIERS.get(t.upper(), t)
    return t if t in TIERS else None


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
    # 障害: the 所得区分 whose 負担上限月額 in the month applies (生活保護, 低所得, 一般1, 一般2)
    copay_cap_class: str | None = None
    # 障害 only: "official" copay = floor(total × 10%); "kaigo-style" benefit = floor(total × 90%),
    # copay = total − benefit, the split many leaflets print (one yen apart at times)
    copay_convention: Literal["official", "kaigo-style"] = "official"
    lines: list[PlanLine]
    services: dict[str, ServiceSettings] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cap(self):
        if self.copay_cap is not None and self.copay_cap_class is not None:
            raise ValueError('give "copay_cap" (yen) or "copay_cap_class" (所得区分), not both')
        return self

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


class Cited(BaseModel):
    """The period a value was taken from, and where it comes from."""

    what: str
    value: str
    effective_from: date | None
    effective_to: date | None
    revision: str | None = None
    source: str  # 'dataset' (an item), 'plan' (written in the plan), or the calendar's source

    def shown(self) -> str:
        if self.source == "plan":
            return "〔計画に記載〕"
        period = f"{self.effective_from or '?'}〜{self.effective_to or ''}"
        return f"〔{period}{' ' + self.revision if self.revision else ''}〕"


class LineResult(BaseModel):
    item: str | None
    name: str
    service: str
    units_each: int
    count: int
    units: int
    limit: str
    modifiers: list[str | list[str]]  # as applied, in order; a dataset item shows its name and form
    period: Cited  # the item's period in force in the month, or 'plan' for raw units
    modifier_periods: list[Cited] = Field(default_factory=list)  # of the dataset items among the modifiers


class MonthStep(BaseModel):
    """A modifier applied to a service's month: what it added (or, negative, took away)."""

    item: str | None
    name: str
    modifier: str
    limit: str
    on: int  # the month's units it was worked out from
    units: int
    period: Cited | None = None  # of a dataset item


class TreatmentImprovement(BaseModel):
    item: str | None
    name: str
    rate: Decimal
    units: int
    period: Cited

    @field_serializer("rate")
    def _dec(self, v):
        return str(v)


class ServiceResult(BaseModel):
    service: str
    line_units: int  # the lines' units, before the month's modifiers
    month_modifiers: list[MonthStep]
    units: int  # inside the limit, after modifiers
    outside_limit_units: int
    treatment_improvement_rate: Decimal | None  # the rate, when there is one
    treatment_improvement: list[TreatmentImprovement]
    treatment_improvement_units: int
    total_units: int
    over_limit_units: int  # inside units (and their 処遇改善 share) the user pays in full
    unit_price: Decimal
    unit_price_period: Cited
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
    limit_period: Cited | None = None
    copay_cap_period: Cited | None = None
    lines: list[LineResult]
    services: list[ServiceResult]
    total_units: int
    over_limit_units: int
    total: int
    benefit: int
    copay: int


class PlanError(ValueError):
    """The plan cannot be computed (an unknown item, no price, …): one clear sentence."""


class _Month:
    """What a plan's month resolves against: the dataset's items and its calendar."""

    def __init__(self, plan: Plan, items: list, calendar: tuple[Calendar, periods.Values] | None):
        self.plan, self.items = plan, items
        self.by_id = {it.id: it for it in items}
        self.cal, self.values = calendar or (builtin_calendar(), periods.builtin_values())
        self.day = plan.first_day

    def value(self, kind: str, key: tuple) -> tuple[periods.Dated, Cited]:
        try:
            v = self.values.resolve(kind, key, self.day)
        except periods.NoPeriod as e:
            raise PlanError(f"{self.plan.month}: {e}") from None
        return v, Cited(what=f"{periods.KINDS[kind]} {' '.join(k for k in key if k not in ('kaigo', 'shogai'))}",
                        value=v.value, effective_from=v.effective_from, effective_to=v.effective_to,
                        revision=v.revision, source=v.source)

    def cite(self, it) -> Cited:
        rev = self.cal.starting(it.scheme, it.service, it.effective_from)
        value = str(it.units) if it.units is not None else str(it.rate)
        return Cited(what=f"item {it.id}", value=value, effective_from=it.effective_from, effective_to=it.effective_to,
                     revision=rev.name if rev else None, source="dataset")

    def item(self, ref: str, service: str | None = None):
        """The dataset item ``ref`` names (id, サービスコード or printed name), in force in the month."""
        try:
            it = lookup.find(ref, self.items, self.plan.scheme, self.day, service)
        except lookup.LookupFailed as e:
            raise PlanError(str(e)) from None
        if it.scheme and it.scheme != self.plan.scheme:
            raise PlanError(f"item {it.id} ({it.item}) is a {it.scheme} item, and the plan is {self.plan.scheme}")
        if not lookup.in_force(it, self.day):
            now = [x for x in self.items if x.id != it.id and lookup.in_force(x, self.day)
                   and (x.scheme, x.service, x.item, x.care_levels, x.time_band, x.kind) == (it.scheme, it.service, it.item, it.care_levels, it.time_band, it.kind)]
            hint = f"; in {self.plan.month} it is {lookup.shown(now[0])}" if len(now) == 1 else ""
            raise PlanError(f"item {it.id} ({it.item}) is not in force in {self.plan.month} "
                            f"({it.effective_from} – {it.effective_to}){hint}")
        return it


def _price(m: _Month, service: str) -> tuple[Decimal, Cited]:
    plan = m.plan
    own = plan.services.get(service)
    if own and own.unit_price is not None:
        return own.unit_price, Cited(what="単価", value=str(own.unit_price), effective_from=None, effective_to=None, source="plan")
    if plan.unit_price is not None:
        return plan.unit_price, Cited(what="単価", value=str(plan.unit_price), effective_from=None, effective_to=None, source="plan")
    if (plan.scheme, plan.class_, plan.grade) not in m.values.keys("unit_price"):
        raise PlanError(f"no 単価 for {plan.scheme} {plan.grade} {plan.class_}: check the grade and class, or give unit_price")
    v, cited = m.value("unit_price", (plan.scheme, plan.class_, plan.grade))
    return v.decimal, cited


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


def _percent(x: Decimal) -> str:
    return f"{(x * 100).normalize():f}/100"


def _as_modifier(it) -> mods.Modifier:
    """A dataset modifier item as the step it prints: ×90/100, +25/100, -1/100, +300単位."""
    if it.units is not None and it.rate is None:
        return mods.Modifier("fixed", 1 if it.units >= 0 else -1, Decimal(abs(it.units)), f"{it.units:+d}単位")
    if it.rate is not None and it.rate_op == "multiply":
        return mods.Modifier("scale", 1, it.rate, "×" + _percent(it.rate))
    if it.rate is not None and it.rate_op == "add":
        sign = 1 if it.rate >= 0 else -1
        return mods.Modifier("percent", sign, abs(it.rate), ("+" if sign > 0 else "-") + _percent(abs(it.rate)))
    raise PlanError(f"item {it.id} ({it.item}) has no units or rate to apply as a modifier; give its printed form")


_APART = ("outside", "inside-pre-reduction")  # what such a step adds or takes is not counted against the limit


def _steps(entries: list, m: _Month, service: str, month: bool) -> list:
    """The plan's modifiers as steps of (Modifier, limit, item id, shown name, period); a
    list is one step. Dataset items must be of the service and in force; when every entry
    is one, they are applied in the order of their 注 columns, else in the order given."""
    def one(x):
        if isinstance(x, MonthModifier):
            mod = mods.parse(x.modifier)
            return mod, x.limit, None, f"{x.name} {x.modifier}" if x.name else x.modifier, None
        if not _ID.match(x):
            return mods.parse(x), "inside", None, x, None
        it = m.item(x)
        if it.service != service:
            raise PlanError(f"item {x} ({it.item}) is a modifier of {it.service or 'no service'}, not of {service}")
        if not month and it.limit in _APART:
            raise PlanError(f"item {x} ({it.item}) is worked out on the month's units and kept apart from the "
                            f"区分支給限度基準額: list it in services.{service}.modifiers")
        mod = _as_modifier(it)
        return mod, ("outside" if it.limit in _APART else "inside"), it.id, f"{it.item} {mod.printed}", m.cite(it)

    steps = [[one(x) for x in e] if isinstance(e, list) else one(e) for e in entries]
    if steps and all(not isinstance(s, list) and s[2] for s in steps):
        steps.sort(key=lambda s: m.by_id[s[2]].order if m.by_id[s[2]].order is not None else 10 ** 6)
    return steps


def _shown(steps: list) -> list[str | list[str]]:
    return [[x[3] for x in s] if isinstance(s, list) else s[3] for s in steps]


def _periods(steps: list) -> list[Cited]:
    return [x[4] for s in steps for x in (s if isinstance(s, list) else [s]) if x[4] is not None]


def _treatment(m: _Month, service: str) -> list[tuple[str | None, str, Decimal, Cited]]:
    """(item id, name, rate, period) of each 処遇改善 the plan gives the service."""
    settings = m.plan.services.get(service)
    ti = settings.treatment_improvement if settings else None
    out = []
    for x in (ti if isinstance(ti, list) else [] if ti is None else [ti]):
        if isinstance(x, Decimal):
            out.append((None, "処遇改善", x, Cited(what="処遇改善", value=str(x), effective_from=None, effective_to=None, source="plan")))
            continue
        if x in TIERS:
            v, cited = m.value("treatment_improvement", (m.plan.scheme, service, x))
            out.append((None, f"処遇改善({x})", v.decimal, cited))
            continue
        it = m.item(x)
        if it.rate is None or it.rate_op != "add" or it.rate <= 0:
            raise PlanError(f"item {x} ({it.item}) is not a rate added to the month's units")
        if it.service is not None and it.service != service:
            raise PlanError(f"item {x} ({it.item}) is a rate of {it.service}, not of {service}")
        out.append((it.id, it.item, it.rate, m.cite(it)))
    return out


def calculate(plan: Plan, items: list, calendar: tuple[Calendar, periods.Values] | None = None) -> Charges:
    """The month's charges for ``plan`` with the dataset ``items`` (dataset.load) and its
    calendar (dataset.load_calendar; the built-in one when None)."""
    m = _Month(plan, items, calendar)
    lines: list[LineResult] = []
    for ln in plan.lines:
        if ln.item is not None:
            it = m.item(ln.item, ln.service)
            if it.units is None:
                raise PlanError(f"item {it.id} ({it.item}) has no units in the dataset (it is priced as "
                                f"{'a rate' if it.rate is not None else 'yen only'}); give it as raw units")
            name = " ".join(x for x in (it.item, it.time_band, "・".join(it.care_levels)) if x)
            service, base, period = ln.service or it.service or "(unknown service)", it.units, m.cite(it)
            if ln.minutes is not None:
                base, steps = _stepped(it, ln.minutes)
                name += f" {ln.minutes}分" + (f" (+{it.step.units}単位 × {steps})" if steps else "")
            ident = it.id
        else:
            service, name, base, ident = ln.service, f"{ln.units}単位", ln.units, None
            period = Cited(what="units", value=str(ln.units), effective_from=None, effective_to=None, source="plan")
        steps = _steps(ln.modifiers, m, service, month=False)
        each = mods.apply_all(base, [[x[0] for x in s] if isinstance(s, list) else s[0] for s in steps])
        if each < 0:
            raise PlanError(f"line '{name}' ({service}): its modifiers take {base} units below zero ({each})")
        lines.append(LineResult(item=ident, name=name, service=service, units_each=each, count=ln.count,
                                units=each * ln.count, limit=ln.limit, modifiers=_shown(steps), period=period,
                                modifier_periods=_periods(steps)))

    order = list(dict.fromkeys(l.service for l in lines))
    inside = {s: sum(l.units for l in lines if l.service == s and l.limit == "inside") for s in order}
    outside = {s: sum(l.units for l in lines if l.service == s and l.limit == "outside") for s in order}

    # the month's modifiers, per service, on the running month units; each step's units are
    # booked inside or outside the limit as the step's item says
    line_units = {s: inside[s] + outside[s] for s in order}
    month_steps: dict[str, list[MonthStep]] = {}
    for s in order:
        settings = plan.services.get(s)
        month_steps[s] = []
        units = line_units[s]
        for step in _steps(settings.modifiers if settings else [], m, s, month=True):
            parts = step if isinstance(step, list) else [step]
            deltas = [mods.delta(mod, units) for mod, *_ in parts] if isinstance(step, list) \
                else [step[0].apply(units) - units]
            for (mod, limit, ident, shown, period), d in zip(parts, deltas):
                month_steps[s].append(MonthStep(item=ident, name=shown, modifier=mod.printed, limit=limit, on=units,
                                                units=d, period=period))
                if limit == "inside":
                    inside[s] += d
                else:
                    outside[s] += d
            units += sum(deltas)
        if units < 0:
            raise PlanError(f"{s}: the month's modifiers take {line_units[s]} units below zero ({units})")

    limit = limit_period = None
    over = {s: 0 for s in order}
    if plan.scheme == "kaigo" and plan.care_level:
        known = [k[0] for k in m.values.keys("limit")]
        if plan.care_level not in known:
            raise PlanError(f"care level '{plan.care_level}' is not one of {', '.join(known)}")
        v, limit_period = m.value("limit", (plan.care_level,))
        limit = int(v.value)
        planning = set(benefits()["kaigo"]["no_copay_services"])  # care planning is outside the limit
        excess = max(0, sum(v for s, v in inside.items() if s not in planning) - limit)
        for s in (s for s in reversed(order) if s not in planning):  # the services listed last go over first
            take = min(excess, max(0, inside[s]))
            # a reduction kept apart from the limit (同一建物) lowers what there is to pay in full
            over[s], excess = min(take, max(0, inside[s] + min(0, outside[s]))), excess - take

    rules = benefits()
    services, total_units = [], 0
    for s in order:
        month_units = inside[s] + outside[s]
        rates = _treatment(m, s)
        ti = [TreatmentImprovement(item=i, name=n, rate=r, units=mods.half_up(month_units * r), period=c) for i, n, r, c in rates]
        ti_units = sum(x.units for x in ti)
        over_ti = sum(mods.half_up(over[s] * r) for _, _, r, _ in rates)
        units = month_units + ti_units
        price, price_period = _price(m, s)
        total = floor_yen(units, price)
        insured = floor_yen(units - over[s] - over_ti, price)
        if plan.scheme == "kaigo":
            convention = "full" if s in rules["kaigo"]["no_copay_services"] else "kaigo"
            benefit, _ = split(insured, convention, plan.copay_share)
        else:
            benefit = insured  # 障害: the copay is taken from the month's total below
        services.append(ServiceResult(
            service=s, line_units=line_units[s], month_modifiers=month_steps[s], units=inside[s],
            outside_limit_units=outside[s], treatment_improvement_rate=rates[0][2] if len(rates) == 1 else None,
            treatment_improvement=ti, treatment_improvement_units=ti_units, total_units=units,
            over_limit_units=over[s] + over_ti, unit_price=price, unit_price_period=price_period, total=total,
            insured=insured, benefit=benefit, copay=total - benefit))
        total_units += units
    total = sum(x.total for x in services)
    cap, cap_period = plan.copay_cap, None
    if plan.scheme == "shogai" and plan.copay_cap_class is not None:
        v, cap_period = m.value("copay_cap", (plan.copay_cap_class,))
        cap = int(v.value)
    if plan.scheme == "shogai":
        _, copay = split(total, "shogai" if plan.copay_convention == "official" else "kaigo")
        if cap is not None:
            copay = min(copay, cap)
        benefit = total - copay
    else:
        benefit = sum(x.benefit for x in services)
        copay = total - benefit
    return Charges(scheme=plan.scheme, month=plan.month, care_level=plan.care_level, copay_share=plan.copay_share,
                   copay_cap=cap, limit_units=limit, limit_period=limit_period, copay_cap_period=cap_period,
                   lines=lines, services=services, total_units=total_units,
                   over_limit_units=sum(x.over_limit_units for x in services), total=total, benefit=benefit,
                   copay=copay)


def _cite(c: Cited | None) -> str:
    return "" if c is None or c.source == "plan" else "  " + c.shown()


def render_text(c: Charges) -> str:
    """A breakdown a care manager can read aloud; each value from the dataset cites the
    period it was taken from (〔from〜to revision〕)."""
    out = [f"{c.month}  {'介護保険' if c.scheme == 'kaigo' else '障害福祉'}"
           + (f"  {c.care_level} (区分支給限度基準額 {c.limit_units:,}単位{_cite(c.limit_period)})" if c.limit_units else "")
           + (f"  {c.copay_share}割負担" if c.scheme == "kaigo" else "")]
    for s in c.services:
        out.append(f"\n{s.service}  (1単位 {s.unit_price}円{_cite(s.unit_price_period)})")
        for ln in (x for x in c.lines if x.service == s.service):
            shown = [m if isinstance(m, str) else "(" + " ".join(m) + ")" for m in ln.modifiers]
            steps = f" [{' '.join(shown)}]" if shown else ""
            where = "  (限度額管理対象外)" if ln.limit == "outside" else ""
            out.append(f"  {ln.name}{steps}: {ln.units_each:,}単位 × {ln.count} = {ln.units:,}単位{where}  {ln.period.shown()}")
        for m in s.month_modifiers:
            where = "  (限度額管理対象外)" if m.limit != "inside" else ""
            out.append(f"  {m.name} (月 {m.on:,}単位に): {m.units:+,}単位{where}{_cite(m.period)}")
        for x in s.treatment_improvement:
            out.append(f"  {x.name} {x.rate} × {s.units + s.outside_limit_units:,}単位 "
                       f"= {x.units:,}単位 (四捨五入)  {x.period.shown()}")
        out.append(f"  計 {s.total_units:,}単位 × {s.unit_price}円 = {s.total:,}円 (1円未満切り捨て)")
        if s.over_limit_units:
            out.append(f"  うち限度額超過 {s.over_limit_units:,}単位: 全額自己負担")
    if c.scheme == "shogai":
        _, ten = split(c.total, "shogai")
        out.append(f"\n利用者負担 = min(1割 {ten:,}円, 負担上限月額"
                   f" {'なし' if c.copay_cap is None else f'{c.copay_cap:,}円'}{_cite(c.copay_cap_period)})")
    out.append(f"\n費用総額 {c.total:,}円  保険給付 {c.benefit:,}円  利用者負担 {c.copay:,}円")
    return "\n".join(out) + "\n"
