"""Evaluator routes under /evaluator: assigned tenders, the conflict-of-interest
declaration, qualification review with evidence and overrides, the bid document read in
the browser, agreed bands, the blind score sheet, corrections and abnormal-low decisions —
each a proposal the panel votes on (the proposals page) —, the vendor's explanation asked
for, outlying scores confirmed, the chair's closing and the members' signatures.

A tender the evaluator is not assigned to is 404; before the opening, before the
declaration and (for prices) before submitting its technical scores, the evaluator is
told why and sent to the step it must take.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scoring import lifecycle
from scoring.times import parse_time
from tender.auth.decorators import role_required
from tender.models import utcnow
from tender.panel.document_view import document_html
from tender.platform.security import attachment
from tender.platform.timefmt import local_input_value
from tender.platform.views import PostForm, flash_problems, or_404, posted
from tender.services import Forbidden, Invalid, NotFound, WrongState, deliberation
from tender.services import opening as opening_service
from tender.services import panel as service
from tender.services import results as results_service

bp = Blueprint("panel", __name__)


def _assignment(public_id: str):
    return or_404(service.assignment_for, current_user, public_id)


def _visible(assignment):
    """The tender if its bids may be seen, else a redirect to the step to take first."""
    try:
        return service.require_bids_visible(assignment), None
    except service.DeclarationNeeded as error:
        flash(error.message, "warning")
        return None, redirect(url_for("panel.tender", public_id=assignment.tender.public_id))
    except WrongState as error:
        flash(error.message, "warning")
        return None, redirect(url_for("panel.index"))


def _back(public_id: str, endpoint: str = "panel.tender", **values):
    return redirect(url_for(endpoint, public_id=public_id, **values))


def _act(public_id: str, action, *args, done: str, back: str = "panel.tender"):
    """One of the panel's actions for the signed-in evaluator: its problems or its refusal are
    shown, else ``done``; back to the ``back`` page either way (an unknown tender or bid: 404)."""
    try:
        or_404(action, current_user, public_id, *args)
    except Invalid as error:
        flash_problems(error)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(done, "success")
    return _back(public_id, back)


@bp.route("/")
@role_required("evaluator")
def index():
    assignments = service.my_assignments(current_user)
    return render_template(
        "panel/index.html", assignments=assignments, waiting={a.id: service.waiting_for(a) for a in assignments}
    )


@bp.route("/tenders/<public_id>")
@role_required("evaluator")
def tender(public_id: str):
    """The tender's page: the declaration first, then the steps of the evaluation."""
    assignment = _assignment(public_id)
    tender = assignment.tender
    status = tender.current_status
    context = {"assignment": assignment, "tender": tender, "status": status, "form": PostForm()}
    context["chair"] = deliberation.chair_name(tender)
    if not lifecycle.sealed(status) and assignment.declared:
        context["bidders"] = results_service.readable_bids(tender)
        context["members"] = opening_service.sitting(tender)
    elif assignment.coi_declared_at is None and lifecycle.allowed("declare", status):
        context["bidders"] = opening_service.opened_bids(tender)  # names only, to declare against
    return render_template("panel/tender.html", **context)


@bp.route("/tenders/<public_id>/declaration", methods=["POST"])
@role_required("evaluator")
def declare(public_id: str):
    _assignment(public_id)
    posted()
    conflict = request.form.get("conflict") == "yes"
    if not conflict and request.form.get("no_conflict") != "yes":
        flash(_("Tick the declaration to confirm it."), "danger")
        return _back(public_id)
    return _act(
        public_id, service.declare, conflict, request.form.get("note", ""), done=_("Your declaration is recorded.")
    )


@bp.route("/tenders/<public_id>/review")
@role_required("evaluator")
def review(public_id: str):
    assignment = _assignment(public_id)
    tender, answer = _visible(assignment)
    if answer:
        return answer
    return render_template(
        "panel/review.html",
        tender=tender,
        assignment=assignment,
        rows=service.review(assignment),
        form=PostForm(),
        final=not tender.may("propose"),
        chair=deliberation.chair_name(tender),
        open_proposals=_open_by_subject(tender, "override"),
    )


@bp.route("/tenders/<public_id>/bids/<bid_id>/override", methods=["POST"])
@role_required("evaluator")
def override(public_id: str, bid_id: str):
    _assignment(public_id)
    posted()
    passed = request.form.get("passed") == "yes"
    return _act(
        public_id,
        service.override_rule,
        bid_id,
        request.form.get("rule", ""),
        passed,
        request.form.get("reason", ""),
        request.form.get("lot", ""),
        done=_("Your proposal is recorded: it takes effect once a majority of the whole panel agrees."),
        back="panel.review",
    )


