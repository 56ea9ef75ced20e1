"""What a contract is settled by (tender/contracts/terms.py): a winner's share of the volume,
the contract's first month and its months, the cost the evaluation predicted."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from scoring.times import SHANGHAI
from tender.contracts.terms import (
    month_labels,
    predicted_cost,
    share_scenario,
    start_month,
    terms_from,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
D = Decimal


def snapshot(share="1.00", **scenario) -> dict:
    tender = json.loads((SAMPLES / "settlement" / "tender.json").read_text(encoding="utf-8"))
    tender["scenario"].update(scenario)
    bid = json.loads((SAMPLES / "settlement" / "bid.json").read_text(encoding="utf-8"))
    return {"tender": tender, "bid": bid, "lot": "", "share": share, "vendor": "杭州云客服科技有限公司"}


def test_a_share_of_the_volume_scales_inquiries_seats_sales_and_work():
    terms = terms_from(snapshot())
    scaled = share_scenario(terms.scenario, D("0.40"))
    assert scaled.daily_inquiries == 320 and scaled.agents_per_shift == D("2.4")  # 800 × 0.4, 6 × 0.4
    assert scaled.cs_sales_per_month == 600000 and scaled.returning_share == D("0.35")
    assert scaled.peak_extra_agents == D("1.6")  # 4 × 0.4
    assert share_scenario(terms.scenario, D(1)) is terms.scenario


def test_the_predicted_cost_is_the_monthly_cost_times_the_months():
    # 杭州云客服 per inquiry: 15,600 × 2.50 + 8,400 × 1.50 = 51,600 + peak 200 × 4 × 10 ÷ 12 = 666.67
    # → 52,266.666… a month, × 12 = 627,200.00 (rounded once, at the end)
    assert predicted_cost(terms_from(snapshot())) == D("627200.00")
    # on 60 %: 9,360 × 2.50 + 5,040 × 1.50 = 30,960 + peak 200 × 2.4 extra agents × 10 ÷ 12 = 400
    # → 31,360 × 12 = 376,320.00
    assert predicted_cost(terms_from(snapshot("0.60"))) == D("376320.00")


def test_the_contract_starts_with_the_profiles_first_month_or_the_month_after_the_award():
    assert start_month(terms_from(snapshot()), dt.datetime(2026, 12, 15, 10, tzinfo=SHANGHAI)) == "2027-01"
    # 30 November 20:00 UTC is already 1 December in Shanghai: the contract starts in January
    assert start_month(terms_from(snapshot()), dt.datetime(2026, 11, 30, 20, tzinfo=dt.UTC)) == "2027-01"
    assert start_month(terms_from(snapshot()), dt.datetime(2027, 3, 3, tzinfo=SHANGHAI)) == "2027-04"
    profile = [{"label": f"2027-{m:02d}{' 618' if m == 6 else ''}", "daily_inquiries": 800} for m in range(2, 14)]
    profile[-1]["label"] = "2028-01"
    terms = terms_from(snapshot(peak_days_per_year=None, monthly_profile=profile))
    assert start_month(terms, dt.datetime(2026, 12, 15, tzinfo=SHANGHAI)) == "2027-02"


def test_month_labels_run_over_the_new_year():
    assert month_labels("2027-11", 4) == ["2027-11", "2027-12", "2028-01", "2028-02"]
    assert len(month_labels("2027-01", 24)) == 24
