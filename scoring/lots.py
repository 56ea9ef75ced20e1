"""A tender divided into lots (标包, domain §13): each lot evaluated alone, then awarded lot by lot.

Each lot is evaluated by :func:`scoring.evaluation.evaluate` exactly as an undivided tender
(§4–§12), on :meth:`Tender.for_lot` — the lot's scenario, ceilings, reference pricing and
award, the tender's criteria and rules — with the bids for that lot and that lot's panel.

Then the awards go lot by lot in the order the tender lists them. In a lot whose status is
``ok``, its ranking is walked from the top (vendors sharing a rank in the order the ranking
lists them: by name); a vendor already holding ``max_lots_awarded_per_vendor`` awarded lots
is skipped (兼投不兼中 when 1); the first vendors not skipped take the lot's places, the
first place's share to the first of them, and so on. A place nobody can take stays unfilled
(shares are not redistributed); a lot with no place filled is unawarded. Every skipped
vendor, unfilled place and unawarded lot is said in that lot's ``status_reasons``. A lot
that is ``pending`` or ``failed`` awards nothing, and its vendors' count does not move.

The tender's status: ``failed`` when every lot failed; else ``pending`` when any lot is
pending; else ``ok`` (a failed lot among awarded ones says so in its own status).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from scoring.errors import InvalidInput, Problem
from scoring.evaluation import Result, evaluate
from scoring.money import fmt2
from scoring.tender import Bid, Lot, Panel, Tender
from scoring.text import Text


@dataclass
class LotResult:
    lot: Lot
    result: Result  # the lot evaluated alone; its awards and reasons after the skipping

    def to_json(self) -> dict:
        return {"id": self.lot.id, "name": self.lot.name, **self.result.to_json()}


@dataclass
class LotsResult:
    tender: Tender
    status: str
    status_reasons: list[Text]
    lots: list[LotResult]
    awards: list[dict]  # {"lot", "vendor", "rank", "share"} across the lots, lot by lot

    def lot(self, lot_id: str) -> LotResult | None:
        return next((item for item in self.lots if item.lot.id == lot_id), None)

    def bid(self, vendor: str):
        """The vendor's line where its bid matters to the panel: the first lot that flags its
        price as abnormally low, else the first lot it bids for; None if it bids for no lot.
        The rules are judged on the bid's facts, the same in every lot, but the panel's
        overrides and decisions are per lot: read a lot's own line for those."""
        lines = [line for item in self.lots for line in item.result.bids if line.vendor == vendor]
        flagged = [line for line in lines if "abnormal_low" in line.flags]
        return (flagged or lines or [None])[0]

    @property
    def bids(self) -> list:
        """One line per vendor (see :meth:`bid`), lot by lot in the order each lot lists them."""
        vendors = list(dict.fromkeys(line.vendor for item in self.lots for line in item.result.bids))
        return [self.bid(vendor) for vendor in vendors]

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "status_reasons": [reason.to_json() for reason in self.status_reasons],
            "title": self.tender.title,
            "buyer": self.tender.buyer,
            "max_lots_awarded_per_vendor": self.tender.max_lots_awarded_per_vendor,
            "lots": [item.to_json() for item in self.lots],
            "awards": self.awards,
        }


def bids_for_lot(bids: list[Bid], lot: Lot) -> list[Bid]:
    """The bids for one lot, each as a bid of an undivided tender (that lot's pricing)."""
    return [bid.for_lot(lot.id) for bid in bids if lot.id in bid.lots]


def evaluate_lots(tender: Tender, bids: list[Bid], panel: Panel = Panel()) -> LotsResult:
    """Evaluate every lot on its own, then award them lot by lot (§13)."""
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
    results, problems = [], []
    for lot in tender.lots:
        try:
            result = evaluate(tender.for_lot(lot), bids_for_lot(bids, lot), panel.lots.get(lot.id, Panel()))
        except InvalidInput as error:
            # A dearer final offer: name the lot as well as the file.
            problems.extend(Problem(f"{p.path}: final_lots.{lot.id}", p.zh, p.en) for p in error.problems)
            continue
        results.append(LotResult(lot, result))
    if problems:
        raise InvalidInput(problems)
    awards = _award_lots(results, tender.max_lots_awarded_per_vendor)
    status, reasons = _status(results)
    return LotsResult(tender, status, reasons, results, awards)


def _award_lots(results: list[LotResult], limit: int | None) -> list[dict]:
    held: Counter = Counter()
    everything = []
    for item in results:
        result, lot = item.result, item.lot
        if result.status != "ok":
            if result.status == "pending" and result.awards:
                item.result = replace(
                    result,
                    awards=[],
                    status_reasons=[
                        *result.status_reasons,
                        Text("本标包评审未完成，暂不授标", "the lot's evaluation is pending: nothing is awarded yet"),
                    ],
                )
            continue
        awards, reasons = _walk(result, lot, held, limit)
        held.update(award["vendor"] for award in awards)
        item.result = replace(result, awards=awards, status_reasons=[*result.status_reasons, *reasons])
        everything.extend({"lot": lot.id, **award} for award in awards)
    return everything


def _walk(result: Result, lot: Lot, held: Counter, limit: int | None) -> tuple[list[dict], list[Text]]:
    """Walk one lot's ranking from the top, skipping vendors at the limit, filling its places."""
    shares = lot.award.shares
    awards: list[dict] = []
    reasons: list[Text] = []
    for bid in result.ranked:
        if len(awards) == len(shares):
            break
        if limit is not None and held[bid.vendor] >= limit:
            reasons.append(
                Text(
                    f"“{bid.vendor}”（第 {bid.rank} 名）已中标 {held[bid.vendor]} 个标包，达到每家供应商最多中标 "
                    f"{limit} 个标包的上限，本标包跳过",
                    f"'{bid.vendor}' (rank {bid.rank}) already holds {held[bid.vendor]} awarded lot(s), the "
                    f"most one vendor may win ({limit}): skipped in this lot",
                )
            )
            continue
        awards.append({"vendor": bid.vendor, "rank": bid.rank, "share": fmt2(shares[len(awards)])})
    for place in range(len(awards), len(shares)):
        reasons.append(
            Text(
                f"第 {place + 1} 个中标名额（份额 {fmt2(shares[place])}）空缺：排名中已无可授予的供应商",
                f"place {place + 1} (share {fmt2(shares[place])}) is left unfilled: no further vendor in "
                f"the ranking may take it",
            )
        )
    if not awards:
        reasons.append(
            Text(
                f"标包 {lot.id}（{lot.name}）未授标：排名中没有可授予的供应商",
                f"lot {lot.id} ({lot.name}) is not awarded: no vendor in its ranking may take it",
            )
        )
    return awards, reasons


def _status(results: list[LotResult]) -> tuple[str, list[Text]]:
    statuses = [item.result.status for item in results]
    reasons = []
    for item in results:
        lot, status = item.lot, item.result.status
        if status == "failed":
            reasons.append(Text(f"标包 {lot.id}（{lot.name}）流标", f"lot {lot.id} ({lot.name}) failed"))
        elif status == "pending":
            reasons.append(Text(f"标包 {lot.id}（{lot.name}）待定", f"lot {lot.id} ({lot.name}) is pending"))
        elif not item.result.awards:
            reasons.append(Text(f"标包 {lot.id}（{lot.name}）未授标", f"lot {lot.id} ({lot.name}) is not awarded"))
    if statuses and all(status == "failed" for status in statuses):
        return "failed", reasons
    if "pending" in statuses:
        return "pending", reasons
    return "ok", reasons
