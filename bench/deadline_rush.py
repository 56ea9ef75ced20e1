"""Deadline rush: many vendors submit in the last seconds; nothing accepted may be lost.

    .venv/bin/python bench/deadline_rush.py                 # PostgreSQL × 4 workers, then SQLite × 1
    .venv/bin/python bench/deadline_rush.py --only postgres --vendors 200 --window 30
    .venv/bin/python bench/deadline_rush.py --only postgres --vendors 400 --window 30   # twice the load

For each backend it makes a fresh database (PostgreSQL: ``tender_rush_<random>`` on the
server of ``--postgres``, dropped at the end; SQLite: a file in a temporary folder),
migrates it with ``flask db upgrade``, adds a buyer, a published tender and the vendor
accounts, and starts gunicorn as the README documents it — ``gunicorn -w N --threads T
-k tender.platform.gunicorn_workers.ThreadWorker 'tender:create_app()'`` (threaded workers that note
when each request reached the process, so a request waiting for a free thread is still
judged by its arrival; ``--threads 1`` gives the old synchronous workers) — on a free
loopback port, with ``TENDER_SERVER_TIMING=1`` so each response says where its time
went.
Every vendor signs in beforehand. Then the vendors start one after another, evenly over
``--window`` seconds, each sending through the real routes, with CSRF on:

    POST /vendor/tenders/<id>/bid   a filled price sheet (tender/demo/files.py) + a ~1 MB .docx
    POST /vendor/submissions/<id>/confirm

with the tender's deadline in the middle of the window. Afterwards the script checks,
from the database and the sealed files, that every bid the server accepted is there, in
one submitted version, with its files whole (decrypted, same size and SHA-256 as sent and
as printed on the receipt), received before the deadline, its receipt's audit head in an
intact chain; that every vendor who sent its upload before the deadline has a submitted
bid (a busy server must not make it lose its bid), and every one who sent it after was
told the deadline had passed and has none; and that nothing else was stored (the only
other rows are previews whose confirmation came too late). It prints accepted/refused
counts (by whether the upload was sent before the deadline), latency percentiles of a
whole submission (upload + confirm), the throughput, and the split of a submission's
time: each phase the server measured (waiting for a turn to read, checking and reading
the files, the preview, sealing, storing, waiting for and holding the audit chain's lock,
the commit; "app, other" is the rest: the multipart body parsed by the CSRF check, the
session, the redirect) and what was spent outside the application (queues, transfer).

All traffic goes to 127.0.0.1; every request has a timeout and the run a time limit.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PASSWORD = "rush-password-42"
REQUEST_TIMEOUT = 120.0
DEADLINE_TEXT = "has passed"  # "The bid deadline (…) has passed: bids can no longer be submitted…"
# An upload sent before the deadline that reaches the application after it is refused
# rightly if it was in flight (client, loopback, accept: a few ms); one that waited longer
# than this was held in a queue, which must not happen.
ARRIVAL_LAG_LIMIT = 0.25
WORKER_CLASS = "tender.platform.gunicorn_workers.ThreadWorker"  # gthread, noting each request's arrival


# --------------------------------------------------------------------------- files


def noise_png(size: int, seed: int) -> bytes:
    """A PNG of random pixels: ~``size`` bytes that do not compress."""
    rng = random.Random(seed)
    side = int((size / 3) ** 0.5)
    raw = b"".join(b"\x00" + rng.randbytes(side * 3) for _ in range(side))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 1))
        + chunk(b"IEND", b"")
    )


def bid_files(definition: dict, tender_id: str, version: int, company: str, index: int) -> tuple[bytes, bytes]:
    """A filled price sheet (a sample bid under this vendor's name) and a ~1 MB bid document."""
    import docx

    from tender.demo.files import fill_quote, make_bid_document
    from tender.documents.quote_template import build_quote_template

    samples = sorted((ROOT / "samples" / "bids").glob("*.json"))
    bid = json.loads(samples[index % len(samples)].read_text(encoding="utf-8"))
    bid["facts"]["company_name"] = company
    template = build_quote_template(definition, tender_id=tender_id, version=version)
    quote = fill_quote(template, bid)
    document = docx.Document(io.BytesIO(make_bid_document(definition.get("required_sections") or [], bid["facts"])))
    document.add_paragraph("附件：现场照片")
    document.add_picture(io.BytesIO(noise_png(1_000_000, index)))
    out = io.BytesIO()
    document.save(out)
    return quote, out.getvalue()


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Backend:
    name: str
    workers: int
    url: str
    env: dict
    cleanup: callable
    threads: int = 1


def make_backend(kind: str, workers: int, postgres: str, folder: Path, threads: int = 1) -> Backend:
    from tender.platform.storage import generate_key

    env = {
        **os.environ,
        "TENDER_DATA_KEY": generate_key(),
        "TENDER_AUDIT_KEY": generate_key(),
        "SECRET_KEY": secrets.token_hex(16),
        "TENDER_INSTANCE_PATH": str(folder / "instance"),
        "PYTHONPATH": str(ROOT),
        "TENDER_SERVER_TIMING": "1",
        "TENDER_COOKIE_SECURE": "0",
    }  # plain http on loopback
    env.pop("REDIS_URL", None)
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'rush.sqlite'}"
        return Backend("SQLite", workers, url, {**env, "DATABASE_URL": url}, lambda: None, threads)
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from tender.platform.config import normalize_database_url

    admin_url = make_url(normalize_database_url(postgres))
    name = f"tender_rush_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return Backend("PostgreSQL", workers, url, {**env, "DATABASE_URL": url}, drop, threads)


