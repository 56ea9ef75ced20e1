"""Demo data for ``make run`` (``flask --app tender seed-demo``), added once.

One administrator, one buyer, three evaluators and five vendors; one tender open for bids,
one whose deadline has passed with bids in, and one opened and fully evaluated by the
three evaluators (declarations, scores, the abnormally low price rejected) — ready for
the buyer to confirm the award; and one divided into two lots with a round of final
offers (``samples/lots/``), open for bids. The tenders are built from
``samples/tender.json`` and the vendors' bids from ``samples/bids/``; the bids go through
the same upload → confirm path as a vendor's files (filled price sheet and a .docx).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select

from scoring.identity import check_character
from tender.demo.files import fill_quote, make_bid_document
from tender.models import Tender, User, VendorProfile, utcnow
from tender.platform.extensions import db
from tender.platform.timefmt import to_iso_shanghai
from tender.services import bids as bid_service
from tender.services import tenders as tender_service

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PASSWORD = "demo1234"
OPEN_TITLE = "云裳旗舰店 电商客服外包服务项目（演示：投标中）"
CLOSED_TITLE = "云裳旗舰店 电商客服外包服务项目（演示：已截止）"
EVALUATED_TITLE = "云裳旗舰店 电商客服外包服务项目（演示：已评标）"
LOTS_TITLE = "云裳 天猫·京东双店 电商客服外包服务项目（演示：分两个标包，投标中）"
EXPERTS = ("expert1@demo.cn", "expert2@demo.cn", "expert3@demo.cn")
# Each expert's (服务方案 /30, 团队与培训 /15) for each vendor of VENDOR_BIDS.
DEMO_SCORES = {
    "expert1@demo.cn": {
        "yunkefu": (26, 13),
        "jindou": (15, 8),
        "hengxin": (22, 11),
        "xiaomifeng": (18, 9),
        "zhuanxi": (27, 14),
    },
    "expert2@demo.cn": {
        "yunkefu": (24, 12),
        "jindou": (16, 8),
        "hengxin": (23, 11),
        "xiaomifeng": (19, 10),
        "zhuanxi": (28, 13),
    },
    "expert3@demo.cn": {
        "yunkefu": (25, 14),
        "jindou": (14, 8),
        "hengxin": (21, 11),
        "xiaomifeng": (17, 9),
        "zhuanxi": (26, 15),
    },
}
VENDOR_BIDS = ("yunkefu", "jindou", "hengxin", "xiaomifeng", "zhuanxi")
# The panel's reason for rejecting 金豆's abnormally low price, as an evaluator writes it (in one language).
REJECTION_NOTE = "报价低于人工成本且未能书面说明合理性"
# A second expert's vote on that rejection (a majority of the three decides, §15).
VOTE_NOTE = "同意：人工成本核算无法覆盖，说明不成立"

ACCOUNTS = [
    ("admin@demo.cn", "管理员 周", "admin"),
    ("buyer@demo.cn", "采购人 王", "buyer"),
    ("expert1@demo.cn", "评标专家 孙", "evaluator"),
    ("expert2@demo.cn", "评标专家 李", "evaluator"),
    ("expert3@demo.cn", "评标专家 吴", "evaluator"),
]


def _sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def _user(email: str, name: str, role: str) -> User:
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=name, role=role, locale=None)
        user.set_password(PASSWORD)
        db.session.add(user)
    return user


def demo_credit_code(number: int) -> str:
    """A valid unified social credit code for demo vendor ``number``: 9 (registered by the
    market regulator) 1 (an enterprise), region 330100 (Hangzhou), an organization code, and
    the check character GB 32100-2015 gives for them."""
    first17 = f"91330100MA2{number:06d}"
    return first17 + check_character(first17)


def _vendor(number: int, bid: dict) -> User:
    facts = bid["facts"]
    user = _user(f"vendor{number}@demo.cn", f"{facts['company_name'][:6]} 投标联系人", "vendor")
    if user.vendor_profile is None:
        user.vendor_profile = VendorProfile(company_name=facts["company_name"])
        user.vendor_profile.facts = {"company_name": facts["company_name"]}
    if user.vendor_profile.credit_code is None:
        user.vendor_profile.credit_code = demo_credit_code(number)
    return user


def _tender(
    buyer: User, title: str, published: dt.datetime, deadline: dt.datetime, sample: str = "tender.json", **extra
) -> Tender:
    definition = copy.deepcopy(_sample(sample))
    definition.update(extra)
    definition.update(
        title=title,
        bid_deadline=to_iso_shanghai(deadline),
        opening_time=to_iso_shanghai(deadline + dt.timedelta(minutes=30)),
    )
    definition.pop("published_at", None)
    tender = tender_service.save_draft(buyer, definition)
    return tender_service.publish(buyer, tender, now=published)


def _bid(vendor: User, tender: Tender, bid: dict, at: dt.datetime) -> None:
    from tender.documents.quote_template import build_quote_template

    definition = tender.definition()
    quote = fill_quote(build_quote_template(definition, tender_id=tender.public_id, version=tender.version), bid)
    document = make_bid_document(definition.get("required_sections") or [], bid["facts"])
    version = bid_service.upload(
        vendor,
        tender.public_id,
        bid_service.Upload("报价单.xlsx", quote),
        bid_service.Upload("投标文件.docx", document),
        now=at,
    )
    bid_service.confirm(vendor, version.public_id, now=at)


def seed_demo(now: dt.datetime | None = None) -> list[str]:
    """Add what is missing of the demo; return the lines to print (the logins)."""
    now = now or utcnow()
    users = {email: _user(email, name, role) for email, name, role in ACCOUNTS}
    bids = {name: _sample(f"bids/{name}.json") for name in VENDOR_BIDS}
    vendors = [_vendor(number, bids[name]) for number, name in enumerate(VENDOR_BIDS, start=1)]
    db.session.commit()
    buyer = users["buyer@demo.cn"]
    existing = {t.title for t in db.session.scalars(select(Tender).where(Tender.owner_id == buyer.id))}
    if OPEN_TITLE not in existing:
        _tender(buyer, OPEN_TITLE, now, now + dt.timedelta(days=14))
    if CLOSED_TITLE not in existing:
        published = now - dt.timedelta(days=20)
        closed = _tender(buyer, CLOSED_TITLE, published, now - dt.timedelta(hours=2))
        for index, (vendor, name) in enumerate(zip(vendors, VENDOR_BIDS)):
            _bid(vendor, closed, bids[name], published + dt.timedelta(days=2 + index, hours=3))
    if EVALUATED_TITLE not in existing:
        _evaluated_tender(buyer, users, vendors, bids, now)
    if LOTS_TITLE not in existing:
        # two lots (天猫 售前, 京东 售后 on a rate card), one lot at most per vendor, a final-offer round
        _tender(buyer, LOTS_TITLE, now, now + dt.timedelta(days=21), sample="lots/tender.json")
    lines = [f"Demo accounts (password for all: {PASSWORD}):"]
    for email, name, role in ACCOUNTS:
        lines.append(f"  {role:<10} {email:<20} {name}")
    for vendor, _name in zip(vendors, VENDOR_BIDS):
        lines.append(f"  {'vendor':<10} {vendor.email:<20} {vendor.vendor_profile.company_name}")
    return lines


def _evaluated_tender(buyer: User, users: dict, vendors: list[User], bids: dict, now: dt.datetime) -> Tender:
    """A tender opened three days ago and evaluated by the three experts through the services."""
    from tender.services import opening as opening_service
    from tender.services import panel as panel_service

    published = now - dt.timedelta(days=30)
    deadline = now - dt.timedelta(days=3)
    settlement = _sample("settlement/tender.json")  # its KPIs and payment terms: the award makes a contract
    tender = _tender(
        buyer, EVALUATED_TITLE, published, deadline, kpis=settlement["kpis"], payment_terms=settlement["payment_terms"]
    )
    for index, (vendor, name) in enumerate(zip(vendors, VENDOR_BIDS)):
        _bid(vendor, tender, bids[name], published + dt.timedelta(days=3 + index, hours=2))
    for email in EXPERTS:
        opening_service.assign(buyer, tender.public_id, users[email].public_id)
    opening_service.open_bids(buyer, tender.public_id, now=tender.opening_time + dt.timedelta(minutes=2))
    bid_of = {bid.vendor_id: bid.public_id for bid in tender.bids}
    for email in EXPERTS:
        expert = users[email]
        panel_service.declare(expert, tender.public_id, False, "")
        entries = {}
        for vendor, name in zip(vendors, VENDOR_BIDS):
            plan, team = DEMO_SCORES[email][name]
            entries[(bid_of[vendor.id], "plan")] = str(plan)
            entries[(bid_of[vendor.id], "team")] = str(team)
        panel_service.save_scores(expert, tender.public_id, entries, submit=True)
    jindou = vendors[VENDOR_BIDS.index("jindou")]
    from tender.services import deliberation

    proposal = panel_service.decide_abnormal_low(
        users[EXPERTS[0]], tender.public_id, bid_of[jindou.id], "reject", REJECTION_NOTE
    )
    deliberation.vote(users[EXPERTS[1]], tender.public_id, proposal.public_id, True, VOTE_NOTE)
    # the chair (the first expert assigned) closes the evaluation; the three sign the report (§15)
    deliberation.close(users[EXPERTS[0]], tender.public_id)
    for email in EXPERTS:
        deliberation.sign(users[email], tender.public_id, PASSWORD)
    return tender
