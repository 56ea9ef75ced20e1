"""Form fields and validators shared by the blueprints' forms.

Numbers are kept as the text the user typed until a service reads them, so a form that
shows an error shows exactly what was typed, and money never passes through float.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from tender.documents.cells import CellValueError, parse_number


def clean_number_text(text: str | None) -> str:
    """``' ¥1,500.00 '`` → ``'1500.00'``; full-width digits and separators accepted."""
    if text is None:
        return ""
    table = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
    return str(text).translate(table).replace(",", "").replace("¥", "").replace("￥", "").replace("元", "").strip()


def to_decimal_or_none(text: str | None) -> Decimal | None:
    """A typed number read by the vendor's sheet's reader (:func:`tender.documents.cells.parse_number`:
    ``95%``, ``3,000条``, ``100万元``…), or ``None`` when empty or not a number."""
    if not clean_number_text(text):
        return None
    try:
        value = parse_number(text)
    except CellValueError:
        return None
    return value if value.is_finite() else None


def understood(text: str | None) -> str | None:
    """What a typed number was read as, when it differs from what was typed (``100万`` →
    ``1,000,000``; ``95%`` → ``0.95``), for the form to show beside the field; else ``None``."""
    value = to_decimal_or_none(text)
    if value is None:
        return None
    plain = format(value.normalize(), "f")
    whole, _, fraction = plain.partition(".")
    shown = f"{int(whole):,}" + ("." + fraction if fraction else "")
    typed = str(text).strip()
    return None if typed in (plain, shown) else shown


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
            raise ValidationError(_l("Enter a number, e.g. 1500, 0.95, 3,000条 or 100万."))
        if self.integer and value != value.to_integral_value():
            raise ValidationError(_l("Enter a whole number."))
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(_l("Must be at least %(n)s.", n=self.minimum))
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(_l("Must be at most %(n)s.", n=self.maximum))


class NumberField(StringField):
    """A number typed as text, kept verbatim; it may carry its unit (``95%``, ``100万``,
    ``3,000条``), and :attr:`understood` says what it was read as."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)

    @property
    def understood(self) -> str | None:
        return understood(self.data)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        values = {value for value, *_ in self.iter_choices()}
        for item in self.data or []:
            if item not in values:
                raise ValidationError(_l("'%(item)s' is not a valid choice.", item=item))


def _is_row_list(field) -> bool:
    return hasattr(field, "entries")


def _is_subform(field) -> bool:
    return hasattr(field, "form") and hasattr(field.form, "_fields")


def error_links(form, row_names: dict | None = None) -> list[tuple[str, str, str]]:
    """Every error of a form, nested rows included, as ``(field id, where in words, message)``
    for the summary at the top of the page to link to each field. ``row_names`` names a row
    list by its field name (``{"criteria": "Criterion"}`` → "Criterion 2 · Weight")."""
    row_names = row_names or {}
    found: list[tuple[str, str, str]] = []

    def label_of(field) -> str:
        return str(field.label.text) if getattr(field, "label", None) is not None else field.name

    def walk(field, context: list[str]):
        if _is_row_list(field):
            title = row_names.get(field.short_name) or label_of(field)
            for number, entry in enumerate(field.entries, start=1):
                walk(entry, [*context, f"{title} {number}"])
        elif _is_subform(field):
            for sub in field.form:
                walk(sub, context)
        elif getattr(field, "errors", None) and field.type not in ("CSRFTokenField", "HiddenField"):
            where = " · ".join([*context, label_of(field)])
            for message in field.errors:
                found.append((field.id, where, str(message)))

    for field in form:
        if _is_subform(field) and not _is_row_list(field):
            title = row_names.get(field.short_name)
            walk(field, [title] if title else [])
        else:
            walk(field, [])
    return found
