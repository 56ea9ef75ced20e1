"""The evaluation result of an opened tender, computed by ``scoring`` from what the app holds.

:func:`inputs` gathers exactly what ``tender evaluate`` reads — the tender definition, one
bid dict per readable opened bid (named by company), and the panel dict (scores of the
evaluators who submitted, agreed bands, overrides, abnormal-low decisions) — with the
result ``scoring.evaluate`` makes of them; :func:`result` is that result alone.
:func:`evaluation_files` writes the same inputs out as JSON, so the web page and the
command line give the same numbers for the same bids. :func:`what_if` re-runs the engine
with other criterion weights without touching the tender.

The opened bids are decrypted, parsed and evaluated once per *panel version* of a tender
(:attr:`tender.models.Tender.panel_version`, a new token at every change of what the
evaluation reads): the evaluation is kept in a small per-process cache (:data:`CACHE_SIZE`
tenders, least recently used first out) keyed by the tender and that version. A change
committed by any worker gives the tender a new version, so no worker serves an old result;
the results page, its three charts and the score sheet evaluate once between two changes,
and each chart is drawn once per version and language (:func:`drawing`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from scoring import evaluate, evaluate_lots, parse_bid, parse_panel, parse_tender
from scoring.weights import reweighted
from tender.models import AbnormalLowDecision, AgreedBand, OpenedBid, QualificationOverride, SubjectiveScore, Tender
from tender.platform.extensions import db
from tender.services import opening

CACHE_SIZE = 16  # tenders whose evaluation a process keeps


@dataclass(frozen=True)
class Evaluation:
    """What one panel version of an opened tender evaluates to: plain values, no database
    rows, so requests may share it. Read it, never change it."""

    definition: dict
    tender: object  # scoring.tender.Tender
    vendors: tuple[str, ...]  # the readable opened bids, in order of receipt
    contents: dict  # vendor -> what was read (bid, document reading)
    bids: tuple  # scoring.tender.Bid, in the same order
    panel: dict  # the panel.json of §8
    result: object  # scoring.evaluation.Result
    # What was drawn of this result (a chart in one language), by what it is: see :func:`drawing`.
    drawn: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Inputs:
    """An :class:`Evaluation` with this request's rows of the opened bids it read."""

    evaluation: Evaluation
    items: list[OpenedBid]  # readable opened bids, in order of receipt

    def __getattr__(self, name):
        return getattr(self.evaluation, name)


def panel_names(tender: Tender) -> dict[int, str]:
    """How each sitting evaluator is named in the panel (its name; the e-mail when two share one)."""
    return _names(opening.sitting(tender))


def _names(members) -> dict[int, str]:
    counts: dict[str, int] = {}
    for a in members:
        counts[a.evaluator.name] = counts.get(a.evaluator.name, 0) + 1
    return {
        a.evaluator_id: a.evaluator.name
        if counts[a.evaluator.name] == 1
        else f"{a.evaluator.name} <{a.evaluator.email}>"
        for a in members
    }


def rows(model, tender: Tender):
    """The tender's rows of ``model``, in the order they were made."""
    return db.session.scalars(select(model).where(model.tender_id == tender.id).order_by(model.id))


@dataclass(frozen=True)
class PanelWork:
    """The panel's work on a tender as the database holds it, read once per evaluation: the
    sitting evaluators' names, who submitted, and the rows of scores, agreed bands,
    qualification overrides and abnormal-low decisions by lot ("" in an undivided tender), each
    lot's rows in the order they were made."""

    names: dict[int, str]  # evaluator id -> name in the panel
    submitted: frozenset[int]  # evaluator ids
    scores: dict[str, list[tuple]]  # lot -> [(evaluator id, bid id, criterion id, value)]
    bands: dict[str, list[tuple]]  # lot -> [(bid id, criterion id, label)]
    overrides: dict[str, list[QualificationOverride]]  # lot -> rows
    decisions: dict[str, list[AbnormalLowDecision]]  # lot -> rows


def _by_lot(pairs) -> dict[str, list]:
    """``(lot, row)`` pairs as ``{lot: [row, …]}``, in order."""
    grouped: dict[str, list] = {}
    for lot, row in pairs:
        grouped.setdefault(lot, []).append(row)
    return grouped


