"""Volume sensitivity (§6.11): cost curves over daily inquiries and exact break-even points.

Every cost function is piecewise linear in the daily volume: linear between the
breakpoints its model names (a minimum guarantee reached, a tier boundary, a package's
included volume). On each piece the line is found from two exact evaluations, so the
lower envelope of all bids — and the volumes where the cheapest bid changes — are exact
solutions, not samples. Ties are broken by vendor name so the result never depends on
the order bids were given in.

With a monthly profile (§10) every month's daily volume is scaled by one common factor f
(25 % to 300 %), each month's CS sales kept at their f = 1 value. Each month's cost is
piecewise linear in f (its breakpoints ÷ its daily volume), so their sum is too: the
curves are built month by month in f and added, and a break-even is reported at the
contract's average daily volume there, f × Σ (daily × days) ÷ Σ days.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.money import ONE, ZERO, fmt2
from scoring.pricing import Pricing, breakpoints, monthly_cost
from scoring.scenario import Scenario
from scoring.year import ContractYear

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
    return Curve(vendor, tuple(_pieces(pricing, scenario, low, high)))


def _pieces(
    pricing: Pricing,
    scenario: Scenario,
    low: Decimal,
    high: Decimal,
    per_unit: Decimal | None = None,
    known: tuple[Decimal, Decimal] | None = None,
):
    """The cost's linear pieces over [low, high], each found from two exact evaluations
    inside it. With ``per_unit`` the axis is a scale factor f of the daily volume
    (f × per_unit inquiries a day), else the daily volume itself. ``known`` is a point
    (x, cost) already priced: a piece holding it inside needs one evaluation more only."""
    if per_unit is None:
        cuts = sorted({b for b in breakpoints(pricing, scenario) if low < b < high})
    else:
        cuts = sorted({f for f in (b / per_unit for b in breakpoints(pricing, scenario)) if low < f < high})
    edges = [low, *cuts, high]
    pieces = []
    for start, end in zip(edges, edges[1:]):
        q1, q3 = _short_points(start, end)
        if known is not None and start < known[0] < end:
            # the known point, and the quarter point farther from it
            (q1, c1), q3 = known, (q3 if known[0] - start < end - known[0] else q1)
        else:
            c1 = monthly_cost(pricing, scenario.at_volume(q1 if per_unit is None else q1 * per_unit)).total
        c3 = monthly_cost(pricing, scenario.at_volume(q3 if per_unit is None else q3 * per_unit)).total
        slope = (c3 - c1) / (q3 - q1)
        pieces.append(Piece(start, end, slope, c1 - slope * q1))
    return pieces


def _quarter_points(start: Decimal, end: Decimal) -> tuple[Decimal, Decimal]:
    return start + (end - start) / 4, start + (end - start) * 3 / 4


def _short_points(start: Decimal, end: Decimal) -> tuple[Decimal, Decimal]:
    """Two points inside (start, end) near its quarters, each written with few digits.

    A breakpoint rarely ends (a package's 11764 inquiries ÷ 30 days, or ÷ a month's
    volume); points with few digits keep the volumes evaluated, and so the slope found
    from them, exact: a break-even at a round figure (717.125, f = 0.871875) then comes
    out exactly as that figure, and rounds half-up as it should."""
    width = end - start
    step = Decimal(1).scaleb(width.adjusted() - 3)
    q1 = ((start + width / 4) / step).to_integral_value() * step
    q3 = ((start + width * 3 / 4) / step).to_integral_value() * step
    if not start < q1 < q3 < end:
        return _quarter_points(start, end)
    return q1, q3


def year_curve(
    vendor: str, pricing: Pricing, scenario: Scenario, low: Decimal, high: Decimal, year: ContractYear | None = None
) -> Curve:
    """The contract cost as every month's daily volume is scaled by f in [low, high]: the
    months' own curves in f, added (§10). (÷ contract months gives P; the crossings are
    found on the sum, which needs no division.) ``year``, the quote already priced month
    by month, gives each month's cost at f = 1."""
    months: list[list[Piece]] = []
    for index, ((_entry, month), twin) in enumerate(zip(scenario.months, scenario.month_twins)):
        if twin < index:  # the same S_m as an earlier month: the same curve
            months.append(months[twin])
            continue
        at_one = year.months[index].cost.total if year is not None else None
        daily = month.daily_inquiries
        if daily == 0:  # nothing to scale: the month costs the same at every f
            cost = at_one if at_one is not None else monthly_cost(pricing, month).total
            months.append([Piece(low, high, ZERO, cost)])
        else:
            months.append(
                _pieces(pricing, month, low, high, per_unit=daily, known=(ONE, at_one) if at_one is not None else None)
            )
    return Curve(vendor, tuple(_added(months)))


