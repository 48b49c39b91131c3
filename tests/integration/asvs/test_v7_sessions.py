"""OWASP ASVS 5.0.0, V7 Session Management, over real HTTP.

A session here is one login: a family of single-use refresh tokens (reference tokens, stored
as digests) and the short-lived access JWTs minted from them, which are accepted only while
their session is active. No cookies are involved.

Not applicable to this service (not tested):

- V7.1.3  federated session documentation (SSO): no identity federation.
- V7.4.4  logout visible on every authenticated page: no pages; API clients call
          POST /auth/logout, which every access token may use (V7.4.1).
- V7.6.1  session lifetime between relying parties and identity providers: no federation.
- V7.6.2  sessions created only with the user's consent or action: about IdP sessions
          silently creating application sessions; there is no IdP. (Sessions start only at
          register and login; emailed links start none, V6.3.6.)

Deviation required by the API contract:

- V7.5.2  ending another session or all of them takes no body (DELETE /auth/sessions/{id},
          POST /auth/logout-all), so the password is not asked again there. Whoever holds a
          token can end sessions, never start one; changing the password or the email, which
          could take the account over, does ask for it (V7.5.1, V7.5.3).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
import time
from typing import Any

from tests.integration.asvs import (
    AUTH,
    ME,
    README,
    ROOT,
    change_email,
    change_password,
    claims_of,
    documented_defaults,
    emailed_token,
    get_me,
    login,
    login_tokens,
    manual_clock,
    mint,
    quiet_app,
    refresh,
    setting_default,
    signing_key,
)
from tests.support import assert_problem, bearer, register, unique_email

NEW_PASSWORD = "a brand new passphrase"


def sessions_of(client, tokens: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.get(f"{AUTH}/sessions", headers=bearer(tokens))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def assert_session_over(client, tokens: dict[str, Any]) -> None:
    """Neither the access token nor the refresh token of the session works any more."""
    assert_problem(get_me(client, tokens), 401, "UNAUTHENTICATED")
    assert_problem(refresh(client, tokens["refreshToken"]), 401, "TOKEN_INVALID")


# --- V7.1 Session Management Documentation --------------------------------------


def test_v7_1_1_session_timeouts_are_documented_as_configured(client):
    """V7.1.1: "the user's session inactivity timeout and absolute maximum session lifetime are
    documented, are appropriate in combination with other controls, and that the documentation
    includes justification for any deviations from NIST SP 800-63B re-authentication
    requirements."

    Inactivity: CS_REFRESH_TOKEN_TTL (7 days); absolute: CS_SESSION_MAX_SECONDS (30 days, the
    NIST SP 800-63B AAL1 re-authentication bound, so no deviation to justify). What a login
    reports agrees with the documentation."""
    documented = documented_defaults()
    timeouts = ["CS_REFRESH_TOKEN_TTL", "CS_SESSION_MAX_SECONDS", "CS_ACCESS_TOKEN_TTL"]

    assert {name: documented.get(name) for name in timeouts} == {name: setting_default(name) for name in timeouts}
    assert int(documented["CS_SESSION_MAX_SECONDS"]) <= 30 * 24 * 3600
    tokens = register(client)["tokens"]
    assert tokens["refreshExpiresIn"] == int(documented["CS_REFRESH_TOKEN_TTL"])
    assert tokens["expiresIn"] == int(documented["CS_ACCESS_TOKEN_TTL"])


def test_v7_1_2_the_number_of_concurrent_sessions_is_documented():
    """V7.1.2: "the documentation defines how many concurrent (parallel) sessions are allowed for
    one account as well as the intended behaviors and actions to be taken when the maximum number
    of active sessions is reached."

    The README, the architecture notes or the API contract must say how many sessions one
    customer may hold at once (or that there is no limit) and what happens at the limit."""
    texts = [README, ROOT / "docs" / "architecture.md"]
    documentation = "\n".join(path.read_text() for path in texts if path.exists())
    policy = re.compile(
        r"(concurrent|parallel|simultaneous)\s+sessions"
        r"|sessions\s+(per|for\s+one|for\s+each)\s+(account|customer)"
        r"|(number|limit)\s+of\s+(active\s+|open\s+)?sessions"
        r"|at\s+most\s+\d+\s+(active\s+|open\s+)?sessions",
        re.IGNORECASE,
    )

    assert policy.search(documentation), "no documented limit (or absence of one) on concurrent sessions"


# --- V7.2 Fundamental Session Management Security -------------------------------


def test_v7_2_1_tokens_are_checked_against_the_sessions_the_service_holds(app, db):
    """V7.2.1: "the application performs all session token verification using a trusted, backend
    service."

    A correctly signed access token naming a session the service does not hold is refused, and a
    session removed from the store ends its tokens at once: validity is decided server-side."""
    tokens = register(app.client)["tokens"]
    claims = claims_of(tokens["accessToken"])
    now = int(time.time())
    forged_session = mint({**claims, "sid": secrets.token_hex(12), "iat": now, "exp": now + 600}, signing_key(app))

    assert_problem(get_me(app.client, {"accessToken": forged_session}), 401, "UNAUTHENTICATED")
    assert get_me(app.client, tokens).status_code == 200
    db.sessions.delete_many({})
    assert_session_over(app.client, tokens)


def test_v7_2_2_session_tokens_are_generated_per_login_not_static_secrets(client):
    """V7.2.2: "the application uses either self-contained or reference tokens that are
    dynamically generated for session management, i.e. not using static API secrets and keys." """
    email = unique_email()
    register(client, email=email)

    first, second = login_tokens(client, email), login_tokens(client, email)

    assert first["accessToken"] != second["accessToken"]
    assert first["refreshToken"] != second["refreshToken"]
    claims = [claims_of(tokens["accessToken"]) for tokens in (first, second)]
    assert claims[0]["jti"] != claims[1]["jti"] and claims[0]["sid"] != claims[1]["sid"]
    assert all(claim["exp"] - claim["iat"] == first["expiresIn"] for claim in claims)