def panel_work(tender: Tender) -> PanelWork:
    """The panel's work on ``tender``: one statement a table, the scores and bands as plain
    tuples (a tender of 1,000 bids and three evaluators has thousands of scores)."""
    members = opening.sitting(tender)
    score, band = SubjectiveScore, AgreedBand
    scores = db.session.execute(
        select(score.lot, score.evaluator_id, score.bid_id, score.criterion_id, score.value)
        .where(score.tender_id == tender.id)
        .order_by(score.id)
    )
    bands = db.session.execute(
        select(band.lot, band.bid_id, band.criterion_id, band.label)
        .where(band.tender_id == tender.id)
        .order_by(band.id)
    )
    return PanelWork(
        names=_names(members),
        submitted=frozenset(a.evaluator_id for a in members if a.submitted_at is not None),
        scores=_by_lot((lot, tuple(rest)) for lot, *rest in scores),
        bands=_by_lot((lot, tuple(rest)) for lot, *rest in bands),
        overrides=_by_lot((row.lot, row) for row in rows(QualificationOverride, tender)),
        decisions=_by_lot((row.lot, row) for row in rows(AbnormalLowDecision, tender)),
    )


def panel_dict(tender: Tender, items: list[OpenedBid], lot: str = "", work: PanelWork | None = None) -> dict:
    """The panel's work as panel.json: only submitted scores count. ``lot``: that lot's work in
    a tender divided into lots (§13) — the scores given, bands agreed, qualification overrides
    and abnormal-low decisions made in that lot ("" in an undivided tender). ``work``: the
    panel's work already read (:func:`panel_work`), so that the lots of a tender read it once."""
    work = panel_work(tender) if work is None else work
    vendor_of = {item.bid_id: item.vendor_name for item in items}
    names, submitted = work.names, work.submitted
    scores: dict = {name: {} for name in names.values()}
    for evaluator_id, bid_id, criterion_id, value in work.scores.get(lot, ()):
        if evaluator_id in submitted and bid_id in vendor_of:
            scores[names[evaluator_id]].setdefault(vendor_of[bid_id], {})[criterion_id] = value
    bands: dict = {}
    for bid_id, criterion_id, label in work.bands.get(lot, ()):
        if bid_id in vendor_of:
            bands.setdefault(vendor_of[bid_id], {})[criterion_id] = label
    overrides: dict = {}
    for row in work.overrides.get(lot, ()):
        if row.bid_id in vendor_of:
            overrides.setdefault(vendor_of[row.bid_id], []).append(
                {
                    "rule": row.rule,
                    "passed": row.passed,
                    "reason": row.reason,
                    "evaluator": names.get(row.evaluator_id, row.evaluator.name),
                }
            )
    decisions: dict = {}
    for row in work.decisions.get(lot, ()):
        if row.bid_id in vendor_of:
            key = "explanation" if row.decision == "accept" else "reason"
            decisions[vendor_of[row.bid_id]] = {"decision": row.decision, key: row.note}
    return {"scores": scores, "abnormal_low": decisions, "bands": bands, "overrides": overrides}


class _Evaluations:
    """The evaluations this process keeps, by (tender public id, panel version); LRU."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key) -> Evaluation | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value: Evaluation) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_evaluations = _Evaluations(CACHE_SIZE)


def readable_bids(tender: Tender, opened: list[OpenedBid] | None = None) -> list[OpenedBid]:
    """The opened bids the evaluation reads: an unreadable one is listed in the opening record only.
    Their sealed contents are read only when the evaluation is made afresh (not when it is kept).
    ``opened``: the tender's opened bids, when the caller has them already."""
    opened = opening.opened_bids(tender, versions=False) if opened is None else opened
    return [item for item in opened if item.status == "ok"]


def lines(result, vendor: str) -> list[tuple[str, object]]:
    """The vendor's lines of ``result`` as (lot id, line): one per lot it bids for in a tender
    divided into lots (§13), lot by lot; ``("", line)`` in an undivided tender (none when the
    vendor's bid was not read)."""
    if getattr(result.tender, "lots", None):
        return [(item.lot.id, line) for item in result.lots for line in item.result.bids if line.vendor == vendor]
    line = result.bid(vendor)
    return [("", line)] if line is not None else []


def line_in(result, vendor: str, lot: str = ""):
    """The vendor's line in ``lot`` (in an undivided tender: its only line); None when it does
    not bid for that lot."""
    return next((line for lot_id, line in lines(result, vendor) if lot_id == lot), None)


def bids_in_lot(items: list[OpenedBid], contents: dict, lot_id: str) -> list[OpenedBid]:
    """The opened bids that bid for one lot (§13), in order of receipt."""
    return [item for item in items if lot_id in (contents[item.vendor_name]["bid"].get("lots") or {})]


