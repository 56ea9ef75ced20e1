"""What bidders see after the opening, and their challenges (质疑) — domain §16.

- The opening record (唱标) is read by every bidder whose bid was opened, from the opening
  on: the same record the buyer sees. A vendor without an opened bid is not found.
- The result notice (中标结果公告) is published when the buyer confirms the award
  (:func:`tender.services.award.confirm` sets ``notice_at``): the winners with their monthly
  cost and total score, shown to every bidder and on the public notice page.
- A bidder lodges a challenge within ``challenge_days`` working days of the notice
  (:mod:`scoring.lifecycle` says when), with its reasons and attachments (PDF, JPG, PNG,
  checked by :mod:`tender.documents.attachment_check`, stored encrypted). The buyer answers
  it once, within 7 working days (the due date is stored; late answers are flagged, not
  refused); an upheld challenge reopens the evaluation with the challenge as the recorded
  reason, and the award is withdrawn until the evaluation is final again and re-awarded.

Every step is audited and the people concerned are notified in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from scoring import Problem, lifecycle
from scoring.text import Text
from scoring.times import working_days_after
from tender.documents.attachment_check import MAX_ATTACHMENTS, check_attachment
from tender.documents.upload_check import UploadRefused
from tender.models import (
    AwardDecision,
    Bid,
    Challenge,
    ChallengeFile,
    OpenedBid,
    Reopening,
    Tender,
    User,
    new_public_id,
    utcnow,
)
from tender.notifications.service import notify, path_for
from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.services import Invalid, NotFound, WrongState, deliberation, opening, readers, require
from tender.services.tenders import get_own

MAX_TEXT = 20_000


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


# --------------------------------------------------------------------------- the opening record


def _tender(public_id: str) -> Tender:
    tender = db.session.scalars(select(Tender).where(Tender.public_id == public_id)).first()
    if tender is None:
        raise NotFound()
    return tender


def opened_bid_of(vendor: User, tender: Tender) -> OpenedBid | None:
    """The vendor's bid as opened on this tender (None: the vendor is not one of its bidders)."""
    return db.session.scalars(
        select(OpenedBid)
        .join(Bid, Bid.id == OpenedBid.bid_id)
        .where(OpenedBid.tender_id == tender.id, Bid.vendor_id == vendor.id)
    ).first()


def bidder_tender(vendor: User, tender_public_id: str, what: str = "opening_record") -> tuple[Tender, OpenedBid]:
    """The tender whose ``what`` this vendor may read as one of its bidders, with its opened
    bid. Not a bidder, or not yet readable (before the opening): not found."""
    tender = _tender(tender_public_id)
    mine = opened_bid_of(vendor, tender)
    if mine is None or not tender.readable(what, "bidder"):
        raise NotFound()
    return tender, mine


# --------------------------------------------------------------------------- the result notice


def winners(tender: Tender) -> list[dict]:
    """The result notice's lines: each winner, its share, rank, monthly cost and total score
    (from the confirmed award and the final result). Empty before the award."""
    decision = db.session.scalars(select(AwardDecision).where(AwardDecision.tender_id == tender.id)).first()
    if decision is None:
        return []
    from tender.services import results as results_service

    shown = results_service.result(tender).to_json()
    # a tender divided into lots (§13): each winner's line in the lot it won
    lines = (
        {(lot["id"], b["vendor"]): b for lot in shown["lots"] for b in lot["bids"]}
        if "lots" in shown
        else {("", b["vendor"]): b for b in shown["bids"]}
    )
    return [
        {
            **({"lot": award["lot"]} if "lot" in award else {}),
            "vendor": award["vendor"],
            "share": award["share"],
            "rank": award["rank"],
            "monthly_cost": lines.get((award.get("lot", ""), award["vendor"]), {}).get("monthly_cost"),
            "total": lines.get((award.get("lot", ""), award["vendor"]), {}).get("total"),
        }
        for award in decision.awards
    ]


def window_end(tender: Tender) -> dt.datetime | None:
    """The first instant a challenge is too late (None before the notice)."""
    return lifecycle.challenge_window_end(tender.facts())


