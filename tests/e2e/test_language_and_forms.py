"""In a real browser: the language switch; form errors shown next to their field, with
what the user typed kept (registration, tender, upload); the upload with and without
JavaScript."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tender.demo.files import fill_quote, make_bid_document

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SECTIONS = ["服务方案", "人员配置", "培训体系", "质量保障", "应急预案"]


def sample_bid(name: str) -> dict:
    return json.loads((SAMPLES / "bids" / f"{name}.json").read_text(encoding="utf-8"))


def open_tender(live, title: str) -> str:
    """A published tender (through the services: this file tests forms, not publishing)."""
    from tender.models import User
    from tender.platform.extensions import db
    from tender.platform.timefmt import to_iso_shanghai
    from tender.services import tenders
    from tender.tenders.defaults import new_tender_definition

    email = live.account("buyer", "buyer-forms@e2e.cn", "采购人 李")
    with live.app.app_context():
        buyer = db.session.query(User).filter_by(email=email).one()
        deadline = live.clock() + dt.timedelta(days=7)
        definition = {
            **new_tender_definition(),
            "title": title,
            "buyer": "杭州云裳服饰有限公司",
            "bid_deadline": to_iso_shanghai(deadline),
            "opening_time": to_iso_shanghai(deadline + dt.timedelta(minutes=30)),
        }
        return tenders.publish(buyer, tenders.save_draft(buyer, definition)).public_id


def test_the_language_switch_changes_every_visible_text(actor, shot):
    visitor = actor()
    page = visitor.go("/")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.inner_text("h1") == "电商客服外包招标"
    assert page.inner_text(".navbar .brand") == "客服外包招标"
    shot(page, "20-home-chinese")
    page.click(".lang-switch button:has-text('English')")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("h1") == "Tenders for outsourced e-commerce customer service"
    assert "Register as a vendor" in page.inner_text("main")
    shot(page, "21-home-english")
    page.goto("/auth/login")
    assert page.inner_text("h1") == "Sign in"  # the choice stays for the session
    page.click(".lang-switch button:has-text('中文')")
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.url.endswith("/auth/login")  # back on the same page
    assert page.inner_text("h1") == "登录"


def test_registration_errors_are_shown_inline_and_what_was_typed_stays(actor, shot):
    visitor = actor()
    page = visitor.go("/auth/register")
    page.fill("input[name=email]", "kefu@xingchen.cn")
    page.fill("input[name=name]", "星辰 张经理")
    page.fill("input[name=password]", "long enough 1")
    page.fill("input[name=password2]", "long enough 2")
    page.fill("input[name=company_name]", "宁波星辰客服外包有限公司")
    page.fill("input[name=registered_capital]", "一百万")
    page.check("input[name=independent_legal_person]")
    page.click("main form [type=submit]")
    page.wait_for_selector(".alert-danger")
    capital = page.locator(".field.has-error:has(input[name=registered_capital]) .error")
    repeat = page.locator(".field.has-error:has(input[name=password2]) .error")
    assert capital.count() == 1 and repeat.count() == 1
    assert "数字" in capital.inner_text() or "数值" in capital.inner_text(), capital.inner_text()
    assert page.input_value("input[name=email]") == "kefu@xingchen.cn"
    assert page.input_value("input[name=company_name]") == "宁波星辰客服外包有限公司"
    assert page.input_value("input[name=registered_capital]") == "一百万"
    assert page.is_checked("input[name=independent_legal_person]")
    capital.scroll_into_view_if_needed()
    shot(page, "22-registration-error-inline")


def test_tender_form_errors_are_shown_at_their_field_and_the_form_keeps_its_values(live, actor, shot):
    email = live.account("buyer", "buyer-forms@e2e.cn", "采购人 李")
    buyer = actor(email)
    page = buyer.go("/buyer/tenders/new")
    page.fill("input[name=title]", "星河百货 电商客服外包（表单校验）")
    page.fill("input[name='criteria-3-weight']", "40")  # the weights now sum to 105
    assert "105" in page.inner_text("#weight-sum")  # the running sum, before posting
    page.fill("input[name='scenario-daily_inquiries']", "-5")
    page.click("button[name=action][value=save]")
    page.wait_for_selector(".alert-danger")
    assert page.input_value("input[name=title]") == "星河百货 电商客服外包（表单校验）"
    assert page.input_value("input[name='criteria-3-weight']") == "40"
    assert page.input_value("input[name='scenario-daily_inquiries']") == "-5"
    inquiries = page.locator(".field.has-error:has(input[name='scenario-daily_inquiries']) .error")
    assert inquiries.count() >= 1
    assert "100" in page.inner_text("main")  # the sum rule, in Chinese
    inquiries.first.scroll_into_view_if_needed()
    shot(page, "23-tender-form-error-inline")


def test_an_upload_with_problems_lists_them_and_keeps_the_chosen_files(live, actor, shot):
    tender_id = open_tender(live, "星河百货 电商客服外包（上传校验）")
    sample = sample_bid("hengxin")
    email = live.vendor("vendor-upload@e2e.cn", sample["facts"]["company_name"], sample["facts"])
    vendor = actor(email)
    page = vendor.go(f"/vendor/tenders/{tender_id}")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    template = Path(download.value.path()).read_bytes()
    mistyped = {**sample, "pricing": {**sample["pricing"], "base_per_agent": -1500}}
    document = make_bid_document(SECTIONS, sample["facts"])
    page.set_input_files(
        "input[name=quote]", {"name": "报价单.xlsx", "mimeType": XLSX, "buffer": fill_quote(template, mistyped)}
    )
    page.set_input_files("input[name=document]", {"name": "投标文件.docx", "mimeType": DOCX, "buffer": document})
    page.click("#upload-form [type=submit]")
    problems = page.locator("#upload-problems .alert-danger")
    problems.wait_for()
    text = problems.inner_text()
    assert "未保存任何内容" in text and "!" in text, text  # the sheet!cell of the mistyped rate
    # The page was not reloaded: both files are still chosen; replacing one is enough.
    assert page.evaluate("document.querySelector('input[name=quote]').files[0].name") == "报价单.xlsx"
    assert page.evaluate("document.querySelector('input[name=document]').files.length") == 1
    shot(page, "24-upload-problems-files-kept")
    page.set_input_files(
        "input[name=quote]", {"name": "报价单.xlsx", "mimeType": XLSX, "buffer": fill_quote(template, sample)}
    )
    page.click("#upload-form [type=submit]")
    page.wait_for_url("**/vendor/submissions/*")
    assert page.inner_text("tfoot th.num") == "31,466.67"


def test_without_javascript_the_upload_is_a_normal_form_post(live, actor):
    tender_id = open_tender(live, "星河百货 电商客服外包（无脚本上传）")
    sample = sample_bid("jindou")
    email = live.vendor("vendor-nojs@e2e.cn", sample["facts"]["company_name"], sample["facts"])
    vendor = actor(email, javascript=False)
    page = vendor.go(f"/vendor/tenders/{tender_id}")
    assert page.locator(".upload-progress").is_hidden()
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    quote = fill_quote(Path(download.value.path()).read_bytes(), sample)
    page.set_input_files("input[name=quote]", {"name": "报价单.xlsx", "mimeType": XLSX, "buffer": quote})
    page.click("#upload-form [type=submit]")  # no document chosen
    page.wait_for_selector(".field.has-error:has(input[name=document]) .error")
    page.set_input_files("input[name=quote]", {"name": "报价单.xlsx", "mimeType": XLSX, "buffer": quote})
    page.set_input_files(
        "input[name=document]",
        {"name": "投标文件.docx", "mimeType": DOCX, "buffer": make_bid_document(SECTIONS, sample["facts"])},
    )
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/bid")) as posted:
        page.click("#upload-form [type=submit]")
    page.wait_for_url("**/vendor/submissions/*")
    assert posted.value.resource_type == "document"
    assert page.inner_text("tfoot th.num") == "18,000.00"


def test_in_english_the_results_page_and_its_charts_are_in_english(live, actor, shot):
    """A buyer who chose English reads the results, headings and charts, in English."""
    from tender.models import User
    from tender.platform.extensions import db
    from tender.services import opening
    from tests.integration.helpers import submit

    tender_id = open_tender(live, "星河百货 电商客服外包（英文结果页）")
    evaluator = live.account("evaluator", "expert-en@e2e.cn", "Expert Zhou")
    vendors = [
        live.vendor(f"vendor-en-{name}@e2e.cn", sample_bid(name)["facts"]["company_name"], sample_bid(name)["facts"])
        for name in ("yunkefu", "zhuanxi")
    ]
    with live.app.app_context():
        from tender.services import tenders

        users = {u.email: u for u in db.session.query(User).all()}
        tender = tenders.get_published(tender_id)
        for email, name in zip(vendors, ("yunkefu", "zhuanxi")):
            submit(users[email], tender, sample_bid(name))
        opening.assign(users["buyer-forms@e2e.cn"], tender_id, users[evaluator].public_id)
    live.clock.advance(days=7, hours=1)
    try:
        with live.app.app_context():
            users = {u.email: u for u in db.session.query(User).all()}
            opening.open_bids(users["buyer-forms@e2e.cn"], tender_id)
        buyer = actor("buyer-forms@e2e.cn")
        page = buyer.go(f"/results/{tender_id}")
        page.click(".lang-switch button:has-text('English')")
        page.wait_for_selector("html[lang=en]")
        assert page.inner_text("h1").startswith("Results")
        assert page.inner_text("#result-charts h2") == "Charts"
        images = page.locator("#result-charts img")
        assert all("lang=en" in images.nth(i).get_attribute("src") for i in range(images.count()))
        from tests.e2e.test_story import wait_until_drawn

        for index in range(images.count()):
            wait_until_drawn(images.nth(index))
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "25-results-english")
        page.locator("#result-charts").scroll_into_view_if_needed()
        shot(page, "26-results-charts-english")
    finally:
        live.clock.reset()
