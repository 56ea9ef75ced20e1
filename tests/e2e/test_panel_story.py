"""The panel decides together, in a real browser (domain §15, §16): four bids are opened and
scored (through the services: the blind score sheet has its own story); the panel asks
广州金豆 to explain its abnormally low price — 18,000.00 a month under the threshold
0.8 × 53,903.34 = 43,122.67 —, the vendor answers on its bid page with a PDF, one evaluator
proposes to accept, a second agrees (2 of 3), the chair closes the evaluation and the three
evaluators sign the report with their passwords; the buyer's report is then final.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
VENDORS = ("yunkefu", "jindou", "hengxin", "zhuanxi")
EXPERTS = [("panel1@e2e.cn", "评标专家 赵"), ("panel2@e2e.cn", "评标专家 钱"), ("panel3@e2e.cn", "评标专家 孙")]
SCORES = {"yunkefu": ("26", "13"), "jindou": ("15", "8"), "hengxin": ("22", "11"), "zhuanxi": ("27", "14")}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def sample_bid(name: str) -> dict:
    return json.loads((SAMPLES / "bids" / f"{name}.json").read_text(encoding="utf-8"))


def opened_and_scored(live, clock) -> tuple[str, str]:
    """A tender with the four sample bids, opened, every evaluator's scores submitted.
    Returns the tender's id and 广州金豆's bid id."""
    from tender.models import User
    from tender.platform.extensions import db
    from tender.services import opening, panel
    from tests.integration.helpers import published, submit

    live.account("buyer", "panel-buyer@e2e.cn", "采购人 钱")
    for email, name in EXPERTS:
        live.account("evaluator", email, name)
    for key in VENDORS:
        facts = sample_bid(key)["facts"]
        live.vendor(f"panel-{key}@e2e.cn", facts["company_name"], facts)
    with live.app.app_context():
        user = {u.email: u for u in db.session.query(User)}
        tender = published(user["panel-buyer@e2e.cn"], title="评标委员会共同决定的项目")
        bids = {key: submit(user[f"panel-{key}@e2e.cn"], tender, sample_bid(key)).bid.public_id for key in VENDORS}
        for email, _name in EXPERTS:
            opening.assign(user["panel-buyer@e2e.cn"], tender.public_id, user[email].public_id)
        clock.advance(days=11)  # past the deadline (10 days) and the opening time
        opening.open_bids(user["panel-buyer@e2e.cn"], tender.public_id)
        for email, _name in EXPERTS:
            panel.declare(user[email], tender.public_id, False, "")
            entries = {}
            for key, (plan, team) in SCORES.items():
                entries[(bids[key], "plan")], entries[(bids[key], "team")] = plan, team
            panel.save_scores(user[email], tender.public_id, entries, submit=True)
        return tender.public_id, bids["jindou"]


def test_an_abnormally_low_price_explained_and_voted_and_the_report_signed_by_three(live, actor, clock, shot):
    tender_id, jindou = opened_and_scored(live, clock)
    low = f"/evaluator/tenders/{tender_id}/abnormal-low"

    # The first evaluator (the chair) reads the threshold and asks for an explanation.
    chair = actor(EXPERTS[0][0])
    page = chair.go(low)
    section = page.locator(f"#abnormal-{jindou}")
    assert "0.8 × 53,903.34 = 43,122.67" in section.inner_text()
    section.locator("textarea[name=question]").fill("请说明每月 18,000 元如何覆盖 12 个坐席的人工成本")
    section.locator(".request-explanation [type=submit]").click()
    page.wait_for_selector("#awaiting-explanation")
    shot(page, "40-panel-abnormal-low-threshold")

    # The vendor sees the request on its bid page and answers with a PDF.
    vendor = actor("panel-jindou@e2e.cn")
    page = vendor.go(f"/vendor/bids/{jindou}")
    assert "要求澄清报价" in page.inner_text("#explanation")
    page.fill(
        "#explanation-form textarea[name=answer]", "自有智能客服系统分流 60% 咨询，人工坐席 5 人，成本测算见附件。"
    )
    page.set_input_files(
        "#explanation-form input[name=files]", {"name": "成本测算.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.click("#explanation-form [type=submit]")
    page.wait_for_selector(".alert-success")
    assert "成本测算.pdf" in page.inner_text("#explanation")
    shot(page, "41-vendor-explanation-sent")

    # The chair reads it and proposes to accept; the second evaluator agrees: 2 of 3.
    page = chair.go(low)
    section = page.locator(f"#abnormal-{jindou}")
    assert "自有智能客服系统分流" in section.inner_text() and "成本测算.pdf" in section.inner_text()
    section.locator("input[name=decision][value=accept]").check()
    section.locator("textarea[name=note]").fill("说明成立：系统分流有合同佐证")
    section.locator("form:not(.request-explanation) [type=submit]").click()
    page.wait_for_selector(".alert-success")
    second = actor(EXPERTS[1][0])
    page = second.go(f"/evaluator/tenders/{tender_id}/proposals")
    assert "尚未表决" in page.inner_text(".proposal")
    shot(page, "42-panel-vote")
    page.check(".vote-form input[name=agree][value=yes]")
    page.fill(".vote-form textarea[name=reason]", "同意：说明与附件一致")
    page.click(".vote-form [type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已通过" in page.inner_text(".proposal .tally")

    # The chair closes the evaluation, having confirmed the consequence; the three sign.
    page = chair.go(f"/evaluator/tenders/{tender_id}/proposals")
    page.check("#close-form input[name=understood]")
    page.click("#close-form [type=submit]")
    page.wait_for_url("**/sign")
    for number, (email, _name) in enumerate(EXPERTS):
        member = chair if number == 0 else actor(email)
        page = member.go(f"/evaluator/tenders/{tender_id}/sign")
        page.check("#sign-form input[name=understood]")
        page.fill("#sign-form input[name=password]", "wrong" if number == 0 else PASSWORD)
        page.click("#sign-form [type=submit]")
        if number == 0:  # a wrong password is refused; the report is not signed
            page.wait_for_selector(".alert-danger")
            page.check("#sign-form input[name=understood]")
            page.fill("#sign-form input[name=password]", PASSWORD)
            page.click("#sign-form [type=submit]")
        page.wait_for_selector(".alert-success")
    shot(page, "43-panel-report-signed")
    rows = page.locator("#signatures tbody tr")
    assert rows.count() == 3 and "尚未签署" not in page.inner_text("#signatures")

    # The buyer's results name the chair and the signers; the report is final.
    buyer = actor("panel-buyer@e2e.cn")
    page = buyer.go(f"/results/{tender_id}")
    assert EXPERTS[0][1] in page.inner_text("#panel-chair")
    assert page.inner_text("#signed-by").count("评标专家") == 3
    with page.expect_download() as download:
        page.click("a[href$='/report.docx']")
    assert "草稿" not in download.value.suggested_filename