def test_v7_2_3_refresh_tokens_are_unique_random_and_at_least_128_bits(client, db):
    """V7.2.3: "if reference tokens are used to represent user sessions, they are unique and
    generated using a cryptographically secure pseudo-random number generator (CSPRNG) and
    possess at least 128 bits of entropy."

    Refresh tokens are the reference tokens: their session's id, a dot, and 32 random bytes
    (Python's secrets module), never repeated, of which only a digest is stored."""
    email = unique_email()
    issued = [register(client, email=email)["tokens"]["refreshToken"]]
    for _ in range(3):
        issued.append(login_tokens(client, email)["refreshToken"])
    issued.append(refresh(client, issued[-1]).json()["tokens"]["refreshToken"])

    secrets = [token.partition(".")[2] for token in issued]
    assert len(set(secrets)) == len(secrets)
    assert all(len(base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))) * 8 >= 128 for secret in secrets)
    stored = " ".join(str(document) for document in db.sessions.find())
    assert not [secret for secret in secrets if secret in stored]


def test_v7_2_4_each_authentication_starts_a_new_session_and_rotation_ends_the_old_token(client):
    """V7.2.4: "the application generates a new session token on user authentication, including
    re-authentication, and terminates the current session token."

    A login never adopts a session the client presents (no fixation): it gets a new session and
    new tokens. Refreshing replaces the refresh token and the used one stops working."""
    email = unique_email()
    registered = register(client, email=email)["tokens"]

    again = login(client, email, headers=bearer(registered)).json()["tokens"]
    rotated = refresh(client, again["refreshToken"]).json()["tokens"]

    assert claims_of(again["accessToken"])["sid"] != claims_of(registered["accessToken"])["sid"]
    assert again["refreshToken"] != registered["refreshToken"]
    assert rotated["refreshToken"] != again["refreshToken"]
    assert claims_of(rotated["accessToken"])["sid"] == claims_of(again["accessToken"])["sid"]
    assert_problem(refresh(client, again["refreshToken"]), 401, "TOKEN_INVALID")


# --- V7.3 Session Timeout -----------------------------------------------------------


