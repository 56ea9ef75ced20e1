"""result.json as ``tender evaluate --json`` writes it: the same content as always, laid
out one top-level field a line and one bid a line (written by json's C encoder: an
indented file made json fall back to its pure-Python encoder, 1.4 s for 1,000 bids —
measured in bench/evaluate_bench.py --command, not here)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from tender.cli import main
from tender.documents import jsonfiles

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_the_result_file_has_one_bid_a_line_and_the_committed_content(tmp_path, capsys):
    out = tmp_path / "result.json"
    bids = sorted(str(p) for p in (SAMPLES / "bids").glob("*.json"))
    assert (
        main(
            [
                "evaluate",
                str(SAMPLES / "tender.json"),
                *bids,
                "--panel",
                str(SAMPLES / "panel.json"),
                "--json",
                str(out),
            ]
        )
        == 0
    )
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    result = json.loads(text)
    assert result == json.loads((SAMPLES / "result.json").read_text(encoding="utf-8"))
    lines = text.splitlines()
    # 12 bid files → 12 lines between `"bids": [` and its closing `]`, each a whole bid.
    start = lines.index('  "bids": [')
    bid_lines = lines[start + 1 : start + 1 + len(bids)]
    assert lines[start + 1 + len(bids)] == "  ],"
    assert [json.loads(line.rstrip(","))["vendor"] for line in bid_lines] == [b["vendor"] for b in result["bids"]]
    # One top-level field a line: the first lines are `{`, "status" and "status_reasons".
    assert lines[0] == "{" and lines[1].startswith('  "status": ') and lines[-1] == "}"
    assert f'{{"vendor": "{result["bids"][0]["vendor"]}"' in bid_lines[0]  # Chinese as such, not \\u-escaped


def test_the_line_layout_reads_back_as_the_indented_json_did():
    data = {
        "status": "ok",
        "status_reasons": [],
        "bids": [{"vendor": "甲", "total": Decimal("90.50"), "scores": {"price": "30.00"}}, {"vendor": "乙"}],
        "winners": ["甲"],
        "sensitivity": {"curves": [{"x": 1}]},
        "empty": {},
    }
    laid_out = jsonfiles.dumps_lines(data)
    assert json.loads(laid_out) == json.loads(jsonfiles.dumps(data, indent=2))
    assert laid_out.splitlines()[4:7] == [
        '    {"vendor": "甲", "total": "90.50", "scores": {"price": "30.00"}},',
        '    {"vendor": "乙"}',
        "  ],",
    ]
    assert jsonfiles.dumps_lines({}) == "{}" and jsonfiles.dumps_lines([1, 2]) == "[1, 2]"
