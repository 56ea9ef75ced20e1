"""The reports' words for the contract year (domain §10) and the weight stability (§11),
merged into the catalogues of :mod:`tender.reports.labels` (both must have the same keys)."""

from __future__ import annotations

YEAR_ZH: dict[str, str] = {
    # the contract year
    "sheet_year": "月度成本",
    "sec_year": "合同年度逐月成本",
    "year_title": "合同年度逐月成本：各有效投标每个月的成本（元）",
    "year_intro": "本项目按合同 {months} 个月逐月计价：合同期咨询量共 {inquiries}，服务天数共 {days} 天。每个月按该月的用量单独"
    "计价，保底、套餐包含量和阶梯只对该月适用；合同总价 = 各月成本之和，计分所用的月度成本 = 合同总价 ÷ {months}。",
    "year_inputs": "各月用量（计价依据）",
    "contract_inquiries": "合同期咨询量（各月合计，逐月计价见“月度成本”）",
    "contract_days": "合同期服务天数",
    "year_costs": "各投标人每月成本（元）",
    "month": "月份",
    "days": "服务天数",
    "agents_per_shift": "每班坐席",
    "cs_sales": "客服销售额（元）",
    "peak_days": "大促天数",
    "work_quantity": "{item}（{unit}）",
    "year_total": "合计",
    "contract_cost": "合同总价（元）",
    "year_monthly_cost": "月度成本（合同总价 ÷ {months}）",
    "flat_title": "按平均月计价与逐月计价的比较（平均月日均咨询 {daily}）",
    "flat_cost": "平均月计的月度成本（元）",
    "flat_rank": "平均月计的排名",
    "year_cost": "逐月计价的月度成本（元）",
    "year_rank": "逐月计价的排名",
    "year_changes_winner": "逐月计价改变了第一名：按平均月（日均 {daily} 咨询）计，{winner}排名第一，月度成本 {flat_cost} 元；"
    "按合同年度逐月计价，其月度成本为 {year_cost} 元（合同总价 {contract_cost} 元），排名第一的是"
    "{year_winner}（月度成本 {winner_cost} 元，合同总价 {winner_contract} 元）。",
    "year_keeps_winner": "按平均月（日均 {daily} 咨询）计价与按合同年度逐月计价，排名第一的都是{winner}。",
    "chart_year": "各投标人逐月成本",
    "year_series_note": "图中显示排名前 {n} 位的投标人；表中列出全部有效投标。",
    # weight stability
    "sheet_stability": "权重稳定性",
    "sec_stability": "权重稳定性",
    "stability_title": "权重稳定性：各项权重变动到何处之前第一名不变",
    "stability_intro": "{winner}排名第一。某一评分因素的权重在（下限，上限）之间变动、其余权重按比例调整时，{winner}保持第一；"
    "在下限或上限处，所列投标人的总分与其相同。“—”表示该方向上没有投标人能追平。",
    "low": "下限",
    "high": "上限",
    "rival_low": "下限处追平者",
    "rival_high": "上限处追平者",
    "legal_range": "法定范围",
    "price_legal_note": "服务类项目价格分值的法定范围为 10–30 分（财政部令第87号第五十五条）。",
    "price_legal_safe": "价格分值在法定范围 10–30 分内任意变动，{winner}都保持第一。",
    "price_legal_low": "在法定范围内，价格分值降至 {low} 分时，{rival}的总分与{winner}相同。",
    "price_legal_high": "在法定范围内，价格分值升至 {high} 分时，{rival}的总分与{winner}相同。",
    "price_legal_outside": "价格分值在法定范围 10–30 分内时，{winner}不能保持第一。",
    "chart_stability": "各项权重的稳定区间（黑点为当前权重）",
    "chart_data": "图表数据",
    "chart_start": "区间起点",
    "chart_to_weight": "起点至当前权重",
    "chart_to_end": "当前权重至区间终点",
    "weight_points": "权重（分）",
    "current_weight": "当前权重",
    "stable_range": "第一名不变（至追平点）",
    "open_side": "第一名不变（该方向无人追平）",
    "legal_price_range": "价格分值法定范围",
    "no_bound": "—",
}

