"""The sections of the Word evaluation report for the contract year (domain §10) and the
weight stability (§11), in the style of :mod:`tender.reports.document` (numbered headings,
tables with a repeated header, the chart as a picture):

- 合同年度逐月成本, when the tender gives its months one by one: the months as priced, each
  valid bid's cost month by month (a chart, then tables of at most five bids side by side),
  the contract cost and the monthly cost scored, the flat average month beside the year and
  the sentence saying whether the year changes the winner, with both figures;
- 权重稳定性, when the result has it: each criterion's interval with the bid level at each
  bound, a chart, and the legal range of the price weight for services.
"""

from __future__ import annotations

from tender.charts import year as year_charts
from tender.reports.wordxml import PORTRAIT_TWIPS, money, quantity, score
from tender.reports.year_view import YearView

BIDS_PER_TABLE = 5


def add_sections(report) -> None:
    """The sections this result has (none for a flat scenario and a shared first place)."""
    year = YearView(report.view)
    if year.has_profile:
        contract_year(report, year)
    if year.bounds():
        stability(report, year)


def contract_year(report, year: YearView) -> None:
    view, t = report.view, report.t
    report.heading("sec_year")
    months = f"{year.contract_months.normalize():f}"
    report.para(
        t("year_intro", months=months, inquiries=quantity(year.contract_inquiries), days=quantity(year.contract_days))
    )
    report.doc.add_heading(t("year_inputs"), level=2)
    items = year.work_items()
    header = [
        t("month"),
        t("daily_inquiries"),
        t("days"),
        t("monthly_inquiries"),
        t("agents_per_shift"),
        t("cs_sales"),
        t("peak_days"),
    ]
    header += [t("work_quantity", item=i.name, unit=i.unit) if i.unit else i.name for i in items]
    rows = [
        [
            m.label,
            quantity(m.daily_inquiries),
            quantity(m.days),
            quantity(m.monthly_inquiries),
            quantity(m.agents_per_shift),
            money(m.cs_sales),
            quantity(m.peak_days),
            *(quantity(q) for q in m.work_quantities),
        ]
        for m in year.months()
    ]
    rows.append(
        [
            t("year_total"),
            "",
            quantity(year.contract_days),
            quantity(year.contract_inquiries),
            "",
            "",
            "",
            *("" for _ in items),
        ]
    )
    report.table(header, rows, align=[None, *["right"] * (len(header) - 1)])

    bids = year.bids()
    report.doc.add_heading(t("year_costs"), level=2)
    if not bids:
        return
    report.picture(year_charts.year_cost_chart(view, view.lang, "png", dpi=130))
    labels = [m.label for m in year.months()]
    for start in range(0, len(bids), BIDS_PER_TABLE):
        group = bids[start : start + BIDS_PER_TABLE]
        rows = [[label, *(money(b.costs[index]) for b in group)] for index, label in enumerate(labels)]
        rows.append([t("contract_cost"), *(money(b.contract_cost) for b in group)])
        rows.append([t("year_monthly_cost", months=months), *(money(b.monthly_cost) for b in group)])
        width = (PORTRAIT_TWIPS - 2200) // len(group)
        report.table(
            [t("month"), *(b.vendor for b in group)],
            rows,
            widths=[2200, *[width] * len(group)],
            align=[None, *["right"] * len(group)],
            fills=[None] * len(labels) + ["F2F2F2", "E2EFDA"],
        )

    if year.flat is None:
        return
    report.doc.add_heading(t("flat_title", daily=money(year.flat_daily_inquiries)), level=2)
    report.table(
        [t("vendor"), t("flat_cost"), t("flat_rank"), t("year_cost"), t("year_rank"), t("contract_cost")],
        [
            [
                b.vendor,
                money(b.flat_cost),
                str(b.flat_rank or ""),
                money(b.monthly_cost),
                str(b.rank or ""),
                money(b.contract_cost),
            ]
            for b in bids
        ],
        align=[None, "right", "center", "right", "center", "right"],
    )
    sentence = year.winner_sentence()
    if sentence:
        report.para(sentence, bold=True)


def stability(report, year: YearView) -> None:
    view, t = report.view, report.t
    report.heading("sec_stability")
    report.para(t("stability_intro", winner=year.stability_winner or ""))
    dash = t("no_bound")
    report.table(
        [t("criterion"), t("weight"), t("low"), t("high"), t("rival_low"), t("rival_high")],
        [
            [
                b.criterion.name,
                score(b.weight),
                score(b.low) or dash,
                score(b.high) or dash,
                b.rival_low or dash,
                b.rival_high or dash,
            ]
            for b in year.bounds()
        ],
        align=[None, "right", "right", "right", None, None],
    )
    report.picture(year_charts.stability_chart(view, view.lang, "png", dpi=130))
    for sentence in year.price_sentences():
        report.para(sentence)
