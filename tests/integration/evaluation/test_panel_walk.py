"""The route walk over the panel's new pages (§15, §16): a vendor's explanation of its
abnormally low price — its words and its files — reaches only that vendor and the members of
the panel, in every state from the opening to the signed report; and the proposals, votes and
signature pages are reached by the walk (``app.url_map``, every id the test knows)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tender.models import ExplanationFile, Notification, PanelProposal, StoredFile, Tender, User, utcnow
from tender.platform.extensions import db
from tests.conftest import make_user
from tests.integration.conftest import snapshot
from tests.integration.evaluation.conftest import bid_id
from tests.integration.evaluation.helpers import close_and_sign, decide, declare, latest_proposal, submit_scores, vote
from tests.integration.security.test_sealing import leaks, login, walk

SECRET_TEXT = "澄清说明QX7731：自有智能客服分流"
SECRET_PDF = b"%PDF-1.4\n% secret cost sheet ZK4417-PDF\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def explained(client, auth, people, tender) -> None:
    """The three experts submit; expert 1 asks 广州金豆 to explain; 金豆 answers with a PDF."""
    for evaluator in ("expert1", "expert2", "expert3"):
        auth.login(people[evaluator])
        declare(client, tender)
        submit_scores(client, tender, people, evaluator)
        auth.logout()
    jindou = bid_id(tender, "jindou", people)
    auth.login(people["expert1"])
    client.post(
        f"/evaluator/tenders/{tender.public_id}/abnormal-low/explanation",
        data={"bid": jindou, "deadline": (utcnow() + dt.timedelta(days=1)).isoformat()},
    )
    auth.logout()
    auth.login(people["jindou"])
    response = client.post(
        f"/vendor/bids/{jindou}/explanation",
        content_type="multipart/form-data",
        data={"answer": SECRET_TEXT, "files": [(io.BytesIO(SECRET_PDF), "成本测算.pdf")]},
    )
    assert response.status_code == 302
    auth.logout()


def ids_of(tender) -> dict[str, list[str]]:
    return {
        "public_id": [tender.public_id],
        "bid_id": [b.public_id for b in tender.bids],
        "file_id": [f.public_id for f in ExplanationFile.query] + [f.public_id for f in StoredFile.query][:1],
        "proposal_id": [p.public_id for p in PanelProposal.query],
        "notification_id": [n.public_id for n in Notification.query],
        "evaluator_id": [u.public_id for u in User.query.filter_by(role="evaluator")],
    }


SECRETS = {"explanation text": SECRET_TEXT.encode(), "explanation file": b"ZK4417-PDF"}


def reach(client, auth, people, tender, state: str) -> None:
    """Expert 1's acceptance of 金豆's explanation proposed, then (past "opened") agreed by
    expert 2 and the evaluation closed; in "signing" the chair alone has signed."""
    explained(client, auth, people, tender)
    auth.login(people["expert1"])
    decide(client, tender, people, "jindou", "accept", "说明成立")
    auth.logout()
    if state != "opened":
        auth.login(people["expert2"])
        vote(client, tender, latest_proposal(tender))
        auth.logout()
        close_and_sign(
            client,
            auth,
            tender,
            people,
            experts=("expert1",) if state == "signing" else ("expert1", "expert2", "expert3"),
        )


# Who walks every route: those who must never see the explanation, and those who must.
OUTSIDERS = ("yunkefu", "onlooker", "other_buyer", "admin", "outsider", "visitor")
MEMBERS = ("jindou", "expert2")


# One test per state and walker (each walk is some 500 requests): the state is built once
# per process on SQLite and copied for the next walker (``snapshot``), and the walks of a
# state run side by side when the suite is spread over several processes.
@pytest.mark.parametrize("viewer", OUTSIDERS + MEMBERS)
@pytest.mark.parametrize("state", ["opened", "signing", "evaluated"])
def test_the_explanation_reaches_only_its_vendor_and_the_panel(
    app, client, auth, users, people, opened_tender, state, viewer
):
    accounts = {key: user.id for key, user in people.items()}
    tender_id = opened_tender.id
    if snapshot(app, f"panel-walk-{state}", lambda: reach(client, auth, people, opened_tender, state)):
        for found in (users, people):
            for key in found:
                found[key] = db.session.get(User, accounts[key])
    tender = db.session.get(Tender, tender_id)
    assert tender.status == state
    ids = ids_of(tender)
    if viewer == "outsider":
        user = make_user("evaluator", "expert9@example.cn", "Expert 9")
    elif viewer == "onlooker":
        user = make_user("vendor", "onlooker@example.cn", company="旁观客服有限公司")
    else:
        user = people.get(viewer)  # the visitor is signed out
    walker = app.test_client()
    if user is not None:
        login(walker, user)
    shown = leaks(app, walker, ids, SECRETS)
    if viewer in MEMBERS:  # the walk can see it: its vendor and a member of the panel do
        assert any("explanation text" in line for line in shown) and any("explanation file" in line for line in shown)
    else:
        assert not shown, f"{viewer} sees the explanation:\n" + "\n".join(shown)


def test_the_walk_reaches_the_panel_pages_in_signing(app, client, auth, people, opened_tender):
    explained(client, auth, people, opened_tender)
    auth.login(people["expert1"])
    decide(client, opened_tender, people, "jindou", "reject", "说明不成立")
    auth.logout()
    auth.login(people["expert3"])
    vote(client, opened_tender, latest_proposal(opened_tender))
    auth.logout()
    close_and_sign(client, auth, opened_tender, people, experts=("expert1", "expert2"))
    member = app.test_client()
    login(member, people["expert3"])
    pages = {path: status for path, status, _ in walk(app, member, ids_of(opened_tender))}
    base = f"/evaluator/tenders/{opened_tender.public_id}"
    assert pages[f"{base}/proposals"] == 200 and pages[f"{base}/sign"] == 200
    assert pages[f"{base}/abnormal-low"] == 200
