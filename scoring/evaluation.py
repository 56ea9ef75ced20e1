"""evaluate(tender, bids, panel) → the result of §8: costs, review, scores, ranking, status.

The order of the rules (§5, §6, §7, §9, §12):
0. a bid with a final offer (§12) is scored on it: its first offer's cost is kept beside it;
1. every bid's monthly cost P (volume-weighted when the scenario gives volume scenarios);
2. qualification and conformity review, price ceiling, unit price ceilings, discount;
3. abnormally low prices among the qualified bids, and the panel's decisions on them;
4. scores of the valid bids (qualified, not rejected), each rounded to 2 decimals;
5. ranking with the tie-break order of §7.4, status, winners, awards, sensitivity, and how far
   each weight may move before another bid would win (§11).

With a monthly profile (§10) step 1 prices every contract month alone and P is the
contract cost ÷ contract months; everything after uses P as usual.
"""

from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal

from scoring.criteria import objective_score, price_note, price_scores, rounded_aggregate
from scoring.errors import InvalidInput, Problem
from scoring.money import ONE, ZERO, fmt2, fmt2_recurring, money_text, pct_text, plain, plain_recurring, round2
from scoring.pricing import MODELS, Cost, Line, discount_problem, monthly_cost
from scoring.qualification import RuleResult, check
from scoring.reading import as_bool
from scoring.sensitivity import sensitivity
from scoring.stability import WeightBound, weight_stability
from scoring.tender import Bid, Panel, Tender
from scoring.text import Text
from scoring.year import ContractYear, FlatAverage, FlatBid, price_year


@dataclass
class Review:
    """Why a bid is or is not valid."""

    rules: list[RuleResult] = field(default_factory=list)
    other: list[Text] = field(default_factory=list)  # reasons beyond the rules: ceilings, discount
    overrides: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.passed and r.rule.mandatory]

    @property
    def reasons(self) -> list[Text]:
        """Every reason the bid is invalid, as a person reads it."""
        return [r.reason_text for r in self.failed] + self.other

    @property
    def records(self) -> list[str]:
        """The same reasons as result.json lists them (§8): rule name first, "中文 / English"."""
        return [r.reason for r in self.failed] + [t.joined() for t in self.other]


