"""The Excel scoring report (评分汇总表): one sheet per question a reader asks.

排名 ranking · 价格折算 price normalization · 资格审查 qualification · 评分明细 scores ·
敏感性 sensitivity (with a native line chart) · 开标记录 opening record · 审计 audit trail.
Every figure is the result's own, written as an exact number with a number format, so
a reader can re-add the criterion scores of a row in Excel and get its total.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter

from tender.reports import sheets as S
from tender.reports import year_workbook
from tender.reports.view import ReportView, number

CHART_SERIES = 10


def build(view: ReportView) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _ranking(wb.create_sheet(view.t("sheet_ranking")), view)
    if view.context.lot_awards:  # the report of one lot (§13): the awards across the lots
        _lot_awards(wb.create_sheet(view.t("sheet_lot_awards")), view)
    _prices(wb.create_sheet(view.t("sheet_prices")), view)
    _qualification(wb.create_sheet(view.t("sheet_qualification")), view)
    _scores(wb.create_sheet(view.t("sheet_scores")), view)
    _sensitivity(wb.create_sheet(view.t("sheet_sensitivity")), view)
    _opening(wb.create_sheet(view.t("sheet_opening")), view)
    _audit(wb.create_sheet(view.t("sheet_audit")), view)
    year_workbook.add_sheets(wb, view)
    wb.properties.title = f"{view.title} — {view.t('workbook_title')}"[:250]
    wb.properties.creator = "tender"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- 排名


def _ranking(ws, view: ReportView) -> None:
    top = S.title_block(ws, view, view.t("workbook_title"))
    criteria = view.criteria
    labels = [
        view.t("rank"),
        view.t("vendor"),
        view.t("candidate"),
        view.t("model"),
        view.t("monthly_cost"),
        view.t("cost_per_inquiry"),
    ]
    labels += [f"{c.name} ({c.weight:f})" if view.en else f"{c.name}（{c.weight:f}）" for c in criteria]
    labels += [view.t("total"), view.t("flags")]
    S.header_row(ws, top, labels)
    row = top
    for bid in view.ranked:
        row += 1
        S.put(ws, row, 1, bid.rank, "integer")
        S.put(ws, row, 2, bid.vendor)
        S.put(ws, row, 3, view.candidate(bid))
        S.put(ws, row, 4, view.model_name(bid.model))
        S.put(ws, row, 5, bid.monthly_cost, "money")
        S.put(ws, row, 6, view.cost_per_inquiry(bid), "money")
        for offset, criterion in enumerate(criteria):
            S.put(ws, row, 7 + offset, bid.scores.get(criterion.id), "score")
        S.put(ws, row, 7 + len(criteria), bid.total, "score", bold=True)
        S.put(ws, row, 8 + len(criteria), view.flags(bid))
    last_column = 8 + len(criteria)
    S.highlight_rows(ws, top + 1, row, last_column, 3, S.WINNER_FILL, bold=True)
    S.highlight_rows(ws, top + 1, row, last_column, last_column, S.FLAG_FILL)
    S.freeze_and_filter(ws, top, row, last_column, freeze_columns=2)
    body_end = row

    row += 2
    if view.invalid:
        row = S.section(ws, row, view.t("invalid_bids"))
        # under the ranking's own columns: vendor, pricing model, monthly cost, then the reasons
        S.header_row(ws, row, [view.t("vendor")], start=2)
        S.header_row(ws, row, [view.t("model"), view.t("monthly_cost"), view.t("reasons")], start=4)
        S.merge(ws, row, 6, last_column)
        for bid in view.invalid:
            row += 1
            S.put(ws, row, 2, bid.vendor)
            S.put(ws, row, 4, view.model_name(bid.model))
            S.put(ws, row, 5, bid.monthly_cost, "money")
            S.put(ws, row, 6, "\n".join(view.reasons(bid)))
            S.merge(ws, row, 6, last_column)
        row += 2
    row = S.section(ws, row, view.t("winners"))
    if view.winners:
        for position, vendor in enumerate(view.winners, start=1):
            S.put(ws, row, 1, position, "integer")
            S.put(ws, row, 2, vendor)
            row += 1
    else:
        S.put(ws, row, 2, view.t("no_winners"))
        row += 1
    if len(view.awards) > 1:
        row += 1
        row = S.section(ws, row, view.t("awards"))
        S.header_row(ws, row, [view.t("rank"), view.t("vendor"), view.t("share")])
        for award in view.awards:
            row += 1
            S.put(ws, row, 1, award["rank"], "integer")
            S.put(ws, row, 2, award["vendor"])
            S.put(ws, row, 3, number(award["share"]), "share")
        row += 1
    row += 1
    S.put(ws, row, 2, view.t("benchmark"), box=False, bold=True)
    S.put(ws, row, 5, view.benchmark, "money", box=False)
    S.put(ws, row + 1, 2, view.t("valid_bids"), box=False, bold=True)
    S.put(ws, row + 1, 5, view.valid_bids, "integer", box=False)
    S.fit_columns(ws, top, body_end, maximum=40, fixed={1: 6, 3: 14, 4: 22})
    for column in range(7, 7 + len(criteria) + 1):  # criterion headers wrap, scores are short
        ws.column_dimensions[get_column_letter(column)].width = 11
    ws.column_dimensions[get_column_letter(last_column)].width = 24
    S.fit_rows(ws, top, row)
    S.print_setup(ws, view, top)


# --------------------------------------------------------------------------- 价格折算


def _prices(ws, view: ReportView) -> None:
    top = S.title_block(ws, view, view.t("sheet_prices"))
    if not view.context.pricing:
        S.note(ws, top - 1, view.t("parameters_missing"))
    S.header_row(ws, top, [view.t("vendor"), view.t("model"), view.t("item"), view.t("formula"), view.t("amount")])
    row = top
    for bid in view.bids:
        vendor, model = bid.vendor, view.model_name(bid.model)
        parameters = view.parameters(bid)
        for parameter in parameters:
            row += 1
            _vendor_cells(ws, row, vendor, model)
            S.put(ws, row, 3, f"{view.t('parameter')} · {parameter.label}")
            if parameter.kind == "text":
                S.put(ws, row, 4, parameter.value)
                S.put(ws, row, 5, None)
            else:
                S.put(ws, row, 4, None)
                S.put(ws, row, 5, parameter.value, "unit_price" if parameter.kind == "money" else parameter.kind)
        for label, formula, amount in view.breakdown(bid):
            row += 1
            _vendor_cells(ws, row, vendor, model)
            S.put(ws, row, 3, label)
            S.put(ws, row, 4, formula)
            S.put(ws, row, 5, amount, "money")
        row += 1
        _vendor_cells(ws, row, vendor, model)
        S.put(ws, row, 3, view.t("result_line"), bold=True)
        S.put(ws, row, 4, view.flags(bid))
        S.put(ws, row, 5, bid.monthly_cost, "money", bold=True)
        row += 1
        _vendor_cells(ws, row, vendor, model)
        S.put(ws, row, 3, view.t("cost_per_inquiry"))
        S.put(ws, row, 4, None)
        S.put(ws, row, 5, view.cost_per_inquiry(bid), "money")
    S.freeze_and_filter(ws, top, row, 5, freeze_columns=1)
    S.fit_columns(ws, top, row, maximum=36, fixed={4: 64})
    end = row

    # the scenario, and the cost under each volume scenario, beside the table
    side = 7
    at = S.section(ws, top, view.t("scenario"), column=side)
    at = S.note(ws, at, view.t("scenario_note"), column=side)
    S.header_row(ws, at, [view.t("field"), view.t("value")], start=side)
    for label, value in view.scenario_rows():
        at += 1
        S.put(ws, at, side, label)
        S.put(ws, at, side + 1, value, "quantity")
    volumes = view.volume_scenarios()
    if volumes:
        at += 2
        at = S.section(ws, at, view.t("volume_scenarios"), column=side)
        labels = [view.t("vendor")] + [f"{v.name}\n{v.daily_inquiries:f} · {v.weight:f}" for v in volumes]
        S.header_row(ws, at, labels + [view.t("weighted_cost")], start=side)
        for bid in view.bids:
            at += 1
            S.put(ws, at, side, bid.vendor)
            for offset, cost in enumerate(bid.volume_costs):
                S.put(ws, at, side + 1 + offset, number(cost["monthly_cost"]), "money")
            S.put(ws, at, side + 1 + len(volumes), bid.monthly_cost, "money", bold=True)
    ws.column_dimensions[get_column_letter(side)].width = 32
    for offset in range(1, len(volumes) + 2):
        ws.column_dimensions[get_column_letter(side + offset)].width = 16
    S.fit_rows(ws, top, max(end, at))
    S.print_setup(ws, view, top)


def _vendor_cells(ws, row: int, vendor: str, model: str) -> None:
    S.put(ws, row, 1, vendor)
    S.put(ws, row, 2, model)


# --------------------------------------------------------------------------- 资格审查


def _qualification(ws, view: ReportView) -> None:
    top = S.title_block(ws, view, view.t("qualification_matrix"))
    rules = view.rules()
    S.header_row(ws, top, [view.t("vendor"), view.t("qualified")] + [view.rule_name(r) for r in rules])
    row = top
    for bid in view.bids:
        row += 1
        outcomes = view.rule_results(bid)
        overridden = {o["rule"] for o in bid.review.overrides}
        S.put(ws, row, 1, bid.vendor)
        S.put(ws, row, 2, ("✓ " + view.t("pass")) if bid.qualified else ("✗ " + view.t("fail")))
        for offset, rule in enumerate(rules):
            outcome = outcomes.get(rule.name)
            if outcome is None:
                S.put(ws, row, 3 + offset, None)
            elif outcome.passed and rule.name not in overridden:
                S.put(ws, row, 3 + offset, f"✓ {view.declared(outcome.declared)}")
            elif outcome.passed:
                S.put(ws, row, 3 + offset, f"✓ {view.rule_reason(outcome)}")
            else:
                S.put(ws, row, 3 + offset, f"✗ {view.rule_reason(outcome)}")
    last_column = 2 + len(rules)
    if row > top:
        S.highlight_failed(ws, f"B{top + 1}:{get_column_letter(last_column)}{row}", f"B{top + 1}")
    S.freeze_and_filter(ws, top, row, last_column, freeze_columns=1)

    row += 2
    row = S.section(ws, row, view.t("failed_items"))
    S.header_row(ws, row, [view.t("vendor"), view.t("rule"), view.t("required"), view.t("declared"), view.t("reasons")])
    failures = 0
    for bid in view.bids:
        for outcome, reason in view.reasons_with_rules(bid) if not bid.qualified else []:
            row += 1
            failures += 1
            S.put(ws, row, 1, bid.vendor)
            S.put(ws, row, 2, view.rule_name(outcome.rule) if outcome else view.t("not_given"))
            S.put(ws, row, 3, view.required(outcome.rule) if outcome else None)
            S.put(ws, row, 4, view.declared(outcome.declared) if outcome else None)
            S.put(ws, row, 5, reason)
    if not failures:
        row += 1
        S.put(ws, row, 1, view.t("no_failures"), box=False)
    row += 2
    row = S.section(ws, row, view.t("overrides"))
    S.header_row(
        ws,
        row,
        [
            view.t("vendor"),
            view.t("rule"),
            view.t("automatic"),
            view.t("overridden_to"),
            view.t("override_reason"),
            view.t("evaluator"),
        ],
    )
    overrides = view.overrides()
    for override in overrides:
        row += 1
        S.put(ws, row, 1, override.vendor)
        S.put(ws, row, 2, view.rule_title(override.rule))
        automatic = None if override.automatic is None else view.t("pass" if override.automatic else "fail")
        S.put(ws, row, 3, automatic)
        S.put(ws, row, 4, view.t("pass" if override.passed else "fail"))
        S.put(ws, row, 5, override.reason)
        S.put(ws, row, 6, override.evaluator)
    if not overrides:
        row += 1
        S.put(ws, row, 1, view.t("no_overrides"), box=False)
    S.fit_columns(ws, top, row, maximum=24)
    S.fit_rows(ws, top, row)
    S.print_setup(ws, view, top)


# --------------------------------------------------------------------------- 评分明细


def _scores(ws, view: ReportView) -> None:
    top = S.title_block(ws, view, view.t("sheet_scores"))
    evaluators = view.evaluators
    labels = [view.t("vendor"), view.t("rank"), view.t("criterion"), view.t("criterion_kind"), view.t("max_points")]
    labels += evaluators + [view.t("aggregation"), view.t("score")]
    S.header_row(ws, top, labels)
    row = top
    for bid in view.ranked:
        for criterion in view.criteria:
            row += 1
            S.put(ws, row, 1, bid.vendor)
            S.put(ws, row, 2, bid.rank, "integer")
            S.put(ws, row, 3, criterion.name)
            S.put(ws, row, 4, view.kind_label(criterion.kind))
            S.put(ws, row, 5, criterion.weight, "score")
            if criterion.kind == "subjective":  # price and objective scores have no evaluator columns
                for offset, evaluator in enumerate(evaluators):
                    S.put(ws, row, 6 + offset, view.evaluator_score(bid, criterion.id, evaluator), "score")
            S.put(ws, row, 6 + len(evaluators), view.note(bid, criterion.id))
            S.put(ws, row, 7 + len(evaluators), bid.scores.get(criterion.id), "score", bold=True)
    last_column = 7 + len(evaluators)
    S.freeze_and_filter(ws, top, row, last_column, freeze_columns=1)
    row += 2
    row = S.section(ws, row, view.t("aggregation"))
    for criterion in view.criteria:
        if criterion.aggregate:
            S.put(ws, row, 1, criterion.name, box=False)
            S.put(ws, row, 3, view.aggregation(criterion), box=False)
            row += 1
    prices = view.price_scores()
    if prices:  # for each ranked bid: the price it was scored on (SME deduction marked), B and the formula
        row += 1
        row = S.section(ws, row, view.t("price_scores"))
        S.header_row(
            ws,
            row,
            [
                view.t("vendor"),
                view.t("monthly_cost"),
                view.t("price_scored"),
                view.t("sme_deducted"),
                view.t("benchmark_b"),
                view.t("price_score"),
                view.t("calculation"),
            ],
        )
        for line in prices:
            row += 1
            S.put(ws, row, 1, line.vendor)
            S.put(ws, row, 2, line.monthly_cost, "money")
            S.put(ws, row, 3, line.price, "money")
            S.put(ws, row, 4, view.t("yes") if line.deducted else view.t("no"))
            S.put(ws, row, 5, line.benchmark, "money")
            S.put(ws, row, 6, line.score, "score", bold=True)
            S.put(ws, row, 7, line.formula)
    S.fit_columns(ws, top, row, maximum=40, fixed={6 + len(evaluators): 48})
    S.fit_rows(ws, top, row)
    S.print_setup(ws, view, top)


# --------------------------------------------------------------------------- 敏感性


def _sensitivity(ws, view: ReportView) -> None:
    top = S.title_block(ws, view, view.t("sensitivity_title"))
    scenario = view.scenario_daily_inquiries
    S.put(ws, top - 1, 1, view.t("scenario_volume"), box=False, bold=True)
    S.put(ws, top - 1, 3, scenario, "quantity", box=False)
    grid, costs = view.sensitivity_grid(), view.sensitivity_costs()
    vendors = list(costs)
    S.header_row(ws, top, [view.t("daily_inquiries")] + vendors)
    for index, volume in enumerate(grid):
        row = top + 1 + index
        S.put(ws, row, 1, volume, "quantity")
        for offset, vendor in enumerate(vendors):
            S.put(ws, row, 2 + offset, costs[vendor][index], "money")
    last = top + len(grid)
    S.freeze_and_filter(ws, top, last, 1 + len(vendors), freeze_columns=1)
    row = last + 2
    row = S.section(ws, row, view.t("break_even"))
    points = view.break_even()
    if points:
        S.header_row(ws, row, [view.t("daily_inquiries"), view.t("below"), view.t("above"), view.t("cost_there")])
        for point in points:
            row += 1
            S.put(ws, row, 1, point["daily_inquiries"], "quantity")
            S.put(ws, row, 2, point["below"])
            S.put(ws, row, 3, point["above"])
            S.put(ws, row, 4, point["monthly_cost"], "money")
    else:
        S.put(ws, row, 1, view.t("no_break_even"), box=False)
    S.fit_columns(ws, top, row, maximum=30)
    S.fit_rows(ws, top, top)
    if grid and vendors:
        chart_vendors = view.chart_vendors(CHART_SERIES)
        chart = LineChart()
        chart.title = view.t("chart_sensitivity")
        chart.y_axis.title = view.t("monthly_cost")
        chart.x_axis.title = view.t("daily_inquiries")
        chart.y_axis.numFmt = "#,##0"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.height, chart.width = 10, 22
        for vendor in chart_vendors:
            column = 2 + vendors.index(vendor)
            chart.add_data(Reference(ws, min_col=column, min_row=top, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last))
        anchor_row = row + 3
        if len(chart_vendors) < len(vendors):
            S.note(ws, anchor_row - 1, view.t("chart_series_note", n=CHART_SERIES))
        ws.add_chart(chart, f"A{anchor_row}")
    S.print_setup(ws, view, top)


# --------------------------------------------------------------------------- 开标记录 / 审计


def _opening(ws, view: ReportView) -> None:
    top = S.title_block(ws, view, view.t("opening_record"))
    colon = ": " if view.en else "："
    sep = "; " if view.en else "；"
    S.put(
        ws,
        top - 1,
        1,
        f"{view.t('opening_time')}{colon}{view.time(view.opening_time)}{sep}"
        f"{view.t('opening_place')}{colon}{view.opening_place}",
        box=False,
    )
    records = view.opening_record()
    codes = any(r.credit_code for r in records)  # the web app's bidders have one; a command-line bid none
    S.header_row(
        ws,
        top,
        [
            view.t("seq"),
            view.t("vendor"),
            *([view.t("credit_code")] if codes else []),
            view.t("received_at"),
            view.t("model"),
            view.t("monthly_cost"),
        ],
    )
    row = top
    for seq, record in enumerate(records, start=1):
        row += 1
        S.put(ws, row, 1, seq, "integer")
        S.put(ws, row, 2, record.vendor)
        if codes:
            S.put(ws, row, 3, record.credit_code or view.t("not_given"))
        shift = 1 if codes else 0
        S.put(ws, row, 3 + shift, view.time(record.received_at) if record.received_at else view.t("not_given"))
        S.put(ws, row, 4 + shift, view.model_name(record.model) if record.model else None)
        S.put(ws, row, 5 + shift, record.monthly_cost, "money")
    S.freeze_and_filter(ws, top, row, 5 + (1 if codes else 0), freeze_columns=2)
    if not any(r.received_at for r in records):
        S.note(ws, row + 2, view.t("no_receipt_times"))
    last = _signatures(ws, view, row + 4)
    S.fit_columns(ws, top, last, maximum=40)
    S.print_setup(ws, view, top)


def _signatures(ws, view: ReportView, row: int) -> int:
    """The panel's signature table (§15): each member, its role, its electronic signature
    (the SHA-256 it signed) and the time; blank lines to sign by hand when not signed."""
    row = S.section(ws, row, view.t("sec_signatures"))
    S.header_row(ws, row, [view.t("seq"), view.t("name"), view.t("member_role"), view.t("signature"), view.t("date")])
    for seq, member in enumerate(view.panel(), start=1):
        row += 1
        S.put(ws, row, 1, seq, "integer")
        S.put(ws, row, 2, member.name)
        S.put(ws, row, 3, view.member_role(member))
        S.put(ws, row, 4, view.signature_text(member))
        S.put(ws, row, 5, view.time(member.signed_at) if member.signed_at else "")
    return row


def _audit(ws, view: ReportView) -> None:
    top = S.title_block(ws, view, view.t("audit_trail"))
    colon = ": " if view.en else "："
    S.put(ws, top - 1, 1, f"{view.t('audit_head')}{colon}{view.context.audit_head or view.t('not_given')}", box=False)
    S.header_row(
        ws,
        top,
        [
            view.t("seq"),
            view.t("time_utc"),
            view.t("actor"),
            view.t("action"),
            view.t("object"),
            view.t("details"),
            view.t("hash"),
        ],
    )
    row = top
    for entry in view.context.audit:
        row += 1
        S.put(ws, row, 1, entry.seq, "integer")
        S.put(ws, row, 2, view.time(entry.at, seconds=True, zone=False))
        S.put(ws, row, 3, entry.actor)
        S.put(ws, row, 4, view.action(entry.action))
        S.put(ws, row, 5, entry.object)
        S.put(ws, row, 6, entry.details)
        S.put(ws, row, 7, entry.hash)
    if not view.context.audit:
        S.note(ws, top + 2, view.t("no_audit"))
    S.freeze_and_filter(ws, top, row, 7, freeze_columns=1)
    S.fit_columns(ws, top, row, maximum=48, fixed={7: 68})
    S.fit_rows(ws, top, row)
    S.print_setup(ws, view, top)


def _lot_awards(ws, view: ReportView) -> None:
    """The award table across the lots of a tender divided into lots (§13)."""
    top = S.title_block(ws, view, view.t("sec_lot_awards"))
    S.put(ws, top - 1, 1, view.t("lot_awards_intro", n=view.lot_limit()), box=False)
    S.header_row(ws, top, [view.t("lot"), view.t("lot_name"), view.t("awarded_to"), view.t("lot_reasons")])
    row = top
    for values in view.lot_award_rows():
        row += 1
        for column, value in enumerate(values, start=1):
            S.put(ws, row, column, value)
    S.fit_columns(ws, top, row, maximum=60)
    S.fit_rows(ws, top, row)
    S.print_setup(ws, view, top)
