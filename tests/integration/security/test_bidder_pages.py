"""The bidders' pages of §16 walked in every state after the opening: every GET route of
``app.url_map`` with every id the test knows (tenders, bids, files, challenges' files,
notifications), as each vendor, a vendor without a bid, another buyer and a visitor.

Worked example (tests/integration/evaluation): 杭州云客服 is awarded with 91.39 at 52,266.67;
its price score 28.39 is its own; 苏州专席's total 90.74 and 南京恒信's 86.00 are theirs alone.
- before the award (evaluated): no vendor sees any total or score, the winner's included;
- awarded: each bidder sees the notice (91.39, 52,266.67) and its own line, never another's;
  a challenge's text and files reach its vendor and the buyer only;
- reopened by an upheld challenge: the notice is withdrawn, no total is shown to a vendor.
"""

from __future__ import annotations

import io

import pytest

from tender.models import Bid, ChallengeFile, Notification, StoredFile
from tender.platform.extensions import db
from tests.conftest import make_user
from tests.integration.evaluation.conftest import bid_id, closed_tender, opened_tender, people  # noqa: F401 (fixtures)
from tests.integration.evaluation.test_notice_and_challenges import PDF, reach_evaluated
from tests.integration.security.test_sealing import leaks, login, walk

OWN = {"yunkefu": "28.39", "zhuanxi": "90.74", "hengxin": "86.00"}  # a figure each bidder alone may see
CHALLENGE_TEXT = "苏州专席质疑：团队评分复核 ZX-7731"


def ids_of(tender) -> dict:
    return {
        "public_id": [tender.public_id],
        "bid_id": [b.public_id for b in Bid.query],
        "file_id": [f.public_id for f in StoredFile.query] + [f.public_id for f in ChallengeFile.query],
        "notification_id": [n.public_id for n in Notification.query],
    }


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    return client


@pytest.fixture
def evaluated(people, opened_tender):
    reach_evaluated(opened_tender, people)
    return opened_tender


def award_and_challenge(app, people, tender):
    buyer = as_user(app, people["buyer"])
    assert (
        buyer.post(
            f"/buyer/tenders/{tender.public_id}/award", data={"share-0": bid_id(tender, "yunkefu", people)}
        ).status_code
        == 302
    )
    zhuanxi = as_user(app, people["zhuanxi"])
    response = zhuanxi.post(
        f"/vendor/bids/{bid_id(tender, 'zhuanxi', people)}/challenges",
        data={"text": CHALLENGE_TEXT, "files": [(io.BytesIO(PDF), "ZX-证据.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_before_the_award_no_vendor_sees_a_total_and_every_bidder_sees_the_opening_record(app, people, evaluated):
    ids = ids_of(evaluated)
    secret = {f"{k}'s figure": v.encode() for k, v in {**OWN, "winner's total": "91.39"}.items()}
    for key in ("yunkefu", "zhuanxi", "hengxin", "jindou"):
        found = leaks(app, as_user(app, people[key]), ids, secret)
        assert not found, f"{key} sees a score before the notice:\n" + "\n".join(found)
    pages = {path: status for path, status, _ in walk(app, as_user(app, people["hengxin"]), ids)}
    assert pages[f"/vendor/tenders/{evaluated.public_id}/opening-record"] == 200
    assert pages[f"/vendor/tenders/{evaluated.public_id}/opening-record/print"] == 200


def test_after_the_award_each_bidder_sees_the_notice_and_only_its_own_scores_and_challenges(app, people, evaluated):
    award_and_challenge(app, people, evaluated)
    ids = ids_of(evaluated)
    assert ids["file_id"] and ChallengeFile.query.count() == 1
    challenge = {
        "challenge text": CHALLENGE_TEXT.encode(),
        "challenge file": PDF,
        "challenge file name": "ZX-证据".encode(),
    }
    for key in ("yunkefu", "zhuanxi", "hengxin"):
        client = as_user(app, people[key])
        others = {f"{k}'s figure": v.encode() for k, v in OWN.items() if k != key}
        found = leaks(app, client, ids, {**others, **(challenge if key != "zhuanxi" else {})})
        assert not found, f"{key} sees another bidder's line:\n" + "\n".join(found)
        # and the walk can see: its own figure and the notice are on its outcome page
        own = client.get(f"/vendor/bids/{bid_id(evaluated, key, people)}/outcome").get_data()
        assert OWN[key].encode() in own and b"91.39" in own and b"52,266.67" in own
    onlooker = make_user("vendor", "onlooker@example.cn", company="旁观客服有限公司")
    everyone_elses = {**{f"{k}'s figure": v.encode() for k, v in OWN.items()}, **challenge}
    for client, who in (
        (as_user(app, onlooker), "a vendor without a bid"),
        (as_user(app, people["other_buyer"]), "another buyer"),
        (app.test_client(), "a visitor"),
    ):
        found = leaks(app, client, ids, everyone_elses)
        assert not found, f"{who} sees a bidder's line or challenge:\n" + "\n".join(found)
    # the buyer reads the challenge and its file
    buyer = as_user(app, people["buyer"])
    assert CHALLENGE_TEXT.encode() in buyer.get(f"/buyer/tenders/{evaluated.public_id}/challenges").get_data()


def test_an_upheld_challenge_withdraws_the_notice_from_every_page(app, people, evaluated):
    award_and_challenge(app, people, evaluated)
    challenge_id = db.session.execute(db.text("select public_id from challenge")).scalar()
    buyer = as_user(app, people["buyer"])
    buyer.post(
        f"/buyer/tenders/{evaluated.public_id}/challenges/{challenge_id}/answer",
        data={"answer": "质疑成立", "outcome": "upheld"},
    )
    ids = ids_of(evaluated)
    secret = {f"{k}'s figure": v.encode() for k, v in {**OWN, "winner's total": "91.39"}.items()}
    for key in ("yunkefu", "hengxin"):
        found = leaks(app, as_user(app, people[key]), ids, secret)
        assert not found, f"{key} still sees the withdrawn notice:\n" + "\n".join(found)
    assert not leaks(app, app.test_client(), ids, {"winner's total": b"91.39", "winner's cost": b"52,266.67"})
