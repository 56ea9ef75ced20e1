"""Pricing models (报价方式, domain §6 and §9.1–9.2) and their normalization to one monthly cost.

A quote is a :class:`Pricing`: one model with its parameters plus the common components
of §6.10. :func:`monthly_cost` turns it into a :class:`Cost` under a scenario: the exact
total and one breakdown :class:`Line` per component, each with its formula written out
with the numbers in it, in Chinese and in English, so an evaluator can check it by hand.

Each model also names its *breakpoints*: the daily volumes where its cost function bends
or jumps. Between them every cost is linear in the daily volume, which is what lets
:mod:`scoring.sensitivity` find break-even volumes exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from scoring.errors import Problems
from scoring.money import ONE, ZERO, fmt2, money_text, pct_text, plain, round2
from scoring.reading import (
    as_bool,
    check_keys,
    check_number,
    expect_dict,
    expect_list,
    join,
    number,
    text,
)
from scoring.scenario import Scenario


@dataclass(frozen=True)
class Param:
    zh: str
    en: str
    kind: str  # money | rate | share | quantity | bool | tiers | fees | prices | choice


# Every parameter a quote may carry, with its label (workbook, forms, reports) and kind.
PARAMETERS: dict[str, Param] = {
    "new_rate": Param("新用户单价（元/咨询）", "rate per new-customer inquiry (CNY)", "money"),
    "returning_rate": Param("老用户单价（元/咨询）", "rate per returning-customer inquiry (CNY)", "money"),
    "minimum_per_agent_shift": Param("保底（元/人/班次/月）", "minimum per agent-shift per month (CNY)", "money"),
    "minimum_per_month": Param("月保底（元/月）", "monthly minimum, the month's total (CNY)", "money"),
    "monthly_per_agent": Param("固定费用（元/人/班次/月）", "fixed fee per agent-shift per month (CNY)", "money"),
    "kpi_holdback": Param("KPI 考核预留比例", "KPI holdback share", "share"),
    "base_per_agent": Param("底薪（元/人/班次/月）", "base fee per agent-shift per month (CNY)", "money"),
    "commission_rate": Param("提成比例（客服销售额）", "commission rate on sales by customer service", "share"),
    "daily_fee_per_agent": Param("日费（元/人/天）", "daily fee per agent (CNY)", "money"),
    "basis": Param("阶梯依据（daily 日均 / monthly 月度咨询量）", "tier basis (daily / monthly inquiries)", "choice"),
    "mode": Param("阶梯方式（bracket 全额 / graduated 超额累进）", "tier mode (bracket / graduated)", "choice"),
    "tiers": Param("阶梯表", "tiers", "tiers"),
    "monthly_fee": Param("包月费（元/月）", "monthly fee (CNY)", "money"),
    "included_inquiries": Param(
        "包含咨询量（条/月，空为不限）", "included inquiries per month (empty: unlimited)", "quantity"
    ),
    "overage_rate": Param("超出单价（元/咨询）", "rate per inquiry beyond the package (CNY)", "money"),
    "rate_per_agent_day": Param("日单价（元/人/天）", "rate per agent-day (CNY)", "money"),
    "rate_per_agent_hour": Param("小时单价（元/人/小时）", "rate per agent-hour (CNY)", "money"),
    "prices": Param("报价清单单价", "unit prices of the rate card", "prices"),
    "one_time_fees": Param("一次性费用", "one-time fees", "fees"),
    "peak_rate_per_agent_day": Param("大促加派日单价（元/人/天）", "peak-day rate per extra agent (CNY)", "money"),
    "tax_included": Param("报价含税", "VAT included", "bool"),
    "vat_rate": Param("增值税率", "VAT rate", "share"),
    "discount_rate": Param("整体折扣率", "overall discount rate", "share"),
}


@dataclass(frozen=True)
class Model:
    name: str
    zh: str
    en: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    exclusive: tuple[tuple[str, ...], ...] = ()  # groups of optional parameters: at most one of each


def exclusive_problem(model: Model, given) -> tuple[str, tuple[str, str]] | None:
    """(the parameter to point at, (zh, en)) when a quote gives more than one parameter of a
    group that excludes each other (the two minimums of §6.1), else None."""
    for group in model.exclusive:
        present = [name for name in group if name in given]
        if len(present) > 1:
            labels_zh = "”与“".join(PARAMETERS[name].zh for name in present)
            labels_en = " and the ".join(PARAMETERS[name].en for name in present)
            return present[-1], (f"“{labels_zh}”只能填写一项", f"give only one of the {labels_en}, not both")
    return None


MODELS: dict[str, Model] = {
    m.name: m
    for m in (
        Model(
            "per_inquiry",
            "按咨询量计件（+保底）",
            "per inquiry (with minimum)",
            ("new_rate",),
            ("returning_rate", "minimum_per_agent_shift", "minimum_per_month"),
            (("minimum_per_agent_shift", "minimum_per_month"),),
        ),
        Model(
            "fixed_per_agent", "固定薪资 / 专人专岗", "fixed fee per agent", ("monthly_per_agent",), ("kpi_holdback",)
        ),
        Model("base_plus_commission", "底薪 + 提成", "base fee + commission", ("base_per_agent", "commission_rate")),
        Model(
            "daily_fee_plus_commission",
            "日费 + 提成",
            "daily fee + commission",
            ("daily_fee_per_agent", "commission_rate"),
        ),
        Model("commission_only", "纯提点", "commission only", ("commission_rate",)),
        Model("tiered", "咨询量阶梯", "volume tiers", ("tiers",), ("basis", "mode")),
        Model("monthly_package", "包月", "monthly package", ("monthly_fee",), ("included_inquiries", "overage_rate")),
        Model("daily_rate", "按天", "day rate", ("rate_per_agent_day",)),
        Model("hourly_rate", "按小时", "hourly rate", ("rate_per_agent_hour",)),
        Model("line_items", "报价清单（单价 × 工作量）", "rate card (unit prices)", ("prices",)),
        Model("reference_discount", "参考价整体折扣", "discount on reference prices", ("discount_rate",)),
    )
}

COMMON = ("one_time_fees", "peak_rate_per_agent_day", "tax_included", "vat_rate", "discount_rate")
# §14: a bid of any model may state the share of each month's charge it holds back against
# the KPIs (a listed parameter of fixed_per_agent, §6.2). Never priced; not in a reference pricing.
HOLDBACK = ("kpi_holdback",)
DEFAULT_VAT = Decimal("0.06")


@dataclass(frozen=True)
class Tier:
    up_to: Decimal | None
    fee: Decimal = ZERO
    rate: Decimal = ZERO


@dataclass(frozen=True)
class Fee:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Pricing:
    model: str
    values: dict = field(default_factory=dict)  # scalar parameters of the model, Decimal
    tiers: tuple[Tier, ...] = ()
    basis: str = "daily"
    mode: str = "bracket"
    prices: dict = field(default_factory=dict)  # work item id -> unit price
    one_time_fees: tuple[Fee, ...] = ()
    peak_rate_per_agent_day: Decimal | None = None
    tax_included: bool = True
    vat_rate: Decimal = DEFAULT_VAT
    discount_rate: Decimal = ZERO
    reference: Pricing | None = None  # the tender's reference pricing (§9.2)

    def value(self, name: str, default: Decimal | None = ZERO) -> Decimal | None:
        return self.values.get(name, default)

    @property
    def prices_peak(self) -> bool:
        if self.peak_rate_per_agent_day is not None:
            return True
        return self.reference is not None and self.reference.prices_peak

    def parameters(self) -> dict:
        """The quote as written, for reports and the JSON result."""
        out: dict = {"model": self.model}
        out.update({k: v for k, v in self.values.items()})
        if self.model == "tiered":
            out["basis"], out["mode"] = self.basis, self.mode
            out["tiers"] = [{"up_to": t.up_to, "fee": t.fee, "rate": t.rate} for t in self.tiers]
        if self.prices:
            out["prices"] = dict(self.prices)
        if self.one_time_fees:
            out["one_time_fees"] = [{"label": f.label, "amount": f.amount} for f in self.one_time_fees]
        if self.peak_rate_per_agent_day is not None:
            out["peak_rate_per_agent_day"] = self.peak_rate_per_agent_day
        if not self.tax_included:
            out["tax_included"] = False
            out["vat_rate"] = self.vat_rate
        if self.discount_rate:
            out["discount_rate"] = self.discount_rate
        return out


class Line:
    """One component of a monthly cost, with its formula in Chinese and English.

    The formulas are written when first read: a cost computed only for its amount (the
    sensitivity curves evaluate thousands) never pays for formatting text. With
    ``equals`` the written formula ends with ``= amount``.
    """

    __slots__ = ("label", "label_en", "amount", "_zh", "_en", "_equals")

    def __init__(self, label: str, label_en: str, formula, formula_en, amount: Decimal, equals: bool = False):
        self.label, self.label_en, self.amount = label, label_en, amount
        self._zh, self._en, self._equals = formula, formula_en, equals

    @property
    def formula(self) -> str:
        if callable(self._zh):
            self._zh = self._written(self._zh())
        return self._zh

    @property
    def formula_en(self) -> str:
        if callable(self._en):
            self._en = self._written(self._en())
        return self._en

    def _written(self, text: str, amount: str | None = None) -> str:
        """The formula as written; with ``equals``, ``= amount`` after it (``amount``: its text, if made)."""
        return f"{text} = {amount or fmt2(self.amount)}" if self._equals else text

    def __eq__(self, other) -> bool:
        return isinstance(other, Line) and (self.label, self.label_en, self.formula, self.formula_en, self.amount) == (
            other.label,
            other.label_en,
            other.formula,
            other.formula_en,
            other.amount,
        )

    __hash__ = None

    def __repr__(self) -> str:
        return f"Line({self.label!r}, {self.formula!r}, {self.amount})"

    def to_json(self) -> dict:
        amount = fmt2(self.amount)
        if type(self) is Line:
            # The amount's text made once for the line and both its formulas, as the formula
            # properties write them (~3,150 lines for 1,000 bids; a subclass writes its own).
            zh, en = self._zh, self._en
            if callable(zh):
                zh = self._zh = self._written(zh(), amount)
            if callable(en):
                en = self._en = self._written(en(), amount)
        else:
            zh, en = self.formula, self.formula_en
        return {"label": self.label, "label_en": self.label_en, "formula": zh, "formula_en": en, "amount": amount}


@dataclass(frozen=True)
class Cost:
    total: Decimal  # exact, not rounded
    lines: tuple[Line, ...]
    flags: tuple[str, ...] = ()

    @property
    def monthly_cost(self) -> Decimal:
        return round2(self.total)


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class PricingContext:
    """What a quote is read against: the tender's work items and reference pricing."""

    work_item_ids: tuple[str, ...] = ()
    reference: Pricing | None = None
    is_reference: bool = False  # reading the tender's own reference pricing


