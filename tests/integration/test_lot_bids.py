"""A tender divided into lots (标包, domain §13) on the web: the vendor's price sheet has one
pricing sheet per lot (an empty one is no bid for that lot), the reader names the lot and the
cell of a mistake, and the preview, the receipt and the opening record give each lot's cost.

samples/lots/tender.json: L1 天猫旗舰店 售前咨询 (12 agent-shifts, 10 peak days × 4 extra agents),
L2 京东自营店 售后服务 (6 agent-shifts, 10 peak days × 2 extra agents).
- 苏州专席 (samples/lots/bids/zhuanxi.json), fixed fee per agent-shift:
  L1 (5,200 × 12 + 220 × 4 × 10 ÷ 12 = 733.33) × (1 − 5 %) = 63,133.33 − 3,156.67 = 59,976.67;
  L2 4,300 × 6 = 25,800 + 220 × 2 × 10 ÷ 12 = 366.67 → 26,166.67.
- 南京恒信 bids for L1 only (its L2 sheet left empty): 1,500 × 12 + 2 % × 1,500,000 + (6,000 +
  3,600) ÷ 12 + 200 × 4 × 10 ÷ 12 = 18,000 + 30,000 + 800 + 666.67 = 49,466.67.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json

import pytest

from tender.demo.files import fill_quote, make_bid_document
from tender.documents.quote_template import build_quote_template
from tender.models import BidVersion, utcnow
from tender.platform.extensions import db
from tender.platform.timefmt import to_iso_shanghai
from tender.services import opening
from tender.services import tenders as tender_service
from tests.integration.helpers import SAMPLES


def lots_definition() -> dict:
    data = json.loads((SAMPLES / "lots" / "tender.json").read_text(encoding="utf-8"))
    data.pop("published_at", None)
    deadline = (utcnow() + dt.timedelta(days=10)).replace(second=0, microsecond=0)
    data.update(
        bid_deadline=to_iso_shanghai(deadline), opening_time=to_iso_shanghai(deadline + dt.timedelta(minutes=30))
    )
    return data


def lot_bid(name: str) -> dict:
    return json.loads((SAMPLES / "lots" / "bids" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def lots_tender(app, users):
    return tender_service.publish(users["buyer"], tender_service.save_draft(users["buyer"], lots_definition()))


def files(tender, bid: dict) -> dict:
    template = build_quote_template(tender.definition(), tender_id=tender.public_id, version=tender.version)
    return {
        "quote": (io.BytesIO(fill_quote(template, bid)), "报价单.xlsx"),
        "document": (
            io.BytesIO(make_bid_document(tender.definition()["required_sections"], bid["facts"])),
            "投标文件.docx",
        ),
    }


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def bid_through_the_web(client, auth, user, tender, bid: dict) -> tuple[str, str]:
    """(preview, receipt) of a bid uploaded and confirmed by ``user``."""
    auth.login(user)
    response = client.post(f"/vendor/tenders/{tender.public_id}/bid", data=files(tender, bid))
    assert response.status_code == 302, text(response)
    preview = text(client.get(response.headers["Location"]))
    version_id = response.headers["Location"].rsplit("/", 1)[1]
    confirmed = client.post(f"/vendor/submissions/{version_id}/confirm")
    receipt = text(client.get(confirmed.headers["Location"]))
    auth.logout()
    return preview, receipt


def lot_rows(page: str) -> list[str]:
    table = page.split('id="lot-costs"')[1].split("</table>")[0]
    return [row for row in table.split("<tr>")[2:]]


def test_a_vendor_bids_for_each_lot_and_sees_each_lots_cost(client, auth, users, lots_tender):
    preview, receipt = bid_through_the_web(client, auth, users["vendor"], lots_tender, lot_bid("zhuanxi"))
    rows = lot_rows(preview)
    assert len(rows) == 2
    assert "L1" in rows[0] and "59,976.67" in rows[0]
    assert "L2" in rows[1] and "26,166.67" in rows[1]
    assert "5200.00 CNY per agent-shift per month × 12 agent-shifts = 62400.00" in preview  # L1's breakdown
    assert "4300.00 CNY per agent-shift per month × 6 agent-shifts = 25800.00" in preview  # L2's breakdown
    costs = [line for line in receipt.split('class="lot-cost"')[1:]]
    assert "59,976.67" in costs[0] and "26,166.67" in costs[1]
    auth.login(users["vendor"])
    version = db.session.query(BidVersion).one()
    assert client.get(f"/vendor/submissions/{version.public_id}/cost-curve.svg").status_code == 404


def test_an_empty_lot_sheet_is_no_bid_for_that_lot(client, auth, users, lots_tender):
    bid = lot_bid("hengxin")
    del bid["lots"]["L2"]
    preview, receipt = bid_through_the_web(client, auth, users["other_vendor"], lots_tender, bid)
    rows = lot_rows(preview)
    assert len(rows) == 1 and "L1" in rows[0] and "49,466.67" in rows[0]
    assert receipt.count('class="lot-cost"') == 1 and "49,466.67" in receipt


def test_a_mistake_in_a_lot_sheet_is_named_with_its_lot_and_cell(client, auth, users, lots_tender):
    bid = lot_bid("zhuanxi")
    bid["lots"]["L2"]["monthly_per_agent"] = "四千三"
    auth.login(users["vendor"])
    response = client.post(f"/vendor/tenders/{lots_tender.public_id}/bid", data=files(lots_tender, bid))
    assert response.status_code == 400
    problems = text(response).split('id="upload-problems"')[1].split("</div>")[0]
    assert "报价 L2!C11: fixed fee per agent-shift per month (CNY): must be an amount" in problems  # lot and cell
    assert "got '四千三'" in problems
    assert db.session.query(BidVersion).count() == 0  # nothing stored


def test_the_opening_record_lists_each_lots_cost(client, auth, users, lots_tender):
    bid_through_the_web(client, auth, users["vendor"], lots_tender, lot_bid("zhuanxi"))
    only_l1 = lot_bid("hengxin")
    del only_l1["lots"]["L2"]
    bid_through_the_web(client, auth, users["other_vendor"], lots_tender, only_l1)
    opening.assign(users["buyer"], lots_tender.public_id, users["evaluator"].public_id)
    lots_tender.published_at = utcnow() - dt.timedelta(days=1)
    lots_tender.bid_deadline = utcnow() - dt.timedelta(minutes=10)
    lots_tender.opening_time = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    opening.open_bids(users["buyer"], lots_tender.public_id)
    auth.login(users["buyer"])
    record = text(client.get(f"/results/{lots_tender.public_id}/opening-record"))
    rows = record.split('id="opening-record"')[1].split("<tbody>")[1].split("<tr>")[1:]
    assert "苏州专席" in rows[0] and "Lot L1" in rows[0] and "59,976.67" in rows[0] and "26,166.67" in rows[0]
    assert "南京恒信" in rows[1] and "49,466.67" in rows[1] and "Lot L2" not in rows[1]


def test_after_the_opening_no_page_of_a_lot_tender_fails(app, client, auth, users, lots_tender):
    """After the opening every page of a tender divided into lots works, for every role: the
    evaluator's home asks for its scores (2 lots: 苏州专席 in L1 and L2, 南京恒信 in L1 = 3 rows
    × 2 subjective criteria = 6 cells), the results page gives each lot's ranking."""
    from tender.models import StoredFile, User
    from tests.integration.security.test_sealing import login, walk

    test_the_opening_record_lists_each_lots_cost(client, auth, users, lots_tender)
    versions = db.session.query(BidVersion).all()
    ids = {
        "public_id": [lots_tender.public_id],
        "bid_id": [v.bid.public_id for v in versions],
        "version_id": [v.public_id for v in versions],
        "file_id": [f.public_id for f in StoredFile.query],
        "user_id": [u.public_id for u in User.query],
    }
    failing = []
    for role in ("buyer", "evaluator", "vendor"):
        walker = app.test_client()
        login(walker, users[role])
        failing += [f"{role} {path} ({status})" for path, status, _body in walk(app, walker, ids) if status >= 500]
    assert not failing, "\n".join(failing)
    evaluator = app.test_client()
    login(evaluator, users["evaluator"])
    declared = evaluator.post(f"/evaluator/tenders/{lots_tender.public_id}/declaration", data={"no_conflict": "yes"})
    assert declared.status_code == 302
    home = text(evaluator.get("/evaluator/"))
    assert "0 of 6" in home
    buyer = app.test_client()
    login(buyer, users["buyer"])
    results = text(buyer.get(f"/results/{lots_tender.public_id}"))
    assert 'id="ranking-L1"' in results and 'id="ranking-L2"' in results and 'id="lot-awards"' in results


