"""Public tender notices (招标公告): every published tender, never a draft, listed to anyone
without an account, newest first, with its binding terms, amendments, tender document and
the price-sheet template vendors get."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

from openpyxl import load_workbook

from tender.models import utcnow
from tender.platform.extensions import db
from tender.services import tenders as tender_service
from tests.integration.helpers import definition, draft, published


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_visitor_finds_the_notices_from_the_home_page(client):
    home = text(client.get("/"))
    assert 'href="/notices/"' in home


def test_the_list_shows_published_tenders_newest_first_and_never_a_draft(app, client, users):
    older = published(users["buyer"], title="较早发布的项目")
    newer = published(users["other_buyer"], title="较新发布的项目")
    older.published_at = utcnow() - dt.timedelta(days=3)
    db.session.commit()
    hidden = draft(users["buyer"], title="草稿项目不公开")
    page = text(client.get("/notices/"))
    titles = re.findall(r'<a href="/notices/[^"]+">([^<]+)</a>', page)
    assert titles == ["较新发布的项目", "较早发布的项目"]
    assert hidden.title not in page
    assert client.get(f"/notices/{hidden.public_id}").status_code == 404
    assert client.get(f"/notices/{hidden.public_id}/price-sheet.xlsx").status_code == 404
    assert client.get(f"/notices/{hidden.public_id}/tender.json").status_code == 404
    assert client.get(f"/notices/{newer.public_id}").status_code == 200


def test_the_list_is_paginated_twenty_to_a_page(app, client, users):
    start = utcnow() - dt.timedelta(days=30)
    for n in range(23):  # tender 00 published first, 22 last
        tender = published(users["buyer"], title=f"项目 {n:02d}")
        tender.published_at = start + dt.timedelta(hours=n)
    db.session.commit()
    first = text(client.get("/notices/"))
    assert re.findall(r">项目 (\d\d)<", first) == [f"{n:02d}" for n in range(22, 2, -1)]  # 22 … 3
    assert "第 1 页，共 2 页（共 23 项）" in first  # a visitor reads Chinese, the default
    assert re.findall(r">项目 (\d\d)<", text(client.get("/notices/?page=2"))) == ["02", "01", "00"]


def test_a_notice_gives_the_binding_terms_times_in_shanghai_and_the_amendments(app, client, users):
    tender = published(users["buyer"])
    amended = definition(days=12)
    amended["scenario"]["daily_inquiries"] = 900
    tender_service.amend(users["buyer"], tender, amended, "日均咨询量调整为 900")
    client.post("/language/en")
    page = text(client.get(f"/notices/{tender.public_id}"))
    # the deadline stored in UTC, shown in Shanghai (UTC+8) with the zone named
    local = (tender.bid_deadline + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert re.search(rf'id="notice-deadline">{local} \(UTC\+8 Asia/Shanghai\)<', page)
    assert "Taobao, Tmall, JD, Pinduoduo" in page  # the scope, by name
    assert "within 300 seconds" in page  # a quality requirement
    assert "at least CNY 1,000,000" in page  # a qualification rule in words
    assert "<dt>inquiries per day</dt><dd>900</dd>" in page  # the amended scenario
    assert "objective · 10 points" in page and "subjective · 15 points" in page
    assert "日均咨询量调整为 900" in page  # the amendment's note
    assert f'href="/notices/{tender.public_id}/price-sheet.xlsx"' in page
    assert "Register as a vendor to bid" in page


def test_the_price_sheet_is_the_one_vendors_download_and_the_document_is_the_tender(app, client, auth, users):
    tender = published(users["buyer"])
    public = load_workbook(io.BytesIO(client.get(f"/notices/{tender.public_id}/price-sheet.xlsx").data))
    document = json.loads(client.get(f"/notices/{tender.public_id}/tender.json").data)
    auth.login(users["vendor"])
    vendors = load_workbook(io.BytesIO(client.get(f"/vendor/tenders/{tender.public_id}/price-sheet.xlsx").data))
    assert public.sheetnames == vendors.sheetnames
    for name in public.sheetnames:
        assert [list(r) for r in public[name].iter_rows(values_only=True)] == [
            list(r) for r in vendors[name].iter_rows(values_only=True)
        ], name
    assert document == tender.definition()
    assert document["scenario"]["daily_inquiries"] == 800


def test_a_cancelled_tender_stays_listed_with_its_reason_and_no_invitation_to_bid(app, client, users):
    tender = published(users["buyer"])
    tender_service.cancel(users["buyer"], tender, "预算调整，项目取消")
    page = text(client.get(f"/notices/{tender.public_id}"))
    assert "预算调整，项目取消" in page
    assert "/auth/register" not in page.split('id="notice-documents"')[1]  # no invitation to bid after it


def test_a_signed_in_vendor_is_led_from_the_notice_to_its_bid(app, client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])
    page = text(client.get(f"/notices/{tender.public_id}"))
    assert f'href="/vendor/tenders/{tender.public_id}"' in page
