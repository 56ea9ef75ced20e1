"""The read-only sheets of the price-sheet template: instructions (说明), the buyer's
scenario (用量基准) and the hidden marker with the tender id, version and drop-down lists."""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook

from scoring.errors import Problems
from scoring.money import NotANumber, to_decimal
from scoring.pricing import MODELS, PARAMETERS
from scoring.scenario import SCENARIO_FIELDS, parse_scenario
from tender.documents import layout, template_year
from tender.documents import sheet_style as style

_DERIVED = {
    "agent_shifts": ("坐席班次数（每班坐席 × 班次）", "agent-shifts (agents per shift × shifts)"),
    "monthly_inquiries": ("月咨询量", "inquiries per month"),
    "new_inquiries": ("新用户咨询量/月", "new-customer inquiries per month"),
    "returning_inquiries": ("老用户咨询量/月", "returning-customer inquiries per month"),
}


def number_or_text(value):
    """A tender amount (Decimal, int, str) as a number cell when it is one."""
    try:
        return to_decimal(value)
    except NotANumber:
        return value if value is None or isinstance(value, (str, bool)) else str(value)


def instructions_sheet(wb: Workbook, tender: dict, *, tender_id: str, version: int, lang: str) -> None:
    ws = wb.active
    ws.title = layout.INSTRUCTIONS
    title = tender.get("title") or tender_id
    zh = [
        "填写说明",
        f"招标项目：{title}（编号 {tender_id}，第 {version} 版）",
        "1. 在“供应商信息”表填写公司信息；是/否 项从下拉列表选择；需要提交的文件写在“提交的文件”一行。",
        "2. 在“报价”表的“报价方式”单元格从下拉列表选择一种报价方式，只填写该方式的参数（黄色单元格）。",
        "3. 阶梯报价填写阶梯表（最后一档上限留空表示不设上限）；一次性费用、大促加派、含税与否等通用项适用于任何报价方式。",
        "4. 若有“报价清单”表，请为每一个工作项填写单价；若本项目公布了参考价，只需填写整体折扣率。",
        "5. 金额可写 1500、¥1,500.00 或 1500元；比例可写 2% 或 0.02；是/否可写 是、否。",
        "6. 不要改动工作表名称和 A 列的代码；可以插入行。单元格如用公式，请在 Excel/WPS 中保存后再上传。",
        "7. “用量基准”表是采购人的业务量假设，所有报价都按它折算为月度成本，只读。",
        f"8. 本报价单只适用于本项目第 {version} 版；招标文件变更后请重新下载。",
    ]
    en = [
        "How to fill in this price sheet",
        f"Tender: {title} (id {tender_id}, version {version})",
        "1. On the sheet 供应商信息 (vendor facts), give your company's facts; choose yes/no from the lists; "
        "name the documents you submit in the row 提交的文件 (documents).",
        "2. On the sheet 报价 (quote), choose one pricing model from the list in the cell 报价方式, then fill in "
        "the parameters of that model only (yellow cells).",
        "3. For volume tiers fill in the tiers table (leave the last tier's upper bound empty: no upper bound). "
        "One-time fees, peak-day staffing, VAT and discount apply to any model.",
        "4. If there is a sheet 报价清单 (rate card), give a unit price for every work item; if the tender "
        "publishes reference prices, give only the overall discount rate.",
        "5. Amounts may be typed as 1500, ¥1,500.00 or 1500元; shares as 2% or 0.02; yes/no as 是/否 or yes/no.",
        "6. Do not rename the sheets or change the codes in column A; you may insert rows. If you use formulas, "
        "save the file in Excel or WPS before uploading so that their values are stored.",
        "7. The sheet 用量基准 (scenario) is the buyer's workload; every quote is normalized to a monthly cost "
        "under it. It is read-only.",
        f"8. This price sheet is for version {version} of the tender only; download it again after an amendment.",
    ]
    lots = layout.tender_lots(tender)
    if any(template_year.has_profile(view) for view in [layout.lot_view(tender, lot) for lot in lots] or [tender]):
        zh.insert(len(zh) - 1, template_year.INSTRUCTION_ZH)  # after 7 (the scenario), before 8
        en.insert(len(en) - 1, template_year.INSTRUCTION_EN)
    if lots:
        listed = "、".join(f"{lot['id']} {lot.get('name') or ''}".strip() for lot in lots)
        listed_en = "; ".join(f"{lot['id']} {lot.get('name') or ''}".strip() for lot in lots)
        zh.insert(
            2,
            f"0. 本项目分为 {len(lots)} 个标包（{listed}）。每个标包有自己的报价表、报价清单和用量基准（如“报价 L1”"
            f"“用量基准 L1”）：只填写所投标包的报价表，报价表留空的标包视为未投。供应商信息适用于所投的每个标包。",
        )
        en.insert(
            2,
            f"0. This tender is divided into {len(lots)} lots ({listed_en}). Each lot has its own quote "
            f"sheet, rate card and scenario (such as 报价 L1, 用量基准 L1): fill in the quote sheets of the "
            f"lots you bid for; a lot whose quote sheet is left empty is not bid for. The vendor facts "
            f"serve every lot you bid for.",
        )
    blocks = (en, zh) if lang.startswith("en") else (zh, en)
    row = 1
    for block in blocks:
        for index, line in enumerate(block):
            cell = ws.cell(row=row, column=1, value=line)
            cell.alignment = style.WRAP
            if index == 0:
                cell.font = style.TITLE
            row += 1
        row += 1
    ws.column_dimensions["A"].width = 110
    style.protect(ws)


