"""The contract's months on the price-sheet template (domain §10 ``monthly_profile``).

A tender that gives its months one by one prices every quote month by month. The vendor
must see what it is priced on: the scenario sheet (用量基准) gets the month table — each
month's label, daily inquiries, days, seats, CS sales, peak days and work quantities, the
defaults of §10 filled in as the engine fills them (:attr:`scoring.scenario.Scenario.months`)
— with a total row, read-only like the rest of the scenario. The quote sheet and the
instructions say that a package, a minimum or a tier is entered once and applies to each
month alone.

The month table is the buyer's: the reader never reads it (a quote is priced on the
tender's own profile), so a vendor who unprotects the sheet and edits it changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.errors import Problems
from scoring.money import ZERO
from scoring.scenario import Scenario, parse_scenario
from tender.documents import sheet_style as style

MONEY = "#,##0.00"

NOTE_ZH = (
    "本项目按合同各月逐月计价：每个月按下表该月的用量单独折算，保底、套餐包含量、阶梯只对该月适用，不跨月累计；"
    "报价表上的包月费、保底、套餐包含量、阶梯等只填写一次，分别适用于每一个月；一次性费用按合同月数分摊到每月；"
    "大促加派按该月的大促天数计。合同总价 = 各月成本之和；评分所用的月度成本 = 合同总价 ÷ 合同月数。"
    "上方各项为各月未另行给出时的默认值。"
)
NOTE_EN = (
    "This tender is priced month by month: each month is priced alone on its row of the table below, and a "
    "minimum, a package's included inquiries or a tier applies to that month only, never across months. A "
    "package fee, a minimum or a tier is entered once on the quote sheet and applies to each month; one-time "
    "fees are spread over the contract months; peak staffing is priced on the month's peak days. The "
    "contract cost is the sum of the months; the monthly cost scored is the contract cost ÷ contract months. "
    "The figures above are the months' defaults."
)

INSTRUCTION_ZH = (
    "7a. 本项目按合同各月逐月计价（“用量基准”表的逐月用量）：每个月按该月的咨询量、天数、坐席、客服销售额和大促天数"
    "单独折算，保底、套餐包含量、阶梯只对该月适用；包月费、保底等只填写一次，分别适用于每一个月。"
    "合同总价为各月之和，评分所用的月度成本 = 合同总价 ÷ 合同月数。"
)
INSTRUCTION_EN = (
    "7a. This tender is priced month by month (the month table on the sheet 用量基准): each month is "
    "priced alone on its inquiries, days, seats, CS sales and peak days, and a minimum, a package's "
    "included inquiries or a tier applies to that month only; a package fee or a minimum is entered "
    "once and applies to each month. The contract cost is the sum of the months; the monthly cost "
    "scored is the contract cost ÷ contract months."
)


def has_profile(tender_view: dict) -> bool:
    """Whether this tender (or this lot's view of it) gives its months one by one."""
    scenario = tender_view.get("scenario")
    return isinstance(scenario, dict) and bool(scenario.get("monthly_profile"))


def priced_scenario(raw: dict) -> Scenario:
    """The scenario as the engine reads it; a template is made for a valid tender, so the
    problems of a broken one are left to the tender's own validation."""
    return parse_scenario(raw, "scenario", Problems())


def month_headers(scenario: Scenario) -> list[str]:
    headers = [
        "月份\nmonth",
        "日均咨询量\ndaily inquiries",
        "服务天数\ndays",
        "月咨询量（计算）\ninquiries (derived)",
        "每班坐席\nagents per shift",
        "坐席班次（计算）\nagent-shifts (derived)",
        "客服销售额（元）\nCS sales (CNY)",
        "大促天数\npeak days",
    ]
    headers += [
        f"{item.name}（{item.unit}）\n{item.id}" if item.unit else f"{item.name}\n{item.id}"
        for item in scenario.work_items
    ]
    return headers


def month_rows(scenario: Scenario) -> list[list]:
    """One row per contract month as it is priced (S_m), then the total row."""
    rows = []
    for entry, month in scenario.months:
        rows.append(
            [
                entry.label,
                month.daily_inquiries,
                month.days_per_month,
                month.monthly_inquiries,
                month.agents_per_shift,
                month.agent_shifts,
                month.cs_sales_per_month,
                month.month_peak_days,
                *(item.monthly_quantity for item in month.work_items),
            ]
        )
    months = [month for _entry, month in scenario.months]
    rows.append(
        [
            "合计 total",
            None,
            scenario.profile_days,
            scenario.profile_inquiries,
            None,
            None,
            sum((m.cs_sales_per_month for m in months), ZERO),
            sum((m.month_peak_days for m in months), ZERO),
            *(
                sum((m.work_items[index].monthly_quantity for m in months), ZERO)
                for index in range(len(scenario.work_items))
            ),
        ]
    )
    return rows


def _number_format(column: int, value: Decimal) -> str:
    if column == 6:  # CS sales, CNY
        return MONEY
    return "#,##0" if value == value.to_integral_value() else "#,##0.00##"


def month_table(ws, row: int, raw: dict) -> int:
    """The month table on the scenario sheet from ``row``; returns the row after it."""
    scenario = priced_scenario(raw)
    style.section(ws.cell(row=row, column=1, value="逐月用量（合同各月） Monthly profile (the contract's months)"))
    row += 1
    note = ws.cell(row=row, column=1, value=f"{NOTE_ZH}\n{NOTE_EN}")
    note.alignment = style.WRAP
    headers = month_headers(scenario)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(len(headers), 4))
    ws.row_dimensions[row].height = 150
    row += 1
    for column, text in enumerate(headers, start=1):
        style.header(ws.cell(row=row, column=column, value=text))
    ws.row_dimensions[row].height = 45
    body = month_rows(scenario)
    for index, values in enumerate(body):
        row += 1
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            style.readonly(cell)
            if column > 1 and value is not None:
                cell.number_format = _number_format(column - 1, value)
            if index == len(body) - 1:
                cell.font = style.BOLD
    return row + 1
