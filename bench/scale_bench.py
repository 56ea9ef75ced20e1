"""Scale figures, each printed as a ratio measured in the same run.

    .venv/bin/python bench/scale_bench.py                       # SQLite in a temporary folder
    .venv/bin/python bench/scale_bench.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

1. Workbook reading: our quote reader (tender/documents/quote_reader.py: opens, checks
   and reads every cell it needs) against a bare python-calamine read of every cell of
   the same filled price sheet — the floor for reading an .xlsx in Python.
2. Evaluation growth: ``scoring.evaluate`` of 50 → 500 → 5,000 bids (time per bid should
   stay flat), the buyer's tender page with that many submitted bids, and the results page
   and Excel report of a tender with that many opened bids.
3. Tender lists with 100 → 1,000 → 10,000 tenders: the buyer's and the vendor's first
   and last page, time and SQL statements per request (counted by a SQLAlchemy event
   listener) — both should stay flat: paginated, indexed, no query per row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best_of(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


# --------------------------------------------------------------------------- 1. workbooks


def workbook_reading() -> None:
    from python_calamine import CalamineWorkbook

    from tender.demo.files import fill_quote
    from tender.documents.quote_reader import read_quote
    from tender.documents.quote_template import build_quote_template

    definition = json.loads((ROOT / "samples" / "tender.json").read_text(encoding="utf-8"))
    print("\n== 1. reading a filled price sheet: our quote reader vs a bare python-calamine read ==")
    for name in ("yunkefu", "zhongyuan", "changan"):
        bid = json.loads((ROOT / "samples" / "bids" / f"{name}.json").read_text(encoding="utf-8"))
        data = fill_quote(build_quote_template(definition, tender_id="T1", version=1), bid)
        reading = read_quote(data, tender=definition, tender_id="T1", version=1)
        assert not reading.problems, reading.problems

        def calamine():
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            return [book.get_sheet_by_name(sheet).to_python() for sheet in book.sheet_names]

        ours = best_of(lambda: read_quote(data, tender=definition, tender_id="T1", version=1))
        floor = best_of(calamine)
        cells = sum(len(row) for sheet in calamine() for row in sheet)
        print(
            f"{bid['pricing']['model']:>22}: {len(data) / 1024:5.0f} KiB, {cells:5d} cells; "
            f"quote reader {ours * 1000:6.1f} ms, calamine {floor * 1000:5.1f} ms → ratio {ours / floor:4.1f}×"
        )


# --------------------------------------------------------------------------- shared app


def make_app(database: str | None, folder: Path):
    from tender import create_app
    from tender.platform.extensions import db
    from tender.platform.storage import generate_key

    cleanup = lambda: None  # noqa: E731
    url = f"sqlite:///{folder / 'scale.sqlite'}"
    if database:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        from tender.platform.config import normalize_database_url

        admin_url = make_url(normalize_database_url(database))
        name = f"tender_scale_{secrets.token_hex(4)}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.set(database=name).render_as_string(hide_password=False)

        def cleanup():
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TENDER_DATA_KEY": generate_key(),
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(folder / "instance"),
            "WTF_CSRF_ENABLED": False,
            "TESTING": True,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app, cleanup, db


class QueryCounter:
    def __init__(self, engine):
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def timed_get(client, counter, path: str, repeat: int = 5) -> tuple[float, int]:
    client.get(path)  # warm
    times, counts = [], []
    for _ in range(repeat):
        counter.count = 0
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        counts.append(counter.count)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), max(counts)


# --------------------------------------------------------------------------- 2. evaluation growth


def evaluation_growth() -> None:
    from scoring import evaluate, parse_bid, parse_tender

    definition = json.loads((ROOT / "samples" / "tender.json").read_text(encoding="utf-8"))
    samples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples" / "bids").glob("*.json"))]
    model = parse_tender(definition)
    print("\n== 2. scoring.evaluate, 50 → 500 → 5,000 bids (no panel scores) ==")
    base = None
    for count in (50, 500, 5000):
        bids = []
        for n in range(count):
            bid = json.loads(json.dumps(samples[n % len(samples)]))
            bid["facts"]["company_name"] = f"{bid['facts']['company_name']}-{n}"
            bids.append(parse_bid(bid, model, source=bid["facts"]["company_name"]))
        seconds = best_of(lambda: evaluate(model, bids), repeat=3 if count < 5000 else 1)
        base = base or seconds / count
        print(
            f"{count:>6} bids: {seconds:7.3f} s, {seconds / count * 1e3:6.3f} ms a bid "
            f"(×{seconds / count / base:4.2f} the per-bid time at 50)"
        )


def tender_page_growth(app, db) -> None:
    from tender.models import Bid, BidVersion, User
    from tender.services import tenders as tender_service
    from tests.integration.helpers import definition

    print("\n== 2b. the buyer's tender page with 50 → 500 → 5,000 submitted bids ==")
    with app.app_context():
        buyer = User(email="buyer-page@bench.cn", name="Buyer", role="buyer", locale="en")
        buyer.set_password("bench-password")
        db.session.add(buyer)
        db.session.commit()
        tender = tender_service.publish(buyer, tender_service.save_draft(buyer, definition(days=3)))
        counter = QueryCounter(db.engine)
        client = app.test_client()
        client.post("/auth/login", data={"email": buyer.email, "password": "bench-password"})
        have = 0
        for count in (50, 500, 5000):
            vendors = [
                User(email=f"v{n}@page.cn", name=f"V{n}", role="vendor", password_hash="x") for n in range(have, count)
            ]
            db.session.add_all(vendors)
            db.session.flush()
            for vendor in vendors:
                bid = Bid(tender_id=tender.id, vendor_id=vendor.id)
                bid.versions.append(
                    BidVersion(
                        number=1,
                        status="submitted",
                        tender_version=1,
                        sealed_data=b"-",
                        submitted_at=dt.datetime.now(dt.UTC),
                    )
                )
                db.session.add(bid)
            db.session.commit()
            have = count
            seconds, queries = timed_get(client, counter, f"/buyer/tenders/{tender.public_id}")
            print(f"{count:>6} bids: {seconds * 1000:6.1f} ms, {queries} SQL statements")


def results_page_growth(app, db, sizes=(50, 500, 5000)) -> None:
    """The results page and the Excel report of an opened tender with 50 → 500 → 5,000 bids.

    Bids are stored as an upload stores them (sealed quote data, no files), then opened by
    the real opening service; the page and the report are fetched through the app."""
    from tender.models import Bid, BidVersion, User, VendorProfile, new_public_id
    from tender.platform import storage
    from tender.services import opening as opening_service
    from tender.services import tenders as tender_service
    from tests.integration.helpers import definition

    samples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples" / "bids").glob("*.json"))]
    print("\n== 2c. the results page and the Excel report, 50 → 500 → 5,000 opened bids ==")
    with app.app_context():
        buyer = User(email="buyer-results@bench.cn", name="Buyer", role="buyer", locale="en")
        buyer.set_password("bench-password")
        db.session.add(buyer)
        db.session.commit()
        expert = User(email="expert-results@bench.cn", name="Expert", role="evaluator", password_hash="x")
        db.session.add(expert)
        db.session.commit()
        counter = QueryCounter(db.engine)
        client = app.test_client()
        client.post("/auth/login", data={"email": buyer.email, "password": "bench-password"})
        first = {}
        for count in sizes:
            tender = tender_service.publish(buyer, tender_service.save_draft(buyer, definition(days=3)))
            opening_service.assign(buyer, tender.public_id, expert.public_id)
            now = dt.datetime.now(dt.UTC)
            for n in range(count):
                sample = json.loads(json.dumps(samples[n % len(samples)]))
                company = f"{sample['facts']['company_name']}-{count}-{n}"
                sample["facts"]["company_name"] = company
                vendor = User(
                    email=f"v{count}-{n}@results.cn",
                    name=company,
                    role="vendor",
                    password_hash="x",
                    vendor_profile=VendorProfile(company_name=company),
                )
                bid = Bid(tender=tender, vendor=vendor)
                version_id = new_public_id()
                content = {
                    "bid": sample,
                    "document": {
                        "headings": [],
                        "missing_sections": [],
                        "stated_facts": {},
                        "mismatches": [],
                        "problems": [],
                    },
                }
                bid.versions.append(
                    BidVersion(
                        public_id=version_id,
                        number=1,
                        status="submitted",
                        tender_version=1,
                        sealed_data=storage.seal_json(content, f"bid_version:{version_id}"),
                        submitted_at=now - dt.timedelta(minutes=40),
                    )
                )
                db.session.add(bid)
            tender.published_at = now - dt.timedelta(hours=2)
            tender.bid_deadline = now - dt.timedelta(minutes=30)
            tender.opening_time = now - dt.timedelta(minutes=1)
            db.session.commit()
            started = time.perf_counter()
            opening_service.open_bids(buyer, tender.public_id)
            opening = time.perf_counter() - started
            page, page_queries = timed_get(
                client, counter, f"/results/{tender.public_id}", repeat=3 if count < 5000 else 1
            )
            started = time.perf_counter()
            response = client.get(f"/results/{tender.public_id}/report.xlsx")
            report = time.perf_counter() - started
            assert response.status_code == 200 and response.data[:2] == b"PK"
            first.setdefault("page", page / count)
            first.setdefault("report", report / count)
            print(
                f"{count:>6} bids: opening {opening:6.2f} s; results page {page:6.2f} s "
                f"({page / count * 1e3:5.2f} ms a bid, ×{page / count / first['page']:4.2f}), {page_queries} SQL; "
                f"Excel report {report:6.2f} s ({report / count * 1e3:5.2f} ms a bid, "
                f"×{report / count / first['report']:4.2f})"
            )


# --------------------------------------------------------------------------- 3. tender lists


def tender_lists(app, db) -> None:
    from tender.models import Tender, User

    print("\n== 3. tender lists, 100 → 1,000 → 10,000 tenders (25 a page) ==")
    now = dt.datetime.now(dt.UTC)
    with app.app_context():
        buyer = User(email="buyer-list@bench.cn", name="Buyer", role="buyer", locale="en")
        vendor = User(email="vendor-list@bench.cn", name="Vendor", role="vendor", locale="en")
        for user in (buyer, vendor):
            user.set_password("bench-password")
        db.session.add_all([buyer, vendor])
        db.session.commit()
        counter = QueryCounter(db.engine)
        buyer_client, vendor_client = app.test_client(), app.test_client()
        buyer_client.post("/auth/login", data={"email": buyer.email, "password": "bench-password"})
        vendor_client.post("/auth/login", data={"email": vendor.email, "password": "bench-password"})
        have, first = 0, {}
        for count in (100, 1000, 10000):
            rows = []
            for n in range(have, count):
                deadline = now + dt.timedelta(days=(n % 60) - 20, minutes=n)  # a third already closed
                rows.append(
                    {
                        "public_id": secrets.token_urlsafe(12),
                        "owner_id": buyer.id,
                        "status": "closed" if deadline <= now else "published",
                        "title": f"招标项目 {n}",
                        "buyer_name": "Bench",
                        "definition_json": "{}",
                        "version": 1,
                        "bid_deadline": deadline,
                        "opening_time": deadline + dt.timedelta(minutes=30),
                        "created_at": now - dt.timedelta(minutes=n),
                        "updated_at": now,
                        "published_at": now - dt.timedelta(days=30),
                    }
                )
            db.session.execute(Tender.__table__.insert(), rows)
            db.session.commit()
            have = count
            pages = (count + 24) // 25
            line = []
            for label, client, path in (
                ("buyer", buyer_client, "/buyer/tenders/"),
                ("vendor", vendor_client, "/vendor/tenders"),
            ):
                for page in (1, pages):
                    seconds, queries = timed_get(client, counter, f"{path}?page={page}")
                    key = (label, page == 1)
                    first.setdefault(key, seconds)
                    line.append(
                        f"{label} p.{page}: {seconds * 1000:5.1f} ms (×{seconds / first[key]:4.2f}), {queries} SQL"
                    )
            print(f"{count:>6} tenders: " + "; ".join(line))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="maintenance URL of a PostgreSQL server (a database is made and dropped)")
    parser.add_argument("--skip", nargs="*", default=[], choices=("workbook", "evaluation", "page", "results", "lists"))
    parser.add_argument("--results-sizes", nargs="*", type=int, default=[50, 500, 5000])
    args = parser.parse_args(argv)
    if "workbook" not in args.skip:
        workbook_reading()
    if "evaluation" not in args.skip:
        evaluation_growth()
    if {"page", "results", "lists"} - set(args.skip):
        with tempfile.TemporaryDirectory() as folder:
            app, cleanup, db = make_app(args.postgres, Path(folder))
            print(f"\n(database: {'PostgreSQL' if args.postgres else 'SQLite'})")
            try:
                if "page" not in args.skip:
                    tender_page_growth(app, db)
                if "results" not in args.skip:
                    results_page_growth(app, db, args.results_sizes)
                if "lists" not in args.skip:
                    tender_lists(app, db)
            finally:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()
                cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
