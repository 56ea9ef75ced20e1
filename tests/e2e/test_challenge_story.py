"""After the evaluation, in a real browser (domain §16): the buyer confirms the award (the
dialog naming the result notice accepted), a bidder reads the opening record and the result
notice with its own scores, lodges a challenge with a PDF; the buyer sees it with its due
date and answers it; the vendor reads the answer; once the challenge window has passed the
award is final.

The tender, the four bids of the worked example and the panel's work are made through the
services (tests/integration/evaluation): the panel's pages are not this story's. 杭州云客服
ranks first with 91.39 at 52,266.67 a month; 苏州专席 second with 90.74.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
VENDOR_EMAILS = {
    "yunkefu": "yunkefu@e2e16.cn",
    "jindou": "jindou@e2e16.cn",
    "hengxin": "hengxin@e2e16.cn",
    "zhuanxi": "zhuanxi@e2e16.cn",
}


def evaluated_tender(live, clock) -> tuple[str, dict]:
    """The worked example's tender, evaluated; returns its id and each vendor's bid id."""
    from tender.models import User
    from tender.platform.extensions import db
    from tender.services import opening as opening_service
    from tests.integration.evaluation.conftest import VENDORS
    from tests.integration.evaluation.test_notice_and_challenges import reach_evaluated
    from tests.integration.helpers import published, sample_bid, submit

    live.account("buyer", "buyer@e2e16.cn", "采购人 钱")
    for key, email in VENDOR_EMAILS.items():
        live.vendor(email, VENDORS[key], sample_bid(key)["facts"])
    for number in (1, 2, 3):
        live.account("evaluator", f"expert{number}@e2e16.cn", f"评标专家 {number}")
    with live.app.app_context():
        people = {"buyer": User.query.filter_by(email="buyer@e2e16.cn").one()}
        people.update({key: User.query.filter_by(email=email).one() for key, email in VENDOR_EMAILS.items()})
        people.update({f"expert{n}": User.query.filter_by(email=f"expert{n}@e2e16.cn").one() for n in (1, 2, 3)})
        tender = published(people["buyer"], days=3)
        for key in VENDOR_EMAILS:
            submit(people[key], tender, sample_bid(key))
        for number in (1, 2, 3):
            opening_service.assign(people["buyer"], tender.public_id, people[f"expert{number}"].public_id)
        clock.advance(days=3, hours=1)  # past the deadline and the opening time
        opening_service.open_bids(people["buyer"], tender.public_id)
        reach_evaluated(tender, people, PASSWORD)
        bids = {key: next(b.public_id for b in tender.bids if b.vendor_id == people[key].id) for key in VENDOR_EMAILS}
        public_id = tender.public_id
        db.session.remove()
    return public_id, bids


def test_notice_a_challenge_answered_and_the_award_final(live, actor, clock, shot, tmp_path):
    tender_id, bids = evaluated_tender(live, clock)

    buyer = actor("buyer@e2e16.cn")
    page = buyer.go(f"/results/{tender_id}")
    page.click("#award-link")
    page.click("#award-form [type=submit]")  # the dialog is accepted
    page.wait_for_selector("#award")
    assert "杭州云客服科技有限公司" in page.inner_text("#award")

    vendor = actor(VENDOR_EMAILS["zhuanxi"])
    page = vendor.go(f"/vendor/bids/{bids['zhuanxi']}/outcome")
    assert "杭州云客服科技有限公司" in page.inner_text("#winners") and "52,266.67" in page.inner_text("#winners")
    assert "90.74" in page.inner_text("#my-total") and "2 / 3" in page.inner_text("#my-rank")
    shot(page, "16-vendor-result-notice", full_page=True)
    page.click("#opening-record-link")
    assert "59,976.67" in page.inner_text("#opening-record")  # 苏州专席's own line, as the buyer sees it
    page.go_back()
    evidence = tmp_path / "团队证明.pdf"
    evidence.write_bytes(PDF)
    page.fill("#challenge-form textarea[name=text]", "团队与培训得分偏低，请复核培训记录。")
    page.set_input_files("#challenge-form input[name=files]", str(evidence))
    page.click("#challenge-form [type=submit]")
    page.wait_for_selector(".challenge")
    assert "团队与培训得分偏低" in page.inner_text("#challenges") and "团队证明.pdf" in page.inner_text("#challenges")

    page = buyer.go(f"/buyer/tenders/{tender_id}/challenges")
    assert "苏州专席客服服务有限公司" in page.inner_text(".challenge")
    assert page.inner_text(".answer-due")  # the due date is shown
    page.fill(".answer-form textarea[name=answer]", "经复核培训记录，团队与培训得分无误，不予支持。")
    shot(page, "17-buyer-answers-challenge", full_page=True)
    page.click(".answer-form [type=submit]")
    page.wait_for_selector(".challenge-answer")

    page = vendor.go(f"/vendor/bids/{bids['zhuanxi']}/outcome")
    assert "经复核培训记录" in page.inner_text(".challenge-answer")
    assert page.locator("#challenge-form").count() == 1  # the window is still open

    clock.advance(days=14)  # the 7 working days have passed
    page = vendor.go(f"/vendor/bids/{bids['zhuanxi']}/outcome")
    assert page.locator("#challenge-form").count() == 0
    assert page.locator(".badge.award_final").count() == 1
    shot(page, "18-vendor-award-final", full_page=True)
