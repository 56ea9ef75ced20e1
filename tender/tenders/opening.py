"""Buyer routes under /buyer/tenders/<id>: the evaluation panel, the opening, the award,
reopening a final evaluation. Views read the request, call the services and map their
errors to a message; another buyer's tender is 404."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scoring import lifecycle
from tender.auth.decorators import role_required
from tender.models import utcnow
from tender.platform.i18n import pick
from tender.platform.views import PostForm, flash_problems, or_404, posted
from tender.services import Invalid, WrongState, deliberation
from tender.services import award as award_service
from tender.services import opening as opening_service
from tender.services import panel as panel_service
from tender.tenders import bp
from tender.tenders.routes import own_tender


@bp.route("/<public_id>/panel")
@role_required("buyer")
def panel(public_id: str):
    tender = own_tender(public_id)
    members = opening_service.panel(tender)
    taken = {a.evaluator_id for a in members}
    return render_template(
        "tenders/panel.html",
        tender=tender,
        members=members,
        form=PostForm(),
        may_assign=opening_service.may_assign(tender, members),
        candidates=[u for u in opening_service.available_evaluators() if u.id not in taken],
        refusal=opening_service.opening_refusal(tender, utcnow()),
        reopening=panel_service.open_reopening(tender),
        signed={s.evaluator_id: s for s in deliberation.signatures(tender)},
    )


@bp.route("/<public_id>/panel/assign", methods=["POST"])
@role_required("buyer")
def assign(public_id: str):
    own_tender(public_id)
    posted()
    try:
        assignment = or_404(opening_service.assign, current_user, public_id, request.form.get("evaluator", ""))
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("%(name)s is on the panel.", name=assignment.evaluator.name), "success")
    return redirect(url_for("tenders.panel", public_id=public_id))


@bp.route("/<public_id>/panel/chair", methods=["POST"])
@role_required("buyer")
def name_chair(public_id: str):
    """The buyer names the chair (组长) among the panel's evaluators (§15)."""
    own_tender(public_id)
    posted()
    try:
        assignment = or_404(deliberation.name_chair, current_user, public_id, request.form.get("evaluator", ""))
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("%(name)s chairs the panel.", name=assignment.evaluator.name), "success")
    return redirect(url_for("tenders.panel", public_id=public_id))


@bp.route("/<public_id>/panel/<evaluator_id>/remove", methods=["POST"])
@role_required("buyer")
def unassign(public_id: str, evaluator_id: str):
    own_tender(public_id)
    posted()
    try:
        or_404(opening_service.unassign, current_user, public_id, evaluator_id)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("The evaluator is removed from the panel."), "success")
    return redirect(url_for("tenders.panel", public_id=public_id))


@bp.route("/<public_id>/open", methods=["POST"])
@role_required("buyer")
def open_bids(public_id: str):
    own_tender(public_id)
    posted()
    try:
        or_404(opening_service.open_bids, current_user, public_id)
    except WrongState as error:
        flash(error.message, "danger")
        return redirect(url_for("tenders.panel", public_id=public_id))
    flash(_("The bids are opened. The opening record is below."), "success")
    return redirect(url_for("results.opening_record", public_id=public_id))


@bp.route("/<public_id>/award", methods=["GET", "POST"])
@role_required("buyer")
def award(public_id: str):
    tender = own_tender(public_id)
    refusal = tender.refusal("award")
    if refusal:
        if not lifecycle.is_awarded(tender.current_status):  # an award confirmed is simply shown
            flash(pick(refusal), "warning")
        return redirect(url_for("results.show", public_id=public_id))
    result, proposed = award_service.proposal(tender)
    if request.method == "POST":
        posted()
        chosen = [request.form.get(f"share-{index}", "") for index in range(len(proposed))]
        try:
            award_service.confirm(current_user, public_id, chosen, request.form.get("reason", ""))
        except Invalid as error:
            flash_problems(error)
        except WrongState as error:
            flash(error.message, "danger")
        else:
            flash(_("The award is confirmed."), "success")
            return redirect(url_for("results.show", public_id=public_id))
    shown = result.to_json()
    # the ranked bids a share may go to: those of the share's lot in a tender divided into lots (§13)
    ranked_by_lot = (
        {lot["id"]: [b for b in lot["bids"] if b.get("rank") is not None] for lot in shown["lots"]}
        if "lots" in shown
        else {"": [b for b in shown["bids"] if b.get("rank") is not None]}
    )
    bid_of = {item.vendor_name: item.bid.public_id for item in opening_service.opened_bids(tender)}
    return render_template(
        "tenders/award.html",
        tender=tender,
        proposed=proposed,
        ranked_by_lot=ranked_by_lot,
        bid_of=bid_of,
        form=PostForm(),
        chosen=request.form,
    )


@bp.route("/<public_id>/reopen", methods=["POST"])
@role_required("buyer")
def reopen(public_id: str):
    own_tender(public_id)
    posted()
    try:
        panel_service.reopen(current_user, public_id, request.form.get("reason", ""))
    except Invalid as error:
        flash_problems(error)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("The evaluation is reopened: the panel can correct it; close the reopening when done."), "success")
    return redirect(url_for("results.show", public_id=public_id))


@bp.route("/<public_id>/reopen/close", methods=["POST"])
@role_required("buyer")
def close_reopening(public_id: str):
    own_tender(public_id)
    posted()
    try:
        panel_service.close_reopening(current_user, public_id)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("The reopening is closed."), "success")
    return redirect(url_for("results.show", public_id=public_id))
