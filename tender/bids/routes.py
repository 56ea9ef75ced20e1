"""Vendor routes under /vendor: open tenders, the price-sheet template, upload → preview →
confirm → receipt, replace and withdraw, and the vendor's own files. Every bid route
answers 404 for a bid that is not the vendor's own, as for a missing one."""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tender.auth.decorators import role_required
from tender.bids import bp
from tender.bids.forms import ConfirmBidForm, UploadBidForm, WithdrawForm
from tender.documents import receipt_pdf as receipt_pdf_module
from tender.documents.upload_check import UploadRefused
from tender.jobs import queue as jobs
from tender.models import utcnow
from tender.notices.service import sections as notice_terms
from tender.platform.i18n import is_english, problem_text
from tender.platform.request_time import received_at
from tender.platform.security import attachment
from tender.platform.views import PostForm, or_404, posted
from tender.services import DeadlinePassed, Invalid, WrongState, deliberation
from tender.services import bids as service
from tender.services import tenders as tender_service


def _attachment_headers() -> dict:
    return {"X-Content-Type-Options": "nosniff"}


@bp.route("/tenders")
@role_required("vendor")
def tender_list():
    pager = tender_service.page_open_for_vendors(request.args.get("page", 1, type=int))
    tenders = list(pager.items)
    mine = {bid.tender_id: bid for bid in service.my_bids_on(current_user, [t.id for t in tenders])}
    return render_template("bids/tender_list.html", tenders=tenders, mine=mine, pager=pager)


@bp.route("/tenders/<public_id>")
@role_required("vendor")
def tender(public_id: str):
    tender = or_404(tender_service.get_published, public_id)
    bid = service.bid_for(current_user, tender)
    from tender.services.final_offers import invitation

    return render_template(
        "bids/tender.html",
        tender=tender,
        definition=tender.definition(),
        bid=bid,
        versions=tender_service.versions(tender),
        form=UploadBidForm(),
        sections=notice_terms(tender),
        lang="en" if is_english() else "zh",
        now=utcnow(),
        final_invitation=invitation(current_user, tender),
    )


@bp.route("/tenders/<public_id>/price-sheet.xlsx")
@role_required("vendor")
def template(public_id: str):
    tender = or_404(tender_service.get_published, public_id)
    from tender.documents.quote_template import quote_template

    data = quote_template(
        tender.definition(), tender_id=tender.public_id, version=tender.version, lang="en" if is_english() else "zh"
    )
    return attachment(data, f"报价单-{tender.title[:40]}-v{tender.version}.xlsx", service.CONTENT_TYPES["quote"])


@bp.route("/tenders/<public_id>/bid", methods=["POST"])
@role_required("vendor")
def upload(public_id: str):
    tender = or_404(tender_service.get_published, public_id)
    form = UploadBidForm()
    problems: list[str] = []
    if form.validate_on_submit():
        quote, document = form.quote.data.read(), form.document.data.read()
        # qualification evidence: one file per document rule (tender/services/evidence.py)
        evidence = {
            key.split(":", 1)[1]: service.Upload(f.filename or "", f.read())
            for key, f in request.files.items()
            if key.startswith("evidence:") and f and f.filename
        }
        if not evidence and jobs.uses_queue() and len(quote) >= current_app.config["JOB_WORKBOOK_BYTES"]:
            return _read_in_background(public_id, form, quote, document)
        try:
            version = service.upload(
                current_user,
                public_id,
                service.Upload(form.quote.data.filename, quote),
                service.Upload(form.document.data.filename, document),
                evidence=evidence,
            )
        except DeadlinePassed as error:
            flash(error.message, "danger")
            return redirect(url_for("bids.tender", public_id=public_id))
        except WrongState as error:
            flash(error.message, "danger")
            return redirect(url_for("bids.tender", public_id=public_id))
        except Invalid as error:
            problems = [problem_text(p) for p in error.problems]
        else:
            return redirect(url_for("bids.preview", version_id=version.public_id))
    return render_template(
        "bids/tender.html",
        tender=tender,
        definition=tender.definition(),
        bid=service.bid_for(current_user, tender),
        versions=tender_service.versions(tender),
        form=form,
        problems=problems,
        sections=notice_terms(tender),
        lang="en" if is_english() else "zh",
        now=utcnow(),
    ), 400 if problems or form.errors else 200


def _read_in_background(public_id: str, form, quote: bytes, document: bytes):
    """A large price sheet is read by a job worker; the job page leads on to the preview."""
    from tender.jobs.tasks import pack_upload

    job = jobs.enqueue(
        current_user,
        "read_bid_upload",
        {
            "tender": public_id,
            "quote_filename": form.quote.data.filename,
            "document_filename": form.document.data.filename,
            "received_at": received_at().isoformat(),
        },  # judged on when it reached us
        input_data=pack_upload(quote, document),
    )
    return redirect(url_for("jobs.show", job_id=job.public_id))


@bp.route("/submissions/<version_id>")
@role_required("vendor")
def preview(version_id: str):
    from tender.bids.year import own_year

    version = or_404(service.own_version, current_user, version_id)
    content = service.sealed_content(current_user, version)
    return render_template(
        "bids/preview.html",
        version=version,
        tender=version.bid.tender,
        content=content,
        form=ConfirmBidForm(),
        year=own_year(version, content),
    )


@bp.route("/submissions/<version_id>/cost-curve.svg")
@role_required("vendor")
def cost_curve(version_id: str):
    """The vendor's own monthly cost against daily volume (its pricing only), as an SVG image."""
    from tender.bids.cost_curve import cost_curve_svg
    from tender.charts.render import NoCJKFont

    version = or_404(service.own_version, current_user, version_id)
    content = service.sealed_content(current_user, version)
    if content["evaluation"].get("lots"):  # a tender divided into lots: no single curve (its preview draws none)
        abort(404)
    lang = request.args.get("lang") if request.args.get("lang") in ("zh", "en") else ("en" if is_english() else "zh")
    try:
        svg = cost_curve_svg(version, content, lang)
    except NoCJKFont:
        abort(503)
    return Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


