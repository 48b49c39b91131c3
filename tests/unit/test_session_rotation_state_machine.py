"""Sessions and refresh-token rotation, driven through the real core by a
hypothesis state machine and checked against a small model."""

from __future__ import annotations

import datetime as dt
import tempfile
from contextlib import ExitStack
from pathlib import Path

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from adapters.memory import InMemoryCustomerRepository, InMemorySessionRepository, ManualClock
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.keys import KeyRing
from customer_core import Credentials, CustomerService
from customer_core.errors import TokenInvalid, Unauthenticated
from customer_core.ports import CustomerRepository, SessionRepository
from customer_core.sessions import USED_TOKENS_KEPT
from customer_core.tokens import Principal, TokenPair
from customer_core.use_cases.registration import Registration
from customer_core.use_cases.sessions import RefreshRequest
from customer_core.values import Email
from tests.support import PASSWORD, acting, memory_ports, policies

# Far in the future, so a store's TTL monitor never removes a session the model keeps.
START = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
REFRESH_TTL = dt.timedelta(days=7)
# Short, so that refreshing sessions reach their absolute end within a run.
SESSION_MAX = dt.timedelta(days=8)
# Access tokens outlive every run: whether one authenticates depends on its session alone.
ACCESS_TTL = dt.timedelta(days=3650)
EMAIL = "ada@example.com"
CLOCK_STEPS = [
    dt.timedelta(seconds=1),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=6),
    dt.timedelta(days=1),
    dt.timedelta(days=3),
    REFRESH_TTL,
    REFRESH_TTL + dt.timedelta(days=1),
]


@attrs.define
class ModelSession:
    stored: bool
    expires_at: dt.datetime
    ends_at: dt.datetime
    latest: str
    used: list[str] = attrs.Factory(list)
    access_tokens: list[str] = attrs.Factory(list)

    def usable(self, now: dt.datetime) -> bool:
        return self.stored and now < self.end

    @property
    def end(self) -> dt.datetime:
        return min(self.expires_at, self.ends_at)

    def remembered_used(self) -> list[str]:
        return self.used[-USED_TOKENS_KEPT:]


class SessionRotationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.resources = ExitStack()
        self.clock = ManualClock(START)
        keys_dir = Path(self.resources.enter_context(tempfile.TemporaryDirectory()))
        keys = KeyRing(keys_dir)
        keys.ensure_key(self.clock.now())
        customers, sessions = self.repositories()
        access_tokens = JwtAccessTokens(keys=keys, issuer="https://auth.test", audience="customers", ttl=ACCESS_TTL)
        ports = memory_ports(self.clock, keys_dir, customers=customers, sessions=sessions, access_tokens=access_tokens)
        self.service = CustomerService.assemble(ports, policies(refresh_ttl=REFRESH_TTL, session_max=SESSION_MAX))
        registered = self.service.register(
            Registration(email=Email(EMAIL), password=PASSWORD, first_name="Ada", last_name="Lovelace")
        )
        self.customer_id = registered.customer.id
        self.model: dict[str, ModelSession] = {}
        self.track_new_session(registered.tokens)

    def repositories(self) -> tuple[CustomerRepository, SessionRepository]:
        """Subclasses swap the store; resources go on ``self.resources``."""
        return InMemoryCustomerRepository(), InMemorySessionRepository()

    def teardown(self) -> None:
        self.resources.close()

    def now(self) -> dt.datetime:
        return self.clock.now()

    def track_new_session(self, tokens: TokenPair) -> None:
        principal = self.service.authenticate(tokens.access_token)
        assert principal.customer_id == self.customer_id
        assert principal.session_id not in self.model
        self.model[principal.session_id] = ModelSession(
            stored=True,
            expires_at=self.now() + REFRESH_TTL,
            ends_at=self.now() + SESSION_MAX,
            latest=tokens.refresh_token,
            access_tokens=[tokens.access_token],
        )

    def principal(self, session_id: str) -> Principal:
        return Principal(customer_id=self.customer_id, session_id=session_id)

    def has_used_tokens(self) -> bool:
        return any(session.used for session in self.model.values())

    def has_usable_sessions(self) -> bool:
        return any(session.usable(self.now()) for session in self.model.values())

    @rule()
    def login(self) -> None:
        self.track_new_session(self.service.login(Credentials(email=EMAIL, password=PASSWORD)).tokens)

    @rule(data=st.data())
    def refresh_with_the_latest_token(self, data: st.DataObject) -> None:
        session = self.model[data.draw(st.sampled_from(list(self.model)), label="session")]
        expected_to_work = session.usable(self.now())
        try:
            tokens = self.service.refresh(RefreshRequest(refresh_token=session.latest))
        except TokenInvalid:
            assert not expected_to_work, "the latest token of a live session was refused"
            return
        assert expected_to_work, "the latest token of an ended or expired session was accepted"
        assert tokens.refresh_token != session.latest
        session.used.append(session.latest)
        session.latest = tokens.refresh_token
        session.expires_at = self.now() + REFRESH_TTL
        session.access_tokens.append(tokens.access_token)
        assert tokens.refresh_expires_in == int((session.end - self.now()).total_seconds())

    @precondition(has_used_tokens)
    @rule(data=st.data())
    def replay_a_used_token(self, data: st.DataObject) -> None:
        with_used = [session_id for session_id, session in self.model.items() if session.used]
        session = self.model[data.draw(st.sampled_from(with_used), label="session")]
        token = data.draw(st.sampled_from(session.used), label="used token")
        with pytest.raises(TokenInvalid):
            self.service.refresh(RefreshRequest(refresh_token=token))
        if token in session.remembered_used():
            session.stored = False

    @rule(token=st.text(max_size=300))
    def refresh_with_a_random_token(self, token: str) -> None:
        with pytest.raises(TokenInvalid):
            self.service.refresh(RefreshRequest(refresh_token=token))

    @rule(data=st.data())
    def logout(self, data: st.DataObject) -> None:
        session_id = data.draw(st.sampled_from(list(self.model)), label="session")
        self.service.logout(self.principal(session_id))
        self.model[session_id].stored = False

    @rule()
    def logout_all(self) -> None:
        ended = self.service.logout_all(acting(self.customer_id))
        assert ended == sum(session.stored for session in self.model.values())
        for session in self.model.values():
            session.stored = False

    @rule(step=st.sampled_from(CLOCK_STEPS))
    def advance_the_clock(self, step: dt.timedelta) -> None:
        self.clock.advance(step)

    @precondition(has_usable_sessions)
    @rule(data=st.data(), offset=st.sampled_from([-dt.timedelta(milliseconds=1), dt.timedelta(0)]))
    def advance_the_clock_to_a_session_expiry(self, data: st.DataObject, offset: dt.timedelta) -> None:
        usable = [session_id for session_id, session in self.model.items() if session.usable(self.now())]
        session = self.model[data.draw(st.sampled_from(usable), label="session")]
        self.clock.advance(session.end + offset - self.now())

    @invariant()
    def sessions_listed_are_the_usable_ones(self) -> None:
        listed = self.service.list_sessions(self.principal(""))
        expected = {session_id for session_id, session in self.model.items() if session.usable(self.now())}
        assert {view.id for view in listed} == expected
        assert len(listed) == len(expected)

    @invariant()
    def access_tokens_authenticate_only_while_their_session_is_usable(self) -> None:
        for session_id, session in self.model.items():
            for access_token in session.access_tokens:
                try:
                    principal = self.service.authenticate(access_token)
                except Unauthenticated:
                    assert not session.usable(self.now()), "an access token of a live session was refused"
                    continue
                assert session.usable(self.now()), "an access token of an ended or expired session was accepted"
                assert principal == self.principal(session_id)


TestSessionRotation = SessionRotationMachine.TestCase
TestSessionRotation.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
