"""What both reports show, read from the evaluation result in the reader's language.

:class:`ReportView` takes a :class:`~scoring.evaluation.Result` and a
:class:`~tender.reports.context.ReportContext` and answers the questions the workbook
and the document ask (which bids are ranked, why a bid is invalid, what a criterion is
called in English …). It only *selects and words*: every figure is taken from
the ``Result``'s own objects (each bid's :class:`~scoring.evaluation.BidResult`, the
sensitivity, the awards), shown with the rounding result.json writes them with (two
decimals for amounts and scores); nothing is added up or normalized here. Every text the evaluation
words (reasons, status reasons, score notes, rule outcomes) is read from the ``Result``'s
own :class:`~scoring.text.Text` values in the report's language, never split out of a
joined "中文 / English" string.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from scoring.criteria import OBJECTIVE_RULES
from scoring.facts import shown
from scoring.money import plain, round2
from scoring.pricing import MODELS, PARAMETERS
from scoring.scenario import SCENARIO_FIELDS
from scoring.times import SHANGHAI
from tender.reports.context import AbnormalLowDecision, OpeningRow, OverrideRecord, PanelMember, ReportContext
from tender.reports.labels import action_label, flag_label, text


def number(value) -> Decimal | None:
    """A figure written as text ("52266.67", "26", None) as an exact Decimal."""
    return None if value is None or value == "" else Decimal(str(value))


def _two_places(value: Decimal | None) -> Decimal | None:
    """An amount as result.json and every report write it: rounded half-up to 0.01."""
    return None if value is None else round2(value)


@dataclass(frozen=True)
class PriceScore:
    """How one ranked bid's price score was found (§7.1, §7.4)."""

    vendor: str
    monthly_cost: Decimal
    price: Decimal  # the price scored on: after the SME deduction when it applies
    deducted: bool  # True: the SME price deduction applied
    benchmark: Decimal
    formula: str  # the formula with its numbers, in the report's language
    score: Decimal


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    kind: str
    weight: Decimal
    aggregate: str | None  # subjective criteria only


@dataclass(frozen=True)
class ParameterRow:
    label: str
    value: object  # Decimal, str
    kind: str  # money | share | quantity | text


