"""Service clients: other services (orders, support tools) that call the
internal API with tokens of the OAuth 2.0 client-credentials grant, never
as customers."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets

import attrs

from customer_core.values import Id, text

# A client's tokens live this long; a revoked client's stop at once anyway.
CLIENT_TOKEN_TTL = dt.timedelta(minutes=5)


class Scope(enum.StrEnum):
    CUSTOMERS_READ = "customers:read"
    ORDERS_WRITE = "orders:write"

    @property
    def description(self) -> str:
        return _SCOPE_DESCRIPTIONS[self]


_SCOPE_DESCRIPTIONS = {
    Scope.CUSTOMERS_READ: "look customers up by id or email",
    Scope.ORDERS_WRITE: "record completed orders and their refunds",
}


def scope_text(scopes: frozenset[Scope]) -> str:
    """As OAuth writes scopes: names separated by spaces."""
    return " ".join(sorted(scopes))


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """A secret of 256 random bits needs no slow hash: SHA-256 is enough,
    and makes a flood of token requests cheap to refuse."""
    return hashlib.sha256(secret.encode()).hexdigest()


@attrs.frozen(kw_only=True)
class ServiceClient:
    id: Id
    name: str = text(100)
    secret_digest: str = attrs.field(repr=False)
    scopes: frozenset[Scope]
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def has_secret(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_digest, secret_digest(secret))


@attrs.frozen(kw_only=True)
class NewClient:
    """A client just created, with the secret that is shown only now."""

    client: ServiceClient
    secret: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class ClientClaims:
    client_id: Id
    scopes: frozenset[Scope]
    expires_at: int  # seconds since the epoch


@attrs.frozen(kw_only=True)
class ClientPrincipal:
    """The service client calling an internal route."""

    client_id: Id
    scopes: frozenset[Scope]


@attrs.frozen(kw_only=True)
class ClientToken:
    access_token: str = attrs.field(repr=False)
    expires_in: int
    scopes: frozenset[Scope]