@dataclass
class BidResult:
    vendor: str
    source: str
    model: str
    cost: Cost
    monthly_cost: Decimal  # P, rounded to 0.01
    cost_per_inquiry: Decimal | None
    volume_costs: list[dict]
    review: Review
    flags: list[str]
    first_cost: Cost | None = None  # the first offer, when a final offer is scored (§12)
    first_model: str | None = None
    first_monthly_cost: Decimal | None = None  # set on every bid when any bid made a final offer
    decision: str | None = None  # accept | reject | pending (abnormally low only)
    decision_note: str = ""
    price_basis: Decimal | None = None  # P after the SME deduction
    scores: dict = field(default_factory=dict)  # criterion id -> rounded score
    explanations: dict = field(default_factory=dict)  # criterion id -> callable giving a Text
    evaluator_scores: dict = field(default_factory=dict)  # criterion id -> evaluator -> score
    total: Decimal | None = None
    rank: int | None = None
    year: ContractYear | None = None  # the contract's months priced one by one (§10)

    @property
    def qualified(self) -> bool:
        # No reason, asked without wording the reasons, nor listing the failed rules: the first
        # failed mandatory rule answers (it is asked ~5,000 times for 1,000 bids of 8 rules)
        review = self.review
        if review.other:
            return False
        for result in review.rules:
            if not result.passed and result.rule.mandatory:
                return False
        return True

    @property
    def valid(self) -> bool:
        return self._valid(self.qualified)

    def _valid(self, qualified: bool) -> bool:
        """Valid: qualified, and not rejected by the panel as abnormally low."""
        return qualified and self.decision != "reject"

    def note(self, cid: str) -> Text:
        """How the score of one criterion was found."""
        return self.explanations[cid]()

    @property
    def rejection(self) -> Text | None:
        """The panel's rejection of an abnormally low price, with its note."""
        if self.decision != "reject":
            return None
        note = Text(f"：{self.decision_note}", f": {self.decision_note}") if self.decision_note else Text("", "")
        return Text("异常低价，评标委员会决定否决", "abnormally low price rejected by the panel") + note

    @property
    def reasons(self) -> list[Text]:
        """Every reason the bid is invalid (review, then the panel's rejection)."""
        return self.review.reasons + ([self.rejection] if self.rejection else [])

    @property
    def price_deducted(self) -> bool:
        """Scored on a price after the SME deduction (§7.4)."""
        return self.price_basis is not None and self.price_basis != self.monthly_cost

    def non_price_total(self, price_id: str | None) -> Decimal:
        """The total without the score of the price criterion (the one of kind price, whatever its id)."""
        return sum((v for k, v in self.scores.items() if k != price_id), ZERO)

    def to_json(self, tender: Tender) -> dict:
        # Each asked once: whether qualified walks the review's rules, and valid asks it again.
        rejection, qualified = self.rejection, self.qualified
        valid = self._valid(qualified)
        reasons = self.review.records + ([rejection.joined()] if rejection else [])
        out = {
            "vendor": self.vendor,
            "source": self.source,
            "qualified": qualified,
            "valid": valid,
            "reasons": reasons,
            "model": self.model,
            "model_name": MODELS[self.model].zh,
            "monthly_cost": fmt2(self.monthly_cost),
            "cost_per_inquiry": fmt2(self.cost_per_inquiry),
            "breakdown": [line.to_json() for line in self.cost.lines],
            "flags": sorted(self.flags),
        }
        if self.first_monthly_cost is not None:
            out["final_offer"] = self.first_cost is not None
            out["first_monthly_cost"] = fmt2(self.first_monthly_cost)
        if self.first_cost is not None:
            out["first_model"] = self.first_model
            out["first_breakdown"] = [line.to_json() for line in self.first_cost.lines]
        if self.year is not None:
            out["contract_cost"] = fmt2(self.year.total)
            out["monthly_costs"] = self.year.monthly_costs()
            out["monthly_breakdowns"] = self.year.breakdowns()
        if self.volume_costs:
            out["volume_costs"] = self.volume_costs
        if self.decision:
            out["abnormal_low_decision"] = self.decision
            if self.decision_note:
                out["abnormal_low_note"] = self.decision_note
        out["qualification"] = [r.to_json() for r in self.review.rules]
        if self.review.overrides:
            out["overrides"] = self.review.overrides
        if valid:
            out["price_basis"] = fmt2(self.price_basis)
            out["scores"] = {cid: fmt2_recurring(score) for cid, score in self.scores.items()}
            notes, by_evaluator = {}, {}
            for cid, explain in self.explanations.items():
                if type(explain) is _AggregateNote:
                    # The evaluators' scores (100,000s of them) as text once, for both fields.
                    texts = list(map(plain_recurring, explain.given.values()))
                    zh, en = explain.words(" ".join(texts))
                    notes[cid] = {"zh": zh, "en": en}
                    by_evaluator[cid] = dict(zip(explain.given, texts))
                else:
                    notes[cid] = explain().to_json()
            out["score_notes"] = notes
            out["evaluator_scores"] = {
                cid: by_evaluator.get(cid) or dict(zip(per, map(plain_recurring, per.values())))
                for cid, per in self.evaluator_scores.items()
            }
            out["total"] = fmt2(self.total)
            out["rank"] = self.rank
        else:
            out["scores"] = {}
        return out


