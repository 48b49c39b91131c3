"""Refreshing, listing and ending sessions."""

from __future__ import annotations

import attrs

from customer_core.errors import NotFound, TokenInvalid
from customer_core.ports import Clock, SessionRepository
from customer_core.sessions import Session, new_refresh_token, token_digest
from customer_core.tokens import Principal, TokenPair
from customer_core.use_cases.session_tokens import SessionTokens


class Refresh:
    """Trades a refresh token for a new pair. Each refresh token works once;
    presenting a used one revokes its whole session (RFC 9700, 4.14.2)."""

    def __init__(self, *, sessions: SessionRepository, session_tokens: SessionTokens, clock: Clock) -> None:
        self._sessions = sessions
        self._session_tokens = session_tokens
        self._clock = clock

    def __call__(self, refresh_token: str) -> TokenPair:
        if not isinstance(refresh_token, str) or not 16 <= len(refresh_token) <= 256:
            raise TokenInvalid()
        now = self._clock.now()
        next_token = new_refresh_token()
        outcome = self._sessions.rotate(
            presented_digest=token_digest(refresh_token),
            new_digest=token_digest(next_token),
            now=now,
            expires_at=now + self._session_tokens.refresh_ttl,
        )
        if not isinstance(outcome, Session):
            raise TokenInvalid()
        return self._session_tokens.pair(outcome, next_token, now)


@attrs.frozen(kw_only=True)
class SessionView:
    session: Session
    current: bool


class ListSessions:
    def __init__(self, *, sessions: SessionRepository, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def __call__(self, principal: Principal) -> list[SessionView]:
        active = self._sessions.list_active(principal.customer_id, now=self._clock.now())
        active.sort(key=lambda session: session.created_at, reverse=True)
        return [SessionView(session=s, current=s.id == principal.session_id) for s in active]


class RevokeSession:
    def __init__(self, *, sessions: SessionRepository) -> None:
        self._sessions = sessions

    def __call__(self, customer_id: str, session_id: str) -> None:
        if not self._sessions.revoke(session_id, customer_id=customer_id):
            raise NotFound("Session not found")


class Logout:
    def __init__(self, *, sessions: SessionRepository) -> None:
        self._sessions = sessions

    def __call__(self, principal: Principal) -> None:
        self._sessions.revoke(principal.session_id, customer_id=principal.customer_id)


class LogoutAll:
    def __init__(self, *, sessions: SessionRepository) -> None:
        self._sessions = sessions

    def __call__(self, customer_id: str) -> int:
        return self._sessions.revoke_all(customer_id)
