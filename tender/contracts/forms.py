"""Contract forms: a month's actuals uploaded (or a correction, with its reason), a dispute."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SubmitField, TextAreaField


class UploadActualsForm(FlaskForm):
    month = SelectField(_l("Month"), validate_choice=True)
    actuals = FileField(
        _l("The month's actuals (.xlsx or .csv)"), validators=[FileRequired(_l("Choose the filled actuals workbook."))]
    )
    reason = TextAreaField(_l("Reason for the correction"))
    submit = SubmitField(_l("Upload and settle"))


class DisputeForm(FlaskForm):
    reason = TextAreaField(_l("Why you dispute the settlement"))
    submit = SubmitField(_l("Dispute"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Answer to the vendor's dispute"))
    submit = SubmitField(_l("Confirm as it stands"))
