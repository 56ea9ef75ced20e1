"""Charts of an evaluation result, one source for the web page (SVG) and the .docx (PNG).

- :func:`monthly_cost_chart`: normalized monthly cost per bid (horizontal bars; winning
  candidates green, invalid bids grey);
- :func:`score_chart`: the total of each ranked bid, stacked by criterion;
- :func:`sensitivity_chart`: monthly cost against daily inquiries for the valid bids, the
  break-even points marked and the scenario's volume drawn as a vertical line.

Each takes a :class:`~scoring.evaluation.Result` (or a report view of it), a language and
``fmt="png"`` (bytes) or ``"svg"`` (text). The figures plot the result's own numbers:
nothing is recomputed. Matplotlib runs headless (Agg, no pyplot state), and Chinese
labels use a CJK font found on the system (:func:`cjk_font`; ``make setup`` installs
Debian's fonts-noto-cjk when none is there). SVG text is drawn as paths, so a browser
needs no CJK font either.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from scoring.money import fmt2  # noqa: E402

# In order of preference: simplified-Chinese faces first.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Serif CJK SC",
)
_CJK_FILE = re.compile(r"cjk|wqy|wenquanyi|sourcehan|droidsansfallback|notosanssc|simhei|msyh", re.I)
PROBE = "价格评标"  # characters every report uses: a font without them would draw boxes

PALETTE = (
    "#4472C4",
    "#ED7D31",
    "#70AD47",
    "#FFC000",
    "#5B9BD5",
    "#A5A5A5",
    "#264478",
    "#9E480E",
    "#636363",
    "#997300",
    "#43682B",
    "#7CAFDD",
)
WINNER, VALID, INVALID = "#2E8B57", "#4472C4", "#BFBFBF"
DEFAULT_LIMIT = 20


class NoCJKFont(RuntimeError):
    """No font on this machine can draw Chinese: run `make setup` (installs fonts-noto-cjk)."""


@dataclass(frozen=True)
class CJKFont:
    family: str
    path: str


def has_glyphs(path: str, chars: str = PROBE) -> bool:
    """Whether the font file maps every one of ``chars`` to a real glyph."""
    from matplotlib.ft2font import FT2Font

    try:
        face = FT2Font(path)
    except (OSError, RuntimeError):
        return False
    return all(face.get_char_index(ord(ch)) for ch in chars)


@lru_cache(maxsize=1)
def cjk_font() -> CJKFont:
    """The CJK font the charts use; fonts installed after matplotlib's cache are added."""
    found = _known_cjk_font()
    if found is None:
        for path in font_manager.findSystemFonts():
            if _CJK_FILE.search(path):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = _known_cjk_font()
    if found is None:
        raise NoCJKFont(
            "没有可显示中文的字体，请运行 make setup（安装 fonts-noto-cjk） / "
            "no font can draw Chinese: run `make setup` (installs fonts-noto-cjk)"
        )
    return found


def _known_cjk_font() -> CJKFont | None:
    entries = {}  # family -> file, the regular face preferred
    for entry in sorted(
        font_manager.fontManager.ttflist, key=lambda e: (e.style != "normal", abs(_weight(e.weight) - 400), e.fname)
    ):
        entries.setdefault(entry.name, entry.fname)
    for family in CJK_FAMILIES:
        path = entries.get(family)
        if path and has_glyphs(path):
            return CJKFont(family, path)
    for family, path in sorted(entries.items()):
        if _CJK_FILE.search(path) and has_glyphs(path):
            return CJKFont(family, path)
    return None


def _weight(weight) -> int:
    return weight if isinstance(weight, int) else font_manager.weight_dict.get(weight, 400)


def _rc() -> dict:
    font = cjk_font()
    return {
        "font.family": ["sans-serif"],
        "font.sans-serif": [font.family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        # so that set_layout_engine(None) leaves a figure without any engine (see _render)
        "figure.autolayout": False,
        "figure.constrained_layout.use": False,
    }


def label(text: str) -> str:
    """User text shown literally: no mathtext from '$', no legend-hiding leading '_'."""
    text = str(text).replace("$", r"\$")
    return " " + text if text.startswith("_") else text


def _view(result, lang: str):
    from tender.reports.view import ReportView

    return result if isinstance(result, ReportView) else ReportView(result, None, lang)


# matplotlib's rc settings are process-global: two threads drawing at once (a web page and a
# report, or two requests) would swap fonts under each other and draw boxes for Chinese.
_RENDER_LOCK = threading.Lock()


def _render(draw, fmt: str, dpi: int):
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', not {fmt!r}")
    with _RENDER_LOCK, matplotlib.rc_context(_rc()):
        fig = Figure(layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        # lay out once here, then no layout engine at all: savefig lays out and draws a figure
        # with any engine (even the placeholder "none" leaves) once more before drawing it
        fig.get_layout_engine().execute(fig)
        fig.set_layout_engine(None)
        if fmt == "png":
            out = io.BytesIO()
            fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
            return out.getvalue()
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()


def _money_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))


# --------------------------------------------------------------------------- the charts


