"""The tender definition (§3, §9, §12, §13), a vendor's bid and the panel's work, read and validated.

:func:`parse_tender` reads the JSON of §3 into a :class:`Tender`, reporting **every**
problem at once with its path, in Chinese and English (:func:`validate_tender` returns
them without raising). :func:`parse_bid` reads one ``bid.json`` against a tender, and
:func:`parse_panel` the evaluators' scores and decisions against the tender and its bids.

A tender divided into lots (标包, §13) has no scenario of its own: each :class:`Lot` has
one, and :meth:`Tender.for_lot` gives the tender as one lot sees it (the lot's scenario,
ceilings, reference pricing and award; everything else shared), so a lot is read and
evaluated exactly as an undivided tender. A bid prices the lots it bids for, and may add
a final offer (最后报价, §12) per lot, or beside its pricing in an undivided tender.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from scoring.criteria import Criterion, PriceMethod, parse_criteria, parse_price_method, read_score
from scoring.errors import InvalidInput, Problem, Problems
from scoring.facts import read_facts
from scoring.kpis import Kpi, PaymentTerms, parse_kpis, parse_payment_terms
from scoring.money import ONE, ZERO, Recurring, plain, to_decimal
from scoring.pricing import Pricing, PricingContext, parse_pricing
from scoring.qualification import Rule, conformity_rules, parse_rules
from scoring.reading import (
    boolean,
    check_keys,
    check_number,
    expect_dict,
    expect_list,
    join,
    number,
    text,
)
from scoring.scenario import Scenario, parse_scenario
from scoring.times import SHANGHAI, parse_time

TENDER_KEYS = {
    "title",
    "buyer",
    "currency",
    "service_scope",
    "quality_requirements",
    "scenario",
    "qualification_rules",
    "criteria",
    "price_method",
    "abnormal_low_ratio",
    "price_ceiling",
    "sme_price_deduction",
    "min_valid_bids",
    "challenge_days",
    "required_sections",
    "bid_deadline",
    "opening_time",
    "published_at",
    "opening_place",
    "project_code",
    "description",
    "reference_pricing",
    "unit_price_ceilings",
    "award",
    "payment_terms",
    "kpis",
    "final_offer",
    "lots",
    "max_lots_awarded_per_vendor",
}
LOT_KEYS = {"id", "name", "scenario", "price_ceiling", "unit_price_ceilings", "reference_pricing", "award"}
LOT_ID_LENGTH = 20  # a lot id names worksheets ("报价清单 L1"): Excel allows 31 characters
LOT_ID_FORBIDDEN = set("[]:*?/\\")
SCOPE_KEYS = {"platforms", "channels", "services", "service_hours", "days"}
QUALITY_KEYS = {
    "first_response_seconds_max",
    "complaint_reply_hours_max",
    "complaint_solution_hours_max",
    "satisfaction_min",
}


@dataclass(frozen=True)
class Award:
    winners: int = 1
    shares: tuple[Decimal, ...] = (ONE,)


@dataclass(frozen=True)
class Lot:
    """One lot (标包) of a divided tender: its own scenario, ceilings, reference and award (§13)."""

    id: str
    name: str
    scenario: Scenario
    price_ceiling: Decimal | None = None
    unit_price_ceilings: dict = field(default_factory=dict)
    reference_pricing: Pricing | None = None
    award: Award = Award()


@dataclass(frozen=True)
class Tender:
    scenario: Scenario
    criteria: tuple[Criterion, ...]
    title: str | None = None
    buyer: str | None = None
    currency: str = "CNY"
    service_scope: dict = field(default_factory=dict)
    quality_requirements: dict = field(default_factory=dict)
    qualification_rules: tuple[Rule, ...] = ()
    conformity_rules: tuple[Rule, ...] = ()
    price_method: PriceMethod = PriceMethod()
    abnormal_low_ratio: Decimal = Decimal("0.8")
    price_ceiling: Decimal | None = None
    sme_price_deduction: Decimal = ZERO
    min_valid_bids: int = 3
    challenge_days: int = 7  # §16: working days after the result notice to lodge a challenge
    required_sections: tuple[str, ...] = ()
    bid_deadline: dt.datetime | None = None
    opening_time: dt.datetime | None = None
    published_at: dt.datetime | None = None
    reference_pricing: Pricing | None = None
    unit_price_ceilings: dict = field(default_factory=dict)
    award: Award = Award()
    payment_terms: PaymentTerms = PaymentTerms()  # §14, read by scoring.settlement
    kpis: tuple[Kpi, ...] = ()
    final_offer: bool = False  # a round of final offers (§12)
    lots: tuple[Lot, ...] = ()  # §13; empty for an undivided tender
    max_lots_awarded_per_vendor: int | None = None  # None: no limit
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def lot(self, lot_id: str) -> Lot | None:
        return next((lot for lot in self.lots if lot.id == lot_id), None)

    def for_lot(self, lot: Lot) -> Tender:
        """The tender as one lot sees it: evaluated on its own exactly as an undivided tender."""
        return replace(
            self,
            scenario=lot.scenario,
            price_ceiling=lot.price_ceiling,
            unit_price_ceilings=lot.unit_price_ceilings,
            reference_pricing=lot.reference_pricing,
            award=lot.award,
            lots=(),
            max_lots_awarded_per_vendor=None,
        )

    def criterion(self, cid: str) -> Criterion | None:
        for criterion in self.criteria:
            if criterion.id == cid:
                return criterion
        return None

    @property
    def price_criterion(self) -> Criterion | None:
        return next((c for c in self.criteria if c.kind == "price"), None)

    @property
    def subjective_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind == "subjective")

    @property
    def pricing_context(self) -> PricingContext:
        return PricingContext(tuple(item.id for item in self.scenario.work_items), self.reference_pricing)


def validate_tender(data) -> list[Problem]:
    """Every problem of a tender definition, each with its path and reason (zh, en)."""
    try:
        parse_tender(data)
    except InvalidInput as error:
        return error.problems
    return []


def parse_tender(data) -> Tender:
    problems = Problems()
    data = expect_dict(data, "", problems)
    if data is None:
        problems.raise_if_any()
    check_keys(data, TENDER_KEYS, "", problems)
    divided = data.get("lots") is not None
    if "scenario" not in data and not divided:
        problems.add("scenario", "缺少用量基准（scenario）", "the workload scenario is required")
    if "scenario" in data and divided:
        problems.add(
            "scenario",
            "分标包的项目不设总的用量基准：每个标包在 lots[i].scenario 中给出",
            "a tender divided into lots has no top-level scenario: each lot gives its own in lots[i].scenario",
        )
    scenario = parse_scenario(data.get("scenario", {}), "scenario", problems) if not divided else Scenario()
    criteria = parse_criteria(data.get("criteria"), "criteria", problems)
    fields: dict = {"scenario": scenario, "criteria": criteria, "raw": data}
    for key in ("title", "buyer"):
        fields[key] = text(data, key, "", problems, default=None)
    currency = data.get("currency", "CNY")
    if currency != "CNY":
        problems.add("currency", f"仅支持人民币（CNY），实为 {currency!r}", f"only CNY is supported, got {currency!r}")
    fields["service_scope"] = _scope(data.get("service_scope"), problems)
    fields["quality_requirements"] = _quality(data.get("quality_requirements"), problems)
    fields["qualification_rules"] = parse_rules(data.get("qualification_rules"), "qualification_rules", problems)
    fields["conformity_rules"] = conformity_rules(fields["service_scope"], fields["quality_requirements"])
    fields["price_method"] = parse_price_method(data.get("price_method"), "price_method", problems)
    ratio = number(data, "abnormal_low_ratio", "", problems, default=Decimal("0.8"), minimum=0, maximum=1)
    fields["abnormal_low_ratio"] = ratio if ratio is not None else Decimal("0.8")
    fields["price_ceiling"] = number(data, "price_ceiling", "", problems, default=None, above=0)
    deduction = number(data, "sme_price_deduction", "", problems, default=ZERO, minimum=0, below=1)
    fields["sme_price_deduction"] = deduction if deduction is not None else ZERO
    minimum = number(data, "min_valid_bids", "", problems, default=Decimal(3), minimum=1, integer=True)
    fields["min_valid_bids"] = int(minimum) if minimum is not None else 3
    days = number(data, "challenge_days", "", problems, default=Decimal(7), minimum=1, maximum=30, integer=True)
    fields["challenge_days"] = int(days) if days is not None else 7
    fields["required_sections"] = _sections(data.get("required_sections"), problems)
    for key in ("bid_deadline", "opening_time", "published_at"):
        fields[key] = read_time(data.get(key), key, problems)
    _check_times(fields, problems)
    work_items = tuple(item.id for item in scenario.work_items)
    if divided:
        for key in ("reference_pricing", "unit_price_ceilings"):
            if data.get(key) is not None:
                problems.add(
                    key,
                    f"分标包的项目按标包给出“{key}”（lots[i].{key}）：它依据标包的用量基准",
                    f"a tender divided into lots gives '{key}' in each lot (lots[i].{key}): "
                    f"it is read against the lot's scenario",
                )
    if data.get("reference_pricing") is not None and not divided:
        fields["reference_pricing"] = parse_pricing(
            data["reference_pricing"],
            "reference_pricing",
            problems,
            PricingContext(work_items, None, is_reference=True),
        )
    if not divided:
        fields["unit_price_ceilings"] = _ceilings(data.get("unit_price_ceilings"), work_items, problems)
    fields["award"] = _award(data.get("award"), problems)
    fields["payment_terms"] = parse_payment_terms(data.get("payment_terms"), "payment_terms", problems)
    fields["kpis"] = parse_kpis(data.get("kpis"), "kpis", problems)
    if data.get("payment_terms") is not None and data.get("kpis") is None:
        problems.add(
            "kpis",
            "给出了履约考核付款条款（payment_terms），但未列出考核的 KPI",
            "payment_terms are given but no KPIs to settle them against",
        )
    fields["final_offer"] = boolean(data, "final_offer", "", problems, default=False)
    if divided:
        fields["lots"] = _lots(data["lots"], fields, problems)
    if data.get("max_lots_awarded_per_vendor") is not None:
        limit = number(data, "max_lots_awarded_per_vendor", "", problems, minimum=1, integer=True)
        if not divided:
            problems.add(
                "max_lots_awarded_per_vendor",
                "只用于分标包的项目（lots）",
                "applies only to a tender divided into lots",
            )
        elif limit is not None:
            fields["max_lots_awarded_per_vendor"] = int(limit)
    problems.raise_if_any()
    return Tender(**fields)


def _lots(raw, tender: dict, problems: Problems) -> tuple[Lot, ...]:
    """Every lot of §13; a top-level price ceiling and award apply to a lot giving none of its own."""
    items = expect_list(raw, "lots", problems)
    if items is None:
        return ()
    if not items:
        problems.add(
            "lots", "至少需要一个标包（不分标包时请删除该项）", "needs at least one lot (leave it out instead)"
        )
        return ()
    lots, ids = [], set()
    for index, entry in enumerate(items):
        where = join("lots", index)
        entry = expect_dict(entry, where, problems)
        if entry is None:
            continue
        check_keys(entry, LOT_KEYS, where, problems)
        lot_id = text(entry, "id", where, problems)
        if lot_id is not None and (len(lot_id) > LOT_ID_LENGTH or set(lot_id) & LOT_ID_FORBIDDEN):
            problems.add(
                join(where, "id"),
                f"标包编号“{lot_id}”应不超过 {LOT_ID_LENGTH} 个字符，且不含 [ ] : * ? / \\（它用于报价单的工作表名称）",
                f"lot id '{lot_id}' must be at most {LOT_ID_LENGTH} characters without [ ] : * ? / \\ "
                f"(it names the price sheet's worksheets)",
            )
        if lot_id is not None and lot_id in ids:
            problems.add(join(where, "id"), f"标包编号“{lot_id}”重复", f"lot id '{lot_id}' is repeated")
        ids.add(lot_id)
        name = text(entry, "name", where, problems)
        if "scenario" not in entry:
            problems.add(
                join(where, "scenario"), "缺少本标包的用量基准（scenario）", "the lot's workload scenario is required"
            )
        scenario = parse_scenario(entry.get("scenario", {}), join(where, "scenario"), problems)
        work_items = tuple(item.id for item in scenario.work_items)
        ceiling = number(entry, "price_ceiling", where, problems, default=None, above=0)
        reference = None
        if entry.get("reference_pricing") is not None:
            reference = parse_pricing(
                entry["reference_pricing"],
                join(where, "reference_pricing"),
                problems,
                PricingContext(work_items, None, is_reference=True),
            )
        # Read with the tender-level readers, then placed under this lot's path.
        inner = Problems()
        unit_ceilings = _ceilings(entry.get("unit_price_ceilings"), work_items, inner)
        award = _award(entry["award"], inner) if entry.get("award") is not None else tender["award"]
        problems.extend([Problem(join(where, p.path), p.zh, p.en) for p in inner.items])
        if lot_id is not None and name is not None:
            lots.append(
                Lot(
                    lot_id,
                    name,
                    scenario,
                    ceiling if ceiling is not None else tender["price_ceiling"],
                    unit_ceilings,
                    reference,
                    award,
                )
            )
    return tuple(lots)


def _scope(raw, problems: Problems) -> dict:
    if raw is None:
        return {}
    data = expect_dict(raw, "service_scope", problems)
    if data is None:
        return {}
    check_keys(data, SCOPE_KEYS, "service_scope", problems)
    scope = {}
    for key in ("platforms", "channels", "services"):
        if data.get(key) is not None:
            items = expect_list(data[key], join("service_scope", key), problems)
            if items is not None and all(isinstance(i, str) for i in items):
                scope[key] = list(items)
            elif items is not None:
                problems.add(join("service_scope", key), "应为文本列表", "must be a list of texts")
    for key in ("service_hours", "days"):
        if data.get(key) is not None:
            scope[key] = str(data[key])
    return scope


def _quality(raw, problems: Problems) -> dict:
    if raw is None:
        return {}
    data = expect_dict(raw, "quality_requirements", problems)
    if data is None:
        return {}
    check_keys(data, QUALITY_KEYS, "quality_requirements", problems)
    quality = {}
    for key in QUALITY_KEYS:
        if data.get(key) is not None:
            limit = ONE if key == "satisfaction_min" else None
            value = number(data, key, "quality_requirements", problems, minimum=0, maximum=limit)
            if value is not None:
                quality[key] = value
    return quality


def _sections(raw, problems: Problems) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = expect_list(raw, "required_sections", problems)
    if items is None:
        return ()
    sections = []
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            problems.add(join("required_sections", index), "应为章节名称", "must be a section title")
        else:
            sections.append(item.strip())
    return tuple(sections)


def read_time(raw, path: str, problems: Problems) -> dt.datetime | None:
    """A time of the tender (:func:`scoring.times.parse_time`); a problem when it is not one."""
    if raw is None:
        return None
    try:
        value = parse_time(raw)
    except ValueError:
        value = None
    if value is None:
        problems.add(
            path,
            f"时间格式应为 2026-12-20T17:00:00+08:00，实为 {raw!r}",
            f"must be a time such as 2026-12-20T17:00:00+08:00, got {raw!r}",
        )
    return value


def _check_times(fields: dict, problems: Problems) -> None:
    deadline, opening, published = fields["bid_deadline"], fields["opening_time"], fields["published_at"]
    if deadline and opening and opening < deadline:
        problems.add("opening_time", "开标时间早于投标截止时间", "the opening time is before the bid deadline")
    if deadline and published and deadline <= published:
        problems.add("bid_deadline", "投标截止时间不晚于发布时间", "the bid deadline is not after publication")


def _ceilings(raw, work_items: tuple[str, ...], problems: Problems) -> dict:
    if raw is None:
        return {}
    data = expect_dict(raw, "unit_price_ceilings", problems)
    if data is None:
        return {}
    ceilings = {}
    for item_id, value in data.items():
        where = join("unit_price_ceilings", item_id)
        if item_id not in work_items:
            problems.add(where, f"用量基准中没有工作项“{item_id}”", f"the scenario has no work item '{item_id}'")
            continue
        limit = check_number(value, where, problems, above=0)
        if limit is not None:
            ceilings[item_id] = limit
    return ceilings


def _award(raw, problems: Problems) -> Award:
    if raw is None:
        return Award()
    data = expect_dict(raw, "award", problems)
    if data is None:
        return Award()
    check_keys(data, {"winners", "shares"}, "award", problems)
    winners = number(data, "winners", "award", problems, default=Decimal(1), minimum=1, integer=True)
    winners = int(winners) if winners is not None else 1
    raw_shares = data.get("shares")
    if raw_shares is None:
        if winners == 1:
            return Award(1, (ONE,))
        problems.add("award.shares", "多家中标时需给出各自份额", "shares are required with several winners")
        return Award(winners, ())
    items = expect_list(raw_shares, "award.shares", problems) or []
    shares = []
    for index, value in enumerate(items):
        share = check_number(value, join("award.shares", index), problems, above=0, maximum=1)
        if share is not None:
            shares.append(share)
    if len(items) != winners:
        problems.add(
            "award.shares",
            f"份额个数 {len(items)} 与中标人数 {winners} 不符",
            f"{len(items)} shares for {winners} winners",
        )
    if len(shares) == len(items) and sum(shares, ZERO) != ONE:
        total = plain(sum(shares, ZERO))
        problems.add("award.shares", f"份额之和应为 1，实为 {total}", f"the shares must sum to 1, they sum to {total}")
    return Award(winners, tuple(shares))


# --------------------------------------------------------------------------- bids


@dataclass(frozen=True)
class Bid:
    vendor: str
    source: str
    facts: dict
    documents: frozenset
    pricing: Pricing | None  # None in a tender divided into lots
    final_pricing: Pricing | None = None  # the final offer (§12), when one was made
    lots: dict = field(default_factory=dict)  # lot id -> Pricing (§13)
    final_lots: dict = field(default_factory=dict)  # lot id -> final Pricing

    def for_lot(self, lot_id: str) -> Bid:
        """This bid as a bid for one lot: that lot's pricing (and final offer), the same facts."""
        return replace(
            self, pricing=self.lots[lot_id], final_pricing=self.final_lots.get(lot_id), lots={}, final_lots={}
        )

    def offered(self) -> Bid:
        """The bid as scored: its final offer in place of its pricing when it made one (§12)."""
        if self.final_pricing is None:
            return self
        return replace(self, pricing=self.final_pricing, final_pricing=None)