def test_v7_3_1_an_idle_session_ends_after_the_inactivity_timeout(make_app):
    """V7.3.1: "there is an inactivity timeout such that re-authentication is enforced according
    to risk analysis and documented security decisions." (CS_REFRESH_TOKEN_TTL since the last
    refresh; here 600 s.)"""
    clock = manual_clock()
    app = make_app(settings_changes={"refresh_token_ttl": 600}, clock=clock)
    email = unique_email()
    tokens = register(app.client, email=email)["tokens"]

    for _ in range(2):  # in use: every refresh restarts the timeout
        clock.advance(dt.timedelta(seconds=590))
        response = refresh(app.client, tokens["refreshToken"])
        assert response.status_code == 200, response.text
        tokens = response.json()["tokens"]
    clock.advance(dt.timedelta(seconds=601))

    assert_session_over(app.client, tokens)
    assert login(app.client, email).status_code == 200


def test_v7_3_2_a_session_ends_at_its_absolute_lifetime_however_often_refreshed(make_app):
    """V7.3.2: "there is an absolute maximum session lifetime such that re-authentication is
    enforced according to risk analysis and documented security decisions."
    (CS_SESSION_MAX_SECONDS from login; here 900 s.)"""
    clock = manual_clock()
    app = make_app(settings_changes={"refresh_token_ttl": 600, "session_max_seconds": 900}, clock=clock)
    tokens = register(app.client)["tokens"]

    for _ in range(2):
        clock.advance(dt.timedelta(seconds=440))
        tokens = refresh(app.client, tokens["refreshToken"]).json()["tokens"]

    assert tokens["refreshExpiresIn"] == 20  # never past the absolute end
    assert get_me(app.client, tokens).status_code == 200
    clock.advance(dt.timedelta(seconds=21))
    assert_session_over(app.client, tokens)


# --- V7.4 Session Termination ----------------------------------------------------


def test_v7_4_1_after_logout_no_token_of_the_session_works(client):
    """V7.4.1: "when session termination is triggered (such as logout or expiration), the
    application disallows any further use of the session." (Expiration: V7.3.1, V7.3.2.)"""
    email = unique_email()
    tokens = register(client, email=email)["tokens"]
    other = login_tokens(client, email)

    assert client.post(f"{AUTH}/logout", headers=bearer(tokens)).status_code == 204

    assert_session_over(client, tokens)
    assert_problem(client.post(f"{AUTH}/logout", headers=bearer(tokens)), 401, "UNAUTHENTICATED")
    assert get_me(client, other).status_code == 200


def test_v7_4_2_disabling_an_account_ends_all_its_sessions(app, cli):
    """V7.4.2: "the application terminates all active sessions when a user account is disabled or
    deleted (such as an employee leaving the company)." (Operators disable accounts with the
    admin CLI; the API has no account deletion.)"""
    email = unique_email()
    sessions = [register(app.client, email=email)["tokens"], login_tokens(app.client, email)]
    bystander = register(app.client)["tokens"]

    result = cli("customers", "disable", email)

    assert result.exit_code == 0, result.output
    for tokens in sessions:
        assert_session_over(app.client, tokens)
    assert_problem(login(app.client, email), 403, "ACCOUNT_DISABLED")
    assert get_me(app.client, bystander).status_code == 200


def test_v7_4_3_changing_or_resetting_the_password_ends_the_other_sessions(make_app):
    """V7.4.3: "the application gives the option to terminate all other active sessions after a
    successful change or removal of any authentication factor (including password change via
    reset or recovery ...)." Done without asking: a change ends the other sessions, a reset all."""
    app = quiet_app(make_app)
    client = app.client
    email = unique_email()
    here = register(client, email=email)["tokens"]
    elsewhere = login_tokens(client, email)

    assert change_password(client, here).status_code == 204

    assert_session_over(client, elsewhere)
    assert get_me(client, here).status_code == 200
    assert client.post(f"{AUTH}/password/forgot", json={"email": email}).status_code == 202
    body = {"token": emailed_token(app, "password_reset", email), "newPassword": "yet another passphrase"}
    assert client.post(f"{AUTH}/password/reset", json=body).status_code == 204
    assert_session_over(client, here)