def last_minute(moment: dt.datetime | None) -> dt.datetime | None:
    """The last minute before ``moment`` (a window ending at midnight is read "until 23:59")."""
    return moment - dt.timedelta(minutes=1) if moment is not None else None


def publish_notice(tender: Tender, actor: User, now: dt.datetime) -> None:
    """Publish the result notice with the award (the caller commits): its time, the audit
    record, and every bidder told."""
    tender.notice_at = now
    end = window_end(tender)
    audit.record(
        actor,
        "result_notice_published",
        f"tender:{tender.public_id}",
        notice_at=now.isoformat(),
        challenge_until=end.isoformat(),
        winners=[w["vendor"] for w in winners(tender)],
    )
    for item in opening.opened_bids(tender):
        notify(
            [item.bid.vendor],
            "result_notice",
            tender,
            link=path_for("bids.outcome", bid_id=item.bid.public_id),
            challenge_until=last_minute(end),
        )


# --------------------------------------------------------------------------- challenges


def challenges_of(tender: Tender) -> list[Challenge]:
    return list(db.session.scalars(select(Challenge).where(Challenge.tender_id == tender.id).order_by(Challenge.id)))


def own_challenges(vendor: User, bid: Bid) -> list[Challenge]:
    return list(
        db.session.scalars(
            select(Challenge).where(Challenge.bid_id == bid.id, Challenge.vendor_id == vendor.id).order_by(Challenge.id)
        )
    )


def overdue(challenge: Challenge, now: dt.datetime | None = None) -> bool:
    """Unanswered past its due date, or answered after it."""
    answered = challenge.answered_at
    return (answered or now or utcnow()) >= challenge.answer_due


def lodge(
    vendor: User, bid_public_id: str, text: str, uploads: list[Upload] = (), now: dt.datetime | None = None
) -> Challenge:
    """Lodge a challenge against the result notice of the tender of the vendor's own bid."""
    now = now or utcnow()
    bid = db.session.scalars(select(Bid).where(Bid.public_id == bid_public_id)).first()
    if bid is None or bid.vendor_id != vendor.id:
        raise NotFound()
    tender = bid.tender
    if opened_bid_of(vendor, tender) is None:
        raise NotFound()  # a vendor whose bid was never opened is no bidder of the tender
    require(tender, "challenge", "vendor", now=now)
    text = (text or "").strip()
    problems = []
    if not text:
        problems.append(Problem("text", "质疑须写明理由", "a challenge states its reasons"))
    elif len(text) > MAX_TEXT:
        problems.append(
            Problem("text", f"质疑理由不超过 {MAX_TEXT} 字", f"the reasons are at most {MAX_TEXT} characters")
        )
    uploads = [u for u in uploads if u.filename or u.data]
    if len(uploads) > MAX_ATTACHMENTS:
        problems.append(Problem("files", f"最多附 {MAX_ATTACHMENTS} 个文件", f"at most {MAX_ATTACHMENTS} files"))
    checked = []
    for upload in uploads[:MAX_ATTACHMENTS]:
        try:
            checked.append((upload, check_attachment(upload.filename, upload.data)))
        except UploadRefused as refused:
            problems.append(refused.problem)
    if problems:
        raise Invalid(problems)
    challenge = Challenge(
        public_id=new_public_id(),
        tender_id=tender.id,
        bid_id=bid.id,
        vendor_id=vendor.id,
        text=text,
        lodged_at=now,
        answer_due=working_days_after(now, lifecycle.ANSWER_WORKING_DAYS),
    )
    for upload, content_type in checked:
        file_id = new_public_id()
        challenge.files.append(
            ChallengeFile(
                public_id=file_id,
                filename=readers.display_name(upload.filename)[:255],
                content_type=content_type,
                size=len(upload.data),
                sha256=storage.sha256_hex(upload.data),
                blob=storage.seal(upload.data, f"challenge_file:{file_id}"),
                created_at=now,
            )
        )
    db.session.add(challenge)
    audit.record(
        vendor,
        "challenge_lodged",
        f"tender:{tender.public_id}",
        challenge=challenge.public_id,
        bid=bid.public_id,
        text=text,
        answer_due=challenge.answer_due.isoformat(),
        files=[{"name": f.filename, "sha256": f.sha256, "size": f.size} for f in challenge.files],
    )
    notify(
        [tender.owner],
        "challenge_lodged",
        tender,
        link=path_for("tenders.challenges", public_id=tender.public_id),
        vendor=challenge.vendor_name,
        answer_by=challenge.answer_due_last_minute,
    )
    db.session.commit()
    return challenge


