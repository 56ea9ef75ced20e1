"""Contract routes under /contracts (see :mod:`tender.contracts`)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from scoring.money import fmt2
from scoring.settlement import month_volumes
from tender.auth.decorators import role_required
from tender.contracts import bp, charts, service
from tender.contracts.forms import DisputeForm, ReasonForm, UploadActualsForm
from tender.platform.i18n import is_english, pick, problem_text
from tender.platform.security import attachment
from tender.platform.views import PostForm, or_404
from tender.services import Invalid, WrongState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


MONTH_STATES = {
    "awaiting_vendor": _l("Awaiting the vendor's confirmation"),
    "disputed": _l("Disputed by the vendor"),
    "confirmed": _l("Confirmed"),
    "deemed_confirmed": _l("Deemed confirmed (not answered within 5 working days)"),
}


@bp.app_context_processor
def scorecard_helpers():
    """For the results page's partial (contracts/_scorecard.html): the bidders' KPI records
    and the contracts the award made. Functions, so nothing is read unless the page asks."""
    return {"vendor_scorecards": service.scorecards_for_bids, "tender_contracts": service.for_tender}


@bp.context_processor
def helpers():
    from scoring.money import money_text
    from scoring.pricing import MODELS

    def model_label(model: str) -> str:
        found = MODELS.get(model)
        return pick(found.zh, found.en) if found else model

    def at_risk_source(source: str) -> str:
        from scoring.settlement import AT_RISK_SOURCES

        return pick(*AT_RISK_SOURCES[source])

    return {
        "month_state_label": lambda state: MONTH_STATES.get(state, state),
        "at_risk_text": money_text,
        "model_label": model_label,
        "at_risk_source": at_risk_source,
    }


def _lang() -> str:
    return "en" if is_english() else "zh"


@bp.route("/")
@role_required("buyer", "vendor")
def index():
    pager = service.page_of_mine(current_user, request.args.get("page", 1, type=int))
    return render_template("contracts/index.html", contracts=list(pager.items), pager=pager)


def _contract_page(contract, form=None, problems=None, status=200):
    summary = service.summary(contract)
    open_months = [m["month"] for m in summary["months"] if m["row"] is None]
    form = form or UploadActualsForm()
    form.month.choices = [(m, m) for m in open_months]
    return render_template(
        "contracts/show.html",
        contract=contract,
        terms=service.terms(contract),
        summary=summary,
        side=service.side_of(current_user, contract),
        form=form,
        problems=problems or [],
        open_months=open_months,
    ), status


@bp.route("/<public_id>")
@role_required("buyer", "vendor")
def show(public_id: str):
    return _contract_page(or_404(service.get, current_user, public_id))


@bp.route("/<public_id>/actuals-template.xlsx")
@role_required("buyer")
def actuals_template(public_id: str):
    contract = or_404(service.get, current_user, public_id)
    labels = service.labels(contract)
    month = request.args.get("month") or next(
        (m for m in labels if m not in service.current_months(contract)), labels[-1]
    )
    if month not in labels:
        month = labels[0]
    from tender.contracts.actuals import build_template

    data = build_template(service.terms(contract), month, title=contract.tender.title, lang=_lang())
    return attachment(data, f"本月实际-{contract.vendor_name[:30]}-{month}.xlsx", XLSX)


@bp.route("/<public_id>/months", methods=["POST"])
@role_required("buyer")
def settle(public_id: str):
    contract = or_404(service.get, current_user, public_id)
    form = UploadActualsForm()
    form.month.choices = [(m, m) for m in service.labels(contract)]
    if not form.validate_on_submit():
        return _contract_page(contract, form, status=400)
    try:
        row = service.settle(
            current_user, public_id, form.month.data, form.actuals.data.filename, form.actuals.data.read()
        )
    except WrongState as error:
        flash(error.message, "danger")
        return redirect(url_for("contracts.show", public_id=public_id))
    except Invalid as error:
        return _contract_page(contract, form, [problem_text(p) for p in error.problems], 400)
    flash(_("The month is settled; the vendor is asked to confirm it."), "success")
    return redirect(url_for("contracts.month", public_id=public_id, month=row.month))


def _month_page(contract, month: str, problems=None, status=200, **forms):
    versions = service.versions_of(contract, month)
    if not versions:
        return None
    current = next(v for v in versions if v.current)
    contract_terms = service.terms(contract)
    settled = service.resettle(current)  # the stored version's figures, with its full volumes
    volumes = [(pick(zh, en), value) for zh, en, value in month_volumes(settled)]
    return render_template(
        "contracts/month.html",
        target_of={k.id: k.target_text() for k in contract_terms.kpis},
        volumes=volumes,
        at_risk=fmt2(settled.at_risk),
        contract=contract,
        month=month,
        versions=versions,
        row=current,
        s=current.settlement,
        terms=contract_terms,
        side=service.side_of(current_user, contract),
        state=current.current_status,
        post_form=PostForm(),
        dispute_form=forms.get("dispute_form") or DisputeForm(),
        correct_form=forms.get("correct_form") or UploadActualsForm(prefix="correct"),
        uphold_form=forms.get("uphold_form") or ReasonForm(prefix="uphold"),
        problems=problems or [],
    ), status


@bp.route("/<public_id>/months/<month>")
@role_required("buyer", "vendor")
def month(public_id: str, month: str):
    contract = or_404(service.get, current_user, public_id)
    page = _month_page(contract, month)
    if page is None:
        return or_404(_missing)
    return page


def _missing():
    from tender.services import NotFound

    raise NotFound()


def _row_action(public_id: str, month: str, act, *, success: str, form=None, form_name: str = ""):
    contract = or_404(service.get, current_user, public_id)
    current = next((v for v in service.versions_of(contract, month) if v.current), None)
    if current is None:
        return or_404(_missing)
    try:
        act(current)
    except WrongState as error:
        flash(error.message, "danger")
    except Invalid as error:
        return _month_page(
            contract,
            month,
            [problem_text(p) for p in error.problems],
            400,
            **({form_name: form} if form is not None else {}),
        )
    else:
        flash(success, "success")
    return redirect(url_for("contracts.month", public_id=public_id, month=month))


@bp.route("/<public_id>/months/<month>/confirm", methods=["POST"])
@role_required("vendor")
def confirm(public_id: str, month: str):
    if not PostForm().validate_on_submit():
        return redirect(url_for("contracts.month", public_id=public_id, month=month))
    return _row_action(
        public_id,
        month,
        lambda row: or_404(service.confirm, current_user, row.public_id),
        success=_("You confirmed the month's settlement."),
    )


@bp.route("/<public_id>/months/<month>/dispute", methods=["POST"])
@role_required("vendor")
def dispute(public_id: str, month: str):
    form = DisputeForm()
    form.validate_on_submit()
    if "csrf_token" in form.errors:
        return redirect(url_for("contracts.month", public_id=public_id, month=month))
    return _row_action(
        public_id,
        month,
        lambda row: or_404(service.dispute, current_user, row.public_id, form.reason.data or ""),
        success=_("Your dispute is sent to the buyer."),
        form=form,
        form_name="dispute_form",
    )


@bp.route("/<public_id>/months/<month>/correct", methods=["POST"])
@role_required("buyer")
def correct(public_id: str, month: str):
    form = UploadActualsForm(prefix="correct")
    del form.month
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return redirect(url_for("contracts.month", public_id=public_id, month=month))
        contract = or_404(service.get, current_user, public_id)
        return _month_page(contract, month, [], 400, correct_form=form) or or_404(_missing)
    return _row_action(
        public_id,
        month,
        lambda row: or_404(
            service.correct,
            current_user,
            row.public_id,
            form.actuals.data.filename,
            form.actuals.data.read(),
            form.reason.data or "",
        ),
        success=_("The month is corrected; the vendor is asked to confirm the new version."),
        form=form,
        form_name="correct_form",
    )


@bp.route("/<public_id>/months/<month>/uphold", methods=["POST"])
@role_required("buyer")
def uphold(public_id: str, month: str):
    form = ReasonForm(prefix="uphold")
    form.validate_on_submit()
    if "csrf_token" in form.errors:
        return redirect(url_for("contracts.month", public_id=public_id, month=month))
    return _row_action(
        public_id,
        month,
        lambda row: or_404(service.uphold, current_user, row.public_id, form.reason.data or ""),
        success=_("The month is confirmed as it stands."),
        form=form,
        form_name="uphold_form",
    )


@bp.route("/<public_id>/months/<month>/acceptance.docx")
@role_required("buyer", "vendor")
def acceptance(public_id: str, month: str):
    contract = or_404(service.get, current_user, public_id)
    version = request.args.get("version", type=int)
    versions = service.versions_of(contract, month)
    row = next((v for v in versions if (v.version == version if version else v.current)), None)
    if row is None:
        return or_404(_missing)
    data = service.acceptance_report(current_user, row, _lang())
    return attachment(data, f"履约验收报告-{contract.vendor_name[:30]}-{month}-v{row.version}.docx", DOCX)


@bp.route("/<public_id>/chart-<name>.svg")
@role_required("buyer", "vendor")
def chart(public_id: str, name: str):
    contract = or_404(service.get, current_user, public_id)
    if name not in charts.CHARTS:
        return or_404(_missing)
    svg = charts.CHARTS[name](contract, service.summary(contract), service.terms(contract), _lang())
    return (
        svg,
        200,
        {
            "Content-Type": "image/svg+xml; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
