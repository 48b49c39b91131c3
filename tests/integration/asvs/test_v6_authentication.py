"""OWASP ASVS 5.0.0, V6 Authentication, over real HTTP.

Not applicable to this service (not tested):

- V6.2.6  password fields use type=password: the service has no user interface, only a JSON API.
- V6.2.7  paste and password managers permitted: no user interface; the API takes any string.
- V6.3.3  multi-factor authentication required: customers log in with one factor (password) by
          product decision; no MFA is offered.
- V6.4.4  identity proofing when an MFA factor is lost: no MFA factors exist.
- V6.4.5  renewal instructions before an authentication mechanism expires: nothing expires
          (passwords stay valid, V6.2.10).
- V6.5.1-V6.5.8  lookup secrets, out-of-band codes, TOTP, biometrics: no MFA mechanism exists
          (emailed links are not authentication factors, V6.3.6).
- V6.6.1-V6.6.4  out-of-band authentication (SMS, phone, push): none offered.
- V6.7.1-V6.7.2  cryptographic authenticators (smart cards, FIDO): none offered.
- V6.8.1-V6.8.4  authentication with an identity provider: no federation; the service is its own
          (and only) authenticator. Its own JWTs are held to V9.

Deviation required by the API contract:

- V6.3.8 (level 3) for registration: a taken email answers 409 EMAIL_TAKEN, so registration
          tells that an account exists. The test checks what bounds it instead: the per-address
          registration limit (CS_REGISTER_RATE_LIMIT), the same for taken and fresh emails.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from collections import Counter
from typing import Any

import bcrypt
import pytest
import typer
from bson import ObjectId

from entrypoints.cli.main import app as cli_app
from tests.integration.asvs import (
    AUTH,
    README,
    change_email,
    change_password,
    documented_defaults,
    emailed_token,
    emails,
    error_fields,
    get_me,
    login,
    login_tokens,
    manual_clock,
    openapi,
    operations,
    quiet_app,
    setting_default,
)
from tests.support import PASSWORD, assert_problem, bearer, register, unique_email

NEW_PASSWORD = "a brand new passphrase"


def registration(email: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
    return {"email": email or unique_email(), "password": password, "firstName": "Ada", "lastName": "Lovelace"}


def register_response(client, password: str, email: str | None = None):
    return client.post(f"{AUTH}/register", json=registration(email, password))


def reset(client, token: str, new_password: str = NEW_PASSWORD):
    return client.post(f"{AUTH}/password/reset", json={"token": token, "newPassword": new_password})


def forgot(client, email: str):
    return client.post(f"{AUTH}/password/forgot", json={"email": email})


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "requestId"}


def token_issuing_operations(client) -> set[str]:
    """'METHOD path' of every operation whose success answer carries a TokenPair."""
    document = openapi(client)
    schemas = document["components"]["schemas"]

    def carries_tokens(schema: Any, seen: frozenset[str] = frozenset()) -> bool:
        text = json.dumps(schema)
        if '"#/components/schemas/TokenPair"' in text:
            return True
        names = {ref.rsplit("/", 1)[-1] for ref in _refs(schema)} - seen
        return any(carries_tokens(schemas[name], seen | names) for name in names)

    found = set()
    for method, path, operation in operations(document):
        for status, answer in operation["responses"].items():
            if status.startswith("2") and carries_tokens(answer):
                found.add(f"{method} {path}")
    return found


def command_names(group: Any, prefix: str = "") -> list[str]:
    """Every command of the admin CLI, as typed: 'customers disable', ..."""
    found = []
    for name, command in group.commands.items():
        typed = f"{prefix} {name}".strip()
        found.extend(command_names(command, typed) if hasattr(command, "commands") else [typed])
    return found


def _refs(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        own = [schema["$ref"]] if isinstance(schema.get("$ref"), str) else []
        return own + [ref for value in schema.values() for ref in _refs(value)]
    if isinstance(schema, list):
        return [ref for value in schema for ref in _refs(value)]
    return []


# --- V6.1 Authentication Documentation ----------------------------------------


def test_v6_1_1_brute_force_controls_are_documented_as_configured(client):
    """V6.1.1: "application documentation defines how controls such as rate limiting,
    anti-automation, and adaptive response, are used to defend against attacks such as
    credential stuffing and password brute force. The documentation must make clear how these
    controls are configured and prevent malicious account lockout."

    The README's settings table names each control with the default the code has, and says how
    a lockout ends early (an operator, or a password reset, which the API documents too)."""
    documented = documented_defaults()
    controls = [
        "CS_LOGIN_RATE_LIMIT",
        "CS_RESET_REQUEST_RATE_LIMIT",
        "CS_REGISTER_RATE_LIMIT",
        "CS_LOCKOUT_THRESHOLD",
        "CS_LOCKOUT_SECONDS",
    ]
    assert {name: documented.get(name) for name in controls} == {name: setting_default(name) for name in controls}
    readme = README.read_text()
    assert "`CS_TRUSTED_PROXIES`" in readme
    assert "customers enable" in readme and "lifts" in readme
    reset_operation = openapi(client)["paths"][f"{AUTH}/password/reset"]["post"]
    assert "lifts a lockout" in reset_operation["summary"]


def test_v6_1_2_the_context_specific_words_refused_in_passwords_are_documented():
    """V6.1.2: "a list of context-specific words is documented in order to prevent their use in
    passwords."

    The README documents the word list this service uses: the email's local part (besides the
    common-password list)."""
    rules = README.read_text().split("## Rules worth knowing", 1)[1].split("\n- **", 2)[1]
    assert rules.startswith("Passwords**")
    assert "local part" in rules and "30,000 most common passwords" in rules


def test_v6_1_3_every_authentication_pathway_is_documented(client):
    """V6.1.3: "if the application includes multiple authentication pathways, these are all
    documented together with the security controls and authentication strength which must be
    consistently enforced across them."

    The operations that hand out tokens (from the OpenAPI document) are registration, login and
    refresh, and the README documents each with its controls."""
    assert token_issuing_operations(client) == {
        f"POST {AUTH}/register",
        f"POST {AUTH}/login",
        f"POST {AUTH}/refresh",
    }
    readme = README.read_text()
    for route in ("/auth/register", "/auth/login", "/auth/refresh"):
        assert route in readme, route
    assert "**Login**" in readme and "**Sessions**" in readme


# --- V6.2 Password Security ----------------------------------------------------


def test_v6_2_1_passwords_of_at_least_8_characters_are_accepted_and_shorter_ones_refused(client):
    """V6.2.1: "user set passwords are at least 8 characters in length although a minimum of 15
    characters is strongly recommended." """
    email = unique_email()

    refused = register_response(client, "kq7#vz2", email)
    accepted = register_response(client, "kq7#vz2w", email)

    assert_problem(refused, 422, "VALIDATION_ERROR")
    assert error_fields(refused) == {"password"}
    assert accepted.status_code == 201, accepted.text
    tokens = accepted.json()["tokens"]
    assert error_fields(change_password(client, tokens, "kq7#vz2w", "x9!mq2p")) == {"newPassword"}
    assert login(client, email, "kq7#vz2w").status_code == 200