def parse_pricing(data, path: str, problems: Problems, context: PricingContext = PricingContext()) -> Pricing | None:
    """Read a pricing object; every problem is recorded, None is returned if any."""
    data = expect_dict(data, path, problems)
    if data is None:
        return None
    before = len(problems.items)
    model_name = data.get("model")
    if model_name is None:
        problems.add(join(path, "model"), "缺少报价方式", "the pricing model is missing")
        return None
    model = MODELS.get(model_name) if isinstance(model_name, str) else None
    if model is None:
        known = ", ".join(MODELS)
        problems.add(
            join(path, "model"),
            f"未知的报价方式“{model_name}”（可选：{known}）",
            f"unknown pricing model '{model_name}' (one of: {known})",
        )
        return None
    if model.name == "reference_discount" and context.is_reference:
        problems.add(
            join(path, "model"),
            "参考价本身不能是参考价折扣",
            "reference pricing cannot itself be a discount on reference pricing",
        )
        return None
    holdback = () if context.is_reference else HOLDBACK
    allowed = {"model", *model.required, *model.optional, *COMMON, *holdback}
    check_keys(data, allowed, path, problems)
    for name in model.required:
        if data.get(name) is None:
            problems.add(
                join(path, name),
                f"缺少“{PARAMETERS[name].zh}”（{model.zh}必填）",
                f"'{name}' is required for {model.en}",
            )
    values: dict = {}
    for name in dict.fromkeys((*model.required, *model.optional, *holdback)):
        kind = PARAMETERS[name].kind
        if data.get(name) is None or kind in ("tiers", "prices", "choice"):
            continue
        if name == "discount_rate":
            continue  # read below with the common components
        if kind == "share":
            value = number(data, name, path, problems, minimum=0, maximum=1)
        else:
            value = number(data, name, path, problems, minimum=0)
        if value is not None:
            values[name] = value
    exclusive = exclusive_problem(model, {name for name in data if data.get(name) is not None})
    if exclusive:
        problems.add(join(path, exclusive[0]), *exclusive[1])

    fields: dict = {"model": model.name, "values": values}
    if model.name == "tiered":
        fields.update(_tiers(data, path, problems))
    if model.name == "line_items" and data.get("prices") is not None:
        fields["prices"] = _prices(data["prices"], join(path, "prices"), problems, context)
    if model.name == "reference_discount":
        if context.reference is None:
            problems.add(
                join(path, "model"),
                "本项目未公布参考价，不能按参考价折扣报价",
                "this tender publishes no reference pricing to discount",
            )
        fields["reference"] = context.reference
    fields.update(_common(data, path, problems, context))
    if len(problems.items) > before:
        return None
    return Pricing(**fields)


