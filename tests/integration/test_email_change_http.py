"""Changing the email address over real HTTP: confirmed from the new address,
announced to the old."""

from __future__ import annotations

import pytest
from pymongo import MongoClient

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"


def request_change(client, tokens, new_email, password=PASSWORD):
    return client.post(
        f"{AUTH}/email/change", json={"newEmail": new_email, "password": password}, headers=bearer(tokens)
    )


def confirm(client, token):
    return client.post(f"{AUTH}/email/confirm", json={"token": token})


def login(client, email, password=PASSWORD):
    return client.post(f"{AUTH}/login", json={"email": email, "password": password})


def me(client, tokens):
    return client.get(f"{API}/me", headers=bearer(tokens))


def queued(app, template):
    settings = app.wiring.settings
    with MongoClient(settings.mongodb_uri) as client:
        return client[settings.db_name].outbox.count_documents({"template": template})


def assert_message(message, template, to):
    body = message.body
    assert (body["template"], body["channel"], body["to"], body["locale"]) == (template, "email", to, "en")
    assert body["data"]["firstName"] == "Ada"


def change_token(app, notifications, old_email, new_email):
    message = notifications.wait_for("email_change_verification", new_email)
    assert_message(message, "email_change_verification", new_email)
    url = message.body["data"]["url"]
    assert url.startswith(app.wiring.settings.public_url.rstrip("/") + "/confirm-email-change?token=")
    assert url.endswith(notifications.token("email_change_verification", new_email))
    assert message.body["data"]["newEmail"] == new_email
    warning = notifications.wait_for("email_changed", old_email)
    assert_message(warning, "email_changed", old_email)
    assert "token" not in warning.body["data"] and "url" not in warning.body["data"]
    return notifications.token("email_change_verification", new_email)


def error_fields(response):
    return {error["field"] for error in assert_problem(response, 422, "VALIDATION_ERROR")["errors"]}


@pytest.fixture
def customer(notifying_app):
    email = unique_email("old")
    return email, register(notifying_app.client, email=email)["tokens"]


def test_a_confirmed_change_switches_the_email_and_marks_it_verified(notifying_app, notifications, customer):
    client = notifying_app.client
    old_email, tokens = customer
    new_email = unique_email("new")

    requested = request_change(client, tokens, f"  {new_email.upper()} ")

    assert requested.status_code == 202, requested.text
    assert me(client, tokens).json()["email"] == old_email
    confirmed = confirm(client, change_token(notifying_app, notifications, old_email, new_email))
    assert confirmed.status_code == 200, confirmed.text
    customer_out = confirmed.json()["customer"]
    assert customer_out["email"] == new_email
    assert customer_out["emailVerified"] is True and customer_out["isVerified"] is True
    assert me(client, tokens).json()["email"] == new_email


def test_after_the_change_only_the_new_email_logs_in_and_the_old_can_register_again(
    notifying_app, notifications, customer
):
    client = notifying_app.client
    old_email, tokens = customer
    new_email = unique_email("new")
    assert request_change(client, tokens, new_email).status_code == 202
    assert confirm(client, change_token(notifying_app, notifications, old_email, new_email)).status_code == 200

    assert login(client, new_email).status_code == 200
    assert_problem(login(client, old_email), 401, "INVALID_CREDENTIALS")
    assert register(client, email=old_email)["customer"]["email"] == old_email


def test_a_change_with_a_wrong_password_is_refused(notifying_app, customer):
    _, tokens = customer

    assert_problem(
        request_change(notifying_app.client, tokens, unique_email("new"), "not my password"), 403, "INVALID_CREDENTIALS"
    )

    assert queued(notifying_app, "email_change_verification") == 0
    assert queued(notifying_app, "email_changed") == 0


def test_a_change_to_an_email_of_another_account_is_refused(notifying_app, customer):
    _, tokens = customer
    taken = register(notifying_app.client)["customer"]["email"]

    assert_problem(request_change(notifying_app.client, tokens, f" {taken.upper()}"), 409, "EMAIL_TAKEN")

    assert queued(notifying_app, "email_change_verification") == 0


def test_a_change_to_an_invalid_email_names_new_email(notifying_app, customer):
    _, tokens = customer

    for new_email in ["not-an-email", "", "two@@example.com", "a" * 300 + "@example.com", "nul\x00@example.com"]:
        assert error_fields(request_change(notifying_app.client, tokens, new_email)) == {"newEmail"}, new_email

    assert queued(notifying_app, "email_change_verification") == 0


def test_a_change_to_the_current_email_in_any_spelling_is_refused(notifying_app, customer):
    old_email, tokens = customer

    assert error_fields(request_change(notifying_app.client, tokens, f" {old_email.upper()} ")) == {"newEmail"}

    assert queued(notifying_app, "email_change_verification") == 0


def test_a_malformed_change_request_is_refused(app):
    tokens = register(app.client)["tokens"]

    for body, field in [
        ({"password": PASSWORD}, "newEmail"),
        ({"newEmail": "a@example.com"}, "password"),
        ({"newEmail": {"$ne": None}, "password": PASSWORD}, "newEmail"),
        ({"newEmail": "a@example.com", "password": PASSWORD, "email": "b@example.com"}, "email"),
    ]:
        response = app.client.post(f"{AUTH}/email/change", json=body, headers=bearer(tokens))
        assert field in error_fields(response), body


def test_a_change_needs_an_authenticated_customer(app):
    body = {"newEmail": unique_email(), "password": PASSWORD}

    assert_problem(app.client.post(f"{AUTH}/email/change", json=body), 401, "UNAUTHENTICATED")


def test_confirm_fails_when_another_account_took_the_email_meanwhile(notifying_app, notifications, customer):
    client = notifying_app.client
    old_email, tokens = customer
    new_email = unique_email("new")
    assert request_change(client, tokens, new_email).status_code == 202
    token = change_token(notifying_app, notifications, old_email, new_email)
    other = register(client, email=new_email)

    assert_problem(confirm(client, token), 409, "EMAIL_TAKEN")

    assert me(client, tokens).json()["email"] == old_email
    assert me(client, other["tokens"]).json()["id"] == other["customer"]["id"]
    assert login(client, old_email).status_code == 200
    assert login(client, new_email).json()["customer"]["id"] == other["customer"]["id"]


def test_a_verification_link_for_the_old_email_stops_working_after_the_change(notifying_app, notifications, customer):
    client = notifying_app.client
    old_email, tokens = customer
    verification = notifications.token("email_verification", old_email)
    new_email = unique_email("new")
    assert request_change(client, tokens, new_email).status_code == 202
    assert confirm(client, change_token(notifying_app, notifications, old_email, new_email)).status_code == 200

    assert_problem(client.post(f"{AUTH}/verify-email", json={"token": verification}), 400, "TOKEN_INVALID")
