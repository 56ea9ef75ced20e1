"""The bid document (.docx): headings, the required sections it lacks, the facts its
tables state and where they differ from the vendor's declaration."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal as D

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tender.documents.bid_document import read_bid_document, section_key
from tender.documents.upload_check import UploadRefused, check_upload
from tests.unit.documents.hostile_corpus import BILLION_LAUGHS, rezip, simple_docx

REQUIRED = ["服务方案", "人员配置", "培训体系", "质量保障", "应急预案"]


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def table(document, rows: list[list[str]]):
    made = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            made.cell(r, c).text = value
    return made


def bid_document() -> bytes:
    """A typical bid document: styled and numbered headings, a contents list, a facts table."""
    document = docx.Document()
    document.add_heading("杭州云客服科技有限公司 投标文件", 0)
    document.add_paragraph("目录")
    document.add_paragraph("四、质量保障\t12", style=document.styles.add_style("toc 1", 1))
    document.add_heading("一、服务方案", 1)
    document.add_paragraph("我方提供 7×13 小时在线客服，覆盖售前、售中、售后。")
    document.add_heading("1.1 服务时间", 2)
    document.add_paragraph("二、人员配置")  # a numbered title in the Normal style
    document.add_paragraph("1.5万元的培训预算用于新人入职培训")  # a sentence that starts with a number
    document.add_paragraph("第三章 培训体系")
    outlined = document.add_paragraph("应急预案及保障措施")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "0")
    outlined._p.get_or_add_pPr().append(level)
    document.add_paragraph("2019年成立，现有员工120人。")
    table(
        document,
        [
            ["项目", "内容"],
            ["公司名称", "杭州云客服科技有限公司"],
            ["注册资本", "500万元"],
            ["成立日期", "2019年3月1日"],
            ["员工人数", "120人"],
            ["同类项目", "6个"],
        ],
    )
    return save(document)


def test_headings_come_from_heading_styles_numbered_titles_and_outline_levels():
    reading = read_bid_document(bid_document(), required_sections=REQUIRED, declared_facts={})

    assert reading.headings == [
        "杭州云客服科技有限公司 投标文件",
        "一、服务方案",
        "1.1 服务时间",
        "二、人员配置",
        "第三章 培训体系",
        "应急预案及保障措施",
    ]


def test_required_sections_are_matched_loosely_and_a_contents_entry_does_not_count():
    reading = read_bid_document(bid_document(), required_sections=REQUIRED, declared_facts={})

    assert reading.missing_sections == ["质量保障"]  # listed in the contents only
    assert reading.problems == []


@pytest.mark.parametrize(
    "heading, section",
    [
        ("一、服务方案", "服务方案"),
        ("（二）人员 配置", "人员配置"),
        ("第三章 培训体系", "培训体系"),
        ("4.2 质量保障措施", "质量保障"),
    ],
)
def test_numbering_and_spacing_do_not_matter_when_matching(heading, section):
    assert section_key(section) in section_key(heading)


def test_facts_stated_in_a_table_are_read_into_their_kinds():
    reading = read_bid_document(bid_document(), required_sections=[], declared_facts={})

    assert reading.stated_facts == {
        "company_name": "杭州云客服科技有限公司",
        "registered_capital": D(5000000),
        "established": dt.date(2019, 3, 1),
        "staff_count": D(120),
        "similar_projects": D(6),
    }


@pytest.mark.parametrize(
    "rows, capital",
    [
        ([["注册资本", "500万元"]], 5000000),
        ([["注册资金：", "人民币伍佰万元整"]], 5000000),
        ([["注册资本（万元）", "300"]], 3000000),  # the unit in the label scales a bare number
        ([["注册资本（万元）", "3000000元"]], 3000000),  # …but not a number with its own unit
        ([["注册资本", "¥1,000,000.00"]], 1000000),
        ([["公司名称", "杭州云客服", "注册资本", "1亿元"]], 100000000),  # label | value | label | value
        ([["公司名称", "注册资本"], ["杭州云客服", "800万"]], 8000000),  # a header row over a value row
    ],
)
def test_registered_capital_in_the_forms_documents_use(rows, capital):
    document = docx.Document()
    table(document, rows)

    reading = read_bid_document(save(document), required_sections=[], declared_facts={})

    assert reading.stated_facts["registered_capital"] == D(capital)


def test_a_stated_fact_that_differs_from_the_declared_one_is_a_mismatch():
    declared = {
        "registered_capital": 3000000,
        "established": "2019-03-01",
        "staff_count": "120",
        "company_name": "杭州云客服科技有限公司",
        "similar_projects": 8,
    }

    reading = read_bid_document(bid_document(), required_sections=[], declared_facts=declared)

    assert reading.mismatches == [("registered_capital", 3000000, D(5000000)), ("similar_projects", 8, D(6))]


def test_the_same_fact_written_differently_is_no_mismatch():
    document = docx.Document()
    table(document, [["公司名称", "杭州云客服（科技）有限公司"], ["注册资本（万元）", "500"], ["成立时间", "2019/3/1"]])
    declared = {
        "company_name": "杭州云客服(科技)有限公司",
        "registered_capital": "5,000,000",
        "established": dt.date(2019, 3, 1),
    }

    reading = read_bid_document(save(document), required_sections=[], declared_facts=declared)

    assert reading.mismatches == []


def test_an_unreadable_stated_fact_is_a_problem_naming_its_table_row():
    document = docx.Document()
    table(document, [["公司名称", "杭州云客服"], ["注册资本", "五百多万"]])

    reading = read_bid_document(save(document), required_sections=[], declared_facts={"registered_capital": 5000000})

    [problem] = reading.problems
    assert problem.path == "table 1, row 2"
    assert problem.zh.startswith("表格1第2行“注册资本（元）”应为金额")
    assert "registered_capital" not in reading.stated_facts and reading.mismatches == []


def test_a_table_inside_a_table_is_read():
    document = docx.Document()
    outer = table(document, [["附件", ""]])
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "员工人数", "85名"

    reading = read_bid_document(save(document), required_sections=[], declared_facts={})

    assert reading.stated_facts == {"staff_count": D(85)}


@pytest.mark.parametrize("data", [b"", b"not a document", simple_docx()[:500], bytes(2000)])
def test_an_unreadable_file_is_a_problem_not_an_exception(data):
    reading = read_bid_document(data, required_sections=["服务方案"], declared_facts={})

    assert len(reading.problems) == 1
    assert reading.missing_sections == ["服务方案"] and reading.headings == []


def test_a_damaged_main_part_is_a_problem_not_an_exception():
    data = rezip(simple_docx(), replace={"word/document.xml": b"<w:document><w:body><w:p>"})

    reading = read_bid_document(data, required_sections=[], declared_facts={})

    assert [p.en for p in reading.problems] == ["this Word file cannot be read (it is damaged or not a .docx document)"]


def _docm(original: bytes) -> bytes:
    types = zipfile.ZipFile(io.BytesIO(original)).read("[Content_Types].xml")
    return rezip(
        original,
        replace={
            "[Content_Types].xml": types.replace(
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            )
        },
    )


HOSTILE_DOCUMENTS = {
    "macro part": (lambda original: rezip(original, add={"word/vbaProject.bin": b"macro"}), "宏"),
    "billion laughs": (lambda original: rezip(original, replace={"word/document.xml": BILLION_LAUGHS}), "DOCTYPE"),
    "macro-enabled .docm": (_docm, "启用宏"),
}


@pytest.mark.parametrize("case", list(HOSTILE_DOCUMENTS))
def test_hostile_word_documents_are_refused(case):
    make, reason = HOSTILE_DOCUMENTS[case]
    data = make(simple_docx())

    with pytest.raises(UploadRefused) as refused:
        check_upload("投标文件.docx", data, kind="document")
    reading = read_bid_document(data, required_sections=[], declared_facts={})

    assert reason in refused.value.problem.zh
    assert [reason in p.zh for p in reading.problems] == [True]
