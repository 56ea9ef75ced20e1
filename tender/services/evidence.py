"""Qualification evidence (资格证明材料): a qualification rule on a document (business
licence, certificates, social-insurance proof, audit report…) takes an attachment in the
vendor's bid upload — PDF, JPG or PNG, checked as every upload is
(:mod:`tender.documents.attachment_check`), stored encrypted with the bid's files and sealed
like them: which document each file proves is written in the bid's sealed content
(``content["evidence"]``), and the files are verified by their SHA-256 at the opening. After
the opening the panel sees each file beside its rule in the qualification review.
"""

from __future__ import annotations

import datetime as dt

from scoring import Problem
from scoring.facts import document_name
from scoring.text import Text
from tender.documents.attachment_check import check_attachment
from tender.documents.upload_check import UploadRefused
from tender.models import OpenedBid, StoredFile, new_public_id
from tender.platform import storage
from tender.services import Invalid, NotFound, readers

KIND = "evidence"


def document_rules(definition: dict) -> list[tuple[str, Text]]:
    """The documents the tender's qualification rules require, in order, with their names."""
    found = []
    for rule in definition.get("qualification_rules") or []:
        code = rule.get("document") if isinstance(rule, dict) else None
        if code and code not in [c for c, _ in found]:
            label = rule.get("label")
            found.append((code, Text(label, rule.get("label_en") or label) if label else document_name(code)))
    return found


def field_name(code: str) -> str:
    return f"evidence:{code}"


def checked(definition: dict, evidence: dict) -> list[tuple[str, object, str]]:
    """The attached files as ``(document, upload, content type)``; every refusal at once
    (:class:`Invalid`), and a file for a document no rule asks for is refused too."""
    wanted = {code for code, _ in document_rules(definition)}
    problems, files = [], []
    for code, upload in evidence.items():
        if upload is None or not (upload.filename or upload.data):
            continue
        if code not in wanted:
            problems.append(
                Problem(field_name(code), "本项目没有要求该证明文件", "this tender asks for no such document")
            )
            continue
        try:
            files.append((code, upload, check_attachment(upload.filename, upload.data)))
        except UploadRefused as refused:
            problems.append(refused.problem)
    if problems:
        raise Invalid(problems)
    return files


def stored_files(files, content: dict, now: dt.datetime) -> list[StoredFile]:
    """The encrypted files, and their documents named in the (still unsealed) ``content``."""
    stored, named = [], []
    for code, upload, content_type in files:
        file_id = new_public_id()
        stored.append(
            StoredFile(
                public_id=file_id,
                kind=KIND,
                filename=readers.display_name(upload.filename)[:255],
                content_type=content_type,
                size=len(upload.data),
                sha256=storage.sha256_hex(upload.data),
                blob=storage.seal(upload.data, f"file:{file_id}"),
                created_at=now,
            )
        )
        named.append({"file": file_id, "document": code})
    content["evidence"] = named
    return stored


def of_opened_bid(item: OpenedBid, content: dict | None = None) -> dict[str, list[StoredFile]]:
    """An opened bid's evidence by document code (call only once the bids may be read)."""
    if item.status != "ok":
        return {}
    if content is None:
        from tender.services.opening import bid_content

        content = bid_content(item)
    files = {f.public_id: f for f in item.bid_version.files if f.kind == KIND}
    found: dict[str, list[StoredFile]] = {}
    for entry in content.get("evidence") or []:
        stored = files.get(entry.get("file"))
        if stored is not None:
            found.setdefault(entry.get("document"), []).append(stored)
    return found


def file_of(item: OpenedBid, file_public_id: str) -> tuple[StoredFile, bytes]:
    stored = next((f for f in item.bid_version.files if f.kind == KIND and f.public_id == file_public_id), None)
    if stored is None:
        raise NotFound()
    return stored, storage.unseal(stored.blob, f"file:{stored.public_id}")
