"""Builders for the integration tests: tenders in every state, bids as vendors make them."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from tender.demo.files import fill_quote, make_bid_document
from tender.documents.quote_template import build_quote_template
from tender.models import Tender, utcnow
from tender.platform.extensions import db
from tender.platform.timefmt import to_iso_shanghai
from tender.services import bids as bid_service
from tender.services import tenders as tender_service

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def sample_tender() -> dict:
    return json.loads((SAMPLES / "tender.json").read_text(encoding="utf-8"))


def sample_bid(name: str = "yunkefu") -> dict:
    return json.loads((SAMPLES / "bids" / f"{name}.json").read_text(encoding="utf-8"))


def definition(days: int = 10, **changes) -> dict:
    """The sample tender with its deadline ``days`` from now and the opening 30 minutes later."""
    data = copy.deepcopy(sample_tender())
    data.pop("published_at", None)
    deadline = (utcnow() + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    data.update(
        bid_deadline=to_iso_shanghai(deadline),
        opening_time=to_iso_shanghai(deadline + dt.timedelta(minutes=30)),
        **changes,
    )
    return data


def draft(buyer, **changes) -> Tender:
    return tender_service.save_draft(buyer, definition(**changes))


def published(buyer, **changes) -> Tender:
    return tender_service.publish(buyer, draft(buyer, **changes))


def pass_deadline(tender: Tender) -> None:
    """Move the deadline into the past, as time passing would."""
    tender.bid_deadline = utcnow() - dt.timedelta(minutes=5)
    tender.opening_time = utcnow() + dt.timedelta(minutes=25)
    db.session.commit()


# The price sheets made for a tender, kept for the several vendors a test has bid on it.
_TEMPLATES: dict[tuple, bytes] = {}


def quote_file(tender: Tender, bid: dict | None = None) -> bytes:
    definition = tender.definition()
    key = (json.dumps(definition, sort_keys=True, default=repr), tender.public_id, tender.version)
    if key not in _TEMPLATES:
        if len(_TEMPLATES) > 16:
            _TEMPLATES.clear()
        _TEMPLATES[key] = build_quote_template(definition, tender_id=tender.public_id, version=tender.version)
    return fill_quote(_TEMPLATES[key], bid or sample_bid())


def document_file(tender: Tender, bid: dict | None = None, sections=None) -> bytes:
    sections = tender.definition().get("required_sections", []) if sections is None else sections
    return make_bid_document(sections, (bid or sample_bid())["facts"])


def upload_data(tender: Tender, bid: dict | None = None, sections=None) -> dict:
    import io

    return {
        "quote": (io.BytesIO(quote_file(tender, bid)), "报价单.xlsx"),
        "document": (io.BytesIO(document_file(tender, bid, sections)), "投标文件.docx"),
    }


def submit(vendor, tender: Tender, bid: dict | None = None):
    """A bid submitted through the services (upload + confirm)."""
    version = bid_service.upload(
        vendor,
        tender.public_id,
        bid_service.Upload("报价单.xlsx", quote_file(tender, bid)),
        bid_service.Upload("投标文件.docx", document_file(tender, bid)),
    )
    return bid_service.confirm(vendor, version.public_id)
