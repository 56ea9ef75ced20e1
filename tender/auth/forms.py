"""Sign-in, registration and company-facts forms."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from scoring.facts import CHANNELS, PLATFORMS, SERVICES, STANDARD_FACTS
from scoring.identity import credit_code_problem
from tender.platform.formfields import MultiCheckboxField, NumberField, NumberText, choices, decimal_text
from tender.platform.i18n import pick

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address such as name@company.cn."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), EMAIL])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign in"))


NUMBER_FACTS = {
    # fact: (minimum, maximum, integer)
    "registered_capital": (0, None, False),
    "years_in_business": (0, None, False),
    "staff_count": (0, None, True),
    "agents_available": (0, None, True),
    "similar_projects": (0, None, True),
    "first_response_seconds": (0, None, False),
    "complaint_reply_hours": (0, None, False),
    "complaint_solution_hours": (0, None, False),
    "satisfaction_commitment": (0, 1, False),
    "conversion_rate_commitment": (0, 1, False),
}
BOOL_FACTS = ("independent_legal_person", "sound_accounting", "sme", "no_major_violation_3y")
SET_FACTS = {"platforms": PLATFORMS, "channels": CHANNELS, "services": SERVICES}


def _code_choices(codes: dict) -> list[tuple[str, str]]:
    return choices((code, pick(zh, en)) for code, (zh, en) in codes.items())


class CreditCode:
    """Validator: a unified social credit code whose check character holds (GB 32100-2015);
    the reason in the reader's language, from ``scoring.identity``."""

    def __call__(self, form, field):
        problem = credit_code_problem(field.data or "")
        if problem is not None:
            raise ValidationError(pick(problem))


class CompanyFactsForm(FlaskForm):
    """The standard vendor facts of domain §5, plus any other fact as ``name = value`` lines."""

    company_name = StringField(validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(
        _l("Unified social credit code"),
        validators=[
            DataRequired(message=_l("Enter the unified social credit code (18 characters, on the business licence).")),
            Length(max=40),
            CreditCode(),
        ],
    )
    registered_capital = NumberField(validators=[NumberText(*NUMBER_FACTS["registered_capital"][:2])])
    established = DateField(validators=[Optional()])
    independent_legal_person = BooleanField()
    staff_count = NumberField(validators=[NumberText(0, integer=True)])
    agents_available = NumberField(validators=[NumberText(0, integer=True)])
    similar_projects = NumberField(validators=[NumberText(0, integer=True)])
    platforms = MultiCheckboxField()
    channels = MultiCheckboxField()
    services = MultiCheckboxField()
    first_response_seconds = NumberField(validators=[NumberText(0)])
    complaint_reply_hours = NumberField(validators=[NumberText(0)])
    complaint_solution_hours = NumberField(validators=[NumberText(0)])
    satisfaction_commitment = NumberField(validators=[NumberText(0, 1)])
    conversion_rate_commitment = NumberField(validators=[NumberText(0, 1)])
    sound_accounting = BooleanField()
    sme = BooleanField()
    no_major_violation_3y = BooleanField()
    other_facts = TextAreaField(_l("Other facts this tender asks for (one per line: name = value)"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, fact in STANDARD_FACTS.items():
            if name in self._fields:
                self[name].label.text = pick(fact.zh, fact.en)
        for name, codes in SET_FACTS.items():
            self[name].choices = _code_choices(codes)

    def validate_other_facts(self, field):
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if line.strip() and "=" not in line:
                raise ValidationError(_l("Line %(n)s: write name = value.", n=number))

    def facts(self) -> dict:
        """The declared facts as stored: numbers as decimal text, sets as code lists."""
        facts: dict = {}
        for name in NUMBER_FACTS:
            if name in self._fields and decimal_text(self[name].data) is not None:
                facts[name] = decimal_text(self[name].data)
        if self.established.data:
            facts["established"] = self.established.data.isoformat()
        for name in BOOL_FACTS:
            facts[name] = bool(self[name].data)
        for name in SET_FACTS:
            facts[name] = list(self[name].data or [])
        for line in (self.other_facts.data or "").splitlines():
            if "=" in line:
                key, value = (part.strip() for part in line.split("=", 1))
                if key and key not in facts:
                    facts[key] = value
        return facts

    def fill_from(self, company_name: str, facts: dict, credit_code: str | None = None) -> None:
        self.company_name.data = company_name
        self.credit_code.data = credit_code or ""
        for name in NUMBER_FACTS:
            if name in self._fields:
                self[name].data = facts.get(name, "")
        if facts.get("established"):
            self.established.data = dt.date.fromisoformat(facts["established"])
        for name in BOOL_FACTS:
            self[name].data = bool(facts.get(name))
        for name in SET_FACTS:
            self[name].data = list(facts.get(name) or [])
        known = set(NUMBER_FACTS) | set(BOOL_FACTS) | set(SET_FACTS) | {"established", "company_name"}
        self.other_facts.data = "\n".join(f"{k} = {v}" for k, v in facts.items() if k not in known)


class RegisterVendorForm(CompanyFactsForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)])
    name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=200)])
    password2 = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))],
    )
    submit = SubmitField(_l("Register"))