def test_v6_2_2_users_can_change_their_password(client):
    """V6.2.2: "users can change their password." """
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    assert change_password(client, tokens).status_code == 204

    assert login(client, email, NEW_PASSWORD).status_code == 200
    assert_problem(login(client, email, PASSWORD), 401, "INVALID_CREDENTIALS")


def test_v6_2_3_password_change_requires_the_current_and_the_new_password(client):
    """V6.2.3: "password change functionality requires the user's current and new password." """
    email = unique_email()
    tokens = register(client, email=email)["tokens"]
    change = f"{AUTH}/password/change"

    without_current = client.post(change, json={"newPassword": NEW_PASSWORD}, headers=bearer(tokens))
    without_new = client.post(change, json={"currentPassword": PASSWORD}, headers=bearer(tokens))
    wrong_current = change_password(client, tokens, current="not my password")

    assert_problem(without_current, 422, "VALIDATION_ERROR")
    assert error_fields(without_current) == {"currentPassword"}
    assert_problem(without_new, 422, "VALIDATION_ERROR")
    assert error_fields(without_new) == {"newPassword"}
    assert_problem(wrong_current, 403, "INVALID_CREDENTIALS")
    assert_problem(login(client, email, NEW_PASSWORD), 401, "INVALID_CREDENTIALS")
    assert login(client, email, PASSWORD).status_code == 200