@bp.route("/submissions/<version_id>/year-costs.svg")
@role_required("vendor")
def year_costs(version_id: str):
    """The vendor's own cost month by month (its pricing only), as an SVG image; 404 when the
    tender gives no months."""
    from tender.bids.cost_curve import year_costs_svg
    from tender.bids.year import own_year
    from tender.charts.render import NoCJKFont

    version = or_404(service.own_version, current_user, version_id)
    content = service.sealed_content(current_user, version)
    if own_year(version, content) is None:
        abort(404)
    lang = request.args.get("lang") if request.args.get("lang") in ("zh", "en") else ("en" if is_english() else "zh")
    try:
        svg = year_costs_svg(version, content, lang)
    except NoCJKFont:
        abort(503)
    return Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


@bp.route("/submissions/<version_id>/confirm", methods=["POST"])
@role_required("vendor")
def confirm(version_id: str):
    version = or_404(service.own_version, current_user, version_id)
    if not ConfirmBidForm().validate_on_submit():
        abort(400)
    try:
        service.confirm(current_user, version_id)
    except WrongState as error:  # includes DeadlinePassed
        flash(error.message, "danger")
        return redirect(url_for("bids.tender", public_id=version.bid.tender.public_id))
    flash(_("Your bid is submitted. Keep the receipt."), "success")
    return redirect(url_for("bids.receipt", version_id=version_id))


def _receipt_of(version_id: str):
    version = or_404(service.own_version, current_user, version_id)
    try:
        return version, service.receipt(current_user, version)
    except WrongState:
        abort(404)


@bp.route("/submissions/<version_id>/receipt")
@role_required("vendor")
def receipt(version_id: str):
    version, data = _receipt_of(version_id)
    return render_template("bids/receipt.html", version=version, receipt=data)


@bp.route("/submissions/<version_id>/receipt/print")
@role_required("vendor")
def receipt_print(version_id: str):
    """The receipt alone on a page, to print (the same page the PDF is drawn from)."""
    version, data = _receipt_of(version_id)
    return render_template("bids/receipt_print.html", version=version, receipt=data, stylesheet=None)


@bp.route("/submissions/<version_id>/receipt.pdf")
@role_required("vendor")
def receipt_pdf(version_id: str):
    version, data = _receipt_of(version_id)
    html = render_template(
        "bids/receipt_print.html", version=version, receipt=data, stylesheet=receipt_pdf_module.stylesheet()
    )
    return attachment(receipt_pdf_module.pdf_of(html), f"投标回执-{version.public_id}.pdf", "application/pdf")


@bp.route("/submissions/<version_id>/receipt.json")
@role_required("vendor")
def receipt_json(version_id: str):
    version, data = _receipt_of(version_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f"attachment; filename=receipt-{version.public_id}.json",
            **_attachment_headers(),
        },
    )


@bp.route("/bids")
@role_required("vendor")
def my_bids():
    return render_template("bids/my_bids.html", bids=service.my_bids(current_user), now=utcnow())


@bp.route("/bids/<bid_id>")
@role_required("vendor")
def bid(bid_id: str):
    bid = or_404(service.own_bid, current_user, bid_id)
    return render_template(
        "bids/bid.html",
        bid=bid,
        tender=bid.tender,
        versions=tender_service.versions(bid.tender),
        form=WithdrawForm(),
        now=utcnow(),
        explanation=deliberation.request_for_vendor(bid),
        explain_form=PostForm(),
    )


@bp.route("/bids/<bid_id>/explanation", methods=["POST"])
@role_required("vendor")
def explain(bid_id: str):
    """The vendor's written explanation of its abnormally low price, with its files (§16)."""
    bid = or_404(service.own_bid, current_user, bid_id)
    posted()
    files = [(f.filename or "", f.read()) for f in request.files.getlist("files") if f and f.filename]
    try:
        or_404(deliberation.explain, current_user, bid_id, request.form.get("answer", ""), files)
    except (Invalid, UploadRefused) as error:
        for problem in error.problems:
            flash(problem_text(problem), "danger")
        return render_template(
            "bids/bid.html",
            bid=bid,
            tender=bid.tender,
            versions=tender_service.versions(bid.tender),
            form=WithdrawForm(),
            now=utcnow(),
            explanation=deliberation.request_for_vendor(bid),
            explain_form=PostForm(),
            typed_answer=request.form.get("answer", ""),
        ), getattr(error, "status", 400)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("Your explanation is sent to the evaluation panel."), "success")
    return redirect(url_for("bids.bid", bid_id=bid_id))


@bp.route("/explanation-files/<file_id>")
@role_required("vendor")
def explanation_file(file_id: str):
    row, data = or_404(deliberation.explanation_file, current_user, file_id)
    return attachment(data, row.filename, row.content_type)


@bp.route("/bids/<bid_id>/withdraw", methods=["POST"])
@role_required("vendor")
def withdraw(bid_id: str):
    bid = or_404(service.own_bid, current_user, bid_id)
    if not WithdrawForm().validate_on_submit():
        abort(400)
    try:
        service.withdraw(current_user, bid_id)
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("Your bid is withdrawn. You can submit a new one until the deadline."), "success")
    return redirect(url_for("bids.bid", bid_id=bid.public_id))


@bp.route("/files/<file_id>")
@role_required("vendor")
def download(file_id: str):
    stored, data = or_404(service.own_file, current_user, file_id)
    return attachment(data, stored.filename, stored.content_type)
