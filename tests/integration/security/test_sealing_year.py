"""Sealing with a tender that gives its contract months (samples/year): before the opening no
GET route shows a bid's contract cost, a month's cost or its monthly cost to the buyer, an
evaluator, an administrator or another vendor — the vendor's own preview and receipt do
show its year — and after the opening none reaches a visitor, a vendor without a bid or
another buyer. The walk of test_sealing.py, over every GET route (the vendor's year chart
and the results' year and stability charts included)."""

from __future__ import annotations

from tender.models import StoredFile, User
from tender.platform import storage
from tender.platform.timefmt import show_money
from tender.services import opening
from tests.integration.helpers import pass_deadline, submit
from tests.integration.security.test_sealing import leaks, login, open_the_bids, with_notifications
from tests.integration.year_tender import published_year_tender, year_bid


def distinctive(vendor, tender, key: str, rate: float) -> tuple:
    bid = year_bid(key)
    bid["pricing"]["new_rate"] = rate
    version = submit(vendor, tender, bid)
    evaluation = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")["evaluation"]
    june = evaluation["monthly_costs"][5]["cost"]
    found = {"contract cost": evaluation["contract_cost"], "monthly cost": evaluation["monthly_cost"], "June": june}
    needles = {}
    for label, value in found.items():
        needles[label] = value.encode()
        needles[f"{label} (shown)"] = show_money(value).encode()
    return version, needles


def test_the_year_of_a_sealed_bid_is_shown_to_its_vendor_only_and_to_nobody_else_before_and_after(app, users):
    tender = published_year_tender(users["buyer"])
    # per inquiry 1.6137 a new inquiry: 538,800 × 1.6137 + 19,200 peak = 888,661.56 over the contract
    version, secret = distinctive(users["vendor"], tender, "xiaoman", 1.6137)
    rival, rival_secret = distinctive(users["other_vendor"], tender, "suhui", 1.5311)
    assert secret["contract cost"] == b"888661.56"
    opening.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
    ids = {
        "public_id": [tender.public_id],
        "bid_id": [version.bid.public_id, rival.bid.public_id],
        "version_id": [version.public_id, rival.public_id],
        "file_id": [f.public_id for f in StoredFile.query],
        "user_id": [u.public_id for u in User.query],
    }
    both = {**secret, **{f"rival's {k}": v for k, v in rival_secret.items()}}
    for phase in ("published", "closed"):
        if phase == "closed":
            pass_deadline(tender)
        for role in ("buyer", "other_buyer", "evaluator", "admin", "vendor"):
            client = app.test_client()
            login(client, users[role])
            shown = both if role != "vendor" else {k: v for k, v in both.items() if k.startswith("rival's")}
            found = leaks(app, client, with_notifications(ids), shown)
            assert not found, f"{phase}: {role} sees sealed values:\n" + "\n".join(found)
        assert not leaks(app, app.test_client(), ids, both)
    own = app.test_client()
    login(own, users["vendor"])
    assert secret["contract cost (shown)"] in own.get(f"/vendor/submissions/{version.public_id}").data
    assert secret["June (shown)"] in own.get(f"/vendor/submissions/{version.public_id}").data
    assert secret["contract cost (shown)"] in own.get(f"/vendor/submissions/{version.public_id}/receipt").data
    open_the_bids(users, tender)
    from tests.integration.conftest import make_user

    onlooker = make_user("vendor", "onlooker@example.cn", company="旁观客服有限公司")
    ids = with_notifications(ids)
    assert not leaks(app, app.test_client(), ids, both), "a visitor sees a bid's year after the opening"
    for user in (onlooker, users["other_buyer"]):
        client = app.test_client()
        login(client, user)
        found = leaks(app, client, ids, both)
        assert not found, f"{user.email} sees a bid's year after the opening:\n" + "\n".join(found)
    buyer = app.test_client()
    login(buyer, users["buyer"])
    found = leaks(app, buyer, ids, both)  # the check can see them: the buyer now reads the year
    assert any("contract cost (shown)" in line for line in found), found