BID_KEYS = {"facts", "documents", "pricing", "final_pricing", "lots", "final_lots"}


def parse_bid(data, tender: Tender, source: str = "bid") -> Bid:
    """Read one bid (the ``bid.json`` of §8, or what the workbook reader made of a workbook)."""
    problems = Problems()
    data = expect_dict(data, "", problems)
    if data is None:
        raise InvalidInput([Problem(source, p.zh, p.en) for p in problems.items])
    check_keys(data, BID_KEYS, "", problems)
    raw_facts = expect_dict(data.get("facts", {}), "facts", problems) or {}
    as_of = tender.bid_deadline.astimezone(SHANGHAI).date() if tender.bid_deadline else None
    facts = read_facts(raw_facts, "facts", problems, as_of=as_of)
    documents = expect_list(data.get("documents", []), "documents", problems) or []
    pricing = final = None
    lots: dict = {}
    final_lots: dict = {}
    if tender.lots:
        lots, final_lots = _lot_pricings(data, tender, problems)
    else:
        for key in ("lots", "final_lots"):
            if key in data:
                problems.add(
                    key,
                    "本项目不分标包：报价写在 pricing（最后报价写在 final_pricing）中",
                    "this tender has no lots: the pricing goes in 'pricing' (a final offer in 'final_pricing')",
                )
        if "pricing" not in data:
            problems.add("pricing", "缺少报价（pricing）", "the pricing is missing")
        else:
            pricing = parse_pricing(data.get("pricing"), "pricing", problems, tender.pricing_context)
        if data.get("final_pricing") is not None:
            final = parse_pricing(data["final_pricing"], "final_pricing", problems, tender.pricing_context)
    if problems:
        raise InvalidInput([Problem(f"{source}: {p.path}" if p.path else source, p.zh, p.en) for p in problems.items])
    vendor = str(facts.get("company_name") or source)
    return Bid(vendor, source, facts, frozenset(str(d) for d in documents), pricing, final, lots, final_lots)


