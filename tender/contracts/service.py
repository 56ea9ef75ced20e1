"""The contracts the award made, and their months settled against the KPIs (domain §14).

- :func:`create_for_award` (called by the award, in its transaction): one contract per
  winner (and lot), with the winning pricing, KPIs, at-risk share, share of the volume,
  start month, months and the contract cost the evaluation predicted.
- :func:`settle`: the buyer's upload of a month's actuals → the month's settlement
  (version 1), waiting for the vendor.
- :func:`confirm` / :func:`dispute` (vendor, within 5 working days), :func:`correct` (a new
  version with a reason) / :func:`uphold` (confirmed as it stands, with a reason) by the
  buyer. Every step is audited and the other side is notified; the rules are
  :mod:`scoring.lifecycle`'s (the tender's ``settle`` … actions and the month's states).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, selectinload

from scoring import Problem, lifecycle
from scoring.errors import InvalidInput
from scoring.money import ZERO, fmt2
from scoring.settlement import ContractTerms, Settlement, settle_month
from tender.contracts import actuals as actuals_reader
from tender.contracts import terms as terms_module
from tender.models import Bid, Contract, ContractMonth, OpenedBid, Tender, User, utcnow
from tender.notifications.service import notify, path_for
from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.platform.i18n import pick
from tender.services import Invalid, NotFound, WrongState

PURPOSE = "contract:{}"
# A contract's terms never change once sealed (a new award makes new contracts with new ids):
# parsed once per process, by public id (random, so never another database's contract).
_terms_cache: dict[str, ContractTerms] = {}


# --------------------------------------------------------------------------- the award makes the contracts


def create_for_award(buyer: User, tender: Tender, awards: list[dict]) -> list[Contract]:
    """One contract per award ``{bid, vendor, share[, lot]}``; joins the award's transaction.

    An award confirmed again (after an upheld challenge reopened the evaluation, §16) replaces
    the contracts of the earlier one: they never had a month settled, which needs the award
    to be final."""
    from tender.services import opening

    replaced = for_tender(tender)
    for old in replaced:
        if old.month_versions:  # cannot happen (settling needs the final award): keep the record
            raise WrongState(_("This tender's contract already has settled months."))
        db.session.delete(old)
    if replaced:
        db.session.flush()
    items = {item.bid.public_id: item for item in opening.opened_bids(tender) if item.status == "ok"}
    definition = tender.definition()
    now = utcnow()
    made = []
    for award in awards:
        item: OpenedBid | None = items.get(award["bid"])
        if item is None:
            continue
        snapshot = {
            "tender": definition,
            "bid": opening.bid_content(item)["bid"],
            "lot": award.get("lot") or "",
            "share": str(award.get("share") or "1"),
            "vendor": item.vendor_name,
        }
        try:
            terms = terms_module.terms_from(snapshot)
        except ValueError:  # a lot's award without its lot: nothing to settle by
            continue
        contract = Contract(
            tender_id=tender.id,
            bid_id=item.bid_id,
            vendor_id=item.bid.vendor_id,
            vendor_name=item.vendor_name,
            lot=snapshot["lot"],
            share=snapshot["share"],
            start_month=terms_module.start_month(terms, now),
            months=int(terms.scenario.contract_months),
            predicted_cost=fmt2(terms_module.predicted_cost(terms)),
            sealed_terms=b"",
        )
        db.session.add(contract)
        db.session.flush()
        contract.sealed_terms = storage.seal_json(snapshot, PURPOSE.format(contract.public_id))
        audit.record(
            buyer,
            "contract_created",
            f"contract:{contract.public_id}",
            tender=tender.public_id,
            vendor=item.vendor_name,
            lot=contract.lot,
            share=contract.share,
            start_month=contract.start_month,
            months=contract.months,
            at_risk_share=str(terms.at_risk_share),
            predicted_cost=contract.predicted_cost,
            replaces=[old.public_id for old in replaced],
        )
        made.append(contract)
    return made


def terms(contract: Contract) -> ContractTerms:
    key = contract.public_id
    kept = _terms_cache.get(key)
    if kept is None:
        kept = terms_module.terms_from(storage.unseal_json(contract.sealed_terms, PURPOSE.format(contract.public_id)))
        if len(_terms_cache) > 256:
            _terms_cache.clear()
        _terms_cache[key] = kept
    return kept


# --------------------------------------------------------------------------- who sees what


def side_of(user: User, contract: Contract) -> str | None:
    """ "buyer" (the tender's owner), "contractor" (the vendor holding it) or None."""
    if user.role == "buyer" and contract.tender.owner_id == user.id:
        return "buyer"
    if user.role == "vendor" and contract.vendor_id == user.id:
        return "contractor"
    return None


def get(user: User, public_id: str) -> Contract:
    """The contract, for its buyer or its vendor only (404 for anyone else, as for none)."""
    contract = db.session.scalars(select(Contract).where(Contract.public_id == public_id)).first()
    if contract is None:
        raise NotFound()
    side = side_of(user, contract)
    if side is None or not contract.tender.readable("contract", side):
        raise NotFound()
    return contract


PAGE_SIZE = 50


def page_of_mine(user: User, page: int = 1, per_page: int = PAGE_SIZE):
    """One page of the user's contracts, newest first: the buyer's (of its tenders) or the
    vendor's own; its tenders loaded in one more statement, never one per row."""
    query = (
        select(Contract)
        .join(Tender, Tender.id == Contract.tender_id)
        .options(selectinload(Contract.tender), defer(Contract.sealed_terms))
        .order_by(Contract.created_at.desc(), Contract.id.desc())
    )
    if user.role == "buyer":
        query = query.where(Tender.owner_id == user.id)
    elif user.role == "vendor":
        query = query.where(Contract.vendor_id == user.id)
    else:
        query = query.where(Contract.id.is_(None))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def for_tender(tender: Tender) -> list[Contract]:
    return list(db.session.scalars(select(Contract).where(Contract.tender_id == tender.id).order_by(Contract.id)))


def month_version(user: User, public_id: str, *, lock: bool = False) -> ContractMonth:
    """One version of a month, for the contract's two sides; ``lock``: the row is locked for
    the answer about to be written (PostgreSQL; SQLite writes one at a time anyway), so the
    rule that decides — the 5 working days, the state — is read after the lock."""
    query = select(ContractMonth).where(ContractMonth.public_id == public_id)
    row = db.session.scalars(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound()
    get(user, row.contract.public_id)
    return row


def current_months(contract: Contract) -> dict[str, ContractMonth]:
    return {row.month: row for row in contract.month_versions if row.current}


def versions_of(contract: Contract, month: str) -> list[ContractMonth]:
    return [row for row in contract.month_versions if row.month == month]


def labels(contract: Contract) -> list[str]:
    return terms_module.month_labels(contract.start_month, contract.months)


# --------------------------------------------------------------------------- the month settled


def _require(row_or_tender, action: str, role: str, now=None) -> None:
    refusal = row_or_tender.refusal(action, role, now)
    if refusal is not None:
        raise WrongState(pick(refusal))


def _settlement(contract: Contract, filename: str, data: bytes, month: str) -> tuple[Settlement, dict]:
    contract_terms = terms(contract)
    try:
        actuals = actuals_reader.read_actuals(filename, data, contract_terms, month)
    except InvalidInput as error:
        raise Invalid(error.problems) from None
    return settle_month(contract_terms, actuals), actuals_reader.month_json(actuals)


def _version(contract, month, number, settlement, month_json, filename, data, user, reason="") -> ContractMonth:
    row = ContractMonth(
        contract=contract,
        month=month,
        version=number,
        current=True,
        status=lifecycle.month_after("settle"),
        month_json=json.dumps(month_json, ensure_ascii=False),
        settlement_json=json.dumps(settlement.to_json(), ensure_ascii=False),
        upload_name=filename[:255],
        upload_sha256=storage.sha256_hex(data),
        reason=reason,
        settled_by_id=user.id,
        settled_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    row.sealed_upload = storage.seal(data, f"contract_month:{row.public_id}")
    return row


def _link(row: ContractMonth) -> str:
    return path_for("contracts.month", public_id=row.contract.public_id, month=row.month)


def settle(buyer: User, contract_public_id: str, month: str, filename: str, data: bytes) -> ContractMonth:
    contract = get(buyer, contract_public_id)
    if side_of(buyer, contract) != "buyer":
        raise NotFound()
    _require(contract.tender, "settle", "buyer")
    if month not in labels(contract):
        raise Invalid(
            [
                Problem(
                    "month",
                    f"{month} 不在合同期内（{contract.start_month} 起 {contract.months} 个月）",
                    f"{month} is outside the contract ({contract.months} months from {contract.start_month})",
                )
            ]
        )
    if month in current_months(contract):
        raise WrongState(
            _(
                "This month is already settled: a settled month changes only through the vendor's "
                "dispute and your correction."
            )
        )
    settlement, month_json = _settlement(contract, filename, data, month)
    try:
        row = _version(contract, month, 1, settlement, month_json, filename, data, buyer)
    except IntegrityError:  # the same month settled at the same moment by another request
        db.session.rollback()
        raise WrongState(
            _(
                "This month is already settled: a settled month changes only through the vendor's "
                "dispute and your correction."
            )
        ) from None
    audit.record(
        buyer,
        "month_settled",
        f"contract:{contract.public_id}",
        month=month,
        version=1,
        file_sha256=row.upload_sha256,
        charge=fmt2(settlement.charge),
        deduction=fmt2(settlement.deduction),
        bonus=fmt2(settlement.bonus),
        payable=fmt2(settlement.payable),
    )
    notify(
        [contract.vendor],
        "month_settled",
        contract.tender,
        link=_link(row),
        month=month,
        payable=fmt2(settlement.payable),
        confirm_by=row.confirm_deadline,
    )
    db.session.commit()
    return row


def confirm(vendor: User, month_public_id: str) -> ContractMonth:
    row = _vendor_row(vendor, month_public_id)
    _require(row, "confirm_settlement", "vendor")
    row.status = lifecycle.month_after("confirm_settlement")
    row.vendor_by_id, row.vendor_at = vendor.id, utcnow()
    audit.record(
        vendor,
        "month_confirmed",
        f"contract:{row.contract.public_id}",
        month=row.month,
        version=row.version,
        payable=row.settlement["payable"],
    )
    notify(
        [row.contract.tender.owner],
        "month_confirmed",
        row.contract.tender,
        link=_link(row),
        month=row.month,
        vendor=row.contract.vendor_name,
    )
    db.session.commit()
    return row


def dispute(vendor: User, month_public_id: str, reason: str) -> ContractMonth:
    row = _vendor_row(vendor, month_public_id)
    _require(row, "dispute_settlement", "vendor")
    if not reason.strip():
        raise Invalid([Problem("reason", "提出异议须写明理由", "a dispute needs a reason")])
    row.status = lifecycle.month_after("dispute_settlement")
    row.vendor_by_id, row.vendor_at, row.vendor_reason = vendor.id, utcnow(), reason.strip()
    audit.record(
        vendor,
        "month_disputed",
        f"contract:{row.contract.public_id}",
        month=row.month,
        version=row.version,
        reason=reason.strip(),
    )
    notify(
        [row.contract.tender.owner],
        "month_disputed",
        row.contract.tender,
        link=_link(row),
        month=row.month,
        vendor=row.contract.vendor_name,
        reason=reason.strip(),
    )
    db.session.commit()
    return row


def correct(buyer: User, month_public_id: str, filename: str, data: bytes, reason: str) -> ContractMonth:
    row = _buyer_row(buyer, month_public_id)
    _require(row, "correct_settlement", "buyer")
    if not reason.strip():
        raise Invalid([Problem("reason", "更正结算须写明理由", "a correction needs a reason")])
    settlement, month_json = _settlement(row.contract, filename, data, row.month)
    row.current = False
    db.session.flush()
    new = _version(
        row.contract, row.month, row.version + 1, settlement, month_json, filename, data, buyer, reason=reason.strip()
    )
    audit.record(
        buyer,
        "month_corrected",
        f"contract:{row.contract.public_id}",
        month=row.month,
        version=new.version,
        replaces=row.version,
        reason=reason.strip(),
        file_sha256=new.upload_sha256,
        charge=fmt2(settlement.charge),
        payable=fmt2(settlement.payable),
    )
    notify(
        [row.contract.vendor],
        "month_corrected",
        row.contract.tender,
        link=_link(new),
        month=row.month,
        payable=fmt2(settlement.payable),
        reason=reason.strip(),
        confirm_by=new.confirm_deadline,
    )
    db.session.commit()
    return new


def uphold(buyer: User, month_public_id: str, reason: str) -> ContractMonth:
    row = _buyer_row(buyer, month_public_id)
    _require(row, "uphold_settlement", "buyer")
    if not reason.strip():
        raise Invalid(
            [
                Problem(
                    "reason",
                    "按原结算确认须写明理由（答复供应商的异议）",
                    "confirming as it stands needs a reason (the answer to the vendor's dispute)",
                )
            ]
        )
    row.status = lifecycle.month_after("uphold_settlement")
    row.buyer_by_id, row.buyer_at, row.buyer_reason = buyer.id, utcnow(), reason.strip()
    audit.record(
        buyer,
        "month_upheld",
        f"contract:{row.contract.public_id}",
        month=row.month,
        version=row.version,
        reason=reason.strip(),
        payable=row.settlement["payable"],
    )
    notify(
        [row.contract.vendor],
        "month_upheld",
        row.contract.tender,
        link=_link(row),
        month=row.month,
        reason=reason.strip(),
    )
    db.session.commit()
    return row


def _vendor_row(vendor: User, public_id: str) -> ContractMonth:
    row = month_version(vendor, public_id, lock=True)
    if side_of(vendor, row.contract) != "contractor" or not row.current:
        raise NotFound()
    return row


def _buyer_row(buyer: User, public_id: str) -> ContractMonth:
    row = month_version(buyer, public_id, lock=True)
    if side_of(buyer, row.contract) != "buyer" or not row.current:
        raise NotFound()
    return row


def resettle(row: ContractMonth) -> Settlement:
    """The stored version settled again from its stored actuals (for the report: same figures)."""
    from scoring.settlement import parse_month

    contract_terms = terms(row.contract)
    return settle_month(
        contract_terms, parse_month(row.actuals, kpis=contract_terms.kpis, scenario=contract_terms.scenario)
    )


# --------------------------------------------------------------------------- the contract so far


def summary(contract: Contract, now: dt.datetime | None = None) -> dict:
    """Months so far (charge, deduction, bonus, payable, state), total paid against the cost
    the evaluation predicted, KPI values month by month."""
    now = now or utcnow()
    rows = current_months(contract)
    months = []
    charged = paid = deducted = ZERO
    for label in labels(contract):
        row = rows.get(label)
        if row is None:
            months.append({"month": label, "row": None})
            continue
        s = row.settlement
        state = row.status_at(now)
        months.append({"month": label, "row": row, "state": state, "settlement": s})
        charged += Decimal(s["charge"])
        deducted += Decimal(s["deduction"])
        if lifecycle.month_settled(state):
            paid += Decimal(s["payable"])
    settled = [m for m in months if m["row"] is not None]
    predicted = Decimal(contract.predicted_cost)
    expected_so_far = predicted * len(settled) / contract.months if contract.months else ZERO
    return {
        "months": months,
        "settled": settled,
        "charged": fmt2(charged),
        "paid": fmt2(paid),
        "deducted": fmt2(deducted),
        "predicted": contract.predicted_cost,
        "predicted_so_far": fmt2(expected_so_far),
        "difference_so_far": fmt2(charged - expected_so_far),
    }


# --------------------------------------------------------------------------- the vendor's record


def scorecards(vendor_ids, *, besides: int | None = None) -> dict[int, dict]:
    """Each vendor's KPI record across its contracts (those of tender ``besides`` left
    out): contracts, months settled, total deduction, and per KPI (by name) the months met
    out of the months appraised."""
    ids = [i for i in set(vendor_ids) if i is not None]
    if not ids:
        return {}
    query = (
        select(Contract.vendor_id, Contract.id, ContractMonth.settlement_json)
        .join(ContractMonth, ContractMonth.contract_id == Contract.id)
        .where(Contract.vendor_id.in_(ids), ContractMonth.current.is_(True))
    )
    if besides is not None:
        query = query.where(Contract.tender_id != besides)
    rows = db.session.execute(query).all()
    cards: dict[int, dict] = {}
    for vendor_id, contract_id, settlement_json in rows:
        s = json.loads(settlement_json)
        card = cards.setdefault(vendor_id, {"contracts": set(), "months": 0, "deduction": ZERO, "kpis": {}})
        card["contracts"].add(contract_id)
        card["months"] += 1
        card["deduction"] += Decimal(s["deduction"])
        for kpi in s["kpis"]:
            met, total = card["kpis"].get(kpi["name"], (0, 0))
            card["kpis"][kpi["name"]] = (met + (1 if kpi["met"] else 0), total + 1)
    return {
        vendor_id: {
            "contracts": len(card["contracts"]),
            "months": card["months"],
            "deduction": fmt2(card["deduction"]),
            "kpis": [
                {"name": name, "met": met, "months": total, "share": f"{Decimal(met * 100) / total:.0f}"}
                for name, (met, total) in sorted(card["kpis"].items())
            ],
        }
        for vendor_id, card in cards.items()
    }


def scorecards_for_bids(tender: Tender) -> dict[str, dict]:
    """The scorecards of the vendors with a bid on ``tender``, by vendor name as the results show it."""
    items = db.session.execute(
        select(OpenedBid.vendor_name, Bid.vendor_id)
        .join(Bid, Bid.id == OpenedBid.bid_id)
        .where(OpenedBid.tender_id == tender.id)
    ).all()
    cards = scorecards([vendor_id for _name, vendor_id in items], besides=tender.id)
    return {name: cards[vendor_id] for name, vendor_id in items if vendor_id in cards}


# --------------------------------------------------------------------------- the acceptance report


def acceptance_report(user: User, row: ContractMonth, lang: str) -> bytes:
    """The month's 履约验收报告 (.docx) of one version: the same figures as the page, both
    sides' confirmations (a month unanswered past the 5 working days is marked deemed)."""
    from tender.reports.acceptance import (
        AcceptanceContext,
        Confirmation,
        build_acceptance_report,
    )

    en = lang == "en"
    contract = row.contract
    confirmations = []
    state = row.current_status
    if row.buyer_at is not None:
        confirmations.append(
            Confirmation(
                "buyer", row.buyer_by.name if row.buyer_by else "", row.buyer_at, "confirmed", row.buyer_reason
            )
        )
    else:
        confirmations.append(
            Confirmation(
                "buyer",
                row.settled_by.name,
                row.settled_at,
                "confirmed",
                row.reason and (("Correction: " if en else "更正：") + row.reason),
            )
        )
    if row.vendor_at is not None:
        outcome = "disputed" if row.vendor_reason else "confirmed"
        confirmations.append(
            Confirmation(
                "vendor", row.vendor_by.name if row.vendor_by else "", row.vendor_at, outcome, row.vendor_reason
            )
        )
    elif lifecycle.month_settled(state):
        confirmations.append(
            Confirmation(
                "vendor",
                "",
                row.confirm_deadline,
                "confirmed",
                "Deemed confirmed: not answered within 5 working days" if en else "逾期（5 个工作日）未答复，视为确认",
            )
        )
    context = AcceptanceContext(
        title=contract.tender.title,
        buyer=contract.tender.buyer_name or None,
        vendor=contract.vendor_name,
        contract=f"{contract.public_id}"
        + (f" · {contract.lot}" if contract.lot else "")
        + (f" · {'share' if en else '份额'} {contract.share}" if contract.share != "1.00" else ""),
        version=row.version,
        confirmations=tuple(confirmations),
        generated_at=utcnow(),
    )
    data = build_acceptance_report(resettle(row), context, lang=lang)
    audit.record(
        user, "acceptance_report_exported", f"contract:{contract.public_id}", month=row.month, version=row.version
    )
    db.session.commit()
    return data