def test_the_tender_page_gives_each_lots_scenario_and_ceilings(client, auth, users, lots_tender):
    auth.login(users["vendor"])
    shown = text(client.get(f"/vendor/tenders/{lots_tender.public_id}"))
    l1 = shown.split('id="lot-summary-L1"')[1].split("</section>")[0]
    l2 = shown.split('id="lot-summary-L2"')[1].split("</section>")[0]
    assert "天猫旗舰店 售前咨询" in l1 and "800" in l1 and "6 × 2" in l1 and "70,000.00" in l1  # the tender's ceiling
    assert "京东自营店 售后服务" in l2 and "300" in l2 and "3 × 2" in l2 and "32,000.00" in l2  # its own
    assert "售后工单" in l2 and ">8<" in l2.replace(" ", "")  # the ticket's unit price ceiling
    assert "Most lots one vendor may win: 1 (a vendor may bid for every lot)." in shown


def test_a_final_offer_is_read_and_checked_lot_by_lot(client, auth, users, lots_tender):
    """§12 with §13, the reading of a final price sheet: 苏州专席 lowers L2 to 4,000 per
    agent-shift (4,000 × 6 + 366.67 = 24,366.67, first 26,166.67) and leaves L1 as it was
    (59,976.67 both); an L1 at 5,500 ((5,500 × 12 + 733.33) × 0.95 = 63,396.67) is dearer than
    its first offer and refused, naming the lot and both figures."""
    from tender.services import Invalid, final_offers

    test_the_opening_record_lists_each_lots_cost(client, auth, users, lots_tender)
    item = next(i for i in opening.opened_bids(lots_tender) if "苏州专席" in i.vendor_name)
    template = build_quote_template(
        lots_tender.definition(), tender_id=lots_tender.public_id, version=lots_tender.version
    )
    final = lot_bid("zhuanxi")
    final["lots"]["L2"]["monthly_per_agent"] = 4000
    content = final_offers._priced(lots_tender, item, fill_quote(template, final), "最后报价单.xlsx")
    costs = {lot["id"]: (lot["first_monthly_cost"], lot["monthly_cost"]) for lot in content["evaluation"]["lots"]}
    assert costs == {"L1": ("59976.67", "59976.67"), "L2": ("26166.67", "24366.67")}
    assert content["final_lots"]["L2"]["monthly_per_agent"] == "4000"
    dearer = lot_bid("zhuanxi")
    dearer["lots"]["L1"]["monthly_per_agent"] = 5500
    with pytest.raises(Invalid) as refused:
        final_offers._priced(lots_tender, item, fill_quote(template, dearer), "最后报价单.xlsx")
    problem = refused.value.problems[0]
    assert problem.path == "final_lots.L1"
    assert "the final offer's monthly cost 63396.67 is higher than the first offer's 59976.67" in problem.en
