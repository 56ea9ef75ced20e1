"""Charts of an evaluation result as SVG images, for the results page.

``/charts/results/<tender id>/<name>.svg`` with ``name`` one of ``costs`` (monthly cost
per bid), ``scores`` (score composition per bid), ``sensitivity`` (cost against daily
volume, break-evens marked, the scenario's volume drawn as a line), ``year_costs`` (each
bid's cost month by month, for a tender that gives its months) and ``stability`` (how far
each weight may move before another bid ranks first). Who may see the
results page may see its charts, no one else (the same service check). The figures are
drawn by :mod:`tender.charts.render` from the same ``scoring`` result as the page and the reports.

Matplotlib's rc settings are global: two charts drawn at once in two request threads
mix them up (Chinese drawn in DejaVu Sans: boxes), so :mod:`tender.charts.render` draws one
at a time.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user

from tender.auth.decorators import role_required
from tender.charts import render as charts
from tender.charts import year as year_charts
from tender.platform.i18n import is_english
from tender.services import Forbidden, NotFound, WrongState
from tender.services import panel as panel_service
from tender.services import results as results_service

bp = Blueprint("charts", __name__)


@bp.route("/results/<public_id>/<name>.svg")
@role_required("buyer", "evaluator")
def result_chart(public_id: str, name: str):
    if name not in charts.CHARTS and name not in year_charts.CHARTS:
        abort(404)
    try:
        tender = panel_service.results_access(current_user, public_id)
    except (NotFound, Forbidden):
        abort(404)
    except WrongState:  # prices still sealed for this evaluator, or nothing opened yet
        abort(403)
    lang = request.args.get("lang") if request.args.get("lang") in ("zh", "en") else ("en" if is_english() else "zh")
    draw = (charts if name in charts.CHARTS else year_charts).chart
    try:
        result = results_service.result(tender)
        lot_id = request.args.get("lot", "") if result.tender.lots else ""
        if result.tender.lots and result.lot(lot_id) is None:  # divided into lots (§13): one lot's chart, ?lot=L1
            abort(404)

        def part(result):  # the whole result, or the lot's
            return result.lot(lot_id).result if lot_id else result

        if name == "year_costs" and not part(result).tender.scenario.monthly_profile:
            abort(404)  # a tender without months has no year to draw
        svg = results_service.drawing(
            tender, ("chart", name, lang, lot_id), lambda result: draw(name, part(result), lang, "svg")
        )
    except charts.NoCJKFont:
        abort(503)
    return Response(svg, mimetype="image/svg+xml", headers={"X-Content-Type-Options": "nosniff"})
