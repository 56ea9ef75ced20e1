"""The command line end to end on the committed samples, and on invalid inputs.

``tender evaluate`` runs in-process (``tender.cli.main``) on ``samples/`` (the e-commerce
tender, twelve bids, five evaluators) and on ``samples/postal/`` (rate card, reference
discounts, weighted volumes, bands, two winners). Its result.json must equal the committed
one, and the printed table must show the ranking. Every invalid input exits with status 2
and names the file and the field or rule, so a buyer can fix it without reading code.

The worked numbers in the comments can be checked by hand. The e-commerce scenario:
800 inquiries a day × 30 days = 24000 a month, 35 % returning → 8400 returning and 15600
new; 6 agents × 2 shifts = 12 agent-shifts; 1500000 CNY of sales by customer service a
month; 10 peak days a year with 4 extra agents; 12 contract months.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tender.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
POSTAL = SAMPLES / "postal"


def sample_args(folder: Path, out: Path) -> list[str]:
    bids = sorted(str(p) for p in (folder / "bids").glob("*.json"))
    return ["evaluate", str(folder / "tender.json"), *bids, "--panel", str(folder / "panel.json"), "--json", str(out)]


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def run(capsys, args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def table_rows(out: str) -> list[tuple[str, str]]:
    """(rank, vendor) of each row of the printed ranking table."""
    rows = []
    for line in out.splitlines()[2:]:
        if not line.strip():
            break
        rank, vendor = line.split()[:2]
        rows.append((rank, vendor))
    return rows


def bid_of(result: dict, vendor: str) -> dict:
    return next(b for b in result["bids"] if b["vendor"] == vendor)


# --------------------------------------------------------------------------- e-commerce sample


@pytest.fixture(scope="module")
def ecommerce(tmp_path_factory):
    out = tmp_path_factory.mktemp("ecommerce") / "result.json"
    code = main(sample_args(SAMPLES, out))
    return code, load(out)


def test_sample_tender_evaluates_with_exit_0_and_the_committed_result(ecommerce):
    code, result = ecommerce
    assert code == 0
    assert result == load(SAMPLES / "result.json")
    assert result["status"] == "ok"


def test_sample_table_prints_the_ranking_with_a_shared_rank(tmp_path, capsys):
    code, out, err = run(capsys, sample_args(SAMPLES, tmp_path / "result.json"))
    assert code == 0 and err == ""
    assert table_rows(out) == [
        ("1", "杭州云客服科技有限公司"),
        ("2", "苏州专席客服服务有限公司"),
        ("3", "西安长安呼叫中心服务有限公司"),
        ("4", "深圳优选电商运营有限公司"),
        ("5", "南京恒信客服外包有限公司"),
        ("6", "成都锦程客服服务有限公司"),
        ("7", "武汉楚天客服外包有限公司"),
        ("7", "郑州中原客服外包有限公司"),
        ("9", "金华小蜜蜂电子商务有限公司"),
        ("10", "合肥速达电商服务有限公司"),
    ]
    assert "状态：评审完成（ok）" in out
    assert "中标候选人（按顺序）：杭州云客服科技有限公司, 苏州专席客服服务有限公司, 西安长安呼叫中心服务有限公司" in out
    assert "厦门鹭岛客服外包有限公司 (66666.67): 注册资金不低于人民币100万元" in out


def test_sample_uses_every_pricing_model_but_the_rate_card_ones(ecommerce):
    from scoring.pricing import MODELS

    _code, result = ecommerce
    used = {b["model"] for b in result["bids"]}
    assert used == set(MODELS) - {"line_items", "reference_discount"}
    tiered = {
        load(SAMPLES / "bids" / b["source"])["pricing"].get("mode") for b in result["bids"] if b["model"] == "tiered"
    }
    assert tiered == {"bracket", "graduated"}


@pytest.mark.parametrize(
    "vendor, monthly_cost",
    [
        # 15600 × 2.50 + 8400 × 1.50 = 51600 (minimum 3000 × 12 = 36000 is lower); peak 200 × 4 × 10 / 12 = 666.67
        ("杭州云客服科技有限公司", "52266.67"),
        # (5200 × 12 + 220 × 4 × 10 / 12) × (1 − 5 %) = 63133.33 × 0.95 = 59976.67
        ("苏州专席客服服务有限公司", "59976.67"),
        # 1500 × 12 + 2 % × 1500000 + (6000 + 3600) / 12 + 666.67 = 18000 + 30000 + 800 + 666.67
        ("南京恒信客服外包有限公司", "49466.67"),
        # 33 × 12 × 30 + 2.5 % × 1500000 + 180 × 4 × 10 / 12 = 11880 + 37500 + 600
        ("合肥速达电商服务有限公司", "49980.00"),
        # 3.8 % × 1500000, no peak rate (counted 0 and flagged)
        ("深圳优选电商运营有限公司", "57000.00"),
        # bracket: 800 a day lies in (600, 1000] → 1800 a day × 30 = 54000; + 666.67
        ("武汉楚天客服外包有限公司", "54666.67"),
        # graduated, monthly: 30000 for the first 15000 + (24000 − 15000) × 2.30 = 50700; + 666.67
        ("成都锦程客服服务有限公司", "51366.67"),
        # 990 + (24000 − 600) × 2.20 = 990 + 51480
        ("金华小蜜蜂电子商务有限公司", "52470.00"),
        # 150 × 12 × 30 = 54000; + 666.67
        ("郑州中原客服外包有限公司", "54666.67"),
        # (19.50 × 12 × 8 × 30 + 190 × 4 × 10 / 12) × 1.06 = (56160 + 633.33) × 1.06 = 60200.93
        ("西安长安呼叫中心服务有限公司", "60200.93"),
        # 5500 × 12 + 666.67
        ("厦门鹭岛客服外包有限公司", "66666.67"),
        # 24000 × 0.68 = 16320 is below the minimum 1500 × 12 = 18000
        ("广州金豆客服外包有限公司", "18000.00"),
    ],
)
def test_sample_monthly_costs_are_the_hand_computed_ones(ecommerce, vendor, monthly_cost):
    _code, result = ecommerce
    assert bid_of(result, vendor)["monthly_cost"] == monthly_cost


def test_sample_scores_of_the_winner_add_up_by_hand(ecommerce):
    _code, result = ecommerce
    winner = bid_of(result, "杭州云客服科技有限公司")
    # benchmark: the SME 合肥速达 at 49980 × (1 − 0.1) = 44982; 30 × 44982 / 52266.67 = 25.818… → 25.82
    assert result["benchmark_price"] == "44982.00"
    # experience min(6 × 2, 10) = 10; response 20 s ≤ 30 → 10; ISO 9001 → 5
    # plan mean (26 + 27 + 25 + 28 + 26) / 5 = 26.40; team drops 14 and 12: (12 + 13 + 13) / 3 = 12.67
    assert winner["scores"] == {
        "price": "25.82",
        "experience": "10.00",
        "response": "10.00",
        "licensed": "5.00",
        "plan": "26.40",
        "team": "12.67",
    }
    # 25.82 + 10 + 10 + 5 + 26.40 + 12.67
    assert winner["total"] == "89.89"
    assert result["awards"] == [{"vendor": "杭州云客服科技有限公司", "rank": 1, "share": "1.00"}]


def test_sample_sme_is_scored_on_its_deducted_price_but_shows_its_real_cost(ecommerce):
    _code, result = ecommerce
    sme = bid_of(result, "金华小蜜蜂电子商务有限公司")
    # 52470 × 0.9 = 47223; 30 × 44982 / 47223 = 28.577… → 28.58
    assert (sme["monthly_cost"], sme["price_basis"], sme["scores"]["price"]) == ("52470.00", "47223.00", "28.58")


def test_sample_abnormally_low_bid_is_rejected_by_the_panel(ecommerce):
    _code, result = ecommerce
    low = bid_of(result, "广州金豆客服外包有限公司")
    # the ten other qualified bids average 542060.95 / 10 = 54206.10; 0.8 × 54206.10 = 43364.88 > 18000
    assert low["flags"] == ["abnormal_low", "peak_not_priced"]
    assert low["abnormal_low_decision"] == "reject"
    assert low["valid"] is False and "rank" not in low
    assert low["reasons"][0].startswith("异常低价，评标委员会决定否决")


def test_sample_tie_on_total_and_cost_shares_rank_7_and_the_next_is_9(ecommerce):
    _code, result = ecommerce
    # both cost 54666.67 → 30 × 44982 / 54666.67 = 24.69; 楚天 6 + 5 + 5 + 22.40 + 11.33 = 49.73,
    # 中原 8 + 5 + 5 + 21.40 + 10.33 = 49.73: equal totals 74.42, equal cost, equal non-price total
    tied = [bid_of(result, v) for v in ("武汉楚天客服外包有限公司", "郑州中原客服外包有限公司")]
    assert [(b["total"], b["rank"]) for b in tied] == [("74.42", 7), ("74.42", 7)]
    assert bid_of(result, "金华小蜜蜂电子商务有限公司")["rank"] == 9


def test_sample_break_even_volumes_are_where_the_cheapest_bid_changes(ecommerce):
    _code, result = ecommerce
    # 小蜜蜂 66 d − 330 (+0 peak) meets 锦程's flat 30666.67 at d = 30996.67 / 66 = 469.65;
    # 锦程 69 d − 3833.33 meets 恒信's flat 49466.67 at d = 53300 / 69 = 772.46
    assert [(p["daily_inquiries"], p["below"], p["above"]) for p in result["sensitivity"]["break_even"]] == [
        ("469.65", "金华小蜜蜂电子商务有限公司", "成都锦程客服服务有限公司"),
        ("772.46", "成都锦程客服服务有限公司", "南京恒信客服外包有限公司"),
    ]


def process(args: list[str]) -> subprocess.CompletedProcess:
    """``tender`` as its own process (``python -m tender.cli``), as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "tender.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_sample_through_a_subprocess_writes_the_same_result_and_prints_every_line(tmp_path, capsys):
    """The process ends without freeing what it built (``os._exit``): the table on a pipe is
    still printed to its last line and result.json is complete."""
    in_process = tmp_path / "in-process.json"
    code, expected_table, _err = run(capsys, sample_args(SAMPLES, in_process))
    assert code == 0
    out = tmp_path / "result.json"
    done = process(sample_args(SAMPLES, out))
    assert done.returncode == 0, done.stderr
    assert load(out) == load(SAMPLES / "result.json")
    assert "   1 杭州云客服科技有限公司" in done.stdout
    assert done.stdout == expected_table and done.stdout.count("\n") > 20
    assert out.read_bytes() == in_process.read_bytes() and out.read_bytes().endswith(b"}\n")


