"""The buyer's pages: write, import/export, publish, amend, extend and cancel a tender."""

from __future__ import annotations

import datetime as dt
import html
import io
import json

import pytest

from scoring import parse_tender
from tender.models import AuditRecord, Tender, TenderVersion
from tender.platform.timefmt import local_input_value
from tender.services import tenders as tender_service
from tests.integration.browser import form_data
from tests.integration.helpers import definition, draft, pass_deadline, published, sample_tender, submit


def new_form(client) -> dict:
    return form_data(client.get("/buyer/tenders/new").get_data(as_text=True), "tender-form")


def test_new_tender_form_saves_a_draft(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data["title"] = "华东旗舰店 客服外包"
    data["action"] = "save"
    response = client.post("/buyer/tenders/new", data=data)
    assert response.status_code == 302
    tender = Tender.query.one()
    assert tender.status == "draft" and tender.title == "华东旗舰店 客服外包"
    stored = json.loads(tender.definition_json)
    assert stored["scenario"]["daily_inquiries"] == 800
    assert stored["scenario"]["returning_share"] == "0.35"  # decimal text, never a float
    assert sum(c["weight"] for c in stored["criteria"]) == 100
    assert AuditRecord.query.filter_by(action="tender_created").count() == 1


def test_weights_not_summing_to_100_are_refused_and_the_form_keeps_the_input(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"title": "权重测试", "criteria-0-weight": "35", "action": "save"})  # 35+10+10+35+15 = 105
    page = client.post("/buyer/tenders/new", data=data).get_data(as_text=True)
    assert "the criteria weights must sum to 100, they sum to 105" in page
    assert 'value="权重测试"' in page and 'name="criteria-0-weight" type="text" value="35"' in page
    assert "105 must be 100" in page  # the running sum, also without JavaScript
    assert Tender.query.count() == 0


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("scenario-daily_inquiries", "abc", "must be a number, got 'abc'"),
        ("scenario-returning_share", "1.5", "must be at most 1"),
        ("criteria-2-steps", "fast : 10", "line 1 must read like '<= 60 : 5'"),
        ("qualification_rules-0-value", "lots", "'>=' needs a number, got 'lots'"),
        ("sme_price_deduction", "1.2", "must be less than 1 (got 1.2)"),
    ],
)
def test_a_wrong_value_is_reported_on_its_field(client, auth, users, field, typed, message):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"title": "字段测试", field: typed, "action": "save"})
    page = html.unescape(client.post("/buyer/tenders/new", data=data).get_data(as_text=True))
    assert message in page
    # the message sits right after the field that caused it
    field_at = page.index(f'name="{field}"')
    assert page.index(message, field_at) - field_at < 1500
    assert Tender.query.count() == 0


def test_reference_prices_may_carry_a_monthly_minimum_but_not_both_minimums(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update(
        {
            "title": "月保底参考价",
            "reference_pricing-model": "per_inquiry",
            "action": "save",
            "reference_pricing-parameters": "new_rate = 0.68\nminimum_per_month = 60000\nminimum_per_agent_shift = 3000",
        }
    )
    page = html.unescape(client.post("/buyer/tenders/new", data=data).get_data(as_text=True))
    message = (
        "give only one of the minimum per agent-shift per month (CNY) and the monthly minimum, "
        "the month's total (CNY), not both"
    )
    assert message in page
    assert Tender.query.count() == 0
    data["reference_pricing-parameters"] = "new_rate = 0.68\nminimum_per_month = 60000"
    assert client.post("/buyer/tenders/new", data=data).status_code == 302
    stored = Tender.query.one().definition()["reference_pricing"]
    assert stored == {"model": "per_inquiry", "new_rate": "0.68", "minimum_per_month": 60000}


def test_rows_are_added_and_removed_without_losing_input(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"title": "行操作", "action": "add:qualification_rules"})
    page = client.post("/buyer/tenders/new", data=data).get_data(as_text=True)
    assert 'name="qualification_rules-2-subject"' in page and 'value="行操作"' in page
    data = form_data(page, "tender-form")
    data["action"] = "remove:criteria:1"  # drop 同类项目经验
    page = client.post("/buyer/tenders/new", data=data).get_data(as_text=True)
    after = form_data(page, "tender-form")
    assert [after.get(f"criteria-{i}-id") for i in range(4)] == ["price", "response", "plan", "team"]
    assert after.get("criteria-4-id") is None


def test_import_then_export_gives_the_same_tender(client, auth, users):
    auth.login(users["buyer"])
    original = definition()
    response = client.post(
        "/buyer/tenders/import",
        data={"file": (io.BytesIO(json.dumps(original, ensure_ascii=False).encode()), "tender.json")},
    )
    assert response.status_code == 302
    tender = Tender.query.one()
    exported = json.loads(client.get(f"/buyer/tenders/{tender.public_id}/export.json").get_data(as_text=True))
    assert exported == original


