"""Reading the quote sheet (报价) and the rate card (报价清单) of a filled price sheet into the
``pricing`` object of a bid (domain §6, §9.1, §9.2).

Only filled cells are taken. Problems name the cell: a missing or unknown model, a
parameter of another model, a required parameter left empty, a negative rate, a tier
table out of order, an unpriced work item.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.money import plain
from scoring.pricing import COMMON, MODELS, PARAMETERS, exclusive_problem
from tender.documents import layout
from tender.documents.sheet_reading import UNREADABLE, Book, Scan, Sheet, label_keys, scan_rows

_READ_AS = {"money": "amount", "share": "share", "quantity": "quantity", "bool": "bool", "choice": "choice"}


_PARAMETERS = (*layout.SCALAR_PARAMETERS, *layout.COMMON_PARAMETERS)


def _scan(sheet: Sheet) -> Scan:
    labels: dict[str, str] = dict.fromkeys(label_keys("报价方式", "pricing model"), layout.MODEL)
    for name in _PARAMETERS:
        labels.update(dict.fromkeys(label_keys(PARAMETERS[name].zh, PARAMETERS[name].en), name))
    sections = {key for zh, en in layout.SECTIONS.values() for key in label_keys(zh, en)}
    return scan_rows(
        sheet,
        codes={*_PARAMETERS, layout.MODEL, layout.TIERS, layout.FEES},
        labels=labels,
        sections=sections,
        tables=(layout.TIERS, layout.FEES),
    )


def lot_is_filled(book: Book, tender: dict, quote: str, rate_card: str) -> bool:
    """Whether the vendor typed anything on one lot's quote sheet or rate card (§13: a lot
    whose sheets are left empty is not bid for). The model the template pre-selects does
    not count; another model chosen does."""
    sheet = book.sheet(quote)
    if sheet is None:
        book.missing_sheet(quote)
        return False
    scan = _scan(sheet)
    proposed = layout.proposed_model(tender)
    for row in scan.rows.get(layout.MODEL, []):
        shown = layout.label_key(sheet.text(row, layout.INPUT))
        if not sheet.blank(row, layout.INPUT) and (
            proposed is None or shown != layout.label_key(layout.model_display(proposed))
        ):
            return True
    if any(not sheet.blank(row, layout.INPUT) for name in _PARAMETERS for row in scan.rows.get(name, [])):
        return True
    if any(
        not sheet.blank(row, column)
        for row in scan.tables.get(layout.TIERS, [])
        for column in (layout.TIER_UP_TO, layout.TIER_FEE, layout.TIER_RATE)
    ):
        return True
    if any(
        not sheet.blank(row, column)
        for row in scan.tables.get(layout.FEES, [])
        for column in (layout.FEE_LABEL, layout.FEE_AMOUNT)
    ):
        return True
    card = book.sheet(rate_card) if (tender.get("scenario") or {}).get("work_items") else None
    return card is not None and any(
        not card.blank(row, layout.ITEM_PRICE) for row in range(_rate_card_header(card) + 1, card.last_row + 1)
    )


def _rate_card_header(sheet: Sheet) -> int:
    """The row of the rate card's column headers (the item rows follow it)."""
    return next(
        (
            row
            for row in range(1, sheet.last_row + 1)
            if layout.label_key(sheet.text(row, layout.ITEM_ID)) == layout.label_key(layout.ITEM_ID_HEADER)
        ),
        3,
    )


def read_pricing(book: Book, tender: dict, *, quote: str = layout.QUOTE, rate_card: str = layout.RATE_CARD) -> dict:
    """The pricing of the quote sheet (and rate card); a lot's are the sheets named with the lot."""
    sheet = book.sheet(quote)
    if sheet is None:
        book.missing_sheet(quote)
        return {}
    parameters = _PARAMETERS
    scan = _scan(sheet)
    model = _model(sheet, scan, tender)
    pricing: dict = {"model": model} if model else {}
    filled: dict[str, int] = {}  # parameter → row of the cell it was read from
    for name in parameters:
        for row in scan.rows.get(name, []):
            value = _parameter(sheet, row, name)
            if value is None:
                continue
            if name in filled:
                sheet.problem(
                    row,
                    layout.INPUT,
                    f"“{PARAMETERS[name].zh}”重复填写（第 {filled[name]} 行已填写）",
                    f"{PARAMETERS[name].en} is given twice (row {filled[name]} has it too)",
                )
                continue
            filled[name] = row
            if value is not UNREADABLE:
                pricing[name] = value
    tier_rows, tiers_touched = _tiers(sheet, scan.tables.get(layout.TIERS, []))
    if tier_rows:
        pricing["tiers"] = [tier for _row, tier in tier_rows]
    fees = _fees(sheet, scan.tables.get(layout.FEES, []))
    if fees:
        pricing["one_time_fees"] = fees
    prices = read_rate_card(book, tender, model, rate_card)
    if prices:
        pricing["prices"] = prices
    if model:
        _check_model_parameters(sheet, scan, MODELS[model], filled, pricing, tier_rows, tiers_touched)
    return pricing


