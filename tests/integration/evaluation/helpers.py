"""Steps the panel takes through the browser, for the evaluation tests."""
from __future__ import annotations

import html
import re

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
    return client.post(f"/evaluator/tenders/{tender.public_id}/abnormal-low",
                       data={"bid": bid_id(tender, vendor_key, people), "decision": decision, "note": note})


def whole_panel_scores(client, auth, tender, people, reject_jindou: bool = True) -> None:
    """Every evaluator declares and submits the worked example's scores; 广州金豆 is decided."""
    for evaluator in ("expert1", "expert2", "expert3"):
        auth.login(people[evaluator])
        declare(client, tender)
        assert submit_scores(client, tender, people, evaluator).status_code == 302
        if evaluator == "expert1":
            if reject_jindou:
                decide(client, tender, people, "jindou", "reject", "报价低于人工成本，无法说明 / below labour cost")
            else:
                decide(client, tender, people, "jindou", "accept", "供应商书面说明：自有系统分流 60% 咨询")
        auth.logout()
