"""The second half of the lifecycle in the browser (issue 4): the buyer's panel, opening
and award (:mod:`.buyer`), the evaluator's declaration, review and blind scoring
(:mod:`.evaluator`), the results for buyer and panel (:mod:`.results`) and a vendor's own
outcome (:mod:`.outcome`)."""
from __future__ import annotations


def register(app) -> None:
    from tender.evaluation import buyer, evaluator, outcome, results
    app.register_blueprint(buyer.bp, url_prefix="/buyer/tenders")
    app.register_blueprint(evaluator.bp, url_prefix="/evaluator")
    app.register_blueprint(results.bp, url_prefix="/results")
    app.register_blueprint(outcome.bp, url_prefix="/vendor")
