"""The tender form's month table (domain §10 ``monthly_profile``): typed, pasted, uploaded as
last year's monthly volumes (.xlsx, .csv) or filled as a flat year; saved into the tender
definition and shown again; every problem at its row's field, and nothing typed lost."""

from __future__ import annotations

import html
import io
import json
import re

import openpyxl

from scoring import evaluate, parse_bid, parse_tender
from tender.models import Tender
from tests.integration.browser import form_data
from tests.integration.helpers import sample_bid

NEW = "/buyer/tenders/new"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def new_form(client) -> dict:
    data = form_data(client.get(NEW).get_data(as_text=True), "tender-form")
    data.update(
        {"title": "花溪家纺 客服外包（逐月）", "scenario-peak_days_per_year": ""}
    )  # the months give the peak days
    return data


def press(client, data: dict, action: str, **files) -> str:
    """Post the form with one of its buttons; the page the buyer gets back."""
    posted = {**data, "action": action, **files}
    response = client.post(NEW, data=posted, content_type="multipart/form-data" if files else None)
    assert response.status_code == 200
    return text(response)


def month_cells(page: str, name: str = "daily_inquiries") -> list[str]:
    """What each row of the month table shows in one column."""
    values = {}
    for match in re.finditer(r'<input[^>]*name="scenario-monthly_profile-(\d+)-' + name + r'"[^>]*>', page):
        found = re.search(r'value="([^"]*)"', match.group(0))
        values[int(match.group(1))] = found.group(1) if found else ""
    return [values[i] for i in sorted(values)]


def saved_profile() -> list[dict]:
    return json.loads(Tender.query.one().definition_json)["scenario"].get("monthly_profile")


def field_error(page: str, field: str) -> str:
    """The error shown in the table cell of a field."""
    at = page.index(f'name="{field}"')
    cell = page[at : page.index("</td>", at)]
    found = re.search(r'<div class="error" role="alert">([^<]*)</div>', cell)
    assert found, f"no error beside {field}"
    return found.group(1)


def test_a_typed_month_table_is_saved_and_shown_again_on_edit(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    page = press(client, data, "add:scenario-monthly_profile")
    data = form_data(press(client, form_data(page, "tender-form"), "add:scenario-monthly_profile"), "tender-form")
    assert month_cells(page) == [""] and len(month_cells(press(client, data, "add:scenario-monthly_profile"))) == 3
    data.update(
        {
            "scenario-contract_months": "2",
            "scenario-monthly_profile-0-label": "2027-01",
            "scenario-monthly_profile-0-daily_inquiries": "1,650",
            "scenario-monthly_profile-1-label": "2027-06 618",
            "scenario-monthly_profile-1-daily_inquiries": "4000",
            "scenario-monthly_profile-1-agents_per_shift": "10",
            "scenario-monthly_profile-1-peak_days": "3",
            "scenario-monthly_profile-1-cs_sales": "2400000",
            "action": "save",
        }
    )
    assert client.post(NEW, data=data).status_code == 302
    # typed numbers as the form reads them ("1,650" is 1650); empty cells are left to the scenario
    assert saved_profile() == [
        {"label": "2027-01", "daily_inquiries": 1650},
        {"label": "2027-06 618", "daily_inquiries": 4000, "agents_per_shift": 10, "peak_days": 3, "cs_sales": 2400000},
    ]
    edit = text(client.get(f"/buyer/tenders/{Tender.query.one().public_id}/edit"))
    assert month_cells(edit) == ["1650", "4000"] and month_cells(edit, "label") == ["2027-01", "2027-06 618"]
    assert month_cells(edit, "peak_days") == ["", "3"] and month_cells(edit, "cs_sales") == ["", "2400000"]


def test_a_month_is_removed_by_its_own_button_and_the_rows_after_it_move_up(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"scenario-contract_months": "3", "scenario-daily_inquiries": "1000"})
    data = form_data(press(client, data, "profile-flat:scenario"), "tender-form")
    data.update(
        {"scenario-monthly_profile-1-daily_inquiries": "900", "scenario-monthly_profile-2-daily_inquiries": "3000"}
    )
    page = press(client, data, "remove:scenario-monthly_profile:1")
    assert month_cells(page) == ["1000", "3000"] and month_cells(page, "label") == ["1", "3"]


