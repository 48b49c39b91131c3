"""Keyed digests (HMAC-SHA256) under the data keys: a digest in a database
dump cannot be checked against guesses without CS_DATA_KEYS_DIR."""

from __future__ import annotations

import hashlib
import hmac

from adapters.security.data_keys import DataKey, DataKeys

# The data keys encrypt (AES-GCM); HMAC gets a key of its own derived from each.
_PURPOSE = b"customer-service keyed digest v1"


class DataKeyHasher:
    """A digest reads ``<key id>:<hex>`` and is made with the newest data
    key; it is checked with the key it names, so rotating keeps it valid."""

    def __init__(self, data_keys: DataKeys) -> None:
        self._keys = data_keys

    def digest(self, message: str) -> str:
        key = self._keys.current()
        return f"{key.kid}:{_mac(key, message)}"

    def matches(self, message: str, digest: str) -> bool:
        kid, _, mac = digest.partition(":")
        key = self._keys.find(kid) if kid and mac else None
        return key is not None and hmac.compare_digest(mac, _mac(key, message))


def _mac(key: DataKey, message: str) -> str:
    derived = hmac.new(key.secret, _PURPOSE, hashlib.sha256).digest()
    return hmac.new(derived, message.encode(), hashlib.sha256).hexdigest()