def _lot_pricings(data: dict, tender: Tender, problems: Problems) -> tuple[dict, dict]:
    """The pricing of each lot a bid names, read against that lot's work items and reference (§13),
    and its final offers (``final_lots``, §12) for lots it bids for."""
    for key, instead in (("pricing", "lots"), ("final_pricing", "final_lots")):
        if key in data:
            problems.add(
                key,
                f'本项目分标包：按标包报价，写在 {instead} 中（{{"L1": {{…}}}}）',
                f"this tender is divided into lots: price each lot in '{instead}' ({{\"L1\": {{…}}}})",
            )
    if "lots" not in data:
        problems.add("lots", "缺少所投标包的报价（lots）", "the pricing of the lots bid for ('lots') is missing")
    raw_lots = expect_dict(data["lots"], "lots", problems) if "lots" in data else None
    if raw_lots == {}:
        problems.add("lots", "未投任何标包", "the bid names no lot")
    lots = _priced_lots(raw_lots or {}, "lots", tender, problems)
    raw_final = expect_dict(data["final_lots"], "final_lots", problems) if data.get("final_lots") is not None else None
    offered = {}
    for lot_id, raw_pricing in (raw_final or {}).items():
        if raw_lots is not None and lot_id not in raw_lots and tender.lot(lot_id) is not None:
            problems.add(
                join("final_lots", lot_id),
                f"未投标包“{lot_id}”，不能为其提交最后报价",
                f"a final offer for lot '{lot_id}', which the bid does not bid for",
            )
        else:
            offered[lot_id] = raw_pricing
    return lots, _priced_lots(offered, "final_lots", tender, problems)


