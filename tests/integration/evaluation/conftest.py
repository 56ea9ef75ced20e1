"""Fixtures for the opening → evaluation → award steps: a tender with four bids in (the
samples' 杭州云客服, 广州金豆, 南京恒信, 苏州专席), a panel of three evaluators, and the
moments before and after the opening time.

Worked figures (samples/tender.json scenario: 800 inquiries a day, 30 days, 35 % returning,
6 agents × 2 shifts, 1,500,000 CNY sales, 10 peak days × 4 extra agents, 12 months):

- 杭州云客服 per inquiry: 15,600 × 2.50 + 8,400 × 1.50 = 51,600.00; peak 200 × 4 × 10 / 12 = 666.67;
  52,266.67 a month;
- 广州金豆 per inquiry: max(24,000 × 0.68 = 16,320, 1,500 × 12 = 18,000) = 18,000.00 — abnormally
  low: 18,000 < 0.8 × (52,266.67 + 49,466.67 + 59,976.67) / 3 = 43,122.67;
- 南京恒信 base + commission: 1,500 × 12 + 0.02 × 1,500,000 = 48,000 + one-time (6,000 + 3,600) / 12
  = 800 + peak 666.67 = 49,466.67;
- 苏州专席 fixed per agent: (5,200 × 12 + peak 220 × 4 × 10 / 12 = 733.33) × 0.95 = 59,976.67.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tender.models import Tender, User, utcnow
from tender.platform.extensions import db
from tender.services import opening as opening_service
from tests.integration.conftest import make_user, snapshot
from tests.integration.helpers import published, sample_bid, submit

VENDORS = {
    "yunkefu": "杭州云客服科技有限公司",
    "jindou": "广州金豆客服外包有限公司",
    "hengxin": "南京恒信客服外包有限公司",
    "zhuanxi": "苏州专席客服服务有限公司",
}

# The panel's scores in the worked example: evaluator -> vendor key -> (plan /30, team /15).
SCORES = {
    "expert1": {"yunkefu": (26, 13), "jindou": (15, 8), "hengxin": (22, 11), "zhuanxi": (27, 14)},
    "expert2": {"yunkefu": (24, 12), "jindou": (16, 8), "hengxin": (23, 11), "zhuanxi": (28, 13)},
    "expert3": {"yunkefu": (25, 14), "jindou": (14, 8), "hengxin": (21, 11), "zhuanxi": (26, 15)},
}


@pytest.fixture
def people(app, users):
    """The shared users plus four vendors with the samples' companies and three evaluators."""
    found = dict(users)
    for key, company in VENDORS.items():
        found[key] = make_user("vendor", f"{key}@example.cn", company=company)
    for number in (1, 2, 3):
        found[f"expert{number}"] = make_user("evaluator", f"expert{number}@example.cn", f"Expert {number}")
    return found


def move_times(tender, deadline_minutes_ago: int, opening_minutes_ago: int) -> None:
    now = utcnow()
    tender.bid_deadline = now - dt.timedelta(minutes=deadline_minutes_ago)
    tender.opening_time = now - dt.timedelta(minutes=opening_minutes_ago)
    tender.published_at = now - dt.timedelta(days=20)  # as time passing would
    db.session.commit()


@pytest.fixture
def closed_tender(app, users, people):
    """Four bids in, the deadline passed, the opening time 25 minutes ahead, three evaluators assigned.

    Built once per run on SQLite and copied for each later test (see ``snapshot``): the
    accounts of ``users`` and ``people`` are then loaded again from the copy, in place."""

    def build():
        tender = published(people["buyer"])
        for key in VENDORS:
            submit(people[key], tender, sample_bid(key))
        for number in (1, 2, 3):
            opening_service.assign(people["buyer"], tender.public_id, people[f"expert{number}"].public_id)

    ids = {key: user.id for key, user in people.items()}
    if snapshot(app, "closed_tender", build):
        for found in (users, people):
            for key in found:
                found[key] = db.session.get(User, ids[key])
    tender = Tender.query.filter_by(owner_id=people["buyer"].id).order_by(Tender.id.desc()).first()
    move_times(tender, 5, -25)
    return tender


@pytest.fixture
def opened_tender(people, closed_tender):
    """The same tender opened at its opening time."""
    move_times(closed_tender, 35, 5)
    opening_service.open_bids(people["buyer"], closed_tender.public_id)
    return closed_tender


def bid_id(tender, vendor_key: str, people) -> str:
    return next(b.public_id for b in tender.bids if b.vendor_id == people[vendor_key].id)
