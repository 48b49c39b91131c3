"""Signing keys for access tokens: Ed25519 key files in one directory.

The newest key signs; older keys keep verifying until every token they
signed has expired, then ``rotate`` removes them. Processes sharing the
directory see a rotation at their next token operation."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
from pathlib import Path

import attrs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

_SUFFIX = ".pem"


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


def _new_kid(now: dt.datetime) -> str:
    # Sorts by creation time (to the microsecond); the suffix keeps two
    # processes rotating at the same instant apart.
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(4)


def _created_at(kid: str) -> dt.datetime:
    return dt.datetime.strptime(kid.split("-")[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)


class KeyRing:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._seen_names: list[str] | None = None
        self._keys: list[SigningKey] = []

    def ensure_key(self, now: dt.datetime) -> None:
        """Generate and persist a first key if there is none."""
        if not self.all():
            self.rotate(now, retire_after=dt.timedelta(0))

    def all(self) -> list[SigningKey]:
        """Every key, oldest first."""
        self._reload_if_changed()
        return list(self._keys)

    def signing_key(self) -> SigningKey:
        keys = self.all()
        if not keys:
            raise RuntimeError(f"no signing key in {self.directory}")
        return keys[-1]

    def find(self, kid: str) -> SigningKey | None:
        return next((key for key in self.all() if key.kid == kid), None)

    def rotate(self, now: dt.datetime, *, retire_after: dt.timedelta) -> SigningKey:
        """Add a new signing key; remove keys replaced more than
        ``retire_after`` ago (the access-token lifetime)."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = SigningKey(kid=_new_kid(now), created_at=now, private_key=Ed25519PrivateKey.generate())
        pem = key.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        temporary = self.directory / f".{key.kid}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.directory / f"{key.kid}{_SUFFIX}")
        existing = self.all()
        for older, newer in zip(existing, existing[1:], strict=False):
            if newer.created_at + retire_after <= now:
                (self.directory / f"{older.kid}{_SUFFIX}").unlink(missing_ok=True)
        self._seen_names = None
        return key

    def _reload_if_changed(self) -> None:
        # Key files are only ever added or removed, never rewritten, so the
        # list of names tells a change (a directory's mtime can miss one made
        # within the same clock tick).
        names = sorted(path.name for path in self.directory.glob(f"*{_SUFFIX}"))
        if names == self._seen_names:
            return
        with self._lock:
            keys = []
            for name in names:
                kid = name[: -len(_SUFFIX)]
                try:
                    pem = (self.directory / name).read_bytes()
                except FileNotFoundError:  # retired by another process meanwhile
                    continue
                private_key = serialization.load_pem_private_key(pem, password=None)
                if isinstance(private_key, Ed25519PrivateKey):
                    keys.append(SigningKey(kid=kid, created_at=_created_at(kid), private_key=private_key))
            self._keys = keys
            self._seen_names = names
