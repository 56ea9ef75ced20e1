"""Qualification evidence in the panel's review (:mod:`tender.services.evidence`): the files
beside each document rule (``templates/panel/_evidence.html`` asks :func:`evidence_for`),
and their download — for an evaluator of the tender who may see the bids, never before the
opening."""

from __future__ import annotations

from scoring import parse_tender
from tender.auth.decorators import role_required
from tender.panel.routes import _assignment, _visible, bp
from tender.platform.security import attachment
from tender.platform.views import or_404
from tender.services import evidence as service
from tender.services import opening as opening_service


@bp.app_template_global()
def evidence_for(tender, item, rule_name: str) -> list:
    """The evidence files of an opened bid for the rule named ``rule_name`` (a document rule)."""
    try:
        rules = parse_tender(tender.definition()).qualification_rules
    except Exception:  # a definition the domain no longer reads: the review shows the rest
        return []
    rule = next((r for r in rules if r.name == rule_name and r.document), None)
    if rule is None:
        return []
    return service.of_opened_bid(item).get(rule.document, [])


@bp.route("/tenders/<public_id>/bids/<bid_id>/evidence/<file_id>")
@role_required("evaluator")
def evidence_file(public_id: str, bid_id: str, file_id: str):
    assignment = _assignment(public_id)
    tender, answer = _visible(assignment)
    if answer:
        return answer
    item = or_404(opening_service.opened_bid, tender, bid_id)
    stored, data = or_404(service.file_of, item, file_id)
    return attachment(data, stored.filename, stored.content_type)
