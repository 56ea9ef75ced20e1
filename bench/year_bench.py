"""How long the contract year takes: 1,000 bids × 12 months × 9 evaluators × 20 criteria,
with sensitivity and weight stability, against the same evaluation without a profile.

    .venv/bin/python bench/year_bench.py                 # 1,000 bids, best of 3 runs
    .venv/bin/python bench/year_bench.py --bids 100 1000 --repeat 5
    .venv/bin/python bench/year_bench.py --profile       # cProfile of the profiled run, top 25

The tender, bids and panel are those of ``evaluate_bench.py`` (every pricing model, the
common components, nine objective and ten subjective criteria). The profiled tender gives
the twelve months one by one instead of ``peak_days_per_year``: ordinary months around the
scenario's 800 inquiries a day, a quiet Spring Festival month (28 days), 618 and 双11 with
extra seats, peak days, their own CS sales and rate-card quantities; no two months alike
(equal months would be priced once). Both evaluations are timed in memory, in parts:

- parse: ``parse_tender``, ``parse_bid`` for every bid, ``parse_panel``;
- evaluate: costs (twelve months priced per bid with the profile), review, abnormally low
  prices, scores and ranking — without the three parts below;
- sensitivity: the cost curves and exact break-evens (every month scaled by one factor);
- stability: the weight stability of the rank-1 bid (§11);
- flat average: the same bids on the profile's average month, re-ranked (profile only);
- and, apart from the total, ``Result.to_json()``.

Figures are printed, never asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import gc
import io
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate_bench import EVALUATORS, bid_dict, decisions, panel_dict, tender_dict  # noqa: E402

import scoring.evaluation as evaluation_module  # noqa: E402
from scoring import evaluate, parse_bid, parse_panel, parse_tender  # noqa: E402

PARTS = ("sensitivity", "weight_stability", "_flat_average")


# An ordinary month's daily inquiries (every month differs, so none is priced as another's twin)
ORDINARY = {1: 820, 3: 760, 4: 780, 5: 1100, 7: 740, 8: 700, 9: 800, 10: 900}


def monthly_profile() -> list[dict]:
    months = []
    for number in range(1, 13):
        month = {"label": f"2027-{number:02d}", "daily_inquiries": ORDINARY.get(number)}
        if number == 2:
            month.update(label="2027-02 春节", daily_inquiries=450, days=28)
        elif number == 6:
            month.update(
                label="2027-06 618",
                daily_inquiries=2000,
                agents_per_shift=10,
                peak_days=3,
                work_quantities={"chat": 60000, "ticket": 6000},
            )
        elif number == 11:
            month.update(
                label="2027-11 双11",
                daily_inquiries=3200,
                agents_per_shift=14,
                peak_days=11,
                cs_sales=6000000,
                work_quantities={"chat": 96000, "ticket": 9600, "seat": 4},
            )
        elif number == 12:
            month.update(label="2027-12 双12", daily_inquiries=1200, agents_per_shift=8, peak_days=2)
        months.append(month)
    return months


def year_tender() -> dict:
    tender = copy.deepcopy(tender_dict())
    del tender["scenario"]["peak_days_per_year"]
    tender["scenario"]["monthly_profile"] = monthly_profile()
    return tender


def build(tender: dict, count: int, seed: int = 2026) -> tuple[dict, list[dict], dict]:
    rng = random.Random(seed)
    bids = [bid_dict(i, rng) for i in range(1, count + 1)]
    panel = panel_dict([b["facts"]["company_name"] for b in bids], rng)
    panel["abnormal_low"] = decisions(tender, bids, panel)
    return tender, bids, panel


class PartTimer:
    """Wraps a function ``evaluate`` calls, to time it inside the evaluation."""

    def __init__(self, name: str) -> None:
        self.name, self.seconds = name, 0.0
        self.inner = getattr(evaluation_module, name)

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.inner(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def run_once(tender_raw: dict, bids_raw: list[dict], panel_raw: dict) -> dict:
    gc.collect()
    timers = [PartTimer(name) for name in PARTS]
    for timer in timers:
        setattr(evaluation_module, timer.name, timer)
    try:
        t0 = time.perf_counter()
        tender = parse_tender(tender_raw)
        bids = [parse_bid(raw, tender, source=f"bid{i}.json") for i, raw in enumerate(bids_raw)]
        panel = parse_panel(panel_raw, tender, bids)
        t1 = time.perf_counter()
        result = evaluate(tender, bids, panel)
        t2 = time.perf_counter()
        data = result.to_json()
        t3 = time.perf_counter()
    finally:
        for timer in timers:
            setattr(evaluation_module, timer.name, timer.inner)
    parts = {timer.name.strip("_"): timer.seconds for timer in timers}
    return {
        "parse": t1 - t0,
        "evaluate": (t2 - t1) - sum(parts.values()),
        **parts,
        "total": t2 - t0,
        "to_json": t3 - t2,
        "status": result.status,
        "valid": data["valid_bids"],
        "break_even": len(data["sensitivity"]["break_even"]),
        "stability": sum(1 for b in data["weight_stability"] if b["low"] or b["high"]),
        "winner": data["winners"][0] if data["winners"] else None,
        "flat_winner": (data.get("flat_average") or {}).get("winner"),
    }


def measure(tender: dict, count: int, repeat: int) -> dict:
    tender, bids, panel = build(tender, count)
    return min((run_once(tender, bids, panel) for _ in range(repeat)), key=lambda r: r["total"])


def report(title: str, count: int, figures: dict) -> None:
    total = figures["total"]
    print(f"\n{title}: {count:,} bids × {len(EVALUATORS)} evaluators × {len(tender_dict()['criteria'])} criteria")
    print(
        f"  status {figures['status']}, {figures['valid']} valid bids, {figures['break_even']} break-even points, "
        f"{figures['stability']} criteria with a stability bound; winner {figures['winner']}"
        + (f", on the flat average month {figures['flat_winner']}" if figures["flat_winner"] else "")
    )
    print(f"  wall time          {total * 1000:9.1f} ms   ({total / count * 1e6:,.0f} µs per bid)")
    for part in ("parse", "evaluate", "sensitivity", "weight_stability", "flat_average"):
        if part == "flat_average" and not figures["flat_winner"] and figures[part] == 0:
            continue
        print(
            f"  - {part:<16} {figures[part] * 1000:9.1f} ms   {figures[part] / total:6.1%}   "
            f"({figures[part] / count * 1e6:,.0f} µs per bid)"
        )
    print(
        f"  to_json (apart)    {figures['to_json'] * 1000:9.1f} ms   ({figures['to_json'] / count * 1e6:,.0f} µs per bid)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, nargs="+", default=[1000], help="bid counts to measure")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest is reported")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the profiled run")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}; best of {args.repeat} run(s) per size")
    for count in args.bids:
        flat = measure(tender_dict(), count, args.repeat)
        year = measure(year_tender(), count, args.repeat)
        report("without a profile", count, flat)
        report("with a 12-month profile", count, year)
        print(
            f"\n  ratio with / without a profile: total ×{year['total'] / flat['total']:.2f}, "
            f"evaluate ×{year['evaluate'] / flat['evaluate']:.2f}, "
            f"sensitivity ×{year['sensitivity'] / flat['sensitivity']:.2f}"
        )
    if args.profile:
        tender, bids, panel = build(year_tender(), args.bids[-1])
        profiler = cProfile.Profile()
        profiler.enable()
        run_once(tender, bids, panel)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
