"""The tender form a procurement officer fills without codes (issue 17): rules by the facts'
names with comparisons in words and values in their units, criteria with step rows, every
number read as the vendor's sheet reads it, errors listed at the top with links, warnings."""

from __future__ import annotations

import html
import re

import pytest

from tender.models import Tender
from tests.integration.browser import form_data


@pytest.fixture
def buyer(client, auth, users):
    """The buyer, signed in, reading Chinese (the default language of the product)."""
    auth.login(users["buyer"])
    client.post("/language/zh_CN", data={"next": "/"})
    return users["buyer"]


def new_form(client) -> dict:
    return form_data(client.get("/buyer/tenders/new").get_data(as_text=True), "tender-form")


def post(client, data, url="/buyer/tenders/new"):
    return client.post(url, data=data)


def clear_rows(data, prefix):
    for key in [k for k in data if k.startswith(prefix + "-")]:
        del data[key]


def test_the_seeds_tender_is_written_only_through_the_builders(client, buyer):
    data = new_form(client)
    # the new form names facts and comparisons in words, never by their codes
    page = client.get("/buyer/tenders/new").get_data(as_text=True)
    assert ">注册资本（元）</option>" in page and ">不低于</option>" in page and ">须提供</option>" in page
    assert 'value="100"' in page and ">万元</option>" in page  # 1,000,000 CNY shown as 100 万元
    clear_rows(data, "qualification_rules")
    data.update(
        {
            "title": "旗舰店客服外包",
            "action": "save",
            "qualification_rules-0-subject": "registered_capital",
            "qualification_rules-0-op": ">=",
            "qualification_rules-0-value": "100",
            "qualification_rules-0-unit": "万元",
            "qualification_rules-0-mandatory": "y",
            "qualification_rules-1-subject": "platforms",
            "qualification_rules-1-op": "covers",
            "qualification_rules-1-value": "淘宝、天猫、京东",
            "qualification_rules-1-mandatory": "y",
            "qualification_rules-2-subject": "document:business_license",
            "qualification_rules-2-op": "present",
            "qualification_rules-2-mandatory": "y",
            "qualification_rules-3-subject": "other",
            "qualification_rules-3-custom": "ISO 9001认证",
            "qualification_rules-3-op": "==",
            "qualification_rules-3-value": "是",
            "qualification_rules-3-mandatory": "y",
            "quality_requirements-first_response_seconds_max": "30秒",
            "quality_requirements-satisfaction_min": "95%",
            # criterion 3 (首次响应时间承诺): two step rows, "≤ 60 秒 得 5 分" and "≤ 20 秒 得 10 分"
            "criteria-2-step_rows-0-op": "at_most",
            "criteria-2-step_rows-0-value": "60",
            "criteria-2-step_rows-0-points": "5",
            "criteria-2-step_rows-1-op": "at_most",
            "criteria-2-step_rows-1-value": "20",
            "criteria-2-step_rows-1-points": "10",
        }
    )
    assert post(client, data).status_code == 302
    stored = Tender.query.one().definition()
    assert stored["qualification_rules"] == [
        {"fact": "registered_capital", "op": ">=", "value": 1000000},  # 100 万元 = 1,000,000
        {"fact": "platforms", "op": "covers", "value": ["taobao", "tmall", "jd"]},
        {"document": "business_license", "op": "present"},
        {"fact": "ISO 9001认证", "op": "==", "value": True},
    ]
    assert stored["quality_requirements"]["first_response_seconds_max"] == 30
    assert stored["quality_requirements"]["satisfaction_min"] == "0.95"
    response = next(c for c in stored["criteria"] if c["name"] == "首次响应时间承诺")
    assert response["steps"] == [{"at_most": 60, "points": 5}, {"at_most": 20, "points": 10}]

    # form → JSON → form → JSON: the edit form shows it back in words and saves the same JSON
    tender = Tender.query.one()
    page = client.get(f"/buyer/tenders/{tender.public_id}/edit").get_data(as_text=True)
    again = form_data(page, "tender-form")
    assert again["qualification_rules-0-value"] == "100" and again["qualification_rules-0-unit"] == "万元"
    assert again["qualification_rules-1-value"] == "淘宝、天猫、京东"
    assert again["qualification_rules-3-subject"] == "other" and again["qualification_rules-3-custom"] == "ISO 9001认证"
    assert again["criteria-2-step_rows-1-value"] == "20" and again["criteria-2-step_rows-1-points"] == "10"
    again["action"] = "save"
    assert post(client, again, f"/buyer/tenders/{tender.public_id}/edit").status_code == 302
    assert Tender.query.one().definition() == stored