@dataclass
class Result:
    tender: Tender
    status: str
    status_reasons: list[Text]
    bids: list[BidResult]
    winners: list[str]
    awards: list[dict]
    sensitivity: dict
    benchmark: Decimal | None
    evaluators: tuple[str, ...]
    weight_stability: list[WeightBound] = field(default_factory=list)
    flat_average: FlatAverage | None = None  # with a monthly profile: the same bids on the average month

    @property
    def failed(self) -> bool:
        """Too few valid bids remained (流标): nothing is ranked for an award."""
        return self.status == "failed"

    @property
    def ranked(self) -> list[BidResult]:
        return [b for b in self.bids if b.rank is not None]

    def bid(self, vendor: str) -> BidResult | None:
        return next((b for b in self.bids if b.vendor == vendor), None)

    def to_json(self, bids: bool = True) -> dict:
        """result.json (§8); with ``bids=False``, every part but the bids' own (``"bids": []``),
        which the command line writes bid by bid."""
        scenario = self.tender.scenario
        out = {
            "status": self.status,
            "status_reasons": [reason.to_json() for reason in self.status_reasons],
            "title": self.tender.title,
            "buyer": self.tender.buyer,
            "scenario": {k: plain(v) for k, v in scenario.derived().items()},
            "criteria": [
                {"id": c.id, "name": c.name, "name_en": c.name_en, "kind": c.kind, "weight": plain(c.weight)}
                for c in self.tender.criteria
            ],
            "price_method": self.tender.price_method.method,
            "benchmark_price": fmt2(self.benchmark),
            "evaluators": list(self.evaluators),
            "valid_bids": sum(1 for b in self.bids if b.valid),
            "min_valid_bids": self.tender.min_valid_bids,
            "bids": [b.to_json(self.tender) for b in self.bids] if bids else [],
            "winners": self.winners,
            "awards": self.awards,
            "sensitivity": self.sensitivity,
            "weight_stability": [bound.to_json() for bound in self.weight_stability],
        }
        if scenario.monthly_profile:
            out["monthly_profile"] = _profile_json(scenario)
        if self.flat_average is not None:
            out["flat_average"] = self.flat_average.to_json()
        return out


def _profile_json(scenario) -> dict:
    """The contract's months as they are priced (defaults filled in), and their totals."""
    return {
        "contract_inquiries": plain(scenario.profile_inquiries),
        "days": plain(scenario.profile_days),
        "months": [
            {
                "label": entry.label,
                "daily_inquiries": plain(s.daily_inquiries),
                "days": plain(s.days_per_month),
                "agents_per_shift": plain(s.agents_per_shift),
                "agent_shifts": plain(s.agent_shifts),
                "monthly_inquiries": plain(s.monthly_inquiries),
                "cs_sales": fmt2(s.cs_sales_per_month),
                "peak_days": plain(s.month_peak_days),
            }
            for entry, s in scenario.months
        ],
    }