def start_gunicorn(backend: Backend, port: int, log: Path) -> subprocess.Popen:
    handle = log.open("w")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            str(backend.workers),
            "--threads",
            str(backend.threads),
            *(["-k", WORKER_CLASS] if backend.threads > 1 else []),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--backlog",
            "512",
            "tender:create_app()",
        ],
        cwd=ROOT,
        env=backend.env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/auth/login", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}; see {log}")


# --------------------------------------------------------------------------- vendors

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Vendor:
    email: str
    company: str
    quote: bytes
    document: bytes
    client: httpx.Client | None = None
    token: str = ""
    outcome: str = ""  # accepted | refused_at_upload | refused_at_confirm | error: …
    message: str = ""
    submission: str = ""
    receipt: dict = field(default_factory=dict)
    started: float = 0.0
    finished: float = 0.0
    sent_at: float = 0.0  # wall clock (time.time()) when the upload request was sent
    upload_received: float = 0.0  # when the application received it (its time of receipt, from the audit trail)
    timings: list = field(default_factory=list)  # (request, latency s, {phase: ms}) per request


def sign_in(base: str, vendor: Vendor) -> None:
    client = httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT, follow_redirects=False)
    page = client.get("/auth/login").text
    token = CSRF.search(page).group(1)
    answer = client.post("/auth/login", data={"email": vendor.email, "password": PASSWORD, "csrf_token": token})
    if answer.status_code != 302:
        raise SystemExit(f"{vendor.email} could not sign in ({answer.status_code})")
    vendor.client, vendor.token = client, CSRF.search(client.get("/vendor/tenders").text).group(1)


def flashed(client: httpx.Client, location: str) -> str:
    page = client.get(location).text
    match = re.search(r'<div class="alert alert-\w+" role="alert">(.*?)</div>', page, re.S)
    return match.group(1).strip() if match else ""


def server_timing(response: httpx.Response) -> dict:
    """``Server-Timing: app;dur=12.3, quote;dur=4.5`` → {"app": 12.3, "quote": 4.5} (ms)."""
    phases = {}
    for part in response.headers.get("Server-Timing", "").split(","):
        name, _, duration = part.strip().partition(";dur=")
        if name and duration:
            phases[name] = phases.get(name, 0.0) + float(duration)
    return phases