def test_a_share_below_one_percent_and_a_capital_not_in_whole_wan_round_trip(client, buyer):
    data = new_form(client)
    data.update(
        {
            "title": "往返",
            "action": "save",
            "qualification_rules-0-value": "1234567元",  # not a whole number of 万元
            "qualification_rules-1-subject": "conversion_rate_commitment",
            "qualification_rules-1-op": ">=",
            "qualification_rules-1-value": "0.5%",
            "qualification_rules-1-unit": "%",
        }
    )
    assert post(client, data).status_code == 302
    tender = Tender.query.one()
    rules = tender.definition()["qualification_rules"]
    assert rules[0]["value"] == 1234567 and rules[1]["value"] == "0.005"
    again = form_data(client.get(f"/buyer/tenders/{tender.public_id}/edit").get_data(as_text=True), "tender-form")
    assert again["qualification_rules-0-value"] == "1234567元" and again["qualification_rules-1-value"] == "0.5%"
    again["action"] = "save"
    assert post(client, again, f"/buyer/tenders/{tender.public_id}/edit").status_code == 302
    assert Tender.query.one().definition()["qualification_rules"] == rules


@pytest.mark.parametrize(
    "field, typed, stored_key, stored",
    [
        ("scenario-daily_inquiries", "3,000条", ("scenario", "daily_inquiries"), 3000),
        ("scenario-daily_inquiries", "3000", ("scenario", "daily_inquiries"), 3000),
        ("scenario-cs_sales_per_month", "100万", ("scenario", "cs_sales_per_month"), 1000000),
        ("scenario-cs_sales_per_month", "100万元", ("scenario", "cs_sales_per_month"), 1000000),
        ("scenario-cs_sales_per_month", "1,000,000", ("scenario", "cs_sales_per_month"), 1000000),
        ("scenario-returning_share", "35%", ("scenario", "returning_share"), "0.35"),
        ("scenario-returning_share", "0.35", ("scenario", "returning_share"), "0.35"),
        ("price_ceiling", "8万元", ("price_ceiling",), 80000),
    ],
)
def test_every_number_field_reads_what_the_vendors_sheet_reads(client, buyer, field, typed, stored_key, stored):
    data = new_form(client)
    data.update({"title": "数字", field: typed, "action": "save"})
    assert post(client, data).status_code == 302
    value = Tender.query.one().definition()
    for key in stored_key:
        value = value[key]
    assert value == stored


def test_the_form_shows_what_it_understood_a_number_to_be(client, buyer):
    data = new_form(client)
    data.update(
        {
            "scenario-cs_sales_per_month": "100万",
            "scenario-returning_share": "35%",
            "qualification_rules-0-value": "150",
            "action": "add:criteria",
        }
    )
    page = html.unescape(post(client, data).get_data(as_text=True))
    after = page.index('name="scenario-cs_sales_per_month"')
    assert page.index("读作 1,000,000", after) - after < 400
    after = page.index('name="scenario-returning_share"')
    assert page.index("读作 0.35", after) - after < 400
    after = page.index('name="qualification_rules-0-value"')
    assert page.index("读作 1,500,000", after) - after < 400  # 150 万元


def test_steps_are_added_and_removed_as_rows(client, buyer):
    data = new_form(client)
    assert data["criteria-2-step_rows-0-value"] == "60" and data["criteria-2-step_rows-1-value"] == "30"
    data["action"] = "add:criteria-2-step_rows"
    data = form_data(post(client, data).get_data(as_text=True), "tender-form")
    assert "criteria-2-step_rows-2-value" in data
    data.update(
        {
            "criteria-2-step_rows-2-value": "15",
            "criteria-2-step_rows-2-points": "12",
            "action": "remove:criteria-2-step_rows:0",
        }
    )
    data = form_data(post(client, data).get_data(as_text=True), "tender-form")
    assert [data.get(f"criteria-2-step_rows-{i}-value") for i in range(3)] == ["30", "15", None]
    data.update(
        {"title": "分档", "action": "save", "criteria-2-weight": "12", "criteria-3-weight": "33"}
    )  # 30 + 10 + 12 + 33 + 15 = 100
    assert post(client, data).status_code == 302
    steps = next(c for c in Tender.query.one().definition()["criteria"] if c.get("rule") == "steps")["steps"]
    assert steps == [{"at_most": 30, "points": 10}, {"at_most": 15, "points": 12}]


