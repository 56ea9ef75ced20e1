"""Banded subjective scoring (domain §9.5): the panel records the agreed band of a bid
first; each evaluator then scores inside it, and a score outside it is refused."""

from __future__ import annotations

import copy

from tender.models import AgreedBand, AuditRecord, PanelProposal, SubjectiveScore
from tender.services import opening
from tests.integration.evaluation.conftest import bid_id, move_times
from tests.integration.evaluation.helpers import cell_error, declare, page, vote
from tests.integration.helpers import published, sample_bid, sample_tender, submit

BANDS = [
    {"label": "一档", "min": 0, "max": 15},
    {"label": "二档", "min": 15.1, "max": 25},
    {"label": "三档", "min": 25.1, "max": 30},
]


def banded_tender(people):
    criteria = copy.deepcopy(sample_tender()["criteria"])
    next(c for c in criteria if c["id"] == "plan")["bands"] = BANDS
    tender = published(people["buyer"], criteria=criteria)
    for key in ("yunkefu", "hengxin"):
        submit(people[key], tender, sample_bid(key))
    for expert in ("expert1", "expert2"):  # expert 2 has not scored: the evaluation stays open
        opening.assign(people["buyer"], tender.public_id, people[expert].public_id)
    move_times(tender, 35, 5)
    opening.open_bids(people["buyer"], tender.public_id)
    return tender


def test_a_score_needs_the_agreed_band_and_must_lie_inside_it(client, auth, people):
    tender = banded_tender(people)
    auth.login(people["expert1"])
    declare(client, tender)
    yunkefu, hengxin = bid_id(tender, "yunkefu", people), bid_id(tender, "hengxin", people)
    sheet = f"/evaluator/tenders/{tender.public_id}/scores"
    scores = {
        f"score:{yunkefu}:plan": "26",
        f"score:{yunkefu}:team": "13",
        f"score:{hengxin}:plan": "14",
        f"score:{hengxin}:team": "11",
        "action": "submit",
    }
    text = page(client.post(sheet, data=scores))
    assert cell_error(text, yunkefu, "plan") == "agree the band first, then score inside it"
    assert cell_error(text, hengxin, "plan") == "agree the band first, then score inside it"
    assert "二档 (15.1–25)" in page(client.get(sheet))  # the bands to choose from
    client.post(
        f"/evaluator/tenders/{tender.public_id}/bands", data={"bid": yunkefu, "criterion": "plan", "label": "二档"}
    )
    client.post(
        f"/evaluator/tenders/{tender.public_id}/bands", data={"bid": hengxin, "criterion": "plan", "label": "一档"}
    )
    assert AgreedBand.query.count() == 0  # proposals: a panel of two needs both to agree (§15)
    assert "proposed: 二档, being voted on" in page(client.get(sheet))
    auth.logout()
    auth.login(people["expert2"])
    declare(client, tender)
    for proposal in PanelProposal.query.order_by(PanelProposal.id):
        vote(client, tender, proposal, reason="档次与方案相符 / the band fits the plan")
    auth.logout()
    auth.login(people["expert1"])
    assert {b.label for b in AgreedBand.query.all()} == {"二档", "一档"}
    assert AuditRecord.query.filter_by(action="proposal_decided").count() == 2
    text = page(client.post(sheet, data=scores))
    assert cell_error(text, yunkefu, "plan") == "26 is outside the agreed band '二档' (15.1–25)"
    assert cell_error(text, hengxin, "plan") is None
    assert SubjectiveScore.query.count() == 0
    response = client.post(sheet, data={**scores, f"score:{yunkefu}:plan": "24"})
    assert response.status_code == 302
    assert SubjectiveScore.query.count() == 4
    # once scored inside it, the band cannot move away from the submitted score
    response = client.post(
        f"/evaluator/tenders/{tender.public_id}/bands", data={"bid": yunkefu, "criterion": "plan", "label": "三档"}
    )
    assert "Submitted scores lie outside this band" in page(client.get(response.headers["Location"]))
    assert AgreedBand.query.filter_by(label="三档").count() == 0
