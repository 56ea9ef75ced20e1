"""A vendor's own contract year on its bid preview (domain §10): its cost month by month.

The costs are those of the evaluation stored when the price sheet was read (what the
receipt quotes); the months — their labels, inquiries and days — are those of the tender
version the bid answers. Only this vendor's quote is read: nothing of another bid is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring import parse_tender
from scoring.money import plain
from tender.bids.cost_curve import tender_definition
from tender.models import BidVersion


@dataclass(frozen=True)
class OwnMonth:
    label: str
    daily_inquiries: Decimal
    days: Decimal
    inquiries: Decimal  # daily inquiries × days
    cost: Decimal  # the month's cost, rounded to 0.01 as stored


@dataclass(frozen=True)
class OwnYear:
    months: tuple[OwnMonth, ...]
    contract_cost: Decimal
    monthly_cost: Decimal  # P = the contract cost ÷ contract months, rounded
    contract_months: Decimal
    inquiries: Decimal  # Σ daily inquiries × days

    @property
    def contract_months_text(self) -> str:
        return plain(self.contract_months)


def own_year(version: BidVersion, content: dict) -> OwnYear | None:
    """The year of one bid version, or None when its tender gives no months (or the upload
    was stored before the contract year was priced)."""
    evaluation = content.get("evaluation") or {}
    costs = evaluation.get("monthly_costs")
    if not costs or evaluation.get("contract_cost") is None:
        return None
    scenario = parse_tender(tender_definition(version)).scenario
    months = tuple(
        OwnMonth(entry.label, s.daily_inquiries, s.days_per_month, s.monthly_inquiries, Decimal(stored["cost"]))
        for (entry, s), stored in zip(scenario.months, costs)
    )
    if len(months) != len(costs):
        return None
    return OwnYear(
        months,
        Decimal(evaluation["contract_cost"]),
        Decimal(evaluation["monthly_cost"]),
        scenario.contract_months,
        scenario.profile_inquiries,
    )
