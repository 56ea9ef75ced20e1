"""The contract page's charts, drawn with :mod:`tender.charts.render`'s machinery (the same
fonts, lock and SVG-as-paths): payable against charge month by month, and each KPI's value
against its target month by month. Only settled months are plotted; nothing is recomputed.

Each chart is drawn from what it plots alone (the settled months' figures, the KPIs, the
language), and kept by those values: the page shows both charts on every view, and a chart
costs 0.2–0.7 s to draw. A month settled or corrected changes the values, so the chart is
drawn anew; who may see a contract is checked before a chart is asked for."""

from __future__ import annotations

import json
from decimal import Decimal

from tender.charts.render import PALETTE, _money_axis, _render, label
from tender.platform.memo import ContentMemo

DRAWN: ContentMemo = ContentMemo(items=64, size=16 << 20, size_of=len)


def _settled(summary: dict) -> list[dict]:
    return [m for m in summary["months"] if m["row"] is not None]


def _kept(draw, lang: str, fmt: str, dpi: int, months: list[dict], **values) -> str | bytes:
    """``draw(plotted)`` of the settled months and the chart's ``values``, once for the same
    values (the chart, its language, format and size among them)."""
    plotted = {"chart": draw.__name__, "lang": lang, "fmt": fmt, "dpi": dpi, "months": [m["month"] for m in months]}
    plotted.update(values)
    key = json.dumps(plotted, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return DRAWN.get(key, lambda _key: draw(plotted))


def payable_chart(contract, summary: dict, terms, lang: str = "zh", fmt: str = "svg", dpi: int = 150):
    months = _settled(summary)
    charge = [str(m["settlement"]["charge"]) for m in months]
    payable = [str(m["settlement"]["payable"]) for m in months]
    return _kept(_draw_payable, lang, fmt, dpi, months, charge=charge, payable=payable)


def _draw_payable(plotted: dict):
    en = plotted["lang"] == "en"

    def draw(fig):
        fig.set_size_inches(8, 3.2)
        ax = fig.add_subplot()
        names = plotted["months"]
        positions = range(len(names))
        charge = [float(Decimal(value)) for value in plotted["charge"]]
        payable = [float(Decimal(value)) for value in plotted["payable"]]
        ax.bar([p - 0.2 for p in positions], charge, width=0.4, color=PALETTE[0], label="Charge" if en else "服务费")
        ax.bar(
            [p + 0.2 for p in positions], payable, width=0.4, color=PALETTE[2], label="Payable" if en else "应付金额"
        )
        ax.set_xticks(list(positions), [label(n) for n in names])
        _money_axis(ax.yaxis)
        ax.set_title("Charge and amount payable by month" if en else "各月服务费与应付金额")
        if names:
            ax.legend(loc="lower right", fontsize=8)

    return _render(draw, plotted["fmt"], plotted["dpi"])


def kpi_chart(contract, summary: dict, terms, lang: str = "zh", fmt: str = "svg", dpi: int = 150):
    months = _settled(summary)
    kpis = []
    for kpi in terms.kpis:
        values = []
        for m in months:
            found = next((k for k in m["settlement"]["kpis"] if k["id"] == kpi.id), None)
            values.append(str(found["actual"]) if found and found["actual"] is not None else None)
        kpis.append({"title": f"{kpi.name} ({kpi.target_text()})", "target": str(kpi.target), "values": values})
    return _kept(_draw_kpis, lang, fmt, dpi, months, kpis=kpis)


def _draw_kpis(plotted: dict):
    en = plotted["lang"] == "en"
    kpis, names = plotted["kpis"], plotted["months"]

    def draw(fig):
        fig.set_size_inches(8, 1.6 + 1.6 * max(len(kpis), 1))
        if not kpis:
            ax = fig.add_subplot()
            ax.set_axis_off()
            ax.set_title("The tender lists no KPIs" if en else "招标文件未列出 KPI")
            return
        for index, kpi in enumerate(kpis, start=1):
            ax = fig.add_subplot(len(kpis), 1, index)
            values = [None if value is None else float(Decimal(value)) for value in kpi["values"]]
            shown = [(i, v) for i, v in enumerate(values) if v is not None]
            ax.plot([i for i, _v in shown], [v for _i, v in shown], marker="o", color=PALETTE[index % len(PALETTE)])
            ax.axhline(float(Decimal(kpi["target"])), color="#C00000", linestyle="--", linewidth=1)
            ax.set_title(label(kpi["title"]), fontsize=9)
            if names:
                ax.set_xlim(-0.5, len(names) - 0.5)
                ax.set_xticks(range(len(names)), [label(n) for n in names])

    return _render(draw, plotted["fmt"], plotted["dpi"])


CHARTS = {"payable": payable_chart, "kpis": kpi_chart}
