"""The round of final offers on the web (domain §12), through the test client, with the
worked example of conftest.py on a tender that allows final offers.

First offers (conftest.py): 杭州云客服 52,266.67; 广州金豆 18,000.00 (abnormally low, rejected
by the panel: not invited); 南京恒信 49,466.67; 苏州专席 59,976.67.

Final offers:
- 南京恒信 lowers its commission from 2 % to 1.5 %: 1,500 × 12 + 0.015 × 1,500,000 = 40,500
  + one-time 800 + peak 666.67 = 41,966.67;
- 苏州专席 lowers its fee per agent from 5,200 to 4,600: (4,600 × 12 + peak 733.33) × 0.95
  = 55,933.33 × 0.95 = 53,136.67;
- 杭州云客服 tries new inquiries at 2.60 instead of 2.50: 15,600 × 2.60 + 8,400 × 1.50 + 666.67
  = 53,826.67 > 52,266.67 — refused at upload with both figures; its first offer stands.

Ranking on the final offers (benchmark 41,966.67, the lowest valid price):
  苏州专席   30 × 41,966.67 / 53,136.67 = 23.69 + 10 + 10 + 5 + 27 + 14 = 89.69  (rank 1)
  杭州云客服 30 × 41,966.67 / 52,266.67 = 24.09 + 10 + 10 + 5 + 25 + 13 = 87.09  (rank 2)
  南京恒信   30.00                              +  8 + 10 + 5 + 22 + 11 = 86.00  (rank 3)
(on the first offers 杭州云客服 won with 91.39: the round changes the winner).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tender.models import AuditRecord, FinalOffer, FinalRound, Notification, Tender, utcnow
from tender.platform.extensions import db
from tender.platform.timefmt import local_input_value
from tender.services import opening as opening_service
from tender.services import results as results_service
from tests.integration.evaluation.conftest import VENDORS, move_times
from tests.integration.evaluation.helpers import close_and_sign, page, whole_panel_scores
from tests.integration.helpers import published, quote_file, sample_bid, submit

HENGXIN, ZHUANXI, YUNKEFU = VENDORS["hengxin"], VENDORS["zhuanxi"], VENDORS["yunkefu"]


@pytest.fixture
def final_tender(people):
    """The worked example's four bids on a tender with a round of final offers, opened."""
    tender = published(people["buyer"], final_offer=True)
    for key in VENDORS:
        submit(people[key], tender, sample_bid(key))
    for number in (1, 2, 3):
        opening_service.assign(people["buyer"], tender.public_id, people[f"expert{number}"].public_id)
    move_times(tender, 35, 5)
    opening_service.open_bids(people["buyer"], tender.public_id)
    return tender


def final_sheet(tender, key: str, **pricing) -> dict:
    bid = sample_bid(key)
    bid["pricing"] = {**bid["pricing"], **pricing}
    return {"quote": (io.BytesIO(quote_file(tender, bid)), "最后报价单.xlsx")}


def in_two_days() -> str:
    return local_input_value(utcnow() + dt.timedelta(days=2))


def open_round(client, auth, people, tender):
    auth.login(people["buyer"])
    response = client.post(f"/buyer/tenders/{tender.public_id}/final-round", data={"deadline": in_two_days()})
    auth.logout()
    return response


def send_final(client, auth, people, tender, key: str, **pricing):
    """The vendor uploads its final sheet and confirms it; the preview page's text."""
    auth.login(people[key])
    response = client.post(f"/vendor/tenders/{tender.public_id}/final-offer", data=final_sheet(tender, key, **pricing))
    assert response.status_code == 302, page(response)
    preview = page(client.get(response.headers["Location"]))
    offer_id = response.headers["Location"].rsplit("/", 1)[1]
    confirmed = client.post(f"/vendor/final-offers/{offer_id}/confirm")
    assert confirmed.headers["Location"].endswith(f"/vendor/final-offers/{offer_id}/receipt")
    receipt = page(client.get(confirmed.headers["Location"]))
    auth.logout()
    return preview, receipt


