"""Outgoing messages over real HTTP: a Notifications Service that fails or
hangs slows no request and loses no message, and no message is accepted twice."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.clock import SystemClock
from customer_core.outbox import Status
from tests.notifications_standin import NotificationsStandIn, Received
from tests.support import API, register, unique_email

T = TypeVar("T")
TEMPLATES = ("welcome", "email_verification")
FAST_RETRIES = {
    "outbox_retry_base_seconds": 0.1,
    "outbox_retry_max_seconds": 1.0,
    "notifications_timeout_seconds": 1.0,
    "outbox_lease_seconds": 5.0,
}

pytestmark = pytest.mark.slow


def wait_until(check: Callable[[], T], *, timeout: float = 30.0, what: str = "the condition") -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def expected_messages(emails: list[str]) -> set[tuple[str, str]]:
    return {(template, email) for email in emails for template in TEMPLATES}


def requests_by_message(received: list[Received]) -> dict[tuple[str, str], list[Received]]:
    grouped: dict[tuple[str, str], list[Received]] = defaultdict(list)
    for request in received:
        grouped[request.body["template"], request.body["to"]].append(request)
    return grouped


def all_delivered(notifications: NotificationsStandIn, expected: set[tuple[str, str]]) -> bool:
    return {(r.body["template"], r.body["to"]) for r in notifications.delivered()} >= expected


def test_an_outage_slows_no_request_and_loses_no_message(notifying_app, notifications):
    notifications.hang_seconds = 2.0
    emails: dict[str, list[str]] = {"fail": [], "hang": []}
    for mode in ("fail", "hang"):
        notifications.mode = mode
        for _ in range(5):
            email = unique_email(mode)
            started = time.monotonic()
            register(notifying_app.client, email=email)
            assert time.monotonic() - started < 2.0, f"registering took too long while the service was {mode}"
            emails[mode].append(email)
        time.sleep(2.5)
    notifications.mode = "ok"
    expected = expected_messages(emails["fail"] + emails["hang"])

    wait_until(lambda: all_delivered(notifications, expected), what="delivery of every message")
    time.sleep(1.0)

    by_message = requests_by_message(notifications.received)
    assert set(by_message) == expected
    keys = {message: {r.idempotency_key for r in requests} for message, requests in by_message.items()}
    assert all(len(used) == 1 and None not in used for used in keys.values()), keys
    assert len(set.union(*keys.values())) == len(expected)
    assert Counter(r.idempotency_key for r in notifications.delivered()) == Counter(set.union(*keys.values()))
    assert all(
        any(r.status == 500 for r in by_message[template, email]) for email in emails["fail"] for template in TEMPLATES
    )
    outbox = notifying_app.wiring.outbox
    assert any((m.last_error or "").startswith("ReadTimeout") for m in outbox.list(Status.DELIVERED, limit=100))
    assert outbox.counts() == {
        Status.PENDING: 0,
        Status.IN_FLIGHT: 0,
        Status.DELIVERED: len(expected),
        Status.DEAD: 0,
    }


def test_two_instances_dispatching_together_deliver_each_message_once(make_app, notifications):
    changes = {**FAST_RETRIES, "notifications_url": notifications.url, "outbox_dispatcher": False}
    instances = [make_app(settings_changes=changes), make_app(settings_changes=changes)]
    emails = [unique_email("pair") for _ in range(15)]
    for n, email in enumerate(emails):
        register(instances[n % 2].client, email=email)
    expected = expected_messages(emails)
    assert instances[0].wiring.outbox.counts()[Status.PENDING] == len(expected) == 30

    for instance in instances:
        instance.wiring.outbox_worker.start()
    wait_until(lambda: all_delivered(notifications, expected), what="delivery of every message")
    time.sleep(1.5)

    assert set(requests_by_message(notifications.received)) == expected
    accepted = Counter(r.idempotency_key for r in notifications.delivered())
    assert len(accepted) == 30 and set(accepted.values()) == {1}, accepted
    assert len(notifications.received) == 30
    assert instances[1].wiring.outbox.counts()[Status.DELIVERED] == 30


def test_a_message_that_keeps_failing_ends_dead_loses_its_link_and_the_rest_is_delivered_once_requeued(
    make_app, notifications
):
    notifications.mode = "fail"
    app = make_app(settings_changes={**FAST_RETRIES, "notifications_url": notifications.url, "outbox_max_attempts": 2})
    email = unique_email("dead")
    register(app.client, email=email)
    outbox = app.wiring.outbox

    wait_until(lambda: outbox.counts()[Status.DEAD] == 2, what="both messages ending dead")
    time.sleep(0.5)

    assert outbox.counts() == {Status.PENDING: 0, Status.IN_FLIGHT: 0, Status.DELIVERED: 0, Status.DEAD: 2}
    dead = outbox.list(Status.DEAD)
    assert sorted(m.template for m in dead) == sorted(TEMPLATES)
    assert all(m.attempts == 2 and m.last_error == "HTTP 500" and m.to == email for m in dead)
    assert Counter(r.idempotency_key for r in notifications.received) == {m.id: 2 for m in dead}

    [verification] = [m for m in dead if m.template == "email_verification"]
    assert verification.secrets_removed and "token" not in verification.data and "url" not in verification.data

    notifications.mode = "ok"
    assert outbox.requeue(None, now=SystemClock().now()) == 1
    wait_until(lambda: outbox.counts()[Status.DELIVERED] == 1, what="the welcome delivered")

    [welcome] = [m for m in dead if m.template == "welcome"]
    assert Counter(r.idempotency_key for r in notifications.delivered()) == {welcome.id: 1}
    assert outbox.counts()[Status.DEAD] == 1


def test_without_a_notifications_service_each_message_is_written_once_to_the_mail_log(app):
    email = unique_email("logged")

    register(app.client, email=email)
    wait_until(lambda: app.wiring.outbox.counts()[Status.DELIVERED] == 2, what="both messages written")

    mail_log = app.wiring.settings.data_dir / "mail.log"
    messages = [json.loads(line) for line in mail_log.read_text().splitlines() if json.loads(line)["to"] == email]
    assert sorted(m["template"] for m in messages) == sorted(TEMPLATES)
    assert len({m["id"] for m in messages}) == 2
    [verification] = [m for m in messages if m["template"] == "email_verification"]
    url = urlsplit(verification["data"]["url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{app.wiring.settings.public_url}/verify-email"
    token = parse_qs(url.query)["token"][0]
    assert token == verification["data"]["token"]
    verified = app.client.post(f"{API}/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.text
