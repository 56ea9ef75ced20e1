"""``tender evaluate`` on ``samples/year/``: a home-textile shop's contract year with 618 and 双11.

The tender gives its twelve months one by one (§10): 1,000 inquiries a day in an ordinary
month of 30 days, the Spring Festival month 600 a day over 28 days, May and October 1,200,
August 900, 618 3,000 a day with 10 agents a shift and 3 peak days, 双11 4,500 with 14 agents,
11 peak days and 6,000,000 元 of CS sales, 双12 1,600 with 8 agents and 2 peak days; 6 extra
agents on a peak day. The year holds 538,800 inquiries over 358 days, month by month
30000 + 16800 + 30000 + 30000 + 36000 + 90000 + 30000 + 27000 + 30000 + 36000 + 135000 + 48000.
Agent-shifts: 12 in nine months, 20 in June, 28 in November, 16 in December (172 in the year);
peak days 3 + 11 + 2 = 16.

Five bids; on the flat average month (538800 ÷ 12 = 44,900 inquiries) the package is the
cheapest and ranks first, month by month the per-inquiry quote does.
"""

from __future__ import annotations

import copy

import pytest

from tender.cli import main
from tests.e2e_cli.test_cli_samples import SAMPLES, bid_of, load, run, sample_args, table_rows, write

YEAR = SAMPLES / "year"
PACKAGE, PER_INQUIRY = "宁波包月通客服有限公司", "杭州小满客服科技有限公司"
FIXED, COMMISSION, MINIMUM = "南通坐席宝客服外包有限公司", "嘉兴恒久电商服务有限公司", "温州速回客服外包有限公司"


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    out = tmp_path_factory.mktemp("year") / "result.json"
    code = main(sample_args(YEAR, out))
    return code, load(out)


def test_the_year_sample_evaluates_with_exit_0_and_the_committed_result(year):
    code, result = year
    assert code == 0
    assert result == load(YEAR / "result.json")
    assert result["status"] == "ok"
    assert (result["monthly_profile"]["contract_inquiries"], result["monthly_profile"]["days"]) == ("538800", "358")


def test_the_package_month_by_month(year):
    _code, result = year
    package = bid_of(result, PACKAGE)
    # 60000 includes 40000 inquiries; 2.20 beyond; 200 × 6 extra agents per peak day.
    # ordinary months and February stay within 40000: 60000.
    # June: 60000 + (90000 − 40000) × 2.20 + 200 × 6 × 3 = 60000 + 110000 + 3600 = 173600
    # November: 60000 + (135000 − 40000) × 2.20 + 200 × 6 × 11 = 60000 + 209000 + 13200 = 282200
    # December: 60000 + (48000 − 40000) × 2.20 + 200 × 6 × 2 = 60000 + 17600 + 2400 = 80000
    assert [m["cost"] for m in package["monthly_costs"]] == [
        "60000.00",
        "60000.00",
        "60000.00",
        "60000.00",
        "60000.00",
        "173600.00",
        "60000.00",
        "60000.00",
        "60000.00",
        "60000.00",
        "282200.00",
        "80000.00",
    ]
    # 9 × 60000 + 173600 + 282200 + 80000 = 1075800; P = 1075800 / 12 = 89650
    assert (package["contract_cost"], package["monthly_cost"]) == ("1075800.00", "89650.00")
    # 1075800 / 538800 inquiries = 1.996… → 2.00
    assert package["cost_per_inquiry"] == "2.00"
    assert (
        package["monthly_breakdowns"][10]["breakdown"][1]["formula"]
        == "max(0, 135000 − 40000) 咨询 × 2.20 元 = 209000.00"
    )


