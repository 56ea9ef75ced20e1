"""The lots (标包, domain §13) of the tender form: a section of its own, shown by
``templates/tenders/_lots.html``.

Each lot has its id, its name, its own workload scenario (the same fields as the tender's,
its work items with their unit price ceilings, its volume scenarios and its month table) and
may have its own price ceiling and number of winners; the tender gives the most lots one
vendor may win (兼投不兼中). The buyer adds, removes and orders lots with the form's buttons
(``add:lots``, ``remove:lots:<row>``, ``move:lots:<row>:up|down``). A tender with lots has no
top-level scenario: the form's own scenario is then left out of the definition.

The lots join :class:`tender.tenders.forms.TenderForm` here (WTForms lets a form class gain
fields), and :mod:`tender.tenders.mapping` reads and writes them through :func:`read_lots`
and :func:`put_lots`.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, FieldList, Form, FormField, StringField

from tender.platform.formfields import NumberField
from tender.tenders import mapping, profile
from tender.tenders.forms import ScenarioForm, TenderForm

SCENARIO_NUMBERS = (
    "days_per_month",
    "daily_inquiries",
    "returning_share",
    "agents_per_shift",
    "shifts_per_day",
    "hours_per_shift",
    "cs_sales_per_month",
    "peak_days_per_year",
    "peak_extra_agents",
    "contract_months",
)
LOT_LIST = re.compile(r"^lots(-\d+-scenario-(work_items|volume_scenarios))?$")
MOVE = re.compile(r"^move:lots:(\d+):(up|down)$")


class LotForm(Form):
    id = StringField(_l("Lot id"), render_kw={"placeholder": "L1"})
    name = StringField(_l("Lot name"))
    price_ceiling = NumberField(_l("Price ceiling of the lot (CNY a month)"))
    winners = NumberField(_l("Winners of the lot"))
    scenario = FormField(ScenarioForm)


TenderForm.lots = FieldList(FormField(LotForm), min_entries=0)
TenderForm.max_lots_awarded_per_vendor = NumberField(_l("Most lots one vendor may win"))
# §12: the tender holds a round of final offers (shown by templates/tenders/_final_offer.html).
TenderForm.final_offer = BooleanField(_l("A round of final offers after the technical evaluation"))


def is_lot_list(prefix: str) -> bool:
    """Whether an add/remove button's prefix is the lots or a lot's work items or volumes."""
    return bool(LOT_LIST.match(prefix))


def handle(action: str, formdata: MultiDict) -> MultiDict | None:
    """Move a lot up or down (its fields swap places with its neighbour's); None for any other action."""
    match = MOVE.match(action)
    if not match:
        return None
    row = int(match.group(1))
    other = row - 1 if match.group(2) == "up" else row + 1
    rows = {int(m.group(1)) for key in formdata for m in [re.match(r"^lots-(\d+)-", key)] if m}
    if other < 0 or other not in rows or row not in rows:
        return formdata
    out = MultiDict()
    pattern = re.compile(r"^lots-(\d+)-(.*)$")
    for key, value in formdata.items(multi=True):
        found = pattern.match(key)
        if found and int(found.group(1)) in (row, other):
            index = other if int(found.group(1)) == row else row
            out.add(f"lots-{index}-{found.group(2)}", value)
        else:
            out.add(key, value)
    return out


def read_lots(form, reading, num) -> None:
    """Add the form's lots to ``reading.definition`` (in the order shown); with lots, the
    tender's own scenario and its unit price ceilings are left out (§13). And whether the
    tender holds a round of final offers (§12)."""
    if form.final_offer.data:
        reading.definition["final_offer"] = True
    lots, rows = [], []
    for index, entry in enumerate(form.lots.entries):
        row = entry.form
        if not (row.id.data or "").strip() and not (row.name.data or "").strip():
            continue
        scenario, ceilings = mapping.read_scenario(row.scenario, reading, f"lots.[{len(lots)}].scenario", num)
        lot = {"id": (row.id.data or "").strip(), "name": (row.name.data or "").strip(), "scenario": scenario}
        if num(row.price_ceiling.data) is not None:
            lot["price_ceiling"] = num(row.price_ceiling.data)
        if ceilings:
            lot["unit_price_ceilings"] = ceilings
        if num(row.winners.data) is not None:
            lot["award"] = {"winners": num(row.winners.data)}
        lots.append(lot)
        rows.append(index)
    reading.rows["lots"] = rows
    if not lots:
        return
    definition = reading.definition
    definition["lots"] = lots
    definition.pop("scenario", None)
    definition.pop("unit_price_ceilings", None)
    if num(form.max_lots_awarded_per_vendor.data) is not None:
        definition["max_lots_awarded_per_vendor"] = num(form.max_lots_awarded_per_vendor.data)


def put_lots(definition: dict, data: MultiDict) -> None:
    """Add a definition's lots to form data (as a browser would post them)."""

    def put(name, value):
        if value is not None and value != "":
            data.add(name, str(value))

    for i, lot in enumerate(definition.get("lots") or []):
        if not isinstance(lot, dict):
            continue
        prefix = f"lots-{i}"
        put(f"{prefix}-id", lot.get("id"))
        put(f"{prefix}-name", lot.get("name"))
        put(f"{prefix}-price_ceiling", lot.get("price_ceiling"))
        put(f"{prefix}-winners", (lot.get("award") or {}).get("winners"))
        scenario = lot.get("scenario") or {}
        for key in SCENARIO_NUMBERS:
            put(f"{prefix}-scenario-{key}", scenario.get(key))
        ceilings = lot.get("unit_price_ceilings") or {}
        for j, item in enumerate(scenario.get("work_items") or []):
            for key in ("id", "name", "unit", "monthly_quantity"):
                put(f"{prefix}-scenario-work_items-{j}-{key}", item.get(key))
            put(f"{prefix}-scenario-work_items-{j}-unit_price_ceiling", ceilings.get(item.get("id")))
        for j, volume in enumerate(scenario.get("volume_scenarios") or []):
            for key in ("name", "daily_inquiries", "weight"):
                put(f"{prefix}-scenario-volume_scenarios-{j}-{key}", volume.get(key))
        profile.profile_formdata(scenario, f"{prefix}-scenario", data)
    put("max_lots_awarded_per_vendor", definition.get("max_lots_awarded_per_vendor"))
    if definition.get("final_offer"):
        put("final_offer", "y")
