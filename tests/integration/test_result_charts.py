"""The results page's charts: SVG images drawn from the same result as the page (the weight
stability beside the criteria, then cost, scores and sensitivity), for the tender's buyer
only (and evaluators who submitted) — never another buyer."""

from __future__ import annotations

import datetime as dt
import html
import re

from tender.models import utcnow
from tender.platform.extensions import db
from tender.services import opening as opening_service
from tests.integration.conftest import make_user
from tests.integration.helpers import published, sample_bid, submit


def opened_tender(users):
    """Two bids (杭州云客服 52,266.67 and 苏州专席 59,976.67 a month), opened, one evaluator."""
    tender = published(users["buyer"])
    for key, company in (("yunkefu", "杭州云客服科技有限公司"), ("zhuanxi", "苏州专席客服服务有限公司")):
        submit(make_user("vendor", f"{key}@example.cn", company=company), tender, sample_bid(key))
    opening_service.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
    now = utcnow()
    tender.bid_deadline, tender.opening_time = now - dt.timedelta(minutes=35), now - dt.timedelta(minutes=5)
    tender.published_at = now - dt.timedelta(days=20)
    db.session.commit()
    opening_service.open_bids(users["buyer"], tender.public_id)
    return tender


def test_the_results_page_shows_its_charts_drawn_as_svg(client, auth, users):
    tender = opened_tender(users)
    auth.login(users["buyer"])
    page = html.unescape(client.get(f"/results/{tender.public_id}").get_data(as_text=True))
    sources = re.findall(r'<img src="(/charts/results/[^"]+)"', page)
    assert [re.search(r"/(\w+)\.svg", s).group(1) for s in sources] == ["stability", "costs", "scores", "sensitivity"]
    for source in sources:
        chart = client.get(source)
        assert chart.status_code == 200 and chart.mimetype == "image/svg+xml", source
        assert b"<svg" in chart.data
    assert client.get(f"/charts/results/{tender.public_id}/nothing.svg").status_code == 404


def test_another_buyer_gets_no_chart_of_a_tender_not_its_own(client, auth, users):
    tender = opened_tender(users)
    auth.login(users["other_buyer"])
    assert client.get(f"/charts/results/{tender.public_id}/costs.svg").status_code == 404


def test_an_evaluator_sees_no_chart_before_submitting_its_scores(client, auth, users):
    tender = opened_tender(users)
    auth.login(users["evaluator"])
    assert client.get(f"/charts/results/{tender.public_id}/costs.svg").status_code == 403
