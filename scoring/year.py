"""The contract year, month by month (合同年度逐月计价, domain §10).

A buyer signs a year, not an average month. When the scenario gives a ``monthly_profile``,
each month is priced alone under its own scenario S_m (its inquiries, days, seats, CS
sales, peak days and work quantities): a minimum guarantee, a package's included
inquiries or a tier applies to that month only. The month charges are added unrounded;

- the contract cost is their sum, rounded to 0.01 at the end;
- P, the monthly cost scored, is that unrounded sum ÷ ``contract_months``, rounded;
- the cost per inquiry is the unrounded sum ÷ Σ (daily inquiries × days), rounded.

The bid's breakdown then has one line per month: the month's cost ÷ ``contract_months``,
so its lines still add up to P; each month keeps its own §6 breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.money import ZERO, fmt2, plain, round2
from scoring.pricing import Cost, Line, Pricing, monthly_cost
from scoring.scenario import MonthEntry, Scenario


@dataclass(frozen=True)
class MonthCost:
    """One contract month priced alone: its entry, its scenario S_m and its cost."""

    entry: MonthEntry
    scenario: Scenario
    cost: Cost

    @property
    def label(self) -> str:
        return self.entry.label

    def to_json(self) -> dict:
        return {"label": self.label, "cost": fmt2(self.cost.total)}


@dataclass(frozen=True)
class ContractYear:
    months: tuple[MonthCost, ...]
    total: Decimal  # the contract cost, unrounded
    contract_months: Decimal
    inquiries: Decimal  # Σ (daily inquiries × days) over the months

    @property
    def contract_cost(self) -> Decimal:
        return round2(self.total)

    @property
    def monthly(self) -> Decimal:
        """P before rounding: the contract cost ÷ contract months."""
        return self.total / self.contract_months

    @property
    def cost_per_inquiry(self) -> Decimal | None:
        return round2(self.total / self.inquiries) if self.inquiries > 0 else None

    @property
    def flags(self) -> tuple[str, ...]:
        seen: list[str] = []
        for month in self.months:
            seen.extend(flag for flag in month.cost.flags if flag not in seen)
        return tuple(seen)

    def as_cost(self) -> Cost:
        """The monthly cost P with one breakdown line per month (its cost ÷ contract months)."""
        return Cost(self.monthly, tuple(_MonthLine(m, self.contract_months) for m in self.months), self.flags)

    def monthly_costs(self) -> list[dict]:
        return [m.to_json() for m in self.months]

    def breakdowns(self) -> list[dict]:
        """Each month's own breakdown, in the form of §6."""
        return [{"label": m.label, "breakdown": [line.to_json() for line in m.cost.lines]} for m in self.months]


class _MonthLine(Line):
    """A month's line of the bid's breakdown: its cost ÷ contract months. Its formula is
    written when read, from the month itself (a closure per line would leave a dozen
    small objects per month for the garbage collector to walk)."""

    __slots__ = ("_month", "_months")

    def __init__(self, month: MonthCost, contract_months: Decimal):
        super().__init__(month.label, month.label, None, None, month.cost.total / contract_months)
        self._month, self._months = month, contract_months

    @property
    def formula(self) -> str:
        if self._zh is None:
            s = self._month.scenario
            self._zh = (
                f"本月 {fmt2(self._month.cost.total)} 元（日均 {plain(s.daily_inquiries)} 咨询 × "
                f"{plain(s.days_per_month)} 天） ÷ {plain(self._months)} 月 = {fmt2(self.amount)}"
            )
        return self._zh

    @property
    def formula_en(self) -> str:
        if self._en is None:
            s = self._month.scenario
            self._en = (
                f"this month {fmt2(self._month.cost.total)} CNY ({plain(s.daily_inquiries)} inquiries a day "
                f"× {plain(s.days_per_month)} days) ÷ {plain(self._months)} months = {fmt2(self.amount)}"
            )
        return self._en


@dataclass(frozen=True)
class FlatBid:
    vendor: str
    monthly_cost: Decimal  # P on the flat average month
    price_score: Decimal | None
    total: Decimal
    rank: int


@dataclass(frozen=True)
class FlatAverage:
    """The same valid bids priced on the profile's flat average month
    (:meth:`~scoring.scenario.Scenario.flat_average`), re-scored on price and re-ranked with
    every other score kept: does pricing the year month by month change the winner?"""

    daily_inquiries: Decimal
    bids: tuple[FlatBid, ...]  # in their rank order on the average month
    first: tuple[str, ...]  # ranked first on the average month
    year_first: tuple[str, ...]  # ranked first month by month

    @property
    def winner(self) -> str | None:
        return self.first[0] if len(self.first) == 1 else None

    @property
    def year_winner(self) -> str | None:
        return self.year_first[0] if len(self.year_first) == 1 else None

    @property
    def winner_changes(self) -> bool:
        return set(self.first) != set(self.year_first)

    def to_json(self) -> dict:
        return {
            "daily_inquiries": fmt2(self.daily_inquiries),
            "bids": [
                {
                    "vendor": b.vendor,
                    "monthly_cost": fmt2(b.monthly_cost),
                    "price_score": fmt2(b.price_score),
                    "total": fmt2(b.total),
                    "rank": b.rank,
                }
                for b in self.bids
            ],
            "winner": self.winner,
            "year_winner": self.year_winner,
            "winner_changes": self.winner_changes,
        }


def price_year(pricing: Pricing, scenario: Scenario) -> ContractYear:
    """Every month of the profile priced alone (§10); the scenario must have a profile."""
    costs: list[Cost] = []
    for (_entry, s), twin in zip(scenario.months, scenario.month_twins):
        costs.append(costs[twin] if twin < len(costs) else monthly_cost(pricing, s))
    months = tuple(MonthCost(entry, s, cost) for (entry, s), cost in zip(scenario.months, costs))
    total = sum((m.cost.total for m in months), ZERO)
    return ContractYear(months, total, scenario.contract_months, scenario.profile_inquiries)