def _priced_lots(raw: dict, key: str, tender: Tender, problems: Problems) -> dict:
    priced = {}
    for lot_id, raw_pricing in raw.items():
        where = join(key, lot_id)
        lot = tender.lot(lot_id)
        if lot is None:
            known = ", ".join(item.id for item in tender.lots)
            problems.add(
                where,
                f"本项目没有标包“{lot_id}”（标包：{known}）",
                f"this tender has no lot '{lot_id}' (its lots: {known})",
            )
            continue
        pricing = parse_pricing(raw_pricing, where, problems, tender.for_lot(lot).pricing_context)
        if pricing is not None:
            priced[lot_id] = pricing
    return priced


# --------------------------------------------------------------------------- panel


@dataclass(frozen=True)
class Decision:
    decision: str  # accept | reject
    note: str = ""  # the vendor's explanation (accept) or the panel's reason (reject)


@dataclass(frozen=True)
class Override:
    rule: str
    passed: bool
    reason: str
    evaluator: str = ""


@dataclass(frozen=True)
class Panel:
    scores: dict = field(default_factory=dict)  # evaluator -> vendor -> criterion -> Decimal
    abnormal_low: dict = field(default_factory=dict)  # vendor -> Decision
    bands: dict = field(default_factory=dict)  # vendor -> criterion -> band label
    overrides: dict = field(default_factory=dict)  # vendor -> tuple[Override]
    lots: dict = field(default_factory=dict)  # lot id -> Panel, in a tender divided into lots

    @property
    def evaluators(self) -> tuple[str, ...]:
        return tuple(self.scores)


