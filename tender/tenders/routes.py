"""Buyer routes under /buyer/tenders: list, new, import, view, edit, publish, amend,
extend, cancel, export. Views read the request, call :mod:`tender.services.tenders` and
map its errors to messages; the tender form is read by :mod:`tender.tenders.mapping`."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scoring.advice import tender_advice
from scoring.times import parse_time
from tender.auth.decorators import role_required
from tender.models import utcnow
from tender.platform.formfields import error_links, to_decimal_or_none
from tender.platform.i18n import pick, problem_text
from tender.platform.timefmt import local_input_value
from tender.platform.views import or_404
from tender.services import Invalid, WrongState
from tender.services import tenders as service
from tender.tenders import bp, builder, guards, lots_form, profile
from tender.tenders.defaults import SAMPLES, new_tender_definition, sample_definition
from tender.tenders.forms import (
    AmendForm,
    CancelForm,
    ConfirmForm,
    ExtendForm,
    ImportForm,
    TenderForm,
)
from tender.tenders.mapping import (
    LISTS,
    definition_to_formdata,
    form_to_definition,
    keep_untouched_times,
    place_problems,
    renumber,
)


def own_tender(public_id: str):
    """The signed-in buyer's tender, or 404 (another buyer's tender is not found either)."""
    return or_404(service.get_own, current_user, public_id)


def _row_list(form, prefix: str):
    field = form
    for part in prefix.split("-"):
        if part.isdigit():  # a row of a list (a lot's scenario: lots-0-scenario-monthly_profile)
            field = field.entries[int(part)]
        else:
            field = field[part] if not hasattr(field, "form") else field.form[part]
    return field


def _is_row_list(prefix: str) -> bool:
    return (
        prefix in LISTS
        or profile.is_profile_list(prefix)
        or lots_form.is_lot_list(prefix)
        or re.fullmatch(r"criteria-\d+-step_rows", prefix) is not None
    )


def _bind_tender_form(form_class, definition: dict | None):
    """The form from the posted data (after an add/remove-row action) or from a definition."""
    if request.method != "POST":
        return form_class(formdata=definition_to_formdata(definition or {})), ""
    action = request.form.get("action", "")
    formdata = request.form
    handled = profile.handle(action, formdata, request.files)  # the month table's own buttons
    notes = None
    if handled is not None:
        formdata, notes = handled
    formdata = lots_form.handle(action, formdata) or formdata  # a lot moved up or down
    if action.startswith("remove:"):
        _, prefix, index = (action.split(":") + ["", ""])[:3]
        if _is_row_list(prefix) and index.isdigit():
            formdata = renumber(formdata, prefix, int(index))
    form = form_class(formdata=profile.align(formdata))
    if action.startswith("add:") and _is_row_list(action[4:]):
        try:
            _row_list(form, action[4:]).append_entry()
        except (KeyError, IndexError):
            pass  # a row list that is not on this form: nothing to add
    profile.attach(form, notes)
    return form, action


SECTIONS_SHOWN_IN_PLACE = ("criteria", "scenario", "qualification_rules")


def _weight_sum(form):
    total = Decimal(0)
    for entry in form.criteria.entries:
        total += to_decimal_or_none(entry.form.weight.data) or 0
    return total


# The form's sections (templates/tenders/form.html) and the fields or problems each holds.
FORM_SECTIONS = {
    "notice": ("title", "buyer", "project_code", "opening_place", "description", "bid_deadline", "opening_time"),
    "scope": ("service_scope",),
    "quality": ("quality_requirements",),
    "scenario": ("scenario",),
    "rules": ("qualification_rules",),
    "criteria": ("criteria", "price_method"),
    "prices": (
        "price_ceiling",
        "abnormal_low_ratio",
        "sme_price_deduction",
        "min_valid_bids",
        "challenge_days",
        "award",
        "reference_pricing",
        "unit_price_ceilings",
    ),
    "lots": ("lots", "max_lots_awarded_per_vendor"),
    "final_offer": ("final_offer",),
    "kpis": ("kpis", "payment_terms"),
    "document": ("required_sections",),
    "amendment": ("change_note",),
}
# The section anchor a problem about a whole table links to.
SECTION_OF = {name: key for key, names in FORM_SECTIONS.items() for name in names}


def _anchor(section: str) -> str | None:
    """Where the summary links a problem of a whole part: the month table, or the form's section."""
    if section.endswith("-monthly_profile"):
        return section[: -len("monthly_profile")] + "months"
    key = SECTION_OF.get(section.split("-")[0])
    return f"section-{key}" if key else None