class ReportView:
    def __init__(self, result, context: ReportContext | None, lang: str):
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        self.result = result
        self.context = context or ReportContext()
        self.lang = lang
        self.en = lang == "en"
        self.tender = result.tender
        self.raw = getattr(result.tender, "raw", {}) or {}
        self.bids = list(result.bids)  # BidResult, in the result's order
        self.ranked = [b for b in self.bids if b.rank is not None]
        self.invalid = [b for b in self.bids if not b.valid]
        self.criteria = [self._criterion(c) for c in self.tender.criteria]
        self.evaluators = list(result.evaluators)

    # ------------------------------------------------------------------ words
    def t(self, key: str, **values) -> str:
        return text(key, self.lang, **values)

    def pick(self, zh: str, en: str | None) -> str:
        return (en or zh) if self.en else zh

    def lot_award_rows(self) -> list[list[str]]:
        """The award table across the lots (§13) of a lot's report: lot, name, awarded to, reasons."""
        rows = []
        for lot in self.context.lot_awards:
            won = [
                self.t("lot_award_line", vendor=a["vendor"], rank=a["rank"], share=a["share"]) for a in lot["awards"]
            ]
            rows.append(
                [
                    lot["lot"],
                    lot["name"],
                    ("; " if self.en else "；").join(won) or self.t("not_awarded"),
                    "\n".join(r.get(self.lang) for r in lot["reasons"]) or "—",
                ]
            )
        return rows

    def lot_limit(self) -> str:
        return str(self.context.lot_limit) if getattr(self.context, "lot_limit", None) else self.t("no_limit")

    def _criterion(self, definition) -> Criterion:
        name = self.pick(definition.name, definition.name_en or definition.name)
        aggregate = definition.aggregate if definition.kind == "subjective" else None
        return Criterion(definition.id, name, definition.kind, number(plain(definition.weight)), aggregate)

    def kind_label(self, kind: str) -> str:
        return self.t(f"kind_{kind}")

    def model_name(self, model: str) -> str:
        spec = MODELS.get(model)
        return self.pick(spec.zh, spec.en) if spec else model

    def flags(self, bid) -> str:
        labels = []
        for flag in sorted(bid.flags):
            label = flag_label(flag, self.lang)
            decision = bid.decision
            if flag == "abnormal_low" and decision:
                label += f" ({self.t('decision_' + decision)})" if self.en else f"（{self.t('decision_' + decision)}）"
            labels.append(label)
        return "; ".join(labels) if self.en else "；".join(labels)

    def time(self, value: dt.datetime | None, seconds: bool = False, zone: bool = True) -> str:
        """A moment in Asia/Shanghai, with the zone shown unless its column says it."""
        if value is None:
            return self.t("not_given")
        if value.tzinfo is None:
            value = value.replace(tzinfo=SHANGHAI)
        shown = value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
        return shown + (" (UTC+8 Asia/Shanghai)" if zone else "")

    def action(self, action: str) -> str:
        return action_label(action, self.lang)

    # ------------------------------------------------------------------ the tender
    @property
    def title(self) -> str:
        return self.context.title or self.tender.title or self.t("not_given")

    @property
    def buyer(self) -> str:
        return self.context.buyer or self.tender.buyer or self.t("not_given")

    @property
    def project_code(self) -> str:
        return self.context.project_code or str(self.raw.get("project_code") or "") or self.t("not_given")

    @property
    def description(self) -> str:
        return str(self.raw.get("description") or "")

    @property
    def published_at(self):
        return self.context.published_at or self.tender.published_at

    @property
    def bid_deadline(self):
        return self.context.bid_deadline or self.tender.bid_deadline

    @property
    def opening_time(self):
        return self.context.opening_time or self.tender.opening_time

    @property
    def opening_place(self) -> str:
        return self.context.opening_place or str(self.raw.get("opening_place") or "") or self.t("not_given")

    @property
    def evaluation_date(self) -> str:
        day = self.context.evaluation_date
        return day.isoformat() if day else self.t("not_given")

    @property
    def generated_at(self) -> str:
        return self.time(self.context.generated_at or dt.datetime.now(dt.UTC))

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def failed(self) -> bool:
        return self.result.failed

    @property
    def status_text(self) -> str:
        return self.t(f"status_{self.status}")

    @property
    def status_reasons(self) -> list[str]:
        return [reason.get(self.lang) for reason in self.result.status_reasons]

    @property
    def draft(self) -> bool:
        """A report is final only when the caller says so and the result is not pending."""
        final = self.context.final if self.context.final is not None else True
        return not final or self.status == "pending"

    @property
    def price_ceiling(self) -> Decimal | None:
        return self.tender.price_ceiling

    # ------------------------------------------------------------------ bids
    def candidate(self, bid) -> str:
        winners = self.result.winners
        if bid.vendor not in winners:
            return ""
        return self.t("candidate_n", n=winners.index(bid.vendor) + 1)

    @property
    def awards(self) -> list[dict]:
        return self.result.awards

    @property
    def winners(self) -> list[str]:
        return self.result.winners

    @property
    def benchmark(self) -> Decimal | None:
        return _two_places(self.result.benchmark)

    @property
    def valid_bids(self) -> int:
        return sum(1 for b in self.bids if b.valid)

    def cost_per_inquiry(self, bid) -> Decimal | None:
        return _two_places(bid.cost_per_inquiry)

    def reasons(self, bid) -> list[str]:
        """Why a bid is invalid, in the report's language."""
        return [reason for _rule, reason in self.reasons_with_rules(bid)]

    def reasons_with_rules(self, bid) -> list[tuple[object, str]]:
        """Each reason with the failed rule's outcome behind it (None: price ceiling, rejection …)."""
        out = [(outcome, outcome.reason_text.get(self.lang)) for outcome in bid.review.failed]
        out += [(None, reason.get(self.lang)) for reason in bid.review.other]
        if bid.rejection is not None:
            out.append((None, bid.rejection.get(self.lang)))
        return out

    def rule_name(self, rule) -> str:
        return rule.title.get(self.lang)

    def rule_title(self, name: str) -> str:
        """A rule named as in result.json and the panel's overrides, as a person reads it."""
        rule = next((r for r in self.rules() if r.name == name or r.subject == name), None)
        return rule.title.get(self.lang) if rule is not None else name

    def rules(self) -> list:
        """Every qualification and conformity rule, in the tender's order."""
        return [*self.tender.qualification_rules, *self.tender.conformity_rules]

    def rule_results(self, bid) -> dict:
        """Rule name → RuleResult of one bid."""
        return {r.rule.name: r for r in bid.review.rules}

    def declared(self, value) -> str:
        if value is None:
            return self.t("not_given")
        if isinstance(value, bool):
            return self.t("yes" if value else "no")
        if isinstance(value, (list, tuple, set, frozenset)):
            return shown(value).get(self.lang)
        if isinstance(value, Decimal):
            return f"{value.normalize():f}" if value != value.to_integral_value() else f"{value.quantize(Decimal(1)):f}"
        return str(value)

    def required(self, rule) -> str:
        if rule.op == "present":
            return self.t("yes")
        return f"{rule.op} {self.declared(rule.value)}"

    def rule_reason(self, outcome) -> str:
        return outcome.why.get(self.lang)

    def note(self, bid, cid: str) -> str:
        return bid.note(cid).get(self.lang) if cid in bid.explanations else ""

    def price_scores(self) -> list[PriceScore]:
        """For each ranked bid: the price it was scored on, the benchmark and the formula."""
        criterion = self.tender.price_criterion
        benchmark = self.result.benchmark
        if criterion is None or benchmark is None:
            return []
        rows = []
        for bid in self.ranked:
            rows.append(
                PriceScore(
                    bid.vendor,
                    bid.monthly_cost,
                    bid.price_basis,
                    bid.price_deducted,
                    benchmark,
                    bid.note(criterion.id).get(self.lang),
                    bid.scores[criterion.id],
                )
            )
        return rows

    def evaluator_score(self, bid, cid: str, evaluator: str) -> Decimal | None:
        return bid.evaluator_scores.get(cid, {}).get(evaluator)

    def aggregation(self, criterion: Criterion) -> str:
        return self.t(f"agg_{criterion.aggregate}") if criterion.aggregate else ""

    def breakdown(self, bid) -> list[tuple[str, str, Decimal]]:
        return [
            (self.pick(line.label, line.label_en), self.pick(line.formula, line.formula_en), _two_places(line.amount))
            for line in bid.cost.lines
        ]

    def parameters(self, bid) -> list[ParameterRow]:
        """The quote as written (when the caller passed it), one row per parameter."""
        quote = self.context.pricing.get(bid.vendor)
        if not quote:
            return []
        rows = []
        for key, value in quote.items():
            if key == "model":
                continue
            spec = PARAMETERS.get(key)
            label = self.pick(spec.zh, spec.en) if spec else key
            kind = spec.kind if spec else "text"
            if kind in ("money", "share", "quantity") and isinstance(value, Decimal):
                rows.append(ParameterRow(label, value, kind))
            else:
                rows.append(ParameterRow(label, self._parameter_text(key, value), "text"))
        return rows

    def _parameter_text(self, key: str, value) -> str:
        if isinstance(value, bool):
            return self.t("yes" if value else "no")
        if key == "tiers":
            return "; ".join(
                f"≤ {self.declared(t['up_to']) if t['up_to'] is not None else '∞'}: "
                f"{self.declared(t['fee'])} + {self.declared(t['rate'])} × V"
                for t in value
            )
        if key == "prices":
            return "; ".join(f"{item} {self.declared(price)}" for item, price in value.items())
        if key == "one_time_fees":
            return "; ".join(f"{fee['label']} {self.declared(fee['amount'])}" for fee in value)
        return self.declared(value)

    # ------------------------------------------------------------------ scenario
    def scenario_rows(self) -> list[tuple[str, Decimal]]:
        scenario = self.tender.scenario
        profile = scenario.monthly_profile
        rows = []
        for name, (_lo, _hi, _int, zh, en) in SCENARIO_FIELDS.items():
            if not (profile and name == "peak_days_per_year"):  # with a profile the months give them
                rows.append((self.pick(zh, en), getattr(scenario, name)))
        if profile:  # one average month's derived figures would mislead: the year's totals instead
            return rows + [
                (self.t("contract_inquiries"), number(plain(scenario.profile_inquiries))),
                (self.t("contract_days"), number(plain(scenario.profile_days))),
            ]
        for name, value in scenario.derived().items():
            rows.append(
                (
                    self.t(name)
                    if name in ("agent_shifts", "monthly_inquiries", "new_inquiries", "returning_inquiries")
                    else name,
                    number(plain(value)),
                )
            )
        return rows

    def volume_scenarios(self) -> list:
        return list(self.tender.scenario.volume_scenarios)

    # ------------------------------------------------------------------ sensitivity
    @property
    def scenario_daily_inquiries(self) -> Decimal | None:
        return number(self.result.sensitivity.get("scenario_daily_inquiries"))

    def sensitivity_grid(self) -> list[Decimal]:
        return [number(v) for v in self.result.sensitivity.get("daily_inquiries", [])]

    def sensitivity_costs(self) -> dict[str, list[Decimal]]:
        """Vendor → monthly costs along the grid, in ranking order."""
        costs = self.result.sensitivity.get("costs", {})
        order = [b.vendor for b in self.ranked if b.vendor in costs]
        order += [v for v in costs if v not in order]
        return {v: [number(c) for c in costs[v]] for v in order}

    def sensitivity_curves(self) -> dict[str, list[tuple[Decimal, Decimal]]]:
        """Vendor → the exact vertices of its cost curve (where it bends or jumps)."""
        curves = self.result.sensitivity.get("curves", {})
        return {v: [(number(x), number(y)) for x, y in points] for v, points in curves.items()}

    def break_even(self) -> list[dict]:
        return [
            {
                "daily_inquiries": number(p["daily_inquiries"]),
                "below": p["below"],
                "above": p["above"],
                "monthly_cost": number(p.get("monthly_cost")),
            }
            for p in self.result.sensitivity.get("break_even", [])
        ]

    def chart_vendors(self, limit: int) -> list[str]:
        """The curves worth drawing: the top-ranked bids and every bid at a break-even point."""
        costs = self.sensitivity_costs()
        chosen = [v for v in costs][:limit]
        for point in self.break_even():
            for vendor in (point["below"], point["above"]):
                if vendor not in chosen and vendor in costs:
                    chosen.append(vendor)
        return chosen

    # ------------------------------------------------------------------ the procedure
    def opening_record(self) -> list[OpeningRow]:
        by_vendor = {b.vendor: b for b in self.bids}
        if self.context.opening_record:
            rows = []
            for row in self.context.opening_record:
                bid = by_vendor.get(row.vendor)
                cost = row.monthly_cost if row.monthly_cost is not None else (bid.monthly_cost if bid else None)
                rows.append(
                    OpeningRow(
                        row.vendor, row.received_at, row.model or (bid.model if bid else None), cost, row.credit_code
                    )
                )
            return rows
        return [
            OpeningRow(b.vendor, None, b.model, b.monthly_cost)
            for b in sorted(self.bids, key=lambda b: (b.source or "", b.vendor))
        ]

    def panel(self) -> list[PanelMember]:
        return list(self.context.panel) or [PanelMember(name) for name in self.evaluators]

    def member_role(self, member: PanelMember) -> str:
        return self.t(member.role) if member.role in ("chair", "member") else member.role

    def signature_text(self, member: PanelMember) -> str:
        """An electronic signature as the signature table prints it (empty: to sign by hand)."""
        if member.signed_at is None:
            return ""
        return self.t("signed_electronically", sha=member.report_sha256)

    def overrides(self) -> list[OverrideRecord]:
        if self.context.overrides:
            return list(self.context.overrides)
        return [
            OverrideRecord(
                b.vendor, o["rule"], bool(o["passed"]), o.get("reason", ""), o.get("evaluator", ""), o.get("automatic")
            )
            for b in self.bids
            for o in b.review.overrides
        ]

    def abnormal_low(self) -> list[AbnormalLowDecision]:
        if self.context.abnormal_low:
            return list(self.context.abnormal_low)
        return [AbnormalLowDecision(b.vendor, b.decision, b.decision_note) for b in self.bids if b.decision]

    def monthly_cost(self, vendor: str) -> Decimal | None:
        bid = next((b for b in self.bids if b.vendor == vendor), None)
        return bid.monthly_cost if bid else None

    # ------------------------------------------------------------------ method
    def method(self, criterion: Criterion) -> str:
        """How a criterion is scored, as the tender defines it."""
        definition = self.tender.criterion(criterion.id)
        if criterion.kind == "price":
            method = self.tender.price_method.method
            names = {
                "lowest_price": ("低价优先法", "lowest-price method"),
                "average_deviation": ("平均值偏差法", "average-deviation method"),
            }
            return self.pick(*names.get(method, (method, method)))
        if criterion.kind == "subjective":
            text_ = self.aggregation(criterion)
            if definition is not None and definition.bands:
                bands = "; ".join(f"{b.label} {self.declared(b.min)}–{self.declared(b.max)}" for b in definition.bands)
                text_ += f"; {bands}" if self.en else f"；档次：{bands}"
            return text_
        if definition is None:
            return ""
        return OBJECTIVE_RULES[definition.rule].describe(definition).get(self.lang)
