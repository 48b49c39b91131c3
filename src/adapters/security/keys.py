"""Signing keys for access tokens: Ed25519 key files in one directory.

The newest key signs; older keys keep verifying until every token they
signed has expired, then ``rotate`` removes them. Processes sharing the
directory see a rotation at their next token operation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from adapters.security.key_files import KeyDirectory, created_at, new_kid


@attrs.frozen(kw_only=True)
class SigningKey:
    kid: str
    created_at: dt.datetime
    private_key: Ed25519PrivateKey = attrs.field(repr=False)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, str]:
        jwk = OKPAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {**jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}


def _load(kid: str, pem: bytes) -> SigningKey | None:
    private_key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        return None
    return SigningKey(kid=kid, created_at=created_at(kid), private_key=private_key)


class KeyRing:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._files = KeyDirectory(self.directory, ".pem", _load)

    def ensure_key(self, now: dt.datetime) -> None:
        """Generate and persist a first key if there is none."""
        if not self.all():
            self.rotate(now, retire_after=dt.timedelta(0))

    def all(self) -> list[SigningKey]:
        """Every key, oldest first."""
        return self._files.all()

    def signing_key(self) -> SigningKey:
        keys = self.all()
        if not keys:
            raise RuntimeError(f"no signing key in {self.directory}")
        return keys[-1]

    def find(self, kid: str) -> SigningKey | None:
        return self._files.find(kid, lambda key: key.kid)

    def rotate(self, now: dt.datetime, *, retire_after: dt.timedelta) -> SigningKey:
        """Add a new signing key; remove keys replaced more than
        ``retire_after`` ago (the access-token lifetime)."""
        key = SigningKey(kid=new_kid(now), created_at=now, private_key=Ed25519PrivateKey.generate())
        pem = key.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        self._files.add(key.kid, pem)
        existing = self.all()
        for older, newer in zip(existing, existing[1:], strict=False):
            if newer.created_at + retire_after <= now:
                self._files.remove(older.kid)
        return key