def _summary_names():
    """How the error summary names the rows and parts of the tender form."""
    return {
        "qualification_rules": _("Qualification rule"),
        "criteria": _("Criterion"),
        "step_rows": _("step"),
        "work_items": _("Work item"),
        "volume_scenarios": _("Volume scenario"),
        "monthly_profile": _("Month"),
        "service_scope": _("Service scope"),
        "quality_requirements": _("Quality requirements"),
        "scenario": _("Workload scenario"),
        "price_method": _("Price score"),
        "award": _("Award"),
        "reference_pricing": _("Reference prices"),
        "kpis": _("KPI"),
        "lots": _("Lot"),
        "payment_terms": _("Payment terms"),
    }


def form_warnings(form, tender=None):
    """The warnings (:mod:`scoring.advice`) on the tender the form holds now; the bidding
    period is counted from the publication (from now for a draft)."""
    start = (tender.published_at if tender is not None and tender.published_at else None) or utcnow()
    return tender_advice(form_to_definition(form).definition, start)


def _render_form(template: str, form, section_errors=(), warnings=None, **context):
    if warnings is None:
        warnings = form_warnings(form, context.get("tender"))
    by_section: dict[str, list[str]] = {}
    for section, text in section_errors:
        by_section.setdefault(section, []).append(text)
    other = [t for s, texts in by_section.items() if s not in SECTIONS_SHOWN_IN_PLACE for t in texts]
    # every problem of a whole table or part, linked to its section in the summary
    summary_extra = [(_anchor(s), t) if _anchor(s) else t for s, texts in by_section.items() for t in texts]
    error_sections = {SECTION_OF.get(s.split("-")[0], s.split("-")[0]) for s in by_section}
    field_errors = error_links(form)
    error_sections |= {SECTION_OF.get(field_id.split("-")[0], field_id.split("-")[0]) for field_id, *_ in field_errors}
    opened = error_sections if (field_errors or by_section) else set(FORM_SECTIONS)
    total = _weight_sum(form)
    options = builder.fact_options()
    documents = builder.document_options()
    return render_template(
        template,
        form=form,
        section_errors=by_section,
        other_errors=other,
        summary_extra=summary_extra,
        summary_names=_summary_names(),
        open_sections=opened,
        error_sections=error_sections,
        warnings=[pick(w.text) for w in warnings],
        fact_options=options,
        document_options=documents,
        subject_values={v for v, *_ in options} | {v for v, _l in documents},
        fact_unit=builder.fact_unit,
        understood_value=builder.understood_value,
        unit_label=builder.unit_label,
        weight_sum=total,
        weight_sum_text=format(total.normalize(), "f"),
        **context,
    )


def _read_and_check(form, save):
    """Read the form; run ``save(definition)``; on problems, place them on the form. A form
    whose own fields failed (a title left empty) is still read and checked, so every problem
    is shown at once, and nothing is saved."""
    reading = form_to_definition(form)
    if reading.problems or form.errors:
        unread = [p.path for p in reading.problems]
        problems = reading.problems + [
            p
            for p in service.validate(reading.definition)
            if not (p.path == "title" and form.title.errors) and not any(p.path.startswith(u) for u in unread)
        ]
        return None, place_problems(form, problems, reading)
    try:
        return save(reading.definition), []
    except Invalid as error:
        return None, place_problems(form, error.problems, reading)