def lots_panel_dict(tender: Tender, items: list[OpenedBid], contents: dict, model) -> dict:
    """The panel file of a tender divided into lots: ``{"lots": {"L1": {panel of §8}, …}}``,
    each lot with the scores given in it, for the bids that bid for it."""
    work = panel_work(tender)  # read once, split by lot
    return {
        "lots": {lot.id: panel_dict(tender, bids_in_lot(items, contents, lot.id), lot.id, work) for lot in model.lots}
    }


def evaluate_afresh(tender: Tender, items: list[OpenedBid]) -> Evaluation:
    """Decrypt and parse the opened bids, gather the panel's work, evaluate (the slow part)."""
    definition = tender.definition()
    model = parse_tender(definition)
    opening.load_versions(items)
    contents = {item.vendor_name: opening.bid_content(item) for item in items}
    from tender.services.final_offers import final_pricings

    finals = final_pricings(tender)
    for item in items:  # §12: a final offer opened is scored in place of the first, which stays beside it
        final = finals.get(item.bid_id)
        if final is not None:
            content = contents[item.vendor_name]
            contents[item.vendor_name] = {**content, "bid": {**content["bid"], **final}}
    bids = tuple(parse_bid(contents[item.vendor_name]["bid"], model, source=item.vendor_name) for item in items)
    if model.lots:  # §13: each lot evaluated alone with its own scores, then awarded lot by lot
        panel = lots_panel_dict(tender, items, contents, model)
        result = evaluate_lots(model, list(bids), parse_panel(panel, model, list(bids)))
        return Evaluation(definition, model, tuple(item.vendor_name for item in items), contents, bids, panel, result)
    panel = panel_dict(tender, items)
    result = evaluate(model, list(bids), parse_panel(panel, model, list(bids)))
    return Evaluation(definition, model, tuple(item.vendor_name for item in items), contents, bids, panel, result)


def _evaluation(tender: Tender, items: list[OpenedBid] | None = None) -> Evaluation:
    key = (tender.public_id, tender.panel_version)
    kept = _evaluations.get(key)
    if kept is not None and (items is None or kept.vendors == tuple(item.vendor_name for item in items)):
        return kept
    evaluation = evaluate_afresh(tender, readable_bids(tender) if items is None else items)
    _evaluations.put(key, evaluation)
    return evaluation


def inputs(tender: Tender, opened: list[OpenedBid] | None = None) -> Inputs:
    """The evaluation with this request's rows of its opened bids (``opened``: the tender's
    opened bids, when the caller has them already)."""
    items = readable_bids(tender, opened)
    return Inputs(_evaluation(tender, items), items)


def without_overrides(inputs: Inputs):
    """The result of ``inputs`` without the panel's qualification overrides: the automatic
    outcome an override departs from."""
    if inputs.tender.lots:
        panel = {"lots": {lot: {**lot_panel, "overrides": {}} for lot, lot_panel in inputs.panel["lots"].items()}}
        return evaluate_lots(inputs.tender, list(inputs.bids), parse_panel(panel, inputs.tender, list(inputs.bids)))
    panel = {**inputs.panel, "overrides": {}}
    return evaluate(inputs.tender, list(inputs.bids), parse_panel(panel, inputs.tender, list(inputs.bids)))


def result(tender: Tender):
    return _evaluation(tender).result


def drawing(tender: Tender, key: tuple, draw):
    """``draw(result)`` of the tender's result, drawn once per panel version and ``key`` (what
    is drawn: a chart, its language, its lot), then kept with the evaluation: a chart costs
    0.2–0.4 s to draw and depends on the result alone. ``key`` holds checked values only."""
    evaluation = _evaluation(tender)
    kept = evaluation.drawn.get(key)
    if kept is None:
        kept = evaluation.drawn[key] = draw(evaluation.result)
    return kept


def evaluation_files(tender: Tender) -> dict:
    """The tender, bids and panel as the JSON files ``tender evaluate`` reads."""
    data = inputs(tender)
    return {
        "tender": data.definition,
        "bids": {item.vendor_name: data.contents[item.vendor_name]["bid"] for item in data.items},
        "panel": data.panel,
    }


# --------------------------------------------------------------------------- weight what-if


def what_if(tender: Tender, weights: dict[str, Decimal]):
    """The ranking that would follow from other weights; the tender is not changed."""
    data = _evaluation(tender)
    definition, panel = reweighted(data.definition, data.panel, weights)
    model = parse_tender(definition)  # InvalidInput: e.g. weights not summing to 100
    bids = [parse_bid(data.contents[vendor]["bid"], model, source=vendor) for vendor in data.vendors]
    return evaluate(model, bids, parse_panel(panel, model, bids))