@contextmanager
def _without_cyclic_gc():
    """Evaluation makes no reference cycles (plain reference counting frees it all), but it
    allocates many small objects, and each full cyclic-GC pass walks every live object: at
    5,000 bids those passes cost a third of the time. Pause the cyclic collector meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def evaluate(tender: Tender, bids: list[Bid], panel: Panel = Panel()) -> Result:
    if tender.lots:
        raise ValueError("a tender divided into lots is evaluated lot by lot: scoring.lots.evaluate_lots")
    with _without_cyclic_gc():
        return _evaluate(tender, bids, panel)


def _evaluate(tender: Tender, bids: list[Bid], panel: Panel) -> Result:
    repeated = sorted(name for name, count in Counter(bid.vendor for bid in bids).items() if count > 1)
    if repeated:
        raise InvalidInput(
            [
                Problem(
                    ", ".join(b.source for b in bids if b.vendor == n),
                    f"多份投标使用同一公司名称“{n}”",
                    f"several bids name the same company '{n}'",
                )
                for n in repeated
            ]
        )
    firsts = first_offers(tender, bids)
    bids = [bid.offered() for bid in bids]
    results = [_price_and_review(tender, bid, panel) for bid in bids]
    _keep_first_offers(results, firsts)
    _abnormal_low(tender, results, panel)
    valid = [r for r in results if r.valid]
    status_reasons: list[Text] = []
    by_vendor = {bid.vendor: bid for bid in bids}
    benchmark = _score(tender, valid, panel, status_reasons, by_vendor)
    _rank(valid, tender.price_criterion.id if tender.price_criterion is not None else None)
    for r in results:
        if r.decision == "pending":
            status_reasons.append(
                Text(f"异常低价待评委会决定：{r.vendor}", f"abnormally low price awaits a decision: {r.vendor}")
            )
    if len(valid) < tender.min_valid_bids:
        status = "failed"
        status_reasons.insert(
            0,
            Text(
                f"有效投标 {len(valid)} 家，少于 {tender.min_valid_bids} 家，流标",
                f"{len(valid)} valid bids, fewer than {tender.min_valid_bids}: the tender fails",
            ),
        )
    elif status_reasons:
        status = "pending"
    else:
        status = "ok"
    ordered = sorted(valid, key=lambda r: (r.rank, r.vendor)) + sorted(
        (r for r in results if not r.valid), key=lambda r: r.vendor
    )
    ranked = [r for r in ordered if r.rank is not None]
    winners = [] if status == "failed" else [r.vendor for r in ranked[:3]]
    awards = (
        []
        if status == "failed"
        else [
            {"vendor": r.vendor, "rank": r.rank, "share": fmt2(share)} for r, share in zip(ranked, tender.award.shares)
        ]
    )
    if status != "failed" and len(ranked) < tender.award.winners:
        # not a missing step (the status stays as it is): the places left unfilled are said
        status_reasons.append(
            Text(
                f"有效投标 {len(ranked)} 家，少于中标人数 {tender.award.winners} 家：只授予这 {len(ranked)} 家",
                f"{len(ranked)} valid bids, fewer than the {tender.award.winners} winners: only those {len(ranked)} are awarded",
            )
        )
    curves = sensitivity(
        [(r.vendor, by_vendor[r.vendor].pricing) for r in valid],
        tender.scenario,
        years={r.vendor: r.year for r in valid if r.year is not None},
    )
    stability = weight_stability(tender.criteria, [(r.vendor, r.rank, r.scores) for r in ranked])
    flat = _flat_average(tender, valid, by_vendor) if tender.scenario.monthly_profile else None
    return Result(
        tender, status, status_reasons, ordered, winners, awards, curves, benchmark, panel.evaluators, stability, flat
    )


# --------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class EvaluatedCost:
    cost: Cost  # P before rounding, with its breakdown
    volume_costs: list[dict]  # the cost under each named volume scenario (§9.3)
    inquiries: Decimal  # the monthly inquiries P is spread over
    cost_per_inquiry: Decimal | None
    year: ContractYear | None = None  # the months priced one by one (§10)

    def __iter__(self):
        """Unpacks as (cost, volume costs, inquiries), the triple this used to be."""
        return iter((self.cost, self.volume_costs, self.inquiries))


def evaluated_cost(tender: Tender, bid: Bid) -> EvaluatedCost:
    """Monthly cost under the scenario, weighted over its volume scenarios (§9.3), or the
    contract cost ÷ contract months when the scenario gives the months one by one (§10)."""
    scenario = tender.scenario
    if scenario.monthly_profile:
        year = price_year(bid.pricing, scenario)
        return EvaluatedCost(year.as_cost(), [], year.inquiries / year.contract_months, year.cost_per_inquiry, year)
    if not scenario.volume_scenarios:
        cost = monthly_cost(bid.pricing, scenario)
        return EvaluatedCost(cost, [], scenario.monthly_inquiries, _per_inquiry(cost, scenario.monthly_inquiries))
    lines, flags, total, inquiries, named = [], [], ZERO, ZERO, []
    for volume in scenario.volume_scenarios:
        at = scenario.at_volume(volume.daily_inquiries)
        cost = monthly_cost(bid.pricing, at)
        part = volume.weight * cost.total
        total += part
        inquiries += volume.weight * at.monthly_inquiries
        flags.extend(f for f in cost.flags if f not in flags)
        named.append(
            {
                "name": volume.name,
                "daily_inquiries": plain(volume.daily_inquiries),
                "weight": plain(volume.weight),
                "monthly_cost": fmt2(cost.total),
                "breakdown": [line.to_json() for line in cost.lines],
            }
        )
        lines.append(
            Line(
                f"{volume.name}（权重 {pct_text(volume.weight)}）",
                f"{volume.name} (weight {pct_text(volume.weight)})",
                f"{plain(volume.weight)} × {fmt2(cost.total)}（日均 {plain(volume.daily_inquiries)} 咨询）= {fmt2(part)}",
                f"{plain(volume.weight)} × {fmt2(cost.total)} ({plain(volume.daily_inquiries)} inquiries a day) = {fmt2(part)}",
                part,
            )
        )
    cost = Cost(total, tuple(lines), tuple(flags))
    return EvaluatedCost(cost, named, inquiries, _per_inquiry(cost, inquiries))


def _per_inquiry(cost: Cost, inquiries: Decimal) -> Decimal | None:
    """P ÷ the monthly inquiries (§6), null without inquiries."""
    return round2(round2(cost.total) / inquiries) if inquiries > 0 else None


def first_offers(tender: Tender, bids: list[Bid]) -> dict[str, tuple[str, Cost]]:
    """§12: the first offer (model, cost) of each bid that made a final offer.

    A final offer whose P (rounded to 0.01, evaluated as the first was) is higher than the
    first offer's is invalid input, naming the bid's file and both costs; an equal one stands.
    """
    firsts, problems = {}, []
    for bid in bids:
        if bid.final_pricing is None:
            continue
        first = evaluated_cost(tender, bid).cost
        problem = final_offer_problem(round2(first.total), round2(evaluated_cost(tender, bid.offered()).cost.total))
        if problem:
            problems.append(Problem(bid.source, *problem))
        firsts[bid.vendor] = (bid.pricing.model, first)
    if problems:
        raise InvalidInput(problems)
    return firsts


def final_offer_problem(first: Decimal, final: Decimal) -> tuple[str, str] | None:
    """Why a final offer is refused (zh, en): its monthly cost P is higher than the first's."""
    if final <= first:
        return None
    return (
        f"最后报价的月度成本 {fmt2(final)} 元高于首次报价的 {fmt2(first)} 元：最后报价不得高于首次报价",
        f"the final offer's monthly cost {fmt2(final)} is higher than the first offer's {fmt2(first)}: "
        f"a final offer may not cost more than the first",
    )


