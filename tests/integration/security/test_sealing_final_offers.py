"""Sealing of the final offers (§12): while the round runs and after its deadline until the
buyer opens them, no GET route shows a final offer's monthly cost or its file's name to the
buyer, the panel, an administrator, another vendor or a visitor — its vendor sees its own
(preview, receipt); once they are opened the buyer reads them. The walk of test_sealing.py
over every GET route, with the ids of the final offers added.

Final offers: 杭州云客服 new inquiries at 2.437 instead of 2.50: 15,600 × 2.437 + 8,400 × 1.50
+ 666.67 = 51,283.87 (first 52,266.67); 南京恒信 commission 1.73 %: 1,500 × 12 + 0.0173 ×
1,500,000 + 800 + 666.67 = 45,416.67 (first 49,466.67)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event

from tender.models import Bid, BidVersion, FinalOffer, FinalRound, StoredFile, Tender, User, utcnow
from tender.platform import storage
from tender.platform.extensions import db
from tender.platform.timefmt import show_money
from tender.services import final_offers, opening
from tender.services import panel as panel_service
from tests.integration.conftest import snapshot
from tests.integration.helpers import published, quote_file, sample_bid, submit
from tests.integration.security.test_sealing import get_routes, login, open_the_bids, paths_for, with_notifications

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
AUDIT_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\"?audit_record\"?", re.I)


def leaks(app, client, ids, secret: dict[str, bytes]) -> list[str]:
    """test_sealing's check; and while the round runs no page fails (a 5xx) and no GET writes
    to the database but an audit record (test_no_writes_on_get's rule, over these ids)."""
    found, path_now = [], [""]

    def watch(_connection, _cursor, statement, _parameters, _context, _executemany):
        if WRITE.match(statement) and not AUDIT_INSERT.match(statement):
            found.append(f"GET {path_now[0]} writes: {' '.join(statement.split())[:80]}")

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        for rule in get_routes(app):
            for path in paths_for(app, rule, ids):
                path_now[0] = path
                with client.get(path) as response:
                    status, body = response.status_code, response.get_data()
                if status >= 500:
                    found.append(f"{path} fails ({status})")
                found += [f"{path} ({status}) shows the {label}" for label, needle in secret.items() if needle in body]
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    return found


def secret_of(offer: FinalOffer) -> dict[str, bytes]:
    """What must not leak of a final offer: its monthly cost (as stored and as shown), its
    file's name and the tag in that name."""
    cost = storage.unseal_json(offer.sealed_data, f"final_offer:{offer.public_id}")["evaluation"]["monthly_cost"]
    return {
        "final cost": cost.encode(),
        "final cost (shown)": show_money(cost).encode(),
        "final file name": offer.filename.encode(),
        "final file tag": offer.filename.removeprefix("绝密最后报价-").removesuffix(".xlsx").encode(),
    }


def final_offer(vendor, tender, key: str, tag: str, **pricing) -> FinalOffer:
    bid = sample_bid(key)
    bid["pricing"] = {**bid["pricing"], **pricing}
    offer = final_offers.upload(vendor, tender.public_id, f"绝密最后报价-{tag}.xlsx", quote_file(tender, bid))
    return final_offers.confirm(vendor, offer.public_id)


def run_the_round(users, phase: str) -> None:
    """Two first bids scored, the round opened, a final offer from each vendor; in phase
    "round closed" the round's deadline is 3 minutes past (not yet opened)."""
    tender = published(users["buyer"], final_offer=True, min_valid_bids=1)
    first = submit(users["vendor"], tender, sample_bid("yunkefu"))
    rival_first = submit(users["other_vendor"], tender, sample_bid("hengxin"))
    opening.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
    open_the_bids(users, tender)
    panel_service.declare(users["evaluator"], tender.public_id, False, "")
    entries = {
        (v.bid.public_id, cid): "20" if cid == "plan" else "10"
        for v in (first, rival_first)
        for cid in ("plan", "team")
    }
    panel_service.save_scores(users["evaluator"], tender.public_id, entries, submit=True)
    final_offers.open_round(users["buyer"], tender.public_id, utcnow() + dt.timedelta(days=2))
    final_offer(users["vendor"], tender, "yunkefu", "QFX4471", new_rate=2.437)
    final_offer(users["other_vendor"], tender, "hengxin", "RZM9028", commission_rate=0.0173)
    if phase == "round closed":
        db.session.query(FinalRound).one().deadline = utcnow() - dt.timedelta(minutes=3)
    db.session.commit()


@pytest.fixture
def the_round(request, app, users):
    """The round in ``request.param`` ("round" or "round closed"), built once per process on
    SQLite and copied for each walker (``snapshot``): the tender, the walk's ids (the final
    offers' among them) and what each vendor's offer must not show."""
    accounts = {key: user.id for key, user in users.items()}
    if snapshot(app, f"final-offers-{request.param}", lambda: run_the_round(users, request.param)):
        for key in users:
            users[key] = db.session.get(User, accounts[key])
    tender = db.session.query(Tender).one()
    offers = {offer.bid.vendor_id: offer for offer in db.session.query(FinalOffer)}
    bids = db.session.query(Bid).order_by(Bid.id).all()
    offer, rival = offers[users["vendor"].id], offers[users["other_vendor"].id]
    ids = {
        "public_id": [tender.public_id],
        "bid_id": [bid.public_id for bid in bids],
        "version_id": [version.public_id for version in db.session.query(BidVersion).order_by(BidVersion.id)],
        "offer_id": [offer.public_id, rival.public_id],
        "file_id": [f.public_id for f in StoredFile.query],
        "user_id": [u.public_id for u in User.query],
    }
    return {"tender": tender, "offer": offer, "ids": ids, "secret": secret_of(offer), "rival_secret": secret_of(rival)}


def test_the_two_final_offers_are_the_hand_computed_ones(app, users):
    run_the_round(users, "round")
    offers = {offer.bid.vendor_id: offer for offer in db.session.query(FinalOffer)}
    assert secret_of(offers[users["vendor"].id])["final cost"] == b"51283.87"
    assert secret_of(offers[users["other_vendor"].id])["final cost"] == b"45416.67"


WALKERS = ("buyer", "other_buyer", "evaluator", "admin", "vendor", "visitor")


@pytest.mark.parametrize("walker", WALKERS)
@pytest.mark.parametrize("the_round", ["round", "round closed"], indirect=True)
def test_final_offers_are_sealed_until_opened_for_every_role_and_route(app, users, the_round, walker):
    """Each walker's own test (a walk is several hundred requests); the vendor may see its own
    offer, never its rival's."""
    secret, rival_secret = the_round["secret"], the_round["rival_secret"]
    both = {**secret, **{f"rival's {k}": v for k, v in rival_secret.items()}}
    client = app.test_client()
    if walker != "visitor":
        login(client, users[walker])
    shown = both if walker != "vendor" else {k: v for k, v in both.items() if k.startswith("rival's")}
    found = leaks(app, client, with_notifications(the_round["ids"]), shown)
    assert not found, f"{walker} sees a sealed final offer:\n" + "\n".join(found)
    if walker == "vendor":  # the check can see: the vendor's own pages show its final offer
        offer = the_round["offer"]
        assert secret["final cost (shown)"] in client.get(f"/vendor/final-offers/{offer.public_id}").data
        assert secret["final cost (shown)"] in client.get(f"/vendor/final-offers/{offer.public_id}/receipt").data


@pytest.mark.parametrize("the_round", ["round closed"], indirect=True)
def test_once_opened_the_buyer_reads_the_final_offers_and_a_visitor_still_does_not(app, users, the_round):
    secret, rival_secret = the_round["secret"], the_round["rival_secret"]
    both = {**secret, **{f"rival's {k}": v for k, v in rival_secret.items()}}
    final_offers.open_offers(users["buyer"], the_round["tender"].public_id)
    assert db.session.query(FinalOffer).filter(FinalOffer.hash_ok.is_(True)).count() == 2
    buyer = app.test_client()
    login(buyer, users["buyer"])
    found = leaks(app, buyer, with_notifications(the_round["ids"]), both)
    assert any("final cost (shown)" in line for line in found), found
    visitor = leaks(app, app.test_client(), with_notifications(the_round["ids"]), both)
    assert not visitor, "a visitor sees a final offer after the opening:\n" + "\n".join(visitor)
