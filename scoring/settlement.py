"""A contract month settled against the KPIs (履约考核, domain §14).

    month = parse_month(raw_month_json, kpis=tender.kpis, scenario=tender.scenario)
    settlement = settle(tender, bid, month)          # or settle_month(terms, month)
    settlement.to_json()                             # the settlement.json of §14

The month's **charge** is the winning pricing (the bid's final offer when it has one)
under the tender's scenario with the month's actual values put in — priced as one month
alone (:meth:`~scoring.scenario.Scenario.month`: minimums, packages and tiers apply to
that month, its own peak days, one-time fees spread over ``contract_months``), unrounded,
with its breakdown. Then:

    at risk    = charge × at-risk share (the bid's kpi_holdback, else the tender's
                 payment_terms.at_risk_share, else 0)
    deduction  = at risk × Σ weights of the KPIs not met
    bonus      = charge × bonus_share when every KPI is met, else 0
    payable    = charge − deduction + bonus

each from the unrounded parts and rounded half-up to 0.01 only at the end; each KPI's own
deduction is at risk × its weight (0 when met), rounded to 0.01.

:class:`ContractTerms` holds what a contract settles by, so a caller that stores a
contract (the web app; a lot's scenario, or one winner's share of the volume) settles with
:func:`settle_month` without going back to the bid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.errors import Problems
from scoring.kpis import Kpi
from scoring.money import ZERO, fmt2, money_text, plain
from scoring.pricing import Cost, Pricing, monthly_cost
from scoring.reading import check_keys, check_number, expect_dict, join, number, text
from scoring.scenario import Scenario

# The month's actual values (month.json "actual"): (minimum, maximum, zh, en).
ACTUAL_FIELDS = {
    "daily_inquiries": (0, None, "日均咨询量", "inquiries per day"),
    "days": (1, 31, "本月服务天数", "service days this month"),
    "returning_share": (0, 1, "老用户占比", "share of returning customers"),
    "cs_sales": (0, None, "本月客服销售额（元）", "sales by customer service this month (CNY)"),
    "agents_per_shift": (0, None, "每班坐席数", "agents per shift"),
    "peak_days": (0, 31, "本月大促天数", "peak days this month"),
}
ACTUAL_KEYS = set(ACTUAL_FIELDS) | {"work_quantities"}
MONTH_KEYS = {"month", "actual", "kpis"}

# Where the at-risk share comes from
AT_RISK_SOURCES = {
    "bid": ("中标报价的 KPI 考核预留比例（kpi_holdback）", "the winning bid's KPI holdback (kpi_holdback)"),
    "tender": (
        "招标文件付款条款（payment_terms.at_risk_share）",
        "the tender's payment terms (payment_terms.at_risk_share)",
    ),
    "none": ("未约定考核扣款比例", "no share is held at risk"),
}


@dataclass(frozen=True)
class MonthActuals:
    """What really happened in one contract month (``month.json``). None: as in the scenario."""

    month: str
    daily_inquiries: Decimal | None = None
    days: Decimal | None = None
    returning_share: Decimal | None = None
    cs_sales: Decimal | None = None
    agents_per_shift: Decimal | None = None
    peak_days: Decimal | None = None
    work_quantities: tuple[tuple[str, Decimal], ...] = ()
    kpis: tuple[tuple[str, Decimal | None], ...] = ()  # KPI id → reported value (None: not reported)

    def scenario(self, base: Scenario) -> Scenario:
        """The base scenario with this month's actual values put in, priced as one month."""
        return base.month(
            self.daily_inquiries,
            days=self.days,
            agents_per_shift=self.agents_per_shift,
            cs_sales=self.cs_sales,
            peak_days=self.peak_days,
            returning_share=self.returning_share,
            work_quantities=dict(self.work_quantities),
        )

    def kpi_value(self, kpi_id: str) -> Decimal | None:
        return dict(self.kpis).get(kpi_id)


def parse_month(data, *, kpis: tuple[Kpi, ...], scenario: Scenario) -> MonthActuals:
    """Read ``month.json`` against the contract's KPIs and scenario; raise with every problem.

    Unknown keys, KPI ids and work items are refused, and so is any negative value; a KPI
    left out (or null) is allowed and counts as not reported.
    """
    problems = Problems()
    data = expect_dict(data, "", problems)
    if data is None:
        problems.raise_if_any()
    check_keys(data, MONTH_KEYS, "", problems)
    label = text(data, "month", "", problems)
    values: dict = {}
    actual = expect_dict(data.get("actual", {}), "actual", problems) or {}
    check_keys(actual, ACTUAL_KEYS, "actual", problems)
    for name, (low, high, _zh, _en) in ACTUAL_FIELDS.items():
        values[name] = number(actual, name, "actual", problems, default=None, minimum=low, maximum=high)
    days = values["days"] if values["days"] is not None else scenario.days_per_month
    peak = values["peak_days"]
    if peak is not None and peak > days:
        problems.add(
            "actual.peak_days",
            f"本月大促天数 {plain(peak)} 多于本月服务天数 {plain(days)}",
            f"{plain(peak)} peak days are more than the month's {plain(days)} service days",
        )
    quantities = _work_quantities(actual.get("work_quantities"), scenario, problems)
    reported = _kpi_values(data.get("kpis"), kpis, problems)
    problems.raise_if_any()
    return MonthActuals(label, work_quantities=quantities, kpis=reported, **values)