def pass_round_deadline(tender) -> None:
    final_round = db.session.query(FinalRound).filter_by(tender_id=tender.id).one()
    final_round.deadline = utcnow() - dt.timedelta(minutes=3)  # and the grace after it
    db.session.commit()


def actions(tender) -> list[str]:
    return [r.action for r in db.session.query(AuditRecord).order_by(AuditRecord.seq)]


def test_a_round_of_final_offers_from_the_technical_scores_to_the_ranking(client, auth, people, final_tender):
    tender = final_tender
    whole_panel_scores(client, auth, tender, people, sign=False)
    # every score is in, but the evaluation waits for the final offers
    assert tender.current_status == "opened"
    assert results_service.result(tender).winners[0] == YUNKEFU  # on the first offers (91.39)
    auth.login(people["expert1"])
    assert "Every score is in; the ranking waits for the round of final offers." in page(client.get("/evaluator/"))
    auth.logout()

    # The buyer opens the round: a deadline in the past is refused, nothing is opened.
    auth.login(people["buyer"])
    form = page(client.get(f"/buyer/tenders/{tender.public_id}/final-round"))
    assert "Open the round of final offers" in form
    past = local_input_value(utcnow() - dt.timedelta(hours=1))
    client.post(f"/buyer/tenders/{tender.public_id}/final-round", data={"deadline": past})
    assert "the deadline of the final offers must be in the future" in page(
        client.get(f"/buyer/tenders/{tender.public_id}/final-round")
    )
    assert db.session.query(FinalRound).count() == 0
    auth.logout()
    assert open_round(client, auth, people, tender).status_code == 302
    assert tender.current_status == "final_round"
    # the three valid bidders are invited and told; 广州金豆 (rejected) is not
    told = {n.user.vendor_profile.company_name for n in Notification.query.filter_by(kind="final_round_opened")}
    assert told == {YUNKEFU, HENGXIN, ZHUANXI}
    auth.login(people["jindou"])
    assert client.get(f"/vendor/tenders/{tender.public_id}/final-offer").status_code == 404
    auth.logout()

    # A dearer final offer is refused at upload with both figures; nothing is stored.
    auth.login(people["yunkefu"])
    refused = client.post(
        f"/vendor/tenders/{tender.public_id}/final-offer", data=final_sheet(tender, "yunkefu", new_rate=2.6)
    )
    assert refused.status_code == 400
    assert "the final offer's monthly cost 53826.67 is higher than the first offer's 52266.67" in page(refused)
    assert db.session.query(FinalOffer).count() == 0
    auth.logout()

    # Two final offers: the preview shows both costs, the receipt the final one.
    preview, receipt = send_final(client, auth, people, tender, "hengxin", commission_rate=0.015)
    assert "49,466.67" in preview and "41,966.67" in preview
    assert "41,966.67" in receipt
    preview, _receipt = send_final(client, auth, people, tender, "zhuanxi", monthly_per_agent=4600)
    assert "59,976.67" in preview and "53,136.67" in preview

    # Sealed until the deadline: the buyer sees a count, never a figure; nobody opens them early.
    auth.login(people["buyer"])
    round_page = page(client.get(f"/buyer/tenders/{tender.public_id}/final-round"))
    assert '<dd id="received">2</dd>' in round_page and "41,966.67" not in round_page
    assert client.get(f"/results/{tender.public_id}/final-offers").status_code == 302
    assert "41,966.67" not in page(client.get(f"/results/{tender.public_id}"))
    early = client.post(f"/buyer/tenders/{tender.public_id}/final-round/open")
    assert early.status_code == 302
    assert "Final offers are opened after the round's deadline." in page(client.get(early.headers["Location"]))
    auth.logout()

    # the lists' query knows the round's clock too
    assert Tender.query.filter(Tender.status_in(("final_round",), utcnow())).all() == [tender]
    # After the deadline a vendor can no longer send one; the buyer opens them.
    pass_round_deadline(tender)
    assert Tender.query.filter(Tender.status_in(("final_round",), utcnow())).all() == []
    assert Tender.query.filter(Tender.status_in(("final_round_closed",), utcnow())).all() == [tender]
    auth.login(people["yunkefu"])
    late = client.post(
        f"/vendor/tenders/{tender.public_id}/final-offer", data=final_sheet(tender, "yunkefu", new_rate=2.4)
    )
    assert "A final offer is accepted only before the round's deadline." in page(client.get(late.headers["Location"]))
    auth.logout()
    auth.login(people["buyer"])
    opened = client.post(f"/buyer/tenders/{tender.public_id}/final-round/open")
    assert opened.headers["Location"].endswith(f"/results/{tender.public_id}/final-offers")
    record = page(client.get(opened.headers["Location"]))
    assert '<dd id="offers-received">2</dd>' in record
    assert 'id="few-offers"' in record  # 2 final offers, fewer than 3
    rows = record.split("<tbody>")[1].split("</tbody>")[0].split("<tr data-vendor=")[1:]
    assert YUNKEFU in rows[0] and "52,266.67" in rows[0] and "none: the first offer stands" in rows[0]
    assert HENGXIN in rows[1] and "49,466.67" in rows[1] and "41,966.67" in rows[1] and "✓" in rows[1]
    assert ZHUANXI in rows[2] and "59,976.67" in rows[2] and "53,136.67" in rows[2]

    # The ranking on the final offers; the chair closes, the panel signs: the evaluation is complete.
    assert tender.current_status == "opened"
    auth.logout()
    close_and_sign(client, auth, tender, people)
    assert tender.current_status == "evaluated"
    auth.login(people["buyer"])
    result = results_service.result(tender).to_json()
    totals = {
        b["vendor"]: (b["total"], b["rank"], b["monthly_cost"], b["first_monthly_cost"])
        for b in result["bids"]
        if b.get("rank")
    }
    assert totals == {
        ZHUANXI: ("89.69", 1, "53136.67", "59976.67"),
        YUNKEFU: ("87.09", 2, "52266.67", "52266.67"),
        HENGXIN: ("86.00", 3, "41966.67", "49466.67"),
    }
    shown = page(client.get(f"/results/{tender.public_id}"))
    assert "89.69" in shown and "41,966.67" in shown and 'id="final-record-link"' in shown
    assert "final offer; first 49,466.67" in shown and "final offer; first 59,976.67" in shown
    auth.logout()
    done = actions(tender)
    for action in (
        "final_round_opened",
        "final_offer_refused",
        "final_offer_uploaded",
        "final_offer_submitted",
        "final_offers_opening_refused",
        "final_offer_refused_late",
        "final_offers_opened",
        "evaluation_completed",
    ):
        assert action in done, action
    assert done.index("final_offers_opened") < done.index("evaluation_completed")
    # the invited vendors and the panel are told the final offers are opened (never a figure)
    told = Notification.query.filter_by(kind="final_offers_opened").all()
    assert len(told) == 3 + 3 and all(n.params["count"] == 2 for n in told)


