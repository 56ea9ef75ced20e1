"""The buyer's tender form: every part of the tender definition (domain §3, §9).

The form mirrors the JSON: a sub-form or row list per JSON object or list, so a problem
reported by ``scoring`` at ``criteria[2].weight`` lands on the field ``criteria-2-weight``
(see :mod:`tender.tenders.mapping`). Numbers are text fields that keep what was typed;
``scoring`` decides whether they are valid. Rows are added and removed by submit buttons
(``action=add:criteria``), so the form works without JavaScript.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from scoring.criteria import OBJECTIVE_RULES
from scoring.facts import CHANNELS, PLATFORMS, SERVICES
from scoring.pricing import MODELS
from tender.platform.formfields import MultiCheckboxField, NumberField, choices
from tender.platform.i18n import pick
from tender.tenders.builder import unit_choices
from tender.tenders.kpis_form import KpiForm, PaymentTermsForm
from tender.tenders.profile import ProfileFields


class ScopeForm(Form):
    platforms = MultiCheckboxField(_l("Platforms"))
    channels = MultiCheckboxField(_l("Channels"))
    services = MultiCheckboxField(_l("Services"))
    service_hours = StringField(_l("Service hours"), render_kw={"placeholder": "09:00-22:00"})
    days = StringField(_l("Service days"), render_kw={"placeholder": _l("every day")})


class QualityForm(Form):
    first_response_seconds_max = NumberField(_l("First response within (seconds)"))
    complaint_reply_hours_max = NumberField(_l("Complaint reply within (hours)"))
    complaint_solution_hours_max = NumberField(_l("Complaint solved within (hours)"))
    satisfaction_min = NumberField(_l("Minimum satisfaction (0–1)"))


class WorkItemForm(Form):
    id = StringField(_l("Item id"))
    name = StringField(_l("Name"))
    unit = StringField(_l("Unit"))
    monthly_quantity = NumberField(_l("Monthly quantity"))
    unit_price_ceiling = NumberField(_l("Unit price ceiling"))


class VolumeScenarioForm(Form):
    name = StringField(_l("Name"))
    daily_inquiries = NumberField(_l("Daily inquiries"))
    weight = NumberField(_l("Weight"))


class ScenarioForm(ProfileFields):
    """The workload scenario; its month table (:class:`~tender.tenders.profile.ProfileFields`) is a section of its own."""

    days_per_month = NumberField(_l("Service days per month"))
    daily_inquiries = NumberField(_l("Inquiries per day"))
    returning_share = NumberField(_l("Share of returning customers (0–1)"))
    agents_per_shift = NumberField(_l("Agents per shift"))
    shifts_per_day = NumberField(_l("Shifts per day"))
    hours_per_shift = NumberField(_l("Hours per shift"))
    cs_sales_per_month = NumberField(_l("Sales converted by customer service per month (CNY)"))
    peak_days_per_year = NumberField(_l("Peak days per year"))
    peak_extra_agents = NumberField(_l("Extra agents on each peak day"))
    contract_months = NumberField(_l("Contract length (months)"))
    work_items = FieldList(FormField(WorkItemForm), min_entries=0)
    volume_scenarios = FieldList(FormField(VolumeScenarioForm), min_entries=0)


# The comparisons in words (domain §5 ops).
OPS = [
    (">=", _l("at least")),
    ("<=", _l("at most")),
    ("==", _l("equals")),
    ("covers", _l("covers")),
    ("present", _l("must be provided")),
]


class RuleForm(Form):
    """A qualification rule: what is checked (a fact or document by its name), the comparison
    in words, the value with its unit (see :mod:`tender.tenders.builder`)."""

    subject = StringField(_l("Requirement on"))  # drawn as a select of facts and documents
    custom = StringField(_l("Other fact, in words"))
    op = SelectField(_l("Comparison"), choices=choices(OPS))
    value = StringField(_l("Value"))
    unit = SelectField(_l("Unit"), choices=choices(unit_choices()), validate_choice=False)
    label = StringField(_l("Label shown as the reason"))
    label_en = StringField(_l("Label in English"))
    mandatory = BooleanField(_l("Mandatory"), default=True)


KINDS = [
    ("price", _l("price score")),
    ("objective", _l("objective: computed from the vendor's facts")),
    ("subjective", _l("subjective: scored by the evaluators")),
]
# The objective rules of scoring's registry, named in the reader's language when the form is drawn.
RULES = [("", "—")] + [(name, LazyString(lambda rule=rule: pick(rule.label))) for name, rule in OBJECTIVE_RULES.items()]
AGGREGATES = [("mean", _l("mean")), ("trimmed_mean", _l("trimmed mean"))]
STEP_OPS = [("at_most", _l("at most")), ("at_least", _l("at least"))]


class StepForm(Form):
    """One step of a steps rule: "at most 30 seconds: 10 points"."""

    op = SelectField(_l("Condition"), choices=choices(STEP_OPS))
    value = NumberField(_l("Value"))
    points = NumberField(_l("Points"))


class CriterionForm(Form):
    id = HiddenField(_l("Id"))
    name = StringField(_l("Name"))
    name_en = StringField(_l("Name in English"))
    kind = SelectField(_l("Kind"), choices=choices(KINDS))
    weight = NumberField(_l("Weight (points)"), render_kw={"class": "weight"})
    rule = SelectField(_l("Objective rule"), choices=choices(RULES))
    fact = StringField(_l("Fact"))  # drawn as a select of facts
    custom = StringField(_l("Other fact, in words"))
    unit = SelectField(_l("Unit"), choices=choices(unit_choices()), validate_choice=False)
    # the parameters of the objective rules (scoring.criteria.OBJECTIVE_RULES), one field each
    points_per_unit = NumberField(_l("Points per unit"))
    cap = NumberField(_l("Cap"))
    step_rows = FieldList(FormField(StepForm), min_entries=0)
    steps = TextAreaField(
        _l("Steps on several facts at once (one per line)"),
        render_kw={"rows": 2, "placeholder": "answer_rate >= 0.92 & avg_handle_seconds <= 150 : 10"},
    )
    aggregate = SelectField(_l("Aggregate"), choices=choices(AGGREGATES))
    bands = TextAreaField(_l("Bands"), render_kw={"rows": 2, "placeholder": "一档: 0 - 15\n二档: 15.1 - 30"})


class PriceMethodForm(Form):
    method = SelectField(
        _l("Price scoring method"),
        choices=choices(
            [
                ("lowest_price", _l("lowest price (benchmark = lowest)")),
                ("average_deviation", _l("average deviation (benchmark = mean)")),
            ]
        ),
    )
    above_per_pct = NumberField(_l("Points off per % above the benchmark"))
    below_per_pct = NumberField(_l("Points off per % below the benchmark"))
    drop_extremes = BooleanField(_l("Drop the highest and lowest price (5 bids or more)"))


class AwardForm(Form):
    winners = NumberField(_l("Number of winners"))
    shares = StringField(_l("Shares (e.g. 0.6, 0.4)"))


class ReferencePricingForm(Form):
    model = SelectField(_l("Reference pricing model"))
    parameters = TextAreaField(_l("Reference prices (one per line: name = value)"), render_kw={"rows": 3})


class TenderForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    buyer = StringField(_l("Buyer (organization)"), validators=[Length(max=200)])
    project_code = StringField(_l("Project code"))
    opening_place = StringField(_l("Opening place"))
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})
    bid_deadline = StringField(_l("Bid deadline (Asia/Shanghai)"), render_kw={"type": "datetime-local"})
    opening_time = StringField(_l("Opening time (Asia/Shanghai)"), render_kw={"type": "datetime-local"})
    service_scope = FormField(ScopeForm)
    quality_requirements = FormField(QualityForm)
    scenario = FormField(ScenarioForm)
    qualification_rules = FieldList(FormField(RuleForm), min_entries=0)
    criteria = FieldList(FormField(CriterionForm), min_entries=0)
    price_method = FormField(PriceMethodForm)
    abnormal_low_ratio = NumberField(_l("Abnormally low below this share of the others' mean"))
    price_ceiling = NumberField(_l("Price ceiling (CNY per month)"))
    sme_price_deduction = NumberField(_l("SME price deduction (e.g. 0.1)"))
    min_valid_bids = NumberField(_l("Minimum number of valid bids"))
    challenge_days = NumberField(_l("Challenge period after the result notice (working days)"))
    required_sections = TextAreaField(_l("Required sections of the bid document (one per line)"), render_kw={"rows": 5})
    award = FormField(AwardForm)
    reference_pricing = FormField(ReferencePricingForm)
    kpis = FieldList(FormField(KpiForm), min_entries=0)  # §14: tender/tenders/kpis_form.py
    payment_terms = FormField(PaymentTermsForm)
    save = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = self.service_scope
        scope.platforms.choices = choices((c, pick(zh, en)) for c, (zh, en) in PLATFORMS.items())
        scope.channels.choices = choices((c, pick(zh, en)) for c, (zh, en) in CHANNELS.items())
        scope.services.choices = choices((c, pick(zh, en)) for c, (zh, en) in SERVICES.items())
        self.reference_pricing.model.choices = choices(
            [("", _l("none"))]
            + [(name, pick(m.zh, m.en)) for name, m in MODELS.items() if name != "reference_discount"]
        )


class AmendForm(TenderForm):
    change_note = TextAreaField(
        _l("What changed and why (shown to vendors)"),
        validators=[DataRequired(), Length(max=4000)],
        render_kw={"rows": 3},
    )
    save = SubmitField(_l("Publish the amendment"))


class ExtendForm(FlaskForm):
    bid_deadline = StringField(
        _l("New bid deadline (Asia/Shanghai)"), validators=[DataRequired()], render_kw={"type": "datetime-local"}
    )
    opening_time = StringField(
        _l("New opening time (Asia/Shanghai)"), validators=[DataRequired()], render_kw={"type": "datetime-local"}
    )
    submit = SubmitField(_l("Extend the deadline"))


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason for cancelling"), validators=[DataRequired(), Length(max=4000)])
    submit = SubmitField(_l("Cancel the tender"))


class ImportForm(FlaskForm):
    file = FileField(_l("Tender JSON file"), validators=[FileRequired()])
    submit = SubmitField(_l("Import as a new draft"))


class ConfirmForm(FlaskForm):
    submit = SubmitField()
