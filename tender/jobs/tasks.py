"""The application's background jobs, registered with :func:`tender.jobs.queue.job_function`.

- ``read_bid_upload``: a vendor's upload whose price sheet is large is read (checked,
  priced against the tender, sealed) off the request; it ends on the preview page.
- ``build_report``: the evaluation report (Excel or Word) of a tender, for the buyer or
  an evaluator who may see its results; the file is offered when done.

Each calls the same services as the synchronous views; nothing here is a rule of its own.
"""

from __future__ import annotations

import base64
import json

from flask import url_for
from flask_babel import gettext as _

from tender.jobs.queue import JobFailed, JobFile, job_function

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pack_upload(quote: bytes, document: bytes) -> bytes:
    """Both files of an upload as one job input."""
    return json.dumps(
        {"quote": base64.b64encode(quote).decode("ascii"), "document": base64.b64encode(document).decode("ascii")}
    ).encode("ascii")


def unpack_upload(data: bytes) -> tuple[bytes, bytes]:
    files = json.loads(data)
    return base64.b64decode(files["quote"]), base64.b64decode(files["document"])


@job_function("read_bid_upload")
def read_bid_upload(
    user,
    progress,
    *,
    tender: str,
    quote_filename: str,
    document_filename: str,
    input_data: bytes,
    received_at: str | None = None,
):
    """``received_at``: when the upload reached the web app (the deadline is judged on it,
    not on when a worker got to the job)."""
    import datetime as dt

    from tender.services import bids as bid_service

    progress(5, _("Reading the price sheet and the bid document"))
    quote, document = unpack_upload(input_data)
    version = bid_service.upload(
        user,
        tender,
        bid_service.Upload(quote_filename, quote),
        bid_service.Upload(document_filename, document),
        now=dt.datetime.fromisoformat(received_at) if received_at else None,
    )
    progress(95, _("Sealed; opening the preview"))
    return url_for("bids.preview", version_id=version.public_id)


@job_function("build_report")
def build_report(user, progress, *, tender: str, kind: str, lang: str, lot: str = ""):
    """The evaluation report of ``tender`` as ``kind`` (xlsx or docx) in ``lang`` (zh or en);
    of one ``lot`` of a tender divided into lots (§13), with the award table across the lots."""
    if kind not in ("xlsx", "docx"):
        raise JobFailed(_("Unknown report kind: %(kind)s.", kind=kind))
    from tender import reports
    from tender.platform import audit
    from tender.platform.extensions import db
    from tender.services import opening, panel, results
    from tender.services import reports as report_records

    progress(5, _("Gathering the opened bids and the panel's scores"))
    tender_row = panel.results_access(user, tender)
    # the opened bids listed once for the evaluation and the opening record (their sealed
    # contents read only when the evaluation is not kept)
    opened = opening.opened_bids(tender_row, versions=False)
    data = results.inputs(tender_row, opened)
    progress(30, _("Evaluating"))
    result = data.result
    if result.tender.lots:
        lots_result, result = result, report_records.lot_report(result, lot)
        if result is None:
            raise JobFailed(_("Choose one lot of the tender for its report."))
        context = report_records.report_context(tender_row, result, data, lots_result, lot, opened)
    else:
        lot = ""
        context = report_records.report_context(tender_row, result, data, opened=opened)
    progress(50, _("Writing the report"))
    body = (reports.build_xlsx if kind == "xlsx" else reports.build_docx)(result, context, lang)
    audit.record(
        user,
        "report_exported",
        f"tender:{tender_row.public_id}",
        kind=kind,
        lang=lang,
        final=bool(context.final),
        status=result.status,
        job=True,
        **({"lot": lot} if lot else {}),
    )
    db.session.commit()
    draft = "" if context.final else ("-draft" if lang == "en" else "-草稿")
    # the workbook is the scoring summary (评分汇总表), the document the evaluation report (评标报告)
    names = {
        ("xlsx", "zh"): "评分汇总表",
        ("xlsx", "en"): "scoring-summary",
        ("docx", "zh"): "评标报告",
        ("docx", "en"): "evaluation-report",
    }
    safe_lot = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in lot)
    name = (
        names[(kind, "en" if lang == "en" else "zh")] + f"-{tender_row.public_id}{'-' + safe_lot if lot else ''}"
        f"{draft}.{kind}"
    )
    return JobFile(name, XLSX if kind == "xlsx" else DOCX, body)
