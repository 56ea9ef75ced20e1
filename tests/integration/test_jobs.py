"""Background jobs through a real RQ worker on the Redis of this machine, and in-process.

Each test run uses its own queue name (``tender-test-<random>``), emptied and deleted at
the end. The worker is a real ``rq worker --burst`` process configured like a second
server: the same database URL and ``TENDER_DATA_KEY``, nothing else shared.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tender.jobs import queue as jobs
from tender.models import BidVersion
from tender.platform.extensions import db
from tests.integration import job_samples  # noqa: F401  (registers the sample jobs here too)
from tests.integration.conftest import app_config, empty_tables, make_user, prepare_schema
from tests.integration.helpers import document_file, published, quote_file

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PROJECT = Path(__file__).resolve().parents[2]


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        connection.ping()
    except RedisDown:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: CI runs the job tests on it")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return connection


@pytest.fixture(scope="session")
def queue_name():
    """This run's own queue, deleted with its jobs and registries at the end."""
    connection = _redis_or_skip()
    name = f"tender-test-{secrets.token_hex(4)}"
    yield name
    from rq import Queue

    Queue(name, connection=connection).delete(delete_jobs=True)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


@pytest.fixture
def queue_app(tmp_path, queue_name):
    from tender import create_app

    app = create_app(app_config(tmp_path, REDIS_URL=REDIS_URL, RQ_QUEUE=queue_name, JOB_WORKBOOK_BYTES=0))
    with app.app_context():
        prepare_schema(app)
        yield app
        empty_tables(app)