def test_rows_pasted_from_a_spreadsheet_fill_the_table_and_the_rest_of_the_form_is_kept(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update(
        {
            "scenario-contract_months": "3",
            "buyer": "嘉兴花溪家纺电子商务有限公司",
            "scenario-profile_paste": "月份\t日均咨询量\t坐席\t大促天数\n2027-01\t1650\t\t\n"
            "2027-06 618\t4000\t10\t3\n2027-11 双11\t6500\t14\t11\n",
        }
    )
    page = press(client, data, "profile-paste:scenario")
    assert "3 months read from the pasted text." in page
    assert month_cells(page) == ["1650", "4000", "6500"]
    assert month_cells(page, "agents_per_shift") == ["", "10", "14"] and month_cells(page, "peak_days") == [
        "",
        "3",
        "11",
    ]
    assert 'value="嘉兴花溪家纺电子商务有限公司"' in page  # nothing else typed is lost
    after = form_data(page, "tender-form")
    assert after["scenario-profile_paste"] == ""  # the box is emptied once read
    after["action"] = "save"
    assert client.post(NEW, data=after).status_code == 302
    assert [m["daily_inquiries"] for m in saved_profile()] == [1650, 4000, 6500]


def test_comma_separated_rows_without_a_header_are_the_table_s_columns(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data["scenario-profile_paste"] = "2027-01,1650,31\n2027-02,900,28\n"
    page = press(client, data, "profile-paste:scenario")
    assert month_cells(page, "label") == ["2027-01", "2027-02"] and month_cells(page, "days") == ["31", "28"]


def test_pasted_text_that_cannot_be_read_is_named_at_its_cell_and_the_table_is_kept(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"scenario-contract_months": "2", "scenario-daily_inquiries": "1000"})
    data = form_data(press(client, data, "profile-flat:scenario"), "tender-form")
    data["scenario-profile_paste"] = "月份\t咨询量\n2025-01\t1,550,000\n2025-02\t八十四万\n"
    page = press(client, data, "profile-paste:scenario")
    assert "B3: 咨询量: must be a number, got '八十四万'" in page
    assert month_cells(page) == ["1000", "1000"]  # the flat year is still there
    assert form_data(page, "tender-form")["scenario-profile_paste"].startswith("月份\t咨询量")  # so is the text


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "店铺接待"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Last year's reception as a shop's customer-service system exports it (monthly totals):
# January 1,550,000 ÷ 31 = 50,000 a day; February 840,000 ÷ 28 = 30,000; June 2,700,000 ÷ 30 = 90,000;
# November 4,500,000 ÷ 30 = 150,000.
LAST_YEAR = [("2025-01", 1550000), ("2025-02", 840000), ("2025-06", 2700000), ("2025-11", 4500000)]


def test_last_year_s_monthly_volumes_uploaded_as_xlsx_become_daily_figures(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data["scenario-contract_months"] = "4"
    upload = workbook(
        [["2025 年店铺接待量（客服系统导出）"], ["统计月份", "咨询量（次）"], *[list(r) for r in LAST_YEAR]]
    )
    page = press(
        client, data, "profile-upload:scenario", **{"scenario-profile_file": (io.BytesIO(upload), "接待量.xlsx")}
    )
    assert "4 months read from 接待量.xlsx." in page
    assert month_cells(page) == ["50000", "30000", "90000", "150000"]
    assert month_cells(page, "days") == ["31", "28", "30", "30"]
    assert month_cells(page, "label") == ["2025-01", "2025-02", "2025-06", "2025-11"]
    conversions = page[page.index("Monthly totals turned into inquiries per day") :]
    assert re.search(
        r"2025-01</td><td class=\"num\">1,550,000</td><td class=\"num\">31</td><td class=\"num\">50,000", conversions
    )
    after = form_data(page, "tender-form")
    after["action"] = "save"
    assert client.post(NEW, data=after).status_code == 302
    assert saved_profile()[0] == {"label": "2025-01", "daily_inquiries": 50000, "days": 31}
    # the year's inquiries are last year's: 50,000 × 31 + 30,000 × 28 + 90,000 × 30 + 150,000 × 30 = 9,590,000
    scenario = parse_tender(json.loads(Tender.query.one().definition_json)).scenario
    assert scenario.profile_inquiries == 1550000 + 840000 + 2700000 + 4500000 == 9590000


def test_the_same_volumes_uploaded_as_a_gbk_csv_give_the_same_table(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data["scenario-contract_months"] = "4"
    csv = ("月份,接待量\r\n" + "".join(f'{label},"{total:,}"\r\n' for label, total in LAST_YEAR)).encode("gb18030")
    page = press(client, data, "profile-upload:scenario", **{"scenario-profile_file": (io.BytesIO(csv), "接待量.csv")})
    assert month_cells(page) == ["50000", "30000", "90000", "150000"]


def test_an_upload_with_a_wrong_cell_or_of_a_refused_kind_changes_nothing(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"scenario-contract_months": "2", "scenario-daily_inquiries": "1000", "project_code": "HX-2027"})
    data = form_data(press(client, data, "profile-flat:scenario"), "tender-form")
    bad = workbook([["统计月份", "咨询量"], ["2025-01", 1550000], ["2025-02", -840000]])
    page = press(client, data, "profile-upload:scenario", **{"scenario-profile_file": (io.BytesIO(bad), "接待量.xlsx")})
    assert "店铺接待!B3: 咨询量: must not be negative (-840000)" in page
    assert month_cells(page) == ["1000", "1000"] and 'value="HX-2027"' in page
    for name, content, reason in (
        ("接待量.xlsm", bad, "only .xlsx workbooks and .csv files are accepted; this file's extension is .xlsm"),
        ("接待量.csv", b"\x00\x01binary", "this is not a text CSV file"),
        ("接待量.xlsx", b"PK\x03\x04 not a zip", "damaged or incomplete"),
    ):
        page = press(client, data, "profile-upload:scenario", **{"scenario-profile_file": (io.BytesIO(content), name)})
        assert reason in page and month_cells(page) == ["1000", "1000"], name
    page = press(client, data, "profile-upload:scenario")
    assert "Choose the file of last year's monthly volumes (.xlsx or .csv) first." in page


def test_the_flat_year_is_the_contract_s_months_at_the_scenario_s_volume_and_costs_the_same(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)  # the default scenario: 800 inquiries a day, 12 months
    page = press(client, data, "profile-flat:scenario")
    assert "12 equal months at 800 inquiries a day" in page
    assert month_cells(page) == ["800"] * 12 and month_cells(page, "label") == [str(n) for n in range(1, 13)]
    after = form_data(page, "tender-form")
    after["action"] = "save"
    assert client.post(NEW, data=after).status_code == 302
    definition = json.loads(Tender.query.one().definition_json)
    assert saved_profile() == [{"label": str(n), "daily_inquiries": 800} for n in range(1, 13)]
    flat = parse_tender(definition)
    average = parse_tender(
        {**definition, "scenario": {k: v for k, v in definition["scenario"].items() if k != "monthly_profile"}}
    )
    bid = sample_bid("yunkefu")  # per inquiry: new 2.50, returning 1.50, 35 % returning
    # 800 × 30 = 24,000 a month: 15,600 × 2.50 + 8,400 × 1.50 = 51,600.00, each month and on average
    costs = [evaluate(tender, [parse_bid(bid, tender)]).bids[0] for tender in (flat, average)]
    assert [str(b.monthly_cost) for b in costs] == ["51600.00", "51600.00"]
    assert str(costs[0].year.contract_cost) == "619200.00"  # 12 × 51,600


def test_the_flat_year_warns_of_what_a_month_table_replaces(client, auth, users):
    auth.login(users["buyer"])
    data = form_data(client.get(NEW).get_data(as_text=True), "tender-form")  # 10 peak days a year by default
    data.update(
        {
            "scenario-volume_scenarios-0-name": "旺季",
            "scenario-volume_scenarios-0-daily_inquiries": "1500",
            "scenario-volume_scenarios-0-weight": "1",
        }
    )
    page = press(client, data, "profile-flat:scenario")
    assert "put the 10 peak days a year into their months and empty “Peak days per year”" in page
    assert "With a month table the volume scenarios are not used: remove them." in page
    data = form_data(page, "tender-form")
    data.update({"action": "save", "title": "冲突测试"})
    page = text(client.post(NEW, data=data))
    # the engine refuses both with the table: each named at its own field
    peak_at = page.index('name="scenario-peak_days_per_year"')
    assert "cannot be given with a monthly profile" in page[peak_at : peak_at + 800]
    assert Tender.query.count() == 0
    data["scenario-contract_months"] = ""
    assert "Enter the scenario's inquiries per day first" not in press(client, data, "profile-flat:scenario")
    data["scenario-daily_inquiries"] = ""
    assert "Enter the scenario's inquiries per day first" in press(client, data, "profile-flat:scenario")


def test_each_problem_of_the_months_is_shown_at_its_row_s_field(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"scenario-contract_months": "3", "scenario-daily_inquiries": "1000"})
    data = form_data(press(client, data, "profile-flat:scenario"), "tender-form")
    data.update(
        {
            "scenario-monthly_profile-0-daily_inquiries": "-5",
            "scenario-monthly_profile-1-peak_days": "40",
            "scenario-monthly_profile-2-daily_inquiries": "",
            "scenario-monthly_profile-2-days": "31",
            "scenario-monthly_profile-2-label": "1",
            "action": "save",
        }
    )
    page = text(client.post(NEW, data=data))
    assert "must not be negative (-5)" in field_error(page, "scenario-monthly_profile-0-daily_inquiries")
    assert (
        field_error(page, "scenario-monthly_profile-1-peak_days")
        == "40 peak days are more than the month's 30 service days"
    )
    assert "required" in field_error(page, "scenario-monthly_profile-2-daily_inquiries")
    assert field_error(page, "scenario-monthly_profile-2-label") == "month label '1' is repeated"
    assert month_cells(page) == ["-5", "1000", ""]  # what was typed stays
    assert Tender.query.count() == 0


def test_a_table_of_the_wrong_length_is_said_above_the_table(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"scenario-contract_months": "12", "scenario-profile_paste": "1650\n1700\n"})
    page = press(client, data, "profile-paste:scenario")
    assert "The table has 2 months and the contract 12" in page  # warned when filled
    data = form_data(page, "tender-form")
    data["action"] = "save"
    page = text(client.post(NEW, data=data))
    section = page[page.index('id="scenario-months"') : page.index('id="scenario-month-table"')]
    assert "must give 12 months (contract_months), it gives 2" in section
    assert Tender.query.count() == 0


