"""The tender form's KPI and payment-terms section (domain §14): typed, saved, validated
as the engine does (each problem at its field), and round-tripped when a draft is edited."""

from __future__ import annotations

import html
import json

from scoring import parse_tender
from tender.models import Tender
from tests.integration.browser import form_data
from tests.integration.helpers import draft

KPIS = [
    {"id": "reply_3min", "name": "3分钟人工回复率", "direction": "at_least", "target": "0.95", "weight": "0.5"},
    {"id": "satisfaction", "name": "满意度", "direction": "at_least", "target": "0.90", "weight": "0.3"},
    {"id": "complaints", "name": "有效投诉数", "direction": "at_most", "target": "3", "weight": "0.2"},
]


def new_form(client) -> dict:
    return form_data(client.get("/buyer/tenders/new").get_data(as_text=True), "tender-form")


def with_kpis(data: dict, kpis=KPIS, at_risk="0.10", bonus="0.03") -> dict:
    for index, kpi in enumerate(kpis):
        for key, value in kpi.items():
            data[f"kpis-{index}-{key}"] = value
    data.update({"payment_terms-at_risk_share": at_risk, "payment_terms-bonus_share": bonus})
    return data


def test_kpis_and_payment_terms_typed_on_the_form_are_saved(client, auth, users):
    auth.login(users["buyer"])
    data = with_kpis({**new_form(client), "title": "KPI 考核测试", "action": "save"})
    assert client.post("/buyer/tenders/new", data=data).status_code == 302
    stored = json.loads(Tender.query.one().definition_json)
    assert stored["payment_terms"] == {"at_risk_share": "0.1", "bonus_share": "0.03"}
    assert [(k["id"], k["direction"], k["target"], k["weight"]) for k in stored["kpis"]] == [
        ("reply_3min", "at_least", "0.95", "0.5"),
        ("satisfaction", "at_least", "0.9", "0.3"),
        ("complaints", "at_most", 3, "0.2"),
    ]
    model = parse_tender(stored)
    assert model.payment_terms.at_risk_share * 100 == 10 and len(model.kpis) == 3


def test_a_form_without_kpis_saves_none(client, auth, users):
    auth.login(users["buyer"])
    assert (
        client.post("/buyer/tenders/new", data={**new_form(client), "title": "无 KPI", "action": "save"}).status_code
        == 302
    )
    stored = json.loads(Tender.query.one().definition_json)
    assert "kpis" not in stored and "payment_terms" not in stored


def test_weights_not_summing_to_one_and_a_bad_target_are_refused_at_their_place(client, auth, users):
    auth.login(users["buyer"])
    kpis = [{**KPIS[0], "weight": "0.6"}, KPIS[1], KPIS[2]]  # 0.6 + 0.3 + 0.2 = 1.1
    data = with_kpis({**new_form(client), "title": "KPI 错误", "action": "save"}, kpis, at_risk="1.5")
    page = html.unescape(client.post("/buyer/tenders/new", data=data).get_data(as_text=True))
    assert "the KPI weights must sum to 1, they sum to 1.1" in page
    share_at = page.index('name="payment_terms-at_risk_share"')
    assert page.index("must be at most 1", share_at) - share_at < 600
    assert 'name="kpis-0-weight" type="text" value="0.6"' in page  # what was typed is kept
    kpis = [KPIS[0], {**KPIS[1], "target": "-1", "direction": "at_least"}, KPIS[2]]
    page = html.unescape(
        client.post(
            "/buyer/tenders/new", data=with_kpis({**new_form(client), "title": "KPI 错误", "action": "save"}, kpis)
        ).get_data(as_text=True)
    )
    target_at = page.index('name="kpis-1-target"')
    assert page.index("must not be negative (-1)", target_at) - target_at < 600
    assert Tender.query.count() == 0


def test_a_kpi_row_is_added_and_a_draft_with_kpis_round_trips(client, auth, users):
    auth.login(users["buyer"])
    data = {**new_form(client), "action": "add:kpis"}
    page = client.post("/buyer/tenders/new", data=data).get_data(as_text=True)
    assert 'name="kpis-0-id"' in page and 'name="kpis-1-id"' not in page
    tender = draft(users["buyer"], kpis=KPIS, payment_terms={"at_risk_share": "0.10", "bonus_share": "0.03"})
    before = tender.definition()
    data = form_data(client.get(f"/buyer/tenders/{tender.public_id}/edit").get_data(as_text=True), "tender-form")
    assert data["kpis-2-direction"] == "at_most" and data["payment_terms-at_risk_share"] == "0.10"
    data["action"] = "save"
    assert client.post(f"/buyer/tenders/{tender.public_id}/edit", data=data).status_code == 302
    after = Tender.query.one().definition()
    assert parse_tender(after).kpis == parse_tender(before).kpis
    assert parse_tender(after).payment_terms == parse_tender(before).payment_terms
