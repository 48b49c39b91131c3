"""Refreshing, listing and ending sessions."""

from __future__ import annotations

import attrs

from customer_core.errors import NotFound, TokenInvalid
from customer_core.ports import Clock, SessionRepository, UnitOfWork
from customer_core.records import Event, Origin
from customer_core.sessions import ClientInfo, RefreshToken, Replayed, Session, SessionView, new_secret, token_digest
from customer_core.tokens import Principal, TokenPair
from customer_core.use_cases.recording import Recorder
from customer_core.use_cases.session_tokens import SessionTokens
from customer_core.values import Id


@attrs.frozen(kw_only=True)
class RefreshRequest:
    refresh_token: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class Refresh:
    """Trades a refresh token for a new pair. Each refresh token works once;
    presenting a used one revokes its whole session (RFC 9700, 4.14.2)."""

    sessions: SessionRepository
    session_tokens: SessionTokens
    clock: Clock
    recorder: Recorder
    uow: UnitOfWork

    def __call__(self, request: RefreshRequest, client: ClientInfo = ClientInfo()) -> TokenPair:
        if not 16 <= len(request.refresh_token) <= 256:
            raise TokenInvalid()
        now = self.clock.now()
        presented = RefreshToken.parse(request.refresh_token)
        next_secret = new_secret()

        def rotate() -> Session | Replayed | None:
            outcome = self.sessions.rotate(
                session_id=presented.session_id,
                presented_digest=presented.digest,
                new_digest=token_digest(next_secret),
                now=now,
                expires_at=now + self.session_tokens.refresh_ttl,
            )
            if isinstance(outcome, Replayed):
                origin = Origin.customer(client)
                self.recorder.event(
                    Event.REFRESH_TOKEN_REUSED, outcome.customer_id, origin, session_id=outcome.session_id
                )
            return outcome

        outcome = self.uow.run(rotate)
        if not isinstance(outcome, Session):
            raise TokenInvalid()
        return self.session_tokens.pair(outcome, RefreshToken(outcome.id, next_secret), now)


@attrs.frozen(kw_only=True)
class ListSessions:
    sessions: SessionRepository
    clock: Clock

    def __call__(self, principal: Principal) -> list[SessionView]:
        active = self.sessions.list_active(principal.customer_id, now=self.clock.now())
        active.sort(key=lambda session: session.created_at, reverse=True)
        return [
            SessionView(**attrs.asdict(session, recurse=False), current=session.id == principal.session_id)
            for session in active
        ]


@attrs.frozen(kw_only=True)
class RevokeSession:
    sessions: SessionRepository
    recorder: Recorder
    uow: UnitOfWork

    def __call__(self, principal: Principal, session_id: Id) -> None:
        def revoke() -> None:
            if not self.sessions.revoke(session_id, customer_id=principal.customer_id):
                raise NotFound("Session not found")
            self.recorder.event(Event.SESSION_REVOKED, principal.customer_id, principal.origin, session_id=session_id)

        self.uow.run(revoke)


@attrs.frozen(kw_only=True)
class Logout:
    sessions: SessionRepository
    recorder: Recorder
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> None:
        def end() -> None:
            self.sessions.revoke(principal.session_id, customer_id=principal.customer_id)
            self.recorder.event(Event.LOGGED_OUT, principal.customer_id, principal.origin)

        self.uow.run(end)


@attrs.frozen(kw_only=True)
class LogoutAll:
    sessions: SessionRepository
    recorder: Recorder
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> int:
        def end_all() -> int:
            ended = self.sessions.revoke_all(principal.customer_id)
            self.recorder.event(Event.LOGGED_OUT, principal.customer_id, principal.origin, all_sessions=True)
            return ended

        return self.uow.run(end_all)