def monthly_cost_chart(result, lang: str = "zh", fmt: str = "png", *, limit: int = DEFAULT_LIMIT, dpi: int = 150):
    view = _view(result, lang)
    bids = (view.ranked + view.invalid)[:limit]

    def draw(fig):
        fig.set_size_inches(8, 1.2 + 0.32 * max(len(bids), 1))
        ax = fig.add_subplot()
        names = [label(b.vendor) for b in bids][::-1]
        costs = [float(b.monthly_cost) for b in bids][::-1]
        colours = [(WINNER if b.vendor in view.winners else VALID if b.valid else INVALID) for b in bids][::-1]
        bars = ax.barh(names, costs, color=colours)
        ax.bar_label(bars, labels=[f"{c:,.2f}" for c in costs], padding=3, fontsize=8)
        _money_axis(ax.xaxis)
        ax.set_xlabel(view.t("monthly_cost"))
        title = view.t("chart_costs") + (view.t("chart_top", n=limit) if len(view.bids) > limit else "")
        ax.set_title(title)
        ax.margins(x=0.15)

    return _render(draw, fmt, dpi)


def score_chart(result, lang: str = "zh", fmt: str = "png", *, limit: int = DEFAULT_LIMIT, dpi: int = 150):
    view = _view(result, lang)
    bids = view.ranked[:limit]

    def draw(fig):
        fig.set_size_inches(8, 1.6 + 0.32 * max(len(bids), 1))
        ax = fig.add_subplot()
        names = [label(f"{b.rank}. {b.vendor}") for b in bids][::-1]
        left = [0.0] * len(bids)
        for index, criterion in enumerate(view.criteria):
            values = [float(b.scores.get(criterion.id) or 0) for b in bids][::-1]
            ax.barh(names, values, left=left, color=PALETTE[index % len(PALETTE)], label=label(criterion.name))
            left = [a + b for a, b in zip(left, values)]
        for y, bid in enumerate(bids[::-1]):
            ax.text(left[y] + 0.8, y, fmt2(bid.total), va="center", fontsize=8)
        ax.set_xlim(0, 110)
        ax.set_xlabel(view.t("score"))
        title = view.t("chart_scores") + (view.t("chart_top", n=limit) if len(view.ranked) > limit else "")
        ax.set_title(title)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12 if len(bids) > 4 else -0.25),
            ncol=min(len(view.criteria), 4),
            frameon=False,
            fontsize=8,
        )

    return _render(draw, fmt, dpi)


def sensitivity_chart(result, lang: str = "zh", fmt: str = "png", *, limit: int = 10, vendors=None, dpi: int = 150):
    """``vendors``: draw only these (a vendor's own preview); default the top ``limit`` and break-evens."""
    view = _view(result, lang)
    grid = [float(v) for v in view.sensitivity_grid()]
    costs = view.sensitivity_costs()
    curves = view.sensitivity_curves()
    chosen = [v for v in (vendors if vendors is not None else view.chart_vendors(limit)) if v in costs]
    points = [p for p in view.break_even() if p["below"] in chosen and p["above"] in chosen]
    scenario = view.scenario_daily_inquiries

    def draw(fig):
        fig.set_size_inches(8, 4.6)
        ax = fig.add_subplot()
        for index, vendor in enumerate(chosen):
            # through the curve's own vertices (exact bends and jumps); the grid where a
            # result carries none
            xs, ys = zip(*curves[vendor]) if curves.get(vendor) else (grid, costs[vendor])
            ax.plot(
                [float(x) for x in xs],
                [float(y) for y in ys],
                color=PALETTE[index % len(PALETTE)],
                linewidth=1.6,
                label=label(vendor),
            )
        for point in points:
            x, y = float(point["daily_inquiries"]), float(point["monthly_cost"])
            ax.plot([x], [y], marker="o", markersize=7, color="black", zorder=5)
            ax.annotate(f"{x:,.2f}", (x, y), textcoords="offset points", xytext=(4, -12), fontsize=8)
        if scenario is not None and grid:
            ax.axvline(float(scenario), color="#C00000", linestyle="--", linewidth=1)
            ax.annotate(
                f"{view.t('scenario_volume')} {float(scenario):,.0f}",
                (float(scenario), 1),
                xycoords=("data", "axes fraction"),
                xytext=(4, -12),
                textcoords="offset points",
                color="#C00000",
                fontsize=8,
            )
        _money_axis(ax.yaxis)
        ax.set_xlabel(view.t("daily_inquiries"))
        ax.set_ylabel(view.t("monthly_cost"))
        ax.set_title(view.t("chart_sensitivity"))
        ax.grid(True, color="#E0E0E0", linewidth=0.6)
        if chosen:
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False, fontsize=8)

    return _render(draw, fmt, dpi)


CHARTS = {"costs": monthly_cost_chart, "scores": score_chart, "sensitivity": sensitivity_chart}


def chart(name: str, result, lang: str = "zh", fmt: str = "svg", **options):
    """One chart by name (``costs``, ``scores``, ``sensitivity``) — what a web view needs."""
    return CHARTS[name](result, lang, fmt, **options)
