"""What bidders see after the opening, and their challenges (domain §16), through the web.

The worked example of conftest.py / test_results_and_award.py: 广州金豆 (18,000.00) is rejected
as abnormally low; 杭州云客服 ranks first with 91.39 (price 28.39 + experience 10 + response 10
+ ISO 5 + plan 25.00 + team 13.00) at 52,266.67 a month, 苏州专席 second with 90.74,
南京恒信 third with 86.00. The buyer awards rank 1: the result notice is published then.

Working days count Monday to Friday in Asia/Shanghai; the day of the event does not count.
A notice on Friday 4 December 2026 leaves 7 working days: Mon 7 … Tue 15 December 23:59.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from scoring.times import SHANGHAI
from tender.models import AuditRecord, AwardDecision, Challenge, ChallengeFile, Notification, Reopening, Tender
from tender.platform.extensions import db
from tender.services import challenges as challenge_service
from tender.services import deliberation
from tender.services import panel as panel_service
from tests.conftest import PASSWORD
from tests.integration.evaluation.conftest import SCORES, VENDORS, bid_id
from tests.integration.evaluation.helpers import page

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00\x90\x91h6"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def reach_evaluated(tender, people, password: str = PASSWORD) -> None:
    """The panel's work done through the services (not the panel pages): every evaluator
    declares and submits the worked example's scores; 广州金豆's rejection as abnormally low is
    proposed by expert 1 and agreed by expert 2 (a majority of three); the chair closes and
    the three sign the report."""
    for evaluator in ("expert1", "expert2", "expert3"):
        user = people[evaluator]
        panel_service.declare(user, tender.public_id, False, "")
        entries = {}
        for key in VENDORS:
            plan, team = SCORES[evaluator][key]
            entries[(bid_id(tender, key, people), "plan")] = str(plan)
            entries[(bid_id(tender, key, people), "team")] = str(team)
        panel_service.save_scores(user, tender.public_id, entries, submit=True)
        if evaluator == "expert1":
            panel_service.decide_abnormal_low(
                user,
                tender.public_id,
                bid_id(tender, "jindou", people),
                "reject",
                "报价低于人工成本 / below labour cost",
            )
        if evaluator == "expert2":
            proposal = deliberation.open_proposals(tender)[-1]
            deliberation.vote(user, tender.public_id, proposal.public_id, True, "同意 / agreed")
    deliberation.close(people["expert1"], tender.public_id)
    for evaluator in ("expert1", "expert2", "expert3"):
        deliberation.sign(people[evaluator], tender.public_id, password)
    db.session.refresh(tender)
    assert tender.is_final, tender.status


@pytest.fixture
def awarded(client, auth, people, opened_tender):
    reach_evaluated(opened_tender, people)
    auth.login(people["buyer"])
    response = client.post(
        f"/buyer/tenders/{opened_tender.public_id}/award", data={"share-0": bid_id(opened_tender, "yunkefu", people)}
    )
    assert response.status_code == 302
    auth.logout()
    return opened_tender


def outcome_url(tender, people, key):
    return f"/vendor/bids/{bid_id(tender, key, people)}/outcome"


def set_notice(tender, moment: dt.datetime) -> None:
    tender.notice_at = moment
    db.session.commit()


def lodge(client, tender, people, key, text="评分有误：第 3 项经验未计入 / experience miscounted", files=()):
    data = {"text": text, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(
        f"/vendor/bids/{bid_id(tender, key, people)}/challenges", data=data, content_type="multipart/form-data"
    )


# --------------------------------------------------------------------------- the opening record


def test_every_bidder_reads_the_opening_record_and_prints_it_but_not_before_the_opening(
    client, auth, people, closed_tender
):
    auth.login(people["hengxin"])
    url = f"/vendor/tenders/{closed_tender.public_id}/opening-record"
    assert client.get(url).status_code == 404  # closed: the box is still sealed
    auth.logout()
    from tender.services import opening as opening_service
    from tests.integration.evaluation.conftest import move_times

    move_times(closed_tender, 35, 5)
    opening_service.open_bids(people["buyer"], closed_tender.public_id)
    auth.login(people["hengxin"])
    bid_page = page(client.get(f"/vendor/bids/{bid_id(closed_tender, 'hengxin', people)}"))
    assert f'href="{url}"' in bid_page  # the bid's page leads to the record
    text = page(client.get(url))
    for name in VENDORS.values():
        assert name in text
    # the same figures as the buyer's record: 杭州云客服 52,266.67, 南京恒信 49,466.67, 广州金豆 18,000.00
    for figure in ("52,266.67", "49,466.67", "18,000.00", "59,976.67"):
        assert figure in text
    assert 'id="bids-received">4<' in text
    printed = page(client.get(f"/vendor/tenders/{closed_tender.public_id}/opening-record/print"))
    assert "59,976.67" in printed and "<nav" not in printed
    auth.logout()
    # a vendor with no bid on the tender is not one of its bidders
    auth.login(people["vendor"])
    assert client.get(url).status_code == 404
    assert client.get(f"/vendor/tenders/{closed_tender.public_id}/opening-record/print").status_code == 404


# --------------------------------------------------------------------------- the result notice


def test_the_result_notice_names_the_winner_and_each_bidder_sees_only_its_own_scores(client, auth, people, awarded):
    tender = db.session.get(Tender, awarded.id)
    assert tender.notice_at is not None and tender.current_status == "awarded"
    assert AuditRecord.query.filter_by(action="result_notice_published").count() == 1
    told = {n.user_id for n in Notification.query.filter_by(kind="result_notice")}
    assert told == {people[k].id for k in VENDORS}  # every bidder, 广州金豆 rejected included
    auth.login(people["zhuanxi"])
    text = page(client.get(outcome_url(tender, people, "zhuanxi")))
    winners = text[text.index('id="winners"') : text.index("</table>", text.index('id="winners"'))]
    assert "杭州云客服科技有限公司" in winners and "52,266.67" in winners and "91.39" in winners
    mine = text[text.index('id="my-scores"') :]
    mine = mine[: mine.index("</table>")]
    # 苏州专席: price 30 × 49,466.67 / 59,976.67 = 24.74; plan (27+28+26)/3 = 27.00; team 14.00
    for figure in ("24.74", "27.00", "14.00"):
        assert figure in mine
    assert "2 / 3" in text and 'id="my-total">90.74<' in text
    # never another bidder's scores: 杭州云客服's plan 25.00 and 南京恒信's total 86.00 are not shown
    assert "25.00" not in mine and "86.00" not in text and "28.39" not in text
    assert client.get(outcome_url(tender, people, "yunkefu")).status_code == 404
    auth.logout()
    auth.login(people["jindou"])
    text = page(client.get(outcome_url(tender, people, "jindou")))
    assert "Reasons" in text and "91.39" in text  # its reasons, and the notice's winner
    auth.logout()
    public = page(client.get(f"/notices/{tender.public_id}"))
    assert "Result notice" in public and "杭州云客服科技有限公司" in public and "52,266.67" in public
    assert "90.74" not in public


def test_no_result_notice_before_the_award(client, auth, people, opened_tender):
    reach_evaluated(opened_tender, people)
    auth.login(people["zhuanxi"])
    text = page(client.get(outcome_url(opened_tender, people, "zhuanxi")))
    assert 'id="winners"' not in text and "91.39" not in text and 'id="challenge-form"' not in text
    auth.logout()
    assert 'id="result-notice"' not in page(client.get(f"/notices/{opened_tender.public_id}"))


# --------------------------------------------------------------------------- challenges


def test_a_challenge_with_attachments_is_answered_and_the_award_becomes_final(client, auth, people, awarded):
    tender = db.session.get(Tender, awarded.id)
    auth.login(people["zhuanxi"])
    response = lodge(client, tender, people, "zhuanxi", files=[("证明.pdf", PDF), ("截图.png", PNG)])
    assert response.status_code == 302
    challenge = Challenge.query.one()
    assert [f.filename for f in challenge.files] == ["证明.pdf", "截图.png"]
    stored = ChallengeFile.query.filter_by(filename="证明.pdf").one()
    assert PDF not in stored.blob and stored.size == len(PDF)  # encrypted at rest
    assert client.get(f"/vendor/challenge-files/{stored.public_id}").data == PDF
    auth.logout()
    assert Notification.query.filter_by(kind="challenge_lodged", user_id=people["buyer"].id).count() == 1
    # after the window an unanswered challenge keeps the award provisional
    set_notice(tender, dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    assert tender.current_status == "awarded"
    auth.login(people["buyer"])
    text = page(client.get(f"/buyer/tenders/{tender.public_id}/challenges"))
    assert "苏州专席客服服务有限公司" in text and "answer due by" in text and "证明.pdf" in text
    assert client.get(f"/buyer/tenders/{tender.public_id}/challenge-files/{stored.public_id}").data == PDF
    url = f"/buyer/tenders/{tender.public_id}/challenges/{challenge.public_id}/answer"
    client.post(url, data={"answer": "经复核，经验分计算无误 / experience scores checked", "outcome": "rejected"})
    db.session.refresh(challenge)
    assert challenge.answered and challenge.upheld is False
    assert tender.current_status == "award_final"
    # answering twice is refused, the first answer kept
    response = client.post(url, data={"answer": "另一答复", "outcome": "upheld"}, follow_redirects=True)
    assert "already answered" in page(response)
    db.session.refresh(challenge)
    assert challenge.answer.startswith("经复核") and Reopening.query.count() == 0
    auth.logout()
    auth.login(people["zhuanxi"])
    text = page(client.get(outcome_url(tender, people, "zhuanxi")))
    assert "Not upheld." in text and "经复核，经验分计算无误" in text
    assert Notification.query.filter_by(kind="challenge_answered", user_id=people["zhuanxi"].id).count() == 1
    actions = [r.action for r in AuditRecord.query.order_by(AuditRecord.seq)]
    assert actions.index("challenge_lodged") < actions.index("challenge_answered")
    # another vendor cannot fetch the attachment, another buyer's route neither
    auth.logout()
    auth.login(people["hengxin"])
    assert client.get(f"/vendor/challenge-files/{stored.public_id}").status_code == 404


def test_an_upheld_challenge_reopens_the_evaluation_with_it_as_the_reason(client, auth, people, awarded):
    tender = db.session.get(Tender, awarded.id)
    auth.login(people["hengxin"])
    lodge(client, tender, people, "hengxin", text="南京恒信的经验应计 5 个项目 / five projects, not four")
    auth.logout()
    challenge = Challenge.query.one()
    auth.login(people["buyer"])
    client.post(
        f"/buyer/tenders/{tender.public_id}/challenges/{challenge.public_id}/answer",
        data={"answer": "质疑成立，重新评审经验分", "outcome": "upheld"},
    )
    db.session.refresh(tender)
    assert tender.status == "opened" and tender.notice_at is None and AwardDecision.query.count() == 0
    reopening = Reopening.query.one()
    assert "南京恒信的经验应计 5 个项目" in reopening.reason and reopening.closed_at is None
    record = AuditRecord.query.filter_by(action="evaluation_reopened").one()
    assert record.details["challenge"] == challenge.public_id
    assert record.details["award_withdrawn"][0]["vendor"] == "杭州云客服科技有限公司"
    assert "南京恒信的经验应计" in page(client.get(f"/results/{tender.public_id}"))


def test_refusals_a_non_bidder_a_late_challenge_and_an_empty_one(client, auth, people, awarded):
    tender = db.session.get(Tender, awarded.id)
    auth.login(people["vendor"])  # no bid on this tender
    assert lodge(client, tender, people, "zhuanxi").status_code == 404
    auth.logout()
    auth.login(people["zhuanxi"])
    response = lodge(client, tender, people, "zhuanxi", text="  ")
    assert "states its reasons" in page(client.get(response.headers["Location"]))
    response = lodge(client, tender, people, "zhuanxi", files=[("run.exe", b"MZ\x90\x00")])
    assert "PDF, JPG or PNG" in page(client.get(response.headers["Location"]))
    response = lodge(client, tender, people, "zhuanxi", files=[("fake.pdf", b"MZ\x90\x00 not a pdf")])
    assert "not what its extension .pdf says" in page(client.get(response.headers["Location"]))
    response = lodge(
        client,
        tender,
        people,
        "zhuanxi",
        files=[("active.pdf", b"%PDF-1.7\n<< /OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> >>")],
    )
    assert "scripts" in page(client.get(response.headers["Location"]))
    assert Challenge.query.count() == 0 and ChallengeFile.query.count() == 0
    set_notice(tender, dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    response = lodge(client, tender, people, "zhuanxi")
    assert "within the challenge window" in page(client.get(response.headers["Location"]))
    assert Challenge.query.count() == 0
    assert AuditRecord.query.filter_by(action="challenge_lodged").count() == 0


FRIDAY_NOTICE = dt.datetime(2026, 12, 4, 15, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "moment, accepted",
    [
        (dt.datetime(2026, 12, 15, 23, 59, tzinfo=SHANGHAI), True),  # the last minute of the last working day
        (dt.datetime(2026, 12, 16, 0, 0, tzinfo=SHANGHAI), False),  # one minute after
        (dt.datetime(2026, 12, 16, 0, 1, tzinfo=SHANGHAI), False),
    ],
)
def test_a_friday_notice_leaves_seven_working_days(people, awarded, moment, accepted):
    tender = db.session.get(Tender, awarded.id)
    set_notice(tender, FRIDAY_NOTICE)

    def lodge_it():
        return challenge_service.lodge(
            people["zhuanxi"], bid_id(tender, "zhuanxi", people), "理由 / reasons", now=moment
        )

    if accepted:
        challenge = lodge_it()
        # answered within 7 working days of Tue 15 Dec: Wed 16 … Thu 24 December 23:59
        assert challenge.answer_due.astimezone(SHANGHAI) == dt.datetime(2026, 12, 25, 0, 0, tzinfo=SHANGHAI)
        assert not challenge_service.overdue(challenge, dt.datetime(2026, 12, 24, 23, 59, tzinfo=SHANGHAI))
        assert challenge_service.overdue(challenge, dt.datetime(2026, 12, 25, 0, 0, tzinfo=SHANGHAI))
        assert tender.status_at(dt.datetime(2027, 1, 4, tzinfo=SHANGHAI)) == "awarded"  # unanswered: provisional
    else:
        from tender.services import WrongState

        with pytest.raises(WrongState):
            lodge_it()
        assert Challenge.query.count() == 0
        assert tender.status_at(moment) == "award_final"


def test_a_challenge_or_an_answer_without_the_csrf_token_is_refused_and_nothing_stored(
    app, client, auth, people, awarded
):
    tender = db.session.get(Tender, awarded.id)
    auth.login(people["zhuanxi"])
    app.config["WTF_CSRF_ENABLED"] = True  # the form as the app serves it: with its token
    try:
        form = page(client.get(outcome_url(tender, people, "zhuanxi")))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert 'name="csrf_token"' in form[form.index('id="challenge-form"') :].split("</form>")[0]
    lodge(client, tender, people, "zhuanxi")  # one challenge, lodged with CSRF off
    challenge = Challenge.query.one()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert lodge(client, tender, people, "zhuanxi").status_code == 400
        auth.logout()
        auth.login(people["buyer"])
        response = client.post(
            f"/buyer/tenders/{tender.public_id}/challenges/{challenge.public_id}/answer",
            data={"answer": "不予支持", "outcome": "rejected"},
        )
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.refresh(challenge)
    assert Challenge.query.count() == 1 and not challenge.answered


def test_an_unanswered_challenge_past_its_due_date_is_flagged_overdue_and_can_still_be_answered(
    client, auth, people, awarded
):
    tender = db.session.get(Tender, awarded.id)
    # notice on Friday 6 November 2026 15:00 (a past date: the flag is judged on today's clock);
    # challenge on Monday 9 November: answered within 7 working days, by Wed 18 November 23:59
    set_notice(tender, dt.datetime(2026, 11, 6, 15, 0, tzinfo=SHANGHAI))
    lodged = dt.datetime(2026, 11, 9, 10, 0, tzinfo=SHANGHAI)
    challenge = challenge_service.lodge(
        people["hengxin"], bid_id(tender, "hengxin", people), "理由 / reasons", now=lodged
    )
    assert challenge.answer_due.astimezone(SHANGHAI) == dt.datetime(2026, 11, 19, 0, 0, tzinfo=SHANGHAI)
    auth.login(people["buyer"])
    text = page(client.get(f"/buyer/tenders/{tender.public_id}/challenges"))
    assert "answer due by 2026-11-18 23:59 (UTC+8 Asia/Shanghai)" in text and 'class="error overdue"' in text
    assert tender.current_status == "awarded"  # unanswered: the award is not final
    client.post(
        f"/buyer/tenders/{tender.public_id}/challenges/{challenge.public_id}/answer",
        data={"answer": "迟复：经复核不予支持", "outcome": "rejected"},
    )
    db.session.refresh(challenge)
    assert challenge.answered and tender.current_status == "award_final"
    assert AuditRecord.query.filter_by(action="challenge_answered").one().details["late"] is True


def test_after_an_upheld_challenge_the_evaluation_is_final_again_and_a_new_notice_opens_a_new_window(
    client, auth, people, awarded
):
    tender = db.session.get(Tender, awarded.id)
    first_notice = tender.notice_at
    challenge = challenge_service.lodge(people["hengxin"], bid_id(tender, "hengxin", people), "经验分有误")
    auth.login(people["buyer"])
    client.post(
        f"/buyer/tenders/{tender.public_id}/challenges/{challenge.public_id}/answer",
        data={"answer": "质疑成立", "outcome": "upheld"},
    )
    assert db.session.get(Tender, tender.id).status == "opened"
    assert not deliberation.signatures(tender)  # the signatures are void
    deliberation.close(people["expert1"], tender.public_id)  # nothing to correct in the end:
    for evaluator in ("expert1", "expert2", "expert3"):  # the chair closes, all sign anew
        deliberation.sign(people[evaluator], tender.public_id, PASSWORD)
    assert db.session.get(Tender, tender.id).status == "evaluated"
    client.post(f"/buyer/tenders/{tender.public_id}/award", data={"share-0": bid_id(tender, "yunkefu", people)})
    tender = db.session.get(Tender, tender.id)
    assert tender.current_status == "awarded" and tender.notice_at > first_notice
    assert Notification.query.filter_by(kind="result_notice", user_id=people["hengxin"].id).count() == 2
    auth.logout()
    auth.login(people["hengxin"])
    text = page(client.get(outcome_url(tender, people, "hengxin")))
    assert 'id="challenge-form"' in text and "Upheld: the evaluation is reopened." in text  # a new window
    # the challenges are on the page once, in its body (the tab's title is just the title)
    assert text.count('id="challenge-form"') == 1
    assert (
        text.split("<title>")[1].split("</title>")[0].strip()
        == "Outcome of my bid · Customer service outsourcing tenders"
    )
    assert AuditRecord.query.filter_by(action="result_notice_published").count() == 2


def set_challenge_days(tender, days: int) -> None:
    """The tender's own challenge period (tender key ``challenge_days``), as the form stores it."""
    definition = json.loads(tender.definition_json)
    definition["challenge_days"] = days
    tender.definition_json = json.dumps(definition, ensure_ascii=False)
    db.session.commit()