def test_v6_2_4_common_passwords_are_refused_at_registration_change_and_reset(make_app):
    """V6.2.4: "passwords submitted during account registration or password change are checked
    against an available set of, at least, the top 3000 passwords which match the application's
    password policy, e.g. minimum length." (Top-50 entries of 8+ characters; case does not help.)"""
    app = quiet_app(make_app)
    client = app.client
    email = unique_email()
    tokens = register(client, email=email)["tokens"]
    forgot(client, email)
    reset_token = emailed_token(app, "password_reset", email)

    for common in ("password", "12345678", "football", "Iloveyou", "TRUSTNO1"):
        assert error_fields(register_response(client, common)) == {"password"}, common
        assert error_fields(change_password(client, tokens, new=common)) == {"newPassword"}, common
        assert error_fields(reset(client, reset_token, common)) == {"newPassword"}, common


def test_v6_2_5_passwords_of_any_composition_are_accepted(client):
    """V6.2.5: "passwords of any composition can be used, without rules limiting the type of
    characters permitted. There must be no requirement for a minimum number of upper or lower
    case characters, numbers, or special characters." """
    compositions = [
        "lowercase letters only here",
        "9081726354",
        "ALL CAPITALS AND SPACES",
        "~!@#$%^&*()_+{}|:<>?",
        "Ωμέγα λάμδα σίγμα",
        "🔑🗝️🔐🛡️🧷🪪🔏🔒",
        "        spaces  around        ",
    ]
    for password in compositions:
        email = unique_email()
        response = register_response(client, password, email)

        assert response.status_code == 201, (password, response.text)
        assert login(client, email, password).status_code == 200, password


def test_v6_2_8_passwords_are_verified_exactly_as_received(client):
    """V6.2.8: "the application verifies the user's password exactly as received from the user,
    without any modifications such as truncation or case transformation."

    Differences past bcrypt's 72 bytes, in case, and in surrounding spaces all count."""
    email = unique_email()
    password = "  " + "abcdefghij" * 9 + " Tail  "  # 99 characters, leading and trailing spaces
    register(client, email=email, password=password)

    near_misses = {
        "past 72 bytes": password[:80] + "x" * (len(password) - 80),
        "case": password.upper(),
        "trimmed": password.strip(),
    }
    for what, attempt in near_misses.items():
        assert login(client, email, attempt).status_code == 401, what
    assert login(client, email, password).status_code == 200


def test_v6_2_9_passwords_of_64_and_more_characters_are_permitted(client):
    """V6.2.9: "passwords of at least 64 characters are permitted." (Up to the documented 256.)"""
    for length in (64, 128, 256):
        email = unique_email()
        password = ("long passphrase " * 20)[: length - 3] + f"{length:03d}"
        assert len(password) == length

        assert register_response(client, password, email).status_code == 201, length
        assert login(client, email, password).status_code == 200, length


def test_v6_2_10_passwords_do_not_expire(make_app):
    """V6.2.10: "a user's password stays valid until it is discovered to be compromised or the
    user rotates it. The application must not require periodic credential rotation." """
    clock = manual_clock()
    app = make_app(clock=clock)
    email = unique_email()
    register(app.client, email=email)

    clock.advance(dt.timedelta(days=800))

    response = login(app.client, email)
    assert response.status_code == 200, response.text
    assert get_me(app.client, response.json()["tokens"]).status_code == 200


def test_v6_2_11_passwords_containing_the_documented_context_words_are_refused(client):
    """V6.2.11: "the documented list of context specific words is used to prevent easy to guess
    passwords being created." (The documented word: the email's local part, in any case.)"""
    email = unique_email("marguerite")
    tokens = register(client, email=email)["tokens"]
    newcomer = unique_email("florence")

    for address, check in [
        (newcomer, lambda password: (register_response(client, password, newcomer), "password")),
        (email, lambda password: (change_password(client, tokens, new=password), "newPassword")),
    ]:
        local_part = address.split("@")[0]
        for password in (f"my {local_part} secret", f"{local_part.upper()}!!"):
            response, field = check(password)
            assert_problem(response, 422, "VALIDATION_ERROR")
            assert error_fields(response) == {field}, password


def test_v6_2_12_breached_passwords_are_refused_at_registration_and_change(client):
    """V6.2.12: "passwords submitted during account registration or password changes are checked
    against a set of breached passwords."

    The list is zxcvbn's 30,000 passwords from leaked corpora; these are ranked past 9,000, far
    beyond the top 3,000 of V6.2.4."""
    tokens = register(client)["tokens"]

    for breached in ("prospero", "christy1", "dallas01", "godswill", "chelsea4"):
        assert error_fields(register_response(client, breached)) == {"password"}, breached
        assert error_fields(change_password(client, tokens, new=breached)) == {"newPassword"}, breached


