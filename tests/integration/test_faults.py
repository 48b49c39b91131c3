"""Crashes during a burst of registrations: the API process or the embedded
store killed with SIGKILL. Once the service is started again, every
registration that was answered 201 logs in: an acknowledged write survives."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.serving import children, command_line, fresh, serving
from tests.support import API, PASSWORD, unique_email

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(bool(os.environ.get("CS_TEST_MONGODB_URI")), reason="runs the embedded store itself"),
]
CLIENTS = 8


def register_until_it_fails(url: str, registered: list[str], stop: threading.Event) -> None:
    """Register new customers back to back; note each email answered 201."""
    while not stop.is_set():
        email = unique_email("burst")
        body = {"email": email, "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}
        try:
            with fresh(url) as client:
                if client.post(f"{API}/auth/register", json=body).status_code == 201:
                    registered.append(email)
        except httpx.HTTPError:
            return  # the service is gone


def burst_then(url: str, kill: Callable[[], None]) -> list[str]:
    registered: list[str] = []
    stop = threading.Event()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for _ in range(CLIENTS):
            pool.submit(register_until_it_fails, url, registered, stop)
        time.sleep(1.5)
        kill()
        time.sleep(1)
        stop.set()
    return registered


def logs_in(url: str, email: str) -> bool:
    with fresh(url) as client:
        return client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200


@pytest.mark.parametrize("victim", ["API", "store"])
def test_every_registration_answered_201_survives_a_kill_9(tmp_path, victim):
    with serving(tmp_path, CS_LOG_LEVEL="WARNING", CS_REGISTER_RATE_LIMIT="100000") as first:
        store = next(pid for pid in children(first.server.pid) if "secantus" in command_line(pid))
        registered = burst_then(
            first.url, lambda: os.kill(first.server.pid if victim == "API" else store, signal.SIGKILL)
        )
    if victim == "API":  # the store it left behind stops when its parent dies
        deadline = time.monotonic() + 30
        while Path(f"/proc/{store}").exists() and "zombie" not in Path(f"/proc/{store}/status").read_text():
            assert time.monotonic() < deadline, "the orphaned store kept running"
            time.sleep(0.1)

    with serving(tmp_path, CS_LOG_LEVEL="WARNING", CS_LOGIN_RATE_LIMIT="100000") as second:
        failed = [email for email in registered if not logs_in(second.url, email)]

    assert len(registered) >= CLIENTS  # the burst got going before the kill
    assert failed == []
