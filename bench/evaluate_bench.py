"""How long a large evaluation takes: 1,000 bids × 9 evaluators × 20 criteria, with sensitivity.

    .venv/bin/python bench/evaluate_bench.py            # 100 and 1,000 bids, best of 3 runs each
    .venv/bin/python bench/evaluate_bench.py --bids 5000 --repeat 1
    .venv/bin/python bench/evaluate_bench.py --profile  # cProfile of the largest size, top 25
    .venv/bin/python bench/evaluate_bench.py --command  # `tender evaluate` as a whole process, on files
    .venv/bin/python bench/evaluate_bench.py --command --instructions  # and its instruction counts (valgrind)

``--command`` measures what a buyer waits for: the files are written to a temporary folder
(1,000 bid files, the panel's 153,000 scores: 17 of the 20 criteria are subjective here,
``--subjective``), the bytecode is compiled as an installed package has it, and then

- the imports of ``tender evaluate`` (``python -X importtime``): the total of the top-level
  imports, split into the interpreter's own start (``site``, encodings) and the command's,
  and whether any web library (Flask, SQLAlchemy) was imported;
- the whole process, ``tender evaluate TENDER BIDS… --panel PANEL --json RESULT``, against
  the command's own start (``tender --help``: interpreter, imports, argument parser); the
  difference is the work on the files;
- that work split, in-process through the same ``tender.cli.main`` with a timer around each
  step: read (tender.json and the bid files, parsed), panel (panel.json read and checked),
  evaluate (without sensitivity), sensitivity, write (``to_json`` and result.json) and the
  printed table.
- with ``--instructions``, the instructions the start and the whole process execute
  (``valgrind --tool=cachegrind``): they do not move with the machine's load, so a change is
  compared on a shared machine by them, and the seconds are read on an idle one.

Everything is built in memory as the plain dicts the JSON files would hold (no disk), then
timed in three parts:

- parse: ``parse_tender``, ``parse_bid`` for every bid, ``parse_panel`` (range and band checks);
- evaluate: ``scoring.evaluate`` without the sensitivity (costs, review, abnormally low prices,
  scores, ranking);
- sensitivity: the cost curves and exact break-even points (§6.11), measured inside
  ``evaluate`` by wrapping the function it calls;
- and, apart from the total, ``Result.to_json()`` (every breakdown formula written out).

The bids use every pricing model of ``scoring.pricing.MODELS`` in turn (rate card and
reference discount included), with the common components spread over them. The criteria:
price 30, nine objective (linear, steps, multi-condition steps, boolean), ten subjective
(mean and trimmed mean, two of them banded). Figures are printed, never asserted: this is
a measurement, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import scoring.evaluation as evaluation_module  # noqa: E402
from scoring import evaluate, parse_bid, parse_panel, parse_tender  # noqa: E402
from scoring.pricing import MODELS  # noqa: E402

EVALUATORS = [f"专家{i}" for i in range(1, 10)]
SUBJECTIVE = [f"s{i}" for i in range(1, 11)]


def subjective_ids(count: int) -> list[str]:
    return [f"s{i}" for i in range(1, count + 1)]


BANDED = {"s1", "s2"}
BANDS = [
    {"label": "一档", "min": 0, "max": 1.5},
    {"label": "二档", "min": 1.6, "max": 3},
    {"label": "三档", "min": 3.1, "max": 4},
]


def tender_dict(subjective: int = 10) -> dict:
    """The bench tender: price 30 and 19 other criteria, ``subjective`` of them subjective
    (the others objective, from the list below); weights sum to 100."""
    objective = [
        {
            "id": "o1",
            "name": "同类项目经验",
            "kind": "objective",
            "weight": 4,
            "rule": "linear",
            "fact": "similar_projects",
            "points_per_unit": 1,
        },
        {
            "id": "o2",
            "name": "首次响应时间",
            "kind": "objective",
            "weight": 4,
            "rule": "steps",
            "fact": "first_response_seconds",
            "steps": [{"at_most": 60, "points": 2}, {"at_most": 30, "points": 4}],
        },
        {"id": "o3", "name": "ISO9001", "kind": "objective", "weight": 4, "rule": "boolean", "fact": "iso9001"},
        {
            "id": "o4",
            "name": "KPI 承诺",
            "kind": "objective",
            "weight": 3,
            "rule": "steps",
            "steps": [
                {
                    "all": [{"fact": "answer_rate", "at_least": 0.9}, {"fact": "avg_handle_seconds", "at_most": 180}],
                    "points": 1,
                },
                {
                    "all": [{"fact": "answer_rate", "at_least": 0.92}, {"fact": "avg_handle_seconds", "at_most": 150}],
                    "points": 2,
                },
                {
                    "all": [{"fact": "answer_rate", "at_least": 0.95}, {"fact": "avg_handle_seconds", "at_most": 120}],
                    "points": 3,
                },
            ],
        },
        {
            "id": "o5",
            "name": "员工规模",
            "kind": "objective",
            "weight": 3,
            "rule": "steps",
            "fact": "staff_count",
            "steps": [{"at_least": 100, "points": 1}, {"at_least": 300, "points": 2}, {"at_least": 600, "points": 3}],
        },
        {"id": "o6", "name": "ISO27001", "kind": "objective", "weight": 3, "rule": "boolean", "fact": "iso27001"},
        {
            "id": "o7",
            "name": "可派坐席",
            "kind": "objective",
            "weight": 3,
            "rule": "linear",
            "fact": "agents_available",
            "points_per_unit": 0.1,
            "cap": 3,
        },
        {
            "id": "o8",
            "name": "经营年限",
            "kind": "objective",
            "weight": 3,
            "rule": "linear",
            "fact": "years_in_business",
            "points_per_unit": 0.5,
        },
        {
            "id": "o9",
            "name": "满意度承诺",
            "kind": "objective",
            "weight": 3,
            "rule": "steps",
            "fact": "satisfaction_commitment",
            "steps": [{"at_least": 0.95, "points": 1}, {"at_least": 0.97, "points": 3}],
        },
    ]
    if subjective != 10:  # subjective ones weigh 4 (scores 0–4); the rest goes to yes/no criteria
        left, count = 70 - 4 * subjective, 19 - subjective
        assert 0 < count <= left, "between 10 and 17 subjective criteria"
        objective = [
            {
                "id": f"b{i}",
                "name": f"资质{i}",
                "kind": "objective",
                "rule": "boolean",
                "fact": "iso9001" if i % 2 else "iso27001",
                "weight": left // count + (i <= left % count),
            }
            for i in range(1, count + 1)
        ]
    subjective = [
        {
            "id": cid,
            "name": f"主观分{cid[1:]}",
            "kind": "subjective",
            "weight": 4,
            "aggregate": "trimmed_mean" if int(cid[1:]) % 2 else "mean",
            **({"bands": BANDS} if cid in BANDED else {}),
        }
        for cid in subjective_ids(subjective)
    ]
    return {
        "title": "基准测试项目",
        "buyer": "基准测试采购人",
        "service_scope": {"platforms": ["taobao", "tmall", "jd"], "channels": ["online_chat", "phone"]},
        "quality_requirements": {"first_response_seconds_max": 300, "complaint_reply_hours_max": 1},
        "scenario": {
            "days_per_month": 30,
            "daily_inquiries": 800,
            "returning_share": 0.35,
            "agents_per_shift": 6,
            "shifts_per_day": 2,
            "hours_per_shift": 8,
            "cs_sales_per_month": 1500000,
            "peak_days_per_year": 10,
            "peak_extra_agents": 4,
            "contract_months": 12,
            "work_items": [
                {"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 24000},
                {"id": "ticket", "name": "售后工单", "unit": "单", "monthly_quantity": 2400},
                {"id": "seat", "name": "专席坐席", "unit": "席·月", "monthly_quantity": 2},
            ],
        },
        "reference_pricing": {"model": "line_items", "prices": {"chat": 1.8, "ticket": 9.5, "seat": 6800}},
        "unit_price_ceilings": {"chat": 2.0, "ticket": 10, "seat": 7000},
        "qualification_rules": [
            {"fact": "registered_capital", "op": ">=", "value": 1000000, "label": "注册资金不低于人民币100万元"},
            {"fact": "independent_legal_person", "op": "==", "value": True},
            {"fact": "platforms", "op": "covers", "value": ["taobao", "tmall", "jd"]},
            {"document": "business_license", "op": "present"},
        ],
        "criteria": [{"id": "price", "name": "价格", "kind": "price", "weight": 30}, *objective, *subjective],
        "price_method": {"method": "lowest_price"},
        "sme_price_deduction": 0.1,
        "bid_deadline": "2026-12-18T17:00:00+08:00",
        "opening_time": "2026-12-18T17:30:00+08:00",
    }


def pricing_dict(model: str, rng: random.Random) -> dict:
    def r(low, high, step="0.01"):
        return str(round(rng.uniform(low, high) / float(step)) * __import__("decimal").Decimal(step))

    p: dict = {"model": model}
    if model == "per_inquiry":
        p.update(new_rate=r(1.8, 2.8), returning_rate=r(1.0, 1.8), minimum_per_agent_shift=r(2000, 3500, "100"))
    elif model == "fixed_per_agent":
        p.update(monthly_per_agent=r(4500, 5600, "10"), kpi_holdback=r(0.1, 0.2))
    elif model == "base_plus_commission":
        p.update(base_per_agent=r(1200, 2000, "10"), commission_rate=r(0.015, 0.025, "0.001"))
    elif model == "daily_fee_plus_commission":
        p.update(daily_fee_per_agent=r(30, 60, "1"), commission_rate=r(0.02, 0.03, "0.001"))
    elif model == "commission_only":
        p.update(commission_rate=r(0.032, 0.042, "0.001"))
    elif model == "tiered":
        mode = rng.choice(["bracket", "graduated"])
        if mode == "bracket":
            p.update(
                basis="daily",
                mode=mode,
                tiers=[
                    {"up_to": 300, "fee": r(600, 800, "10")},
                    {"up_to": 600, "fee": r(1200, 1400, "10")},
                    {"up_to": 1000, "fee": r(1700, 1900, "10")},
                    {"up_to": None, "rate": r(1.9, 2.1)},
                ],
            )
        else:
            p.update(
                basis="monthly",
                mode=mode,
                tiers=[{"up_to": 15000, "fee": r(28000, 32000, "100")}, {"up_to": None, "rate": r(2.0, 2.5)}],
            )
    elif model == "monthly_package":
        p.update(monthly_fee=r(990, 5000, "10"), included_inquiries=r(600, 3000, "100"), overage_rate=r(1.9, 2.4))
    elif model == "daily_rate":
        p.update(rate_per_agent_day=r(140, 170, "1"))
    elif model == "hourly_rate":
        p.update(rate_per_agent_hour=r(17, 22, "0.5"))
    elif model == "line_items":
        p.update(prices={"chat": r(1.5, 1.9), "ticket": r(8, 10, "0.1"), "seat": r(6000, 7000, "100")})
    elif model == "reference_discount":
        p.update(discount_rate=r(0.02, 0.12, "0.01"))
    # the common components of §6.10, spread over the bids
    roll = rng.random()
    if roll < 0.6:
        p["peak_rate_per_agent_day"] = r(150, 250, "10")
    if roll < 0.2:
        p["one_time_fees"] = [{"label": "系统对接费", "amount": r(3000, 9000, "100")}]
    if 0.2 <= roll < 0.3:
        p["tax_included"] = False
    if 0.3 <= roll < 0.4 and model != "reference_discount":
        p["discount_rate"] = r(0.02, 0.06)
    return p


def bid_dict(index: int, rng: random.Random) -> dict:
    models = list(MODELS)
    facts = {
        "company_name": f"供应商{index:05d}",
        "registered_capital": rng.choice([800000, 1000000, 3000000, 10000000]),
        "independent_legal_person": True,
        "platforms": ["taobao", "tmall", "jd", "pinduoduo"],
        "channels": ["online_chat", "phone", "email"],
        "similar_projects": rng.randint(0, 8),
        "first_response_seconds": rng.choice([15, 20, 30, 45, 60, 120]),
        "complaint_reply_hours": 1,
        "iso9001": rng.random() < 0.6,
        "iso27001": rng.random() < 0.3,
        "answer_rate": rng.choice([0.88, 0.91, 0.93, 0.96]),
        "avg_handle_seconds": rng.choice([100, 130, 160, 200]),
        "staff_count": rng.randint(40, 900),
        "agents_available": rng.randint(10, 60),
        "established": f"{rng.randint(2008, 2024)}-0{rng.randint(1, 9)}-15",
        "satisfaction_commitment": rng.choice([0.95, 0.96, 0.97, 0.98]),
        "sme": rng.random() < 0.25,
    }
    return {
        "facts": facts,
        "documents": ["business_license"],
        "pricing": pricing_dict(models[index % len(models)], rng),
    }


def band_of(score: float) -> str:
    return next(b["label"] for b in BANDS if b["min"] <= score <= b["max"])


def panel_dict(vendors: list[str], rng: random.Random, subjective: list[str] = SUBJECTIVE) -> dict:
    level = {v: rng.choice([0.5, 2.0, 3.5]) for v in vendors}  # the agreed band's centre for each vendor
    bands = {v: {cid: band_of(level[v]) for cid in BANDED} for v in vendors}
    scores = {}
    for evaluator in EVALUATORS:
        scores[evaluator] = {}
        for v in vendors:
            per = {}
            for cid in subjective:
                if cid in BANDED:
                    band = next(b for b in BANDS if b["label"] == bands[v][cid])
                    per[cid] = round(rng.uniform(band["min"], band["max"]), 1)
                else:
                    per[cid] = round(rng.uniform(1, 4), 1)
            scores[evaluator][v] = per
    return {"bands": bands, "scores": scores}


def build(count: int, seed: int = 2026, subjective: int = 10) -> tuple[dict, list[dict], dict]:
    rng = random.Random(seed)
    tender = tender_dict(subjective)
    bids = [bid_dict(i, rng) for i in range(1, count + 1)]
    panel = panel_dict([b["facts"]["company_name"] for b in bids], rng, subjective_ids(subjective))
    panel["abnormal_low"] = decisions(tender, bids, panel)
    return tender, bids, panel


def decisions(tender_raw: dict, bids_raw: list[dict], panel_raw: dict) -> dict:
    """The panel's decision on every abnormally low price (found by an untimed first run),
    so that the measured evaluation is a final one (status ok), as it would be in real use."""
    tender = parse_tender(tender_raw)
    bids = [parse_bid(raw, tender) for raw in bids_raw]
    result = evaluate(tender, bids, parse_panel(panel_raw, tender, bids))
    flagged = sorted(b.vendor for b in result.bids if b.decision == "pending")
    return {
        vendor: ("accept" if i % 2 else {"decision": "reject", "reason": "未能说明报价合理性"})
        for i, vendor in enumerate(flagged)
    }


class GcTimer:
    """Time spent in the cyclic garbage collector (gc.callbacks), and its full passes."""

    def __init__(self) -> None:
        self.seconds, self.full_passes, self._start = 0.0, 0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
            self.full_passes += info["generation"] == 2
        else:
            self.seconds += time.perf_counter() - self._start


class SensitivityTimer:
    """Wraps the sensitivity function ``evaluate`` calls, to time it inside the evaluation."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.inner = evaluation_module.sensitivity

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.inner(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def run_once(tender_raw: dict, bids_raw: list[dict], panel_raw: dict) -> dict:
    gc.collect()  # start every run from the same heap: no garbage left by the previous one
    timer, gc_timer = SensitivityTimer(), GcTimer()
    evaluation_module.sensitivity = timer
    gc.callbacks.append(gc_timer)
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
        evaluation_module.sensitivity = timer.inner
        gc.callbacks.remove(gc_timer)
    return {
        "gc": gc_timer.seconds,
        "gc_full_passes": gc_timer.full_passes,
        "parse": t1 - t0,
        "evaluate": (t2 - t1) - timer.seconds,
        "sensitivity": timer.seconds,
        "total": t2 - t0,
        "to_json": t3 - t2,
        "status": result.status,
        "valid": data["valid_bids"],
        "abnormal_low": sum(1 for b in data["bids"] if "abnormal_low" in b["flags"]),
        "break_even": len(data["sensitivity"]["break_even"]),
        "models": sorted({b["model"] for b in data["bids"]}),
    }


def measure(count: int, repeat: int) -> dict:
    tender, bids, panel = build(count)
    runs = [run_once(tender, bids, panel) for _ in range(repeat)]
    return min(runs, key=lambda r: r["total"])


def report(count: int, figures: dict) -> None:
    total = figures["total"]
    print(
        f"\n{count:,} bids × {len(EVALUATORS)} evaluators × {len(tender_dict()['criteria'])} criteria "
        f"({count * len(EVALUATORS) * len(SUBJECTIVE):,} subjective scores)"
    )
    print(
        f"  status {figures['status']}, {figures['valid']} valid bids, {figures['abnormal_low']} abnormally low "
        f"(decided), {figures['break_even']} break-even points, {len(figures['models'])} pricing models"
    )
    print(f"  wall time      {total * 1000:9.1f} ms   ({total / count * 1e6:,.0f} µs per bid)")
    for part in ("parse", "evaluate", "sensitivity"):
        print(
            f"  - {part:<12} {figures[part] * 1000:9.1f} ms   {figures[part] / total:6.1%}   "
            f"({figures[part] / count * 1e6:,.0f} µs per bid)"
        )
    print(
        f"  of which cyclic GC {figures['gc'] * 1000:5.1f} ms   ({figures['gc_full_passes']} full passes, "
        f"incl. to_json)"
    )
    print(
        f"  to_json (apart) {figures['to_json'] * 1000:8.1f} ms   ({figures['to_json'] / count * 1e6:,.0f} µs per bid)"
    )


def profile(count: int, top: int) -> None:
    tender, bids, panel = build(count)
    profiler = cProfile.Profile()
    profiler.enable()
    run_once(tender, bids, panel)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


# --------------------------------------------------------------------------- the whole command


def write_files(folder: Path, count: int, subjective: int) -> tuple[list[str], int]:
    """tender.json, bids/*.json and panel.json as a buyer would have them; the arguments of
    ``tender evaluate`` and the number of subjective scores."""
    tender, bids, panel = build(count, subjective=subjective)

    def put(path: Path, data) -> None:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    (folder / "bids").mkdir(parents=True)
    put(folder / "tender.json", tender)
    paths = []
    for index, bid in enumerate(bids, 1):
        paths.append(str(folder / "bids" / f"bid{index:04d}.json"))
        put(Path(paths[-1]), bid)
    put(folder / "panel.json", panel)
    scores = sum(len(per) for by_vendor in panel["scores"].values() for per in by_vendor.values())
    return [
        "evaluate",
        str(folder / "tender.json"),
        *paths,
        "--panel",
        str(folder / "panel.json"),
        "--json",
        str(folder / "result.json"),
    ], scores


def child_env() -> dict:
    """The environment of the measured processes: bytecode as an installed package has it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( +)(\S+)")
INTERPRETER = (
    "site",
    "encodings",
    "zipimport",
    "_frozen_importlib_external",
    "io",
    "_signal",
    "runpy",
    "encodings.utf_8",
    "encodings.utf_8_sig",
)
WEB = ("flask", "sqlalchemy", "werkzeug", "flask_sqlalchemy")


def import_times(args: list[str]) -> dict:
    """``python -X importtime -m tender.cli ARGS``: seconds of top-level imports, split."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tender.cli", *args],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
    )
    total = interpreter = 0
    names = set()
    for line in done.stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if not match:
            continue
        names.add(match.group(4).split(".")[0])
        if len(match.group(3)) == 1:  # a top-level import: its cumulative time counts once
            seconds = int(match.group(2)) / 1e6
            total += seconds
            interpreter += seconds if match.group(4) in INTERPRETER else 0
    return {"total": total, "interpreter": interpreter, "command": total - interpreter, "web": sorted(names & set(WEB))}


