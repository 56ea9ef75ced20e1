"""The vendor's final offer (最后报价, domain §12) under /vendor: the invitation with the
round's deadline, upload of the final price sheet → preview with both costs → confirm →
receipt, and the vendor's own sheet. Only an invited vendor reaches these pages (404 for
anyone else, as for a missing tender); every offer is the vendor's own."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from tender.auth.decorators import role_required
from tender.bids import bp
from tender.models import utcnow
from tender.platform.i18n import problem_text
from tender.platform.security import attachment
from tender.platform.views import PostForm, or_404
from tender.services import Invalid, NotFound, WrongState
from tender.services import final_offers as service
from tender.services import tenders as tender_service


class FinalOfferForm(FlaskForm):
    quote = FileField(_l("Final price sheet (.xlsx)"), validators=[FileRequired(_l("Choose the filled price sheet."))])
    submit = SubmitField(_l("Upload and check"))


def _invitation(public_id: str):
    tender = or_404(tender_service.get_published, public_id)
    found = service.invitation(current_user, tender)
    if found is None:
        abort(404)
    return tender, *found


def _page(tender, final_round, item, form, problems=()):
    offers = service.offers_of(item.bid_id)
    return render_template(
        "bids/final_offer.html",
        tender=tender,
        final_round=final_round,
        item=item,
        form=form,
        offers=offers,
        current=service.submitted_offer(item.bid_id),
        problems=problems,
        now=utcnow(),
    )


@bp.route("/tenders/<public_id>/final-offer")
@role_required("vendor")
def final_offer(public_id: str):
    tender, final_round, item = _invitation(public_id)
    return _page(tender, final_round, item, FinalOfferForm())


@bp.route("/tenders/<public_id>/final-offer", methods=["POST"])
@role_required("vendor")
def final_offer_upload(public_id: str):
    tender, final_round, item = _invitation(public_id)
    form = FinalOfferForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            offer = service.upload(current_user, public_id, form.quote.data.filename, form.quote.data.read())
        except NotFound:
            abort(404)
        except WrongState as error:
            flash(error.message, "danger")
            return redirect(url_for("bids.final_offer", public_id=public_id))
        except Invalid as error:
            problems = [problem_text(p) for p in error.problems]
        else:
            return redirect(url_for("bids.final_offer_preview", offer_id=offer.public_id))
    response = _page(tender, final_round, item, form, problems)
    return response, 400


@bp.route("/final-offers/<offer_id>")
@role_required("vendor")
def final_offer_preview(offer_id: str):
    offer = or_404(service.own_offer, current_user, offer_id)
    content = service.sealed_content(current_user, offer)
    return render_template(
        "bids/final_offer_preview.html", offer=offer, tender=offer.bid.tender, content=content, form=PostForm()
    )


@bp.route("/final-offers/<offer_id>/confirm", methods=["POST"])
@role_required("vendor")
def final_offer_confirm(offer_id: str):
    offer = or_404(service.own_offer, current_user, offer_id)
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        service.confirm(current_user, offer_id)
    except WrongState as error:
        flash(error.message, "danger")
        return redirect(url_for("bids.final_offer", public_id=offer.bid.tender.public_id))
    flash(_("Your final offer is submitted. Keep the receipt."), "success")
    return redirect(url_for("bids.final_offer_receipt", offer_id=offer_id))


@bp.route("/final-offers/<offer_id>/receipt")
@role_required("vendor")
def final_offer_receipt(offer_id: str):
    offer = or_404(service.own_offer, current_user, offer_id)
    if offer.submitted_at is None:
        abort(404)
    content = service.sealed_content(current_user, offer)
    return render_template("bids/final_offer_receipt.html", offer=offer, tender=offer.bid.tender, content=content)


@bp.route("/final-offers/<offer_id>/sheet.xlsx")
@role_required("vendor")
def final_offer_file(offer_id: str):
    offer = or_404(service.own_offer, current_user, offer_id)
    return attachment(service.file_of(current_user, offer), offer.filename, service.CONTENT_TYPE)
