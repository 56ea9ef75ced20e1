"""A vendor's own outcome, under /vendor/bids/<bid id>/outcome: another vendor's bid is 404."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from tender.auth.decorators import role_required
from tender.bids import bp
from tender.platform.views import or_404
from tender.services import award as service



@bp.route("/bids/<bid_id>/outcome")
@role_required("vendor")
def outcome(bid_id: str):
    return render_template("bids/outcome.html", outcome=or_404(service.vendor_outcome, current_user, bid_id))