def wall(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``command``. On a shared
    machine the CPU time is the steadier figure: it is what the run costs when idle."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} … failed: {done.stderr.decode()[-2000:]}")
    return elapsed, (after.children_user - before.children_user) + (after.children_system - before.children_system)


class Split:
    """Times each step of ``tender.cli.main`` in this process by wrapping what it calls.
    Only the outermost wrapped call counts (``load_bid`` calls ``jsonfiles.load`` too),
    except the sensitivity, which is counted inside the evaluation and taken out of it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.depth = 0

    def wrap(self, owner, name: str, part: str) -> None:
        inner = getattr(owner, name)
        timer = self

        def timed(*args, **kwargs):
            counted = timer.depth == 0 or part == "sensitivity"
            timer.depth += 1
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                timer.depth -= 1
                if counted:
                    timer.seconds[part] = timer.seconds.get(part, 0.0) + time.perf_counter() - start

        timed.inner = inner
        setattr(owner, name, timed)

    def run(self, args: list[str]) -> dict:
        import tender.cli as cli
        from scoring import evaluation
        from tender.documents import jsonfiles

        wrapped = [
            (cli, "load_tender", "read"),
            (cli, "load_bid", "read"),
            (cli.jsonfiles, "load", "panel"),
            (cli, "parse_panel", "panel"),
            (cli, "evaluate", "evaluate"),
            (evaluation, "sensitivity", "sensitivity"),
            (evaluation.Result, "to_json", "write"),
            (jsonfiles, "dump", "write"),
            (cli, "ranking_table", "table"),
        ]
        for owner, name, part in wrapped:
            self.wrap(owner, name, part)
        try:
            start = time.perf_counter()
            with redirect_stdout(io.StringIO()):
                code = cli.main(args)
            total = time.perf_counter() - start
        finally:
            for owner, name, _part in reversed(wrapped):
                setattr(owner, name, getattr(owner, name).inner)
        assert code == 0
        seconds = dict(self.seconds)
        seconds["evaluate"] -= seconds.get("sensitivity", 0)
        seconds["total"] = total
        return seconds


def command_bench(count: int, subjective: int, repeat: int, instructions: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="evaluate-bench-") as folder:
        folder = Path(folder)
        args, scores = write_files(folder, count, subjective)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "scoring"), str(ROOT / "tender")],
            env=child_env(),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"\n`tender evaluate`: {count:,} bid files × {len(EVALUATORS)} evaluators × 20 criteria "
            f"({scores:,} subjective scores), best and median of {repeat} runs"
        )
        small = [
            "evaluate",
            str(ROOT / "samples" / "tender.json"),
            *sorted(str(p) for p in (ROOT / "samples" / "bids").glob("*.json")),
            "--panel",
            str(ROOT / "samples" / "panel.json"),
        ]
        imports = [import_times(small) for _ in range(repeat)]
        best = min(imports, key=lambda r: r["total"])
        print(
            f"  imports (python -X importtime, top level): best {best['total'] * 1000:.0f} ms, median "
            f"{statistics.median(r['total'] for r in imports) * 1000:.0f} ms — interpreter start "
            f"{best['interpreter'] * 1000:.0f} ms, the command's {best['command'] * 1000:.0f} ms; "
            f"web libraries imported: {', '.join(best['web']) or 'none'}"
        )
        start = [wall([sys.executable, "-m", "tender.cli", "--help"]) for _ in range(repeat)]
        whole = [wall([sys.executable, "-m", "tender.cli", *args]) for _ in range(repeat)]
        size = (folder / "result.json").stat().st_size

        def line(label: str, runs: list[tuple[float, float]]) -> str:
            walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
            return (
                f"  {label:<26} wall best {min(walls):6.3f} s, median {statistics.median(walls):6.3f} s; "
                f"CPU best {min(cpus):6.3f} s"
            )

        print(line("start (tender --help):", start))
        print(line("whole process:", whole) + f"  (result.json {size / 1e6:.1f} MB)")
        print(line("beyond the start:", [(w[0] - s[0], w[1] - s[1]) for w, s in zip(sorted(whole), sorted(start))]))
        splits = []
        for _ in range(repeat):
            gc.collect()
            splits.append(Split().run(args))
        split = min(splits, key=lambda r: r["total"])
        parts = ("read", "panel", "evaluate", "sensitivity", "write", "table")
        print(
            "  in-process split (fastest run): "
            + ", ".join(f"{part} {split.get(part, 0) * 1000:.0f} ms" for part in parts)
            + f"; total {split['total'] * 1000:.0f} ms"
        )
        print(f"  (load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        if instructions:
            help_count = instructions_of([sys.executable, "-m", "tender.cli", "--help"], folder)
            run_count = instructions_of([sys.executable, "-m", "tender.cli", *args], folder)
            print(
                f"  instructions (valgrind cachegrind, the same on a busy machine): start {help_count / 1e9:.3f} G, "
                f"whole process {run_count / 1e9:.3f} G, beyond the start {(run_count - help_count) / 1e9:.3f} G"
            )


def instructions_of(command: list[str], folder: Path) -> int:
    """Instructions executed by ``command`` (``valgrind --tool=cachegrind``): a count that does not
    depend on what else the machine is doing, so two versions compare on a shared machine."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian package valgrind)")
    out = folder / "cachegrind.out"
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}", *command],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed: {done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, nargs="+", default=[100, 1000], help="bid counts to measure")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest is reported")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the largest size")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile")
    parser.add_argument(
        "--command",
        action="store_true",
        help="measure `tender evaluate` as a whole process on files (imports, start, split)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="with --command: also count the instructions (valgrind; ~5 min), steady on a busy machine",
    )
    parser.add_argument(
        "--subjective",
        type=int,
        default=None,
        help="subjective criteria of the 20 (default 10; 17 with --command: 153,000 scores)",
    )
    args = parser.parse_args(argv)
    if args.command:
        command_bench(
            max(args.bids) if args.bids != [100, 1000] else 1000,
            args.subjective or 17,
            max(args.repeat, 5),
            instructions=args.instructions,
        )
        return 0
    print(f"Python {sys.version.split()[0]}; best of {args.repeat} run(s) per size")
    results = {}
    for count in args.bids:
        results[count] = measure(count, args.repeat)
        report(count, results[count])
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"\nscaling {small:,} → {large:,} bids (×{large / small:g}):")
        for part in ("total", "parse", "evaluate", "sensitivity"):
            a, b = results[small][part], results[large][part]
            print(f"  {part:<12} ×{b / a:6.2f}   (linear would be ×{large / small:g})")
    if args.profile:
        profile(sizes[-1], args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
