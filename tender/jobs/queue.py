"""Background jobs: long work (report generation, reading large workbooks) off the request.

A job is a registered function name, JSON arguments and the user who asked for it,
recorded as a :class:`Job` row. The row is the truth every app server and worker sees:
status, progress (percent and a note), the reason of a failure, and the result file —
sealed like bid files (:mod:`tender.platform.storage`), since reports carry bid contents.

With ``REDIS_URL`` set, :func:`enqueue` hands the job's id to RQ (queue ``RQ_QUEUE``),
and an ``rq worker`` on any machine runs it with the same configuration (database URL,
``TENDER_DATA_KEY``). Without it — the embedded default — the job runs in-process
before the request returns. Either way :func:`run` does the work, so both behave alike;
a failed job keeps its reason and can be retried (:func:`retry`), which runs it again
with the same arguments.

A job function is registered with :func:`job_function` and called as
``function(user, progress, **args)`` (plus ``input_data=`` the job's input file, if
any) inside a request context, so it may build URLs; it returns a :class:`JobFile`, or ``None`` when
its outcome is a change in the database, with ``next_url`` set on the job by the caller.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.models import User, UTCDateTime, new_public_id, utcnow
from tender.platform import storage
from tender.platform.extensions import db

log = logging.getLogger(__name__)

JOB_STATUSES = QUEUED, RUNNING, FINISHED, FAILED = ("queued", "running", "finished", "failed")
JOB_TIMEOUT_SECONDS = 15 * 60


@dataclass(frozen=True)
class JobFile:
    filename: str
    content_type: str
    data: bytes


class JobFailed(Exception):
    """A failure the user can act on; ``message`` is shown as the job's reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Job(db.Model):
    """One background job: what was asked, by whom, how far it got, and what came out."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(64))
    args_json: Mapped[str] = mapped_column(Text, default="{}")
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[int] = mapped_column(default=0)
    progress_note: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    rq_id: Mapped[str | None] = mapped_column(String(64))
    sealed_input: Mapped[bytes | None] = mapped_column(LargeBinary)  # e.g. an uploaded workbook
    result_filename: Mapped[str | None] = mapped_column(String(255))
    result_content_type: Mapped[str | None] = mapped_column(String(128))
    sealed_result: Mapped[bytes | None] = mapped_column(LargeBinary)
    next_url: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def args(self) -> dict:
        return json.loads(self.args_json)

    @property
    def has_file(self) -> bool:
        return self.status == FINISHED and self.sealed_result is not None

    @property
    def failed(self) -> bool:
        return self.status == FAILED


# --------------------------------------------------------------------------- registry

_FUNCTIONS: dict[str, Callable] = {}


def job_function(name: str):
    """Register ``function(user, progress, **args)`` as the job called ``name``."""

    def register(function):
        _FUNCTIONS[name] = function
        return function

    return register


def registered(name: str) -> Callable:
    """The function of job ``name``; the modules that register them are imported first:
    :mod:`tender.jobs.tasks` and those named in ``TENDER_JOB_MODULES`` (comma-separated)."""
    import importlib
    import os

    for module in ["tender.jobs.tasks", *filter(None, os.environ.get("TENDER_JOB_MODULES", "").split(","))]:
        importlib.import_module(module.strip())
    try:
        return _FUNCTIONS[name]
    except KeyError:
        raise ValueError(f"no job function named {name!r}") from None


# --------------------------------------------------------------------------- queue


def _queue():
    from redis import Redis
    from rq import Queue

    return Queue(current_app.config["RQ_QUEUE"], connection=Redis.from_url(current_app.config["REDIS_URL"]))


def uses_queue() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def enqueue(user: User, name: str, args: dict | None = None, input_data: bytes | None = None) -> Job:
    """Record a job and start it: on the RQ queue, or here and now without one."""
    registered(name)
    job = Job(
        public_id=new_public_id(),
        name=name,
        user_id=user.id,
        args_json=json.dumps(args or {}, ensure_ascii=False, sort_keys=True),
    )
    if input_data is not None:
        job.sealed_input = storage.seal(input_data, f"job_input:{job.public_id}")
    db.session.add(job)
    db.session.commit()
    _start(job)
    return job


def _start(job: Job) -> None:
    if uses_queue():
        rq_job = _queue().enqueue(
            "tender.jobs.queue.run",
            job.public_id,
            job_timeout=JOB_TIMEOUT_SECONDS,
            result_ttl=3600,
            failure_ttl=24 * 3600,
            description=f"{job.name} {job.public_id}",
        )
        job.rq_id = rq_job.id
        db.session.commit()
    else:
        run(job.public_id)
        db.session.refresh(job)


def retry(user: User, job: Job) -> Job:
    """Run a failed job again with the same arguments."""
    if job.user_id != user.id:
        raise PermissionError("not this user's job")
    if not job.failed:
        return job
    job.status, job.progress, job.progress_note, job.error = "queued", 0, "", None
    job.started_at = job.finished_at = None
    db.session.commit()
    _start(job)
    return job


def own_job(user: User, public_id: str) -> Job | None:
    job = db.session.scalars(select(Job).where(Job.public_id == public_id)).first()
    return job if job is not None and job.user_id == user.id else None


def result_file(job: Job) -> JobFile:
    return JobFile(
        job.result_filename or "result",
        job.result_content_type or "application/octet-stream",
        storage.unseal(job.sealed_result, f"job_result:{job.public_id}"),
    )


def input_data(job: Job) -> bytes | None:
    return storage.unseal(job.sealed_input, f"job_input:{job.public_id}") if job.sealed_input else None


def status(job: Job) -> dict:
    """What the status page shows and polls (no file content)."""
    return {
        "id": job.public_id,
        "name": job.name,
        "status": job.status,
        "progress": job.progress,
        "note": job.progress_note,
        "error": job.error,
        "has_file": job.has_file,
        "filename": job.result_filename if job.has_file else None,
        "next_url": job.next_url,
        "attempts": job.attempts,
    }


# --------------------------------------------------------------------------- running

_worker_app = None


def _app():
    """The app to run in: the current one (in-process), else one made from the environment (worker)."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from tender import create_app

        _worker_app = create_app()
    return _worker_app


