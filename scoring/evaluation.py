"""evaluate(tender, bids, panel) → the result of §8: costs, review, scores, ranking, status.

The order of the rules (§5, §6, §7, §9):
1. every bid's monthly cost P (volume-weighted when the scenario gives volume scenarios);
2. qualification and conformity review, price ceiling, unit price ceilings, discount;
3. abnormally low prices among the qualified bids, and the panel's decisions on them;
4. scores of the valid bids (qualified, not rejected), each rounded to 2 decimals;
5. ranking with the tie-break order of §7.4, status, winners, awards, sensitivity.
"""
from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from scoring.criteria import aggregate, objective_score, price_scores
from scoring.errors import InvalidInput, Problem
from scoring.money import ONE, ZERO, fmt2, money_text, pct_text, plain, round2
from scoring.pricing import MODELS, Cost, Line, discount_problem, monthly_cost
from scoring.qualification import RuleResult, check
from scoring.reading import as_bool
from scoring.sensitivity import sensitivity
from scoring.tender import Bid, Panel, Tender


@dataclass
class Review:
    """Why a bid is or is not valid."""
    rules: list[RuleResult] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)        # every reason the bid is invalid
    overrides: list[dict] = field(default_factory=list)


@dataclass
class BidResult:
    vendor: str
    source: str
    model: str
    cost: Cost
    monthly_cost: Decimal                      # P, rounded to 0.01
    cost_per_inquiry: Decimal | None
    volume_costs: list[dict]
    review: Review
    flags: list[str]
    decision: str | None = None                # accept | reject | pending (abnormally low only)
    decision_note: str = ""
    price_basis: Decimal | None = None         # P after the SME deduction
    scores: dict = field(default_factory=dict)          # criterion id -> rounded score
    explanations: dict = field(default_factory=dict)    # criterion id -> callable giving (zh, en)
    evaluator_scores: dict = field(default_factory=dict)  # criterion id -> evaluator -> score
    total: Decimal | None = None
    rank: int | None = None

    @property
    def qualified(self) -> bool:
        return not self.review.reasons

    @property
    def valid(self) -> bool:
        return self.qualified and self.decision != "reject"

    def note(self, cid: str) -> tuple[str, str]:
        """How the score of one criterion was found, in Chinese and English."""
        return self.explanations[cid]()

    @property
    def non_price_total(self) -> Decimal:
        return sum((v for k, v in self.scores.items() if k != "price"), ZERO)

    def to_json(self, tender: Tender) -> dict:
        reasons = list(self.review.reasons)
        if self.decision == "reject":
            note = f"：{self.decision_note}" if self.decision_note else ""
            note_en = f": {self.decision_note}" if self.decision_note else ""
            reasons.append(f"异常低价，评标委员会决定否决{note} / abnormally low price rejected by the panel{note_en}")
        out = {
            "vendor": self.vendor,
            "source": self.source,
            "qualified": self.qualified,
            "valid": self.valid,
            "reasons": reasons,
            "model": self.model,
            "model_name": MODELS[self.model].zh,
            "monthly_cost": fmt2(self.monthly_cost),
            "cost_per_inquiry": fmt2(self.cost_per_inquiry),
            "breakdown": [line.to_json() for line in self.cost.lines],
            "flags": sorted(self.flags),
        }
        if self.volume_costs:
            out["volume_costs"] = self.volume_costs
        if self.decision:
            out["abnormal_low_decision"] = self.decision
            if self.decision_note:
                out["abnormal_low_note"] = self.decision_note
        out["qualification"] = [r.to_json() for r in self.review.rules]
        if self.review.overrides:
            out["overrides"] = self.review.overrides
        if self.valid:
            out["price_basis"] = fmt2(self.price_basis)
            out["scores"] = {cid: fmt2(score) for cid, score in self.scores.items()}
            out["score_notes"] = {cid: dict(zip(("zh", "en"), self.note(cid))) for cid in self.explanations}
            out["evaluator_scores"] = {cid: dict(zip(per, map(plain, per.values())))  # 100,000s of scores
                                       for cid, per in self.evaluator_scores.items()}
            out["total"] = fmt2(self.total)
            out["rank"] = self.rank
        else:
            out["scores"] = {}
        return out


