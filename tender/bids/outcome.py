"""A vendor's own outcome, under /vendor/bids/<bid id>/outcome: another vendor's bid is 404."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from tender.auth.decorators import role_required
from tender.evaluation.common import or_404
from tender.services import award as service

bp = Blueprint("outcome", __name__)


@bp.route("/bids/<bid_id>/outcome")
@role_required("vendor")
def show(bid_id: str):
    return render_template("evaluation/outcome.html", outcome=or_404(service.vendor_outcome, current_user, bid_id))
