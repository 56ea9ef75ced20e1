"""Buyer routes of the round of final offers (§12) under /buyer/tenders/<id>/final-round:
open the round with its deadline, see how many offers are in (never what), open them after
the deadline, and the round's opening record. Another buyer's tender is 404."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scoring.times import parse_time
from tender.auth.decorators import role_required
from tender.models import utcnow
from tender.platform.timefmt import local_input_value
from tender.platform.views import PostForm, flash_problems, or_404, posted
from tender.services import Invalid, WrongState
from tender.services import final_offers as service
from tender.tenders import bp
from tender.tenders.routes import own_tender


@bp.route("/<public_id>/final-round")
@role_required("buyer")
def final_round(public_id: str):
    tender = own_tender(public_id)
    now = utcnow()
    final_round = service.round_for(tender)
    if final_round is None and not tender.may("open_final_round"):
        abort(404)
    suggested = local_input_value((now + dt.timedelta(days=2)).replace(second=0, microsecond=0))
    return render_template(
        "tenders/final_round.html",
        tender=tender,
        final_round=final_round,
        form=PostForm(),
        refusal=service.round_refusal(tender, now) if final_round is None else None,
        received=service.received_count(tender),
        deadline=request.args.get("deadline", suggested),
        opened=service.offers_opened(tender),
        now=now,
    )


@bp.route("/<public_id>/final-round", methods=["POST"])
@role_required("buyer")
def open_final_round(public_id: str):
    own_tender(public_id)
    posted()
    raw = request.form.get("deadline", "")
    try:
        deadline = parse_time(raw)
    except ValueError:
        flash(_("Enter a date and time such as 2026-12-20 17:00."), "danger")
        return redirect(url_for("tenders.final_round", public_id=public_id))
    try:
        or_404(service.open_round, current_user, public_id, deadline.astimezone(dt.UTC) if deadline else None)
    except Invalid as error:
        flash_problems(error)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("The round of final offers is open: the valid bidders are told."), "success")
    return redirect(url_for("tenders.final_round", public_id=public_id))


@bp.route("/<public_id>/final-round/open", methods=["POST"])
@role_required("buyer")
def open_final_offers(public_id: str):
    own_tender(public_id)
    posted()
    try:
        or_404(service.open_offers, current_user, public_id)
    except WrongState as error:
        flash(error.message, "danger")
        return redirect(url_for("tenders.final_round", public_id=public_id))
    flash(_("The final offers are opened. The round's opening record is below."), "success")
    return redirect(url_for("results.final_offers", public_id=public_id))
