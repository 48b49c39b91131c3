"""Sessions: one per login, each a family of single-use refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import attrs

from customer_core.values import Id, is_id


def new_secret() -> str:
    """256 random bits, URL-safe: refresh tokens and emailed tokens."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are stored only as digests. They carry 256 bits of entropy, so a
    plain SHA-256 (no salt, no stretching) is enough and allows lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


@attrs.frozen(kw_only=True)
class Session:
    id: Id
    customer_id: Id
    created_at: dt.datetime
    last_used_at: dt.datetime
    expires_at: dt.datetime
    user_agent: str | None = None
    ip_address: str | None = None
    # The absolute end, however often the session is refreshed (None: a
    # session from before there was one).
    ends_at: dt.datetime | None = None
    # Digest of the one refresh token that may be used next.
    current_token_digest: str = attrs.field(repr=False)
    # Digests of tokens already used, newest last (capped), so a replay is
    # recognised as such and revokes the session.
    used_token_digests: tuple[str, ...] = attrs.field(default=(), repr=False)

    def is_active(self, now: dt.datetime) -> bool:
        return now < self.expires_at and (self.ends_at is None or now < self.ends_at)

    def refreshable_for(self, now: dt.datetime) -> dt.timedelta:
        """How long its current refresh token stays usable."""
        end = self.expires_at if self.ends_at is None else min(self.expires_at, self.ends_at)
        return max(end - now, dt.timedelta(0))


@attrs.frozen(kw_only=True)
class SessionView(Session):
    """A session as its owner sees it: ``current`` is the one asking."""

    current: bool


@attrs.frozen
class RefreshToken:
    """``<session id>.<secret>``: the session named in the token is where a
    used one is looked for, so replays are found without indexing every
    used token. Only the secret's digest is stored. Tokens issued before
    they named their session are the secret alone (``session_id`` None)."""

    session_id: Id | None
    secret: str = attrs.field(repr=False)

    @classmethod
    def new(cls, session_id: Id) -> RefreshToken:
        return cls(session_id, new_secret())

    @classmethod
    def parse(cls, token: str) -> RefreshToken:
        head, dot, secret = token.partition(".")
        if not dot:
            return cls(None, token)
        return cls(Id(head) if is_id(head) else Id(""), secret)  # an empty id names no session

    def __str__(self) -> str:
        return f"{self.session_id}.{self.secret}" if self.session_id else self.secret

    @property
    def digest(self) -> str:
        return token_digest(self.secret)


@attrs.frozen
class Replayed:
    """A used refresh token came back: the session it belonged to is revoked."""

    session_id: Id
    customer_id: Id


# How many used refresh-token digests a session keeps to recognise replays.
USED_TOKENS_KEPT = 50


@attrs.frozen(kw_only=True)
class ClientInfo:
    """Where a request came from, as far as the edge knows."""

    user_agent: str | None = None
    ip_address: str | None = None
    request_id: str | None = None

    def trimmed(self) -> ClientInfo:
        return ClientInfo(
            user_agent=(self.user_agent or "")[:512] or None,
            ip_address=(self.ip_address or "")[:64] or None,
            request_id=(self.request_id or "")[:64] or None,
        )
