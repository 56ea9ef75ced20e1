"""The lots (标包, §13) of the tender form, as a buyer uses it: add lots, give each its
scenario, its price ceiling and its work items with their unit price ceilings, order them,
remove one; the draft saved holds ``lots`` (and no top-level scenario), the edit page shows
them again, the price sheet has one quote sheet per lot, and a mistake is shown on its lot's
field. Figures: L1 天猫售前 800 inquiries a day, 6 agents × 2 shifts; L2 京东售后 300 a day,
3 agents × 2 shifts, ceiling 32,000 a month, 售后工单 1,500 a month at most 8.00 each."""

from __future__ import annotations

import datetime as dt
import html
import io
import json

from openpyxl import load_workbook

from tender.models import Tender, utcnow
from tender.platform.timefmt import local_input_value
from tender.services import tenders as tender_service
from tests.integration.browser import form_data

L1 = {
    "id": "L1",
    "name": "天猫旗舰店 售前咨询",
    "scenario-days_per_month": "30",
    "scenario-daily_inquiries": "800",
    "scenario-returning_share": "0.35",
    "scenario-agents_per_shift": "6",
    "scenario-shifts_per_day": "2",
    "scenario-hours_per_shift": "8",
    "scenario-cs_sales_per_month": "1500000",
    "scenario-peak_days_per_year": "10",
    "scenario-peak_extra_agents": "4",
    "scenario-contract_months": "12",
}
L2 = {
    "id": "L2",
    "name": "京东自营店 售后服务",
    "price_ceiling": "32000",
    "scenario-days_per_month": "30",
    "scenario-daily_inquiries": "300",
    "scenario-returning_share": "0.5",
    "scenario-agents_per_shift": "3",
    "scenario-shifts_per_day": "2",
    "scenario-hours_per_shift": "8",
    "scenario-cs_sales_per_month": "300000",
    "scenario-peak_days_per_year": "10",
    "scenario-peak_extra_agents": "2",
    "scenario-contract_months": "12",
}


def post(client, data, action: str, path: str = "/buyer/tenders/new"):
    data = data.copy()
    data["action"] = action
    return client.post(path, data=data)


def again(response) -> dict:
    """The form as the page posted back shows it."""
    assert response.status_code == 200, response.status_code
    return form_data(response.get_data(as_text=True), "tender-form")


def fill(data, row: int, values: dict):
    for key, value in values.items():
        data[f"lots-{row}-{key}"] = value
    return data


def two_lots(client) -> dict:
    data = again(client.get("/buyer/tenders/new"))
    data["title"] = "双店分标包项目"
    data["buyer"] = "杭州云裳电子商务有限公司"
    deadline = utcnow() + dt.timedelta(days=10)
    data["bid_deadline"] = local_input_value(deadline)
    data["opening_time"] = local_input_value(deadline + dt.timedelta(minutes=30))
    data = fill(again(post(client, data, "add:lots")), 0, L1)
    data = fill(again(post(client, data, "add:lots")), 1, L2)
    data = again(post(client, data, "add:lots-1-scenario-work_items"))
    data = again(post(client, data, "add:lots-1-scenario-work_items"))
    for row, (item, name, unit, quantity, ceiling) in enumerate(
        [("chat", "在线咨询", "件", "9000", ""), ("ticket", "售后工单", "单", "1500", "8")]
    ):
        for key, value in {
            "id": item,
            "name": name,
            "unit": unit,
            "monthly_quantity": quantity,
            "unit_price_ceiling": ceiling,
        }.items():
            data[f"lots-1-scenario-work_items-{row}-{key}"] = value
    data["max_lots_awarded_per_vendor"] = "1"
    return data


