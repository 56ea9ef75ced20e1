"""Reports an evaluation panel can read, check by hand and sign.

    write_reports(result, xlsx="R.xlsx", docx="R.docx", lang="zh", context=None)
    build_xlsx(result, context, lang) -> bytes      # 评分汇总表, one sheet per question
    build_docx(result, context, lang) -> bytes      # 评标报告

Both are made from the same :class:`~scoring.evaluation.Result` as the web page and
result.json, through :class:`~tender.reports.view.ReportView`; they never compute a
figure themselves. :class:`ReportContext` adds the record of the procedure (panel,
opening record, audit trail, notes, final or draft); without it a report still says all
the result knows.
"""

from __future__ import annotations

from pathlib import Path

from tender.reports.context import (
    AbnormalLowDecision,
    AuditRow,
    OpeningRow,
    OverrideRecord,
    PanelMember,
    ReportContext,
)
from tender.reports.view import ReportView

__all__ = [
    "ReportContext",
    "OpeningRow",
    "PanelMember",
    "OverrideRecord",
    "AbnormalLowDecision",
    "AuditRow",
    "ReportView",
    "build_xlsx",
    "build_docx",
    "write_reports",
]


def build_xlsx(result, context: ReportContext | None = None, lang: str = "zh") -> bytes:
    from tender.reports.workbook import build

    return build(ReportView(result, context, lang))


def build_docx(result, context: ReportContext | None = None, lang: str = "zh") -> bytes:
    from tender.reports.document import build

    return build(ReportView(result, context, lang))


def write_reports(result, *, xlsx=None, docx=None, lang: str = "zh", context: ReportContext | None = None) -> None:
    """Write the Excel and/or Word report to the paths given (either may be None)."""
    if xlsx is not None:
        Path(xlsx).write_bytes(build_xlsx(result, context, lang))
    if docx is not None:
        Path(docx).write_bytes(build_docx(result, context, lang))