@pytest.mark.parametrize(
    "vendor, contract_cost, monthly_cost",
    [
        # 538800 × 1.60 + 200 × 6 × 16 = 862080 + 19200 = 881280; / 12 = 73440
        (PER_INQUIRY, "881280.00", "73440.00"),
        # 5500 × 172 agent-shifts = 946000 (no peak rate: flagged, counted 0); / 12 = 78833.33
        (FIXED, "946000.00", "78833.33"),
        # 2000 × 172 + 2 % × CS sales (50 元 an inquiry but November's 6000000:
        # 50 × (538800 − 135000) + 6000000 = 26190000) + 19200 = 344000 + 523800 + 19200 = 887000
        (COMMISSION, "887000.00", "73916.67"),
        # max(1.50 × inquiries, 5000 × agent-shifts): the minimum 60000 in the nine ordinary months
        # (1.50 × 36000 = 54000 at most), June max(135000, 100000), November max(202500, 140000),
        # December max(72000, 80000): 9 × 60000 + 135000 + 202500 + 80000 = 957500; + 180 × 6 × 16 = 17280
        (MINIMUM, "974780.00", "81231.67"),
    ],
)
def test_every_quote_over_the_year_by_hand(year, vendor, contract_cost, monthly_cost):
    _code, result = year
    bid = bid_of(result, vendor)
    assert (bid["contract_cost"], bid["monthly_cost"]) == (contract_cost, monthly_cost)


def test_unpriced_peak_staffing_is_flagged(year):
    _code, result = year
    assert bid_of(result, FIXED)["flags"] == ["peak_not_priced"]
    assert bid_of(result, PER_INQUIRY)["flags"] == []


def test_the_year_changes_the_winner_of_the_flat_average_month(year):
    _code, result = year
    flat = result["flat_average"]
    # 538800 / 358 days = 1505.03 a day; the package: 60000 + (44900 − 40000) × 2.20 = 70780,
    # + 200 × 6 × 16 / 12 = 1600 → 72380; the per-inquiry quote 44900 × 1.60 + 1600 = 73440
    costs = {b["vendor"]: b["monthly_cost"] for b in flat["bids"]}
    assert flat["daily_inquiries"] == "1505.03"
    assert (costs[PACKAGE], costs[PER_INQUIRY]) == ("72380.00", "73440.00")
    # flat: package 30 + 20 + 41 = 91.00 against 30 × 72380 / 73440 = 29.57 + 18 + 40 = 87.57;
    # the year: package 30 × 73440 / 89650 = 24.58 + 20 + 41 = 85.58 against 30 + 18 + 40 = 88.00
    assert (flat["winner"], flat["year_winner"], flat["winner_changes"]) == (PACKAGE, PER_INQUIRY, True)
    assert [b["vendor"] for b in flat["bids"]][:2] == [PACKAGE, PER_INQUIRY]
    assert result["winners"] == [PER_INQUIRY, FIXED, PACKAGE]
    assert bid_of(result, PACKAGE)["total"] == "85.58" and bid_of(result, PER_INQUIRY)["total"] == "88.00"


def test_weight_stability_of_the_winner(year):
    _code, result = year
    bounds = {b["criterion"]: b for b in result["weight_stability"]}
    # price: 小满 30 (1 a point), rest 58; 包月通 24.58 (0.8193 a point), rest 61:
    # x · 1 + (100 − x) · 58 / 70 = x · 24.58 / 30 + (100 − x) · 61 / 70
    #   → 100 · 30 · (−3) / (30 · 2.42 − 100 · 5.42) = −9000 / −469.4 = 19.17
    assert bounds["price"] == {
        "criterion": "price",
        "weight": "30.00",
        "low": "19.17",
        "high": None,
        "rival_low": PACKAGE,
        "rival_high": None,
    }
    # experience: 坐席宝 has 10 against 8; lead on the total 1.05, on the rest 3.05:
    # 100 · 10 · 3.05 / (10 · 1.05 + 100 · 2) = 3050 / 210.5 = 14.49
    assert (bounds["experience"]["high"], bounds["experience"]["rival_high"]) == ("14.49", FIXED)
    assert (bounds["response"]["low"], bounds["response"]["high"]) == (None, None)


