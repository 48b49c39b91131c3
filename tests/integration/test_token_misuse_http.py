"""Emailed tokens misused over real HTTP: replayed, for the wrong purpose,
superseded, outdated by a password change, expired, or not tokens at all."""

from __future__ import annotations

import datetime as dt
import secrets
import time

import pytest

from adapters.memory import ManualClock
from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"
NEW_PASSWORD = "a brand new passphrase"
FAST_DELIVERY = {
    "outbox_retry_base_seconds": 0.1,
    "outbox_retry_max_seconds": 1.0,
    "notifications_timeout_seconds": 1.0,
    "outbox_lease_seconds": 5.0,
}
ROUTES = {"verify": "/verify-email", "reset": "/password/reset", "change": "/email/confirm"}
SUCCESS = {"verify": 200, "reset": 204, "change": 200}
LIFETIMES = {"verify": dt.timedelta(hours=48), "reset": dt.timedelta(hours=1), "change": dt.timedelta(hours=24)}
KINDS = list(ROUTES)


def delivered(notifications, template, to, count):
    deadline = time.monotonic() + 15
    while len(found := notifications.delivered(template, to)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} {template} messages to {to}: {found}"
        time.sleep(0.05)
    return [message.body["data"]["token"] for message in found[:count]]


def use(client, kind, token):
    body = {"token": token, "newPassword": NEW_PASSWORD} if kind == "reset" else {"token": token}
    return client.post(f"{AUTH}{ROUTES[kind]}", json=body)


def issue(client, notifications, kind, email, tokens, *, count=1):
    """Have a token of ``kind`` emailed (the ``count``-th of its kind) and read it from the message."""
    if kind == "verify":
        if count > 1:
            assert client.post(f"{AUTH}/verify-email/resend", headers=bearer(tokens)).status_code == 202
        return delivered(notifications, "email_verification", email, count)[-1]
    if kind == "reset":
        assert client.post(f"{AUTH}/password/forgot", json={"email": email}).status_code == 202
        return delivered(notifications, "password_reset", email, count)[-1]
    new_email = unique_email("new")
    body = {"newEmail": new_email, "password": PASSWORD}
    assert client.post(f"{AUTH}/email/change", json=body, headers=bearer(tokens)).status_code == 202
    return notifications.token("email_change_verification", new_email)


def new_customer(client):
    email = unique_email()
    return email, register(client, email=email)["tokens"]


@pytest.fixture
def clock():
    return ManualClock(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


@pytest.fixture
def clocked_app(make_app, notifications, clock):
    return make_app(settings_changes={"notifications_url": notifications.url, **FAST_DELIVERY}, clock=clock)


@pytest.mark.parametrize("kind", KINDS)
def test_a_token_works_only_once(notifying_app, notifications, kind):
    client = notifying_app.client
    email, tokens = new_customer(client)
    token = issue(client, notifications, kind, email, tokens)

    assert use(client, kind, token).status_code == SUCCESS[kind]

    assert_problem(use(client, kind, token), 400, "TOKEN_INVALID")


@pytest.mark.parametrize("kind", KINDS)
def test_a_token_is_refused_for_another_purpose_and_still_works_for_its_own(notifying_app, notifications, kind):
    client = notifying_app.client
    email, tokens = new_customer(client)
    token = issue(client, notifications, kind, email, tokens)
    before = client.get(f"{API}/me", headers=bearer(tokens)).json()

    for other in KINDS:
        if other != kind:
            assert_problem(use(client, other, token), 400, "TOKEN_INVALID")

    assert client.get(f"{API}/me", headers=bearer(tokens)).json() == before
    assert use(client, kind, token).status_code == SUCCESS[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_a_token_is_refused_once_a_newer_one_of_its_purpose_is_sent(clocked_app, notifications, clock, kind):
    client = clocked_app.client
    email, tokens = new_customer(client)
    older = issue(client, notifications, kind, email, tokens)
    clock.advance(dt.timedelta(seconds=61))
    newer = issue(client, notifications, kind, email, tokens, count=2)

    assert_problem(use(client, kind, older), 400, "TOKEN_INVALID")
    assert use(client, kind, newer).status_code == SUCCESS[kind]


@pytest.mark.parametrize("kind", ["reset", "change"])  # a verification link is bound to the email only
def test_a_token_issued_before_a_password_change_is_refused(notifying_app, notifications, kind):
    client = notifying_app.client
    email, tokens = new_customer(client)
    token = issue(client, notifications, kind, email, tokens)
    body = {"currentPassword": PASSWORD, "newPassword": "another fine passphrase"}
    assert client.post(f"{AUTH}/password/change", json=body, headers=bearer(tokens)).status_code == 204

    assert_problem(use(client, kind, token), 400, "TOKEN_INVALID")


def test_an_email_change_token_is_refused_after_a_password_reset(notifying_app, notifications):
    client = notifying_app.client
    email, tokens = new_customer(client)
    reset_token = issue(client, notifications, "reset", email, tokens)
    change_token = issue(client, notifications, "change", email, tokens)
    assert use(client, "reset", reset_token).status_code == 204

    assert_problem(use(client, "change", change_token), 400, "TOKEN_INVALID")


@pytest.mark.parametrize("kind", KINDS)
def test_a_token_is_refused_once_the_account_is_disabled(notifying_app, notifications, kind):
    client = notifying_app.client
    email, tokens = new_customer(client)
    token = issue(client, notifications, kind, email, tokens)
    admin = notifying_app.wiring.service.admin
    before = admin.set_active(email, False)

    assert_problem(use(client, kind, token), 400, "TOKEN_INVALID")

    assert admin.find(before.id) == before
    assert_problem(client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD}), 403, "ACCOUNT_DISABLED")


@pytest.mark.parametrize("kind", KINDS)
def test_a_token_works_until_its_lifetime_ends(clocked_app, notifications, clock, kind):
    client = clocked_app.client
    (early_email, early_tokens), (late_email, late_tokens) = new_customer(client), new_customer(client)
    early = issue(client, notifications, kind, early_email, early_tokens)
    late = issue(client, notifications, kind, late_email, late_tokens)

    clock.advance(LIFETIMES[kind] - dt.timedelta(seconds=1))
    assert use(client, kind, early).status_code == SUCCESS[kind]
    clock.advance(dt.timedelta(seconds=2))

    assert_problem(use(client, kind, late), 400, "TOKEN_INVALID")


NOT_TOKENS = [
    "",
    "short",
    secrets.token_urlsafe(32),
    "garbage-" * 4,
    "a" * 257,
    "a" * 20_000,
    "\x00" * 32,
    "\u202e🙂" * 16,
]
NOT_STRINGS = [None, 42, True, ["x" * 43], {"$ne": None}]


@pytest.mark.parametrize("kind", KINDS)
def test_a_string_that_is_no_token_is_refused(app, kind):
    for token in NOT_TOKENS:
        assert_problem(use(app.client, kind, token), 400, "TOKEN_INVALID")


@pytest.mark.parametrize("kind", KINDS)
def test_a_token_that_is_not_a_string_is_a_validation_error(app, kind):
    for token in NOT_STRINGS:
        body = assert_problem(use(app.client, kind, token), 422, "VALIDATION_ERROR")
        assert [error["field"] for error in body["errors"]] == ["token"], token


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_token_is_a_validation_error(app, kind):
    body = {"newPassword": NEW_PASSWORD} if kind == "reset" else {}
    response = app.client.post(f"{AUTH}{ROUTES[kind]}", json=body)

    assert "token" in {error["field"] for error in assert_problem(response, 422, "VALIDATION_ERROR")["errors"]}
