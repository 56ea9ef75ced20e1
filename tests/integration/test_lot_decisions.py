"""The panel's decisions per lot (domain §13: "scores, bands and abnormal-low decisions are
per lot"): a qualification override, an agreed band and an abnormal-low decision — and the
proposal and votes that lead to each — are made for one bid in one lot and hold in that lot
only.

samples/lots/tender.json with min_valid_bids 1, no final-offer round, abnormal-low ratio 0.92;
a panel of two (a proposal needs both: a majority of the whole panel). Bids:
- 苏州专席 bids L1 59,976.67 and L2 26,166.67;
- 南京恒信 bids L1 49,466.67 and L2 at 在线咨询 1.60 (its sample's final offer, here its first):
  9,000 × 1.60 + 1,500 × 7.50 + 180 × 2 × 10 ÷ 12 = 25,950.00;
- 成都锦程 bids L2 only, 30,333.33 (its ticket at the lot's unit price ceiling 8.00).
南京恒信 is abnormally low in both lots, alone:
- L1: 0.92 × 59,976.67 = 55,178.54 > 49,466.67 (专席: 0.92 × 49,466.67 = 45,509.34 < 59,976.67);
- L2: 0.92 × (26,166.67 + 30,333.33) ÷ 2 = 0.92 × 28,250.00 = 25,990.00 > 25,950.00
  (专席: 0.92 × (25,950.00 + 30,333.33) ÷ 2 = 25,890.33 < 26,166.67).
"""

from __future__ import annotations

import copy

from flask import current_app

from tender.models import (
    AbnormalLowDecision,
    AgreedBand,
    AuditRecord,
    PanelProposal,
    PanelVote,
    QualificationOverride,
    Tender,
    User,
)
from tender.platform.extensions import db
from tender.services import opening
from tender.services import results as results_service
from tender.services import tenders as tender_service
from tests.conftest import make_user
from tests.integration.conftest import snapshot
from tests.integration.test_lot_bids import bid_through_the_web, lot_bid, lots_definition, text
from tests.integration.test_lot_evaluation import _document_text, open_now

ZHUANXI, HENGXIN, JINCHENG = "苏州专席客服服务有限公司", "南京恒信客服外包有限公司", "成都锦程客服服务有限公司"
EXPERIENCE = "具有相关行业服务经验（电商客服同类项目不少于1个）"
BANDS = [
    {"label": "一档", "min": 0, "max": 15},
    {"label": "二档", "min": 15.1, "max": 25},
    {"label": "三档", "min": 25.1, "max": 30},
]
# (lot, vendor): (plan, team) — the same sheet for both evaluators
SCORES = {
    ("L1", ZHUANXI): (28, 14),
    ("L1", HENGXIN): (20, 10),
    ("L2", ZHUANXI): (27, 13),
    ("L2", HENGXIN): (22, 11),
    ("L2", JINCHENG): (24, 12),
}


def lot_tender(client, auth, users, banded: bool = False):
    """The lot tender (its plan criterion banded, if asked), three bids opened, two evaluators
    (the first chairs): built through the web once per process, put back for each later test."""
    accounts = {key: user.id for key, user in users.items()}
    name = "lot-decisions-banded" if banded else "lot-decisions"
    if snapshot(current_app._get_current_object(), name, lambda: _build_lot_tender(client, auth, users, banded)):
        for key in users:
            users[key] = db.session.get(User, accounts[key])
    return db.session.query(Tender).one(), User.query.filter_by(email="expert2@example.cn").one()


def _build_lot_tender(client, auth, users, banded: bool) -> None:
    definition = lots_definition()
    definition.update(min_valid_bids=1, final_offer=False, abnormal_low_ratio=0.92)
    if banded:
        definition["criteria"] = copy.deepcopy(definition["criteria"])
        next(c for c in definition["criteria"] if c["id"] == "plan")["bands"] = BANDS
    tender = tender_service.publish(users["buyer"], tender_service.save_draft(users["buyer"], definition))
    third = make_user("vendor", "vendor3@example.cn", "Vendor Sun", company=JINCHENG)
    hengxin = lot_bid("hengxin")
    hengxin["lots"]["L2"] = hengxin.pop("final_lots")["L2"]  # 在线咨询 1.60
    jincheng = lot_bid("jincheng")
    jincheng["lots"]["L2"]["prices"]["ticket"] = 8
    for user, bid in ((users["vendor"], lot_bid("zhuanxi")), (users["other_vendor"], hengxin), (third, jincheng)):
        bid_through_the_web(client, auth, user, tender, bid)
    second = make_user("evaluator", "expert2@example.cn", "Expert Li")
    for evaluator in (users["evaluator"], second):  # the first assigned chairs
        opening.assign(users["buyer"], tender.public_id, evaluator.public_id)
    open_now(users["buyer"], tender)


