"""``tender evaluate`` on a tender divided into lots with a round of final offers (samples/lots/).

The sample: lot L1 天猫旗舰店 售前咨询 has the e-commerce scenario of samples/tender.json
(24000 inquiries a month, 15600 new and 8400 returning, 12 agent-shifts, 10 peak days with
4 extra agents) and the top-level ceiling 70000; lot L2 京东自营店 售后服务 is priced on a
rate card (9000 在线咨询 and 1500 售后工单 a month; 6 agent-shifts; 10 peak days with 2 extra
agents), with its own ceiling 32000 and a ticket price cap of 8.00. One lot at most per vendor
(兼投不兼中). 杭州云客服 lowers its L1 price in the final round, 南京恒信 its L2 price.
"""

from __future__ import annotations

import copy
import json

import pytest

from tests.e2e_cli.test_cli_samples import SAMPLES, load, run

LOTS = SAMPLES / "lots"
YUN, ZHUANXI, HENGXIN, CHANGAN, JINCHENG = (
    "杭州云客服科技有限公司",
    "苏州专席客服服务有限公司",
    "南京恒信客服外包有限公司",
    "西安长安呼叫中心服务有限公司",
    "成都锦程客服服务有限公司",
)


def lot_args(out, folder=LOTS, bids=None, extra=()):
    bids = bids if bids is not None else sorted(str(p) for p in (folder / "bids").glob("*.json"))
    return [
        "evaluate",
        str(folder / "tender.json"),
        *bids,
        "--panel",
        str(folder / "panel.json"),
        "--json",
        str(out),
        *extra,
    ]


@pytest.fixture(scope="module")
def lots_result(tmp_path_factory):
    from tender.cli import main

    out = tmp_path_factory.mktemp("lots") / "result.json"
    assert main(lot_args(out)) == 0
    return load(out)


def lot_of(result, lot_id):
    return next(lot for lot in result["lots"] if lot["id"] == lot_id)


def bid_in(result, lot_id, vendor):
    return next(b for b in lot_of(result, lot_id)["bids"] if b["vendor"] == vendor)


def test_the_lot_sample_evaluates_to_the_committed_result(lots_result):
    assert lots_result == load(LOTS / "result.json")
    assert lots_result["status"] == "ok"
    assert [(lot["id"], lot["name"], lot["status"]) for lot in lots_result["lots"]] == [
        ("L1", "天猫旗舰店 售前咨询", "ok"),
        ("L2", "京东自营店 售后服务", "ok"),
    ]


def test_the_vendor_first_in_both_lots_wins_the_first_and_the_second_goes_to_the_next(lots_result):
    # L1: 云客服 93.67, 专席 89.50, 长安 86.41, 恒信 84.97. L2: 云客服 92.87, 专席 90.42, 恒信 90.00.
    assert [(b["vendor"], b["rank"], b["total"]) for b in lot_of(lots_result, "L2")["bids"] if b["valid"]] == [
        (YUN, 1, "92.87"),
        (ZHUANXI, 2, "90.42"),
        (HENGXIN, 3, "90.00"),
    ]
    assert lots_result["awards"] == [
        {"lot": "L1", "vendor": YUN, "rank": 1, "share": "1.00"},
        {"lot": "L2", "vendor": ZHUANXI, "rank": 2, "share": "1.00"},
    ]
    l2 = lot_of(lots_result, "L2")
    assert l2["awards"] == [{"vendor": ZHUANXI, "rank": 2, "share": "1.00"}]
    assert [r["en"] for r in l2["status_reasons"]] == [
        f"'{YUN}' (rank 1) already holds 1 awarded lot(s), the most one vendor may win (1): skipped in this lot"
    ]


@pytest.mark.parametrize(
    "lot_id, vendor, monthly_cost, first_monthly_cost",
    [
        # final: 15600 × 2.30 + 8400 × 1.40 = 47640 (above the minimum 3000 × 12) + 200 × 4 × 10 / 12 = 48306.67;
        # first: 15600 × 2.50 + 8400 × 1.50 = 51600 + 666.67 = 52266.67
        ("L1", YUN, "48306.67", "52266.67"),
        # no final offer: 1500 × 12 + 2 % × 1500000 + (6000 + 3600) / 12 + 200 × 4 × 10 / 12 = 49466.67
        ("L1", HENGXIN, "49466.67", "49466.67"),
        # 9000 × 1.90 + 1500 × 7.00 + 200 × 2 × 10 / 12 = 17100 + 10500 + 333.33
        ("L2", YUN, "27933.33", "27933.33"),
        # 4300 × 6 + 220 × 2 × 10 / 12 = 25800 + 366.67
        ("L2", ZHUANXI, "26166.67", "26166.67"),
        # final: 9000 × 1.60 + 1500 × 7.50 + 180 × 2 × 10 / 12 = 14400 + 11250 + 300; first at 1.80: 27750.00
        ("L2", HENGXIN, "25950.00", "27750.00"),
        # 9000 × 2.00 + 1500 × 8.50 + 333.33: under the lot's ceiling 32000, but 8.50 > the ticket cap 8.00
        ("L2", JINCHENG, "31083.33", "31083.33"),
    ],
)
def test_each_lot_is_priced_on_its_own_scenario_with_first_and_final_offers(
    lots_result, lot_id, vendor, monthly_cost, first_monthly_cost
):
    bid = bid_in(lots_result, lot_id, vendor)
    assert (bid["monthly_cost"], bid["first_monthly_cost"]) == (monthly_cost, first_monthly_cost)