def test_every_error_is_listed_at_the_top_with_a_link_to_its_field_and_its_section_opens(client, buyer):
    data = new_form(client)
    data.update(
        {"title": "", "criteria-2-step_rows-1-value": "快", "qualification_rules-0-value": "很多", "action": "save"}
    )
    page = html.unescape(post(client, data).get_data(as_text=True))
    summary = page[page.index('id="error-summary"') : page.index("</div>", page.index('id="error-summary"'))]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    targets = [target for target, _text in links]
    assert "title" in targets
    assert "qualification_rules-0-value" in targets
    assert "criteria-2-step_rows-1-value" in targets
    words = dict(links)
    assert words["qualification_rules-0-value"].startswith("资格条件 1 · 值")
    assert words["criteria-2-step_rows-1-value"].startswith("评分因素 3 · 分档 2 · 值")
    # each field is on the page under its link's id, with its error beside it
    for target in targets:
        assert f'id="{target}"' in page
    at = page.index('id="criteria-2-step_rows-1-value"')
    assert page.index("快", at) - at < 1200
    # the sections with an error are open, the others closed
    assert re.search(r'<details class="section" id="section-rules" open>', page)
    assert re.search(r'<details class="section" id="section-criteria" open>', page)
    assert re.search(r'<details class="section" id="section-notice" open>', page)
    assert re.search(r'<details class="section" id="section-scope">', page)
    assert Tender.query.count() == 0


def test_a_weight_sum_problem_links_to_the_criteria_section(client, buyer):
    data = new_form(client)
    data.update({"title": "权重", "criteria-0-weight": "35", "action": "save"})
    page = html.unescape(post(client, data).get_data(as_text=True))
    summary = page[page.index('id="error-summary"') :]
    assert re.search(r'<a href="#section-criteria">[^<]*they sum to 105', summary) or re.search(
        r'<a href="#section-criteria">[^<]*105', summary
    )
    assert Tender.query.count() == 0


def test_warnings_are_shown_but_do_not_block_saving(client, buyer):
    data = new_form(client)
    # the quality requirement demands a first response within 30 s: the step "≤ 60 s: 5 points"
    # of 首次响应时间承诺 is reached by every conforming bid; the price weight 40 is above 30
    data.update(
        {
            "title": "提醒",
            "quality_requirements-first_response_seconds_max": "30",
            "criteria-0-weight": "40",
            "criteria-3-weight": "25",
            "action": "save",
        }
    )
    assert post(client, data).status_code == 302
    tender = Tender.query.one()
    page = html.unescape(client.get(f"/buyer/tenders/{tender.public_id}").get_data(as_text=True))
    assert "首次响应时间承诺”不能区分投标" in page
    assert "每个符合要求的投标都达到全部档次，都得 10 分" in page
    assert "价格分权重为 40 分，不在服务类项目的 10–30 分之间" in page


@pytest.mark.parametrize(
    "start, services, first_criterion_fact",
    [
        ("pre_sale", ["pre_sale", "in_sale"], "conversion_rate_commitment"),
        ("after_sale", ["after_sale"], "satisfaction_commitment"),
        ("full", ["pre_sale", "in_sale", "after_sale"], "similar_projects"),
    ],
)
def test_a_tender_starts_from_a_sample_and_saves_as_it_is(client, buyer, start, services, first_criterion_fact):
    page = client.get(f"/buyer/tenders/new?start={start}").get_data(as_text=True)
    data = form_data(page, "tender-form")
    data.update({"title": f"样例 {start}", "action": "save"})
    assert post(client, data).status_code == 302
    stored = Tender.query.one().definition()
    assert stored["service_scope"]["services"] == services
    assert stored["criteria"][1]["fact"] == first_criterion_fact
    assert sum(c["weight"] for c in stored["criteria"]) == 100


def test_a_tender_starts_from_the_buyers_last_one_without_its_dates(client, buyer):
    from tests.integration.helpers import draft

    last = draft(buyer)
    last_definition = last.definition()
    assert last_definition.get("bid_deadline")
    data = form_data(client.get("/buyer/tenders/new?start=last").get_data(as_text=True), "tender-form")
    assert data["title"] == last_definition["title"]
    assert not data.get("bid_deadline") and not data.get("opening_time")
    data.update({"title": "第二期", "action": "save"})
    assert post(client, data).status_code == 302
    second = Tender.query.filter_by(title="第二期").one().definition()
    assert second["criteria"] == last_definition["criteria"]
    assert second["qualification_rules"] == last_definition["qualification_rules"]
    assert "bid_deadline" not in second


def test_with_no_tender_yet_the_last_one_falls_back_to_the_usual_shape(client, buyer):
    page = html.unescape(client.get("/buyer/tenders/new?start=last").get_data(as_text=True))
    assert "还没有可以沿用的招标项目" in page
    assert 'name="criteria-0-weight" type="text" value="30"' in page


