"""Sealing: before the opening, no page, download or export of the app shows a
sealed value of a submitted bid — its monthly cost, a distinctive fact, its file names or
its file bytes — to the buyer, an evaluator or an administrator; a vendor sees its own
bid and nothing of another's. After the opening, nothing of any bid reaches a visitor
without an account (the public tender notices included), a vendor that did not bid, or
another buyer. Every GET route of ``app.url_map`` is walked with every id the test knows
(notifications included), so a new route is covered the day it is added."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from werkzeug.routing import BuildError

from tender.documents.quote_template import build_quote_template
from tender.models import BidVersion, StoredFile, Tender, User, utcnow
from tender.platform import storage
from tender.platform.extensions import db
from tender.platform.timefmt import show_money
from tender.services import bids as bid_service
from tender.services import opening
from tests.integration.conftest import snapshot
from tests.integration.helpers import document_file, pass_deadline, published, quote_file, sample_bid


def submit_distinctive(vendor, tender, tag: str, capital: int, staff: int, new_rate: float):
    """A bid whose file names, facts and price are found nowhere else in the app."""
    bid = sample_bid()
    bid["facts"]["registered_capital"] = capital
    bid["facts"]["staff_count"] = staff
    bid["pricing"]["new_rate"] = new_rate
    quote, document = quote_file(tender, bid), document_file(tender, bid)
    names = (f"绝密报价单-{tag}.xlsx", f"绝密投标文件-{tag}.docx")
    version = bid_service.upload(
        vendor, tender.public_id, bid_service.Upload(names[0], quote), bid_service.Upload(names[1], document)
    )
    version = bid_service.confirm(vendor, version.public_id)
    return version, needles(version, tag, capital, names, quote, document)


def needles(version: BidVersion, tag: str, capital: int, names, quote: bytes, document: bytes) -> dict[str, bytes]:
    """Byte strings that must not appear in any response to someone who may not see the bid."""
    content = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")
    cost = content["evaluation"]["monthly_cost"]
    found = {
        "monthly cost": show_money(cost),
        "monthly cost (plain)": cost,
        "registered capital": f"{capital:,}",
        "registered capital (plain)": str(capital),
        "quote file name": names[0],
        "document file name": names[1],
        "file name tag": tag,
    }
    encoded = {label: text.encode("utf-8") for label, text in found.items()}
    encoded["quote bytes"], encoded["document bytes"] = quote, document
    return encoded


def distinctive_slice(data: bytes, others: list[bytes], size: int = 48) -> bytes:
    """A piece of a file found in none of the others (generated files share most bytes)."""
    for start in range(len(data) // 2, len(data) - size, 16):
        piece = data[start : start + size]
        if not any(piece in other for other in others):
            return piece
    raise AssertionError("no distinctive slice")


def add_slices(secret: dict, rival: dict, template: bytes) -> None:
    for label in ("quote bytes", "document bytes"):
        others = [template, rival["quote bytes"], rival["document bytes"]]
        secret[label.replace("bytes", "slice")] = distinctive_slice(secret[label], others)


def get_routes(app):
    return [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"]


def converter_values(rule, name):
    converter = rule._converters.get(name)
    items = getattr(converter, "items", None)
    return list(items) if items else []


def paths_for(app, rule, ids: dict[str, list[str]]):
    """Every URL of the rule built from the known ids (and the choices of ``any()`` arguments):
    the ids of its kind for a well-known argument name, every id for any other name."""
    names = sorted(rule.arguments)
    everything = sorted({value for values in ids.values() for value in values})
    choices = [converter_values(rule, name) or ids.get(name) or everything for name in names]
    adapter = app.url_map.bind("localhost")
    for combination in itertools.product(*choices):
        try:
            yield adapter.build(rule.endpoint, dict(zip(names, combination)), method="GET")
        except BuildError:
            continue


def walk(app, client, ids):
    """(path, status, body) of every GET route for this client."""
    for rule in get_routes(app):
        for path in paths_for(app, rule, ids):
            with client.get(path) as response:
                yield path, response.status_code, response.get_data()


def leaks(app, client, ids, secret: dict[str, bytes]) -> list[str]:
    found = []
    for path, status, body in walk(app, client, ids):
        for label, needle in secret.items():
            if needle in body:
                found.append(f"{path} ({status}) shows the {label}")
    return found


def seal_two_bids(users, phase: str | None = None) -> dict:
    """Two tenders of the buyer, a distinctive bid of each vendor on the first, the evaluator
    on its panel. ``phase`` "published": then amended (the bidders are told); "closed":
    amended and its deadline passed, the opening time not reached. Returns the walk's ids
    and what each bid must not show, by public ids (they hold in a copy of the database)."""
    from tender.services import tenders as tender_service
    from tests.integration.helpers import definition

    tender = published(users["buyer"])
    other = published(users["buyer"], title="另一个招标项目")
    version, secret = submit_distinctive(users["vendor"], tender, "ZQX8153", 3141593, 4817, 2.537)
    rival, rival_secret = submit_distinctive(users["other_vendor"], tender, "WKY2609", 2718281, 3779, 2.419)
    opening.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)  # the evaluator is on the panel
    template = build_quote_template(tender.definition(), tender_id=tender.public_id, version=tender.version)
    add_slices(secret, rival_secret, template)
    add_slices(rival_secret, secret, template)
    if phase in ("published", "closed"):
        tender_service.amend(users["buyer"], tender, definition(days=12), "补充说明")  # bidders are told
    if phase == "closed":
        pass_deadline(tender)  # deadline passed, opening time not reached
    versions = [version, rival]
    ids = {
        "public_id": [tender.public_id, other.public_id],
        "bid_id": [v.bid.public_id for v in versions],
        "version_id": [v.public_id for v in versions],
        "file_id": [f.public_id for f in StoredFile.query],
        "user_id": [u.public_id for u in User.query],
    }
    return {
        "tender": tender.public_id,
        "version": version.public_id,
        "ids": ids,
        "secret": secret,
        "rival_secret": rival_secret,
    }


def loaded(built: dict) -> dict:
    return {
        **built,
        "tender": Tender.query.filter_by(public_id=built["tender"]).one(),
        "version": BidVersion.query.filter_by(public_id=built["version"]).one(),
    }


@pytest.fixture
def sealed_bids(app, users):
    return loaded(seal_two_bids(users))


# What the build of each kept state made (the files' bytes are not made again): name -> it.
_BUILT: dict[str, dict] = {}


@pytest.fixture
def sealed_phase(request, app, users):
    """``seal_two_bids`` in phase ``request.param``, built once per process (``snapshot``)."""
    name = f"sealed-{request.param}"
    accounts = {key: user.id for key, user in users.items()}

    def build():
        _BUILT[name] = seal_two_bids(users, request.param)

    if snapshot(app, name, build):
        for key in users:
            users[key] = db.session.get(User, accounts[key])
    return loaded(_BUILT[name])


def login(client, user):
    from tests.integration.conftest import PASSWORD

    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("walker", ["buyer", "other_buyer", "evaluator", "admin", "vendor", "visitor"])
@pytest.mark.parametrize("sealed_phase", ["published", "closed"], indirect=True)
def test_no_route_shows_a_sealed_value_to_buyer_evaluator_or_admin_before_opening(app, users, sealed_phase, walker):
    """One walker a test (a walk is several hundred requests); the vendor may see its own bid,
    never its rival's; a visitor (signed out) sees neither."""
    ids = with_notifications(sealed_phase["ids"])
    assert len(ids["notification_id"]) == 2
    secret = {**sealed_phase["secret"], **{f"rival's {k}": v for k, v in sealed_phase["rival_secret"].items()}}
    client = app.test_client()
    if walker != "visitor":
        login(client, users[walker])
    shown = secret if walker != "vendor" else {k: v for k, v in secret.items() if k.startswith("rival's")}
    found = leaks(app, client, ids, shown)
    assert not found, f"{walker} sees sealed values:\n" + "\n".join(found)


