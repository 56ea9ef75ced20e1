"""The sheets of the scoring workbook for the contract year (domain §10) and the weight
stability (§11), in the shape of :mod:`tender.reports.workbook` (one function per sheet):

- 月度成本 (monthly costs), when the tender gives its months one by one: the months down the
  side with the inputs each is priced on (daily inquiries, days, inquiries, seats, CS sales,
  peak days, work quantities) and each valid bid's cost that month, the contract cost and
  the monthly cost scored below, the flat average month beside the year, and a native
  Excel line chart of the costs;
- 权重稳定性 (weight stability), when the result has it: each criterion's weight, the low
  and high bound and the bid level there, the legal range of the price weight, and a
  native bar chart of the intervals (an open end drawn faded to 0 or 100).

Every figure is the result's own (through :class:`~tender.reports.year_view.YearView`).
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.utils import get_column_letter

from tender.reports import sheets as S
from tender.reports.view import ReportView
from tender.reports.year_view import YearView

CHART_SERIES = 10
STABLE, OPEN = "4472C4", "B4C7E7"
HUNDRED = Decimal(100)


def add_sheets(wb, view: ReportView) -> None:
    """Add the sheets this result has: 月度成本 after 价格折算, 权重稳定性 after 评分明细."""
    year = YearView(view)
    if year.has_profile:
        monthly_costs(_sheet(wb, view.t("sheet_year"), view.t("sheet_prices")), view, year)
    if year.bounds():
        stability(_sheet(wb, view.t("sheet_stability"), view.t("sheet_scores")), view, year)


def _sheet(wb, title: str, after: str):
    return wb.create_sheet(title, wb.sheetnames.index(after) + 1)


# --------------------------------------------------------------------------- 月度成本


def monthly_costs(ws, view: ReportView, year: YearView) -> None:
    top = S.title_block(ws, view, view.t("year_title"))
    months, bids = year.months(), year.bids()
    contract_months = f"{year.contract_months.normalize():f}"
    top = (
        S.note(
            ws,
            top,
            view.t(
                "year_intro",
                months=contract_months,
                inquiries=f"{year.contract_inquiries:,f}",
                days=f"{year.contract_days:,f}",
            ),
        )
        + 1
    )
    items = year.work_items()
    inputs = [
        view.t("month"),
        view.t("daily_inquiries"),
        view.t("days"),
        view.t("monthly_inquiries"),
        view.t("agents_per_shift"),
        view.t("agent_shifts"),
        view.t("cs_sales"),
        view.t("peak_days"),
    ]
    inputs += [view.t("work_quantity", item=i.name, unit=i.unit) if i.unit else i.name for i in items]
    first_bid = len(inputs) + 1
    S.header_row(ws, top, inputs + [b.vendor for b in bids])
    row = top
    for index, month in enumerate(months):
        row += 1
        S.put(ws, row, 1, month.label)
        for column, (value, fmt) in enumerate(
            (
                (month.daily_inquiries, "quantity"),
                (month.days, "quantity"),
                (month.monthly_inquiries, "quantity"),
                (month.agents_per_shift, "quantity"),
                (month.agent_shifts, "quantity"),
                (month.cs_sales, "money"),
                (month.peak_days, "quantity"),
                *((q, "quantity") for q in month.work_quantities),
            ),
            start=2,
        ):
            S.put(ws, row, column, value, fmt)
        for offset, bid in enumerate(bids):
            S.put(ws, row, first_bid + offset, bid.costs[index], "money")
    last_month = row
    row += 1
    S.put(ws, row, 1, view.t("contract_cost"), bold=True)
    S.put(ws, row, 3, year.contract_days, "quantity", bold=True)
    S.put(ws, row, 4, year.contract_inquiries, "quantity", bold=True)
    for offset, bid in enumerate(bids):
        S.put(ws, row, first_bid + offset, bid.contract_cost, "money", bold=True)
    row += 1
    S.put(ws, row, 1, view.t("year_monthly_cost", months=contract_months), bold=True)
    for offset, bid in enumerate(bids):
        S.put(ws, row, first_bid + offset, bid.monthly_cost, "money", bold=True)
    last_column = first_bid + len(bids) - 1
    S.freeze_and_filter(ws, top, top, last_column, freeze_columns=1)
    S.fit_columns(ws, top, row, maximum=30, fixed={1: 22})
    for column in range(first_bid, last_column + 1):
        ws.column_dimensions[get_column_letter(column)].width = 15

    row = _flat_average(ws, view, year, bids, row + 2)
    S.fit_rows(ws, top, row)
    if bids and months:
        chart = LineChart()
        chart.title = view.t("chart_year")
        chart.y_axis.title = view.t("monthly_cost")
        chart.x_axis.title = view.t("month")
        chart.y_axis.numFmt = "#,##0"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.height, chart.width = 10, 22
        for offset in range(min(len(bids), CHART_SERIES)):
            column = first_bid + offset
            chart.add_data(Reference(ws, min_col=column, min_row=top, max_row=last_month), titles_from_data=True)
        for series in chart.series:
            series.marker.symbol = "circle"
            series.smooth = False
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last_month))
        anchor = row + 2
        if len(bids) > CHART_SERIES:
            S.note(ws, anchor - 1, view.t("year_series_note", n=CHART_SERIES))
        ws.add_chart(chart, f"A{anchor}")
    S.print_setup(ws, view, top)


def _flat_average(ws, view: ReportView, year: YearView, bids, row: int) -> int:
    """The same bids on the flat average month beside the year, and whether the winner changes."""
    if year.flat is None:
        return row
    row = S.section(ws, row, view.t("flat_title", daily=f"{year.flat_daily_inquiries:,.2f}"))
    S.header_row(
        ws,
        row,
        [
            view.t("vendor"),
            view.t("flat_cost"),
            view.t("flat_rank"),
            view.t("year_cost"),
            view.t("year_rank"),
            view.t("contract_cost"),
        ],
    )
    for bid in bids:
        row += 1
        S.put(ws, row, 1, bid.vendor)
        S.put(ws, row, 2, bid.flat_cost, "money")
        S.put(ws, row, 3, bid.flat_rank, "integer")
        S.put(ws, row, 4, bid.monthly_cost, "money")
        S.put(ws, row, 5, bid.rank, "integer")
        S.put(ws, row, 6, bid.contract_cost, "money")
    sentence = year.winner_sentence()
    if sentence:
        row += 2
        S.put(ws, row, 1, sentence, box=False, bold=True)
    return row + 1


# --------------------------------------------------------------------------- 权重稳定性


def stability(ws, view: ReportView, year: YearView) -> None:
    top = S.title_block(ws, view, view.t("stability_title"))
    winner = year.stability_winner or ""
    top = S.note(ws, top, view.t("stability_intro", winner=winner)) + 1
    S.header_row(
        ws,
        top,
        [
            view.t("criterion"),
            view.t("criterion_kind"),
            view.t("weight"),
            view.t("low"),
            view.t("high"),
            view.t("rival_low"),
            view.t("rival_high"),
            view.t("legal_range"),
        ],
    )
    bounds = year.bounds()
    dash = view.t("no_bound")
    row = top
    for bound in bounds:
        row += 1
        S.put(ws, row, 1, bound.criterion.name)
        S.put(ws, row, 2, view.kind_label(bound.criterion.kind))
        S.put(ws, row, 3, bound.weight, "score")
        S.put(ws, row, 4, bound.low if bound.low is not None else dash, "score")
        S.put(ws, row, 5, bound.high if bound.high is not None else dash, "score")
        S.put(ws, row, 6, bound.rival_low or dash)
        S.put(ws, row, 7, bound.rival_high or dash)
        legal = bound.legal_range
        S.put(ws, row, 8, f"{legal[0]}–{legal[1]}" if legal else None)
    last = row
    S.freeze_and_filter(ws, top, top, 8, freeze_columns=1)
    row += 1
    for sentence in year.price_sentences():
        row = S.note(ws, row, sentence)

    # the chart's data: an invisible bar to where the interval starts, then two visible parts
    # (to the current weight, then to the end), so the colour changes at the current weight
    row = S.section(ws, row + 1, view.t("chart_data"))
    chart_top = row
    S.header_row(
        ws, chart_top, [view.t("criterion"), view.t("chart_start"), view.t("chart_to_weight"), view.t("chart_to_end")]
    )
    for index, bound in enumerate(bounds):
        start = bound.low if bound.low is not None else Decimal(0)
        end = bound.high if bound.high is not None else HUNDRED
        at = chart_top + 1 + index
        S.put(ws, at, 1, bound.criterion.name)
        S.put(ws, at, 2, start, "score")
        S.put(ws, at, 3, bound.weight - start, "score")
        S.put(ws, at, 4, end - bound.weight, "score")
    chart_last = chart_top + len(bounds)
    S.fit_columns(ws, top, last, maximum=36)
    S.fit_rows(ws, top, chart_last)
    if bounds:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = view.t("chart_stability")
        chart.y_axis.title = view.t("weight_points")
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.x_axis.scaling.orientation = "maxMin"  # the first criterion on top
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend = None
        chart.height, chart.width = 2.5 + 1.2 * len(bounds), 22
        chart.add_data(
            Reference(ws, min_col=2, max_col=4, min_row=chart_top, max_row=chart_last), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=chart_top + 1, max_row=chart_last))
        start, to_weight, to_end = chart.series
        start.graphicalProperties.noFill = True
        start.graphicalProperties.line.noFill = True
        for series, side in ((to_weight, "low"), (to_end, "high")):
            series.graphicalProperties.solidFill = STABLE
            for index, bound in enumerate(bounds):
                if getattr(bound, side) is None:  # no rival draws level on that side
                    point = DataPoint(idx=index)
                    point.graphicalProperties.solidFill = OPEN
                    series.dPt.append(point)
        ws.add_chart(chart, f"A{chart_last + 2}")
    S.print_setup(ws, view, top)