def _added(months: list[list[Piece]]) -> list[Piece]:
    """Σ of piecewise-linear functions over one range, as pieces."""
    edges = sorted({edge for pieces in months for p in pieces for edge in (p.start, p.end)})
    at = [0] * len(months)
    out: list[Piece] = []
    for start, end in zip(edges, edges[1:]):
        slope = intercept = ZERO
        for index, pieces in enumerate(months):
            while pieces[at[index]].end <= start:
                at[index] += 1
            piece = pieces[at[index]]
            slope += piece.slope
            intercept += piece.intercept
        if out and (out[-1].slope, out[-1].intercept) == (slope, intercept):
            out[-1] = Piece(out[-1].start, end, slope, intercept)
        else:
            out.append(Piece(start, end, slope, intercept))
    return out


@dataclass(frozen=True)
class BreakEven:
    daily_inquiries: Decimal  # exact
    below: str  # the cheapest vendor just below
    above: str  # the cheapest vendor just above
    monthly_cost: Decimal  # the cost there, of the vendor cheapest just above

    def to_json(self) -> dict:
        return {
            "daily_inquiries": fmt2(self.daily_inquiries),
            "below": self.below,
            "above": self.above,
            "monthly_cost": fmt2(self.monthly_cost),
        }


@dataclass(frozen=True)
class Segment(Piece):
    """A piece of the lower envelope: on (start, end) ``vendor`` is the cheapest."""

    vendor: str


def _contenders(curves: list[Curve]) -> list[Curve]:
    """The curves that can be cheapest somewhere: a curve whose lowest point lies above
    another curve's highest point never is. Extremes of a piecewise-linear curve lie at
    the ends of its pieces."""

    def ends(c: Curve):
        return [value for p in c.pieces for value in (p.at(p.start), p.at(p.end))]

    extremes = [(c, min(values), max(values)) for c in curves for values in [ends(c)]]
    ceiling = min(high for _, _, high in extremes)
    return [c for c, low, _ in extremes if low <= ceiling + EPSILON]


# Volumes like 11764 / 30 inquiries a day repeat forever in decimal: values computed at
# them carry rounding noise far below a fen. Costs (and slopes) closer than this are equal.
EPSILON = Decimal("1e-12")


