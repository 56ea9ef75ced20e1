"""Volume sensitivity (§6.11): cost curves over daily inquiries and exact break-even points.

Every cost function is piecewise linear in the daily volume: linear between the
breakpoints its model names (a minimum guarantee reached, a tier boundary, a package's
included volume). On each piece the line is found from two exact evaluations, so the
lower envelope of all bids — and the volumes where the cheapest bid changes — are exact
solutions, not samples. Ties are broken by vendor name so the result never depends on
the order bids were given in.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.money import fmt2
from scoring.pricing import Pricing, breakpoints, monthly_cost
from scoring.scenario import Scenario

LOW, HIGH, STEPS = Decimal("0.25"), Decimal(3), 12


@dataclass(frozen=True)
class Piece:
    start: Decimal
    end: Decimal
    slope: Decimal
    intercept: Decimal

    def at(self, volume: Decimal) -> Decimal:
        return self.slope * volume + self.intercept


@dataclass(frozen=True)
class Curve:
    vendor: str
    pieces: tuple[Piece, ...]

    def piece(self, volume: Decimal, *, right: bool = False) -> Piece:
        """The piece holding ``volume``: (start, end] — or [start, end) with ``right``."""
        for piece in self.pieces:
            if (piece.start <= volume < piece.end) if right else (piece.start < volume <= piece.end):
                return piece
        return self.pieces[0] if volume <= self.pieces[0].start else self.pieces[-1]

    def at(self, volume: Decimal) -> Decimal:
        return self.piece(volume).at(volume)


def curve(vendor: str, pricing: Pricing, scenario: Scenario, low: Decimal, high: Decimal) -> Curve:
    cuts = sorted({b for b in breakpoints(pricing, scenario) if low < b < high})
    edges = [low, *cuts, high]
    pieces = []
    for start, end in zip(edges, edges[1:]):
        q1 = start + (end - start) / 4
        q3 = start + (end - start) * 3 / 4
        c1 = monthly_cost(pricing, scenario.at_volume(q1)).total
        c3 = monthly_cost(pricing, scenario.at_volume(q3)).total
        slope = (c3 - c1) / (q3 - q1)
        pieces.append(Piece(start, end, slope, c1 - slope * q1))
    return Curve(vendor, tuple(pieces))


def _cheapest(lines: dict, volume: Decimal) -> str:
    """Cheapest just after ``volume``: lowest value, then lowest slope, then vendor name."""
    return min(lines, key=lambda v: (lines[v].at(volume), lines[v].slope, v))


@dataclass(frozen=True)
class BreakEven:
    daily_inquiries: Decimal      # exact
    below: str                    # the cheapest vendor just below
    above: str                    # the cheapest vendor just above
    monthly_cost: Decimal         # the cost there, of the vendor cheapest just above

    def to_json(self) -> dict:
        return {"daily_inquiries": fmt2(self.daily_inquiries), "below": self.below, "above": self.above,
                "monthly_cost": fmt2(self.monthly_cost)}


def break_even(curves: list[Curve], low: Decimal, high: Decimal) -> list[BreakEven]:
    """Every volume in [low, high] where the cheapest bid changes, found exactly."""
    if len(curves) < 2:
        return []
    edges = sorted({low, high, *(p.start for c in curves for p in c.pieces), *(p.end for c in curves for p in c.pieces)})
    edges = [e for e in edges if low <= e <= high]
    events: list[BreakEven] = []
    previous: str | None = None
    for start, end in zip(edges, edges[1:]):
        middle = (start + end) / 2
        lines = {c.vendor: c.piece(middle) for c in curves}
        current = _cheapest(lines, start)
        if previous is not None and current != previous:
            events.append(BreakEven(start, previous, current, lines[current].at(start)))
        x = start
        while True:
            line = lines[current]
            best_x, best = None, None
            for vendor, other in lines.items():
                if other.slope >= line.slope:
                    continue
                crossing = (other.intercept - line.intercept) / (line.slope - other.slope)
                if x < crossing < end and (best_x is None or crossing < best_x
                                           or (crossing == best_x and (other.slope, vendor) < (lines[best].slope, best))):
                    best_x, best = crossing, vendor
            if best is None:
                break
            events.append(BreakEven(best_x, current, best, line.at(best_x)))
            current, x = best, best_x
        previous = current
    return events


def sensitivity(bids: list[tuple[str, Pricing]], scenario: Scenario) -> dict:
    """Cost of each bid from 25 % to 300 % of the scenario's daily volume, and break-evens."""
    centre = scenario.reference_daily_inquiries
    result = {"scenario_daily_inquiries": fmt2(centre), "daily_inquiries": [], "costs": {}, "break_even": []}
    if centre <= 0 or not bids:
        return result
    low, high = centre * LOW, centre * HIGH
    grid = [centre * LOW * k for k in range(1, STEPS + 1)]
    curves = [curve(vendor, pricing, scenario, low, high) for vendor, pricing in sorted(bids, key=lambda b: b[0])]
    result["daily_inquiries"] = [fmt2(v) for v in grid]
    result["costs"] = {c.vendor: [fmt2(c.at(v)) for v in grid] for c in curves}
    result["break_even"] = [point.to_json() for point in break_even(curves, low, high)]
    return result


