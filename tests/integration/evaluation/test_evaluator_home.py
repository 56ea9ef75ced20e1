"""An evaluator's home page lists the tenders it is assigned to, opened or not, with what
waits for it on each: the declaration, the review, the scores, an abnormally low price to
decide — or nothing yet, before the opening."""

from __future__ import annotations

from tender.services import opening as opening_service
from tests.integration.evaluation.conftest import bid_id
from tests.integration.evaluation.helpers import declare, page, submit_scores
from tests.integration.helpers import published


def waiting(client, title: str) -> str:
    """The 'waiting for you' cell of the tender's row on the evaluator's home page."""
    response = client.get("/", follow_redirects=True)
    text = page(response)
    row = text.split('id="assignments"')[1].split(title)[1].split("</tr>")[0]
    return row.split('<ul class="waiting">')[1].split("</ul>")[0]


def test_the_home_page_lists_assigned_tenders_with_what_waits_for_the_evaluator(client, auth, people, opened_tender):
    later = published(people["buyer"], title="尚未开标的项目")
    opening_service.assign(people["buyer"], later.public_id, people["expert1"].public_id)
    auth.login(people["expert1"])
    title = opened_tender.title

    assert "once the bids are opened" not in page(client.get("/", follow_redirects=True))
    assert "Declare whether you have a conflict of interest" in waiting(client, title)
    assert "Nothing yet: the bids are opened at" in waiting(client, "尚未开标的项目")

    declare(client, opened_tender)
    shown = waiting(client, title)
    # 4 qualified bids × 2 subjective criteria (plan, team) = 8 scores to give
    assert "Review the qualification of the bids" in shown
    assert "Score the bids and submit: 0 of 8 scores filled in" in shown

    yunkefu = bid_id(opened_tender, "yunkefu", people)
    client.post(
        f"/evaluator/tenders/{opened_tender.public_id}/scores",
        data={f"score:{yunkefu}:plan": "26", f"score:{yunkefu}:team": "13", "action": "save"},
    )
    assert "2 of 8 scores filled in" in waiting(client, title)

    submit_scores(client, opened_tender, people, "expert1")
    shown = waiting(client, title)
    # 广州金豆 at 18,000.00 is abnormally low (below 0.8 × the others' mean 53,903.34 = 43,122.67)
    assert "Decide on the abnormally low price of 广州金豆客服外包有限公司" in shown
    assert "waiting for the other evaluators (1 of 3 have submitted)" in shown
    assert "Score the bids" not in shown


def test_the_home_page_is_in_chinese_for_a_chinese_evaluator(client, auth, people, opened_tender):
    from tender.platform.extensions import db

    people["expert2"].locale = "zh_CN"
    db.session.commit()
    auth.login(people["expert2"])
    assert "作出回避声明" in waiting(client, opened_tender.title)