def _model(sheet: Sheet, scan: Scan, tender: dict) -> str | None:
    row = scan.first(layout.MODEL)
    if row is None:
        sheet.sheet_problem(
            "找不到“报价方式”一行：请使用本项目的报价单模板",
            "the row 报价方式 (pricing model) is missing: use this tender's price-sheet template",
        )
        return None
    value = sheet.read(row, layout.INPUT, "choice", "报价方式", "pricing model", choices=layout.model_options())
    if value is None:
        sheet.problem(
            row,
            layout.INPUT,
            "未选择报价方式：请从下拉列表选择一种",
            "no pricing model is chosen: choose one from the list",
        )
    if value is None or value is UNREADABLE:
        return None
    if value not in layout.offered_models(tender):
        reason = (
            ("本项目没有报价清单（工作项）", "this tender lists no work items")
            if value == "line_items"
            else ("本项目未公布参考价", "this tender publishes no reference prices")
        )
        sheet.problem(
            row,
            layout.INPUT,
            f"不能选择“{MODELS[value].zh}”：{reason[0]}",
            f"{MODELS[value].en} cannot be chosen: {reason[1]}",
        )
        return None
    return value


def _parameter(sheet: Sheet, row: int, name: str):
    param = PARAMETERS[name]
    kind = _READ_AS.get(param.kind, "text")
    maximum = Decimal(1) if param.kind == "share" else None
    # A negative discount is a surcharge: read as given, it makes the bid invalid (§9.2).
    minimum = None if name == "discount_rate" else Decimal(0)
    return sheet.read(
        row, layout.INPUT, kind, param.zh, param.en, minimum=minimum, maximum=maximum, choices=layout.CHOICES.get(name)
    )


def _tiers(sheet: Sheet, rows: list[int]) -> tuple[list[tuple[int, dict]], bool]:
    """The filled tier rows as (row, tier), checked for order; and whether any tier cell was
    touched (a tier with an unreadable cell is reported, not read)."""
    read: list[tuple[int, dict]] = []
    touched = False
    for row in rows:
        up_to = sheet.read(row, layout.TIER_UP_TO, "quantity", "阶梯上限", "tier up_to")
        fee = sheet.read(row, layout.TIER_FEE, "amount", "阶梯固定费", "tier fee")
        rate = sheet.read(row, layout.TIER_RATE, "amount", "阶梯单价", "tier rate")
        touched = touched or (up_to, fee, rate) != (None, None, None)
        if UNREADABLE in (up_to, fee, rate) or (up_to, fee, rate) == (None, None, None):
            continue
        tier = {"up_to": up_to}
        tier.update({key: value for key, value in (("fee", fee), ("rate", rate)) if value is not None})
        read.append((row, tier))
    previous = None
    for index, (row, tier) in enumerate(read):
        last = index == len(read) - 1
        if tier["up_to"] is None and not last:
            sheet.problem(
                row,
                layout.TIER_UP_TO,
                "只有最后一档的上限可以留空（不设上限）",
                "only the last tier may leave up_to empty (no upper bound)",
            )
        elif tier["up_to"] is not None and last:
            sheet.problem(
                row,
                layout.TIER_UP_TO,
                "最后一档的上限应留空（不设上限）",
                "the last tier must leave up_to empty (no upper bound)",
            )
        elif tier["up_to"] is not None and previous is not None and tier["up_to"] <= previous:
            sheet.problem(
                row,
                layout.TIER_UP_TO,
                f"阶梯上限应逐档递增（上一档为 {plain(previous)}）",
                f"up_to must rise from tier to tier (the previous one is {plain(previous)})",
            )
        if tier["up_to"] is not None:
            previous = tier["up_to"]
    return read, touched


def _fees(sheet: Sheet, rows: list[int]) -> list[dict]:
    fees = []
    for row in rows:
        label = sheet.read(row, layout.FEE_LABEL, "text", "费用名称", "fee label")
        amount = sheet.read(row, layout.FEE_AMOUNT, "amount", "一次性费用金额", "one-time fee amount")
        if UNREADABLE in (label, amount) or (label, amount) == (None, None):
            continue
        if amount is None:
            sheet.problem(
                row, layout.FEE_AMOUNT, f"一次性费用“{label}”未填金额", f"the one-time fee '{label}' has no amount"
            )
            continue
        fees.append({"label": label, "amount": amount} if label else {"amount": amount})
    return fees


