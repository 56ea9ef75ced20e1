"""The month table of the tender form: the scenario's ``monthly_profile`` (domain §10).

A section of its own, reusable wherever a scenario is edited (the tender's, a lot's): its
fields join a scenario form through :class:`ProfileFields`, its rows are read and written
by the functions below, and it is drawn by ``templates/tenders/_profile.html``. Each row
is a contract month: label, daily inquiries, days, seats per shift, peak days, CS sales,
and one quantity per work item of the scenario. A cell left empty takes the scenario's
value (§10's defaults), so a row needs only its daily inquiries.

The table is filled in four ways, each a postback of the whole form (nothing else typed
is lost; without JavaScript too): typed; pasted from a spreadsheet into the paste box;
uploaded as last year's monthly volumes (.xlsx or .csv, read by
:mod:`tender.documents.volume_upload`); or the "flat year" (``contract_months`` equal
months at the scenario's daily inquiries). Pasted and uploaded tables are read by
:mod:`tender.documents.month_table`; a table that cannot be read is reported at its cells
and leaves the form's table as it was. The months are then validated by ``scoring`` like
the rest of the tender, each problem shown at its row's field.

Every action works on the posted form data (``{scenario}-monthly_profile-{i}-{field}``)
before the form is bound: :func:`handle` for the section's buttons, :func:`align` to keep
each month's work quantities under their work item when items are added, removed or
renamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField, HiddenField, StringField, TextAreaField

from scoring.money import plain
from tender.platform.formfields import NumberField, to_decimal_or_none
from tender.platform.i18n import problem_text

MONTH_FIELDS = ("label", "daily_inquiries", "days", "agents_per_shift", "peak_days", "cs_sales")
ACTIONS = ("flat", "paste", "upload", "clear")
# A scenario's field prefix: "scenario", or a lot's "lots-0-scenario".
PREFIX = re.compile(r"^(?:[a-z_]+-\d+-)*scenario$")
LIST = re.compile(r"^(?P<prefix>(?:[a-z_]+-\d+-)*scenario)-monthly_profile$")
_QUANTITY = re.compile(r"^(?P<month>.+-monthly_profile-\d+)-work_quantities-(?P<index>\d+)-(?P<part>item|quantity)$")
FLAT_MONTHS_LIMIT = 120


class QuantityForm(Form):
    item = HiddenField()
    quantity = NumberField(_l("Quantity"))


class MonthForm(Form):
    label = StringField(_l("Month"))
    daily_inquiries = NumberField(_l("Inquiries per day"))
    days = NumberField(_l("Days"))
    agents_per_shift = NumberField(_l("Agents per shift"))
    peak_days = NumberField(_l("Peak days"))
    cs_sales = NumberField(_l("Sales by customer service (CNY)"))
    work_quantities = FieldList(FormField(QuantityForm), min_entries=0)


class ProfileFields(Form):
    """The month table's fields, for a scenario form to inherit."""

    monthly_profile = FieldList(FormField(MonthForm), min_entries=0)
    profile_paste = TextAreaField(_l("Paste the months here"), render_kw={"rows": 4})
    profile_file = FileField(_l("Last year's monthly volumes (.xlsx or .csv)"))


def is_profile_list(prefix: str) -> bool:
    """Whether a row-list prefix (of an add/remove button) is a month table."""
    return bool(LIST.match(prefix))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _number(text: str):
    """Typed number as the tender form reads numbers (see :func:`tender.tenders.mapping.num`)."""
    from tender.tenders.mapping import num

    return num(text)


# --------------------------------------------------------------------------- form → definition


def read_profile(scenario_form, reading, dotted: str = "scenario") -> list[dict] | None:
    """The §10 ``monthly_profile`` of a scenario form (None when the table is empty); the form
    row of each month is recorded in ``reading.rows`` under ``<dotted>.monthly_profile``, so
    a problem at ``scenario.monthly_profile[2].days`` is shown on that row's field."""
    months, rows = [], []
    for index, entry in enumerate(scenario_form.monthly_profile.entries):
        row = entry.form
        quantities = {
            _text(q.form.item.data): _number(q.form.quantity.data)
            for q in row.work_quantities.entries
            if _text(q.form.item.data) and _text(q.form.quantity.data)
        }
        typed = {name: _text(row[name].data) for name in MONTH_FIELDS}
        if not any(typed.values()) and not quantities:
            continue
        month: dict = {}
        if typed["label"]:
            month["label"] = typed["label"]
        month["daily_inquiries"] = _number(typed["daily_inquiries"])
        for name in MONTH_FIELDS[2:]:
            if typed[name]:
                month[name] = _number(typed[name])
        if quantities:
            month["work_quantities"] = quantities
        months.append(month)
        rows.append(index)
    reading.rows[f"{dotted}.monthly_profile"] = rows
    return months or None


# --------------------------------------------------------------------------- definition → form data


def profile_formdata(scenario: dict, prefix: str, data: MultiDict) -> None:
    """Add a scenario's months to form data, each month's quantities under its work item."""
    items = [item.get("id") for item in scenario.get("work_items") or []]
    for index, month in enumerate(scenario.get("monthly_profile") or []):
        if not isinstance(month, dict):
            continue
        _put_month(data, f"{prefix}-monthly_profile-{index}", month, items)


