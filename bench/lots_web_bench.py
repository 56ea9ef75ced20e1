"""The web app on a tender of 5 lots × 200 bids against one undivided tender of the same 1,000 bids.

    .venv/bin/python bench/lots_web_bench.py                 # SQLite in a temporary folder
    .venv/bin/python bench/lots_web_bench.py --lots 5 --per-lot 200 --repeat 2
    .venv/bin/python bench/lots_web_bench.py --per-lot 40   # 200 bids in all, about a minute

Both tenders are the e-commerce sample (samples/tender.json; every lot has its scenario), with
the same 1,000 vendors' bids (samples/bids/, every pricing model but the rate-card ones,
renamed per copy): in the lot tender each vendor bids for one lot, 200 a lot. Bids are stored
as an upload stores them (sealed, no files) and opened by the real opening service; three
evaluators' scores of every bid (in its lot) are stored and submitted, so the evaluation is
complete (the abnormally low check is off: no decision is waiting). Untimed, that takes most
of the run.

Timed, each through the app (services and the test client, signed in as the buyer):
- evaluation, cold: the results service's evaluation with its cache emptied (decrypt and parse
  every opened bid, gather the panel's scores, ``evaluate_lots`` or ``evaluate``);
- the results page (the evaluation cached, as a second visit finds it): one page for the lot
  tender, with the award table and every lot's ranking;
- report.xlsx and report.docx: the lot tender's report is per lot, so all 5 of each.

Printed: each step's time (wall clock and this process's CPU time, the steadier figure on a
shared machine), its cost per bid and the lot tender's time as a multiple of the undivided
one's, then the load average. Figures are printed, never asserted. ``--per-lot 40`` (200
bids in all) runs in about a minute, for trying a change; ``make bench-lots`` runs the full size (1–2.5 min).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scale_bench import make_app  # noqa: E402

EVALUATORS = 3
PASSWORD = "bench-password"


def definitions(lots: int) -> tuple[dict, dict]:
    """(the undivided tender, the tender in ``lots`` lots), both open for bids for 3 days."""
    definition = json.loads((ROOT / "samples" / "tender.json").read_text(encoding="utf-8"))
    definition.pop("published_at", None)
    now = dt.datetime.now(dt.UTC)
    definition.update(
        min_valid_bids=1,
        abnormal_low_ratio=0,  # no abnormally low decision waiting: the evaluation is complete
        bid_deadline=(now + dt.timedelta(days=3)).isoformat(),
        opening_time=(now + dt.timedelta(days=3, minutes=30)).isoformat(),
    )
    divided = {k: v for k, v in definition.items() if k != "scenario"}
    divided["title"] = definition["title"] + f"（分 {lots} 个标包）"
    divided["lots"] = [
        {"id": f"L{n + 1}", "name": f"标包{n + 1}", "scenario": copy.deepcopy(definition["scenario"])}
        for n in range(lots)
    ]
    divided["max_lots_awarded_per_vendor"] = 1
    return definition, divided


def seed(app, db, lots: int, per_lot: int):
    """The buyer, the panel, the vendors; both tenders with their bids opened and scored."""
    from tender.models import (
        Bid,
        BidVersion,
        EvaluatorAssignment,
        SubjectiveScore,
        User,
        VendorProfile,
        new_public_id,
    )
    from tender.platform import storage
    from tender.services import opening as opening_service
    from tender.services import tenders as tender_service

    total = lots * per_lot
    samples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples" / "bids").glob("*.json"))]
    samples = [s for s in samples if "discount_rate" not in s["pricing"]]
    document = {"headings": [], "missing_sections": [], "stated_facts": {}, "mismatches": [], "problems": []}
    buyer = User(email="buyer-lots@bench.cn", name="Buyer", role="buyer", locale="en")
    buyer.set_password(PASSWORD)
    experts = [
        User(email=f"expert{n}@bench.cn", name=f"Expert {n}", role="evaluator", password_hash="x")
        for n in range(EVALUATORS)
    ]
    db.session.add_all([buyer, *experts])
    db.session.commit()
    vendors, bids = [], []
    for n in range(total):
        sample = copy.deepcopy(samples[n % len(samples)])
        company = f"{sample['facts']['company_name']}-{n}"
        sample["facts"]["company_name"] = company
        vendors.append(
            User(
                email=f"v{n}@lots.cn",
                name=company,
                role="vendor",
                password_hash="x",
                vendor_profile=VendorProfile(company_name=company),
            )
        )
        bids.append(sample)
    db.session.add_all(vendors)
    db.session.commit()
    single_definition, lots_definition = definitions(lots)
    tenders = {}
    subjective = []
    for label, definition in (("lots", lots_definition), ("single", single_definition)):
        tender = tender_service.publish(buyer, tender_service.save_draft(buyer, definition))
        subjective = [c["id"] for c in definition["criteria"] if c["kind"] == "subjective"]
        for expert in experts:
            opening_service.assign(buyer, tender.public_id, expert.public_id)
        now = dt.datetime.now(dt.UTC)
        rows = []
        for n, (vendor, sample) in enumerate(zip(vendors, bids, strict=True)):
            if label == "lots":
                lot = f"L{n % lots + 1}"
                sample = {
                    "facts": sample["facts"],
                    "documents": sample.get("documents", []),
                    "lots": {lot: sample["pricing"]},
                }
            else:
                lot = ""
            bid = Bid(tender=tender, vendor=vendor)
            version_id = new_public_id()
            bid.versions.append(
                BidVersion(
                    public_id=version_id,
                    number=1,
                    status="submitted",
                    tender_version=1,
                    sealed_data=storage.seal_json({"bid": sample, "document": document}, f"bid_version:{version_id}"),
                    submitted_at=now - dt.timedelta(minutes=40, seconds=n),
                )
            )
            db.session.add(bid)
            rows.append((bid, lot, n))
        tender.published_at = now - dt.timedelta(hours=2)
        tender.bid_deadline = now - dt.timedelta(minutes=30)
        tender.opening_time = now - dt.timedelta(minutes=1)
        db.session.commit()
        opening_service.open_bids(buyer, tender.public_id)
        # every evaluator scores every bid (in its lot) and submits
        db.session.execute(
            SubjectiveScore.__table__.insert(),
            [
                {
                    "tender_id": tender.id,
                    "evaluator_id": expert.id,
                    "bid_id": bid.id,
                    "lot": lot,
                    "criterion_id": criterion,
                    "value": str(20 + (n + e) % 10 if criterion == subjective[0] else 8 + (n + e) % 7),
                    "updated_at": now,
                }
                for e, expert in enumerate(experts)
                for bid, lot, n in rows
                for criterion in subjective
            ],
        )
        for assignment in db.session.query(EvaluatorAssignment).filter_by(tender_id=tender.id):
            assignment.coi_declared_at = now
            assignment.submitted_at = now
        tender.panel_version = new_public_id()  # what the evaluation reads has changed
        db.session.commit()
        tenders[label] = tender
    return buyer, tenders


def best_of(function, repeat: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of the fastest of ``repeat`` runs."""
    best = None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        seconds = (time.perf_counter() - start, time.process_time() - cpu)
        best = seconds if best is None else min(best, seconds)
    return best