@bp.route("/")
@role_required("buyer")
def index():
    pager = service.page_of_own(current_user, request.args.get("page", 1, type=int))
    tenders = list(pager.items)
    return render_template(
        "tenders/index.html", tenders=tenders, pager=pager, counts=service.bid_counts([t.id for t in tenders])
    )


def _starting_point(start: str | None) -> dict:
    """What the new form starts from: the last tender, a sample (售前/售后/全托管) or the usual shape."""
    if start == "last":
        definition = service.last_definition(current_user)
        if definition is not None:
            return definition
        flash(_("You have no tender yet to start from: the form starts from the usual shape."), "info")
    elif start:
        sample = sample_definition(start)
        if sample is not None:
            return sample
    return new_tender_definition()


def _starts():
    return [("", _("the usual shape")), ("last", _("my last tender"))] + [
        (name, pick(zh, en)) for name, (zh, en, _d) in SAMPLES.items()
    ]


@bp.route("/new", methods=["GET", "POST"])
@role_required("buyer")
def new():
    start = request.args.get("start", "")
    form, action = _bind_tender_form(TenderForm, _starting_point(start) if request.method == "GET" else None)
    if action == "save":
        form.validate()
        tender, errors = _read_and_check(form, lambda d: service.save_draft(current_user, d))
        if tender:
            flash(_("Draft saved. Check it, then publish it."), "success")
            return redirect(url_for("tenders.show", public_id=tender.public_id))
        return _render_form("tenders/form.html", form, errors, heading=_("New tender"))
    return _render_form("tenders/form.html", form, heading=_("New tender"), starts=_starts(), start=start)


@bp.route("/<public_id>/edit", methods=["GET", "POST"])
@role_required("buyer")
def edit(public_id: str):
    tender = own_tender(public_id)
    refusal = tender.refusal("edit")
    if refusal:
        flash(pick(refusal), "warning")
        return redirect(url_for("tenders.show", public_id=public_id))
    form, action = _bind_tender_form(TenderForm, tender.definition())
    if action == "save":
        form.validate()
        stored = tender.definition()
        saved, errors = _read_and_check(
            form, lambda d: service.save_draft(current_user, keep_untouched_times(d, stored), tender)
        )
        if saved:
            flash(_("Draft saved."), "success")
            return redirect(url_for("tenders.show", public_id=public_id))
        return _render_form("tenders/form.html", form, errors, heading=_("Edit draft"), tender=tender)
    return _render_form("tenders/form.html", form, heading=_("Edit draft"), tender=tender)


@bp.route("/<public_id>/amend", methods=["GET", "POST"])
@role_required("buyer")
def amend(public_id: str):
    tender = own_tender(public_id)
    refusal = tender.refusal("amend")
    if refusal:
        flash(pick(refusal), "warning")
        return redirect(url_for("tenders.show", public_id=public_id))
    stored = tender.definition()
    form, action = _bind_tender_form(AmendForm, stored)
    late = {}
    if action == "save":
        form.validate()

        def save(definition):
            definition = keep_untouched_times(definition, stored)
            # a late change of the workload or the criteria: warned, and done only when confirmed
            late.update(guards.late_amendment(stored, definition, utcnow()) or {})
            if late and not request.form.get("accept_late_amendment"):
                return None
            return service.amend(current_user, tender, definition, form.change_note.data)

        try:
            saved, errors = _read_and_check(form, save)
        except WrongState as error:
            flash(error.message, "danger")
            return redirect(url_for("tenders.show", public_id=public_id))
        if saved:
            flash(_("Amendment published as version %(n)s.", n=saved.version), "success")
            return redirect(url_for("tenders.show", public_id=public_id))
        return _render_form(
            "tenders/form.html",
            form,
            errors,
            heading=_("Amend tender"),
            tender=tender,
            amending=True,
            late_amendment=late,
        )
    return _render_form("tenders/form.html", form, heading=_("Amend tender"), tender=tender, amending=True)


