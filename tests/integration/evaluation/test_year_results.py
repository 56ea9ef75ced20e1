"""The results page of a tender that gives its contract months (samples/year, see
tests/integration/year_tender.py for the worked figures): each bid's cost month by month and
its contract cost as ``scoring`` computes them, the sentence saying that the year changes the
winner, the weight stability beside the criteria, the what-if's stability and its warning
when a tried weight crosses a bound, and both reports downloaded from the page."""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal

import docx
import pytest
from openpyxl import load_workbook

from tender.services import results as results_service
from tests.integration.year_tender import (
    BAOYUETONG,
    KEYS,
    XIAOMAN,
    ZUOXIBAO,
    engine_result,
    opened_year_tender,
    score_as_the_sample_panel,
    year_people,
)


@pytest.fixture
def year_evaluated(app, client, auth, users):
    people = year_people()
    tender = opened_year_tender(users["buyer"], people)
    score_as_the_sample_panel(client, auth, tender, people)
    auth.login(users["buyer"])
    return tender


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def section(page: str, css_class: str) -> str:
    start = page.index(f'class="{css_class}"')
    return page[start : page.index("</section>", start)]


def rows(fragment: str, table_class: str) -> dict[str, list[str]]:
    table = re.search(rf'<table class="[^"]*{table_class}[^"]*".*?</table>', fragment, re.S).group(0)
    found = {}
    for row in re.findall(r'<tr data-(?:vendor|criterion)="([^"]+)">(.*?)</tr>', table, re.S):
        found[html.unescape(row[0])] = [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)]
    return found


def money(value) -> str:
    return f"{value:,.2f}"


def test_the_page_shows_each_bid_s_months_and_contract_cost_as_the_engine_computes_them(client, year_evaluated):
    result = results_service.result(year_evaluated)
    assert result.status == "ok"
    page = client.get(f"/results/{year_evaluated.public_id}").get_data(as_text=True)
    year = section(page, "contract-year")
    shown = rows(year, "year-costs")
    engine = {b.vendor: b for b in engine_result().bids}
    assert set(shown) == set(engine) and len(shown) == len(KEYS)
    for vendor, bid in engine.items():
        months = [money(round(m.cost.total, 2)) for m in bid.year.months]
        assert shown[vendor][2:4] == [money(bid.year.contract_cost), money(bid.monthly_cost)], vendor
        assert shown[vendor][4:] == months, vendor
    # 杭州小满: 538,800 × 1.60 + 19,200 peak = 881,280.00 over the contract, ÷ 12 = 73,440.00, rank 1
    assert shown[XIAOMAN][:4] == [XIAOMAN, "1", "881,280.00", "73,440.00"]
    # 宁波包月通: June 173,600.00 and November 282,200.00, contract 1,075,800.00
    assert shown[BAOYUETONG][9] == "173,600.00" and shown[BAOYUETONG][14] == "282,200.00"
    assert shown[BAOYUETONG][2] == "1,075,800.00"
    # the inputs: 538,800 inquiries over 358 service days (February 28 days)
    assert "538,800" in year and "2027-11 双11" in year


def test_the_page_says_plainly_that_the_year_changes_the_winner_with_both_figures(client, year_evaluated):
    page = html.unescape(client.get(f"/results/{year_evaluated.public_id}").get_data(as_text=True))
    sentence = text_of(re.search(r'<div class="alert alert-warning year-winner"[^>]*>(.*?)</div>', page, re.S).group(1))
    assert sentence == (
        f"The year changes the winner: on the flat average month (1,505.03 inquiries a day) {BAOYUETONG} would rank "
        f"first at 72,380.00 a month; priced month by month it costs 89,650.00 a month (1,075,800.00 over the "
        f"contract) and {XIAOMAN} ranks first at 73,440.00 a month (881,280.00 over the contract)."
    )
    flat = rows(section(page, "contract-year"), "flat-average")
    # vendor, P month by month, contract cost, rank, P on the average month, rank there
    assert flat[BAOYUETONG] == [BAOYUETONG, "89,650.00", "1,075,800.00", "3", "72,380.00", "1"]
    assert flat[XIAOMAN] == [XIAOMAN, "73,440.00", "881,280.00", "1", "73,440.00", "2"]


def test_the_weight_stability_is_shown_beside_the_criteria_as_the_engine_bounds_it(client, year_evaluated):
    page = html.unescape(client.get(f"/results/{year_evaluated.public_id}").get_data(as_text=True))
    stability = section(page, "weight-stability")
    assert page.index('id="price-scores"') < page.index('class="weight-stability"') < page.index('id="result-charts"')
    shown = rows(stability, "stability")
    for bound in engine_result().weight_stability:  # as result.json writes them, rounded half-up
        written = bound.to_json()
        assert shown[bound.criterion][1:6] == [
            written["weight"],
            *(money(Decimal(written[side])) if written[side] else "—" for side in ("low", "high")),
            bound.rival_low or "—",
            bound.rival_high or "—",
        ], bound.criterion
    # price: 小满 30.00 + 58.00 on the rest, 宁波包月通 24.58 + 61.00: level where
    # x + (100 − x) × 58 / 70 = 0.8193… x + (100 − x) × 61 / 70, x = 19.17 (the legal range is 10–30)
    assert shown["price"][1:] == ["30.00", "19.17", "—", BAOYUETONG, "—", "10–30"]
    assert shown["experience"][3:6] == ["14.49", "—", ZUOXIBAO]
    assert (
        f"Within the legal range, at a price weight of 19.17 points {BAOYUETONG} totals the same as {XIAOMAN}."
        in stability
    )


