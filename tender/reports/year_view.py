"""What the reports and charts show of the contract year (domain §10) and of the weight
stability (§11), read from the result in the reader's language.

Like :class:`~tender.reports.view.ReportView` it only selects and words: the months of the
scenario's profile, each bid's contract year (:class:`~scoring.year.ContractYear`), the flat
average month (:class:`~scoring.year.FlatAverage`) and the stability bounds
(:class:`~scoring.stability.WeightBound`) are the result's own objects, shown as result.json
writes them (amounts to 0.01, quantities without trailing zeros); nothing is priced or
solved here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scoring.money import plain, round2
from scoring.stability import (
    PRICE_WEIGHT_FOR_SERVICES,  # the legal range shown beside the price weight
    fraction_text,
)
from tender.reports.view import Criterion, ReportView, number


@dataclass(frozen=True)
class Month:
    """One contract month as it is priced (the §10 defaults filled in)."""

    label: str
    daily_inquiries: Decimal
    days: Decimal
    monthly_inquiries: Decimal
    agents_per_shift: Decimal
    agent_shifts: Decimal
    cs_sales: Decimal
    peak_days: Decimal
    work_quantities: tuple[Decimal, ...] = ()


@dataclass(frozen=True)
class YearBid:
    vendor: str
    rank: int | None
    costs: tuple[Decimal, ...]  # each month's cost, rounded to 0.01, in contract order
    contract_cost: Decimal
    monthly_cost: Decimal  # P = contract cost ÷ contract months
    cost_per_inquiry: Decimal | None
    flat_cost: Decimal | None  # P on the flat average month
    flat_rank: int | None


@dataclass(frozen=True)
class Bound:
    criterion: Criterion
    weight: Decimal
    low: Decimal | None
    high: Decimal | None
    rival_low: str | None
    rival_high: str | None

    @property
    def legal_range(self) -> tuple[Decimal, Decimal] | None:
        return PRICE_WEIGHT_FOR_SERVICES if self.criterion.kind == "price" else None


class YearView:
    def __init__(self, view: ReportView):
        self.view = view
        self.result = view.result
        self.scenario = view.tender.scenario

    # ------------------------------------------------------------------ the months
    @property
    def has_profile(self) -> bool:
        return bool(self.scenario.monthly_profile)

    @property
    def contract_months(self) -> Decimal:
        return self.view.tender.scenario.contract_months

    def work_items(self) -> list:
        return list(self.view.tender.scenario.work_items) if self.has_profile else []

    def months(self) -> list[Month]:
        if not self.has_profile:
            return []
        return [
            Month(
                entry.label,
                _plain(s.daily_inquiries),
                _plain(s.days_per_month),
                _plain(s.monthly_inquiries),
                _plain(s.agents_per_shift),
                _plain(s.agent_shifts),
                round2(s.cs_sales_per_month),
                _plain(s.month_peak_days),
                tuple(item.monthly_quantity for item in s.work_items),
            )
            for entry, s in self.scenario.months
        ]

    @property
    def contract_inquiries(self) -> Decimal | None:
        return _plain(self.scenario.profile_inquiries) if self.has_profile else None

    @property
    def contract_days(self) -> Decimal | None:
        return _plain(self.scenario.profile_days) if self.has_profile else None

    def bids(self, *, valid_only: bool = True) -> list[YearBid]:
        """Every valid bid priced month by month: the ranked in rank order, then the others
        (and the invalid ones too when not ``valid_only``: a vendor's own preview)."""
        flat = {b.vendor: b for b in self.flat.bids} if self.flat else {}
        chosen = [b for b in self.view.ranked if b.year is not None]
        ranked = {b.vendor for b in chosen}
        chosen += [
            b for b in self.view.bids if (b.valid or not valid_only) and b.year is not None and b.vendor not in ranked
        ]
        return [
            YearBid(
                b.vendor,
                b.rank,
                tuple(round2(m.cost.total) for m in b.year.months),
                b.year.contract_cost,
                b.monthly_cost,
                self.view.cost_per_inquiry(b),
                round2(flat[b.vendor].monthly_cost) if b.vendor in flat else None,
                flat[b.vendor].rank if b.vendor in flat else None,
            )
            for b in chosen
        ]

    # ------------------------------------------------------------------ the flat average month
    @property
    def flat(self):
        """The same bids on the flat average month (:class:`scoring.year.FlatAverage`), or None."""
        return self.result.flat_average

    @property
    def flat_daily_inquiries(self) -> Decimal | None:
        return round2(self.flat.daily_inquiries) if self.flat else None

    def winner_sentence(self) -> str | None:
        """Whether pricing the year month by month changes the winner, with both figures."""
        flat = self.flat
        if not flat:
            return None
        bids = {b.vendor: b for b in self.bids()}
        winner, year_winner = flat.winner, flat.year_winner
        if flat.winner_changes and winner in bids and year_winner in bids:
            return self.view.t(
                "year_changes_winner",
                daily=_figure(self.flat_daily_inquiries),
                winner=winner,
                flat_cost=_money(bids[winner].flat_cost),
                year_cost=_money(bids[winner].monthly_cost),
                contract_cost=_money(bids[winner].contract_cost),
                year_winner=year_winner,
                winner_cost=_money(bids[year_winner].monthly_cost),
                winner_contract=_money(bids[year_winner].contract_cost),
            )
        if not flat.winner_changes and year_winner in bids:
            return self.view.t("year_keeps_winner", daily=_figure(self.flat_daily_inquiries), winner=year_winner)
        return None

    # ------------------------------------------------------------------ weight stability
    @property
    def stability_winner(self) -> str | None:
        first = [b.vendor for b in self.view.ranked if b.rank == 1]
        return first[0] if len(first) == 1 and self.result.weight_stability else None

    def bounds(self) -> list[Bound]:
        """Each weight's bounds, rounded half-up to 0.01 as result.json writes them."""
        criteria = {c.id: c for c in self.view.criteria}
        return [
            Bound(
                criteria[b.criterion],
                round2(b.weight),
                number(fraction_text(b.low)),
                number(fraction_text(b.high)),
                b.rival_low,
                b.rival_high,
            )
            for b in self.result.weight_stability
            if b.criterion in criteria
        ]

    def price_sentences(self) -> list[str]:
        """The legal range of the price weight and where, inside it, a rival draws level
        (compared on the exact bounds, written rounded)."""
        view = self.view
        bound = next((b for b in self.bounds() if b.legal_range is not None), None)
        if bound is None:
            return []
        first, last = (Fraction(v) for v in bound.legal_range)
        winner = self.stability_winner or ""
        exact = next((b for b in view.result.weight_stability if b.criterion == bound.criterion.id), None)
        low, high = (exact.low, exact.high) if exact is not None else (None, None)
        sentences = [view.t("price_legal_note")]
        if (low is not None and low > last) or (high is not None and high < first):
            return sentences + [view.t("price_legal_outside", winner=winner)]
        if low is not None and low >= first:
            sentences.append(view.t("price_legal_low", low=f"{bound.low:.2f}", rival=bound.rival_low, winner=winner))
        if high is not None and high <= last:
            sentences.append(
                view.t("price_legal_high", high=f"{bound.high:.2f}", rival=bound.rival_high, winner=winner)
            )
        return sentences if len(sentences) > 1 else sentences + [view.t("price_legal_safe", winner=winner)]


def _plain(value: Decimal) -> Decimal:
    """A quantity as result.json writes it: without trailing zeros (24000, 0.35)."""
    return number(plain(value))


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _figure(value: Decimal) -> str:
    return f"{value:,.2f}"
