"""Helpers shared by the tests."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

API = "/api/v1/customers"
PASSWORD = "correct horse battery staple"
_counter = itertools.count()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}-{time.monotonic_ns()}@example.com"


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
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
        thread.join(timeout=10)


def register(client: httpx.Client, email: str | None = None, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
    body = {"email": email or unique_email(), "password": password, "firstName": "Ada", "lastName": "Lovelace", **extra}
    response = client.post(f"{API}/auth/register", json=body)
    assert response.status_code == 201, response.text
    return response.json()


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