def test_invalid_input_through_the_process_still_exits_2_with_the_problems(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"facts": {"company_name": "甲"}, "pricing": ', encoding="utf-8")
    done = process(["evaluate", str(SAMPLES / "tender.json"), str(broken)])
    assert done.returncode == 2
    assert "broken.json:1:" in done.stderr and "JSON 格式错误" in done.stderr


# --------------------------------------------------------------------------- postal sample


@pytest.fixture(scope="module")
def postal(tmp_path_factory):
    out = tmp_path_factory.mktemp("postal") / "result.json"
    code = main(sample_args(POSTAL, out))
    return code, load(out)


def test_postal_sample_evaluates_with_exit_0_and_the_committed_result(postal):
    code, result = postal
    assert code == 0
    assert result == load(POSTAL / "result.json")
    assert result["status"] == "ok"


def test_postal_table_prints_the_ranking_and_the_two_awards(tmp_path, capsys):
    code, out, _err = run(capsys, sample_args(POSTAL, tmp_path / "result.json"))
    assert code == 0
    assert table_rows(out) == [
        ("1", "江苏邮通信息服务有限公司"),
        ("2", "上海中信达客户服务有限公司"),
        ("3", "安徽汇通客服外包有限公司"),
        ("4", "山东华夏通信服务有限公司"),
        ("5", "福建极速客服科技有限公司"),
    ]
    assert "中标份额：江苏邮通信息服务有限公司 0.60, 上海中信达客户服务有限公司 0.40" in out


def test_postal_rate_card_and_reference_discounts_by_hand(postal):
    _code, result = postal
    # 63000 件 × 1.55 + 6300 单 × 8.80 + 4 席·月 × 6500 = 97650 + 55440 + 26000
    assert bid_of(result, "江苏邮通信息服务有限公司")["monthly_cost"] == "179090.00"
    # reference 63000 × 1.71 + 6300 × 9.50 + 4 × 6800 = 194780; × (1 − 8 %) and × (1 − 5 %)
    assert bid_of(result, "安徽汇通客服外包有限公司")["monthly_cost"] == "179197.60"
    assert bid_of(result, "上海中信达客户服务有限公司")["monthly_cost"] == "185041.00"
    capped = bid_of(result, "浙江迅捷呼叫中心有限公司")
    assert capped["valid"] is False
    assert capped["reasons"] == [
        "在线咨询单价 1.78 元超过单价最高限价 1.71 元 / unit price of 在线咨询 1.78 exceeds its ceiling 1.71"
    ]


def test_postal_weighted_cost_of_a_volume_driven_bid(postal):
    _code, result = postal
    jisu = bid_of(result, "福建极速客服科技有限公司")
    # 淡季 1000 × 30 × 2.75 = 82500 and 平季 123750 are below the minimum 7500 × 20 = 150000;
    # 旺季 2500 × 30 × 2.75 = 206250; 0.16 × 150000 + 0.16 × 150000 + 0.68 × 206250 = 188250
    assert [(v["name"], v["monthly_cost"]) for v in jisu["volume_costs"]] == [
        ("淡季", "150000.00"),
        ("平季", "150000.00"),
        ("旺季", "206250.00"),
    ]
    assert jisu["monthly_cost"] == "188250.00"
    # 188250 / (0.16 × 30000 + 0.16 × 45000 + 0.68 × 75000 = 63000 inquiries) = 2.988… → 2.99
    assert jisu["cost_per_inquiry"] == "2.99"


def test_postal_average_deviation_prices_and_banded_plan(postal):
    _code, result = postal
    # five valid prices; drop 179090 and 188250; B = (179197.60 + 185041 + 186160) / 3 = 183466.20
    assert result["benchmark_price"] == "183466.20"
    first = bid_of(result, "江苏邮通信息服务有限公司")
    # 179090 is 2.385 % below B: 40 − 0.5 × 2.385 = 38.81; KPI 0.96 ≥ 0.95 and 110 s ≤ 120 → 15;
    # ISO 27001 → 5; min(5 × 2, 8, 10) = 8; plan (18 + 17 + 18.5) / 3 = 17.83 in band 三档;
    # team (8 + 8 + 9) / 3 = 8.33 (a plain mean with fewer than 5 evaluators)
    assert first["scores"] == {
        "price": "38.81",
        "kpi": "15.00",
        "security": "5.00",
        "experience": "8.00",
        "plan": "17.83",
        "team": "8.33",
    }
    assert first["total"] == "92.97"
    # 185041 is 0.858 % above B: 40 − 1 × 0.858 = 39.14
    assert bid_of(result, "上海中信达客户服务有限公司")["scores"]["price"] == "39.14"
    assert result["awards"] == [
        {"vendor": "江苏邮通信息服务有限公司", "rank": 1, "share": "0.60"},
        {"vendor": "上海中信达客户服务有限公司", "rank": 2, "share": "0.40"},
    ]


def test_postal_break_even_of_the_minimum_guarantee_against_the_rate_card(postal):
    _code, result = postal
    # 30 × 2.75 × d = 179090 → d = 179090 / 82.5 = 2170.79
    assert result["sensitivity"]["break_even"] == [
        {
            "daily_inquiries": "2170.79",
            "below": "福建极速客服科技有限公司",
            "above": "江苏邮通信息服务有限公司",
            "monthly_cost": "179090.00",
        }
    ]


# --------------------------------------------------------------------------- invalid inputs


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def sample_tender() -> dict:
    return load(SAMPLES / "tender.json")


def sample_bid(name: str = "yunkefu.json") -> dict:
    return load(SAMPLES / "bids" / name)


def ecommerce_args(tmp_path: Path, *, tender=None, bids: dict | None = None, panel=None) -> list[str]:
    """The sample's files, with some replaced by broken ones written to tmp_path."""
    tender_path = write(tmp_path, "tender.json", tender) if tender is not None else SAMPLES / "tender.json"
    bid_paths = sorted((SAMPLES / "bids").glob("*.json"))
    if bids:
        bid_paths = [p for p in bid_paths if p.name not in bids]
        bid_paths += [write(tmp_path / "bids", name, data) for name, data in bids.items()]
    panel_path = write(tmp_path, "panel.json", panel) if panel is not None else SAMPLES / "panel.json"
    return [
        "evaluate",
        str(tender_path),
        *map(str, bid_paths),
        "--panel",
        str(panel_path),
        "--json",
        str(tmp_path / "out" / "result.json"),
    ]


def postal_args(tmp_path: Path, *, tender=None, panel=None) -> list[str]:
    tender_path = write(tmp_path, "tender.json", tender) if tender is not None else POSTAL / "tender.json"
    panel_path = write(tmp_path, "panel.json", panel) if panel is not None else POSTAL / "panel.json"
    return [
        "evaluate",
        str(tender_path),
        *sorted(str(p) for p in (POSTAL / "bids").glob("*.json")),
        "--panel",
        str(panel_path),
        "--json",
        str(tmp_path / "out" / "result.json"),
    ]


def with_pricing(pricing: dict, name: str = "yunkefu.json") -> dict:
    bid = sample_bid(name)
    bid["pricing"] = pricing
    return bid


def broken_json(tmp_path):
    # line 2, column 33: the comma before "}" leaves a property name missing
    text = '{\n  "facts": {"company_name": "x",},\n  "pricing": {"model": "daily_rate"}\n}\n'
    return ecommerce_args(tmp_path, bids={"broken.json": text})


def missing_file(tmp_path):
    args = ecommerce_args(tmp_path)
    args.insert(2, str(tmp_path / "nowhere.json"))
    return args


def unknown_model_and_missing_parameter(tmp_path):
    return ecommerce_args(
        tmp_path,
        bids={
            "per_seat.json": with_pricing({"model": "per_seat", "rate": 5000}),
            "zhuanxi.json": with_pricing({"model": "fixed_per_agent", "kpi_holdback": 0.15}, "zhuanxi.json"),
        },
    )


def negative_rate(tmp_path):
    return ecommerce_args(
        tmp_path, bids={"yunkefu.json": with_pricing({"model": "per_inquiry", "new_rate": -0.5, "returning_rate": 1.5})}
    )


def commission_above_1(tmp_path):
    return ecommerce_args(
        tmp_path,
        bids={"youxuan.json": with_pricing({"model": "commission_only", "commission_rate": 1.5}, "youxuan.json")},
    )


def weights_not_100(tmp_path):
    tender = sample_tender()
    tender["criteria"][1]["weight"] = 5
    return ecommerce_args(tmp_path, tender=tender)


def tiers_not_ascending(tmp_path):
    return ecommerce_args(
        tmp_path,
        bids={
            "chutian.json": with_pricing(
                {
                    "model": "tiered",
                    "basis": "daily",
                    "mode": "bracket",
                    "tiers": [{"up_to": 600, "fee": 1300}, {"up_to": 300, "fee": 700}, {"up_to": None, "rate": 1.9}],
                },
                "chutian.json",
            )
        },
    )


def last_tier_bounded(tmp_path):
    return ecommerce_args(
        tmp_path,
        bids={
            "jincheng.json": with_pricing(
                {
                    "model": "tiered",
                    "basis": "monthly",
                    "mode": "graduated",
                    "tiers": [{"up_to": 15000, "fee": 30000}, {"up_to": 50000, "rate": 2.3}],
                },
                "jincheng.json",
            )
        },
    )


def unknown_op(tmp_path):
    tender = sample_tender()
    tender["qualification_rules"][1]["op"] = "≥"
    return ecommerce_args(tmp_path, tender=tender)


def opening_before_deadline(tmp_path):
    tender = sample_tender()
    tender["opening_time"] = "2026-12-18T16:30:00+08:00"
    return ecommerce_args(tmp_path, tender=tender)


def score_out_of_range(tmp_path):
    panel = load(SAMPLES / "panel.json")
    panel["scores"]["专家2"]["杭州云客服科技有限公司"]["plan"] = 31
    return ecommerce_args(tmp_path, panel=panel)


def score_out_of_band(tmp_path):
    panel = load(POSTAL / "panel.json")
    panel["scores"]["评委乙"]["江苏邮通信息服务有限公司"]["plan"] = 14
    return postal_args(tmp_path, panel=panel)


def volume_weights_not_1(tmp_path):
    tender = load(POSTAL / "tender.json")
    tender["scenario"]["volume_scenarios"][2]["weight"] = 0.58
    return postal_args(tmp_path, tender=tender)


def shares_not_1(tmp_path):
    tender = load(POSTAL / "tender.json")
    tender["award"]["shares"] = [0.6, 0.3]
    return postal_args(tmp_path, tender=tender)


@pytest.mark.parametrize(
    "make_args, expected",
    [
        (broken_json, ["broken.json:2:33: JSON 格式错误：Expecting property name enclosed in double quotes"]),
        (missing_file, ["nowhere.json: 文件不存在 / file not found"]),
        (
            unknown_model_and_missing_parameter,
            [
                "共 2 处 / 2 problem(s)",
                "per_seat.json: pricing.model: 未知的报价方式“per_seat”",
                "zhuanxi.json: pricing.monthly_per_agent: 缺少“固定费用（元/人/班次/月）”（固定薪资 / 专人专岗必填）",
            ],
        ),
        (negative_rate, ["yunkefu.json: pricing.new_rate: 不能为负数（-0.5） / must not be negative (-0.5)"]),
        (
            commission_above_1,
            ["youxuan.json: pricing.commission_rate: 不能大于 1（实为 1.5） / must be at most 1 (got 1.5)"],
        ),
        (weights_not_100, ["tender.json: criteria: 各评分因素权重之和应为 100，实为 95"]),
        (tiers_not_ascending, ["chutian.json: pricing.tiers[1].up_to: 阶梯上限应递增：300 不大于上一档 600"]),
        (last_tier_bounded, ["jincheng.json: pricing.tiers[1].up_to: 最后一档的上限应为空（不设上限）"]),
        (
            unknown_op,
            ["tender.json: qualification_rules[1].op: 未知的比较方式“≥”（可选：>=, <=, ==, covers, present）"],
        ),
        (
            opening_before_deadline,
            ["tender.json: opening_time: 开标时间早于投标截止时间 / the opening time is before the bid deadline"],
        ),
        (
            score_out_of_range,
            [
                "panel.json: scores.专家2.杭州云客服科技有限公司.plan: 评委“专家2”给“杭州云客服科技有限公司”的"
                "“服务方案”打分 31 无效：应在 0–30 之间"
            ],
        ),
        (
            score_out_of_band,
            [
                "panel.json: scores.评委乙.江苏邮通信息服务有限公司.plan: 评委“评委乙”给“江苏邮通信息服务有限公司”的"
                "“服务方案”打分 14，不在商定档次“三档”（14.1–20）内"
            ],
        ),
        (volume_weights_not_1, ["tender.json: scenario.volume_scenarios: 各情景权重之和应为 1，实为 0.90"]),
        (
            shares_not_1,
            ["tender.json: award.shares: 份额之和应为 1，实为 0.9 / the shares must sum to 1, they sum to 0.9"],
        ),
    ],
    ids=lambda value: value.__name__ if callable(value) else None,
)
def test_invalid_input_exits_2_with_its_message(tmp_path, capsys, make_args, expected):
    args = make_args(tmp_path)
    code, out, err = run(capsys, args)
    assert code == 2
    assert out == ""
    for message in expected:
        assert message in err
    assert not (tmp_path / "out" / "result.json").exists()


def test_every_problem_of_a_tender_is_listed_in_one_run(tmp_path, capsys):
    tender = copy.deepcopy(sample_tender())
    tender["criteria"][1]["weight"] = 5
    tender["qualification_rules"][1]["op"] = "gte"
    tender["opening_time"] = "2026-12-18T16:30:00+08:00"
    code, _out, err = run(capsys, ecommerce_args(tmp_path, tender=tender))
    assert code == 2
    assert "共 3 处 / 3 problem(s)" in err
    assert [line.split(":")[1].strip() for line in err.splitlines()[1:]] == [
        "criteria",
        "qualification_rules[1].op",
        "opening_time",
    ]