def submit(vendor: Vendor, tender_id: str) -> None:
    client = vendor.client
    vendor.started = time.perf_counter()
    vendor.sent_at = time.time()
    try:
        upload = client.post(
            f"/vendor/tenders/{tender_id}/bid",
            data={"csrf_token": vendor.token},
            files={"quote": ("报价单.xlsx", vendor.quote), "document": ("投标文件.docx", vendor.document)},
        )
        vendor.timings.append(("upload", time.perf_counter() - vendor.started, server_timing(upload)))
        location = upload.headers.get("Location", "")
        if upload.status_code != 302 or "/vendor/submissions/" not in location:
            vendor.outcome = "refused_at_upload"
            vendor.message = flashed(client, location) if upload.status_code == 302 else f"HTTP {upload.status_code}"
            return
        vendor.submission = location.rstrip("/").rsplit("/", 1)[1]
        sent = time.perf_counter()
        confirm = client.post(f"/vendor/submissions/{vendor.submission}/confirm", data={"csrf_token": vendor.token})
        vendor.timings.append(("confirm", time.perf_counter() - sent, server_timing(confirm)))
        location = confirm.headers.get("Location", "")
        if confirm.status_code == 302 and location.endswith("/receipt"):
            vendor.outcome = "accepted"
        else:
            vendor.outcome = "refused_at_confirm"
            vendor.message = flashed(client, location) if confirm.status_code == 302 else f"HTTP {confirm.status_code}"
    except httpx.HTTPError as error:
        vendor.outcome, vendor.message = "error", f"{type(error).__name__}: {error}"
    finally:
        vendor.finished = time.perf_counter()
    if vendor.outcome == "accepted":  # the receipt, read after the clock stopped
        vendor.receipt = client.get(f"/vendor/submissions/{vendor.submission}/receipt.json").json()


# --------------------------------------------------------------------------- the run


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def run(kind: str, workers: int, vendors_count: int, window: float, postgres: str, threads: int = 1) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"rush-{kind}-"))
    backend = make_backend(kind, workers, postgres, folder, threads)
    server = None
    try:
        subprocess.run(
            [str(BIN / "flask"), "--app", "tender", "db", "upgrade"],
            cwd=ROOT,
            env=backend.env,
            check=True,
            capture_output=True,
        )
        app, tender_id, vendors = seed(backend, vendors_count)
        port = free_port()
        server = start_gunicorn(backend, port, folder / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        with futures.ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda v: sign_in(base, v), vendors))
        rush_start = time.perf_counter()
        deadline = set_deadline(app, tender_id, window / 2)
        threads = []
        for index, vendor in enumerate(vendors):
            delay = rush_start + index * window / len(vendors) - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            thread = threading.Thread(target=submit, args=(vendor, tender_id))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT * 3)
        elapsed = time.perf_counter() - rush_start
        problems = verify(app, tender_id, deadline, vendors)
        return report(backend, vendors, elapsed, window, problems, deadline)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        backend.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def app_for(backend: Backend):
    from tender import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": backend.url,
            "TENDER_DATA_KEY": backend.env["TENDER_DATA_KEY"],
            "TENDER_AUDIT_KEY": backend.env["TENDER_AUDIT_KEY"],
            "SECRET_KEY": backend.env["SECRET_KEY"],
            "INSTANCE_PATH": backend.env["TENDER_INSTANCE_PATH"],
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )


def seed(backend: Backend, count: int):
    """A buyer, a published tender and ``count`` vendor accounts, each with its own files."""
    from tender.models import User, VendorProfile
    from tender.platform.extensions import db
    from tender.services import tenders as tender_service
    from tests.integration.helpers import definition

    app = app_for(backend)
    with app.app_context():
        buyer = User(email="buyer@rush.cn", name="Buyer", role="buyer", locale="en")
        buyer.set_password(PASSWORD)
        db.session.add(buyer)
        db.session.commit()
        tender = tender_service.publish(buyer, tender_service.save_draft(buyer, definition(days=1)))
        tender_id, spec, version = tender.public_id, tender.definition(), tender.version
        vendors = []
        for n in range(count):
            company = f"第{n + 1:03d}号客服外包有限公司"
            user = User(email=f"vendor{n + 1:03d}@rush.cn", name=f"Vendor {n + 1}", role="vendor", locale="en")
            user.set_password(PASSWORD)
            user.vendor_profile = VendorProfile(company_name=company)
            user.vendor_profile.facts = {"company_name": company}
            db.session.add(user)
            quote, document = bid_files(spec, tender_id, version, company, n)
            vendors.append(Vendor(user.email, company, quote, document))
        db.session.commit()
    return app, tender_id, vendors


