"""One bid priced alone, for the vendor's preview, receipt and the opening record — in a
tender divided into lots (标包, domain §13) lot by lot.

An undivided tender: the bid's line of ``scoring.evaluate`` as it is. A tender divided into
lots: each lot the bid prices (a lot sheet left empty is no bid for it) evaluated alone by
``scoring.evaluate_lots``, as ``{"lots": [{"id", "name", <the bid's line in that lot>}],
"qualification", "flags"}`` — the qualification review is the tender's, shared by its lots.
"""

from __future__ import annotations

from scoring import evaluate, evaluate_lots


def priced_alone(model, bid) -> tuple[dict, list]:
    """(the evaluation as stored with the upload, the review's rule results)."""
    if not model.lots:
        result = evaluate(model, [bid])
        return result.to_json()["bids"][0], result.bids[0].review.rules
    result = evaluate_lots(model, [bid])
    lots, rules, first = [], [], None
    for item in result.lots:
        if not item.result.bids:
            continue
        line = item.result.to_json()["bids"][0]
        lots.append({"id": item.lot.id, "name": item.lot.name, **line})
        if first is None:
            first, rules = line, item.result.bids[0].review.rules
    evaluation = {
        "lots": lots,
        "model": None,
        "monthly_cost": None,
        "qualification": (first or {}).get("qualification", []),
        "flags": sorted({flag for line in lots for flag in line.get("flags", [])}),
    }
    return evaluation, rules


def lot_costs(evaluation: dict) -> list[dict]:
    """Each lot's ``{"id", "name", "model", "monthly_cost"}`` of a stored evaluation ([] undivided)."""
    return [
        {"id": line["id"], "name": line["name"], "model": line["model"], "monthly_cost": line["monthly_cost"]}
        for line in evaluation.get("lots") or []
    ]
