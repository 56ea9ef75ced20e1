"""A vendor's own cost curve: how its normalized monthly cost moves with the daily volume.

Shown on the bid preview. It is computed by ``scoring.sensitivity`` from this vendor's
pricing only, under the scenario of the tender version the bid answers, and drawn by
:func:`tender.charts.render.sensitivity_chart` (the same drawing as the results page). No other
vendor's data is read, so nothing sealed leaks through it.
"""
from __future__ import annotations

import dataclasses
import json

from scoring import evaluate, parse_bid, parse_tender
from scoring.sensitivity import sensitivity

from tender.charts import render as charts
from tender.models import BidVersion


def _definition(version: BidVersion) -> dict:
    tender = version.bid.tender
    for published in tender.versions:
        if published.number == version.tender_version:
            return json.loads(published.definition_json)
    return tender.definition()


def cost_curve_svg(version: BidVersion, content: dict, lang: str) -> str:
    """The SVG chart of one bid version's monthly cost against daily inquiries."""
    model = parse_tender(_definition(version))
    bid_dict = content["bid"]
    company = str((bid_dict.get("facts") or {}).get("company_name") or "")
    bid = parse_bid(bid_dict, model, source=company)
    own = dataclasses.replace(evaluate(model, [bid]), sensitivity=sensitivity([(bid.vendor, bid.pricing)],
                                                                             model.scenario))
    return charts.sensitivity_chart(own, lang, "svg", vendors=[bid.vendor])
