"""A vendor bidding on a tender that gives its contract months (samples/year) sees its own
cost month by month on the preview (table and chart, the contract cost and P), and the
receipt quotes the contract cost; nothing of another bid is shown or drawn."""

from __future__ import annotations

import html
import json
import re

from tender.models import BidVersion
from tests.integration.helpers import published, submit, upload_data
from tests.integration.year_tender import BAOYUETONG, engine_result, published_year_tender, year_bid, year_people


def cells(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_the_preview_shows_the_vendor_s_year_month_by_month_as_the_engine_prices_it(client, auth, users):
    people = year_people()
    tender = published_year_tender(users["buyer"])
    auth.login(people["baoyuetong"])
    response = client.post(
        f"/vendor/tenders/{tender.public_id}/bid",
        data=upload_data(tender, year_bid("baoyuetong")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    table = cells(page, "own-year-table")
    engine = engine_result().bid(BAOYUETONG)
    # header, 12 months, the contract cost and P
    assert len(table) == 1 + 12 + 2
    assert [row[4] for row in table[1:13]] == [f"{m.cost.total:,.2f}" for m in engine.year.months]
    # June: 3,000 a day × 30 days = 90,000 inquiries → 60,000 + 50,000 × 2.20 + 200 × 6 × 3 = 173,600.00
    assert table[6] == ["2027-06 618", "3,000", "30", "90,000", "173,600.00"]
    assert table[2][:4] == ["2027-02 春节", "600", "28", "16,800"]
    # 538,800 inquiries over the year; 1,075,800.00 ÷ 12 = 89,650.00, the cost scored
    assert table[13][1:] == ["538,800", "1,075,800.00"] and table[14][-1] == "89,650.00"
    assert "89,650.00" in page[page.index("tfoot") :]  # the breakdown's P is the same
    chart = client.get(re.search(r'src="([^"]*year-costs\.svg[^"]*)"', page).group(1).replace("&amp;", "&"))
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml" and b"<svg" in chart.data


def test_the_receipt_quotes_the_contract_cost(client, auth, users):
    people = year_people()
    tender = published_year_tender(users["buyer"])
    version = submit(people["xiaoman"], tender, year_bid("xiaoman"))
    auth.login(people["xiaoman"])
    receipt = json.loads(client.get(f"/vendor/submissions/{version.public_id}/receipt.json").get_data(as_text=True))
    # 538,800 × 1.60 + 19,200 peak = 881,280.00 over 12 months, 73,440.00 a month
    assert (receipt["monthly_cost"], receipt["contract_cost"], receipt["contract_months"]) == (
        "73440.00",
        "881280.00",
        12,
    )
    for path in ("receipt", "receipt/print"):
        page = html.unescape(client.get(f"/vendor/submissions/{version.public_id}/{path}").get_data(as_text=True))
        assert "Contract cost quoted (12 months)" in page and "881,280.00" in page, path


def test_no_year_for_a_tender_without_months_and_none_of_another_vendor(client, auth, users):
    flat = submit(users["vendor"], published(users["buyer"]))
    auth.login(users["vendor"])
    page = client.get(f"/vendor/submissions/{flat.public_id}").get_data(as_text=True)
    assert 'id="own-year"' not in page
    assert "contract_cost" not in client.get(f"/vendor/submissions/{flat.public_id}/receipt.json").get_data(
        as_text=True
    )
    assert client.get(f"/vendor/submissions/{flat.public_id}/year-costs.svg").status_code == 404
    people = year_people()
    tender = published_year_tender(users["buyer"])
    theirs = submit(people["suhui"], tender, year_bid("suhui"))
    assert client.get(f"/vendor/submissions/{theirs.public_id}/year-costs.svg").status_code == 404
    assert BidVersion.query.count() == 2
