"""Notification e-mails: one background job per recipient, sent through SMTP.

Nothing is sent unless ``MAIL_SERVER`` is set. Settings (environment, or the app's config):

- ``MAIL_SERVER``, ``MAIL_PORT`` (25): the SMTP server;
- ``MAIL_USERNAME``, ``MAIL_PASSWORD``: sign in when given;
- ``MAIL_USE_TLS`` (STARTTLS) or ``MAIL_USE_SSL`` (SMTP over TLS, usually port 465);
- ``MAIL_FROM``: the sender (default ``MAIL_USERNAME``, else ``noreply@<MAIL_SERVER>``);
- ``MAIL_TIMEOUT`` (10 seconds): how long to wait for the server;
- ``TENDER_BASE_URL``: the address the links in e-mails start with (``https://tender.example.cn``);
  unset, the address of the request that caused the notification.

:func:`queue` adds each e-mail's job (:class:`tender.jobs.queue.Job` ``send_notification_mail``,
owned by the recipient, so it runs in the recipient's language) to the transaction of the
action; the jobs are started after the request (:func:`dispatch_pending`) and only those
whose rows were committed — an action that rolled back sends nothing. They run as every job
does: on the RQ queue when ``REDIS_URL`` is set, else in-process before the response. A
failed delivery is a failed job with its reason; ``flask --app tender send-mail`` retries the
failed ones and starts any left queued (by a command, or a crash before the start).
The in-app notification never depends on the e-mail.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid

from flask import current_app, g, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from scoring.text import Text
from tender.jobs import queue as jobs
from tender.jobs.queue import FAILED, QUEUED, Job, JobFailed, job_function
from tender.models import Notification, new_public_id, utcnow
from tender.platform.extensions import db

log = logging.getLogger(__name__)

JOB_NAME = "send_notification_mail"
_PENDING = "_notification_mail_jobs"

SETTINGS = {  # config key: (environment variable, default, kind)
    "MAIL_SERVER": ("MAIL_SERVER", None, str),
    "MAIL_PORT": ("MAIL_PORT", 25, int),
    "MAIL_USERNAME": ("MAIL_USERNAME", None, str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", None, str),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", False, bool),
    "MAIL_USE_SSL": ("MAIL_USE_SSL", False, bool),
    "MAIL_FROM": ("MAIL_FROM", None, str),
    "MAIL_TIMEOUT": ("MAIL_TIMEOUT", 10.0, float),
    "TENDER_BASE_URL": ("TENDER_BASE_URL", None, str),
}

SITE = Text("电商客服外包招标平台", "Customer service outsourcing tenders")
OPEN_LINK = Text("打开：{link}", "Open: {link}")
FOOTER = Text(
    "这是一封自动发送的邮件，请勿直接回复。全部通知：{all}",
    "This message was sent automatically; please do not reply to it. All your notifications: {all}",
)


def _from_environment(name: str, default, kind):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if kind is bool:
        return raw.lower() not in ("0", "false", "no", "off")
    return kind(raw)


def init_app(app) -> None:
    for key, (variable, default, kind) in SETTINGS.items():
        app.config.setdefault(key, _from_environment(variable, default, kind))
    app.after_request(_after_request)

    @app.cli.command("send-mail")
    def send_mail_command():
        """Retry the notification e-mails that failed and start those left queued."""
        import click

        if not configured():
            click.echo("MAIL_SERVER is not set: no e-mail is sent.", err=True)
            raise SystemExit(1)
        retried, started = send_outstanding()
        failed = (
            db.session.scalar(select(func.count()).select_from(Job).where(Job.name == JOB_NAME, Job.status == FAILED))
            or 0
        )
        click.echo(f"notification e-mails: {retried} retried, {started} started, {failed} failed now")
        if failed:
            raise SystemExit(1)


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


# --------------------------------------------------------------------------- queueing


def _base_url() -> str:
    base = current_app.config.get("TENDER_BASE_URL")
    if base:
        return base.rstrip("/")
    return request.host_url.rstrip("/") if has_request_context() else ""


def queue(notifications: list[Notification]) -> list[Job]:
    """Add the e-mail job of each notification (recipient active, mail configured) to the
    current transaction; remember them to start after the commit."""
    if not configured():
        return []
    base = _base_url()
    made = []
    for notification in notifications:
        user = notification.user
        if user is None or not user.active or not user.email:
            continue
        job = Job(
            public_id=new_public_id(),
            name=JOB_NAME,
            user_id=user.id,
            status="queued",
            args_json=json.dumps({"notification": notification.public_id, "base_url": base}, sort_keys=True),
        )
        db.session.add(job)
        made.append(job)
    g.setdefault(_PENDING, []).extend(job.public_id for job in made)
    return made


def _after_request(response):
    dispatch_pending()
    return response


def dispatch_pending() -> list[str]:
    """Start the e-mail jobs queued in this context whose rows were committed; their ids.

    Committed rows are looked up on a connection of their own, so nothing of an action
    still open (or rolled back) is seen; a failure to start a job is recorded on it and
    never reaches the response of the action."""
    ids = g.pop(_PENDING, [])
    if not ids:
        return []
    try:
        with db.engine.connect() as connection:
            committed = list(
                connection.scalars(
                    select(Job.public_id).where(Job.public_id.in_(ids), Job.status == QUEUED).order_by(Job.id)
                )
            )
    except Exception:  # noqa: BLE001  (the action is done; the jobs stay queued for send-mail)
        log.exception("could not look up the notification e-mails to send")
        return []
    server_failed = False
    for public_id in committed:
        if server_failed:  # in-process: one wait for a dead server per action, not one per recipient
            _set(
                public_id,
                status="failed",
                finished_at=utcnow(),
                error=_(
                    "Not tried: the mail server failed on an earlier message of the same action. "
                    "The notification stays in the app; retry to send the e-mail again."
                ),
            )
            continue
        server_failed = start(public_id) == FAILED and not jobs.uses_queue()
    return committed


def start(public_id: str) -> str:
    """Run one e-mail job: on the RQ queue ("queued"), or here and now ("finished" or "failed")."""
    try:
        if jobs.uses_queue():
            from redis import Redis
            from rq import Queue

            queue_ = Queue(current_app.config["RQ_QUEUE"], connection=Redis.from_url(current_app.config["REDIS_URL"]))
            rq_job = queue_.enqueue(
                "tender.jobs.queue.run",
                public_id,
                job_timeout=300,
                result_ttl=3600,
                failure_ttl=24 * 3600,
                description=f"{JOB_NAME} {public_id}",
            )
            _set(public_id, rq_id=rq_job.id)
            return "queued"
        return jobs.run(public_id)
    except Exception as error:  # noqa: BLE001  (e.g. Redis down: recorded, retried by send-mail)
        log.exception("could not start the e-mail job %s", public_id)
        _set(
            public_id,
            status="failed",
            error=f"not started: {type(error).__name__}: {error}"[:2000],
            finished_at=utcnow(),
        )
        return "failed"


def _set(public_id: str, **values) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.public_id == public_id).values(**values))


def send_outstanding() -> tuple[int, int]:
    """Retry every failed e-mail job and start every one left queued; (retried, started)."""
    waiting = (Job.status == FAILED) | ((Job.status == QUEUED) & Job.rq_id.is_(None))
    rows = list(db.session.scalars(select(Job).where(Job.name == JOB_NAME, waiting).order_by(Job.id)))
    retried = started = 0
    for job in rows:
        if job.failed:
            job.status, job.error, job.progress, job.progress_note = "queued", None, 0, ""
            job.started_at = job.finished_at = None
            retried += 1
        else:
            started += 1
        db.session.commit()
        start(job.public_id)
    return retried, started


# --------------------------------------------------------------------------- the message


def language_of(user) -> str:
    locale = (
        user.locale if user.locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    return "en" if str(locale).startswith("en") else "zh"


def message_for(notification: Notification, base_url: str) -> MIMEText:
    """The plain-text e-mail of a notification, in its recipient's language.

    Written with the classic API (``MIMEText`` and ``Header``): each header with Chinese in it
    is one run of encoded words, so a long subject keeps its spaces when folded (the newer
    ``EmailMessage`` drops the space between two encoded words at a fold)."""
    from tender.notifications.service import rendered

    user = notification.user
    lang = language_of(user)
    subject, text = rendered(notification, lang)
    lines = [text, ""]
    if notification.link:
        lines += [OPEN_LINK.get(lang).format(link=base_url + notification.link), ""]
    lines += ["-- ", SITE.get(lang), FOOTER.get(lang).format(all=f"{base_url}/notifications/")]
    message = MIMEText("\n".join(lines) + "\n", "plain", "utf-8")
    message["Subject"] = Header(f"[{SITE.get(lang)}] {subject}", "utf-8")
    message["From"] = sender()
    message["To"] = formataddr((user.name, user.email), charset="utf-8")
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=notification.public_id, domain=_domain())
    message["Content-Language"] = "en" if lang == "en" else "zh-CN"
    message["Auto-Submitted"] = "auto-generated"
    return message


def sender() -> str:
    config = current_app.config
    return config.get("MAIL_FROM") or config.get("MAIL_USERNAME") or f"noreply@{config['MAIL_SERVER']}"


def _domain() -> str:
    address = sender()
    return address.rsplit("@", 1)[-1].strip("<> ") if "@" in address else "localhost"


def deliver(message: MIMEText) -> None:
    """Hand the message to the configured SMTP server; a clear :class:`JobFailed` if it cannot."""
    config = current_app.config
    host, port, timeout = (
        config["MAIL_SERVER"],
        int(config.get("MAIL_PORT") or 25),
        float(config.get("MAIL_TIMEOUT") or 10),
    )
    try:
        if config.get("MAIL_USE_SSL"):
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                client.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                client.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise JobFailed(
            _(
                "The mail server %(server)s did not take the message (%(kind)s: %(detail)s). "
                "The notification stays in the app; retry to send the e-mail again.",
                server=f"{host}:{port}",
                kind=type(error).__name__,
                detail=str(error)[:300],
            )
        ) from None


@job_function(JOB_NAME)
def send_notification_mail(user, progress, *, notification: str, base_url: str = ""):
    """Send one notification's e-mail to its recipient (the job's user)."""
    row = db.session.scalars(select(Notification).where(Notification.public_id == notification)).first()
    if row is None or row.user_id != user.id:
        raise JobFailed(_("The notification of this e-mail no longer exists."))
    if row.emailed_at is not None:
        return None  # sent already (a retry after a late failure)
    deliver(message_for(row, base_url))
    row.emailed_at = utcnow()
    db.session.commit()
    return None
