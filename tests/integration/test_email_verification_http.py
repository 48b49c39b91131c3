"""Email verification over real HTTP: what only HTTP shows. The rules
themselves are tested at service level in tests/unit/test_email_verification_flows.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from adapters.memory import ManualClock
from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"
FAST_DELIVERY = {
    "outbox_retry_base_seconds": 0.1,
    "outbox_retry_max_seconds": 1.0,
    "notifications_timeout_seconds": 1.0,
    "outbox_lease_seconds": 5.0,
}


def verify(client, token):
    return client.post(f"{AUTH}/verify-email", json={"token": token})


def resend(client, tokens):
    return client.post(f"{AUTH}/verify-email/resend", headers=bearer(tokens))


def assert_email(message, template, to, locale):
    """A message the stand-in received: its envelope and the customer's first name."""
    body = message.body
    assert message.idempotency_key
    assert (body["template"], body["channel"], body["to"], body["locale"]) == (template, "email", to, locale)
    assert body["data"]["firstName"] == "Ada"


def test_registration_delivers_a_welcome_and_a_verification_link_that_verifies(make_app, notifications):
    app = make_app(
        settings_changes={
            "notifications_url": notifications.url,
            "public_url": "https://shop.example.com/account",
            **FAST_DELIVERY,
        }
    )
    client = app.client
    email = unique_email()
    registered = register(client, email=email, preferences={"language": "de"})

    welcome = notifications.wait_for("welcome", email)
    verification = notifications.wait_for("email_verification", email)

    assert_email(welcome, "welcome", email, "de")
    assert_email(verification, "email_verification", email, "de")
    assert welcome.idempotency_key != verification.idempotency_key
    url, token = verification.body["data"]["url"], verification.body["data"]["token"]
    assert url.startswith("https://shop.example.com/account/verify-email?token=")
    assert parse_qs(urlsplit(url).query)["token"] == [token]

    verified = verify(client, token)

    assert verified.status_code == 200, verified.text
    customer = verified.json()["customer"]
    assert customer["id"] == registered["customer"]["id"]
    assert customer["emailVerified"] is True and customer["isVerified"] is True
    me = client.get(f"{API}/me", headers=bearer(registered["tokens"])).json()
    assert me["emailVerified"] is True and me["isVerified"] is True
    assert_problem(verify(client, token), 400, "TOKEN_INVALID")


def test_a_resend_is_202_and_a_second_within_the_minute_is_429_with_retry_after(make_app):
    clock = ManualClock(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    app = make_app(clock=clock)
    tokens = register(app.client)["tokens"]
    clock.advance(dt.timedelta(seconds=61))
    assert resend(app.client, tokens).status_code == 202
    clock.advance(dt.timedelta(seconds=59))

    limited = resend(app.client, tokens)

    assert_problem(limited, 429, "RATE_LIMITED")
    assert limited.headers["retry-after"] == "1"


def test_resend_without_an_access_token_is_401(app):
    assert_problem(app.client.post(f"{AUTH}/verify-email/resend"), 401, "UNAUTHENTICATED")


def test_an_unverified_email_is_a_403_at_login_when_verification_is_required(make_app):
    app = make_app(settings_changes={"require_verified_email": True})
    email = unique_email()
    register(app.client, email=email)

    login = app.client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD})

    assert_problem(login, 403, "EMAIL_NOT_VERIFIED")
