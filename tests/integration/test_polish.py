"""Issue 8 polish through the test client: the vendor's own cost curve on the preview,
numbers with thousands separators, the upload form's progress hooks, and forms that keep
what was typed when they show an error."""

from __future__ import annotations

import html
import re

import pytest

from tender.platform.timefmt import show_number
from tests.integration.helpers import published, upload_data


def upload(client, tender, bid=None, sections=None):
    return client.post(
        f"/vendor/tenders/{tender.public_id}/bid",
        data=upload_data(tender, bid, sections),
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("800", "800"),
        (1200, "1,200"),
        ("2187.50", "2,187.5"),
        ("0.35", "0.35"),
        (12000000, "12,000,000"),
        ("1E+3", "1,000"),
        (None, "—"),
        ("", "—"),
        ("n/a", "n/a"),
    ],
)
def test_counts_and_volumes_are_shown_with_thousands_separators(value, shown):
    assert show_number(value) == shown


def test_the_preview_shows_the_vendors_own_cost_curve_and_no_one_elses(client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])
    preview = upload(client, tender).headers["Location"]
    page = html.unescape(client.get(preview).get_data(as_text=True))
    source = re.search(r'<img src="([^"]+cost-curve\.svg[^"]*)"', page).group(1)
    chart = client.get(source)
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert chart.data.lstrip().startswith(b"<?xml") and b"<svg" in chart.data
    # The other vendor may not draw it (404, as for a missing bid).
    auth.logout()
    auth.login(users["other_vendor"])
    assert client.get(source).status_code == 404


@pytest.mark.parametrize(("locale", "uploading"), [("en", "Uploading… {percent}"), ("zh_CN", "正在上传… {percent}")])
def test_the_upload_form_carries_its_progress_texts_in_the_users_language(client, auth, users, locale, uploading):
    from tender.platform.extensions import db

    tender = published(users["buyer"])
    users["vendor"].locale = locale
    db.session.commit()
    auth.login(users["vendor"])
    page = html.unescape(client.get(f"/vendor/tenders/{tender.public_id}").get_data(as_text=True))
    assert 'id="upload-form"' in page and 'id="upload-problems"' in page
    assert f'data-uploading="{uploading}"' in page
    assert "js/upload_progress.js" in page


def test_the_registration_form_keeps_what_was_typed_when_it_shows_an_error(client):
    response = client.post(
        "/auth/register",
        data={
            "email": "kefu@xingchen.cn",
            "name": "星辰 张经理",
            "password": "long enough 1",
            "password2": "long enough 2",
            "company_name": "宁波星辰客服外包有限公司",
            "registered_capital": "一百万",
            "independent_legal_person": "y",
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "has-error" in page
    assert 'value="kefu@xingchen.cn"' in page and 'value="宁波星辰客服外包有限公司"' in page
    assert 'value="一百万"' in page
    assert 'value="long enough 1"' not in page  # passwords are never sent back


def test_the_upload_form_lists_every_problem_and_stores_nothing(client, auth, users):
    from tender.models import BidVersion
    from tests.integration.helpers import sample_bid

    tender = published(users["buyer"])
    auth.login(users["vendor"])
    mistyped = sample_bid()
    mistyped["pricing"] = {**mistyped["pricing"], "new_rate": -2.5}
    response = upload(client, tender, mistyped)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    problems = re.search(r'<div id="upload-problems">\s*<div class="alert alert-danger".*?</ul>', page, re.S)
    assert problems and re.search(r"<li>[^<]*!C\d+", problems.group(0))  # the sheet!cell is named
    assert BidVersion.query.count() == 0


def test_the_preview_names_facts_and_quote_parameters_in_words_not_codes(client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])
    page = html.unescape(client.get(upload(client, tender).headers["Location"]).get_data(as_text=True))
    facts = page.split("<h2>Declared facts</h2>")[1].split("</dl>")[0]
    quote = page.split("<h2>Quote</h2>")[1].split("</dl>")[0]
    assert "registered capital (CNY)" in facts and "registered_capital" not in facts
    assert "3,000,000" in facts  # the sample's 3000000, with separators
    assert "online chat" in facts and "online_chat" not in facts
    assert "rate per new-customer inquiry (CNY)" in quote and "new_rate" not in quote
