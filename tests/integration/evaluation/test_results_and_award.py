"""Results, the same numbers as `tender evaluate`, the what-if, reports, the award and the
vendor's own outcome, with the worked example of conftest.py:

Evaluators' scores (plan /30, team /15) and their means:
  杭州云客服 plan 26, 24, 25 → 25.00; team 13, 12, 14 → 13.00
  苏州专席   plan 27, 28, 26 → 27.00; team 14, 13, 15 → 14.00
  南京恒信   plan 22, 23, 21 → 22.00; team 11, 11, 11 → 11.00
广州金豆 (18,000.00, abnormally low) is rejected, so the benchmark is 南京恒信's 49,466.67:
  price 南京恒信 30 × 49,466.67 / 49,466.67 = 30.00
        杭州云客服 30 × 49,466.67 / 52,266.67 = 28.39
        苏州专席   30 × 49,466.67 / 59,976.67 = 24.74
Objective: experience 2 points a project (cap 10), response ≤ 30 s → 10, ISO 9001 → 5:
  杭州云客服 28.39 + 10 + 10 + 5 + 25 + 13 = 91.39  (rank 1)
  苏州专席   24.74 + 10 + 10 + 5 + 27 + 14 = 90.74  (rank 2)
  南京恒信   30.00 +  8 + 10 + 5 + 22 + 11 = 86.00  (rank 3)
"""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from tender.cli import main as cli_main
from tender.models import AuditRecord, AwardDecision, ReportSignature, Tender
from tender.platform.extensions import db
from tender.services import results as results_service
from tests.integration.evaluation.conftest import bid_id
from tests.integration.evaluation.helpers import close_and_sign, page, whole_panel_scores

TOTALS = {
    "杭州云客服科技有限公司": ("91.39", 1),
    "苏州专席客服服务有限公司": ("90.74", 2),
    "南京恒信客服外包有限公司": ("86.00", 3),
}


def test_results_rank_with_every_criterion_and_the_rejected_bid_with_its_reason(client, auth, people, opened_tender):
    whole_panel_scores(client, auth, opened_tender, people)
    result = results_service.result(opened_tender).to_json()
    assert result["status"] == "ok"
    by_vendor = {b["vendor"]: b for b in result["bids"]}
    for vendor, (total, rank) in TOTALS.items():
        assert (by_vendor[vendor]["total"], by_vendor[vendor]["rank"]) == (total, rank)
    assert by_vendor["杭州云客服科技有限公司"]["scores"] == {
        "price": "28.39",
        "experience": "10.00",
        "response": "10.00",
        "licensed": "5.00",
        "plan": "25.00",
        "team": "13.00",
    }
    assert by_vendor["苏州专席客服服务有限公司"]["scores"]["price"] == "24.74"
    assert result["winners"] == ["杭州云客服科技有限公司", "苏州专席客服服务有限公司", "南京恒信客服外包有限公司"]
    auth.login(people["buyer"])
    text = page(client.get(f"/results/{opened_tender.public_id}"))
    for vendor, (total, _rank) in TOTALS.items():
        assert vendor in text and total in text
    assert "abnormally low price rejected by the panel: 报价低于人工成本" in text  # the invalid bid's reason
    assert "15600 new inquiries × 2.50 CNY + 8400 returning inquiries × 1.50 CNY = 51600.00" in text  # a formula
    assert "2.18" in text  # cost per inquiry 52,266.67 / 24,000
    assert "800.00 <strong>← scenario" in page(client.get(f"/results/{opened_tender.public_id}")).replace("\n", "")


def test_the_page_gives_the_same_numbers_as_tender_evaluate(client, auth, people, opened_tender, tmp_path):
    whole_panel_scores(client, auth, opened_tender, people)
    files = results_service.evaluation_files(opened_tender)
    tender_path = tmp_path / "tender.json"
    tender_path.write_text(json.dumps(files["tender"], ensure_ascii=False), encoding="utf-8")
    bid_paths = []
    for number, (_vendor, bid) in enumerate(files["bids"].items()):
        path = tmp_path / f"bid{number}.json"
        path.write_text(json.dumps(bid, ensure_ascii=False), encoding="utf-8")
        bid_paths.append(str(path))
    (tmp_path / "panel.json").write_text(json.dumps(files["panel"], ensure_ascii=False), encoding="utf-8")
    assert (
        cli_main(
            [
                "evaluate",
                str(tender_path),
                *bid_paths,
                "--panel",
                str(tmp_path / "panel.json"),
                "--json",
                str(tmp_path / "result.json"),
            ]
        )
        == 0
    )
    offline = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    online = json.loads(json.dumps(results_service.result(opened_tender).to_json(), ensure_ascii=False))
    for bid in offline["bids"] + online["bids"]:
        bid.pop("source")  # the file name offline, the company online
    assert offline == online