def test_the_year_and_stability_charts_are_svg_for_the_buyer_only(client, auth, users, year_evaluated):
    page = client.get(f"/results/{year_evaluated.public_id}").get_data(as_text=True)
    for name in ("year_costs", "stability"):
        source = re.search(rf'src="(/charts/results/{year_evaluated.public_id}/{name}\.svg[^"]*)"', page).group(1)
        chart = client.get(html.unescape(source))
        assert chart.status_code == 200 and chart.mimetype == "image/svg+xml" and b"<svg" in chart.data
    auth.logout()
    auth.login(users["other_buyer"])
    assert client.get(f"/charts/results/{year_evaluated.public_id}/year_costs.svg").status_code == 404


def test_the_what_if_shows_its_own_stability_and_warns_when_a_weight_crosses_a_bound(client, year_evaluated):
    url = f"/results/{year_evaluated.public_id}/what-if"
    form = html.unescape(client.get(url).get_data(as_text=True))
    assert re.search(r'<td class="num stays-first">19\.17 – 100</td>', form)  # price: down to 19.17
    # price 16 with the others scaled by (100 − 16) ÷ (100 − 30) = 1.2: 12, 12, 42, 18
    weights = {
        "weight:price": "16",
        "weight:experience": "12",
        "weight:response": "12",
        "weight:plan": "42",
        "weight:team": "18",
    }
    page = html.unescape(client.post(url, data=weights).get_data(as_text=True))
    warning = text_of(re.search(r'<div class="alert alert-warning crossing"[^>]*>(.*?)</div>', page, re.S).group(1))
    assert warning.startswith(
        f"price: the weight tried, 16, is at or beyond 19.17, where {BAOYUETONG} draws level "
        f"with {XIAOMAN} (published weight 30)."
    )
    # 宁波包月通 16 × 73,440 ÷ 89,650 = 13.11 + 12 + 12 + 28 × 1.2 + 13 × 1.2 = 86.31
    # 南通坐席宝 16 × 73,440 ÷ 78,833.33 = 14.91 + 12 + 12 + 26.67 × 1.2 + 12.33 × 1.2 = 85.71
    # 杭州小满   16 + 8 × 1.2 + 12 + 27.33 × 1.2 + 12.67 × 1.2 = 85.60
    ranking = re.search(r'<table class="table ranking" id="what-if-ranking">.*?</table>', page, re.S).group(0)
    order = re.findall(r'<tr data-vendor="([^"]+)"', ranking)[:3]
    assert order == [BAOYUETONG, ZUOXIBAO, XIAOMAN]
    assert ["86.31", "85.71", "85.60"] == re.findall(r"<strong>([\d.]+)</strong>", ranking)[:3]
    stability = section(page, "weight-stability")
    assert 'id="weight-stability-what-if"' in page and f"{BAOYUETONG} ranks first" in stability
    assert "data:image/svg+xml;base64," in stability
    unchanged = html.unescape(
        client.post(
            url,
            data={
                **weights,
                "weight:price": "30",
                "weight:experience": "10",
                "weight:response": "10",
                "weight:plan": "35",
                "weight:team": "15",
            },
        ).get_data(as_text=True)
    )
    assert "crossing" not in unchanged


def test_the_reports_downloaded_from_the_page_have_the_year_and_the_stability(client, year_evaluated):
    workbook = load_workbook(io.BytesIO(client.get(f"/results/{year_evaluated.public_id}/report.xlsx").data))
    assert (
        "Monthly costs" in workbook.sheetnames and "Weight stability" in workbook.sheetnames
    )  # the buyer reads English
    costs = [cell for row in workbook["Monthly costs"].iter_rows(values_only=True) for cell in row]
    assert 881280 in costs and 1075800 in costs  # both contract costs
    document = docx.Document(io.BytesIO(client.get(f"/results/{year_evaluated.public_id}/report.docx").data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("The contract year, month by month" in h for h in headings)
    assert any("Weight stability" in h for h in headings)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The year changes the winner" in text


def test_a_tender_without_months_shows_no_year_and_has_no_year_chart(client, auth, people, opened_tender):
    from tests.integration.evaluation.helpers import whole_panel_scores

    whole_panel_scores(client, auth, opened_tender, people)
    auth.login(people["buyer"])
    page = client.get(f"/results/{opened_tender.public_id}").get_data(as_text=True)
    assert 'class="contract-year"' not in page and 'class="weight-stability"' in page
    assert client.get(f"/charts/results/{opened_tender.public_id}/year_costs.svg").status_code == 404
