"""The database gone for a few seconds while the app runs: meanwhile what
needs it answers 503 promptly; once it is back at the same address, the app
recovers without a restart and every queued message is delivered."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import httpx
import pytest

from adapters.embedded_store import EmbeddedStore
from customer_core.outbox import Status
from tests.integration.test_outbox_reliability import FAST_RETRIES, all_delivered, expected_messages, wait_until
from tests.support import API, PASSWORD, assert_problem, bearer, free_port, register, unique_email

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(bool(os.environ.get("CS_TEST_MONGODB_URI")), reason="runs the embedded store itself"),
]
OUTAGE_SECONDS = 3.0


def timed(send: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def test_the_database_gone_for_a_few_seconds_answers_503_then_all_is_back_and_no_message_is_lost(
    make_app, notifications, tmp_path
):
    pytest.importorskip("secantus")
    store = EmbeddedStore(tmp_path / "store", port=free_port())  # a fixed port: back at the same address
    uri = store.start()
    try:
        running = make_app(
            settings_changes={
                **FAST_RETRIES,
                "mongodb_uri": f"{uri}&serverSelectionTimeoutMS=300",
                "notifications_url": notifications.url,
            }
        )
        client, outbox = running.client, running.wiring.outbox
        notifications.mode = "fail"  # every message stays queued, retried, until the database goes
        registered = [register(client, email=unique_email("outage")) for _ in range(4)]
        emails = [customer["customer"]["email"] for customer in registered]
        wait_until(lambda: len(notifications.received) >= 2, what="a first failed delivery")
        before_the_outage = outbox.counts()
        store.stop()

        notifications.mode = "ok"
        login, me = {"email": emails[0], "password": PASSWORD}, bearer(registered[0]["tokens"])
        answers: list[tuple[str, httpx.Response, float]] = []
        outage_ends = time.monotonic() + OUTAGE_SECONDS
        while time.monotonic() < outage_ends:
            answers.append(("ready", *timed(lambda: client.get("/health/ready"))))
            answers.append(("login", *timed(lambda: client.post(f"{API}/auth/login", json=login))))
            answers.append(("me", *timed(lambda: client.get(f"{API}/me", headers=me))))

        store.start()
        wait_until(lambda: client.get("/health/ready").status_code == 200, timeout=10, what="readiness")
        logins = [client.post(f"{API}/auth/login", json={"email": e, "password": PASSWORD}) for e in emails]
        late = register(client, email=unique_email("after-outage"))
        expected = expected_messages([*emails, late["customer"]["email"]])
        wait_until(lambda: all_delivered(notifications, expected), timeout=15, what="delivery of every message")
        wait_until(lambda: outbox.counts()[Status.DELIVERED] == len(expected), what="every message marked delivered")
        after_the_outage = outbox.counts()
    finally:
        store.stop()

    assert before_the_outage[Status.DELIVERED] == 0
    assert before_the_outage[Status.PENDING] + before_the_outage[Status.IN_FLIGHT] == 8
    ready = [(response, seconds) for name, response, seconds in answers if name == "ready"]
    assert len(ready) >= 2
    for response, seconds in ready:
        assert response.status_code == 503 and response.json()["dependencies"]["database"]["status"] == "down"
        assert seconds < 1.3, seconds
    for name, response, seconds in answers:
        if name != "ready":
            assert_problem(response, 503, "DEPENDENCY_UNAVAILABLE")
            assert seconds < 3.0, (name, seconds)
    assert [response.status_code for response in logins] == [200] * len(emails)
    attempted = {r.idempotency_key for r in notifications.received}
    delivered = {r.idempotency_key for r in notifications.delivered()}
    assert attempted == delivered and len(delivered) == len(expected) == 10
    assert after_the_outage == {Status.PENDING: 0, Status.IN_FLIGHT: 0, Status.DELIVERED: 10, Status.DEAD: 0}
