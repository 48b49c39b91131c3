"""The one composition root: settings -> wired services. Nothing is wired at
import time; the HTTP app and the CLI both take what they need from here."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import attrs

from adapters.clock import SystemClock
from adapters.mongo import MongoCustomerRepository, MongoSessionRepository, ObjectIds, connect, ensure_indexes
from adapters.notifications.log import LogNotifier
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.keys import KeyRing
from adapters.security.passwords import BcryptHasher, common_passwords
from customer_core import CustomerService, LockoutPolicy, PasswordPolicy, Policies, Ports
from entrypoints.settings import Settings


@attrs.define
class Wiring:
    settings: Settings
    service: CustomerService
    key_ring: KeyRing
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
    with both repositories given, no database is opened."""
    clock = overrides.get("clock") or SystemClock()
    keys = KeyRing(settings.signing_keys_dir)
    keys.ensure_key(clock.now())
    checks: dict[str, Callable[[], None]] = {}
    close: Callable[[], None] = lambda: None  # noqa: E731
    defaults: dict[str, Any] = {}
    if not {"customers", "sessions"} <= overrides.keys():
        if not settings.mongodb_uri:
            raise ValueError("CS_MONGODB_URI is not set and no repositories were given")
        client, db = connect(settings.mongodb_uri, settings.db_name)
        ensure_indexes(db)
        defaults = {"customers": MongoCustomerRepository(db), "sessions": MongoSessionRepository(db)}
        checks["database"] = lambda: client.admin.command("ping")
        close = client.close
    ports = Ports(
        **{
            "hasher": BcryptHasher(rounds=settings.bcrypt_rounds),
            "access_tokens": JwtAccessTokens(
                keys=keys, issuer=settings.issuer, audience=settings.token_audience, ttl=settings.access_ttl
            ),
            "notifier": LogNotifier(),
            "ids": ObjectIds(),
            **defaults,
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
    )
    return Wiring(
        settings=settings, service=CustomerService(ports, policies), key_ring=keys, readiness_checks=checks, close=close
    )
