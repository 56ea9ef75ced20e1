"""The panel decides together (domain §15, issue 16): the chair, proposals and votes, the
abnormal-low page with its threshold and the vendor's explanation (§16), outlying scores,
closing and signing the report.

The worked example (conftest): 广州金豆 18,000.00 a month is abnormally low — the mean of the
three other qualified bids is (52,266.67 + 49,466.67 + 59,976.67) / 3 = 53,903.34 and
0.8 × 53,903.34 = 43,122.67 > 18,000.00. A panel of three: a proposal needs 2 agreeing votes.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

from tender.models import (
    AbnormalLowDecision,
    AuditRecord,
    EvaluatorAssignment,
    ExplanationFile,
    ExplanationRequest,
    Notification,
    PanelProposal,
    PanelVote,
    ReportSignature,
    ScoreCorrection,
    Tender,
    utcnow,
)
from tender.platform.extensions import db
from tests.conftest import PASSWORD, make_user
from tests.integration.evaluation.conftest import bid_id
from tests.integration.evaluation.helpers import (
    close_and_sign,
    decide,
    declare,
    latest_proposal,
    page,
    submit_scores,
    vote,
    whole_panel_scores,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def words(response) -> str:
    """The page's text without its tags."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True))))


def all_submit(client, auth, tender, people, experts=("expert1", "expert2", "expert3"), **changes):
    for evaluator in experts:
        auth.login(people[evaluator])
        declare(client, tender)
        assert submit_scores(client, tender, people, evaluator, **changes.get(evaluator, {})).status_code == 302
        auth.logout()


# --------------------------------------------------------------------------- the chair


def test_the_buyer_names_the_chair_and_every_panel_page_shows_it(client, auth, people, closed_tender):
    chairs = EvaluatorAssignment.query.filter_by(tender_id=closed_tender.id, chair=True).all()
    assert [a.evaluator.name for a in chairs] == ["Expert 1"]  # the first assigned, until named
    auth.login(people["buyer"])
    panel = f"/buyer/tenders/{closed_tender.public_id}/panel"
    client.post(f"{panel}/chair", data={"evaluator": people["expert2"].public_id})
    text = page(client.get(panel))
    assert "Expert 2 chairs the panel." in text
    assert [a.evaluator.name for a in EvaluatorAssignment.query.filter_by(chair=True)] == ["Expert 2"]
    record = AuditRecord.query.filter_by(action="chair_named").one()
    assert record.details["chair"] == "expert2@example.cn" and record.details["former"] == "expert1@example.cn"
    # another buyer cannot
    auth.logout()
    auth.login(people["other_buyer"])
    assert client.post(f"{panel}/chair", data={"evaluator": people["expert3"].public_id}).status_code == 404
    auth.logout()
    auth.login(people["expert3"])
    assert "Chair of the panel: Expert 2" in words(client.get(f"/evaluator/tenders/{closed_tender.public_id}"))


# --------------------------------------------------------------------------- proposals and votes


def test_a_proposal_takes_effect_only_with_a_majority_of_the_whole_panel(client, auth, people, opened_tender):
    all_submit(client, auth, opened_tender, people)
    auth.login(people["expert1"])
    decide(client, opened_tender, people, "jindou", "reject", "低于人工成本 / below labour cost")
    board = page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/proposals"))
    assert "1 agree, 0 disagree, 2 not voted, of 3 members (2 agreeing votes needed)" in board
    assert board.count("not voted yet") == 2 and "Expert 2" in board and "Expert 3" in board
    assert AbnormalLowDecision.query.count() == 0  # one vote of three: no effect
    # a second vote by the proposer is refused, and nothing is added
    response = vote(client, opened_tender, latest_proposal(opened_tender), agree=True)
    assert "You have already voted on this proposal" in page(client.get(response.headers["Location"]))
    assert PanelVote.query.count() == 1
    auth.logout()
    # expert 2 disagrees without a reason: refused; with one: counted
    auth.login(people["expert2"])
    vote(client, opened_tender, latest_proposal(opened_tender), agree=False, reason="")
    assert PanelVote.query.count() == 1
    vote(client, opened_tender, latest_proposal(opened_tender), agree=False, reason="说明尚未收到 / no explanation yet")
    assert latest_proposal(opened_tender).outcome == "open"  # 1 agree, 1 disagree, 1 to vote
    auth.logout()
    auth.login(people["expert3"])
    vote(client, opened_tender, latest_proposal(opened_tender), agree=True, reason="同意否决 / agreed")
    proposal = latest_proposal(opened_tender)
    assert proposal.outcome == "passed"  # 2 of 3
    decision = AbnormalLowDecision.query.one()
    assert (decision.decision, decision.note) == ("reject", "低于人工成本 / below labour cost")
    board = page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/proposals"))
    assert "Passed" in board and "2 agree, 1 disagree, 0 not voted, of 3 members" in board