def parse_panel(data, tender: Tender, bids) -> Panel:
    """Read ``panel.json``: scores range-checked and inside the agreed band (§7.3, §9.5)."""
    problems = Problems()
    if data is None:
        return Panel()
    data = expect_dict(data, "", problems)
    if data is None:
        problems.raise_if_any()
    if tender.lots:
        return _lot_panels(data, tender, bids)
    check_keys(data, {"scores", "abnormal_low", "bands", "overrides"}, "", problems)
    vendors = {bid.vendor for bid in bids}
    criteria = {criterion.id: criterion for criterion in tender.criteria}

    def known_vendor(name, where) -> bool:
        if name not in vendors:
            problems.add(where, f"没有名为“{name}”的投标人", f"no bidder is named '{name}'")
            return False
        return True

    bands: dict = {}
    for vendor, per_criterion in (expect_dict(data.get("bands", {}), "bands", problems) or {}).items():
        where = join("bands", vendor)
        if not known_vendor(vendor, where):
            continue
        for cid, label in (expect_dict(per_criterion, where, problems) or {}).items():
            criterion = tender.criterion(cid)
            at = join(where, cid)
            if criterion is None or not criterion.bands:
                problems.add(at, f"评分因素“{cid}”没有档次", f"criterion '{cid}' has no bands")
            elif criterion.band(label) is None:
                problems.add(
                    at,
                    f"“{criterion.name}”没有档次“{label}”",
                    f"criterion '{criterion.title.en}' has no band '{label}'",
                )
            else:
                bands.setdefault(vendor, {})[cid] = label

    # The inner loop runs once a score (153,000 for 1,000 bids × 9 evaluators × 17
    # criteria): paths are joined only for a problem, bands looked up once a bid.
    subjective = {c.id: c for c in tender.criteria if c.kind == "subjective"}
    scores: dict = {}
    agreed_of: dict = {}  # vendor -> criterion -> the agreed Band
    within_of: dict = {}  # vendor -> (criterion, whether its agreed band holds a score)
    # Each band: whether it holds a score, kept for the scores that recur (18,000 band checks
    # for 1,000 bids with two banded criteria, the same few dozen scores): id of a Band -> it.
    holds = {id(band): Recurring(band.holds) for criterion in tender.criteria for band in criterion.bands}
    valid_for: dict = {}  # a score -> the criteria whose range holds it
    everywhere: set = set()  # the scores in the range of every subjective criterion
    orders: set = set()  # the criteria of a sheet, in its order, when all are subjective
    for evaluator, per_vendor in (expect_dict(data.get("scores", {}), "scores", problems) or {}).items():
        scores[evaluator] = {}
        by_evaluator = join("scores", evaluator)
        for vendor, per_criterion in (expect_dict(per_vendor, by_evaluator, problems) or {}).items():
            if vendor not in vendors:
                known_vendor(vendor, join(by_evaluator, vendor))
                continue
            agreed = agreed_of.get(vendor)
            if agreed is None:
                agreed = agreed_of[vendor] = {
                    cid: criteria[cid].band(label) for cid, label in bands.get(vendor, {}).items()
                }
                within_of[vendor] = tuple((cid, holds[id(band)]) for cid, band in agreed.items() if band is not None)
            if type(per_criterion) is dict and _plain_sheet(
                per_criterion, subjective, within_of[vendor], valid_for, everywhere, orders
            ):
                scores[evaluator][vendor] = per_criterion  # every score as read is a valid score: kept as it is
                continue
            where = join(by_evaluator, vendor)
            given = scores[evaluator][vendor] = {}
            for cid, raw in (expect_dict(per_criterion, where, problems) or {}).items():
                criterion = subjective.get(cid)
                if criterion is None:
                    problems.add(join(where, cid), f"“{cid}”不是主观评分因素", f"'{cid}' is not a subjective criterion")
                    continue
                band = agreed.get(cid)
                if (
                    type(raw) is Decimal
                    and raw.is_finite()
                    and ZERO <= raw <= criterion.weight
                    and (band is None or band.holds(raw))
                ):
                    score = raw  # as panel.json is read (exact decimals): no conversion to make
                else:
                    score = _score(raw, join(where, cid), problems, evaluator, vendor, criterion, band)
                if score is None:
                    continue
                given[cid] = score

    decisions: dict = {}
    for vendor, raw in (expect_dict(data.get("abnormal_low", {}), "abnormal_low", problems) or {}).items():
        where = join("abnormal_low", vendor)
        if not known_vendor(vendor, where):
            continue
        decision = _decision(raw, where, problems)
        if decision:
            decisions[vendor] = decision

    overrides: dict = {}
    for vendor, items in (expect_dict(data.get("overrides", {}), "overrides", problems) or {}).items():
        where = join("overrides", vendor)
        if not known_vendor(vendor, where):
            continue
        for index, entry in enumerate(expect_list(items, where, problems) or []):
            at = join(where, index)
            entry = expect_dict(entry, at, problems)
            if entry is None:
                continue
            check_keys(entry, {"rule", "passed", "reason", "evaluator"}, at, problems)
            rule = text(entry, "rule", at, problems)
            reason = text(entry, "reason", at, problems)
            passed = boolean(entry, "passed", at, problems, default=True)
            evaluator = entry.get("evaluator") or ""
            if rule and reason:
                overrides.setdefault(vendor, []).append(Override(rule, passed, reason, str(evaluator)))
    problems.raise_if_any()
    return Panel(scores, decisions, bands, {v: tuple(o) for v, o in overrides.items()})


