"""The unified social credit code (统一社会信用代码) of a vendor: required to register, checked
with its check character (GB 32100-2015) at the field in the reader's language, stored
normalized, one account per company. (On the opening record and in the reports:
``evaluation/test_credit_code_on_record.py``.)"""

from __future__ import annotations

import html
import re

import pytest
from flask_babel import refresh

from tender.models import User
from tender.platform.extensions import db
from tender.services import Invalid, accounts
from tests.integration.conftest import seed_demo

# 91310115MA1K4BXQ2 + check character 5 (Σ index × weight = 2537; 2537 mod 31 = 26; 31 − 26 = 5)
VALID = "91310115MA1K4BXQ25"
# 91440300MA5FUTW1X + X (the check character may be a letter)
OTHER_VALID = "91440300MA5FUTW1XX"


def registration(**changes) -> dict:
    return {
        "email": "new@vendor.cn",
        "name": "Ms Chen",
        "password": "long password",
        "password2": "long password",
        "company_name": "上海新客服有限公司",
        "credit_code": VALID,
        **changes,
    }


def field_error(page: str, name: str) -> str | None:
    """The error shown under one field of the form (None: the field has none)."""
    found = re.search(
        rf'<div class="field has-error[^"]*">\s*<label for="{name}">.*?<div class="error" role="alert">([^<]*)</div>',
        page,
        re.S,
    )
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize(
    "typed, zh, en",
    [
        ("", "请填写统一社会信用代码", "Enter the unified social credit code"),
        (
            "91310115MA1K4BXQ2",
            "统一社会信用代码应为 18 位，实为 17 位",
            "a unified social credit code has 18 characters, this one has 17",
        ),
        (
            "91310115MA1K4BXQI5",
            "统一社会信用代码不能含有字符 I（不使用 I、O、S、V、Z）",
            "cannot contain I (I, O, S, V and Z are not used)",
        ),
        # one digit mistyped (the 17th, 2 → 3): the check character no longer matches (worked below)
        (
            "91310115MA1K4BXQ35",
            "校验位不符：第 18 位应为 8",
            "the check character does not match: the 18th character should be 8",
        ),
    ],
)
def test_a_wrong_credit_code_is_refused_at_its_field_in_both_languages_and_nothing_is_stored(client, typed, zh, en):
    page = html.unescape(client.post("/auth/register", data=registration(credit_code=typed)).get_data(as_text=True))
    assert zh in field_error(page, "credit_code")
    assert f'value="{typed}"' in page if typed else True  # what was typed stays
    client.post("/language/en")
    refresh()  # the test's app context outlives the request: let the next one choose its language
    page = html.unescape(client.post("/auth/register", data=registration(credit_code=typed)).get_data(as_text=True))
    assert en in field_error(page, "credit_code")
    assert User.query.filter_by(email="new@vendor.cn").count() == 0


def test_the_check_character_the_mistyped_code_calls_for_by_hand():
    from scoring.identity import check_character

    # the 17th character typed 3 instead of 2 (weight 28) adds 28 to the sum: 2537 + 28 = 2565;
    # 2565 mod 31 = 23 (31 × 82 = 2542); 31 − 23 = 8: the 18th character should be 8, not the 5 typed
    assert check_character("91310115MA1K4BXQ3") == "8"


def test_a_second_account_with_the_same_code_is_refused(app, client):
    accounts.register_vendor(
        email="first@vendor.cn",
        name="Mr Li",
        password="long password",
        company_name="上海新客服有限公司",
        facts={},
        credit_code=VALID,
    )
    page = html.unescape(
        client.post("/auth/register", data=registration(email="second@vendor.cn")).get_data(as_text=True)
    )
    assert "已有供应商账户使用此统一社会信用代码" in field_error(page, "credit_code")
    assert User.query.filter_by(email="second@vendor.cn").count() == 0
    with pytest.raises(Invalid) as refused:  # the service says the same to any caller
        accounts.register_vendor(
            email="third@vendor.cn",
            name="x",
            password="long password",
            company_name="x",
            facts={},
            credit_code=VALID.lower(),
        )
    assert refused.value.problems[0].path == "credit_code"


def test_the_company_page_asks_an_older_account_for_its_code_and_keeps_it(app, client, auth, users):
    vendor = users["vendor"]  # made before codes were asked for: none yet
    auth.login(vendor)
    page = html.unescape(
        client.post("/auth/company", data={"company_name": "杭州云客服科技有限公司"}).get_data(as_text=True)
    )
    assert "Enter the unified social credit code" in field_error(page, "credit_code")
    response = client.post(
        "/auth/company", data={"company_name": "杭州云客服科技有限公司", "credit_code": " 91440300ma5futw1xx "}
    )
    assert response.status_code == 302
    db.session.refresh(vendor.vendor_profile)
    assert vendor.vendor_profile.credit_code == OTHER_VALID
    assert f'value="{OTHER_VALID}"' in client.get("/auth/company").get_data(as_text=True)


def test_the_demo_vendors_have_valid_codes_of_their_own(app, runner):
    from scoring.identity import credit_code_problem

    seed_demo(app, runner)
    codes = [u.vendor_profile.credit_code for u in User.query.filter_by(role="vendor").order_by(User.email)]
    assert len(codes) == 5 and len(set(codes)) == 5
    assert all(credit_code_problem(code) is None for code in codes), codes
    # vendor1: 91330100MA2000001, Σ index × weight = 9 + 3 + 27 + 81 + 26 + M 21×20 + A 10×29 + 2×25 + 1×28
    # = 934; 934 mod 31 = 4 (31 × 30 = 930); 31 − 4 = 27 → the character of index 27: U
    assert codes[0] == "91330100MA2000001U"
