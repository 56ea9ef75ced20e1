"""Charts of the contract year and the weight stability: one source for the web page (SVG)
and the reports (PNG), with Chinese that renders (samples/year/, five valid bids)."""

from __future__ import annotations

import io
import re
import warnings

import pytest
from PIL import Image

from tender.charts import year as year_charts
from tests.unit.reports.test_year_reports import year_result

XIAOMAN = "杭州小满客服科技有限公司"


@pytest.fixture(scope="module")
def result():
    return year_result()[0]


@pytest.mark.parametrize("name", ["year_costs", "stability"])
def test_each_chart_renders_png_and_svg_with_chinese_labels_and_no_missing_glyph(result, name):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        png = year_charts.chart(name, result, "zh", "png", dpi=60)
        svg = year_charts.chart(name, result, "en", "svg")
    # a font without Chinese would warn "Glyph … missing from font(s)" for 春节, 双11, 价格 …
    assert not [str(w.message) for w in seen if "missing from" in str(w.message)]
    assert png.startswith(b"\x89PNG") and len(png) > 0
    assert Image.open(io.BytesIO(png)).size[0] > 300
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<text" not in svg  # text drawn as paths: the browser needs no CJK font


def test_the_year_chart_draws_a_line_with_markers_per_bid_over_the_twelve_months(result):
    svg = year_charts.year_cost_chart(result, "zh", "svg")
    # five bids: five lines (plus the five in the legend), each through twelve points
    lines = re.findall(r'<g id="line2d_\d+">\s*<path d="([^"]+)"', svg)
    assert sum(1 for d in lines if d.count("L") == 11) >= 5


def test_the_year_chart_draws_grouped_bars_for_three_bids_or_fewer(result):
    svg = year_charts.year_cost_chart(result, "zh", "svg", limit=2)
    # two bids × twelve months = 24 bars (patches), plus the two legend swatches
    assert len(re.findall(r'<g id="patch_\d+">', svg)) >= 24
    assert not [d for d in re.findall(r'<g id="line2d_\d+">\s*<path d="([^"]+)"', svg) if d.count("L") == 11]


def test_a_vendor_preview_draws_only_its_own_months(result):
    svg = year_charts.year_cost_chart(result, "zh", "svg", vendors=[XIAOMAN])
    assert len(re.findall(r'<g id="patch_\d+">', svg)) >= 12
    assert svg.count("<svg") == 1


def test_the_stability_chart_shades_the_legal_price_range_and_fades_open_ends(result):
    svg = year_charts.stability_chart(result, "zh", "svg").lower()
    assert year_charts.LEGAL.lower() in svg  # 10–30 behind the price criterion
    assert year_charts.OPEN.lower() in svg  # price has no rival above 30: drawn faded to 100
    assert year_charts.STABLE.lower() in svg  # 19.17 to 30: the margin to 宁波包月通
