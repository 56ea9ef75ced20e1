"""Forms for making accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from tender.auth.forms import EMAIL
from tender.platform.formfields import choices


class NewAccountForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), EMAIL, Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(
        _l("Role"),
        choices=choices([("buyer", _l("Buyer")), ("evaluator", _l("Evaluator")), ("admin", _l("Administrator"))]),
    )
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=8, max=200)])
    submit = SubmitField(_l("Create account"))


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""

    submit = SubmitField()
