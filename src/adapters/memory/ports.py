"""Every port in memory, for embedding the core or trying it out."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from adapters.clock import SystemClock
from adapters.memory.fakes import RandomIds, RecordingNotifier
from adapters.memory.repositories import (
    ImmediateUnitOfWork,
    InMemoryActionTokens,
    InMemoryAddressRepository,
    InMemoryCustomerRepository,
    InMemoryRateLimiter,
    InMemorySessionRepository,
)
from adapters.postal import I18nPostalRules
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.keys import KeyRing
from adapters.security.passwords import BcryptHasher
from customer_core import Ports


def in_memory_ports(*, bcrypt_rounds: int = 12, **overrides: Any) -> Ports:
    """Ports with in-memory storage and real hashing and tokens; the signing
    key lives in a temporary directory. ``overrides`` replace ports by name."""
    clock = overrides.pop("clock", None) or SystemClock()
    keys = KeyRing(Path(tempfile.mkdtemp(prefix="customer-service-keys-")))
    keys.ensure_key(clock.now())
    defaults: dict[str, Any] = {
        "customers": InMemoryCustomerRepository(),
        "sessions": InMemorySessionRepository(),
        "hasher": BcryptHasher(rounds=bcrypt_rounds),
        "access_tokens": JwtAccessTokens(
            keys=keys, issuer="customer-service", audience="customer-service", ttl=dt.timedelta(hours=24)
        ),
        "notifier": RecordingNotifier(),
        "ids": RandomIds(),
        "action_tokens": InMemoryActionTokens(),
        "uow": ImmediateUnitOfWork(),
        "addresses": InMemoryAddressRepository(),
        "postal_rules": I18nPostalRules(),
        "rate_limiter": InMemoryRateLimiter(),
        "clock": clock,
    }
    return Ports(**{**defaults, **overrides})