def _plain_sheet(sheet: dict, subjective: dict, within: tuple, valid_for: dict, everywhere: set, orders: set) -> bool:
    """Whether one evaluator's scores of one bid are all exact decimals of subjective
    criteria, within 0..weight and inside any agreed band (``within``: each banded criterion
    and whether its band holds a score): then the sheet is taken as read. (It runs once a
    sheet: 9,000 for 1,000 bids × 9 evaluators, 153,000 scores; the few dozen distinct scores
    are checked against the weights once each, in ``valid_for``, and against a band once each.)"""
    scores = sheet.values()
    try:
        # The usual sheet, checked in C: every score one already found in the range of every
        # subjective criterion (``everywhere``), its criteria in an order already found all
        # subjective (``orders``: the panel's sheets list them alike), every score a Decimal
        # (``Decimal.is_finite`` refuses any other type, as an int or a float may equal a
        # score of the set).
        plain = everywhere.issuperset(scores) and tuple(sheet) in orders and all(map(_finite, scores))
    except TypeError:  # a score of another type, or a signalling NaN (it cannot be hashed)
        plain = False
    if not plain:
        if not _checked_sheet(sheet, subjective, valid_for, everywhere):
            return False
        orders.add(tuple(sheet))
    for cid, held in within:
        raw = sheet.get(cid)
        if raw is not None and not held[raw]:
            return False
    return True