def _check_model_parameters(
    sheet: Sheet,
    scan: Scan,
    model,
    filled: dict[str, int],
    pricing: dict,
    tier_rows: list[tuple[int, dict]],
    tiers_touched: bool,
) -> None:
    """Parameters of another model are refused; the chosen model's required ones must be there."""
    allowed = {*model.required, *model.optional, *COMMON}
    for name, row in filled.items():
        if name not in allowed and name in pricing:  # an unreadable cell is reported already
            sheet.problem(
                row,
                layout.INPUT,
                f"“{PARAMETERS[name].zh}”不属于所选报价方式“{model.zh}”：请清空此格或改选报价方式",
                f"{PARAMETERS[name].en} is not a parameter of the chosen model ({model.en}): "
                "clear this cell or choose another model",
            )
            pricing.pop(name, None)
    if "tiers" in pricing and model.name != "tiered":
        sheet.problem(
            tier_rows[0][0],
            layout.TIER_UP_TO,
            f"阶梯表只用于咨询量阶梯报价，所选报价方式为“{model.zh}”：请清空阶梯表",
            f"the tiers table is for the tiered model only, the chosen model is {model.en}: clear it",
        )
        pricing.pop("tiers")
    exclusive = exclusive_problem(model, filled)
    if exclusive:
        name, (zh, en) = exclusive
        sheet.problem(filled[name], layout.INPUT, f"{zh}：请清空其中一格", f"{en}: clear one of the two cells")
        pricing.pop(name, None)
    for name in model.required:
        if name in filled or name == "prices":
            continue
        if name == "tiers":
            if tiers_touched:
                continue
            row = scan.first(layout.TIERS)
            if row is None:
                sheet.sheet_problem(
                    f"{model.zh}须填写阶梯表（找不到阶梯表）", f"{model.en} needs the tiers table (it is missing)"
                )
            else:
                sheet.problem(
                    row + 1, layout.TIER_UP_TO, f"{model.zh}须填写阶梯表", f"{model.en} needs the tiers table"
                )
            continue
        row = scan.first(name)
        param = PARAMETERS[name]
        if row is None:
            sheet.sheet_problem(
                f"{model.zh}须填写“{param.zh}”（找不到这一行）", f"{model.en} needs {param.en} (its row is missing)"
            )
        else:
            sheet.problem(row, layout.INPUT, f"{model.zh}须填写“{param.zh}”", f"{model.en} needs {param.en}")


def read_rate_card(book: Book, tender: dict, model: str | None, name: str = layout.RATE_CARD) -> dict:
    """Unit prices by work item id (§9.1): every item priced when the model is line_items;
    no price for an item the tender does not list; none at all under another model."""
    items = [item for item in (tender.get("scenario") or {}).get("work_items") or [] if isinstance(item, dict)]
    if not items:
        return {}
    sheet = book.sheet(name)
    if sheet is None:
        if model == "line_items":
            book.missing_sheet(name)
        return {}
    ids = {str(item.get("id")): item for item in items}
    names = {layout.label_key(item.get("name") or ""): str(item.get("id")) for item in items}
    prices: dict = {}
    rows: dict[str, int] = {}
    for row in range(_rate_card_header(sheet) + 1, sheet.last_row + 1):
        item_id = sheet.text(row, layout.ITEM_ID)
        item_id = item_id if item_id in ids else names.get(layout.label_key(sheet.text(row, layout.ITEM_NAME)))
        label = item_id or sheet.text(row, layout.ITEM_ID) or sheet.text(row, layout.ITEM_NAME)
        price = sheet.read(row, layout.ITEM_PRICE, "amount", f"{label} 单价", f"unit price of {label}")
        if item_id is None:
            if price not in (None, UNREADABLE):
                sheet.problem(
                    row,
                    layout.ITEM_PRICE,
                    f"招标文件未列出工作项“{label}”，不能为它报价",
                    f"the tender lists no work item '{label}': it cannot be priced",
                )
            continue
        rows.setdefault(item_id, row)
        if price is None:
            continue
        if item_id in prices:
            sheet.problem(
                row, layout.ITEM_PRICE, f"工作项“{item_id}”重复报价", f"work item '{item_id}' is priced twice"
            )
            continue
        prices[item_id] = price
    if model == "line_items":
        for item_id, item in ids.items():
            if item_id not in prices:
                name = item.get("name") or item_id
                zh, en = f"工作项“{name}”（{item_id}）未报单价", f"work item '{name}' ({item_id}) has no unit price"
                if item_id in rows:
                    sheet.problem(rows[item_id], layout.ITEM_PRICE, zh, en)
                else:
                    sheet.sheet_problem(zh + "（找不到这一行）", en + " (its row is missing)")
    elif model is not None and any(price is not UNREADABLE for price in prices.values()):
        first = min(rows[item_id] for item_id in prices)
        sheet.problem(
            first,
            layout.ITEM_PRICE,
            "只有报价方式为“报价清单（line_items）”时才填写单价：请清空或改选报价方式",
            "unit prices are for the line_items model only: clear them or choose that model",
        )
        return {}
    return {item_id: price for item_id, price in prices.items() if price is not UNREADABLE}
