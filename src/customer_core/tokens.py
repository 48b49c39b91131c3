"""What the core knows of tokens: the verified claims of an access token, and
the pair handed to a client."""

from __future__ import annotations

import attrs

from customer_core.records import Origin
from customer_core.sessions import ClientInfo
from customer_core.values import Id


@attrs.frozen(kw_only=True)
class AccessClaims:
    subject: Id  # customer id
    session_id: Id
    token_id: str
    expires_at: int  # seconds since the epoch


@attrs.frozen(kw_only=True)
class IssuedAccessToken:
    token: str
    expires_in: int  # seconds


@attrs.frozen(kw_only=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    token_type: str = "Bearer"


@attrs.frozen(kw_only=True)
class Principal:
    """The authenticated caller of a request, and where it came from."""

    customer_id: Id
    session_id: Id
    client: ClientInfo = ClientInfo()

    @property
    def origin(self) -> Origin:
        return Origin.customer(self.client)
