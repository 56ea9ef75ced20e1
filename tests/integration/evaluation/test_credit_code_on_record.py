"""The unified social credit code as read at the opening: on the opening record and in
the bidders' tables of both reports (Excel and Word)."""

from __future__ import annotations

import html
import io
import re

import docx
from openpyxl import load_workbook

from tender.platform.extensions import db
from tender.services import opening as opening_service
from tests.integration.evaluation.conftest import move_times

VALID = "91310115MA1K4BXQ25"  # check character 5 (tests/unit/test_notice.py works it by hand)
OTHER_VALID = "91440300MA5FUTW1XX"


def test_the_code_is_on_the_opening_record_and_in_both_reports(client, auth, people, closed_tender):
    people["yunkefu"].vendor_profile.credit_code = VALID
    people["hengxin"].vendor_profile.credit_code = OTHER_VALID
    db.session.commit()
    move_times(closed_tender, 35, 5)
    opening_service.open_bids(people["buyer"], closed_tender.public_id)
    people["yunkefu"].vendor_profile.credit_code = None  # what was read at the opening stays on its record
    db.session.commit()
    auth.login(people["buyer"])
    record = html.unescape(client.get(f"/results/{closed_tender.public_id}/opening-record").get_data(as_text=True))
    rows = dict(re.findall(r"<td>([^<]+有限公司)</td>\s*<td class=\"credit-code\">([^<]+)</td>", record))
    assert rows["杭州云客服科技有限公司"] == VALID and rows["南京恒信客服外包有限公司"] == OTHER_VALID
    assert rows["广州金豆客服外包有限公司"] == "—"  # an account without a code
    book = load_workbook(io.BytesIO(client.get(f"/results/{closed_tender.public_id}/report.xlsx").data))
    sheet = next(
        ws
        for ws in book.worksheets
        if any(c == "Unified social credit code" for r in ws.iter_rows(values_only=True) for c in r)
    )
    codes = {row[1]: row[2] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)}
    assert codes["杭州云客服科技有限公司"] == VALID and codes["南京恒信客服外包有限公司"] == OTHER_VALID
    document = docx.Document(io.BytesIO(client.get(f"/results/{closed_tender.public_id}/report.docx").data))
    bidders = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][2:3] == ["Unified social credit code"]
    )
    assert {r.cells[1].text: r.cells[2].text for r in bidders.rows[1:]}["杭州云客服科技有限公司"] == VALID
