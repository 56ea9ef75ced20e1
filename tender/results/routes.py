"""Results under /results/<tender id>, for the tender's buyer and its evaluators (an
evaluator once it has submitted its technical scores): the opening record, the ranking
with every figure's breakdown, the volume sensitivity, the weight what-if, and the
Excel and Word reports. Everything shown comes from one ``scoring`` result."""

from __future__ import annotations

import base64
from decimal import Decimal, InvalidOperation

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scoring import InvalidInput
from scoring.weights import crossings
from tender.auth.decorators import role_required
from tender.jobs import queue as jobs
from tender.platform.i18n import is_english, problem_text
from tender.platform.views import PostForm, or_404
from tender.reports.view import ReportView
from tender.reports.year_view import YearView
from tender.services import WrongState, deliberation
from tender.services import award as award_service
from tender.services import opening as opening_service
from tender.services import panel as panel_service
from tender.services import results as service

bp = Blueprint("results", __name__)


def _tender(public_id: str):
    """The tender, or a redirect to where the user must go first."""
    try:
        return or_404(panel_service.results_access, current_user, public_id), None
    except panel_service.PricesSealed as error:
        flash(error.message, "warning")
        return None, redirect(url_for("panel.scores", public_id=public_id))
    except WrongState as error:
        flash(error.message, "warning")
        target = (
            url_for("tenders.show", public_id=public_id)
            if current_user.role == "buyer"
            else url_for("panel.tender", public_id=public_id)
        )
        return None, redirect(target)


REPORT_JOB_THRESHOLD = 100  # bids; above it a report takes seconds (bench/reports_bench.py)


def year_and_stability(result, public_id: str) -> dict:
    """What the partials of the contract year and the weight stability need for one result."""
    lang = "en" if is_english() else "zh"
    view = YearView(ReportView(result, None, lang))
    return {
        "year": view,
        "stability": view,
        "year_chart_src": url_for("charts.result_chart", public_id=public_id, name="year_costs", lang=lang),
        "stability_chart_src": url_for("charts.result_chart", public_id=public_id, name="stability", lang=lang),
    }


def _page_context(tender):
    data = service.inputs(tender)
    result = data.result
    shown = result.to_json()
    costs = shown["sensitivity"].get("costs", {})
    cheapest = [
        min((values[i] for values in costs.values()), key=Decimal)
        for i in range(len(shown["sensitivity"].get("daily_inquiries", [])))
    ]
    return (
        data,
        result,
        {
            "tender": tender,
            "result": shown,
            "evaluated": result,
            "form": PostForm(),
            "cheapest": cheapest,
            "criterion_names": {c.id: c.title for c in result.tender.criteria},
            "bid_of": {item.vendor_name: item for item in data.items},
            "members": opening_service.sitting(tender),
            "signed_by": [s.evaluator.name for s in deliberation.signatures(tender)],
            "award": award_service.decision_for(tender),
            "reopening": panel_service.open_reopening(tender),
            "reopenings": panel_service.reopenings(tender),
            "corrections": panel_service.corrections(tender),
            "final": tender.is_final,
            "record": opening_service.record_for(tender),
            "opened": opening_service.opened_bids(tender),
            "completed_at": panel_service.completed_at(tender),
            # Large tenders, or any tender once a job queue is configured, build reports as
            # background jobs with a progress page; small ones download at once.
            "reports_in_background": jobs.uses_queue() or len(data.items) > REPORT_JOB_THRESHOLD,
            **year_and_stability(result, tender.public_id),
        },
    )


def _lots_context(tender, data) -> dict:
    """The results page of a tender divided into lots (§13): the award table across the lots,
    then each lot's own ranking (the ordinary partials, one lot at a time)."""
    result = data.result
    shown = result.to_json()
    bid_of = {item.vendor_name: item for item in data.items}
    return {
        "tender": tender,
        "result": shown,
        "evaluated": result,
        "form": PostForm(),
        "criterion_names": {c.id: c.title for c in result.tender.criteria},
        "bid_of": bid_of,
        "members": opening_service.sitting(tender),
        "signed_by": [s.evaluator.name for s in deliberation.signatures(tender)],
        "award": award_service.decision_for(tender),
        "reopening": panel_service.open_reopening(tender),
        "reopenings": panel_service.reopenings(tender),
        "corrections": panel_service.corrections(tender),
        "final": tender.is_final,
        "opened": opening_service.opened_bids(tender),
        "completed_at": panel_service.completed_at(tender),
        "reports_in_background": jobs.uses_queue() or len(data.items) > REPORT_JOB_THRESHOLD,
        "lot_bidders": {
            lot.id: [item.vendor_name for item in service.bids_in_lot(data.items, data.contents, lot.id)]
            for lot in result.tender.lots
        },
    }


