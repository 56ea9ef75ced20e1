"""Hostile and broken files are refused before any parser sees them, with a clear message;
the readers given the same bytes report a problem and never raise."""

from __future__ import annotations

import os

import openpyxl.xml
import pytest

from tender.documents.bid_document import read_bid_document
from tender.documents.quote_reader import read_quote
from tender.documents.upload_check import Limits, UploadRefused, check_package, check_upload, decoded_name
from tests.unit.documents.hostile_corpus import corpus, rezip, simple_docx
from tests.unit.documents.sample_tenders import SAMPLES, template_of

CORPUS = corpus(template_of("shop"))


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_real_template_and_a_real_document_pass():
    check_upload("报价单.xlsx", template_of("shop"), kind="quote")
    check_upload("投标文件.docx", simple_docx(), kind="document")


@pytest.mark.parametrize("case", list(CORPUS))
def test_each_hostile_file_is_refused_with_a_clear_message(case):
    name, data, reason = CORPUS[case]

    with pytest.raises(UploadRefused) as refused:
        check_upload(name, data, kind="quote")

    assert reason in refused.value.problem.zh
    assert refused.value.problem.en and refused.value.problem.path == name
    assert refused.value.status == 400


@pytest.mark.parametrize("case", list(CORPUS))
def test_the_quote_reader_reports_a_hostile_file_as_a_problem(case):
    _name, data, reason = CORPUS[case]
    tender, tender_id, version = SAMPLES["shop"]

    quote = read_quote(data, tender=tender, tender_id=tender_id, version=version)

    assert [reason in problem.zh for problem in quote.problems] == [True]
    assert quote.bid == {"facts": {}, "documents": [], "pricing": {}}


@pytest.mark.parametrize("case", [case for case in CORPUS if case != "a word document"])
def test_the_document_reader_reports_a_hostile_file_as_a_problem(case):
    _name, data, _reason = CORPUS[case]

    document = read_bid_document(data, required_sections=["服务方案"], declared_facts={})

    assert len(document.problems) == 1 and document.problems[0].zh
    assert document.headings == [] and document.missing_sections == ["服务方案"]


def test_a_file_over_the_size_limit_is_refused_with_413():
    with pytest.raises(UploadRefused) as refused:
        check_upload("报价单.xlsx", template_of("shop"), kind="quote", max_bytes=10_000)

    assert refused.value.status == 413
    assert refused.value.problem.zh.startswith("文件过大") and "limit is 10 KB" in refused.value.problem.en


def test_the_total_decompressed_size_is_capped():
    data = rezip(template_of("shop"), add={"xl/media/noise.bin": os.urandom(2 * 1024 * 1024)})  # incompressible

    with pytest.raises(UploadRefused) as refused:
        check_package(data, kind="quote", limits=Limits(max_total_uncompressed=1024 * 1024))

    assert "解压后过大" in refused.value.problem.zh


@pytest.mark.parametrize(
    "name",
    [
        "bid.docx.exe",
        "bid.exe",
        "bid",
        "bid.doc",
        "bid.docm",
        ".docx",
        "bid.docx\x00.exe",
        "bid\u202excod.exe",
        "bid.pdf",
    ],
)
def test_a_document_must_be_named_docx(name):
    with pytest.raises(UploadRefused) as refused:
        check_upload(name, simple_docx(), kind="document")

    assert "只接受 .docx" in refused.value.problem.zh


@pytest.mark.parametrize(
    "name",
    [
        "报价单.xlsx",
        "报价单.XLSX",
        "%E6%8A%A5%E4%BB%B7%E5%8D%95.xlsx",
        "UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.xlsx",
        "报价单．ｘｌｓｘ",
        "C:\\投标\\报价单.xlsx",
        "报价单.xlsx.",
    ],
)
def test_chinese_encoded_and_windows_names_are_fine(name):
    check_upload(name, template_of("shop"), kind="quote")


def test_a_name_is_decoded_before_its_extension_is_checked():
    assert decoded_name("%E6%8A%A5%E4%BB%B7%E5%8D%95.xlsx") == "报价单.xlsx"
    assert decoded_name("../../报价单.xlsx") == "报价单.xlsx"
    with pytest.raises(UploadRefused):
        check_upload("bid%2Edocx%2Eexe", simple_docx(), kind="document")


def test_a_workbook_is_not_a_document():
    with pytest.raises(UploadRefused) as refused:
        check_upload("投标文件.docx", template_of("shop"), kind="document")

    assert refused.value.problem.zh == "这是Excel 工作簿，不是Word 文档：请上传 .docx 文件"


def test_a_refusal_is_an_invalid_input_carrying_its_problem():
    from scoring.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        check_upload("x.xlsx", b"nope", kind="quote")

    assert refused.value.problems == [refused.value.problem]
