"""A flood of requests that hash passwords gets quick 503 OVERLOADED answers
instead of queueing, while requests that hash nothing keep being served."""

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from entrypoints.http import admission
from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email


def test_a_login_flood_is_refused_quickly_and_reads_go_on(make_app):
    app = make_app(settings_changes={"bcrypt_rounds": 11, "hashing_queue_seconds": 0.3, "login_rate_limit": 10_000})
    email = unique_email()
    tokens = register(app.client, email=email)["tokens"]
    flooding = threading.Event()
    reads: list[tuple[int, float]] = []

    def log_in(_: int) -> httpx.Response:
        with httpx.Client(base_url=app.url, timeout=60) as client:
            return client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})

    def read_while_flooding() -> None:
        with httpx.Client(base_url=app.url, timeout=60) as client:
            while flooding.is_set():
                started = time.monotonic()
                status = client.get(f"{API}/me", headers=bearer(tokens)).status_code
                reads.append((status, time.monotonic() - started))

    flooding.set()
    reader = threading.Thread(target=read_while_flooding)
    reader.start()
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(log_in, range(40)))
    flooding.clear()
    reader.join()

    overloaded = [answer for answer in answers if answer.status_code == 503]
    assert {answer.status_code for answer in answers} == {200, 503}
    assert overloaded
    for answer in overloaded:
        assert_problem(answer, 503, "OVERLOADED")
        assert int(answer.headers["retry-after"]) >= 1
        assert answer.elapsed.total_seconds() < 3
    assert reads and all(status == 200 for status, _ in reads)
    assert sorted(seconds for _, seconds in reads)[len(reads) // 2] < 0.5


def test_clients_sending_their_body_slowly_hold_no_place_for_hashing(make_app, monkeypatch):
    monkeypatch.setattr(admission, "BODY_SECONDS", 0.5)
    app = make_app(settings_changes={"hashing_queue_seconds": 0.5, "login_rate_limit": 10_000})
    email = unique_email()
    register(app.client, email=email)
    host, port = app.url.removeprefix("http://").split(":")
    stalled = []
    for _ in range(4 * (os.cpu_count() or 1)):  # more than the gate lets through at once
        connection = socket.create_connection((host, int(port)))
        head = f"POST {API}/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        connection.sendall(f"{head}Content-Length: 100\r\n\r\n".encode())
        stalled.append(connection)

    login = app.client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    answers = [connection.recv(4096).decode() for connection in stalled]

    assert login.status_code == 200, login.text
    assert all(answer.startswith("HTTP/1.1 408") and "application/problem+json" in answer for answer in answers)
    for connection in stalled:
        connection.close()
