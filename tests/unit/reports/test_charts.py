"""Charts: one source for the web page (SVG) and the report (PNG), with Chinese that renders."""

from __future__ import annotations

import io
import os
import re

import matplotlib
from matplotlib import font_manager
from PIL import Image

from tender.charts import render as charts
from tests.unit.reports.sample import INJECTION, make_result


def test_a_cjk_font_is_found_that_has_glyphs_for_the_report_words():
    font = charts.cjk_font()
    assert charts.has_glyphs(font.path, "价格评标中标候选人")
    assert not charts.has_glyphs(font_manager.findfont("DejaVu Sans"), "价格")  # the default would draw boxes


def test_charts_resolve_their_text_to_the_cjk_font():
    with matplotlib.rc_context(charts._rc()):
        chosen = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert os.fspath(chosen) == charts.cjk_font().path


def test_each_chart_renders_png_and_svg_without_missing_glyphs(result):
    # pyproject turns warnings into errors: a missing glyph ("Glyph … missing from font") fails here
    for name in ("costs", "scores", "sensitivity"):
        png = charts.chart(name, result, "zh", "png", dpi=60)
        assert png.startswith(b"\x89PNG")
        assert Image.open(io.BytesIO(png)).size[0] > 300
        svg = charts.chart(name, result, "en", "svg")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "<text" not in svg  # text drawn as paths: the browser needs no CJK font


def test_the_sensitivity_chart_marks_break_evens_and_the_scenario_volume(result):
    svg = charts.sensitivity_chart(result, "zh", "svg")
    # one line per valid bid, the scenario's 800 a day as a dashed red line, a dot per break-even
    assert len(re.findall(r'id="line2d_', svg)) >= 3 + 1 + len(result.sensitivity["break_even"])
    assert "#c00000" in svg.lower()


def test_a_vendor_preview_draws_only_its_own_curve(result):
    svg = charts.sensitivity_chart(result, "zh", "svg", vendors=[INJECTION])
    assert svg.count("<svg") == 1


def test_vendor_names_are_drawn_literally():
    assert charts.label("$x$ 公司") == r"\$x\$ 公司"
    assert charts.label("_hidden") == " _hidden"
    result, _bids = make_result()
    result.bids[0].vendor = "$a$_b"  # mathtext would fail on an odd name; it must render as text
    charts.score_chart(result, "zh", "png", dpi=40)


def test_charts_drawn_in_parallel_threads_all_render_chinese(result):
    # rc settings are process-global; without the render lock a thread could draw while another
    # restores the default font, and Chinese labels come out as boxes (a "missing glyph" warning)
    import threading
    import warnings

    caught, outputs = [], []

    def draw():
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            outputs.append(charts.chart("scores", result, "zh", "png", dpi=40))
        caught.extend(str(w.message) for w in seen)

    threads = [threading.Thread(target=draw) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outputs) == 6 and all(png.startswith(b"\x89PNG") for png in outputs)
    assert not [message for message in caught if "missing from" in message]


def test_a_chart_is_laid_out_once_and_drawn_once(result, monkeypatch):
    # each chart of a report costs ~0.3–1 s, most of it in laying out text: saving a figure
    # that still has a layout engine would lay it out and draw it a second time
    from matplotlib.figure import Figure

    draws = []
    drawn = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda fig, renderer: draws.append(fig) or drawn(fig, renderer))
    for name in ("costs", "scores", "sensitivity"):
        draws.clear()
        assert charts.chart(name, result, "zh", "png", dpi=60).startswith(b"\x89PNG")
        assert len(draws) == 1, name