@bp.route("/tenders/<public_id>/bids/<bid_id>/document")
@role_required("evaluator")
def document(public_id: str, bid_id: str):
    assignment = _assignment(public_id)
    tender, answer = _visible(assignment)
    if answer:
        return answer
    item = or_404(opening_service.opened_bid, tender, bid_id)
    if item.status != "ok":
        return render_template("panel/document.html", tender=tender, item=item, html=None, messages=[]), 200
    body, messages = document_html(opening_service.document_bytes(item))
    response = render_template("panel/document.html", tender=tender, item=item, html=body, messages=messages)
    return (
        response,
        200,
        {
            "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'none'; "
            "form-action 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def _entries(form, prefix: str = "score") -> dict:
    """Posted fields ``score:<bid public id>:<criterion id>`` → {(bid, criterion): text}."""
    entries = {}
    for key, value in form.items():
        parts = key.split(":", 2)
        if len(parts) == 3 and parts[0] == prefix:
            entries[(parts[1], parts[2])] = value
    return entries


@bp.route("/tenders/<public_id>/scores", methods=["GET", "POST"])
@role_required("evaluator")
def scores(public_id: str):
    """The blind score sheet. "Save as draft" keeps what is typed; "Submit" first checks the
    whole sheet as a submission would (every cell, each problem beside its cell) and only a
    sheet that would pass is saved and shown back for the evaluator to confirm; the
    confirmation submits. Once submitted, the sheet shows the prices and the panel's scores."""
    assignment = _assignment(public_id)
    tender, answer = _visible(assignment)
    if answer:
        return answer
    typed, cells, confirming = None, {}, False
    if request.method == "POST":
        posted()
        action = request.form.get("action")
        entries = _entries(request.form)
        try:
            or_404(
                service.save_scores,
                current_user,
                public_id,
                entries,
                submit=action == "submit",
                complete=action == "review",
            )
        except Invalid as error:
            cells = {problem.path: problem for problem in error.problems}
            typed = entries
            flash(
                _(
                    "%(n)s cells of the score sheet need attention: each is marked below with its reason. "
                    "Nothing was submitted.",
                    n=len(cells),
                ),
                "danger",
            )
        except WrongState as error:
            flash(error.message, "danger")
            return redirect(url_for("panel.scores", public_id=public_id))
        else:
            if action == "review":
                return redirect(url_for("panel.scores", public_id=public_id, confirm=1))
            flash(
                _("Your scores are submitted: prices and the panel's scores are now shown to you.")
                if action == "submit"
                else _("Your scores are saved as a draft."),
                "success",
            )
            return redirect(url_for("panel.scores", public_id=public_id))
    elif request.args.get("confirm") and assignment.submitted_at is None and not tender.is_final:
        cells = service.draft_problems(assignment)
        confirming = not cells
        if cells:
            flash(
                _(
                    "%(n)s cells of the score sheet need attention: each is marked below with its reason. "
                    "Nothing was submitted.",
                    n=len(cells),
                ),
                "danger",
            )
    data = results_service.inputs(tender)
    rows = service.sheet_rows(tender)
    if typed is None:
        typed = service.own_scores(assignment)
    agreed = service.bands(tender)
    to_score = {item.bid_id for item in service.bids_to_score(tender)}
    seen = service.after_submission(assignment) if assignment.submitted_at is not None else None
    return render_template(
        "panel/scores.html",
        tender=tender,
        assignment=assignment,
        items=data.items,
        rows=rows,
        criteria=data.tender.subjective_criteria,
        typed=typed,
        to_score=to_score,
        agreed=agreed,
        form=PostForm(),
        vendor_of={item.bid_id: item.vendor_name for item in data.items},
        final=not tender.may("score"),
        cells=cells,
        confirming=confirming,
        seen=seen,
        chair=deliberation.chair_name(tender),
        outliers=[o for o in deliberation.outliers(tender) if o["evaluator_id"] == current_user.id]
        if assignment.submitted_at is not None
        else [],
        band_proposals=_open_by_subject(tender, "band"),
        cell_name=service.cell_name,
        corrections=[c for c in service.corrections(tender) if c.evaluator_id == current_user.id],
    )


@bp.route("/tenders/<public_id>/scores/correct", methods=["POST"])
@role_required("evaluator")
def correct(public_id: str):
    _assignment(public_id)
    posted()
    return _act(
        public_id,
        service.correct_score,
        request.form.get("bid", ""),
        request.form.get("criterion", ""),
        request.form.get("value", ""),
        request.form.get("reason", ""),
        done=_("The correction is recorded."),
        back="panel.scores",
    )


@bp.route("/tenders/<public_id>/bands", methods=["POST"])
@role_required("evaluator")
def band(public_id: str):
    _assignment(public_id)
    posted()
    return _act(
        public_id,
        service.agree_band,
        request.form.get("bid", ""),
        request.form.get("criterion", ""),
        request.form.get("label", ""),
        request.form.get("reason", ""),
        request.form.get("lot", ""),
        done=_("Your proposal is recorded: it takes effect once a majority of the whole panel agrees."),
        back="panel.scores",
    )


@bp.route("/tenders/<public_id>/abnormal-low", methods=["GET", "POST"])
@role_required("evaluator")
def abnormal_low(public_id: str):
    assignment = _assignment(public_id)
    tender, answer = _visible(assignment)
    if answer:
        return answer
    try:
        service.require_prices_visible(assignment)
    except WrongState as error:
        flash(error.message, "warning")
        return redirect(url_for("panel.scores", public_id=public_id))
    if request.method == "POST":
        posted()
        try:
            or_404(
                service.decide_abnormal_low,
                current_user,
                public_id,
                request.form.get("bid", ""),
                request.form.get("decision", ""),
                request.form.get("note", ""),
                request.form.get("lot", ""),
            )
        except Invalid as error:
            flash_problems(error)
        except WrongState as error:
            flash(error.message, "danger")
        else:
            flash(_("Your proposal is recorded: it takes effect once a majority of the whole panel agrees."), "success")
            return redirect(url_for("panel.abnormal_low", public_id=public_id))
    evaluated = results_service.result(tender)
    # a tender divided into lots (§13): a bid flagged in a lot, against that lot's other bids,
    # decided in that lot (a bid flagged in two lots is decided in each)
    results = [(item.lot.id, item.result) for item in evaluated.lots] if evaluated.tender.lots else [("", evaluated)]
    flagged, figures = [], {}
    bid_of = {item.vendor_name: item for item in results_service.readable_bids(tender)}
    ratio = evaluated.tender.abnormal_low_ratio
    for lot, result in results:
        valid = {b.vendor: b.monthly_cost for b in result.bids if b.qualified and b.monthly_cost is not None}
        for bid in result.to_json()["bids"]:
            if "abnormal_low" not in bid["flags"]:
                continue
            flagged.append({**bid, "lot": lot})
            others = [cost for vendor, cost in valid.items() if vendor != bid["vendor"]]
            if ratio is not None and others:
                mean = (sum(others) / len(others)).quantize(Decimal("0.01"))
                figures[(lot, bid["vendor"])] = {
                    "ratio": ratio,
                    "mean": mean,
                    "count": len(others),
                    "threshold": (ratio * sum(others) / len(others)).quantize(Decimal("0.01")),
                }
    return render_template(
        "panel/abnormal_low.html",
        tender=tender,
        flagged=flagged,
        bid_of=bid_of,
        decisions=service.decisions(tender),
        form=PostForm(),
        figures=figures,
        requests=deliberation.explanation_requests(tender),
        now=utcnow(),
        default_deadline=local_input_value(utcnow() + dt.timedelta(days=2)),
        proposals=_open_by_subject(tender, "abnormal_low"),
        chair=deliberation.chair_name(tender),
        final=not tender.may("propose"),
    )


def _open_by_subject(tender, kind: str) -> dict:
    """The open proposals of ``kind``, by (bid id, lot, subject) — lot "" in an undivided
    tender: pages link them to their vote."""
    return {(p.bid_id, p.lot, p.subject): p for p in deliberation.open_proposals(tender) if p.kind == kind}


@bp.route("/tenders/<public_id>/abnormal-low/explanation", methods=["POST"])
@role_required("evaluator")
def request_explanation(public_id: str):
    """Ask the flagged vendor for a written explanation by a deadline (Shanghai time)."""
    _assignment(public_id)
    posted()
    try:
        deadline = parse_time(request.form.get("deadline", ""))
    except ValueError:
        deadline = None
    return _act(
        public_id,
        deliberation.request_explanation,
        request.form.get("bid", ""),
        deadline,
        request.form.get("question", ""),
        done=_("The vendor is asked for its explanation and notified."),
        back="panel.abnormal_low",
    )


@bp.route("/explanation-files/<file_id>")
@role_required("evaluator")
def explanation_file(file_id: str):
    try:
        row, data = or_404(deliberation.explanation_file, current_user, file_id)
    except WrongState:
        abort(404)
    return attachment(data, row.filename, row.content_type)


@bp.route("/tenders/<public_id>/proposals")
@role_required("evaluator")
def proposals(public_id: str):
    """The panel's proposals: each with its votes so far and who has not voted; the chair's close."""
    assignment = _assignment(public_id)
    tender, answer = _visible(assignment)
    if answer:
        return answer
    open_evaluation = tender.may("close_evaluation")
    return render_template(
        "panel/proposals.html",
        tender=tender,
        assignment=assignment,
        board=deliberation.board(tender),
        form=PostForm(),
        chair=deliberation.chair_name(tender),
        may_vote=tender.may("vote"),
        sees_prices=assignment.submitted_at is not None,
        blockers=deliberation.close_blockers(tender) if assignment.chair and open_evaluation else [],
        may_close=assignment.chair and open_evaluation,
    )


@bp.route("/tenders/<public_id>/proposals/<proposal_id>/vote", methods=["POST"])
@role_required("evaluator")
def vote(public_id: str, proposal_id: str):
    _assignment(public_id)
    posted()
    choice = request.form.get("agree")
    if choice not in ("yes", "no"):
        flash(_("Choose agree or disagree."), "danger")
        return _back(public_id, "panel.proposals")
    return _act(
        public_id,
        deliberation.vote,
        proposal_id,
        choice == "yes",
        request.form.get("reason", ""),
        done=_("Your vote is recorded."),
        back="panel.proposals",
    )


@bp.route("/tenders/<public_id>/scores/outlier", methods=["POST"])
@role_required("evaluator")
def confirm_outlier(public_id: str):
    _assignment(public_id)
    posted()
    return _act(
        public_id,
        deliberation.confirm_outlier,
        request.form.get("bid", ""),
        request.form.get("criterion", ""),
        request.form.get("reason", ""),
        done=_("Your score is confirmed, with your reason recorded."),
        back="panel.scores",
    )


@bp.route("/tenders/<public_id>/close", methods=["POST"])
@role_required("evaluator")
def close(public_id: str):
    """The chair closes the evaluation, having confirmed it knows what follows."""
    _assignment(public_id)
    posted()
    if request.form.get("understood") != "yes":
        flash(
            _("Tick the box to confirm that scores and decisions can no longer change once the evaluation is closed."),
            "danger",
        )
        return _back(public_id, "panel.proposals")
    try:
        deliberation.close(current_user, public_id)
    except NotFound:
        abort(404)
    except (WrongState, Forbidden) as error:
        flash(error.message, "danger")
        return _back(public_id, "panel.proposals")
    flash(_("The evaluation is closed: each member now signs the report."), "success")
    return _back(public_id, "panel.sign")


@bp.route("/tenders/<public_id>/sign", methods=["GET", "POST"])
@role_required("evaluator")
def sign(public_id: str):
    """The report to sign (its SHA-256 and the signatures so far); signing re-enters the password."""
    assignment = _assignment(public_id)
    tender, answer = _visible(assignment)
    if answer:
        return answer
    if request.method == "POST":
        posted()
        if request.form.get("understood") != "yes":
            flash(_("Tick the box to confirm that you sign the report as it stands."), "danger")
            return _back(public_id, "panel.sign")
        try:
            deliberation.sign(current_user, public_id, request.form.get("password", ""))
        except Invalid as error:
            flash_problems(error)
        except WrongState as error:
            flash(error.message, "danger")
        else:
            flash(_("You have signed the evaluation report."), "success")
        return _back(public_id, "panel.sign")
    names = results_service.panel_names(tender)
    signed = {s.evaluator_id: s for s in deliberation.signatures(tender)}
    members = opening_service.sitting(tender)
    return render_template(
        "panel/sign.html",
        tender=tender,
        assignment=assignment,
        form=PostForm(),
        digest=deliberation.report_digest(tender) if tender.may("sign") else None,
        signed=signed,
        members=members,
        names=names,
        chair=deliberation.chair_name(tender),
        may_sign=tender.may("sign") and assignment.evaluator_id not in signed,
    )
