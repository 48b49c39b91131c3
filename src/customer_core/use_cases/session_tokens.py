"""Starting sessions and minting token pairs, shared by register, login and refresh."""

from __future__ import annotations

import datetime as dt

import attrs

from customer_core.ports import AccessTokenIssuer, Clock, IdGenerator, SessionRepository
from customer_core.sessions import ClientInfo, RefreshToken, Session
from customer_core.tokens import TokenPair
from customer_core.values import Id


@attrs.frozen(kw_only=True)
class SessionTokens:
    sessions: SessionRepository
    access_tokens: AccessTokenIssuer
    ids: IdGenerator
    clock: Clock
    refresh_ttl: dt.timedelta
    session_max: dt.timedelta

    def start(self, customer_id: Id, client: ClientInfo) -> TokenPair:
        now = self.clock.now()
        refresh_token = RefreshToken.new(self.ids.new_id())
        client = client.trimmed()
        session = Session(
            id=Id(str(refresh_token.session_id)),
            customer_id=customer_id,
            created_at=now,
            last_used_at=now,
            expires_at=now + self.refresh_ttl,
            ends_at=now + self.session_max,
            user_agent=client.user_agent,
            ip_address=client.ip_address,
            current_token_digest=refresh_token.digest,
        )
        self.sessions.add(session)
        return self.pair(session, refresh_token, now)

    def pair(self, session: Session, refresh_token: RefreshToken, now: dt.datetime) -> TokenPair:
        access = self.access_tokens.issue(customer_id=session.customer_id, session_id=session.id, now=now)
        return TokenPair(
            access_token=access.token,
            refresh_token=str(refresh_token),
            expires_in=access.expires_in,
            refresh_expires_in=int(session.refreshable_for(now).total_seconds()),
        )
