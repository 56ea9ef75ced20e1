"""The weight what-if (§7): the same bids and panel work scored under other criterion weights.

:func:`reweighted` returns the tender definition and the panel (the JSON of domain §3 and §8)
with new weights. Every point value of a criterion is scaled with its weight, so each bid
keeps the same share of each criterion and only the weights move the ranking: an objective
rule's own point values (each rule of :data:`scoring.criteria.OBJECTIVE_RULES` says which
they are), a subjective criterion's bands and the evaluators' scores, and the price
method's deductions per percent. Nothing is changed in place.

:func:`crossings` names the tried weights that reach or pass a bound of the official
result's weight stability (§11): moved alone that far, another bid would draw level with
the winner or lead.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scoring.criteria import OBJECTIVE_RULES
from scoring.money import to_decimal
from scoring.stability import WeightBound, fraction_text


def reweighted(definition: dict, panel: dict, weights: dict[str, Decimal]) -> tuple[dict, dict]:
    """The definition and panel with ``weights`` (criterion id → points) in place of the
    tender's; a criterion not named keeps its weight. Points are scaled by new ÷ old; a
    criterion whose old weight is 0 has no points to scale, and a banded criterion set to 0
    loses its bands (and the bands agreed for it)."""
    definition = copy.deepcopy(definition)
    panel = copy.deepcopy(panel)
    for criterion in definition.get("criteria", []):
        cid = criterion.get("id")
        if cid not in weights:
            continue
        old, new = to_decimal(criterion["weight"]), weights[cid]
        criterion["weight"] = format(new, "f")
        if old in (new, 0):
            continue

        def scaled(value, new=new, old=old) -> str:
            return format(to_decimal(value) * new / old, "f")

        kind = criterion.get("kind")
        if kind == "objective" and criterion.get("rule") in OBJECTIVE_RULES:
            OBJECTIVE_RULES[criterion["rule"]].scale(criterion, scaled)
        if kind == "subjective":
            _scale_subjective(criterion, panel, new, scaled)
        if kind == "price" and isinstance(definition.get("price_method"), dict):
            method = definition["price_method"]
            for key in ("above_per_pct", "below_per_pct"):
                if method.get(key) is not None:
                    method[key] = scaled(method[key])
    return definition, panel


def _scale_subjective(criterion: dict, panel: dict, new: Decimal, scaled) -> None:
    cid = criterion.get("id")
    if criterion.get("bands"):
        if new == 0:
            criterion.pop("bands")
            for per in panel.get("bands", {}).values():
                per.pop(cid, None)
        else:
            for band in criterion["bands"]:
                band["min"], band["max"] = scaled(band["min"]), scaled(band["max"])
    for per_vendor in panel.get("scores", {}).values():
        for per in per_vendor.values():
            if cid in per:
                per[cid] = scaled(per[cid])


@dataclass(frozen=True)
class Crossing:
    """A weight tried in the what-if that reaches or passes a stability bound (§11) of the
    official result: moved alone that far, the other weights scaled to fit, ``rival`` would
    total at least as much as the official winner."""

    criterion: str
    weight: Decimal  # the weight tried
    official: Decimal  # the published weight
    bound: Fraction  # the bound reached or passed, exact
    side: str  # "low" or "high"
    rival: str

    @property
    def bound_text(self) -> str:
        return fraction_text(self.bound)


def crossings(bounds: list[WeightBound], weights: dict[str, Decimal]) -> list[Crossing]:
    """The tried ``weights`` (criterion id → points) at or beyond a bound of the official
    result's weight stability, compared exactly (a bound is where the rival draws level)."""
    found = []
    for bound in bounds:
        tried = weights.get(bound.criterion)
        if tried is None or tried == bound.weight:
            continue
        x = Fraction(tried)
        if bound.low is not None and x < bound.weight and x <= bound.low:
            found.append(Crossing(bound.criterion, tried, bound.weight, bound.low, "low", bound.rival_low))
        if bound.high is not None and x > bound.weight and x >= bound.high:
            found.append(Crossing(bound.criterion, tried, bound.weight, bound.high, "high", bound.rival_high))
    return found