def test_import_reports_every_problem_with_its_path(client, auth, users):
    auth.login(users["buyer"])
    bad = sample_tender()
    bad["criteria"][0]["weight"] = 20
    bad["scenario"]["dayz_per_month"] = 30
    page = client.post(
        "/buyer/tenders/import", data={"file": (io.BytesIO(json.dumps(bad).encode()), "bad.json")}
    ).get_data(as_text=True)
    assert "scenario.dayz_per_month" in page and "they sum to 90" in page
    assert Tender.query.count() == 0


def test_editing_a_draft_round_trips_the_whole_definition(client, auth, users):
    auth.login(users["buyer"])
    tender = draft(users["buyer"])
    before = tender.definition()
    data = form_data(client.get(f"/buyer/tenders/{tender.public_id}/edit").get_data(as_text=True), "tender-form")
    data["action"] = "save"
    assert client.post(f"/buyer/tenders/{tender.public_id}/edit", data=data).status_code == 302
    after = Tender.query.one().definition()
    assert parse_tender(after) == parse_tender(before)  # the same tender, number for number
    assert after["bid_deadline"] == before["bid_deadline"]


def test_publish_makes_version_1(client, auth, users):
    auth.login(users["buyer"])
    tender = draft(users["buyer"])
    assert client.post(f"/buyer/tenders/{tender.public_id}/publish").status_code == 302
    tender = Tender.query.one()
    assert tender.status == "published" and tender.version == 1
    assert TenderVersion.query.count() == 1


def test_publish_needs_a_deadline_in_the_future(client, auth, users):
    auth.login(users["buyer"])
    tender = draft(users["buyer"], days=-1)
    client.post(f"/buyer/tenders/{tender.public_id}/publish")
    assert Tender.query.one().status == "draft"
    assert "the bid deadline has already passed" in client.get(f"/buyer/tenders/{tender.public_id}").get_data(
        as_text=True
    )


