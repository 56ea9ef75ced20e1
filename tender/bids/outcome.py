"""A vendor's own outcome, under /vendor/bids/<bid id>/outcome: another vendor's bid is 404.
Also what a bidder reads of the tender after the opening (§16): the opening record (唱标,
on screen and printable), the result notice with its own scores, and its challenges (质疑)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tender.auth.decorators import role_required
from tender.bids import bp
from tender.platform.security import attachment
from tender.platform.views import PostForm, flash_problems, or_404, posted
from tender.services import Invalid, WrongState
from tender.services import award as service
from tender.services import challenges as challenge_service
from tender.services import opening as opening_service


@bp.route("/bids/<bid_id>/outcome")
@role_required("vendor")
def outcome(bid_id: str):
    return render_template(
        "bids/outcome.html",
        outcome=or_404(service.vendor_outcome, current_user, bid_id),
        form=PostForm(),
        overdue=challenge_service.overdue,
    )


def _opening_record(public_id: str, template: str):
    tender, mine = or_404(challenge_service.bidder_tender, current_user, public_id)
    return render_template(
        template,
        tender=tender,
        record=opening_service.record_for(tender),
        items=opening_service.opened_bids(tender),
        mine=mine,
        bidder_view=True,
    )


@bp.route("/tenders/<public_id>/opening-record")
@role_required("vendor")
def opening_record(public_id: str):
    """The opening record as the buyer sees it, for each bidder whose bid was opened."""
    return _opening_record(public_id, "results/opening_record.html")


@bp.route("/tenders/<public_id>/opening-record/print")
@role_required("vendor")
def opening_record_print(public_id: str):
    return _opening_record(public_id, "results/opening_record_print.html")


@bp.route("/bids/<bid_id>/challenges", methods=["POST"])
@role_required("vendor")
def challenge(bid_id: str):
    posted()
    uploads = [
        challenge_service.Upload(f.filename or "", f.read())
        for f in request.files.getlist("files")
        if f and (f.filename or "")
    ]
    try:
        or_404(challenge_service.lodge, current_user, bid_id, request.form.get("text", ""), uploads)
    except Invalid as error:
        flash_problems(error)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("Your challenge is lodged. The buyer answers it in writing within 7 working days."), "success")
    return redirect(url_for("bids.outcome", bid_id=bid_id) + "#challenges")


@bp.route("/challenge-files/<file_id>")
@role_required("vendor")
def challenge_file(file_id: str):
    stored, data = or_404(challenge_service.challenge_file, current_user, file_id)
    return attachment(data, stored.filename, stored.content_type)
