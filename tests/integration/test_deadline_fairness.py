"""Deadline fairness: a bid is judged by when the vendor's request reached the server, not
by when a busy server got round to it; an upload received before the deadline may be
confirmed within the grace after it (120 s), and nothing received after the deadline or
confirmed after the grace counts.

The clock is controlled: the services take the time of receipt as ``now``; through the
routes, the server's clock (``tender.platform.request_time.clock``) is replaced, so the moment a
request arrives and the moment it is processed can differ as under load.
"""

from __future__ import annotations

import datetime as dt

import flask
import pytest

from tender.models import AuditRecord, BidVersion
from tender.platform import request_time
from tender.platform.extensions import db
from tender.platform.timefmt import show_time
from tender.services import DeadlinePassed, WrongState, opening
from tender.services import bids as bid_service
from tests.integration.helpers import document_file, published, quote_file, upload_data

SECOND = dt.timedelta(seconds=1)


def deadline_passed(tender, ago: dt.timedelta = dt.timedelta(seconds=30)) -> dt.datetime:
    """Move the deadline ``ago`` into the real past (published a day before it, the opening
    half an hour after it)."""
    tender.bid_deadline = (dt.datetime.now(dt.UTC) - ago).replace(microsecond=0)
    tender.published_at = tender.bid_deadline - dt.timedelta(days=1)
    tender.opening_time = tender.bid_deadline + dt.timedelta(minutes=30)
    db.session.commit()
    return tender.bid_deadline


def files(tender):
    return (
        bid_service.Upload("报价单.xlsx", quote_file(tender)),
        bid_service.Upload("投标文件.docx", document_file(tender)),
    )


# --------------------------------------------------------------------------- the services, at given times


def test_an_upload_received_1s_before_the_deadline_and_confirmed_5s_after_it_is_accepted(users):
    vendor = users["vendor"]
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    version = bid_service.upload(vendor, tender.public_id, *files(tender), now=deadline - SECOND)
    bid_service.confirm(vendor, version.public_id, now=deadline + 5 * SECOND)
    db.session.expire_all()
    version = BidVersion.query.one()
    assert version.status == "submitted"
    # Its time of receipt is when its files reached the server: 1 s before the deadline.
    assert version.submitted_at == deadline - SECOND
    receipt = bid_service.receipt(vendor, version)
    assert receipt["received_at"] == (deadline - SECOND).isoformat()
    record = AuditRecord.query.filter_by(action="bid_submitted").one()
    assert record.details["within_grace"] is True
    assert record.details["confirmed_at"] == (deadline + 5 * SECOND).isoformat()
    assert record.details["received_at"] == (deadline - SECOND).isoformat()


def test_an_upload_received_after_the_deadline_is_refused_and_audited(users):
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    with pytest.raises(DeadlinePassed):
        bid_service.upload(users["vendor"], tender.public_id, *files(tender), now=deadline + SECOND)
    assert BidVersion.query.count() == 0
    refused = AuditRecord.query.filter_by(action="bid_refused_late").one()
    assert refused.details["attempt"] == "upload" and refused.details["at"] == (deadline + SECOND).isoformat()


def test_a_confirmation_after_the_grace_is_refused(users):
    vendor = users["vendor"]
    tender = published(users["buyer"])
    deadline = deadline_passed(tender, ago=dt.timedelta(minutes=5))
    version = bid_service.upload(vendor, tender.public_id, *files(tender), now=deadline - SECOND)
    # 120 s of grace: 121 s after the deadline is too late, even for an upload made in time.
    with pytest.raises(DeadlinePassed):
        bid_service.confirm(vendor, version.public_id, now=deadline + 121 * SECOND)
    assert BidVersion.query.one().status == "preview"
    assert AuditRecord.query.filter_by(action="bid_refused_late").one().details["attempt"] == "confirm"


def test_the_grace_is_only_for_uploads_received_before_the_deadline(users, app):
    """An upload stamped exactly at the deadline was not received before it."""
    vendor = users["vendor"]
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    version = bid_service.upload(vendor, tender.public_id, *files(tender), now=deadline - SECOND)
    version.created_at = deadline  # as if its files had reached the server at the deadline itself
    db.session.commit()
    with pytest.raises(DeadlinePassed):
        bid_service.confirm(vendor, version.public_id, now=deadline + 5 * SECOND)


def test_the_grace_is_configurable(users, app):
    vendor = users["vendor"]
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    version = bid_service.upload(vendor, tender.public_id, *files(tender), now=deadline - SECOND)
    app.config["CONFIRM_GRACE_SECONDS"] = 3
    with pytest.raises(DeadlinePassed):
        bid_service.confirm(vendor, version.public_id, now=deadline + 5 * SECOND)


