"""Qualification evidence: the sample tender's document rule (营业执照副本复印件, business
licence) takes a PDF/JPG/PNG with the bid upload; the file is checked like every upload,
stored encrypted and sealed with the bid, verified at the opening, and shown to the panel
beside its rule — never before the opening, never to another vendor."""

from __future__ import annotations

import io

from tender.models import BidVersion, StoredFile
from tender.platform import storage
from tender.services import opening as opening_service
from tests.integration.evaluation.conftest import bid_id, move_times
from tests.integration.evaluation.helpers import declare, page
from tests.integration.helpers import published, upload_data

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% licence 91330106MA2AXXXX\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload_with_evidence(client, tender, files: dict):
    data = upload_data(tender)
    data.update({f"evidence:{code}": (io.BytesIO(content), name) for code, (name, content) in files.items()})
    return client.post(f"/vendor/tenders/{tender.public_id}/bid", data=data, content_type="multipart/form-data")


def test_the_licence_is_sealed_with_the_bid_and_shown_to_the_panel_beside_its_rule(client, auth, people):
    tender = published(people["buyer"])
    auth.login(people["yunkefu"])
    form = page(client.get(f"/vendor/tenders/{tender.public_id}"))
    assert 'name="evidence:business_license"' in form and "copy of the business licence" in form
    response = upload_with_evidence(client, tender, {"business_license": ("营业执照.pdf", PDF)})
    assert response.status_code == 302, page(response)
    version = BidVersion.query.one()
    client.post(f"/vendor/submissions/{version.public_id}/confirm")
    stored = StoredFile.query.filter_by(kind="evidence").one()
    assert stored.filename == "营业执照.pdf" and stored.size == len(PDF) and PDF not in stored.blob
    content = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")
    assert content["evidence"] == [{"file": stored.public_id, "document": "business_license"}]
    assert client.get(f"/vendor/files/{stored.public_id}").data == PDF  # the vendor's own file
    auth.logout()
    opening_service.assign(people["buyer"], tender.public_id, people["expert1"].public_id)
    auth.login(people["expert1"])
    evidence_url = (
        f"/evaluator/tenders/{tender.public_id}/bids/{bid_id(tender, 'yunkefu', people)}/evidence/{stored.public_id}"
    )
    move_times(tender, 5, -25)  # closed, not opened: sealed
    assert client.get(evidence_url).data != PDF
    move_times(tender, 35, 5)
    opening_service.open_bids(people["buyer"], tender.public_id)
    declare(client, tender)
    review = page(client.get(f"/evaluator/tenders/{tender.public_id}/review"))
    rule_at = review.index("营业执照副本复印件")
    evidence_at = review.index("Evidence attached", rule_at)
    assert review.index("营业执照.pdf", evidence_at) < review.find("</tbody>", rule_at)  # in the rule's table
    assert client.get(evidence_url).data == PDF
    auth.logout()
    # the opening record verifies its hash like the other files
    auth.login(people["buyer"])
    record = page(client.get(f"/results/{tender.public_id}/opening-record"))
    assert "Qualification evidence" in record and stored.sha256[:16] in record
    auth.logout()
    auth.login(people["expert2"])  # not on the panel
    assert client.get(evidence_url).status_code == 404


def test_a_hostile_or_unwanted_attachment_stores_nothing(client, auth, people):
    tender = published(people["buyer"])
    auth.login(people["yunkefu"])
    response = upload_with_evidence(client, tender, {"business_license": ("licence.png", b"\x89PNG\r\n\x1a\nbroken")})
    assert response.status_code == 400 and "the image is damaged or incomplete" in page(response)
    response = upload_with_evidence(client, tender, {"business_license": ("licence.pdf.exe", b"MZ\x90\x00")})
    assert response.status_code == 400 and "PDF, JPG or PNG" in page(response)
    response = upload_with_evidence(client, tender, {"audit_report": ("audit.pdf", PDF)})
    assert response.status_code == 400 and "asks for no such document" in page(response)
    assert BidVersion.query.count() == 0 and StoredFile.query.count() == 0