def _tiers(data: dict, path: str, problems: Problems) -> dict:
    out: dict = {}
    basis = data.get("basis", "daily")
    if basis not in ("daily", "monthly"):
        problems.add(
            join(path, "basis"),
            f"阶梯依据应为 daily 或 monthly，实为 {basis!r}",
            f"basis must be daily or monthly, got {basis!r}",
        )
    mode = data.get("mode", "bracket")
    if mode not in ("bracket", "graduated"):
        problems.add(
            join(path, "mode"),
            f"阶梯方式应为 bracket 或 graduated，实为 {mode!r}",
            f"mode must be bracket or graduated, got {mode!r}",
        )
    out["basis"], out["mode"] = basis, mode
    where = join(path, "tiers")
    raw = data.get("tiers")
    if raw is None:
        return out
    items = expect_list(raw, where, problems)
    if items is None:
        return out
    if not items:
        problems.add(where, "阶梯表不能为空", "needs at least one tier")
        return out
    tiers: list[Tier] = []
    previous: Decimal | None = ZERO
    for index, entry in enumerate(items):
        at = join(where, index)
        entry = expect_dict(entry, at, problems)
        if entry is None:
            continue
        check_keys(entry, {"up_to", "fee", "rate"}, at, problems)
        up_to = number(entry, "up_to", at, problems, default=None, allow_none=True, above=0)
        fee = number(entry, "fee", at, problems, default=ZERO, minimum=0)
        rate = number(entry, "rate", at, problems, default=ZERO, minimum=0)
        last = index == len(items) - 1
        if entry.get("up_to") is None and not last:
            problems.add(join(at, "up_to"), "只有最后一档可以不设上限", "only the last tier may be unbounded")
        if last and entry.get("up_to") is not None:
            problems.add(
                join(at, "up_to"),
                "最后一档的上限应为空（不设上限）",
                "the last tier must have no upper bound (up_to null)",
            )
        if up_to is not None and previous is not None and index > 0 and up_to <= previous:
            problems.add(
                join(at, "up_to"),
                f"阶梯上限应递增：{plain(up_to)} 不大于上一档 {plain(previous)}",
                f"tiers must ascend: {plain(up_to)} is not above the previous {plain(previous)}",
            )
        if up_to is not None:
            previous = up_to
        tiers.append(Tier(up_to, fee if fee is not None else ZERO, rate if rate is not None else ZERO))
    out["tiers"] = tuple(tiers)
    return out