def test_a_vendor_sees_its_own_bid_and_nothing_of_another(app, users, sealed_bids):
    client = app.test_client()
    login(client, users["vendor"])
    own = sealed_bids["version"]
    preview = client.get(f"/vendor/submissions/{own.public_id}").get_data()
    assert sealed_bids["secret"]["monthly cost"] in preview  # the check can see a leak: the owner's page shows it
    receipt = client.get(f"/vendor/submissions/{own.public_id}/receipt").get_data()
    assert sealed_bids["secret"]["document file name"] in receipt
    download = client.get(f"/vendor/files/{own.files[1].public_id}").get_data()
    assert sealed_bids["secret"]["document slice"] in download
    found = leaks(app, client, sealed_bids["ids"], {f"rival's {k}": v for k, v in sealed_bids["rival_secret"].items()})
    assert not found, "a vendor sees another vendor's sealed values:\n" + "\n".join(found)


def test_the_walk_reaches_the_routes_that_take_ids(app, users, sealed_bids):
    """Guard against a walk that silently builds no URL for a route with arguments."""
    with_arguments = [rule for rule in get_routes(app) if rule.arguments]
    assert with_arguments
    for rule in with_arguments:
        assert list(paths_for(app, rule, sealed_bids["ids"])), rule.rule


def open_the_bids(users, tender) -> None:
    tender.published_at = utcnow() - dt.timedelta(days=1)
    pass_deadline(tender)
    tender.opening_time = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    opening.open_bids(users["buyer"], tender.public_id)


