"""A tender of 5 lots × 200 bids against one undivided tender of the same 1,000 bids.

    .venv/bin/python bench/lots_bench.py                  # best of 3 runs
    .venv/bin/python bench/lots_bench.py --lots 10 --per-lot 500 --repeat 1

The bids are the e-commerce samples (samples/bids/, every pricing model but the rate-card
ones) renamed per copy; every lot has the samples' scenario. Each vendor bids for one lot,
and a fifth of them make a final offer (10 % below the first, §12) — the undivided tender
gets the same final offers; the subjective criteria are made objective (no panel) so that
every lot is final and its award is walked (one lot at most per vendor). Timed: ``evaluate_lots`` (each lot evaluated alone, then the
awards lot by lot) against ``evaluate`` of the undivided tender, and each result's
``to_json()``. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import evaluate, evaluate_lots, parse_bid, parse_tender  # noqa: E402


def best_of(function, repeat: int) -> tuple[float, object]:
    best, value = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - start
        best = seconds if best is None else min(best, seconds)
    return best, value


def cheaper(pricing: dict) -> dict:
    """The same quote 10 % cheaper, as a committed discount (any model)."""
    return {**pricing, "discount_rate": "0.1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lots", type=int, default=5)
    parser.add_argument("--per-lot", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    definition = json.loads((ROOT / "samples" / "tender.json").read_text(encoding="utf-8"))
    samples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples" / "bids").glob("*.json"))]
    samples = [s for s in samples if "discount_rate" not in s["pricing"]]
    definition["min_valid_bids"] = 1
    # No panel here: the subjective criteria become objective ones of the same weight and the
    # abnormally low check is off, so every lot is final and the awards are walked.
    definition["abnormal_low_ratio"] = 0
    definition["criteria"] = [
        c
        if c["kind"] != "subjective"
        else {
            "id": c["id"],
            "name": c["name"],
            "kind": "objective",
            "weight": c["weight"],
            "rule": "linear",
            "fact": "staff_count",
            "points_per_unit": "0.1",
        }
        for c in definition["criteria"]
    ]
    single = parse_tender(definition)
    divided_definition = {k: v for k, v in definition.items() if k != "scenario"}
    divided_definition["lots"] = [
        {"id": f"L{n + 1}", "name": f"标包{n + 1}", "scenario": copy.deepcopy(definition["scenario"])}
        for n in range(args.lots)
    ]
    divided_definition["max_lots_awarded_per_vendor"] = 1
    divided = parse_tender(divided_definition)
    total = args.lots * args.per_lot
    single_bids, lot_bids = [], []
    for n in range(total):
        sample = copy.deepcopy(samples[n % len(samples)])
        sample["facts"]["company_name"] = f"{sample['facts']['company_name']}-{n}"
        final = cheaper(sample["pricing"]) if n % 5 == 0 else None
        plain = {**sample, **({"final_pricing": final} if final else {})}
        single_bids.append(parse_bid(plain, single, source=str(n)))
        lot_id = f"L{n % args.lots + 1}"
        lot = {"facts": sample["facts"], "documents": sample.get("documents", []), "lots": {lot_id: sample["pricing"]}}
        if final:
            lot["final_lots"] = {lot_id: final}
        lot_bids.append(parse_bid(lot, divided, source=str(n)))
    print(
        f"== {args.lots} lots × {args.per_lot} bids vs one tender of the same {total} bids "
        f"(a fifth with a final offer; best of {args.repeat}) =="
    )
    seconds, result = best_of(lambda: evaluate(single, single_bids), args.repeat)
    json_seconds, _ = best_of(result.to_json, args.repeat)
    print(
        f"undivided: evaluate {seconds:6.3f} s ({seconds / total * 1e3:6.3f} ms a bid), to_json {json_seconds:6.3f} s"
    )
    lot_seconds, lot_result = best_of(lambda: evaluate_lots(divided, lot_bids), args.repeat)
    lot_json, _ = best_of(lot_result.to_json, args.repeat)
    print(
        f"lots:      evaluate {lot_seconds:6.3f} s ({lot_seconds / total * 1e3:6.3f} ms a bid), "
        f"to_json {lot_json:6.3f} s  (×{lot_seconds / seconds:4.2f} the undivided time)"
    )
    print(f"awards across the lots: {len(lot_result.awards)}; status {lot_result.status}")


if __name__ == "__main__":
    main()
