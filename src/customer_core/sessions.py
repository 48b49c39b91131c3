"""Sessions: one per login, each a family of single-use refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import attrs


def new_refresh_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are stored only as digests. They carry 256 bits of entropy, so a
    plain SHA-256 (no salt, no stretching) is enough and allows lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


@attrs.frozen(kw_only=True)
class Session:
    id: str
    customer_id: str
    created_at: dt.datetime
    last_used_at: dt.datetime
    expires_at: dt.datetime
    user_agent: str | None = None
    ip_address: str | None = None
    # Digest of the one refresh token that may be used next.
    current_token_digest: str
    # Digests of tokens already used, newest last (capped), so a replay is
    # recognised as such and revokes the session.
    used_token_digests: tuple[str, ...] = ()

    def is_active(self, now: dt.datetime) -> bool:
        return now < self.expires_at


@attrs.frozen
class Replayed:
    """A used refresh token came back: the session it belonged to is revoked."""

    session_id: str


# How many used refresh-token digests a session keeps to recognise replays.
USED_TOKENS_KEPT = 50


@attrs.frozen(kw_only=True)
class ClientInfo:
    user_agent: str | None = None
    ip_address: str | None = None

    def trimmed(self) -> ClientInfo:
        return ClientInfo(
            user_agent=(self.user_agent or "")[:512] or None,
            ip_address=(self.ip_address or "")[:64] or None,
        )