def _prices(raw, path: str, problems: Problems, context: PricingContext) -> dict:
    prices_in = expect_dict(raw, path, problems)
    if prices_in is None:
        return {}
    known = context.work_item_ids
    prices: dict = {}
    for item_id, value in prices_in.items():
        where = join(path, item_id)
        if item_id not in known:
            problems.add(where, f"招标文件未列出工作项“{item_id}”", f"the tender lists no work item '{item_id}'")
            continue
        price = check_number(value, where, problems, minimum=0) if value is not None else None
        if value is None:
            problems.add(where, "未报单价", "has no price")
        if price is not None:
            prices[item_id] = price
    for item_id in known:
        if item_id not in prices_in:
            problems.add(join(path, item_id), f"工作项“{item_id}”未报价", f"work item '{item_id}' is not priced")
    return prices


def _common(data: dict, path: str, problems: Problems, context: PricingContext) -> dict:
    out: dict = {}
    fees_raw = data.get("one_time_fees")
    if fees_raw is not None:
        where = join(path, "one_time_fees")
        items = expect_list(fees_raw, where, problems)
        fees = []
        for index, entry in enumerate(items or []):
            at = join(where, index)
            entry = expect_dict(entry, at, problems)
            if entry is None:
                continue
            check_keys(entry, {"label", "amount"}, at, problems)
            label = text(entry, "label", at, problems, default=f"一次性费用 {index + 1}")
            amount = number(entry, "amount", at, problems, minimum=0)
            if amount is not None:
                fees.append(Fee(label or "", amount))
        out["one_time_fees"] = tuple(fees)
    if data.get("peak_rate_per_agent_day") is not None:
        out["peak_rate_per_agent_day"] = number(data, "peak_rate_per_agent_day", path, problems, minimum=0)
    raw_tax = data.get("tax_included")
    if raw_tax is not None:
        tax = as_bool(raw_tax)
        if tax is None:
            problems.add(
                join(path, "tax_included"),
                f"应为是/否（true/false），实为 {raw_tax!r}",
                f"must be true or false, got {raw_tax!r}",
            )
        else:
            out["tax_included"] = tax
    if data.get("vat_rate") is not None:
        vat = number(data, "vat_rate", path, problems, minimum=0, maximum=1)
        if vat is not None:
            out["vat_rate"] = vat
    if data.get("discount_rate") is not None:
        if context.is_reference:
            discount = number(data, "discount_rate", path, problems, minimum=0, below=1)
        else:
            # A bid's discount outside [0, 1) is read, and makes the bid invalid (§9.2).
            discount = number(data, "discount_rate", path, problems)
        if discount is not None:
            out["discount_rate"] = discount
    return out