def bid_of(tender, vendor: str) -> str:
    return next(item.bid.public_id for item in opening.opened_bids(tender) if item.vendor_name == vendor)


def sheet(tender) -> dict:
    data = {}
    for (lot, vendor), (plan, team) in SCORES.items():
        data[f"score:{bid_of(tender, vendor)}@{lot}:plan"] = str(plan)
        data[f"score:{bid_of(tender, vendor)}@{lot}:team"] = str(team)
    return data


def declare(client, tender) -> None:
    response = client.post(f"/evaluator/tenders/{tender.public_id}/declaration", data={"no_conflict": "yes"})
    assert response.status_code == 302


def both_submit(client, auth, users, tender, second) -> None:
    for evaluator in (users["evaluator"], second):
        auth.login(evaluator)
        declare(client, tender)
        response = client.post(
            f"/evaluator/tenders/{tender.public_id}/scores", data={**sheet(tender), "action": "submit"}
        )
        assert response.status_code == 302 and "submitted" in text(client.get(response.headers["Location"]))
        auth.logout()


def last_proposal(tender) -> PanelProposal:
    return PanelProposal.query.filter_by(tender_id=tender.id).order_by(PanelProposal.id.desc()).first()


def agree(client, auth, tender, evaluator) -> None:
    """The second member agrees with the last proposal: it passes (2 of 2)."""
    auth.login(evaluator)
    response = client.post(
        f"/evaluator/tenders/{tender.public_id}/proposals/{last_proposal(tender).public_id}/vote",
        data={"agree": "yes", "reason": "同意 / agreed"},
    )
    assert response.status_code == 302
    auth.logout()


def line(tender, lot: str, vendor: str):
    return results_service.result(tender).lot(lot).result.bid(vendor)


def test_an_abnormal_low_decision_holds_in_its_lot_only(client, auth, users):
    tender, second = lot_tender(client, auth, users)
    both_submit(client, auth, users, tender, second)
    hengxin = bid_of(tender, HENGXIN)
    auth.login(users["evaluator"])
    url = f"/evaluator/tenders/{tender.public_id}/abnormal-low"
    page = text(client.get(url))
    l1 = page.split(f'id="abnormal-{hengxin}-L1"')[1].split("</section>")[0]
    l2 = page.split(f'id="abnormal-{hengxin}-L2"')[1].split("</section>")[0]
    assert "0.92 × 59,976.67 = <strong>55,178.54</strong>" in l1 and "49,466.67" in l1
    assert "0.92 × 28,250.00 = <strong>25,990.00</strong>" in l2 and "25,950.00" in l2
    assert 'name="lot" value="L1"' in l1 and 'name="lot" value="L2"' in l2  # each lot's decision form
    assert page.count('<section id="abnormal-') == 2  # 专席 and 锦程 are not flagged
    # L1: accepted by the panel (proposed by the chair, agreed by the second member)
    client.post(url, data={"bid": hengxin, "lot": "L1", "decision": "accept", "note": "人工成本测算表已提交"})
    auth.logout()
    assert AbnormalLowDecision.query.count() == 0  # a proposal: 1 of the 2 votes needed
    agree(client, auth, tender, second)
    decisions = [(d.lot, d.decision, d.note) for d in AbnormalLowDecision.query]
    assert decisions == [("L1", "accept", "人工成本测算表已提交")]
    assert line(tender, "L1", HENGXIN).decision == "accept" and line(tender, "L1", HENGXIN).rank is not None
    assert line(tender, "L2", HENGXIN).decision == "pending"  # L2 needs its own decision
    result = results_service.result(tender)
    assert result.lot("L1").result.status == "ok" and result.lot("L2").result.status == "pending"
    assert result.status == "pending"
    audit = {r.action: r.details for r in AuditRecord.query.filter(AuditRecord.action.like("proposal_%"))}
    assert audit["proposal_made"]["lot"] == "L1" and audit["proposal_decided"]["lot"] == "L1"
    assert AuditRecord.query.filter_by(action="vote_cast").one().details["lot"] == "L1"
    auth.login(users["evaluator"])
    page = text(client.get(url))
    l1 = page.split(f'id="abnormal-{hengxin}-L1"')[1].split("</section>")[0]
    l2 = page.split(f'id="abnormal-{hengxin}-L2"')[1].split("</section>")[0]
    assert "<strong>accepted</strong> — 人工成本测算表已提交" in l1 and "Awaiting a decision" not in l1
    assert "Awaiting a decision" in l2 and "人工成本测算表已提交" not in l2
    home = text(client.get("/evaluator/"))
    assert f"Decide on the abnormally low price of L2 · {HENGXIN}" in home
    proposals = text(client.get(f"/evaluator/tenders/{tender.public_id}/proposals"))
    assert f"L1 · {HENGXIN}: the abnormally low price is accepted" in proposals
    # L2: rejected — 恒信 is not ranked in L2, and stays ranked in L1
    client.post(url, data={"bid": hengxin, "lot": "L2", "decision": "reject", "note": "低于人工成本"})
    auth.logout()
    agree(client, auth, tender, second)
    assert sorted((d.lot, d.decision) for d in AbnormalLowDecision.query) == [("L1", "accept"), ("L2", "reject")]
    assert line(tender, "L2", HENGXIN).rank is None and line(tender, "L1", HENGXIN).rank is not None
    assert results_service.result(tender).status == "ok"
    auth.login(users["buyer"])  # each lot's Word report records that lot's decision
    l1 = _document_text(client.get(f"/results/{tender.public_id}/report.docx?lot=L1").data)
    l2 = _document_text(client.get(f"/results/{tender.public_id}/report.docx?lot=L2").data)
    assert "人工成本测算表已提交" in l1 and "低于人工成本" not in l1
    assert "低于人工成本" in l2 and "人工成本测算表已提交" not in l2


