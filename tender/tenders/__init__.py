"""The buyer's pages under /buyer/tenders, one blueprint: writing, publishing, amending,
extending and cancelling a tender (:mod:`.routes`), and its panel, opening, award and
reopening (:mod:`.opening`)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("tenders", __name__)

from tender.tenders import challenges, final_round, opening, routes  # noqa: E402,F401  (their views join the blueprint)
