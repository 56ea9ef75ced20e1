"""The price-sheet workbook's layout, shared by the template writer and the reader.

Rows are found by the code in column A (``new_rate``, ``registered_capital``…) or, when a
vendor has cleared it, by the label in column B, never by a fixed row number, so a vendor
may insert rows. Sheet names and columns are fixed (the sheets are protected).
"""

from __future__ import annotations

import re
from decimal import Decimal

from scoring.criteria import OBJECTIVE_RULES
from scoring.facts import CHANNELS, PLATFORMS, SERVICES, STANDARD_FACTS
from scoring.facts import DOCUMENTS as DOCUMENT_NAMES
from scoring.pricing import COMMON, MODELS, PARAMETERS
from tender.documents.cells import clean_text

FORMAT = "tender-quote/1"

INSTRUCTIONS = "说明"
FACTS = "供应商信息"
QUOTE = "报价"
RATE_CARD = "报价清单"
SCENARIO = "用量基准"
MARKER = "_tender"  # veryHidden: tender id, version, drop-down lists

# columns (1-based) of the facts and quote sheets
CODE, LABEL, INPUT, HINT, EXTRA = 1, 2, 3, 4, 5
# tiers table: up_to / fee / rate; one-time fees: label / amount
TIER_UP_TO, TIER_FEE, TIER_RATE = 3, 4, 5
FEE_LABEL, FEE_AMOUNT = 2, 3
# rate card: the header row (found by its first cell) and the item rows below it
ITEM_ID, ITEM_NAME, ITEM_UNIT, ITEM_QUANTITY, ITEM_PRICE, ITEM_CEILING = 1, 2, 3, 4, 5, 6
ITEM_ID_HEADER = "编号\nitem id"

MODEL = "model"
DOCUMENTS = "documents"
TIERS = "tiers"
FEES = "one_time_fees"
TIER_ROWS = 8
FEE_ROWS = 5
MAX_ROWS = 2000  # rows scanned per sheet: a real price sheet has under 100

# marker sheet: keys in column A, values in column B; drop-down lists in columns D…
MARKER_KEYS = ("tender_id", "version", "format", "lang")
LIST_COLUMNS = {"models": "D", "yes_no": "E", "basis": "F", "mode": "G"}

SECTIONS = {
    "model": ("第一步：选择报价方式", "Step 1: choose the pricing model"),
    "reference": ("参考价整体折扣", "Discount on the buyer's reference prices"),
    "parameters": (
        "第二步：填写所选报价方式的参数（其他留空）",
        "Step 2: the parameters of the chosen model (leave the others empty)",
    ),
    "tiers": ("阶梯表（报价方式为 tiered 时填写）", "Tiers (for the tiered model)"),
    "fees": ("一次性费用（培训费、系统对接费等，可不填）", "One-time fees (training, system integration…; optional)"),
    "common": ("第三步：通用报价项（任何报价方式）", "Step 3: common components (any model)"),
    "facts": ("供应商信息", "Vendor facts"),
    "extra_facts": ("本项目另需的信息", "Further facts this tender asks for"),
    "documents": ("提交的文件", "Documents submitted"),
    "rate_card_note": ("报价清单的单价请填在“报价清单”表", "Unit prices of the rate card go on the sheet 报价清单"),
    "year_note": (
        "按合同各月逐月计价：包月费、保底、套餐包含量、阶梯只填一次，分别适用于每一个月（逐月用量见用量基准表）",
        "Priced month by month: a package, a minimum or a tier is entered once and applies to each "
        "month alone (the months: see the scenario sheet)",
    ),
}

# scalar parameters shown as rows on the quote sheet, in the order of the models
SCALAR_PARAMETERS = tuple(
    dict.fromkeys(
        name
        for model in MODELS.values()
        for name in (*model.required, *model.optional)
        if PARAMETERS[name].kind not in ("tiers", "prices", "fees") and name not in COMMON
    )
)
COMMON_PARAMETERS = tuple(name for name in COMMON if name != FEES)

CHOICES = {
    "basis": {
        "daily": ("日均", "日均咨询量", "daily inquiries"),
        "monthly": ("月度", "月度咨询量", "monthly inquiries"),
    },
    "mode": {"bracket": ("全额", "全额累计", "全额阶梯"), "graduated": ("超额累进", "累进", "超额")},
}

DOCUMENT_LABELS = DOCUMENT_NAMES

