"""What a contract is settled by, rebuilt from its sealed snapshot (domain §14, §9.6).

The award stores, per winner (and lot), the tender definition and the winning bid as read;
:func:`contract_terms_of` parses them back into :class:`scoring.settlement.ContractTerms`.
A winner of a share of the volume (§9.6) settles under the scenario scaled to its share:
daily inquiries, agents per shift, peak extra agents, CS sales and work quantities (of the
scenario, its monthly profile and its volume scenarios) × share — 40 % of the inquiries are answered by
40 % of the seats. Each month's actuals give the real figures.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

from scoring import parse_bid, parse_tender
from scoring.money import ONE, round2
from scoring.pricing import monthly_cost
from scoring.scenario import Scenario
from scoring.settlement import ContractTerms, contract_terms
from scoring.times import SHANGHAI
from scoring.year import price_year

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])")


def share_scenario(scenario: Scenario, share: Decimal) -> Scenario:
    """The scenario as a winner of ``share`` of the volume sees it."""
    if share == ONE:
        return scenario
    items = tuple(replace(item, monthly_quantity=item.monthly_quantity * share) for item in scenario.work_items)
    profile = tuple(
        replace(
            entry,
            daily_inquiries=entry.daily_inquiries * share,
            agents_per_shift=None if entry.agents_per_shift is None else entry.agents_per_shift * share,
            cs_sales=None if entry.cs_sales is None else entry.cs_sales * share,
            work_quantities=tuple((k, v * share) for k, v in entry.work_quantities),
        )
        for entry in scenario.monthly_profile
    )
    volumes = tuple(replace(v, daily_inquiries=v.daily_inquiries * share) for v in scenario.volume_scenarios)
    return replace(
        scenario,
        daily_inquiries=scenario.daily_inquiries * share,
        agents_per_shift=scenario.agents_per_shift * share,
        peak_extra_agents=scenario.peak_extra_agents * share,
        cs_sales_per_month=scenario.cs_sales_per_month * share,
        work_items=items,
        monthly_profile=profile,
        volume_scenarios=volumes,
    )


def terms_from(snapshot: dict) -> ContractTerms:
    """The terms of a contract from its snapshot ``{"tender", "bid", "lot", "share"}``."""
    tender = parse_tender(snapshot["tender"])
    bid = parse_bid(snapshot["bid"], tender, source=snapshot.get("vendor") or "")
    lot_id = snapshot.get("lot") or ""
    if tender.lots and not lot_id:
        raise ValueError("a tender divided into lots is settled lot by lot: the award names no lot")
    if lot_id:
        tender, bid = tender.for_lot(tender.lot(lot_id)), bid.for_lot(lot_id)
    return contract_terms(tender, bid, scenario=share_scenario(tender.scenario, Decimal(snapshot.get("share", "1"))))


def predicted_cost(terms: ContractTerms) -> Decimal:
    """The contract cost the evaluation predicted: §10's contract cost over the monthly
    profile, else the monthly cost × the contract months (rounded to 0.01)."""
    scenario = terms.scenario
    if scenario.monthly_profile:
        return round2(price_year(terms.pricing, scenario).contract_cost)
    return round2(monthly_cost(terms.pricing, scenario).total * scenario.contract_months)


def start_month(terms: ContractTerms, awarded_at: dt.datetime) -> str:
    """The first contract month: the monthly profile's first label when it names one
    (``2027-01``), else the month after the award (Asia/Shanghai)."""
    profile = terms.scenario.monthly_profile
    if profile and MONTH.match(profile[0].label):
        return profile[0].label[:7]
    local = awarded_at.astimezone(SHANGHAI)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return f"{year:04d}-{month:02d}"


def month_labels(start: str, count: int) -> list[str]:
    year, month = int(start[:4]), int(start[5:7])
    labels = []
    for _ in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels
