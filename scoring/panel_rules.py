"""How the panel decides together (评标委员会, domain §15): majorities and outlier scores.

Overrides, bands and abnormal-low decisions are proposals until the panel has voted; a
proposal passes with a majority of the *whole* panel (more than half of the members
sitting, not of those who voted), and fails as soon as it can no longer reach one.
Individual scores stay individual, but one that lies more than a third of the criterion's
weight from the panel mean goes back to its evaluator to confirm or correct (畸高畸低).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.money import ZERO

PASSED, REJECTED, OPEN = "passed", "rejected", "open"


@dataclass(frozen=True)
class Tally:
    members: int
    agree: int
    disagree: int

    @property
    def not_voted(self) -> int:
        return self.members - self.agree - self.disagree

    @property
    def outcome(self) -> str:
        """passed when agree > members / 2; rejected once agree can no longer get there."""
        if 2 * self.agree > self.members:
            return PASSED
        if 2 * (self.agree + self.not_voted) <= self.members:
            return REJECTED
        return OPEN

    @property
    def needed(self) -> int:
        """Agreeing votes a proposal needs: more than half of the whole panel."""
        return self.members // 2 + 1


def tally(members: int, votes: dict) -> Tally:
    """Count ``votes`` (member → True for agree, False for disagree) of a panel of ``members``."""
    agree = sum(1 for v in votes.values() if v is True)
    disagree = sum(1 for v in votes.values() if v is False)
    if agree + disagree > members:
        raise ValueError("more votes than members")
    return Tally(members, agree, disagree)


@dataclass(frozen=True)
class Outlier:
    evaluator: str
    score: Decimal
    mean: Decimal
    limit: Decimal  # a third of the weight

    @property
    def distance(self) -> Decimal:
        return abs(self.score - self.mean)


def outliers(scores: dict, weight: Decimal) -> list[Outlier]:
    """The evaluators (of one bid on one criterion) whose score differs from the panel mean
    — every member's score counted — by more than weight ÷ 3. Strictly more: a score
    exactly a third away stands. Needs at least two scores to have a panel to differ from."""
    if len(scores) < 2:
        return []
    mean = sum(scores.values(), ZERO) / len(scores)
    limit = weight / 3
    return [Outlier(evaluator, score, mean, limit) for evaluator, score in scores.items() if abs(score - mean) > limit]
