"""Data keys for encryption at rest: AES-256-GCM, one key file each in
CS_DATA_KEYS_DIR (made on first start; share it between instances, like the
signing keys). The newest key encrypts; every key stays to decrypt what it
encrypted. A sealed value reads ``enc:v1:<key id>:<base64 of nonce and
ciphertext>``, and is bound to a context (which field of which record), so
it cannot be moved to another record and still decrypt."""

from __future__ import annotations

import base64
import datetime as dt
import os
from pathlib import Path

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.security.key_files import KeyDirectory, created_at, new_kid

PREFIX = "enc:v1:"


class SealedValueInvalid(ValueError):
    """A sealed value that no key here opens: tampered with, moved, or
    sealed with a key this directory does not hold."""


@attrs.frozen
class DataKey:
    kid: str
    secret: bytes = attrs.field(repr=False)


def _load(kid: str, content: bytes) -> DataKey | None:
    secret = base64.b64decode(content)
    return DataKey(kid, secret) if len(secret) == 32 else None


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def key_id(sealed: str) -> str:
    return sealed.removeprefix(PREFIX).split(":", 1)[0]


class DataKeys:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._files = KeyDirectory(self.directory, ".key", _load)

    def ensure_key(self, now: dt.datetime) -> None:
        if not self._files.all():
            self.rotate(now)

    def rotate(self, now: dt.datetime) -> DataKey:
        """Add a key; from now on it encrypts (it is named after the newest
        one even if this machine's clock is behind the one that made that)."""
        keys = self._files.all()
        if keys:
            now = max(now, created_at(keys[-1].kid) + dt.timedelta(microseconds=1))
        key = DataKey(new_kid(now), AESGCM.generate_key(bit_length=256))
        self._files.add(key.kid, base64.b64encode(key.secret))
        return key

    def current(self) -> DataKey:
        keys = self._files.all()
        if not keys:
            raise RuntimeError(f"no data key in {self.directory}")
        return keys[-1]

    def find(self, kid: str) -> DataKey | None:
        return self._files.find(kid, lambda key: key.kid)

    def seal(self, plaintext: bytes, *, context: str) -> str:
        key = self.current()
        nonce = os.urandom(12)
        ciphertext = AESGCM(key.secret).encrypt(nonce, plaintext, context.encode())
        return f"{PREFIX}{key.kid}:{base64.urlsafe_b64encode(nonce + ciphertext).decode()}"

    def open(self, sealed: str, *, context: str) -> bytes:
        try:
            kid, payload = sealed.removeprefix(PREFIX).split(":", 1)
            raw = base64.urlsafe_b64decode(payload)
        except ValueError:
            raise SealedValueInvalid("not a sealed value") from None
        key = self.find(kid)
        if key is None:
            raise SealedValueInvalid(f"no data key {kid!r} in {self.directory}")
        try:
            return AESGCM(key.secret).decrypt(raw[:12], raw[12:], context.encode())
        except (InvalidTag, ValueError):
            raise SealedValueInvalid("the sealed value was altered or belongs elsewhere") from None