def test_amendment_is_a_new_version_with_its_note(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"], days=20)  # 15 days or more ahead: no late-amendment warning
    data = form_data(client.get(f"/buyer/tenders/{tender.public_id}/amend").get_data(as_text=True), "tender-form")
    data.update({"scenario-daily_inquiries": "900", "change_note": "日均咨询量调整为 900", "action": "save"})
    assert client.post(f"/buyer/tenders/{tender.public_id}/amend", data=data).status_code == 302
    tender = Tender.query.one()
    assert tender.version == 2 and tender.definition()["scenario"]["daily_inquiries"] == 900
    assert [v.change_note for v in tender.versions] == ["", "日均咨询量调整为 900"]
    assert AuditRecord.query.filter_by(action="tender_amended").count() == 1


def published_with_seconds(buyer):
    """A tender imported with its deadline at hh:mm:42 and its opening at hh:mm:17."""
    data = definition()
    data["bid_deadline"] = data["bid_deadline"].replace(":00+08:00", ":42+08:00")
    data["opening_time"] = data["opening_time"].replace(":00+08:00", ":17+08:00")
    return tender_service.publish(buyer, tender_service.save_draft(buyer, data)), data


def test_amending_a_tender_whose_deadline_has_seconds_keeps_it_exactly(client, auth, users):
    tender, data = published_with_seconds(users["buyer"])
    before = tender.bid_deadline
    assert before.second == 42
    auth.login(users["buyer"])
    form = form_data(client.get(f"/buyer/tenders/{tender.public_id}/amend").get_data(as_text=True), "tender-form")
    assert form["bid_deadline"] == local_input_value(before)  # shown to the minute, 42 s dropped
    form.update(
        {
            "scenario-daily_inquiries": "900",
            "change_note": "日均咨询量调整为 900",
            "action": "save",
            "accept_late_amendment": "yes",
        }
    )  # 10 days ahead: the late-amendment warning is accepted
    page = html.unescape(client.post(f"/buyer/tenders/{tender.public_id}/amend", data=form).get_data(as_text=True))
    assert "cannot bring the deadline forward" not in page
    tender = Tender.query.one()
    assert tender.version == 2 and tender.definition()["scenario"]["daily_inquiries"] == 900
    assert tender.bid_deadline == before  # kept to the second
    assert tender.definition()["bid_deadline"] == data["bid_deadline"]
    assert tender.definition()["opening_time"] == data["opening_time"]


def test_amending_still_refuses_a_deadline_brought_forward_by_a_minute(client, auth, users):
    tender, _data = published_with_seconds(users["buyer"])
    auth.login(users["buyer"])
    form = form_data(client.get(f"/buyer/tenders/{tender.public_id}/amend").get_data(as_text=True), "tender-form")
    form.update(
        {
            "bid_deadline": local_input_value(tender.bid_deadline - dt.timedelta(minutes=1)),
            "change_note": "提前一分钟",
            "action": "save",
        }
    )
    page = html.unescape(client.post(f"/buyer/tenders/{tender.public_id}/amend", data=form).get_data(as_text=True))
    assert "an amendment cannot bring the deadline forward" in page
    assert Tender.query.one().version == 1


def test_editing_a_draft_keeps_a_deadline_with_seconds_exactly(client, auth, users):
    data = definition()
    data["bid_deadline"] = data["bid_deadline"].replace(":00+08:00", ":42+08:00")
    tender = tender_service.save_draft(users["buyer"], data)
    auth.login(users["buyer"])
    form = form_data(client.get(f"/buyer/tenders/{tender.public_id}/edit").get_data(as_text=True), "tender-form")
    form["action"] = "save"
    assert client.post(f"/buyer/tenders/{tender.public_id}/edit", data=form).status_code == 302
    assert Tender.query.one().definition()["bid_deadline"] == data["bid_deadline"]


def test_amendment_needs_a_note(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"])
    data = form_data(client.get(f"/buyer/tenders/{tender.public_id}/amend").get_data(as_text=True), "tender-form")
    data["action"] = "save"
    client.post(f"/buyer/tenders/{tender.public_id}/amend", data=data)
    assert Tender.query.one().version == 1


def test_extend_deadline_is_logged_with_old_and_new_values(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"])
    response = client.post(
        f"/buyer/tenders/{tender.public_id}/extend",
        data={"bid_deadline": "2099-01-10T17:00", "opening_time": "2099-01-10T17:30"},
    )
    assert response.status_code == 302
    tender = Tender.query.one()
    assert tender.bid_deadline.isoformat() == "2099-01-10T09:00:00+00:00"  # 17:00 in Shanghai
    details = AuditRecord.query.filter_by(action="tender_deadline_extended").one().details
    assert details["bid_deadline"]["new"] == "2099-01-10T09:00:00+00:00"


def test_extension_cannot_put_the_opening_before_the_deadline(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"])
    page = client.post(
        f"/buyer/tenders/{tender.public_id}/extend",
        data={"bid_deadline": "2099-01-10T17:00", "opening_time": "2099-01-10T16:00"},
    ).get_data(as_text=True)
    assert "the opening time cannot be before the bid deadline" in page
    assert 'value="2099-01-10T16:00"' in page


def test_cancel_with_reason(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"])
    client.post(f"/buyer/tenders/{tender.public_id}/cancel", data={"reason": "预算取消"})
    tender = Tender.query.one()
    assert tender.status == "cancelled" and tender.cancel_reason == "预算取消"


def test_buyer_sees_the_number_of_bids_but_not_their_content(client, auth, users):
    tender = published(users["buyer"])
    submit(users["vendor"], tender)
    auth.login(users["buyer"])
    page = client.get(f"/buyer/tenders/{tender.public_id}").get_data(as_text=True)
    assert '<strong id="bid-count">1</strong>' in page
    assert "杭州云客服科技有限公司" not in page and "per_inquiry" not in page


def test_another_buyers_tender_is_not_found(client, auth, users):
    tender = published(users["other_buyer"])
    auth.login(users["buyer"])
    for path in ("", "/edit", "/amend", "/extend", "/cancel", "/export.json"):
        assert client.get(f"/buyer/tenders/{tender.public_id}{path}").status_code == 404
    assert client.post(f"/buyer/tenders/{tender.public_id}/publish").status_code == 404


def test_a_published_tender_cannot_be_edited_or_published_again(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"])
    assert client.get(f"/buyer/tenders/{tender.public_id}/edit").status_code == 302
    client.post(f"/buyer/tenders/{tender.public_id}/publish")
    assert "Only a draft can be published" in client.get(f"/buyer/tenders/{tender.public_id}").get_data(as_text=True)


def test_after_the_deadline_the_tender_is_closed_and_cannot_be_amended(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"])
    pass_deadline(tender)
    page = client.get("/buyer/tenders/").get_data(as_text=True)
    assert "Closed (deadline passed)" in page
    # the clock closes it: the stored status stays published, reading a page writes nothing
    stored = Tender.query.one()
    assert (stored.status, stored.current_status) == ("published", "closed")
    assert AuditRecord.query.filter_by(action="tender_closed").count() == 0
    response = client.get(f"/buyer/tenders/{tender.public_id}/amend")
    assert response.status_code == 302
    assert "Only a tender open for bids can be amended, before its deadline." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_vendor_and_evaluator_cannot_use_buyer_pages(client, auth, users):
    for role in ("vendor", "evaluator", "admin"):
        auth.login(users[role])
        assert client.get("/buyer/tenders/new").status_code == 403
        auth.logout()


def test_amending_after_the_deadline_is_refused_with_a_message_not_a_crash(app, users):
    import pytest

    from tender.services import WrongState
    from tender.services import tenders as tender_service

    tender = published(users["buyer"])
    pass_deadline(tender)
    with pytest.raises(WrongState, match="只能在投标截止前变更正在招标的项目"):  # outside a request: Chinese
        tender_service.amend(users["buyer"], tender, tender.definition(), "extra platform")
    assert tender.version == 1