def discount_problem(pricing: Pricing) -> tuple[str, str] | None:
    """Why a bid's discount makes it invalid (§9.2: it must lie in [0, 1)), or None."""
    rate = pricing.discount_rate
    if rate < 0:
        return (
            f"折扣率 {pct_text(rate)} 为负数（变相加价），投标无效",
            f"discount rate {pct_text(rate)} is negative (a surcharge): the bid is invalid",
        )
    if rate >= 1:
        return (
            f"折扣率 {pct_text(rate)} 不小于 100%，投标无效",
            f"discount rate {pct_text(rate)} is not below 100%: the bid is invalid",
        )
    return None


# --------------------------------------------------------------------------- charges
# Formulas are passed as callables (``lambda: f"…"``) and written only when read.


def _line(label: str, label_en: str, formula, formula_en, amount: Decimal) -> Line:
    """A line whose formula ends with ``= amount``."""
    return Line(label, label_en, formula, formula_en, amount, equals=True)


def _volume_terms(s: Scenario, new_rate: Decimal, returning_rate: Decimal):
    if s.returning_share > 0:
        amount = s.new_inquiries * new_rate + s.returning_inquiries * returning_rate

        def zh():
            return (
                f"{plain(s.new_inquiries)} 咨询 × {money_text(new_rate)} 元 + "
                f"{plain(s.returning_inquiries)} 咨询 × {money_text(returning_rate)} 元"
            )

        def en():
            return (
                f"{plain(s.new_inquiries)} new inquiries × {money_text(new_rate)} CNY + "
                f"{plain(s.returning_inquiries)} returning inquiries × {money_text(returning_rate)} CNY"
            )

        return amount, zh, en
    amount = s.monthly_inquiries * new_rate
    return (
        amount,
        lambda: f"{plain(s.monthly_inquiries)} 咨询 × {money_text(new_rate)} 元",
        lambda: f"{plain(s.monthly_inquiries)} inquiries × {money_text(new_rate)} CNY",
    )


def _inquiry_rates(p: Pricing) -> tuple[Decimal, Decimal]:
    """(new_rate, returning_rate) of a per-inquiry quote: returning defaults to new (§6.1)."""
    new_rate = p.value("new_rate")
    returning_rate = p.value("returning_rate", None)
    return new_rate, new_rate if returning_rate is None else returning_rate


def _inquiry_minimum(p: Pricing, s: Scenario):
    """The minimum of a per-inquiry quote (§6.1) under a scenario, with its label and
    formula: per agent-shift × A, or the month's total (月保底); (0, …) when it has none."""
    per_month = p.value("minimum_per_month", None)
    if per_month is not None:
        return (
            per_month,
            "月保底",
            "monthly minimum",
            lambda: f"月保底 {money_text(per_month)} 元",
            lambda: f"monthly minimum {money_text(per_month)} CNY",
        )
    rate = p.value("minimum_per_agent_shift")
    return (
        rate * s.agent_shifts,
        "保底",
        "minimum guarantee",
        lambda: f"保底 {money_text(rate)} 元 × {plain(s.agent_shifts)} 人·班次",
        lambda: f"minimum {money_text(rate)} CNY × {plain(s.agent_shifts)} agent-shifts",
    )


def _per_inquiry(p: Pricing, s: Scenario) -> list[Line]:
    new_rate, returning_rate = _inquiry_rates(p)
    volume, zh, en = _volume_terms(s, new_rate, returning_rate)
    minimum, label, label_en, min_zh, min_en = _inquiry_minimum(p, s)
    if not minimum:
        return [_line("按咨询量计件", "per inquiry", zh, en, volume)]
    if volume >= minimum:
        return [
            Line(
                "按咨询量计件",
                "per inquiry",
                lambda: f"{zh()} = {fmt2(volume)}（不低于{min_zh()} = {fmt2(minimum)}）",
                lambda: f"{en()} = {fmt2(volume)} (not below {min_en()} = {fmt2(minimum)})",
                volume,
            )
        ]
    return [
        Line(
            label,
            label_en,
            lambda: f"{min_zh()} = {fmt2(minimum)}（计件 {zh()} = {fmt2(volume)}，低于保底）",
            lambda: f"{min_en()} = {fmt2(minimum)} (per inquiry {en()} = {fmt2(volume)} is below the minimum)",
            minimum,
        )
    ]


def _per_agent(rate: Decimal, s: Scenario, label: str, label_en: str, zh_unit: str, en_unit: str) -> Line:
    return _line(
        label,
        label_en,
        lambda: f"{money_text(rate)} 元/{zh_unit} × {plain(s.agent_shifts)} 人·班次",
        lambda: f"{money_text(rate)} CNY per {en_unit} × {plain(s.agent_shifts)} agent-shifts",
        rate * s.agent_shifts,
    )


