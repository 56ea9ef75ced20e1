"""Fixtures of the report tests: the sample evaluation (see sample.py), its context and its
reports, each made once per test run."""

from __future__ import annotations

import datetime as dt

import pytest

from tender.reports import (
    AbnormalLowDecision,
    AuditRow,
    OpeningRow,
    PanelMember,
    ReportContext,
    build_docx,
    build_xlsx,
)
from tests.unit.reports.sample import BIDS, JINDOU, load_docx, load_xlsx, make_result


@pytest.fixture(scope="session")
def evaluation():
    return make_result()


@pytest.fixture(scope="session")
def result(evaluation):
    return evaluation[0]


@pytest.fixture(scope="session")
def context(evaluation):
    _result, bids = evaluation
    return ReportContext.for_bids(
        bids,
        announcement="中国政府采购网，2026-11-27",
        evaluation_date=dt.date(2026, 12, 19),
        opening_record=tuple(
            OpeningRow(vendor, dt.datetime(2026, 12, 18, 8, index, tzinfo=dt.UTC))
            for index, (vendor, *_rest) in enumerate(BIDS)
        ),
        panel=(
            PanelMember("专家甲", "组长", "浙江省政府采购专家库"),
            PanelMember("专家乙", "成员"),
            PanelMember("@专家丙", "成员"),
        ),
        abnormal_low=(AbnormalLowDecision(JINDOU, "reject", "报价无法覆盖 12 个坐席班次的人工成本", "评标委员会"),),
        notes=("=1+1 评审过程顺利",),
        dissent=("专家乙认为苏州专席的培训方案应得 13 分",),
        audit=(
            AuditRow(
                1,
                dt.datetime(2026, 12, 18, 9, 30, tzinfo=dt.UTC),
                "buyer@example.com (buyer)",
                "open_bids",
                "tender YS-KF-2026-12",
                '{"bids": 5}',
                "ab" * 32,
            ),
        ),
        audit_head="ab" * 32,
        final=True,
        generated_at=dt.datetime(2026, 12, 19, 10, 0, tzinfo=dt.UTC),
    )


@pytest.fixture(scope="session")
def xlsx_zh(result, context):
    return load_xlsx(build_xlsx(result, context, "zh"))


@pytest.fixture(scope="session")
def xlsx_en(result, context):
    return load_xlsx(build_xlsx(result, context, "en"))


@pytest.fixture(scope="session")
def docx_zh(result, context):
    return load_docx(build_docx(result, context, "zh"))


@pytest.fixture(scope="session")
def docx_en(result, context):
    return load_docx(build_docx(result, context, "en"))
