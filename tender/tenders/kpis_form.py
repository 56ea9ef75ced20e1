"""The tender form's KPI and payment-terms section (domain §14): the KPIs the contract's
months are settled against and the share of each month's fee held against them.

The section reads into ``kpis`` and ``payment_terms`` of the definition and back; the
engine (:func:`scoring.kpis.parse_kpis`, :func:`scoring.kpis.parse_payment_terms`, run
when the tender is saved) validates them — weights summing to 1, a known direction,
targets ≥ 0, shares in [0, 1] — and each problem is placed on its field (the weight sum
above the form). A KPI row left wholly blank is not a KPI; no row at all leaves both out
(the contract is then paid as charged).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField

from tender.platform.formfields import NumberField, choices

ROW_LIST = "kpis"
KPI_KEYS = ("id", "name", "direction", "target", "weight")


class KpiForm(Form):
    id = StringField(_l("KPI id"), render_kw={"placeholder": "reply_3min"})
    name = StringField(_l("KPI name"), render_kw={"placeholder": "3分钟人工回复率"})
    direction = SelectField(
        _l("Direction"),
        choices=choices([("at_least", _l("at least the target")), ("at_most", _l("at most the target"))]),
    )
    target = NumberField(_l("Target"))
    weight = NumberField(_l("Weight (the KPIs' weights sum to 1)"))


class PaymentTermsForm(Form):
    at_risk_share = NumberField(_l("Share of each month's fee held against the KPIs (e.g. 0.10)"))
    bonus_share = NumberField(_l("Bonus when every KPI is met (share of the fee, e.g. 0.03)"))


def read(form, reading) -> None:
    """The section's ``kpis`` and ``payment_terms`` into ``reading.definition``."""
    from tender.tenders.mapping import num

    kpis, rows = [], []
    for index, entry in enumerate(form.kpis.entries):
        f = entry.form
        typed = {
            "id": (f.id.data or "").strip(),
            "name": (f.name.data or "").strip(),
            "target": num(f.target.data),
            "weight": num(f.weight.data),
        }
        if not any(value not in (None, "") for value in typed.values()):
            continue
        kpi = {key: value for key, value in typed.items() if value not in (None, "")}
        kpi["direction"] = f.direction.data or "at_least"
        if not kpi.get("name") and kpi.get("id"):
            kpi["name"] = kpi["id"]
        kpis.append(kpi)
        rows.append(index)
    reading.rows[ROW_LIST] = rows
    if kpis:
        reading.definition["kpis"] = kpis
    terms = {key: num(form.payment_terms[key].data) for key in ("at_risk_share", "bonus_share")}
    terms = {key: value for key, value in terms.items() if value is not None}
    if terms:
        reading.definition["payment_terms"] = terms


def formdata(definition: dict, put) -> None:
    """The section's form data for a definition (``put(name, value)`` as the mapping's)."""
    for index, kpi in enumerate(definition.get("kpis") or []):
        for key in KPI_KEYS:
            put(f"kpis-{index}-{key}", kpi.get(key))
    for key, value in (definition.get("payment_terms") or {}).items():
        put(f"payment_terms-{key}", value)