# unit words a vendor may type after a number, per fact (``30秒``, ``5年``)
FACT_UNITS = {
    "first_response_seconds": ("秒", "s", "sec", "seconds"),
    "complaint_reply_hours": ("小时", "h", "hours"),
    "complaint_solution_hours": ("小时", "h", "hours"),
    "years_in_business": ("年", "years"),
}

SET_CODES = {"platforms": PLATFORMS, "channels": CHANNELS, "services": SERVICES}


def model_display(name: str) -> str:
    """How a model appears in the drop-down: ``per_inquiry — 按咨询量计件（+保底）``."""
    return f"{name} — {MODELS[name].zh}"


def model_options() -> dict[str, tuple[str, ...]]:
    return {name: (model.zh, model.en, model_display(name)) for name, model in MODELS.items()}


def offered_models(tender: dict) -> list[str]:
    """The models this tender's drop-down offers: the nine, plus the rate card and the
    reference discount when the tender (or, divided into lots, any lot) has work items or
    reference prices. A lot's own sheet still refuses a model that lot does not offer."""
    views = [lot_view(tender, lot) for lot in tender_lots(tender)] or [tender]
    names = [name for name in MODELS if name not in ("line_items", "reference_discount")]
    if any((view.get("scenario") or {}).get("work_items") for view in views):
        names.append("line_items")
    if any(view.get("reference_pricing") for view in views):
        names.append("reference_discount")
    return names


def proposed_model(tender: dict) -> str | None:
    """The model the template pre-selects: a tender with reference prices or a rate card is
    normally quoted that way (the vendor may still choose another)."""
    if tender.get("reference_pricing"):
        return "reference_discount"
    return "line_items" if (tender.get("scenario") or {}).get("work_items") else None


# ---------------------------------------------------------------------------- lots (标包)
# A tender divided into lots has one quote sheet, rate card and scenario sheet per lot,
# named with the lot id ("报价 L1"); the vendor fills the sheets of the lots it bids for.


def tender_lots(tender: dict) -> list[dict]:
    lots = tender.get("lots")
    return [lot for lot in lots if isinstance(lot, dict) and lot.get("id")] if isinstance(lots, list) else []


def lot_sheet(sheet: str, lot_id) -> str:
    """``报价`` → ``报价 L1``."""
    return f"{sheet} {lot_id}"


def lot_view(tender: dict, lot: dict) -> dict:
    """The tender definition as one lot's sheets see it: that lot's scenario, reference
    prices and unit price ceilings (``scoring.tender.Tender.for_lot`` for the engine)."""
    view = {key: value for key, value in tender.items() if key != "lots"}
    view["scenario"] = lot.get("scenario") or {}
    for key in ("reference_pricing", "unit_price_ceilings"):
        view[key] = lot.get(key)
    return view


def bilingual(zh: str, en: str) -> str:
    return f"{zh}\n{en}"


def label_key(text) -> str:
    """A label as matched: folded, lower case, without spaces, line breaks or punctuation."""
    return re.sub(r"[\s:：*()（）]", "", clean_text(text).lower())


def fact_kind(name: str, extra_facts: dict[str, str]) -> str:
    fact = STANDARD_FACTS.get(name)
    return fact.kind if fact else extra_facts.get(name, "auto")


def _kind_of_rule(rule: dict) -> str:
    value = rule.get("value")
    if rule.get("op") == "covers" or isinstance(value, list):
        return "set"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        return "number"
    return "auto"


def extra_facts(tender: dict) -> dict[str, str]:
    """Facts beyond the standard ones that the tender's rules and criteria reference,
    with the kind each one is read as (``bool``, ``number``, ``set`` or ``auto``)."""
    found: dict[str, str] = {}

    def note(name, kind: str) -> None:
        if isinstance(name, str) and name and name not in STANDARD_FACTS and found.get(name, "auto") == "auto":
            found[name] = kind

    for rule in tender.get("qualification_rules") or []:
        if isinstance(rule, dict) and "fact" in rule:
            note(rule["fact"], _kind_of_rule(rule))
    for criterion in tender.get("criteria") or []:
        if not isinstance(criterion, dict):
            continue
        rule = OBJECTIVE_RULES.get(criterion.get("rule"))
        for fact, kind in rule.facts(criterion) if rule else [(criterion.get("fact"), "number")]:
            note(fact, kind)
    return found


def required_documents(tender: dict) -> list[str]:
    """Documents the tender's qualification rules ask for (``{"document": …, "op": "present"}``)."""
    names = []
    for rule in tender.get("qualification_rules") or []:
        if isinstance(rule, dict) and isinstance(rule.get("document"), str) and rule["document"] not in names:
            names.append(rule["document"])
    return names