def test_a_proposal_fails_once_a_majority_can_no_longer_agree_and_takes_no_more_votes(
    client, auth, people, opened_tender
):
    all_submit(client, auth, opened_tender, people)
    auth.login(people["expert1"])
    decide(client, opened_tender, people, "jindou", "accept", "自有系统分流 / own system deflects inquiries")
    auth.logout()
    for expert in ("expert2", "expert3"):
        auth.login(people[expert])
        assert (
            vote(
                client, opened_tender, latest_proposal(opened_tender), agree=False, reason="不成立 / not credible"
            ).status_code
            == 302
        )
        auth.logout()
    # expert 2 made it 1–1, expert 3 1–2: two agreeing votes of three can no longer be reached
    proposal = latest_proposal(opened_tender)
    assert proposal.outcome == "rejected" and AbnormalLowDecision.query.count() == 0
    # a fourth evaluator, not on the panel, cannot vote (404), and a vote on a decided proposal is refused
    outsider = make_user("evaluator", "expert4@example.cn", "Expert 4")
    auth.login(outsider)
    assert vote(client, opened_tender, proposal).status_code == 404
    auth.logout()
    auth.login(people["buyer"])
    assert vote(client, opened_tender, proposal).status_code == 403
    auth.logout()
    assert PanelVote.query.count() == 3
    # the panel may propose again: the other decision
    auth.login(people["expert2"])
    decide(client, opened_tender, people, "jindou", "reject", "说明不成立 / explanation not credible")
    auth.logout()
    auth.login(people["expert3"])
    vote(client, opened_tender, latest_proposal(opened_tender))
    assert AbnormalLowDecision.query.one().decision == "reject"


def test_a_vote_on_a_decided_proposal_is_refused(client, auth, people, opened_tender):
    all_submit(client, auth, opened_tender, people)
    auth.login(people["expert1"])
    decide(client, opened_tender, people, "jindou", "reject", "低于人工成本")
    auth.logout()
    auth.login(people["expert2"])
    vote(client, opened_tender, latest_proposal(opened_tender))
    auth.logout()
    auth.login(people["expert3"])
    response = vote(client, opened_tender, latest_proposal(opened_tender), agree=False, reason="too late")
    assert "This proposal is already decided" in page(client.get(response.headers["Location"]))
    assert PanelVote.query.count() == 2 and latest_proposal(opened_tender).outcome == "passed"


def test_members_are_told_a_vote_waits_for_them(client, auth, people, opened_tender):
    all_submit(client, auth, opened_tender, people)
    auth.login(people["expert1"])
    decide(client, opened_tender, people, "jindou", "reject", "低于人工成本")
    told = sorted(n.user.name for n in Notification.query.filter_by(kind="vote_waiting"))
    assert told == ["Expert 2", "Expert 3"]
    auth.logout()
    auth.login(people["expert2"])
    home = page(client.get("/evaluator/"))
    assert "Vote on 1 proposals of the panel" in home


# --------------------------------------------------------------------------- the abnormal-low page and the explanation


def test_the_abnormal_low_page_shows_the_threshold_with_its_figures(client, auth, people, opened_tender):
    all_submit(client, auth, opened_tender, people, experts=("expert1",))
    auth.login(people["expert1"])
    text = words(client.get(f"/evaluator/tenders/{opened_tender.public_id}/abnormal-low"))
    assert "Mean monthly cost of the 3 other qualified bids" in text and "53,903.34" in text
    assert "0.8 × 53,903.34 = 43,122.67" in text and "18,000.00 < 43,122.67" in text


