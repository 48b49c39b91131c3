"""Helpers shared by the tests."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import bcrypt
import httpx
import uvicorn

from adapters.memory import (
    InMemoryAddressRepository,
    InMemoryAuditLog,
    InMemoryConsentLog,
    InMemoryCustomerRepository,
    InMemoryEmailedTokens,
    InMemoryLockouts,
    InMemoryOrders,
    InMemoryPhoneCodes,
    InMemoryRateLimiter,
    InMemoryServiceClients,
    InMemorySessionRepository,
    InMemorySignedInCustomers,
    InMemoryUnitOfWork,
    RandomIds,
    RecordingNotifier,
)
from adapters.postal import I18nPostalRules
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.data_keys import DataKeys
from adapters.security.keyed_hashes import DataKeyHasher
from adapters.security.keys import KeyRing
from adapters.security.passwords import BcryptHasher, common_passwords
from customer_core import PasswordPolicy, Policies, Ports, Principal
from customer_core.addresses import AddressFields
from customer_core.use_cases.recording import Recorder
from customer_core.values import CountryCode, Id

API = "/api/v1/customers"
ACCESS_TTL = dt.timedelta(minutes=15)
PASSWORD = "correct horse battery staple"
_counter = itertools.count()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}-{time.monotonic_ns()}@example.com"


@contextmanager
def serve_in_thread(app: Any, *, wait_for_exit: bool = True) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port; yield its base
    URL. Without ``wait_for_exit`` the server is told to stop and left to it
    (uvicorn takes 0.2 s to stop, however idle)."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on", proxy_headers=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        if wait_for_exit:
            thread.join(timeout=10)


def register(client: httpx.Client, email: str | None = None, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
    body = {"email": email or unique_email(), "password": password, "firstName": "Ada", "lastName": "Lovelace", **extra}
    response = client.post(f"{API}/auth/register", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def cli_error(result: Any) -> str:
    """The ``error: ...`` line a failed CLI command printed on stderr."""
    return next(line for line in result.stderr.splitlines() if line.startswith("error: "))


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['accessToken']}"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["requestId"] == response.headers["x-request-id"]
    assert set(body) >= {"type", "title", "status", "detail", "code", "requestId"}
    return body


def run_together(work: Callable[[int], Any], threads: int = 20) -> list[Any]:
    """Run ``work(n)`` on ``threads`` threads released at once; return each
    result or the exception it raised."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads

    def run(n: int) -> None:
        barrier.wait()
        try:
            results[n] = work(n)
        except Exception as error:  # the caller inspects it
            results[n] = error

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return results


# An address every country rule accepts, for service-level tests.
HOME = AddressFields(
    first_name="Ada",
    last_name="Lovelace",
    street="12 Analytical Row",
    city="Springfield",
    country=CountryCode("US"),
    state="IL",
    postal_code="62701",
)
LEGACY_PASSWORD = "Legacy-Pass-1"


def acting(customer_id: str, session_id: str = "0" * 24) -> Principal:
    """The customer as the principal of a service-level call."""
    return Principal(customer_id=Id(customer_id), session_id=Id(session_id))


def legacy_hash(kind: str = "2b", cost: int = 5, password: str = LEGACY_PASSWORD) -> str:
    """A plain bcrypt hash as the previous (Node.js) service stored it, of
    the first 72 bytes; $2y$ is PHP's name for $2b$."""
    salt = bcrypt.gensalt(cost, prefix=b"2a" if kind == "2a" else b"2b")
    made = bcrypt.hashpw(password.encode()[:72], salt).decode()
    return made.replace("$2b$", f"${kind}$", 1)


def legacy_export_line(n: int, email: str, password_hash: str, **fields: Any) -> bytes:
    """Customer number ``n`` as ``mongoexport`` wrote the previous service's."""
    document = {
        "_id": {"$oid": f"5f1d7a3e2b4c1a00123456{n:02x}"},
        "email": email,
        "password": password_hash,
        "firstName": "Ada",
        "lastName": "Lovelace",
        "emailVerified": True,
        "createdAt": {"$date": "2020-07-26T10:00:00.000Z"},
        **fields,
    }
    return json.dumps(document).encode() + b"\n"


def memory_ports(clock: Any, keys_dir: Path, **replacing: Any) -> Ports:
    """Every port in memory (hashing at bcrypt's lowest cost), with some
    replaced by name: for driving use cases against other stores."""
    keys = KeyRing(keys_dir)
    keys.ensure_key(clock.now())
    data_keys = DataKeys(keys_dir / "data-keys")
    data_keys.ensure_key(clock.now())
    customers = replacing.get("customers", InMemoryCustomerRepository())
    sessions = replacing.get("sessions", InMemorySessionRepository())
    ports = {
        "customers": customers,
        "lockouts": InMemoryLockouts(),
        "sessions": sessions,
        "signed_in": InMemorySignedInCustomers(customers, sessions),
        "emailed_tokens": InMemoryEmailedTokens(),
        "phone_codes": InMemoryPhoneCodes(),
        "addresses": InMemoryAddressRepository(),
        "orders": InMemoryOrders(),
        "service_clients": InMemoryServiceClients(),
        "rate_limiter": InMemoryRateLimiter(),
        "uow": InMemoryUnitOfWork(),
        "notifier": RecordingNotifier(),
        "audit_log": InMemoryAuditLog(),
        "consents": InMemoryConsentLog(),
        "hasher": BcryptHasher(rounds=4),
        "keyed_hasher": DataKeyHasher(data_keys),
        "access_tokens": JwtAccessTokens(keys=keys, issuer="https://auth.test", audience="customers", ttl=ACCESS_TTL),
        "postal_rules": I18nPostalRules(),
        "clock": clock,
        "ids": RandomIds(),
    }
    return Ports(**{**ports, **replacing})


def memory_recorder(clock: Any, customers: InMemoryCustomerRepository) -> Recorder:
    """A recorder keeping its records in memory, for use cases built by hand."""
    return Recorder(
        audit_log=InMemoryAuditLog(),
        consents=InMemoryConsentLog(),
        customers=customers,
        ids=RandomIds(),
        clock=clock,
        uow=InMemoryUnitOfWork(),
        consent_policy_version="1",
        customer_events=None,
    )


def policies(**changes: Any) -> Policies:
    return Policies(password_policy=PasswordPolicy(common=common_passwords()), **changes)
