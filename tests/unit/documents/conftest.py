"""Fixtures of the file-adapter tests: the sample tenders and their templates, made once."""
from __future__ import annotations

import copy

import pytest

from sample_tenders import SAMPLES
from tender.documents.quote_template import build_quote_template

_TEMPLATES: dict[str, bytes] = {}


def template_of(name: str) -> bytes:
    """The template of a sample tender, made once per test run."""
    if name not in _TEMPLATES:
        tender, tender_id, version = SAMPLES[name]
        _TEMPLATES[name] = build_quote_template(tender, tender_id=tender_id, version=version)
    return _TEMPLATES[name]


@pytest.fixture
def shop():
    """(tender, tender id, version, template) of the shop tender; the tender is a fresh copy."""
    tender, tender_id, version = SAMPLES["shop"]
    return copy.deepcopy(tender), tender_id, version, template_of("shop")


@pytest.fixture
def postal():
    tender, tender_id, version = SAMPLES["postal"]
    return copy.deepcopy(tender), tender_id, version, template_of("postal")


@pytest.fixture
def reference():
    tender, tender_id, version = SAMPLES["reference"]
    return copy.deepcopy(tender), tender_id, version, template_of("reference")
