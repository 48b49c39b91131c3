"""Turning a bearer access token into the principal of a request."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer
from customer_core.errors import TokenInvalid, Unauthenticated
from customer_core.ports import AccessTokenIssuer, Clock, SessionRepository, SignedInCustomers
from customer_core.sessions import ClientInfo
from customer_core.tokens import AccessClaims, Principal


@attrs.frozen(kw_only=True)
class Authenticate:
    """A token is accepted only while its session is active, so logout and
    revocation take effect at once."""

    access_tokens: AccessTokenIssuer
    sessions: SessionRepository
    signed_in: SignedInCustomers
    clock: Clock

    def __call__(self, token: str | None, client: ClientInfo = ClientInfo()) -> Principal:
        claims = self._claims(token)
        session = self.sessions.get(claims.session_id)
        if session is None or session.customer_id != claims.subject or not session.is_active(self.clock.now()):
            raise Unauthenticated("Session has ended")
        return Principal(customer_id=claims.subject, session_id=claims.session_id, client=client)

    def customer(self, token: str | None) -> Customer:
        """The authenticated customer themself: the session check and the
        read of the account in one (the hot path of ``GET /me``)."""
        claims = self._claims(token)
        customer = self.signed_in.get(claims.subject, claims.session_id, now=self.clock.now())
        if customer is None:
            raise Unauthenticated("Session has ended")
        return customer

    def _claims(self, token: str | None) -> AccessClaims:
        if not token:
            raise Unauthenticated()
        try:
            return self.access_tokens.verify(token, now=self.clock.now())
        except TokenInvalid:
            raise Unauthenticated("Access token is invalid or expired") from None
