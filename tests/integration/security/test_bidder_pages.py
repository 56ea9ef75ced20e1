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

from tender.models import Bid, ChallengeFile, Notification, StoredFile, Tender, User
from tender.platform.extensions import db
from tests.conftest import make_user
from tests.integration.conftest import snapshot
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


def uphold_the_challenge(app, people, tender):
    challenge_id = db.session.execute(db.text("select public_id from challenge")).scalar()
    buyer = as_user(app, people["buyer"])
    buyer.post(
        f"/buyer/tenders/{tender.public_id}/challenges/{challenge_id}/answer",
        data={"answer": "质疑成立", "outcome": "upheld"},
    )


def reach(app, people, tender, state: str) -> None:
    reach_evaluated(tender, people)
    if state in ("awarded", "upheld"):
        award_and_challenge(app, people, tender)
    if state == "upheld":
        uphold_the_challenge(app, people, tender)


@pytest.fixture
def in_state(request, app, users, people, opened_tender):
    """The tender evaluated, then awarded and challenged, then reopened by the upheld
    challenge (``request.param``): built once per process on SQLite and copied for the next
    walker (``snapshot``), so each walker is a test of its own (a walk is ~500 requests)."""
    state = request.param
    accounts = {key: user.id for key, user in people.items()}
    tender_id = opened_tender.id
    if snapshot(app, f"bidder-pages-{state}", lambda: reach(app, people, opened_tender, state)):
        for found in (users, people):
            for key in found:
                found[key] = db.session.get(User, accounts[key])
    return db.session.get(Tender, tender_id)


def walker(app, people, who: str):
    if who == "visitor":
        return app.test_client()
    if who == "onlooker":
        return as_user(app, make_user("vendor", "onlooker@example.cn", company="旁观客服有限公司"))
    return as_user(app, people[who])


SCORES_BEFORE_THE_NOTICE = {f"{k}'s figure": v.encode() for k, v in {**OWN, "winner's total": "91.39"}.items()}
CHALLENGE = {
    "challenge text": CHALLENGE_TEXT.encode(),
    "challenge file": PDF,
    "challenge file name": "ZX-证据".encode(),
}


@pytest.mark.parametrize("in_state", ["evaluated"], indirect=True)
@pytest.mark.parametrize("key", ["yunkefu", "zhuanxi", "hengxin", "jindou"])
def test_before_the_award_no_vendor_sees_a_total_and_every_bidder_sees_the_opening_record(app, people, in_state, key):
    ids = ids_of(in_state)
    found, pages = [], {}
    for path, status, body in walk(app, walker(app, people, key), ids):
        pages[path] = status
        found += [f"{path} ({status}) shows the {label}" for label, v in SCORES_BEFORE_THE_NOTICE.items() if v in body]
    assert not found, f"{key} sees a score before the notice:\n" + "\n".join(found)
    if key == "hengxin":
        assert pages[f"/vendor/tenders/{in_state.public_id}/opening-record"] == 200
        assert pages[f"/vendor/tenders/{in_state.public_id}/opening-record/print"] == 200


@pytest.mark.parametrize("in_state", ["awarded"], indirect=True)
@pytest.mark.parametrize("key", ["yunkefu", "zhuanxi", "hengxin"])
def test_after_the_award_each_bidder_sees_the_notice_and_only_its_own_scores_and_challenges(app, people, in_state, key):
    ids = ids_of(in_state)
    assert ids["file_id"] and ChallengeFile.query.count() == 1
    client = walker(app, people, key)
    others = {f"{k}'s figure": v.encode() for k, v in OWN.items() if k != key}
    found = leaks(app, client, ids, {**others, **(CHALLENGE if key != "zhuanxi" else {})})
    assert not found, f"{key} sees another bidder's line:\n" + "\n".join(found)
    # and the walk can see: its own figure and the notice are on its outcome page
    own = client.get(f"/vendor/bids/{bid_id(in_state, key, people)}/outcome").get_data()
    assert OWN[key].encode() in own and b"91.39" in own and b"52,266.67" in own


@pytest.mark.parametrize("in_state", ["awarded"], indirect=True)
@pytest.mark.parametrize("who", ["onlooker", "other_buyer", "visitor"])
def test_after_the_award_no_one_else_sees_a_bidders_line_or_challenge(app, people, in_state, who):
    ids = ids_of(in_state)
    everyone_elses = {**{f"{k}'s figure": v.encode() for k, v in OWN.items()}, **CHALLENGE}
    found = leaks(app, walker(app, people, who), ids, everyone_elses)
    assert not found, f"{who} sees a bidder's line or challenge:\n" + "\n".join(found)


@pytest.mark.parametrize("in_state", ["awarded"], indirect=True)
def test_after_the_award_the_buyer_reads_the_challenge(app, people, in_state):
    buyer = as_user(app, people["buyer"])
    assert CHALLENGE_TEXT.encode() in buyer.get(f"/buyer/tenders/{in_state.public_id}/challenges").get_data()


@pytest.mark.parametrize("in_state", ["upheld"], indirect=True)
@pytest.mark.parametrize("who", ["yunkefu", "hengxin", "visitor"])
def test_an_upheld_challenge_withdraws_the_notice_from_every_page(app, people, in_state, who):
    ids = ids_of(in_state)
    if who == "visitor":
        secret = {"winner's total": b"91.39", "winner's cost": b"52,266.67"}
    else:
        secret = SCORES_BEFORE_THE_NOTICE
    found = leaks(app, walker(app, people, who), ids, secret)
    assert not found, f"{who} still sees the withdrawn notice:\n" + "\n".join(found)