def _commission_line(p: Pricing, s: Scenario) -> Line:
    rate = p.value("commission_rate")
    return _line(
        "销售提成",
        "commission",
        lambda: f"{plain(s.cs_sales_per_month)} 元客服销售额 × {pct_text(rate)}",
        lambda: f"{plain(s.cs_sales_per_month)} CNY sales by customer service × {pct_text(rate)}",
        s.cs_sales_per_month * rate,
    )


def _fixed_per_agent(p: Pricing, s: Scenario) -> list[Line]:
    return [
        _per_agent(
            p.value("monthly_per_agent"), s, "固定费用", "fixed fee per agent", "人/班次/月", "agent-shift per month"
        )
    ]


def _base_plus_commission(p: Pricing, s: Scenario) -> list[Line]:
    return [
        _per_agent(p.value("base_per_agent"), s, "底薪", "base fee", "人/班次/月", "agent-shift per month"),
        _commission_line(p, s),
    ]


def _days_of_agents(rate: Decimal, s: Scenario, label: str, label_en: str) -> Line:
    return _line(
        label,
        label_en,
        lambda: f"{money_text(rate)} 元/人/天 × {plain(s.agent_shifts)} 人·班次 × {plain(s.days_per_month)} 天",
        lambda: (
            f"{money_text(rate)} CNY per agent-day × {plain(s.agent_shifts)} agent-shifts × "
            f"{plain(s.days_per_month)} days"
        ),
        rate * s.agent_shifts * s.days_per_month,
    )


def _daily_fee_plus_commission(p: Pricing, s: Scenario) -> list[Line]:
    return [_days_of_agents(p.value("daily_fee_per_agent"), s, "日费", "daily fee"), _commission_line(p, s)]


def _commission_only(p: Pricing, s: Scenario) -> list[Line]:
    return [_commission_line(p, s)]


def _tier_volume(p: Pricing, s: Scenario) -> Decimal:
    return s.daily_inquiries if p.basis == "daily" else s.monthly_inquiries


def _tier_range(tiers: tuple[Tier, ...], index: int) -> tuple[Decimal, Decimal | None]:
    low = ZERO if index == 0 else tiers[index - 1].up_to
    return low, tiers[index].up_to


def _range_text(low: Decimal, high: Decimal | None, first: bool) -> str:
    left = "[" if first else "("
    return f"{left}{plain(low)}, {plain(high) if high is not None else '∞'}" + (")" if high is None else "]")


def _tiered(p: Pricing, s: Scenario) -> list[Line]:
    volume = _tier_volume(p, s)
    per_day = p.basis == "daily"
    unit_zh = "日均咨询" if per_day else "月咨询量"
    unit_en = "daily inquiries" if per_day else "monthly inquiries"
    times_zh = f" × {plain(s.days_per_month)} 天" if per_day else ""
    times_en = f" × {plain(s.days_per_month)} days" if per_day else ""
    factor = s.days_per_month if per_day else ONE
    if p.mode == "bracket":
        for index, tier in enumerate(p.tiers):
            low, high = _tier_range(p.tiers, index)
            if high is None or volume <= high:
                where = _range_text(low, high, index == 0)
                return [
                    _line(
                        f"阶梯第 {index + 1} 档",
                        f"tier {index + 1}",
                        lambda: (
                            f"{unit_zh} {plain(volume)} 落在 {where}：({money_text(tier.fee)} 元 + {plain(volume)} × "
                            f"{money_text(tier.rate)} 元){times_zh}"
                        ),
                        lambda: (
                            f"{unit_en} {plain(volume)} fall in {where}: ({money_text(tier.fee)} CNY + "
                            f"{plain(volume)} × {money_text(tier.rate)} CNY){times_en}"
                        ),
                        (tier.fee + tier.rate * volume) * factor,
                    )
                ]
    lines: list[Line] = []
    for index, tier in enumerate(p.tiers):
        low, high = _tier_range(p.tiers, index)
        if index > 0 and volume <= low:
            break
        units = (volume if high is None else min(volume, high)) - low
        lines.append(
            _graduated_line(index, tier, _range_text(low, high, index == 0), units, factor, times_zh, times_en)
        )
    return lines


def _graduated_line(
    index: int, tier: Tier, where: str, units: Decimal, factor: Decimal, times_zh: str, times_en: str
) -> Line:
    return _line(
        f"阶梯第 {index + 1} 档",
        f"tier {index + 1}",
        lambda: f"{where}：({money_text(tier.fee)} 元 + {plain(units)} × {money_text(tier.rate)} 元){times_zh}",
        lambda: f"{where}: ({money_text(tier.fee)} CNY + {plain(units)} × {money_text(tier.rate)} CNY){times_en}",
        (tier.fee + tier.rate * units) * factor,
    )


