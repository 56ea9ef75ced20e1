"""Job pages under /jobs: a job's status (a page whose progress bar polls the JSON
status), its result file, a retry of a failed job, and starting a report job.

Only the user who asked for a job sees it; any other user gets 404, as for a missing one.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tender.auth.decorators import role_required
from tender.jobs import queue as jobs
from tender.platform.i18n import is_english
from tender.platform.views import PostForm

bp = Blueprint("jobs", __name__)

EVERY_ROLE = ("buyer", "vendor", "evaluator", "admin")


def _own(job_id: str) -> jobs.Job:
    job = jobs.own_job(current_user, job_id)
    if job is None:
        abort(404)
    return job


def job_title(job: jobs.Job) -> str:
    args = job.args
    if job.name == "build_report":
        return _("Evaluation report (%(kind)s)", kind=args.get("kind", "").upper())
    if job.name == "read_bid_upload":
        return _("Reading your upload: %(filename)s", filename=args.get("quote_filename", ""))
    return job.name


@bp.route("/<job_id>")
@role_required(*EVERY_ROLE)
def show(job_id: str):
    job = _own(job_id)
    return render_template("jobs/show.html", job=job, title=job_title(job), status=jobs.status(job), form=PostForm())


@bp.route("/<job_id>/status")
@role_required(*EVERY_ROLE)
def status(job_id: str):
    job = _own(job_id)
    body = jobs.status(job)
    body["status_text"] = status_text(job.status)
    body["file_url"] = url_for("jobs.download", job_id=job.public_id) if job.has_file else None
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<job_id>/file")
@role_required(*EVERY_ROLE)
def download(job_id: str):
    job = _own(job_id)
    if not job.has_file:
        abort(404)
    result = jobs.result_file(job)
    response = send_file(
        io.BytesIO(result.data), mimetype=result.content_type, as_attachment=True, download_name=result.filename
    )
    response.headers.update({"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})
    return response


@bp.route("/<job_id>/retry", methods=["POST"])
@role_required(*EVERY_ROLE)
def retry(job_id: str):
    job = _own(job_id)
    if PostForm().validate_on_submit():
        jobs.retry(current_user, job)
    return redirect(url_for("jobs.show", job_id=job.public_id))


@bp.route("/report/<tender_id>", methods=["POST"])
@role_required("buyer", "evaluator")
def start_report(tender_id: str):
    """Build the evaluation report of a tender in the background (``kind``: xlsx or docx)."""
    kind = request.form.get("kind", "xlsx")
    if kind not in ("xlsx", "docx") or not PostForm().validate_on_submit():
        abort(400)
    lot = request.form.get("lot", "")  # one lot of a tender divided into lots (§13)
    job = jobs.enqueue(
        current_user,
        "build_report",
        {"tender": tender_id, "kind": kind, "lang": "en" if is_english() else "zh", **({"lot": lot} if lot else {})},
    )
    return redirect(url_for("jobs.show", job_id=job.public_id))


def status_text(status: str) -> str:
    return {
        "queued": _("Waiting for a worker"),
        "running": _("Running"),
        "finished": _("Done"),
        "failed": _("Failed"),
    }.get(status, status)


@bp.app_context_processor
def _helpers():
    return {"job_status_text": status_text}
