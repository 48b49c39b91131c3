"""The one composition root: settings -> wired services. Nothing is wired at
import time; the HTTP app and the CLI both take what they need from here."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, Literal

import attrs
from pymongo.database import Database

from adapters.clock import SystemClock
from adapters.media import HttpMediaCatalog
from adapters.memory import (
    InMemoryAddressRepository,
    InMemoryAuditLog,
    InMemoryConsentLog,
    InMemoryCustomerRepository,
    InMemoryEmailedTokens,
    InMemoryLockouts,
    InMemoryOrders,
    InMemoryOutbox,
    InMemoryPhoneCodes,
    InMemoryRateLimiter,
    InMemoryServiceClients,
    InMemorySessionRepository,
    InMemorySignedInCustomers,
    InMemoryUnitOfWork,
)
from adapters.mongo import (
    MongoAddressRepository,
    MongoAuditLog,
    MongoConsentLog,
    MongoCustomerRepository,
    MongoEmailedTokens,
    MongoLockouts,
    MongoOutbox,
    MongoPhoneCodes,
    MongoRateLimiter,
    MongoSessionRepository,
    MongoSignedInCustomers,
    MongoUnitOfWork,
    ObjectIds,
    connect,
    ensure_indexes,
    ping,
    with_our_codecs,
)
from adapters.mongo.data_key_rotation import DataKeyRotation
from adapters.mongo.orders import MongoOrders, MongoServiceClients
from adapters.notifications.transports import ChannelRouter, HttpNotificationTransport, MailLogTransport
from adapters.notifications.webhooks import OutboxCustomerEvents, StandardWebhookTransport
from adapters.postal import I18nPostalRules
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.data_keys import DataKeys
from adapters.security.keyed_hashes import DataKeyHasher
from adapters.security.keys import KeyRing
from adapters.security.passwords import BcryptHasher, common_passwords
from customer_core import CustomerService, LockoutPolicy, PasswordPolicy, Policies, Ports
from customer_core.lockout import RateLimit
from customer_core.notifications import Links
from customer_core.orders import LoyaltyPolicy
from customer_core.outbox import RetryPolicy
from customer_core.ports import Clock, MessageQueue
from customer_core.use_cases.delivery import DeliverNextMessage
from customer_core.values import Currency
from entrypoints.outbox_worker import OutboxWorker
from entrypoints.settings import Settings

Storage = Literal["mongo", "memory"]
READINESS_TIMEOUT_SECONDS = 1.0


@attrs.frozen
class DependencyStatus:
    status: str  # "up"; "down", which makes the service unready; or "degraded"
    latency_ms: float


@attrs.frozen
class ReadinessCheck:
    run: Callable[[], object]  # returns when healthy, raises otherwise
    # Without the database nothing works; without the Notifications or Media
    # Service or the events receiver, messages and events wait in the outbox
    # and images cannot change.
    required: bool = True


@attrs.define
class Wiring:
    settings: Settings
    service: CustomerService
    key_ring: KeyRing
    outbox: MessageQueue
    outbox_worker: OutboxWorker
    readiness_checks: dict[str, ReadinessCheck]
    close: Callable[[], None]
    # None with in-memory storage, which seals nothing
    data_key_rotation: DataKeyRotation | None = None

    def readiness(self) -> dict[str, DependencyStatus]:
        """Every check at once, each given ``READINESS_TIMEOUT_SECONDS``: a
        dependency that takes longer counts as failing, and is not waited for
        (a check may overrun its own timeout: with the database gone, pymongo's
        server selection, which polls every half second, fails after 1.5 s)."""
        started = time.perf_counter()

        def failing(check: ReadinessCheck) -> str:
            return "down" if check.required else "degraded"

        def probe(check: ReadinessCheck) -> DependencyStatus:
            try:
                check.run()
                status = "up"
            except Exception:  # any failure, a timeout included
                status = failing(check)
            return DependencyStatus(status, round((time.perf_counter() - started) * 1000, 2))

        pool = ThreadPoolExecutor(max_workers=len(self.readiness_checks) or 1)
        running = {name: pool.submit(probe, check) for name, check in self.readiness_checks.items()}
        pool.shutdown(wait=False)  # a check still running when the time is up ends on its own
        wait(running.values(), timeout=READINESS_TIMEOUT_SECONDS)
        overdue = round((time.perf_counter() - started) * 1000, 2)
        return {
            name: future.result() if future.done() else DependencyStatus(failing(self.readiness_checks[name]), overdue)
            for name, future in running.items()
        }


@attrs.frozen(kw_only=True)
class _Stores:
    """Where the data lives: the storage ports, with health checks and what to close."""

    customers: Any
    lockouts: Any
    sessions: Any
    signed_in: Any
    emailed_tokens: Any
    phone_codes: Any
    addresses: Any
    orders: Any
    service_clients: Any
    rate_limiter: Any
    uow: Any
    outbox: Any  # the Notifier that queues messages, and the MessageQueue that hands them out
    audit_log: Any
    consents: Any
    data_key_rotation: DataKeyRotation | None = None
    checks: dict[str, ReadinessCheck] = attrs.Factory(dict)
    closers: list[Callable[[], None]] = attrs.Factory(list)


def _mongo_stores(settings: Settings, clock: Clock, data_keys: DataKeys, database: Database[Any] | None) -> _Stores:
    if database is not None:  # the host application's: it closes its client itself
        client, db, closers = database.client, with_our_codecs(database), []
    elif settings.mongodb_uri:
        client, db = connect(settings.mongodb_uri, settings.db_name)
        closers = [client.close]
    else:
        raise ValueError("CS_MONGODB_URI is not set")
    ensure_indexes(db)
    return _Stores(
        customers=MongoCustomerRepository(db, data_keys),
        lockouts=MongoLockouts(db),
        sessions=MongoSessionRepository(db),
        signed_in=MongoSignedInCustomers(db, data_keys),
        emailed_tokens=MongoEmailedTokens(db),
        phone_codes=MongoPhoneCodes(db),
        addresses=MongoAddressRepository(db, data_keys),
        orders=MongoOrders(db),
        service_clients=MongoServiceClients(db),
        rate_limiter=MongoRateLimiter(db),
        uow=MongoUnitOfWork(client, db.write_concern),
        outbox=MongoOutbox(db, clock, data_keys),
        audit_log=MongoAuditLog(db, retention=settings.audit_retention),
        consents=MongoConsentLog(db),
        data_key_rotation=DataKeyRotation(db, data_keys),
        checks={"database": ReadinessCheck(lambda: ping(client, timeout_seconds=READINESS_TIMEOUT_SECONDS))},
        closers=closers,
    )


def _memory_stores(clock: Clock) -> _Stores:
    customers, sessions = InMemoryCustomerRepository(), InMemorySessionRepository()
    return _Stores(
        customers=customers,
        lockouts=InMemoryLockouts(),
        sessions=sessions,
        signed_in=InMemorySignedInCustomers(customers, sessions),
        emailed_tokens=InMemoryEmailedTokens(),
        phone_codes=InMemoryPhoneCodes(),
        addresses=InMemoryAddressRepository(),
        orders=InMemoryOrders(),
        service_clients=InMemoryServiceClients(),
        rate_limiter=InMemoryRateLimiter(),
        uow=InMemoryUnitOfWork(),
        outbox=InMemoryOutbox(clock),
        audit_log=InMemoryAuditLog(),
        consents=InMemoryConsentLog(),
    )


def bootstrap(
    settings: Settings | None = None,
    *,
    storage: Storage = "mongo",
    database: Database[Any] | None = None,
    clock: Clock | None = None,
) -> Wiring:
    """The service wired from ``settings`` (defaults, when None), its data in
    MongoDB or, for tests and demos, in memory (``storage="memory"``).
    MongoDB is ``database`` when given (a host application's own, with its
    client's write concern; transactions need a replica set), else
    ``settings.mongodb_uri`` in ``settings.db_name``."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    # Sealing at rest (MongoDB) and the keyed digests of phone codes (either store).
    data_keys = DataKeys(settings.data_keys_directory)
    data_keys.ensure_key(clock.now())
    stores = _mongo_stores(settings, clock, data_keys, database) if storage == "mongo" else _memory_stores(clock)
    keys = KeyRing(settings.signing_keys_dir)
    keys.ensure_key(clock.now())
    media = (
        HttpMediaCatalog(settings.media_url, timeout_seconds=settings.media_timeout_seconds)
        if settings.media_url
        else None
    )
    ports = Ports(
        customers=stores.customers,
        lockouts=stores.lockouts,
        sessions=stores.sessions,
        signed_in=stores.signed_in,
        emailed_tokens=stores.emailed_tokens,
        phone_codes=stores.phone_codes,
        addresses=stores.addresses,
        orders=stores.orders,
        service_clients=stores.service_clients,
        rate_limiter=stores.rate_limiter,
        uow=stores.uow,
        notifier=stores.outbox,
        audit_log=stores.audit_log,
        consents=stores.consents,
        hasher=BcryptHasher(rounds=settings.bcrypt_rounds, parallelism=settings.cores),
        keyed_hasher=DataKeyHasher(data_keys),
        access_tokens=JwtAccessTokens(
            keys=keys, issuer=settings.issuer, audience=settings.token_audience, ttl=settings.access_ttl
        ),
        postal_rules=I18nPostalRules(),
        clock=clock,
        ids=ObjectIds(),
        media=media,
        customer_events=OutboxCustomerEvents(stores.outbox) if settings.events_url else None,
    )
    policies = Policies(
        password_policy=PasswordPolicy(common=common_passwords()),
        lockout=LockoutPolicy(
            threshold=settings.lockout_threshold, duration=dt.timedelta(seconds=settings.lockout_seconds)
        ),
        refresh_ttl=settings.refresh_ttl,
        session_max=dt.timedelta(seconds=settings.session_max_seconds),
        links=Links(settings.public_url),
        require_verified_email=settings.require_verified_email,
        login_rate=RateLimit(limit=settings.login_rate_limit),
        reset_request_rate=RateLimit(limit=settings.reset_request_rate_limit),
        register_rate=RateLimit(limit=settings.register_rate_limit),
        consent_policy_version=settings.consent_policy_version,
        base_currency=Currency(settings.base_currency),
        loyalty=LoyaltyPolicy(points_per_unit=settings.loyalty_points_per_unit),
    )
    transport = (
        HttpNotificationTransport(settings.notifications_url, timeout_seconds=settings.notifications_timeout_seconds)
        if settings.notifications_url
        else MailLogTransport(settings.data_dir / "mail.log")
    )
    events = (
        StandardWebhookTransport(
            settings.events_url,
            settings.events_secret or "",
            clock,
            timeout_seconds=settings.notifications_timeout_seconds,
        )
        if settings.events_url
        else None
    )
    deliver_next = DeliverNextMessage(
        queue=stores.outbox,
        transport=ChannelRouter(transport, events),
        clock=clock,
        policy=RetryPolicy(
            max_attempts=settings.outbox_max_attempts,
            base_delay=dt.timedelta(seconds=settings.outbox_retry_base_seconds),
            max_delay=dt.timedelta(seconds=settings.outbox_retry_max_seconds),
            lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
        ),
        owner=f"{socket.gethostname()}:{os.getpid()}",
    )
    checks = dict(stores.checks)
    closers = [*stores.closers, transport.close]
    if isinstance(transport, HttpNotificationTransport):
        checks["notifications"] = ReadinessCheck(
            lambda: transport.check(timeout_seconds=READINESS_TIMEOUT_SECONDS), required=False
        )
    if events is not None:
        checks["events"] = ReadinessCheck(
            lambda: events.check(timeout_seconds=READINESS_TIMEOUT_SECONDS), required=False
        )
        closers.append(events.close)
    if media is not None:
        checks["media"] = ReadinessCheck(lambda: media.check(timeout_seconds=READINESS_TIMEOUT_SECONDS), required=False)
        closers.append(media.close)

    def close() -> None:
        for closer in reversed(closers):
            closer()

    return Wiring(
        settings=settings,
        service=CustomerService.assemble(ports, policies),
        key_ring=keys,
        outbox=stores.outbox,
        outbox_worker=OutboxWorker(deliver_next),
        readiness_checks=checks,
        close=close,
        data_key_rotation=stores.data_key_rotation,
    )