def test_a_tender_with_two_lots_is_written_in_the_form(client, auth, users):
    auth.login(users["buyer"])
    assert 'id="add-lot"' in client.get("/buyer/tenders/new").get_data(as_text=True)
    data = two_lots(client)
    saved = post(client, data, "save")
    assert saved.status_code == 302, html.unescape(saved.get_data(as_text=True))[-3000:]
    stored = json.loads(Tender.query.one().definition_json)
    assert "scenario" not in stored and "unit_price_ceilings" not in stored
    assert [lot["id"] for lot in stored["lots"]] == ["L1", "L2"]
    l1, l2 = stored["lots"]
    assert (
        l1["scenario"]["daily_inquiries"],
        l1["scenario"]["agents_per_shift"],
        l1["scenario"]["returning_share"],
    ) == (800, 6, "0.35")
    assert "price_ceiling" not in l1
    assert l2["price_ceiling"] == 32000 and l2["unit_price_ceilings"] == {"ticket": 8}
    assert l2["scenario"]["work_items"] == [
        {"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 9000},
        {"id": "ticket", "name": "售后工单", "unit": "单", "monthly_quantity": 1500},
    ]
    assert stored["max_lots_awarded_per_vendor"] == 1

    # the edit page shows the lots again, as they were saved
    tender = Tender.query.one()
    shown = again(client.get(f"/buyer/tenders/{tender.public_id}/edit"))
    assert (shown["lots-0-id"], shown["lots-1-id"], shown["lots-1-price_ceiling"]) == ("L1", "L2", "32000")
    assert shown["lots-1-scenario-work_items-1-unit_price_ceiling"] == "8"

    # published, its price sheet has one quote sheet per lot
    tender_service.publish(users["buyer"], tender)
    auth.logout()
    auth.login(users["vendor"])
    sheet = client.get(f"/vendor/tenders/{tender.public_id}/price-sheet.xlsx")
    names = load_workbook(io.BytesIO(sheet.data)).sheetnames
    assert any(name.endswith("L1") for name in names) and any(name.endswith("L2") for name in names)


def test_lots_are_ordered_and_removed(client, auth, users):
    auth.login(users["buyer"])
    data = two_lots(client)
    moved = again(post(client, data, "move:lots:1:up"))
    assert (moved["lots-0-id"], moved["lots-1-id"]) == ("L2", "L1")
    assert moved["lots-0-price_ceiling"] == "32000" and moved["lots-0-scenario-work_items-1-id"] == "ticket"
    back = again(post(client, moved, "move:lots:0:down"))
    assert (back["lots-0-id"], back["lots-1-id"]) == ("L1", "L2")
    removed = again(post(client, back, "remove:lots:0"))
    assert removed["lots-0-id"] == "L2" and "lots-1-id" not in removed
    assert post(client, removed, "save").status_code == 302
    assert [lot["id"] for lot in json.loads(Tender.query.one().definition_json)["lots"]] == ["L2"]


def test_two_lots_with_one_id_are_refused_on_the_second_lots_field(client, auth, users):
    auth.login(users["buyer"])
    data = two_lots(client)
    data["lots-1-id"] = "L1"
    refused = post(client, data, "save")
    assert refused.status_code in (200, 400)
    page = html.unescape(refused.get_data(as_text=True))
    lot_id_field = page.split('id="lot-1"')[1].split('name="lots-1-name"')[0]
    assert '<div class="error" role="alert">lot id \'L1\' is repeated</div>' in lot_id_field
    assert Tender.query.count() == 0


def test_a_lots_scenario_gives_its_months_one_by_one(client, auth, users):
    """§10 in a lot (§13): L2's contract of 3 months, flat at 300 inquiries a day, then June at 900."""
    auth.login(users["buyer"])
    data = two_lots(client)
    data["lots-1-scenario-contract_months"] = "3"
    data = again(post(client, data, "profile-flat:lots-1-scenario"))
    assert [data[f"lots-1-scenario-monthly_profile-{i}-daily_inquiries"] for i in range(3)] == ["300"] * 3
    assert "lots-0-scenario-monthly_profile-0-daily_inquiries" not in data  # L1 keeps a flat scenario
    data["lots-1-scenario-monthly_profile-2-daily_inquiries"] = "900"
    refused = html.unescape(post(client, data, "save").get_data(as_text=True))  # peak days: per month now
    assert (
        "'peak_days_per_year' (peak days per year) cannot be given with a monthly profile"
        in refused.split('id="lot-1"')[1]
    )
    data["lots-1-scenario-peak_days_per_year"] = ""
    assert post(client, data, "save").status_code == 302
    l1, l2 = json.loads(Tender.query.one().definition_json)["lots"]
    assert "monthly_profile" not in l1["scenario"]
    assert [month["daily_inquiries"] for month in l2["scenario"]["monthly_profile"]] == [300, 300, 900]


def test_the_form_sets_a_round_of_final_offers_and_keeps_it_on_edit(client, auth, users):
    auth.login(users["buyer"])
    data = again(client.get("/buyer/tenders/new"))
    assert "final_offer" not in data
    data.update({"title": "最后报价项目", "final_offer": "y"})
    assert post(client, data, "save").status_code == 302
    tender = Tender.query.one()
    assert json.loads(tender.definition_json)["final_offer"] is True
    shown = again(client.get(f"/buyer/tenders/{tender.public_id}/edit"))
    assert shown["final_offer"] == "y"
    del shown["final_offer"]  # unticked: no round
    assert post(client, shown, "save", f"/buyer/tenders/{tender.public_id}/edit").status_code == 302
    assert "final_offer" not in json.loads(Tender.query.one().definition_json)