def test_the_vendor_explains_with_files_and_the_panel_decides_after_it(client, auth, people, opened_tender):
    all_submit(client, auth, opened_tender, people)
    jindou = bid_id(opened_tender, "jindou", people)
    deadline = utcnow() + dt.timedelta(days=2)
    auth.login(people["expert1"])
    low = f"/evaluator/tenders/{opened_tender.public_id}/abnormal-low"
    client.post(f"{low}/explanation", data={"bid": jindou, "deadline": "2020-01-01T10:00", "question": "x"})
    assert ExplanationRequest.query.count() == 0  # a deadline in the past is refused
    client.post(
        f"{low}/explanation", data={"bid": bid_id(opened_tender, "yunkefu", people), "deadline": deadline.isoformat()}
    )
    assert ExplanationRequest.query.count() == 0  # 杭州云客服 is not abnormally low
    client.post(
        f"{low}/explanation", data={"bid": jindou, "deadline": deadline.isoformat(), "question": "请说明人工成本构成"}
    )
    assert ExplanationRequest.query.count() == 1
    told = Notification.query.filter_by(kind="explanation_requested").one()
    assert told.user_id == people["jindou"].id and told.link == f"/vendor/bids/{jindou}"
    # no decision while the explanation is awaited
    response = decide(client, opened_tender, people, "jindou", "reject", "低于人工成本")
    assert response.status_code == 200 and "explanation is awaited" in page(response)
    assert PanelProposal.query.count() == 0
    auth.logout()

    # the vendor sees the request on its bid page and answers; a hostile file is refused, nothing kept
    auth.login(people["jindou"])
    text = page(client.get(f"/vendor/bids/{jindou}"))
    assert "Explanation of your price requested" in text and "请说明人工成本构成" in text
    explain = f"/vendor/bids/{jindou}/explanation"
    response = client.post(
        explain,
        data={"answer": "自有智能客服分流 60%", "files": [(io.BytesIO(b"MZ\x90\x00 not a pdf"), "说明.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "not what its extension .pdf says" in page(response)
    response = client.post(
        explain,
        data={
            "answer": "x",
            "files": [
                (
                    io.BytesIO(
                        PDF.replace(
                            b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
                        )
                    ),
                    "说明.pdf",
                )
            ],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "scripts" in page(response)
    assert ExplanationFile.query.count() == 0 and ExplanationRequest.query.one().answered_at is None
    response = client.post(
        explain,
        data={
            "answer": "自有智能客服分流 60% 咨询，人工成本见附件",
            "files": [(io.BytesIO(PDF), "成本测算.pdf"), (io.BytesIO(png_bytes()), "社保缴纳.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    files = ExplanationFile.query.order_by(ExplanationFile.id).all()
    assert [f.filename for f in files] == ["成本测算.pdf", "社保缴纳.png"]
    # every member of the panel is told the explanation has come, with a link to read it
    received = Notification.query.filter_by(kind="explanation_received").all()
    assert sorted(n.user_id for n in received) == sorted(people[e].id for e in ("expert1", "expert2", "expert3"))
    assert {n.link for n in received} == {low}
    assert {n.params["files"] for n in received} == {2} and {n.params["vendor"] for n in received} == {
        "广州金豆客服外包有限公司"
    }
    assert PDF not in files[0].blob  # stored encrypted
    response = client.post(explain, data={"answer": "again"}, content_type="multipart/form-data")
    assert "cannot be changed" in page(client.get(response.headers["Location"]))
    auth.logout()
    # another vendor cannot read it
    auth.login(people["yunkefu"])
    assert client.get(f"/vendor/explanation-files/{files[0].public_id}").status_code == 404
    assert client.get(f"/vendor/bids/{jindou}").status_code == 404
    auth.logout()
    # the panel reads it beside the threshold, downloads the files, and decides
    auth.login(people["expert2"])
    text = page(client.get(low))
    assert "自有智能客服分流 60% 咨询，人工成本见附件" in text and "成本测算.pdf" in text
    response = client.get(f"/evaluator/explanation-files/{files[0].public_id}")
    assert response.data == PDF and "attachment" in response.headers["Content-Disposition"]
    decide(client, opened_tender, people, "jindou", "accept", "说明成立：系统分流有合同佐证")
    auth.logout()
    auth.login(people["expert3"])
    vote(client, opened_tender, latest_proposal(opened_tender))
    assert AbnormalLowDecision.query.one().decision == "accept"
    actions = [r.action for r in AuditRecord.query.order_by(AuditRecord.seq)]
    assert "explanation_requested" in actions and "explanation_sent" in actions


def test_after_the_deadline_the_vendor_is_refused_and_the_panel_decides_without_it(client, auth, people, opened_tender):
    all_submit(client, auth, opened_tender, people)
    jindou = bid_id(opened_tender, "jindou", people)
    auth.login(people["expert1"])
    client.post(
        f"/evaluator/tenders/{opened_tender.public_id}/abnormal-low/explanation",
        data={"bid": jindou, "deadline": (utcnow() + dt.timedelta(hours=1)).isoformat()},
    )
    auth.logout()
    request = ExplanationRequest.query.one()
    request.deadline = utcnow() - dt.timedelta(minutes=1)  # as time passing would
    db.session.commit()
    auth.login(people["jindou"])
    response = client.post(
        f"/vendor/bids/{jindou}/explanation", data={"answer": "迟到的说明"}, content_type="multipart/form-data"
    )
    assert "The deadline for the explanation has passed" in page(client.get(response.headers["Location"]))
    assert ExplanationRequest.query.one().answered_at is None
    auth.logout()
    auth.login(people["expert1"])
    assert "No explanation arrived by the deadline" in page(
        client.get(f"/evaluator/tenders/{opened_tender.public_id}/abnormal-low")
    )
    decide(client, opened_tender, people, "jindou", "reject", "逾期未说明")
    assert PanelProposal.query.count() == 1


# --------------------------------------------------------------------------- outliers, closing and signing


def test_an_outlying_score_is_returned_to_its_evaluator_and_blocks_the_close(client, auth, people, opened_tender):
    yunkefu = bid_id(opened_tender, "yunkefu", people)
    # 杭州云客服 plan: 26, 24 and 9 → mean 19.67; 9 is 10.67 away, more than 30 ÷ 3 = 10
    all_submit(client, auth, opened_tender, people, expert3={f"score:{yunkefu}:plan": "9"})
    auth.login(people["expert1"])
    decide(client, opened_tender, people, "jindou", "reject", "低于人工成本")
    auth.logout()
    auth.login(people["expert2"])
    vote(client, opened_tender, latest_proposal(opened_tender))
    auth.logout()
    auth.login(people["expert1"])
    response = client.post(f"/evaluator/tenders/{opened_tender.public_id}/close", data={"understood": "yes"})
    assert "1 outlying scores are not yet confirmed or corrected (Expert 3)" in page(
        client.get(response.headers["Location"])
    )
    assert db.session.get(Tender, opened_tender.id).status == "opened"
    text = page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/scores"))
    assert "Scores far from the panel mean" not in text  # expert 1's own scores are not outliers
    auth.logout()
    auth.login(people["expert3"])
    text = page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/scores"))
    assert "Scores far from the panel mean" in text and "19.67" in text and "10.00" in text
    confirm = f"/evaluator/tenders/{opened_tender.public_id}/scores/outlier"
    client.post(confirm, data={"bid": yunkefu, "criterion": "plan", "reason": ""})
    client.post(confirm, data={"bid": bid_id(opened_tender, "hengxin", people), "criterion": "plan", "reason": "x"})
    assert AuditRecord.query.filter_by(action="outlier_confirmed").count() == 0
    client.post(confirm, data={"bid": yunkefu, "criterion": "plan", "reason": "方案缺少夜间排班 / no night shifts"})
    assert "confirmed" in page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/scores"))
    auth.logout()
    close_and_sign(client, auth, opened_tender, people)
    assert db.session.get(Tender, opened_tender.id).status == "evaluated"


def test_a_correction_with_its_reason_settles_an_outlier(client, auth, people, opened_tender):
    yunkefu = bid_id(opened_tender, "yunkefu", people)
    all_submit(client, auth, opened_tender, people, expert3={f"score:{yunkefu}:plan": "9"})
    auth.login(people["expert3"])
    client.post(
        f"/evaluator/tenders/{opened_tender.public_id}/scores/correct",
        data={"bid": yunkefu, "criterion": "plan", "value": "20", "reason": "重读方案后更正"},
    )
    assert ScoreCorrection.query.count() == 1
    assert "Scores far from the panel mean" not in page(
        client.get(f"/evaluator/tenders/{opened_tender.public_id}/scores")
    )


def test_closing_needs_the_chair_every_score_and_every_decision_and_a_confirmation(client, auth, people, opened_tender):
    close = f"/evaluator/tenders/{opened_tender.public_id}/close"
    all_submit(client, auth, opened_tender, people, experts=("expert1", "expert2"))
    auth.login(people["expert1"])
    text = page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/proposals"))
    assert "Scores not yet submitted by: Expert 3." in text
    decide(client, opened_tender, people, "jindou", "reject", "低于人工成本")
    auth.logout()
    all_submit(client, auth, opened_tender, people, experts=("expert3",))
    auth.login(people["expert1"])
    text = page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/proposals"))
    assert "1 proposals are still being voted on." in text
    auth.logout()
    auth.login(people["expert2"])
    vote(client, opened_tender, latest_proposal(opened_tender))
    response = client.post(close, data={"understood": "yes"})  # not the chair
    assert "Only the chair of the panel closes the evaluation" in page(client.get(response.headers["Location"]))
    auth.logout()
    auth.login(people["expert1"])
    text = page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/proposals"))
    assert "no score, review or decision can change any more" in text  # the consequence, named
    response = client.post(close, data={})
    assert "Tick the box" in page(client.get(response.headers["Location"]))
    assert db.session.get(Tender, opened_tender.id).status == "opened"
    client.post(close, data={"understood": "yes"})
    assert db.session.get(Tender, opened_tender.id).status == "signing"
    assert sorted(n.user.name for n in Notification.query.filter_by(kind="signature_waiting")) == [
        "Expert 1",
        "Expert 2",
        "Expert 3",
    ]
    # nothing changes while the report is being signed
    response = client.post(
        f"/evaluator/tenders/{opened_tender.public_id}/scores/correct",
        data={
            "bid": bid_id(opened_tender, "yunkefu", people),
            "criterion": "plan",
            "value": "20",
            "reason": "late idea",
        },
    )
    assert ScoreCorrection.query.count() == 0


def test_each_member_signs_with_its_password_and_the_last_signature_makes_it_final(client, auth, people, opened_tender):
    whole_panel_scores(client, auth, opened_tender, people, sign=False)
    sign = f"/evaluator/tenders/{opened_tender.public_id}/sign"
    auth.login(people["expert2"])
    response = client.post(sign, data={"understood": "yes", "password": PASSWORD})
    assert "signed once the chair has closed" in page(client.get(response.headers["Location"]))  # before closing
    assert ReportSignature.query.count() == 0
    auth.logout()
    auth.login(people["expert1"])
    client.post(f"/evaluator/tenders/{opened_tender.public_id}/close", data={"understood": "yes"})
    text = page(client.get(sign))
    assert "I sign the evaluation report as it stands" in text
    digest = text.split('id="report-digest">')[1].split("<")[0]
    assert len(digest) == 64
    response = client.post(sign, data={"understood": "yes", "password": "wrong password"})
    assert "wrong password: the report is not signed" in page(client.get(response.headers["Location"]))
    assert ReportSignature.query.count() == 0
    assert AuditRecord.query.filter_by(action="signature_refused").one().actor.startswith("expert1@example.cn")
    client.post(sign, data={"understood": "yes", "password": PASSWORD})
    response = client.post(sign, data={"understood": "yes", "password": PASSWORD})
    assert "You have already signed this report" in page(client.get(response.headers["Location"]))
    assert db.session.get(Tender, opened_tender.id).status == "signing"
    auth.logout()
    for expert in ("expert2", "expert3"):
        auth.login(people[expert])
        client.post(sign, data={"understood": "yes", "password": PASSWORD})
        auth.logout()
    assert db.session.get(Tender, opened_tender.id).status == "evaluated"
    signatures = ReportSignature.query.order_by(ReportSignature.id).all()
    assert [s.evaluator.name for s in signatures] == ["Expert 1", "Expert 2", "Expert 3"]
    assert {s.report_sha256 for s in signatures} == {digest}
    signed = AuditRecord.query.filter_by(action="report_signed").all()
    assert [r.details["report_sha256"] for r in signed] == [digest] * 3
    # a reopening voids them
    auth.login(people["buyer"])
    client.post(f"/buyer/tenders/{opened_tender.public_id}/reopen", data={"reason": "质疑成立 / challenge upheld"})
    assert db.session.get(Tender, opened_tender.id).status == "opened"
    assert ReportSignature.query.filter(ReportSignature.voided_at.is_(None)).count() == 0
    assert AuditRecord.query.filter_by(action="evaluation_reopened").one().details["signatures_voided"] == 3


def test_the_reports_are_drafts_until_signed_and_then_print_each_signature(client, auth, people, opened_tender):
    import docx
    from openpyxl import load_workbook

    whole_panel_scores(client, auth, opened_tender, people, sign=False)
    auth.login(people["expert1"])
    client.post(f"/evaluator/tenders/{opened_tender.public_id}/close", data={"understood": "yes"})
    response = client.get(f"/results/{opened_tender.public_id}/report.docx")
    assert "draft" in response.headers["Content-Disposition"]  # closed, not signed: a draft
    assert b"DraftWatermark" in _part(response.data, "word/header")
    auth.logout()
    for expert in ("expert1", "expert2", "expert3"):
        auth.login(people[expert])
        client.post(
            f"/evaluator/tenders/{opened_tender.public_id}/sign", data={"understood": "yes", "password": PASSWORD}
        )
        auth.logout()
    digest = ReportSignature.query.first().report_sha256
    auth.login(people["buyer"])
    response = client.get(f"/results/{opened_tender.public_id}/report.docx")
    assert "draft" not in response.headers["Content-Disposition"]
    assert b"DraftWatermark" not in _part(response.data, "word/header")
    table = next(
        t
        for t in docx.Document(io.BytesIO(response.data)).tables
        if len(t.columns) == 5 and t.rows[0].cells[3].text == "Signature"
    )
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [(r[1], r[2]) for r in rows] == [("Expert 1", "Chair"), ("Expert 2", "Member"), ("Expert 3", "Member")]
    assert all(r[3] == f"Signed electronically (report SHA-256: {digest})" and "Asia/Shanghai" in r[4] for r in rows)
    book = load_workbook(io.BytesIO(client.get(f"/results/{opened_tender.public_id}/report.xlsx").data))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells.count(f"Signed electronically (report SHA-256: {digest})") == 3 and "Chair" in cells
    text = words(client.get(f"/results/{opened_tender.public_id}"))
    assert re.search(r"Chair of the panel\s*Expert 1", text)
    assert re.search(r"Report signed by\s*Expert 1, Expert 2, Expert 3", text)


def _part(data: bytes, prefix: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return b"".join(package.read(name) for name in package.namelist() if name.startswith(prefix))


def test_a_member_votes_on_a_price_only_after_its_technical_scores(client, auth, people, opened_tender):
    all_submit(client, auth, opened_tender, people, experts=("expert1",))
    auth.login(people["expert1"])
    decide(client, opened_tender, people, "jindou", "reject", "低于人工成本")
    auth.logout()
    auth.login(people["expert2"])
    declare(client, opened_tender)
    board = page(client.get(f"/evaluator/tenders/{opened_tender.public_id}/proposals"))
    assert "vote-form" not in board  # no form before its scores are in
    response = vote(client, opened_tender, latest_proposal(opened_tender))
    assert "Prices and the other evaluators' scores are shown once you have submitted" in page(
        client.get(response.headers["Location"])
    )
    assert PanelVote.query.count() == 1


def test_the_chair_passes_to_the_next_evaluator_when_removed(client, auth, people, closed_tender):
    auth.login(people["buyer"])
    panel = f"/buyer/tenders/{closed_tender.public_id}/panel"
    client.post(f"{panel}/{people['expert1'].public_id}/remove")
    assert [a.evaluator.name for a in EvaluatorAssignment.query.filter_by(chair=True)] == ["Expert 2"]


def test_a_recused_evaluator_cannot_chair(client, auth, people, opened_tender):
    auth.login(people["expert3"])
    client.post(
        f"/evaluator/tenders/{opened_tender.public_id}/declaration",
        data={"conflict": "yes", "note": "曾任金豆顾问 / former adviser"},
    )
    auth.logout()
    auth.login(people["buyer"])
    response = client.post(
        f"/buyer/tenders/{opened_tender.public_id}/panel/chair", data={"evaluator": people["expert3"].public_id}
    )
    assert "Expert 3 recused and cannot chair the panel." in page(client.get(response.headers["Location"]))
    assert [a.evaluator.name for a in EvaluatorAssignment.query.filter_by(chair=True)] == ["Expert 1"]
