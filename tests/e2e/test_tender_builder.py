"""In a real browser (issue 17): a buyer writes the seed's tender only through the builders
— registered capital at least 100 万元, Taobao, Tmall and JD, first response within 30 s,
satisfaction at least 95 % — corrects a typing mistake from the error summary, and the
pages pass axe-core (WCAG 2.1 AA: no critical or serious violation) in both languages and
at a phone's width (390 px, no horizontal scroll)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def axe_violations(page) -> list[str]:
    """axe-core's critical and serious violations of the page (WCAG 2.1 A and AA rules)."""
    resources = pytest.importorskip("importlib.resources")
    axe = pytest.importorskip("axe_playwright_python", reason="pip install -e '.[test]' brings axe-core")
    script = resources.files(axe).joinpath("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(script)
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})""")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} × e.g. {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_buyer_writes_the_seeds_tender_through_the_builders(live, actor, shot):
    email = live.account("buyer", "buyer-builder@e2e.cn", "采购人 王")
    buyer = actor(email)
    page = buyer.go("/buyer/tenders/new")
    page.fill("input[name=title]", "云裳旗舰店 电商客服外包服务项目")
    page.fill("input[name=buyer]", "杭州云裳服饰有限公司")

    # the rule builder: facts by their names, comparisons in words, values in their units
    rule = page.locator("#rule-1")
    assert rule.locator("select[name='qualification_rules-0-subject'] option:checked").inner_text() == "注册资本（元）"
    assert rule.locator("select[name='qualification_rules-0-op'] option:checked").inner_text() == "不低于"
    assert rule.locator("input[name='qualification_rules-0-value']").input_value() == "100"
    assert rule.locator("select[name='qualification_rules-0-unit'] option:checked").inner_text() == "万元"
    page.click("button[value='add:qualification_rules']")
    page.select_option("select[name='qualification_rules-2-subject']", label="服务平台")
    # the comparison follows the fact: a set of platforms is "covered"
    assert page.input_value("select[name='qualification_rules-2-op']") == "covers"
    page.fill("input[name='qualification_rules-2-value']", "淘宝、天猫、京东")
    page.fill("input[name='qualification_rules-2-label']", "能服务淘宝、天猫、京东")

    # quality requirements, with the units people type
    page.fill("input[name='quality_requirements-first_response_seconds_max']", "30秒")
    page.fill("input[name='quality_requirements-satisfaction_min']", "95%")

    # a step of 首次响应时间承诺 mistyped: "3o" for 30
    criterion = page.locator("#criterion-3")
    assert criterion.locator(".for-steps").is_visible()
    assert criterion.locator(".unit-text").first.inner_text() == "秒"
    criterion.locator("input[name='criteria-2-step_rows-1-value']").fill("2o")
    page.click("button[value=save]")
    page.wait_for_selector("#error-summary")
    link = page.locator("#error-summary a[href='#criteria-2-step_rows-1-value']")
    assert "评分因素 3 · 分档 2 · 值" in link.inner_text()
    assert page.locator("#section-scope").get_attribute("open") is None  # no error there: folded
    shot(page, "40-buyer-form-error-summary")
    from tests.e2e.conftest import SCREENSHOTS

    page.locator("#criterion-3").screenshot(path=str(SCREENSHOTS / "43-buyer-form-steps.png"))
    page.locator("#section-criteria").evaluate("d => d.open = false")
    page.locator("#section-rules").evaluate("d => d.open = true")
    page.locator("#rule-1").screenshot(path=str(SCREENSHOTS / "44-buyer-form-rule.png"))
    link.click()
    focused = page.evaluate("() => document.activeElement.name")
    assert focused == "criteria-2-step_rows-1-value"  # the link put the cursor there
    page.fill("input[name='criteria-2-step_rows-1-value']", "20")
    page.click("button[value=save]")
    page.wait_for_selector("h1 .badge")
    tender_page = page.url
    # the quality requirement demands 30 s: the step "≤ 60 s: 5 points" is reached by every bid
    assert "人人都能达到" in page.inner_text("#tender-warnings")
    shot(page, "41-buyer-draft-with-warnings")

    from tender.models import Tender

    with live.app.app_context():
        stored = Tender.query.filter_by(title="云裳旗舰店 电商客服外包服务项目").one().definition()
    assert {
        "fact": "registered_capital",
        "op": ">=",
        "value": 1000000,
        "label": "注册资金不低于人民币100万元",
        "label_en": "registered capital of at least CNY 1,000,000",
    } in stored["qualification_rules"]
    assert {
        "fact": "platforms",
        "op": "covers",
        "value": ["taobao", "tmall", "jd"],
        "label": "能服务淘宝、天猫、京东",
    } in stored["qualification_rules"]
    assert stored["quality_requirements"]["first_response_seconds_max"] == 30
    assert stored["quality_requirements"]["satisfaction_min"] == "0.95"
    steps = next(c["steps"] for c in stored["criteria"] if c.get("rule") == "steps")
    assert steps == [{"at_most": 60, "points": 5}, {"at_most": 20, "points": 10}]

    # accessible: the form, its draft page and the list, in Chinese and in English
    for path in ("/buyer/tenders/new", tender_page, "/buyer/tenders/"):
        buyer.go(path)
        assert axe_violations(page) == [], path
    page.click(".lang-switch button:has-text('English')")
    page.wait_for_selector("html[lang=en]")
    for path in ("/buyer/tenders/new", tender_page):
        buyer.go(path)
        assert axe_violations(page) == [], path
    page.click(".lang-switch button:has-text('中文')")
    page.wait_for_selector("html[lang=zh-CN]")

    # on a phone: the form and the list fit the screen
    page.set_viewport_size(PHONE)
    for path in ("/buyer/tenders/new", "/buyer/tenders/"):
        buyer.go(path)
        assert no_horizontal_scroll(page), path
    buyer.go("/buyer/tenders/new")
    shot(page, "42-buyer-form-phone", full_page=False)


def test_the_accessibility_check_finds_an_unlabelled_field(live, actor):
    """The checker itself: a field without a label is reported (so a clean page means something)."""
    page = actor().go("/auth/login")
    assert axe_violations(page) == []
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=probe>')")
    assert any(v.startswith("label (critical)") for v in axe_violations(page))


def test_the_pages_of_vendors_and_visitors_are_accessible_in_both_languages(live, actor):
    from tests.e2e.test_language_and_forms import open_tender

    public_id = open_tender(live, "无障碍检查项目")
    vendor_email = live.vendor(
        "vendor-a11y@e2e.cn",
        "宁波无障碍客服有限公司",
        {"registered_capital": 5000000, "independent_legal_person": True},
    )
    visitor = actor()
    for path in ("/", "/notices/", f"/notices/{public_id}", "/auth/login", "/auth/register"):
        page = visitor.go(path)
        assert axe_violations(page) == [], path
    vendor = actor(vendor_email)
    paths = ("/vendor/tenders", f"/vendor/tenders/{public_id}", "/vendor/bids", "/auth/company")
    for english in (False, True):
        if english:
            vendor.page.click(".lang-switch button:has-text('English')")
            vendor.page.wait_for_selector("html[lang=en]")
        for path in paths:
            page = vendor.go(path)
            assert axe_violations(page) == [], (path, english)
            assert no_horizontal_scroll(page) or page.viewport_size["width"] > 400
    vendor.page.set_viewport_size(PHONE)
    for path in paths:
        page = vendor.go(path)
        assert no_horizontal_scroll(page), path
