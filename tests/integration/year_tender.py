"""The profiled sample (samples/year: 花溪家纺, twelve months with 618 and 双11, five bids, a
panel of three) put through the web app: published, bid on, opened and scored, so that
its pages can be checked against what ``scoring`` computes from the sample files.

The engine's figures (samples/year/result.json), checked by hand where a test uses them:
- 杭州小满 per inquiry 1.60: 538,800 inquiries × 1.60 = 862,080 + peak 200 × 6 extra agents ×
  (3 + 11 + 2) peak days = 19,200 → contract 881,280.00, P = 881,280 ÷ 12 = 73,440.00 (rank 1);
- 宁波包月通 package 60,000 with 40,000 inquiries, 2.20 beyond: nine months at 60,000; June 90,000
  inquiries → 60,000 + 50,000 × 2.20 + 200 × 6 × 3 = 173,600; November 135,000 → 60,000 + 95,000
  × 2.20 + 200 × 6 × 11 = 282,200; December 48,000 → 60,000 + 8,000 × 2.20 + 200 × 6 × 2 = 80,000;
  contract 540,000 + 173,600 + 282,200 + 80,000 = 1,075,800.00, P = 89,650.00 (rank 3) — but on
  the flat average month (1,505.03 inquiries a day) it costs 72,380.00 and would rank first.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from scoring import evaluate, parse_bid, parse_panel, parse_tender
from tender.models import utcnow
from tender.platform.extensions import db
from tender.platform.timefmt import to_iso_shanghai
from tender.services import opening as opening_service
from tender.services import tenders as tender_service
from tests.integration.conftest import make_user
from tests.integration.helpers import submit

YEAR = Path(__file__).resolve().parents[2] / "samples" / "year"
KEYS = ("xiaoman", "zuoxibao", "baoyuetong", "hengjiu", "suhui")
EVALUATORS = ("专家1", "专家2", "专家3")
XIAOMAN, BAOYUETONG, ZUOXIBAO = "杭州小满客服科技有限公司", "宁波包月通客服有限公司", "南通坐席宝客服外包有限公司"


def year_tender(days: int = 10) -> dict:
    data = json.loads((YEAR / "tender.json").read_text(encoding="utf-8"))
    data.pop("published_at", None)
    deadline = (utcnow() + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    data.update(
        bid_deadline=to_iso_shanghai(deadline), opening_time=to_iso_shanghai(deadline + dt.timedelta(minutes=30))
    )
    return data


def year_bid(key: str) -> dict:
    return json.loads((YEAR / "bids" / f"{key}.json").read_text(encoding="utf-8"))


def year_panel() -> dict:
    return json.loads((YEAR / "panel.json").read_text(encoding="utf-8"))


def engine_result():
    """What ``tender evaluate samples/year/…`` computes: the figures the pages must show."""
    tender = parse_tender(json.loads((YEAR / "tender.json").read_text(encoding="utf-8")))
    bids = [parse_bid(year_bid(key), tender, source=key) for key in KEYS]
    return evaluate(tender, bids, parse_panel(year_panel(), tender, bids))


def year_people() -> dict:
    """Five vendors with the sample's companies and three evaluators named as in panel.json."""
    people = {
        key: make_user("vendor", f"{key}@example.cn", company=year_bid(key)["facts"]["company_name"]) for key in KEYS
    }
    for number, name in enumerate(EVALUATORS, start=1):
        people[name] = make_user("evaluator", f"year-expert{number}@example.cn", name)
    return people


def published_year_tender(buyer):
    return tender_service.publish(buyer, tender_service.save_draft(buyer, year_tender()))


def opened_year_tender(buyer, people):
    """Published, bid on by the five vendors, the panel assigned, opened at its opening time."""
    tender = published_year_tender(buyer)
    for key in KEYS:
        submit(people[key], tender, year_bid(key))
    for name in EVALUATORS:
        opening_service.assign(buyer, tender.public_id, people[name].public_id)
    now = utcnow()
    tender.bid_deadline, tender.opening_time = now - dt.timedelta(minutes=35), now - dt.timedelta(minutes=5)
    tender.published_at = now - dt.timedelta(days=20)
    db.session.commit()
    opening_service.open_bids(buyer, tender.public_id)
    return tender


def score_as_the_sample_panel(client, auth, tender, people) -> None:
    """Each evaluator declares no conflict and submits the scores of samples/year/panel.json."""
    scores = year_panel()["scores"]
    bids = {bid.vendor.vendor_profile.company_name: bid.public_id for bid in tender.bids}
    for name in EVALUATORS:
        auth.login(people[name])
        assert (
            client.post(f"/evaluator/tenders/{tender.public_id}/declaration", data={"no_conflict": "yes"}).status_code
            == 302
        )
        data = {"action": "submit"}
        for vendor, per in scores[name].items():
            for criterion, value in per.items():
                data[f"score:{bids[vendor]}:{criterion}"] = str(value)
        assert client.post(f"/evaluator/tenders/{tender.public_id}/scores", data=data).status_code == 302
        auth.logout()
