"""result.json as ``tender evaluate --json`` writes it: the same content as always,
indented as ``json.dumps(indent=2, ensure_ascii=False)`` lays it out (Chinese as such),
written by orjson (json's own encoder falls back to pure Python when it indents: 1.4 s
for 1,000 bids — measured in bench/evaluate_bench.py --command, not here)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.errors import InvalidInput
from tender.cli import main
from tender.documents import jsonfiles

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_the_result_file_is_indented_json_with_the_committed_content(tmp_path, capsys):
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
    # Laid out exactly as Python's own indented JSON, with a final newline.
    assert text == json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1].startswith('  "status": ') and lines[-1] == "}"
    assert f'"vendor": "{result["bids"][0]["vendor"]}"' in text  # Chinese as such, not \\u-escaped


def test_decimals_sets_and_dates_are_written_as_the_json_module_writes_them():
    data = {
        "status": "ok",
        "bids": [{"vendor": "甲", "total": Decimal("90.50"), "tags": ("a", "b")}, {"vendor": "乙"}],
        "sensitivity": {"curves": [{"x": 1}], 12: "volume"},
        "empty": {},
        "none": [],
    }
    written = jsonfiles.dumps_bytes(data).decode("utf-8")
    assert written == jsonfiles.dumps(data, indent=2)
    assert '"total": "90.50"' in written and '"12": "volume"' in written


def test_a_value_json_cannot_hold_fails_before_anything_is_written(tmp_path):
    (tmp_path / "result.json").write_text("the previous result", encoding="utf-8")
    with pytest.raises(TypeError, match="not JSON serializable: object"):
        jsonfiles.dump({"bad": object()}, tmp_path / "result.json")
    assert (tmp_path / "result.json").read_text(encoding="utf-8") == "the previous result"


def _bids(count: int):
    return [
        {
            "vendor": f"供应商{i}",
            "total": Decimal(f"{80 + i}.50"),
            "notes": {"zh": "平均（7 8）", "en": "mean"},
            "empty": {},
        }
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_bids_written_one_by_one_give_the_same_bytes_as_the_whole_list(tmp_path, count):
    data = {"status": "ok", "title": "客服外包", "bids": [], "winners": ["供应商0"], "sensitivity": {}}
    jsonfiles.dump({**data, "bids": _bids(count)}, tmp_path / "whole.json")
    jsonfiles.dump(data, tmp_path / "streamed.json", streamed=("bids", iter(_bids(count))))
    whole = (tmp_path / "whole.json").read_bytes()
    assert (tmp_path / "streamed.json").read_bytes() == whole
    assert (
        whole.decode("utf-8")
        == json.dumps({**data, "bids": json.loads(whole)["bids"]}, indent=2, ensure_ascii=False) + "\n"
    )
    assert len(json.loads(whole)["bids"]) == count
    assert not list(tmp_path.glob(".*partial"))  # nothing left beside the file


def test_a_title_that_holds_the_streamed_lists_placeholder_is_still_written_exactly(tmp_path):
    data = {"title": jsonfiles._PLACE, "bids": [], "winners": []}
    jsonfiles.dump(data, tmp_path / "result.json", streamed=("bids", iter(_bids(2))))
    assert json.loads((tmp_path / "result.json").read_text(encoding="utf-8")) == {
        "title": jsonfiles._PLACE,
        "bids": json.loads(jsonfiles.dumps_bytes(_bids(2))),
        "winners": [],
    }


def test_a_bid_json_cannot_hold_halfway_leaves_the_previous_result_whole(tmp_path):
    (tmp_path / "result.json").write_text("the previous result", encoding="utf-8")
    broken = [*_bids(2), {"vendor": "丙", "bad": object()}]
    with pytest.raises(TypeError, match="not JSON serializable: object"):
        jsonfiles.dump({"bids": []}, tmp_path / "result.json", streamed=("bids", iter(broken)))
    assert (tmp_path / "result.json").read_text(encoding="utf-8") == "the previous result"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_a_panel_file_over_a_megabyte_with_a_bom_and_windows_lines_reads_as_the_plain_one(tmp_path, capsys):
    # Files from 1 MB on are decoded where the system keeps them (mapped), the rest read whole:
    # the same text either way — the byte-order mark left out, "\r\n" read as "\n".
    plain = (SAMPLES / "panel.json").read_bytes()
    big = tmp_path / "panel.json"
    big.write_bytes(b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n") + b" " * (1 << 20))
    assert big.stat().st_size > 1 << 20
    assert jsonfiles.load(big) == jsonfiles.load(SAMPLES / "panel.json")
    bids = sorted(str(p) for p in (SAMPLES / "bids").glob("*.json"))
    out = tmp_path / "result.json"
    assert main(["evaluate", str(SAMPLES / "tender.json"), *bids, "--panel", str(big), "--json", str(out)]) == 0
    capsys.readouterr()
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads((SAMPLES / "result.json").read_text("utf-8"))


@pytest.mark.parametrize("padding", [0, 1 << 20])
def test_a_broken_or_foreign_file_is_named_with_its_line_and_column_whatever_its_size(tmp_path, padding):
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{\r\n  "scores": {\r\n    "\xe4\xb8\x93\xe5\xae\xb61": ]\r\n}' + b" " * padding)
    with pytest.raises(InvalidInput) as error:
        jsonfiles.load(broken)
    assert [p.bilingual() for p in error.value.problems] == [
        f"{broken}:3:12: JSON 格式错误：Expecting value / invalid JSON: Expecting value"
    ]
    foreign = tmp_path / "gbk.json"
    foreign.write_bytes('{"评委": 1}'.encode("gbk") + b" " * padding)
    with pytest.raises(InvalidInput) as error:
        jsonfiles.load(foreign)
    assert [p.bilingual() for p in error.value.problems] == [
        f"{foreign}: 文件不是 UTF-8 编码的 JSON / the file is not UTF-8 JSON"
    ]
