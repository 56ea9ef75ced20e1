"""The evaluator's score sheet: every problem of the sheet at once, each beside its cell
(text that is not a number is said to be so, a blank cell of a submission is reported);
a submission is confirmed only when it would pass; once submitted, the sheet shows the
prices and the panel's scores, as the two envelopes allow."""

from __future__ import annotations

from tender.models import EvaluatorAssignment, SubjectiveScore
from tender.platform.extensions import db
from tests.integration.evaluation.conftest import bid_id
from tests.integration.evaluation.helpers import cell_error, declare, page, score_form, submit_scores


def sheet_url(tender) -> str:
    return f"/evaluator/tenders/{tender.public_id}/scores"


def assignment_of(people, evaluator: str) -> EvaluatorAssignment:
    return EvaluatorAssignment.query.filter_by(evaluator_id=people[evaluator].id).one()


def test_a_word_for_a_number_and_a_blank_cell_are_each_reported_beside_their_cell(client, auth, people, opened_tender):
    auth.login(people["expert1"])
    declare(client, opened_tender)
    yunkefu, hengxin = bid_id(opened_tender, "yunkefu", people), bid_id(opened_tender, "hengxin", people)
    data = score_form(opened_tender, people, "expert1")
    data[f"score:{yunkefu}:plan"] = "二十"
    data[f"score:{hengxin}:team"] = ""

    text = page(client.post(sheet_url(opened_tender), data={**data, "action": "submit"}))

    assert cell_error(text, yunkefu, "plan") == "'二十' is not a number"
    assert cell_error(text, hengxin, "team") == "no score yet: every cell must be filled before submitting"
    assert cell_error(text, yunkefu, "team") is None  # a good cell stays plain
    assert "2 cells of the score sheet need attention" in text
    assert 'value="二十"' in text  # what was typed is kept
    assert SubjectiveScore.query.count() == 0
    assert assignment_of(people, "expert1").submitted_at is None


def test_the_cell_reasons_are_in_chinese_for_a_chinese_evaluator(client, auth, people, opened_tender):
    people["expert1"].locale = "zh_CN"
    db.session.commit()
    auth.login(people["expert1"])
    declare(client, opened_tender)
    yunkefu = bid_id(opened_tender, "yunkefu", people)
    text = page(
        submit_scores(
            client, opened_tender, people, "expert1", **{f"score:{yunkefu}:plan": "二十", f"score:{yunkefu}:team": "16"}
        )
    )
    assert cell_error(text, yunkefu, "plan") == "“二十”不是数字"
    assert cell_error(text, yunkefu, "team") == "16 不在 0–15 之间"  # team weighs 15


def test_only_a_sheet_that_would_pass_is_shown_for_confirmation(client, auth, people, opened_tender):
    auth.login(people["expert1"])
    declare(client, opened_tender)
    hengxin = bid_id(opened_tender, "hengxin", people)
    data = score_form(opened_tender, people, "expert1")
    # the sheet offers "check and submit", with no browser dialog that would ask before checking
    sheet = page(client.get(sheet_url(opened_tender)))
    assert 'value="review"' in sheet and "data-confirm" not in sheet.split('id="score-sheet"')[1].split("</form>")[0]

    # incomplete: no confirmation, the blank cell marked, nothing submitted
    incomplete = {**data, f"score:{hengxin}:team": "", "action": "review"}
    text = page(client.post(sheet_url(opened_tender), data=incomplete))
    assert 'id="confirm-submission"' not in text and 'value="submit"' not in text
    assert cell_error(text, hengxin, "team") == "no score yet: every cell must be filled before submitting"

    # complete and in range: kept as a draft and shown back for confirmation, not yet submitted
    response = client.post(sheet_url(opened_tender), data={**data, "action": "review"})
    assert response.status_code == 302 and response.headers["Location"].endswith("?confirm=1")
    text = page(client.get(response.headers["Location"]))
    assert 'id="confirm-submission"' in text and 'name="action" value="submit"' in text
    assert SubjectiveScore.query.count() == 8  # 4 bids × 2 criteria, as a draft
    assert assignment_of(people, "expert1").submitted_at is None

    # the confirmation submits
    response = client.post(sheet_url(opened_tender), data={**data, "action": "submit"})
    assert response.status_code == 302
    assert assignment_of(people, "expert1").submitted_at is not None


def test_the_confirmation_page_of_an_incomplete_draft_shows_the_problems_instead(client, auth, people, opened_tender):
    auth.login(people["expert1"])
    declare(client, opened_tender)
    yunkefu = bid_id(opened_tender, "yunkefu", people)
    client.post(sheet_url(opened_tender), data={f"score:{yunkefu}:plan": "26", "action": "save"})  # a draft of one cell
    text = page(client.get(sheet_url(opened_tender) + "?confirm=1"))
    assert 'id="confirm-submission"' not in text
    assert "7 cells of the score sheet need attention" in text  # 8 cells, 1 filled
    assert cell_error(text, yunkefu, "team") == "no score yet: every cell must be filled before submitting"


def test_after_submitting_the_sheet_shows_the_prices_and_the_panels_scores(client, auth, people, opened_tender):
    auth.login(people["expert1"])
    declare(client, opened_tender)
    text = page(client.get(sheet_url(opened_tender)))
    assert 'id="prices"' not in text and "52,266.67" not in text  # sealed before submitting
    submit_scores(client, opened_tender, people, "expert1")
    auth.logout()
    auth.login(people["expert2"])
    declare(client, opened_tender)
    submit_scores(client, opened_tender, people, "expert2")

    text = page(client.get(sheet_url(opened_tender)))

    prices = text.split('id="prices"')[1].split("</table>")[0]
    # the conftest's worked costs: 杭州云客服 52,266.67; 广州金豆 18,000.00; 南京恒信 49,466.67; 苏州专席 59,976.67
    for cost in ("52,266.67", "18,000.00", "49,466.67", "59,976.67"):
        assert cost in prices
    scores = text.split('id="panel-scores"')[1].split("</table>")[0]
    assert "Expert 1" in scores and "Expert 2" in scores
    # 杭州云客服: plan 26 (Expert 1), 24 (Expert 2); team 13, 12 — in the order plan × (1, 2), team × (1, 2)
    row = scores.split("杭州云客服科技有限公司")[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]] == ["26", "24", "13", "12"]
    assert "Not submitted yet (their scores are not shown): Expert 3" in text
