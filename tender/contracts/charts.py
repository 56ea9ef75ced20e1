"""The contract page's charts, drawn with :mod:`tender.charts.render`'s machinery (the same
fonts, lock and SVG-as-paths): payable against charge month by month, and each KPI's value
against its target month by month. Only settled months are plotted; nothing is recomputed."""

from __future__ import annotations

from decimal import Decimal

from tender.charts.render import PALETTE, _money_axis, _render, label


def _settled(summary: dict) -> list[dict]:
    return [m for m in summary["months"] if m["row"] is not None]


def payable_chart(contract, summary: dict, terms, lang: str = "zh", fmt: str = "svg", dpi: int = 150):
    en = lang == "en"
    months = _settled(summary)

    def draw(fig):
        fig.set_size_inches(8, 3.2)
        ax = fig.add_subplot()
        names = [m["month"] for m in months]
        positions = range(len(names))
        charge = [float(Decimal(m["settlement"]["charge"])) for m in months]
        payable = [float(Decimal(m["settlement"]["payable"])) for m in months]
        ax.bar([p - 0.2 for p in positions], charge, width=0.4, color=PALETTE[0], label="Charge" if en else "服务费")
        ax.bar(
            [p + 0.2 for p in positions], payable, width=0.4, color=PALETTE[2], label="Payable" if en else "应付金额"
        )
        ax.set_xticks(list(positions), [label(n) for n in names])
        _money_axis(ax.yaxis)
        ax.set_title("Charge and amount payable by month" if en else "各月服务费与应付金额")
        if names:
            ax.legend(loc="lower right", fontsize=8)

    return _render(draw, fmt, dpi)


def kpi_chart(contract, summary: dict, terms, lang: str = "zh", fmt: str = "svg", dpi: int = 150):
    en = lang == "en"
    months = _settled(summary)
    kpis = terms.kpis

    def draw(fig):
        fig.set_size_inches(8, 1.6 + 1.6 * max(len(kpis), 1))
        if not kpis:
            ax = fig.add_subplot()
            ax.set_axis_off()
            ax.set_title("The tender lists no KPIs" if en else "招标文件未列出 KPI")
            return
        names = [m["month"] for m in months]
        for index, kpi in enumerate(kpis, start=1):
            ax = fig.add_subplot(len(kpis), 1, index)
            values = []
            for m in months:
                found = next((k for k in m["settlement"]["kpis"] if k["id"] == kpi.id), None)
                values.append(float(Decimal(found["actual"])) if found and found["actual"] is not None else None)
            shown = [(i, v) for i, v in enumerate(values) if v is not None]
            ax.plot([i for i, _v in shown], [v for _i, v in shown], marker="o", color=PALETTE[index % len(PALETTE)])
            ax.axhline(float(kpi.target), color="#C00000", linestyle="--", linewidth=1)
            ax.set_title(label(f"{kpi.name} ({kpi.target_text()})"), fontsize=9)
            if names:
                ax.set_xlim(-0.5, len(names) - 0.5)
                ax.set_xticks(range(len(names)), [label(n) for n in names])

    return _render(draw, fmt, dpi)


CHARTS = {"payable": payable_chart, "kpis": kpi_chart}
