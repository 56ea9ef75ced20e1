"""Notification e-mails through a real SMTP server (aiosmtpd on 127.0.0.1): sent as background
jobs after the action commits, in each recipient's language, with the link; a mail server
that is down leaves the action done and the notification in the app, records the failure on
the job, and ``flask send-mail`` sends it once the server is back. The queued variant runs a
real RQ worker on this machine's Redis."""

from __future__ import annotations

import datetime as dt
import email
import socket
from email import policy

import pytest

from tender.jobs.queue import Job
from tender.models import Notification, Tender, utcnow
from tender.notifications import mail, notify
from tender.platform.extensions import db
from tender.services import opening as opening_service
from tests.integration.conftest import app_config, empty_tables, prepare_schema
from tests.integration.helpers import published, submit


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """A real SMTP server on 127.0.0.1 keeping what it receives."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def start(self) -> Inbox:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m, e in zip(self.messages, self.envelopes) if address in e.rcpt_tos]


def mail_config(port: int) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_FROM": "tender@example.cn", "MAIL_TIMEOUT": 5}


@pytest.fixture
def port():
    return free_port()


@pytest.fixture
def mail_app(tmp_path, port):
    from tender import create_app

    app = create_app(app_config(tmp_path, **mail_config(port)))
    with app.app_context():
        prepare_schema(app)
        yield app
        empty_tables(app)


@pytest.fixture
def app(mail_app):
    """The shared fixtures (``users``, ``runner``) work on the app with the mail server configured."""
    return mail_app


@pytest.fixture
def inbox(port):
    box = Inbox(port).start()
    yield box
    box.stop()


@pytest.fixture
def ready_to_open(mail_app, users):
    """Two bids in, the evaluator on the panel, the opening time 5 minutes ago."""
    users["evaluator"].locale = None  # reads the default language, Chinese
    tender = published(users["buyer"])
    bids = [submit(users["vendor"], tender).bid, submit(users["other_vendor"], tender).bid]
    opening_service.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
    tender.published_at = utcnow() - dt.timedelta(days=20)
    tender.bid_deadline = utcnow() - dt.timedelta(minutes=35)
    tender.opening_time = utcnow() - dt.timedelta(minutes=5)
    db.session.commit()
    return tender, bids


def open_through_the_browser(app, users, tender):
    from tests.integration.conftest import Auth

    client = app.test_client()
    Auth(client).login(users["buyer"])
    return client.post(f"/buyer/tenders/{tender.public_id}/open")


def body(message) -> str:
    return message.get_content()


def test_the_opening_mails_each_bidder_and_the_panel_in_their_language_with_the_link(
    mail_app, users, inbox, ready_to_open
):
    tender, bids = ready_to_open
    users["other_vendor"].locale = "zh_CN"
    db.session.commit()
    assert open_through_the_browser(mail_app, users, tender).status_code == 302
    assert len(inbox.messages) == 3  # two bidders and one evaluator, once each
    english = inbox.to("vendor@example.cn")[0]  # the vendor reads English
    assert english["Subject"] == f"[Customer service outsourcing tenders] Bids opened: {tender.title}"
    assert english["From"] == "tender@example.cn" and english["To"] == "Vendor Zhao <vendor@example.cn>"
    assert english["Content-Language"] == "en" and english["Auto-Submitted"] == "auto-generated"
    assert "were opened at " in body(english) and ": 2 bids were received." in body(english)
    assert f"Open: http://localhost/vendor/bids/{bids[0].public_id}" in body(english)
    chinese = inbox.to("vendor2@example.cn")[0]
    assert chinese["Subject"] == f"[电商客服外包招标平台] 已开标：{tender.title}"
    assert "共收到 2 份投标。" in body(chinese) and f"打开：http://localhost/vendor/bids/{bids[1].public_id}" in body(
        chinese
    )
    panel = inbox.to("expert@example.cn")[0]  # no language chosen: Chinese, the default
    assert panel["Subject"].startswith(
        "[电商客服外包招标平台] 已开标"
    ) and f"http://localhost/evaluator/tenders/{tender.public_id}" in body(panel)
    sent = Notification.query.filter(Notification.emailed_at.is_not(None)).count()
    assert sent == 3 and Job.query.filter_by(name=mail.JOB_NAME, status="finished").count() == 3


def test_an_amendment_mails_the_bidder_once_the_amendment_is_committed(mail_app, users, inbox):
    from tender.services import tenders as tender_service
    from tests.integration.helpers import definition

    tender = published(users["buyer"])
    submit(users["vendor"], tender)
    amended = definition(days=12)
    tender_service.amend(users["buyer"], tender, amended, "日均咨询量调整为 900")
    assert inbox.messages == []  # outside a request nothing starts by itself
    assert mail.dispatch_pending() != []  # what the end of a request does
    (message,) = inbox.messages
    assert message["Subject"] == f"[Customer service outsourcing tenders] Tender amended: {tender.title}"
    assert "(version 2): 日均咨询量调整为 900." in body(message)


def test_an_action_that_rolls_back_sends_nothing(mail_app, users, inbox):
    tender = published(users["buyer"])
    notify([users["vendor"]], "tender_cancelled", tender, reason="试一下")
    db.session.rollback()  # the action failed after notifying
    assert mail.dispatch_pending() == []
    assert inbox.messages == [] and Job.query.count() == 0 and Notification.query.count() == 0


def test_with_the_mail_server_down_the_opening_succeeds_and_the_mail_is_sent_later(
    mail_app, users, port, ready_to_open, runner
):
    tender, bids = ready_to_open  # nothing listens on the mail port yet
    response = open_through_the_browser(mail_app, users, tender)
    assert response.status_code == 302 and response.headers["Location"].endswith("/opening-record")
    db.session.expire_all()
    assert db.session.get(Tender, tender.id).status == "opened"
    told = Notification.query.filter_by(kind="bids_opened").all()
    assert len(told) == 3 and all(n.emailed_at is None for n in told)  # in the app, not mailed
    failed = Job.query.filter_by(name=mail.JOB_NAME).order_by(Job.id).all()
    assert [job.status for job in failed] == ["failed"] * 3
    assert f"127.0.0.1:{port}" in failed[0].error and "ConnectionRefusedError" in failed[0].error
    # the first refusal spares the action a wait for each further recipient: the others are not tried
    assert [job.attempts for job in failed] == [1, 0, 0] and failed[1].error.startswith("Not tried")
    inbox = Inbox(port).start()  # the server is back
    try:
        result = runner.invoke(args=["send-mail"])
        assert result.exit_code == 0, result.output
        assert "3 retried, 0 started, 0 failed now" in result.output
        assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == [
            "expert@example.cn",
            "vendor2@example.cn",
            "vendor@example.cn",
        ]
    finally:
        inbox.stop()
    db.session.expire_all()
    assert all(n.emailed_at is not None for n in Notification.query.filter_by(kind="bids_opened"))
    assert [job.attempts for job in Job.query.filter_by(name=mail.JOB_NAME).order_by(Job.id)] == [2, 1, 1]


def test_a_mail_server_that_never_answers_costs_the_action_one_timeout_not_one_per_recipient(
    mail_app, users, port, ready_to_open
):
    mail_app.config["MAIL_TIMEOUT"] = 1
    silent = socket.create_server(("127.0.0.1", port))  # takes connections, never greets
    try:
        tender, bids = ready_to_open
        assert open_through_the_browser(mail_app, users, tender).status_code == 302
    finally:
        silent.close()
    jobs = Job.query.filter_by(name=mail.JOB_NAME).order_by(Job.id).all()
    assert "timed out" in jobs[0].error and [job.attempts for job in jobs] == [1, 0, 0]
    assert Notification.query.filter_by(kind="bids_opened").count() == 3


def test_an_inactive_account_is_told_in_the_app_but_not_mailed(mail_app, users, inbox):
    users["other_vendor"].active = False
    tender = published(users["buyer"])
    notify([users["vendor"], users["other_vendor"]], "tender_cancelled", tender, reason="x")
    db.session.commit()
    mail.dispatch_pending()
    assert Notification.query.count() == 2
    assert [e.rcpt_tos for e in inbox.envelopes] == [["vendor@example.cn"]]


# --------------------------------------------------------------------------- through a real RQ worker

from tests.integration.test_jobs import REDIS_URL, queue_name, run_worker  # noqa: E402,F401  (the session's queue)


@pytest.fixture
def queued_mail_app(tmp_path, queue_name, port):
    from tender import create_app

    app = create_app(app_config(tmp_path, REDIS_URL=REDIS_URL, RQ_QUEUE=queue_name, **mail_config(port)))
    with app.app_context():
        prepare_schema(app)
        yield app
        empty_tables(app)


def test_with_a_job_queue_a_worker_sends_the_mail(queued_mail_app, inbox, port, monkeypatch):
    from tests.integration.conftest import make_user

    buyer, vendor = make_user("buyer", "buyer@example.cn"), make_user("vendor", "vendor@example.cn")
    tender = published(buyer)
    notify([vendor], "tender_cancelled", tender, link=f"/vendor/tenders/{tender.public_id}", reason="预算调整")
    db.session.commit()
    (started,) = mail.dispatch_pending()
    job = Job.query.filter_by(public_id=started).one()
    assert job.status == "queued" and job.rq_id and inbox.messages == []  # waiting for a worker
    for key, value in mail_config(port).items():
        monkeypatch.setenv(key, str(value))  # the worker reads its settings from the environment
    run_worker(queued_mail_app)
    (message,) = inbox.messages
    assert message["Subject"] == f"[Customer service outsourcing tenders] Tender cancelled: {tender.title}"
    assert "Reason: 预算调整" in body(message)
    db.session.expire_all()
    assert Job.query.filter_by(public_id=started).one().status == "finished"