def _work_quantities(raw, scenario: Scenario, problems: Problems) -> tuple[tuple[str, Decimal], ...]:
    if raw is None:
        return ()
    path = "actual.work_quantities"
    data = expect_dict(raw, path, problems)
    if data is None:
        return ()
    result = []
    for item_id, value in data.items():
        where = join(path, item_id)
        if scenario.work_item(item_id) is None:
            problems.add(where, f"用量基准中没有工作项“{item_id}”", f"the scenario has no work item '{item_id}'")
            continue
        quantity = check_number(value, where, problems, minimum=0) if value is not None else None
        if value is None:
            problems.add(where, "缺少工作量", "has no quantity")
        if quantity is not None:
            result.append((item_id, quantity))
    return tuple(result)


def _kpi_values(raw, kpis: tuple[Kpi, ...], problems: Problems) -> tuple[tuple[str, Decimal | None], ...]:
    if raw is None:
        return ()
    data = expect_dict(raw, "kpis", problems)
    if data is None:
        return ()
    known = {kpi.id for kpi in kpis}
    result = []
    for kpi_id, value in data.items():
        where = join("kpis", kpi_id)
        if kpi_id not in known:
            listed = ", ".join(sorted(known)) or "—"
            problems.add(
                where,
                f"招标文件没有编号为“{kpi_id}”的 KPI（已列出：{listed}）",
                f"the tender has no KPI '{kpi_id}' (it lists: {listed})",
            )
            continue
        if value is None:
            result.append((kpi_id, None))
            continue
        reading = check_number(value, where, problems, minimum=0)
        if reading is not None:
            result.append((kpi_id, reading))
    return tuple(result)


# --------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class ContractTerms:
    """What a contract's months are settled by."""

    pricing: Pricing  # the winning pricing (the final offer when there is one)
    scenario: Scenario  # the tender's (or a lot's, or a winner's share of it)
    kpis: tuple[Kpi, ...]
    at_risk_share: Decimal
    at_risk_source: str  # bid | tender | none (AT_RISK_SOURCES)
    bonus_share: Decimal = ZERO
    vendor: str = ""


def winning_pricing(bid) -> Pricing:
    """The pricing a bid won with: its final offer (§12) when it made one, else its first."""
    final = getattr(bid, "final_pricing", None)
    return final if final is not None else bid.pricing


def kpi_holdback(bid) -> Decimal | None:
    """The bid's kpi_holdback: the final offer's when it states one, else the first offer's."""
    for pricing in (getattr(bid, "final_pricing", None), bid.pricing):
        if pricing is not None and pricing.value("kpi_holdback", None) is not None:
            return pricing.value("kpi_holdback")
    return None


def contract_terms(tender, bid, *, scenario: Scenario | None = None, pricing: Pricing | None = None) -> ContractTerms:
    """The terms of the contract a bid won: at-risk share from the bid's kpi_holdback, else
    the tender's payment_terms.at_risk_share, else 0. ``scenario`` defaults to the tender's,
    ``pricing`` to the bid's winning pricing."""
    holdback = kpi_holdback(bid)
    tender_share = tender.payment_terms.at_risk_share
    if holdback is not None:
        share, source = holdback, "bid"
    elif tender_share is not None:
        share, source = tender_share, "tender"
    else:
        share, source = ZERO, "none"
    return ContractTerms(
        pricing=winning_pricing(bid) if pricing is None else pricing,
        scenario=tender.scenario if scenario is None else scenario,
        kpis=tender.kpis,
        at_risk_share=share,
        at_risk_source=source,
        bonus_share=tender.payment_terms.bonus_share,
        vendor=bid.vendor,
    )


# --------------------------------------------------------------------------- settlement


@dataclass(frozen=True)
class KpiOutcome:
    kpi: Kpi
    actual: Decimal | None  # None: not reported
    met: bool
    deduction: Decimal  # exact: at risk × weight, 0 when met

    @property
    def reported(self) -> bool:
        return self.actual is not None

    def to_json(self) -> dict:
        return {
            "id": self.kpi.id,
            "name": self.kpi.name,
            "target": as_given(self.kpi.target),
            "actual": None if self.actual is None else as_given(self.actual),
            "met": self.met,
            "deduction": fmt2(self.deduction),
        }


