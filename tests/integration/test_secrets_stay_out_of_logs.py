"""A DEBUG run of every flow that handles a secret, then its log searched for
each secret it used: passwords, access and refresh tokens, emailed tokens,
their digests and the stored password hashes."""

import hashlib
import io
import json
import logging
import time

import pytest

from entrypoints.runtime import QUIET, configure_logging
from tests.support import API, bearer, register, unique_email
from tests.webhook_receiver import SECRET

AUTH = f"{API}/auth"
PASSWORDS = ["first secret horse staple", "second secret horse staple", "third secret horse staple"]


@pytest.fixture
def debug_log():
    """The service's own logging set up as `serve` does, at DEBUG, written to
    a buffer instead of stderr; restored afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {name: logging.getLogger(name).level for name in QUIET}
    configure_logging("DEBUG")
    buffer = io.StringIO()
    root.handlers[0].setStream(buffer)
    yield buffer
    root.handlers[:], root.level, levels = saved
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_a_debug_run_logs_no_secret(debug_log, notifying_app, notifications, db):
    client = notifying_app.client
    email, new_email = unique_email(), unique_email("new")
    secrets = list(PASSWORDS)

    registered = client.post(
        f"{AUTH}/register", json={"email": email, "password": PASSWORDS[0], "firstName": "A", "lastName": "B"}
    ).json()
    logged_in = client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORDS[0]}).json()
    refreshed = client.post(f"{AUTH}/refresh", json={"refreshToken": logged_in["tokens"]["refreshToken"]}).json()
    verification = notifications.token("email_verification", email)
    assert client.post(f"{AUTH}/verify-email", json={"token": verification}).status_code == 200
    assert client.post(f"{AUTH}/password/forgot", json={"email": email}).status_code == 202
    reset = notifications.token("password_reset", email)
    assert client.post(f"{AUTH}/password/reset", json={"token": reset, "newPassword": PASSWORDS[1]}).status_code == 204
    again = client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORDS[1]}).json()
    change = {"currentPassword": PASSWORDS[1], "newPassword": PASSWORDS[2]}
    assert client.post(f"{AUTH}/password/change", json=change, headers=bearer(again["tokens"])).status_code == 204
    move = {"newEmail": new_email, "password": PASSWORDS[2]}
    assert client.post(f"{AUTH}/email/change", json=move, headers=bearer(again["tokens"])).status_code == 202
    confirmation = notifications.token("email_change_verification", new_email)
    assert client.post(f"{AUTH}/email/confirm", json={"token": confirmation}).status_code == 200
    assert client.post(f"{AUTH}/logout", headers=bearer(again["tokens"])).status_code == 204

    for answer in (registered, logged_in, refreshed, again):
        secrets += [answer["tokens"]["accessToken"], answer["tokens"]["refreshToken"]]
    emailed = [verification, reset, confirmation]
    secrets += emailed + [hashlib.sha256(token.encode()).hexdigest() for token in secrets[3:] + emailed]
    secrets += [customer["passwordHash"] for customer in db.customers.find()]
    assert len(secrets) > 20
    logged = debug_log.getvalue()
    assert "DEBUG" in logged and "/auth/password/reset" in logged  # the run did log, verbosely
    leaked = [secret for secret in secrets if secret in logged]
    assert not leaked


def test_a_debug_run_sending_customer_events_logs_neither_the_secret_nor_a_signature(debug_log, events_app, webhooks):
    webhooks.mode = "fail"
    register(events_app.client)
    wait_until_failed = time.monotonic() + 15
    while not webhooks.received and time.monotonic() < wait_until_failed:
        time.sleep(0.05)
    webhooks.mode = "ok"
    webhooks.wait_for("customer.registered")

    logged = debug_log.getvalue()
    assert "customer.registered" in logged and "HTTP 500" in logged  # the failed attempt was logged
    signatures = [delivery.headers["webhook-signature"].removeprefix("v1,") for delivery in webhooks.received]
    leaked = [value for value in [SECRET, SECRET.removeprefix("whsec_"), *signatures] if value in logged]
    assert not leaked


def quoted(code: str) -> list[str]:
    """How a phone code would show in a log line: six digits alone are in
    many timestamps, so a leak is looked for as a value."""
    return [f'"{code}"', f"'{code}'", f"={code}", f": {code}"]


def confirm_phone(client, tokens, code):
    return client.post(f"{API}/me/phone/confirm", json={"code": code}, headers=bearer(tokens))


def test_a_debug_run_logs_no_phone_code(debug_log, notifying_app, notifications):
    client = notifying_app.client
    phone = "+447700900999"
    tokens = register(client, phone=phone)["tokens"]
    assert client.post(f"{API}/me/phone/verify", headers=bearer(tokens)).status_code == 202
    code = notifications.wait_for("phone_verification", phone).body["data"]["code"]
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    assert confirm_phone(client, tokens, wrong).status_code == 400
    assert confirm_phone(client, tokens, code).status_code == 200

    logged = debug_log.getvalue()
    assert "DEBUG" in logged and "/me/phone/confirm" in logged
    assert not [shown for value in (code, wrong) for shown in quoted(value) if shown in logged]


def test_without_a_notifications_service_the_code_is_in_the_mail_log_only(debug_log, app, settings):
    phone = "+447700900998"
    tokens = register(app.client, phone=phone)["tokens"]

    assert app.client.post(f"{API}/me/phone/verify", headers=bearer(tokens)).status_code == 202

    mail_log = settings.data_dir / "mail.log"
    for _ in range(300):
        lines = mail_log.read_text().splitlines() if mail_log.exists() else []
        if any("phone_verification" in line for line in lines):
            break
        time.sleep(0.05)
    [sms] = [json.loads(line) for line in lines if "phone_verification" in line]
    assert sms["to"] == phone and len(sms["data"]["code"]) == 6
    assert not [shown for shown in quoted(sms["data"]["code"]) if shown in debug_log.getvalue()]