def _keep_first_offers(results: list[BidResult], firsts: dict) -> None:
    """When any bid made a final offer, every bid shows its first monthly cost beside the one scored."""
    if not firsts:
        return
    for r in results:
        if r.vendor in firsts:
            r.first_model, r.first_cost = firsts[r.vendor]
            r.first_monthly_cost = round2(r.first_cost.total)
        else:
            r.first_monthly_cost = r.monthly_cost


def _price_and_review(tender: Tender, bid: Bid, panel: Panel) -> BidResult:
    evaluated = evaluated_cost(tender, bid)
    cost = evaluated.cost
    price = round2(cost.total)
    review = Review()
    overrides = {o.rule: o for o in panel.overrides.get(bid.vendor, ())}
    for rule in (*tender.qualification_rules, *tender.conformity_rules):
        outcome = check(rule, bid.facts, bid.documents)
        # (most bids have no override: then no lookups a rule, ~8,000 rules for 1,000 bids)
        override = (overrides.get(rule.name) or overrides.get(rule.subject)) if overrides else None
        if override is not None and override.passed != outcome.passed:
            review.overrides.append(
                {
                    "rule": rule.name,
                    "automatic": outcome.passed,
                    "passed": override.passed,
                    "reason": override.reason,
                    "evaluator": override.evaluator,
                }
            )
            outcome = RuleResult(
                rule,
                override.passed,
                outcome.declared,
                outcome.why + Text(f"（评委改判：{override.reason}）", f" (overridden: {override.reason})"),
            )
        review.rules.append(outcome)
    if tender.price_ceiling is not None and price > tender.price_ceiling:
        review.other.append(
            Text(
                f"月度成本 {fmt2(price)} 元超过最高限价 {fmt2(tender.price_ceiling)} 元",
                f"monthly cost {fmt2(price)} exceeds the price ceiling {fmt2(tender.price_ceiling)}",
            )
        )
    for item in tender.scenario.work_items:
        ceiling = tender.unit_price_ceilings.get(item.id)
        offered = bid.pricing.prices.get(item.id)
        if ceiling is not None and offered is not None and offered > ceiling:
            review.other.append(
                Text(
                    f"{item.name}单价 {money_text(offered)} 元超过单价最高限价 {money_text(ceiling)} 元",
                    f"unit price of {item.name} {money_text(offered)} exceeds its ceiling {money_text(ceiling)}",
                )
            )
    problem = discount_problem(bid.pricing)
    if problem:
        review.other.append(Text(*problem))
    return BidResult(
        bid.vendor,
        bid.source,
        bid.pricing.model,
        cost,
        price,
        evaluated.cost_per_inquiry,
        evaluated.volume_costs,
        review,
        list(cost.flags),
        year=evaluated.year,
    )