def _monthly_package(p: Pricing, s: Scenario) -> list[Line]:
    fee = p.value("monthly_fee")
    lines = [_line("包月费", "monthly fee", lambda: f"{money_text(fee)} 元", lambda: f"{money_text(fee)} CNY", fee)]
    included = p.value("included_inquiries", None)
    overage_rate = p.value("overage_rate")
    if included is not None:
        beyond = max(ZERO, s.monthly_inquiries - included)
        lines.append(
            _line(
                "超出咨询量",
                "inquiries beyond the package",
                lambda: (
                    f"max(0, {plain(s.monthly_inquiries)} − {plain(included)}) 咨询 × {money_text(overage_rate)} 元"
                ),
                lambda: (
                    f"max(0, {plain(s.monthly_inquiries)} − {plain(included)}) inquiries × "
                    f"{money_text(overage_rate)} CNY"
                ),
                beyond * overage_rate,
            )
        )
    return lines


def _daily_rate(p: Pricing, s: Scenario) -> list[Line]:
    return [_days_of_agents(p.value("rate_per_agent_day"), s, "按天计费", "day rate")]


def _hourly_rate(p: Pricing, s: Scenario) -> list[Line]:
    rate = p.value("rate_per_agent_hour")
    return [
        _line(
            "按小时计费",
            "hourly rate",
            lambda: (
                f"{money_text(rate)} 元/人/小时 × {plain(s.agent_shifts)} 人·班次 × "
                f"{plain(s.hours_per_shift)} 小时 × {plain(s.days_per_month)} 天"
            ),
            lambda: (
                f"{money_text(rate)} CNY per agent-hour × {plain(s.agent_shifts)} agent-shifts × "
                f"{plain(s.hours_per_shift)} hours × {plain(s.days_per_month)} days"
            ),
            rate * s.agent_shifts * s.hours_per_shift * s.days_per_month,
        )
    ]


def _item_line(item, price: Decimal) -> Line:
    unit = item.unit or "件"
    return _line(
        item.name,
        item.name,
        lambda: f"{plain(item.monthly_quantity)} {unit} × {money_text(price)} 元",
        lambda: f"{plain(item.monthly_quantity)} {item.unit or 'units'} × {money_text(price)} CNY",
        item.monthly_quantity * price,
    )


def _line_items(p: Pricing, s: Scenario) -> list[Line]:
    return [_item_line(item, p.prices.get(item.id, ZERO)) for item in s.work_items]


def _reference_discount(p: Pricing, s: Scenario) -> list[Line]:
    # Peak staffing left unpriced is flagged once, on the bid, not again inside the reference.
    reference = _cost(p.reference, s, flag_unpriced_peak=False)
    return [_relabelled(line) for line in reference.lines]


def _relabelled(line: Line) -> Line:
    return Line(
        f"参考价 · {line.label}",
        f"reference · {line.label_en}",
        lambda: line.formula,
        lambda: line.formula_en,
        line.amount,
    )


_CHARGES = {
    "per_inquiry": _per_inquiry,
    "fixed_per_agent": _fixed_per_agent,
    "base_plus_commission": _base_plus_commission,
    "daily_fee_plus_commission": _daily_fee_plus_commission,
    "commission_only": _commission_only,
    "tiered": _tiered,
    "monthly_package": _monthly_package,
    "daily_rate": _daily_rate,
    "hourly_rate": _hourly_rate,
    "line_items": _line_items,
    "reference_discount": _reference_discount,
}


def monthly_cost(p: Pricing, s: Scenario) -> Cost:
    """The monthly cost of a quote under a scenario, with its breakdown (§6, §6.10).

    Order: model charge + one-time share + peak share → × (1 − discount_rate)
    → × (1 + vat_rate) if the quote excludes VAT.
    """
    return _cost(p, s, flag_unpriced_peak=True)


