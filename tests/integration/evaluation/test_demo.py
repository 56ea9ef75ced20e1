"""`make run`'s demo includes a tender opened and fully evaluated by the three experts."""

from __future__ import annotations

from tender.demo.seed import EVALUATED_TITLE
from tender.models import Tender, User
from tender.services import results as results_service
from tests.integration.conftest import Auth


def test_the_demo_has_an_evaluated_tender_ready_for_the_award(app, runner, client):
    outcome = runner.invoke(args=["seed-demo"])
    assert outcome.exit_code == 0, outcome.output
    runner.invoke(args=["seed-demo"])  # idempotent
    tender = Tender.query.filter_by(title=EVALUATED_TITLE).one()
    assert tender.status == "evaluated"
    result = results_service.result(tender).to_json()
    assert result["status"] == "ok" and len(result["evaluators"]) == 3
    rejected = [b for b in result["bids"] if not b["valid"]]
    assert [b["vendor"] for b in rejected] == ["广州金豆客服外包有限公司"]
    assert result["winners"][0] == "杭州云客服科技有限公司"
    buyer = User.query.filter_by(email="buyer@demo.cn").one()
    client.post("/auth/login", data={"email": buyer.email, "password": "demo1234"})
    page = client.get(f"/results/{tender.public_id}").get_data(as_text=True)
    assert "杭州云客服科技有限公司" in page and "Confirm the award" in page or "确认中标" in page
    assert runner.invoke(args=["audit-verify"]).exit_code == 0
    Auth(client).logout()
