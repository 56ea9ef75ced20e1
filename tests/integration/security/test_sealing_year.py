"""Sealing with a tender that gives its contract months (samples/year): before the opening no
GET route shows a bid's contract cost, a month's cost or its monthly cost to the buyer, an
evaluator, an administrator or another vendor — the vendor's own preview and receipt do
show its year — and after the opening none reaches a visitor, a vendor without a bid or
another buyer. The walk of test_sealing.py, over every GET route (the vendor's year chart
and the results' year and stability charts included).

One test per phase and walker (a walk is several hundred requests), on a tender built once
per process and put back for each (``snapshot``)."""

from __future__ import annotations

import pytest

from tender.models import BidVersion, StoredFile, Tender, User
from tender.platform import storage
from tender.platform.extensions import db
from tender.platform.timefmt import show_money
from tender.services import opening
from tests.integration.conftest import make_user, snapshot
from tests.integration.helpers import pass_deadline, submit
from tests.integration.security.test_sealing import leaks, login, open_the_bids, with_notifications
from tests.integration.year_tender import published_year_tender, year_bid

# per inquiry 1.6137 a new inquiry: 538,800 × 1.6137 + 19,200 peak = 888,661.56 over the contract
RATES = {"vendor": ("xiaoman", 1.6137), "other_vendor": ("suhui", 1.5311)}


def needles(version: BidVersion) -> dict[str, bytes]:
    """What must not leak of a bid: its contract cost, its monthly cost and June's cost, as
    stored and as shown."""
    evaluation = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")["evaluation"]
    june = evaluation["monthly_costs"][5]["cost"]
    found = {"contract cost": evaluation["contract_cost"], "monthly cost": evaluation["monthly_cost"], "June": june}
    out = {}
    for label, value in found.items():
        out[label] = value.encode()
        out[f"{label} (shown)"] = show_money(value).encode()
    return out


def bid_the_year(users, phase: str) -> None:
    """The year tender, a bid of each vendor at its distinctive rate, an evaluator assigned;
    "closed": the deadline passed; "opened": the bids opened."""
    tender = published_year_tender(users["buyer"])
    for role, (key, rate) in RATES.items():
        bid = year_bid(key)
        bid["pricing"]["new_rate"] = rate
        submit(users[role], tender, bid)
    opening.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
    if phase == "closed":
        pass_deadline(tender)
    elif phase == "opened":
        open_the_bids(users, tender)
    db.session.commit()


@pytest.fixture
def the_year(request, app, users):
    """The year tender in phase ``request.param``: the walk's ids, the vendor's bid and what
    its bid and its rival's must not show."""
    accounts = {key: user.id for key, user in users.items()}
    if snapshot(app, f"sealing-year-{request.param}", lambda: bid_the_year(users, request.param)):
        for key in users:
            users[key] = db.session.get(User, accounts[key])
    tender = db.session.query(Tender).one()
    versions = {v.bid.vendor_id: v for v in db.session.query(BidVersion).order_by(BidVersion.id)}
    version, rival = versions[users["vendor"].id], versions[users["other_vendor"].id]
    ids = {
        "public_id": [tender.public_id],
        "bid_id": [version.bid.public_id, rival.bid.public_id],
        "version_id": [version.public_id, rival.public_id],
        "file_id": [f.public_id for f in StoredFile.query],
        "user_id": [u.public_id for u in User.query],
    }
    secret, rival_secret = needles(version), needles(rival)
    both = {**secret, **{f"rival's {k}": v for k, v in rival_secret.items()}}
    return {"version": version, "ids": ids, "secret": secret, "both": both}


@pytest.mark.parametrize("the_year", ["published"], indirect=True)
def test_the_vendor_sees_its_own_year_in_its_preview_and_receipt(app, users, the_year):
    secret, version = the_year["secret"], the_year["version"]
    assert secret["contract cost"] == b"888661.56"
    own = app.test_client()
    login(own, users["vendor"])
    preview = own.get(f"/vendor/submissions/{version.public_id}").data
    assert secret["contract cost (shown)"] in preview
    assert secret["June (shown)"] in preview
    assert secret["contract cost (shown)"] in own.get(f"/vendor/submissions/{version.public_id}/receipt").data


@pytest.mark.parametrize("walker", ["buyer", "other_buyer", "evaluator", "admin", "vendor", "visitor"])
@pytest.mark.parametrize("the_year", ["published", "closed"], indirect=True)
def test_before_the_opening_no_route_shows_a_years_cost_but_to_its_vendor(app, users, the_year, walker):
    """The vendor may see its own year, never its rival's."""
    both = the_year["both"]
    client = app.test_client()
    if walker == "visitor":
        ids, shown = the_year["ids"], both
    else:
        login(client, users[walker])
        ids = with_notifications(the_year["ids"])
        shown = both if walker != "vendor" else {k: v for k, v in both.items() if k.startswith("rival's")}
    found = leaks(app, client, ids, shown)
    assert not found, f"{walker} sees sealed values:\n" + "\n".join(found)


@pytest.mark.parametrize("walker", ["visitor", "onlooker", "other_buyer"])
@pytest.mark.parametrize("the_year", ["opened"], indirect=True)
def test_after_the_opening_no_years_cost_reaches_a_visitor_a_vendor_without_a_bid_or_another_buyer(
    app, users, the_year, walker
):
    ids = with_notifications(the_year["ids"])
    assert ids["notification_id"]  # the opening told the bidders and the panel
    client = app.test_client()
    if walker == "onlooker":
        login(client, make_user("vendor", "onlooker@example.cn", company="旁观客服有限公司"))
    elif walker != "visitor":
        login(client, users[walker])
    found = leaks(app, client, ids, the_year["both"])
    assert not found, f"{walker} sees a bid's year after the opening:\n" + "\n".join(found)


@pytest.mark.parametrize("the_year", ["opened"], indirect=True)
def test_after_the_opening_the_buyer_reads_the_year_the_walk_would_flag(app, users, the_year):
    buyer = app.test_client()
    login(buyer, users["buyer"])
    found = leaks(app, buyer, with_notifications(the_year["ids"]), the_year["both"])
    assert any("contract cost (shown)" in line for line in found), found
    assert any("rival's June (shown)" in line for line in found), found
