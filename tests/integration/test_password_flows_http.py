"""Forgotten, reset and changed passwords over real HTTP: what only HTTP shows.
The rules themselves are tested at service level in
tests/unit/test_password_flows.py, the request bodies in
tests/unit/test_account_request_bodies.py."""

from __future__ import annotations

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"
NEW_PASSWORD = "a brand new passphrase"


def forgot(client, email):
    return client.post(f"{AUTH}/password/forgot", json={"email": email})


def reset(client, token, new_password=NEW_PASSWORD):
    return client.post(f"{AUTH}/password/reset", json={"token": token, "newPassword": new_password})


def change(client, tokens, current=PASSWORD, new=NEW_PASSWORD):
    body = {"currentPassword": current, "newPassword": new}
    return client.post(f"{AUTH}/password/change", json=body, headers=bearer(tokens))


def login(client, email, password=PASSWORD):
    return client.post(f"{AUTH}/login", json={"email": email, "password": password})


def assert_email(message, template, to):
    """A message the stand-in received: its envelope and the customer's first name."""
    body = message.body
    assert message.idempotency_key
    assert (body["template"], body["channel"], body["to"], body["locale"]) == (template, "email", to, "en")
    assert body["data"]["firstName"] == "Ada"


def error_fields(response):
    return {error["field"] for error in assert_problem(response, 422, "VALIDATION_ERROR")["errors"]}


def test_forgot_gives_known_unknown_and_malformed_emails_the_same_answer(app):
    email = unique_email()
    register(app.client, email=email)

    answers = [forgot(app.client, address) for address in [email, unique_email("nobody"), "not-an-email"]]

    assert [answer.status_code for answer in answers] == [202, 202, 202]
    assert len({answer.text for answer in answers}) == 1
    assert len({answer.headers["content-type"] for answer in answers}) == 1


def test_a_forgotten_password_is_reset_with_the_delivered_link(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    register(client, email=email)
    assert forgot(client, email).status_code == 202

    link = notifications.wait_for("password_reset", email)
    assert_email(link, "password_reset", email)
    token = link.body["data"]["token"]
    public_url = notifying_app.wiring.settings.public_url.rstrip("/")
    assert link.body["data"]["url"] == f"{public_url}/reset-password?token={token}"

    response = reset(client, token)

    assert response.status_code == 204, response.text
    assert_problem(reset(client, token), 400, "TOKEN_INVALID")
    changed = notifications.wait_for("password_changed", email)
    assert_email(changed, "password_changed", email)
    assert changed.idempotency_key != link.idempotency_key
    assert login(client, email, NEW_PASSWORD).status_code == 200


def test_a_malformed_body_is_a_422_naming_each_bad_field(app):
    response = app.client.post(f"{AUTH}/password/reset", json={"newPassword": 12345678, "email": "a@example.com"})

    assert error_fields(response) == {"token", "newPassword", "email"}


def test_change_is_204_or_403_for_a_wrong_current_password(app):
    tokens = register(app.client)["tokens"]

    assert_problem(change(app.client, tokens, current="not my password"), 403, "INVALID_CREDENTIALS")
    assert change(app.client, tokens).status_code == 204


def test_a_new_password_the_policy_refuses_is_a_422_naming_new_password(app):
    tokens = register(app.client)["tokens"]

    assert error_fields(change(app.client, tokens, new="iloveyou")) == {"newPassword"}


def test_change_without_an_access_token_is_401(app):
    body = {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}

    assert_problem(app.client.post(f"{AUTH}/password/change", json=body), 401, "UNAUTHENTICATED")
