"""Fixtures of the file-adapter tests: the sample tenders and their templates, made once."""

from __future__ import annotations

import copy

import pytest

from tests.unit.documents.sample_tenders import SAMPLES, template_of


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