@pytest.mark.parametrize(
    "moment, accepted",
    [
        (dt.datetime(2026, 12, 9, 23, 59, tzinfo=SHANGHAI), True),  # Mon 7, Tue 8, Wed 9: the third working day
        (dt.datetime(2026, 12, 10, 0, 0, tzinfo=SHANGHAI), False),  # Thursday: too late with 3 days
    ],
)
def test_a_tender_with_a_three_day_challenge_period_closes_after_three_working_days(people, awarded, moment, accepted):
    tender = db.session.get(Tender, awarded.id)
    set_challenge_days(tender, 3)
    set_notice(tender, FRIDAY_NOTICE)
    assert tender.challenge_days == 3
    if accepted:
        challenge_service.lodge(people["zhuanxi"], bid_id(tender, "zhuanxi", people), "理由 / reasons", now=moment)
        assert Challenge.query.count() == 1
    else:
        from tender.services import WrongState

        with pytest.raises(WrongState):
            challenge_service.lodge(people["zhuanxi"], bid_id(tender, "zhuanxi", people), "理由 / reasons", now=moment)
        assert Challenge.query.count() == 0
        assert tender.status_at(moment) == "award_final"  # the window has passed, nothing lodged


def test_the_award_confirmation_names_the_tenders_own_challenge_period(client, auth, people, opened_tender):
    tender = db.session.get(Tender, opened_tender.id)
    set_challenge_days(tender, 5)
    reach_evaluated(tender, people)
    auth.login(people["buyer"])
    text = page(client.get(f"/buyer/tenders/{tender.public_id}/award"))
    assert "challenge window of 5 working days starts" in text
    auth.logout()