def test_a_proposal_for_a_wrong_lot_is_refused_and_nothing_is_written(client, auth, users):
    tender, second = lot_tender(client, auth, users)
    both_submit(client, auth, users, tender, second)
    hengxin, jincheng = bid_of(tender, HENGXIN), bid_of(tender, JINCHENG)
    auth.login(users["evaluator"])
    url = f"/evaluator/tenders/{tender.public_id}/abnormal-low"
    cases = [
        ({"lot": "L3"}, "the tender has no lot 'L3' (lots: L1, L2)"),
        ({}, "name the lot the proposal is for"),
    ]
    for lot, said in cases:
        refused = client.post(
            url, data={"bid": hengxin, "decision": "accept", "note": "说明", **lot}, follow_redirects=True
        )
        assert said in text(refused)
    refused = client.post(
        f"/evaluator/tenders/{tender.public_id}/bids/{jincheng}/override",
        data={"rule": EXPERIENCE, "passed": "no", "reason": "业绩不符", "lot": "L1"},
        follow_redirects=True,
    )
    assert f"{JINCHENG} does not bid for lot 'L1'" in text(refused)
    assert PanelProposal.query.count() == 0 and PanelVote.query.count() == 0
    assert AbnormalLowDecision.query.count() == 0 and QualificationOverride.query.count() == 0
    assert AuditRecord.query.filter_by(action="proposal_made").count() == 0


def test_a_qualification_override_in_one_lot_disqualifies_there_only(client, auth, users):
    tender, second = lot_tender(client, auth, users)
    hengxin = bid_of(tender, HENGXIN)
    for evaluator in (users["evaluator"], second):
        auth.login(evaluator)
        declare(client, tender)
        auth.logout()
    auth.login(users["evaluator"])
    review = text(client.get(f"/evaluator/tenders/{tender.public_id}/review"))
    l2 = review.split(f'id="bid-{hengxin}-L2"')[1].split("</section>")[0]
    assert f"Lot L2 · {HENGXIN}" in l2 and 'name="lot" value="L2"' in l2 and "not qualified" not in l2
    client.post(
        f"/evaluator/tenders/{tender.public_id}/bids/{hengxin}/override",
        data={"rule": EXPERIENCE, "passed": "no", "reason": "同类项目为物流客服，非电商", "lot": "L2"},
    )
    auth.logout()
    agree(client, auth, tender, second)
    assert [(o.lot, o.rule, o.passed) for o in QualificationOverride.query] == [("L2", EXPERIENCE, False)]
    assert not line(tender, "L2", HENGXIN).qualified and line(tender, "L1", HENGXIN).qualified
    auth.login(users["evaluator"])
    review = text(client.get(f"/evaluator/tenders/{tender.public_id}/review"))
    l1 = review.split(f'id="bid-{hengxin}-L1"')[1].split("</section>")[0]
    l2 = review.split(f'id="bid-{hengxin}-L2"')[1].split("</section>")[0]
    assert "not qualified" in l2 and "同类项目为物流客服，非电商" in l2
    assert "not qualified" not in l1 and "同类项目为物流客服，非电商" not in l1
    scores = text(client.get(f"/evaluator/tenders/{tender.public_id}/scores"))
    row_l2 = scores.split(f'name="score:{hengxin}@L2:plan"')[0].rsplit("<tr", 1)[1]
    row_l1 = scores.split(f'name="score:{hengxin}@L1:plan"')[0].rsplit("<tr", 1)[1]
    assert "(not qualified: no score needed)" in row_l2 and "(not qualified: no score needed)" not in row_l1
    # the sheet may be submitted without 恒信's L2 cells; its L1 cells are still needed
    data = {k: v for k, v in sheet(tender).items() if f"{hengxin}@L2" not in k}
    response = client.post(f"/evaluator/tenders/{tender.public_id}/scores", data={**data, "action": "submit"})
    assert response.status_code == 302
    panel = results_service.inputs(tender).panel["lots"]
    assert panel["L1"]["overrides"] == {} and [o["rule"] for o in panel["L2"]["overrides"][HENGXIN]] == [EXPERIENCE]


