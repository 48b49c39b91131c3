"""Forgotten, reset and changed passwords over real HTTP, tokens read from the
delivered messages."""

from __future__ import annotations

import time

from pymongo import MongoClient

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"
NEW_PASSWORD = "a brand new passphrase"
FAST_DELIVERY = {
    "outbox_retry_base_seconds": 0.1,
    "outbox_retry_max_seconds": 1.0,
    "notifications_timeout_seconds": 1.0,
    "outbox_lease_seconds": 5.0,
}


def assert_message(message, template, to):
    body = message.body
    assert (body["template"], body["channel"], body["to"], body["locale"]) == (template, "email", to, "en")
    assert body["data"]["firstName"] == "Ada"


def assert_reset_link(app, message, to):
    assert_message(message, "password_reset", to)
    url, token = message.body["data"]["url"], message.body["data"]["token"]
    assert url.startswith(app.wiring.settings.public_url.rstrip("/") + "/reset-password?token=")
    assert url.endswith(token)


def queued(app, to, template):
    settings = app.wiring.settings
    with MongoClient(settings.mongodb_uri) as client:
        return client[settings.db_name].outbox.count_documents({"to": to, "template": template})


def login(client, email, password=PASSWORD):
    return client.post(f"{AUTH}/login", json={"email": email, "password": password})


def forgot(client, email):
    return client.post(f"{AUTH}/password/forgot", json={"email": email})


def reset(client, token, new_password=NEW_PASSWORD):
    return client.post(f"{AUTH}/password/reset", json={"token": token, "newPassword": new_password})


def change(client, tokens, current=PASSWORD, new=NEW_PASSWORD):
    body = {"currentPassword": current, "newPassword": new}
    return client.post(f"{AUTH}/password/change", json=body, headers=bearer(tokens))


def refresh(client, tokens):
    return client.post(f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]})


def me(client, tokens):
    return client.get(f"{API}/me", headers=bearer(tokens))


def reset_token(app, notifications, email):
    assert forgot(app.client, email).status_code == 202
    assert_reset_link(app, notifications.wait_for("password_reset", email), email)
    return notifications.token("password_reset", email)


def error_fields(response):
    return {error["field"] for error in assert_problem(response, 422, "VALIDATION_ERROR")["errors"]}


# --- forgot -----------------------------------------------------------------


def test_forgot_answers_alike_for_known_and_unknown_emails_and_mails_only_the_account(notifying_app, notifications):
    client = notifying_app.client
    email, unknown = unique_email(), unique_email("nobody")
    register(client, email=email)

    started = time.monotonic()
    known_answer = forgot(client, email)
    known_seconds = time.monotonic() - started
    started = time.monotonic()
    unknown_answer = forgot(client, unknown)
    unknown_seconds = time.monotonic() - started

    assert known_answer.status_code == unknown_answer.status_code == 202
    assert known_answer.json() == unknown_answer.json()
    assert known_answer.headers["content-type"] == unknown_answer.headers["content-type"]
    assert known_seconds >= 0.24 and unknown_seconds >= 0.24
    assert abs(known_seconds - unknown_seconds) < 1.0
    assert_reset_link(notifying_app, notifications.wait_for("password_reset", email), email)
    assert queued(notifying_app, unknown, "password_reset") == 0
    time.sleep(0.3)
    assert notifications.delivered(to=unknown) == []


def test_forgot_finds_the_account_in_any_spelling_of_its_email(notifying_app, notifications):
    email = unique_email("mixed")
    register(notifying_app.client, email=email)

    assert forgot(notifying_app.client, f"  {email.upper()} ").status_code == 202

    assert_reset_link(notifying_app, notifications.wait_for("password_reset", email), email)


def test_forgot_with_a_malformed_email_answers_like_any_other(app):
    expected = forgot(app.client, unique_email("nobody")).json()

    for email in ["not-an-email", "", "a@b", "x" * 300 + "@example.com", "nul\x00@example.com"]:
        answer = forgot(app.client, email)
        assert answer.status_code == 202, answer.text
        assert answer.json() == expected


def test_forgot_refuses_a_body_without_a_string_email(app):
    for body in [{}, {"email": 42}, {"email": None}, {"email": {"$ne": None}}]:
        assert error_fields(app.client.post(f"{AUTH}/password/forgot", json=body)) == {"email"}, body


def test_forgot_mails_at_most_once_a_minute(notifying_app, notifications):
    email = unique_email()
    register(notifying_app.client, email=email)
    first = reset_token(notifying_app, notifications, email)

    assert forgot(notifying_app.client, email).status_code == 202

    assert queued(notifying_app, email, "password_reset") == 1
    assert reset(notifying_app.client, first).status_code == 204


def test_forgot_sends_nothing_to_a_disabled_account(notifying_app, notifications):
    email = unique_email()
    register(notifying_app.client, email=email)
    notifying_app.wiring.service.admin.set_active(email, False)

    assert forgot(notifying_app.client, email).status_code == 202

    assert queued(notifying_app, email, "password_reset") == 0


# --- reset ------------------------------------------------------------------