def test_the_weight_what_if_shows_another_ranking_without_changing_the_tender(client, auth, people, opened_tender):
    whole_panel_scores(client, auth, opened_tender, people)
    before = db.session.get(Tender, opened_tender.id).definition_json
    auth.login(people["buyer"])
    weights = {
        "weight:price": "60",
        "weight:experience": "10",
        "weight:response": "10",
        "weight:licensed": "5",
        "weight:plan": "10",
        "weight:team": "5",
    }
    text = page(client.post(f"/results/{opened_tender.public_id}/what-if", data=weights))
    assert "What-if only" in text and "What-if ranking" in text
    # price 60: 南京恒信 60.00 + 8 + 10 + 5 + 7.33 + 3.67 = 94.00 (plan 22 × 10/30, team 11 × 5/15);
    # 杭州云客服 60 × 49,466.67 / 52,266.67 = 56.79, + 25 + 8.33 + 4.33 = 94.45;
    # 苏州专席 60 × 49,466.67 / 59,976.67 = 49.49, + 25 + 9.00 + 4.67 = 88.16 — now third
    what_if = results_service.what_if(
        opened_tender, {"price": 60, "experience": 10, "response": 10, "licensed": 5, "plan": 10, "team": 5}
    ).to_json()
    totals = {b["vendor"]: b["total"] for b in what_if["bids"] if b.get("rank")}
    assert totals == {
        "南京恒信客服外包有限公司": "94.00",
        "杭州云客服科技有限公司": "94.45",
        "苏州专席客服服务有限公司": "88.16",
    }
    assert "94.00" in text and "94.45" in text and "88.16" in text
    assert db.session.get(Tender, opened_tender.id).definition_json == before
    text = page(client.post(f"/results/{opened_tender.public_id}/what-if", data={**weights, "weight:price": "50"}))
    assert "100" in text and "What-if ranking" not in text  # weights must sum to 100


def test_reports_download_in_the_users_language_and_are_labelled_draft_before_final(
    client, auth, people, opened_tender
):
    auth.login(people["buyer"])
    response = client.get(f"/results/{opened_tender.public_id}/report.xlsx")
    assert response.status_code == 200 and response.data[:4] == b"PK\x03\x04"
    assert "draft" in response.headers["Content-Disposition"]
    auth.logout()
    whole_panel_scores(client, auth, opened_tender, people)
    auth.login(people["expert2"])
    response = client.get(f"/results/{opened_tender.public_id}/report.xlsx")
    assert response.status_code == 200 and "draft" not in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("杭州云客服科技有限公司" in c for c in cells) and any("Expert 1" in c for c in cells)
    response = client.get(f"/results/{opened_tender.public_id}/report.docx")
    assert response.status_code == 200 and response.data[:4] == b"PK\x03\x04"
    assert AuditRecord.query.filter_by(action="report_exported").count() == 3


def test_awarding_while_pending_is_refused(client, auth, people, opened_tender):
    auth.login(people["buyer"])
    response = client.post(f"/buyer/tenders/{opened_tender.public_id}/award", data={})
    assert "still pending" in page(client.get(response.headers["Location"]))
    assert AwardDecision.query.count() == 0 and db.session.get(Tender, opened_tender.id).status == "opened"


