"""Concurrent requests over real HTTP: the invariants hold because the
database enforces them, not because requests happen to arrive one by one."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import bcrypt
import httpx
import pytest
from pymongo import MongoClient

from customer_core.lockout import lockout_key
from customer_core.outbox import Status
from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"

pytestmark = pytest.mark.slow


def all_at_once(url: str, count: int, request: Callable[[httpx.Client], httpx.Response]) -> list[httpx.Response]:
    """Send ``count`` requests from as many threads, each with its own
    connection, released together."""
    barrier = threading.Barrier(count)

    def worker(_: int) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=60) as client:
            client.get("/health/live")
            barrier.wait()
            return request(client)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def all_at_once_numbered(
    url: str, count: int, request: Callable[[httpx.Client, int], httpx.Response]
) -> list[httpx.Response]:
    """As ``all_at_once``, each request told its number."""
    barrier = threading.Barrier(count)

    def worker(n: int) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=60) as client:
            client.get("/health/live")
            barrier.wait()
            return request(client, n)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


@pytest.fixture
def bcrypt_checks(monkeypatch: pytest.MonkeyPatch) -> Counter[bytes]:
    """How many times bcrypt compared a password with each stored hash."""
    counted: Counter[bytes] = Counter()
    lock = threading.Lock()
    compare = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        with lock:
            counted[hashed] += 1
        return compare(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    return counted


def stored_hash(db: Any, email: str) -> bytes:
    return str(db.customers.find_one({"email": email})["passwordHash"]).removeprefix("bcrypt-hmac-sha256$").encode()


def locked(db: Any, key: str) -> bool:
    return (db.lockouts.find_one({"_id": key}) or {}).get("lockedUntil") is not None


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def codes(responses: list[httpx.Response]) -> Counter[tuple[int, str | None]]:
    return Counter((r.status_code, r.json().get("code") if r.status_code >= 400 else None) for r in responses)


def test_simultaneous_registrations_of_one_email_create_one_account(app):
    email = unique_email("race")
    body = {"email": email, "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}

    responses = all_at_once(app.url, 20, lambda client: client.post(f"{AUTH}/register", json=body))

    assert codes(responses) == {(201, None): 1, (409, "EMAIL_TAKEN"): 19}
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409, "EMAIL_TAKEN")
    settings = app.wiring.settings
    with MongoClient(settings.mongodb_uri) as mongo:
        assert mongo[settings.db_name].customers.count_documents({"email": email}) == 1


def test_simultaneous_refreshes_of_one_token_succeed_once_and_end_the_session(app):
    email = unique_email()
    tokens = register(app.client, email=email)["tokens"]
    other_session = app.client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD}).json()["tokens"]

    responses = all_at_once(
        app.url, 20, lambda client: client.post(f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]})
    )

    assert codes(responses) == {(200, None): 1, (401, "TOKEN_INVALID"): 19}
    # Every loser presented a token that the winner had just used: a replay.
    # Replays revoke the session, so even the winner's new tokens are dead
    # (secure by default: a stolen token raced against its owner ends both).
    winner = next(r for r in responses if r.status_code == 200).json()["tokens"]
    assert_problem(app.client.get(f"{API}/me", headers=bearer(winner)), 401, "UNAUTHENTICATED")
    assert_problem(
        app.client.post(f"{AUTH}/refresh", json={"refreshToken": winner["refreshToken"]}), 401, "TOKEN_INVALID"
    )
    assert_problem(app.client.get(f"{API}/me", headers=bearer(tokens)), 401, "UNAUTHENTICATED")
    assert app.client.get(f"{API}/me", headers=bearer(other_session)).status_code == 200


def test_simultaneous_wrong_passwords_are_checked_at_most_threshold_times_and_lock_once(make_app, bcrypt_checks, db):
    app = make_app(settings_changes={"lockout_threshold": 5, "outbox_dispatcher": False})
    email = unique_email()
    register(app.client, email=email)
    wrong: dict[str, Any] = {"email": email, "password": "not the password"}

    responses = all_at_once(app.url, 30, lambda client: client.post(f"{AUTH}/login", json=wrong))

    assert codes(responses) == {(401, "INVALID_CREDENTIALS"): 30}
    assert bcrypt_checks[stored_hash(db, email)] == 5
    queued = app.wiring.outbox.list(Status.PENDING, limit=1000)
    locked = [message for message in queued if message.template == "account_locked"]
    assert [message.to for message in locked] == [email]
    right = {"email": email, "password": PASSWORD}
    assert_problem(app.client.post(f"{AUTH}/login", json=right), 401, "INVALID_CREDENTIALS")
    assert bcrypt_checks[stored_hash(db, email)] == 5


def test_the_right_password_arriving_once_the_threshold_is_reached_fails_like_the_guesses(make_app, bcrypt_checks, db):
    # A loaded machine may be slow to hash: no request may be turned away as OVERLOADED here.
    app = make_app(settings_changes={"lockout_threshold": 5, "hashing_queue_seconds": 30.0})
    email = unique_email()
    register(app.client, email=email)
    wrong: dict[str, Any] = {"email": email, "password": "not the password"}
    right = {"email": email, "password": PASSWORD}
    key = lockout_key(email)

    def guess_or_wait_then_log_in(client: httpx.Client, n: int) -> httpx.Response:
        if n < 39:
            return client.post(f"{AUTH}/login", json=wrong)
        wait_until(lambda: (db.lockouts.find_one({"_id": key}) or {}).get("checks") == 5 or locked(db, key))
        return client.post(f"{AUTH}/login", json=right)

    responses = all_at_once_numbered(app.url, 40, guess_or_wait_then_log_in)

    assert codes(responses) == {(401, "INVALID_CREDENTIALS"): 40}
    assert bcrypt_checks[stored_hash(db, email)] <= 5


def test_simultaneous_wrong_current_passwords_count_toward_the_same_lockout(make_app, bcrypt_checks, db):
    app = make_app(settings_changes={"lockout_threshold": 5})
    email = unique_email()
    tokens = register(app.client, email=email)["tokens"]
    change = {"currentPassword": "not the password", "newPassword": "a brand new passphrase"}

    responses = all_at_once(
        app.url, 20, lambda client: client.post(f"{AUTH}/password/change", json=change, headers=bearer(tokens))
    )

    assert codes(responses) == {(403, "INVALID_CREDENTIALS"): 20}
    assert bcrypt_checks[stored_hash(db, email)] == 5
    right = {"currentPassword": PASSWORD, "newPassword": "a brand new passphrase"}
    assert_problem(
        app.client.post(f"{AUTH}/password/change", json=right, headers=bearer(tokens)), 403, "INVALID_CREDENTIALS"
    )
    assert_problem(
        app.client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD}), 401, "INVALID_CREDENTIALS"
    )