@dataclass(frozen=True)
class Settlement:
    actuals: MonthActuals
    scenario: Scenario  # the month's: the base scenario with the actuals put in
    cost: Cost  # the charge, exact, with its breakdown
    at_risk_share: Decimal
    at_risk_source: str
    bonus_share: Decimal
    kpis: tuple[KpiOutcome, ...]
    deduction: Decimal  # exact
    bonus: Decimal  # exact
    payable: Decimal  # exact
    pricing: Pricing
    vendor: str = ""

    @property
    def month(self) -> str:
        return self.actuals.month

    @property
    def charge(self) -> Decimal:
        return self.cost.total

    @property
    def at_risk(self) -> Decimal:
        return self.charge * self.at_risk_share

    @property
    def all_met(self) -> bool:
        return all(outcome.met for outcome in self.kpis)

    @property
    def at_risk_share_text(self) -> str:
        """The share as a decimal string, at least two decimals: "0.10", "0.125"."""
        return money_text(self.at_risk_share)

    def to_json(self) -> dict:
        return {
            "month": self.month,
            "charge": fmt2(self.charge),
            "breakdown": [line.to_json() for line in self.cost.lines],
            "at_risk_share": self.at_risk_share_text,
            "kpis": [outcome.to_json() for outcome in self.kpis],
            "deduction": fmt2(self.deduction),
            "bonus": fmt2(self.bonus),
            "payable": fmt2(self.payable),
        }


def as_given(value: Decimal) -> str:
    """A target or a KPI value as the tender or the month wrote it (0.90 stays "0.90"), never
    in exponent form."""
    return format(value, "f")


def settle_month(terms: ContractTerms, month: MonthActuals) -> Settlement:
    """Settle one month under a contract's terms (§14)."""
    scenario = month.scenario(terms.scenario)
    cost = monthly_cost(terms.pricing, scenario)
    charge = cost.total
    at_risk = charge * terms.at_risk_share
    outcomes = []
    for kpi in terms.kpis:
        value = month.kpi_value(kpi.id)
        met = kpi.is_met(value)
        outcomes.append(KpiOutcome(kpi, value, met, ZERO if met else at_risk * kpi.weight))
    missed_weight = sum((o.kpi.weight for o in outcomes if not o.met), ZERO)
    deduction = at_risk * missed_weight
    bonus = charge * terms.bonus_share if all(o.met for o in outcomes) else ZERO
    return Settlement(
        actuals=month,
        scenario=scenario,
        cost=cost,
        at_risk_share=terms.at_risk_share,
        at_risk_source=terms.at_risk_source,
        bonus_share=terms.bonus_share,
        kpis=tuple(outcomes),
        deduction=deduction,
        bonus=bonus,
        payable=charge - deduction + bonus,
        pricing=terms.pricing,
        vendor=terms.vendor,
    )


def settle(tender, bid, month: MonthActuals, *, scenario: Scenario | None = None) -> Settlement:
    """Settle one month of the contract ``bid`` won in ``tender`` (§14); ``scenario``
    defaults to the tender's (a lot's, or a winner's share of the volume, may be given)."""
    return settle_month(contract_terms(tender, bid, scenario=scenario), month)


def month_volumes(settlement: Settlement) -> list[tuple[str, str, str]]:
    """The month's volumes as (zh, en, value) rows, for pages and reports."""
    s = settlement.scenario
    rows = [
        ("本月服务天数", "service days", plain(s.days_per_month)),
        ("日均咨询量", "inquiries per day", plain(s.daily_inquiries)),
        ("本月咨询量", "inquiries this month", plain(s.monthly_inquiries)),
        ("老用户占比", "share of returning customers", plain(s.returning_share)),
        ("每班坐席数", "agents per shift", plain(s.agents_per_shift)),
        ("坐席班次", "agent-shifts", plain(s.agent_shifts)),
        ("本月客服销售额（元）", "sales by customer service (CNY)", fmt2(s.cs_sales_per_month)),
        ("本月大促天数", "peak days", plain(s.month_peak_days or ZERO)),
    ]
    for item in s.work_items:
        rows.append(
            (
                f"{item.name}（{item.unit or '件'}）",
                f"{item.name} ({item.unit or 'units'})",
                plain(item.monthly_quantity),
            )
        )
    return rows


__all__ = [
    "ACTUAL_FIELDS",
    "AT_RISK_SOURCES",
    "ContractTerms",
    "KpiOutcome",
    "MonthActuals",
    "Settlement",
    "contract_terms",
    "kpi_holdback",
    "month_volumes",
    "parse_month",
    "settle",
    "settle_month",
    "winning_pricing",
]