@bp.route("/<public_id>")
@role_required("buyer", "evaluator")
def show(public_id: str):
    tender, answer = _tender(public_id)
    if answer:
        return answer
    data = service.inputs(tender)
    if data.tender.lots:
        return render_template("results/lots.html", **_lots_context(tender, data))
    _data, _result, context = _page_context(tender)
    return render_template("results/results.html", **context)


@bp.route("/<public_id>/opening-record")
@role_required("buyer", "evaluator")
def opening_record(public_id: str):
    tender, answer = _tender(public_id)
    if answer:
        return answer
    return render_template(
        "results/opening_record.html",
        tender=tender,
        record=opening_service.record_for(tender),
        items=opening_service.opened_bids(tender),
    )


@bp.route("/<public_id>/what-if", methods=["GET", "POST"])
@role_required("buyer")
def what_if(public_id: str):
    tender, answer = _tender(public_id)
    if answer:
        return answer
    if service.inputs(tender).tender.lots:
        flash(
            _("A tender divided into lots has no weight what-if: each lot's ranking is on the results page."), "warning"
        )
        return redirect(url_for("results.show", public_id=public_id))
    data, official, context = _page_context(tender)
    criteria = data.definition.get("criteria", [])
    weights, problems, outcome, tried = {}, [], None, None
    if request.method == "POST":
        for criterion in criteria:
            raw = request.form.get(f"weight:{criterion['id']}", "").strip()
            try:
                weights[criterion["id"]] = Decimal(raw)
            except InvalidOperation:
                problems.append(_("%(criterion)s: enter a number of points.", criterion=criterion["name"]))
        if not problems:
            try:
                tried = service.what_if(tender, weights)
            except InvalidInput as error:
                problems = [problem_text(p, with_path=False) for p in error.problems]
            else:
                outcome = tried.to_json()
    return render_template(
        "results/what_if.html",
        tender=tender,
        criteria=criteria,
        weights=weights,
        problems=problems,
        outcome=outcome,
        official=official.to_json(),
        form=PostForm(),
        official_bounds={b.criterion.id: b for b in context["stability"].bounds()},
        **_what_if_stability(official, tried),
    )


def _what_if_stability(official, tried) -> dict:
    """The weight stability of the what-if result (its chart inline: it exists for this
    request only), and the tried weights at or beyond a bound of the official result."""
    if tried is None:
        return {"crossings": [], "stability": None}
    from tender.charts.render import NoCJKFont
    from tender.charts.year import stability_chart

    lang = "en" if is_english() else "zh"
    view = YearView(ReportView(tried, None, lang))
    source = ""
    if view.bounds():
        try:
            svg = stability_chart(tried, lang, "svg")
        except NoCJKFont:
            svg = ""
        source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii") if svg else ""
    weights = {c.id: c.weight for c in tried.tender.criteria}
    official_winner = (
        next((b.vendor for b in official.ranked if b.rank == 1), None) if official.weight_stability else None
    )
    return {
        "crossings": crossings(official.weight_stability, weights),
        "official_winner": official_winner,
        "stability": view,
        "stability_chart_src": source,
        "stability_suffix": "-what-if",
    }


def _report(public_id: str, kind: str):
    """The report straight away, built by the same task the background job runs."""
    tender, answer = _tender(public_id)
    if answer:
        return answer
    from tender.jobs.tasks import build_report
    from tender.platform.security import attachment

    lot = request.args.get("lot", "")
    lots = service.result(tender).tender.lots  # the evaluation kept: no opened bid read again
    if lots and lot not in {item.id for item in lots}:  # §13: a report per lot
        flash(_("Choose one lot of the tender for its report."), "warning")
        return redirect(url_for("results.show", public_id=public_id))
    file = build_report(
        current_user,
        lambda *_args: None,
        tender=tender.public_id,
        kind=kind,
        lang="en" if is_english() else "zh",
        lot=lot if lots else "",
    )
    return attachment(file.data, file.filename, file.content_type)


@bp.route("/<public_id>/report.xlsx")
@role_required("buyer", "evaluator")
def report_xlsx(public_id: str):
    return _report(public_id, "xlsx")


@bp.route("/<public_id>/report.docx")
@role_required("buyer", "evaluator")
def report_docx(public_id: str):
    return _report(public_id, "docx")


@bp.route("/<public_id>/final-offers")
@role_required("buyer", "evaluator")
def final_offers(public_id: str):
    """The round's opening record (§12): each invited vendor's first and final monthly cost,
    the sheet's SHA-256 re-checked; readable once the final offers are opened."""
    from tender.services import final_offers as final_service

    tender, answer = _tender(public_id)
    if answer:
        return answer
    final_round = final_service.round_for(tender)
    if (
        final_round is None
        or not tender.readable("final_offers", "buyer", final_round_held=True)
        or final_round.offers_opened_at is None
    ):
        flash(_("The final offers are sealed until the round's deadline and their opening."), "warning")
        return redirect(url_for("results.show", public_id=public_id))
    return render_template("results/final_offers.html", tender=tender, **final_service.record(tender))