def test_each_month_may_give_its_work_quantities_which_follow_their_work_item(client, auth, users):
    auth.login(users["buyer"])
    data = new_form(client)
    data.update({"scenario-contract_months": "2", "scenario-daily_inquiries": "1000"})
    data = form_data(press(client, data, "add:scenario-work_items"), "tender-form")
    data.update(
        {
            "scenario-work_items-0-id": "ticket",
            "scenario-work_items-0-name": "工单",
            "scenario-work_items-0-unit": "单",
            "scenario-work_items-0-monthly_quantity": "3000",
        }
    )
    data = form_data(press(client, data, "add:scenario-work_items"), "tender-form")
    data.update(
        {
            "scenario-work_items-1-id": "call",
            "scenario-work_items-1-name": "外呼",
            "scenario-work_items-1-unit": "通",
            "scenario-work_items-1-monthly_quantity": "500",
        }
    )
    page = press(client, data, "profile-flat:scenario")
    assert "<th>工单</th><th>外呼</th>" in page
    data = form_data(page, "tender-form")
    data.update(
        {
            "scenario-monthly_profile-1-work_quantities-0-quantity": "9000",
            "scenario-monthly_profile-1-work_quantities-1-quantity": "1200",
        }
    )
    page = press(client, data, "remove:scenario-work_items:0")  # the 工单 item goes, and its column
    data = form_data(page, "tender-form")
    assert data["scenario-monthly_profile-1-work_quantities-0-item"] == "call"
    assert data["scenario-monthly_profile-1-work_quantities-0-quantity"] == "1200"
    data["scenario-monthly_profile-0-work_quantities-0-quantity"] = "-1"
    data["action"] = "save"
    page = text(client.post(NEW, data=data))
    assert "must not be negative" in field_error(page, "scenario-monthly_profile-0-work_quantities-0-quantity")
    data["scenario-monthly_profile-0-work_quantities-0-quantity"] = ""
    assert client.post(NEW, data=data).status_code == 302
    assert saved_profile() == [
        {"label": "1", "daily_inquiries": 1000},
        {"label": "2", "daily_inquiries": 1000, "work_quantities": {"call": 1200}},
    ]


def test_the_month_table_speaks_chinese_by_default(client, auth, users):
    users["buyer"].locale = None
    auth.login(users["buyer"])
    page = text(client.get(NEW))
    assert "合同年度逐月用量" in page and "平均全年" in page and "读取文件" in page