def _put_month(data: MultiDict, name: str, month: dict, items: list) -> None:
    for key in MONTH_FIELDS:
        value = month.get(key)
        if value is not None and value != "":
            data.add(f"{name}-{key}", value if isinstance(value, str) else _shown(value))
    quantities = month.get("work_quantities") or {}
    for position, item in enumerate(items):
        data.add(f"{name}-work_quantities-{position}-item", str(item or ""))
        if isinstance(quantities, dict) and quantities.get(item) is not None:
            data.add(f"{name}-work_quantities-{position}-quantity", _shown(quantities[item]))


def _shown(value) -> str:
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


# --------------------------------------------------------------------------- work quantities in line


def align(formdata: MultiDict) -> MultiDict:
    """Form data whose months' quantity ``j`` belongs to work item row ``j`` again: matched by
    the item's id first, else by position; a quantity whose item was removed is dropped."""
    months: dict[str, dict[int, dict]] = {}
    for key, value in formdata.items(multi=True):
        match = _QUANTITY.match(key)
        if match:
            months.setdefault(match["month"], {}).setdefault(int(match["index"]), {})[match["part"]] = value
    if not months:
        return formdata
    out = MultiDict([(k, v) for k, v in formdata.items(multi=True) if not _QUANTITY.match(k)])
    for month, entries in months.items():
        prefix = month.rsplit("-monthly_profile-", 1)[0]
        ids = _work_item_ids(formdata, prefix)
        placed: dict[int, str] = {}
        left = []
        for index in sorted(entries):
            item = _text(entries[index].get("item"))
            row = ids.index(item) if item and item in ids and ids.index(item) not in placed else None
            if row is None:
                left.append(index)
            else:
                placed[row] = _text(entries[index].get("quantity"))
        for index in left:
            if index < len(ids) and index not in placed and _text(entries[index].get("item")) not in ids:
                placed[index] = _text(entries[index].get("quantity"))
        for row, item in enumerate(ids):
            out.add(f"{month}-work_quantities-{row}-item", item)
            if placed.get(row):
                out.add(f"{month}-work_quantities-{row}-quantity", placed[row])
    return out


def _work_item_ids(formdata: MultiDict, prefix: str) -> list[str]:
    """The ids typed in a scenario's work item rows, one per row in order ('' when blank)."""
    pattern = re.compile(rf"^{re.escape(prefix)}-work_items-(\d+)-id$")
    rows = {}
    for key, value in formdata.items(multi=True):
        match = pattern.match(key)
        if match:
            rows[int(match.group(1))] = _text(value)
    return [rows[index] for index in sorted(rows)]


def _work_items(formdata: MultiDict, prefix: str) -> dict[str, str]:
    """id → name of a scenario's work items, for the columns of a pasted or uploaded table."""
    found = {}
    for index, item_id in enumerate(_work_item_ids(formdata, prefix)):
        if item_id:
            found[item_id] = _text(formdata.get(f"{prefix}-work_items-{index}-name")) or item_id
    return found


# --------------------------------------------------------------------------- the section's buttons


@dataclass
class Notes:
    """What an action has to say in its section: problems (nothing was changed), news and
    warnings (the table was filled), and each month total turned into a daily figure."""

    prefix: str
    problems: list[str] = field(default_factory=list)
    news: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    conversions: list = field(default_factory=list)  # month_table.MonthRow with a total


def handle(action: str, formdata: MultiDict, files) -> tuple[MultiDict, Notes] | None:
    """Carry out a month table button (``profile-<flat|paste|upload|clear>:<scenario prefix>``)
    on the posted data: the new form data and what to tell; None for any other action."""
    kind, _sep, prefix = action.partition(":")
    if not kind.startswith("profile-") or kind[8:] not in ACTIONS or not PREFIX.match(prefix):
        return None
    notes = Notes(prefix)
    kind = kind[8:]
    if kind == "clear":
        return _replace(formdata, prefix, []), notes
    if kind == "flat":
        return _flat_year(formdata, prefix, notes)
    from tender.documents import month_table

    if kind == "paste":
        text = formdata.get(f"{prefix}-profile_paste") or ""
        if not text.strip():
            notes.problems.append(
                _("Paste the months into the box first (copied from a spreadsheet: one month a row).")
            )
            return formdata, notes
        reading = month_table.read_text(text, work_items=_work_items(formdata, prefix))
        source = _("the pasted text")
    else:
        upload = files.get(f"{prefix}-profile_file") if files else None
        if upload is None or not upload.filename:
            notes.problems.append(_("Choose the file of last year's monthly volumes (.xlsx or .csv) first."))
            return formdata, notes
        from tender.documents.volume_upload import read_volume_file

        reading = read_volume_file(upload.filename, upload.read(), work_items=_work_items(formdata, prefix))
        from tender.documents.upload_check import decoded_name

        source = decoded_name(upload.filename) or _("the file")
    if reading.problems:
        notes.problems += [problem_text(p) for p in reading.problems]
        return formdata, notes
    months = [_month_dict(row) for row in reading.months]
    out = _replace(formdata, prefix, months)
    if kind == "paste":
        out.setlist(f"{prefix}-profile_paste", [])
    notes.news.append(_("%(count)s months read from %(source)s.", count=len(months), source=source))
    notes.conversions = [row for row in reading.months if row.total_inquiries is not None]
    _check_against_scenario(formdata, prefix, len(months), notes)
    return out, notes