_finite = Decimal.is_finite


def _checked_sheet(sheet: dict, subjective: dict, valid_for: dict, everywhere: set) -> bool:
    """:func:`_plain_sheet`'s checks score by score; a score in the range of every subjective
    criterion is kept in ``everywhere``."""
    for cid, raw in sheet.items():
        if type(raw) is not Decimal:
            return False
        try:  # a subscript, not a get call and a test: a new score is the rare case
            criteria = valid_for[raw]
        except KeyError:
            criteria = valid_for[raw] = frozenset(
                c for c, criterion in subjective.items() if raw.is_finite() and ZERO <= raw <= criterion.weight
            )
            if len(criteria) == len(subjective):
                everywhere.add(raw)
        except TypeError:  # a signalling NaN cannot be hashed: the checks one by one name it
            return False
        if cid not in criteria:
            return False
    return True


def _lot_panels(data: dict, tender: Tender, bids) -> Panel:
    """``{"lots": {"L1": {ordinary panel}, …}}``: each lot's panel read against the lot and its bidders."""
    problems = Problems()
    check_keys(data, {"lots"}, "", problems)
    if "lots" not in data and data:
        problems.add(
            "lots",
            '分标包的项目按标包给出评审：{"lots": {"L1": {…}}}',
            'a tender divided into lots takes the panel\'s work per lot: {"lots": {"L1": {…}}}',
        )
    panels = {}
    for lot_id, raw in (expect_dict(data.get("lots", {}), "lots", problems) or {}).items():
        where = join("lots", lot_id)
        lot = tender.lot(lot_id)
        if lot is None:
            problems.add(where, f"本项目没有标包“{lot_id}”", f"this tender has no lot '{lot_id}'")
            continue
        try:
            panels[lot_id] = parse_panel(raw, tender.for_lot(lot), [b for b in bids if lot_id in b.lots])
        except InvalidInput as error:
            problems.extend([Problem(join(where, p.path) if p.path else where, p.zh, p.en) for p in error.problems])
    problems.raise_if_any()
    return Panel(lots=panels)


