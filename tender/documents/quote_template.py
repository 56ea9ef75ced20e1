"""The price-sheet template (报价单模板, .xlsx) a vendor downloads for one tender version.

:func:`build_quote_template` writes: 说明 (instructions, Chinese and English), 供应商信息
(vendor facts), 报价 (the pricing model drop-down, one labelled input row per parameter,
the tiers and one-time-fees tables, the common components), 报价清单 (the rate card, when
the scenario lists work items), 用量基准 (the buyer's scenario, read-only) and a very hidden
marker sheet naming the tender and version. Inputs are yellow and unlocked; everything
else is protected (no password). :mod:`tender.documents.quote_reader` reads it back.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.money import plain
from scoring.pricing import MODELS, PARAMETERS
from tender.documents import layout
from tender.documents import sheet_style as style
from tender.documents.template_facts import facts_sheet
from tender.documents.template_sheets import (
    instructions_sheet,
    list_range,
    marker_sheet,
    number_or_text,
    scenario_sheet,
)
from tender.documents.template_year import has_profile
from tender.platform.memo import ContentMemo

_FORMATS = {"money": "#,##0.00##", "share": "0.00%", "quantity": "#,##0"}
_UNIT_HINTS = {
    "money": "元，如 1500、¥1,500.00 CNY",
    "share": "比例 0–1，如 2% 或 0.02 share",
    "quantity": "数量 quantity",
    "bool": "从下拉列表选择 是/否 yes/no",
}
_EXTRA_HINTS = {
    "minimum_per_agent_shift": "与月保底二选一 either this or the monthly minimum",
    "minimum_per_month": "整月合计，与按人·班次保底二选一 the month's total; either this or the minimum per agent-shift",
    "included_inquiries": "留空 = 不限 empty = unlimited",
    "vat_rate": "留空 = 6% empty = 6%",
    "tax_included": "留空 = 含税 empty = VAT included",
    "peak_rate_per_agent_day": "不填则视为未对大促加派报价 empty: peak staffing not priced",
}


# The price sheets of the last 16 tender versions and languages built, 16 MB at most: every
# vendor downloads the same one (building it takes ~0.1 s, more with lots and a rate card).
TEMPLATES = ContentMemo(items=16, size=16 << 20, size_of=len)


def quote_template(tender: dict, *, tender_id: str, version: int, lang: str = "zh") -> bytes:
    """:func:`build_quote_template`, built once for the same tender version and language
    (the workbook depends on nothing else)."""
    key = json.dumps([tender, tender_id, version, lang], sort_keys=True, ensure_ascii=False, default=str)
    return TEMPLATES.get(
        key.encode("utf-8"),
        lambda _key: build_quote_template(tender, tender_id=tender_id, version=version, lang=lang),
    )


def build_quote_template(tender: dict, *, tender_id: str, version: int, lang: str = "zh") -> bytes:
    """The price-sheet workbook for this tender version, as .xlsx bytes. A tender divided
    into lots gets a quote sheet (with its rate card and scenario) per lot: ``报价 L1``, …"""
    models = layout.offered_models(tender)
    wb = Workbook()
    instructions_sheet(wb, tender, tender_id=tender_id, version=version, lang=lang)
    facts_sheet(wb, tender)
    lots = layout.tender_lots(tender)
    for lot in lots or [None]:
        view = layout.lot_view(tender, lot) if lot else tender
        names = {
            sheet: layout.lot_sheet(sheet, lot["id"]) if lot else sheet
            for sheet in (layout.QUOTE, layout.RATE_CARD, layout.SCENARIO)
        }
        heading = f"标包 {lot['id']}：{lot.get('name') or ''} · lot {lot['id']}" if lot else None
        # The drop-down lists every model any lot offers (one list on the marker sheet); the
        # reader refuses, on a lot's sheet, a model that lot does not offer.
        _quote_sheet(
            wb, view, tender_id=tender_id, version=version, models=models, name=names[layout.QUOTE], heading=heading
        )
        work_items = (view.get("scenario") or {}).get("work_items") or []
        if work_items:
            _rate_card_sheet(wb, work_items, view.get("unit_price_ceilings") or {}, name=names[layout.RATE_CARD])
        scenario_sheet(wb, view, name=names[layout.SCENARIO], heading=heading)
    marker_sheet(wb, tender_id=tender_id, version=version, lang=lang, models=models)
    wb.active = 1
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _Validations:
    """The data validations of the quote sheet, created once and given cells as rows are written."""

    def __init__(self, ws, models: list[str]):
        def decimal(operator: str, formula1: str, formula2: str | None, title: str, error: str) -> DataValidation:
            return DataValidation(
                type="decimal",
                operator=operator,
                formula1=formula1,
                formula2=formula2,
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=title,
                error=error,
            )

        def choice(key: str, length: int, title: str) -> DataValidation:
            return DataValidation(
                type="list",
                formula1=list_range(key, length),
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=title,
                error="请从下拉列表选择 Choose from the list",
            )

        self.by_kind = {
            "money": decimal(
                "greaterThanOrEqual", "0", None, "金额 amount", "应为不小于 0 的金额 Must be an amount ≥ 0"
            ),
            "quantity": decimal("greaterThanOrEqual", "0", None, "数量 quantity", "应为不小于 0 的数 Must be ≥ 0"),
            "share": decimal(
                "between", "0", "1", "比例 share", "应在 0 到 1 之间，如 2% A share between 0 and 1, e.g. 2%"
            ),
            "bool": choice("yes_no", 2, "是/否 yes/no"),
            "model": choice("models", len(models), "报价方式 pricing model"),
            "basis": choice("basis", 2, "阶梯依据 tier basis"),
            "mode": choice("mode", 2, "阶梯方式 tier mode"),
        }
        for validation in self.by_kind.values():
            ws.add_data_validation(validation)

    def add(self, kind: str, cell) -> None:
        if kind in self.by_kind:
            self.by_kind[kind].add(cell)


def _used_by(name: str, models: list[str]) -> str:
    parts = []
    for model_name in models:
        model = MODELS[model_name]
        if name in model.required:
            parts.append(f"{model.zh}（必填 required）")
        elif name in model.optional:
            parts.append(model.zh)
    return "；".join(parts)


def _quote_sheet(
    wb,
    tender: dict,
    *,
    tender_id: str,
    version: int,
    models: list[str],
    name: str = layout.QUOTE,
    heading: str | None = None,
) -> None:
    ws = wb.create_sheet(name)
    lot = f"{heading} · 只投其他标包时本表留空 leave empty if you do not bid for this lot · " if heading else ""
    style.title(
        ws,
        f"报价 Quote — {tender.get('title') or tender_id}",
        f"{lot}项目编号 tender {tender_id} · 第 {version} 版 version {version} · 黄色单元格由投标人填写 yellow cells "
        "are yours to fill · A 列代码请勿改动 keep the codes in column A",
        5,
    )
    for column, text in enumerate(
        ("代码\ncode", "项目\nitem", "填写\nyour entry", "单位 / 说明\nunit / hint", "适用报价方式\nused by"), start=1
    ):
        style.header(ws.cell(row=3, column=column, value=text))
    checks = _Validations(ws, models)
    row = _section(ws, 4, "model")
    row = _row(
        ws,
        row,
        layout.MODEL,
        layout.bilingual("报价方式", "Pricing model"),
        "model",
        checks,
        "从下拉列表选择一种 choose one from the list",
        "",
    )
    reference = bool(tender.get("reference_pricing"))
    # A tender with reference prices or a rate card is normally quoted that way: the cell
    # says so visibly, and the vendor may still choose another model.
    proposed = layout.proposed_model(tender)
    if proposed:
        ws.cell(row=row - 1, column=layout.INPUT, value=layout.model_display(proposed))
    if has_profile(tender):
        # a section row (the reader skips it like the other section titles), across the sheet
        row = _section(ws, row, "year_note")
        ws.cell(row=row - 1, column=layout.LABEL).alignment = style.WRAP
        ws.merge_cells(start_row=row - 1, start_column=layout.LABEL, end_row=row - 1, end_column=layout.EXTRA)
        ws.row_dimensions[row - 1].height = 45
    if reference:
        row = _section(ws, row, "reference")
        row = _row(
            ws,
            row,
            "discount_rate",
            layout.bilingual("对参考价的整体折扣率", "Overall discount on the reference prices"),
            "share",
            checks,
            "如 8% 或 0.08，参考价见“用量基准”表 e.g. 8%; reference prices: see 用量基准",
            "参考价整体折扣 reference_discount",
        )
        ws.cell(row=row - 1, column=layout.INPUT).font = style.BOLD
    row = _section(ws, row, "parameters")
    for name in layout.SCALAR_PARAMETERS:
        param = PARAMETERS[name]
        used_by = _used_by(name, models)
        if not used_by:
            continue
        hint = _choice_hint(name) if param.kind == "choice" else _UNIT_HINTS.get(param.kind, "")
        row = _row(
            ws,
            row,
            name,
            layout.bilingual(param.zh, param.en),
            name if param.kind == "choice" else param.kind,
            checks,
            " ".join(filter(None, (hint, _EXTRA_HINTS.get(name)))),
            used_by,
        )
    if "tiered" in models:
        row = _tiers_table(ws, _section(ws, row, "tiers"), checks)
    row = _fees_table(ws, _section(ws, row, "fees"), checks)
    row = _section(ws, row, "common")
    for name in layout.COMMON_PARAMETERS:
        if name == "discount_rate" and reference:
            continue
        param = PARAMETERS[name]
        hint = " ".join(filter(None, (_UNIT_HINTS.get(param.kind, ""), _EXTRA_HINTS.get(name))))
        row = _row(
            ws, row, name, layout.bilingual(param.zh, param.en), param.kind, checks, hint, "任何报价方式 any model"
        )
    if "line_items" in layout.offered_models(tender):
        row = _section(ws, row + 1, "rate_card_note")
        if name != layout.QUOTE:  # a lot's rate card is the sheet named with the lot
            style.readonly(
                ws.cell(row=row - 1, column=layout.HINT, value=name.replace(layout.QUOTE, layout.RATE_CARD, 1))
            )
    style.fit_columns(ws, maximum=40)
    ws.column_dimensions["C"].width = 26
    ws.freeze_panes = "C4"
    style.protect(ws)


def _choice_hint(name: str) -> str:
    return "；".join(f"{code} {aliases[0]}" for code, aliases in layout.CHOICES[name].items())


def _section(ws, row: int, key: str) -> int:
    zh, en = layout.SECTIONS[key]
    style.section(ws.cell(row=row, column=layout.LABEL, value=layout.bilingual(zh, en)))
    ws.row_dimensions[row].height = 30
    return row + 1


def _row(ws, row: int, code: str, label: str, kind: str, checks: _Validations, hint: str, used_by: str) -> int:
    style.code(ws.cell(row=row, column=layout.CODE, value=code))
    style.readonly(ws.cell(row=row, column=layout.LABEL, value=label))
    cell = ws.cell(row=row, column=layout.INPUT)
    style.input_cell(cell, _FORMATS.get(kind))
    checks.add(kind, cell)
    style.readonly(ws.cell(row=row, column=layout.HINT, value=hint))
    style.readonly(ws.cell(row=row, column=layout.EXTRA, value=used_by))
    ws.row_dimensions[row].height = 30
    return row + 1


def _tiers_table(ws, row: int, checks: _Validations) -> int:
    style.code(ws.cell(row=row, column=layout.CODE, value=layout.TIERS))
    for column, text in (
        (layout.LABEL, "档次\ntier"),
        (layout.TIER_UP_TO, "上限（含；末档留空）\nup_to (last: empty)"),
        (layout.TIER_FEE, "固定费（元）\nfee (CNY)"),
        (layout.TIER_RATE, "单价（元/咨询）\nrate (CNY per inquiry)"),
    ):
        style.header(ws.cell(row=row, column=column, value=text))
    for index in range(1, layout.TIER_ROWS + 1):
        row += 1
        style.readonly(ws.cell(row=row, column=layout.LABEL, value=f"第 {index} 档 tier {index}"))
        for column, kind in ((layout.TIER_UP_TO, "quantity"), (layout.TIER_FEE, "money"), (layout.TIER_RATE, "money")):
            cell = ws.cell(row=row, column=column)
            style.input_cell(cell, _FORMATS[kind])
            checks.add(kind, cell)
    return row + 1


def _fees_table(ws, row: int, checks: _Validations) -> int:
    style.code(ws.cell(row=row, column=layout.CODE, value=layout.FEES))
    style.header(ws.cell(row=row, column=layout.FEE_LABEL, value="费用名称\nfee"))
    style.header(ws.cell(row=row, column=layout.FEE_AMOUNT, value="金额（元）\namount (CNY)"))
    for _ in range(layout.FEE_ROWS):
        row += 1
        style.input_cell(ws.cell(row=row, column=layout.FEE_LABEL))
        amount = ws.cell(row=row, column=layout.FEE_AMOUNT)
        style.input_cell(amount, _FORMATS["money"])
        checks.add("money", amount)
    return row + 1


def _rate_card_sheet(wb, work_items: list, ceilings: dict, name: str = layout.RATE_CARD) -> None:
    ws = wb.create_sheet(name)
    style.title(
        ws,
        "报价清单 Rate card",
        "报价方式选 line_items 时，为每一个工作项填写单价（元，黄色单元格）\n"
        "With the line_items model, give a unit price (CNY) for every work item (yellow cells)",
        6,
    )
    headers = (
        layout.ITEM_ID_HEADER,
        "名称\nname",
        "单位\nunit",
        "月工作量\nmonthly quantity",
        "单价（元）\nunit price (CNY)",
        "单价最高限价（元）\nunit price ceiling (CNY)",
    )
    for column, text in enumerate(headers, start=1):
        style.header(ws.cell(row=3, column=column, value=text))
    at_least_zero = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="单价 unit price",
        error="应为不小于 0 的金额 Must be an amount ≥ 0",
    )
    ws.add_data_validation(at_least_zero)
    for row, item in enumerate((i for i in work_items if isinstance(i, dict)), start=4):
        item_id = item.get("id")
        ceiling = number_or_text(ceilings.get(item_id)) if item_id in ceilings else None
        values = (item_id, item.get("name"), item.get("unit"), number_or_text(item.get("monthly_quantity")))
        for column, value in enumerate(values, start=1):
            style.readonly(ws.cell(row=row, column=column, value=value))
        style.code(ws.cell(row=row, column=layout.ITEM_ID))
        price = ws.cell(row=row, column=layout.ITEM_PRICE)
        style.input_cell(price, _FORMATS["money"])
        if isinstance(ceiling, Decimal):
            capped = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=plain(ceiling),
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle="超过单价最高限价 above the ceiling",
                error=f"单价不得超过 {plain(ceiling)} 元，否则投标无效 "
                f"A unit price above {plain(ceiling)} CNY makes the bid invalid",
            )
            ws.add_data_validation(capped)
            capped.add(price)
        else:
            at_least_zero.add(price)
        style.readonly(ws.cell(row=row, column=layout.ITEM_CEILING, value=ceiling))
    style.fit_columns(ws)
    style.protect(ws)