# --- V6.3 General Authentication Security ----------------------------------------


def test_v6_3_1_lockout_and_rate_limits_stop_guessing_as_documented(make_app):
    """V6.3.1: "controls to prevent attacks such as credential stuffing and password brute force
    are implemented according to the application's security documentation."

    CS_LOCKOUT_THRESHOLD failures lock the account for CS_LOCKOUT_SECONDS, the right password
    included; more than CS_LOGIN_RATE_LIMIT attempts a minute from one address get 429 with
    Retry-After; against malicious lockout, a password reset lifts the lock at once."""
    clock = manual_clock()
    app = quiet_app(make_app, clock=clock, lockout_threshold=3, lockout_seconds=900, login_rate_limit=5)
    email = unique_email()
    register(app.client, email=email)

    guesses = [login(app.client, email, f"guess number {n}").status_code for n in range(3)]
    while_locked = login(app.client, email)
    clock.advance(dt.timedelta(seconds=901))
    after_the_lock = login(app.client, email)
    stuffing = [login(app.client, unique_email("stuffed"), PASSWORD).status_code for _ in range(4)]
    limited = login(app.client, email)
    clock.advance(dt.timedelta(seconds=61))
    locked_again = [login(app.client, email, f"guess number {n}").status_code for n in range(4)]
    forgot(app.client, email)
    assert reset(app.client, emailed_token(app, "password_reset", email)).status_code == 204
    after_the_reset = login(app.client, email, NEW_PASSWORD)

    assert guesses == [401, 401, 401]
    assert_problem(while_locked, 401, "INVALID_CREDENTIALS")
    assert after_the_lock.status_code == 200
    assert stuffing == [401, 401, 401, 401]
    assert_problem(limited, 429, "RATE_LIMITED")
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert locked_again == [401, 401, 401, 401]
    assert after_the_reset.status_code == 200, after_the_reset.text


def test_v6_3_2_no_default_accounts_exist(app, db):
    """V6.3.2: "default user accounts (e.g., "root", "admin", or "sa") are not present in the
    application or are disabled." A freshly started service holds no account at all."""
    assert db.customers.count_documents({}) == 0
    for name in ("admin", "root", "sa", "administrator", "test"):
        for password in ("admin", "password", "changeme", PASSWORD):
            assert_problem(login(app.client, f"{name}@example.com", password), 401, "INVALID_CREDENTIALS")


def test_v6_3_4_the_lockout_holds_on_every_path_that_takes_a_password(make_app):
    """V6.3.4: "if the application includes multiple authentication pathways, there are no
    undocumented pathways and that security controls and authentication strength are enforced
    consistently."

    A lockout earned at login also closes the other routes that check the password, the right
    password included; no other operation hands out tokens (V6.1.3)."""
    app = make_app(settings_changes={"lockout_threshold": 2})
    email = unique_email()
    tokens = register(app.client, email=email)["tokens"]

    for n in range(2):
        login(app.client, email, f"guess number {n}")

    assert_problem(login(app.client, email), 401, "INVALID_CREDENTIALS")
    assert_problem(change_password(app.client, tokens), 403, "INVALID_CREDENTIALS")
    assert_problem(change_email(app.client, tokens, unique_email("new")), 403, "INVALID_CREDENTIALS")
    assert get_me(app.client, tokens).json()["email"] == email


def test_v6_3_5_the_customer_is_notified_when_guessing_locks_the_account(make_app):
    """V6.3.5: "users are notified of suspicious authentication attempts (successful or
    unsuccessful)." Here: failures reaching the lockout threshold send an account_locked email
    (the one such notice the service has)."""
    app = quiet_app(make_app, lockout_threshold=3)
    email = unique_email()
    register(app.client, email=email)

    for n in range(3):
        login(app.client, email, f"guess number {n}")

    [locked] = emails(app, "account_locked", email)
    assert locked.data["lockedUntil"]