def _cost(p: Pricing, s: Scenario, *, flag_unpriced_peak: bool) -> Cost:
    lines = list(_CHARGES[p.model](p, s))
    flags: list[str] = []
    if p.one_time_fees:
        fees = sum((f.amount for f in p.one_time_fees), ZERO)
        lines.append(
            _line(
                "一次性费用分摊",
                "one-time fees spread",
                lambda: (
                    "("
                    + " + ".join(f"{f.label} {money_text(f.amount)} 元" for f in p.one_time_fees)
                    + f") ÷ {plain(s.contract_months)} 月"
                ),
                lambda: (
                    "("
                    + " + ".join(f"{f.label} {money_text(f.amount)} CNY" for f in p.one_time_fees)
                    + f") ÷ {plain(s.contract_months)} months"
                ),
                fees / s.contract_months,
            )
        )
    if s.is_month:
        lines.extend(_month_peak(p, s, flags, flag_unpriced_peak))
    elif p.peak_rate_per_agent_day is not None:
        rate = p.peak_rate_per_agent_day
        lines.append(
            _line(
                "大促加派",
                "peak-day staffing",
                lambda: (
                    f"{money_text(rate)} 元/人/天 × {plain(s.peak_extra_agents)} 人 × "
                    f"{plain(s.peak_days_per_year)} 天 ÷ 12 月"
                ),
                lambda: (
                    f"{money_text(rate)} CNY per agent-day × {plain(s.peak_extra_agents)} agents × "
                    f"{plain(s.peak_days_per_year)} days ÷ 12 months"
                ),
                rate * s.peak_extra_agents * s.peak_days_per_year / 12,
            )
        )
    elif flag_unpriced_peak and s.has_peak_days and not p.prices_peak:
        flags.append("peak_not_priced")
        lines.append(
            Line(
                "大促加派（未报价）",
                "peak-day staffing (not priced)",
                lambda: f"未报大促加派价格：计 0.00，已标记供评委审查（{plain(s.peak_days_per_year)} 天/年）",
                lambda: (
                    f"no peak-day rate quoted: counted as 0.00 and flagged for the evaluators "
                    f"({plain(s.peak_days_per_year)} days a year)"
                ),
                ZERO,
            )
        )
    subtotal = sum((line.amount for line in lines), ZERO)
    if p.discount_rate:
        lines.append(_adjustment("折扣", "discount", "−", subtotal, p.discount_rate, -(subtotal * p.discount_rate)))
        subtotal += lines[-1].amount
    if not p.tax_included:
        lines.append(
            _adjustment(
                "增值税（报价不含税）", "VAT (quote excludes VAT)", "", subtotal, p.vat_rate, subtotal * p.vat_rate
            )
        )
        subtotal += lines[-1].amount
    return Cost(subtotal, tuple(lines), tuple(flags))


def _month_peak(p: Pricing, s: Scenario, flags: list, flag_unpriced_peak: bool) -> list[Line]:
    """This month's peak share (§10): rate × extra agents × the month's peak days."""
    days = s.month_peak_days
    if p.peak_rate_per_agent_day is not None:
        if days == 0:
            return []
        rate = p.peak_rate_per_agent_day
        return [
            _line(
                "大促加派",
                "peak-day staffing",
                lambda: f"{money_text(rate)} 元/人/天 × {plain(s.peak_extra_agents)} 人 × {plain(days)} 天",
                lambda: (
                    f"{money_text(rate)} CNY per agent-day × {plain(s.peak_extra_agents)} agents × {plain(days)} days"
                ),
                rate * s.peak_extra_agents * days,
            )
        ]
    if flag_unpriced_peak and days > 0 and s.peak_extra_agents > 0 and not p.prices_peak:
        flags.append("peak_not_priced")
        return [
            Line(
                "大促加派（未报价）",
                "peak-day staffing (not priced)",
                lambda: f"未报大促加派价格：计 0.00，已标记供评委审查（本月 {plain(days)} 天）",
                lambda: (
                    f"no peak-day rate quoted: counted as 0.00 and flagged for the evaluators "
                    f"({plain(days)} days this month)"
                ),
                ZERO,
            )
        ]
    return []


def _adjustment(label: str, label_en: str, sign: str, subtotal: Decimal, rate: Decimal, amount: Decimal) -> Line:
    def text():
        return f"{sign}({fmt2(subtotal)} × {pct_text(rate)})" if sign else f"{fmt2(subtotal)} × {pct_text(rate)}"

    return _line(label, label_en, text, text, amount)


def breakpoints(p: Pricing, s: Scenario) -> list[Decimal]:
    """Daily volumes where the cost function of this quote bends or jumps (§6.11)."""
    points: list[Decimal] = []
    if p.model == "per_inquiry":
        minimum = _inquiry_minimum(p, s)[0]
        new_rate, returning_rate = _inquiry_rates(p)
        per_day = s.days_per_month * ((ONE - s.returning_share) * new_rate + s.returning_share * returning_rate)
        if minimum > 0 and per_day > 0:
            points.append(minimum / per_day)
    elif p.model == "tiered":
        for tier in p.tiers:
            if tier.up_to is not None:
                points.append(tier.up_to if p.basis == "daily" else tier.up_to / s.days_per_month)
    elif p.model == "monthly_package":
        included = p.value("included_inquiries", None)
        if included is not None:
            points.append(included / s.days_per_month)
    elif p.model == "reference_discount" and p.reference is not None:
        points.extend(breakpoints(p.reference, s))
    return points