def test_the_round_opens_only_after_every_technical_score_and_only_once(client, auth, people, final_tender):
    tender = final_tender
    auth.login(people["buyer"])
    waiting = page(client.get(f"/buyer/tenders/{tender.public_id}/final-round"))
    assert "once every evaluator has submitted the technical scores (0 of 3 so far)" in waiting
    client.post(f"/buyer/tenders/{tender.public_id}/final-round", data={"deadline": in_two_days()})
    assert db.session.query(FinalRound).count() == 0
    auth.logout()
    whole_panel_scores(client, auth, tender, people, sign=False)
    assert open_round(client, auth, people, tender).status_code == 302
    pass_round_deadline(tender)
    auth.login(people["buyer"])
    client.post(f"/buyer/tenders/{tender.public_id}/final-round/open")
    again = client.post(f"/buyer/tenders/{tender.public_id}/final-round", data={"deadline": in_two_days()})
    assert "There is only one round of final offers, and it has been held." in page(
        client.get(again.headers["Location"])
    )
    assert db.session.query(FinalRound).count() == 1
    # no final offer came: every first offer stands and the ranking is the first one's
    auth.logout()
    close_and_sign(client, auth, tender, people)
    assert tender.current_status == "evaluated"
    auth.login(people["buyer"])
    result = results_service.result(tender).to_json()
    assert [b["vendor"] for b in result["bids"] if b.get("rank")][:1] == [YUNKEFU]
    assert "few-offers" in page(client.get(f"/results/{tender.public_id}/final-offers"))