def _set(public_id: str, **values) -> None:
    """Write job fields on their own connection, so progress shows while the work's transaction is open."""
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.public_id == public_id).values(**values))


def _progress_reporter(public_id: str):
    try:
        from rq import get_current_job

        rq_job = get_current_job()
    except Exception:  # noqa: BLE001  (no RQ: in-process)
        rq_job = None

    def progress(percent: int, note: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        _set(public_id, progress=percent, progress_note=note[:200])
        if rq_job is not None:
            rq_job.meta.update(progress=percent, note=note)
            rq_job.save_meta()

    return progress


def run(public_id: str) -> str:
    """Run one job (RQ calls this by name); returns its final status."""
    app = _app()
    with app.app_context():
        job = db.session.scalars(select(Job).where(Job.public_id == public_id)).one()
        user, name, args = job.user, job.name, job.args
        if job.sealed_input is not None:
            args["input_data"] = input_data(job)
        _set(public_id, status="running", started_at=utcnow(), attempts=job.attempts + 1, error=None)
        locale = user.locale if user.locale in app.config["LANGUAGES"] else app.config["BABEL_DEFAULT_LOCALE"]
        with app.test_request_context("/"), force_locale(locale):
            try:
                outcome = registered(name)(user, _progress_reporter(public_id), **args)
            except Exception as error:  # noqa: BLE001  (every failure is recorded with its reason)
                db.session.rollback()
                reason = _reason(error)
                log.error("job %s (%s) failed: %s\n%s", public_id, name, reason, traceback.format_exc())
                _set(public_id, status="failed", error=reason, finished_at=utcnow())
                return "failed"
        values = {"status": "finished", "progress": 100, "finished_at": utcnow()}
        if isinstance(outcome, JobFile):
            values.update(
                result_filename=outcome.filename[:255],
                result_content_type=outcome.content_type,
                sealed_result=storage.seal(outcome.data, f"job_result:{public_id}"),
            )
        elif isinstance(outcome, str):
            values["next_url"] = outcome[:255]
        _set(public_id, **values)
        db.session.remove()
        return "finished"


def _reason(error: Exception) -> str:
    """Why a job failed, in words the user can act on (a domain problem list, or what broke)."""
    from tender.platform.i18n import problem_text
    from tender.services import Invalid, ServiceError

    if isinstance(error, JobFailed):
        return error.message
    if isinstance(error, Invalid):
        return "\n".join(problem_text(p) for p in error.problems) or error.message
    if isinstance(error, ServiceError) and error.message:
        return error.message
    return _(
        "The job stopped on an unexpected error (%(kind)s: %(detail)s). Retry it; if it fails again, "
        "tell the administrator.",
        kind=type(error).__name__,
        detail=str(error)[:300],
    )
