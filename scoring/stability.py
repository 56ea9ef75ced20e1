"""Weight stability (权重稳定性, domain §11): how far may each weight move before another bid wins?

For the bid ranked first — alone: nothing when rank 1 is shared or fewer than two bids
are ranked — and each criterion c of weight w_c: if c's weight becomes x and every other
weight is scaled by (100 − x) ÷ (100 − w_c), bid b's total is

    T_b(x) = x · s_bc ÷ w_c + (100 − x) ÷ (100 − w_c) · Σ_{j≠c} s_bj

(s are the rounded scores). The winner's lead over b, D(x) = T_winner(x) − T_b(x), is a
straight line in x, so the point where b draws level is an exact rational number:

    x* = 100 · w_c · ΔO ÷ (w_c · ΔT − 100 · Δs)

with Δs the winner's lead on c, ΔO on the other criteria, ΔT = Δs + ΔO on the total.
A rival better on c (Δs < 0) draws level somewhere in [w_c, 100): it bounds the weight
from above; one better on the rest (ΔO < 0) somewhere in (0, w_c]: it bounds it from below.
A rival level with the winner at w_c (first only by a tie-break) gives x* = w_c itself on
the side where it leads. A rival level only at 0 or 100 (Δs = 0 or ΔO = 0) bounds nothing.

The roots are solved in integers (scores scaled to whole numbers, the weight as a
fraction), compared exactly, and kept as :class:`~fractions.Fraction`; each is rounded
half-up to 0.01 only when written out. Where several rivals draw level at the same point
the better ranked one is named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scoring.money import CENT, HUNDRED, fmt2

# The legal range of the price weight for services (财政部令第87号 Art. 55: 10–30 points);
# pages and reports show the stability of the price weight against it.
PRICE_WEIGHT_FOR_SERVICES = (Decimal(10), Decimal(30))


@dataclass(frozen=True)
class WeightBound:
    """The widest open interval (low, high) around the weight on which the winner stays
    first; a bound is None when no rival draws level on that side."""

    criterion: str
    weight: Decimal
    low: Fraction | None
    high: Fraction | None
    rival_low: str | None
    rival_high: str | None

    def to_json(self) -> dict:
        return {
            "criterion": self.criterion,
            "weight": fmt2(self.weight),
            "low": fraction_text(self.low),
            "high": fraction_text(self.high),
            "rival_low": self.rival_low,
            "rival_high": self.rival_high,
        }


def round_half_up(value: Fraction) -> Decimal:
    """An exact fraction rounded half-up to 0.01 (the bounds are never negative)."""
    hundredths = math.floor(value * 100 + Fraction(1, 2))
    return Decimal(hundredths).scaleb(-2)


def fraction_text(value: Fraction | None) -> str | None:
    return None if value is None else fmt2(round_half_up(value))


def total_at(scores: dict, weights: dict, criterion: str, x) -> Fraction:
    """T_b(x): a bid's total when ``criterion`` weighs x and the others are scaled to fit."""
    w = Fraction(weights[criterion])
    x = Fraction(x)
    own = Fraction(scores[criterion])
    rest = sum((Fraction(v) for k, v in scores.items() if k != criterion), Fraction(0))
    on_c = x * own / w if w else Fraction(0)
    on_rest = (100 - x) / (100 - w) * rest if w != 100 else Fraction(0)
    return on_c + on_rest


def weight_stability(criteria, ranked: list[tuple[str, int, dict]]) -> list[WeightBound]:
    """One bound per criterion for the rank-1 bid; ``ranked`` is (vendor, rank, scores) of
    every ranked bid in rank order (ties by vendor name)."""
    if len(ranked) < 2 or sum(1 for _v, rank, _s in ranked if rank == 1) != 1:
        return []
    values = [s for _v, _r, scores in ranked for s in scores.values()]
    if values and all(map(CENT.same_quantum, values)):
        # Every score rounded to 0.01 (the usual case), asked in C: as_tuple builds a
        # namedtuple through a Python-level __new__ a score (~12 ms for 730 bids × 20).
        places = 2
    else:
        places = max((max(0, -s.as_tuple().exponent) for s in values), default=0)
    # Each score × 10^places as an int, from its exact ratio n / d (d divides 10^places):
    # int(s.scaleb(places)) made a Decimal to convert, ~1,000 instructions more a score
    # (14,600 scores for 730 bids × 20 criteria).
    unit = 10**places
    scaled = [
        (vendor, {cid: n * (unit // d) for cid, (n, d) in zip(scores, map(_ratio, scores.values()))})
        for vendor, _r, scores in ranked
    ]
    scaled = [(vendor, scores, sum(scores.values())) for vendor, scores in scaled]
    winner = next(entry for entry, (_v, rank, _s) in zip(scaled, ranked) if rank == 1)
    rivals = [entry for entry in scaled if entry is not winner]
    return [_bound(criterion, winner, rivals) for criterion in criteria]


_ratio = Decimal.as_integer_ratio


def _bound(criterion, winner, rivals) -> WeightBound:
    weight = criterion.weight
    low = high = None  # (numerator, denominator > 0) of the nearest root
    rival_low = rival_high = None
    if 0 < weight < HUNDRED:
        p, q = Fraction(weight).as_integer_ratio()  # w_c = p / q
        _name, win_scores, win_total = winner
        win_c = win_scores[criterion.id]
        for vendor, scores, total in rivals:  # in rank order: the first found wins a tie
            lead_c = win_c - scores[criterion.id]
            lead_total = win_total - total
            lead_rest = lead_total - lead_c
            if lead_c < 0:  # better on c: level at some x in [w_c, 100)
                root = (100 * p * lead_rest, p * lead_total - 100 * q * lead_c)
                if high is None or root[0] * high[1] < high[0] * root[1]:
                    high, rival_high = root, vendor
            elif lead_rest < 0:  # better on the rest: level at some x in (0, w_c]
                root = (-100 * p * lead_rest, 100 * q * lead_c - p * lead_total)
                if low is None or root[0] * low[1] > low[0] * root[1]:
                    low, rival_low = root, vendor
    return WeightBound(
        criterion.id, weight, Fraction(*low) if low else None, Fraction(*high) if high else None, rival_low, rival_high
    )
