"""A tender divided into lots (标包, domain §13) evaluated on the web: the panel scores each
bid in each lot it bids for, each lot is ranked alone, lots are awarded lot by lot under the
limit of one lot per vendor (兼投不兼中), and the buyer's award makes one contract per lot.

samples/lots/tender.json with min_valid_bids 1 and no final-offer round; one evaluator.
Bids (costs worked out in tests/integration/test_lot_bids.py):
- 苏州专席 bids L1 59,976.67 and L2 26,166.67;
- 南京恒信 bids L1 only, 49,466.67;
- 成都锦程 bids L2 only (line items; its ticket priced at 8.00, the lot's unit price ceiling).
Objective scores (same facts in every lot): experience 2 per project up to 10 (专席 8 → 10,
恒信 4 → 8, 锦程 5 → 10), response ≤ 30 s → 10 for all, ISO 9001 5 (锦程 has none: 0).
The evaluator scores plan/team: L1 专席 28/14, 恒信 20/10; L2 专席 27/13, 锦程 24/12.
L1 (lowest price 30 × lowest ÷ cost): 恒信 price 30.00, total 30 + 8 + 10 + 5 + 20 + 10 = 83.00;
  专席 30 × 49,466.67 ÷ 59,976.67 = 24.74, total 24.74 + 10 + 10 + 5 + 28 + 14 = 91.74 → rank 1.
L2: 专席 is ranked first but already holds L1 (at most 1 lot per vendor): skipped; 锦程 takes L2.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tender.models import AuditRecord, Contract, SubjectiveScore, Tender, User, utcnow
from tender.platform.extensions import db
from tender.services import opening
from tender.services import tenders as tender_service
from tests.conftest import PASSWORD, make_user
from tests.integration.conftest import snapshot
from tests.integration.test_lot_bids import bid_through_the_web, lot_bid, lots_definition, text

ZHUANXI, HENGXIN, JINCHENG = "苏州专席客服服务有限公司", "南京恒信客服外包有限公司", "成都锦程客服服务有限公司"
SCORES = {("L1", ZHUANXI): (28, 14), ("L1", HENGXIN): (20, 10), ("L2", ZHUANXI): (27, 13), ("L2", JINCHENG): (24, 12)}


def open_now(buyer, tender) -> None:
    """The deadline 10 minutes past, the opening time a minute past, and the bids opened."""
    tender.published_at = utcnow() - dt.timedelta(days=1)
    tender.bid_deadline = utcnow() - dt.timedelta(minutes=10)
    tender.opening_time = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    opening.open_bids(buyer, tender.public_id)


@pytest.fixture
def opened(app, client, auth, users):
    """The lot tender, three bids opened, the evaluator assigned (chair). Built through the
    web once per process and put back for each later test (``snapshot``)."""
    accounts = {key: user.id for key, user in users.items()}

    def build():
        definition = lots_definition()
        definition.update(min_valid_bids=1, final_offer=False)
        tender = tender_service.publish(users["buyer"], tender_service.save_draft(users["buyer"], definition))
        third = make_user("vendor", "vendor3@example.cn", "Vendor Sun", company="成都锦程客服服务有限公司")
        only_l1 = lot_bid("hengxin")
        del only_l1["lots"]["L2"]
        jincheng = lot_bid("jincheng")
        jincheng["lots"]["L2"]["prices"]["ticket"] = 8  # at the ticket's unit price ceiling (8), not above
        for user, bid in ((users["vendor"], lot_bid("zhuanxi")), (users["other_vendor"], only_l1), (third, jincheng)):
            bid_through_the_web(client, auth, user, tender, bid)
        opening.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
        open_now(users["buyer"], tender)

    if snapshot(app, "lots-opened", build):
        for key in users:
            users[key] = db.session.get(User, accounts[key])
    return db.session.query(Tender).one()


def bid_of(tender, vendor: str) -> str:
    return next(item.bid.public_id for item in opening.opened_bids(tender) if item.vendor_name == vendor)


def sheet(tender, **changes) -> dict:
    data = {}
    for (lot, vendor), (plan, team) in SCORES.items():
        data[f"score:{bid_of(tender, vendor)}@{lot}:plan"] = str(plan)
        data[f"score:{bid_of(tender, vendor)}@{lot}:team"] = str(team)
    return {**data, **changes}


def score_and_sign(client, auth, users, tender) -> None:
    auth.login(users["evaluator"])
    assert (
        client.post(f"/evaluator/tenders/{tender.public_id}/declaration", data={"no_conflict": "yes"}).status_code
        == 302
    )
    response = client.post(f"/evaluator/tenders/{tender.public_id}/scores", data={**sheet(tender), "action": "submit"})
    assert response.status_code == 302
    response = client.post(f"/evaluator/tenders/{tender.public_id}/close", data={"understood": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign"), text(
        client.get("/evaluator/")
    )
    response = client.post(
        f"/evaluator/tenders/{tender.public_id}/sign", data={"understood": "yes", "password": PASSWORD}
    )
    assert response.status_code == 302
    auth.logout()


def test_the_score_sheet_lists_each_lots_bids(client, auth, users, opened):
    auth.login(users["evaluator"])
    client.post(f"/evaluator/tenders/{opened.public_id}/declaration", data={"no_conflict": "yes"})
    page = text(client.get(f"/evaluator/tenders/{opened.public_id}/scores"))
    form = page.split('id="score-sheet"')[1].split("</form>")[0]
    l1 = form.split('id="lot-L1"')[1].split('id="lot-L2"')[0]
    l2 = form.split('id="lot-L2"')[1]
    assert "天猫旗舰店 售前咨询" in l1 and ZHUANXI in l1 and HENGXIN in l1 and JINCHENG not in l1
    assert "京东自营店 售后服务" in l2 and ZHUANXI in l2 and JINCHENG in l2 and HENGXIN not in l2
    # 4 rows (专席 twice) × 2 subjective criteria = 8 cells, each named by bid and lot
    assert len(re.findall(r'name="score:[^"@]+@L[12]:(plan|team)"', form)) == 8


def test_scores_are_kept_per_lot_and_an_incomplete_sheet_is_refused(client, auth, users, opened):
    auth.login(users["evaluator"])
    client.post(f"/evaluator/tenders/{opened.public_id}/declaration", data={"no_conflict": "yes"})
    missing = sheet(opened)
    del missing[f"score:{bid_of(opened, ZHUANXI)}@L2:team"]
    refused = client.post(f"/evaluator/tenders/{opened.public_id}/scores", data={**missing, "action": "submit"})
    page = text(refused)
    assert refused.status_code == 200 and "1 cells of the score sheet need attention" in page
    assert "Nothing was submitted." in page
    assert SubjectiveScore.query.count() == 0  # nothing saved, nothing lost of what was typed
    assert 'value="27"' in page
    out_of_range = sheet(opened, **{f"score:{bid_of(opened, JINCHENG)}@L2:plan": "31"})
    refused = text(
        client.post(f"/evaluator/tenders/{opened.public_id}/scores", data={**out_of_range, "action": "submit"})
    )
    assert "1 cells of the score sheet need attention" in refused and SubjectiveScore.query.count() == 0
    checked = client.post(f"/evaluator/tenders/{opened.public_id}/scores", data={**sheet(opened), "action": "review"})
    assert checked.headers["Location"].endswith("?confirm=1")  # the draft is whole: shown back to confirm
    confirm = text(client.get(checked.headers["Location"]))
    assert 'id="confirm-submission"' in confirm and "need attention" not in confirm
    client.post(f"/evaluator/tenders/{opened.public_id}/scores", data={**sheet(opened), "action": "submit"})
    stored = {(r.bid.public_id, r.lot, r.criterion_id): r.value for r in SubjectiveScore.query}
    assert len(stored) == 8
    assert (
        stored[(bid_of(opened, ZHUANXI), "L1", "plan")] == "28"
        and stored[(bid_of(opened, ZHUANXI), "L2", "plan")] == "27"
    )
    submitted = AuditRecord.query.filter_by(action="scores_submitted").one()
    assert f"{ZHUANXI} / L2" in submitted.details_json
    # a correction names the lot: 专席's L2 plan 27 → 25, its L1 plan stays 28
    corrected = client.post(
        f"/evaluator/tenders/{opened.public_id}/scores/correct",
        data={"bid": f"{bid_of(opened, ZHUANXI)}@L2", "criterion": "plan", "value": "25", "reason": "summation error"},
    )
    assert corrected.status_code == 302
    stored = {(r.bid.public_id, r.lot, r.criterion_id): r.value for r in SubjectiveScore.query}
    assert (
        stored[(bid_of(opened, ZHUANXI), "L2", "plan")] == "25"
        and stored[(bid_of(opened, ZHUANXI), "L1", "plan")] == "28"
    )
    assert AuditRecord.query.filter_by(action="score_corrected").one().details["lot"] == "L2"


def test_each_lot_is_ranked_alone_and_awarded_lot_by_lot(client, auth, users, opened):
    score_and_sign(client, auth, users, opened)
    auth.login(users["buyer"])
    page = text(client.get(f"/results/{opened.public_id}"))
    l1 = page.split('id="ranking-L1"')[1].split("</table>")[0]
    rows = l1.split("<tr data-vendor=")[1:]
    assert ZHUANXI in rows[0] and "59,976.67" in rows[0] and "24.74" in rows[0] and "91.74" in rows[0]
    assert HENGXIN in rows[1] and "49,466.67" in rows[1] and "83.00" in rows[1]
    l2 = page.split('id="ranking-L2"')[1].split("</table>")[0]
    assert ZHUANXI in l2 and JINCHENG in l2 and "26,166.67" in l2 and HENGXIN not in l2
    awards = page.split('id="lot-awards"')[1].split("</table>")[0]
    award_l1 = awards.split('id="lot-award-L1"')[1].split("</tr>")[0]
    award_l2 = awards.split('id="lot-award-L2"')[1].split("</tr>")[0]
    assert ZHUANXI in award_l1 and "rank 1, share 1.00" in award_l1
    assert JINCHENG in award_l2 and "rank 2, share 1.00" in award_l2
    assert (
        f"'{ZHUANXI}' (rank 1) already holds 1 awarded lot(s), the most one vendor may win (1): skipped in this lot"
        in award_l2
    )


def test_the_buyers_award_makes_one_contract_per_lot(client, auth, users, opened):
    score_and_sign(client, auth, users, opened)
    auth.login(users["buyer"])
    form = text(client.get(f"/buyer/tenders/{opened.public_id}/award"))
    assert "Lot L1 · Winner for share 1.00" in form and "Lot L2 · Winner for share 1.00" in form
    l2_options = form.split('name="share-1"')[1].split("</select>")[0]
    assert HENGXIN not in l2_options  # only L2's ranked bids may take L2
    # a bid that did not bid for the lot is refused, nothing confirmed
    refused = client.post(
        f"/buyer/tenders/{opened.public_id}/award",
        data={"share-0": bid_of(opened, ZHUANXI), "share-1": bid_of(opened, HENGXIN), "reason": "x"},
    )
    assert refused.status_code == 200 and Contract.query.count() == 0
    assert "choose a different ranked, valid bid for each share" in text(refused)
    confirmed = client.post(
        f"/buyer/tenders/{opened.public_id}/award",
        data={"share-0": bid_of(opened, ZHUANXI), "share-1": bid_of(opened, JINCHENG)},
    )
    assert confirmed.status_code == 302
    contracts = {(c.lot, c.vendor_name): c.predicted_cost for c in Contract.query}
    assert set(contracts) == {("L1", ZHUANXI), ("L2", JINCHENG)}
    page = text(client.get(f"/results/{opened.public_id}"))
    award = page.split('id="award"')[1].split("</ul>")[0]
    assert f"Lot L1: <strong>{ZHUANXI}</strong>" in award and f"Lot L2: <strong>{JINCHENG}</strong>" in award
    record = AuditRecord.query.filter_by(action="award_confirmed").one()
    assert '"lot": "L2"' in record.details_json
    auth.logout()
    auth.login(users["vendor"])  # 专席 sees its own line in each lot, and which it won
    outcome = text(client.get(f"/vendor/bids/{bid_of(opened, ZHUANXI)}/outcome"))
    mine = outcome.split('id="my-lots"')[1].split("</table>")[0]
    assert "Your bid is awarded (share 1.00)." in mine.split('id="my-lot-L1"')[1].split("</tr>")[0]
    assert "1 / 2" in mine.split('id="my-lot-L2"')[1].split("</tr>")[0]
    assert JINCHENG not in mine and HENGXIN not in mine
    notice = outcome.split("</table>")[0]  # the public result notice: each lot's winner
    assert f"Lot L1 · {ZHUANXI}" in notice and f"Lot L2 · {JINCHENG}" in notice


def _workbook_text(data: bytes, last: int | None = None) -> str:
    """The workbook's cells as text; ``last``: only the sheets before that index (-1: all but the audit trail)."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets[:last]
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def _award_sheet(data: bytes) -> list[tuple]:
    """The rows of the workbook's award table across the lots, below its header."""
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True)["Awards by lot"]
    rows = [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Lot")
    return [row[:4] for row in rows[header + 1 :] if row and row[0]]


def _document_text(data: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_both_reports_are_per_lot_with_the_award_table(client, auth, users, opened):
    score_and_sign(client, auth, users, opened)
    auth.login(users["buyer"])
    page = text(client.get(f"/results/{opened.public_id}"))
    assert f"/results/{opened.public_id}/report.xlsx?lot=L2" in page
    workbook = client.get(f"/results/{opened.public_id}/report.xlsx?lot=L2")
    assert workbook.status_code == 200 and "-L2" in workbook.headers["Content-Disposition"]
    sheets = _workbook_text(workbook.data, last=-1)  # the audit trail (every bid's opening) aside
    assert "标包 L2：京东自营店 售后服务" in sheets  # titled with its lot
    assert JINCHENG in sheets and "26166.67" in sheets.replace(",", "") and HENGXIN not in sheets  # L2's bidders only
    awards = _award_sheet(workbook.data)  # the award table across the lots
    assert awards[0] == ("L1", "天猫旗舰店 售前咨询", f"{ZHUANXI} (rank 1, share 1.00)", "—")
    assert awards[1][:3] == ("L2", "京东自营店 售后服务", f"{JINCHENG} (rank 2, share 1.00)")
    assert (
        f"'{ZHUANXI}' (rank 1) already holds 1 awarded lot(s), the most one vendor may win (1): skipped in this lot"
        in awards[1][3]
    )
    document = _document_text(client.get(f"/results/{opened.public_id}/report.docx?lot=L1").data)
    assert "标包 L1：天猫旗舰店 售前咨询" in document and "91.74" in document and "83.00" in document
    assert "Awards lot by lot" in document and f"{JINCHENG} (rank 2, share 1.00)" in document
    # no lot named: the buyer is sent back to choose one, nothing is built
    missing = client.get(f"/results/{opened.public_id}/report.xlsx")
    assert missing.status_code == 302 and missing.headers["Location"].endswith(f"/results/{opened.public_id}")
    assert "Choose one lot of the tender for its report." in text(client.get(missing.headers["Location"]))
    exported = [r.details for r in AuditRecord.query.filter_by(action="report_exported")]
    assert [(d["kind"], d.get("lot")) for d in exported] == [("xlsx", "L2"), ("docx", "L1")]


def test_no_page_fails_once_the_lots_are_scored_and_awarded(app, client, auth, users, opened):
    """The route walk of every role, once the panel has scored (prices visible to it) and the
    buyer has awarded both lots: every page of a lot tender answers, none fails."""
    from tender.models import BidVersion, StoredFile, User
    from tests.integration.security.test_sealing import login, walk

    score_and_sign(client, auth, users, opened)
    auth.login(users["buyer"])
    client.post(
        f"/buyer/tenders/{opened.public_id}/award",
        data={"share-0": bid_of(opened, ZHUANXI), "share-1": bid_of(opened, JINCHENG)},
    )
    auth.logout()
    versions = db.session.query(BidVersion).all()
    ids = {
        "public_id": [opened.public_id],
        "bid_id": [v.bid.public_id for v in versions],
        "version_id": [v.public_id for v in versions],
        "file_id": [f.public_id for f in StoredFile.query],
        "user_id": [u.public_id for u in User.query],
        "contract_id": [c.public_id for c in Contract.query],
    }
    failing = []
    for role in ("buyer", "evaluator", "vendor"):
        walker = app.test_client()
        login(walker, users[role])
        failing += [f"{role} {path} ({status})" for path, status, _body in walk(app, walker, ids) if status >= 500]
    assert not failing, "\n".join(failing)
    evaluator = app.test_client()
    login(evaluator, users["evaluator"])
    scores = text(evaluator.get(f"/evaluator/tenders/{opened.public_id}/scores"))
    panel = scores.split('id="panel-scores"')[1].split("</table>")[0]
    assert f"L2 · {JINCHENG}" in panel and f"L1 · {ZHUANXI}" in panel and ">27<" in panel.replace(" ", "")
    prices = scores.split('id="prices"')[1].split("</table>")[0]  # each lot's cost of each bid
    assert f"L1 · {ZHUANXI}" in prices and "59,976.67" in prices and "26,166.67" in prices and "49,466.67" in prices


def test_a_final_offer_per_lot_is_ranked_in_its_lot(app, client, auth, users):
    """§12 with §13 on the web: the panel scores each lot, the buyer opens the round, 苏州专席
    lowers L2 to 4,000 per agent-shift (4,000 × 6 + peak 366.67 = 24,366.67; first 26,166.67)
    and keeps L1 (59,976.67). L2 is ranked on the final offer: 专席 30.00 on price (the lowest),
    锦程 keeps its first offer."""
    import io

    from tender.demo.files import fill_quote
    from tender.documents.quote_template import build_quote_template
    from tender.models import FinalRound
    from tender.platform.timefmt import local_input_value

    definition = lots_definition()
    definition.update(min_valid_bids=1, final_offer=True)
    tender = tender_service.publish(users["buyer"], tender_service.save_draft(users["buyer"], definition))
    third = make_user("vendor", "vendor3@example.cn", "Vendor Sun", company=JINCHENG)
    jincheng = lot_bid("jincheng")
    jincheng["lots"]["L2"]["prices"]["ticket"] = 8
    only_l1 = lot_bid("hengxin")
    del only_l1["lots"]["L2"]
    for user, bid in ((users["vendor"], lot_bid("zhuanxi")), (users["other_vendor"], only_l1), (third, jincheng)):
        bid_through_the_web(client, auth, user, tender, bid)
    opening.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
    open_now(users["buyer"], tender)
    auth.login(users["evaluator"])
    client.post(f"/evaluator/tenders/{tender.public_id}/declaration", data={"no_conflict": "yes"})
    assert (
        client.post(
            f"/evaluator/tenders/{tender.public_id}/scores", data={**sheet(tender), "action": "submit"}
        ).status_code
        == 302
    )
    auth.logout()
    auth.login(users["buyer"])
    deadline = local_input_value(utcnow() + dt.timedelta(days=2))
    assert client.post(f"/buyer/tenders/{tender.public_id}/final-round", data={"deadline": deadline}).status_code == 302
    auth.logout()
    auth.login(users["vendor"])
    final = lot_bid("zhuanxi")
    final["lots"]["L2"]["monthly_per_agent"] = 4000
    template = build_quote_template(tender.definition(), tender_id=tender.public_id, version=tender.version)
    uploaded = client.post(
        f"/vendor/tenders/{tender.public_id}/final-offer",
        data={"quote": (io.BytesIO(fill_quote(template, final)), "最后报价单.xlsx")},
    )
    assert uploaded.status_code == 302, text(uploaded)
    offer_id = uploaded.headers["Location"].rsplit("/", 1)[1]
    assert client.post(f"/vendor/final-offers/{offer_id}/confirm").status_code == 302
    auth.logout()
    db.session.query(FinalRound).filter_by(tender_id=tender.id).one().deadline = utcnow() - dt.timedelta(minutes=3)
    db.session.commit()
    auth.login(users["buyer"])
    assert client.post(f"/buyer/tenders/{tender.public_id}/final-round/open").status_code == 302
    # the round's opening record: each vendor's first and final cost, lot by lot
    record = text(client.get(f"/results/{tender.public_id}/final-offers")).split('id="final-record"')[1]
    zhuanxi = record.split(f'data-vendor="{ZHUANXI}"')[1].split("</tr>")[0]
    first, final = zhuanxi.split('class="first">')[1:], zhuanxi.split('class="final">')[1:]
    assert [cell.split("<")[0] for cell in first] == ["59,976.67", "26,166.67"]
    assert [cell.split("<")[0] for cell in final] == ["59,976.67", "24,366.67"]  # both lots on its final sheet
    jincheng = record.split(f'data-vendor="{JINCHENG}"')[1].split("</tr>")[0]
    assert (
        'data-lot="L2"' in jincheng and "none: the first offer stands" in jincheng and 'class="final"' not in jincheng
    )
    assert "L1" not in jincheng  # it bid for L2 only
    opened_audit = AuditRecord.query.filter_by(action="final_offers_opened").one().details
    assert opened_audit["offers"][0]["lots"] == {"L1": "59976.67", "L2": "24366.67"}
    auth.logout()
    auth.login(users["evaluator"])
    assert client.post(f"/evaluator/tenders/{tender.public_id}/close", data={"understood": "yes"}).status_code == 302
    assert (
        client.post(
            f"/evaluator/tenders/{tender.public_id}/sign", data={"understood": "yes", "password": PASSWORD}
        ).status_code
        == 302
    )
    auth.logout()
    auth.login(users["buyer"])
    page = text(client.get(f"/results/{tender.public_id}"))
    l2 = page.split('id="ranking-L2"')[1].split("</table>")[0]
    row = l2.split("<tr data-vendor=")[1]
    assert ZHUANXI in row and "24,366.67" in row and "final offer; first 26,166.67" in row and "30.00" in row
    l1 = page.split('id="ranking-L1"')[1].split("</table>")[0]
    zhuanxi_l1 = next(r for r in l1.split("<tr data-vendor=")[1:] if ZHUANXI in r)
    assert "59,976.67" in zhuanxi_l1  # L1 unchanged by its final sheet


def test_a_large_lot_tender_builds_each_lots_report_as_a_job(client, auth, users, opened, monkeypatch):
    """Above the threshold each lot's report is a background job naming its lot; a job for no
    lot fails with the reason, and builds nothing."""
    from tender.results import routes as results_view

    monkeypatch.setattr(results_view, "REPORT_JOB_THRESHOLD", 2)  # three opened bids
    auth.login(users["buyer"])
    page = text(client.get(f"/results/{opened.public_id}"))
    assert page.count(f'action="/jobs/report/{opened.public_id}"') == 4 and 'name="lot" value="L2"' in page
    response = client.post(f"/jobs/report/{opened.public_id}", data={"kind": "xlsx", "lot": "L2"})
    status = client.get(f"{response.headers['Location']}/status").get_json()
    assert status["status"] == "finished" and "-L2-draft.xlsx" in status["filename"]  # not signed yet: a draft
    ranking = _workbook_text(client.get(status["file_url"]).data, last=1)  # its first sheet: L2's ranking
    assert "标包 L2：京东自营店 售后服务" in ranking and JINCHENG in ranking and HENGXIN not in ranking
    response = client.post(f"/jobs/report/{opened.public_id}", data={"kind": "xlsx"})
    status = client.get(f"{response.headers['Location']}/status").get_json()
    assert status["status"] == "failed" and "Choose one lot of the tender for its report." in str(status)


def test_a_lot_tender_reads_its_panel_once_and_a_report_reads_no_sealed_bid_again(
    app, client, auth, users, opened, monkeypatch
):
    """The web app on a tender of many lots (bench/lots_web_bench.py): the evaluation reads the
    scores of every lot in one statement, not once per lot, and a lot's report, the evaluation
    kept, neither reads nor decrypts the sealed bids again — and ranks as the page does."""
    from sqlalchemy import event

    from tender.platform import storage
    from tender.services import results as results_service

    score_and_sign(client, auth, users, opened)
    statements = []
    listener = lambda *args: statements.append(args[2].lower())  # noqa: E731  (conn, cursor, statement, …)
    unsealed = []
    unseal = storage.unseal_json
    monkeypatch.setattr(storage, "unseal_json", lambda *args: unsealed.append(args[1]) or unseal(*args))
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            monkeypatch.setattr(results_service, "_evaluations", results_service._Evaluations(4))
            evaluation = results_service.inputs(opened)  # cold: both lots evaluated
            assert [item.lot.id for item in evaluation.result.lots] == ["L1", "L2"]
            assert [line.vendor for line in evaluation.result.lot("L1").result.bids[:2]] == [ZHUANXI, HENGXIN]
            assert sum("from subjective_score" in s for s in statements) == 1
            assert len(unsealed) == 3  # the three bids, each read once
            statements.clear(), unsealed.clear()
            auth.login(users["buyer"])
            document = _document_text(client.get(f"/results/{opened.public_id}/report.docx?lot=L1").data)
            assert "91.74" in document and "83.00" in document
            assert unsealed == [] and not any("from bid_version" in s for s in statements)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