def _abnormal_low(tender: Tender, results: list[BidResult], panel: Panel) -> None:
    """P < ratio × mean P of the *other* qualified bids (real costs, before any decision)."""
    qualified = [r for r in results if r.qualified]
    total = sum((r.monthly_cost for r in qualified), ZERO)
    for r in qualified:
        others = len(qualified) - 1
        if others < 1:
            continue
        mean_others = (total - r.monthly_cost) / others
        if r.monthly_cost < tender.abnormal_low_ratio * mean_others:
            r.flags.append("abnormal_low")
            decision = panel.abnormal_low.get(r.vendor)
            r.decision = decision.decision if decision else "pending"
            r.decision_note = decision.note if decision else ""


def _score(tender: Tender, valid: list[BidResult], panel: Panel, status_reasons: list, bids: dict) -> Decimal | None:
    benchmark = None
    price_criterion = tender.price_criterion
    for r in valid:
        r.price_basis = _price_basis(tender, bids[r.vendor], r.monthly_cost)
    if price_criterion is not None:
        raw, benchmark = price_scores(
            tender.price_method, price_criterion.weight, {r.vendor: r.price_basis for r in valid}
        )
        for r in valid:
            r.scores[price_criterion.id] = round2(raw[r.vendor])
            r.explanations[price_criterion.id] = _price_note(tender, price_criterion.weight, r, benchmark, len(valid))
    evaluators = panel.evaluators
    subjective = [c.id for c in tender.criteria if c.kind == "subjective"]
    # Each bid's sheets (one an evaluator) and its scores by criterion, then by evaluator:
    # each sheet read once, in order, bid by bid (153,000 scores for 1,000 bids × 9 × 17; read
    # criterion by criterion, the same lookups took ~5× as long, the sheets never in cache).
    sheets, by_criterion = {}, {}
    for r in valid:
        sheets_of_bid = sheets[r.vendor] = [
            (evaluator, panel.scores[evaluator].get(r.vendor, {})) for evaluator in evaluators
        ]
        per = by_criterion[r.vendor] = {cid: {} for cid in subjective}
        for evaluator, sheet in sheets_of_bid:
            for cid, score in sheet.items():
                try:  # a subscript, not a get call and a test: the loop runs once a score
                    per[cid][evaluator] = score
                except KeyError:  # not a subjective criterion
                    pass
    missing_any = False
    for criterion in tender.criteria:
        if criterion.kind == "objective":
            for r in valid:
                points, r.explanations[criterion.id] = objective_score(criterion, bids[r.vendor].facts)
                r.scores[criterion.id] = round2(points)
        elif criterion.kind == "subjective":
            # (the loop runs once a bid and criterion, 12,410 times for 1,000 bids × 17: what
            # it reads of the criterion, read once)
            cid, method, banded, scored_by = criterion.id, criterion.aggregate, criterion.bands, len(evaluators)
            for r in valid:
                vendor = r.vendor
                given = by_criterion[vendor][cid]
                if len(given) < scored_by:
                    for evaluator, sheet in sheets[vendor]:
                        if cid not in sheet:
                            status_reasons.append(
                                Text(
                                    f"评委“{evaluator}”尚未给“{r.vendor}”的“{criterion.name}”打分",
                                    f"evaluator '{evaluator}' has not scored '{r.vendor}' on '{criterion.title.en}'",
                                )
                            )
                if banded and panel.bands.get(vendor, {}).get(cid) is None:
                    status_reasons.append(
                        Text(
                            f"“{vendor}”的“{criterion.name}”尚未商定档次",
                            f"no band agreed for '{vendor}' on '{criterion.title.en}'",
                        )
                    )
                r.evaluator_scores[cid] = given
                r.scores[cid] = rounded_aggregate(method, given.values())
                r.explanations[cid] = _AggregateNote(method, given)
            missing_any = missing_any or not evaluators
    if missing_any and valid:
        status_reasons.append(Text("尚无评委打分", "no evaluator has scored yet"))
    for r in valid:
        r.scores = {c.id: r.scores.get(c.id, ZERO) for c in tender.criteria}
        r.total = sum(r.scores.values(), ZERO)
    return benchmark


