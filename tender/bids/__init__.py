"""The vendor's pages under /vendor, one blueprint: browse tenders, download the price
sheet, submit, replace and withdraw bids (:mod:`.routes`), and a bid's outcome (:mod:`.outcome`)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bids", __name__)

from tender.bids import final_offers, outcome, routes  # noqa: E402,F401  (their views join the blueprint)
