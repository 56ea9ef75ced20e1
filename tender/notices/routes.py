"""Routes under /notices, open to anyone: the list of tender notices, one notice, its
price-sheet template and its tender document. Nothing here reads a bid."""

from __future__ import annotations

import json

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from scoring import lifecycle
from tender.models import utcnow
from tender.notices import service
from tender.platform.i18n import is_english
from tender.platform.security import attachment
from tender.services import NotFound

bp = Blueprint("notices", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tender(public_id: str):
    try:
        return service.public_tender(public_id)
    except NotFound:
        abort(404)


@bp.route("/")
def index():
    pager = service.page_of_notices(request.args.get("page", 1, type=int))
    now = utcnow()
    return render_template(
        "notices/index.html", pager=pager, notices=[(tender, service.state_of(tender, now)) for tender in pager.items]
    )


@bp.route("/<public_id>")
def show(public_id: str):
    tender = _tender(public_id)
    definition = tender.definition()
    state = service.state_of(tender, utcnow())
    return render_template(
        "notices/show.html",
        tender=tender,
        definition=definition,
        state=state,
        open_for_bids=lifecycle.allowed("bid", state),
        cancelled=state == lifecycle.CANCELLED,
        sections=service.sections(tender),
        result_notice=_result_notice(tender, state),
        versions=service.versions(tender),
        lang="en" if is_english() else "zh",
        is_vendor=current_user.is_authenticated and current_user.role == "vendor",
    )


def _result_notice(tender, state: str) -> list[dict]:
    """The winners of the result notice (中标结果公告), once it is published (§16)."""
    if not lifecycle.may_read("result_notice", "public", state):
        return []
    from tender.services import challenges

    return challenges.winners(tender)


@bp.route("/<public_id>/price-sheet.xlsx")
def price_sheet(public_id: str):
    """The price-sheet template of the tender's current version: the one vendors download."""
    tender = _tender(public_id)
    from tender.documents.quote_template import quote_template

    data = quote_template(
        tender.definition(), tender_id=tender.public_id, version=tender.version, lang="en" if is_english() else "zh"
    )
    return attachment(data, f"报价单-{tender.title[:40]}-v{tender.version}.xlsx", XLSX)


@bp.route("/<public_id>/tender.json")
def document(public_id: str):
    """The tender document as the command line reads it (the §3 JSON of the current version)."""
    tender = _tender(public_id)
    body = json.dumps(tender.definition(), ensure_ascii=False, indent=1).encode("utf-8")
    return attachment(body, f"招标文件-{tender.title[:40]}-v{tender.version}.json", "application/json")