def test_v7_4_5_operators_can_end_every_session_of_a_customer(app, cli):
    """V7.4.5: "application administrators are able to terminate active sessions for an
    individual user or for all users." (The admin CLI's ``sessions revoke``.)"""
    email = unique_email()
    sessions = [register(app.client, email=email)["tokens"], login_tokens(app.client, email)]
    bystander = register(app.client)["tokens"]

    result = cli("sessions", "revoke", email)

    assert result.exit_code == 0, result.output
    for tokens in sessions:
        assert_session_over(app.client, tokens)
    assert get_me(app.client, bystander).status_code == 200
    assert login(app.client, email).status_code == 200


# --- V7.5 Defenses Against Session Abuse ----------------------------------------


def test_v7_5_1_changing_the_email_requires_the_password(client):
    """V7.5.1: "the application requires full re-authentication before allowing modifications to
    sensitive account attributes which may affect authentication such as email address, phone
    number, MFA configuration, or other information used in account recovery."

    The email (login name and recovery address) changes only with the password; the profile
    route cannot change it. (The phone is profile data: neither a factor nor a recovery channel.)"""
    email = unique_email()
    tokens = register(client, email=email)["tokens"]
    change = f"{AUTH}/email/change"

    without = client.post(change, json={"newEmail": unique_email("new")}, headers=bearer(tokens))
    wrong = change_email(client, tokens, unique_email("new"), "not my password")
    through_profile = client.patch(ME, json={"email": unique_email()}, headers=bearer(tokens))

    assert_problem(without, 422, "VALIDATION_ERROR")
    assert [error["field"] for error in without.json()["errors"]] == ["password"]
    assert_problem(wrong, 403, "INVALID_CREDENTIALS")
    assert_problem(through_profile, 422, "VALIDATION_ERROR")
    assert get_me(client, tokens).json()["email"] == email
    assert change_email(client, tokens, unique_email("new")).status_code == 202


def test_v7_5_2_sessions_can_be_viewed_and_any_or_all_ended(client):
    """V7.5.2: "users are able to view and (having authenticated again with at least one factor)
    terminate any or all currently active sessions."

    Viewing and ending one or all sessions work with the access token. The contract takes no
    body on these routes, so no password is asked again (see the deviation above)."""
    email = unique_email()
    here = register(client, email=email)["tokens"]
    elsewhere = login_tokens(client, email)
    third = login_tokens(client, email)
    listed = {item["id"]: item for item in sessions_of(client, here)}
    other_id = claims_of(elsewhere["accessToken"])["sid"]

    assert set(listed) == {claims_of(tokens["accessToken"])["sid"] for tokens in (here, elsewhere, third)}
    assert listed[other_id]["current"] is False

    assert client.delete(f"{AUTH}/sessions/{other_id}", headers=bearer(here)).status_code == 204
    assert_session_over(client, elsewhere)
    assert get_me(client, third).status_code == 200

    assert client.post(f"{AUTH}/logout-all", headers=bearer(here)).status_code == 204
    assert_session_over(client, third)
    assert_session_over(client, here)


def test_v7_5_3_sensitive_operations_demand_the_password_and_guesses_there_lock(make_app):
    """V7.5.3: "the application requires further authentication with at least one factor or
    secondary verification before performing highly sensitive transactions or operations."

    Changing the password or the email needs the current password; guessing it there counts
    toward the lockout, after which even the right one is refused."""
    app = make_app(settings_changes={"lockout_threshold": 3})
    email = unique_email()
    tokens = register(app.client, email=email)["tokens"]

    guesses = [change_password(app.client, tokens, current=f"guess number {n}").status_code for n in range(3)]

    assert guesses == [403, 403, 403]
    assert_problem(change_password(app.client, tokens), 403, "INVALID_CREDENTIALS")
    assert_problem(change_email(app.client, tokens, unique_email("new")), 403, "INVALID_CREDENTIALS")
    assert_problem(login(app.client, email, NEW_PASSWORD), 401, "INVALID_CREDENTIALS")
    assert get_me(app.client, tokens).json()["email"] == email