def test_a_tender_without_final_offers_has_no_round(client, auth, people, opened_tender):
    whole_panel_scores(client, auth, opened_tender, people)
    assert opened_tender.current_status == "evaluated"  # completes at once, as before
    auth.login(people["buyer"])
    assert client.get(f"/buyer/tenders/{opened_tender.public_id}/final-round").status_code == 404
    client.post(f"/buyer/tenders/{opened_tender.public_id}/final-round", data={"deadline": in_two_days()})
    assert db.session.query(FinalRound).count() == 0
    auth.logout()
    auth.login(people["yunkefu"])
    assert client.get(f"/vendor/tenders/{opened_tender.public_id}/final-offer").status_code == 404


def test_a_vendor_sees_only_its_own_final_offer(client, auth, people, final_tender):
    whole_panel_scores(client, auth, final_tender, people, sign=False)
    open_round(client, auth, people, final_tender)
    send_final(client, auth, people, final_tender, "hengxin", commission_rate=0.015)
    offer = db.session.query(FinalOffer).one()
    auth.login(people["zhuanxi"])
    for path in (
        f"/vendor/final-offers/{offer.public_id}",
        f"/vendor/final-offers/{offer.public_id}/receipt",
        f"/vendor/final-offers/{offer.public_id}/sheet.xlsx",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/vendor/final-offers/{offer.public_id}/confirm").status_code == 404
    auth.logout()
    auth.login(people["hengxin"])
    sheet = client.get(f"/vendor/final-offers/{offer.public_id}/sheet.xlsx")
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"


def test_a_final_offer_on_a_tender_priced_month_by_month(client, auth, app):
    """§12 with §10 (samples/year): 宁波包月通 raises its package's inquiries from 40,000 to 50,000.
    Nine quiet months stay at 60,000; June 90,000 inquiries → 60,000 + 40,000 × 2.20 + 200 × 6 × 3
    = 151,600; November 135,000 → 60,000 + 85,000 × 2.20 + 200 × 6 × 11 = 260,200; December 48,000
    → 60,000 + 200 × 6 × 2 = 62,400: contract 1,014,200.00, P = 84,516.67 (first 1,075,800.00,
    89,650.00)."""
    from tender.services import tenders as tender_service
    from tests.conftest import make_user
    from tests.integration.year_tender import (
        BAOYUETONG,
        EVALUATORS,
        KEYS,
        score_as_the_sample_panel,
        year_bid,
        year_people,
        year_tender,
    )

    buyer = make_user("buyer", "year-buyer@example.cn", "Buyer Year")
    people = year_people()
    tender = tender_service.publish(buyer, tender_service.save_draft(buyer, {**year_tender(), "final_offer": True}))
    for key in KEYS:
        submit(people[key], tender, year_bid(key))
    for name in EVALUATORS:
        opening_service.assign(buyer, tender.public_id, people[name].public_id)
    move_times(tender, 35, 5)
    opening_service.open_bids(buyer, tender.public_id)
    score_as_the_sample_panel(client, auth, tender, people)
    assert tender.current_status == "opened"
    auth.login(buyer)
    assert (
        client.post(f"/buyer/tenders/{tender.public_id}/final-round", data={"deadline": in_two_days()}).status_code
        == 302
    )
    auth.logout()
    final = year_bid("baoyuetong")
    final["pricing"]["included_inquiries"] = 50000
    auth.login(people["baoyuetong"])
    uploaded = client.post(
        f"/vendor/tenders/{tender.public_id}/final-offer",
        data={"quote": (io.BytesIO(quote_file(tender, final)), "最后报价单.xlsx")},
    )
    assert uploaded.status_code == 302, page(uploaded)
    preview = page(client.get(uploaded.headers["Location"]))
    assert "89,650.00" in preview and "84,516.67" in preview
    client.post(uploaded.headers["Location"] + "/confirm")
    auth.logout()
    pass_round_deadline(tender)
    auth.login(buyer)
    client.post(f"/buyer/tenders/{tender.public_id}/final-round/open")
    line = next(b for b in results_service.result(tender).to_json()["bids"] if b["vendor"] == BAOYUETONG)
    assert (line["monthly_cost"], line["first_monthly_cost"], line["contract_cost"]) == (
        "84516.67",
        "89650.00",
        "1014200.00",
    )
    assert [m["cost"] for m in line["monthly_costs"]][5] == "151600.00"  # June


def test_a_sheet_received_before_the_deadline_may_be_confirmed_within_the_grace(client, auth, people, final_tender):
    """As for first bids (CONFIRM_GRACE_SECONDS, 120 s): uploaded 30 s before the deadline,
    confirmed 60 s after it, received at its upload; the buyer opens the offers after the grace."""
    from tender.services import final_offers

    whole_panel_scores(client, auth, final_tender, people, sign=False)
    open_round(client, auth, people, final_tender)
    deadline = db.session.query(FinalRound).one().deadline
    bid = sample_bid("hengxin")
    bid["pricing"]["commission_rate"] = 0.015
    offer = final_offers.upload(
        people["hengxin"],
        final_tender.public_id,
        "最后报价单.xlsx",
        quote_file(final_tender, bid),
        now=deadline - dt.timedelta(seconds=30),
    )
    too_soon = deadline + dt.timedelta(seconds=100)
    with pytest.raises(Exception, match="may still be confirmed until"):
        final_offers.open_offers(people["buyer"], final_tender.public_id, now=too_soon)
    confirmed = final_offers.confirm(people["hengxin"], offer.public_id, now=deadline + dt.timedelta(seconds=60))
    assert confirmed.submitted_at == deadline - dt.timedelta(seconds=30)
    with pytest.raises(Exception, match="only before the round's deadline"):  # uploaded after it: refused
        final_offers.upload(
            people["zhuanxi"],
            final_tender.public_id,
            "最后报价单.xlsx",
            quote_file(final_tender, sample_bid("zhuanxi")),
            now=deadline + dt.timedelta(seconds=10),
        )
    final_offers.open_offers(people["buyer"], final_tender.public_id, now=deadline + dt.timedelta(seconds=121))
    line = next(b for b in results_service.result(final_tender).to_json()["bids"] if b["vendor"] == HENGXIN)
    assert (line["monthly_cost"], line["first_monthly_cost"]) == ("41966.67", "49466.67")


def test_a_final_sheet_that_no_longer_matches_its_receipt_is_flagged_and_not_scored(client, auth, people, final_tender):
    """The opening re-computes each sheet's SHA-256: a stored sheet changed since its receipt is
    flagged on the round's record and its final offer is not scored — the first offer stands."""
    from tender.platform import storage

    whole_panel_scores(client, auth, final_tender, people, sign=False)
    open_round(client, auth, people, final_tender)
    send_final(client, auth, people, final_tender, "hengxin", commission_rate=0.015)
    offer = db.session.query(FinalOffer).one()
    offer.blob = storage.seal(b"PK not the sheet that was received", f"final_offer_file:{offer.public_id}")
    db.session.commit()
    pass_round_deadline(final_tender)
    auth.login(people["buyer"])
    record = page(
        client.get(client.post(f"/buyer/tenders/{final_tender.public_id}/final-round/open").headers["Location"])
    )
    row = record.split("<tbody>")[1].split("</tbody>")[0].split("<tr data-vendor=")[2]
    assert HENGXIN in row and "A stored file no longer matches the SHA-256 on its receipt." in row
    assert db.session.query(FinalOffer).one().hash_ok is False
    line = next(b for b in results_service.result(final_tender).to_json()["bids"] if b["vendor"] == HENGXIN)
    assert line["monthly_cost"] == "49466.67"  # the first offer stands