def with_notifications(ids: dict) -> dict:
    from tender.models import Notification

    return {**ids, "notification_id": [n.public_id for n in Notification.query]}


def test_after_the_opening_no_bid_reaches_a_visitor_a_vendor_without_a_bid_or_another_buyer(app, users, sealed_bids):
    open_the_bids(users, sealed_bids["tender"])
    ids = with_notifications(sealed_bids["ids"])
    assert ids["notification_id"]  # the opening told the bidders and the panel
    secret = {**sealed_bids["secret"], **{f"rival's {k}": v for k, v in sealed_bids["rival_secret"].items()}}
    assert not leaks(app, app.test_client(), ids, secret), "a visitor without an account sees bid data"
    from tests.integration.conftest import make_user

    onlooker = make_user("vendor", "onlooker@example.cn", company="旁观客服有限公司")
    for user in (onlooker, users["other_buyer"]):
        client = app.test_client()
        login(client, user)
        found = leaks(app, client, ids, secret)
        assert not found, f"{user.email} sees bid data after the opening:\n" + "\n".join(found)


def test_the_public_notice_routes_are_walked_and_open_to_a_visitor(app, users, sealed_bids):
    """Guard against a walk that reaches the public notices with nothing but refusals."""
    tender = sealed_bids["tender"]
    public = {
        path: status
        for path, status, _ in walk(app, app.test_client(), sealed_bids["ids"])
        if path.startswith("/notices/")
    }
    for suffix in ("", "/price-sheet.xlsx", "/tender.json"):
        assert public[f"/notices/{tender.public_id}{suffix}"] == 200, suffix
    assert public["/notices/"] == 200


def test_after_the_opening_the_buyer_sees_what_was_sealed(app, users, sealed_bids):
    """The same walk finds the values once the bids are opened: the check can see them."""
    tender = sealed_bids["tender"]
    tender.published_at = utcnow() - dt.timedelta(days=1)
    pass_deadline(tender)
    tender.opening_time = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    opening.open_bids(users["buyer"], tender.public_id)
    client = app.test_client()
    login(client, users["buyer"])
    found = leaks(app, client, sealed_bids["ids"], sealed_bids["secret"])
    assert any("monthly cost" in line for line in found), found