def test_withdrawing_has_no_grace(users):
    vendor = users["vendor"]
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    version = bid_service.upload(vendor, tender.public_id, *files(tender), now=deadline - 2 * SECOND)
    bid_service.confirm(vendor, version.public_id, now=deadline - SECOND)
    with pytest.raises(DeadlinePassed):
        bid_service.withdraw(vendor, version.bid.public_id, now=deadline + SECOND)
    assert BidVersion.query.one().status == "submitted"


def test_the_bids_are_not_opened_while_an_upload_may_still_be_confirmed(users):
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    tender.opening_time = deadline  # opening allowed at the deadline itself
    db.session.commit()
    grace_end = show_time(deadline + 120 * SECOND, seconds=True)  # deadline + 120 s, Asia/Shanghai
    assert grace_end in opening.opening_refusal(tender, deadline + 5 * SECOND)
    # 120 s after the deadline the grace is over: the only thing missing is the panel
    # (outside a request the message is in the default language, Chinese).
    after = opening.opening_refusal(tender, deadline + 120 * SECOND)
    assert grace_end not in after and "评标专家" in after


def test_a_confirmation_of_a_cancelled_tender_is_refused_even_within_the_grace(users):
    from tender.services import tenders as tender_service

    vendor = users["vendor"]
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    version = bid_service.upload(vendor, tender.public_id, *files(tender), now=deadline - SECOND)
    tender_service.cancel(users["buyer"], tender, "采购需求取消")
    with pytest.raises(WrongState):
        bid_service.confirm(vendor, version.public_id, now=deadline + 5 * SECOND)
    assert BidVersion.query.one().status == "preview"


# --------------------------------------------------------------------------- through the routes


class Clock:
    """The server's clock: each request reads it once, on arrival (the services never)."""

    def __init__(self, *times: dt.datetime):
        self.times = [t.timestamp() for t in times]

    def __call__(self) -> float:
        return self.times.pop(0) if len(self.times) > 1 else self.times[0]


