"""``tender settle`` end to end on samples/settlement/, and on invalid inputs.

The sample: the e-commerce tender with §14's payment terms (10 % at risk, 3 % bonus) and
KPIs; the winner 杭州云客服 (2.50 per new, 1.50 per returning inquiry, minimum 3000 per
agent-shift, peak days at 200 per extra agent); March 2027: 860 inquiries a day × 31 days
= 26660, 35 % returning → 9331 returning and 17329 new; 6 agents × 2 shifts; 1 peak day.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx

from tender.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "settlement"


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def args(folder: Path, *extra: str) -> list[str]:
    return ["settle", str(folder / "tender.json"), str(folder / "bid.json"), str(folder / "month.json"), *extra]


def test_sample_settles_with_exit_0_and_the_committed_settlement(tmp_path, capsys):
    out, report = tmp_path / "settlement.json", tmp_path / "验收报告.docx"
    code = main(args(SAMPLE, "--json", str(out), "--docx", str(report)))
    printed = capsys.readouterr()
    assert code == 0 and printed.err == ""
    data = load(out)
    assert data == load(SAMPLE / "settlement.json")
    # 17329 × 2.50 + 9331 × 1.50 = 43322.50 + 13996.50 = 57319 (above the minimum 3000 × 12 = 36000);
    # peak 200 × 4 × 1 = 800 → charge 58119.00; at risk × 0.10 = 5811.90;
    # reply (0.5) and conversion (0.2) missed → 5811.90 × 0.7 = 4068.33; payable 54050.67
    assert (data["charge"], data["deduction"], data["bonus"], data["payable"]) == (
        "58119.00",
        "4068.33",
        "0.00",
        "54050.67",
    )
    assert [k["deduction"] for k in data["kpis"]] == ["2905.95", "0.00", "1162.38"]
    assert "应付金额：54050.67" in printed.out
    assert "3分钟人工回复率（reply_3min）≥ 0.95，权重 0.5：0.932 → 未达标，扣款 2905.95" in printed.out
    document = docx.Document(str(report))
    text = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert "54,050.67" in text and "询单转化率" in text


def test_english_printout(tmp_path, capsys):
    assert main(args(SAMPLE, "--lang", "en")) == 0
    out = capsys.readouterr().out
    assert "Payable: 54050.67" in out
    assert "3分钟人工回复率 (reply_3min) ≥ 0.95, weight 0.5: 0.932 → not met, deduction 2905.95" in out


def test_invalid_files_exit_2_with_every_problem_and_write_nothing(tmp_path, capsys):
    folder = tmp_path / "bad"
    shutil.copytree(SAMPLE, folder)
    tender = load(folder / "tender.json")
    tender["kpis"][2]["weight"] = 0.1  # 0.5 + 0.3 + 0.1 = 0.9
    (folder / "tender.json").write_text(json.dumps(tender, ensure_ascii=False), encoding="utf-8")
    month = load(folder / "month.json")
    month["actual"]["daily_inquiries"] = -860
    month["kpis"]["reply_rate"] = 0.93
    (folder / "month.json").write_text(json.dumps(month, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "settlement.json"
    code = main(args(folder, "--json", str(out)))
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "输入有误，共 1 处 / 1 problem(s) in the input:" in err
    assert "tender.json: kpis: 各 KPI 权重之和应为 1，实为 0.9 / the KPI weights must sum to 1, they sum to 0.9" in err
    # the tender is fixed: now the month's own problems are found, both at once
    tender["kpis"][2]["weight"] = 0.2
    (folder / "tender.json").write_text(json.dumps(tender, ensure_ascii=False), encoding="utf-8")
    code = main(args(folder, "--json", str(out)))
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "month.json: actual.daily_inquiries: 不能为负数（-860） / must not be negative (-860)" in err
    assert "month.json: kpis.reply_rate: 招标文件没有编号为“reply_rate”的 KPI" in err
    assert "2 problem(s)" in err


def test_missing_and_broken_files_are_each_named(tmp_path, capsys):
    (tmp_path / "month.json").write_text('{"month": "2027-03",', encoding="utf-8")
    code = main(["settle", str(SAMPLE / "tender.json"), str(tmp_path / "none.json"), str(tmp_path / "month.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{tmp_path / 'none.json'}: 文件不存在 / file not found" in err
    assert f"{tmp_path / 'month.json'}:1:" in err and "JSON 格式错误" in err


def test_the_settlement_docs_example_is_the_samples(capsys):
    # docs/settlement.md quotes the sample's figures and the command that makes them
    text = (ROOT / "docs" / "settlement.md").read_text(encoding="utf-8")
    data = load(SAMPLE / "settlement.json")
    for figure in (data["charge"], data["deduction"], data["payable"], *[k["deduction"] for k in data["kpis"]]):
        assert figure in text
    assert (
        "tender settle samples/settlement/tender.json samples/settlement/bid.json samples/settlement/month.json" in text
    )