def test_a_band_agreed_in_one_lot_scores_there_only(client, auth, users):
    tender, second = lot_tender(client, auth, users, banded=True)
    zhuanxi = bid_of(tender, ZHUANXI)
    for evaluator in (users["evaluator"], second):
        auth.login(evaluator)
        declare(client, tender)
        auth.logout()
    auth.login(users["evaluator"])
    url = f"/evaluator/tenders/{tender.public_id}/scores"
    bands = text(client.get(url)).split('id="bands"')[1].split("</table>")[0]
    row = bands.split(f'id="band-{zhuanxi}-L2"')[1].split("</tr>")[0]
    assert f"Lot L2 · {ZHUANXI}" in row and 'name="lot" value="L2"' in row and "not agreed" in row
    client.post(
        f"/evaluator/tenders/{tender.public_id}/bands",
        data={"bid": zhuanxi, "criterion": "plan", "label": "三档", "reason": "方案完整", "lot": "L1"},
    )
    auth.logout()
    agree(client, auth, tender, second)
    assert [(b.lot, b.criterion_id, b.label) for b in AgreedBand.query] == [("L1", "plan", "三档")]
    panel = results_service.inputs(tender).panel["lots"]
    assert panel["L1"]["bands"] == {ZHUANXI: {"plan": "三档"}} and panel["L2"]["bands"] == {}
    auth.login(users["evaluator"])
    bands = text(client.get(url)).split('id="bands"')[1].split("</table>")[0]
    assert "<strong>三档</strong>" in bands.split(f'id="band-{zhuanxi}-L1"')[1].split("</tr>")[0]
    assert "not agreed" in bands.split(f'id="band-{zhuanxi}-L2"')[1].split("</tr>")[0]
    # 28 lies in 三档 (25.1–30) in L1; in L2 the same bid has no band yet, so its plan score waits
    response = client.post(
        url,
        data={f"score:{zhuanxi}@L1:plan": "28", f"score:{zhuanxi}@L2:plan": "27", "action": "save"},
    )
    page = text(response)
    assert response.status_code == 200 and "1 cells of the score sheet need attention" in page
    cell = page.split(f'name="score:{zhuanxi}@L2:plan"')[1].split("</td>")[0]
    assert "agree the band first, then score inside it" in cell
    assert "agree the band first" not in page.split(f'name="score:{zhuanxi}@L1:plan"')[1].split("</td>")[0]
    # 20 is outside 三档 in L1: refused with the band's range
    page = text(client.post(url, data={f"score:{zhuanxi}@L1:plan": "20", "action": "save"}))
    assert "三档" in page.split(f'name="score:{zhuanxi}@L1:plan"')[1].split("</td>")[0]
    assert client.post(url, data={f"score:{zhuanxi}@L1:plan": "28", "action": "save"}).status_code == 302


def test_an_undivided_tender_names_no_lot(client, auth, users):
    """Without lots a decision is the bid's (lot ""), and a lot named is refused."""
    from tests.integration.helpers import published, sample_bid, submit

    tender = published(users["buyer"], min_valid_bids=1)
    submit(users["vendor"], tender, sample_bid("yunkefu"))
    opening.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
    open_now(users["buyer"], tender)
    bid = opening.opened_bids(tender)[0]
    auth.login(users["evaluator"])
    declare(client, tender)
    review = text(client.get(f"/evaluator/tenders/{tender.public_id}/review"))
    assert f'id="bid-{bid.bid.public_id}"' in review and 'name="lot"' not in review
    rule = next(r.rule.name for r in results_service.result(tender).bid(bid.vendor_name).review.rules)
    refused = client.post(
        f"/evaluator/tenders/{tender.public_id}/bids/{bid.bid.public_id}/override",
        data={"rule": rule, "passed": "no", "reason": "x", "lot": "L1"},
        follow_redirects=True,
    )
    assert "this tender is not divided into lots: no lot 'L1'" in text(refused)
    assert PanelProposal.query.count() == 0
    client.post(
        f"/evaluator/tenders/{tender.public_id}/bids/{bid.bid.public_id}/override",
        data={"rule": rule, "passed": "no", "reason": "证明材料不符"},
    )
    assert [(o.lot, o.rule, o.passed) for o in QualificationOverride.query] == [("", rule, False)]
    assert "lot" not in AuditRecord.query.filter_by(action="proposal_made").one().details