def scenario_sheet(wb: Workbook, tender: dict, name: str = layout.SCENARIO, heading: str | None = None) -> None:
    ws = wb.create_sheet(name)
    style.title(
        ws,
        f"用量基准 Workload scenario{' — ' + heading if heading else ''}",
        "采购人的业务量假设，所有报价按此折算为月度成本（只读）\n"
        "The buyer's workload: every quote is normalized to a monthly cost under it (read-only)",
        4,
    )
    raw = tender.get("scenario") or {}
    for column, text in enumerate(("代码\ncode", "项目\nitem", "数值\nvalue"), start=1):
        style.header(ws.cell(row=3, column=column, value=text))
    row = 4
    for name, (_low, _high, _integer, zh, en) in SCENARIO_FIELDS.items():
        if name in raw:
            row = _scenario_row(ws, row, name, layout.bilingual(zh, en), number_or_text(raw[name]))
    scenario = parse_scenario(raw, "scenario", Problems())
    profile = template_year.has_profile(tender)
    # With a monthly profile the derived figures are each month's: the month table shows them.
    for name, value in ({} if profile else scenario.derived()).items():
        zh, en = _DERIVED[name]
        row = _scenario_row(ws, row, name, layout.bilingual(zh + "（计算）", en + " (derived)"), value)
    if raw.get("work_items"):
        row = _table(
            ws,
            row + 1,
            "工作项 Work items",
            ("编号\nid", "名称\nname", "单位\nunit", "月工作量\nmonthly quantity"),
            [
                (i.get("id"), i.get("name"), i.get("unit"), number_or_text(i.get("monthly_quantity")))
                for i in raw["work_items"]
                if isinstance(i, dict)
            ],
        )
    if profile:
        row = template_year.month_table(ws, row + 1, raw)
    if raw.get("volume_scenarios"):
        row = _table(
            ws,
            row + 1,
            "业务量情景 Volume scenarios",
            ("名称\nname", "日均咨询量\ndaily inquiries", "权重\nweight"),
            [
                (v.get("name"), number_or_text(v.get("daily_inquiries")), number_or_text(v.get("weight")))
                for v in raw["volume_scenarios"]
                if isinstance(v, dict)
            ],
        )
    if isinstance(tender.get("reference_pricing"), dict):
        _reference_pricing(ws, row + 1, tender["reference_pricing"])
    style.fit_columns(ws)
    style.protect(ws)


def _scenario_row(ws, row: int, name: str, label: str, value) -> int:
    style.code(ws.cell(row=row, column=1, value=name))
    style.readonly(ws.cell(row=row, column=2, value=label))
    style.readonly(ws.cell(row=row, column=3, value=value))
    ws.row_dimensions[row].height = 30
    return row + 1


def _table(ws, row: int, heading: str, headers: tuple, rows: list[tuple]) -> int:
    style.section(ws.cell(row=row, column=1, value=heading))
    row += 1
    for column, text in enumerate(headers, start=1):
        style.header(ws.cell(row=row, column=column, value=text))
    for values in rows:
        row += 1
        for column, value in enumerate(values, start=1):
            style.readonly(ws.cell(row=row, column=column, value=value))
        ws.row_dimensions[row].height = 30
    return row + 1


def _reference_pricing(ws, row: int, reference: dict) -> int:
    """The buyer's reference prices, as published: the model and each parameter."""
    model = MODELS.get(reference.get("model"))
    rows: list[tuple] = [("model", "报价方式\npricing model", model.zh if model else reference.get("model"))]
    for name, value in reference.items():
        param = PARAMETERS.get(name)
        if name == "model" or param is None:
            continue
        if param.kind == "tiers":
            for index, tier in enumerate(value or [], start=1):
                text = ", ".join(f"{key} {v if v is not None else '∞'}" for key, v in tier.items())
                rows.append((f"tiers[{index}]", f"第 {index} 档\ntier {index}", text))
        elif param.kind == "prices":
            for item_id, price in (value or {}).items():
                rows.append((f"prices.{item_id}", f"{item_id} 单价\nunit price", number_or_text(price)))
        elif param.kind == "fees":
            for fee in value or []:
                rows.append(("one_time_fees", fee.get("label", ""), number_or_text(fee.get("amount"))))
        else:
            rows.append((name, layout.bilingual(param.zh, param.en), number_or_text(value)))
    return _table(
        ws,
        row,
        "参考价（采购人公布） Reference prices published by the buyer",
        ("代码\ncode", "项目\nitem", "数值\nvalue"),
        rows,
    )


def marker_sheet(wb: Workbook, *, tender_id: str, version: int, lang: str, models: list[str]) -> None:
    """The hidden sheet naming the tender and version this workbook was made for, and the
    drop-down lists (data validation may refer to a hidden sheet)."""
    ws = wb.create_sheet(layout.MARKER)
    for row, (key, value) in enumerate(zip(layout.MARKER_KEYS, (tender_id, version, layout.FORMAT, lang)), start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
    lists = {
        "models": [layout.model_display(name) for name in models],
        "yes_no": ["是", "否"],
        "basis": [f"{code} — {aliases[0]}" for code, aliases in layout.CHOICES["basis"].items()],
        "mode": [f"{code} — {aliases[0]}" for code, aliases in layout.CHOICES["mode"].items()],
    }
    for key, values in lists.items():
        column = layout.LIST_COLUMNS[key]
        for row, value in enumerate(values, start=1):
            ws[f"{column}{row}"] = value
    ws.sheet_state = "veryHidden"
    style.protect(ws)


def list_range(key: str, length: int) -> str:
    column = layout.LIST_COLUMNS[key]
    return f"'{layout.MARKER}'!${column}$1:${column}${length}"
