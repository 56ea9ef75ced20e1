"""The encrypted store for bid files and quote data (sealed bids).

Everything a vendor sends is encrypted with AES-256-GCM before it reaches the database,
as ``MAGIC ‖ nonce ‖ ciphertext``. The ``purpose`` (e.g. ``file:<public id>``) is bound
as associated data, so a blob copied onto another row does not decrypt. Blobs live in the
database, so a file and the rows describing it commit together and every app server sees
them. The key lives apart from the data: ``TENDER_DATA_KEY`` (urlsafe base64 of 32
bytes) or ``instance/keys/data.key``, created on first run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

MAGIC = b"TNDR\x01"  # never the zip header PK\x03\x04
NONCE_BYTES = 12


class SealBroken(Exception):
    """A stored blob could not be decrypted (wrong key, damaged or swapped blob).

    ``purpose`` names what was being read (``file:<public id>``, ``bid_version:<public id>``)."""

    def __init__(self, message: str, purpose: str = ""):
        super().__init__(message)
        self.purpose = purpose


def generate_key() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")


def _decode_key(text: str, name: str = "TENDER_DATA_KEY") -> bytes:
    key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    if len(key) != 32:
        raise ValueError(f"{name} must be urlsafe base64 of 32 bytes")
    return key


def load_key(
    instance_path: str, configured: str | None, filename: str = "data.key", name: str = "TENDER_DATA_KEY"
) -> bytes:
    """A key from the configuration, else from ``instance/keys/<filename>`` (made once).

    The same for the data key (``data.key``) and the audit chain's key (``audit.key``,
    ``TENDER_AUDIT_KEY``); neither is ever stored in the database."""
    if configured:
        return _decode_key(configured, name)
    path = Path(instance_path) / "keys" / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            return _decode_key(path.read_text(), name)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_key())
    return _decode_key(path.read_text(), name)


def _key() -> bytes:
    return current_app.extensions["tender_data_key"]


def seal(plaintext: bytes, purpose: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(_key()).encrypt(nonce, plaintext, purpose.encode("utf-8"))


def unseal(blob: bytes, purpose: str) -> bytes:
    if not blob or not blob.startswith(MAGIC):
        raise SealBroken("not a sealed blob", purpose)
    nonce = blob[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(_key()).decrypt(nonce, blob[len(MAGIC) + NONCE_BYTES :], purpose.encode("utf-8"))
    except InvalidTag as error:
        raise SealBroken("blob does not decrypt with this key and purpose", purpose) from error


def seal_json(data: dict, purpose: str) -> bytes:
    return seal(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"), purpose)


def unseal_json(blob: bytes, purpose: str) -> dict:
    return json.loads(unseal(blob, purpose).decode("utf-8"))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