def set_deadline(app, tender_id: str, seconds: float) -> dt.datetime:
    from tender.models import Tender, utcnow
    from tender.platform.extensions import db

    with app.app_context():
        tender = Tender.query.filter_by(public_id=tender_id).one()
        tender.bid_deadline = utcnow() + dt.timedelta(seconds=seconds)
        tender.opening_time = tender.bid_deadline + dt.timedelta(minutes=30)
        db.session.commit()
        return tender.bid_deadline


def verify(app, tender_id: str, deadline: dt.datetime, vendors: list[Vendor]) -> list[str]:
    """Every accepted bid whole and on time; every refusal said why; nothing else stored."""
    from tender.models import Bid, BidVersion, StoredFile, Tender
    from tender.platform import audit, storage

    problems: list[str] = []
    by_email = {v.email: v for v in vendors}
    with app.app_context():
        tender = Tender.query.filter_by(public_id=tender_id).one()
        chain = audit.verify()
        if not chain.ok:
            problems.append(f"audit chain broken at {chain.broken_seq}: {chain.reason}")
        chain_hashes = {r.hash for r in audit.AuditRecord.query.with_entities(audit.AuditRecord.hash)}
        stored_versions = 0
        for version in BidVersion.query.join(Bid).filter(Bid.tender_id == tender.id):
            stored_versions += 1
            vendor = by_email[version.bid.vendor.email]
            if version.status == "submitted":
                if vendor.outcome != "accepted" or vendor.submission != version.public_id:
                    problems.append(f"{vendor.email}: a submitted version the vendor was not told was accepted")
                    continue
                if not version.submitted_at < deadline:
                    problems.append(
                        f"{vendor.email}: submitted at {version.submitted_at} after the deadline {deadline}"
                    )
                if version.audit_head != vendor.receipt.get("audit_head") or version.audit_head not in chain_hashes:
                    problems.append(f"{vendor.email}: receipt's audit head not in the chain")
                sent = {"quote": vendor.quote, "document": vendor.document}
                printed = {f["kind"]: f for f in vendor.receipt.get("files", [])}
                for stored in version.files:
                    data = storage.unseal(stored.blob, f"file:{stored.public_id}")
                    digest = hashlib.sha256(data).hexdigest()
                    if data != sent[stored.kind] or digest != stored.sha256 or stored.size != len(data):
                        problems.append(f"{vendor.email}: stored {stored.kind} differs from what was sent")
                    if printed.get(stored.kind, {}).get("sha256") != digest:
                        problems.append(f"{vendor.email}: receipt hash of {stored.kind} does not match the file")
                if sorted(f.kind for f in version.files) != ["document", "quote"]:
                    problems.append(f"{vendor.email}: files missing from the submitted version")
            elif version.status == "preview":
                if vendor.outcome != "refused_at_confirm" or vendor.submission != version.public_id:
                    problems.append(f"{vendor.email}: a preview left by a vendor whose bid was not refused at confirm")
            else:
                problems.append(f"{vendor.email}: unexpected version status {version.status}")
        accepted = [v for v in vendors if v.outcome == "accepted"]
        submitted = (
            BidVersion.query.join(Bid).filter(Bid.tender_id == tender.id, BidVersion.status == "submitted").count()
        )
        if submitted != len(accepted):
            problems.append(f"{len(accepted)} bids accepted but {submitted} submitted versions stored")
        refused = [v for v in vendors if v.outcome.startswith("refused")]
        for vendor in refused:
            if DEADLINE_TEXT not in vendor.message:
                problems.append(f"{vendor.email}: refused without the deadline message: {vendor.message[:120]!r}")
        late_records = audit.AuditRecord.query.filter_by(action="bid_refused_late").count()
        if late_records != len(refused):
            problems.append(f"{len(refused)} refusals but {late_records} bid_refused_late audit records")
        for vendor in vendors:
            if vendor.outcome == "error" or not vendor.outcome:
                problems.append(f"{vendor.email}: {vendor.message or 'no answer'}")
        # When each upload reached the application (its time of receipt, from the audit trail).
        for record in audit.AuditRecord.query.filter(
            audit.AuditRecord.action.in_(("bid_uploaded", "bid_refused_late"))
        ):
            details, email = record.details, record.actor.split(" ")[0]
            if email in by_email and (record.action == "bid_uploaded" or details.get("attempt") == "upload"):
                by_email[email].upload_received = dt.datetime.fromisoformat(
                    details.get("received_at") or details["at"]
                ).timestamp()
        for vendor in vendors:
            if not vendor.upload_received:
                continue
            lag = vendor.upload_received - vendor.sent_at
            received_in_time = vendor.upload_received < deadline.timestamp()
            if received_in_time and vendor.outcome != "accepted":
                problems.append(
                    f"{vendor.email}: its upload reached the application "
                    f"{deadline.timestamp() - vendor.upload_received:.3f} s before the deadline, "
                    f"but it was {vendor.outcome.replace('_', ' ')}"
                )
            if not received_in_time and vendor.outcome == "accepted":
                problems.append(
                    f"{vendor.email}: its upload reached the application after the deadline, but it was accepted"
                )
            if vendor.sent_at < deadline.timestamp() and not received_in_time and lag > ARRIVAL_LAG_LIMIT:
                problems.append(
                    f"{vendor.email}: sent its upload before the deadline but it waited {lag:.2f} s "
                    "before reaching the application (a queue), which was after the deadline"
                )
        files = StoredFile.query.join(BidVersion).join(Bid).filter(Bid.tender_id == tender.id).count()
        if files != 2 * stored_versions or StoredFile.query.count() != files:
            problems.append(f"{StoredFile.query.count()} stored files for {stored_versions} versions")
    return problems