def test_the_buyer_awards_rank_1_or_another_rank_with_a_reason(client, auth, people, opened_tender):
    whole_panel_scores(client, auth, opened_tender, people)
    auth.login(people["buyer"])
    text = page(client.get(f"/buyer/tenders/{opened_tender.public_id}/award"))
    assert "杭州云客服科技有限公司" in text
    zhuanxi = bid_id(opened_tender, "zhuanxi", people)
    response = client.post(f"/buyer/tenders/{opened_tender.public_id}/award", data={"share-0": zhuanxi, "reason": ""})
    assert "needs a reason" in page(response) and AwardDecision.query.count() == 0
    client.post(
        f"/buyer/tenders/{opened_tender.public_id}/award",
        data={"share-0": zhuanxi, "reason": "排名第一的供应商放弃中标 / rank 1 declined"},
    )
    decision = AwardDecision.query.one()
    assert decision.awards == [{"bid": zhuanxi, "vendor": "苏州专席客服服务有限公司", "rank": 2, "share": "1.00"}]
    assert db.session.get(Tender, opened_tender.id).status == "awarded"
    assert AuditRecord.query.filter_by(action="award_confirmed").one().details["reason"].startswith("排名第一")


def test_vendors_see_the_outcome_of_their_own_bid_only(client, auth, people, opened_tender):
    whole_panel_scores(client, auth, opened_tender, people)
    auth.login(people["buyer"])
    client.post(
        f"/buyer/tenders/{opened_tender.public_id}/award", data={"share-0": bid_id(opened_tender, "yunkefu", people)}
    )
    auth.logout()
    auth.login(people["yunkefu"])
    text = page(client.get(f"/vendor/bids/{bid_id(opened_tender, 'yunkefu', people)}/outcome"))
    assert "Your bid is awarded (share 1.00)" in text and "91.39" in text
    assert "苏州专席" not in text and "90.74" not in text
    assert client.get(f"/vendor/bids/{bid_id(opened_tender, 'zhuanxi', people)}/outcome").status_code == 404
    assert client.get(f"/results/{opened_tender.public_id}").status_code == 403
    auth.logout()
    auth.login(people["zhuanxi"])
    text = page(client.get(f"/vendor/bids/{bid_id(opened_tender, 'zhuanxi', people)}/outcome"))
    assert "Your bid is not awarded" in text and "2 / 3" in text


def test_a_final_evaluation_changes_only_through_a_recorded_reopening(client, auth, people, opened_tender):
    whole_panel_scores(client, auth, opened_tender, people)
    auth.login(people["buyer"])
    client.post(f"/buyer/tenders/{opened_tender.public_id}/reopen", data={"reason": ""})
    assert db.session.get(Tender, opened_tender.id).status == "evaluated"
    client.post(f"/buyer/tenders/{opened_tender.public_id}/reopen", data={"reason": "评委1 合计错误 / summation error"})
    assert db.session.get(Tender, opened_tender.id).status == "opened"
    auth.logout()
    auth.login(people["expert1"])
    client.post(
        f"/evaluator/tenders/{opened_tender.public_id}/scores/correct",
        data={
            "bid": bid_id(opened_tender, "zhuanxi", people),
            "criterion": "plan",
            "value": "30",
            "reason": "合计错误",
        },
    )
    assert db.session.get(Tender, opened_tender.id).status == "opened"  # still reopened
    auth.logout()
    auth.login(people["buyer"])
    client.post(f"/buyer/tenders/{opened_tender.public_id}/reopen/close")
    assert db.session.get(Tender, opened_tender.id).status == "opened"  # the chair closes, the panel signs anew
    assert (
        ReportSignature.query.filter(ReportSignature.voided_at.is_not(None)).count() == 3
    )  # the reopening voided them
    auth.logout()
    close_and_sign(client, auth, opened_tender, people)
    assert db.session.get(Tender, opened_tender.id).status == "evaluated"
    # 苏州专席 plan (30 + 28 + 26) / 3 = 28.00: 90.74 + 1 = 91.74 now ranks first
    result = results_service.result(opened_tender).to_json()
    assert result["winners"][0] == "苏州专席客服服务有限公司"
    actions = [r.action for r in AuditRecord.query.order_by(AuditRecord.seq) if r.action not in ("login", "logout")]
    assert actions[-8:] == [
        "evaluation_reopened",
        "score_corrected",
        "reopening_closed",
        "evaluation_closed",
        "report_signed",
        "report_signed",
        "report_signed",
        "evaluation_completed",
    ]