def _price_basis(tender: Tender, bid: Bid, price: Decimal) -> Decimal:
    """P as the price score sees it: less the SME deduction for a small enterprise (§7.4)."""
    sme = as_bool(bid.facts.get("sme")) is True
    return price * (ONE - tender.sme_price_deduction) if sme else price


def _price_note(tender: Tender, weight: Decimal, r: BidResult, benchmark: Decimal, considered: int):
    # Closes over values, not the BidResult, so results are freed without the cyclic GC.
    method, deduction = tender.price_method, tender.sme_price_deduction
    monthly, price, score = r.monthly_cost, r.price_basis, r.scores[tender.price_criterion.id]

    def note() -> Text:
        return price_note(method, weight, monthly, price, deduction, benchmark, considered, score)

    return note


class _AggregateNote:
    """How a subjective score was found: the evaluators' scores and how they were combined.
    Called like the other notes; :meth:`BidResult.to_json` writes the scores as text once
    and gives the same text to :meth:`words` (a result of 1,000 bids has ~12,000 of these)."""

    __slots__ = ("trimmed", "given")

    def __init__(self, method: str, given: dict):
        self.trimmed, self.given = method == "trimmed_mean" and len(given) >= 5, given

    def __call__(self) -> Text:
        return Text(*self.words(" ".join(map(plain_recurring, self.given.values()))))

    def words(self, values: str) -> tuple[str, str]:
        if self.trimmed:
            return f"去掉一个最高分和一个最低分后取平均（{values}）", f"mean without the highest and lowest ({values})"
        return f"平均（{values}）", f"mean ({values})"


def _rank(valid: list[BidResult], price_id: str | None) -> None:
    """Total, then lower monthly cost, then higher non-price total; equal keys share a rank."""

    keys = {id(r): (-r.total, r.monthly_cost, -r.non_price_total(price_id)) for r in valid}

    def key(r: BidResult):
        return keys[id(r)]

    ordered = sorted(valid, key=lambda r: (key(r), r.vendor))
    for position, r in enumerate(ordered, start=1):
        if position > 1 and key(ordered[position - 2]) == key(r):
            r.rank = ordered[position - 2].rank
        else:
            r.rank = position


def _flat_average(tender: Tender, valid: list[BidResult], bids: dict) -> FlatAverage:
    """The same valid bids priced on the profile's flat average month (§10), re-scored on
    price and re-ranked (the ranking rule itself, on copies), every other score kept."""
    flat = tender.scenario.flat_average()
    price_criterion = tender.price_criterion
    copies = []
    for r in valid:
        price = round2(monthly_cost(bids[r.vendor].pricing, flat).total)
        copies.append(
            replace(
                r,
                monthly_cost=price,
                price_basis=_price_basis(tender, bids[r.vendor], price),
                scores=dict(r.scores),
                rank=None,
            )
        )
    if price_criterion is not None and copies:
        raw, _benchmark = price_scores(
            tender.price_method, price_criterion.weight, {c.vendor: c.price_basis for c in copies}
        )
        for c in copies:
            c.scores[price_criterion.id] = round2(raw[c.vendor])
    for c in copies:
        c.total = sum(c.scores.values(), ZERO)
    _rank(copies, price_criterion.id if price_criterion is not None else None)
    copies.sort(key=lambda c: (c.rank, c.vendor))
    return FlatAverage(
        flat.daily_inquiries,
        tuple(
            FlatBid(
                c.vendor, c.monthly_cost, c.scores.get(price_criterion.id) if price_criterion else None, c.total, c.rank
            )
            for c in copies
        ),
        tuple(c.vendor for c in copies if c.rank == 1),
        tuple(r.vendor for r in valid if r.rank == 1),
    )
