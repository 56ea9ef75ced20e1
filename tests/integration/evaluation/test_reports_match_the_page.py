"""The demo's Excel and Word reports say what its results page says: the same counts, the
same dates (in Asia/Shanghai), the same price scores with how each was found — and each
file is named for what it is (评分汇总表 the workbook, 评标报告 the document).

The demo's evaluated tender (tender/demo/seed.py): five bids, all qualified; 广州金豆's abnormally
low price (18,000.00) rejected by the panel, so four valid bids and one invalid.
金华小蜜蜂 is a small enterprise: its 52,470.00 is scored on 52,470.00 × (1 − 10%) = 47,223.00,
the lowest price, so it is the benchmark B and scores the full 30.00, while 南京恒信's
49,466.67 scores 30 × 47,223.00 ÷ 49,466.67 = 28.64.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from urllib.parse import unquote

import docx
import pytest
from openpyxl import load_workbook

from scoring.times import SHANGHAI
from tender.demo.seed import EVALUATED_TITLE, PASSWORD
from tender.models import AuditRecord, BidVersion, Tender
from tender.platform.extensions import db
from tests.integration.conftest import seed_demo

XIAOMIFENG, HENGXIN, JINDOU = "金华小蜜蜂电子商务有限公司", "南京恒信客服外包有限公司", "广州金豆客服外包有限公司"


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def field(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S)
    assert match, element_id
    return html.unescape(match.group(1)).strip()


def row_of(page: str, table_id: str, vendor: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    row = re.search(rf'<tr data-vendor="{re.escape(vendor)}".*?</tr>', table, re.S).group(0)
    return [text_of(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def docx_table(document, header: list[str]) -> list[list[str]]:
    for table in document.tables:
        if [c.text for c in table.rows[0].cells][: len(header)] == header:
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table with header {header}")


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def sheet_rows(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def filename(response) -> str:
    header = response.headers["Content-Disposition"]
    return unquote(re.search(r"filename\*=UTF-8''([^;]+)", header).group(1))


@pytest.fixture
def demo(app, runner, client):
    seed_demo(app, runner)
    public_id = Tender.query.filter_by(title=EVALUATED_TITLE).one().public_id
    client.post("/auth/login", data={"email": "buyer@demo.cn", "password": PASSWORD})
    client.post("/language/zh_CN", data={"next": "/"})
    db.session.remove()
    page = client.get(f"/results/{public_id}").get_data(as_text=True)
    xlsx = client.get(f"/results/{public_id}/report.xlsx")
    docx_response = client.get(f"/results/{public_id}/report.docx")
    return {
        "tender": Tender.query.filter_by(public_id=public_id).one(),
        "page": page,
        "xlsx": xlsx,
        "docx": docx_response,
    }


def test_both_reports_give_the_counts_and_dates_of_the_results_page(demo):
    page, tender = demo["page"], demo["tender"]
    book = load_workbook(io.BytesIO(demo["xlsx"].data))
    document = docx.Document(io.BytesIO(demo["docx"].data))
    words = docx_text(document)
    # the page: 5 bids opened, 4 valid, 1 invalid (金豆, rejected by the panel)
    opened, valid, invalid = (int(field(page, i)) for i in ("bids-opened", "valid-bids", "invalid-bids"))
    assert (opened, valid, invalid) == (5, 4, 1)
    assert JINDOU in text_of(re.search(r'<table[^>]*id="invalid".*?</table>', page, re.S).group(0))
    # the Word report counts the same: 5 bidders, none failed the review, 1 invalid bid (金豆) with its reason
    assert f"本项目共有 {opened} 家投标人递交投标文件：" in words
    assert f"{opened} 家投标人中，{opened} 家通过资格性与符合性审查，0 家未通过。" in words
    assert f"无效投标共 {invalid} 家（未通过审查，或异常低价被评标委员会否决），原因如下：" in words
    assert docx_table(document, ["序号", "供应商", "原因"]) == [
        ["1", JINDOU, "异常低价，评标委员会决定否决：报价低于人工成本且未能书面说明合理性"]
    ]
    ranked_in_word = docx_table(document, ["排名", "供应商", "月度成本（元）"])
    assert len(ranked_in_word) == valid
    # the workbook: the same valid count, the same invalid bid, four ranked rows
    ranking = sheet_rows(book["排名"])
    assert next(r[4] for r in ranking if r[1] == "有效投标数") == valid
    invalid_header = next(i for i, r in enumerate(ranking) if r[0] == "无效投标（不参与评分和排名）")
    assert [r[1] for r in ranking[invalid_header + 2 : invalid_header + 2 + invalid]] == [JINDOU]
    top = next(i for i, r in enumerate(ranking) if r[0] == "排名")
    ranked_rows = [r for r in ranking[top + 1 : top + 1 + opened] if isinstance(r[0], int)]
    assert [r[1] for r in ranked_rows] == [r[1] for r in ranked_in_word]

    # dates: the deadline and opening time as on the page; the evaluation date is the day the
    # evaluation became final (shown on the page with its time), in Asia/Shanghai
    deadline, opening = field(page, "bid-deadline"), field(page, "opening-time")
    completed = field(page, "completed-at")
    day = completed[:10]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+8 Asia/Shanghai\)", completed)
    record = AuditRecord.query.filter_by(action="evaluation_completed", object=f"tender:{tender.public_id}").one()
    assert day == record.at.astimezone(SHANGHAI).date().isoformat()
    assert deadline in words and opening in words
    assert next(r[1] for r in docx_table(document, ["项目", "数值"]) if r[0] == "评标日期") == day
    for ws in book.worksheets:  # every sheet's title block dates the evaluation, none says "—"
        assert f"评标日期：{day}" in ws.cell(row=3, column=1).value, ws.title
    opening_sheet = sheet_rows(book["开标记录"])
    assert any(opening in str(r[0]) for r in opening_sheet if r[0])

    # the audit sheet is in Shanghai time like everything else: its first record, 8 hours ahead of UTC
    audit = sheet_rows(book["审计"])
    header = next(i for i, r in enumerate(audit) if r[0] == "序号")
    assert audit[header][1] == "时间（北京时间）"
    first = audit[header + 1]
    stored = db.session.get(AuditRecord, first[0]).at  # kept in UTC
    assert first[1] == (stored.astimezone(dt.UTC) + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")


def test_the_page_and_both_reports_explain_every_price_score(demo):
    page = demo["page"]
    book = load_workbook(io.BytesIO(demo["xlsx"].data))
    document = docx.Document(io.BytesIO(demo["docx"].data))
    # 52,470.00 × (1 − 10%) = 47,223.00 is the lowest price scored on: B = 47,223.00, 30 × B ÷ P = 30.00
    sme = row_of(page, "price-scores", XIAOMIFENG)[1:]  # vendor, then the figures
    assert (
        sme[:4]
        == [
            "52,470.00",
            "47,223.00 小微企业价格扣除后",
            "47,223.00",
            "P = 52,470.00 × (1 − 10%) = 47,223.00（小微企业价格扣除后）；B = 有效投标中最低的 P = 47,223.00；"
            "得分 = 30 × B ÷ P = 30 × 47,223.00 ÷ 47,223.00 = 30.00",
        ]
        and sme[4] == "30.00"
    )
    # 30 × 47,223.00 ÷ 49,466.67 = 28.6394… → 28.64
    plain = row_of(page, "price-scores", HENGXIN)[1:]
    assert plain == [
        "49,466.67",
        "49,466.67",
        "47,223.00",
        "P = 49,466.67；B = 有效投标中最低的 P = 47,223.00；得分 = 30 × B ÷ P = 30 × 47,223.00 ÷ 49,466.67 = 28.64",
        "28.64",
    ]
    word = {r[0]: r for r in docx_table(document, ["供应商", "月度成本（元）", "计分价格 P（元）"])}
    assert word[XIAOMIFENG][1:] == ["52,470.00", "47,223.00（小微企业价格扣除后）", "47,223.00", sme[3], "30.00"]
    assert word[HENGXIN][1:] == ["49,466.67", "49,466.67", "47,223.00", plain[3], "28.64"]
    assert JINDOU not in word  # an invalid bid is not scored
    scores = sheet_rows(book["评分明细"])
    header = next(i for i, r in enumerate(scores) if r[0] == "供应商" and r[2] == "计分价格 P（元）")
    sheet = {r[0]: r for r in scores[header + 1 :] if r[0]}
    assert sheet[XIAOMIFENG][1:7] == (52470, 47223, "是", 47223, 30, sme[3])
    assert sheet[HENGXIN][1:7] == (49466.67, 49466.67, "否", 47223, 28.64, plain[3])


def test_each_report_is_named_for_what_it_is(demo):
    public_id = demo["tender"].public_id
    assert filename(demo["xlsx"]) == f"评分汇总表-{public_id}.xlsx"
    assert filename(demo["docx"]) == f"评标报告-{public_id}.docx"


def test_no_demo_upload_is_dated_after_its_receipt(demo):
    versions = BidVersion.query.filter(BidVersion.submitted_at.isnot(None)).all()
    assert len(versions) == 10  # five bids on each of the two closed demo tenders
    for version in versions:
        assert version.created_at <= version.submitted_at, version.public_id
        assert all(f.created_at <= version.submitted_at for f in version.files)
