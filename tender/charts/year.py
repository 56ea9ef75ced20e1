"""Charts of the contract year (domain §10) and of the weight stability (§11), one source for
the web page (SVG) and the reports (PNG), drawn as :mod:`tender.charts.render` draws its own (its
CJK font, its render lock, its palette):

- :func:`year_cost_chart`: each valid bid's cost month by month — one line per bid over the
  months, with markers, or grouped bars when there are three bids or fewer — the months
  labelled, the legend by vendor;
- :func:`stability_chart`: one horizontal interval per criterion from its low to its high
  bound, an open end (no rival draws level on that side) faded and drawn to 0 or 100 with an
  arrow, the current weight marked, and for the price criterion the legal range for
  services (10–30 points) shaded.

Each takes a :class:`~scoring.evaluation.Result` (or a report view of it), a language and
``fmt="png"`` (bytes) or ``"svg"`` (text), and plots the result's own numbers.
"""

from __future__ import annotations

from tender.charts import render as base
from tender.reports.year_view import YearView

BARS_UP_TO = 3  # grouped bars for this many bids or fewer, lines beyond
YEAR_LIMIT = 10
STABLE, OPEN, LEGAL, ARROW = "#4472C4", "#B4C7E7", "#FFE699", "#8EA9DB"


def year_cost_chart(
    result, lang: str = "zh", fmt: str = "png", *, limit: int = YEAR_LIMIT, vendors=None, dpi: int = 150
):
    """``vendors``: draw only these (a vendor's own preview); default the top ``limit`` bids."""
    view = base._view(result, lang)
    year = YearView(view)
    every = year.bids()
    bids = [b for b in year.bids(valid_only=False) if b.vendor in vendors] if vendors is not None else every[:limit]
    labels = [base.label(m.label) for m in year.months()]

    def draw(fig):
        fig.set_size_inches(8, 4.8)
        ax = fig.add_subplot()
        positions = list(range(len(labels)))
        if len(bids) <= BARS_UP_TO:
            width = 0.8 / max(len(bids), 1)
            for index, bid in enumerate(bids):
                offset = (index - (len(bids) - 1) / 2) * width
                ax.bar(
                    [p + offset for p in positions],
                    [float(c) for c in bid.costs],
                    width=width,
                    color=base.PALETTE[index % len(base.PALETTE)],
                    label=base.label(bid.vendor),
                )
        else:
            for index, bid in enumerate(bids):
                ax.plot(
                    positions,
                    [float(c) for c in bid.costs],
                    marker="o",
                    markersize=4,
                    linewidth=1.5,
                    color=base.PALETTE[index % len(base.PALETTE)],
                    label=base.label(bid.vendor),
                )
        ax.set_xticks(positions, labels, rotation=40, ha="right", fontsize=8)
        base._money_axis(ax.yaxis)
        ax.set_ylabel(view.t("monthly_cost"))
        title = view.t("chart_year")
        if vendors is None and len(every) > limit:
            title += view.t("chart_top", n=limit)
        ax.set_title(title)
        ax.grid(True, axis="y", color="#E0E0E0", linewidth=0.6)
        ax.set_axisbelow(True)
        if bids:
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, frameon=False, fontsize=8)

    return base._render(draw, fmt, dpi)


def stability_chart(result, lang: str = "zh", fmt: str = "png", *, dpi: int = 150):
    view = base._view(result, lang)
    year = YearView(view)
    bounds = year.bounds()

    def draw(fig):
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch, Rectangle

        fig.set_size_inches(8, 1.8 + 0.5 * max(len(bounds), 1))
        ax = fig.add_subplot()
        names = []
        legal_drawn = False
        for y, bound in enumerate(reversed(bounds)):
            weight = float(bound.weight)
            low = float(bound.low) if bound.low is not None else None
            high = float(bound.high) if bound.high is not None else None
            names.append(
                base.label(
                    f"{bound.criterion.name} ({bound.criterion.weight:f})"
                    if view.en
                    else f"{bound.criterion.name}（{bound.criterion.weight:f}）"
                )
            )
            if bound.legal_range is not None:
                first, last = (float(v) for v in bound.legal_range)
                ax.add_patch(Rectangle((first, y - 0.42), last - first, 0.84, color=LEGAL, zorder=0))
                legal_drawn = True
            # the bounded side solid (the margin to the nearest rival), an open side faded
            left = (low, STABLE) if low is not None else (0.0, OPEN)
            right = (high, STABLE) if high is not None else (100.0, OPEN)
            ax.barh(y, weight - left[0], left=left[0], height=0.5, color=left[1], zorder=2)
            ax.barh(y, right[0] - weight, left=weight, height=0.5, color=right[1], zorder=2)
            for end, value, align, arrow in ((low, 0.0, "right", "<"), (high, 100.0, "left", ">")):
                if end is None:
                    ax.plot([value], [y], marker=arrow, markersize=8, color=ARROW, zorder=3)
                else:
                    ax.annotate(
                        f"{end:.2f}",
                        (end, y),
                        xytext=(-3 if align == "right" else 3, 6),
                        textcoords="offset points",
                        ha=align,
                        fontsize=7,
                    )
            ax.plot([weight], [y], marker="o", markersize=7, color="black", zorder=4)
        ax.set_yticks(list(range(len(names))), names, fontsize=8)
        ax.set_xlim(-3, 103)
        ax.set_ylim(-0.7, len(names) - 0.3)
        ax.set_xlabel(view.t("weight_points"))
        ax.set_title(view.t("chart_stability"))
        ax.grid(True, axis="x", color="#E0E0E0", linewidth=0.6)
        ax.set_axisbelow(True)
        if bounds:
            handles = [
                Patch(color=STABLE, label=view.t("stable_range")),
                Patch(color=OPEN, label=view.t("open_side")),
                Line2D([], [], marker="o", color="black", linestyle="", label=view.t("current_weight")),
            ]
            if legal_drawn:
                handles.append(Patch(color=LEGAL, label=view.t("legal_price_range")))
            ax.legend(
                handles=handles,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.2 if len(bounds) > 3 else -0.35),
                ncol=2,
                frameon=False,
                fontsize=8,
            )

    return base._render(draw, fmt, dpi)


CHARTS = {"year_costs": year_cost_chart, "stability": stability_chart}


def chart(name: str, result, lang: str = "zh", fmt: str = "svg", **options):
    """One chart by name (``year_costs``, ``stability``) — what a web view needs."""
    return CHARTS[name](result, lang, fmt, **options)
