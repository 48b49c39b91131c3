"""Turning a bearer access token into the principal of a request."""

from __future__ import annotations

import attrs

from customer_core.errors import TokenInvalid, Unauthenticated
from customer_core.ports import AccessTokenIssuer, Clock, SessionRepository
from customer_core.sessions import ClientInfo
from customer_core.tokens import Principal


@attrs.frozen(kw_only=True)
class Authenticate:
    """A token is accepted only while its session is active, so logout and
    revocation take effect at once."""

    access_tokens: AccessTokenIssuer
    sessions: SessionRepository
    clock: Clock

    def __call__(self, token: str | None, client: ClientInfo = ClientInfo()) -> Principal:
        if not token:
            raise Unauthenticated()
        now = self.clock.now()
        try:
            claims = self.access_tokens.verify(token, now=now)
        except TokenInvalid:
            raise Unauthenticated("Access token is invalid or expired") from None
        session = self.sessions.get(claims.session_id)
        if session is None or session.customer_id != claims.subject or not session.is_active(now):
            raise Unauthenticated("Session has ended")
        return Principal(customer_id=claims.subject, session_id=claims.session_id, client=client)