def test_v6_3_6_emailed_links_never_log_anyone_in(make_app):
    """V6.3.6: "email is not used as either a single-factor or multi-factor authentication
    mechanism."

    Redeeming an emailed link (verification, password reset, email change) starts no session
    and hands out no token; a reset ends every session instead."""
    app = quiet_app(make_app)
    client = app.client
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    verified = client.post(f"{AUTH}/verify-email", json={"token": emailed_token(app, "email_verification", email)})
    new_email = unique_email("new")
    change_email(client, tokens, new_email)
    confirmed = client.post(
        f"{AUTH}/email/confirm", json={"token": emailed_token(app, "email_change_verification", new_email)}
    )
    sessions = client.get(f"{AUTH}/sessions", headers=bearer(tokens)).json()["items"]
    forgot(client, new_email)
    reset_answer = reset(client, emailed_token(app, "password_reset", new_email))

    assert verified.status_code == 200 and set(verified.json()) == {"customer"}
    assert confirmed.status_code == 200 and set(confirmed.json()) == {"customer"}
    assert len(sessions) == 1
    assert reset_answer.status_code == 204 and reset_answer.content == b""
    assert_problem(get_me(client, tokens), 401, "UNAUTHENTICATED")


def test_v6_3_7_customers_are_notified_of_changes_to_password_and_email(make_app):
    """V6.3.7: "users are notified after updates to authentication details, such as credential
    resets or modification of the username or email address." """
    app = quiet_app(make_app)
    client = app.client
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    assert change_password(client, tokens).status_code == 204
    tokens = login_tokens(client, email, NEW_PASSWORD)
    forgot(client, email)
    assert reset(client, emailed_token(app, "password_reset", email), "yet another passphrase").status_code == 204
    tokens = login_tokens(client, email, "yet another passphrase")
    assert change_email(client, tokens, unique_email("new"), "yet another passphrase").status_code == 202

    assert len(emails(app, "password_changed", email)) == 2  # the change, then the reset
    [warning] = emails(app, "email_changed", email)
    assert "token" not in warning.data


def _login_reveals_nothing(make_app, monkeypatch):
    app = make_app(settings_changes={"lockout_threshold": 3})
    known, locked = unique_email(), unique_email()
    for email in (known, locked):
        register(app.client, email=email)
    for n in range(3):
        login(app.client, locked, f"guess number {n}")
    checks: Counter[str] = Counter()
    lock = threading.Lock()
    compare = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        with lock:
            checks["n"] += 1
        return compare(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)

    answers, work = [], []
    for email, password in [(unique_email("nobody"), PASSWORD), (known, "wrong password!"), (locked, PASSWORD)]:
        before = checks["n"]
        answers.append(login(app.client, email, password))
        work.append(checks["n"] - before)

    bodies = [without_request_id(assert_problem(answer, 401, "INVALID_CREDENTIALS")) for answer in answers]
    assert bodies[0] == bodies[1] == bodies[2]
    assert len({answer.headers["www-authenticate"] for answer in answers}) == 1
    assert work == [1, 1, 1]  # the same hashing work whether or not the account exists or is locked


def _forgot_password_reveals_nothing(make_app, monkeypatch):
    app = make_app()
    email = unique_email()
    register(app.client, email=email)

    answers = [forgot(app.client, address) for address in (email, email, unique_email("nobody"))]

    assert [answer.status_code for answer in answers] == [202, 202, 202]
    assert len({answer.text for answer in answers}) == 1


def _registration_probing_is_rate_limited(make_app, monkeypatch):
    # The contract answers a taken email with 409 EMAIL_TAKEN (a shop's sign-up form must
    # say so), so registration can tell an account exists; what bounds the probing is the
    # per-address registration limit, which answers taken and fresh emails alike.
    app = make_app(settings_changes={"register_rate_limit": 3})
    taken = unique_email()
    register(app.client, email=taken)
    assert register_response(app.client, PASSWORD, taken).status_code == 409
    assert register_response(app.client, PASSWORD, unique_email("fresh")).status_code == 201

    probes = [register_response(app.client, PASSWORD, email) for email in (taken, unique_email("fresh"))]

    bodies = [without_request_id(assert_problem(probe, 429, "RATE_LIMITED")) for probe in probes]
    assert bodies[0] == bodies[1]


@pytest.mark.parametrize(
    "flow",
    [_login_reveals_nothing, _forgot_password_reveals_nothing, _registration_probing_is_rate_limited],
    ids=["V6.3.8-login", "V6.3.8-forgot-password", "V6.3.8-registration"],
)
def test_v6_3_8_answers_do_not_tell_whether_an_account_exists(flow, make_app, monkeypatch):
    """V6.3.8: "valid users cannot be deduced from failed authentication challenges, such as by
    basing on error messages, HTTP response codes, or different response times. Registration and
    forgot password functionality must also have this protection." """
    flow(make_app, monkeypatch)


# --- V6.4 Authentication Factor Lifecycle and Recovery -------------------------