@bp.route("/<public_id>")
@role_required("buyer")
def show(public_id: str):
    tender = own_tender(public_id)
    definition = tender.definition()
    warnings = tender_advice(definition, tender.published_at or utcnow()) if tender.may("edit") else []
    return render_template(
        "tenders/show.html",
        tender=tender,
        definition=definition,
        warnings=[pick(w.text) for w in warnings],
        bid_count=service.bid_count(tender),
        versions=service.versions(tender),
        confirm_form=ConfirmForm(),
    )


@bp.route("/<public_id>/publish", methods=["POST"])
@role_required("buyer")
def publish(public_id: str):
    tender = own_tender(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.publish(current_user, tender)
    except Invalid as error:
        for problem in error.problems:
            flash(problem_text(problem), "danger")
    except WrongState as error:
        flash(error.message, "danger")
    else:
        flash(_("The tender is published; vendors can bid until the deadline."), "success")
    return redirect(url_for("tenders.show", public_id=public_id))


def _time_field_errors(form, problems):
    for problem in problems:
        field = getattr(form, problem.path, None) if problem.path else None
        target = field.errors if field is not None else None
        if target is not None:
            field.errors = list(field.errors) + [problem_text(problem, with_path=False)]
        else:
            flash(problem_text(problem), "danger")


@bp.route("/<public_id>/duplicate", methods=["POST"])
@role_required("buyer")
def duplicate(public_id: str):
    tender = own_tender(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        copy = service.duplicate(current_user, tender)
    except WrongState as error:
        flash(error.message, "danger")
        return redirect(url_for("tenders.show", public_id=public_id))
    flash(_("A copy is saved as a new draft: change what differs, set the dates, then publish it."), "success")
    return redirect(url_for("tenders.edit", public_id=copy.public_id))


@bp.route("/<public_id>/extend", methods=["GET", "POST"])
@role_required("buyer")
def extend(public_id: str):
    tender = own_tender(public_id)
    form = ExtendForm()
    if request.method == "GET":
        form.bid_deadline.data = local_input_value(tender.bid_deadline)
        form.opening_time.data = local_input_value(tender.opening_time)
    if form.validate_on_submit():
        try:
            deadline, opening = (
                parse_time(field.data).astimezone(dt.UTC) for field in (form.bid_deadline, form.opening_time)
            )
        except ValueError:
            form.bid_deadline.errors.append(_("Enter a date and time such as 2026-12-20 17:00."))
        else:
            try:
                service.extend_deadline(current_user, tender, deadline, opening)
            except Invalid as error:
                _time_field_errors(form, error.problems)
            except WrongState as error:
                flash(error.message, "danger")
                return redirect(url_for("tenders.show", public_id=public_id))
            else:
                flash(_("The deadline is extended."), "success")
                return redirect(url_for("tenders.show", public_id=public_id))
    return render_template("tenders/extend.html", form=form, tender=tender)


@bp.route("/<public_id>/cancel", methods=["GET", "POST"])
@role_required("buyer")
def cancel(public_id: str):
    tender = own_tender(public_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            service.cancel(current_user, tender, form.reason.data)
        except WrongState as error:
            flash(error.message, "danger")
        else:
            flash(_("The tender is cancelled."), "success")
        return redirect(url_for("tenders.show", public_id=public_id))
    return render_template("tenders/cancel.html", form=form, tender=tender)


@bp.route("/<public_id>/export.json")
@role_required("buyer")
def export(public_id: str):
    tender = own_tender(public_id)
    body = json.dumps(tender.definition(), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f"attachment; filename=tender-{tender.public_id}.json",
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.route("/import", methods=["GET", "POST"])
@role_required("buyer")
def import_json():
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        try:
            tender = service.import_definition(current_user, form.file.data.read())
        except Invalid as error:
            problems = [problem_text(p) for p in error.problems]
        else:
            flash(_("Imported as a new draft."), "success")
            return redirect(url_for("tenders.show", public_id=tender.public_id))
    return render_template("tenders/import.html", form=form, problems=problems)
