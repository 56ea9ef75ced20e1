"""Steps the panel takes through the browser, for the evaluation tests."""

from __future__ import annotations

import html
import re

from tests.conftest import PASSWORD
from tests.integration.evaluation.conftest import SCORES, VENDORS, bid_id


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def cell_error(text: str, bid: str, criterion: str) -> str | None:
    """The reason shown beside one cell of the score sheet, or None when the cell has none.
    The cell is marked too: its table cell has-error and its input aria-invalid."""
    name = f"score:{bid}:{criterion}"
    for cell in re.findall(r'<td class="num( has-error)?">((?:(?!</td>).)*)</td>', text, re.S):
        marked, inside = cell
        if f'name="{name}"' in inside:
            reason = re.search(r'<div class="error" role="alert" id="[^"]*">([^<]*)</div>', inside)
            if reason is None:
                return None
            assert marked and ('aria-invalid="true"' in inside or 'type="hidden"' in inside)
            return reason.group(1)
    raise AssertionError(f"no cell {name} on the page")


def declare(client, tender) -> None:
    response = client.post(f"/evaluator/tenders/{tender.public_id}/declaration", data={"no_conflict": "yes"})
    assert response.status_code == 302


def score_form(tender, people, evaluator: str, vendors=tuple(VENDORS)) -> dict:
    data = {}
    for key in vendors:
        plan, team = SCORES[evaluator][key]
        data[f"score:{bid_id(tender, key, people)}:plan"] = str(plan)
        data[f"score:{bid_id(tender, key, people)}:team"] = str(team)
    return data


def submit_scores(client, tender, people, evaluator: str, **changes):
    data = {**score_form(tender, people, evaluator), **changes, "action": "submit"}
    return client.post(f"/evaluator/tenders/{tender.public_id}/scores", data=data)


def decide(client, tender, people, vendor_key: str, decision: str, note: str):
    """Propose a decision on an abnormally low price (it holds once the panel agrees)."""
    return client.post(
        f"/evaluator/tenders/{tender.public_id}/abnormal-low",
        data={"bid": bid_id(tender, vendor_key, people), "decision": decision, "note": note},
    )


def latest_proposal(tender):
    from tender.models import PanelProposal

    return PanelProposal.query.filter_by(tender_id=tender.id).order_by(PanelProposal.id.desc()).first()


def vote(client, tender, proposal, agree: bool = True, reason: str = "同意 / agreed"):
    return client.post(
        f"/evaluator/tenders/{tender.public_id}/proposals/{proposal.public_id}/vote",
        data={"agree": "yes" if agree else "no", "reason": reason},
    )


def close_and_sign(client, auth, tender, people, experts=("expert1", "expert2", "expert3")) -> None:
    """The chair (the first evaluator assigned) closes the evaluation; every member signs the report."""
    auth.login(people[experts[0]])
    response = client.post(f"/evaluator/tenders/{tender.public_id}/close", data={"understood": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign"), response.headers
    auth.logout()
    for evaluator in experts:
        auth.login(people[evaluator])
        response = client.post(
            f"/evaluator/tenders/{tender.public_id}/sign", data={"understood": "yes", "password": PASSWORD}
        )
        assert response.status_code == 302
        auth.logout()


def whole_panel_scores(client, auth, tender, people, reject_jindou: bool = True, sign: bool = True) -> None:
    """Every evaluator declares and submits the worked example's scores; 广州金豆's abnormally low
    price is proposed by expert 1 and agreed by expert 2 (a majority of three); then, unless
    ``sign`` is False, the chair closes the evaluation and the three sign the report."""
    for evaluator in ("expert1", "expert2", "expert3"):
        auth.login(people[evaluator])
        declare(client, tender)
        assert submit_scores(client, tender, people, evaluator).status_code == 302
        if evaluator == "expert1":
            if reject_jindou:
                decide(client, tender, people, "jindou", "reject", "报价低于人工成本，无法说明 / below labour cost")
            else:
                decide(client, tender, people, "jindou", "accept", "供应商书面说明：自有系统分流 60% 咨询")
        if evaluator == "expert2":
            assert vote(client, tender, latest_proposal(tender)).status_code == 302
        auth.logout()
    if sign:
        close_and_sign(client, auth, tender, people)
