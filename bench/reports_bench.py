"""How long the reports take: both of them for a tender of 500 bids and 9 evaluators.

    .venv/bin/python bench/reports_bench.py                 # 500 bids, best of 3
    .venv/bin/python bench/reports_bench.py --bids 1000 --repeat 1
    .venv/bin/python bench/reports_bench.py --profile       # cProfile of the Word report, top 25
    .venv/bin/python bench/reports_bench.py --year          # the tender priced month by month

The tender, bids and panel are those of ``bench/evaluate_bench.py`` (every pricing model,
price + 9 objective + 10 subjective criteria, 9 evaluators, banded scores, abnormally low
prices decided), evaluated once, untimed. The context adds what the web app would pass:
an opening record with receipt times, a 9-member panel and a 2,000-row audit trail.

With ``--year`` the tender gives its twelve months one by one (``bench/year_bench.py``):
the reports then gain the 月度成本 sheet and section (months × every valid bid, with a
chart). Both gain the weight stability when rank 1 is not shared.

Timed: the Excel workbook, the Word document (including its chart images), each in
Chinese and English, and the charts alone as SVG (what the results page renders).
Figures are printed, never asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from evaluate_bench import EVALUATORS, build  # noqa: E402

from scoring import evaluate, parse_bid, parse_panel, parse_tender  # noqa: E402
from tender.charts import render as charts  # noqa: E402
from tender.charts import year as year_charts
from tender.reports import AuditRow, OpeningRow, PanelMember, ReportContext, build_docx, build_xlsx  # noqa: E402


def prepare(count: int, year: bool = False):
    if year:
        import year_bench

        tender_raw, bids_raw, panel_raw = year_bench.build(year_bench.year_tender(), count)
    else:
        tender_raw, bids_raw, panel_raw = build(count)
    tender = parse_tender(tender_raw)
    bids = [parse_bid(raw, tender, source=f"bid{i}.json") for i, raw in enumerate(bids_raw)]
    result = evaluate(tender, bids, parse_panel(panel_raw, tender, bids))
    opened = dt.datetime(2026, 12, 18, 9, 30, tzinfo=dt.UTC)
    context = ReportContext.for_bids(
        bids,
        opening_record=tuple(OpeningRow(b.vendor, opened - dt.timedelta(minutes=i)) for i, b in enumerate(bids)),
        panel=tuple(PanelMember(name, "组长" if i == 0 else "成员", "专家库") for i, name in enumerate(EVALUATORS)),
        audit=tuple(
            AuditRow(
                i,
                opened + dt.timedelta(seconds=i),
                "buyer@example.com (buyer)",
                "score",
                f"bid {i % count}",
                '{"criterion": "s1"}',
                f"{i:064x}",
            )
            for i in range(1, 2001)
        ),
        audit_head=f"{2000:064x}",
        evaluation_date=dt.date(2026, 12, 19),
        final=True,
    )
    return result, context


def best_of(repeat: int, work) -> tuple[float, float, object]:
    """Best wall-clock and CPU seconds of ``repeat`` runs (CPU time is steadier on a busy machine)."""
    walls, cpus, value = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        value = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), value


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--year", action="store_true", help="the tender priced month by month")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    result, context = prepare(args.bids, args.year)
    valid = sum(1 for b in result.bids if b.valid)
    print(
        f"{args.bids} bids ({valid} valid), {len(result.evaluators)} evaluators, "
        f"{len(result.tender.criteria)} criteria, "
        f"status {result.status}; evaluated in {time.perf_counter() - start:.2f} s (untimed below)"
    )
    charts.cjk_font()  # the font lookup happens once per process
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(build_docx, result, context, "zh")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
        return
    rows = []
    for lang in ("zh", "en"):
        for name, build_report in (("Excel workbook", build_xlsx), ("Word document", build_docx)):

            def work(build_report=build_report, lang=lang):
                return build_report(result, context, lang)

            rows.append((f"{name} ({lang})", *best_of(args.repeat, work)))
    drawn = [(charts.chart, name) for name in ("costs", "scores", "sensitivity")]
    drawn += [
        (year_charts.chart, name)
        for name in ("year_costs", "stability")
        if name != "year_costs" or result.tender.scenario.monthly_profile
    ]
    for draw, name in drawn:
        wall, cpu, svg = best_of(args.repeat, lambda draw=draw, name=name: draw(name, result, "zh", "svg"))
        rows.append((f"chart {name} (svg)", wall, cpu, svg.encode()))
    print(f"{'best of ' + str(args.repeat):<24} {'wall':>8} {'cpu':>8} {'size':>9}")
    for name, wall, cpu, content in rows:
        print(f"{name:<24} {wall:>6.2f} s {cpu:>6.2f} s {len(content) / 1024:>5.0f} KiB")
    print(f"both reports (zh): {rows[0][1] + rows[1][1]:.2f} s wall, {rows[0][2] + rows[1][2]:.2f} s cpu")


if __name__ == "__main__":
    main()