def _month_dict(row) -> dict:
    month = {"label": row.label, "daily_inquiries": row.daily_inquiries}
    for name in ("days", "agents_per_shift", "peak_days", "cs_sales"):
        if getattr(row, name) is not None:
            month[name] = getattr(row, name)
    if row.work_quantities:
        month["work_quantities"] = dict(row.work_quantities)
    return month


def _replace(formdata: MultiDict, prefix: str, months: list[dict]) -> MultiDict:
    """The form data with the scenario's month table replaced by ``months``."""
    own = f"{prefix}-monthly_profile-"
    out = MultiDict([(k, v) for k, v in formdata.items(multi=True) if not k.startswith(own)])
    items = _work_item_ids(formdata, prefix)
    for index, month in enumerate(months):
        _put_month(out, f"{own}{index}", month, items)
    return out


def _flat_year(formdata: MultiDict, prefix: str, notes: Notes):
    """``contract_months`` equal months at the scenario's daily inquiries, every other value
    left to the scenario: the same monthly cost as no table, a start to edit 618 and 双11 in."""
    daily = to_decimal_or_none(formdata.get(f"{prefix}-daily_inquiries"))
    months_text = _text(formdata.get(f"{prefix}-contract_months")) or "12"
    count = to_decimal_or_none(months_text)
    if daily is None or daily < 0:
        notes.problems.append(
            _("Enter the scenario's inquiries per day first: the flat year repeats them every month.")
        )
    if count is None or count != count.to_integral_value() or not 1 <= count <= FLAT_MONTHS_LIMIT:
        notes.problems.append(
            _("The contract length must be a whole number of months (1 to %(n)s) for a flat year.", n=FLAT_MONTHS_LIMIT)
        )
    if notes.problems:
        return formdata, notes
    months = [{"label": str(number), "daily_inquiries": daily} for number in range(1, int(count) + 1)]
    notes.news.append(
        _(
            "%(count)s equal months at %(daily)s inquiries a day: change the months that differ "
            "(618, Singles' Day, the Spring Festival).",
            count=int(count),
            daily=plain(daily),
        )
    )
    _check_against_scenario(formdata, prefix, int(count), notes)
    return _replace(formdata, prefix, months), notes


def _check_against_scenario(formdata: MultiDict, prefix: str, count: int, notes: Notes) -> None:
    """Warn of what the engine would refuse with a month table (before the buyer saves)."""
    months = to_decimal_or_none(formdata.get(f"{prefix}-contract_months"))
    if months is not None and months != count:
        notes.warnings.append(
            _(
                "The table has %(count)s months and the contract %(months)s: add or remove months, "
                "or change the contract length.",
                count=count,
                months=plain(months),
            )
        )
    peak = to_decimal_or_none(formdata.get(f"{prefix}-peak_days_per_year"))
    if peak:
        notes.warnings.append(
            _(
                "With a month table the peak days are given month by month: put the %(days)s peak "
                "days a year into their months and empty “Peak days per year”.",
                days=plain(peak),
            )
        )
    if any(key.startswith(f"{prefix}-volume_scenarios-") and _text(value) for key, value in formdata.items(multi=True)):
        notes.warnings.append(_("With a month table the volume scenarios are not used: remove them."))


def attach(form, notes: Notes | None) -> None:
    """Keep an action's notes on its scenario field, where the section shows them."""
    if notes is None:
        return
    target = form
    for part in notes.prefix.split("-"):
        target = (
            target.entries[int(part)] if part.isdigit() else (target.form if hasattr(target, "form") else target)[part]
        )
    target.profile_notes = notes


# --------------------------------------------------------------------------- problems → fields


def problem_parts(parts: list[str], names: dict) -> list[str]:
    """The form field of a month's work quantity: ``…-monthly_profile-3-work_quantities-chat``
    becomes ``…-monthly_profile-3-work_quantities-<its row>-quantity``."""
    if "monthly_profile" not in parts:
        return parts
    at = parts.index("monthly_profile")
    if len(parts) >= at + 4 and parts[at + 2] == "work_quantities":
        month = names.get("-".join(parts[: at + 2]))
        if month is not None and hasattr(month, "form"):
            for position, entry in enumerate(month.form.work_quantities.entries):
                if _text(entry.form.item.data) == parts[at + 3]:
                    return parts[: at + 3] + [str(position), "quantity"]
        return parts[: at + 3]
    return parts


def problem_section(parts: list[str]) -> str | None:
    """The section a problem of the month table as a whole belongs to (``scenario-monthly_profile``)."""
    if "monthly_profile" in parts:
        return "-".join(parts[: parts.index("monthly_profile") + 1])
    return None
