"""The contracts after the award (domain §14) under /contracts: the contract page, each
month's actuals uploaded and settled, confirmed or disputed, corrected, and its monthly
acceptance report (履约验收报告). For the tender's buyer and the vendor holding the
contract; anyone else gets 404."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("contracts", __name__)

from tender.contracts import routes  # noqa: F401  (its views join the blueprint)
