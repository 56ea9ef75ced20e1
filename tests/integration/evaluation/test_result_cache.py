"""The opened bids are decrypted, parsed and evaluated once per change of the panel's work:
the results page and its three charts share one evaluation, and any change of what the
evaluation reads (a score, a declaration, an opened bid …) gives the tender a new panel
version, so nobody is shown a result older than the data."""

from __future__ import annotations

import pytest

from tender.models import SubjectiveScore, Tender
from tender.platform.extensions import db
from tender.services import results as results_service
from tests.integration.evaluation.conftest import bid_id
from tests.integration.evaluation.helpers import declare, submit_scores

CHARTS = ("costs", "scores", "sensitivity")


@pytest.fixture
def evaluations(monkeypatch):
    """The evaluations run from here on (each one decrypts, parses and evaluates every bid)."""
    runs: list[str] = []
    afresh = results_service.evaluate_afresh

    def counted(tender, items):
        runs.append(tender.panel_version)
        return afresh(tender, items)

    monkeypatch.setattr(results_service, "evaluate_afresh", counted)
    return runs


def give_a_score(tender, people) -> None:
    """Expert 1's plan score 26 for 杭州云客服, written straight to the database."""
    db.session.add(
        SubjectiveScore(
            tender_id=tender.id,
            evaluator_id=people["expert1"].id,
            bid_id=next(b.id for b in tender.bids if b.public_id == bid_id(tender, "yunkefu", people)),
            criterion_id="plan",
            value="26",
        )
    )
    db.session.commit()


def load_results(client, tender) -> None:
    assert client.get(f"/results/{tender.public_id}").status_code == 200
    for chart in CHARTS:
        assert client.get(f"/charts/results/{tender.public_id}/{chart}.svg").status_code == 200


def test_the_results_page_and_its_three_charts_evaluate_once(client, auth, people, opened_tender, evaluations):
    auth.login(people["buyer"])
    load_results(client, opened_tender)
    # 4 requests (the page, 3 charts), 1 evaluation of the 4 bids
    assert len(evaluations) == 1
    load_results(client, opened_tender)
    assert len(evaluations) == 1


def test_a_new_score_gives_a_new_evaluation(client, auth, people, opened_tender, evaluations):
    auth.login(people["buyer"])
    load_results(client, opened_tender)
    first = db.session.get(Tender, opened_tender.id).panel_version
    assert results_service.inputs(opened_tender).panel["scores"]["Expert 1"] == {}
    auth.logout()

    auth.login(people["expert1"])
    declare(client, opened_tender)
    assert submit_scores(client, opened_tender, people, "expert1").status_code == 302
    auth.logout()

    db.session.expire_all()
    tender = db.session.get(Tender, opened_tender.id)
    assert tender.panel_version != first
    auth.login(people["buyer"])
    load_results(client, tender)
    # the new panel version is evaluated once (when the sheet was submitted, or for the page),
    # and the page and its charts read that evaluation
    assert evaluations.count(tender.panel_version) == 1 and evaluations[-1] == tender.panel_version
    # Expert 1's sheet for 杭州云客服: plan 26 of 30, team 13 of 15 (the worked example's scores)
    assert results_service.inputs(tender).panel["scores"]["Expert 1"]["杭州云客服科技有限公司"] == {
        "plan": "26",
        "team": "13",
    }


def test_a_score_changed_in_the_database_is_never_served_from_the_cache(app, people, opened_tender, evaluations):
    results_service.result(opened_tender)
    results_service.result(opened_tender)
    assert len(evaluations) == 1
    # any flush that touches the panel's work gives the tender a new version, whoever writes it
    give_a_score(opened_tender, people)
    results_service.result(opened_tender)
    assert len(evaluations) == 2


def test_each_chart_is_drawn_once_per_panel_version_and_language(client, auth, people, opened_tender, monkeypatch):
    from tender.charts import render as charts

    drawn: list[tuple[str, str]] = []
    real = charts.chart

    def counted(name, result, lang="zh", fmt="svg", **options):
        drawn.append((name, lang))
        return real(name, result, lang, fmt, **options)

    monkeypatch.setattr(charts, "chart", counted)
    auth.login(people["buyer"])
    client.post("/language/zh_CN", data={"next": "/"})
    url = f"/charts/results/{opened_tender.public_id}/costs.svg"
    first = client.get(url).data
    load_results(client, opened_tender)
    assert client.get(url).data == first  # the same picture, not drawn again
    assert sorted(drawn) == [("costs", "zh"), ("scores", "zh"), ("sensitivity", "zh")]
    english = client.get(url + "?lang=en").data
    assert english != first and drawn[-1] == ("costs", "en")
    client.get(url + "?lang=en")
    assert len(drawn) == 4
    # a score given: a new panel version, drawn anew
    give_a_score(opened_tender, people)
    load_results(client, opened_tender)
    assert len(drawn) == 7 and sorted(drawn[4:]) == [("costs", "zh"), ("scores", "zh"), ("sensitivity", "zh")]
