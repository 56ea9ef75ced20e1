"""Form fields and validators shared by the blueprints' forms.

Numbers are kept as the text the user typed until a service reads them, so a form that
shows an error shows exactly what was typed, and money never passes through float.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError


def clean_number_text(text: str | None) -> str:
    """``' ¥1,500.00 '`` → ``'1500.00'``; full-width digits and separators accepted."""
    if text is None:
        return ""
    table = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
    return str(text).translate(table).replace(",", "").replace("¥", "").replace("￥", "").replace("元", "").strip()


def to_decimal_or_none(text: str | None) -> Decimal | None:
    cleaned = clean_number_text(text)
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def decimal_text(text: str | None) -> str | None:
    """The typed number as canonical decimal text (``"1500.00"``), or ``None`` if empty."""
    value = to_decimal_or_none(text)
    return None if value is None else format(value, "f")


def choices(pairs) -> list[SelectChoice]:
    """``[(value, label), …]`` as WTForms 3.3 wants select options."""
    return [SelectChoice(value, label) for value, label in pairs]


class NumberText:
    """Validator: empty (unless required elsewhere) or a number within [minimum, maximum]."""

    def __init__(self, minimum=None, maximum=None, integer: bool = False):
        self.minimum = None if minimum is None else Decimal(str(minimum))
        self.maximum = None if maximum is None else Decimal(str(maximum))
        self.integer = integer

    def __call__(self, form, field):
        if not clean_number_text(field.data):
            return
        value = to_decimal_or_none(field.data)
        if value is None:
            raise ValidationError(_l("Enter a number, e.g. 1500 or 0.95."))
        if self.integer and value != value.to_integral_value():
            raise ValidationError(_l("Enter a whole number."))
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(_l("Must be at least %(n)s.", n=self.minimum))
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(_l("Must be at most %(n)s.", n=self.maximum))


class NumberField(StringField):
    """A number typed as text (``inputmode=decimal``), kept verbatim."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        values = {value for value, *_ in self.iter_choices()}
        for item in self.data or []:
            if item not in values:
                raise ValidationError(_l("'%(item)s' is not a valid choice.", item=item))