def test_price_scores_use_the_final_offers(lots_result):
    # L1 benchmark 云客服's final 48306.67: 恒信 30 × 48306.67 / 49466.67 = 29.30
    # L2 benchmark 恒信's final 25950: 云客服 30 × 25950 / 27933.33 = 27.87; 专席 30 × 25950 / 26166.67 = 29.75
    assert lot_of(lots_result, "L1")["benchmark_price"] == "48306.67"
    assert lot_of(lots_result, "L2")["benchmark_price"] == "25950.00"
    assert bid_in(lots_result, "L1", HENGXIN)["scores"]["price"] == "29.30"
    assert [bid_in(lots_result, "L2", v)["scores"]["price"] for v in (YUN, ZHUANXI, HENGXIN)] == [
        "27.87",
        "29.75",
        "30.00",
    ]
    assert not bid_in(lots_result, "L2", JINCHENG)["valid"]


def test_the_table_prints_each_lot_and_the_awards_across_lots(tmp_path, capsys):
    code, out, err = run(capsys, lot_args(tmp_path / "r.json"))
    assert code == 0 and err == ""
    assert "== 标包 L1：天猫旗舰店 售前咨询 ==" in out and "== 标包 L2：京东自营店 售后服务 ==" in out
    assert "首次报价" in out and "每家供应商最多中标 1 个标包" in out
    awards = out.split("各标包授标：")[1].splitlines()[3:]
    assert [line.split() for line in awards] == [["L1", YUN, "1", "1.00"], ["L2", ZHUANXI, "2", "1.00"]]
    code, out, _ = run(capsys, lot_args(tmp_path / "r.json", extra=("--lang", "en")))
    assert "== Lot L2: 京东自营店 售后服务 ==" in out and "Awards across the lots:" in out


def test_reports_of_a_lot_tender_are_written_one_per_lot(tmp_path, capsys):
    code, _out, _err = run(
        capsys,
        lot_args(
            tmp_path / "r.json", extra=("--xlsx", str(tmp_path / "评分.xlsx"), "--docx", str(tmp_path / "报告.docx"))
        ),
    )
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "r.json",
        "报告-L1.docx",
        "报告-L2.docx",
        "评分-L1.xlsx",
        "评分-L2.xlsx",
    ]
    from openpyxl import load_workbook

    ranking = load_workbook(tmp_path / "评分-L2.xlsx").worksheets[0]
    cells = [row for row in ranking.iter_rows(values_only=True)]
    assert (
        cells[0][0]
        == "云裳 天猫·京东双店 电商客服外包服务项目（分两个标包）（标包 L2：京东自营店 售后服务） — 评分汇总表"
    )
    assert cells[4][0].startswith(f"· “{YUN}”（第 1 名）已中标 1 个标包")
    # the L2 ranking with the final offers: 云客服 27933.33 → 92.87 first
    assert cells[7][:2] == (1, YUN) and cells[7][4] == 27933.33 and cells[7][12] == 92.87


def test_a_dearer_final_offer_in_a_lot_exits_2_naming_the_file_the_lot_and_both_costs(tmp_path, capsys):
    bid = load(LOTS / "bids" / "zhuanxi.json")
    # a final L2 offer at 4400 per agent-shift: 4400 × 6 + 366.67 = 26766.67 > the first 26166.67
    bid["final_lots"] = {"L2": {**bid["lots"]["L2"], "monthly_per_agent": 4400}}
    path = tmp_path / "zhuanxi.json"
    path.write_text(json.dumps(bid, ensure_ascii=False), encoding="utf-8")
    bids = [str(p) for p in sorted((LOTS / "bids").glob("*.json")) if p.name != "zhuanxi.json"] + [str(path)]
    code, out, err = run(capsys, lot_args(tmp_path / "r.json", bids=bids))
    assert code == 2 and out == "" and not (tmp_path / "r.json").exists()
    assert (
        "zhuanxi.json: final_lots.L2: 最后报价的月度成本 26766.67 元高于首次报价的 26166.67 元：最后报价不得高于首次报价 / "
        "the final offer's monthly cost 26766.67 is higher than the first offer's 26166.67"
    ) in err