def _score(raw, at: str, problems: Problems, evaluator: str, vendor: str, criterion: Criterion, band) -> Decimal | None:
    """A subjective score in 0..weight and in the agreed band (§7.3, §9.5); anything else is
    refused, naming who gave it."""
    score, refusal = read_score(raw, criterion, band)
    if refusal is None:
        return score
    if refusal.kind == "not_a_number":
        problems.add(
            at,
            f"评委“{evaluator}”给“{vendor}”的“{criterion.name}”打分 {raw!r} 不是数字",
            f"evaluator '{evaluator}' gave '{vendor}' a score {raw!r} on '{criterion.title.en}' that is not a number",
        )
    elif refusal.kind == "out_of_range":
        problems.add(
            at,
            f"评委“{evaluator}”给“{vendor}”的“{criterion.name}”打分 {raw!r} 无效：应在 0–"
            f"{plain(criterion.weight)} 之间",
            f"evaluator '{evaluator}' gave '{vendor}' an invalid score {raw!r} on '{criterion.title.en}': "
            f"it must lie between 0 and {plain(criterion.weight)}",
        )
    else:
        problems.add(
            at,
            f"评委“{evaluator}”给“{vendor}”的“{criterion.name}”打分 {plain(to_decimal(raw))}，"
            f"不在商定档次“{band.label}”（{plain(band.min)}–{plain(band.max)}）内",
            f"evaluator '{evaluator}' scored '{vendor}' {plain(to_decimal(raw))} on '{criterion.title.en}', outside "
            f"the agreed band '{band.label}' ({plain(band.min)}–{plain(band.max)})",
        )
    return None


DECISIONS = {
    "accept": "accept",
    "accepted": "accept",
    "接受": "accept",
    "采纳": "accept",
    "reject": "reject",
    "rejected": "reject",
    "否决": "reject",
    "拒绝": "reject",
}


def _decision(raw, where: str, problems: Problems) -> Decision | None:
    if isinstance(raw, str):
        raw = {"decision": raw}
    data = expect_dict(raw, where, problems)
    if data is None:
        return None
    check_keys(data, {"decision", "explanation", "reason", "note"}, where, problems)
    decision = DECISIONS.get(str(data.get("decision")).strip().lower(), data.get("decision"))
    if decision not in ("accept", "reject"):
        problems.add(
            join(where, "decision"),
            f"应为 accept 或 reject，实为 {decision!r}",
            f"must be accept or reject, got {decision!r}",
        )
        return None
    note = data.get("explanation") or data.get("reason") or data.get("note") or ""
    return Decision(decision, str(note))