def _same(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= EPSILON


def _cheaper_first(a: Segment, b: Segment, start: Decimal) -> tuple[Segment, Segment]:
    """(cheapest just after ``start``, the other): lower value, then lower slope; where both
    are equally cheapest (the same value and slope, up to noise) the vendor whose name sorts
    first counts as the cheapest (§6.11)."""
    value_a, value_b = a.at(start), b.at(start)
    if not _same(value_a, value_b):
        return (a, b) if value_a < value_b else (b, a)
    if not _same(a.slope, b.slope):
        return (a, b) if a.slope < b.slope else (b, a)
    return (a, b) if a.vendor <= b.vendor else (b, a)


def _append(out: list[Segment], segment: Segment) -> None:
    last = out[-1] if out else None
    if last and (last.vendor, last.slope, last.intercept) == (segment.vendor, segment.slope, segment.intercept):
        out[-1] = Segment(last.start, segment.end, last.slope, last.intercept, last.vendor)
    else:
        out.append(segment)


def _merge(a: list[Segment], b: list[Segment]) -> list[Segment]:
    """The lower envelope of two envelopes over the same range, crossings found exactly."""
    out: list[Segment] = []
    i = j = 0
    x = a[0].start
    while i < len(a) and j < len(b):
        pa, pb = a[i], b[j]
        end = min(pa.end, pb.end)
        if end > x:
            winner, loser = _cheaper_first(pa, pb, x)
            crossing = None
            # the other becomes cheaper before the end only if it is cheaper there beyond noise
            if loser.at(end) < winner.at(end) - EPSILON and loser.slope < winner.slope:
                crossing = (loser.intercept - winner.intercept) / (winner.slope - loser.slope)
            if crossing is not None and x + EPSILON < crossing < end - EPSILON:
                _append(out, Segment(x, crossing, winner.slope, winner.intercept, winner.vendor))
                _append(out, Segment(crossing, end, loser.slope, loser.intercept, loser.vendor))
            else:
                _append(out, Segment(x, end, winner.slope, winner.intercept, winner.vendor))
        x = end
        i += pa.end == end
        j += pb.end == end
    return out


def lower_envelope(curves: list[Curve]) -> list[Segment]:
    """The cheapest bid at every volume, merged pairwise (O(P log n) for P pieces)."""
    envelopes = [[Segment(p.start, p.end, p.slope, p.intercept, c.vendor) for p in c.pieces] for c in curves]
    while len(envelopes) > 1:
        envelopes = [
            _merge(envelopes[k], envelopes[k + 1]) if k + 1 < len(envelopes) else envelopes[k]
            for k in range(0, len(envelopes), 2)
        ]
    return envelopes[0] if envelopes else []


def break_even(curves: list[Curve], low: Decimal, high: Decimal) -> list[BreakEven]:
    """Every volume in [low, high] where the cheapest bid changes, found exactly."""
    curves = _contenders(curves)
    if len(curves) < 2:
        return []
    envelope = lower_envelope(curves)
    return [
        BreakEven(after.start, before.vendor, after.vendor, after.at(after.start))
        for before, after in zip(envelope, envelope[1:])
        if before.vendor != after.vendor
    ]


def vertices(c: Curve, per_unit: Decimal | None = None, months: Decimal | None = None) -> list[list[str]]:
    """The exact polyline of a curve, ``[daily_inquiries, monthly_cost]`` pairs: the ends of
    its pieces, both sides of a jump. A chart drawn through them bends where the cost does,
    not only at the grid points. A contract year's curve (§10) has a scale factor f on its
    axis, shown as the daily volume f × ``per_unit``, and the contract cost, shown ÷ ``months``."""
    points = []
    for piece in c.pieces:
        for x in (piece.start, piece.end):
            if per_unit is None:
                point = [fmt2(x), fmt2(piece.at(x))]
            else:
                point = [fmt2(x * per_unit), fmt2(piece.at(x) / months)]
            if not points or points[-1] != point:
                points.append(point)
    return points


def sensitivity(bids: list[tuple[str, Pricing]], scenario: Scenario, years: dict | None = None) -> dict:
    """Cost of each bid from 25 % to 300 % of the scenario's daily volume, and break-evens.
    With a monthly profile, ``years`` may give each vendor's quote already priced month by
    month (:class:`~scoring.year.ContractYear`), to spare pricing f = 1 again."""
    if scenario.monthly_profile:
        return _profile_sensitivity(bids, scenario, years or {})
    centre = scenario.reference_daily_inquiries
    result = {
        "scenario_daily_inquiries": fmt2(centre),
        "daily_inquiries": [],
        "costs": {},
        "curves": {},
        "break_even": [],
    }
    if centre <= 0 or not bids:
        return result
    low, high = centre * LOW, centre * HIGH
    grid = [centre * LOW * k for k in range(1, STEPS + 1)]
    curves = [curve(vendor, pricing, scenario, low, high) for vendor, pricing in sorted(bids, key=lambda b: b[0])]
    result["daily_inquiries"] = [fmt2(v) for v in grid]
    result["costs"] = {c.vendor: [fmt2(c.at(v)) for v in grid] for c in curves}
    result["curves"] = {c.vendor: vertices(c) for c in curves}
    result["break_even"] = [point.to_json() for point in break_even(curves, low, high)]
    return result


def _profile_sensitivity(bids: list[tuple[str, Pricing]], scenario: Scenario, years: dict) -> dict:
    """§10: every month's daily volume × f, f from 25 % to 300 %; shown at the contract's
    average daily volume f × Σ (daily × days) ÷ Σ days."""
    inquiries, days = scenario.profile_inquiries, scenario.profile_days
    average = inquiries / days if days else ZERO
    result = {
        "scenario_daily_inquiries": fmt2(average),
        "scale_factors": [],
        "daily_inquiries": [],
        "costs": {},
        "curves": {},
        "break_even": [],
    }
    if average <= 0 or not bids:
        return result
    factors = [LOW * k for k in range(1, STEPS + 1)]
    curves = [
        year_curve(vendor, pricing, scenario, LOW, HIGH, years.get(vendor))
        for vendor, pricing in sorted(bids, key=lambda b: b[0])
    ]
    result["scale_factors"] = [f"{f:.2f}" for f in factors]
    result["daily_inquiries"] = [fmt2(f * average) for f in factors]
    months = scenario.contract_months
    result["costs"] = {c.vendor: [fmt2(c.at(f) / months) for f in factors] for c in curves}
    result["curves"] = {c.vendor: vertices(c, per_unit=average, months=months) for c in curves}
    result["break_even"] = [
        BreakEven(
            point.daily_inquiries * inquiries / days, point.below, point.above, point.monthly_cost / months
        ).to_json()
        for point in break_even(curves, LOW, HIGH)
    ]
    return result