def run_worker(app) -> str:
    """Run a real RQ worker until the queue is empty; its output, for failure messages."""
    db.session.commit()  # nothing of the test's may hold the database while the worker writes
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "TENDER_DATA_KEY": app.config["TENDER_DATA_KEY"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "TENDER_INSTANCE_PATH": app.instance_path,
        "TENDER_JOB_MODULES": "tests.integration.job_samples",
        "PYTHONPATH": str(PROJECT),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rq.cli",
            "worker",
            "--burst",
            "--url",
            REDIS_URL,
            "--logging_level",
            "WARNING",
            app.config["RQ_QUEUE"],
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    return done.stderr


def status_json(client, job) -> dict:
    response = client.get(f"/jobs/{job.public_id}/status")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_a_queued_job_waits_then_a_real_worker_runs_it_with_progress_and_a_file(queue_app):
    from redis import Redis
    from rq import Queue

    client = queue_app.test_client()
    buyer = make_user("buyer", "buyer@example.cn")
    job = jobs.enqueue(buyer, "count_to_ten", {"label": "ten"})
    client.post("/auth/login", data={"email": buyer.email, "password": "correct horse 42"})
    waiting = status_json(client, job)
    assert waiting["status"] == "queued" and waiting["progress"] == 0 and waiting["file_url"] is None
    page = client.get(f"/jobs/{job.public_id}").get_data(as_text=True)
    assert '<progress id="job-progress" max="100" value="0">' in page and "job_status.js" in page

    run_worker(queue_app)

    done = status_json(client, job)
    assert done["status"] == "finished" and done["progress"] == 100 and done["note"] == "step 10 of 10"
    assert done["file_url"] == f"/jobs/{job.public_id}/file" and done["filename"] == "ten.txt"
    download = client.get(done["file_url"])
    assert download.status_code == 200 and download.data == b"ten for buyer@example.cn"
    rq_job = Queue(queue_app.config["RQ_QUEUE"], connection=Redis.from_url(REDIS_URL)).fetch_job(job.rq_id)
    assert rq_job.meta == {"progress": 100, "note": "step 10 of 10"}  # the progress meta RQ keeps too
    assert db.session.get(jobs.Job, job.id).sealed_result[:5] == b"TNDR\x01"  # sealed like bid files


def test_a_failed_job_says_why_and_a_retry_runs_it_again(queue_app, tmp_path):
    client = queue_app.test_client()
    buyer = make_user("buyer", "buyer@example.cn")
    job = jobs.enqueue(buyer, "fails_first_time", {"marker": str(tmp_path / "marker")})
    run_worker(queue_app)
    client.post("/auth/login", data={"email": buyer.email, "password": "correct horse 42"})
    failed = status_json(client, job)
    assert failed["status"] == "failed" and failed["file_url"] is None
    assert "ConnectionError: the ledger service did not answer" in failed["error"]
    page = client.get(f"/jobs/{job.public_id}").get_data(as_text=True)
    assert "the ledger service did not answer" in page and f'action="/jobs/{job.public_id}/retry"' in page

    assert client.post(f"/jobs/{job.public_id}/retry").status_code == 302
    assert status_json(client, job)["status"] == "queued"
    run_worker(queue_app)
    retried = status_json(client, job)
    assert retried["status"] == "finished" and retried["error"] is None and retried["attempts"] == 2
    assert client.get(retried["file_url"]).data == b"second time lucky"


def test_only_the_user_who_asked_sees_a_job(queue_app):
    client = queue_app.test_client()
    owner, other = make_user("buyer", "buyer@example.cn"), make_user("buyer", "other@example.cn")
    job = jobs.enqueue(owner, "count_to_ten", {"label": "mine"})
    run_worker(queue_app)
    client.post("/auth/login", data={"email": other.email, "password": "correct horse 42"})
    for path in ("", "/status", "/file"):
        assert client.get(f"/jobs/{job.public_id}{path}").status_code == 404
    assert client.post(f"/jobs/{job.public_id}/retry").status_code == 404


def test_a_large_price_sheet_is_read_by_the_worker_and_leads_to_the_preview(queue_app):
    """With a queue, a price sheet over ``JOB_WORKBOOK_BYTES`` (0 here) is read off the request."""
    client = queue_app.test_client()
    buyer, vendor = make_user("buyer", "buyer@example.cn"), make_user("vendor", "vendor@example.cn")
    tender = published(buyer)
    client.post("/auth/login", data={"email": vendor.email, "password": "correct horse 42"})
    response = client.post(
        f"/vendor/tenders/{tender.public_id}/bid",
        content_type="multipart/form-data",
        data={
            "quote": (io.BytesIO(quote_file(tender)), "报价单.xlsx"),
            "document": (io.BytesIO(document_file(tender)), "投标文件.docx"),
        },
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/jobs/")
    assert BidVersion.query.count() == 0  # nothing read yet: the worker reads it
    job_page = response.headers["Location"]

    run_worker(queue_app)

    done = json.loads(client.get(job_page + "/status").get_data(as_text=True))
    assert done["status"] == "finished", done
    version = BidVersion.query.one()
    assert version.status == "preview" and done["next_url"] == f"/vendor/submissions/{version.public_id}"
    preview = client.get(done["next_url"]).get_data(as_text=True)
    assert "52,266.67" in preview  # the sample bid's monthly cost, read by the worker


def test_an_upload_queued_before_the_deadline_is_judged_by_its_arrival_not_by_the_worker(queue_app):
    """The deadline passes while the upload waits in the queue: the worker still takes it,
    with the time the request reached the web app (the job carries it)."""
    import datetime as dt

    client = queue_app.test_client()
    buyer, vendor = make_user("buyer", "buyer@example.cn"), make_user("vendor", "vendor@example.cn")
    tender = published(buyer)
    client.post("/auth/login", data={"email": vendor.email, "password": "correct horse 42"})
    response = client.post(
        f"/vendor/tenders/{tender.public_id}/bid",
        content_type="multipart/form-data",
        data={
            "quote": (io.BytesIO(quote_file(tender)), "报价单.xlsx"),
            "document": (io.BytesIO(document_file(tender)), "投标文件.docx"),
        },
    )
    sent = dt.datetime.now(dt.UTC)
    assert response.headers["Location"].startswith("/jobs/")
    # Before the worker gets to it, the deadline passes (published a day before it).
    tender.bid_deadline = sent + dt.timedelta(milliseconds=200)
    tender.published_at = tender.bid_deadline - dt.timedelta(days=1)
    tender.opening_time = tender.bid_deadline + dt.timedelta(minutes=30)
    db.session.commit()
    while dt.datetime.now(dt.UTC) <= tender.bid_deadline:
        pass

    run_worker(queue_app)

    done = json.loads(client.get(response.headers["Location"] + "/status").get_data(as_text=True))
    assert done["status"] == "finished", done
    version = BidVersion.query.one()
    assert version.status == "preview"
    assert version.created_at <= sent < tender.bid_deadline  # received when the request arrived


def test_without_redis_a_job_runs_in_process_before_the_request_returns(app, client, auth, users):
    job = jobs.enqueue(users["buyer"], "count_to_ten", {"label": "here"})
    assert job.status == "finished" and job.rq_id is None
    auth.login(users["buyer"])
    assert client.get(f"/jobs/{job.public_id}/file").data == b"here for buyer@example.cn"
