"""The contracts after the award at scale (domain §14): a platform of 10 → 100 → 1,000
contracts, each with 24 settled months.

    .venv/bin/python bench/contracts_bench.py                   # SQLite in a temporary folder
    .venv/bin/python bench/contracts_bench.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

Prints, for the buyer's and the vendor's contract list (first and last page) and for one
contract page with its 24 months, the time per request and the SQL statements it ran
(counted by a SQLAlchemy event listener). Both should stay flat as contracts are added:
the list is paginated and loads its tenders in one statement; a page reads one contract's
months in one statement and its terms once per process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scale_bench import QueryCounter, make_app, timed_get

KPIS = [
    {"id": "reply_3min", "name": "3分钟人工回复率", "direction": "at_least", "target": 0.95, "weight": 0.5},
    {"id": "satisfaction", "name": "满意度", "direction": "at_least", "target": 0.90, "weight": 0.3},
    {"id": "conversion", "name": "询单转化率", "direction": "at_least", "target": 0.40, "weight": 0.2},
]


def month_labels(count: int) -> list[str]:
    return [f"{2027 + m // 12:04d}-{m % 12 + 1:02d}" for m in range(count)]


def settled_months(snapshot: dict) -> list[tuple[str, str, str]]:
    """(month, month.json, settlement.json) of 24 months, one KPI missed every third month."""
    from scoring.settlement import parse_month, settle_month
    from tender.contracts.terms import terms_from

    terms = terms_from(snapshot)
    rows = []
    for index, label in enumerate(month_labels(24)):
        data = {
            "month": label,
            "actual": {"daily_inquiries": 700 + 20 * index, "days": 30},
            "kpis": {"reply_3min": 0.93 if index % 3 == 0 else 0.96, "satisfaction": 0.92, "conversion": 0.41},
        }
        settlement = settle_month(terms, parse_month(data, kpis=terms.kpis, scenario=terms.scenario))
        rows.append((label, json.dumps(data, ensure_ascii=False), json.dumps(settlement.to_json(), ensure_ascii=False)))
    return rows


def run(app, db) -> None:
    from tender.models import Bid, Contract, ContractMonth, Tender, User
    from tender.platform import storage

    definition = json.loads((ROOT / "samples" / "tender.json").read_text(encoding="utf-8"))
    definition.update(kpis=KPIS, payment_terms={"at_risk_share": 0.10, "bonus_share": 0.03})
    bid = json.loads((ROOT / "samples" / "bids" / "yunkefu.json").read_text(encoding="utf-8"))
    snapshot = {"tender": definition, "bid": bid, "lot": "", "share": "1.00", "vendor": "杭州云客服科技有限公司"}
    now = dt.datetime.now(dt.UTC)
    print("\n== contracts with 24 settled months each: 10 → 100 → 1,000 contracts (50 a page) ==")
    with app.app_context():
        buyer = User(email="buyer-contracts@bench.cn", name="Buyer", role="buyer", locale="en")
        vendor = User(email="vendor-contracts@bench.cn", name="Vendor", role="vendor", locale="en")
        for user in (buyer, vendor):
            user.set_password("bench-password")
        db.session.add_all([buyer, vendor])
        db.session.commit()
        months = settled_months(snapshot)
        counter = QueryCounter(db.engine)
        clients = {}
        for label, user in (("buyer", buyer), ("vendor", vendor)):
            clients[label] = app.test_client()
            clients[label].post("/auth/login", data={"email": user.email, "password": "bench-password"})
        have, first, last_contract = 0, {}, None
        for count in (10, 100, 1000):
            for n in range(have, count):
                tender = Tender(
                    public_id=secrets.token_urlsafe(12),
                    owner_id=buyer.id,
                    status="awarded",
                    title=f"客服外包 {n}",
                    buyer_name="Bench",
                    definition_json="{}",
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                db.session.add(tender)
                db.session.flush()
                bid_row = Bid(public_id=secrets.token_urlsafe(12), tender_id=tender.id, vendor_id=vendor.id)
                db.session.add(bid_row)
                db.session.flush()
                contract = Contract(
                    public_id=secrets.token_urlsafe(12),
                    tender_id=tender.id,
                    bid_id=bid_row.id,
                    vendor_id=vendor.id,
                    vendor_name=snapshot["vendor"],
                    lot="",
                    share="1.00",
                    start_month="2027-01",
                    months=24,
                    predicted_cost="1254400.00",
                    sealed_terms=b"",
                    created_at=now + dt.timedelta(seconds=n),
                )
                db.session.add(contract)
                db.session.flush()
                contract.sealed_terms = storage.seal_json(snapshot, f"contract:{contract.public_id}")
                db.session.execute(
                    ContractMonth.__table__.insert(),
                    [
                        {
                            "public_id": secrets.token_urlsafe(12),
                            "contract_id": contract.id,
                            "month": label,
                            "version": 1,
                            "current": True,
                            "status": "confirmed",
                            "month_json": month_json,
                            "settlement_json": settlement,
                            "upload_name": "本月实际.xlsx",
                            "upload_sha256": "0" * 64,
                            "reason": "",
                            "settled_by_id": buyer.id,
                            "settled_at": now,
                            "vendor_reason": "",
                            "buyer_reason": "",
                        }
                        for label, month_json, settlement in months
                    ],
                )
                last_contract = contract.public_id
            db.session.commit()
            have = count
            pages = (count + 49) // 50
            line = []
            for label in ("buyer", "vendor"):
                for page in (1, pages):
                    seconds, queries = timed_get(clients[label], counter, f"/contracts/?page={page}")
                    key = (label, page == 1)
                    first.setdefault(key, seconds)
                    line.append(
                        f"{label} list p.{page}: {seconds * 1000:5.1f} ms (×{seconds / first[key]:4.2f}), {queries} SQL"
                    )
            seconds, queries = timed_get(clients["buyer"], counter, f"/contracts/{last_contract}")
            first.setdefault("page", seconds)
            line.append(f"contract page: {seconds * 1000:5.1f} ms (×{seconds / first['page']:4.2f}), {queries} SQL")
            print(f"{count:>5} contracts, {count * 24:>6} months: " + "; ".join(line))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="maintenance URL of a PostgreSQL server (a database is made and dropped)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app, cleanup, db = make_app(args.postgres, Path(folder))
        print(f"(database: {'PostgreSQL' if args.postgres else 'SQLite'})")
        try:
            run(app, db)
        finally:
            cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
