"""A vendor's own charts on its bid preview: how its normalized monthly cost moves with the
daily volume, and (when the tender gives its months) its cost month by month.

The curve is computed by ``scoring.sensitivity`` from this vendor's pricing only, under the
scenario of the tender version the bid answers, and drawn by
:func:`tender.charts.render.sensitivity_chart` (the same drawing as the results page); the
year by :func:`tender.charts.year.year_cost_chart` from this bid evaluated alone. No other
vendor's data is read, so nothing sealed leaks through them.
"""

from __future__ import annotations

import dataclasses
import json

from scoring import evaluate, parse_bid, parse_tender
from scoring.sensitivity import sensitivity
from tender.charts import render as charts
from tender.models import BidVersion


def tender_definition(version: BidVersion) -> dict:
    """The definition of the tender version a bid version answers."""
    tender = version.bid.tender
    for published in tender.versions:
        if published.number == version.tender_version:
            return json.loads(published.definition_json)
    return tender.definition()


def cost_curve_svg(version: BidVersion, content: dict, lang: str) -> str:
    """The SVG chart of one bid version's monthly cost against daily inquiries."""
    model, bid = _own_bid(version, content)
    own = dataclasses.replace(
        evaluate(model, [bid]), sensitivity=sensitivity([(bid.vendor, bid.pricing)], model.scenario)
    )
    return charts.sensitivity_chart(own, lang, "svg", vendors=[bid.vendor])


def _own_bid(version: BidVersion, content: dict):
    model = parse_tender(tender_definition(version))
    bid_dict = content["bid"]
    company = str((bid_dict.get("facts") or {}).get("company_name") or "")
    return model, parse_bid(bid_dict, model, source=company)


def year_costs_svg(version: BidVersion, content: dict, lang: str) -> str:
    """The SVG chart of one bid version's cost month by month (its tender gives the months)."""
    from tender.charts.year import year_cost_chart

    model, bid = _own_bid(version, content)
    return year_cost_chart(evaluate(model, [bid]), lang, "svg", vendors=[bid.vendor])