@dataclass
class Result:
    tender: Tender
    status: str
    status_reasons: list[tuple[str, str]]
    bids: list[BidResult]
    winners: list[str]
    awards: list[dict]
    sensitivity: dict
    benchmark: Decimal | None
    evaluators: tuple[str, ...]

    @property
    def ranked(self) -> list[BidResult]:
        return [b for b in self.bids if b.rank is not None]

    def bid(self, vendor: str) -> BidResult | None:
        return next((b for b in self.bids if b.vendor == vendor), None)

    def to_json(self) -> dict:
        scenario = self.tender.scenario
        return {
            "status": self.status,
            "status_reasons": [{"zh": zh, "en": en} for zh, en in self.status_reasons],
            "title": self.tender.title,
            "buyer": self.tender.buyer,
            "scenario": {k: plain(v) for k, v in scenario.derived().items()},
            "criteria": [{"id": c.id, "name": c.name, "name_en": c.name_en, "kind": c.kind, "weight": plain(c.weight)}
                         for c in self.tender.criteria],
            "price_method": self.tender.price_method.method,
            "benchmark_price": fmt2(self.benchmark),
            "evaluators": list(self.evaluators),
            "valid_bids": sum(1 for b in self.bids if b.valid),
            "min_valid_bids": self.tender.min_valid_bids,
            "bids": [b.to_json(self.tender) for b in self.bids],
            "winners": self.winners,
            "awards": self.awards,
            "sensitivity": self.sensitivity,
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
    with _without_cyclic_gc():
        return _evaluate(tender, bids, panel)


def _evaluate(tender: Tender, bids: list[Bid], panel: Panel) -> Result:
    repeated = sorted(name for name, count in Counter(bid.vendor for bid in bids).items() if count > 1)
    if repeated:
        raise InvalidInput([Problem(", ".join(b.source for b in bids if b.vendor == n),
                                    f"多份投标使用同一公司名称“{n}”", f"several bids name the same company '{n}'")
                            for n in repeated])
    results = [_price_and_review(tender, bid, panel) for bid in bids]
    _abnormal_low(tender, results, panel)
    valid = [r for r in results if r.valid]
    status_reasons: list[tuple[str, str]] = []
    by_vendor = {bid.vendor: bid for bid in bids}
    benchmark = _score(tender, valid, panel, status_reasons, by_vendor)
    _rank(valid)
    for r in results:
        if r.decision == "pending":
            status_reasons.append((f"异常低价待评委会决定：{r.vendor}", f"abnormally low price awaits a decision: {r.vendor}"))
    if len(valid) < tender.min_valid_bids:
        status = "failed"
        status_reasons.insert(0, (f"有效投标 {len(valid)} 家，少于 {tender.min_valid_bids} 家，流标",
                                  f"{len(valid)} valid bids, fewer than {tender.min_valid_bids}: the tender fails"))
    elif status_reasons:
        status = "pending"
    else:
        status = "ok"
    ordered = sorted(valid, key=lambda r: (r.rank, r.vendor)) + sorted(
        (r for r in results if not r.valid), key=lambda r: r.vendor)
    ranked = [r for r in ordered if r.rank is not None]
    winners = [] if status == "failed" else [r.vendor for r in ranked[:3]]
    awards = [] if status == "failed" else [
        {"vendor": r.vendor, "rank": r.rank, "share": fmt2(share)}
        for r, share in zip(ranked, tender.award.shares)]
    curves = sensitivity([(r.vendor, by_vendor[r.vendor].pricing) for r in valid], tender.scenario)
    return Result(tender, status, status_reasons, ordered, winners, awards, curves, benchmark, panel.evaluators)


# --------------------------------------------------------------------------- steps

def evaluated_cost(tender: Tender, bid: Bid) -> tuple[Cost, list[dict], Decimal]:
    """Monthly cost under the scenario, or weighted over its volume scenarios (§9.3).

    Returns the cost, the cost under each named volume scenario, and the monthly inquiries
    the cost per inquiry is taken over.
    """
    scenario = tender.scenario
    if not scenario.volume_scenarios:
        return monthly_cost(bid.pricing, scenario), [], scenario.monthly_inquiries
    lines, flags, total, inquiries, named = [], [], ZERO, ZERO, []
    for volume in scenario.volume_scenarios:
        at = scenario.at_volume(volume.daily_inquiries)
        cost = monthly_cost(bid.pricing, at)
        part = volume.weight * cost.total
        total += part
        inquiries += volume.weight * at.monthly_inquiries
        flags.extend(f for f in cost.flags if f not in flags)
        named.append({"name": volume.name, "daily_inquiries": plain(volume.daily_inquiries),
                      "weight": plain(volume.weight), "monthly_cost": fmt2(cost.total),
                      "breakdown": [line.to_json() for line in cost.lines]})
        lines.append(Line(f"{volume.name}（权重 {pct_text(volume.weight)}）", f"{volume.name} (weight {pct_text(volume.weight)})",
                          f"{plain(volume.weight)} × {fmt2(cost.total)}（日均 {plain(volume.daily_inquiries)} 咨询）= {fmt2(part)}",
                          f"{plain(volume.weight)} × {fmt2(cost.total)} ({plain(volume.daily_inquiries)} inquiries a day) = {fmt2(part)}",
                          part))
    return Cost(total, tuple(lines), tuple(flags)), named, inquiries


def _price_and_review(tender: Tender, bid: Bid, panel: Panel) -> BidResult:
    cost, named, inquiries = evaluated_cost(tender, bid)
    price = round2(cost.total)
    per_inquiry = round2(price / inquiries) if inquiries > 0 else None
    review = Review()
    overrides = {o.rule: o for o in panel.overrides.get(bid.vendor, ())}
    for rule in (*tender.qualification_rules, *tender.conformity_rules):
        outcome = check(rule, bid.facts, bid.documents)
        override = overrides.get(rule.name) or overrides.get(rule.subject)
        if override is not None and override.passed != outcome.passed:
            review.overrides.append({"rule": rule.name, "automatic": outcome.passed, "passed": override.passed,
                                     "reason": override.reason, "evaluator": override.evaluator})
            outcome = RuleResult(rule, override.passed, outcome.declared,
                                 f"{outcome.zh}（评委改判：{override.reason}）", f"{outcome.en} (overridden: {override.reason})")
        review.rules.append(outcome)
        if not outcome.passed and rule.mandatory:
            review.reasons.append(outcome.reason)
    if tender.price_ceiling is not None and price > tender.price_ceiling:
        review.reasons.append(f"月度成本 {fmt2(price)} 元超过最高限价 {fmt2(tender.price_ceiling)} 元 / monthly cost "
                              f"{fmt2(price)} exceeds the price ceiling {fmt2(tender.price_ceiling)}")
    for item in tender.scenario.work_items:
        ceiling = tender.unit_price_ceilings.get(item.id)
        offered = bid.pricing.prices.get(item.id)
        if ceiling is not None and offered is not None and offered > ceiling:
            review.reasons.append(
                f"{item.name}（{item.id}）单价 {money_text(offered)} 元超过单价最高限价 {money_text(ceiling)} 元 / "
                f"unit price of {item.name} ({item.id}) {money_text(offered)} exceeds its ceiling {money_text(ceiling)}")
    problem = discount_problem(bid.pricing)
    if problem:
        review.reasons.append(f"{problem[0]} / {problem[1]}")
    return BidResult(bid.vendor, bid.source, bid.pricing.model, cost, price, per_inquiry, named, review,
                     list(cost.flags))


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
        sme = as_bool(bids[r.vendor].facts.get("sme")) is True
        r.price_basis = r.monthly_cost * (ONE - tender.sme_price_deduction) if sme else r.monthly_cost
    if price_criterion is not None:
        raw, benchmark = price_scores(tender.price_method, price_criterion.weight,
                                      {r.vendor: r.price_basis for r in valid})
        for r in valid:
            r.scores[price_criterion.id] = round2(raw[r.vendor])
            r.explanations[price_criterion.id] = _price_note(r.price_basis, r.monthly_cost, benchmark)
    evaluators = panel.evaluators
    # Each bid's scores by evaluator, looked up once a bid rather than once a score.
    sheets = {r.vendor: [(evaluator, panel.scores[evaluator].get(r.vendor, {})) for evaluator in evaluators]
              for r in valid}
    missing_any = False
    for criterion in tender.criteria:
        if criterion.kind == "objective":
            for r in valid:
                points, r.explanations[criterion.id] = objective_score(criterion, bids[r.vendor].facts)
                r.scores[criterion.id] = round2(points)
        elif criterion.kind == "subjective":
            for r in valid:
                given = {}
                for evaluator, sheet in sheets[r.vendor]:
                    score = sheet.get(criterion.id)
                    if score is None:
                        status_reasons.append((f"评委“{evaluator}”尚未给“{r.vendor}”的“{criterion.name}”打分",
                                               f"evaluator '{evaluator}' has not scored '{r.vendor}' on '{criterion.id}'"))
                    else:
                        given[evaluator] = score
                if criterion.bands and panel.bands.get(r.vendor, {}).get(criterion.id) is None:
                    status_reasons.append((f"“{r.vendor}”的“{criterion.name}”尚未商定档次",
                                           f"no band agreed for '{r.vendor}' on '{criterion.id}'"))
                r.evaluator_scores[criterion.id] = given
                r.scores[criterion.id] = round2(aggregate(criterion.aggregate, list(given.values())))
                r.explanations[criterion.id] = _aggregate_note(criterion.aggregate, given)
            missing_any = missing_any or not evaluators
    if missing_any and valid:
        status_reasons.append(("尚无评委打分", "no evaluator has scored yet"))
    for r in valid:
        r.scores = {c.id: r.scores.get(c.id, ZERO) for c in tender.criteria}
        r.total = sum(r.scores.values(), ZERO)
    return benchmark


def _price_note(price_basis: Decimal, monthly_cost: Decimal, benchmark: Decimal):
    # Closes over values, not the BidResult, so results are freed without the cyclic GC.
    def note():
        sme = "（小微企业扣除后）" if price_basis != monthly_cost else ""
        sme_en = " (after the SME deduction)" if price_basis != monthly_cost else ""
        return (f"P = {fmt2(price_basis)}{sme}，基准价 {fmt2(benchmark)}",
                f"P = {fmt2(price_basis)}{sme_en}, benchmark {fmt2(benchmark)}")
    return note


def _aggregate_note(method: str, given: dict):
    def note():
        values = " ".join(map(plain, given.values()))
        if method == "trimmed_mean" and len(given) >= 5:
            return f"去掉一个最高分和一个最低分后取平均（{values}）", f"mean without the highest and lowest ({values})"
        return f"平均（{values}）", f"mean ({values})"
    return note


def _rank(valid: list[BidResult]) -> None:
    """Total, then lower monthly cost, then higher non-price total; equal keys share a rank."""
    def key(r: BidResult):
        return (-r.total, r.monthly_cost, -r.non_price_total)
    ordered = sorted(valid, key=lambda r: (key(r), r.vendor))
    for position, r in enumerate(ordered, start=1):
        if position > 1 and key(ordered[position - 2]) == key(r):
            r.rank = ordered[position - 2].rank
        else:
            r.rank = position
