"""A flood of requests that hash passwords gets quick 503 OVERLOADED answers
instead of queueing, while requests that hash nothing keep being served."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

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