def test_a_dearer_final_offer_exits_2_in_an_undivided_tender_too(tmp_path, capsys):
    bid = load(SAMPLES / "bids" / "yunkefu.json")
    # 15600 × 2.60 + 8400 × 1.50 = 53160 + 666.67 = 53826.67 > the first 52266.67
    bid["final_pricing"] = {**bid["pricing"], "new_rate": 2.6}
    path = tmp_path / "yunkefu.json"
    path.write_text(json.dumps(bid, ensure_ascii=False), encoding="utf-8")
    code, _out, err = run(capsys, ["evaluate", str(SAMPLES / "tender.json"), str(path)])
    assert code == 2
    assert "yunkefu.json: 最后报价的月度成本 53826.67 元高于首次报价的 52266.67 元" in err
    assert "the final offer's monthly cost 53826.67 is higher than the first offer's 52266.67" in err


def test_every_mistake_of_a_lot_tender_and_its_bids_is_listed_in_one_run(tmp_path, capsys):
    tender = load(LOTS / "tender.json")
    tender["lots"][1]["id"] = "L1"
    tender["lots"][1]["scenario"]["daily_inquiries"] = -300
    tender["scenario"] = copy.deepcopy(tender["lots"][0]["scenario"])
    folder = tmp_path / "bad"
    (folder / "bids").mkdir(parents=True)
    (folder / "tender.json").write_text(json.dumps(tender, ensure_ascii=False), encoding="utf-8")
    (folder / "panel.json").write_text("{}", encoding="utf-8")
    code, _out, err = run(
        capsys, lot_args(tmp_path / "r.json", folder=folder, bids=[str(LOTS / "bids" / "yunkefu.json")])
    )
    assert code == 2
    assert "tender.json: scenario: 分标包的项目不设总的用量基准" in err
    assert "tender.json: lots[1].id: 标包编号“L1”重复 / lot id 'L1' is repeated" in err
    assert "tender.json: lots[1].scenario.daily_inquiries: 不能为负数（-300）" in err


def test_a_bid_for_an_unknown_lot_exits_2(tmp_path, capsys):
    bid = load(LOTS / "bids" / "changan.json")
    bid["lots"]["L3"] = bid["lots"]["L1"]
    path = tmp_path / "changan.json"
    path.write_text(json.dumps(bid, ensure_ascii=False), encoding="utf-8")
    code, _out, err = run(capsys, lot_args(tmp_path / "r.json", bids=[str(path)]))
    assert code == 2
    assert (
        "changan.json: lots.L3: 本项目没有标包“L3”（标包：L1, L2） / this tender has no lot 'L3' (its lots: L1, L2)"
        in err
    )


def test_the_template_of_a_lot_tender_filled_and_evaluated_gives_the_same_result(tmp_path, capsys, lots_result):
    from tender.cli import main
    from tender.demo.files import fill_quote

    template = tmp_path / "报价单.xlsx"
    assert main(["template", str(LOTS / "tender.json"), "-o", str(template)]) == 0
    capsys.readouterr()
    bids = []
    for path in sorted((LOTS / "bids").glob("*.json")):
        bid = load(path)
        if "final_lots" in bid:  # a final offer comes as bid.json
            bids.append(str(path))
            continue
        filled = tmp_path / f"{path.stem}.xlsx"
        filled.write_bytes(fill_quote(template.read_bytes(), bid))
        bids.append(str(filled))
    code, _out, err = run(capsys, lot_args(tmp_path / "r.json", bids=bids))
    assert code == 0, err
    # 长安, 锦程 and 专席 came as workbooks: only their source differs.
    result, expected = load(tmp_path / "r.json"), copy.deepcopy(lots_result)
    for lot in (*result["lots"], *expected["lots"]):
        for bid in lot["bids"]:
            bid["source"] = bid["source"].rsplit(".", 1)[0]
    assert result == expected


def test_a_month_is_settled_for_one_lot_on_its_scenario_and_final_offer(tmp_path, capsys):
    month = tmp_path / "month.json"
    month.write_text(json.dumps({"month": "2027-03", "actual": {"daily_inquiries": 860}}), encoding="utf-8")
    args = ["settle", str(LOTS / "tender.json"), str(LOTS / "bids" / "yunkefu.json"), str(month)]
    code, _out, err = run(capsys, args)
    assert code == 2
    assert "--lot: 本项目分标包：请用 --lot 指明结算的标包（L1, L2）" in err
    code, _out, err = run(capsys, [*args, "--lot", "L1", "--json", str(tmp_path / "s.json")])
    assert code == 0, err
    # L1's scenario with 860 a day: 25800 inquiries, 35 % returning → 16770 new × 2.30 (the final offer)
    # + 9030 returning × 1.40 = 38571 + 12642 = 51213.00 (above the minimum 3000 × 12 = 36000)
    assert load(tmp_path / "s.json")["charge"] == "51213.00"
    code, _out, err = run(capsys, [*args[:2], str(LOTS / "bids" / "changan.json"), str(month), "--lot", "L2"])
    assert code == 2 and "changan.json: 该投标未投标包“L2” / this bid does not bid for lot 'L2'" in err