def split(vendors: list[Vendor]) -> list[str]:
    """Where the time of uploads and confirmations went, by phase: mean and p95 (ms)."""
    lines = []
    for kind in ("upload", "confirm"):
        samples = [
            (latency, phases)
            for v in vendors
            if v.outcome == "accepted"
            for request, latency, phases in v.timings
            if request == kind and phases
        ]
        if not samples:
            continue
        names = []
        for _latency, phases in samples:
            names += [n for n in phases if n not in names and n != "app"]
        columns = [
            ("client", [latency * 1000 for latency, _ in samples]),
            ("app", [phases.get("app", 0.0) for _, phases in samples]),
            ("outside app", [latency * 1000 - phases.get("app", 0.0) for latency, phases in samples]),
        ]
        columns += [(name, [phases.get(name, 0.0) for _, phases in samples]) for name in names]
        columns.append(
            (
                "app, other",
                [phases.get("app", 0.0) - sum(v for n, v in phases.items() if n != "app") for _, phases in samples],
            )
        )
        lines.append(
            f"  {kind} ({len(samples)} accepted), ms: "
            + ", ".join(
                f"{name} {sum(values) / len(values):.0f}/{percentile(values, 0.95):.0f}" for name, values in columns
            )
        )
    return lines


def report(
    backend: Backend, vendors: list[Vendor], elapsed: float, window: float, problems: list[str], deadline: dt.datetime
) -> dict:
    accepted = [v for v in vendors if v.outcome == "accepted"]
    refused = [v for v in vendors if v.outcome.startswith("refused")]
    in_time = [v for v in vendors if v.sent_at < deadline.timestamp()]
    in_flight = [v for v in in_time if v.upload_received >= deadline.timestamp()]
    lags = [(v.upload_received - v.sent_at) * 1000 for v in vendors if v.upload_received]
    latencies = [v.finished - v.started for v in vendors if v.finished]
    accepted_latencies = [v.finished - v.started for v in accepted]
    mb = sum(len(v.quote) + len(v.document) for v in vendors) / 1e6
    figures = {
        "backend": backend.name,
        "workers": backend.workers,
        "vendors": len(vendors),
        "accepted": len(accepted),
        "refused": len(refused),
        "refused_at_upload": sum(v.outcome == "refused_at_upload" for v in vendors),
        "refused_at_confirm": sum(v.outcome == "refused_at_confirm" for v in vendors),
        "errors": sum(v.outcome in ("", "error") for v in vendors),
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "accepted_p50": percentile(accepted_latencies, 0.5) if accepted else float("nan"),
        "elapsed": elapsed,
        "submissions_per_s": len(latencies) / elapsed,
        "accepted_per_s_before_deadline": len(accepted) / (window / 2),
        "upload_mb": mb,
        "sent_in_time": len(in_time),
        "in_time_accepted": sum(v.outcome == "accepted" for v in in_time),
        "in_time_refused": sum(v.outcome.startswith("refused") for v in in_time),
        "in_flight": len(in_flight),
        "received_in_time": sum(v.upload_received < deadline.timestamp() for v in vendors if v.upload_received),
        "problems": problems,
    }
    print(
        f"\n== {backend.name}, gunicorn -w {backend.workers} --threads {backend.threads}: {len(vendors)} vendors "
        f"over {window:.0f} s, deadline at {window / 2:.0f} s (load average {os.getloadavg()[0]:.1f}, "
        f"{os.cpu_count()} cores) =="
    )
    print(
        f"uploads that reached the application before the deadline: {figures['received_in_time']}, every one "
        f"accepted: {'yes' if figures['received_in_time'] == figures['accepted'] else 'NO'}"
    )
    print(
        f"sent before the deadline: {figures['sent_in_time']}; accepted {figures['in_time_accepted']}, refused "
        f"{figures['in_time_refused']}"
        + (
            f" (in flight at the deadline: sent "
            f"{', '.join(f'{(deadline.timestamp() - v.sent_at) * 1000:.0f}' for v in in_flight)} ms before it, "
            f"reached the application after it)"
            if in_flight
            else ""
        )
    )
    if lags:
        print(
            f"from sending an upload to the application receiving it: p50 {percentile(lags, 0.5):.0f} ms, "
            f"p95 {percentile(lags, 0.95):.0f} ms, max {max(lags):.0f} ms"
        )
    print(
        f"accepted {figures['accepted']}, refused {figures['refused']} "
        f"(at upload {figures['refused_at_upload']}, at confirm {figures['refused_at_confirm']}), "
        f"errors {figures['errors']}"
    )
    print(
        f"latency of a submission (upload + confirm): p50 {figures['p50']:.2f} s, p95 {figures['p95']:.2f} s, "
        f"p99 {figures['p99']:.2f} s (accepted ones: p50 {figures['accepted_p50']:.2f} s)"
    )
    print(
        f"throughput {figures['submissions_per_s']:.1f} submissions/s ({mb:.0f} MB sent in {elapsed:.1f} s); "
        f"{figures['accepted_per_s_before_deadline']:.1f} bids/s accepted before the deadline"
    )
    print(
        "where the time went (mean/p95; 'client' is what the vendor waited, 'outside app' the queue and "
        "transfer before and after the application):"
    )
    for line in split(vendors):
        print(line)
    print(
        "verification: "
        + (
            "every accepted bid stored whole with a matching receipt; every vendor that sent "
            "its upload before the deadline has its bid; every refusal said the deadline had passed; "
            "nothing else stored"
            if not problems
            else f"{len(problems)} PROBLEMS:\n  " + "\n  ".join(problems[:30])
        )
    )
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("postgres", "sqlite"))
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--window", type=float, default=30.0, help="seconds over which vendors start")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers on PostgreSQL (SQLite: 1)")
    parser.add_argument(
        "--threads",
        type=int,
        default=16,
        help="threads per gunicorn worker (gthread), as the README's command; 1: synchronous workers",
    )
    parser.add_argument(
        "--postgres", default=os.environ.get("RUSH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args(argv)
    results = []
    if args.only in (None, "postgres"):
        results.append(run("postgres", args.workers, args.vendors, args.window, args.postgres, args.threads))
    if args.only in (None, "sqlite"):
        results.append(run("sqlite", 1, args.vendors, args.window, args.postgres, args.threads))
    if len(results) == 2:
        pg, lite = results
        print(
            f"\nPostgreSQL × {pg['workers']} accepted {pg['accepted']} bids in the {args.window / 2:.0f} s before "
            f"the deadline, SQLite × 1 {lite['accepted']}; p95 {pg['p95']:.2f} s vs {lite['p95']:.2f} s."
        )
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
