"""Vendor forms: upload a bid (price sheet + bid document), confirm, withdraw."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField


class UploadBidForm(FlaskForm):
    quote = FileField(_l("Filled price sheet (.xlsx)"), validators=[FileRequired(_l("Choose the filled price sheet."))])
    document = FileField(_l("Bid document (.docx)"), validators=[FileRequired(_l("Choose the bid document."))])
    submit = SubmitField(_l("Upload and check"))


class ConfirmBidForm(FlaskForm):
    submit = SubmitField(_l("Confirm and submit the bid"))


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Withdraw the bid"))
