"""The rules of domain.md, as plain Python.

This package is the domain: the workload scenario, the pricing models and their
normalization to one monthly cost, qualification and conformity review, the criteria,
ranking, sensitivity and tender validation. It imports no web framework, no ORM and
no file-format library; adapters in ``tender/`` feed it values and render its results.
"""

from scoring.errors import InvalidInput, Problem
from scoring.evaluation import evaluate
from scoring.lots import evaluate_lots
from scoring.tender import parse_bid, parse_panel, parse_tender, validate_tender

__all__ = [
    "InvalidInput",
    "Problem",
    "evaluate",
    "evaluate_lots",
    "parse_bid",
    "parse_panel",
    "parse_tender",
    "validate_tender",
]
