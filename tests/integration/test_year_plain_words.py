"""The pages of the contract year and the weight stability speak one language, in plain words
(the check of test_plain_words.py, on pages the demo does not have): the tender form's month
table (a flat year, an upload with its conversions, a problem), the tender page, the vendor's
preview and receipt, the results page and the what-if of samples/year — in Chinese and English."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from flask_babel import refresh

from tender.platform.extensions import db
from tests.integration.browser import form_data
from tests.integration.test_plain_words import _strings, page_texts, problems_in
from tests.integration.year_tender import (
    KEYS,
    YEAR,
    opened_year_tender,
    score_as_the_sample_panel,
    year_bid,
    year_people,
)

# What the sample's people typed (user data, in either language), longest first.
_TENDER = json.loads((YEAR / "tender.json").read_text(encoding="utf-8"))
YEAR_DATA = sorted(
    {
        text
        for text in (
            _strings(
                _TENDER,
                {
                    "title",
                    "buyer",
                    "description",
                    "project_code",
                    "opening_place",
                    "service_hours",
                    "days",
                    "label",
                    "label_en",
                    "name",
                    "name_en",
                    "required_sections",
                },
            )
            + [str(value) for key in KEYS for value in year_bid(key)["facts"].values() if isinstance(value, str)]
            + ["专家1", "专家2", "专家3", "接待量.xlsx", "接待量.csv", "报价单.xlsx", "投标文件.docx"]
            + [f"{year_bid(key)['facts']['company_name'][:6]} 投标联系人" for key in KEYS]
        )
        if not text.isascii()
    },
    key=len,
    reverse=True,
)


def problems(pages: dict[str, str], lang: str) -> list[str]:
    found = []
    for where, html in pages.items():
        for text in page_texts(html):
            for item in YEAR_DATA:
                text = text.replace(item, " ")
            found += [f"{where}: {problem} in {text[:120]!r}" for problem in problems_in(text, lang)]
    return found


def speak(client, lang: str) -> None:
    client.post(f"/language/{'zh_CN' if lang == 'zh' else 'en'}", data={"next": "/"})
    refresh()


def upload_file() -> bytes:
    book = openpyxl.Workbook()
    for row in (["统计月份", "咨询量"], ["2025-01", 1550000], ["2025-02", 840000]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_year_pages_are_in_one_language_without_codes(app, client, auth, users, lang):
    people = year_people()
    tender = opened_year_tender(users["buyer"], people)
    score_as_the_sample_panel(client, auth, tender, people)
    pages = {}
    # the vendor's preview and receipt of its own bid
    version = next(b for b in tender.bids if b.vendor_id == people["baoyuetong"].id).versions[-1]
    auth.login(people["baoyuetong"])
    speak(client, lang)
    for path in ("", "/receipt", "/receipt/print"):
        response = client.get(f"/vendor/submissions/{version.public_id}{path}")
        assert response.status_code == 200, path
        pages[f"preview{path}"] = response.get_data(as_text=True)
    auth.logout()
    # the buyer: the tender, the results, the what-if, and the form's month table at work
    auth.login(users["buyer"])
    speak(client, lang)
    for name, url in (("tender", f"/buyer/tenders/{tender.public_id}"), ("results", f"/results/{tender.public_id}")):
        pages[name] = client.get(url).get_data(as_text=True)
    weights = {
        "weight:price": "16",
        "weight:experience": "12",
        "weight:response": "12",
        "weight:plan": "42",
        "weight:team": "18",
    }
    pages["what-if"] = client.post(f"/results/{tender.public_id}/what-if", data=weights).get_data(as_text=True)
    assert "crossing" in pages["what-if"] and "year-winner" in pages["results"]
    data = form_data(client.get("/buyer/tenders/new").get_data(as_text=True), "tender-form")
    pages["flat year"] = client.post("/buyer/tenders/new", data={**data, "action": "profile-flat:scenario"}).get_data(
        as_text=True
    )
    pages["upload"] = client.post(
        "/buyer/tenders/new",
        content_type="multipart/form-data",
        data={
            **data,
            "scenario-contract_months": "2",
            "action": "profile-upload:scenario",
            "scenario-profile_file": (io.BytesIO(upload_file()), "接待量.xlsx"),
        },
    ).get_data(as_text=True)
    assert "1,550,000" in pages["upload"]
    pages["refused"] = client.post(
        "/buyer/tenders/new",
        content_type="multipart/form-data",
        data={
            **data,
            "action": "profile-upload:scenario",
            "scenario-profile_file": (io.BytesIO(b"\x00"), "接待量.csv"),
        },
    ).get_data(as_text=True)
    db.session.remove()
    found = problems(pages, lang)
    assert not found, "\n".join(found[:40])
