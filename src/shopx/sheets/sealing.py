"""A service account's JSON sealed for storage: Fernet (AES-128-CBC with an HMAC) under a
key derived with HKDF-SHA256 from the app secret (``SHOPX_SECRET_KEY``, or the one generated
in data_dir). The database alone never reveals the credentials; changing the secret makes
the stored ones unreadable, and the sheet must then be registered again."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shopx.errors import ShopXError

_SALT = b"shopx sheets"
_INFO = b"service-account credentials"


class CredentialsUnreadable(ShopXError):
    """Sealed credentials that this app secret cannot open."""


def seal(secret: str, credentials: dict[str, Any]) -> bytes:
    return _fernet(secret).encrypt(json.dumps(credentials).encode())


def unseal(secret: str, sealed: bytes) -> dict[str, Any]:
    try:
        opened = _fernet(secret).decrypt(sealed)
    except InvalidToken:
        raise CredentialsUnreadable(
            "the stored service-account credentials cannot be read with this app secret "
            "(was SHOPX_SECRET_KEY changed?); register the sheet again"
        ) from None
    credentials: dict[str, Any] = json.loads(opened)
    return credentials


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))