def test_duplicating_a_published_tender_makes_an_audited_draft_without_its_dates(client, buyer):
    from tender.models import AuditRecord
    from tests.integration.helpers import published

    original = published(buyer)
    response = client.post(f"/buyer/tenders/{original.public_id}/duplicate")
    assert response.status_code == 302
    copy = Tender.query.filter(Tender.id != original.id).one()
    assert response.headers["Location"].endswith(f"/buyer/tenders/{copy.public_id}/edit")
    assert copy.title == original.title + "（副本）" and copy.may("edit") and copy.bid_deadline is None
    assert copy.definition()["criteria"] == original.definition()["criteria"]
    record = AuditRecord.query.filter_by(action="tender_duplicated").one()
    assert original.public_id in record.details_json and record.object == f"tender:{copy.public_id}"


def test_another_buyers_tender_cannot_be_duplicated(client, auth, users):
    from tests.integration.helpers import draft

    theirs = draft(users["buyer"])
    auth.login(users["other_buyer"])
    assert client.post(f"/buyer/tenders/{theirs.public_id}/duplicate").status_code == 404
    assert Tender.query.count() == 1


def test_the_vendors_view_of_the_tender_shows_every_binding_term_in_words(client, auth, users):
    from tests.integration.helpers import published

    tender = published(users["buyer"])
    definition = tender.definition()
    auth.login(users["vendor"])
    client.post("/language/zh_CN", data={"next": "/"})
    page = html.unescape(client.get(f"/vendor/tenders/{tender.public_id}").get_data(as_text=True))
    scope = definition["service_scope"]
    assert "服务范围" in page and "服务质量要求" in page
    assert scope["service_hours"] in page  # the service hours
    assert "淘宝" in page and "天猫" in page  # the platforms by name
    quality = definition["quality_requirements"]
    assert f"{quality['first_response_seconds_max']}" in page
    for section in definition["required_sections"]:  # the sections the document needs
        assert section in page
    # the terms are the notice's, in words: no codes of facts, platforms or scopes
    for code in ("registered_capital", "first_response_seconds_max", "taobao", "service_scope"):
        assert code not in page, code
    # and not the buyer's form instructions
    assert "Leave a field empty" not in page and "留空" not in page


def test_reference_prices_are_written_and_shown_by_their_names(client, buyer):
    data = new_form(client)
    data.update(
        {
            "title": "参考价",
            "action": "save",
            "reference_pricing-model": "per_inquiry",
            "reference_pricing-parameters": "新用户单价（元/咨询） = 0.68\n月保底（元/月） = 6万",
        }
    )
    assert post(client, data).status_code == 302
    tender = Tender.query.one()
    assert tender.definition()["reference_pricing"] == {
        "model": "per_inquiry",
        "new_rate": "0.68",
        "minimum_per_month": 60000,
    }
    again = form_data(client.get(f"/buyer/tenders/{tender.public_id}/edit").get_data(as_text=True), "tender-form")
    assert again["reference_pricing-parameters"] == "新用户单价（元/咨询） = 0.68\n月保底（元/月） = 60000"
    again["action"] = "save"
    assert post(client, again, f"/buyer/tenders/{tender.public_id}/edit").status_code == 302
    assert Tender.query.one().definition()["reference_pricing"]["minimum_per_month"] == 60000


def test_another_fact_left_unnamed_is_reported_on_its_name_field(client, buyer):
    data = new_form(client)
    data.update(
        {
            "title": "自定义条件",
            "action": "save",
            "qualification_rules-1-subject": "other",
            "qualification_rules-1-custom": "",
            "qualification_rules-1-op": "==",
            "qualification_rules-1-value": "是",
        }
    )
    page = html.unescape(post(client, data).get_data(as_text=True))
    assert '<a href="#qualification_rules-1-custom">' in page
    at = page.index('id="qualification_rules-1-custom"')
    assert page.index('class="error"', at) - at < 600
    assert Tender.query.count() == 0


def test_in_english_the_builders_speak_english(client, auth, users):
    auth.login(users["buyer"])
    client.post("/language/en", data={"next": "/"})
    page = html.unescape(client.get("/buyer/tenders/new").get_data(as_text=True))
    assert ">registered capital (CNY)</option>" in page and ">at least</option>" in page
    assert ">must be provided</option>" in page and ">CNY 10,000</option>" in page
    assert ">business licence</option>" in page and ">seconds</span>" in page
    assert "Criterion 3: First response commitment" in page