def answer(
    buyer: User,
    tender_public_id: str,
    challenge_public_id: str,
    text: str,
    upheld: bool,
    now: dt.datetime | None = None,
) -> Challenge:
    """Answer a challenge in writing, once. Upheld: the evaluation is reopened with the
    challenge as its reason and the award withdrawn (its notice with it)."""
    now = now or utcnow()
    tender = get_own(buyer, tender_public_id)
    challenge = db.session.scalars(
        select(Challenge).where(Challenge.public_id == challenge_public_id, Challenge.tender_id == tender.id)
    ).first()
    if challenge is None:
        raise NotFound()
    if challenge.answered:
        raise WrongState(_("This challenge is already answered: an answer is given once."))
    require(tender, "uphold_challenge" if upheld else "answer_challenge", "buyer", now=now)
    text = (text or "").strip()
    if not text:
        raise Invalid([Problem("answer", "答复须书面写明", "the answer is written")])
    if len(text) > MAX_TEXT:
        raise Invalid([Problem("answer", f"答复不超过 {MAX_TEXT} 字", f"the answer is at most {MAX_TEXT} characters")])
    challenge.answer, challenge.upheld = text, upheld
    challenge.answered_by_id, challenge.answered_at = buyer.id, now
    audit.record(
        buyer,
        "challenge_answered",
        f"tender:{tender.public_id}",
        challenge=challenge.public_id,
        upheld=upheld,
        answer=text,
        late=now >= challenge.answer_due,
    )
    outcome = (
        Text("予以支持，重新评审", "upheld: the evaluation is reopened") if upheld else Text("不予支持", "not upheld")
    )
    notify(
        [challenge.vendor],
        "challenge_answered",
        tender,
        link=path_for("bids.outcome", bid_id=challenge.bid.public_id),
        outcome=outcome,
    )
    if upheld:
        _reopen(buyer, tender, challenge)
    db.session.commit()
    return challenge


def _reopen(buyer: User, tender: Tender, challenge: Challenge) -> None:
    """The upheld challenge reopens the evaluation (its text the recorded reason); the award
    and its notice are withdrawn: a new award, once the evaluation is final again, publishes
    a new notice."""
    reason = f"质疑成立 / challenge upheld ({challenge.vendor_name}): {challenge.text}"
    db.session.add(Reopening(tender_id=tender.id, reason=reason, from_status=tender.status, by_id=buyer.id))
    decision = db.session.scalars(select(AwardDecision).where(AwardDecision.tender_id == tender.id)).first()
    withdrawn = decision.awards if decision is not None else []
    if decision is not None:
        db.session.delete(decision)
    voided = deliberation.void_signatures(tender)  # the report is signed anew once corrected (§15)
    audit.record(
        buyer,
        "evaluation_reopened",
        f"tender:{tender.public_id}",
        reason=reason,
        was=tender.status,
        challenge=challenge.public_id,
        award_withdrawn=withdrawn,
        signatures_voided=voided,
    )
    tender.notice_at = None
    tender.status = lifecycle.after("uphold_challenge")


def challenge_file(user: User, file_public_id: str, tender: Tender | None = None) -> tuple[ChallengeFile, bytes]:
    """An attachment, for the vendor who lodged it or the tender's buyer (of ``tender`` when
    given); anyone else: not found."""
    stored = db.session.scalars(select(ChallengeFile).where(ChallengeFile.public_id == file_public_id)).first()
    if stored is None:
        raise NotFound()
    challenge = stored.challenge
    if tender is not None and challenge.tender_id != tender.id:
        raise NotFound()
    if user.id not in (challenge.vendor_id, challenge.tender.owner_id):
        raise NotFound()
    return stored, storage.unseal(stored.blob, f"challenge_file:{stored.public_id}")
