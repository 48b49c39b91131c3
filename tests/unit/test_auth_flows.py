"""Registering and logging in, at service level: the whole core on in-memory
storage, time moved by a manual clock, messages read from the outbox. What
a client sees of these over HTTP (status codes, problem codes, JSON shapes)
is in tests/integration/test_auth_http.py."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest

from customer_core import (
    AccountDisabled,
    ClientInfo,
    EmailTaken,
    InitialPreferences,
    InvalidCredentials,
    Preferences,
    Registration,
    TokenInvalid,
    Unauthenticated,
    ValidationFailed,
)
from customer_core.errors import RateLimited, WrongPassword
from customer_core.lockout import lockout_key
from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.passwords import PasswordChange
from customer_core.use_cases.sessions import RefreshRequest
from customer_core.values import Currency, Email, Gender, Language, Phone
from tests.support import PASSWORD, unique_email

WRONG_PASSWORD = "wrong password!"
NEW = "a new passphrase nobody guesses"

# --- registering ------------------------------------------------------------


def test_a_new_customer_is_active_unverified_and_has_the_default_preferences(flows):
    customer = flows.register(email="  Grace.Hopper@Example.COM ").customer

    assert customer.email == Email("grace.hopper@example.com")
    assert str(customer.email) == "grace.hopper@example.com"
    assert (customer.first_name, customer.last_name) == ("Ada", "Lovelace")
    assert (customer.phone, customer.date_of_birth, customer.gender) == (None, None, None)
    assert customer.preferences == Preferences(
        newsletter=False, sms_notifications=False, language=Language("en"), currency=Currency("USD")
    )
    assert customer.is_active and not customer.is_verified and not customer.email_verified
    assert customer.created_at == flows.clock.now()
    assert flows.service.get_profile(customer.id) == customer


def test_registration_keeps_the_optional_fields_normalised(flows):
    customer = flows.register(
        phone=Phone("+44 1234 567890"),
        date_of_birth=dt.date(1990, 5, 17),
        gender=Gender("female"),
        preferences=InitialPreferences(newsletter=True, language=Language("pt_br"), currency=Currency("eur")),
    ).customer

    assert str(customer.phone) == "+441234567890"
    assert customer.date_of_birth == dt.date(1990, 5, 17)
    assert customer.gender is Gender.FEMALE
    assert customer.preferences == Preferences(
        newsletter=True, sms_notifications=False, language=Language("pt-BR"), currency=Currency("EUR")
    )
    assert flows.service.get_profile(customer.id) == customer


def test_registration_logs_the_new_customer_in(flows):
    registered = flows.register()

    tokens = registered.tokens
    assert flows.service.authenticate(tokens.access_token).customer_id == registered.customer.id
    assert (tokens.token_type, tokens.expires_in, tokens.refresh_expires_in) == ("Bearer", 86400, 604800)
    assert flows.service.refresh(RefreshRequest(refresh_token=tokens.refresh_token))


def test_access_tokens_carry_the_configured_issuer_audience_key_and_lifetime(flows):
    registered = flows.register()
    token = registered.tokens.access_token
    settings = flows.wiring.settings
    principal = flows.service.authenticate(token)

    assert jwt.get_unverified_header(token) == {
        "alg": "EdDSA",
        "typ": "at+jwt",
        "kid": flows.wiring.key_ring.signing_key().kid,
    }
    claims = jwt.decode(token, options={"verify_signature": False})
    assert set(claims) == {"iss", "sub", "aud", "exp", "iat", "jti", "sid"}
    assert (claims["iss"], claims["aud"]) == (settings.issuer, settings.token_audience)
    assert (claims["sub"], claims["sid"]) == (registered.customer.id, principal.session_id)
    assert claims["iat"] == int(flows.clock.now().timestamp())
    assert claims["exp"] - claims["iat"] == 86400


SPELLINGS = {
    "same": lambda email: email,
    "upper case": str.upper,
    "mixed case": str.title,
    "padded": lambda email: f"  {email} ",
    "tabs and newlines": lambda email: f"\t{email.upper()}\n",
}


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_an_email_that_is_taken_is_refused_in_any_spelling(flows, spelling):
    email = unique_email("taken")
    flows.register(email=email)

    with pytest.raises(EmailTaken):
        flows.register(email=spelling(email))

    assert len(flows.sent("welcome", email)) == 1


@pytest.mark.parametrize(
    ("email", "password"),
    [
        (None, "password1"),  # among the most common passwords
        ("margaret@example.com", "i am MARGARET and proud"),  # contains the email's local part
    ],
)
def test_a_password_the_policy_refuses_is_named_as_the_invalid_field(flows, email, password):
    with pytest.raises(ValidationFailed) as refused:
        flows.register(email=email, password=password)

    assert [error.field for error in refused.value.errors] == ["password"]
    assert all(error.message for error in refused.value.errors)


def test_a_refused_registration_creates_no_account_and_sends_nothing(flows):
    email = unique_email()
    with pytest.raises(ValidationFailed):
        flows.register(email=email, password="password1")

    with pytest.raises(InvalidCredentials):
        flows.login(email, "password1")
    assert flows.sent() == []


# --- logging in -------------------------------------------------------------


def test_login_takes_the_email_in_any_case_and_spacing_and_starts_a_new_session(flows):
    email = unique_email()
    registered = flows.register(email=email)
    flows.clock.advance(dt.timedelta(minutes=5))

    logged_in = flows.login(f"  {email.upper()} ")

    assert logged_in.customer.id == registered.customer.id
    assert logged_in.customer.last_login == flows.clock.now()
    assert flows.service.get_profile(registered.customer.id).last_login == flows.clock.now()
    new_session = flows.service.authenticate(logged_in.tokens.access_token)
    registration_session = flows.service.authenticate(registered.tokens.access_token)
    assert new_session.customer_id == registered.customer.id
    assert new_session.session_id != registration_session.session_id
    assert (logged_in.tokens.expires_in, logged_in.tokens.refresh_expires_in) == (86400, 604800)


def test_unknown_email_malformed_email_wrong_password_and_locked_account_fail_alike(make_flows):
    flows = make_flows(lockout_threshold=3)
    email = unique_email()
    flows.register(email=email)
    attempts = [
        (unique_email("nobody"), PASSWORD),
        ("not an email", PASSWORD),
        *[(email, WRONG_PASSWORD)] * 3,
        (email, WRONG_PASSWORD),  # locked by now
        (email, PASSWORD),  # locked, even with the right password
    ]

    errors = []
    for attempt_email, password in attempts:
        with pytest.raises(InvalidCredentials) as refused:
            flows.login(attempt_email, password)
        errors.append(refused.value)

    assert {(type(error), str(error)) for error in errors} == {(InvalidCredentials, str(errors[0]))}


def test_a_locked_account_refuses_even_the_right_password_until_the_lockout_ends(make_flows):
    flows = make_flows(lockout_threshold=3, lockout_seconds=600)
    email = unique_email()
    flows.register(email=email)
    flows.login(email)
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            flows.login(email, WRONG_PASSWORD)
    locked_until = flows.clock.now() + dt.timedelta(seconds=600)

    with pytest.raises(InvalidCredentials):
        flows.login(email)
    flows.clock.advance(dt.timedelta(seconds=599))
    with pytest.raises(InvalidCredentials):
        flows.login(email)
    flows.clock.advance(dt.timedelta(seconds=2))
    assert flows.login(email).customer.email == Email(email)

    [locked] = flows.sent("account_locked", email)
    assert locked.data["lockedUntil"] == locked_until.isoformat()


def test_failures_below_the_threshold_do_not_lock(make_flows):
    flows = make_flows(lockout_threshold=3)
    email = unique_email()
    flows.register(email=email)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            flows.login(email, WRONG_PASSWORD)

    assert flows.login(email).customer.email == Email(email)
    assert flows.sent("account_locked") == []


def test_a_successful_login_resets_the_failure_count(make_flows):
    flows = make_flows(lockout_threshold=3)
    email = unique_email()
    flows.register(email=email)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            flows.login(email, WRONG_PASSWORD)
    flows.login(email)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            flows.login(email, WRONG_PASSWORD)

    assert flows.login(email).customer.email == Email(email)
    assert flows.sent("account_locked") == []


def test_wrong_current_passwords_count_toward_the_same_lockout_as_logins(make_flows):
    flows = make_flows(lockout_threshold=3)
    email = unique_email()
    principal = flows.service.authenticate(flows.register(email=email).tokens.access_token)
    with pytest.raises(InvalidCredentials):
        flows.login(email, WRONG_PASSWORD)
    for attempt in (WRONG_PASSWORD, WRONG_PASSWORD, PASSWORD):  # the last comes once the account is locked
        with pytest.raises(WrongPassword):
            flows.service.change_password(principal, PasswordChange(current_password=attempt, new_password=NEW))
    with pytest.raises(WrongPassword):
        flows.service.request_email_change(principal, EmailChange(new_email=Email(unique_email()), password=PASSWORD))

    with pytest.raises(InvalidCredentials):
        flows.login(email)
    assert len(flows.sent("account_locked", email)) == 1
    flows.clock.advance(dt.timedelta(minutes=15))
    flows.service.change_password(principal, PasswordChange(current_password=PASSWORD, new_password=NEW))
    assert flows.login(email, NEW).customer.email == Email(email)


def test_wrong_passwords_for_an_email_change_lock_the_account(make_flows):
    flows = make_flows(lockout_threshold=2)
    email = unique_email()
    principal = flows.service.authenticate(flows.register(email=email).tokens.access_token)
    change = EmailChange(new_email=Email(unique_email("new")), password=WRONG_PASSWORD)
    for _ in range(2):
        with pytest.raises(WrongPassword):
            flows.service.request_email_change(principal, change)

    with pytest.raises(InvalidCredentials):
        flows.login(email)
    assert flows.sent("email_change_verification") == []


def test_guesses_at_an_unknown_email_lock_it_as_if_it_were_an_account_and_mail_no_one(make_flows):
    flows = make_flows(lockout_threshold=2)
    nobody = unique_email("nobody")
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            flows.login(nobody, WRONG_PASSWORD)

    assert flows.service.admin.lockouts.locked_until(lockout_key(nobody), now=flows.clock.now()) is not None
    assert flows.sent("account_locked") == []
    flows.register(email=nobody)
    with pytest.raises(InvalidCredentials):
        flows.login(nobody)


def test_a_disabled_account_is_told_so_only_after_the_right_password_and_its_sessions_end(flows):
    email = unique_email()
    tokens = flows.register(email=email).tokens
    flows.service.admin.set_active(email, False, operator="test")

    with pytest.raises(InvalidCredentials):
        flows.login(email, WRONG_PASSWORD)
    with pytest.raises(AccountDisabled):
        flows.login(email)
    with pytest.raises(Unauthenticated):
        flows.service.authenticate(tokens.access_token)
    with pytest.raises(TokenInvalid):
        flows.service.refresh(RefreshRequest(refresh_token=tokens.refresh_token))


def test_a_re_enabled_account_logs_in_again(flows):
    email = unique_email()
    flows.register(email=email)
    flows.service.admin.set_active(email, False, operator="test")
    flows.service.admin.set_active(email, True, operator="test")

    assert flows.login(email).customer.is_active


def test_registrations_are_limited_per_client_address(make_flows):
    flows = make_flows(register_rate_limit=2)
    here, elsewhere = ClientInfo(ip_address="198.51.100.7"), ClientInfo(ip_address="198.51.100.8")

    def register(client):
        registration = Registration(
            email=Email(unique_email()), password=PASSWORD, first_name="Ada", last_name="Lovelace"
        )
        return flows.service.register(registration, client)

    register(here)
    register(here)
    with pytest.raises(RateLimited) as limited:
        register(here)

    assert 0 < limited.value.retry_after_seconds <= 60
    register(elsewhere)
    flows.clock.advance(dt.timedelta(minutes=1))
    register(here)
    assert len(flows.sent("welcome")) == 4