def test_through_the_routes_the_deadline_is_judged_on_arrival_not_on_processing(client, auth, users, monkeypatch):
    """The upload arrives 1 s before the deadline but the server only processes it 30 s
    after (the deadline is in the real past); its confirmation arrives 5 s after the
    deadline. Both count, and the receipt says 1 s before the deadline."""
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    data = upload_data(tender)
    auth.login(users["vendor"])
    monkeypatch.setattr(request_time, "clock", Clock(deadline - SECOND))
    response = client.post(f"/vendor/tenders/{tender.public_id}/bid", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and "/vendor/submissions/" in response.headers["Location"], client.get(
        response.headers["Location"]
    ).get_data(as_text=True)[:2000]
    version_id = response.headers["Location"].rsplit("/", 1)[1]
    monkeypatch.setattr(request_time, "clock", Clock(deadline + 5 * SECOND))
    response = client.post(f"/vendor/submissions/{version_id}/confirm")
    assert response.status_code == 302 and response.headers["Location"].endswith("/receipt")
    receipt = client.get(f"/vendor/submissions/{version_id}/receipt.json").get_json()
    assert receipt["received_at"] == (deadline - SECOND).isoformat()


def test_through_the_routes_an_upload_arriving_after_the_deadline_is_refused(client, auth, users, monkeypatch):
    tender = published(users["buyer"])
    deadline = deadline_passed(tender)
    auth.login(users["vendor"])
    monkeypatch.setattr(request_time, "clock", Clock(deadline + SECOND))
    response = client.post(
        f"/vendor/tenders/{tender.public_id}/bid", data=upload_data(tender), content_type="multipart/form-data"
    )
    assert "has passed" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert BidVersion.query.count() == 0


def test_through_the_routes_a_confirmation_after_the_grace_is_refused(client, auth, users, monkeypatch):
    tender = published(users["buyer"])
    deadline = deadline_passed(tender, ago=dt.timedelta(minutes=5))
    auth.login(users["vendor"])
    monkeypatch.setattr(request_time, "clock", Clock(deadline - SECOND))
    version_id = (
        client.post(
            f"/vendor/tenders/{tender.public_id}/bid", data=upload_data(tender), content_type="multipart/form-data"
        )
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    monkeypatch.setattr(request_time, "clock", Clock(deadline + 3 * dt.timedelta(minutes=1)))
    response = client.post(f"/vendor/submissions/{version_id}/confirm")
    assert "has passed" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert BidVersion.query.one().status == "preview"


# --------------------------------------------------------------------------- behind a proxy


def stamp(app, environ: dict) -> float:
    """The time of receipt the app's outermost middleware gives a request."""
    layer = app.wsgi_app
    while not isinstance(layer, request_time.ArrivalStamp):
        layer = layer.app
    return layer.arrival(environ)


def test_the_proxys_request_start_header_is_used_only_when_configured(tmp_path, monkeypatch):
    from tender import create_app
    from tests.integration.conftest import app_config

    now = 1_780_000_000.0
    monkeypatch.setattr(request_time, "clock", lambda: now)
    environ = {"HTTP_X_REQUEST_START": f"t={now - 2.5:.3f}"}  # nginx: t=${msec}
    plain = create_app(app_config(tmp_path / "a"))
    assert stamp(plain, environ) == now  # off by default: a client could set the header itself
    behind = create_app(app_config(tmp_path / "b", REQUEST_START_HEADER="X-Request-Start"))
    assert stamp(behind, environ) == pytest.approx(now - 2.5)
    # milliseconds and microseconds since the epoch are recognised by their size
    assert stamp(behind, {"HTTP_X_REQUEST_START": str(int((now - 2) * 1000))}) == pytest.approx(now - 2)
    assert stamp(behind, {"HTTP_X_REQUEST_START": f"t={int((now - 2) * 1e6)}"}) == pytest.approx(now - 2)
    # a time ahead of the app's clock counts as the app's clock; one older than 300 s, or
    # unreadable, is ignored
    assert stamp(behind, {"HTTP_X_REQUEST_START": f"t={now + 60}"}) == now
    assert stamp(behind, {"HTTP_X_REQUEST_START": f"t={now - 301}"}) == now
    assert stamp(behind, {"HTTP_X_REQUEST_START": "yesterday"}) == now
    assert stamp(behind, {}) == now


def test_server_timing_shows_where_an_upload_spent_its_time(tmp_path, users, monkeypatch):
    """With TENDER_SERVER_TIMING on, the upload's response names its phases (for the bench)."""
    from tender import create_app
    from tests.integration.conftest import app_config

    app = create_app(
        app_config(
            tmp_path / "t",
            SERVER_TIMING=True,
            SQLALCHEMY_DATABASE_URI=db.engine.url.render_as_string(hide_password=False),
            TENDER_DATA_KEY=flask.current_app.config["TENDER_DATA_KEY"],
        )
    )
    app.extensions["tender_audit_key"] = flask.current_app.extensions["tender_audit_key"]
    tender = published(users["buyer"])
    client = app.test_client()
    from tests.integration.conftest import PASSWORD

    client.post("/auth/login", data={"email": users["vendor"].email, "password": PASSWORD})
    try:
        response = client.post(
            f"/vendor/tenders/{tender.public_id}/bid", data=upload_data(tender), content_type="multipart/form-data"
        )
    finally:
        with app.app_context():
            db.engine.dispose()  # this second app's pooled connections
    assert response.status_code == 302
    phases = dict(part.strip().split(";dur=") for part in response.headers["Server-Timing"].split(","))
    assert set(phases) >= {
        "app",
        "wait",
        "check",
        "quote",
        "document",
        "preview",
        "seal",
        "store",
        "audit-lock",
        "audit",
        "commit",
    }
    assert all(float(ms) >= 0 for ms in phases.values())
    assert "Server-Timing" not in flask.current_app.test_client().get("/auth/login").headers


# --------------------------------------------------------------------------- under gunicorn


def test_a_request_waiting_for_a_free_thread_keeps_the_time_it_arrived(tmp_path):
    """gunicorn with tender.platform.gunicorn_workers.ThreadWorker and a single thread: a request
    sent while that thread is busy (3 s in /slow) waits for it, yet its time of receipt is when
    it reached the server process, not when the thread got to it: before the thread let go.
    (Judged against the moments the server reports, not against a margin of wall-clock time,
    so a loaded machine — the suite runs in parallel — cannot make it fail.)"""
    import os
    import socket
    import subprocess
    import sys
    import threading
    import time
    from pathlib import Path

    import httpx

    root = Path(__file__).resolve().parents[2]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    busy_file = tmp_path / "busy"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            "1",
            "--threads",
            "1",
            "-k",
            "tender.platform.gunicorn_workers.ThreadWorker",
            "-b",
            f"127.0.0.1:{port}",
            "tests.integration.arrival_app:app",
        ],
        cwd=root,
        env={**os.environ, "ARRIVAL_BUSY_FILE": str(busy_file)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        while True:  # gunicorn imports the app: seconds on a loaded machine
            try:
                httpx.get(base + "/stamp", timeout=5)
                break
            except httpx.HTTPError:
                assert time.monotonic() - started < 60, "gunicorn did not start"
                time.sleep(0.1)
        let_go: list[float] = []
        busy = threading.Thread(target=lambda: let_go.append(float(httpx.get(base + "/slow", timeout=30).text)))
        busy.start()
        while not busy_file.exists():  # the only thread is now in /slow
            assert busy.is_alive(), "/slow failed"
            time.sleep(0.02)
        sent = time.time()
        stamped = float(httpx.get(base + "/stamp", timeout=30).text)
        answered = time.time()
        busy.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    (freed,) = let_go  # when the thread let go of /slow
    assert answered > freed  # it did wait for the thread …
    assert sent <= stamped < freed  # … but was stamped when it arrived, before the thread was free
