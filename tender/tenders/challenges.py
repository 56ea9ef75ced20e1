"""Buyer routes under /buyer/tenders/<id>/challenges: the challenges (质疑) of the result
notice with their due dates and attachments, and the written answer (once each); an upheld
challenge reopens the evaluation (§16). Another buyer's tender is 404."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tender.auth.decorators import role_required
from tender.platform.security import attachment
from tender.platform.views import PostForm, flash_problems, or_404, posted
from tender.services import Invalid, WrongState
from tender.services import challenges as service
from tender.tenders import bp
from tender.tenders.routes import own_tender


@bp.route("/<public_id>/challenges")
@role_required("buyer")
def challenges(public_id: str):
    tender = own_tender(public_id)
    return render_template(
        "tenders/challenges.html",
        tender=tender,
        challenges=service.challenges_of(tender),
        window_end=service.window_end(tender),
        window_last_minute=service.last_minute(service.window_end(tender)),
        winners=service.winners(tender),
        overdue=service.overdue,
        form=PostForm(),
    )


@bp.route("/<public_id>/challenges/<challenge_id>/answer", methods=["POST"])
@role_required("buyer")
def answer_challenge(public_id: str, challenge_id: str):
    own_tender(public_id)
    posted()
    upheld = request.form.get("outcome") == "upheld"
    try:
        or_404(service.answer, current_user, public_id, challenge_id, request.form.get("answer", ""), upheld)
    except Invalid as error:
        flash_problems(error)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        if upheld:
            flash(
                _(
                    "The challenge is upheld: the evaluation is reopened with it as the reason, and the award is "
                    "withdrawn until the evaluation is final again."
                ),
                "success",
            )
            return redirect(url_for("results.show", public_id=public_id))
        flash(_("The answer is sent to the vendor."), "success")
    return redirect(url_for("tenders.challenges", public_id=public_id))


@bp.route("/<public_id>/challenge-files/<file_id>")
@role_required("buyer")
def challenge_file(public_id: str, file_id: str):
    tender = own_tender(public_id)
    stored, data = or_404(service.challenge_file, current_user, file_id, tender)
    return attachment(data, stored.filename, stored.content_type)
