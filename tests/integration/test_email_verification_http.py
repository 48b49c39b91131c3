"""Email verification over real HTTP, its links read from the delivered messages."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from pymongo import MongoClient

from adapters.memory import ManualClock
from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"
FAST_DELIVERY = {
    "outbox_retry_base_seconds": 0.1,
    "outbox_retry_max_seconds": 1.0,
    "notifications_timeout_seconds": 1.0,
    "outbox_lease_seconds": 5.0,
}


def delivered(notifications, template, to, count=1, timeout=15.0):
    """The first ``count`` messages of a template to an address, once they have arrived."""
    deadline = time.monotonic() + timeout
    while len(found := notifications.delivered(template, to)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} {template} messages to {to}: {found}"
        time.sleep(0.05)
    return found[:count]


def assert_message(app, message, template, to, *, locale="en", link=False):
    body = message.body
    assert message.idempotency_key
    assert (body["template"], body["channel"], body["to"], body["locale"]) == (template, "email", to, locale)
    assert body["data"]["firstName"] == "Ada"
    if link:
        url = body["data"]["url"]
        assert url.startswith(app.wiring.settings.public_url.rstrip("/") + "/")
        assert parse_qs(urlsplit(url).query)["token"] == [body["data"]["token"]]


def queued(app, to, template):
    """Messages the service queued (delivered or not) for an address."""
    settings = app.wiring.settings
    with MongoClient(settings.mongodb_uri) as client:
        return client[settings.db_name].outbox.count_documents({"to": to, "template": template})


def verify(client, token):
    return client.post(f"{AUTH}/verify-email", json={"token": token})


def resend(client, tokens):
    return client.post(f"{AUTH}/verify-email/resend", headers=bearer(tokens))


def login(client, email, password=PASSWORD):
    return client.post(f"{AUTH}/login", json={"email": email, "password": password})


@pytest.fixture
def clock():
    return ManualClock(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


@pytest.fixture
def clocked_app(make_app, notifications, clock):
    return make_app(
        settings_changes={
            "notifications_url": notifications.url,
            "public_url": "https://shop.example.com/account",
            **FAST_DELIVERY,
        },
        clock=clock,
    )


def test_registration_sends_a_welcome_and_a_verification_link(notifying_app, notifications):
    email = unique_email()
    register(notifying_app.client, email=email)

    [welcome] = delivered(notifications, "welcome", email)
    [verification] = delivered(notifications, "email_verification", email)

    assert_message(notifying_app, welcome, "welcome", email)
    assert_message(notifying_app, verification, "email_verification", email, link=True)
    assert "/verify-email?" in verification.body["data"]["url"]
    assert welcome.idempotency_key != verification.idempotency_key


def test_messages_use_the_customers_language_and_the_configured_public_url(clocked_app, notifications):
    email = unique_email()
    register(clocked_app.client, email=email, preferences={"language": "de"})

    [verification] = delivered(notifications, "email_verification", email)

    assert_message(clocked_app, verification, "email_verification", email, locale="de", link=True)
    assert verification.body["data"]["url"].startswith("https://shop.example.com/account/verify-email?token=")


def test_the_emailed_link_verifies_the_email(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    registered = register(client, email=email)
    assert registered["customer"]["emailVerified"] is False

    response = verify(client, notifications.token("email_verification", email))

    assert response.status_code == 200, response.text
    customer = response.json()["customer"]
    assert customer["id"] == registered["customer"]["id"]
    assert customer["emailVerified"] is True and customer["isVerified"] is True
    me = client.get(f"{API}/me", headers=bearer(registered["tokens"])).json()
    assert me["emailVerified"] is True and me["isVerified"] is True


def test_resend_sends_a_fresh_link_and_the_older_one_stops_working(clocked_app, notifications, clock):
    client = clocked_app.client
    email = unique_email()
    registered = register(client, email=email)
    [first] = delivered(notifications, "email_verification", email)
    clock.advance(dt.timedelta(seconds=61))

    response = resend(client, registered["tokens"])

    assert response.status_code == 202, response.text
    _, second = delivered(notifications, "email_verification", email, count=2)
    assert_message(clocked_app, second, "email_verification", email, link=True)
    assert second.body["data"]["token"] != first.body["data"]["token"]
    assert_problem(verify(client, first.body["data"]["token"]), 400, "TOKEN_INVALID")
    assert verify(client, second.body["data"]["token"]).json()["customer"]["emailVerified"] is True


def test_a_second_resend_within_a_minute_is_rate_limited(clocked_app, notifications, clock):
    client = clocked_app.client
    email = unique_email()
    registered = register(client, email=email)
    clock.advance(dt.timedelta(seconds=61))
    assert resend(client, registered["tokens"]).status_code == 202
    clock.advance(dt.timedelta(seconds=59))

    limited = resend(client, registered["tokens"])

    assert_problem(limited, 429, "RATE_LIMITED")
    assert limited.headers["retry-after"] == "1"
    assert queued(clocked_app, email, "email_verification") == 2
    clock.advance(dt.timedelta(seconds=2))
    assert resend(client, registered["tokens"]).status_code == 202
    assert queued(clocked_app, email, "email_verification") == 3


def test_resend_right_after_registration_is_rate_limited(clocked_app):
    registered = register(clocked_app.client)

    limited = resend(clocked_app.client, registered["tokens"])

    assert_problem(limited, 429, "RATE_LIMITED")
    assert "retry-after" in limited.headers


def test_resend_for_a_verified_customer_accepts_and_sends_nothing(clocked_app, notifications, clock):
    client = clocked_app.client
    email = unique_email()
    registered = register(client, email=email)
    assert verify(client, notifications.token("email_verification", email)).status_code == 200
    clock.advance(dt.timedelta(seconds=61))

    response = resend(client, registered["tokens"])

    assert response.status_code == 202, response.text
    assert queued(clocked_app, email, "email_verification") == 1
    time.sleep(0.5)
    assert len(notifications.delivered("email_verification", email)) == 1


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_resend_needs_an_authenticated_customer(app, headers):
    assert_problem(app.client.post(f"{AUTH}/verify-email/resend", headers=headers), 401, "UNAUTHENTICATED")


def test_resend_after_logout_is_refused(app):
    registered = register(app.client)
    assert app.client.post(f"{AUTH}/logout", headers=bearer(registered["tokens"])).status_code == 204

    assert_problem(resend(app.client, registered["tokens"]), 401, "UNAUTHENTICATED")


# --- CS_REQUIRE_VERIFIED_EMAIL ----------------------------------------------


@pytest.fixture
def strict_app(make_app, notifications):
    return make_app(
        settings_changes={"require_verified_email": True, "notifications_url": notifications.url, **FAST_DELIVERY}
    )


def test_an_unverified_customer_is_told_so_only_after_the_right_password(strict_app):
    email = unique_email()
    register(strict_app.client, email=email)

    assert_problem(login(strict_app.client, email), 403, "EMAIL_NOT_VERIFIED")
    assert_problem(login(strict_app.client, email, "wrong password!"), 401, "INVALID_CREDENTIALS")
    assert_problem(login(strict_app.client, unique_email("nobody")), 401, "INVALID_CREDENTIALS")


def test_a_verified_customer_logs_in_when_verification_is_required(strict_app, notifications):
    email = unique_email()
    register(strict_app.client, email=email)
    assert verify(strict_app.client, notifications.token("email_verification", email)).status_code == 200

    response = login(strict_app.client, email)

    assert response.status_code == 200, response.text
    assert response.json()["customer"]["emailVerified"] is True


def test_unverified_customers_log_in_when_verification_is_not_required(notifying_app):
    email = unique_email()
    register(notifying_app.client, email=email)

    assert login(notifying_app.client, email).status_code == 200


def test_a_verification_link_survives_a_password_change(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    registered = register(client, email=email)
    token = notifications.token("email_verification", email)
    change = {"currentPassword": PASSWORD, "newPassword": "a different passphrase 2026"}
    assert client.post(f"{AUTH}/password/change", json=change, headers=bearer(registered["tokens"])).status_code == 204

    verified = client.post(f"{AUTH}/verify-email", json={"token": token})

    assert verified.status_code == 200, verified.text
    assert verified.json()["customer"]["emailVerified"] is True