def measure(app, client, tender, lot_ids: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    from tender.services import results as results_service

    def cold_evaluation():
        results_service._evaluations = results_service._Evaluations(results_service.CACHE_SIZE)
        evaluation = results_service.inputs(tender)
        assert evaluation.result.status == "ok", evaluation.result.status

    def get(path: str, kind: str = "") -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if kind:
            assert response.data[:2] == b"PK", path

    times = {"evaluation (cold)": best_of(cold_evaluation, repeat)}
    get(f"/results/{tender.public_id}")  # warm: the evaluation cached, the templates compiled
    times["results page"] = best_of(lambda: get(f"/results/{tender.public_id}"), repeat)
    suffixes = [f"?lot={lot}" for lot in lot_ids] or [""]
    for kind in ("xlsx", "docx"):
        times[f"report.{kind}"] = best_of(
            lambda kind=kind: [get(f"/results/{tender.public_id}/report.{kind}{s}", kind) for s in suffixes], repeat=1
        )
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lots", type=int, default=5)
    parser.add_argument("--per-lot", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2, help="best of this many for the evaluation and the page")
    args = parser.parse_args(argv)
    total = args.lots * args.per_lot
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        app, cleanup, db = make_app(None, Path(folder))
        try:
            with app.app_context():
                buyer, tenders = seed(app, db, args.lots, args.per_lot)
                seeded = time.perf_counter() - started
                client = app.test_client()
                client.post("/auth/login", data={"email": buyer.email, "password": PASSWORD})
                lot_ids = [f"L{n + 1}" for n in range(args.lots)]
                for kind in ("xlsx", "docx"):  # warm-up, untimed: the report libraries' first imports
                    client.get(f"/results/{tenders['lots'].public_id}/report.{kind}?lot=L1")
                figures = {
                    "lots": measure(app, client, tenders["lots"], lot_ids, args.repeat),
                    "single": measure(app, client, tenders["single"], [], args.repeat),
                }
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            cleanup()
    print(
        f"== the web app: {args.lots} lots × {args.per_lot} bids vs one tender of the same {total} bids "
        f"(SQLite, {EVALUATORS} evaluators' scores; seeding and opening {seeded:.0f} s, untimed) =="
    )
    print(
        f"{'step':<18} {'lot tender':>12} {'ms a bid':>9} {'CPU':>9}   {'undivided':>12} {'ms a bid':>9} {'CPU':>9}"
        f"   {'lots ÷ undivided':>16} {'(CPU)':>7}"
    )
    for step, (lot_seconds, lot_cpu) in figures["lots"].items():
        single_seconds, single_cpu = figures["single"][step]
        label = f"{step} ×{args.lots}" if step.startswith("report") else step
        print(
            f"{label:<18} {lot_seconds:10.3f} s {lot_seconds / total * 1e3:9.3f} {lot_cpu:7.3f} s   "
            f"{single_seconds:10.3f} s {single_seconds / total * 1e3:9.3f} {single_cpu:7.3f} s   "
            f"{lot_seconds / single_seconds:15.2f}× {lot_cpu / single_cpu:6.2f}×"
        )
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(
        f"(whole run {time.perf_counter() - started:.0f} s; CPU = this process's CPU time, steadier than the wall"
        f" clock on a shared machine"
        + (f"; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}" if load else "")
        + ")"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