def test_reset_sets_the_new_password_and_ends_every_session(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    sessions = [register(client, email=email)["tokens"], login(client, email).json()["tokens"]]
    token = reset_token(notifying_app, notifications, email)

    response = reset(client, token)

    assert response.status_code == 204, response.text
    for tokens in sessions:
        assert_problem(me(client, tokens), 401, "UNAUTHENTICATED")
        assert_problem(refresh(client, tokens), 401, "TOKEN_INVALID")
    assert_problem(login(client, email), 401, "INVALID_CREDENTIALS")
    assert login(client, email, NEW_PASSWORD).status_code == 200
    assert_message(notifications.wait_for("password_changed", email), "password_changed", email)


def test_reset_lifts_a_lockout(make_app, notifications):
    app = make_app(settings_changes={"lockout_threshold": 2, "notifications_url": notifications.url, **FAST_DELIVERY})
    email = unique_email()
    register(app.client, email=email)
    for _ in range(2):
        assert_problem(login(app.client, email, "wrong password!"), 401, "INVALID_CREDENTIALS")
    assert_problem(login(app.client, email), 401, "INVALID_CREDENTIALS")
    assert_message(notifications.wait_for("account_locked", email), "account_locked", email)

    assert reset(app.client, reset_token(app, notifications, email)).status_code == 204

    assert login(app.client, email, NEW_PASSWORD).status_code == 200


def test_reset_refuses_a_weak_password_and_the_token_still_works(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    register(client, email=email)
    token = reset_token(notifying_app, notifications, email)

    for weak in ["short", "password123", "Qwertyuiop", "x" * 257, f"my name is {email.split('@')[0]}!"]:
        assert error_fields(reset(client, token, weak)) == {"newPassword"}, weak

    assert login(client, email).status_code == 200
    assert queued(notifying_app, email, "password_changed") == 0
    assert reset(client, token).status_code == 204
    assert login(client, email, NEW_PASSWORD).status_code == 200


def test_reset_refuses_a_malformed_body(app):
    for body, field in [
        ({"token": "t" * 43}, "newPassword"),
        ({"newPassword": NEW_PASSWORD}, "token"),
        ({"token": "t" * 43, "newPassword": 12345678}, "newPassword"),
        ({"token": "t" * 43, "newPassword": NEW_PASSWORD, "email": "a@example.com"}, "email"),
    ]:
        assert field in error_fields(app.client.post(f"{AUTH}/password/reset", json=body)), body


def test_reset_is_refused_once_the_account_is_disabled(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    register(client, email=email)
    token = reset_token(notifying_app, notifications, email)
    notifying_app.wiring.service.admin.set_active(email, False)

    assert_problem(reset(client, token), 400, "TOKEN_INVALID")

    assert_problem(login(client, email), 403, "ACCOUNT_DISABLED")
    assert_problem(login(client, email, NEW_PASSWORD), 401, "INVALID_CREDENTIALS")
    assert queued(notifying_app, email, "password_changed") == 0


# --- change -----------------------------------------------------------------


def test_change_keeps_the_callers_session_and_ends_the_others(notifying_app, notifications):
    client = notifying_app.client
    email = unique_email()
    caller = register(client, email=email)["tokens"]
    other = login(client, email).json()["tokens"]

    response = change(client, caller)

    assert response.status_code == 204, response.text
    assert me(client, caller).status_code == 200
    assert refresh(client, caller).status_code == 200
    assert_problem(me(client, other), 401, "UNAUTHENTICATED")
    assert_problem(refresh(client, other), 401, "TOKEN_INVALID")
    assert_problem(login(client, email), 401, "INVALID_CREDENTIALS")
    assert login(client, email, NEW_PASSWORD).status_code == 200
    assert_message(notifications.wait_for("password_changed", email), "password_changed", email)


def test_change_with_a_wrong_current_password_is_refused(notifying_app):
    client = notifying_app.client
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    assert_problem(change(client, tokens, current="not my password"), 403, "INVALID_CREDENTIALS")

    assert login(client, email).status_code == 200
    assert me(client, tokens).status_code == 200
    assert queued(notifying_app, email, "password_changed") == 0


def test_change_refuses_a_password_that_fails_the_policy(notifying_app):
    client = notifying_app.client
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    for weak in ["short", "iloveyou", f"{email.split('@')[0].upper()}-is-my-passphrase", "y" * 257]:
        assert error_fields(change(client, tokens, new=weak)) == {"newPassword"}, weak

    assert login(client, email).status_code == 200
    assert queued(notifying_app, email, "password_changed") == 0


def test_change_refuses_a_malformed_body(app):
    tokens = register(app.client)["tokens"]

    for body, field in [
        ({"newPassword": NEW_PASSWORD}, "currentPassword"),
        ({"currentPassword": PASSWORD}, "newPassword"),
        ({"currentPassword": PASSWORD, "newPassword": None}, "newPassword"),
    ]:
        response = app.client.post(f"{AUTH}/password/change", json=body, headers=bearer(tokens))
        assert field in error_fields(response), body


def test_change_needs_an_authenticated_customer(app):
    body = {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}

    assert_problem(app.client.post(f"{AUTH}/password/change", json=body), 401, "UNAUTHENTICATED")
