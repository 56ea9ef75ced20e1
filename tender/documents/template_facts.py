"""The vendor-facts sheet (供应商信息) of the price-sheet template: one labelled row per
standard fact (domain §5), one per further fact the tender's rules and criteria name, and
the documents row; each row shows what this tender requires of it."""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.facts import STANDARD_FACTS
from tender.documents import layout
from tender.documents import sheet_style as style

_KIND_HINTS = {
    "text": ("", ""),
    "money": ("元，如 3000000 或 300万元", "CNY, e.g. 3000000 or 300万元"),
    "number": ("数字", "a number"),
    "integer": ("整数", "a whole number"),
    "bool": ("从下拉列表选择 是/否", "choose yes (是) or no (否)"),
    "date": ("日期，如 2019-03-01", "a date, e.g. 2019-03-01"),
    "share": ("比例，如 95% 或 0.95", "a share, e.g. 95% or 0.95"),
    "auto": ("按本项目要求填写", "as this tender asks"),
}

_QUALITY = {  # quality requirement → (fact, operator)
    "first_response_seconds_max": ("first_response_seconds", "≤"),
    "complaint_reply_hours_max": ("complaint_reply_hours", "≤"),
    "complaint_solution_hours_max": ("complaint_solution_hours", "≤"),
    "satisfaction_min": ("satisfaction_commitment", "≥"),
}
_OPS = {">=": "≥", "<=": "≤", "==": "须为 must be", "covers": "需包含 must cover", "present": "须填写 must be given"}


def _hint(name: str, kind: str) -> str:
    if kind == "set":
        codes = layout.SET_CODES.get(name, {})
        options = ", ".join(f"{code} {zh}" for code, (zh, _en) in codes.items())
        return f"用逗号分隔 comma-separated: {options}" if options else "用逗号分隔 comma-separated"
    zh, en = _KIND_HINTS.get(kind, _KIND_HINTS["auto"])
    return f"{zh} {en}".strip()


def _value_text(value) -> str:
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def requirements(tender: dict) -> dict[str, list[str]]:
    """What the tender requires of each fact, as shown beside it."""
    found: dict[str, list[str]] = {}
    for rule in tender.get("qualification_rules") or []:
        if isinstance(rule, dict) and isinstance(rule.get("fact"), str):
            text = (
                rule.get("label") or f"{_OPS.get(rule.get('op'), rule.get('op'))} {_value_text(rule.get('value', ''))}"
            )
            found.setdefault(rule["fact"], []).append(str(text).strip())
    for key, codes in (tender.get("service_scope") or {}).items():
        if key in layout.SET_CODES and isinstance(codes, list):
            found.setdefault(key, []).append(f"需包含 must cover: {_value_text(codes)}")
    for key, value in (tender.get("quality_requirements") or {}).items():
        if key in _QUALITY:
            fact, op = _QUALITY[key]
            found.setdefault(fact, []).append(f"{op} {_value_text(value)}")
    for criterion in tender.get("criteria") or []:
        if isinstance(criterion, dict) and isinstance(criterion.get("fact"), str):
            found.setdefault(criterion["fact"], []).append(
                f"评分项 scored: {criterion.get('name', criterion.get('id'))}"
            )
    return found


def facts_sheet(wb: Workbook, tender: dict) -> None:
    ws = wb.create_sheet(layout.FACTS)
    style.title(
        ws,
        "供应商信息 Vendor facts",
        "黄色单元格由投标人填写；A 列代码请勿改动\nYellow cells are yours to fill; keep the codes in column A",
        5,
    )
    for column, text in enumerate(
        ("代码\ncode", "项目\nitem", "填写\nyour entry", "说明\nhint", "本项目要求\nthis tender requires"), start=1
    ):
        style.header(ws.cell(row=3, column=column, value=text))
    yes_no = DataValidation(
        type="list",
        formula1=f"'{layout.MARKER}'!$E$1:$E$2",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="是/否 yes/no",
        error="请选择“是”或“否” Choose 是 (yes) or 否 (no)",
    )
    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="数字 number",
        error="应为不小于 0 的数字 Must be a number ≥ 0",
    )
    shares = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="1",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="比例 share",
        error="应在 0 到 1 之间，如 95% A share between 0 and 1, e.g. 95%",
    )
    for validation in (yes_no, numbers, shares):
        ws.add_data_validation(validation)
    validations = {"bool": yes_no, "money": numbers, "number": numbers, "integer": numbers, "share": shares}
    required = requirements(tender)
    row = _section(ws, 4, *layout.SECTIONS["facts"])
    for name, fact in STANDARD_FACTS.items():
        row = _fact_row(
            ws, row, name, layout.bilingual(fact.zh, fact.en), fact.kind, required.get(name, []), validations
        )
    extras = layout.extra_facts(tender)
    if extras:
        row = _section(ws, row, *layout.SECTIONS["extra_facts"])
        for name, kind in extras.items():
            row = _fact_row(ws, row, name, name, kind, required.get(name, []), validations)
    row = _section(ws, row, *layout.SECTIONS["documents"])
    documents = layout.required_documents(tender)
    style.code(ws.cell(row=row, column=layout.CODE, value=layout.DOCUMENTS))
    style.readonly(ws.cell(row=row, column=layout.LABEL, value=layout.bilingual("提交的文件", "documents submitted")))
    style.input_cell(ws.cell(row=row, column=layout.INPUT))
    style.readonly(ws.cell(row=row, column=layout.HINT, value="用逗号分隔的文件代码 comma-separated document codes"))
    needed = ", ".join(f"{code} {layout.DOCUMENT_LABELS.get(code, (code,))[0]}" for code in documents)
    style.readonly(ws.cell(row=row, column=layout.EXTRA, value=f"须提交 required: {needed}" if needed else ""))
    for row_cells in ws.iter_rows(min_row=4, max_row=row):
        for cell in row_cells:
            if cell.data_type == "s":
                cell.alignment = style.WRAP
    for index in range(4, row + 1):
        ws.row_dimensions[index].height = 30
    style.fit_columns(ws)
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["E"].width = 40
    style.protect(ws)


def _section(ws, row: int, zh: str, en: str) -> int:
    style.section(ws.cell(row=row, column=layout.LABEL, value=layout.bilingual(zh, en)))
    return row + 1


def _fact_row(ws, row: int, name: str, label: str, kind: str, required: list[str], validations: dict) -> int:
    style.code(ws.cell(row=row, column=layout.CODE, value=name))
    style.readonly(ws.cell(row=row, column=layout.LABEL, value=label))
    cell = ws.cell(row=row, column=layout.INPUT)
    style.input_cell(cell, "0.00%" if kind == "share" else ("yyyy-mm-dd" if kind == "date" else None))
    if kind in validations:
        validations[kind].add(cell)
    style.readonly(ws.cell(row=row, column=layout.HINT, value=_hint(name, kind)))
    style.readonly(ws.cell(row=row, column=layout.EXTRA, value="；".join(required)))
    return row + 1
