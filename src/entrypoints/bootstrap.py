"""The one composition root: settings -> wired services. Nothing is wired at
import time; the HTTP app and the CLI both take what they need from here."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections.abc import Callable
from typing import Any

import attrs

from adapters.clock import SystemClock
from adapters.memory import (
    ImmediateUnitOfWork,
    InMemoryActionTokens,
    InMemoryAddressRepository,
    InMemoryOutbox,
    InMemoryRateLimiter,
)
from adapters.mongo import (
    MongoActionTokens,
    MongoAddressRepository,
    MongoCustomerRepository,
    MongoOutbox,
    MongoRateLimiter,
    MongoSessionRepository,
    MongoUnitOfWork,
    ObjectIds,
    connect,
    ensure_indexes,
)
from adapters.notifications.transports import HttpNotificationTransport, LogTransport
from adapters.postal import I18nPostalRules
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.keys import KeyRing
from adapters.security.passwords import BcryptHasher, common_passwords
from customer_core import CustomerService, LockoutPolicy, PasswordPolicy, Policies, Ports
from customer_core.lockout import RateLimit
from customer_core.notifications import Links
from customer_core.outbox import RetryPolicy
from customer_core.ports import MessageQueue
from customer_core.use_cases.delivery import DeliverNextMessage
from entrypoints.outbox_worker import OutboxWorker
from entrypoints.settings import Settings


@attrs.define
class Wiring:
    settings: Settings
    service: CustomerService
    key_ring: KeyRing
    outbox: MessageQueue
    outbox_worker: OutboxWorker
    # name -> check returning None when healthy, raising otherwise
    readiness_checks: dict[str, Callable[[], None]]
    close: Callable[[], None]

    def readiness(self) -> dict[str, dict[str, Any]]:
        report = {}
        for name, check in self.readiness_checks.items():
            started = time.perf_counter()
            try:
                check()
                status = "up"
            except Exception:  # any failure means "not ready"; the detail goes to the log
                status = "down"
            report[name] = {"status": status, "latencyMs": round((time.perf_counter() - started) * 1000, 2)}
        return report


def bootstrap(settings: Settings, **overrides: Any) -> Wiring:
    """``overrides`` replace ports by name (``customers=``, ``clock=``, ...);
    with both repositories given, no database is opened and the rest of the
    storage is in memory too."""
    clock = overrides.get("clock") or SystemClock()
    keys = KeyRing(settings.signing_keys_dir)
    keys.ensure_key(clock.now())
    checks: dict[str, Callable[[], None]] = {}
    closers: list[Callable[[], None]] = []
    if {"customers", "sessions"} <= overrides.keys():
        outbox: Any = InMemoryOutbox(clock)
        storage: dict[str, Any] = {
            "action_tokens": InMemoryActionTokens(),
            "uow": ImmediateUnitOfWork(),
            "addresses": InMemoryAddressRepository(),
            "rate_limiter": InMemoryRateLimiter(),
        }
    else:
        if not settings.mongodb_uri:
            raise ValueError("CS_MONGODB_URI is not set and no repositories were given")
        client, db = connect(settings.mongodb_uri, settings.db_name)
        closers.append(client.close)
        ensure_indexes(db)
        outbox = MongoOutbox(db, clock)
        storage = {
            "customers": MongoCustomerRepository(db),
            "sessions": MongoSessionRepository(db),
            "action_tokens": MongoActionTokens(db),
            "uow": MongoUnitOfWork(client, db.write_concern),
            "addresses": MongoAddressRepository(db),
            "rate_limiter": MongoRateLimiter(db),
        }
        checks["database"] = lambda: client.admin.command("ping")
    ports = Ports(
        **{
            "hasher": BcryptHasher(rounds=settings.bcrypt_rounds),
            "access_tokens": JwtAccessTokens(
                keys=keys, issuer=settings.issuer, audience=settings.token_audience, ttl=settings.access_ttl
            ),
            "notifier": outbox,
            "ids": ObjectIds(),
            "postal_rules": I18nPostalRules(),
            **storage,
            **overrides,
            "clock": clock,
        }
    )
    policies = Policies(
        password=PasswordPolicy(common=common_passwords()),
        lockout=LockoutPolicy(
            threshold=settings.lockout_threshold, duration=dt.timedelta(seconds=settings.lockout_seconds)
        ),
        refresh_ttl=settings.refresh_ttl,
        links=Links(settings.public_url),
        require_verified_email=settings.require_verified_email,
        login_rate=RateLimit(limit=settings.login_rate_limit),
        reset_request_rate=RateLimit(limit=settings.reset_request_rate_limit),
    )
    transport = (
        HttpNotificationTransport(settings.notifications_url, timeout_seconds=settings.notifications_timeout_seconds)
        if settings.notifications_url
        else LogTransport()
    )
    closers.append(transport.close)
    deliver_next = DeliverNextMessage(
        queue=outbox,
        transport=transport,
        clock=clock,
        policy=RetryPolicy(
            max_attempts=settings.outbox_max_attempts,
            base_delay=dt.timedelta(seconds=settings.outbox_retry_base_seconds),
            max_delay=dt.timedelta(seconds=settings.outbox_retry_max_seconds),
            lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
        ),
        owner=f"{socket.gethostname()}:{os.getpid()}",
    )
    worker = OutboxWorker(deliver_next)

    def close() -> None:
        for closer in reversed(closers):
            closer()

    return Wiring(
        settings=settings,
        service=CustomerService(ports, policies),
        key_ring=keys,
        outbox=outbox,
        outbox_worker=worker,
        readiness_checks=checks,
        close=close,
    )
