"""Changing the email address over real HTTP: what only HTTP shows. The rules
themselves are tested at service level in tests/unit/test_email_change_flows.py,
the request bodies in tests/unit/test_account_request_bodies.py."""

from __future__ import annotations

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"


def request_change(client, tokens, new_email, password=PASSWORD):
    return client.post(
        f"{AUTH}/email/change", json={"newEmail": new_email, "password": password}, headers=bearer(tokens)
    )


def assert_email(message, template, to):
    """A message the stand-in received: its envelope and the customer's first name."""
    body = message.body
    assert message.idempotency_key
    assert (body["template"], body["channel"], body["to"], body["locale"]) == (template, "email", to, "en")
    assert body["data"]["firstName"] == "Ada"


def test_an_email_change_is_confirmed_with_the_delivered_link(notifying_app, notifications):
    client = notifying_app.client
    old_email, new_email = unique_email("old"), unique_email("new")
    tokens = register(client, email=old_email)["tokens"]

    assert request_change(client, tokens, new_email).status_code == 202

    link = notifications.wait_for("email_change_verification", new_email)
    warning = notifications.wait_for("email_changed", old_email)
    assert_email(link, "email_change_verification", new_email)
    assert_email(warning, "email_changed", old_email)
    assert link.idempotency_key != warning.idempotency_key
    token = link.body["data"]["token"]
    public_url = notifying_app.wiring.settings.public_url.rstrip("/")
    assert link.body["data"]["url"] == f"{public_url}/confirm-email-change?token={token}"
    assert link.body["data"]["newEmail"] == new_email
    assert "token" not in warning.body["data"] and "url" not in warning.body["data"]

    confirmed = client.post(f"{AUTH}/email/confirm", json={"token": token})

    assert confirmed.status_code == 200, confirmed.text
    customer = confirmed.json()["customer"]
    assert customer["email"] == new_email
    assert customer["emailVerified"] is True and customer["isVerified"] is True
    assert client.get(f"{API}/me", headers=bearer(tokens)).json()["email"] == new_email


def test_a_change_with_a_wrong_password_is_403(app):
    tokens = register(app.client)["tokens"]

    response = request_change(app.client, tokens, unique_email("new"), "not my password")

    assert_problem(response, 403, "INVALID_CREDENTIALS")


def test_a_change_to_the_email_of_another_account_is_409(app):
    tokens = register(app.client)["tokens"]
    taken = register(app.client)["customer"]["email"]

    assert_problem(request_change(app.client, tokens, taken), 409, "EMAIL_TAKEN")


def test_a_change_without_an_access_token_is_401(app):
    body = {"newEmail": unique_email(), "password": PASSWORD}

    assert_problem(app.client.post(f"{AUTH}/email/change", json=body), 401, "UNAUTHENTICATED")