YEAR_EN: dict[str, str] = {
    "sheet_year": "Monthly costs",
    "sec_year": "The contract year, month by month",
    "year_title": "The contract year month by month: each valid bid's cost in each month (CNY)",
    "year_intro": "This tender is priced over its {months} contract months one by one: {inquiries} inquiries over "
    "{days} service days. Each month is priced alone on its own volume, so a minimum, a package's "
    "included inquiries and a tier apply to that month only; the contract cost is the sum of the "
    "months, and the monthly cost scored is the contract cost ÷ {months}.",
    "year_inputs": "The months as priced",
    "contract_inquiries": "Inquiries over the contract (all months; priced month by month, see Monthly costs)",
    "contract_days": "Service days over the contract",
    "year_costs": "Each bid's cost month by month (CNY)",
    "month": "Month",
    "days": "Service days",
    "agents_per_shift": "Agents per shift",
    "cs_sales": "CS sales (CNY)",
    "peak_days": "Peak days",
    "work_quantity": "{item} ({unit})",
    "year_total": "Total",
    "contract_cost": "Contract cost (CNY)",
    "year_monthly_cost": "Monthly cost (contract cost ÷ {months})",
    "flat_title": "The flat average month ({daily} inquiries a day) against the year month by month",
    "flat_cost": "Monthly cost on the average month (CNY)",
    "flat_rank": "Rank on the average month",
    "year_cost": "Monthly cost month by month (CNY)",
    "year_rank": "Rank month by month",
    "year_changes_winner": "The year changes the winner: on the flat average month ({daily} inquiries a day) {winner} "
    "would rank first at {flat_cost} a month; priced month by month it costs {year_cost} a "
    "month ({contract_cost} over the contract) and {year_winner} ranks first at {winner_cost} "
    "a month ({winner_contract} over the contract).",
    "year_keeps_winner": "The flat average month ({daily} inquiries a day) and the year month by month rank the same "
    "bid first: {winner}.",
    "chart_year": "Cost month by month per bid",
    "year_series_note": "The chart shows the top {n} bids; the table lists every valid bid.",
    "sheet_stability": "Weight stability",
    "sec_stability": "Weight stability",
    "stability_title": "Weight stability: how far each weight may move before another bid ranks first",
    "stability_intro": "{winner} ranks first, and stays first while a criterion's weight stays between its low and "
    "high bounds, the other weights scaled to fit; at a bound the bid named there totals the same. "
    "A dash: no bid draws level on that side.",
    "low": "Low",
    "high": "High",
    "rival_low": "Level at low",
    "rival_high": "Level at high",
    "legal_range": "Legal range",
    "price_legal_note": "Price weight for services: 10–30 points by law (MOF Order 87, Art. 55).",
    "price_legal_safe": "{winner} stays first for any price weight within the legal range of 10–30 points.",
    "price_legal_low": "Within the legal range, at a price weight of {low} points {rival} totals the same as {winner}.",
    "price_legal_high": "Within the legal range, at a price weight of {high} points {rival} totals the same as "
    "{winner}.",
    "price_legal_outside": "{winner} does not stay first for any price weight within the legal range of 10–30 points.",
    "chart_stability": "Where each weight may move (dot: the current weight)",
    "chart_data": "Chart data",
    "chart_start": "Interval start",
    "chart_to_weight": "Start to current weight",
    "chart_to_end": "Current weight to interval end",
    "weight_points": "Weight (points)",
    "current_weight": "Current weight",
    "stable_range": "Winner unchanged, up to a rival",
    "open_side": "Winner unchanged, no rival on that side",
    "legal_price_range": "Legal price range",
    "no_bound": "—",
}
