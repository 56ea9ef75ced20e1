"""`tender evaluate` accepts filled price-sheet workbooks wherever it accepts bid.json.

Every sample bid is typed into the template of the sample tender (``tender template``),
as a vendor would, and the evaluation of the workbooks must equal that of the JSON files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tender.cli import main
from tender.demo.files import fill_quote
from tender.documents import jsonfiles

ROOT = Path(__file__).resolve().parents[2]


def comparable(result: dict) -> dict:
    for bid in result["bids"]:
        bid.pop("source")
    return result


@pytest.mark.parametrize("sample", ["", "postal", "year"])
def test_workbooks_and_json_bids_give_the_same_result(tmp_path, sample, capsys):
    folder = ROOT / "samples" / sample
    tender = folder / "tender.json"
    template = tmp_path / "报价单模板.xlsx"
    assert main(["template", str(tender), "-o", str(template)]) == 0
    workbooks = []
    bids = sorted((folder / "bids").glob("*.json"))
    for path in bids:
        filled = tmp_path / f"{path.stem}.xlsx"
        filled.write_bytes(fill_quote(template.read_bytes(), jsonfiles.load(path)))
        workbooks.append(str(filled))
    from_json, from_xlsx = tmp_path / "json.json", tmp_path / "xlsx.json"
    panel = ["--panel", str(folder / "panel.json")]
    assert main(["evaluate", str(tender), *map(str, bids), *panel, "--json", str(from_json)]) == 0
    assert main(["evaluate", str(tender), *workbooks, *panel, "--json", str(from_xlsx)]) == 0
    capsys.readouterr()
    assert comparable(json.loads(from_xlsx.read_text("utf-8"))) == comparable(json.loads(from_json.read_text("utf-8")))


def test_a_workbook_with_errors_is_reported_by_file_and_cell(tmp_path, capsys):
    tender = ROOT / "samples" / "tender.json"
    template = tmp_path / "template.xlsx"
    main(["template", str(tender), "-o", str(template)])
    filled = fill_quote(
        template.read_bytes(),
        {
            "facts": {"company_name": "坏报价有限公司"},
            "pricing": {"model": "fixed_per_agent", "monthly_per_agent": "-5000"},
        },
    )
    bad = tmp_path / "坏报价.xlsx"
    bad.write_bytes(filled)
    code = main(["evaluate", str(tender), str(bad), str(ROOT / "samples" / "bids" / "yunkefu.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert "坏报价.xlsx: 报价!" in err and "negative" in err


def test_a_workbook_made_from_another_tender_is_refused(tmp_path, capsys):
    postal_template = tmp_path / "postal.xlsx"
    main(["template", str(ROOT / "samples" / "postal" / "tender.json"), "-o", str(postal_template)])
    wrong = tmp_path / "wrong.xlsx"
    wrong.write_bytes(
        fill_quote(postal_template.read_bytes(), jsonfiles.load(ROOT / "samples" / "bids" / "yunkefu.json"))
    )
    code = main(["evaluate", str(ROOT / "samples" / "tender.json"), str(wrong)])
    err = capsys.readouterr().err
    assert code == 2
    assert "wrong.xlsx" in err and "another tender" in err