def test_the_printed_table_shows_the_contract_cost_the_months_and_the_stability(tmp_path, capsys):
    code, out, err = run(capsys, sample_args(YEAR, tmp_path / "result.json"))
    assert code == 0 and err == ""
    assert [vendor for _rank, vendor in table_rows(out)] == [PER_INQUIRY, FIXED, PACKAGE, COMMISSION, MINIMUM]
    assert "合同总价" in out.splitlines()[0]
    month_row = next(line for line in out.splitlines() if line.startswith(PACKAGE) and "1075800.00" in line)
    assert month_row.split()[1:] == ["60000.00"] * 5 + ["173600.00"] + ["60000.00"] * 4 + [
        "282200.00",
        "80000.00",
        "1075800.00",
    ]
    assert (
        "逐月计价改变了第一名：按平均月（日均 1505.03 咨询）计，宁波包月通客服有限公司排名第一，月度成本 72380.00 元；"
        "按合同年度逐月计价，其月度成本为 89650.00 元，排名第一的是杭州小满客服科技有限公司（月度成本 73440.00 元）。"
    ) in out
    stability = next(line for line in out.splitlines() if line.startswith("价格 "))
    assert stability.split() == ["价格", "30.00", "19.17", "-", PACKAGE, "-"]
    assert "服务类项目价格分值的法定范围为 10–30 分（财政部令第87号第五十五条）。" in out


def test_a_profile_of_the_wrong_length_exits_2_naming_the_file_and_both_numbers(tmp_path, capsys):
    tender = load(YEAR / "tender.json")
    del tender["scenario"]["monthly_profile"][-1]
    tender["scenario"]["peak_days_per_year"] = 16
    path = write(tmp_path, "tender.json", tender)
    args = ["evaluate", str(path), *sorted(str(p) for p in (YEAR / "bids").glob("*.json"))]
    code, _out, err = run(capsys, args)
    assert code == 2
    assert (
        "tender.json: scenario.monthly_profile: 逐月用量应有 12 个月（合同月数 contract_months），实有 11 个月" in err
    )
    assert "tender.json: scenario.peak_days_per_year: 已给出逐月用量（monthly_profile），不能再给出年大促天数" in err
    assert "共 2 处 / 2 problem(s)" in err


def test_the_other_samples_carry_weight_stability_but_no_months():
    for folder in (SAMPLES, SAMPLES / "postal"):
        result = load(folder / "result.json")
        assert result["weight_stability"] and "flat_average" not in result
        assert all("monthly_costs" not in b for b in result["bids"])


def test_a_shared_first_place_prints_no_stability_and_says_why(tmp_path, capsys):
    # two bids alike in every score and cost share rank 1
    bid = load(YEAR / "bids" / "xiaoman.json")
    twin = copy.deepcopy(bid)
    twin["facts"]["company_name"] = "杭州小满二号客服有限公司"
    panel = load(YEAR / "panel.json")
    for scores in panel["scores"].values():
        scores["杭州小满二号客服有限公司"] = dict(scores[PER_INQUIRY])
    args = [
        "evaluate",
        str(YEAR / "tender.json"),
        str(write(tmp_path, "a.json", bid)),
        str(write(tmp_path, "b.json", twin)),
        "--panel",
        str(
            write(
                tmp_path,
                "panel.json",
                {
                    "scores": {
                        e: {v: s for v, s in per.items() if v in (PER_INQUIRY, "杭州小满二号客服有限公司")}
                        for e, per in panel["scores"].items()
                    }
                },
            )
        ),
        "--json",
        str(tmp_path / "result.json"),
    ]
    code, out, _err = run(capsys, args)
    assert code == 0
    assert load(tmp_path / "result.json")["weight_stability"] == []
    assert "权重稳定性：第一名并列（杭州小满二号客服有限公司、杭州小满客服科技有限公司），不计算。" in out
