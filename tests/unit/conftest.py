"""Service-level fixtures: the whole core, wired by the composition root to
in-memory storage, with a clock the test moves and the outbox it reads.
No HTTP and no database: these tests run in milliseconds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from adapters.memory import ManualClock
from customer_core import ClientInfo, Credentials, CustomerService, Registration
from customer_core.outbox import OutboxMessage, Status
from customer_core.use_cases.login import LoggedIn
from customer_core.use_cases.registration import Registered
from customer_core.values import Email
from entrypoints.bootstrap import Wiring, bootstrap
from entrypoints.settings import Settings
from tests.support import PASSWORD, unique_email

START = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
CLIENT = ClientInfo(user_agent="pytest", ip_address="192.0.2.10")


@attrs.define
class Flows:
    """The service as a client of the core uses it, and what it sent."""

    wiring: Wiring
    clock: ManualClock

    @property
    def service(self) -> CustomerService:
        return self.wiring.service

    def register(self, email: str | None = None, password: str = PASSWORD, **fields: Any) -> Registered:
        registration = Registration(
            email=Email(email or unique_email()),
            password=password,
            first_name=fields.pop("first_name", "Ada"),
            last_name=fields.pop("last_name", "Lovelace"),
            **fields,
        )
        return self.service.register(registration, CLIENT)

    def login(self, email: str, password: str = PASSWORD, client: ClientInfo = CLIENT) -> LoggedIn:
        return self.service.login(Credentials(email=email, password=password), client)

    def sent(self, template: str | None = None, to: str | None = None) -> list[OutboxMessage]:
        """Messages queued so far, oldest first (nothing is delivered here)."""
        return [
            message
            for message in self.wiring.outbox.list(Status.PENDING, limit=10_000)
            if template in (None, message.template) and to in (None, message.to)
        ]

    def token(self, template: str, to: str) -> str:
        """The token of the newest ``template`` message to ``to``."""
        messages = self.sent(template, to)
        assert messages, f"no {template} message to {to}"
        return str(messages[-1].data["token"])


@pytest.fixture
def make_flows(tmp_path: Path) -> Callable[..., Flows]:
    """``make_flows(lockout_threshold=2, ...)``: settings changed by name. Tests
    register many customers from one address, so the per-address registration
    limit is raised unless a test sets it."""

    def make(**settings: Any) -> Flows:
        settings.setdefault("register_rate_limit", 10_000)
        settings.setdefault("bcrypt_rounds", 4)
        clock = ManualClock(START)
        config = Settings(data_dir=tmp_path / f"run{len(list(tmp_path.iterdir()))}", **settings)
        return Flows(wiring=bootstrap(config, storage="memory", clock=clock), clock=clock)

    return make


@pytest.fixture
def flows(make_flows: Callable[..., Flows]) -> Flows:
    return make_flows()