def test_v6_4_1_activation_links_are_random_single_use_short_lived_and_no_password(make_app):
    """V6.4.1: "system generated initial passwords or activation codes are securely randomly
    generated, follow the existing password policy, and expire after a short period of time or
    after they are initially used. These initial secrets must not be permitted to become the long
    term password."

    The activation code is the email-verification token (no initial passwords exist): 256 random
    bits, single use, 48 hours, and no password."""
    clock = manual_clock()
    app = quiet_app(make_app, clock=clock)
    first, second = unique_email(), unique_email()
    for email in (first, second):
        register(app.client, email=email)
    tokens = [emailed_token(app, "email_verification", email) for email in (first, second)]
    verify = f"{AUTH}/verify-email"

    assert tokens[0] != tokens[1]
    assert all(len(base64.urlsafe_b64decode(token + "==")) == 32 for token in tokens)
    assert_problem(login(app.client, first, tokens[0]), 401, "INVALID_CREDENTIALS")
    assert app.client.post(verify, json={"token": tokens[0]}).status_code == 200
    assert_problem(app.client.post(verify, json={"token": tokens[0]}), 400, "TOKEN_INVALID")
    clock.advance(dt.timedelta(hours=48, seconds=1))
    assert_problem(app.client.post(verify, json={"token": tokens[1]}), 400, "TOKEN_INVALID")


def test_v6_4_2_no_password_hints_or_secret_questions_exist(client):
    """V6.4.2: "password hints or knowledge-based authentication (so-called "secret questions")
    are not present." No schema of the API has such a field."""
    schemas = openapi(client)["components"]["schemas"]
    fields = {name.lower() for schema in schemas.values() for name in schema.get("properties", {})}

    suspicious = {field for field in fields if any(word in field for word in ("hint", "question", "answer", "secret"))}
    assert suspicious == set()


def test_v6_4_3_a_forgotten_password_is_reset_securely(make_app):
    """V6.4.3: "a secure process for resetting a forgotten password is implemented, that does not
    bypass any enabled multi-factor authentication mechanisms." (No MFA exists.)

    The reset link goes to the account's email only, expires after an hour, works once, and the
    reset ends every session."""
    clock = manual_clock()
    app = quiet_app(make_app, clock=clock)
    client = app.client
    email = unique_email()
    tokens = register(client, email=email)["tokens"]

    assert forgot(client, email).status_code == 202
    expired = emailed_token(app, "password_reset", email)
    clock.advance(dt.timedelta(hours=1, seconds=1))
    assert_problem(reset(client, expired), 400, "TOKEN_INVALID")
    assert forgot(client, email).status_code == 202
    token = emailed_token(app, "password_reset", email)

    assert reset(client, token).status_code == 204
    assert_problem(reset(client, token, "and once again"), 400, "TOKEN_INVALID")
    assert_problem(get_me(client, tokens), 401, "UNAUTHENTICATED")
    assert_problem(login(client, email, PASSWORD), 401, "INVALID_CREDENTIALS")
    assert login(client, email, NEW_PASSWORD).status_code == 200
    assert {message.to for message in emails(app, "password_reset")} == {email}


def test_v6_4_6_operators_cannot_choose_or_read_a_customers_password(app, cli, tmp_path):
    """V6.4.6: "administrative users can initiate the password reset process for the user, but
    that this does not allow them to change or choose the user's password."

    The admin CLI has no command that sets a password, shows no hash, and its import cannot
    overwrite an existing account's password."""
    email = unique_email()
    register(app.client, email=email)
    operators_choice = "an operator's choice"
    line = json.dumps(
        {
            "_id": {"$oid": str(ObjectId())},
            "email": email,
            "password": bcrypt.hashpw(operators_choice.encode(), bcrypt.gensalt(4)).decode(),
            "firstName": "Eve",
            "lastName": "Operator",
        }
    )
    export = tmp_path / "customers.json"
    export.write_text(line + "\n")

    shown = cli("customers", "show", email, "--json")
    imported = cli("customers", "import", str(export), "--json")
    commands = command_names(typer.main.get_command(cli_app))

    assert shown.exit_code == 0 and "$2" not in shown.output and "password" not in shown.output.lower()
    assert json.loads(imported.stdout)["imported"] == 0
    assert "customers disable" in commands and not [name for name in commands if "password" in name]
    assert_problem(login(app.client, email, operators_choice), 401, "INVALID_CREDENTIALS")
    assert login(app.client, email).status_code == 200
